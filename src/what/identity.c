/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "what/identity.h"

#include <cap-ng.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <grp.h>
#include <inttypes.h>
#include <stdbool.h>
#include <sched.h>
#include <stdio.h>
#include <sys/prctl.h>

/* Root gains nothing from exec (NOROOT), a change of uid cannot keep
 * capabilities around (KEEP_CAPS and NO_SETUID_FIXUP locked off); the
 * locks stop the command from undoing either. */
static int lock_securebits(const struct origin *o, struct diag *d)
{
	unsigned long bits = SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP_LOCKED |
			     SECBIT_KEEP_CAPS_LOCKED;
	if (prctl(PR_SET_SECUREBITS, bits, 0, 0, 0) < 0)
		return diag_error(d, o, "cannot lock the securebits: %s", strerror(errno));
	return 0;
}

/* bwrap's capabilities: the set is effective and permitted; ambient (and
 * the securebits that make root's exec keep no more than it) only when
 * --cap-add or --cap-drop chose it. The bounding set is the policy's (root
 * keeps its own); a capability outside it cannot be had, and is left out
 * as bwrap does. */
static int apply_caps_bwrap(const struct policy *p, struct diag *d)
{
	const struct bwrap_semantics *b = &p->bwrap;
	if (b->caps_ambient &&
	    prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NO_SETUID_FIXUP_LOCKED, 0, 0, 0) < 0)
		return diag_error(d, NULL, "cannot set the securebits: %s", strerror(errno));
	capng_clear(CAPNG_SELECT_ALL);
	capng_type_t sets = CAPNG_EFFECTIVE | CAPNG_PERMITTED |
			    (b->caps_ambient ? CAPNG_INHERITABLE | CAPNG_AMBIENT : 0);
	for (unsigned cap = 0; cap <= CAP_LAST_CAP && cap < 64; cap++) {
		uint64_t bit = UINT64_C(1) << cap;
		if ((b->bounding & bit) && capng_update(CAPNG_ADD, CAPNG_BOUNDING_SET, cap) < 0)
			return diag_error(d, NULL, "cannot keep %s", capng_capability_to_name(cap));
		/* outside the bounding set glovebox runs with: out of reach */
		bool reachable = prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1;
		if ((p->caps & bit) && reachable && capng_update(CAPNG_ADD, sets, cap) < 0)
			return diag_error(d, NULL, "cannot keep %s", capng_capability_to_name(cap));
	}
	int r = capng_apply(CAPNG_SELECT_ALL);
	if (r < 0)
		return diag_error(d, NULL, "cannot apply the capability sets (libcap-ng error %d)", r);
	return 0;
}

int what_apply_caps(const struct policy *p, struct diag *d)
{
	const struct origin *o = p->caps_s.set ? &p->caps_s.origin : NULL;
	if (p->bwrap.on)
		return apply_caps_bwrap(p, d);

	/* Host root without a user namespace leaves its supplementary groups
	 * behind (inside one, they cannot be dropped, only left unmapped). */
	if (!(p->unshare & CLONE_NEWUSER) && setgroups(0, NULL) < 0)
		return diag_error(d, NULL, "cannot drop the supplementary groups: %s",
				  strerror(errno));

	if (lock_securebits(o, d) < 0)
		return -1;

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

int what_drop_host_caps(struct diag *d)
{
	capng_get_caps_process();
	if (capng_have_capabilities(CAPNG_SELECT_CAPS) == CAPNG_NONE)
		return 0; /* nothing held: no_new_privs keeps exec from granting any */
	/* EPERM where setgroups is denied: the groups cannot change at all */
	if (setgroups(0, NULL) < 0 && errno != EPERM)
		return diag_error(d, NULL, "cannot drop the supplementary groups: %s",
				  strerror(errno));
	if (lock_securebits(NULL, d) < 0)
		return -1;
	capng_clear(CAPNG_SELECT_ALL);
	int r = capng_apply(CAPNG_SELECT_ALL);
	if (r < 0)
		return diag_error(d, NULL, "cannot drop the capabilities (libcap-ng error %d)", r);
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

static const char *rlim_format(rlim_t v, char *buf, size_t size)
{
	if (v == RLIM_INFINITY)
		return "unlimited";
	snprintf(buf, size, "%" PRIu64, (uint64_t)v);
	return buf;
}

/* The kernel's ceiling on RLIMIT_NOFILE, which no privilege lifts. */
static rlim_t nr_open(void)
{
	char buf[32] = "";
	uint64_t v;
	FILE *f = fopen("/proc/sys/fs/nr_open", "re");
	bool ok = f && fgets(buf, sizeof(buf), f);
	if (f)
		fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return ok && parse_u64(buf, &v) == 0 ? (rlim_t)v : RLIM_INFINITY;
}

/* Raising a hard limit needs CAP_SYS_RESOURCE in the host's user
 * namespace. Inside the sandbox's own user namespace nobody has it, not
 * even root; without one, the command holds it only when the profile keeps
 * it (capabilities are set before the limits). */
static int check_rlimit(const struct policy *p, int resource, struct diag *d)
{
	const struct rlimit_setting *s = &p->rlimits[resource];
	struct rlimit now;
	char want[32], have[32];
	if (!s->set || getrlimit(resource, &now) < 0)
		return 0;
	rlim_format(s->lim.rlim_max, want, sizeof(want));
	bool may_raise = !(p->unshare & CLONE_NEWUSER) &&
			 (p->caps & (UINT64_C(1) << CAP_SYS_RESOURCE));
	if (s->lim.rlim_max > now.rlim_max && !may_raise)
		return diag_error(d, &s->origin,
				  "the hard limit %s is above the current %s; raising a hard "
				  "limit needs CAP_SYS_RESOURCE outside a user namespace",
				  want, rlim_format(now.rlim_max, have, sizeof(have)));
	/* The current hard limit is within the ceiling: only a raise can pass it. */
	rlim_t ceiling = resource == RLIMIT_NOFILE && s->lim.rlim_max > now.rlim_max
				 ? nr_open()
				 : RLIM_INFINITY;
	if (s->lim.rlim_max > ceiling)
		return diag_error(d, &s->origin,
				  "the hard limit %s is above the kernel's fs.nr_open, %s", want,
				  rlim_format(ceiling, have, sizeof(have)));
	return 0;
}

/* Root's capabilities, or those a user namespace entered with setns
 * gives (the full set, to a uid that need not be 0 there: bwrap's --userns
 * of a Flatpak sandbox, which maps the user onto itself). */
static bool may_make_namespaces(void)
{
	if (geteuid() == 0)
		return true;
	capng_get_caps_process();
	return capng_have_capability(CAPNG_EFFECTIVE, CAP_SYS_ADMIN) != 0;
}

int what_check_privileges(const struct policy *p, struct diag *d)
{
	int ret = 0;
	/* Without a user namespace, only root's own capabilities can create
	 * the others; an unprivileged user is told so rather than sandboxed
	 * less. */
	if (!(p->unshare & CLONE_NEWUSER) && !may_make_namespaces())
		ret = diag_error(d,
				 p->unshare_s[UNSHARE_USER].set ? &p->unshare_s[UNSHARE_USER].origin
								: NULL,
				 "needs root (an unprivileged user's sandbox is built in a user "
				 "namespace)");
	/* Mapping another host uid takes root's CAP_SETUID; without a user
	 * namespace there is no map at all. */
	const struct origin *ho = p->host_user_s.set ? &p->host_user_s.origin : NULL;
	if (p->host_user == HOST_USER_NOBODY && geteuid() != 0)
		ret = diag_error(d, ho,
				 "host-user = nobody needs root (an unprivileged user's sandbox "
				 "runs with that user's own uid)");
	else if (p->host_user == HOST_USER_NOBODY && !(p->unshare & CLONE_NEWUSER))
		ret = diag_error(d, ho, "host-user = nobody needs a user namespace "
				        "(unshare-user = yes)");
	for (int i = 0; i < RLIMIT_NLIMITS; i++)
		if (check_rlimit(p, i, d) < 0)
			ret = -1;
	return ret;
}
