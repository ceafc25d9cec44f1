# SPDX-License-Identifier: LGPL-2.1-or-later
"""[limits] memory, pids, cpu-quota in a cgroup v2 of the sandbox's own,
made in a delegated cgroup (cgroup = PATH, or the systemd session's); the
clear refusal where none can be had, and the rlimit fallback."""
import os
import re
import subprocess

from gbtest import IS_ROOT, Case, both, main, wait_for


def cgroup2_mount():
    with open("/proc/self/mountinfo") as f:
        for line in f:
            fields = line.split()
            if fields[fields.index("-") + 1] == "cgroup2" and fields[3] == "/":
                return fields[4]
    return None


def own_cgroup():
    with open("/proc/self/cgroup") as f:
        for line in f:
            if line.startswith("0::"):
                return line[3:].strip()
    return None


def sleepers(seconds):
    """The processes running exactly /bin/sleep SECONDS."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                if f.read() == b"/bin/sleep\0" + seconds.encode() + b"\0":
                    found.append(int(pid))
        except OSError:
            pass
    return found


MOUNT = cgroup2_mount()


class Delegated:
    """A fresh directory of the cgroup2 mount, as an administrator would
    delegate it (root makes it; the test's user gets it)."""

    def delegate(self):
        if not MOUNT:
            self.skipTest("no cgroup2 filesystem on this machine")
        if not IS_ROOT:
            self.skipTest("making a cgroup to delegate needs root")
        base = os.path.join(MOUNT, "gbtest-%d-%s" % (os.getpid(), self.who.name))
        os.mkdir(base)
        self.addCleanup(self.remove, base)
        for name in ["", "cgroup.procs", "cgroup.subtree_control"]:
            os.chown(os.path.join(base, name), self.who.uid, self.who.gid)
        return base

    def remove(self, base):
        for child in os.listdir(base):
            path = os.path.join(base, child)
            if os.path.isdir(path):
                os.rmdir(path)
        os.rmdir(base)

    def start(self, args):
        argv = self.who.wrap([self.stage.glovebox] + args)
        return subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=self.who.env(),
                                cwd=self.stage.work)

    def children(self, base):
        return sorted(c for c in os.listdir(base) if os.path.isdir(os.path.join(base, c)))

    def need_controller(self, base, name):
        with open(os.path.join(base, "cgroup.controllers")) as f:
            if name not in f.read().split():
                self.skipTest("no cgroup v2 %s controller on this machine" % name)


class PlacementAsRoot(Delegated, Case):
    identity_name = "root"

    def test_the_sandbox_runs_in_a_child_of_the_delegated_cgroup(self):
        base = self.delegate()
        r = self.gb("--cgroup", base, "--unshare-cgroup", "no", probe=False,
                    cmd=["/bin/sh", "-c", "cat /proc/self/cgroup"])
        self.assertOk(r)
        rel = base[len(MOUNT):]
        self.assertRegex(r.stdout, r"(?m)^0::%s/sandbox-\d+$" % re.escape(rel))

    def test_seen_from_outside_the_sandbox_is_in_its_cgroup_and_the_cgroup_goes_with_it(self):
        base = self.delegate()
        p = self.start(["--cgroup", base, "--", "/bin/sleep", "30"])
        try:
            self.assertTrue(wait_for(lambda: len(self.children(base)) == 1))
            child = os.path.join(base, self.children(base)[0])
            self.assertRegex(os.path.basename(child), r"^sandbox-%d$" % p.pid)
            self.assertTrue(wait_for(lambda: sleepers("30")))
            with open(os.path.join(child, "cgroup.procs")) as f:
                inside = set(int(x) for x in f.read().split())
            for pid in sleepers("30"):
                self.assertIn(pid, inside)
                with open("/proc/%d/cgroup" % pid) as f:
                    self.assertIn("0::%s\n" % child[len(MOUNT):], f.read())
        finally:
            p.terminate()
            p.communicate(timeout=30)
        self.assertEqual(self.children(base), [])

    def test_after_a_timeout_nothing_runs_and_the_cgroup_is_gone(self):
        base = self.delegate()
        r = self.gb("--cgroup", base, "--timeout", "1", "--background", "wait", probe=False,
                    cmd=["/bin/sh", "-c", "/bin/sleep 41 & /bin/sleep 41"])
        self.assertEqual(r.returncode, 124, r.stderr)
        self.assertEqual(sleepers("41"), [])
        self.assertEqual(self.children(base), [])

    def test_a_missing_controller_is_named_and_the_launch_refused(self):
        base = self.delegate()
        with open(os.path.join(base, "cgroup.controllers")) as f:
            if "memory" in f.read().split():
                self.skipTest("this machine has the memory controller")
        r = self.gb("--cgroup", base, "--limit-memory", "64M", cmd=["true"], probe=False)
        self.assertEqual(r.returncode, 125)
        self.assertIn("glovebox: [limits]: controller memory not enabled in %s" % base,
                      r.stderr)
        self.assertEqual(self.children(base), [])

    def test_memory_max_holds_the_sandbox_tmpfs_files_included(self):
        base = self.delegate()
        self.need_controller(base, "memory")
        r = self.gb("--cgroup", base, "--limit-memory", "32M", "--limit-tmpfs", "none",
                    probe=False, cmd=["/bin/sh", "-c", "head -c 67108864 /dev/zero > /tmp/a; "
                                      "echo $?"])
        self.assertNotEqual(r.stdout, "0\n", r.stderr)

    def test_pids_max_holds_the_sandbox(self):
        base = self.delegate()
        self.need_controller(base, "pids")
        r = self.gb("--cgroup", base, "--limit-pids", "10", "--limit-processes", "none",
                    cmd=["/probe", "forks", "100"], input="")
        self.assertEqual(r.stdout.split()[1:], ["EAGAIN"])


class PlacementAsNobody(Delegated, Case):
    identity_name = "user"

    def test_a_cgroup_the_sandbox_cannot_be_moved_into_is_refused(self):
        base = self.delegate()
        top = os.path.commonpath([base, os.path.join(MOUNT, own_cgroup().lstrip("/"))])
        r = self.gb("--cgroup", base, cmd=["true"], probe=False)
        self.assertEqual(r.returncode, 125, r.stderr)
        self.assertIn("no delegation: moving the sandbox from", r.stderr)
        self.assertIn("needs write access to %s/cgroup.procs" % top.rstrip("/"), r.stderr)


@both
class Refusal:
    def test_without_a_delegation_the_launch_is_refused_with_the_reason(self):
        if not MOUNT:
            self.skipTest("no cgroup2 filesystem on this machine")
        if "/user@" in own_cgroup():
            self.skipTest("the tests run in a systemd user manager's delegation")
        r = self.gb("--limit-pids", "10", cmd=["true"], probe=False)
        self.assertEqual(r.returncode, 125)
        self.assertRegex(r.stderr, r"^glovebox: \[limits\]: no delegation: glovebox runs in "
                         r"\S+, outside your systemd user manager's user@\d+.service")
        self.assertEqual(len(r.stderr.splitlines()), 1, r.stderr)

    def test_a_path_that_is_no_cgroup_is_refused(self):
        r = self.gb("--cgroup", "/tmp", "--limit-pids", "10", cmd=["true"], probe=False)
        self.assertEqual(r.returncode, 125)
        self.assertIn("not cgroup2: /tmp is not a cgroup v2 directory", r.stderr)


@both
class Fallback:
    HOG = ["python3", "-c", "b = bytearray(256 << 20); print('allocated')"]

    def test_memory_falls_back_to_rlimit_as_and_a_hog_fails(self):
        r = self.gb("--cgroup", "/tmp", "--limit-memory", "128M", "--cgroup-fallback",
                    "rlimits", cmd=self.HOG, probe=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("MemoryError", r.stderr)
        notes = [l for l in r.stderr.splitlines() if l.startswith("glovebox: no cgroup")]
        self.assertEqual(notes, ["glovebox: no cgroup for the sandbox (not cgroup2: /tmp is "
                                 "not a cgroup v2 directory): memory held by RLIMIT_AS of "
                                 "each process"])

    def test_the_same_hog_runs_without_the_limit(self):
        r = self.gb(cmd=self.HOG, probe=False)
        self.assertOk(r)
        self.assertEqual(r.stdout, "allocated\n")

    def test_pids_fall_back_to_the_process_limit(self):
        r = self.gb("--cgroup", "/tmp", "--limit-pids", "10", "--limit-processes", "none",
                    "--cgroup-fallback", "rlimits", cmd=["/probe", "forks", "100"], input="")
        if self.who.is_root and "RLIMIT_NPROC" in self.explain_processes():
            self.skipTest("the kernel does not enforce RLIMIT_NPROC for root")
        self.assertEqual(r.stdout.split(), ["9", "EAGAIN"], r.stderr)
        self.assertIn("): pids by the process limit\n", r.stderr)

    def explain_processes(self):
        r = self.run_as([self.stage.glovebox, "explain", "--limit-processes", "10"])
        return [l for l in r.stdout.splitlines() if l.split()[:1] == ["processes"]][0]


@both
class Explain:
    def test_explain_shows_each_limit_its_origin_and_what_holds_it(self):
        p = self.profile("cg", "[limits]\nmemory = 1G\npids = 100\ncpu-quota = 150%\n"
                               "cgroup = /tmp\ncgroup-fallback = rlimits\n")
        r = self.run_as([self.stage.glovebox, "explain", "-p", p])
        self.assertOk(r)
        self.assertRegex(r.stdout, r"memory +1G: RLIMIT_AS of each process +# %s:2" % p)
        self.assertRegex(r.stdout, r"pids +100: the process limit +# %s:3" % p)
        self.assertRegex(r.stdout, r"cpu-quota +150%% of one CPU: not held \(no rlimit for "
                         r"it\) +# %s:4" % p)
        self.assertRegex(r.stdout, r"cgroup +/tmp: not cgroup2: /tmp is not a cgroup v2 "
                         r"directory +# %s:5" % p)
        self.assertRegex(r.stdout, r"cgroup-fallback +rlimits +# %s:6" % p)

    def test_without_the_fallback_explain_says_the_launch_is_refused(self):
        r = self.run_as([self.stage.glovebox, "explain", "--limit-memory", "1G", "--cgroup",
                         "/tmp"])
        self.assertRegex(r.stdout, r"memory +1G: refused: not cgroup2: /tmp is not a cgroup "
                         r"v2 directory")

    def test_bad_values_are_usage_errors(self):
        for opt, value, why in [
                ("--limit-cpu-quota", "50", "50: expected a percentage of one CPU (50%, 200%) "
                 "or none"),
                ("--limit-memory", "lots", "lots: expected a size (512M, 2G) or none"),
                ("--cgroup", "relative", "relative: expected session or an absolute path"),
                ("--cgroup-fallback", "maybe", "maybe: expected none or rlimits")]:
            r = self.gb(opt, value, cmd=["true"], probe=False)
            self.assertEqual(r.returncode, 2, opt)
            self.assertIn(why, r.stderr)


if __name__ == "__main__":
    main()
