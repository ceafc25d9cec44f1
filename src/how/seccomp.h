/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The how layer: compiling a policy's system call rules into BPF, and
 * loading it as the last step before exec. */
#pragma once

#include <linux/filter.h>
#include <stddef.h>

#include "diag.h"
#include "policy/policy.h"

/* Up to two stacked filters. The kernel runs both on every call and keeps
 * the most restrictive answer, which lets argument restrictions (a default
 * "allow" filter that denies, say, ioctl(TIOCSTI)) sit beside the allowlist
 * by number; libseccomp cannot express "allow ioctl except these commands"
 * in one filter. Filters are loaded in array order. */
#define HOW_MAX_FILTERS 2

struct how_filter {
	struct sock_filter *insns;
	unsigned short len;
};

struct how_program {
	struct how_filter filters[HOW_MAX_FILTERS];
	size_t n;
};

/* The action each known call gets after every layer: explicit rules,
 * then the default. */
struct sc_action how_effective_action(const struct policy *p, size_t syscall_index);

/* Compile with libseccomp. Returns 0, or -1 after reporting. */
int how_compile(const struct policy *p, struct how_program *out, struct diag *d);
void how_program_free(struct how_program *prog);

/* In the sandbox, after no_new_privs: load every filter. Returns 0 or -errno. */
int how_load(const struct how_program *prog);
