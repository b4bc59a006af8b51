// SPDX-License-Identifier: MIT
/* The decoder fixture of the mxsys-swifi unit tests. */
#include "swifi_decoder_fixture.h"

#include <check.h>

struct decoder decoder;

void decoder_fixture_setup(void)
{
	char err[128];

	ck_assert_int_eq(decoder_open(&decoder, err, sizeof(err)), 0);
}

void decoder_fixture_teardown(void)
{
	decoder_close(&decoder);
}
