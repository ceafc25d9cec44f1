/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "state.h"

#include <stdlib.h>

#include "util.h"

char *state_dir(enum state_kind which, const char *home)
{
	static const struct {
		const char *xdg_var, *fallback;
	} dirs[] = {
		[STATE_CONFIG] = {"XDG_CONFIG_HOME", ".config"},
		[STATE_CACHE] = {"XDG_CACHE_HOME", ".cache"},
		[STATE_DATA] = {"XDG_DATA_HOME", ".local/share"},
	};
	const char *xdg = getenv(dirs[which].xdg_var);
	if (xdg && xdg[0] == '/')
		return xasprintf("%s/glovebox", xdg);
	if (home)
		return xasprintf("%s/%s/glovebox", home, dirs[which].fallback);
	return NULL;
}
