# mxsys-swifi: the ptrace fault injector (capstone decodes, libelf reads
# the symbols), its unit tests, and its integration test against
# tests/swifi/swifi-target.
SWIFI_PURE_SRCS := tools/swifi/fault.c tools/swifi/decoder.c \
	tools/swifi/classify.c tools/swifi/select_code.c \
	tools/swifi/select_memory.c tools/swifi/select_thread.c \
	tools/swifi/describe.c tools/swifi/symbols.c tools/swifi/maps.c \
	tools/swifi/debugreg.c tools/swifi/options.c common/rng.c
SWIFI_SRCS := $(SWIFI_PURE_SRCS) tools/swifi/main.c tools/swifi/inject.c \
	tools/swifi/elf_image.c tools/swifi/target.c tools/swifi/tracee.c \
	tools/swifi/activation.c
SWIFI_LDLIBS := $(shell pkg-config --libs capstone libelf)
SWIFI_CPPFLAGS := $(shell pkg-config --cflags capstone libelf)

BINS += mxsys-swifi
mxsys-swifi_SRCS := $(SWIFI_SRCS)
mxsys-swifi_LDLIBS := $(SWIFI_LDLIBS)
mxsys-swifi_INSTALLDIR := $(SBINDIR)

$(O)/obj/tools/swifi/%.o: CPPFLAGS += $(SWIFI_CPPFLAGS)
$(O)/san/tools/swifi/%.o: CPPFLAGS += $(SWIFI_CPPFLAGS)
$(O)/san/tests/unit/test_swifi_%.o: CPPFLAGS += $(SWIFI_CPPFLAGS) -Itools/swifi

UNIT_TESTS += test_swifi_classify test_swifi_select test_swifi_describe \
	test_swifi_options test_swifi_parse
test_swifi_classify_SRCS := tests/unit/test_swifi_classify.c $(SWIFI_PURE_SRCS)
test_swifi_classify_LDLIBS := $(SWIFI_LDLIBS)
test_swifi_select_SRCS := tests/unit/test_swifi_select.c $(SWIFI_PURE_SRCS)
test_swifi_select_LDLIBS := $(SWIFI_LDLIBS)
test_swifi_describe_SRCS := tests/unit/test_swifi_describe.c $(SWIFI_PURE_SRCS)
test_swifi_describe_LDLIBS := $(SWIFI_LDLIBS)
test_swifi_options_SRCS := tests/unit/test_swifi_options.c $(SWIFI_PURE_SRCS)
test_swifi_options_LDLIBS := $(SWIFI_LDLIBS)
test_swifi_parse_SRCS := tests/unit/test_swifi_parse.c $(SWIFI_PURE_SRCS)
test_swifi_parse_LDLIBS := $(SWIFI_LDLIBS)
