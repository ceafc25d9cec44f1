/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "diag.h"

#include <stdarg.h>

void diag_init(struct diag *d, FILE *out, const char *prefix)
{
	d->out = out;
	d->prefix = prefix;
	d->errors = 0;
	d->command_line_errors = 0;
	d->warnings = 0;
}

void origin_format(const struct origin *o, char *buf, size_t size)
{
	if (!o) {
		snprintf(buf, size, "%s", "");
		return;
	}
	if (!o->file) {
		snprintf(buf, size, "command line: %s", o->key ? o->key : "");
		return;
	}
	int n;
	if (o->line)
		n = snprintf(buf, size, "%s:%u", o->file, o->line);
	else
		n = snprintf(buf, size, "%s", o->file);
	if (n < 0 || (size_t)n >= size)
		return;
	if (o->section && o->key)
		snprintf(buf + n, size - (size_t)n, ": [%s] %s", o->section, o->key);
	else if (o->section)
		snprintf(buf + n, size - (size_t)n, ": [%s]", o->section);
	else if (o->key)
		snprintf(buf + n, size - (size_t)n, ": %s", o->key);
}

/* The length of the printable UTF-8 character at s, or 0 when s starts
 * with a byte that is not one. The well-formed sequences of Unicode's
 * table 3-7, less the C1 controls. */
static size_t printable_utf8_len(const unsigned char *s)
{
	static const struct {
		unsigned char first, last; /* the lead byte's range */
		unsigned char lo, hi;      /* the second byte's range */
		size_t len;
	} forms[] = {
		{0xc2, 0xc2, 0xa0, 0xbf, 2}, /* U+0080..U+009F are the C1 controls */
		{0xc3, 0xdf, 0x80, 0xbf, 2},
		{0xe0, 0xe0, 0xa0, 0xbf, 3}, /* no overlong forms */
		{0xe1, 0xec, 0x80, 0xbf, 3},
		{0xed, 0xed, 0x80, 0x9f, 3}, /* no surrogates */
		{0xee, 0xef, 0x80, 0xbf, 3},
		{0xf0, 0xf0, 0x90, 0xbf, 4},
		{0xf1, 0xf3, 0x80, 0xbf, 4},
		{0xf4, 0xf4, 0x80, 0x8f, 4}, /* nothing beyond U+10FFFF */
	};
	if (s[0] >= 0x20 && s[0] < 0x7f)
		return 1;
	for (size_t i = 0; i < ELEMENTSOF(forms); i++) {
		if (s[0] < forms[i].first || s[0] > forms[i].last)
			continue;
		if (s[1] < forms[i].lo || s[1] > forms[i].hi)
			return 0;
		for (size_t k = 2; k < forms[i].len; k++)
			if ((s[k] & 0xc0) != 0x80)
				return 0;
		return forms[i].len;
	}
	return 0;
}

char *text_escape(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	char *out = xmalloc(strlen(s) * 4 + 1), *w = out;
	while (*u) {
		size_t n = printable_utf8_len(u);
		if (n == 0) {
			w += sprintf(w, "\\x%02x", *u++);
			continue;
		}
		memcpy(w, u, n);
		w += n;
		u += n;
	}
	*w = '\0';
	return out;
}

_printf_(4, 0) static void emit(struct diag *d, const struct origin *o, const char *label,
				const char *fmt, va_list ap)
{
	char where[512];
	char *msg;

	origin_format(o, where, sizeof(where));
	if (vasprintf(&msg, fmt, ap) < 0)
		oom();
	_cleanup_free_ char *line = xasprintf("%s%s%s%s", where, where[0] ? ": " : "", label, msg);
	free(msg);
	_cleanup_free_ char *safe = text_escape(line);
	fprintf(d->out, "%s%s\n", d->prefix ? d->prefix : "", safe);
	fflush(d->out);
}

int diag_verror(struct diag *d, const struct origin *o, const char *fmt, va_list ap)
{
	d->errors++;
	emit(d, o, "", fmt, ap);
	return -1;
}

void diag_warning(struct diag *d, const struct origin *o, const char *fmt, ...)
{
	va_list ap;
	d->warnings++;
	va_start(ap, fmt);
	emit(d, o, "warning: ", fmt, ap);
	va_end(ap);
}

int diag_error(struct diag *d, const struct origin *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = diag_verror(d, o, fmt, ap);
	va_end(ap);
	return r;
}
