/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The sandbox's pid 1: it maps the ids, builds the filesystem while the
 * command's process does its own share, says "go", and then stays behind
 * as the sandbox's init: it reaps, forwards signals and reports the
 * command's exit status once nothing else is left running. */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launch/internal.h"
#include "launch/rawsys.h"
#include "what/limits.h"
#include "what/ucounts.h"
#include "trace.h"
#include "where/held.h"
#include "where/namespaces.h"

struct init_state {
	pid_t command;
	int status_fd;
	int children_fd; /* without a pid namespace: /proc/thread-self/children */
	int proc_fd;     /* without one: the /proc that file is in (O_PATH) */
	int supervisor_fd; /* without a pid namespace: glovebox's pidfd */
	bool own_pidns;
	bool shared; /* one address space with the supervisor (shared.c) */
	bool report_stops; /* the command has a pty: its stops are glovebox's */
	enum background_mode background;
	bool command_done;
	int status;
	int signal; /* the signal that ended the command, or 0 */
	int *locks; /* --lock-file: descriptors holding the locks */
	size_t n_locks;
};

/* Without a pid namespace of its own, pid 1 is a subreaper: everything the
 * command leaves behind becomes its child, and it kills them, over and
 * over until none is left. The numbers are those of the host's /proc,
 * not always of pid 1's own pid namespace (bwrap's --pidns puts it in
 * another): each is signalled through its /proc directory, which names
 * the child itself, never by kill(2) with a number that could be a
 * stranger's in pid 1's namespace. An unreaped child keeps its number. */
static void kill_child(const struct init_state *st, long pid)
{
	char name[24];
	snprintf(name, sizeof(name), "%ld", pid);
	_cleanup_close_ int fd = openat(st->proc_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0)
		pidfd_send_signal(fd, SIGKILL, NULL, 0);
}

static void kill_children(const struct init_state *st)
{
	char buf[4096];
	ssize_t n = pread(st->children_fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return;
	buf[n] = '\0';
	for (char *p = buf, *end; *p; p = end) {
		long pid = strtol(p, &end, 10);
		if (end == p)
			break;
		if (pid > 0)
			kill_child(st, pid);
	}
}

static void kill_all(const struct init_state *st)
{
	for (;;) {
		if (st->own_pidns)
			(void)sys_kill(-1, SIGKILL); /* in a pid namespace: every process in it but us */
		else
			kill_children(st); /* never with one address space (shared.c) */
		if (sys_wait_any() == -ECHILD)
			break;
	}
}

/* How long pid 1 in the supervisor's address space waits, once it has
 * told the status, for the supervisor's end to end it (its death signal)
 * before it ends by itself. */
#define LINGER_MS 5000

/* End everything else in the sandbox (unless told to wait for it, and it
 * is all gone already), then tell the supervisor, which can return at once
 * instead of waiting for the kernel to tear the namespaces down.
 *
 * In one address space (shared.c) pid 1 then waits for the supervisor to
 * end first: whichever of the two ends last tears the address space down,
 * and that should not be the supervisor, whose end is what the caller
 * waits for. Nothing is left in the sandbox but pid 1 by then, and the
 * supervisor waits for nothing of it after the status (supervise.c).
 * Measured on the 2-CPU VM, idle, 60 launches under perf: the
 * supervisor's exit_group to its parent's wake-up 0.29 -> 0.06 ms; a
 * whole launch of /bin/true (interleaved, 300 rounds, medians) 9.77 ->
 * 9.09 ms as nobody, 9.70 -> 8.93 ms as root, pid 1's teardown of the
 * namespaces no longer before the supervisor's end either. */
_noreturn_ static void finish(const struct init_state *st)
{
	kill_all(st);
	/* Exit 130 is not SIGINT: the kind tells. */
	struct status_msg m = {st->signal ? STATUS_KILLED : STATUS_EXITED,
			       st->signal ? st->signal : st->status};
	long sent = sys_write(st->status_fd, &m, sizeof(m));
	if (st->shared && st->own_pidns && sent == (long)sizeof(m))
		(void)sys_poll(NULL, 0, LINGER_MS); /* the death signal ends it here */
	sys_exit(st->status);
}

/* Ctrl-Z in the pty stopped the command: the supervisor stops glovebox
 * too, so that the user's shell gets its terminal back. */
static void report_stop(const struct init_state *st)
{
	siginfo_t info = {0};
	if (st->command_done ||
	    sys_waitid(P_PID, (id_t)st->command, &info, WSTOPPED | WNOHANG) < 0 ||
	    info.si_pid != st->command)
		return;
	struct status_msg m = {STATUS_STOPPED, info.si_status};
	(void)sys_write(st->status_fd, &m, sizeof(m));
}

static void reap(struct init_state *st)
{
	if (st->report_stops)
		report_stop(st);
	for (;;) {
		siginfo_t info = {0};
		long r = sys_waitid(P_ALL, 0, &info, WEXITED | WNOHANG);
		if (r < 0) {
			if (r == -ECHILD && st->command_done)
				finish(st); /* background = wait: the last one is gone */
			return;
		}
		if (info.si_pid == 0)
			return;
		if (info.si_pid == st->command) {
			if (!st->shared)
				TRACE_POINT("command exited");
			st->command_done = true;
			st->status = exit_code(info.si_code, info.si_status);
			st->signal = exit_signal(info.si_code, info.si_status);
			if (st->background == BACKGROUND_KILL)
				finish(st);
		}
	}
}

static int cmp_fd(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Closes every descriptor from 3 up but the n in keep (-1: none), one
 * close_range(2) per gap: a close(2) for each number up to 64 was 60
 * system calls, about 60 µs of a launch's CPU time on a busy VM (perf
 * trace: 10 µs each, 56 of them failing with EBADF). */
static void close_all_but(int *keep, size_t n)
{
	qsort(keep, n, sizeof(*keep), cmp_fd);
	unsigned from = 3;
	for (size_t i = 0; i < n; i++) {
		if (keep[i] < (int)from)
			continue;
		if ((unsigned)keep[i] > from)
			syscall(SYS_close_range, from, (unsigned)keep[i] - 1, 0);
		from = (unsigned)keep[i] + 1;
	}
	syscall(SYS_close_range, from, ~0U, 0);
}

/* bwrap's --lock-file: a read lock on each file, held by pid 1 for the
 * sandbox's life (others learn from it that the file is in use). Opened in
 * the new root. */
static int take_locks(const struct launch_request *req, struct init_state *st, struct diag *d)
{
	for (size_t i = 0; i < req->n_lock_files; i++) {
		const char *path = req->lock_files[i];
		_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
		struct flock lock = {.l_type = F_RDLCK, .l_whence = SEEK_SET};
		if (fd < 0 || fcntl(fd, F_SETLK, &lock) < 0)
			return diag_error(d, NULL, "cannot lock %s: %s", path, strerror(errno));
		*APPEND(st->locks, st->n_locks) = steal_fd(&fd);
	}
	return 0;
}

/* Keep nothing the command could reach through /proc/1/fd, and make
 * pid 1 impossible to ptrace from inside. */
static void seal_loop(const struct init_state *st, int sfd, int handover_fd)
{
	int own[] = {sfd, st->status_fd, st->children_fd, st->proc_fd, st->supervisor_fd,
		     handover_fd};
	if (!st->n_locks) {
		/* no allocation: sharing the supervisor's memory (shared.c),
		 * after a vfork child that may have died in malloc */
		close_all_but(own, ELEMENTSOF(own));
	} else {
		size_t n_keep = ELEMENTSOF(own) + st->n_locks;
		int *keep = xcalloc(n_keep, sizeof(*keep));
		memcpy(keep, own, sizeof(own));
		memcpy(keep + ELEMENTSOF(own), st->locks, st->n_locks * sizeof(*keep));
		close_all_but(keep, n_keep);
		free(keep);
	}
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/* pid 1 of the sandbox once the command runs: reap everything, pass
 * signals on, and leave with the command's status. Its system calls
 * leave errno alone (rawsys.h): in one address space (shared.c) the
 * supervisor runs beside this loop from the hand-over on. */
_noreturn_ static void init_loop(struct init_state *st, int handover_fd)
{
	sigset_t set;
	forward_set(&set);
	sigaddset(&set, SIGCHLD);
	int sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sfd < 0) {
		kill(st->command, SIGKILL);
		_exit(125);
	}
	seal_loop(st, sfd, handover_fd);
	/* The last of glibc: nothing after it touches the heap, stdio or
	 * errno, and pid 1 no longer gives its pages back (footprint.c: the
	 * supervisor's are the same). */
	struct footprint fp = {.dropped = handover_fd >= 0};
	shared_hand_over(handover_fd, st->command);

	struct pollfd pfds[2] = {{.fd = sfd, .events = POLLIN},
				 {.fd = st->supervisor_fd, .events = POLLIN}};
	for (;;) {
		long ready = sys_poll(pfds, 2, footprint_wait_ms(&fp, -1));
		if (ready == -EINTR)
			continue;
		if (ready < 0) {
			(void)sys_kill(st->command, SIGKILL);
			sys_exit(125);
		}
		if (ready == 0) {
			footprint_idle(&fp);
			continue;
		}
		if (pfds[1].revents) {
			/* glovebox is gone: so is everything it started */
			kill_all(st);
			sys_exit(125);
		}
		struct signalfd_siginfo si = {0}; /* the analyzer cannot see the raw read fill it */
		long n = sys_read(sfd, &si, sizeof(si));
		if (n == -EINTR)
			continue;
		if (n != sizeof(si)) {
			(void)sys_kill(st->command, SIGKILL);
			sys_exit(125);
		}
		if (si.ssi_signo == SIGCHLD) {
			reap(st);
			continue;
		}
		if (!sent_by_process(si.ssi_code))
			continue;
		if (st->command_done) {
			if (si.ssi_signo != SIGCONT && si.ssi_signo != SIGWINCH)
				finish(st); /* asked to stop waiting for the background */
			continue;
		}
		(void)sys_kill(st->command, (int)si.ssi_signo);
		/* fg after Ctrl-Z: the whole stopped job continues */
		if (si.ssi_signo == SIGCONT && st->report_stops)
			(void)sys_kill(-st->command, SIGCONT);
	}
}

/* vm.memfd_noexec = 2 in the sandbox's pid namespace (Linux 6.3+): a memfd
 * is then sealed non-executable unless made with MFD_EXEC, which is
 * refused, so a payload written into a memfd cannot be run (execveat or
 * /proc/self/fd/N), while programs that map memfds keep working. The
 * sysctl is per pid namespace and inherited by nested ones; writing it
 * takes the host's root (its owner) with CAP_SYS_ADMIN over the pid
 * namespace, so only a sandbox that root starts can have it, and a command
 * that keeps no capabilities cannot lower it. memfd-exec = yes leaves it. */
static int refuse_exec_memfds(const struct policy *p, uid_t outer_uid, struct diag *d)
{
	if (outer_uid != 0 || !(p->unshare & CLONE_NEWPID) ||
	    (p->memfd_exec_s.set && p->memfd_exec))
		return 0;
	_cleanup_close_ int fd = open("/proc/sys/vm/memfd_noexec", O_WRONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return 0; /* before Linux 6.3 no memfd is sealed: memfd-exec = no's seccomp rule */
	if (fd < 0 || write(fd, "2", 1) != 1)
		return diag_error(d, NULL, "cannot refuse executable memfds (vm.memfd_noexec): %s",
				  strerror(errno));
	return 0;
}

/* Returns the supervisor's pidfd when pid 1 must watch it (no pid
 * namespace), else -1. */
static int tie_to_supervisor(struct child_ctx *c, bool own_pidns)
{
	/* A session of the sandbox's own, out of the user's: no terminal signal
	 * reaches the sandbox but what glovebox passes on, and none of its
	 * processes can take the user's terminal as its controlling terminal.
	 * With a pty, pid 1 leads the session (term_open). */
	if (term_own_session(c->term) && setsid() < 0)
		_exit(125);
	/* Die with glovebox. The pidfd check closes the window in which the
	 * supervisor died before the death signal was armed (getppid() is of no
	 * use here: the parent lives outside our pid namespace); the kernel then
	 * kills the whole pid namespace. Without one, pid 1 (a subreaper) must
	 * outlive glovebox long enough to kill what the command started: it
	 * watches glovebox's pidfd instead, and the command's process arms
	 * its own death signal. */
	if (supervisor_gone(c->supervisor_pidfd) ||
	    (own_pidns && prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0))
		_exit(125);
	int supervisor_fd = own_pidns ? -1 : steal_fd(&c->supervisor_pidfd);
	closep(&c->supervisor_pidfd);
	return supervisor_fd;
}

/* Without a pid namespace of its own, pid 1 finds what the command
 * leaves behind as a subreaper. */
static void track_processes(struct init_state *st, struct diag *d)
{
	if (st->own_pidns)
		return;
	/* Opened while the host's /proc is still there. */
	st->children_fd = open("/proc/thread-self/children", O_RDONLY | O_CLOEXEC);
	st->proc_fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0 || st->children_fd < 0 ||
	    st->proc_fd < 0) {
		diag_error(d, NULL, "cannot track the sandbox's processes: %s", strerror(errno));
		_exit(125);
	}
}

/* The command's process starts at once: what it does before "go" needs
 * the user namespace's capabilities, not mapped ids. With a pty (late) it
 * starts once pid 1 holds the pty, whose controlling terminal it takes at
 * fork; as pid 1 itself with as-pid-1; serially (serial.c) once the
 * filesystem is built, with no "go" to wait for. Returns its pid, 0 when
 * it starts later. */
static pid_t start_early(struct child_ctx *c, struct fd_pair *go, struct fd_pair *net, bool late,
			 bool serial, bool own_pidns, struct diag *d)
{
	/* Blocked before the fork, so that a command that exits at once still
	 * leaves a SIGCHLD for init_loop's signalfd. */
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	c->init_pidfd = -1;
	if (!own_pidns)
		c->init_pidfd = pidfd_open(getpid(), 0);
	if (serial)
		return 0;
	bool own_net = !c->fallback && c->req->policy->network != NET_HOST;
	if (open_pipe(go) < 0 || (own_net && open_pipe(net) < 0)) {
		diag_error(d, NULL, "pipe: %s", strerror(errno));
		_exit(125);
	}
	return late ? 0 : start_command(c, go, net, true, d);
}

/* The pid namespace's process limit; started: the command's process
 * exists already. Started later (serially, or with a pty), it is still
 * pid 2: it moves the next pid past the reserved ones itself. */
static int limit_pids(struct child_ctx *c, bool started, bool later, struct diag *d)
{
	return c->serial || later ? what_limit_pid_namespace_later(c->req->policy, &c->last_pid, d)
				  : what_limit_pid_namespace(c->req->policy, started, d);
}

/* pid 1's own share, while the command's process does its own: the pid
 * namespace's and user namespace's limits, the id maps, the new root. */
static void build_sandbox(struct child_ctx *c, struct init_state *st, bool late, bool as_pid_1,
			  struct diag *d)
{
	const struct launch_request *req = c->req;
	/* While the host's /proc/sys is still there: the new root hides it.
	 * Never without a pid namespace: pid_max would be the host's. With
	 * as-pid-1 the command has its pid already: 1. */
	if (!c->fallback && (limit_pids(c, !late || as_pid_1, late && !as_pid_1, d) < 0 ||
			     what_limit_ucounts(req->policy, c->ucounts, d) < 0))
		_exit(125);
	if (!c->fallback && (map_or_await_ids(c, d) < 0 ||
			     refuse_exec_memfds(req->policy, c->uid, d) < 0))
		_exit(125);
	TRACE_POINT("id maps");
	track_processes(st, d);
	int built = c->fallback ? where_landlock_host_rules(req->policy, req->where, c->mounts_fd,
							     &c->fence, c->ruleset, d)
				: where_build_root(req->policy, req->where, c->mounts_fd, &c->fence,
						   c->ruleset, d);
	closep(&c->mounts_fd);
	if (built < 0 || take_locks(req, st, d) < 0)
		_exit(125); /* the command sees end of file on go, and exits */
	TRACE_POINT("mounts");
}

/* Before the command can run, not after: no way to the host through
 * /proc/1/fd (the held bind sources are host directories) and no ptrace
 * of pid 1. init_loop closes the rest. */
static void seal(const struct child_ctx *c, const struct init_state *st)
{
	if (!st->own_pidns && supervisor_gone(st->supervisor_fd))
		_exit(125); /* the command never starts (parallel: sees end of file) */
	where_env_close_held(c->req->where);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/* The filesystem is ready: pid 1 joins the command's network namespace
 * and lets the command go. */
static void release_command(struct child_ctx *c, const struct init_state *st,
			    struct fd_pair *go, struct fd_pair *net, struct diag *d)
{
	if (net->r >= 0) {
		if (where_join_net(c->req->policy, st->command, net->r, d) < 0)
			_exit(125);
		closep(&net->r);
		TRACE_POINT("net joined");
	}
	seal(c, st);
	(void)!write(go->w, "1", 1);
	closep(&go->w);
}

/* Serial (serial.c): the filesystem is ready; pid 1 makes the network
 * namespace the command will run in and seals itself before the command's
 * process exists. */
static pid_t start_serially(struct child_ctx *c, const struct init_state *st, struct diag *d)
{
	if (where_setup_net_uts(c->req->policy, d) < 0)
		_exit(125);
	TRACE_POINT("net uts");
	seal(c, st);
	return start_command_serially(c, d);
}

_noreturn_ void sandbox_init(struct child_ctx *c)
{
	const struct launch_request *req = c->req;
	struct diag d;
	diag_init(&d, stderr, "glovebox: ");

	TRACE_POINT("pid 1");
	closep(&c->mounts_wfd);
	/* Root that became nobody left the process undumpable, and its /proc
	 * files root's: pid 1 could not write its own id maps. It makes
	 * itself undumpable again before the command runs (release_command;
	 * with as-pid-1, pid 1 becomes the command). */
	if (req->policy->host_user == HOST_USER_NOBODY && prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)
		_exit(125);
	bool own_pidns = !c->fallback && (req->policy->unshare & CLONE_NEWPID) != 0;
	bool as_pid_1 = req->policy->as_pid_1;
	if (as_pid_1 && !own_pidns) {
		diag_error(&d, &req->policy->as_pid_1_s.origin,
			   "as-pid-1 needs a pid namespace, and fallback = landlock has none");
		_exit(125);
	}
	struct init_state st = {
		.status_fd = c->status_fd,
		.children_fd = -1,
		.proc_fd = -1,
		.supervisor_fd = tie_to_supervisor(c, own_pidns),
		.own_pidns = own_pidns,
		.shared = c->shared,
		.report_stops = term_relays(c->term),
		.background = req->policy->background,
	};
	struct fd_pair go = {-1, -1}, net = {-1, -1};
	bool late = term_relays(c->term) || as_pid_1;
	c->last_pid = -1;
	st.command = start_early(c, &go, &net, late, c->serial, own_pidns, &d);
	build_sandbox(c, &st, late, as_pid_1, &d);
	if (as_pid_1)
		exec_as_pid_1(c, &go, &net, &d);
	if (c->serial) {
		st.command = start_serially(c, &st, &d);
	} else {
		if (late) {
			st.command = start_command_with_pty(c, &go, &net, &d);
			closep(&c->last_pid); /* the command's process wrote it */
		}
		release_command(c, &st, &go, &net, &d);
	}
	init_loop(&st, c->shared ? c->handover_fd : -1);
}
