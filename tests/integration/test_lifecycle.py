# SPDX-License-Identifier: LGPL-2.1-or-later
"""Descriptors, signals and the sandbox's life and death."""
import os
import platform
import re
import shutil
import signal
import struct
import subprocess
import time
import uuid

from gbtest import both, main, processes_with, wait_for


@both
class Descriptors:
    def test_only_0_1_2_reach_the_command(self):
        extra = os.open("/etc/hostname", os.O_RDONLY)  # inheritable
        os.set_inheritable(extra, True)
        try:
            r = self.probe("fds", pass_fds=(extra,))
        finally:
            os.close(extra)
        self.assertOk(r)
        self.assertEqual(sorted(r.stdout.split()), ["0", "1", "2"])

    def test_keep_fd_passes_the_descriptors_named(self):
        kept = os.open("/etc/hostname", os.O_RDONLY)
        other = os.open("/etc/hostname", os.O_RDONLY)
        for fd in (kept, other):
            os.set_inheritable(fd, True)
        try:
            r = self.probe("fds", opts=("--keep-fd", str(kept)), pass_fds=(kept, other))
        finally:
            os.close(kept)
            os.close(other)
        self.assertOk(r)
        self.assertEqual(sorted(r.stdout.split()), sorted(["0", "1", "2", str(kept)]))

    def test_add_seccomp_fd_loads_the_callers_program_with_glovebox_filter(self):
        if platform.machine() != "x86_64":
            self.skipTest("the test's BPF program is for x86_64")
        # uname(2) (63) answers EPERM, everything else is allowed
        prog = b"".join(struct.pack("HBBI", *i) for i in (
            (0x20, 0, 0, 4), (0x15, 0, 3, 0xc000003e), (0x20, 0, 0, 0), (0x15, 0, 1, 63),
            (0x06, 0, 0, 0x00050001), (0x06, 0, 0, 0x7fff0000)))
        r, w = os.pipe()
        os.write(w, prog)
        os.close(w)
        script = "uname -n >/dev/null; echo $?; ls /proc/self/fd | wc -l"
        try:
            got = self.gb("--add-seccomp-fd", str(r), cmd=["sh", "-c", script], probe=False,
                          pass_fds=(r,))
        finally:
            os.close(r)
        self.assertOk(got)
        # refused, and the descriptor was used up (0, 1, 2 and ls's own)
        self.assertEqual(got.stdout.split(), ["1", "4"])
        plain = self.gb(cmd=["sh", "-c", script], probe=False)
        self.assertEqual(plain.stdout.split()[0], "0")
        r, w = os.pipe()
        os.write(w, b"abc")
        os.close(w)
        try:
            bad = self.gb("--add-seccomp-fd", str(r), cmd=["true"], probe=False, pass_fds=(r,))
        finally:
            os.close(r)
        self.assertEqual(bad.returncode, 125)
        self.assertIn("--add-seccomp-fd %d: not a seccomp program" % r, bad.stderr)

    def test_a_seccomp_descriptor_goes_to_one_option_once(self):
        # read and closed by glovebox: passed on, the number could be one of
        # glovebox's own by then; read twice, the second read finds nothing
        r, w = os.pipe()
        os.close(w)
        try:
            for other in (["--keep-fd", str(r)], ["--add-seccomp-fd", str(r)],
                          ["--info-fd", str(r)], ["--file", str(r), "/tmp/f"]):
                got = self.gb("--add-seccomp-fd", str(r), *other, cmd=["true"], probe=False,
                              pass_fds=(r,))
                self.assertEqual(got.returncode, 2, (other, got.stderr))
                self.assertIn("reads (and closes) descriptor %d: it cannot go to another "
                              "descriptor option too" % r, got.stderr)
        finally:
            os.close(r)

    def test_keep_fd_of_a_closed_descriptor_is_refused(self):
        r = self.probe("fds", opts=("--keep-fd", "57"))
        self.assertEqual(r.returncode, 125)
        self.assertIn("--keep-fd 57", r.stderr)

    def test_the_probe_would_see_a_leak(self):
        extra = os.open("/etc/hostname", os.O_RDONLY)
        try:
            r = self.probe_outside("fds", pass_fds=(extra,))
        finally:
            os.close(extra)
        self.assertIn(str(extra), r.stdout.split())

    def test_pid_1_keeps_no_descriptor_glovebox_was_given(self):
        # pid 1 closes all but its own few, below them, between them,
        # below 64 and above (a descriptor of glovebox's own would be a way
        # out through /proc/1/fd). 3 and 9 come from the shell in front.
        extras = []
        try:
            for want in (20, 70):
                fd = os.open("/etc/hostname", os.O_RDONLY)
                os.dup2(fd, want)
                os.close(fd)
                extras.append(want)
            argv = ["/bin/sh", "-c", 'exec 3</etc/hostname 9</etc/hostname; exec "$@"', "sh"]
            argv += self.who.wrap([self.stage.glovebox, "--", "/bin/sh", "-c",
                                   "echo ready; exec sleep 30"])
            p = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, pass_fds=extras,
                                 env=self.who.env(), cwd=self.stage.work)
        finally:
            for fd in extras:
                os.close(fd)
        try:
            self.assertEqual(p.stdout.readline().strip(), "ready")
            with open("/proc/%d/task/%d/children" % (p.pid, p.pid)) as f:
                init = int(f.read().split()[0])
            fds = [int(fd) for fd in os.listdir("/proc/%d/fd" % init)]
            targets = [os.readlink("/proc/%d/fd/%d" % (init, fd)) for fd in fds]
            self.assertNotIn("/etc/hostname", targets)
            self.assertLessEqual(len([fd for fd in fds if fd > 2]), 4, targets)
        finally:
            p.kill()
            p.communicate(timeout=10)

    def test_closed_standard_descriptors_stay_closed_to_the_command(self):
        r = self.run_as(["/bin/sh", "-c", 'exec "$@" <&-', "sh", self.stage.glovebox,
                         "--ro-bind", self.stage.probe, "/probe", "--", "/probe", "fds"])
        self.assertOk(r)
        # glovebox reopened 0 on /dev/null rather than let a descriptor of its
        # own become the command's stdin.
        self.assertEqual(sorted(r.stdout.split()), ["0", "1", "2"])


@both
class Pid1:
    def test_pid_1_is_undumpable_before_the_command_starts(self):
        # Undumpable, pid 1's /proc/1/fd and ptrace are closed to the
        # command (same uid): they must be before "go", not after, or the
        # command could race pid 1 to a host directory it still holds. On
        # the serial path (src/launch/serial.c) before the command's
        # process exists at all.
        if not shutil.which("strace"):
            self.skipTest("strace is not installed")
        for strategy in ("parallel", "serial", "shared"):
            with self.subTest(strategy=strategy):
                self.check_undumpable_first(strategy)

    def check_undumpable_first(self, strategy):
        out = os.path.join(self.who.home, "pid1-%s.trace" % strategy)
        r = self.run_as(["strace", "-f", "-qq", "-e", "trace=prctl,write,vfork", "-o", out,
                         self.stage.glovebox, "--ro-bind", "/usr", "/mnt", "--", "/bin/true"],
                        env={"ASAN_OPTIONS": "detect_leaks=0", "GLOVEBOX_LAUNCH": strategy})
        self.assertOk(r)
        with open(out) as f:
            trace = f.read().splitlines()
        # pid 1 is the process that makes itself undumpable; "go" is its
        # last one-byte write (undumpable, its bytes are hidden from an
        # unprivileged strace: the length tells); serially, its vfork
        pid1 = next(l.split()[0] for l in trace if "SUID_DUMP_DISABLE" in l)
        mine = [l for l in trace if l.split()[0] == pid1]
        release = r"vfork\(" if strategy != "parallel" else r"write\(\d+, [^,]+, 1(\)| <unfin)"
        go = [i for i, l in enumerate(mine) if re.search(release, l)][-1]
        states = [l for l in mine[:go] if "PR_SET_DUMPABLE" in l]
        self.assertTrue(states, "\n".join(mine))
        self.assertIn("SUID_DUMP_DISABLE", states[-1], "\n".join(mine))


@both
class Scheduling:
    def test_the_command_keeps_the_launchers_cpus(self):
        # glovebox moves the command's process off pid 1's CPU while both
        # set up; the command itself must get every CPU back.
        outside = self.run_as(["/bin/grep", "Cpus_allowed_list", "/proc/self/status"]).stdout
        for _ in range(3):
            inside = self.gb(cmd=["/bin/grep", "Cpus_allowed_list", "/proc/self/status"],
                             probe=False).stdout
            self.assertEqual(inside, outside)


@both
class Signals:
    def start(self, *cmd, opts=()):
        argv = self.who.wrap([self.stage.glovebox] + list(opts) +
                             ["--ro-bind", self.stage.probe, "/probe", "--"] + list(cmd))
        p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=self.who.env(), cwd=self.stage.work)
        return p

    def glovebox_pid(self, p):
        # With setpriv in front, glovebox is setpriv's pid (setpriv execs).
        return p.pid

    def test_signals_sent_to_glovebox_reach_the_command(self):
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            p = self.start("/probe", "wait-signal")
            self.assertEqual(p.stdout.readline().strip(), "ready")
            os.kill(self.glovebox_pid(p), sig)
            out, err = p.communicate(timeout=10)
            self.assertEqual(out.strip(), "got " + sig.name[3:], err)
            self.assertEqual(p.returncode, 0)

    def test_a_command_killed_by_a_forwarded_signal_gives_128_plus_n(self):
        p = self.start("/bin/sh", "-c", "echo ready; exec sleep 30")
        self.assertEqual(p.stdout.readline().strip(), "ready")
        os.kill(p.pid, signal.SIGTERM)
        p.communicate(timeout=10)
        self.assertEqual(p.returncode, 128 + signal.SIGTERM)

    def test_the_sandbox_dies_with_glovebox(self):
        marker = "gb-marker-" + uuid.uuid4().hex
        p = self.start("/probe", "wait-signal", marker)
        self.assertEqual(p.stdout.readline().strip(), "ready")
        self.assertTrue(processes_with(marker))
        os.kill(p.pid, signal.SIGKILL)
        p.communicate(timeout=10)
        self.assertTrue(wait_for(lambda: not processes_with(marker)),
                        "left running: %s" % processes_with(marker))

    def test_with_die_with_parent_the_sandbox_dies_with_glovebox_s_parent(self):
        marker = "gb-parent-" + uuid.uuid4().hex
        # a shell in between: killing it must take glovebox and the sandbox along
        argv = [self.stage.glovebox, "--die-with-parent", "--ro-bind", self.stage.probe,
                "/probe", "--", "/probe", "wait-signal", marker]
        p = subprocess.Popen(self.who.wrap(["/bin/sh", "-c", '"$@"; :', "sh"] + argv),
                             stdout=subprocess.PIPE, text=True, env=self.who.env(),
                             cwd=self.stage.work)
        self.assertEqual(p.stdout.readline().strip(), "ready")
        os.kill(p.pid, signal.SIGKILL)
        p.communicate(timeout=10)
        self.assertTrue(wait_for(lambda: not processes_with(marker)),
                        "left running: %s" % processes_with(marker))

    def test_without_a_pid_namespace_what_the_command_started_dies_with_glovebox(self):
        p_ini = self.profile("nopid-death", "[profile]\ninclude = none\n"
                                            "[where]\nro-bind = /usr\nmirror = /bin /lib /lib64\n"
                                            "dev = /dev\n"
                                            "unshare-pid = no\n[how]\nallow = @system-service\n")
        marker = "gb-orphan-" + uuid.uuid4().hex
        # split in the shell's own command line, which is not to be counted
        split = "%s''%s" % (marker[:10], marker[10:])
        p = self.start("/bin/sh", "-c", "(/probe wait-signal %s-a &) ; /probe wait-signal %s-b & "
                       "wait" % (split, split), opts=("-p", p_ini))
        # each probe says ready
        self.assertEqual([p.stdout.readline().strip() for _ in range(2)], ["ready", "ready"])
        self.assertEqual(len(processes_with(marker)), 2)
        os.kill(p.pid, signal.SIGKILL)
        p.communicate(timeout=10)
        self.assertTrue(wait_for(lambda: not processes_with(marker)),
                        "left running: %s" % processes_with(marker))

    def test_background_processes_end_with_the_command(self):
        marker = "gb-bg-" + uuid.uuid4().hex
        r = self.gb(cmd=["/bin/sh", "-c", "/probe wait-signal %s & echo started" % marker])
        self.assertOk(r)
        self.assertIn("started", r.stdout.split())
        self.assertTrue(wait_for(lambda: not processes_with(marker)))


@both
class Footprint:
    def code_kib(self, pid):
        """Resident KiB of glovebox's own code (its executable mapping)."""
        kib, ours = 0, False
        with open("/proc/%d/smaps" % pid) as f:
            for line in f:
                parts = line.split()
                if "-" in parts[0] and not parts[0].endswith(":"):
                    ours = "x" in parts[1] and parts[-1] == self.stage.glovebox
                elif ours and parts[0] == "Rss:":
                    kib += int(parts[1])
        return kib

    def test_the_waiting_launcher_processes_give_back_their_set_up_code(self):
        # A static glovebox shares its code with no other program: the
        # supervisor and pid 1 would count every page of the set-up they ran
        # (about 900 KiB) for as long as the command runs. Once it has run
        # a second (FOOTPRINT_IDLE_MS), they keep what their waiting loops
        # run.
        argv = self.who.wrap([self.stage.glovebox, "--", "/bin/sh", "-c",
                              "echo ready; exec sleep 30"])
        p = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env=self.who.env(),
                             cwd=self.stage.work)
        try:
            self.assertEqual(p.stdout.readline().strip(), "ready")
            with open("/proc/%d/task/%d/children" % (p.pid, p.pid)) as f:
                init = int(f.read().split()[0])
            for pid in (p.pid, init):
                self.assertTrue(wait_for(lambda: self.code_kib(pid) < 384),
                                "process %d: %d KiB" % (pid, self.code_kib(pid)))
        finally:
            p.kill()
            p.communicate(timeout=10)


@both
class Timeout:
    def test_the_timeout_ends_the_sandbox_with_124(self):
        start = time.monotonic()
        r = self.gb("--timeout", "1", cmd=["/bin/sleep", "30"], probe=False)
        self.assertEqual(r.returncode, 124, r.stderr)
        self.assertLess(time.monotonic() - start, 10)
        self.assertIn("the timeout (1 s) ended the sandbox", r.stderr)

    def test_a_command_deaf_to_sigterm_is_killed_after_the_grace(self):
        marker = "gb-timeout-" + uuid.uuid4().hex
        r = self.gb("--timeout", "0.5", cmd=["/bin/sh", "-c", "trap '' TERM; "
                                             "exec /probe wait-signal " + marker])
        self.assertEqual(r.returncode, 124, r.stderr)
        self.assertTrue(wait_for(lambda: not processes_with(marker)), "left running")

    def test_what_ends_in_time_keeps_its_status(self):
        r = self.gb("--timeout", "30s", cmd=["/bin/sh", "-c", "exit 3"], probe=False)
        self.assertEqual(r.returncode, 3)

    def test_a_bad_duration_is_a_usage_error(self):
        r = self.gb("--timeout", "soon", cmd=["true"], probe=False)
        self.assertEqual(r.returncode, 2)
        self.assertIn("soon: expected a duration", r.stderr)


if __name__ == "__main__":
    main()
