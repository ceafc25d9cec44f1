/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bench/syscost: the cost of a system call, as seen by a program.
 *
 *   syscost getppid N   N getppid() calls
 *   syscost rw N        N one-byte write()+read() pairs through a pipe
 *
 * Prints the best of 5 rounds in nanoseconds per iteration, so that a
 * sandbox's seccomp filter shows up against the same loop run bare. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: syscost getppid|rw N\n");
		return 2;
	}
	long n = atol(argv[2]);
	int fds[2];
	if (pipe(fds) < 0)
		return 1;
	double best = 1e30;
	for (int round = 0; round < 5; round++) {
		double t0 = now_ns();
		if (strcmp(argv[1], "getppid") == 0) {
			for (long i = 0; i < n; i++)
				syscall(SYS_getppid);
		} else {
			char c = 'x';
			for (long i = 0; i < n; i++)
				if (write(fds[1], &c, 1) != 1 || read(fds[0], &c, 1) != 1)
					return 1;
		}
		double per = (now_ns() - t0) / (double)n;
		if (per < best)
			best = per;
	}
	printf("%.1f\n", best);
	return 0;
}
