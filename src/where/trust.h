/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Which host paths a sandbox may be given: the rules on symlinks met on
 * the way to a source and on writable binds of places of secrets. Pure:
 * the facts come from where/resolve.c, in struct where_env. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "diag.h"
#include "where/plan.h"

/* Whether a symlink on the way to a source may be followed: one of root's,
 * when someone else runs glovebox (a sandbox makes its files as the user
 * who runs it; when that is root, ownership proves nothing). */
bool where_link_trusted(const struct where_link *l, uid_t invoker);
/* The first link on the way that may not be followed, or NULL. */
const struct where_link *where_untrusted_link(const struct where_path *p, uid_t invoker);
/* "owned by uid N, not root", or why root's own link proves nothing. Free it. */
char *where_link_owner(const struct where_link *l, uid_t invoker);
/* What a writable bind of the host path phys (resolved) would expose: /,
 * $HOME, a directory above it, or a where_secrets place, the place
 * itself, above or inside it. NULL when none. */
const char *where_exposes(const char *phys, const struct where_env *env);
/* Refuse a mount step whose source goes through a symlink that may not be
 * followed (unless links=follow), or whose writable bind exposes what
 * where_exposes names (unless writable=intended); the message says what
 * to write instead. 0 or -1 (reported). No env, or no paths in it: 0. */
int where_refuse_source(const struct where_step *st, const struct where_env *env,
			struct diag *d);
