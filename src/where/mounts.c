/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The executor: gather the facts (gather.c), let the plan decide
 * (plan.c), then one loop over its steps. Nothing here chooses what is
 * mounted where; it only does it, safely (every path resolved inside the
 * new root) and fast (the parent-directory cache, no checks on what it
 * made itself a moment ago). */
#include "where/executor.h"
#include "where/held.h"

#include "trace.h"

#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/vfs.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>


/* The read-only bind, made before the current step, that holds path:
 * the deepest one whose destination is path's ancestor. */
static const struct where_step *holding_ro_bind(const struct where_ctx *w, const char *path)
{
	const struct where_step *best = NULL;
	size_t best_len = 0;
	for (size_t i = 0; w->steps && i < w->step_now; i++) {
		const struct where_step *st = &w->steps[i];
		if (st->what != STEP_MOUNT || !st->read_only || !st->op)
			continue;
		const char *d = st->op->dest;
		size_t n = streq(d, "/") ? 0 : strlen(d);
		if (strncmp(path, d, n) == 0 && path[n] == '/' && (!best || n >= best_len)) {
			best = st;
			best_len = n;
		}
	}
	return best;
}

int step_fail(struct where_ctx *w, const struct mount_op *m, const char *what, int err)
{
	const struct where_step *ro = err == EROFS && m ? holding_ro_bind(w, m->dest) : NULL;
	if (!ro)
		return diag_error(w->d, m ? &m->origin : NULL, "%s: %s", what, strerror(err));
	/* "Read-only file system" alone does not say which mount is in the
	 * way, nor that nothing new can appear inside a host directory. */
	char from[256];
	origin_format(&ro->op->origin, from, sizeof(from));
	return diag_error(w->d, &m->origin,
			  "%s: %s: %s is a read-only bind of the host's %s (%s), where nothing "
			  "new can be made; put it under a directory the sandbox makes (a tmpfs, "
			  "e.g. /tmp) or over a path that exists there",
			  what, strerror(err), ro->op->dest, ro->op->src ? ro->op->src : ro->op->dest,
			  from);
}

/* Open a path inside the new root. RESOLVE_IN_ROOT treats the new root as
 * "/" for every component, symlinks included, so a symlink planted in a
 * writable bind cannot send a mount point out to the host. */
int open_in_root(int rootfd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	return (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
}



/* Create the last component of a destination in its (resolved) parent,
 * and open it. A symlink found there is never followed from here. */
static int create_in(struct where_ctx *w, int pfd, bool parent_in_root, const char *base,
		     enum dest_kind kind, int depth)
{
	/* An O_PATH descriptor serves as dirfd for the *at() calls. A
	 * missing parent gets the mode the plan says (bwrap's 0700 above a
	 * bind), the destination 0755. */
	mode_t mode = depth > 0 && w->parent_mode ? w->parent_mode : 0755;
	int r = kind == DEST_DIR ? mkdirat(pfd, base, mode) : mknodat(pfd, base, S_IFREG | 0644, 0);
	if (r < 0 && errno != EEXIST)
		return -errno;
	int fd = openat(pfd, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* Made just now in the root tmpfs, which only this process can reach
	 * yet: nothing can have been swapped in. Anywhere else (a writable
	 * bind another sandbox shares) it is checked.
	 * Measured: 1,000 file binds into one new directory make 16,640
	 * system calls with this shortcut, 2,000 more without (an fstat here
	 * and the statx of check_dest_fs for each); CPU time 19.3 against
	 * 19.8 ms (medians of 15, strace -c and getrusage, 2 loaded CPUs).
	 * The slow path: test_where.py's hostile symlink in a writable bind. */
	w->last_fresh = r == 0 && parent_in_root;
	if (w->last_fresh)
		return fd;
	struct stat st;
	if (fstat(fd, &st) < 0 || S_ISLNK(st.st_mode)) {
		close(fd);
		return -ELOOP;
	}
	return fd;
}

/* The parent directory of the last destination made, kept while nothing
 * is mounted on it or above it: hundreds of binds into one directory then
 * skip resolving it again each time.
 * Measured: 1,000 file binds into /a/b/c/d/e/f/g/h make 16,643 system
 * calls with the cache and 20,662 without (an openat2 of the whole path,
 * and of its parent, and an fstat, for each bind); CPU time 19.3 against
 * 20.6 ms (medians of 15, strace -c and getrusage, 2 loaded CPUs).
 * The slow paths: a cached parent whose entry is a symlink
 * (test_where.py's symlink among the binds of one directory) and a mount
 * on or above the cached parent (parent_cache_after_mount). */
static void parent_cache_drop(struct where_ctx *w)
{
	free(w->pc_path);
	w->pc_path = NULL;
	closep(&w->pc_fd);
	w->pc_fd = -1;
}

/* After a mount at dest: the cached parent stays valid only if the mount
 * lies strictly below it. */
static void parent_cache_after_mount(struct where_ctx *w, const char *dest)
{
	if (!w->pc_path)
		return;
	size_t n = strlen(w->pc_path);
	bool below = streq(w->pc_path, "/") ? dest[1] != '\0'
					     : strncmp(dest, w->pc_path, n) == 0 && dest[n] == '/';
	if (!below)
		parent_cache_drop(w);
}

/* Resolve (creating as needed) a destination inside the new root. Missing
 * parents become directories, however many (each call goes one component
 * up: the path's length bounds the depth); the last component becomes a
 * directory or an empty file. depth: how far above the destination path
 * is (a missing parent gets the plan's parent_mode). Returns an O_PATH
 * descriptor or -errno. */
static int ensure_path_at(struct where_ctx *w, const char *path, enum dest_kind kind, int depth)
{
	w->last_fresh = false;
	const char *slash = strrchr(path, '/');
	if (!slash || slash[1] == '\0') {
		int fd = open_in_root(w->rootfd, path, O_PATH);
		return fd >= 0 ? fd : -errno;
	}
	_cleanup_free_ char *parent = slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
	const char *base = slash + 1;

	if (w->pc_path && streq(parent, w->pc_path)) {
		int fd = create_in(w, w->pc_fd, w->pc_in_root, base, kind, depth);
		if (fd != -ELOOP)
			return fd;
		/* a symlink: resolve it the careful way below */
	}
	w->last_fresh = false;
	int fd = open_in_root(w->rootfd, path, O_PATH);
	if (fd >= 0 || errno != ENOENT)
		return fd >= 0 ? fd : -errno;
	int pfd = ensure_path_at(w, parent, DEST_DIR, depth + 1);
	if (pfd < 0)
		return pfd;
	struct stat pst;
	bool in_root = fstat(pfd, &pst) == 0 && pst.st_dev == w->root_dev;
	fd = create_in(w, pfd, in_root, base, kind, depth);
	parent_cache_drop(w);
	w->pc_path = steal_pointer(&parent);
	w->pc_fd = pfd;
	w->pc_in_root = in_root;
	return fd;
}

int ensure_path(struct where_ctx *w, const char *path, enum dest_kind kind)
{
	return ensure_path_at(w, path, kind, 0);
}

/* Attach mntfd at path by its name in the cached parent, when that is a
 * directory of the root tmpfs (which only this process can reach yet) and
 * the destination is made there just now: no descriptor is opened for it
 * (move_mount does not follow a symlink at its target's name unless told
 * to, and none can be there). 0 when attached, 1 when this does not apply
 * (the destination exists, or the parent is not the cached one: the
 * caller takes ensure_path's way), or -errno.
 * Measured: 500 read-only binds into /b make 1,000 system calls fewer (an
 * openat and a close each): 5,141 against 6,120 (strace -c -f, as root);
 * CPU time of the launch's tree 37.1 against 39.2 ms as root, 55.4 against
 * 55.7 as nobody (medians of 40 interleaved runs, getrusage, load 3).
 * The slow paths: test_where_binds.py's bind into a
 * directory that exists, into a tmpfs, and twice at one destination. */
static int attach_fresh(struct where_ctx *w, const char *path, enum dest_kind kind, int mntfd)
{
	const char *slash = strrchr(path, '/');
	if (!w->pc_path || !w->pc_in_root || !slash || slash[1] == '\0')
		return 1;
	size_t n = slash == path ? 1 : (size_t)(slash - path);
	if (strlen(w->pc_path) != n || strncmp(path, w->pc_path, n) != 0)
		return 1;
	const char *base = slash + 1;
	int r = kind == DEST_DIR ? mkdirat(w->pc_fd, base, 0755)
				 : mknodat(w->pc_fd, base, S_IFREG | 0644, 0);
	if (r < 0)
		return errno == EEXIST ? 1 : -errno;
	return move_mount(mntfd, "", w->pc_fd, base, MOVE_MOUNT_F_EMPTY_PATH) < 0 ? -errno : 0;
}

/* A mount point inside procfs or sysfs would hide a kernel interface
 * (or re-expose one made read-only): refused. */
int check_dest_fs(struct where_ctx *w, const struct mount_op *m, int destfd)
{
	struct statfs sfs;
	if (fstatfs(destfd, &sfs) < 0)
		return step_fail(w, m, m->dest, errno);
	/* Covering a whole proc or sysfs (bwrap's --proc /proc over a bound
	 * host root) hides nothing but it. */
	struct statx stx;
	bool whole = statx(destfd, "", AT_EMPTY_PATH, 0, &stx) == 0 &&
		     (stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
		     (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
	if ((sfs.f_type == PROC_SUPER_MAGIC || sfs.f_type == SYSFS_MAGIC) && !whole)
		return diag_error(w->d, &m->origin, "%s: refusing to mount over an entry of %s",
				  m->dest, sfs.f_type == PROC_SUPER_MAGIC ? "/proc" : "/sys");
	return 0;
}

int attach_mount(int mntfd, int destfd)
{
	return move_mount(mntfd, "", destfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
}

int set_mount_attrs(int mntfd, uint64_t set, bool recursive)
{
	struct mount_attr attr = {.attr_set = set};
	return mount_setattr(mntfd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr,
			     sizeof(attr));
}

/* Mount a new filesystem instance (tmpfs, proc, devpts, mqueue) on the
 * directory that an O_PATH descriptor names. mount(2) wants a path;
 * /proc/self/fd/N jumps straight to that very directory, so nothing in
 * between can redirect it. One call, where the fsopen API takes five. */
int mount_fs_on(int destfd, const char *type, unsigned long flags, const char *data)
{
	char path[40];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", destfd);
	return mount(type, path, type, flags, data) < 0 ? -errno : 0;
}

int mount_new_fs_at(struct where_ctx *w, const struct mount_op *m, const char *type,
			   unsigned long flags, const char *data)
{
	_cleanup_close_ int dest = ensure_path(w, m->dest, DEST_DIR);
	if (dest < 0)
		return step_fail(w, m, m->dest, -dest);
	if (!w->last_fresh && check_dest_fs(w, m, dest) < 0)
		return -1;
	int r = mount_fs_on(dest, type, flags, data);
	return r < 0 ? step_fail(w, m, m->dest, -r) : 0;
}

/* ---- one operation each ---- */

static int do_bind(struct where_ctx *w, const struct where_step *st, const struct where_source *src)
{
	const struct mount_op *m = st->op;
	if (src->missing)
		return 0;
	uint64_t attrs = MOUNT_ATTR_NOSUID;
	if (m->kind != MOUNT_DEV_BIND)
		attrs |= MOUNT_ATTR_NODEV;
	if (st->read_only)
		attrs |= MOUNT_ATTR_RDONLY;
	/* Recursive: every submount gets read-only, nosuid and nodev too. */
	if (set_mount_attrs(src->fd, attrs, true) < 0)
		return step_fail(w, m, m->src, errno);
	bool is_dir = S_ISDIR(src->st.st_mode);
	int fresh = attach_fresh(w, m->dest, is_dir ? DEST_DIR : DEST_FILE, src->fd);
	if (fresh <= 0)
		return fresh < 0 ? step_fail(w, m, m->dest, -fresh) : 0;
	_cleanup_close_ int dest = ensure_path(w, m->dest, is_dir ? DEST_DIR : DEST_FILE);
	if (dest < 0)
		return step_fail(w, m, m->dest, -dest);
	struct stat dst;
	if (w->last_fresh)
		; /* made just now, of the kind asked for */
	else if (check_dest_fs(w, m, dest) < 0)
		return -1;
	else if (fstat(dest, &dst) == 0 && S_ISDIR(dst.st_mode) != is_dir)
		return diag_error(w->d, &m->origin, "%s: cannot mount a %s on a %s", m->dest,
				  is_dir ? "directory" : "file",
				  S_ISDIR(dst.st_mode) ? "directory" : "file");
	if (attach_mount(src->fd, dest) < 0)
		return step_fail(w, m, m->dest, errno);
	return 0;
}

/* Create LINK -> TARGET; an identical existing link is fine. */
static int make_symlink(struct where_ctx *w, const struct mount_op *m, const char *target)
{
	const char *slash = strrchr(m->dest, '/');
	_cleanup_free_ char *parent =
		slash == m->dest ? xstrdup("/") : xstrndup(m->dest, (size_t)(slash - m->dest));
	_cleanup_close_ int dir = ensure_path_at(w, parent, DEST_DIR, 1); /* the link's parent */
	if (dir < 0)
		return step_fail(w, m, parent, -dir);
	if (symlinkat(target, dir, slash + 1) == 0)
		return 0;
	if (errno == EEXIST) {
		char existing[PATH_MAX];
		ssize_t n = readlinkat(dir, slash + 1, existing, sizeof(existing) - 1);
		if (n >= 0) {
			existing[n] = '\0';
			if (streq(existing, target))
				return 0;
		}
		errno = EEXIST;
	}
	return step_fail(w, m, m->dest, errno);
}

static int do_dir(struct where_ctx *w, const struct mount_op *m)
{
	_cleanup_close_ int fd = ensure_path(w, m->dest, DEST_DIR);
	if (fd < 0)
		return step_fail(w, m, m->dest, -fd);
	if (m->mode != MODE_UNSET) {
		char proc[64];
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		if (chmod(proc, m->mode) < 0)
			return step_fail(w, m, m->dest, errno);
	}
	return 0;
}

static int do_mirror(struct where_ctx *w, const struct where_step *st,
		     const struct where_source *src)
{
	if (src->missing)
		return 0;
	if (src->link_target)
		return make_symlink(w, st->op, src->link_target);
	return do_bind(w, st, src);
}

static int do_remount_ro(struct where_ctx *w, const struct where_step *st)
{
	const struct mount_op *m = st->op;
	_cleanup_close_ int fd = open_in_root(w->rootfd, m->dest, O_PATH);
	if (fd < 0)
		return step_fail(w, m, m->dest, errno);
	if (set_mount_attrs(fd, MOUNT_ATTR_RDONLY, !st->shallow) < 0)
		return step_fail(w, m, m->dest, errno == EINVAL ? ENOTBLK : errno);
	return 0;
}

/* A scratch tmpfs for file contents, throw-away overlay layers and a
 * budget's pool. It is mounted in the host tree under the root tmpfs
 * (make_root), reached by its descriptor alone, and leaves with the host
 * tree when enter_root detaches it: what was mounted from it stays,
 * nothing else shows.
 *
 * Attached in the root and detached before pivot_root, as it once was,
 * it cost an umount2(MNT_DETACH) of its own, and every detaching umount
 * waits for an expedited RCU grace period (IPIs to every CPU). Measured
 * on the busy 2-CPU VM, 2026-11-30: a loop of 300 mount(tmpfs) +
 * umount2(MNT_DETACH) in a mount namespace of its own costs 190-590 us
 * of wall time and 50-120 us of the rcu_exp_gp kernel thread a turn,
 * against 40-80 us and none for the mount alone (bench/run --only kernel
 * shows that thread per launch, but cannot resolve 0.1 ms on a busy
 * machine). No slow path is left: test_where.py's Scratch tests check
 * that a launch detaches once, and that the scratch's own mount shows
 * nowhere inside. */
static int mount_scratch(struct where_ctx *w, const char *path)
{
	/* A budget's pool also bounds its inodes, which tmpfs keeps outside
	 * size=: one for every 4 KiB, so that a tree of empty files costs
	 * about a fifth of the budget again in kernel memory at most. */
	char data[96] = "mode=0700";
	uint64_t pool = w->plan->tmpfs_pool;
	if (pool)
		snprintf(data, sizeof(data), "mode=0700,size=%" PRIu64 ",nr_inodes=%" PRIu64, pool,
			 pool / 4096 > 1024 ? pool / 4096 : 1024);
	if (mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, data) < 0)
		return -errno;
	w->scratchfd = open(path, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return w->scratchfd < 0 ? -errno : 0;
}

static bool plan_uses_scratch(const struct where_plan *plan)
{
	for (size_t k = 0; k < plan->n_steps; k++)
		if (plan->steps[k].what == STEP_SCRATCH)
			return true;
	return false;
}

/* The step only says where the scratch's first user comes: make_root
 * mounted it already. */
static int do_scratch(struct where_ctx *w, const struct where_step *st)
{
	if (w->scratchfd >= 0)
		return 0;
	return step_fail(w, w->steps[st->cause].op, "scratch tmpfs", EBADF);
}

static int do_scratch_drop(struct where_ctx *w)
{
	closep(&w->scratchfd); /* detached with the host tree, by enter_root */
	return 0;
}

static int do_file(struct where_ctx *w, const struct where_step *st)
{
	const struct mount_op *m = st->op;
	char name[32];
	snprintf(name, sizeof(name), "f%zu", st->index);
	_cleanup_close_ int fd = openat(w->scratchfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return step_fail(w, m, m->dest, errno);
	int r = write_all(fd, m->src, m->len ? m->len : strlen(m->src));
	if (r == 0 && fchmod(fd, m->mode == MODE_UNSET ? 0644 : m->mode) < 0)
		r = -errno;
	if (r < 0)
		return step_fail(w, m, m->dest, -r);
	_cleanup_close_ int tree = open_tree(w->scratchfd, name, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	uint64_t ro = st->read_only ? MOUNT_ATTR_RDONLY : 0; /* writable: bwrap's --bind-data */
	if (tree < 0 || set_mount_attrs(tree, ro | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, false) < 0)
		return step_fail(w, m, m->dest, errno);
	_cleanup_close_ int dest = ensure_path(w, m->dest, DEST_FILE);
	if (dest < 0)
		return step_fail(w, m, m->dest, -dest);
	if (attach_mount(tree, dest) < 0)
		return step_fail(w, m, m->dest, errno);
	return 0;
}

static int do_chmod(struct where_ctx *w, const struct mount_op *m)
{
	_cleanup_close_ int fd = open_in_root(w->rootfd, m->dest, O_PATH);
	if (fd < 0)
		return step_fail(w, m, m->dest, errno);
	char path[40];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (chmod(path, m->mode) < 0)
		return step_fail(w, m, m->dest, errno);
	return 0;
}

static int do_mount(struct where_ctx *w, const struct where_step *st)
{
	const struct mount_op *m = st->op;
	const struct where_source *src = &w->facts->src[st->source];
	switch (m->kind) {
	case MOUNT_BIND:
	case MOUNT_RO_BIND:
	case MOUNT_DEV_BIND:
		return do_bind(w, st, src);
	case MOUNT_TMPFS:
		return do_tmpfs(w, st);
	case MOUNT_PROC:
		/* subset=pid (Linux 5.8): the processes, none of the system files */
		return mount_new_fs_at(w, m, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
				       m->flags & MOUNT_F_SUBSET_PID ? "subset=pid" : NULL);
	case MOUNT_DEV:
		return do_dev(w, st);
	case MOUNT_MQUEUE:
		return mount_new_fs_at(w, m, "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	case MOUNT_SYMLINK:
		return make_symlink(w, m, m->src);
	case MOUNT_DIR:
		return do_dir(w, m);
	case MOUNT_FILE:
		return do_file(w, st);
	case MOUNT_CHMOD:
		return do_chmod(w, m);
	case MOUNT_TMP_OVERLAY:
	case MOUNT_OVERLAY:
	case MOUNT_RO_OVERLAY:
		return do_overlay(w, st, src);
	case MOUNT_MIRROR:
		return do_mirror(w, st, src);
	case MOUNT_REMOUNT_RO:
		return do_remount_ro(w, st);
	}
	return -1;
}

/* One descriptor per bind stays open until it is mounted: make room for
 * thousands of binds, and give the command its own limit back later. */
static void raise_fd_limit(size_t need)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < need + 64) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > need + 64 ? need + 64
										     : rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* The new root is a tmpfs mounted on some directory of the (private copy
 * of the) host tree; any directory will do, since nothing propagates back. */
static int make_root(struct where_ctx *w)
{
	static const char *const candidates[] = {"/tmp", "/run", "/mnt", "/var/tmp", "/dev"};
	bool scratch = plan_uses_scratch(w->plan);
	for (size_t i = 0; i < ELEMENTSOF(candidates); i++) {
		/* the scratch first, under the root (see mount_scratch); one
		 * left on a candidate that then failed goes with the host tree */
		closep(&w->scratchfd);
		if (scratch && mount_scratch(w, candidates[i]) < 0)
			continue;
		if (mount("tmpfs", candidates[i], "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0)
			continue;
		w->root_path = candidates[i];
		w->rootfd = open(candidates[i], O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		struct stat st;
		if (w->rootfd < 0 || fstat(w->rootfd, &st) < 0)
			break;
		w->root_dev = st.st_dev;
		return 0;
	}
	return diag_error(w->d, NULL, "cannot create the sandbox's root: %s", strerror(errno));
}

static int enter_root(struct where_ctx *w)
{
	/* pivot_root(".", ".") stacks the old root on top of the new one;
	 * detaching it leaves the new root alone, with no path back. */
	if (fchdir(w->rootfd) < 0 || syscall(SYS_pivot_root, ".", ".") < 0 ||
	    umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
		return diag_error(w->d, NULL, "cannot enter the sandbox's root: %s", strerror(errno));
	return 0;
}

/* The root itself is read-only: the sandbox writes only where a profile
 * mounted something writable. */
static int root_read_only(struct where_ctx *w)
{
	struct mount_attr attr = {.attr_set = MOUNT_ATTR_RDONLY};
	if (mount_setattr(AT_FDCWD, "/", 0, &attr, sizeof(attr)) < 0)
		return diag_error(w->d, NULL, "cannot make / read-only: %s", strerror(errno));
	return 0;
}

static int do_step(struct where_ctx *w, size_t k)
{
	const struct where_step *st = &w->steps[k];
	w->step_now = k;
	switch (st->what) {
	case STEP_MOUNT:
		return do_mount(w, st);
	case STEP_SCRATCH:
		return do_scratch(w, st);
	case STEP_DEV_NODE:
		return do_dev_node(w, st);
	case STEP_SCRATCH_DROP:
		return do_scratch_drop(w);
	case STEP_HIDE_PROC:
	case STEP_RO_SYSFS:
	case STEP_MASK:
		return do_cover(w, st, k);
	case STEP_PIN:
		return do_pin(w, st);
	case STEP_KERNEL_MASK:
	case STEP_KERNEL_RO:
		return do_kernel(w, st);
	case STEP_ENTER_ROOT:
		return drop_blanks(w) < 0 ? -1 : enter_root(w);
	case STEP_ROOT_RO:
		return root_read_only(w);
	}
	return -1;
}

/* A mount at / itself (bwrap's --bind / /) covers the root tmpfs: what
 * follows goes into the new mount, opened by its path. */
static int reopen_root(struct where_ctx *w)
{
	parent_cache_drop(w);
	if (w->coveredfd < 0)
		w->coveredfd = steal_fd(&w->rootfd);
	closep(&w->rootfd);
	w->rootfd = open(w->root_path, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (w->rootfd < 0)
		return diag_error(w->d, NULL, "cannot reopen the sandbox's root: %s", strerror(errno));
	/* The root is no longer a tmpfs only this process reaches: nothing
	 * made in it counts as fresh (create_in checks what it finds). */
	w->root_dev = (dev_t)-1;
	return 0;
}

/* The executor: one loop over the plan's steps. */
static int execute(struct where_ctx *w, const struct where_plan *plan)
{
	for (size_t k = 0; k < plan->n_steps; k++) {
		const struct where_step *st = &plan->steps[k];
		w->parent_mode = st->parent_mode;
		if (st->what != STEP_KERNEL_MASK && st->what != STEP_KERNEL_RO)
			kernel_dir_drop(w); /* a mount may cover it */
		if (do_step(w, k) < 0)
			return -1;
		if (st->what != STEP_MOUNT)
			continue;
		parent_cache_after_mount(w, st->op->dest);
		/* a bind's clone stays open: its Landlock rule goes on it, and
		 * where_facts_free closes them all at once */
		if (streq(st->op->dest, "/") && st->op->kind != MOUNT_REMOUNT_RO &&
		    st->op->kind != MOUNT_CHMOD && reopen_root(w) < 0)
			return -1;
	}
	return 0;
}

/* The Landlock rules that mirror the mounts, in the root just entered. */
static int add_landlock_rules(const struct where_plan *plan, const struct where_facts *facts,
			      const struct landlock_fence *fence, int ruleset, struct diag *d)
{
	if (ruleset < 0 || !fence->fs)
		return 0;
	struct landlock_rules rules;
	where_landlock_rules(plan, facts, LANDLOCK_INSIDE, fence->fs, &rules);
	where_landlock_merge(plan, facts, &rules);
	int r = where_landlock_add_paths(ruleset, &rules, plan, d);
	where_landlock_rules_free(&rules);
	return r;
}

int where_build_root(const struct policy *p, const struct where_env *env, int host_mounts_fd,
		     const struct landlock_fence *fence, int ruleset, struct diag *d)
{
	struct where_facts facts = {0};
	struct where_plan plan = {0};
	struct where_ctx w = {.facts = &facts, .d = d, .rootfd = -1, .coveredfd = -1,
			      .devnodes_first = -1, .devdir = -1, .pc_fd = -1, .scratchfd = -1,
			      .kdir_fd = -1};
	int r = -1;

	/* Nothing done in here may propagate back to the host. */
	struct mount_attr priv = {.propagation = MS_PRIVATE};
	if (mount_setattr(AT_FDCWD, "/", AT_RECURSIVE, &priv, sizeof(priv)) < 0) {
		diag_error(d, NULL, "cannot make the mount tree private: %s", strerror(errno));
		goto out;
	}
	struct rlimit fd_limit;
	getrlimit(RLIMIT_NOFILE, &fd_limit);
	raise_fd_limit(p->n_mounts + env->n_held + 16);
	where_plan_make(p, env, &plan);
	/* Every host path is opened while the host tree is still whole: the
	 * new root is about to be attached over one of its directories. */
	int gathered = where_gather(&plan, env, host_mounts_fd, GATHER_OPEN, &facts, d);
	where_env_close_held(env); /* known again or not, the trees are open */
	if (gathered < 0)
		goto out;
	TRACE_POINT("host mounts read");
	if (where_plan_derive(&plan, &facts, d) < 0)
		goto out;
	w.plan = &plan;
	w.steps = plan.steps;
	if (make_root(&w) < 0)
		goto out;
	w.acted = xcalloc(plan.n_steps, sizeof(*w.acted));
	if (execute(&w, &plan) < 0 || add_landlock_rules(&plan, &facts, fence, ruleset, d) < 0)
		goto out;
	setrlimit(RLIMIT_NOFILE, &fd_limit);
	r = 0;
out:
	closep(&w.rootfd);
	closep(&w.coveredfd);
	closep(&w.devnodes_first);
	closep(&w.devdir);
	closep(&w.scratchfd);
	parent_cache_drop(&w);
	kernel_dir_drop(&w);
	free(w.acted);
	where_facts_free(&facts);
	where_plan_free(&plan);
	return r;
}
