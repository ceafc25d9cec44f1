/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "how/argtree.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "how/argcode.h"
#include "how/syscalls.h"
#include "util.h"

/* The whole of `glovebox compile --no-cache` with 1,000 rules of one
 * shape on ioctl, CPU time (perf stat -r 3, 2-CPU VM at load 6): through
 * libseccomp, masked == 40 ms, != 40 ms, < 76 ms, == on a 64-bit argument
 * 422 ms, == on two arguments 54 ms; with the search 6 to 11 ms each (5 ms
 * with no rule at all). The slow path stays tested: test-seccomp.c runs
 * random rule sets through both and compares every answer. */
unsigned argtree_min_rules = 16;

/* A rule of two comparisons; first is on the lower argument. */
struct pair {
	struct scmp_arg_cmp first, second;
};

struct call_rules {
	size_t call;       /* index of the known call */
	struct arg_call c; /* segments[0]: the rules of one comparison */
	size_t cap_segments;
	struct pair *pairs;
	size_t n_pairs, cap_pairs;
	size_t n_rules;
	uint32_t action; /* of the first rule */
	bool mixed;      /* the rules have several actions */
	bool refused;    /* a rule the search cannot take */
	bool order;      /* a rule compares with < <= > or >= */
};

/* Only the calls with rules: one each for all the known calls cost a
 * compile 5 page faults more (of 164 with 1,000 rules). */
struct argtree {
	struct call_rules *calls;
	size_t n_calls, cap_calls;
	unsigned *slot; /* per known call: 1 + its index in calls, or 0 */
};

bool argtree_is_order(enum scmp_compare op)
{
	return op == SCMP_CMP_LT || op == SCMP_CMP_LE || op == SCMP_CMP_GT || op == SCMP_CMP_GE;
}

struct argtree *argtree_new(void)
{
	struct argtree *t = xcalloc(1, sizeof(*t));
	t->slot = xcalloc(syscall_count, sizeof(*t->slot));
	return t;
}

static void free_groups(struct arg_group *groups, size_t n)
{
	for (size_t g = 0; g < n; g++)
		free(groups[g].spans);
	free(groups);
}

void argtree_free(struct argtree *t)
{
	for (size_t i = 0; i < t->n_calls; i++) {
		struct call_rules *r = &t->calls[i];
		for (size_t k = 0; k < r->c.n_segments; k++) {
			struct arg_segment *seg = &r->c.segments[k];
			free_groups(seg->groups, seg->n_groups);
			if (seg->first)
				free_groups(seg->first, 1);
		}
		free(r->c.segments);
		free(r->pairs);
	}
	free(t->calls);
	free(t->slot);
	free(t);
}

static struct arg_group *group_of(struct arg_segment *seg, unsigned arg, bool wide, uint64_t mask)
{
	for (size_t g = 0; g < seg->n_groups; g++) {
		struct arg_group *x = &seg->groups[g];
		if (x->arg == arg && x->wide == wide && x->mask == mask)
			return x;
	}
	struct arg_group *x = arg_push((void **)&seg->groups, &seg->n_groups, &seg->cap_groups,
				       sizeof(*x));
	*x = (struct arg_group){.arg = arg, .wide = wide, .mask = mask};
	return x;
}

static void span(struct arg_group *g, uint64_t lo, uint64_t hi, uint32_t action)
{
	*(struct arg_span *)arg_push((void **)&g->spans, &g->n, &g->cap, sizeof(struct arg_span)) =
		(struct arg_span){lo, hi, action};
}

/* The values comparison c holds for, as spans of "argument & mask", the
 * way libseccomp's program compares them once args32.c has narrowed it:
 * an int on its low 32 bits, a file mode on its low 16. false for what
 * the search does not know. */
static bool add_cmp(struct call_rules *r, struct arg_segment *seg, size_t call, uint32_t action,
		    const struct scmp_arg_cmp *c)
{
	unsigned bits = syscall_arg_bits(call, c->arg);
	const uint64_t full = bits == 64 ? UINT64_MAX : UINT32_MAX;
	uint64_t a = c->datum_a & full, b = c->datum_b & full, mask = full;
	enum scmp_compare op = c->op;
	if (bits == 16 && op == SCMP_CMP_EQ)
		op = SCMP_CMP_MASKED_EQ, b = a, a = 0xffff;
	else if (bits == 16 && op == SCMP_CMP_MASKED_EQ)
		a &= 0xffff;
	else if (bits == 16)
		return false;
	if (op == SCMP_CMP_MASKED_EQ)
		mask = a, a = b;
	struct arg_group *g = group_of(seg, c->arg, bits == 64, mask);
	r->order |= argtree_is_order(op);
	switch (op) {
	case SCMP_CMP_MASKED_EQ:
		if ((a & ~mask) == 0) /* else it never holds */
			span(g, a, a, action);
		return true;
	case SCMP_CMP_EQ:
		span(g, a, a, action);
		return true;
	case SCMP_CMP_NE:
		if (a > 0)
			span(g, 0, a - 1, action);
		if (a < full)
			span(g, a + 1, full, action);
		return true;
	case SCMP_CMP_LT:
		if (a > 0)
			span(g, 0, a - 1, action);
		return true;
	case SCMP_CMP_LE:
		span(g, 0, a, action);
		return true;
	case SCMP_CMP_GT:
		if (a < full)
			span(g, a + 1, full, action);
		return true;
	case SCMP_CMP_GE:
		span(g, a, full, action);
		return true;
	case _SCMP_CMP_MIN:
	case _SCMP_CMP_MAX:
		break;
	}
	return false;
}

void argtree_add(struct argtree *t, size_t call, uint32_t action, unsigned n,
		 const struct scmp_arg_cmp *cmps)
{
	if (!t->slot[call]) {
		*(struct call_rules *)arg_push((void **)&t->calls, &t->n_calls, &t->cap_calls,
					       sizeof(struct call_rules)) =
			(struct call_rules){.call = call};
		t->slot[call] = (unsigned)t->n_calls;
	}
	struct call_rules *r = &t->calls[t->slot[call] - 1];
	if (r->n_rules++ == 0)
		r->action = action;
	r->mixed |= action != r->action;
	if (r->c.n_segments == 0)
		*(struct arg_segment *)arg_push((void **)&r->c.segments, &r->c.n_segments,
						&r->cap_segments, sizeof(struct arg_segment)) =
			(struct arg_segment){0};
	/* On a 32-bit machine a register holds one argument's whole value;
	 * the search reads 64-bit ones by halves. */
	if (sizeof(long) != 8 || r->refused || n < 1 || n > 2) {
		r->refused = true;
	} else if (n == 1) {
		r->refused = !add_cmp(r, &r->c.segments[0], call, action, &cmps[0]);
	} else {
		bool swap = cmps[1].arg < cmps[0].arg;
		*(struct pair *)arg_push((void **)&r->pairs, &r->n_pairs, &r->cap_pairs,
					 sizeof(struct pair)) =
			(struct pair){cmps[swap], cmps[!swap]};
	}
}

static int cmp_first(const void *x, const void *y)
{
	const struct scmp_arg_cmp *a = &((const struct pair *)x)->first,
				  *b = &((const struct pair *)y)->first;
	if (a->arg != b->arg)
		return a->arg < b->arg ? -1 : 1;
	if (a->op != b->op)
		return a->op < b->op ? -1 : 1;
	if (a->datum_a != b->datum_a)
		return a->datum_a < b->datum_a ? -1 : 1;
	return (a->datum_b > b->datum_b) - (a->datum_b < b->datum_b);
}

/* The rules of two comparisons with the same first one share a segment:
 * that comparison once, then a search of their second ones. Sorted by
 * the first, in time n log n. */
static bool add_pairs(struct call_rules *r, size_t call)
{
	if (r->n_pairs) /* qsort must not be given NULL, even for none */
		qsort(r->pairs, r->n_pairs, sizeof(*r->pairs), cmp_first);
	for (size_t i = 0; i < r->n_pairs; i++) {
		const struct pair *p = &r->pairs[i];
		if (i == 0 || cmp_first(p, p - 1) != 0) {
			struct arg_segment first = {0};
			if (!add_cmp(r, &first, call, ARG_HOLDS, &p->first)) {
				free_groups(first.groups, first.n_groups);
				return false;
			}
			*(struct arg_segment *)arg_push((void **)&r->c.segments, &r->c.n_segments,
							&r->cap_segments, sizeof(first)) =
				(struct arg_segment){.first = first.groups};
		}
		if (!add_cmp(r, &r->c.segments[r->c.n_segments - 1], call, r->action, &p->second))
			return false;
	}
	return true;
}

static int cmp_span(const void *x, const void *y)
{
	const struct arg_span *a = x, *b = y;
	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	return (a->hi > b->hi) - (a->hi < b->hi);
}

/* Sort g's spans and merge those that overlap or touch and answer alike.
 * false when two overlap with different actions: which one libseccomp's
 * program answers with (if it takes them at all) depends on how it
 * orders them, so the call stays with it. */
static bool normalize(struct arg_group *g)
{
	if (g->n)
		qsort(g->spans, g->n, sizeof(*g->spans), cmp_span);
	size_t k = 0;
	for (size_t i = 0; i < g->n; i++) {
		const struct arg_span *s = &g->spans[i];
		struct arg_span *last = k ? &g->spans[k - 1] : NULL;
		if (last && s->lo <= last->hi && s->action != last->action)
			return false;
		if (last && s->action == last->action && (s->lo <= last->hi || s->lo - 1 == last->hi)) {
			if (s->hi > last->hi)
				last->hi = s->hi;
			continue;
		}
		g->spans[k++] = *s;
	}
	g->n = k;
	return true;
}

static bool takes(struct call_rules *r, size_t call)
{
	/* libseccomp 2.5.4 answers wrongly for some sets of rules with < <=
	 * > >= (having loaded the low half of an argument, it tests it as the
	 * high half): the search takes them however few. */
	if (r->n_rules == 0 || argtree_min_rules == UINT_MAX || r->refused)
		return false;
	/* Rules on different arguments can all hold at once. */
	if (r->mixed && (r->c.segments[0].n_groups > 1 || r->n_pairs))
		return false;
	if (!add_pairs(r, call))
		return false;
	bool few = r->n_rules < argtree_min_rules && !r->order;
	if (few)
		return false;
	for (size_t k = 0; k < r->c.n_segments; k++) {
		struct arg_segment *seg = &r->c.segments[k];
		for (size_t g = 0; g < seg->n_groups; g++)
			if (!normalize(&seg->groups[g]))
				return false;
		if (seg->first && !normalize(seg->first))
			return false;
	}
	return true;
}

int argtree_build(struct argtree *t, bool *picked, struct how_program *out)
{
	_cleanup_free_ struct arg_call *take = xcalloc(t->n_calls + 1, sizeof(*take));
	size_t n = 0;
	for (size_t i = 0; i < t->n_calls; i++) {
		struct call_rules *r = &t->calls[i];
		if (!takes(r, r->call))
			continue;
		r->c.nr = syscall_native_nr(r->call);
		take[n++] = r->c;
		picked[r->call] = true;
	}
	if (n == 0)
		return 0;
	int e = argcode_build(take, n, out);
	if (e < 0)
		memset(picked, 0, syscall_count * sizeof(*picked));
	return e;
}
