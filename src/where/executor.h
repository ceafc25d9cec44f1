/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The executor's state and the helpers its files share (mounts.c: the
 * loop, the root and the binds; mounts-fs.c: fresh filesystems and /dev;
 * mounts-derived.c: what the mounts brought along, the kernel's root-only
 * files). Internal to src/where/. */
#pragma once

#include "where/mounts.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* The executor's state: the root, the scratch tmpfs and the parent
 * directory cache. Every decision is in the plan. */
struct where_ctx {
	struct where_facts *facts;
	struct diag *d;
	int rootfd;
	dev_t root_dev;
	const char *root_path; /* where the root tmpfs is attached while it is built */
	mode_t parent_mode;    /* the current step's: missing parents' mode, 0 for 0755 */
	int devnodes_first;    /* the first /dev, source of any later one's nodes */
	char *pc_path;         /* parent_cache: a resolved parent directory */
	int pc_fd;
	bool pc_in_root; /* it is a directory of the root tmpfs itself */
	/* ensure_path made the destination just now, in the root tmpfs itself:
	 * no other process can reach it yet, so its type is known and it is
	 * no entry of procfs or sysfs. */
	bool last_fresh;
	int scratchfd; /* the scratch tmpfs, attached while the root is built */
	int devdir;    /* the /dev just made, for its node steps */
	const struct where_plan *plan;
	const struct where_step *steps;
	size_t step_now; /* the step being made: error messages look back from it */
	bool *acted;     /* by step: a conditional step found what it acts on */
	char *kdir_path; /* the directory of the last kernel step's entry */
	int kdir_fd;
	bool blanks;   /* the blank file and directory are in the root tmpfs */
	int coveredfd; /* the root tmpfs, once a mount at / covers it (bwrap mode) */
};

enum dest_kind { DEST_DIR, DEST_FILE };

/* mounts.c */
int step_fail(struct where_ctx *w, const struct mount_op *m, const char *what, int err);
int open_in_root(int rootfd, const char *path, int flags);
int ensure_path(struct where_ctx *w, const char *path, enum dest_kind kind);
int check_dest_fs(struct where_ctx *w, const struct mount_op *m, int destfd);
int attach_mount(int mntfd, int destfd);
int set_mount_attrs(int mntfd, uint64_t set, bool recursive);
int mount_fs_on(int destfd, const char *type, unsigned long flags, const char *data);
int mount_new_fs_at(struct where_ctx *w, const struct mount_op *m, const char *type,
                    unsigned long flags, const char *data);

/* mounts-fs.c */
int do_tmpfs(struct where_ctx *w, const struct where_step *st);
int do_dev(struct where_ctx *w, const struct where_step *st);
int do_dev_node(struct where_ctx *w, const struct where_step *st);

/* mounts-overlay.c */
int do_overlay(struct where_ctx *w, const struct where_step *st, const struct where_source *src);

/* mounts-derived.c */
int do_cover(struct where_ctx *w, const struct where_step *st, size_t k);
int do_pin(struct where_ctx *w, const struct where_step *st);
int drop_blanks(struct where_ctx *w);
void kernel_dir_drop(struct where_ctx *w);
int do_kernel(struct where_ctx *w, const struct where_step *st);
