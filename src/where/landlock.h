/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Landlock, the second fence behind the namespaces.
 *
 * Scoping (Landlock ABI 6, Linux 6.12): a scoped process can neither
 * connect to an abstract unix socket created outside its Landlock domain
 * nor signal a process outside it. Abstract sockets belong to a network
 * namespace, so the network namespace hides them; but a profile that
 * shares the host's network (network = host) would otherwise reach the
 * host's X11, D-Bus or ssh-agent abstract sockets, and one that shares the
 * host's pid namespace could signal the user's other processes. */
#pragma once

#include "diag.h"
#include "policy/policy.h"

/* The kernel's Landlock ABI version, or 0 when Landlock is unavailable
 * (not built, or disabled at boot). */
int where_landlock_abi(void);

/* The first ABI that has scoping. */
#define LANDLOCK_ABI_SCOPE 6

/* In the command's process, after no_new_privs, before the seccomp filter:
 * restrict it (and all it starts) to the policy's scopes. Where the
 * kernel lacks scoping, a scope the profile asked for explicitly fails
 * closed; glovebox's own default is applied where the kernel has it. 0 or
 * -1 (reported). */
int where_apply_landlock(const struct policy *p, struct diag *d);
