/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The appliers of the network settings beyond the mode: the ports that
 * pasta forwards from the host into a sandbox with network = user. */
#include "policy/appliers.h"

#include <errno.h>

int apply_forward(struct policy *p, const struct gb_option *opt _unused_, char **a, size_t n,
		  const struct origin *o, struct diag *d)
{
	for (size_t i = 0; i < n; i++) {
		if (streq(a[i], "none")) {
			if (n > 1)
				return diag_error(d, o, "'none' cannot be combined with forwards");
			policy_clear_forwards(p);
			continue;
		}
		struct port_forward f;
		int r = parse_forward(a[i], &f);
		if (r < 0)
			return diag_error(d, o, "%s: expected [ADDRESS:]HOSTPORT:SANDBOXPORT[/tcp|/udp]%s",
					  a[i], r == -ERANGE ? ", ports from 1 to 65535" : "");
		f.origin = *o;
		*APPEND(p->forwards, p->n_forwards) = f;
	}
	p->forwards_s = (struct setting){true, *o};
	return 0;
}
