/* SPDX-License-Identifier: MIT */
/* hello: the example driver. The device half and the SEF half meet here. */
#ifndef HELLO_H
#define HELLO_H

#define HELLO_MESSAGE		"Hello, World!\n"
#define HELLO_DEVICE_NAME	"hello"

/*
 * Serve /dev/hello through CUSE from a thread of its own: the session the
 * slot's fd store keeps from an earlier instance (a crash, a restart or a
 * live update of this endpoint), with the request it left unanswered, or
 * a new one, then kept in the store. Returns OK once the device is served,
 * or a negative error (with a message on stderr). If the session dies
 * later, the process exits: a driver without its device is of no use.
 */
int hello_device_start(void);

/*
 * A live update: stop taking requests once the one being served is done,
 * so that the new version can take the session over. OK when stopped,
 * -ENOTREADY if a request is still being served after a while.
 */
int hello_device_pause(void);
/* The update did not happen: take requests again. */
void hello_device_resume(void);

/* Tests: every read waits ms before it answers (a request to crash in). */
void hello_set_stall_read(unsigned int ms);

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
