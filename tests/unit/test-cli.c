/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "policy/cli.h"

#include <fcntl.h>
#include <unistd.h>

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
	char *argv[] = {"glovebox", NULL};
	ck_assert_int_eq(parse(&c, argv), -1);
	ck_assert_ptr_nonnull(strstr(errbuf, "Usage:"));
	cli_free(&c);
	/* options alone start a shell on a terminal only: not here */
	int saved = dup(STDIN_FILENO), null = open("/dev/null", O_RDONLY);
	ck_assert_int_ge(null, 0);
	ck_assert_int_eq(dup2(null, STDIN_FILENO), STDIN_FILENO);
	char *argv2[] = {"glovebox", "--network", "none", NULL};
	ck_assert_int_eq(parse(&c, argv2), -1);
	ck_assert_ptr_nonnull(strstr(errbuf, "no command to run"));
	cli_free(&c);
	dup2(saved, STDIN_FILENO);
	close(saved);
	close(null);
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
}
END_TEST

/* What was typed is quoted escaped: an ESC in an argument must not reach
 * the terminal. */
START_TEST(a_usage_error_escapes_what_was_typed)
{
	struct cli c;
	char *argv[] = {"glovebox", "--bo\x1b[31mgus", "--", "true", NULL};
	ck_assert_int_eq(parse(&c, argv), -1);
	ck_assert_ptr_null(strchr(errbuf, '\x1b'));
	ck_assert_ptr_nonnull(strstr(errbuf, "unknown option '--bo\\x1b[31mgus'"));
	cli_free(&c);
}
END_TEST

/* --file FD DEST, bubblewrap's grammar: the file key's setting, in its
 * place, with what FD gave; FD read and closed while parsing. */
START_TEST(file_reads_its_descriptor_in_bubblewraps_grammar)
{
	int fds[2];
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(write(fds[1], "a\nb", 3), 3);
	close(fds[1]);
	char fd_arg[16];
	snprintf(fd_arg, sizeof(fd_arg), "%d", fds[0]);
	struct cli c;
	char *argv[] = {"glovebox", "--tmpfs", "/srv", "--file", fd_arg, "/srv/f", "--", "true",
			NULL};
	ck_assert_int_eq(parse(&c, argv), 0);
	ck_assert_uint_eq(c.n_settings, 2);
	ck_assert_str_eq(c.settings[1].opt->key, "file");
	ck_assert_str_eq(c.settings[1].spelled, "--file");
	ck_assert_str_eq(c.settings[1].args.v[0], "/srv/f");
	ck_assert_str_eq(c.settings[1].args.v[1], "a\nb");
	ck_assert_int_eq(fcntl(fds[0], F_GETFD), -1); /* used up */
	cli_free(&c);
	char *closed[] = {"glovebox", "--file", fd_arg, "/f", "--", "true", NULL};
	ck_assert_int_eq(parse(&c, closed), -1);
	ck_assert_msg(strstr(errbuf, "--file ") && strstr(errbuf, ": Bad file descriptor"), "%s",
		      errbuf);
	cli_free(&c);
	char *no_dest[] = {"glovebox", "--file", "3", "true", NULL};
	ck_assert_int_eq(parse(&c, no_dest), -1);
	ck_assert_ptr_nonnull(strstr(errbuf, "--file needs a descriptor number"));
	cli_free(&c);
}
END_TEST

/* "--bind /tmp -- true" once made "--" the destination. */
START_TEST(double_dash_is_never_a_value)
{
	static const char *const cases[][3] = {
		{"--bind", "/tmp", "--bind needs SRC DEST"},
		{"--overlay-tmp", "/usr", "--overlay-tmp needs LOWER DEST"},
		{"--network", NULL, "--network needs none|host|user"},
		{"--profile", NULL, "--profile needs NAME|PATH"},
		{"-p", NULL, "--profile needs NAME|PATH"},
		{"--allow", NULL, "--allow needs CALL|@GROUP..."},
		{"--info-fd", NULL, "--info-fd needs a descriptor number"},
	};
	for (size_t k = 0; k < ELEMENTSOF(cases); k++) {
		struct cli c;
		char *argv[6] = {"glovebox", (char *)cases[k][0]};
		int n = 2;
		if (cases[k][1])
			argv[n++] = (char *)cases[k][1];
		argv[n++] = "--";
		argv[n++] = "true";
		ck_assert_int_eq(parse(&c, argv), -1);
		ck_assert_msg(strstr(errbuf, cases[k][2]), "%s: %s", cases[k][0], errbuf);
		cli_free(&c);
	}
}
END_TEST

/* Every option that takes values takes the first one glued on with '='
 * too, and means the same. */
START_TEST(values_take_both_spellings)
{
	static char *const values[] = {"/a", "/b", "/c"};
	for (size_t i = 0; i < gb_option_count; i++) {
		const struct gb_option *o = &gb_options[i];
		if (o->cli_nargs == 0)
			continue;
		char opt[80], glued[96];
		snprintf(opt, sizeof(opt), "--%s", o->cli);
		snprintf(glued, sizeof(glued), "--%s=%s", o->cli, values[0]);
		char *apart[8] = {"glovebox", opt}, *together[8] = {"glovebox", glued};
		int na = 2, nt = 2;
		for (unsigned k = 0; k < o->cli_nargs; k++) {
			apart[na++] = values[k];
			if (k > 0)
				together[nt++] = values[k];
		}
		apart[na++] = together[nt++] = "true";
		struct cli a, t;
		ck_assert_int_eq(parse(&a, apart), 0);
		ck_assert_int_eq(parse(&t, together), 0);
		if (o->flags & OPT_INCLUDE) {
			ck_assert_str_eq(a.profiles.v[0], "/a");
			ck_assert_str_eq(t.profiles.v[0], "/a");
		} else {
			ck_assert_uint_eq(a.settings[0].args.n, o->cli_nargs);
			ck_assert_uint_eq(t.settings[0].args.n, o->cli_nargs);
			for (unsigned k = 0; k < o->cli_nargs; k++)
				ck_assert_str_eq(t.settings[0].args.v[k], a.settings[0].args.v[k]);
		}
		ck_assert_str_eq(a.operands[0], "true");
		ck_assert_str_eq(t.operands[0], "true");
		cli_free(&a);
		cli_free(&t);
	}
}
END_TEST

START_TEST(flags_take_an_optional_value)
{
	struct cli c;
	char *argv[] = {"glovebox", "--clearenv", "--clearenv=no", "--unshare-pid", "no",
			"--unshare-ipc", "off", "--unshare-uts", "make", NULL};
	ck_assert_int_eq(parse(&c, argv), 0);
	ck_assert_uint_eq(c.n_settings, 5);
	ck_assert_str_eq(c.settings[0].args.v[0], "yes");
	ck_assert_str_eq(c.settings[1].args.v[0], "no");
	ck_assert_str_eq(c.settings[2].args.v[0], "no");
	ck_assert_str_eq(c.settings[3].args.v[0], "off");
	ck_assert_str_eq(c.settings[4].args.v[0], "yes");
	ck_assert_uint_eq(c.n_operands, 1); /* "make" is not a yes/no word: the command */
	ck_assert_str_eq(c.operands[0], "make");
	cli_free(&c);
}
END_TEST

/* "--clearenv true" takes "true" as the value: say so when no command is left. */
START_TEST(a_switch_that_took_the_command_says_so)
{
	struct cli c;
	char *argv[] = {"glovebox", "--clearenv", "true", NULL};
	ck_assert_int_eq(parse(&c, argv), -1);
	ck_assert_ptr_nonnull(strstr(errbuf, "'true' is the value of --clearenv; put -- before"));
	cli_free(&c);
	char *argv2[] = {"glovebox", "--clearenv", "--", "true", NULL};
	ck_assert_int_eq(parse(&c, argv2), 0);
	ck_assert_str_eq(c.settings[0].args.v[0], "yes");
	ck_assert_str_eq(c.operands[0], "true");
	cli_free(&c);
}
END_TEST

/* One rule for every list of names: one argument, names separated by
 * spaces or commas; the option may repeat. */
START_TEST(name_lists_split_at_spaces_and_commas)
{
	static const char *const opts[] = {"--allow", "--deny", "--capabilities", "--namespaces",
					   "--socket-families", "--ioctl-deny", "--keep-env",
					   "--unsetenv"};
	for (size_t k = 0; k < ELEMENTSOF(opts); k++) {
		struct cli c;
		char *argv[] = {"glovebox", (char *)opts[k], "setresuid setresgid", (char *)opts[k],
				" a,b , c\td ", "true", NULL};
		ck_assert_int_eq(parse(&c, argv), 0);
		ck_assert_uint_eq(c.n_settings, 2);
		ck_assert_uint_eq(c.settings[0].args.n, 2);
		ck_assert_str_eq(c.settings[0].args.v[1], "setresgid");
		ck_assert_uint_eq(c.settings[1].args.n, 4);
		ck_assert_str_eq(c.settings[1].args.v[0], "a");
		ck_assert_str_eq(c.settings[1].args.v[3], "d");
		cli_free(&c);
		char *empty[] = {"glovebox", (char *)opts[k], " , ", "true", NULL};
		ck_assert_int_eq(parse(&c, empty), -1);
		ck_assert_ptr_nonnull(strstr(errbuf, "needs"));
		cli_free(&c);
	}
}
END_TEST

/* A setting has room for its option's usual number of words: more (names
 * split from one argument, NAME=VALUE words after the arguments) grow it,
 * and hundreds of settings keep their words in order, each list ending in
 * NULL as every strv does. */
START_TEST(settings_grow_past_their_usual_words)
{
	enum { BINDS = 600 };
	static char paths[BINDS][16];
	static char *argv[7 + 3 * BINDS + 2]; /* the options above, the binds, true, NULL */
	size_t n = 0;
	argv[n++] = "glovebox";
	argv[n++] = "--allow";
	argv[n++] = "a b c d e f g h i j k l m n o p q r s t";
	argv[n++] = "--tmpfs";
	argv[n++] = "/t";
	argv[n++] = "size=1M";
	argv[n++] = "mode=0700";
	for (size_t k = 0; k < BINDS; k++) {
		snprintf(paths[k], sizeof(paths[k]), "/src/%03zu", k);
		argv[n++] = "--ro-bind";
		argv[n++] = paths[k];
		argv[n++] = paths[k] + 4; /* "/NNN" */
	}
	argv[n++] = "true";
	argv[n] = NULL;
	struct cli c;
	ck_assert_int_eq(parse(&c, argv), 0);
	ck_assert_uint_eq(c.n_settings, 2 + BINDS);
	ck_assert_uint_eq(c.settings[0].args.n, 20);
	ck_assert_str_eq(c.settings[0].args.v[19], "t");
	ck_assert_ptr_null(c.settings[0].args.v[20]);
	ck_assert_uint_eq(c.settings[1].args.n, 3);
	ck_assert_str_eq(c.settings[1].args.v[2], "mode=0700");
	ck_assert_ptr_null(c.settings[1].args.v[3]);
	for (size_t k = 0; k < BINDS; k++) {
		const struct cli_setting *s = &c.settings[2 + k];
		ck_assert_uint_eq(s->args.n, 2);
		ck_assert_str_eq(s->args.v[0], paths[k]);
		ck_assert_str_eq(s->args.v[1], paths[k] + 4);
		ck_assert_ptr_null(s->args.v[2]);
	}
	ck_assert_uint_eq(c.n_operands, 1);
	cli_free(&c);
}
END_TEST

/* Paths and texts are one value an argument, as the shell gave them: no
 * splitting, no quotes, no ${VARIABLES}. */
START_TEST(paths_and_texts_are_literal)
{
	struct cli c;
	char *argv[] = {"glovebox", "--tmpfs", "/a b", "--mirror", "/x y", "--dir", "/d e",
			"mode=0700", "--bind", "\"/q\"", "${HOME}", "--setenv", "V", "'a b'",
			"--rule", "ptrace(arg0 == 1)", "true", NULL};
	ck_assert_int_eq(parse(&c, argv), 0);
	ck_assert_uint_eq(c.n_settings, 6);
	ck_assert_uint_eq(c.settings[0].args.n, 1);
	ck_assert_str_eq(c.settings[0].args.v[0], "/a b");
	ck_assert_uint_eq(c.settings[1].args.n, 1);
	ck_assert_str_eq(c.settings[1].args.v[0], "/x y");
	ck_assert_uint_eq(c.settings[2].args.n, 2);
	ck_assert_str_eq(c.settings[2].args.v[0], "/d e");
	ck_assert_str_eq(c.settings[3].args.v[0], "\"/q\"");
	ck_assert_str_eq(c.settings[3].args.v[1], "${HOME}");
	ck_assert_str_eq(c.settings[4].args.v[1], "'a b'");
	ck_assert_uint_eq(c.settings[5].args.n, 1);
	cli_free(&c);
}
END_TEST

START_TEST(optional_name_value_words_follow_the_arguments)
{
	struct cli c;
	char *argv[] = {"glovebox", "--tmpfs", "/x", "size=1M", "mode=0700", "--file-text", "/f",
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
	ck_assert_ptr_nonnull(strstr(buf, "--overlay-dir LOWER DIR DEST\n"));
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
	ck_assert_int_eq(parse(&c, argv2), -1);
	ck_assert_ptr_nonnull(strstr(errbuf, "check takes no options and goes first: "
					     "glovebox check [--strict] PROFILE..."));
	cli_free(&c);
	char *argv3[] = {"glovebox", "-p", "x", "--", "check", NULL};
	ck_assert_int_eq(parse(&c, argv3), 0);
	ck_assert_int_eq(c.cmd, CMD_RUN);
	ck_assert_str_eq(c.operands[0], "check");
	cli_free(&c);
}
END_TEST

/* "glovebox -p build explain" once ran a program named explain. */
START_TEST(explain_and_compile_take_the_options_before_them)
{
	struct cli c;
	char *argv[] = {"glovebox", "-p", "build", "--network", "host", "explain", "--calls", NULL};
	ck_assert_int_eq(parse(&c, argv), 0);
	ck_assert_int_eq(c.cmd, CMD_EXPLAIN);
	ck_assert_uint_eq(c.profiles.n, 1);
	ck_assert_uint_eq(c.n_settings, 1);
	ck_assert(c.calls);
	cli_free(&c);
	char *argv2[] = {"glovebox", "-p", "build", "-o", "f", "compile", NULL};
	ck_assert_int_eq(parse(&c, argv2), 0);
	ck_assert_int_eq(c.cmd, CMD_COMPILE);
	ck_assert_str_eq(c.output, "f");
	cli_free(&c);
	char *argv3[] = {"glovebox", "-p", "build", "explain", "make", NULL};
	ck_assert_int_eq(parse(&c, argv3), -1);
	ck_assert_ptr_nonnull(strstr(errbuf, "'make': explain takes options, not a command"));
	cli_free(&c);
	char *argv4[] = {"glovebox", "--calls", "make", NULL};
	ck_assert_int_eq(parse(&c, argv4), -1);
	ck_assert_ptr_nonnull(strstr(errbuf, "--calls goes with explain"));
	cli_free(&c);
}
END_TEST

/* explain --threshold N: tenths, exact; only explain takes it, and --json. */
START_TEST(explain_takes_a_threshold_in_tenths_and_json)
{
	static const struct {
		const char *arg;
		long tenths; /* -2: refused */
	} cases[] = {{"0", 0}, {"2.5", 25}, {"10", 100}, {"10.0", 100}, {"3", 30},
		     {"10.1", -2}, {"11", -2}, {"-1", -2}, {"2.55", -2}, {"2.", -2}, {"x", -2},
		     {"", -2}};
	for (size_t k = 0; k < ELEMENTSOF(cases); k++) {
		struct cli c;
		char *argv[] = {"glovebox", "explain", "--threshold", (char *)cases[k].arg, NULL};
		int r = parse(&c, argv);
		ck_assert_msg(r == (cases[k].tenths == -2 ? -1 : 0), "%s", cases[k].arg);
		if (r == 0)
			ck_assert_int_eq(c.threshold, cases[k].tenths);
		else
			ck_assert_ptr_nonnull(strstr(errbuf, "--threshold needs a score from 0 to 10"));
		cli_free(&c);
	}
	struct cli c;
	char *argv[] = {"glovebox", "explain", "--json", "--threshold=4", NULL};
	ck_assert_int_eq(parse(&c, argv), 0);
	ck_assert(c.json);
	ck_assert_int_eq(c.threshold, 40);
	cli_free(&c);
	char *argv2[] = {"glovebox", "explain", NULL};
	ck_assert_int_eq(parse(&c, argv2), 0);
	ck_assert(!c.json);
	ck_assert_int_eq(c.threshold, -1);
	cli_free(&c);
	char *argv3[] = {"glovebox", "--threshold", "3", "--", "true", NULL};
	ck_assert_int_eq(parse(&c, argv3), -1);
	ck_assert_ptr_nonnull(strstr(errbuf, "--json and --threshold go with explain"));
	cli_free(&c);
	char *argv4[] = {"glovebox", "--json", "true", NULL};
	ck_assert_int_eq(parse(&c, argv4), -1);
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
	ck_assert_int_eq(load(&f, "p.ini", "[where]\nnetwork = sideways\n"), -1);
	ck_assert_uint_eq(f.d.command_line_errors, 0);
	ck_assert_int_eq(cli_apply(&c, &f.p, &f.d), -1);
	ck_assert_msgs_contain(&f, "command line: --hostname: bad/name:");
	/* a usage error only when nothing else went wrong */
	ck_assert_uint_eq(f.d.command_line_errors, 1);
	ck_assert_uint_eq(f.d.errors, 2);
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

START_TEST(help_fits_80_columns)
{
	char *buf = help_text();
	unsigned n = 0;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"), n++)
		ck_assert_msg(strlen(line) <= 80, "%zu columns: %s", strlen(line), line);
	ck_assert_uint_gt(n, 60);
	free(buf);
}
END_TEST

/* The completions offer cli_own_options: each row is an option the parser
 * knows, in both spellings, and --help names it. */
START_TEST(own_options_table_matches_the_parser)
{
	char *help = help_text();
	for (size_t i = 0; i < cli_own_option_count; i++) {
		const struct cli_own_option *o = &cli_own_options[i];
		char name[64], short_name[3] = {'-', o->short_name, '\0'};
		snprintf(name, sizeof(name), "--%s", o->name);
		for (int k = 0; k < (o->short_name ? 2 : 1); k++) {
			struct cli c;
			char *argv[] = {"glovebox", k ? short_name : name, "3", "true", NULL};
			errbuf[0] = '\0';
			parse(&c, argv);
			cli_free(&c);
			ck_assert_msg(!strstr(errbuf, "unknown option"), "%s: %s", argv[1], errbuf);
		}
		ck_assert_msg(strstr(help, name) || (o->short_name && strstr(help, short_name)),
			      "--help lacks %s", name);
	}
	free(help);
}
END_TEST

START_TEST(learn_takes_options_an_output_and_a_command)
{
	struct cli c;
	char *argv[] = {"glovebox", "learn", "-p", "base", "-o", "out.ini", "--merge", "--",
			"prog", "arg", NULL};
	ck_assert_int_eq(parse(&c, argv), 0);
	ck_assert_int_eq(c.cmd, CMD_LEARN);
	ck_assert_str_eq(c.output, "out.ini");
	ck_assert(c.merge);
	ck_assert_uint_eq(c.n_operands, 2);
	ck_assert_str_eq(c.operands[0], "prog");
	cli_free(&c);
	char *no_out[] = {"glovebox", "learn", "--", "prog", NULL};
	ck_assert_int_eq(parse(&c, no_out), -1);
	ck_assert_ptr_nonnull(strstr(errbuf, "learn needs -o OUT.ini"));
	cli_free(&c);
	char *no_cmd[] = {"glovebox", "learn", "-o", "out.ini", NULL};
	ck_assert_int_eq(parse(&c, no_cmd), -1);
	cli_free(&c);
	char *merge_alone[] = {"glovebox", "--merge", "--", "prog", NULL};
	ck_assert_int_eq(parse(&c, merge_alone), -1);
	ck_assert_ptr_nonnull(strstr(errbuf, "--merge goes with learn"));
	cli_free(&c);
}
END_TEST

RUN_SUITE("cli", own_options_table_matches_the_parser, file_reads_its_descriptor_in_bubblewraps_grammar, learn_takes_options_an_output_and_a_command, a_usage_error_escapes_what_was_typed, help_fits_80_columns, options_then_command, double_dash_ends_options, no_command_is_a_usage_error,
	  unknown_options_are_usage_errors, missing_arguments_are_usage_errors,
	  double_dash_is_never_a_value,
	  values_take_both_spellings, flags_take_an_optional_value,
	  a_switch_that_took_the_command_says_so, name_lists_split_at_spaces_and_commas,
	  paths_and_texts_are_literal, settings_grow_past_their_usual_words, subcommands_come_first,
	  explain_and_compile_take_the_options_before_them, explain_takes_a_threshold_in_tenths_and_json,
	  help_and_version, command_line_settings_apply_with_their_spelling, help_lists_every_option,
	  optional_name_value_words_follow_the_arguments, help_shows_the_command_line_arguments)
