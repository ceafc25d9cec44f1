/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "how/action.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

int parse_errno_name(const char *s, int *out)
{
	/* Second names glibc's strerrorname_np() does not return. */
	static const struct {
		const char *name;
		int value;
	} aliases[] = {{"ENOTSUP", ENOTSUP}, {"EWOULDBLOCK", EWOULDBLOCK}, {"EDEADLOCK", EDEADLOCK}};
	for (size_t i = 0; i < ELEMENTSOF(aliases); i++)
		if (strcasecmp(s, aliases[i].name) == 0) {
			*out = aliases[i].value;
			return 0;
		}
	uint64_t v;
	if (parse_u64(s, &v) == 0) {
		if (v < 1 || v > 4095)
			return -ERANGE;
		*out = (int)v;
		return 0;
	}
	for (int i = 1; i < 4096; i++) {
		const char *name = strerrorname_np(i);
		if (name && strcasecmp(name, s) == 0) {
			*out = i;
			return 0;
		}
	}
	return -EINVAL;
}

int parse_sc_action(char **w, size_t n, struct sc_action *out)
{
	if (n == 1) {
		if (streq(w[0], "allow")) {
			*out = (struct sc_action){.kind = SC_ALLOW};
			return 0;
		}
		if (streq(w[0], "kill")) {
			*out = (struct sc_action){.kind = SC_KILL};
			return 0;
		}
		if (streq(w[0], "log")) {
			*out = (struct sc_action){.kind = SC_LOG};
			return 0;
		}
		int e;
		if (parse_errno_name(w[0], &e) == 0) {
			*out = (struct sc_action){.kind = SC_ERRNO, .errnum = e};
			return 0;
		}
		return -EINVAL;
	}
	if (n == 2 && streq(w[0], "errno")) {
		int e;
		if (parse_errno_name(w[1], &e) < 0)
			return -EINVAL;
		*out = (struct sc_action){.kind = SC_ERRNO, .errnum = e};
		return 0;
	}
	return -EINVAL;
}

const char *sc_action_format(const struct sc_action *a, char *buf, size_t size)
{
	switch (a->kind) {
	case SC_ALLOW:
		return "allow";
	case SC_KILL:
		return "kill";
	case SC_LOG:
		return "log";
	case SC_ERRNO: {
		const char *name = strerrorname_np(a->errnum);
		if (name)
			snprintf(buf, size, "errno %s", name);
		else
			snprintf(buf, size, "errno %d", a->errnum);
		return buf;
	}
	case SC_DEFAULT:
		return "default";
	case SC_UNSET:
		break;
	}
	return "unset";
}
