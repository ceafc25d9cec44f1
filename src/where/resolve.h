/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The host paths of the sandbox's sources, resolved by the launcher
 * before any namespace, so that the owner of every symlink on the way is
 * known as the host knows it. System calls only; the plan decides. */
#pragma once

#include <stdbool.h>

#include "where/plan.h"

/* openat2 that follows no symlink at all, on the way or at the end
 * (unless flags has O_PATH|O_NOFOLLOW, which opens a final link itself):
 * ELOOP when there is one. */
int where_open_no_links(int dirfd, const char *path, int flags);

/* Resolve path: one openat2 without links when there are none (the usual
 * case), else a walk component by component that follows and records
 * each. follow_last: a final symlink is followed too (not for a mirror,
 * which copies it). A missing or unreadable path keeps the rest as
 * named: pid 1 reports it when it opens it. */
void where_resolve(const char *path, bool follow_last, struct where_path *out);
void where_path_free(struct where_path *p);

/* Resolve every host path the plan of p opens (env->paths), holding the
 * binds' sources found with no link on the way (env->held, up to
 * where_held_budget), and, when p has a writable bind, $HOME and
 * where_secrets (env->home_phys, env->secret_phys). */
void where_resolve_sources(const struct policy *p, struct where_env *env);
/* Free env's paths and close the descriptors held (env->held). */
void where_env_free_paths(struct where_env *env, size_t n_sources);
