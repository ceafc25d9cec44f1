/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The bind sources' descriptors the launcher opened while it resolved
 * them (no symlink on the way) and keeps for pid 1: the clone copies
 * them along, and pid 1 checks that the tree it clones at the same path
 * is that very inode, in place of opening the path again. Both
 * processes close their copies in a few close_range calls as soon as
 * gathering no longer needs them: a held directory keeps its filesystem
 * busy on the host. */
#include "where/held.h"

#include <linux/close_range.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

size_t where_fd_runs(const int *fds, size_t n, struct fd_run *runs)
{
	_cleanup_free_ int *sorted = xcalloc(n ? n : 1, sizeof(*sorted));
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (fds[i] >= 0)
			sorted[m++] = fds[i];
	qsort(sorted, m, sizeof(*sorted), cmp_int);
	size_t k = 0;
	for (size_t i = 0; i < m; i++) {
		if (k && (unsigned)sorted[i] <= runs[k - 1].last + 1) {
			if ((unsigned)sorted[i] > runs[k - 1].last)
				runs[k - 1].last = (unsigned)sorted[i];
			continue;
		}
		runs[k++] = (struct fd_run){(unsigned)sorted[i], (unsigned)sorted[i]};
	}
	return k;
}

size_t where_held_budget(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 0;
	/* half of what this process may open: the rest is the launch's,
	 * and pid 1 holds these beside a tree per bind */
	return rl.rlim_cur == RLIM_INFINITY ? SIZE_MAX / 2 : (size_t)rl.rlim_cur / 2;
}

void where_close_fds(int *fds, size_t n)
{
	_cleanup_free_ struct fd_run *runs = xcalloc(n ? n : 1, sizeof(*runs));
	size_t k = where_fd_runs(fds, n, runs);
	for (size_t i = 0; i < k; i++)
		syscall(SYS_close_range, runs[i].first, runs[i].last, 0);
	for (size_t i = 0; i < n; i++)
		fds[i] = -1;
}

void where_env_close_held(const struct where_env *env)
{
	if (env->held)
		where_close_fds(env->held, env->n_held);
}
