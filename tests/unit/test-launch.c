/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The launch strategy's reading of the machine's load (src/launch/serial.c):
 * busy, and the command's process starts serially, when the one-minute
 * load or the processes running now (but pid 1 itself) fill every CPU
 * glovebox may use. */
#include "launch/internal.h"
#include "testutil.h"

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
	  a_line_it_cannot_read_is_not_busy)
