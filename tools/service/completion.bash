# shellcheck shell=bash disable=SC2207
# (COMPREPLY=($(compgen ...)) is how completions split compgen's words.)
# Bash completion for minix-service(8): flags, actions, start options,
# sysctl subcommands, and labels (asked of rs-daemon with `status`).
# Installed as share/bash-completion/completions/minix-service, where
# bash-completion loads it on first use; it needs nothing from
# bash-completion itself, so `source` works too.

# The labels rs-daemon knows; nothing when it is not running.
_minix_service_labels() {
	"$1" status 2>/dev/null | awk 'NR > 1 { print $1 }'
}

_minix_service() {
	local prog=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]}
	local prev='' action='' i nargs=0
	local flags='-b -c -d -e -f -n -o -p -q -r -s -t -x -y -z'
	local actions='up run edit update down refresh restart clone unclone fi
		lookup dump shutdown reload sysctl status monitor logs ds'
	local start_options='-args -label -progname -period -script -config
		-state -maxtime'

	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	# The flags come before the action; the first other word is it.
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-*) [ -n "$action" ] || continue ;;
		esac
		if [ -z "$action" ]; then
			action=${COMP_WORDS[i]}
		else
			nargs=$((nargs + 1))
		fi
	done

	COMPREPLY=()
	if [ -z "$action" ]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$flags --help --version" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$actions" -- "$cur"))
		fi
		return 0
	fi

	case $action in
	up | run | edit | update)
		case $prev in
		-label)
			# edit and update name a running service; up and run
			# a new label, which no running one may have.
			[[ $action == edit || $action == update ]] &&
				COMPREPLY=($(compgen -W "$(_minix_service_labels "$prog")" -- "$cur"))
			return 0 ;;
		-script | -config)
			compopt -o filenames 2>/dev/null
			COMPREPLY=($(compgen -f -- "$cur"))
			return 0 ;;
		-args | -progname | -period | -maxtime | -state)
			return 0 ;;	# free text
		esac
		if ((nargs == 0)); then
			# The binary: an absolute path (or self for update).
			compopt -o filenames 2>/dev/null
			COMPREPLY=($(compgen -f -- "$cur"))
			[ "$action" = update ] &&
				COMPREPLY+=($(compgen -W self -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$start_options" -- "$cur"))
		fi
		;;
	down | refresh | restart | clone | unclone | fi | lookup | dump)
		if ((nargs == 0)); then
			COMPREPLY=($(compgen -W "$(_minix_service_labels "$prog")" -- "$cur"))
		fi
		;;
	status)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "-j" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(_minix_service_labels "$prog")" -- "$cur"))
		fi
		;;
	logs)
		[ "$prev" = -n ] && return 0
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "-f -n" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(_minix_service_labels "$prog")" -- "$cur"))
		fi
		;;
	monitor)
		[ "$prev" = -n ] && return 0
		COMPREPLY=($(compgen -W "-j -n" -- "$cur"))
		;;
	ds)
		# ds VERB [-t TYPE] KEY [VALUE]; keys are root's to list.
		if [ "$prev" = -t ]; then
			# set writes a u32 or a string; get and del take any type.
			if [ "${COMP_WORDS[i - nargs]}" = set ]; then
				COMPREPLY=($(compgen -W "u32 str" -- "$cur"))
			else
				COMPREPLY=($(compgen -W "u32 str mem label" -- "$cur"))
			fi
		elif ((nargs == 0)); then
			COMPREPLY=($(compgen -W "list get set del" -- "$cur"))
		elif [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "-t" -- "$cur"))
		elif [[ $prev == get || $prev == set || $prev == del ]] ||
			[ "${COMP_WORDS[COMP_CWORD - 2]}" = -t ]; then
			# The key: right after the verb or after -t TYPE.
			COMPREPLY=($(compgen -W "$("$prog" ds list 2>/dev/null | cut -d' ' -f1)" -- "$cur"))
		fi
		;;
	sysctl)
		if ((nargs == 0)); then
			COMPREPLY=($(compgen -W "srv_status upd_start upd_run upd_stop upd_status" -- "$cur"))
		fi
		;;
	esac
	return 0
}

complete -F _minix_service minix-service
