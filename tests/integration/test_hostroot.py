# SPDX-License-Identifier: LGPL-2.1-or-later
"""When root runs glovebox, uid 0 inside is the host's root for file
permissions: the kernel files only it may read or write stay closed, and
root can run the sandbox as nobody instead."""
import os
import re
import stat

from gbtest import IS_ROOT, both, main

# What proc and sysfs hold for the host's root alone: covered (r) or
# read-only (w) in root's sandbox.
MASKED = ["/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
          "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
          "/proc/kpageflags", "/proc/kpagecount", "/proc/kpagecgroup", "/proc/slabinfo",
          "/proc/pagetypeinfo", "/proc/vmallocinfo", "/sys/firmware",
          "/sys/devices/virtual/powercap"]
READ_ONLY = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]

# Run inside: every path given that can be read (a file's first bytes, a
# directory's entries) is printed as "read PATH"; every file at or below a
# path given that can be opened for writing, as "write FILE".
INSIDE = r'''
import os, stat, sys
def readable(p):
    try:
        if os.path.isdir(p):
            return bool(os.listdir(p))
        with open(p, "rb", buffering=0) as f:
            return bool(f.read(8))
    except OSError:
        return False
def writable(p):
    for d, dirs, files in os.walk(p) if os.path.isdir(p) else [("", [], [p])]:
        for n in files:
            f = os.path.join(d, n)
            try:
                if os.lstat(f).st_mode & 0o222:
                    os.close(os.open(f, os.O_WRONLY))
                    print("write", f)
            except OSError:
                pass
mode, paths = sys.argv[1], sys.argv[2:]
for p in paths:
    if mode == "write":
        writable(p)
    elif os.path.lexists(p) and readable(p):
        print(mode, p)
'''


# The settings of the namespaces a sandbox owns: its own uid 0 may change
# them (they reach no further than the sandbox).
OWN_NAMESPACES = re.compile(r"write /proc/sys/(kernel/(msg\w+|auto_msgmni|sem|shm\w+|"
                            r"ns_last_pid|pid_max|hostname|domainname)|fs/mqueue/|net/|user/)")


def host_root_only(path):
    """A path the host's root alone may read (no read bit for others)."""
    try:
        return not os.stat(path).st_mode & stat.S_IROTH
    except OSError:
        return False


@both
class KernelFiles:
    def inside(self, mode, paths, *opts):
        r = self.gb("--user", "root", "--ro-bind", "/sys", "/sys", *opts,
                    cmd=["/usr/bin/python3", "-c", INSIDE, mode] + paths, probe=False)
        self.assertOk(r)
        return r.stdout.splitlines()

    def test_root_only_kernel_files_are_unreadable_inside(self):
        # The host's root can read them outside: the test can fail.
        if self.who.is_root:
            self.assertIn("/proc/kpageflags", [p for p in MASKED if os.path.exists(p)])
            paths = MASKED
        else:
            # nobody's uid 0 inside is no one to the host: the files the
            # host's root alone may read stay closed without any mount
            paths = [p for p in MASKED if host_root_only(p)]
            self.assertIn("/proc/kpageflags", paths)
        self.assertEqual(self.inside("read", paths), [])

    def test_kernel_settings_are_unwritable_inside(self):
        written = self.inside("write", READ_ONLY)
        if self.who.is_root:
            self.assertEqual(written, [])
        else:
            # nobody's uid 0 inside may set its own namespaces' limits, no
            # more: the kernel checks who owns each setting
            self.assertEqual([w for w in written if not OWN_NAMESPACES.match(w)], [])

    def test_writing_a_sysctl_is_refused(self):
        # the value written is the value there: a write that went through
        # would change nothing
        with open("/proc/sys/kernel/printk_ratelimit") as f:
            value = f.read().strip()
        r = self.gb("--user", "root", cmd=[
            "/bin/sh", "-c", 'echo "$1" > /proc/sys/kernel/printk_ratelimit && echo written',
            "sh", value], probe=False)
        self.assertNotIn("written", r.stdout)
        self.assertRegex(r.stderr, "Read-only file system|Permission denied")

    def test_a_host_sysfs_a_bind_brings_along_has_its_firmware_covered(self):
        # root: nothing shows; nobody: what it sees outside, but no file
        # only the host's root may read (the ACPI and DMI tables)
        script = ("import os\n"
                  "for d, _, fs in os.walk('/host/sys/firmware'):\n"
                  "    for f in fs:\n"
                  "        p = os.path.join(d, f)\n"
                  "        try:\n"
                  "            if not os.stat(p).st_mode & 0o4 and open(p, 'rb').read(1):\n"
                  "                print(p)\n"
                  "        except OSError:\n"
                  "            pass\n"
                  "print(len(os.listdir('/host/sys/firmware')) if os.access("
                  "'/host/sys/firmware', os.R_OK) else 0)\n")
        r = self.gb("--ro-bind", "/", "/host", cmd=["/usr/bin/python3", "-c", script],
                    probe=False)
        self.assertOk(r)
        lines = r.stdout.split()
        self.assertEqual(lines[:-1], [])  # no root-only file read
        if self.who.is_root:
            self.assertEqual(lines[-1], "0")
            self.assertTrue(os.listdir("/sys/firmware"))  # outside, it has entries
            r = self.run_as([self.stage.glovebox, "explain", "--ro-bind", "/", "/host"])
            self.assertRegex(r.stdout, r"\n\s+mask-kernel\s+/host/sys/firmware\s+# .*"
                                       r"for ro-sysfs /host/sys\n")

    def test_explain_names_the_rule_behind_each_mask(self):
        r = self.run_as([self.stage.glovebox, "explain", "-p", "default"])
        self.assertOk(r)
        line = [l for l in r.stdout.splitlines() if "/proc/kpageflags" in l]
        if self.who.is_root:
            self.assertEqual(len(line), 1, r.stdout)
            self.assertRegex(line[0], r"^\s+mask-kernel\s+/proc/kpageflags\s+# .*host root inside.*"
                             r"for proc /proc")
        else:
            self.assertEqual(line, [])


@both
class ProcSubset:
    def test_proc_subset_pid_shows_the_processes_and_no_system_files(self):
        p = self.profile("subset", "[where]\nremove = /proc\nproc = /proc subset=pid\n")
        r = self.gb("-p", "default", "-p", p, cmd=[
            "/bin/sh", "-c", "cat /proc/self/stat >/dev/null && echo self; "
            "for f in meminfo cpuinfo sys kpageflags mounts net; do "
            "test -e /proc/$f && echo $f; done; exit 0"], probe=False)
        self.assertOk(r)
        self.assertEqual(r.stdout.split(), ["self"])
        self.assertTrue(os.path.exists("/proc/meminfo"))

    def test_explain_shows_subset_pid_and_no_masks_for_it(self):
        r = self.run_as([self.stage.glovebox, "explain", "--remove", "/proc",
                         "--proc", "/proc", "subset=pid"])
        self.assertOk(r)
        self.assertRegex(r.stdout, r"\n\s+proc\s+/proc subset=pid\s+# command line --proc")
        self.assertNotIn("mask-kernel", r.stdout)

    def test_another_proc_option_is_refused(self):
        p = self.profile("hidepid", "[where]\nremove = /proc\nproc = /proc hidepid=2\n")
        r = self.gb("-p", "default", "-p", p, cmd=["/bin/true"], probe=False)
        self.assertEqual(r.returncode, 125)
        self.assertIn(":3: [where] proc: hidepid=2: unknown option (expected subset=pid)",
                      r.stderr)

@both
class HostUserNobody:
    def test_root_runs_the_sandbox_as_nobody_and_its_files_are_nobodys(self):
        if not self.who.is_root:
            self.skipTest("only root may map the sandbox to another host user")
        w = self.stage.path("nobody-writes")
        os.makedirs(w, exist_ok=True)
        os.chmod(w, 0o777)
        r = self.gb("--host-user", "nobody", "--user", "root", "--bind", w, "/w", cmd=[
            "/bin/sh", "-c", "id -u; cat /proc/self/uid_map; touch /w/made"], probe=False)
        self.assertOk(r)
        self.assertEqual(r.stdout.split(), ["0", "0", "65534", "1"])
        st = os.stat(os.path.join(w, "made"))
        self.assertEqual((st.st_uid, st.st_gid), (65534, 65534))

    def test_roots_files_are_out_of_reach_of_nobodys_sandbox(self):
        if not self.who.is_root:
            self.skipTest("only root may map the sandbox to another host user")
        d = self.stage.path("roots-dir")
        os.makedirs(d, exist_ok=True)
        os.chmod(d, 0o755)
        secret = self.stage.write("roots-dir/secret", "root's\n", mode=0o600)
        r = self.gb("--host-user", "nobody", "--user", "root", "--bind", d, "/d", cmd=[
            "/bin/sh", "-c", "cat /d/secret 2>/dev/null && echo read; "
            "touch /d/new 2>/dev/null && echo wrote; "
            "head -c 8 /proc/kpageflags >/dev/null 2>&1 && echo kpageflags; exit 0"],
            probe=False)
        self.assertOk(r)
        self.assertEqual(r.stdout.split(), [])
        self.assertTrue(os.path.exists(secret))
        # nobody needs no masks: explain shows none
        r = self.run_as([self.stage.glovebox, "explain", "--host-user", "nobody"])
        self.assertIn("nobody (uid and gid 65534 to the host)", r.stdout)
        self.assertNotIn("mask-kernel", r.stdout)

    def test_host_user_nobody_is_refused_to_an_unprivileged_user(self):
        if self.who.is_root:
            self.skipTest("root may")
        r = self.gb("--host-user", "nobody", cmd=["/bin/true"], probe=False)
        self.assertEqual(r.returncode, 125)
        self.assertIn("host-user = nobody needs root", r.stderr)


if __name__ == "__main__":
    main()
