# SPDX-License-Identifier: LGPL-2.1-or-later
"""No fixed size in the where layer drops an entry: however many host proc
and sysfs mounts a bind brings along, however deep they or a destination
lie, each one is handled (issue 9, item 6: a 17th proc stayed visible, an
ancestor list kept 16 or 32 entries)."""
import os
import re
import shlex
import subprocess

from gbtest import IS_ROOT, both, main

N_SPECIALS = 20  # the executor once kept 16
DEPTH = 40       # its ancestor lists kept 16 (proc, sysfs) and 32 (state)


@both
class ManyAndDeep:
    def inside(self, top, mounts, script, check=":"):
        """Mount each (fstype, where) of mounts, then run script in a
        sandbox given top at /h. The mounts are made in a mount namespace
        of the test's own (private), where glovebox starts too: sandboxes
        of tests running beside this one never see them come and go."""
        if not IS_ROOT:
            self.skipTest("mounting on the host needs root")
        setup = " && ".join('mkdir -p %s && mount -t %s %s %s' % (shlex.quote(w), t, t,
                                                                   shlex.quote(w))
                            for t, w in mounts)
        argv = self.who.wrap([self.stage.glovebox, "--ro-bind", top, "/h", "--",
                              "/bin/sh", "-c", script])
        r = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c",
                            '%s && %s && exec "$@"' % (setup, check), "sh"] + argv,
                           capture_output=True, text=True, timeout=60, env=self.who.env(),
                           cwd=self.stage.work)
        self.assertOk(r)
        return r.stdout.split()

    def test_every_host_proc_and_sysfs_below_a_bind_is_hidden_or_read_only(self):
        top = self.stage.path("many-specials-%s" % self.who.name)
        mounts = []
        for i in range(N_SPECIALS):
            mounts.append(("proc", os.path.join(top, "p%02d" % i)))
            mounts.append(("sysfs", os.path.join(top, "s%02d" % i)))
        # outside, every proc shows pid 1
        outside = "test -e %s" % shlex.quote(os.path.join(top, "p%02d" % (N_SPECIALS - 1), "1"))
        seen = self.inside(top, mounts, "for p in /h/p*; do test -e $p/1 && echo $p; done; "
                                        "grep -o ' /h/s[0-9]* [^ ]*' /proc/self/mountinfo | "
                                        "grep -v ' ro,' | cut -d' ' -f2; exit 0", outside)
        self.assertEqual(seen, [])

    def test_a_host_proc_deep_below_a_bind_is_hidden(self):
        top = self.stage.path("deep-special-%s" % self.who.name)
        deep = os.path.join(top, *(["d"] * DEPTH), "proc")
        rel = os.path.relpath(deep, top)
        seen = self.inside(top, [("proc", deep)],
                           'test -e "/h/%s/1" && echo visible; exit 0' % rel,
                           "test -e %s/1" % shlex.quote(deep))
        self.assertEqual(seen, [])

    def test_a_destination_more_than_64_levels_down_is_made(self):
        dest = "/d" * 70
        r = self.gb("--tmpfs", dest, cmd=["/bin/sh", "-c", 'cd "$1" && touch x && echo made',
                                          "sh", dest], probe=False)
        self.assertOk(r)
        self.assertEqual(r.stdout.split(), ["made"])


@both
class ManyBinds:
    def descriptors_seen(self, n_binds):
        """What the command finds in /proc/self/fd with n_binds read-only
        binds (each source held by the launcher, then by pid 1, while they
        are resolved and cloned)."""
        top = self.stage.path("many-binds-%s" % self.who.name)
        binds = []
        for i in range(n_binds):
            src = os.path.join(top, "d%03d" % i)
            os.makedirs(src, exist_ok=True)
            binds += ["--ro-bind", src, "/b/d%03d" % i]
        if os.path.isdir(top):
            os.chmod(top, 0o755)
        r = self.gb(*binds, cmd=["/bin/sh", "-c", 'for f in /proc/$$/fd/*; do '
                                 'echo "${f##*/} $(readlink "$f")"; done'], probe=False)
        self.assertOk(r)
        return [re.sub(r"\[[0-9]+\]$", "", line) for line in r.stdout.splitlines()]

    def test_no_bind_sources_descriptor_reaches_the_command(self):
        none = self.descriptors_seen(0)
        self.assertEqual(self.descriptors_seen(500), none)
        self.assertFalse([line for line in none if "many-binds" in line], none)


if __name__ == "__main__":
    main()
