/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A launch in one address space: pid 1 is cloned with CLONE_VM, on a
 * stack of its own, instead of with a copy of the launcher's memory.
 *
 * A copy costs the kernel the page tables it duplicates, every page
 * either process then writes (a copy-on-write fault, with a TLB flush
 * on the other CPU), every page of code pid 1 runs (the copy maps none
 * of the program's file pages: each is a fault again) and the teardown
 * of it all when pid 1 ends. Measured on the 2-CPU VM this is developed
 * on (a fault costs 15-25 µs there), as nobody, the serial path of
 * serial.c with a copy against this (prototype, `perf stat -r 80`,
 * interleaved, idle): 10.2-10.6 ms of CPU time for the whole launch of
 * /bin/true against 8.3-8.8 ms, 133 page faults against 97, 12.3-12.5 ms
 * against 10.5-10.9 ms of wall time; with two launches in flight
 * (bench/throughput 200 2 3) 82.4 launches/s against 95.4.
 *
 * What keeps it sound:
 * - The supervisor does nothing while pid 1 builds the sandbox and
 *   starts the command: it waits, in one read(2), for pid 1 to close the
 *   hand-over pipe. Until then only one of them runs glibc code, and
 *   the heap, stdio and errno (thread-local storage, which CLONE_VM
 *   without a thread of glibc's own leaves shared) are the runner's.
 * - pid 1 hands over (init.c) only when the command's process has
 *   exec'd (vfork, serial.c) and pid 1 is sealed; from then on its loop
 *   makes its system calls through rawsys.h, which leave errno alone,
 *   and touches no heap or stdio. Its death ends the pipe as well.
 * - A process killed in the middle of glibc code (pid 1, or the
 *   command's process before its exec: Ctrl-C with terminal = host, the
 *   OOM killer) may leave the heap half-changed: pid 1 then says so at
 *   the hand-over, or its end of the pipe closes with no word, and the
 *   supervisor ends with the status pid 1 reports through system calls
 *   alone, touching nothing more of the memory. Between the vfork and
 *   the hand-over pid 1 itself allocates nothing (no --lock-file here).
 * - What pid 1 changes of the shared memory (the held bind sources'
 *   numbers, closed and set to -1) the supervisor does not rely on: it
 *   closes its own copies from a list it kept before the clone.
 * - Undumpable is the address space's: once pid 1 seals itself, so is
 *   the supervisor (its /proc files are root's; it reads none after).
 *   That is why root that becomes nobody (host-user = nobody), left
 *   undumpable by the change of ids and made dumpable again by pid 1
 *   for its id maps, never shares: the supervisor would be open to
 *   nobody's ptrace meanwhile.
 * - Not with a timeout (the supervisor could not end a set-up that
 *   hangs), an address-space or data limit (pid 1's stack is the
 *   command's process's too until its exec), bwrap's --lock-file, a cgroup (CLONE_INTO_CGROUP is clone3's, whose child returns
 *   on the caller's stack), sanitizers (their leak check at the
 *   supervisor's exit sees pid 1's allocations), or where rawsys.h has
 *   no system calls of its own for the architecture. A clone that
 *   fails (valgrind refuses CLONE_VM without a thread) is made again
 *   the usual way.
 *
 * The host's proc and sysfs mount points, which the supervisor sends
 * pid 1 through a pipe while both run, are written to a memfd before
 * the clone instead (a pipe could fill up with nobody reading). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "launch/internal.h"
#include "launch/rawsys.h"
#include "where/facts.h"
#include "where/held.h"

#define STACK_SIZE (8UL << 20) /* as the main thread's usual limit */
#define GUARD_SIZE (64UL << 10)
#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x0008U /* Linux 6.3 */
#endif

bool launch_can_share(const struct child_ctx *c)
{
	const struct policy *p = c->req->policy;
	/* bwrap's --info-fd: the command's process would wait before its
	 * exec for the supervisor, which waits for the hand-over (serial.c
	 * leaves that case parallel already) */
	bool waits_for_supervisor = c->req->child_info && c->report_fd >= 0;
	/* pid 1's stack counts in the command's process's address space
	 * until its exec: not under a limit of it */
	bool vm_limited = p->rlimits[RLIMIT_AS].set || p->rlimits[RLIMIT_DATA].set;
	return RAW_SYSCALLS && !GB_FREE_AT_EXIT && c->cgroup < 0 && p->timeout_ms == 0 &&
	       p->host_user != HOST_USER_NOBODY && !waits_for_supervisor && !vm_limited &&
	       c->req->n_lock_files == 0;
}

/* pid 1's stack: reserved, not committed, with a guard below it. */
static char *stack_top(void)
{
	char *base = mmap(NULL, STACK_SIZE + GUARD_SIZE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
	if (base == MAP_FAILED)
		return NULL;
	if (mprotect(base, GUARD_SIZE, PROT_NONE) < 0) {
		munmap(base, STACK_SIZE + GUARD_SIZE);
		return NULL;
	}
	return base + GUARD_SIZE + STACK_SIZE;
}

/* The host's mount points, in a file pid 1 reads from its start. */
static int host_mounts_file(void)
{
	int fd = memfd_create("glovebox-mounts", MFD_CLOEXEC | MFD_NOEXEC_SEAL);
	if (fd < 0 && errno == EINVAL)
		fd = memfd_create("glovebox-mounts", MFD_CLOEXEC); /* before Linux 6.3 */
	if (fd < 0)
		return -1;
	if (where_send_host_mounts(fd) < 0 || lseek(fd, 0, SEEK_SET) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int shared_entry(void *arg)
{
	sandbox_init(arg);
}

/* pid 1's word at the hand-over: the command's process exec'd (or ended
 * as it chose), and the memory is as the code left it; or it was killed
 * on the way, perhaps inside malloc. */
enum { HANDED_OVER = 'h', COMMAND_KILLED = 'k' };

/* Waits for pid 1's hand-over. False when the memory cannot be trusted:
 * the command's process was killed before it could be known to have
 * exec'd, or pid 1 was (its end of the pipe closed with no word). pid 1
 * that exited (a failed set-up, which said why) leaves it as it was. */
static bool await_hand_over(int fd, int pidfd)
{
	char word = 0;
	long n;
	while ((n = RAW(SYS_read, fd, &word, 1, 0, 0)) == -EINTR)
		;
	if (n == 1)
		return word == HANDED_OVER;
	siginfo_t info;
	info.si_code = 0;
	if (RAW(SYS_waitid, P_PIDFD, pidfd, &info, WEXITED | WNOWAIT, 0) < 0)
		return false;
	return info.si_code == CLD_EXITED;
}

/* The memory may be half-way through a change: glovebox ends with the
 * command's status as pid 1 reports it (125 without one), making no
 * call but the kernel's. */
_Noreturn static void abandon(const struct fd_pair *status)
{
	struct status_msg m = {STATUS_EXITED, 125}; /* filled by the raw read */
	long n;
	(void)RAW(SYS_close, status->w, 0, 0, 0, 0); /* the end comes when pid 1's does */
	while ((n = RAW(SYS_read, status->r, &m, sizeof(m), 0, 0)) == -EINTR)
		;
	if (n != (long)sizeof(m))
		sys_exit(125);
	sys_exit(m.kind == STATUS_KILLED ? 128 + (m.value & 0x7f) : m.value & 0xff);
}

pid_t clone_shared(struct child_ctx *c, uint64_t flags, const struct fd_pair *status, int *pidfd,
		   int *err, int **held, size_t *n_held)
{
	*err = 0;
	char *top = stack_top();
	struct fd_pair hand = {-1, -1};
	int mounts = top ? host_mounts_file() : -1;
	if (mounts < 0 || open_pipe(&hand) < 0) {
		closep(&mounts);
		fd_pair_close(&hand);
		if (top)
			munmap(top - STACK_SIZE - GUARD_SIZE, STACK_SIZE + GUARD_SIZE);
		return -1; /* the usual way, then */
	}
	const struct where_env *env = c->req->where;
	*n_held = env->held ? env->n_held : 0;
	*held = NULL;
	if (*n_held) {
		*held = xcalloc(*n_held, sizeof(int));
		memcpy(*held, env->held, *n_held * sizeof(int));
	}
	int pipe_r = c->mounts_fd;
	c->mounts_fd = mounts;
	c->handover_fd = hand.w;
	pid_t pid = clone(shared_entry, top, (int)(flags | CLONE_VM | CLONE_PIDFD | SIGCHLD), c,
			  pidfd);
	if (pid >= 0) {
		/* Until the hand-over: no memory pid 1 reads, no errno. */
		(void)RAW(SYS_close, hand.w, 0, 0, 0, 0);
		if (!await_hand_over(hand.r, *pidfd))
			abandon(status);
	} else {
		*err = errno;
		closep(&hand.w);
		free(*held);
		*held = NULL;
		*n_held = 0;
		munmap(top - STACK_SIZE - GUARD_SIZE, STACK_SIZE + GUARD_SIZE);
	}
	c->mounts_fd = pipe_r;
	c->handover_fd = -1;
	closep(&mounts);
	closep(&hand.r);
	return pid;
}

void shared_hand_over(int fd, pid_t command)
{
	if (fd < 0)
		return;
	siginfo_t info;
	info.si_pid = 0;
	info.si_code = CLD_EXITED;
	char word = HANDED_OVER;
	if (RAW(SYS_waitid, P_PID, command, &info, WEXITED | WNOHANG | WNOWAIT, 0) == 0 &&
	    info.si_pid == command && info.si_code != CLD_EXITED)
		word = COMMAND_KILLED;
	(void)RAW(SYS_write, fd, &word, 1, 0, 0);
	(void)RAW(SYS_close, fd, 0, 0, 0, 0);
}
