/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* glovebox learn's pure part: a record turned into profile text, and read
 * back for --merge. */
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "bpf-interp.h"
#include "learn/learn.h"
#include "learn/record.h"
#include "testutil.h"

/* As the listener sees them: calls that exist here. */
static void add_calls(syscall_set *s, const char *names)
{
	syscall_set all = {0};
	ck_assert_int_eq(syscall_resolve(names, &all), 0);
	for (size_t i = 0; i < syscall_count; i++)
		if (syscall_set_has(&all, i) && syscall_native_nr(i) >= 0)
			syscall_set_add(s, i);
}

/* The calls an allow line names, as one space-separated string. */
static char *allow_words(const char *text)
{
	char *out = xstrdup("");
	for (const char *l = strstr(text, "\nallow = "); l; l = strstr(l + 1, "\nallow = ")) {
		const char *end = strchr(l + 1, '\n');
		char *joined = xasprintf("%s%s%.*s", out, *out ? " " : "",
					 (int)(end - l - strlen("\nallow = ")), l + strlen("\nallow = "));
		free(out);
		out = joined;
	}
	return out;
}

START_TEST(a_wholly_used_group_is_written_as_the_group)
{
	struct learn_record r = {0};
	struct learn_base b = {0};
	add_calls(&r.calls, "@timer");
	_cleanup_free_ char *text = learn_profile_text(&r, &b);
	_cleanup_free_ char *words = allow_words(text);
	ck_assert_str_eq(words, "@timer");
	learn_record_free(&r);
}
END_TEST

START_TEST(a_partly_used_group_is_written_call_by_call)
{
	struct learn_record r = {0};
	struct learn_base b = {0};
	add_calls(&r.calls, "alarm");
	add_calls(&r.calls, "timerfd_create");
	_cleanup_free_ char *text = learn_profile_text(&r, &b);
	_cleanup_free_ char *words = allow_words(text);
	ck_assert_str_eq(words, "alarm timerfd_create");
	learn_record_free(&r);
}
END_TEST

START_TEST(what_base_allows_completes_a_group_but_is_not_repeated)
{
	struct learn_record r = {0};
	struct learn_base b = {0};
	syscall_set timer = {0};
	add_calls(&timer, "@timer");
	for (size_t i = 0; i < syscall_count; i++)
		if (syscall_set_has(&timer, i) && !streq(syscall_table[i].name, "alarm") &&
		    !streq(syscall_table[i].name, "setitimer"))
			syscall_set_add(&b.allowed, i);
	add_calls(&r.calls, "alarm");
	add_calls(&r.calls, "setitimer");
	add_calls(&r.calls, "getpid"); /* allowed already: not named */
	add_calls(&b.allowed, "getpid");
	_cleanup_free_ char *text = learn_profile_text(&r, &b);
	_cleanup_free_ char *words = allow_words(text);
	ck_assert_str_eq(words, "@timer");
	learn_record_free(&r);
}
END_TEST

START_TEST(a_group_with_privileged_calls_is_never_offered)
{
	struct learn_record r = {0};
	struct learn_base b = {0};
	add_calls(&r.calls, "@clock");
	_cleanup_free_ char *text = learn_profile_text(&r, &b);
	_cleanup_free_ char *words = allow_words(text);
	ck_assert_ptr_null(strstr(words, "@"));
	ck_assert_ptr_nonnull(strstr(words, "settimeofday"));
	learn_record_free(&r);
}
END_TEST

START_TEST(nothing_new_writes_no_allow_line)
{
	struct learn_record r = {0};
	struct learn_base b = {0};
	add_calls(&r.calls, "read");
	add_calls(&b.allowed, "read");
	_cleanup_free_ char *text = learn_profile_text(&r, &b);
	ck_assert_ptr_null(strstr(text, "\nallow ="));
	learn_record_free(&r);
}
END_TEST

START_TEST(inet_sockets_under_network_none_ask_for_the_network)
{
	struct learn_record r = {0};
	struct learn_base b = {.network_off = true};
	r.families = UINT64_C(1) << AF_UNIX;
	_cleanup_free_ char *unix_only = learn_profile_text(&r, &b);
	ck_assert_ptr_null(strstr(unix_only, "network = host"));
	r.families |= UINT64_C(1) << AF_INET6;
	_cleanup_free_ char *inet = learn_profile_text(&r, &b);
	ck_assert_ptr_nonnull(strstr(inet, "\nnetwork = host\n"));
	b.network_off = false;
	_cleanup_free_ char *has_net = learn_profile_text(&r, &b);
	ck_assert_ptr_null(strstr(has_net, "network = host"));
	learn_record_free(&r);
}
END_TEST

START_TEST(restricted_families_grow_by_those_used)
{
	struct learn_record r = {.families = UINT64_C(1) << AF_NETLINK};
	struct learn_base b = {.families_restricted = true, .families = UINT64_C(1) << AF_UNIX};
	_cleanup_free_ char *text = learn_profile_text(&r, &b);
	ck_assert_ptr_nonnull(strstr(text, "\nsocket-families = unix netlink\n"));
	learn_record_free(&r);
}
END_TEST

START_TEST(files_become_binds_read_only_unless_written)
{
	struct learn_record r = {0};
	struct learn_base b = {0};
	learn_add_file(&r, "/opt/app/data", false);
	learn_add_file(&r, "/var/lib/app", false);
	learn_add_file(&r, "/var/lib/app", true);
	_cleanup_free_ char *text = learn_profile_text(&r, &b);
	ck_assert_ptr_nonnull(strstr(text, "\n[where]\n"));
	ck_assert_ptr_nonnull(strstr(text, "\nro-bind = /opt/app/data\n"));
	ck_assert_ptr_nonnull(strstr(text, "\nbind = /var/lib/app\n"));
	learn_record_free(&r);
}
END_TEST

START_TEST(paths_a_profile_line_cannot_carry_are_refused)
{
	ck_assert(learn_path_writable("/etc/app.conf"));
	ck_assert(!learn_path_writable("relative/path"));
	ck_assert(!learn_path_writable("/with space"));
	ck_assert(!learn_path_writable("/with\nnewline"));
	ck_assert(!learn_path_writable("/${HOME}/x"));
	ck_assert(!learn_path_writable("/a#b"));
}
END_TEST

START_TEST(merge_reads_back_every_finding)
{
	struct learn_record r = {0};
	struct learn_base b = {0};
	add_calls(&r.calls, "socketpair");
	r.families = UINT64_C(1) << AF_UNIX;
	learn_add_ioctl(&r, 0x5401);
	learn_add_file(&r, "/opt/x", true);
	strv_add(&r.includes, "default");
	strv_add(&r.runs, "prog --flag");
	_cleanup_free_ char *text = learn_profile_text(&r, &b);

	struct learn_record back = {0};
	ck_assert_int_eq(learn_record_parse(text, &back), 0);
	ck_assert(syscall_set_has(&back.kept, (size_t)syscall_lookup("socketpair")));
	ck_assert_uint_eq(back.families, UINT64_C(1) << AF_UNIX);
	ck_assert_uint_eq(back.n_ioctls, 1);
	ck_assert_uint_eq(back.ioctls[0], 0x5401);
	ck_assert_uint_eq(back.n_files, 1);
	ck_assert_str_eq(back.files[0].path, "/opt/x");
	ck_assert(back.files[0].write);
	ck_assert_str_eq(back.includes.v[0], "default");
	ck_assert_str_eq(back.runs.v[0], "prog --flag");
	learn_record_free(&back);
	learn_record_free(&r);
}
END_TEST

START_TEST(merged_calls_stay_even_when_base_now_allows_them)
{
	/* learning again on top of the learned profile: BASE is then the
	 * learned profile, which allows what the first run needed */
	struct learn_record r = {0};
	struct learn_base b = {0};
	add_calls(&r.kept, "socketpair");
	add_calls(&b.allowed, "socketpair");
	add_calls(&r.calls, "bind");
	_cleanup_free_ char *text = learn_profile_text(&r, &b);
	_cleanup_free_ char *words = allow_words(text);
	ck_assert_str_eq(words, "bind socketpair");
	learn_record_free(&r);
}
END_TEST

START_TEST(a_profile_learn_did_not_write_is_refused)
{
	struct learn_record r = {0};
	ck_assert_int_eq(learn_record_parse("[how]\nallow = read\n# learn-call bind\n", &r), -1);
	ck_assert(!syscall_set_has(&r.kept, (size_t)syscall_lookup("bind")));
	learn_record_free(&r);
}
END_TEST

/* ---- the learning filter, run in the interpreter ---- */

static struct how_program compile_learning(struct fixture *f, const char *text)
{
	struct how_program prog;
	ck_assert_int_eq(profile_load(&f->l, "default", NULL, NULL), 0);
	ck_assert_int_eq(load(f, "base.ini", text), 0);
	ck_assert_int_eq(learn_compile(&f->p, &prog, &f->d), 0);
	return prog;
}

START_TEST(a_call_base_refuses_is_reported_not_refused)
{
	struct fixture f;
	fixture_init(&f);
	struct how_program prog = compile_learning(&f, "[how]\ndeny = getppid ptrace:kill\n");
	struct seccomp_data getppid = native_call(SYS_getppid, 0, 0);
	struct seccomp_data ptrace = native_call(SYS_ptrace, 0, 0);
	struct seccomp_data getpid = native_call(SYS_getpid, 0, 0);
	ck_assert_uint_eq(how_run(&prog, &getppid), SECCOMP_RET_USER_NOTIF);
	ck_assert_uint_eq(how_run(&prog, &ptrace), SECCOMP_RET_USER_NOTIF);
	ck_assert_uint_eq(how_run(&prog, &getpid), SECCOMP_RET_ALLOW);
	how_program_free(&prog);
	fixture_free(&f);
}
END_TEST

START_TEST(calls_with_telling_arguments_are_reported_even_when_allowed)
{
	struct fixture f;
	fixture_init(&f);
	struct how_program prog = compile_learning(&f, "");
	const int nrs[] = {SYS_openat, SYS_execve, SYS_socket, SYS_ioctl};
	for (size_t i = 0; i < ELEMENTSOF(nrs); i++) {
		struct seccomp_data d = native_call(nrs[i], AF_UNIX, TCGETS);
		ck_assert_uint_eq(how_run(&prog, &d), SECCOMP_RET_USER_NOTIF);
	}
	how_program_free(&prog);
	fixture_free(&f);
}
END_TEST

START_TEST(the_fences_stay_refusals_while_learning)
{
	struct fixture f;
	fixture_init(&f);
	struct how_program prog = compile_learning(&f, "");
	/* terminal injection and namespaces: refused before anything reports */
	struct seccomp_data tiocsti = native_call(SYS_ioctl, 0, TIOCSTI);
	struct seccomp_data unshare = native_call(SYS_unshare, CLONE_NEWUSER, 0);
	ck_assert_uint_eq(how_run(&prog, &tiocsti), SECCOMP_RET_ERRNO | EPERM);
	ck_assert_uint_eq(how_run(&prog, &unshare), SECCOMP_RET_ERRNO | EPERM);
	how_program_free(&prog);
	fixture_free(&f);
}
END_TEST

START_TEST(a_refused_socket_family_is_reported)
{
	struct fixture f;
	fixture_init(&f);
	struct how_program prog = compile_learning(&f, "[how]\nsocket-families = unix\n");
	struct seccomp_data inet = native_call(SYS_socket, AF_INET, 0);
	ck_assert_uint_eq(how_run(&prog, &inet), SECCOMP_RET_USER_NOTIF);
	how_program_free(&prog);
	fixture_free(&f);
}
END_TEST

START_TEST(only_the_listener_hand_over_passes_unreported)
{
	struct fixture f;
	fixture_init(&f);
	struct how_program prog = compile_learning(&f, "[how]\ndeny = sendmsg\n");
	struct seccomp_data hand_over = native_call(SYS_sendmsg, LEARN_REPORT_FD, 0);
	hand_over.args[2] = LEARN_SEND_FLAGS;
	ck_assert_uint_eq(how_run(&prog, &hand_over) & SECCOMP_RET_ACTION_FULL, SECCOMP_RET_ALLOW);
	struct seccomp_data other = hand_over;
	other.args[0] = 3;
	ck_assert_uint_eq(how_run(&prog, &other), SECCOMP_RET_USER_NOTIF);
	other = hand_over;
	other.args[2] = MSG_NOSIGNAL;
	ck_assert_uint_eq(how_run(&prog, &other), SECCOMP_RET_USER_NOTIF);
	how_program_free(&prog);
	fixture_free(&f);
}
END_TEST

RUN_SUITE("learn", a_call_base_refuses_is_reported_not_refused,
	  calls_with_telling_arguments_are_reported_even_when_allowed,
	  the_fences_stay_refusals_while_learning, a_refused_socket_family_is_reported,
	  only_the_listener_hand_over_passes_unreported, a_wholly_used_group_is_written_as_the_group,
	  a_partly_used_group_is_written_call_by_call,
	  what_base_allows_completes_a_group_but_is_not_repeated,
	  a_group_with_privileged_calls_is_never_offered, nothing_new_writes_no_allow_line,
	  inet_sockets_under_network_none_ask_for_the_network,
	  restricted_families_grow_by_those_used, files_become_binds_read_only_unless_written,
	  paths_a_profile_line_cannot_carry_are_refused, merge_reads_back_every_finding,
	  merged_calls_stay_even_when_base_now_allows_them, a_profile_learn_did_not_write_is_refused)
