/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The bind sources' descriptors the launcher holds for pid 1: closed in
 * as few close_range calls as their numbers allow, and only they. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "where/facts.h"
#include "where/held.h"

static char *runs_text(const int *fds, size_t n)
{
	struct fd_run runs[16];
	int copy[16];
	ck_assert_uint_le(n, 16);
	memcpy(copy, fds, n * sizeof(*fds));
	size_t k = where_fd_runs(copy, n, runs);
	char *out = xstrdup("");
	for (size_t i = 0; i < k; i++) {
		char *next = xasprintf("%s%s%u-%u", out, i ? " " : "", runs[i].first, runs[i].last);
		free(out);
		out = next;
	}
	return out;
}

#define RUNS(expect, ...)                                                                          \
	do {                                                                                       \
		static const int fds_[] = {__VA_ARGS__};                                           \
		char *t_ = runs_text(fds_, ELEMENTSOF(fds_));                                      \
		ck_assert_str_eq(t_, expect);                                                      \
		free(t_);                                                                          \
	} while (0)

START_TEST(descriptors_in_a_row_make_one_range)
{
	RUNS("3-7", 3, 4, 5, 6, 7);
	RUNS("3-7", 7, 5, 3, 6, 4);
	RUNS("3-5 7-7 9-10", 5, 3, 4, -1, 9, 10, 7);
	RUNS("", -1, -1);
	RUNS("4-5", 4, 4, 5);
	RUNS("3-3 5-5 7-7 9-9", 9, 7, 5, 3); /* one run each: as many runs as descriptors */
	struct fd_run none[1];
	ck_assert_uint_eq(where_fd_runs(NULL, 0, none), 0);
}
END_TEST

static bool is_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

START_TEST(only_the_held_descriptors_are_closed)
{
	int fds[6];
	for (size_t i = 0; i < ELEMENTSOF(fds); i++)
		fds[i] = open("/dev/null", O_RDONLY | O_CLOEXEC);
	/* held: all but fds[2], which lies between them and stays open */
	int held[] = {fds[0], fds[1], -1, fds[3], fds[5], fds[4]};
	struct where_env env = {.held = held, .n_held = ELEMENTSOF(held)};
	where_env_close_held(&env);
	for (size_t i = 0; i < ELEMENTSOF(fds); i++)
		ck_assert_msg(is_open(fds[i]) == (i == 2), "descriptor %zu", i);
	for (size_t i = 0; i < ELEMENTSOF(held); i++)
		ck_assert_int_eq(held[i], -1);
	close(fds[2]);
	where_env_close_held(&(struct where_env){0}); /* none held */
}
END_TEST

START_TEST(the_facts_close_only_the_sources_trees)
{
	int fds[5];
	for (size_t i = 0; i < ELEMENTSOF(fds); i++)
		fds[i] = open("/dev/null", O_RDONLY | O_CLOEXEC);
	/* trees: all but fds[1], which lies between them and stays open */
	struct where_facts f = {.n_src = 5, .src = xcalloc(5, sizeof(*f.src))};
	int trees[] = {fds[0], -1, fds[2], fds[4], fds[3]};
	for (size_t i = 0; i < f.n_src; i++)
		f.src[i] = (struct where_source){.fd = trees[i], .auxfd = -1, .workfd = -1};
	for (size_t i = 0; i < WHERE_N_DEV_NODES; i++)
		f.devnodes[i] = -1;
	where_facts_free(&f);
	for (size_t i = 0; i < ELEMENTSOF(fds); i++)
		ck_assert_msg(is_open(fds[i]) == (i == 1), "descriptor %zu", i);
	close(fds[1]);
}
END_TEST

RUN_SUITE("held", descriptors_in_a_row_make_one_range, only_the_held_descriptors_are_closed,
	  the_facts_close_only_the_sources_trees)
