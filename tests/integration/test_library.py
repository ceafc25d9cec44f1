# SPDX-License-Identifier: LGPL-2.1-or-later
"""The profile library: each shipped purpose profile runs the real programs
it is meant for, and keeps out what it is meant to keep out; a building
block (grant-*, restrict-*) cannot run a command alone.

Like test_programs.py (whose classes cover `default`, `online` and the
make, meson, autotools and cmake builds of `build`), every test writes a
small tree under the identity's home and runs glovebox from inside it. A
test skips, saying which, only when a tool is missing.
"""
import functools
import glob
import http.server
import os
import socket
import subprocess
import threading

from gbtest import both, main
from test_programs import Programs, Served, Server

PROFILES = os.path.join(os.environ["GB_SOURCE_ROOT"], "profiles")

# Which test class runs each shipped purpose profile: a profile added
# without one fails test_every_purpose_profile_has_a_test.
TESTED_BY = {
    "default": "test_programs.DefaultProfile",
    "online": "test_programs.OnlineProfile",
    "build": "test_programs.BuildProfile, test_library.BuildOffline",
    "untrusted": "test_library.Untrusted",
    "network-client": "test_library.NetworkClient",
    "python": "test_library.PythonProfile",
    "node": "test_library.NodeProfile",
    "shell": "test_library.ShellProfile",
    # the desktop apps: each drawn on a real display
    "xterm": "test_desktop.X11Apps",
    "foot": "test_desktop.WaylandApps",
    "feh": "test_desktop.X11Apps",
    "zathura": "test_desktop.X11Apps",
    "mousepad": "test_desktop.X11Apps",
    "mpv": "test_desktop.X11Apps",
}

BLOCK_PREFIXES = ("grant-", "restrict-")


def shipped(blocks):
    names = sorted(os.path.basename(p)[:-4] for p in glob.glob(os.path.join(PROFILES, "*.ini")))
    return [n for n in names if n.startswith(BLOCK_PREFIXES) == blocks]


# ---- the library as a whole ----

@both
class Library(Programs):

    def test_every_purpose_profile_has_a_test(self):
        self.assertEqual(shipped(blocks=False), sorted(TESTED_BY))

    def test_a_building_block_run_alone_runs_nothing(self):
        blocks = shipped(blocks=True)
        self.assertGreaterEqual(len(blocks), 5, blocks)
        tree = self.tree("alone", {})
        for name in blocks:
            r = self.glovebox_in(tree, "-p", name, "--", "true")
            self.assertEqual(r.returncode, 125, "%s ran alone: %s" % (name, r.stderr))
            with open(os.path.join(PROFILES, name + ".ini")) as f:
                self.assertIn("description = Building block (include it, do not run it)",
                              f.read(), name)

    def test_every_purpose_profile_checks_clean(self):
        for name in shipped(blocks=False):
            r = self.run_as([self.stage.glovebox, "check", name])
            self.assertOk(r, "%s: %s" % (name, r.stderr))


# ---- untrusted ----

FORK_UNTIL_REFUSED = """
import os, signal, time
pids, err = [], 0
try:
    while len(pids) < 2000:
        pid = os.fork()
        if pid == 0:
            time.sleep(60)
            os._exit(0)
        pids.append(pid)
except OSError as e:
    err = e.errno
for pid in pids:
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
print(len(pids), err)
"""

# Copies a program into every writable place and runs it there, directly
# and through the dynamic loader; prints what ran.
WRITE_THEN_RUN = """
ld=$(sed -n 's/^.*interpreter \\([^,]*\\),.*$/\\1/p' /tmp/ldso)
for d in /tmp "$HOME" /dev/shm; do
    cp /bin/true "$d/t" && chmod 755 "$d/t" || { echo "cannot write $d"; continue; }
    "$d/t" 2>/dev/null && echo "ran $d/t"
    "$ld" "$d/t" 2>/dev/null && echo "ran $d/t through $ld"
done
echo done
"""


@both
class Untrusted(Served, Programs):
    """`-p untrusted`: ordinary tools on the current directory, and no
    network, no new programs, no unbounded use."""

    def untrusted(self, tree, *argv, opts=()):
        return self.glovebox_in(tree, "-p", "untrusted", *opts, "--", *argv)

    def test_coreutils_grep_sed_awk_tar_and_file_work_on_the_current_directory(self):
        self.need("file", "tar", "awk")
        tree = self.tree("tools", {"sales.csv": "fruit,count\napple,3\npear,5\napple,4\n",
                                   "notes.txt": "buy apples\n"})
        script = ("grep apple sales.csv | sed 's/apple/APPLE/' | awk -F, '{ s += $2 } END "
                  "{ print $1, s }'; sort -t, -k2n sales.csv | head -n 2 | cut -d, -f1 | "
                  "paste -sd' ' -; tar -cf /tmp/a.tar sales.csv notes.txt && mkdir /tmp/x && "
                  "tar -xf /tmp/a.tar -C /tmp/x && cmp sales.csv /tmp/x/sales.csv && "
                  "tar -tf /tmp/a.tar | wc -l; file -b notes.txt; wc -c < notes.txt; "
                  "date +%Z")
        r = self.untrusted(tree, "sh", "-c", script)
        self.assertOk(r)
        # the time zone is the host's (grant-locale)
        zone = self.run_in(tree, ["date", "+%Z"]).stdout.strip()
        self.assertEqual(r.stdout.splitlines(),
                         ["APPLE 7", "fruit apple", "2", "ASCII text", "11", zone])

    def test_a_python_script_runs(self):
        self.need("python3")
        tree = self.tree("py", {"total.py": "import csv, sys\n"
                                            "rows = csv.DictReader(open(sys.argv[1]))\n"
                                            "print(sum(int(r['n']) for r in rows))\n",
                                "data.csv": "n\n1\n2\n39\n"})
        r = self.untrusted(tree, "python3", "total.py", "data.csv")
        self.assertOk(r)
        self.assertEqual(r.stdout, "42\n")

    def test_the_network_is_out_of_reach(self):
        self.need("python3")
        tree = self.tree("net", {})
        before = Server.hits
        connect = ("import socket, sys\n"
                   "try:\n"
                   "    socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=5)\n"
                   "except OSError as e:\n"
                   "    print('refused', e.errno)\n")
        port = str(self.server.server_address[1])
        r = self.untrusted(tree, "python3", "-c", connect, port)
        self.assertOk(r)
        self.assertTrue(r.stdout.startswith("refused"), r.stdout)
        self.assertEqual(Server.hits, before)
        # the same connection without the sandbox reaches the server
        r = self.run_in(tree, ["python3", "-c", connect.replace("print('refused'", "print('x'")
                               + "else:\n    print('connected')\n", port])
        self.assertEqual(r.stdout, "connected\n")

    def test_a_program_written_in_the_sandbox_cannot_be_run(self):
        self.need("file")
        tree = self.tree("wx", {})
        script = "file -L /bin/true > /tmp/ldso\n" + WRITE_THEN_RUN
        r = self.untrusted(tree, "sh", "-c", script)
        self.assertOk(r)
        self.assertEqual(r.stdout, "done\n")
        # The same script runs the copies in the default sandbox: the test
        # can see a program run.
        r = self.glovebox_in(tree, "--", "sh", "-c", script)
        self.assertIn("ran /tmp/t\n", r.stdout)
        self.assertIn("through", r.stdout)

    def test_the_current_directory_is_read_only(self):
        tree = self.tree("ro", {"keep.txt": "mine\n"})
        r = self.untrusted(tree, "sh", "-c", "echo x > keep.txt || echo refused")
        self.assertEqual(r.stdout, "refused\n")
        with open(os.path.join(tree, "keep.txt")) as f:
            self.assertEqual(f.read(), "mine\n")

    def test_a_fork_bomb_stops_at_the_process_limit(self):
        self.need("python3")
        if self.who.is_root and tuple(map(int, os.uname().release.split(".")[:2])) < (6, 14):
            self.skipTest("before Linux 6.14 processes = N is RLIMIT_NPROC, which the kernel "
                          "does not enforce for root")
        tree = self.tree("bomb", {})
        r = self.untrusted(tree, "python3", "-c", FORK_UNTIL_REFUSED, opts=("--timeout", "120"))
        self.assertOk(r)
        count, err = map(int, r.stdout.split())
        self.assertLess(count, 256)
        self.assertGreater(count, 100)
        self.assertEqual(err, 11)  # EAGAIN

    def test_files_in_memory_stop_at_the_tmpfs_budget(self):
        tree = self.tree("fill", {})
        r = self.untrusted(tree, "sh", "-c",
                           "head -c 300M /dev/zero > /tmp/big; echo $?; wc -c < /tmp/big")
        status, size = r.stdout.split()
        self.assertNotEqual(status, "0")
        self.assertIn("No space left on device", r.stderr)
        self.assertLessEqual(int(size), 256 << 20)

    def test_etc_shows_only_what_programs_read(self):
        tree = self.tree("etc", {})
        r = self.untrusted(tree, "sh", "-c", "ls /etc")
        self.assertOk(r)
        shown = set(r.stdout.split())
        self.assertIn("ld.so.cache", shown)
        self.assertIn("passwd", shown)
        for hidden in ("shadow", "apt", "hostname", "ssl", "resolv.conf", "crontab"):
            self.assertNotIn(hidden, shown)


# ---- network-client ----

@both
class NetworkClient(Served, Programs):
    """`-p network-client`: curl, wget and git fetch from a server on the
    host's loopback into the current directory; the home stays out."""

    def client(self, tree, *argv):
        r = self.glovebox_in(tree, "-p", "network-client", "--", *argv)
        self.assertOk(r)
        return r

    def fetched(self, tree, name):
        with open(os.path.join(tree, name), "rb") as f:
            self.assertEqual(f.read(), Server.BODY)

    def test_curl_downloads_into_the_current_directory(self):
        self.need("curl")
        tree = self.tree("curl", {})
        self.client(tree, "curl", "-sSf", "--max-time", "20", "-o", "got", self.base + "/file")
        self.fetched(tree, "got")

    def test_wget_downloads_into_the_current_directory(self):
        self.need("wget")
        tree = self.tree("wget", {})
        self.client(tree, "wget", "-q", "--timeout=20", "-O", "got", self.base + "/file")
        self.fetched(tree, "got")

    def test_the_ca_certificates_and_name_resolution_are_there(self):
        tree = self.tree("tls", {})
        present = [p for p in ("/etc/ssl/certs/ca-certificates.crt", "/etc/resolv.conf",
                               "/etc/hosts") if os.path.exists(p)]
        if not present:
            self.skipTest("the host has no CA bundle, resolv.conf or hosts file")
        r = self.client(tree, "sh", "-c", 'for f; do head -c 64 "$f" > /dev/null && echo "$f"; '
                        'done', "sh", *present)
        self.assertEqual(r.stdout.split(), present)

    def test_the_home_stays_out(self):
        tree = self.tree("home", {})
        secret = os.path.join(self.who.home, "token")
        with open(secret, "w") as f:
            f.write("s3cret\n")
        self.who.chown(secret)
        self.addCleanup(os.unlink, secret)
        r = self.glovebox_in(tree, "-p", "network-client", "--", "cat", secret)
        self.assertNotEqual(r.returncode, 0)
        self.assertNotIn("s3cret", r.stdout)


class GitRepos(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@both
class NetworkClientGit(Programs):
    """git clone over HTTP (git's dumb protocol: a bare repository served
    as files, by python's http.server) under `-p network-client`."""

    def test_git_clones_over_http_into_the_current_directory(self):
        self.need("git")
        src = self.tree("git-src", {"README": "served by git\n"})
        git = ["git", "-c", "user.name=T", "-c", "user.email=t@glovebox.invalid"]
        for argv in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "first"],
                     ["clone", "-q", "--bare", ".", "repo.git"]):
            self.assertOk(self.run_in(src, git + argv))
        self.assertOk(self.run_in(os.path.join(src, "repo.git"), ["git", "update-server-info"]))
        handler = functools.partial(GitRepos, directory=src)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        tree = self.tree("git-clone", {})
        url = "http://127.0.0.1:%d/repo.git" % server.server_address[1]
        r = self.glovebox_in(tree, "-p", "network-client", "--", "git", "clone", "-q", url, "c")
        self.assertOk(r)
        with open(os.path.join(tree, "c", "README")) as f:
            self.assertEqual(f.read(), "served by git\n")


# ---- python, node, shell ----

@both
class PythonProfile(Programs):
    """`-p python`: a script with the standard library on the current
    directory, which it cannot change; no network."""

    def test_a_script_with_the_standard_library_reads_the_current_directory(self):
        self.need("python3")
        tree = self.tree("python", {
            "report.py": "import json, sqlite3, statistics, sys\n"
                         "rows = json.load(open(sys.argv[1]))\n"
                         "db = sqlite3.connect(':memory:')\n"
                         "db.execute('create table t (n)')\n"
                         "db.executemany('insert into t values (?)', [(n,) for n in rows])\n"
                         "print(db.execute('select sum(n) from t').fetchone()[0],\n"
                         "      statistics.median(rows))\n",
            "rows.json": "[3, 1, 4, 1, 5]\n",
        })
        r = self.glovebox_in(tree, "-p", "python", "--", "python3", "report.py", "rows.json")
        self.assertOk(r)
        self.assertEqual(r.stdout, "14 3\n")

    def test_python_c_cannot_write_the_current_directory_nor_connect(self):
        self.need("python3")
        tree = self.tree("python-c", {})
        code = ("import socket\n"
                "try:\n    open('out', 'w')\nexcept OSError as e:\n    print('write', e.errno)\n"
                "try:\n    socket.create_connection(('127.0.0.1', 9), timeout=5)\n"
                "except OSError as e:\n    print('connect failed')\n")
        r = self.glovebox_in(tree, "-p", "python", "--", "python3", "-c", code)
        self.assertOk(r)
        self.assertEqual(r.stdout, "write 30\nconnect failed\n")  # EROFS


@both
class NodeProfile(Programs):
    """`-p node`: node -e, and a script that requires a module of its own."""

    def test_node_e_and_a_script_with_a_local_module_run(self):
        self.need("node")
        tree = self.tree("node", {
            "lib.js": "exports.total = (xs) => xs.reduce((a, b) => a + b, 0);\n",
            "main.js": "const fs = require('fs');\n"
                       "const { total } = require('./lib');\n"
                       "console.log(total(JSON.parse(fs.readFileSync(process.argv[2]))));\n",
            "n.json": "[20, 22]\n",
        })
        r = self.glovebox_in(tree, "-p", "node", "--", "node", "-e",
                             "console.log([1, 2, 3].map((x) => x * 2).join(' '))")
        self.assertOk(r)
        self.assertEqual(r.stdout, "2 4 6\n")
        r = self.glovebox_in(tree, "-p", "node", "--", "node", "main.js", "n.json")
        self.assertOk(r)
        self.assertEqual(r.stdout, "42\n")


@both
class ShellProfile(Programs):
    """`-p shell`: bash and sh scripts that read the home, which stays
    unchanged."""

    def test_bash_and_sh_read_the_home_and_cannot_change_it(self):
        self.need("bash")
        tree = self.tree("shell", {"greet.sh": "echo \"hello from $0\"\n"})
        note = os.path.join(self.who.home, "note.txt")
        with open(note, "w") as f:
            f.write("from home\n")
        self.who.chown(note)
        self.addCleanup(os.unlink, note)
        r = self.glovebox_in(tree, "-p", "shell", "--", "bash", "-c",
                             'cat ~/note.txt; declare -A m=([k]=v); echo "${m[k]}"; '
                             'echo x >> ~/note.txt 2>/dev/null || echo home read-only; '
                             'sh greet.sh')
        self.assertOk(r)
        self.assertEqual(r.stdout, "from home\nv\nhome read-only\nhello from greet.sh\n")
        with open(note) as f:
            self.assertEqual(f.read(), "from home\n")

    def test_there_is_no_network(self):
        self.need("bash")
        tree = self.tree("shell-net", {})
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            s.listen()
            r = self.glovebox_in(tree, "-p", "shell", "--", "bash", "-c",
                                 "echo > /dev/tcp/127.0.0.1/%d" % s.getsockname()[1])
        self.assertNotEqual(r.returncode, 0)


# ---- build, offline, against local sources ----

@both
class BuildOffline(Programs):
    """`-p build` has no network: pip, npm and cargo build projects whose
    dependencies are local, as they do offline."""

    def test_pip_builds_a_wheel_of_a_local_package(self):
        self.need("python3")
        if subprocess.run(["python3", "-m", "pip", "--version"], capture_output=True).returncode:
            self.skipTest("pip is not installed for /usr/bin/python3 (python3-pip)")
        tree = self.tree("pip", {
            "pyproject.toml": "[build-system]\nrequires = ['setuptools']\n"
                              "build-backend = 'setuptools.build_meta'\n"
                              "[project]\nname = 'greet'\nversion = '1.0'\n",
            "greet/__init__.py": "def hello():\n    return 'hello'\n",
        })
        self.steps_in(tree, "build", ["python3", "-m", "pip", "wheel", "--no-deps",
                                      "--no-build-isolation", "--no-index", "-w", "dist", "."])
        self.assertTrue(glob.glob(os.path.join(tree, "dist", "greet-1.0-*.whl")))

    def test_npm_installs_a_local_dependency_and_runs_the_tests(self):
        self.need("node", "npm")
        tree = self.tree("npm", {
            # in the tree: a dependency beside it (file:../dep) would be
            # outside what the sandbox shows
            "vendor/dep/package.json": '{"name": "dep", "version": "1.0.0", "main": "index.js"}\n',
            "vendor/dep/index.js": "module.exports = () => 'from dep';\n",
            "package.json": '{"name": "app", "version": "1.0.0",\n'
                            ' "dependencies": {"dep": "file:vendor/dep"},\n'
                            ' "scripts": {"test": "node test.js"}}\n',
            "test.js": "const assert = require('assert');\n"
                       "assert.strictEqual(require('dep')(), 'from dep');\n"
                       "console.log('ok');\n",
        })
        self.steps_in(tree, "build", ["npm", "install", "--offline", "--no-audit", "--no-fund"])
        r = self.steps_in(tree, "build", ["npm", "test"])
        self.assertIn("ok", r.stdout)

    def test_cargo_builds_a_crate_offline(self):
        self.need("cargo")
        tree = self.tree("cargo", {
            "Cargo.toml": "[package]\nname = \"hello\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
            "src/main.rs": "fn main() { println!(\"hello from the tree\"); }\n",
        })
        self.steps_in(tree, "build", ["cargo", "build", "--offline", "-q"])
        self.assertRunsOnHost(tree, "target/debug/hello")


if __name__ == "__main__":
    main()
