/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* [limits]' cgroup and per-user-namespace keys: their values, and the
 * pure steps that decide how they apply. */
#include <errno.h>
#include <stdlib.h>

#include "policy/options.h"
#include "policy/values.h"
#include "testutil.h"
#include "launch/cgroup.h"
#include "what/ucounts.h"

START_TEST(percentages_end_in_a_percent_sign)
{
	uint64_t v = 7;
	ck_assert_int_eq(parse_percent("50%", &v), 0);
	ck_assert_uint_eq(v, 50);
	ck_assert_int_eq(parse_percent("250%", &v), 0);
	ck_assert_uint_eq(v, 250);
	ck_assert_int_eq(parse_percent("50", &v), -EINVAL);
	ck_assert_int_eq(parse_percent("%", &v), -EINVAL);
	ck_assert_int_eq(parse_percent("x%", &v), -EINVAL);
	ck_assert_int_eq(parse_percent("", &v), -EINVAL);
	ck_assert_uint_eq(v, 250);
}
END_TEST

START_TEST(a_share_of_the_users_limit_rounds_down_but_never_to_zero)
{
	struct ucount_limit half = {.value = 50, .percent = true};
	ck_assert_uint_eq(ucount_value(&half, 128), 64);
	ck_assert_uint_eq(ucount_value(&half, 1), 1);
	ck_assert_uint_eq(ucount_value(&half, 0), 0); /* unknown: not lowered */
	struct ucount_limit big = {.value = 99, .percent = true};
	ck_assert_uint_eq(ucount_value(&big, UINT64_MAX / 10), UINT64_MAX / 10 / 100 * 99 +
								       UINT64_MAX / 10 % 100 * 99 / 100);
	struct ucount_limit count = {.value = 1000};
	ck_assert_uint_eq(ucount_value(&count, 128), 128); /* never above the user's */
	ck_assert_uint_eq(ucount_value(&count, 5000), 1000);
	struct ucount_limit none = {0};
	ck_assert_uint_eq(ucount_value(&none, 128), 0);
}
END_TEST

START_TEST(explain_says_what_a_share_comes_to)
{
	char buf[128];
	struct ucount_limit half = {.value = 50, .percent = true};
	ucount_describe(&half, 128, buf, sizeof(buf));
	ck_assert_str_eq(buf, "50% of your 128: 64");
	struct ucount_limit none = {0};
	ucount_describe(&none, 128, buf, sizeof(buf));
	ck_assert_str_eq(buf, "none (yours: 128)");
	struct ucount_limit count = {.value = 1000};
	ucount_describe(&count, 128, buf, sizeof(buf));
	ck_assert_str_eq(buf, "128 (yours: no more)");
}
END_TEST

static int apply1(struct fixture *f, const char *key, const char *value)
{
	const struct gb_option *opt = option_by_key("limits", key);
	ck_assert_msg(opt != NULL, "no option [limits] %s", key);
	char *args[] = {(char *)value};
	struct origin o = {.file = "t.ini", .line = 3, .section = "limits", .key = key};
	return option_apply(&f->p, opt, args, 1, &o, &f->d);
}

START_TEST(inotify_limits_take_a_count_a_share_or_none)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_uint_eq(f.p.ucounts[UCOUNT_INOTIFY_INSTANCES].value, 50);
	ck_assert(f.p.ucounts[UCOUNT_INOTIFY_INSTANCES].percent);
	ck_assert(!f.p.ucounts[UCOUNT_INOTIFY_INSTANCES].s.set);
	ck_assert_int_eq(apply1(&f, "inotify-instances", "20"), 0);
	ck_assert_uint_eq(f.p.ucounts[UCOUNT_INOTIFY_INSTANCES].value, 20);
	ck_assert(!f.p.ucounts[UCOUNT_INOTIFY_INSTANCES].percent);
	ck_assert(f.p.ucounts[UCOUNT_INOTIFY_INSTANCES].s.set);
	ck_assert_int_eq(apply1(&f, "inotify-watches", "10%"), 0);
	ck_assert_uint_eq(f.p.ucounts[UCOUNT_INOTIFY_WATCHES].value, 10);
	ck_assert(f.p.ucounts[UCOUNT_INOTIFY_WATCHES].percent);
	ck_assert_int_eq(apply1(&f, "inotify-watches", "none"), 0);
	ck_assert_uint_eq(f.p.ucounts[UCOUNT_INOTIFY_WATCHES].value, 0);
	ck_assert_int_eq(apply1(&f, "inotify-instances", "0"), -1);
	ck_assert_int_eq(apply1(&f, "inotify-instances", "101%"), -1);
	ck_assert_int_eq(apply1(&f, "inotify-instances", "many"), -1);
	ck_assert_msgs_contain(&f, "t.ini:3: [limits] inotify-instances: many: expected a count "
				   "(1 or more), a share of yours (1% to 100%), or none");
	fixture_free(&f);
}
END_TEST


START_TEST(the_v2_path_is_the_line_with_hierarchy_zero)
{
	char *p = cgroup_v2_path("9:name=systemd:/\n4:memory:/x\n0::/user.slice/a b.scope\n");
	ck_assert_str_eq(p, "/user.slice/a b.scope");
	free(p);
	p = cgroup_v2_path("0::/\n");
	ck_assert_str_eq(p, "/");
	free(p);
	ck_assert_ptr_null(cgroup_v2_path("4:memory:/x\n1:cpu:/\n"));
	ck_assert_ptr_null(cgroup_v2_path(""));
}
END_TEST

START_TEST(the_cgroup2_mount_is_one_of_the_hierarchys_root)
{
	const char *hybrid =
		"30 25 0:26 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n"
		"31 30 0:27 / /sys/fs/cgroup/memory rw shared:9 - cgroup cgroup rw,memory\n"
		"40 30 0:35 / /sys/fs/cgroup/unified rw shared:10 - cgroup2 cgroup2 rw\n";
	char *m = cgroup2_mount_point(hybrid);
	ck_assert_str_eq(m, "/sys/fs/cgroup/unified");
	free(m);
	/* a bind of a subtree cannot place paths of /proc/self/cgroup */
	ck_assert_ptr_null(cgroup2_mount_point("40 30 0:35 /sub /mnt rw - cgroup2 cgroup2 rw\n"));
	ck_assert_ptr_null(cgroup2_mount_point("31 30 0:27 / /sys/fs/cgroup/memory rw - cgroup "
					       "cgroup rw,memory\n"));
}
END_TEST

START_TEST(the_session_delegation_is_below_user_at_uid_service)
{
	const char *app = "/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/app.slice/"
			  "run-r1.scope";
	ck_assert(cgroup_in_user_service(app, 1000));
	ck_assert(!cgroup_in_user_service(app, 100));
	ck_assert(cgroup_in_user_service("/sys/fs/cgroup/user.slice/user@1000.service", 1000));
	/* a login's scope is root's, not the user's */
	ck_assert(!cgroup_in_user_service("/sys/fs/cgroup/user.slice/user-1000.slice/"
					  "session-3.scope", 1000));
	ck_assert(!cgroup_in_user_service("/x/user@1000.servicex/y", 1000));
}
END_TEST

START_TEST(a_missing_controller_is_named)
{
	ck_assert_ptr_null(
		cgroup_missing("cpuset cpu io memory pids\n", CG_MEMORY | CG_PIDS | CG_CPU));
	ck_assert_str_eq(cgroup_missing("cpuset io memory pids\n", CG_MEMORY | CG_CPU), "cpu");
	ck_assert_str_eq(cgroup_missing("hugetlb\n", CG_PIDS), "pids");
	ck_assert_str_eq(cgroup_missing("", CG_MEMORY), "memory");
	/* whole words: cpuset is not cpu */
	ck_assert_str_eq(cgroup_missing("cpuset", CG_CPU), "cpu");
	ck_assert_ptr_null(cgroup_missing("", 0));
}
END_TEST

START_TEST(the_common_ancestor_is_by_whole_components)
{
	char *a = cgroup_common_ancestor("/sys/fs/cgroup/a/b", "/sys/fs/cgroup/a/c");
	ck_assert_str_eq(a, "/sys/fs/cgroup/a");
	free(a);
	a = cgroup_common_ancestor("/sys/fs/cgroup/ab", "/sys/fs/cgroup/a");
	ck_assert_str_eq(a, "/sys/fs/cgroup");
	free(a);
	a = cgroup_common_ancestor("/sys/fs/cgroup/a", "/sys/fs/cgroup/a/sub");
	ck_assert_str_eq(a, "/sys/fs/cgroup/a");
	free(a);
	a = cgroup_common_ancestor("/a", "/b");
	ck_assert_str_eq(a, "/");
	free(a);
}
END_TEST

START_TEST(cgroup_keys_take_sizes_counts_and_percentages)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert(!cgroup_wanted(&f.p));
	ck_assert_int_eq(apply1(&f, "memory", "2G"), 0);
	ck_assert_uint_eq(f.p.memory, 2ull << 30);
	ck_assert_int_eq(apply1(&f, "pids", "100"), 0);
	ck_assert_int_eq(apply1(&f, "cpu-quota", "150%"), 0);
	ck_assert_uint_eq(f.p.cpu_quota, 150);
	ck_assert_uint_eq(cgroup_needed(&f.p), CG_MEMORY | CG_PIDS | CG_CPU);
	ck_assert_int_eq(apply1(&f, "cpu-quota", "150"), -1);
	ck_assert_int_eq(apply1(&f, "cgroup", "relative/path"), -1);
	ck_assert_int_eq(apply1(&f, "cgroup", "/sys/fs/cgroup/x"), 0);
	ck_assert_str_eq(f.p.cgroup, "/sys/fs/cgroup/x");
	ck_assert_int_eq(apply1(&f, "cgroup", "session"), 0);
	ck_assert_ptr_null(f.p.cgroup);
	ck_assert_int_eq(apply1(&f, "cgroup-fallback", "rlimits"), 0);
	ck_assert_int_eq(f.p.cgroup_fallback, CGROUP_FALLBACK_RLIMITS);
	ck_assert_int_eq(apply1(&f, "memory", "none"), 0);
	ck_assert_uint_eq(cgroup_needed(&f.p), CG_PIDS | CG_CPU);
	fixture_free(&f);
}
END_TEST

START_TEST(the_fallback_stands_rlimits_in_for_cgroup_limits)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(apply1(&f, "memory", "1G"), 0);
	ck_assert_int_eq(apply1(&f, "pids", "50"), 0);
	ck_assert_int_eq(apply1(&f, "processes", "1000"), 0);
	struct policy fb;
	cgroup_fallback_policy(&f.p, &fb);
	ck_assert(fb.rlimits[RLIMIT_AS].set);
	ck_assert_uint_eq(fb.rlimits[RLIMIT_AS].lim.rlim_cur, 1ull << 30);
	ck_assert_uint_eq(fb.processes, 50);
	ck_assert(!cgroup_needed(&fb));
	/* a lower process limit and the profile's own as stay */
	ck_assert_int_eq(apply1(&f, "processes", "20"), 0);
	ck_assert_int_eq(apply1(&f, "as", "2G"), 0);
	cgroup_fallback_policy(&f.p, &fb);
	ck_assert_uint_eq(fb.processes, 20);
	ck_assert_uint_eq(fb.rlimits[RLIMIT_AS].lim.rlim_cur, 2ull << 30);
	fixture_free(&f);
}
END_TEST

RUN_SUITE("limits", percentages_end_in_a_percent_sign,
	  a_share_of_the_users_limit_rounds_down_but_never_to_zero,
	  explain_says_what_a_share_comes_to, inotify_limits_take_a_count_a_share_or_none,
	  the_v2_path_is_the_line_with_hierarchy_zero, the_cgroup2_mount_is_one_of_the_hierarchys_root,
	  the_session_delegation_is_below_user_at_uid_service, a_missing_controller_is_named,
	  the_common_ancestor_is_by_whole_components, cgroup_keys_take_sizes_counts_and_percentages,
	  the_fallback_stands_rlimits_in_for_cgroup_limits)
