# minix-service: the service CLI (generic netlink through libnl-genl-3).
BINS += minix-service
minix-service_SRCS := tools/service/main.c tools/service/parse.c \
	tools/service/nl.c tools/service/reply.c tools/service/print.c \
	tools/service/errors.c
minix-service_LDLIBS := $(shell pkg-config --libs libnl-genl-3.0)
minix-service_INSTALLDIR := $(SBINDIR)
SERVICE_NL_CFLAGS := $(shell pkg-config --cflags libnl-genl-3.0)
$(O)/obj/tools/service/%.o: CPPFLAGS += $(SERVICE_NL_CFLAGS)
$(O)/san/tools/service/%.o: CPPFLAGS += $(SERVICE_NL_CFLAGS)
$(O)/san/tests/unit/test_service_%.o: CPPFLAGS += $(SERVICE_NL_CFLAGS)

UNIT_TESTS += test_service_parse test_service_print test_service_reply
test_service_parse_SRCS := tests/unit/test_service_parse.c \
	tools/service/parse.c tools/service/errors.c
test_service_print_SRCS := tests/unit/test_service_print.c \
	tools/service/print.c tools/service/errors.c
test_service_reply_SRCS := tests/unit/test_service_reply.c \
	tools/service/reply.c tools/service/errors.c
test_service_reply_LDLIBS := $(shell pkg-config --libs libnl-genl-3.0)
