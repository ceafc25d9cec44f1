/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "testutil.h"

static const struct expand_vars vars = {
	.home = "/home/a b", .cwd = "/src", .uid = "1000", .xdg_runtime_dir = NULL};

static char *expand_ok(const char *in)
{
	char *out = NULL, *name = NULL;
	int r = expand_string(&vars, in, &out, &name);
	ck_assert_msg(r == 0, "expanding '%s' failed: %d (%s)", in, r, name ? name : "");
	return out;
}

static int expand_err(const char *in, char **name)
{
	char *out = NULL;
	int r = expand_string(&vars, in, &out, name);
	ck_assert_ptr_null(out);
	return r;
}

START_TEST(words_split_on_whitespace)
{
	struct strv w = {0};
	const char *why;
	ck_assert_int_eq(split_words("  a\tb   c ", &w, &why), 0);
	ck_assert_uint_eq(w.n, 3);
	ck_assert_str_eq(w.v[0], "a");
	ck_assert_str_eq(w.v[2], "c");
	strv_free(&w);
}
END_TEST

START_TEST(quotes_group_words_with_spaces)
{
	struct strv w = {0};
	const char *why;
	ck_assert_int_eq(split_words("\"/my dir\" 'it''s' x\"y z\" \"q\\\"uote\\\\\"", &w, &why), 0);
	ck_assert_uint_eq(w.n, 4);
	ck_assert_str_eq(w.v[0], "/my dir");
	ck_assert_str_eq(w.v[1], "its");
	ck_assert_str_eq(w.v[2], "xy z");
	ck_assert_str_eq(w.v[3], "q\"uote\\");
	strv_free(&w);
}
END_TEST

START_TEST(backslash_escapes_a_space)
{
	struct strv w = {0};
	const char *why;
	ck_assert_int_eq(split_words("/a\\ b c", &w, &why), 0);
	ck_assert_uint_eq(w.n, 2);
	ck_assert_str_eq(w.v[0], "/a b");
	strv_free(&w);
}
END_TEST

START_TEST(empty_quotes_make_an_empty_word)
{
	struct strv w = {0};
	const char *why;
	ck_assert_int_eq(split_words("\"\" x", &w, &why), 0);
	ck_assert_uint_eq(w.n, 2);
	ck_assert_str_eq(w.v[0], "");
	strv_free(&w);
}
END_TEST

START_TEST(unterminated_quotes_are_errors)
{
	struct strv w = {0};
	const char *why = NULL;
	ck_assert_int_eq(split_words("\"abc", &w, &why), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "unterminated"));
	ck_assert_int_eq(split_words("a 'bc", &w, &why), -EINVAL);
	strv_free(&w);
}
END_TEST

START_TEST(variables_expand)
{
	char *s = expand_ok("${HOME}/x:${CWD}:${UID}");
	ck_assert_str_eq(s, "/home/a b/x:/src:1000");
	free(s);
	s = expand_ok("no variables");
	ck_assert_str_eq(s, "no variables");
	free(s);
}
END_TEST

START_TEST(double_dollar_is_a_literal_dollar)
{
	char *s = expand_ok("$$HOME $${HOME}");
	ck_assert_str_eq(s, "$HOME ${HOME}");
	free(s);
}
END_TEST

START_TEST(unset_variable_is_enoent)
{
	char *name = NULL;
	ck_assert_int_eq(expand_err("${XDG_RUNTIME_DIR}/bus", &name), -ENOENT);
	ck_assert_str_eq(name, "XDG_RUNTIME_DIR");
	free(name);
}
END_TEST

START_TEST(unknown_variable_is_einval)
{
	char *name = NULL;
	ck_assert_int_eq(expand_err("${PATH}", &name), -EINVAL);
	ck_assert_str_eq(name, "PATH");
	free(name);
}
END_TEST

START_TEST(malformed_references_are_einval)
{
	char *name = NULL;
	ck_assert_int_eq(expand_err("$HOME", &name), -EINVAL);
	ck_assert_str_eq(name, "$HOME");
	free(name);
	ck_assert_int_eq(expand_err("${HOME", &name), -EINVAL);
	free(name);
	ck_assert_int_eq(expand_err("trailing $", &name), -EINVAL);
	free(name);
}
END_TEST

START_TEST(home_comes_from_passwd_when_unset)
{
	const char *tmp = getenv("TMPDIR");
	char path[256];
	snprintf(path, sizeof(path), "%s/gb-passwd-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	static const char text[] = "root:x:0:0:root:/root:/bin/sh\n"
				   "broken line without fields\n"
				   "short:x:7\n"
				   "relative:x:8:8::home/rel:/bin/sh\n"
				   "alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash\n"
				   "nohome:x:1001:1001:::/bin/sh\n"
				   "last:x:1002:1002::/srv/last"; /* no newline at the end */
	ck_assert_int_eq(write(fd, text, sizeof(text) - 1), (ssize_t)sizeof(text) - 1);
	close(fd);
	static const struct {
		uid_t uid;
		const char *home;
	} cases[] = {{0, "/root"}, {1000, "/home/alice"}, {1002, "/srv/last"},
		     {7, NULL},    {8, NULL},	      {1001, NULL}, {4242, NULL}};
	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		char *home = passwd_home(path, cases[i].uid);
		if (cases[i].home)
			ck_assert_str_eq(home, cases[i].home);
		else
			ck_assert_ptr_null(home);
		free(home);
	}
	ck_assert_ptr_null(passwd_home("/nonexistent/passwd", 0));
	unlink(path);
}
END_TEST

RUN_SUITE("expand", words_split_on_whitespace, quotes_group_words_with_spaces,
	  backslash_escapes_a_space, empty_quotes_make_an_empty_word,
	  unterminated_quotes_are_errors, variables_expand, double_dollar_is_a_literal_dollar,
	  unset_variable_is_enoent, unknown_variable_is_einval, malformed_references_are_einval,
	  home_comes_from_passwd_when_unset)
