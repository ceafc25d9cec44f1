/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `glovebox explain`: the policy in words, every value with its origin. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "policy/policy.h"

struct explain_env {
	const char *home; /* where `home` applies */
	bool calls;       /* list every system call */
};

void explain_policy(const struct policy *p, const struct explain_env *env, FILE *f);
