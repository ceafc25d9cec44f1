# SPDX-License-Identifier: LGPL-2.1-or-later
"""Pastes the data gen-completions prints for SHELL over the @DATA@ line of
a completion's logic. Usage: paste.py GEN-COMPLETIONS SHELL TEMPLATE OUTPUT"""
import subprocess
import sys

gen, shell, template, output = sys.argv[1:]
data = subprocess.run([gen, shell], capture_output=True, text=True, check=True).stdout
with open(template) as f:
    text = f.read()
if text.count("@DATA@\n") != 1:
    sys.exit("%s: expected one @DATA@ line" % template)
with open(output, "w") as f:
    f.write(text.replace("@DATA@\n", data))
