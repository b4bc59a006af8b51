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
UNIT_TESTS += test_sef_init test_sef_events
test_sef_init_SRCS := tests/unit/test_sef_init.c libsef/sef_init.c \
	libsef/sef_panic.c libsef/ipc.c
test_sef_events_SRCS := tests/unit/test_sef_events.c $(LIBSEF_SRCS)
