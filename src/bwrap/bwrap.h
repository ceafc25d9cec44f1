/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The bwrap front end: bubblewrap's command line, with bubblewrap's
 * meaning, parsed into glovebox's struct policy.
 *
 * Called as `bwrap` (a link of that name) or as `glovebox bwrap ARGS...`.
 * The parser reads the descriptors some options name (--args, --file,
 * --bind-data, --seccomp) and makes no other system call, so it is
 * unit-tested with pipes. Running the result is bwrap_main's (run.c). */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "how/seccomp.h"
#include "policy/policy.h"

/* What the parser needs to know about the caller: bwrap's defaults depend
 * on it (an unprivileged user always gets a user namespace; root keeps its
 * capabilities). */
struct bwrap_caller {
	uid_t uid;
	gid_t gid;
	uint64_t bounding; /* the caller's bounding set: root's sandbox keeps it */
	bool selinux; /* SELinux is on (--exec-label and --file-label are refused either way) */
};

/* Everything the command line asked for that is not policy: descriptors
 * and the launcher's own behaviour. */
struct bwrap_request {
	bool help, version;
	bool no_command; /* bwrap_parse failed for want of a command: show the usage */
	int info_fd, json_fd, block_fd, sync_fd; /* -1 when not given */
	/* -1 when not given: --userns (joined instead of a new one), --pidns
	 * (joined: the sandbox's processes are made in it), --userns2 (the
	 * command moves into it once set up) and --userns-block-fd (the
	 * caller writes the id maps, then to it). bwrap_join_namespaces and
	 * the launcher use them. */
	int userns_fd, pidns_fd, userns2_fd, userns_block_fd;
	struct how_program *seccomp; /* --seccomp and --add-seccomp-fd, in order */
	size_t n_seccomp;
	bool die_with_parent, new_session;
	bool as_pid_1; /* --as-pid-1: the command is the pid namespace's pid 1 (run.c checks) */
	bool level_prefix;
	char *argv0; /* --argv0, or NULL */
	struct strv lock_files; /* --lock-file, normalised */
	bool userns_disabled; /* --disable-userns: the command may make no user namespace */
	bool assert_userns_disabled; /* --assert-userns-disabled: the command checks it cannot */
	int *consumed; /* the descriptors used up: read and closed (--args, --file...), or held for a bind (--bind-fd) */
	size_t n_consumed;
};

/* Parse argv (argv[0] is the program's name) into p (after policy_init)
 * and r. Errors go to d, whose prefix is "bwrap: ". The command lands in
 * p->argv. 0, or -1 (reported: bwrap exits 1). */
int bwrap_parse(int argc, char **argv, const struct bwrap_caller *caller, struct policy *p,
		struct bwrap_request *r, struct diag *d);
void bwrap_request_free(struct bwrap_request *r);

/* bwrap's --help, naming glovebox; argv0 as called. */
void bwrap_usage(FILE *f, const char *argv0);

/* Whether glovebox was called as bwrap: argv[0]'s base name. */
bool bwrap_invoked_as(const char *argv0);

/* namespaces.c: --userns and --pidns entered by glovebox itself before
 * it makes the sandbox's other namespaces, and --uid and --gid taken
 * in the joined user namespace, in bwrap's order and words. 0, or -1
 * (reported: bwrap exits 1). */
int bwrap_join_namespaces(const struct bwrap_request *r, const struct policy *p,
			  const struct bwrap_caller *caller, struct diag *d);

/* The whole bwrap mode: parse, build and run. Returns the exit status. */
int bwrap_main(int argc, char **argv);

/* bubblewrap's options, for the completions: the i-th option's name (with
 * its dashes), or NULL past the last, and what it takes. */
const char *bwrap_option(size_t i, unsigned *nargs, const char **metavar, const char **help);
