/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The subcommands that launch nothing (commands.c); main.c dispatches
 * them. Each returns the exit status. */
#pragma once

#include "policy/cli.h"

/* glovebox check [--strict] PROFILE...: every error and warning a launch
 * of each profile would give, and check's own rules. */
int cmd_check(const struct cli *cli);
/* glovebox list: the profiles on the search path. */
int cmd_list(const struct cli *cli);
/* glovebox syscalls [NAME...]: the groups, a group's calls, or a call's
 * groups. */
int cmd_syscalls(const struct cli *cli);
