/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Long lists of argument rules, compiled without libseccomp.
 *
 * libseccomp 2.5 takes time quadratic in the rules on one call (each
 * addition walks the call's whole rule tree, and its code generator
 * resolves jumps by search), and its program tests the rules one after
 * the other. A call with many rules, each of one comparison (== != < <=
 * > >= or & MASK ==, on a 32- or 64-bit argument, any of them), needs
 * neither when the order of the rules cannot change the answer:
 *
 * - the rules on one argument under one mask are sets of values: sorted
 *   and merged, they become disjoint ranges, and a binary search finds
 *   the one that holds the argument, if any. Two rules whose values
 *   overlap must then have the same action;
 * - rules on several arguments (or masks) of the call may all hold at
 *   once: they must all have the same action, and the first that holds
 *   gives it;
 * - rules of two comparisons, with one action too, share their first
 *   comparison: tested once, then a search of the second ones.
 *
 * Any other call (a rule of three comparisons or more, overlapping rules
 * with different actions, which libseccomp may refuse, or fewer rules
 * than argtree_min_rules) stays with libseccomp. argcode.c builds the
 * program. */
#pragma once

#include <seccomp.h>
#include <stdbool.h>
#include <stddef.h>

#include "how/seccomp.h"

struct argtree;

/* Calls with fewer rules than this go to libseccomp, whose program is then
 * as good, unless a rule compares with < <= > or >= (libseccomp 2.5.4
 * miscompiles some sets of those, see test-rulesets.c). Tests set it to 1
 * (every call the search can take) or to UINT_MAX (none at all), to
 * compare both ways on the same rules. */
extern unsigned argtree_min_rules;

/* < <= > or >=: the tests libseccomp 2.5.4 miscompiles in some sets. */
bool argtree_is_order(enum scmp_compare op);

struct argtree *argtree_new(void);
void argtree_free(struct argtree *t);

/* Rule "cmps[0..n) all hold: action" on known call, comparisons as given
 * to args32_encode (not encoded). */
void argtree_add(struct argtree *t, size_t call, uint32_t action, unsigned n,
		 const struct scmp_arg_cmp *cmps);

/* The program of every call it takes (picked[call] set), in out, which
 * stays empty when none is taken. 0, or -E2BIG when the program would be
 * too long (nothing is picked then). */
int argtree_build(struct argtree *t, bool *picked, struct how_program *out);
