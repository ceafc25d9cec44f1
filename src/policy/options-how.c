/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The [how] keys: system calls, groups, argument rules and the filter's settings. */
#include "policy/appliers.h"

#include "how/constants.h"
#include "how/rules.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int set_syscalls(struct policy *p, const char *name, const struct sc_action *act,
			const struct origin *o, struct diag *d)
{
	syscall_set set = {0};
	int r = syscall_resolve(name, &set);
	if (r < 0)
		return diag_error(d, o, "%s: unknown %s (see 'glovebox syscalls')", name,
				  name[0] == '@' ? "system call group" : "system call");
	uint32_t origin = policy_add_rule_origin(p, o);
	for (size_t i = 0; i < syscall_count; i++)
		if (syscall_set_has(&set, i))
			p->syscalls[i] = (struct sc_rule){*act, origin};
	return 0;
}

/* deny and rule may not name a call that every process needs to exit: the
 * compiler allows those whatever the policy says (a group that contains
 * them, like @default, is fine). */
static int refuse_always_allowed(int i, const struct origin *o, struct diag *d)
{
	if (i < 0 || !syscall_is_always_allowed((size_t)i))
		return 0;
	return diag_error(d, o, "%s: every process needs it to exit, so it cannot be denied",
			  syscall_table[i].name);
}

int apply_allow(struct policy *p, const struct gb_option *opt _unused_, char **a, size_t n,
		const struct origin *o, struct diag *d)
{
	const struct sc_action allow = {.kind = SC_ALLOW};
	int ret = 0;
	for (size_t i = 0; i < n; i++)
		if (set_syscalls(p, a[i], &allow, o, d) < 0)
			ret = -1;
	return ret;
}

/* NAME or NAME:ACTION, where ACTION is kill, log, or an errno name/number.
 * Without an action the call gets the profile's default action. */
int apply_deny(struct policy *p, const struct gb_option *opt _unused_, char **a, size_t n,
	       const struct origin *o, struct diag *d)
{
	int ret = 0;
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *name = xstrdup(a[i]);
		struct sc_action act = {.kind = SC_DEFAULT};
		char *colon = strchr(name, ':');
		if (colon) {
			*colon = '\0';
			char *w = colon + 1;
			if (parse_sc_action(&w, 1, &act) < 0 || act.kind == SC_ALLOW) {
				ret = diag_error(d, o, "%s: unknown action '%s' (expected kill, "
						       "log, or an errno name like EPERM)",
						 a[i], colon + 1);
				continue;
			}
		}
		if (refuse_always_allowed(syscall_lookup(name), o, d) < 0 ||
		    set_syscalls(p, name, &act, o, d) < 0)
			ret = -1;
	}
	return ret;
}

int apply_default_action(struct policy *p, const struct gb_option *opt _unused_, char **a,
			 size_t n, const struct origin *o, struct diag *d)
{
	struct sc_action act;
	/* With the errno keyword the form is right and only the name can be
	 * wrong: say so rather than repeat the forms. */
	int e, r = n == 2 && streq(a[0], "errno") ? parse_errno_name(a[1], &e) : 0;
	if (r == -ERANGE)
		return diag_error(d, o, "%s: errno numbers run from 1 to 4095", a[1]);
	if (r < 0)
		return diag_error(d, o, "%s: unknown errno name", a[1]);
	if (parse_sc_action(a, n, &act) < 0)
		return diag_error(d, o, "expected 'errno NAME', 'kill', 'log' or 'allow'");
	p->default_action = act;
	p->default_action_s = (struct setting){true, *o};
	return 0;
}

int apply_nested_namespaces(struct policy *p, const struct gb_option *opt _unused_, char **a,
			    size_t n, const struct origin *o, struct diag *d)
{
	uint32_t allowed = 0;
	for (size_t i = 0; i < n; i++) {
		if ((streq(a[i], "none") || streq(a[i], "all")) && n > 1)
			return diag_error(d, o, "'%s' cannot be combined with names", a[i]);
		if (streq(a[i], "all")) {
			allowed = NS_ALL;
			continue;
		}
		if (streq(a[i], "none"))
			continue;
		const struct named_const *c = const_lookup_kind(a[i], CONST_CLONE);
		if (!c)
			return diag_error(d, o,
					  "%s: unknown namespace (expected user, mount, pid, net, ipc, "
					  "uts, cgroup, time, all or none)",
					  a[i]);
		allowed |= (uint32_t)c->value;
	}
	p->ns_allowed = allowed;
	p->ns_s = (struct setting){true, *o};
	return 0;
}

int apply_scope(struct policy *p, const struct gb_option *opt _unused_, char **a, size_t n,
		const struct origin *o, struct diag *d)
{
	static const struct {
		const char *name;
		unsigned flag;
	} scopes[] = {{"abstract-unix", SCOPE_ABSTRACT_UNIX}, {"signals", SCOPE_SIGNAL},
		      {"all", SCOPE_ALL}, {"none", 0}};
	unsigned scope = 0;
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;
		while (k < ELEMENTSOF(scopes) && !streq(a[i], scopes[k].name))
			k++;
		if (k == ELEMENTSOF(scopes))
			return diag_error(d, o, "%s: expected abstract-unix, signals, all or none", a[i]);
		if (n > 1 && (scopes[k].flag == 0 || scopes[k].flag == SCOPE_ALL))
			return diag_error(d, o, "'%s' cannot be combined with names", a[i]);
		scope |= scopes[k].flag;
	}
	p->scope = scope;
	p->scope_s = (struct setting){true, *o};
	return 0;
}

int apply_families(struct policy *p, const struct gb_option *opt _unused_, char **a,
		   size_t n, const struct origin *o, struct diag *d)
{
	uint64_t fam = 0;
	bool all = false;
	for (size_t i = 0; i < n; i++) {
		if (streq(a[i], "all") || streq(a[i], "none")) {
			if (n > 1)
				return diag_error(d, o, "'%s' cannot be combined with names", a[i]);
			all = streq(a[i], "all");
			continue;
		}
		const struct named_const *c = const_lookup_kind(a[i], CONST_FAMILY);
		if (!c || c->value > 63)
			return diag_error(d, o, "%s: unknown address family (like unix, inet, "
						"inet6, netlink)",
					  a[i]);
		fam |= UINT64_C(1) << c->value;
	}
	p->families = fam;
	p->families_restricted = !all;
	p->families_s = (struct setting){true, *o};
	return 0;
}

int apply_memfd_exec(struct policy *p, const struct gb_option *opt _unused_, char **a,
		     size_t n _unused_, const struct origin *o, struct diag *d)
{
	bool v;
	if (parse_bool(a[0], &v) < 0)
		return diag_error(d, o, "%s: expected yes or no", a[0]);
	p->memfd_exec = v;
	p->memfd_exec_s = (struct setting){true, *o};
		return 0;
}

int apply_ioctl_deny(struct policy *p, const struct gb_option *opt _unused_, char **a,
		     size_t n, const struct origin *o, struct diag *d)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t cmd;
		if (rule_parse_value(a[i], &cmd) < 0 || cmd > UINT32_MAX)
			return diag_error(d, o, "%s: not an ioctl name or 32-bit number", a[i]);
		struct arg_rule *r = policy_add_arg_rule(p, o);
		r->syscall = syscall_lookup("ioctl");
		r->action = (struct sc_action){.kind = SC_ERRNO, .errnum = EPERM};
		/* The kernel reads the command as 32 bits: compare only those. */
		r->cmps[0] = (struct arg_cmp){.arg = 1, .op = ARG_MASKED_EQ, .mask = 0xffffffffu,
					      .value = cmd};
		r->n_cmps = 1;
	}
	return 0;
}

int apply_rule(struct policy *p, const struct gb_option *opt _unused_, char **a,
	       size_t n _unused_, const struct origin *o, struct diag *d)
{
	struct arg_rule r;
	const char *why;
	if (rule_parse(a[0], &r, &why) < 0)
		return diag_error(d, o, "%s: %s", a[0], why);
	if (refuse_always_allowed(r.syscall, o, d) < 0)
		return -1;
	r.origin = *o;
	*policy_add_arg_rule(p, o) = r;
	return 0;
}
