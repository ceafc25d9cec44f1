/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The executor's derived steps: what a bind brought along (a host proc or
 * sysfs, glovebox's own state) covered or pinned, and the kernel's
 * root-only files covered when the host's root is inside. */
#include "where/executor.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

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
int do_cover(struct where_ctx *w, const struct where_step *st, size_t k)
{
	_cleanup_close_ int fd = still_shows(w, st);
	if (fd < 0)
		return 0;
	w->acted[k] = true;
	int r;
	if (st->what == STEP_RO_SYSFS)
		r = set_mount_attrs(fd, MOUNT_ATTR_RDONLY, true) < 0 ? -errno : 0;
	else
		r = mount_fs_on(fd, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
				"mode=0,size=4k");
	if (r == 0)
		return 0;
	/* Unmounted on the host meanwhile (the sandbox's mounts receive the
	 * host's unmounts): nothing is left there to cover. */
	_cleanup_close_ int again = r == -EINVAL ? still_shows(w, st) : -1;
	if (r == -EINVAL && again < 0)
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
int do_pin(struct where_ctx *w, const struct where_step *st)
{
	if (!w->acted[st->needs])
		return 0;
	_cleanup_close_ int at = open_in_root(w->rootfd, st->path, O_PATH | O_DIRECTORY);
	_cleanup_close_ int tree = -1;
	if (at < 0 ||
	    (tree = open_tree(at, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE |
					      AT_EMPTY_PATH)) < 0 ||
	    attach_mount(tree, at) < 0)
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

int drop_blanks(struct where_ctx *w)
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

void kernel_dir_drop(struct where_ctx *w)
{
	free(w->kdir_path);
	w->kdir_path = NULL;
	closep(&w->kdir_fd);
}

/* Cover a kernel file or directory with a blank, or make a directory
 * read-only with all below it: a clone attached in its place. An entry
 * this kernel lacks is left be; a host sysfs a later mount covered too. */
int do_kernel(struct where_ctx *w, const struct where_step *st)
{
	if (w->steps[st->cause].what == STEP_RO_SYSFS && !w->acted[st->cause])
		return 0;
	const char *name = st->path + st->index + 1;
	int dir = kernel_dir(w, st);
	struct stat s;
	if (dir < 0 || fstatat(dir, name, &s, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : step_fail(w, NULL, st->path, errno);
	bool ro = st->what == STEP_KERNEL_RO;
	int r = ro ? 0 : make_blanks(w);
	_cleanup_close_ int tree = -1;
	if (r == 0)
		tree = ro ? open_tree(dir, name, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE)
			  : open_tree(root_tmpfs(w), S_ISDIR(s.st_mode) ? BLANK_DIR : BLANK_FILE,
				      OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (r < 0 || tree < 0 ||
	    set_mount_attrs(tree, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
				    MOUNT_ATTR_NOEXEC, true) < 0 ||
	    move_mount(tree, "", dir, name, MOVE_MOUNT_F_EMPTY_PATH) < 0)
		return diag_error(w->d, NULL, "cannot %s %s inside the sandbox: %s",
				  ro ? "make read-only" : "hide", st->path,
				  strerror(r < 0 ? -r : errno));
	return 0;
}

