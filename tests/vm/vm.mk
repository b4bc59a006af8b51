# In-guest test programs: every tests/vm/progs/NAME.c is one program,
# linked with libsef. They are installed in the guest under /tests/bin.
VM_PROGS := $(basename $(notdir $(wildcard tests/vm/progs/*.c)))
$(foreach p,$(VM_PROGS),$(eval $(p)_SRCS := tests/vm/progs/$(p).c))
$(foreach p,$(VM_PROGS),$(eval $(p)_DEPS := $(O)/libsef.a))
