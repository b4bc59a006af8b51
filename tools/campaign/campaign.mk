# mxsys-campaign: fault-injection campaigns. The C program (classifying and
# recording runs, the device reader, the report) and the runner script it
# executes (LIBEXECDIR/campaign-run); the pure parts are unit-tested on
# the host. See Documentation/experiments.md.
CAMPAIGN_PURE_SRCS := tools/campaign/stats.c tools/campaign/run.c \
	tools/campaign/reads.c tools/campaign/report.c \
	tools/campaign/timeline.c common/rng.c
BINS += mxsys-campaign
mxsys-campaign_SRCS := tools/campaign/main.c $(CAMPAIGN_PURE_SRCS) common/json.c
mxsys-campaign_LDLIBS := -lm
mxsys-campaign_INSTALLDIR := $(SBINDIR)
$(O)/obj/tools/campaign/main.o: CPPFLAGS += -Icommon -DLIBEXECDIR='"$(LIBEXECDIR)"'

UNIT_TESTS += test_campaign_stats test_campaign_run
test_campaign_stats_SRCS := tests/unit/test_campaign_stats.c \
	tools/campaign/stats.c common/rng.c
test_campaign_stats_LDLIBS := -lm
$(O)/san/tests/unit/test_campaign_stats.o: CPPFLAGS += -Itools/campaign
test_campaign_run_SRCS := tests/unit/test_campaign_run.c $(CAMPAIGN_PURE_SRCS)
test_campaign_run_LDLIBS := -lm
$(O)/san/tests/unit/test_campaign_run.o: CPPFLAGS += -Itools/campaign
# collect (make experiment's report off the console), run with the built
# mxsys-campaign.
UNIT_TESTS += test_campaign_collect
test_campaign_collect_SRCS := tests/unit/test_campaign_collect.c \
	tests/unit/scratch_dir.c
$(O)/san/tests/unit/test_campaign_collect.o: CPPFLAGS += \
	-DCAMPAIGN_BIN='"$(O)/bin/mxsys-campaign"'
$(O)/unit/test_campaign_collect: | $(O)/bin/mxsys-campaign

# The runner script is no program of BINS: installed (and removed) by
# these hooks on install-user and uninstall.
.PHONY: install-campaign-run uninstall-campaign-run
install-user: install-campaign-run
install-campaign-run:
	install -D -m 755 tools/campaign/campaign-run \
		$(DESTDIR)$(LIBEXECDIR)/campaign-run
uninstall: uninstall-campaign-run
uninstall-campaign-run:
	rm -f $(DESTDIR)$(LIBEXECDIR)/campaign-run

# make experiment: the full campaigns in the VM (suite experiment-campaign)
# and MINIX's kill-every-second experiment (suite experiment-kill), then
# the campaigns' report on the host from the CAMPAIGN lines of the
# console: experiments/results/TIMESTAMP/{minix,single,replica,golden}/ with
# runs.csv, table.txt, summary.csv and the plots, and kill-every.txt with
# the KILLEXP lines. MINIX_RUNS injections per type of 100 faults each
# into each of MINIX_TARGETS (hello,kv,ds,testsvc; 15 runs: 10,500
# faults into each), RUNS
# injections per type of the single-fault campaigns (10), CAMPAIGNS the
# kinds to run (minix,single,replica,golden), SEED the campaigns' seed,
# KILL_SECONDS each kill-every phase's length (6 phases: 30 s is about 5
# minutes). A run takes about 10 s in the emulated VM on a 2-core host:
# the defaults (860 runs) take about 2.5 to 3.5 hours.
# EXPERIMENTS=experiment-kill runs only that one.
MINIX_RUNS ?= 15
RUNS ?= 10
SEED ?= 1
CAMPAIGNS ?= minix,single,replica,golden
MINIX_TARGETS ?= hello,kv,ds,testsvc
KILL_SECONDS ?= 30
EXPERIMENTS ?= experiment-campaign,experiment-kill
# 20 s a run at most, in the suite's time limit (4 targets counted).
EXPERIMENT_TIMEOUT = $$(((28 * $(MINIX_RUNS) + 44 * $(RUNS)) * 20))
.PHONY: experiment
experiment: all test-progs
	@scripts/install-deps	# runsv for the kill-every-second baseline
	@tests/vm/run --kernel $(KERNEL) --kdir $(KDIR) \
		--suites $(EXPERIMENTS) --append \
		"campaign_runs=$(RUNS) campaign_minix_runs=$(MINIX_RUNS) campaign_kinds=$(CAMPAIGNS) campaign_minix_targets=$(MINIX_TARGETS) campaign_seed=$(SEED) kill_seconds=$(KILL_SECONDS)" \
		--suite-timeout $(EXPERIMENT_TIMEOUT) --timeout $$(($(EXPERIMENT_TIMEOUT) + 1200)); \
	rc=$$?; \
	dir=experiments/results/$$(date -u +%Y%m%dT%H%M%SZ); \
	mkdir -p $$dir; \
	tr -d '\r' <build/vm/console.log | grep -a '^KILLEXP ' >$$dir/kill-every.txt || true; \
	if grep -q '^CAMPAIGN ' build/vm/console.log; then \
		tools/campaign/collect build/vm/console.log $$dir $(O)/bin/mxsys-campaign || rc=1; \
	fi; \
	exit $$rc
