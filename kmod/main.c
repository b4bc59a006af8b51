// SPDX-License-Identifier: GPL-2.0
/*
 * mxsys: MINIX 3 privilege slots, message IPC and death detection.
 * This file only brings the parts up and down, in order.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <net/genetlink.h>

#include "death.h"
#include "device.h"
#include "netlink.h"
#include "signal.h"
#include "slot.h"

static int __init mx_mod_init(void)
{
	int ret;

	ret = mx_slot_init();
	if (ret)
		return ret;
	ret = mx_signal_init();
	if (ret)
		goto err_signal;
	ret = mx_death_init();
	if (ret)
		goto err_death;
	ret = mx_netlink_init();
	if (ret)
		goto err_netlink;
	ret = mx_device_init();
	if (ret)
		goto err_device;
	pr_info("loaded, %u slots\n", mx_nr_slots);
	return 0;

err_device:
	mx_netlink_uninit();
err_netlink:
	mx_death_uninit();
err_death:
	mx_signal_uninit();
err_signal:
	mx_slot_uninit();
	return ret;
}

static void __exit mx_mod_exit(void)
{
	mx_device_uninit();
	mx_netlink_uninit();
	mx_death_uninit();
	mx_signal_uninit();
	mx_slot_uninit();
	pr_info("unloaded\n");
}

module_init(mx_mod_init);
module_exit(mx_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("MINIX 3 privilege slots, message IPC and death detection");
MODULE_ALIAS_GENL_FAMILY(MXSYS_GENL_NAME);
