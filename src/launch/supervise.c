/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The supervisor: glovebox itself, outside the sandbox, once pid 1 runs.
 * It passes signals on, relays the pty, enforces the timeout, reports the
 * command's pid and status to whoever asked, answers glovebox learn's
 * notifications, and returns the status. */
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/pidfd.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launch/internal.h"
#include "learn/learn.h"

static void write_json(int fd, const char *fmt, ...) _printf_(2, 3);
static void write_json(int fd, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0 && (size_t)n < sizeof(buf))
		(void)write_all(fd, buf, (size_t)n);
}


static int report_exit(struct supervisor *s, int code, int sig)
{
	s->signal = sig;
	if (s->json_fd >= 0) {
		if (sig)
			write_json(s->json_fd, "{\"exit-code\": %d, \"exit-signal\": %d}\n", code,
				   sig);
		else
			write_json(s->json_fd, "{\"exit-code\": %d}\n", code);
	}
	return code;
}

/* The front end's own account of the command (bwrap's, with the
 * namespaces' ids), one multi-line text on --info-fd and one line first on
 * --json-status-fd. */
static void report_child_info(const struct supervisor *s, pid_t child)
{
	const int fds[] = {s->info_fd != s->json_fd ? s->info_fd : -1, s->json_fd};
	for (size_t i = 0; i < ELEMENTSOF(fds); i++) {
		if (fds[i] < 0)
			continue;
		_cleanup_free_ char *text = s->child_info(child, i == 0);
		if (text)
			(void)write_all(fds[i], text, strlen(text));
	}
}

/* The command's process reported its pid, and the pty when it made one. */
static bool on_report(struct supervisor *s)
{
	int master;
	pid_t child;
	char kind = receive_report(s->report_fd, &child, &master);
	if (kind == 'm' && master >= 0)
		term_start(s->term, master);
	else if (kind == 'l' && master >= 0 && s->learner)
		learner_take_listener(s->learner, master);
	else
		closep(&master);
	if (kind != 'p')
		return kind != 0;
	if (child > 0 && s->child_info)
		report_child_info(s, child);
	if (child > 0 && s->child_info)
		(void)!write(s->report_fd, "i", 1); /* the command may go on */
	if (child > 0 && !s->child_info && s->info_fd >= 0 && s->info_fd != s->json_fd)
		write_json(s->info_fd, "{\"child-pid\": %d}\n", (int)child);
	if (child > 0 && !s->child_info && s->json_fd >= 0)
		write_json(s->json_fd, "{\"child-pid\": %d}\n", (int)child);
	/* closed, so that its reader sees the end; unless the exit status is
	 * still to come on it */
	if (s->info_fd != s->json_fd)
		closep(&s->info_fd);
	s->info_fd = -1;
	return true;
}

/* A signal for glovebox. With the sandbox in a session of its own, every
 * one is passed on, the terminal's too (Ctrl-C when no descriptor is the
 * terminal); sharing the terminal, one the kernel sent on the terminal's
 * behalf already reached the command with the foreground process group. */
static void on_signal(const struct supervisor *s, int sfd)
{
	struct signalfd_siginfo si;
	if (read(sfd, &si, sizeof(si)) != sizeof(si))
		return;
	if (si.ssi_signo == SIGWINCH && term_relays(s->term)) {
		term_resize(s->term);
		return;
	}
	if (term_own_session(s->term) || sent_by_process(si.ssi_code))
		pidfd_send_signal(s->pidfd, (int)si.ssi_signo, NULL, 0);
}

enum {
	PFD_STATUS,
	PFD_PIDFD,
	PFD_SIGNALS,
	PFD_REPORT,
	PFD_TIMER,
	PFD_NOTIFY,
	PFD_PTY,
	PFD_INPUT,
	PFD_COUNT
};

/* How long a sandbox asked to end (timeout) has before it is killed. */
#define TIMEOUT_GRACE_MS 5000

static int arm_timer(uint64_t ms)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	struct itimerspec when = {.it_value = {.tv_sec = (time_t)(ms / 1000),
					       .tv_nsec = (long)(ms % 1000) * 1000000}};
	if (fd >= 0 && timerfd_settime(fd, 0, &when, NULL) < 0)
		closep(&fd);
	return fd;
}

/* timeout: first SIGTERM, passed on to the command as any signal to
 * glovebox is (pid 1 ends what is left once it exits, or at once when it
 * already has); then SIGKILL to pid 1, which ends its pid namespace with
 * everything in it. */
static void on_timer(struct supervisor *s, int *timer)
{
	uint64_t expirations;
	(void)!read(*timer, &expirations, sizeof(expirations));
	closep(timer);
	if (!s->timed_out) {
		s->timed_out = true;
		pidfd_send_signal(s->pidfd, SIGTERM, NULL, 0);
		*timer = arm_timer(TIMEOUT_GRACE_MS);
	} else {
		pidfd_send_signal(s->pidfd, SIGKILL, NULL, 0);
	}
}

/* What the supervisor waits on, besides the supervisor's own
 * descriptors. */
struct watch {
	struct pollfd pfds[PFD_COUNT];
	int sfd;   /* the signals to pass on */
	int timer; /* timeout, then its grace */
	struct footprint fp;
	bool pty_open, learner_done;
};

static void watch_close(struct watch *w)
{
	closep(&w->sfd);
	closep(&w->timer);
}

/* Without the signals or the timer the sandbox could outlive what it was
 * promised: it is killed (and supervise() still reports its end). */
static void watch_start(const struct supervisor *s, struct watch *w)
{
	sigset_t set;
	forward_set(&set);
	w->sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (w->sfd < 0) {
		fprintf(stderr, "glovebox: signalfd: %s\n", strerror(errno));
		kill(s->pid, SIGKILL);
	}
	w->pfds[PFD_STATUS] = (struct pollfd){.fd = s->status_fd, .events = POLLIN};
	w->pfds[PFD_PIDFD] = (struct pollfd){.fd = s->pidfd, .events = POLLIN};
	w->pfds[PFD_SIGNALS] = (struct pollfd){.fd = w->sfd, .events = POLLIN};
	w->pfds[PFD_REPORT] = (struct pollfd){.fd = s->report_fd, .events = POLLIN};
	w->timer = s->timeout_ms ? arm_timer(s->timeout_ms) : -1;
	if (s->timeout_ms && w->timer < 0) {
		fprintf(stderr, "glovebox: cannot arm the timeout: %s\n", strerror(errno));
		kill(s->pid, SIGKILL);
	}
	w->pty_open = true;
}

/* Waits for something to happen; false when a signal interrupted the
 * wait. */
static bool watch_poll(const struct supervisor *s, struct watch *w)
{
	struct pollfd *pfds = w->pfds;
	pfds[PFD_TIMER] = (struct pollfd){.fd = w->timer, .events = POLLIN};
	/* until every process under the filter is gone (POLLHUP) */
	if (s->learner && !w->learner_done)
		pfds[PFD_NOTIFY] = (struct pollfd){.fd = learner_fd(s->learner), .events = POLLIN};
	else
		pfds[PFD_NOTIFY].fd = -1;
	if (w->pty_open) {
		term_continued(s->term);
		term_poll_fds(s->term, &pfds[PFD_PTY]);
	} else {
		pfds[PFD_PTY].fd = pfds[PFD_INPUT].fd = -1;
	}
	int wait = footprint_wait_ms(&w->fp, w->pty_open ? term_wait_ms(s->term) : -1);
	int ready = poll(pfds, PFD_COUNT, wait);
	if (ready < 0) {
		if (errno == EINTR)
			return false;
		kill(s->pid, SIGKILL);
	}
	if (ready == 0)
		footprint_idle(&w->fp);
	return true;
}

/* pid 1 reports the command's status once nothing else is left running;
 * what remains is the kernel's teardown. 1: *code is glovebox's status;
 * 0: the command stopped (Ctrl-Z), and so does glovebox; -1: pid 1 died
 * without a report. */
static int on_status(struct supervisor *s, int *code)
{
	struct status_msg m;
	if (read(s->status_fd, &m, sizeof(m)) != sizeof(m))
		return -1;
	if (m.kind == STATUS_STOPPED) {
		term_suspend(s->term);
		return 0;
	}
	*code = m.kind == STATUS_KILLED ? report_exit(s, 128 + m.value, m.value)
					: report_exit(s, m.value, 0);
	return 1;
}

/* pid 1 is gone: true with its status in *code, false when a signal
 * interrupted the wait. */
static bool on_pid_1_gone(struct supervisor *s, int *code)
{
	siginfo_t info = {0};
	if (waitid((idtype_t)P_PIDFD, (id_t)s->pidfd, &info, WEXITED) < 0) {
		if (errno == EINTR)
			return false;
		fprintf(stderr, "glovebox: waitid: %s\n", strerror(errno));
		*code = report_exit(s, 125, 0);
		return true;
	}
	*code = report_exit(s, exit_code(info.si_code, info.si_status),
			    exit_signal(info.si_code, info.si_status));
	return true;
}

/* What poll found: true with glovebox's status in *code once the sandbox
 * has ended. */
static bool on_ready(struct supervisor *s, struct watch *w, int *code)
{
	struct pollfd *pfds = w->pfds;
	if (pfds[PFD_PTY].revents || pfds[PFD_INPUT].revents)
		w->pty_open = term_handle(s->term, &pfds[PFD_PTY]);
	if (pfds[PFD_TIMER].revents)
		on_timer(s, &w->timer);
	if (pfds[PFD_NOTIFY].revents & POLLIN)
		learner_handle(s->learner);
	else if (pfds[PFD_NOTIFY].revents)
		w->learner_done = true;
	if (pfds[PFD_REPORT].revents) {
		if (!on_report(s))
			pfds[PFD_REPORT].fd = -1; /* every sender is gone */
		return false;
	}
	if (pfds[PFD_STATUS].revents) {
		int r = on_status(s, code);
		if (r >= 0)
			return r == 1;
		pfds[PFD_STATUS].fd = -1;
	}
	if (pfds[PFD_PIDFD].revents)
		return on_pid_1_gone(s, code);
	if (w->sfd >= 0 && pfds[PFD_SIGNALS].revents)
		on_signal(s, w->sfd);
	return false;
}

int supervise(struct supervisor *s)
{
	_cleanup_(watch_close) struct watch w = {.sfd = -1, .timer = -1};
	watch_start(s, &w);
	int code;
	for (;;)
		if (watch_poll(s, &w) && on_ready(s, &w, &code))
			return code;
}
