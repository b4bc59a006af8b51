# minix-service: the service CLI (generic netlink through libnl-genl-3).
BINS += minix-service
minix-service_SRCS := tools/service/main.c tools/service/parse.c \
	tools/service/options.c tools/service/nl.c tools/service/reply.c \
	tools/service/print.c tools/service/errors.c tools/service/event.c \
	tools/service/monitor.c tools/service/slots.c common/duration.c \
	common/json.c tools/service/logs.c \
	tools/service/ds.c tools/service/ds_run.c
minix-service_DEPS := $(O)/libsef.a
minix-service_LDLIBS := $(shell $(PKG_CONFIG) --libs libnl-genl-3.0)
minix-service_INSTALLDIR := $(BINDIR)

# `run` = `up -script` the script that takes the service down, installed
# from etc/rs.single under SYSCONFDIR (make install).
SERVICE_CPPFLAGS := $(shell $(PKG_CONFIG) --cflags libnl-genl-3.0) \
	-DRS_SINGLE_SCRIPT='"$(SYSCONFDIR)/minix/rs.single"'
$(O)/obj/tools/service/%.o: CPPFLAGS += $(SERVICE_CPPFLAGS)
$(O)/san/tools/service/%.o: CPPFLAGS += $(SERVICE_CPPFLAGS)
$(O)/san/tests/unit/test_service_%.o: CPPFLAGS += $(SERVICE_CPPFLAGS)

# Error texts: the CLI's own, and libsef's table of error names.
SERVICE_ERRORS_SRCS := tools/service/errors.c libsef/errors.c
UNIT_TESTS += test_service_parse test_service_print test_service_reply \
	test_service_event test_service_logs
test_service_logs_SRCS := tests/unit/test_service_logs.c tools/service/logs.c \
	tests/unit/scratch_dir.c $(SERVICE_ERRORS_SRCS)
test_service_parse_SRCS := tests/unit/test_service_parse.c \
	tools/service/parse.c tools/service/options.c \
	$(SERVICE_ERRORS_SRCS) common/duration.c
test_service_print_SRCS := tests/unit/test_service_print.c \
	tools/service/print.c tools/service/event.c \
	$(SERVICE_ERRORS_SRCS) common/json.c
test_service_print_LDLIBS := $(shell $(PKG_CONFIG) --libs libnl-genl-3.0)
test_service_reply_SRCS := tests/unit/test_service_reply.c \
	tools/service/reply.c $(SERVICE_ERRORS_SRCS)
test_service_reply_LDLIBS := $(shell $(PKG_CONFIG) --libs libnl-genl-3.0)
test_service_event_SRCS := tests/unit/test_service_event.c \
	tools/service/event.c $(SERVICE_ERRORS_SRCS)
test_service_event_LDLIBS := $(shell $(PKG_CONFIG) --libs libnl-genl-3.0)

# `minix-service ds`: its parsing and printing, and the request's checks.
UNIT_TESTS += test_service_ds
test_service_ds_SRCS := tests/unit/test_service_ds.c tools/service/ds.c \
	libsef/ds_admin.c $(SERVICE_ERRORS_SRCS)
