# SPDX-License-Identifier: LGPL-2.1-or-later
"""The man pages name everything the tables hold: every key of the option
table in glovebox.ini(5), every option in glovebox(1), and every
subcommand in glovebox(1)'s SYNOPSIS and COMMANDS. A row added to a table
without its documentation fails here.

Usage: test_coverage.py GEN-KEYS GLOVEBOX.1.SCD GLOVEBOX.INI.5.SCD
"""
import re
import subprocess
import sys


def section(text, title):
    """The text of the scdoc section "# TITLE", up to the next one."""
    m = re.search(r"^# %s\n(.*?)(?=^# |\Z)" % re.escape(title), text, re.S | re.M)
    return m.group(1) if m else ""


def missing(names, page1, page5):
    synopsis, commands = section(page1, "SYNOPSIS"), section(page1, "COMMANDS")
    for kind, name in names:
        if kind == "key" and not re.search(r"^\*%s\* =" % re.escape(name), page5, re.M):
            yield "glovebox.ini(5) lacks the key %s" % name
        elif kind == "option" and "*%s*" % name not in page1:
            yield "glovebox(1) lacks the option %s" % name
        elif kind == "subcommand":
            if "*glovebox %s*" % name not in synopsis:
                yield "glovebox(1)'s SYNOPSIS lacks glovebox %s" % name
            if not re.search(r"^\*%s\*" % re.escape(name), commands, re.M):
                yield "glovebox(1)'s COMMANDS lacks %s" % name


def main():
    gen_keys, page1, page5 = sys.argv[1:4]
    out = subprocess.run([gen_keys, "names"], capture_output=True, text=True, check=True).stdout
    names = [tuple(line.split(" ", 1)) for line in out.splitlines()]
    kinds = {k for k, _ in names}
    assert kinds == {"key", "option", "subcommand"}, kinds
    with open(page1) as f1, open(page5) as f5:
        found = list(missing(names, f1.read(), f5.read()))
    for line in found:
        print(line)
    print("%d names checked, %d missing" % (len(names), len(found)))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
