/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Prints the option table as scdoc: the man pages are generated from the
 * same table as --help, the profile parser and the shell completions, so
 * they cannot fall behind.
 *   gen-keys [keys]   the key list of glovebox.ini(5)
 *   gen-keys options  the option list of glovebox(1)
 *   gen-keys names    every key, option and subcommand, one a line, for
 *                     the test that the pages name them all */
#include <stdio.h>

#include "policy/cli.h"
#include "policy/options.h"

static void escape(const char *s)
{
	for (; *s; s++) {
		if (*s == '*' || *s == '_' || *s == '\\')
			putchar('\\');
		putchar(*s);
	}
}

static void print_keys(void)
{
	for (size_t s = 0; s < gb_section_count; s++) {
		printf("## [%s]\n\n", gb_sections[s]);
		for (size_t i = 0; i < gb_option_count; i++) {
			const struct gb_option *o = &gb_options[i];
			if (!streq(o->section, gb_sections[s]))
				continue;
			printf("*%s* = ", o->key);
			escape(o->metavar);
			printf("\n\tCommand line: *--%s*", o->cli);
			if (o->cli_short)
				printf(", *-%c*", o->cli_short);
			printf(". ");
			escape(o->help);
			printf(".\n\n");
		}
	}
}

/* The profile keys as options, by section: the spelling, what it takes,
 * and the key it sets. */
static void print_options(void)
{
	for (size_t s = 0; s < gb_section_count; s++) {
		printf("*[%s]*:", gb_sections[s]);
		const char *sep = " ";
		for (size_t i = 0; i < gb_option_count; i++) {
			const struct gb_option *o = &gb_options[i];
			if (!streq(o->section, gb_sections[s]) || (o->flags & OPT_INCLUDE))
				continue;
			printf("%s*--%s*", sep, o->cli);
			if (!streq(o->cli, o->key))
				printf(" (*%s*)", o->key);
			sep = ", ";
		}
		printf(".\n\n");
	}
}

static void print_names(void)
{
	for (size_t i = 0; i < gb_option_count; i++) {
		const struct gb_option *o = &gb_options[i];
		printf("key %s\noption --%s\n", o->key, o->cli);
		if (o->cli_short)
			printf("option -%c\n", o->cli_short);
	}
	for (size_t i = 0; i < cli_own_option_count; i++) {
		const struct cli_own_option *o = &cli_own_options[i];
		printf("option --%s\n", o->name);
		if (o->short_name)
			printf("option -%c\n", o->short_name);
	}
	bool takes;
	for (size_t i = 0; cli_subcommand(i, &takes); i++)
		printf("subcommand %s\n", cli_subcommand(i, &takes));
	/* main.c hands bwrap its whole command line before cli_parse */
	printf("subcommand bwrap\n");
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "keys";
	if (streq(mode, "keys"))
		print_keys();
	else if (streq(mode, "options"))
		print_options();
	else if (streq(mode, "names"))
		print_names();
	else
		return 2;
	return 0;
}
