# libsef: libsef.a, libsef.so, libsef.pc
LIBSEF_SRCS := $(wildcard libsef/*.c)
LIBSEF_OUTPUTS_STATIC := $(O)/libsef.a
LIBSEF_OUTPUTS_SHARED := $(O)/libsef.so
LIBSEF_OUTPUTS := $(LIBSEF_OUTPUTS_STATIC) $(LIBSEF_OUTPUTS_SHARED) $(O)/libsef.pc

$(O)/libsef.a: $(patsubst %.c,$(O)/obj/%.o,$(LIBSEF_SRCS))
	@mkdir -p $(@D)
	rm -f $@; $(AR) rcs $@ $^

$(O)/libsef.so: $(patsubst %.c,$(O)/pic/%.o,$(LIBSEF_SRCS))
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -shared -Wl,-soname,libsef.so.0 -o $@ $^

$(O)/libsef.pc: libsef/libsef.pc.in
	@mkdir -p $(@D)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' $< > $@

# Unit tests of libsef's pure logic (built with the sources under test).
UNIT_TESTS += test_sef_init test_sef_events test_sef_errors
test_sef_init_SRCS := tests/unit/test_sef_init.c libsef/sef_init.c \
	libsef/sef_panic.c libsef/ipc.c libsef/errors.c
test_sef_errors_SRCS := tests/unit/test_sef_errors.c libsef/errors.c
test_sef_events_SRCS := tests/unit/test_sef_events.c $(LIBSEF_SRCS)

# Unit tests of SEF's protocols: libsef on a fake mxsys (scripted messages
# and kernel calls, tests/unit/test_sef_fake.c) instead of the files that
# reach the module.
SEF_FAKE_SRCS := tests/unit/test_sef_fake.c tests/unit/fake_module.c \
	$(filter-out libsef/ipc.c libsef/kernel_call.c libsef/sef_slot.c,$(LIBSEF_SRCS))
UNIT_TESTS += test_sef_receive test_sef_lu test_sef_signal
test_sef_receive_SRCS := tests/unit/test_sef_receive.c $(SEF_FAKE_SRCS)
test_sef_lu_SRCS := tests/unit/test_sef_lu.c $(SEF_FAKE_SRCS)
test_sef_signal_SRCS := tests/unit/test_sef_signal.c $(SEF_FAKE_SRCS)
