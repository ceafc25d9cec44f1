/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The where layer's plan: the mount order and the current directory. */
#include "testutil.h"

#include "facts-fixture.h"
#include "where/facts.h"
#include "where/plan.h"
#include "where/trust.h"

#include <linux/magic.h>

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

static struct fixture f;

static struct policy *policy_with(const char *text)
{
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

/* ---- the derived steps, from facts built by hand ---- */

static void source_is(struct where_facts *fx, size_t i, mode_t type, dev_t dev, ino_t ino)
{
	fx->src[i].known = true;
	fx->src[i].st.st_mode = type | 0755;
	fx->src[i].st.st_dev = dev;
	fx->src[i].st.st_ino = ino;
	fx->src[i].fs_type = EXT4_SUPER_MAGIC;
}

/* The host in these tests: / (dev 1, ino 2), /home (10), /home/u (20) and
 * glovebox's configuration /home/u/.config (30) holding an entry (31). */
static const struct where_anchor config_anc[] = {
	{1, 30, ""}, {1, 20, ".config"}, {1, 10, "u/.config"}, {1, 2, "home/u/.config"},
};
static ino_t config_inside[] = {31};

static void protect_config(struct where_facts *fx)
{
	fx->prot = xcalloc(1, sizeof(*fx->prot));
	fx->prot[0] = (struct where_guarded){
		.path = "/home/u/.config", .dev = 1, .ino = 30,
		.anc = (struct where_anchor *)config_anc, .n_anc = ELEMENTSOF(config_anc),
		.inside = config_inside, .n_inside = 1, .inside_read = true};
	fx->n_prot = 1;
}

/* The hand-built facts borrow their arrays: free only what facts_for made. */
static void facts_done(struct where_facts *fx)
{
	free(fx->src);
	free(fx->prot);
	for (size_t i = 0; i < fx->n_specials; i++)
		free(fx->specials[i].anc);
	free(fx->specials);
}

/* The plan as "name path; name path; ...". */
static char *steps_text(const struct where_plan *plan)
{
	char *out = xstrdup("");
	for (size_t k = 0; k < plan->n_steps; k++) {
		const struct where_step *st = &plan->steps[k];
		const char *path = st->what == STEP_MOUNT ? st->op->dest : st->path;
		char *next = xasprintf("%s%s%s%s%s", out, k ? "; " : "", where_step_name(st),
				       path ? " " : "", path ? path : "");
		free(out);
		out = next;
	}
	return out;
}

/* The plan for a policy, with facts shaped by setup(); where_plan_derive's
 * result. Free both with derived_done. */
static bool as_host_root; /* the env's host_root for derive */

static int derive(const char *profile, void (*setup)(struct where_facts *),
		  struct where_plan *plan, struct where_facts *fx)
{
	struct where_env env = {.home = "/home/u", .host_root = as_host_root};
	where_plan_make(policy_with(profile), &env, plan);
	*fx = facts_for(plan);
	setup(fx);
	return where_plan_derive(plan, fx, &f.d);
}

static void derived_done(struct where_plan *plan, struct where_facts *fx)
{
	facts_done(fx);
	where_plan_free(plan);
}

static int derive_text(const char *profile, void (*setup)(struct where_facts *), char **text)
{
	struct where_plan plan;
	struct where_facts fx;
	int r = derive(profile, setup, &plan, &fx);
	*text = steps_text(&plan);
	derived_done(&plan, &fx);
	return r;
}

static void nothing_known(struct where_facts *fx)
{
	(void)fx;
}

#define DERIVES(profile, setup, expect)                                                            \
	do {                                                                                       \
		char *t_;                                                                          \
		ck_assert_int_eq(derive_text(profile, setup, &t_), 0);                             \
		ck_assert_str_eq(t_, expect);                                                      \
		free(t_);                                                                          \
	} while (0)

#define REFUSES(profile, setup, message)                                                           \
	do {                                                                                       \
		char *t_;                                                                          \
		ck_assert_int_eq(derive_text(profile, setup, &t_), -1);                            \
		free(t_);                                                                          \
		ck_assert_msgs_contain(&f, message);                                               \
	} while (0)

/* With a tmpfs budget, the scratch tmpfs is the pool: every tmpfs
 * without a size of its own, the home's and /dev/shm (a /dev) take a
 * directory of it; a tmpfs with a size stays a tmpfs of its own. */
START_TEST(a_tmpfs_budget_takes_every_tmpfs_from_the_pool)
{
	DERIVES("[where]\nhome = tmpfs\ntmpfs = /tmp\ntmpfs = /big size=1M\ndev = /dev\n"
		"[limits]\ntmpfs = 3M\n",
		nothing_known,
		"scratch /.glovebox-scratch; tmpfs /tmp; tmpfs /big; dev /dev; dev-node /dev/null; "
		"dev-node /dev/zero; dev-node /dev/full; dev-node /dev/random; dev-node /dev/urandom; "
		"dev-node /dev/tty; tmpfs /home/u; scratch-drop; enter-root; root-ro");
	struct where_plan plan;
	struct where_facts fx;
	ck_assert_int_eq(derive("[where]\nhome = tmpfs\ntmpfs = /tmp\ntmpfs = /big size=1M\n"
				"[limits]\ntmpfs = 3M\n", nothing_known, &plan, &fx), 0);
	ck_assert_uint_eq(plan.tmpfs_pool, 2u << 20);
	bool pooled[] = {false, true, false, true, false, false};
	for (size_t k = 0; k < plan.n_steps; k++)
		if (plan.steps[k].what == STEP_MOUNT)
			ck_assert_int_eq(where_uses_scratch(&plan, plan.steps[k].op), pooled[k]);
	derived_done(&plan, &fx);
	/* without a budget, a tmpfs is a tmpfs of its own */
	DERIVES("[where]\nhome = none\ntmpfs = /tmp\n", nothing_known,
		"tmpfs /tmp; enter-root; root-ro");
}
END_TEST

START_TEST(every_plan_ends_by_entering_a_read_only_root)
{
	DERIVES("[where]\nhome = none\n", nothing_known, "enter-root; root-ro");
	DERIVES("[where]\nhome = none\ntmpfs = /tmp\n", nothing_known,
		"tmpfs /tmp; enter-root; root-ro");
}
END_TEST

static void usr_is_a_dir(struct where_facts *fx)
{
	source_is(fx, 2, S_IFDIR, 1, 40);
}

START_TEST(files_and_throw_away_layers_share_one_scratch_tmpfs)
{
	struct where_plan plan;
	struct where_facts fx;
	ck_assert_int_eq(derive("[where]\nhome = none\ntmpfs = /tmp\nfile = /etc/a x\n"
				"tmp-overlay = /usr /usr\nfile = /etc/b y\n",
				usr_is_a_dir, &plan, &fx),
			 0);
	char *t = steps_text(&plan);
	ck_assert_str_eq(t, "tmpfs /tmp; scratch /.glovebox-scratch; file /etc/a; tmp-overlay /usr; file /etc/b; "
			    "scratch-drop; enter-root; root-ro");
	free(t);
	/* the scratch names its first user; each user has a name of its own */
	ck_assert_uint_eq(plan.steps[1].cause, 2);
	ck_assert_uint_eq(plan.steps[2].index, 0);
	ck_assert_uint_eq(plan.steps[3].index, 1);
	ck_assert_uint_eq(plan.steps[4].index, 2);
	derived_done(&plan, &fx);
}
END_TEST

START_TEST(each_dev_gets_the_host_nodes)
{
	DERIVES("[where]\nhome = none\ndev = /dev\n", nothing_known,
		"dev /dev; dev-node /dev/null; dev-node /dev/zero; dev-node /dev/full; "
		"dev-node /dev/random; dev-node /dev/urandom; dev-node /dev/tty; "
		"enter-root; root-ro");
}
END_TEST

static void home_dir_bound(struct where_facts *fx)
{
	protect_config(fx);
	source_is(fx, 0, S_IFDIR, 1, 20);
}

static void root_bound(struct where_facts *fx)
{
	protect_config(fx);
	source_is(fx, 0, S_IFDIR, 1, 2);
}

START_TEST(a_bind_above_protected_state_masks_it)
{
	/* the mask lies right below the bind's root: nothing to pin */
	DERIVES("[where]\nhome = none\nbind = /home/u /work\n", home_dir_bound,
		"bind /work; mask /work/.config; enter-root; root-ro");
	/* every directory between the bind's root and the mask is pinned */
	DERIVES("[where]\nhome = none\nbind = / /host\n", root_bound,
		"bind /host; mask /host/home/u/.config; pin /host/home; pin /host/home/u; "
		"enter-root; root-ro");
	DERIVES("[where]\nhome = none\nbind = / /\n", root_bound,
		"bind /; mask /home/u/.config; pin /home; pin /home/u; enter-root; root-ro");
}
END_TEST

/* /home a filesystem of its own (dev 2): the configuration shows through a
 * recursive bind of / all the same. */
static const struct where_anchor home_fs_anc[] = {
	{2, 30, ""}, {2, 20, ".config"}, {2, 10, "u/.config"}, {1, 2, "home/u/.config"},
};

static void root_bound_home_elsewhere(struct where_facts *fx)
{
	protect_config(fx);
	fx->prot[0].dev = 2;
	fx->prot[0].anc = (struct where_anchor *)home_fs_anc;
	source_is(fx, 0, S_IFDIR, 1, 2);
}

START_TEST(a_bind_from_another_filesystem_above_protected_state_masks_it)
{
	DERIVES("[where]\nhome = none\nbind = / /host\n", root_bound_home_elsewhere,
		"bind /host; mask /host/home/u/.config; pin /host/home; pin /host/home/u; "
		"enter-root; root-ro");
}
END_TEST

START_TEST(a_mask_knows_what_it_covers_and_its_pins_need_it)
{
	struct where_plan plan;
	struct where_facts fx;
	ck_assert_int_eq(derive("[where]\nhome = none\nbind = / /host\n", root_bound, &plan, &fx), 0);
	const struct where_step *mk = &plan.steps[1];
	ck_assert_int_eq(mk->what, STEP_MASK);
	ck_assert_uint_eq(mk->dev, 1);
	ck_assert_uint_eq(mk->ino, 30);
	ck_assert(!mk->any);
	ck_assert_uint_eq(mk->cause, 0);
	ck_assert_uint_eq(plan.steps[2].needs, 1);
	ck_assert_uint_eq(plan.steps[3].needs, 1);
	derived_done(&plan, &fx);
}
END_TEST

START_TEST(an_overlay_of_an_ancestor_masks_whatever_shows)
{
	struct where_plan plan;
	struct where_facts fx;
	ck_assert_int_eq(derive("[where]\nhome = none\ntmp-overlay = /home/u /work\n", home_dir_bound, &plan, &fx), 0);
	char *t = steps_text(&plan);
	ck_assert_str_eq(t, "scratch /.glovebox-scratch; tmp-overlay /work; scratch-drop; mask /work/.config; "
			    "enter-root; root-ro");
	free(t);
	ck_assert(plan.steps[3].any);
	derived_done(&plan, &fx);
}
END_TEST

static void other_fs_bound(struct where_facts *fx)
{
	protect_config(fx);
	source_is(fx, 0, S_IFDIR, 7, 2);
}

static void missing_bound(struct where_facts *fx)
{
	protect_config(fx);
	fx->src[0].missing = true;
}

START_TEST(a_bind_elsewhere_masks_nothing)
{
	DERIVES("[where]\nhome = none\nbind = /srv /srv\n", other_fs_bound,
		"bind /srv; enter-root; root-ro");
	DERIVES("[where]\nhome = none\nbind-try = /home/u /x\n", missing_bound,
		"bind /x; enter-root; root-ro");
}
END_TEST

static void config_bound(struct where_facts *fx)
{
	protect_config(fx);
	source_is(fx, 0, S_IFDIR, 1, 30);
}

static void config_entry_bound(struct where_facts *fx)
{
	protect_config(fx);
	source_is(fx, 0, S_IFREG, 1, 31);
}

static void host_proc_bound(struct where_facts *fx)
{
	source_is(fx, 0, S_IFDIR, 5, 1);
	fx->src[0].fs_type = PROC_SUPER_MAGIC;
}

static void overlay_keeps_changes_in_config(struct where_facts *fx)
{
	protect_config(fx);
	source_is(fx, 0, S_IFDIR, 1, 40);
	fx->src[0].aux_known = true;
	fx->src[0].aux_st.st_dev = 1;
	fx->src[0].aux_st.st_ino = 31;
}

START_TEST(sources_that_must_not_show_are_refused_with_their_origin)
{
	REFUSES("[where]\nhome = none\nbind = /home/u/.config /c\n", config_bound,
		"t.ini:3: [where] bind: /home/u/.config: refusing to expose glovebox's own state "
		"(/home/u/.config)");
	REFUSES("[where]\nhome = none\nro-bind = /x /c\n", config_entry_bound,
		"t.ini:3: [where] ro-bind: /x: refusing to expose glovebox's own state");
	REFUSES("[where]\nhome = none\nbind = /p /p\n", host_proc_bound,
		"t.ini:3: [where] bind: /p: refusing to bind the host's /proc");
	REFUSES("[where]\nhome = none\ntmpfs = /.glovebox-scratch/x\n", nothing_known,
		"t.ini:3: [where] tmpfs: /.glovebox-scratch/x: this path is glovebox's own while it "
		"builds the root");
	REFUSES("[where]\nhome = none\ndir = /.glovebox-scratch\n", nothing_known,
		"/.glovebox-scratch: this path is glovebox's own");
	REFUSES("[where]\nhome = none\nfile = /.glovebox-blank-file x\n", nothing_known,
		"/.glovebox-blank-file: this path is glovebox's own");
	REFUSES("[where]\nhome = none\ndir = /.glovebox-blank-dir/x\n", nothing_known,
		"/.glovebox-blank-dir/x: this path is glovebox's own");
	DERIVES("[where]\nhome = none\ntmpfs = /.glovebox-scratchy\n", nothing_known,
		"tmpfs /.glovebox-scratchy; enter-root; root-ro");
	REFUSES("[where]\nhome = none\noverlay = /usr /keep /usr\n",
		overlay_keeps_changes_in_config,
		"t.ini:3: [where] overlay: /keep: refusing to expose glovebox's own state");
}
END_TEST

/* The host's /proc (dev 5) and /sys (dev 6), and many more proc mounts
 * (one per container) deep below /c. */
enum { N_CONTAINERS = 40, DEPTH = 40 };

static void add_special(struct where_facts *fx, const char *path, dev_t dev, bool proc)
{
	fx->specials = xreallocarray(fx->specials, fx->n_specials + 1, sizeof(*fx->specials));
	struct where_special *sp = &fx->specials[fx->n_specials++];
	*sp = (struct where_special){.path = (char *)path, .dev = dev, .is_proc = proc};
	sp->anc = xcalloc(2, sizeof(*sp->anc));
	sp->anc[0] = (struct where_anchor){dev, 1, ""};
	sp->anc[1] = (struct where_anchor){1, 2, path + 1};
	sp->n_anc = 2;
}

static void host_with_proc_and_sys(struct where_facts *fx)
{
	source_is(fx, 0, S_IFDIR, 1, 2);
	add_special(fx, "/proc", 5, true);
	add_special(fx, "/sys", 6, false);
}

static void host_file_bound(struct where_facts *fx)
{
	host_with_proc_and_sys(fx);
	fx->src[0].st.st_mode = S_IFREG | 0644;
}

START_TEST(host_proc_and_sysfs_below_a_bind_are_hidden_and_read_only)
{
	DERIVES("[where]\nhome = none\nbind = / /host\n", host_with_proc_and_sys,
		"bind /host; hide-proc /host/proc; ro-sysfs /host/sys; enter-root; root-ro");
	/* a file brings no mounts along */
	DERIVES("[where]\nhome = none\nbind = /f /f\n", host_file_bound,
		"bind /f; enter-root; root-ro");
}
END_TEST

#define PROC_KERNEL(p)                                                                             \
	"mask-kernel " p "/acpi; mask-kernel " p "/asound; mask-kernel " p "/kcore; "             \
	"mask-kernel " p "/keys; mask-kernel " p "/latency_stats; mask-kernel " p "/timer_list; " \
	"mask-kernel " p "/timer_stats; mask-kernel " p "/sched_debug; mask-kernel " p "/scsi; "  \
	"mask-kernel " p "/kpageflags; mask-kernel " p "/kpagecount; "                            \
	"mask-kernel " p "/kpagecgroup; mask-kernel " p "/slabinfo; "                             \
	"mask-kernel " p "/pagetypeinfo; mask-kernel " p "/vmallocinfo; ro-kernel " p "/bus; "   \
	"ro-kernel " p "/fs; ro-kernel " p "/irq; ro-kernel " p "/sys; ro-kernel " p              \
	"/sysrq-trigger"
#define SYSFS_KERNEL(p) "mask-kernel " p "/firmware; mask-kernel " p "/devices/virtual/powercap"

START_TEST(the_hosts_root_inside_gets_the_kernel_files_masked_after_each_proc)
{
	as_host_root = true;
	DERIVES("[where]\nhome = none\nproc = /proc\ntmpfs = /tmp\n", nothing_known,
		"proc /proc; " PROC_KERNEL("/proc") "; tmpfs /tmp; enter-root; root-ro");
	/* a proc of the processes alone has none of these files */
	DERIVES("[where]\nhome = none\nproc = /proc subset=pid\n", nothing_known,
		"proc /proc; enter-root; root-ro");
	as_host_root = false;
	/* an unprivileged user's uid 0 is nobody to the host: the files stay
	 * closed to it without a mount */
	DERIVES("[where]\nhome = none\nproc = /proc\n", nothing_known,
		"proc /proc; enter-root; root-ro");
}
END_TEST

static void sysfs_root_bound(struct where_facts *fx)
{
	host_with_proc_and_sys(fx);
	source_is(fx, 1, S_IFDIR, 6, 1);
	fx->src[1].fs_type = SYSFS_MAGIC;
	fx->specials[1].ino = 1;
}

START_TEST(the_hosts_root_inside_gets_sysfs_firmware_masked_wherever_sysfs_shows)
{
	as_host_root = true;
	/* bound itself, or brought along by a bind of / */
	DERIVES("[where]\nhome = none\nbind = / /host\nro-bind = /sys /sys\n", sysfs_root_bound,
		"bind /host; ro-bind /sys; " SYSFS_KERNEL("/sys") "; hide-proc /host/proc; "
		"ro-sysfs /host/sys; " SYSFS_KERNEL("/host/sys") "; enter-root; root-ro");
	as_host_root = false;
	DERIVES("[where]\nhome = none\nbind = / /host\nro-bind = /sys /sys\n", sysfs_root_bound,
		"bind /host; ro-bind /sys; hide-proc /host/proc; ro-sysfs /host/sys; enter-root; "
		"root-ro");
}
END_TEST

static char container_paths[N_CONTAINERS][32];

static void many_containers(struct where_facts *fx)
{
	source_is(fx, 0, S_IFDIR, 1, 2);
	for (size_t i = 0; i < N_CONTAINERS; i++) {
		snprintf(container_paths[i], sizeof(container_paths[i]), "/c/%zu/proc", i);
		add_special(fx, container_paths[i], 100 + i, true);
	}
}

START_TEST(every_host_proc_is_hidden_however_many)
{
	/* the executor kept the first 16 and dropped the rest */
	char *t;
	ck_assert_int_eq(derive_text("[where]\nhome = none\nbind = / /h\n", many_containers, &t), 0);
	size_t n = 0;
	for (const char *s = t; (s = strstr(s, "hide-proc")); s++)
		n++;
	ck_assert_uint_eq(n, N_CONTAINERS);
	ck_assert_ptr_nonnull(strstr(t, "hide-proc /h/c/39/proc"));
	free(t);
}
END_TEST

static struct where_anchor deep_anc[DEPTH + 1];
static char deep_path[DEPTH * 2 + 16];

/* glovebox's state DEPTH directories down: every ancestor is known. */
static void deep_config(struct where_facts *fx)
{
	size_t w = 0;
	for (size_t i = 0; i < DEPTH; i++)
		w += (size_t)snprintf(deep_path + w, sizeof(deep_path) - w, "/d");
	for (size_t i = 0; i <= DEPTH; i++) {
		/* ancestor i levels up: its suffix is the last i components */
		size_t at = 2 * (DEPTH - i);
		deep_anc[i] = (struct where_anchor){1, 1000 + DEPTH - i, deep_path + at + (i ? 1 : 0)};
	}
	deep_anc[DEPTH].ino = 2; /* the root */
	fx->prot = xcalloc(1, sizeof(*fx->prot));
	fx->prot[0] = (struct where_guarded){.path = deep_path, .dev = 1, .ino = 1000 + DEPTH,
					     .anc = deep_anc, .n_anc = DEPTH + 1,
					     .inside_read = true};
	fx->n_prot = 1;
	source_is(fx, 0, S_IFDIR, 1, 2);
}

START_TEST(deep_protected_state_is_masked_from_the_root)
{
	/* the executor kept 32 ancestors: a bind of / missed it */
	char *t;
	ck_assert_int_eq(derive_text("[where]\nhome = none\nbind = / /h\n", deep_config, &t), 0);
	char *want = xasprintf("mask /h%s;", deep_path);
	ck_assert_msg(strstr(t, want), "no '%s' in %s", want, t);
	free(want);
	free(t);
}
END_TEST

static void sysfs_and_dirs(struct where_facts *fx)
{
	source_is(fx, 0, S_IFDIR, 6, 1);
	fx->src[0].fs_type = SYSFS_MAGIC;
	source_is(fx, 1, S_IFDIR, 1, 40);
	source_is(fx, 2, S_IFDIR, 1, 41);
}

START_TEST(a_sysfs_source_is_bound_read_only)
{
	struct where_plan plan;
	struct where_facts fx;
	ck_assert_int_eq(derive("[where]\nhome = none\nbind = /sys /sys\nbind = /a /a\n"
				       "ro-bind = /b /b\n", sysfs_and_dirs, &plan, &fx), 0);
	ck_assert(plan.steps[0].read_only);
	ck_assert(!plan.steps[1].read_only);
	ck_assert(plan.steps[2].read_only);
	derived_done(&plan, &fx);
}
END_TEST

START_TEST(a_bind_below_home_lands_above_it_whatever_the_key_order)
{
	static const char *const profiles[] = {
		"[where]\nhome = tmpfs\nbind = /src /home/u/src\n",
		"[where]\nbind = /src /home/u/src\nhome = tmpfs\n",
	};
	for (size_t i = 0; i < ELEMENTSOF(profiles); i++)
		DERIVES(profiles[i], nothing_known,
			"tmpfs /home/u; bind /home/u/src; enter-root; root-ro");
}
END_TEST

/* ---- host paths: links a sandbox could have planted, places of secrets ---- */

/* The host in these tests: /home a link of root's (to var/home), and a
 * link of the user's (uid 1000), planted by an earlier sandbox that could
 * write /home/u/proj: out -> /home/u/.ssh. */
static struct where_link roots_link = {"/home", "var/home", 0};
static struct where_link planted_link = {"/var/home/u/proj/out", "/home/u/.ssh", 1000};

START_TEST(only_roots_links_are_followed_and_only_when_someone_else_runs_glovebox)
{
	ck_assert(where_link_trusted(&roots_link, 1000));
	ck_assert(!where_link_trusted(&planted_link, 1000));
	/* another user's: not root's either */
	ck_assert(!where_link_trusted(&(struct where_link){.owner = 1001}, 1000));
	/* a sandbox of root's makes root's links */
	ck_assert(!where_link_trusted(&roots_link, 0));
	struct where_link both[] = {roots_link, planted_link};
	struct where_path p = {.phys = "/var/home/u/.ssh", .links = both, .n_links = 2};
	ck_assert_ptr_eq(where_untrusted_link(&p, 1000), &both[1]);
	p.n_links = 1;
	ck_assert_ptr_null(where_untrusted_link(&p, 1000));
	ck_assert_ptr_eq(where_untrusted_link(&p, 0), &both[0]);
}
END_TEST

/* $HOME at /home/u, its places of secrets below it, but .gnupg a link of
 * a dotfile manager's to /home/u/dotfiles/gnupg. */
static char **secrets_of_u(void)
{
	char **phys = xcalloc(where_n_secrets, sizeof(*phys));
	for (size_t i = 0; i < where_n_secrets; i++)
		phys[i] = streq(where_secrets[i].rel, ".gnupg")
				  ? xstrdup("/home/u/dotfiles/gnupg")
				  : xasprintf("/home/u/%s", where_secrets[i].rel);
	return phys;
}

static void secrets_free(char **phys)
{
	for (size_t i = 0; i < where_n_secrets; i++)
		free(phys[i]);
	free(phys);
}

START_TEST(a_writable_bind_exposes_the_root_home_above_it_and_places_of_secrets)
{
	struct where_env env = {.home = "/home/u", .home_phys = "/home/u",
				.secret_phys = secrets_of_u()};
	static const struct {
		const char *phys, *what;
	} cases[] = {
		{"/", "the whole host"},
		{"/home/u", "your home"},
		{"/home", "your home lies in it"},
		{"/home/u/.ssh", "your ssh keys and authorized_keys"},
		{"/home/u/.ssh/config", "your ssh keys and authorized_keys"},
		{"/home/u/.local", "your keyrings"},
		{"/home/u/.netrc", "your .netrc passwords"},
		{"/home/u/dotfiles", "your GnuPG keys"},
		{"/home/u/proj", NULL},
		{"/home/u/.sshx", NULL},
		{"/home/uu", NULL},
	};
	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		const char *what = where_exposes(cases[i].phys, &env);
		if (cases[i].what)
			ck_assert_msg(what && streq(what, cases[i].what), "%s: %s", cases[i].phys,
				      what ? what : "(nothing)");
		else
			ck_assert_msg(!what, "%s: %s", cases[i].phys, what);
	}
	secrets_free(env.secret_phys);
}
END_TEST

/* where_plan_derive for p, whose first mount's source the launcher
 * resolved to src, run by invoker, in the home of secrets_of_u. */
static int derive_source(struct policy *p, struct where_source_path src, uid_t invoker)
{
	struct where_env env = {.home = "/home/u", .invoker = invoker, .home_phys = "/home/u",
				.secret_phys = secrets_of_u()};
	env.paths = xcalloc(p->n_mounts + 2, sizeof(*env.paths));
	env.paths[0] = src;
	struct where_plan plan;
	where_plan_make(p, &env, &plan);
	struct where_facts fx = facts_for(&plan);
	fx.env = &env;
	int r = where_plan_derive(&plan, &fx, &f.d);
	derived_done(&plan, &fx);
	free(env.paths);
	secrets_free(env.secret_phys);
	return r;
}

/* The same for a profile, the source through links. */
static int derive_through(const char *profile, const struct where_link *links, size_t n_links,
			  const char *phys, uid_t invoker)
{
	struct where_path src = {.phys = (char *)phys, .links = (struct where_link *)links,
				 .n_links = n_links};
	return derive_source(policy_with(profile), (struct where_source_path){.src = src}, invoker);
}

START_TEST(a_bind_through_a_link_a_sandbox_could_have_planted_is_refused)
{
	const struct where_link through[] = {roots_link, planted_link};
	ck_assert_int_eq(derive_through("[where]\nhome = none\nro-bind = /home/u/proj/out /out\n",
					through, 2, "/var/home/u/.ssh", 1000), -1);
	ck_assert_msgs_contain(&f, "t.ini:3: [where] ro-bind: /home/u/proj/out: "
				   "/var/home/u/proj/out is a symlink to /home/u/.ssh owned by uid "
				   "1000, not root, which a sandbox could have planted; it is not "
				   "followed. To bind what it points to, name it: ro-bind = "
				   "/var/home/u/.ssh /out (or add links=follow to this bind to "
				   "follow links you own)");
	/* root's link alone is followed */
	ck_assert_int_eq(derive_through("[where]\nhome = none\nro-bind = /home/u/proj /proj\n",
					through, 1, "/var/home/u/proj", 1000), 0);
	/* ... unless root runs glovebox */
	ck_assert_int_eq(derive_through("[where]\nhome = none\nro-bind = /home/u/proj /proj\n",
					through, 1, "/var/home/u/proj", 0), -1);
	ck_assert_msgs_contain(&f, "/home is a symlink to var/home owned by root, who runs "
				   "glovebox (a sandbox of root's makes root's links)");
	/* links=follow follows them, and the writable bind then meets the next rule */
	ck_assert_int_eq(derive_through("[where]\nhome = none\nro-bind = /home/u/proj/out /out "
					"links=follow\n", through, 2, "/var/home/u/.ssh", 1000), 0);
	ck_assert_int_eq(derive_through("[where]\nhome = none\nbind = /home/u/proj/out /out "
					"links=follow\n", &planted_link, 1, "/home/u/.ssh", 1000), -1);
	ck_assert_msgs_contain(&f, "say so: bind = /home/u/proj/out /out links=follow "
				   "writable=intended");
}
END_TEST

/* The plan for one bind, named on the command line. */
static int derive_cli(const char *key, const char *src, const char *dest, unsigned flags,
		      const char *phys)
{
	struct policy *p = policy_with("[where]\nhome = none\n");
	const struct origin o = {.key = key};
	struct mount_op *m = policy_add_mount(p, streq(key, "--bind") ? MOUNT_BIND : MOUNT_RO_BIND,
					      &o);
	m->src = xstrdup(src);
	m->dest = xstrdup(dest);
	m->flags = flags;
	return derive_source(p, (struct where_source_path){.src.phys = (char *)phys}, 1000);
}

START_TEST(a_mirror_or_an_overlay_through_a_planted_link_is_refused_as_it_is_written)
{
	struct where_link opt = {"/opt/x", "/home/u/.ssh", 1000};
	ck_assert_int_eq(derive_through("[where]\nhome = none\nmirror = /opt/x/lib\n", &opt, 1,
					"/home/u/.ssh/lib", 1000), -1);
	ck_assert_msgs_contain(&f, "t.ini:3: [where] mirror: /opt/x/lib: /opt/x is a symlink to "
				   "/home/u/.ssh owned by uid 1000, not root, which a sandbox could "
				   "have planted; it is not followed. To bind what it points to, "
				   "name it: ro-bind = /home/u/.ssh/lib /opt/x/lib\n");
	/* the overlay's directory through the link; its lower tree as it was */
	struct where_link keep = {"/srv/keep", "/home/u/.ssh", 1000};
	struct where_source_path sp = {.src.phys = "/usr",
				       .aux = {.phys = "/home/u/.ssh", .links = &keep,
					       .n_links = 1}};
	ck_assert_int_eq(derive_source(policy_with("[where]\nhome = none\n"
						   "overlay = /usr /srv/keep /usr\n"), sp, 1000), -1);
	ck_assert_msgs_contain(&f, "t.ini:3: [where] overlay: /srv/keep: /srv/keep is a symlink "
				   "to /home/u/.ssh owned by uid 1000, not root, which a sandbox "
				   "could have planted; it is not followed. To bind what it points "
				   "to, name it: overlay = /usr /home/u/.ssh /usr\n");
}
END_TEST

START_TEST(a_writable_bind_of_a_place_of_secrets_is_refused_unless_intended)
{
	ck_assert_int_eq(derive_through("[where]\nhome = none\nbind = /home/u/.ssh\n", NULL, 0,
					"/home/u/.ssh", 1000), -1);
	ck_assert_msgs_contain(&f, "t.ini:3: [where] bind: /home/u/.ssh: refusing a writable bind "
				   "of /home/u/.ssh (your ssh keys and authorized_keys): a sandbox "
				   "could use it to act as you outside; bind it read-only, or if you "
				   "mean it, say so: bind = /home/u/.ssh /home/u/.ssh "
				   "writable=intended");
	ck_assert_int_eq(derive_through("[where]\nhome = none\nbind = /home/u/.ssh "
					"writable=intended\n", NULL, 0, "/home/u/.ssh", 1000), 0);
	ck_assert_int_eq(derive_through("[where]\nhome = none\nro-bind = /home/u/.ssh\n", NULL,
					0, "/home/u/.ssh", 1000), 0);
	ck_assert_int_eq(derive_through("[where]\nhome = none\ndev-bind = /h /h\n", NULL, 0,
					"/home/u", 1000), -1);
	ck_assert_msgs_contain(&f, "refusing a writable bind of /home/u (your home)");
	ck_assert_int_eq(derive_through("[where]\nhome = none\nbind = /home/u/src\n", NULL, 0,
					"/home/u/src", 1000), 0);
	/* on the command line, as the shell would take it */
	ck_assert_int_eq(derive_cli("--bind", "/", "/my host", 0, "/"), -1);
	ck_assert_msgs_contain(&f, "command line: --bind: /: refusing a writable bind of / (the "
				   "whole host): a sandbox could use it to act as you outside; bind "
				   "it read-only, or if you mean it, say so: --bind / '/my host' "
				   "writable=intended");
	ck_assert_int_eq(derive_cli("--bind", "/", "/host", MOUNT_F_WRITABLE_INTENDED, "/"), 0);
}
END_TEST

START_TEST(a_cwd_through_a_planted_link_or_writable_in_secrets_is_not_shared)
{
	struct policy *p = policy_with("[where]\ncwd = rw\n");
	size_t cwd = p->n_mounts + 1;
	struct where_env env = {.home = "/home/u", .cwd = "/home/u/proj/out", .invoker = 1000,
				.home_phys = "/home/u", .secret_phys = secrets_of_u()};
	env.paths = xcalloc(p->n_mounts + 2, sizeof(*env.paths));
	env.paths[cwd].src = (struct where_path){.phys = "/home/u/.ssh", .links = &planted_link,
						 .n_links = 1};
	ck_assert_int_eq(where_cwd_decide(p, &env), CWD_LINK);
	char *note = where_cwd_note(p, &env, CWD_LINK);
	ck_assert_str_eq(note, "not sharing the current directory /home/u/proj/out: "
			       "/var/home/u/proj/out is a symlink to /home/u/.ssh owned by uid 1000, "
			       "not root, which a sandbox could have planted: the command starts in "
			       "/; to share what it points to, run glovebox from there (cd "
			       "/home/u/.ssh)");
	free(note);
	/* from there (cd -P): no link, but a writable share of the keys */
	env.cwd = "/home/u/.ssh";
	env.paths[cwd].src.n_links = 0;
	ck_assert_int_eq(where_cwd_decide(p, &env), CWD_SECRET);
	note = where_cwd_note(p, &env, CWD_SECRET);
	ck_assert_str_eq(note, "not sharing the current directory /home/u/.ssh writable (your ssh "
			       "keys and authorized_keys: a sandbox could use it to act as you "
			       "outside): the command starts in /; share it read-only with --cwd ro, "
			       "or if you mean it, --bind /home/u/.ssh /home/u/.ssh writable=intended");
	free(note);
	/* read-only, it is shared */
	p->cwd = CWD_RO;
	ck_assert_int_eq(where_cwd_decide(p, &env), CWD_SHARED);
	free(env.paths);
	secrets_free(env.secret_phys);
}
END_TEST

/* bwrap's meaning: command-line order (a later ancestor hides what came
 * before), a writable root, remount-ro of one mount, 0700 above binds,
 * the scratch first (a bind at / covers the root tmpfs), bwrap's /dev. */
START_TEST(bwrap_mode_keeps_the_order_the_root_writable_and_its_modes)
{
	struct policy *p = policy_with("[where]\nhome = none\ncwd = none\ntmpfs = /tmp/x\n"
				       "bind = / /\nremount-ro = /tmp\nfile = /etc/a x\ndev = /dev\n");
	p->bwrap.on = true;
	p->mounts[1].flags |= MOUNT_F_PRIVATE_PARENTS;
	struct where_env env = {.home = "/home/u"};
	struct where_plan plan;
	where_plan_make(p, &env, &plan);
	struct where_facts fx = facts_for(&plan);
	ck_assert_int_eq(where_plan_derive(&plan, &fx, &f.d), 0);
	char *t = steps_text(&plan);
	ck_assert_str_eq(t, "scratch /.glovebox-scratch; tmpfs /tmp/x; bind /; remount-ro /tmp; "
			    "file /etc/a; dev /dev; dev-node /dev/null; dev-node /dev/zero; "
			    "dev-node /dev/full; dev-node /dev/random; dev-node /dev/urandom; "
			    "dev-node /dev/tty; scratch-drop; enter-root");
	free(t);
	ck_assert_uint_eq(plan.steps[0].cause, 4); /* the file */
	ck_assert_uint_eq(plan.steps[1].parent_mode, 0);
	ck_assert_uint_eq(plan.steps[2].parent_mode, 0700);
	ck_assert(plan.steps[3].shallow);
	ck_assert(plan.steps[5].bwrap_dev);
	derived_done(&plan, &fx);
	/* glovebox's own meaning, for comparison */
	p->bwrap.on = false;
	where_plan_make(p, &env, &plan);
	fx = facts_for(&plan);
	ck_assert_int_eq(where_plan_derive(&plan, &fx, &f.d), 0);
	t = steps_text(&plan);
	ck_assert(strstr(t, "bind /; tmpfs /tmp/x; remount-ro /tmp") != NULL);
	ck_assert(strstr(t, "enter-root; root-ro") != NULL);
	ck_assert(!plan.steps[2].shallow);
	free(t);
	derived_done(&plan, &fx);
}
END_TEST

RUN_SUITE("plan", unrelated_mounts_keep_their_order, a_tmpfs_budget_takes_every_tmpfs_from_the_pool,
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
	  the_plan_puts_the_cwd_on_top_and_home_beneath_a_bind_of_home,
	  every_plan_ends_by_entering_a_read_only_root,
	  files_and_throw_away_layers_share_one_scratch_tmpfs, each_dev_gets_the_host_nodes,
	  a_bind_above_protected_state_masks_it, a_mask_knows_what_it_covers_and_its_pins_need_it,
	  an_overlay_of_an_ancestor_masks_whatever_shows, a_bind_elsewhere_masks_nothing,
	  sources_that_must_not_show_are_refused_with_their_origin,
	  host_proc_and_sysfs_below_a_bind_are_hidden_and_read_only,
	  every_host_proc_is_hidden_however_many, deep_protected_state_is_masked_from_the_root,
	  a_sysfs_source_is_bound_read_only, a_bind_below_home_lands_above_it_whatever_the_key_order,
	  a_bind_from_another_filesystem_above_protected_state_masks_it,
	  the_hosts_root_inside_gets_the_kernel_files_masked_after_each_proc,
	  the_hosts_root_inside_gets_sysfs_firmware_masked_wherever_sysfs_shows,
	  only_roots_links_are_followed_and_only_when_someone_else_runs_glovebox,
	  a_writable_bind_exposes_the_root_home_above_it_and_places_of_secrets,
	  a_bind_through_a_link_a_sandbox_could_have_planted_is_refused,
	  a_mirror_or_an_overlay_through_a_planted_link_is_refused_as_it_is_written,
	  a_writable_bind_of_a_place_of_secrets_is_refused_unless_intended,
	  a_cwd_through_a_planted_link_or_writable_in_secrets_is_not_shared,
	  bwrap_mode_keeps_the_order_the_root_writable_and_its_modes)
