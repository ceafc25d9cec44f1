# SPDX-License-Identifier: LGPL-2.1-or-later
"""The man pages as scdoc renders them keep no markup in their text.

Where scdoc does not take an `_` or `*` for markup it prints it as it is,
and man shows `_N_` instead of an underlined N: scdoc reads `128+_N_` as
an underscore inside a word, because `+` (a possible `++` line break) does
not count as the word's end. Usage: test_man.py SCDOC PAGE.scd...
"""
import re
import subprocess
import sys

# _WORD_ or *WORD* standing on its own: LC_* and user_namespaces are words.
STRAY = re.compile(r"(?<![\w$\\])([_*])[A-Za-z][\w.-]*\1(?!\w)")


def stray_markup(scdoc, page):
    with open(page) as f:
        roff = subprocess.run([scdoc], stdin=f, capture_output=True, text=True, check=True,
                              timeout=60).stdout
    for line in roff.splitlines():
        if not line.startswith((".", "'")):
            for m in STRAY.finditer(line):
                yield "%s: %s in: %s" % (page, m.group(0), line)


def main():
    scdoc, pages = sys.argv[1], sys.argv[2:]
    found = [s for page in pages for s in stray_markup(scdoc, page)]
    for s in found:
        print(s)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
