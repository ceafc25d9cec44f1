/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The command line: NUL-separated arguments, parsed and applied to a policy. */
#include <stdio.h>

#include "policy/cli.h"

static FILE *null_out;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!null_out)
		null_out = fopen("/dev/null", "w");
	char *buf = xmalloc(size + 1);
	memcpy(buf, data, size);
	buf[size] = '\0';
	static char name[] = "glovebox";
	char *argv[66] = {name};
	int argc = 1;
	for (size_t i = 0; i <= size && argc < 65;) {
		argv[argc++] = buf + i;
		i += strlen(buf + i) + 1;
	}
	argv[argc] = NULL;
	struct cli c;
	if (cli_parse(argc, argv, &c, null_out) == 0) {
		struct policy p;
		struct diag d;
		policy_init(&p);
		diag_init(&d, null_out, "");
		if (cli_apply(&c, &p, &d) == 0)
			policy_validate(&p, &d);
		policy_free(&p);
	}
	cli_free(&c);
	free(buf);
	return 0;
}
