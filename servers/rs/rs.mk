# rs-daemon, the Reincarnation Server.
RS_NL_CFLAGS := $(shell $(PKG_CONFIG) --cflags libnl-genl-3.0)
RS_NL_LIBS := $(shell $(PKG_CONFIG) --libs libnl-genl-3.0)
RS_CAP_LIBS := $(shell $(PKG_CONFIG) --libs libcap)
RS_CONFIG_SRCS := servers/rs/config.c servers/rs/configfile.c common/duration.c

BINS += rs-daemon
rs-daemon_SRCS := servers/rs/main.c servers/rs/manager.c \
	servers/rs/dispatch.c servers/rs/request.c servers/rs/nl.c \
	servers/rs/service.c servers/rs/exec.c servers/rs/timer.c \
	servers/rs/policy.c servers/rs/cmdline.c servers/rs/log.c \
	servers/rs/instance.c servers/rs/script.c $(RS_CONFIG_SRCS) \
	servers/rs/update.c servers/rs/update_params.c \
	servers/rs/caller.c servers/rs/message.c servers/rs/launch.c \
	servers/rs/svclog.c \
	servers/rs/image.c servers/rs/snapshot.c servers/rs/recovery.c \
	servers/rs/standby.c servers/rs/takeover.c servers/rs/binary.c \
	servers/rs/ds_relay.c servers/rs/dump.c servers/rs/granted_page.c
rs-daemon_DEPS := $(O)/libsef.a
# libsystemd: sd_notify for mxsys.service (Type=notify), and a journal
# stream per service (svclog.c).
RS_SYSTEMD_LIBS := $(shell $(PKG_CONFIG) --libs libsystemd)
rs-daemon_LDLIBS := $(RS_NL_LIBS) $(RS_CAP_LIBS) $(RS_SYSTEMD_LIBS)
rs-daemon_INSTALLDIR := $(SBINDIR)

$(O)/obj/servers/rs/%.o: CPPFLAGS += $(RS_NL_CFLAGS)

# Pure parts, tested on the host.
UNIT_TESTS += test_rs_policy test_rs_cmdline test_rs_service test_rs_config \
	test_rs_exec test_rs_update_params test_rs_log
test_rs_log_SRCS := tests/unit/test_rs_log.c servers/rs/log.c
test_rs_policy_SRCS := tests/unit/test_rs_policy.c servers/rs/policy.c
test_rs_cmdline_SRCS := tests/unit/test_rs_cmdline.c servers/rs/cmdline.c
test_rs_service_SRCS := tests/unit/test_rs_service.c servers/rs/service.c \
	servers/rs/image.c servers/rs/timer.c
test_rs_config_SRCS := tests/unit/test_rs_config.c tests/unit/scratch_dir.c \
	$(RS_CONFIG_SRCS) \
	servers/rs/cmdline.c servers/rs/log.c
test_rs_config_LDLIBS := $(RS_CAP_LIBS)
# Privilege dropping in the child: needs root, else its tests skip.
test_rs_exec_SRCS := tests/unit/test_rs_exec.c tests/unit/scratch_dir.c \
	servers/rs/exec.c \
	$(RS_CONFIG_SRCS) servers/rs/cmdline.c servers/rs/log.c
test_rs_exec_LDLIBS := $(RS_CAP_LIBS)
test_rs_update_params_SRCS := tests/unit/test_rs_update_params.c \
	servers/rs/update_params.c
# Per-service logs: lines, priorities, files and rotation, with real pipes.
UNIT_TESTS += test_rs_svclog
test_rs_svclog_SRCS := tests/unit/test_rs_svclog.c tests/unit/scratch_dir.c \
	servers/rs/svclog.c servers/rs/log.c \
	libsef/sef_fd.c libsef/kernel_call.c libsef/ipc.c libsef/errors.c
test_rs_svclog_LDLIBS := $(RS_SYSTEMD_LIBS)

# The state machine on a fake module (tests/unit/test_rs_fake.c): the files
# that decide, as rs-daemon links them, with the ones that reach the
# module, start processes, run scripts, read the clock and send netlink
# replies (libsef's ipc.c and kernel_call.c, exec.c, script.c, timer.c,
# nl.c) replaced by the fake.
RS_MACHINE_SRCS := tests/unit/test_rs_fake.c tests/unit/fake_module.c \
	tests/unit/scratch_dir.c \
	servers/rs/manager.c servers/rs/update.c servers/rs/request.c \
	servers/rs/dispatch.c servers/rs/instance.c servers/rs/launch.c \
	servers/rs/message.c servers/rs/caller.c servers/rs/service.c \
	servers/rs/policy.c servers/rs/cmdline.c servers/rs/update_params.c \
	servers/rs/log.c servers/rs/svclog.c $(RS_CONFIG_SRCS) \
	libsef/syslib.c libsef/errors.c \
	servers/rs/image.c servers/rs/snapshot.c servers/rs/recovery.c \
	servers/rs/standby.c servers/rs/takeover.c servers/rs/binary.c \
	servers/rs/ds_relay.c servers/rs/dump.c servers/rs/granted_page.c \
	libsef/ds_admin.c
RS_MACHINE_TESTS := test_rs_life test_rs_requests test_rs_update test_rs_takeover \
	test_rs_shutdown
UNIT_TESTS += $(RS_MACHINE_TESTS)
$(foreach t,$(RS_MACHINE_TESTS),$(eval $(t)_SRCS := tests/unit/$(t).c $(RS_MACHINE_SRCS)))
$(foreach t,$(RS_MACHINE_TESTS),$(eval $(t)_LDLIBS := $(RS_CAP_LIBS) $(RS_SYSTEMD_LIBS)))
