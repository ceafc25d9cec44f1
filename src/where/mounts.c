/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "where/mounts.h"

#include "trace.h"

#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/vfs.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <dirent.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define MAX_MASKS 64

struct ancestor {
	dev_t dev;
	ino_t ino;
	const char *suffix; /* from this ancestor down to the protected dir */
};

/* A proc or sysfs the host mounted somewhere: a recursive bind of a
 * directory above it would bring it along. */
struct special {
	char *path;
	dev_t dev;
	bool is_proc;
	struct ancestor anc[16];
	size_t n_anc;
};

/* A place inside where a protected directory may show. */
struct mask {
	char *path;
	size_t base;   /* the length of the bind's destination that starts it ("/": 0) */
	bool overlay;  /* seen through an overlay, whose inodes are its own */
};

struct protected_state {
	const char *path;
	dev_t dev;
	ino_t ino;
	struct ancestor anc[32];
	size_t n_anc;
	/* Inode numbers inside the directory, two levels deep, read on first
	 * need: a bind of any of them is refused. */
	ino_t *inside;
	size_t n_inside;
	bool inside_read;
};

/* A host source, opened before the new root hides any host path. */
struct prepared {
	int fd;               /* open_tree clone (binds) or O_PATH (overlay lower), or -1 */
	int auxfd;            /* overlay: the directory that keeps the changes */
	struct stat st;
	char *link_target;    /* mirror of a symlink */
	bool missing;         /* a -try source that does not exist */
	bool force_ro;        /* a sysfs source: read-only whatever the kind */
};

struct where_ctx {
	const struct where_env *env;
	struct diag *d;
	int rootfd;
	struct protected_state prot[4];
	size_t n_prot;
	struct mask masks[MAX_MASKS];
	size_t n_masks;
	struct where_plan plan;
	struct prepared *prep; /* one per plan source: the policy's mounts, home, cwd */
	int devnodes[6];
	int devnodes_first; /* the first /dev, source of any later one's nodes */
	char *pc_path;      /* parent_cache: a resolved parent directory */
	int pc_fd;
	bool pc_in_root;    /* it is a directory of the root tmpfs itself */
	dev_t root_dev;
	/* ensure_path made the destination just now, in the root tmpfs itself:
	 * no other process can reach it yet, so its type is known and it is
	 * no entry of procfs or sysfs. */
	bool last_fresh;
	int scratchfd; /* the scratch tmpfs, attached while the root is built */
	unsigned n_scratch;
	bool devnodes_prepared;
	int host_mounts_fd;    /* the host's proc and sysfs mount points, from the command */
	struct special specials[16];
	size_t n_specials;
	struct {
		char *inside;
		size_t special;
	} *special_hits;
	size_t n_special_hits;
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

/* Resolve (creating as needed) a destination inside the new root. Missing
 * parents become directories; the last component becomes a directory or an
 * empty file. Returns an O_PATH descriptor or -errno. */
/* Create the last component of a destination in its (resolved) parent,
 * and open it. A symlink found there is never followed from here. */
static int create_in(struct where_ctx *w, int pfd, bool parent_in_root, const char *base,
		     enum dest_kind kind)
{
	/* An O_PATH descriptor serves as dirfd for the *at() calls. */
	int r = kind == DEST_DIR ? mkdirat(pfd, base, 0755) : mknodat(pfd, base, S_IFREG | 0644, 0);
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
 * parents become directories; the last component becomes a directory or an
 * empty file. Returns an O_PATH descriptor or -errno. */
static int ensure_path(struct where_ctx *w, const char *path, enum dest_kind kind, int depth)
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
		int fd = create_in(w, w->pc_fd, w->pc_in_root, base, kind);
		if (fd != -ELOOP)
			return fd;
		/* a symlink: resolve it the careful way below */
	}
	w->last_fresh = false;
	int fd = open_in_root(w->rootfd, path, O_PATH);
	if (fd >= 0 || errno != ENOENT || depth > 64)
		return fd >= 0 ? fd : -errno;
	int pfd = ensure_path(w, parent, DEST_DIR, depth + 1);
	if (pfd < 0)
		return pfd;
	struct stat pst;
	bool in_root = fstat(pfd, &pst) == 0 && pst.st_dev == w->root_dev;
	fd = create_in(w, pfd, in_root, base, kind);
	parent_cache_drop(w);
	w->pc_path = steal_pointer(&parent);
	w->pc_fd = pfd;
	w->pc_in_root = in_root;
	return fd;
}

/* A mount point inside procfs or sysfs would hide a kernel interface
 * (or re-expose one made read-only): refused. */
static int check_dest_fs(struct where_ctx *w, const struct mount_op *m, int destfd)
{
	struct statfs sfs;
	if (fstatfs(destfd, &sfs) < 0)
		return fail(w, m, m->dest, errno);
	if (sfs.f_type == PROC_SUPER_MAGIC || sfs.f_type == SYSFS_MAGIC)
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
	_cleanup_close_ int dest = ensure_path(w, m->dest, DEST_DIR, 0);
	if (dest < 0)
		return fail(w, m, m->dest, -dest);
	if (!w->last_fresh && check_dest_fs(w, m, dest) < 0)
		return -1;
	int r = mount_fs_on(dest, type, flags, data);
	return r < 0 ? fail(w, m, m->dest, -r) : 0;
}

/* ---- glovebox's own state stays out of reach ---- */

/* Every ancestor of a host path, itself included, with the rest of the
 * path below it: a bind whose source is one of them shows the path at
 * DEST/SUFFIX, whichever way the source was named. */
static size_t collect_ancestors(const char *path, struct ancestor *anc, size_t max)
{
	size_t n_anc = 0;
	for (size_t end = strlen(path); n_anc < max;) {
		char buf[PATH_MAX];
		size_t n = end == 0 ? 1 : end;
		if (n >= sizeof(buf))
			break;
		memcpy(buf, path, n);
		buf[n] = '\0';
		struct stat st;
		if (stat(buf, &st) == 0)
			anc[n_anc++] = (struct ancestor){st.st_dev, st.st_ino,
							 path + end + (path[end] == '/')};
		if (end == 0)
			break;
		while (end > 0 && path[end - 1] != '/')
			end--;
		if (end > 0)
			end--;
	}
	return n_anc;
}

static void protected_init(struct where_ctx *w)
{
	for (size_t i = 0; i < w->env->n_protected && w->n_prot < ELEMENTSOF(w->prot); i++) {
		const char *path = w->env->protected[i].path;
		struct protected_state *ps = &w->prot[w->n_prot];
		struct stat st;
		if (!path || path[0] != '/' || stat(path, &st) < 0)
			continue;
		*ps = (struct protected_state){.path = path, .dev = st.st_dev, .ino = st.st_ino};
		ps->n_anc = collect_ancestors(path, ps->anc, ELEMENTSOF(ps->anc));
		w->n_prot++;
	}
}

/* The inode numbers of a directory's entries, from getdents64 alone:
 * no stat per entry. (An entry that is a mount point reports the inode
 * underneath; glovebox's own directories hold none.) */
static void read_inodes(int dirfd, struct protected_state *ps, int depth)
{
	_Alignas(struct dirent64) char buf[4096];
	for (;;) {
		long n = syscall(SYS_getdents64, dirfd, buf, sizeof(buf));
		if (n <= 0)
			return;
		for (long off = 0; off < n;) {
			struct dirent64 *e = (struct dirent64 *)(void *)(buf + off);
			off += e->d_reclen;
			if (e->d_name[0] == '.' &&
			    (e->d_name[1] == '\0' || (e->d_name[1] == '.' && e->d_name[2] == '\0')))
				continue;
			ps->inside = xreallocarray(ps->inside, ps->n_inside + 1, sizeof(ino_t));
			ps->inside[ps->n_inside++] = e->d_ino;
			if (depth > 0 && e->d_type == DT_DIR) {
				int sub = openat(dirfd, e->d_name,
						 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
				if (sub >= 0) {
					read_inodes(sub, ps, depth - 1);
					close(sub);
				}
			}
		}
	}
}

/* Before anything is mounted: refuse a bind source that is a protected
 * directory or lies inside one, whatever path (symlinks included) names
 * it. Binds that show a protected directory from above are masked later
 * instead (protected_note). */
static int protected_source_check(struct where_ctx *w, const struct mount_op *m,
				  const struct stat *st)
{
	for (size_t i = 0; i < w->n_prot; i++) {
		struct protected_state *ps = &w->prot[i];
		if (st->st_dev != ps->dev)
			continue;
		if (!ps->inside_read) {
			ps->inside_read = true;
			int fd = open(ps->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (fd >= 0) {
				read_inodes(fd, ps, 1);
				close(fd);
			}
		}
		bool hit = st->st_ino == ps->ino;
		for (size_t k = 0; k < ps->n_inside && !hit; k++)
			hit = ps->inside[k] == st->st_ino;
		if (hit)
			return diag_error(w->d, &m->origin,
					  "%s: refusing to expose glovebox's own state (%s)", m->src,
					  ps->path);
	}
	return 0;
}

/* After a bind of a source (st) at dest: remember where a protected
 * directory below the source will show up, to hide it once every mount is
 * in place. */
static int protected_note(struct where_ctx *w, const struct mount_op *m, const struct stat *st,
			  bool overlay)
{
	for (size_t i = 0; i < w->n_prot; i++) {
		struct protected_state *ps = &w->prot[i];
		if (st->st_dev != ps->dev)
			continue;
		for (size_t k = 0; k < ps->n_anc; k++) {
			if (ps->anc[k].dev != st->st_dev || ps->anc[k].ino != st->st_ino)
				continue;
			if (w->n_masks == MAX_MASKS)
				return diag_error(w->d, &m->origin, "too many binds expose %s",
						  ps->path);
			size_t base = streq(m->dest, "/") ? 0 : strlen(m->dest);
			w->masks[w->n_masks++] = (struct mask){
				.path = *ps->anc[k].suffix ? xasprintf("%.*s/%s", (int)base, m->dest,
								       ps->anc[k].suffix)
							   : xstrdup(m->dest),
				.base = base,
				.overlay = overlay,
			};
		}
	}
	return 0;
}

/* Make a directory inside a mount of itself. */
static int pin(int rootfd, const char *path)
{
	_cleanup_close_ int at = open_in_root(rootfd, path, O_PATH | O_DIRECTORY);
	if (at < 0)
		return -errno;
	_cleanup_close_ int tree =
		open_tree(at, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH);
	if (tree < 0 || attach(tree, at) < 0)
		return -errno;
	return 0;
}

/* A directory that is a mount point can be neither renamed nor removed
 * (EBUSY). Hiding a protected directory is not enough when a writable
 * bind holds it from above: the sandbox could move ~/.cache aside and put
 * a directory of its own in its place, for later runs to trust. So every
 * directory between the bind's root and the mask becomes a mount of
 * itself (the root and the mask are mount points already). */
static int pin_between(struct where_ctx *w, const struct mask *mk)
{
	char *path = mk->path;
	for (size_t i = mk->base + 1; path[i]; i++) {
		if (path[i] != '/')
			continue;
		path[i] = '\0';
		int r = pin(w->rootfd, path);
		if (r < 0)
			diag_error(w->d, NULL, "cannot pin %s inside the sandbox: %s", path,
				   strerror(-r));
		path[i] = '/';
		if (r < 0)
			return -1;
	}
	return 0;
}

static int apply_masks(struct where_ctx *w)
{
	for (size_t i = 0; i < w->n_masks; i++) {
		const struct mask *mk = &w->masks[i];
		_cleanup_close_ int fd = open_in_root(w->rootfd, mk->path, O_PATH | O_DIRECTORY);
		if (fd < 0)
			continue; /* covered by a later mount: not visible */
		struct stat st;
		if (fstat(fd, &st) < 0)
			continue;
		bool hit = mk->overlay;
		for (size_t k = 0; k < w->n_prot; k++)
			hit |= st.st_dev == w->prot[k].dev && st.st_ino == w->prot[k].ino;
		if (!hit)
			continue;
		int r = mount_fs_on(fd, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
				    "mode=0,size=4k");
		if (r < 0)
			return diag_error(w->d, NULL, "cannot hide %s inside the sandbox: %s",
					  mk->path, strerror(-r));
		if (pin_between(w, mk) < 0)
			return -1;
	}
	return 0;
}

/* ---- the host's proc and sysfs, below a bind ---- */

/* mountinfo writes space, tab, newline and backslash as \ooo. */
static void unescape_octal(char *s)
{
	char *out = s;
	for (char *in = s; *in; out++) {
		if (in[0] == '\\' && in[1] >= '0' && in[1] <= '3' && in[2] >= '0' && in[2] <= '7' &&
		    in[3] >= '0' && in[3] <= '7') {
			*out = (char)((in[1] - '0') << 6 | (in[2] - '0') << 3 | (in[3] - '0'));
			in += 4;
		} else {
			*out = *in++;
		}
	}
	*out = '\0';
}

/* One mountinfo line: ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS
 * [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS. */
static int send_if_special(int fd, char *line)
{
	char *mp = line;
	for (int field = 0; field < 4 && mp; field++)
		mp = strchr(mp, ' ') ? strchr(mp, ' ') + 1 : NULL;
	const char *sep = mp ? strstr(mp, " - ") : NULL;
	char *mp_end = mp ? strchr(mp, ' ') : NULL;
	if (!sep || !mp_end)
		return 0;
	char kind = strncmp(sep + 3, "proc ", 5) == 0 ? 'P' : strncmp(sep + 3, "sysfs ", 6) == 0 ? 'S' : 0;
	if (!kind)
		return 0;
	mp[-2] = kind; /* "P PATH\n" in place of the ROOT field's end */
	mp[-1] = ' ';
	*mp_end = '\n';
	return write_all(fd, mp - 2, (size_t)(mp_end - mp) + 3);
}

/* In the supervisor, while pid 1 starts up: the host's proc and sysfs
 * mount points, one "P PATH" or "S PATH" line each (PATH as mountinfo
 * escapes it), then "E". Reading the mount table costs about 0.1 ms, off
 * the sandbox's own path this way, and it holds only the host's mounts
 * however many binds pid 1 is about to make. Plain reads into a small
 * buffer: the launcher's memory stays small. */
int where_send_host_mounts(int fd)
{
	_cleanup_close_ int in = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	char buf[4096];
	size_t len = 0;
	bool skip = false; /* the rest of a line longer than the buffer */
	for (;;) {
		ssize_t n = read(in, buf + len, sizeof(buf) - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		char *line = buf, *nl;
		while ((nl = strchr(line, '\n'))) {
			*nl = '\0';
			int r = skip ? 0 : send_if_special(fd, line);
			if (r < 0)
				return r;
			skip = false;
			line = nl + 1;
		}
		len = (size_t)(buf + len - line);
		if (len == sizeof(buf) - 1) {
			/* Only a filesystem with long options (an overlay with
			 * many layers) has such lines; its type comes early. */
			int r = skip ? 0 : send_if_special(fd, buf);
			if (r < 0)
				return r;
			skip = true;
			len = 0;
		}
		memmove(buf, line, len);
	}
	return write_all(fd, "E\n", 2);
}

/* In pid 1, before the host tree is covered: read what the command's
 * process sent, and take each mount point's ancestors. */
static int special_init(struct where_ctx *w)
{
	char buf[16384];
	size_t len = 0;
	for (;;) {
		ssize_t n = read(w->host_mounts_fd, buf + len, sizeof(buf) - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == sizeof(buf) - 1)
			break;
	}
	buf[len] = '\0';
	if (len < 2 || strcmp(buf + len - 2, "E\n") != 0 || (len > 2 && buf[len - 3] != '\n'))
		return diag_error(w->d, NULL, "cannot learn where the host mounted proc and sysfs");
	for (char *line = buf, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
		*nl = '\0';
		if (line[0] == 'E' || line[1] != ' ' || w->n_specials == ELEMENTSOF(w->specials))
			continue;
		char *path = line + 2;
		unescape_octal(path);
		struct stat st;
		if (path[0] != '/' || stat(path, &st) < 0)
			continue;
		struct special *sp = &w->specials[w->n_specials++];
		sp->path = xstrdup(path);
		sp->dev = st.st_dev;
		sp->is_proc = line[0] == 'P';
		sp->n_anc = collect_ancestors(sp->path, sp->anc, ELEMENTSOF(sp->anc));
	}
	return 0;
}

/* After a recursive bind of a directory: where a host proc or sysfs
 * below its source shows up inside. */
static void special_note(struct where_ctx *w, const struct mount_op *m, const struct stat *st)
{
	for (size_t i = 0; i < w->n_specials; i++) {
		const struct special *sp = &w->specials[i];
		for (size_t k = 0; k < sp->n_anc; k++) {
			if (sp->anc[k].dev != st->st_dev || sp->anc[k].ino != st->st_ino ||
			    !*sp->anc[k].suffix)
				continue;
			w->special_hits = xreallocarray(w->special_hits, w->n_special_hits + 1,
							sizeof(*w->special_hits));
			w->special_hits[w->n_special_hits++] = (typeof(*w->special_hits)){
				xasprintf("%s/%s", streq(m->dest, "/") ? "" : m->dest,
					  sp->anc[k].suffix),
				i};
		}
	}
}

/* Once every mount is in place: a host proc still showing is hidden (its
 * /proc/PID/root and cwd links lead to the host's processes and their
 * files), a host sysfs is made read-only with all below it. */
static int special_apply(struct where_ctx *w)
{
	for (size_t i = 0; i < w->n_special_hits; i++) {
		const struct special *sp = &w->specials[w->special_hits[i].special];
		const char *inside = w->special_hits[i].inside;
		_cleanup_close_ int fd = open_in_root(w->rootfd, inside, O_PATH | O_DIRECTORY);
		struct stat st;
		if (fd < 0 || fstat(fd, &st) < 0 || st.st_dev != sp->dev)
			continue; /* covered by a later mount */
		int r;
		if (sp->is_proc) {
			r = mount_fs_on(fd, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
					"mode=0,size=4k");
		} else {
			struct mount_attr attr = {.attr_set = MOUNT_ATTR_RDONLY};
			r = mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr,
					  sizeof(attr)) < 0
				    ? -errno
				    : 0;
		}
		if (r < 0)
			return diag_error(w->d, NULL, "cannot %s the host's %s at %s: %s",
					  sp->is_proc ? "hide" : "make read-only",
					  sp->is_proc ? "proc" : "sysfs", inside, strerror(-r));
	}
	return 0;
}

/* ---- one operation each ---- */

static int open_source(struct where_ctx *w, const struct mount_op *m, struct prepared *pr)
{
	/* The source is opened once, and that very tree is what gets mounted:
	 * swapping a symlink into the source path afterwards changes nothing.
	 * AT_RECURSIVE takes the submounts along, so nothing that was mounted
	 * over a subdirectory on the host is uncovered. */
	pr->fd = open_tree(AT_FDCWD, m->src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
	if (pr->fd < 0) {
		if (errno == ENOENT && (m->flags & MOUNT_F_TRY)) {
			pr->missing = true;
			return 0;
		}
		return -errno;
	}
	if (fstat(pr->fd, &pr->st) < 0)
		return -errno;
	struct statfs sfs;
	if (fstatfs(pr->fd, &sfs) < 0)
		return -errno;
	/* The host's /proc shows the host's processes, and /proc/PID/root of
	 * any process of yours leads out of the jail. */
	if (sfs.f_type == PROC_SUPER_MAGIC) {
		diag_error(w->d, &m->origin,
			   "%s: refusing to bind the host's /proc (it leads to the host's processes "
			   "and their roots); use proc = DEST for the sandbox's own",
			   m->src);
		return -EPERM;
	}
	/* sysfs files are guarded by their owner alone: with the host's root
	 * inside (when root runs glovebox), a writable /sys reaches the
	 * hardware. Read-only, always. */
	pr->force_ro = sfs.f_type == SYSFS_MAGIC;
	return protected_source_check(w, m, &pr->st) < 0 ? -EPERM : 0;
}

static int do_bind(struct where_ctx *w, const struct mount_op *m, struct prepared *pr)
{
	if (pr->missing)
		return 0;
	if (S_ISDIR(pr->st.st_mode))
		special_note(w, m, &pr->st);
	if (protected_note(w, m, &pr->st, false) < 0)
		return -1;
	uint64_t attrs = MOUNT_ATTR_NOSUID;
	if (m->kind != MOUNT_DEV_BIND)
		attrs |= MOUNT_ATTR_NODEV;
	if (m->kind == MOUNT_RO_BIND || m->kind == MOUNT_MIRROR || pr->force_ro)
		attrs |= MOUNT_ATTR_RDONLY;
	/* Recursive: every submount gets read-only, nosuid and nodev too. */
	if (set_attrs(pr->fd, attrs, true) < 0)
		return fail(w, m, m->src, errno);
	bool is_dir = S_ISDIR(pr->st.st_mode);
	_cleanup_close_ int dest = ensure_path(w, m->dest, is_dir ? DEST_DIR : DEST_FILE, 0);
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
	if (attach(pr->fd, dest) < 0)
		return fail(w, m, m->dest, errno);
	return 0;
}

static int do_tmpfs(struct where_ctx *w, const struct mount_op *m)
{
	char data[64];
	int n = snprintf(data, sizeof(data), "mode=%o", m->mode == MODE_UNSET ? 01777u : m->mode);
	if (m->size)
		snprintf(data + n, sizeof(data) - (size_t)n, ",size=%llu",
			 (unsigned long long)m->size);
	return mount_new_fs_at(w, m, "tmpfs", MS_NOSUID | MS_NODEV, data);
}

/* Writes through /proc/sys, /proc/sysrq-trigger and friends are checked
 * against the host's root user: when root runs glovebox, uid 0 inside is
 * uid 0 outside, so these are kept read-only whoever runs it. */
static const char *const proc_readonly[] = {"sys", "sysrq-trigger", "irq", "bus"};

static int do_proc(struct where_ctx *w, const struct mount_op *m)
{
	int r = mount_new_fs_at(w, m, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	if (r < 0 || !w->env->host_root)
		return r;
	/* Unprivileged, DAC already keeps the sandbox out of these files:
	 * they belong to the host's root, who has no uid inside. */
	_cleanup_close_ int proc = open_in_root(w->rootfd, m->dest, O_PATH | O_DIRECTORY);
	if (proc < 0)
		return fail(w, m, m->dest, errno);
	for (size_t i = 0; i < ELEMENTSOF(proc_readonly); i++) {
		_cleanup_close_ int sub = open_tree(proc, proc_readonly[i],
						    OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
		if (sub < 0) {
			if (errno == ENOENT)
				continue;
			return fail(w, m, proc_readonly[i], errno);
		}
		if (set_attrs(sub, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, true) < 0 ||
		    move_mount(sub, "", proc, proc_readonly[i], MOVE_MOUNT_F_EMPTY_PATH) < 0)
			return fail(w, m, proc_readonly[i], errno);
	}
	return 0;
}

static const char *const dev_nodes[] = {"null", "zero", "full", "random", "urandom", "tty"};

static int open_dev_nodes(struct where_ctx *w)
{
	_Static_assert(ELEMENTSOF(dev_nodes) == ELEMENTSOF(w->devnodes), "one fd per node");
	if (w->devnodes_prepared)
		return 0;
	w->devnodes_prepared = true;
	for (size_t i = 0; i < ELEMENTSOF(dev_nodes); i++) {
		char host[32];
		snprintf(host, sizeof(host), "/dev/%s", dev_nodes[i]);
		w->devnodes[i] = open_tree(AT_FDCWD, host, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
		if (w->devnodes[i] < 0)
			return -errno;
	}
	return 0;
}

static int do_dev(struct where_ctx *w, const struct mount_op *m)
{
	const char *const *nodes = dev_nodes;
	static const char *const links[][2] = {
		{"/proc/self/fd", "fd"},         {"/proc/self/fd/0", "stdin"},
		{"/proc/self/fd/1", "stdout"},   {"/proc/self/fd/2", "stderr"},
		{"pts/ptmx", "ptmx"},
	};
	if (mount_new_fs_at(w, m, "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=0755") < 0)
		return -1;
	/* The new tmpfs is reached by path: a descriptor opened before the
	 * mount still names the directory underneath. */
	_cleanup_close_ int dir = open_in_root(w->rootfd, m->dest, O_PATH | O_DIRECTORY);
	if (dir < 0)
		return fail(w, m, m->dest, errno);

	for (size_t i = 0; i < ELEMENTSOF(dev_nodes); i++) {
		/* The prepared clone itself is attached: a clone closed without
		 * being attached costs an RCU grace period to dissolve. A second
		 * /dev takes copies of the first one's nodes. The nodes keep
		 * their host mount's flags; nosuid and noexec mean nothing on a
		 * device node. */
		int node = w->devnodes[i];
		if (node < 0)
			node = open_tree(w->devnodes_first, nodes[i],
					 OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
		if (node < 0)
			return fail(w, m, nodes[i], errno);
		w->devnodes[i] = -1;
		int r = mknodat(dir, nodes[i], S_IFREG | 0666, 0) < 0 ||
				move_mount(node, "", dir, nodes[i], MOVE_MOUNT_F_EMPTY_PATH) < 0
			? -errno
			: 0;
		close(node);
		if (r < 0)
			return fail(w, m, nodes[i], -r);
	}
	if (w->devnodes_first < 0)
		w->devnodes_first = openat(dir, ".", O_PATH | O_CLOEXEC);
	for (size_t i = 0; i < ELEMENTSOF(links); i++)
		if (symlinkat(links[i][0], dir, links[i][1]) < 0)
			return fail(w, m, links[i][1], errno);
	if (mkdirat(dir, "pts", 0755) < 0 || mkdirat(dir, "shm", 01777) < 0)
		return fail(w, m, "pts", errno);

	/* A private devpts: the sandbox sees only terminals it opens itself. */
	_cleanup_close_ int pts = openat(dir, "pts", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	_cleanup_close_ int shm = openat(dir, "shm", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int r = pts < 0 || shm < 0 ? -errno : 0;
	if (r == 0)
		r = mount_fs_on(pts, "devpts", MS_NOSUID | MS_NOEXEC,
				"newinstance,ptmxmode=0666,mode=0620");
	if (r == 0)
		r = mount_fs_on(shm, "tmpfs", MS_NOSUID | MS_NODEV, "mode=01777");
	return r < 0 ? fail(w, m, "devpts", -r) : 0;
}

/* Create LINK -> TARGET; an identical existing link is fine. */
static int make_symlink(struct where_ctx *w, const struct mount_op *m, const char *target)
{
	const char *slash = strrchr(m->dest, '/');
	_cleanup_free_ char *parent =
		slash == m->dest ? xstrdup("/") : xstrndup(m->dest, (size_t)(slash - m->dest));
	_cleanup_close_ int dir = ensure_path(w, parent, DEST_DIR, 0);
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
	_cleanup_close_ int fd = ensure_path(w, m->dest, DEST_DIR, 0);
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

static int prepare_mirror(struct where_ctx *w, const struct mount_op *m, struct prepared *pr)
{
	struct stat st;
	if (lstat(m->src, &st) < 0) {
		if (errno == ENOENT) {
			pr->missing = true;
			return 0;
		}
		return -errno;
	}
	if (!S_ISLNK(st.st_mode))
		return open_source(w, m, pr);
	char target[PATH_MAX];
	ssize_t n = readlink(m->src, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	pr->link_target = xstrdup(target);
	return 0;
}

static int do_mirror(struct where_ctx *w, const struct mount_op *m, struct prepared *pr)
{
	if (pr->missing)
		return 0;
	if (pr->link_target)
		return make_symlink(w, m, pr->link_target);
	return do_bind(w, m, pr);
}

static int do_remount_ro(struct where_ctx *w, const struct mount_op *m)
{
	_cleanup_close_ int fd = open_in_root(w->rootfd, m->dest, O_PATH);
	if (fd < 0)
		return fail(w, m, m->dest, errno);
	if (set_attrs(fd, MOUNT_ATTR_RDONLY, true) < 0)
		return fail(w, m, m->dest, errno == EINVAL ? ENOTBLK : errno);
	return 0;
}

/* A scratch tmpfs for file contents and throw-away overlay layers. It is
 * attached in the new root while the root is built, and detached before
 * the sandbox starts: what was mounted from it stays, nothing else shows. */
#define SCRATCH      "/.glovebox-scratch"
#define SCRATCH_NAME ".glovebox-scratch"

static int scratch(struct where_ctx *w)
{
	if (w->scratchfd >= 0)
		return w->scratchfd;
	if (mkdirat(w->rootfd, SCRATCH_NAME, 0700) < 0)
		return -errno;
	_cleanup_close_ int under = openat(w->rootfd, SCRATCH_NAME, O_PATH | O_DIRECTORY | O_NOFOLLOW |
									   O_CLOEXEC);
	if (under < 0)
		return -errno;
	int r = mount_fs_on(under, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700");
	if (r < 0)
		return r;
	w->scratchfd = open_in_root(w->rootfd, SCRATCH, O_PATH | O_DIRECTORY);
	return w->scratchfd < 0 ? -errno : w->scratchfd;
}

static int scratch_remove(struct where_ctx *w)
{
	if (w->scratchfd < 0)
		return 0;
	closep(&w->scratchfd);
	w->scratchfd = -1;
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d" SCRATCH, w->rootfd);
	if (umount2(path, MNT_DETACH) < 0 || unlinkat(w->rootfd, SCRATCH_NAME, AT_REMOVEDIR) < 0)
		return diag_error(w->d, NULL, "cannot remove the scratch tmpfs: %s", strerror(errno));
	return 0;
}

static int do_file(struct where_ctx *w, const struct mount_op *m)
{
	int sfd = scratch(w);
	if (sfd < 0)
		return fail(w, m, "scratch tmpfs", -sfd);
	char name[32];
	snprintf(name, sizeof(name), "f%u", w->n_scratch++);
	_cleanup_close_ int fd = openat(sfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return fail(w, m, m->dest, errno);
	int r = write_all(fd, m->src, strlen(m->src));
	if (r == 0 && fchmod(fd, m->mode == MODE_UNSET ? 0644 : m->mode) < 0)
		r = -errno;
	if (r < 0)
		return fail(w, m, m->dest, -r);
	_cleanup_close_ int tree = open_tree(sfd, name, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (tree < 0 || set_attrs(tree, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV,
				  false) < 0)
		return fail(w, m, m->dest, errno);
	_cleanup_close_ int dest = ensure_path(w, m->dest, DEST_FILE, 0);
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
static int do_overlay(struct where_ctx *w, const struct mount_op *m, struct prepared *pr)
{
	char layer[96];
	if (m->kind == MOUNT_TMP_OVERLAY) {
		int sfd = scratch(w);
		if (sfd < 0)
			return fail(w, m, "scratch tmpfs", -sfd);
		char name[32];
		snprintf(name, sizeof(name), "o%u", w->n_scratch++);
		_cleanup_close_ int lfd = -1;
		if (mkdirat(sfd, name, 0700) < 0 ||
		    (lfd = openat(sfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0 ||
		    mkdirat(lfd, "upper", 0755) < 0 || mkdirat(lfd, "work", 0700) < 0)
			return fail(w, m, "overlay layer", errno);
		snprintf(layer, sizeof(layer), "/proc/self/fd/%d/%s", sfd, name);
	} else {
		snprintf(layer, sizeof(layer), "/proc/self/fd/%d", pr->auxfd);
	}
	char data[384];
	snprintf(data, sizeof(data),
		 "lowerdir=/proc/self/fd/%d,upperdir=%s/upper,workdir=%s/work,userxattr", pr->fd,
		 layer, layer);
	/* The lower layer shows through: so would glovebox's state below it. */
	if (protected_note(w, m, &pr->st, true) < 0)
		return -1;
	return mount_new_fs_at(w, m, "overlay", MS_NOSUID | MS_NODEV, data);
}

static int do_op(struct where_ctx *w, const struct mount_op *m, struct prepared *pr)
{
	switch (m->kind) {
	case MOUNT_BIND:
	case MOUNT_RO_BIND:
	case MOUNT_DEV_BIND:
		return do_bind(w, m, pr);
	case MOUNT_TMPFS:
		return do_tmpfs(w, m);
	case MOUNT_PROC:
		return do_proc(w, m);
	case MOUNT_DEV:
		return do_dev(w, m);
	case MOUNT_MQUEUE:
		return mount_new_fs_at(w, m, "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	case MOUNT_SYMLINK:
		return make_symlink(w, m, m->src);
	case MOUNT_DIR:
		return do_dir(w, m);
	case MOUNT_FILE:
		return do_file(w, m);
	case MOUNT_CHMOD:
		return do_chmod(w, m);
	case MOUNT_TMP_OVERLAY:
	case MOUNT_OVERLAY:
		return do_overlay(w, m, pr);
	case MOUNT_MIRROR:
		return do_mirror(w, m, pr);
	case MOUNT_REMOUNT_RO:
		return do_remount_ro(w, m);
	}
	return -1;
}

/* The overlay's host directories, opened (and the persistent one's upper
 * and work directories made) while the host tree is still whole. */
static int prepare_overlay(struct where_ctx *w, const struct mount_op *m, struct prepared *pr)
{
	pr->fd = open(m->src, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (pr->fd < 0 || fstat(pr->fd, &pr->st) < 0)
		return -errno;
	if (protected_source_check(w, m, &pr->st) < 0)
		return -EPERM;
	if (m->kind != MOUNT_OVERLAY)
		return 0;
	(void)mkdir(m->aux, 0700);
	pr->auxfd = open(m->aux, O_PATH | O_DIRECTORY | O_CLOEXEC);
	struct stat st;
	if (pr->auxfd < 0 || fstat(pr->auxfd, &st) < 0)
		return -errno;
	struct mount_op aux = *m;
	aux.src = m->aux;
	if (protected_source_check(w, &aux, &st) < 0)
		return -EPERM;
	if ((mkdirat(pr->auxfd, "upper", 0755) < 0 && errno != EEXIST) ||
	    (mkdirat(pr->auxfd, "work", 0700) < 0 && errno != EEXIST))
		return -errno;
	return 0;
}

/* Open every host path the operations need while the host tree is still
 * whole: the new root is about to be attached over one of its directories. */
static int prepare_sources(struct where_ctx *w)
{
	int r = 0;
	w->prep = xcalloc(w->plan.n_sources, sizeof(*w->prep));
	for (size_t i = 0; i < w->plan.n_sources; i++)
		w->prep[i].fd = w->prep[i].auxfd = -1;
	for (size_t k = 0; k < w->plan.n_steps && r == 0; k++) {
		const struct mount_op *m = w->plan.steps[k].op;
		struct prepared *pr = &w->prep[w->plan.steps[k].source];
		switch (m->kind) {
		case MOUNT_BIND:
		case MOUNT_RO_BIND:
		case MOUNT_DEV_BIND:
			r = open_source(w, m, pr);
			break;
		case MOUNT_MIRROR:
			r = prepare_mirror(w, m, pr);
			break;
		case MOUNT_DEV:
			r = open_dev_nodes(w);
			break;
		case MOUNT_TMP_OVERLAY:
		case MOUNT_OVERLAY:
			r = prepare_overlay(w, m, pr);
			break;
		case MOUNT_TMPFS:
		case MOUNT_PROC:
		case MOUNT_MQUEUE:
		case MOUNT_SYMLINK:
		case MOUNT_DIR:
		case MOUNT_FILE:
		case MOUNT_REMOUNT_RO:
		case MOUNT_CHMOD:
			break;
		}
		if (r == -EPERM && w->d->errors)
			return -1;
		if (r < 0)
			return fail(w, m, m->kind == MOUNT_DEV ? "/dev" : m->src, -r);
	}
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
	/* The root itself is read-only: the sandbox writes only where a
	 * profile mounted something writable. */
	struct mount_attr attr = {.attr_set = MOUNT_ATTR_RDONLY};
	if (mount_setattr(AT_FDCWD, "/", 0, &attr, sizeof(attr)) < 0)
		return diag_error(w->d, NULL, "cannot make / read-only: %s", strerror(errno));
	return 0;
}

/* The launcher's own directory, not merely one of the same name (the
 * sandbox's private /tmp): a bind keeps device and inode numbers. */
static bool enter_same_dir(const struct where_env *env)
{
	struct stat st;
	return env->cwd && chdir(env->cwd) == 0 && stat(".", &st) == 0 &&
	       st.st_dev == env->cwd_dev && st.st_ino == env->cwd_ino;
}

int where_enter_workdir(const struct policy *p, const struct where_env *env, struct diag *d)
{
	enum cwd_decision decision = where_cwd_decide(p, env);
	const char *dir = where_start_dir(p, env, decision);
	if (dir) {
		if (chdir(dir) == 0)
			return 0;
		return diag_error(d, p->chdir_s.set ? &p->chdir_s.origin : &p->cwd_s.origin,
				  "cannot start in %s: %s", dir, strerror(errno));
	}
	if (enter_same_dir(env))
		return 0;
	if (chdir("/") < 0)
		return diag_error(d, NULL, "chdir /: %s", strerror(errno));
	/* Never a silent change of directory: a relative path on the command
	 * line would name another file. (A directory left out on purpose was
	 * said before the launch.) */
	_cleanup_free_ char *noted = where_cwd_note(p, env, decision);
	if (env->cwd && !noted)
		fprintf(d->out, "%sthe current directory %s is not in the sandbox: the command "
				"starts in / (share it with --cwd ro)\n",
			d->prefix, env->cwd);
	else if (!env->cwd)
		fprintf(d->out, "%sthe current directory is gone (removed, or out of reach): the "
				"command starts in /\n",
			d->prefix);
	return 0;
}

int where_build_root(const struct policy *p, const struct where_env *env, int host_mounts_fd,
		     struct diag *d)
{
	struct where_ctx w = {.env = env, .d = d, .rootfd = -1, .devnodes_first = -1,
			      .pc_fd = -1, .scratchfd = -1, .host_mounts_fd = host_mounts_fd};
	int r = -1;
	for (size_t i = 0; i < ELEMENTSOF(w.devnodes); i++)
		w.devnodes[i] = -1;

	/* Nothing done in here may propagate back to the host. */
	struct mount_attr priv = {.propagation = MS_PRIVATE};
	if (mount_setattr(AT_FDCWD, "/", AT_RECURSIVE, &priv, sizeof(priv)) < 0) {
		diag_error(d, NULL, "cannot make the mount tree private: %s", strerror(errno));
		goto out;
	}
	struct rlimit fd_limit;
	getrlimit(RLIMIT_NOFILE, &fd_limit);
	raise_fd_limit(p->n_mounts + 16);
	where_plan_make(p, env, &w.plan);
	protected_init(&w);
	if (special_init(&w) < 0)
		goto out;
	TRACE_POINT("host mounts read");
	if (prepare_sources(&w) < 0 || make_root(&w) < 0)
		goto out;
	for (size_t k = 0; k < w.plan.n_steps; k++) {
		const struct where_step *st = &w.plan.steps[k];
		if (do_op(&w, st->op, &w.prep[st->source]) < 0)
			goto out;
		parent_cache_after_mount(&w, st->op->dest);
		closep(&w.prep[st->source].fd);
	}
	parent_cache_drop(&w);
	if (scratch_remove(&w) < 0 || special_apply(&w) < 0 || apply_masks(&w) < 0 ||
	    enter_root(&w) < 0)
		goto out;
	setrlimit(RLIMIT_NOFILE, &fd_limit);
	r = 0;
out:
	closep(&w.rootfd);
	for (size_t i = 0; i < w.n_masks; i++)
		free(w.masks[i].path);
	for (size_t i = 0; i < w.n_specials; i++)
		free(w.specials[i].path);
	for (size_t i = 0; i < w.n_special_hits; i++)
		free(w.special_hits[i].inside);
	free(w.special_hits);
	for (size_t i = 0; i < w.n_prot; i++)
		free(w.prot[i].inside);
	if (w.prep) {
		for (size_t i = 0; i < w.plan.n_sources; i++) {
			closep(&w.prep[i].fd);
			closep(&w.prep[i].auxfd);
			free(w.prep[i].link_target);
		}
		free(w.prep);
	}
	for (size_t i = 0; i < ELEMENTSOF(w.devnodes); i++)
		closep(&w.devnodes[i]);
	closep(&w.devnodes_first);
	closep(&w.scratchfd);
	parent_cache_drop(&w);
	where_plan_free(&w.plan);
	return r;
}
