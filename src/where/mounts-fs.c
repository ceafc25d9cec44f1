/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The executor's fresh filesystems: a tmpfs (or a directory of the tmpfs
 * budget's pool), a /dev with its private devpts and the host's device
 * nodes. */
#include "where/executor.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

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
	if (tree < 0 || set_mount_attrs(tree, attrs, false) < 0 || attach_mount(tree, destfd) < 0)
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
		return step_fail(w, m, m->dest, -dest);
	if (!w->last_fresh && check_dest_fs(w, m, dest) < 0)
		return -1;
	int r = attach_pool_dir(w, st, kind, mode, attrs, dest);
	return r < 0 ? step_fail(w, m, m->dest, -r) : 0;
}

int do_tmpfs(struct where_ctx *w, const struct where_step *st)
{
	const struct mount_op *m = st->op;
	uint32_t mode = m->mode == MODE_UNSET ? 01777u : m->mode;
	bool noexec = m->flags & MOUNT_F_NOEXEC;
	if (!where_uses_scratch(w->plan, m)) {
		char data[64];
		int n = snprintf(data, sizeof(data), "mode=%o", mode);
		if (m->size)
			snprintf(data + n, sizeof(data) - (size_t)n, ",size=%llu",
				 (unsigned long long)m->size);
		return mount_new_fs_at(w, m, "tmpfs", MS_NOSUID | MS_NODEV | (noexec ? MS_NOEXEC : 0),
				       data);
	}
	return pool_dir_at(w, st, 't', mode,
			   MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | (noexec ? MOUNT_ATTR_NOEXEC : 0));
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

int do_dev(struct where_ctx *w, const struct where_step *st)
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
		return step_fail(w, m, m->dest, errno);
	if (w->devnodes_first < 0)
		w->devnodes_first = openat(dir, ".", O_PATH | O_CLOEXEC);
	for (size_t i = 0; i < ELEMENTSOF(links) - !bw; i++)
		if (symlinkat(links[i][0], dir, links[i][1]) < 0)
			return step_fail(w, m, links[i][1], errno);
	if (mkdirat(dir, "pts", 0755) < 0 || mkdirat(dir, "shm", bw ? 0755 : 01777) < 0)
		return step_fail(w, m, "pts", errno);

	/* A private devpts: the sandbox sees only terminals it opens itself. */
	_cleanup_close_ int pts = openat(dir, "pts", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	_cleanup_close_ int shm = openat(dir, "shm", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int r = pts < 0 || shm < 0 ? -errno : 0;
	if (r == 0)
		r = mount_fs_on(pts, "devpts", MS_NOSUID | MS_NOEXEC,
				"newinstance,ptmxmode=0666,mode=0620");
	if (r < 0)
		return step_fail(w, m, "devpts", -r);
	if (bw)
		return 0; /* bwrap's /dev/shm: a directory of /dev */
	if (!where_uses_scratch(w->plan, m))
		r = mount_fs_on(shm, "tmpfs", MS_NOSUID | MS_NODEV, "mode=01777");
	else
		r = attach_pool_dir(w, st, 's', 01777, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, shm);
	return r < 0 ? step_fail(w, m, "shm", -r) : 0;
}

/* One host device node into the /dev just made. The gathered clone itself
 * is attached: a clone closed without being attached costs an RCU grace
 * period to dissolve. A second /dev takes copies of the first one's
 * nodes. The nodes keep their host mount's flags; nosuid and noexec mean
 * nothing on a device node. */
int do_dev_node(struct where_ctx *w, const struct where_step *st)
{
	const struct mount_op *m = w->steps[st->cause].op;
	const char *name = where_dev_nodes[st->index];
	int *gathered = &w->facts->devnodes[st->index];
	_cleanup_close_ int node = *gathered >= 0 ? *gathered
				   : open_tree(w->devnodes_first, name, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	*gathered = -1;
	if (node < 0)
		return step_fail(w, m, name, errno);
	if (mknodat(w->devdir, name, S_IFREG | 0666, 0) < 0 ||
	    move_mount(node, "", w->devdir, name, MOVE_MOUNT_F_EMPTY_PATH) < 0)
		return step_fail(w, m, name, errno);
	return 0;
}

