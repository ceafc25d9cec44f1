/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A new pid namespace inside one the caller gave (bwrap's --pidns with
 * --unshare-pid: Flatpak's --parent-pid with --parent-expose-pids), so
 * that the caller's namespace sees the sandbox's processes.
 *
 * glovebox entered the caller's pid namespace with setns, which changes
 * only where its children are born: its own stays the host's, and the
 * kernel makes a new pid namespace only below the maker's own (clone
 * with CLONE_NEWPID fails with EINVAL while the two differ). So a
 * helper is forked first, born in the caller's namespace; it makes the
 * sandbox's pid 1 with the usual flags, CLONE_NEWPID among them, in a new
 * namespace below its own, and hands pid 1's pidfd to glovebox over a
 * socket. With CLONE_PARENT pid 1 is glovebox's child, not the helper's:
 * glovebox waits for it, reads its status and signals it as for any
 * sandbox, and the helper exits at once. (bwrap's helper exits too, but
 * its pid 1 is then the caller's init's child, reparented across the
 * namespace, out of reach of bwrap's subreaper.)
 *
 * The helper is a copy of glovebox, with its descriptors, in a pid
 * namespace whose processes are the caller's: it is born undumpable, so
 * none of them can ptrace it or open its descriptors in /proc. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launch/internal.h"

/* The helper: pid 1 made, its pidfd sent, and gone; its exit status is
 * the error when there is none to send. Returns 0 in pid 1 only. */
static pid_t make_pid_1(uint64_t flags, int cgroup, int sock, int dumpable)
{
	(void)prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	int pidfd = -1, err = 0;
	pid_t pid = clone_flags(flags | CLONE_PARENT, cgroup, &pidfd, &err);
	if (pid == 0) {
		/* pid 1: as dumpable as glovebox was (it writes its own id
		 * maps); it turns undumpable before the command runs */
		if (prctl(PR_SET_DUMPABLE, dumpable == 1, 0, 0, 0) < 0)
			_exit(125);
		return 0;
	}
	if (pid < 0)
		_exit(err > 0 && err < 256 ? err : EINVAL);
	_exit(send_report(sock, 'c', pidfd) < 0 ? EPIPE : 0);
}

/* A pidfd's process as this process's pid namespace numbers it: its
 * fdinfo's "Pid:" line (-1 once the process is gone). */
static pid_t pidfd_pid(int pidfd)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", pidfd);
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	const char *line = strstr(buf, "\nPid:\t");
	long pid = line ? strtol(line + strlen("\nPid:\t"), NULL, 10) : -1;
	return pid > 0 && pid <= INT32_MAX ? (pid_t)pid : -1;
}

/* bwrap's words for what failed: its own helper's fork, or its
 * helper's new pid namespace */
static const char FORK_FAILED[] = "Can't fork for --pidns";
static const char UNSHARE_FAILED[] = "unshare pid ns";

/* glovebox's side: pid 1's pidfd from the helper, or the helper's
 * error; the helper reaped either way. */
static pid_t take_pid_1(pid_t helper, int sock, int *pidfd, int *err, const char **step)
{
	pid_t ignored;
	char kind = receive_report(sock, &ignored, pidfd);
	int status = 0;
	while (waitpid(helper, &status, 0) < 0 && errno == EINTR)
		;
	pid_t pid = kind == 'c' && *pidfd >= 0 ? pidfd_pid(*pidfd) : -1;
	if (pid > 0)
		return pid;
	if (*pidfd >= 0) /* made, but not to be had: gone with glovebox anyway */
		(void)pidfd_send_signal(*pidfd, SIGKILL, NULL, 0);
	closep(pidfd);
	bool said = WIFEXITED(status) && WEXITSTATUS(status);
	*err = said ? WEXITSTATUS(status) : ECHILD;
	*step = said ? UNSHARE_FAILED : FORK_FAILED;
	return -1;
}

static pid_t clone_in_joined_pidns(uint64_t flags, int cgroup, int *pidfd, int *err,
				   const char **step)
{
	int pair[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0) {
		*err = errno;
		return -1;
	}
	_cleanup_close_ int ours = pair[0], theirs = pair[1];
	/* undumpable from birth: set around the fork, not after it */
	int dumpable = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	pid_t helper = fork();
	int fork_err = errno;
	if (helper == 0) {
		closep(&ours);
		return make_pid_1(flags, cgroup, theirs, dumpable); /* pid 1 */
	}
	(void)prctl(PR_SET_DUMPABLE, dumpable, 0, 0, 0);
	if (helper < 0) {
		*err = fork_err;
		return -1;
	}
	closep(&theirs);
	return take_pid_1(helper, ours, pidfd, err, step);
}

pid_t clone_sandbox_process(const struct launch_request *req, uint64_t flags, int cgroup,
			    int *pidfd, int *err)
{
	if (!req->joined_pidns)
		return clone_flags(flags, cgroup, pidfd, err);
	const char *step = FORK_FAILED;
	pid_t pid = (flags & CLONE_NEWPID)
			    ? clone_in_joined_pidns(flags, cgroup, pidfd, err, &step)
			    : clone_flags(flags, cgroup, pidfd, err);
	if (pid >= 0)
		return pid;
	/* In the caller's namespace no user namespace is made, so a failure is
	 * the namespace's (its init gone: ENOMEM; too deep: ENOSPC): bwrap's
	 * words and status. Only the bwrap front end joins a pid namespace,
	 * and nothing of its launch needs undoing yet. */
	fprintf(stderr, "bwrap: %s: %s\n", step, strerror(*err));
	fflush(stderr);
	_exit(1);
}
