// SPDX-License-Identifier: MIT
/*
 * swifi-target: the deterministic process that test_swifi_inject injects
 * faults into. It prints the addresses the tests need, "ready", then
 * answers one command per line of stdin with one line:
 *   add42 | copy N | constant | branch N | load | interface N | init N
 *       the result of that function of target-code.S, in decimal
 *   sum data|bss|heap|stack   the sum of that array of 64 words
 *   deref                     the int behind pointer_var
 *   spin                      target_spin until SIGUSR1; prints r12 in hex
 *   loop                      target_branch(0) until SIGUSR1; prints "looped"
 * Nothing here is timed: every answer depends on the code and data only.
 */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WORDS	64

int target_add42(void);
int target_copy(int x);
int target_constant(void);
int target_branch(int x);
int target_load(const int *table);
int target_interface(int x);
int target_init(int x);
uint64_t target_spin(volatile int *stop, volatile int *ready);

uint64_t data_words[WORDS] = { 1, 2, 3, 4, 5, 6, 7, 8 };	/* .data */
uint64_t bss_words[WORDS];					/* .bss */
static int pointed = 4711;
static int *volatile pointer_var;				/* .bss */
static volatile sig_atomic_t stop;
static volatile int spin_stop, spin_ready;
static volatile int signals_seen;

static void on_usr1(int sig)
{
	(void)sig;
	stop = 1;
	spin_stop = 1;
	signals_seen++;
}

static uint64_t sum(const uint64_t *words)
{
	uint64_t total = 0;

	for (int i = 0; i < WORDS; i++)
		total += words[i];
	return total;
}

int main(void)
{
	uint64_t stack_words[WORDS];
	uint64_t *heap_words = malloc(WORDS * sizeof(*heap_words));
	int table[WORDS];
	char line[128];
	int n = 0;

	if (!heap_words)
		return 1;
	for (int i = 0; i < WORDS; i++) {
		stack_words[i] = 1000u + (unsigned int)i;
		heap_words[i] = 2000u + (unsigned int)i;
		table[i] = 1000 + i;
	}
	pointer_var = &pointed;
	signal(SIGUSR1, on_usr1);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("addr target_add42 %p\naddr target_copy %p\naddr target_constant %p\n"
	       "addr data_words %p\naddr bss_words %p\naddr heap_words %p\n"
	       "addr stack_words %p\naddr pointer_var %p\naddr pointed %p\n"
	       "addr spin_ready %p\naddr signals_seen %p\nready\n",
	       (void *)target_add42, (void *)target_copy, (void *)target_constant,
	       (void *)data_words, (void *)bss_words, (void *)heap_words,
	       (void *)stack_words, (void *)&pointer_var, (void *)&pointed,
	       (void *)&spin_ready, (void *)&signals_seen);

	while (fgets(line, sizeof(line), stdin)) {
		char word[16] = "", what[16] = "";

		if (sscanf(line, "%15s %d", word, &n) < 1)
			continue;
		sscanf(line, "%*s %15s", what);
		if (!strcmp(word, "add42"))
			printf("%d\n", target_add42());
		else if (!strcmp(word, "copy"))
			printf("%d\n", target_copy(n));
		else if (!strcmp(word, "constant"))
			printf("%d\n", target_constant());
		else if (!strcmp(word, "branch"))
			printf("%d\n", target_branch(n));
		else if (!strcmp(word, "load"))
			printf("%d\n", target_load(table));
		else if (!strcmp(word, "interface"))
			printf("%d\n", target_interface(n));
		else if (!strcmp(word, "init"))
			printf("%d\n", target_init(n));
		else if (!strcmp(word, "sum"))
			printf("%" PRIu64 "\n", sum(!strcmp(what, "data") ? data_words :
						   !strcmp(what, "bss") ? bss_words :
						   !strcmp(what, "heap") ? heap_words :
						   stack_words));
		else if (!strcmp(word, "deref"))
			printf("%d\n", *pointer_var);
		else if (!strcmp(word, "spin"))
			printf("%" PRIx64 "\n", target_spin(&spin_stop, &spin_ready));
		else if (!strcmp(word, "loop")) {
			while (!stop)
				target_branch(0);
			printf("looped\n");
		} else
			printf("unknown command\n");
	}
	free(heap_words);
	return 0;
}
