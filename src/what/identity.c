/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "what/identity.h"

#include <cap-ng.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <grp.h>
#include <sched.h>
#include <sys/prctl.h>

int what_apply_caps(const struct policy *p, struct diag *d)
{
	const struct origin *o = p->caps_s.set ? &p->caps_s.origin : NULL;

	/* Host root without a user namespace leaves its supplementary groups
	 * behind (inside one, they cannot be dropped, only left unmapped). */
	if (!(p->unshare & CLONE_NEWUSER) && setgroups(0, NULL) < 0)
		return diag_error(d, NULL, "cannot drop the supplementary groups: %s",
				  strerror(errno));

	/* Root inside gains nothing from exec (NOROOT), a change of uid
	 * cannot keep capabilities around (KEEP_CAPS and NO_SETUID_FIXUP
	 * locked off); the locks stop the command from undoing either. */
	unsigned long bits = SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP_LOCKED |
			     SECBIT_KEEP_CAPS_LOCKED;
	if (prctl(PR_SET_SECUREBITS, bits, 0, 0, 0) < 0)
		return diag_error(d, o, "cannot lock the securebits: %s", strerror(errno));

	capng_clear(CAPNG_SELECT_ALL);
	for (unsigned cap = 0; cap <= CAP_LAST_CAP && cap < 64; cap++) {
		if (!(p->caps & (UINT64_C(1) << cap)))
			continue;
		/* Ambient too, so the command holds them after exec whether it
		 * runs as uid 0 or as the user's own uid. */
		if (capng_update(CAPNG_ADD,
				 CAPNG_EFFECTIVE | CAPNG_PERMITTED | CAPNG_INHERITABLE |
					 CAPNG_BOUNDING_SET | CAPNG_AMBIENT,
				 cap) < 0)
			return diag_error(d, o, "cannot keep %s", capng_capability_to_name(cap));
	}
	int r = capng_apply(CAPNG_SELECT_ALL);
	if (r < 0)
		return diag_error(d, o, "cannot apply the capability sets (libcap-ng error %d)", r);
	return 0;
}

int what_apply_rlimits(const struct policy *p, struct diag *d)
{
	for (int i = 0; i < RLIMIT_NLIMITS; i++) {
		const struct rlimit_setting *s = &p->rlimits[i];
		if (s->set && setrlimit(i, &s->lim) < 0)
			return diag_error(d, &s->origin, "cannot set the limit: %s",
					  strerror(errno));
	}
	return 0;
}
