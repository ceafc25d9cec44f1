# SPDX-License-Identifier: LGPL-2.1-or-later
"""Landlock, the second fence: scoping keeps the sandbox from the host's
abstract unix sockets and from signalling processes outside it, even where
a profile shares the host's network or pid namespace."""
import socket
import subprocess
import uuid

from gbtest import both, landlock_abi, main

CONNECT = ("import socket, sys\n"
           "s = socket.socket(socket.AF_UNIX)\n"
           "try:\n"
           "    s.connect('\\0' + sys.argv[1]); print('connected')\n"
           "except OSError as e:\n"
           "    print('refused', e.errno)\n")
SIGNAL = ("import os, sys\n"
          "try:\n"
          "    os.kill(int(sys.argv[1]), 0); print('signalled')\n"
          "except OSError as e:\n"
          "    print('refused', e.errno)\n")


@both
class Scope:
    def setUp(self):
        if landlock_abi() < 6:
            self.skipTest("the kernel has Landlock ABI %d; scoping needs 6 (Linux 6.12)"
                          % landlock_abi())

    def listener(self):
        name = "gb-scope-" + uuid.uuid4().hex
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind("\0" + name)
        s.listen(8)
        self.addCleanup(s.close)
        return name

    def test_the_hosts_abstract_sockets_are_out_of_reach_with_the_hosts_network(self):
        name = self.listener()
        r = self.gb("--network", "host", cmd=["python3", "-c", CONNECT, name], probe=False)
        self.assertEqual(r.stdout.strip(), "refused 1", r.stderr)  # EPERM: the scope
        r = self.gb("--network", "host", "--scope", "none",
                    cmd=["python3", "-c", CONNECT, name], probe=False)
        self.assertEqual(r.stdout.strip(), "connected", r.stderr)

    def test_abstract_sockets_inside_the_sandbox_still_work(self):
        script = ("import socket\n"
                  "a = socket.socket(socket.AF_UNIX); a.bind('\\0inside'); a.listen(1)\n"
                  "b = socket.socket(socket.AF_UNIX); b.connect('\\0inside'); print('ok')\n")
        r = self.gb(cmd=["python3", "-c", script], probe=False)
        self.assertEqual(r.stdout.strip(), "ok", r.stderr)

    def test_processes_outside_cannot_be_signalled_with_the_hosts_pids(self):
        victim = subprocess.Popen(self.who.wrap(["/bin/sleep", "60"]))
        self.addCleanup(victim.wait)
        self.addCleanup(victim.kill)
        r = self.gb("--unshare-pid", "no", cmd=["python3", "-c", SIGNAL, str(victim.pid)],
                    probe=False)
        self.assertEqual(r.stdout.strip(), "refused 1", r.stderr)
        r = self.gb("--unshare-pid", "no", "--scope", "none",
                    cmd=["python3", "-c", SIGNAL, str(victim.pid)], probe=False)
        self.assertEqual(r.stdout.strip(), "signalled", r.stderr)

    def test_explain_says_what_is_enforced(self):
        r = self.run_as([self.stage.glovebox, "explain"])
        self.assertIn("scope              abstract-unix signals (Landlock ABI", r.stdout)
        self.assertIn("enforced", r.stdout)
        r = self.run_as([self.stage.glovebox, "--scope", "signals", "explain"])
        self.assertIn("scope              signals (Landlock ABI", r.stdout)

    def test_a_bad_scope_is_a_usage_error(self):
        r = self.gb("--scope", "everything", cmd=["true"], probe=False)
        self.assertEqual(r.returncode, 2)
        self.assertIn("everything: expected abstract-unix, signals, all or none", r.stderr)


if __name__ == "__main__":
    main()
