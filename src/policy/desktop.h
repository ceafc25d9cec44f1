/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* [desktop] grants made real: the user's Wayland, X11 and sound sockets,
 * the GPU's device nodes, the look of the desktop, and directories of the
 * user's kept between runs, found in the session glovebox runs in and
 * added to the policy as mounts and variables. */
#pragma once

#include "policy/policy.h"

#define DESKTOP_USER_DIR_NAMES                                                                     \
	"desktop, documents, download, music, pictures, publicshare, templates or videos"

/* An XDG user directory's name as user-dirs.dirs spells it, lower case. */
bool desktop_user_dir_known(const char *name);

/* The session: the variables that name its parts, NULL when unset. */
struct desktop_host {
	const char *home;
	const char *runtime_dir;     /* $XDG_RUNTIME_DIR */
	const char *display;         /* $DISPLAY */
	const char *wayland_display; /* $WAYLAND_DISPLAY */
	const char *xauthority;      /* $XAUTHORITY */
	const char *config_home;     /* $XDG_CONFIG_HOME */
	const char *data_home;       /* $XDG_DATA_HOME */
	/* Make what a launch needs on the host (the kept directories, the
	 * copy of the display's cookie); explain only shows it. */
	bool launch;
};

void desktop_host_from_env(struct desktop_host *h, const char *home, bool launch);

/* Add the mounts and variables of every grant the policy holds. A
 * display grant without its display is an error naming the socket. 0 or
 * -1 (reported). */
int desktop_resolve(struct policy *p, const struct desktop_host *h, struct diag *d);
