/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "how/argcode.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>

#include "how/arch.h"
#include "util.h"

/* Up to this many ranges are tested one after the other: a point costs
 * one instruction, a range two, while a step of the search costs one or
 * two and halves what is left. */
#define LEAF 16

/* A jump to sub-program k (in its k), placed once the sub-programs are:
 * the jumps the search emits have jt 0. */
#define SUB_MARK 1

void *arg_push(void **v, size_t *n, size_t *cap, size_t size)
{
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		*v = xreallocarray(*v, *cap, size);
	}
	return (char *)*v + (*n)++ * size;
}

struct code {
	struct sock_filter *f;
	size_t n, cap;
};

static void put(struct code *c, struct sock_filter insn)
{
	*(struct sock_filter *)arg_push((void **)&c->f, &c->n, &c->cap, sizeof(insn)) = insn;
}

static void append(struct code *c, const struct code *o)
{
	for (size_t i = 0; i < o->n; i++)
		put(c, o->f[i]);
}

/* What the search looks for: 32-bit ranges, each answered by an action
 * or by a sub-program (the low half's search under one high half). */
struct entry {
	uint32_t lo, hi;
	uint32_t out;
	bool sub;
};

static bool same_out(const struct entry *a, const struct entry *b)
{
	return a->sub == b->sub && a->out == b->out;
}

static struct sock_filter out_insn(const struct entry *e)
{
	if (e->sub)
		return (struct sock_filter){.code = BPF_JMP | BPF_JA, .jt = SUB_MARK, .k = e->out};
	return (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, e->out);
}

/* A leaf: the tests in order, "allow" (no range holds A), then one
 * instruction per distinct answer, so that a list with one action costs
 * one instruction per point. A range is "above it: next test; from its
 * start: its answer; else allow", since the ranges are sorted. */
static void emit_leaf(struct code *c, const struct entry *e, size_t n)
{
	const struct entry *outs[LEAF];
	size_t slot[LEAF], d = 0, tests = 0;
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;
		while (k < d && !same_out(outs[k], &e[i]))
			k++;
		if (k == d)
			outs[d++] = &e[i];
		slot[i] = k;
		tests += e[i].lo == e[i].hi ? 1 : 2;
	}
	size_t at = 0; /* within the leaf; jumps count from the next instruction */
	for (size_t i = 0; i < n; i++, at++) {
		size_t to_out = tests + 1 + slot[i];
		if (e[i].lo == e[i].hi) {
			put(c, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, e[i].lo,
							    (uint8_t)(to_out - at - 1), 0));
			continue;
		}
		put(c, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, e[i].hi, 1, 0));
		at++;
		put(c, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, e[i].lo,
						    (uint8_t)(to_out - at - 1),
						    (uint8_t)(tests - at - 1)));
	}
	put(c, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
	for (size_t k = 0; k < d; k++)
		put(c, out_insn(outs[k]));
}

/* Search e[0..n) for A: values from the middle range's start up can only
 * be in the upper half, which comes after the lower one. */
static void emit_tree(struct code *c, const struct entry *e, size_t n)
{
	if (n <= LEAF) {
		emit_leaf(c, e, n);
		return;
	}
	size_t half = n / 2;
	struct code left = {0};
	emit_tree(&left, e, half);
	/* A conditional jump reaches 255 instructions; further needs a JA. */
	if (left.n <= 255) {
		put(c, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, e[half].lo,
						    (uint8_t)left.n, 0));
	} else {
		put(c, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, e[half].lo, 0, 1));
		put(c, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA, (uint32_t)left.n, 0, 0));
	}
	append(c, &left);
	free(left.f);
	emit_tree(c, e + half, n - half);
}

/* A = one half of argument arg, masked. */
static void emit_load(struct code *c, unsigned arg, bool upper, uint32_t mask)
{
	const bool little = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;
	uint32_t at = (uint32_t)offsetof(struct seccomp_data, args[arg]) + (upper == little ? 4 : 0);
	put(c, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, at));
	if (mask != UINT32_MAX)
		put(c, (struct sock_filter)BPF_STMT(BPF_ALU | BPF_AND | BPF_K, mask));
}

static void emit_narrow(struct code *c, const struct arg_group *g)
{
	_cleanup_free_ struct entry *e = xcalloc(g->n ? g->n : 1, sizeof(*e));
	for (size_t i = 0; i < g->n; i++)
		e[i] = (struct entry){(uint32_t)g->spans[i].lo, (uint32_t)g->spans[i].hi,
				      g->spans[i].action, false};
	emit_load(c, g->arg, false, (uint32_t)g->mask);
	emit_tree(c, e, g->n);
}

/* ---- 64-bit arguments: the high half first, then the low ---- */

struct entries {
	struct entry *e;
	size_t n, cap;
};

/* The high halves: a range of them answers alike, or one of them leads to
 * a search of the low half (subs[k]). */
struct wide {
	struct entries top;
	struct entries *subs;
	size_t n_subs, cap_subs;
};

static void push(struct entries *l, struct entry e)
{
	*(struct entry *)arg_push((void **)&l->e, &l->n, &l->cap, sizeof(e)) = e;
}

/* Low halves lo to hi under high half h answer action. The spans come in
 * order, so h is the last high half seen or a new one. */
static void low_piece(struct wide *w, uint32_t h, uint32_t lo, uint32_t hi, uint32_t action)
{
	const struct entry *last = w->top.n ? &w->top.e[w->top.n - 1] : NULL;
	if (!last || !last->sub || last->lo != h) {
		*(struct entries *)arg_push((void **)&w->subs, &w->n_subs, &w->cap_subs,
					    sizeof(*w->subs)) = (struct entries){0};
		push(&w->top, (struct entry){h, h, (uint32_t)(w->n_subs - 1), true});
	}
	push(&w->subs[w->n_subs - 1], (struct entry){lo, hi, action, false});
}

static void split_wide(struct wide *w, const struct arg_group *g)
{
	for (size_t i = 0; i < g->n; i++) {
		const struct arg_span *s = &g->spans[i];
		uint32_t a = (uint32_t)(s->lo >> 32), b = (uint32_t)(s->hi >> 32);
		if (a == b) {
			low_piece(w, a, (uint32_t)s->lo, (uint32_t)s->hi, s->action);
			continue;
		}
		low_piece(w, a, (uint32_t)s->lo, UINT32_MAX, s->action);
		if (b - a >= 2)
			push(&w->top, (struct entry){a + 1, b - 1, s->action, false});
		low_piece(w, b, 0, (uint32_t)s->hi, s->action);
	}
}

static void emit_wide(struct code *c, const struct arg_group *g)
{
	struct wide w = {0};
	split_wide(&w, g);
	size_t first = c->n;
	emit_load(c, g->arg, true, (uint32_t)(g->mask >> 32));
	emit_tree(c, w.top.e, w.top.n);
	size_t top_end = c->n;
	_cleanup_free_ size_t *start = xcalloc(w.n_subs ? w.n_subs : 1, sizeof(*start));
	for (size_t k = 0; k < w.n_subs; k++) {
		start[k] = c->n;
		emit_load(c, g->arg, false, (uint32_t)g->mask);
		emit_tree(c, w.subs[k].e, w.subs[k].n);
		free(w.subs[k].e);
	}
	for (size_t pc = first; pc < top_end; pc++) {
		struct sock_filter *f = &c->f[pc];
		if (f->code == (BPF_JMP | BPF_JA) && f->jt == SUB_MARK)
			*f = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA,
							  (uint32_t)(start[f->k] - pc - 1), 0, 0);
	}
	free(w.subs);
	free(w.top.e);
}

/* ---- calls ---- */

static void emit_group(struct code *c, const struct arg_group *g)
{
	if (g->wide)
		emit_wide(c, g);
	else
		emit_narrow(c, g);
}

/* Every k-returning instruction of c from pc on jumps to c's end
 * instead, where what follows takes over. */
static void ret_to_end(struct code *c, size_t pc, uint32_t k)
{
	for (; pc < c->n; pc++)
		if (c->f[pc].code == (BPF_RET | BPF_K) && c->f[pc].k == k)
			c->f[pc] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA,
								(uint32_t)(c->n - pc - 1), 0, 0);
}

/* The groups one after the other: where one finds nothing (its "allow"),
 * the next one looks. With a first condition, they look only where it
 * holds. */
static void emit_segment(struct code *c, const struct arg_segment *s)
{
	if (s->first) {
		/* the groups follow: where it holds, they look; where it does
		 * not, its "allow" goes on to the next segment (emit_call) */
		size_t start = c->n;
		emit_group(c, s->first);
		ret_to_end(c, start, ARG_HOLDS);
	}
	for (size_t i = 0; i < s->n_groups; i++) {
		size_t at = c->n;
		emit_group(c, &s->groups[i]);
		if (i + 1 < s->n_groups)
			ret_to_end(c, at, SECCOMP_RET_ALLOW);
	}
	if (s->n_groups == 0)
		put(c, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
}

static void emit_call(struct code *c, const struct arg_call *call)
{
	for (size_t i = 0; i < call->n_segments; i++) {
		size_t at = c->n;
		emit_segment(c, &call->segments[i]);
		if (i + 1 < call->n_segments)
			ret_to_end(c, at, SECCOMP_RET_ALLOW);
	}
	if (call->n_segments == 0)
		put(c, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
}

int argcode_build(const struct arg_call *calls, size_t n_calls, struct how_program *out)
{
	/* load arch, test it, its long jump, load nr; per call a test and a
	 * long jump; "no such call"; the calls' programs */
	struct code *bodies = xcalloc(n_calls ? n_calls : 1, sizeof(*bodies));
	size_t len = 4 + 2 * n_calls + 1;
	for (size_t c = 0; c < n_calls && len <= BPF_MAXINSNS; c++) {
		emit_call(&bodies[c], &calls[c]);
		len += bodies[c].n;
	}
	struct code all = {0};
	if (len <= BPF_MAXINSNS) {
		/* A foreign architecture goes on, to be killed further down.
		 * x32 numbers (bit 30 set) equal no native number and go on
		 * as well. */
		put(&all, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						       offsetof(struct seccomp_data, arch)));
		put(&all, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, GB_AUDIT_ARCH, 1, 0));
		put(&all, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA, (uint32_t)(1 + 2 * n_calls),
						       0, 0));
		put(&all, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						       offsetof(struct seccomp_data, nr)));
		size_t body_at = all.n + 2 * n_calls + 1;
		for (size_t c = 0; c < n_calls; c++) {
			put(&all, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
							       (uint32_t)calls[c].nr, 0, 1));
			put(&all, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA,
							       (uint32_t)(body_at - all.n - 1), 0, 0));
			body_at += bodies[c].n;
		}
		put(&all, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
		for (size_t c = 0; c < n_calls; c++)
			append(&all, &bodies[c]);
	}
	for (size_t c = 0; c < n_calls; c++)
		free(bodies[c].f);
	free(bodies);
	if (len > BPF_MAXINSNS)
		return -E2BIG;
	out->insns = all.f;
	out->len = (unsigned short)all.n;
	return 0;
}
