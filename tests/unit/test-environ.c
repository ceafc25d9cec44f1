/* SPDX-License-Identifier: LGPL-2.1-or-later */
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

RUN_SUITE("environ", clear_keeps_only_matching_names, set_and_unset_apply_in_order,
	  an_empty_environment_is_still_a_vector, the_default_profile_hides_secrets_and_sets_path)
