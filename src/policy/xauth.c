/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "policy/xauth.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "util.h"

/* X.h's address families, as Xau stores them */
#define FAMILY_LOCAL 256u
#define FAMILY_WILD 65535u

/* An entry: its family, then four counted fields (address, display
 * number, auth name, auth data), every number big-endian 16 bits. */
enum { F_ADDRESS, F_NUMBER, F_NAME, F_DATA, F_COUNT };

struct field {
	const unsigned char *p;
	size_t len;
};

static bool take_u16(const unsigned char *buf, size_t len, size_t *at, unsigned *v)
{
	if (len - *at < 2)
		return false;
	*v = (unsigned)buf[*at] << 8 | buf[*at + 1];
	*at += 2;
	return true;
}

static bool field_is(const struct field *f, const char *s)
{
	return f->len == strlen(s) && memcmp(f->p, s, f->len) == 0;
}

static void put_field(unsigned char *out, size_t *w, const unsigned char *p, size_t len)
{
	out[(*w)++] = (unsigned char)(len >> 8);
	out[(*w)++] = (unsigned char)len;
	if (len)
		memcpy(out + *w, p, len);
	*w += len;
}

int xauth_for_display(const unsigned char *buf, size_t len, const char *number,
		      const char *hostname, unsigned char **out, size_t *out_len)
{
	/* a kept entry is never longer than it was */
	unsigned char *o = xmalloc(len ? len : 1);
	size_t w = 0, at = 0;
	while (at < len) {
		unsigned family, n;
		struct field f[F_COUNT];
		if (!take_u16(buf, len, &at, &family))
			goto short_file;
		for (size_t i = 0; i < F_COUNT; i++) {
			if (!take_u16(buf, len, &at, &n) || len - at < n)
				goto short_file;
			f[i] = (struct field){buf + at, n};
			at += n;
		}
		bool here = family == FAMILY_WILD ||
			    (family == FAMILY_LOCAL && field_is(&f[F_ADDRESS], hostname));
		if (!here || !field_is(&f[F_NUMBER], number))
			continue;
		o[w++] = (unsigned char)(FAMILY_WILD >> 8);
		o[w++] = (unsigned char)FAMILY_WILD;
		put_field(o, &w, NULL, 0);
		for (size_t i = F_NUMBER; i < F_COUNT; i++)
			put_field(o, &w, f[i].p, f[i].len);
	}
	*out = o;
	*out_len = w;
	return 0;
short_file:
	free(o);
	return -EINVAL;
}
