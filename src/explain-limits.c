/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* explain's [limits]: each limit, its origin, and what holds it here. */
#include "explain-internal.h"

#include <inttypes.h>
#include <stdio.h>

#include "launch/cgroup.h"
#include "policy/options.h"
#include "what/limits.h"
#include "what/ucounts.h"

static void explain_rlimit(const struct gb_option *o, int resource, const struct rlimit_setting *r,
			   FILE *f)
{
	char v[96], cur[32], max[32];
	struct rlimit lim = r->lim;
	bool inherited = !r->set;
	if (inherited && getrlimit(resource, &lim) < 0)
		return;
	snprintf(cur, sizeof(cur), "%llu", (unsigned long long)lim.rlim_cur);
	snprintf(max, sizeof(max), "%llu", (unsigned long long)lim.rlim_max);
	snprintf(v, sizeof(v), "%s%s:%s", inherited ? "inherited, " : "",
		 lim.rlim_cur == RLIM_INFINITY ? "unlimited" : cur,
		 lim.rlim_max == RLIM_INFINITY ? "unlimited" : max);
	struct setting s = {r->set, r->origin};
	explain_row(f, o->key, v, &s);
}

static void explain_ucounts(const struct policy *p, FILE *f)
{
	uint64_t users[UCOUNT_KINDS], values[UCOUNT_KINDS];
	what_ucounts_resolve(p, users, values);
	for (int i = 0; i < UCOUNT_KINDS; i++) {
		char line[128];
		ucount_describe(&p->ucounts[i], users[i], line, sizeof(line));
		explain_row(f, ucount_keys[i], line, &p->ucounts[i].s);
	}
}

/* Each cgroup limit, and what holds it on this machine: the sandbox's
 * cgroup, the rlimit standing in for it, or nothing (the launch fails). */
static void explain_cgroup(const struct policy *p, FILE *f)
{
	struct cgroup_base b = {0};
	bool ok = cgroup_wanted(p) && cgroup_find_base(p, &b) == 0;
	bool rl = !ok && p->cgroup_fallback == CGROUP_FALLBACK_RLIMITS;
	char line[640], v[64];
	const char *held = ok ? "cgroup " : rl ? "" : "refused: ";
	snprintf(line, sizeof(line), "%s: %s%s", explain_size_text(p->memory, v, sizeof(v)),
		 held, ok ? "memory.max" : rl ? "RLIMIT_AS of each process" : b.why);
	explain_row(f, "memory", p->memory ? line : "none", &p->memory_s);
	snprintf(line, sizeof(line), "%" PRIu32 ": %s%s", p->pids, held,
		 ok ? "pids.max" : rl ? "the process limit" : b.why);
	explain_row(f, "pids", p->pids ? line : "none", &p->pids_s);
	snprintf(line, sizeof(line), "%" PRIu32 "%% of one CPU: %s%s", p->cpu_quota, held,
		 ok ? "cpu.max" : rl ? "not held (no rlimit for it)" : b.why);
	explain_row(f, "cpu-quota", p->cpu_quota ? line : "none", &p->cpu_quota_s);
	if (ok)
		snprintf(line, sizeof(line), "%s (the sandbox's: sandbox-PID in it)", b.dir);
	else
		snprintf(line, sizeof(line), "%s: %s", p->cgroup ? p->cgroup : "session", b.why);
	explain_row(f, "cgroup", cgroup_wanted(p) ? line : "none (no cgroup limit)", &p->cgroup_s);
	explain_row(f, "cgroup-fallback",
		    p->cgroup_fallback == CGROUP_FALLBACK_RLIMITS ? "rlimits" : "none",
		    &p->cgroup_fallback_s);
	cgroup_base_free(&b);
}

void explain_limits(const struct policy *p, FILE *f)
{
	static const char *const how[] = {
		[PROCESS_LIMIT_NONE] = "",
		[PROCESS_LIMIT_PID_MAX] = " (the pid namespace's pid_max)",
		[PROCESS_LIMIT_NPROC] = (" (RLIMIT_NPROC: no per-namespace pid_max here; "
					 "not enforced for root)"),
	};
	char line[256], v[64];
	fputs("[limits]\n", f);
	snprintf(line, sizeof(line), "%" PRIu32 "%s", p->processes, how[what_process_limit(p)]);
	explain_row(f, "processes", p->processes ? line : "none", &p->processes_s);
	snprintf(line, sizeof(line), "%s, shared by every tmpfs",
		 explain_size_text(p->tmpfs_budget, v, sizeof(v)));
	explain_row(f, "tmpfs", p->tmpfs_budget ? line : "none", &p->tmpfs_budget_s);
	if (p->timeout_ms)
		snprintf(line, sizeof(line), "%.3g s, then SIGTERM; SIGKILL 5 s later; exit 124",
			 (double)p->timeout_ms / 1000);
	explain_row(f, "timeout", p->timeout_ms ? line : "none", &p->timeout_s);
	explain_ucounts(p, f);
	explain_cgroup(p, f);
	for (size_t i = 0; i < gb_option_count; i++) {
		int resource = option_rlimit(&gb_options[i]);
		if (resource >= 0)
			explain_rlimit(&gb_options[i], resource, &p->rlimits[resource], f);
	}
}

