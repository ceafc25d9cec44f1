# SPDX-License-Identifier: LGPL-2.1-or-later
"""A shell in a terminal: a working prompt, job control, Ctrl-C reaching the
foreground program, and no way to type into the terminal behind it."""
import fcntl
import os
import pty
import select
import struct
import subprocess
import termios
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

    def resize(self, rows, cols):
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def close(self):
        try:
            os.kill(self.pid, 9)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self.fd)


class TerminalCase:
    def wrapped(self, argv):
        """argv as the test's user, runnable by execve (no PATH search)."""
        argv = self.who.wrap(argv)
        if argv[0] == "setpriv":
            argv[0] = "/usr/bin/setpriv"
        return argv

    def terminal(self, argv, env):
        """argv as the test's user in a new terminal, with env added."""
        return Terminal(self.wrapped(argv), self.who.env(dict(env, TERM="dumb")))


@both
class Interactive(TerminalCase):
    def shell(self):
        return self.terminal([self.stage.glovebox, "--ro-bind", self.stage.probe, "/probe",
                              "--setenv", "PS1", "gb$ ", "--", "/bin/bash", "--norc",
                              "--noprofile", "-i"], {})

    def test_a_shell_gets_a_prompt_and_runs_commands(self):
        t = self.shell()
        try:
            self.assertTrue(t.read_until("gb$ "), t.out)
            t.send("echo $((6*7))\n")
            self.assertTrue(t.read_until("42"), t.out)
            self.assertNotIn(b"no job control", t.out)
        finally:
            t.close()

    def test_options_and_no_command_start_the_users_shell_on_a_terminal(self):
        # As firejail does: "glovebox -p shell" opens $SHELL in the sandbox.
        t = self.terminal([self.stage.glovebox, "--hostname", "gbshell"],
                          {"SHELL": "/bin/bash", "PS1": "gb$ "})
        try:
            t.send("echo shell-$((6*7)) $(hostname) $0; exit\n")
            self.assertTrue(t.read_until("shell-42 gbshell /bin/bash"), t.out)
        finally:
            t.close()

    def test_in_a_terminal_the_command_is_pid_2_and_the_process_limit_exact(self):
        # pid 1 starts the command's process late with a pty: it must still
        # be pid 2, and --limit-processes N still N processes, not N - 1.
        script = ("echo pid-$$; for i in 1 2 3; do sleep 1 & done; wait; echo three-ok; "
                  "for i in 1 2 3 4; do sleep 1 & done; wait")
        t = self.terminal([self.stage.glovebox, "--limit-processes", "4", "--",
                           "/bin/sh", "-c", script], {})
        try:
            self.assertTrue(t.read_until("Cannot fork", timeout=15), t.out)
            self.assertIn(b"pid-2\r\nthree-ok\r\n", t.out)
        finally:
            t.close()

    def test_options_and_no_command_without_a_terminal_is_an_error(self):
        r = self.run_as([self.stage.glovebox, "--hostname", "gbshell"], stdin=subprocess.DEVNULL)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("no command to run", r.stderr)

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


@both
class OwnTerminal(TerminalCase):
    """The sandbox gets a terminal of its own in front of the user's: what
    it does to it stays inside, and the user's terminal works afterwards."""

    def host_shell(self):
        """A shell of the user's, outside any sandbox, in a terminal."""
        t = self.terminal(["/bin/bash", "--norc", "--noprofile", "-i"], {"PS1": "host$ ",
                            "GB": self.stage.glovebox + " --ro-bind " + self.stage.probe +
                            " /probe --",
                            "GB_HOST": self.stage.glovebox + " --terminal host --ro-bind " +
                            self.stage.probe + " /probe --"})
        self.assertTrue(t.read_until("host$ "), t.out)
        t.out = b""
        return t

    def test_tty_names_the_sandboxs_own_terminal(self):
        t = self.host_shell()
        try:
            t.send("$GB /probe ttyname; $GB tty; echo end-$((1+1))\n")
            self.assertTrue(t.read_until("end-2"), t.out)
            self.assertRegex(t.out.decode(), r"\n/dev/pts/\d+\r\n/dev/pts/\d+\r\nend-2")
        finally:
            t.close()

    def test_a_line_discipline_change_stays_inside(self):
        t = self.host_shell()
        try:
            # On the user's terminal, N_NULL would swallow every later write.
            t.send("$GB /probe tiocsetd; echo still-$((40+2))\n")
            self.assertTrue(t.read_until("still-42"), t.out)
        finally:
            t.close()

    def test_the_terminals_modes_are_the_same_afterwards(self):
        t = self.host_shell()
        try:
            t.send('a=$(stty -g); $GB stty raw -echo; b=$(stty -g); '
                   '[ "$a" = "$b" ] && echo same-$((6*7))\n')
            self.assertTrue(t.read_until("same-42"), t.out)
        finally:
            t.close()

    def test_ctrl_c_ends_the_command(self):
        t = self.host_shell()
        try:
            t.send("$GB sleep 30\n")
            time.sleep(0.5)
            t.send("\x03")
            time.sleep(0.5)  # keys typed while glovebox runs are the sandbox's
            t.send("echo status-$?\n")
            self.assertTrue(t.read_until("status-130"), t.out)
        finally:
            t.close()

    def test_ctrl_z_stops_it_and_fg_continues_it(self):
        t = self.host_shell()
        try:
            t.send("$GB sh -c 'read x; echo got-$x'\n")
            time.sleep(0.5)
            t.send("\x1a")
            self.assertTrue(t.read_until("Stopped"), t.out)
            self.assertTrue(t.read_until("host$ "), t.out)
            t.send("fg\n")
            time.sleep(0.3)
            t.send("hello\n")
            self.assertTrue(t.read_until("got-hello"), t.out)
        finally:
            t.close()

    def test_a_background_glovebox_runs_to_its_end(self):
        t = self.host_shell()
        try:
            t.send("$GB sh -c 'sleep 0.5; echo bg-$((40+2))' &\n")
            t.send("wait; echo waited-$((1+1))\n")
            self.assertTrue(t.read_until("waited-2"), t.out)
            self.assertIn(b"bg-42", t.out)
            self.assertNotIn(b"Stopped", t.out)
        finally:
            t.close()

    def test_fg_gives_a_background_glovebox_the_keys(self):
        t = self.host_shell()
        try:
            t.send("$GB cat &\n")
            time.sleep(0.7)
            t.send("fg\n")
            time.sleep(0.7)
            t.send("typed\n")
            time.sleep(0.3)
            t.send("\x04")
            time.sleep(0.5)
            t.send("echo rc-$((1+1))-$?\n")
            self.assertTrue(t.read_until("rc-2-0"), t.out)
            self.assertEqual(t.out.count(b"typed\r\n"), 2, t.out)  # the echo, and cat
        finally:
            t.close()

    def test_ctrl_c_stops_the_shell_loop_around_it(self):
        t = self.host_shell()
        try:
            t.send("for i in 1 2 3; do $GB sleep 3; echo next-$i; done\n")
            time.sleep(0.8)
            t.send("\x03")
            time.sleep(0.5)
            t.send("echo after-$((2+3))\n")
            self.assertTrue(t.read_until("after-5"), t.out)
            self.assertNotIn(b"next-", t.out.replace(b"echo next-", b""))
        finally:
            t.close()

    def test_the_window_size_follows_the_terminal(self):
        t = self.host_shell()
        try:
            t.resize(24, 80)
            t.send("$GB sh -c 'stty size; read x; stty size'\n")
            self.assertTrue(t.read_until("24 80"), t.out)
            t.resize(33, 101)
            time.sleep(0.2)
            t.send("\n")
            self.assertTrue(t.read_until("33 101"), t.out)
        finally:
            t.close()

    def test_without_a_terminal_the_sandbox_has_no_controlling_terminal(self):
        # glovebox runs in a terminal, but none of its descriptors is one:
        # the command must not reach the terminal through /dev/tty.
        argv = self.wrapped([self.stage.glovebox, "--", "python3", "-c",
                             "import os\ntry:\n os.open('/dev/tty', os.O_RDWR)\n print('tty-open')\n"
                             "except OSError as e:\n print('tty-' + str(e.errno))"])
        pid, fd = pty.fork()
        if pid == 0:
            r, w = os.pipe()
            null = os.open("/dev/null", os.O_RDWR)
            os.dup2(null, 0)
            os.dup2(w, 2)
            out = os.open(self.stage.path("notty-%s.out" % self.who.name),
                          os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
            os.dup2(out, 1)
            os.execve(argv[0], argv, self.who.env())
        _, status = os.waitpid(pid, 0)
        os.close(fd)
        with open(self.stage.path("notty-%s.out" % self.who.name)) as f:
            self.assertEqual(f.read().strip(), "tty-6")  # ENXIO: no controlling terminal

    def test_terminal_host_shares_the_users_terminal(self):
        t = self.host_shell()
        try:
            # The user's own pty is not in the sandbox's devpts: ttyname
            # cannot name it, and the command is in the user's session.
            t.send("$GB_HOST /probe ttyname; $GB_HOST python3 -c "
                   "'import os; print(\"same-\" + \"session\", os.getsid(0) != 1)'\n")
            self.assertTrue(t.read_until("same-session "), t.out)
            self.assertIn(b"ENODEV", t.out)
            self.assertIn(b"same-session True", t.out)
        finally:
            t.close()


if __name__ == "__main__":
    main()
