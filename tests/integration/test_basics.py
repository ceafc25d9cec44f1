# SPDX-License-Identifier: LGPL-2.1-or-later
"""The command line, exit statuses and the default profile seen from inside."""
import os

from gbtest import both, main


@both
class CommandLine:
    def test_help_prints_usage_and_every_section(self):
        r = self.run_as([self.stage.glovebox, "--help"])
        self.assertOk(r)
        for word in ("Usage:", "--ro-bind SRC DEST", "[where]", "[how]", "Exit status"):
            self.assertIn(word, r.stdout)

    def test_version_prints_the_version(self):
        r = self.run_as([self.stage.glovebox, "--version"])
        self.assertOk(r)
        self.assertRegex(r.stdout, r"^glovebox \d+\.\d+")

    def test_no_command_prints_usage_and_exits_2(self):
        r = self.run_as([self.stage.glovebox])
        self.assertEqual(r.returncode, 2)
        self.assertIn("Usage:", r.stderr)

    def test_unknown_option_is_one_line_and_exit_2(self):
        r = self.run_as([self.stage.glovebox, "--frobnicate", "--", "true"])
        self.assertEqual(r.returncode, 2)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1)
        self.assertIn("--frobnicate", r.stderr)


@both
class Subcommands:
    def test_explain_after_options_explains_with_them(self):
        r = self.run_as([self.stage.glovebox, "-p", "build", "--hostname", "lab", "explain"])
        self.assertOk(r)
        self.assertRegex(r.stdout, r"hostname +lab +# command line --hostname")
        self.assertIn("build.ini", r.stdout)

    def test_check_after_options_says_where_it_goes(self):
        r = self.run_as([self.stage.glovebox, "-p", "build", "check", "x.ini"])
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr, "glovebox: check takes no options and goes first: glovebox "
                                   "check [--strict] PROFILE... (see glovebox --help)\n")

    def test_syscalls_names_the_groups_that_hold_a_call(self):
        r = self.run_as([self.stage.glovebox, "syscalls", "read"])
        self.assertOk(r)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0], "read: a system call, in these groups:")
        self.assertIn("@basic-io", lines)
        self.assertIn("@system-service", lines)
        self.assertNotIn("@network-io", lines)

    def test_syscalls_suggests_the_group_for_a_name_without_its_at(self):
        r = self.run_as([self.stage.glovebox, "syscalls", "network-io"])
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, "")
        self.assertEqual(r.stderr, "glovebox: network-io: not a system call; did you mean the "
                                   "group @network-io?\n")

    def test_syscalls_suggests_nothing_for_an_unknown_name(self):
        for name in ("frobnicate", "@frobnicate"):
            r = self.run_as([self.stage.glovebox, "syscalls", name])
            self.assertEqual(r.returncode, 1)
            self.assertEqual(r.stderr, "glovebox: %s: no such system call or group "
                                       "(glovebox syscalls lists the groups)\n" % name)


@both
class CommandLineValues:
    def test_a_path_with_a_space_is_one_value(self):
        d = self.stage.path("mirror me-%s" % self.who.name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "f"), "w") as f:
            f.write("seen\n")
        r = self.gb("--tmpfs", "/a b", "--dir", "/c d", "mode=0700", "--mirror", d,
                    cmd=["/bin/sh", "-c", 'stat -c %a "/a b" "/c d"; cat "$0/f"', d],
                    probe=False)
        self.assertOk(r)
        self.assertEqual(r.stdout.split(), ["1777", "700", "seen"])

    def test_values_are_not_expanded_or_unquoted(self):
        r = self.gb("--setenv", "V", "'${HOME}' \"x\"", cmd=["/bin/sh", "-c", 'echo "$V"'],
                    probe=False)
        self.assertEqual(r.stdout, "'${HOME}' \"x\"\n")

    def test_a_missing_value_is_a_usage_error_and_never_takes_the_double_dash(self):
        for opts, needs in ((["--bind", "/tmp"],
                             "--bind needs SRC DEST [links=follow] [writable=intended]"),
                            (["--overlay-tmp", "/usr"], "--overlay-tmp needs LOWER DEST"),
                            (["--network"], "--network needs none|host|user")):
            r = self.run_as([self.stage.glovebox] + opts + ["--", "true"])
            self.assertEqual(r.returncode, 2, opts)
            self.assertEqual(r.stderr, "glovebox: %s (see glovebox --help)\n" % needs)

    def test_a_bad_value_on_the_command_line_is_a_usage_error(self):
        r = self.gb("--network", "sideways", cmd=["/bin/true"], probe=False)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr, "glovebox: command line: --network: sideways: "
                                   "expected none, host or user\n")
        r = self.gb("--tmpfs", "/a b", "size=big", cmd=["/bin/true"], probe=False)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--tmpfs: size=big: size must be a number", r.stderr)
        r = self.run_as([self.stage.glovebox, "explain", "--allow", "frob"])
        self.assertEqual(r.returncode, 2)

    def test_a_bad_profile_with_a_bad_option_is_still_125(self):
        p = self.profile("bad-too", "[where]\nnetwork = sideways\n")
        r = self.gb("-p", p, "--network", "sideways", cmd=["/bin/true"], probe=False)
        self.assertEqual(r.returncode, 125)

    def test_a_switch_takes_a_separate_yes_or_no(self):
        outside = self.probe_outside("ns", "ipc").stdout.strip()
        for opts in (["--unshare-ipc", "no"], ["--unshare-ipc=no"]):
            r = self.probe("ns", "ipc", opts=opts)
            self.assertEqual(r.stdout.strip(), outside, opts)
        for opts in (["--unshare-ipc"], ["--unshare-ipc", "yes"], ["--unshare-ipc=yes"]):
            r = self.probe("ns", "ipc", opts=opts)
            self.assertOk(r)
            self.assertNotEqual(r.stdout.strip(), outside, opts)

    def test_a_list_of_names_in_one_argument_allows_every_name_every_time(self):
        p = self.profile("no-setuid", "[profile]\ninclude = default\n[how]\ndeny = @setuid\n")
        for r in (self.probe("syscall", "setresuid", opts=("-p", p)),
                  self.probe("syscall", "setresgid", opts=("-p", p))):
            self.assertEqual(r.stdout.strip(), "EPERM")
        script = "/probe syscall setresuid; /probe syscall setresgid"
        for spelling in ("setresuid setresgid", "setresuid,setresgid"):
            for cache in ((), ("--no-cache",)) * 5:
                r = self.gb("-p", p, "--allow", spelling, *cache,
                            cmd=["/bin/sh", "-c", script])
                self.assertEqual(r.stdout.split(), ["ok", "ok"], (spelling, cache, r.stderr))


@both
class ExitStatus:
    def test_exit_status_comes_back_unchanged(self):
        for code in (0, 1, 3, 42, 255):
            r = self.probe("exit", str(code))
            self.assertEqual(r.returncode, code)

    def test_killed_by_signal_gives_128_plus_n(self):
        r = self.gb(cmd=["/bin/sh", "-c", "kill -s SEGV $$"], probe=False)
        self.assertEqual(r.returncode, 128 + 11)
        r = self.gb(cmd=["/bin/sh", "-c", "kill -s KILL $$"], probe=False)
        self.assertEqual(r.returncode, 128 + 9)

    def test_missing_command_gives_127(self):
        r = self.gb(cmd=["no-such-command-anywhere"], probe=False)
        self.assertEqual(r.returncode, 127)
        self.assertIn("no-such-command-anywhere: command not found", r.stderr)

    def test_non_executable_gives_126(self):
        data = self.stage.write("not-executable", "just data\n", mode=0o644)
        r = self.gb("--ro-bind", data, "/data", cmd=["/data"], probe=False)
        self.assertEqual(r.returncode, 126)
        self.assertIn("glovebox: /data: Permission denied", r.stderr)

    def test_a_missing_path_gives_127(self):
        r = self.gb(cmd=["/no/such/command"], probe=False)
        self.assertEqual(r.returncode, 127)
        self.assertIn("glovebox: /no/such/command: not in the sandbox", r.stderr)

    def test_a_command_search_passes_over_what_cannot_run(self):
        d = self.stage.path("path-" + self.who.name)
        self.stage.write(os.path.basename(d) + "/a/tool", "echo data\n", mode=0o644)
        self.stage.write(os.path.basename(d) + "/b/tool", "#!/bin/sh\necho found b\n", mode=0o755)
        r = self.gb("--ro-bind", d, "/p", "--setenv", "PATH", "/p/a:/p/b", cmd=["tool"],
                    probe=False)
        self.assertEqual((r.returncode, r.stdout), (0, "found b\n"), r.stderr)
        r = self.gb("--ro-bind", d, "/p", "--setenv", "PATH", "/p/a", cmd=["tool"], probe=False)
        self.assertEqual(r.returncode, 126)
        self.assertIn("glovebox: tool: Permission denied", r.stderr)

    def test_a_script_without_interpreter_line_runs_under_sh(self):
        script = self.stage.write("plain-script-%s" % self.who.name, "echo plain\n", mode=0o755)
        r = self.gb("--ro-bind", script, "/s", cmd=["/s"], probe=False)
        self.assertEqual((r.returncode, r.stdout), (0, "plain\n"), r.stderr)

    def test_not_found_is_reported_even_when_writing_would_kill(self):
        # found (or not) before the filter is loaded: the message is
        # written while writing is surely allowed
        r = self.gb("--deny", "write:kill", cmd=["no-such-command-anywhere"], probe=False)
        self.assertEqual(r.returncode, 127)
        self.assertIn("no-such-command-anywhere: command not found", r.stderr)
        data = self.stage.write("not-executable", "just data\n", mode=0o644)
        r = self.gb("--deny", "write:kill", "--ro-bind", data, "/data", cmd=["/data"],
                    probe=False)
        self.assertEqual(r.returncode, 126)
        self.assertIn("glovebox: /data: Permission denied", r.stderr)

    def test_an_exec_refused_under_the_filter_gives_126_never_a_signal(self):
        refuse = ("--rule", "execve(arg0 != 0):EACCES")
        r = self.gb(*refuse, cmd=["/bin/true"], probe=False)
        self.assertEqual(r.returncode, 126)
        self.assertIn("glovebox: /bin/true: Permission denied", r.stderr)
        # no message when writing would kill, but still no signal death
        r = self.gb(*refuse, "--deny", "write:kill", cmd=["/bin/true"], probe=False)
        self.assertEqual((r.returncode, r.stderr), (126, ""))

    def test_a_policy_that_cannot_start_the_command_gives_125_before_anything_runs(self):
        # the bind source is missing too, but nothing gets as far as binding
        p = self.profile("blank", "[profile]\ninclude = none\n[where]\nbind = /no/such/dir\n")
        want = "%s:2: [profile] include: nothing allows execve, so the command cannot start" % p
        r = self.gb("-p", p, cmd=["/bin/true"], probe=False)
        self.assertEqual(r.returncode, 125)
        self.assertEqual(r.stderr, "glovebox: %s (allow = @system-service, or at least execve and what the program needs to load: @default @basic-io @file-system @process)\n" % want)
        r = self.run_as([self.stage.glovebox, "check", p])
        self.assertEqual(r.returncode, 1)
        self.assertIn(want, r.stdout)
        p = self.profile("noexec", "[how]\ndeny = execve\n")
        r = self.gb("-p", p, cmd=["/bin/true"], probe=False)
        self.assertEqual(r.returncode, 125)
        self.assertIn("%s:2: [how] deny: this denies execve, so the command cannot start" % p,
                      r.stderr)

    def test_missing_bind_source_gives_125_and_runs_nothing(self):
        marker = self.stage.path("ran-%s" % self.who.name)
        r = self.gb("--ro-bind", "/no/such/dir", "/x", "--bind", self.stage.dir, "/s",
                    cmd=["/bin/sh", "-c", "echo > /s/%s" % os.path.basename(marker)],
                    probe=False)
        self.assertEqual(r.returncode, 125)
        self.assertEqual(r.stderr.strip(),
                         "glovebox: command line: --ro-bind: /no/such/dir: "
                         "No such file or directory")
        self.assertFalse(os.path.exists(marker))

    def test_try_form_skips_a_missing_source(self):
        for opt in ("--ro-bind-try", "--bind-try", "--dev-bind-try"):
            r = self.gb(opt, "/no/such/dir", "/x", cmd=["/bin/sh", "-c", "test -e /x || echo skipped"],
                        probe=False)
            self.assertOk(r)
            self.assertEqual(r.stdout.strip(), "skipped", opt)

    def test_try_forms_bind_an_existing_source_with_their_kind(self):
        d = self.stage.path("try-%s" % self.who.name)
        os.makedirs(d, exist_ok=True)
        self.who.chown(d)
        script = ("touch /rw/x && echo rw-ok; touch /ro/x 2>/dev/null || echo ro-refused; "
                  "echo > /null && echo dev-ok")
        r = self.gb("--bind-try", d, "/rw", "--ro-bind-try", d, "/ro", "--dev-bind-try",
                    "/dev/null", "/null", cmd=["/bin/sh", "-c", script], probe=False)
        self.assertEqual(r.stdout.split(), ["rw-ok", "ro-refused", "dev-ok"])

    def test_bad_profile_gives_125_and_names_file_and_line(self):
        p = self.profile("bad", "[where]\nnetwork = sideways\n")
        r = self.gb("-p", p, cmd=["/bin/true"], probe=False)
        self.assertEqual(r.returncode, 125)
        self.assertIn("%s:2: [where] network: sideways" % p, r.stderr)


@both
class DefaultProfile:
    def test_status_shows_seccomp_no_new_privs_and_no_capabilities(self):
        r = self.probe("status")
        self.assertOk(r)
        f = self.status_fields(r.stdout)
        self.assertEqual(f["Seccomp"], "2")
        self.assertEqual(f["NoNewPrivs"], "1")
        for cap in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
            self.assertEqual(f[cap], "0000000000000000", cap)

    def test_runs_as_the_callers_own_ids(self):
        r = self.probe("status")
        f = self.status_fields(r.stdout)
        self.assertEqual(f["Uid"].split()[0], str(self.who.uid))
        self.assertEqual(f["Gid"].split()[0], str(self.who.gid))

    def test_root_shows_only_the_system_and_private_directories(self):
        r = self.gb(cmd=["/bin/ls", "-A", "/"], probe=False)
        self.assertOk(r)
        entries = set(r.stdout.split())
        expected = {"usr", "etc", "proc", "dev", "tmp", "bin", "sbin", "lib"}
        self.assertTrue(expected <= entries, entries)
        home_top = self.who.home.split("/")[1]
        allowed = expected | {"lib32", "lib64", "libx32", home_top}
        self.assertEqual(entries - allowed, set())

    def test_host_name_is_glovebox(self):
        r = self.probe("hostname")
        self.assertEqual(r.stdout.strip(), "glovebox")

    def test_environment_is_cleared_to_the_keep_list(self):
        r = self.gb(cmd=["/usr/bin/env"], probe=False,
                    env={"GB_SECRET_TOKEN": "hunter2", "TERM": "xterm-test"})
        self.assertOk(r)
        self.assertNotIn("GB_SECRET_TOKEN", r.stdout)
        self.assertIn("TERM=xterm-test", r.stdout)
        self.assertIn("PATH=/usr/local/sbin:", r.stdout)

    def test_home_is_an_empty_private_directory(self):
        with open(os.path.join(self.who.home, "diary.txt"), "w") as f:
            f.write("private")
        r = self.gb(cmd=["/bin/sh", "-c", 'ls -A "$HOME"; touch "$HOME/new" && echo wrote'],
                    probe=False)
        self.assertOk(r)
        self.assertEqual(r.stdout.split(), ["wrote"])
        self.assertFalse(os.path.exists(os.path.join(self.who.home, "new")))


@both
class CheckTakesNames:
    def test_an_option_after_check_is_a_usage_error(self):
        r = self.run_as([self.stage.glovebox, "check", "-p", "build"])
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr, "glovebox: check takes profile names, not options ('-p'): "
                                   "glovebox check [--strict] PROFILE...\n")

    def test_none_is_no_profile_to_check(self):
        r = self.run_as([self.stage.glovebox, "check", "none"])
        self.assertEqual(r.returncode, 2)
        self.assertIn("none is a blank slate, not a profile", r.stderr)


@both
class WithoutUserNamespaces:
    """Where user namespaces cannot be made, glovebox fails closed (125) and
    says why in one line, with the fix."""

    def test_a_zero_namespace_limit_is_named_with_its_fix(self):
        # A user namespace of the test's own, whose limit is set to 0, and
        # glovebox started in it with no capabilities left: for real.
        script = ("echo 0 > /proc/sys/user/max_user_namespaces && "
                  "exec setpriv --inh-caps=-all --bounding-set=-all %s -- true"
                  % self.stage.glovebox)
        r = self.run_as(["unshare", "-U", "-r", "sh", "-c", script])
        self.assertEqual(r.returncode, 125, r.stderr)
        self.assertEqual(r.stderr, "glovebox: cannot create the sandbox's namespaces: user "
                         "namespaces are turned off here: user.max_user_namespaces is 0 "
                         "(as root: sysctl -w user.max_user_namespaces=15000)\n")

    def test_a_seccomp_filter_around_glovebox_is_named(self):
        # glovebox inside glovebox: the outer filter answers clone3 with
        # ENOSYS (glovebox falls back to clone) and refuses a new user
        # namespace with EPERM, as a container's profile does.
        # (An ASan build's leak checker needs ptrace, which the outer
        # filter refuses: it is told not to check.)
        r = self.gb("--ro-bind", self.stage.glovebox, "/gb", "--setenv", "ASAN_OPTIONS",
                    "detect_leaks=0", cmd=["/gb", "--", "true"], probe=False)
        self.assertEqual(r.returncode, 125, r.stderr)
        self.assertIn("cannot create the sandbox's namespaces: a seccomp filter around "
                      "glovebox refuses new user namespaces", r.stderr)


if __name__ == "__main__":
    main()
