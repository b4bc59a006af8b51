# ds-daemon: the Data Store.
DS_STORE_SRCS := servers/ds/store.c servers/ds/journal.c
BINS += ds-daemon
ds-daemon_SRCS := servers/ds/main.c servers/ds/admin.c servers/ds/follow.c \
	servers/ds/jfile.c $(DS_STORE_SRCS)
ds-daemon_DEPS := $(O)/libsef.a
ds-daemon_LDLIBS := -lpthread
ds-daemon_INSTALLDIR := $(SBINDIR)

UNIT_TESTS += test_ds_store test_ds_journal
test_ds_store_SRCS := tests/unit/test_ds_store.c $(DS_STORE_SRCS)
test_ds_store_LDLIBS :=
test_ds_journal_SRCS := tests/unit/test_ds_journal.c $(DS_STORE_SRCS)
test_ds_journal_LDLIBS :=
UNIT_TESTS += test_ds_follow
test_ds_follow_SRCS := tests/unit/test_ds_follow.c servers/ds/follow.c \
	servers/ds/jfile.c $(DS_STORE_SRCS)
test_ds_follow_LDLIBS := -lpthread

# libsef's DS client on the fake mxsys (libsef/libsef.mk's SEF_FAKE_SRCS).
UNIT_TESTS += test_ds_client
test_ds_client_SRCS = tests/unit/test_ds_client.c $(SEF_FAKE_SRCS)
test_ds_client_LDLIBS :=
