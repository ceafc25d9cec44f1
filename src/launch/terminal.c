/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "launch/terminal.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* The pty's multiplexer inside: the last `dev` mount's devpts. NULL when
 * the sandbox has none. */
static char *sandbox_ptmx(const struct policy *p)
{
	const char *dev = NULL;
	for (size_t i = 0; i < p->n_mounts; i++)
		if (p->mounts[i].kind == MOUNT_DEV)
			dev = p->mounts[i].dest;
	if (!dev)
		return NULL;
	return xasprintf("%s/pts/ptmx", streq(dev, "/") ? "" : dev);
}

/* A pty pair from the multiplexer at path (relative to the current root):
 * the master, and its peer through TIOCGPTPEER, which needs no path to the
 * slave (nothing to swap in between). 0 or -errno. */
static int open_pty(const char *path, int *master, int *peer)
{
	_cleanup_close_ int m = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
	int unlock = 0;
	if (m < 0 || ioctl(m, TIOCSPTLCK, &unlock) < 0)
		return -errno;
	int s = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (s < 0)
		return -errno;
	*master = steal_fd(&m);
	*peer = s;
	return 0;
}

/* Whether glovebox is in its terminal's foreground: only then are the
 * terminal's modes and keys its to take. A background job (`glovebox …
 * &`) that touched them would be stopped by SIGTTOU or SIGTTIN at once. */
static bool in_foreground(void)
{
	pid_t fg = tcgetpgrp(STDIN_FILENO);
	return fg < 0 || fg == getpgrp();
}

int term_prepare(struct term *t, const struct policy *p, struct diag *d)
{
	*t = (struct term){.host_fd = -1, .peer = -1, .master = -1};
	static const int output_first[] = {STDOUT_FILENO, STDERR_FILENO, STDIN_FILENO};
	for (size_t i = 0; i < ELEMENTSOF(output_first); i++) {
		int fd = output_first[i];
		t->is_tty[fd] = isatty(fd) == 1;
		if (t->is_tty[fd] && t->host_fd < 0)
			t->host_fd = fd;
	}
	if (p->terminal == TERMINAL_HOST) {
		t->mode = TERM_SHARED;
		return 0;
	}
	if (t->host_fd < 0) {
		t->mode = TERM_NONE;
		return 0;
	}
	t->started_in_fg = in_foreground();
	t->ptmx = sandbox_ptmx(p);
	if (t->ptmx) {
		t->mode = TERM_PTY_SANDBOX;
		return 0;
	}
	/* No devpts inside: a pty of the host's, which `tty` inside cannot
	 * name, but which is still not the user's terminal. */
	t->mode = TERM_PTY_HOST;
	int r = open_pty("/dev/ptmx", &t->master, &t->peer);
	if (r < 0)
		return diag_error(d, NULL, "cannot open a pseudo-terminal: %s", strerror(-r));
	return 0;
}

/* The pty starts as the user's terminal is: its modes (erase key, UTF-8
 * input) and its size. Started in the background, the modes are the
 * shell's own of the moment (its line editor's): the pty keeps its
 * defaults then. */
static void copy_terminal(const struct term *t, int to)
{
	struct termios tio;
	struct winsize ws;
	int from = t->host_fd;
	if (t->started_in_fg && tcgetattr(from, &tio) == 0)
		(void)tcsetattr(to, TCSANOW, &tio);
	if (ioctl(from, TIOCGWINSZ, &ws) == 0)
		(void)ioctl(to, TIOCSWINSZ, &ws);
}

void term_use_host_ptmx(struct term *t)
{
	if (t->mode != TERM_PTY_SANDBOX)
		return;
	free(t->ptmx);
	t->ptmx = xstrdup("/dev/ptmx");
}

int term_open(const struct term *t, int *master, int *peer, struct diag *d)
{
	*master = *peer = -1;
	_cleanup_close_ int m = -1, s = -1;
	if (t->mode == TERM_PTY_HOST) {
		s = dup(t->peer);
		if (s < 0)
			return diag_error(d, NULL, "cannot open a pseudo-terminal: %s", strerror(errno));
	} else {
		int r = open_pty(t->ptmx, &m, &s);
		if (r < 0)
			return diag_error(d, NULL, "cannot open a pseudo-terminal at %s: %s",
					  t->ptmx, strerror(-r));
	}
	copy_terminal(t, s);
	if (ioctl(s, TIOCSCTTY, 0) < 0)
		return diag_error(d, NULL, "cannot take the pseudo-terminal: %s", strerror(errno));
	*master = steal_fd(&m);
	*peer = steal_fd(&s);
	return 0;
}

int term_foreground(int peer, pid_t command, struct diag *d)
{
	if (setpgid(command, command) < 0 || tcsetpgrp(peer, command) < 0)
		return diag_error(d, NULL, "cannot give the command the pseudo-terminal: %s",
				  strerror(errno));
	return 0;
}

int term_enter(const struct term *t, int peer, struct diag *d)
{
	if (!term_relays(t))
		return 0;
	for (int fd = 0; fd < 3; fd++)
		if (t->is_tty[fd] && dup2(peer, fd) < 0)
			return diag_error(d, NULL, "cannot put descriptor %d on the pseudo-terminal: %s",
					  fd, strerror(errno));
	return 0;
}

static void set_raw(struct term *t)
{
	if (t->raw || !t->is_tty[STDIN_FILENO] || !in_foreground() ||
	    tcgetattr(STDIN_FILENO, &t->saved) < 0)
		return;
	/* Keys go to the pty as bytes: Ctrl-C, Ctrl-Z and the rest are the
	 * pty's to interpret, by the modes the program inside chose. */
	struct termios raw = t->saved;
	cfmakeraw(&raw);
	t->raw = tcsetattr(STDIN_FILENO, TCSADRAIN, &raw) == 0;
}

static void restore(struct term *t)
{
	if (t->raw)
		(void)tcsetattr(STDIN_FILENO, TCSADRAIN, &t->saved);
	t->raw = false;
}

void term_start(struct term *t, int master)
{
	t->master = master;
	(void)fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
	set_raw(t);
}

void term_poll_fds(const struct term *t, struct pollfd pfds[2])
{
	bool relaying = t->master >= 0;
	pfds[0] = (struct pollfd){.fd = relaying ? t->master : -1,
				  .events = (short)(POLLIN | (t->in_len ? POLLOUT : 0))};
	/* Keys are read only while the terminal is ours (raw): in the
	 * background, reading it would stop glovebox. */
	bool want_input = relaying && t->raw && !t->input_done && t->in_len < sizeof(t->in);
	pfds[1] = (struct pollfd){.fd = want_input ? STDIN_FILENO : -1, .events = POLLIN};
}

/* What the pty wrote, to the user's terminal: 1 when something was
 * passed on, 0 when nothing is there now, -1 once the pty is gone (every
 * descriptor of its other end closed). */
static int pass_output(struct term *t)
{
	char buf[16384];
	ssize_t n;
	while ((n = read(t->master, buf, sizeof(buf))) < 0 && errno == EINTR)
		;
	if (n > 0) {
		(void)write_all(t->host_fd, buf, (size_t)n);
		return 1;
	}
	return n < 0 && errno == EAGAIN ? 0 : -1;
}

bool term_handle(struct term *t, const struct pollfd pfds[2])
{
	if (pfds[1].revents) {
		ssize_t n = read(STDIN_FILENO, t->in + t->in_len, sizeof(t->in) - t->in_len);
		if (n > 0)
			t->in_len += (size_t)n;
		else if (n == 0 || (errno != EINTR && errno != EAGAIN))
			t->input_done = true;
	}
	if (t->in_len) {
		ssize_t n = write(t->master, t->in, t->in_len);
		if (n > 0) {
			memmove(t->in, t->in + n, t->in_len - (size_t)n);
			t->in_len -= (size_t)n;
		}
	}
	if (pfds[0].revents & (POLLIN | POLLHUP | POLLERR))
		return pass_output(t) >= 0;
	return true;
}

void term_resize(const struct term *t)
{
	struct winsize ws;
	if (t->master >= 0 && ioctl(t->host_fd, TIOCGWINSZ, &ws) == 0)
		(void)ioctl(t->master, TIOCSWINSZ, &ws);
}

void term_continued(struct term *t)
{
	if (t->master >= 0)
		set_raw(t);
}

int term_wait_ms(const struct term *t)
{
	bool waiting_for_fg = t->master >= 0 && t->is_tty[STDIN_FILENO] && !t->raw &&
			      !t->input_done;
	return waiting_for_fg ? 200 : -1;
}

void term_suspend(struct term *t)
{
	restore(t);
	/* As if glovebox had stopped with the command: the shell takes the
	 * terminal back, and `fg` (or `bg`) continues us here. */
	kill(getpid(), SIGSTOP);
	set_raw(t);
	term_resize(t);
	int sig = SIGCONT;
	if (t->master >= 0)
		(void)ioctl(t->master, TIOCSIG, sig);
}

void term_finish(struct term *t)
{
	/* The sandbox is gone, so is every descriptor of the pty's other end:
	 * what it wrote last is read out before the end is reported. */
	if (t->master >= 0)
		while (pass_output(t) > 0)
			;
	restore(t);
	closep(&t->master);
	closep(&t->peer);
	t->master = t->peer = -1;
	free(t->ptmx);
	t->ptmx = NULL;
}
