#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Desktop applications: the [desktop] grants and the shipped app profiles,
with real apps drawing real windows on servers the test starts.

X11: Xvfb on a free display, run as the test's user, with a cookie of its
own in that user's ~/.Xauthority. A window counts as drawn when
`xwininfo -root -tree` lists a mapped window of the app's class larger
than a placeholder. Wayland: weston with its X11 backend on that Xvfb (the
headless backend has no seat, and foot refuses to start without one); the
client's own WAYLAND_DEBUG log shows the xdg_toplevel it made, the
compositor configuring it, and a buffer attached and committed. Sound:
PulseAudio with a null sink in a runtime directory of the test's own."""

import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import time
import unittest
import wave

from gbtest import IS_ROOT, both, main, wait_for

# How long a loaded machine may take to show a window.
WINDOW_WAIT = 40


def have(*progs):
    return all(shutil.which(p) for p in progs)


def free_display():
    for n in range(60, 200):
        if not os.path.exists("/tmp/.X11-unix/X%d" % n) and \
                not os.path.exists("/tmp/.X%d-lock" % n):
            return n
    raise unittest.SkipTest("no free X display number")


def read(path):
    with open(path) as f:
        return f.read()


def write_pdf(path):
    """A one-page PDF with a line of text, its xref offsets counted."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            None,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    text = b"BT /F1 18 Tf 20 100 Td (glovebox) Tj ET"
    objs[3] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text)
    out = b"%PDF-1.4\n"
    offsets = []
    for i, o in enumerate(objs):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i + 1, o)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    with open(path, "wb") as f:
        f.write(out)


def write_wav(path, seconds=0.3):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"".join(struct.pack("<h", (i % 40) * 500 - 10000)
                               for i in range(int(8000 * seconds))))


class Session:
    """The servers of one test class, run as its user."""

    def __init__(self, case):
        self.case = case
        self.procs = []

    def start(self, argv, env, log, as_user=True):
        out = open(log, "w")
        argv = self.case.who.wrap(argv) if as_user else argv
        p = subprocess.Popen(argv, env=self.case.who.env(env),
                             stdout=out, stderr=subprocess.STDOUT, cwd=self.case.stage.work)
        out.close()
        self.procs.append(p)
        return p

    def stop(self):
        for p in reversed(self.procs):
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()


class DesktopCase:
    """Xvfb (and what else a class asks for) for the class's user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not have("Xvfb", "xauth", "xwininfo"):
            raise unittest.SkipTest("Xvfb, xauth or xwininfo missing (tools/install-deps)")
        if not os.path.isdir("/tmp/.X11-unix"):
            os.mkdir("/tmp/.X11-unix")
            os.chmod("/tmp/.X11-unix", 0o1777)
        cls.session = Session(cls)
        cls.display = free_display()
        cls.dpy = ":%d" % cls.display
        cls.xauth = os.path.join(cls.who.home, ".Xauthority")
        cookie = os.urandom(16).hex()
        # The server's cookie, and one of another display that the sandbox
        # must not get.
        for entry in ([cls.dpy, ".", cookie], ["otherhost/unix:7", ".", os.urandom(16).hex()]):
            subprocess.run(cls.who.wrap(["xauth", "-q", "-f", cls.xauth, "add"] + entry),
                           env=cls.who.env(), check=True, cwd=cls.stage.work)
        # Xvfb needs /tmp writable for its lock file, which it is not here
        # for the unprivileged user: root runs it then, its socket open to
        # all, the user's cookie its only key. -noreset: by default the
        # server resets when its last client leaves, and an app connecting
        # just then (the next test's) is refused.
        cls.session.start(["Xvfb", cls.dpy, "-auth", cls.xauth, "-nolisten", "tcp", "-noreset"] +
                          (["-nolock"] if IS_ROOT else []) + ["-screen", "0", "800x600x24"], {},
                          cls.stage.path("xvfb-%s.log" % cls.who.name), as_user=not IS_ROOT)
        sock = "/tmp/.X11-unix/X%d" % cls.display
        if not wait_for(lambda: os.path.exists(sock), timeout=WINDOW_WAIT):
            cls.session.stop()
            raise unittest.SkipTest("Xvfb did not start")
        cls.x_env = {"DISPLAY": cls.dpy, "XAUTHORITY": cls.xauth}

    @classmethod
    def tearDownClass(cls):
        cls.session.stop()
        super().tearDownClass()

    def windows(self):
        r = self.run_as(["xwininfo", "-root", "-tree"], env=self.x_env)
        return r.stdout

    def window_of(self, wm_class):
        """A line of xwininfo for a window of that class, bigger than 10x10."""
        pat = re.compile(r'\("[^"]*" "%s"\)\s+(\d+)x(\d+)' % re.escape(wm_class))
        for line in self.windows().splitlines():
            m = pat.search(line)
            if m and int(m.group(1)) > 10 and int(m.group(2)) > 10:
                return line
        return None

    def start_app(self, profile, argv, env=None, opts=()):
        e = dict(self.x_env)
        e.update(env or {})
        log = self.stage.path("app-%s-%s.log" % (profile, self.who.name))
        argv = [self.stage.glovebox, "-p", profile] + list(opts) + ["--"] + argv
        out = open(log, "w")
        p = subprocess.Popen(self.who.wrap(argv), env=self.who.env(e), stdout=out,
                             stderr=subprocess.STDOUT, cwd=self.stage.work)
        out.close()
        return p, log

    def stop_app(self, p, log, status=128 + signal.SIGTERM):
        """SIGTERM to glovebox: the app ends with it, with the status it
        gives then (killed by that signal, most)."""
        p.send_signal(signal.SIGTERM)
        try:
            got = p.wait(30)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            self.fail("did not stop on SIGTERM: " + read(log))
        self.assertEqual(got, status, read(log))

    def assert_draws(self, profile, argv, wm_class, status=128 + signal.SIGTERM, settle=0):
        p, log = self.start_app(profile, argv)
        try:
            found = wait_for(lambda: p.poll() is not None or self.window_of(wm_class),
                             timeout=WINDOW_WAIT, step=0.2)
            self.assertTrue(found and p.poll() is None,
                            "no %s window; windows:\n%s\nlog:\n%s" %
                            (wm_class, self.windows(), read(log)))
            time.sleep(settle)
            self.assertIsNone(p.poll(), read(log))
        finally:
            if p.poll() is None:
                self.stop_app(p, log, status)
        self.assertFalse(wait_for(lambda: self.window_of(wm_class), timeout=0.5),
                         "the window outlived the sandbox")

    def fixture(self, name, write):
        path = os.path.join(self.stage.work, "%s-%s" % (self.who.name, name))
        if not os.path.exists(path):
            write(path)
            os.chmod(path, 0o644)
        return os.path.basename(path)


@both
class X11Apps(DesktopCase):
    def test_xterm_draws_a_window(self):
        if self.who.is_root:
            self.skipTest("xterm calls initgroups() as root, which a user namespace refuses "
                          "(setgroups is denied there)")
        # xterm catches SIGTERM and exits with the signal's number. Its
        # window shows before it is done starting: a SIGTERM that soon
        # killed it outright under load (143) a few times, so it gets a
        # second to settle first, as zathura does.
        self.assert_draws("xterm", ["xterm", "-e", "sleep", "600"], "XTerm", status=15,
                          settle=1.0)

    def test_feh_shows_an_image(self):
        img = self.fixture("img.png", lambda p: subprocess.run(
            ["convert", "-size", "120x80", "xc:red", p], check=True))
        self.assert_draws("feh", ["feh", img], "feh")

    def test_zathura_shows_a_pdf(self):
        pdf = self.fixture("doc.pdf", write_pdf)
        # GTK apps quit in order on SIGTERM: status 0. zathura's window
        # shows before it is done with the page; a SIGTERM that soon made
        # zathura itself crash on its way out once in CI (139), so it gets
        # a second to settle first.
        self.assert_draws("zathura", ["zathura", pdf], "Zathura", status=0, settle=1.0)

    def test_mousepad_opens_a_window(self):
        self.assert_draws("mousepad", ["mousepad"], "Mousepad", status=0)

    def test_mpv_opens_a_window(self):
        # Xvfb has no GPU: mpv's OpenGL output refuses a software renderer,
        # its plain X11 output draws. A signal quits it with status 4.
        self.assert_draws("mpv", ["mpv", "--idle=yes", "--force-window=immediate",
                                  "--vo=x11", "--ao=null"], "mpv", status=4)

    def test_without_the_grant_the_app_cannot_connect(self):
        img = self.fixture("img.png", lambda p: subprocess.run(
            ["convert", "-size", "120x80", "xc:red", p], check=True))
        r = self.run_as([self.stage.glovebox, "-p", "feh", "--x11", "no", "--setenv", "DISPLAY",
                         self.dpy, "--", "feh", img], env=self.x_env, timeout=WINDOW_WAIT)
        self.assertNotEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("can't open x display", r.stderr.lower())

    def test_the_abstract_socket_stays_out_of_reach(self):
        probe = ("import socket\n"
                 "for addr in ('\\0/tmp/.X11-unix/X%d', '/tmp/.X11-unix/X%d'):\n"
                 "    s = socket.socket(socket.AF_UNIX)\n"
                 "    try:\n"
                 "        s.connect(addr); print('reached')\n"
                 "    except OSError as e:\n"
                 "        print('refused')\n" % (self.display, self.display))
        # outside, both are there: the probe can tell
        r = self.run_as(["python3", "-c", probe], env=self.x_env)
        self.assertEqual(r.stdout.split(), ["reached", "reached"])
        for net in ("none", "host"):
            r = self.gb("-p", "xterm", "--network", net, cmd=["python3", "-c", probe],
                        probe=False, env=self.x_env)
            self.assertOk(r)
            self.assertEqual(r.stdout.split(), ["refused", "reached"], net)

    def test_the_sandbox_gets_that_display_cookie_alone(self):
        r = self.gb("-p", "xterm", cmd=["sh", "-c", 'echo "$DISPLAY $XAUTHORITY"; '
                                              'xauth -i -f "$XAUTHORITY" list 2>/dev/null; '
                                              'ls -A "$HOME"'],
                    probe=False, env=self.x_env)
        self.assertOk(r)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0], "%s /run/glovebox/Xauthority" % self.dpy)
        # one entry, for any host name (the sandbox has its own), that display
        self.assertEqual(len(lines), 2, r.stdout)
        self.assertRegex(lines[1], r"^#ffff##:%d\s+MIT-MAGIC-COOKIE-1\s+[0-9a-f]{32}$"
                         % self.display)
        self.assertNotIn(".Xauthority", r.stdout)

    def test_a_missing_x_server_is_named(self):
        gone = ":%d" % (self.display + 1000)
        r = self.gb("-p", "xterm", cmd=["true"], probe=False, env={"DISPLAY": gone})
        self.assertEqual(r.returncode, 125)
        self.assertIn("no X server socket /tmp/.X11-unix/X%d" % (self.display + 1000), r.stderr)
        r = self.gb("-p", "xterm", cmd=["true"], probe=False, env={"DISPLAY": "remote:0"})
        self.assertEqual(r.returncode, 125)
        self.assertIn("only a local display", r.stderr)

    def test_check_needs_no_display(self):
        r = self.run_as([self.stage.glovebox, "check", "xterm", "foot", "feh", "zathura",
                         "mousepad", "mpv"])
        self.assertOk(r)


@both
class WaylandApps(DesktopCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not have("weston", "foot"):
            cls.session.stop()
            raise unittest.SkipTest("weston or foot missing (tools/install-deps)")
        cls.runtime = cls.stage.path("runtime-%s" % cls.who.name)
        os.makedirs(cls.runtime, exist_ok=True)
        os.chmod(cls.runtime, 0o700)
        cls.who.chown(cls.runtime)
        cls.w_env = {"XDG_RUNTIME_DIR": cls.runtime, "WAYLAND_DISPLAY": "wayland-gbtest"}
        env = dict(cls.x_env)
        env.update(cls.w_env)
        env.pop("WAYLAND_DISPLAY")
        cls.session.start(["weston", "--backend=x11-backend.so", "--socket=wayland-gbtest",
                           "--idle-time=0", "--width=640", "--height=480"], env,
                          cls.stage.path("weston-%s.log" % cls.who.name))
        if not wait_for(lambda: os.path.exists(os.path.join(cls.runtime, "wayland-gbtest")),
                        timeout=WINDOW_WAIT):
            cls.session.stop()
            raise unittest.SkipTest("weston did not start")

    def test_foot_makes_a_toplevel_and_draws_it(self):
        env = dict(self.w_env, WAYLAND_DEBUG="1")
        p = subprocess.Popen(self.who.wrap([self.stage.glovebox, "-p", "foot", "--setenv",
                                            "WAYLAND_DEBUG", "1", "--", "foot", "sleep", "600"]),
                             env=self.who.env(env), stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True, cwd=self.stage.work)
        log = []
        seen = set()
        want = {"toplevel": re.compile(r"-> xdg_surface@\d+\.get_toplevel\(new id xdg_toplevel"),
                "configure": re.compile(r"\] xdg_toplevel@\d+\.configure\("),
                "attach": re.compile(r"-> wl_surface@\d+\.attach\(wl_buffer@"),
                "commit": re.compile(r"-> wl_surface@\d+\.commit\(\)")}
        deadline = time.monotonic() + WINDOW_WAIT
        # the order matters: a buffer after the compositor configured the window
        while time.monotonic() < deadline and len(seen) < len(want):
            line = p.stderr.readline()
            if not line:
                break
            log.append(line)
            for k, pat in want.items():
                if pat.search(line) and (k in ("toplevel",) or "toplevel" in seen) and \
                        (k in ("toplevel", "configure") or "configure" in seen):
                    seen.add(k)
        p.send_signal(signal.SIGTERM)
        rest = p.communicate(timeout=30)[1]
        self.assertEqual(seen, set(want), "".join(log[-40:]) + rest[-2000:])
        # foot passes on how its shell ended (hung up): its own farewell
        # says it shut down in order.
        self.assertIn("info: main.c:680: goodbye", rest.splitlines()[-1])

    def test_without_the_grant_foot_cannot_connect(self):
        r = self.run_as([self.stage.glovebox, "-p", "foot", "--wayland", "no", "--setenv",
                         "WAYLAND_DISPLAY", "wayland-gbtest", "--", "foot", "true"],
                        env=self.w_env, timeout=WINDOW_WAIT)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("failed to connect to wayland", r.stderr)

    def test_the_runtime_directory_holds_the_socket_alone(self):
        open(os.path.join(self.runtime, "secret"), "w").close()
        r = self.gb("-p", "foot", cmd=["sh", "-c", 'ls -A "$XDG_RUNTIME_DIR"; '
                                           'touch "$XDG_RUNTIME_DIR/mine" && echo writable'],
                    probe=False, env=self.w_env)
        self.assertOk(r)
        self.assertEqual(r.stdout.split(), ["wayland-gbtest", "writable"])
        self.assertFalse(os.path.exists(os.path.join(self.runtime, "mine")))

    def test_a_missing_compositor_is_named(self):
        env = dict(self.w_env, WAYLAND_DISPLAY="wayland-none")
        r = self.gb("-p", "foot", cmd=["true"], probe=False, env=env)
        self.assertEqual(r.returncode, 125)
        self.assertIn("no Wayland compositor's socket at %s/wayland-none" % self.runtime,
                      r.stderr)


@both
class Sound:
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not have("pulseaudio", "paplay"):
            raise unittest.SkipTest("pulseaudio or paplay missing (tools/install-deps)")
        cls.session = Session(cls)
        cls.runtime = cls.stage.path("pulse-rt-%s" % cls.who.name)
        os.makedirs(cls.runtime, exist_ok=True)
        os.chmod(cls.runtime, 0o700)
        cls.who.chown(cls.runtime)
        cls.env = {"XDG_RUNTIME_DIR": cls.runtime}
        cls.session.start(["pulseaudio", "--daemonize=no", "-n", "--exit-idle-time=-1",
                           "--disable-shm=yes", "--use-pid-file=no", "--system=no",
                           "--load=module-native-protocol-unix",
                           "--load=module-null-sink sink_name=gbtest"], cls.env,
                          cls.stage.path("pulse-%s.log" % cls.who.name))
        sock = os.path.join(cls.runtime, "pulse", "native")
        if not wait_for(lambda: os.path.exists(sock), timeout=WINDOW_WAIT):
            cls.session.stop()
            raise unittest.SkipTest("pulseaudio did not start: " +
                                    read(cls.stage.path("pulse-%s.log" % cls.who.name)))

    @classmethod
    def tearDownClass(cls):
        cls.session.stop()
        super().tearDownClass()

    def wav(self):
        path = os.path.join(self.stage.work, "%s-beep.wav" % self.who.name)
        if not os.path.exists(path):
            write_wav(path)
            os.chmod(path, 0o644)
        return os.path.basename(path)

    def test_paplay_plays_under_the_grant_and_not_without(self):
        r = self.gb("--audio", cmd=["paplay", self.wav()], probe=False, env=self.env,
                    timeout=WINDOW_WAIT)
        self.assertOk(r)
        r = self.gb(cmd=["paplay", self.wav()], probe=False, env=self.env, timeout=WINDOW_WAIT)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("Connection refused", r.stderr)

    def test_mpv_plays_through_its_profile(self):
        r = self.run_as([self.stage.glovebox, "-p", "mpv", "--x11", "no", "--", "mpv",
                         "--ao=pulse", "--vo=null", "--no-config", self.wav()], env=self.env,
                        timeout=WINDOW_WAIT)
        self.assertOk(r)
        self.assertIn("AO: [pulse]", r.stdout)

    def test_no_sound_server_is_a_warning(self):
        empty = self.stage.path("empty-rt-%s" % self.who.name)
        os.makedirs(empty, exist_ok=True)
        r = self.gb("--audio", cmd=["true"], probe=False, env={"XDG_RUNTIME_DIR": empty})
        self.assertOk(r)
        self.assertIn("warning: audio: no PipeWire", r.stderr)


@both
class Devices:
    def test_gpu_grant_binds_the_render_nodes_there_are(self):
        nodes = sorted(f for f in os.listdir("/dev/dri")) if os.path.isdir("/dev/dri") else []
        if not nodes:
            self.skipTest("no /dev/dri on this machine: nothing for the gpu grant to bind")
        r = self.gb("--gpu", cmd=["ls", "/dev/dri"], probe=False)
        self.assertOk(r)
        self.assertEqual(sorted(r.stdout.split()), nodes)
        r = self.gb(cmd=["ls", "/dev/dri"], probe=False)
        self.assertNotEqual(r.returncode, 0)


@both
class KeptDirectories:
    def test_app_dirs_are_made_and_kept_between_runs(self):
        cfg = os.path.join(self.who.home, ".config", "gbapp")
        shutil.rmtree(cfg, ignore_errors=True)
        r = self.gb("--app-dirs", "gbapp", cmd=["sh", "-c", 'echo kept > ~/.config/gbapp/x; '
                                                      'echo d > ~/.local/share/gbapp/y'],
                    probe=False)
        self.assertOk(r)
        r = self.gb("--app-dirs", "gbapp", cmd=["cat", os.path.join(cfg, "x")], probe=False)
        self.assertEqual(r.stdout, "kept\n")
        r = self.gb(cmd=["ls", cfg], probe=False)
        self.assertNotEqual(r.returncode, 0)

    def test_user_dirs_follow_user_dirs_dirs(self):
        conf = os.path.join(self.who.home, ".config")
        os.makedirs(conf, exist_ok=True)
        self.who.chown(conf)
        with open(os.path.join(conf, "user-dirs.dirs"), "w") as f:
            f.write('# xdg-user-dirs\nXDG_DOWNLOAD_DIR="$HOME/Incoming"\n'
                    'XDG_PICTURES_DIR="$HOME/Pics"\n')
        pics = os.path.join(self.who.home, "Pics")
        os.makedirs(pics, exist_ok=True)
        self.who.chown(pics)
        r = self.gb("--user-dir", "download pictures:ro",
                    cmd=["sh", "-c", 'touch ~/Incoming/got && echo ok; touch ~/Pics/x || '
                                     'echo ro; ls -A ~'], probe=False)
        self.assertOk(r)
        lines = r.stdout.split()
        self.assertEqual(lines[:2], ["ok", "ro"], r.stderr)
        self.assertEqual(sorted(lines[2:]), ["Incoming", "Pics"])
        self.assertTrue(os.path.exists(os.path.join(self.who.home, "Incoming", "got")))


if __name__ == "__main__":
    main()
