#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Write a C file defining `const char NAME[]` and `NAME_len` from a text file."""
import sys

src, out, name = sys.argv[1:4]
data = open(src, "rb").read()
with open(out, "w") as f:
    f.write("/* generated from %s by embed-text.py */\n#include <stddef.h>\n" % src.split("/")[-1])
    f.write("const char %s[] =\n" % name)
    for line in data.split(b"\n"):
        esc = "".join(
            "\\%03o" % b if b < 0x20 or b >= 0x7F or b in (0x22, 0x5C, 0x3F) else chr(b) for b in line
        )
        f.write('\t"%s\\n"\n' % esc)
    f.write(";\nconst size_t %s_len = %d;\n" % (name, len(data)))
