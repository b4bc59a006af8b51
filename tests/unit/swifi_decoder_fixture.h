/* SPDX-License-Identifier: MIT */
/* A capstone decoder opened before each mxsys-swifi test and closed after. */
#ifndef TESTS_UNIT_SWIFI_DECODER_FIXTURE_H
#define TESTS_UNIT_SWIFI_DECODER_FIXTURE_H

#include "decoder.h"

extern struct decoder decoder;

void decoder_fixture_setup(void);
void decoder_fixture_teardown(void);

#endif /* TESTS_UNIT_SWIFI_DECODER_FIXTURE_H */
