# kv: the example network service (examples/kv/README.md, kv(8)): a
# key/value server that keeps its sockets, connections and protocol state
# in the fd store and its keys in DS; its client and load generator.
KV_PURE := examples/kv/proto.c examples/kv/conn.c examples/kv/store_cache.c
BINS += kv-server kv kv-load
kv-server_SRCS := examples/kv/server.c examples/kv/store_ds.c \
	examples/kv/store_file.c examples/kv/net.c $(KV_PURE)
kv-server_DEPS := $(O)/libsef.a
kv-server_LDLIBS := -lpthread
kv-server_INSTALLDIR := $(LIBEXECDIR)
kv_SRCS := examples/kv/client.c examples/kv/net.c examples/kv/proto.c
kv_INSTALLDIR := $(BINDIR)
kv-load_SRCS := examples/kv/load.c examples/kv/net.c examples/kv/model.c \
	examples/kv/events.c examples/kv/proto.c common/rng.c
kv-load_LDLIBS := -lm
kv-load_INSTALLDIR := $(LIBEXECDIR)

UNIT_TESTS += test_kv_proto test_kv_conn test_kv_events
test_kv_events_SRCS := tests/unit/test_kv_events.c examples/kv/events.c
test_kv_proto_SRCS := tests/unit/test_kv_proto.c examples/kv/proto.c
test_kv_conn_SRCS := tests/unit/test_kv_conn.c $(KV_PURE) examples/kv/model.c
$(O)/san/tests/unit/test_kv_%.o: CPPFLAGS += -Iexamples/kv
