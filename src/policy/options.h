/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The one option table.
 *
 * Each row is one setting: its INI section and key, its command-line
 * spelling, how its value is read, its help line and the function that
 * applies it to a policy. The profile loader, the command-line parser,
 * --help, the man page's key list and the shell completions are all driven
 * by (or tested against) this table. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "how/action.h" /* the action words the options take */
#include "policy/policy.h"
#include "policy/values.h"

struct gb_option;

/* Apply one occurrence of a setting. args are already split and expanded. */
typedef int (*option_apply_fn)(struct policy *p, const struct gb_option *opt, char **args,
			       size_t n, const struct origin *o, struct diag *d);

enum value_style {
	VALUE_WORDS,  /* split into words ("double quotes" group, \ escapes) */
	VALUE_TEXT,   /* the whole value, one argument */
	VALUE_ASSIGN, /* NAME=VALUE, split at the first '=' into two arguments */
};

#define OPT_SKIP_UNSET_VAR 0x1u /* an unset ${VAR} skips the entry (the -try forms) */
#define OPT_INCLUDE        0x2u /* [profile] include / --profile: handled by the loader */
/* A list of names: on the command line one argument may hold several,
 * separated by spaces or commas. Every other command-line value is taken
 * literally, one value an argument. */
#define OPT_CLI_NAMES      0x4u

struct gb_option {
	const char *section;
	const char *key;
	const char *cli;    /* long option, without the dashes */
	char cli_short;     /* 0 when none */
	unsigned cli_nargs; /* arguments on the command line; 0 = a flag (--opt or --opt=no) */
	unsigned min_args, max_args; /* after splitting; max_args 0 = no limit */
	enum value_style style;
	unsigned flags;
	const char *metavar;
	const char *help;
	option_apply_fn apply;
	intptr_t data;
};

extern const struct gb_option gb_options[];
extern const size_t gb_option_count;

extern const char *const gb_sections[];
extern const size_t gb_section_count;

bool option_section_known(const char *section);
const struct gb_option *option_by_key(const char *section, const char *key);
/* The resource an rlimit-* option sets (RLIMIT_*), or -1 for any other. */
int option_rlimit(const struct gb_option *opt);
const struct gb_option *option_by_cli(const char *name);
/* What an old spelling became ([what] rlimit-NAME, --rlimit-NAME: a
 * [limits] key), for the error message; NULL for any other. */
const struct gb_option *option_moved_key(const char *section, const char *key);
const struct gb_option *option_moved_cli(const char *name);
const struct gb_option *option_by_short(char c);

/* Check the argument count and run the row's apply function. */
int option_apply(struct policy *p, const struct gb_option *opt, char **args, size_t n,
		 const struct origin *o, struct diag *d);

