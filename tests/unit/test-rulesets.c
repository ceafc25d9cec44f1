/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Generated rule sets of every shape a profile can write, compiled and
 * run in the interpreter against what the rules say, for many argument
 * values: the ends of each rule's range, the values next to them, the
 * upper half of an int set, bits outside a mask, and random ones. Each
 * set compiles three ways: glovebox's own search wherever it can take a
 * call (argtree.h, from one rule up), the default threshold, and
 * libseccomp alone. The answers must not depend on the way. */
#include <limits.h>
#include <linux/audit.h>
#include <sys/syscall.h>

#include "bpf-interp.h"
#include "how/action.h"
#include "how/seccomp.h"
#include "how/syscalls.h"
#include "testutil.h"

/* Weak, so that this file builds against a glovebox without the search,
 * where it checks libseccomp's answers alone (see argtree.h). */
extern unsigned argtree_min_rules __attribute__((weak));

#define BASE "[how]\nallow = @system-service fcntl fchmod\n"

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static const char *const actions[] = {"EACCES", "EROFS", "kill", "log", "ENOTTY", "EPERM"};

/* ---- what the rules say ---- */

static bool holds(size_t call, const struct arg_cmp *c, const __u64 *args)
{
	unsigned bits = syscall_arg_bits(call, c->arg);
	uint64_t x = args[c->arg];
	if (bits < 64)
		x &= bits == 16 ? 0xffff : 0xffffffff;
	switch (c->op) {
	case ARG_EQ:
		return x == c->value;
	case ARG_NE:
		return x != c->value;
	case ARG_LT:
		return x < c->value;
	case ARG_LE:
		return x <= c->value;
	case ARG_GT:
		return x > c->value;
	case ARG_GE:
		return x >= c->value;
	case ARG_MASKED_EQ:
		return (x & c->mask) == c->value;
	}
	return false;
}

static uint32_t ret_of(const struct sc_action *a)
{
	switch (a->kind) {
	case SC_ERRNO:
		return SECCOMP_RET_ERRNO | (uint32_t)a->errnum;
	case SC_KILL:
		return SECCOMP_RET_KILL_PROCESS;
	case SC_LOG:
		return SECCOMP_RET_LOG;
	case SC_ALLOW:
	case SC_UNSET:
	case SC_DEFAULT:
		break;
	}
	return SECCOMP_RET_ALLOW;
}

/* The sets here never have two rules that hold together with different
 * actions, so the first rule that holds answers. */
static uint32_t expected(const struct policy *p, size_t call, const __u64 *args)
{
	for (size_t i = 0; i < p->n_arg_rules; i++) {
		const struct arg_rule *r = &p->arg_rules[i];
		bool all = r->syscall == (int)call;
		for (unsigned k = 0; all && k < r->n_cmps; k++)
			all = holds(call, &r->cmps[k], args);
		if (all)
			return ret_of(&r->action);
	}
	return SECCOMP_RET_ALLOW;
}

/* ---- the values to try ---- */

struct pool {
	uint64_t *v;
	size_t n;
};

static void add(struct pool *pl, uint64_t v)
{
	*APPEND(pl->v, pl->n) = v;
}

static void fill_pool(struct pool *pl, const struct policy *p)
{
	static const uint64_t edges[] = {0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000,
					 0xffffffff00000000, UINT64_MAX - 1, UINT64_MAX};
	for (size_t i = 0; i < ELEMENTSOF(edges); i++)
		add(pl, edges[i]);
	for (size_t i = 0; i < p->n_arg_rules; i++)
		for (unsigned k = 0; k < p->arg_rules[i].n_cmps; k++) {
			const struct arg_cmp *c = &p->arg_rules[i].cmps[k];
			add(pl, c->value);
			add(pl, c->value + 1);
			add(pl, c->value - 1);
			add(pl, c->value | UINT64_C(0xdead00000000));
			add(pl, c->value | (~c->mask & next()));
			add(pl, next() >> (next() % 64));
		}
}

/* Every value of the pool in each argument a rule compares, the other
 * arguments drawn from it. */
static void check_answers(const struct how_program *prog, const struct policy *p, size_t call,
			  const char *how)
{
	struct pool pl = {0};
	fill_pool(&pl, p);
	int nr = syscall_native_nr(call);
	for (size_t i = 0; i < pl.n; i++)
		for (unsigned arg = 0; arg < 6; arg++) {
			struct seccomp_data d = {.nr = nr, .arch = AUDIT_ARCH_X86_64};
			for (unsigned a = 0; a < 6; a++)
				d.args[a] = a == arg ? pl.v[i] : pl.v[next() % pl.n];
			uint32_t want = expected(p, call, d.args), got = how_run(prog, &d);
			ck_assert_msg(got == want,
				      "%s, %s(%#llx, %#llx, %#llx): got %#x want %#x", how,
				      syscall_table[call].name, (unsigned long long)d.args[0],
				      (unsigned long long)d.args[1], (unsigned long long)d.args[2],
				      got, want);
		}
	free(pl.v);
}

/* Whether a rule compares with < <= > or >=. */
static bool order(const struct policy *p)
{
	for (size_t i = 0; i < p->n_arg_rules; i++)
		for (unsigned k = 0; k < p->arg_rules[i].n_cmps; k++) {
			enum arg_op op = p->arg_rules[i].cmps[k].op;
			if (op == ARG_LT || op == ARG_LE || op == ARG_GT || op == ARG_GE)
				return true;
		}
	return false;
}

/* Compile text with the search from min rules up, and check it. */
static void check_way(const char *text, const char *call, unsigned min, const char *how)
{
	if (&argtree_min_rules)
		argtree_min_rules = min;
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(load(&f, "t.ini", text), 0);
	/* libseccomp alone miscompiles some of these: see
	 * libseccomp_miscompiled_order_tests */
	if (min != UINT_MAX || !order(&f.p)) {
		struct how_program prog;
		ck_assert_msg(how_compile(&f.p, &prog, &f.d) == 0, "%s: %s", how, fixture_msgs(&f));
		check_answers(&prog, &f.p, (size_t)syscall_lookup(call), how);
		how_program_free(&prog);
	}
	fixture_free(&f);
	if (&argtree_min_rules)
		argtree_min_rules = 16;
}

static void check_set(const char *text, const char *call)
{
	check_way(text, call, 16, "default threshold");
	if (!&argtree_min_rules)
		return;
	check_way(text, call, 1, "own search");
	check_way(text, call, UINT_MAX, "libseccomp");
}

/* ---- the shapes ---- */

struct text {
	char *s;
	size_t len;
	FILE *f;
};

static void text_open(struct text *t)
{
	*t = (struct text){0};
	t->f = open_memstream(&t->s, &t->len);
	fputs(BASE, t->f);
}

static const char *text_close(struct text *t)
{
	fclose(t->f);
	return t->s;
}

static const char *some_action(void)
{
	return actions[next() % ELEMENTSOF(actions)];
}

/* n distinct values (odd multiples of an odd number are a bijection),
 * half of them with an upper half when the argument has one. */
static uint64_t distinct(unsigned i, bool wide)
{
	uint32_t low = (uint32_t)(i * 2654435761u);
	if (!wide || i % 2 == 0)
		return low;
	return ((uint64_t)((low & 0xffff) + 1) << 32) | low;
}

static void eq_mixed(unsigned n, const char *call, unsigned arg, bool wide)
{
	struct text t;
	text_open(&t);
	for (unsigned i = 0; i < n; i++)
		fprintf(t.f, "rule = %s(arg%u == %#llx):%s\n", call, arg,
			(unsigned long long)distinct(i, wide), some_action());
	check_set(text_close(&t), call);
	free(t.s);
}

/* One mask, distinct values under it, a range below them and one above:
 * no two rules hold at once, so the actions may differ. */
static void masked_and_ranges_mixed(unsigned n, const char *call, unsigned arg, bool wide)
{
	struct text t;
	text_open(&t);
	const char *mask = wide ? "0xff00ff00ffff00ff" : "0xffff00ff";
	for (unsigned i = 0; i < n; i++)
		fprintf(t.f, "rule = %s(arg%u & %s == %#llx):%s\n", call, arg, mask,
			(unsigned long long)(((uint64_t)(i + 1) << 16) | 0x2b), some_action());
	check_set(text_close(&t), call);
	free(t.s);
	text_open(&t);
	/* on a 64-bit argument, the range below spans three upper halves */
	const unsigned long long base = wide ? 0x500000000 : 0;
	fprintf(t.f, "rule = %s(arg%u < %#llx):EROFS\n", call, arg, wide ? 0x200000005ULL : 0x1000ULL);
	for (unsigned i = 0; i < n; i++)
		fprintf(t.f, "rule = %s(arg%u == %#llx):%s\n", call, arg, base + 0x1000 + 3 * i,
			some_action());
	fprintf(t.f, "rule = %s(arg%u > %#llx):log\n", call, arg, base + 0x1000 + 3 * n);
	check_set(text_close(&t), call);
	free(t.s);
}

/* A comparison of argument arg of call c, values from a small pool so
 * that rules overlap. */
static void some_cmp(FILE *f, size_t c, unsigned arg)
{
	static const char *const ops[] = {"==", "!=", "<", "<=", ">", ">=", "&"};
	static const uint64_t values[] = {0, 1, 2, 7, 0x40, 0x541b, 0x7fffffff, 0xffffffff,
					  0x100000000, 0xfffffffffffffffe};
	static const uint64_t masks[] = {0xff, 0xf0, 0xffffffff, 0xffff0000ffff,
					 0xffffffff00000000};
	unsigned bits = syscall_arg_bits(c, arg);
	uint64_t max = bits == 64 ? UINT64_MAX : bits == 32 ? 0xffffffff : 0xffff;
	/* a file mode takes == and & MASK == only */
	const char *op = bits == 16 ? ops[next() % 2 ? 0 : 6] : ops[next() % ELEMENTSOF(ops)];
	uint64_t v = values[next() % ELEMENTSOF(values)] & max;
	if (streq(op, "&")) {
		uint64_t m = masks[next() % ELEMENTSOF(masks)] & max;
		fprintf(f, "arg%u & %#llx == %#llx", arg, (unsigned long long)m,
			(unsigned long long)(v & m));
	} else {
		fprintf(f, "arg%u %s %#llx", arg, op, (unsigned long long)v);
	}
}

/* Any operator on any argument under any mask, one or two comparisons
 * per rule, all with one action: the first rule that holds answers,
 * whichever it is. */
static void any_one_action(unsigned n, const char *call, const char *action)
{
	size_t c = (size_t)syscall_lookup(call);
	struct text t;
	text_open(&t);
	for (unsigned i = 0; i < n; i++) {
		unsigned arg = (unsigned)(next() % 3), other = (arg + 1 + next() % 2) % 3;
		fprintf(t.f, "rule = %s(", call);
		some_cmp(t.f, c, arg);
		if (next() % 3 == 0) {
			fputs(", ", t.f);
			some_cmp(t.f, c, other);
		}
		fprintf(t.f, "):%s\n", action);
	}
	check_set(text_close(&t), call);
	free(t.s);
}

/* Rules of two comparisons, the first shared by many: a descriptor and a
 * command, say. */
static void pairs_one_action(unsigned n, const char *call)
{
	struct text t;
	text_open(&t);
	for (unsigned i = 0; i < n; i++)
		fprintf(t.f, "rule = %s(arg0 == %u, arg1 == %#x):EACCES\n", call, i % 7,
			0x5400 + i / 7);
	fprintf(t.f, "rule = %s(arg1 == 0x42, arg0 > 10):EACCES\n", call);
	fprintf(t.f, "rule = %s(arg2 == 9):EACCES\n", call);
	check_set(text_close(&t), call);
	free(t.s);
}

START_TEST(equality_lists_with_mixed_actions)
{
	static const unsigned sizes[] = {15, 16, 40, 300};
	for (size_t s = 0; s < ELEMENTSOF(sizes); s++) {
		eq_mixed(sizes[s], "fcntl", 1, false);
		eq_mixed(sizes[s], "fcntl", 2, true);
	}
}
END_TEST

START_TEST(masked_lists_and_ranges_with_mixed_actions)
{
	static const unsigned sizes[] = {15, 16, 40, 300};
	for (size_t s = 0; s < ELEMENTSOF(sizes); s++) {
		masked_and_ranges_mixed(sizes[s], "fcntl", 1, false);
		masked_and_ranges_mixed(sizes[s], "fcntl", 2, true);
	}
}
END_TEST

START_TEST(any_comparison_on_any_argument_with_one_action)
{
	static const unsigned sizes[] = {3, 15, 16, 40, 200};
	for (unsigned round = 0; round < 4; round++)
		for (size_t s = 0; s < ELEMENTSOF(sizes); s++) {
			any_one_action(sizes[s], "fcntl", actions[round]);
			any_one_action(sizes[s], "fchmod", actions[round + 1]);
		}
}
END_TEST

/* A file mode is compared on its low 16 bits, with == and & MASK ==. */
START_TEST(rules_of_two_comparisons_with_one_action)
{
	static const unsigned sizes[] = {8, 15, 16, 40, 300};
	for (size_t s = 0; s < ELEMENTSOF(sizes); s++)
		pairs_one_action(sizes[s], "fcntl");
}
END_TEST

START_TEST(file_modes_with_mixed_actions)
{
	struct text t;
	text_open(&t);
	for (unsigned i = 0; i < 64; i++)
		fprintf(t.f, "rule = fchmod(arg1 == %#o):%s\n", 0100 + 5 * i, some_action());
	fprintf(t.f, "rule = fchmod(arg1 & 07000 == 04000):kill\n");
	check_set(text_close(&t), "fchmod");
	free(t.s);
}
END_TEST

/* Rules libseccomp 2.5.4 compiled into a program that, having loaded the
 * low half of an argument for one rule, tests it as the high half for
 * the next, and the answers (args: fcntl's or fchmod's first three) that
 * it got wrong. The search compiles such rules, however few
 * (argtree.h). */
static const struct {
	const char *call, *rules;
	__u64 args[3];
	uint32_t want;
} miscompiled[] = {
	{"fcntl",
	 "rule = fcntl(arg2 < 0x7fffffff):kill\nrule = fcntl(arg2 >= 0x100000000):kill\n",
	 {0xffffffffffffffff, 0x100000000, 0xffffffff}, SECCOMP_RET_ALLOW},
	{"fcntl",
	 "rule = fcntl(arg2 < 0x7fffffff):kill\nrule = fcntl(arg2 >= 0x100000000):kill\n",
	 {0, 0, 0x7ffffffe}, SECCOMP_RET_KILL_PROCESS},
	{"fcntl",
	 "rule = fcntl(arg2 < 0x7fffffff):kill\nrule = fcntl(arg2 >= 0x100000000):kill\n",
	 {0, 0, 0x100000000}, SECCOMP_RET_KILL_PROCESS},
	{"fchmod",
	 "rule = fchmod(arg0 < 0x7, arg1 == 0x40):EROFS\n"
	 "rule = fchmod(arg0 >= 0, arg1 == 0xffff):EROFS\n"
	 "rule = fchmod(arg0 < 0x7fffffff, arg1 & 0xffff == 0xffff):EROFS\n",
	 {0xdead0000ffff, 0xdead00000040, 0x80000000}, SECCOMP_RET_ALLOW},
	{"fchmod",
	 "rule = fchmod(arg0 < 0x7, arg1 == 0x40):EROFS\n"
	 "rule = fchmod(arg0 >= 0, arg1 == 0xffff):EROFS\n"
	 "rule = fchmod(arg0 < 0x7fffffff, arg1 & 0xffff == 0xffff):EROFS\n",
	 {0xdead00000006, 0x40, 0}, SECCOMP_RET_ERRNO | EROFS},
};

START_TEST(libseccomp_miscompiled_order_tests)
{
	for (size_t i = 0; i < ELEMENTSOF(miscompiled); i++) {
		_cleanup_free_ char *text = xasprintf("%s%s", BASE, miscompiled[i].rules);
		struct fixture f;
		fixture_init(&f);
		ck_assert_int_eq(load(&f, "t.ini", text), 0);
		struct how_program prog;
		ck_assert_int_eq(how_compile(&f.p, &prog, &f.d), 0);
		struct seccomp_data d = {.nr = syscall_native_nr((size_t)syscall_lookup(miscompiled[i].call)),
					 .arch = AUDIT_ARCH_X86_64};
		memcpy(d.args, miscompiled[i].args, sizeof(miscompiled[i].args));
		ck_assert_msg(how_run(&prog, &d) == miscompiled[i].want, "case %zu: got %#x want %#x",
			      i, how_run(&prog, &d), miscompiled[i].want);
		how_program_free(&prog);
		fixture_free(&f);
	}
}
END_TEST

/* The answers of two programs for call, on the values of p's rules. */
static void check_same(const struct how_program *a, const struct how_program *b,
		       const struct policy *p, size_t call)
{
	struct pool pl = {0};
	fill_pool(&pl, p);
	for (size_t i = 0; i < pl.n; i++)
		for (unsigned arg = 0; arg < 6; arg++) {
			struct seccomp_data d = {.nr = syscall_native_nr(call), .arch = AUDIT_ARCH_X86_64};
			for (unsigned k = 0; k < 6; k++)
				d.args[k] = k == arg ? pl.v[i] : pl.v[next() % pl.n];
			ck_assert_uint_eq(how_run(a, &d), how_run(b, &d));
		}
	free(pl.v);
}

/* Rules that hold together with different actions, next to a long list:
 * libseccomp compiles the call (or says the rules collide) either way. */
START_TEST(overlapping_rules_with_different_actions_stay_with_libseccomp)
{
	static const char *const extra[] = {
		"rule = fcntl(arg1 < 0x2000):EROFS\n", "rule = fcntl(arg2 == 7):EROFS\n",
		"rule = fcntl(arg1 & 0xff == 0x1b):EROFS\n", "rule = fcntl(arg1 == 0x101b):EROFS\n",
		"rule = fcntl(arg1 == 5, arg2 == 7)\n"};
	for (size_t e = 0; e < ELEMENTSOF(extra); e++) {
		struct text t;
		text_open(&t);
		for (unsigned i = 0; i < 40; i++)
			fprintf(t.f, "rule = fcntl(arg1 == %#x):EACCES\n", 0x1000 + 0x100 * i + 0x1b);
		fputs(extra[e], t.f);
		const char *text = text_close(&t);
		struct fixture f[2];
		struct how_program prog[2];
		int r[2];
		for (unsigned way = 0; way < 2; way++) {
			if (&argtree_min_rules)
				argtree_min_rules = way ? UINT_MAX : 1;
			fixture_init(&f[way]);
			ck_assert_int_eq(load(&f[way], "t.ini", text), 0);
			r[way] = how_compile(&f[way].p, &prog[way], &f[way].d);
		}
		if (&argtree_min_rules)
			argtree_min_rules = 16;
		ck_assert_int_eq(r[0], r[1]);
		ck_assert_str_eq(fixture_msgs(&f[0]), fixture_msgs(&f[1]));
		if (r[0] == 0)
			check_same(&prog[0], &prog[1], &f[0].p, (size_t)syscall_lookup("fcntl"));
		for (unsigned way = 0; way < 2; way++) {
			if (r[way] == 0)
				how_program_free(&prog[way]);
			fixture_free(&f[way]);
		}
		free(t.s);
	}
}
END_TEST

/* A < <= > >= test on a call the search cannot take is refused, never
 * handed to libseccomp (which miscompiles some sets of them); the same
 * test alone on its call is compiled, by the search. */
START_TEST(order_tests_the_search_cannot_take_are_refused)
{
	static const char *const refused[] = {
		"rule = fchmod(arg0 < 7, arg1 == 0x40, arg2 == 1):EROFS\n",
		"rule = fcntl(arg1 < 0x2000):EROFS\nrule = fcntl(arg1 == 0x1b):EACCES\n",
		"rule = fcntl(arg1 == 0x1b):EACCES\nrule = fcntl(arg2 >= 9):kill\n",
	};
	for (size_t i = 0; i <= ELEMENTSOF(refused); i++) {
		bool alone = i == ELEMENTSOF(refused);
		_cleanup_free_ char *text =
			xasprintf("%s%s", BASE, alone ? "rule = fcntl(arg1 < 0x2000):EROFS\n" : refused[i]);
		struct fixture f;
		fixture_init(&f);
		ck_assert_int_eq(load(&f, "t.ini", text), 0);
		struct how_program prog;
		int r = how_compile(&f.p, &prog, &f.d);
		if (alone) {
			ck_assert_msg(r == 0, "%s", fixture_msgs(&f));
			how_program_free(&prog);
		} else {
			ck_assert_msg(r != 0, "case %zu compiled", i);
			ck_assert_msg(strstr(fixture_msgs(&f), "t.ini:") &&
					      strstr(fixture_msgs(&f), "libseccomp 2.5.4 miscompiles"),
				      "case %zu: %s", i, fixture_msgs(&f));
		}
		fixture_free(&f);
	}
}
END_TEST

RUN_SUITE("rulesets", libseccomp_miscompiled_order_tests, order_tests_the_search_cannot_take_are_refused, equality_lists_with_mixed_actions,
	  masked_lists_and_ranges_with_mixed_actions,
	  any_comparison_on_any_argument_with_one_action,
	  rules_of_two_comparisons_with_one_action, file_modes_with_mixed_actions,
	  overlapping_rules_with_different_actions_stay_with_libseccomp)
