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

/* The open counter: monotonic while the process lives. */
void hello_set_open_count(int count);
int hello_open_count(void);

#endif /* HELLO_H */
