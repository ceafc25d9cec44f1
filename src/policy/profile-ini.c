/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading one profile file: its bytes, then its lines through inih, every
 * structural problem reported with its line before inih sees it. */
#include "policy/profile-internal.h"

#include <fcntl.h>
#include <ini.h>
#include <stdio.h>
#include <sys/stat.h>

#include "policy/options.h"
#include "policy/suggest.h"

struct parse_state {
	struct diag *diag;
	const char *file; /* the label errors name */
	const char *text;
	size_t len, pos;
	unsigned line;
	/* what inih will think of the line it is about to see */
	bool line_is_continuation;
	bool have_key;        /* a key seen since the last section header */
	bool section_unknown; /* the current section was already reported */
	struct profile_entries entries;
};

_printf_(4, 5) static void report(struct parse_state *st, const char *section, const char *key,
				  const char *fmt, ...)
{
	struct origin o = {.file = st->file, .line = st->line, .section = section, .key = key};
	va_list ap;
	va_start(ap, fmt);
	diag_verror(st->diag, &o, fmt, ap);
	va_end(ap);
}

static char *rstrip(char *s)
{
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/* Cut an inline comment: ';' preceded by whitespace, as inih does. */
static void cut_comment(char *s)
{
	for (char *p = s; *p; p++)
		if (*p == ';' && (p == s || p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			return;
		}
}

/* Look at a raw line before inih does, so that every structural problem is
 * reported with its line and inih only ever sees lines it accepts. */
static bool check_line(struct parse_state *st, char *line)
{
	char *s = line;
	while (*s == ' ' || *s == '\t')
		s++;
	st->line_is_continuation = false;
	if (*s == '\0' || *s == '\r' || *s == '\n' || *s == ';' || *s == '#')
		return true;
	if (st->have_key && s > line) {
		st->line_is_continuation = true;
		return true;
	}
	if (*s == '[') {
		_cleanup_free_ char *copy = xstrdup(s + 1);
		cut_comment(copy);
		rstrip(copy);
		size_t n = strlen(copy);
		st->have_key = false;
		if (n == 0 || copy[n - 1] != ']') {
			st->section_unknown = true;
			report(st, NULL, NULL, "malformed section header (expected [name])");
			return false;
		}
		copy[n - 1] = '\0';
		st->section_unknown = !option_section_known(copy);
		if (st->section_unknown)
			report(st, copy, NULL,
			       "unknown section (expected profile, where, what, limits, how or env)");
		return true;
	}
	if (!strpbrk(s, "=:")) {
		report(st, NULL, NULL, "expected 'key = value', got '%s'", rstrip(s));
		return false;
	}
	st->have_key = true;
	return true;
}

/* inih's reader: hands over one line at a time and counts them, so that the
 * handler always knows the current line number. */
static char *reader(char *buf, int size, void *user)
{
	struct parse_state *st = user;
	if (st->pos >= st->len)
		return NULL;
	const char *start = st->text + st->pos;
	const char *nl = memchr(start, '\n', st->len - st->pos);
	size_t linelen = nl ? (size_t)(nl - start) : st->len - st->pos;
	st->pos += linelen + (nl ? 1 : 0);
	st->line++;

	if (memchr(start, '\0', linelen)) {
		report(st, NULL, NULL, "a NUL byte in the line");
		memcpy(buf, ";", 2);
		return buf;
	}
	if (linelen + 1 >= (size_t)size) {
		report(st, NULL, NULL,
		       "line too long (at most %d characters; continue a list on indented "
		       "lines)",
		       size - 2);
		memcpy(buf, ";", 2);
		return buf;
	}
	memcpy(buf, start, linelen);
	buf[linelen] = '\0';
	if (!check_line(st, buf))
		memcpy(buf, ";", 2);
	return buf;
}

static int handler(void *user, const char *section, const char *key, const char *value)
{
	struct parse_state *st = user;
	/* A continuation of a key already reported is not reported again. */
	bool first = !st->line_is_continuation;
	if (!*section) {
		if (first)
			report(st, NULL, key, "a key before any [section]");
		return 1;
	}
	if (st->section_unknown || !option_section_known(section))
		return 1;
	if (!option_by_key(section, key)) {
		_cleanup_(suggest_done) struct suggest s = {0};
		const struct gb_option *moved = option_moved_key(section, key);
		if (first && moved)
			report(st, section, key, "unknown key (now [%s] %s)", moved->section, moved->key);
		else if (first && suggest_key(&s, section, key))
			report(st, section, key, "unknown key (did you mean %s?)", s.best);
		else if (first)
			report(st, section, key, "unknown key");
		return 1;
	}
	struct profile_entries *v = &st->entries;
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 32;
		v->v = xreallocarray(v->v, v->cap, sizeof(*v->v));
	}
	v->v[v->n++] = (struct profile_entry){
		.section = xstrdup(section),
		.key = xstrdup(key),
		.value = xstrdup(value),
		.line = st->line,
		.continuation = st->line_is_continuation,
	};
	return 1;
}

/* A UTF-8 byte order mark, as some editors write one, is skipped before
 * any line is looked at. */
static void skip_bom(const char **text, size_t *len)
{
	static const char bom[] = "\xef\xbb\xbf";
	if (*len >= 3 && memcmp(*text, bom, 3) == 0) {
		*text += 3;
		*len -= 3;
	}
}

int profile_parse_lines(struct diag *d, const char *file, const char *text, size_t len,
			struct profile_entries *out)
{
	skip_bom(&text, &len);
	struct parse_state st = {.diag = d, .file = file, .text = text, .len = len};
	int r = ini_parse_stream(reader, &st, handler, &st);
	*out = st.entries;
	return r;
}

void profile_entries_free(struct profile_entries *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free(e->v[i].section);
		free(e->v[i].key);
		free(e->v[i].value);
	}
	free(e->v);
	*e = (struct profile_entries){0};
}

int profile_read_file(int fd, char **out, size_t *len)
{
	struct stat sb;
	if (fstat(fd, &sb) < 0)
		return -errno;
	if (!S_ISREG(sb.st_mode))
		return -EINVAL;
	if (sb.st_size > PROFILE_MAX_SIZE)
		return -EFBIG;
	size_t cap = (size_t)sb.st_size + 1;
	char *buf = xmalloc(cap);
	ssize_t n = read_full(fd, buf, cap - 1);
	if (n < 0) {
		free(buf);
		return (int)n;
	}
	buf[n] = '\0';
	*out = buf;
	*len = (size_t)n;
	return 0;
}

/* Only the lines are parsed, nothing applied: an include is not followed
 * and a bad value elsewhere does not hide the description. */
static char *text_description(const char *path, const char *text, size_t len)
{
	struct diag d;
	FILE *quiet = fopen("/dev/null", "w");
	diag_init(&d, quiet ? quiet : stderr, "");
	struct profile_entries lines;
	(void)profile_parse_lines(&d, path, text, len, &lines);
	char *desc = NULL;
	for (size_t i = 0; i < lines.n; i++) {
		const struct profile_entry *e = &lines.v[i];
		bool mine = streq(e->section, "profile") && streq(e->key, "description");
		/* an indented line goes on after a space; a repeated key wins */
		if (mine && e->continuation && desc) {
			char *longer = xasprintf("%s %s", desc, e->value);
			free(desc);
			desc = longer;
		} else if (mine) {
			free(desc);
			desc = xstrdup(e->value);
		}
	}
	profile_entries_free(&lines);
	if (quiet)
		fclose(quiet);
	return desc;
}

char *profile_description(const char *path)
{
	if (!path)
		return text_description(BUILTIN_DEFAULT_FILE, builtin_default_profile,
					builtin_default_profile_len);
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	if (fd < 0 || profile_read_file(fd, &text, &len) < 0)
		return NULL;
	return text_description(path, text, len);
}
