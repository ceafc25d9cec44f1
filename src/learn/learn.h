/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* glovebox learn: run a command under BASE, with every call BASE refuses
 * reported to the supervisor (seccomp user notification) and let through,
 * and write a profile that allows what it used.
 *
 *   command's process: loads the filter with a listener, sends the
 *                      listener to the supervisor on the report socket
 *   supervisor:        each notification: record the call (its socket
 *                      family, ioctl request, path), answer "continue"
 *
 * No ptrace and no LD_PRELOAD: static and Go programs are seen too. */
#pragma once

#include <stdio.h>
#include <sys/socket.h>

#include "diag.h"
#include "how/seccomp.h"
#include "learn/record.h"
#include "policy/policy.h"

/* The command's report socket, moved to this number before the filter is
 * loaded, and the flags it sends the listener with: the one sendmsg the
 * learn filter lets through unreported. Until the supervisor holds the
 * listener nobody answers a report, so reporting the sendmsg that hands
 * it over would wait forever. A program's own sendmsg on this descriptor
 * with exactly these flags goes unseen. */
#define LEARN_REPORT_FD 200
#define LEARN_SEND_FLAGS (MSG_NOSIGNAL | MSG_DONTWAIT | MSG_EOR)

/* listen.c: the supervisor's side. */
struct learner;

/* The watch program that reports the calls whose arguments are recorded
 * (open, exec, socket, ioctl), whatever BASE says of them. */
void learn_watch_program(struct how_program *out);
struct learner *learner_new(void);
void learner_free(struct learner *l);
/* The listener, once the command's process sent it; -1 before. */
int learner_fd(const struct learner *l);
void learner_take_listener(struct learner *l, int fd);
/* One notification: record it, let the call go on. */
void learner_handle(struct learner *l);
struct learn_record *learner_record(struct learner *l);

/* learn.c: the subcommand around the launch. */
/* The kernel can report and continue calls (Linux 5.5): 0, or -1 after
 * saying what is missing. */
int learn_check_kernel(struct diag *d);
/* The filter for a learning run of policy p (never cached). */
int learn_compile(const struct policy *p, struct how_program *out, struct diag *d);
/* Write OUT after the run (merged with what it holds, with merge):
 * returns 0, or -1 after reporting. */
int learn_write(struct learner *l, const struct policy *base, const struct strv *profiles,
		char *const *argv, size_t argc, const char *out, bool merge, struct diag *d);
