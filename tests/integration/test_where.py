# SPDX-License-Identifier: LGPL-2.1-or-later
"""The where layer, observed from inside: files, mounts, namespaces."""
import os
import uuid
import socket
import shutil
import subprocess

from gbtest import IS_ROOT, both, main


@both
class Files:
    def setUp(self):
        self.secret = self.stage.write("secret-%s.txt" % self.who.name, "top secret\n")

    def test_a_host_file_outside_the_binds_cannot_be_read(self):
        # It can be read outside: the probe is able to see a failure.
        self.assertIn("ok top secret", self.probe_outside("read", self.secret).stdout)
        for path in (self.secret, "/proc/1/root" + self.secret, "/proc/self/root" + self.secret,
                     "/proc/2/root" + self.secret):
            r = self.probe("read", path)
            self.assertNotIn("top secret", r.stdout, path)
            self.assertNotEqual(r.returncode, 0, path)

    def test_a_read_only_bind_refuses_writes_with_erofs(self):
        r = self.probe("write", "/usr/gb-should-not-exist")
        self.assertEqual(r.stdout.strip(), "EROFS")
        r = self.probe("write", "/etc/gb-should-not-exist")
        self.assertEqual(r.stdout.strip(), "EROFS")

    def test_the_root_itself_is_read_only(self):
        r = self.probe("write", "/new-file")
        self.assertEqual(r.stdout.strip(), "EROFS")

    def test_a_read_write_bind_writes_through_to_the_host(self):
        d = self.stage.path("rw-%s" % self.who.name)
        os.makedirs(d, exist_ok=True)
        self.who.chown(d)
        r = self.probe("write", "/work/out.txt", opts=("--bind", d, "/work"))
        self.assertOk(r)
        with open(os.path.join(d, "out.txt")) as f:
            self.assertEqual(f.read(), "written\n")

    def test_ro_bind_keeps_submounts_read_only(self):
        # /proc/sys is a read-only bind inside the sandbox's own /proc.
        r = self.probe("write", "/proc/sys/kernel/hostname")
        self.assertNotEqual(r.stdout.strip(), "ok")

    def test_tmp_is_private_and_writable(self):
        host_file = "/tmp/gb-host-only-%s" % self.who.name
        try:
            with open(host_file, "w") as f:
                f.write("host")
        except PermissionError:
            self.skipTest("the host's /tmp is not writable here")
        try:
            r = self.gb(cmd=["/bin/sh", "-c", "ls -A /tmp; echo x > /tmp/in && cat /tmp/in"],
                        probe=False)
            self.assertOk(r)
            listing = r.stdout.split()
            self.assertNotIn(os.path.basename(host_file), listing)
            self.assertEqual(listing[-1], "x")
            # only the mount point of a home below /tmp may show up
            self.assertLessEqual(set(listing[:-1]), {self.who.home.split("/")[2]})
        finally:
            os.unlink(host_file)

    def test_dev_has_working_nodes_and_a_private_pts(self):
        r = self.gb(cmd=["/bin/sh", "-c",
                         "head -c 4 /dev/zero | od -An -tx1; ls /dev; ls /dev/pts; "
                         "echo x > /dev/null && echo null-ok"], probe=False)
        self.assertOk(r)
        out = r.stdout.split()
        self.assertEqual(out[:4], ["00", "00", "00", "00"])
        for node in ("null", "zero", "full", "random", "urandom", "tty", "pts", "shm", "ptmx",
                     "fd", "stdin"):
            self.assertIn(node, out)
        self.assertIn("null-ok", out)

    def test_only_listed_paths_appear_at_the_root(self):
        p = self.profile("tiny", "[profile]\ninclude = none\n"
                                 "[where]\nro-bind = /usr\nmirror = /lib /lib64\n"
                                 "tmpfs = /scratch\nhome = none\n[how]\nallow = @system-service\n")
        r = self.gb("-p", p, cmd=["/usr/bin/ls", "-A", "/"], probe=False)
        self.assertOk(r)
        self.assertEqual(set(r.stdout.split()) - {"lib64"}, {"usr", "lib", "scratch"})

    def test_symlink_and_dir_are_created(self):
        r = self.gb("--symlink", "usr/share", "/share", "--dir", "/empty",
                    cmd=["/bin/sh", "-c", "readlink /share; ls -d /share/.; ls -A /empty"],
                    probe=False)
        self.assertOk(r)
        self.assertEqual(r.stdout.split(), ["usr/share", "/share/."])

    def test_bind_destination_may_differ_from_source(self):
        d = self.stage.path("data-%s" % self.who.name)
        os.makedirs(d, exist_ok=True)
        self.stage.write("data-%s/hello" % self.who.name, "hi\n")
        r = self.probe("read", "/elsewhere/hello", opts=("--ro-bind", d, "/elsewhere"))
        self.assertEqual(r.stdout.strip(), "ok hi")

    def test_paths_with_spaces_work_in_profiles(self):
        d = self.stage.path("dir with spaces %s" % self.who.name)
        os.makedirs(d, exist_ok=True)
        self.stage.write(os.path.join(os.path.basename(d), "f"), "spaced\n")
        p = self.profile("spaces", '[where]\nro-bind = "%s" "/in side"\n' % d)
        r = self.probe("read", "/in side/f", opts=("-p", "default", "-p", p))
        self.assertEqual(r.stdout.strip(), "ok spaced")

    def test_chdir_sets_the_working_directory(self):
        r = self.gb("--chdir", "/usr/share", cmd=["/bin/pwd"], probe=False)
        self.assertEqual(r.stdout.strip(), "/usr/share")

    def test_the_working_directory_follows_the_caller_when_visible(self):
        d = self.stage.path("cwd-%s" % self.who.name)
        os.makedirs(d, exist_ok=True)
        argv = [self.stage.glovebox, "--ro-bind", d, d, "--", "/bin/pwd"]
        r = self.run_as(["/bin/sh", "-c", 'cd "$1" && shift && exec "$@"', "sh", d] + argv)
        self.assertEqual(r.stdout.strip(), d)

    def host_submount(self, name):
        """A directory with a writable tmpfs mounted below it on the host."""
        if not IS_ROOT:
            self.skipTest("mounting on the host needs root")
        top = self.stage.path("%s-%s" % (name, self.who.name))
        sub = os.path.join(top, "sub")
        os.makedirs(sub, exist_ok=True)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "mode=1777", "tmpfs", sub], check=True)
        self.addCleanup(subprocess.run, ["umount", "-l", sub])
        return top

    def test_a_bind_is_recursive_and_every_submount_gets_its_flags(self):
        top = self.host_submount("recursive")
        r = self.gb("--ro-bind", top, "/t", cmd=["/bin/sh", "-c",
                                                 "touch /t/sub/x 2>/dev/null || echo refused; "
                                                 "grep ' /t/sub ' /proc/self/mountinfo"],
                    probe=False)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0], "refused")
        opts = lines[1].split()[5].split(",")
        for flag in ("ro", "nosuid", "nodev"):
            self.assertIn(flag, opts)
        # a writable bind keeps nosuid and nodev below it too
        r = self.gb("--bind", top, "/t", cmd=["/bin/grep", " /t/sub ", "/proc/self/mountinfo"],
                    probe=False)
        opts = r.stdout.split()[5].split(",")
        self.assertIn("rw", opts)
        self.assertIn("nosuid", opts)
        self.assertIn("nodev", opts)

    def test_a_plain_bind_makes_device_nodes_unusable(self):
        r = self.gb("--bind", "/dev/null", "/n",
                    cmd=["/bin/sh", "-c", "echo x > /n 2>/dev/null && echo wrote || echo refused"],
                    probe=False)
        self.assertEqual(r.stdout.strip(), "refused")

    def test_the_hosts_proc_and_sys_below_a_bind_are_hidden_or_read_only(self):
        r = self.gb("--bind", "/", "/host", "writable=intended", cmd=[
            "/bin/sh", "-c", "ls /host/proc/1 >/dev/null 2>&1 && echo proc-visible; "
            "ls -d /host/proc/self/root/ 2>/dev/null && echo root-link; "
            "grep ' /host/sys ' /proc/self/mountinfo | cut -d' ' -f6; "
            "ls /host/sys/kernel >/dev/null && echo sys-readable"], probe=False)
        lines = r.stdout.split()
        self.assertNotIn("proc-visible", lines)
        self.assertNotIn("root-link", lines)
        self.assertIn("sys-readable", lines)
        self.assertIn("ro", lines[0].split(","))
        self.assertTrue(os.path.isdir("/proc/1"))  # the probe could see it

    def test_a_hostile_symlink_in_a_writable_bind_cannot_redirect_a_mount(self):
        # The sandbox (or anyone) left a symlink pointing at /tmp inside a
        # writable directory; a later mount's destination walks through it.
        # Its mount point must be made inside the new root, not on the host.
        d = self.stage.path("hostile-%s" % self.who.name)
        os.makedirs(d, exist_ok=True)
        link = os.path.join(d, "escape")
        if not os.path.islink(link):
            os.symlink("/tmp", link)
        self.who.chown(d)
        target = "gb-mnt-%s" % self.who.name
        r = self.gb("--bind", d, "/w", "--tmpfs", "/w/escape/" + target,
                    cmd=["/bin/sh", "-c", "ls -d /tmp/%s && echo inside" % target], probe=False)
        self.assertOk(r)
        self.assertIn("inside", r.stdout)
        self.assertFalse(os.path.exists("/tmp/" + target))

    def test_a_symlink_among_the_binds_of_one_directory_stays_inside(self):
        # Making /w/sub leaves /w as the executor's cached parent; /w/escape
        # is then a symlink met through that cache, which must take the
        # careful path: resolved inside the new root, never on the host.
        d = self.stage.path("cached-link-%s" % self.who.name)
        os.makedirs(d, exist_ok=True)
        link = os.path.join(d, "escape")
        if not os.path.islink(link):
            os.symlink("/tmp", link)
        self.who.chown(d)
        marker = "gb-cached-%s" % self.who.name
        r = self.gb("--bind", d, "/w", "--tmpfs", "/w/sub", "--tmpfs", "/w/escape",
                    cmd=["/bin/sh", "-c", "touch /w/escape/%s && ls /tmp/%s && "
                         "grep -c ' /tmp ' /proc/self/mountinfo" % (marker, marker)],
                    probe=False)
        self.assertOk(r)
        self.assertEqual(r.stdout.split(), ["/tmp/" + marker, "2"])
        self.assertFalse(os.path.exists("/tmp/" + marker))


@both
class SourceLinks:
    """Bind sources are resolved before any namespace: a symlink is followed
    only when root owns it and someone else runs glovebox."""

    def home_with_links(self):
        """A home of the test's own: ~/.ssh, a dotfile link of the user's
        (~/.config/nvim -> ../dotfiles/nvim, as GNU stow makes it) and one
        of root's (~/system -> /usr/share)."""
        home = self.stage.path("links-home-%s" % self.who.name)
        shutil.rmtree(home, ignore_errors=True)
        for d in (".ssh", ".config", "dotfiles/nvim"):
            os.makedirs(os.path.join(home, d))
        with open(os.path.join(home, "dotfiles", "nvim", "init.vim"), "w") as f:
            f.write("set number\n")
        os.symlink("../dotfiles/nvim", os.path.join(home, ".config", "nvim"))
        for root, dirs, files in os.walk(home):
            for e in dirs + files + ["."]:
                if IS_ROOT:  # lchown: never what a link points to
                    os.lchown(os.path.join(root, e), self.who.uid, self.who.gid)
        os.symlink("/usr/share", os.path.join(home, "system"))  # the test's own: root's
        os.chmod(home, 0o755)
        return home

    def test_a_link_of_the_users_own_is_refused_with_the_bind_to_write(self):
        home = self.home_with_links()
        nvim = os.path.join(home, ".config", "nvim")
        r = self.gb("--ro-bind", nvim, "/nvim", cmd=["/bin/cat", "/nvim/init.vim"],
                    probe=False, env={"HOME": home})
        self.assertEqual(r.returncode, 125, r.stderr)
        owner = "root, who runs glovebox" if self.who.is_root else "uid %d" % self.who.uid
        self.assertIn("%s is a symlink to ../dotfiles/nvim owned by %s" % (nvim, owner), r.stderr)
        self.assertIn("name it: --ro-bind %s/dotfiles/nvim /nvim" % home, r.stderr)
        # what the message says to write works, and so does links=follow
        for opts in (["--ro-bind", os.path.join(home, "dotfiles", "nvim"), "/nvim"],
                     ["--ro-bind", nvim, "/nvim", "links=follow"]):
            r = self.gb(*opts, cmd=["/bin/cat", "/nvim/init.vim"], probe=False,
                        env={"HOME": home})
            self.assertOk(r)
            self.assertEqual(r.stdout, "set number\n")

    def test_a_missing_name_after_a_followed_link_fails_the_bind(self):
        # once the missing name was dropped: the link's directory was bound
        home = self.home_with_links()
        missing = os.path.join(home, ".config", "nvim", "missing")
        r = self.gb("--ro-bind", missing, "/nvim", "links=follow", cmd=["/bin/ls", "/nvim"],
                    probe=False, env={"HOME": home})
        self.assertEqual(r.returncode, 125, r.stdout + r.stderr)
        self.assertIn("No such file or directory", r.stderr)
        self.assertNotIn("init.vim", r.stdout)

    def test_a_link_of_roots_is_followed_unless_root_runs_glovebox(self):
        if not IS_ROOT:
            self.skipTest("making a link of root's needs root")
        home = self.home_with_links()
        r = self.gb("--ro-bind", os.path.join(home, "system"), "/s",
                    cmd=["/bin/ls", "-d", "/s/doc"], probe=False, env={"HOME": home})
        if self.who.is_root:
            self.assertEqual(r.returncode, 125)
            self.assertIn("owned by root, who runs glovebox", r.stderr)
        else:
            self.assertOk(r)

    def test_a_writable_bind_of_a_place_of_secrets_is_refused_unless_intended(self):
        home = self.home_with_links()
        ssh = os.path.join(home, ".ssh")
        for src in (ssh, home, os.path.dirname(home)):
            r = self.gb("--bind", src, "/k", cmd=["/bin/true"], probe=False, env={"HOME": home})
            self.assertEqual(r.returncode, 125, src)
            self.assertIn("refusing a writable bind of %s" % src, r.stderr)
        self.assertIn("say so: --bind %s /k writable=intended" % os.path.dirname(home),
                      r.stderr)
        r = self.gb("--ro-bind", ssh, "/k", cmd=["/bin/true"], probe=False, env={"HOME": home})
        self.assertOk(r)
        r = self.gb("--bind", ssh, "/k", "writable=intended",
                    cmd=["/bin/sh", "-c", "echo meant > /k/config"], probe=False,
                    env={"HOME": home})
        self.assertOk(r)
        with open(os.path.join(ssh, "config")) as f:
            self.assertEqual(f.read(), "meant\n")

    def test_explain_says_why_the_current_directory_is_not_shared(self):
        home = self.home_with_links()
        nvim = os.path.join(home, ".config", "nvim")
        r = self.run_as(["/bin/sh", "-c", 'cd "$1" && shift && exec "$@"', "sh", nvim,
                         self.stage.glovebox, "explain"], env={"HOME": home})
        self.assertOk(r)
        self.assertIn("%s not shared (through a symlink a sandbox could have planted)" % nvim,
                      r.stdout)

    def test_explain_shows_the_words_that_mark_a_bind(self):
        home = self.home_with_links()
        r = self.run_as([self.stage.glovebox, "explain", "--bind", home + "/.ssh", "/k",
                         "writable=intended", "--ro-bind", home + "/.config/nvim", "/n",
                         "links=follow"], env={"HOME": home})
        self.assertOk(r)
        self.assertRegex(r.stdout, r"bind +/k <- %s/\.ssh writable=intended" % home)
        self.assertRegex(r.stdout, r"ro-bind +/n <- %s/\.config/nvim links=follow" % home)
        r = self.run_as([self.stage.glovebox, "explain", "--bind", home + "/.ssh", "/k"],
                        env={"HOME": home})
        self.assertIn("refused: command line: --bind: %s/.ssh: refusing a writable bind" % home,
                      r.stdout)


@both
class Home:
    def test_home_ro_shows_contents_read_only(self):
        with open(os.path.join(self.who.home, "notes"), "w") as f:
            f.write("n\n")
        r = self.gb("--home", "ro", cmd=["/bin/sh", "-c",
                                         'cat "$HOME/notes"; touch "$HOME/x" 2>/dev/null '
                                         '|| echo refused'], probe=False)
        self.assertEqual(r.stdout.split(), ["n", "refused"])

    def test_home_rw_writes_through(self):
        r = self.gb("--home", "rw", cmd=["/bin/sh", "-c", 'echo y > "$HOME/rw-out"'],
                    probe=False)
        self.assertOk(r)
        self.assertTrue(os.path.exists(os.path.join(self.who.home, "rw-out")))

    def test_home_none_leaves_no_directory(self):
        r = self.gb("--home", "none", cmd=["/bin/sh", "-c", 'test -e "$HOME" || echo absent'],
                    probe=False)
        self.assertEqual(r.stdout.strip(), "absent")

    def test_glovebox_config_stays_hidden_even_with_a_writable_home(self):
        cfg = os.path.join(self.who.home, ".config", "glovebox", "profiles")
        os.makedirs(cfg, exist_ok=True)
        with open(os.path.join(cfg, "build.ini"), "w") as f:
            f.write("[where]\nnetwork = host\n")
        r = self.gb("--home", "rw", cmd=["/bin/sh", "-c",
                                         'ls -A "$HOME/.config/glovebox"; '
                                         'echo evil > "$HOME/.config/glovebox/x" || echo refused'],
                    probe=False)
        self.assertEqual(r.stdout.split(), ["refused"])
        self.assertFalse(os.path.exists(os.path.join(self.who.home, ".config/glovebox/x")))

    def test_binding_glovebox_config_itself_is_refused(self):
        cfg = os.path.join(self.who.home, ".config", "glovebox")
        os.makedirs(cfg, exist_ok=True)
        r = self.gb("--ro-bind", cfg, "/cfg", cmd=["/bin/true"], probe=False)
        self.assertEqual(r.returncode, 125)
        self.assertIn("refusing to expose glovebox's own state", r.stderr)

    def test_binding_a_hard_link_to_a_profile_is_refused(self):
        # Two levels down in the configuration, under another name outside
        # it: the sandbox would rewrite a profile later runs load.
        prof = self.user_file("linked-%d.ini" % os.getpid(), "[where]\nnetwork = none\n")
        self.who.chown(prof)
        link = os.path.join(self.who.home, "profile-link-%d" % os.getpid())
        self.run_as(["ln", prof, link])
        self.addCleanup(os.unlink, link)
        self.assertEqual(os.stat(link).st_ino, os.stat(prof).st_ino)
        for src in (prof, link):
            r = self.gb("--bind", src, "/p", "writable=intended", cmd=["/bin/true"],
                        probe=False)
            self.assertEqual(r.returncode, 125, src)
            self.assertIn("refusing to expose glovebox's own state", r.stderr)

    def test_glovebox_config_on_another_filesystem_below_a_bind_stays_hidden(self):
        # /dev/shm is a tmpfs of its own below /: the bind of / brings it along.
        if os.stat("/dev/shm").st_dev == os.stat("/").st_dev:
            self.skipTest("/dev/shm is on the root filesystem here")
        top = "/dev/shm/gb-cfg-%s-%d" % (self.who.name, os.getpid())
        cfg = os.path.join(top, "glovebox")
        self.run_as(["/bin/sh", "-c", 'mkdir -p "$1" && echo secret > "$1/s"', "sh", cfg])
        try:
            r = self.gb("--bind", "/", "/host", "writable=intended",
                        env={"XDG_CONFIG_HOME": top},
                        cmd=["/bin/sh", "-c", 'cat "/host$1/s" 2>/dev/null || echo hidden', "sh",
                             cfg], probe=False)
            self.assertEqual(r.stdout.split(), ["hidden"], r.stderr)
        finally:
            shutil.rmtree(top, ignore_errors=True)

    def test_explain_lists_the_steps_glovebox_adds(self):
        for d in (".config", ".cache"):
            os.makedirs(os.path.join(self.who.home, d, "glovebox"), exist_ok=True)
        r = self.run_as([self.stage.glovebox, "explain", "--ro-bind", self.who.home, "/h",
                         "--file-text", "/etc/x", "hi"])
        self.assertOk(r)
        lines = [l.split() for l in r.stdout.splitlines()]
        self.assertIn(["mask", "/h/.config/glovebox", "#", "glovebox's", "own", "state,", "hidden",
                       "if", "it", "still", "shows,", "for", "ro-bind", "/h", "(command", "line",
                       "--ro-bind)"], lines)
        self.assertIn(["pin", "/h/.config", "#", "a", "mount", "of", "itself,", "so", "the", "mask",
                       "cannot", "be", "moved", "aside"], lines)
        self.assertIn(["dev-node", "/dev/null", "#", "the", "host's", "device", "node,", "for",
                       "dev", "/dev"], [l[:10] for l in lines])
        steps = [l[0] for l in lines if l and l[0] in ("scratch", "file", "scratch-drop", "mask",
                                                       "enter-root", "root-ro")]
        self.assertEqual(steps, ["scratch", "file", "scratch-drop", "mask", "mask", "enter-root",
                                 "root-ro"])

    def test_explain_says_what_a_launch_would_refuse(self):
        cfg = os.path.join(self.who.home, ".config", "glovebox")
        os.makedirs(cfg, exist_ok=True)
        r = self.run_as([self.stage.glovebox, "explain", "--ro-bind", cfg, "/c"])
        self.assertOk(r)
        self.assertIn("refused: command line: --ro-bind: %s: refusing to expose glovebox's own "
                      "state" % cfg, r.stdout)

    def test_glovebox_config_deep_below_a_bind_of_the_root_stays_hidden(self):
        # 40 directories down: every ancestor counts, the root's included.
        deep = os.path.join(self.who.home, *(["d"] * 40))
        cfg = os.path.join(deep, "glovebox")
        self.run_as(["/bin/sh", "-c", 'mkdir -p "$1" && echo secret > "$1/s"', "sh", cfg])
        r = self.gb("--ro-bind", "/", "/host", env={"XDG_CONFIG_HOME": deep},
                    cmd=["/bin/sh", "-c", 'cat "/host$1/s" 2>/dev/null || echo hidden', "sh",
                         cfg], probe=False)
        self.assertEqual(r.stdout.split(), ["hidden"], r.stderr)


@both
class CurrentDirectory:
    """The directory glovebox is started in: shared at its own path, and the
    command starts there, or glovebox says why not."""

    def gb_in(self, d, *args, cmd):
        argv = [self.stage.glovebox] + list(args) + ["--"] + list(cmd)
        return self.run_as(["/bin/sh", "-c", 'cd "$1" && shift && exec "$@"', "sh", d] + argv)

    def tree(self, name):
        d = self.stage.path("%s-%s" % (name, self.who.name))
        os.makedirs(d, exist_ok=True)
        self.who.chown(d)
        with open(os.path.join(d, "untrusted.py"), "w") as f:
            f.write("in the tree\n")
        return d

    def test_the_default_sandbox_shows_the_current_directory_read_only_and_starts_there(self):
        # The stage lies in /tmp, under the sandbox's private /tmp.
        d = self.tree("cwd-ro")
        r = self.gb_in(d, cmd=["/bin/sh", "-c", "pwd; cat untrusted.py; "
                                                 "touch new 2>/dev/null || echo refused"])
        self.assertOk(r)
        self.assertEqual(r.stdout.splitlines(), [d, "in the tree", "refused"])
        self.assertEqual(r.stderr, "")

    def test_cwd_rw_writes_through_to_the_host(self):
        d = self.tree("cwd-rw")
        r = self.gb_in(d, "--cwd", "rw", cmd=["/bin/sh", "-c", "echo made > out"])
        self.assertOk(r)
        with open(os.path.join(d, "out")) as f:
            self.assertEqual(f.read(), "made\n")

    def test_a_mount_inside_the_current_directory_stays_on_top_of_it(self):
        d = self.tree("cwd-inner")
        os.makedirs(os.path.join(d, "build"), exist_ok=True)
        r = self.gb_in(d, "--tmpfs", os.path.join(d, "build"),
                       cmd=["/bin/sh", "-c", "touch build/x && echo inner-writable"])
        self.assertEqual(r.stdout.strip(), "inner-writable")

    def test_home_itself_is_not_shared_and_glovebox_says_so(self):
        with open(os.path.join(self.who.home, "private-note"), "w") as f:
            f.write("mine\n")
        r = self.gb_in(self.who.home, cmd=["/bin/sh", "-c", 'pwd; ls -A "$HOME"'])
        self.assertOk(r)
        self.assertEqual(r.stdout.split(), ["/"])
        self.assertEqual(r.stderr, "glovebox: not sharing the current directory %s (it is your "
                                   "home): the command starts in /; share it with --home ro\n"
                         % self.who.home)
        r = self.gb_in(self.who.home, "--home", "ro", cmd=["/bin/sh", "-c", "pwd; ls -A"])
        self.assertEqual(r.stdout.split()[0], self.who.home)
        self.assertIn("private-note", r.stdout.split())
        self.assertEqual(r.stderr, "")

    def test_a_directory_above_home_is_not_shared(self):
        # The stage holds the test homes.
        r = self.gb_in(self.stage.dir, cmd=["/bin/ls", "-A", self.stage.dir + "/bin"])
        self.assertNotIn("glovebox", r.stdout)
        self.assertEqual(r.stderr.splitlines()[0],
                         "glovebox: not sharing the current directory %s (your home lies in it): "
                         "the command starts in /; share it with --ro-bind %s %s"
                         % ((self.stage.dir,) * 3))

    def test_glovebox_state_is_not_shared_and_glovebox_says_so(self):
        d = os.path.join(self.who.home, ".config", "glovebox", "profiles")
        os.makedirs(d, exist_ok=True)
        for p in (d, os.path.dirname(d), os.path.dirname(os.path.dirname(d))):
            self.who.chown(p)
        r = self.gb_in(d, cmd=["/bin/pwd"])
        self.assertOk(r)
        self.assertEqual(r.stdout.strip(), "/")
        self.assertEqual(r.stderr, "glovebox: not sharing the current directory %s (glovebox's "
                                   "own state, which no sandbox may see): the command starts "
                                   "in /\n" % d)

    def test_a_removed_current_directory_is_said(self):
        d = os.path.join(self.who.home, "cwd-gone")  # the user may remove it
        os.makedirs(d, exist_ok=True)
        self.who.chown(d)
        argv = [self.stage.glovebox, "--", "/bin/pwd"]
        r = self.run_as(["/bin/sh", "-c", 'cd "$1" && rmdir "$1" && shift && exec "$@"', "sh",
                         d] + argv)
        self.assertOk(r)
        self.assertEqual(r.stdout.strip(), "/")
        self.assertEqual(r.stderr, "glovebox: the current directory is gone (removed, or out "
                                   "of reach): the command starts in /\n")

    def test_the_hosts_tmp_is_not_shared_over_the_private_one(self):
        # The host's /tmp holds other programs' sockets (tmux, X11,
        # ssh-agent): a read-only bind of it would not stop connect().
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        path = "/tmp/gb-sock-%s" % uuid.uuid4().hex
        listener.bind(path)
        os.chmod(path, 0o777)
        self.addCleanup(os.unlink, path)
        self.addCleanup(listener.close)
        r = self.gb_in("/tmp", cmd=["/bin/sh", "-c", "pwd; ls -A /tmp"])
        self.assertOk(r)
        self.assertEqual(r.stdout.split()[0], "/")
        self.assertNotIn(os.path.basename(path), r.stdout.split())
        self.assertEqual(r.stderr, "glovebox: not sharing the current directory /tmp (the "
                                   "sandbox has its own /tmp): the command starts in /; run "
                                   "glovebox from a directory in it, which is shared\n")

    def test_a_directory_every_program_shares_is_not_shared(self):
        r = self.gb_in("/run", cmd=["/bin/sh", "-c", "pwd; ls -A /run 2>/dev/null; true"])
        self.assertOk(r)
        self.assertEqual(r.stdout.split(), ["/"])
        self.assertEqual(r.stderr, "glovebox: not sharing the current directory /run (every "
                                   "program shares it, and their sockets in it would be in "
                                   "reach): the command starts in /; share it with --ro-bind "
                                   "/run /run\n")

    def test_the_root_is_not_shared(self):
        r = self.gb_in("/", "--cwd", "rw", cmd=["/bin/sh", "-c", "pwd; ls -A /"])
        self.assertOk(r)
        self.assertNotIn("root", r.stdout.split()[1:])
        self.assertEqual(r.stderr, "glovebox: not sharing the current directory / (it is the "
                                   "whole host): the command starts in the sandbox's /; run "
                                   "glovebox from the directory to share\n")

    def test_the_sandboxs_own_dev_is_not_replaced_by_the_hosts(self):
        r = self.gb_in("/dev", cmd=["/bin/sh", "-c", "pwd; echo x > /dev/null && echo null-ok"])
        self.assertEqual(r.stdout.split(), ["/", "null-ok"])
        self.assertEqual(r.stderr, "glovebox: not sharing the current directory /dev (the sandbox "
                                   "has its own /dev): the command starts in /\n")

    def test_an_unshared_directory_is_never_left_silently(self):
        d = self.tree("cwd-none")
        r = self.gb_in(d, "--cwd", "none", cmd=["/bin/pwd"])
        self.assertOk(r)
        self.assertEqual(r.stdout.strip(), "/")
        self.assertEqual(r.stderr, "glovebox: the current directory %s is not in the sandbox: "
                                   "the command starts in / (share it with --cwd ro)\n" % d)
        # a directory of the same name is not the same directory
        r = self.gb_in("/tmp", "--cwd", "none", cmd=["/bin/pwd"])
        self.assertEqual(r.stdout.strip(), "/")
        self.assertIn("the current directory /tmp is not in the sandbox", r.stderr)

    def test_the_logical_path_is_shared_when_it_names_the_same_directory(self):
        d = self.tree("cwd-real")
        link = self.stage.path("cwd-link-%s" % self.who.name)
        if not os.path.islink(link):
            os.symlink(d, link)
        r = self.gb_in(link, cmd=["/bin/sh", "-c", "pwd; cat untrusted.py"])
        if self.who.is_root:
            # a sandbox of root's makes root's links: none is followed
            self.assertEqual(r.stdout.splitlines()[0], "/", r.stderr)
            self.assertIn("%s is a symlink to %s owned by root, who runs glovebox" % (link, d),
                          r.stderr)
        else:
            self.assertEqual(r.stdout.splitlines(), [link, "in the tree"])

    def test_explain_shows_the_decision(self):
        d = self.tree("cwd-explain")
        r = self.gb_in(d, "explain", cmd=[])
        self.assertIn("cwd                ro: %s shared at its own path" % d, r.stdout)
        self.assertIn("ro-bind        %s" % d, r.stdout)


@both
class MountOrder:
    """A mount never hides one made before it by coming later."""

    def test_a_bind_of_home_lands_on_top_of_the_home_mount(self):
        # bind = ${CWD} with CWD == HOME: the writes reach the disk.
        p = self.profile("bind-cwd", "[profile]\ninclude = default\n[where]\n"
                                     "bind = ${CWD} writable=intended\n")
        argv = [self.stage.glovebox, "-p", p, "--", "/bin/sh", "-c", "echo kept > home-out"]
        r = self.run_as(["/bin/sh", "-c", 'cd "$1" && shift && exec "$@"', "sh",
                         self.who.home] + argv)
        self.assertOk(r)
        with open(os.path.join(self.who.home, "home-out")) as f:
            self.assertEqual(f.read(), "kept\n")

    def build_in_home(self, *opts, cmd):
        # (by path: another test leaves a build.ini of its own in the user's)
        argv = [self.stage.glovebox, "-p", os.path.join(self.stage.profiles, "build.ini")]
        argv += list(opts) + ["--"] + cmd
        return self.run_as(["/bin/sh", "-c", 'cd "$1" && shift && exec "$@"', "sh",
                            self.who.home] + argv)

    def test_build_in_home_says_how_to_share_it(self):
        r = self.build_in_home(cmd=["/bin/sh", "-c", "echo lost > build-out"])
        self.assertNotEqual(r.returncode, 0)  # the root is read-only
        self.assertEqual(r.stderr.splitlines()[0],
                         "glovebox: not sharing the current directory %s (it is your home): "
                         "the command starts in /; share it with --home rw" % self.who.home)
        self.assertFalse(os.path.exists(os.path.join(self.who.home, "build-out")))
        # as it says: the writes reach the disk
        r = self.build_in_home("--home", "rw", cmd=["/bin/sh", "-c", "pwd; echo kept > build-out"])
        self.assertOk(r)
        self.assertEqual(r.stdout.strip(), self.who.home)
        self.assertEqual(r.stderr, "")
        with open(os.path.join(self.who.home, "build-out")) as f:
            self.assertEqual(f.read(), "kept\n")

    def test_a_later_tmpfs_above_a_bind_does_not_hide_it(self):
        d = self.stage.path("kept-%s" % self.who.name)
        os.makedirs(d, exist_ok=True)
        self.stage.write("kept-%s/f" % self.who.name, "still here\n")
        inside = "/tmp/gb-kept-%s" % self.who.name
        r = self.gb("--ro-bind", d, inside, "--tmpfs", "/tmp",
                    cmd=["/bin/cat", inside + "/f"], probe=False)
        self.assertEqual(r.stdout, "still here\n")
        r = self.run_as([self.stage.glovebox, "explain", "--ro-bind", d, inside, "--tmpfs", "/tmp"])
        self.assertIn("(moved before %s: mounted after it, it would hide it)" % inside, r.stdout)

@both
class Scratch:
    """The scratch tmpfs (file contents, a budget's pool) is mounted under
    the root in the host tree and leaves with it: one detaching umount per
    launch, and its own mount shows nowhere inside."""

    def test_the_scratch_mount_itself_is_out_of_sight(self):
        r = self.gb("--file-text", "/gb-x", "hi\n", cmd=[
            "/bin/sh", "-c", "cat /gb-x; ls -a /; cat /proc/self/mountinfo"], probe=False)
        self.assertOk(r)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0], "hi")
        self.assertNotIn(".glovebox-scratch", lines)
        info = [l.split() for l in lines if len(l.split()) > 6 and l.split()[0].isdigit()]
        dev = next(f[2] for f in info if f[4] == "/gb-x")
        # the file is a clone of a path in the scratch, never its root
        self.assertEqual([f[4] for f in info if f[2] == dev and f[3] == "/"], [])

    def test_one_launch_detaches_once(self):
        # Each detaching umount waits for an expedited RCU grace period:
        # the host tree's is the only one (src/where/mounts.c,
        # mount_scratch).
        if not shutil.which("strace"):
            self.skipTest("strace is not installed")
        out = os.path.join(self.who.home, "umount2.trace")
        # (LeakSanitizer cannot work under ptrace: an ASan build's leak
        # check stays off for this one run)
        r = self.run_as(["strace", "-f", "-qq", "-e", "trace=umount2", "-o", out,
                         self.stage.glovebox, "--file-text", "/gb-x", "hi", "--",
                         "/bin/true"], env={"ASAN_OPTIONS": "detect_leaks=0"})
        self.assertOk(r)
        with open(out) as f:
            trace = f.read()
        calls = [l for l in trace.splitlines() if "umount2(" in l]
        self.assertEqual(len(calls), 1, trace)
        self.assertIn('umount2(".", MNT_DETACH)', calls[0])


@both
class Namespaces:
    def test_only_loopback_exists_with_network_none(self):
        r = self.probe("ifaces")
        self.assertEqual(r.stdout.split(), ["lo"])
        self.assertNotEqual(self.probe_outside("ifaces").stdout.split(), ["lo"])

    def test_loopback_is_up(self):
        r = self.probe("bind-port", "8080")
        self.assertEqual(r.stdout.strip(), "ok")

    def test_network_host_shares_the_host_interfaces(self):
        r = self.probe("ifaces", opts=("--network", "host"))
        self.assertEqual(sorted(r.stdout.split()), sorted(self.probe_outside("ifaces").stdout.split()))

    def test_pid_namespace_shows_only_the_sandbox(self):
        r = self.probe("pids")
        self.assertEqual(sorted(r.stdout.split()), ["1", "2"])

    def test_hostname_option(self):
        r = self.probe("hostname", opts=("--hostname", "lab-7"))
        self.assertEqual(r.stdout.strip(), "lab-7")


if __name__ == "__main__":
    main()
