/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* network = user: pasta (Debian's passt package) connects the sandbox's
 * network namespace to the host's network, and forwards the profile's
 * ports into it.
 *
 *   supervisor              the command's process
 *   pasta_prepare           (clone)
 *                           its network namespace, loopback up
 *   pasta_start  <───────── pasta_announce: the namespace, as a descriptor
 *     fork, exec pasta on it
 *     pasta's pid file: up
 *                ─────────► pasta_wait, then exec the command
 *   pasta_stop, once the sandbox has ended
 *
 * pasta runs outside the sandbox, in the host's filesystem (then in an
 * empty one of its own), with the user's own uid, and holds only the
 * namespace descriptors. It is glovebox's child with a parent-death
 * signal, so it ends with glovebox even after `kill -9`. */
#pragma once

#include <sys/types.h>

#include "diag.h"
#include "policy/policy.h"

struct pasta {
	char *path; /* the pasta binary */
	int sock;   /* the supervisor's end of the channel to the command's process */
	int peer;   /* the command's end; -1 unless network = user */
	pid_t pid;  /* pasta, once started */
};

/* Before the sandbox is made: with network = user, find pasta and
 * /dev/net/tun (a missing one is said in one line, with the package to
 * install) and open the channel. 0 or -1 (reported). */
int pasta_prepare(struct pasta *pa, const struct policy *p, struct diag *d);

/* The command's process, in its new network namespace (with the user
 * namespace's capabilities still held): hand the namespace to the
 * supervisor. 0 or -1 (reported). */
int pasta_announce(struct pasta *pa, struct diag *d);

/* The command's process, before exec: wait until pasta has the
 * interface up. 0, or -1 when pasta did not start (the supervisor said
 * why). */
int pasta_wait(struct pasta *pa);

/* The supervisor, once the sandbox is cloned: start pasta on the
 * announced namespace and wait for its interface, then let the command
 * go. Stops waiting when the sandbox (sandbox_pidfd) ends first. On
 * failure, pasta's own words are passed on and the command is left to
 * exit 125. 0 or -1. */
int pasta_start(struct pasta *pa, const struct policy *p, int sandbox_pidfd, struct diag *d);

/* The sandbox has ended: pasta is killed and reaped, the rest freed. */
void pasta_stop(struct pasta *pa);

/* pasta's command line for the policy's forwards, run as uid:gid; with
 * userns, it enters the sandbox's user namespace too. */
void pasta_argv(const struct policy *p, uid_t uid, gid_t gid, bool userns, struct strv *argv);
