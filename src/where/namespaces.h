/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The namespaces the sandbox lives in, and what each needs after clone:
 * id maps for the user namespace, a host name, a loopback interface. */
#pragma once

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "diag.h"
#include "policy/policy.h"

/* Clone flags for the sandbox's first process: user, mount, pid, ipc,
 * uts and cgroup namespaces. */
unsigned long where_clone_flags(const struct policy *p);

/* In the new user namespace: map the inside uid/gid (the caller's own, or
 * 0 for user = root) onto the caller's uid/gid outside. */
int where_map_ids(const struct policy *p, uid_t outer_uid, gid_t outer_gid, struct diag *d);

/* In the command's process: a network namespace of its own (unless
 * network = host) with loopback up, and the host name. Needs the
 * capabilities of the sandbox's user namespace, so it runs before they are
 * dropped. */
int where_setup_net_uts(const struct policy *p, struct diag *d);

/* In pid 1: wait until the command's process has made the network
 * namespace (it writes one byte to ready_fd), and join it, so that no
 * process of the sandbox stays in the host's. 0 or -1 (reported, or the
 * command's process failed and reported). */
int where_join_net(const struct policy *p, pid_t command, int ready_fd, struct diag *d);

/* The sandbox's namespaces could not be made (err from clone): say why in
 * one line, the precise cause where it can be found (a sysctl, AppArmor's
 * restriction, a seccomp filter around glovebox, the namespace count),
 * with the fix where there is one. */
void where_userns_failure(const struct policy *p, int err, struct diag *d);

/* Whether clone's err means that no user namespace can be made here (so
 * that fallback = landlock applies). */
bool where_userns_blocked(const struct policy *p, int err);

/* Whether AppArmor lets a user namespace be made and then takes its
 * capabilities away (Ubuntu 24.04), which shows only once it is made. */
bool where_userns_restricted(void);

/* fallback = landlock: the one line that says why there are no
 * namespaces (err from clone, 0 for AppArmor's restriction) and what is
 * weaker than the full sandbox. */
void where_fallback_note(const struct policy *p, int err, FILE *out);
