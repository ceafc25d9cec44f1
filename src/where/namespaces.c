/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "where/namespaces.h"

#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

unsigned long where_clone_flags(const struct policy *p)
{
	/* The network namespace is left out: the command's process creates
	 * it (where_setup_net_uts) while pid 1 builds the filesystem, and pid 1
	 * joins it afterwards (where_join_net). */
	return CLONE_NEWNS | p->unshare;
}

int where_join_net(const struct policy *p, pid_t command, int ready_fd, struct diag *d)
{
	if (p->network == NET_HOST)
		return 0;
	char ready;
	ssize_t n;
	while ((n = read(ready_fd, &ready, 1)) < 0 && errno == EINTR)
		;
	if (n != 1)
		return -1; /* the command's process failed, and said why */
	/* The kernel does no ptrace check on /proc/PID/net: a pid 1 left in
	 * the host's network namespace would show the host's interfaces,
	 * connections and abstract sockets to the sandbox as /proc/1/net (and,
	 * to root, let it write /proc/1/net/xt_recent). */
	_cleanup_close_ int pidfd = (int)syscall(SYS_pidfd_open, command, 0);
	if (pidfd < 0 || setns(pidfd, CLONE_NEWNET) < 0)
		return diag_error(d, &p->network_s.origin,
				  "cannot join the sandbox's network namespace: %s", strerror(errno));
	return 0;
}

#define APPARMOR_HINT                                                                              \
	"AppArmor restricts unprivileged user namespaces "                                         \
	"(kernel.apparmor_restrict_unprivileged_userns is 1): give glovebox an AppArmor profile "  \
	"with the userns rule, or as root: sysctl -w kernel.apparmor_restrict_unprivileged_userns=0"

static bool apparmor_restricts(void);

/* A one-line /proc file, or "" when it is absent. */
static void read_line(const char *path, char *buf, size_t size)
{
	buf[0] = '\0';
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, size - 1);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

/* Whether glovebox itself runs under a seccomp filter (a container's). */
static bool under_seccomp(void)
{
	char status[4096];
	_cleanup_close_ int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, status, sizeof(status) - 1);
	status[n > 0 ? n : 0] = '\0';
	const char *line = strstr(status, "\nSeccomp:");
	return line && strtol(line + 9, NULL, 10) != 0;
}

/* Ubuntu 24.04's AppArmor lets the user namespace be made, then takes its
 * capabilities away: the failure shows on the first id map or mount. */
static bool apparmor_restricts(void)
{
	char v[16];
	read_line("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", v, sizeof(v));
	return streq(v, "1");
}

/* Why no user namespace could be made (err from clone), in a few words
 * with the fix where there is one. */
static const char *userns_cause(int err, char *v, size_t size)
{
	const char *why = NULL;
	if (err == ENOSPC) {
		read_line("/proc/sys/user/max_user_namespaces", v, size);
		why = streq(v, "0") ? "user namespaces are turned off here: user.max_user_namespaces "
				      "is 0 (as root: sysctl -w user.max_user_namespaces=15000)"
				    : "the limit of user namespaces is reached (user.max_user_namespaces "
				      "for this user, or 32 levels of nesting)";
	} else if (err == EPERM) {
		read_line("/proc/sys/kernel/unprivileged_userns_clone", v, size);
		if (streq(v, "0"))
			why = "unprivileged user namespaces are turned off: "
			      "kernel.unprivileged_userns_clone is 0 (as root: sysctl -w "
			      "kernel.unprivileged_userns_clone=1)";
		else if (under_seccomp())
			why = "a seccomp filter around glovebox refuses new user namespaces (a "
			      "container's profile: run glovebox outside it, or give the container "
			      "a profile that allows them)";
	}
	if (!why)
		why = apparmor_restricts() ? APPARMOR_HINT : strerror(err);
	return why;
}

void where_userns_failure(const struct policy *p, int err, struct diag *d)
{
	char v[64];
	if (!(p->unshare & CLONE_NEWUSER)) {
		diag_error(d, NULL, "cannot create the sandbox's namespaces: %s (unshare-user = no "
				    "needs root's CAP_SYS_ADMIN)", strerror(err));
		return;
	}
	diag_error(d, NULL, "cannot create the sandbox's namespaces: %s",
		   userns_cause(err, v, sizeof(v)));
}

bool where_userns_blocked(const struct policy *p, int err)
{
	return (p->unshare & CLONE_NEWUSER) && (err == EPERM || err == ENOSPC || err == EUSERS);
}

bool where_userns_restricted(void)
{
	return geteuid() != 0 && apparmor_restricts();
}

void where_fallback_note(const struct policy *p, int err, FILE *out)
{
	char v[64];
	/* what the mounts would have made, which the host's paths cannot be */
	char made[256] = "";
	size_t w = 0;
	for (size_t i = 0; i < p->n_mounts && w < sizeof(made); i++)
		if (p->mounts[i].kind == MOUNT_TMPFS)
			w += (size_t)snprintf(made + w, sizeof(made) - w, "%s%s", w ? ", " : "",
					      p->mounts[i].dest);
	if (p->home == HOME_TMPFS && w < sizeof(made))
		snprintf(made + w, sizeof(made) - w, "%sthe home", w ? ", " : "");
	fprintf(out,
		"glovebox: no user namespace (%s); running without namespaces (fallback = "
		"landlock), weaker than the full sandbox: the host's processes, network, IPC and "
		"host name are shared, and files are fenced by Landlock alone, at their host "
		"paths%s%s%s%s\n",
		err ? userns_cause(err, v, sizeof(v)) : APPARMOR_HINT,
		made[0] ? "; no empty " : "", made, made[0] ? " of its own (out of reach instead)" : "",
		p->user == USER_ROOT ? "; the command runs as you, not as root" : "");
}

static int write_file(const char *path, const char *text)
{
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	return write_all(fd, text, strlen(text));
}

int where_map_ids(const struct policy *p, uid_t outer_uid, gid_t outer_gid, struct diag *d)
{
	char map[64];
	unsigned inner_uid = p->user == USER_ROOT ? 0 : (unsigned)outer_uid;
	unsigned inner_gid = p->user == USER_ROOT ? 0 : (unsigned)outer_gid;
	if (p->bwrap.on) { /* --uid and --gid: any ids */
		inner_uid = (unsigned)p->bwrap.uid;
		inner_gid = (unsigned)p->bwrap.gid;
	}
	int r;

	if (!(p->unshare & CLONE_NEWUSER))
		return 0; /* root without a user namespace: the ids are the host's */
	snprintf(map, sizeof(map), "%u %u 1\n", inner_uid, (unsigned)outer_uid);
	if ((r = write_file("/proc/self/uid_map", map)) < 0)
		return diag_error(d, NULL, "cannot map user ids: %s",
				  r == -EPERM && apparmor_restricts() ? APPARMOR_HINT : strerror(-r));
	/* An unprivileged process may map its gid only after giving up
	 * setgroups(), which could otherwise drop a group that denies access. */
	if ((r = write_file("/proc/self/setgroups", "deny")) < 0 && r != -ENOENT)
		return diag_error(d, NULL, "cannot disable setgroups: %s", strerror(-r));
	snprintf(map, sizeof(map), "%u %u 1\n", inner_gid, (unsigned)outer_gid);
	if ((r = write_file("/proc/self/gid_map", map)) < 0)
		return diag_error(d, NULL, "cannot map group ids: %s", strerror(-r));
	return 0;
}

static int loopback_up(void)
{
	_cleanup_close_ int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	struct ifreq ifr = {0};
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		return -errno;
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
		return -errno;
	return 0;
}

int where_setup_net_uts(const struct policy *p, struct diag *d)
{
	if (p->network != NET_HOST && unshare(CLONE_NEWNET) < 0)
		return diag_error(d, &p->network_s.origin, "cannot create a network namespace: %s",
				  strerror(errno));
	const char *name = p->hostname_s.set ? p->hostname : "glovebox";
	/* bwrap keeps the host's name unless --hostname gives one */
	bool named = p->hostname_s.set || !p->bwrap.on;
	if ((p->unshare & CLONE_NEWUTS) && named && sethostname(name, strlen(name)) < 0)
		return diag_error(d, p->hostname_s.set ? &p->hostname_s.origin : NULL,
				  "cannot set the host name: %s", strerror(errno));
	if (p->network != NET_HOST) {
		int r = loopback_up();
		if (r < 0)
			return diag_error(d, &p->network_s.origin, "cannot bring up loopback: %s",
					  strerror(-r));
	}
	return 0;
}
