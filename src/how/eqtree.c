/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "how/eqtree.h"

#include <assert.h>
#include <errno.h>
#include <linux/seccomp.h>
#include <stdlib.h>

#include "how/arch.h"
#include "util.h"

/* Up to this many values are tested one after the other: each costs one
 * instruction, while a step of the binary search costs one or two. */
#define LEAF 16

static int cmp_case(const void *a, const void *b)
{
	uint32_t x = ((const struct eq_case *)a)->value, y = ((const struct eq_case *)b)->value;
	return (x > y) - (x < y);
}

bool eqtree_sort(struct eq_call *c)
{
	qsort(c->cases, c->n, sizeof(*c->cases), cmp_case);
	for (size_t i = 1; i < c->n; i++)
		if (c->cases[i].value == c->cases[i - 1].value)
			return false;
	return true;
}

/* The distinct actions of a leaf, in order of first use. */
static size_t leaf_actions(const struct eq_case *cases, size_t n, uint32_t *actions)
{
	size_t d = 0;
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;
		while (k < d && actions[k] != cases[i].action)
			k++;
		if (k == d)
			actions[d++] = cases[i].action;
	}
	return d;
}

static size_t tree_len(const struct eq_case *cases, size_t n)
{
	if (n <= LEAF) {
		uint32_t actions[LEAF];
		return n + 1 + leaf_actions(cases, n, actions);
	}
	size_t half = n / 2, left = tree_len(cases, half);
	/* A conditional jump reaches 255 instructions; further needs a JA. */
	return (left <= 255 ? 1 : 2) + left + tree_len(cases + half, n - half);
}

struct emit {
	struct sock_filter *f;
	size_t at;
};

static void put(struct emit *e, struct sock_filter insn)
{
	e->f[e->at++] = insn;
}

/* A leaf: a test for each value, "allow", then one return per action, so
 * that a list with one action costs one instruction per value. */
static void emit_leaf(struct emit *e, const struct eq_case *cases, size_t n)
{
	uint32_t actions[LEAF];
	size_t d = leaf_actions(cases, n, actions);
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;
		while (actions[k] != cases[i].action)
			k++;
		put(e, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, cases[i].value,
						    (uint8_t)(n - i + k), 0));
	}
	put(e, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
	for (size_t k = 0; k < d; k++)
		put(e, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, actions[k]));
}

/* Search cases[0..n) for A: values from the middle one up are in the
 * upper half, which comes after the lower one. */
static void emit_tree(struct emit *e, const struct eq_case *cases, size_t n)
{
	if (n <= LEAF) {
		emit_leaf(e, cases, n);
		return;
	}
	size_t half = n / 2, left = tree_len(cases, half);
	uint32_t mid = cases[half].value;
	if (left <= 255) {
		put(e, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, mid, (uint8_t)left, 0));
	} else {
		put(e, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, mid, 0, 1));
		put(e, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA, (uint32_t)left, 0, 0));
	}
	emit_tree(e, cases, half);
	emit_tree(e, cases + half, n - half);
}

static uint32_t low_half_of(unsigned arg)
{
	const size_t low = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? 0 : 4;
	return (uint32_t)(offsetof(struct seccomp_data, args[arg]) + low);
}

int eqtree_build(struct eq_call *calls, size_t n_calls, struct how_program *out)
{
	/* load arch, test it, its long jump, load nr; per call a test and a
	 * long jump; "no such call"; per call a load of its argument and its
	 * tree */
	size_t len = 4 + 2 * n_calls + 1;
	for (size_t c = 0; c < n_calls; c++) {
		len += 1 + tree_len(calls[c].cases, calls[c].n);
		if (len > BPF_MAXINSNS)
			return -E2BIG;
	}
	struct emit e = {.f = xreallocarray(NULL, len, sizeof(*e.f))};
	const struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	/* A foreign architecture goes on, to be killed further down. x32
	 * numbers (bit 30 set) equal no native number and go on as well. */
	put(&e, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					     offsetof(struct seccomp_data, arch)));
	put(&e, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, GB_AUDIT_ARCH, 1, 0));
	/* to the "no such call" return, after the number tests */
	put(&e, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA, (uint32_t)(1 + 2 * n_calls), 0, 0));
	put(&e, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					     offsetof(struct seccomp_data, nr)));
	size_t tree_at = e.at + 2 * n_calls + 1;
	for (size_t c = 0; c < n_calls; c++) {
		put(&e, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)calls[c].nr,
						     0, 1));
		put(&e, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA, (uint32_t)(tree_at - e.at - 1),
						     0, 0));
		tree_at += 1 + tree_len(calls[c].cases, calls[c].n);
	}
	put(&e, allow);
	for (size_t c = 0; c < n_calls; c++) {
		put(&e, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						     low_half_of(calls[c].arg)));
		emit_tree(&e, calls[c].cases, calls[c].n);
	}
	assert(e.at == len);
	out->insns = e.f;
	out->len = (unsigned short)e.at;
	return 0;
}
