/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Compiled filters, run in the in-process interpreter: nothing is loaded. */
#include <linux/audit.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#include "bpf-interp.h"
#include "how/seccomp.h"
#include "testutil.h"

#define RET_ERRNO(e) (SECCOMP_RET_ERRNO | (uint32_t)(e))

static struct how_program compile_text(struct fixture *f, const char *text)
{
	struct how_program prog;
	ck_assert_int_eq(load(f, "t.ini", text), 0);
	ck_assert_int_eq(how_compile(&f->p, &prog, &f->d), 0);
	return prog;
}

static struct how_program compile_default(struct fixture *f)
{
	struct how_program prog;
	ck_assert_int_eq(profile_load(&f->l, "default", NULL, NULL), 0);
	ck_assert_int_eq(how_compile(&f->p, &prog, &f->d), 0);
	return prog;
}

static uint32_t call(const struct how_program *prog, int nr)
{
	struct seccomp_data d = native_call(nr, 0, 0);
	return how_run(prog, &d);
}

START_TEST(default_allows_every_member_of_its_groups)
{
	struct fixture f;
	fixture_init(&f);
	struct how_program prog = compile_default(&f);
	syscall_set allowed = {0}, denied = {0};
	ck_assert_int_eq(syscall_resolve("@system-service", &allowed), 0);
	ck_assert_int_eq(syscall_resolve("@keyring", &denied), 0);
	ck_assert_int_eq(syscall_resolve("userfaultfd", &denied), 0);
	size_t n = 0;
	for (size_t i = 0; i < syscall_count; i++) {
		int nr = syscall_native_nr(i);
		if (nr < 0)
			continue;
		uint32_t want = syscall_set_has(&allowed, i) && !syscall_set_has(&denied, i)
					? SECCOMP_RET_ALLOW
					: RET_ERRNO(EPERM);
		ck_assert_msg(call(&prog, nr) == want, "%s: got %#x want %#x", syscall_table[i].name,
			      call(&prog, nr), want);
		n++;
	}
	ck_assert_uint_gt(n, 300);
	how_program_free(&prog);
	fixture_free(&f);
}
END_TEST

START_TEST(unknown_numbers_answer_enosys)
{
	struct fixture f;
	fixture_init(&f);
	struct how_program prog = compile_default(&f);
	ck_assert_uint_eq(call(&prog, 1000), RET_ERRNO(ENOSYS));
	ck_assert_uint_eq(call(&prog, 400), RET_ERRNO(ENOSYS)); /* a hole in the x86_64 table */
	how_program_free(&prog);
	fixture_free(&f);
}
END_TEST

START_TEST(foreign_abis_are_killed)
{
	struct fixture f;
	fixture_init(&f);
	struct how_program prog = compile_default(&f);
	struct seccomp_data i386 = {.nr = 20 /* getpid */, .arch = AUDIT_ARCH_I386};
	ck_assert_uint_eq(how_run(&prog, &i386), SECCOMP_RET_KILL_PROCESS);
	struct seccomp_data x32 = native_call(0x40000000 | SYS_getpid, 0, 0);
	ck_assert_uint_eq(how_run(&prog, &x32), SECCOMP_RET_KILL_PROCESS);
	struct seccomp_data x32_ptrace = native_call(0x40000000 | 521 /* x32 ptrace */, 0, 0);
	ck_assert_uint_eq(how_run(&prog, &x32_ptrace), SECCOMP_RET_KILL_PROCESS);
	how_program_free(&prog);
	fixture_free(&f);
}
END_TEST

START_TEST(terminal_injection_is_denied_on_the_low_32_bits)
{
	struct fixture f;
	fixture_init(&f);
	struct how_program prog = compile_default(&f);
	struct seccomp_data d = native_call(SYS_ioctl, 0, TIOCSTI);
	ck_assert_uint_eq(how_run(&prog, &d), RET_ERRNO(EPERM));
	d = native_call(SYS_ioctl, 0, 0x100000000ULL | TIOCSTI);
	ck_assert_uint_eq(how_run(&prog, &d), RET_ERRNO(EPERM));
	d = native_call(SYS_ioctl, 0, 0xffffffff00000000ULL | TIOCLINUX);
	ck_assert_uint_eq(how_run(&prog, &d), RET_ERRNO(EPERM));
	d = native_call(SYS_ioctl, 0, TCGETS);
	ck_assert_uint_eq(how_run(&prog, &d), SECCOMP_RET_ALLOW);
	how_program_free(&prog);
	fixture_free(&f);
}
END_TEST

START_TEST(each_action_compiles)
{
	struct fixture f;
	fixture_init(&f);
	struct how_program prog = compile_text(&f, "[how]\nallow = @default read\n"
						   "deny = write:kill close:log dup:EACCES dup2:13\n"
						   "default = errno EROFS\n");
	ck_assert_uint_eq(call(&prog, SYS_read), SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(call(&prog, SYS_write), SECCOMP_RET_KILL_PROCESS);
	ck_assert_uint_eq(call(&prog, SYS_close), SECCOMP_RET_LOG);
	ck_assert_uint_eq(call(&prog, SYS_dup), RET_ERRNO(EACCES));
	ck_assert_uint_eq(call(&prog, SYS_dup2), RET_ERRNO(13));
	ck_assert_uint_eq(call(&prog, SYS_socket), RET_ERRNO(EROFS));
	how_program_free(&prog);
	fixture_free(&f);
}
END_TEST

START_TEST(deny_without_action_follows_the_final_default)
{
	struct fixture f;
	fixture_init(&f);
	struct how_program prog =
		compile_text(&f, "[how]\nallow = @default\ndeny = getpid\ndefault = kill\n");
	ck_assert_uint_eq(call(&prog, SYS_getpid), SECCOMP_RET_KILL_PROCESS);
	ck_assert_uint_eq(call(&prog, SYS_socket), SECCOMP_RET_KILL_PROCESS);
	ck_assert_uint_eq(call(&prog, 1000), RET_ERRNO(ENOSYS));
	how_program_free(&prog);
	fixture_free(&f);
}
END_TEST

START_TEST(default_log_lets_unlisted_calls_through_with_a_log)
{
	struct fixture f;
	fixture_init(&f);
	struct how_program prog = compile_text(&f, "[how]\ndefault = log\n");
	ck_assert_uint_eq(call(&prog, SYS_ptrace), SECCOMP_RET_LOG);
	how_program_free(&prog);
	fixture_free(&f);
}
END_TEST

START_TEST(a_denied_ioctl_needs_no_argument_filter)
{
	struct fixture f;
	fixture_init(&f);
	struct how_program prog = compile_text(&f, "[how]\nallow = @default\n");
	ck_assert_uint_eq(prog.n, 1);
	struct seccomp_data d = native_call(SYS_ioctl, 0, TCGETS);
	ck_assert_uint_eq(how_run(&prog, &d), RET_ERRNO(EPERM));
	how_program_free(&prog);
	fixture_free(&f);
}
END_TEST

START_TEST(an_empty_policy_allows_nothing)
{
	struct fixture f;
	fixture_init(&f);
	struct how_program prog;
	ck_assert_int_eq(how_compile(&f.p, &prog, &f.d), 0);
	ck_assert_uint_eq(call(&prog, SYS_read), RET_ERRNO(EPERM));
	ck_assert_uint_eq(call(&prog, SYS_execve), RET_ERRNO(EPERM));
	how_program_free(&prog);
	fixture_free(&f);
}
END_TEST

RUN_SUITE("seccomp", default_allows_every_member_of_its_groups, unknown_numbers_answer_enosys,
	  foreign_abis_are_killed, terminal_injection_is_denied_on_the_low_32_bits,
	  each_action_compiles, deny_without_action_follows_the_final_default,
	  default_log_lets_unlisted_calls_through_with_a_log, a_denied_ioctl_needs_no_argument_filter,
	  an_empty_policy_allows_nothing)
