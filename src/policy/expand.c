/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "policy/expand.h"

#include <pwd.h>
#include <stdio.h>

void expand_vars_from_process(struct expand_vars *vars, struct expand_storage *st)
{
	*st = (struct expand_storage){0};
	const char *home = getenv("HOME");
	if (!home || !*home) {
		struct passwd *pw = getpwuid(geteuid());
		if (pw && pw->pw_dir)
			home = st->home = xstrdup(pw->pw_dir);
	}
	vars->home = home && *home ? home : NULL;
	st->cwd = getcwd(NULL, 0);
	vars->cwd = st->cwd;
	st->uid = xasprintf("%u", (unsigned)geteuid());
	vars->uid = st->uid;
	const char *xrd = getenv("XDG_RUNTIME_DIR");
	vars->xdg_runtime_dir = xrd && *xrd ? xrd : NULL;
}

void expand_storage_free(struct expand_storage *st)
{
	free(st->home);
	free(st->cwd);
	free(st->uid);
	*st = (struct expand_storage){0};
}

struct buf {
	char *s;
	size_t n, cap;
};

static void buf_putn(struct buf *b, const char *s, size_t n)
{
	if (!b->s || b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static void buf_putc(struct buf *b, char c)
{
	buf_putn(b, &c, 1);
}

static char *buf_steal(struct buf *b)
{
	if (!b->s)
		return xstrdup("");
	char *r = b->s;
	*b = (struct buf){0};
	return r;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int split_words(const char *s, struct strv *out, const char **why)
{
	struct buf w = {0};
	while (*s) {
		while (is_space(*s))
			s++;
		if (!*s)
			break;
		bool have = false;
		while (*s && !is_space(*s)) {
			have = true;
			if (*s == '"') {
				s++;
				while (*s && *s != '"') {
					if (*s == '\\' && s[1] == 'n') {
						buf_putc(&w, '\n');
						s += 2;
						continue;
					}
					if (*s == '\\' && s[1] == 't') {
						buf_putc(&w, '\t');
						s += 2;
						continue;
					}
					if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
						s++;
					buf_putc(&w, *s++);
				}
				if (*s != '"') {
					free(w.s);
					*why = "unterminated \"quote\"";
					return -EINVAL;
				}
				s++;
			} else if (*s == '\'') {
				s++;
				const char *end = strchr(s, '\'');
				if (!end) {
					free(w.s);
					*why = "unterminated 'quote'";
					return -EINVAL;
				}
				buf_putn(&w, s, (size_t)(end - s));
				s = end + 1;
			} else if (*s == '\\' && s[1]) {
				buf_putc(&w, s[1]);
				s += 2;
			} else {
				buf_putc(&w, *s++);
			}
		}
		if (have)
			strv_push(out, buf_steal(&w));
	}
	free(w.s);
	return 0;
}

static const char *lookup(const struct expand_vars *v, const char *name, size_t len, bool *known)
{
	const struct {
		const char *name;
		const char *value;
	} table[] = {
		{"HOME", v->home},
		{"CWD", v->cwd},
		{"UID", v->uid},
		{"XDG_RUNTIME_DIR", v->xdg_runtime_dir},
	};
	for (size_t i = 0; i < ELEMENTSOF(table); i++)
		if (strlen(table[i].name) == len && memcmp(table[i].name, name, len) == 0) {
			*known = true;
			return table[i].value;
		}
	*known = false;
	return NULL;
}

int expand_string(const struct expand_vars *vars, const char *in, char **out, char **name)
{
	struct buf b = {0};
	*name = NULL;
	for (const char *p = in; *p;) {
		if (*p != '$') {
			size_t n = strcspn(p, "$");
			buf_putn(&b, p, n);
			p += n;
			continue;
		}
		if (p[1] == '$') {
			buf_putc(&b, '$');
			p += 2;
			continue;
		}
		if (p[1] != '{') {
			free(b.s);
			*name = xstrdup(p);
			return -EINVAL;
		}
		const char *end = strchr(p + 2, '}');
		if (!end) {
			free(b.s);
			*name = xstrdup(p);
			return -EINVAL;
		}
		bool known;
		const char *val = lookup(vars, p + 2, (size_t)(end - p - 2), &known);
		if (!known || !val) {
			free(b.s);
			*name = xstrndup(p + 2, (size_t)(end - p - 2));
			return known ? -ENOENT : -EINVAL;
		}
		buf_putn(&b, val, strlen(val));
		p = end + 1;
	}
	*out = buf_steal(&b);
	return 0;
}
