/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What a rule does to a system call (allow, kill, log, errno NAME): the
 * how layer's vocabulary, parsed here for the rules (how/rules.c) and the
 * profile options (policy/options.c) alike. */
#pragma once

#include <stddef.h>

#include "policy/policy.h"

/* An errno name (EPERM, any case) or number (1 to 4095). 0 or -errno. */
int parse_errno_name(const char *s, int *out);
/* "allow", "kill", "log", "errno NAME" or just NAME. 0 or -EINVAL. */
int parse_sc_action(char **words, size_t n, struct sc_action *out);
const char *sc_action_format(const struct sc_action *a, char *buf, size_t size);
