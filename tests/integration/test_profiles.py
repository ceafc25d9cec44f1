# SPDX-License-Identifier: LGPL-2.1-or-later
"""Profiles: the search path, layering, `check`, shipped profiles, install."""
import os
import resource
import subprocess
import tempfile
import unittest

from gbtest import GLOVEBOX, IS_ROOT, SOURCE_ROOT, both, main


@both
class SearchPath:
    def write_user_profile(self, name, text):
        d = os.path.join(self.who.home, ".config", "glovebox", "profiles")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, name + ".ini"), "w") as f:
            f.write(text)

    def test_a_bare_name_is_found_in_the_users_config(self):
        self.write_user_profile("mine", "[profile]\ninclude = default\n[where]\nhostname = mine\n")
        r = self.probe("hostname", opts=("-p", "mine"))
        self.assertEqual(r.stdout.strip(), "mine")

    def test_later_profiles_and_then_options_win(self):
        self.write_user_profile("one", "[profile]\ninclude = default\n[where]\nhostname = one\n")
        self.write_user_profile("two", "[where]\nhostname = two\n")
        self.assertEqual(self.probe("hostname", opts=("-p", "one", "-p", "two")).stdout.strip(),
                         "two")
        self.assertEqual(self.probe("hostname", opts=("-p", "one", "--hostname", "cli", "-p",
                                                      "two")).stdout.strip(), "cli")

    def test_a_name_ending_in_ini_is_a_file_in_the_current_directory(self):
        # run_as runs in the stage's work directory: the file goes there
        p = self.stage.write(os.path.join("work", "p-%s-dotini.ini" % self.who.name),
                             "[profile]\ninclude = default\n[where]\nhostname = dotini\n")
        r = self.probe("hostname", opts=("-p", os.path.basename(p)))
        self.assertEqual(r.stdout.strip(), "dotini")

    def test_a_missing_profile_is_an_error(self):
        r = self.gb("-p", "no-such-profile", cmd=["/bin/true"], probe=False)
        self.assertEqual(r.returncode, 125)
        self.assertIn("profile 'no-such-profile' not found", r.stderr)


@both
class DropIns:
    def test_a_users_dropin_adapts_a_shipped_profile(self):
        path = self.user_file("build.d/50-name.ini", "[where]\nhostname = dropped\n")
        self.assertEqual(self.probe("hostname", opts=("-p", "build")).stdout, "dropped\n")
        r = self.run_as([self.stage.glovebox, "explain", "-p", "build"])
        self.assertOk(r)
        # the staged install's build.ini, then the drop-in
        self.assertRegex(r.stdout, r"#   (/\S+/build\.ini)\n#   %s \(drop-in for \1\)\n" % path)
        self.assertIn("dropped", r.stdout)
        self.assertIn("# %s:2" % path, r.stdout)

    def test_default_d_adapts_the_builtin_default(self):
        self.user_file("default.d/50-name.ini", "[where]\nhostname = everywhere\n")
        self.assertEqual(self.probe("hostname").stdout, "everywhere\n")

    def test_a_dropins_error_names_its_file_and_line(self):
        path = self.user_file("build.d/50-bad.ini", "[where]\n\nnetwork = sideways\n")
        r = self.gb("-p", "build", cmd=["/bin/true"], probe=False)
        self.assertEqual(r.returncode, 125)
        self.assertIn("%s:3: [where] network:" % path, r.stderr)


@both
class Layering:
    def test_a_profile_without_include_layers_on_the_default(self):
        p = self.profile("one", "[where]\nhostname = one\n")
        r = self.gb("-p", p, cmd=["/bin/sh", "-c", "hostname; ls /usr/bin/true"], probe=False)
        self.assertOk(r)
        self.assertEqual(r.stdout.split(), ["one", "/usr/bin/true"])

    def test_an_empty_profile_is_the_default(self):
        p = self.profile("empty", "")
        r = self.run_as([self.stage.glovebox, "check", p])
        self.assertOk(r)
        self.assertEqual(self.probe("hostname", opts=("-p", p)).stdout, "glovebox\n")

    def test_none_cannot_be_combined_with_profile_names(self):
        p = self.profile("mixed", "[profile]\ninclude = none default\n")
        r = self.gb("-p", p, cmd=["/bin/true"], probe=False)
        self.assertEqual(r.returncode, 125)
        self.assertIn("%s:2: [profile] include: none (a blank slate) cannot be combined" % p,
                      r.stderr)


@both
class Check:
    def test_check_accepts_valid_profiles(self):
        shipped = [os.path.join(self.stage.profiles, n + ".ini") for n in shipped_profile_names(self.stage)]
        r = self.run_as([self.stage.glovebox, "check"] + shipped)
        self.assertOk(r)
        self.assertEqual(r.stdout, "")

    def test_check_reports_every_problem_with_file_and_line(self):
        p = self.profile("broken", "[where]\nbind = /a b c\n[what]\ncapabilities = CAP_FLY\n"
                                   "[nowhere]\n")
        r = self.run_as([self.stage.glovebox, "check", p])
        self.assertEqual(r.returncode, 1)
        lines = r.stdout.splitlines()
        self.assertIn("%s:2: [where] bind: expected SRC [DEST] [links=follow] [writable=intended], "
                      "got 3 values" % p, lines)
        self.assertIn("%s:4: [what] capabilities: CAP_FLY: unknown capability" % p, lines)
        self.assertTrue(any(l.startswith("%s:5: [nowhere]: unknown section" % p) for l in lines))

    def test_check_takes_a_name_on_the_search_path_like_p(self):
        r = self.run_as([self.stage.glovebox, "check", "build", "online", "default"])
        self.assertOk(r)
        self.assertEqual(r.stdout, "")
        r = self.run_as([self.stage.glovebox, "check", "no-such-profile"])
        self.assertEqual(r.returncode, 1)
        self.assertIn("profile 'no-such-profile' not found", r.stdout)

    def test_check_prints_a_relative_path_as_written(self):
        # run_as runs in the stage's work directory: the file goes there
        p = self.stage.write(os.path.join("work", "p-%s-typed.ini" % self.who.name),
                             "[where]\nnetwork = sideways\n")
        name = os.path.basename(p)
        r = self.run_as([self.stage.glovebox, "check", name])
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, "%s:2: [where] network: sideways: expected none, host or user\n"
                         % name)

    def test_check_accepts_a_byte_order_mark(self):
        p = self.profile("bom", "\ufeff[where]\nhostname = bom\n")
        with open(p, "rb") as f:
            self.assertEqual(f.read(3), b"\xef\xbb\xbf")
        r = self.run_as([self.stage.glovebox, "check", p])
        self.assertOk(r)
        self.assertEqual(r.stdout, "")

    def test_check_runs_nothing_and_warns_of_a_missing_source(self):
        p = self.profile("runs", "[where]\nbind = /definitely/missing\n"
                                 "ro-bind-try = /definitely/missing/too\n")
        r = self.run_as([self.stage.glovebox, "check", p])
        self.assertOk(r)
        self.assertEqual(r.stdout, "%s:2: [where] bind: warning: /definitely/missing: No such "
                         "file or directory (a launch here fails; the -try keys skip a missing "
                         "source)\n" % p)

    def test_check_and_a_launch_refuse_a_hard_limit_above_the_current_one(self):
        hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
        p = self.profile("rlimit", "[profile]\ninclude = default\n[limits]\n"
                                   "nofile = 64:%d\n" % (hard + 1))
        want = ("%s:4: [limits] nofile: the hard limit %d is above the current %d; "
                "raising a hard limit needs CAP_SYS_RESOURCE outside a user namespace"
                % (p, hard + 1, hard))
        r = self.run_as([self.stage.glovebox, "check", p])
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, want + "\n")
        r = self.gb("-p", p, cmd=["/bin/true"], probe=False)
        self.assertEqual(r.returncode, 125)
        self.assertEqual(r.stderr, "glovebox: " + want + "\n")

    def test_check_refuses_an_open_file_limit_above_the_kernels_ceiling(self):
        if not self.who.is_root:
            self.skipTest("only root may go without a user namespace, where a raise can pass")
        with open("/proc/sys/fs/nr_open") as f:
            ceiling = int(f.read())
        p = self.profile("nr-open", "[where]\nunshare-user = no\n[what]\n"
                                    "capabilities = sys_resource\n[limits]\nnofile = 64:%d\n"
                                    % (ceiling + 1))
        r = self.run_as([self.stage.glovebox, "check", p])
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, "%s:6: [limits] nofile: the hard limit %d is above the "
                         "kernel's fs.nr_open, %d\n" % (p, ceiling + 1, ceiling))

    def test_check_accepts_a_hard_limit_within_the_current_one(self):
        hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
        p = self.profile("rlimit-ok", "[limits]\nnofile = 64:%d\n" % hard)
        self.assertOk(self.run_as([self.stage.glovebox, "check", p]))

    def test_check_says_who_may_go_without_a_user_namespace(self):
        p = self.profile("nouserns", "[where]\nunshare-user = no\n")
        r = self.run_as([self.stage.glovebox, "check", p])
        if self.who.is_root:
            self.assertOk(r)
        else:
            self.assertEqual(r.returncode, 1)
            self.assertIn("%s:2: [where] unshare-user: needs root" % p, r.stdout)


@both
class NoRawControlCharacters:
    """Messages show ESC and other control bytes from their input as \\xNN,
    so a hostile profile or file name cannot drive the user's terminal."""

    HOSTILE = "[where]\nnet\x1bwork = host\nnetwork = \x1b]0;owned\x07\n"

    def assertEscaped(self, out):
        self.assertNotIn("\x1b", out)
        self.assertNotIn("\x07", out)
        self.assertIn("\\x1b", out)

    def test_a_launch_escapes_the_profile_path_key_and_value(self):
        p = self.profile("esc\x1b[31m", self.HOSTILE)
        r = self.gb("-p", p, cmd=["/bin/true"], probe=False)
        self.assertEqual(r.returncode, 125)
        self.assertEscaped(r.stderr)
        self.assertIn("esc\\x1b[31m.ini:2: [where] net\\x1bwork: unknown key", r.stderr)
        self.assertIn(":3: [where] network: \\x1b]0;owned\\x07: expected none, host or user",
                      r.stderr)

    def test_check_escapes_the_profile_path_key_and_value(self):
        p = self.profile("check\x1b[31m", self.HOSTILE)
        r = self.run_as([self.stage.glovebox, "check", p])
        self.assertEqual(r.returncode, 1)
        self.assertEscaped(r.stdout)

    def test_a_command_name_is_escaped(self):
        r = self.gb(cmd=["/no/such\x1b[31mcommand"], probe=False)
        self.assertEqual(r.returncode, 127)
        self.assertEscaped(r.stderr)
        self.assertIn("/no/such\\x1b[31mcommand: not in the sandbox", r.stderr)
        r = self.gb(cmd=["no-such\x1b[31mcommand"], probe=False)
        self.assertEqual(r.returncode, 127)
        self.assertEscaped(r.stderr)
        self.assertIn("no-such\\x1b[31mcommand: command not found", r.stderr)

    def test_explain_escapes_values_and_paths(self):
        p = self.profile("explain\x1b[31m",
                         "[profile]\ninclude = default\ndescription = a\x1b[2Jb\n"
                         "[env]\nset = X=\x1b]0;owned\x07\n")
        r = self.run_as([self.stage.glovebox, "explain", "-p", p])
        self.assertOk(r)
        self.assertEscaped(r.stdout)
        self.assertIn("# a\\x1b[2Jb", r.stdout)
        self.assertIn("set X=\\x1b]0;owned\\x07", r.stdout)

    def test_syscalls_escapes_an_unknown_name(self):
        r = self.run_as([self.stage.glovebox, "syscalls", "x\x1b[31m"])
        self.assertEqual(r.returncode, 1)
        self.assertEscaped(r.stderr)


@both
class Quoting:
    def test_set_keeps_the_quotes_and_a_list_drops_them(self):
        d = self.stage.path("quoted dir " + self.who.name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "f"), "w") as f:
            f.write("inside\n")
        os.chmod(d, 0o755)
        p = self.profile("quoting", "[profile]\ninclude = default\n"
                                    "[where]\nro-bind = \"%s\" '/q d'\n"
                                    "[env]\nset = Q=\"a b\"\n" % d)
        r = self.gb("-p", p, cmd=["/bin/sh", "-c", 'printf "%s|" "$Q"; cat "/q d/f"'],
                    probe=False)
        self.assertOk(r)
        self.assertEqual(r.stdout, '"a b"|inside\n')


def shipped_profile_names(st):
    """Every shipped profile by name: the files in profiles/ (default.ini is
    the built-in one's text), but the building blocks, which run nothing
    alone (test_library.py), and the desktop apps': they need a display to
    start, and test_desktop.py runs them on one."""
    def needs_display(f):
        with open(os.path.join(st.profiles, f)) as text:
            return "\n[desktop]\n" in text.read()
    return sorted(f[:-4] for f in os.listdir(st.profiles)
                  if f.endswith(".ini") and not f.startswith(("grant-", "restrict-"))
                  and not needs_display(f))


@both
class ShippedProfiles:
    def make_tree(self, name, files):
        """A source tree of the user's own, with these files in it."""
        tree = self.stage.path("tree-%s-%s" % (name, self.who.name))
        os.makedirs(tree, exist_ok=True)
        self.who.chown(tree)
        for f, text in files.items():
            with open(os.path.join(tree, f), "w") as out:
                out.write(text)
            self.who.chown(os.path.join(tree, f))
        return tree

    def run_in(self, tree, argv):
        return self.run_as(["/bin/sh", "-c", 'cd "$1" && shift && exec "$@"', "sh", tree] + argv)

    def test_build_compiles_a_program_in_the_current_tree(self):
        tree = self.make_tree("hello", {
            "hello.c": '#include <stdio.h>\nint main(void){puts("hello from the tree");return 0;}\n'})
        argv = [self.stage.glovebox, "-p", "build", "--", "/bin/sh", "-c",
                "cc -O2 -o hello hello.c && ./hello && touch $HOME/escaped 2>/dev/null; "
                "ls -A $HOME"]
        r = self.run_in(tree, argv)
        self.assertOk(r)
        self.assertEqual(r.stdout.splitlines()[0], "hello from the tree")
        self.assertTrue(os.path.exists(os.path.join(tree, "hello")))
        self.assertFalse(os.path.exists(os.path.join(self.who.home, "escaped")))

    def test_build_runs_a_parallel_make(self):
        # GNU make starts its jobs with posix_spawn(POSIX_SPAWN_RESETIDS),
        # which sets the ids the process already has.
        tree = self.make_tree("make", {
            "Makefile": "prog: a.o b.o\n\tcc -o $@ a.o b.o\n",
            "a.c": "int answer(void) { return 42; }\n",
            "b.c": '#include <stdio.h>\nint answer(void);\n'
                   'int main(void) { printf("%d\\n", answer()); return 0; }\n'})
        r = self.run_in(tree, [self.stage.glovebox, "-p", "build", "--", "make", "-j2"])
        self.assertOk(r)
        r = self.run_in(tree, [self.stage.glovebox, "-p", "build", "--", "./prog"])
        self.assertEqual(r.stdout, "42\n")

    def test_every_shipped_profile_lets_posix_spawn_reset_ids(self):
        spawn = ("import os; pid = os.posix_spawn('/bin/true', ['true'], {}, resetids=True); "
                 "print(os.waitpid(pid, 0)[1])")
        names = shipped_profile_names(self.stage)
        self.assertIn("build", names)
        for name in names:
            r = self.gb("-p", name, cmd=["python3", "-c", spawn], probe=False)
            self.assertEqual((r.returncode, r.stdout, r.stderr), (0, "0\n", ""), name)

    def test_every_shipped_profile_bounds_its_tmpfs_and_processes(self):
        show = ("import os\n"
                "print(open('/proc/sys/kernel/pid_max').read().strip())\n"
                "for d in ('/tmp', '/dev/shm', os.environ['HOME'], '/var/tmp'):\n"
                "    if os.path.isdir(d):\n"
                "        v = os.statvfs(d)\n"
                "        print(d, v.f_blocks * v.f_frsize, os.stat(d).st_dev)\n")
        for name in shipped_profile_names(self.stage):
            r = self.gb("-p", name, cmd=["python3", "-c", show], probe=False)
            self.assertOk(r, name)
            lines = r.stdout.splitlines()
            # processes: pid_max is 300 more
            self.assertLessEqual(int(lines[0]), 300 + 4096, name)
            # shell's home is yours, read-only: a bind, no tmpfs
            mounts = [line.split() for line in lines[1:]
                      if not (name == "shell" and line.split()[0] == self.who.home)]
            self.assertGreaterEqual(len(mounts), 2, (name, mounts))
            # one pool of at most 4 GiB behind every one of them
            self.assertEqual(len({m[2] for m in mounts}), 1, (name, mounts))
            self.assertLessEqual(int(mounts[0][1]), 4 << 30, name)

    def test_build_has_no_network(self):
        r = self.gb("-p", "build", cmd=["/probe", "ifaces"])
        self.assertEqual(r.stdout.split(), ["lo"])

    def test_online_shares_the_host_network(self):
        r = self.gb("-p", "online", cmd=["/probe", "ifaces"])
        self.assertEqual(sorted(r.stdout.split()),
                         sorted(self.probe_outside("ifaces").stdout.split()))


class BuildTreeAndInstall(unittest.TestCase):
    """The binary finds the shipped profiles from its build tree, and after
    `meson install` into a prefix, without any environment variable."""

    def test_build_tree_binary_finds_shipped_profiles(self):
        if not IS_ROOT and not os.access(GLOVEBOX, os.X_OK):
            self.skipTest("build tree not executable")
        env = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "XDG_CONFIG_HOME": "/nonexistent"}
        r = subprocess.run([GLOVEBOX, "-p", "build", "--", "/bin/true"], env=env,
                           capture_output=True, text=True, cwd="/tmp")
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_installed_layout_finds_shipped_profiles(self):
        with tempfile.TemporaryDirectory(prefix="gb-install-") as tmp:
            prefix = os.path.join(tmp, "prefix")
            build = os.path.join(tmp, "build")
            subprocess.run(["meson", "setup", "--prefix", prefix, "-Dtests=false", build,
                            SOURCE_ROOT], check=True, capture_output=True)
            subprocess.run(["meson", "install", "-C", build], check=True, capture_output=True)
            exe = os.path.join(prefix, "bin", "glovebox")
            self.assertTrue(os.path.exists(os.path.join(prefix, "share", "glovebox", "profiles",
                                                        "build.ini")))
            env = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent",
                   "XDG_CONFIG_HOME": "/nonexistent"}
            r = subprocess.run([exe, "-p", "build", "--", "/bin/true"], env=env,
                               capture_output=True, text=True, cwd="/tmp")
            self.assertEqual(r.returncode, 0, r.stderr)
            pc = subprocess.run(["pkg-config", "--variable=profilesdir", "glovebox"],
                                env={"PKG_CONFIG_PATH": os.path.join(prefix, "lib", "x86_64-linux-gnu", "pkgconfig") + ":" + os.path.join(prefix, "share", "pkgconfig") + ":" + os.path.join(prefix, "lib", "pkgconfig")},
                                capture_output=True, text=True)
            self.assertEqual(pc.stdout.strip(), os.path.join(prefix, "share", "glovebox", "profiles"))


if __name__ == "__main__":
    main()
