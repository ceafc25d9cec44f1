/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `glovebox list`: the profiles on the search path. */
#pragma once

#include <stdio.h>

#include "util.h"

/* Print every profile name found in DIRS (highest priority first) with
 * its description, the file used, its drop-ins and the files of the same
 * name it overrides. The built-in default is listed first among the
 * "default" files: that name always means it. */
void list_profiles(const struct strv *dirs, FILE *f);
