/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Where a setting came from, and how problems with it are reported.
 *
 * Every value in a policy carries an origin (profile file and line, or the
 * command-line option) so that errors and `explain` can point at it. */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "util.h"

struct origin {
	const char *file;    /* profile path or "<built-in default>"; NULL for the command line */
	unsigned line;       /* 1-based; 0 when unknown */
	const char *section; /* INI section, without brackets */
	const char *key;     /* INI key or command-line option ("--ro-bind") */
};

/* A sink for problems. Loading keeps going after an error so that `check`
 * can list every problem, but any error stops a launch. */
struct diag {
	FILE *out;          /* where messages go; stderr unless a test captures them */
	const char *prefix; /* "glovebox: " for a launch, "" for `check` */
	unsigned errors;
	/* Those in the values of command-line options (counted by cli_apply):
	 * when they are all there is, the command line was wrong, a usage
	 * error (exit status 2) rather than a sandbox that failed to build. */
	unsigned command_line_errors;
	unsigned warnings;
};

void diag_init(struct diag *d, FILE *out, const char *prefix);

/* Report a problem with the setting at `o`. Returns -1 so callers can
 * `return diag_error(...)`. The whole line is printed through text_escape. */
_printf_(3, 4) int diag_error(struct diag *d, const struct origin *o, const char *fmt, ...);
_printf_(3, 0) int diag_verror(struct diag *d, const struct origin *o, const char *fmt, va_list ap);

/* Report something worth knowing that stops nothing: "…: warning: …". */
_printf_(3, 4) void diag_warning(struct diag *d, const struct origin *o, const char *fmt, ...);

/* Text from a profile, a path or the command line, made safe to print: a
 * hostile value or file name must not drive the terminal. C0 controls
 * (newline and tab too), DEL, C1 controls and bytes that are not valid
 * UTF-8 become \xNN; printable UTF-8 stays as it is. To be freed. */
char *text_escape(const char *s);

/* Write "FILE:LINE: [section] key" or "command line: --opt" into buf. */
void origin_format(const struct origin *o, char *buf, size_t size);
