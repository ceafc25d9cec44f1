/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "diag.h"

#include <stdarg.h>

void diag_init(struct diag *d, FILE *out, const char *prefix)
{
	d->out = out;
	d->prefix = prefix;
	d->errors = 0;
	d->command_line_errors = 0;
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

int diag_verror(struct diag *d, const struct origin *o, const char *fmt, va_list ap)
{
	char where[512];

	d->errors++;
	origin_format(o, where, sizeof(where));
	fprintf(d->out, "%s%s%s", d->prefix ? d->prefix : "", where, where[0] ? ": " : "");
	vfprintf(d->out, fmt, ap);
	fputc('\n', d->out);
	fflush(d->out);
	return -1;
}

int diag_error(struct diag *d, const struct origin *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = diag_verror(d, o, fmt, ap);
	va_end(ap);
	return r;
}
