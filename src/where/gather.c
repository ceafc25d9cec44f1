/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The where layer's facts: system calls only, no decisions (those are
 * plan.c's). Runs before the new root covers any host path. */
#include "where/facts.h"
#include "where/held.h"
#include "where/resolve.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

const char *const where_dev_nodes[WHERE_N_DEV_NODES] = {"null",   "zero",    "full",
							 "random", "urandom", "tty"};

/* Every ancestor of a host path, itself included (self, its stat, known
 * already: one stat fewer a path, four a launch), with the rest of the
 * path below it. A path's components are bounded only by PATH_MAX: the
 * list grows, so no ancestor is ever left out. */
static void collect_ancestors(const char *path, const struct stat *self,
			      struct where_anchor **anc, size_t *n_anc) /* NOLINT(readability-non-const-parameter): APPEND counts it */
{
	size_t len = strlen(path);
	_cleanup_free_ char *buf = xstrdup(path);
	for (size_t end = len;;) {
		size_t n = end == 0 ? 1 : end;
		char saved = buf[n];
		buf[n] = '\0';
		struct stat st = *self;
		if (end == len || stat(buf, &st) == 0) {
			*APPEND(*anc, *n_anc) = (struct where_anchor){st.st_dev, st.st_ino,
								   path + end + (path[end] == '/')};
		}
		buf[n] = saved;
		if (end == 0)
			break;
		while (end > 0 && path[end - 1] != '/')
			end--;
		if (end > 0)
			end--;
	}
}

static void gather_protected(const struct where_env *env, struct where_facts *f)
{
	for (size_t i = 0; i < env->n_protected; i++) {
		const char *path = env->protected[i].path;
		struct stat st;
		if (!path || path[0] != '/' || stat(path, &st) < 0)
			continue;
		struct where_guarded *g = APPEND(f->prot, f->n_prot);
		*g = (struct where_guarded){.path = path, .dev = st.st_dev, .ino = st.st_ino};
		collect_ancestors(path, &st, &g->anc, &g->n_anc);
	}
}

/* The inode numbers of a directory's entries, from getdents64 alone:
 * no stat per entry. (An entry that is a mount point reports the inode
 * underneath; glovebox's own directories hold none.) */
static void read_inodes(int dirfd, struct where_guarded *g, int depth)
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
			*APPEND(g->inside, g->n_inside) = e->d_ino;
			if (depth > 0 && e->d_type == DT_DIR) {
				_cleanup_close_ int sub = openat(
					dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
				if (sub >= 0)
					read_inodes(sub, g, depth - 1);
			}
		}
	}
}

/* A source on a protected directory's filesystem: what lies inside that
 * directory is read, once, for the plan to refuse a bind of any of it. */
static void note_source_dev(struct where_facts *f, dev_t dev)
{
	for (size_t i = 0; i < f->n_prot; i++) {
		struct where_guarded *g = &f->prot[i];
		if (g->dev != dev || g->inside_read)
			continue;
		g->inside_read = true;
		_cleanup_close_ int fd = open(g->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0)
			read_inodes(fd, g, 1);
	}
}

/* ---- the host's proc and sysfs ---- */

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

/* All of what the supervisor sent, however long: a host with many proc
 * mounts (one per container) must not lose any. NULL unless it ends
 * with "E". */
static char *read_host_mounts(int fd)
{
	size_t cap = 4096, len = 0;
	char *buf = xmalloc(cap);
	for (;;) {
		if (len + 1 == cap)
			buf = xreallocarray(buf, cap *= 2, 1);
		ssize_t n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	if (len < 2 || strcmp(buf + len - 2, "E\n") != 0 || (len > 2 && buf[len - 3] != '\n')) {
		free(buf);
		return NULL;
	}
	return buf;
}

static int gather_specials(int host_mounts_fd, struct where_facts *f, struct diag *d)
{
	_cleanup_free_ char *buf = read_host_mounts(host_mounts_fd);
	if (!buf)
		return diag_error(d, NULL, "cannot learn where the host mounted proc and sysfs");
	for (char *line = buf, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
		*nl = '\0';
		if (line[0] == 'E' || line[1] != ' ')
			continue;
		char *path = line + 2;
		unescape_octal(path);
		struct stat st;
		if (path[0] != '/' || stat(path, &st) < 0)
			continue;
		struct where_special *sp = APPEND(f->specials, f->n_specials);
		*sp = (struct where_special){.path = xstrdup(path), .dev = st.st_dev,
					     .ino = st.st_ino, .is_proc = line[0] == 'P'};
		collect_ancestors(sp->path, &st, &sp->anc, &sp->n_anc);
	}
	return 0;
}

/* ---- the sources ---- */

/* statfs's answer for the last directory's filesystem: sources share a
 * few filesystems, and a directory's st_dev names its filesystem (a file
 * on an overlay may show its layer's), so a directory on the same one
 * needs no statfs of its own. */
static int stat_source_fs(struct where_facts *f, struct where_source *s, int fd,
			  const char *path)
{
	bool dir = S_ISDIR(s->st.st_mode);
	if (!dir || !f->fs_seen || f->fs_dev != s->st.st_dev) {
		struct statfs sfs;
		if ((fd >= 0 ? fstatfs(fd, &sfs) : statfs(path, &sfs)) < 0)
			return -errno;
		f->fs_type = (long)sfs.f_type;
		f->fs_dev = s->st.st_dev;
		f->fs_seen = dir;
	}
	s->fs_type = f->fs_type;
	s->known = true;
	return 0;
}

/* fd's stat, or path's when fd is -1, as the plan keeps it. 0 or -errno. */
static int stat_into(int fd, const char *path, struct where_stat *out)
{
	struct stat st;
	if ((fd >= 0 ? fstat(fd, &st) : stat(path, &st)) < 0)
		return -errno;
	*out = (struct where_stat){.st_dev = st.st_dev, .st_ino = st.st_ino, .st_mode = st.st_mode};
	return 0;
}

static int stat_source(struct where_facts *f, struct where_source *s, int fd, const char *path)
{
	int r = stat_into(fd, path, &s->st);
	return r < 0 ? r : stat_source_fs(f, s, fd, path);
}

/* The host path to open: the launcher's resolution of it (no symlink on
 * the way), or the path as named when there is none (explain's tests). */
static const char *host_path(const struct where_path *p, const char *named)
{
	return p && p->phys ? p->phys : named;
}

/* An O_PATH descriptor of a source, with no symlink followed on the way:
 * the launcher followed those the plan accepts, and one swapped in since
 * (by a sandbox running meanwhile) fails the launch rather than
 * redirecting it. */
static int open_source_path(const char *path, int flags)
{
	return where_open_no_links(AT_FDCWD, path, O_PATH | flags);
}

static const char *source_error(int err)
{
	return err == ELOOP ? "a symlink appeared on the way since glovebox looked (a sandbox "
			      "at work there?)"
			    : strerror(err);
}

/* The tree at path, cloned by name, when its root is the very inode the
 * launcher opened with no symlink on the way and holds (where/held.h):
 * no second lookup without links. Its stat in *st. -1 when it is not
 * (gone or changed since), for the open without links to decide. */
static int clone_held(const char *path, int held, struct where_stat *st)
{
	struct stat was;
	if (held < 0 || fstat(held, &was) < 0)
		return -1;
	int fd = open_tree(AT_FDCWD, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
	if (fd >= 0 && stat_into(fd, NULL, st) == 0 && st->st_dev == was.st_dev &&
	    st->st_ino == was.st_ino)
		return fd;
	closep(&fd);
	return -1;
}

static int gather_bind(const struct mount_op *m, const char *path, int held,
		       enum gather_mode mode, struct where_facts *f, struct where_source *s)
{
	/* The source is opened once, and that very tree is what gets mounted:
	 * swapping a symlink into the source path afterwards changes nothing.
	 * AT_RECURSIVE takes the submounts along, so nothing that was mounted
	 * over a subdirectory on the host is uncovered. */
	if (mode == GATHER_OPEN && (s->fd = clone_held(path, held, &s->st)) >= 0)
		return stat_source_fs(f, s, s->fd, path);
	if (mode == GATHER_OPEN) {
		_cleanup_close_ int at = open_source_path(path, 0);
		if (at < 0 && errno == ENOENT && (m->flags & MOUNT_F_TRY)) {
			s->missing = true;
			return 0;
		}
		if (at < 0)
			return -errno;
		s->fd = open_tree(at, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE |
					      AT_EMPTY_PATH);
		if (s->fd < 0)
			return -errno;
	}
	int r = stat_source(f, s, s->fd, path);
	if (r == -ENOENT && mode == GATHER_LOOK && (m->flags & MOUNT_F_TRY))
		s->missing = true;
	return s->missing ? 0 : r;
}

static int gather_mirror(const struct mount_op *m, const char *path, int held,
			 enum gather_mode mode, struct where_facts *f, struct where_source *s)
{
	struct stat st;
	if (lstat(path, &st) < 0) {
		s->missing = errno == ENOENT;
		return s->missing ? 0 : -errno;
	}
	if (!S_ISLNK(st.st_mode))
		return gather_bind(m, path, held, mode, f, s);
	char target[PATH_MAX];
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	s->link_target = xstrdup(target);
	return 0;
}

/* A directory of an overlay other than its source (a further lower
 * layer, bwrap's work directory), opened and looked at like the source. */
static int gather_layer(const char *path, enum gather_mode mode, int *fd,
			struct where_stat *st, struct where_source *s)
{
	if (mode == GATHER_OPEN && (*fd = open_source_path(path, O_DIRECTORY)) < 0) {
		s->failed = path;
		return -errno;
	}
	int r = stat_into(*fd, path, st);
	if (r < 0)
		s->failed = path;
	return r;
}

static int gather_lowers(const struct mount_op *m, const struct where_source_path *sp,
			 enum gather_mode mode, struct where_source *s)
{
	s->n_lowers = m->lowers.n;
	s->lowers = s->n_lowers ? xcalloc(s->n_lowers, sizeof(*s->lowers)) : NULL;
	for (size_t k = 0; k < s->n_lowers; k++)
		s->lowers[k].fd = -1;
	for (size_t k = 0; k < s->n_lowers; k++) {
		const char *path = host_path(sp ? &sp->lowers[k] : NULL, m->lowers.v[k]);
		struct where_layer *l = &s->lowers[k];
		int r = gather_layer(path, mode, &l->fd, &l->st, s);
		if (r < 0)
			return r;
		l->known = true;
	}
	return 0;
}

/* The overlay's host directories, opened while the host tree is still
 * whole. glovebox's persistent one's upper and work directories are made
 * by the executor, once the plan has accepted the directory; bwrap's
 * (RWSRC WORKDIR) are the caller's, used as they are. */
static int gather_overlay(const struct mount_op *m, const struct where_source_path *sp,
			  enum gather_mode mode, struct where_facts *f, struct where_source *s)
{
	const char *lower = host_path(sp ? &sp->src : NULL, m->src);
	if (mode == GATHER_OPEN && (s->fd = open_source_path(lower, O_DIRECTORY)) < 0)
		return -errno;
	int r = stat_source(f, s, s->fd, lower);
	if (r == 0)
		r = gather_lowers(m, sp, mode, s);
	if (r < 0 || m->kind != MOUNT_OVERLAY)
		return r;
	if (m->work) {
		const char *upper = host_path(sp ? &sp->aux : NULL, m->aux);
		r = gather_layer(upper, mode, &s->auxfd, &s->aux_st, s);
		if (r == 0)
			r = gather_layer(host_path(sp ? &sp->work : NULL, m->work), mode, &s->workfd,
					 &s->work_st, s);
		s->aux_known = r == 0;
		return r;
	}
	if (mode == GATHER_LOOK)
		return 0; /* explain makes nothing on the host */
	const char *dir = host_path(sp ? &sp->aux : NULL, m->aux);
	(void)mkdir(dir, 0700);
	s->auxfd = open_source_path(dir, O_DIRECTORY);
	if (s->auxfd < 0)
		return -errno;
	r = stat_into(s->auxfd, NULL, &s->aux_st);
	s->aux_known = r == 0;
	return r;
}

static int gather_dev_nodes(enum gather_mode mode, struct where_facts *f)
{
	for (size_t i = 0; mode == GATHER_OPEN && i < WHERE_N_DEV_NODES; i++) {
		if (f->devnodes[i] >= 0)
			continue;
		char host[32];
		snprintf(host, sizeof(host), "/dev/%s", where_dev_nodes[i]);
		f->devnodes[i] = open_tree(AT_FDCWD, host, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
		if (f->devnodes[i] < 0)
			return -errno;
	}
	return 0;
}

static int gather_source(const struct mount_op *m, const struct where_source_path *sp, int held,
			 enum gather_mode mode, struct where_facts *f, struct where_source *s)
{
	const char *path = host_path(sp ? &sp->src : NULL, m->src);
	switch (m->kind) {
	case MOUNT_BIND:
	case MOUNT_RO_BIND:
	case MOUNT_DEV_BIND:
		return gather_bind(m, path, held, mode, f, s);
	case MOUNT_MIRROR:
		return gather_mirror(m, path, held, mode, f, s);
	case MOUNT_DEV:
		return gather_dev_nodes(mode, f);
	case MOUNT_TMP_OVERLAY:
	case MOUNT_OVERLAY:
	case MOUNT_RO_OVERLAY:
		return gather_overlay(m, sp, mode, f, s);
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
	return 0;
}

int where_gather(const struct where_plan *plan, const struct where_env *env, int host_mounts_fd,
		 enum gather_mode mode, struct where_facts *f, struct diag *d)
{
	*f = (struct where_facts){.env = env, .n_src = plan->n_sources};
	for (size_t i = 0; i < WHERE_N_DEV_NODES; i++)
		f->devnodes[i] = -1;
	f->src = xcalloc(plan->n_sources, sizeof(*f->src));
	for (size_t i = 0; i < plan->n_sources; i++)
		f->src[i].fd = f->src[i].auxfd = f->src[i].workfd = -1;
	gather_protected(env, f);
	if (host_mounts_fd >= 0 && gather_specials(host_mounts_fd, f, d) < 0)
		return -1;
	for (size_t k = 0; k < plan->n_steps; k++) {
		const struct mount_op *m = plan->steps[k].op;
		size_t i = plan->steps[k].source;
		struct where_source *s = &f->src[i];
		int held = env->held && i < env->n_held ? env->held[i] : -1;
		int r = gather_source(m, env->paths ? &env->paths[i] : NULL, held, mode, f, s);
		/* explain shows the plan for sources it cannot read too */
		if (r < 0 && mode == GATHER_OPEN)
			return diag_error(d, &m->origin, "%s: %s",
					  m->kind == MOUNT_DEV ? "/dev"
					  : s->failed	       ? s->failed
								 : m->src,
					  source_error(-r));
		if (s->known)
			note_source_dev(f, s->st.st_dev);
		if (s->aux_known)
			note_source_dev(f, s->aux_st.st_dev);
		for (size_t j = 0; j < s->n_lowers; j++)
			if (s->lowers[j].known)
				note_source_dev(f, s->lowers[j].st.st_dev);
	}
	return 0;
}

/* The sources' trees, attached by now or never: in a few close_range
 * calls rather than a close each (they were cloned one after another, so
 * their numbers mostly follow each other).
 * Measured: 500 read-only binds make 499 system calls fewer, 4,642
 * against 5,141 (strace -c -f, as root); CPU time of the tree 31.9
 * against 33.0 ms as root, 54.7 against 55.1 as nobody (medians of 40
 * interleaved runs, getrusage, load 3.6). The slow path, a tree left
 * between other descriptors, is test-held.c's runs with gaps. */
static void close_trees(struct where_facts *f)
{
	_cleanup_free_ int *fds = xcalloc(f->n_src ? f->n_src : 1, sizeof(*fds));
	for (size_t i = 0; i < f->n_src; i++)
		fds[i] = f->src[i].fd;
	where_close_fds(fds, f->n_src);
	for (size_t i = 0; i < f->n_src; i++)
		f->src[i].fd = -1;
}

void where_facts_free(struct where_facts *f)
{
	close_trees(f);
	for (size_t i = 0; i < f->n_src; i++) {
		closep(&f->src[i].auxfd);
		closep(&f->src[i].workfd);
		for (size_t k = 0; k < f->src[i].n_lowers; k++)
			closep(&f->src[i].lowers[k].fd);
		free(f->src[i].lowers);
		free(f->src[i].link_target);
	}
	free(f->src);
	for (size_t i = 0; i < f->n_prot; i++) {
		free(f->prot[i].anc);
		free(f->prot[i].inside);
	}
	free(f->prot);
	for (size_t i = 0; i < f->n_specials; i++) {
		free(f->specials[i].path);
		free(f->specials[i].anc);
	}
	free(f->specials);
	for (size_t i = 0; i < WHERE_N_DEV_NODES; i++)
		closep(&f->devnodes[i]);
	*f = (struct where_facts){0};
}
