# SPDX-License-Identifier: LGPL-2.1-or-later
"""as-pid-1 (bwrap's --as-pid-1, glovebox's --as-pid-1 / [what] as-pid-1):
the command itself is pid 1 of the sandbox's pid namespace, with no init
of glovebox's in it; the filter, capabilities and no_new_privs are those
of a sandbox without it."""
import json
import os
import platform
import pty
import signal
import struct
import subprocess

from gbtest import both, main, processes_with, wait_for
from test_bwrap import BWRAP, STATUS_KEYS, BwrapCase, fd_at

PID_AND_CMDLINE = "echo $$; tr '\\0' ' ' </proc/1/cmdline; echo"
STATUS = "grep -E '^(%s):' /proc/self/status" % "|".join(STATUS_KEYS)


def ns_pid_1(marker):
    """The processes with marker in their command line that are pid 1 of
    a pid namespace of their own."""
    found = []
    for pid in processes_with(marker):
        try:
            with open("/proc/%d/status" % pid) as f:
                nspid = [l for l in f if l.startswith("NSpid:")][0].split()
        except (OSError, IndexError):
            continue
        if len(nspid) > 2 and nspid[-1] == "1":
            found.append(pid)
    return found


@both
class BwrapAsPid1(BwrapCase):
    SANDBOX = ("--unshare-pid", "--ro-bind", "/", "/", "--proc", "/proc", "--as-pid-1")

    def test_the_command_is_pid_1(self):
        r = self.same(*self.SANDBOX, "sh", "-c", PID_AND_CMDLINE)
        self.assertEqual(r.stdout.splitlines(), ["1", "sh -c " + PID_AND_CMDLINE + " "])

    def test_the_exit_status_passes_through(self):
        self.assertEqual(self.same(*self.SANDBOX, "sh", "-c", "exit 7").returncode, 7)

    def test_an_untrapped_signal_from_inside_leaves_pid_1_alone(self):
        # the kernel protects a pid namespace's init from signals it has no
        # handler for: the command goes on, under both
        r = self.same(*self.SANDBOX, "sh", "-c", "kill -TERM $$; echo still here")
        self.assertEqual(r.stdout, "still here\n")

    def test_without_a_pid_namespace_it_is_refused(self):
        r = self.same("--ro-bind", "/", "/", "--as-pid-1", "true",
                      show=lambda r: (r.returncode, r.stderr))
        self.assertEqual(r.returncode, 1)
        self.assertIn("--as-pid-1 requires --unshare-pid", r.stderr)

    def test_with_a_lock_file_it_is_refused(self):
        r = self.same("--unshare-pid", "--ro-bind", "/", "/", "--lock-file", "/etc/passwd",
                      "--as-pid-1", "true", show=lambda r: (r.returncode, r.stderr))
        self.assertEqual(r.returncode, 1)

    def test_ids_and_capabilities_are_those_without_it(self):
        for opts in ((), ("--unshare-user", "--uid", "0", "--gid", "0"), ("--cap-drop", "ALL")):
            with_it = self.same(*opts, *self.SANDBOX, "sh", "-c", STATUS)
            without = self.bw(*opts, *self.SANDBOX[:-1], "sh", "-c", STATUS, gb=True)
            self.assertEqual(with_it.stdout, without.stdout, opts)
            self.assertIn("NoNewPrivs:\t1", with_it.stdout)

    def test_the_seccomp_program_still_refuses(self):
        if platform.machine() != "x86_64":
            self.skipTest("the test's BPF program is for x86_64")
        # uname(2) (63) answers EPERM, everything else is allowed
        prog = b"".join(struct.pack("HBBI", *i) for i in (
            (0x20, 0, 0, 4), (0x15, 0, 3, 0xc000003e),
            (0x20, 0, 0, 0), (0x15, 0, 1, 63),
            (0x06, 0, 0, 0x00050001), (0x06, 0, 0, 0x7fff0000)))
        outs = []
        for gb in (False, True):
            fd_at(20, prog)
            try:
                r = self.bw("--seccomp", "20", *self.SANDBOX, "sh", "-c",
                            "echo $$; uname || echo refused", gb=gb, pass_fds=(20,))
            finally:
                os.close(20)
            outs.append((r.returncode, r.stdout))
        self.assertEqual(outs[1], outs[0])
        self.assertEqual(outs[1][1], "1\nrefused\n")

    def test_info_and_json_status_name_pid_1(self):
        got = []
        for gb in (False, True):
            r_info, w_info = os.pipe()
            r_json, w_json = os.pipe()
            os.dup2(w_info, 15)
            os.dup2(w_json, 16)
            os.close(w_info)
            os.close(w_json)
            try:
                r = self.bw("--info-fd", "15", "--json-status-fd", "16", *self.SANDBOX, "sh",
                            "-c", "exit 3", gb=gb, pass_fds=(15, 16))
            finally:
                os.close(15)
                os.close(16)
            with os.fdopen(r_info) as f:
                info = json.loads(f.read())
            with os.fdopen(r_json) as f:
                docs = [json.loads(l) for l in f.read().splitlines()]
            got.append((r.returncode, sorted(info), [sorted(d) for d in docs], docs[-1]))
        self.assertEqual(got[1], got[0])
        self.assertEqual(got[1][3], {"exit-code": 3})

    def test_a_signal_from_outside_reaches_the_command(self):
        marker = "gb-as-pid-1-signal-%s" % self.who.name
        script = "trap 'exit 9' TERM; echo ready; while :; do sleep 0.1; done; : " + marker
        for gb in (False, True):
            front = [self.stage.glovebox, "bwrap"] if gb else [BWRAP]
            p = subprocess.Popen(self.who.wrap(front + list(self.SANDBOX) + ["sh", "-c", script]),
                                 stdout=subprocess.PIPE, text=True, env=self.who.env(),
                                 cwd=self.stage.work)
            try:
                self.assertEqual(p.stdout.readline().strip(), "ready")
                self.assertTrue(wait_for(lambda: ns_pid_1(marker)), "front end %s" % gb)
                for pid in ns_pid_1(marker):
                    os.kill(pid, signal.SIGTERM)
                self.assertEqual(p.wait(timeout=30), 9, "front end %s" % gb)
            finally:
                p.kill()
                p.communicate()


@both
class OwnAsPid1:
    def test_the_command_is_pid_1(self):
        r = self.gb("--as-pid-1", probe=False, cmd=["sh", "-c", PID_AND_CMDLINE])
        self.assertOk(r)
        self.assertEqual(r.stdout.splitlines(), ["1", "sh -c " + PID_AND_CMDLINE + " "])

    def test_a_profile_key_asks_for_it(self):
        p = self.profile("aspid1", "[profile]\ninclude = default\n[what]\nas-pid-1 = yes\n")
        r = self.gb("-p", p, probe=False, cmd=["sh", "-c", "echo $$"])
        self.assertOk(r)
        self.assertEqual(r.stdout, "1\n")

    def test_without_it_glovebox_init_is_pid_1(self):
        r = self.gb(probe=False, cmd=["sh", "-c", "echo $$"])
        self.assertOk(r)
        self.assertNotEqual(r.stdout, "1\n")

    def test_the_exit_status_passes_through(self):
        self.assertEqual(self.gb("--as-pid-1", probe=False,
                                 cmd=["sh", "-c", "exit 7"]).returncode, 7)

    def test_it_needs_a_pid_namespace(self):
        r = self.gb("--unshare-pid", "no", "--as-pid-1", probe=False, cmd=["true"])
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("as-pid-1 needs the sandbox's own pid namespace", r.stderr)

    def test_it_refuses_background_wait(self):
        r = self.gb("--background", "wait", "--as-pid-1", probe=False, cmd=["true"])
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("as-pid-1 and background = wait", r.stderr)

    def test_the_filter_still_refuses_a_denied_call(self):
        self.assertEqual(self.probe_outside("syscall", "getppid").stdout.strip(), "ok")
        r = self.probe("syscall", "getppid",
                       opts=("--as-pid-1", "--deny", "getppid:EACCES"))
        self.assertEqual(r.stdout.strip(), "EACCES", r.stderr)

    def test_capabilities_and_no_new_privs_are_those_without_it(self):
        for opts in ((), ("--user", "root", "--capabilities", "CAP_NET_ADMIN")):
            got = [self.gb(*opts, "--as-pid-1", v, probe=False, cmd=["sh", "-c", STATUS])
                   for v in ("yes", "no")]
            self.assertOk(got[0])
            self.assertEqual(got[0].stdout, got[1].stdout, opts)
            self.assertIn("NoNewPrivs:\t1", got[0].stdout)

    def test_a_signal_to_glovebox_reaches_the_command(self):
        argv = self.who.wrap([self.stage.glovebox, "--as-pid-1", "--", "sh", "-c",
                              "trap 'exit 9' TERM; echo ready; while :; do sleep 0.1; done"])
        p = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env=self.who.env(),
                             cwd=self.stage.work)
        try:
            self.assertEqual(p.stdout.readline().strip(), "ready")
            p.send_signal(signal.SIGTERM)
            self.assertEqual(p.wait(timeout=30), 9)
        finally:
            p.kill()
            p.communicate()

    def test_a_terminal_gets_its_pty_with_pid_1_in_the_foreground(self):
        master, peer = pty.openpty()
        try:
            p = subprocess.Popen(
                self.who.wrap([self.stage.glovebox, "--as-pid-1", "--", "sh", "-c",
                               "tty; echo pid $$ fg $(ps -o tpgid= -p $$)"]),
                stdin=peer, stdout=peer, stderr=peer, env=self.who.env(),
                cwd=self.stage.work, start_new_session=True)
        finally:
            os.close(peer)
        out = b""
        try:
            while True:
                chunk = os.read(master, 4096)
                if not chunk:
                    break
                out += chunk
        except OSError:  # EIO: the pty's last user is gone
            pass
        os.close(master)
        self.assertEqual(p.wait(timeout=30), 0, out)
        text = out.decode(errors="replace")
        self.assertIn("/dev/pts/", text)
        self.assertRegex(text, r"pid 1 fg +1\r?\n")

    def test_the_sandbox_dies_with_glovebox(self):
        marker = "gb-as-pid-1-dies-%s" % self.who.name
        argv = self.who.wrap([self.stage.glovebox, "--as-pid-1", "--", "sh", "-c",
                              "echo ready; sleep 30; : " + marker])
        p = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env=self.who.env(),
                             cwd=self.stage.work)
        self.assertEqual(p.stdout.readline().strip(), "ready")
        self.assertTrue(wait_for(lambda: ns_pid_1(marker)))
        p.kill()
        p.communicate(timeout=10)
        self.assertTrue(wait_for(lambda: not processes_with(marker)),
                        "left running: %s" % processes_with(marker))

    def test_status_fd_reports_pid_1_and_its_exit(self):
        r_fd, w_fd = os.pipe()
        os.dup2(w_fd, 15)
        os.close(w_fd)
        try:
            r = self.run_as([self.stage.glovebox, "--status-fd", "15", "--as-pid-1", "--",
                             "sh", "-c", "exit 5"], pass_fds=(15,))
        finally:
            os.close(15)
        with os.fdopen(r_fd) as f:
            lines = f.read().splitlines()
        self.assertEqual(r.returncode, 5, r.stderr)
        self.assertEqual(len(lines), 2, lines)
        self.assertIn('"child-pid"', lines[0])
        self.assertEqual(lines[1], '{"exit-code": 5}')


if __name__ == "__main__":
    main()
