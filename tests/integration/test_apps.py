# SPDX-License-Identifier: LGPL-2.1-or-later
"""Apps: [profile] desktop-id and binary, `glovebox run APP`, and
`glovebox desktop install|remove|list` with a fake XDG_DATA_DIRS and the
system's own entries."""
import os
import shlex
import shutil
import stat
import subprocess

from gbtest import both, main

# Runs `hostname` in a sandbox whose host name says which profile it is.
HOST_APP = ("[profile]\n"
            "description = prints the sandbox's host name\n"
            "desktop-id = org.example.Host\n"
            "binary = hostname\n"
            "[where]\n"
            "hostname = appbox\n")

ENTRY = ("# a comment stays\n"
         "[Desktop Entry]\n"
         "Type=Application\n"
         "Name=Host\n"
         "TryExec=hostname\n"
         "Exec=hostname %U\n"
         "DBusActivatable=true\n"
         "Actions=short;\n"
         "\n"
         "[Desktop Action short]\n"
         "Name=Short\n"
         "Exec=\"/usr/bin/hostname\" -s %f\n")


class AppCase:
    def setUp(self):
        self.profiles = os.path.join(self.who.home, ".config", "glovebox", "profiles")
        self.data_home = os.path.join(self.who.home, ".local", "share")
        self.apps = os.path.join(self.data_home, "applications")
        self.add_profile("hostapp", HOST_APP)

    def add_profile(self, name, text):
        os.makedirs(self.profiles, exist_ok=True)
        path = os.path.join(self.profiles, name + ".ini")
        with open(path, "w") as f:
            f.write(text)
        for d in (os.path.join(self.who.home, ".config"),
                  os.path.join(self.who.home, ".config", "glovebox"), self.profiles, path):
            self.who.chown(d)
        self.addCleanup(os.unlink, path)

    def glovebox(self, *args, env=None):
        return self.run_as([self.stage.glovebox] + list(args), env=env)


@both
class RunApp(AppCase):
    def test_the_profiles_name_runs_its_binary_under_it(self):
        r = self.glovebox("run", "hostapp")
        self.assertOk(r)
        self.assertEqual(r.stdout.strip(), "appbox")

    def test_the_desktop_id_and_the_binary_find_it_too(self):
        for app in ("org.example.Host", "org.example.Host.desktop", "hostname"):
            r = self.glovebox("run", app)
            self.assertOk(r, "%s: %s" % (app, r.stderr))
            self.assertEqual(r.stdout.strip(), "appbox")

    def test_the_arguments_follow_the_binary(self):
        self.add_profile("echoapp", "[profile]\nbinary = /bin/echo\n")
        r = self.glovebox("run", "echoapp", "one", "two words")
        self.assertOk(r)
        self.assertEqual(r.stdout, "one two words\n")

    def test_a_profile_without_binary_is_no_app(self):
        self.add_profile("plain", "[where]\nhostname = plain\n")
        r = self.glovebox("run", "plain")
        self.assertEqual(r.returncode, 125)
        self.assertIn("no app profile names it", r.stderr)

    def test_an_unknown_app_or_none_is_refused(self):
        r = self.glovebox("run", "no-such-app")
        self.assertEqual(r.returncode, 125)
        self.assertEqual(r.stdout, "")
        self.assertEqual(self.glovebox("run").returncode, 2)

    def traced(self, name, app):
        """The lines of strace's readlink and openat calls of `glovebox run APP`."""
        out = os.path.join(self.who.home, "run-%s.trace" % name)
        r = self.run_as(["strace", "-f", "-qq", "-e", "trace=readlink,readlinkat,openat", "-o",
                         out, self.stage.glovebox, "run", app],
                        env={"ASAN_OPTIONS": "detect_leaks=0"})
        self.assertOk(r)
        with open(out) as f:
            return f.readlines()

    def test_finding_the_app_reads_glovebox_own_location_once(self):
        # By its binary, every profile on the search path is loaded, each
        # with the search path built anew: where glovebox lives is read
        # once a process, not once a profile.
        if not shutil.which("strace"):
            self.skipTest("strace is not installed")

        def exe_reads(name):
            return len([l for l in self.traced(name, "hostname") if '"/proc/self/exe"' in l])
        few = exe_reads("few")
        for i in range(10):
            self.add_profile("more%d" % i, "[profile]\nbinary = /bin/true\n")
        self.assertEqual(exe_reads("more"), few)

    def test_an_app_found_by_its_name_loads_no_other_profile(self):
        if not shutil.which("strace"):
            self.skipTest("strace is not installed")

        def profiles_read(name):
            # once to find it, once to run under it
            return {l.split('"')[1] for l in self.traced(name, "hostapp")
                    if ".ini\"" in l and "openat(" in l and "= -1" not in l}
        self.assertEqual(profiles_read("few"), {os.path.join(self.profiles, "hostapp.ini")})
        for i in range(10):
            self.add_profile("more%d" % i, "[profile]\nbinary = /bin/true\n")
        self.assertEqual(profiles_read("more"), {os.path.join(self.profiles, "hostapp.ini")})

    def test_a_profile_of_the_apps_name_that_is_no_app_hides_a_later_one(self):
        # The slow path beside the shortcut by name: the first directory
        # that holds NAME.ini decides, as `glovebox desktop list` shows.
        self.add_profile("feh", "[where]\nhostname = plain\n")  # shipped: an app
        r = self.glovebox("run", "feh")
        self.assertEqual(r.returncode, 125, r.stderr)
        self.assertIn("no app profile names it", r.stderr)
        self.add_profile("other", "[profile]\nbinary = feh\n")  # found by its binary
        r = self.glovebox("run", "feh", "--version")
        self.assertNotIn("no app profile names it", r.stderr)

    def test_bad_metadata_is_an_error(self):
        for key, value in (("--desktop-id", "a b"), ("--desktop-id", "x.desktop"),
                           ("--binary", "bin/rel")):
            r = self.glovebox(key, value, "--", "true")
            self.assertEqual(r.returncode, 2, "%s %s: %s" % (key, value, r.stderr))


@both
class Desktop(AppCase):
    def setUp(self):
        super().setUp()
        self.system = self.stage.path("share-%s" % self.who.name)
        os.makedirs(os.path.join(self.system, "applications"), exist_ok=True)
        self.stage.write("share-%s/applications/org.example.Host.desktop" % self.who.name,
                         ENTRY)
        self.env = {"XDG_DATA_DIRS": self.system}

    def desktop(self, *args, env=None):
        return self.glovebox("desktop", *args, env=self.env if env is None else env)

    def installed(self, name="org.example.Host.desktop"):
        return os.path.join(self.apps, name)

    def test_install_writes_an_override_that_runs_through_glovebox(self):
        r = self.desktop("install", "hostapp")
        self.assertOk(r)
        path = self.installed()
        self.assertEqual(r.stdout.strip(), path)
        st = os.lstat(path)
        self.assertTrue(stat.S_ISREG(st.st_mode))
        self.assertEqual(st.st_uid, self.who.uid)
        with open(path) as f:
            text = f.read()
        lines = text.splitlines()
        gb = self.stage.glovebox
        self.assertIn("Exec=%s run hostapp %%U" % gb, lines)
        self.assertIn("Exec=%s run hostapp -s %%f" % gb, lines)
        self.assertIn("TryExec=%s" % gb, lines)
        self.assertIn("X-Glovebox-Profile=hostapp", lines)
        self.assertIn("DBusActivatable=false", lines)
        self.assertNotIn("DBusActivatable=true", lines)
        for kept in ("# a comment stays", "Name=Host", "[Desktop Action short]", "Name=Short"):
            self.assertIn(kept, lines)
        # the entry's command, as a launcher would run it without files
        exec_line = [l for l in lines if l.startswith("Exec=")][0][len("Exec="):]
        argv = [a for a in shlex.split(exec_line) if not a.startswith("%")]
        r = self.run_as(argv)
        self.assertOk(r)
        self.assertEqual(r.stdout.strip(), "appbox")
        # no temporary file left beside it
        self.assertEqual(os.listdir(self.apps), ["org.example.Host.desktop"])

    def test_list_and_remove_know_their_own_files(self):
        self.assertOk(self.desktop("install", "org.example.Host"))
        own = self.installed("mine.desktop")
        with open(own, "w") as f:
            f.write("[Desktop Entry]\nType=Application\nName=Mine\nExec=true\n")
        self.who.chown(own)
        r = self.desktop("list")
        self.assertOk(r)
        self.assertEqual(r.stdout, "org.example.Host\thostapp\n")
        r = self.desktop("remove", "hostapp")
        self.assertOk(r)
        self.assertFalse(os.path.exists(self.installed()))
        self.assertTrue(os.path.exists(own))
        self.assertEqual(self.desktop("list").stdout, "")
        r = self.desktop("remove", "mine")
        self.assertEqual(r.returncode, 125)
        self.assertTrue(os.path.exists(own))

    def test_a_users_own_entry_is_never_replaced(self):
        os.makedirs(self.apps, exist_ok=True)
        for d in (os.path.dirname(self.data_home), self.data_home, self.apps):
            self.who.chown(d)
        with open(self.installed(), "w") as f:
            f.write("[Desktop Entry]\nName=Mine\nExec=hostname\n")
        self.who.chown(self.installed())
        r = self.desktop("install", "hostapp")
        self.assertEqual(r.returncode, 125)
        self.assertIn("not glovebox's", r.stderr)
        with open(self.installed()) as f:
            self.assertIn("Name=Mine", f.read())

    def test_no_write_through_a_symlink(self):
        target = self.stage.path("elsewhere-%s" % self.who.name)
        os.makedirs(target, exist_ok=True)
        self.who.chown(target)
        os.makedirs(self.data_home, exist_ok=True)
        for d in (os.path.dirname(self.data_home), self.data_home):
            self.who.chown(d)
        if os.path.isdir(self.apps):
            shutil.rmtree(self.apps)
        os.symlink(target, self.apps)
        r = self.desktop("install", "hostapp")
        self.assertEqual(r.returncode, 125)
        self.assertEqual(os.listdir(target), [])
        # an entry that is a symlink is not glovebox's either
        os.unlink(self.apps)
        os.makedirs(self.apps)
        self.who.chown(self.apps)
        os.symlink(os.path.join(self.system, "applications", "org.example.Host.desktop"),
                   self.installed())
        self.assertEqual(self.desktop("install", "hostapp").returncode, 125)
        self.assertTrue(os.path.islink(self.installed()))
        os.unlink(self.installed())

    def test_an_app_without_a_system_entry_is_refused(self):
        self.add_profile("nodesk", "[profile]\nbinary = true\ndesktop-id = org.example.None\n")
        r = self.desktop("install", "nodesk")
        self.assertEqual(r.returncode, 125)
        self.assertIn("org.example.None.desktop", r.stderr)
        self.assertFalse(os.path.exists(self.installed("org.example.None.desktop")))

    def test_a_real_entry_of_the_system(self):
        real = "/usr/share/applications/debian-uxterm.desktop"
        if not os.path.exists(real):
            self.skipTest("xterm is not installed")
        self.add_profile("gbtest-uxterm",
                         "[profile]\ndesktop-id = debian-uxterm\nbinary = uxterm\n")
        r = self.desktop("install", "gbtest-uxterm", env={})
        self.assertOk(r)
        with open(self.installed("debian-uxterm.desktop")) as f:
            lines = f.read().splitlines()
        self.assertIn("Exec=%s run gbtest-uxterm" % self.stage.glovebox, lines)
        self.assertIn("Name=UXTerm", lines)
        self.assertIn("X-Glovebox-Profile=gbtest-uxterm", lines)
        self.assertOk(self.desktop("remove", "debian-uxterm", env={}))
        self.assertFalse(os.path.exists(self.installed("debian-uxterm.desktop")))

    def tearDown(self):
        if os.path.islink(self.apps):
            os.unlink(self.apps)
        elif os.path.isdir(self.apps):
            shutil.rmtree(self.apps)


if __name__ == "__main__":
    main()
