# SPDX-License-Identifier: LGPL-2.1-or-later
"""Real programs under each shipped profile, run the way a person runs them.

Every test writes a small project into a directory the identity owns, under
its home (~/work/NAME), and runs glovebox from inside that directory:
`cd ~/work/hello && glovebox -p build -- make -j2`. What the sandbox built
is then looked at, and run, on the host. The tools come from
tools/install-deps; a test skips, saying which, only when one is missing.
"""
import hashlib
import http.server
import os
import random
import shutil
import subprocess
import threading

from gbtest import both, main

# Every program here finishes in seconds; the bound is for a loaded machine.
TIMEOUT = 300

GREET_H = "const char *greet(void);\n"
GREET_C = '#include "greet.h"\nconst char *greet(void) { return "hello from the tree"; }\n'
MAIN_C = """#include <stdio.h>
#include "greet.h"
int main(void) { puts(greet()); return 0; }
"""
C_SOURCES = {"greet.h": GREET_H, "greet.c": GREET_C, "main.c": MAIN_C}
HELLO = "hello from the tree\n"


class Programs:
    """Projects under ~/work, and glovebox run from inside them."""

    # What tools/install-deps leaves out on purpose (its comment says why).
    NOT_INSTALLED = {
        "cargo": "large",
        "npm": "Debian's npm conflicts with NodeSource's nodejs, which bundles it",
    }

    def need(self, *tools):
        for tool in tools:
            if shutil.which(tool, path="/usr/local/bin:/usr/bin:/bin") is not None:
                continue
            if tool in self.NOT_INSTALLED:
                self.skipTest("%s is not installed (tools/install-deps leaves it out: %s)"
                              % (tool, self.NOT_INSTALLED[tool]))
            self.skipTest("%s is not installed (tools/install-deps installs it)" % tool)

    def tree(self, name, files):
        """Write FILES (path: text, or path: (text, mode)) into ~/work/NAME,
        everything owned by the identity; returns the directory."""
        work = os.path.join(self.who.home, "work")
        root = os.path.join(work, name)
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(root)
        for rel, text in files.items():
            text, mode = text if isinstance(text, tuple) else (text, 0o644)
            path = os.path.join(root, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(text)
            os.chmod(path, mode)
        self.who.chown(work)
        for top, dirs, names in os.walk(root):
            for entry in [top] + [os.path.join(top, n) for n in dirs + names]:
                self.who.chown(entry)
        self.addCleanup(shutil.rmtree, root, ignore_errors=True)
        return root

    def run_in(self, tree, argv, env=None, **kw):
        """ARGV as the identity, with TREE as its current directory."""
        kw.setdefault("stdout", subprocess.PIPE)
        kw.setdefault("stderr", subprocess.PIPE)
        kw.setdefault("text", True)
        return subprocess.run(self.who.wrap(argv), cwd=tree, env=self.who.env(env),
                              timeout=TIMEOUT, **kw)

    def glovebox_in(self, tree, *args, **kw):
        return self.run_in(tree, [self.stage.glovebox] + list(args), **kw)

    def steps_in(self, tree, profile, *commands):
        """Run each command as `glovebox -p PROFILE -- COMMAND` from TREE,
        stopping at the first that fails."""
        for argv in commands:
            r = self.glovebox_in(tree, "-p", profile, "--", *argv)
            self.assertOk(r, "%s failed, exit %d\nstdout: %s\nstderr: %s" %
                          (" ".join(argv), r.returncode, r.stdout, r.stderr))
        return r

    def assertRunsOnHost(self, tree, program, out=HELLO):
        """PROGRAM, built in the sandbox, exists in TREE on the host and runs there."""
        path = os.path.join(tree, program)
        self.assertTrue(os.path.isfile(path), "%s was not built" % program)
        r = self.run_in(tree, [path])
        self.assertOk(r)
        self.assertEqual(r.stdout, out)


@both
class BuildProfile(Programs):
    """`-p build`: the tree writable, the system read-only, and the usual
    build systems work in it."""

    def test_make_j2_builds_a_multi_file_c_project_with_a_sub_make(self):
        self.need("make", "cc", "ar")
        tree = self.tree("make", {
            "main.c": MAIN_C,
            "lib/greet.h": GREET_H,
            "lib/greet.c": GREET_C,
            # A sub-make shares the jobserver; ar and a generated header run
            # recipes through the shell.
            "lib/Makefile": "libgreet.a: greet.o\n\t$(AR) rcs $@ greet.o\n"
                            "greet.o: greet.c greet.h\n\t$(CC) $(CFLAGS) -c -o $@ greet.c\n",
            "Makefile": "CFLAGS = -O2 -Wall -Ilib -I.\n"
                        "hello: main.o lib/libgreet.a\n"
                        "\t$(CC) $(CFLAGS) -o $@ main.o lib/libgreet.a\n"
                        "main.o: main.c lib/greet.h version.h\n"
                        "version.h:\n\techo '#define VERSION \"1\"' | cat > $@\n"
                        "lib/libgreet.a: FORCE\n\t$(MAKE) -C lib CFLAGS='$(CFLAGS)'\n"
                        "FORCE:\n.PHONY: FORCE\n",
        })
        self.steps_in(tree, "build", ["make", "-j2"])
        self.assertRunsOnHost(tree, "hello")

    def test_meson_and_ninja_set_up_compile_and_test_a_project(self):
        self.need("meson", "ninja", "cc")
        tree = self.tree("meson", dict(C_SOURCES, **{
            "meson.build": "project('hello', 'c')\n"
                           "greet = static_library('greet', 'greet.c')\n"
                           "hello = executable('hello', 'main.c', link_with: greet)\n"
                           "test('says hello', hello)\n",
        }))
        self.steps_in(tree, "build", ["meson", "setup", "b"], ["meson", "compile", "-C", "b"],
                      ["meson", "test", "-C", "b"])
        self.assertRunsOnHost(tree, "b/hello")

    def test_autoreconf_configure_and_make_build_an_autotools_project(self):
        self.need("autoreconf", "automake", "make", "cc")
        tree = self.tree("autotools", dict(C_SOURCES, **{
            "configure.ac": "AC_INIT([hello], [1.0])\n"
                            "AM_INIT_AUTOMAKE([foreign])\n"
                            "AC_PROG_CC\n"
                            "AC_CONFIG_FILES([Makefile])\n"
                            "AC_OUTPUT\n",
            "Makefile.am": "bin_PROGRAMS = hello\nhello_SOURCES = main.c greet.c greet.h\n",
        }))
        self.steps_in(tree, "build", ["autoreconf", "-i"], ["./configure"], ["make", "-j2"])
        self.assertRunsOnHost(tree, "hello")

    def test_cmake_configures_and_builds_a_project(self):
        self.need("cmake", "make", "cc")
        tree = self.tree("cmake", dict(C_SOURCES, **{
            "CMakeLists.txt": "cmake_minimum_required(VERSION 3.13)\n"
                              "project(hello C)\n"
                              "add_library(greet STATIC greet.c)\n"
                              "add_executable(hello main.c)\n"
                              "target_link_libraries(hello greet)\n",
        }))
        self.steps_in(tree, "build", ["cmake", "-S", ".", "-B", "b"],
                      ["cmake", "--build", "b", "-j2"])
        self.assertRunsOnHost(tree, "b/hello")

    def test_git_commits_in_the_tree(self):
        self.need("git")
        tree = self.tree("git", C_SOURCES)
        who = ["-c", "user.name=Glovebox Test", "-c", "user.email=test@glovebox.invalid"]
        self.steps_in(tree, "build", ["git", "init", "-q"], ["git", "add", "-A"],
                      ["git"] + who + ["commit", "-q", "-m", "first commit"])
        r = self.steps_in(tree, "build", ["git", "status", "--porcelain"])
        self.assertEqual(r.stdout, "")
        # The commit is in the tree on the host, and git there reads it.
        r = self.run_in(tree, ["git", "log", "--format=%an: %s"])
        self.assertOk(r)
        self.assertEqual(r.stdout, "Glovebox Test: first commit\n")


@both
class DefaultProfile(Programs):
    """No profile: a script or a pipeline run from the current directory."""

    def test_a_python_script_runs_from_the_current_directory(self):
        self.need("python3")
        tree = self.tree("python", {
            "helper.py": "def total(path):\n"
                         "    with open(path) as f:\n"
                         "        return sum(int(line) for line in f)\n",
            "script.py": "import helper\nprint('total', helper.total('numbers.txt'))\n",
            "numbers.txt": "".join("%d\n" % i for i in range(1, 101)),
        })
        r = self.glovebox_in(tree, "--", "python3", "script.py")
        self.assertOk(r)
        self.assertEqual(r.stdout, "total 5050\n")

    def test_a_shell_script_runs_from_the_current_directory(self):
        script = ("#!/bin/sh\nset -e\n"
                  "while read -r name; do echo \"hello, $name\"; done < names.txt\n")
        tree = self.tree("shell", {"script.sh": (script, 0o755), "names.txt": "ada\nalan\n"})
        for argv in (["sh", "./script.sh"], ["./script.sh"]):
            r = self.glovebox_in(tree, "--", *argv)
            self.assertOk(r)
            self.assertEqual(r.stdout, "hello, ada\nhello, alan\n", argv)

    def test_a_coreutils_pipeline_gives_what_it_gives_on_the_host(self):
        words = random.Random(4).choices(["glove", "box", "sand", "lab", "glass"], k=5000)
        tree = self.tree("pipeline", {"words.txt": " ".join(words) + "\n"})
        pipeline = ("tr -s ' ' '\\n' < words.txt | sort | uniq -c | sort -k1,1nr -k2,2 "
                    "| head -n 3 | awk '{ print $2 }' | paste -sd, -")
        host = self.run_in(tree, ["sh", "-c", pipeline])
        inside = self.glovebox_in(tree, "--", "sh", "-c", pipeline)
        self.assertOk(host)
        self.assertOk(inside)
        self.assertEqual(inside.stdout, host.stdout, inside.stderr)
        self.assertEqual(len(inside.stdout.split(",")), 3)
        # glovebox in the middle of a pipeline in the host's shell
        r = self.run_in(tree, ["sh", "-c", "%s -- tr a-z A-Z < words.txt | tr ' ' '\\n' | sort -u"
                               % self.stage.glovebox])
        self.assertOk(r)
        self.assertEqual(r.stdout, "BOX\nGLASS\nGLOVE\nLAB\nSAND\n")

    def test_sort_of_a_50_mb_file_matches_the_hosts(self):
        tree = self.tree("sort", {})
        big = os.path.join(tree, "big.txt")
        rng = random.Random(50)
        with open(big, "w") as f:
            for _ in range(50):
                digits = rng.randbytes(1 << 19).hex()
                f.write("\n".join(digits[i:i + 31] for i in range(0, len(digits), 32)) + "\n")
        self.who.chown(big)
        # A small buffer makes sort spill runs to temporary files and merge
        # them, as it does with any file larger than its memory: in the
        # sandbox they go to its private /tmp.
        sort = ["sort", "-S", "8M", "big.txt"]
        on_host, inside = os.path.join(tree, "on-host"), os.path.join(tree, "inside")
        # On the host, the identity's own temporary directory: the test
        # machine's /tmp need not be writable for nobody.
        tmp = os.path.join(tree, "tmp")
        os.mkdir(tmp)
        self.who.chown(tmp)
        with open(on_host, "wb") as f:
            self.assertOk(self.run_in(tree, sort, env={"TMPDIR": tmp}, stdout=f))
        with open(inside, "wb") as f:
            self.assertOk(self.glovebox_in(tree, "--", *sort, stdout=f))
        self.assertEqual(os.path.getsize(inside), 50 << 20)
        self.assertEqual(sha256(inside), sha256(on_host))


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class Server(http.server.BaseHTTPRequestHandler):
    """Answers GET /file with BODY and counts the requests that reached it."""
    BODY = b"served from the host's loopback\n"
    hits = 0

    def do_GET(self):
        Server.hits += 1
        code, body = (200, self.BODY) if self.path == "/file" else (404, b"")
        self.send_response(code)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Served:
    """A Server on the host's loopback for the class's tests, at
    cls.base (http://127.0.0.1:PORT) and cls.url (its /file)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Server)
        cls.base = "http://127.0.0.1:%d" % cls.server.server_address[1]
        cls.url = cls.base + "/file"
        # A daemon thread: the server cannot outlive the test process.
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()
        super().tearDownClass()


@both
class OnlineProfile(Served, Programs):
    """`-p online` reaches a server on the host's loopback; the default
    sandbox, with a network of its own, does not."""

    def test_curl_fetches_from_the_hosts_loopback(self):
        self.need("curl")
        tree = self.tree("curl", {})
        r = self.glovebox_in(tree, "-p", "online", "--", "curl", "-sS", "--max-time", "20",
                             self.url)
        self.assertOk(r)
        self.assertEqual(r.stdout, Server.BODY.decode())

    def test_python_urllib_fetches_from_the_hosts_loopback(self):
        self.need("python3")
        tree = self.tree("urllib", {})
        fetch = ("import sys, urllib.request\n"
                 "sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=20).read()"
                 ".decode())\n")
        r = self.glovebox_in(tree, "-p", "online", "--", "python3", "-c", fetch, self.url)
        self.assertOk(r)
        self.assertEqual(r.stdout, Server.BODY.decode())

    def test_the_default_sandbox_does_not_reach_the_hosts_loopback(self):
        self.need("curl")
        tree = self.tree("offline", {})
        before = Server.hits
        r = self.glovebox_in(tree, "--", "curl", "-sS", "--max-time", "20", self.url)
        # 7: nothing listens on the sandbox's own loopback
        self.assertEqual(r.returncode, 7, r.stderr)
        self.assertEqual(r.stdout, "")
        self.assertEqual(Server.hits, before)


if __name__ == "__main__":
    main()
