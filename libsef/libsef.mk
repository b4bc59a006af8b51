# libsef: libsef.a, and libsef.so as a versioned chain: the library itself,
# libsef.so.VERSION; its SONAME libsef.so.MAJOR, the name programs load;
# libsef.so, the name -lsef links. MAJOR, VERSION's first number, is raised
# when libsef's ABI changes incompatibly. libsef.pc is written at install
# time, with the directories of that install.
LIBSEF_SRCS := $(wildcard libsef/*.c)
LIBSEF_SONAME := libsef.so.$(firstword $(subst ., ,$(VERSION)))
LIBSEF_REALNAME := libsef.so.$(VERSION)
LIBSEF_OUTPUTS_STATIC := $(O)/libsef.a
LIBSEF_OUTPUTS_SHARED := $(O)/$(LIBSEF_REALNAME) $(O)/$(LIBSEF_SONAME) $(O)/libsef.so
LIBSEF_OUTPUTS := $(LIBSEF_OUTPUTS_STATIC) $(LIBSEF_OUTPUTS_SHARED)
LIBSEF_HEADERS := $(wildcard libsef/include/minix/*.h)

$(O)/libsef.a: $(patsubst %.c,$(O)/obj/%.o,$(LIBSEF_SRCS))
	@mkdir -p $(@D)
	rm -f $@; $(AR) rcs $@ $^

$(O)/$(LIBSEF_REALNAME): $(patsubst %.c,$(O)/pic/%.o,$(LIBSEF_SRCS))
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -shared -Wl,-soname,$(LIBSEF_SONAME) -o $@ $^

# The links, in the build tree as in the installed one, so that a program
# linked against $(O) runs with LD_LIBRARY_PATH=$(O).
$(O)/$(LIBSEF_SONAME): $(O)/$(LIBSEF_REALNAME)
	ln -sf $(LIBSEF_REALNAME) $@
$(O)/libsef.so: $(O)/$(LIBSEF_SONAME)
	ln -sf $(LIBSEF_SONAME) $@

# Recipes for the top-level install-user and uninstall. The ABI header goes
# where the uapi headers of out-of-tree modules go, <linux/mxsys.h>, which
# is where libsef's headers include it from.
define LIBSEF_INSTALL
install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/minix \
	$(DESTDIR)$(INCLUDEDIR)/linux
install -m 644 $(O)/libsef.a $(DESTDIR)$(LIBDIR)/
install -m 644 $(O)/$(LIBSEF_REALNAME) $(DESTDIR)$(LIBDIR)/
ln -sf $(LIBSEF_REALNAME) $(DESTDIR)$(LIBDIR)/$(LIBSEF_SONAME)
ln -sf $(LIBSEF_SONAME) $(DESTDIR)$(LIBDIR)/libsef.so
sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	libsef/libsef.pc.in >$(DESTDIR)$(LIBDIR)/pkgconfig/libsef.pc
chmod 644 $(DESTDIR)$(LIBDIR)/pkgconfig/libsef.pc
install -m 644 $(LIBSEF_HEADERS) $(DESTDIR)$(INCLUDEDIR)/minix/
install -m 644 kmod/include/uapi/mxsys.h $(DESTDIR)$(INCLUDEDIR)/linux/mxsys.h
endef

define LIBSEF_UNINSTALL
rm -f $(addprefix $(DESTDIR)$(LIBDIR)/,libsef.a $(LIBSEF_REALNAME) \
	$(LIBSEF_SONAME) libsef.so pkgconfig/libsef.pc)
rm -f $(addprefix $(DESTDIR)$(INCLUDEDIR)/minix/,$(notdir $(LIBSEF_HEADERS))) \
	$(DESTDIR)$(INCLUDEDIR)/linux/mxsys.h
rmdir $(DESTDIR)$(INCLUDEDIR)/minix 2>/dev/null || true
endef

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
UNIT_TESTS += test_sef_receive test_sef_lu test_sef_signal test_sef_dump
test_sef_dump_SRCS := tests/unit/test_sef_dump.c $(SEF_FAKE_SRCS)
test_sef_receive_SRCS := tests/unit/test_sef_receive.c $(SEF_FAKE_SRCS)
test_sef_lu_SRCS := tests/unit/test_sef_lu.c $(SEF_FAKE_SRCS)
test_sef_signal_SRCS := tests/unit/test_sef_signal.c $(SEF_FAKE_SRCS)

# libsef from many threads on a thread-safe fake of its own; once more
# under ThreadSanitizer, which fails it on any data race.
SEF_THREADS_SRCS := tests/unit/test_sef_threads.c \
	$(filter-out libsef/ipc.c libsef/kernel_call.c libsef/sef_slot.c,$(LIBSEF_SRCS))
UNIT_TESTS += test_sef_threads
test_sef_threads_SRCS := $(SEF_THREADS_SRCS)
test_sef_threads_LDLIBS := -lpthread
UNIT_TESTS_TSAN += test_sef_threads_tsan
test_sef_threads_tsan_SRCS := $(SEF_THREADS_SRCS)
