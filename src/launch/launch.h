/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Starting the sandbox and supervising it.
 *
 *   glovebox (supervisor, outside)
 *     └─ clone3(new user, mount, pid, ipc, uts, cgroup namespaces)
 *          pid 1: map ids, fork ─────────────┐
 *          pid 1: mounts, pivot_root         │ the command, on the other CPU:
 *                                            │  network namespace, loopback,
 *                                            │  host name, capabilities,
 *                                            │  rlimits, environment
 *          pid 1: "go" ───────────────────────► working directory, close
 *                                               stray descriptors,
 *                                               no_new_privs, seccomp, exec
 *
 * pid 1 stays behind as the sandbox's init: it reaps, forwards signals and
 * reports the command's exit status once nothing else is left running.
 * The supervisor forwards signals sent to glovebox and returns that
 * status. */
#pragma once

#include "how/seccomp.h"
#include "policy/policy.h"
#include "where/mounts.h"

/* bwrap's --userns2 and --userns-block-fd (src/launch/userns.c). */
struct launch_userns {
	int enter_fd;      /* -1, or: the command moves into this user namespace once set up */
	int maps_ready_fd; /* -1, or: pid 1 writes no id maps; the caller does, once it
			    * has the command's pid (info_fd), and then writes here */
};

struct launch_request {
	const struct policy *policy;
	const struct how_program *how;
	const struct where_env *where;
	int info_fd;   /* -1, or where {"child-pid": N} goes */
	int status_fd; /* -1, or where the child's pid and then its exit code go */
	/* The bwrap front end (src/bwrap/) and keep-fd: */
	const struct how_program *extra_how; /* the caller's programs, loaded before glovebox's */
	size_t n_extra_how;
	const int *keep_fds; /* descriptors that reach the command as they are */
	size_t n_keep_fds;
	bool new_session; /* the command in a session of its own (setsid) */
	/* the command's process fails unless it cannot make a user namespace
	 * under the filters (bwrap's --assert-userns-disabled) */
	bool assert_no_userns;
	int block_fd;     /* -1, or: the command waits for a byte (or the end) on it */
	const char *argv0; /* NULL, or the command's argv[0] in place of its name */
	char *const *lock_files; /* paths inside that pid 1 holds a read lock on */
	size_t n_lock_files;
	/* NULL, or the text for info_fd (multi_line) and status_fd's first
	 * line in place of {"child-pid": N}; freed by the caller. */
	char *(*child_info)(pid_t child, bool multi_line);
	const struct launch_userns *userns; /* NULL: neither */
	/* glovebox entered the caller's pid namespace (bwrap's --pidns): a new
	 * one is made below it (src/launch/pidns.c) */
	bool joined_pidns;
	/* glovebox learn: the filter is loaded with a listener, which goes to
	 * this learner in the supervisor (src/learn/); NULL otherwise. */
	struct learner *learner;
};

/* Runs the sandbox to completion. Returns the exit status glovebox should
 * exit with: the command's own, 128+N for signal N, 125 when the sandbox
 * could not be set up, 126/127 when the command cannot be run. */
int launch_run(const struct launch_request *req);
