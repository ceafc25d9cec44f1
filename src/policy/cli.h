/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The command line, read through the same option table as profiles. */
#pragma once

#include <sys/types.h>

#include "diag.h"
#include "policy/options.h"
#include "policy/policy.h"

enum gb_command {
	CMD_RUN,
	CMD_CHECK,
	CMD_SYSCALLS,
	CMD_COMPILE,
	CMD_EXPLAIN,
	CMD_LEARN,
	CMD_LIST,
	CMD_APP,
	CMD_DESKTOP,
	CMD_HELP,
	CMD_VERSION,
};

struct cli_setting {
	const struct gb_option *opt;
	/* The words, NULL-terminated: argv's own strings (argv outlives the
	 * cli) or ones in cli.made; only the array is the setting's. */
	struct strv args;
	const char *spelled; /* as typed when another option stands for it (--file); or NULL */
};

struct cli {
	enum gb_command cmd;
	struct strv profiles; /* --profile values, in order */
	struct cli_setting *settings;
	size_t n_settings;
	struct strv made; /* the settings' words that are not argv's: split names, file content */
	char **operands; /* the command and its arguments, or a subcommand's operands */
	size_t n_operands;
	bool no_cache;      /* --no-cache: compile the seccomp program afresh */
	const char *output; /* compile -o FILE, learn -o OUT.ini */
	bool merge;         /* learn --merge: add to OUT.ini's findings */
	bool calls;         /* explain --calls */
	bool json;          /* explain --json */
	long threshold;     /* explain --threshold N: N in tenths; -1 without it */
	int info_fd;        /* --info-fd: {"child-pid": N} once the command starts */
	int status_fd;      /* --status-fd: that, then {"exit-code": N} */
	int *keep_fds;      /* --keep-fd: descriptors passed on to the command */
	size_t n_keep_fds;
	int *seccomp_fds;   /* --add-seccomp-fd: the caller's BPF programs, loaded after glovebox's */
	size_t n_seccomp_fds;
	int *file_fds;      /* --file FD DEST: read whole and closed while parsing */
	size_t n_file_fds;
	bool die_with_parent; /* --die-with-parent: glovebox ends with its parent */
	pid_t parent;         /* glovebox's parent when the command line was read */
};

/* Returns 0, or -1 after printing a usage error (exit status 2). */
int cli_parse(int argc, char **argv, struct cli *out, FILE *err);
void cli_free(struct cli *c);

/* Apply the command-line settings to a policy, after every profile. Their
 * errors are also counted in d->command_line_errors: usage errors. */
int cli_apply(const struct cli *c, struct policy *p, struct diag *d);

void cli_usage(FILE *f);
void cli_help(FILE *f);

/* The subcommands, for the completions: the name of the i-th, or NULL
 * past the last; *takes_options as its row says. */
const char *cli_subcommand(size_t i, bool *takes_options);

/* glovebox's own options (not profile keys): every one parse_own_option
 * takes, with the argument it takes (NULL: none). */
struct cli_own_option {
	const char *name; /* long, without the dashes */
	char short_name;  /* 0 when none */
	const char *metavar;
	const char *help;
};
extern const struct cli_own_option cli_own_options[];
extern const size_t cli_own_option_count;
