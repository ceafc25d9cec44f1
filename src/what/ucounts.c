/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* inotify instances and watches, per sandbox.
 *
 * The kernel counts them per user in each user namespace (ucounts), and a
 * new one is charged to the namespace it is made in and to every
 * namespace above it, each against its own max_* in /proc/sys/user. A new
 * user namespace starts with no limit of its own, so a sandbox could take
 * all of its user's instances (128 by default) and leave none to the
 * host's file managers and editors. Its pid 1, holding CAP_SYS_RESOURCE in
 * the namespace, lowers the namespace's own limits; the host's stay as
 * they are and count the sandbox's share in. Inside, without
 * CAP_SYS_RESOURCE, the files are read-only: the command cannot raise
 * them again (and /proc/sys is mounted read-only besides).
 *
 * Measured on Linux 6.18, as root and as nobody: with 100 held in a
 * namespace limited to 100, the user's 101st fails with EMFILE there, and
 * the same user still makes 28 outside (128 - 100). */
#include "what/ucounts.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

const char *const ucount_keys[UCOUNT_KINDS] = {
	[UCOUNT_INOTIFY_INSTANCES] = "inotify-instances",
	[UCOUNT_INOTIFY_WATCHES] = "inotify-watches",
};

static const char *const ucount_files[UCOUNT_KINDS] = {
	[UCOUNT_INOTIFY_INSTANCES] = "/proc/sys/user/max_inotify_instances",
	[UCOUNT_INOTIFY_WATCHES] = "/proc/sys/user/max_inotify_watches",
};

uint64_t ucount_value(const struct ucount_limit *u, uint64_t users)
{
	if (!u->value || !users)
		return 0;
	if (!u->percent)
		return u->value < users ? u->value : users;
	uint64_t v = users / 100 * u->value + users % 100 * u->value / 100;
	return v ? v : 1;
}

void ucount_describe(const struct ucount_limit *u, uint64_t users, char *buf, size_t size)
{
	uint64_t v = ucount_value(u, users);
	if (!u->value)
		snprintf(buf, size, "none (yours: %" PRIu64 ")", users);
	else if (u->percent)
		snprintf(buf, size, "%" PRIu64 "%% of your %" PRIu64 ": %" PRIu64, u->value, users, v);
	else
		snprintf(buf, size, "%" PRIu64 "%s", v, v < u->value ? " (yours: no more)" : "");
}

static uint64_t read_count(const char *path)
{
	char buf[32];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	uint64_t v;
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return parse_u64(buf, &v) < 0 ? 0 : v;
}

void what_ucounts_resolve(const struct policy *p, uint64_t users[UCOUNT_KINDS],
			  uint64_t out[UCOUNT_KINDS])
{
	for (int i = 0; i < UCOUNT_KINDS; i++) {
		users[i] = read_count(ucount_files[i]);
		out[i] = ucount_value(&p->ucounts[i], users[i]);
	}
}

int what_limit_ucounts(const struct policy *p, const uint64_t values[UCOUNT_KINDS],
		       struct diag *d)
{
	/* Without a user namespace of its own, these files are the host's. */
	if (!(p->unshare & CLONE_NEWUSER))
		return 0;
	for (int i = 0; i < UCOUNT_KINDS; i++) {
		if (!values[i])
			continue;
		char buf[32];
		int n = snprintf(buf, sizeof(buf), "%" PRIu64, values[i]);
		int fd = open(ucount_files[i], O_WRONLY | O_CLOEXEC);
		int r = fd < 0 || write(fd, buf, (size_t)n) != n ? -errno : 0;
		if (fd >= 0)
			close(fd);
		if (r < 0)
			return diag_error(d, &p->ucounts[i].s.origin, "[limits] %s: cannot lower %s: %s",
					  ucount_keys[i], ucount_files[i], strerror(-r));
	}
	return 0;
}
