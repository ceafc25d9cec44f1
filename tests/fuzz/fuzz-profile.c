/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Profile text -> policy: the INI reader, every option's parser, include
 * resolution, layering, validation, and explain's rendering of the result. */
#include <stdio.h>

#include "explain.h"
#include "score.h"
#include "policy/profile.h"

static FILE *null_out;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!null_out)
		null_out = fopen("/dev/null", "w");
	static const struct expand_vars vars = {.home = "/home/fuzz", .cwd = "/src",
						.uid = "1000", .xdg_runtime_dir = NULL};
	struct policy p;
	struct diag d;
	struct profile_loader l;
	policy_init(&p);
	diag_init(&d, null_out, "");
	profile_loader_init(&l, &p, &d, &vars);
	profile_loader_add_dir(&l, "/nonexistent/glovebox-fuzz");
	profile_load_text(&l, "fuzz.ini", (const char *)data, size, "/nonexistent");
	if (d.errors == 0 && policy_validate(&p, &d) == 0) {
		struct score score;
		score_policy(&p, vars.home, &score);
		struct explain_env env = {.home = vars.home, .calls = true, .score = &score};
		explain_policy(&p, &env, null_out);
		score_free(&score);
	}
	profile_loader_free(&l);
	policy_free(&p);
	return 0;
}
