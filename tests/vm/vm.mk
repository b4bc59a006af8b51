# In-guest test programs: every tests/vm/progs/NAME.c is one program,
# linked with libsef. They are installed in the guest under /tests/bin.
VM_PROGS := $(basename $(notdir $(wildcard tests/vm/progs/*.c)))
$(foreach p,$(VM_PROGS),$(eval $(p)_SRCS := tests/vm/progs/$(p).c))
$(foreach p,$(VM_PROGS),$(eval $(p)_DEPS := $(O)/libsef.a))

# tests/vm/run reads this when `make install` fails because a part is not
# built yet: one "built-file install-dir" line per program.
.PHONY: vm-manifest
vm-manifest:
	@$(foreach b,$(BINS),echo '$(O)/bin/$(b) $($(b)_INSTALLDIR)';)
