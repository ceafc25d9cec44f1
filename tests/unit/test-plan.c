/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The where layer's plan: the mount order and the current directory. */
#include "testutil.h"

#include "where/plan.h"

/* The order of items given as destinations; beneath marks the items that go
 * beneath mounts at their own destination (the home mount). Returns the
 * order as "dest dest ..." and the moves as "i>j ...". */
static void order_of(const char *const *dests, const bool *beneath, size_t n, char *out,
		     size_t size, char *moves, size_t msize)
{
	struct order_item items[32];
	size_t order[32], moved[32];
	for (size_t i = 0; i < n; i++)
		items[i] = (struct order_item){.dest = dests[i], .beneath_same = beneath && beneath[i]};
	where_order(items, n, order, moved);
	size_t w = 0, mw = 0;
	out[0] = moves[0] = '\0';
	for (size_t k = 0; k < n; k++)
		w += (size_t)snprintf(out + w, size - w, "%s%s", k ? " " : "", dests[order[k]]);
	for (size_t i = 0; i < n; i++)
		if (moved[i] != SIZE_MAX)
			mw += (size_t)snprintf(moves + mw, msize - mw, "%s%zu>%zu", mw ? " " : "", i,
					       moved[i]);
}

#define ORDER(expect_order, expect_moves, beneath, ...)                                            \
	do {                                                                                       \
		static const char *const d_[] = {__VA_ARGS__};                                     \
		char o_[512], m_[512];                                                             \
		order_of(d_, beneath, ELEMENTSOF(d_), o_, sizeof(o_), m_, sizeof(m_));             \
		ck_assert_str_eq(o_, expect_order);                                                \
		ck_assert_str_eq(m_, expect_moves);                                                \
	} while (0)

START_TEST(unrelated_mounts_keep_their_order)
{
	ORDER("/usr /etc /tmp /a-b /a", "", NULL, "/usr", "/etc", "/tmp", "/a-b", "/a");
}
END_TEST

START_TEST(a_later_ancestor_moves_before_what_it_would_hide)
{
	/* bind = /tmp/x then tmpfs = /tmp: x stays visible */
	ORDER("/tmp /tmp/x", "1>0", NULL, "/tmp/x", "/tmp");
	/* only the ancestor moves; the mounts between keep their places */
	ORDER("/usr /a /a/b /etc /a/c", "3>1", NULL, "/usr", "/a/b", "/etc", "/a", "/a/c");
}
END_TEST

START_TEST(a_later_ancestor_goes_before_the_first_of_its_descendants)
{
	ORDER("/a /a/b /a/b/c", "1>0 2>1", NULL, "/a/b/c", "/a/b", "/a");
	ORDER("/a /a/b /x", "2>0", NULL, "/a/b", "/x", "/a");
}
END_TEST

START_TEST(mounts_at_one_destination_keep_their_order)
{
	/* the later on top, whatever moved around them */
	ORDER("/a/b /a/b /a/b/c /a/b/d", "2>1", NULL, "/a/b", "/a/b/c", "/a/b", "/a/b/d");
	ORDER("/tmp /tmp", "", NULL, "/tmp", "/tmp");
}
END_TEST

START_TEST(a_prefix_that_is_no_ancestor_does_not_move)
{
	ORDER("/a/bc /a/b", "", NULL, "/a/bc", "/a/b");
	ORDER("/ab /a", "", NULL, "/ab", "/a");
}
END_TEST

START_TEST(the_root_is_an_ancestor_of_everything)
{
	ORDER("/ /x /y/z", "1>0", NULL, "/x", "/", "/y/z");
}
END_TEST

START_TEST(home_goes_beneath_mounts_at_home_itself)
{
	/* bind = ${CWD} with CWD == HOME, then the home mount */
	static const bool third[] = {false, false, true}, second[] = {false, true};
	ORDER("/usr /home/u /home/u", "2>1", third, "/usr", "/home/u", "/home/u");
	ORDER("/home/u /home/u/src /tmp", "2>0", third, "/home/u/src", "/tmp", "/home/u");
	/* a home below /tmp stays on top of a private /tmp */
	ORDER("/tmp /tmp/h", "", second, "/tmp", "/tmp/h");
}
END_TEST

START_TEST(many_siblings_keep_their_order)
{
	enum { N = 2000 };
	struct order_item *items = calloc(N, sizeof(*items));
	char **names = calloc(N, sizeof(*names));
	size_t *order = calloc(N, sizeof(*order)), *moved = calloc(N, sizeof(*moved));
	for (size_t i = 0; i < N; i++) {
		names[i] = xasprintf("/data/b%zu", i);
		items[i] = (struct order_item){.dest = names[i]};
	}
	where_order(items, N, order, moved);
	for (size_t i = 0; i < N; i++) {
		ck_assert_uint_eq(order[i], i);
		ck_assert_uint_eq(moved[i], SIZE_MAX);
		free(names[i]);
	}
	free(items);
	free(names);
	free(order);
	free(moved);
}
END_TEST

/* ---- the current directory ---- */

static struct policy *policy_with(const char *text)
{
	static struct fixture f;
	static bool used;
	if (used)
		fixture_free(&f);
	used = true;
	fixture_init(&f);
	ck_assert_int_eq(load(&f, "t.ini", text), 0);
	return &f.p;
}

START_TEST(the_cwd_is_shared_elsewhere)
{
	struct policy *p = policy_with("[where]\ncwd = ro\n");
	struct where_env env = {.home = "/home/u", .cwd = "/tmp/x"};
	ck_assert_int_eq(where_cwd_decide(p, &env), CWD_SHARED);
	ck_assert_str_eq(where_start_dir(p, &env, CWD_SHARED), "/tmp/x");
	ck_assert_ptr_null(where_cwd_note(p, &env, CWD_SHARED));
}
END_TEST

START_TEST(root_home_and_above_home_are_not_shared)
{
	struct policy *p = policy_with("[where]\ncwd = ro\n");
	static const struct {
		enum cwd_place place;
		const char *cwd;
		enum cwd_decision decision;
		const char *note;
	} cases[] = {
		{CWD_PLACE_ROOT, "/", CWD_IS_ROOT,
		 "not sharing the current directory / (it is the whole host): the command starts "
		 "in the sandbox's /; run glovebox from the directory to share"},
		{CWD_PLACE_HOME, "/home/u", CWD_IS_HOME,
		 "not sharing the current directory /home/u (it is your home): the command starts "
		 "in /; share it with --home ro"},
		{CWD_PLACE_ABOVE_HOME, "/home", CWD_ABOVE_HOME,
		 "not sharing the current directory /home (your home lies in it): the command "
		 "starts in /; share it with --ro-bind /home /home"},
	};
	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		struct where_env env = {.home = "/home/u", .cwd = cases[i].cwd,
					.cwd_place = cases[i].place};
		enum cwd_decision dec = where_cwd_decide(p, &env);
		ck_assert_int_eq(dec, cases[i].decision);
		ck_assert_ptr_null(where_start_dir(p, &env, dec));
		char *note = where_cwd_note(p, &env, dec);
		ck_assert_str_eq(note, cases[i].note);
		free(note);
	}
}
END_TEST

START_TEST(a_writable_cwd_never_suggests_a_writable_bind_of_home)
{
	struct policy *p = policy_with("[where]\ncwd = rw\n");
	struct where_env env = {.home = "/home/u", .cwd = "/home/u", .cwd_place = CWD_PLACE_HOME};
	char *note = where_cwd_note(p, &env, where_cwd_decide(p, &env));
	ck_assert_str_eq(note, "not sharing the current directory /home/u (it is your home): "
			       "the command starts in /; share it with --home rw");
	free(note);
	env = (struct where_env){.home = "/home/u", .cwd = "/", .cwd_place = CWD_PLACE_ROOT};
	note = where_cwd_note(p, &env, where_cwd_decide(p, &env));
	ck_assert_ptr_null(strstr(note, "--bind"));
	free(note);
}
END_TEST

START_TEST(a_profile_that_binds_the_cwd_itself_decides_what_shows)
{
	struct policy *p = policy_with("[where]\ncwd = ro\nbind = ${CWD}\n");
	struct where_env env = {.home = "/home/u", .cwd = "/src/proj"};
	ck_assert_int_eq(where_cwd_decide(p, &env), CWD_SHOWN);
	ck_assert_str_eq(where_start_dir(p, &env, CWD_SHOWN), "/src/proj");
}
END_TEST

START_TEST(a_home_mount_of_the_real_home_shows_a_cwd_at_home)
{
	struct where_env env = {.home = "/home/u", .cwd = "/home/u", .cwd_place = CWD_PLACE_HOME};
	static const struct {
		const char *text;
		enum cwd_decision decision;
	} cases[] = {
		{"[where]\ncwd = rw\nhome = rw\n", CWD_SHOWN},
		{"[where]\ncwd = ro\nhome = ro\n", CWD_SHOWN},
		{"[where]\ncwd = rw\nhome = ro\n", CWD_IS_HOME},
		{"[where]\ncwd = ro\nhome = private\n", CWD_IS_HOME},
	};
	for (size_t i = 0; i < ELEMENTSOF(cases); i++)
		ck_assert_int_eq(where_cwd_decide(policy_with(cases[i].text), &env), cases[i].decision);
}
END_TEST

START_TEST(kernel_trees_are_not_shared)
{
	struct policy *p = policy_with("[where]\ncwd = ro\ndev = /dev\nproc = /proc\n");
	static const struct {
		const char *cwd;
		enum cwd_place place;
		enum cwd_decision decision;
		const char *note;
	} cases[] = {
		{"/dev/shm", CWD_PLACE_OTHER, CWD_OWN_FS,
		 "not sharing the current directory /dev/shm (the sandbox has its own /dev): the "
		 "command starts in /"},
		{"/proc/1", CWD_PLACE_HOST_PROC, CWD_OWN_FS,
		 "not sharing the current directory /proc/1 (the sandbox has its own /proc): the "
		 "command starts in /"},
		{"/hostproc", CWD_PLACE_HOST_PROC, CWD_HOST_PROC,
		 "not sharing the current directory /hostproc (the host's proc leads out of any "
		 "sandbox): the command starts in /"},
		{"/devices", CWD_PLACE_OTHER, CWD_SHARED, NULL},
	};
	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		struct where_env env = {.home = "/home/u", .cwd = cases[i].cwd,
					.cwd_place = cases[i].place};
		enum cwd_decision dec = where_cwd_decide(p, &env);
		ck_assert_int_eq(dec, cases[i].decision);
		char *note = where_cwd_note(p, &env, dec);
		if (cases[i].note)
			ck_assert_str_eq(note, cases[i].note);
		else
			ck_assert_ptr_null(note);
		free(note);
	}
}
END_TEST

START_TEST(cwd_none_shares_nothing_and_chdir_wins)
{
	struct policy *p = policy_with("[where]\ncwd = none\n");
	struct where_env env = {.home = "/home/u", .cwd = "/tmp/x"};
	ck_assert_int_eq(where_cwd_decide(p, &env), CWD_NOT_ASKED);
	p = policy_with("[where]\ncwd = rw\nchdir = /usr\n");
	ck_assert_str_eq(where_start_dir(p, &env, where_cwd_decide(p, &env)), "/usr");
}
END_TEST

START_TEST(the_plan_puts_the_cwd_on_top_and_home_beneath_a_bind_of_home)
{
	struct policy *p = policy_with("[where]\ntmpfs = /tmp\ncwd = rw\n"
				       "bind = /home/u\nhome = tmpfs\ntmpfs = /tmp/x/sub\n");
	struct where_env env = {.home = "/home/u", .cwd = "/tmp/x"};
	struct where_plan plan;
	where_plan_make(p, &env, &plan);
	static const char *const want[][2] = {
		{"tmpfs", "/tmp"}, {"tmpfs", "/home/u"}, {"bind", "/home/u"},
		{"bind", "/tmp/x"}, {"tmpfs", "/tmp/x/sub"},
	};
	ck_assert_uint_eq(plan.n_steps, ELEMENTSOF(want));
	for (size_t k = 0; k < plan.n_steps; k++) {
		ck_assert_str_eq(mount_kind_name(plan.steps[k].op->kind), want[k][0]);
		ck_assert_str_eq(plan.steps[k].op->dest, want[k][1]);
	}
	ck_assert_int_eq(plan.steps[1].from, STEP_HOME);
	ck_assert_int_eq(plan.steps[3].from, STEP_CWD);
	ck_assert_str_eq(plan.steps[plan.step_of[plan.steps[3].moved_before]].op->dest,
			 "/tmp/x/sub");
	where_plan_free(&plan);
}
END_TEST

START_TEST(operations_on_what_is_there_stay_in_place)
{
	/* remount-ro = /a after bind = /x /a/b: /a/b is made read-only too */
	struct policy *p = policy_with("[where]\nhome = none\nbind = /usr /a\nbind = /etc /a/b\n"
				       "remount-ro = /a\nchmod = 0700 /a\ndir = /a\n");
	struct where_env env = {.home = "/home/u"};
	struct where_plan plan;
	where_plan_make(p, &env, &plan);
	static const char *const want[] = {"bind", "bind", "remount-ro", "chmod", "dir"};
	ck_assert_uint_eq(plan.n_steps, ELEMENTSOF(want));
	for (size_t k = 0; k < plan.n_steps; k++) {
		ck_assert_str_eq(mount_kind_name(plan.steps[k].op->kind), want[k]);
		ck_assert_uint_eq(plan.steps[k].moved_before, SIZE_MAX);
	}
	where_plan_free(&plan);
}
END_TEST

RUN_SUITE("plan", unrelated_mounts_keep_their_order,
	  a_later_ancestor_moves_before_what_it_would_hide,
	  a_later_ancestor_goes_before_the_first_of_its_descendants,
	  mounts_at_one_destination_keep_their_order, a_prefix_that_is_no_ancestor_does_not_move,
	  the_root_is_an_ancestor_of_everything, home_goes_beneath_mounts_at_home_itself,
	  operations_on_what_is_there_stay_in_place, many_siblings_keep_their_order, the_cwd_is_shared_elsewhere,
	  root_home_and_above_home_are_not_shared,
	  a_writable_cwd_never_suggests_a_writable_bind_of_home,
	  a_profile_that_binds_the_cwd_itself_decides_what_shows,
	  a_home_mount_of_the_real_home_shows_a_cwd_at_home, kernel_trees_are_not_shared,
	  cwd_none_shares_nothing_and_chdir_wins,
	  the_plan_puts_the_cwd_on_top_and_home_beneath_a_bind_of_home)
