// SPDX-License-Identifier: MIT
/* swifi-idle32: a 32-bit process for mxsys-swifi to refuse (not x86-64). */
#include <unistd.h>

int main(void)
{
	for (;;)
		pause();
}
