/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "where/dbusproxy.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "env/environ.h"

#define INSTALL_HINT "Debian and Ubuntu: apt-get install xdg-dbus-proxy"
/* The proxy's descriptor for --fd. */
#define FD_READY 3
/* How long a proxy may take to listen. */
#define READY_TIMEOUT_MS 10000

/* An absolute directory from the environment, or NULL. */
static const char *env_dir(const char *name)
{
	const char *v = getenv(name);
	return v && v[0] == '/' ? v : NULL;
}

int dbusproxy_plan(struct policy *p, struct diag *d)
{
	const char *runtime = env_dir("XDG_RUNTIME_DIR");
	_cleanup_free_ char *fallback = xasprintf("/run/user/%u", (unsigned)geteuid());
	const char *base = runtime ? runtime : env_dir("TMPDIR") ? env_dir("TMPDIR") : "/tmp";
	_cleanup_free_ char *dir = xasprintf("%s/glovebox-dbus-%d", base, (int)getpid());
	return policy_plan_dbus(p, runtime ? runtime : fallback, dir, d);
}

static const char *const rule_options[] = {
	[DBUS_SEE] = "--see",   [DBUS_TALK] = "--talk", [DBUS_OWN] = "--own",
	[DBUS_CALL] = "--call", [DBUS_BROADCAST] = "--broadcast",
};

void dbusproxy_argv(const struct policy *p, const char *address, const char *socket,
		    struct strv *argv)
{
	strv_add(argv, "xdg-dbus-proxy");
	strv_push(argv, xasprintf("--fd=%d", FD_READY));
	strv_add(argv, address);
	strv_add(argv, socket);
	strv_add(argv, "--filter");
	for (size_t i = 0; i < p->n_dbus_rules; i++)
		strv_push(argv, xasprintf("%s=%s", rule_options[p->dbus_rules[i].kind],
					  p->dbus_rules[i].value));
	if (p->dbus_portals)
		strv_add(argv, "--talk=org.freedesktop.portal.*");
}

/* In the proxy's process: detached from glovebox's session, dying with
 * it, holding /dev/null, stderr and the ready pipe alone, and an empty
 * environment. */
_noreturn_ static void exec_proxy(const char *path, char **argv, int ready, pid_t parent)
{
	if (!helper_detach(parent))
		_exit(125);
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(null, STDOUT_FILENO) < 0 ||
	    dup2(ready, FD_READY) < 0)
		_exit(125);
	syscall(SYS_close_range, FD_READY + 1, ~0U, 0);
	char *env[] = {NULL};
	execve(path, argv, env);
	dprintf(STDERR_FILENO, "glovebox: cannot run %s: %s\n", path, strerror(errno));
	_exit(127);
}

/* One byte on ready: the proxy listens. Else why not, in a line. */
static int await_ready(struct dbusproxy *dp, struct diag *d)
{
	struct pollfd pfd = {.fd = dp->ready, .events = POLLIN};
	int n;
	while ((n = poll(&pfd, 1, READY_TIMEOUT_MS)) < 0 && errno == EINTR)
		;
	char byte;
	if (n == 1 && read(dp->ready, &byte, 1) == 1)
		return 0;
	return diag_error(d, NULL, "xdg-dbus-proxy %s", n == 0 ? "did not start in 10 s"
								: "ended before its socket was ready");
}

/* The session bus's address, or NULL when there is none to filter. */
static const char *session_address(const struct policy *p, struct diag *d)
{
	const char *addr = getenv("DBUS_SESSION_BUS_ADDRESS");
	if (!addr || !*addr) {
		const struct origin *o =
			p->n_dbus_rules ? &p->dbus_rules[0].origin : &p->dbus_portals_s.origin;
		diag_error(d, o, "[dbus] needs the session bus, and DBUS_SESSION_BUS_ADDRESS is not set");
		return NULL;
	}
	return addr;
}

static int fork_proxy(struct dbusproxy *dp, const struct policy *p, const char *path,
		      const char *address, struct diag *d)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0)
		return diag_error(d, NULL, "cannot start xdg-dbus-proxy: %s", strerror(errno));
	dp->ready = fds[0];
	_cleanup_close_ int w = fds[1];
	_cleanup_(strv_free) struct strv argv = {0};
	dbusproxy_argv(p, address, dp->socket, &argv);
	pid_t parent = getpid();
	dp->pid = fork();
	if (dp->pid == 0)
		exec_proxy(path, argv.v, w, parent);
	if (dp->pid < 0) {
		dp->pid = 0;
		return diag_error(d, NULL, "cannot start xdg-dbus-proxy: %s", strerror(errno));
	}
	return 0;
}

/* The directory is named for glovebox's PID. One of that name that is
 * ours (a real directory, our own, mode 0700) was left by an earlier
 * glovebox of this PID killed before it could remove it: that one is gone,
 * for the PID is ours now. Its socket goes, then the directory; anything
 * else in it, or a directory someone else made, stays and fails the start. */
static int clear_stale_dir(const char *dir)
{
	_cleanup_close_ int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || st.st_uid != geteuid() ||
	    (st.st_mode & 07777) != 0700) {
		errno = EEXIST;
		return -1;
	}
	if (unlinkat(fd, "bus", 0) < 0 && errno != ENOENT)
		return -1;
	return rmdir(dir);
}

/* A directory of its own, made now: one that exists already and is not
 * a stale one of ours is someone else's, and the sandbox must not reach
 * their socket. */
static int make_own_dir(const char *dir)
{
	if (mkdir(dir, 0700) == 0)
		return 0;
	if (errno != EEXIST || clear_stale_dir(dir) < 0)
		return -1;
	return mkdir(dir, 0700);
}

int dbusproxy_start(struct dbusproxy *dp, const struct policy *p, struct diag *d)
{
	*dp = (struct dbusproxy){.ready = -1};
	if (!policy_dbus_filtered(p) || !p->dbus_proxy_dir)
		return 0;
	_cleanup_free_ char *path = NULL;
	int r = env_find_command("xdg-dbus-proxy", environ, &path);
	if (r < 0) {
		const struct origin *o =
			p->n_dbus_rules ? &p->dbus_rules[0].origin : &p->dbus_portals_s.origin;
		return diag_error(d, o, "[dbus] needs xdg-dbus-proxy, %s",
				  r == -ENOENT ? "which is not installed (" INSTALL_HINT ")"
					       : strerror(-r));
	}
	const char *address = session_address(p, d);
	if (!address)
		return -1;
	if (make_own_dir(p->dbus_proxy_dir) < 0)
		return diag_error(d, NULL, "cannot make %s: %s", p->dbus_proxy_dir, strerror(errno));
	dp->socket = xasprintf("%s/bus", p->dbus_proxy_dir);
	if (fork_proxy(dp, p, path, address, d) < 0 || await_ready(dp, d) < 0)
		return -1;
	return 0;
}

void dbusproxy_stop(struct dbusproxy *dp)
{
	helper_kill(&dp->pid);
	closep(&dp->ready);
	if (dp->socket) {
		(void)unlink(dp->socket);
		char *slash = strrchr(dp->socket, '/');
		*slash = '\0';
		(void)rmdir(dp->socket);
		free(dp->socket);
		dp->socket = NULL;
	}
}
