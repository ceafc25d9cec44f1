/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "how/seccomp.h"

#include <sys/ioctl.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "policy/options.h"

struct sc_action how_effective_action(const struct policy *p, size_t i)
{
	const struct sc_action *a = &p->syscalls[i].action;
	if (a->kind == SC_UNSET || a->kind == SC_DEFAULT)
		return p->default_action;
	return *a;
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
static int export_bpf(scmp_filter_ctx ctx, struct how_filter *out)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	/* BPF programs are at most 4096 instructions (32 KiB), below the
	 * pipe's 64 KiB, so the export cannot block. */
	int r = seccomp_export_bpf(ctx, fds[1]);
	close(fds[1]);
	if (r < 0) {
		close(fds[0]);
		return r;
	}
	size_t cap = BPF_MAXINSNS * sizeof(struct sock_filter);
	struct sock_filter *buf = xmalloc(cap);
	ssize_t n = read_full(fds[0], buf, cap);
	close(fds[0]);
	if (n <= 0 || n % (ssize_t)sizeof(struct sock_filter) != 0) {
		free(buf);
		return n < 0 ? (int)n : -EIO;
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

static int compile_allowlist(const struct policy *p, struct how_filter *out, struct diag *d)
{
	/* Calls glovebox does not know are newer than its tables: ENOSYS makes
	 * libraries fall back to an older call instead of failing hard. */
	const uint32_t unknown = SCMP_ACT_ERRNO(ENOSYS);
	scmp_filter_ctx ctx = new_ctx(unknown);
	if (!ctx)
		return diag_error(d, NULL, "cannot set up libseccomp");
	int r = 0;
	for (size_t i = 0; i < syscall_count && r >= 0; i++) {
		int nr = syscall_native_nr(i);
		if (nr < 0)
			continue;
		struct sc_action a = how_effective_action(p, i);
		uint32_t act = to_scmp(&a);
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

/* Argument restrictions, in a filter whose default is "allow". */
static int compile_restrictions(const struct policy *p, struct how_filter *out, bool *empty,
				struct diag *d)
{
	scmp_filter_ctx ctx = new_ctx(SCMP_ACT_ALLOW);
	if (!ctx)
		return diag_error(d, NULL, "cannot set up libseccomp");
	int r = 0;
	*empty = true;

	int ioctl_index = syscall_lookup("ioctl");
	struct sc_action ioctl_action = how_effective_action(p, (size_t)ioctl_index);
	if (ioctl_action.kind == SC_ALLOW || ioctl_action.kind == SC_LOG) {
		/* TIOCSTI pushes characters into the terminal's input queue and
		 * TIOCLINUX can copy the console selection back into it: both let a
		 * sandboxed program type commands into the shell that started it
		 * (CVE-2017-5226). The kernel reads the command as 32 bits, so only
		 * the low 32 bits are compared and 0x100005412 is caught as well. */
		static const unsigned long cmds[] = {TIOCSTI, TIOCLINUX};
		for (size_t i = 0; i < ELEMENTSOF(cmds) && r >= 0; i++)
			r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
					     SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, cmds[i]));
		*empty = false;
	}
	if (r >= 0 && !*empty)
		r = export_bpf(ctx, out);
	if (r < 0)
		diag_error(d, NULL, "cannot compile the argument rules: %s", strerror(-r));
	seccomp_release(ctx);
	return r < 0 ? -1 : 0;
}

int how_compile(const struct policy *p, struct how_program *out, struct diag *d)
{
	*out = (struct how_program){0};
	bool empty;
	/* The allowlist goes last: once it is loaded, seccomp() itself may be
	 * denied. */
	if (compile_restrictions(p, &out->filters[0], &empty, d) < 0)
		return -1;
	if (!empty)
		out->n++;
	if (compile_allowlist(p, &out->filters[out->n], d) < 0) {
		how_program_free(out);
		return -1;
	}
	out->n++;
	return 0;
}

void how_program_free(struct how_program *prog)
{
	for (size_t i = 0; i < HOW_MAX_FILTERS; i++)
		free(prog->filters[i].insns);
	*prog = (struct how_program){0};
}

int how_load(const struct how_program *prog)
{
	for (size_t i = 0; i < prog->n; i++) {
		struct sock_fprog fprog = {
			.len = prog->filters[i].len,
			.filter = prog->filters[i].insns,
		};
		if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) < 0)
			return -errno;
	}
	return 0;
}
