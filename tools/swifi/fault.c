// SPDX-License-Identifier: MIT
/* Names of the fault types and activation results, as printed and parsed. */
#include "fault.h"

#include <string.h>
#include <strings.h>

static const char *const type_names[FAULT_TYPE_COUNT] = {
	[FAULT_TEXT] = "text",
	[FAULT_NOP] = "nop",
	[FAULT_DST] = "dst",
	[FAULT_SRC] = "src",
	[FAULT_BRANCH] = "branch",
	[FAULT_PTR] = "ptr",
	[FAULT_LOOP] = "loop",
	[FAULT_INTERFACE] = "interface",
	[FAULT_INIT] = "init",
	[FAULT_STOP] = "stop",
	[FAULT_RANDOM] = "random",
	[FAULT_DATA] = "data",
	[FAULT_BSS] = "bss",
	[FAULT_HEAP] = "heap",
	[FAULT_STACK] = "stack",
	[FAULT_REGISTER] = "reg",
	[FAULT_POINTER] = "pointer",
	[FAULT_WHILE1] = "while1",
	[FAULT_HANG] = "hang",
	[FAULT_SIGNAL] = "signal",
};

const char *fault_type_name(enum fault_type type)
{
	if ((unsigned int)type >= FAULT_TYPE_COUNT)
		return "?";
	return type_names[type];
}

bool fault_type_parse(const char *name, enum fault_type *type)
{
	for (unsigned int t = 0; t < FAULT_TYPE_COUNT; t++) {
		if (strcasecmp(name, type_names[t]) == 0) {
			*type = (enum fault_type)t;
			return true;
		}
	}
	return false;
}

bool fault_type_is_code(enum fault_type type)
{
	return (unsigned int)type < FAULT_CODE_TYPES;
}

bool fault_type_is_memory(enum fault_type type)
{
	return type == FAULT_DATA || type == FAULT_BSS || type == FAULT_HEAP ||
	       type == FAULT_STACK || type == FAULT_POINTER;
}

const char *activation_name(enum activation activation)
{
	switch (activation) {
	case ACTIVATION_NOT_WATCHED:
		return "not-watched";
	case ACTIVATION_REACHED:
		return "reached";
	case ACTIVATION_OVERWRITTEN:
		return "overwritten";
	case ACTIVATION_NOT_REACHED:
		return "not-reached";
	case ACTIVATION_TARGET_GONE:
		return "target-gone";
	}
	return "?";
}

void fault_init(struct fault *fault, enum fault_type type, uint64_t seed)
{
	memset(fault, 0, sizeof(*fault));
	fault->type = type;
	fault->seed = seed;
	fault->bit = -1;
	fault->activation = ACTIVATION_NOT_WATCHED;
}
