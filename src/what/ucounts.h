/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* [limits] inotify-instances, inotify-watches: the kernel's per-user
 * counts, lowered in the sandbox's user namespace. */
#pragma once

#include <stdint.h>

#include "diag.h"
#include "policy/policy.h"

/* The key of each count, and its file in /proc/sys/user. */
extern const char *const ucount_keys[UCOUNT_KINDS];

/* The value a limit comes to against the user's own, users: a share of
 * it, at least 1, or the count, never above users. 0: not lowered. */
uint64_t ucount_value(const struct ucount_limit *u, uint64_t users);

/* For explain: "50% of your 128: 64", "1000", "none (yours: 128)". */
void ucount_describe(const struct ucount_limit *u, uint64_t users, char *buf, size_t size);

/* Before the sandbox's user namespace is made: the user's own limits (in
 * glovebox's namespace) and the values they come to, 0 where not lowered
 * or unknown. */
void what_ucounts_resolve(const struct policy *p, uint64_t users[UCOUNT_KINDS],
			  uint64_t out[UCOUNT_KINDS]);

/* pid 1, holding every capability of the sandbox's new user namespace,
 * before the host's /proc is hidden: writes the values into that
 * namespace's /proc/sys/user. */
int what_limit_ucounts(const struct policy *p, const uint64_t values[UCOUNT_KINDS],
		       struct diag *d);
