/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fallback = landlock: where no user namespace can be made, nothing is
 * mounted. The plan is made and checked all the same, and its Landlock
 * rules, at the host's paths, are what fences the files. */
#include "where/facts.h"
#include "where/held.h"
#include "where/landlock.h"
#include "where/plan.h"

int where_landlock_host_rules(const struct policy *p, const struct where_env *env,
			      int host_mounts_fd, const struct landlock_fence *fence, int ruleset,
			      struct diag *d)
{
	where_env_close_held(env); /* nothing is cloned: the paths are looked at */
	if (ruleset < 0 || !fence->fs)
		return diag_error(d, p->landlock_fs_s.set ? &p->landlock_fs_s.origin : NULL,
				  "fallback = landlock needs Landlock's file rules, which %s",
				  fence->abi ? "landlock-fs = no turns off" : "this kernel lacks");
	struct where_plan plan;
	struct where_facts facts = {0};
	where_plan_make(p, env, &plan);
	int r = where_gather(&plan, env, host_mounts_fd, GATHER_LOOK, &facts, d);
	if (r == 0)
		r = where_plan_derive(&plan, &facts, d);
	if (r == 0)
		r = where_landlock_host_check(&plan, d);
	if (r == 0) {
		struct landlock_rules rules;
		where_landlock_rules(&plan, &facts, LANDLOCK_HOST, fence->fs, &rules);
		r = where_landlock_add_paths(ruleset, &rules, &plan, d);
		where_landlock_rules_free(&rules);
	}
	where_facts_free(&facts);
	where_plan_free(&plan);
	return r;
}
