# SPDX-License-Identifier: LGPL-2.1-or-later
"""glovebox's own --file FD DEST, in bubblewrap's grammar: a file at DEST
holding what the inherited descriptor FD gives, read once."""
import os

from gbtest import both, main
from test_bwrap import BWRAP

TEXT = b"first line\n\tsecond: $HOME \\ 'quoted'\n" + b"x" * 70000 + b"\nend\n"


@both
class OwnFile:
    def run_with_fd(self, argv, fd=13, data=TEXT):
        # a file, not a pipe: TEXT is more than a pipe holds
        path = self.stage.write("file-fd-%s" % self.who.name, data.decode())
        src = os.open(path, os.O_RDONLY)
        os.dup2(src, fd)
        os.close(src)
        try:
            return self.run_as(argv, pass_fds=(fd,))
        finally:
            os.close(fd)

    def own(self, *args, cmd, **kw):
        return self.run_with_fd([self.stage.glovebox, *args, "--", *cmd], **kw)

    def test_the_file_holds_what_the_descriptor_gives(self):
        r = self.own("--file", "13", "/tmp/f", cmd=["cat", "/tmp/f"])
        self.assertOk(r)
        self.assertEqual(r.stdout.encode(), TEXT)

    def test_it_holds_what_bwrap_would_put_there(self):
        if not BWRAP:
            self.skipTest("bubblewrap is not installed")
        want = self.run_with_fd([BWRAP, "--ro-bind", "/", "/", "--tmpfs", "/tmp", "--file",
                                 "13", "/tmp/f", "cat", "/tmp/f"])
        got = self.own("--file", "13", "/tmp/f", cmd=["cat", "/tmp/f"])
        self.assertEqual((got.returncode, got.stdout), (want.returncode, want.stdout),
                         "bwrap: %s\nglovebox: %s" % (want.stderr, got.stderr))

    def test_it_keeps_its_place_among_the_mounts(self):
        r = self.own("--tmpfs", "/srv/a", "--file", "13", "/srv/a/f", cmd=["cat", "/srv/a/f"],
                     data=b"inside the tmpfs\n")
        self.assertOk(r)
        self.assertEqual(r.stdout, "inside the tmpfs\n")

    def test_a_new_file_in_a_read_only_bind_names_the_bind_and_what_to_do(self):
        # /etc is the default profile's read-only bind of the host's /etc:
        # the error names that line, not only "Read-only file system"
        r = self.own("--file", "13", "/etc/glovebox-new", cmd=["true"])
        self.assertEqual(r.returncode, 125, r.stderr)
        self.assertIn("--file: /etc/glovebox-new: Read-only file system: /etc is a read-only "
                      "bind of the host's /etc (default (built-in):", r.stderr)
        self.assertIn("[where] ro-bind), where nothing new can be made; put it under a "
                      "directory the sandbox makes", r.stderr)
        # a bind of the command line is named by its option, the deepest one
        r = self.run_as([self.stage.glovebox, "--ro-bind", "/usr/share", "/srv/s",
                         "--ro-bind", "/usr/lib", "/srv/s/doc/x", "--", "true"])
        self.assertEqual(r.returncode, 125, r.stderr)
        self.assertIn("/srv/s is a read-only bind of the host's /usr/share (command line: "
                      "--ro-bind)", r.stderr)

    def test_a_file_over_one_that_exists_in_a_read_only_bind_is_fine(self):
        r = self.own("--file", "13", "/etc/hostname", cmd=["head", "-c", "10", "/etc/hostname"])
        self.assertOk(r)
        self.assertEqual(r.stdout, "first line")

    def test_the_descriptor_is_used_up(self):
        r = self.own("--file", "13", "/tmp/f",
                     cmd=["sh", "-c", "[ -e /proc/$$/fd/13 ] && echo open || echo closed"])
        self.assertOk(r)
        self.assertEqual(r.stdout, "closed\n")

    def test_a_descriptor_that_is_not_open_is_an_error_naming_it(self):
        r = self.run_as([self.stage.glovebox, "--file", "29", "/tmp/f", "--", "true"])
        self.assertEqual(r.returncode, 2)
        self.assertIn("--file 29: Bad file descriptor", r.stderr)

    def test_it_cannot_also_be_passed_on(self):
        r = self.own("--file", "13", "/tmp/f", "--keep-fd", "13", cmd=["true"])
        self.assertEqual(r.returncode, 2)
        self.assertIn("--file 13 reads (and closes) descriptor 13", r.stderr)

    def test_glovebox_grammar_is_still_file_text(self):
        r = self.run_as([self.stage.glovebox, "--file-text", "/tmp/f", "literal", "--", "cat",
                         "/tmp/f"])
        self.assertOk(r)
        self.assertEqual(r.stdout, "literal")


if __name__ == "__main__":
    main()
