/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "policy/cli.h"
#include "testutil.h"

static char errbuf[4096];

static int parse(struct cli *c, char **argv)
{
	int argc = 0;
	while (argv[argc])
		argc++;
	FILE *err = fmemopen(errbuf, sizeof(errbuf), "w");
	int r = cli_parse(argc, argv, c, err);
	fclose(err);
	return r;
}

static char *help_text(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cli_help(f);
	fclose(f);
	return buf;
}

START_TEST(options_then_command)
{
	struct cli c;
	char *argv[] = {"glovebox", "-p", "build", "--profile=gui", "-pthird", "--ro-bind", "/a",
			"/b", "--network=host", "make", "-j8", NULL};
	ck_assert_int_eq(parse(&c, argv), 0);
	ck_assert_int_eq(c.cmd, CMD_RUN);
	ck_assert_uint_eq(c.profiles.n, 3);
	ck_assert_str_eq(c.profiles.v[1], "gui");
	ck_assert_str_eq(c.profiles.v[2], "third");
	ck_assert_uint_eq(c.n_settings, 2);
	ck_assert_str_eq(c.settings[0].args.v[1], "/b");
	ck_assert_str_eq(c.settings[1].args.v[0], "host");
	ck_assert_uint_eq(c.n_operands, 2);
	ck_assert_str_eq(c.operands[1], "-j8");
	cli_free(&c);
}
END_TEST

START_TEST(double_dash_ends_options)
{
	struct cli c;
	char *argv[] = {"glovebox", "--", "--help", NULL};
	ck_assert_int_eq(parse(&c, argv), 0);
	ck_assert_int_eq(c.cmd, CMD_RUN);
	ck_assert_str_eq(c.operands[0], "--help");
	cli_free(&c);
}
END_TEST

START_TEST(no_command_is_a_usage_error)
{
	struct cli c;
	char *argv[] = {"glovebox", "--network", "none", NULL};
	ck_assert_int_eq(parse(&c, argv), -1);
	ck_assert_ptr_nonnull(strstr(errbuf, "Usage:"));
	cli_free(&c);
}
END_TEST

START_TEST(unknown_options_are_usage_errors)
{
	struct cli c;
	char *argv[] = {"glovebox", "--frobnicate", "true", NULL};
	ck_assert_int_eq(parse(&c, argv), -1);
	ck_assert_ptr_nonnull(strstr(errbuf, "unknown option '--frobnicate'"));
	cli_free(&c);
}
END_TEST

START_TEST(missing_arguments_are_usage_errors)
{
	struct cli c;
	char *argv[] = {"glovebox", "--ro-bind", "/a", NULL};
	ck_assert_int_eq(parse(&c, argv), -1);
	ck_assert_ptr_nonnull(strstr(errbuf, "--ro-bind needs SRC DEST"));
	cli_free(&c);
	char *argv2[] = {"glovebox", "--ro-bind=/a", "/b", "true", NULL};
	ck_assert_int_eq(parse(&c, argv2), -1);
	cli_free(&c);
}
END_TEST

START_TEST(flags_take_an_optional_value)
{
	struct cli c;
	char *argv[] = {"glovebox", "--clearenv", "--clearenv=no", "true", NULL};
	ck_assert_int_eq(parse(&c, argv), 0);
	ck_assert_str_eq(c.settings[0].args.v[0], "yes");
	ck_assert_str_eq(c.settings[1].args.v[0], "no");
	cli_free(&c);
}
END_TEST

START_TEST(list_options_split_their_argument)
{
	struct cli c;
	char *argv[] = {"glovebox", "--allow", "read write", "--bind", "/a b", "/c", "true", NULL};
	ck_assert_int_eq(parse(&c, argv), 0);
	ck_assert_uint_eq(c.settings[0].args.n, 2);
	ck_assert_uint_eq(c.settings[1].args.n, 2);
	ck_assert_str_eq(c.settings[1].args.v[0], "/a b"); /* paths are never split */
	cli_free(&c);
}
END_TEST

START_TEST(optional_name_value_words_follow_the_arguments)
{
	struct cli c;
	char *argv[] = {"glovebox", "--tmpfs", "/x", "size=1M", "mode=0700", "--file", "/f",
			"hi", "mode=0600", "--bind", "/a", "/b", "mode=0700", NULL};
	ck_assert_int_eq(parse(&c, argv), 0);
	ck_assert_uint_eq(c.n_settings, 3);
	ck_assert_uint_eq(c.settings[0].args.n, 3);
	ck_assert_str_eq(c.settings[0].args.v[2], "mode=0700");
	ck_assert_uint_eq(c.settings[1].args.n, 3);
	ck_assert_str_eq(c.settings[1].args.v[2], "mode=0600");
	/* bind takes no such word: it is the command */
	ck_assert_uint_eq(c.settings[2].args.n, 2);
	ck_assert_uint_eq(c.n_operands, 1);
	ck_assert_str_eq(c.operands[0], "mode=0700");
	cli_free(&c);
	/* after --, nothing is an option's */
	char *argv2[] = {"glovebox", "--dir", "/d", "--", "mode=0700", NULL};
	ck_assert_int_eq(parse(&c, argv2), 0);
	ck_assert_uint_eq(c.settings[0].args.n, 1);
	ck_assert_str_eq(c.operands[0], "mode=0700");
	cli_free(&c);
}
END_TEST

START_TEST(help_shows_the_command_line_arguments)
{
	char *buf = help_text();
	ck_assert_ptr_nonnull(strstr(buf, "--ro-bind SRC DEST "));
	ck_assert_ptr_nonnull(strstr(buf, "--overlay LOWER DIR DEST "));
	ck_assert_ptr_nonnull(strstr(buf, "--tmpfs DEST [size=BYTES] [mode=OCTAL]"));
	free(buf);
}
END_TEST

START_TEST(subcommands_come_first)
{
	struct cli c;
	char *argv[] = {"glovebox", "check", "a.ini", "b.ini", NULL};
	ck_assert_int_eq(parse(&c, argv), 0);
	ck_assert_int_eq(c.cmd, CMD_CHECK);
	ck_assert_uint_eq(c.n_operands, 2);
	cli_free(&c);
	char *argv2[] = {"glovebox", "-p", "x", "check", NULL};
	ck_assert_int_eq(parse(&c, argv2), 0);
	ck_assert_int_eq(c.cmd, CMD_RUN);
	cli_free(&c);
}
END_TEST

START_TEST(help_and_version)
{
	struct cli c;
	char *argv[] = {"glovebox", "--help", NULL};
	ck_assert_int_eq(parse(&c, argv), 0);
	ck_assert_int_eq(c.cmd, CMD_HELP);
	cli_free(&c);
	char *argv2[] = {"glovebox", "-V", NULL};
	ck_assert_int_eq(parse(&c, argv2), 0);
	ck_assert_int_eq(c.cmd, CMD_VERSION);
	cli_free(&c);
}
END_TEST

START_TEST(command_line_settings_apply_with_their_spelling)
{
	struct cli c;
	struct fixture f;
	fixture_init(&f);
	char *argv[] = {"glovebox", "--hostname", "bad/name", "true", NULL};
	ck_assert_int_eq(parse(&c, argv), 0);
	ck_assert_int_eq(cli_apply(&c, &f.p, &f.d), -1);
	ck_assert_msgs_contain(&f, "command line: --hostname: bad/name:");
	cli_free(&c);
	fixture_free(&f);
}
END_TEST

START_TEST(help_lists_every_option)
{
	char *buf = help_text();
	for (size_t i = 0; i < gb_option_count; i++) {
		char needle[80];
		snprintf(needle, sizeof(needle), "--%s ", gb_options[i].cli);
		if (gb_options[i].cli_nargs == 0)
			snprintf(needle, sizeof(needle), "--%s[", gb_options[i].cli);
		ck_assert_msg(strstr(buf, needle), "--help lacks %s", needle);
	}
	free(buf);
}
END_TEST

RUN_SUITE("cli", options_then_command, double_dash_ends_options, no_command_is_a_usage_error,
	  unknown_options_are_usage_errors, missing_arguments_are_usage_errors,
	  flags_take_an_optional_value, list_options_split_their_argument, subcommands_come_first,
	  help_and_version, command_line_settings_apply_with_their_spelling, help_lists_every_option,
	  optional_name_value_words_follow_the_arguments, help_shows_the_command_line_arguments)
