# The campaign runner's pure parts; so far its statistics, unit-tested on
# the host. The runner itself (mxsys-campaign) comes with the targets.
UNIT_TESTS += test_campaign_stats
test_campaign_stats_SRCS := tests/unit/test_campaign_stats.c \
	tools/campaign/stats.c common/rng.c
test_campaign_stats_LDLIBS := -lm
$(O)/san/tests/unit/test_campaign_stats.o: CPPFLAGS += -Itools/campaign
