/* SPDX-License-Identifier: MIT */
/* hello: the example driver. The device half and the SEF half meet here. */
#ifndef HELLO_H
#define HELLO_H

#define HELLO_MESSAGE		"Hello, World!\n"
#define HELLO_DEVICE_NAME	"hello"

/*
 * Create /dev/hello through CUSE and serve it from a thread of its own.
 * Returns OK once the kernel has registered the device, or a negative
 * error (with a message on stderr). If the session dies later, the
 * process exits: a driver without its device is of no use to anyone.
 */
int hello_device_start(void);

/*
 * The same, once a previous instance's /dev/hello has gone away; -EBUSY
 * if it is still there after timeout_ms.
 */
int hello_device_start_when_free(unsigned int timeout_ms);

/*
 * A live update's new version: the old process keeps /dev/hello until RS
 * kills it at the commit, so create the device in the background as soon
 * as the name is free. Returns OK once that thread runs; if the name never
 * frees, the process exits.
 */
int hello_device_start_later(void);

/* The open counter: monotonic while the process lives. */
void hello_set_open_count(int count);
int hello_open_count(void);

/*
 * The device thread calls it after each open, with the new count: the SEF
 * half publishes it in DS (HELLO_OPENS_KEY), from that thread, while the
 * main thread goes on serving RS in sef_receive().
 */
void hello_opened(int count);

#define HELLO_OPENS_KEY		"drv.chr." HELLO_DEVICE_NAME ".opens"

#endif /* HELLO_H */
