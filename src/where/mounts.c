/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The executor: gather the facts (gather.c), let the plan decide
 * (plan.c), then one loop over its steps. Nothing here chooses what is
 * mounted where; it only does it, safely (every path resolved inside the
 * new root) and fast (the parent-directory cache, no checks on what it
 * made itself a moment ago). */
#include "where/mounts.h"

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

/* The executor's state: the root, the scratch tmpfs and the parent
 * directory cache. Every decision is in the plan. */
struct where_ctx {
	struct where_facts *facts;
	struct diag *d;
	int rootfd;
	dev_t root_dev;
	const char *root_path; /* where the root tmpfs is attached while it is built */
	bool root_covered;     /* a mount at / covers the root tmpfs */
	mode_t parent_mode;    /* the current step's: missing parents' mode, 0 for 0755 */
	int devnodes_first; /* the first /dev, source of any later one's nodes */
	char *pc_path;      /* parent_cache: a resolved parent directory */
	int pc_fd;
	bool pc_in_root;    /* it is a directory of the root tmpfs itself */
	/* ensure_path made the destination just now, in the root tmpfs itself:
	 * no other process can reach it yet, so its type is known and it is
	 * no entry of procfs or sysfs. */
	bool last_fresh;
	int scratchfd; /* the scratch tmpfs, attached while the root is built */
	int devdir;    /* the /dev just made, for its node steps */
	const struct where_plan *plan;
	const struct where_step *steps;
	bool *acted;   /* by step: a conditional step found what it acts on */
	char *kdir_path; /* the directory of the last kernel step's entry */
	int kdir_fd;
	bool blanks;     /* the blank file and directory are in the root tmpfs */
	int coveredfd;   /* the root tmpfs, once a mount at / covers it (bwrap mode) */
};

static int fail(struct where_ctx *w, const struct mount_op *m, const char *what, int err)
{
	return diag_error(w->d, m ? &m->origin : NULL, "%s: %s", what, strerror(err));
}

/* Open a path inside the new root. RESOLVE_IN_ROOT treats the new root as
 * "/" for every component, symlinks included, so a symlink planted in a
 * writable bind cannot send a mount point out to the host. */
static int open_in_root(int rootfd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	return (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
}

enum dest_kind { DEST_DIR, DEST_FILE };

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
	 * bind another sandbox shares) it is checked. */
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
 * skip resolving it again each time. */
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

static int ensure_path(struct where_ctx *w, const char *path, enum dest_kind kind)
{
	return ensure_path_at(w, path, kind, 0);
}

/* A mount point inside procfs or sysfs would hide a kernel interface
 * (or re-expose one made read-only): refused. */
static int check_dest_fs(struct where_ctx *w, const struct mount_op *m, int destfd)
{
	struct statfs sfs;
	if (fstatfs(destfd, &sfs) < 0)
		return fail(w, m, m->dest, errno);
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

static int attach(int mntfd, int destfd)
{
	return move_mount(mntfd, "", destfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
}

static int set_attrs(int mntfd, uint64_t set, bool recursive)
{
	struct mount_attr attr = {.attr_set = set};
	return mount_setattr(mntfd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr,
			     sizeof(attr));
}

/* Mount a new filesystem instance (tmpfs, proc, devpts, mqueue) on the
 * directory that an O_PATH descriptor names. mount(2) wants a path;
 * /proc/self/fd/N jumps straight to that very directory, so nothing in
 * between can redirect it. One call, where the fsopen API takes five. */
static int mount_fs_on(int destfd, const char *type, unsigned long flags, const char *data)
{
	char path[40];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", destfd);
	return mount(type, path, type, flags, data) < 0 ? -errno : 0;
}

static int mount_new_fs_at(struct where_ctx *w, const struct mount_op *m, const char *type,
			   unsigned long flags, const char *data)
{
	_cleanup_close_ int dest = ensure_path(w, m->dest, DEST_DIR);
	if (dest < 0)
		return fail(w, m, m->dest, -dest);
	if (!w->last_fresh && check_dest_fs(w, m, dest) < 0)
		return -1;
	int r = mount_fs_on(dest, type, flags, data);
	return r < 0 ? fail(w, m, m->dest, -r) : 0;
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
	if (set_attrs(src->fd, attrs, true) < 0)
		return fail(w, m, m->src, errno);
	bool is_dir = S_ISDIR(src->st.st_mode);
	_cleanup_close_ int dest = ensure_path(w, m->dest, is_dir ? DEST_DIR : DEST_FILE);
	if (dest < 0)
		return fail(w, m, m->dest, -dest);
	struct stat dst;
	if (w->last_fresh)
		; /* made just now, of the kind asked for */
	else if (check_dest_fs(w, m, dest) < 0)
		return -1;
	else if (fstat(dest, &dst) == 0 && S_ISDIR(dst.st_mode) != is_dir)
		return diag_error(w->d, &m->origin, "%s: cannot mount a %s on a %s", m->dest,
				  is_dir ? "directory" : "file",
				  S_ISDIR(dst.st_mode) ? "directory" : "file");
	if (attach(src->fd, dest) < 0)
		return fail(w, m, m->dest, errno);
	return 0;
}

/* A fresh directory of the pool (the scratch tmpfs of a tmpfs budget),
 * with the mode a new tmpfs's root would have, attached on destfd: what
 * is written below it counts against the one budget. */
static int attach_pool_dir(struct where_ctx *w, const struct where_step *st, char kind,
			   uint32_t mode, uint64_t attrs, int destfd)
{
	char name[32];
	snprintf(name, sizeof(name), "%c%zu", kind, st->index);
	if (mkdirat(w->scratchfd, name, 0700) < 0 || fchmodat(w->scratchfd, name, mode, 0) < 0)
		return -errno;
	_cleanup_close_ int tree = open_tree(w->scratchfd, name, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (tree < 0 || set_attrs(tree, attrs, false) < 0 || attach(tree, destfd) < 0)
		return -errno;
	return 0;
}

/* A mount's destination gets a directory of the pool instead of a tmpfs. */
static int pool_dir_at(struct where_ctx *w, const struct where_step *st, char kind, uint32_t mode,
		       uint64_t attrs)
{
	const struct mount_op *m = st->op;
	_cleanup_close_ int dest = ensure_path(w, m->dest, DEST_DIR);
	if (dest < 0)
		return fail(w, m, m->dest, -dest);
	if (!w->last_fresh && check_dest_fs(w, m, dest) < 0)
		return -1;
	int r = attach_pool_dir(w, st, kind, mode, attrs, dest);
	return r < 0 ? fail(w, m, m->dest, -r) : 0;
}

static int do_tmpfs(struct where_ctx *w, const struct where_step *st)
{
	const struct mount_op *m = st->op;
	uint32_t mode = m->mode == MODE_UNSET ? 01777u : m->mode;
	if (!where_uses_scratch(w->plan, m)) {
		char data[64];
		int n = snprintf(data, sizeof(data), "mode=%o", mode);
		if (m->size)
			snprintf(data + n, sizeof(data) - (size_t)n, ",size=%llu",
				 (unsigned long long)m->size);
		return mount_new_fs_at(w, m, "tmpfs", MS_NOSUID | MS_NODEV, data);
	}
	return pool_dir_at(w, st, 't', mode, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
}

/* /dev's own tmpfs (with bwrap's flags in bwrap mode), or with a tmpfs
 * budget a directory of the pool: uid 0 inside may write there too. */
static int dev_root(struct where_ctx *w, const struct where_step *st)
{
	const struct mount_op *m = st->op;
	if (!where_uses_scratch(w->plan, m))
		return mount_new_fs_at(w, m, "tmpfs",
				       MS_NOSUID | (st->bwrap_dev ? MS_NODEV : MS_NOEXEC), "mode=0755");
	return pool_dir_at(w, st, 'd', 0755, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
}

static int do_dev(struct where_ctx *w, const struct where_step *st)
{
	const struct mount_op *m = st->op;
	static const char *const links[][2] = {
		{"/proc/self/fd", "fd"},         {"/proc/self/fd/0", "stdin"},
		{"/proc/self/fd/1", "stdout"},   {"/proc/self/fd/2", "stderr"},
		{"pts/ptmx", "ptmx"},            {"/proc/kcore", "core"},
	};
	/* bwrap's /dev: its flags, a core link, /dev/shm a directory of it */
	bool bw = st->bwrap_dev;
	if (dev_root(w, st) < 0)
		return -1;
	/* The new tmpfs is reached by path: a descriptor opened before the
	 * mount still names the directory underneath. It stays open for the
	 * node steps that follow. */
	closep(&w->devdir);
	w->devdir = open_in_root(w->rootfd, m->dest, O_PATH | O_DIRECTORY);
	int dir = w->devdir;
	if (dir < 0)
		return fail(w, m, m->dest, errno);
	if (w->devnodes_first < 0)
		w->devnodes_first = openat(dir, ".", O_PATH | O_CLOEXEC);
	for (size_t i = 0; i < ELEMENTSOF(links) - !bw; i++)
		if (symlinkat(links[i][0], dir, links[i][1]) < 0)
			return fail(w, m, links[i][1], errno);
	if (mkdirat(dir, "pts", 0755) < 0 || mkdirat(dir, "shm", bw ? 0755 : 01777) < 0)
		return fail(w, m, "pts", errno);

	/* A private devpts: the sandbox sees only terminals it opens itself. */
	_cleanup_close_ int pts = openat(dir, "pts", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	_cleanup_close_ int shm = openat(dir, "shm", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int r = pts < 0 || shm < 0 ? -errno : 0;
	if (r == 0)
		r = mount_fs_on(pts, "devpts", MS_NOSUID | MS_NOEXEC,
				"newinstance,ptmxmode=0666,mode=0620");
	if (r < 0)
		return fail(w, m, "devpts", -r);
	if (bw)
		return 0; /* bwrap's /dev/shm: a directory of /dev */
	if (!where_uses_scratch(w->plan, m))
		r = mount_fs_on(shm, "tmpfs", MS_NOSUID | MS_NODEV, "mode=01777");
	else
		r = attach_pool_dir(w, st, 's', 01777, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, shm);
	return r < 0 ? fail(w, m, "shm", -r) : 0;
}

/* One host device node into the /dev just made. The gathered clone itself
 * is attached: a clone closed without being attached costs an RCU grace
 * period to dissolve. A second /dev takes copies of the first one's
 * nodes. The nodes keep their host mount's flags; nosuid and noexec mean
 * nothing on a device node. */
static int do_dev_node(struct where_ctx *w, const struct where_step *st)
{
	const struct mount_op *m = w->steps[st->cause].op;
	const char *name = where_dev_nodes[st->index];
	int *gathered = &w->facts->devnodes[st->index];
	_cleanup_close_ int node = *gathered >= 0 ? *gathered
				   : open_tree(w->devnodes_first, name, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	*gathered = -1;
	if (node < 0)
		return fail(w, m, name, errno);
	if (mknodat(w->devdir, name, S_IFREG | 0666, 0) < 0 ||
	    move_mount(node, "", w->devdir, name, MOVE_MOUNT_F_EMPTY_PATH) < 0)
		return fail(w, m, name, errno);
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
		return fail(w, m, parent, -dir);
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
	return fail(w, m, m->dest, errno);
}

static int do_dir(struct where_ctx *w, const struct mount_op *m)
{
	_cleanup_close_ int fd = ensure_path(w, m->dest, DEST_DIR);
	if (fd < 0)
		return fail(w, m, m->dest, -fd);
	if (m->mode != MODE_UNSET) {
		char proc[64];
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		if (chmod(proc, m->mode) < 0)
			return fail(w, m, m->dest, errno);
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
		return fail(w, m, m->dest, errno);
	if (set_attrs(fd, MOUNT_ATTR_RDONLY, !st->shallow) < 0)
		return fail(w, m, m->dest, errno == EINVAL ? ENOTBLK : errno);
	return 0;
}

/* A scratch tmpfs for file contents and throw-away overlay layers. It is
 * attached in the new root while the root is built, and detached before
 * the sandbox starts: what was mounted from it stays, nothing else shows. */
#define SCRATCH_NAME (&WHERE_SCRATCH[1]) /* in the root tmpfs itself */

static int do_scratch(struct where_ctx *w, const struct where_step *st)
{
	const struct mount_op *m = w->steps[st->cause].op;
	int r = mkdirat(w->rootfd, SCRATCH_NAME, 0700) < 0 ? -errno : 0;
	_cleanup_close_ int under = -1;
	if (r == 0 && (under = openat(w->rootfd, SCRATCH_NAME,
				      O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		r = -errno;
	/* A budget's pool also bounds its inodes, which tmpfs keeps outside
	 * size=: one for every 4 KiB, so that a tree of empty files costs
	 * about a fifth of the budget again in kernel memory at most. */
	char data[96] = "mode=0700";
	uint64_t pool = w->plan->tmpfs_pool;
	if (pool)
		snprintf(data, sizeof(data), "mode=0700,size=%" PRIu64 ",nr_inodes=%" PRIu64, pool,
			 pool / 4096 > 1024 ? pool / 4096 : 1024);
	if (r == 0)
		r = mount_fs_on(under, "tmpfs", MS_NOSUID | MS_NODEV, data);
	if (r == 0 && (w->scratchfd = open_in_root(w->rootfd, WHERE_SCRATCH, O_PATH | O_DIRECTORY)) < 0)
		r = -errno;
	return r < 0 ? fail(w, m, "scratch tmpfs", -r) : 0;
}

static int do_scratch_drop(struct where_ctx *w)
{
	/* Reached through its own descriptor: a bind at / may cover the
	 * root tmpfs it is attached in (bwrap mode), and then its directory
	 * is out of sight already. */
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", w->scratchfd);
	int r = umount2(path, MNT_DETACH);
	closep(&w->scratchfd);
	if (r < 0 || (!w->root_covered && unlinkat(w->rootfd, SCRATCH_NAME, AT_REMOVEDIR) < 0))
		return diag_error(w->d, NULL, "cannot remove the scratch tmpfs: %s", strerror(errno));
	return 0;
}

static int do_file(struct where_ctx *w, const struct where_step *st)
{
	const struct mount_op *m = st->op;
	char name[32];
	snprintf(name, sizeof(name), "f%zu", st->index);
	_cleanup_close_ int fd = openat(w->scratchfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return fail(w, m, m->dest, errno);
	int r = write_all(fd, m->src, strlen(m->src));
	if (r == 0 && fchmod(fd, m->mode == MODE_UNSET ? 0644 : m->mode) < 0)
		r = -errno;
	if (r < 0)
		return fail(w, m, m->dest, -r);
	_cleanup_close_ int tree = open_tree(w->scratchfd, name, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	uint64_t ro = st->read_only ? MOUNT_ATTR_RDONLY : 0; /* writable: bwrap's --bind-data */
	if (tree < 0 || set_attrs(tree, ro | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, false) < 0)
		return fail(w, m, m->dest, errno);
	_cleanup_close_ int dest = ensure_path(w, m->dest, DEST_FILE);
	if (dest < 0)
		return fail(w, m, m->dest, -dest);
	if (attach(tree, dest) < 0)
		return fail(w, m, m->dest, errno);
	return 0;
}

static int do_chmod(struct where_ctx *w, const struct mount_op *m)
{
	_cleanup_close_ int fd = open_in_root(w->rootfd, m->dest, O_PATH);
	if (fd < 0)
		return fail(w, m, m->dest, errno);
	char path[40];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (chmod(path, m->mode) < 0)
		return fail(w, m, m->dest, errno);
	return 0;
}

/* overlayfs: the lower tree read-only, a writable layer on top. The
 * throw-away kind keeps its layer in the scratch tmpfs; the persistent one
 * in DIR/upper on the host. Paths are given as /proc/self/fd/N, the very
 * directories opened earlier. userxattr: unprivileged overlays keep their
 * bookkeeping in user.* attributes. */
/* LAYER/upper and LAYER/work, made if missing. The persistent kind's were
 * made by the sandboxes before: a link planted as DIR/upper would send this
 * one's writes elsewhere (into ~/.ssh), so neither is followed. */
static int open_layers(int layer, int *upper, int *work)
{
	if ((mkdirat(layer, "upper", 0755) < 0 && errno != EEXIST) ||
	    (mkdirat(layer, "work", 0700) < 0 && errno != EEXIST) ||
	    (*upper = openat(layer, "upper", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
	    (*work = openat(layer, "work", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return -errno;
	return 0;
}

static int do_overlay(struct where_ctx *w, const struct where_step *st,
		      const struct where_source *src)
{
	const struct mount_op *m = st->op;
	_cleanup_close_ int upper = -1, work = -1;
	int r;
	if (m->kind == MOUNT_TMP_OVERLAY) {
		char name[32];
		snprintf(name, sizeof(name), "o%zu", st->index);
		_cleanup_close_ int layer = -1;
		if (mkdirat(w->scratchfd, name, 0700) < 0 ||
		    (layer = openat(w->scratchfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
			return fail(w, m, "overlay layer", errno);
		r = open_layers(layer, &upper, &work);
	} else {
		r = open_layers(src->auxfd, &upper, &work);
	}
	if (r < 0)
		return fail(w, m, m->kind == MOUNT_OVERLAY ? m->aux : "overlay layer", -r);
	char data[384];
	snprintf(data, sizeof(data),
		 "lowerdir=/proc/self/fd/%d,upperdir=/proc/self/fd/%d,workdir=/proc/self/fd/%d,"
		 "userxattr",
		 src->fd, upper, work);
	return mount_new_fs_at(w, m, "overlay", MS_NOSUID | MS_NODEV, data);
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
		return do_overlay(w, st, src);
	case MOUNT_MIRROR:
		return do_mirror(w, st, src);
	case MOUNT_REMOUNT_RO:
		return do_remount_ro(w, st);
	}
	return -1;
}

/* ---- what the mounts brought along ---- */

/* The directory a conditional step acts on, if it still shows what the
 * plan expects there (a later mount may have covered it): its
 * descriptor, else -1. */
static int still_shows(struct where_ctx *w, const struct where_step *st)
{
	int fd = open_in_root(w->rootfd, st->path, O_PATH | O_DIRECTORY);
	struct stat s;
	if (fd >= 0 && (st->any || (fstat(fd, &s) == 0 && s.st_dev == st->dev &&
				    (st->what != STEP_MASK || s.st_ino == st->ino))))
		return fd;
	closep(&fd);
	return -1;
}

/* A host proc still showing is hidden (its /proc/PID/root and cwd links
 * lead to the host's processes and their files), a host sysfs is made
 * read-only with all below it, glovebox's own state is covered. */
static int do_cover(struct where_ctx *w, const struct where_step *st, size_t k)
{
	_cleanup_close_ int fd = still_shows(w, st);
	if (fd < 0)
		return 0;
	w->acted[k] = true;
	int r;
	if (st->what == STEP_RO_SYSFS)
		r = set_attrs(fd, MOUNT_ATTR_RDONLY, true) < 0 ? -errno : 0;
	else
		r = mount_fs_on(fd, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
				"mode=0,size=4k");
	if (r == 0)
		return 0;
	if (st->what == STEP_MASK)
		return diag_error(w->d, NULL, "cannot hide %s inside the sandbox: %s", st->path,
				  strerror(-r));
	bool proc = st->what == STEP_HIDE_PROC;
	return diag_error(w->d, NULL, "cannot %s the host's %s at %s: %s",
			  proc ? "hide" : "make read-only", proc ? "proc" : "sysfs", st->path,
			  strerror(-r));
}

/* Make a directory inside a mount of itself. */
static int do_pin(struct where_ctx *w, const struct where_step *st)
{
	if (!w->acted[st->needs])
		return 0;
	_cleanup_close_ int at = open_in_root(w->rootfd, st->path, O_PATH | O_DIRECTORY);
	_cleanup_close_ int tree = -1;
	if (at < 0 ||
	    (tree = open_tree(at, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE |
					      AT_EMPTY_PATH)) < 0 ||
	    attach(tree, at) < 0)
		return diag_error(w->d, NULL, "cannot pin %s inside the sandbox: %s", st->path,
				  strerror(errno));
	return 0;
}

/* ---- the kernel's root-only files ---- */

/* What covers a kernel file or directory: an empty one of mode 0 in the
 * root tmpfs, bound read-only. One bind each, no new filesystem; the
 * originals are unlinked before the root is entered (a bind of them
 * stays). */
#define BLANK_DIR (&WHERE_BLANK_DIR[1]) /* in the root tmpfs itself */
#define BLANK_FILE (&WHERE_BLANK_FILE[1])

/* The root tmpfs itself, where the blanks are, even under a mount at /. */
static int root_tmpfs(const struct where_ctx *w)
{
	return w->coveredfd >= 0 ? w->coveredfd : w->rootfd;
}

static int make_blanks(struct where_ctx *w)
{
	if (w->blanks)
		return 0;
	if (mkdirat(root_tmpfs(w), BLANK_DIR, 0) < 0 ||
	    mknodat(root_tmpfs(w), BLANK_FILE, S_IFREG, 0) < 0)
		return -errno;
	w->blanks = true;
	return 0;
}

static int drop_blanks(struct where_ctx *w)
{
	if (!w->blanks)
		return 0;
	w->blanks = false;
	if (unlinkat(root_tmpfs(w), BLANK_FILE, 0) < 0 ||
	    unlinkat(root_tmpfs(w), BLANK_DIR, AT_REMOVEDIR) < 0)
		return diag_error(w->d, NULL, "cannot remove the blank masks: %s", strerror(errno));
	return 0;
}

/* The directory holding a kernel step's entry, opened once for the
 * entries of one directory; -1 with errno. */
static int kernel_dir(struct where_ctx *w, const struct where_step *st)
{
	size_t n = st->index;
	if (w->kdir_fd >= 0 && strlen(w->kdir_path) == n && strncmp(w->kdir_path, st->path, n) == 0)
		return w->kdir_fd;
	free(w->kdir_path);
	closep(&w->kdir_fd);
	w->kdir_path = xstrndup(st->path, n);
	w->kdir_fd = open_in_root(w->rootfd, n ? w->kdir_path : "/", O_PATH | O_DIRECTORY);
	return w->kdir_fd;
}

static void kernel_dir_drop(struct where_ctx *w)
{
	free(w->kdir_path);
	w->kdir_path = NULL;
	closep(&w->kdir_fd);
}

/* Cover a kernel file or directory with a blank, or make a directory
 * read-only with all below it: a clone attached in its place. An entry
 * this kernel lacks is left be; a host sysfs a later mount covered too. */
static int do_kernel(struct where_ctx *w, const struct where_step *st)
{
	if (w->steps[st->cause].what == STEP_RO_SYSFS && !w->acted[st->cause])
		return 0;
	const char *name = st->path + st->index + 1;
	int dir = kernel_dir(w, st);
	struct stat s;
	if (dir < 0 || fstatat(dir, name, &s, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : fail(w, NULL, st->path, errno);
	bool ro = st->what == STEP_KERNEL_RO;
	int r = ro ? 0 : make_blanks(w);
	_cleanup_close_ int tree = -1;
	if (r == 0)
		tree = ro ? open_tree(dir, name, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE)
			  : open_tree(root_tmpfs(w), S_ISDIR(s.st_mode) ? BLANK_DIR : BLANK_FILE,
				      OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (r < 0 || tree < 0 ||
	    set_attrs(tree, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
				    MOUNT_ATTR_NOEXEC, true) < 0 ||
	    move_mount(tree, "", dir, name, MOVE_MOUNT_F_EMPTY_PATH) < 0)
		return diag_error(w->d, NULL, "cannot %s %s inside the sandbox: %s",
				  ro ? "make read-only" : "hide", st->path,
				  strerror(r < 0 ? -r : errno));
	return 0;
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
	for (size_t i = 0; i < ELEMENTSOF(candidates); i++) {
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
	w->root_covered = true;
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
		if (streq(st->op->dest, "/") && st->op->kind != MOUNT_REMOUNT_RO &&
		    st->op->kind != MOUNT_CHMOD && reopen_root(w) < 0)
			return -1;
		/* a bind's clone is attached now: its descriptor is spent */
		closep(&w->facts->src[st->source].fd);
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
	raise_fd_limit(p->n_mounts + 16);
	where_plan_make(p, env, &plan);
	/* Every host path is opened while the host tree is still whole: the
	 * new root is about to be attached over one of its directories. */
	if (where_gather(&plan, env, host_mounts_fd, GATHER_OPEN, &facts, d) < 0)
		goto out;
	TRACE_POINT("host mounts read");
	if (where_plan_derive(&plan, &facts, d) < 0 || make_root(&w) < 0)
		goto out;
	w.plan = &plan;
	w.steps = plan.steps;
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
