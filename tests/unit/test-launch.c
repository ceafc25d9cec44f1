/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The launch strategy's reading of the machine's load (src/launch/serial.c):
 * busy, and the command's process starts serially, when the one-minute
 * load or the processes running now (but pid 1 itself) fill every CPU
 * glovebox may use. And the choice of the path (launch_choose): shared
 * (src/launch/shared.c) wherever it can be. */
#include <sched.h>
#include <stdlib.h>

#include "config.h"
#include "launch/internal.h"
#include "launch/rawsys.h"
#include "testutil.h"

/* Whether this build shares an address space at all (not a sanitizer
 * build, not an architecture without rawsys.h's system calls). */
#define SHARES (RAW_SYSCALLS && !GB_FREE_AT_EXIT)

struct setup {
	struct policy policy;
	struct launch_request req;
	struct term term;
	struct child_ctx c;
};

/* The default profile's shape: namespaces with a pid namespace, no
 * network, no terminal, no timeout. */
static void setup_init(struct setup *s)
{
	memset(s, 0, sizeof(*s));
	s->policy.unshare = CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWIPC;
	s->policy.network = NET_NONE;
	s->req = (struct launch_request){.policy = &s->policy, .info_fd = -1, .status_fd = -1,
					 .block_fd = -1};
	s->term.mode = TERM_NONE;
	s->c = (struct child_ctx){.req = &s->req, .term = &s->term, .cgroup = -1,
				  .report_fd = -1, .handover_fd = -1};
}

static enum launch_path choose(const struct setup *s, const char *forced)
{
	if (forced)
		setenv("GLOVEBOX_LAUNCH", forced, 1);
	else
		unsetenv("GLOVEBOX_LAUNCH");
	return launch_choose(&s->c, false, true);
}

START_TEST(a_launch_shares_where_it_can)
{
	struct setup s;
	setup_init(&s);
	ck_assert_int_eq(launch_can_share(&s.c), SHARES);
	if (SHARES) {
		ck_assert_int_eq(choose(&s, NULL), LAUNCH_SHARED);
		ck_assert_int_eq(choose(&s, "shared"), LAUNCH_SHARED);
	} else {
		ck_assert_int_ne(choose(&s, NULL), LAUNCH_SHARED);
		ck_assert_int_eq(choose(&s, "shared"), LAUNCH_SERIAL);
	}
	ck_assert_int_eq(choose(&s, "serial"), LAUNCH_SERIAL);
	ck_assert_int_eq(choose(&s, "parallel"), LAUNCH_PARALLEL);
}
END_TEST

static char *no_info(pid_t child, bool multi_line)
{
	(void)child;
	(void)multi_line;
	return NULL;
}

START_TEST(what_keeps_a_launch_from_sharing)
{
	struct setup s;
	for (int i = 0; i < 4; i++) {
		setup_init(&s);
		if (i == 0)
			s.policy.timeout_ms = 1000; /* a hung set-up must still end */
		if (i == 1)
			s.policy.host_user = HOST_USER_NOBODY; /* dumpable meanwhile */
		if (i == 2)
			s.c.cgroup = 3; /* CLONE_INTO_CGROUP is clone3's */
		if (i == 3) {
			s.c.report_fd = 4; /* bwrap's --info-fd waits for the supervisor */
			s.req.child_info = no_info;
		}
		ck_assert_msg(!launch_can_share(&s.c), "case %d", i);
		ck_assert_int_ne(choose(&s, NULL), LAUNCH_SHARED);
		ck_assert_int_eq(choose(&s, "shared"), LAUNCH_SERIAL);
	}
}
END_TEST

START_TEST(what_is_never_serial_is_never_shared)
{
	struct setup s;
	setup_init(&s);
	setenv("GLOVEBOX_LAUNCH", "shared", 1);
	ck_assert_int_eq(launch_choose(&s.c, true, true), LAUNCH_PARALLEL);  /* a pty */
	ck_assert_int_eq(launch_choose(&s.c, false, false), LAUNCH_PARALLEL); /* no pid ns */
	s.policy.network = NET_USER;
	ck_assert_int_eq(launch_choose(&s.c, false, true), LAUNCH_PARALLEL); /* pasta */
	unsetenv("GLOVEBOX_LAUNCH");
}
END_TEST

START_TEST(an_idle_machine_is_not_busy)
{
	ck_assert(!launch_machine_busy("0.00 0.01 0.05 1/98 1234\n", 2));
	/* pid 1 and the supervisor writing it the mounts */
	ck_assert(!launch_machine_busy("0.89 1.18 1.65 2/456 12345\n", 2));
	ck_assert(!launch_machine_busy("1.99 0.50 0.20 2/456 12345\n", 2));
}
END_TEST

START_TEST(a_one_minute_load_of_a_cpu_each_is_busy)
{
	ck_assert(launch_machine_busy("2.00 0.50 0.20 1/98 1234\n", 2));
	ck_assert(launch_machine_busy("12.34 9.00 3.00 1/98 1234\n", 8));
	ck_assert(!launch_machine_busy("7.99 9.00 3.00 1/98 1234\n", 8));
	ck_assert(launch_machine_busy("100.00 9.00 3.00 1/98 1234\n", 64));
}
END_TEST

START_TEST(other_processes_running_on_every_cpu_now_is_busy)
{
	ck_assert(launch_machine_busy("0.10 0.10 0.10 3/98 1234\n", 2));
	ck_assert(!launch_machine_busy("0.10 0.10 0.10 8/98 1234\n", 8));
	ck_assert(launch_machine_busy("0.10 0.10 0.10 9/98 1234\n", 8));
}
END_TEST

START_TEST(one_cpu_is_always_busy)
{
	/* no other CPU to run the command's share of the set-up on */
	ck_assert(launch_machine_busy("0.00 0.00 0.00 1/98 1234\n", 1));
}
END_TEST

START_TEST(a_line_it_cannot_read_is_not_busy)
{
	ck_assert(!launch_machine_busy("", 2));
	ck_assert(!launch_machine_busy("garbage", 2));
	ck_assert(!launch_machine_busy("0.5", 2));
}
END_TEST

RUN_SUITE("launch", an_idle_machine_is_not_busy, a_one_minute_load_of_a_cpu_each_is_busy,
	  other_processes_running_on_every_cpu_now_is_busy, one_cpu_is_always_busy,
	  a_line_it_cannot_read_is_not_busy, a_launch_shares_where_it_can,
	  what_keeps_a_launch_from_sharing, what_is_never_serial_is_never_shared)
