# hello: the example driver, /dev/hello through CUSE.
BINS += hello
hello_SRCS := drivers/hello/main.c drivers/hello/device.c
hello_DEPS := $(O)/libsef.a
hello_LDLIBS := $(shell $(PKG_CONFIG) --libs fuse3)
hello_INSTALLDIR := $(LIBEXECDIR)

$(O)/obj/drivers/hello/%.o: CPPFLAGS += $(shell $(PKG_CONFIG) --cflags fuse3)
