/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `glovebox explain`: the policy in words, every value with its origin. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "policy/policy.h"
#include "where/plan.h"

struct explain_env {
	const char *home; /* where `home` applies */
	bool calls;       /* list every system call */
	const struct where_env *where; /* the surroundings the mounts are planned for */
};

void explain_policy(const struct policy *p, const struct explain_env *env, FILE *f);
