/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "where/pasta.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <linux/nsfs.h>
#include <linux/sockios.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "env/environ.h"

#define INSTALL_HINT "Debian and Ubuntu: apt-get install passt"

/* Where pasta finds what glovebox hands it. */
enum { FD_NETNS = 3, FD_READY, FD_USERNS, FD_COUNT };

static int check_tun(const struct policy *p, struct diag *d)
{
	if (access("/dev/net/tun", R_OK | W_OK) == 0)
		return 0;
	if (errno == ENOENT)
		return diag_error(d, &p->network_s.origin,
				  "user needs /dev/net/tun, which this system lacks (modprobe tun)");
	struct stat st;
	if (errno != EACCES || stat("/dev/net/tun", &st) < 0)
		return diag_error(d, &p->network_s.origin, "user needs /dev/net/tun: %s",
				  strerror(errno));
	return diag_error(d, &p->network_s.origin,
			  "user needs /dev/net/tun, which you may not open (its mode is %04o "
			  "here; udev's usual rule makes it 0666)",
			  (unsigned)(st.st_mode & 07777));
}

int pasta_prepare(struct pasta *pa, const struct policy *p, struct diag *d)
{
	*pa = (struct pasta){.sock = -1, .peer = -1};
	if (p->network != NET_USER)
		return 0;
	int r = env_find_command("pasta", environ, &pa->path);
	if (r == -ENOENT)
		return diag_error(d, &p->network_s.origin,
				  "user needs pasta, which is not installed (" INSTALL_HINT ")");
	if (r < 0)
		return diag_error(d, &p->network_s.origin, "user needs pasta: %s", strerror(-r));
	if (check_tun(p, d) < 0)
		return -1;
	int fds[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
		return diag_error(d, NULL, "cannot prepare the sandbox's network: %s",
				  strerror(errno));
	pa->sock = fds[0];
	pa->peer = fds[1];
	return 0;
}

/* One byte, with a descriptor when fd >= 0. */
static int send_byte(int sock, char byte, int fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u = {0};
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
	if (fd >= 0) {
		msg.msg_control = u.buf;
		msg.msg_controllen = sizeof(u.buf);
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	return sendmsg(sock, &msg, MSG_NOSIGNAL) < 0 ? -errno : 0;
}

int pasta_announce(struct pasta *pa, struct diag *d)
{
	closep(&pa->sock); /* the supervisor's: its end of file must reach pasta_wait */
	if (pa->peer < 0)
		return 0;
	/* The namespace as a descriptor, without /proc, whose root pid 1 may
	 * be changing meanwhile: SIOCGSKNS opens the namespace of a socket
	 * made in it (with CAP_NET_ADMIN there, which this process still
	 * holds). */
	_cleanup_close_ int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	_cleanup_close_ int ns = s < 0 ? -1 : ioctl(s, SIOCGSKNS);
	int r = ns < 0 ? -errno : send_byte(pa->peer, 'n', ns);
	if (r < 0)
		return diag_error(d, NULL, "cannot hand the network namespace to pasta: %s",
				  strerror(-r));
	return 0;
}

int pasta_wait(struct pasta *pa)
{
	if (pa->peer < 0)
		return 0;
	char up;
	ssize_t n;
	while ((n = read(pa->peer, &up, 1)) < 0 && errno == EINTR)
		;
	closep(&pa->peer);
	return n == 1 ? 0 : -1;
}

static bool sandbox_ended(int pidfd)
{
	struct pollfd pfd = {.fd = pidfd, .events = POLLIN};
	return poll(&pfd, 1, 0) != 0;
}

/* Block until fd is readable; false when the sandbox ended first. */
static bool await_readable(int fd, int sandbox_pidfd)
{
	struct pollfd pfds[2] = {{.fd = fd, .events = POLLIN},
				 {.fd = sandbox_pidfd, .events = POLLIN}};
	for (;;) {
		if (poll(pfds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		if (pfds[0].revents)
			return true;
		if (pfds[1].revents)
			return false;
	}
}

/* The network namespace the command's process sends, or -1 when it sent
 * none (the sandbox failed, and said why). */
static int receive_netns(int sock, int sandbox_pidfd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	char byte;
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			     .msg_controllen = sizeof(u.buf)};
	if (!await_readable(sock, sandbox_pidfd) || recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) <= 0)
		return -1;
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
	    c->cmsg_len != CMSG_LEN(sizeof(int)))
		return -1;
	int fd;
	memcpy(&fd, CMSG_DATA(c), sizeof(fd));
	if (ioctl(fd, NS_GET_NSTYPE) != CLONE_NEWNET) {
		close(fd);
		return -1;
	}
	return fd;
}

static void add_forwards(const struct policy *p, enum forward_proto proto, const char *opt,
			 struct strv *argv)
{
	size_t added = 0;
	for (size_t i = 0; i < p->n_forwards; i++) {
		const struct port_forward *f = &p->forwards[i];
		if (f->proto != proto)
			continue;
		strv_add(argv, opt);
		strv_push(argv, xasprintf("%s%s%u:%u", f->address ? f->address : "",
					  f->address ? "/" : "", f->host_port, f->sandbox_port));
		added++;
	}
	/* Left out, pasta would forward every port bound inside ("auto"), and
	 * UDP the TCP ports too. */
	if (!added) {
		strv_add(argv, opt);
		strv_add(argv, "none");
	}
}

void pasta_argv(const struct policy *p, uid_t uid, gid_t gid, bool userns, struct strv *argv)
{
	/* Nothing pasta does by default that the sandbox does not need: no
	 * DHCP, DHCPv6 or router advertisements to answer (it sets the
	 * addresses and routes itself), and none of the host's loopback ports
	 * mirrored at the sandbox's loopback (--tcp-ns, --udp-ns: their
	 * default is every port the host listens on). The host's loopback
	 * stays reachable at the gateway's address, as pasta documents. */
	static const char *const fixed[] = {
		"pasta", "--foreground", "--quiet", "--stderr", "--config-net", "--no-dhcp",
		"--no-dhcpv6", "--no-ra", "--tcp-ns", "none", "--udp-ns", "none",
	};
	for (size_t i = 0; i < ELEMENTSOF(fixed); i++)
		strv_add(argv, fixed[i]);
	/* pasta turns root into nobody, who could not enter a user namespace
	 * that root owns: it keeps the caller's own ids. */
	strv_add(argv, "--runas");
	strv_push(argv, xasprintf("%u:%u", (unsigned)uid, (unsigned)gid));
	add_forwards(p, FORWARD_TCP, "--tcp-ports", argv);
	add_forwards(p, FORWARD_UDP, "--udp-ports", argv);
	strv_add(argv, "--pid");
	strv_push(argv, xasprintf("/proc/self/fd/%d", FD_READY));
	if (userns) {
		strv_add(argv, "--userns");
		strv_push(argv, xasprintf("/proc/self/fd/%d", FD_USERNS));
	}
	strv_add(argv, "--netns");
	strv_push(argv, xasprintf("/proc/self/fd/%d", FD_NETNS));
}

/* In pasta's process: die with glovebox, leave its session (the
 * terminal's signals are the sandbox's, not pasta's), hold exactly the
 * descriptors of fds[] at their indexes, and an empty environment. */
_noreturn_ static void exec_pasta(const char *path, char **argv, const int fds[FD_COUNT],
				  pid_t parent)
{
	if (!helper_detach(parent))
		_exit(125);
	/* Moved above the slots first, so that placing one cannot overwrite
	 * another that is still to be placed. */
	int moved[FD_COUNT];
	for (int i = 0; i < FD_COUNT; i++)
		if ((moved[i] = fds[i] < 0 ? -1 : fcntl(fds[i], F_DUPFD_CLOEXEC, FD_COUNT)) < 0 &&
		    fds[i] >= 0)
			_exit(125);
	for (int i = 0; i < FD_COUNT; i++) {
		if (moved[i] < 0)
			close(i); /* an empty slot holds nothing of glovebox's */
		else if (dup2(moved[i], i) < 0)
			_exit(125);
	}
	syscall(SYS_close_range, FD_COUNT, ~0U, 0);
	char *env[] = {NULL};
	execve(path, argv, env);
	dprintf(STDERR_FILENO, "cannot run %s: %s\n", path, strerror(errno));
	_exit(127);
}

/* What pasta writes on stderr, line by line, passed on as glovebox's. */
struct relay {
	char *buf;
	size_t len;
	unsigned lines; /* passed on so far */
	struct diag *d;
};

static void relay_line(struct relay *r, const char *line)
{
	/* Where there is no /dev/log (a container), pasta says so before
	 * every message it logs. */
	if (!*line || (str_startswith(line, "Failed to send ") && strstr(line, "to syslog")))
		return;
	diag_error(r->d, NULL, "pasta: %s", line);
	r->lines++;
}

/* Read what there is; false at end of file, with the last line passed on. */
static bool relay_read(struct relay *r, int fd)
{
	char chunk[512];
	ssize_t n = read(fd, chunk, sizeof(chunk));
	if (n < 0 && errno == EINTR)
		return true;
	if (n > 0) {
		r->buf = xrealloc(r->buf, r->len + (size_t)n + 1);
		memcpy(r->buf + r->len, chunk, (size_t)n);
		r->len += (size_t)n;
		r->buf[r->len] = '\0';
	}
	char *start = r->buf, *nl;
	while (start && (nl = memchr(start, '\n', r->len - (size_t)(start - r->buf)))) {
		*nl = '\0';
		relay_line(r, start);
		start = nl + 1;
	}
	if (start) {
		r->len -= (size_t)(start - r->buf);
		memmove(r->buf, start, r->len + 1);
	}
	if (n > 0)
		return true;
	if (r->len)
		relay_line(r, r->buf);
	r->len = 0;
	return false;
}

/* Until pasta writes its pid file (its interface is up then) or ends,
 * or the sandbox does, passing on what pasta says. True once it is up. */
static bool await_pasta(int ready, struct relay *err, int err_fd, int sandbox_pidfd)
{
	struct pollfd pfds[3] = {{.fd = ready, .events = POLLIN},
				 {.fd = err_fd, .events = POLLIN},
				 {.fd = sandbox_pidfd, .events = POLLIN}};
	for (;;) {
		if (poll(pfds, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		if (pfds[1].revents && !relay_read(err, err_fd))
			pfds[1].fd = -1;
		if (pfds[0].revents) {
			char c;
			return read(ready, &c, 1) == 1;
		}
		if (pfds[2].revents)
			return false;
	}
}

/* pasta did not come up: what it said is passed on (or how it ended). */
static void report_failure(struct pasta *pa, struct relay *err, int err_fd)
{
	kill(pa->pid, SIGKILL); /* if still there: its stderr must close */
	while (relay_read(err, err_fd))
		;
	int status = 0;
	while (waitpid(pa->pid, &status, 0) < 0 && errno == EINTR)
		;
	pa->pid = 0;
	if (err->lines)
		return;
	if (WIFEXITED(status))
		diag_error(err->d, NULL, "pasta ended with status %d before the network was up",
			   WEXITSTATUS(status));
	else
		diag_error(err->d, NULL, "pasta was killed before the network was up");
}

/* pipe2 with both ends closed when the pair goes out of scope */
struct pipe_ends {
	int r, w;
};

static void pipe_ends_close(struct pipe_ends *p)
{
	closep(&p->r);
	closep(&p->w);
}

static int open_pipe_ends(struct pipe_ends *p)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	*p = (struct pipe_ends){fds[0], fds[1]};
	return 0;
}

/* Start pasta on netns; true once its interface is up. */
static bool run_pasta(struct pasta *pa, const struct policy *p, int netns, int sandbox_pidfd,
		      struct diag *d)
{
	_cleanup_close_ int userns = -1;
	_cleanup_close_ int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	_cleanup_(pipe_ends_close) struct pipe_ends ready = {-1, -1}, err = {-1, -1};
	if ((p->unshare & CLONE_NEWUSER) && (userns = ioctl(netns, NS_GET_USERNS)) < 0) {
		diag_error(d, NULL, "cannot find the sandbox's user namespace: %s", strerror(errno));
		return false;
	}
	int r = null < 0 ? -errno : open_pipe_ends(&ready);
	if (r == 0)
		r = open_pipe_ends(&err);
	if (r < 0) {
		diag_error(d, NULL, "cannot start pasta: %s", strerror(-r));
		return false;
	}
	_cleanup_(strv_free) struct strv argv = {0};
	pasta_argv(p, geteuid(), getegid(), userns >= 0, &argv);
	const int fds[FD_COUNT] = {null, null, err.w, netns, ready.w, userns};
	pid_t parent = getpid();
	pa->pid = fork();
	if (pa->pid == 0)
		exec_pasta(pa->path, argv.v, fds, parent);
	if (pa->pid < 0) {
		pa->pid = 0;
		diag_error(d, NULL, "cannot start pasta: %s", strerror(errno));
		return false;
	}
	closep(&ready.w);
	closep(&err.w);
	struct relay relay = {.d = d};
	bool up = await_pasta(ready.r, &relay, err.r, sandbox_pidfd);
	if (!up && !sandbox_ended(sandbox_pidfd))
		report_failure(pa, &relay, err.r);
	free(relay.buf);
	return up;
}

int pasta_start(struct pasta *pa, const struct policy *p, int sandbox_pidfd, struct diag *d)
{
	if (pa->sock < 0)
		return 0;
	closep(&pa->peer);
	_cleanup_close_ int netns = receive_netns(pa->sock, sandbox_pidfd);
	bool up = netns >= 0 && run_pasta(pa, p, netns, sandbox_pidfd, d);
	/* The command's process goes on once it reads a byte; at end of file
	 * it exits 125. */
	if (up && send_byte(pa->sock, 'u', -1) < 0)
		up = false;
	closep(&pa->sock);
	return up ? 0 : -1;
}

void pasta_stop(struct pasta *pa)
{
	helper_kill(&pa->pid);
	closep(&pa->sock);
	closep(&pa->peer);
	free(pa->path);
	pa->path = NULL;
}
