# SPDX-License-Identifier: LGPL-2.1-or-later
"""bwrap mode's namespaces made by the caller (--userns, --pidns,
--userns2) and its id maps written by the caller (--userns-block-fd),
differentially: the same command line under the installed bubblewrap and
under `glovebox bwrap`, as root and as an unprivileged user, with
namespaces that `unshare --user --map-root-user --pid --fork` made and
whose /proc/PID/ns files are passed as descriptors."""
import fcntl
import json
import os
import re
import signal
import subprocess
import time
import unittest

from gbtest import both, main, processes_with, wait_for
from test_bwrap import BWRAP, BwrapCase

USERNS, PIDNS = 20, 21  # where the namespaces' descriptors go
USERNS2 = 25  # a child of USERNS (NestedUserns)
NS_GET_PARENT = 0xb702  # ioctl_ns(2): _IO(0xb7, 2)
# what the command shows of its identity and namespaces
IDS = ("id; cat /proc/self/uid_map /proc/self/gid_map; readlink /proc/self/ns/user "
       "/proc/self/ns/pid; grep -E '^Cap(Eff|Bnd):' /proc/self/status")
# a proc of the sandbox's own (glovebox never shows the host's)
ROOT = ("--ro-bind", "/", "/", "--proc", "/proc")


def read(path):
    """A /proc list's words, none when it is not there (yet)."""
    try:
        with open(path) as f:
            return f.read().split()
    except OSError:
        return []


class Namespaces:
    """A user namespace mapping the user onto root, and a pid namespace it
    owns whose init (`sleep`) has a child of its own: processes that are
    not the sandbox's."""

    def __init__(self, case):
        self.outer = subprocess.Popen(case.who.wrap(
            ["unshare", "--user", "--map-root-user", "--pid", "--fork", "sh", "-c",
             "sleep 1000 & exec sleep 1001"]), cwd=case.stage.work)
        children = "/proc/%d/task/%d/children" % (self.outer.pid, self.outer.pid)
        assert wait_for(lambda: read(children))
        self.init = int(read(children)[0])  # mapped before it was forked
        kids = "/proc/%d/task/%d/children" % (self.init, self.init)
        assert wait_for(lambda: read(kids))
        self.foreign = [self.init, int(read(kids)[0])]
        self.user = os.readlink("/proc/%d/ns/user" % self.init)
        self.pid = os.readlink("/proc/%d/ns/pid" % self.init)
        for n, kind in ((USERNS, "user"), (PIDNS, "pid")):
            fd = os.open("/proc/%d/ns/%s" % (self.init, kind), os.O_RDONLY)
            os.dup2(fd, n)  # inheritable
            os.close(fd)

    def close(self):
        for n in (USERNS, PIDNS):
            os.close(n)
        self.outer.kill()
        self.outer.wait()
        for pid in self.foreign:
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass


def fresh(text, joined=()):
    """The namespaces' ids in text, those that each run makes anew
    written "new", the joined ones kept."""
    return re.sub(r"(\w+):\[\d+\]", lambda m: m.group(0) if m.group(0) in joined
                  else m.group(1) + ":[new]", text)


class NsCase(BwrapCase):
    def run_as(self, argv, env=None, **kw):
        # An ASan build's LeakSanitizer, run at exit, hangs in a process
        # that entered another namespace with setns (its tracer cannot
        # attach there): its leak check stays off for these runs.
        return super().run_as(argv, env=dict(env or {}, ASAN_OPTIONS="detect_leaks=0"), **kw)


class JoinedCase(NsCase):
    def setUp(self):
        super().setUp()
        self.ns = Namespaces(self)
        self.addCleanup(self.ns.close)

    def same(self, *args, show=None, **kw):
        """Compared with the namespaces each run makes anew left out."""
        joined = (self.ns.user, self.ns.pid)
        return super().same(*args, show=show or (lambda r: (r.returncode,
                                                            fresh(r.stdout, joined))), **kw)

    def both_ways(self, *args, **kw):
        return super().both_ways(*args, pass_fds=(USERNS, PIDNS), **kw)


@both
class Joining(JoinedCase):
    def test_userns_joins_instead_of_making_one_and_writes_no_maps(self):
        # a pid namespace of its own: the host's proc cannot be mounted from
        # the joined user namespace (in glovebox: bwrap binds it, see README)
        r = self.same("--userns", str(USERNS), "--unshare-pid", *ROOT, "sh", "-c", IDS)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(self.ns.user, r.stdout)
        self.assertIn("uid=0(root)", r.stdout)  # the caller's map, nothing added

    def test_userns_and_pidns_put_the_command_in_both(self):
        r = self.same("--userns", str(USERNS), "--pidns", str(PIDNS), *ROOT, "sh", "-c", IDS)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(self.ns.user, r.stdout)
        self.assertIn(self.ns.pid, r.stdout)

    def test_the_ids_rules_with_userns(self):
        # --uid 0 is root inside already: no change; 5 is not mapped
        self.same("--userns", str(USERNS), "--unshare-pid", "--uid", "0", "--gid", "0", *ROOT,
                  "sh", "-c", IDS)
        r = self.same("--userns", str(USERNS), "--uid", "5", *ROOT, "true",
                      show=lambda r: (r.returncode, r.stderr))
        self.assertEqual(r.stderr, "bwrap: unable to switch to uid 5: Invalid argument\n")

    def test_info_fd_names_no_joined_pid_namespace(self):
        got = {}
        for gb in (False, True):
            r, w = os.pipe()
            os.dup2(w, 22)
            os.close(w)
            try:
                p = self.bw("--userns", str(USERNS), "--pidns", str(PIDNS), "--info-fd", "22",
                            *ROOT, "true", gb=gb, pass_fds=(USERNS, PIDNS, 22))
            finally:
                os.close(22)
            with os.fdopen(r) as f:
                got[gb] = json.loads(f.read())
            self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(sorted(got[True]), sorted(got[False]))
        self.assertNotIn("pid-namespace", got[True])

    def test_pidns_alone(self):
        """Root may enter the pid namespace from the host's user namespace;
        an unprivileged user has no right to it there."""
        r = self.same("--pidns", str(PIDNS), *ROOT, "sh", "-c", "readlink /proc/self/ns/pid",
                      show=lambda r: (r.returncode, r.stdout, r.stderr.splitlines()[:1]))
        if self.who.is_root:
            self.assertEqual(r.stdout, self.ns.pid + "\n")
        else:
            self.assertEqual(r.stderr, "bwrap: Setting pidns failed: Operation not permitted\n")

    def test_userns2_moves_the_command_once_set_up(self):
        if not self.who.is_root:
            # the sandbox's user namespace is new, the one given not below it;
            # bwrap's words (measured by hand: bwrap 0.8 leaves a process
            # behind holding its stderr here, which a test cannot wait for)
            r = self.bw("--userns2", str(USERNS), "--unshare-pid", *ROOT, "true", gb=True,
                        pass_fds=(USERNS, PIDNS))
            self.assertEqual((r.returncode, r.stderr),
                             (1, "bwrap: Setting userns2 failed: Operation not permitted\n"))
            return
        r = self.same("--userns2", str(USERNS), "--unshare-pid", *ROOT, "sh", "-c",
                      "id; cat /proc/self/uid_map; readlink /proc/self/ns/user")
        self.assertIn(self.ns.user, r.stdout)


NESTED = ("--userns", str(USERNS), "--pidns", str(PIDNS), "--unshare-pid")


def nspid(pid):
    """A process's numbers, from the host's pid namespace down to its own."""
    with open("/proc/%d/status" % pid) as f:
        return [int(n) for line in f if line.startswith("NSpid:") for n in line.split()[1:]]


def pidns_parent(pid):
    """The pid namespace a process's own is a child of (ioctl_ns(2))."""
    fd = os.open("/proc/%d/ns/pid" % pid, os.O_RDONLY)
    try:
        parent = fcntl.ioctl(fd, NS_GET_PARENT)
    finally:
        os.close(fd)
    try:
        return "pid:[%d]" % os.fstat(parent).st_ino
    finally:
        os.close(parent)


def sleeping(mark):
    """The processes running `sleep MARK` (not those with it in their
    arguments: the front ends)."""
    def starts(pid):
        try:
            with open("/proc/%d/cmdline" % pid, "rb") as f:
                return f.read().startswith(b"sleep\0")
        except OSError:
            return False
    return [pid for pid in processes_with("sleep\0" + mark) if starts(pid)]


def marker():
    """A number for `sleep` no other test's process has (sleep takes
    fractions: thousands of seconds)."""
    return "%d.%06d" % (os.getpid(), time.monotonic_ns() % 1000000)


@both
class NestedPidns(JoinedCase):
    """--pidns with --unshare-pid (Flatpak's --parent-pid with
    --parent-expose-pids): the sandbox's pid namespace is made below the
    caller's, whose processes see the sandbox's and number them."""

    def start(self, gb, *args, fds=()):
        front = [self.stage.glovebox, "bwrap"] if gb else [BWRAP]
        return subprocess.Popen(
            self.who.wrap(front + list(args)), pass_fds=(USERNS, PIDNS) + tuple(fds),
            env=self.who.env({"ASAN_OPTIONS": "detect_leaks=0"}), cwd=self.stage.work,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def running(self, mark):
        self.assertTrue(wait_for(lambda: sleeping(mark), timeout=15),
                        "the sandbox's command never ran")
        return sleeping(mark)[0]

    def test_the_command_is_pid_2_of_a_new_namespace_and_its_status_is_glovebox_s(self):
        joined = (self.ns.user, self.ns.pid)
        r = self.same(*NESTED, *ROOT, "sh", "-c", "echo $$; readlink /proc/self/ns/pid; exit 3")
        self.assertEqual((r.returncode, fresh(r.stdout, joined)), (3, "2\npid:[new]\n"),
                         r.stderr)

    def test_the_callers_namespace_numbers_the_command_and_can_kill_it(self):
        """Three numbers (the host's, the caller's namespace's, the
        sandbox's own), the sandbox's namespace a child of the caller's; a
        process of the caller's namespace kills the command by its number
        there; the status says so and nothing is left."""
        for gb in (False, True):
            mark = marker()
            p = self.start(gb, *NESTED, *ROOT, "sleep", mark)
            try:
                cmd = self.running(mark)
                levels = nspid(cmd)
                self.assertEqual(len(levels), 3, levels)
                self.assertEqual(levels[2], 2)
                self.assertEqual(pidns_parent(cmd), self.ns.pid)
                with open("/proc/%d/stat" % cmd) as f:
                    pid_1 = int(f.read().rsplit(")", 1)[1].split()[1])
                kill = subprocess.run(self.who.wrap(
                    ["nsenter", "-t", str(self.ns.init), "-U", "-p", "--preserve-credentials", "--",
                     "python3", "-c",
                     "import os; os.kill(%d, 9)" % levels[1]]), capture_output=True, text=True)
                self.assertEqual(kill.returncode, 0, kill.stderr)
                out, err = p.communicate(timeout=30)
            finally:
                p.kill()
                p.wait()
            self.assertEqual(p.returncode, 128 + 9, err)
            self.assertTrue(wait_for(lambda: not sleeping(mark)))
            if gb:  # bwrap 0.8's pid 1 stays a zombie of the caller's init
                self.assertTrue(wait_for(lambda: not os.path.exists("/proc/%d" % pid_1)),
                                "pid 1 is left")

    def test_info_fd_and_json_status_fd(self):
        got = {}
        for gb in (False, True):
            info_r, info_w = os.pipe()
            json_r, json_w = os.pipe()
            os.dup2(info_w, 22)
            os.dup2(json_w, 23)
            for fd in (info_w, json_w):
                os.close(fd)
            try:
                p = self.start(gb, *NESTED, "--info-fd", "22", "--json-status-fd", "23", *ROOT,
                               "sh", "-c", "exit 5", fds=(22, 23))
            finally:
                os.close(22)
                os.close(23)
            p.communicate(timeout=30)
            with os.fdopen(info_r) as f:
                info = json.loads(f.read())
            with os.fdopen(json_r) as f:
                lines = [json.loads(line) for line in f]
            got[gb] = (p.returncode, sorted(info), [sorted(line) for line in lines],
                       lines[-1])
        self.assertEqual(got[True], got[False])
        self.assertIn("pid-namespace", got[True][1])  # made, not joined
        self.assertEqual(got[True][3]["exit-code"], 5)

    def test_as_pid_1(self):
        """bwrap 0.8 never returns here (its pid 1, the command, is left
        a zombie of the caller's init, which it cannot wait for): tested
        against the manual's meaning."""
        r = self.bw(*NESTED, "--as-pid-1", *ROOT, "sh", "-c", "echo $$; exit 4", gb=True,
                    pass_fds=(USERNS, PIDNS), timeout=30)
        self.assertEqual((r.returncode, r.stdout), (4, "1\n"), r.stderr)

    def test_a_signal_to_glovebox_reaches_the_command_and_nothing_is_left(self):
        mark = marker()
        p = self.start(True, *NESTED, *ROOT, "sleep", mark)
        try:
            self.running(mark)
            p.send_signal(signal.SIGTERM)
            out, err = p.communicate(timeout=30)
        finally:
            p.kill()
            p.wait()
        self.assertEqual(p.returncode, 128 + signal.SIGTERM, err)
        self.assertTrue(wait_for(lambda: not sleeping(mark)))

    def test_the_sandbox_dies_with_the_parent(self):
        """--die-with-parent: the process that started glovebox ends, and
        so does the sandbox, in the nested namespace too. (bwrap 0.8's
        sandbox outlives it here: its pid 1, reparented to the caller's
        init, is not its launcher's child, which alone dies.)"""
        front = "%s bwrap" % self.stage.glovebox
        mark = marker()
        parent = subprocess.Popen(self.who.wrap(
            ["sh", "-c", "%s --die-with-parent %s %s sleep %s & exec sleep 1000" %
             (front, " ".join(NESTED), " ".join(ROOT), mark)]),
            pass_fds=(USERNS, PIDNS), env=self.who.env({"ASAN_OPTIONS": "detect_leaks=0"}),
            cwd=self.stage.work)
        try:
            self.running(mark)
        finally:
            parent.kill()
            parent.wait()
        self.assertTrue(wait_for(lambda: not sleeping(mark), timeout=10),
                        "the sandbox outlived its parent")


@both
class FlatpakParent(NsCase):
    """flatpak run --parent-pid=PID --parent-expose-pids: the user and pid
    namespaces of a sandbox bwrap made, where an unprivileged user is
    itself (bwrap maps the uid onto itself), not root, joined by the
    sandbox started from it."""

    def setUp(self):
        super().setUp()
        mark = marker()
        parent = subprocess.Popen(self.who.wrap(
            [BWRAP, "--unshare-user", "--unshare-pid", "--ro-bind", "/", "/", "sleep", mark]),
            cwd=self.stage.work)
        self.addCleanup(parent.wait)
        self.addCleanup(parent.kill)
        self.assertTrue(wait_for(lambda: sleeping(mark), timeout=15))
        held = sleeping(mark)[0]
        with open("/proc/%d/stat" % held) as f:
            init = int(f.read().rsplit(")", 1)[1].split()[1])  # bwrap's pid 1
        self.addCleanup(lambda: os.kill(init, 9) if os.path.exists("/proc/%d" % init) else 0)
        for n, kind in ((USERNS, "user"), (PIDNS, "pid")):
            fd = os.open("/proc/%d/ns/%s" % (held, kind), os.O_RDONLY)
            os.dup2(fd, n)
            os.close(fd)
            self.addCleanup(os.close, n)

    def test_the_sandbox_started_from_it_runs_as_the_user(self):
        # in a pid namespace below the parent's (pid 2 there), or in the
        # parent's own
        for opts, pid in ((NESTED, "echo $$"), (NESTED[:-1], "readlink /proc/self/ns/pid")):
            r = self.same(*opts, *ROOT, "sh", "-c", "id -u; " + pid, pass_fds=(USERNS, PIDNS),
                          show=lambda r: (r.returncode, r.stdout, r.stderr))
            self.assertEqual(r.stdout.split()[0], str(self.who.uid))


@both
class NestedPidnsFailure(NsCase):
    """The helper glovebox forks into the caller's pid namespace, or the
    namespace it makes there, cannot be had: bwrap's words and status 1,
    and nothing left behind."""

    def chain(self, mark, depth):
        """depth pid namespaces, each inside the one before, the first
        owned by a user namespace mapping the user onto root, the last held
        by `sleep MARK`; their descriptors at USERNS and PIDNS. Returns
        the first namespace's init, whose end ends them all."""
        argv = (["unshare", "--user", "--map-root-user", "--pid", "--fork"] +
                ["unshare", "--pid", "--fork"] * (depth - 1) + ["sleep", mark])
        outer = subprocess.Popen(self.who.wrap(argv), cwd=self.stage.work)
        self.addCleanup(outer.wait)
        self.addCleanup(outer.kill)
        children = "/proc/%d/task/%d/children" % (outer.pid, outer.pid)
        self.assertTrue(wait_for(lambda: read(children) and sleeping(mark), timeout=20))
        held = sleeping(mark)[0]
        for n, kind in ((USERNS, "user"), (PIDNS, "pid")):
            fd = os.open("/proc/%d/ns/%s" % (held, kind), os.O_RDONLY)
            os.dup2(fd, n)
            os.close(fd)
            self.addCleanup(os.close, n)
        init = int(read(children)[0])
        self.addCleanup(lambda: os.kill(init, 9) if os.path.exists("/proc/%d" % init) else 0)
        return init, held

    def fails_alike(self, variants, want):
        """Each command line fails under both with want, glovebox leaving
        no process of its own behind (its helper's included)."""
        for pidns_opts in variants:
            mark = marker()
            args = (*pidns_opts, *ROOT, "sleep", mark)
            bw, gb = self.both_ways(*args, pass_fds=(USERNS, PIDNS), timeout=30)
            first = lambda r: (r.returncode, r.stderr.splitlines()[:1])
            self.assertEqual(first(gb), first(bw), args)
            self.assertEqual(first(gb), (1, [want]), gb.stderr)
            self.assertEqual(processes_with(mark), [], "a process is left")

    def test_a_pid_namespace_whose_init_is_gone(self):
        mark = marker()
        init, held = self.chain(mark, 1)
        self.assertEqual(init, held)
        os.kill(init, 9)
        self.assertTrue(wait_for(lambda: not sleeping(mark)))
        # the helper's fork fails, or without --unshare-pid pid 1's
        self.fails_alike((NESTED, NESTED[:-1]),
                         "bwrap: Can't fork for --pidns: Cannot allocate memory")

    def test_a_pid_namespace_too_deep_for_another(self):
        """The kernel nests pid namespaces 32 deep below the host's at
        most: the helper is born in the 32nd, and cannot make another."""
        self.chain(marker(), 32)
        self.fails_alike((NESTED,), "bwrap: unshare pid ns: No space left on device")


class NestedUserns:
    """A user namespace mapping the user onto root (USERNS), and a child of
    it mapping root onto root (USERNS2), held by a `sleep` in the child."""

    def __init__(self, case):
        self.proc = subprocess.Popen(case.who.wrap(
            ["unshare", "--user", "--map-root-user", "unshare", "--user", "--map-root-user",
             "sleep", "1000"]), cwd=case.stage.work)
        cmdline = "/proc/%d/cmdline" % self.proc.pid
        assert wait_for(lambda: open(cmdline, "rb").read().startswith(b"sleep\0"))
        inner = os.open("/proc/%d/ns/user" % self.proc.pid, os.O_RDONLY)
        outer = fcntl.ioctl(inner, NS_GET_PARENT)
        for fd, n in ((outer, USERNS), (inner, USERNS2)):
            os.dup2(fd, n)  # inheritable
            os.close(fd)

    def close(self):
        for n in (USERNS, USERNS2):
            os.close(n)
        self.proc.kill()
        self.proc.wait()


@both
class SecondUserns(NsCase):
    """--userns2: entering it gives the command the second namespace's full
    sets, which bwrap leaves as they are but for the capabilities
    --cap-add and --cap-drop choose: the bounding set stays full."""

    def setUp(self):
        super().setUp()
        self.ns = NestedUserns(self)
        self.addCleanup(self.ns.close)

    def caps(self, gb, *opts):
        # root with a bounding set short of one capability, which the
        # second user namespace gives back
        front = [self.stage.glovebox, "bwrap"] if gb else [BWRAP]
        less = ["setpriv", "--bounding-set=-net_raw", "--"] if self.who.is_root else []
        return self.run_as(less + front + list(opts) + [
            "--unshare-pid", *ROOT, "sh", "-c",
            "id; grep -E '^Cap(Inh|Prm|Eff|Bnd|Amb):' /proc/self/status"],
            pass_fds=(USERNS, USERNS2))

    def test_the_capabilities_and_bounding_set_are_bwraps(self):
        second = ["--userns", str(USERNS), "--userns2", str(USERNS2)]
        cases = [second, second + ["--cap-drop", "CAP_SYS_ADMIN"],
                 second + ["--cap-add", "CAP_NET_RAW"]]
        if self.who.is_root:  # any user namespace is below the host's
            cases += [["--userns2", str(USERNS2)], ["--userns2", str(USERNS2), "--cap-drop",
                                                    "CAP_SYS_ADMIN"]]
        full = "CapBnd:\t%016x" % ((2 << int(open("/proc/sys/kernel/cap_last_cap").read())) - 1)
        for opts in cases:
            want, got = self.caps(False, *opts), self.caps(True, *opts)
            self.assertEqual((got.returncode, got.stdout), (want.returncode, want.stdout),
                             "%s\nbwrap: %s\nglovebox: %s" % (opts, want.stderr, got.stderr))
            self.assertIn(full, got.stdout, opts)


@both
class Misuse(JoinedCase):
    """bwrap's words and status 1 for what it refuses."""

    def test_refused_combinations_and_descriptors(self):
        u, p = str(USERNS), str(PIDNS)
        cases = [["--userns", u, "--unshare-user"], ["--userns", u, "--unshare-all"],
                 ["--unshare-user-try", "--unshare-user", "--userns", u],
                 ["--userns-block-fd", "9", "--info-fd", "1"],
                 ["--unshare-user", "--userns-block-fd", "9"],
                 ["--userns", "x"], ["--pidns", "-1"], ["--userns", "9"], ["--userns", p],
                 ["--pidns", "9"], ["--pidns", u]]
        if self.who.is_root:  # an unprivileged caller has a user namespace for --uid
            cases.append(["--userns2", u, "--uid", "3"])
            # joined from a user namespace made after it: no right to it
            cases.append(["--unshare-user", "--pidns", p])
        for args in cases:
            want, got = self.both_ways(*args, "--ro-bind", "/", "/", "true")
            # bwrap adds a second line of its own for a failed --pidns
            first = lambda r: (r.returncode, r.stderr.splitlines()[:1])
            self.assertEqual(first(got), first(want), args)
            self.assertEqual(got.returncode, 1, args)

    def test_only_the_last_one_counts(self):
        self.same("--userns", str(USERNS), "--userns", str(USERNS), "--unshare-pid", *ROOT,
                  "true", show=lambda r: (r.returncode, r.stderr))


@both
class Teardown(JoinedCase):
    def test_a_foreign_process_in_the_joined_pid_namespace_survives(self):
        """Without a pid namespace of its own glovebox's pid 1 is a
        subreaper in the caller's: at the end it kills what the command
        left behind, and nothing else (no kill(-1) there)."""
        marker = "%d.%d" % (os.getpid(), time.monotonic_ns() % 1000000)
        # a /dev of its own: sh gives a background job /dev/null, which a
        # bind of the host's (nodev) refuses
        r = self.bw("--userns", str(USERNS), "--pidns", str(PIDNS), *ROOT, "--dev", "/dev",
                    "sh", "-c", "sleep %s & echo started" % marker, gb=True,
                    pass_fds=(USERNS, PIDNS), timeout=30)
        self.assertEqual((r.returncode, r.stdout), (0, "started\n"), r.stderr)
        self.assertTrue(wait_for(lambda: not processes_with("sleep\0" + marker)),
                        "the command's own leftover still runs")
        for pid in self.ns.foreign:
            with open("/proc/%d/stat" % pid) as f:
                self.assertNotIn(") Z ", f.read(), "a foreign process was killed")
        # bwrap leaves the command's background behind instead
        r = self.bw("--userns", str(USERNS), "--pidns", str(PIDNS), *ROOT, "--dev", "/dev",
                    "sh", "-c", "sleep %s >/dev/null 2>&1 & echo started" % marker,
                    pass_fds=(USERNS, PIDNS))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(wait_for(lambda: processes_with("sleep\0" + marker)),
                        "bwrap ended the background too: test the difference again")
        for pid in processes_with("sleep\0" + marker):
            os.kill(pid, 9)


@both
class CallerMaps(NsCase):
    """--userns-block-fd: the caller reads the pid on --info-fd, writes the
    maps, then writes to the descriptor; nothing runs before."""

    def run_with_maps(self, gb, inside, *opts, script=IDS + "; cat /proc/self/setgroups"):
        info_r, info_w = os.pipe()
        block_r, block_w = os.pipe()
        for fd, n in ((info_w, 23), (block_r, 24)):
            os.dup2(fd, n)
            os.close(fd)
        front = [self.stage.glovebox, "bwrap"] if gb else [BWRAP]
        try:
            p = subprocess.Popen(self.who.wrap(front + [
                "--unshare-user", "--info-fd", "23", "--userns-block-fd", "24", *opts,
                "--unshare-pid", *ROOT, "sh", "-c", script]),
                pass_fds=(23, 24), env=self.who.env(), cwd=self.stage.work,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        finally:
            os.close(23)
            os.close(24)
        # read up to the end of the document: the set-up's processes hold
        # the descriptor until their exec, after the maps
        text = b""
        while not text.endswith(b"}\n"):
            more = os.read(info_r, 4096)
            self.assertTrue(more, "--info-fd ended early: %r" % text)
            text += more
        os.close(info_r)
        info = json.loads(text)
        pid = info["child-pid"]
        with open("/proc/%d/status" % pid) as f:  # its pid in the sandbox's namespace
            self.nspid = [l.split()[-1] for l in f if l.startswith("NSpid:")][0]
        # written from outside, as the test's user could with newuidmap
        with open("/proc/%d/uid_map" % pid, "w") as f:
            f.write("%d %d 1\n" % (inside, self.who.uid))
        with open("/proc/%d/setgroups" % pid, "w") as f:
            f.write("deny")
        with open("/proc/%d/gid_map" % pid, "w") as f:
            f.write("%d %d 1\n" % (inside, self.who.gid))
        os.write(block_w, b"x")
        os.close(block_w)
        out, err = p.communicate(timeout=30)
        return p.returncode, out, err, sorted(info)

    def test_the_callers_maps_are_the_sandboxs(self):
        for inside, opts in ((0, ()), (7, ()), (0, ("--uid", "5"))):
            want = self.run_with_maps(False, inside, *opts)
            got = self.run_with_maps(True, inside, *opts)
            show = lambda r: (r[0], fresh(r[1]), r[3])
            self.assertEqual(show(got), show(want),
                             "bwrap: %s\nglovebox: %s" % (want[2], got[2]))
            self.assertIn("%d %d" % (inside, self.who.uid), " ".join(got[1].split()))

    def test_with_as_pid_1_the_pid_is_the_commands_own(self):
        """The command is pid 1, and it is the pid the caller maps the ids
        by, before anything runs; the command's own $$ shows it."""
        for inside in (0, 7):
            runs = {}
            for gb in (False, True):
                r = self.run_with_maps(gb, inside, "--as-pid-1", script="echo $$; " + IDS)
                runs[gb] = (r[0], fresh(r[1]), r[3], self.nspid)
            self.assertEqual(runs[True], runs[False])
            self.assertEqual(runs[True][0], 0)
            self.assertEqual(runs[True][1].split("\n")[0], "1")
            self.assertEqual(runs[True][3], "1")  # the reported pid is pid 1


if __name__ == "__main__":
    main()
