/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* explain's [how] section: the system calls by the rule that decided
 * them, and the argument rules. */
#include "explain-internal.h"

#include <stdint.h>

#include "how/action.h"
#include "how/constants.h"
#include "how/rules.h"
#include "how/seccomp.h"

static void list_names(FILE *f, const struct policy *p, const struct origin *o,
		       const struct sc_action *a, bool by_default)
{
	unsigned n = 0;
	for (size_t i = 0; i < syscall_count; i++) {
		const struct sc_rule *r = &p->syscalls[i];
		struct sc_action e = how_effective_action(p, i);
		const struct origin *ro = sc_rule_origin(p, i);
		bool mine;
		if (syscall_is_always_allowed(i))
			continue; /* on a line of their own */
		if (by_default || !o)
			mine = r->action.kind == SC_UNSET;
		else
			mine = r->action.kind != SC_UNSET && ro->file == o->file &&
			       ro->line == o->line && ro->key == o->key;
		if (!mine || e.kind != a->kind || e.errnum != a->errnum)
			continue;
		if (n % 8 == 0)
			fputs(n ? "\n      " : "      ", f);
		fprintf(f, "%s ", syscall_table[i].name);
		n++;
	}
	if (n)
		fputc('\n', f);
}

/* Who refuses executable memfds: seccomp (memfd-exec = no, or W^X), the
 * vm.memfd_noexec sysctl of the sandbox's pid namespace (only root can set
 * it), or nobody. */
static const char *memfd_exec_line(const struct policy *p)
{
	if (!p->memfd_exec || p->wx)
		return "memfd-exec: no (only MFD_NOEXEC_SEAL memfds)";
	if (p->memfd_exec_s.set)
		return "memfd-exec: yes";
	return "memfd-exec: refused where root runs glovebox";
}

/* One line per rule that decided something, with how many calls. */
static void explain_call_rules(const struct policy *p, const struct explain_env *env, FILE *f)
{
	char buf[512], act[64], line[1024];
	struct seen {
		struct origin o;
		struct sc_action a;
		unsigned n;
	};
	_cleanup_free_ struct seen *seen = NULL;
	size_t n_seen = 0;
	unsigned unlisted = 0;
	for (size_t i = 0; i < syscall_count; i++) {
		const struct sc_rule *r = &p->syscalls[i];
		if (syscall_is_always_allowed(i))
			continue;
		if (r->action.kind == SC_UNSET) {
			unlisted++;
			continue;
		}
		struct sc_action e = how_effective_action(p, i);
		const struct origin *ro = sc_rule_origin(p, i);
		size_t k;
		for (k = 0; k < n_seen; k++)
			if (seen[k].o.file == ro->file && seen[k].o.line == ro->line &&
			    seen[k].o.key == ro->key && seen[k].a.kind == e.kind &&
			    seen[k].a.errnum == e.errnum)
				break;
		if (k == n_seen)
			*APPEND(seen, n_seen) = (struct seen){*ro, e, 0};
		seen[k].n++;
	}
	for (size_t k = 0; k < n_seen; k++) {
		snprintf(line, sizeof(line), "%u call%s: %s", seen[k].n, seen[k].n == 1 ? "" : "s",
			 sc_action_format(&seen[k].a, act, sizeof(act)));
		fprintf(f, "  %-18s %-34s # %s\n", seen[k].o.key ? seen[k].o.key : "rule", line,
			explain_from(&seen[k].o, true, buf, sizeof(buf)));
		if (env->calls || seen[k].n <= 8)
			list_names(f, p, &seen[k].o, &seen[k].a, false);
	}
	if (unlisted) {
		fprintf(f, "  %-18s %u calls: %-24s # the default action\n", "(not listed)", unlisted,
			sc_action_format(&p->default_action, act, sizeof(act)));
		if (env->calls)
			list_names(f, p, NULL, &p->default_action, true);
	}
}

static void explain_namespaces(const struct policy *p, FILE *f)
{
	char buf[512], line[1024];
	if (p->ns_allowed == NS_ALL) {
		fprintf(f, "    %-52s # %s\n", "namespaces: the command may create any",
			explain_from(&p->ns_s.origin, p->ns_s.set, buf, sizeof(buf)));
		return;
	}
	size_t w = (size_t)snprintf(line, sizeof(line), "namespaces: only");
	unsigned count = 0;
	for (size_t i = 0; i < named_const_count; i++)
		if (named_consts[i].kind == CONST_CLONE && (p->ns_allowed & named_consts[i].value)) {
			w += (size_t)snprintf(line + w, sizeof(line) - w, " %s",
					      named_consts[i].alias);
			count++;
		}
	if (!count)
		snprintf(line, sizeof(line), "namespaces: none may be created");
	fprintf(f, "    %-52s # %s\n", line, explain_from(&p->ns_s.origin, p->ns_s.set, buf, sizeof(buf)));
	fputs("      (clone, unshare and setns checked; clone3 answers ENOSYS)\n", f);
}

static void explain_families(const struct policy *p, FILE *f)
{
	char buf[512], line[1024];
	if (!p->families_restricted) {
		fprintf(f, "    %-52s # %s\n", "socket families: any",
			explain_from(&p->families_s.origin, p->families_s.set, buf, sizeof(buf)));
		return;
	}
	size_t w = (size_t)snprintf(line, sizeof(line), "socket families:");
	for (unsigned fam = 0; fam < 64; fam++)
		if (p->families & (UINT64_C(1) << fam)) {
			const char *name = const_name(fam, CONST_FAMILY);
			w += (size_t)snprintf(line + w, sizeof(line) - w, " %s", name ? name + 3 : "?");
		}
	fprintf(f, "    %-52s # %s\n", line, explain_from(&p->families_s.origin, true, buf, sizeof(buf)));
}

static void explain_arg_rules(const struct policy *p, FILE *f)
{
	char buf[512], line[1024];
	fputs("  argument rules:\n", f);
	fputs("    ioctl TIOCSTI and TIOCLINUX refused (terminal injection), always\n", f);
	explain_namespaces(p, f);
	explain_families(p, f);
	fprintf(f, "    %-52s # %s\n",
		p->wx ? "write-xor-execute: on" : "write-xor-execute: off",
		explain_from(&p->wx_s.origin, p->wx_s.set, buf, sizeof(buf)));
	fprintf(f, "    %-52s # %s\n", memfd_exec_line(p),
		explain_from(&p->memfd_exec_s.origin, p->memfd_exec_s.set, buf, sizeof(buf)));
	fprintf(f, "    %-52s # %s\n",
		p->personality_locked ? "personality: locked to PER_LINUX" : "personality: any",
		explain_from(&p->personality_s.origin, p->personality_s.set, buf, sizeof(buf)));
	for (size_t i = 0; i < p->n_arg_rules; i++) {
		rule_format(&p->arg_rules[i], line, sizeof(line));
		fprintf(f, "    %-52s # %s\n", line,
			explain_from(&p->arg_rules[i].origin, true, buf, sizeof(buf)));
	}
}

void explain_how(const struct policy *p, const struct explain_env *env, FILE *f)
{
	char act[64];
	fputs("[how]\n", f);
	explain_row(f, "default", sc_action_format(&p->default_action, act, sizeof(act)),
	    &p->default_action_s);
	fputs("  newer calls        errno ENOSYS (unknown to glovebox: libraries fall back)\n", f);
	fputs("  foreign ABIs       kill (i386 int 0x80, x32)\n", f);
	fputs("  exit calls         allow (exit exit_group rt_sigreturn: never denied)\n", f);
	explain_call_rules(p, env, f);
	explain_arg_rules(p, f);
}
