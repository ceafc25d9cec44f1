/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "launch/launch.h"

#include <fcntl.h>
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
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "env/environ.h"
#include "trace.h"
#include "what/identity.h"
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
	int cred_fd;    /* when asked for: the command sends its pid here */
};

/* The command tells the supervisor its pid as SCM_CREDENTIALS: the kernel
 * translates it into the receiver's pid namespace, so the supervisor gets
 * the pid it can see, race-free. */
static int send_own_pid(int fd)
{
	struct ucred cred = {.pid = getpid(), .uid = getuid(), .gid = getgid()};
	char cbuf[CMSG_SPACE(sizeof(cred))] = {0};
	char byte = 'p';
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf)};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_CREDENTIALS;
	c->cmsg_len = CMSG_LEN(sizeof(cred));
	memcpy(CMSG_DATA(c), &cred, sizeof(cred));
	return sendmsg(fd, &msg, MSG_NOSIGNAL) < 0 ? -errno : 0;
}

static pid_t receive_pid(int fd)
{
	struct ucred cred;
	char cbuf[CMSG_SPACE(sizeof(cred))];
	char byte;
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf)};
	if (recvmsg(fd, &msg, MSG_CMSG_CLOEXEC) <= 0)
		return -1;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS) {
			memcpy(&cred, CMSG_DATA(c), sizeof(cred));
			return cred.pid;
		}
	return -1;
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
	TRACE_POINT("net uts");
	if (what_apply_caps(p, &d) < 0 || what_apply_rlimits(p, &d) < 0)
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
	if (c->cred_fd >= 0 && send_own_pid(c->cred_fd) < 0)
		_exit(125);
	/* Found in the sandbox's own filesystem and PATH, before the filter:
	 * "not found" and "not executable" are reported while writing is
	 * surely allowed. */
	const char *name = p->argv.v[0];
	char *file;
	int r = env_find_command(name, env.v, &file);
	if (r < 0)
		exec_failed(p, name, -r, !strchr(name, '/'), false);

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
	r = how_load(c->req->how);
	if (r < 0) {
		diag_error(&d, NULL, "cannot load the seccomp filter: %s", strerror(-r));
		_exit(125);
	}
	TRACE_POINT("seccomp loaded");
	/* file holds a '/': no second search. A script without #! runs under
	 * /bin/sh, as execvp does. */
	execvpe(file, p->argv.v, env.v);
	exec_failed(p, name, errno, false, true);
}

struct init_state {
	pid_t command;
	int status_fd;
	int children_fd; /* without a pid namespace: /proc/thread-self/children */
	int supervisor_fd; /* without a pid namespace: glovebox's pidfd */
	bool own_pidns;
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
	/* An exit status, or minus the signal: exit 130 is not SIGINT. */
	int32_t s = st->signal ? -st->signal : st->status;
	(void)!write(st->status_fd, &s, sizeof(s));
	_exit(st->status);
}

static void reap(struct init_state *st)
{
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
		if (!st->command_done)
			kill(st->command, (int)si.ssi_signo);
		else if (si.ssi_signo != SIGCONT && si.ssi_signo != SIGWINCH)
			finish(st); /* asked to stop waiting for the background */
	}
}

_noreturn_ static void sandbox_init(struct child_ctx *c)
{
	const struct launch_request *req = c->req;
	struct diag d;
	diag_init(&d, stderr, "glovebox: ");

	TRACE_POINT("pid 1");
	close(c->mounts_wfd);
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
	 * needs the user namespace's capabilities, not mapped ids. */
	c->init_pidfd = -1;
	if (!(req->policy->unshare & CLONE_NEWPID))
		c->init_pidfd = pidfd_open(getpid(), 0);
	int go[2];
	if (pipe2(go, O_CLOEXEC) < 0) {
		diag_error(&d, NULL, "pipe: %s", strerror(errno));
		_exit(125);
	}
	/* Both processes will work at once: the command's is kept off this
	 * CPU, or the scheduler may queue it behind pid 1 for the whole set-up.
	 * It takes the CPUs glovebox had back before exec. */
	int cpu = sched_getcpu();
	c->moved = cpu >= 0 && sched_getaffinity(0, sizeof(c->cpus), &c->cpus) == 0 &&
		   CPU_COUNT(&c->cpus) > 1 && CPU_ISSET(cpu, &c->cpus);
	pid_t pid = fork();
	if (pid < 0) {
		diag_error(&d, NULL, "cannot start the command: %s", strerror(errno));
		_exit(125);
	}
	if (pid == 0) {
		close(go[1]);
		close(c->mounts_fd);
		c->go_fd = go[0];
		run_command(c);
	}
	close(go[0]);
	if (c->moved) {
		cpu_set_t others = c->cpus;
		CPU_CLR(cpu, &others);
		(void)sched_setaffinity(pid, sizeof(others), &others);
	}

	if (where_map_ids(req->policy, c->uid, c->gid, &d) < 0)
		_exit(125);
	TRACE_POINT("id maps");
	struct init_state st = {
		.command = pid,
		.status_fd = c->status_fd,
		.children_fd = -1,
		.supervisor_fd = supervisor_fd,
		.own_pidns = own_pidns,
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
	close(c->mounts_fd);
	if (built < 0)
		_exit(125); /* the command sees end of file on go, and exits */
	TRACE_POINT("mounts");
	if (!own_pidns && supervisor_gone(supervisor_fd))
		_exit(125); /* the command sees end of file, and never starts */
	(void)!write(go[1], "1", 1);
	close(go[1]);
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
	int cred_fd;   /* the command's pid, when asked for */
	int info_fd, json_fd;
};

static int report_exit(const struct supervisor *s, int code, int sig)
{
	if (s->json_fd >= 0) {
		if (sig)
			write_json(s->json_fd, "{\"exit-code\": %d, \"exit-signal\": %d}\n", code,
				   sig);
		else
			write_json(s->json_fd, "{\"exit-code\": %d}\n", code);
	}
	return code;
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
	struct pollfd pfds[4] = {{.fd = s->status_fd, .events = POLLIN},
				 {.fd = s->pidfd, .events = POLLIN},
				 {.fd = sfd, .events = POLLIN},
				 {.fd = s->cred_fd, .events = POLLIN}};
	for (;;) {
		if (poll(pfds, 4, -1) < 0) {
			if (errno == EINTR)
				continue;
			kill(s->pid, SIGKILL);
		}
		if (pfds[3].revents) {
			pid_t child = receive_pid(s->cred_fd);
			pfds[3].fd = -1;
			if (child > 0 && s->info_fd >= 0 && s->info_fd != s->json_fd)
				write_json(s->info_fd, "{\"child-pid\": %d}\n", (int)child);
			if (child > 0 && s->json_fd >= 0)
				write_json(s->json_fd, "{\"child-pid\": %d}\n", (int)child);
			/* closed, so that its reader sees the end; unless the exit
			 * status is still to come on it */
			if (s->info_fd >= 0 && s->info_fd != s->json_fd)
				close(s->info_fd);
			s->info_fd = -1;
			continue;
		}
		if (pfds[0].revents) {
			/* pid 1 reports the command's status once nothing else is
			 * left running; what remains is the kernel's teardown. */
			int32_t status;
			if (read(s->status_fd, &status, sizeof(status)) == sizeof(status))
				return status < 0 ? report_exit(s, 128 - status, -status)
						  : report_exit(s, status, 0);
			pfds[0].fd = -1; /* pid 1 died without a report */
		}
		if (pfds[1].revents) {
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
		if (sfd >= 0 && pfds[2].revents) {
			struct signalfd_siginfo si;
			if (read(sfd, &si, sizeof(si)) == sizeof(si) && sent_by_process(si.ssi_code))
				pidfd_send_signal(s->pidfd, (int)si.ssi_signo, NULL, 0);
		}
	}
}

int launch_run(const struct launch_request *req)
{
	struct child_ctx c = {.req = req, .uid = geteuid(), .gid = getegid()};
	sigset_t set;

	/* Without a user namespace, only root's own capabilities can create
	 * the others; an unprivileged user is told so rather than sandboxed
	 * less. */
	const struct policy *p = req->policy;
	if (!(p->unshare & CLONE_NEWUSER) && c.uid != 0) {
		struct diag d;
		diag_init(&d, stderr, "glovebox: ");
		diag_error(&d, p->unshare_s[4].set ? &p->unshare_s[4].origin : NULL,
			   "needs root (an unprivileged user's sandbox is built in a user namespace)");
		return 125;
	}
	forward_set(&set);
	if (sigprocmask(SIG_BLOCK, &set, &c.orig_mask) < 0)
		return 125;
	c.supervisor_pidfd = pidfd_open(getpid(), 0);
	if (c.supervisor_pidfd < 0) {
		fprintf(stderr, "glovebox: pidfd_open: %s\n", strerror(errno));
		return 125;
	}
	int status_pipe[2];
	if (pipe2(status_pipe, O_CLOEXEC) < 0) {
		fprintf(stderr, "glovebox: pipe: %s\n", strerror(errno));
		close(c.supervisor_pidfd);
		return 125;
	}
	c.status_fd = status_pipe[1];
	int mounts[2];
	if (pipe2(mounts, O_CLOEXEC) < 0) {
		fprintf(stderr, "glovebox: pipe: %s\n", strerror(errno));
		return 125;
	}
	c.mounts_fd = mounts[0];
	c.mounts_wfd = mounts[1];
	int cred[2] = {-1, -1};
	c.cred_fd = -1;
	if (req->info_fd >= 0 || req->status_fd >= 0) {
		int one = 1;
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, cred) < 0 ||
		    setsockopt(cred[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0) {
			fprintf(stderr, "glovebox: socketpair: %s\n", strerror(errno));
			return 125;
		}
		c.cred_fd = cred[1];
	}
	int pidfd = -1;
	struct clone_args args = {
		.flags = where_clone_flags(req->policy) | CLONE_PIDFD,
		.pidfd = (uint64_t)(uintptr_t)&pidfd,
		.exit_signal = SIGCHLD,
	};
	/* clone3, not fork: the namespaces come with the process in one step.
	 * The child must stay away from functions that trust glibc's cached
	 * thread id (raise, abort, pthread_*) until it forks properly. */
	TRACE_POINT("clone3");
	pid_t pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
	if (pid < 0) {
		int e = errno;
		close(c.supervisor_pidfd);
		close(status_pipe[0]);
		close(status_pipe[1]);
		close(mounts[0]);
		close(mounts[1]);
		fprintf(stderr, "glovebox: cannot create the sandbox's namespaces: %s%s\n",
			strerror(e),
			!(e == EPERM || e == ENOSPC) ? ""
			: (p->unshare & CLONE_NEWUSER)
				? " (are unprivileged user namespaces disabled? see "
				  "/proc/sys/user/max_user_namespaces)"
				: " (unshare-user = no needs root's CAP_SYS_ADMIN)");
		return 125;
	}
	if (pid == 0)
		sandbox_init(&c);
	close(c.supervisor_pidfd);
	close(status_pipe[1]);
	closep(&cred[1]);
	/* A reader of --info-fd or --status-fd that goes away must not kill
	 * glovebox (and with it the sandbox). Set only now: the sandbox was
	 * created with the default disposition, which its command keeps. */
	signal(SIGPIPE, SIG_IGN);
	close(mounts[0]);
	/* pid 1 needs this once it starts on the filesystem; a failure shows
	 * there, as a list without its end. */
	int r = where_send_host_mounts(mounts[1]);
	if (r < 0)
		fprintf(stderr, "glovebox: cannot read the mount table: %s\n", strerror(-r));
	close(mounts[1]);
	TRACE_POINT("host mounts sent");
	struct supervisor s = {.pid = pid, .pidfd = pidfd, .status_fd = status_pipe[0],
			       .cred_fd = cred[0], .info_fd = req->info_fd,
			       .json_fd = req->status_fd};
	int status = supervise(&s);
	close(status_pipe[0]);
	closep(&cred[0]);
	close(pidfd);
	return status;
}
