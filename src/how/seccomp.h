/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The how layer: compiling a policy's system call rules into one BPF
 * program, and loading it as the last step before exec. */
#pragma once

#include <linux/filter.h>
#include <stddef.h>

#include "diag.h"
#include "policy/policy.h"

/* One classic-BPF program, as the kernel (and bwrap --seccomp) takes it. */
struct how_program {
	struct sock_filter *insns;
	unsigned short len;
};

/* The action each known call gets after every layer: explicit rules,
 * then the default. */
struct sc_action how_effective_action(const struct policy *p, size_t syscall_index);

/* True when the command may make the call at all (perhaps only with some
 * arguments). */
bool how_call_allowed(const struct policy *p, size_t syscall_index);

/* True when the call, or some of its arguments, kills the process. */
bool how_call_may_kill(const struct policy *p, size_t syscall_index);

/* Refuse a policy under which the command cannot start (execve not
 * allowed), naming the line that decided it. Returns 0 or -1 (reported). */
int how_validate(const struct policy *p, struct diag *d);

/* Compile with libseccomp. Returns 0, or -1 after reporting. */
int how_compile(const struct policy *p, struct how_program *out, struct diag *d);
void how_program_free(struct how_program *prog);

/* A program someone else compiled (bwrap --seccomp's format: an array of
 * struct sock_filter), read whole from fd, which stays open. Returns 0,
 * -errno, or -EINVAL / -E2BIG when the bytes are no program. */
int how_program_read(int fd, struct how_program *out);

/* glovebox learn: every call the policy refuses (and every socket family
 * it refuses) is reported to a listener (SECCOMP_RET_USER_NOTIF) instead;
 * watch, a program of the caller's, runs after the argument restrictions
 * and before the allowlist, and may report more. Never cached: the
 * program differs from how_compile's for the same policy. */
int how_compile_learn(const struct policy *p, const struct how_program *watch,
		      struct how_program *out, struct diag *d);

/* In the sandbox, after no_new_privs. Returns 0 or -errno. */
int how_load(const struct how_program *prog);
/* The same, returning the listener's descriptor (or -errno). */
int how_load_listener(const struct how_program *prog);
