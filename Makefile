# mxsys: top-level build.
#
#   make                the product: kmod/mxsys.ko (when there is a kernel
#                       build tree, else a note) and user space: the daemons,
#                       minix-service, hello, libsef
#   make check          every test lane: unit tests, lint, install, man pages,
#                       Debian packages and DKMS on the host, then the VM
#                       suites (Debian kernel, then the debug kernel if any)
#   make run            boot the demo VM
#   make bench          boot the VM, run the benchmarks, print their numbers
#   make install        install-user, then install-kmod (skipped with a note
#                       when there is no kernel build tree)
#   make install-user   programs, libsef, headers, man pages, /etc/minix
#   make install-kmod   mxsys.ko under /lib/modules/RELEASE/extra, then depmod
#   make uninstall      remove what install put in place, but /etc/minix
#   make dkms-install   the module through DKMS (DKMS_KERNEL=RELEASE builds
#                       for an installed kernel other than the running one)
#   make dkms-uninstall remove it from DKMS and /usr/src
#   make deb            the Debian packages, in build/deb/ (see debian/)
#   make docs           Documentation/images/*.svg from their .dot (graphviz)
#   make test-progs     the in-guest test programs (make check, make run and
#                       tests/vm/run build them; make does not)
#
# Install directories: DESTDIR, PREFIX (default /usr/local), BINDIR (the
# commands for every user: minix-service, kv), SBINDIR (the daemons and
# root's tools),
# LIBDIR, LIBEXECDIR, INCLUDEDIR, MANDIR, SYSCONFDIR (default /etc),
# BASHCOMPDIR, SYSTEMDUNITDIR, MODULESLOADDIR. Build:
# CC, CFLAGS, CPPFLAGS, LDFLAGS (from the command line or the environment,
# as dpkg-buildflags gives them), PKG_CONFIG, KDIR (the kernel build tree).
#
# Each component describes itself in a fragment (*.mk) that adds to BINS,
# UNIT_TESTS and VM_PROGS; the rules below are shared.

# The release, in one place. libsef's file names and SONAME, libsef.pc,
# every program's --version, DKMS and the Debian packages (debian/rules
# checks that debian/changelog agrees) take it from here.
VERSION := $(strip $(file <VERSION))

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
LIBDIR ?= $(PREFIX)/lib
LIBEXECDIR ?= $(PREFIX)/libexec/mxsys
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
MODULESLOADDIR ?= $(PREFIX)/lib/modules-load.d
MODULEDIR ?= /lib/modules
KDIR ?= $(shell scripts/find-kdir)
KERNEL ?= debian
PKG_CONFIG ?= pkg-config
# make check also runs the VM suites on the debug kernel (KASAN, lockdep,
# kmemleak) when ../shared provides one; DEBUG_LANE=0 skips that lane.
DEBUG_KERNEL_DEBS := $(wildcard ../shared/debug-kernel/linux-image-*.deb)
DEBUG_LANE ?= $(if $(DEBUG_KERNEL_DEBS),1,0)
# The debug kernel is there for the module's own paths (KASAN, lockdep,
# kmemleak): the module's suites (00-17), and the user-space suites that
# drive its death, swap and signal-manager paths in ways the module's own
# do not (40 lifecycle, 50 stress, 60 recovery, 63 RS takeover, 65 live update).
# The others (DS, kv, CLI, campaigns) take kernel paths these already
# take, and on a kernel several times slower they took make check past
# 60 minutes. DEBUG_SUITES=all runs them too.
DEBUG_SUITES ?= 00-,05-,10-,11-,12-,13-,14-,15-,16-,17-,40-,50-,60-,63-,65-
# DEB_CHROOT_LANE=1: make check also installs the packages, then the source
# tree, into a fresh Debian 12 root (debootstrap; needs the network). CI
# does.
DEB_CHROOT_LANE ?= 0

O := build
CC ?= cc
CFLAGS ?= -O2 -g
WARNINGS := -Wall -Wextra -Werror
# The project's preprocessor flags come first, the caller's CPPFLAGS after
# them; `override` keeps ours when CPPFLAGS is given on the command line
# (the fragments' per-directory `CPPFLAGS +=` still apply).
# $(O)/include holds <linux/mxsys.h>, the ABI header where it is installed.
override CPPFLAGS := -D_GNU_SOURCE -I$(O)/include -Ikmod/include/uapi \
	-Ilibsef/include -Icommon $(CPPFLAGS)
ALL_CFLAGS = -std=c11 $(WARNINGS) $(CFLAGS) $(CPPFLAGS)
SANITIZE := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all

BINS :=
UNIT_TESTS :=
UNIT_TESTS_TSAN :=
VM_PROGS :=

include libsef/libsef.mk
-include common/common.mk
-include servers/ds/ds.mk
-include servers/rs/rs.mk
-include drivers/hello/hello.mk
-include tools/service/service.mk
-include tools/swifi/swifi.mk
-include tools/campaign/campaign.mk
-include examples/kv/kv.mk
-include tests/unit/unit.mk
-include tests/vm/vm.mk
-include examples/examples.mk

.PHONY: all kmod user test-progs check unit-check lint vm-check run install \
	install-user install-kmod uninstall dkms-source dkms-install \
	dkms-uninstall deb no-kdir-note FORCE
.DEFAULT_GOAL := all

all: user $(if $(KDIR),kmod,no-kdir-note)

user: $(foreach b,$(BINS),$(O)/bin/$(b)) $(LIBSEF_OUTPUTS)

test-progs: $(foreach p,$(VM_PROGS),$(O)/vm/$(p)) $(VM_COMPAT_PROGS)

kmod:
	@test -n "$(KDIR)" || { echo "no kernel build tree: set KDIR or run scripts/install-deps" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod modules

# make and make install without a kernel build tree: user space only.
no-kdir-note:
	@echo "note: no kernel build tree (no /lib/modules/$$(uname -r)/build, no" \
		"Debian linux-headers): mxsys.ko skipped, user space is complete." \
		"For the module, install the kernel headers or set KDIR, then" \
		"make kmod install-kmod; or use make dkms-install." >&2

# <linux/mxsys.h> in the build tree too, so that libsef's public headers
# include it by the name it is installed under.
$(O)/include/linux/mxsys.h: | kmod/include/uapi/mxsys.h
	@mkdir -p $(@D)
	ln -sfn $(CURDIR)/kmod/include/uapi/mxsys.h $@

# The install paths compiled into the programs (SBINDIR, and what the
# fragments pass, e.g. minix-service's rs.single under SYSCONFDIR). The file
# is rewritten only when one of them changes, so that `make install
# PREFIX=/usr` after a plain `make` recompiles what depends on them.
BAKED_PATHS := SBINDIR=$(SBINDIR) LIBEXECDIR=$(LIBEXECDIR) SYSCONFDIR=$(SYSCONFDIR)
$(O)/baked-paths: FORCE
	@mkdir -p $(@D)
	@echo '$(BAKED_PATHS)' | cmp -s - $@ 2>/dev/null || echo '$(BAKED_PATHS)' >$@

# --version in every program: common/version.o carries VERSION.
$(O)/obj/common/version.o: CPPFLAGS += -DMXSYS_VERSION='"$(VERSION)"'
$(O)/obj/common/version.o: VERSION

# Programs: NAME_SRCS, NAME_LDLIBS, NAME_DEPS (static libraries).
define program_rules
$(1)_OBJS := $$(patsubst %.c,$(O)/obj/%.o,$$($(1)_SRCS))
$$($(1)_OBJS): $(O)/baked-paths
$$($(1)_OBJS): CPPFLAGS += -DSBINDIR='"$(SBINDIR)"'
$(O)/bin/$(1): $$($(1)_OBJS) $(O)/obj/common/version.o $$($(1)_DEPS)
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS) $$(LDFLAGS) -o $$@ $$(filter %.o,$$^) $$($(1)_DEPS) $$($(1)_LDLIBS)
endef
$(foreach b,$(BINS),$(eval $(call program_rules,$(b))))

# In-guest test programs: same scheme, output under $(O)/vm.
define vm_program_rules
$(O)/vm/$(1): $$(patsubst %.c,$(O)/obj/%.o,$$($(1)_SRCS)) $$($(1)_DEPS)
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS) $$(LDFLAGS) -o $$@ $$(filter %.o,$$^) $$($(1)_DEPS) $$($(1)_LDLIBS)
endef
$(foreach p,$(VM_PROGS),$(eval $(call vm_program_rules,$(p))))

# Unit tests run under ASan and UBSan; their objects are built apart.
define unit_rules
$(O)/unit/$(1): $$(patsubst %.c,$(O)/san/%.o,$$($(1)_SRCS))
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS) $(SANITIZE) $$(LDFLAGS) -o $$@ $$^ $$($(1)_LDLIBS) $$(shell $(PKG_CONFIG) --libs check)
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_rules,$(t))))

# Unit tests of code that runs in several threads, once more under
# ThreadSanitizer (which excludes ASan): objects under $(O)/tsan.
TSAN := -fsanitize=thread -fno-omit-frame-pointer
define unit_tsan_rules
$(O)/unit/$(1): $$(patsubst %.c,$(O)/tsan/%.o,$$($(1)_SRCS))
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS) $(TSAN) -o $$@ $$^ -lpthread $$(shell $(PKG_CONFIG) --libs check)
endef
$(foreach t,$(UNIT_TESTS_TSAN),$(eval $(call unit_tsan_rules,$(t))))

$(O)/obj/%.o: %.c | $(O)/include/linux/mxsys.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(O)/pic/%.o: %.c | $(O)/include/linux/mxsys.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -fPIC -MMD -MP -c -o $@ $<

$(O)/san/%.o: %.c | $(O)/include/linux/mxsys.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SANITIZE) $$($(PKG_CONFIG) --cflags check) -MMD -MP -c -o $@ $<

$(O)/tsan/%.o: %.c | $(O)/include/linux/mxsys.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(TSAN) $$($(PKG_CONFIG) --cflags check) -MMD -MP -c -o $@ $<

-include $(shell find $(O)/obj $(O)/pic $(O)/san $(O)/tsan -name '*.d' -type f 2>/dev/null)

unit-check: $(foreach t,$(UNIT_TESTS) $(UNIT_TESTS_TSAN),$(O)/unit/$(t))
	@scripts/run-unit-tests $^

lint:
	@scripts/lint-kmod $(KDIR)

vm-check: all test-progs
	@tests/vm/run --kernel $(KERNEL) --kdir $(KDIR) --suites all

# The benchmarks (suite bench, which --suites all leaves out): IPC round
# trips, crash-to-serving (also against s6-supervise and runsv) and
# live-update blackout. Their BENCH lines, from the console log, come last,
# and as JSON in bench/results/. On a busy 2-core host the suite takes more
# than the runner's default 300 s per suite.
.PHONY: bench
bench: all test-progs
	@scripts/install-deps	# runsv and s6 for the baselines
	@tests/vm/run --kernel $(KERNEL) --kdir $(KDIR) --suites bench --suite-timeout 1200; \
	status=$$?; \
	if grep '^BENCH ' build/vm/console.log; then \
		mkdir -p bench/results; \
		out=bench/results/bench-$$(date -u +%Y%m%dT%H%M%SZ).json; \
		scripts/bench-json build/vm/console.log >$$out && echo "make bench: $$out"; \
	else \
		echo "make bench: no BENCH line in build/vm/console.log" >&2; \
	fi; \
	exit $$status

# The quick host lanes come first. The debug-kernel VM lane then runs in
# the background (check-all's &NAME) beside the install lanes, which build
# in copies of the tree (tests/install/): a TCG VM leaves about half of the
# machine idle, and this keeps `make check` within its time budget.
check:
	@scripts/install-deps
	@$(MAKE) --no-print-directory all test-progs
	@scripts/check-all "unit=$(MAKE) --no-print-directory unit-check" \
		"lint=scripts/lint-kmod $(KDIR)" \
		"docs=tests/install/docs-check" \
		"completion=tests/install/completion-check" \
		"vm=tests/vm/run --kernel $(KERNEL) --kdir $(KDIR) --timeout 2400 --suites all" \
		$(if $(filter 1,$(DEBUG_LANE)),$(if $(filter debian,$(KERNEL)), \
		"&vm-debug=tests/vm/run --kernel debug --timeout 2400 --suites $(DEBUG_SUITES)")) \
		"install=tests/install/install-check" \
		"deb=tests/install/deb-check $(KDIR)" \
		"dkms=tests/install/dkms-check $(KDIR)" \
		$(if $(filter 1,$(DEB_CHROOT_LANE)),"deb-root=tests/install/deb-chroot-check")

# The build's output goes to a log, shown only when it fails: the demo is
# what a person running it came to see.
run:
	@scripts/install-deps
	@mkdir -p $(O)
	@echo "make run: building (log: $(O)/run-build.log), then the demo in the VM"
	@$(MAKE) --no-print-directory all test-progs >$(O)/run-build.log 2>&1 || \
		{ cat $(O)/run-build.log; exit 1; }
	@tests/vm/run --kernel $(KERNEL) --kdir $(KDIR) --demo \
		$(if $(filter 1,$(INTERACTIVE)),--interactive)

# ---- install -----------------------------------------------------------------

MAN_PAGES := $(wildcard Documentation/man/*.[0-9])
# `man sef_startup`: a page per function of libsef(3), a link to it.
MAN_LINKS := $(shell scripts/man-links Documentation/man/libsef.3)
KRELEASE = $(shell scripts/kdir-release $(KDIR))

install: install-user $(if $(KDIR),install-kmod,no-kdir-note)

# ldconfig when installing for real: the loader finds a new library outside
# /usr/lib (/usr/local/lib) only once ldconfig has seen it. system.conf's
# example names hello where this install puts it.
install-user: user
	@[ "$(SYSCONFDIR)" = /etc ] || echo "warning: rs-daemon reads" \
		"/etc/minix/system.conf, whatever SYSCONFDIR says (now $(SYSCONFDIR))" >&2
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) $(DESTDIR)$(LIBEXECDIR) \
		$(DESTDIR)$(SYSCONFDIR)/minix/system.conf.d
	$(foreach b,$(BINS),install -m 755 $(O)/bin/$(b) $(DESTDIR)$($(b)_INSTALLDIR)/$(b);)
	$(LIBSEF_INSTALL)
	if [ -z "$(DESTDIR)" ]; then ldconfig; fi
	$(foreach m,$(MAN_PAGES),install -D -m 644 $(m) \
		$(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(m)))/$(notdir $(m));)
	# One page per function, as links to libsef(3): a `.so` stub would
	# be a page of its own that mandoc -T lint warns about.
	for f in $(MAN_LINKS); do \
		ln -sf libsef.3 $(DESTDIR)$(MANDIR)/man3/$$f.3 || exit 1; \
	done
	sed 's|/usr/local/libexec/mxsys|$(LIBEXECDIR)|g' etc/system.conf \
		>$(DESTDIR)$(SYSCONFDIR)/minix/system.conf
	chmod 644 $(DESTDIR)$(SYSCONFDIR)/minix/system.conf
	install -m 644 etc/system.conf.d/* \
		$(DESTDIR)$(SYSCONFDIR)/minix/system.conf.d/
	install -m 755 etc/rs.single $(DESTDIR)$(SYSCONFDIR)/minix/
	install -D -m 644 tools/service/completion.bash \
		$(DESTDIR)$(BASHCOMPDIR)/minix-service
	install -d $(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(MODULESLOADDIR)
	sed 's|/usr/local/sbin/rs-daemon|$(SBINDIR)/rs-daemon|g' etc/systemd/mxsys.service \
		>$(DESTDIR)$(SYSTEMDUNITDIR)/mxsys.service
	chmod 644 $(DESTDIR)$(SYSTEMDUNITDIR)/mxsys.service
	install -m 644 etc/modules-load.d/mxsys.conf $(DESTDIR)$(MODULESLOADDIR)/

# modprobe finds the module once depmod has indexed it; a staged install
# (DESTDIR) is indexed where it ends up.
install-kmod: kmod
	install -D -m 644 kmod/mxsys.ko $(DESTDIR)$(MODULEDIR)/$(KRELEASE)/extra/mxsys.ko
	if [ -z "$(DESTDIR)" ]; then depmod -a $(KRELEASE); fi
	@[ -n "$(DESTDIR)" ] || [ "$(KRELEASE)" = "$$(uname -r)" ] || \
		echo "note: mxsys.ko is built for kernel $(KRELEASE), not for the" \
			"running $$(uname -r): modprobe finds it only after a boot" \
			"into $(KRELEASE) (KDIR= picks another kernel tree)" >&2

# What install-user and install-kmod put in place; the configuration under
# $(SYSCONFDIR)/minix stays, as a package's conffiles do until a purge.
uninstall:
	rm -f $(foreach b,$(BINS),$(DESTDIR)$($(b)_INSTALLDIR)/$(b))
	$(LIBSEF_UNINSTALL)
	if [ -z "$(DESTDIR)" ]; then ldconfig; fi
	rm -f $(foreach m,$(MAN_PAGES),$(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(m)))/$(notdir $(m)))
	rm -f $(foreach f,$(MAN_LINKS),$(DESTDIR)$(MANDIR)/man3/$(f).3)
	rm -f $(DESTDIR)$(BASHCOMPDIR)/minix-service \
		$(DESTDIR)$(SYSTEMDUNITDIR)/mxsys.service \
		$(DESTDIR)$(MODULESLOADDIR)/mxsys.conf
	rmdir $(DESTDIR)$(LIBEXECDIR) 2>/dev/null || true
	$(if $(KDIR),rm -f $(DESTDIR)$(MODULEDIR)/$(KRELEASE)/extra/mxsys.ko)
	$(if $(KDIR),if [ -z "$(DESTDIR)" ] && [ -d $(MODULEDIR)/$(KRELEASE) ]; then depmod -a $(KRELEASE); fi)
	@echo "make uninstall: $(DESTDIR)$(SYSCONFDIR)/minix (your configuration) is left in place" >&2

# ---- documentation -------------------------------------------------------------

# The diagrams of Documentation/ (graphviz, scripts/install-deps): the SVGs
# are committed, so that the pages show them without graphviz; make docs
# draws them again after a .dot changes, and docs-check checks they agree.
.PHONY: docs
DOC_IMAGES := $(patsubst %.dot,%.svg,$(wildcard Documentation/images/*.dot))
docs: $(DOC_IMAGES)
Documentation/images/%.svg: Documentation/images/%.dot
	dot -Tsvg $< -o $@

# ---- DKMS ----------------------------------------------------------------------

# The module's sources as DKMS wants them, /usr/src/mxsys-VERSION with
# dkms.conf (its #MODULE_VERSION# filled in, as dh_dkms -V does). With
# DESTDIR, dkms-install only lays them out (for packaging); without, it
# checks that the kernel can be built for, then scripts/dkms-module adds,
# builds and installs the module for the running kernel or DKMS_KERNEL.
DKMS_SRC = $(DESTDIR)/usr/src/mxsys-$(VERSION)
DKMS_KERNEL ?=

dkms-source:
	rm -rf $(DKMS_SRC)
	install -d $(DKMS_SRC)/kmod/include/uapi
	sed '/^PACKAGE_VERSION=/s/#MODULE_VERSION#/$(VERSION)/' dkms.conf >$(DKMS_SRC)/dkms.conf
	install -m 644 kmod/Kbuild kmod/Makefile $(DKMS_SRC)/kmod/
	install -m 644 $(filter-out %.mod.c,$(wildcard kmod/*.c)) \
		$(wildcard kmod/*.h) $(DKMS_SRC)/kmod/
	install -m 644 kmod/include/uapi/mxsys.h $(DKMS_SRC)/kmod/include/uapi/

ifeq ($(DESTDIR),)
dkms-install:
	@scripts/dkms-module check $(DKMS_KERNEL)
	@$(MAKE) --no-print-directory dkms-source
	@scripts/dkms-module install $(VERSION) $(DKMS_KERNEL)
else
dkms-install: dkms-source
endif

dkms-uninstall:
	scripts/dkms-module uninstall $(VERSION)

# ---- Debian packages -----------------------------------------------------------

# dpkg-buildpackage writes its results beside the source tree: build a copy
# under build/deb/ so that they land in build/deb/, not above the checkout.
deb:
	@scripts/build-deb $(O)/deb

clean:
	rm -rf $(O)
	if [ -n "$(KDIR)" ]; then $(MAKE) -C $(KDIR) M=$(CURDIR)/kmod clean; fi
