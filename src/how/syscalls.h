/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The system calls glovebox knows, and the named groups that profiles use
 * (`allow = @system-service`). Pure data and lookups; no kernel access. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct syscall_info {
	const char *name;
	int nr_x86_64;          /* -1 when the call does not exist on x86_64 */
	const char *arg_widths; /* 'h', 'i' or 'l' per argument: see syscall-list.h */
};

extern const struct syscall_info syscall_table[];
extern const size_t syscall_count;

/* A set of syscall table indices. */
#define SYSCALL_SET_WORDS 8
typedef struct {
	uint64_t w[SYSCALL_SET_WORDS];
} syscall_set;

static inline void syscall_set_add(syscall_set *s, size_t i)
{
	s->w[i / 64] |= UINT64_C(1) << (i % 64);
}

static inline bool syscall_set_has(const syscall_set *s, size_t i)
{
	return (s->w[i / 64] >> (i % 64)) & 1;
}

struct syscall_group {
	const char *name; /* with the leading '@' */
	const char *help;
	const char *members; /* space separated names and @groups */
};

extern const struct syscall_group syscall_groups[];
extern const size_t syscall_group_count;

/* Index into syscall_table, or -1. */
int syscall_lookup(const char *name);
const struct syscall_group *syscall_group_lookup(const char *name);

/* Resolve a name ("read") or group ("@basic-io") into set, recursively.
 * Returns 0, or -ENOENT for an unknown name. */
int syscall_resolve(const char *name, syscall_set *set);

/* io_uring operations bypass seccomp, so its calls join a set only when named
 * on their own or through @io-uring, never through a wider group. */
bool syscall_is_explicit_only(size_t index);

/* exit, exit_group, rt_sigreturn (and sigreturn): allowed by every
 * policy, whatever its default; deny and rule may not name them. */
bool syscall_is_always_allowed(size_t index);

/* The native number of a known call, or -1 when it does not exist here. */
int syscall_native_nr(size_t index);

/* How many bits of argument arg (0-5) of a known call the kernel reads on
 * this architecture: 16 for a file mode, 32 for an int, the register's
 * width for a long or a pointer. Seccomp sees all 64 bits of the register,
 * so a comparison on a narrower argument must look at its low bits only. */
unsigned syscall_arg_bits(size_t index, unsigned arg);
