# SPDX-License-Identifier: LGPL-2.1-or-later
"""The bwrap front end, differentially: the same command line under the
installed bubblewrap and under `glovebox bwrap` must show the same
sandbox (files, modes, mount flags, ids, capabilities, environment, exit
status, --info-fd and --json-status-fd), as root and as an unprivileged
user."""
import hashlib
import json
import os
import platform
import shutil
import signal
import struct
import subprocess
import time
import unittest

from gbtest import both, dir_content, main, make_dirs, processes_with, wait_for

BWRAP = shutil.which("bwrap")
STATUS_KEYS = ("Uid", "Gid", "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb", "NoNewPrivs",
               "Seccomp")


def mounts_under(text, prefixes):
    """mountinfo as {mount point: (per-mount options, type, super options)}
    for the mounts at or below one of the prefixes that the sandbox shows:
    the last mount at a prefix and the mounts on top of it, not the host's
    that a bind of / brought along beneath it (other programs mount and
    unmount there while the tests run)."""
    rows = []
    for line in text.splitlines():
        if " - " not in line:
            continue
        left, right = line.split(" - ", 1)
        fields = left.split()
        fstype, _source, superopts = right.split(" ", 2)
        rows.append((fields[0], fields[1], fields[4], (fields[5], fstype, superopts)))
    found = {}
    for prefix in prefixes:
        tops = [r for r in rows if r[2] == prefix]
        if not tops:
            continue
        keep = {tops[-1][0]}
        grew = True
        while grew:
            grew = False
            for mid, parent, _point, _ in rows:
                if parent in keep and mid not in keep:
                    keep.add(mid)
                    grew = True
        for mid, _parent, point, info in rows:
            if mid in keep:
                found[point] = info
    return found


def fd_at(n, data=None):
    """A pipe's read end at descriptor n (inheritable), holding data (its
    write end closed), or the write end returned when data is None."""
    r, w = os.pipe()
    if data is not None:
        os.write(w, data)
        os.close(w)
        w = None
    if r != n:
        os.dup2(r, n)
        os.close(r)
    return w


class BwrapCase:
    """Run one command line under both, as the test's user."""

    def setUp(self):
        if not BWRAP:
            self.skipTest("bubblewrap is not installed")

    def bw(self, *args, gb=False, **kw):
        front = [self.stage.glovebox, "bwrap"] if gb else [BWRAP]
        return self.run_as(front + list(args), **kw)

    def both_ways(self, *args, **kw):
        return self.bw(*args, **kw), self.bw(*args, gb=True, **kw)

    def same(self, *args, show=lambda r: (r.returncode, r.stdout), **kw):
        """Both runs, compared through show(); returns glovebox's."""
        want, got = self.both_ways(*args, **kw)
        self.assertEqual(show(got), show(want), "bwrap: %s\nglovebox: %s" %
                         (want.stderr, got.stderr))
        return got

    def status(self, *opts):
        # glovebox hides the host's proc a bind of / brings along: a proc of
        # the sandbox's own, in both
        script = "grep -E '^(%s):' /proc/self/status; id -G" % "|".join(STATUS_KEYS)
        return self.same(*opts, "--unshare-pid", "--ro-bind", "/", "/", "--proc", "/proc",
                         "sh", "-c", script)


@both
class Identity(BwrapCase):
    def test_defaults_give_the_same_ids_and_capabilities(self):
        r = self.status()
        self.assertOk(r)
        self.assertIn("NoNewPrivs:\t1", r.stdout)

    def test_a_user_namespace_as_root_inside(self):
        self.status("--unshare-user", "--uid", "0", "--gid", "0")

    def test_other_ids_inside(self):
        self.status("--unshare-user", "--uid", "1234", "--gid", "5678")

    def test_dropping_every_capability(self):
        self.status("--cap-drop", "ALL")

    def test_dropping_one_capability(self):
        self.status("--cap-drop", "CAP_SYS_ADMIN")

    def test_adding_a_capability(self):
        if self.who.is_root:
            self.status("--cap-add", "CAP_NET_ADMIN")
        else:
            self.status("--unshare-user", "--cap-add", "CAP_NET_ADMIN")

    def test_adding_every_capability_as_root_inside(self):
        self.status("--unshare-user", "--uid", "0", "--gid", "0", "--cap-add", "ALL")


@both
class Namespaces(BwrapCase):
    SCRIPT = ("for n in cgroup ipc mnt net pid uts user; do "
              "[ \"$(readlink /proc/self/ns/$n)\" = \"$(cat /mnt/$n)\" ] && echo $n host "
              "|| echo $n own; done; hostname")

    def run_ns(self, *opts):
        d = os.path.join(self.stage.dir, "ns-" + self.who.name)
        os.makedirs(d, exist_ok=True)
        for n in ("cgroup", "ipc", "mnt", "net", "pid", "uts", "user"):
            with open(os.path.join(d, n), "w") as f:
                f.write(os.readlink("/proc/self/ns/" + n) + "\n")
        # a proc of its own to read the links in: a pid namespace always
        return self.same(*opts, "--unshare-pid", "--ro-bind", "/", "/", "--proc", "/proc",
                         "--ro-bind", d, "/mnt", "sh", "-c", self.SCRIPT)

    def test_default_namespaces(self):
        self.run_ns()

    def test_unshare_all(self):
        self.run_ns("--unshare-all")

    def test_unshare_all_sharing_the_network(self):
        self.run_ns("--unshare-all", "--share-net")

    def test_each_namespace(self):
        for ns in ("ipc", "pid", "net", "uts", "cgroup", "user"):
            self.run_ns("--unshare-" + ns)

    def test_the_try_forms(self):
        self.run_ns("--unshare-user-try", "--unshare-cgroup-try")

    def test_a_host_name(self):
        r = self.run_ns("--unshare-uts", "--hostname", "box")
        self.assertTrue(r.stdout.endswith("box\n"))


@both
class Files(BwrapCase):
    def test_created_files_directories_and_their_modes(self):
        # the data descriptors are made fresh for each run
        outs = []
        for gb in (False, True):
            fd_at(13, b"read-only data")
            fd_at(14, b"file data")
            try:
                res = self.bw("--unshare-pid", "--ro-bind", "/", "/", "--proc", "/proc",
                              "--tmpfs", "/tmp", "--dir", "/tmp/d", "--perms", "0711",
                              "--dir", "/tmp/pd", "--symlink", "target", "/tmp/l",
                              "--perms", "0700", "--size", "65536", "--tmpfs", "/tmp/sized",
                              "--ro-bind", "/etc/hostname", "/tmp/h/i/j", "--dir", "/tmp/e/f",
                              "--ro-bind-data", "13", "/tmp/rbd", "--chmod", "0750", "/tmp/d",
                              "--file", "14", "/tmp/f",
                              "sh", "-c", "cd /tmp && stat -c '%n %a %F' $(find . | sort) && "
                              "cat f rbd && readlink l && grep ' /tmp' /proc/self/mountinfo",
                              gb=gb, pass_fds=(13, 14))
            finally:
                os.close(13)
                os.close(14)
            outs.append(res)
        want, got = outs
        self.assertOk(want)
        self.assertOk(got)
        # the files and their modes, line by line
        lines = lambda r: [l for l in r.stdout.splitlines() if not l[0].isdigit()]
        self.assertEqual(lines(got), lines(want))
        # the mounts' flags (file data is a mount in both; bwrap's --file is
        # a plain file: a known difference, see the man page)
        pick = lambda r: {k: v for k, v in mounts_under(r.stdout, ["/tmp"]).items()
                          if k not in ("/tmp/f", "/tmp/rbd")}
        self.assertEqual(pick(got), pick(want))

    def test_bind_data_and_the_bind_fd_forms(self):
        outs = []
        for gb in (False, True):
            fd_at(13, b"data")
            for n, path in ((14, "/usr"), (15, "/etc")):
                fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
                os.dup2(fd, n)
                os.close(fd)
            try:
                outs.append(self.bw(
                    "--unshare-pid", "--ro-bind", "/", "/", "--proc", "/proc", "--tmpfs", "/tmp",
                    "--bind-data", "13", "/tmp/bd", "--ro-bind-fd", "14", "/tmp/u",
                    "--bind-fd", "15", "/tmp/e", "sh", "-c",
                    "cat /tmp/bd; echo more >> /tmp/bd; cat /tmp/bd; stat -c '%n %a' /tmp/bd; "
                    "ls /tmp/u >/dev/null && echo listed; grep ' /tmp/' /proc/self/mountinfo; "
                    "ls /proc/self/fd | grep -E '^1[345]$'; true", gb=gb, pass_fds=(13, 14, 15)))
            finally:
                for n in (13, 14, 15):
                    os.close(n)
        want, got = outs
        self.assertOk(want)
        lines = lambda r: [l for l in r.stdout.splitlines() if " - " not in l]
        self.assertEqual(lines(got), lines(want))
        # the data is a tmpfs file in both (its name inside the tmpfs differs)
        flags = lambda r: {k: v[0] for k, v in mounts_under(r.stdout, ["/tmp"]).items()}
        self.assertEqual(flags(got), flags(want))

    def test_binary_data_with_nul_bytes(self):
        """Flatpak hands its /etc/ld.so.cache, a binary file, to
        --ro-bind-data: every byte arrives, NUL included."""
        data = bytes(range(256)) * 3
        outs = []
        for gb in (False, True):
            for n in (13, 14, 15):
                fd_at(n, data)
            try:
                outs.append(self.bw(
                    "--ro-bind", "/", "/", "--tmpfs", "/tmp", "--ro-bind-data", "13", "/tmp/r",
                    "--bind-data", "14", "/tmp/b", "--file", "15", "/tmp/f", "sh", "-c",
                    "sha256sum /tmp/r /tmp/b /tmp/f; stat -c '%n %s %a' /tmp/r /tmp/b /tmp/f",
                    gb=gb, pass_fds=(13, 14, 15)))
            finally:
                for n in (13, 14, 15):
                    os.close(n)
        want, got = outs
        self.assertOk(want)
        self.assertEqual((got.returncode, got.stdout), (0, want.stdout), got.stderr)
        self.assertIn(hashlib.sha256(data).hexdigest() + "  /tmp/f", got.stdout)

    def test_a_later_mount_hides_an_earlier_one(self):
        script = "stat -f -c %T /tmp; cat /proc/self/mountinfo | wc -l >/dev/null"
        self.same("--tmpfs", "/tmp", "--ro-bind", "/", "/", "sh", "-c", script)
        self.same("--ro-bind", "/", "/", "--tmpfs", "/tmp", "sh", "-c", script)

    def test_remount_ro_is_not_recursive(self):
        script = "grep -E ' /(tmp|tmp/a) ' /proc/self/mountinfo"
        self.same("--unshare-pid", "--ro-bind", "/", "/", "--proc", "/proc", "--tmpfs", "/tmp",
                  "--tmpfs", "/tmp/a", "--remount-ro", "/tmp", "sh", "-c", script,
                  show=lambda r: (r.returncode, mounts_under(r.stdout, ["/tmp"])))

    def test_binds_and_the_try_forms(self):
        script = ("grep -E ' /(x|y|z)' /proc/self/mountinfo; test -e /w && echo w; "
                  "touch /x/new 2>/tmp/err && echo x writable")
        src = os.path.join(self.stage.dir, "src-" + self.who.name)
        os.makedirs(src, exist_ok=True)
        self.who.chown(src)
        self.same("--unshare-pid", "--ro-bind", "/", "/", "--proc", "/proc", "--tmpfs", "/mnt",
                  "--bind", src, "/mnt/x", "--ro-bind", src, "/mnt/y", "--dev-bind", "/dev",
                  "/mnt/z", "--bind-try", "/nonexistent", "/mnt/w",
                  "--ro-bind-try", "/nonexistent", "/mnt/v", "sh", "-c", script,
                  show=lambda r: (r.returncode, mounts_under(r.stdout, ["/mnt"])))

    def test_a_new_dev_and_mqueue(self):
        script = "ls -l /dev | awk '{print $1, $NF}'; stat -c '%n %a' /dev /dev/pts"
        self.same("--unshare-ipc", "--unshare-pid", "--ro-bind", "/", "/", "--dev", "/dev",
                  "--proc", "/proc", "--mqueue", "/dev/mqueue", "sh", "-c", script)


@both
class Environment(BwrapCase):
    def env(self, *opts):
        return self.same(*opts, "--ro-bind", "/", "/", "env",
                         show=lambda r: (r.returncode, sorted(r.stdout.splitlines())))

    def test_the_environment_is_passed_through_with_pwd(self):
        self.env()

    def test_setenv_unsetenv_clearenv(self):
        self.env("--setenv", "A", "1", "--unsetenv", "HOME", "--setenv", "B", "two words")
        self.env("--setenv", "A", "1", "--clearenv", "--setenv", "B", "2")

    def test_the_start_directory(self):
        self.env("--chdir", "/usr")
        # a directory that is not inside: $HOME, then /
        self.same("--ro-bind", "/usr", "/usr", "--ro-bind", "/bin", "/bin", "--ro-bind", "/lib",
                  "/lib", "--ro-bind-try", "/lib64", "/lib64", "/bin/sh", "-c", "pwd; echo $PWD")


@both
class Lifecycle(BwrapCase):
    def test_the_exit_status(self):
        r = self.same("--ro-bind", "/", "/", "sh", "-c", "exit 7",
                      show=lambda r: r.returncode)
        self.assertEqual(r.returncode, 7)

    def test_errors_of_the_command_line(self):
        for args in (["--foo", "true"], ["--bind", "/"], [], ["--perms", "0700", "--bind",
                                                               "/", "/", "true"]):
            want, got = self.both_ways(*args)
            self.assertEqual(got.returncode, 1, args)
            self.assertEqual(want.returncode, 1, args)
            # the usage names the program as called
            first = lambda r: r.stderr.splitlines()[0].replace(BWRAP, "bwrap")
            self.assertEqual(first(got), first(want))

    def test_version_and_help_name_glovebox(self):
        r = self.bw("--version", gb=True)
        self.assertOk(r)
        self.assertIn("glovebox", r.stdout)
        r = self.bw("--help", gb=True)
        self.assertOk(r)
        self.assertIn("--ro-bind SRC DEST", r.stdout)

    def test_unsupported_options_are_refused_by_name(self):
        # the namespaces the caller made: test_bwrap_ns.py
        for name, args in (("--exec-label", ["x"]), ("--file-label", ["x"])):
            argv = [name] + args
            r = self.bw(*argv, "--ro-bind", "/", "/", "true", gb=True)
            self.assertEqual(r.returncode, 1, argv)
            self.assertRegex(r.stderr, r"^bwrap: %s is not supported by glovebox: "
                             r"\S.{20,}\n$" % name, argv)

    def test_called_as_bwrap(self):
        link = os.path.join(self.stage.bin, "bwrap")
        if not os.path.exists(link):
            os.symlink("glovebox", link)
        r = self.run_as([link, "--ro-bind", "/", "/", "sh", "-c", "exit 3"])
        self.assertEqual(r.returncode, 3, r.stderr)

    def reports(self, gb, *opts):
        """The --info-fd and --json-status-fd texts of one run."""
        info_r, info_w = os.pipe()
        json_r, json_w = os.pipe()
        for w, n in ((info_w, 15), (json_w, 16)):
            os.dup2(w, n)
            os.close(w)
        try:
            p = subprocess.Popen(self.who.wrap([self.stage.glovebox, "bwrap"] if gb else
                                               [BWRAP]) + list(opts) + [
                "--info-fd", "15", "--json-status-fd", "16", "--ro-bind", "/", "/",
                "sh", "-c", "exit 3"], pass_fds=(15, 16), env=self.who.env(),
                cwd=self.stage.work, stderr=subprocess.PIPE, text=True)
        finally:
            os.close(15)
            os.close(16)
        with os.fdopen(info_r) as f:
            info = f.read()
        with os.fdopen(json_r) as f:
            status = f.read()
        p.wait(timeout=30)
        return p.returncode, info, status

    def test_info_and_json_status(self):
        for opts in ((), ("--unshare-all",), ("--unshare-pid", "--unshare-net")):
            want = self.reports(False, *opts)
            got = self.reports(True, *opts)
            self.assertEqual(got[0], want[0])
            info_w, info_g = json.loads(want[1]), json.loads(got[1])
            self.assertEqual(sorted(info_g), sorted(info_w), opts)
            self.assertGreater(info_g["child-pid"], 0)
            # multi-line, as bwrap writes it
            self.assertEqual(got[1].count("\n"), want[1].count("\n"))
            docs_w = [json.loads(l) for l in want[2].splitlines()]
            docs_g = [json.loads(l) for l in got[2].splitlines()]
            self.assertEqual([sorted(d) for d in docs_g], [sorted(d) for d in docs_w])
            self.assertEqual(docs_g[0], info_g)
            self.assertEqual(docs_g[-1], docs_w[-1])

    def test_open_descriptors_reach_the_command(self):
        fd_at(17, b"")
        w = fd_at(18)
        os.set_inheritable(18, False)
        try:
            got = self.same("--unshare-pid", "--ro-bind", "/", "/", "--proc", "/proc", "sh",
                            "-c", "ls /proc/self/fd | sort -n | tr '\\n' ' '", pass_fds=(17,))
        finally:
            for fd in (17, 18, w):
                os.close(fd)
        self.assertIn(" 17 ", " " + got.stdout)
        self.assertNotIn(" 18 ", " " + got.stdout)

    def test_block_fd_holds_the_command(self):
        for gb in (False, True):
            w = fd_at(19)
            d = os.path.join(self.stage.dir, "blocked-" + self.who.name)
            os.makedirs(d, exist_ok=True)
            self.who.chown(d)
            marker = os.path.join(d, "marker-%d" % gb)
            try:
                p = subprocess.Popen(self.who.wrap(([self.stage.glovebox, "bwrap"] if gb
                                                    else [BWRAP]) + [
                    "--block-fd", "19", "--ro-bind", "/", "/", "--bind", d, d,
                    "sh", "-c", "echo > " + marker]), pass_fds=(19,), env=self.who.env(),
                    cwd=self.stage.work)
            finally:
                os.close(19)
            time.sleep(0.5)
            self.assertFalse(os.path.exists(marker), "started before the block fd said so")
            os.write(w, b"x")
            os.close(w)
            self.assertEqual(p.wait(timeout=30), 0)
            self.assertTrue(os.path.exists(marker))

    def test_lock_file_holds_a_read_lock_while_the_sandbox_runs(self):
        path = os.path.join(self.stage.dir, "lock-" + self.who.name)
        with open(path, "w") as f:
            f.write("x")
        ino = ":%d " % os.stat(path).st_ino

        def locked():
            with open("/proc/locks") as f:
                return [l for l in f if ino in l and " READ " in l and "POSIX" in l]

        for gb in (False, True):
            p = subprocess.Popen(self.who.wrap(([self.stage.glovebox, "bwrap"] if gb else
                                                [BWRAP]) + [
                "--ro-bind", "/", "/", "--lock-file", path, "sh", "-c", "echo ready; read x"]),
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                env=self.who.env(), cwd=self.stage.work)
            self.assertEqual(p.stdout.readline().strip(), "ready")
            self.assertEqual(len(locked()), 1, "front end %s" % gb)
            p.communicate("\n", timeout=30)
            self.assertEqual(p.returncode, 0)
            self.assertEqual(locked(), [])

    def test_args_and_a_new_session(self):
        # in the pid namespace, the caller's session shows as 0; a new one
        # (bwrap makes it in its pid 1, glovebox in the command) as its leader
        script = ("awk '{print $6 != 0 ? \"own session\" : \"shared session\"}' "
                  "/proc/$$/stat; echo $A")
        opts = b"--unshare-pid\0--ro-bind\0/\0/\0--proc\0/proc\0--setenv\0A\0from args\0"
        for extra in ((), ("--new-session",)):
            outs = []
            for gb in (False, True):
                fd_at(21, opts)
                try:
                    outs.append(self.bw("--args", "21", *extra, "sh", "-c", script, gb=gb,
                                        pass_fds=(21,)))
                finally:
                    os.close(21)
            self.assertEqual((outs[1].returncode, outs[1].stdout),
                             (outs[0].returncode, outs[0].stdout))
            self.assertIn("own session" if extra else "shared session", outs[1].stdout)
            self.assertIn("from args", outs[1].stdout)

    def test_argv0_names_the_command_as_the_manual_says(self):
        # bwrap 0.8 has no --argv0: its manual's meaning (0.9 and later)
        r = self.bw("--argv0", "renamed", "--ro-bind", "/", "/", "sh", "-c", "echo $0", gb=True)
        self.assertOk(r)
        self.assertEqual(r.stdout, "renamed\n")

    def test_sync_fd_stays_open_while_the_sandbox_runs(self):
        for gb in (False, True):
            r, w = os.pipe()
            os.dup2(w, 22)
            os.close(w)
            try:
                p = subprocess.Popen(self.who.wrap(([self.stage.glovebox, "bwrap"] if gb
                                                    else [BWRAP]) + [
                    "--sync-fd", "22", "--ro-bind", "/", "/", "sleep", "1"]),
                    pass_fds=(22,), env=self.who.env(), cwd=self.stage.work)
            finally:
                os.close(22)
            start = time.monotonic()
            self.assertEqual(os.read(r, 1), b"")  # the end, once the sandbox is gone
            os.close(r)
            self.assertGreater(time.monotonic() - start, 0.8, "front end %s" % gb)
            self.assertEqual(p.wait(timeout=30), 0)

    def test_die_with_parent(self):
        marker = "gb-bwrap-parent-%s" % self.who.name
        for gb in (False, True):
            front = [self.stage.glovebox, "bwrap"] if gb else [BWRAP]
            argv = front + ["--die-with-parent", "--ro-bind", "/", "/", "sh", "-c",
                            "echo ready; exec sleep 30 " + marker]
            p = subprocess.Popen(self.who.wrap(["/bin/sh", "-c", '"$@"; :', "sh"] + argv),
                                 stdout=subprocess.PIPE, text=True, env=self.who.env(),
                                 cwd=self.stage.work)
            self.assertEqual(p.stdout.readline().strip(), "ready")
            os.kill(p.pid, signal.SIGKILL)
            p.communicate(timeout=10)
            self.assertTrue(wait_for(lambda: not processes_with(marker)),
                            "front end %s left %s" % (gb, processes_with(marker)))

    def test_a_seccomp_program_is_loaded(self):
        if platform.machine() != "x86_64":
            self.skipTest("the test's BPF program is for x86_64")
        # uname(2) (63) answers EPERM, everything else is allowed
        prog = b"".join(struct.pack("HBBI", *i) for i in (
            (0x20, 0, 0, 4), (0x15, 0, 3, 0xc000003e),       # arch == x86_64
            (0x20, 0, 0, 0), (0x15, 0, 1, 63),                # nr == uname
            (0x06, 0, 0, 0x00050001), (0x06, 0, 0, 0x7fff0000)))
        for opt in ("--seccomp", "--add-seccomp-fd"):
            outs = []
            for gb in (False, True):
                fd_at(20, prog)
                try:
                    outs.append(self.bw(opt, "20", "--unshare-pid", "--ro-bind", "/", "/",
                                        "--proc", "/proc", "sh", "-c",
                                        "uname -n; echo $?; grep Seccomp: /proc/self/status",
                                        gb=gb, pass_fds=(20,)))
                finally:
                    os.close(20)
            self.assertEqual((outs[1].returncode, outs[1].stdout),
                             (outs[0].returncode, outs[0].stdout))
            self.assertIn("Seccomp:\t2", outs[1].stdout)


@both
class UserNamespaces(BwrapCase):
    """--disable-userns and --assert-userns-disabled (bwrap 0.8 has both)."""
    # the errors go to a file: a bind's /dev/null is no device (nodev), and
    # bwrap's message (ENOSPC) is not glovebox's (EPERM)
    ROOT = ("--ro-bind", "/", "/", "--unshare-pid", "--proc", "/proc", "--tmpfs", "/tmp")

    def test_disable_userns_refuses_the_command_new_user_namespaces(self):
        r = self.same("--unshare-user", "--disable-userns", *self.ROOT, "sh", "-c",
                      "unshare -U true 2>/tmp/err; echo $?; unshare -U -r true 2>/tmp/err; "
                      "echo $?; unshare -n true 2>/tmp/err; echo $?")
        self.assertEqual(r.stdout.split()[:2], ["1", "1"])

    def test_without_it_the_command_may(self):
        r = self.same("--unshare-user", *self.ROOT, "sh", "-c",
                      "unshare -U true 2>/tmp/err; echo $?")
        self.assertEqual(r.stdout, "0\n")

    def test_disable_userns_needs_a_user_namespace(self):
        if not self.who.is_root:
            self.skipTest("an unprivileged bwrap always has a user namespace")
        r = self.same("--disable-userns", *self.ROOT, "true",
                      show=lambda r: (r.returncode, r.stderr))
        self.assertEqual(r.returncode, 1)

    def test_assert_userns_disabled(self):
        for opts in (["--unshare-user", "--disable-userns"], ["--unshare-user"], []):
            r = self.same(*opts, "--assert-userns-disabled", *self.ROOT, "echo", "ran",
                          show=lambda r: (r.returncode, r.stdout, r.stderr))
            self.assertEqual(r.returncode, 0 if opts[1:] else 1, opts)


@both
class Overlays(BwrapCase):
    """bwrap 0.8 has no overlays: glovebox against bwrap 0.11's manual and
    its own test suite's expectations (each --overlay-src lies on the ones
    before it; --overlay writes to RWSRC; --ro-overlay writes nowhere)."""

    def setUp(self):
        super().setUp()
        if tuple(int(x) for x in platform.release().split(".")[:2]) < (5, 11):
            self.skipTest("overlayfs in a user namespace needs Linux 5.11")
        self.top = os.path.join(self.who.home, "ovl-" + self._testMethodName)

    def dirs(self, **layers):
        return make_dirs(self.who, self.top, layers)

    def overlay(self, *opts, script):
        return self.bw("--ro-bind", "/", "/", *opts, "sh", "-c", script, gb=True)

    def test_a_throw_away_overlay(self):
        d = self.dirs(lower={"a": "below\n"})
        r = self.overlay("--overlay-src", d["lower"], "--tmp-overlay", "/mnt",
                         script="echo new > /mnt/b && echo over > /mnt/a && cat /mnt/a /mnt/b")
        self.assertOk(r)
        self.assertEqual(r.stdout, "over\nnew\n")
        # the writes went to the layer that vanished
        self.assertEqual(dir_content(d["lower"]), {"a": "below\n"})

    def test_each_overlay_src_lies_on_the_ones_before(self):
        d = self.dirs(l1={"a": "1", "b": "2"}, l2={"b": "3"}, l3={"c": "4"})
        r = self.overlay("--overlay-src", d["l1"], "--overlay-src", d["l2"],
                         "--overlay-src", d["l3"], "--tmp-overlay", "/mnt",
                         script="cat /mnt/a /mnt/b /mnt/c; printf 5 > /mnt/b; cat /mnt/b")
        self.assertOk(r)
        self.assertEqual(r.stdout, "13" "4" "5")
        self.assertEqual(dir_content(d["l1"]), {"a": "1", "b": "2"})
        self.assertEqual(dir_content(d["l2"]), {"b": "3"})

    def test_each_overlay_takes_the_layers_given_since_the_last(self):
        d = self.dirs(l1={"b": "2"}, l2={"b": "3"})
        r = self.overlay("--tmpfs", "/tmp", "--overlay-src", d["l1"], "--tmp-overlay", "/tmp/x",
                         "--overlay-src", d["l2"], "--tmp-overlay", "/tmp/y",
                         script="cat /tmp/x/b; printf 4 > /tmp/x/b; cat /tmp/x/b /tmp/y/b")
        self.assertOk(r)
        self.assertEqual(r.stdout, "243")

    def test_a_kept_overlay_writes_to_rwsrc(self):
        d = self.dirs(l1={"a": "1", "b": "2"}, l2={"b": "3"}, up={}, work={})
        layers = ["--overlay-src", d["l1"], "--overlay-src", d["l2"]]
        kept = ["--overlay", d["up"], d["work"], "/mnt"]
        r = self.overlay(*layers, *kept,
                         script="cat /mnt/a /mnt/b; printf 5 > /mnt/b; printf 6 > /mnt/c; "
                                "cat /mnt/b /mnt/c")
        self.assertOk(r)
        self.assertEqual(r.stdout, "13" "56")
        self.assertEqual(dir_content(d["up"]), {"b": "5", "c": "6"})
        self.assertEqual(dir_content(d["l1"]), {"a": "1", "b": "2"})
        self.assertEqual(dir_content(d["l2"]), {"b": "3"})
        # the next sandbox sees the changes
        r = self.overlay(*layers, *kept, script="cat /mnt/a /mnt/b /mnt/c")
        self.assertOk(r)
        self.assertEqual(r.stdout, "156")

    def test_a_read_only_overlay_writes_nowhere(self):
        d = self.dirs(l1={"a": "1", "b": "2"}, l2={"b": "3"})
        r = self.overlay("--overlay-src", d["l1"], "--overlay-src", d["l2"],
                         "--ro-overlay", "/mnt",
                         script="cat /mnt/a /mnt/b; printf 4 > /mnt/b; s=$?; cat /mnt/b; exit $s")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(r.stdout, "13" "3")
        self.assertIn("Read-only file system", r.stderr)
        self.assertEqual(dir_content(d["l2"]), {"b": "3"})

    def test_what_bwrap_refuses(self):
        d = self.dirs(l1={}, up={}, work={})
        for opts, msg in (
                (["--tmp-overlay", "/mnt"], "--tmp-overlay requires at least one --overlay-src"),
                (["--overlay", d["up"], d["work"], "/mnt"],
                 "--overlay requires at least one --overlay-src"),
                (["--overlay-src", d["l1"], "--ro-overlay", "/mnt"],
                 "--ro-overlay requires at least two --overlay-src"),
                (["--overlay-src", d["l1"]],
                 "--overlay-src must be followed by another --overlay-src or one of "
                 "--overlay, --tmp-overlay, or --ro-overlay")):
            r = self.overlay(*opts, script="true")
            self.assertEqual((r.returncode, r.stderr), (1, "bwrap: %s\n" % msg), opts)


if __name__ == "__main__":
    main()
