/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Compiled filters, run in the in-process interpreter: nothing is loaded. */
#include <linux/audit.h>
#include <linux/memfd.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#include "bpf-interp.h"
#include "how/seccomp.h"
#include "policy/options.h"
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
		/* flags in memory: ENOSYS, so that libc uses clone */
		if (streq(syscall_table[i].name, "clone3"))
			want = RET_ERRNO(ENOSYS);
		/* argument rules: with all-zero arguments, setns(fd, 0) joins any
		 * namespace and family 0 (AF_UNSPEC) is not on the list */
		if (streq(syscall_table[i].name, "setns"))
			want = RET_ERRNO(EPERM);
		if (streq(syscall_table[i].name, "socket") || streq(syscall_table[i].name, "socketpair"))
			want = RET_ERRNO(EAFNOSUPPORT);
		ck_assert_msg(call(&prog, nr) == want, "%s: got %#x want %#x", syscall_table[i].name,
			      call(&prog, nr), want);
		n++;
	}
	ck_assert_uint_gt(n, 300);
	how_program_free(&prog);
	fixture_free(&f);
}
END_TEST

static uint32_t call2(const struct how_program *prog, int nr, uint64_t a0, uint64_t a1);

/* Every number, known or not, under a few policies with different most
 * common actions: the compiler picks the default action from them. */
START_TEST(every_number_gets_its_policy_action)
{
	static const char *const policies[] = {
		"[how]\nallow = @system-service\nnamespaces = all\nsocket-families = all\n"
		"personality = any\n",
		"[how]\nallow = read write exit_group\nnamespaces = all\npersonality = any\n",
		"[how]\nallow = @known\ndeny = ptrace:kill\ndefault = errno EACCES\n"
		"namespaces = all\nsocket-families = all\npersonality = any\n",
	};
	for (size_t k = 0; k < ELEMENTSOF(policies); k++) {
		struct fixture f;
		fixture_init(&f);
		struct how_program prog = compile_text(&f, policies[k]);
		int by_nr[1100];
		for (int nr = 0; nr < 1100; nr++)
			by_nr[nr] = -1;
		for (size_t i = 0; i < syscall_count; i++)
			if (syscall_native_nr(i) >= 0)
				by_nr[syscall_native_nr(i)] = (int)i;
		for (int nr = 0; nr < 1100; nr++) {
			uint32_t want = RET_ERRNO(ENOSYS);
			if (by_nr[nr] >= 0) {
				struct sc_action a = how_effective_action(&f.p, (size_t)by_nr[nr]);
				want = a.kind == SC_ALLOW ? SECCOMP_RET_ALLOW
				       : a.kind == SC_KILL ? SECCOMP_RET_KILL_PROCESS
							   : RET_ERRNO(a.errnum);
				if (a.kind == SC_ALLOW && streq(syscall_table[by_nr[nr]].name, "ioctl"))
					want = SECCOMP_RET_ALLOW; /* TIOCSTI is 0x5412, not 0 */
			}
			ck_assert_msg(call(&prog, nr) == want, "policy %zu, nr %d (%s): got %#x want %#x",
				      k, nr, by_nr[nr] >= 0 ? syscall_table[by_nr[nr]].name : "unknown",
				      call(&prog, nr), want);
		}
		ck_assert_uint_eq(call(&prog, 0x3fffffff), RET_ERRNO(ENOSYS));
		ck_assert_uint_eq(call(&prog, 0x40000000), SECCOMP_RET_KILL_PROCESS);
		ck_assert_uint_eq(call(&prog, 0x40000000 | 39), SECCOMP_RET_KILL_PROCESS);
		how_program_free(&prog);
		fixture_free(&f);
	}
}
END_TEST

START_TEST(every_group_allows_all_its_members)
{
	for (size_t g = 0; g < syscall_group_count; g++) {
		struct fixture f;
		fixture_init(&f);
		char text[128];
		snprintf(text, sizeof(text), "[how]\nallow = %s\nnamespaces = all\n"
					     "socket-families = all\npersonality = any\n",
			 syscall_groups[g].name);
		struct how_program prog = compile_text(&f, text);
		syscall_set set = {0};
		ck_assert_int_eq(syscall_resolve(syscall_groups[g].name, &set), 0);
		for (size_t i = 0; i < syscall_count; i++) {
			int nr = syscall_native_nr(i);
			if (nr < 0)
				continue;
			bool allowed = syscall_set_has(&set, i) || syscall_is_always_allowed(i);
			uint32_t want = allowed ? SECCOMP_RET_ALLOW : RET_ERRNO(EPERM);
			uint32_t got = streq(syscall_table[i].name, "ioctl")
					       ? call2(&prog, nr, 0, TCGETS)
					       : call(&prog, nr);
			ck_assert_msg(got == want, "%s: %s got %#x want %#x", syscall_groups[g].name,
				      syscall_table[i].name, got, want);
		}
		how_program_free(&prog);
		fixture_free(&f);
	}
}
END_TEST

START_TEST(the_default_program_is_compact)
{
	struct fixture f;
	fixture_init(&f);
	struct how_program prog = compile_default(&f);
	/* the most common action is the default: rules only for the rest */
	ck_assert_uint_lt(prog.len, 300);
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

START_TEST(io_uring_needs_its_name_even_under_a_permissive_default)
{
	static const char *const defaults[] = {"allow", "log"};
	for (size_t k = 0; k < ELEMENTSOF(defaults); k++) {
		struct fixture f;
		fixture_init(&f);
		char text[128];
		snprintf(text, sizeof(text), "[how]\ndefault = %s\nallow = @known\n", defaults[k]);
		struct how_program prog = compile_text(&f, text);
		ck_assert_uint_eq(call(&prog, SYS_io_uring_setup), RET_ERRNO(EPERM));
		ck_assert_uint_eq(call(&prog, SYS_io_uring_enter), RET_ERRNO(EPERM));
		ck_assert_uint_eq(call(&prog, SYS_io_uring_register), RET_ERRNO(EPERM));
		how_program_free(&prog);
		fixture_free(&f);
		fixture_init(&f);
		snprintf(text, sizeof(text), "[how]\ndefault = %s\nallow = io_uring_setup\n",
			 defaults[k]);
		prog = compile_text(&f, text);
		ck_assert_uint_eq(call(&prog, SYS_io_uring_setup), SECCOMP_RET_ALLOW);
		ck_assert_uint_eq(call(&prog, SYS_io_uring_enter), RET_ERRNO(EPERM));
		how_program_free(&prog);
		fixture_free(&f);
	}
}
END_TEST

START_TEST(a_denied_ioctl_needs_no_argument_filter)
{
	struct fixture f;
	fixture_init(&f);
	struct how_program prog = compile_text(&f, "[how]\nallow = @default\n");
	struct how_program plain = compile_text(&f, "[how]\nallow = @default\n");
	ck_assert_uint_eq(prog.len, plain.len);
	how_program_free(&plain);
	struct seccomp_data d = native_call(SYS_ioctl, 0, TCGETS);
	ck_assert_uint_eq(how_run(&prog, &d), RET_ERRNO(EPERM));
	how_program_free(&prog);
	fixture_free(&f);
}
END_TEST

START_TEST(an_empty_policy_allows_nothing_but_exiting)
{
	struct fixture f;
	fixture_init(&f);
	struct how_program prog;
	ck_assert_int_eq(how_compile(&f.p, &prog, &f.d), 0);
	ck_assert_uint_eq(call(&prog, SYS_read), RET_ERRNO(EPERM));
	ck_assert_uint_eq(call(&prog, SYS_execve), RET_ERRNO(EPERM));
	ck_assert_uint_eq(call(&prog, SYS_exit_group), SECCOMP_RET_ALLOW);
	how_program_free(&prog);
	fixture_free(&f);
}
END_TEST

START_TEST(the_exit_calls_are_allowed_whatever_the_default)
{
	/* Nothing allowed, or everything denied through groups that contain
	 * them: a process can still end, and return from a signal handler. */
	static const char *const policies[] = {
		"[how]\ndefault = kill\n",
		"[how]\ndefault = errno EACCES\n",
		"[how]\nallow = @known\ndeny = @known\ndefault = kill\n",
		"[how]\ndeny = @default:kill @system-service:EPERM\ndefault = log\n",
	};
	static const int exits[] = {SYS_exit, SYS_exit_group, SYS_rt_sigreturn};
	for (size_t k = 0; k < ELEMENTSOF(policies); k++) {
		struct fixture f;
		fixture_init(&f);
		struct how_program prog = compile_text(&f, policies[k]);
		for (size_t i = 0; i < ELEMENTSOF(exits); i++)
			ck_assert_msg(call(&prog, exits[i]) == SECCOMP_RET_ALLOW, "policy %zu, nr %d",
				      k, exits[i]);
		ck_assert_uint_ne(call(&prog, SYS_getpid), SECCOMP_RET_ALLOW);
		how_program_free(&prog);
		fixture_free(&f);
	}
}
END_TEST

START_TEST(deny_and_rule_may_not_name_the_exit_calls)
{
	static const char *const bad[][2] = {
		{"deny = exit_group", "deny: exit_group"},
		{"deny = read exit:kill", "deny: exit"},
		{"deny = rt_sigreturn:EINVAL", "deny: rt_sigreturn"},
		{"deny = sigreturn:log", "deny: sigreturn"},
		{"rule = exit_group(arg0 == 1):kill", "rule: exit_group"},
	};
	for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
		struct fixture f;
		fixture_init(&f);
		char text[256], want[256];
		snprintf(text, sizeof(text), "[how]\n%s\n", bad[i][0]);
		snprintf(want, sizeof(want),
			 "x.ini:2: [how] %s: every process needs it to exit, so it cannot be denied\n",
			 bad[i][1]);
		ck_assert_int_eq(load(&f, "x.ini", text), -1);
		ck_assert_msgs_have_line(&f, want);
		fixture_free(&f);
	}

	struct fixture f;
	fixture_init(&f);
	char *arg = "exit_group";
	struct origin cli = {.key = "--deny"};
	ck_assert_int_eq(option_apply(&f.p, option_by_cli("deny"), &arg, 1, &cli, &f.d), -1);
	ck_assert_msgs_have_line(&f, "command line: --deny: exit_group: every process needs it");
	fixture_free(&f);
}
END_TEST

static uint32_t call2(const struct how_program *prog, int nr, uint64_t a0, uint64_t a1)
{
	struct seccomp_data d = native_call(nr, a0, a1);
	return how_run(prog, &d);
}

static uint32_t call3(const struct how_program *prog, int nr, uint64_t a0, uint64_t a1,
		      uint64_t a2)
{
	struct seccomp_data d = native_call(nr, a0, a1);
	d.args[2] = a2;
	return how_run(prog, &d);
}

#define BASE "[how]\nallow = @system-service\n"

START_TEST(namespace_creation_is_refused_by_flag)
{
	struct fixture f;
	fixture_init(&f);
	struct how_program prog = compile_text(&f, BASE "namespaces = none\n");
	ck_assert_uint_eq(call2(&prog, SYS_clone, SIGCHLD, 0), SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(call2(&prog, SYS_clone, CLONE_NEWUSER | SIGCHLD, 0), RET_ERRNO(EPERM));
	ck_assert_uint_eq(call2(&prog, SYS_clone, CLONE_VM | CLONE_NEWNET, 0), RET_ERRNO(EPERM));
	ck_assert_uint_eq(call2(&prog, SYS_unshare, CLONE_NEWNS, 0), RET_ERRNO(EPERM));
	ck_assert_uint_eq(call2(&prog, SYS_unshare, CLONE_FILES, 0), SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(call2(&prog, SYS_setns, 3, 0), RET_ERRNO(EPERM));
	ck_assert_uint_eq(call2(&prog, SYS_setns, 3, CLONE_NEWIPC), RET_ERRNO(EPERM));
	ck_assert_uint_eq(call2(&prog, SYS_clone3, 0, 0), RET_ERRNO(ENOSYS));
	how_program_free(&prog);
	fixture_free(&f);
}
END_TEST

START_TEST(some_namespaces_may_be_allowed)
{
	struct fixture f;
	fixture_init(&f);
	struct how_program prog = compile_text(&f, BASE "namespaces = user net\n");
	ck_assert_uint_eq(call2(&prog, SYS_unshare, CLONE_NEWUSER | CLONE_NEWNET, 0),
			  SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(call2(&prog, SYS_unshare, CLONE_NEWUSER | CLONE_NEWNS, 0),
			  RET_ERRNO(EPERM));
	ck_assert_uint_eq(call2(&prog, SYS_setns, 3, CLONE_NEWNET), SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(call2(&prog, SYS_clone3, 0, 0), RET_ERRNO(ENOSYS));
	how_program_free(&prog);
	prog = compile_text(&f, "[how]\nnamespaces = all\n");
	ck_assert_uint_eq(call2(&prog, SYS_clone3, 0, 0), SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(call2(&prog, SYS_unshare, CLONE_NEWNS, 0), SECCOMP_RET_ALLOW);
	how_program_free(&prog);
	fixture_free(&f);
}
END_TEST

START_TEST(socket_families_are_an_allowlist)
{
	struct fixture f;
	fixture_init(&f);
	struct how_program prog = compile_text(&f, BASE "socket-families = unix inet6\n");
	ck_assert_uint_eq(call2(&prog, SYS_socket, AF_UNIX, SOCK_STREAM), SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(call2(&prog, SYS_socket, AF_INET6, SOCK_STREAM), SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(call2(&prog, SYS_socket, AF_INET, SOCK_STREAM), RET_ERRNO(EAFNOSUPPORT));
	ck_assert_uint_eq(call2(&prog, SYS_socket, AF_PACKET, 0), RET_ERRNO(EAFNOSUPPORT));
	ck_assert_uint_eq(call2(&prog, SYS_socket, AF_VSOCK, 0), RET_ERRNO(EAFNOSUPPORT));
	ck_assert_uint_eq(call2(&prog, SYS_socket, 0, 0), RET_ERRNO(EAFNOSUPPORT));
	/* the kernel reads an int: a family with high bits set is refused */
	ck_assert_uint_eq(call2(&prog, SYS_socket, (1ULL << 32) | AF_PACKET, 0),
			  RET_ERRNO(EAFNOSUPPORT));
	ck_assert_uint_eq(call2(&prog, SYS_socketpair, AF_NETLINK, 0), RET_ERRNO(EAFNOSUPPORT));
	ck_assert_uint_eq(call2(&prog, SYS_socketpair, AF_UNIX, 0), SECCOMP_RET_ALLOW);
	how_program_free(&prog);
	prog = compile_text(&f, BASE "socket-families = none\n");
	ck_assert_uint_eq(call2(&prog, SYS_socket, AF_UNIX, 0), RET_ERRNO(EAFNOSUPPORT));
	ck_assert_uint_eq(call2(&prog, SYS_socket, 0, 0), RET_ERRNO(EAFNOSUPPORT));
	how_program_free(&prog);
	fixture_free(&f);
}
END_TEST

START_TEST(write_xor_execute)
{
	struct fixture f;
	fixture_init(&f);
	struct how_program prog = compile_text(&f, BASE "write-xor-execute = yes\n");
	ck_assert_uint_eq(call3(&prog, SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE), SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(call3(&prog, SYS_mmap, 0, 4096, PROT_READ | PROT_EXEC), SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(call3(&prog, SYS_mmap, 0, 4096, PROT_WRITE | PROT_EXEC), RET_ERRNO(EPERM));
	ck_assert_uint_eq(call3(&prog, SYS_mprotect, 0, 4096, PROT_READ), SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(call3(&prog, SYS_mprotect, 0, 4096, PROT_READ | PROT_EXEC),
			  RET_ERRNO(EPERM));
	ck_assert_uint_eq(call3(&prog, SYS_pkey_mprotect, 0, 4096, PROT_EXEC), RET_ERRNO(EPERM));
	ck_assert_uint_eq(call2(&prog, SYS_memfd_create, 0, MFD_CLOEXEC), RET_ERRNO(EPERM));
	ck_assert_uint_eq(call2(&prog, SYS_memfd_create, 0, MFD_CLOEXEC | 0x8 /* NOEXEC_SEAL */),
			  SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(call2(&prog, SYS_memfd_create, 0, 0x10 | 0x8), RET_ERRNO(EPERM));
	how_program_free(&prog);
	prog = compile_text(&f, BASE "write-xor-execute = no\n");
	ck_assert_uint_eq(call3(&prog, SYS_mmap, 0, 4096, PROT_WRITE | PROT_EXEC), SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(call2(&prog, SYS_memfd_create, 0, 0), SECCOMP_RET_ALLOW);
	how_program_free(&prog);
	fixture_free(&f);
}
END_TEST

/* memfd-exec = no: only memfds sealed non-executable; the flags are an
 * unsigned int, so bits above 32 change nothing. W^X stays off. */
START_TEST(memfd_exec_no_requires_noexec_seal)
{
	struct fixture f;
	fixture_init(&f);
	struct how_program prog = compile_text(&f, BASE "memfd-exec = no\n");
	const uint64_t hi = UINT64_C(1) << 32;
	ck_assert_uint_eq(call2(&prog, SYS_memfd_create, 0, 0), RET_ERRNO(EPERM));
	ck_assert_uint_eq(call2(&prog, SYS_memfd_create, 0, MFD_CLOEXEC | MFD_ALLOW_SEALING),
			  RET_ERRNO(EPERM));
	ck_assert_uint_eq(call2(&prog, SYS_memfd_create, 0, 0x10 /* EXEC */), RET_ERRNO(EPERM));
	ck_assert_uint_eq(call2(&prog, SYS_memfd_create, 0, 0x10 | 0x8), RET_ERRNO(EPERM));
	ck_assert_uint_eq(call2(&prog, SYS_memfd_create, 0, hi | MFD_CLOEXEC), RET_ERRNO(EPERM));
	ck_assert_uint_eq(call2(&prog, SYS_memfd_create, 0, MFD_CLOEXEC | 0x8 /* NOEXEC_SEAL */),
			  SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(call2(&prog, SYS_memfd_create, 0, hi | 0x8), SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(call3(&prog, SYS_mmap, 0, 4096, PROT_WRITE | PROT_EXEC), SECCOMP_RET_ALLOW);
	how_program_free(&prog);
	prog = compile_text(&f, BASE "memfd-exec = yes\n");
	ck_assert_uint_eq(call2(&prog, SYS_memfd_create, 0, 0x10), SECCOMP_RET_ALLOW);
	how_program_free(&prog);
	fixture_free(&f);
}
END_TEST

START_TEST(personality_is_locked)
{
	struct fixture f;
	fixture_init(&f);
	struct how_program prog = compile_text(&f, BASE "personality = locked\n");
	ck_assert_uint_eq(call2(&prog, SYS_personality, 0, 0), SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(call2(&prog, SYS_personality, 0x0400000, 0), RET_ERRNO(EPERM));
	ck_assert_uint_eq(call2(&prog, SYS_personality, 0x0040000, 0), RET_ERRNO(EPERM));
	how_program_free(&prog);
	prog = compile_text(&f, BASE "personality = any\n");
	ck_assert_uint_eq(call2(&prog, SYS_personality, 0x0040000, 0), SECCOMP_RET_ALLOW);
	how_program_free(&prog);
	fixture_free(&f);
}
END_TEST

START_TEST(ioctl_deny_adds_commands)
{
	struct fixture f;
	fixture_init(&f);
	struct how_program prog = compile_text(&f, BASE "ioctl-deny = FIONBIO 0x1234\n");
	ck_assert_uint_eq(call2(&prog, SYS_ioctl, 0, FIONBIO), RET_ERRNO(EPERM));
	ck_assert_uint_eq(call2(&prog, SYS_ioctl, 0, 0xff00000000ULL | FIONBIO), RET_ERRNO(EPERM));
	ck_assert_uint_eq(call2(&prog, SYS_ioctl, 0, 0x1234), RET_ERRNO(EPERM));
	ck_assert_uint_eq(call2(&prog, SYS_ioctl, 0, TIOCSTI), RET_ERRNO(EPERM));
	ck_assert_uint_eq(call2(&prog, SYS_ioctl, 0, FIONREAD), SECCOMP_RET_ALLOW);
	how_program_free(&prog);
	fixture_free(&f);
}
END_TEST

START_TEST(general_rules_compile)
{
	struct fixture f;
	fixture_init(&f);
	struct how_program prog = compile_text(
		&f, BASE "rule = socket(arg0 == AF_NETLINK, arg2 == 9):EACCES\n"
			 "rule = kill(arg1 >= 64):kill\n"
			 "rule = mmap(arg2 & PROT_WRITE|PROT_EXEC == PROT_EXEC):log\n");
	ck_assert_uint_eq(call3(&prog, SYS_socket, AF_NETLINK, 0, 9), RET_ERRNO(EACCES));
	ck_assert_uint_eq(call3(&prog, SYS_socket, AF_NETLINK, 0, 0), SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(call2(&prog, SYS_kill, 1, 64), SECCOMP_RET_KILL_PROCESS);
	ck_assert_uint_eq(call2(&prog, SYS_kill, 1, 15), SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(call3(&prog, SYS_mmap, 0, 0, PROT_READ | PROT_EXEC), SECCOMP_RET_LOG);
	ck_assert_uint_eq(call3(&prog, SYS_mmap, 0, 0, PROT_READ), SECCOMP_RET_ALLOW);
	how_program_free(&prog);
	fixture_free(&f);
}
END_TEST

START_TEST(a_rule_on_a_denied_call_changes_nothing)
{
	struct fixture f;
	fixture_init(&f);
	struct how_program prog =
		compile_text(&f, BASE "deny = socket:EROFS\nrule = socket(arg0 == 1):EACCES\n");
	ck_assert_uint_eq(call2(&prog, SYS_socket, 1, 0), RET_ERRNO(EROFS));
	how_program_free(&prog);
	fixture_free(&f);
}
END_TEST

START_TEST(malformed_rules_are_errors)
{
	static const char *const bad[][2] = {
		{"socket arg0 == 1", "expected CALL("},
		{"sockt(arg0 == 1)", "unknown system call"},
		{"socket(arg9 == 1)", "arg0 ... arg5"},
		{"socket(arg0 ~ 1)", "expected one of"},
		{"socket(arg0 == AF_MARS)", "unknown constant"},
		{"socket(arg0 == 1, arg0 == 2)", "compared once"},
		{"socket()", "at least one condition"},
		{"socket(arg0 == 1):allow", "the action is"},
		{"socket(arg0 == 1) trailing", "unexpected text"},
		{"socket(arg0 & 0xff 1)", "argN & MASK == VALUE"},
	};
	for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
		struct fixture f;
		fixture_init(&f);
		char text[256];
		snprintf(text, sizeof(text), "[how]\nrule = %s\n", bad[i][0]);
		ck_assert_int_eq(load(&f, "r.ini", text), -1);
		ck_assert_msgs_contain(&f, "r.ini:2: [how] rule: ");
		ck_assert_msgs_contain(&f, bad[i][1]);
		fixture_free(&f);
	}
}
END_TEST

static void compile_fails(struct fixture *f, const char *text);

#define HI(v) ((UINT64_C(1) << 32) | (uint64_t)(v))
#define ALL_HI(v) (UINT64_C(0xffffffff00000000) | (uint64_t)(v))

struct rule_case {
	const char *cond;
	uint64_t value;
	bool refused;
};

/* For each case, compile "rule = CALL(cond):EACCES" on top of base and make
 * the call with the case's value as argument arg. */
static void check_rule_cases(const char *base, const char *name, int nr, unsigned arg,
			     const struct rule_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct fixture f;
		fixture_init(&f);
		char text[256];
		snprintf(text, sizeof(text), "%srule = %s(%s):EACCES\n", base, name, cases[i].cond);
		struct how_program prog = compile_text(&f, text);
		struct seccomp_data d = native_call(nr, 0, 0);
		d.args[arg] = cases[i].value;
		uint32_t got = how_run(&prog, &d);
		uint32_t want = cases[i].refused ? RET_ERRNO(EACCES) : SECCOMP_RET_ALLOW;
		ck_assert_msg(got == want, "%s(%s) with %#llx: got %#x want %#x", name, cases[i].cond,
			      (unsigned long long)cases[i].value, got, want);
		how_program_free(&prog);
		fixture_free(&f);
	}
}

/* socket's family is an int: every operator looks at its low 32 bits,
 * whatever the upper half of the register holds, as the kernel does. */
START_TEST(every_operator_compares_an_int_argument_on_its_low_32_bits)
{
	static const struct rule_case cases[] = {
		{"arg0 == AF_NETLINK", AF_NETLINK, true},
		{"arg0 == AF_NETLINK", HI(AF_NETLINK), true},
		{"arg0 == AF_NETLINK", ALL_HI(AF_NETLINK), true},
		{"arg0 == AF_NETLINK", HI(AF_PACKET), false},
		{"arg0 != AF_UNIX", HI(AF_UNIX), false},
		{"arg0 != AF_UNIX", HI(AF_INET), true},
		{"arg0 != AF_UNIX", AF_INET, true},
		{"arg0 < 10", HI(3), true},
		{"arg0 < 10", ALL_HI(9), true},
		{"arg0 < 10", HI(10), false},
		{"arg0 < 10", 0xffffffff, false}, /* unsigned: an int of -1 is not below 10 */
		{"arg0 <= 10", HI(10), true},
		{"arg0 <= 10", HI(11), false},
		{"arg0 > 10", HI(3), false},
		{"arg0 > 10", ALL_HI(0), false},
		{"arg0 > 10", HI(11), true},
		{"arg0 >= 10", HI(9), false},
		{"arg0 >= 10", HI(10), true},
		{"arg0 & 0xf0 == 0x10", HI(0x11), true},
		{"arg0 & 0xf0 == 0x10", ALL_HI(0x21), false},
		{"arg0 & 0xffffffff == 0", HI(0), true},
	};
	check_rule_cases(BASE "socket-families = all\n", "socket", SYS_socket, 0, cases,
			 ELEMENTSOF(cases));
}
END_TEST

/* mmap's length is a size_t: the upper half counts. */
START_TEST(a_64_bit_argument_is_compared_whole)
{
	static const struct rule_case cases[] = {
		{"arg1 == 4096", 4096, true},
		{"arg1 == 4096", HI(4096), false},
		{"arg1 != 4096", HI(4096), true},
		{"arg1 > 4096", HI(0), true},
		{"arg1 >= 4096", HI(0), true},
		{"arg1 < 8192", HI(1), false},
		{"arg1 <= 8192", HI(1), false},
		{"arg1 & 0x100000000 == 0x100000000", HI(0), true},
		{"arg1 == 0x100001000", HI(4096), true},
	};
	check_rule_cases(BASE, "mmap", SYS_mmap, 1, cases, ELEMENTSOF(cases));
}
END_TEST

/* open's mode is a umode_t: the kernel reads 16 bits of it. */
START_TEST(a_file_mode_is_compared_on_its_low_16_bits)
{
	static const struct rule_case cases[] = {
		{"arg2 == 0777", 0777, true},
		{"arg2 == 0777", 0x10000 | 0777, true},
		{"arg2 == 0777", HI(0777), true},
		{"arg2 == 0777", 0755, false},
		{"arg2 & 04000 == 04000", ALL_HI(0xffff0000 | 04755), true},
		{"arg2 & 04000 == 04000", 0x10000 | 0755, false},
	};
	check_rule_cases(BASE, "open", SYS_open, 2, cases, ELEMENTSOF(cases));
}
END_TEST

/* libseccomp shares identical code between calls; a shared test must still
 * compare each call's argument at its own width. */
START_TEST(the_same_test_on_arguments_of_different_widths_stays_apart)
{
	struct fixture f;
	fixture_init(&f);
	struct how_program prog = compile_text(
		&f, BASE "socket-families = all\nrule = socket(arg1 == 5):EACCES\n"
			 "rule = mmap(arg1 == 5):EACCES\nrule = socketpair(arg1 == 5):EACCES\n");
	ck_assert_uint_eq(call2(&prog, SYS_socket, AF_UNIX, HI(5)), RET_ERRNO(EACCES));
	ck_assert_uint_eq(call2(&prog, SYS_socketpair, AF_UNIX, HI(5)), RET_ERRNO(EACCES));
	ck_assert_uint_eq(call2(&prog, SYS_mmap, 0, 5), RET_ERRNO(EACCES));
	ck_assert_uint_eq(call2(&prog, SYS_mmap, 0, HI(5)), SECCOMP_RET_ALLOW);
	how_program_free(&prog);
	fixture_free(&f);

	/* A 64-bit value whose upper half is the mark gets the same code as the
	 * 32-bit test: glovebox refuses to compile rather than guess. */
	fixture_init(&f);
	compile_fails(&f, BASE "socket-families = all\nrule = socket(arg1 == 5):EACCES\n"
			       "rule = mmap(arg1 == 0x9e3779b900000005):EACCES\n");
	ck_assert_msgs_contain(&f, "argument widths differ");
	fixture_free(&f);
}
END_TEST

START_TEST(builtin_restrictions_compare_int_arguments_on_their_low_32_bits)
{
	struct fixture f;
	fixture_init(&f);
	struct how_program prog = compile_default(&f);
	/* setns(fd, 0) joins any namespace; the kernel reads nstype as an int */
	ck_assert_uint_eq(call2(&prog, SYS_setns, 3, HI(0)), RET_ERRNO(EPERM));
	ck_assert_uint_eq(call2(&prog, SYS_setns, 3, ALL_HI(CLONE_NEWNET)), RET_ERRNO(EPERM));
	/* families: what the low half names decides, both ways */
	ck_assert_uint_eq(call2(&prog, SYS_socket, HI(AF_KEY), 0), RET_ERRNO(EAFNOSUPPORT));
	ck_assert_uint_eq(call2(&prog, SYS_socket, HI(AF_PACKET), 0), RET_ERRNO(EAFNOSUPPORT));
	ck_assert_uint_eq(call2(&prog, SYS_socketpair, HI(AF_UNSPEC), 0), RET_ERRNO(EAFNOSUPPORT));
	ck_assert_uint_eq(call2(&prog, SYS_socket, HI(AF_UNIX), 0), SECCOMP_RET_ALLOW);
	/* personality: the kernel reads an unsigned int */
	ck_assert_uint_eq(call2(&prog, SYS_personality, HI(0), 0), SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(call2(&prog, SYS_personality, HI(0x0400000), 0), RET_ERRNO(EPERM));
	ck_assert_uint_eq(call2(&prog, SYS_personality, 0xffffffff, 0), RET_ERRNO(EPERM));
	/* clone's flags pass through lower_32_bits() */
	ck_assert_uint_eq(call2(&prog, SYS_clone, HI(CLONE_NEWUSER | SIGCHLD), 0), RET_ERRNO(EPERM));
	ck_assert_uint_eq(call2(&prog, SYS_clone, HI(SIGCHLD), 0), SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(call2(&prog, SYS_ioctl, 0, ALL_HI(TIOCSTI)), RET_ERRNO(EPERM));
	how_program_free(&prog);
	prog = compile_text(&f, BASE "write-xor-execute = yes\n");
	ck_assert_uint_eq(call3(&prog, SYS_mmap, 0, 4096, HI(PROT_WRITE | PROT_EXEC)),
			  RET_ERRNO(EPERM));
	ck_assert_uint_eq(call3(&prog, SYS_mprotect, 0, 4096, HI(PROT_EXEC)), RET_ERRNO(EPERM));
	ck_assert_uint_eq(call2(&prog, SYS_memfd_create, 0, HI(MFD_CLOEXEC)), RET_ERRNO(EPERM));
	ck_assert_uint_eq(call2(&prog, SYS_memfd_create, 0, HI(0x8 /* NOEXEC_SEAL */)), SECCOMP_RET_ALLOW);
	how_program_free(&prog);
	fixture_free(&f);
}
END_TEST

START_TEST(a_value_wider_than_an_int_argument_is_an_error)
{
	static const char *const bad[] = {
		"socket(arg0 == 0x100000010)",
		"socket(arg0 < 0x100000000)",
		"setns(arg1 & 0x100000000 == 0)",
		"ioctl(arg1 == 0x105412)",
		"open(arg2 == 0x10000)",
		"open(arg2 < 0777)",
		"openat(arg3 & 0x10000 == 0)",
	};
	for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
		struct fixture f;
		fixture_init(&f);
		char text[256];
		snprintf(text, sizeof(text), "[how]\nrule = %s\n", bad[i]);
		int r = load(&f, "r.ini", text);
		if (i == 3) { /* 0x105412 fits: only a wider value is refused */
			ck_assert_int_eq(r, 0);
		} else {
			ck_assert_int_eq(r, -1);
			ck_assert_msgs_contain(&f, "r.ini:2: [how] rule: ");
			ck_assert_msgs_contain(&f, i < 3 ? "32 bits wide" : "16-bit file mode");
		}
		fixture_free(&f);
	}
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(load(&f, "r.ini", "[how]\nrule = mmap(arg1 == 0x100000000)\n"), 0);
	fixture_free(&f);
}
END_TEST

/* Compile text that must fail, leaving the messages in f. */
static void compile_fails(struct fixture *f, const char *text)
{
	struct how_program prog;
	ck_assert_int_eq(load(f, "t.ini", text), 0);
	ck_assert_int_eq(how_compile(&f->p, &prog, &f->d), -1);
	ck_assert_ptr_null(prog.insns);
}

START_TEST(a_rule_colliding_with_a_builtin_names_both)
{
	struct fixture f;
	fixture_init(&f);
	compile_fails(&f, BASE "namespaces = none\n"
			       "rule = unshare(arg0 & CLONE_NEWUSER == CLONE_NEWUSER):log\n");
	ck_assert_msgs_have_line(&f, "t.ini:4: [how] rule: unshare(arg0 & 0x10000000 == "
				     "0x10000000):log: collides with a built-in restriction from "
				     "namespaces (t.ini:3: [how] namespaces): both test the same "
				     "arguments of unshare, with different actions\n");
	fixture_free(&f);

	/* Not set anywhere: the restriction is namespaces' default. */
	fixture_init(&f);
	compile_fails(&f, BASE "rule = setns(arg1 == 0):kill\n");
	ck_assert_msgs_have_line(&f, "t.ini:3: [how] rule: setns(arg1 == 0):kill: collides with a "
				     "built-in restriction from namespaces (its default)");
	fixture_free(&f);

	fixture_init(&f);
	compile_fails(&f, BASE "rule = ioctl(arg1 & 0xffffffff == TIOCSTI):log\n");
	ck_assert_msgs_have_line(&f, "t.ini:3: [how] rule: ioctl(");
	ck_assert_msgs_contain(&f,
			       "the refusal of TIOCSTI and TIOCLINUX, which no setting turns off");
	fixture_free(&f);
}
END_TEST

START_TEST(a_rule_from_the_command_line_says_so)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(load(&f, "t.ini", BASE "write-xor-execute = yes\n"), 0);
	const struct gb_option *opt = option_by_cli("rule");
	ck_assert_ptr_nonnull(opt);
	char *arg = "mprotect(arg2 & PROT_EXEC == PROT_EXEC):log";
	struct origin cli = {.key = "--rule"};
	ck_assert_int_eq(option_apply(&f.p, opt, &arg, 1, &cli, &f.d), 0);
	struct how_program prog;
	ck_assert_int_eq(how_compile(&f.p, &prog, &f.d), -1);
	ck_assert_msgs_have_line(&f, "command line: --rule: mprotect(arg2 & 4 == 4):log: collides "
				     "with a built-in restriction from write-xor-execute (t.ini:3: "
				     "[how] write-xor-execute)");
	fixture_free(&f);
}
END_TEST

START_TEST(two_colliding_rules_name_the_earlier_one)
{
	struct fixture f;
	fixture_init(&f);
	compile_fails(&f, BASE "ioctl-deny = FIONBIO\n"
			       "rule = read(arg0 == 3):log\n"
			       "rule = read(arg0 == 3):EACCES\n"
			       "rule = ioctl(arg1 & 0xffffffff == FIONBIO):log\n");
	/* The first collision stops the compilation. */
	ck_assert_msgs_have_line(&f, "t.ini:5: [how] rule: read(arg0 == 3):EACCES: collides with "
				     "the earlier rule read(arg0 == 3):log (t.ini:4: [how] rule): "
				     "both test the same arguments of read, with different "
				     "actions\n");
	ck_assert_uint_eq(f.d.errors, 1);
	fixture_free(&f);

	fixture_init(&f);
	compile_fails(&f, BASE "ioctl-deny = FIONBIO\n"
			       "rule = ioctl(arg1 & 0xffffffff == FIONBIO):log\n");
	ck_assert_msgs_have_line(&f, "t.ini:4: [how] rule: ioctl(arg1 & 0xffffffff == 0x5421):log: "
				     "collides with the earlier rule ioctl(arg1 & 0xffffffff == "
				     "0x5421):EPERM (t.ini:3: [how] ioctl-deny)");
	fixture_free(&f);
}
END_TEST

START_TEST(chained_programs_keep_both_halves_intact)
{
	struct fixture f;
	fixture_init(&f);
	/* Many argument rules make a long first half: jumps must still land. */
	struct how_program prog = compile_text(
		&f, BASE "socket-families = unix\nioctl-deny = 1 2 3 4 5 6 7 8 9 10 11 12\n"
			 "write-xor-execute = yes\n");
	for (size_t i = 0; i < syscall_count; i++) {
		int nr = syscall_native_nr(i);
		if (nr < 0 || streq(syscall_table[i].name, "clone3"))
			continue;
		uint32_t r = call(&prog, nr);
		ck_assert_msg(r != BPF_BAD, "%s: bad program", syscall_table[i].name);
	}
	ck_assert_uint_eq(call2(&prog, SYS_ioctl, 0, 7), RET_ERRNO(EPERM));
	ck_assert_uint_eq(call2(&prog, SYS_ioctl, 0, 13), SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(call(&prog, SYS_read), SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(call(&prog, SYS_ptrace), RET_ERRNO(EPERM));
	how_program_free(&prog);
	fixture_free(&f);
}
END_TEST

/* A profile with a thousand argument rules (a long ioctl list), then
 * extra: every rule still answers for its own value, whatever the upper
 * half of the int argument holds, next to the built-in terminal
 * refusals. Values are FIRST + 2i, so that the odd ones between them and
 * both ends test what no rule names. */
static void check_thousand_rules(const char *extra)
{
	enum { N = 1000, FIRST = 0x10000 };
	static const char *const actions[] = {"EACCES", "kill", "log"};
	const uint32_t results[] = {RET_ERRNO(EACCES), SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_LOG};
	size_t size = 64 + strlen(extra) + N * 48;
	_cleanup_free_ char *text = xmalloc(size);
	size_t at = (size_t)snprintf(text, size, "%s", BASE);
	for (unsigned i = 0; i < N; i++)
		at += (size_t)snprintf(text + at, size - at, "rule = ioctl(arg1 == %#x):%s\n",
				       FIRST + 2 * i, actions[i % 3]);
	snprintf(text + at, size - at, "%s", extra);
	struct fixture f;
	fixture_init(&f);
	struct how_program prog = compile_text(&f, text);
	for (unsigned i = 0; i < N; i++) {
		uint32_t want = results[i % 3], v = FIRST + 2 * i;
		ck_assert_uint_eq(call2(&prog, SYS_ioctl, 0, v), want);
		ck_assert_uint_eq(call2(&prog, SYS_ioctl, 0, 0xdead00000000ULL | v), want);
		ck_assert_uint_eq(call2(&prog, SYS_ioctl, 0, v + 1), SECCOMP_RET_ALLOW);
		ck_assert_uint_eq(call2(&prog, SYS_ioctl, 0, 0xffffffff00000000ULL | (v + 1)),
				  SECCOMP_RET_ALLOW);
	}
	ck_assert_uint_eq(call2(&prog, SYS_ioctl, 0, FIRST - 1), SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(call2(&prog, SYS_ioctl, 0, 0), SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(call2(&prog, SYS_ioctl, 0, 0xffffffff), SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(call2(&prog, SYS_ioctl, 0, TIOCSTI), RET_ERRNO(EPERM));
	ck_assert_uint_eq(call2(&prog, SYS_ioctl, 0, 0x100000000ULL | TIOCSTI), RET_ERRNO(EPERM));
	ck_assert_uint_eq(call2(&prog, SYS_ioctl, 0, TIOCLINUX), RET_ERRNO(EPERM));
	ck_assert_uint_eq(call2(&prog, SYS_ioctl, FIRST, FIONREAD), SECCOMP_RET_ALLOW);
	/* the same numbers on another call, or from another ABI */
	ck_assert_uint_eq(call2(&prog, SYS_read, 0, FIRST), SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(call2(&prog, 0x40000000 | SYS_ioctl, 0, FIRST), SECCOMP_RET_KILL_PROCESS);
	struct seccomp_data i386 = {.nr = SYS_ioctl, .arch = AUDIT_ARCH_I386, .args = {0, FIRST}};
	ck_assert_uint_eq(how_run(&prog, &i386), SECCOMP_RET_KILL_PROCESS);
	how_program_free(&prog);
	fixture_free(&f);
}

/* Such a list is searched by glovebox's own program (eqtree.c). */
START_TEST(a_thousand_rules_each_answer_for_their_value)
{
	check_thousand_rules("");
}
END_TEST

/* A rule on another argument of ioctl leaves the whole list to
 * libseccomp: the slow path gives the same answers. */
START_TEST(a_thousand_rules_with_another_test_go_through_libseccomp)
{
	check_thousand_rules("rule = ioctl(arg2 == 0x77):EROFS\n");
	struct fixture f;
	fixture_init(&f);
	struct how_program prog = compile_text(&f, BASE "rule = ioctl(arg2 == 0x77):EROFS\n");
	ck_assert_uint_eq(call3(&prog, SYS_ioctl, 0, 1, 0x77), RET_ERRNO(EROFS));
	how_program_free(&prog);
	fixture_free(&f);
}
END_TEST

/* Lists on two calls: each finds only its own values. */
START_TEST(long_lists_on_two_calls_stay_apart)
{
	enum { N = 40, FIRST = 7000 };
	char text[8192];
	size_t at = (size_t)snprintf(text, sizeof(text), "%s", BASE);
	for (unsigned i = 0; i < N; i++)
		at += (size_t)snprintf(text + at, sizeof(text) - at,
				       "rule = fcntl(arg1 == %u):EROFS\nrule = ioctl(arg1 == %u):EACCES\n",
				       FIRST + i, FIRST + N + i);
	struct fixture f;
	fixture_init(&f);
	struct how_program prog = compile_text(&f, text);
	for (unsigned i = 0; i < N; i++) {
		ck_assert_uint_eq(call2(&prog, SYS_fcntl, 0, FIRST + i), RET_ERRNO(EROFS));
		ck_assert_uint_eq(call2(&prog, SYS_ioctl, 0, FIRST + i), SECCOMP_RET_ALLOW);
		ck_assert_uint_eq(call2(&prog, SYS_ioctl, 0, FIRST + N + i), RET_ERRNO(EACCES));
		ck_assert_uint_eq(call2(&prog, SYS_fcntl, 0, FIRST + N + i), SECCOMP_RET_ALLOW);
	}
	ck_assert_uint_eq(call2(&prog, SYS_ioctl, 0, TIOCSTI), RET_ERRNO(EPERM));
	how_program_free(&prog);
	fixture_free(&f);
}
END_TEST

/* A value listed twice with different actions leaves the list to
 * libseccomp, which names the collision as for a short list. */
START_TEST(long_lists_keep_libseccomp_collision_errors)
{
	char text[8192];
	size_t at = (size_t)snprintf(text, sizeof(text), "%s", BASE);
	for (unsigned i = 0; i < 40; i++)
		at += (size_t)snprintf(text + at, sizeof(text) - at,
				       "rule = ioctl(arg1 == %u):EACCES\n", 7000 + i);
	snprintf(text + at, sizeof(text) - at, "rule = ioctl(arg1 == 7005):log\n");
	struct fixture f;
	fixture_init(&f);
	compile_fails(&f, text);
	ck_assert_msgs_contain(&f, "ioctl(arg1 == 0x1b5d):log: collides with the earlier rule "
				   "ioctl(arg1 == 0x1b5d):EACCES");
	fixture_free(&f);
	/* the same value twice with the same action is one rule */
	fixture_init(&f);
	snprintf(text + at, sizeof(text) - at, "rule = ioctl(arg1 == 7005):EACCES\n");
	struct how_program prog = compile_text(&f, text);
	ck_assert_uint_eq(call2(&prog, SYS_ioctl, 0, 7005), RET_ERRNO(EACCES));
	ck_assert_uint_eq(call2(&prog, SYS_ioctl, 0, 7040), SECCOMP_RET_ALLOW);
	how_program_free(&prog);
	fixture_free(&f);
}
END_TEST

RUN_SUITE("seccomp", every_number_gets_its_policy_action, every_group_allows_all_its_members,
	  the_default_program_is_compact,
	  namespace_creation_is_refused_by_flag, some_namespaces_may_be_allowed,
	  socket_families_are_an_allowlist, write_xor_execute, memfd_exec_no_requires_noexec_seal,
	  personality_is_locked,
	  ioctl_deny_adds_commands, general_rules_compile, a_rule_on_a_denied_call_changes_nothing,
	  malformed_rules_are_errors, chained_programs_keep_both_halves_intact, default_allows_every_member_of_its_groups, unknown_numbers_answer_enosys,
	  foreign_abis_are_killed, terminal_injection_is_denied_on_the_low_32_bits,
	  each_action_compiles, deny_without_action_follows_the_final_default,
	  default_log_lets_unlisted_calls_through_with_a_log,
	  io_uring_needs_its_name_even_under_a_permissive_default, a_denied_ioctl_needs_no_argument_filter,
	  an_empty_policy_allows_nothing_but_exiting,
	  the_exit_calls_are_allowed_whatever_the_default,
	  deny_and_rule_may_not_name_the_exit_calls, a_rule_colliding_with_a_builtin_names_both,
	  a_rule_from_the_command_line_says_so, two_colliding_rules_name_the_earlier_one,
	  every_operator_compares_an_int_argument_on_its_low_32_bits,
	  a_64_bit_argument_is_compared_whole,
	  the_same_test_on_arguments_of_different_widths_stays_apart,
	  builtin_restrictions_compare_int_arguments_on_their_low_32_bits,
	  a_value_wider_than_an_int_argument_is_an_error, a_file_mode_is_compared_on_its_low_16_bits,
	  a_thousand_rules_each_answer_for_their_value,
	  a_thousand_rules_with_another_test_go_through_libseccomp,
	  long_lists_on_two_calls_stay_apart, long_lists_keep_libseccomp_collision_errors)
