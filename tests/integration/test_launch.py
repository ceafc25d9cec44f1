# SPDX-License-Identifier: LGPL-2.1-or-later
"""The three ways pid 1 starts the command's process (src/launch/serial.c):
parallel (forked at once, its share of the set-up on another CPU),
serial (vfork once the filesystem is built) and shared (serially, pid 1
cloned into the supervisor's address space: src/launch/shared.c). Every
security-relevant property of the command holds on each path;
GLOVEBOX_LAUNCH forces one."""
import os
import re
import shutil
import signal
import subprocess
import time

from gbtest import both, children, landlock_abi, main

STRATEGIES = ("parallel", "serial", "shared")


def sanitized(binary):
    """A sanitizer build, which never shares its address space (its leak
    check would see pid 1's allocations as the supervisor's)."""
    with open(binary, "rb") as f:
        return b"__asan_init" in f.read()
SETS = ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")
KEPT = "CAP_NET_BIND_SERVICE CAP_CHOWN"
KEPT_MASK = "%016x" % ((1 << 10) | (1 << 0))


@both
class Strategies:
    def each(self, test):
        """test(strategy, the env that forces it), one subtest each."""
        for s in STRATEGIES:
            with self.subTest(strategy=s):
                test(s, {"GLOVEBOX_LAUNCH": s})

    def trace(self, name, argv, env, calls="vfork,clone,clone3", pass_fds=()):
        out = os.path.join(self.who.home, "launch-%s.trace" % name)
        r = self.run_as(["strace", "-f", "-qq", "-e", "trace=" + calls, "-o", out] + argv,
                        env=dict(env, ASAN_OPTIONS="detect_leaks=0"), pass_fds=pass_fds)
        with open(out) as f:
            return r, f.read().splitlines()

    def test_the_variable_forces_the_path(self):
        # Without this, every test below could be testing one path twice.
        if not shutil.which("strace"):
            self.skipTest("strace is not installed")
        shares = not sanitized(self.stage.glovebox)

        def check(s, env):
            r, trace = self.trace(s, [self.stage.glovebox, "--", "/bin/true"], env)
            self.assertOk(r)
            vforks = [l for l in trace if "vfork(" in l]
            self.assertEqual(len(vforks), 0 if s == "parallel" else 1, trace)
            first = [l for l in trace if "CLONE_NEWPID" in l]
            self.assertEqual(len(first), 1, trace)
            self.assertEqual("CLONE_VM" in first[0], s == "shared" and shares, first)
        self.each(check)

    def test_a_launch_left_to_itself_shares_where_it_can(self):
        # GLOVEBOX_LAUNCH unset: one address space, busy or idle; not with a
        # timeout (the supervisor could not end a set-up that hangs).
        if not shutil.which("strace"):
            self.skipTest("strace is not installed")
        if sanitized(self.stage.glovebox):
            self.skipTest("a sanitizer build never shares its address space")
        for opts, shared in (((), True), (("--timeout", "60"), False)):
            argv = [self.stage.glovebox] + list(opts) + ["--", "/bin/true"]
            r, trace = self.trace("auto%d" % len(opts), argv, {"GLOVEBOX_LAUNCH": ""})
            self.assertOk(r)
            first = [l for l in trace if "CLONE_NEWPID" in l]
            self.assertEqual(["CLONE_VM" in l for l in first], [shared], trace)

    def test_a_failed_set_up_ends_the_launch_with_its_reason(self):
        # pid 1 fails while the supervisor waits for its hand-over: the
        # pipe's end wakes it, and the status is pid 1's 125.
        def check(_, env):
            r = self.gb("--ro-bind", self.stage.probe, "/usr/lib/glovebox-new",
                        cmd=["/bin/true"], probe=False, env=env, timeout=30)
            self.assertEqual(r.returncode, 125, r.stderr)
            self.assertIn("Read-only file system", r.stderr)
            r = self.gb(cmd=["/nonexistent-command"], probe=False, env=env, timeout=30)
            self.assertEqual(r.returncode, 127, r.stderr)
        self.each(check)

    def glovebox_chain(self, root, depth):
        """The glovebox process depth levels below another glovebox
        process under root (1: pid 1, 2: the command's process before its
        exec), or None."""
        def comm(pid):
            try:
                with open("/proc/%d/comm" % pid) as f:
                    return f.read().strip()
            except OSError:
                return ""
        todo = [(root, -1)]
        while todo:
            pid, level = todo.pop()
            if comm(pid) == "glovebox":
                level += 1
                if level == depth:
                    return pid
            for child in children(pid):
                todo.append((child, level if level >= 0 else -1))
        return None

    def killed_on_the_way(self, call, depth):
        """glovebox (shared) with call delayed 5 s by strace, and the
        process depth levels down killed meanwhile: its status."""
        argv = self.who.wrap(["strace", "-f", "-qq", "-o", "/dev/null", "-e", "trace=" + call,
                              "-e", "inject=%s:delay_enter=5000000" % call,
                              self.stage.glovebox, "--", "/bin/true"])
        p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                             env=self.who.env({"GLOVEBOX_LAUNCH": "shared"}),
                             cwd=self.stage.work)
        try:
            victim = None
            deadline = time.time() + 30
            while victim is None and time.time() < deadline and p.poll() is None:
                time.sleep(0.05)
                victim = self.glovebox_chain(p.pid, depth)
            self.assertIsNotNone(victim, "no process %d levels down" % depth)
            time.sleep(0.3)  # in the delayed call by now
            os.kill(victim, signal.SIGKILL)
            p.communicate(timeout=20)
        finally:
            p.kill()
            p.wait()
        return p.returncode

    def test_a_process_killed_before_the_hand_over_ends_glovebox(self):
        # Killed in the middle of glibc code, a process sharing the
        # supervisor's memory may leave its heap half-changed: glovebox
        # ends at once, with the status pid 1 reports (the command's
        # process killed: 137) or 125 (pid 1 killed), never hangs.
        if not shutil.which("strace"):
            self.skipTest("strace is not installed")
        if sanitized(self.stage.glovebox):
            self.skipTest("a sanitizer build never shares its address space")
        self.assertEqual(self.killed_on_the_way("landlock_restrict_self", 2), 137)
        self.assertEqual(self.killed_on_the_way("mount_setattr", 1), 125)

    def test_pid_1_of_one_address_space_ends_after_glovebox(self):
        # Shared: pid 1 tells the status, then waits for the supervisor's
        # end to end it (its death signal), so that the supervisor is not
        # the one to tear the address space down. Otherwise pid 1 exits.
        if not shutil.which("strace"):
            self.skipTest("strace is not installed")
        shares = not sanitized(self.stage.glovebox)

        def check(s, env):
            r, trace = self.trace("end-" + s, [self.stage.glovebox, "--", "/bin/true"], env,
                                  calls="execve,clone,clone3,exit_group")
            self.assertOk(r)
            supervisor = trace[0].split()[0]
            pid1 = [re.search(r"= (\d+)$", l).group(1) for l in trace
                    if "CLONE_NEWPID" in l and re.search(r"= \d+$", l)]
            self.assertEqual(len(pid1), 1, trace)
            # (-qq leaves out "exited with", not "killed by")
            ends = [(l.split()[0], l) for l in trace
                    if (l.split()[0] == supervisor and "exit_group(" in l)
                    or (l.split()[0] == pid1[0] and "+++" in l)]
            own = [l for l in trace if l.startswith(pid1[0] + " ") and "exit_group(" in l]
            if s == "shared" and shares:
                self.assertEqual(own, [], trace)
                self.assertEqual([who for who, _ in ends], [supervisor, pid1[0]], trace)
                self.assertIn("killed by SIGKILL", ends[1][1], trace)
            # else pid 1 exits at once, often killed on the way by its death
            # signal as the supervisor ends: nothing to tell either way
        self.each(check)

    def test_a_signal_to_glovebox_reaches_the_command(self):
        def check(s, env):
            argv = self.who.wrap([self.stage.glovebox, "--", "/bin/sh", "-c",
                                  "trap 'echo got TERM; exit 7' TERM; echo ready; "
                                  "while :; do sleep 0.1; done"])
            p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True, env=self.who.env(env), cwd=self.stage.work)
            try:
                self.assertEqual(p.stdout.readline().strip(), "ready")
                p.send_signal(signal.SIGTERM)
                out, err = p.communicate(timeout=20)
            finally:
                p.kill()
            self.assertEqual((p.returncode, out.strip()), (7, "got TERM"), err)
        self.each(check)

    def test_the_supervisor_holds_no_bind_source_once_the_command_runs(self):
        # The launcher holds each bind source open for pid 1 until the
        # clone; sharing the address space, pid 1 sets the numbers to -1
        # where the supervisor keeps them, which closes its own copies
        # from a list of its own.
        d = self.stage.path("launch-held-%s" % self.who.name)
        os.makedirs(d, exist_ok=True)

        def check(s, env):
            argv = self.who.wrap([self.stage.glovebox, "--ro-bind", d, "/mnt/held", "--",
                                  "/bin/sh", "-c", "echo ready; exec sleep 30"])
            p = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True,
                                 env=self.who.env(env), cwd=self.stage.work)
            try:
                self.assertEqual(p.stdout.readline().strip(), "ready")
                try:
                    fds = os.listdir("/proc/%d/fd" % p.pid)
                except PermissionError:
                    # undumpable with pid 1's address space: only root looks
                    self.assertEqual((s, os.geteuid() == 0), ("shared", False))
                    return
                targets = [os.readlink("/proc/%d/fd/%s" % (p.pid, fd)) for fd in fds]
                self.assertNotIn(d, targets)
                self.assertTrue(targets)
            finally:
                p.kill()
                p.communicate(timeout=10)
        self.each(check)

    def vforks(self, name, argv, env, pass_fds=()):
        out = os.path.join(self.who.home, "launch-%s.trace" % name)
        r = self.run_as(["strace", "-f", "-qq", "-e", "trace=vfork", "-o", out] + argv,
                        env=dict(env, ASAN_OPTIONS="detect_leaks=0"), pass_fds=pass_fds)
        self.assertOk(r)
        with open(out) as f:
            return len([l for l in f if "vfork(" in l])

    def test_bwrap_mode_is_serial_too_unless_it_reports_namespaces(self):
        # bwrap's --info-fd names the command's namespaces, read from its
        # /proc entries, which a vfork child of the undumpable pid 1 does
        # not let the supervisor read: that launch stays parallel.
        if not shutil.which("strace"):
            self.skipTest("strace is not installed")
        bw = [self.stage.glovebox, "bwrap", "--unshare-all", "--ro-bind", "/", "/",
              "--proc", "/proc", "--dev", "/dev"]
        env = {"GLOVEBOX_LAUNCH": "serial"}
        self.assertEqual(self.vforks("bw", bw + ["--", "/bin/true"], env), 1)
        info = os.path.join(self.who.home, "info.json")
        fd = os.open(info, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            argv = bw + ["--info-fd", str(fd), "--", "/bin/true"]
            self.assertEqual(self.vforks("bwinfo", argv, env, pass_fds=(fd,)), 0)
        finally:
            os.close(fd)
        with open(info) as f:
            self.assertIn('"net-namespace"', f.read())

    def test_ids_capabilities_no_new_privs_and_seccomp(self):
        def check(_, env):
            r = self.probe("status", env=env)
            self.assertOk(r)
            f = self.status_fields(r.stdout)
            self.assertEqual(f["Uid"].split()[0], str(self.who.uid))
            self.assertEqual(f["Gid"].split()[0], str(self.who.gid))
            self.assertEqual(f["NoNewPrivs"], "1")
            self.assertEqual(f["Seccomp"], "2")
            for cap in SETS:
                self.assertEqual(f[cap], "0000000000000000", cap)
        self.each(check)

    def test_kept_capabilities_are_the_only_ones(self):
        def check(_, env):
            r = self.probe("status", opts=("--user", "root", "--capabilities", KEPT), env=env)
            self.assertOk(r)
            f = self.status_fields(r.stdout)
            self.assertEqual(f["Uid"].split()[0], "0")
            for cap in SETS:
                self.assertEqual(f[cap], KEPT_MASK, cap)
        self.each(check)

    def test_the_filter_refuses_what_it_refuses(self):
        def check(_, env):
            for call in ("ptrace", "mount", "bpf"):
                self.assertEqual(self.probe("syscall", call, env=env).stdout.strip(), "EPERM",
                                 call)
        self.each(check)

    def test_the_command_is_never_in_the_hosts_network_namespace(self):
        host = self.probe_outside("ns", "net").stdout.strip()
        self.assertTrue(host.startswith("net:"), host)

        def check(_, env):
            self.assertNotEqual(self.probe("ns", "net", env=env).stdout.strip(), host)
            self.assertEqual(self.probe("hostname", env=env).stdout.strip(), "glovebox")
        self.each(check)

    def test_pid_1_is_out_of_reach_and_in_the_sandboxs_network(self):
        # /proc/1/net has no ptrace check: it shows pid 1's namespace,
        # which must be the sandbox's (only lo), never the host's.
        def check(_, env):
            r = self.gb(cmd=["/bin/sh", "-c", "cat /proc/1/environ >/dev/null 2>&1; echo $?; "
                                             "tail -n +3 /proc/1/net/dev | cut -d: -f1"],
                        probe=False, env=env)
            self.assertOk(r)
            self.assertEqual(r.stdout.split(), ["1", "lo"])
        self.each(check)

    def test_only_0_1_2_reach_the_command(self):
        def check(_, env):
            r = self.probe("fds", env=env)
            self.assertOk(r)
            self.assertEqual(sorted(r.stdout.split()), ["0", "1", "2"])
        self.each(check)

    def test_landlock_fences_a_descriptor_from_outside(self):
        if landlock_abi() < 1:
            self.skipTest("the kernel has no Landlock")
        d = self.stage.path("launch-outside-%s" % self.who.name)
        os.makedirs(d, exist_ok=True)
        self.who.chown(d)
        fd = os.open(d, os.O_RDONLY | os.O_DIRECTORY)
        self.addCleanup(os.close, fd)

        def check(_, env):
            r = self.gb(cmd=["/bin/sh", "-c", "ls /proc/self/fd/0/ >/dev/null 2>&1; echo $?"],
                        probe=False, stdin=fd, env=env)
            self.assertEqual(r.stdout.strip(), "2", r.stderr)
        self.each(check)

    def test_the_command_is_pid_2_and_the_process_limit_holds(self):
        def check(_, env):
            self.assertEqual(self.probe("pid", env=env).stdout.strip(), "2")
            r = self.probe("read", "/proc/sys/kernel/pid_max",
                           opts=("--limit-processes", "40"), env=env)
            self.assertEqual(r.stdout, "ok 339\n")
            # five besides pid 1: sh, sh, three sleeps; the fourth cannot start
            r = self.gb("--limit-processes", "5", cmd=[
                "/bin/sh", "-c", "/bin/sh -c 'sleep 3 & sleep 3 & sleep 3 & sleep 3 & wait' "
                "2>&1; echo end"], probe=False, env=env)
            self.assertIn("fork", r.stdout.lower())
            self.assertIn("end", r.stdout)
            r = self.gb("--limit-processes", "6", cmd=[
                "/bin/sh", "-c", "/bin/sh -c 'sleep 1 & sleep 1 & sleep 1 & sleep 1 & wait' "
                "2>&1; echo end"], probe=False, env=env)
            self.assertEqual(r.stdout, "end\n")
        self.each(check)


if __name__ == "__main__":
    main()
