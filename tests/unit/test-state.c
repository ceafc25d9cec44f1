/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* glovebox's own directories, and the rule that ties them together: the
 * configuration directory a launch protects is the one profiles come from. */
#include "testutil.h"

#include "state.h"

static void check_dir(enum state_kind which, const char *var, const char *value,
		      const char *home, const char *expect)
{
	if (value)
		setenv(var, value, 1);
	else
		unsetenv(var);
	char *dir = state_dir(which, home);
	if (expect)
		ck_assert_str_eq(dir, expect);
	else
		ck_assert_ptr_null(dir);
	free(dir);
}

START_TEST(an_absolute_xdg_variable_wins_else_the_home)
{
	check_dir(STATE_CONFIG, "XDG_CONFIG_HOME", "/x/conf", "/home/a", "/x/conf/glovebox");
	check_dir(STATE_CONFIG, "XDG_CONFIG_HOME", "conf", "/home/a", "/home/a/.config/glovebox");
	check_dir(STATE_CONFIG, "XDG_CONFIG_HOME", NULL, "/home/a", "/home/a/.config/glovebox");
	check_dir(STATE_CACHE, "XDG_CACHE_HOME", "/x/cache", "/home/a", "/x/cache/glovebox");
	check_dir(STATE_CACHE, "XDG_CACHE_HOME", NULL, "/home/a", "/home/a/.cache/glovebox");
	check_dir(STATE_DATA, "XDG_DATA_HOME", "/x/data", "/home/a", "/x/data/glovebox");
	check_dir(STATE_DATA, "XDG_DATA_HOME", "", "/home/a", "/home/a/.local/share/glovebox");
	check_dir(STATE_DATA, "XDG_DATA_HOME", NULL, NULL, NULL);
}
END_TEST

/* The first directory profiles are searched in lies in the directory a
 * launch hides from the sandbox, whatever the environment says. */
START_TEST(profiles_come_from_the_protected_configuration)
{
	static const char *const values[] = {"/x/conf", "relative", NULL};
	for (size_t i = 0; i < ELEMENTSOF(values); i++) {
		if (values[i])
			setenv("XDG_CONFIG_HOME", values[i], 1);
		else
			unsetenv("XDG_CONFIG_HOME");
		struct fixture fx;
		fixture_init(&fx);
		profile_loader_default_path(&fx.l);
		char *config = state_dir(STATE_CONFIG, fx.vars.home);
		char *profiles = xasprintf("%s/profiles", config);
		ck_assert_str_eq(fx.l.search_path.v[0], profiles);
		free(profiles);
		free(config);
		fixture_free(&fx);
	}
}
END_TEST

RUN_SUITE("state", an_absolute_xdg_variable_wins_else_the_home,
	  profiles_come_from_the_protected_configuration)
