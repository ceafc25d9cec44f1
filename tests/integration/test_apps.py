# SPDX-License-Identifier: LGPL-2.1-or-later
"""Apps: [profile] desktop-id and binary, and `glovebox run APP`."""
import os

from gbtest import both, main

# Runs `hostname` in a sandbox whose host name says which profile it is.
HOST_APP = ("[profile]\n"
            "description = prints the sandbox's host name\n"
            "desktop-id = org.example.Host\n"
            "binary = hostname\n"
            "[where]\n"
            "hostname = appbox\n")

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

    def test_bad_metadata_is_an_error(self):
        for key, value in (("--desktop-id", "a b"), ("--desktop-id", "x.desktop"),
                           ("--binary", "bin/rel")):
            r = self.glovebox(key, value, "--", "true")
            self.assertEqual(r.returncode, 2, "%s %s: %s" % (key, value, r.stderr))


if __name__ == "__main__":
    main()
