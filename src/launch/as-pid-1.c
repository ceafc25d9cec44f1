/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* as-pid-1 (bwrap's --as-pid-1): the command itself is the sandbox's
 * pid 1. pid 1 maps the ids and builds the filesystem as always, then does
 * the command's share of the set-up itself, in order, and execs the
 * command: no init of glovebox's stays in the pid namespace.
 *
 * What glovebox's init did afterwards is the supervisor's, from outside,
 * or the kernel's: the command's exit status is pid 1's, which the
 * supervisor waits for (its pidfd); when pid 1 exits the kernel ends
 * everything else in the namespace; signals glovebox passes on reach the
 * command, where the kernel drops those it has no handler for (it
 * protects a pid namespace's init), but SIGKILL; the sandbox still dies
 * with glovebox, by pid 1's death signal, which exec keeps. Reaping what
 * the command leaves behind is the command's own business. */
#include <unistd.h>

#include "launch/internal.h"
#include "trace.h"

/* A pty: pid 1 leads the sandbox's session, so it takes the pty as its
 * controlling terminal (and is its foreground process group) before the
 * command's descriptors are put on it. */
static void take_pty(struct child_ctx *c, struct diag *d)
{
	_cleanup_close_ int master = -1;
	int peer = -1;
	if (term_open(c->term, &master, &peer, d) < 0)
		_exit(125);
	c->pty_peer = peer; /* closed at exec, once on 0, 1 and 2 */
	if (master >= 0 && send_report(c->report_fd, 'm', master) < 0)
		_exit(125);
}

_noreturn_ void exec_as_pid_1(struct child_ctx *c, struct fd_pair *go, struct fd_pair *net,
			      struct diag *d)
{
	/* no command's process to tell "go", no network namespace to join:
	 * pid 1 makes it itself, the filesystem done (run_command) */
	fd_pair_close(go);
	fd_pair_close(net);
	c->go_fd = -1;
	c->net_fd = -1;
	move_report_fd(c, d);
	if (term_relays(c->term))
		take_pty(c, d);
	TRACE_POINT("as pid 1");
	run_command(c);
}
