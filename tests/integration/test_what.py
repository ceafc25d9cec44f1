# SPDX-License-Identifier: LGPL-2.1-or-later
"""The what layer: identity, capability sets, limits."""
import os
import shutil
import subprocess
import unittest

from gbtest import IS_ROOT, both, main

KEPT = "CAP_NET_BIND_SERVICE CAP_CHOWN"
KEPT_MASK = "%016x" % ((1 << 10) | (1 << 0))
SETS = ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")


@both
class Capabilities:
    def check_kept(self, user):
        r = self.probe("status", opts=("--user", user, "--capabilities", KEPT))
        self.assertOk(r)
        f = self.status_fields(r.stdout)
        for s in SETS:
            self.assertEqual(f[s], KEPT_MASK, s)
        want_uid = "0" if user == "root" else str(self.who.uid)
        self.assertEqual(f["Uid"].split()[0], want_uid)

    def test_kept_capabilities_are_in_every_set_as_the_own_uid(self):
        self.check_kept("self")

    def test_kept_capabilities_are_in_every_set_as_uid_0(self):
        self.check_kept("root")

    def test_a_kept_capability_works_inside(self):
        for user in ("self", "root"):
            r = self.probe("bind-port", "80", opts=("--user", user, "--capabilities", KEPT))
            self.assertEqual(r.stdout.strip(), "ok", user)

    def test_a_dropped_capability_does_not(self):
        for user in ("self", "root"):
            r = self.probe("bind-port", "80", opts=("--user", user))
            self.assertEqual(r.stdout.strip(), "EACCES", user)
            r = self.probe("bind-port", "80", opts=("--user", user, "--capabilities", "CAP_CHOWN"))
            self.assertEqual(r.stdout.strip(), "EACCES", user)

    def test_capabilities_survive_a_second_exec(self):
        r = self.gb("--capabilities", KEPT, cmd=["/bin/sh", "-c", "/probe status"])
        f = self.status_fields(r.stdout)
        self.assertEqual(f["CapEff"], KEPT_MASK)

    def test_a_nested_user_namespace_regains_nothing_over_the_sandbox(self):
        # Allowed to create one, the command holds every capability in it,
        # but the sandbox's network namespace is not its to administer.
        for opts in (("--user", "root"), ("--capabilities", "CAP_CHOWN")):
            r = self.probe("userns-bind-port", "80", opts=("--namespaces", "user") + opts)
            self.assertEqual(r.stdout.strip(), "EACCES", opts)

    def test_the_default_profile_refuses_nested_namespaces(self):
        r = self.probe("userns-bind-port", "80")
        self.assertEqual(r.stdout.strip(), "unshare EPERM")


@both
class PrivilegedBinariesInside:
    """A setuid-root or file-capability binary inside gains nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not IS_ROOT:
            raise unittest.SkipTest("making setuid and file-capability fixtures needs root")
        cls.suid = cls.stage.path("bin", "probe-suid")
        shutil.copy(cls.stage.probe, cls.suid)
        os.chown(cls.suid, 0, 0)
        os.chmod(cls.suid, 0o4755)
        cls.fcap = cls.stage.path("bin", "probe-fcap")
        shutil.copy(cls.stage.probe, cls.fcap)
        os.chmod(cls.fcap, 0o755)
        subprocess.run(["setcap", "cap_net_bind_service+ep", cls.fcap], check=True)

    def test_fixtures_are_privileged_outside(self):
        r = self.run_as([self.fcap, "bind-port", "80"])
        self.assertEqual(r.stdout.strip(), "ok")

    def test_setuid_root_gains_no_uid_and_no_capability(self):
        r = self.gb("--ro-bind", self.suid, "/suid", cmd=["/suid", "status"])
        f = self.status_fields(r.stdout)
        self.assertEqual(f["Uid"].split()[1], str(self.who.uid))  # effective uid unchanged
        for s in SETS:
            self.assertEqual(f[s], "0000000000000000", s)

    def test_file_capabilities_are_not_granted(self):
        r = self.gb("--ro-bind", self.fcap, "/fcap", cmd=["/fcap", "bind-port", "80"])
        self.assertEqual(r.stdout.strip(), "EACCES")
        r = self.gb("--ro-bind", self.fcap, "/fcap", cmd=["/fcap", "status"])
        self.assertEqual(self.status_fields(r.stdout)["CapEff"], "0000000000000000")


@both
class Limits:
    def test_rlimits_apply(self):
        r = self.gb("--limit-nofile", "64:128", "--limit-core", "0",
                    cmd=["/bin/sh", "-c", "ulimit -n; ulimit -H -n; ulimit -c"], probe=False)
        self.assertOk(r)
        self.assertEqual(r.stdout.split(), ["64", "128", "0"])

    def test_the_command_keeps_the_callers_open_file_limit(self):
        inside = self.gb(cmd=["/bin/sh", "-c", "ulimit -n"], probe=False).stdout
        outside = self.run_as(["/bin/sh", "-c", "ulimit -n"]).stdout
        self.assertEqual(inside, outside)


if __name__ == "__main__":
    main()
