/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The what layer: capabilities, securebits and resource limits of the
 * sandboxed command. */
#pragma once

#include "diag.h"
#include "policy/policy.h"

/* Keep exactly the policy's capabilities in the bounding, permitted,
 * effective, inheritable and ambient sets, and lock the securebits so that
 * nothing (setuid root, file capabilities) can add any back. */
int what_apply_caps(const struct policy *p, struct diag *d);

/* Without a user namespace (fallback = landlock) the capabilities are the
 * host's: every one is dropped, whatever the profile keeps. 0 or -1. */
int what_drop_host_caps(struct diag *d);

int what_apply_rlimits(const struct policy *p, struct diag *d);

/* What the launch is certain to be refused, from this process: an rlimit
 * whose hard limit it could not raise, no user namespace for a user other
 * than root. `check` and the launch both ask, so they agree. */
int what_check_privileges(const struct policy *p, struct diag *d);
