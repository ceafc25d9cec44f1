/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* [dbus]: the session bus through xdg-dbus-proxy's filter.
 *
 *   build the policy   dbusproxy_plan: the proxy's socket, at a host path
 *                      chosen now, bound at $XDG_RUNTIME_DIR/bus inside
 *   before the clone   dbusproxy_start: a private directory, the proxy
 *                      forked and exec'd, its readiness byte awaited
 *   sandbox ended      dbusproxy_stop: killed, reaped, socket removed
 *
 * The proxy runs outside the sandbox, as the user, with an empty
 * environment. It is glovebox's child with a parent-death signal, and it
 * holds the write end of a pipe whose read end only glovebox holds
 * (--fd): it exits once that closes, so it ends with glovebox even after
 * `kill -9`. */
#pragma once

#include <sys/types.h>

#include "diag.h"
#include "policy/policy.h"

struct dbusproxy {
	int ready; /* glovebox's end of the proxy's --fd; -1 when none runs */
	pid_t pid;
	char *socket; /* the proxy's socket on the host, once its directory exists */
};

/* After the policy is built: the host directory for the proxy's socket
 * ($XDG_RUNTIME_DIR, else $TMPDIR or /tmp; one per glovebox process),
 * and the mounts and variable that policy_plan_dbus adds. 0 or -1. */
int dbusproxy_plan(struct policy *p, struct diag *d);

/* Before the sandbox is made: with a filtered session bus, start the
 * proxy on $DBUS_SESSION_BUS_ADDRESS and wait until its socket listens.
 * A missing proxy or bus is said in one line. 0 or -1 (reported). */
int dbusproxy_start(struct dbusproxy *dp, const struct policy *p, struct diag *d);

/* The sandbox has ended: the proxy is killed and reaped, its socket and
 * directory removed. */
void dbusproxy_stop(struct dbusproxy *dp);

/* xdg-dbus-proxy's command line for the policy's rules. */
void dbusproxy_argv(const struct policy *p, const char *address, const char *socket,
		    struct strv *argv);
