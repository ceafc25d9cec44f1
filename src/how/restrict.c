/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The argument restrictions: the rules that look at a call's arguments
 * (namespaces, socket families, W^X, memfd, personality, the terminal,
 * the profile's own rules), compiled into a filter whose default is allow
 * and which seccomp.c chains in front of the allowlist. */
#include "how/compile.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/memfd.h>
#include <sched.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/syscall.h>

#include "how/args32.h"
#include "how/constants.h"
#include "how/argcode.h"
#include "how/argtree.h"
#include "how/rules.h"

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

/* A rule asked for: its comparisons, as given, are n in a row in
 * restrict_ctx.cmps, so that a rule of one comparison takes 80 bytes, not
 * the 192 of a struct added_rule: `glovebox compile` with 1,000 rules
 * took 200 page faults (25 µs each on this VM), now 169. */
struct pending_rule {
	int syscall;
	uint32_t action;
	unsigned n;
	size_t at;
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
	struct pending_rule *pending; /* asked for, in order */
	size_t n_pending, cap_pending;
	struct scmp_arg_cmp *cmps; /* theirs, as given */
	size_t n_cmps, cap_cmps;
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
	/* Kept until every rule is known: see add_pending. */
	struct pending_rule *r =
		arg_push((void **)&rc->pending, &rc->n_pending, &rc->cap_pending, sizeof(*r));
	*r = (struct pending_rule){
		.syscall = i, .action = action, .n = n, .at = rc->n_cmps, .owner = rc->owner};
	for (unsigned k = 0; k < n; k++)
		*(struct scmp_arg_cmp *)arg_push((void **)&rc->cmps, &rc->n_cmps, &rc->cap_cmps,
						 sizeof(*given)) = given[k];
}

static bool orders(const struct scmp_arg_cmp *cmps, unsigned n)
{
	for (unsigned k = 0; k < n; k++)
		if (argtree_is_order(cmps[k].op))
			return true;
	return false;
}

/* libseccomp 2.5.4 miscompiles some sets of < <= > >= tests on one call
 * (test-rulesets.c has them: a call answered for a value no rule names).
 * argtree takes every call it can whose rules hold one; a rule of one
 * that it cannot take is refused rather than handed to libseccomp: a
 * filter that answers otherwise than its rules say is worse than none. */
static bool refuse_order_test(struct restrict_ctx *rc, int i, const struct pending_rule *given)
{
	if (!orders(rc->cmps + given->at, given->n))
		return false;
	rc->err = -EINVAL;
	const char *why = "glovebox compiles < <= > >= tests only on calls whose rules each hold "
			  "at most two comparisons and whose rules that can hold at once share "
			  "one action (libseccomp 2.5.4 miscompiles the others)";
	if (given->owner.rule) {
		char text[256];
		rule_format(given->owner.rule, text, sizeof(text));
		diag_error(rc->d, &given->owner.rule->origin, "%s: %s", text, why);
	} else {
		diag_error(rc->d, NULL, "%s: a built-in restriction cannot be compiled: %s",
			   syscall_table[i].name, why);
	}
	return true;
}

static void add_to_libseccomp(struct restrict_ctx *rc, const struct pending_rule *given)
{
	int i = given->syscall;
	rc->owner = given->owner;
	if (refuse_order_test(rc, i, given))
		return;
	/* An int argument is compared on its low 32 bits only: the kernel
	 * ignores the rest, so an attacker may set them (see args32.h). */
	struct scmp_arg_cmp cmps[ARG_CMP_MAX];
	unsigned n = given->n;
	memcpy(cmps, rc->cmps + given->at, n * sizeof(*cmps));
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
	*a = (struct added_rule){
		.syscall = i, .action = given->action, .n = n, .owner = given->owner};
	memcpy(a->cmps, cmps, n * sizeof(*cmps));
}

/* ---- long rule lists, without libseccomp (see argtree.h) ---- */

/* Every rule asked for, into own (the calls argtree takes) or into
 * libseccomp (the others, in the order asked, so that the first refused
 * one is reported). */
static void add_pending(struct restrict_ctx *rc, struct how_program *own)
{
	struct argtree *t = argtree_new();
	for (size_t k = 0; k < rc->n_pending; k++) {
		const struct pending_rule *r = &rc->pending[k];
		argtree_add(t, (size_t)r->syscall, r->action, r->n, rc->cmps + r->at);
	}
	_cleanup_free_ bool *picked = xcalloc(syscall_count, sizeof(*picked));
	/* The search takes about 1.2 instructions per value, libseccomp's
	 * list one: near the kernel's limit, only libseccomp's may fit. */
	argtree_build(t, picked, own);
	argtree_free(t);
	for (size_t k = 0; k < rc->n_pending && !rc->err; k++)
		if (!picked[rc->pending[k].syscall])
			add_to_libseccomp(rc, &rc->pending[k]);
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
	if (!how_ns_restricted(rc->p))
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

/* The argument restrictions: own for long rule lists (argtree.h), out for
 * everything else. */
int compile_restrictions(const struct policy *p, bool learn, struct how_program *own,
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
	add_pending(&rc, own);
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
	free(rc.cmps);
	free(rc.added);
	return r < 0 ? -1 : 0;
}
