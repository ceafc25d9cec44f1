/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The namespaces the sandbox lives in, and what each needs after clone:
 * id maps for the user namespace, a host name, a loopback interface. */
#pragma once

#include <sys/types.h>

#include "diag.h"
#include "policy/policy.h"

/* Clone flags for the namespaces this policy asks for. */
unsigned long where_clone_flags(const struct policy *p);

/* In the new user namespace: map the inside uid/gid (the caller's own, or
 * 0 for user = root) onto the caller's uid/gid outside. */
int where_map_ids(const struct policy *p, uid_t outer_uid, gid_t outer_gid, struct diag *d);

/* Host name and loopback, once the uts and net namespaces exist. */
int where_setup_net_uts(const struct policy *p, struct diag *d);
