/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Launch-time trace points for measuring where start-up time goes.
 * Compiled out unless built with `meson configure -Dtiming=true`; then each
 * point prints "glovebox-timing <seconds> <pid> <label>" on stderr. */
#pragma once

#include "config.h"

#if GB_TIMING
#include <stdio.h>
#include <time.h>
#include <unistd.h>
static inline void gb_trace_point(const char *label)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	fprintf(stderr, "glovebox-timing %ld.%06ld %d %s\n", (long)t.tv_sec, t.tv_nsec / 1000,
		(int)getpid(), label);
}
#define TRACE_POINT(label) gb_trace_point(label)
#else
#define TRACE_POINT(label) ((void)0)
#endif
