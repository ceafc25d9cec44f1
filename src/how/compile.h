/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What seccomp.c (the allowlist and the chained program) and restrict.c
 * (the argument restrictions) share. Internal to src/how/. */
#pragma once

#include <seccomp.h>

#include "how/seccomp.h"

/* Whether the policy limits which namespaces the command may create. */
static inline bool how_ns_restricted(const struct policy *p)
{
	return p->ns_allowed != NS_ALL;
}

/* The libseccomp action for a policy action. */
uint32_t to_scmp(const struct sc_action *a);
/* A libseccomp context set up the way every glovebox filter is: foreign
 * ABIs killed, no_new_privs left to glovebox, a binary tree. NULL on
 * failure. */
scmp_filter_ctx new_ctx(uint32_t def);
/* The context's program, in out->insns (to be freed). 0 or -errno. */
int export_bpf(scmp_filter_ctx ctx, struct how_program *out);
/* The argument restrictions: own for long rule lists (argtree.h), out
 * for everything else; either may stay empty. learn: a refused socket
 * family is reported (glovebox learn), not refused. 0 or -1 (reported). */
int compile_restrictions(const struct policy *p, bool learn, struct how_program *own,
			 struct how_program *out, struct diag *d);
