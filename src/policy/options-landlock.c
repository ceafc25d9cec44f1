/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The appliers of the Landlock settings that take more than a word. */
#include "policy/appliers.h"

#include <errno.h>
#include <stdlib.h>

/* tcp-connect, tcp-bind = any | none | PORT...: a later line replaces
 * the list, as scope does. */
int apply_tcp_ports(struct policy *p, const struct gb_option *opt, char **a, size_t n,
		    const struct origin *o, struct diag *d)
{
	struct tcp_ports t = {.restricted = true, .s = {true, *o}};
	for (size_t i = 0; i < n; i++) {
		if (streq(a[i], "any") || streq(a[i], "none")) {
			if (n > 1)
				return diag_error(d, o, "'%s' cannot be combined with ports", a[i]);
			t.restricted = streq(a[i], "none");
			continue;
		}
		char *end = a[i];
		errno = 0;
		unsigned long port = a[i][0] >= '0' && a[i][0] <= '9' ? strtoul(a[i], &end, 10) : 0;
		if (port == 0 || errno || *end || port > 65535) {
			free(t.v);
			return diag_error(d, o, "%s: expected a port (1 to 65535), any or none", a[i]);
		}
		*APPEND(t.v, t.n) = (uint16_t)port;
	}
	struct tcp_ports *dst = &p->tcp[opt->data];
	free(dst->v);
	*dst = t;
	return 0;
}
