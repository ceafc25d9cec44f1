/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <linux/capability.h>
#include <sched.h>
#include <sys/resource.h>

#include "policy/options.h"
#include "testutil.h"

/* Apply one setting as if it came from a profile line. */
static int apply(struct fixture *f, const char *section, const char *key, const char *value)
{
	const struct gb_option *opt = option_by_key(section, key);
	ck_assert_msg(opt != NULL, "no option [%s] %s", section, key);
	struct strv args = {0};
	const char *why;
	ck_assert_int_eq(split_words(value, &args, &why), 0);
	struct origin o = {.file = "t.ini", .line = 7, .section = section, .key = key};
	int r = option_apply(&f->p, opt, args.v, args.n, &o, &f->d);
	strv_free(&args);
	return r;
}

START_TEST(table_rows_are_unique_and_complete)
{
	for (size_t i = 0; i < gb_option_count; i++) {
		const struct gb_option *o = &gb_options[i];
		ck_assert_msg(option_section_known(o->section), "%s: unknown section", o->key);
		ck_assert_ptr_eq(option_by_key(o->section, o->key), o);
		ck_assert_ptr_eq(option_by_cli(o->cli), o);
		ck_assert_msg(o->help && *o->help && o->metavar && *o->metavar, "%s: no help", o->key);
		ck_assert_msg(o->apply || (o->flags & OPT_INCLUDE), "%s: no apply", o->key);
		ck_assert_msg(o->min_args >= 1, "%s: a key always has a value", o->key);
		ck_assert_msg(!o->max_args || o->max_args >= o->min_args, "%s: arity", o->key);
		ck_assert_msg(o->cli_nargs <= 3, "%s: cli arity", o->key);
		/* A command-line flag with two arguments fills exactly two slots. */
		if (o->cli_nargs == 2 && !(o->flags & OPT_CLI_NAMES))
			ck_assert_msg(!o->max_args || o->max_args >= 2, "%s", o->key);
	}
}
END_TEST

START_TEST(bubblewrap_spellings_take_bubblewrap_arguments)
{
	static const struct {
		const char *cli;
		unsigned nargs;
	} bwrap[] = {{"bind", 2}, {"ro-bind", 2}, {"dev-bind", 2}, {"bind-try", 2},
		     {"ro-bind-try", 2}, {"dev-bind-try", 2}, {"tmpfs", 1}, {"proc", 1},
		     {"dev", 1}, {"mqueue", 1}, {"symlink", 2}, {"dir", 1}, {"chdir", 1},
		     {"hostname", 1}, {"setenv", 2}, {"unsetenv", 1}, {"clearenv", 0},
		     {"remount-ro", 1}};
	for (size_t i = 0; i < ELEMENTSOF(bwrap); i++) {
		const struct gb_option *o = option_by_cli(bwrap[i].cli);
		ck_assert_msg(o != NULL, "--%s missing", bwrap[i].cli);
		ck_assert_uint_eq(o->cli_nargs, bwrap[i].nargs);
	}
}
END_TEST

START_TEST(booleans_parse)
{
	bool v;
	ck_assert_int_eq(parse_bool("yes", &v), 0);
	ck_assert(v);
	ck_assert_int_eq(parse_bool("OFF", &v), 0);
	ck_assert(!v);
	ck_assert_int_eq(parse_bool("maybe", &v), -EINVAL);
}
END_TEST

START_TEST(sizes_parse_with_suffixes)
{
	uint64_t v;
	ck_assert_int_eq(parse_size("64M", &v), 0);
	ck_assert_uint_eq(v, 64u << 20);
	ck_assert_int_eq(parse_size("1k", &v), 0);
	ck_assert_uint_eq(v, 1024);
	ck_assert_int_eq(parse_size("12", &v), 0);
	ck_assert_uint_eq(v, 12);
	ck_assert_int_eq(parse_size("", &v), -EINVAL);
	ck_assert_int_eq(parse_size("M", &v), -EINVAL);
	ck_assert_int_eq(parse_size("1.5G", &v), -EINVAL);
	ck_assert_int_eq(parse_size("99999999999999999999", &v), -ERANGE);
	ck_assert_int_eq(parse_size("99999999999T", &v), -ERANGE);
}
END_TEST

START_TEST(modes_are_octal)
{
	uint32_t m;
	ck_assert_int_eq(parse_mode("0755", &m), 0);
	ck_assert_uint_eq(m, 0755);
	ck_assert_int_eq(parse_mode("1777", &m), 0);
	ck_assert_int_eq(parse_mode("0789", &m), -EINVAL);
	ck_assert_int_eq(parse_mode("77777", &m), -ERANGE);
}
END_TEST

START_TEST(errno_names_and_numbers_parse)
{
	int e;
	ck_assert_int_eq(parse_errno_name("EPERM", &e), 0);
	ck_assert_int_eq(e, EPERM);
	ck_assert_int_eq(parse_errno_name("enosys", &e), 0);
	ck_assert_int_eq(e, ENOSYS);
	ck_assert_int_eq(parse_errno_name("13", &e), 0);
	ck_assert_int_eq(e, 13);
	ck_assert_int_eq(parse_errno_name("EFOO", &e), -EINVAL);
	ck_assert_int_eq(parse_errno_name("0", &e), -ERANGE);
}
END_TEST

START_TEST(capability_names_parse_in_any_spelling)
{
	ck_assert_int_eq(parse_capability("CAP_NET_BIND_SERVICE"), CAP_NET_BIND_SERVICE);
	ck_assert_int_eq(parse_capability("cap_chown"), CAP_CHOWN);
	ck_assert_int_eq(parse_capability("sys_admin"), CAP_SYS_ADMIN);
	ck_assert_int_lt(parse_capability("CAP_FLY"), 0);
	ck_assert_int_lt(parse_capability(""), 0);
}
END_TEST

START_TEST(actions_parse)
{
	struct sc_action a;
	char *w1[] = {"kill"}, *w2[] = {"errno", "EACCES"}, *w3[] = {"ENOSYS"}, *w4[] = {"boom"};
	ck_assert_int_eq(parse_sc_action(w1, 1, &a), 0);
	ck_assert_int_eq(a.kind, SC_KILL);
	ck_assert_int_eq(parse_sc_action(w2, 2, &a), 0);
	ck_assert_int_eq(a.kind, SC_ERRNO);
	ck_assert_int_eq(a.errnum, EACCES);
	ck_assert_int_eq(parse_sc_action(w3, 1, &a), 0);
	ck_assert_int_eq(a.errnum, ENOSYS);
	ck_assert_int_eq(parse_sc_action(w4, 1, &a), -EINVAL);
}
END_TEST

START_TEST(binds_default_the_destination_to_the_source)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(apply(&f, "where", "ro-bind", "/usr"), 0);
	ck_assert_int_eq(apply(&f, "where", "bind-try", "/a //b/./c/"), 0);
	ck_assert_uint_eq(f.p.n_mounts, 2);
	ck_assert_str_eq(f.p.mounts[0].dest, "/usr");
	ck_assert_int_eq(f.p.mounts[0].kind, MOUNT_RO_BIND);
	ck_assert_str_eq(f.p.mounts[1].dest, "/b/c");
	ck_assert(f.p.mounts[1].flags & MOUNT_F_TRY);
	ck_assert_uint_eq(f.p.mounts[1].origin.line, 7);
	fixture_free(&f);
}
END_TEST

START_TEST(destinations_must_be_absolute_without_dotdot)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(apply(&f, "where", "bind", "/a relative"), -1);
	ck_assert_msgs_contain(&f, "t.ini:7: [where] bind: relative: destination must be an absolute path");
	ck_assert_int_eq(apply(&f, "where", "tmpfs", "/a/../etc"), -1);
	ck_assert_msgs_contain(&f, "'..' is not allowed");
	ck_assert_int_eq(apply(&f, "where", "bind", "rel"), -1);
	ck_assert_msgs_contain(&f, "a relative source needs a destination");
	ck_assert_int_eq(apply(&f, "where", "tmpfs", "/"), -1);
	ck_assert_uint_eq(f.p.n_mounts, 0);
	fixture_free(&f);
}
END_TEST

START_TEST(tmpfs_takes_size_and_mode)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(apply(&f, "where", "tmpfs", "/tmp size=16M mode=0700"), 0);
	ck_assert_uint_eq(f.p.mounts[0].size, 16u << 20);
	ck_assert_uint_eq(f.p.mounts[0].mode, 0700);
	ck_assert_int_eq(apply(&f, "where", "tmpfs", "/x colour=red"), -1);
	ck_assert_msgs_contain(&f, "colour=red: unknown option");
	ck_assert_int_eq(apply(&f, "where", "tmpfs", "/x size=0"), -1);
	fixture_free(&f);
}
END_TEST

START_TEST(tmpfs_takes_exec_no)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(apply(&f, "where", "tmpfs", "/tmp exec=no size=1M"), 0);
	ck_assert_uint_eq(f.p.mounts[0].flags, MOUNT_F_NOEXEC);
	ck_assert_uint_eq(f.p.mounts[0].size, 1u << 20);
	/* a directory made inside is no mount: no flags of its own */
	ck_assert_int_eq(apply(&f, "where", "dir", "/d exec=no"), -1);
	ck_assert_msgs_contain(&f, "exec=no: unknown option (expected mode=OCTAL)");
	ck_assert_int_eq(apply(&f, "where", "tmpfs", "/x exec=yes"), -1);
	ck_assert_msgs_contain(&f, "expected size=BYTES, mode=OCTAL or exec=no");
	fixture_free(&f);
}
END_TEST

START_TEST(a_bind_takes_the_words_that_mark_it_intended)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(apply(&f, "where", "bind", "/a links=follow writable=intended"), 0);
	ck_assert_str_eq(f.p.mounts[0].dest, "/a");
	ck_assert_uint_eq(f.p.mounts[0].flags, MOUNT_F_FOLLOW_LINKS | MOUNT_F_WRITABLE_INTENDED);
	ck_assert_int_eq(apply(&f, "where", "ro-bind-try", "/a /b links=follow"), 0);
	ck_assert_str_eq(f.p.mounts[1].dest, "/b");
	ck_assert_uint_eq(f.p.mounts[1].flags, MOUNT_F_TRY | MOUNT_F_FOLLOW_LINKS);
	/* read-only: nothing to intend */
	ck_assert_int_eq(apply(&f, "where", "ro-bind", "/a writable=intended"), -1);
	ck_assert_msgs_contain(&f, "writable=intended: only a writable bind takes it");
	ck_assert_int_eq(apply(&f, "where", "bind", "/a links=yes"), -1);
	ck_assert_msgs_contain(&f, "links=yes: unknown word (expected links=follow or "
				   "writable=intended)");
	fixture_free(&f);
}
END_TEST

START_TEST(wrong_argument_counts_are_errors)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(apply(&f, "where", "bind", "/a /b /c"), -1);
	ck_assert_msgs_contain(&f, "expected SRC [DEST] [links=follow] [writable=intended], "
				   "got 3 values");
	ck_assert_int_eq(apply(&f, "where", "symlink", "x"), -1);
	ck_assert_msgs_contain(&f, "expected 2 values (TARGET LINK), got 1");
	ck_assert_int_eq(apply(&f, "where", "hostname", ""), -1);
	/* bubblewrap's order for --file (FD DEST) is caught, not misread */
	ck_assert_int_eq(apply(&f, "where", "file", "3 /etc/x"), -1);
	ck_assert_msgs_contain(&f, "the file comes first, then its content");
	ck_assert_int_eq(apply(&f, "where", "file", "/etc/x 3"), 0);
	fixture_free(&f);
}
END_TEST

START_TEST(paths_are_at_or_below_a_directory_by_whole_components)
{
	ck_assert(path_at_or_below("/a", "/a"));
	ck_assert(path_at_or_below("/a/b", "/a"));
	ck_assert(!path_at_or_below("/ab", "/a"));
	ck_assert(!path_at_or_below("/a", "/a/b"));
	ck_assert(path_at_or_below("/x", "/"));
}
END_TEST

START_TEST(remove_takes_away_what_earlier_layers_put_at_or_below_a_destination)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(apply(&f, "where", "ro-bind", "/usr"), 0);
	ck_assert_int_eq(apply(&f, "where", "tmpfs", "/tmp"), 0);
	ck_assert_int_eq(apply(&f, "where", "dir", "/tmp/a"), 0);
	ck_assert_int_eq(apply(&f, "where", "symlink", "x /tmpx"), 0);
	ck_assert_int_eq(apply(&f, "where", "remove", "/tmp/ /nothing-else-here/.."), -1);
	ck_assert_msgs_contain(&f, "'..' is not allowed");
	ck_assert_int_eq(f.p.n_mounts, 4);
	ck_assert_int_eq(apply(&f, "where", "remove", "/tmp/"), 0);
	ck_assert_uint_eq(f.p.n_mounts, 2);
	ck_assert_str_eq(f.p.mounts[0].dest, "/usr");
	ck_assert_str_eq(f.p.mounts[1].dest, "/tmpx");
	ck_assert_uint_eq(f.p.n_removed, 2);
	ck_assert_str_eq(f.p.removed[0].op.dest, "/tmp");
	ck_assert_str_eq(f.p.removed[1].op.dest, "/tmp/a");
	ck_assert_str_eq(f.p.removed[1].by.key, "remove");
	/* what comes after stays */
	ck_assert_int_eq(apply(&f, "where", "tmpfs", "/tmp"), 0);
	ck_assert_uint_eq(f.p.n_mounts, 3);
	/* nothing there is an error; inside a mount, the error names it */
	ck_assert_int_eq(apply(&f, "where", "remove", "/nothing"), -1);
	ck_assert_msgs_contain(&f, "t.ini:7: [where] remove: /nothing: nothing is put there, "
				   "or below it");
	ck_assert_int_eq(apply(&f, "where", "remove", "/usr/lib"), -1);
	ck_assert_msgs_contain(&f, "/usr/lib: nothing is put there on its own: it is inside "
				   "ro-bind /usr (t.ini:7: [where] ro-bind); remove /usr, or cover it "
				   "with tmpfs = /usr/lib");
	ck_assert_int_eq(apply(&f, "where", "remove", "/"), 0);
	ck_assert_uint_eq(f.p.n_mounts, 0);
	ck_assert_uint_eq(f.p.n_removed, 5);
	fixture_free(&f);
}
END_TEST

START_TEST(durations_take_units)
{
	static const struct {
		const char *text;
		uint64_t ms;
	} good[] = {{"90", 90000}, {"1.5s", 1500}, {"250ms", 250}, {"10m", 600000}, {"2h", 7200000}};
	for (size_t i = 0; i < ELEMENTSOF(good); i++) {
		uint64_t ms = 0;
		ck_assert_int_eq(parse_duration_ms(good[i].text, &ms), 0);
		ck_assert_uint_eq(ms, good[i].ms);
	}
	static const char *const bad[] = {"", "s", "-1", "1x", " 1", "1 s", "nan", "1e20h"};
	for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
		uint64_t ms;
		ck_assert_msg(parse_duration_ms(bad[i], &ms) < 0, "%s", bad[i]);
	}
}
END_TEST

/* A proc with the host's pid namespace would show the host's processes. */
START_TEST(unshare_pid_no_takes_away_the_proc_before_it)
{
	struct fixture f;
	fixture_init(&f);
	/* a policy under which a command can start at all */
	ck_assert_int_eq(apply(&f, "how", "allow", "execve"), 0);
	ck_assert_int_eq(apply(&f, "where", "proc", "/proc"), 0);
	ck_assert_int_eq(apply(&f, "where", "tmpfs", "/tmp"), 0);
	ck_assert_int_eq(apply(&f, "where", "unshare-pid", "no"), 0);
	ck_assert_uint_eq(f.p.n_mounts, 1);
	ck_assert_uint_eq(f.p.n_removed, 1);
	ck_assert_int_eq(f.p.removed[0].op.kind, MOUNT_PROC);
	ck_assert_str_eq(f.p.removed[0].by.key, "unshare-pid");
	ck_assert_int_eq(policy_validate(&f.p, &f.d), 0);
	/* one added after it is refused, with both places named */
	ck_assert_int_eq(apply(&f, "where", "proc", "/p2"), 0);
	ck_assert_int_eq(policy_validate(&f.p, &f.d), -1);
	ck_assert_msgs_contain(&f, "t.ini:7: [where] proc: proc needs the sandbox's own pid "
				   "namespace, and unshare-pid = no (t.ini:7: [where] unshare-pid) "
				   "turns it off");
	fixture_free(&f);
}
END_TEST

START_TEST(scalars_take_the_last_value)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(apply(&f, "where", "network", "host"), 0);
	ck_assert_int_eq(apply(&f, "where", "network", "none"), 0);
	ck_assert_int_eq(f.p.network, NET_NONE);
	ck_assert_int_eq(apply(&f, "where", "home", "ro"), 0);
	ck_assert_int_eq(f.p.home, HOME_RO);
	ck_assert_int_eq(apply(&f, "where", "home", "sometimes"), -1);
	ck_assert_int_eq(apply(&f, "where", "hostname", "box-1.lan"), 0);
	ck_assert_str_eq(f.p.hostname, "box-1.lan");
	ck_assert_int_eq(apply(&f, "where", "hostname", "bad/name"), -1);
	ck_assert_int_eq(apply(&f, "what", "user", "root"), 0);
	ck_assert_int_eq(f.p.user, USER_ROOT);
	ck_assert_int_eq(apply(&f, "what", "user", "bob"), -1);
	fixture_free(&f);
}
END_TEST

START_TEST(capabilities_are_a_set)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(apply(&f, "what", "capabilities", "CAP_NET_BIND_SERVICE chown"), 0);
	ck_assert_uint_eq(f.p.caps, (1u << CAP_NET_BIND_SERVICE) | (1u << CAP_CHOWN));
	ck_assert_int_eq(apply(&f, "what", "capabilities", "none"), 0);
	ck_assert_uint_eq(f.p.caps, 0);
	ck_assert_int_eq(apply(&f, "what", "capabilities", "none chown"), -1);
	ck_assert_int_eq(apply(&f, "what", "capabilities", "CAP_TELEPORT"), -1);
	ck_assert_msgs_contain(&f, "CAP_TELEPORT: unknown capability");
	fixture_free(&f);
}
END_TEST

START_TEST(rlimits_take_soft_and_hard)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(apply(&f, "limits", "nofile", "256:1024"), 0);
	ck_assert_uint_eq(f.p.rlimits[RLIMIT_NOFILE].lim.rlim_cur, 256);
	ck_assert_uint_eq(f.p.rlimits[RLIMIT_NOFILE].lim.rlim_max, 1024);
	ck_assert_int_eq(apply(&f, "limits", "fsize", "1M"), 0);
	ck_assert_uint_eq(f.p.rlimits[RLIMIT_FSIZE].lim.rlim_cur, 1u << 20);
	ck_assert_int_eq(apply(&f, "limits", "core", "0:unlimited"), 0);
	ck_assert(f.p.rlimits[RLIMIT_CORE].lim.rlim_max == RLIM_INFINITY);
	ck_assert_int_eq(apply(&f, "limits", "nproc", "10:5"), -1);
	ck_assert_msgs_contain(&f, "soft limit is above the hard limit");
	ck_assert_int_eq(apply(&f, "limits", "nofile", "1K"), -1);
	fixture_free(&f);
}
END_TEST

START_TEST(rlimits_take_units_by_resource)
{
	struct fixture f;
	fixture_init(&f);
	/* CPU time is a duration, rounded up to whole seconds */
	ck_assert_int_eq(apply(&f, "limits", "cpu", "1.5s:10m"), 0);
	ck_assert_uint_eq(f.p.rlimits[RLIMIT_CPU].lim.rlim_cur, 2);
	ck_assert_uint_eq(f.p.rlimits[RLIMIT_CPU].lim.rlim_max, 600);
	ck_assert_int_eq(apply(&f, "limits", "cpu", "10M"), -1);
	ck_assert_msgs_contain(&f, "durations: 90, 1.5s, 10m, 2h");
	ck_assert_int_eq(apply(&f, "limits", "stack", "8M"), 0);
	ck_assert_uint_eq(f.p.rlimits[RLIMIT_STACK].lim.rlim_max, 8u << 20);
	ck_assert_int_eq(apply(&f, "limits", "as", "1m"), 0);
	ck_assert_uint_eq(f.p.rlimits[RLIMIT_AS].lim.rlim_max, 1u << 20);
	ck_assert_int_eq(apply(&f, "limits", "memlock", "64K"), 0);
	ck_assert_uint_eq(f.p.rlimits[RLIMIT_MEMLOCK].lim.rlim_cur, 64u << 10);
	ck_assert_int_eq(apply(&f, "limits", "nproc", "1s"), -1);
	ck_assert_int_eq(rlimit_unit(RLIMIT_NOFILE), RLIMIT_UNIT_COUNT);
	ck_assert_int_eq(rlimit_unit(RLIMIT_DATA), RLIMIT_UNIT_BYTES);
	fixture_free(&f);
}
END_TEST

START_TEST(processes_and_tmpfs_take_a_count_and_a_size_or_none)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(apply(&f, "limits", "processes", "512"), 0);
	ck_assert_uint_eq(f.p.processes, 512);
	ck_assert_int_eq(f.p.processes_s.origin.line, 7);
	ck_assert_int_eq(apply(&f, "limits", "tmpfs", "1G"), 0);
	ck_assert_uint_eq(f.p.tmpfs_budget, UINT64_C(1) << 30);
	ck_assert_int_eq(apply(&f, "limits", "timeout", "10m"), 0);
	ck_assert_uint_eq(f.p.timeout_ms, 600000);
	static const char *const bad[][2] = {
		{"processes", "0"},  {"processes", "4194005"}, {"processes", "-1"}, {"processes", "1"},
		{"processes", "1K"}, {"tmpfs", "0"},		{"tmpfs", "lots"},
		{"timeout", "0"},
	};
	for (size_t i = 0; i < ELEMENTSOF(bad); i++)
		ck_assert_msg(apply(&f, "limits", bad[i][0], bad[i][1]) < 0, "%s = %s", bad[i][0],
			      bad[i][1]);
	ck_assert_msgs_contain(&f, "t.ini:7: [limits] processes: 0: expected a number from 2 to "
				   "4194004, or none");
	ck_assert_msgs_contain(&f, "[limits] tmpfs: lots: expected a size (512M, 2G) or none");
	/* none takes a limit of an earlier layer away */
	ck_assert_int_eq(apply(&f, "limits", "processes", "4194004"), 0);
	ck_assert_int_eq(apply(&f, "limits", "processes", "none"), 0);
	ck_assert_uint_eq(f.p.processes, 0);
	ck_assert_int_eq(apply(&f, "limits", "tmpfs", "none"), 0);
	ck_assert_uint_eq(f.p.tmpfs_budget, 0);
	ck_assert(f.p.tmpfs_budget_s.set);
	fixture_free(&f);
}
END_TEST

/* A tmpfs with a size of its own takes that much of the budget: the
 * sizes together must leave something for the others. */
START_TEST(tmpfs_sizes_of_their_own_come_out_of_the_budget)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(apply(&f, "how", "allow", "execve"), 0);
	ck_assert_int_eq(apply(&f, "where", "tmpfs", "/a size=1M"), 0);
	ck_assert_int_eq(apply(&f, "where", "tmpfs", "/b size=2M"), 0);
	ck_assert_int_eq(apply(&f, "where", "tmpfs", "/c"), 0);
	ck_assert_uint_eq(policy_tmpfs_reserved(&f.p), 3u << 20);
	ck_assert_int_eq(apply(&f, "limits", "tmpfs", "4M"), 0);
	ck_assert_int_eq(policy_validate(&f.p, &f.d), 0);
	ck_assert_int_eq(apply(&f, "limits", "tmpfs", "3M"), 0);
	ck_assert_int_eq(policy_validate(&f.p, &f.d), -1);
	ck_assert_msgs_contain(&f, "t.ini:7: [limits] tmpfs: the tmpfs mounts with a size= of "
				   "their own take 3145728 bytes, the whole budget of 3145728");
	fixture_free(&f);
}
END_TEST

START_TEST(syscall_rules_apply_in_order)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(apply(&f, "how", "allow", "@network-io"), 0);
	ck_assert_int_eq(apply(&f, "how", "deny", "connect:EACCES socket"), 0);
	ck_assert_int_eq(apply(&f, "how", "allow", "socket"), 0);
	int sock = syscall_lookup("socket"), conn = syscall_lookup("connect"),
	    bind = syscall_lookup("bind");
	ck_assert_int_eq(f.p.syscalls[sock].action.kind, SC_ALLOW);
	ck_assert_int_eq(f.p.syscalls[conn].action.kind, SC_ERRNO);
	ck_assert_int_eq(f.p.syscalls[conn].action.errnum, EACCES);
	ck_assert_int_eq(f.p.syscalls[bind].action.kind, SC_ALLOW);
	ck_assert_uint_eq(sc_rule_origin(&f.p, (size_t)conn)->line, 7);
	ck_assert_int_eq(apply(&f, "how", "deny", "ptrace:explode"), -1);
	ck_assert_msgs_contain(&f, "unknown action 'explode'");
	ck_assert_int_eq(apply(&f, "how", "allow", "teleport"), -1);
	ck_assert_msgs_contain(&f, "teleport: unknown system call");
	fixture_free(&f);
}
END_TEST

START_TEST(env_names_are_checked)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(apply(&f, "env", "keep", "TERM LC_*"), 0);
	ck_assert_int_eq(apply(&f, "env", "unset", "1BAD"), -1);
	ck_assert_int_eq(apply(&f, "env", "unset", "WILD*"), -1);
	ck_assert_int_eq(apply(&f, "env", "clear", "perhaps"), -1);
	fixture_free(&f);
}
END_TEST

/* Every option whose value is one word of a list: each word sets its
 * value and the setting's origin; anything else names the words. */
START_TEST(keyword_options_take_one_of_their_words)
{
	struct fixture f;
	fixture_init(&f);
	static const struct {
		const char *section, *key, *word;
		const char *expected;
	} cases[] = {
		{"where", "home", "private", "tmpfs, ro, rw, private or none"},
		{"where", "cwd", "none", "ro, rw or none"},
		{"where", "network", "host", "none, host or user"},
		{"where", "terminal", "host", "pty or host"},
		{"what", "user", "root", "self or root"},
		{"what", "background", "wait", "kill or wait"},
		{"how", "personality", "any", "locked or any"},
	};
	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		ck_assert_int_eq(apply(&f, cases[i].section, cases[i].key, cases[i].word), 0);
		ck_assert_int_eq(apply(&f, cases[i].section, cases[i].key, "x"), -1);
		char *line = xasprintf("t.ini:7: [%s] %s: x: expected %s", cases[i].section,
				       cases[i].key, cases[i].expected);
		ck_assert_msgs_contain(&f, line);
		free(line);
	}
	ck_assert_int_eq(f.p.home, HOME_PRIVATE);
	ck_assert_int_eq(f.p.cwd, CWD_NONE);
	ck_assert_int_eq(f.p.network, NET_HOST);
	ck_assert_int_eq(f.p.terminal, TERMINAL_HOST);
	ck_assert_int_eq(f.p.user, USER_ROOT);
	ck_assert_int_eq(f.p.background, BACKGROUND_WAIT);
	ck_assert(!f.p.personality_locked);
	ck_assert(f.p.home_s.set && f.p.cwd_s.set && f.p.network_s.set && f.p.terminal_s.set &&
		  f.p.user_s.set && f.p.background_s.set && f.p.personality_s.set);
	ck_assert_uint_eq(f.p.personality_s.origin.line, 7);
	ck_assert_int_eq(apply(&f, "how", "personality", "locked"), 0);
	ck_assert(f.p.personality_locked);
	fixture_free(&f);
}
END_TEST

/* Each unshare-* row keeps its setting under its own namespace. */
START_TEST(unshare_rows_name_their_namespace)
{
	static const struct {
		const char *key;
		enum unshare_kind kind;
		unsigned long flag;
	} rows[] = {
		{"unshare-pid", UNSHARE_PID, CLONE_NEWPID},
		{"unshare-ipc", UNSHARE_IPC, CLONE_NEWIPC},
		{"unshare-uts", UNSHARE_UTS, CLONE_NEWUTS},
		{"unshare-cgroup", UNSHARE_CGROUP, CLONE_NEWCGROUP},
		{"unshare-user", UNSHARE_USER, CLONE_NEWUSER},
	};
	for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
		struct fixture f;
		fixture_init(&f);
		ck_assert_int_eq(apply(&f, "where", rows[i].key, "no"), 0);
		ck_assert(!(f.p.unshare & rows[i].flag));
		for (size_t k = 0; k < UNSHARE_COUNT; k++)
			ck_assert_int_eq(f.p.unshare_s[k].set, k == rows[i].kind);
		ck_assert_int_eq(apply(&f, "where", rows[i].key, "yes"), 0);
		ck_assert(f.p.unshare & rows[i].flag);
		fixture_free(&f);
	}
}
END_TEST

START_TEST(rlimit_rows_name_their_resource)
{
	ck_assert_int_eq(option_rlimit(option_by_key("limits", "cpu")), RLIMIT_CPU);
	ck_assert_ptr_null(option_by_key("what", "rlimit-nofile"));
	ck_assert_ptr_nonnull(option_by_cli("limit-nofile"));
	ck_assert_int_eq(option_rlimit(option_by_key("limits", "processes")), -1);
	/* the spellings of before [limits] name what they became */
	ck_assert_ptr_eq(option_moved_key("what", "rlimit-nofile"), option_by_key("limits", "nofile"));
	ck_assert_ptr_eq(option_moved_key("what", "timeout"), option_by_key("limits", "timeout"));
	ck_assert_ptr_null(option_moved_key("what", "rlimit-bogus"));
	ck_assert_ptr_null(option_moved_key("where", "rlimit-nofile"));
	ck_assert_ptr_eq(option_moved_cli("rlimit-cpu"), option_by_key("limits", "cpu"));
	ck_assert_ptr_null(option_moved_cli("timeout"));
	ck_assert_int_eq(option_rlimit(option_by_key("limits", "nofile")), RLIMIT_NOFILE);
	ck_assert_int_eq(option_rlimit(option_by_key("limits", "as")), RLIMIT_AS);
	ck_assert_int_eq(option_rlimit(option_by_key("where", "home")), -1);
	ck_assert_int_eq(option_rlimit(option_by_key("how", "write-xor-execute")), -1);
}
END_TEST

/* [ADDRESS:]HOSTPORT:SANDBOXPORT[/tcp|/udp]: the address canonical, TCP
 * unless /udp. */
START_TEST(forwards_parse)
{
	static const struct {
		const char *text;
		enum forward_proto proto;
		const char *address;
		unsigned host, sandbox;
	} good[] = {
		{"8080:80", FORWARD_TCP, NULL, 8080, 80},
		{"8080:80/tcp", FORWARD_TCP, NULL, 8080, 80},
		{"5353:53/udp", FORWARD_UDP, NULL, 5353, 53},
		{"127.0.0.1:8443:443", FORWARD_TCP, "127.0.0.1", 8443, 443},
		{"[::1]:1:65535/udp", FORWARD_UDP, "::1", 1, 65535},
		{"[0:0::1]:22:22", FORWARD_TCP, "::1", 22, 22},
	};
	for (size_t i = 0; i < ELEMENTSOF(good); i++) {
		struct port_forward f;
		ck_assert_msg(parse_forward(good[i].text, &f) == 0, "%s", good[i].text);
		ck_assert_int_eq(f.proto, good[i].proto);
		ck_assert_uint_eq(f.host_port, good[i].host);
		ck_assert_uint_eq(f.sandbox_port, good[i].sandbox);
		if (good[i].address)
			ck_assert_str_eq(f.address, good[i].address);
		else
			ck_assert_ptr_null(f.address);
		free(f.address);
	}
	static const struct {
		const char *text;
		int err;
	} bad[] = {
		{"8080", -EINVAL},          {"8080:", -EINVAL},          {":80", -EINVAL},
		{"8080:80/sctp", -EINVAL},  {"0:80", -ERANGE},           {"8080:65536", -ERANGE},
		{"-1:80", -EINVAL},         {"8080:80:90", -EINVAL},     {"localhost:80:80", -EINVAL},
		{"::1:80:80", -EINVAL},     {"[::1]80:80", -EINVAL},     {"[127.0.0.1]:80:80", -EINVAL},
		{"1.2.3.4:80", -EINVAL},    {"8080:80/", -EINVAL},       {"+80:80", -EINVAL},
	};
	for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
		struct port_forward f = {.host_port = 7};
		ck_assert_msg(parse_forward(bad[i].text, &f) == bad[i].err, "%s", bad[i].text);
		ck_assert_uint_eq(f.host_port, 7); /* left alone */
	}
}
END_TEST

START_TEST(forwards_add_up_and_none_empties_them)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(apply(&f, "how", "allow", "execve"), 0); /* or the policy is refused */
	ck_assert_int_eq(apply(&f, "where", "network", "user"), 0);
	ck_assert_int_eq(f.p.network, NET_USER);
	ck_assert_int_eq(apply(&f, "where", "forward", "8080:80 5353:53/udp"), 0);
	ck_assert_int_eq(apply(&f, "where", "forward", "127.0.0.1:9000:9000"), 0);
	ck_assert_uint_eq(f.p.n_forwards, 3);
	ck_assert_uint_eq(f.p.forwards[2].origin.line, 7);
	ck_assert_int_eq(policy_validate(&f.p, &f.d), 0);
	ck_assert_int_eq(apply(&f, "where", "forward", "none 80:80"), -1);
	ck_assert_msgs_contain(&f, "'none' cannot be combined with forwards");
	ck_assert_int_eq(apply(&f, "where", "forward", "80"), -1);
	ck_assert_msgs_contain(&f, "t.ini:7: [where] forward: 80: expected "
				   "[ADDRESS:]HOSTPORT:SANDBOXPORT[/tcp|/udp]\n");
	ck_assert_int_eq(apply(&f, "where", "forward", "0:80"), -1);
	ck_assert_msgs_contain(&f, "0:80: expected [ADDRESS:]HOSTPORT:SANDBOXPORT[/tcp|/udp], "
				   "ports from 1 to 65535");
	ck_assert_int_eq(apply(&f, "where", "forward", "none"), 0);
	ck_assert_uint_eq(f.p.n_forwards, 0);
	ck_assert(f.p.forwards_s.set);
	fixture_free(&f);
}
END_TEST

/* pasta listens on each host port once: two forwards of one port and
 * protocol clash unless both name different addresses. */
START_TEST(forwards_need_user_and_distinct_host_ports)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(apply(&f, "where", "forward", "8080:80"), 0);
	ck_assert_int_eq(policy_validate(&f.p, &f.d), -1);
	ck_assert_msgs_contain(&f, "t.ini:7: [where] forward: forward needs network = user, and "
				   "network is none\n");
	ck_assert_int_eq(apply(&f, "where", "network", "host"), 0);
	ck_assert_int_eq(policy_validate(&f.p, &f.d), -1);
	ck_assert_msgs_contain(&f, "network is host from t.ini:7: [where] network");
	fixture_free(&f);

	fixture_init(&f);
	ck_assert_int_eq(apply(&f, "how", "allow", "execve"), 0);
	ck_assert_int_eq(apply(&f, "where", "network", "user"), 0);
	ck_assert_int_eq(apply(&f, "where", "forward", "8080:80 8080:81/udp 127.0.0.1:9000:1 "
						      "127.0.0.2:9000:2"),
			 0);
	ck_assert_int_eq(policy_validate(&f.p, &f.d), 0);
	ck_assert_int_eq(apply(&f, "where", "forward", "127.0.0.1:8080:82"), 0);
	ck_assert_int_eq(policy_validate(&f.p, &f.d), -1);
	ck_assert_msgs_contain(&f, "host port 8080/tcp is forwarded twice (also by t.ini:7: "
				   "[where] forward)");
	fixture_free(&f);
}
END_TEST

RUN_SUITE("options", durations_take_units, table_rows_are_unique_and_complete,
	  bubblewrap_spellings_take_bubblewrap_arguments, booleans_parse,
	  sizes_parse_with_suffixes, modes_are_octal, errno_names_and_numbers_parse,
	  capability_names_parse_in_any_spelling, actions_parse,
	  binds_default_the_destination_to_the_source, destinations_must_be_absolute_without_dotdot,
	  tmpfs_takes_size_and_mode, tmpfs_takes_exec_no, a_bind_takes_the_words_that_mark_it_intended,
	  wrong_argument_counts_are_errors, scalars_take_the_last_value,
	  capabilities_are_a_set, rlimits_take_soft_and_hard, syscall_rules_apply_in_order,
	  env_names_are_checked, paths_are_at_or_below_a_directory_by_whole_components,
	  remove_takes_away_what_earlier_layers_put_at_or_below_a_destination,
	  unshare_pid_no_takes_away_the_proc_before_it, keyword_options_take_one_of_their_words,
	  unshare_rows_name_their_namespace, rlimit_rows_name_their_resource, forwards_parse,
	  forwards_add_up_and_none_empties_them, forwards_need_user_and_distinct_host_ports,
	  	  rlimits_take_units_by_resource, processes_and_tmpfs_take_a_count_and_a_size_or_none,
	  tmpfs_sizes_of_their_own_come_out_of_the_budget)
