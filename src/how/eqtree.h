/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Long lists of "argument == value" rules, compiled without libseccomp.
 *
 * libseccomp 2.5 takes time quadratic in the rules on one call (each
 * addition walks the call's whole rule tree, and its code generator
 * resolves jumps by search), and its program tests the values one after
 * the other. A call whose rules all compare the same 32-bit argument for
 * equality with distinct values needs neither: at most one rule can
 * match, so the order libseccomp would give them cannot matter, and a
 * binary search over the sorted values finds it. seccomp.c decides which
 * calls qualify; this builds their program. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "how/seccomp.h"

struct eq_case {
	uint32_t value;  /* the argument's low 32 bits */
	uint32_t action; /* a SECCOMP_RET_ value, never ALLOW */
};

struct eq_call {
	int nr;                /* native call number */
	unsigned arg;          /* 0 to 5, a 32-bit argument */
	struct eq_case *cases; /* distinct values, sorted by eqtree_sort */
	size_t n;
};

/* Sort c's cases by value; false when two have the same value (such a
 * call stays with libseccomp, which says whether the rules collide). */
bool eqtree_sort(struct eq_call *c);

/* A program that returns a case's action when a native call's argument
 * equals its value, and ALLOW otherwise (for chaining, see seccomp.c).
 * Returns 0, or -E2BIG when it would be longer than the kernel allows. */
int eqtree_build(struct eq_call *calls, size_t n_calls, struct how_program *out);
