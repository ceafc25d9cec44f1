/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The launcher's host paths (where/resolve.h): ".", ".." and repeated
 * slashes worked out as the kernel does, relative paths from the working
 * directory, and a symlink on the way followed and recorded. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "testutil.h"
#include "where/resolve.h"

/* A path that does not exist keeps its name, normalised. */
static void expect_phys(const char *path, const char *want)
{
	struct where_path p;
	where_resolve(path, true, &p);
	ck_assert_msg(streq(p.phys, want), "%s: got %s, want %s", path, p.phys, want);
	ck_assert_uint_eq(p.n_links, 0);
	where_path_free(&p);
}

START_TEST(dots_and_slashes_are_worked_out)
{
	expect_phys("/", "/");
	expect_phys("//", "/");
	expect_phys("/..", "/");
	expect_phys("/gb-no-such/./a//b/../c/", "/gb-no-such/a/c");
	expect_phys("/gb-no-such/a/../../..", "/");
	expect_phys("/gb-no-such/../gb-no-such-2/.", "/gb-no-such-2");
	expect_phys("/gb-no-such/...", "/gb-no-such/...");
	expect_phys("/gb-no-such/.a/..b", "/gb-no-such/.a/..b");
}
END_TEST

START_TEST(a_relative_path_starts_at_the_working_directory)
{
	char old[PATH_MAX];
	ck_assert_ptr_nonnull(getcwd(old, sizeof(old)));
	ck_assert_int_eq(chdir("/"), 0);
	expect_phys("gb-no-such/x", "/gb-no-such/x");
	expect_phys("..", "/");
	expect_phys(".", "/");
	ck_assert_int_eq(chdir("/tmp"), 0);
	char tmp[PATH_MAX];
	ck_assert_ptr_nonnull(getcwd(tmp, sizeof(tmp)));
	_cleanup_free_ char *want = xasprintf("%s/gb-no-such/y", tmp);
	expect_phys("./gb-no-such//z/../y", want);
	ck_assert_int_eq(chdir(old), 0);
}
END_TEST

/* A path longer than the working directory and itself would be if every
 * component grew it: the buffer is sized for both. */
START_TEST(a_long_path_of_short_components)
{
	char path[4096] = "";
	char want[4096] = "/gb-no-such";
	strcat(path, "gb-no-such");
	for (int i = 0; i < 400; i++) {
		strcat(path, "/a");
		strcat(want, "/a");
	}
	char old[PATH_MAX];
	ck_assert_ptr_nonnull(getcwd(old, sizeof(old)));
	ck_assert_int_eq(chdir("/"), 0);
	expect_phys(path, want);
	ck_assert_int_eq(chdir(old), 0);
}
END_TEST

/* where_resolve walks with openat2, which valgrind (3.19) does not know:
 * it answers ENOSYS there, and the walk cannot be checked. The normal and
 * ASan runs check it. */
static bool have_openat2(void)
{
	struct open_how how = {.flags = O_PATH | O_CLOEXEC};
	int fd = (int)syscall(SYS_openat2, AT_FDCWD, "/", &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS) {
		printf("skipped: openat2 answers ENOSYS here (valgrind?)\n");
		return false;
	}
	if (fd >= 0)
		close(fd);
	return true;
}

/* dir/real, dir/real/y and dir/link -> "real/../real": a fresh directory
 * for one test, removed by the caller with remove_tree. */
static char *link_tree(void)
{
	char *dir = xstrdup("/tmp/gb-resolve-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	_cleanup_free_ char *real = xasprintf("%s/real", dir);
	_cleanup_free_ char *y = xasprintf("%s/real/y", dir);
	_cleanup_free_ char *link = xasprintf("%s/link", dir);
	ck_assert_int_eq(mkdir(real, 0755), 0);
	ck_assert_int_eq(mkdir(y, 0755), 0);
	ck_assert_int_eq(symlink("real/../real", link), 0);
	return dir;
}

static void remove_tree(char *dir)
{
	_cleanup_free_ char *cmd = xasprintf("rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	free(dir);
}

START_TEST(a_link_on_the_way_is_followed_and_recorded)
{
	if (!have_openat2())
		return;
	char *dir = link_tree();
	_cleanup_free_ char *path = xasprintf("%s/link/./y", dir);
	struct where_path p;
	where_resolve(path, true, &p);
	_cleanup_free_ char *want = xasprintf("%s/real/y", dir);
	_cleanup_free_ char *link = xasprintf("%s/link", dir);
	ck_assert_str_eq(p.phys, want);
	ck_assert_uint_eq(p.n_links, 1);
	ck_assert_str_eq(p.links[0].path, link);
	ck_assert_str_eq(p.links[0].target, "real/../real");
	where_path_free(&p);
	remove_tree(dir);
}
END_TEST

/* A name missing after a link stays in the path, which is then missing
 * too and fails the launch when pid 1 opens it: once it was dropped, and
 * a bind of dir/link/missing bound dir/real itself. */
START_TEST(a_missing_name_after_a_link_is_kept)
{
	if (!have_openat2())
		return;
	char *dir = link_tree();
	_cleanup_free_ char *path = xasprintf("%s/link/missing", dir);
	struct where_path p;
	where_resolve(path, true, &p);
	_cleanup_free_ char *want = xasprintf("%s/real/missing", dir);
	ck_assert_str_eq(p.phys, want);
	ck_assert_uint_eq(p.n_links, 1);
	where_path_free(&p);
	_cleanup_free_ char *deeper = xasprintf("%s/link/y/missing/z", dir);
	where_resolve(deeper, true, &p);
	_cleanup_free_ char *want_deeper = xasprintf("%s/real/y/missing/z", dir);
	ck_assert_str_eq(p.phys, want_deeper);
	where_path_free(&p);
	remove_tree(dir);
}
END_TEST

RUN_SUITE("resolve", dots_and_slashes_are_worked_out, a_relative_path_starts_at_the_working_directory,
	  a_long_path_of_short_components, a_link_on_the_way_is_followed_and_recorded,
	  a_missing_name_after_a_link_is_kept)
