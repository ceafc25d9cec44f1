/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "launch/launch.h"

#include <fcntl.h>
#include <limits.h>
#include <linux/close_range.h>
#include <linux/sched.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <stdarg.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "env/environ.h"
#include "launch/terminal.h"
#include "trace.h"
#include "what/identity.h"
#include "what/limits.h"
#include "where/landlock.h"
#include "where/namespaces.h"

/* Signals that glovebox passes on. Job-control stops (SIGTSTP, SIGTTIN,
 * SIGTTOU) are left alone so that the shell sees glovebox stop with the
 * command. */
static const int forwarded[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM,
				SIGWINCH, SIGCONT};

static void forward_set(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < ELEMENTSOF(forwarded); i++)
		sigaddset(set, forwarded[i]);
}

/* A signal that a process sent (kill, sigqueue) is passed on. One the
 * kernel sent on behalf of the terminal (Ctrl-C) already reached the whole
 * foreground process group, the command included: passing it on would
 * deliver it twice. */
static bool sent_by_process(int32_t code)
{
	return code <= 0;
}

static int exit_code(int code, int status)
{
	if (code == CLD_EXITED)
		return status;
	return 128 + status;
}

/* The signal that ended a process, or 0 when it exited. */
static int exit_signal(int code, int status)
{
	return code == CLD_KILLED || code == CLD_DUMPED ? status : 0;
}

static bool supervisor_gone(int pidfd)
{
	struct pollfd pfd = {.fd = pidfd, .events = POLLIN};
	return pidfd < 0 || poll(&pfd, 1, 0) != 0;
}

struct child_ctx {
	const struct launch_request *req;
	uid_t uid;
	gid_t gid;
	sigset_t orig_mask;
	int supervisor_pidfd;
	int status_fd; /* pid 1 writes the command's exit status here */
	int go_fd;     /* the command reads: the filesystem is ready */
	int mounts_fd; /* pid 1 reads: the host's proc and sysfs mount points */
	int mounts_wfd; /* the supervisor's end of it */
	int init_pidfd; /* without a pid namespace: the command dies with pid 1 */
	cpu_set_t cpus;  /* the CPUs glovebox may use, given back before exec */
	bool moved;      /* the command's process was moved off pid 1's CPU */
	int report_fd;  /* the command sends its pid (and a pty's master) here */
	int net_fd;     /* the command writes a byte once its network namespace exists */
	struct term *term;
	int pty_peer;   /* the command's end of the pty, when there is one */
};

/* A pipe whose ends close when it goes out of scope. */
struct fd_pair {
	int r, w;
};

static void fd_pair_close(struct fd_pair *p)
{
	closep(&p->r);
	closep(&p->w);
}

#define _cleanup_pair_ _cleanup_(fd_pair_close)

static int open_pipe(struct fd_pair *p)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	*p = (struct fd_pair){fds[0], fds[1]};
	return 0;
}

/* What pid 1 tells the supervisor about the command. */
enum status_kind { STATUS_EXITED, STATUS_KILLED, STATUS_STOPPED };

struct status_msg {
	int32_t kind;  /* enum status_kind */
	int32_t value; /* the exit status, or the signal */
};

/* The command tells the supervisor its pid ('p') as SCM_CREDENTIALS: the
 * kernel translates it into the receiver's pid namespace, so the
 * supervisor gets the pid it can see, race-free. pid 1 hands over the
 * pty's master ('m') the same way, as SCM_RIGHTS. */
static int send_report(int fd, char byte, int master)
{
	struct ucred cred = {.pid = getpid(), .uid = getuid(), .gid = getgid()};
	char cbuf[CMSG_SPACE(sizeof(cred)) + CMSG_SPACE(sizeof(int))] = {0};
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = CMSG_SPACE(sizeof(cred))};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_CREDENTIALS;
	c->cmsg_len = CMSG_LEN(sizeof(cred));
	memcpy(CMSG_DATA(c), &cred, sizeof(cred));
	if (master >= 0) {
		msg.msg_controllen += CMSG_SPACE(sizeof(int));
		c = CMSG_NXTHDR(&msg, c);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &master, sizeof(int));
	}
	return sendmsg(fd, &msg, MSG_NOSIGNAL) < 0 ? -errno : 0;
}

/* One report: its kind ('p' or 'm', 0 at the end), the sender's pid as
 * the supervisor sees it in *pid, a descriptor in *master (-1 when none
 * came). */
static char receive_report(int fd, pid_t *pid, int *master)
{
	struct ucred cred;
	char cbuf[CMSG_SPACE(sizeof(cred)) + CMSG_SPACE(sizeof(int))];
	char byte = 0;
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf)};
	*pid = -1;
	*master = -1;
	if (recvmsg(fd, &msg, MSG_CMSG_CLOEXEC) <= 0)
		return 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS) {
			memcpy(&cred, CMSG_DATA(c), sizeof(cred));
			*pid = cred.pid;
		} else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
			   c->cmsg_len == CMSG_LEN(sizeof(int))) {
			memcpy(master, CMSG_DATA(c), sizeof(int));
		}
	}
	return byte;
}

/* The command could not be run: say why, as a shell would, and end with
 * its status. After the seccomp filter is loaded only exiting is sure to
 * be allowed, so the message is one write(2), made only when the policy
 * cannot kill the process for it (an errno answer just loses it). */
_noreturn_ static void exec_failed(const struct policy *p, const char *name, int err,
				   bool searched, bool filtered)
{
	size_t w = (size_t)syscall_lookup("write");
	if (!filtered || !how_call_may_kill(p, w)) {
		char msg[512];
		int n = snprintf(msg, sizeof(msg), "glovebox: %s: %s\n", name,
				 err == ENOENT && searched ? "command not found" : strerror(err));
		if (n >= (int)sizeof(msg))
			n = (int)sizeof(msg) - 1;
		if (n > 0)
			(void)!write(STDERR_FILENO, msg, (size_t)n);
	}
	_exit(err == ENOENT ? 127 : 126);
}

/* The command's own process. It starts at once and does its share of the
 * set-up on the other CPU while pid 1 maps the ids and builds the
 * filesystem: its network namespace (the costliest namespace to create),
 * host name, loopback, capabilities, limits and environment. Then it
 * waits for the filesystem, and ends with seccomp and exec. */
_noreturn_ static void run_command(const struct child_ctx *c)
{
	const struct policy *p = c->req->policy;
	struct diag d;
	diag_init(&d, stderr, "glovebox: ");

	TRACE_POINT("command");
	if (!(p->unshare & CLONE_NEWPID) &&
	    (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || supervisor_gone(c->init_pidfd)))
		_exit(125);
	if (sigprocmask(SIG_SETMASK, &c->orig_mask, NULL) < 0)
		_exit(125);
	if (where_setup_net_uts(p, &d) < 0)
		_exit(125);
	/* pid 1 joins the network namespace now (where_join_net) */
	if (c->net_fd >= 0 && (write(c->net_fd, "n", 1) != 1 || close(c->net_fd) < 0))
		_exit(125);
	TRACE_POINT("net uts");
	if (what_apply_caps(p, &d) < 0 || what_apply_rlimits(p, &d) < 0 ||
	    what_limit_nproc(p, &d) < 0)
		_exit(125);
	struct strv env;
	env_build(p, environ, &env);
	TRACE_POINT("caps env");

	/* pid 1 says "go" once the new root is in place; end of file means it
	 * failed and has reported why. */
	char go;
	ssize_t n;
	while ((n = read(c->go_fd, &go, 1)) < 0 && errno == EINTR)
		;
	if (n != 1)
		_exit(125);
	TRACE_POINT("go");
	if (c->moved && sched_setaffinity(0, sizeof(c->cpus), &c->cpus) < 0) {
		diag_error(&d, NULL, "cannot restore the CPU affinity: %s", strerror(errno));
		_exit(125);
	}
	if (where_enter_workdir(p, c->req->where, &d) < 0)
		_exit(125);
	if (term_enter(c->term, c->pty_peer, &d) < 0)
		_exit(125);
	if (c->report_fd >= 0 && send_report(c->report_fd, 'p', -1) < 0)
		_exit(125);
	/* Found in the sandbox's own filesystem and PATH, before the filter:
	 * "not found" and "not executable" are reported while writing is
	 * surely allowed. */
	const char *name = p->argv.v[0];
	/* Escaped now: after the filter, allocating may not be allowed. A
	 * file name with ESC in it must not drive the user's terminal. */
	_cleanup_free_ char *shown = text_escape(name);
	char *file;
	int r = env_find_command(name, env.v, &file);
	if (r < 0)
		exec_failed(p, shown, -r, !strchr(name, '/'), false);

	/* Only 0, 1 and 2 reach the command: whatever else the launcher had
	 * open (a descriptor on a host directory would be a way out) closes at
	 * exec. */
	if (syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC) < 0) {
		diag_error(&d, NULL, "cannot close stray descriptors: %s", strerror(errno));
		_exit(125);
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		diag_error(&d, NULL, "cannot set no_new_privs: %s", strerror(errno));
		_exit(125);
	}
	if (where_apply_landlock(p, &d) < 0)
		_exit(125);
	r = how_load(c->req->how);
	if (r < 0) {
		diag_error(&d, NULL, "cannot load the seccomp filter: %s", strerror(-r));
		_exit(125);
	}
	TRACE_POINT("seccomp loaded");
	/* file holds a '/': no second search. A script without #! runs under
	 * /bin/sh, as execvp does. */
	execvpe(file, p->argv.v, env.v);
	exec_failed(p, shown, errno, false, true);
}

struct init_state {
	pid_t command;
	int status_fd;
	int children_fd; /* without a pid namespace: /proc/thread-self/children */
	int supervisor_fd; /* without a pid namespace: glovebox's pidfd */
	bool own_pidns;
	bool report_stops; /* the command has a pty: its stops are glovebox's */
	enum background_mode background;
	bool command_done;
	int status;
	int signal; /* the signal that ended the command, or 0 */
};

/* Without a pid namespace of its own, pid 1 is a subreaper: everything the
 * command leaves behind becomes its child, and it kills them by pid, over
 * and over until none is left. */
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
			kill((pid_t)pid, SIGKILL);
	}
}

static void kill_all(const struct init_state *st)
{
	for (;;) {
		if (st->own_pidns)
			kill(-1, SIGKILL); /* in a pid namespace: every process in it but us */
		else
			kill_children(st);
		pid_t r = waitpid(-1, NULL, __WALL);
		if (r < 0 && errno == ECHILD)
			break;
	}
}

/* End everything else in the sandbox (unless told to wait for it, and it
 * is all gone already), then tell the supervisor, which can return at once
 * instead of waiting for the kernel to tear the namespaces down. */
_noreturn_ static void finish(const struct init_state *st)
{
	kill_all(st);
	/* Exit 130 is not SIGINT: the kind tells. */
	struct status_msg m = {st->signal ? STATUS_KILLED : STATUS_EXITED,
			       st->signal ? st->signal : st->status};
	(void)!write(st->status_fd, &m, sizeof(m));
	_exit(st->status);
}

/* Ctrl-Z in the pty stopped the command: the supervisor stops glovebox
 * too, so that the user's shell gets its terminal back. */
static void report_stop(const struct init_state *st)
{
	siginfo_t info = {0};
	if (st->command_done || waitid(P_PID, (id_t)st->command, &info, WSTOPPED | WNOHANG) < 0 ||
	    info.si_pid != st->command)
		return;
	struct status_msg m = {STATUS_STOPPED, info.si_status};
	(void)!write(st->status_fd, &m, sizeof(m));
}

static void reap(struct init_state *st)
{
	if (st->report_stops)
		report_stop(st);
	for (;;) {
		siginfo_t info = {0};
		if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG) < 0) {
			if (errno == ECHILD && st->command_done)
				finish(st); /* background = wait: the last one is gone */
			return;
		}
		if (info.si_pid == 0)
			return;
		if (info.si_pid == st->command) {
			TRACE_POINT("command exited");
			st->command_done = true;
			st->status = exit_code(info.si_code, info.si_status);
			st->signal = exit_signal(info.si_code, info.si_status);
			if (st->background == BACKGROUND_KILL)
				finish(st);
		}
	}
}

/* pid 1 of the sandbox once the command runs: reap everything, pass
 * signals on, and leave with the command's status. */
_noreturn_ static void init_loop(struct init_state *st)
{
	sigset_t set;
	forward_set(&set);
	sigaddset(&set, SIGCHLD);
	int sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sfd < 0) {
		kill(st->command, SIGKILL);
		_exit(125);
	}
	/* Keep nothing the command could reach through /proc/1/fd, and make
	 * pid 1 impossible to ptrace from inside. */
	for (int fd = 3; fd < 64; fd++)
		if (fd != sfd && fd != st->status_fd && fd != st->children_fd &&
		    fd != st->supervisor_fd)
			close(fd);
	syscall(SYS_close_range, 64, ~0U, 0);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

	struct pollfd pfds[2] = {{.fd = sfd, .events = POLLIN},
				 {.fd = st->supervisor_fd, .events = POLLIN}};
	for (;;) {
		if (poll(pfds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			kill(st->command, SIGKILL);
			_exit(125);
		}
		if (pfds[1].revents) {
			/* glovebox is gone: so is everything it started */
			kill_all(st);
			_exit(125);
		}
		struct signalfd_siginfo si;
		ssize_t n = read(sfd, &si, sizeof(si));
		if (n != sizeof(si)) {
			if (n < 0 && errno == EINTR)
				continue;
			kill(st->command, SIGKILL);
			_exit(125);
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
		kill(st->command, (int)si.ssi_signo);
		/* fg after Ctrl-Z: the whole stopped job continues */
		if (si.ssi_signo == SIGCONT && st->report_stops)
			kill(-st->command, SIGCONT);
	}
}

/* Fork the command's process. In parallel with pid 1's set-up, it is
 * kept off pid 1's CPU, or the scheduler may queue it behind pid 1 for the
 * whole set-up; it takes the CPUs glovebox had back before exec. */
static pid_t start_command(struct child_ctx *c, struct fd_pair *go, struct fd_pair *net,
			   bool parallel, struct diag *d)
{
	int cpu = parallel ? sched_getcpu() : -1;
	c->moved = cpu >= 0 && sched_getaffinity(0, sizeof(c->cpus), &c->cpus) == 0 &&
		   CPU_COUNT(&c->cpus) > 1 && CPU_ISSET(cpu, &c->cpus);
	pid_t pid = fork();
	if (pid < 0) {
		diag_error(d, NULL, "cannot start the command: %s", strerror(errno));
		_exit(125);
	}
	if (pid == 0) {
		closep(&go->w);
		closep(&net->r);
		closep(&c->mounts_fd);
		c->go_fd = go->r;
		c->net_fd = net->w;
		run_command(c);
	}
	closep(&go->r);
	closep(&net->w);
	if (c->moved) {
		cpu_set_t others = c->cpus;
		CPU_CLR(cpu, &others);
		(void)sched_setaffinity(pid, sizeof(others), &others);
	}
	return pid;
}

/* With a pty: pid 1 takes it as its controlling terminal first, the
 * command's process inherits it, and is put in its foreground. */
static pid_t start_command_with_pty(struct child_ctx *c, struct fd_pair *go, struct fd_pair *net,
				    struct diag *d)
{
	_cleanup_close_ int master = -1, peer = -1;
	if (term_open(c->term, &master, &peer, d) < 0)
		_exit(125);
	c->pty_peer = peer;
	pid_t pid = start_command(c, go, net, false, d);
	if (term_foreground(peer, pid, d) < 0 ||
	    (master >= 0 && send_report(c->report_fd, 'm', master) < 0))
		_exit(125);
	TRACE_POINT("pty");
	return pid;
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

_noreturn_ static void sandbox_init(struct child_ctx *c)
{
	const struct launch_request *req = c->req;
	struct diag d;
	diag_init(&d, stderr, "glovebox: ");

	TRACE_POINT("pid 1");
	close(c->mounts_wfd);
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
	bool own_pidns = (req->policy->unshare & CLONE_NEWPID) != 0;
	if (supervisor_gone(c->supervisor_pidfd) ||
	    (own_pidns && prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0))
		_exit(125);
	int supervisor_fd = -1;
	if (own_pidns)
		close(c->supervisor_pidfd);
	else
		supervisor_fd = c->supervisor_pidfd;

	/* Blocked before the fork, so that a command that exits at once still
	 * leaves a SIGCHLD for init_loop's signalfd. */
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);

	/* The command's process starts at once: what it does before "go"
	 * needs the user namespace's capabilities, not mapped ids. With a pty
	 * it starts once pid 1 holds the pty, whose controlling terminal it
	 * takes at fork. */
	c->init_pidfd = -1;
	if (!(req->policy->unshare & CLONE_NEWPID))
		c->init_pidfd = pidfd_open(getpid(), 0);
	struct fd_pair go = {-1, -1}, net = {-1, -1};
	if (open_pipe(&go) < 0 || (req->policy->network == NET_NONE && open_pipe(&net) < 0)) {
		diag_error(&d, NULL, "pipe: %s", strerror(errno));
		_exit(125);
	}
	bool late = term_relays(c->term);
	pid_t pid = late ? 0 : start_command(c, &go, &net, true, &d);
	/* While the host's /proc/sys is still there: the new root hides it. */
	if (what_limit_pid_namespace(req->policy, !late, &d) < 0)
		_exit(125);

	if (where_map_ids(req->policy, c->uid, c->gid, &d) < 0 ||
	    refuse_exec_memfds(req->policy, c->uid, &d) < 0)
		_exit(125);
	TRACE_POINT("id maps");
	struct init_state st = {
		.status_fd = c->status_fd,
		.children_fd = -1,
		.supervisor_fd = supervisor_fd,
		.own_pidns = own_pidns,
		.report_stops = term_relays(c->term),
		.background = req->policy->background,
	};
	if (!st.own_pidns) {
		/* Opened while the host's /proc is still there. */
		st.children_fd = open("/proc/thread-self/children", O_RDONLY | O_CLOEXEC);
		if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0 || st.children_fd < 0) {
			diag_error(&d, NULL, "cannot track the sandbox's processes: %s",
				   strerror(errno));
			_exit(125);
		}
	}

	int built = where_build_root(req->policy, req->where, c->mounts_fd, &d);
	closep(&c->mounts_fd);
	if (built < 0)
		_exit(125); /* the command sees end of file on go, and exits */
	TRACE_POINT("mounts");
	if (late)
		pid = start_command_with_pty(c, &go, &net, &d);
	st.command = pid;
	if (req->policy->network == NET_NONE) {
		if (where_join_net(req->policy, pid, net.r, &d) < 0)
			_exit(125);
		closep(&net.r);
		TRACE_POINT("net joined");
	}
	if (!own_pidns && supervisor_gone(supervisor_fd))
		_exit(125); /* the command sees end of file, and never starts */
	(void)!write(go.w, "1", 1);
	closep(&go.w);
	init_loop(&st);
}

static void write_json(int fd, const char *fmt, ...) _printf_(2, 3);
static void write_json(int fd, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0 && (size_t)n < sizeof(buf))
		(void)write_all(fd, buf, (size_t)n);
}

struct supervisor {
	pid_t pid;
	int pidfd;
	int status_fd; /* pid 1's report */
	int report_fd; /* the command's pid and pty, when asked for */
	int info_fd, json_fd;
	struct term *term;
	int signal; /* the signal that ended the command, once known */
	uint64_t timeout_ms;
	bool timed_out;
};

static int report_exit(struct supervisor *s, int code, int sig)
{
	s->signal = sig;
	if (s->json_fd >= 0) {
		if (sig)
			write_json(s->json_fd, "{\"exit-code\": %d, \"exit-signal\": %d}\n", code,
				   sig);
		else
			write_json(s->json_fd, "{\"exit-code\": %d}\n", code);
	}
	return code;
}

/* The command's process reported its pid, and the pty when it made one. */
static bool on_report(struct supervisor *s)
{
	int master;
	pid_t child;
	char kind = receive_report(s->report_fd, &child, &master);
	if (kind == 'm' && master >= 0)
		term_start(s->term, master);
	else
		closep(&master);
	if (kind != 'p')
		return kind != 0;
	if (child > 0 && s->info_fd >= 0 && s->info_fd != s->json_fd)
		write_json(s->info_fd, "{\"child-pid\": %d}\n", (int)child);
	if (child > 0 && s->json_fd >= 0)
		write_json(s->json_fd, "{\"child-pid\": %d}\n", (int)child);
	/* closed, so that its reader sees the end; unless the exit status is
	 * still to come on it */
	if (s->info_fd >= 0 && s->info_fd != s->json_fd)
		close(s->info_fd);
	s->info_fd = -1;
	return true;
}

/* A signal for glovebox. With the sandbox in a session of its own, every
 * one is passed on, the terminal's too (Ctrl-C when no descriptor is the
 * terminal); sharing the terminal, one the kernel sent on the terminal's
 * behalf already reached the command with the foreground process group. */
static void on_signal(const struct supervisor *s, int sfd)
{
	struct signalfd_siginfo si;
	if (read(sfd, &si, sizeof(si)) != sizeof(si))
		return;
	if (si.ssi_signo == SIGWINCH && term_relays(s->term)) {
		term_resize(s->term);
		return;
	}
	if (term_own_session(s->term) || sent_by_process(si.ssi_code))
		pidfd_send_signal(s->pidfd, (int)si.ssi_signo, NULL, 0);
}

enum { PFD_STATUS, PFD_PIDFD, PFD_SIGNALS, PFD_REPORT, PFD_TIMER, PFD_PTY, PFD_INPUT, PFD_COUNT };

/* How long a sandbox asked to end (timeout) has before it is killed. */
#define TIMEOUT_GRACE_MS 5000

static int arm_timer(uint64_t ms)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	struct itimerspec when = {.it_value = {.tv_sec = (time_t)(ms / 1000),
					       .tv_nsec = (long)(ms % 1000) * 1000000}};
	if (fd >= 0 && timerfd_settime(fd, 0, &when, NULL) < 0)
		closep(&fd);
	return fd;
}

/* timeout: first SIGTERM, passed on to the command as any signal to
 * glovebox is (pid 1 ends what is left once it exits, or at once when it
 * already has); then SIGKILL to pid 1, which ends its pid namespace with
 * everything in it. */
static void on_timer(struct supervisor *s, int *timer)
{
	uint64_t expirations;
	(void)!read(*timer, &expirations, sizeof(expirations));
	closep(timer);
	if (!s->timed_out) {
		s->timed_out = true;
		pidfd_send_signal(s->pidfd, SIGTERM, NULL, 0);
		*timer = arm_timer(TIMEOUT_GRACE_MS);
	} else {
		pidfd_send_signal(s->pidfd, SIGKILL, NULL, 0);
	}
}

static int supervise(struct supervisor *s)
{
	sigset_t set;
	forward_set(&set);
	_cleanup_close_ int sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sfd < 0) {
		fprintf(stderr, "glovebox: signalfd: %s\n", strerror(errno));
		kill(s->pid, SIGKILL);
	}
	struct pollfd pfds[PFD_COUNT] = {[PFD_STATUS] = {.fd = s->status_fd, .events = POLLIN},
					 [PFD_PIDFD] = {.fd = s->pidfd, .events = POLLIN},
					 [PFD_SIGNALS] = {.fd = sfd, .events = POLLIN},
					 [PFD_REPORT] = {.fd = s->report_fd, .events = POLLIN}};
	_cleanup_close_ int timer = s->timeout_ms ? arm_timer(s->timeout_ms) : -1;
	if (s->timeout_ms && timer < 0) {
		fprintf(stderr, "glovebox: cannot arm the timeout: %s\n", strerror(errno));
		kill(s->pid, SIGKILL);
	}
	bool pty_open = true;
	for (;;) {
		pfds[PFD_TIMER] = (struct pollfd){.fd = timer, .events = POLLIN};
		if (pty_open) {
			term_continued(s->term);
			term_poll_fds(s->term, &pfds[PFD_PTY]);
		} else {
			pfds[PFD_PTY].fd = pfds[PFD_INPUT].fd = -1;
		}
		if (poll(pfds, PFD_COUNT, pty_open ? term_wait_ms(s->term) : -1) < 0) {
			if (errno == EINTR)
				continue;
			kill(s->pid, SIGKILL);
		}
		if (pfds[PFD_PTY].revents || pfds[PFD_INPUT].revents)
			pty_open = term_handle(s->term, &pfds[PFD_PTY]);
		if (pfds[PFD_TIMER].revents)
			on_timer(s, &timer);
		if (pfds[PFD_REPORT].revents) {
			if (!on_report(s))
				pfds[PFD_REPORT].fd = -1; /* every sender is gone */
			continue;
		}
		if (pfds[PFD_STATUS].revents) {
			/* pid 1 reports the command's status once nothing else is
			 * left running; what remains is the kernel's teardown. */
			struct status_msg m;
			if (read(s->status_fd, &m, sizeof(m)) == sizeof(m)) {
				if (m.kind == STATUS_STOPPED) {
					term_suspend(s->term);
					continue;
				}
				return m.kind == STATUS_KILLED ? report_exit(s, 128 + m.value, m.value)
							       : report_exit(s, m.value, 0);
			}
			pfds[PFD_STATUS].fd = -1; /* pid 1 died without a report */
		}
		if (pfds[PFD_PIDFD].revents) {
			siginfo_t info = {0};
			if (waitid((idtype_t)P_PIDFD, (id_t)s->pidfd, &info, WEXITED) < 0) {
				if (errno == EINTR)
					continue;
				fprintf(stderr, "glovebox: waitid: %s\n", strerror(errno));
				return report_exit(s, 125, 0);
			}
			return report_exit(s, exit_code(info.si_code, info.si_status),
					   exit_signal(info.si_code, info.si_status));
		}
		if (sfd >= 0 && pfds[PFD_SIGNALS].revents)
			on_signal(s, sfd);
	}
}

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

static int run_sandbox(const struct launch_request *req, struct child_ctx *c, struct term *term,
		       int *signal_out)
{
	const struct policy *p = req->policy;
	_cleanup_close_ int self = pidfd_open(getpid(), 0);
	_cleanup_pair_ struct fd_pair status = {-1, -1}, mounts = {-1, -1}, report = {-1, -1};
	int r = self < 0 ? -errno : open_pipe(&status);
	if (r == 0)
		r = open_pipe(&mounts);
	if (r == 0 && (req->info_fd >= 0 || req->status_fd >= 0 || term->mode == TERM_PTY_SANDBOX))
		r = open_report(&report);
	if (r < 0) {
		fprintf(stderr, "glovebox: cannot prepare the sandbox: %s\n", strerror(-r));
		return 125;
	}
	*c = (struct child_ctx){.req = req, .uid = c->uid, .gid = c->gid, .orig_mask = c->orig_mask,
				.supervisor_pidfd = self, .status_fd = status.w,
				.mounts_fd = mounts.r, .mounts_wfd = mounts.w,
				.report_fd = report.w, .net_fd = -1, .term = term, .pty_peer = -1};
	_cleanup_close_ int pidfd = -1;
	struct clone_args args = {
		.flags = where_clone_flags(p) | CLONE_PIDFD,
		.pidfd = (uint64_t)(uintptr_t)&pidfd,
		.exit_signal = SIGCHLD,
	};
	/* clone3, not fork: the namespaces come with the process in one step.
	 * The child must stay away from functions that trust glibc's cached
	 * thread id (raise, abort, pthread_*) until it forks properly. */
	TRACE_POINT("clone3");
	pid_t pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
	if (pid < 0 && errno == ENOSYS)
		pid = clone_with_flags(args.flags, &pidfd); /* a container's filter hides clone3 */
	if (pid < 0) {
		struct diag d;
		diag_init(&d, stderr, "glovebox: ");
		where_userns_failure(p, errno, &d);
		return 125;
	}
	if (pid == 0)
		sandbox_init(c);
	closep(&self);
	closep(&status.w);
	closep(&report.w);
	closep(&mounts.r);
	closep(&term->peer); /* the command's end: the pty hangs up once the sandbox is gone */
	/* A reader of --info-fd or --status-fd that goes away must not kill
	 * glovebox (and with it the sandbox). Set only now: the sandbox was
	 * created with the default disposition, which its command keeps. */
	signal(SIGPIPE, SIG_IGN);
	/* pid 1 needs this once it starts on the filesystem; a failure shows
	 * there, as a list without its end. */
	r = where_send_host_mounts(mounts.w);
	if (r < 0)
		fprintf(stderr, "glovebox: cannot read the mount table: %s\n", strerror(-r));
	closep(&mounts.w);
	TRACE_POINT("host mounts sent");
	if (term->mode == TERM_PTY_HOST)
		term_start(term, term->master);
	struct supervisor s = {.pid = pid, .pidfd = pidfd, .status_fd = status.r,
			       .report_fd = report.r, .info_fd = req->info_fd,
			       .json_fd = req->status_fd, .term = term,
			       .timeout_ms = p->timeout_ms};
	int code = supervise(&s);
	if (s.timed_out) {
		fprintf(stderr, "glovebox: the timeout (%.3g s) ended the sandbox\n",
			(double)p->timeout_ms / 1000);
		return 124; /* as timeout(1) */
	}
	*signal_out = s.signal;
	return code;
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
	int sig = 0;
	int status = term_prepare(&term, p, &d) < 0 ? 125 : run_sandbox(req, &c, &term, &sig);
	term_finish(&term);
	if (sig == SIGINT)
		die_like(sig);
	return status;
}
