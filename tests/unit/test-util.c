/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* write_atomically: the one way glovebox replaces a file (the seccomp
 * cache, learn's profile, desktop entries, the X11 cookie copy). */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"
#include "util.h"

static char dir[256];

static void make_dir(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof(dir), "%s/%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", "gb-util");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void remove_dir(void)
{
	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* dir/name, in a buffer of the caller's. */
static const char *in_dir(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", dir, name);
	return buf;
}

static void put(const char *name, const char *text)
{
	char path[400];
	FILE *f = fopen(in_dir(path, sizeof(path), name), "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

/* The file's text, or "" when missing. */
static const char *get(const char *name)
{
	static char text[8192];
	char path[400];
	text[0] = '\0';
	int fd = open(in_dir(path, sizeof(path), name), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return text;
	ssize_t n = read_full(fd, text, sizeof(text) - 1);
	close(fd);
	text[n > 0 ? n : 0] = '\0';
	return text;
}

/* The entries of a directory, "." and ".." left out. */
static unsigned entries(const char *path)
{
	DIR *d = opendir(path);
	ck_assert_ptr_nonnull(d);
	unsigned n = 0;
	for (const struct dirent *e; (e = readdir(d));)
		n += !streq(e->d_name, ".") && !streq(e->d_name, "..");
	closedir(d);
	return n;
}

static mode_t mode_of(const char *name)
{
	char path[400];
	struct stat st;
	ck_assert_int_eq(stat(in_dir(path, sizeof(path), name), &st), 0);
	return st.st_mode & 07777;
}

static int write_text(const char *name, const char *text, mode_t mode, unsigned flags)
{
	char path[400];
	const struct write_part part = {text, strlen(text)};
	return write_atomically(AT_FDCWD, in_dir(path, sizeof(path), name), &part, 1, mode, flags);
}

START_TEST(the_parts_are_written_in_order)
{
	make_dir();
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(dfd, 0);
	const struct write_part parts[] = {{"one ", 4}, {"", 0}, {"two", 3}};
	ck_assert_int_eq(write_atomically(dfd, "f", parts, ELEMENTSOF(parts), 0644, 0), 0);
	close(dfd);
	ck_assert_str_eq(get("f"), "one two");
	ck_assert_uint_eq(entries(dir), 1);
	remove_dir();
}
END_TEST

START_TEST(an_existing_file_is_replaced)
{
	make_dir();
	put("f", "old contents, longer than the new");
	ck_assert_int_eq(write_text("f", "new", 0644, WRITE_SYNC), 0);
	ck_assert_str_eq(get("f"), "new");
	ck_assert_uint_eq(entries(dir), 1);
	remove_dir();
}
END_TEST

START_TEST(a_path_is_written_beside_itself)
{
	make_dir();
	char sub[400];
	ck_assert_int_eq(mkdir(in_dir(sub, sizeof(sub), "sub"), 0700), 0);
	ck_assert_int_eq(write_text("sub/f", "text", 0600, 0), 0);
	ck_assert_str_eq(get("sub/f"), "text");
	ck_assert_uint_eq(entries(dir), 1);
	ck_assert_uint_eq(entries(sub), 1);
	remove_dir();
}
END_TEST

START_TEST(the_mode_is_less_the_umask_unless_exact)
{
	make_dir();
	mode_t old = umask(077);
	ck_assert_int_eq(write_text("masked", "x", 0644, 0), 0);
	ck_assert_int_eq(write_text("exact", "x", 0644, WRITE_EXACT_MODE), 0);
	umask(old);
	ck_assert_uint_eq(mode_of("masked"), 0600);
	ck_assert_uint_eq(mode_of("exact"), 0644);
	remove_dir();
}
END_TEST

/* In a child of its own: a file size limit makes the write fail half way
 * (EFBIG), and it would fail Check's own reports too. */
static int write_limited(const char *name, size_t len)
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct rlimit small = {64, 64};
		char *big = malloc(len + 1);
		if (!big || setrlimit(RLIMIT_FSIZE, &small) < 0)
			_exit(100);
		memset(big, 'x', len);
		big[len] = '\0';
		signal(SIGXFSZ, SIG_IGN);
		_exit(-write_text(name, big, 0644, WRITE_EXACT_MODE | WRITE_SYNC));
	}
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return -WEXITSTATUS(status);
}

START_TEST(a_failed_write_keeps_the_old_file_and_leaves_no_temporary)
{
	make_dir();
	put("f", "old");
	ck_assert_int_eq(write_limited("f", 4096), -EFBIG);
	ck_assert_str_eq(get("f"), "old");
	ck_assert_uint_eq(entries(dir), 1);
	remove_dir();
}
END_TEST

START_TEST(a_failed_rename_leaves_no_temporary)
{
	make_dir();
	char path[400];
	ck_assert_int_eq(mkdir(in_dir(path, sizeof(path), "d"), 0700), 0);
	put("d/kept", "");
	/* a file cannot replace a directory */
	ck_assert_int_eq(write_text("d", "text", 0644, 0), -EISDIR);
	ck_assert_uint_eq(entries(dir), 1);
	ck_assert_uint_eq(entries(path), 1);
	remove_dir();
}
END_TEST

START_TEST(a_missing_directory_is_an_error)
{
	make_dir();
	ck_assert_int_eq(write_text("none/f", "text", 0644, 0), -ENOENT);
	ck_assert_uint_eq(entries(dir), 0);
	remove_dir();
}
END_TEST

/* A crashed writer's temporary files (same pid, every counter value
 * this process could start from) are neither reused nor harmed. */
START_TEST(a_leftover_temporary_is_passed_over)
{
	make_dir();
	char name[64];
	for (unsigned n = 0; n < 10; n++) {
		snprintf(name, sizeof(name), ".f.%d-%u.tmp", (int)getpid(), n);
		put(name, "leftover");
	}
	ck_assert_int_eq(write_text("f", "new", 0644, 0), 0);
	ck_assert_str_eq(get("f"), "new");
	ck_assert_uint_eq(entries(dir), 11);
	for (unsigned n = 0; n < 10; n++) {
		snprintf(name, sizeof(name), ".f.%d-%u.tmp", (int)getpid(), n);
		ck_assert_str_eq(get(name), "leftover");
	}
	remove_dir();
}
END_TEST

START_TEST(strv_join_puts_the_separator_between)
{
	struct strv v = {0};
	_cleanup_free_ char *none = strv_join(&v, ", ");
	ck_assert_str_eq(none, "");
	strv_add(&v, "a");
	_cleanup_free_ char *one = strv_join(&v, ", ");
	ck_assert_str_eq(one, "a");
	strv_add(&v, "");
	strv_add(&v, "ccc");
	_cleanup_free_ char *three = strv_join(&v, " -> ");
	ck_assert_str_eq(three, "a ->  -> ccc");
	strv_free(&v);
}
END_TEST

RUN_SUITE("util", strv_join_puts_the_separator_between, the_parts_are_written_in_order, an_existing_file_is_replaced,
	  a_path_is_written_beside_itself, the_mode_is_less_the_umask_unless_exact,
	  a_failed_write_keeps_the_old_file_and_leaves_no_temporary,
	  a_failed_rename_leaves_no_temporary, a_missing_directory_is_an_error,
	  a_leftover_temporary_is_passed_over)
