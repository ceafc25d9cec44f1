# SPDX-License-Identifier: LGPL-2.1-or-later
"""[limits] inotify-instances and inotify-watches: the sandbox's share of
its user's inotify limits, lowered in its own user namespace."""
import subprocess

from gbtest import both, main


def users_limit(name):
    with open("/proc/sys/user/max_inotify_" + name) as f:
        return int(f.read())


@both
class Inotify:
    def start_probe(self, kind, count, *opts):
        """The probe makes up to COUNT instances (or watches) inside and
        holds them until a line arrives on its standard input."""
        argv = self.who.wrap([self.stage.glovebox] + list(opts) +
                             ["--ro-bind", self.stage.probe, "/probe", "--",
                              "/probe", "inotify", kind, str(count)])
        return subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=self.who.env(),
                                cwd=self.stage.work)

    def held(self, kind, count, *opts):
        p = self.start_probe(kind, count, *opts)
        out, err = p.communicate("go\n", timeout=60)
        self.assertEqual(p.returncode, 0, err)
        return out.split()

    def test_instances_stop_with_emfile_at_the_limit(self):
        self.assertEqual(self.held("instances", 100, "--limit-inotify-instances", "5"),
                         ["5", "EMFILE"])

    def test_by_default_the_sandbox_gets_half_of_the_users_instances(self):
        half = users_limit("instances") // 2
        self.assertEqual(self.held("instances", 100000), [str(half), "EMFILE"])

    def test_watches_stop_with_enospc_at_the_limit(self):
        self.assertEqual(self.held("watches", 100, "--limit-inotify-watches", "10"),
                         ["10", "ENOSPC"])

    def test_with_the_sandbox_at_its_limit_the_user_still_makes_instances_outside(self):
        p = self.start_probe("instances", 100000, "--limit-inotify-instances", "90%")
        try:
            words = p.stdout.readline().split()
            self.assertEqual(words[1:], ["EMFILE"])
            self.assertLessEqual(int(words[0]), users_limit("instances") * 9 // 10)
            r = self.run_as([self.stage.probe, "inotify", "instances", "1"], input="")
            self.assertOk(r)
            self.assertEqual(r.stdout, "1 max\n")
        finally:
            p.communicate("go\n", timeout=30)

    def test_without_the_limit_the_sandbox_takes_them_all_from_the_user(self):
        # what the limit prevents: none leaves the host's user no instance
        p = self.start_probe("instances", 100000, "--limit-inotify-instances", "none")
        try:
            words = p.stdout.readline().split()
            self.assertEqual(words[1:], ["EMFILE"])
            r = self.run_as([self.stage.probe, "inotify", "instances", "1"], input="")
            self.assertEqual(r.stdout, "0 EMFILE\n")
        finally:
            p.communicate("go\n", timeout=30)

    def test_the_command_cannot_raise_its_limit(self):
        r = self.probe("write", "/proc/sys/user/max_inotify_instances",
                       opts=("--limit-inotify-instances", "5", "--user", "root"))
        self.assertIn(r.stdout, ("EROFS\n", "EACCES\n", "EPERM\n"))

    def test_explain_shows_the_limits_with_their_origin(self):
        p = self.profile("ino", "[limits]\ninotify-watches = 1000\n")
        r = self.run_as([self.stage.glovebox, "explain", "-p", p])
        self.assertOk(r)
        half = users_limit("instances") // 2
        self.assertRegex(r.stdout, r"inotify-instances +50%% of your %d: %d +# glovebox's default" %
                         (users_limit("instances"), half))
        self.assertRegex(r.stdout, r"inotify-watches +1000 +# %s:2" % p)

    def test_a_bad_value_is_a_usage_error(self):
        r = self.gb("--limit-inotify-instances", "150%", cmd=["true"], probe=False)
        self.assertEqual(r.returncode, 2)
        self.assertIn("150%: expected a count (1 or more), a share of yours (1% to 100%), "
                      "or none", r.stderr)


if __name__ == "__main__":
    main()
