/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* [limits] processes: how this kernel holds the count, and the steps that
 * apply it. */
#pragma once

#include "diag.h"
#include "policy/policy.h"

enum process_limit {
	PROCESS_LIMIT_NONE,    /* no processes = N */
	PROCESS_LIMIT_PID_MAX, /* kernel.pid_max of the sandbox's pid namespace */
	PROCESS_LIMIT_NPROC,   /* RLIMIT_NPROC, counted in the sandbox's user namespace */
};

/* The mechanism that holds processes = N for this policy on this kernel. */
enum process_limit what_process_limit(const struct policy *p);

/* pid 1, in the sandbox's new pid namespace, before it builds the root
 * and before the command's process forks: the namespace's pid_max, when
 * that is the mechanism. command_started: the command's process exists
 * already (as pid 2), and counts. */
int what_limit_pid_namespace(const struct policy *p, bool command_started, struct diag *d);

/* The same for a command's process that pid 1 starts only once the root
 * is built (a serial launch, src/launch/serial.c), which should still be
 * pid 2: pid_max is set as if it ran, and *last_pid gets a descriptor on
 * ns_last_pid (-1 when pid_max is not the mechanism), which the command's
 * process, once it exists, writes with what_limit_pids_from_now before
 * anything else can start a process. */
int what_limit_pid_namespace_later(const struct policy *p, int *last_pid, struct diag *d);
int what_limit_pids_from_now(int last_pid, struct diag *d);

/* The command's process, with the other rlimits: RLIMIT_NPROC, when
 * that is the mechanism and the profile sets no nproc of its own. */
/* no_pidns: the sandbox has no pid namespace whatever the policy says
 * (fallback = landlock), so only the rlimit can hold the count. */
int what_limit_nproc(const struct policy *p, bool no_pidns, struct diag *d);
