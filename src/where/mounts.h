/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The filesystem jail: a fresh tmpfs root filled from the policy's mount
 * operations, then pivot_root into it. Runs in the sandbox's first process,
 * inside the new user and mount namespaces. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "diag.h"
#include "policy/policy.h"
#include "where/facts.h"
#include "where/landlock.h"
#include "where/plan.h"

/* Build the new root and pivot into it; afterwards the root of every
 * process of the sandbox is the new one. host_mounts_fd carries what
 * where_send_host_mounts wrote. With a Landlock ruleset (>= 0) that
 * handles file rights, the rules that mirror the mounts go into it.
 * Returns 0 or -1 (reported). */
int where_build_root(const struct policy *p, const struct where_env *env, int host_mounts_fd,
		     const struct landlock_fence *fence, int ruleset, struct diag *d);

/* The working directory inside: chdir = ..., else the shared current
 * directory, else the caller's own when it is visible inside, else / (said
 * on stderr). */
int where_enter_workdir(const struct policy *p, const struct where_env *env, struct diag *d);
/* bwrap's: --chdir, else the caller's directory when its path exists
 * inside, else $HOME, else /; PWD in envp says which. */
int where_enter_workdir_bwrap(const struct policy *p, const struct where_env *env,
			      struct strv *envp, struct diag *d);
