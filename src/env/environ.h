/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The [env] layer: the environment the sandboxed command starts with. */
#pragma once

#include "policy/policy.h"

/* Build the command's environment from the launcher's. With clear = yes
 * only variables matching a keep pattern survive; then set and unset apply
 * in the order the layers gave them. Pure: unit-tested. */
void env_build(const struct policy *p, char *const *host_env, struct strv *out);

/* Find the command as execvp would in env's PATH (or the system's default
 * path): a name with a '/' is a path; else the first PATH entry where it is
 * an executable regular file, or EACCES when one was found but none could
 * run, else ENOENT. It runs nothing, so it can run before the seccomp
 * filter, while an error can surely still be reported. Returns 0 and a
 * path that holds a '/' in *out (to free), or -errno. */
int env_find_command(const char *name, char *const *env, char **out);

/* NAME's value in a built environment, or NULL. */
const char *env_get(const struct strv *env, const char *name);
/* Set NAME=VALUE in a built environment, in place of any NAME there. */
void env_put(struct strv *env, const char *name, const char *value);
