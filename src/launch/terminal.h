/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The sandbox never holds the user's terminal.
 *
 * A process that holds a terminal can do far more to it than write:
 * switch its line discipline (TIOCSETD), turn a console's keyboard off
 * (KDSKBMODE), switch virtual terminals, and leave it that way after
 * glovebox is gone; a deny-list of ioctls always misses one. So when any of
 * stdin, stdout and stderr is a terminal, the command gets a
 * pseudo-terminal of its own (from the sandbox's devpts, so that `tty`
 * works inside), the descriptors that were the terminal are put on it,
 * and glovebox relays bytes, window size and job control between the two.
 * When none is a terminal, the command runs in a new session with no
 * controlling terminal. `terminal = host` keeps the old sharing. */
#pragma once

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <termios.h>

#include "diag.h"
#include "policy/policy.h"

enum term_mode {
	TERM_NONE,        /* no terminal among 0, 1, 2: a new session, no controlling terminal */
	TERM_PTY_SANDBOX, /* a pty from the sandbox's own devpts */
	TERM_PTY_HOST,    /* the sandbox has no devpts: a pty the launcher opens */
	TERM_SHARED,      /* terminal = host: the command shares the user's terminal */
};

struct term {
	enum term_mode mode;
	bool is_tty[3];
	int host_fd;       /* the user's terminal: output goes there, its modes change */
	int peer;          /* TERM_PTY_HOST: the pty's other end, for the command */
	char *ptmx;        /* TERM_PTY_SANDBOX: the pty multiplexer's path inside */
	bool started_in_fg; /* glovebox started in its terminal's foreground */
	/* supervisor side */
	int master;        /* -1 until pid 1 hands it over */
	bool raw;          /* the user's terminal is in raw mode, saved below */
	bool input_done;   /* stdin reached its end */
	struct termios saved;
	char in[4096];     /* typed, not yet taken by the pty */
	size_t in_len;
};

/* In the launcher, before the sandbox exists: decide the mode. For
 * TERM_PTY_HOST this opens the pty. 0 or -1 (reported). */
int term_prepare(struct term *t, const struct policy *p, struct diag *d);

/* Without namespaces (fallback = landlock) there is no devpts of the
 * sandbox's own: its pty comes from the host's multiplexer. */
void term_use_host_ptmx(struct term *t);

/* In pid 1, in the new root, for a mode that relays, before the
 * command's process is forked (a process takes its controlling terminal
 * from its parent at fork): open the pty (or take the launcher's) and make
 * it pid 1's controlling terminal. pid 1 leads the sandbox's session, so
 * the command's process group is not orphaned and Ctrl-Z can stop it, as
 * under a shell. *master gets the master the launcher must relay (-1 when
 * the launcher has it), *peer the other end, for the command. 0 or -1
 * (reported). */
int term_open(const struct term *t, int *master, int *peer, struct diag *d);

/* In pid 1: the command's process in a process group of its own, in the
 * pty's foreground, before it can read. 0 or -1 (reported). */
int term_foreground(int peer, pid_t command, struct diag *d);

/* In the command's process, before the filter: the descriptors that were
 * the user's terminal are put on the pty's end peer. 0 or -1 (reported). */
int term_enter(const struct term *t, int peer, struct diag *d);

/* Whether the mode puts the sandbox in a session of its own. */
static inline bool term_own_session(const struct term *t)
{
	return t->mode != TERM_SHARED;
}

/* Whether there is a pty for the launcher to relay. */
static inline bool term_relays(const struct term *t)
{
	return t->mode == TERM_PTY_SANDBOX || t->mode == TERM_PTY_HOST;
}

/* In the launcher: start relaying through master (raw mode on the user's
 * terminal when input comes from it). Takes the descriptor. */
void term_start(struct term *t, int master);

/* The descriptors the relay waits on, in pfds[0..1]; term_handle acts on
 * what poll reported. term_handle returns false once the pty is gone. */
void term_poll_fds(const struct term *t, struct pollfd pfds[2]);
bool term_handle(struct term *t, const struct pollfd pfds[2]);

/* glovebox may have come to the foreground (`fg` after `&`): the keys
 * and the terminal's modes are then its to take. A shell's `fg` of a
 * running job sends no signal, so the supervisor looks again after each
 * wait, and waits at most term_wait_ms() while it is in the background. */
void term_continued(struct term *t);
int term_wait_ms(const struct term *t);

/* SIGWINCH: the pty takes the user's terminal's size. */
void term_resize(const struct term *t);

/* The command stopped (Ctrl-Z inside): give the user's terminal back, stop
 * glovebox as the shell expects, and once continued (fg) take it again
 * and continue the pty's foreground jobs. */
void term_suspend(struct term *t);

/* The sandbox is gone: pass on what it wrote last, restore the user's
 * terminal, close everything. */
void term_finish(struct term *t);
