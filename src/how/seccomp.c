/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "how/seccomp.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/memfd.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "how/constants.h"
#include "policy/options.h"

#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x0008U
#endif
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

struct sc_action how_effective_action(const struct policy *p, size_t i)
{
	const struct sc_action *a = &p->syscalls[i].action;
	if (a->kind == SC_UNSET || a->kind == SC_DEFAULT)
		return p->default_action;
	return *a;
}

bool how_call_allowed(const struct policy *p, size_t i)
{
	enum sc_action_kind k = how_effective_action(p, i).kind;
	return k == SC_ALLOW || k == SC_LOG;
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

static int compile_allowlist(const struct policy *p, struct how_program *out, struct diag *d)
{
	/* Calls glovebox does not know are newer than its tables: ENOSYS makes
	 * libraries fall back to an older call instead of failing hard. */
	const uint32_t unknown = SCMP_ACT_ERRNO(ENOSYS);
	scmp_filter_ctx ctx = new_ctx(unknown);
	if (!ctx)
		return diag_error(d, NULL, "cannot set up libseccomp");
	int clone3 = syscall_lookup("clone3");
	int r = 0;
	for (size_t i = 0; i < syscall_count && r >= 0; i++) {
		int nr = syscall_native_nr(i);
		if (nr < 0)
			continue;
		struct sc_action a = how_effective_action(p, i);
		uint32_t act = to_scmp(&a);
		/* clone3 passes its flags in memory, where seccomp cannot look:
		 * when namespace creation is restricted, pretend it does not
		 * exist, and libc falls back to clone, whose flags are checked. */
		if ((int)i == clone3 && how_call_allowed(p, i) && ns_restricted(p))
			act = SCMP_ACT_ERRNO(ENOSYS);
		if (act == unknown)
			continue;
		r = seccomp_rule_add(ctx, act, nr, 0);
		if (r < 0)
			diag_error(d, &p->syscalls[i].origin, "%s: cannot add rule: %s",
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

/* ---- argument restrictions, in a filter whose default is allow ---- */

struct restrict_ctx {
	const struct policy *p;
	scmp_filter_ctx ctx;
	struct diag *d;
	int err;
	unsigned rules;
};

static void add_rule(struct restrict_ctx *rc, const char *name, uint32_t action, unsigned n,
		     const struct scmp_arg_cmp *cmps)
{
	int i = syscall_lookup(name);
	/* A restriction on a call that is refused anyway changes nothing. */
	if (rc->err || i < 0 || !how_call_allowed(rc->p, (size_t)i) || syscall_native_nr((size_t)i) < 0)
		return;
	int r = seccomp_rule_add_array(rc->ctx, action, syscall_native_nr((size_t)i), n, cmps);
	if (r < 0) {
		rc->err = r;
		diag_error(rc->d, NULL, "%s: cannot add an argument rule: %s", name, strerror(-r));
		return;
	}
	rc->rules++;
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
	const uint32_t act = SCMP_ACT_ERRNO(EAFNOSUPPORT);
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
	const uint32_t eperm = SCMP_ACT_ERRNO(EPERM);
	/* Nothing writable and executable at once, nothing made executable
	 * after the fact; executable file mappings (libraries) stay fine. */
	add_masked(rc, "mmap", eperm, 2, PROT_WRITE | PROT_EXEC, PROT_WRITE | PROT_EXEC);
	add_masked(rc, "mprotect", eperm, 2, PROT_EXEC, PROT_EXEC);
	add_masked(rc, "pkey_mprotect", eperm, 2, PROT_EXEC, PROT_EXEC);
	add_masked(rc, "shmat", eperm, 2, SHM_EXEC, SHM_EXEC);
	/* A memfd is writable memory that can then be mapped executable: only
	 * sealed non-executable ones are allowed. */
	add_masked(rc, "memfd_create", eperm, 1, MFD_EXEC, MFD_EXEC);
	add_masked(rc, "memfd_create", eperm, 1, MFD_NOEXEC_SEAL, 0);
}

static void restrict_personality(struct restrict_ctx *rc)
{
	if (!rc->p->personality_locked)
		return;
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
	for (size_t i = 0; i < rc->p->n_arg_rules && !rc->err; i++) {
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
		add_rule(rc, syscall_table[r->syscall].name, to_scmp(&r->action), r->n_cmps, cmps);
	}
}

static int compile_restrictions(const struct policy *p, struct how_program *out, struct diag *d)
{
	struct restrict_ctx rc = {.p = p, .d = d, .ctx = new_ctx(SCMP_ACT_ALLOW)};
	if (!rc.ctx)
		return diag_error(d, NULL, "cannot set up libseccomp");
	restrict_terminal(&rc);
	restrict_namespaces(&rc);
	restrict_families(&rc);
	restrict_wx(&rc);
	restrict_personality(&rc);
	restrict_rules(&rc);
	int r = rc.err;
	if (r == 0 && rc.rules > 0) {
		r = export_bpf(rc.ctx, out);
		if (r < 0)
			diag_error(d, NULL, "cannot export the argument rules: %s", strerror(-r));
	}
	seccomp_release(rc.ctx);
	return r < 0 ? -1 : 0;
}

/* ---- one program ---- */

/* Run `first`, and where it would allow, run `second`: every "return
 * ALLOW" of the first becomes a jump to the start of the second. Both keep
 * their own instructions, so their relative jumps stay valid. The result
 * equals stacking both filters, because the first only restricts calls
 * the second allows. */
static int chain(const struct how_program *first, const struct how_program *second,
		 struct how_program *out)
{
	size_t len = (size_t)first->len + second->len;
	if (len > BPF_MAXINSNS)
		return -E2BIG;
	struct sock_filter *insns = xreallocarray(NULL, len, sizeof(*insns));
	for (size_t i = 0; i < first->len; i++) {
		insns[i] = first->insns[i];
		if (insns[i].code == (BPF_RET | BPF_K) && insns[i].k == SECCOMP_RET_ALLOW)
			insns[i] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA,
								(uint32_t)(first->len - i - 1), 0, 0);
	}
	memcpy(insns + first->len, second->insns, second->len * sizeof(*insns));
	out->insns = insns;
	out->len = (unsigned short)len;
	return 0;
}

int how_compile(const struct policy *p, struct how_program *out, struct diag *d)
{
	struct how_program restrictions = {0}, allowlist = {0};
	*out = (struct how_program){0};
	if (compile_restrictions(p, &restrictions, d) < 0 ||
	    compile_allowlist(p, &allowlist, d) < 0) {
		how_program_free(&restrictions);
		how_program_free(&allowlist);
		return -1;
	}
	if (!restrictions.insns) {
		*out = allowlist;
		return 0;
	}
	int r = chain(&restrictions, &allowlist, out);
	how_program_free(&restrictions);
	how_program_free(&allowlist);
	if (r < 0)
		return diag_error(d, NULL, "the seccomp program is too long (%s)", strerror(-r));
	return 0;
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
