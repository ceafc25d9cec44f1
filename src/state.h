/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* glovebox's own directories on the host: its configuration (profiles are
 * loaded from there), its cache (compiled programs) and its data (private
 * homes). One owner, because a security rule depends on it: the
 * configuration directory a launch hides from the sandbox must be the very
 * one the profiles are loaded from. */
#pragma once

enum state_kind {
	STATE_CONFIG, /* $XDG_CONFIG_HOME/glovebox, else ~/.config/glovebox */
	STATE_CACHE,  /* $XDG_CACHE_HOME/glovebox, else ~/.cache/glovebox */
	STATE_DATA,   /* $XDG_DATA_HOME/glovebox, else ~/.local/share/glovebox */
};

/* The directory, from the environment (an XDG variable counts only when it
 * is an absolute path) or else home; NULL when neither says. Free it. */
char *state_dir(enum state_kind which, const char *home);
