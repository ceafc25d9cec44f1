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

/* Ascending, in place, with no allocation (qsort's merge sort takes a
 * buffer from malloc past 1 KiB): an insertion sort, linear on the
 * nearly sorted numbers descriptors opened one after another have. */
static void sort_fds(int *fds, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		int v = fds[i];
		size_t j = i;
		for (; j > 0 && fds[j - 1] > v; j--)
			fds[j] = fds[j - 1];
		fds[j] = v;
	}
}

/* The run of consecutive descriptors at sorted[*i] on (-1 skipped), *i
 * past it; false when none is left. */
static bool next_run(const int *sorted, size_t n, size_t *i, struct fd_run *run)
{
	while (*i < n && sorted[*i] < 0)
		++*i;
	if (*i >= n)
		return false;
	*run = (struct fd_run){(unsigned)sorted[*i], (unsigned)sorted[*i]};
	for (++*i; *i < n && (unsigned)sorted[*i] <= run->last + 1; ++*i)
		run->last = (unsigned)sorted[*i];
	return true;
}

size_t where_fd_runs(int *fds, size_t n, struct fd_run *runs)
{
	sort_fds(fds, n);
	size_t k = 0;
	for (size_t i = 0; next_run(fds, n, &i, &runs[k]);)
		k++;
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

/* Sorted in place and closed run by run, with no allocation: the
 * launcher closes its copies after the clone, when its heap is shared
 * copy-on-write with pid 1 and the first malloc wrote to 4 pages (the
 * arena, the chunk, the top), each a page fault of about 25 µs here
 * (perf record -e page-faults --call-graph dwarf: 5 faults under
 * where_close_fds before, 1 after, on fds itself, which is written
 * anyway). Whole launch tree, 500 binds: 249.5 faults before, 242.5
 * after; none: 138.5 and 137 (perf stat -r 10, median of 6, load 6). */
void where_close_fds(int *fds, size_t n)
{
	sort_fds(fds, n);
	struct fd_run run;
	for (size_t i = 0; next_run(fds, n, &i, &run);)
		syscall(SYS_close_range, run.first, run.last, 0);
	for (size_t i = 0; i < n; i++)
		fds[i] = -1;
}

void where_env_close_held(const struct where_env *env)
{
	if (env->held)
		where_close_fds(env->held, env->n_held);
}
