/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Overlays of bubblewrap's grammar, in bwrap mode and on glovebox's own
 * command line: --overlay-src SRC (repeated), then --tmp-overlay DEST,
 * --overlay RWSRC WORKDIR DEST or --ro-overlay DEST. */
#include "policy/policy.h"

struct mount_op *policy_add_layered_overlay(struct policy *p, enum mount_kind kind,
					    struct strv *srcs, char *dest, const struct origin *o)
{
	struct mount_op *m = policy_add_mount(p, kind, o);
	m->dest = dest;
	/* each --overlay-src lies on the ones before it: the last given is
	 * the uppermost lower layer, which overlayfs names first */
	m->src = srcs->v[srcs->n - 1];
	for (size_t i = srcs->n - 1; i-- > 0;)
		strv_push(&m->lowers, srcs->v[i]);
	free(srcs->v);
	*srcs = (struct strv){0};
	return m;
}
