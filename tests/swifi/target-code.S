/* SPDX-License-Identifier: MIT */
/*
 * The functions swifi-target calls, in assembly so that the instructions a
 * fault lands on are the same whatever the compiler: each has exactly the
 * instructions its test needs (see test_swifi_inject.c).
 */
	.text

/* 42: xor eax, eax; add eax, 42 (at +2, 3 bytes); ret; ud2 behind. */
	.balign 16
	.globl target_add42
	.type target_add42, @function
target_add42:
	xor %eax, %eax
	add $42, %eax
	ret
	ud2
	.size target_add42, . - target_add42

/* Its argument: xor eax, eax; mov eax, edi (at +2, 2 bytes); ret. */
	.balign 16
	.globl target_copy
	.type target_copy, @function
target_copy:
	xor %eax, %eax
	mov %edi, %eax
	ret
	.size target_copy, . - target_copy

/* 0x11223344 from mov eax, imm32 at +3: the immediate is the aligned word at +4. */
	.balign 16
	.globl target_constant
	.type target_constant, @function
target_constant:
	nop
	nop
	nop
	mov $0x11223344, %eax
	ret
	.size target_constant, . - target_constant

/* 1 if the argument is 0, else 2: the one conditional jump. */
	.balign 16
	.globl target_branch
	.type target_branch, @function
target_branch:
	mov $1, %eax
	test %edi, %edi
	jz 1f
	mov $2, %eax
1:	ret
	.size target_branch, . - target_branch

/* ((int *)rdi)[2]: the one memory operand. */
	.balign 16
	.globl target_load
	.type target_load, @function
target_load:
	mov 8(%rdi), %eax
	ret
	.size target_load, . - target_load

/* target_identity(1000), whatever the caller passed: the one argument load. */
	.balign 16
	.globl target_interface
	.type target_interface, @function
target_interface:
	sub $8, %rsp
	mov $1000, %edi
	call target_identity
	add $8, %rsp
	ret
	.size target_interface, . - target_interface

	.balign 16
	.globl target_identity
	.type target_identity, @function
target_identity:
	mov %edi, %eax
	ret
	.size target_identity, . - target_identity

/* 77 from a local initialised over the argument (red zone). */
	.balign 16
	.globl target_init
	.type target_init, @function
target_init:
	mov %edi, -4(%rsp)
	movl $77, -4(%rsp)
	mov -4(%rsp), %eax
	ret
	.size target_init, . - target_init

/*
 * Hold r12 = 0x5555aaaa5555aaaa, set *rsi = 1 to say so, spin until
 * *rdi != 0, return r12.
 */
	.balign 16
	.globl target_spin
	.type target_spin, @function
target_spin:
	push %r12
	movabs $0x5555aaaa5555aaaa, %r12
	movl $1, (%rsi)
1:	mov (%rdi), %eax
	test %eax, %eax
	jz 1b
	mov %r12, %rax
	pop %r12
	ret
	.size target_spin, . - target_spin

	.section .note.GNU-stack, "", @progbits
