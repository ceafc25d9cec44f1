/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "policy/expand.h"

#include <stdio.h>
#include <sys/stat.h>

/* The home directory /etc/passwd gives uid, or NULL. Read directly, not
 * through NSS: glovebox links statically, and NSS would load modules of
 * the installed libc into it. (Only when HOME is unset, which login
 * sessions never leave it.) */
char *passwd_home(const char *passwd_path, uid_t uid)
{
	FILE *f = fopen(passwd_path, "re");
	if (!f)
		return NULL;
	char *line = NULL, *home = NULL;
	size_t cap = 0;
	while (!home && getline(&line, &cap, f) > 0) {
		/* name:password:UID:GID:gecos:HOME:shell */
		char *field[7] = {line};
		size_t n = 1;
		for (char *c = line; *c && n < ELEMENTSOF(field); c++)
			if (*c == ':') {
				*c = '\0';
				field[n++] = c + 1;
			}
		if (n < 6)
			continue;
		char *end;
		unsigned long u = strtoul(field[2], &end, 10);
		if (end == field[2] || *end || u != uid)
			continue;
		field[5][strcspn(field[5], ":\n")] = '\0';
		if (field[5][0] == '/')
			home = xstrdup(field[5]);
	}
	free(line);
	fclose(f);
	return home;
}

/* A clean absolute path: no empty, "." or ".." component, no trailing
 * slash; it can serve as a destination inside the sandbox as it is. */
static bool path_is_clean(const char *s)
{
	if (s[0] != '/')
		return false;
	if (streq(s, "/"))
		return true;
	for (const char *c = s; *c == '/'; c += 1 + strcspn(c + 1, "/")) {
		size_t n = strcspn(c + 1, "/");
		if (n == 0 || (n == 1 && c[1] == '.') || (n == 2 && c[1] == '.' && c[2] == '.'))
			return false;
	}
	return true;
}

/* The working directory as the user named it: $PWD (the shell's logical
 * path, through symlinks such as /home -> /usr/home) when it names this
 * very directory, else the kernel's physical path. */
static char *current_dir(void)
{
	char *phys = getcwd(NULL, 0);
	const char *pwd = getenv("PWD");
	struct stat a, b;
	if (phys && pwd && path_is_clean(pwd) && stat(pwd, &a) == 0 && stat(".", &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
		free(phys);
		return xstrdup(pwd);
	}
	return phys;
}

void expand_vars_from_process(struct expand_vars *vars, struct expand_storage *st)
{
	*st = (struct expand_storage){0};
	const char *home = getenv("HOME");
	if (!home || !*home)
		home = st->home = passwd_home("/etc/passwd", geteuid());
	vars->home = home && *home ? home : NULL;
	st->cwd = current_dir();
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
