/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The bwrap mode from start to end: the descriptors the caller left open,
 * the command line, then glovebox's own launch path with bwrap's
 * defaults. */
#include "bwrap/bwrap.h"

#include <dirent.h>
#include <sched.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include "config.h"
#include "launch/launch.h"
#include "state.h"
#include "where/resolve.h"

/* Every descriptor above 2 open without close-on-exec when glovebox
 * starts: the caller's, and (as with bwrap) the command's. Read before
 * glovebox opens anything of its own. */
static size_t inherited_fds(int **out)
{
	*out = NULL;
	size_t n = 0;
	DIR *dir = opendir("/proc/self/fd");
	if (!dir)
		return 0;
	for (struct dirent *e; (e = readdir(dir));) {
		uint64_t fd;
		if (parse_u64(e->d_name, &fd) < 0 || fd < 3 || fd > INT32_MAX ||
		    (int)fd == dirfd(dir))
			continue;
		int flags = fcntl((int)fd, F_GETFD);
		if (flags >= 0 && !(flags & FD_CLOEXEC))
			*APPEND(*out, n) = (int)fd;
	}
	closedir(dir);
	return n;
}

/* Take away fd from the list (it was read, or it is glovebox's). */
static void forget_fd(int *fds, size_t *n, int fd)
{
	size_t w = 0;
	for (size_t i = 0; i < *n; i++)
		if (fds[i] != fd)
			fds[w++] = fds[i];
	*n = w;
}

/* The namespaces of the command that differ from glovebox's own, in
 * bwrap's order and words: those it made. A pid namespace joined with
 * --pidns is not one: the sandbox's processes are made in glovebox's
 * pid_for_children, which is then not glovebox's own. */
static const struct {
	const char *name, *own;
} ns_names[] = {{"cgroup", "cgroup"}, {"ipc", "ipc"}, {"mnt", "mnt"},
		{"net", "net"},	      {"pid", "pid_for_children"}, {"uts", "uts"}};

static char *bwrap_child_info(pid_t child, bool multi_line)
{
	const char *sep = multi_line ? ",\n    " : ", ";
	char *text = xasprintf(multi_line ? "{\n    \"child-pid\": %d" : "{ \"child-pid\": %d",
			       (int)child);
	for (size_t i = 0; i < ELEMENTSOF(ns_names); i++) {
		char path[64], own[64];
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)child, ns_names[i].name);
		snprintf(own, sizeof(own), "/proc/self/ns/%s", ns_names[i].own);
		struct stat theirs, ours;
		if (stat(path, &theirs) < 0 || stat(own, &ours) < 0 || theirs.st_ino == ours.st_ino)
			continue;
		char *more = xasprintf("%s%s\"%s-namespace\": %llu", text, sep, ns_names[i].name,
				       (unsigned long long)theirs.st_ino);
		free(text);
		text = more;
	}
	char *done = xasprintf("%s%s", text, multi_line ? "\n}\n" : " }\n");
	free(text);
	return done;
}

/* --as-pid-1, with bwrap's rules and words: the command replaces the pid
 * namespace's init, which would hold the locks. */
static int take_as_pid_1(const struct bwrap_request *r, struct policy *p, struct diag *d)
{
	if (!r->as_pid_1)
		return 0;
	if (!(p->unshare & CLONE_NEWPID))
		return diag_error(d, NULL, "Specifying --as-pid-1 requires --unshare-pid");
	if (r->lock_files.n)
		return diag_error(d, NULL, "Specifying --as-pid-1 and --lock-file is not permitted");
	p->as_pid_1 = true;
	p->as_pid_1_s = (struct setting){.set = true, .origin = {.key = "--as-pid-1"}};
	return 0;
}

/* The sandbox ends when the process that started glovebox does: glovebox
 * dies with it, and the sandbox with glovebox. */
static int die_with_parent(pid_t parent, struct diag *d)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		return diag_error(d, NULL, "prctl(PR_SET_PDEATHSIG): %s", strerror(errno));
	if (getppid() != parent)
		return diag_error(d, NULL, "the parent process is gone");
	return 0;
}

static uint64_t bounding_set(void)
{
	uint64_t set = 0;
	for (unsigned cap = 0; cap < 64; cap++)
		if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1)
			set |= UINT64_C(1) << cap;
	return set;
}

/* --bind-fd: the sandbox's mount namespace is a copy, in which a clone
 * of the descriptor's own mount is refused; the path it names is bound
 * instead, once it is known to name the same file still. */
static int resolve_bind_fds(struct policy *p, struct diag *d)
{
	static const char prefix[] = "/proc/self/fd/";
	for (size_t i = 0; i < p->n_mounts; i++) {
		struct mount_op *m = &p->mounts[i];
		if ((m->kind != MOUNT_BIND && m->kind != MOUNT_RO_BIND) || !m->src ||
		    !str_startswith(m->src, prefix))
			continue;
		struct stat by_fd, by_path;
		errno = 0;
		char *path = realpath(m->src, NULL);
		bool same = path && stat(m->src, &by_fd) == 0 && stat(path, &by_path) == 0 &&
			    by_fd.st_dev == by_path.st_dev && by_fd.st_ino == by_path.st_ino;
		if (!same) {
			free(path);
			return diag_error(d, NULL, "%s: descriptor %s: %s", m->origin.key,
					  m->src + strlen(prefix),
					  errno ? strerror(errno) : "its path names another file now");
		}
		free(m->src);
		m->src = path;
	}
	return 0;
}

struct bwrap_run {
	struct diag d;
	struct policy p;
	struct bwrap_request r;
	int *keep;
	size_t n_keep;
	char *cwd, *config, *cache;
};

/* A launch's memory, left to exit and kept reachable (main.c says why);
 * sanitizer builds (GB_FREE_AT_EXIT) free it. */
_used_ static struct where_env kept_where;
_used_ static struct bwrap_run kept_run;

static int run(struct bwrap_run *b)
{
	/* used up by the options: never the command's (and a closed one's number may be glovebox's now) */
	for (size_t i = 0; i < b->r.n_consumed; i++)
		forget_fd(b->keep, &b->n_keep, b->r.consumed[i]);
	const int report_fds[] = {b->r.info_fd, b->r.json_fd};
	for (size_t i = 0; i < ELEMENTSOF(report_fds); i++) {
		if (report_fds[i] < 0)
			continue;
		/* glovebox's to write, never the sandbox's */
		if (fcntl(report_fds[i], F_SETFD, FD_CLOEXEC) < 0)
			return diag_error(&b->d, NULL, "descriptor %d: %s", report_fds[i],
					  strerror(errno));
		forget_fd(b->keep, &b->n_keep, report_fds[i]);
	}
	const char *home = getenv("HOME");
	b->config = state_dir(STATE_CONFIG, home);
	b->cache = state_dir(STATE_CACHE, home);
	/* glovebox's state stays hidden in every sandbox (a bind of / shows
	 * it masked), in this mode too */
	struct protected_dir protected[] = {{b->config}, {b->cache}};
	b->cwd = getcwd(NULL, 0);
	struct stat st;
	struct where_env wenv = {.host_root = geteuid() == 0, .invoker = geteuid(), .home = home,
				 .cwd = b->cwd, .protected = protected,
				 .n_protected = ELEMENTSOF(protected)};
	if (b->cwd && stat(b->cwd, &st) == 0) {
		wenv.cwd_dev = st.st_dev;
		wenv.cwd_ino = st.st_ino;
	}
	/* Before any namespace: the sources' symlinks, followed as bwrap
	 * does, are resolved once, and pid 1 opens what they led to. */
	where_resolve_sources(&b->p, &wenv);
	/* bwrap loads no filter of its own: glovebox's, empty, or refusing
	 * new user namespaces for --disable-userns */
	_cleanup_(how_program_free) struct how_program own = {0};
	if (b->r.userns_disabled) {
		b->p.ns_allowed = NS_ALL & ~(uint32_t)CLONE_NEWUSER;
		if (how_compile(&b->p, &own, &b->d) < 0)
			return 1;
	}
	struct launch_request req = {
		.policy = &b->p, .how = &own, .where = &wenv,
		.assert_no_userns = b->r.assert_userns_disabled,
		.info_fd = b->r.info_fd, .status_fd = b->r.json_fd,
		.extra_how = b->r.seccomp, .n_extra_how = b->r.n_seccomp,
		.keep_fds = b->keep, .n_keep_fds = b->n_keep,
		.new_session = b->r.new_session, .block_fd = b->r.block_fd, .argv0 = b->r.argv0,
		.lock_files = b->r.lock_files.v, .n_lock_files = b->r.lock_files.n,
		.child_info = bwrap_child_info,
		/* NULL without either: the launch may then be serial (serial.c) */
		.userns = b->r.userns2_fd < 0 && b->r.userns_block_fd < 0
				  ? NULL
				  : &(struct launch_userns){.enter_fd = b->r.userns2_fd,
							    .maps_ready_fd = b->r.userns_block_fd},
		.joined_pidns = b->r.pidns_fd >= 0,
	};
	fflush(stdout);
	fflush(stderr);
	int status = launch_run(&req);
	/* left to exit as a glovebox launch leaves its own (main.c) */
	if (GB_FREE_AT_EXIT)
		where_env_free_paths(&wenv, b->p.n_mounts + 2);
	else
		kept_where = wenv;
	return status;
}

int bwrap_main(int argc, char **argv)
{
	struct bwrap_run b = {0};
	pid_t parent = getppid();
	b.n_keep = inherited_fds(&b.keep);
	diag_init(&b.d, stderr, "bwrap: ");
	policy_init(&b.p);
	struct bwrap_caller caller = {.uid = getuid(), .gid = getgid(), .bounding = bounding_set(),
				      .selinux = access("/sys/fs/selinux/enforce", F_OK) == 0};
	int status = 1; /* bwrap's status for its own errors */
	if (bwrap_parse(argc, argv, &caller, &b.p, &b.r, &b.d) < 0) {
		if (b.r.no_command)
			bwrap_usage(stderr, argv[0]);
		goto out;
	}
	if (b.r.level_prefix)
		b.d.prefix = "<3>bwrap: ";
	if (b.r.help || b.r.version) {
		if (b.r.help)
			bwrap_usage(stdout, argv[0]);
		else
			printf("bubblewrap-compatible glovebox %s\n", GB_VERSION);
		status = 0;
		goto out;
	}
	if (take_as_pid_1(&b.r, &b.p, &b.d) < 0)
		goto out;
	if (b.r.die_with_parent && die_with_parent(parent, &b.d) < 0)
		goto out;
	if (resolve_bind_fds(&b.p, &b.d) < 0 || bwrap_join_namespaces(&b.r, &b.p, &caller, &b.d) < 0)
		goto out;
	status = run(&b);
	if (!GB_FREE_AT_EXIT) {
		kept_run = b;
		return status;
	}
out:
	free(b.keep);
	free(b.cwd);
	free(b.config);
	free(b.cache);
	bwrap_request_free(&b.r);
	policy_free(&b.p);
	return status;
}
