# SPDX-License-Identifier: LGPL-2.1-or-later
"""[limits]: the tmpfs budget, the process count, rlimits by name, the
timeout in a profile, and what explain says of them."""
import subprocess
import time

from gbtest import both, landlock_abi, main

MiB = 1 << 20


@both
class TmpfsBudget:
    def fill(self, *opts, paths):
        r = self.gb(*opts, cmd=["/bin/sh", "-c", 'exec /probe fill ' + " ".join(paths)])
        self.assertOk(r)
        words = r.stdout.split()
        return words[0], [int(w) for w in words[1:]]

    def test_tmp_dev_shm_and_home_fill_one_budget_together_up_to_enospc(self):
        err, took = self.fill("--limit-tmpfs", "8M",
                              paths=["/tmp/a", "/dev/shm/b", '"$HOME/c"'])
        self.assertEqual(err, "ENOSPC")
        self.assertTrue(all(t >= 2 * MiB for t in took), took)
        self.assertLessEqual(sum(took), 8 * MiB)
        self.assertGreater(sum(took), 7 * MiB)

    def test_without_a_budget_each_tmpfs_takes_what_the_kernel_gives(self):
        # the same 8 MiB in /tmp and /dev/shm each: no shared limit
        r = self.gb(cmd=["/bin/sh", "-c", "head -c 8388608 /dev/zero > /tmp/a && "
                         "head -c 8388608 /dev/zero > /dev/shm/b && echo both"], probe=False)
        self.assertOk(r)
        self.assertEqual(r.stdout, "both\n")

    def test_root_inside_writes_into_dev_only_within_the_budget(self):
        # Landlock refuses a new file in /dev first: without that fence,
        # the budget still holds
        if landlock_abi() >= 1:
            r = self.gb("--user", "root", cmd=["/bin/sh", "-c", "exec /probe fill /dev/a"])
            self.assertEqual(r.stdout.split()[:1], ["EACCES"])
        err, took = self.fill("--limit-tmpfs", "4M", "--user", "root", "--landlock-fs", "no",
                              paths=["/dev/a", "/tmp/b"])
        self.assertEqual(err, "ENOSPC")
        self.assertLessEqual(sum(took), 4 * MiB)

    def test_a_tmpfs_with_a_size_of_its_own_takes_that_from_the_budget(self):
        err, took = self.fill("--limit-tmpfs", "8M", "--tmpfs", "/big", "size=3M",
                              paths=["/tmp/a"])
        self.assertEqual(err, "ENOSPC")
        self.assertLessEqual(took[0], 5 * MiB)
        self.assertGreater(took[0], 4 * MiB)
        err, took = self.fill("--limit-tmpfs", "8M", "--tmpfs", "/big", "size=3M",
                              paths=["/big/a"])
        self.assertEqual((err, took), ("ENOSPC", [3 * MiB]))

    def test_a_throw_away_overlay_writes_into_the_budget(self):
        err, took = self.fill("--limit-tmpfs", "4M", "--overlay-tmp", "/usr/share", "/usr/share",
                              paths=["/usr/share/a", "/tmp/b"])
        self.assertEqual(err, "ENOSPC")
        self.assertLessEqual(sum(took), 4 * MiB)

    def test_the_budget_bounds_inodes_too(self):
        r = self.gb("--limit-tmpfs", "4M", cmd=[
            "/bin/sh", "-c", "i=0; while (: > /tmp/f$i) 2>/dev/null; do i=$((i+1)); done; "
            "echo $i"], probe=False, timeout=120)
        self.assertOk(r)
        # 4 MiB: 1024 inodes, of which the pool's own directories take a few
        self.assertGreater(int(r.stdout), 1000)
        self.assertLess(int(r.stdout), 1024)

    def test_tmpfs_mounts_keep_their_modes(self):
        r = self.gb("--limit-tmpfs", "8M", "--tmpfs", "/private", "mode=0700",
                    cmd=["/bin/sh", "-c", 'stat -c %a /tmp /dev/shm /private "$HOME"'],
                    probe=False)
        self.assertOk(r)
        self.assertEqual(r.stdout.split(), ["1777", "1777", "700", "700"])

    def test_a_budget_that_sized_mounts_use_up_is_refused(self):
        p = self.profile("budget", "[where]\ntmpfs = /a size=4M\n[limits]\ntmpfs = 4M\n")
        r = self.gb("-p", p, cmd=["true"], probe=False)
        self.assertEqual(r.returncode, 125, r.stderr)
        self.assertIn("%s:4: [limits] tmpfs: the tmpfs mounts with a size= of their own take "
                      "4194304 bytes, the whole budget of 4194304" % p, r.stderr)


@both
class Processes:
    def start_forks(self, *opts, max_forks=2000):
        argv = self.who.wrap([self.stage.glovebox] + list(opts) +
                             ["--ro-bind", self.stage.probe, "/probe", "--",
                              "/probe", "forks", str(max_forks)])
        return subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=self.who.env(),
                                cwd=self.stage.work)

    def test_a_fork_bomb_stops_at_the_limit_while_the_user_forks_outside(self):
        p = self.start_forks("--limit-processes", "40")
        try:
            # the probe is one of the 40
            self.assertEqual(p.stdout.readline().split(), ["39", "EAGAIN"])
            # held at the limit: the same user still starts processes outside
            r = self.run_as(["/bin/sh", "-c", "/bin/true & /bin/true & wait; echo forked"])
            self.assertOk(r)
            self.assertEqual(r.stdout, "forked\n")
        finally:
            out, err = p.communicate("go\n", timeout=30)
        self.assertEqual(p.returncode, 0, err)

    def test_without_a_limit_the_bomb_goes_past_it(self):
        p = self.start_forks(max_forks=100)
        out, err = p.communicate("go\n", timeout=60)
        self.assertEqual(out.split(), ["100", "max"], err)

    def test_the_limit_counts_threads_and_nested_shells(self):
        r = self.gb("--limit-processes", "5", cmd=[
            "/bin/sh", "-c", "/bin/sh -c 'sleep 5 & sleep 5 & sleep 5 & sleep 5 & wait' "
            "2>&1; echo end"], probe=False)
        # sh, sh, three sleeps: the fourth cannot start
        self.assertIn("fork", r.stdout.lower())
        self.assertIn("end", r.stdout)

    def test_the_sandbox_cannot_raise_its_pid_max(self):
        r = self.probe("write", "/proc/sys/kernel/pid_max",
                       opts=("--limit-processes", "40", "--user", "root"))
        self.assertEqual(r.stdout, "EROFS\n")
        r = self.probe("read", "/proc/sys/kernel/pid_max", opts=("--limit-processes", "40"))
        self.assertEqual(r.stdout, "ok 339\n")

    def test_without_a_pid_namespace_rlimit_nproc_counts_the_sandbox(self):
        opts = ("--limit-processes", "40", "--unshare-pid", "no")
        r = self.run_as([self.stage.glovebox, "explain"] + list(opts))
        self.assertIn("40 (RLIMIT_NPROC: no per-namespace pid_max here; not enforced for root)",
                      r.stdout)
        if self.who.is_root:
            self.skipTest("the kernel does not enforce RLIMIT_NPROC for root")
        p = self.start_forks(*opts, max_forks=200)
        out, err = p.communicate("go\n", timeout=60)
        # counted in the sandbox's user namespace: the user's processes
        # outside do not count, the probe does
        self.assertEqual(out.split(), ["39", "EAGAIN"], err)

    def test_a_bad_count_is_a_usage_error(self):
        r = self.gb("--limit-processes", "0", cmd=["true"], probe=False)
        self.assertEqual(r.returncode, 2)
        self.assertIn("0: expected a number from 2 to 4194004, or none", r.stderr)


@both
class Rlimits:
    def test_rlimits_by_name_in_a_profile(self):
        p = self.profile("rl", "[limits]\nnofile = 64:128\ncpu = 90\nfsize = 1M\n"
                               "stack = 4M:8M\n")
        r = self.gb("-p", p, cmd=["/bin/sh", "-c", "ulimit -n; ulimit -H -n; ulimit -t; "
                                  "ulimit -f; ulimit -s; ulimit -H -s"], probe=False)
        self.assertOk(r)
        # ulimit -f counts 512-byte blocks, -s KiB
        self.assertEqual(r.stdout.split(), ["64", "128", "90", "2048", "4096", "8192"])

    def test_a_file_size_limit_stops_a_write(self):
        r = self.gb("--limit-fsize", "64K", cmd=["/bin/sh", "-c", "trap '' XFSZ; "
                    "/probe fill /tmp/a"])
        self.assertEqual(r.stdout.split(), ["EFBIG", "65536"])

    def test_the_old_what_spelling_is_an_unknown_key(self):
        p = self.profile("old", "[what]\nrlimit-nofile = 64\n")
        r = self.gb("-p", p, cmd=["true"], probe=False)
        self.assertEqual(r.returncode, 125)
        self.assertIn("%s:2: [what] rlimit-nofile: unknown key (now [limits] nofile)" % p,
                      r.stderr)
        r = self.gb("--rlimit-nofile", "64", cmd=["true"], probe=False)
        self.assertEqual(r.returncode, 2)
        self.assertIn("unknown option '--rlimit-nofile' (now --limit-nofile)", r.stderr)


@both
class Timeout:
    def test_a_profiles_timeout_ends_the_sandbox_with_124(self):
        p = self.profile("to", "[limits]\ntimeout = 0.5s\n")
        start = time.monotonic()
        r = self.gb("-p", p, cmd=["/bin/sleep", "30"], probe=False)
        self.assertEqual(r.returncode, 124, r.stderr)
        self.assertLess(time.monotonic() - start, 10)


@both
class Explain:
    def test_explain_shows_every_limit_with_its_origin(self):
        p = self.profile("ex", "[profile]\ninclude = default\n[limits]\nprocesses = 100\n"
                               "tmpfs = 64M\nnofile = 256\n")
        r = self.run_as([self.stage.glovebox, "explain", "-p", p, "--timeout", "10m"])
        self.assertOk(r)
        rows = {}
        section = r.stdout.split("[limits]\n", 1)[1].split("\n[", 1)[0]
        for line in section.splitlines():
            key, rest = line.split(None, 1)
            value, origin = rest.rsplit("#", 1)
            rows[key] = (value.strip(), origin.strip())
        self.assertEqual(rows["processes"],
                         ("100 (the pid namespace's pid_max)", "%s:4" % p))
        self.assertEqual(rows["tmpfs"], ("64M, shared by every tmpfs", "%s:5" % p))
        self.assertEqual(rows["nofile"], ("256:256", "%s:6" % p))
        self.assertEqual(rows["timeout"][1], "command line --timeout")
        self.assertTrue(rows["core"][0].startswith("inherited, "), rows["core"])
        for key in ("as", "cpu", "data", "fsize", "memlock", "msgqueue", "nice", "nproc",
                    "rtprio", "sigpending", "stack"):
            self.assertIn(key, rows)


if __name__ == "__main__":
    main()
