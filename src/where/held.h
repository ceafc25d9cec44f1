/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The bind sources' descriptors held from the launcher's resolution to
 * pid 1's gathering (where_env.held). */
#pragma once

#include <stddef.h>

#include "where/plan.h"

/* A range of descriptor numbers, both ends included. */
struct fd_run {
	unsigned first, last;
};

/* The descriptors of fds (-1 skipped, in any order) as the fewest
 * ranges, ascending, in runs (room for n). Their count. Sorts fds. */
size_t where_fd_runs(int *fds, size_t n, struct fd_run *runs);

/* Close the descriptors of fds (-1 skipped) in a few close_range calls,
 * each -1 then. */
void where_close_fds(int *fds, size_t n);

/* How many descriptors the launcher may hold for pid 1. */
size_t where_held_budget(void);

/* Close this process's copies of env's held descriptors (each -1 then):
 * the launcher once the clone has copied them, pid 1 once it gathered. */
void where_env_close_held(const struct where_env *env);
