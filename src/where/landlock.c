/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "where/landlock.h"

#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "where/plan.h"

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule 445
#define SYS_landlock_restrict_self 446
#endif

/* The ruleset attribute as of ABI 6; Debian 12's headers stop at
 * handled_access_fs. The kernel takes the size passed: an older kernel
 * accepts the longer struct as long as the fields it does not know are 0,
 * which where_landlock_decide sees to. */
struct gb_landlock_ruleset_attr {
	/* cppcheck-suppress unusedStructMember ; the kernel reads them */
	uint64_t handled_access_fs;
	/* cppcheck-suppress unusedStructMember */
	uint64_t handled_access_net;
	/* cppcheck-suppress unusedStructMember */
	uint64_t scoped;
};

struct gb_landlock_path_beneath_attr {
	/* cppcheck-suppress unusedStructMember */
	uint64_t allowed_access;
	/* cppcheck-suppress unusedStructMember */
	int32_t parent_fd;
} __attribute__((packed));

struct gb_landlock_net_port_attr {
	/* cppcheck-suppress unusedStructMember */
	uint64_t allowed_access;
	/* cppcheck-suppress unusedStructMember */
	uint64_t port;
};

#define GB_LANDLOCK_CREATE_RULESET_VERSION (1U << 0)
#define GB_LANDLOCK_RULE_PATH_BENEATH 1
#define GB_LANDLOCK_RULE_NET_PORT 2
#define GB_LANDLOCK_ACCESS_NET_BIND_TCP (1ULL << 0)
#define GB_LANDLOCK_ACCESS_NET_CONNECT_TCP (1ULL << 1)
#define GB_LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#define GB_LANDLOCK_SCOPE_SIGNAL (1ULL << 1)

static const uint64_t tcp_access[TCP_KIND_COUNT] = {
	[TCP_CONNECT] = GB_LANDLOCK_ACCESS_NET_CONNECT_TCP,
	[TCP_BIND] = GB_LANDLOCK_ACCESS_NET_BIND_TCP,
};

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

/* A feature the profile set explicitly, on a kernel without it. */
static int missing(const struct setting *s, int abi, int needs, const char *what,
		   struct diag *d)
{
	if (abi == 0)
		return diag_error(d, &s->origin,
				  "this kernel has no Landlock (not built in, or not in the lsm= "
				  "boot list): %s cannot be enforced",
				  what);
	return diag_error(d, &s->origin, "%s needs Landlock ABI %d; this kernel has ABI %d", what,
			  needs, abi);
}

int where_landlock_decide(const struct policy *p, int abi, struct landlock_fence *fence,
			  struct diag *d)
{
	*fence = (struct landlock_fence){.abi = abi};
	int r = 0;
	if (p->landlock_fs) {
		if (abi >= 1)
			fence->fs = where_landlock_fs_handled(abi);
		else if (p->landlock_fs_s.set)
			r = missing(&p->landlock_fs_s, abi, 1, "the file rules", d);
	}
	for (size_t k = 0; k < TCP_KIND_COUNT; k++) {
		if (!p->tcp[k].restricted)
			continue;
		if (abi >= LANDLOCK_ABI_TCP)
			fence->net |= tcp_access[k];
		else
			r = missing(&p->tcp[k].s, abi, LANDLOCK_ABI_TCP, "a TCP port rule", d);
	}
	if (p->scope) {
		if (abi >= LANDLOCK_ABI_SCOPE)
			fence->scoped = landlock_scopes(p->scope);
		else if (p->scope_s.set)
			r = missing(&p->scope_s, abi, LANDLOCK_ABI_SCOPE, "scoping", d);
	}
	return r;
}

static int add_port(int fd, uint64_t access, uint16_t port)
{
	struct gb_landlock_net_port_attr attr = {.allowed_access = access, .port = port};
	return (int)syscall(SYS_landlock_add_rule, fd, GB_LANDLOCK_RULE_NET_PORT, &attr, 0);
}

int where_landlock_open(const struct policy *p, const struct landlock_fence *fence,
			struct diag *d)
{
	if (!fence->fs && !fence->net && !fence->scoped)
		return -1;
	struct gb_landlock_ruleset_attr attr = {.handled_access_fs = fence->fs,
						.handled_access_net = fence->net,
						.scoped = fence->scoped};
	_cleanup_close_ int fd = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (fd < 0) {
		diag_error(d, NULL, "cannot make the Landlock ruleset: %s", strerror(errno));
		return -2;
	}
	for (size_t k = 0; k < TCP_KIND_COUNT; k++) {
		const struct tcp_ports *t = &p->tcp[k];
		for (size_t i = 0; t->restricted && i < t->n; i++)
			if (add_port(fd, tcp_access[k], t->v[i]) < 0) {
				diag_error(d, &t->s.origin, "cannot add the Landlock rule for port %u: %s",
					   t->v[i], strerror(errno));
				return -2;
			}
	}
	return steal_fd(&fd);
}

static int add_path(int ruleset, const struct landlock_rule *rule)
{
	/* O_PATH: a rule needs no permission on the path itself, and opening
	 * it does nothing to a device or a fifo. */
	_cleanup_close_ int opened = rule->fd < 0 ? open(rule->path, O_PATH | O_CLOEXEC) : -1;
	if (rule->fd < 0 && opened < 0)
		return -errno;
	struct gb_landlock_path_beneath_attr attr = {.allowed_access = rule->access,
						     .parent_fd = rule->fd < 0 ? opened : rule->fd};
	if (syscall(SYS_landlock_add_rule, ruleset, GB_LANDLOCK_RULE_PATH_BENEATH, &attr, 0) < 0)
		return -errno;
	return 0;
}

int where_landlock_add_paths(int ruleset, const struct landlock_rules *r,
			     const struct where_plan *plan, struct diag *d)
{
	for (size_t i = 0; i < r->n; i++) {
		int e = add_path(ruleset, &r->v[i]);
		if (e == 0)
			continue;
		const struct where_step *st = &plan->steps[r->v[i].step];
		return diag_error(d, st->what == STEP_MOUNT ? &st->op->origin : NULL,
				  "cannot add the Landlock rule for %s: %s", r->v[i].path,
				  strerror(-e));
	}
	return 0;
}

void where_landlock_add_stdio(int ruleset, uint64_t handled)
{
	if (ruleset < 0 || !handled)
		return;
	for (int fd = 0; fd <= 2; fd++) {
		struct stat st;
		int flags = fcntl(fd, F_GETFL);
		if (flags < 0 || fstat(fd, &st) < 0 || !(S_ISREG(st.st_mode) || S_ISCHR(st.st_mode)))
			continue; /* pipes and sockets are never checked; a directory is no stream */
		int mode = flags & O_ACCMODE;
		uint64_t access = (mode != O_WRONLY ? LL_READ_FILE : 0) |
				  (mode != O_RDONLY ? LL_WRITE_FILE | LL_TRUNCATE : 0) |
				  (S_ISCHR(st.st_mode) ? LL_IOCTL_DEV : 0);
		struct gb_landlock_path_beneath_attr attr = {.allowed_access = access & handled,
							     .parent_fd = fd};
		/* at worst the file stays as out of reach as the rest */
		(void)syscall(SYS_landlock_add_rule, ruleset, GB_LANDLOCK_RULE_PATH_BENEATH, &attr, 0);
	}
}

int where_landlock_enforce(int ruleset, struct diag *d)
{
	if (ruleset < 0)
		return 0;
	if (syscall(SYS_landlock_restrict_self, ruleset, 0) < 0)
		return diag_error(d, NULL, "cannot enforce the Landlock rules: %s", strerror(errno));
	return 0;
}
