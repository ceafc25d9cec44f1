/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Overlays of bubblewrap's grammar, in bwrap mode and on glovebox's own
 * command line: --overlay-src SRC (repeated), then --tmp-overlay DEST,
 * --overlay RWSRC WORKDIR DEST or --ro-overlay DEST. In a profile the
 * keys are overlay-src, then overlay-src-tmp, overlay-src-rw, ro-overlay
 * (tmp-overlay and overlay keep glovebox's own grammar there). */
#include "policy/appliers.h"

struct mount_op *policy_add_layered_overlay(struct policy *p, enum mount_kind kind,
					    struct strv *srcs, char *dest, const struct origin *o)
{
	struct mount_op *m = policy_add_mount(p, kind, o);
	m->dest = dest;
	m->flags |= MOUNT_F_LAYERED;
	/* each --overlay-src lies on the ones before it: the last given is
	 * the uppermost lower layer, which overlayfs names first */
	m->src = srcs->v[srcs->n - 1];
	for (size_t i = srcs->n - 1; i-- > 0;)
		strv_push(&m->lowers, srcs->v[i]);
	free(srcs->v);
	*srcs = (struct strv){0};
	return m;
}

static bool takes_overlay_srcs(const struct gb_option *opt)
{
	return opt->apply == apply_overlay_src || opt->apply == apply_layered_overlay;
}

int policy_overlay_srcs_left(struct policy *p, const struct gb_option *opt,
			     const struct origin *o, struct diag *d)
{
	if (!p->overlay_srcs.n)
		return 0;
	/* the layers and their overlay are one thing: in one place, with
	 * nothing between them */
	bool same_place = o && o->file == p->overlay_srcs_by.file;
	if (opt && takes_overlay_srcs(opt) && same_place)
		return 0;
	strv_free(&p->overlay_srcs);
	if (p->overlay_srcs_by.file)
		return diag_error(d, &p->overlay_srcs_by,
				  "must be followed by another overlay-src or one of overlay-src-tmp, "
				  "overlay-src-rw or ro-overlay");
	return diag_error(d, &p->overlay_srcs_by,
			  "must be followed by another --overlay-src or one of --overlay, "
			  "--tmp-overlay, or --ro-overlay");
}

int apply_overlay_src(struct policy *p, const struct gb_option *opt _unused_, char **a,
		      size_t n _unused_, const struct origin *o, struct diag *d)
{
	if (a[0][0] != '/')
		return diag_error(d, o, "the host paths of an overlay must be absolute");
	if (!p->overlay_srcs.n)
		p->overlay_srcs_by = *o;
	strv_add(&p->overlay_srcs, a[0]);
	return 0;
}

/* overlay-src-tmp = DEST, overlay-src-rw = RWSRC WORKDIR DEST,
 * ro-overlay = DEST: the overlay-src layers given just before */
int apply_layered_overlay(struct policy *p, const struct gb_option *opt, char **a, size_t n,
			  const struct origin *o, struct diag *d)
{
	enum mount_kind kind = (enum mount_kind)opt->data;
	size_t least = kind == MOUNT_RO_OVERLAY ? 2 : 1;
	char *dest;
	if (p->overlay_srcs.n < least)
		return diag_error(d, o, "requires at least %s %soverlay-src (the layers, given before)",
				  least == 1 ? "one" : "two", o->file ? "" : "--");
	if (kind == MOUNT_OVERLAY && (a[0][0] != '/' || a[1][0] != '/'))
		return diag_error(d, o, "the host paths of an overlay must be absolute");
	if (normalize_dest(a[n - 1], &dest, d, o) < 0)
		return -1;
	if (streq(dest, "/")) {
		free(dest);
		return diag_error(d, o, "cannot overlay / itself");
	}
	struct mount_op *m = policy_add_layered_overlay(p, kind, &p->overlay_srcs, dest, o);
	if (kind == MOUNT_OVERLAY) {
		m->aux = xstrdup(a[0]);
		m->work = xstrdup(a[1]);
	}
	return 0;
}
