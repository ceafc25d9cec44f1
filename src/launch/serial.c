/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* How pid 1 starts the command's process: in parallel or serially.
 *
 * Parallel (init.c, command.c): pid 1 forks the command's process at
 * once, and it makes its network namespace and drops its capabilities on
 * another CPU while pid 1 builds the filesystem. On an idle machine that
 * saves wall time (about 0.7 ms a launch on the 2-CPU VM this is
 * developed on). But the fork copies pid 1's page tables, the two then
 * take copy-on-write faults on the pages both write, and the command's
 * exec tears that copy down again: CPU time that a busy machine, with no
 * idle CPU to run the other half on, pays for nothing.
 *
 * Serial (here): pid 1 builds the filesystem alone, makes the network
 * namespace and sets the host name itself, seals itself (undumpable, the
 * held bind sources closed: init.c) and only then starts the command's
 * process with vfork: no page tables copied, no copy-on-write faults,
 * nothing to tear down at exec, and no "go" to wait for. The command's
 * process does the rest of its share as in the parallel path (the same
 * code, run_command: capabilities, limits, no_new_privs, Landlock,
 * seccomp) in the network namespace pid 1 made. Measured on the busy
 * 2-CPU VM, both paths forced, interleaved, with two launches in flight
 * (bench/throughput 200 2 5): as nobody 28.2 ms of CPU time per launch
 * (the whole tree) against 33.5 ms, 60.6 launches/s against 50.4; as
 * root 25.3 ms against 29.1 ms. Idle, the prototype started about 0.7 ms
 * later. So the launch is serial when the machine is busy.
 *
 * Shared (shared.c): serially, pid 1 in the supervisor's address space,
 * which costs less still, idle as well; used wherever it can be.
 *
 * GLOVEBOX_LAUNCH=parallel, serial or shared forces one (tests,
 * benchmarks); shared where it can be, else serial. */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "launch/internal.h"
#include "trace.h"
#include "where/namespaces.h"

#define STRATEGY_VAR "GLOVEBOX_LAUNCH"

/* "12.34" of /proc/loadavg as hundredths; *s moves past it. */
static long parse_centi(const char **s)
{
	char *end;
	long whole = strtol(*s, &end, 10), frac = 0;
	if (*end == '.' && end[1] >= '0' && end[1] <= '9' && end[2] >= '0' && end[2] <= '9')
		frac = (end[1] - '0') * 10 + (end[2] - '0');
	*s = end + strcspn(end, " ");
	return whole * 100 + frac;
}

bool launch_machine_busy(const char *loadavg, int cpus)
{
	if (cpus < 2)
		return true; /* no other CPU to run the command's share on */
	/* "LOAD1 LOAD5 LOAD15 RUNNING/TOTAL LASTPID" */
	const char *s = loadavg;
	long load1 = parse_centi(&s);
	s += strspn(s, " ");
	(void)parse_centi(&s);
	s += strspn(s, " ");
	(void)parse_centi(&s);
	s += strspn(s, " ");
	long running = strtol(s, NULL, 10);
	/* Running now, but for pid 1 itself: a CPU for each? The one-minute
	 * average also catches a build between two of its steps. */
	return load1 >= cpus * 100L || running - 1 >= cpus;
}

/* The CPUs glovebox may run on, and what runs on the machine now: one
 * read of /proc/loadavg. */
static bool busy_now(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		return false;
	char buf[128];
	_cleanup_close_ int fd = open("/proc/loadavg", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return false; /* unknown: as glovebox always did */
	buf[n] = '\0';
	return launch_machine_busy(buf, CPU_COUNT(&set));
}

/* bwrap's --info-fd and --json-status-fd name the command's namespaces,
 * which the supervisor reads from /proc/PID/ns: a vfork child shares pid
 * 1's undumpable memory, and its /proc entries are root's then. */
static bool reports_namespaces(const struct launch_request *req)
{
	return req->child_info && (req->info_fd >= 0 || req->status_fd >= 0);
}

/* Whether pid 1 can start the command's process serially at all. Only
 * the common case. Not: with a pty or as-pid-1 (late already); without
 * namespaces; with pasta, which waits for the namespace before the
 * filesystem is done; when the caller maps the ids or gives a second user
 * namespace; for glovebox learn; with --block-fd, which waits in the
 * command's process while pid 1, paused in vfork, could not watch
 * glovebox; below a joined pid namespace (bwrap's --pidns), where pid 1
 * is handed over; without a pid namespace of pid 1's own, whose end takes
 * the paused command's process with it. */
static bool serial_possible(const struct child_ctx *c, bool late, bool own_pidns)
{
	const struct launch_request *req = c->req;
	return !(late || c->fallback || !own_pidns || req->policy->network == NET_USER ||
		 req->userns || req->joined_pidns || req->learner || req->block_fd >= 0 ||
		 reports_namespaces(req));
}

enum launch_path launch_choose(const struct child_ctx *c, bool late, bool own_pidns)
{
	if (!serial_possible(c, late, own_pidns))
		return LAUNCH_PARALLEL;
	const char *forced = getenv(STRATEGY_VAR);
	if (forced && strcmp(forced, "parallel") == 0)
		return LAUNCH_PARALLEL;
	if (forced && strcmp(forced, "serial") == 0)
		return LAUNCH_SERIAL;
	/* One address space costs least, busy or idle (shared.c) */
	if (launch_can_share(c))
		return LAUNCH_SHARED;
	if (forced && strcmp(forced, "shared") == 0)
		return LAUNCH_SERIAL;
	return busy_now() ? LAUNCH_SERIAL : LAUNCH_PARALLEL;
}

pid_t start_command_serially(struct child_ctx *c, struct diag *d)
{
	TRACE_POINT("serial");
	c->go_fd = -1;
	c->net_fd = -1;
	/* vfork: the command's process borrows pid 1's memory, pid 1 waits
	 * until it execs or exits. It changes nothing that pid 1 reads
	 * afterwards (its allocations stay behind as garbage), and what it
	 * drops (capabilities, limits) and sets (no_new_privs, Landlock,
	 * seccomp) is its own, not the address space's. While it waits (for
	 * the supervisor's word with --info-fd), pid 1 has nothing to do but
	 * pass signals on, which wait for it; a SIGKILL (its death signal,
	 * the supervisor's timeout) still ends it, and with it the pid
	 * namespace. */
	pid_t pid = vfork(); /* NOLINT(clang-analyzer-security.insecureAPI.vfork) */
	/* More than exec and _exit after vfork, on purpose: see above. */
	if (pid == 0)
		run_command(c); /* NOLINT(clang-analyzer-unix.Vfork) */
	closep(&c->last_pid); /* the command's process wrote it (process limit) */
	if (pid < 0) {
		diag_error(d, NULL, "cannot start the command: %s", strerror(errno));
		_exit(125);
	}
	return pid;
}
