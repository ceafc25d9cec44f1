/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "check-rules.h"
#include "testutil.h"

/* Load each text as a layer of its own, then run the rules. */
static void run(struct fixture *f, const char *const *texts, size_t n)
{
	fixture_init(f);
	f->l.record = true;
	for (size_t i = 0; i < n; i++) {
		char label[16];
		snprintf(label, sizeof(label), "%c.ini", (char)('a' + i));
		ck_assert_int_eq(load(f, label, texts[i]), 0);
	}
	struct check_input in = {.p = &f->p, .l = &f->l, .home = "/home/alice"};
	check_rules_run(&in, &f->d);
}

#define RUN(f, ...)                                                                                \
	run(f, (const char *const[]){__VA_ARGS__},                                                 \
	    sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))

static const char *allow_basics = "[how]\nallow = @system-service\n";

START_TEST(a_value_set_twice_in_one_file_names_both_lines)
{
	struct fixture f;
	RUN(&f, "[where]\nhostname = x\n\nhostname = y\n");
	ck_assert_str_eq(fixture_msgs(&f), "a.ini:2: [where] hostname: warning: never used: "
					   "a.ini:4: [where] hostname sets it again later in the "
					   "same file\n");
	fixture_free(&f);
}
END_TEST

START_TEST(only_values_with_one_value_are_shadowed)
{
	struct fixture f;
	RUN(&f, "[where]\ntmpfs = /a\ntmpfs = /b\n[env]\nkeep = A\nkeep = B\n");
	ck_assert_str_eq(fixture_msgs(&f), "");
	fixture_free(&f);
}
END_TEST

START_TEST(two_includes_that_set_one_key_are_layering_not_shadowing)
{
	struct fixture f;
	RUN(&f, "[limits]\nnofile = 10\n", "[limits]\nnofile = 20\n");
	ck_assert_str_eq(fixture_msgs(&f), "");
	fixture_free(&f);
}
END_TEST

START_TEST(a_call_denied_and_allowed_again_by_a_later_layer_is_warned)
{
	struct fixture f;
	RUN(&f, "[how]\ndeny = @keyring\n", "[how]\nallow = @system-service\n");
	ck_assert_msgs_have_line(&f, "b.ini:2: [how] allow: warning: allows again add_key keyctl "
				     "request_key, denied by a.ini:2: [how] deny");
	fixture_free(&f);
}
END_TEST

START_TEST(a_call_denied_again_after_the_allow_is_no_dead_deny)
{
	struct fixture f;
	/* the shipped default.ini checked as a file: it layers on the
	 * built-in, and denies again what it allows again */
	RUN(&f, "[how]\ndeny = @keyring\n", "[how]\nallow = @system-service\ndeny = @keyring\n");
	ck_assert_str_eq(fixture_msgs(&f), "");
	fixture_free(&f);
}
END_TEST

START_TEST(narrowing_or_restarting_a_group_in_one_file_is_fine)
{
	struct fixture f;
	RUN(&f, "[how]\nallow = @system-service\ndeny = @keyring\n",
	    "[how]\ndeny = @system-service\nallow = @build\n");
	ck_assert_str_eq(fixture_msgs(&f), "");
	fixture_free(&f);
}
END_TEST

START_TEST(a_call_named_in_allow_and_deny_of_one_file_is_warned)
{
	struct fixture f;
	RUN(&f, "[how]\nallow = @system-service ptrace\ndeny = ptrace:kill\n");
	ck_assert_msgs_have_line(&f, "a.ini:2: [how] allow: warning: ptrace both allowed here and "
				     "denied by a.ini:3: [how] deny in the same file");
	fixture_free(&f);
}
END_TEST

START_TEST(mount_calls_without_cap_sys_admin_are_warned_once_a_line)
{
	struct fixture f;
	RUN(&f, "[how]\nallow = @system-service @mount\n");
	ck_assert_msgs_have_line(&f, "a.ini:2: [how] allow: warning: mount umount umount2 fsopen");
	ck_assert_msgs_contain(&f, "CAP_SYS_ADMIN is not kept");
	ck_assert_msgs_contain(&f, "chroot allowed, but CAP_SYS_CHROOT");
	fixture_free(&f);
	RUN(&f, "[how]\nallow = @system-service @mount\n[what]\ncapabilities = cap_sys_admin "
		"cap_sys_chroot\n");
	ck_assert_str_eq(fixture_msgs(&f), "");
	fixture_free(&f);
	/* in a user namespace of its own the command has them all */
	RUN(&f, "[how]\nallow = @system-service @mount\nnamespaces = user mount\n");
	ck_assert_str_eq(fixture_msgs(&f), "");
	fixture_free(&f);
}
END_TEST

START_TEST(credentials_bound_are_warned)
{
	struct fixture f;
	RUN(&f, allow_basics, "[where]\nro-bind-try = ${HOME}/.gnupg/private /g\nbind = /home /h\n"
			      "ro-bind = ${HOME}/Pictures\n");
	ck_assert_msgs_have_line(&f, "b.ini:2: [where] ro-bind-try: warning: "
				     "/home/alice/.gnupg/private binds ~/.gnupg: your GnuPG keys");
	ck_assert_msgs_have_line(&f, "b.ini:3: [where] bind: warning: /home holds ~/.ssh");
	ck_assert_ptr_null(strstr(fixture_msgs(&f), "Pictures"));
	fixture_free(&f);
}
END_TEST

/* every layer of an overlay is a host path the sandbox reads, and the
 * directory that keeps a persistent overlay's changes one it writes */
START_TEST(every_layer_of_an_overlay_is_checked)
{
	struct fixture f;
	RUN(&f, allow_basics, "[where]\noverlay-src = ${HOME}/.ssh\noverlay-src = /usr\n"
			      "overlay-src-tmp = /l\n");
	ck_assert_msgs_have_line(&f, "b.ini:4: [where] overlay-src-tmp: warning: "
				     "/home/alice/.ssh binds ~/.ssh");
	fixture_free(&f);
	RUN(&f, allow_basics, "[where]\nnetwork = host\noverlay-src = /usr\n"
			      "overlay-src-rw = ${HOME} /work /l\n");
	ck_assert_msgs_have_line(&f, "b.ini:4: [where] overlay-src-rw: warning: /home/alice "
				     "writable, your home with it, and the network on");
	fixture_free(&f);
}
END_TEST

START_TEST(a_writable_home_is_warned_with_the_network_only)
{
	struct fixture f;
	RUN(&f, allow_basics, "[where]\nhome = rw\nnetwork = host\n");
	ck_assert_msgs_have_line(&f, "b.ini:2: [where] home: warning: a writable home with the "
				     "network on (b.ini:3: [where] network)");
	fixture_free(&f);
	RUN(&f, allow_basics, "[where]\nhome = rw\nnetwork = none\n");
	ck_assert_str_eq(fixture_msgs(&f), "");
	fixture_free(&f);
}
END_TEST

RUN_SUITE("check-rules", a_value_set_twice_in_one_file_names_both_lines,
	  only_values_with_one_value_are_shadowed, two_includes_that_set_one_key_are_layering_not_shadowing,
	  a_call_denied_and_allowed_again_by_a_later_layer_is_warned,
	  narrowing_or_restarting_a_group_in_one_file_is_fine,
	  a_call_denied_again_after_the_allow_is_no_dead_deny,
	  a_call_named_in_allow_and_deny_of_one_file_is_warned,
	  mount_calls_without_cap_sys_admin_are_warned_once_a_line, credentials_bound_are_warned,
	  every_layer_of_an_overlay_is_checked,
	  a_writable_home_is_warned_with_the_network_only)
