/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The appliers of the [desktop] settings. They record what a profile
 * grants; policy/desktop.c finds it in the user's session when a sandbox
 * is built (a profile travels: the session it meets is not known here). */
#include "policy/appliers.h"
#include "policy/desktop.h"

#include <ctype.h>
#include <string.h>

int apply_grant(struct policy *p, const struct gb_option *opt, char **a, size_t n _unused_,
		const struct origin *o, struct diag *d)
{
	bool v;
	if (parse_bool(a[0], &v) < 0)
		return diag_error(d, o, "%s: expected yes or no", a[0]);
	p->grants[opt->data] = v;
	p->grants_s[opt->data] = (struct setting){true, *o};
	return 0;
}

/* An app's name becomes one directory name under ~/.config and
 * ~/.local/share: no slash, no "." or "..", nothing a shell would mangle. */
static bool app_name_valid(const char *s)
{
	if (!*s || streq(s, ".") || streq(s, ".."))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-+", *s))
			return false;
	return true;
}

static void add_dir(struct policy *p, const char *name, size_t len, bool app, bool read_only,
		    const struct origin *o)
{
	*APPEND(p->desktop_dirs, p->n_desktop_dirs) = (struct desktop_dir){
		.name = xstrndup(name, len), .app = app, .read_only = read_only, .origin = *o};
}

/* user-dir = NAME[:ro]: an XDG user directory, download or pictures:ro */
static int add_user_dir(struct policy *p, const char *word, const struct origin *o,
			struct diag *d)
{
	const char *colon = strchr(word, ':');
	size_t len = colon ? (size_t)(colon - word) : strlen(word);
	if (colon && !streq(colon, ":ro") && !streq(colon, ":rw"))
		return diag_error(d, o, "%s: expected NAME, NAME:ro or NAME:rw", word);
	_cleanup_free_ char *name = xstrndup(word, len);
	if (!desktop_user_dir_known(name))
		return diag_error(d, o, "%s: not an XDG user directory (expected %s)", name,
				  DESKTOP_USER_DIR_NAMES);
	add_dir(p, name, len, false, colon && streq(colon, ":ro"), o);
	return 0;
}

/* app-dirs = NAME: the app's own directories */
static int add_app_dirs(struct policy *p, const char *word, const struct origin *o,
			struct diag *d)
{
	if (!app_name_valid(word))
		return diag_error(d, o,
				  "%s: an app name is one directory name (letters, digits and . _ "
				  "- +)",
				  word);
	add_dir(p, word, strlen(word), true, false, o);
	return 0;
}

/* user-dir and app-dirs (opt->data: 1 for app-dirs): names, or none */
int apply_desktop_dirs(struct policy *p, const struct gb_option *opt, char **a, size_t n,
		       const struct origin *o, struct diag *d)
{
	bool app = opt->data != 0;
	for (size_t i = 0; i < n; i++) {
		if (streq(a[i], "none")) {
			if (n > 1)
				return diag_error(d, o, "'none' cannot be combined with names");
			policy_clear_desktop_dirs(p, app);
		} else if ((app ? add_app_dirs : add_user_dir)(p, a[i], o, d) < 0) {
			return -1;
		}
	}
	return 0;
}
