# SPDX-License-Identifier: LGPL-2.1-or-later
"""The escape suite: every probe of gb-escape, under every shipped profile,
as an unprivileged user. A probe that escapes a profile claiming to stop it
fails the suite. Each probe first proves it can fail: run with no sandbox,
it must report the escape."""
import os
import pty
import shutil
import signal
import socket
import subprocess
import sys
import time
import unittest
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
from gbtest import IS_ROOT, NOBODY, Identity, landlock_abi, stage  # noqa: E402

ESCAPE = os.environ["GB_ESCAPE"]
SIGSYS = 31

# What a shipped profile knowingly leaves open, with the reason. Every
# other probe must be blocked under every shipped profile.
EXPOSURES = {p: {"proc-net": "shares the host's network namespace, so /proc/net shows it"}
             for p in ("online", "network-client")}
if landlock_abi() < 6:
    # Without Landlock scoping only the network namespace hides them.
    for p in ("online", "network-client"):
        EXPOSURES[p]["abstract"] = ("shares the host's network namespace, and with it the "
                                    "host's abstract unix sockets (no Landlock scoping on "
                                    "this kernel)")

# What a shipped profile leaves open only when an unprivileged user runs it:
# when root does, glovebox sets vm.memfd_noexec in the sandbox's pid
# namespace, which only the host's root can.
MEMFD_EXEC = "only untrusted sets memfd-exec = no (it breaks Mesa and Wayland clients, " \
             "whose memfds are not sealed non-executable), and only root can set vm.memfd_noexec"
UNPRIVILEGED_EXPOSURES = {p: {"memfd-exec": MEMFD_EXEC} for p in (
    "default", "build", "online", "network-client", "python", "node", "shell",
    "xterm", "foot", "feh", "zathura", "mousepad", "mpv")}
# Profiles that stop a memfd's program by other means too (memfd-exec = yes
# on the command line does not open it): name: why.
MEMFD_SEALED = {"untrusted": "restrict-exec and write-xor-execute stop it as well"}
# Profiles that show the home, ~/.ssh included, on purpose: a planted link
# to it in the current directory shows nothing more.
HOME_SHOWN = {"shell"}


def host_memfd_noexec():
    """The host's vm.memfd_noexec, or None on a kernel without it (before 6.3)."""
    try:
        with open("/proc/sys/vm/memfd_noexec") as f:
            return int(f.read())
    except FileNotFoundError:
        return None


# Probes the host itself already stops, whatever the sandbox does: nothing to
# show (name: (reason, test)).
HOST_FENCES = {"memfd-exec": ("the host's vm.memfd_noexec is 2: no memfd is executable",
                              lambda: host_memfd_noexec() == 2)}


def host_fenced(test, name):
    reason, fenced = HOST_FENCES.get(name, ("", lambda: False))
    if fenced():
        test.skipTest(reason)


def exposures(profile, as_root):
    exposed = dict(EXPOSURES.get(profile, {}))
    # root's sandbox refuses executable memfds only where the kernel has the sysctl
    if not as_root or host_memfd_noexec() is None:
        exposed.update(UNPRIVILEGED_EXPOSURES.get(profile, {}))
    return exposed


class Fixtures:
    """The host-side targets of the probes."""

    def __init__(self):
        st = stage()
        self.st = st
        self.bin = os.path.join(st.bin, "gb-escape")
        shutil.copy(ESCAPE, self.bin)
        os.chmod(self.bin, 0o755)
        self.user = Identity("nobody", NOBODY, NOBODY) if IS_ROOT else \
            Identity("user", os.getuid(), os.getgid())
        self.secret = st.write("escape-secret", "the host's secret\n", mode=0o644)
        self.work = st.path("escape-work")
        os.makedirs(self.work, exist_ok=True)
        self.user.chown(self.work)
        self.ro_target = st.path("escape-ro-target")
        os.makedirs(self.ro_target, exist_ok=True)
        self.user.chown(self.ro_target)
        self.suid = None
        if IS_ROOT:
            self.suid = os.path.join(st.bin, "gb-escape-suid")
            shutil.copy(ESCAPE, self.suid)
            os.chown(self.suid, 0, 0)
            os.chmod(self.suid, 0o4755)
        # a process of the unprivileged user, outside any sandbox
        self.victim = subprocess.Popen(self.user.wrap(["/bin/sleep", "600"]))
        self.abstract_name = "gb-escape-" + uuid.uuid4().hex
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind("\0" + self.abstract_name)
        self.listener.listen(64)
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.bind(("127.0.0.1", 0))
        self.tcp.listen(1)
        self.port = self.tcp.getsockname()[1]
        self.iface = host_interface()
        self.env_secret = "GB_ESCAPE_SECRET"

    def close(self):
        self.victim.kill()
        self.victim.wait()
        self.listener.close()
        self.tcp.close()


def host_interface():
    """An interface of the host other than loopback, or "" when it has none."""
    with open("/proc/net/dev") as f:
        for line in f.readlines()[2:]:
            name = line.split(":")[0].strip()
            if name != "lo":
                return name
    return ""


FX = None


def fixtures():
    global FX
    if FX is None:
        FX = Fixtures()
    return FX


# name: (arguments, extra glovebox options, who shows the escape without a
# sandbox, needs a terminal)
def probes(fx):
    return {
        "host-file": ([fx.secret], [], "user", False),
        "proc-root": ([fx.secret], [], "user", False),
        "inherited-fd": ([os.path.basename(fx.secret)], [], "user", False),
        "open-by-handle": (["/", "/usr", "/etc", "/tmp"], [], "root", False),
        "remount": ([fx.ro_target], ["--ro-bind", fx.ro_target, fx.ro_target], "user", False),
        "chroot": ([fx.secret], [], "root", False),
        "pivot_root": ([], [], "user", False),
        "nested-userns": ([], [], "root", False),
        "signal": ([str(fx.victim.pid)], [], "user", False),
        "ptrace": ([str(fx.victim.pid)], [], "user", False),
        "tiocsti": ([], [], "user", True),
        "tioclinux": ([], [], "user", True),
        "int80": ([], [], "user", False),
        "x32": ([], [], "user", False),
        "socket-high-bits": ([], [], "root", False),
        "io_uring": ([], [], "user", False),
        "bpf": ([], [], "root", False),
        "perf_event_open": ([], [], "user", False),
        "userfaultfd": ([], [], "user", False),
        "keyctl": ([], [], "user", False),
        "add_key": ([], [], "user", False),
        "module": ([], [], "root", False),
        "kexec": ([], [], "root", False),
        "setuid": (["/escape-suid"], ["--ro-bind", fx.suid or "/nonexistent", "/escape-suid"],
                   "user", False),
        "proc-sys": ([], [], "root", False),
        "sys": ([], [], "root", False),
        "abstract": ([fx.abstract_name], [], "user", False),
        "env": ([fx.env_secret], [], "user", False),
        "proc-net": ([fx.abstract_name, str(fx.port), fx.iface], [], "user", False),
        "tiocsetd": (["{TTY_DEV}", "{TTY_RDEV}"], [], "user", True),
        "memfd-exec": ([], [], "user", False),
        "kernel-files": ([], [], "root", False),
    }


def run(argv, who, tty, fx):
    """Run argv as who (None: the test process itself). Returns (rc, stdout)."""
    if who is not None:
        argv = who.wrap(argv)
        env = who.env({fx.env_secret: "hunter2"})
    else:
        env = dict(os.environ, **{fx.env_secret: "hunter2"})
    # a descriptor that leads to the secret's directory, as a careless
    # launcher might leave open
    leak = os.open(fx.st.dir, os.O_PATH | os.O_DIRECTORY)
    try:
        if not tty:
            r = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=fx.work,
                               pass_fds=(leak,), timeout=60)
            return r.returncode, r.stdout
        pid, fd = pty.fork()
        if pid == 0:
            st = os.fstat(0)  # the user's terminal, as probes may need to name it
            argv = [a.replace("{TTY_DEV}", str(st.st_dev)).replace("{TTY_RDEV}", str(st.st_rdev))
                    for a in argv]
            os.chdir(fx.work)
            argv[0] = shutil.which(argv[0]) or argv[0]
            os.execve(argv[0], argv, env)
        out = b""
        while True:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        _, status = os.waitpid(pid, 0)
        os.close(fd)
        rc = os.waitstatus_to_exitcode(status)
        return rc, out.decode(errors="replace").replace("\r", "")
    finally:
        os.close(leak)


def outcome(rc, out):
    if rc == 128 + SIGSYS or rc == -SIGSYS:
        return "blocked", "killed by seccomp"
    line = out.strip().splitlines()[-1] if out.strip() else ""
    if line.startswith("ESCAPED"):
        return "escaped", line
    if line.startswith("blocked"):
        return "blocked", line
    # the kernel lacks what the probe tries: there is no escape to show
    if line.startswith("unsupported"):
        return "unsupported", line
    return "error", "rc %d, output %r" % (rc, out)


# The desktop apps' profiles without their display, sound, look and kept
# directories: the probes need none of them, the machine running them may
# have no session, and a home's directories are out of reach of a sandbox
# that is nobody to the host.
NO_SESSION = ["--x11", "no", "--wayland", "no", "--audio", "no", "--look", "no",
              "--app-dirs", "none", "--user-dir", "none"]


def profile_args(profile):
    """-p PROFILE, and for a desktop app's profile, no session to reach."""
    path = os.path.join(stage().profiles, profile + ".ini")
    desktop = False
    if os.path.exists(path):
        with open(path) as f:
            desktop = "\n[desktop]\n" in f.read()
    return ["-p", profile] + (NO_SESSION if desktop else [])


def profiles():
    """The shipped profiles but the building blocks, which run nothing
    alone: they are escaped through the purpose profiles that include them."""
    st = stage()
    names = {"default"}
    for f in os.listdir(st.profiles):
        if f.endswith(".ini") and not f.startswith(("grant-", "restrict-")):
            names.add(f[:-4])
    return sorted(names)


class SelfTest(unittest.TestCase):
    """Without a sandbox, every probe escapes: none of them is a test that
    cannot fail."""


class UnderProfile(unittest.TestCase):
    """Every probe, under every shipped profile, as an unprivileged user."""


class UnderProfileAsRoot(unittest.TestCase):
    """Every probe, under every shipped profile, run by root: the sandbox's
    uid 0 is then the host's root for file permissions."""


class UnderProfileAsHostNobody(unittest.TestCase):
    """Every probe, under every shipped profile, run by root with
    --host-user nobody: the sandbox is then nobody's, and holds as an
    unprivileged user's does."""


class UnderMemfdExecNo(unittest.TestCase):
    """memfd-exec = no refuses fileless execution under every shipped
    profile, whoever runs glovebox; memfd-exec = yes gives it back even to
    root."""


# Probes whose escape means nothing when root starts them: root's euid is 0
# before any setuid binary runs.
ROOT_MEANINGLESS = {"setuid": "root's effective uid is 0 whatever a setuid binary does"}


def make_self_test(name):
    def test(self):
        fx = fixtures()
        args, _, who, tty = probes(fx)[name]
        if who == "root" and not IS_ROOT:
            self.skipTest("showing this escape needs root")
        if name == "setuid" and not fx.suid:
            self.skipTest("making the setuid fixture needs root")
        host_fenced(self, name)
        if name == "setuid":
            args = [fx.suid]
        identity = None if who == "root" else fx.user
        rc, out = run([fx.bin, name] + args, identity, tty, fx)
        result, line = outcome(rc, out)
        if result == "unsupported":
            self.skipTest("cannot show this escape on this kernel: " + line)
        self.assertEqual(result, "escaped", "%s did not escape without a sandbox: %s" % (name, line))
    return test


def make_profile_test(profile, name, as_root=False, host_nobody=False):
    def test(self):
        if as_root and not IS_ROOT:
            self.skipTest("running the sandbox as root needs root")
        if as_root and not host_nobody and name in ROOT_MEANINGLESS:
            self.skipTest(ROOT_MEANINGLESS[name])
        fx = fixtures()
        args, extra, _, tty = probes(fx)[name]
        if name == "setuid" and not fx.suid:
            self.skipTest("making the setuid fixture needs root")
        host_fenced(self, name)
        nobody = ["--host-user", "nobody"] if host_nobody else []
        argv = [fx.st.glovebox] + profile_args(profile) + nobody + extra + [
            "--ro-bind", fx.bin, "/escape", "--", "/escape", name] + args
        rc, out = run(argv, None if as_root else fx.user, tty, fx)
        result, line = outcome(rc, out)
        self.assertNotEqual(result, "error", line)
        exposed = exposures(profile, as_root and not host_nobody)
        if name in exposed:
            self.assertEqual(result, "escaped",
                             "%s claims to leave %s open (%s) but stops it: update EXPOSURES"
                             % (profile, name, exposed[name]))
        else:
            self.assertIn(result, ("blocked", "unsupported"),
                          "%s escapes profile %s: %s" % (name, profile, line))
    return test


def make_memfd_test(profile, as_root, value, expected):
    def test(self):
        if as_root and not IS_ROOT:
            self.skipTest("running the sandbox as root needs root")
        if expected == "escaped":
            host_fenced(self, "memfd-exec")
        fx = fixtures()
        argv = [fx.st.glovebox] + profile_args(profile) + ["--memfd-exec", value,
                "--ro-bind", fx.bin, "/escape", "--", "/escape", "memfd-exec"]
        result, line = outcome(*run(argv, None if as_root else fx.user, False, fx))
        self.assertEqual(result, expected, line)
    return test


class PlantedLinks(unittest.TestCase):
    """A writable bind in one run holds the source of a bind in a later run:
    the first sandbox (build, which shares the current directory writable)
    replaces a directory with a symlink to ~/.ssh, and the second run, under
    each shipped profile, must not follow it. The keys live in a home of the
    test's own, made for the user who runs glovebox."""

    KEY = "PRIVATE-KEY-OF-THE-USER"

    def setUp(self):
        self.fx = fixtures()

    def who(self, as_root):
        if as_root and not IS_ROOT:
            self.skipTest("running the sandbox as root needs root")
        return Identity("root", 0, 0) if as_root else self.fx.user

    def home(self, who, name):
        """A home with ~/.ssh (a private key and authorized_keys) and ~/proj."""
        home = self.fx.st.path("planted-%s-%s" % (name, who.name))
        shutil.rmtree(home, ignore_errors=True)
        ssh = os.path.join(home, ".ssh")
        os.makedirs(ssh)
        os.makedirs(os.path.join(home, "proj", "deploy", ".ssh"))
        with open(os.path.join(ssh, "authorized_keys"), "w") as f:
            f.write("ssh-ed25519 AAAA the-user@host\n")
        with open(os.path.join(ssh, "id_ed25519"), "w") as f:
            f.write(self.KEY + "\n")
        for root, dirs, files in os.walk(home):
            for entry in dirs + files + ["."]:
                if IS_ROOT:  # lchown: never what a link points to
                    os.lchown(os.path.join(root, entry), who.uid, who.gid)
        os.chmod(home, 0o755)
        return home

    def run_in(self, who, home, cwd, argv):
        """argv from cwd as the shell reaches it ($PWD through links)."""
        argv = who.wrap(["/bin/sh", "-c", 'cd "$1" && shift && exec "$@"', "sh", cwd] + argv)
        env = who.env({"HOME": home}) if who.uid else dict(os.environ, HOME=home)
        return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60)

    def plant(self, who, home, link, target):
        """Run 1: a build in ~/proj replaces a directory there by a link."""
        proj = os.path.join(home, "proj")
        r = self.run_in(who, home, proj, [self.fx.st.glovebox, "-p", "build", "--", "/bin/sh",
                                          "-c", 'rm -rf "$1" && ln -s "$2" "$1"', "sh", link,
                                          target])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(os.readlink(os.path.join(proj, link)), target)

    def escaped(self, home, out):
        with open(os.path.join(home, ".ssh", "authorized_keys")) as f:
            keys = f.read()
        return "EVIL" in keys or self.KEY in out

    # the attack: read the private key, add a key of the attacker's
    ATTACK = 'cat id_ed25519 2>/dev/null; echo "ssh-ed25519 EVIL attacker" >> authorized_keys'

    def check_cwd(self, profile, as_root):
        who = self.who(as_root)
        home = self.home(who, "cwd-" + (profile or "none"))
        out_dir = os.path.join(home, "proj", "out")
        self.plant(who, home, "out", os.path.join(home, ".ssh"))
        # Run 2, from ~/proj/out: the command works in what it takes for
        # the build's output.
        argv = ["/bin/sh", "-c", self.ATTACK]
        if profile:
            argv = [self.fx.st.glovebox] + profile_args(profile) + ["--"] + argv
        r = self.run_in(who, home, out_dir, argv)
        return self.escaped(home, r.stdout), r

    def check_bind(self, profile, as_root):
        who = self.who(as_root)
        home = self.home(who, "bind-" + (profile or "none"))
        keys = os.path.join(home, "proj", "deploy", ".ssh")
        # the project's own deploy keys, bound in by the user's command line
        self.plant(who, home, "deploy", home)
        argv = ["/bin/sh", "-c", "cd /deploy-ssh && " + self.ATTACK]
        if profile:
            argv = [self.fx.st.glovebox] + profile_args(profile) + ["--bind", keys, "/deploy-ssh",
                    "--"] + argv
        else:
            argv[2] = argv[2].replace("/deploy-ssh", keys)
        r = self.run_in(who, home, os.path.join(home, "proj"), argv)
        return self.escaped(home, r.stdout), r

    def test_a_planted_current_directory_escapes_without_a_sandbox(self):
        escaped, r = self.check_cwd(None, False)
        self.assertTrue(escaped, r.stderr)

    def test_a_planted_bind_source_escapes_without_a_sandbox(self):
        escaped, r = self.check_bind(None, False)
        self.assertTrue(escaped, r.stderr)


def make_planted_test(kind, profile, as_root):
    def test(self):
        escaped, r = getattr(self, "check_" + kind)(profile, as_root)
        self.assertFalse(escaped, "a planted link redirected %s under %s: %s"
                         % (kind, profile, r.stderr))
        # never silently: glovebox names the link it did not follow
        self.assertIn("is a symlink to", r.stderr)
        self.assertIn("which a sandbox could have planted", r.stderr)
    return test


class _Names:
    """Stands in for the fixtures when only the probes' names are needed."""
    secret = ro_target = abstract_name = env_secret = iface = "x"
    port = 0
    suid = None

    class victim:
        pid = 0


def generate():
    for name in probes(_Names):
        setattr(SelfTest, "test_%s_escapes_without_a_sandbox" % name.replace("-", "_"),
                make_self_test(name))
        for profile in profiles():
            setattr(UnderProfile, "test_%s_under_%s" % (name.replace("-", "_"), profile),
                    make_profile_test(profile, name))
            setattr(UnderProfileAsRoot,
                    "test_%s_under_%s" % (name.replace("-", "_"), profile),
                    make_profile_test(profile, name, as_root=True))
            setattr(UnderProfileAsHostNobody,
                    "test_%s_under_%s" % (name.replace("-", "_"), profile),
                    make_profile_test(profile, name, as_root=True, host_nobody=True))
    for profile in profiles():
        for as_root, who in ((False, "user"), (True, "root")):
            setattr(UnderMemfdExecNo, "test_memfd_exec_no_under_%s_as_%s" % (profile, who),
                    make_memfd_test(profile, as_root, "no", "blocked"))
        if profile not in MEMFD_SEALED:
            setattr(UnderMemfdExecNo, "test_memfd_exec_yes_under_%s_as_root" % profile,
                    make_memfd_test(profile, True, "yes", "escaped"))
        for kind, what in (("cwd", "current_directory"), ("bind", "bind_source")):
            if kind == "cwd" and profile in HOME_SHOWN:
                continue
            for as_root, who in ((False, "user"), (True, "root")):
                setattr(PlantedLinks, "test_a_planted_%s_is_not_followed_under_%s_as_%s"
                        % (what, profile, who), make_planted_test(kind, profile, as_root))


generate()


if __name__ == "__main__":
    try:
        unittest.main(verbosity=2)
    finally:
        if FX is not None:
            FX.close()
        stage().cleanup()
