# SPDX-License-Identifier: LGPL-2.1-or-later
"""No fixed size in the where layer drops an entry: however many host proc
and sysfs mounts a bind brings along, however deep they or a destination
lie, each one is handled (issue 9, item 6: a 17th proc stayed visible, an
ancestor list kept 16 or 32 entries)."""
import os
import subprocess

from gbtest import IS_ROOT, both, main

N_SPECIALS = 20  # the executor once kept 16
DEPTH = 40       # its ancestor lists kept 16 (proc, sysfs) and 32 (state)


@both
class ManyAndDeep:
    def mount_on_host(self, fstype, where):
        if not IS_ROOT:
            self.skipTest("mounting on the host needs root")
        os.makedirs(where, exist_ok=True)
        subprocess.run(["mount", "-t", fstype, fstype, where], check=True)
        self.addCleanup(subprocess.run, ["umount", "-l", where])

    def inside(self, top, script):
        r = self.gb("--ro-bind", top, "/h", cmd=["/bin/sh", "-c", script], probe=False)
        self.assertOk(r)
        return r.stdout.split()

    def test_every_host_proc_and_sysfs_below_a_bind_is_hidden_or_read_only(self):
        top = self.stage.path("many-specials-%s" % self.who.name)
        for i in range(N_SPECIALS):
            self.mount_on_host("proc", os.path.join(top, "p%02d" % i))
            self.mount_on_host("sysfs", os.path.join(top, "s%02d" % i))
        # outside, every proc shows pid 1
        self.assertTrue(os.path.exists(os.path.join(top, "p%02d" % (N_SPECIALS - 1), "1")))
        seen = self.inside(top, "for p in /h/p*; do test -e $p/1 && echo $p; done; "
                                "grep -o ' /h/s[0-9]* [^ ]*' /proc/self/mountinfo | "
                                "grep -v ' ro,' | cut -d' ' -f2; exit 0")
        self.assertEqual(seen, [])

    def test_a_host_proc_deep_below_a_bind_is_hidden(self):
        top = self.stage.path("deep-special-%s" % self.who.name)
        deep = os.path.join(top, *(["d"] * DEPTH), "proc")
        self.mount_on_host("proc", deep)
        rel = os.path.relpath(deep, top)
        seen = self.inside(top, 'test -e "/h/%s/1" && echo visible; exit 0' % rel)
        self.assertEqual(seen, [])

    def test_a_destination_more_than_64_levels_down_is_made(self):
        dest = "/d" * 70
        r = self.gb("--tmpfs", dest, cmd=["/bin/sh", "-c", 'cd "$1" && touch x && echo made',
                                          "sh", dest], probe=False)
        self.assertOk(r)
        self.assertEqual(r.stdout.split(), ["made"])


if __name__ == "__main__":
    main()
