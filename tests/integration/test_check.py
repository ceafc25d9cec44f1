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


if __name__ == "__main__":
    main()
