/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Profile values: splitting into words and expanding ${VARIABLES}. Pure. */
#pragma once

#include "util.h"

/* The variables a profile may use. A NULL value means "not set". */
struct expand_vars {
	const char *home;
	const char *cwd;
	const char *uid;
	const char *xdg_runtime_dir;
};

/* Fill vars from the launcher's environment and process state. The strings
 * live in storage until expand_vars_free. */
struct expand_storage {
	char *home, *cwd, *uid;
};
void expand_vars_from_process(struct expand_vars *vars, struct expand_storage *storage);

/* The home directory a passwd(5) file gives uid, or NULL; to be freed. */
char *passwd_home(const char *passwd_path, uid_t uid);
void expand_storage_free(struct expand_storage *storage);

/* Split a value into words. Whitespace separates words; "double quotes"
 * group a word and take \" \\ \n and \t escapes; 'single quotes' group
 * literally.
 * Returns 0, or -EINVAL with *why set for an unterminated quote. */
int split_words(const char *s, struct strv *out, const char **why);

/* Expand ${HOME} ${CWD} ${UID} ${XDG_RUNTIME_DIR}; "$$" is a literal '$'.
 * Returns 0; -ENOENT when a variable is unset (its name in *name);
 * -EINVAL for an unknown variable or a malformed reference (*name set). */
int expand_string(const struct expand_vars *vars, const char *in, char **out, char **name);
