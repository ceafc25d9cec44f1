/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* glovebox desktop install|remove|list: desktop entries that start an
 * app through `glovebox run`.
 *
 * install APP copies the system's entry for the app's desktop-id (the
 * first applications/ID.desktop on $XDG_DATA_DIRS) to
 * $XDG_DATA_HOME/applications/ID.desktop, which menus and launchers then
 * use instead, with every Exec= starting `glovebox run PROFILE` and the
 * entry's arguments, TryExec= glovebox itself, DBusActivatable=false (a
 * launcher would otherwise start the app over D-Bus, outside glovebox),
 * and the marker X-Glovebox-Profile=PROFILE. remove and list touch only
 * files that carry the marker. Only the user's own directory is written,
 * never through a symlink, and each file is replaced whole (a temporary
 * file renamed over it). */
#pragma once

#include <stdio.h>

/* operands: the subcommand's, "install APP" and so on. The exit status. */
int desktop_main(char *const *operands, size_t n, FILE *out, FILE *err);

/* The entry text rewritten for glovebox (the path of its binary) and
 * profile; NULL when it has no [Desktop Entry] group or an Exec= without a
 * program. */
char *desktop_rewrite(const char *text, const char *glovebox, const char *profile);
