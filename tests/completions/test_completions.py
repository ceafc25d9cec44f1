# SPDX-License-Identifier: LGPL-2.1-or-later
"""The generated shell completions, through each shell's own machinery.

bash: bash-completion loaded, the function `complete -p glovebox` names
called with COMP_WORDS and COMP_LINE as readline sets them; zsh: an
interactive zsh in a pty with compinit, a TAB typed and every match its
completion system adds written out by a wrapper around compadd; fish:
`complete -C LINE`, fish's own completion of a command line.

Usage: test_completions.py BASH-COMPLETION ZSH-COMPLETION FISH-COMPLETION,
with the glovebox under test in $GLOVEBOX.
"""
import glob
import os
import pty
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

BASH_COMPLETION = "/usr/share/bash-completion/bash_completion"
FILES = {}
USER_PROFILE = "mytestprofile"


def shell_env(home):
    env = {
        "HOME": home,
        "XDG_CONFIG_HOME": os.path.join(home, ".config"),
        "XDG_DATA_HOME": os.path.join(home, ".local/share"),
        "XDG_CACHE_HOME": os.path.join(home, ".cache"),
        # glovebox as a user types it: by its name, from PATH
        "PATH": os.path.dirname(os.environ["GLOVEBOX"]) + ":/usr/sbin:/usr/bin:/sbin:/bin",
        "TERM": "dumb",
        "LANG": "C.UTF-8",
    }
    return env


class Base:
    @classmethod
    def setUpClass(cls):
        cls.home = tempfile.mkdtemp(prefix="gb-completions-")
        profiles = os.path.join(cls.home, ".config/glovebox/profiles")
        os.makedirs(profiles)
        with open(os.path.join(profiles, USER_PROFILE + ".ini"), "w") as f:
            f.write("[profile]\ndescription = a profile of the user's own\n")
        cls.env = shell_env(cls.home)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.home, ignore_errors=True)

    def candidates(self, line):
        raise NotImplementedError

    def check(self, line, present=(), absent=(), exactly=None):
        got = self.candidates(line)
        for c in present:
            self.assertIn(c, got, "%r: %s missing from %s" % (line, c, sorted(got)[:40]))
        for c in absent:
            self.assertNotIn(c, got, "%r: %s offered" % (line, c))
        if exactly is not None:
            self.assertEqual(set(got), set(exactly), line)

    def test_subcommand_not_commands(self):
        # the subcommands, never a command of the same prefix
        self.check("glovebox ch", present=["check"], absent=["chage", "chattr", "chmod"])
        self.check("glovebox ex", present=["explain"])
        self.check("glovebox co", present=["compile"])

    def test_no_command_before_dashdash(self):
        self.check("glovebox l", absent=["ls", "ln"])
        # after options: explain and compile, which may follow them
        self.check("glovebox -p default e", exactly=["explain"])

    def test_options_from_the_table(self):
        # --seccomp is bwrap's, not glovebox's
        self.check("glovebox --se", present=["--setenv"], absent=["--seccomp"])

    def test_option_values(self):
        self.check("glovebox --network ", exactly=["none", "host", "user"])
        self.check("glovebox --home ", exactly=["tmpfs", "ro", "rw", "private", "none"])
        self.check("glovebox --fallback ", exactly=["none", "landlock"])

    def test_profile_names_from_the_search_path(self):
        # the shipped ones where this glovebox finds them (from the build
        # tree: the source tree's), and the user's own
        shipped = sorted(os.path.basename(p)[:-4] for p in glob.glob(
            os.path.join(os.environ["GB_SOURCE_ROOT"], "profiles", "*.ini")))
        self.check("glovebox -p ", present=[USER_PROFILE, "default"] + shipped)
        self.check("glovebox --profile my", present=[USER_PROFILE])

    def test_syscall_and_group_names(self):
        self.check("glovebox --allow rea", present=["read", "readv"])
        self.check("glovebox syscalls @fi", present=["@file-system"])

    def test_command_after_dashdash(self):
        self.check("glovebox --network none -- l", present=["ls"])
        # then the command's own completion: files for ls (zsh's matches
        # are the part after the last slash)
        got = self.candidates("glovebox -- ls /us")
        self.assertTrue({"/usr", "usr"} & set(got), got)

    def test_paths(self):
        got = self.candidates("glovebox --ro-bind /usr /us")
        self.assertTrue({"/usr", "usr"} & set(got), got)

    def test_bwrap_options(self):
        self.check("glovebox bwrap --ro-b", present=["--ro-bind"], absent=["--ro-bind-try-x"])
        self.check("glovebox bwrap --unshare-al", present=["--unshare-all"])

    def test_capability_names(self):
        self.check("glovebox --capabilities cap_net_r", exactly=["cap_net_raw"])
        self.check("glovebox bwrap --cap-add CAP_NET_R", exactly=["CAP_NET_RAW"])


class BashTest(Base, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.path.exists(BASH_COMPLETION):
            raise unittest.SkipTest("bash-completion is not installed")
        super().setUpClass()

    # readline's words: split at blanks and at COMP_WORDBREAKS' = and :
    def split(self, line):
        words = re.findall(r"[^\s=:]+|[=:]", line)
        if line.endswith(" ") or not words:
            words.append("")
        return words

    def candidates(self, line):
        words = self.split(line)
        script = r"""
source %s
source %s
fn=$(complete -p glovebox | sed -n 's/.*-F \([^ ]*\).*/\1/p')
COMP_LINE=$1; COMP_POINT=${#1}; shift
COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_TYPE=9; COMP_KEY=9
"$fn" glovebox "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
printf '%%s\n' "${COMPREPLY[@]}"
""" % (BASH_COMPLETION, FILES["bash"])
        r = subprocess.run(["bash", "--norc", "--noprofile", "-c", script, "bash", line] + words,
                           capture_output=True, text=True, env=self.env, cwd=self.home,
                           timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        return [c.rstrip("/") for c in r.stdout.split("\n") if c]


def drain(fd, until, timeout):
    """Reads the pty until until() holds; returns what was read."""
    out = b""
    end = time.monotonic() + timeout
    while not until():
        left = end - time.monotonic()
        if left <= 0:
            raise TimeoutError(out.decode(errors="replace")[-2000:])
        r, _, _ = select.select([fd], [], [], min(left, 0.1))
        if r:
            try:
                out += os.read(fd, 65536)
            except OSError:
                break
    return out


class ZshTest(Base, unittest.TestCase):
    # Every match zsh's completion system adds, written to $CAPTURE: a
    # call that asks only for matches (-O, -A, -D) passes through.
    SETUP = r"""
unsetopt AUTO_LIST LIST_BEEP BEEP AUTO_MENU
fpath=(%s $fpath)
autoload -Uz compinit && compinit -u -d $HOME/zcompdump
compadd() {
	if [[ ${(j: :)@} == (|* )-[OAD]( *|) ]]; then
		builtin compadd "$@"
		return
	fi
	local -a __gb_matches
	builtin compadd -O __gb_matches "$@"
	(( $#__gb_matches )) && print -rl -- $__gb_matches >> $CAPTURE
	builtin compadd "$@"
}
print -r -- __READY__ >> $CAPTURE
"""

    @classmethod
    def setUpClass(cls):
        if not shutil.which("zsh"):
            raise unittest.SkipTest("zsh is not installed")
        super().setUpClass()
        cls.capture = os.path.join(cls.home, "capture")
        open(cls.capture, "w").close()
        fdir = os.path.join(cls.home, "zfunc")
        os.makedirs(fdir)
        shutil.copy(FILES["zsh"], os.path.join(fdir, "_glovebox"))
        env = dict(cls.env, CAPTURE=cls.capture, PS1="%% ")
        cls.pid, cls.fd = pty.fork()
        if cls.pid == 0:
            os.chdir(cls.home)
            os.execvpe("zsh", ["zsh", "-f", "-i"], env)
        os.write(cls.fd, (cls.SETUP % fdir).encode())
        cls.ends = 0
        drain(cls.fd, lambda: "__READY__" in cls.read_capture(), 60)

    @classmethod
    def tearDownClass(cls):
        os.write(cls.fd, b"\x15exit\n")
        os.waitpid(cls.pid, 0)
        os.close(cls.fd)
        super().tearDownClass()

    @classmethod
    def read_capture(cls):
        with open(cls.capture) as f:
            return f.read()

    def candidates(self, line):
        before = self.read_capture()
        # the line and a TAB; ^U empties the line; the marker says it is done
        os.write(self.fd, line.encode() + b"\t")
        time.sleep(0.2)
        os.write(self.fd, b"\x15print -r -- __END__ >> $CAPTURE\n")
        ends = before.count("__END__") + 1
        drain(self.fd, lambda: self.read_capture().count("__END__") >= ends, 60)
        text = self.read_capture()[len(before):]
        return [c.rstrip("/") for c in text.split("\n") if c and c != "__END__"]


class FishTest(Base, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not shutil.which("fish"):
            raise unittest.SkipTest("fish is not installed")
        super().setUpClass()

    def candidates(self, line):
        r = subprocess.run(["fish", "--no-config", "-c",
                            'source $argv[1]; complete -C"$argv[2]"', FILES["fish"], line],
                           capture_output=True, text=True, env=self.env, cwd=self.home,
                           timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        return [c.split("\t")[0].rstrip("/") for c in r.stdout.split("\n") if c]


if __name__ == "__main__":
    FILES.update(zip(["bash", "zsh", "fish"], (os.path.abspath(p) for p in sys.argv[1:4])))
    del sys.argv[1:4]
    unittest.main(verbosity=2)
