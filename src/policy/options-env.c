/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The [env] keys: which variables the command sees. */
#include "policy/appliers.h"

#include <ctype.h>
#include <string.h>

/* A variable name: letters, digits and '_', not starting with a digit. A
 * keep pattern may also use the shell's * ? and [...] wildcards. */
static bool env_name_valid(const char *s, bool pattern)
{
	if (!*s || (*s >= '0' && *s <= '9'))
		return false;
	for (; *s; s++) {
		if (isalnum((unsigned char)*s) || *s == '_')
			continue;
		if (pattern && strchr("*?[]!", *s))
			continue;
		return false;
	}
	return true;
}

int apply_env_keep(struct policy *p, const struct gb_option *opt _unused_, char **a,
		   size_t n, const struct origin *o, struct diag *d)
{
	for (size_t i = 0; i < n; i++) {
		if (!env_name_valid(a[i], true))
			return diag_error(d, o, "%s: not a variable name or pattern", a[i]);
		policy_add_env(p, ENV_KEEP, o)->name = xstrdup(a[i]);
	}
	return 0;
}

int apply_env_set(struct policy *p, const struct gb_option *opt _unused_, char **a,
		  size_t n _unused_, const struct origin *o, struct diag *d)
{
	if (!env_name_valid(a[0], false))
		return diag_error(d, o, "%s: not a variable name", a[0]);
	struct env_op *e = policy_add_env(p, ENV_SET, o);
	e->name = xstrdup(a[0]);
	e->value = xstrdup(a[1]);
	return 0;
}

int apply_env_unset(struct policy *p, const struct gb_option *opt _unused_, char **a,
		    size_t n, const struct origin *o, struct diag *d)
{
	for (size_t i = 0; i < n; i++) {
		if (!env_name_valid(a[i], false))
			return diag_error(d, o, "%s: not a variable name", a[i]);
		policy_add_env(p, ENV_UNSET, o)->name = xstrdup(a[i]);
	}
	return 0;
}
