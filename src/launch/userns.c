/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bwrap's --userns-block-fd and --userns2, which hand a part of the user
 * namespace's set-up to the caller.
 *
 * --userns-block-fd: the caller maps the ids (with newuidmap, say) of
 * the user namespace glovebox made. It needs a pid for that, which
 * --info-fd gives: the command's process reports its pid as soon as it
 * exists in the sandbox's namespaces (before its own set-up, which needs
 * no mapped id), and pid 1, instead of writing the maps, waits for the
 * caller's word on the descriptor before it builds the filesystem, which
 * does need them. With as-pid-1 the command is pid 1, which reports its
 * own pid before it waits.
 *
 * --userns2: once its namespaces are set up (the network's and the host
 * name need the first user namespace's capabilities), the command's
 * process enters the second one, usually a child of the first, before its
 * capabilities are chosen: they are then the second one's. */
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

#include "launch/internal.h"
#include "where/namespaces.h"

bool maps_by_caller(const struct launch_request *req)
{
	return req->userns && req->userns->maps_ready_fd >= 0;
}

int map_or_await_ids(const struct child_ctx *c, struct diag *d)
{
	const struct launch_request *req = c->req;
	if (!maps_by_caller(req))
		return where_map_ids(req->policy, c->uid, c->gid, d);
	/* as-pid-1: no command's process to report the pid, pid 1 is the
	 * command; as bwrap's, its pid comes before the maps it waits for */
	if (req->policy->as_pid_1)
		report_pid(c);
	/* a byte, or the end: as bwrap, the caller's word either way */
	char byte;
	while (read(req->userns->maps_ready_fd, &byte, 1) < 0 && errno == EINTR)
		;
	return 0;
}

void enter_second_userns(const struct launch_request *req)
{
	if (!req->userns || req->userns->enter_fd < 0)
		return;
	if (setns(req->userns->enter_fd, CLONE_NEWUSER) == 0)
		return;
	/* bwrap's words and status: no glovebox policy gives this option */
	fprintf(stderr, "bwrap: Setting userns2 failed: %s\n", strerror(errno));
	_exit(1);
}
