/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* [limits] memory, pids, cpu-quota: the sandbox in a cgroup v2 of its own,
 * made in a delegated one. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "policy/policy.h"

/* The controllers a policy's limits need. */
enum cgroup_controller { CG_MEMORY = 1, CG_PIDS = 2, CG_CPU = 4 };
unsigned cgroup_needed(const struct policy *p);
/* Whether the sandbox gets a cgroup at all: a limit, or cgroup = PATH. */
bool cgroup_wanted(const struct policy *p);

/* ---- pure steps, for the unit tests ---- */

/* The cgroup v2 path in the text of /proc/self/cgroup (its "0::" line),
 * newly allocated; NULL for none (no cgroup v2 at all). */
char *cgroup_v2_path(const char *proc_cgroup);
/* The mount point of the cgroup2 filesystem in the text of
 * /proc/self/mountinfo, newly allocated; NULL for none. */
char *cgroup2_mount_point(const char *mountinfo);
/* Whether a cgroup path lies in the systemd delegation of uid, the
 * subtree of its user@UID.service. */
bool cgroup_in_user_service(const char *path, unsigned uid);
/* The first of the needed controllers missing from a space-separated list
 * (cgroup.controllers, cgroup.subtree_control); NULL when none is. */
const char *cgroup_missing(const char *list, unsigned needed);
/* The deepest directory holding both paths (absolute, normalised),
 * newly allocated: the cgroup whose cgroup.procs a move between them
 * must be allowed to write. */
char *cgroup_common_ancestor(const char *a, const char *b);

/* ---- at launch ---- */

/* Where the sandbox's cgroup is to be made, or why it cannot be. */
struct cgroup_base {
	char *dir;       /* the delegated cgroup, a path in the cgroup2 mount */
	char *own;       /* glovebox's own cgroup, likewise */
	bool session;    /* the systemd delegation glovebox runs in */
	char why[512];   /* why not, when dir is NULL */
};

/* Finds the delegated cgroup and checks it holds the controllers. 0, or
 * -1 with base->why set. Free with cgroup_base_free. */
int cgroup_find_base(const struct policy *p, struct cgroup_base *base);
void cgroup_base_free(struct cgroup_base *base);

struct sandbox_cgroup {
	char *dir; /* the sandbox's own cgroup, removed when it ends */
	int fd;    /* open on it, for CLONE_INTO_CGROUP; -1: none */
};

/* Before the sandbox's first process: makes its cgroup with the limits
 * written (cg->fd, for clone3), or, where no cgroup can be had and the
 * profile allows it, writes the rlimit equivalents into *fallback and
 * says so on stderr. 0: go on (with *use the policy to launch: p, or
 * fallback); -1: reported, exit 125. */
int sandbox_cgroup_start(struct sandbox_cgroup *cg, const struct policy *p,
			 struct policy *fallback, const struct policy **use, struct diag *d);
/* Ends whatever still runs in the cgroup (cgroup.kill, Linux 5.14+) and
 * removes it. */
void sandbox_cgroup_end(struct sandbox_cgroup *cg);

/* The policy with the rlimit equivalents of its cgroup limits: RLIMIT_AS
 * for memory (unless the profile sets as), processes for pids (the lower
 * of the two). */
void cgroup_fallback_policy(const struct policy *p, struct policy *out);
