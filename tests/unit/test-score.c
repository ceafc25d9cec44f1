/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The exposure score: each factor from the policy alone. */
#include "testutil.h"

#include <math.h>

#include "score.h"

static const struct score_factor *factor(const struct score *s, const char *name)
{
	for (size_t i = 0; i < s->n_factors; i++)
		if (streq(s->factors[i].name, name))
			return &s->factors[i];
	ck_abort_msg("no factor %s", name);
	return NULL;
}

/* The built-in default, then text (NULL: none) on top, scored. */
static void score_of(const char *text, bool on_default, struct score *out)
{
	struct fixture f;
	fixture_init(&f);
	if (on_default)
		ck_assert_int_eq(profile_load(&f.l, "default", NULL, NULL), 0);
	if (text)
		ck_assert_msg(load(&f, "p.ini", text) == 0, "%s", fixture_msgs(&f));
	ck_assert_msg(policy_validate(&f.p, &f.d) == 0, "%s", fixture_msgs(&f));
	score_policy(&f.p, f.vars.home, out);
	fixture_free(&f);
}

#define ck_assert_points(s, name, expect)                                                          \
	ck_assert_msg(fabs(factor(s, name)->points - (expect)) < 1e-9, "%s: %g points, not %g (%s)", \
		      name, factor(s, name)->points, (double)(expect), factor(s, name)->reason)

START_TEST(the_weights_add_up_to_ten)
{
	struct score s;
	score_of(NULL, true, &s);
	double sum = 0;
	for (size_t i = 0; i < s.n_factors; i++) {
		sum += s.factors[i].weight;
		ck_assert_msg(s.factors[i].reason[0], "%s gives no reason", s.factors[i].name);
		ck_assert(s.factors[i].points >= 0 && s.factors[i].points <= s.factors[i].weight);
	}
	ck_assert_msg(fabs(sum - 10) < 1e-9, "the weights add up to %g", sum);
	score_free(&s);
}
END_TEST

START_TEST(the_builtin_default_scores_low)
{
	struct score s;
	score_of(NULL, true, &s);
	ck_assert_msg(s.value < 0.5, "default scores %g", s.value);
	static const char *const closed[] = {"seccomp-default", "network", "home", "host-root",
					     "capabilities", "writable-binds", "namespaces",
					     "@mount", "@keyring", "userfaultfd", "landlock-fs",
					     "processes", "tmpfs-budget", "environment"};
	for (size_t i = 0; i < ELEMENTSOF(closed); i++)
		ck_assert_points(&s, closed[i], 0);
	/* the default's own openings, small and known */
	ck_assert_points(&s, "write-xor-execute", 0.05);
	ck_assert_str_eq(factor(&s, "network")->reason,
			 "network = none: a namespace of its own, loopback only");
	score_free(&s);
}
END_TEST

START_TEST(host_network_and_a_writable_home_score_higher)
{
	struct score base, open;
	score_of(NULL, true, &base);
	score_of("[where]\nnetwork = host\nhome = rw\n", true, &open);
	ck_assert_points(&open, "network", 0.9);
	ck_assert_points(&open, "home", 0.8);
	ck_assert_msg(fabs(open.value - base.value - 1.7) < 1e-9, "%g -> %g", base.value,
		      open.value);
	ck_assert_str_eq(factor(&open, "home")->reason,
			 "home = rw: your home writable (shell start-up files, keys)");
	score_free(&base);
	score_free(&open);
}
END_TEST

START_TEST(a_blank_slate_that_opens_everything_scores_ten)
{
	struct score s;
	score_of("[where]\n"
		 "bind = / /host writable=intended\n"
		 "dev-bind = /dev /dev writable=intended\n"
		 "network = host\nhome = rw\ncwd = rw\nterminal = host\n"
		 "unshare-user = no\nunshare-pid = no\nunshare-ipc = no\nunshare-uts = no\n"
		 "unshare-cgroup = no\nlandlock-fs = no\nscope = none\nfallback = landlock\n"
		 "[what]\ncapabilities = cap_sys_admin\n"
		 "[how]\ndefault = allow\nallow = @io-uring\nnamespaces = all\nwrite-xor-execute = no\n"
		 "personality = any\nmemfd-exec = yes\n"
		 "[env]\nclear = no\n",
		 false, &s);
	ck_assert_msg(s.value > 9.9, "scores %g", s.value);
	ck_assert_int_eq(score_tenths(s.value), 100);
	score_free(&s);
}
END_TEST

START_TEST(default_allow_opens_every_group)
{
	struct score s;
	score_of("[how]\ndefault = allow\n", true, &s);
	ck_assert_points(&s, "seccomp-default", 1.2);
	ck_assert_points(&s, "@mount", 0.25);
	ck_assert_points(&s, "@module", 0.2);
	/* the default's deny lines take the default action: allow */
	ck_assert_points(&s, "@keyring", 0.15);
	ck_assert_str_eq(factor(&s, "@keyring")->reason, "3 of its 3 calls allowed (add_key, ...)");
	score_free(&s);
}
END_TEST

START_TEST(a_group_counts_by_the_share_of_its_calls_allowed)
{
	struct score s;
	score_of("[how]\nallow = mount umount2\n", true, &s);
	const struct score_factor *m = factor(&s, "@mount");
	ck_assert(m->points > 0 && m->points < 0.25);
	ck_assert_msg(strstr(m->reason, "2 of its ") && strstr(m->reason, "calls allowed"), "%s",
		      m->reason);
	score_free(&s);
}
END_TEST

START_TEST(binds_of_the_home_count_as_the_home)
{
	struct score s;
	score_of("[where]\nro-bind = /home/alice/src\n", true, &s);
	ck_assert_points(&s, "home", 0.8 * 0.3);
	ck_assert_str_eq(factor(&s, "home")->reason, "ro-bind /home/alice/src: a part of your home");
	score_free(&s);
	score_of("[where]\nbind = /home/alice/.ssh /x writable=intended\n", true, &s);
	ck_assert_points(&s, "home", 0.8 * 0.7);
	ck_assert_points(&s, "writable-binds", 0.6 * 0.6);
	score_free(&s);
	/* a directory the home lies in: the whole home */
	score_of("[where]\nro-bind = /home\n", true, &s);
	ck_assert_points(&s, "home", 0.8 * 0.6);
	score_free(&s);
}
END_TEST

/* an overlay shows every layer; its changes go to a host directory */
START_TEST(every_layer_of_an_overlay_counts)
{
	struct score s;
	score_of("[where]\noverlay-src = /home/alice\noverlay-src = /usr\nro-overlay = /l\n", true,
		 &s);
	ck_assert_points(&s, "home", 0.8 * 0.6);
	ck_assert_str_eq(factor(&s, "home")->reason, "ro-overlay /home/alice: your whole home");
	ck_assert_points(&s, "writable-binds", 0);
	score_free(&s);
	score_of("[where]\noverlay-src = /\noverlay-src-tmp = /l\n", true, &s);
	ck_assert_points(&s, "host-root", 0.7);
	score_free(&s);
	score_of("[where]\noverlay-src = /usr\noverlay-src-rw = /home/alice/up /home/alice/wk /l\n",
		 true, &s);
	ck_assert_points(&s, "home", 0.8 * 0.7);
	ck_assert_points(&s, "writable-binds", 0.6 * 0.6);
	ck_assert_str_eq(factor(&s, "writable-binds")->reason,
			 "1 writable bind of host paths (overlay /home/alice/up)");
	score_free(&s);
}
END_TEST

START_TEST(the_host_root_and_its_devices)
{
	struct score s;
	score_of("[where]\nro-bind = / /host\ndev-bind = /dev/dri\n", true, &s);
	ck_assert_points(&s, "host-root", 0.7);
	ck_assert_str_eq(factor(&s, "host-root")->reason,
			 "ro-bind / at /host: the host's whole filesystem");
	ck_assert_points(&s, "devices", 0.4 * 0.6);
	ck_assert_points(&s, "writable-binds", 0.6 * 0.6);
	score_free(&s);
}
END_TEST

START_TEST(capabilities_weigh_by_what_they_reach)
{
	struct score s;
	score_of("[what]\ncapabilities = cap_net_bind_service\n", true, &s);
	ck_assert_points(&s, "capabilities", 0.35);
	score_free(&s);
	score_of("[what]\ncapabilities = cap_net_bind_service cap_sys_admin\n", true, &s);
	ck_assert_points(&s, "capabilities", 0.7);
	ck_assert_str_eq(factor(&s, "capabilities")->reason, "2 kept, among them cap_sys_admin");
	score_free(&s);
}
END_TEST

START_TEST(namespaces_and_switches)
{
	struct score s;
	score_of("[where]\nnetwork = user\nunshare-pid = no\nscope = signals\n"
		 "[how]\nnamespaces = user mount\nsocket-families = all\n[limits]\nprocesses = none\n",
		 true, &s);
	ck_assert_points(&s, "network", 0.45);
	ck_assert_points(&s, "pid-namespace", 0.3);
	ck_assert_points(&s, "namespaces", 0.1);
	ck_assert_points(&s, "socket-families", 0.15);
	ck_assert_points(&s, "processes", 0.15);
	ck_assert_points(&s, "landlock-scope", 0.05);
	ck_assert_points(&s, "no-new-privs", 0);
	score_free(&s);
}
END_TEST

START_TEST(tenths_round_half_up)
{
	ck_assert_int_eq(score_tenths(0), 0);
	ck_assert_int_eq(score_tenths(1.249), 12);
	ck_assert_int_eq(score_tenths(1.25), 13);
	ck_assert_int_eq(score_tenths(10), 100);
}
END_TEST

RUN_SUITE("score", the_weights_add_up_to_ten, the_builtin_default_scores_low,
	  host_network_and_a_writable_home_score_higher, a_blank_slate_that_opens_everything_scores_ten,
	  default_allow_opens_every_group, a_group_counts_by_the_share_of_its_calls_allowed,
	  binds_of_the_home_count_as_the_home, every_layer_of_an_overlay_counts, the_host_root_and_its_devices,
	  capabilities_weigh_by_what_they_reach, namespaces_and_switches, tenths_round_half_up)
