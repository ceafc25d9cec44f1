/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "how/seccomp.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/memfd.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "how/arch.h"
#include "how/args32.h"
#include "how/constants.h"
#include "how/eqtree.h"
#include "how/rules.h"


struct sc_action how_effective_action(const struct policy *p, size_t i)
{
	/* A process can always end, and so glovebox can always report why it
	 * could not start the command instead of leaving a crash. */
	if (syscall_is_always_allowed(i))
		return (struct sc_action){.kind = SC_ALLOW};
	const struct sc_action *a = &p->syscalls[i].action;
	if (a->kind != SC_UNSET && a->kind != SC_DEFAULT)
		return *a;
	/* io_uring's operations bypass seccomp: its calls are allowed only by
	 * name, never by a permissive default. */
	enum sc_action_kind def = p->default_action.kind;
	if (syscall_is_explicit_only(i) && (def == SC_ALLOW || def == SC_LOG))
		return (struct sc_action){.kind = SC_ERRNO, .errnum = EPERM};
	return p->default_action;
}

bool how_call_allowed(const struct policy *p, size_t i)
{
	enum sc_action_kind k = how_effective_action(p, i).kind;
	return k == SC_ALLOW || k == SC_LOG;
}

int how_validate(const struct policy *p, struct diag *d)
{
	/* glovebox starts the command with execve under the filter: a policy
	 * that refuses it could only fail once the sandbox is built. */
	size_t i = (size_t)syscall_lookup("execve");
	if (how_call_allowed(p, i))
		return 0;
	if (p->syscalls[i].action.kind != SC_UNSET)
		return diag_error(d, sc_rule_origin(p, i),
				  "this denies execve, so the command cannot start");
	/* No layer named it: blame the blank slate, or the default action. */
	const struct origin *o = p->blank_s.set		   ? &p->blank_s.origin
				 : p->default_action_s.set ? &p->default_action_s.origin
							   : NULL;
	return diag_error(d, o,
			  "nothing allows execve, so the command cannot start (allow = "
			  "@system-service, or at least execve and what the program needs to "
			  "load: @default @basic-io @file-system @process)");
}

bool how_call_may_kill(const struct policy *p, size_t i)
{
	if (how_effective_action(p, i).kind == SC_KILL)
		return true;
	for (size_t k = 0; k < p->n_arg_rules; k++)
		if (p->arg_rules[k].syscall == (int)i && p->arg_rules[k].action.kind == SC_KILL)
			return true;
	return false;
}

static uint32_t to_scmp(const struct sc_action *a)
{
	switch (a->kind) {
	case SC_ALLOW:
		return SCMP_ACT_ALLOW;
	case SC_ERRNO:
		return SCMP_ACT_ERRNO((uint32_t)a->errnum);
	case SC_KILL:
		return SCMP_ACT_KILL_PROCESS;
	case SC_LOG:
		return SCMP_ACT_LOG;
	case SC_UNSET:
	case SC_DEFAULT:
		break;
	}
	return SCMP_ACT_KILL_PROCESS;
}

/* libseccomp writes BPF to a descriptor; a pipe keeps it in memory. */
static int export_bpf(scmp_filter_ctx ctx, struct how_program *out)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	/* At most 4096 instructions (32 KiB): the 64 KiB pipe never blocks. */
	int r = seccomp_export_bpf(ctx, fds[1]);
	close(fds[1]);
	if (r < 0) {
		close(fds[0]);
		return r;
	}
	size_t cap = BPF_MAXINSNS * sizeof(struct sock_filter) + 1;
	struct sock_filter *buf = xmalloc(cap);
	ssize_t n = read_full(fds[0], buf, cap);
	close(fds[0]);
	if (n <= 0 || (size_t)n >= cap || n % (ssize_t)sizeof(struct sock_filter) != 0) {
		free(buf);
		return n < 0 ? (int)n : -E2BIG;
	}
	out->insns = buf;
	out->len = (unsigned short)((size_t)n / sizeof(struct sock_filter));
	return 0;
}

static scmp_filter_ctx new_ctx(uint32_t def)
{
	/* glovebox only compiles and exports here; it loads the program itself
	 * later. libseccomp's guess at what the running kernel supports must not
	 * change the program (it guesses low under valgrind, say): a kernel that
	 * lacks an action refuses the load, and the launch fails closed. */
	if (seccomp_api_get() < 3)
		seccomp_api_set(3);
	scmp_filter_ctx ctx = seccomp_init(def);
	if (!ctx)
		return NULL;
	/* A call from a foreign ABI (i386 through int 0x80, or x32 with bit 30
	 * set in the number) is not a call the policy talks about: kill the
	 * process instead of compiling the rules for every ABI. */
	if (seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) < 0 ||
	    seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0) < 0 ||
	    /* A binary tree: the kernel loads it faster and runs fewer
	     * instructions per call than a linear list. */
	    seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2) < 0) {
		seccomp_release(ctx);
		return NULL;
	}
	return ctx;
}

/* ---- the allowlist, by call number ---- */

static bool ns_restricted(const struct policy *p)
{
	return p->ns_allowed != NS_ALL;
}

static bool same_action(const struct sc_action *a, const struct sc_action *b)
{
	return a->kind == b->kind && (a->kind != SC_ERRNO || a->errnum == b->errnum);
}

/* The action of known call i, clone3's special case included. */
static struct sc_action final_action(const struct policy *p, size_t i)
{
	/* clone3 passes its flags in memory, where seccomp cannot look: when
	 * namespace creation is restricted, pretend it does not exist, and
	 * libc falls back to clone, whose flags are checked. */
	if (streq(syscall_table[i].name, "clone3") && how_call_allowed(p, i) && ns_restricted(p))
		return (struct sc_action){.kind = SC_ERRNO, .errnum = ENOSYS};
	return how_effective_action(p, i);
}

/* The libseccomp action of known call i. In learn mode every call the
 * policy refuses is reported to the supervisor instead, which lets it go
 * on (glovebox learn); clone3's ENOSYS stays, since libc falls back. */
static uint32_t scmp_action_of(const struct policy *p, size_t i, bool learn)
{
	if (learn && !how_call_allowed(p, i))
		return SCMP_ACT_NOTIFY;
	struct sc_action a = final_action(p, i);
	return to_scmp(&a);
}

static uint32_t scmp_default_of(const struct sc_action *def, bool learn)
{
	if (learn && def->kind != SC_ALLOW && def->kind != SC_LOG)
		return SCMP_ACT_NOTIFY;
	return to_scmp(def);
}

/* Every known call gets its action. The most common action becomes the
 * filter's default, so only the others need rules: a smaller program,
 * which the kernel loads and checks faster. Numbers glovebox does not
 * know never get here (see unknown_calls_prefix). */
static int compile_allowlist(const struct policy *p, bool learn, struct how_program *out,
			     struct diag *d)
{
	struct action_count {
		struct sc_action a;
		unsigned n;
	};
	_cleanup_free_ struct action_count *counts = NULL; /* every distinct action counts */
	size_t n_counts = 0;
	for (size_t i = 0; i < syscall_count; i++) {
		if (syscall_native_nr(i) < 0)
			continue;
		struct sc_action a = final_action(p, i);
		size_t k;
		for (k = 0; k < n_counts; k++)
			if (same_action(&counts[k].a, &a))
				break;
		if (k == n_counts)
			*APPEND(counts, n_counts) = (struct action_count){a, 0};
		counts[k].n++;
	}
	struct sc_action def = p->default_action;
	unsigned best = 0;
	for (size_t k = 0; k < n_counts; k++)
		if (counts[k].n > best) {
			best = counts[k].n;
			def = counts[k].a;
		}

	uint32_t def_act = scmp_default_of(&def, learn);
	scmp_filter_ctx ctx = new_ctx(def_act);
	if (!ctx)
		return diag_error(d, NULL, "cannot set up libseccomp");
	int r = 0;
	for (size_t i = 0; i < syscall_count && r >= 0; i++) {
		int nr = syscall_native_nr(i);
		if (nr < 0)
			continue;
		uint32_t act = scmp_action_of(p, i, learn);
		if (act == def_act)
			continue;
		r = seccomp_rule_add(ctx, act, nr, 0);
		if (r < 0)
			diag_error(d, sc_rule_origin(p, i), "%s: cannot add rule: %s",
				   syscall_table[i].name, strerror(-r));
	}
	if (r >= 0) {
		r = export_bpf(ctx, out);
		if (r < 0)
			diag_error(d, NULL, "cannot export the seccomp filter: %s", strerror(-r));
	}
	seccomp_release(ctx);
	return r < 0 ? -1 : 0;
}

/* ---- numbers glovebox does not know ---- */

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

struct gap {
	uint32_t lo, hi; /* [lo, hi) holds no known call */
};

/* Calls newer than glovebox's tables answer ENOSYS, so that libraries
 * fall back to an older call. They are the native numbers between and
 * above the known ones, which libseccomp cannot express (its rules match
 * single numbers), so this short prefix is generated from the table: for
 * each gap, highest first, "above the gap: a known call, go on; inside
 * it: ENOSYS". Foreign architectures and x32 numbers (bit 30 set) go on,
 * to be killed by the architecture checks that follow. */
static int unknown_calls_prefix(struct how_program *out)
{
	const uint32_t x32_bit = 0x40000000u;
	int *nrs = xcalloc(syscall_count, sizeof(int));
	size_t n = 0;
	for (size_t i = 0; i < syscall_count; i++)
		if (syscall_native_nr(i) >= 0)
			nrs[n++] = syscall_native_nr(i);
	qsort(nrs, n, sizeof(int), cmp_int);

	/* Every gap, however many: one left out would let its numbers through
	 * to the allowlist's default instead of ENOSYS. */
	_cleanup_free_ struct gap *gaps = NULL;
	size_t n_gaps = 0;
	*APPEND(gaps, n_gaps) = (struct gap){n ? (uint32_t)nrs[n - 1] + 1 : 0, x32_bit};
	for (size_t i = n; i-- > 1;)
		if (nrs[i] > nrs[i - 1] + 1)
			*APPEND(gaps, n_gaps) = (struct gap){(uint32_t)nrs[i - 1] + 1, (uint32_t)nrs[i]};
	if (n && nrs[0] > 0)
		*APPEND(gaps, n_gaps) = (struct gap){0, (uint32_t)nrs[0]};
	free(nrs);

	size_t len = 4 + 2 * n_gaps + 2;
	if (len > 255)
		return -E2BIG; /* conditional jumps reach 255 instructions ahead */
	struct sock_filter *f = xreallocarray(NULL, len, sizeof(*f));
	const size_t go_on = len - 2, enosys = len - 1;
	size_t at = 0;
	/* Jump offsets count from the next instruction. */
#define TO(target) (uint8_t)((target) - at - 1)
	f[at] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, arch));
	at++;
	f[at] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, GB_AUDIT_ARCH, 0, TO(go_on));
	at++;
	f[at] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, nr));
	at++;
	f[at] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, x32_bit, TO(go_on), 0);
	at++;
	for (size_t g = 0; g < n_gaps; g++) {
		f[at] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, gaps[g].hi, TO(go_on), 0);
		at++;
		f[at] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, gaps[g].lo, TO(enosys), 0);
		at++;
	}
#undef TO
	f[go_on] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[enosys] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
	out->insns = f;
	out->len = (unsigned short)len;
	return 0;
}

/* ---- argument restrictions, in a filter whose default is allow ---- */

/* Who asked for a rule: a built-in restriction, named by the key that
 * switches it on, or one of the policy's own rules. libseccomp refuses a
 * rule whose argument test another rule on the call already has with
 * another action; the error then says which two collide. */
struct rule_owner {
	const char *key;             /* "namespaces"; NULL for a restriction no key turns off */
	const struct setting *s;     /* where key was set, if any layer did */
	const char *what;            /* the restriction, in words, when no key names it */
	const struct arg_rule *rule; /* a policy rule (rule or ioctl-deny) */
};

struct added_rule {
	int syscall;
	uint32_t action;
	unsigned n;
	struct scmp_arg_cmp cmps[ARG_CMP_MAX];
	struct rule_owner owner;
};

struct restrict_ctx {
	const struct policy *p;
	bool learn; /* glovebox learn: a refused family is reported, not refused */
	scmp_filter_ctx ctx;
	struct diag *d;
	int err;
	unsigned rules;
	struct rule_owner owner; /* of the rules being asked for */
	struct added_rule *pending; /* asked for, in order, comparisons as given */
	size_t n_pending, cap_pending;
	struct added_rule *added; /* given to libseccomp, comparisons encoded */
	size_t n_added, cap_added;
};

/* Room for one more rule in a list that doubles: growing by one copied
 * the list each time (3,000 rules: a third of the compile time). */
static struct added_rule *push_rule(struct added_rule **list, size_t *n, size_t *cap)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*list = xreallocarray(*list, *cap, sizeof(**list));
	}
	return &(*list)[(*n)++];
}

static bool same_cmp(const struct scmp_arg_cmp *a, const struct scmp_arg_cmp *b)
{
	return a->arg == b->arg && a->op == b->op && a->datum_a == b->datum_a &&
	       a->datum_b == b->datum_b;
}

/* How much an earlier rule looks like the one libseccomp refused: 3 for
 * the same tests, 2 for one test in common, 1 for an argument in common.
 * libseccomp rewrites tests (!= becomes == with the actions swapped), so
 * the likeliest culprit is picked rather than an exact one required. */
static int likeness(const struct added_rule *a, unsigned n, const struct scmp_arg_cmp *cmps)
{
	int best = 0;
	unsigned same = 0;
	for (unsigned i = 0; i < n; i++)
		for (unsigned k = 0; k < a->n; k++) {
			if (same_cmp(&cmps[i], &a->cmps[k])) {
				same++;
				best = best > 2 ? best : 2;
			} else if (cmps[i].arg == a->cmps[k].arg) {
				best = best > 1 ? best : 1;
			}
		}
	return same == n && n == a->n ? 3 : best;
}

static void describe_owner(const struct rule_owner *o, char *buf, size_t size)
{
	char where[512];
	if (o->rule) {
		char text[256];
		origin_format(&o->rule->origin, where, sizeof(where));
		rule_format(o->rule, text, sizeof(text));
		snprintf(buf, size, "the earlier rule %s (%s)", text, where);
	} else if (o->key) {
		if (o->s && o->s->set)
			origin_format(&o->s->origin, where, sizeof(where));
		else
			snprintf(where, sizeof(where), "its default");
		snprintf(buf, size, "a built-in restriction from %s (%s)", o->key, where);
	} else {
		snprintf(buf, size, "a built-in restriction, %s, which no setting turns off",
			 o->what);
	}
}

/* A policy rule that libseccomp refused: say where it was written and, when
 * another rule on the call explains it, which. */
static void report_rule_error(struct restrict_ctx *rc, int i, unsigned n,
			      const struct scmp_arg_cmp *cmps, int err)
{
	const struct arg_rule *r = rc->owner.rule;
	char text[256];
	rule_format(r, text, sizeof(text));
	const struct added_rule *culprit = NULL;
	int best = -1;
	for (size_t k = 0; err == -EEXIST && k < rc->n_added; k++) {
		int l = rc->added[k].syscall == i ? likeness(&rc->added[k], n, cmps) : -1;
		if (l > best) {
			best = l;
			culprit = &rc->added[k];
		}
	}
	if (!culprit) {
		diag_error(rc->d, &r->origin, "%s: cannot add the rule: %s", text, strerror(-err));
		return;
	}
	char other[1024];
	describe_owner(&culprit->owner, other, sizeof(other));
	diag_error(rc->d, &r->origin,
		   "%s: collides with %s: both test the same arguments of %s, with different "
		   "actions",
		   text, other, syscall_table[i].name);
}

static void add_rule(struct restrict_ctx *rc, const char *name, uint32_t action, unsigned n,
		     const struct scmp_arg_cmp *given)
{
	int i = syscall_lookup(name);
	/* A restriction on a call that is refused anyway changes nothing; the
	 * calls that end a process are never restricted (profiles cannot ask,
	 * see options.c). */
	if (i < 0 || !how_call_allowed(rc->p, (size_t)i) || syscall_native_nr((size_t)i) < 0 ||
	    syscall_is_always_allowed((size_t)i))
		return;
	/* Kept until every rule is known: see pick_eq_calls. */
	struct added_rule *r = push_rule(&rc->pending, &rc->n_pending, &rc->cap_pending);
	*r = (struct added_rule){.syscall = i, .action = action, .n = n, .owner = rc->owner};
	memcpy(r->cmps, given, n * sizeof(*given));
}

static void add_to_libseccomp(struct restrict_ctx *rc, const struct added_rule *given)
{
	int i = given->syscall;
	rc->owner = given->owner;
	/* An int argument is compared on its low 32 bits only: the kernel
	 * ignores the rest, so an attacker may set them (see args32.h). */
	struct scmp_arg_cmp cmps[ARG_CMP_MAX];
	unsigned n = given->n;
	memcpy(cmps, given->cmps, n * sizeof(*cmps));
	for (unsigned k = 0; k < n; k++)
		args32_encode((size_t)i, &cmps[k]);
	int r = seccomp_rule_add_array(rc->ctx, given->action, syscall_native_nr((size_t)i), n,
				       cmps);
	if (r < 0) {
		rc->err = r;
		if (rc->owner.rule)
			report_rule_error(rc, i, n, cmps, r);
		else
			diag_error(rc->d,
				   rc->owner.s && rc->owner.s->set ? &rc->owner.s->origin : NULL,
				   "%s: cannot add an argument rule: %s", syscall_table[i].name,
				   strerror(-r));
		return;
	}
	rc->rules++;
	struct added_rule *a = push_rule(&rc->added, &rc->n_added, &rc->cap_added);
	*a = *given;
	memcpy(a->cmps, cmps, n * sizeof(*cmps));
}

/* ---- long lists of == rules, without libseccomp (see eqtree.h) ---- */

/* Below this many rules on a call, libseccomp's program is as good. The
 * whole of `glovebox compile --no-cache` with N ioctl(arg1 == V) rules,
 * CPU time (perf stat, best of 5, busy 2-CPU VM): 1,000 rules 35 ms
 * through libseccomp, 11 ms with the search; 3,000 rules 328 ms, 21 ms.
 * The slow path stays tested: test-seccomp.c runs the same thousand
 * rules through both. */
#define EQ_TREE_MIN 16

/* The low 32 bits a rule compares its argument with, when all it does is
 * test one 32-bit argument for equality (== or & 0xffffffff ==), and its
 * action is not the filter's default (libseccomp refuses that one). */
static bool eq_rule_value(const struct added_rule *r, uint32_t *value)
{
	const struct scmp_arg_cmp *c = &r->cmps[0];
	if (r->n != 1 || r->action == SCMP_ACT_ALLOW || sizeof(long) != 8 ||
	    syscall_arg_bits((size_t)r->syscall, c->arg) != 32)
		return false;
	uint64_t v = c->op == SCMP_CMP_EQ ? c->datum_a : c->datum_b;
	if (v > UINT32_MAX || (c->op != SCMP_CMP_EQ && (c->op != SCMP_CMP_MASKED_EQ ||
							  (uint32_t)c->datum_a != UINT32_MAX)))
		return false;
	*value = (uint32_t)v;
	return true;
}

/* The calls whose rules are all such tests, on one argument, with
 * distinct values, and at least EQ_TREE_MIN of them: at most one of their
 * rules matches a call, so a search finds the same answer as libseccomp's
 * program, whatever order that tests them in. */
static size_t pick_eq_calls(const struct restrict_ctx *rc, struct eq_call *calls, bool *picked)
{
	_cleanup_free_ struct eq_call *all = xcalloc(syscall_count, sizeof(*all));
	_cleanup_free_ bool *no = xcalloc(syscall_count, sizeof(*no));
	_cleanup_free_ size_t *cap = xcalloc(syscall_count, sizeof(*cap));
	for (size_t k = 0; k < rc->n_pending; k++) {
		const struct added_rule *r = &rc->pending[k];
		struct eq_call *c = &all[r->syscall];
		uint32_t v;
		if (!eq_rule_value(r, &v) || (c->n && c->arg != r->cmps[0].arg)) {
			no[r->syscall] = true;
			continue;
		}
		c->nr = syscall_native_nr((size_t)r->syscall);
		c->arg = r->cmps[0].arg;
		if (c->n == cap[r->syscall]) {
			cap[r->syscall] = c->n ? 2 * c->n : 16;
			c->cases = xreallocarray(c->cases, cap[r->syscall], sizeof(*c->cases));
		}
		c->cases[c->n++] = (struct eq_case){.value = v, .action = r->action};
	}
	size_t n = 0;
	for (size_t i = 0; i < syscall_count; i++) {
		if (!no[i] && all[i].n >= EQ_TREE_MIN && eqtree_sort(&all[i])) {
			picked[i] = true;
			calls[n++] = all[i];
		} else {
			free(all[i].cases);
		}
	}
	return n;
}

static void free_eq_calls(struct eq_call *calls, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(calls[i].cases);
	free(calls);
}

/* Every rule asked for, into eq (the calls pick_eq_calls takes) or into
 * libseccomp (the others, in the order asked, so that the first refused
 * one is reported). */
static void add_pending(struct restrict_ctx *rc, struct how_program *eq)
{
	struct eq_call *calls = xcalloc(syscall_count, sizeof(*calls));
	_cleanup_free_ bool *picked = xcalloc(syscall_count, sizeof(*picked));
	size_t n = pick_eq_calls(rc, calls, picked);
	/* The search takes about 1.2 instructions per value, libseccomp's
	 * list one: near the kernel's limit, only libseccomp's may fit. */
	if (n > 0 && eqtree_build(calls, n, eq) < 0)
		memset(picked, 0, syscall_count * sizeof(*picked));
	for (size_t k = 0; k < rc->n_pending && !rc->err; k++)
		if (!picked[rc->pending[k].syscall])
			add_to_libseccomp(rc, &rc->pending[k]);
	free_eq_calls(calls, n);
}

static void add_masked(struct restrict_ctx *rc, const char *name, uint32_t action, unsigned arg,
		       uint64_t mask, uint64_t value)
{
	struct scmp_arg_cmp c = {.arg = arg, .op = SCMP_CMP_MASKED_EQ, .datum_a = mask,
				 .datum_b = value};
	add_rule(rc, name, action, 1, &c);
}

static void restrict_namespaces(struct restrict_ctx *rc)
{
	if (!ns_restricted(rc->p))
		return;
	rc->owner = (struct rule_owner){.key = "namespaces", .s = &rc->p->ns_s};
	static const uint64_t all[] = {CLONE_NEWUSER, CLONE_NEWNS,  CLONE_NEWPID,    CLONE_NEWNET,
				       CLONE_NEWIPC,  CLONE_NEWUTS, CLONE_NEWCGROUP, CLONE_NEWTIME};
	const uint32_t eperm = SCMP_ACT_ERRNO(EPERM);
	for (size_t i = 0; i < ELEMENTSOF(all); i++) {
		if (rc->p->ns_allowed & all[i])
			continue;
		add_masked(rc, "clone", eperm, 0, all[i], all[i]);
		add_masked(rc, "unshare", eperm, 0, all[i], all[i]);
		add_masked(rc, "setns", eperm, 1, all[i], all[i]);
	}
	/* setns(fd, 0) joins whatever namespace fd is: refuse it. */
	struct scmp_arg_cmp any = {.arg = 1, .op = SCMP_CMP_EQ, .datum_a = 0};
	add_rule(rc, "setns", eperm, 1, &any);
}

static void restrict_families(struct restrict_ctx *rc)
{
	const struct policy *p = rc->p;
	if (!p->families_restricted)
		return;
	rc->owner = (struct rule_owner){.key = "socket-families", .s = &p->families_s};
	const uint32_t act = rc->learn ? SCMP_ACT_NOTIFY : SCMP_ACT_ERRNO(EAFNOSUPPORT);
	static const char *const calls[] = {"socket", "socketpair"};
	unsigned top = 0;
	for (unsigned f = 0; f < 64; f++)
		if (p->families & (UINT64_C(1) << f))
			top = f;
	/* One comparison per rule: everything above the highest allowed
	 * family (a 64-bit comparison, so set high bits are caught too), then
	 * each hole below it. */
	for (size_t c = 0; c < ELEMENTSOF(calls); c++) {
		struct scmp_arg_cmp above = {.arg = 0, .op = SCMP_CMP_GT, .datum_a = top};
		if (!p->families)
			above.op = SCMP_CMP_GE, above.datum_a = 0;
		add_rule(rc, calls[c], act, 1, &above);
		for (unsigned f = 0; p->families && f < top; f++) {
			if (p->families & (UINT64_C(1) << f))
				continue;
			struct scmp_arg_cmp eq = {.arg = 0, .op = SCMP_CMP_EQ, .datum_a = f};
			add_rule(rc, calls[c], act, 1, &eq);
		}
	}
}

static void restrict_wx(struct restrict_ctx *rc)
{
	if (!rc->p->wx)
		return;
	rc->owner = (struct rule_owner){.key = "write-xor-execute", .s = &rc->p->wx_s};
	const uint32_t eperm = SCMP_ACT_ERRNO(EPERM);
	/* Nothing writable and executable at once, nothing made executable
	 * after the fact; executable file mappings (libraries) stay fine. */
	add_masked(rc, "mmap", eperm, 2, PROT_WRITE | PROT_EXEC, PROT_WRITE | PROT_EXEC);
	add_masked(rc, "mprotect", eperm, 2, PROT_EXEC, PROT_EXEC);
	add_masked(rc, "pkey_mprotect", eperm, 2, PROT_EXEC, PROT_EXEC);
	add_masked(rc, "shmat", eperm, 2, SHM_EXEC, SHM_EXEC);
}

static void restrict_memfd(struct restrict_ctx *rc)
{
	const struct policy *p = rc->p;
	if (p->memfd_exec && !p->wx)
		return;
	rc->owner = p->memfd_exec ? (struct rule_owner){.key = "write-xor-execute", .s = &p->wx_s}
				  : (struct rule_owner){.key = "memfd-exec", .s = &p->memfd_exec_s};
	/* A memfd is a file with no path on disk: written, then run with
	 * execveat(AT_EMPTY_PATH) or through /proc/self/fd, it runs a payload
	 * that never touches a disk. Only memfds sealed non-executable (mode
	 * 0666 and F_SEAL_EXEC: no chmod makes them executable) are allowed;
	 * write-xor-execute implies this. The flags are an
	 * unsigned int, compared on their low 32 bits. Mapping such a memfd
	 * PROT_EXEC stays possible (a JIT's double mapping): write-xor-execute's
	 * mmap rules decide that. */
	const uint32_t eperm = SCMP_ACT_ERRNO(EPERM);
	add_masked(rc, "memfd_create", eperm, 1, MFD_EXEC, MFD_EXEC);
	add_masked(rc, "memfd_create", eperm, 1, MFD_NOEXEC_SEAL, 0);
}

static void restrict_personality(struct restrict_ctx *rc)
{
	if (!rc->p->personality_locked)
		return;
	rc->owner = (struct rule_owner){.key = "personality", .s = &rc->p->personality_s};
	/* Execution domains such as READ_IMPLIES_EXEC or ADDR_NO_RANDOMIZE
	 * weaken the process; only the plain Linux one is allowed. */
	struct scmp_arg_cmp ne = {.arg = 0, .op = SCMP_CMP_NE, .datum_a = 0};
	add_rule(rc, "personality", SCMP_ACT_ERRNO(EPERM), 1, &ne);
}

static void restrict_terminal(struct restrict_ctx *rc)
{
	/* TIOCSTI pushes characters into the terminal's input queue and
	 * TIOCLINUX can paste the console selection back into it: both let a
	 * sandboxed program type commands into the shell that started it
	 * (CVE-2017-5226). The kernel reads the command as 32 bits, so only the
	 * low 32 are compared, and 0x100005412 is caught as well. */
	static const unsigned long cmds[] = {TIOCSTI, TIOCLINUX};
	rc->owner = (struct rule_owner){.what = "the refusal of TIOCSTI and TIOCLINUX"};
	for (size_t i = 0; i < ELEMENTSOF(cmds); i++)
		add_masked(rc, "ioctl", SCMP_ACT_ERRNO(EPERM), 1, 0xffffffffu, cmds[i]);
}

static const int scmp_ops[] = {
	[ARG_EQ] = SCMP_CMP_EQ, [ARG_NE] = SCMP_CMP_NE, [ARG_LT] = SCMP_CMP_LT,
	[ARG_LE] = SCMP_CMP_LE, [ARG_GT] = SCMP_CMP_GT, [ARG_GE] = SCMP_CMP_GE,
	[ARG_MASKED_EQ] = SCMP_CMP_MASKED_EQ,
};

static void restrict_rules(struct restrict_ctx *rc)
{
	for (size_t i = 0; i < rc->p->n_arg_rules; i++) {
		const struct arg_rule *r = &rc->p->arg_rules[i];
		struct scmp_arg_cmp cmps[ARG_CMP_MAX];
		for (unsigned k = 0; k < r->n_cmps; k++) {
			const struct arg_cmp *c = &r->cmps[k];
			cmps[k] = (struct scmp_arg_cmp){
				.arg = c->arg,
				.op = (enum scmp_compare)scmp_ops[c->op],
				.datum_a = c->op == ARG_MASKED_EQ ? c->mask : c->value,
				.datum_b = c->op == ARG_MASKED_EQ ? c->value : 0,
			};
		}
		rc->owner = (struct rule_owner){.rule = r};
		add_rule(rc, syscall_table[r->syscall].name, to_scmp(&r->action), r->n_cmps, cmps);
	}
}

/* The argument restrictions: eq for long lists of == rules (eqtree.h),
 * out for everything else. */
static int compile_restrictions(const struct policy *p, bool learn, struct how_program *eq,
				struct how_program *out, struct diag *d)
{
	struct restrict_ctx rc = {.p = p, .learn = learn, .d = d, .ctx = new_ctx(SCMP_ACT_ALLOW)};
	if (!rc.ctx)
		return diag_error(d, NULL, "cannot set up libseccomp");
	restrict_terminal(&rc);
	restrict_namespaces(&rc);
	restrict_families(&rc);
	restrict_wx(&rc);
	restrict_memfd(&rc);
	restrict_personality(&rc);
	restrict_rules(&rc);
	add_pending(&rc, eq);
	int r = rc.err;
	if (r == 0 && rc.rules > 0) {
		r = export_bpf(rc.ctx, out);
		if (r < 0)
			diag_error(d, NULL, "cannot export the argument rules: %s", strerror(-r));
	}
	if (r == 0 && out->insns) {
		r = args32_rewrite(out);
		if (r < 0)
			diag_error(d, NULL,
				   "cannot compare 32-bit arguments on their low half: libseccomp "
				   "shares one test between calls whose argument widths differ (a "
				   "rule compares a 64-bit argument with %#x in its upper half)",
				   ARGS32_MARK);
	}
	seccomp_release(rc.ctx);
	free(rc.pending);
	free(rc.added);
	return r < 0 ? -1 : 0;
}

/* ---- one program ---- */

/* Run the programs in order: every "return ALLOW" of one becomes a jump
 * to the start of the next, so the first answer that is not "allow" is
 * the result. Each keeps its own instructions, so its relative jumps stay
 * valid. Only the last program allows for real: the earlier ones refuse
 * calls that the last one allows, which makes this the same as stacking
 * them as separate filters. */
static int chain(const struct how_program *progs, size_t n, struct how_program *out)
{
	size_t len = 0;
	for (size_t i = 0; i < n; i++)
		len += progs[i].len;
	if (len > BPF_MAXINSNS)
		return -E2BIG;
	struct sock_filter *insns = xreallocarray(NULL, len, sizeof(*insns));
	size_t at = 0;
	for (size_t i = 0; i < n; i++) {
		size_t next = at + progs[i].len;
		for (size_t k = 0; k < progs[i].len; k++, at++) {
			insns[at] = progs[i].insns[k];
			if (i + 1 < n && insns[at].code == (BPF_RET | BPF_K) &&
			    insns[at].k == SECCOMP_RET_ALLOW)
				insns[at] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA,
									 (uint32_t)(next - at - 1), 0, 0);
		}
	}
	out->insns = insns;
	out->len = (unsigned short)len;
	return 0;
}

/* learn: the allowlist reports instead of refusing, and watch (when
 * given) runs just before it, after every restriction. */
static int compile_all(const struct policy *p, bool learn, const struct how_program *watch,
		       struct how_program *out, struct diag *d)
{
	struct how_program parts[5] = {0}, eq = {0}, restrictions = {0};
	size_t n = 0;
	int r = -1;
	*out = (struct how_program){0};
	if (unknown_calls_prefix(&parts[n]) < 0) {
		diag_error(d, NULL, "cannot build the unknown-call prefix: this architecture's "
				    "system call numbers have too many gaps for one jump's reach");
		goto out;
	}
	n++;
	if (compile_restrictions(p, learn, &eq, &restrictions, d) < 0) {
		how_program_free(&eq);
		how_program_free(&restrictions);
		goto out;
	}
	/* Each restricts calls the other does not: their order is free. */
	if (eq.insns)
		parts[n++] = eq;
	if (restrictions.insns)
		parts[n++] = restrictions;
	if (watch && watch->len) {
		parts[n].insns = xreallocarray(NULL, watch->len, sizeof(*watch->insns));
		memcpy(parts[n].insns, watch->insns, watch->len * sizeof(*watch->insns));
		parts[n++].len = watch->len;
	}
	if (compile_allowlist(p, learn, &parts[n], d) < 0)
		goto out;
	n++;
	r = chain(parts, n, out);
	if (r < 0)
		diag_error(d, NULL, "the seccomp program is too long (%s)", strerror(-r));
out:
	for (size_t i = 0; i < ELEMENTSOF(parts); i++)
		how_program_free(&parts[i]);
	return r < 0 ? -1 : 0;
}

int how_compile(const struct policy *p, struct how_program *out, struct diag *d)
{
	return compile_all(p, false, NULL, out, d);
}

int how_compile_learn(const struct policy *p, const struct how_program *watch,
		      struct how_program *out, struct diag *d)
{
	return compile_all(p, true, watch, out, d);
}

void how_program_free(struct how_program *prog)
{
	free(prog->insns);
	*prog = (struct how_program){0};
}

int how_load(const struct how_program *prog)
{
	struct sock_fprog fprog = {.len = prog->len, .filter = prog->insns};
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) < 0)
		return -errno;
	return 0;
}

int how_load_listener(const struct how_program *prog)
{
	struct sock_fprog fprog = {.len = prog->len, .filter = prog->insns};
	long fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER,
			  &fprog);
	return fd < 0 ? -errno : (int)fd;
}
