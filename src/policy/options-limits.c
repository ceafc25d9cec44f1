/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The appliers of the [limits] settings: rlimits by name, the wall-clock
 * timeout, the tmpfs budget and the process count. What they mean for
 * the sandbox is worked out by where/plan.c (the tmpfs budget) and
 * what/limits.c (the process count). */
#include "policy/appliers.h"

#include <string.h>

/* "none" or a value that parse() takes and that is not 0: 0 in *out
 * stands for "no limit". */
static int parse_limit(const char *s, int (*parse)(const char *, uint64_t *), uint64_t *out)
{
	if (streq(s, "none")) {
		*out = 0;
		return 0;
	}
	return parse(s, out) < 0 || *out == 0 ? -1 : 0;
}

int apply_timeout(struct policy *p, const struct gb_option *opt _unused_, char **a,
		  size_t n _unused_, const struct origin *o, struct diag *d)
{
	uint64_t ms;
	if (parse_limit(a[0], parse_duration_ms, &ms) < 0)
		return diag_error(d, o, "%s: expected a duration (90, 1.5s, 10m, 2h) or none", a[0]);
	p->timeout_ms = ms;
	p->timeout_s = (struct setting){true, *o};
	return 0;
}

/* A size or none (0), into *bytes with its origin. */
static int set_size_limit(const char *v, uint64_t *bytes, struct setting *s,
			  const struct origin *o, struct diag *d)
{
	uint64_t value;
	if (parse_limit(v, parse_size, &value) < 0)
		return diag_error(d, o, "%s: expected a size (512M, 2G) or none", v);
	*bytes = value;
	*s = (struct setting){true, *o};
	return 0;
}

int apply_tmpfs_budget(struct policy *p, const struct gb_option *opt _unused_, char **a,
		       size_t n _unused_, const struct origin *o, struct diag *d)
{
	return set_size_limit(a[0], &p->tmpfs_budget, &p->tmpfs_budget_s, o, d);
}

int apply_processes(struct policy *p, const struct gb_option *opt _unused_, char **a,
		    size_t n _unused_, const struct origin *o, struct diag *d)
{
	uint64_t count;
	/* the command and one more at least: pid_max cannot go below 301 */
	if (parse_limit(a[0], parse_u64, &count) < 0 || count == 1 || count > LIMIT_PROCESSES_MAX)
		return diag_error(d, o, "%s: expected a number from 2 to %u, or none", a[0],
				  LIMIT_PROCESSES_MAX);
	p->processes = (uint32_t)count;
	p->processes_s = (struct setting){true, *o};
	return 0;
}

/* inotify-instances, inotify-watches: N, N% of the user's own limit, or
 * none (the user's own, not lowered). */
int apply_ucount(struct policy *p, const struct gb_option *opt, char **a, size_t n _unused_,
		 const struct origin *o, struct diag *d)
{
	struct ucount_limit u = {.s = {true, *o}};
	if (!streq(a[0], "none")) {
		u.percent = parse_percent(a[0], &u.value) == 0;
		if (!u.percent && parse_u64(a[0], &u.value) < 0)
			u.value = 0;
		if (u.value == 0 || u.value > INT32_MAX || (u.percent && u.value > 100))
			return diag_error(d, o, "%s: expected a count (1 or more), a share of "
					  "yours (1%% to 100%%), or none", a[0]);
	}
	p->ucounts[opt->data] = u;
	return 0;
}

int apply_memory(struct policy *p, const struct gb_option *opt _unused_, char **a,
		 size_t n _unused_, const struct origin *o, struct diag *d)
{
	return set_size_limit(a[0], &p->memory, &p->memory_s, o, d);
}

int apply_pids(struct policy *p, const struct gb_option *opt _unused_, char **a,
	       size_t n _unused_, const struct origin *o, struct diag *d)
{
	uint64_t count;
	if (parse_limit(a[0], parse_u64, &count) < 0 || count > INT32_MAX)
		return diag_error(d, o, "%s: expected a number (1 or more) or none", a[0]);
	p->pids = (uint32_t)count;
	p->pids_s = (struct setting){true, *o};
	return 0;
}

/* 100% is one CPU's time, 250% two and a half CPUs'. */
int apply_cpu_quota(struct policy *p, const struct gb_option *opt _unused_, char **a,
		    size_t n _unused_, const struct origin *o, struct diag *d)
{
	uint64_t percent;
	if (parse_limit(a[0], parse_percent, &percent) < 0 || percent > 100000)
		return diag_error(d, o, "%s: expected a percentage of one CPU (50%%, 200%%) or none",
				  a[0]);
	p->cpu_quota = (uint32_t)percent;
	p->cpu_quota_s = (struct setting){true, *o};
	return 0;
}

/* cgroup = PATH, a delegated cgroup v2 directory, or session: the
 * systemd delegation glovebox runs in. */
int apply_cgroup(struct policy *p, const struct gb_option *opt _unused_, char **a,
		 size_t n _unused_, const struct origin *o, struct diag *d)
{
	if (!streq(a[0], "session") && a[0][0] != '/')
		return diag_error(d, o, "%s: expected session or an absolute path", a[0]);
	free(p->cgroup);
	p->cgroup = streq(a[0], "session") ? NULL : xstrdup(a[0]);
	p->cgroup_s = (struct setting){true, *o};
	return 0;
}

int apply_cgroup_fallback(struct policy *p, const struct gb_option *opt _unused_, char **a,
			  size_t n _unused_, const struct origin *o, struct diag *d)
{
	if (!streq(a[0], "none") && !streq(a[0], "rlimits"))
		return diag_error(d, o, "%s: expected none or rlimits", a[0]);
	p->cgroup_fallback = streq(a[0], "none") ? CGROUP_FALLBACK_NONE : CGROUP_FALLBACK_RLIMITS;
	p->cgroup_fallback_s = (struct setting){true, *o};
	return 0;
}

static const char *const unit_forms[] = {
	[RLIMIT_UNIT_COUNT] = "",
	[RLIMIT_UNIT_BYTES] = " (sizes may end in K, M or G)",
	[RLIMIT_UNIT_SECONDS] = " (durations: 90, 1.5s, 10m, 2h; whole seconds)",
};

int apply_rlimit(struct policy *p, const struct gb_option *opt, char **a, size_t n _unused_,
		 const struct origin *o, struct diag *d)
{
	int resource = (int)opt->data;
	struct rlimit lim;
	_cleanup_free_ char *copy = xstrdup(a[0]);
	char *colon = strchr(copy, ':');
	if (colon)
		*colon = '\0';
	if (parse_rlim_value(copy, resource, &lim.rlim_cur) < 0 ||
	    parse_rlim_value(colon ? colon + 1 : copy, resource, &lim.rlim_max) < 0)
		return diag_error(d, o, "%s: expected a number, unlimited, or SOFT:HARD%s", a[0],
				  unit_forms[rlimit_unit(resource)]);
	if (lim.rlim_cur > lim.rlim_max)
		return diag_error(d, o, "%s: the soft limit is above the hard limit", a[0]);
	p->rlimits[resource] = (struct rlimit_setting){true, lim, *o};
	return 0;
}

int option_rlimit(const struct gb_option *opt)
{
	return opt->apply == apply_rlimit ? (int)opt->data : -1;
}

/* The spellings of before [limits]: [what] rlimit-NAME and timeout,
 * --rlimit-NAME. The key or option they became, for the error that
 * names it; NULL for any other. */
const struct gb_option *option_moved_key(const char *section, const char *key)
{
	if (!streq(section, "what"))
		return NULL;
	if (strncmp(key, "rlimit-", 7) == 0)
		key += strlen("rlimit-");
	else if (!streq(key, "timeout"))
		return NULL;
	return option_by_key("limits", key);
}

const struct gb_option *option_moved_cli(const char *name)
{
	return strncmp(name, "rlimit-", 7) == 0 ? option_moved_key("what", name) : NULL;
}
