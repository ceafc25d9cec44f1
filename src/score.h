/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The exposure score: how much of the host a policy leaves within the
 * command's reach, from 0.0 (tight) to 10.0 (no sandbox), in the spirit
 * of systemd-analyze security. Pure: it reads the resolved policy alone
 * (not this kernel, not the host's files), so a profile scores the same
 * on every machine and the unit tests can pin it. */
#pragma once

#include <stddef.h>

#include "policy/policy.h"

struct score_factor {
	const char *name;
	double weight; /* the most it adds, in points of the score */
	double points; /* what it adds under this policy: 0 up to weight */
	char reason[192];
};

struct score {
	double value; /* the sum of the points, 0.0 to 10.0 */
	struct score_factor *factors; /* every factor, in the table's order */
	size_t n_factors;
};

/* home: the user's home directory as the profiles expanded ${HOME}, to
 * know the binds of it or in it; NULL when unknown. */
void score_policy(const struct policy *p, const char *home, struct score *out);
void score_free(struct score *s);

/* The score as explain shows it and --threshold compares it: tenths. */
long score_tenths(double value);
