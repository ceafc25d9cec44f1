/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "policy/options.h"

#include "how/constants.h"
#include "how/rules.h"

#include <cap-ng.h>
#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- value parsers ---- */

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
	case 'k': case 'K': shift = 10; break;
	case 'm': case 'M': shift = 20; break;
	case 'g': case 'G': shift = 30; break;
	case 't': case 'T': shift = 40; break;
	default: break;
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

/* ---- path checks ---- */

/* A destination inside the sandbox: absolute, no "..", normalised
 * ("//" and "/./" collapsed, no trailing slash). Refusing ".." keeps every
 * destination a plain descent from the new root. */
static int normalize_dest(const char *in, char **out, struct diag *d, const struct origin *o)
{
	*out = NULL;
	if (in[0] != '/')
		return diag_error(d, o, "%s: destination must be an absolute path", in);
	size_t len = strlen(in);
	char *r = xmalloc(len + 1);
	size_t w = 0;
	const char *p = in;
	while (*p) {
		while (*p == '/')
			p++;
		size_t seg = strcspn(p, "/");
		if (seg == 0)
			break;
		if (seg == 1 && p[0] == '.') {
			p += seg;
			continue;
		}
		if (seg == 2 && p[0] == '.' && p[1] == '.') {
			free(r);
			return diag_error(d, o, "%s: '..' is not allowed in a destination", in);
		}
		r[w++] = '/';
		memcpy(r + w, p, seg);
		w += seg;
		p += seg;
	}
	if (w == 0)
		r[w++] = '/';
	r[w] = '\0';
	*out = r;
	return 0;
}

static int check_source(const char *src, struct diag *d, const struct origin *o)
{
	if (!*src)
		return diag_error(d, o, "empty source path");
	return 0;
}

/* ---- [profile] ---- */

static int apply_description(struct policy *p, const struct gb_option *opt _unused_, char **a,
			     size_t n _unused_, const struct origin *o, struct diag *d _unused_)
{
	free(p->description);
	p->description = xstrdup(a[0]);
	p->description_s = (struct setting){true, *o};
	return 0;
}

/* ---- [where] ---- */

static int apply_bind(struct policy *p, const struct gb_option *opt, char **a, size_t n,
		      const struct origin *o, struct diag *d)
{
	enum mount_kind kind = (enum mount_kind)(opt->data & 0xff);
	unsigned flags = (unsigned)(opt->data >> 8);
	const char *src = a[0];
	const char *dest = n > 1 ? a[1] : a[0];
	char *norm;

	if (check_source(src, d, o) < 0)
		return -1;
	if (n == 1 && src[0] != '/')
		return diag_error(d, o, "%s: a relative source needs a destination", src);
	if (normalize_dest(dest, &norm, d, o) < 0)
		return -1;
	struct mount_op *m = policy_add_mount(p, kind, o);
	m->flags = flags;
	m->src = xstrdup(src);
	m->dest = norm;
	return 0;
}

/* DEST followed by key=value options: size=BYTES, mode=OCTAL. */
static int parse_mount_options(struct mount_op *m, char **a, size_t n, bool allow_size,
			       struct diag *d, const struct origin *o)
{
	for (size_t i = 1; i < n; i++) {
		if (allow_size && str_startswith(a[i], "size=")) {
			if (parse_size(a[i] + 5, &m->size) < 0 || m->size == 0)
				return diag_error(d, o, "%s: size must be a number of bytes, "
							"optionally with K, M or G",
						  a[i]);
		} else if (str_startswith(a[i], "mode=")) {
			if (parse_mode(a[i] + 5, &m->mode) < 0)
				return diag_error(d, o, "%s: mode must be octal, like 0755", a[i]);
		} else {
			return diag_error(d, o, "%s: unknown option (expected %s)", a[i],
					  allow_size ? "size=BYTES or mode=OCTAL" : "mode=OCTAL");
		}
	}
	return 0;
}

static int apply_dest_op(struct policy *p, const struct gb_option *opt, char **a, size_t n,
			 const struct origin *o, struct diag *d)
{
	enum mount_kind kind = (enum mount_kind)opt->data;
	char *norm;
	if (normalize_dest(a[0], &norm, d, o) < 0)
		return -1;
	if (streq(norm, "/") && kind != MOUNT_REMOUNT_RO) {
		free(norm);
		return diag_error(d, o, "cannot mount over / itself");
	}
	struct mount_op *m = policy_add_mount(p, kind, o);
	m->dest = norm;
	if (kind == MOUNT_TMPFS || kind == MOUNT_DIR)
		return parse_mount_options(m, a, n, kind == MOUNT_TMPFS, d, o);
	return 0;
}

/* file = DEST CONTENT [mode=OCTAL] */
static int apply_file(struct policy *p, const struct gb_option *opt _unused_, char **a, size_t n,
		      const struct origin *o, struct diag *d)
{
	char *norm;
	/* bubblewrap's --file FD DEST reads the content from a descriptor */
	if (a[0][0] && strspn(a[0], "0123456789") == strlen(a[0]) && a[1][0] == '/')
		return diag_error(d, o, "%s %s: the file comes first, then its content (DEST CONTENT)",
				  a[0], a[1]);
	if (normalize_dest(a[0], &norm, d, o) < 0)
		return -1;
	if (streq(norm, "/")) {
		free(norm);
		return diag_error(d, o, "a file cannot be /");
	}
	struct mount_op *m = policy_add_mount(p, MOUNT_FILE, o);
	m->dest = norm;
	m->src = xstrdup(a[1]);
	for (size_t i = 2; i < n; i++)
		if (!str_startswith(a[i], "mode=") || parse_mode(a[i] + 5, &m->mode) < 0)
			return diag_error(d, o, "%s: expected mode=OCTAL", a[i]);
	return 0;
}

/* chmod = MODE PATH, in bubblewrap's order */
static int apply_chmod(struct policy *p, const struct gb_option *opt _unused_, char **a,
		       size_t n _unused_, const struct origin *o, struct diag *d)
{
	uint32_t mode;
	if (parse_mode(a[0], &mode) < 0)
		return diag_error(d, o, "%s: the mode is octal, like 0755", a[0]);
	char *norm;
	if (normalize_dest(a[1], &norm, d, o) < 0)
		return -1;
	struct mount_op *m = policy_add_mount(p, MOUNT_CHMOD, o);
	m->dest = norm;
	m->mode = mode;
	return 0;
}

/* tmp-overlay = LOWER [DEST]; overlay = LOWER DIR [DEST] */
static int apply_overlay(struct policy *p, const struct gb_option *opt, char **a, size_t n,
			 const struct origin *o, struct diag *d)
{
	bool persistent = opt->data == MOUNT_OVERLAY;
	const char *lower = a[0];
	const char *dir = persistent ? a[1] : NULL;
	size_t dest_at = persistent ? 2 : 1;
	const char *dest = n > dest_at ? a[dest_at] : lower;
	char *norm;
	if (lower[0] != '/' || (dir && dir[0] != '/'))
		return diag_error(d, o, "the host paths of an overlay must be absolute");
	if (normalize_dest(dest, &norm, d, o) < 0)
		return -1;
	if (streq(norm, "/")) {
		free(norm);
		return diag_error(d, o, "cannot overlay / itself");
	}
	struct mount_op *m = policy_add_mount(p, (enum mount_kind)opt->data, o);
	m->src = xstrdup(lower);
	m->aux = dir ? xstrdup(dir) : NULL;
	m->dest = norm;
	return 0;
}

static int apply_symlink(struct policy *p, const struct gb_option *opt _unused_, char **a,
			 size_t n _unused_, const struct origin *o, struct diag *d)
{
	char *norm;
	if (!*a[0])
		return diag_error(d, o, "empty symlink target");
	if (normalize_dest(a[1], &norm, d, o) < 0)
		return -1;
	struct mount_op *m = policy_add_mount(p, MOUNT_SYMLINK, o);
	m->src = xstrdup(a[0]);
	m->dest = norm;
	return 0;
}

static int apply_mirror(struct policy *p, const struct gb_option *opt _unused_, char **a, size_t n,
			const struct origin *o, struct diag *d)
{
	for (size_t i = 0; i < n; i++) {
		char *norm;
		if (normalize_dest(a[i], &norm, d, o) < 0)
			return -1;
		struct mount_op *m = policy_add_mount(p, MOUNT_MIRROR, o);
		m->flags = MOUNT_F_TRY;
		m->src = xstrdup(norm);
		m->dest = norm;
	}
	return 0;
}

/* The last entry that puts DEST somewhere inside its own tree: what to
 * name when nothing is at DEST itself. */
static const struct mount_op *enclosing_mount(const struct policy *p, const char *dest)
{
	for (size_t i = p->n_mounts; i > 0; i--) {
		const struct mount_op *m = &p->mounts[i - 1];
		if (!streq(m->dest, dest) && path_at_or_below(dest, m->dest))
			return m;
	}
	return NULL;
}

/* remove = DEST...: take away what earlier layers put at DEST or below. */
static int apply_remove(struct policy *p, const struct gb_option *opt _unused_, char **a, size_t n,
			const struct origin *o, struct diag *d)
{
	struct strv dests = {0};
	int ret = 0;
	for (size_t i = 0; i < n && ret == 0; i++) { /* all well-formed before any goes */
		char *norm;
		ret = normalize_dest(a[i], &norm, d, o);
		if (ret == 0)
			strv_push(&dests, norm);
	}
	for (size_t i = 0; i < dests.n && ret == 0; i++) {
		const char *dest = dests.v[i];
		if (policy_remove_mounts(p, mount_at_or_below, dest, o) > 0)
			continue;
		const struct mount_op *m = enclosing_mount(p, dest);
		char where[512];
		if (m)
			origin_format(&m->origin, where, sizeof(where));
		ret = m ? diag_error(d, o,
				     "%s: nothing is put there on its own: it is inside %s %s (%s); "
				     "remove %s, or cover it with tmpfs = %s",
				     dest, mount_kind_name(m->kind), m->dest, where, m->dest, dest)
			: diag_error(d, o, "%s: nothing is put there, or below it", dest);
	}
	strv_free(&dests);
	return ret;
}

static int apply_chdir(struct policy *p, const struct gb_option *opt _unused_, char **a,
		       size_t n _unused_, const struct origin *o, struct diag *d)
{
	char *norm;
	if (normalize_dest(a[0], &norm, d, o) < 0)
		return -1;
	free(p->chdir);
	p->chdir = norm;
	p->chdir_s = (struct setting){true, *o};
	return 0;
}

/* ---- one word of a fixed list ---- */

/* The options whose value is one word of a fixed list, each word a value
 * of one policy field: opt->data is their row here. */
enum keyword_option {
	KW_HOME,
	KW_CWD,
	KW_NETWORK,
	KW_TERMINAL,
	KW_USER,
	KW_BACKGROUND,
	KW_PERSONALITY,
};

#define POLICY_FIELD(f) offsetof(struct policy, f), sizeof(((struct policy *)0)->f)

struct keyword_word {
	const char *word;
	int value;
};

struct keyword_row {
	struct keyword_word words[5]; /* in the order the error message lists them */
	size_t field, size, setting;
};

static const struct keyword_row keyword_options[] = {
	[KW_HOME] = {{{"tmpfs", HOME_TMPFS}, {"ro", HOME_RO}, {"rw", HOME_RW},
		      {"private", HOME_PRIVATE}, {"none", HOME_NONE}},
		     POLICY_FIELD(home), offsetof(struct policy, home_s)},
	[KW_CWD] = {{{"ro", CWD_RO}, {"rw", CWD_RW}, {"none", CWD_NONE}},
		    POLICY_FIELD(cwd), offsetof(struct policy, cwd_s)},
	[KW_NETWORK] = {{{"none", NET_NONE}, {"host", NET_HOST}},
			POLICY_FIELD(network), offsetof(struct policy, network_s)},
	[KW_TERMINAL] = {{{"pty", TERMINAL_PTY}, {"host", TERMINAL_HOST}},
			 POLICY_FIELD(terminal), offsetof(struct policy, terminal_s)},
	[KW_USER] = {{{"self", USER_SELF}, {"root", USER_ROOT}},
		     POLICY_FIELD(user), offsetof(struct policy, user_s)},
	[KW_BACKGROUND] = {{{"kill", BACKGROUND_KILL}, {"wait", BACKGROUND_WAIT}},
			   POLICY_FIELD(background), offsetof(struct policy, background_s)},
	[KW_PERSONALITY] = {{{"locked", true}, {"any", false}},
			    POLICY_FIELD(personality_locked), offsetof(struct policy, personality_s)},
};

static int apply_keyword(struct policy *p, const struct gb_option *opt, char **a,
			 size_t n _unused_, const struct origin *o, struct diag *d)
{
	const struct keyword_row *k = &keyword_options[opt->data];
	char *field = (char *)p + k->field;
	size_t i = 0;
	for (; i < ELEMENTSOF(k->words) && k->words[i].word; i++) {
		if (!streq(a[0], k->words[i].word))
			continue;
		/* the field is an enum (int-sized) or a bool */
		int value = k->words[i].value;
		bool flag = value != 0;
		memcpy(field, k->size == sizeof(bool) ? (void *)&flag : (void *)&value, k->size);
		*(struct setting *)(void *)((char *)p + k->setting) = (struct setting){true, *o};
		return 0;
	}
	/* "expected a, b or c" */
	char expected[128];
	size_t w = 0;
	for (size_t j = 0; j < i; j++)
		w += (size_t)snprintf(expected + w, sizeof(expected) - w, "%s%s",
				      j == 0 ? "" : j + 1 == i ? " or " : ", ", k->words[j].word);
	return diag_error(d, o, "%s: expected %s", a[0], expected);
}

static int apply_hostname(struct policy *p, const struct gb_option *opt _unused_, char **a,
			  size_t n _unused_, const struct origin *o, struct diag *d)
{
	size_t len = strlen(a[0]);
	if (len == 0 || len > 64)
		return diag_error(d, o, "%s: a host name has 1 to 64 characters", a[0]);
	for (const char *c = a[0]; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '-' && *c != '.' && *c != '_')
			return diag_error(d, o, "%s: a host name has only letters, digits, "
						"'-', '_' and '.'",
					  a[0]);
	free(p->hostname);
	p->hostname = xstrdup(a[0]);
	p->hostname_s = (struct setting){true, *o};
	return 0;
}

/* ---- [what] ---- */

static int apply_capabilities(struct policy *p, const struct gb_option *opt _unused_, char **a,
			      size_t n, const struct origin *o, struct diag *d)
{
	uint64_t caps = 0;
	for (size_t i = 0; i < n; i++) {
		if (streq(a[i], "none")) {
			if (n > 1)
				return diag_error(d, o, "'none' cannot be combined with names");
			continue;
		}
		int c = parse_capability(a[i]);
		if (c < 0 || c > CAP_LAST_CAP || c > 63)
			return diag_error(d, o, "%s: unknown capability", a[i]);
		caps |= UINT64_C(1) << c;
	}
	p->caps = caps;
	p->caps_s = (struct setting){true, *o};
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
	if (end == s || errno || !(v >= 0) || s[0] == '-' || s[0] == '+' || isspace((unsigned char)s[0]))
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

static int apply_timeout(struct policy *p, const struct gb_option *opt _unused_, char **a,
			 size_t n _unused_, const struct origin *o, struct diag *d)
{
	uint64_t ms;
	if (streq(a[0], "none"))
		ms = 0;
	else if (parse_duration_ms(a[0], &ms) < 0 || ms == 0)
		return diag_error(d, o, "%s: expected a duration (90, 1.5s, 10m, 2h) or none", a[0]);
	p->timeout_ms = ms;
	p->timeout_s = (struct setting){true, *o};
	return 0;
}

static bool rlimit_is_bytes(int resource)
{
	return resource == RLIMIT_AS || resource == RLIMIT_CORE || resource == RLIMIT_DATA ||
	       resource == RLIMIT_FSIZE || resource == RLIMIT_MEMLOCK ||
	       resource == RLIMIT_STACK || resource == RLIMIT_MSGQUEUE;
}

static int parse_rlim_value(const char *s, int resource, rlim_t *out)
{
	uint64_t v;
	if (streq(s, "unlimited") || streq(s, "infinity")) {
		*out = RLIM_INFINITY;
		return 0;
	}
	int r = rlimit_is_bytes(resource) ? parse_size(s, &v) : parse_u64(s, &v);
	if (r < 0)
		return r;
	if (v >= RLIM_INFINITY)
		return -ERANGE;
	*out = (rlim_t)v;
	return 0;
}

static int apply_rlimit(struct policy *p, const struct gb_option *opt, char **a,
			size_t n _unused_, const struct origin *o, struct diag *d)
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
				  rlimit_is_bytes(resource) ? " (sizes may end in K, M or G)" : "");
	if (lim.rlim_cur > lim.rlim_max)
		return diag_error(d, o, "%s: the soft limit is above the hard limit", a[0]);
	p->rlimits[resource] = (struct rlimit_setting){true, lim, *o};
	return 0;
}

int option_rlimit(const struct gb_option *opt)
{
	return opt->apply == apply_rlimit ? (int)opt->data : -1;
}

/* ---- [how] ---- */

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

static int apply_allow(struct policy *p, const struct gb_option *opt _unused_, char **a, size_t n,
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
static int apply_deny(struct policy *p, const struct gb_option *opt _unused_, char **a, size_t n,
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

static int apply_default_action(struct policy *p, const struct gb_option *opt _unused_, char **a,
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

static int apply_namespaces(struct policy *p, const struct gb_option *opt _unused_, char **a,
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

static int apply_scope(struct policy *p, const struct gb_option *opt _unused_, char **a, size_t n,
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

static int apply_families(struct policy *p, const struct gb_option *opt _unused_, char **a,
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

/* The yes/no options: opt->data is their row. */
enum bool_option {
	BOOL_WX,
	BOOL_ENV_CLEAR,
	BOOL_UNSHARE_PID,
	BOOL_UNSHARE_IPC,
	BOOL_UNSHARE_UTS,
	BOOL_UNSHARE_CGROUP,
	BOOL_UNSHARE_USER,
};

static void apply_unshare(struct policy *p, enum unshare_kind k, bool v, const struct origin *o)
{
	static const unsigned long flags[UNSHARE_COUNT] = {
		[UNSHARE_PID] = CLONE_NEWPID, [UNSHARE_IPC] = CLONE_NEWIPC,
		[UNSHARE_UTS] = CLONE_NEWUTS, [UNSHARE_CGROUP] = CLONE_NEWCGROUP,
		[UNSHARE_USER] = CLONE_NEWUSER,
	};
	if (v)
		p->unshare |= flags[k];
	else
		p->unshare &= ~flags[k];
	p->unshare_s[k] = (struct setting){true, *o};
	/* A proc without the sandbox's own pid namespace would show the host's
	 * processes: the proc entries so far go (explain shows them); one
	 * added later is an error (policy_validate). */
	if (k == UNSHARE_PID && !v)
		policy_remove_mounts(p, mount_is_proc, NULL, o);
}

static int apply_bool_setting(struct policy *p, const struct gb_option *opt, char **a,
			      size_t n _unused_, const struct origin *o, struct diag *d)
{
	bool v;
	if (parse_bool(a[0], &v) < 0)
		return diag_error(d, o, "%s: expected yes or no", a[0]);
	switch ((enum bool_option)opt->data) {
	case BOOL_WX:
		p->wx = v;
		p->wx_s = (struct setting){true, *o};
		break;
	case BOOL_ENV_CLEAR:
		p->env_clear = v;
		p->env_clear_s = (struct setting){true, *o};
		break;
	case BOOL_UNSHARE_PID:
	case BOOL_UNSHARE_IPC:
	case BOOL_UNSHARE_UTS:
	case BOOL_UNSHARE_CGROUP:
	case BOOL_UNSHARE_USER:
		apply_unshare(p, (enum unshare_kind)(opt->data - BOOL_UNSHARE_PID), v, o);
		break;
	}
	return 0;
}

static int apply_memfd_exec(struct policy *p, const struct gb_option *opt _unused_, char **a,
			    size_t n _unused_, const struct origin *o, struct diag *d)
{
	bool v;
	if (parse_bool(a[0], &v) < 0)
		return diag_error(d, o, "%s: expected yes or no", a[0]);
	p->memfd_exec = v;
	p->memfd_exec_s = (struct setting){true, *o};
		return 0;
}

static int apply_ioctl_deny(struct policy *p, const struct gb_option *opt _unused_, char **a,
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

static int apply_rule(struct policy *p, const struct gb_option *opt _unused_, char **a,
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

/* ---- [env] ---- */

/* A variable name: letters, digits and '_', not starting with a digit. A
 * keep pattern may also use the shell's * ? and [...] wildcards. */
static bool env_name_valid(const char *s, bool pattern)
{
	if (!*s || (*s >= '0' && *s <= '9'))
		return false;
	for (; *s; s++) {
		if (isalnum((unsigned char)*s) || *s == '_')
			continue;
		if (pattern && strchr("*?[]!", *s))
			continue;
		return false;
	}
	return true;
}

static int apply_env_keep(struct policy *p, const struct gb_option *opt _unused_, char **a,
			  size_t n, const struct origin *o, struct diag *d)
{
	for (size_t i = 0; i < n; i++) {
		if (!env_name_valid(a[i], true))
			return diag_error(d, o, "%s: not a variable name or pattern", a[i]);
		policy_add_env(p, ENV_KEEP, o)->name = xstrdup(a[i]);
	}
	return 0;
}

static int apply_env_set(struct policy *p, const struct gb_option *opt _unused_, char **a,
			 size_t n _unused_, const struct origin *o, struct diag *d)
{
	if (!env_name_valid(a[0], false))
		return diag_error(d, o, "%s: not a variable name", a[0]);
	struct env_op *e = policy_add_env(p, ENV_SET, o);
	e->name = xstrdup(a[0]);
	e->value = xstrdup(a[1]);
	return 0;
}

static int apply_env_unset(struct policy *p, const struct gb_option *opt _unused_, char **a,
			   size_t n, const struct origin *o, struct diag *d)
{
	for (size_t i = 0; i < n; i++) {
		if (!env_name_valid(a[i], false))
			return diag_error(d, o, "%s: not a variable name", a[i]);
		policy_add_env(p, ENV_UNSET, o)->name = xstrdup(a[i]);
	}
	return 0;
}

/* ---- the table ---- */

#define BIND(k, f) ((intptr_t)(k) | ((intptr_t)(f) << 8))
#define RLIMIT_ROW(name, help, resource)                                                           \
	{"what", "rlimit-" name, "rlimit-" name, 0, 1, 1, 1, VALUE_WORDS, 0, "N|SOFT:HARD", help,  \
	 apply_rlimit, resource}

/* clang-format off */
const struct gb_option gb_options[] = {
	/* section, key, cli, short, cli_nargs, min, max, style, flags, metavar, help, apply, data */
	{"profile", "description", "description", 0, 1, 1, 1, VALUE_TEXT, 0, "TEXT",
	 "a line saying what the profile is for", apply_description, 0},
	{"profile", "include", "profile", 'p', 1, 1, 0, VALUE_WORDS, OPT_INCLUDE, "NAME|PATH",
	 "layer a profile (a name on the search path, or a path); later layers win; none: a "
	 "blank slate instead of the built-in default", NULL, 0},

	{"where", "bind", "bind", 0, 2, 1, 2, VALUE_WORDS, 0, "SRC [DEST]",
	 "bind a host path read-write", apply_bind, BIND(MOUNT_BIND, 0)},
	{"where", "bind-try", "bind-try", 0, 2, 1, 2, VALUE_WORDS, OPT_SKIP_UNSET_VAR, "SRC [DEST]",
	 "like bind, skipped when SRC is missing", apply_bind, BIND(MOUNT_BIND, MOUNT_F_TRY)},
	{"where", "ro-bind", "ro-bind", 0, 2, 1, 2, VALUE_WORDS, 0, "SRC [DEST]",
	 "bind a host path read-only (every submount too)", apply_bind, BIND(MOUNT_RO_BIND, 0)},
	{"where", "ro-bind-try", "ro-bind-try", 0, 2, 1, 2, VALUE_WORDS, OPT_SKIP_UNSET_VAR,
	 "SRC [DEST]", "like ro-bind, skipped when SRC is missing", apply_bind,
	 BIND(MOUNT_RO_BIND, MOUNT_F_TRY)},
	{"where", "dev-bind", "dev-bind", 0, 2, 1, 2, VALUE_WORDS, 0, "SRC [DEST]",
	 "bind a host path read-write, device nodes usable", apply_bind, BIND(MOUNT_DEV_BIND, 0)},
	{"where", "dev-bind-try", "dev-bind-try", 0, 2, 1, 2, VALUE_WORDS, OPT_SKIP_UNSET_VAR,
	 "SRC [DEST]", "like dev-bind, skipped when SRC is missing", apply_bind,
	 BIND(MOUNT_DEV_BIND, MOUNT_F_TRY)},
	{"where", "mirror", "mirror", 0, 1, 1, 0, VALUE_WORDS, 0, "PATH...",
	 "recreate host paths: a symlink as the same symlink, else a read-only bind; "
	 "missing ones are skipped", apply_mirror, 0},
	{"where", "tmpfs", "tmpfs", 0, 1, 1, 3, VALUE_WORDS, 0,
	 "DEST [size=BYTES] [mode=OCTAL]", "mount a fresh tmpfs", apply_dest_op, MOUNT_TMPFS},
	{"where", "proc", "proc", 0, 1, 1, 1, VALUE_WORDS, 0, "DEST",
	 "mount proc for the sandbox's own processes", apply_dest_op, MOUNT_PROC},
	{"where", "dev", "dev", 0, 1, 1, 1, VALUE_WORDS, 0, "DEST",
	 "mount a minimal /dev (null zero full random urandom tty pts ptmx shm)", apply_dest_op,
	 MOUNT_DEV},
	{"where", "mqueue", "mqueue", 0, 1, 1, 1, VALUE_WORDS, 0, "DEST",
	 "mount the sandbox's POSIX message queues", apply_dest_op, MOUNT_MQUEUE},
	{"where", "symlink", "symlink", 0, 2, 2, 2, VALUE_WORDS, 0, "TARGET LINK",
	 "create the symlink LINK pointing at TARGET", apply_symlink, 0},
	{"where", "dir", "dir", 0, 1, 1, 2, VALUE_WORDS, 0, "DEST [mode=OCTAL]",
	 "create a directory", apply_dest_op, MOUNT_DIR},
	{"where", "remount-ro", "remount-ro", 0, 1, 1, 1, VALUE_WORDS, 0, "DEST",
	 "make the mount at DEST read-only, with every submount", apply_dest_op,
	 MOUNT_REMOUNT_RO},
	{"where", "file", "file", 0, 2, 2, 3, VALUE_WORDS, 0, "DEST CONTENT [mode=OCTAL]",
	 "a read-only file with this content (in a profile, \\n and \\t in \"quotes\")", apply_file, 0},
	{"where", "chmod", "chmod", 0, 2, 2, 2, VALUE_WORDS, 0, "MODE PATH",
	 "change the mode of a path inside", apply_chmod, 0},
	{"where", "tmp-overlay", "tmp-overlay", 0, 2, 1, 2, VALUE_WORDS, 0, "LOWER [DEST]",
	 "LOWER read-only under a writable layer that vanishes with the sandbox", apply_overlay,
	 MOUNT_TMP_OVERLAY},
	{"where", "overlay", "overlay", 0, 3, 2, 3, VALUE_WORDS, 0, "LOWER DIR [DEST]",
	 "LOWER read-only under a writable layer kept in DIR/upper (DIR/work: scratch)",
	 apply_overlay, MOUNT_OVERLAY},
	{"where", "remove", "remove", 0, 1, 1, 0, VALUE_WORDS, 0, "DEST...",
	 "take away what earlier layers put at DEST or below it (mounts, links, files, dirs)",
	 apply_remove, 0},
	{"where", "chdir", "chdir", 0, 1, 1, 1, VALUE_WORDS, 0, "DIR",
	 "the start directory inside (default: the shared current directory; see cwd)",
	 apply_chdir, 0},
	{"where", "cwd", "cwd", 0, 1, 1, 1, VALUE_WORDS, 0, "ro|rw|none",
	 "share the current directory at its own path and start there (not /, $HOME or a "
	 "directory above it)", apply_keyword, KW_CWD},
	{"where", "home", "home", 0, 1, 1, 1, VALUE_WORDS, 0, "tmpfs|ro|rw|private|none",
	 "what the sandbox sees at $HOME (private: a home of its own, kept between runs of "
	 "the profile)", apply_keyword, KW_HOME},
	{"where", "network", "network", 0, 1, 1, 1, VALUE_WORDS, 0, "none|host",
	 "none: a new network namespace with only loopback; host: share the host's",
	 apply_keyword, KW_NETWORK},
	{"where", "hostname", "hostname", 0, 1, 1, 1, VALUE_WORDS, 0, "NAME",
	 "the host name inside", apply_hostname, 0},
	{"where", "scope", "scope", 0, 1, 1, 0, VALUE_WORDS, OPT_CLI_NAMES,
	 "all|none|abstract-unix signals",
	 "Landlock scoping: no connecting to abstract unix sockets, nor signalling processes, "
	 "outside the sandbox (default all, where the kernel has it)", apply_scope, 0},
	{"where", "terminal", "terminal", 0, 1, 1, 1, VALUE_WORDS, 0, "pty|host",
	 "pty: a pseudo-terminal of its own in front of yours; host: your terminal itself "
	 "(it can then take it over)", apply_keyword, KW_TERMINAL},
	{"where", "unshare-pid", "unshare-pid", 0, 0, 1, 1, VALUE_WORDS, 0, "yes|no",
	 "a pid namespace of its own (no: the host's processes are visible, and the proc "
	 "entries before it go)", apply_bool_setting, BOOL_UNSHARE_PID},
	{"where", "unshare-ipc", "unshare-ipc", 0, 0, 1, 1, VALUE_WORDS, 0, "yes|no",
	 "SysV IPC and POSIX queues of its own (no: e.g. for X11 shared memory)",
	 apply_bool_setting, BOOL_UNSHARE_IPC},
	{"where", "unshare-uts", "unshare-uts", 0, 0, 1, 1, VALUE_WORDS, 0, "yes|no",
	 "a host name of its own", apply_bool_setting, BOOL_UNSHARE_UTS},
	{"where", "unshare-cgroup", "unshare-cgroup", 0, 0, 1, 1, VALUE_WORDS, 0, "yes|no",
	 "a cgroup namespace of its own", apply_bool_setting, BOOL_UNSHARE_CGROUP},
	{"where", "unshare-user", "unshare-user", 0, 0, 1, 1, VALUE_WORDS, 0, "yes|no",
	 "a user namespace of its own (no: root only; the command's uid 0 and any kept "
	 "capabilities are then the host's)",
	 apply_bool_setting, BOOL_UNSHARE_USER},

	{"what", "capabilities", "capabilities", 0, 1, 1, 0, VALUE_WORDS, OPT_CLI_NAMES,
	 "none|CAP...", "capabilities kept in every set (all others are dropped)",
	 apply_capabilities, 0},
	{"what", "user", "user", 0, 1, 1, 1, VALUE_WORDS, 0, "self|root",
	 "the uid and gid inside: your own, or 0", apply_keyword, KW_USER},
	{"what", "background", "background", 0, 1, 1, 1, VALUE_WORDS, 0, "kill|wait",
	 "when the command exits, kill what it left running, or wait for it", apply_keyword,
	 KW_BACKGROUND},
	RLIMIT_ROW("as", "address space limit in bytes", RLIMIT_AS),
	RLIMIT_ROW("core", "core file size limit in bytes", RLIMIT_CORE),
	RLIMIT_ROW("cpu", "CPU time limit in seconds", RLIMIT_CPU),
	RLIMIT_ROW("data", "data segment limit in bytes", RLIMIT_DATA),
	RLIMIT_ROW("fsize", "file size limit in bytes", RLIMIT_FSIZE),
	RLIMIT_ROW("memlock", "locked memory limit in bytes", RLIMIT_MEMLOCK),
	RLIMIT_ROW("msgqueue", "POSIX message queue limit in bytes", RLIMIT_MSGQUEUE),
	RLIMIT_ROW("nice", "nice value ceiling", RLIMIT_NICE),
	RLIMIT_ROW("nofile", "open file limit", RLIMIT_NOFILE),
	RLIMIT_ROW("nproc", "process limit (counted per user across the whole host)", RLIMIT_NPROC),
	RLIMIT_ROW("rtprio", "real-time priority ceiling", RLIMIT_RTPRIO),
	RLIMIT_ROW("sigpending", "pending signal limit", RLIMIT_SIGPENDING),
	RLIMIT_ROW("stack", "stack size limit in bytes", RLIMIT_STACK),
	{"what", "timeout", "timeout", 0, 1, 1, 1, VALUE_WORDS, 0, "DURATION|none",
	 "end the whole sandbox after this long (SIGTERM, SIGKILL 5 s later); glovebox then "
	 "exits 124", apply_timeout, 0},

	{"how", "allow", "allow", 0, 1, 1, 0, VALUE_WORDS, OPT_CLI_NAMES, "CALL|@GROUP...",
	 "system calls allowed", apply_allow, 0},
	{"how", "deny", "deny", 0, 1, 1, 0, VALUE_WORDS, OPT_CLI_NAMES, "CALL[:ACTION]...",
	 "system calls denied, with the default action or kill, log, or an errno name",
	 apply_deny, 0},
	{"how", "default", "default-action", 0, 1, 1, 2, VALUE_WORDS, OPT_CLI_NAMES,
	 "errno NAME|kill|log|allow", "the action for every known call not allowed",
	 apply_default_action, 0},
	{"how", "namespaces", "namespaces", 0, 1, 1, 0, VALUE_WORDS, OPT_CLI_NAMES,
	 "none|all|user mount pid net ipc uts cgroup time",
	 "the namespaces the command may create (clone3 answers ENOSYS unless all)",
	 apply_namespaces, 0},
	{"how", "socket-families", "socket-families", 0, 1, 1, 0, VALUE_WORDS, OPT_CLI_NAMES,
	 "all|unix inet inet6 netlink...", "the address families socket() may use",
	 apply_families, 0},
	{"how", "write-xor-execute", "write-xor-execute", 0, 0, 1, 1, VALUE_WORDS, 0, "yes|no",
	 "no memory both writable and executable, nor made executable later", apply_bool_setting,
	 BOOL_WX},
	{"how", "memfd-exec", "memfd-exec", 0, 1, 1, 1, VALUE_WORDS, 0, "yes|no",
	 "no: memfd_create only with MFD_NOEXEC_SEAL (the default refuses executable memfds "
	 "where root runs glovebox)", apply_memfd_exec, 0},
	{"how", "personality", "personality", 0, 1, 1, 1, VALUE_WORDS, 0, "locked|any",
	 "locked: personality() may not change the execution domain", apply_keyword, KW_PERSONALITY},
	{"how", "ioctl-deny", "ioctl-deny", 0, 1, 1, 0, VALUE_WORDS, OPT_CLI_NAMES, "CMD...",
	 "ioctl commands refused (TIOCSTI and TIOCLINUX always are)", apply_ioctl_deny, 0},
	{"how", "rule", "rule", 0, 1, 1, 1, VALUE_TEXT, 0, "CALL(argN OP VALUE,...)[:ACTION]",
	 "refuse a call when its arguments match (unsigned; an int argument on its low 32 bits)",
	 apply_rule, 0},

	{"env", "keep", "keep-env", 0, 1, 1, 0, VALUE_WORDS, OPT_CLI_NAMES, "NAME|PATTERN...",
	 "variables kept when the environment is cleared (LC_* style patterns)",
	 apply_env_keep, 0},
	{"env", "set", "setenv", 0, 2, 2, 2, VALUE_ASSIGN, 0, "NAME VALUE",
	 "set a variable (in a profile: set = NAME=VALUE)", apply_env_set, 0},
	{"env", "unset", "unsetenv", 0, 1, 1, 0, VALUE_WORDS, OPT_CLI_NAMES, "NAME...",
	 "remove variables", apply_env_unset, 0},
	{"env", "clear", "clearenv", 0, 0, 1, 1, VALUE_WORDS, 0, "yes|no",
	 "start from an empty environment plus the keep list", apply_bool_setting, BOOL_ENV_CLEAR},
};
/* clang-format on */
const size_t gb_option_count = ELEMENTSOF(gb_options);

const char *const gb_sections[] = {"profile", "where", "what", "how", "env"};
const size_t gb_section_count = ELEMENTSOF(gb_sections);

bool option_section_known(const char *section)
{
	for (size_t i = 0; i < gb_section_count; i++)
		if (streq(gb_sections[i], section))
			return true;
	return false;
}

const struct gb_option *option_by_key(const char *section, const char *key)
{
	for (size_t i = 0; i < gb_option_count; i++)
		if (streq(gb_options[i].section, section) && streq(gb_options[i].key, key))
			return &gb_options[i];
	return NULL;
}

const struct gb_option *option_by_cli(const char *name)
{
	for (size_t i = 0; i < gb_option_count; i++)
		if (streq(gb_options[i].cli, name))
			return &gb_options[i];
	return NULL;
}

const struct gb_option *option_by_short(char c)
{
	for (size_t i = 0; i < gb_option_count; i++)
		if (gb_options[i].cli_short && gb_options[i].cli_short == c)
			return &gb_options[i];
	return NULL;
}

int option_apply(struct policy *p, const struct gb_option *opt, char **args, size_t n,
		 const struct origin *o, struct diag *d)
{
	if (n < opt->min_args || (opt->max_args && n > opt->max_args)) {
		if (opt->min_args == opt->max_args)
			return diag_error(d, o, "expected %u value%s (%s), got %zu", opt->min_args,
					  opt->min_args == 1 ? "" : "s", opt->metavar, n);
		return diag_error(d, o, "expected %s, got %zu value%s", opt->metavar, n,
				  n == 1 ? "" : "s");
	}
	return opt->apply(p, opt, args, n, o, d);
}
