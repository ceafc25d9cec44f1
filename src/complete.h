/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `glovebox --complete WHAT`: the names the shell completions ask for at
 * completion time, one a line, from what this glovebox would use: the
 * profiles on its search path, its system call groups and names, the
 * capability names. Not for people: glovebox(1) does not list it. */
#pragma once

/* Prints WHAT's names on stdout; 0, or 2 for an unknown WHAT. */
int complete_main(const char *what);
