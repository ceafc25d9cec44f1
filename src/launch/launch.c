/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "launch/launch.h"

#include <errno.h>
#include <grp.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <stdlib.h>
#include <unistd.h>

#include "launch/cgroup.h"
#include "launch/internal.h"
#include "trace.h"
#include "what/identity.h"
#include "what/ucounts.h"
#include "where/dbusproxy.h"
#include "where/held.h"
#include "where/namespaces.h"

/* The command's report: a datagram socket on which the kernel vouches
 * for the sender's pid. [0] is the supervisor's. */
static int open_report(struct fd_pair *p)
{
	int fds[2], one = 1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
		return -errno;
	*p = (struct fd_pair){fds[0], fds[1]};
	if (setsockopt(p->r, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0)
		return -errno;
	return 0;
}

/* clone(2) with the same flags, for where clone3 is refused with ENOSYS
 * (Docker's default seccomp profile does that, so that libc falls back).
 * CLONE_PIDFD puts the descriptor where the parent's tid would go. */
static pid_t clone_with_flags(uint64_t flags, int *pidfd)
{
#if defined(__s390x__) || defined(__s390__)
	return (pid_t)syscall(SYS_clone, NULL, (unsigned long)flags | SIGCHLD, pidfd, NULL, 0);
#else
	return (pid_t)syscall(SYS_clone, (unsigned long)flags | SIGCHLD, NULL, pidfd, NULL, 0);
#endif
}

/* What the supervisor and the sandbox's processes talk over: glovebox's
 * own pidfd (pid 1 watches it), pid 1's status pipe, the host's mount
 * list, and the command's report (only when someone asked for it). */
struct channels {
	int self;
	struct fd_pair status, mounts, report;
};

static void channels_close(struct channels *ch)
{
	closep(&ch->self);
	fd_pair_close(&ch->status);
	fd_pair_close(&ch->mounts);
	fd_pair_close(&ch->report);
}

static int channels_open(struct channels *ch, bool report)
{
	ch->self = pidfd_open(getpid(), 0);
	int r = ch->self < 0 ? -errno : open_pipe(&ch->status);
	if (r == 0)
		r = open_pipe(&ch->mounts);
	if (r == 0 && report)
		r = open_report(&ch->report);
	return r;
}

/* clone3, not fork: the namespaces come with the process in one step.
 * The child must stay away from functions that trust glibc's cached
 * thread id (raise, abort, pthread_*) until it forks properly. The pid,
 * or -1 with the error in *err. */
pid_t clone_flags(uint64_t flags, int cgroup, int *pidfd, int *err)
{
	struct clone_args args = {
		.flags = flags | CLONE_PIDFD | (cgroup >= 0 ? CLONE_INTO_CGROUP : 0),
		.pidfd = (uint64_t)(uintptr_t)pidfd,
		/* CLONE_PARENT (pidns.c): the caller's own exit signal, SIGCHLD */
		.exit_signal = (flags & CLONE_PARENT) ? 0 : SIGCHLD,
		.cgroup = cgroup >= 0 ? (uint64_t)cgroup : 0,
	};
	pid_t pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
	/* clone(2) has no room for CLONE_INTO_CGROUP: it would drop it */
	if (pid < 0 && errno == ENOSYS && cgroup < 0)
		pid = clone_with_flags(args.flags, pidfd); /* a container's filter hides clone3 */
	*err = pid < 0 ? errno : 0;
	return pid;
}

/* The supervisor's copy of the held bind sources' numbers, when pid 1
 * shares its memory (shared.c) and closes its own in that memory. */
struct held_copy {
	int *fds;
	size_t n;
};

static void held_copy_close(struct held_copy *h)
{
	if (h->fds)
		where_close_fds(h->fds, h->n);
	free(h->fds);
	*h = (struct held_copy){NULL, 0};
}

/* pid 1 in the sandbox's namespaces, on the launch path chosen for it
 * (serial.c). */
static pid_t clone_first(const struct policy *p, struct child_ctx *c, const struct fd_pair *status,
			 int *pidfd, int *err, struct held_copy *held)
{
	bool late = term_relays(c->term) || p->as_pid_1;
	enum launch_path path = launch_choose(c, late, (p->unshare & CLONE_NEWPID) != 0);
	c->serial = path != LAUNCH_PARALLEL;
	c->shared = path == LAUNCH_SHARED;
	if (c->shared) {
		pid_t pid = clone_shared(c, where_clone_flags(p), status, pidfd, err, &held->fds,
					 &held->n);
		if (pid >= 0)
			return pid;
		c->shared = false; /* serially, with a copy then */
	}
	return clone_sandbox_process(c->req, where_clone_flags(p), c->cgroup, pidfd, err);
}

/* The sandbox's first process, in its namespaces; with fallback =
 * landlock, in none where none can be made. Returns -1 once it said why
 * it could not start. */
static pid_t clone_sandbox(const struct policy *p, struct child_ctx *c, struct term *term,
			   const struct fd_pair *status, int *pidfd, struct held_copy *held)
{
	TRACE_POINT("clone3");
	/* AppArmor's restriction shows only once the namespace is made */
	bool fallback = p->fallback == FALLBACK_LANDLOCK && where_userns_restricted();
	int err = 0;
	pid_t pid = fallback ? -1 : clone_first(p, c, status, pidfd, &err, held);
	if (pid < 0 && !fallback) {
		fallback = p->fallback == FALLBACK_LANDLOCK && where_userns_blocked(p, err);
		if (!fallback) {
			struct diag d;
			diag_init(&d, stderr, "glovebox: ");
			where_userns_failure(p, err, &d);
			return -1;
		}
	}
	if (fallback && policy_dbus_filtered(p)) {
		/* no mounts: $XDG_RUNTIME_DIR/bus would be the host's own bus */
		fputs("glovebox: [dbus] needs namespaces, and fallback = landlock has none\n",
		      stderr);
		return -1;
	}
	if (fallback) {
		where_fallback_note(p, err, stderr);
		c->fallback = true;
		c->serial = c->shared = false;
		term_use_host_ptmx(term);
		pid = clone_flags(0, c->cgroup, pidfd, &err);
		if (pid < 0)
			fprintf(stderr, "glovebox: cannot start the sandbox: %s\n", strerror(err));
	}
	return pid;
}

/* The Landlock ruleset, made before the sandbox's processes so that both
 * inherit it: its descriptor, -1 for none, -2 on failure (reported). */
static int prepare_landlock(const struct policy *p, struct landlock_fence *fence)
{
	struct diag d;
	diag_init(&d, stderr, "glovebox: ");
	if (where_landlock_decide(p, where_landlock_abi(), fence, &d) < 0)
		return -2;
	return where_landlock_open(p, fence, &d);
}

/* host-user = nobody: root becomes uid and gid 65534, with no
 * supplementary group, before it creates the sandbox, which is then
 * nobody's as an unprivileged user's sandbox is that user's (its user
 * namespace maps the uid inside onto 65534). The supervisor stays nobody:
 * relaying and reaping need no privilege. */
static int become_nobody(const struct policy *p, struct child_ctx *c)
{
	if (p->host_user != HOST_USER_NOBODY)
		return 0;
	if (setgroups(0, NULL) < 0 || setresgid(HOST_NOBODY, HOST_NOBODY, HOST_NOBODY) < 0 ||
	    setresuid(HOST_NOBODY, HOST_NOBODY, HOST_NOBODY) < 0) {
		fprintf(stderr, "glovebox: cannot become nobody (host-user = nobody): %s\n",
			strerror(errno));
		return -1;
	}
	c->uid = HOST_NOBODY;
	c->gid = HOST_NOBODY;
	return 0;
}

/* The request with the rlimits that stand in for the cgroup limits
 * (cgroup-fallback = rlimits), kept as long as the child context. */
struct fallback_slot {
	struct policy policy;
	struct launch_request req;
};

/* The context pid 1 and the command start from: the sandbox's ends of
 * the channels, and what was prepared for them. */
static void child_ctx_init(struct child_ctx *c, const struct launch_request *req,
			   const struct channels *ch, struct pasta *pasta, struct term *term,
			   const struct landlock_fence *fence, int ruleset)
{
	*c = (struct child_ctx){.req = req, .uid = c->uid, .gid = c->gid, .orig_mask = c->orig_mask,
				.supervisor_pidfd = ch->self, .status_fd = ch->status.w,
				.mounts_fd = ch->mounts.r, .mounts_wfd = ch->mounts.w,
				.report_fd = ch->report.w, .net_fd = -1, .pasta = pasta, .term = term,
				.pty_peer = -1, .cgroup = -1, .handover_fd = -1,
				.fence = *fence, .ruleset = ruleset};
}

/* The sandbox runs: the supervisor closes the sandbox's ends, sends pid 1
 * the host's mounts and starts the helpers that need the sandbox's pid. */
static void after_clone(const struct launch_request *req, struct channels *ch, struct term *term,
			struct pasta *pasta, int pidfd, bool shared, struct held_copy *held,
			struct diag *d)
{
	const struct policy *p = req->policy;
	closep(&ch->self);
	closep(&ch->status.w);
	closep(&ch->report.w);
	closep(&ch->mounts.r);
	closep(&term->peer); /* the command's end: the pty hangs up once the sandbox is gone */
	/* A reader of --info-fd or --status-fd that goes away must not kill
	 * glovebox (and with it the sandbox). Set only now: the sandbox was
	 * created with the default disposition, which its command keeps. */
	signal(SIGPIPE, SIG_IGN);
	/* pid 1 needs the host's mounts once it starts on the filesystem (a
	 * failure shows there, as a list without its end), and has its copies
	 * of the held sources, for which this waits no more. Sharing the
	 * supervisor's memory (shared.c), pid 1 had the mounts before the
	 * clone, and may have closed the sources there (their numbers -1) or
	 * not: the supervisor closes its own list of them. */
	if (shared) {
		held_copy_close(held);
	} else {
		int r = where_send_host_mounts(ch->mounts.w);
		if (r < 0)
			fprintf(stderr, "glovebox: cannot read the mount table: %s\n",
				strerror(-r));
		where_env_close_held(req->where);
	}
	closep(&ch->mounts.w);
	TRACE_POINT("host mounts sent");
	/* network = user. On failure the command exits 125, as supervise()
	 * then says. */
	(void)pasta_start(pasta, p, pidfd, d);
	TRACE_POINT("pasta");
	if (term->mode == TERM_PTY_HOST)
		term_start(term, term->master);
}

/* Supervises the sandbox to its end: glovebox's status. */
static int supervise_sandbox(const struct launch_request *req, const struct policy *p, pid_t pid,
			     int pidfd, const struct channels *ch, struct term *term,
			     int *signal_out)
{
	struct supervisor s = {.pid = pid, .pidfd = pidfd, .status_fd = ch->status.r,
			       .report_fd = ch->report.r, .info_fd = req->info_fd,
			       .json_fd = req->status_fd, .term = term,
			       .timeout_ms = p->timeout_ms, .child_info = req->child_info,
			       .learner = req->learner};
	int code = supervise(&s);
	if (s.timed_out) {
		fprintf(stderr, "glovebox: the timeout (%.3g s) ended the sandbox\n",
			(double)p->timeout_ms / 1000);
		return 124; /* as timeout(1) */
	}
	*signal_out = s.signal;
	return code;
}

/* The cgroup's limits may have become rlimits (cgroup-fallback): the
 * sandbox's processes then start from a request with that policy. */
static void use_policy(const struct launch_request *req, const struct policy *p,
		       struct child_ctx *c, struct fallback_slot *slot)
{
	if (p == req->policy)
		return;
	slot->req = *req;
	slot->req.policy = p;
	c->req = &slot->req;
}

static int run_sandbox(const struct launch_request *req, struct child_ctx *c, struct term *term,
		       struct fallback_slot *slot, int *signal_out)
{
	const struct policy *p = req->policy;
	struct landlock_fence fence;
	_cleanup_close_ int ruleset = prepare_landlock(p, &fence);
	if (ruleset == -2)
		return 125;
	_cleanup_(pasta_stop) struct pasta pasta = {.sock = -1, .peer = -1};
	_cleanup_(dbusproxy_stop) struct dbusproxy proxy = {.ready = -1};
	struct diag d;
	diag_init(&d, stderr, "glovebox: ");
	if (pasta_prepare(&pasta, p, &d) < 0 || dbusproxy_start(&proxy, p, &d) < 0)
		return 125;
	_cleanup_(channels_close) struct channels ch = {-1, {-1, -1}, {-1, -1}, {-1, -1}};
	int r = channels_open(&ch, req->info_fd >= 0 || req->status_fd >= 0 ||
					   term->mode == TERM_PTY_SANDBOX || req->learner);
	if (r < 0) {
		fprintf(stderr, "glovebox: cannot prepare the sandbox: %s\n", strerror(-r));
		return 125;
	}
	child_ctx_init(c, req, &ch, &pasta, term, &fence, ruleset);
	uint64_t users[UCOUNT_KINDS];
	what_ucounts_resolve(p, users, c->ucounts);
	_cleanup_close_ int pidfd = -1;
	if (become_nobody(p, c) < 0)
		return 125;
	_cleanup_(sandbox_cgroup_end) struct sandbox_cgroup cg = {.fd = -1};
	if (sandbox_cgroup_start(&cg, p, &slot->policy, &p, &d) < 0)
		return 125;
	use_policy(req, p, c, slot);
	c->cgroup = cg.fd;
	_cleanup_(held_copy_close) struct held_copy held = {NULL, 0};
	pid_t pid = clone_sandbox(p, c, term, &ch.status, &pidfd, &held);
	if (pid < 0)
		return 125;
	if (pid == 0)
		sandbox_init(c);
	after_clone(req, &ch, term, &pasta, pidfd, c->shared, &held, &d);
	return supervise_sandbox(req, p, pid, pidfd, &ch, term, signal_out);
}

/* Ctrl-C ended the command: end glovebox by the same signal, so that a
 * shell loop or script around it stops, as it would for the program
 * itself (a shell that sees its child exit 130 goes on). */
static void die_like(int sig)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	signal(sig, SIG_DFL);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
}

int launch_run(const struct launch_request *req)
{
	struct child_ctx c = {.req = req, .uid = geteuid(), .gid = getegid()};
	struct diag d;
	diag_init(&d, stderr, "glovebox: ");

	/* What is certain to be refused stops here, before any set-up, with
	 * the words `glovebox check` uses. */
	const struct policy *p = req->policy;
	if (what_check_privileges(p, &d) < 0)
		return 125;
	sigset_t set;
	forward_set(&set);
	if (sigprocmask(SIG_BLOCK, &set, &c.orig_mask) < 0)
		return 125;
	struct term term;
	struct fallback_slot slot;
	int sig = 0;
	int status = term_prepare(&term, p, &d) < 0 ? 125 : run_sandbox(req, &c, &term, &slot, &sig);
	term_finish(&term);
	if (sig == SIGINT)
		die_like(sig);
	return status;
}
