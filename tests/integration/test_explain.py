# SPDX-License-Identifier: LGPL-2.1-or-later
"""explain: the exposure score, --threshold, and --json (doc/explain-json.md)."""
import json
import os
import re

from gbtest import both, main

# The score of every shipped profile, as explain shows it (one decimal).
# A profile's score may fall; a rise must be looked at, then recorded here.
# None: a building block that is not a whole policy alone (explain refuses it).
RECORDED = {
    "default": 0.1,  # the built-in default
    "untrusted": 0.1,
    "build": 0.2,
    "network-client": 1.2,
    "online": 1.0,
    "python": 0.1,
    "node": 0.1,
    "shell": 0.6,
    # desktop apps, scored without a display (explain leaves the missing
    # socket out, with a warning)
    "xterm": 0.3,
    "foot": 1.0,
    "feh": 1.0,
    "zathura": 1.0,
    "mousepad": 1.0,
    "mpv": 1.3,
    # building blocks: included, never run alone
    "grant-cwd-rw": None,
    "grant-fonts": None,
    "grant-home-ro": None,
    "grant-locale": None,
    "grant-network": None,
    "restrict-etc": None,
    "restrict-exec": None,
}


@both
class Explain:
    def explain(self, *args):
        r = self.run_as([self.stage.glovebox, "explain"] + list(args))
        self.assertOk(r)
        return r.stdout

    def explain_json(self, *args):
        return json.loads(self.explain("--json", *args))

    def factor(self, j, name):
        return next(f for f in j["score"]["factors"] if f["name"] == name)

    # ---- the score in words ----

    def test_the_text_lists_what_raises_the_score(self):
        out = self.explain("--network", "host", "--home", "rw")
        score = out[out.index("[score]\n"):]
        self.assertIn("  exposure           1.8 of 10 (0 tight, 10 no sandbox)\n", score)
        lines = score.splitlines()
        self.assertEqual(lines[2].split()[:4], ["+0.90", "of", "0.90", "network"])
        self.assertIn("network = host", lines[2])
        self.assertEqual(lines[3].split()[:4], ["+0.80", "of", "0.80", "home"])
        self.assertIn("adds nothing:", score)
        self.assertNotIn(" network ", score[score.index("adds nothing:"):])

    # ---- --threshold ----

    def test_threshold_exits_1_above_it_and_0_at_or_below(self):
        base = [self.stage.glovebox, "explain", "--network", "host", "--home", "rw"]
        r = self.run_as(base + ["--threshold", "1.7"])
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("glovebox: exposure score 1.8 is above the threshold 1.7\n", r.stderr)
        self.assertIn("[score]", r.stdout)  # the account is still written
        for t in ("1.8", "2", "10"):
            r = self.run_as(base + ["--threshold", t])
            self.assertOk(r)
            self.assertEqual(r.stderr, "")
        r = self.run_as([self.stage.glovebox, "explain", "--json", "--threshold=0"])
        self.assertEqual(r.returncode, 1)
        self.assertEqual(json.loads(r.stdout)["score"]["value"], 0.1)

    def test_a_bad_threshold_is_a_usage_error(self):
        for t in ("11", "-1", "2.55", "x"):
            r = self.run_as([self.stage.glovebox, "explain", "--threshold", t])
            self.assertEqual(r.returncode, 2, t)
            self.assertIn("--threshold needs a score from 0 to 10", r.stderr)
        r = self.run_as([self.stage.glovebox, "--threshold", "3", "--", "true"])
        self.assertEqual(r.returncode, 2)
        self.assertIn("go with explain", r.stderr)

    # ---- --json ----

    def test_every_rule_line_is_listed_however_many(self):
        # explain groups the calls by the line that decided them; it kept
        # the first 128 lines and dropped the rest without a word.
        names = self.run_as([self.stage.glovebox, "syscalls", "@system-service"])
        self.assertOk(names)
        # the calls every process needs are never listed (nor deniable)
        needed = {"exit", "exit_group", "rt_sigreturn", "sigreturn", "restart_syscall",
                  "execve", "execveat"}
        calls = [c for c in names.stdout.split() if c not in needed][:200]
        self.assertEqual(len(calls), 200)
        text = "[profile]\ninclude = default\n[how]\n"
        text += "".join("deny = %s\n" % c for c in calls)
        p = self.profile("many-rules", text)
        out = self.explain("-p", p)
        shown = set(int(n) for n in re.findall(r"deny +1 call: .*# .*:(\d+)\n", out))
        missing = [c for i, c in enumerate(calls) if 4 + i not in shown]
        self.assertEqual(missing, [])

    def test_json_follows_the_profile(self):
        p = self.profile("json", "[profile]\n"               # 1
                                 "include = default\n"       # 2
                                 "description = for json\n"  # 3
                                 "[where]\n"                 # 4
                                 "network = host\n"          # 5
                                 "ro-bind = /etc/hostname /srv/name\n"  # 6
                                 "tmpfs = /scratch size=1M mode=0700\n"  # 7
                                 "[limits]\n"                # 8
                                 "processes = 77\n"          # 9
                                 "[how]\n"                   # 10
                                 "deny = ptrace:kill\n"      # 11
                                 "[env]\n"                   # 12
                                 "set = A=b\n")              # 13
        real = os.path.realpath(p)
        j = self.explain_json("-p", p, "--hostname", "h")
        self.assertEqual(j["schema"], "glovebox-explain/1")
        self.assertEqual([os.path.realpath(x["file"]) if x["file"] else None
                          for x in j["profiles"]], [None, real])
        self.assertTrue(j["profiles"][0]["builtin"])

        def at(line):
            return {"kind": "file", "file": j["profiles"][1]["file"], "line": line}
        self.assertEqual(j["description"], {"value": "for json", "origin": at(3)})
        w = j["where"]
        self.assertEqual(w["network"], {"value": "host", "origin": at(5)})
        self.assertEqual(w["hostname"], {"value": "h", "origin": {"kind": "command-line",
                                                                  "option": "--hostname"}})
        self.assertNotIn("net", w["namespaces"])
        self.assertIn("pid", w["namespaces"])
        self.assertEqual(w["refused"], [])
        steps = {s["destination"]: s for s in w["plan"] if s["from"] == "policy"}
        self.assertEqual(steps["/srv/name"], {
            "kind": "ro-bind", "from": "policy", "source": "/etc/hostname",
            "destination": "/srv/name", "flags": ["read-only"], "origin": at(6)})
        self.assertEqual(steps["/scratch"]["kind"], "tmpfs")
        self.assertEqual(steps["/scratch"]["size"], 1 << 20)
        self.assertEqual(steps["/scratch"]["mode"], 0o700)
        self.assertEqual(steps["/usr"]["origin"]["file"], "default (built-in)")
        derived = [s for s in w["plan"] if s["from"] == "derived"]
        self.assertIn("enter-root", [s["kind"] for s in derived])
        for s in derived:
            self.assertEqual(s["origin"]["kind"], "derived")
            self.assertTrue(s["origin"]["rule"])
            cause = s["origin"]["cause"]
            self.assertTrue(cause is None or 0 <= cause < len(w["plan"]))
        self.assertEqual(j["limits"]["processes"], {"value": 77, "origin": at(9)})
        self.assertEqual(j["limits"]["tmpfs"]["value"], 1 << 30)
        how = j["how"]
        self.assertEqual(how["default"]["value"], {"action": "errno", "errno": "EPERM"})
        ptrace = [r for r in how["rules"] if "ptrace" in r["calls"]]
        self.assertEqual(len(ptrace), 1)
        self.assertEqual(ptrace[0]["action"], {"action": "kill"})
        self.assertEqual(ptrace[0]["origin"], at(11))
        self.assertIn("read", how["allowed"])
        self.assertIn("ptrace", how["denied"])
        self.assertIn("mount", how["denied"])
        mount = next(g for g in how["groups"] if g["name"] == "@mount")
        self.assertEqual(mount["allowed"], 0)
        self.assertGreater(mount["total"], 0)
        self.assertEqual(how["namespaces"]["value"], [])
        self.assertEqual(j["what"]["capabilities"]["value"], [])
        self.assertTrue(j["what"]["no_new_privs"])
        self.assertIn({"op": "set", "name": "A", "value": "b", "origin": at(13)},
                      j["env"]["ops"])
        self.assertIn(j["landlock"]["fs"]["value"], (True,))
        if j["landlock"]["abi"]:
            self.assertIn("/srv/name", [r["path"] for r in j["landlock"]["rules"]])
        score = j["score"]
        self.assertEqual(self.factor(j, "network")["points"], 0.9)
        self.assertTrue(all(f["reason"] for f in score["factors"]))
        self.assertAlmostEqual(sum(f["weight"] for f in score["factors"]), 10, places=6)
        self.assertAlmostEqual(score["value"], round(sum(f["points"] for f in score["factors"]),
                                                     1), delta=0.051)

    def test_json_of_a_blank_slate_that_opens_everything(self):
        p = self.profile("open", "[profile]\ninclude = none\n"
                                 "[where]\nbind = / /host writable=intended\n"
                                 "network = host\nhome = rw\nunshare-pid = no\n"
                                 "landlock-fs = no\nscope = none\n"
                                 "[how]\ndefault = allow\nallow = @io-uring\nnamespaces = all\n"
                                 "personality = any\n[env]\nclear = no\n")
        j = self.explain_json("-p", p)
        self.assertEqual(j["profiles"][0]["builtin"], False)
        self.assertEqual(len(j["profiles"]), 1)
        self.assertGreaterEqual(j["score"]["value"], 7.5)
        self.assertEqual(j["how"]["default"]["value"], {"action": "allow"})
        self.assertEqual(j["how"]["namespaces"]["value"], "all")
        self.assertEqual(j["landlock"]["rules"], [])
        self.assertEqual(self.factor(j, "host-root")["points"], 0.7)
        r = self.run_as([self.stage.glovebox, "explain", "-p", p, "--threshold", "7"])
        self.assertEqual(r.returncode, 1)

    # ---- the shipped profiles ----

    def test_every_shipped_profile_keeps_its_recorded_score(self):
        names = sorted(f[:-4] for f in os.listdir(self.stage.profiles) if f.endswith(".ini"))
        self.assertIn("default", names)
        for name in names:
            with self.subTest(profile=name):
                r = self.run_as([self.stage.glovebox, "explain", "--json", "-p", name])
                if name not in RECORDED:
                    shown = (json.loads(r.stdout)["score"]["value"] if r.returncode == 0
                             else None)
                    self.fail("profiles/%s.ini has no recorded score: record its score in "
                              "RECORDED of %s as \"%s\": %s" % (name, __file__, name, shown))
                if RECORDED[name] is None:
                    self.assertNotEqual(r.returncode, 0, "%s is a whole policy now: record "
                                        "its score" % name)
                    continue
                self.assertOk(r)
                value = json.loads(r.stdout)["score"]["value"]
                self.assertLessEqual(value, RECORDED[name],
                                     "%s's exposure score rose from %s to %s: tighten it, or "
                                     "record the new score if the rise is meant"
                                     % (name, RECORDED[name], value))
                self.assertEqual(value, RECORDED[name], "%s's score fell to %s: record it"
                                 % (name, value))


if __name__ == "__main__":
    main()
