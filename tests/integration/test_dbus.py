# SPDX-License-Identifier: LGPL-2.1-or-later
"""[dbus]: the session bus through xdg-dbus-proxy's filter. Each test starts
a private dbus-daemon, as the user who runs the sandbox, with a service that
owns two names; the sandbox may talk to one of them."""
import os
import shutil
import signal
import socket
import subprocess
import uuid

from gbtest import both, landlock_abi, main, wait_for

GRANTED = "org.example.Granted"
HIDDEN = "org.example.Hidden"

# Owns the names it is given and serves org.freedesktop.DBus.Peer (which
# GDBus answers by itself) until it is killed.
SERVICE = ("import sys\n"
           "from gi.repository import Gio, GLib\n"
           "c = Gio.bus_get_sync(Gio.BusType.SESSION)\n"
           "for n in sys.argv[1:]:\n"
           "    c.call_sync('org.freedesktop.DBus', '/org/freedesktop/DBus',\n"
           "                'org.freedesktop.DBus', 'RequestName', GLib.Variant('(su)', (n, 4)),\n"
           "                None, 0, -1, None)\n"
           "print('ready', flush=True)\n"
           "GLib.MainLoop().run()\n")


def ping(name):
    return ["gdbus", "call", "--session", "--timeout", "5", "--dest", name, "--object-path", "/",
            "--method", "org.freedesktop.DBus.Peer.Ping"]


LIST_NAMES = ["gdbus", "call", "--session", "--timeout", "5", "--dest", "org.freedesktop.DBus",
              "--object-path", "/org/freedesktop/DBus", "--method",
              "org.freedesktop.DBus.ListNames"]


def alive(pid):
    """Running, not a zombie waiting to be reaped."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def proxies_for(marker):
    """The live xdg-dbus-proxy processes whose arguments name marker."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                args = f.read().split(b"\0")
        except OSError:
            continue
        if args[0].endswith(b"xdg-dbus-proxy") and any(marker.encode() in a for a in args) \
                and alive(int(pid)):
            found.append(int(pid))
    return found


class Bus:
    """The test's own session bus, its service, and the environment that
    points glovebox at them."""

    def __init__(self, case):
        for tool in ("dbus-daemon", "gdbus", "xdg-dbus-proxy"):
            if not shutil.which(tool):
                case.skipTest("%s is not installed" % tool)
        # the service's python3, on the PATH the test's user has
        if case.run_as(["python3", "-c", "import gi"]).returncode != 0:
            case.skipTest("python3-gi is not installed")
        self.dir = case.stage.path("dbus-%s" % uuid.uuid4().hex[:10])
        self.runtime = os.path.join(self.dir, "rt")
        os.makedirs(self.runtime)
        for d in (self.dir, self.runtime):
            os.chmod(d, 0o700)
            case.who.chown(d)
        self.address = "unix:path=%s/bus" % self.dir
        self.env = {"DBUS_SESSION_BUS_ADDRESS": self.address, "XDG_RUNTIME_DIR": self.runtime}
        self.daemon = self.spawn(case, ["dbus-daemon", "--session", "--nofork",
                                        "--address=" + self.address, "--print-address"])
        self.daemon.stdout.readline()
        self.service = self.spawn(case, ["python3", "-c", SERVICE, GRANTED, HIDDEN])
        case.assertEqual(self.service.stdout.readline().strip(), "ready")

    def spawn(self, case, argv):
        p = subprocess.Popen(case.who.wrap(argv), stdout=subprocess.PIPE, text=True,
                             stderr=subprocess.DEVNULL, env=case.who.env(self.env),
                             cwd=case.stage.work)
        case.addCleanup(lambda: (p.kill(), p.wait()))
        return p


@both
class FilteredSessionBus:
    def setUp(self):
        self.bus = Bus(self)

    def run_in(self, *opts, cmd):
        return self.gb(*opts, cmd=cmd, probe=False, env=self.bus.env)

    def test_the_service_answers_outside(self):
        # the probe's own proof: both names answer without a sandbox
        for name in (GRANTED, HIDDEN):
            self.assertOk(self.run_as(ping(name), env=self.bus.env))

    def test_a_granted_name_answers(self):
        r = self.run_in("--dbus-talk", GRANTED, cmd=ping(GRANTED))
        self.assertOk(r)
        self.assertIn("()", r.stdout)

    def test_a_name_not_granted_is_not_even_listed(self):
        r = self.run_in("--dbus-talk", GRANTED, cmd=LIST_NAMES)
        self.assertOk(r)
        self.assertIn(GRANTED, r.stdout)
        self.assertNotIn(HIDDEN, r.stdout)
        r = self.run_in("--dbus-talk", GRANTED, cmd=ping(HIDDEN))
        self.assertNotEqual(r.returncode, 0)

    def test_see_lists_a_name_without_talking_to_it(self):
        r = self.run_in("--dbus-see", HIDDEN, cmd=["sh", "-c", " ".join(LIST_NAMES) +
                                                    " && exec " + " ".join(ping(HIDDEN))])
        self.assertIn(HIDDEN, r.stdout)
        self.assertNotEqual(r.returncode, 0)

    def test_a_profile_grants_the_same(self):
        prof = self.profile("dbus", "[dbus]\ntalk = %s\n" % GRANTED)
        self.assertOk(self.run_in("-p", prof, cmd=ping(GRANTED)))

    def test_the_socket_sits_at_the_runtime_dirs_bus(self):
        r = self.run_in("--dbus-talk", GRANTED, cmd=["sh", "-c", 'echo "$DBUS_SESSION_BUS_ADDRESS"'
                                                     '; test -S "%s/bus"' % self.bus.runtime])
        self.assertOk(r)
        self.assertEqual(r.stdout.strip(), "unix:path=%s/bus" % self.bus.runtime)

    def test_without_dbus_keys_no_bus_is_reachable(self):
        # The variable passed in by hand still leads nowhere: the host's
        # socket (and its directory) are not in the sandbox.
        r = self.run_in("--setenv", "DBUS_SESSION_BUS_ADDRESS", self.bus.address,
                        cmd=["sh", "-c", "test -e %s/bus || test -e %s/bus || exec %s" %
                             (self.bus.dir, self.bus.runtime, " ".join(ping(GRANTED)))])
        self.assertNotEqual(r.returncode, 0)
        self.assertEqual(r.stdout, "")
        self.assertOk(self.run_in(cmd=["sh", "-c", 'test -z "$DBUS_SESSION_BUS_ADDRESS"']))

    def test_the_system_bus_is_absent_unless_granted(self):
        sock = "/run/dbus/system_bus_socket"
        self.assertNotEqual(self.run_in(cmd=["test", "-e", sock]).returncode, 0)
        if not os.path.exists(sock):
            self.skipTest("the host has no system bus")
        self.assertOk(self.run_in("--dbus-system-bus", "--", cmd=["test", "-S", sock]))

    def test_the_proxy_ends_with_the_sandbox(self):
        p = self.start("--dbus-talk", GRANTED, cmd=["sh", "-c", "echo ready; read x"])
        self.assertEqual(p.stdout.readline().strip(), "ready")
        self.assertEqual(len(proxies_for(self.bus.dir)), 1)
        p.communicate("done\n", timeout=30)
        self.assertEqual(p.returncode, 0)
        self.assertEqual(proxies_for(self.bus.dir), [])
        # its socket and directory went with it
        self.assertEqual([f for f in os.listdir(self.bus.runtime)
                          if f.startswith("glovebox-dbus-")], [])

    def test_the_proxy_dies_with_glovebox_after_kill_9(self):
        p = self.start("--dbus-talk", GRANTED, cmd=["sh", "-c", "echo ready; exec sleep 60"])
        self.assertEqual(p.stdout.readline().strip(), "ready")
        self.assertEqual(len(proxies_for(self.bus.dir)), 1)
        os.kill(p.pid, signal.SIGKILL)
        p.communicate(timeout=30)
        self.assertTrue(wait_for(lambda: not proxies_for(self.bus.dir), timeout=10),
                        "xdg-dbus-proxy outlived glovebox")

    def run_with_dir_made_first(self, make):
        """glovebox started by exec from a shell that first runs make, with
        $D the proxy directory glovebox will want (it keeps the PID)."""
        script = ('D="$XDG_RUNTIME_DIR/glovebox-dbus-$$"; %s && exec "$0" --dbus-talk %s -- %s'
                  % (make, GRANTED, " ".join(ping(GRANTED))))
        return self.run_as(["sh", "-c", script, self.stage.glovebox], env=self.bus.env)

    def test_a_directory_left_by_a_killed_glovebox_of_the_same_pid_is_replaced(self):
        # kill -9 leaves glovebox-dbus-PID behind; a later glovebox given
        # the same PID must not fail on it
        r = self.run_with_dir_made_first('mkdir -m 700 "$D" && : > "$D/bus"')
        self.assertOk(r)
        self.assertEqual([f for f in os.listdir(self.bus.runtime)
                          if f.startswith("glovebox-dbus-")], [])

    def test_a_directory_that_is_not_a_stale_one_fails_the_start(self):
        for make in ('mkdir -m 755 "$D"',                        # not 0700
                     'mkdir -m 700 "$D" && : > "$D/other"',      # holds something else
                     'mkdir -m 700 "$D.x" && ln -s "$D.x" "$D"'):  # a link
            r = self.run_with_dir_made_first(make)
            self.assertEqual(r.returncode, 125, make)
            self.assertIn("glovebox-dbus-", r.stderr)

    def test_a_missing_proxy_fails_closed(self):
        # glovebox looks the proxy up on its own PATH, here one without it
        r = self.run_as(["/usr/bin/env", "PATH=" + self.stage.bin, self.stage.glovebox,
                         "--dbus-talk", GRANTED, "--", "/bin/true"], env=self.bus.env)
        self.assertEqual(r.returncode, 125)
        self.assertEqual(len(r.stderr.splitlines()), 1, r.stderr)
        self.assertIn("xdg-dbus-proxy", r.stderr)

    def test_a_bad_name_is_a_usage_error(self):
        r = self.run_in("--dbus-talk", "not a name", cmd=["true"])
        self.assertEqual(r.returncode, 2)
        r = self.run_in("--dbus-call", GRANTED, cmd=["true"])
        self.assertEqual(r.returncode, 2)
        self.assertIn("NAME=[METHOD][@PATH]", r.stderr)

    def start(self, *opts, cmd):
        argv = self.who.wrap([self.stage.glovebox] + list(opts) + ["--"] + cmd)
        p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=self.who.env(self.bus.env),
                             cwd=self.stage.work)
        self.addCleanup(lambda: p.poll() is not None or (p.kill(), p.communicate()))
        return p


# Connects to the abstract unix socket argv[1]; says whether it could.
CONNECT_ABSTRACT = ("import socket, sys\n"
                    "s = socket.socket(socket.AF_UNIX)\n"
                    "try:\n"
                    "    s.connect('\\0' + sys.argv[1]); print('connected')\n"
                    "except OSError as e:\n"
                    "    print('refused', e.errno)\n")


@both
class AbstractBus:
    def test_an_abstract_socket_bus_is_unreachable_with_the_host_network(self):
        # A bus at unix:abstract= lives in the network namespace: with
        # network = host only Landlock's scoping (ABI 6) keeps it out.
        if landlock_abi() < 6:
            self.skipTest("Landlock ABI %d: no scoping of abstract sockets" % landlock_abi())
        name = "gbtest-bus-%s" % uuid.uuid4().hex
        srv = socket.socket(socket.AF_UNIX)
        srv.bind("\0" + name)
        srv.listen()
        self.addCleanup(srv.close)
        outside = self.run_as(["python3", "-c", CONNECT_ABSTRACT, name])
        self.assertEqual(outside.stdout.strip(), "connected")
        r = self.gb("--network", "host", probe=False,
                    cmd=["python3", "-c", CONNECT_ABSTRACT, name])
        self.assertOk(r)
        self.assertTrue(r.stdout.startswith("refused"), r.stdout)


if __name__ == "__main__":
    main()
