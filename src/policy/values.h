/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Parsers for the values settings take. Each returns 0, or a negative
 * errno (-EINVAL, -ERANGE) and leaves *out alone. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>

#include "policy/policy.h"

int parse_bool(const char *s, bool *out);
/* A capability name (with or without CAP_, any case): its number, or -1. */
int parse_capability(const char *s);
/* A byte count: a number with an optional K, M or G suffix (powers of 1024). */
int parse_size(const char *s, uint64_t *out);
/* A duration: a number with an optional unit, ms, s (the default), m or h. */
int parse_duration_ms(const char *s, uint64_t *out);
/* A percentage: a number followed by %, "150%". */
int parse_percent(const char *s, uint64_t *out);
int parse_mode(const char *s, uint32_t *out);
/* What an RLIMIT_* resource counts: its values are numbers, sizes (with
 * K, M, G suffixes) or durations (CPU time, in whole seconds). */
enum rlimit_unit { RLIMIT_UNIT_COUNT, RLIMIT_UNIT_BYTES, RLIMIT_UNIT_SECONDS };
enum rlimit_unit rlimit_unit(int resource);
/* One rlimit value in its unit, or unlimited (infinity). */
int parse_rlim_value(const char *s, int resource, rlim_t *out);
/* A port forward, [ADDRESS:]HOSTPORT:SANDBOXPORT[/tcp|/udp] (an IPv6
 * ADDRESS in brackets): its protocol, ports and address (canonical, newly
 * allocated; NULL when left out). Its origin is the caller's to set. */
int parse_forward(const char *s, struct port_forward *out);
