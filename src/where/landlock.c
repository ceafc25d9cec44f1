/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "where/landlock.h"

#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_restrict_self 446
#endif

/* The ruleset attribute as of ABI 6; Debian 12's headers stop at
 * handled_access_fs. The kernel takes the size passed, so this layout works
 * with every kernel that knows scoping. */
struct gb_landlock_ruleset_attr {
	/* cppcheck-suppress unusedStructMember ; the kernel reads them */
	uint64_t handled_access_fs;
	/* cppcheck-suppress unusedStructMember */
	uint64_t handled_access_net;
	/* cppcheck-suppress unusedStructMember */
	uint64_t scoped;
};

#define GB_LANDLOCK_CREATE_RULESET_VERSION (1U << 0)
#define GB_LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#define GB_LANDLOCK_SCOPE_SIGNAL (1ULL << 1)

int where_landlock_abi(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, GB_LANDLOCK_CREATE_RULESET_VERSION);
	return abi > 0 ? (int)abi : 0;
}

static uint64_t landlock_scopes(unsigned scope)
{
	uint64_t s = 0;
	if (scope & SCOPE_ABSTRACT_UNIX)
		s |= GB_LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET;
	if (scope & SCOPE_SIGNAL)
		s |= GB_LANDLOCK_SCOPE_SIGNAL;
	return s;
}

int where_apply_landlock(const struct policy *p, struct diag *d)
{
	if (!p->scope)
		return 0;
	int abi = where_landlock_abi();
	if (abi < LANDLOCK_ABI_SCOPE) {
		if (!p->scope_s.set)
			return 0; /* glovebox's default: where the kernel has it */
		if (abi == 0)
			return diag_error(d, &p->scope_s.origin,
					  "this kernel has no Landlock (not built in, or not in the "
					  "lsm= boot list): the scope cannot be enforced");
		return diag_error(d, &p->scope_s.origin,
				  "scoping needs Landlock ABI %d (Linux 6.12); this kernel has ABI %d",
				  LANDLOCK_ABI_SCOPE, abi);
	}
	struct gb_landlock_ruleset_attr attr = {.scoped = landlock_scopes(p->scope)};
	_cleanup_close_ int fd =
		(int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (fd < 0 || syscall(SYS_landlock_restrict_self, fd, 0) < 0)
		return diag_error(d, p->scope_s.set ? &p->scope_s.origin : NULL,
				  "cannot apply the Landlock scope: %s", strerror(errno));
	return 0;
}
