/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Between the launcher's three processes: the supervisor (supervise.c),
 * the sandbox's pid 1 (init.c) and the command's process (command.c),
 * started by launch.c. What they share: the context pid 1 and the command
 * start from, the pipes between them, and the messages they exchange
 * (messages.c). */
#pragma once

#include <sched.h>
#include <signal.h>
#include <stdint.h>

#include "diag.h"
#include "launch/launch.h"
#include "launch/terminal.h"
#include "where/landlock.h"
#include "where/pasta.h"

struct child_ctx {
	const struct launch_request *req;
	uid_t uid;
	gid_t gid;
	sigset_t orig_mask;
	int supervisor_pidfd;
	int status_fd; /* pid 1 writes the command's exit status here */
	int go_fd;     /* the command reads: the filesystem is ready */
	int mounts_fd; /* pid 1 reads: the host's proc and sysfs mount points */
	int mounts_wfd; /* the supervisor's end of it */
	int init_pidfd; /* without a pid namespace: the command dies with pid 1 */
	cpu_set_t cpus;  /* the CPUs glovebox may use, given back before exec */
	bool moved;      /* the command's process was moved off pid 1's CPU */
	int report_fd;  /* the command sends its pid (and a pty's master) here */
	int net_fd;     /* the command writes a byte once its network namespace exists */
	struct term *term;
	int pty_peer;   /* the command's end of the pty, when there is one */
	struct pasta *pasta; /* network = user */
	struct landlock_fence fence;
	int ruleset;    /* Landlock's: pid 1 fills it, the command enforces it; or -1 */
	bool fallback;  /* fallback = landlock: no namespaces at all */
	/* Started serially (serial.c): pid 1 made the network namespace and
	 * set the host name; the command's process writes last_pid (or -1)
	 * as it starts, so that it stays pid 2 under a process limit. */
	bool serial;
	int last_pid;
	/* In one address space with the supervisor (shared.c): pid 1 closes
	 * handover_fd once the command runs and its loop uses rawsys.h. */
	bool shared;
	int handover_fd;
	int cgroup;     /* the sandbox's cgroup, for CLONE_INTO_CGROUP; -1: none */
	uint64_t ucounts[UCOUNT_KINDS]; /* the sandbox's inotify limits; 0: not lowered */
};

/* A pipe whose ends close when it goes out of scope. */
struct fd_pair {
	int r, w;
};

static inline void fd_pair_close(struct fd_pair *p)
{
	closep(&p->r);
	closep(&p->w);
}

#define _cleanup_pair_ _cleanup_(fd_pair_close)

int open_pipe(struct fd_pair *p);

/* What pid 1 tells the supervisor about the command. */
enum status_kind { STATUS_EXITED, STATUS_KILLED, STATUS_STOPPED };

struct status_msg {
	int32_t kind;  /* enum status_kind */
	int32_t value; /* the exit status, or the signal */
};

/* messages.c */
void forward_set(sigset_t *set);
bool sent_by_process(int32_t code);
int exit_code(int code, int status);
int exit_signal(int code, int status);
bool supervisor_gone(int pidfd);
int send_report(int fd, char byte, int master);
int send_report_flags(int fd, char byte, int master, int flags);
char receive_report(int fd, pid_t *pid, int *master);

/* command.c: fork the command's process, which runs the command (or exits
 * 125-127 on failure). parallel: it starts its share of the set-up on
 * another CPU than pid 1's. */
pid_t start_command(struct child_ctx *c, struct fd_pair *go, struct fd_pair *net, bool parallel,
		    struct diag *d);
pid_t start_command_with_pty(struct child_ctx *c, struct fd_pair *go, struct fd_pair *net,
			     struct diag *d);
/* The command's share of the set-up, then the command (go_fd -1: no
 * wait for pid 1). */
_noreturn_ void run_command(const struct child_ctx *c);
void move_report_fd(struct child_ctx *c, struct diag *d);
/* The command's pid to the supervisor, which writes --info-fd: it
 * returns once that is written. */
void report_pid(const struct child_ctx *c);

/* serial.c: how pid 1 starts the command's process. Parallel: at once,
 * with fork, while it builds the filesystem. Serial: once the filesystem
 * is built, with vfork; shared: serially, pid 1 in the supervisor's
 * address space (shared.c). Shared wherever it can be, else serial when
 * the machine is busy, parallel when idle; GLOVEBOX_LAUNCH=parallel,
 * serial or shared forces one (shared: where it can be, else serial).
 * late: it starts late anyway (a pty, as-pid-1). Whether a machine with
 * this /proc/loadavg line is busy for glovebox, which may run on cpus
 * CPUs. Starting it: pid 1 is sealed, its network namespace made. */
enum launch_path { LAUNCH_PARALLEL, LAUNCH_SERIAL, LAUNCH_SHARED };
enum launch_path launch_choose(const struct child_ctx *c, bool late, bool own_pidns);
bool launch_machine_busy(const char *loadavg, int cpus);
pid_t start_command_serially(struct child_ctx *c, struct diag *d);

/* userns.c: bwrap's --userns-block-fd and --userns2. Whether the caller
 * writes the id maps (the command's process then reports its pid before
 * its set-up, not after "go"); pid 1's maps, or its wait for the
 * caller's; the command's process moving into the second user namespace
 * (it exits 1 on failure, bwrap's status). */
bool maps_by_caller(const struct launch_request *req);
int map_or_await_ids(const struct child_ctx *c, struct diag *d);
void enter_second_userns(const struct launch_request *req);

/* launch.c: clone3 with these flags (clone where clone3 is hidden), a
 * pidfd in *pidfd; the pid, or -1 with the error in *err. */
pid_t clone_flags(uint64_t flags, int cgroup, int *pidfd, int *err);

/* pidns.c: the sandbox's first process, with clone_flags, or, in a pid
 * namespace glovebox joined (bwrap's --pidns) when the flags ask for a
 * new one, by a helper born in the joined one: pid 1 is then glovebox's
 * child all the same, in a pid namespace below the joined one. */
pid_t clone_sandbox_process(const struct launch_request *req, uint64_t flags, int cgroup,
			    int *pidfd, int *err);

/* shared.c: whether this launch can share the supervisor's address
 * space; pid 1 cloned into it (the supervisor waits for the hand-over
 * before it returns): the pid, or -1 with the error in *err (0: make it
 * the usual way). status: pid 1's status pipe, read if the memory is
 * left in doubt (glovebox then ends there). *held:
 * the supervisor's copy of the held bind sources' numbers, for it to
 * close. pid 1's hand-over (fd -1: none), once command's exec is done. */
bool launch_can_share(const struct child_ctx *c);
pid_t clone_shared(struct child_ctx *c, uint64_t flags, const struct fd_pair *status, int *pidfd,
		   int *err, int **held, size_t *n_held);
void shared_hand_over(int fd, pid_t command);

/* as-pid-1.c: pid 1, its filesystem built, becomes the command. */
_noreturn_ void exec_as_pid_1(struct child_ctx *c, struct fd_pair *go, struct fd_pair *net,
			      struct diag *d);

/* footprint.c: a long-lived launcher process (the supervisor, pid 1)
 * forgets the pages of the program's read-only segments (its code and
 * constants) that it touched for the set-up, and the heap's free pages.
 * A static glovebox shares its code with no other program on the
 * machine, so each sandbox's launcher would count the whole set-up's code
 * (about 900 KiB) for as long as its command runs. The pages stay in the
 * page cache, and the few that the waiting loop runs come back at the
 * first touch. Never the writable segments, nor the
 * read-only-after-relocation one: their pages are no longer the file's.
 *
 * Done once the waiting loop has had nothing to do for FOOTPRINT_IDLE_MS:
 * it costs 0.3 to 2 ms of CPU time (measured on a busy 2-CPU VM, trim and
 * madvise about half each), a tenth of a whole launch, which a short
 * command such as a build step's would pay for nothing. A second, not
 * less: under load the supervisor's wait for pid 1's set-up alone can
 * exceed 200 ms (measured: 210 ms with two CPUs busy). A waiting loop
 * polls with footprint_wait_ms(f, its own timeout) and calls
 * footprint_idle when the poll timed out. */
#define FOOTPRINT_IDLE_MS 1000

struct footprint {
	bool dropped;
};

int footprint_wait_ms(const struct footprint *f, int wait_ms);
void footprint_idle(struct footprint *f);

/* init.c: the child of clone3, the sandbox's pid 1. */
_noreturn_ void sandbox_init(struct child_ctx *c);

/* supervise.c */
struct supervisor {
	pid_t pid;
	int pidfd;
	int status_fd; /* pid 1's report */
	int report_fd; /* the command's pid and pty, when asked for */
	int info_fd, json_fd;
	struct term *term;
	int signal; /* the signal that ended the command, once known */
	uint64_t timeout_ms;
	bool timed_out;
	char *(*child_info)(pid_t child, bool multi_line);
	struct learner *learner; /* glovebox learn: takes the listener ('l') */
};

/* Waits for the sandbox to end, passing signals on; returns the exit
 * status glovebox should exit with. */
int supervise(struct supervisor *s);
