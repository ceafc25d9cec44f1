# SPDX-License-Identifier: LGPL-2.1-or-later
"""network = user: pasta connects the sandbox to the host's network, forwards
ports into it, and lives exactly as long as the sandbox. Everything runs on
the host's loopback."""
import os
import shutil
import signal
import socket
import subprocess
import threading

from gbtest import both, children, main, wait_for

# Connects to HOST PORT and prints what the server says.
CONNECT = ("import socket, sys\n"
           "c = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10)\n"
           "print(c.recv(100).decode())\n")
# Serves one TCP client (or answers one UDP datagram) on PORT.
SERVE_TCP = ("import socket, sys\n"
             "s = socket.socket()\n"
             "s.bind(('0.0.0.0', int(sys.argv[1]))); s.listen()\n"
             "print('listening', flush=True)\n"
             "c, _ = s.accept(); c.sendall(b'hello from inside')\n")
SERVE_UDP = ("import socket, sys\n"
             "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
             "s.bind(('0.0.0.0', int(sys.argv[1])))\n"
             "print('listening', flush=True)\n"
             "d, a = s.recvfrom(100); s.sendto(b'pong ' + d, a)\n")


def host_gateway():
    """The host's IPv4 default gateway: pasta maps it to the host's loopback
    (its --map-gw default), so a server on 127.0.0.1 answers there."""
    with open("/proc/net/route") as f:
        for line in f.readlines()[1:]:
            fields = line.split()
            if fields[1] == "00000000":
                return socket.inet_ntoa(int(fields[2], 16).to_bytes(4, "little"))
    return None


def free_port(kind=socket.SOCK_STREAM):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def loopback_server(greeting):
    """A TCP server on the host's 127.0.0.1 that greets every client; its port."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()

    def serve():
        while True:
            try:
                c, _ = srv.accept()
            except OSError:
                return
            c.sendall(greeting)
            c.close()
    threading.Thread(target=serve, daemon=True).start()
    return srv


def running(pid):
    """Alive, not a zombie waiting for init to reap it."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def is_pasta(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return f.read().split(b"\0")[0] == b"pasta"
    except OSError:
        return False


@both
class UserNetwork:
    def setUp(self):
        if not shutil.which("pasta", path=self.who.env()["PATH"]):
            self.skipTest("pasta is not installed (apt-get install passt)")
        r = self.run_as(["/bin/sh", "-c", "test -r /dev/net/tun && test -w /dev/net/tun"])
        if r.returncode != 0:
            self.skipTest("%s may not open /dev/net/tun here (mode %o), which pasta needs" %
                          (self.who.name, os.stat("/dev/net/tun").st_mode & 0o7777)
                          if os.path.exists("/dev/net/tun") else "no /dev/net/tun here")
        self.gateway = host_gateway()
        if not self.gateway:
            self.skipTest("the host has no IPv4 default route, so pasta has no gateway")

    def connect(self, mode, host, port):
        return self.gb("--network", mode, cmd=["python3", "-c", CONNECT, host, str(port)],
                       probe=False, timeout=120)

    def test_the_hosts_loopback_answers_at_the_gateway_with_user_only(self):
        srv = loopback_server(b"hello from the host")
        self.addCleanup(srv.close)
        port = srv.getsockname()[1]
        r = self.connect("user", self.gateway, port)
        self.assertOk(r)
        self.assertEqual(r.stdout.strip(), "hello from the host")
        r = self.connect("none", self.gateway, port)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("Network is unreachable", r.stderr)

    def test_the_sandboxs_loopback_is_its_own(self):
        # pasta's default would mirror every port the host listens on at
        # the sandbox's own 127.0.0.1.
        srv = loopback_server(b"hello from the host")
        self.addCleanup(srv.close)
        r = self.connect("user", "127.0.0.1", srv.getsockname()[1])
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("Connection refused", r.stderr)

    def test_a_pasta_that_cannot_start_is_said_and_nothing_runs(self):
        taken = socket.socket()
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        self.addCleanup(taken.close)
        port = taken.getsockname()[1]
        r = self.gb("--network", "user", "--forward", "127.0.0.1:%d:80" % port,
                    cmd=["/bin/sh", "-c", "echo ran"], probe=False, timeout=120)
        self.assertEqual(r.returncode, 125)
        self.assertEqual(r.stdout, "")
        # pasta's own words, once, passed on as glovebox's
        lines = [l for l in r.stderr.splitlines() if "pasta" in l]
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertRegex(lines[0], r"^glovebox: pasta: .*127\.0\.0\.1/%d:80" % port)

    def start(self, *opts, cmd):
        argv = self.who.wrap([self.stage.glovebox] + list(opts) + ["--"] + cmd)
        p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=self.who.env(),
                             cwd=self.stage.work)
        self.addCleanup(lambda: p.poll() is not None or (p.kill(), p.communicate()))
        return p

    def test_a_forwarded_tcp_port_reaches_a_server_inside(self):
        port = free_port()
        p = self.start("--network", "user", "--forward", "127.0.0.1:%d:8000" % port,
                       cmd=["python3", "-c", SERVE_TCP, "8000"])
        self.assertEqual(p.stdout.readline().strip(), "listening")
        with socket.create_connection(("127.0.0.1", port), timeout=10) as c:
            self.assertEqual(c.recv(100), b"hello from inside")
        p.communicate(timeout=30)
        self.assertEqual(p.returncode, 0)

    def test_a_forwarded_udp_port_reaches_a_server_inside(self):
        # The same port on both sides: pasta 2023.03 (Debian 12) loses the
        # replies of a UDP port it translates for a client on loopback.
        port = free_port(socket.SOCK_DGRAM)
        p = self.start("--network", "user", "--forward", "127.0.0.1:%d:%d/udp" % (port, port),
                       cmd=["python3", "-c", SERVE_UDP, str(port)])
        self.assertEqual(p.stdout.readline().strip(), "listening")
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as c:
            c.settimeout(10)
            c.sendto(b"ping", ("127.0.0.1", port))
            self.assertEqual(c.recv(100), b"pong ping")
        p.communicate(timeout=30)
        self.assertEqual(p.returncode, 0)

    def pasta_of(self, p):
        """The pasta serving the sandbox of glovebox p (setpriv execs glovebox)."""
        self.assertEqual(p.stdout.readline().strip(), "ready")
        found = [c for c in children(p.pid) if is_pasta(c)]
        self.assertEqual(len(found), 1, "glovebox's children: %s" % children(p.pid))
        return found[0]

    def test_pasta_ends_with_the_sandbox(self):
        p = self.start("--network", "user", cmd=["/bin/sh", "-c", "echo ready; read x"])
        pasta = self.pasta_of(p)
        self.assertTrue(running(pasta))
        p.communicate("done\n", timeout=30)
        self.assertEqual(p.returncode, 0)
        self.assertFalse(running(pasta))

    def test_pasta_dies_with_glovebox_after_kill_9(self):
        p = self.start("--network", "user", cmd=["/bin/sh", "-c", "echo ready; exec sleep 60"])
        pasta = self.pasta_of(p)
        os.kill(p.pid, signal.SIGKILL)
        p.communicate(timeout=30)
        self.assertTrue(wait_for(lambda: not running(pasta), timeout=10),
                        "pasta %d outlived glovebox" % pasta)

    def test_pasta_has_a_session_of_its_own(self):
        # pasta has a session of its own: the terminal's signals reach the
        # command (through glovebox), not the network it still needs.
        p = self.start("--network", "user", cmd=["/bin/sh", "-c", "echo ready; read x"])
        pasta = self.pasta_of(p)
        self.assertNotEqual(os.getsid(pasta), os.getsid(p.pid))
        p.communicate("done\n", timeout=30)


@both
class UserNetworkRefused:
    def test_a_missing_pasta_is_said_in_one_line(self):
        # glovebox looks pasta up on its own PATH, here one without it
        r = self.run_as(["/usr/bin/env", "PATH=" + self.stage.bin, self.stage.glovebox,
                         "--network", "user", "--", "/bin/true"])
        self.assertEqual(r.returncode, 125)
        self.assertEqual(r.stderr, "glovebox: command line: --network: user needs pasta, which "
                                   "is not installed (Debian and Ubuntu: apt-get install "
                                   "passt)\n")

    def test_a_tun_device_out_of_reach_is_said_in_one_line(self):
        r = self.run_as(["/bin/sh", "-c", "test -r /dev/net/tun && test -w /dev/net/tun"])
        if r.returncode == 0 or not os.path.exists("/dev/net/tun"):
            self.skipTest("%s may open /dev/net/tun here" % self.who.name)
        r = self.gb("--network", "user", cmd=["/bin/true"], probe=False)
        self.assertEqual(r.returncode, 125)
        self.assertRegex(r.stderr, r"^glovebox: command line: --network: user needs "
                                   r"/dev/net/tun, which you may not open \(its mode is 0[0-7]+ "
                                   r"here; udev's usual rule makes it 0666\)\n$")

    def test_forwards_need_user(self):
        r = self.gb("--network", "none", "--forward", "8080:80", cmd=["/bin/true"],
                    probe=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("forward needs network = user, and network is none", r.stderr)

    def test_explain_shows_the_mode_and_the_forwards(self):
        p = self.profile("web", "[where]\nnetwork = user\nforward = 8080:80\n"
                                "  127.0.0.1:5353:53/udp\n")
        r = self.run_as([self.stage.glovebox, "-p", p, "explain"])
        self.assertOk(r)
        self.assertRegex(r.stdout, r"network +user \(own namespace, joined to the host's "
                                   r"network by pasta\) +# .*web\.ini:2")
        self.assertRegex(r.stdout, r"forward +tcp \*:8080 -> 80 +# .*web\.ini:3")
        self.assertRegex(r.stdout, r"forward +udp 127\.0\.0\.1:5353 -> 53 +# .*web\.ini:3")
        self.assertIn("new namespaces: user mount pid ipc uts cgroup net\n", r.stdout)


if __name__ == "__main__":
    main()
