# mxsys-swifi: the ptrace fault injector (capstone decodes, libelf reads
# the symbols), its unit tests, and its integration test against
# tests/swifi/swifi-target.
SWIFI_PURE_SRCS := tools/swifi/fault.c tools/swifi/decoder.c \
	tools/swifi/classify.c tools/swifi/select_code.c \
	tools/swifi/select_memory.c tools/swifi/select_thread.c \
	tools/swifi/describe.c tools/swifi/symbols.c tools/swifi/maps.c \
	tools/swifi/debugreg.c tools/swifi/options.c tools/swifi/coverage_plan.c \
	common/rng.c common/json.c \
	common/duration.c
SWIFI_SRCS := $(SWIFI_PURE_SRCS) tools/swifi/main.c tools/swifi/inject.c \
	tools/swifi/elf_image.c tools/swifi/target.c tools/swifi/tracee.c \
	tools/swifi/activation.c tools/swifi/window.c tools/swifi/coverage.c
SWIFI_LDLIBS := $(shell pkg-config --libs capstone libelf)
SWIFI_CPPFLAGS := $(shell pkg-config --cflags capstone libelf)

BINS += mxsys-swifi
mxsys-swifi_SRCS := $(SWIFI_SRCS)
mxsys-swifi_LDLIBS := $(SWIFI_LDLIBS)
mxsys-swifi_INSTALLDIR := $(SBINDIR)

$(O)/obj/tools/swifi/%.o: CPPFLAGS += $(SWIFI_CPPFLAGS)
$(O)/san/tools/swifi/%.o: CPPFLAGS += $(SWIFI_CPPFLAGS)
$(O)/san/tests/unit/test_swifi_%.o $(O)/san/tests/unit/swifi_%.o: \
	CPPFLAGS += $(SWIFI_CPPFLAGS) -Itools/swifi

UNIT_TESTS += test_swifi_classify test_swifi_select test_swifi_describe \
	test_swifi_options test_swifi_parse
test_swifi_classify_SRCS := tests/unit/test_swifi_classify.c \
	tests/unit/swifi_decoder_fixture.c $(SWIFI_PURE_SRCS)
test_swifi_classify_LDLIBS := $(SWIFI_LDLIBS)
test_swifi_select_SRCS := tests/unit/test_swifi_select.c \
	tests/unit/swifi_decoder_fixture.c $(SWIFI_PURE_SRCS)
test_swifi_select_LDLIBS := $(SWIFI_LDLIBS)
test_swifi_describe_SRCS := tests/unit/test_swifi_describe.c $(SWIFI_PURE_SRCS)
test_swifi_describe_LDLIBS := $(SWIFI_LDLIBS)
test_swifi_options_SRCS := tests/unit/test_swifi_options.c $(SWIFI_PURE_SRCS)
test_swifi_options_LDLIBS := $(SWIFI_LDLIBS)
test_swifi_parse_SRCS := tests/unit/test_swifi_parse.c $(SWIFI_PURE_SRCS)
test_swifi_parse_LDLIBS := $(SWIFI_LDLIBS)

# Host integration test: mxsys-swifi against swifi-target (a plain program:
# ptrace needs no module). Built without sanitizers, as a service would be;
# the target's fault sites are in assembly (tests/swifi/target-code.S) so
# they do not depend on the compiler. swifi-idle32 is a 32-bit process to
# be refused.
SWIFI_TARGET := $(O)/swifi/swifi-target
SWIFI_IDLE32 := $(O)/swifi/swifi-idle32
$(SWIFI_TARGET): tests/swifi/swifi-target.c tests/swifi/target-code.S
	@mkdir -p $(@D)
	$(CC) -std=c11 $(WARNINGS) -O1 -g -D_GNU_SOURCE -o $@ $^
$(SWIFI_IDLE32): tests/swifi/idle.c
	@mkdir -p $(@D)
	$(CC) -m32 -std=c11 $(WARNINGS) -O1 -o $@ $^

UNIT_TESTS += test_swifi_inject
test_swifi_inject_SRCS := tests/swifi/test_swifi_inject.c
$(O)/san/tests/swifi/test_swifi_inject.o: CPPFLAGS += \
	-DSWIFI_BIN='"$(CURDIR)/$(O)/bin/mxsys-swifi"' \
	-DSWIFI_TARGET='"$(CURDIR)/$(SWIFI_TARGET)"' \
	-DSWIFI_IDLE32='"$(CURDIR)/$(SWIFI_IDLE32)"'
# Order-only: the test runs these programs; it does not link them.
$(O)/unit/test_swifi_inject: | $(O)/bin/mxsys-swifi $(SWIFI_TARGET) $(SWIFI_IDLE32)
