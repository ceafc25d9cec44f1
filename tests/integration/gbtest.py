# SPDX-License-Identifier: LGPL-2.1-or-later
"""Shared harness for glovebox's integration tests.

Every test runs real sandboxes and looks at them from inside with gb-probe.
Each test class is instantiated twice by `both()`: once as root and once as
an unprivileged user (nobody, through setpriv, when the suite runs as root;
the current user otherwise). The binary, the probe and every fixture live in
a world-readable staging directory, so the unprivileged user can reach them.
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

GLOVEBOX = os.environ["GLOVEBOX"]
PROBE = os.environ["GB_PROBE"]
SOURCE_ROOT = os.environ["GB_SOURCE_ROOT"]
IS_ROOT = os.geteuid() == 0
NOBODY = 65534


class Stage:
    """A world-readable directory holding the binaries and fixtures."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="gbtest-")
        os.chmod(self.dir, 0o755)
        self.bin = os.path.join(self.dir, "bin")
        os.mkdir(self.bin)
        os.chmod(self.bin, 0o755)
        self.glovebox = os.path.join(self.bin, "glovebox")
        self.probe = os.path.join(self.bin, "gb-probe")
        shutil.copy(GLOVEBOX, self.glovebox)
        shutil.copy(PROBE, self.probe)
        for f in (self.glovebox, self.probe):
            os.chmod(f, 0o755)
        # bin/ and share/glovebox/profiles, as an install relocated here
        # Where commands run: the stage itself holds the test homes, and the
        # current directory is not shared when a home lies in it.
        self.work = os.path.join(self.dir, "work")
        os.mkdir(self.work)
        os.chmod(self.work, 0o755)
        self.profiles = os.path.join(self.dir, "share", "glovebox", "profiles")
        shutil.copytree(os.path.join(SOURCE_ROOT, "profiles"), self.profiles)
        for d in (self.profiles, os.path.dirname(self.profiles),
                  os.path.dirname(os.path.dirname(self.profiles))):
            os.chmod(d, 0o755)

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def write(self, name, text, mode=0o644):
        p = self.path(name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)
        os.chmod(p, mode)
        return p

    def cleanup(self):
        # Mask directories left without permissions by tests.
        for root, dirs, _ in os.walk(self.dir):
            for d in dirs:
                try:
                    os.chmod(os.path.join(root, d), 0o755)
                except OSError:
                    pass
        shutil.rmtree(self.dir, ignore_errors=True)


STAGE = None


def stage():
    global STAGE
    if STAGE is None:
        STAGE = Stage()
    return STAGE


class Identity:
    def __init__(self, name, uid, gid):
        self.name = name
        self.uid = uid
        self.gid = gid
        st = stage()
        self.home = st.path("home-" + name)
        os.makedirs(self.home, exist_ok=True)
        os.chmod(self.home, 0o700)
        if IS_ROOT:
            os.chown(self.home, uid, gid)

    @property
    def is_root(self):
        return self.uid == 0

    def wrap(self, argv):
        if IS_ROOT and self.uid != 0:
            return ["setpriv", "--reuid=%d" % self.uid, "--regid=%d" % self.gid,
                    "--clear-groups", "--"] + argv
        return argv

    def env(self, extra=None):
        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": self.home,
            "LANG": "C.UTF-8",
            "XDG_CONFIG_HOME": os.path.join(self.home, ".config"),
            "XDG_CACHE_HOME": os.path.join(self.home, ".cache"),
        }
        # GLOVEBOX_LAUNCH=parallel|serial|shared meson test: the whole suite on
        # one launch path (src/launch/serial.c), not the one the load picks
        if "GLOVEBOX_LAUNCH" in os.environ:
            env["GLOVEBOX_LAUNCH"] = os.environ["GLOVEBOX_LAUNCH"]
        if extra:
            env.update(extra)
        return env

    def chown(self, path):
        if IS_ROOT:
            os.chown(path, self.uid, self.gid)


class Case(unittest.TestCase):
    identity_name = None

    @classmethod
    def setUpClass(cls):
        if cls.identity_name == "root":
            if not IS_ROOT:
                raise unittest.SkipTest("needs root")
            cls.who = Identity("root", 0, 0)
        else:
            if IS_ROOT:
                cls.who = Identity("nobody", NOBODY, NOBODY)
            else:
                cls.who = Identity("user", os.getuid(), os.getgid())
        cls.stage = stage()

    # ---- running things ----

    def run_as(self, argv, input=None, timeout=60, env=None, **kw):
        return subprocess.run(self.who.wrap(argv), input=input, capture_output=True, text=True,
                              timeout=timeout, env=self.who.env(env), cwd=self.stage.work, **kw)

    def gb(self, *args, cmd=None, probe=True, **kw):
        """Run glovebox ARGS [--ro-bind probe /probe] -- CMD."""
        argv = [self.stage.glovebox] + list(args)
        if probe:
            argv += ["--ro-bind", self.stage.probe, "/probe"]
        argv += ["--"] + list(cmd or [])
        return self.run_as(argv, **kw)

    def probe(self, *cmd, opts=(), **kw):
        """Run gb-probe CMD inside a sandbox; returns the completed process."""
        return self.gb(*opts, cmd=["/probe"] + list(cmd), **kw)

    def probe_outside(self, *cmd, **kw):
        """The same probe with no sandbox: proves that a probe can fail."""
        return self.run_as([self.stage.probe] + list(cmd), **kw)

    def assertOk(self, r, msg=None):
        self.assertEqual(r.returncode, 0, msg or "exit %d\nstdout: %s\nstderr: %s" %
                         (r.returncode, r.stdout, r.stderr))

    def profile(self, name, text):
        """Write a profile file into the stage; returns its path."""
        p = self.stage.write("p-%s-%s.ini" % (self.who.name, name), text)
        return p

    def user_file(self, rel, text):
        """Write a file into the user's profile directory, removed after the test."""
        path = os.path.join(self.who.home, ".config", "glovebox", "profiles", rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        self.addCleanup(os.unlink, path)
        return path

    def status_fields(self, out):
        fields = {}
        for line in out.splitlines():
            if ":" in line:
                k, v = line.split(":", 1)
                fields[k.strip()] = v.strip()
        return fields


def both(mixin):
    """Make an as-root and an as-user TestCase from a mixin of tests."""
    mod = sys.modules[mixin.__module__]
    for ident in ("root", "user"):
        name = "%s_as_%s" % (mixin.__name__, ident)
        cls = type(name, (mixin, Case), {"identity_name": ident})
        cls.__module__ = mixin.__module__
        setattr(mod, name, cls)
    return mixin


def landlock_abi():
    """The kernel's Landlock ABI version, 0 without Landlock."""
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    abi = libc.syscall(444, None, ctypes.c_size_t(0), ctypes.c_uint32(1))
    return abi if abi > 0 else 0


def make_dirs(who, top, layers):
    """Directories under top (made afresh), each with files {name: text},
    all owned by who; returns {name: path}."""
    shutil.rmtree(top, ignore_errors=True)
    os.makedirs(top)
    who.chown(top)
    out = {}
    for name, files in layers.items():
        d = out[name] = os.path.join(top, name)
        os.makedirs(d)
        who.chown(d)
        for fname, text in files.items():
            with open(os.path.join(d, fname), "w") as f:
                f.write(text)
            who.chown(os.path.join(d, fname))
    return out


def dir_content(d):
    """{name: text} of the files in d."""
    found = {}
    for fname in sorted(os.listdir(d)):
        with open(os.path.join(d, fname)) as f:
            found[fname] = f.read()
    return found


def wait_for(pred, timeout=5.0, step=0.02):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(step)
    return pred()


def children(pid):
    """pid's children (none once it is gone)."""
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(c) for c in f.read().split()]
    except OSError:
        return []


def processes_with(marker):
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                if marker.encode() in f.read():
                    found.append(int(pid))
        except OSError:
            pass
    return found


def main():
    try:
        unittest.main(verbosity=2)
    finally:
        if STAGE is not None:
            STAGE.cleanup()
