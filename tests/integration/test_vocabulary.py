# SPDX-License-Identifier: LGPL-2.1-or-later
"""The where layer's vocabulary, each key observed from inside (and from
outside where the host side is what matters)."""
import os
import re
import shutil
import subprocess
import threading
import time

from gbtest import IS_ROOT, both, dir_content, main, make_dirs


@both
class Files:
    def test_file_puts_content_in_a_read_only_file(self):
        p = self.profile("file", '[profile]\ninclude = default\n'
                                 '[where]\nfile = /greeting "hello\\nworld\\n" mode=0640\n')
        r = self.gb("-p", p, cmd=["/bin/sh", "-c", "cat /greeting; stat -c %a /greeting;"
                                  " echo x > /greeting 2>/dev/null || echo refused"],
                    probe=False)
        self.assertOk(r)
        self.assertEqual(r.stdout.split("\n")[:4], ["hello", "world", "640", "refused"])

    def test_file_can_replace_a_file_inside_a_read_only_bind(self):
        r = self.gb("--file-text", "/etc/hostname", "sandboxed", cmd=["/bin/cat", "/etc/hostname"],
                    probe=False)
        self.assertEqual(r.stdout, "sandboxed")
        with open("/etc/hostname") as f:
            self.assertNotEqual(f.read(), "sandboxed")

    def test_chmod_changes_a_mode_inside(self):
        r = self.gb("--dir", "/work", "--chmod", "0710", "/work",
                    cmd=["/usr/bin/stat", "-c", "%a", "/work"], probe=False)
        self.assertEqual(r.stdout.strip(), "710")

    def test_remount_ro_makes_a_writable_bind_read_only(self):
        d = self.stage.path("remount-%s" % self.who.name)
        os.makedirs(d, exist_ok=True)
        self.who.chown(d)
        r = self.probe("write", "/w/x", opts=("--bind", d, "/w", "--remount-ro", "/w"))
        self.assertEqual(r.stdout.strip(), "EROFS")

    def test_tmpfs_size_and_mode(self):
        # the words follow as arguments of their own
        r = self.gb("--tmpfs", "/scratch", "size=1M", "mode=0700", cmd=[
            "/bin/sh", "-c", "stat -c %a /scratch; head -c 2000000 /dev/zero > /scratch/big "
            "2>/dev/null || echo full"], probe=False)
        self.assertEqual(r.stdout.split(), ["700", "full"])

    def test_file_and_dir_modes_on_the_command_line(self):
        r = self.gb("--file-text", "/f", "x", "mode=0600", "--dir", "/d", "mode=0711",
                    cmd=["/usr/bin/stat", "-c", "%a", "/f", "/d"], probe=False)
        self.assertEqual(r.stdout.split(), ["600", "711"])

    def test_proc_may_go_elsewhere(self):
        # the shell itself opens /p2/self/stat: its own pid in the sandbox
        r = self.gb("--proc", "/p2", cmd=["/bin/sh", "-c",
                                          "read pid rest < /p2/self/stat; echo $pid; "
                                          "ls /p2/1/status"], probe=False)
        self.assertOk(r)
        self.assertEqual(r.stdout.split(), ["2", "/p2/1/status"])

    def test_user_root_maps_both_ids_to_0(self):
        r = self.gb("--user", "root", cmd=["/bin/sh", "-c", "id -u; id -g; cat /proc/self/gid_map"],
                    probe=False)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[:2], ["0", "0"])
        self.assertEqual(lines[2].split(), ["0", str(self.who.gid), "1"])
        r = self.gb(cmd=["/bin/sh", "-c", "id -u; id -g"], probe=False)
        self.assertEqual(r.stdout.split(), [str(self.who.uid), str(self.who.gid)])

    def test_mqueue_mounts_the_sandboxs_own_queues(self):
        r = self.gb("--mqueue", "/dev/mqueue", cmd=["/bin/grep", "-c", " /dev/mqueue .* - mqueue ",
                                                    "/proc/self/mountinfo"], probe=False)
        self.assertEqual(r.stdout.strip(), "1")

    def test_dev_bind_keeps_a_device_usable(self):
        r = self.gb("--dev-bind", "/dev/null", "/extra-null",
                    cmd=["/bin/sh", "-c", "echo x > /extra-null && echo wrote"], probe=False)
        self.assertEqual(r.stdout.strip(), "wrote")

    def test_paths_with_newlines_are_handled(self):
        d = self.stage.path("new\nline-%s" % self.who.name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "f"), "w") as f:
            f.write("nl\n")
        r = self.probe("read", "/in\nside/f", opts=("--ro-bind", d, "/in\nside"))
        self.assertEqual(r.stdout.strip(), "ok nl")

    def test_host_proc_is_refused_and_sys_is_read_only(self):
        r = self.gb("--ro-bind", "/proc", "/hostproc", cmd=["/bin/true"], probe=False)
        self.assertEqual(r.returncode, 125)
        self.assertIn("refusing to bind the host's /proc", r.stderr)
        r = self.gb("--tmpfs", "/proc/sys/kernel", cmd=["/bin/true"], probe=False)
        self.assertEqual(r.returncode, 125)
        self.assertIn("refusing to mount over an entry of /proc", r.stderr)
        r = self.probe("write", "/sys/kernel/profiling", opts=("--bind", "/sys", "/sys"))
        self.assertEqual(r.stdout.strip(), "EROFS")


@both
class Remove:
    def test_remove_takes_away_an_inherited_mount_and_what_is_below_it(self):
        r = self.gb("--remove", "/etc", "--remove=/dev", cmd=[
            "/bin/sh", "-c", "test -e /etc || echo no-etc; test -e /dev || echo no-dev"],
            probe=False)
        self.assertOk(r)
        self.assertEqual(r.stdout.split(), ["no-etc", "no-dev"])
        p = self.profile("remove", "[profile]\ninclude = default\n[where]\nremove = /tmp\n"
                                   "tmpfs = /tmp mode=0700\n")
        r = self.gb("-p", p, cmd=["/usr/bin/stat", "-c", "%a", "/tmp"], probe=False)
        self.assertEqual(r.stdout, "700\n")

    def test_remove_with_nothing_there_is_a_usage_error_that_says_what_is(self):
        r = self.gb("--remove", "/usr/lib", cmd=["/bin/true"], probe=False)
        self.assertEqual(r.returncode, 2)
        self.assertRegex(r.stderr, r"^glovebox: command line: --remove: /usr/lib: nothing is put "
                                   r"there on its own: it is inside ro-bind /usr \(default "
                                   r"\(built-in\):\d+: \[where\] ro-bind\); remove /usr, or "
                                   r"cover it with tmpfs = /usr/lib\n$")


@both
class Overlays:
    def lower(self):
        d = self.stage.path("lower-%s" % self.who.name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "orig"), "w") as f:
            f.write("original\n")
        self.who.chown(d)
        self.who.chown(os.path.join(d, "orig"))
        return d

    def test_tmp_overlay_changes_vanish(self):
        low = self.lower()
        script = "echo changed > /l/orig && echo new > /l/new && cat /l/orig && ls /l"
        r = self.gb("--overlay-tmp", low, "/l", cmd=["/bin/sh", "-c", script], probe=False)
        self.assertOk(r)
        self.assertEqual(r.stdout.split(), ["changed", "new", "orig"])
        self.assertEqual(sorted(os.listdir(low)), ["orig"])
        with open(os.path.join(low, "orig")) as f:
            self.assertEqual(f.read(), "original\n")

    def test_overlay_keeps_changes_in_the_named_directory(self):
        low = self.lower()
        keep = os.path.join(self.who.home, "overlay-changes")
        shutil.rmtree(keep, ignore_errors=True)
        r = self.gb("--overlay-dir", low, keep, "/l",
                    cmd=["/bin/sh", "-c", "echo kept > /l/added"], probe=False)
        self.assertOk(r)
        with open(os.path.join(keep, "upper", "added")) as f:
            self.assertEqual(f.read(), "kept\n")
        self.assertEqual(sorted(os.listdir(low)), ["orig"])
        r = self.gb("--overlay-dir", low, keep, "/l", cmd=["/bin/cat", "/l/added"], probe=False)
        self.assertEqual(r.stdout, "kept\n")

    def test_bubblewrap_order_is_refused_not_misread(self):
        # bwrap's --overlay RWSRC WORKDIR DEST once read as glovebox's
        # LOWER DIR DEST: the writes landed in WORKDIR/upper, not RWSRC.
        # Now --overlay and --tmp-overlay have bwrap's grammar, which
        # wants the layers before them; --file is still glovebox's own.
        rw = self.lower()
        work = self.stage.path("overlay-work-%s" % self.who.name)
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)
        self.who.chown(work)
        for args in (["--overlay", rw, work, "/l"], ["--tmp-overlay", "/l"]):
            r = self.gb(*args, cmd=["/bin/sh", "-c", "echo new > /l/added"], probe=False)
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn("command line: %s: requires at least one --overlay-src" % args[0],
                          r.stderr)
        self.assertEqual(os.listdir(work), [])
        self.assertEqual(sorted(os.listdir(rw)), ["orig"])

    # ---- bwrap's grammar: --overlay-src SRC..., then --tmp-overlay DEST,
    # --overlay RWSRC WORKDIR DEST or --ro-overlay DEST (bwrap 0.11's
    # meaning; bwrap_test.Overlays checks bwrap mode the same way) ----

    def layers(self, **layers):
        return make_dirs(self.who, os.path.join(self.who.home, "layers-" + self._testMethodName),
                         layers)

    def test_overlay_src_layers_each_above_the_ones_before(self):
        d = self.layers(l1={"a": "1", "b": "2"}, l2={"b": "3"}, l3={"c": "4"})
        r = self.gb("--overlay-src", d["l1"], "--overlay-src", d["l2"], "--overlay-src", d["l3"],
                    "--tmp-overlay", "/l",
                    cmd=["/bin/sh", "-c", "cat /l/a /l/b /l/c; printf 5 > /l/b; cat /l/b"],
                    probe=False)
        self.assertOk(r)
        self.assertEqual(r.stdout, "13" "4" "5")
        self.assertEqual(dir_content(d["l1"]), {"a": "1", "b": "2"})
        self.assertEqual(dir_content(d["l2"]), {"b": "3"})

    def test_overlay_with_bwraps_grammar_writes_to_rwsrc(self):
        d = self.layers(l1={"a": "1", "b": "2"}, l2={"b": "3"}, up={}, work={})
        opts = ["--overlay-src", d["l1"], "--overlay-src", d["l2"],
                "--overlay", d["up"], d["work"], "/l"]
        r = self.gb(*opts, cmd=["/bin/sh", "-c", "cat /l/a /l/b; printf 5 > /l/b; "
                                "printf 6 > /l/c"], probe=False)
        self.assertOk(r)
        self.assertEqual(r.stdout, "13")
        self.assertEqual(dir_content(d["up"]), {"b": "5", "c": "6"})
        self.assertEqual(dir_content(d["l2"]), {"b": "3"})
        r = self.gb(*opts, cmd=["/bin/cat", "/l/a", "/l/b", "/l/c"], probe=False)
        self.assertEqual(r.stdout, "156")

    def test_ro_overlay_writes_nowhere(self):
        d = self.layers(l1={"a": "1", "b": "2"}, l2={"b": "3"})
        r = self.gb("--overlay-src", d["l1"], "--overlay-src", d["l2"], "--ro-overlay", "/l",
                    cmd=["/bin/sh", "-c", "cat /l/a /l/b; printf 4 > /l/b; s=$?; cat /l/b; "
                         "exit $s"], probe=False)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(r.stdout, "13" "3")
        self.assertIn("Read-only file system", r.stderr)

    def test_overlay_src_needs_its_overlay(self):
        d = self.layers(l1={})
        for args, msg in (
                (["--overlay-src", d["l1"]], "--overlay-src: must be followed by another "
                 "--overlay-src or one of --overlay, --tmp-overlay, or --ro-overlay"),
                (["--overlay-src", d["l1"], "--chdir", "/", "--tmp-overlay", "/l"],
                 "--overlay-src: must be followed by another --overlay-src"),
                (["--overlay-src", d["l1"], "--ro-overlay", "/l"],
                 "--ro-overlay: requires at least two --overlay-src")):
            r = self.gb(*args, cmd=["/bin/true"], probe=False)
            # a usage error, as any other mistake on the command line
            self.assertEqual(r.returncode, 2, (args, r.stderr))
            self.assertIn("command line: " + msg, r.stderr)

    def test_a_profiles_lone_overlay_src_is_the_profiles_error(self):
        d = self.layers(l1={})
        p = self.profile("lone-src", "[where]\noverlay-src = %s\n" % d["l1"])
        for more in ([], ["--hostname", "x"], ["--overlay-src", d["l1"], "--tmp-overlay", "/l"]):
            r = self.gb("-p", p, *more, cmd=["/bin/true"], probe=False)
            self.assertEqual(r.returncode, 125, (more, r.stderr))
            self.assertIn("%s:2: [where] overlay-src: must be followed by another overlay-src"
                          % p, r.stderr)

    def test_a_lower_layer_through_a_planted_link_is_refused(self):
        # every layer is checked as the source is, not only the top one
        d = self.layers(real={"f": "x"}, l2={})
        link = os.path.join(os.path.dirname(d["real"]), "link")
        os.symlink(d["real"], link)
        if IS_ROOT:
            os.lchown(link, self.who.uid, self.who.gid)
        r = self.gb("--overlay-src", link, "--overlay-src", d["l2"], "--tmp-overlay", "/l",
                    cmd=["/bin/cat", "/l/f"], probe=False)
        self.assertEqual(r.returncode, 125, r.stderr)
        self.assertIn("command line: --tmp-overlay: %s: %s is a symlink to %s" %
                      (link, link, d["real"]), r.stderr)
        self.assertIn("name it: %s in its place" % d["real"], r.stderr)

    def test_profile_keys_and_explain(self):
        d = self.layers(l1={"a": "1", "b": "2"}, l2={"b": "3"})
        prof = self.profile("layers", "[where]\noverlay-src = %s\noverlay-src = %s\n"
                                      "overlay-src-tmp = /l\n" % (d["l1"], d["l2"]))
        r = self.gb("-p", prof, cmd=["/bin/cat", "/l/a", "/l/b"], probe=False)
        self.assertOk(r)
        self.assertEqual(r.stdout, "13")
        r = self.run_as([self.stage.glovebox, "explain", "-p", prof])
        self.assertOk(r)
        self.assertRegex(r.stdout, r"tmp-overlay +/l <- %s over %s +# .*layers.*:4"
                         % (re.escape(d["l2"]), re.escape(d["l1"])))

    def test_an_overlay_layer_planted_as_a_link_is_not_followed(self):
        # An earlier run that could write DIR replaced DIR/upper by a link:
        # this run's writes would land where it points.
        low = self.lower()
        keep = self.stage.path("overlay-planted-%s" % self.who.name)
        victim = self.stage.path("overlay-victim-%s" % self.who.name)
        for d in (keep, victim):
            shutil.rmtree(d, ignore_errors=True)
            os.makedirs(d)
            self.who.chown(d)
        os.symlink(victim, os.path.join(keep, "upper"))
        r = self.gb("--overlay-dir", low, keep, "/l",
                    cmd=["/bin/sh", "-c", "echo planted > /l/added"], probe=False)
        self.assertEqual(r.returncode, 125, r.stderr)
        self.assertIn(keep, r.stderr)
        self.assertEqual(os.listdir(victim), [])


@both
class PrivateHome:
    def test_a_private_home_persists_per_profile(self):
        p = self.profile("private-a", "[profile]\ninclude = default\n[where]\nhome = private\n")
        q = self.profile("private-b", "[profile]\ninclude = default\n[where]\nhome = private\n")
        self.gb("-p", p, cmd=["/bin/sh", "-c", 'echo remembered > "$HOME/note"'], probe=False)
        r = self.gb("-p", p, cmd=["/bin/cat", os.path.join(self.who.home, "note")], probe=False)
        self.assertEqual(r.stdout, "remembered\n")
        r = self.gb("-p", q, cmd=["/bin/ls", "-A", self.who.home], probe=False)
        self.assertEqual(r.stdout, "")
        self.assertFalse(os.path.exists(os.path.join(self.who.home, "note")))
        homes = os.path.join(self.who.home, ".local", "share", "glovebox", "home")
        kept = [d for d in os.listdir(homes) if d.startswith(os.path.basename(p)[:-4] + "-")]
        self.assertEqual(len(kept), 1, os.listdir(homes))
        self.assertTrue(os.path.exists(os.path.join(homes, kept[0], "note")))

    def private_home(self, *profiles):
        """The host directory `explain` names for home = private."""
        args = []
        for p in profiles:
            args += ["-p", p]
        r = self.run_as([self.stage.glovebox, "explain"] + args)
        self.assertOk(r)
        line = [l for l in r.stdout.splitlines() if l.strip().startswith("home ")][0]
        self.assertIn("private at %s <- " % self.who.home, line)
        return line.split(" <- ")[1].split()[0]

    def test_private_homes_are_keyed_by_the_whole_profile_chain(self):
        text = "[profile]\ninclude = default\n[where]\nhome = private\n"
        a = self.stage.write("chain-%s/a/one.ini" % self.who.name, text)
        b = self.stage.write("chain-%s/b/one.ini" % self.who.name, text)
        two = self.stage.write("chain-%s/two.ini" % self.who.name, text)
        data = os.path.join(self.who.home, ".local", "share", "glovebox", "home")
        self.assertTrue(self.private_home(a).startswith(data + "/one-"))
        # the same file under another name, the same chain twice: one home
        self.assertEqual(self.private_home(a), self.private_home(a))
        self.assertEqual(self.private_home(a), self.private_home(
            os.path.join(os.path.dirname(a), "..", "a", "one.ini")))
        # a/one and b/one, one then two and two alone: homes of their own
        self.assertNotEqual(self.private_home(a), self.private_home(b))
        self.assertNotEqual(self.private_home(a, two), self.private_home(two))
        self.assertNotEqual(self.private_home(a, two), self.private_home(b, two))
        self.assertTrue(self.private_home(a, two).startswith(data + "/two-"))
        self.gb("-p", a, cmd=["/bin/sh", "-c", 'echo mine > "$HOME/a-note"'], probe=False)
        r = self.gb("-p", b, cmd=["/bin/ls", "-A", self.who.home], probe=False)
        self.assertEqual(r.stdout, "")


@both
class NamespaceToggles:
    def ns(self, name, *opts):
        return self.probe("ns", name, opts=opts).stdout.strip()

    def test_each_namespace_is_new_by_default(self):
        for name in ("ipc", "uts", "cgroup", "net", "pid", "mnt", "user"):
            self.assertNotEqual(self.ns(name), self.probe_outside("ns", name).stdout.strip(),
                                name)

    def test_ipc_uts_cgroup_can_be_shared(self):
        for name, opt in (("ipc", "--unshare-ipc=no"), ("uts", "--unshare-uts=no"),
                          ("cgroup", "--unshare-cgroup=no")):
            self.assertEqual(self.ns(name, opt), self.probe_outside("ns", name).stdout.strip(),
                             name)

    def test_without_a_pid_namespace_the_host_pids_show(self):
        p = self.profile("nopid", "[profile]\ninclude = none\n"
                                  "[where]\nro-bind = /usr\nmirror = /lib /lib64\n"
                                  "unshare-pid = no\n[how]\nallow = @system-service\n")
        r = self.probe("pid", opts=("-p", p))
        self.assertGreater(int(r.stdout), 2)
        self.assertEqual(self.probe("pid").stdout.strip(), "2")

    def test_unshare_pid_no_takes_away_the_inherited_proc(self):
        for opts in (("--unshare-pid=no",), ("--unshare-pid", "no")):
            r = self.probe("pid", opts=opts)
            self.assertOk(r)
            self.assertGreater(int(r.stdout), 2)
            r = self.gb(*opts, cmd=["/bin/sh", "-c", "test -e /proc || echo no-proc"],
                        probe=False)
            self.assertEqual(r.stdout, "no-proc\n", r.stderr)
        r = self.run_as([self.stage.glovebox, "explain", "--unshare-pid=no"])
        self.assertRegex(r.stdout, r"taken away by a later setting:\n"
                                   r" +proc +/proc \(default \(built-in\):\d+\) +"
                                   r"# command line --unshare-pid\n")

    def test_proc_after_unshare_pid_no_is_refused(self):
        r = self.gb("--unshare-pid=no", "--proc", "/proc", cmd=["/bin/true"], probe=False)
        self.assertEqual(r.returncode, 125)
        self.assertEqual(r.stderr, "glovebox: command line: --proc: proc needs the sandbox's "
                                   "own pid namespace, and unshare-pid = no (command line: "
                                   "--unshare-pid) turns it off: drop this proc, or keep "
                                   "unshare-pid = yes\n")

    def test_root_may_do_without_a_user_namespace(self):
        r = self.gb("--unshare-user=no", cmd=["/bin/sh", "-c",
                                               "readlink /proc/self/ns/user; cat /proc/self/uid_map;"
                                               " grep -E '^(Cap|Groups)' /proc/self/status"],
                    probe=False)
        if not self.who.is_root:
            self.assertEqual(r.returncode, 125)
            self.assertIn("--unshare-user: needs root", r.stderr)
            return
        self.assertOk(r)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0], os.readlink("/proc/self/ns/user"))
        self.assertEqual(lines[1].split(), ["0", "0", "4294967295"])
        fields = self.status_fields("\n".join(lines[2:]))
        self.assertEqual(fields["Groups"], "")
        for k in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
            self.assertEqual(fields[k], "0000000000000000", k)

    def test_without_a_user_namespace_nothing_propagates_to_the_host(self):
        if not self.who.is_root:
            self.skipTest("root only")
        d = self.stage.path("ovl-nouser")
        os.makedirs(d, exist_ok=True)
        # In a mount namespace whose mounts are all shared, so that what
        # glovebox mounts would show up here if it let it.
        script = ('cat /proc/self/mountinfo; "$@"; echo "== $? =="; cat /proc/self/mountinfo')
        r = self.run_as(["unshare", "--mount", "--propagation", "shared", "--", "/bin/sh", "-c",
                         script, "sh", self.stage.glovebox, "--unshare-user=no",
                         "--overlay-tmp", "/usr", "/usr", "--overlay-dir", "/usr", d, "/opt",
                         "--tmpfs", "/var/tmp", "--mqueue", "/dev/mqueue", "--",
                         "/bin/sh", "-c", "touch /usr/gone /opt/kept"])
        before, status, after = r.stdout.split("==")
        self.assertEqual(status.strip(), "0", r.stderr)
        self.assertIn(" shared:", before)
        self.assertEqual(after.strip(), before.strip())
        self.assertFalse(os.path.exists("/usr/gone"))
        self.assertTrue(os.path.exists(os.path.join(d, "upper", "kept")))

    def test_a_shared_uts_namespace_keeps_the_host_name(self):
        r = self.probe("hostname", opts=("--unshare-uts=no", "--hostname", "x"))
        self.assertEqual(r.stdout.strip(), os.uname().nodename)


@both
class Background:
    def out(self):
        d = self.stage.path("bg-%s" % self.who.name)
        os.makedirs(d, exist_ok=True)
        self.who.chown(d)
        marker = os.path.join(d, "late")
        if os.path.exists(marker):
            os.unlink(marker)
        return d, marker

    def test_background_kill_ends_what_the_command_left(self):
        d, marker = self.out()
        r = self.gb("--bind", d, "/out", cmd=["/bin/sh", "-c",
                                               "(sleep 0.5; echo late > /out/late) & exit 4"],
                    probe=False)
        self.assertEqual(r.returncode, 4)
        time.sleep(0.8)
        self.assertFalse(os.path.exists(marker))

    def test_background_wait_lets_it_finish(self):
        d, marker = self.out()
        r = self.gb("--bind", d, "/out", "--background", "wait", cmd=[
            "/bin/sh", "-c", "(sleep 0.3; echo late > /out/late) & exit 4"], probe=False)
        self.assertEqual(r.returncode, 4)
        self.assertTrue(os.path.exists(marker))

    def test_background_kill_without_a_pid_namespace(self):
        d, marker = self.out()
        p = self.profile("nopid-bg", "[profile]\ninclude = none\n"
                                     "[where]\nro-bind = /usr\nmirror = /bin /lib /lib64\n"
                                     "unshare-pid = no\n[how]\nallow = @system-service\n")
        r = self.gb("-p", p, "--bind", d, "/out", cmd=[
            "/bin/sh", "-c", "(sleep 0.5; echo late > /out/late) & exit 0"], probe=False)
        self.assertOk(r)
        time.sleep(0.8)
        self.assertFalse(os.path.exists(marker))


@both
class Reporting:
    def test_info_and_status_fds_report_pid_and_exit(self):
        info_r, info_w = os.pipe()
        st_r, st_w = os.pipe()
        argv = self.who.wrap([self.stage.glovebox, "--info-fd", str(info_w), "--status-fd",
                              str(st_w), "--ro-bind", self.stage.probe, "/probe", "--",
                              "/probe", "wait-signal"])
        p = subprocess.Popen(argv, pass_fds=(info_w, st_w), stdout=subprocess.PIPE, text=True,
                             env=self.who.env(), cwd=self.stage.work)
        os.close(info_w)
        os.close(st_w)
        self.assertEqual(p.stdout.readline().strip(), "ready")
        info = os.read(info_r, 200).decode()
        self.assertRegex(info, r'^\{"child-pid": \d+\}\n$')
        pid = int(info.split(":")[1].strip(" }\n"))
        with open("/proc/%d/status" % pid) as f:
            nspid = [l for l in f if l.startswith("NSpid:")][0].split()
        self.assertEqual(nspid[-1], "2")  # the command, as seen inside
        os.kill(pid, 15)
        p.communicate(timeout=10)
        lines = os.read(st_r, 400).decode().splitlines()
        self.assertEqual(lines, [info.strip(), '{"exit-code": 0}'])
        os.close(info_r)
        os.close(st_r)

    def status_lines(self, script, *opts):
        st_r, st_w = os.pipe()
        argv = self.who.wrap([self.stage.glovebox] + [o.replace("FD", str(st_w)) for o in opts] +
                             ["--", "/bin/sh", "-c", script])
        r = subprocess.run(argv, pass_fds=(st_w,), env=self.who.env(), cwd=self.stage.work)
        os.close(st_w)
        with os.fdopen(st_r) as f:
            return r.returncode, f.read().splitlines()

    def test_status_fd_reports_a_signal(self):
        code, lines = self.status_lines("kill -9 $$", "--status-fd", "FD")
        self.assertEqual(code, 137)
        self.assertEqual(lines[-1], '{"exit-code": 137, "exit-signal": 9}')

    def test_an_exit_status_above_128_is_not_a_signal(self):
        for status in (130, 200, 255):
            code, lines = self.status_lines("exit %d" % status, "--status-fd", "FD")
            self.assertEqual(code, status)
            self.assertEqual(lines[-1], '{"exit-code": %d}' % status)

    def test_one_descriptor_may_take_both_reports(self):
        code, lines = self.status_lines("exit 3", "--info-fd", "FD", "--status-fd", "FD")
        self.assertEqual(code, 3)
        self.assertEqual(len(lines), 2, lines)
        self.assertRegex(lines[0], r'^\{"child-pid": \d+\}$')
        self.assertEqual(lines[1], '{"exit-code": 3}')


@both
class HostileSymlinks:
    def flipping(self, flip, to, pause=0.0):
        """Flip flip between a fresh directory and a link to `to` (the
        user's own) in another thread, each state lasting `pause` (a
        number, or a one-element list the test may change as it goes),
        until the test ends."""
        stop = threading.Event()
        hold = pause if isinstance(pause, list) else [pause]

        def flipper():
            while not stop.is_set():
                try:
                    if os.path.islink(flip):
                        os.unlink(flip)
                        os.mkdir(flip)
                    else:
                        # made aside and renamed: never root's for a moment
                        if os.path.lexists(flip + ".new"):
                            os.unlink(flip + ".new")
                        os.symlink(to, flip + ".new")
                        if IS_ROOT:
                            os.lchown(flip + ".new", self.who.uid, self.who.gid)
                        shutil.rmtree(flip, ignore_errors=True)
                        os.rename(flip + ".new", flip)
                except OSError:
                    pass
                stop.wait(hold[0])

        t = threading.Thread(target=flipper)
        t.start()
        self.addCleanup(t.join)
        self.addCleanup(stop.set)

    def test_a_symlink_swapped_in_during_setup_never_sends_a_mount_out(self):
        # Another process flips a directory of a writable bind between a real
        # directory and a symlink to /tmp while sandboxes mount below it.
        # Whatever the timing, the mount point must never land on the host.
        work = self.stage.path("race-%s" % self.who.name)
        os.makedirs(work, exist_ok=True)
        self.who.chown(work)
        target = "gb-race-target-%s" % self.who.name
        self.flipping(os.path.join(work, "flip"), "/tmp")
        for _ in range(40):
            self.gb("--bind", work, "/w", "--tmpfs", "/w/flip/" + target,
                    cmd=["/bin/true"], probe=False)
            self.assertFalse(os.path.exists("/tmp/" + target), "a mount point reached /tmp")

    def test_a_symlink_swapped_into_a_bind_source_never_redirects_it(self):
        # The launcher holds the source it resolved; pid 1 mounts it only
        # when its clone at the same path is that very directory. Another
        # process flips the source between a fresh directory and a link
        # (never followed: the user's own) to one holding a marker: a launch
        # fails or shows no marker.
        work = self.stage.path("source-race-%s" % self.who.name)
        elsewhere = os.path.join(work, "elsewhere")
        os.makedirs(elsewhere, exist_ok=True)
        with open(os.path.join(elsewhere, "marker"), "w"):
            pass
        for d in (work, elsewhere):
            self.who.chown(d)
        flip = os.path.join(work, "flip")
        os.makedirs(flip, exist_ok=True)
        # Some launches must get through, or the race was not run: each
        # state lasts longer after every ten launches in a row that failed
        # (a slow build, ASan's, takes many times a launch's usual time).
        pause = [0.002]
        self.flipping(flip, elsewhere, pause=pause)
        shown = failed = 0
        for _ in range(80):
            r = self.gb("--ro-bind", flip, "/w", cmd=["/bin/ls", "/w"], probe=False)
            self.assertNotIn("marker", r.stdout)
            shown += r.returncode == 0
            failed = 0 if r.returncode == 0 else failed + 1
            if failed == 10:
                pause[0] *= 4
                failed = 0
        self.assertGreater(shown, 0, "no launch ever got through: the race was not run")


if __name__ == "__main__":
    main()
