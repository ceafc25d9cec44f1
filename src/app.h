/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Apps: profiles whose [profile] section names a program (binary) and
 * usually its desktop file (desktop-id). `glovebox run APP` and
 * `glovebox desktop` find them on the profile search path by the
 * profile's name, its desktop id or its binary. */
#pragma once

#include <stdio.h>

#include "util.h"

struct app_profile {
	char *name;       /* the profile's name on the search path */
	char *path;       /* its file */
	char *desktop_id; /* NULL when it names none */
	char *binary;
};

void app_profile_free(struct app_profile *a);

/* Every app profile on the search path, in its order (a name found in an
 * earlier directory hides the same name in later ones), names sorted
 * within a directory. Profiles that fail to load are left out. */
void app_list(struct app_profile **out, size_t *n);
void app_list_free(struct app_profile *v, size_t n);

/* The app profile APP names: first the one named APP, then the first
 * whose desktop id is APP (or APP without .desktop), then the first whose
 * binary, or its last component, is APP. 0, or -1 after saying so on
 * err. */
int app_find(const char *app, struct app_profile *out, FILE *err);

/* The command line `glovebox run APP ARG...` stands for:
 * glovebox -p PROFILE -- BINARY ARG.... 0, or an exit status (reported). */
int app_command_line(char *const *operands, size_t n, struct strv *argv, FILE *err);
