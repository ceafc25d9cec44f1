/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The general argument-rule syntax:
 *
 *   CALL(COND[, COND]...)[:ACTION]
 *   COND   = argN OP VALUE | argN & MASK == VALUE      (N = 0..5)
 *   OP     = == != < <= > >=
 *   VALUE  = a number (decimal, 0x hex, 0 octal) or a name (AF_NETLINK,
 *            CLONE_NEWUSER, PROT_EXEC, TIOCSTI...), several joined by |
 *   ACTION = kill | log | an errno name or number (default: EPERM)
 *
 * e.g.  socket(arg0 == AF_NETLINK):EAFNOSUPPORT
 *       mmap(arg2 & PROT_WRITE|PROT_EXEC == PROT_WRITE|PROT_EXEC)
 *
 * The call is refused when every condition holds. libseccomp compares each
 * argument once per rule, so a rule compares each argument at most once. */
#pragma once

#include "policy/policy.h"

/* Returns 0, or -EINVAL with *why pointing at a static explanation. */
int rule_parse(const char *text, struct arg_rule *out, const char **why);

/* Parse a value: a number or names joined by '|'. */
int rule_parse_value(const char *s, uint64_t *out);

/* Render a rule back into the syntax above. */
void rule_format(const struct arg_rule *r, char *buf, size_t size);
