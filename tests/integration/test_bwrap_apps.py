# SPDX-License-Identifier: LGPL-2.1-or-later
"""The bwrap front end under the command lines real programs build: GNOME's
thumbnailer (reconstructed from gnome-desktop's
gnome-desktop-thumbnail-script.c, with a seccomp program of its kind), the
portals' icon validators (run for real: they start bwrap themselves, found
through FLATPAK_BWRAP) and the shape of `flatpak run` (--args, --ro-bind-fd,
--ro-bind-data, --seccomp, --info-fd, --sync-fd, a forwarded descriptor).
Each runs under the installed bwrap and under glovebox's, as root and as an
unprivileged user, and must give the same result."""
import json
import os
import platform
import shutil
import struct
import subprocess
import zlib

from gbtest import both, main

BWRAP = shutil.which("bwrap")
THUMBNAILER = "/usr/bin/gdk-pixbuf-thumbnailer"
VALIDATORS = ("/usr/libexec/xdg-desktop-portal-validate-icon",
              "/usr/libexec/flatpak-validate-icon")


def png(width, height):
    """An RGB gradient as a PNG file's bytes."""
    rows = b"".join(b"\0" + b"".join(bytes((x * 255 // width, y * 255 // height, 128))
                                     for x in range(width)) for y in range(height))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n", data[:16]
    return struct.unpack(">II", data[16:24])


# The kind of program gnome-desktop loads (a list of calls a thumbnailer
# has no use for, answered EPERM), for x86_64: syslog, uselib, personality,
# acct, modify_ldt, quotactl, add_key, request_key, keyctl, mbind,
# set_mempolicy, get_mempolicy, migrate_pages, unshare, move_pages, mount,
# pivot_root, ptrace, perf_event_open.
DENIED = (103, 134, 135, 163, 154, 179, 248, 249, 250, 237, 238, 239, 256, 272, 279, 165, 155,
          101, 298)


def deny_list_program():
    insns = [(0x20, 0, 0, 4), (0x15, 1, 0, 0xc000003e),      # arch == x86_64, else
             (0x06, 0, 0, 0x80000000),                       # kill the process
             (0x20, 0, 0, 0)]                                 # the call's number
    for k, nr in enumerate(DENIED):
        left = len(DENIED) - k - 1
        insns.append((0x15, left + 1, 0, nr))                 # to the EPERM at the end
    insns += [(0x06, 0, 0, 0x7fff0000), (0x06, 0, 0, 0x00050001)]
    return b"".join(struct.pack("HBBI", *i) for i in insns)


def usr_merged_links():
    """gnome-desktop's and the validators' way with /bin, /lib...: a
    symlink into /usr when the host's is one, else a bind."""
    args = []
    for d in ("bin", "lib", "lib32", "lib64", "sbin"):
        path = "/" + d
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        else:
            args += ["--ro-bind-try", path, path]
    return args


def fd_at(n, data):
    """A pipe's read end at descriptor n holding data."""
    r, w = os.pipe()
    os.write(w, data)
    os.close(w)
    if r != n:
        os.dup2(r, n)
        os.close(r)


class AppCase:
    def setUp(self):
        if not BWRAP:
            self.skipTest("bubblewrap is not installed")
        self.link = os.path.join(self.stage.dir, "bwrap-link", "bwrap")
        if not os.path.exists(self.link):
            os.makedirs(os.path.dirname(self.link), exist_ok=True)
            os.symlink(self.stage.glovebox, self.link)

    def fronts(self):
        return (("bwrap", BWRAP), ("glovebox", self.link))

    def own_dir(self, name):
        d = os.path.join(self.who.home, name)
        os.makedirs(d, exist_ok=True)
        self.who.chown(d)
        return d


@both
class Thumbnailer(AppCase):
    def thumbnail(self, front, work):
        infile = os.path.join(work, "photo.png")
        out = self.own_dir("thumb-out-" + os.path.basename(front))
        for f in os.listdir(out):
            os.unlink(os.path.join(out, f))
        argv = [front, "--ro-bind", "/usr", "/usr",
                "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache"]
        argv += usr_merged_links()
        argv += ["--proc", "/proc", "--dev", "/dev", "--chdir", "/",
                 "--setenv", "GIO_USE_VFS", "local", "--unshare-all", "--die-with-parent",
                 "--bind", out, "/tmp",
                 "--ro-bind", infile, "/tmp/gnome-desktop-file-to-thumbnail.png",
                 "--seccomp", "10",
                 THUMBNAILER, "-s", "128", "/tmp/gnome-desktop-file-to-thumbnail.png",
                 "/tmp/gnome-desktop-thumbnailer.png"]
        fd_at(10, deny_list_program())
        try:
            r = self.run_as(argv, pass_fds=(10,))
        finally:
            os.close(10)
        self.assertOk(r, "%s: exit %d: %s" % (front, r.returncode, r.stderr))
        with open(os.path.join(out, "gnome-desktop-thumbnailer.png"), "rb") as f:
            return f.read()

    def test_gdk_pixbuf_thumbnailer_makes_the_same_thumbnail(self):
        if not os.path.exists(THUMBNAILER):
            self.skipTest("gdk-pixbuf-thumbnailer is not installed (libgdk-pixbuf2.0-bin)")
        if platform.machine() != "x86_64":
            self.skipTest("the test's BPF program is for x86_64")
        work = self.own_dir("thumb-in")
        with open(os.path.join(work, "photo.png"), "wb") as f:
            f.write(png(512, 384))
        made = {name: self.thumbnail(front, work) for name, front in self.fronts()}
        self.assertEqual(png_size(made["glovebox"]), (128, 96))
        self.assertEqual(made["glovebox"], made["bwrap"])


@both
class IconValidators(AppCase):
    def test_the_portals_validators_run_their_own_bwrap_command_line(self):
        work = self.own_dir("icons")
        good, bad = os.path.join(work, "good.png"), os.path.join(work, "bad.png")
        with open(good, "wb") as f:
            f.write(png(64, 64))
        with open(bad, "wb") as f:
            f.write(png(64, 48))
        found = [v for v in VALIDATORS if os.path.exists(v)]
        if not found:
            self.skipTest("no icon validator installed (xdg-desktop-portal, flatpak)")
        for validator in found:
            for icon in (good, bad):
                seen = {}
                for name, front in self.fronts():
                    r = self.run_as([validator, "--sandbox", "64", "64", icon],
                                    env=self.who.env({"FLATPAK_BWRAP": front}))
                    seen[name] = (r.returncode, r.stdout, r.stderr)
                self.assertEqual(seen["glovebox"], seen["bwrap"], (validator, icon))
                self.assertEqual(seen["glovebox"][0], 0 if icon == good else 1)
                if icon == good:
                    self.assertIn("width=64", seen["glovebox"][1])


@both
class FlatpakShape(AppCase):
    """What `flatpak run` hands bwrap, without a runtime: the options in
    --args, the app's files through --ro-bind-fd, its metadata through
    --ro-bind-data, a seccomp program, --info-fd, --sync-fd and a
    descriptor forwarded to the app."""

    APP = ("cat /.flatpak-info; ls /app; cat /app/bin/hello; cat <&5; "
           "echo \"$FLATPAK_ID\"; grep Seccomp: /proc/self/status; uname -n; echo $?")

    def run_flatpak_shape(self, front, app):
        opts = ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--die-with-parent",
                "--ro-bind", "/usr", "/usr"] + usr_merged_links() + [
                "--ro-bind-try", "/etc", "/etc", "--proc", "/proc", "--dev", "/dev",
                "--dir", "/tmp", "--dir", "/var/tmp", "--symlink", "../run", "/var/run",
                "--ro-bind-fd", "11", "/app",
                "--ro-bind-data", "12", "/.flatpak-info",
                "--lock-file", "/.flatpak-info",
                "--setenv", "FLATPAK_ID", "org.example.Hello",
                "--seccomp", "13", "--info-fd", "14", "--sync-fd", "15"]
        fd_at(10, b"".join(o.encode() + b"\0" for o in opts))
        appfd = os.open(app, os.O_PATH | os.O_DIRECTORY)
        if appfd != 11:
            os.dup2(appfd, 11, inheritable=True)
            os.close(appfd)
        fd_at(12, b"[Application]\nname=org.example.Hello\n")
        # uname(2) answers EPERM: the program is loaded
        prog = b"".join(struct.pack("HBBI", *i) for i in (
            (0x20, 0, 0, 4), (0x15, 0, 3, 0xc000003e), (0x20, 0, 0, 0), (0x15, 0, 1, 63),
            (0x06, 0, 0, 0x00050001), (0x06, 0, 0, 0x7fff0000)))
        fd_at(13, prog)
        info_r, info_w = os.pipe()
        os.dup2(info_w, 14)
        os.close(info_w)
        sync_r, sync_w = os.pipe()
        os.dup2(sync_w, 15)
        os.close(sync_w)
        fd_at(5, b"forwarded\n")
        fds = (5, 10, 11, 12, 13, 14, 15)
        try:
            r = self.run_as([front, "--args", "10", "sh", "-c", self.APP], pass_fds=fds)
        finally:
            for fd in fds:
                os.close(fd)
        with os.fdopen(info_r) as f:
            info = json.loads(f.read())
        self.assertEqual(os.read(sync_r, 1), b"")  # closed: the sandbox is gone
        os.close(sync_r)
        return r, info

    def test_a_flatpak_like_command_line(self):
        if platform.machine() != "x86_64":
            self.skipTest("the test's BPF program is for x86_64")
        app = self.own_dir("app")
        os.makedirs(os.path.join(app, "bin"), exist_ok=True)
        with open(os.path.join(app, "bin", "hello"), "w") as f:
            f.write("hello from /app\n")
        seen = {name: self.run_flatpak_shape(front, app) for name, front in self.fronts()}
        (want, want_info), (got, got_info) = seen["bwrap"], seen["glovebox"]
        self.assertEqual((got.returncode, got.stdout), (want.returncode, want.stdout),
                         "bwrap: %s\nglovebox: %s" % (want.stderr, got.stderr))
        self.assertIn("forwarded\norg.example.Hello\nSeccomp:\t2\n", got.stdout)
        self.assertEqual(sorted(got_info), sorted(want_info))


if __name__ == "__main__":
    main()
