# SPDX-License-Identifier: LGPL-2.1-or-later
"""A shell in a terminal: a working prompt, job control, Ctrl-C reaching the
foreground program, and no way to type into the terminal behind it."""
import os
import pty
import select
import time

from gbtest import both, main


class Terminal:
    def __init__(self, argv, env):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execve(argv[0], argv, env)
        self.out = b""

    def read_until(self, needle, timeout=5.0):
        end = time.monotonic() + timeout
        while needle.encode() not in self.out and time.monotonic() < end:
            r, _, _ = select.select([self.fd], [], [], 0.05)
            if r:
                try:
                    self.out += os.read(self.fd, 4096)
                except OSError:
                    break
        return needle.encode() in self.out

    def send(self, text):
        os.write(self.fd, text.encode())

    def close(self):
        try:
            os.kill(self.pid, 9)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self.fd)


@both
class Interactive:
    def shell(self):
        argv = self.who.wrap([self.stage.glovebox, "--ro-bind", self.stage.probe, "/probe",
                              "--setenv", "PS1", "gb$ ", "--", "/bin/bash", "--norc",
                              "--noprofile", "-i"])
        env = self.who.env({"TERM": "dumb"})
        if argv[0] == "setpriv":
            argv[0] = "/usr/bin/setpriv"
        return Terminal(argv, env)

    def test_a_shell_gets_a_prompt_and_runs_commands(self):
        t = self.shell()
        try:
            self.assertTrue(t.read_until("gb$ "), t.out)
            t.send("echo $((6*7))\n")
            self.assertTrue(t.read_until("42"), t.out)
            self.assertNotIn(b"no job control", t.out)
        finally:
            t.close()

    def test_ctrl_c_reaches_the_foreground_program_only(self):
        t = self.shell()
        try:
            self.assertTrue(t.read_until("gb$ "))
            t.send("sleep 30\n")
            time.sleep(0.3)
            t.send("\x03")
            t.send("echo status-$?\n")
            self.assertTrue(t.read_until("status-130"), t.out)
        finally:
            t.close()

    def test_job_control_works(self):
        t = self.shell()
        try:
            self.assertTrue(t.read_until("gb$ "))
            t.send("sleep 30 &\n")
            t.send("jobs\n")
            self.assertTrue(t.read_until("Running"), t.out)
            t.send("kill %1; wait; jobs; echo done-jobs\n")
            self.assertTrue(t.read_until("done-jobs\r\n"), t.out)
        finally:
            t.close()

    def test_the_terminal_cannot_be_typed_into(self):
        t = self.shell()
        try:
            self.assertTrue(t.read_until("gb$ "))
            t.send("/probe tiocsti\n")
            self.assertTrue(t.read_until("EPERM EPERM"), t.out)
        finally:
            t.close()


if __name__ == "__main__":
    main()
