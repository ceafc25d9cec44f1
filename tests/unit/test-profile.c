/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "how/seccomp.h"
#include "testutil.h"

/* A private directory of profile files for one test. */
static char dir[256];

static void make_dir(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof(dir), "%s/%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", "gb-unit");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void write_profile(const char *name, const char *text)
{
	char path[600];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static void remove_dir(void)
{
	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static char *path_of(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

START_TEST(builtin_default_loads_cleanly)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(profile_load(&f.l, "default", NULL, NULL), 0);
	ck_assert_str_eq(fixture_msgs(&f), "");
	ck_assert_int_eq(f.p.network, NET_NONE);
	ck_assert_int_eq(f.p.home, HOME_TMPFS);
	ck_assert_uint_eq(f.p.caps, 0);
	ck_assert_str_eq(f.p.hostname, "glovebox");
	ck_assert(f.p.env_clear);
	ck_assert_int_eq(policy_validate(&f.p, &f.d), 0);
	/* Allowlist in the spirit of @system-service, minus the keyring. */
	ck_assert_int_eq(how_effective_action(&f.p, (size_t)syscall_lookup("read")).kind, SC_ALLOW);
	ck_assert_int_eq(how_effective_action(&f.p, (size_t)syscall_lookup("keyctl")).kind,
			 SC_ERRNO);
	ck_assert_int_eq(how_effective_action(&f.p, (size_t)syscall_lookup("ptrace")).kind,
			 SC_ERRNO);
	ck_assert_int_eq(how_effective_action(&f.p, (size_t)syscall_lookup("mount")).kind,
			 SC_ERRNO);
	fixture_free(&f);
}
END_TEST

START_TEST(errors_name_file_line_section_and_key)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(load(&f, "app.ini", "[where]\n\nnetwork = sideways\n"), -1);
	ck_assert_str_eq(fixture_msgs(&f),
			 "app.ini:3: [where] network: sideways: expected none, host or user\n");
	fixture_free(&f);
}
END_TEST

START_TEST(unknown_sections_and_keys_are_errors)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(load(&f, "a.ini",
			      "[where]\nbindd = /usr\n[gui]\nx = 1\ny = 2\n[how]\nallow = read\n"),
			 -1);
	ck_assert_msgs_contain(&f, "a.ini:2: [where] bindd: unknown key");
	ck_assert_msgs_contain(&f, "a.ini:3: [gui]: unknown section");
	/* One report for the section, none for each of its keys. */
	ck_assert_ptr_null(strstr(fixture_msgs(&f), "[gui] x"));
	ck_assert_uint_eq(f.d.errors, 2);
	fixture_free(&f);
}
END_TEST

START_TEST(syntax_errors_are_reported_per_line)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(load(&f, "s.ini", "hostname = x\n[where\n[where]\njust words\n"), -1);
	ck_assert_msgs_contain(&f, "s.ini:1: hostname: a key before any [section]");
	ck_assert_msgs_contain(&f, "s.ini:2: malformed section header");
	ck_assert_msgs_contain(&f, "s.ini:4: expected 'key = value', got 'just words'");
	fixture_free(&f);
}
END_TEST

START_TEST(unknown_names_name_file_and_line)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(load(&f, "t.ini",
			      "[how]\n"
			      "allow = read @nosuchgroup\n"
			      "deny = @nosuchgroup\n"
			      "allow = teleport\n"
			      "deny = teleport:kill\n"
			      "deny = ptrace:EFOO\n"
			      "default = errno EFOO\n"
			      "default = errno 5000\n"
			      "default = explode\n"),
			 -1);
	ck_assert_msgs_have_line(&f,
				 "t.ini:2: [how] allow: @nosuchgroup: unknown system call group");
	ck_assert_msgs_have_line(&f,
				 "t.ini:3: [how] deny: @nosuchgroup: unknown system call group");
	ck_assert_msgs_have_line(&f, "t.ini:4: [how] allow: teleport: unknown system call");
	ck_assert_msgs_have_line(&f, "t.ini:5: [how] deny: teleport: unknown system call");
	ck_assert_msgs_have_line(&f, "t.ini:6: [how] deny: ptrace:EFOO: unknown action 'EFOO'");
	ck_assert_msgs_have_line(&f, "t.ini:7: [how] default: EFOO: unknown errno name\n");
	ck_assert_msgs_have_line(&f,
				 "t.ini:8: [how] default: 5000: errno numbers run from 1 to 4095");
	/* A word that is no action at all still lists the forms. */
	ck_assert_msgs_have_line(&f, "t.ini:9: [how] default: expected 'errno NAME', 'kill', "
				     "'log' or 'allow'");
	ck_assert_uint_eq(f.d.errors, 8);
	fixture_free(&f);
}
END_TEST

START_TEST(comments_are_ignored)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(load(&f, "c.ini",
			      "# a comment\n; another\n[where]\nhostname = box ; inline comment\n"),
			 0);
	ck_assert_str_eq(f.p.hostname, "box");
	fixture_free(&f);
}
END_TEST

START_TEST(indented_lines_continue_a_list)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(load(&f, "l.ini", "[how]\nallow = read\n  write\n\tclose\n"), 0);
	ck_assert_int_eq(f.p.syscalls[syscall_lookup("write")].action.kind, SC_ALLOW);
	ck_assert_int_eq(f.p.syscalls[syscall_lookup("close")].action.kind, SC_ALLOW);
	/* One application, written where the key is. */
	ck_assert_uint_eq(sc_rule_origin(&f.p, (size_t)syscall_lookup("close"))->line, 2);
	fixture_free(&f);
}
END_TEST

START_TEST(a_continuation_extends_capabilities)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(load(&f, "c.ini", "[what]\ncapabilities = cap_chown\n  cap_kill\n"), 0);
	ck_assert_uint_eq(f.p.caps, (UINT64_C(1) << CAP_CHOWN) | (UINT64_C(1) << CAP_KILL));
	ck_assert_uint_eq(f.p.caps_s.origin.line, 2);
	fixture_free(&f);
}
END_TEST

START_TEST(a_continuation_extends_namespaces)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(load(&f, "n.ini", "[how]\nnamespaces = user\n\tnet\n"), 0);
	ck_assert_uint_eq(f.p.ns_allowed, CLONE_NEWUSER | CLONE_NEWNET);
	fixture_free(&f);
}
END_TEST

START_TEST(a_continuation_extends_socket_families)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(load(&f, "s.ini", "[how]\nsocket-families = unix\n  inet\n  inet6\n"), 0);
	ck_assert_uint_eq(f.p.families,
			  (UINT64_C(1) << AF_UNIX) | (UINT64_C(1) << AF_INET) |
				  (UINT64_C(1) << AF_INET6));
	fixture_free(&f);
}
END_TEST

START_TEST(a_continuation_gives_a_bind_its_destination)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(load(&f, "b.ini", "[where]\nro-bind = \"/my src\"\n   /dest\n"), 0);
	ck_assert_uint_eq(f.p.n_mounts, 1);
	ck_assert_str_eq(f.p.mounts[0].src, "/my src");
	ck_assert_str_eq(f.p.mounts[0].dest, "/dest");
	fixture_free(&f);
}
END_TEST

START_TEST(a_continued_single_value_is_one_value_too_many)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(load(&f, "h.ini", "[where]\nhostname = a\n  b\n"), -1);
	ck_assert_msgs_have_line(&f, "h.ini:2: [where] hostname: expected 1 value (NAME), got 2");
	fixture_free(&f);
}
END_TEST

START_TEST(errors_in_a_continuation_name_its_line)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(load(&f, "q.ini", "[how]\nallow = read\n  \"write\n  ${NOPE}\n"), -1);
	ck_assert_msgs_have_line(&f, "q.ini:3: [how] allow: unterminated \"quote\"");
	ck_assert_uint_eq(f.d.errors, 1);
	ck_assert_int_eq(load(&f, "v.ini", "[how]\nallow = read\n  ${NOPE}\n"), -1);
	ck_assert_msgs_have_line(&f, "v.ini:3: [how] allow: unknown variable ${NOPE}");
	fixture_free(&f);
}
END_TEST

START_TEST(an_unset_variable_in_a_continuation_skips_the_whole_try_entry)
{
	struct fixture f;
	fixture_init(&f);
	f.vars.xdg_runtime_dir = NULL;
	ck_assert_int_eq(load(&f, "t.ini", "[where]\nbind-try = /src\n  ${XDG_RUNTIME_DIR}/x\n"),
			 0);
	ck_assert_uint_eq(f.p.n_mounts, 0);
	fixture_free(&f);
}
END_TEST

START_TEST(a_continued_text_joins_with_a_space)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(load(&f, "t.ini",
			      "[profile]\ndescription = one\n   two\n[how]\n"
			      "rule = socket(arg0 == AF_NETLINK,\n  arg1 == 3):EPERM\n"
			      "[env]\nset = A=x\n  y\n"),
			 0);
	ck_assert_str_eq(f.p.description, "one two");
	ck_assert_uint_eq(f.p.n_arg_rules, 1);
	ck_assert_uint_eq(f.p.arg_rules[0].n_cmps, 2);
	ck_assert_uint_eq(f.p.n_env_ops, 1);
	ck_assert_str_eq(f.p.env_ops[0].value, "x y");
	fixture_free(&f);
}
END_TEST

START_TEST(a_continued_unknown_key_is_reported_once)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(load(&f, "u.ini", "[how]\nallw = read\n  write\n"), -1);
	ck_assert_uint_eq(f.d.errors, 1);
	fixture_free(&f);
}
END_TEST

START_TEST(an_indented_key_is_explained)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(load(&f, "i.ini", "[where]\nhostname = a\n  network = host\n"), -1);
	ck_assert_msgs_contain(&f, "i.ini:3: [where] hostname: 'network = host' is indented");
	fixture_free(&f);
}
END_TEST

START_TEST(overlong_lines_are_errors_not_truncations)
{
	struct fixture f;
	fixture_init(&f);
	char text[1024];
	int n = snprintf(text, sizeof(text), "[how]\nallow =");
	for (int i = 0; i < 60; i++)
		n += snprintf(text + n, sizeof(text) - (size_t)n, " read");
	snprintf(text + n, sizeof(text) - (size_t)n, "\n");
	ck_assert_int_eq(load(&f, "long.ini", text), -1);
	ck_assert_msgs_contain(&f, "long.ini:2: line too long");
	fixture_free(&f);
}
END_TEST

START_TEST(variables_expand_in_values)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(load(&f, "v.ini",
			      "[where]\nbind = ${CWD}\nro-bind = \"${HOME}/my docs\" /docs\n"
			      "bind-try = ${XDG_RUNTIME_DIR}/bus\n"),
			 0);
	ck_assert_str_eq(f.p.mounts[0].src, "/src/proj");
	ck_assert_str_eq(f.p.mounts[1].src, "/home/alice/my docs");
	ck_assert_str_eq(f.p.mounts[2].src, "/run/user/1000/bus");
	fixture_free(&f);
}
END_TEST

START_TEST(unset_variables_fail_except_in_try_keys)
{
	struct fixture f;
	fixture_init(&f);
	f.vars.xdg_runtime_dir = NULL;
	ck_assert_int_eq(load(&f, "u.ini", "[where]\nbind-try = ${XDG_RUNTIME_DIR}/bus\n"), 0);
	ck_assert_uint_eq(f.p.n_mounts, 0);
	ck_assert_int_eq(load(&f, "u2.ini", "[where]\nbind = ${XDG_RUNTIME_DIR}/bus\n"), -1);
	ck_assert_msgs_contain(&f, "u2.ini:2: [where] bind: ${XDG_RUNTIME_DIR} is not set");
	ck_assert_int_eq(load(&f, "u3.ini", "[where]\nbind = ${SHELL}\n"), -1);
	ck_assert_msgs_contain(&f, "unknown variable ${SHELL}");
	fixture_free(&f);
}
END_TEST

START_TEST(includes_layer_earlier_first_and_this_file_wins)
{
	struct fixture f;
	fixture_init(&f);
	make_dir();
	write_profile("base.ini", "[profile]\ninclude = none\n"
				  "[where]\nhostname = base\nnetwork = host\ntmpfs = /base\n");
	write_profile("top.ini", "[where]\nhostname = top\ntmpfs = /top\n"
				 "[profile]\ninclude = base\n");
	profile_loader_add_dir(&f.l, dir);
	ck_assert_int_eq(profile_load(&f.l, "top", NULL, NULL), 0);
	ck_assert_str_eq(f.p.hostname, "top");
	ck_assert_int_eq(f.p.network, NET_HOST);
	ck_assert_uint_eq(f.p.n_mounts, 2);
	ck_assert_str_eq(f.p.mounts[0].dest, "/base");
	ck_assert_str_eq(f.p.mounts[1].dest, "/top");
	ck_assert_ptr_nonnull(strstr(f.p.hostname_s.origin.file, "top.ini"));
	ck_assert_uint_eq(f.p.hostname_s.origin.line, 2);
	remove_dir();
	fixture_free(&f);
}
END_TEST

START_TEST(later_profiles_override_earlier_ones)
{
	struct fixture f;
	fixture_init(&f);
	make_dir();
	write_profile("a.ini", "[where]\nhostname = a\n[what]\nuser = root\n");
	write_profile("b.ini", "[where]\nhostname = b\n");
	profile_loader_add_dir(&f.l, dir);
	ck_assert_int_eq(profile_load(&f.l, "a", NULL, NULL), 0);
	ck_assert_int_eq(profile_load(&f.l, "b", NULL, NULL), 0);
	ck_assert_str_eq(f.p.hostname, "b");
	ck_assert_int_eq(f.p.user, USER_ROOT);
	remove_dir();
	fixture_free(&f);
}
END_TEST

START_TEST(include_cycles_are_errors)
{
	struct fixture f;
	fixture_init(&f);
	make_dir();
	write_profile("x.ini", "[profile]\ninclude = y\n");
	write_profile("y.ini", "[profile]\ninclude = z\n");
	write_profile("z.ini", "[profile]\ninclude = x\n");
	profile_loader_add_dir(&f.l, dir);
	ck_assert_int_eq(profile_load(&f.l, "x", NULL, NULL), -1);
	ck_assert_msgs_contain(&f, "z.ini:2: [profile] include: include cycle:");
	ck_assert_msgs_contain(&f, "x.ini -> ");
	remove_dir();
	fixture_free(&f);
}
END_TEST

/* A long cycle is named whole, however long its paths: the message was
 * cut at 1 KiB before. */
START_TEST(a_long_include_cycle_is_named_whole)
{
	struct fixture f;
	fixture_init(&f);
	make_dir();
	enum { N = 24 };
	const char *stem = "a-profile-with-a-rather-long-name-to-make-the-chain-long";
	for (int i = 0; i < N; i++) {
		_cleanup_free_ char *name = xasprintf("%s-%02d.ini", stem, i);
		_cleanup_free_ char *text =
			xasprintf("[profile]\ninclude = %s-%02d\n", stem, (i + 1) % N);
		write_profile(name, text);
	}
	profile_loader_add_dir(&f.l, dir);
	_cleanup_free_ char *first = xasprintf("%s-00", stem);
	ck_assert_int_eq(profile_load(&f.l, first, NULL, NULL), -1);
	for (int i = 0; i < N; i++) {
		_cleanup_free_ char *link = xasprintf("%s/%s-%02d.ini -> ", dir, stem, i);
		ck_assert_msgs_contain(&f, link);
	}
	_cleanup_free_ char *end = xasprintf("-> %s/%s-00.ini\n", dir, stem);
	ck_assert_msgs_contain(&f, end);
	remove_dir();
	fixture_free(&f);
}
END_TEST

/* A missing profile's message names every directory looked in. */
START_TEST(a_missing_profile_names_every_directory)
{
	struct fixture f;
	fixture_init(&f);
	enum { N = 40 };
	for (int i = 0; i < N; i++) {
		_cleanup_free_ char *d =
			xasprintf("/nonexistent/a-directory-with-a-long-name-to-fill-the-line/%02d", i);
		profile_loader_add_dir(&f.l, d);
	}
	ck_assert_int_eq(profile_load(&f.l, "nowhere", NULL, NULL), -1);
	ck_assert_msgs_contain(&f, "profile 'nowhere' not found (looked in /nonexistent/");
	ck_assert_msgs_contain(&f, "fill-the-line/38, /nonexistent/a-directory-with-a-long-name-"
				   "to-fill-the-line/39)\n");
	fixture_free(&f);
}
END_TEST

START_TEST(a_file_included_twice_is_layered_once)
{
	struct fixture f;
	fixture_init(&f);
	make_dir();
	write_profile("base.ini", "[profile]\ninclude = none\n[where]\ntmpfs = /base\nhostname = base\n");
	write_profile("gui.ini", "[profile]\ninclude = base\n[where]\nhostname = gui\n");
	write_profile("net.ini", "[profile]\ninclude = base\n[where]\nnetwork = host\n");
	write_profile("app.ini", "[profile]\ninclude = gui net\n");
	profile_loader_add_dir(&f.l, dir);
	ck_assert_int_eq(profile_load(&f.l, "app", NULL, NULL), 0);
	ck_assert_uint_eq(f.p.n_mounts, 1);
	/* base does not come back after gui to undo it */
	ck_assert_str_eq(f.p.hostname, "gui");
	remove_dir();
	fixture_free(&f);
}
END_TEST

/* How many mounts the built-in default makes. */
static size_t default_mounts(void)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(profile_load(&f.l, "default", NULL, NULL), 0);
	size_t n = f.p.n_mounts;
	fixture_free(&f);
	return n;
}

START_TEST(a_profile_without_include_layers_on_the_default)
{
	static const char *const texts[] = {"[where]\nhostname = one\n", "", "# nothing\n"};
	for (size_t k = 0; k < ELEMENTSOF(texts); k++) {
		struct fixture f;
		fixture_init(&f);
		make_dir();
		write_profile("one.ini", texts[k]);
		_cleanup_free_ char *p = path_of("one.ini");
		ck_assert_int_eq(profile_load(&f.l, p, NULL, NULL), 0);
		ck_assert_uint_eq(f.p.n_mounts, default_mounts());
		ck_assert_str_eq(f.p.mounts[0].origin.file, BUILTIN_DEFAULT_FILE);
		ck_assert_str_eq(f.p.hostname, k == 0 ? "one" : "glovebox");
		ck_assert(how_call_allowed(&f.p, (size_t)syscall_lookup("execve")));
		ck_assert_int_eq(policy_validate(&f.p, &f.d), 0);
		remove_dir();
		fixture_free(&f);
	}
}
END_TEST

START_TEST(the_default_under_several_profiles_is_layered_once)
{
	struct fixture f;
	fixture_init(&f);
	make_dir();
	write_profile("a.ini", "[where]\ntmpfs = /a\nhostname = a\n");
	write_profile("b.ini", "[where]\ntmpfs = /b\n");
	write_profile("c.ini", "[profile]\ninclude = b\n[where]\ntmpfs = /c\n");
	profile_loader_add_dir(&f.l, dir);
	ck_assert_int_eq(profile_load(&f.l, "a", NULL, NULL), 0);
	ck_assert_int_eq(profile_load(&f.l, "c", NULL, NULL), 0);
	/* the default first, under a; b under c; a's host name survives */
	size_t base = default_mounts();
	ck_assert_uint_eq(f.p.n_mounts, base + 3);
	ck_assert_str_eq(f.p.mounts[base].dest, "/a");
	ck_assert_str_eq(f.p.mounts[base + 1].dest, "/b");
	ck_assert_str_eq(f.p.mounts[base + 2].dest, "/c");
	ck_assert_str_eq(f.p.hostname, "a");
	remove_dir();
	fixture_free(&f);
}
END_TEST

START_TEST(include_none_is_a_blank_slate)
{
	struct fixture f;
	fixture_init(&f);
	make_dir();
	write_profile("blank.ini", "[profile]\ninclude = none\n[where]\ntmpfs = /only\n");
	_cleanup_free_ char *p = path_of("blank.ini");
	ck_assert_int_eq(profile_load(&f.l, p, NULL, NULL), 0);
	ck_assert_uint_eq(f.p.n_mounts, 1);
	ck_assert(!how_call_allowed(&f.p, (size_t)syscall_lookup("read")));
	ck_assert(f.p.blank_s.set);
	ck_assert_uint_eq(f.p.blank_s.origin.line, 2);
	remove_dir();
	fixture_free(&f);
}
END_TEST

START_TEST(none_cannot_be_combined_with_profile_names)
{
	static const char *const texts[][2] = {
		{"[profile]\ninclude = none default\n", "2"},
		{"[profile]\ninclude = default\ninclude = none\n", "3"},
		{"[profile]\ninclude = none\n  default\n", "2"},
	};
	for (size_t k = 0; k < ELEMENTSOF(texts); k++) {
		struct fixture f;
		fixture_init(&f);
		char want[128];
		snprintf(want, sizeof(want),
			 "n.ini:%s: [profile] include: none (a blank slate) cannot be combined with "
			 "profile names\n",
			 texts[k][1]);
		ck_assert_int_eq(load(&f, "n.ini", texts[k][0]), -1);
		ck_assert_msgs_have_line(&f, want);
		fixture_free(&f);
	}
}
END_TEST

START_TEST(the_command_lines_profile_list_layers_like_include)
{
	static const char *const none[] = {"none"}, *const mixed[] = {"none", "default"};
	const struct {
		const char *const *names;
		size_t n;
		int ret;
		size_t mounts;
	} cases[] = {
		{NULL, 0, 0, default_mounts()},
		{none, 1, 0, 0},
		{mixed, 2, -1, default_mounts()},
	};
	for (size_t k = 0; k < ELEMENTSOF(cases); k++) {
		struct fixture f;
		fixture_init(&f);
		struct strv names = {0};
		for (size_t i = 0; i < cases[k].n; i++)
			strv_add(&names, cases[k].names[i]);
		struct origin o = {.key = "--profile"};
		ck_assert_int_eq(profile_load_includes(&f.l, &names, &o), cases[k].ret);
		ck_assert_uint_eq(f.p.n_mounts, cases[k].mounts);
		if (cases[k].ret < 0)
			ck_assert_msgs_have_line(&f, "command line: --profile: none (a blank slate) "
						     "cannot be combined with profile names\n");
		strv_free(&names);
		fixture_free(&f);
	}
}
END_TEST

START_TEST(a_policy_that_cannot_start_the_command_is_refused)
{
	static const char *const refused[][2] = {
		{"[profile]\ninclude = none\n[where]\ntmpfs = /x\n",
		 "v.ini:2: [profile] include: nothing allows execve, so the command cannot start "
		 "(allow = @system-service, or at least execve and what the program needs to load: "
		 "@default @basic-io @file-system @process)\n"},
		{"[profile]\ninclude = none\n[how]\nallow = read\ndefault = kill\n",
		 "v.ini:2: [profile] include: nothing allows execve"},
		{"[how]\nallow = read\ndefault = kill\n", "v.ini:3: [how] default: nothing allows"},
		{"[how]\nallow = @default\ndeny = execve:EACCES\n",
		 "v.ini:3: [how] deny: this denies execve, so the command cannot start\n"},
		{"[how]\nallow = @known\ndeny = @default\n", "v.ini:3: [how] deny: this denies execve"},
		{"[how]\nallow = read\n", "nothing allows execve"},
	};
	for (size_t k = 0; k < ELEMENTSOF(refused); k++) {
		struct fixture f;
		fixture_init(&f);
		ck_assert_int_eq(load(&f, "v.ini", refused[k][0]), 0);
		ck_assert_int_eq(policy_validate(&f.p, &f.d), -1);
		ck_assert_msgs_have_line(&f, refused[k][1]);
		fixture_free(&f);
	}
	static const char *const fine[] = {
		"[profile]\ninclude = none\n[how]\nallow = execve\n",
		"[profile]\ninclude = none\n[how]\ndefault = allow\n",
		"[how]\nallow = @default\ndeny = execve\ndefault = log\n",
	};
	for (size_t k = 0; k < ELEMENTSOF(fine); k++) {
		struct fixture f;
		fixture_init(&f);
		ck_assert_int_eq(load(&f, "v.ini", fine[k]), 0);
		ck_assert_int_eq(policy_validate(&f.p, &f.d), 0);
		fixture_free(&f);
	}
}
END_TEST

START_TEST(missing_includes_are_errors)
{
	struct fixture f;
	fixture_init(&f);
	make_dir();
	write_profile("m.ini", "[profile]\ninclude = nowhere\n");
	profile_loader_add_dir(&f.l, dir);
	ck_assert_int_eq(profile_load(&f.l, "m", NULL, NULL), -1);
	ck_assert_msgs_contain(&f, "m.ini:2: [profile] include: profile 'nowhere' not found");
	remove_dir();
	fixture_free(&f);
}
END_TEST

START_TEST(relative_include_paths_are_relative_to_the_file)
{
	struct fixture f;
	fixture_init(&f);
	make_dir();
	write_profile("inc.ini", "[where]\nhostname = inc\n");
	write_profile("main.ini", "[profile]\ninclude = ./inc.ini\n");
	_cleanup_free_ char *p = path_of("main.ini");
	ck_assert_int_eq(profile_load(&f.l, p, NULL, NULL), 0);
	ck_assert_str_eq(f.p.hostname, "inc");
	remove_dir();
	fixture_free(&f);
}
END_TEST

START_TEST(a_name_ending_in_ini_is_a_file_next_to_the_includer)
{
	struct fixture f;
	fixture_init(&f);
	make_dir();
	write_profile("inc.ini", "[where]\nhostname = inc\n");
	write_profile("main.ini", "[profile]\ninclude = inc.ini\n");
	_cleanup_free_ char *p = path_of("main.ini");
	ck_assert_int_eq(profile_load(&f.l, p, NULL, NULL), 0);
	ck_assert_str_eq(f.p.hostname, "inc");
	remove_dir();
	fixture_free(&f);
}
END_TEST

START_TEST(a_relative_path_is_spelled_as_given)
{
	struct fixture f;
	fixture_init(&f);
	make_dir();
	write_profile("main.ini", "[profile]\ninclude = ./a.ini\n");
	write_profile("a.ini", "[profile]\ninclude = ./main.ini\n[where]\nnetwork = up\n");
	_cleanup_close_ int cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_eq(chdir(dir), 0);
	ck_assert_int_eq(profile_load(&f.l, "main.ini", NULL, NULL), -1);
	ck_assert_int_eq(fchdir(cwd), 0);
	ck_assert_msgs_have_line(&f, "./a.ini:2: [profile] include: include cycle: main.ini -> "
				     "./a.ini -> ./main.ini\n");
	ck_assert_msgs_have_line(&f, "./a.ini:4: [where] network: up:");
	remove_dir();
	fixture_free(&f);
}
END_TEST

START_TEST(a_byte_order_mark_is_accepted)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(load(&f, "bom.ini", "\xef\xbb\xbf[where]\nhostname = bom\n"), 0);
	ck_assert_str_eq(fixture_msgs(&f), "");
	ck_assert_str_eq(f.p.hostname, "bom");
	fixture_free(&f);
}
END_TEST

START_TEST(a_profile_over_the_size_limit_says_the_limit)
{
	struct fixture f;
	fixture_init(&f);
	make_dir();
	_cleanup_free_ char *p = path_of("big.ini");
	FILE *out = fopen(p, "w");
	ck_assert_ptr_nonnull(out);
	fputs("[where]\n", out);
	for (size_t i = 0; i < PROFILE_MAX_SIZE / 8; i++)
		fputs("# pad..\n", out); /* 8 bytes */
	fclose(out);
	ck_assert_int_eq(profile_load(&f.l, p, NULL, NULL), -1);
	ck_assert_msgs_contain(&f, "big.ini: larger than 1 MiB, the most a profile may be");
	remove_dir();
	fixture_free(&f);
}
END_TEST

START_TEST(search_path_first_hit_wins)
{
	struct fixture f;
	fixture_init(&f);
	make_dir();
	char first[400], second[400];
	snprintf(first, sizeof(first), "%s/first", dir);
	snprintf(second, sizeof(second), "%s/second", dir);
	ck_assert_int_eq(mkdir(first, 0755), 0);
	ck_assert_int_eq(mkdir(second, 0755), 0);
	write_profile("first/p.ini", "[where]\nhostname = first\n");
	write_profile("second/p.ini", "[where]\nhostname = second\n");
	write_profile("second/q.ini", "[where]\nhostname = q\n");
	profile_loader_add_dir(&f.l, first);
	profile_loader_add_dir(&f.l, second);
	ck_assert_int_eq(profile_load(&f.l, "p", NULL, NULL), 0);
	ck_assert_str_eq(f.p.hostname, "first");
	ck_assert_int_eq(profile_load(&f.l, "q", NULL, NULL), 0);
	ck_assert_str_eq(f.p.hostname, "q");
	remove_dir();
	fixture_free(&f);
}
END_TEST

START_TEST(profile_names_cannot_walk_out_of_the_search_path)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(profile_load(&f.l, ".hidden", NULL, NULL), -1);
	ck_assert_msgs_contain(&f, "'.hidden' is not a profile name");
	fixture_free(&f);
}
END_TEST

START_TEST(errors_in_an_include_name_the_included_file)
{
	struct fixture f;
	fixture_init(&f);
	make_dir();
	write_profile("bad.ini", "[where]\n\nhome = maybe\n");
	write_profile("top.ini", "[profile]\ninclude = bad\n");
	profile_loader_add_dir(&f.l, dir);
	ck_assert_int_eq(profile_load(&f.l, "top", NULL, NULL), -1);
	ck_assert_msgs_contain(&f, "bad.ini:3: [where] home: maybe: expected tmpfs, ro, rw, private or none");
	remove_dir();
	fixture_free(&f);
}
END_TEST

START_TEST(a_directory_is_not_a_profile)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(profile_load(&f.l, "/tmp", NULL, NULL), -1);
	ck_assert_msgs_contain(&f, "/tmp: not a regular file");
	fixture_free(&f);
}
END_TEST

START_TEST(set_takes_name_equals_value)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(load(&f, "e.ini", "[env]\nset = GREETING=hello world\n"
					   "set = EMPTY=\nset = P=${HOME}/bin\n"),
			 0);
	ck_assert_uint_eq(f.p.n_env_ops, 3);
	ck_assert_str_eq(f.p.env_ops[0].value, "hello world");
	ck_assert_str_eq(f.p.env_ops[1].name, "EMPTY");
	ck_assert_str_eq(f.p.env_ops[1].value, "");
	ck_assert_str_eq(f.p.env_ops[2].value, "/home/alice/bin");
	fixture_free(&f);
}
END_TEST

START_TEST(text_values_keep_their_quotes)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(load(&f, "t.ini",
			      "[profile]\ndescription = \"Photos\" 'only'\n"
			      "[env]\nset = Q=\"a b\"\nset = S='c  d'\nset = B=e\\ f\n"
			      "set = H=${HOME}/\"x\"\n"),
			 0);
	ck_assert_str_eq(f.p.description, "\"Photos\" 'only'");
	ck_assert_str_eq(f.p.env_ops[0].value, "\"a b\"");
	ck_assert_str_eq(f.p.env_ops[1].value, "'c  d'");
	ck_assert_str_eq(f.p.env_ops[2].value, "e\\ f");
	ck_assert_str_eq(f.p.env_ops[3].value, "/home/alice/\"x\"");
	fixture_free(&f);
}
END_TEST

START_TEST(list_values_lose_their_quotes)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(load(&f, "l.ini",
			      "[where]\nro-bind = \"/a b\" '/c d'\nro-bind = /e\\ f\n"
			      "[env]\nkeep = \"A\" 'B'\n"),
			 0);
	ck_assert_str_eq(f.p.mounts[0].src, "/a b");
	ck_assert_str_eq(f.p.mounts[0].dest, "/c d");
	ck_assert_str_eq(f.p.mounts[1].src, "/e f");
	ck_assert_str_eq(f.p.env_ops[0].name, "A");
	ck_assert_str_eq(f.p.env_ops[1].name, "B");
	fixture_free(&f);
}
END_TEST

START_TEST(a_semicolon_after_a_space_starts_a_comment_in_every_value)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(load(&f, "c.ini", "[env]\nset = X=a ;b\nset = Y=a;b\n"), 0);
	ck_assert_str_eq(f.p.env_ops[0].value, "a");
	ck_assert_str_eq(f.p.env_ops[1].value, "a;b");
	fixture_free(&f);
}
END_TEST

/* dir/sub, for a second directory of the search path or a NAME.d. */
static char *sub_dir(const char *sub)
{
	char *path = path_of(sub);
	ck_assert(mkdir(path, 0755) == 0 || errno == EEXIST);
	return path;
}

/* The file label of layer i ends in want. */
static void ck_layer(const struct policy *p, size_t i, const char *want)
{
	ck_assert_uint_gt(p->n_layers, i);
	const char *file = p->layers[i].file;
	size_t n = strlen(file), w = strlen(want);
	ck_assert_msg(n >= w && streq(file + n - w, want), "layer %zu is %s, not *%s", i, file,
		      want);
}

START_TEST(dropins_follow_their_profile_in_name_order_across_the_search_path)
{
	struct fixture f;
	fixture_init(&f);
	make_dir();
	_cleanup_free_ char *user = sub_dir("user"), *sys = sub_dir("sys");
	free(sub_dir("user/app.d"));
	free(sub_dir("sys/app.d"));
	write_profile("sys/app.ini", "[profile]\ninclude = none\n[where]\nhostname = app\n"
				     "tmpfs = /app\n");
	write_profile("user/app.d/10-a.ini", "[where]\nhostname = a\ntmpfs = /a\n");
	write_profile("sys/app.d/20-b.ini", "[where]\ntmpfs = /b\n");
	/* the same name earlier on the search path replaces this one */
	write_profile("sys/app.d/30-c.ini", "[where]\nhostname = sys\n");
	write_profile("user/app.d/30-c.ini", "[profile]\n\n[where]\nhostname = user\n");
	write_profile("sys/app.d/notes.txt", "[where]\nhostname = txt\n");
	profile_loader_add_dir(&f.l, user);
	profile_loader_add_dir(&f.l, sys);
	ck_assert_int_eq(profile_load(&f.l, "app", NULL, NULL), 0);
	ck_assert_str_eq(fixture_msgs(&f), "");
	ck_assert_str_eq(f.p.hostname, "user");
	ck_assert_uint_eq(f.p.hostname_s.origin.line, 4);
	ck_assert_ptr_nonnull(strstr(f.p.hostname_s.origin.file, "user/app.d/30-c.ini"));
	ck_assert_uint_eq(f.p.n_mounts, 3);
	ck_assert_str_eq(f.p.mounts[1].dest, "/a");
	ck_assert_str_eq(f.p.mounts[2].dest, "/b");
	ck_assert_uint_eq(f.p.n_layers, 4);
	ck_layer(&f.p, 0, "sys/app.ini");
	ck_layer(&f.p, 1, "user/app.d/10-a.ini");
	ck_layer(&f.p, 2, "sys/app.d/20-b.ini");
	ck_layer(&f.p, 3, "user/app.d/30-c.ini");
	ck_assert_ptr_null(f.p.layers[0].dropin_of);
	ck_assert_str_eq(f.p.layers[3].dropin_of, f.p.layers[0].file);
	remove_dir();
	fixture_free(&f);
}
END_TEST

START_TEST(dropins_of_an_included_profile_come_before_the_includer)
{
	struct fixture f;
	fixture_init(&f);
	make_dir();
	free(sub_dir("base.d"));
	write_profile("base.ini", "[profile]\ninclude = none\n[where]\nhostname = base\n");
	write_profile("base.d/x.ini", "[where]\nhostname = dropin\nnetwork = host\n");
	write_profile("top.ini", "[profile]\ninclude = base\n[where]\nhostname = top\n");
	profile_loader_add_dir(&f.l, dir);
	ck_assert_int_eq(profile_load(&f.l, "top", NULL, NULL), 0);
	ck_assert_str_eq(f.p.hostname, "top");
	ck_assert_int_eq(f.p.network, NET_HOST);
	ck_assert_uint_eq(f.p.n_layers, 3);
	ck_layer(&f.p, 0, "/top.ini");
	ck_layer(&f.p, 1, "/base.ini");
	ck_layer(&f.p, 2, "/base.d/x.ini");
	/* applied: base, its drop-in, then top */
	ck_assert_uint_lt(f.p.layers[1].order, f.p.layers[2].order);
	ck_assert_uint_lt(f.p.layers[2].order, f.p.layers[0].order);
	remove_dir();
	fixture_free(&f);
}
END_TEST

START_TEST(the_builtin_default_takes_default_d_dropins)
{
	struct fixture f;
	fixture_init(&f);
	make_dir();
	free(sub_dir("default.d"));
	write_profile("default.d/net.ini", "[where]\nnetwork = host\n");
	write_profile("plain.ini", "[where]\nhostname = plain\n");
	profile_loader_add_dir(&f.l, dir);
	ck_assert_int_eq(profile_load(&f.l, "plain", NULL, NULL), 0);
	ck_assert_str_eq(fixture_msgs(&f), "");
	ck_assert_int_eq(f.p.network, NET_HOST);
	ck_assert_str_eq(f.p.hostname, "plain");
	ck_layer(&f.p, 1, BUILTIN_DEFAULT_FILE);
	ck_layer(&f.p, 2, "/default.d/net.ini");
	ck_assert_str_eq(f.p.layers[2].dropin_of, BUILTIN_DEFAULT_FILE);
	remove_dir();
	fixture_free(&f);
}
END_TEST

START_TEST(a_dropin_does_not_layer_on_the_default_and_names_its_lines)
{
	struct fixture f;
	fixture_init(&f);
	make_dir();
	free(sub_dir("blank.d"));
	write_profile("blank.ini", "[profile]\ninclude = none\n");
	write_profile("blank.d/bad.ini", "[where]\nhostname = x\nnetwork = sideways\n");
	/* a profile named by its path takes the drop-ins beside it */
	_cleanup_free_ char *path = path_of("blank.ini");
	ck_assert_int_eq(profile_load(&f.l, path, NULL, NULL), -1);
	ck_assert_msgs_contain(&f, "blank.d/bad.ini:3: [where] network:");
	ck_assert_uint_eq(f.p.n_layers, 2);
	ck_assert_uint_eq(f.p.n_mounts, 0);
	remove_dir();
	fixture_free(&f);
}
END_TEST

RUN_SUITE("profile", builtin_default_loads_cleanly, a_long_include_cycle_is_named_whole,
	  a_missing_profile_names_every_directory, errors_name_file_line_section_and_key,
	  unknown_sections_and_keys_are_errors, syntax_errors_are_reported_per_line,
	  unknown_names_name_file_and_line,
	  comments_are_ignored, indented_lines_continue_a_list, an_indented_key_is_explained,
	  a_continuation_extends_capabilities, a_continuation_extends_namespaces,
	  a_continuation_extends_socket_families, a_continuation_gives_a_bind_its_destination,
	  a_continued_single_value_is_one_value_too_many, errors_in_a_continuation_name_its_line,
	  an_unset_variable_in_a_continuation_skips_the_whole_try_entry,
	  a_continued_text_joins_with_a_space, a_continued_unknown_key_is_reported_once,
	  overlong_lines_are_errors_not_truncations, variables_expand_in_values,
	  unset_variables_fail_except_in_try_keys,
	  includes_layer_earlier_first_and_this_file_wins, later_profiles_override_earlier_ones,
	  include_cycles_are_errors, a_file_included_twice_is_layered_once,
	  missing_includes_are_errors, relative_include_paths_are_relative_to_the_file,
	  search_path_first_hit_wins, profile_names_cannot_walk_out_of_the_search_path,
	  a_name_ending_in_ini_is_a_file_next_to_the_includer, a_relative_path_is_spelled_as_given,
	  a_byte_order_mark_is_accepted, a_profile_over_the_size_limit_says_the_limit,
	  errors_in_an_include_name_the_included_file, a_directory_is_not_a_profile,
	  set_takes_name_equals_value, text_values_keep_their_quotes, list_values_lose_their_quotes,
	  a_semicolon_after_a_space_starts_a_comment_in_every_value,
	  a_profile_without_include_layers_on_the_default,
	  the_default_under_several_profiles_is_layered_once, include_none_is_a_blank_slate,
	  none_cannot_be_combined_with_profile_names,
	  the_command_lines_profile_list_layers_like_include,
	  a_policy_that_cannot_start_the_command_is_refused,
	  dropins_follow_their_profile_in_name_order_across_the_search_path,
	  dropins_of_an_included_profile_come_before_the_includer,
	  the_builtin_default_takes_default_d_dropins,
	  a_dropin_does_not_layer_on_the_default_and_names_its_lines)
