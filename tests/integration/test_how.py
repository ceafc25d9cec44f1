# SPDX-License-Identifier: LGPL-2.1-or-later
"""The how layer: every default denial, seen from inside a real sandbox."""
import os
import shutil
import struct

from gbtest import both, main

SIGSYS = 31
SIGSEGV = 11


@both
class DefaultFilter:
    def test_an_allowed_call_works(self):
        self.assertEqual(self.probe("syscall", "getppid").stdout.strip(), "ok")

    def test_denied_calls_fail_with_eperm(self):
        for call in ("ptrace", "keyctl", "add_key", "userfaultfd", "mount", "bpf",
                     "perf_event_open", "kexec_load", "init_module", "swapon"):
            r = self.probe("syscall", call)
            self.assertEqual(r.stdout.strip(), "EPERM", call)

    def test_io_uring_is_denied_unless_named(self):
        self.assertEqual(self.probe("syscall", "io_uring_setup").stdout.strip(), "EPERM")
        # not even when everything else is allowed
        for default in ("allow", "log"):
            self.assertEqual(self.probe("syscall", "io_uring_setup",
                                        opts=("--default-action", default)).stdout.strip(),
                             "EPERM", default)
        named = self.probe("syscall", "io_uring_setup",
                           opts=("--default-action", "allow", "--allow", "io_uring_setup"))
        self.assertNotEqual(named.stdout.strip(), "EPERM")

    def test_calls_newer_than_the_tables_answer_enosys(self):
        self.assertEqual(self.probe("syscall", "unknown_future").stdout.strip(), "ENOSYS")

    def test_terminal_injection_is_denied_in_both_spellings(self):
        # Outside, a non-terminal stdin answers ENOTTY: EPERM is the filter.
        self.assertEqual(self.probe_outside("tiocsti").stdout.split(), ["ENOTTY", "ENOTTY"])
        r = self.probe("tiocsti")
        self.assertEqual(r.stdout.split(), ["EPERM", "EPERM"])
        self.assertEqual(self.probe("tioclinux").stdout.strip(), "EPERM")

    def test_i386_int80_is_killed(self):
        outside = self.probe_outside("int80")
        if outside.returncode in (-SIGSEGV, 128 + SIGSEGV):
            # int 0x80 faults without i386 emulation: nothing to filter.
            self.skipTest("the kernel has no i386 ABI (int 0x80 faults outside too)")
        self.assertIn("returned", outside.stdout)
        r = self.probe("int80")
        self.assertEqual(r.returncode, 128 + SIGSYS)
        self.assertNotIn("returned", r.stdout)

    def test_x32_is_killed(self):
        r = self.probe("x32")
        self.assertEqual(r.returncode, 128 + SIGSYS)


@both
class ProfileActions:
    def test_the_profiles_errno_is_returned(self):
        p = self.profile("eacces", "[how]\ndefault = errno EACCES\n")
        r = self.probe("syscall", "ptrace", opts=("-p", "default", "-p", p))
        self.assertEqual(r.stdout.strip(), "EACCES")

    def test_a_per_call_action_overrides(self):
        r = self.probe("syscall", "getppid", opts=("--deny", "getppid:ENOTSUP"))
        self.assertEqual(r.stdout.strip(), "EOPNOTSUPP")

    def test_kill_action_kills(self):
        r = self.probe("syscall", "ptrace", opts=("--deny", "ptrace:kill"))
        self.assertEqual(r.returncode, 128 + SIGSYS)

    def test_a_later_allow_reopens_a_call(self):
        r = self.probe("syscall", "keyctl", opts=("--allow", "keyctl"))
        self.assertNotEqual(r.stdout.strip(), "EPERM")

    def test_the_exit_calls_cannot_be_denied(self):
        p = self.profile("noexit", "[profile]\ninclude = default\n[how]\ndeny = exit_group\n")
        want = "%s:4: [how] deny: exit_group: every process needs it to exit" % p
        r = self.gb("-p", p, cmd=["/bin/true"], probe=False)
        self.assertEqual(r.returncode, 125)
        self.assertIn("glovebox: " + want, r.stderr)
        r = self.run_as([self.stage.glovebox, "check", p])
        self.assertEqual(r.returncode, 1)
        self.assertIn(want, r.stdout)


@both
class ArgumentRules:
    def test_new_namespaces_are_refused_by_default(self):
        for ns in ("user", "net", "mount"):
            self.assertEqual(self.probe("unshare", ns).stdout.strip(), "EPERM", ns)
        self.assertEqual(self.probe("unshare", "user", opts=("--namespaces", "user")
                                    ).stdout.strip(), "ok")
        self.assertEqual(self.probe("unshare", "net", opts=("--namespaces", "user")
                                    ).stdout.strip(), "EPERM")

    def test_clone3_answers_enosys_while_namespaces_are_restricted(self):
        self.assertEqual(self.probe_outside("clone3").stdout.strip(), "EINVAL")
        self.assertEqual(self.probe("clone3").stdout.strip(), "ENOSYS")
        self.assertEqual(self.probe("clone3", opts=("--namespaces", "all")).stdout.strip(),
                         "EINVAL")

    def test_socket_families_outside_the_list_are_refused(self):
        self.assertEqual(self.probe("socket", "unix").stdout.strip(), "ok")
        self.assertEqual(self.probe("socket", "inet").stdout.strip(), "ok")
        self.assertNotEqual(self.probe_outside("socket", "packet").stdout.strip(), "EAFNOSUPPORT")
        for fam in ("packet", "vsock", "alg"):
            self.assertEqual(self.probe("socket", fam).stdout.strip(), "EAFNOSUPPORT", fam)
        r = self.probe("socket", "inet", opts=("--socket-families", "unix"))
        self.assertEqual(r.stdout.strip(), "EAFNOSUPPORT")

    def test_write_xor_execute(self):
        for cmd in (("wx-mmap",), ("wx-mprotect",), ("memfd", "plain")):
            self.assertEqual(self.probe(*cmd).stdout.strip(), "ok", cmd)
            r = self.probe(*cmd, opts=("--write-xor-execute",))
            self.assertEqual(r.stdout.strip(), "EPERM", cmd)
        if self.probe_outside("memfd", "noexec").stdout.strip() == "ok":  # Linux 6.3+
            r = self.probe("memfd", "noexec", opts=("--write-xor-execute",))
            self.assertEqual(r.stdout.strip(), "ok")

    def memfd_noexec(self, *opts):
        r = self.gb(*opts, cmd=["/bin/cat", "/proc/sys/vm/memfd_noexec"], probe=False)
        self.assertOk(r)
        return r.stdout.strip()

    def test_a_sandbox_root_starts_refuses_executable_memfds(self):
        if not os.path.exists("/proc/sys/vm/memfd_noexec"):
            self.skipTest("vm.memfd_noexec needs Linux 6.3")
        with open("/proc/sys/vm/memfd_noexec") as f:
            host = f.read().strip()
        # only the host's root may set it; memfd-exec = yes leaves it as it is
        self.assertEqual(self.memfd_noexec(), "2" if self.who.uid == 0 else host)
        self.assertEqual(self.memfd_noexec("--memfd-exec", "yes"), host)
        with open("/proc/sys/vm/memfd_noexec") as f:
            self.assertEqual(f.read().strip(), host, "the host's own value changed")

    def test_memfd_exec_no_allows_only_memfds_sealed_non_executable(self):
        for how in ("plain", "sealable"):
            self.assertEqual(self.probe("memfd", how).stdout.strip(), "ok", how)
            r = self.probe("memfd", how, opts=("--memfd-exec", "no"))
            self.assertEqual(r.stdout.strip(), "EPERM", how)
        if self.probe_outside("memfd", "noexec").stdout.strip() != "ok":
            self.skipTest("MFD_NOEXEC_SEAL needs Linux 6.3")
        r = self.probe("memfd", "noexec", opts=("--memfd-exec", "no"))
        self.assertEqual(r.stdout.strip(), "ok")

    def test_wayland_style_memfds_work_by_default(self):
        # MFD_ALLOW_SEALING without an exec flag, as libwayland and Mesa make
        # them: vm.memfd_noexec = 2 (root's sandbox) seals them instead
        self.assertEqual(self.probe("memfd", "sealable").stdout.strip(), "ok")

    def test_a_jit_mapping_a_memfd_executable_still_runs(self):
        if self.probe_outside("memfd", "noexec").stdout.strip() != "ok":
            self.skipTest("MFD_NOEXEC_SEAL needs Linux 6.3")
        self.assertEqual(self.probe_outside("memfd-jit").stdout.strip(), "ok")
        for opts in ((), ("--memfd-exec", "no"), ("--memfd-exec", "no", "--write-xor-execute")):
            self.assertEqual(self.probe("memfd-jit", opts=opts).stdout.strip(), "ok", opts)

    def test_personality_is_locked(self):
        self.assertEqual(self.probe_outside("personality", "0x0400000").stdout.strip(), "ok")
        self.assertEqual(self.probe("personality", "0x0400000").stdout.strip(), "EPERM")
        self.assertEqual(self.probe("personality", "0").stdout.strip(), "ok")
        r = self.probe("personality", "0x0400000", opts=("--personality", "any"))
        self.assertEqual(r.stdout.strip(), "ok")

    def test_a_general_rule_refuses_matching_calls_only(self):
        opts = ("--rule", "socket(arg0 == AF_INET6):EACCES")
        self.assertEqual(self.probe("socket", "inet6", opts=opts).stdout.strip(), "EACCES")
        self.assertEqual(self.probe("socket", "inet", opts=opts).stdout.strip(), "ok")

    def test_a_bad_rule_names_its_origin(self):
        p = self.profile("badrule", "[how]\nrule = socket(arg0 == AF_MARS)\n")
        r = self.gb("-p", p, cmd=["/bin/true"], probe=False)
        self.assertEqual(r.returncode, 125)
        self.assertIn("%s:2: [how] rule: socket(arg0 == AF_MARS): unknown constant name" % p,
                      r.stderr)


@both
class IntArgumentsWithTheUpperHalfSet:
    """The kernel reads an int argument from the low 32 bits of its register
    and ignores the rest, which seccomp sees. Each probe first shows, with no
    sandbox, that the kernel acted on the low half; then that the sandbox
    refuses the same call."""

    def outside(self, what):
        return self.probe_outside("high-bits", what).stdout.strip()

    def inside(self, what, *opts):
        return self.probe("high-bits", what, opts=opts).stdout.strip()

    def test_a_socket_rule_sees_the_family_the_kernel_sees(self):
        self.assertEqual(self.outside("socket"), "ok family 16")
        # the README's example, with every family allowed so the rule stands alone
        self.assertEqual(self.inside("socket", "--socket-families", "all", "--rule",
                                     "socket(arg0 == AF_NETLINK):EAFNOSUPPORT"), "EAFNOSUPPORT")
        # the default families: the kernel makes a netlink socket, which they allow
        self.assertEqual(self.inside("socket"), "ok family 16")

    def test_an_ioctl_rule_sees_the_command_the_kernel_sees(self):
        self.assertEqual(self.outside("ioctl"), "ok 3")
        self.assertEqual(self.inside("ioctl", "--rule", "ioctl(arg1 == FIONREAD):EACCES"), "EACCES")
        self.assertEqual(self.inside("ioctl", "--ioctl-deny", "FIONREAD"), "EPERM")
        self.assertEqual(self.inside("ioctl"), "ok 3")

    def test_a_long_ioctl_list_sees_the_command_the_kernel_sees(self):
        # A thousand == rules compile to glovebox's own search (argtree.c):
        # the kernel takes the program, and it compares the low 32 bits.
        rules = "".join("rule = ioctl(arg1 == %#x):EACCES\n" % (0x10000 + 2 * i)
                        for i in range(1000))
        listed = self.profile("longlist", "[how]\n" + rules +
                              "rule = ioctl(arg1 == FIONREAD):EROFS\n")
        unlisted = self.profile("longlist-without", "[how]\n" + rules)
        self.assertEqual(self.inside("ioctl", "-p", listed), "EROFS")
        self.assertEqual(self.inside("ioctl", "-p", unlisted), "ok 3")

    def test_long_lists_of_other_shapes_see_what_the_kernel_sees(self):
        # One mask, a thousand values, two actions, on the int command: the
        # search on the low half, masked (argtree.c); the kernel takes it.
        masked = "".join("rule = ioctl(arg1 & 0xffff00ff == %#x):EACCES\n" % ((i + 1) << 16 | 0x1b)
                         for i in range(1000))
        listed = self.profile("masked", "[how]\n" + masked +
                              "rule = ioctl(arg1 & 0xffff00ff == 0x1b):EROFS\n")
        self.assertEqual(self.inside("ioctl", "-p", listed), "EROFS")
        self.assertEqual(self.inside("ioctl", "-p", self.profile("masked-without",
                                                                 "[how]\n" + masked)), "ok 3")
        # mprotect's prot is read whole, 64 bits: the high half, then the
        # low. The probe's 0x100000005 is listed, or in a range, or neither
        # (the kernel then refuses the upper bits itself).
        def prots(action):
            return "".join("rule = mprotect(arg2 == %#x):%s\n" % (0x1000 + i, action)
                           for i in range(1000))
        listed = self.profile("prots", "[how]\n" + prots("EACCES") +
                              "rule = mprotect(arg2 == 0x100000005):EROFS\n" +
                              "rule = mprotect(arg2 == 0x200000005):EACCES\n")
        ranged = self.profile("prots-range", "[how]\n" + prots("EROFS") +
                              "rule = mprotect(arg2 >= 0x100000000):EROFS\n")
        unlisted = self.profile("prots-without", "[how]\n" + prots("EACCES") +
                                "rule = mprotect(arg2 == 0x200000005):EACCES\n")
        self.assertEqual(self.inside("mprotect", "-p", listed), "EROFS")
        self.assertEqual(self.inside("mprotect", "-p", ranged), "EROFS")
        self.assertEqual(self.inside("mprotect", "-p", unlisted), "EINVAL")

    def test_personality_stays_locked(self):
        self.assertEqual(self.outside("personality"), "ok 0x40000")
        self.assertEqual(self.inside("personality"), "EPERM")
        # PER_LINUX with garbage above it changes nothing, and is allowed
        self.assertEqual(self.inside("personality-linux"), "ok")

    def test_clone_makes_no_namespace(self):
        outside = self.outside("clone")
        if outside == "EPERM":
            self.skipTest("this user may not make user namespaces outside a sandbox")
        self.assertEqual(outside, "ok new user namespace")
        self.assertEqual(self.inside("clone"), "EPERM")

    def test_setns_joins_no_namespace(self):
        # EINVAL for CLONE_NEWNET on a uts descriptor: the kernel read the low half
        self.assertEqual(self.outside("setns").split()[1], "EINVAL")
        # With CAP_SYS_ADMIN over its own namespaces the kernel would let the
        # command rejoin its uts namespace: EPERM is the filter.
        self.assertEqual(self.inside("setns", "--capabilities", "CAP_SYS_ADMIN").split(),
                         ["EPERM", "EPERM"])

    def test_write_xor_execute_holds(self):
        self.assertEqual(self.outside("mmap"), "ok rwx")
        self.assertEqual(self.inside("mmap", "--write-xor-execute"), "EPERM")
        # mprotect's prot is read whole: the kernel refuses the upper bits itself
        self.assertEqual(self.outside("mprotect"), "EINVAL")
        self.assertEqual(self.inside("mprotect", "--write-xor-execute"), "EPERM")


@both
class Tools:
    def test_compile_writes_a_program_bwrap_can_load(self):
        out = os.path.join(self.who.home, "default.bpf")
        r = self.run_as([self.stage.glovebox, "compile", "-o", out])
        self.assertOk(r)
        self.assertEqual(os.path.getsize(out) % 8, 0)
        def bwrap(*cmd):
            with open(out, "rb") as f:
                fd = os.dup(f.fileno())
            try:
                return self.run_as(["bwrap", "--ro-bind", "/", "/", "--tmpfs", "/tmp",
                                    "--seccomp", str(fd), "--ro-bind", self.stage.probe,
                                    "/tmp/probe", "/tmp/probe"] + list(cmd), pass_fds=(fd,))
            finally:
                os.close(fd)
        if shutil.which("bwrap") is None:
            self.skipTest("bwrap is not installed")
        self.assertOk(bwrap("exit", "0"))
        self.assertEqual(bwrap("syscall", "getppid").stdout.strip(), "ok")
        self.assertEqual(bwrap("syscall", "ptrace").stdout.strip(), "EPERM")
        self.assertEqual(bwrap("tiocsti").stdout.split(), ["EPERM", "EPERM"])
        self.assertEqual(bwrap("x32").returncode, 128 + SIGSYS)

    def test_explain_names_the_origin_of_each_value(self):
        r = self.run_as([self.stage.glovebox, "explain", "--hostname", "lab"])
        self.assertOk(r)
        self.assertIn("hostname           lab", r.stdout)
        self.assertIn("# command line --hostname", r.stdout)
        self.assertIn("# default (built-in):", r.stdout)
        self.assertIn("ioctl TIOCSTI and TIOCLINUX refused", r.stdout)
        self.assertIn("socket families: UNIX INET INET6 NETLINK", r.stdout)

    def test_syscalls_lists_groups_and_members(self):
        r = self.run_as([self.stage.glovebox, "syscalls"])
        self.assertIn("@system-service", r.stdout)
        r = self.run_as([self.stage.glovebox, "syscalls", "@basic-io"])
        self.assertIn("read", r.stdout.split())
        r = self.run_as([self.stage.glovebox, "syscalls", "@nonsense"])
        self.assertEqual(r.returncode, 1)


@both
class Cache:
    def cache_files(self):
        d = os.path.join(self.who.home, ".cache", "glovebox")
        if not os.path.isdir(d):
            return []
        return sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".bpf"))

    def clear(self):
        for f in self.cache_files():
            os.unlink(f)

    def test_a_compiled_program_is_cached_privately(self):
        self.clear()
        self.assertOk(self.probe("exit", "0"))
        files = self.cache_files()
        self.assertEqual(len(files), 1)
        st = os.stat(files[0])
        self.assertEqual(st.st_mode & 0o7777, 0o600)
        self.assertEqual(st.st_uid, self.who.uid)
        self.assertEqual(os.stat(os.path.dirname(files[0])).st_mode & 0o777, 0o700)

    def test_no_cache_neither_reads_nor_writes(self):
        self.clear()
        self.assertOk(self.probe("exit", "0", opts=("--no-cache",)))
        self.assertEqual(self.cache_files(), [])

    def test_a_damaged_file_is_rebuilt_not_loaded(self):
        self.clear()
        self.probe("exit", "0")
        (path,) = self.cache_files()
        # An allow-everything program, with the right owner and mode: the key
        # inside does not match, so it must never be loaded.
        with open(path, "r+b") as f:
            data = bytearray(f.read())
            data[-8:] = struct.pack("<HBBI", 6, 0, 0, 0x7FFF0000)
            f.seek(0)
            f.write(data)
        self.assertEqual(self.probe("syscall", "ptrace").stdout.strip(), "EPERM")
        with open(path, "rb") as f:
            self.assertNotEqual(f.read()[-8:], struct.pack("<HBBI", 6, 0, 0, 0x7FFF0000))

    def test_a_loose_file_is_ignored(self):
        self.clear()
        self.probe("exit", "0")
        (path,) = self.cache_files()
        os.chmod(path, 0o644)
        self.assertEqual(self.probe("syscall", "ptrace").stdout.strip(), "EPERM")
        self.assertEqual(os.stat(path).st_mode & 0o777, 0o600)  # replaced

    def test_the_cache_is_hidden_even_with_a_writable_home(self):
        self.probe("exit", "0")
        r = self.gb("--home", "rw", cmd=["/bin/sh", "-c",
                                         'ls -A "$HOME/.cache/glovebox"; '
                                         'echo x > "$HOME/.cache/glovebox/planted" || echo refused'],
                    probe=False)
        self.assertEqual(r.stdout.split(), ["refused"])
        self.assertTrue(self.cache_files())

    def test_a_writable_bind_above_the_cache_cannot_swap_it(self):
        # Moving ~/.cache (or any directory above glovebox's) aside and
        # making a new one in its place would plant a program for later runs.
        self.probe("exit", "0")
        home = self.who.home
        state = [os.path.join(home, ".cache", "glovebox"), os.path.join(home, ".config", "glovebox")]
        before = [os.stat(d).st_ino for d in state]
        parent, name = os.path.split(home)
        for opts, inside in ((["--home", "rw"], [home + "/.cache", home + "/.config"]),
                             (["--bind", home, "/h", "writable=intended"],
                              ["/h/.cache", "/h/.config"]),
                             (["--bind", parent, "/w", "writable=intended"],
                              ["/w/%s/.cache" % name, "/w/" + name])):
            script = ('for d in "$@"; do mv "$d" "$d.moved" 2>/dev/null && echo "moved $d"; '
                      'rm -rf "$d" 2>/dev/null; [ -d "$d" ] || echo "removed $d"; done; echo done')
            r = self.gb(*opts, cmd=["/bin/sh", "-c", script, "sh"] + inside, probe=False)
            self.assertEqual(r.stdout.split(), ["done"], opts)
        self.assertEqual([os.stat(d).st_ino for d in state], before)
        self.assertFalse([f for f in os.listdir(home) if f.endswith(".moved")])
        # and the program still holds
        self.assertEqual(self.probe("syscall", "ptrace").stdout.strip(), "EPERM")

    def test_a_cache_deep_in_home_is_made_before_any_sandbox_sees_it(self):
        deep = os.path.join(self.who.home, "deep-%d" % os.getpid(), "er", "cache")
        r = self.gb("--home", "rw", env={"XDG_CACHE_HOME": deep}, cmd=[
            "/bin/sh", "-c", 'mkdir -p "$0/glovebox" 2>/dev/null; '
            'touch "$0/glovebox/planted" 2>/dev/null || echo refused', deep], probe=False)
        self.assertEqual(r.stdout.split(), ["refused"])
        self.assertEqual(os.stat(os.path.join(deep, "glovebox")).st_mode & 0o777, 0o700)
        self.assertFalse(os.path.exists(os.path.join(deep, "glovebox", "planted")))

    def test_the_cache_keeps_at_most_64_programs_the_least_recently_used_go(self):
        # Every launch reads the cache's entries; a store brings it back to
        # 64 programs (README, "The seccomp cache"). Made by the user, so
        # as nobody too.
        self.probe("exit", "0")  # the directory, made private
        self.clear()
        d = os.path.join(self.who.home, ".cache", "glovebox")
        script = ('cd "$1" && i=0; while [ $i -lt 100 ]; do '
                  'f=$(printf "seccomp-%016x.bpf" $i); : > "$f"; '
                  'touch -d "@$((1000000 + i))" "$f"; i=$((i + 1)); done; : > notes')
        self.assertOk(self.run_as(["/bin/sh", "-c", script, "sh", d]))
        self.assertEqual(len(self.cache_files()), 100)
        self.assertOk(self.probe("exit", "0"))  # a miss: compiled and stored
        files = [os.path.basename(f) for f in self.cache_files()]
        self.assertEqual(len(files), 64)
        fakes = sorted(f for f in files if f.startswith("seccomp-00000000000000"))
        # the real program and the 63 most recently used of the others
        self.assertEqual(fakes, ["seccomp-%016x.bpf" % i for i in range(37, 100)])
        self.assertTrue(os.path.exists(os.path.join(d, "notes")))  # not glovebox's
        # and the program stored is the one the next launch loads
        self.assertEqual(self.probe("syscall", "ptrace").stdout.strip(), "EPERM")
        self.assertEqual(len(self.cache_files()), 64)

    def assertRefused(self, src, *opts):
        r = self.gb(*opts, "--ro-bind", src, "/x", cmd=["/bin/true"], probe=False)
        self.assertEqual(r.returncode, 125, r.stderr)
        self.assertIn("refusing to expose glovebox's own state", r.stderr)

    def test_a_bind_of_a_cached_program_is_refused(self):
        # Whatever the cache holds (however many programs), a bind of one of
        # them is refused: a writable one would plant a program for later runs.
        self.clear()
        self.probe("exit", "0")
        (path,) = self.cache_files()
        self.assertRefused(path)

    def test_a_hard_link_to_a_cached_program_is_refused_or_never_trusted(self):
        # The same file under another name, outside the cache: a bind of it
        # is refused while the cache holds it (--no-cache leaves it there)...
        self.clear()
        self.probe("exit", "0")
        (path,) = self.cache_files()
        link = os.path.join(self.who.home, "cached-link-%d" % os.getpid())
        self.run_as(["ln", path, link])
        self.addCleanup(os.unlink, link)
        self.assertEqual(os.stat(link).st_ino, os.stat(path).st_ino)
        self.assertRefused(link, "--no-cache")
        # ...and a launch that uses the cache never loads a file with a
        # second name: it compiles and stores a new one, the link is left
        # with a copy nothing trusts.
        r = self.gb("--ro-bind", link, "/x", cmd=["/bin/true"], probe=False)
        self.assertOk(r)
        self.assertNotEqual(os.stat(link).st_ino, os.stat(path).st_ino)

    def test_an_overlay_of_home_hides_the_cache_too(self):
        self.probe("exit", "0")
        r = self.gb("--home", "none", "--overlay-tmp", self.who.home, self.who.home,
                    cmd=["/bin/sh", "-c", 'ls -A "$HOME/.cache/glovebox" 2>/dev/null || echo hidden'],
                    probe=False)
        self.assertEqual(r.stdout.split(), ["hidden"])


if __name__ == "__main__":
    main()
