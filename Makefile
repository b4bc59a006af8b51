# mxsys: top-level build.
#
#   make              the product: kernel module (kmod/mxsys.ko) and user
#                     space (daemons, minix-service, hello, libsef)
#   make check        unit tests on the host, then the VM suites (Debian
#                     kernel, then the debug kernel when there is one)
#   make run          boot the demo VM
#   make bench        boot the VM, run the benchmarks, print their numbers
#   make install      DESTDIR and PREFIX honoured
#   make test-progs   the in-guest test programs (make check, make run and
#                     tests/vm/run build them; make does not)
#
# Each component describes itself in a fragment (*.mk) that adds to BINS,
# LIBS_STATIC, UNIT_TESTS and VM_PROGS; the rules below are shared.

# The release, in one place: every program's --version takes it from here.
VERSION := $(strip $(file <VERSION))

PREFIX ?= /usr/local
DESTDIR ?=
SBINDIR ?= $(PREFIX)/sbin
LIBDIR ?= $(PREFIX)/lib
LIBEXECDIR ?= $(PREFIX)/libexec/mxsys
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
KDIR ?= $(shell scripts/find-kdir)
KERNEL ?= debian
# make check also runs the VM suites on the debug kernel (KASAN, lockdep,
# kmemleak) when ../shared provides one; DEBUG_LANE=0 skips that lane.
DEBUG_KERNEL_DEBS := $(wildcard ../shared/debug-kernel/linux-image-*.deb)
DEBUG_LANE ?= $(if $(DEBUG_KERNEL_DEBS),1,0)

O := build
CC ?= cc
CFLAGS ?= -O2 -g
WARNINGS := -Wall -Wextra -Werror
# $(O)/include holds <linux/mxsys.h>, the ABI header where it is installed.
CPPFLAGS += -D_GNU_SOURCE -I$(O)/include -Ikmod/include/uapi -Ilibsef/include -Icommon \
	-DSBINDIR='"$(SBINDIR)"'
ALL_CFLAGS = -std=c11 $(WARNINGS) $(CFLAGS) $(CPPFLAGS)
SANITIZE := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all

BINS :=
UNIT_TESTS :=
VM_PROGS :=

include libsef/libsef.mk
-include servers/ds/ds.mk
-include servers/rs/rs.mk
-include drivers/hello/hello.mk
-include tools/service/service.mk
-include tests/unit/unit.mk
-include tests/vm/vm.mk

.PHONY: all kmod user test-progs check unit-check lint vm-check run install dkms-install clean
.DEFAULT_GOAL := all

all: kmod user

user: $(foreach b,$(BINS),$(O)/bin/$(b)) $(LIBSEF_OUTPUTS)

test-progs: $(foreach p,$(VM_PROGS),$(O)/vm/$(p)) $(VM_COMPAT_PROGS)

kmod:
	@test -n "$(KDIR)" || { echo "no kernel build tree: set KDIR or run scripts/install-deps" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod modules

# <linux/mxsys.h> in the build tree too, so that libsef's public headers
# include it by the name it is installed under.
$(O)/include/linux/mxsys.h: | kmod/include/uapi/mxsys.h
	@mkdir -p $(@D)
	ln -sfn $(CURDIR)/kmod/include/uapi/mxsys.h $@

# --version in every program: common/version.o carries VERSION.
$(O)/obj/common/version.o: CPPFLAGS += -DMXSYS_VERSION='"$(VERSION)"'
$(O)/obj/common/version.o: VERSION

# Programs: NAME_SRCS, NAME_LDLIBS, NAME_DEPS (static libraries).
define program_rules
$(O)/bin/$(1): $$(patsubst %.c,$(O)/obj/%.o,$$($(1)_SRCS)) $(O)/obj/common/version.o $$($(1)_DEPS)
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS) -o $$@ $$(filter %.o,$$^) $$($(1)_DEPS) $$($(1)_LDLIBS)
endef
$(foreach b,$(BINS),$(eval $(call program_rules,$(b))))

# In-guest test programs: same scheme, output under $(O)/vm.
define vm_program_rules
$(O)/vm/$(1): $$(patsubst %.c,$(O)/obj/%.o,$$($(1)_SRCS)) $$($(1)_DEPS)
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS) -o $$@ $$(filter %.o,$$^) $$($(1)_DEPS) $$($(1)_LDLIBS)
endef
$(foreach p,$(VM_PROGS),$(eval $(call vm_program_rules,$(p))))

# Unit tests run under ASan and UBSan; their objects are built apart.
define unit_rules
$(O)/unit/$(1): $$(patsubst %.c,$(O)/san/%.o,$$($(1)_SRCS))
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS) $(SANITIZE) -o $$@ $$^ $$($(1)_LDLIBS) $$(shell pkg-config --libs check)
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_rules,$(t))))

$(O)/obj/%.o: %.c | $(O)/include/linux/mxsys.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(O)/pic/%.o: %.c | $(O)/include/linux/mxsys.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -fPIC -MMD -MP -c -o $@ $<

$(O)/san/%.o: %.c | $(O)/include/linux/mxsys.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SANITIZE) $$(pkg-config --cflags check) -MMD -MP -c -o $@ $<

-include $(shell find $(O)/obj $(O)/pic $(O)/san -name '*.d' -type f 2>/dev/null)

unit-check: $(foreach t,$(UNIT_TESTS),$(O)/unit/$(t))
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

check:
	@scripts/install-deps
	@$(MAKE) --no-print-directory all test-progs
	@scripts/check-all "unit=$(MAKE) --no-print-directory unit-check" \
		"lint=scripts/lint-kmod $(KDIR)" \
		"vm=tests/vm/run --kernel $(KERNEL) --kdir $(KDIR) --suites all" \
		$(if $(filter 1,$(DEBUG_LANE)),$(if $(filter debian,$(KERNEL)), \
		"vm-debug=tests/vm/run --kernel debug --suites all"))

run:
	@scripts/install-deps
	@$(MAKE) --no-print-directory all test-progs
	@tests/vm/run --kernel $(KERNEL) --kdir $(KDIR) --demo \
		$(if $(filter 1,$(INTERACTIVE)),--interactive)

install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(LIBEXECDIR) \
		$(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/minix \
		$(DESTDIR)$(SYSCONFDIR)/minix/system.conf.d
	$(foreach b,$(BINS),install -m 755 $(O)/bin/$(b) $(DESTDIR)$($(b)_INSTALLDIR)/$(b);)
	install -m 644 $(LIBSEF_OUTPUTS_STATIC) $(DESTDIR)$(LIBDIR)/
	install -m 755 $(LIBSEF_OUTPUTS_SHARED) $(DESTDIR)$(LIBDIR)/
	install -m 644 $(O)/libsef.pc $(DESTDIR)$(LIBDIR)/pkgconfig/
	install -m 644 libsef/include/minix/*.h $(DESTDIR)$(INCLUDEDIR)/minix/
	install -d $(DESTDIR)$(INCLUDEDIR)/linux
	install -m 644 kmod/include/uapi/mxsys.h $(DESTDIR)$(INCLUDEDIR)/linux/mxsys.h
	if [ -d Documentation/man ]; then for m in Documentation/man/*.[0-9]; do \
		s=$${m##*.}; install -d $(DESTDIR)$(MANDIR)/man$$s; \
		install -m 644 $$m $(DESTDIR)$(MANDIR)/man$$s/; done; fi
	install -m 644 etc/system.conf $(DESTDIR)$(SYSCONFDIR)/minix/
	install -m 644 etc/system.conf.d/* \
		$(DESTDIR)$(SYSCONFDIR)/minix/system.conf.d/
	install -m 755 etc/rs.single $(DESTDIR)$(SYSCONFDIR)/minix/
	if [ -n "$(KDIR)" ] && [ -f kmod/mxsys.ko ]; then \
		install -d $(DESTDIR)/lib/modules/$$(scripts/kdir-release $(KDIR))/extra; \
		install -m 644 kmod/mxsys.ko $(DESTDIR)/lib/modules/$$(scripts/kdir-release $(KDIR))/extra/; fi

# DKMS: the module's sources under /usr/src/mxsys-VERSION, then dkms add and
# install (for the running kernel, or DKMS_KERNEL=release).
DKMS_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
DKMS_SRC := $(DESTDIR)/usr/src/mxsys-$(DKMS_VERSION)
DKMS_KERNEL ?=
dkms-install:
	rm -rf $(DKMS_SRC)
	install -d $(DKMS_SRC)/kmod/include/uapi
	install -m 644 dkms.conf $(DKMS_SRC)/
	install -m 644 kmod/Kbuild kmod/Makefile $(DKMS_SRC)/kmod/
	install -m 644 $(filter-out %.mod.c,$(wildcard kmod/*.c)) \
		$(wildcard kmod/*.h) $(DKMS_SRC)/kmod/
	install -m 644 kmod/include/uapi/mxsys.h $(DKMS_SRC)/kmod/include/uapi/
	if [ -z "$(DESTDIR)" ]; then \
		dkms remove -m mxsys -v $(DKMS_VERSION) --all >/dev/null 2>&1 || true; \
		dkms add -m mxsys -v $(DKMS_VERSION) && \
		dkms install -m mxsys -v $(DKMS_VERSION) \
			$(if $(DKMS_KERNEL),-k $(DKMS_KERNEL)); fi

clean:
	rm -rf $(O)
	if [ -n "$(KDIR)" ]; then $(MAKE) -C $(KDIR) M=$(CURDIR)/kmod clean; fi
