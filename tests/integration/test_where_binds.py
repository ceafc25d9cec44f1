# SPDX-License-Identifier: LGPL-2.1-or-later
"""The executor's shortcuts for many binds (issue 10: the cost of 500
binds), each beside its slow path: a destination made just now in a
directory of the root tmpfs is attached by its name; one that exists, or
lies in another filesystem, takes ensure_path's careful way. Read-only
binds alone in a directory made for them share one Landlock rule on it;
any other bind keeps its own."""
import os

from gbtest import both, landlock_abi, main


@both
class FreshDestinations:
    def sources(self, name, n, files=0):
        """n directories, each holding a file named after it, and `files`
        plain files, under a directory of the test's own; their paths."""
        top = self.stage.path("%s-%s" % (name, self.who.name))
        os.makedirs(top, exist_ok=True)
        os.chmod(top, 0o755)
        dirs, plain = [], []
        for i in range(n):
            d = os.path.join(top, "d%02d" % i)
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, "in-d%02d" % i), "w") as f:
                f.write("d%02d\n" % i)
            dirs.append(d)
        for i in range(files):
            p = os.path.join(top, "f%02d" % i)
            with open(p, "w") as f:
                f.write("f%02d\n" % i)
            plain.append(p)
        return dirs, plain

    def test_binds_into_a_directory_made_for_them_each_show_their_own_source(self):
        dirs, files = self.sources("fresh", 12, 3)
        args = []
        for i, d in enumerate(dirs):
            args += ["--ro-bind", d, "/b/d%02d" % i]
        for i, p in enumerate(files):
            args += ["--ro-bind", p, "/b/f%02d" % i]
        r = self.gb(*args, cmd=["/bin/sh", "-c", "cd /b && for e in *; do "
                                "if [ -d $e ]; then echo $e $(ls $e); else echo $e $(cat $e); "
                                "fi; done; grep -c ' /b/' /proc/self/mountinfo"], probe=False)
        self.assertOk(r)
        want = ["d%02d in-d%02d" % (i, i) for i in range(12)] + \
               ["f%02d f%02d" % (i, i) for i in range(3)] + ["15"]
        self.assertEqual(r.stdout.splitlines(), want)

    def test_a_second_bind_at_one_destination_takes_the_careful_way_and_hides_the_first(self):
        (a, b, c), (f,) = self.sources("again", 3, 1)
        r = self.gb("--ro-bind", a, "/b/x", "--ro-bind", c, "/b/y", "--ro-bind", b, "/b/x",
                    cmd=["/bin/ls", "/b/x", "/b/y"], probe=False)
        self.assertOk(r)
        self.assertEqual(r.stdout.split(), ["/b/x:", "in-d01", "/b/y:", "in-d02"])
        # what exists is checked: a file cannot go on the directory made
        r = self.gb("--ro-bind", a, "/b/x", "--ro-bind", f, "/b/x", cmd=["/bin/true"],
                    probe=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("/b/x: cannot mount a file on a directory", r.stderr)

    def test_a_bind_into_another_filesystem_takes_the_careful_way(self):
        (a, b), _ = self.sources("tmpfs", 2)
        r = self.gb("--tmpfs", "/t", "--ro-bind", a, "/t/x", "--ro-bind", b, "/t/y",
                    cmd=["/bin/sh", "-c", "ls /t/x /t/y && touch /t/z && echo wrote"],
                    probe=False)
        self.assertOk(r)
        self.assertEqual(r.stdout.split(), ["/t/x:", "in-d00", "/t/y:", "in-d01", "wrote"])


# Open each path below the directory given as descriptor 5, for reading.
READ_AT = ("import os, sys\n"
           "for p in sys.argv[1:]:\n"
           "    try:\n"
           "        os.close(os.open(p, os.O_RDONLY, dir_fd=5)); print(p, 'ok')\n"
           "    except OSError as e:\n"
           "        print(p, 'refused', e.errno)\n")


@both
class OneRuleForADirectoryOfBinds:
    def setUp(self):
        if landlock_abi() < 1:
            self.skipTest("the kernel has no Landlock")
        self.top = self.stage.path("merged-%s" % self.who.name)
        for d in ("a", "b", "c", "x", "outside"):
            os.makedirs(os.path.join(self.top, d), exist_ok=True)
            with open(os.path.join(self.top, d, "f"), "w") as f:
                f.write(d + "\n")
        os.chmod(self.top, 0o755)

    def binds(self):
        """a, b, c alone in /b (one rule on /b); x alone in /u and a beside
        a writable tmpfs in /w (each its own rule)."""
        args = []
        for d in ("a", "b", "c"):
            args += ["--ro-bind", os.path.join(self.top, d), "/b/" + d]
        return args + ["--ro-bind", os.path.join(self.top, "x"), "/u/x", "--tmpfs", "/w/t",
                       "--ro-bind", os.path.join(self.top, "a"), "/w/a"]

    def test_every_bind_stays_readable_whether_its_rule_is_shared_or_its_own(self):
        r = self.gb(*self.binds(), cmd=["/bin/sh", "-c", "cat /b/a/f /b/b/f /b/c/f /u/x/f /w/a/f "
                                        "&& ls /b && echo x > /w/t/y && cat /w/t/y"],
                    probe=False)
        self.assertOk(r)
        self.assertEqual(r.stdout.split(), ["a", "b", "c", "x", "a", "a", "b", "c", "x"])

    def test_nothing_beside_the_binds_is_reached_through_a_descriptor(self):
        # The directory above the sources, passed in: Landlock refuses what
        # lies outside the mounts. The shared rule is on /b, not on the
        # sources' inodes: a source reached another way than through its
        # destination gets nothing from it.
        fd = os.open(self.top, os.O_RDONLY | os.O_DIRECTORY)
        self.addCleanup(os.close, fd)
        r = self.gb(*self.binds(), cmd=["sh", "-c", 'exec 5<&0 </dev/null; exec python3 -c "$0" '
                                        '"$@"', READ_AT, "outside/f", "a/f", "x/f"],
                    probe=False, stdin=fd)
        self.assertOk(r)
        self.assertEqual(r.stdout.splitlines(), ["outside/f refused 13", "a/f ok", "x/f ok"])
        r = self.gb(*self.binds()[:6], cmd=["sh", "-c", 'exec 5<&0 </dev/null; exec python3 -c '
                                            '"$0" "$@"', READ_AT, "outside/f", "a/f", "b/f"],
                    probe=False, stdin=fd)
        self.assertEqual(r.stdout.splitlines(), ["outside/f refused 13", "a/f refused 13",
                                                 "b/f refused 13"])


if __name__ == "__main__":
    main()
