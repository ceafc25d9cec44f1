# SPDX-License-Identifier: LGPL-2.1-or-later
"""Landlock, the second fence: file rules that mirror the mounts, so that
nothing outside them is reachable even through a descriptor that leads out;
TCP ports; and scoping, which keeps the sandbox from the host's abstract
unix sockets and from signalling processes outside it, even where a profile
shares the host's network or pid namespace."""
import os
import pty
import re
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


# Opens NAME in the directory on descriptor 5 (a descriptor that leads out
# of the sandbox's mounts), for reading and for writing.
THROUGH_FD = ("import os, sys\n"
              "for mode, flags in (('read', os.O_RDONLY), ('write', os.O_WRONLY)):\n"
              "    try:\n"
              "        os.close(os.open(sys.argv[1], flags, dir_fd=5)); print(mode, 'ok')\n"
              "    except OSError as e:\n"
              "        print(mode, 'refused', e.errno)\n")


@both
class Files:
    def setUp(self):
        if landlock_abi() < 1:
            self.skipTest("the kernel has no Landlock")

    def host_dir(self, name):
        """A directory of the user's outside the sandbox's mounts, holding
        a file f."""
        d = self.stage.path("%s-%s" % (name, self.who.name))
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "f"), "w") as f:
            f.write("host\n")
        for p in (d, os.path.join(d, "f")):
            self.who.chown(p)
        return d

    def through_fd(self, d, *opts):
        """Run THROUGH_FD on a descriptor of d passed in as stdin."""
        fd = os.open(d, os.O_RDONLY | os.O_DIRECTORY)
        self.addCleanup(os.close, fd)
        r = self.gb(*opts, cmd=["sh", "-c", 'exec 5<&0 </dev/null; exec python3 -c "$0" f',
                                THROUGH_FD], probe=False, stdin=fd)
        return r.stdout.split("\n")[:2]

    def test_a_descriptor_that_leads_out_of_the_mounts_reaches_nothing(self):
        d = self.host_dir("outside")
        self.assertEqual(self.through_fd(d), ["read refused 13", "write refused 13"])
        self.assertEqual(self.through_fd(d, "--landlock-fs", "no"), ["read ok", "write ok"])

    def test_a_read_only_bind_is_read_only_to_landlock_too(self):
        # The descriptor is the host's writable mount of the directory that
        # the sandbox has read-only: Landlock, not the mount, refuses the
        # write.
        d = self.host_dir("shown-ro")
        self.assertEqual(self.through_fd(d, "--ro-bind", d, "/data"),
                         ["read ok", "write refused 13"])
        d = self.host_dir("shown-rw")
        self.assertEqual(self.through_fd(d, "--bind", d, "/data"), ["read ok", "write ok"])

    def test_dev_and_proc_give_what_programs_need_and_nothing_more(self):
        script = ("echo x > /dev/null && echo null-ok; "
                  "echo x > /dev/shm/a && echo shm-ok; "
                  "echo 0 > /proc/self/oom_score_adj && echo proc-ok; "
                  "head -c1 /dev/urandom >/dev/null && echo urandom-ok; "
                  "touch /dev/new 2>/dev/null || echo dev-refused")
        r = self.gb(cmd=["sh", "-c", script], probe=False)
        self.assertEqual(r.stdout.split(), ["null-ok", "shm-ok", "proc-ok", "urandom-ok",
                                            "dev-refused"], r.stderr)

    def test_a_terminal_opened_inside_takes_terminal_ioctls(self):
        # /dev/tty opened after the rules apply: its ioctls need the dev's
        # ioctl-dev right (Landlock ABI 5)
        if landlock_abi() < 5:
            self.skipTest("the kernel has Landlock ABI %d; device ioctls need 5"
                          % landlock_abi())
        script = ("import os, termios\n"
                  "fd = os.open('/dev/tty', os.O_RDWR)\n"
                  "termios.tcsetattr(fd, termios.TCSANOW, termios.tcgetattr(fd))\n"
                  "print('tty', os.ttyname(fd), 'ioctls-ok')\n")
        argv = self.who.wrap([self.stage.glovebox, "--", "python3", "-c", script])
        if argv[0] == "setpriv":
            argv[0] = "/usr/bin/setpriv"
        pid, fd = pty.fork()
        if pid == 0:
            os.chdir(self.stage.work)
            os.execve(argv[0], argv, self.who.env())
        out = b""
        try:
            while chunk := os.read(fd, 4096):  # EIO once the pty's last user is gone
                out += chunk
        except OSError:
            pass
        os.waitpid(pid, 0)
        os.close(fd)
        self.assertIn(b"ioctls-ok", out, out)

    def test_standard_descriptors_reopen_as_they_were_given(self):
        # glovebox -- cmd < in > out: /dev/stdout reaches out, /dev/stdin
        # reaches in for reading only, though both are outside the mounts
        paths = [self.stage.path("stdio-%s-%s" % (n, self.who.name)) for n in ("in", "out")]
        for p, text in zip(paths, ("input\n", "")):
            with open(p, "w") as f:
                f.write(text)
            self.who.chown(p)
        script = ("echo x >> /dev/stdin 2>/dev/null || echo stdin-not-writable >> /dev/stdout; "
                  "cat /dev/stdin >> /dev/stdout")
        with open(paths[0]) as fin, open(paths[1], "a") as fout:
            r = subprocess.run(self.who.wrap([self.stage.glovebox, "--", "sh", "-c", script]),
                               stdin=fin, stdout=fout, stderr=subprocess.PIPE, text=True,
                               env=self.who.env(), cwd=self.stage.work, timeout=60)
        with open(paths[1]) as f:
            self.assertEqual(f.read(), "stdin-not-writable\ninput\n", r.stderr)
        with open(paths[0]) as f:
            self.assertEqual(f.read(), "input\n")

    def test_files_tmpfs_and_the_home_keep_working(self):
        script = ("cat /motd-gb && echo x > /tmp/a && mkdir /tmp/d && mv /tmp/a /tmp/d/ && "
                  "ln -s a /tmp/d/l && mkfifo /tmp/p && echo x > ~/h && rm ~/h && "
                  "truncate -s 0 /tmp/d/a && echo ok")
        r = self.gb("--file-text", "/motd-gb", "hi\n", cmd=["sh", "-c", script], probe=False)
        self.assertEqual(r.stdout.split(), ["hi", "ok"], r.stderr)

    def test_explain_lists_the_rules_with_the_mounts_they_come_from(self):
        r = self.run_as([self.stage.glovebox, "--ro-bind", "/srv", "/x", "explain"])
        self.assertIn("landlock-fs        yes (Landlock ABI %d: enforced)" % landlock_abi(),
                      r.stdout)
        self.assertRegex(r.stdout, r"\n    /usr +read list exec +# ro-bind /usr \(default")
        self.assertRegex(r.stdout, r"\n    /x +read list exec +# ro-bind /x \(command line")
        self.assertRegex(r.stdout, r"\n    /tmp +all but make-char make-block +# tmpfs /tmp")
        self.assertIn("older kernels      each needs its ABI: renames and links across "
                      "directories (refused outright before) (ABI 2), truncation (ABI 3), TCP "
                      "ports (ABI 4), device ioctls (ABI 5), scoping (ABI 6)", r.stdout)
        r = self.run_as([self.stage.glovebox, "--landlock-fs", "no", "explain"])
        self.assertIn("landlock-fs        no", r.stdout)
        self.assertNotIn("Landlock rules", r.stdout)


TCP = ("import socket, sys\n"
       "for port in sys.argv[2:]:\n"
       "    s = socket.socket()\n"
       "    try:\n"
       "        getattr(s, sys.argv[1])(('127.0.0.1', int(port))); print(port, 'ok')\n"
       "    except OSError as e:\n"
       "        print(port, 'refused', e.errno)\n")


@both
class TcpPorts:
    def setUp(self):
        if landlock_abi() < 4:
            self.skipTest("the kernel has Landlock ABI %d; TCP rules need 4 (Linux 6.7)"
                          % landlock_abi())

    def server(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.listen(8)
        self.addCleanup(s.close)
        return s.getsockname()[1]

    def test_only_the_listed_ports_can_be_connected_to(self):
        allowed, other = self.server(), self.server()
        r = self.gb("--network", "host", "--tcp-connect", str(allowed),
                    cmd=["python3", "-c", TCP, "connect", str(allowed), str(other)], probe=False)
        self.assertEqual(r.stdout.splitlines(), ["%d ok" % allowed, "%d refused 13" % other],
                         r.stderr)

    def test_none_refuses_every_connection_and_any_every_port(self):
        port = self.server()
        r = self.gb("--network", "host", "--tcp-connect", "none",
                    cmd=["python3", "-c", TCP, "connect", str(port)], probe=False)
        self.assertEqual(r.stdout.strip(), "%d refused 13" % port, r.stderr)
        r = self.gb("--network", "host", "--tcp-connect", "any",
                    cmd=["python3", "-c", TCP, "connect", str(port)], probe=False)
        self.assertEqual(r.stdout.strip(), "%d ok" % port, r.stderr)

    def test_only_the_listed_ports_can_be_bound(self):
        r = self.gb("--tcp-bind", "8080", cmd=["python3", "-c", TCP, "bind", "8080", "8081"],
                    probe=False)
        self.assertEqual(r.stdout.splitlines(), ["8080 ok", "8081 refused 13"], r.stderr)

    def test_explain_shows_the_ports(self):
        r = self.run_as([self.stage.glovebox, "--tcp-connect", "443,80", "explain"])
        self.assertIn("tcp-connect        443 80 (enforced)", r.stdout)
        self.assertIn("tcp-bind           any", r.stdout)


# Runs its arguments where no user namespace can be made: a user namespace
# of its own (the caller's ids mapped to themselves) whose
# user.max_user_namespaces is 0 (setgroups denied, as a mapping of one's
# own gid needs); exec takes the capabilities of a user other than root.
NO_USERNS = ("import ctypes, os, sys\n"
             "libc = ctypes.CDLL(None, use_errno=True)\n"
             "uid, gid = os.getuid(), os.getgid()\n"
             "if libc.unshare(0x10000000) != 0:\n"
             "    print('unshare: ' + os.strerror(ctypes.get_errno())); sys.exit(99)\n"
             "def put(path, text):\n"
             "    with open(path, 'w') as f:\n"
             "        f.write(text)\n"
             "put('/proc/self/uid_map', '%d %d 1' % (uid, uid))\n"
             "put('/proc/self/setgroups', 'deny')\n"
             "put('/proc/self/gid_map', '%d %d 1' % (gid, gid))\n"
             "put('/proc/sys/user/max_user_namespaces', '0')\n"
             "os.execv(sys.argv[1], sys.argv[1:])\n")


@both
class Fallback:
    def setUp(self):
        if landlock_abi() < 1:
            self.skipTest("the kernel has no Landlock")

    def without_userns(self, *args, cmd):
        argv = ["python3", "-c", NO_USERNS, self.stage.glovebox] + list(args) + ["--"] + cmd
        r = self.run_as(argv)
        if r.returncode == 99:
            self.skipTest("no user namespace to make them unavailable in: " + r.stdout)
        return r

    def test_without_the_key_glovebox_fails_closed(self):
        r = self.without_userns(cmd=["true"])
        self.assertEqual(r.returncode, 125, r.stderr)
        self.assertIn("user.max_user_namespaces is 0", r.stderr)

    def test_the_fallback_runs_fenced_and_says_what_is_weaker(self):
        secret = self.stage.path("fallback-secret-" + self.who.name)
        with open(secret, "w") as f:
            f.write("secret\n")
        self.who.chown(secret)
        script = ("head -c4 /usr/bin/env >/dev/null && echo usr-ok; "
                  "cat %s 2>/dev/null || echo secret-refused; "
                  "touch /etc/x 2>/dev/null || echo etc-refused; "
                  "grep -E '^(NoNewPrivs|Seccomp|CapEff):' /proc/self/status" % secret)
        r = self.without_userns("--fallback", "landlock", cmd=["sh", "-c", script])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.split("\n")[:3], ["usr-ok", "secret-refused", "etc-refused"],
                         r.stderr)
        self.assertRegex(r.stdout, r"NoNewPrivs:\s+1")
        self.assertRegex(r.stdout, r"Seccomp:\s+2")
        self.assertRegex(r.stdout, r"CapEff:\s+0+\n")
        lines = r.stderr.splitlines()
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertIn("running without namespaces (fallback = landlock), weaker than the full "
                      "sandbox: the host's processes, network, IPC and host name are shared",
                      lines[0])
        self.assertIn("user.max_user_namespaces is 0", lines[0])

    def test_the_fallback_keeps_a_writable_bind_writable(self):
        d = self.stage.path("fallback-rw-" + self.who.name)
        os.makedirs(d, exist_ok=True)
        self.who.chown(d)
        r = self.without_userns("--fallback", "landlock", "--bind", d, "/data",
                                cmd=["sh", "-c", "echo x > %s/f && echo ok" % d])
        self.assertEqual(r.stdout.strip(), "ok", r.stderr)

    def test_explain_lists_the_rules_at_the_hosts_paths(self):
        d = self.stage.path("fallback-explain-" + self.who.name)
        os.makedirs(d, exist_ok=True)
        r = self.run_as([self.stage.glovebox, "--fallback", "landlock", "--bind", d, "/data",
                         "explain"])
        self.assertIn("fallback           landlock", r.stdout)
        host = r.stdout.split("without namespaces (fallback = landlock), at the host's paths:")
        self.assertEqual(len(host), 2, r.stdout)
        self.assertRegex(host[1], re.escape(d) + r" +all but make-char make-block +# bind /data")
        self.assertRegex(host[1], r"\n    /usr +read list exec +# ro-bind /usr")
        self.assertNotRegex(host[1], r"\n    /tmp ")

    def test_a_bind_that_would_show_glovebox_state_is_refused(self):
        r = self.without_userns("--fallback", "landlock", "--home", "rw", cmd=["true"])
        self.assertEqual(r.returncode, 125, r.stderr)
        self.assertIn("without namespaces, glovebox's own state", r.stderr)


if __name__ == "__main__":
    main()
