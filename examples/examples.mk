# examples/: services written as a user would (Documentation/tutorial.md),
# built here for the VM, where suite 76-tutorial runs the tutorial's
# commands on them. examples/ticker/Makefile builds ticker against an
# installed libsef instead.
VM_PROGS += ticker
ticker_SRCS := examples/ticker/ticker.c
ticker_DEPS := $(O)/libsef.a
