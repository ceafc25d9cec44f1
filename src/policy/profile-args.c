/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A key's lines to the arguments its option applies: split into words or
 * taken as text, then variables expanded. */
#include "policy/profile-internal.h"

#include "policy/options.h"

/* Expand the variables in each raw argument. Returns 1 when the entry is to
 * be skipped (an unset variable in a -try key). */
static int expand_args(struct profile_loader *l, const struct gb_option *opt,
		       const struct origin *o, const struct strv *raw, struct strv *args)
{
	for (size_t i = 0; i < raw->n; i++) {
		char *expanded;
		_cleanup_free_ char *name = NULL;
		int r = expand_string(l->vars, raw->v[i], &expanded, &name);
		if (r == -ENOENT && (opt->flags & OPT_SKIP_UNSET_VAR))
			return 1;
		if (r == -ENOENT)
			return diag_error(l->diag, o, "${%s} is not set", name);
		if (r < 0 && name[0] == '$')
			return diag_error(l->diag, o,
					  "malformed variable reference '%s' (write ${NAME}, or $$ "
					  "for a literal $)",
					  name);
		if (r < 0)
			return diag_error(l->diag, o,
					  "unknown variable ${%s} (known: HOME, CWD, UID, "
					  "XDG_RUNTIME_DIR)",
					  name);
		strv_push(args, expanded);
	}
	return 0;
}

/* "  network = host" under another key reads as a continuation of it:
 * almost certainly a key indented by mistake. ("arg1 == 3" continuing a
 * rule is not.) */
static int check_continuation(struct profile_loader *l, const struct profile_entry *e,
			      const struct origin *o)
{
	const char *eq = strchr(e->value, '=');
	size_t word = strcspn(e->value, " \t");
	if (e->continuation && eq && eq[1] != '=' && word > 0 &&
	    e->value + word + strspn(e->value + word, " \t") == eq)
		return diag_error(l->diag, o,
				  "'%s' is indented, so it continues the previous key; remove the "
				  "indentation to start a new key",
				  e->value);
	return 0;
}

/* A list: each line split into words on its own (a quote cannot span
 * lines, and an error names its line), the words of all lines one list. */
static int words_to_args(struct profile_loader *l, const struct gb_option *opt,
			 const struct profile_entry *e, size_t n, const struct origin *key_origin,
			 struct strv *args)
{
	for (size_t i = 0; i < n; i++) {
		struct origin o = *key_origin;
		o.line = e[i].line;
		struct strv raw = {0};
		const char *why;
		int r = check_continuation(l, &e[i], &o);
		if (r == 0 && split_words(e[i].value, &raw, &why) < 0)
			r = diag_error(l->diag, &o, "%s", why);
		if (r == 0)
			r = expand_args(l, opt, &o, &raw, args);
		strv_free(&raw);
		if (r != 0)
			return r;
	}
	return 0;
}

/* Text, taken literally: the lines joined with a space. NAME=VALUE splits
 * at the first '='. */
static int text_to_args(struct profile_loader *l, const struct gb_option *opt,
			const struct profile_entry *e, size_t n, const struct origin *key_origin,
			struct strv *args)
{
	_cleanup_free_ char *text = xstrdup(e[0].value);
	for (size_t i = 1; i < n; i++) {
		struct origin o = *key_origin;
		o.line = e[i].line;
		if (check_continuation(l, &e[i], &o) < 0)
			return -1;
		char *longer = xasprintf("%s %s", text, e[i].value);
		free(text);
		text = longer;
	}
	struct strv raw = {0};
	char *eq = strchr(text, '=');
	if (opt->style == VALUE_ASSIGN) {
		if (!eq || eq == text)
			return diag_error(l->diag, key_origin, "expected NAME=VALUE");
		strv_push(&raw, xstrndup(text, (size_t)(eq - text)));
		strv_add(&raw, eq + 1);
	} else {
		strv_add(&raw, text);
	}
	int r = expand_args(l, opt, key_origin, &raw, args);
	strv_free(&raw);
	return r;
}

/* The arguments of a key's line and of the indented lines that continue
 * it, for one application: a key that replaces its value (capabilities,
 * namespaces) sees the whole list. Returns 1 when the entry is skipped. */
int profile_entry_args(struct profile_loader *l, const struct gb_option *opt,
		       const struct profile_entry *e, size_t n, const struct origin *o,
		       struct strv *args)
{
	if (opt->style == VALUE_WORDS)
		return words_to_args(l, opt, e, n, o, args);
	return text_to_args(l, opt, e, n, o, args);
}
