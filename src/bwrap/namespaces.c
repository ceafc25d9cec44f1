/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* --userns and --pidns: namespaces the caller made, entered by glovebox
 * itself before it makes the sandbox's others, so that these belong to
 * the joined user namespace and the sandbox's processes are born in the
 * joined pid namespace. glovebox stays in them while it supervises.
 *
 * What the launcher does differently then (src/launch/): no id maps are
 * written (no user namespace is made); without --unshare-pid the
 * sandbox's pid 1 is not the pid namespace's init but a subreaper in it,
 * which at the end kills only the processes it started, never with
 * kill(-1), which would reach every process of the caller's namespace. */
#include "bwrap/bwrap.h"

#include <sched.h>
#include <stdio.h>
#include <unistd.h>

static int join_userns(int fd, struct diag *d)
{
	if (setns(fd, CLONE_NEWUSER) == 0)
		return 0;
	/* bwrap's words: EINVAL is a namespace that is not below ours (or
	 * ours already) */
	if (errno == EINVAL)
		return diag_error(d, NULL, "Joining the specified user namespace failed, it might "
					   "not be a descendant of the current user namespace.");
	return diag_error(d, NULL, "Joining specified user namespace failed: %s", strerror(errno));
}

/* The kernel lets a process into a pid namespace only with
 * CAP_SYS_ADMIN over the user namespace that owns it, which a user
 * namespace made afterwards never has: bwrap, which joins from inside
 * its new one, always fails there, and so does glovebox, in its words. */
static int join_pidns(int fd, bool new_userns, struct diag *d)
{
	if (setns(fd, CLONE_NEWPID) < 0)
		return diag_error(d, NULL, "Setting pidns failed: %s", strerror(errno));
	if (new_userns)
		return diag_error(d, NULL, "Setting pidns failed: %s", strerror(EPERM));
	return 0;
}

/* --uid and --gid in a joined user namespace: no map to write, the
 * process changes its ids as bwrap does, the uid first (which, to
 * another than 0, takes the capabilities the set-up needs away). */
static int switch_ids(const struct policy *p, const struct bwrap_caller *caller, struct diag *d)
{
	if (p->bwrap.uid != caller->uid && setuid(p->bwrap.uid) < 0)
		return diag_error(d, NULL, "unable to switch to uid %u: %s", (unsigned)p->bwrap.uid,
				  strerror(errno));
	if (p->bwrap.gid != caller->gid && setgid(p->bwrap.gid) < 0)
		return diag_error(d, NULL, "unable to switch to gid %u: %s", (unsigned)p->bwrap.gid,
				  strerror(errno));
	return 0;
}

int bwrap_join_namespaces(const struct bwrap_request *r, const struct policy *p,
			  const struct bwrap_caller *caller, struct diag *d)
{
	if (r->userns_fd >= 0 && join_userns(r->userns_fd, d) < 0)
		return -1;
	if (r->pidns_fd >= 0 && join_pidns(r->pidns_fd, p->unshare & CLONE_NEWUSER, d) < 0)
		return -1;
	if (r->userns_fd >= 0 && switch_ids(p, caller, d) < 0)
		return -1;
	return 0;
}
