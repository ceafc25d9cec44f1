/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The appliers of an app's [profile] metadata: desktop-id and binary. */
#include "policy/appliers.h"

#include <string.h>

/* A desktop file id without its .desktop: what the desktop entry
 * specification allows in one (letters, digits, _ - and dots), so that
 * ID.desktop is a plain file name. */
static bool desktop_id_valid(const char *s)
{
	if (!*s || *s == '.' || strlen(s) > 200)
		return false;
	for (const char *c = s; *c; c++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.", *c))
			return false;
	size_t n = strlen(s);
	return !strstr(s, "..") && !(n > 8 && streq(s + n - 8, ".desktop"));
}

/* A command name, or an absolute path: never relative to wherever
 * `glovebox run` happens to be started. */
static bool binary_valid(const char *s)
{
	if (!*s || (strchr(s, '/') && s[0] != '/'))
		return false;
	for (const char *c = s; *c; c++)
		if ((unsigned char)*c <= ' ')
			return false;
	return true;
}

int apply_app_meta(struct policy *p, const struct gb_option *opt, char **a, size_t n _unused_,
		   const struct origin *o, struct diag *d)
{
	bool id = opt->data == APP_META_DESKTOP_ID;
	if (id && !desktop_id_valid(a[0]))
		return diag_error(d, o, "%s: expected a desktop file id (org.example.App), without "
				  ".desktop", a[0]);
	if (!id && !binary_valid(a[0]))
		return diag_error(d, o, "%s: expected a command name or an absolute path", a[0]);
	char **field = id ? &p->desktop_id : &p->binary;
	free(*field);
	*field = xstrdup(a[0]);
	*(id ? &p->desktop_id_s : &p->binary_s) = (struct setting){true, *o};
	return 0;
}
