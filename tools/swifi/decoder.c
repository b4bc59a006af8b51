// SPDX-License-Identifier: MIT
/* A capstone handle for x86-64 with two reusable instruction buffers. */
#include "decoder.h"

#include <stdio.h>
#include <string.h>

int decoder_open(struct decoder *decoder, char *err, size_t errlen)
{
	cs_err r;

	memset(decoder, 0, sizeof(*decoder));
	r = cs_open(CS_ARCH_X86, CS_MODE_64, &decoder->handle);
	if (r == CS_ERR_OK)
		r = cs_option(decoder->handle, CS_OPT_DETAIL, CS_OPT_ON);
	if (r != CS_ERR_OK) {
		snprintf(err, errlen, "capstone: %s", cs_strerror(r));
		if (decoder->handle)
			cs_close(&decoder->handle);
		return -1;
	}
	decoder->insn = cs_malloc(decoder->handle);
	decoder->other = cs_malloc(decoder->handle);
	if (!decoder->insn || !decoder->other) {
		snprintf(err, errlen, "capstone: out of memory");
		decoder_close(decoder);
		return -1;
	}
	return 0;
}

void decoder_close(struct decoder *decoder)
{
	if (decoder->insn)
		cs_free(decoder->insn, 1);
	if (decoder->other)
		cs_free(decoder->other, 1);
	if (decoder->handle)
		cs_close(&decoder->handle);
	memset(decoder, 0, sizeof(*decoder));
}

static bool decode_into(struct decoder *decoder, cs_insn *insn,
			const uint8_t *bytes, size_t len, uint64_t address)
{
	const uint8_t *code = bytes;
	size_t size = len < X86_MAX_INSN_LEN ? len : X86_MAX_INSN_LEN;

	return cs_disasm_iter(decoder->handle, &code, &size, &address, insn);
}

bool decoder_decode(struct decoder *decoder, const uint8_t *bytes, size_t len,
		    uint64_t address)
{
	return decode_into(decoder, decoder->insn, bytes, len, address);
}

bool decoder_decode_other(struct decoder *decoder, const uint8_t *bytes,
			  size_t len, uint64_t address)
{
	return decode_into(decoder, decoder->other, bytes, len, address);
}

void decoder_disassemble(struct decoder *decoder, const uint8_t *bytes,
			 size_t len, uint64_t address, char *out, size_t outlen)
{
	size_t used = 0, at = 0;
	int n;

	if (outlen == 0)
		return;
	out[0] = '\0';
	while (at < len && used < outlen) {
		const char *sep = at ? "; " : "";

		if (decode_into(decoder, decoder->other, bytes + at, len - at,
				address + at)) {
			const cs_insn *insn = decoder->other;

			n = snprintf(out + used, outlen - used, "%s%s%s%s", sep,
				     insn->mnemonic, insn->op_str[0] ? " " : "",
				     insn->op_str);
			at += insn->size;
		} else {
			/* The rest is no instruction that starts here. */
			n = snprintf(out + used, outlen - used, "%s(bad)", sep);
			at = len;
		}
		if (n < 0)
			break;
		used += (size_t)n;
	}
}
