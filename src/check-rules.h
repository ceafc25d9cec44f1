/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `glovebox check`'s warnings: contradictions and risks beyond syntax, a
 * table of rules over the loaded layers. Pure: no file is read. */
#pragma once

#include "diag.h"
#include "policy/policy.h"
#include "policy/profile.h"

struct check_input {
	const struct policy *p;
	/* loaded with record = true: the layers' edges and every key line */
	const struct profile_loader *l;
	const char *home; /* $HOME, or NULL when unknown */
};

/* Run every rule; each problem is a diag_warning that names its file and
 * line. */
void check_rules_run(const struct check_input *in, struct diag *d);
