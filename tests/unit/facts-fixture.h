/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Facts built by hand for the plan and Landlock tests. */
#pragma once

#include "where/facts.h"
#include "where/plan.h"

/* Facts for a plan: no source known yet. Free src alone. */
static inline struct where_facts facts_for(const struct where_plan *plan)
{
	struct where_facts fx = {.n_src = plan->n_sources};
	fx.src = xcalloc(plan->n_sources, sizeof(*fx.src));
	for (size_t i = 0; i < plan->n_sources; i++)
		fx.src[i].fd = fx.src[i].auxfd = -1;
	for (size_t i = 0; i < WHERE_N_DEV_NODES; i++)
		fx.devnodes[i] = -1;
	return fx;
}
