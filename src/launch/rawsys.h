/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* System calls that leave errno alone: the result, or -errno.
 *
 * pid 1 of a launch in one address space (shared.c) runs beside the
 * supervisor in the same memory, with the same thread-local storage:
 * glibc's wrappers write errno there on failure, where the supervisor
 * reads its own. From the hand-over on, pid 1 makes its system calls
 * through these and touches nothing else the supervisor uses (no heap,
 * no stdio). Where they are not written for the architecture,
 * RAW_SYSCALLS is 0 and a launch never shares its memory; the wrappers
 * then call glibc's. */
#pragma once

#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__) && !defined(__ILP32__)
#define RAW_SYSCALLS 1
static inline long raw_syscall5(long n, long a, long b, long c, long d, long e)
{
	long ret;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return ret;
}
#elif defined(__aarch64__)
#define RAW_SYSCALLS 1
static inline long raw_syscall5(long n, long a, long b, long c, long d, long e)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	__asm__ volatile("svc 0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4)
			 : "memory");
	return x0;
}
#else
#define RAW_SYSCALLS 0
static inline long raw_syscall5(long n, long a, long b, long c, long d, long e)
{
	long r = syscall(n, a, b, c, d, e);
	return r < 0 ? -errno : r;
}
#endif

#define RAW(n, a, b, c, d, e) raw_syscall5((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e))

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

/* pid 1's loop, through these: each returns what the kernel did (the
 * result, or -errno). Without RAW_SYSCALLS, glibc's own calls (no launch
 * shares its memory there, so errno is pid 1's alone). */
#if RAW_SYSCALLS
static inline long sys_kill(pid_t pid, int sig)
{
	return RAW(SYS_kill, pid, sig, 0, 0, 0);
}

static inline long sys_wait_any(void)
{
	return RAW(SYS_wait4, -1, 0, __WALL, 0, 0);
}

static inline long sys_waitid(idtype_t type, id_t id, siginfo_t *info, int options)
{
	return RAW(SYS_waitid, type, id, info, options, 0);
}

static inline long sys_read(int fd, void *buf, size_t n)
{
	return RAW(SYS_read, fd, buf, n, 0, 0);
}

static inline long sys_write(int fd, const void *buf, size_t n)
{
	return RAW(SYS_write, fd, buf, n, 0, 0);
}

/* poll(2) as ppoll, which every architecture has; -1 ms: no timeout. */
static inline long sys_poll(struct pollfd *fds, nfds_t n, int timeout_ms)
{
	struct timespec ts = {timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000000L};
	return RAW(SYS_ppoll, fds, n, timeout_ms < 0 ? NULL : &ts, 0, 0);
}

_Noreturn static inline void sys_exit(int status)
{
	for (;;)
		(void)RAW(SYS_exit_group, status, 0, 0, 0, 0);
}
#else
static inline long sys_result(long r)
{
	return r < 0 ? -errno : r;
}

static inline long sys_kill(pid_t pid, int sig)
{
	return sys_result(kill(pid, sig));
}

static inline long sys_wait_any(void)
{
	return sys_result(waitpid(-1, NULL, __WALL));
}

static inline long sys_waitid(idtype_t type, id_t id, siginfo_t *info, int options)
{
	return sys_result(waitid(type, id, info, options));
}

static inline long sys_read(int fd, void *buf, size_t n)
{
	return sys_result(read(fd, buf, n));
}

static inline long sys_write(int fd, const void *buf, size_t n)
{
	return sys_result(write(fd, buf, n));
}

static inline long sys_poll(struct pollfd *fds, nfds_t n, int timeout_ms)
{
	return sys_result(poll(fds, n, timeout_ms));
}

_Noreturn static inline void sys_exit(int status)
{
	_exit(status);
}
#endif
