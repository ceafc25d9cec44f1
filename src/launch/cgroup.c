/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The sandbox's cgroup v2.
 *
 * Only a cgroup the user may write to can hold the sandbox: a systemd
 * user session delegates user@UID.service and all below it (glovebox
 * running in a scope there, as `systemd-run --user --scope` makes), or
 * an administrator delegates a directory (cgroup = PATH). glovebox makes
 * one child there for the sandbox, writes its limits, and starts the
 * sandbox's first process in it with clone3's CLONE_INTO_CGROUP, so that
 * nothing the sandbox starts runs outside it even for a moment.
 *
 * Controllers reach a child only through its parent's
 * cgroup.subtree_control, which a cgroup holding processes cannot set
 * ("no internal processes"): in the session's scope glovebox first moves
 * itself into a leaf of its own. Moving a process needs write access to
 * cgroup.procs of the lowest cgroup above both ends, which is checked
 * first, for a message that names it.
 *
 * Verified on Linux 6.18 with a cgroup2 mount that has no controllers
 * (tests/integration/test_limits_cgroup.py); the limits themselves are
 * tested where a controller exists, and skipped with the reason here. */
#include "launch/cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/magic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

static const char *const controller_names[] = {"memory", "pids", "cpu"};
#define N_CONTROLLERS (sizeof(controller_names) / sizeof(controller_names[0]))

unsigned cgroup_needed(const struct policy *p)
{
	return (p->memory ? CG_MEMORY : 0u) | (p->pids ? CG_PIDS : 0u) |
	       (p->cpu_quota ? CG_CPU : 0u);
}

bool cgroup_wanted(const struct policy *p)
{
	return cgroup_needed(p) || p->cgroup;
}

/* ---- pure steps ---- */

char *cgroup_v2_path(const char *text)
{
	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		if (str_startswith(l, "0::/"))
			return xstrndup(l + 3, strcspn(l + 3, "\n"));
	}
	return NULL;
}

/* mountinfo: ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [TAGS...] - FSTYPE
 * SOURCE SUPEROPTIONS. Only a mount of the hierarchy's root will do. */
char *cgroup2_mount_point(const char *text)
{
	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		size_t len = strcspn(l, "\n");
		_cleanup_free_ char *line = xstrndup(l, len);
		char root[4096], point[4096];
		const char *dash = strstr(line, " - cgroup2 ");
		if (dash && sscanf(line, "%*s %*s %*s %4095s %4095s", root, point) == 2 &&
		    streq(root, "/"))
			return xstrdup(point);
	}
	return NULL;
}

bool cgroup_in_user_service(const char *path, unsigned uid)
{
	_cleanup_free_ char *unit = xasprintf("/user@%u.service", uid);
	const char *at = strstr(path, unit);
	if (!at)
		return false;
	char next = at[strlen(unit)];
	return next == '\0' || next == '/';
}

static bool list_has(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *w = list; (w = strstr(w, word)); w += n) {
		bool start = w == list || w[-1] == ' ' || w[-1] == '\n';
		bool end = w[n] == '\0' || w[n] == ' ' || w[n] == '\n';
		if (start && end)
			return true;
	}
	return false;
}

const char *cgroup_missing(const char *list, unsigned needed)
{
	for (size_t i = 0; i < N_CONTROLLERS; i++) {
		if ((needed & (1u << i)) && !list_has(list, controller_names[i]))
			return controller_names[i];
	}
	return NULL;
}

char *cgroup_common_ancestor(const char *a, const char *b)
{
	size_t last = 0, i = 0;
	for (; a[i] && a[i] == b[i]; i++) {
		if (a[i] == '/')
			last = i;
	}
	if ((a[i] == '\0' || a[i] == '/') && (b[i] == '\0' || b[i] == '/'))
		last = i;
	return xstrndup(a, last ? last : 1);
}

/* ---- files ---- */

static char *read_text(const char *path)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	size_t size = 4096, used = 0;
	char *buf = xmalloc(size);
	for (;;) {
		ssize_t n = read(fd, buf + used, size - used - 1);
		if (n <= 0)
			break;
		used += (size_t)n;
		if (used + 1 == size)
			buf = xrealloc(buf, size *= 2);
	}
	buf[used] = '\0';
	return buf;
}

static int write_text(const char *dir, const char *file, const char *text)
{
	_cleanup_free_ char *path = xasprintf("%s/%s", dir, file);
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = write(fd, text, strlen(text));
	return n == (ssize_t)strlen(text) ? 0 : n < 0 ? -errno : -EIO;
}

static bool is_cgroup2(const char *dir)
{
	struct statfs s;
	return statfs(dir, &s) == 0 && s.f_type == CGROUP2_SUPER_MAGIC;
}

/* ---- finding the delegated cgroup ---- */

/* glovebox's own cgroup: base->own, and the mount it is in. */
static int find_own(struct cgroup_base *b, char **mount)
{
	_cleanup_free_ char *self = read_text("/proc/self/cgroup");
	_cleanup_free_ char *info = read_text("/proc/self/mountinfo");
	_cleanup_free_ char *path = self ? cgroup_v2_path(self) : NULL;
	*mount = info ? cgroup2_mount_point(info) : NULL;
	if (!path || !*mount) {
		snprintf(b->why, sizeof(b->why), "no cgroup v2: %s",
			 !path ? "this process is in no cgroup v2 hierarchy"
			       : "no cgroup2 filesystem is mounted");
		return -1;
	}
	b->own = streq(path, "/") ? xstrdup(*mount) : xasprintf("%s%s", *mount, path);
	return 0;
}

static int find_session(struct cgroup_base *b)
{
	if (!cgroup_in_user_service(b->own, (unsigned)getuid())) {
		snprintf(b->why, sizeof(b->why),
			 "no delegation: glovebox runs in %s, outside your systemd user "
			 "manager's user@%u.service (start it with systemd-run --user --scope, or "
			 "set [limits] cgroup = PATH)", b->own, (unsigned)getuid());
		return -1;
	}
	b->dir = xstrdup(b->own);
	b->session = true;
	return 0;
}

static int check_dir(struct cgroup_base *b, const char *dir, unsigned needed)
{
	_cleanup_free_ char *procs = xasprintf("%s/cgroup.procs", dir);
	if (!is_cgroup2(dir)) {
		snprintf(b->why, sizeof(b->why), "not cgroup2: %s is not a cgroup v2 directory", dir);
		return -1;
	}
	if (access(dir, W_OK) < 0 || access(procs, W_OK) < 0) {
		snprintf(b->why, sizeof(b->why), "no delegation: %s is not writable to you", dir);
		return -1;
	}
	_cleanup_free_ char *path = xasprintf("%s/cgroup.controllers", dir);
	_cleanup_free_ char *have = read_text(path);
	const char *missing = cgroup_missing(have ? have : "", needed);
	if (missing) {
		snprintf(b->why, sizeof(b->why), "controller %s not enabled in %s (its "
			 "cgroup.controllers: %.*s)", missing, dir, (int)strcspn(have ? have : "", "\n"),
			 have && *have != '\n' ? have : "none");
		return -1;
	}
	return 0;
}

/* The move of the sandbox's first process from glovebox's cgroup into
 * the new one: allowed by cgroup.procs of the cgroup above both. */
static int check_move(struct cgroup_base *b)
{
	_cleanup_free_ char *top = cgroup_common_ancestor(b->own, b->dir);
	_cleanup_free_ char *procs = xasprintf("%s/cgroup.procs", top);
	if (access(procs, W_OK) == 0)
		return 0;
	snprintf(b->why, sizeof(b->why), "no delegation: moving the sandbox from %s to %s needs "
		 "write access to %s", b->own, b->dir, procs);
	return -1;
}

int cgroup_find_base(const struct policy *p, struct cgroup_base *b)
{
	*b = (struct cgroup_base){0};
	_cleanup_free_ char *mount = NULL;
	if (find_own(b, &mount) < 0)
		return -1;
	if (p->cgroup)
		b->dir = xstrdup(p->cgroup);
	else if (find_session(b) < 0)
		return -1;
	if (check_dir(b, b->dir, cgroup_needed(p)) < 0 ||
	    (!b->session && check_move(b) < 0)) {
		free(b->dir);
		b->dir = NULL;
		return -1;
	}
	return 0;
}

void cgroup_base_free(struct cgroup_base *b)
{
	free(b->dir);
	free(b->own);
	b->dir = b->own = NULL;
}

/* ---- the sandbox's cgroup ---- */

static void controllers_text(unsigned needed, char *buf, size_t size)
{
	size_t w = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < N_CONTROLLERS; i++) {
		if (needed & (1u << i))
			w += (size_t)snprintf(buf + w, size - w, "%s+%s", w ? " " : "",
					      controller_names[i]);
	}
}

/* The reason a step failed, into b->why: -1. */
_printf_(2, 3) static int why(struct cgroup_base *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(b->why, sizeof(b->why), fmt, ap);
	va_end(ap);
	return -1;
}

/* The controllers handed down to the base's children. In the session's
 * scope glovebox itself stands in the way: it moves into a leaf first. */
static int delegate_down(struct cgroup_base *b, unsigned needed)
{
	char want[64];
	_cleanup_free_ char *path = xasprintf("%s/cgroup.subtree_control", b->dir);
	_cleanup_free_ char *now = read_text(path);
	if (!needed || !cgroup_missing(now ? now : "", needed))
		return 0;
	if (b->session) {
		_cleanup_free_ char *leaf = xasprintf("%s/glovebox-%d", b->dir, (int)getpid());
		if ((mkdir(leaf, 0755) < 0 && errno != EEXIST) ||
		    write_text(leaf, "cgroup.procs", "0") < 0)
			return why(b, "cannot move glovebox into %s: %s", leaf, strerror(errno));
	}
	controllers_text(needed, want, sizeof(want));
	int r = write_text(b->dir, "cgroup.subtree_control", want);
	if (r == -EBUSY)
		return why(b, "cannot hand %s down to a child: %s holds other processes (start "
			   "glovebox in a scope of its own: systemd-run --user --scope glovebox ...)",
			   want, b->dir);
	return r < 0 ? why(b, "cannot hand %s down to a child of %s: %s", want, b->dir,
			   strerror(-r))
		     : 0;
}

static int write_limits(const struct policy *p, struct cgroup_base *b, const char *dir)
{
	char memory[32], pids[32], cpu[48];
	snprintf(memory, sizeof(memory), "%" PRIu64, p->memory);
	snprintf(pids, sizeof(pids), "%" PRIu32, p->pids);
	/* per 100 ms: 1000 µs for every percent of one CPU */
	snprintf(cpu, sizeof(cpu), "%" PRIu64 " 100000", (uint64_t)p->cpu_quota * 1000);
	const struct {
		bool set;
		const char *file, *value;
		bool optional; /* missing where the kernel lacks it */
	} limits[] = {
		{p->memory != 0, "memory.max", memory, false},
		/* no way round memory.max into swap, tmpfs pages included;
		 * missing where the kernel accounts no swap */
		{p->memory != 0, "memory.swap.max", "0", true},
		{p->pids != 0, "pids.max", pids, false},
		{p->cpu_quota != 0, "cpu.max", cpu, false},
	};
	for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
		int r = limits[i].set ? write_text(dir, limits[i].file, limits[i].value) : 0;
		if (r < 0 && !(r == -ENOENT && limits[i].optional))
			return why(b, "cannot write %s/%s: %s", dir, limits[i].file, strerror(-r));
	}
	return 0;
}

static int make_sandbox_cgroup(struct sandbox_cgroup *cg, const struct policy *p,
			       struct cgroup_base *b)
{
	if (delegate_down(b, cgroup_needed(p)) < 0)
		return -1;
	_cleanup_free_ char *dir = xasprintf("%s/sandbox-%d", b->dir, (int)getpid());
	if (mkdir(dir, 0755) < 0)
		return why(b, "cannot make the sandbox's cgroup %s: %s", dir, strerror(errno));
	cg->dir = steal_pointer(&dir);
	if (write_limits(p, b, cg->dir) < 0)
		return -1;
	cg->fd = open(cg->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return cg->fd < 0 ? why(b, "%s: %s", cg->dir, strerror(errno)) : 0;
}

void cgroup_fallback_policy(const struct policy *p, struct policy *out)
{
	*out = *p;
	if (p->memory && !p->rlimits[RLIMIT_AS].set)
		out->rlimits[RLIMIT_AS] = (struct rlimit_setting){
			true, {p->memory, p->memory}, p->memory_s.origin};
	if (p->pids && (!p->processes || p->pids < p->processes)) {
		/* processes counts from 2: the command and one more */
		out->processes = p->pids < 2 ? 2 : p->pids;
		out->processes_s = p->pids_s;
	}
	out->memory = out->pids = out->cpu_quota = 0;
}

/* One line: why there is no cgroup, and what holds each limit instead. */
static void fallback_note(const struct policy *p, const char *why)
{
	static const char *const instead[] = {
		"memory held by RLIMIT_AS of each process",
		"pids by the process limit",
		"cpu-quota not held",
	};
	unsigned needed = cgroup_needed(p);
	fprintf(stderr, "glovebox: no cgroup for the sandbox (%s)", why);
	const char *sep = ": ";
	for (size_t i = 0; i < N_CONTROLLERS; i++) {
		if (needed & (1u << i)) {
			fprintf(stderr, "%s%s", sep, instead[i]);
			sep = ", ";
		}
	}
	fputc('\n', stderr);
}

int sandbox_cgroup_start(struct sandbox_cgroup *cg, const struct policy *p,
			 struct policy *fallback, const struct policy **use, struct diag *d)
{
	*cg = (struct sandbox_cgroup){.fd = -1};
	*use = p;
	if (!cgroup_wanted(p))
		return 0;
	struct cgroup_base b;
	int r = cgroup_find_base(p, &b);
	if (r == 0 && make_sandbox_cgroup(cg, p, &b) < 0) {
		sandbox_cgroup_end(cg); /* what was made of it */
		r = -1;
	}
	if (r == -1 && p->cgroup_fallback == CGROUP_FALLBACK_RLIMITS) {
		fallback_note(p, b.why);
		cgroup_fallback_policy(p, fallback);
		*use = fallback;
		r = 0;
	} else if (r == -1) {
		diag_error(d, NULL, "[limits]: %s", b.why);
	}
	cgroup_base_free(&b);
	return r < 0 ? -1 : 0;
}

/* Until the cgroup is empty (cgroup.events says populated 0), at most a
 * second: the kernel reaps what cgroup.kill ended a little later. */
static void wait_empty(const char *dir)
{
	_cleanup_free_ char *path = xasprintf("%s/cgroup.events", dir);
	for (int i = 0; i < 100; i++) {
		_cleanup_free_ char *events = read_text(path);
		if (!events || strstr(events, "populated 0"))
			return;
		nanosleep(&(struct timespec){0, 10000000L}, NULL); /* 10 ms */
	}
}

void sandbox_cgroup_end(struct sandbox_cgroup *cg)
{
	closep(&cg->fd);
	if (!cg->dir)
		return;
	/* what the sandbox left running, after a timeout too (Linux 5.14+;
	 * before, the pid namespace's end takes its processes with it) */
	(void)write_text(cg->dir, "cgroup.kill", "1");
	wait_empty(cg->dir);
	if (rmdir(cg->dir) < 0)
		fprintf(stderr, "glovebox: cannot remove the sandbox's cgroup %s: %s\n", cg->dir,
			strerror(errno));
	free(cg->dir);
	cg->dir = NULL;
}
