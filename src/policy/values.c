/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The values settings take: booleans, sizes, modes, durations, capability
 * names and rlimit values. Pure functions, shared with the unit tests. */
#include "policy/values.h"

#include "util.h"

#include <arpa/inet.h>
#include <cap-ng.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = {"yes", "true", "on", "1"};
	static const char *const no[] = {"no", "false", "off", "0"};
	for (size_t i = 0; i < ELEMENTSOF(yes); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

/* "CAP_NET_ADMIN", "cap_net_admin" and "net_admin" all name capability 12. */
int parse_capability(const char *s)
{
	char lower[64];
	if (strncasecmp(s, "cap_", 4) == 0)
		s += 4;
	size_t len = strlen(s);
	if (len == 0 || len >= sizeof(lower))
		return -EINVAL;
	for (size_t i = 0; i <= len; i++)
		lower[i] = (char)tolower((unsigned char)s[i]);
	int cap = capng_name_to_capability(lower);
	return cap < 0 ? -EINVAL : cap;
}

int parse_size(const char *s, uint64_t *out)
{
	char digits[32];
	size_t len = strlen(s);
	if (len == 0 || len >= sizeof(digits))
		return -EINVAL;
	unsigned shift = 0;
	char last = s[len - 1];
	switch (last) {
	case 'k':
	case 'K':
		shift = 10;
		break;
	case 'm':
	case 'M':
		shift = 20;
		break;
	case 'g':
	case 'G':
		shift = 30;
		break;
	case 't':
	case 'T':
		shift = 40;
		break;
	default:
		break;
	}
	memcpy(digits, s, len + 1);
	if (shift)
		digits[len - 1] = '\0';
	uint64_t v;
	int r = parse_u64(digits, &v);
	if (r < 0)
		return r;
	if (shift && v > (UINT64_MAX >> shift))
		return -ERANGE;
	*out = v << shift;
	return 0;
}

int parse_mode(const char *s, uint32_t *out)
{
	if (!*s || strlen(s) > 5)
		return -EINVAL;
	uint32_t v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '7')
			return -EINVAL;
		v = v * 8 + (uint32_t)(*s - '0');
	}
	if (v > 07777)
		return -ERANGE;
	*out = v;
	return 0;
}

/* A duration: a number with an optional unit, ms, s (the default), m or h
 * ("90", "1.5s", "10m"). */
int parse_duration_ms(const char *s, uint64_t *out)
{
	static const struct {
		const char *unit;
		uint64_t ms;
	} units[] = {{"ms", 1}, {"s", 1000}, {"", 1000}, {"m", 60000}, {"h", 3600000}};
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || errno || !(v >= 0) || s[0] == '-' || s[0] == '+' ||
	    isspace((unsigned char)s[0]))
		return -EINVAL;
	for (size_t i = 0; i < ELEMENTSOF(units); i++)
		if (streq(end, units[i].unit)) {
			double ms = v * (double)units[i].ms;
			if (ms >= 1e15)
				return -ERANGE;
			*out = (uint64_t)(ms + 0.5);
			return 0;
		}
	return -EINVAL;
}

enum rlimit_unit rlimit_unit(int resource)
{
	switch (resource) {
	case RLIMIT_AS:
	case RLIMIT_CORE:
	case RLIMIT_DATA:
	case RLIMIT_FSIZE:
	case RLIMIT_MEMLOCK:
	case RLIMIT_STACK:
	case RLIMIT_MSGQUEUE:
		return RLIMIT_UNIT_BYTES;
	case RLIMIT_CPU:
		return RLIMIT_UNIT_SECONDS;
	default:
		return RLIMIT_UNIT_COUNT;
	}
}

/* CPU time is a duration, counted by the kernel in whole seconds: a part
 * of a second rounds up, so that a limit never comes out as 0 (which
 * would end the command at once). */
static int parse_seconds(const char *s, uint64_t *out)
{
	uint64_t ms;
	int r = parse_duration_ms(s, &ms);
	if (r == 0)
		*out = (ms + 999) / 1000;
	return r;
}

int parse_rlim_value(const char *s, int resource, rlim_t *out)
{
	static int (*const parsers[])(const char *, uint64_t *) = {
		[RLIMIT_UNIT_COUNT] = parse_u64,
		[RLIMIT_UNIT_BYTES] = parse_size,
		[RLIMIT_UNIT_SECONDS] = parse_seconds,
	};
	uint64_t v = 0;
	if (streq(s, "unlimited") || streq(s, "infinity")) {
		*out = RLIM_INFINITY;
		return 0;
	}
	int r = parsers[rlimit_unit(resource)](s, &v);
	if (r < 0)
		return r;
	if (v >= RLIM_INFINITY)
		return -ERANGE;
	*out = (rlim_t)v;
	return 0;
}

static int parse_port(const char *s, uint16_t *out)
{
	uint64_t v;
	int r = parse_u64(s, &v);
	if (r < 0)
		return r;
	if (v == 0 || v > UINT16_MAX)
		return -ERANGE;
	*out = (uint16_t)v;
	return 0;
}

/* The address before the ports, written back in its canonical form:
 * "[::1]:" or "127.0.0.1:". *rest is what follows the colon. */
static int parse_forward_address(char *s, char **rest, char **out)
{
	unsigned char bin[sizeof(struct in6_addr)];
	char text[INET6_ADDRSTRLEN];
	int family = AF_INET;
	char *end;
	if (s[0] == '[') {
		family = AF_INET6;
		s++;
		end = strchr(s, ']');
		if (!end || end[1] != ':')
			return -EINVAL;
		*end++ = '\0';
	} else {
		end = strchr(s, ':');
	}
	*end = '\0';
	*rest = end + 1;
	if (inet_pton(family, s, bin) != 1 || !inet_ntop(family, bin, text, sizeof(text)))
		return -EINVAL;
	*out = xstrdup(text);
	return 0;
}

int parse_forward(const char *s, struct port_forward *out)
{
	struct port_forward f = {.proto = FORWARD_TCP};
	_cleanup_free_ char *copy = xstrdup(s);
	char *ports = copy;
	char *slash = strrchr(copy, '/');
	if (slash) {
		*slash = '\0';
		if (streq(slash + 1, "udp"))
			f.proto = FORWARD_UDP;
		else if (!streq(slash + 1, "tcp"))
			return -EINVAL;
	}
	/* an address when there are three parts, or brackets */
	int r = 0;
	if (copy[0] == '[' || strchr(copy, ':') != strrchr(copy, ':'))
		r = parse_forward_address(copy, &ports, &f.address);
	char *colon = r < 0 ? NULL : strchr(ports, ':');
	if (colon)
		*colon = '\0';
	if (r == 0 && !colon)
		r = -EINVAL;
	if (r == 0 && (r = parse_port(ports, &f.host_port)) == 0)
		r = parse_port(colon + 1, &f.sandbox_port);
	if (r < 0) {
		free(f.address);
		return r;
	}
	*out = f;
	return 0;
}

int parse_percent(const char *s, uint64_t *out)
{
	size_t len = strlen(s);
	if (len < 2 || s[len - 1] != '%')
		return -EINVAL;
	_cleanup_free_ char *digits = xstrndup(s, len - 1);
	return parse_u64(digits, out);
}
