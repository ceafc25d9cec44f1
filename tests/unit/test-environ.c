/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <sys/stat.h>

#include "env/environ.h"
#include "testutil.h"

static char *host[] = {"HOME=/home/a", "TERM=xterm", "LC_ALL=C", "LC_TIME=de", "SECRET=xyz",
		       "PATH=/home/a/bin:/usr/bin", "NOEQUALS", NULL};

static const char *get(const struct strv *env, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < env->n; i++)
		if (!strncmp(env->v[i], name, n) && env->v[i][n] == '=')
			return env->v[i] + n + 1;
	return NULL;
}

START_TEST(clear_keeps_only_matching_names)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(load(&f, "e.ini", "[env]\nclear = yes\nkeep = TERM LC_*\n"), 0);
	struct strv env;
	env_build(&f.p, host, &env);
	ck_assert_str_eq(get(&env, "TERM"), "xterm");
	ck_assert_str_eq(get(&env, "LC_TIME"), "de");
	ck_assert_ptr_null(get(&env, "SECRET"));
	ck_assert_ptr_null(get(&env, "HOME"));
	ck_assert_uint_eq(env.n, 3);
	ck_assert_ptr_null(env.v[env.n]);
	strv_free(&env);
	fixture_free(&f);
}
END_TEST

/* A kept name of any length is kept: no name is dropped for being long. */
START_TEST(a_long_kept_name_is_kept)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(load(&f, "e.ini", "[env]\nclear = yes\nkeep = LONG_*\n"), 0);
	char entry[400];
	memset(entry, 'X', sizeof(entry));
	memcpy(entry, "LONG_", 5);
	memcpy(entry + 300, "=v", 3);
	char *long_host[] = {entry, "SECRET=xyz", NULL};
	struct strv env;
	env_build(&f.p, long_host, &env);
	ck_assert_uint_eq(env.n, 1);
	ck_assert_str_eq(env.v[0], entry);
	strv_free(&env);
	fixture_free(&f);
}
END_TEST

START_TEST(set_and_unset_apply_in_order)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(load(&f, "e.ini", "[env]\nclear = no\nset = A=1\nunset = A SECRET\n"
					   "set = A=2\nset = PATH=/usr/bin\n"),
			 0);
	struct strv env;
	env_build(&f.p, host, &env);
	ck_assert_str_eq(get(&env, "A"), "2");
	ck_assert_str_eq(get(&env, "PATH"), "/usr/bin");
	ck_assert_ptr_null(get(&env, "SECRET"));
	ck_assert_str_eq(get(&env, "HOME"), "/home/a");
	strv_free(&env);
	fixture_free(&f);
}
END_TEST

START_TEST(an_empty_environment_is_still_a_vector)
{
	struct fixture f;
	fixture_init(&f);
	struct strv env;
	env_build(&f.p, host, &env);
	ck_assert_uint_eq(env.n, 0);
	ck_assert_ptr_nonnull(env.v);
	ck_assert_ptr_null(env.v[0]);
	strv_free(&env);
	fixture_free(&f);
}
END_TEST

START_TEST(the_default_profile_hides_secrets_and_sets_path)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(profile_load(&f.l, "default", NULL, NULL), 0);
	struct strv env;
	env_build(&f.p, host, &env);
	ck_assert_ptr_null(get(&env, "SECRET"));
	ck_assert_str_eq(get(&env, "HOME"), "/home/a");
	ck_assert_ptr_nonnull(strstr(get(&env, "PATH"), "/usr/bin"));
	ck_assert_ptr_null(strstr(get(&env, "PATH"), "/home/a"));
	strv_free(&env);
	fixture_free(&f);
}
END_TEST

/* A directory of PATH entries for env_find_command: each test's own. */
static char tree[256];

static void make_file(const char *rel, mode_t mode)
{
	_cleanup_free_ char *path = xasprintf("%s/%s", tree, rel);
	_cleanup_free_ char *dir = xstrdup(path);
	*strrchr(dir, '/') = '\0';
	_cleanup_free_ char *mk = xasprintf("mkdir -p '%s'", dir);
	ck_assert_int_eq(system(mk), 0);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("#!/bin/sh\n", f);
	fclose(f);
	ck_assert_int_eq(chmod(path, mode), 0);
}

static void make_tree(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(tree, sizeof(tree), "%s/gb-path-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(tree));
	make_file("noexec/tool", 0644);
	make_file("exec/tool", 0755);
	make_file("exec/other", 0755);
	make_file("dir/tool/x", 0644);
	make_file("file", 0755);
}

static void remove_tree(void)
{
	_cleanup_free_ char *rm = xasprintf("rm -rf '%s'", tree);
	ck_assert_int_eq(system(rm), 0);
}

/* env_find_command with PATH made of these entries under tree (":"-joined,
 * "" for an empty entry); returns the error and, in found, the path. */
static int find(const char *name, const char *entries, char **found)
{
	char value[1024] = "PATH=";
	size_t w = strlen(value);
	for (const char *p = entries;; p++) {
		size_t len = strcspn(p, ":");
		if (len)
			w += (size_t)snprintf(value + w, sizeof(value) - w, "%s/%.*s", tree, (int)len, p);
		p += len;
		if (!*p)
			break;
		value[w++] = ':';
		value[w] = '\0';
	}
	char *const env[] = {value, NULL};
	return env_find_command(name, env, found);
}

START_TEST(commands_are_found_as_execvp_finds_them)
{
	make_tree();
	char *found;
	_cleanup_free_ char *exec_tool = xasprintf("%s/exec/tool", tree);
	/* not executable, a directory, a file as an entry: passed over */
	ck_assert_int_eq(find("tool", "nowhere:noexec:dir:file:exec", &found), 0);
	ck_assert_str_eq(found, exec_tool);
	free(found);
	/* found but not runnable anywhere: EACCES; nowhere: ENOENT */
	ck_assert_int_eq(find("tool", "noexec:dir", &found), -EACCES);
	ck_assert_ptr_null(found);
	ck_assert_int_eq(find("missing", "noexec:exec", &found), -ENOENT);
	ck_assert_int_eq(find("", "exec", &found), -ENOENT);
	/* an empty entry is the working directory, kept with a slash */
	ck_assert_int_eq(chdir(tree), 0);
	ck_assert_int_eq(find("file", "noexec:", &found), 0);
	ck_assert_str_eq(found, "./file");
	free(found);
	/* a name with a slash is a path, never searched */
	ck_assert_int_eq(find("exec/other", "noexec", &found), 0);
	ck_assert_str_eq(found, "exec/other");
	free(found);
	ck_assert_int_eq(find("noexec/tool", "exec", &found), -EACCES);
	ck_assert_int_eq(find("./tool", "exec", &found), -ENOENT);
	remove_tree();
}
END_TEST

START_TEST(without_path_the_system_default_is_searched)
{
	char *const env[] = {"HOME=/", NULL};
	char *found;
	ck_assert_int_eq(env_find_command("sh", env, &found), 0);
	ck_assert_str_eq(found, "/bin/sh");
	free(found);
}
END_TEST

RUN_SUITE("environ", clear_keeps_only_matching_names, a_long_kept_name_is_kept,
	  set_and_unset_apply_in_order,
	  an_empty_environment_is_still_a_vector, the_default_profile_hides_secrets_and_sets_path,
	  commands_are_found_as_execvp_finds_them, without_path_the_system_default_is_searched)
