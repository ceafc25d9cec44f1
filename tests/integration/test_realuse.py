# SPDX-License-Identifier: LGPL-2.1-or-later
"""What a new user meets running the README's examples and the shipped
profiles with real programs: each test guards a problem found so."""
import os
import re
import shutil
import subprocess

from gbtest import SOURCE_ROOT, both, main

# the system's, which the sandbox shows (a venv links to its python)
PYTHON = "/usr/bin/python3"


@both
class Environment:
    def test_a_keep_after_the_defaults_path_brings_the_hosts_back(self):
        # later wins: --keep-env PATH beats the default profile's own PATH
        r = self.gb("--keep-env", "PATH", cmd=["/usr/bin/env"], probe=False,
                    env={"PATH": "/gb-test-bin:/usr/bin:/bin"})
        self.assertOk(r)
        self.assertIn("PATH=/gb-test-bin:/usr/bin:/bin\n", r.stdout)

    def test_a_set_after_a_keep_still_wins(self):
        r = self.gb("--keep-env", "PATH", "--setenv", "PATH", "/usr/bin", cmd=["/usr/bin/env"],
                    probe=False, env={"PATH": "/gb-test-bin:/usr/bin:/bin"})
        self.assertOk(r)
        self.assertIn("PATH=/usr/bin\n", r.stdout)

    def _venv(self):
        """A venv in the current directory, as `python3 -m venv venv` makes it,
        with a module of its own: the work directory's, world-readable."""
        top = os.path.join(self.stage.work, "venv-" + self.who.name)
        if not os.path.exists(top):
            subprocess.run([PYTHON, "-m", "venv", "--without-pip", top], check=True)
            site = subprocess.run([os.path.join(top, "bin", "python3"), "-c",
                                   "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  check=True, capture_output=True, text=True).stdout.strip()
            with open(os.path.join(site, "gbvenvmod.py"), "w") as f:
                f.write("print('from the venv')\n")
            self.addCleanup(shutil.rmtree, top, True)
        return top

    def _activated(self, top):
        return {"VIRTUAL_ENV": top,
                "PATH": os.path.join(top, "bin") + ":/usr/local/bin:/usr/bin:/bin"}

    def test_python_runs_the_activated_venvs_python(self):
        if not os.path.exists(PYTHON):
            self.skipTest("no " + PYTHON)
        top = self._venv()
        r = self.gb("-p", "python", cmd=["python3", "-c", "import gbvenvmod"], probe=False,
                    env=self._activated(top))
        self.assertOk(r)
        self.assertEqual(r.stdout, "from the venv\n")

    def test_build_runs_the_activated_venvs_pip(self):
        if not os.path.exists(PYTHON):
            self.skipTest("no " + PYTHON)
        top = self._venv()
        r = self.gb("-p", "build", cmd=["python3", "-c", "import sys; print(sys.prefix)"],
                    probe=False, env=self._activated(top))
        self.assertOk(r)
        self.assertEqual(r.stdout, top + "\n")


@both
class MissingCommand:
    """A program the user's shell finds (in the home, say) is not in the
    default sandbox's view: the message says so, not merely ENOENT."""

    def _tool_in_home(self):
        bindir = os.path.join(self.who.home, "bin")
        os.makedirs(bindir, exist_ok=True)
        self.who.chown(bindir)
        tool = os.path.join(bindir, "gb-home-tool")
        with open(tool, "w") as f:
            f.write("#!/bin/sh\necho ran\n")
        os.chmod(tool, 0o755)
        self.addCleanup(os.unlink, tool)
        return bindir, tool

    def test_a_path_the_sandbox_does_not_show_says_so(self):
        _, tool = self._tool_in_home()
        self.assertOk(self.run_as([tool]))
        r = self.gb(cmd=[tool], probe=False)
        self.assertEqual(r.returncode, 127)
        self.assertEqual(r.stderr, "glovebox: %s: not in the sandbox (glovebox explain lists "
                         "what it shows; --ro-bind DIR DIR adds a directory)\n" % tool)

    def test_a_name_not_on_the_sandboxs_path_names_that_path(self):
        bindir, _ = self._tool_in_home()
        env = {"PATH": bindir + ":/usr/bin:/bin"}
        self.assertOk(self.run_as(["gb-home-tool"], env=env))
        r = self.gb(cmd=["gb-home-tool"], probe=False, env=env)
        self.assertEqual(r.returncode, 127)
        self.assertEqual(r.stderr, "glovebox: gb-home-tool: command not found in the sandbox "
                         "(its PATH: /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin)\n")
        # with the home shown, the same command runs
        r = self.gb("--home", "ro", "--keep-env", "PATH", cmd=["gb-home-tool"], probe=False,
                    env=env)
        self.assertEqual((r.returncode, r.stdout), (0, "ran\n"), r.stderr)


def ini_blocks(path, opening):
    """The profiles shown in a document: the blocks that open with `opening`."""
    with open(os.path.join(SOURCE_ROOT, path)) as f:
        text = f.read()
    return re.findall(r"^%s\n(.*?)^```$" % re.escape(opening), text, re.M | re.S)


@both
class DocumentedProfiles:
    """The profiles the README and the man page show pass check --strict:
    a reader copies them (the README's re-allowed what the default denies)."""

    def test_each_passes_check_strict(self):
        pictures = os.path.join(self.who.home, "Pictures")
        os.makedirs(pictures, exist_ok=True)
        self.who.chown(pictures)
        blocks = ini_blocks("README.md", "```ini") + \
            [b for b in ini_blocks("doc/glovebox.ini.5.scd.in", "```") if "[profile]" in b]
        self.assertGreaterEqual(len(blocks), 2)
        for i, text in enumerate(blocks):
            p = self.profile("documented-%d" % i, text)
            r = self.run_as([self.stage.glovebox, "check", "--strict", p])
            self.assertEqual((r.returncode, r.stdout, r.stderr), (0, "", ""), text)


@both
class Typos:
    """A mistyped option, key or profile name names the one meant."""

    def test_an_option(self):
        r = self.run_as([self.stage.glovebox, "--profle", "build", "--", "true"])
        self.assertEqual(r.returncode, 2)
        self.assertIn("unknown option '--profle', did you mean --profile?", r.stderr)
        r = self.run_as([self.stage.glovebox, "--ro-bnd", "/usr", "/x", "--", "true"])
        self.assertIn("unknown option '--ro-bnd', did you mean --ro-bind?", r.stderr)
        # nothing near: no guess
        r = self.run_as([self.stage.glovebox, "--frobnicate", "--", "true"])
        self.assertEqual(r.stderr, "glovebox: unknown option '--frobnicate' "
                         "(see glovebox --help)\n")

    def test_a_key(self):
        p = self.profile("typo-key", "[where]\nnetwrok = host\nfrobnicate = 1\n")
        r = self.gb("-p", p, cmd=["true"], probe=False)
        self.assertEqual(r.returncode, 125)
        self.assertIn("%s:2: [where] netwrok: unknown key (did you mean network?)" % p, r.stderr)
        self.assertIn("%s:3: [where] frobnicate: unknown key\n" % p, r.stderr)

    def test_a_profile_name(self):
        r = self.gb("-p", "biuld", cmd=["true"], probe=False)
        self.assertEqual(r.returncode, 125)
        self.assertIn("profile 'biuld' not found, did you mean build? (looked in ", r.stderr)
        self.user_file("photos.ini", "[where]\nnetwork = none\n")
        r = self.run_as([self.stage.glovebox, "check", "phtoos"])
        self.assertIn("profile 'phtoos' not found, did you mean photos? (looked in ", r.stderr + r.stdout)
        r = self.gb("-p", "zzzzzz", cmd=["true"], probe=False)
        self.assertIn("profile 'zzzzzz' not found (looked in ", r.stderr)

    def test_a_subcommand_taken_for_a_command(self):
        r = self.run_as([self.stage.glovebox, "chek", "build"])
        self.assertEqual(r.returncode, 127)
        self.assertRegex(r.stderr, r"glovebox: chek: command not found in the sandbox "
                         r"\(its PATH: [^)]*\); did you mean glovebox check\?\n")


@both
class UntrustedInTheHome:
    """`glovebox -p untrusted -- python3 script.py` run in the home, where
    the script was saved: the home is untrusted's own tmpfs, so the current
    directory is not shared, and the note says what to do."""

    def test_the_note_says_how_to_share_it(self):
        sub = os.path.join(self.who.home, "downloads")
        os.makedirs(sub, exist_ok=True)
        self.who.chown(sub)
        with open(os.path.join(sub, "script.sh"), "w") as f:
            f.write("echo script ran\n")
        run = 'cd "$1" && exec "$0" -p untrusted -- sh script.sh'
        r = self.run_as(["/bin/sh", "-c", run, self.stage.glovebox, self.who.home])
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("not sharing the current directory %s (the sandbox has its own %s): the "
                      "command starts in /; run glovebox from a directory in it, which is "
                      "shared\n" % (self.who.home, self.who.home), r.stderr)
        r = self.run_as(["/bin/sh", "-c", run, self.stage.glovebox, sub])
        self.assertEqual((r.returncode, r.stdout), (0, "script ran\n"), r.stderr)


@both
class GitInNetworkClient:
    """git in network-client, which shows no ~/.gitconfig: a commit (or a
    git pull's merge) takes the author from the environment."""

    def test_a_commit_takes_the_identity_from_the_environment(self):
        if not shutil.which("git"):
            self.skipTest("git is not installed")
        repo = os.path.join(self.stage.work, "repo-" + self.who.name)
        os.makedirs(repo, exist_ok=True)
        self.who.chown(repo)
        self.addCleanup(shutil.rmtree, repo, True)
        run = ('cd "$1" && "$0" -p network-client -- sh -c \'git init -q && '
               'git commit -q --allow-empty -m first && git log --format=%an/%ae\'')
        ident = {"GIT_AUTHOR_NAME": "A U Thor", "GIT_AUTHOR_EMAIL": "a@example.org",
                 "GIT_COMMITTER_NAME": "A U Thor", "GIT_COMMITTER_EMAIL": "a@example.org"}
        r = self.run_as(["/bin/sh", "-c", run, self.stage.glovebox, repo], env=ident)
        self.assertEqual((r.returncode, r.stdout), (0, "A U Thor/a@example.org\n"), r.stderr)


@both
class BuildingBlockAlone:
    """`glovebox -p grant-network -- curl ...`: a block runs nothing alone,
    and the message says how to use it rather than which calls to allow."""

    def test_the_message_says_to_layer_it(self):
        r = self.gb("-p", "grant-network", cmd=["true"], probe=False)
        self.assertEqual(r.returncode, 125)
        self.assertIn("grant-network.ini:7: [profile] include: nothing allows execve, so the "
                      "command cannot start: this is a building block, to layer after a "
                      "profile that runs things (-p default -p BLOCK, or include = default "
                      "BLOCK)\n", r.stderr)
        r = self.gb("-p", "default", "-p", "grant-network", cmd=["true"], probe=False)
        self.assertOk(r)

    def test_a_block_that_narrows_says_to_layer_it_too(self):
        r = self.gb("-p", "restrict-etc", cmd=["true"], probe=False)
        self.assertEqual(r.returncode, 125)
        self.assertIn("restrict-etc.ini:15: [where] remove: /etc: nothing is put there, or "
                      "below it: this is a building block, to layer after a profile that puts "
                      "it there (-p default -p BLOCK)\n", r.stderr)
        r = self.gb("-p", "default", "-p", "restrict-etc", cmd=["true"], probe=False)
        self.assertOk(r)


if __name__ == "__main__":
    main()
