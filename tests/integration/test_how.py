# SPDX-License-Identifier: LGPL-2.1-or-later
"""The how layer: every default denial, seen from inside a real sandbox."""
from gbtest import both, main

SIGSYS = 31


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


if __name__ == "__main__":
    main()
