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
#include "how/rules.h"
#include "how/compile.h"


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
	/* A shipped block (grant-network) run by itself: say how to use it. */
	if (policy_is_building_block(p))
		return diag_error(d, o,
				  "nothing allows execve, so the command cannot start: " BUILDING_BLOCK_HINT
				  "runs things (-p default -p BLOCK, or include = default BLOCK)");
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

uint32_t to_scmp(const struct sc_action *a)
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
int export_bpf(scmp_filter_ctx ctx, struct how_program *out)
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

scmp_filter_ctx new_ctx(uint32_t def)
{
	/* glovebox only compiles and exports here; it loads the program itself
	 * later. libseccomp's guess at what the running kernel supports must not
	 * change the program (it guesses low under valgrind, say): a kernel that
	 * lacks an action refuses the load, and the launch fails closed. Level
	 * 5 is the one that has SCMP_ACT_NOTIFY (glovebox learn). */
	if (seccomp_api_get() < 5)
		seccomp_api_set(5);
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
	if (streq(syscall_table[i].name, "clone3") && how_call_allowed(p, i) && how_ns_restricted(p))
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
	struct how_program parts[5] = {0}, own = {0}, restrictions = {0};
	size_t n = 0;
	int r = -1;
	*out = (struct how_program){0};
	if (unknown_calls_prefix(&parts[n]) < 0) {
		diag_error(d, NULL, "cannot build the unknown-call prefix: this architecture's "
				    "system call numbers have too many gaps for one jump's reach");
		goto out;
	}
	n++;
	if (compile_restrictions(p, learn, &own, &restrictions, d) < 0) {
		how_program_free(&own);
		how_program_free(&restrictions);
		goto out;
	}
	/* Each restricts calls the other does not: their order is free. */
	if (own.insns)
		parts[n++] = own;
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

int how_program_read(int fd, struct how_program *out)
{
	size_t cap = 4096, n = 0;
	_cleanup_free_ char *buf = xmalloc(cap);
	for (;;) {
		if (n == cap)
			buf = xreallocarray(buf, cap *= 2, 1);
		ssize_t k = read(fd, buf + n, cap - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -errno;
		if (k == 0)
			break;
		n += (size_t)k;
		/* past the kernel's limit already: no need to read on */
		if (n > (BPF_MAXINSNS + 1) * sizeof(struct sock_filter))
			return -E2BIG;
	}
	if (n == 0 || n % sizeof(struct sock_filter) != 0 ||
	    n / sizeof(struct sock_filter) > BPF_MAXINSNS)
		return -EINVAL;
	*out = (struct how_program){.insns = (struct sock_filter *)(void *)steal_pointer(&buf),
				    .len = (unsigned short)(n / sizeof(struct sock_filter))};
	return 0;
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
