/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The signals the launcher passes on, and the messages its processes
 * exchange. */
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "launch/internal.h"

/* Signals that glovebox passes on. Job-control stops (SIGTSTP, SIGTTIN,
 * SIGTTOU) are left alone so that the shell sees glovebox stop with the
 * command. */
static const int forwarded[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM,
				SIGWINCH, SIGCONT};

void forward_set(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < ELEMENTSOF(forwarded); i++)
		sigaddset(set, forwarded[i]);
}

/* A signal that a process sent (kill, sigqueue) is passed on. One the
 * kernel sent on behalf of the terminal (Ctrl-C) already reached the whole
 * foreground process group, the command included: passing it on would
 * deliver it twice. */
bool sent_by_process(int32_t code)
{
	return code <= 0;
}

int exit_code(int code, int status)
{
	if (code == CLD_EXITED)
		return status;
	return 128 + status;
}

/* The signal that ended a process, or 0 when it exited. */
int exit_signal(int code, int status)
{
	return code == CLD_KILLED || code == CLD_DUMPED ? status : 0;
}

bool supervisor_gone(int pidfd)
{
	struct pollfd pfd = {.fd = pidfd, .events = POLLIN};
	return pidfd < 0 || poll(&pfd, 1, 0) != 0;
}

int open_pipe(struct fd_pair *p)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	*p = (struct fd_pair){fds[0], fds[1]};
	return 0;
}

/* The command tells the supervisor its pid ('p') as SCM_CREDENTIALS: the
 * kernel translates it into the receiver's pid namespace, so the
 * supervisor gets the pid it can see, race-free. pid 1 hands over the
 * pty's master ('m') the same way, as SCM_RIGHTS, and the command its
 * seccomp listener ('l', glovebox learn). */
int send_report(int fd, char byte, int master)
{
	return send_report_flags(fd, byte, master, MSG_NOSIGNAL);
}

int send_report_flags(int fd, char byte, int master, int flags)
{
	/* No SCM_CREDENTIALS of our own: the receiver has SO_PASSCRED, so
	 * the kernel attaches the sender's pid and ids itself. One given
	 * explicitly would be refused (EINVAL) before the user namespace's
	 * ids are mapped, as with bwrap's --userns-block-fd, where getuid()
	 * is the overflow uid. */
	char cbuf[CMSG_SPACE(sizeof(int))] = {0};
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
	if (master >= 0) {
		msg.msg_control = cbuf;
		msg.msg_controllen = sizeof(cbuf);
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &master, sizeof(int));
	}
	return sendmsg(fd, &msg, flags) < 0 ? -errno : 0;
}

/* One report: its kind ('p' or 'm', 0 at the end), the sender's pid as
 * the supervisor sees it in *pid, a descriptor in *master (-1 when none
 * came). */
char receive_report(int fd, pid_t *pid, int *master)
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
