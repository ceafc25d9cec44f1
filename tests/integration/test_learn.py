# SPDX-License-Identifier: LGPL-2.1-or-later
"""glovebox learn: a profile learned from a run lets the command run again,
and refuses what the command never did."""
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import http.server

from gbtest import both, main

DENY_SOCKETS = "[profile]\ninclude = default\n[how]\ndeny = @network-io\n"
# calls the probe can make
DENY_PROBED = "[profile]\ninclude = default\n[how]\ndeny = getppid setresgid\n"

STATIC_C = r"""
#include <stdio.h>
#include <sys/socket.h>
int main(void)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
		perror("socketpair");
		return 1;
	}
	puts("ok");
	return 0;
}
"""

PYTHON_SCRIPT = "import socket\na, b = socket.socketpair()\na.send(b'hi')\nprint(b.recv(2).decode())\n"


def user_notif_available():
    try:
        with open("/proc/sys/kernel/seccomp/actions_avail") as f:
            return "user_notif" in f.read().split()
    except OSError:
        return False


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@both
class Learn:
    def setUp(self):
        if not user_notif_available():
            self.skipTest("the kernel has no seccomp user notification "
                          "(/proc/sys/kernel/seccomp/actions_avail lacks user_notif)")
        self.out = os.path.join(self.who.home, "learned-%s.ini" % self._testMethodName)
        if os.path.exists(self.out):
            os.unlink(self.out)

    def learn(self, base, cmd, *extra, probe=True):
        args = ["learn"] + (["-p", base] if base else []) + ["-o", self.out] + list(extra)
        r = self.gb(*args, cmd=cmd, probe=probe)
        self.assertNotEqual(r.returncode, 125, r.stderr)
        self.assertTrue(os.path.exists(self.out), r.stderr)
        with open(self.out) as f:
            return r, f.read()

    def test_a_call_base_refuses_is_learned_and_then_allowed(self):
        base = self.profile("deny-probed", DENY_PROBED)
        self.assertEqual(self.probe("syscall", "getppid", opts=("-p", base)).stdout.strip(),
                         "EPERM")
        r, text = self.learn(base, ["/probe", "syscall", "getppid"])
        self.assertIn("\nallow = getppid\n", text)
        self.assertIn("include = %s" % base, text)
        self.assertEqual(self.probe("syscall", "getppid",
                                    opts=("-p", self.out)).stdout.strip(), "ok")
        # the learning filter is never cached as the base's own
        self.assertEqual(self.probe("syscall", "getppid", opts=("-p", base)).stdout.strip(),
                         "EPERM")

    def test_a_call_never_made_is_still_refused(self):
        base = self.profile("deny-probed", DENY_PROBED)
        self.learn(base, ["/probe", "syscall", "getppid"])
        self.assertEqual(self.probe("syscall", "setresgid", opts=("-p", self.out)).stdout.strip(),
                         "EPERM")

    def test_the_learning_run_itself_gets_what_base_refuses(self):
        base = self.profile("deny-probed", DENY_PROBED)
        r, _ = self.learn(base, ["/probe", "syscall", "getppid"])
        self.assertEqual(r.stdout.strip(), "ok")
        self.assertEqual(r.returncode, 0)

    def test_a_static_binary_is_seen(self):
        cc = shutil.which("cc")
        if not cc:
            self.skipTest("no C compiler")
        src = os.path.join(self.stage.work, "learn-static.c")
        exe = os.path.join(self.stage.work, "learn-static-%s" % self.who.name)
        with open(src, "w") as f:
            f.write(STATIC_C)
        built = subprocess.run([cc, "-static", "-O2", "-o", exe, src], capture_output=True)
        if built.returncode != 0:
            self.skipTest("no static C library (libc6-dev's libc.a): %s" % built.stderr[-200:])
        os.chmod(exe, 0o755)
        base = self.profile("deny-sockets", DENY_SOCKETS)
        name = "./" + os.path.basename(exe)
        refused = self.gb("-p", base, cmd=[name], probe=False)
        self.assertEqual(refused.returncode, 1, refused.stderr)
        _, text = self.learn(base, [name], probe=False)
        self.assertIn("socketpair", text)
        again = self.gb("-p", self.out, cmd=[name], probe=False)
        self.assertOk(again)
        self.assertEqual(again.stdout.strip(), "ok")

    def test_a_python_script_is_seen(self):
        script = self.stage.write("work/learn-script.py", PYTHON_SCRIPT)
        base = self.profile("deny-sockets", DENY_SOCKETS)
        cmd = ["python3", "./" + os.path.basename(script)]
        self.assertNotEqual(self.gb("-p", base, cmd=cmd, probe=False).returncode, 0)
        _, text = self.learn(base, cmd, probe=False)
        self.assertIn("socketpair", text)
        self.assertIn("# Socket families used: unix\n", text)
        # Python asks whether its output is a terminal
        self.assertIn("0x5401 TCGETS", text)
        again = self.gb("-p", self.out, cmd=cmd, probe=False)
        self.assertOk(again)
        self.assertEqual(again.stdout.strip(), "hi")

    def test_curl_to_a_loopback_server_learns_the_network(self):
        if not shutil.which("curl"):
            self.skipTest("curl is not installed")
        root = tempfile.mkdtemp(prefix="gb-learn-http-")
        with open(os.path.join(root, "hello.txt"), "w") as f:
            f.write("hello from the host\n")
        handler = lambda *a, **kw: QuietHandler(*a, directory=root, **kw)
        server = http.server.HTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            url = "http://127.0.0.1:%d/hello.txt" % server.server_address[1]
            cmd = ["curl", "-sS", "--max-time", "10", url]
            # default has network = none: the server is out of reach
            r, text = self.learn("default", cmd, probe=False)
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("\nnetwork = host\n", text)
            again = self.gb("-p", self.out, cmd=cmd, probe=False)
            self.assertOk(again)
            self.assertEqual(again.stdout, "hello from the host\n")
        finally:
            server.shutdown()
            server.server_close()
            shutil.rmtree(root, ignore_errors=True)

    def test_a_file_base_does_not_show_is_bound_read_only(self):
        data = self.stage.write("learn-data-%s.txt" % self.who.name, "the data\n")
        cmd = ["cat", data]
        self.assertNotEqual(self.gb(cmd=cmd, probe=False).returncode, 0)
        _, text = self.learn(None, cmd, probe=False)
        self.assertIn("\nro-bind = %s\n" % data, text)
        again = self.gb("-p", self.out, cmd=cmd, probe=False)
        self.assertOk(again)
        self.assertEqual(again.stdout, "the data\n")

    def test_a_file_written_is_bound_writable(self):
        data = self.stage.write("learn-log-%s.txt" % self.who.name, "")
        self.who.chown(data)
        cmd = ["sh", "-c", "echo line >> %s" % data]
        _, text = self.learn(None, cmd, probe=False)
        self.assertIn("\nbind = %s\n" % data, text)
        self.assertNotIn("ro-bind = %s" % data, text)
        self.assertOk(self.gb("-p", self.out, cmd=cmd, probe=False))
        with open(data) as f:
            self.assertEqual(f.read(), "line\n")

    def test_a_file_created_in_a_directory_base_lacks_binds_the_directory(self):
        outdir = self.stage.path("learn-out-%s" % self.who.name)
        os.makedirs(outdir, exist_ok=True)
        self.who.chown(outdir)
        target = os.path.join(outdir, "new.txt")
        if os.path.exists(target):
            os.unlink(target)
        cmd = ["sh", "-c", "echo made > %s" % target]
        _, text = self.learn(None, cmd, probe=False)
        self.assertIn("\nbind = %s\n" % outdir, text)
        self.assertFalse(os.path.exists(target))
        self.assertOk(self.gb("-p", self.out, cmd=cmd, probe=False))
        with open(target) as f:
            self.assertEqual(f.read(), "made\n")

    def test_merge_adds_a_second_run(self):
        base = self.profile("deny-probed", DENY_PROBED)
        self.learn(base, ["/probe", "syscall", "getppid"])
        _, text = self.learn(self.out, ["/probe", "syscall", "setresgid"], "--merge")
        self.assertIn("include = %s\n" % base, text)
        self.assertNotIn("include = %s" % self.out, text)
        for call in ("getppid", "setresgid"):
            self.assertEqual(self.probe("syscall", call, opts=("-p", self.out)).stdout.strip(),
                             "ok", call)
        self.assertEqual(text.count("# learn-run "), 2)

    def test_merge_refuses_a_profile_learn_did_not_write(self):
        with open(self.out, "w") as f:
            f.write("[how]\nallow = bind\n")
        self.who.chown(self.out)
        r = self.gb("learn", "-o", self.out, "--merge", cmd=["/probe", "syscall", "getppid"])
        self.assertEqual(r.returncode, 125)
        self.assertIn("not a profile glovebox learn wrote", r.stderr)
        with open(self.out) as f:
            self.assertEqual(f.read(), "[how]\nallow = bind\n")

    def test_learn_needs_an_output_file(self):
        r = self.gb("learn", cmd=["/probe", "syscall", "getppid"])
        self.assertEqual(r.returncode, 2)
        self.assertIn("learn needs -o", r.stderr)


if __name__ == "__main__":
    main()
