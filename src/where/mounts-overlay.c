/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* overlayfs: the lower trees read-only, a writable layer on top (none for
 * a read-only overlay). The throw-away kind keeps its layer in the scratch
 * tmpfs; glovebox's persistent one in DIR/upper and DIR/work on the host,
 * bwrap's in the RWSRC and WORKDIR it names. Every directory is given as
 * /proc/self/fd/N, the very one opened before the namespaces were made.
 * userxattr: unprivileged overlays keep their bookkeeping in user.*
 * attributes. */
#include "where/executor.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* The lower layers, the uppermost first (overlayfs's order): the source,
 * then the mount's further lowers. */
static size_t n_lowers(const struct where_source *src)
{
	return 1 + src->n_lowers;
}

static int lower_fd(const struct where_source *src, size_t i)
{
	return i == 0 ? src->fd : src->lowers[i - 1].fd;
}

static char *fd_path(int fd)
{
	return xasprintf("/proc/self/fd/%d", fd);
}

/* The new mount API: one lowerdir+ per layer (Linux 6.8), so that no
 * option string has to hold them all. -ENOSYS when the kernel does not
 * know lowerdir+, for the caller to fall back. */
static int overlay_fs(const struct where_source *src, int upper, int work, bool read_only)
{
	_cleanup_close_ int fs = fsopen("overlay", FSOPEN_CLOEXEC);
	if (fs < 0)
		return -errno;
	for (size_t i = 0; i < n_lowers(src); i++) {
		_cleanup_free_ char *p = fd_path(lower_fd(src, i));
		if (fsconfig(fs, FSCONFIG_SET_STRING, "lowerdir+", p, 0) < 0)
			return errno == EINVAL && i == 0 ? -ENOSYS : -errno;
	}
	if (upper >= 0) {
		_cleanup_free_ char *u = fd_path(upper), *wk = fd_path(work);
		if (fsconfig(fs, FSCONFIG_SET_STRING, "upperdir", u, 0) < 0 ||
		    fsconfig(fs, FSCONFIG_SET_STRING, "workdir", wk, 0) < 0)
			return -errno;
	}
	if (fsconfig(fs, FSCONFIG_SET_FLAG, "userxattr", NULL, 0) < 0 ||
	    fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return -errno;
	unsigned attrs = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | (read_only ? MOUNT_ATTR_RDONLY : 0);
	int mnt = fsmount(fs, FSMOUNT_CLOEXEC, attrs);
	return mnt < 0 ? -errno : mnt;
}

/* Kernels before 6.8: all the layers in one lowerdir= option. */
static int overlay_legacy(struct where_ctx *w, const struct mount_op *m,
			  const struct where_source *src, int upper, int work, bool read_only)
{
	_cleanup_free_ char *data = xasprintf("lowerdir=/proc/self/fd/%d", src->fd);
	for (size_t i = 1; i < n_lowers(src); i++) {
		char *more = xasprintf("%s:/proc/self/fd/%d", data, lower_fd(src, i));
		free(data);
		data = more;
	}
	char *all = upper < 0 ? xasprintf("%s,userxattr", data)
			      : xasprintf("%s,upperdir=/proc/self/fd/%d,workdir=/proc/self/fd/%d,"
					  "userxattr",
					  data, upper, work);
	free(data);
	data = all;
	return mount_new_fs_at(w, m, "overlay", MS_NOSUID | MS_NODEV | (read_only ? MS_RDONLY : 0),
			       data);
}

/* The upper and work directories: made in the scratch tmpfs (throw-away),
 * in DIR (glovebox's persistent kind), or bwrap's, opened by gather. */
static int upper_and_work(struct where_ctx *w, const struct where_step *st,
			  const struct where_source *src, int *upper, int *work)
{
	const struct mount_op *m = st->op;
	if (m->kind == MOUNT_TMP_OVERLAY) {
		char name[32];
		snprintf(name, sizeof(name), "o%zu", st->index);
		_cleanup_close_ int layer = -1;
		if (mkdirat(w->scratchfd, name, 0700) < 0 ||
		    (layer = openat(w->scratchfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
			return -errno;
		return open_layers(layer, upper, work);
	}
	if (m->kind == MOUNT_OVERLAY && m->work) {
		if ((*upper = fcntl(src->auxfd, F_DUPFD_CLOEXEC, 3)) < 0 ||
		    (*work = fcntl(src->workfd, F_DUPFD_CLOEXEC, 3)) < 0)
			return -errno;
		return 0;
	}
	if (m->kind == MOUNT_OVERLAY)
		return open_layers(src->auxfd, upper, work);
	return 0; /* read-only: none */
}

int do_overlay(struct where_ctx *w, const struct where_step *st, const struct where_source *src)
{
	const struct mount_op *m = st->op;
	_cleanup_close_ int upper = -1, work = -1;
	bool read_only = m->kind == MOUNT_RO_OVERLAY;
	int r = upper_and_work(w, st, src, &upper, &work);
	if (r < 0)
		return step_fail(w, m, m->kind == MOUNT_OVERLAY ? m->aux : "overlay layer", -r);
	int made = overlay_fs(src, upper, work, read_only);
	if (made == -ENOSYS)
		return overlay_legacy(w, m, src, upper, work, read_only);
	if (made < 0)
		return step_fail(w, m, m->dest, -made);
	_cleanup_close_ int mnt = made;
	_cleanup_close_ int dest = ensure_path(w, m->dest, DEST_DIR);
	if (dest < 0)
		return step_fail(w, m, m->dest, -dest);
	if (!w->last_fresh && check_dest_fs(w, m, dest) < 0)
		return -1;
	if (attach_mount(mnt, dest) < 0)
		return step_fail(w, m, m->dest, errno);
	return 0;
}
