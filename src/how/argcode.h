/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The program of the calls argtree.c takes from libseccomp: for each call,
 * groups of sorted, disjoint value ranges, each searched in time
 * logarithmic in its ranges. Internal to src/how/ (argtree.h says which
 * rules get here and why their order cannot matter). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <linux/seccomp.h>
#include <stdint.h>

#include "how/seccomp.h"

/* The values of "argument & mask" in [lo, hi] get action. */
struct arg_span {
	uint64_t lo, hi;
	uint32_t action; /* a SECCOMP_RET_ value, never ALLOW */
};

/* The spans of one argument under one mask, sorted and disjoint. */
struct arg_group {
	unsigned arg;  /* 0 to 5 */
	bool wide;     /* all 64 bits of the register count, not the low 32 */
	uint64_t mask; /* within 32 bits unless wide */
	struct arg_span *spans;
	size_t n, cap;
};

/* Groups tested one after the other, the first span that holds the
 * argument answering; with a first condition (a group whose spans answer
 * HOLDS), only where that holds. */
struct arg_segment {
	struct arg_group *first; /* NULL for none */
	struct arg_group *groups;
	size_t n_groups, cap_groups;
};

/* A call whose segments are tested one after the other: the first that
 * answers does, and a call none answers is allowed. */
struct arg_call {
	int nr; /* native call number */
	struct arg_segment *segments;
	size_t n_segments;
};

/* The action of a first condition's spans (see arg_segment): never one
 * of a program's answers. */
#define ARG_HOLDS (SECCOMP_RET_ALLOW | 1)

/* Room for one more element of size bytes at the end of *v, which holds
 * *n of *cap and doubles when full; returned for the caller to fill. */
void *arg_push(void **v, size_t *n, size_t *cap, size_t size);

/* One program for every call: a foreign architecture, another call, or
 * a value no span holds gets ALLOW (for chaining, see seccomp.c).
 * Returns 0, or -E2BIG when it would be longer than the kernel allows. */
int argcode_build(const struct arg_call *calls, size_t n_calls, struct how_program *out);
