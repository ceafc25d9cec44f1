/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The general argument-rule syntax, parsed and rendered back. */
#include "how/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);
	struct arg_rule r;
	const char *why;
	if (rule_parse(text, &r, &why) == 0) {
		char out[1024];
		rule_format(&r, out, sizeof(out));
		/* What rule_format writes, rule_parse reads back the same. */
		struct arg_rule again;
		if (rule_parse(out, &again, &why) != 0 || again.syscall != r.syscall ||
		    again.n_cmps != r.n_cmps)
			__builtin_trap();
	}
	free(text);
	return 0;
}
