/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `glovebox explain`: the policy in words, every value with its origin. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "policy/policy.h"
#include "score.h"
#include "where/plan.h"

struct explain_env {
	const char *home; /* where `home` applies */
	bool calls;       /* list every system call */
	const struct where_env *where; /* the surroundings the mounts are planned for */
	const struct score *score;     /* the policy's exposure score */
	const struct strv *profiles;   /* the files layered, in order (--json) */
};

void explain_policy(const struct policy *p, const struct explain_env *env, FILE *f);
/* The same account as JSON (doc/explain-json.md), for programs. */
void explain_json(const struct policy *p, const struct explain_env *env, FILE *f);

struct where_facts;
/* The plan as the executor runs it, derived steps included: the facts are
 * looked at (stat, nothing opened or made). A source the run would refuse
 * is reported to d, and the plan then lacks the derived steps. Free both. */
void explain_plan_make(const struct policy *p, const struct where_env *where,
		       struct where_plan *plan, struct where_facts *facts, struct diag *d);
/* Why a derived step is there, in words; NULL for a mount. */
const char *explain_step_rule(const struct where_plan *plan, const struct where_step *st);

