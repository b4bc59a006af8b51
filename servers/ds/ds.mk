# ds-daemon: the Data Store.
BINS += ds-daemon
ds-daemon_SRCS := servers/ds/main.c servers/ds/store.c
ds-daemon_DEPS := $(O)/libsef.a
ds-daemon_LDLIBS :=
ds-daemon_INSTALLDIR := $(SBINDIR)

UNIT_TESTS += test_ds_store
test_ds_store_SRCS := tests/unit/test_ds_store.c servers/ds/store.c
test_ds_store_LDLIBS :=
