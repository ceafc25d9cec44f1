/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Landlock, the second fence behind the namespaces.
 *
 * Files: rules derived from the mount plan (landlock-rules.c, pure), so
 * that the command may reach only what the mounts show it, read-only
 * where they are read-only. A rule names a path and grants its rights
 * to everything beneath it; anything under no rule is refused, even when
 * a way out of the mount namespace were found (a leaked descriptor, a
 * kernel bug).
 *
 * TCP (ABI 4): the ports the command may connect to and bind.
 *
 * Scoping (ABI 6, Linux 6.12): a scoped process can neither connect to an
 * abstract unix socket created outside its Landlock domain nor signal a
 * process outside it. Abstract sockets belong to a network namespace, so
 * the network namespace hides them; but a profile that shares the host's
 * network (network = host) would otherwise reach the host's X11, D-Bus or
 * ssh-agent abstract sockets, and one that shares the host's pid
 * namespace could signal the user's other processes.
 *
 * One ruleset holds all three. It is made before the sandbox's processes
 * are (its descriptor is inherited), filled by pid 1 once the mounts are
 * in place, and the command enforces it on itself just before seccomp:
 * landlock_restrict_self takes the rules the ruleset holds at that
 * moment. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "policy/policy.h"

struct where_plan;
struct where_facts;

/* The kernel's Landlock ABI version, or 0 when Landlock is unavailable
 * (not built, or disabled at boot). */
int where_landlock_abi(void);

/* The first ABI that has each feature. */
#define LANDLOCK_ABI_REFER 2
#define LANDLOCK_ABI_TRUNCATE 3
#define LANDLOCK_ABI_TCP 4
#define LANDLOCK_ABI_IOCTL_DEV 5
#define LANDLOCK_ABI_SCOPE 6

/* Filesystem access rights, Landlock's bits (Debian 12's headers stop at
 * REFER). */
#define LL_EXECUTE (1ULL << 0)
#define LL_WRITE_FILE (1ULL << 1)
#define LL_READ_FILE (1ULL << 2)
#define LL_READ_DIR (1ULL << 3)
#define LL_REMOVE_DIR (1ULL << 4)
#define LL_REMOVE_FILE (1ULL << 5)
#define LL_MAKE_CHAR (1ULL << 6)
#define LL_MAKE_DIR (1ULL << 7)
#define LL_MAKE_REG (1ULL << 8)
#define LL_MAKE_SOCK (1ULL << 9)
#define LL_MAKE_FIFO (1ULL << 10)
#define LL_MAKE_BLOCK (1ULL << 11)
#define LL_MAKE_SYM (1ULL << 12)
#define LL_REFER (1ULL << 13)
#define LL_TRUNCATE (1ULL << 14)
#define LL_IOCTL_DEV (1ULL << 15)

/* The rights a rule on a file (not a directory) may carry. */
#define LL_FILE_RIGHTS (LL_EXECUTE | LL_WRITE_FILE | LL_READ_FILE | LL_TRUNCATE | LL_IOCTL_DEV)

/* The filesystem rights an ABI can handle. */
uint64_t where_landlock_fs_handled(int abi);

/* Where the rules' paths are: inside the sandbox's new root (the
 * mounts' destinations), or on the host (the fallback without
 * namespaces: the binds' sources, since nothing is mounted). */
enum landlock_view { LANDLOCK_INSIDE, LANDLOCK_HOST };

struct landlock_rule {
	const char *path; /* borrowed from the plan, or owned when `owned` */
	bool owned;
	uint64_t access;
	size_t step; /* the plan step it mirrors */
	/* A bind's own tree (its facts' descriptor, borrowed), whose root is
	 * the inode at path: the rule goes on it, with no path opened again
	 * (Landlock ties a rule to the inode). -1: path is opened. */
	int fd;
};

struct landlock_rules {
	struct landlock_rule *v;
	size_t n;
};

/* The rules that mirror a derived plan (the host view: a made one, facts
 * looked at), each right cut to `handled`. Pure. A later mount at the
 * same destination takes the earlier one's place; a mask or a hidden
 * proc takes away what lies beneath it; remount-ro takes the write rights
 * from the rules at or below it. Rules add up along a path, so a
 * read-only mount below a writable one (a remount-ro of a submount, a
 * read-only bind inside a tmpfs) stays read-only through its mount flag
 * alone. */
void where_landlock_rules(const struct where_plan *plan, const struct where_facts *f,
			  enum landlock_view view, uint64_t handled, struct landlock_rules *out);
void where_landlock_rules_free(struct landlock_rules *r);

/* Inside: the rules of binds right under a directory glovebox made for
 * them (and nothing else) become one rule on that directory, when it
 * reaches exactly what theirs reach (landlock-merge.c says when). Pure. */
void where_landlock_merge(const struct where_plan *plan, const struct where_facts *f,
			  struct landlock_rules *r);

/* Rights as words ("read list exec", "all" for every right handled), for
 * explain and the tests. */
void where_landlock_access_text(uint64_t access, uint64_t handled, char *buf, size_t size);

/* Without namespaces nothing can be hidden: a plan that must hide
 * something (glovebox's own state, the host's proc, which a bind shows)
 * cannot be mirrored on the host. 0, or -1 (reported with the bind's
 * origin). Pure. */
int where_landlock_host_check(const struct where_plan *plan, struct diag *d);

/* What this ABI cannot enforce, as one line ("" when nothing). */
void where_landlock_missing_text(int abi, char *buf, size_t size);

/* What the ruleset handles for a policy on a kernel of this ABI. */
struct landlock_fence {
	int abi;
	uint64_t fs;  /* filesystem rights handled (0: no file rules) */
	uint64_t net; /* TCP rights handled */
	uint64_t scoped;
};

/* Decide what the policy's ruleset handles here. A Landlock feature the
 * profile asked for explicitly and the kernel lacks fails closed; the
 * defaults apply where the kernel has them. 0 or -1 (reported). */
int where_landlock_decide(const struct policy *p, int abi, struct landlock_fence *fence,
			  struct diag *d);

/* Make the ruleset, with the policy's TCP ports in it: its descriptor
 * (close-on-exec), -1 when the fence handles nothing, or -2 (reported). */
int where_landlock_open(const struct policy *p, const struct landlock_fence *fence,
			struct diag *d);

/* Add the file rules: each on its rule's descriptor, or its path opened
 * once (O_PATH), in the calling process's view of the filesystem. 0 or -1
 * (reported). */
int where_landlock_add_paths(int ruleset, const struct landlock_rules *r,
			     const struct where_plan *plan, struct diag *d);

struct where_env;
/* fallback = landlock, in place of the mounts: the plan made and checked
 * as for a launch, its rules at the host's paths added to the ruleset.
 * 0 or -1 (reported). */
int where_landlock_host_rules(const struct policy *p, const struct where_env *env,
			      int host_mounts_fd, const struct landlock_fence *fence, int ruleset,
			      struct diag *d);

/* In the command's process: what its standard descriptors already allow,
 * when they are files or devices of the host's (glovebox -- cmd > out.txt):
 * reopened through /dev/stdout or /proc/self/fd/1, they reach the same
 * file, for reading or writing as the descriptor does. A directory gets
 * nothing. */
void where_landlock_add_stdio(int ruleset, uint64_t handled);

/* In the command's process, after no_new_privs: restrict it (and all it
 * starts) to the ruleset. 0 or -1 (reported). */
int where_landlock_enforce(int ruleset, struct diag *d);
