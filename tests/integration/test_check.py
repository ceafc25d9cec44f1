# SPDX-License-Identifier: LGPL-2.1-or-later
"""`glovebox list` and the warnings of `glovebox check`."""
import os
import unittest

from gbtest import both, main


class Commands:
    def glovebox(self, *args):
        return self.run_as([self.stage.glovebox] + list(args))


@both
class List(Commands):
    def test_a_user_profile_overrides_a_shipped_one_and_both_are_listed(self):
        mine = self.user_file("build.ini", "[profile]\ndescription = my own build\n"
                                           "  on two lines\n")
        dropin = self.user_file("build.d/10-net.ini", "[where]\nnetwork = host\n")
        self.user_file("mine.ini", "[where]\nhostname = mine\n")
        r = self.glovebox("list")
        self.assertOk(r)
        shipped = os.path.join(self.stage.profiles, "build.ini")
        self.assertIn("build: my own build on two lines\n  %s\n  drop-in %s\n"
                      "  overridden %s (by %s)\n" % (mine, dropin, shipped, mine), r.stdout)
        self.assertIn("mine: (no description)\n", r.stdout)
        self.assertIn("online: The default sandbox plus", r.stdout)
        self.assertIn("default: A read-only system", r.stdout)
        self.assertIn("  overridden %s (by default (built-in))\n" %
                      shipped.replace("build.ini", "default.ini"), r.stdout)

    def test_list_takes_no_arguments(self):
        r = self.glovebox("list", "build")
        self.assertEqual(r.returncode, 2)
        self.assertIn("list takes no arguments", r.stderr)


@both
class Warnings(Commands):
    """Each warning names its file and line; none changes the exit status
    unless --strict."""

    def crafted(self, name, text):
        # in the work directory, named as check is given it
        path = self.stage.write(os.path.join("work", "c-%s-%s.ini" % (self.who.name, name)), text)
        return os.path.basename(path)

    def check(self, name, text, strict=False):
        p = self.crafted(name, text)
        r = self.glovebox("check", *(["--strict"] if strict else []), p)
        return p, r

    def test_risks_and_contradictions_are_warned_with_file_and_line(self):
        os.makedirs(os.path.join(self.who.home, ".ssh"), exist_ok=True)
        p, r = self.check("risky", "[where]\n"
                          "ro-bind = ${HOME}/.ssh /keys\n"            # 2
                          "bind = ${HOME} writable=intended\n"        # 3
                          "network = host\n"                          # 4
                          "hostname = one\n"                          # 5
                          "hostname = two\n"                          # 6
                          "[how]\n"
                          "allow = @mount\n"                          # 8
                          "deny = ptrace\n"                           # 9
                          "allow = ptrace\n"                          # 10
                          "allow = @keyring\n")                       # 11
        self.assertOk(r)
        home = self.who.home
        for line in (
                "%s:2: [where] ro-bind: warning: %s/.ssh binds ~/.ssh: your ssh keys" % (p, home),
                "%s:3: [where] bind: warning: %s holds ~/.ssh" % (p, home),
                "%s:3: [where] bind: warning: %s writable, your home with it, and the network "
                "on (%s:4: [where] network)" % (p, home, p),
                "%s:5: [where] hostname: warning: never used: %s:6: [where] hostname sets it "
                "again later in the same file" % (p, p),
                "%s:8: [how] allow: warning: mount umount umount2 " % p,
                "%s:10: [how] allow: warning: ptrace both allowed here and denied by %s:9: "
                "[how] deny in the same file" % (p, p),
                "%s:11: [how] allow: warning: allows again add_key keyctl request_key, denied "
                "by default (built-in):" % p):
            self.assertIn("\n" + line, "\n" + r.stdout)
        self.assertIn("CAP_SYS_ADMIN is not kept in [what] capabilities", r.stdout)
        strict = self.glovebox("check", "--strict", p)
        self.assertEqual(strict.returncode, 1)
        self.assertEqual(strict.stdout, r.stdout)

    def test_home_rw_with_the_network_names_both_lines(self):
        p, r = self.check("homerw", "[where]\nhome = rw\n\nnetwork = user\n")
        self.assertIn("%s:2: [where] home: warning: a writable home with the network on "
                      "(%s:4: [where] network)" % (p, p), r.stdout)

    def test_what_makes_the_warnings_go_away(self):
        # the capability kept, the network off, a group narrowed, drop-ins
        # and includes overriding what they are meant to
        base = self.crafted("base", "[profile]\ninclude = none\n[where]\nhostname = base\n"
                            "[how]\nallow = @system-service\n")
        d = os.path.join(self.stage.work, base[:-4] + ".d")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "10-name.ini"), "w") as f:
            f.write("[where]\nhostname = dropin\n")
        self.addCleanup(os.unlink, os.path.join(d, "10-name.ini"))
        p, r = self.check("quiet", "[profile]\ninclude = %s\n[where]\nhome = rw\n"
                          "hostname = top\n[what]\ncapabilities = cap_sys_admin cap_sys_chroot\n"
                          "[how]\nallow = @mount\ndeny = @keyring\n" % base, strict=True)
        self.assertOk(r)
        self.assertEqual(r.stdout, "")

    def test_two_dropins_setting_one_key_are_warned(self):
        base = self.crafted("twod", "[where]\nhostname = base\n")
        d = os.path.join(self.stage.work, base[:-4] + ".d")
        os.makedirs(d, exist_ok=True)
        for name, value in (("10-a.ini", "a"), ("20-b.ini", "b")):
            with open(os.path.join(d, name), "w") as f:
                f.write("[where]\nhostname = %s\n" % value)
            self.addCleanup(os.unlink, os.path.join(d, name))
        r = self.glovebox("check", base)
        self.assertOk(r)
        self.assertEqual(r.stdout, "./%s/10-a.ini:2: [where] hostname: warning: never used: "
                         "./%s/20-b.ini:2: [where] hostname sets it again later\n"
                         % (base[:-4] + ".d", base[:-4] + ".d"))


if __name__ == "__main__":
    main()
