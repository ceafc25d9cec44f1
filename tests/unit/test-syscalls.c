/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <seccomp.h>

#include "how/syscalls.h"
#include "testutil.h"

START_TEST(table_is_sorted_and_unique)
{
	for (size_t i = 1; i < syscall_count; i++)
		ck_assert_msg(strcmp(syscall_table[i - 1].name, syscall_table[i].name) < 0, "%s, %s",
			      syscall_table[i - 1].name, syscall_table[i].name);
}
END_TEST

START_TEST(x86_64_numbers_agree_with_libseccomp)
{
	size_t checked = 0;
	for (size_t i = 0; i < syscall_count; i++) {
		int ours = syscall_table[i].nr_x86_64;
		int theirs = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, syscall_table[i].name);
		if (theirs == __NR_SCMP_ERROR || theirs < 0) {
			/* libseccomp 2.5 does not know the newest calls; ours must
			 * then be newer than anything it knows. */
			if (ours >= 0)
				ck_assert_msg(ours >= 335, "%s: %d unknown to libseccomp",
					      syscall_table[i].name, ours);
			continue;
		}
		ck_assert_msg(ours == theirs, "%s: ours %d, libseccomp %d", syscall_table[i].name, ours,
			      theirs);
		checked++;
	}
	ck_assert_uint_gt(checked, 330);
}
END_TEST

/* One letter per argument, at most six, each 'h', 'i' or 'l'. */
START_TEST(every_call_has_well_formed_argument_widths)
{
	for (size_t i = 0; i < syscall_count; i++) {
		const char *w = syscall_table[i].arg_widths;
		ck_assert_msg(w && strlen(w) <= 6 && strspn(w, "hil") == strlen(w), "%s: \"%s\"",
			      syscall_table[i].name, w ? w : "(null)");
	}
}
END_TEST

static unsigned bits(const char *name, unsigned arg)
{
	int i = syscall_lookup(name);
	ck_assert_int_ge(i, 0);
	return syscall_arg_bits((size_t)i, arg);
}

/* On a 32-bit architecture every register is 32 bits wide. */
static unsigned here(unsigned on_64_bit)
{
	return sizeof(long) == 4 ? 32 : on_64_bit;
}

/* The calls the built-in restrictions and the README's examples test. */
START_TEST(argument_widths_follow_the_kernel)
{
	ck_assert_uint_eq(bits("socket", 0), here(32));     /* int family */
	ck_assert_uint_eq(bits("socketpair", 0), here(32)); /* int family */
	ck_assert_uint_eq(bits("ioctl", 1), here(32));      /* unsigned int cmd */
	ck_assert_uint_eq(bits("ioctl", 2), here(64));      /* unsigned long arg */
	ck_assert_uint_eq(bits("personality", 0), here(32)); /* unsigned int */
	ck_assert_uint_eq(bits("setns", 1), here(32));      /* int nstype */
#if defined(__s390x__)
	/* CLONE_BACKWARDS2: the stack first, then the flags */
	ck_assert_uint_eq(bits("clone", 0), 64);
	ck_assert_uint_eq(bits("clone", 1), 32);
#else
	ck_assert_uint_eq(bits("clone", 0), here(32)); /* lower_32_bits(clone_flags) */
	ck_assert_uint_eq(bits("clone", 1), here(64)); /* the new stack */
#endif
	ck_assert_uint_eq(bits("unshare", 0), here(64));    /* unsigned long, upper bits are EINVAL */
	ck_assert_uint_eq(bits("mmap", 0), here(64));       /* the address */
	ck_assert_uint_eq(bits("mmap", 1), here(64));       /* the length */
#if !defined(__s390x__) /* there, mmap takes one pointer to its arguments */
	ck_assert_uint_eq(bits("mmap", 2), here(32)); /* prot: upper bits ignored */
#endif
	ck_assert_uint_eq(bits("mprotect", 2), here(64));   /* prot: upper bits are EINVAL */
	ck_assert_uint_eq(bits("memfd_create", 1), here(32)); /* unsigned int flags */
	ck_assert_uint_eq(bits("kill", 1), here(32));       /* int sig */
	ck_assert_uint_eq(bits("open", 2), 16);             /* umode_t mode */
	ck_assert_uint_eq(bits("openat", 3), 16);           /* umode_t mode */
	ck_assert_uint_eq(bits("getppid", 0), here(64));    /* no such argument: compared whole */
}
END_TEST

START_TEST(every_group_member_is_known)
{
	for (size_t g = 0; g < syscall_group_count; g++) {
		syscall_set set = {0};
		ck_assert_msg(syscall_resolve(syscall_groups[g].name, &set) == 0, "%s",
			      syscall_groups[g].name);
		ck_assert_msg(syscall_groups[g].help && *syscall_groups[g].help, "%s",
			      syscall_groups[g].name);
	}
}
END_TEST

static bool in_group(const char *group, const char *name)
{
	syscall_set set = {0};
	ck_assert_int_eq(syscall_resolve(group, &set), 0);
	int i = syscall_lookup(name);
	ck_assert_int_ge(i, 0);
	return syscall_set_has(&set, (size_t)i);
}

START_TEST(groups_resolve_recursively)
{
	ck_assert(in_group("@system-service", "read"));   /* via @basic-io */
	ck_assert(in_group("@system-service", "openat")); /* via @file-system */
	ck_assert(in_group("@privileged", "reboot"));     /* via @reboot */
	ck_assert(!in_group("@system-service", "ptrace"));
	ck_assert(!in_group("@system-service", "mount"));
	ck_assert(!in_group("@default", "socket"));
}
END_TEST

START_TEST(io_uring_joins_only_by_name)
{
	ck_assert(!in_group("@known", "io_uring_setup"));
	ck_assert(!in_group("@aio", "io_uring_enter"));
	ck_assert(!in_group("@system-service", "io_uring_register"));
	ck_assert(in_group("@io-uring", "io_uring_setup"));
	ck_assert(in_group("io_uring_setup", "io_uring_setup"));
}
END_TEST

START_TEST(known_covers_every_other_call)
{
	syscall_set set = {0};
	ck_assert_int_eq(syscall_resolve("@known", &set), 0);
	for (size_t i = 0; i < syscall_count; i++)
		ck_assert(syscall_set_has(&set, i) != syscall_is_explicit_only(i));
}
END_TEST

START_TEST(unknown_names_are_enoent)
{
	syscall_set set = {0};
	ck_assert_int_eq(syscall_resolve("@nope", &set), -ENOENT);
	ck_assert_int_eq(syscall_resolve("nope", &set), -ENOENT);
	ck_assert_int_eq(syscall_lookup("readx"), -1);
}
END_TEST

RUN_SUITE("syscalls", table_is_sorted_and_unique, every_call_has_well_formed_argument_widths,
	  argument_widths_follow_the_kernel, x86_64_numbers_agree_with_libseccomp,
	  every_group_member_is_known, groups_resolve_recursively, io_uring_joins_only_by_name,
	  known_covers_every_other_call, unknown_names_are_enoent)
