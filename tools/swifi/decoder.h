/* SPDX-License-Identifier: MIT */
/*
 * x86-64 decoding through capstone 4 (Debian's libcapstone-dev), with
 * instruction details on: every decision mxsys-swifi makes about an
 * instruction is taken from capstone's reading of it.
 */
#ifndef MXSYS_SWIFI_DECODER_H
#define MXSYS_SWIFI_DECODER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <capstone/capstone.h>

/* The longest x86 instruction. */
#define X86_MAX_INSN_LEN	15

struct decoder {
	csh handle;
	cs_insn *insn;		/* decoder_decode()'s result */
	cs_insn *other;		/* decoder_decode_other()'s result */
};

/* Returns 0, or -1 with a message in err (errlen bytes). */
int decoder_open(struct decoder *decoder, char *err, size_t errlen);
void decoder_close(struct decoder *decoder);

/*
 * Decode the one instruction at the start of bytes (len bytes available)
 * into decoder->insn; false if the bytes are no valid instruction.
 */
bool decoder_decode(struct decoder *decoder, const uint8_t *bytes, size_t len,
		    uint64_t address);
/* The same into decoder->other, so that two can be compared. */
bool decoder_decode_other(struct decoder *decoder, const uint8_t *bytes,
			  size_t len, uint64_t address);

/*
 * The instructions of bytes[0..len) as text, "mov eax, edi; ret";
 * "(bad)" for bytes that decode as nothing. Always NUL-terminated.
 */
void decoder_disassemble(struct decoder *decoder, const uint8_t *bytes,
			 size_t len, uint64_t address, char *out, size_t outlen);

#endif /* MXSYS_SWIFI_DECODER_H */
