/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Prints the option table as scdoc, for the key list of glovebox.ini(5):
 * the man page is generated from the same table as --help and the
 * profile parser, so it cannot fall behind. */
#include <stdio.h>

#include "policy/options.h"

static void escape(const char *s)
{
	for (; *s; s++) {
		if (*s == '*' || *s == '_' || *s == '\\')
			putchar('\\');
		putchar(*s);
	}
}

int main(void)
{
	for (size_t s = 0; s < gb_section_count; s++) {
		printf("## [%s]\n\n", gb_sections[s]);
		for (size_t i = 0; i < gb_option_count; i++) {
			const struct gb_option *o = &gb_options[i];
			if (!streq(o->section, gb_sections[s]))
				continue;
			printf("*%s* = ", o->key);
			escape(o->metavar);
			printf("\n\tCommand line: *--%s*%s%s", o->cli, o->cli_short ? ", *-" : "",
			       "");
			if (o->cli_short)
				printf("%c*", o->cli_short);
			printf(". ");
			escape(o->help);
			printf(".\n\n");
		}
	}
	return 0;
}
