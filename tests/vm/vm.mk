# In-guest test programs: every tests/vm/progs/NAME.c is one program,
# linked with libsef and with the shared harness tests/vm/progs/lib/mxtest.c
# (programs that do not use it just carry it; it defines no main). They are
# installed in the guest under /tests/bin. `make test-progs` builds them
# (make check, make run and tests/vm/run do), `make` does not.
VM_PROGS := $(basename $(notdir $(wildcard tests/vm/progs/*.c)))
VM_PROGS_LIB := tests/vm/progs/lib/mxtest.c
$(foreach p,$(VM_PROGS),$(eval $(p)_SRCS := tests/vm/progs/$(p).c $(VM_PROGS_LIB)))
$(foreach p,$(VM_PROGS),$(eval $(p)_DEPS := $(O)/libsef.a))

# The programs and the harness include "mxtest.h"; the flag stays off the
# rest of the tree.
$(O)/obj/tests/vm/progs/%.o: CPPFLAGS += -Itests/vm/progs/lib

# Some programs again as static 32-bit programs: the same tests through the
# module's compat ioctl path (suite 11-compat). Needs gcc-multilib.
VM_COMPAT_PROGS := $(O)/vm/ipc-test32 $(O)/vm/grant-test32 $(O)/vm/fd-test32
$(O)/vm/%32: tests/vm/progs/%.c $(VM_PROGS_LIB) $(LIBSEF_SRCS) \
		$(wildcard tests/vm/progs/lib/*.h libsef/*.h libsef/include/minix/*.h) \
		kmod/include/uapi/mxsys.h | $(O)/include/linux/mxsys.h
	@mkdir -p $(@D)
	$(CC) -m32 -static $(ALL_CFLAGS) $(LDFLAGS) -Itests/vm/progs/lib -o $@ \
		$(filter %.c,$^)

# tcp-socketbinder uses kv's socket helpers (bench.sh's kv baselines).
tcp-socketbinder_SRCS += examples/kv/net.c
