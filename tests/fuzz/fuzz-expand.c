/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Word splitting and ${VARIABLE} expansion of a profile value. */
#include "policy/expand.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct expand_vars vars = {.home = "/home/a b", .cwd = "/src", .uid = "7",
						.xdg_runtime_dir = "/run/user/7"};
	char *text = xstrndup((const char *)data, size);
	struct strv words = {0};
	const char *why;
	if (split_words(text, &words, &why) == 0)
		for (size_t i = 0; i < words.n; i++) {
			char *out = NULL, *name = NULL;
			if (expand_string(&vars, words.v[i], &out, &name) == 0)
				free(out);
			free(name);
		}
	strv_free(&words);
	free(text);
	return 0;
}
