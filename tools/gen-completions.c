/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Prints the data block of a shell completion (bash, zsh or fish): the
 * subcommands, the options and what each option's arguments are, from the
 * same tables as --help, the man page and the parsers. The shell's logic
 * is completions/glovebox.SHELL.in; meson pastes this block into it.
 *
 * Each option's arguments are described by one word an argument:
 *   file     a path
 *   profile  a profile name (asked of glovebox at completion time) or file
 *   calls    system call and group names (asked of glovebox)
 *   caps     capability names (asked of glovebox)
 *   switch   an optional yes/no word after a flag
 *   w:A,B    one of the words A, B
 *   any      nothing to offer (a number, a text) */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bwrap/bwrap.h"
#include "policy/cli.h"
#include "policy/options.h"

/* One option as the completions see it. */
struct comp_option {
	char *names[2]; /* "--bind", "-p"; NULL when none */
	char *kinds;    /* the argument kinds, space-separated; "" for none */
	const char *help;
};

struct comp_table {
	struct comp_option *v;
	size_t n;
};

/* The metavar words that name a path. */
static const char *const path_words[] = {"SRC", "DEST", "PATH", "DIR", "LOWER", "TARGET",
					 "LINK", "FILE", "RWSRC", "WORKDIR"};

static bool is_value_word(const char *s, size_t n)
{
	if (n == 0 || !islower((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) && s[i] != '-')
			return false;
	return true;
}

/* The literal words among the alternatives of metavar token t (n bytes),
 * comma-separated, appended to *words. */
static void add_value_words(const char *t, size_t n, char **words)
{
	for (size_t k = 0; k < n;) {
		size_t m = strcspn(t + k, "|");
		if (m > n - k)
			m = n - k;
		if (is_value_word(t + k, m)) {
			char *w = xasprintf("%s%s%.*s", *words ? *words : "", *words ? "," : "",
					    (int)m, t + k);
			free(*words);
			*words = w;
		}
		k += m + 1;
	}
}

static bool token_has(const char *t, size_t n, const char *word)
{
	_cleanup_free_ char *tok = xstrndup(t, n);
	return strstr(tok, word) != NULL;
}

/* The kind of one argument, from its metavar token. */
static char *token_kind(const char *t, size_t n, char *words)
{
	if (token_has(t, n, "CALL") || token_has(t, n, "@GROUP"))
		return xstrdup("calls");
	if (token_has(t, n, "CAP"))
		return xstrdup("caps");
	if (words)
		return xasprintf("w:%s", words);
	size_t len = 0; /* "PATH..." and "DEST[:x]" name a path too */
	while (len < n && t[len] != '[' && t[len] != '.')
		len++;
	for (size_t i = 0; i < ELEMENTSOF(path_words); i++)
		if (len == strlen(path_words[i]) && strncmp(t, path_words[i], len) == 0)
			return xstrdup("file");
	return xstrdup("any");
}

/* The kinds of nargs arguments from a metavar: "SRC [DEST] [links=follow]"
 * is two paths (the NAME=VALUE words are optional extras). A list of names
 * in one argument takes the words of every token. */
static char *metavar_kinds(const char *metavar, unsigned nargs, bool names)
{
	char *out = xstrdup("");
	_cleanup_free_ char *all_words = NULL;
	if (names)
		for (const char *s = metavar; *s; s += strspn(s, " ")) {
			size_t n = strcspn(s, " ");
			add_value_words(s, n, &all_words);
			s += n;
		}
	const char *s = metavar;
	for (unsigned k = 0; k < nargs; k++) {
		s += strspn(s, " ");
		size_t n = strcspn(s, " ");
		if (n > 2 && s[0] == '[' && s[n - 1] == ']' && !memchr(s, '=', n)) {
			s++; /* an optional positional: "[DEST]" */
			n -= 2;
		}
		_cleanup_free_ char *words = NULL;
		if (names)
			words = xstrdup(all_words ? all_words : "");
		else
			add_value_words(s, n, &words);
		_cleanup_free_ char *kind = token_kind(s, n, words && *words ? words : NULL);
		char *joined = xasprintf("%s%s%s", out, *out ? " " : "", kind);
		free(out);
		out = joined;
		s += n + (s[n] == ']');
	}
	return out;
}

/* A row with the names; the caller sets its kinds. */
static struct comp_option *add(struct comp_table *t, const char *long_name, char short_name,
			       const char *help)
{
	struct comp_option *o = APPEND(t->v, t->n);
	*o = (struct comp_option){.help = help};
	o->names[0] = xasprintf("--%s", long_name);
	if (short_name)
		o->names[1] = xasprintf("-%c", short_name);
	return o;
}

static void glovebox_options(struct comp_table *t)
{
	for (size_t i = 0; i < gb_option_count; i++) {
		const struct gb_option *o = &gb_options[i];
		char *kinds = o->flags & OPT_INCLUDE ? xstrdup("profile")
			      : o->cli_nargs == 0    ? xstrdup("switch")
						     : metavar_kinds(o->metavar, o->cli_nargs,
								     o->flags & OPT_CLI_NAMES);
		add(t, o->cli, o->cli_short, o->help)->kinds = kinds;
	}
	for (size_t i = 0; i < cli_own_option_count; i++) {
		const struct cli_own_option *o = &cli_own_options[i];
		add(t, o->name, o->short_name, o->help)->kinds =
			o->metavar ? metavar_kinds(o->metavar, 1, false) : xstrdup("");
	}
}

static void bwrap_options(struct comp_table *t)
{
	unsigned nargs;
	const char *metavar, *help;
	const char *name;
	for (size_t i = 0; (name = bwrap_option(i, &nargs, &metavar, &help)); i++)
		add(t, name + 2, 0, help)->kinds = metavar_kinds(metavar, nargs, false);
}

static void table_free(struct comp_table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].names[0]);
		free(t->v[i].names[1]);
		free(t->v[i].kinds);
	}
	free(t->v);
}

/* ---- the shells ---- */

/* s in single quotes, for sh and fish (fish also escapes \ there). */
static void quoted(const char *s, bool fish)
{
	putchar('\'');
	for (; *s; s++) {
		if (*s == '\'')
			fputs(fish ? "\\'" : "'\\''", stdout);
		else if (*s == '\\' && fish)
			fputs("\\\\", stdout);
		else
			putchar(*s);
	}
	putchar('\'');
}

/* bash and zsh share the syntax of the data: arrays and a case. */
static void sh_table(const char *prefix, const struct comp_table *t, bool with_help)
{
	printf("%s_options=(", prefix);
	for (size_t i = 0; i < t->n; i++)
		for (size_t k = 0; k < 2 && t->v[i].names[k]; k++)
			printf(" %s", t->v[i].names[k]);
	puts(" )");
	if (with_help) {
		printf("%s_described=(\n", prefix);
		for (size_t i = 0; i < t->n; i++)
			for (size_t k = 0; k < 2 && t->v[i].names[k]; k++) {
				_cleanup_free_ char *d =
					xasprintf("%s:%s", t->v[i].names[k], t->v[i].help);
				putchar('\t');
				quoted(d, false);
				putchar('\n');
			}
		puts(")");
	}
	printf("# What an option's arguments are (see tools/gen-completions.c)\n"
	       "%s_args()\n{\n\tcase $1 in\n",
	       prefix);
	for (size_t i = 0; i < t->n; i++) {
		const struct comp_option *o = &t->v[i];
		printf("\t%s%s%s) echo '%s' ;;\n", o->names[0], o->names[1] ? " | " : "",
		       o->names[1] ? o->names[1] : "", o->kinds);
	}
	puts("\t*) return 1 ;;\n\tesac\n}");
}

/* The subcommands, and those that take options: two lists in the shell's
 * syntax, each opened by open[k] and closed by close. */
static void subcommand_lists(const char *const open[2], const char *close)
{
	bool takes;
	for (int k = 0; k < 2; k++) {
		fputs(open[k], stdout);
		for (size_t i = 0; cli_subcommand(i, &takes); i++)
			if (k == 0 || takes)
				printf(" %s", cli_subcommand(i, &takes));
		/* main.c hands bwrap its whole command line before cli_parse */
		printf("%s%s\n", k == 0 ? " bwrap" : "", close);
	}
}

static void fish_table(const char *prefix, const struct comp_table *t)
{
	printf("function %s_options\n", prefix);
	for (size_t i = 0; i < t->n; i++)
		for (size_t k = 0; k < 2 && t->v[i].names[k]; k++) {
			_cleanup_free_ char *d = xasprintf("%s\t%s", t->v[i].names[k], t->v[i].help);
			fputs("\tprintf '%s\\n' ", stdout);
			quoted(d, true);
			putchar('\n');
		}
	printf("end\n# What an option's arguments are (see tools/gen-completions.c)\n"
	       "function %s_args\n\tswitch $argv[1]\n",
	       prefix);
	for (size_t i = 0; i < t->n; i++) {
		const struct comp_option *o = &t->v[i];
		printf("\t\tcase %s%s%s\n\t\t\techo '%s'\n", o->names[0], o->names[1] ? " " : "",
		       o->names[1] ? o->names[1] : "", o->kinds);
	}
	puts("\t\tcase '*'\n\t\t\treturn 1\n\tend\nend");
}

int main(int argc, char **argv)
{
	if (argc != 2 || (!streq(argv[1], "bash") && !streq(argv[1], "zsh") &&
			  !streq(argv[1], "fish"))) {
		fputs("usage: gen-completions bash|zsh|fish\n", stderr);
		return 2;
	}
	struct comp_table gb = {0}, bw = {0};
	glovebox_options(&gb);
	bwrap_options(&bw);
	if (streq(argv[1], "fish")) {
		subcommand_lists((const char *const[]){"set -g __glovebox_subcommands",
							"set -g __glovebox_option_subcommands"},
				 "");
		fish_table("__glovebox", &gb);
		fish_table("__glovebox_bwrap", &bw);
	} else {
		bool zsh = streq(argv[1], "zsh");
		subcommand_lists((const char *const[]){"_glovebox_subcommands=(",
							"_glovebox_option_subcommands=("},
				 " )");
		sh_table("_glovebox", &gb, zsh);
		sh_table("_glovebox_bwrap", &bw, zsh);
	}
	table_free(&gb);
	table_free(&bw);
	return fflush(stdout) == 0 ? 0 : 1;
}
