/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the where layer learns about the host before it plans: the
 * sources opened and stat'ed once, the identities of glovebox's protected
 * directories and of the host's proc and sysfs mounts, with every
 * ancestor of each. gather.c fills it with system calls and decides
 * nothing; plan.c decides from it without any; a unit test builds one by
 * hand. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "diag.h"
#include "where/plan.h"

/* One directory on the way down to a host path (the path itself
 * included): a bind whose source is this directory shows the path at
 * DEST/suffix, whichever way the source was named. */
struct where_anchor {
	dev_t dev;
	ino_t ino;
	const char *suffix; /* points into the path it leads to; "" for the path itself */
};

/* A directory glovebox trusts later (its configuration, its caches). */
struct where_guarded {
	const char *path;
	dev_t dev;
	ino_t ino;
	struct where_anchor *anc;
	size_t n_anc;
	/* The inode numbers inside it, two levels deep: read only when a
	 * source lies on its filesystem. */
	ino_t *inside;
	size_t n_inside;
	bool inside_read;
};

/* A proc or sysfs the host mounted somewhere: a recursive bind of a
 * directory above it brings it along. */
struct where_special {
	char *path;
	dev_t dev;
	ino_t ino; /* of its root: a bind of it is a bind of the whole filesystem */
	bool is_proc;
	struct where_anchor *anc;
	size_t n_anc;
};

/* What the plan needs of a stat, under struct stat's names: 24 bytes
 * where struct stat takes 144. Measured: pid 1's facts for 500 binds
 * shrink from 252 KiB to 72 KiB (three of these a source), 42 page faults
 * fewer a launch (perf record -e page-faults). */
struct where_stat {
	dev_t st_dev;
	ino_t st_ino;
	mode_t st_mode;
};

/* A further lower layer of an overlay, or -1 and unknown. */
struct where_layer {
	int fd;
	struct where_stat st;
	bool known;
};

/* One plan source (the policy's mounts, then home, then cwd). */
struct where_source {
	int fd;            /* open_tree clone (binds) or O_PATH (overlay lower), or -1 */
	int auxfd;         /* persistent overlay: the directory that keeps the changes */
	int workfd;        /* bwrap's persistent overlay: its work directory */
	struct where_layer *lowers; /* an overlay's layers below fd, as its mount_op's lowers */
	size_t n_lowers;
	const char *failed; /* the host path that could not be opened, when not the source */
	struct where_stat st; /* of fd; for explain, of the path */
	struct where_stat aux_st;
	struct where_stat work_st;
	bool aux_known;
	long fs_type;      /* statfs f_type of the source */
	char *link_target; /* mirror of a symlink */
	bool missing;      /* a -try source (or a mirror's) that does not exist */
	bool known;        /* st and fs_type were read */
};

enum { WHERE_N_DEV_NODES = 6 };
extern const char *const where_dev_nodes[WHERE_N_DEV_NODES];

struct where_facts {
	const struct where_env *env; /* the launcher's facts, where_env's paths among them */
	struct where_source *src; /* plan->n_sources of them */
	size_t n_src;
	struct where_guarded *prot;
	size_t n_prot;
	struct where_special *specials;
	size_t n_specials;
	int devnodes[WHERE_N_DEV_NODES]; /* host /dev nodes, cloned once; -1 until then */
	/* the last source directory's filesystem, for the next on it */
	dev_t fs_dev;
	long fs_type;
	bool fs_seen;
};

enum gather_mode {
	GATHER_OPEN, /* pid 1: open the trees that get mounted */
	GATHER_LOOK, /* explain: stat the paths, open and create nothing */
};

/* Fill f for the plan's mount steps, in their order, stopping at the
 * first source that cannot be read (reported with its origin). A bind
 * source env holds (env->held) is cloned by name when it is the inode
 * held, else opened again with no symlink allowed on the way.
 * host_mounts_fd carries what where_send_host_mounts wrote. 0 or -1. */
int where_gather(const struct where_plan *plan, const struct where_env *env, int host_mounts_fd,
		 enum gather_mode mode, struct where_facts *f, struct diag *d);
void where_facts_free(struct where_facts *f);

/* Write the host's proc and sysfs mount points to fd; 0 or -errno. */
int where_send_host_mounts(int fd);
