/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Launch-time trace points for measuring where start-up time goes.
 * Compiled out unless built with `meson configure -Dtiming=true`; then each
 * point prints "glovebox-timing <seconds> <pid> <label> <cpu-us> <minflt>"
 * on stderr: the process's CPU time (user + system) and minor page faults
 * so far, which tell each of the launcher's processes' share of a
 * launch's cost. */
#pragma once

#include "config.h"

#if GB_TIMING
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
static inline void gb_trace_point(const char *label)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	long cpu_us = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000L + ru.ru_utime.tv_usec +
		      ru.ru_stime.tv_usec;
	fprintf(stderr, "glovebox-timing %ld.%06ld %d %s %ld %ld\n", (long)t.tv_sec,
		t.tv_nsec / 1000, (int)getpid(), label, cpu_us, ru.ru_minflt);
}
#define TRACE_POINT(label) gb_trace_point(label)
#else
#define TRACE_POINT(label) ((void)0)
#endif
