/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The where layer's plan: which mounts are made, in which order, and where
 * the command starts. Pure: it reads the policy and what the launcher
 * learned about its surroundings (struct where_env), and makes no system
 * call, so `explain` prints exactly what the executor (mounts.c) does. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "diag.h"
#include "policy/policy.h"

/* A host directory that glovebox trusts later (its own configuration and
 * caches). It is hidden wherever a bind would expose it, and a bind of
 * anything inside it is refused. */
struct protected_dir {
	const char *path; /* canonical host path */
};

/* Where the launcher's working directory lies, compared by inode with the
 * host's / and the user's home and its ancestors. */
enum cwd_place {
	CWD_PLACE_OTHER,
	CWD_PLACE_ROOT,       /* the host's / */
	CWD_PLACE_HOME,       /* $HOME itself */
	CWD_PLACE_ABOVE_HOME, /* a directory $HOME lies in (/home) */
	CWD_PLACE_HOST_PROC,  /* in the host's proc */
	CWD_PLACE_SHARED_DIR, /* a directory every program shares (/tmp, /run...) */
	CWD_PLACE_GLOVEBOX_STATE, /* glovebox's configuration or cache, or in them */
};

/* A symlink met on the way to a host path, as the launcher saw it before
 * any namespace: inside the sandbox's user namespace, root and every
 * other unmapped user show as one overflow uid, which is also nobody's
 * own, so ownership is only known out here. */
struct where_link {
	char *path;   /* the link itself, with the links before it followed */
	char *target; /* what it says */
	uid_t owner;  /* a host uid */
};

/* A host path resolved by the launcher (where/resolve.c): every symlink
 * on the way followed and recorded, so that the plan can refuse one a
 * sandbox could have planted, and pid 1 opens `phys` without following
 * any (a link swapped in since then fails the launch). */
struct where_path {
	char *phys; /* absolute, normalised, no symlink on the way (if none was swapped in) */
	struct where_link *links;
	size_t n_links;
};

/* The host paths of one plan source: the bind's or overlay's source, and
 * a persistent overlay's directory (bwrap's: its upper layer and work
 * directory), and an overlay's further lower layers (its mount_op's). */
struct where_source_path {
	struct where_path src, aux, work;
	struct where_path *lowers;
	size_t n_lowers;
};

/* A place whose writable bind hands the sandbox what it needs to become
 * you outside (keys, tokens, an authorized_keys line): refused unless the
 * bind says writable=intended. Relative to $HOME. */
struct where_secret {
	const char *rel;
	const char *what;
};
extern const struct where_secret where_secrets[];
extern const size_t where_n_secrets;

struct where_env {
	bool host_root;   /* uid 0 inside is the host's root (root runs glovebox) */
	uid_t invoker;    /* the host uid glovebox runs as (what a sandbox's files belong to) */
	const char *home; /* the user's home directory, or NULL */
	const char *private_home; /* home = private: the host directory used */
	const char *cwd;  /* the launcher's working directory, or NULL */
	enum cwd_place cwd_place;
	dev_t cwd_dev;    /* the working directory itself, to know it again inside */
	ino_t cwd_ino;
	const struct protected_dir *protected;
	size_t n_protected;
	/* From where_resolve_sources, by plan source (the policy's mounts,
	 * home, cwd); NULL until then (every path then taken as named). */
	struct where_source_path *paths;
	/* From where_resolve_sources too, by plan source: a bind's source
	 * opened (O_PATH, close-on-exec) with no symlink on the way, held for
	 * pid 1 to know it again, or -1; NULL for none (where/held.h). */
	int *held;
	size_t n_held;
	/* Filled only when the policy has a writable bind: $HOME and each
	 * where_secrets entry, resolved (NULL: unknown). */
	char *home_phys;
	char **secret_phys;
};

/* ---- the mount order ---- */

struct order_item {
	const char *dest;
	/* Goes beneath the earlier mounts at its own destination too (the
	 * home mount: a bind of $HOME itself shows on top of it). */
	bool beneath_same;
	/* Acts on what is there already (remount-ro, chmod, dir, symlink):
	 * never moves, since it hides nothing. */
	bool in_place;
};

/* A stable reordering: an item (not in_place) whose destination is a
 * strict ancestor of an earlier item's (or, with beneath_same, the same)
 * is moved to just before the first such item, since mounted after it, it would hide it.
 * Every other item keeps its place; items at one destination keep their
 * order, the later on top. order[k] is the item mounted k-th;
 * moved_before[i] is the item that item i was moved before, or SIZE_MAX.
 * Linear in the total length of the destinations, plus a scan of the
 * order for each item that moves. */
void where_order(const struct order_item *items, size_t n, size_t *order, size_t *moved_before);

/* A destination's key: its length, with "/" as 0, so that the prefixes of
 * "/a/b" before each of its slashes are the keys of its ancestors. */
size_t where_dest_key(const char *dest);

/* ---- the current directory ---- */

enum cwd_decision {
	CWD_SHARED,      /* bound at its own path, the start directory */
	CWD_NOT_ASKED,   /* cwd = none */
	CWD_UNKNOWN,     /* the launcher has no working directory */
	CWD_IS_ROOT,     /* not shared: the whole host */
	CWD_IS_HOME,     /* not shared: $HOME itself */
	CWD_ABOVE_HOME,  /* not shared: every home below it */
	CWD_HOST_PROC,   /* not shared: the host's proc leads out of any sandbox */
	CWD_OWN_FS,      /* not shared: in the sandbox's own /proc, /dev or queues, or
			    at a tmpfs of its own */
	CWD_GLOVEBOX_STATE, /* not shared: glovebox's own state, hidden in every sandbox */
	CWD_SHARED_DIR,  /* not shared: /tmp, /var/tmp, /run...: other programs'
			    sockets live there, and a read-only bind does not stop
			    connect() */
	CWD_LINK,        /* not shared: its path goes through a symlink a sandbox could
			    have planted */
	CWD_SECRET,      /* not shared: cwd = rw in (or above) a place of secrets */
	CWD_SHOWN,       /* not needed: the policy's own mounts show it (bind = ${CWD},
			    or home = rw in $HOME) */
};

/* Whether the policy's cwd setting shares env->cwd, and why not. */
enum cwd_decision where_cwd_decide(const struct policy *p, const struct where_env *env);

/* For a decision that leaves the directory out against the profile's wish
 * (root, home, above home): one line saying so, where the command starts
 * instead and how to share it anyway, without "glovebox: " or a newline;
 * NULL otherwise. Free it. */
char *where_cwd_note(const struct policy *p, const struct where_env *env,
		     enum cwd_decision decision);

/* ---- host paths (the rules on them: where/trust.h) ---- */

/* The host directory the home mount binds (home = ro, rw, private), or
 * NULL when it binds none. */
const char *where_home_source(const struct policy *p, const struct where_env *env);

/* ---- the plan ---- */

/* Where the scratch tmpfs is attached in the new root while it is built:
 * no mount of a profile may lie there. */
#define WHERE_SCRATCH "/.glovebox-scratch"
/* The empty file and directory a kernel mask binds, in the root tmpfs
 * until the root is entered: no mount of a profile may lie there either. */
#define WHERE_BLANK_DIR "/.glovebox-blank-dir"
#define WHERE_BLANK_FILE "/.glovebox-blank-file"

enum step_from { STEP_POLICY, STEP_HOME, STEP_CWD, STEP_DERIVED };

/* What a step does. Every step but STEP_MOUNT is derived from the mounts
 * and the facts (where_plan_derive). */
enum step_do {
	STEP_MOUNT,        /* op: a policy mount, the home or the cwd */
	STEP_SCRATCH,      /* attach the scratch tmpfs at WHERE_SCRATCH, before its first user */
	STEP_DEV_NODE,     /* a host device node (where_dev_nodes[index]) into a new /dev */
	STEP_SCRATCH_DROP, /* detach the scratch tmpfs: what was mounted from it stays */
	STEP_HIDE_PROC,    /* a host proc a bind brought along: covered, if it still shows */
	STEP_RO_SYSFS,     /* a host sysfs a bind brought along: read-only, if it still shows */
	STEP_MASK,         /* a protected directory a bind shows: covered, if it still shows */
	STEP_PIN,          /* a directory between a bind's root and a mask: a mount of itself */
	STEP_KERNEL_MASK,  /* host root inside: a kernel file of a proc or sysfs, covered */
	STEP_KERNEL_RO,    /* host root inside: a directory of a proc, read-only */
	STEP_ENTER_ROOT,   /* pivot_root into the new root */
	STEP_ROOT_RO,      /* the root itself read-only */
};

struct where_step {
	enum step_do what;
	enum step_from from;
	const struct mount_op *op; /* STEP_MOUNT */
	size_t source;       /* STEP_MOUNT: its source, the policy's own, then home, cwd */
	size_t moved_before; /* the source of the step it was moved before, or SIZE_MAX */
	bool read_only;      /* a bind: read-only, recursively (ro-bind, mirror, a sysfs) */
	bool shallow;        /* remount-ro: the mount itself, not the mounts below it */
	uint32_t parent_mode; /* missing parent directories' mode; 0 for 0755 */
	bool bwrap_dev;       /* dev: bwrap's (a core link, shm a plain directory) */
	/* Derived steps: */
	char *path;   /* the path inside (owned), or NULL */
	size_t cause; /* the step it is derived from (an index in steps), or SIZE_MAX */
	size_t needs; /* STEP_PIN: the mask it completes, skipped with it */
	/* STEP_MOUNT of a file, a throw-away overlay, or a tmpfs or /dev
	 * taken from the pool: its scratch name's number; STEP_DEV_NODE: the node; STEP_MASK: the length of the
	 * bind's destination ("/": 0); STEP_HIDE_PROC, STEP_RO_SYSFS: the
	 * special in the facts; STEP_KERNEL_MASK, STEP_KERNEL_RO: the length
	 * of path's parent. */
	size_t index;
	/* STEP_MASK, STEP_HIDE_PROC, STEP_RO_SYSFS: what must still show at
	 * path for the step to act (a later mount may cover it); a mask seen
	 * through an overlay acts whatever shows (its inodes are its own). */
	dev_t dev;
	ino_t ino;
	bool any;
};

struct where_plan {
	struct mount_op home, cwd; /* the derived mounts; strings borrowed */
	bool host_root; /* env->host_root: the kernel's root-only files are masked */
	enum cwd_decision cwd_decision;
	struct where_step *steps; /* in order */
	size_t n_steps;
	size_t n_sources; /* policy mounts + 2 */
	size_t *step_of; /* by source: its index in steps, or SIZE_MAX */
	bool bwrap; /* bwrap's meaning: command-line order, a writable root,
		       remount-ro of one mount */
	/* [limits] tmpfs: the scratch tmpfs becomes the pool of this many
	 * bytes, and every tmpfs without a size of its own (and /dev/shm) a
	 * bind of a fresh directory of it; 0: no budget. */
	uint64_t tmpfs_pool;
	bool proc_sys_ro; /* /proc/sys read-only whoever runs glovebox */
};

/* The policy's mounts, the home mount and the shared current directory, in
 * the order they are made. The plan must not move while steps point into
 * it. */
void where_plan_make(const struct policy *p, const struct where_env *env, struct where_plan *plan);
void where_plan_free(struct where_plan *plan);

struct where_facts;
/* The second pass, once the facts are in: refuse the sources that must
 * not be shown (the host's proc, glovebox's own state; reported with the
 * origin of the mount), and add every derived step: the scratch tmpfs,
 * /dev's nodes, the host's proc and sysfs brought along by a bind, masks
 * over glovebox's state and the pins that hold them, when the host's root
 * is uid 0 inside the masks over the kernel's root-only files of proc and
 * sysfs, entering the root and making it read-only. Pure. 0 or -1
 * (reported). */
int where_plan_derive(struct where_plan *plan, const struct where_facts *f, struct diag *d);

/* Whether a mount takes its place in the scratch tmpfs: a file's
 * content, a throw-away overlay's layer, a tmpfs or /dev/shm of a budget. */
bool where_uses_scratch(const struct where_plan *plan, const struct mount_op *m);

/* A name for what a step does, for explain and the tests. */
const char *where_step_name(const struct where_step *st);

/* The directory the command starts in, or NULL for "the launcher's, if
 * the sandbox shows that very directory, else /". */
const char *where_start_dir(const struct policy *p, const struct where_env *env,
			    enum cwd_decision decision);
