/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* processes = N, per sandbox.
 *
 * Three counters could hold it:
 * - cgroup v2's pids.max: exact, but only in a delegated cgroup, which
 *   most users and machines do not have.
 * - RLIMIT_NPROC: since the ucounts rework (Linux 5.14) it is counted per
 *   user namespace and uid, so in the sandbox's own user namespace it
 *   counts the sandbox alone. But the kernel skips the check for the
 *   host's root and for holders of CAP_SYS_RESOURCE or CAP_SYS_ADMIN, so
 *   a sandbox that root starts is not bounded at all.
 * - kernel.pid_max of the sandbox's own pid namespace (Linux 6.14+): a
 *   process cannot be created without a pid in every pid namespace it
 *   belongs to, nested ones included, and the sandbox's pid 1 (capable in
 *   the user namespace that owns it) can lower it, whoever runs glovebox.
 * So pid_max where the kernel has it, RLIMIT_NPROC otherwise.
 *
 * pid_max bounds pid numbers, not processes: once the numbers wrap, new
 * pids come from RESERVED_PIDS (300) up. Setting ns_last_pid to 300 first
 * makes every pid from then on come from 300 up, so pid_max = 300 + N
 * leaves room for exactly N processes besides pid 1; one less when the
 * command already runs as pid 2, below them. */
#include "what/limits.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#define RESERVED_PIDS 300

/* pid_max became a setting of each pid namespace in Linux 6.14. Before,
 * it is one host-wide value, which root could write from inside: the
 * version decides, not a trial write. */
static bool pid_max_per_namespace(void)
{
	struct utsname u;
	if (uname(&u) < 0)
		return false;
	char *end;
	unsigned long major = strtoul(u.release, &end, 10);
	if (*end != '.')
		return false;
	unsigned long minor = strtoul(end + 1, &end, 10);
	return major > 6 || (major == 6 && minor >= 14);
}

enum process_limit what_process_limit(const struct policy *p)
{
	if (!p->processes)
		return PROCESS_LIMIT_NONE;
	if ((p->unshare & CLONE_NEWPID) && pid_max_per_namespace())
		return PROCESS_LIMIT_PID_MAX;
	return PROCESS_LIMIT_NPROC;
}

static int write_sysctl(const char *path, unsigned value)
{
	char buf[16];
	int n = snprintf(buf, sizeof(buf), "%u", value);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int r = write(fd, buf, (size_t)n) == n ? 0 : -errno;
	close(fd);
	return r;
}

int what_limit_pid_namespace(const struct policy *p, bool command_started, struct diag *d)
{
	if (what_process_limit(p) != PROCESS_LIMIT_PID_MAX)
		return 0;
	/* The pid sysctls are those of the writer's own pid namespace,
	 * whichever proc they are reached through. */
	unsigned pid_max = RESERVED_PIDS + p->processes - (command_started ? 1 : 0);
	int r = write_sysctl("/proc/sys/kernel/ns_last_pid", RESERVED_PIDS);
	if (r == 0)
		r = write_sysctl("/proc/sys/kernel/pid_max", pid_max);
	if (r < 0)
		return diag_error(d, &p->processes_s.origin,
				  "cannot limit the sandbox's processes (kernel.pid_max): %s",
				  strerror(-r));
	return 0;
}

int what_limit_pid_namespace_later(const struct policy *p, int *last_pid, struct diag *d)
{
	*last_pid = -1;
	if (what_process_limit(p) != PROCESS_LIMIT_PID_MAX)
		return 0;
	/* Opened now: the new root hides /proc/sys. The writer's own pid
	 * namespace is the one written, whoever opened it. */
	*last_pid = open("/proc/sys/kernel/ns_last_pid", O_WRONLY | O_CLOEXEC);
	int r = *last_pid < 0 ? -errno
			      : write_sysctl("/proc/sys/kernel/pid_max", RESERVED_PIDS + p->processes - 1);
	if (r < 0)
		return diag_error(d, &p->processes_s.origin,
				  "cannot limit the sandbox's processes (kernel.pid_max): %s",
				  strerror(-r));
	return 0;
}

int what_limit_pids_from_now(int last_pid, struct diag *d)
{
	if (last_pid < 0)
		return 0;
	char buf[16];
	int n = snprintf(buf, sizeof(buf), "%d", RESERVED_PIDS);
	if (pwrite(last_pid, buf, (size_t)n, 0) != n)
		return diag_error(d, NULL, "cannot limit the sandbox's processes "
					   "(kernel.ns_last_pid): %s", strerror(errno));
	return 0;
}

int what_limit_nproc(const struct policy *p, bool no_pidns, struct diag *d)
{
	struct rlimit now;
	bool nproc = what_process_limit(p) == PROCESS_LIMIT_NPROC || (p->processes && no_pidns);
	if (!nproc || p->rlimits[RLIMIT_NPROC].set ||
	    getrlimit(RLIMIT_NPROC, &now) < 0)
		return 0;
	/* The count takes in the sandbox's pid 1 (same uid, same user
	 * namespace), which pid_max leaves out: one more. A lower limit that
	 * the user already has stays. */
	rlim_t want = (rlim_t)p->processes + 1;
	rlim_t n = want < now.rlim_max ? want : now.rlim_max;
	struct rlimit lim = {n, n};
	if (setrlimit(RLIMIT_NPROC, &lim) < 0)
		return diag_error(d, &p->processes_s.origin,
				  "cannot limit the sandbox's processes (RLIMIT_NPROC): %s",
				  strerror(errno));
	return 0;
}
