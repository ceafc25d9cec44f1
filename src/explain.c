/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "explain.h"
#include "explain-internal.h"

#include <cap-ng.h>
#include <ctype.h>
#include <inttypes.h>
#include <sched.h>

#include "how/constants.h"
#include "how/rules.h"
#include "how/seccomp.h"
#include "policy/options.h"
#include "score.h"
#include "where/landlock.h"
#include "where/facts.h"

#include <sys/mman.h>
#include <unistd.h>


/* Where a value came from. File names are text_escape'd: explain prints
 * what profiles and the command line said, and neither may drive the
 * terminal. */
const char *explain_from(const struct origin *o, bool set, char *buf, size_t size)
{
	if (!set)
		return "glovebox's default";
	if (!o->file) {
		snprintf(buf, size, "command line %s", o->key ? o->key : "");
		return buf;
	}
	_cleanup_free_ char *file = text_escape(o->file);
	if (o->line)
		snprintf(buf, size, "%s:%u", file, o->line);
	else
		snprintf(buf, size, "%s", file);
	return buf;
}

/* One "  key  value  # origin" line; the value escaped. */
void explain_row(FILE *f, const char *key, const char *value, const struct setting *s)
{
	char buf[512];
	_cleanup_free_ char *safe = text_escape(value);
	fprintf(f, "  %-18s %-34s # %s\n", key, safe, explain_from(&s->origin, s->set, buf, sizeof(buf)));
}

static void explain_cwd(const struct policy *p, const struct where_env *env, FILE *f)
{
	static const char *const why[] = {
		[CWD_SHARED] = "shared at its own path",
		[CWD_NOT_ASKED] = "not shared",
		[CWD_UNKNOWN] = "not shared (no current directory)",
		[CWD_IS_ROOT] = "not shared (the whole host)",
		[CWD_IS_HOME] = "not shared (your home)",
		[CWD_ABOVE_HOME] = "not shared (your home lies in it)",
		[CWD_HOST_PROC] = "not shared (the host's proc)",
		[CWD_OWN_FS] = "not shared (the sandbox has its own)",
		[CWD_SHARED_DIR] = "not shared (every program shares it)",
		[CWD_GLOVEBOX_STATE] = "not shared (glovebox's own state)",
		[CWD_LINK] = "not shared (through a symlink a sandbox could have planted)",
		[CWD_SECRET] = "not shared writable (a place of secrets)",
		[CWD_SHOWN] = "shown by the profile's own mounts",
	};
	static const char *const modes[] = {[CWD_NONE] = "none", [CWD_RO] = "ro", [CWD_RW] = "rw"};
	char line[1024];
	enum cwd_decision dec = where_cwd_decide(p, env);
	snprintf(line, sizeof(line), "%s: %s %s", modes[p->cwd], env->cwd ? env->cwd : "(none)",
		 why[dec]);
	explain_row(f, "cwd", line, &p->cwd_s);
	const char *start = where_start_dir(p, env, dec);
	explain_row(f, "start in", start ? start : "the current directory, if visible, else /",
	    p->chdir_s.set ? &p->chdir_s : &p->cwd_s);
}

/* One mount of the plan; a derived one names the key it comes from, a
 * moved one says why. */
static void explain_mount(const struct where_plan *plan, const struct where_step *st, FILE *f)
{
	char buf[512], line[1024], from_buf[600];
	const struct mount_op *m = st->op;
	const char *what = mount_kind_name(m->kind);
	if (m->kind == MOUNT_SYMLINK)
		snprintf(line, sizeof(line), "%s -> %s", m->dest, m->src);
	else if (m->src && !streq(m->src, m->dest))
		snprintf(line, sizeof(line), "%s%s <- %s", m->dest,
			 m->flags & MOUNT_F_TRY ? " (if present)" : "", m->src);
	else
		snprintf(line, sizeof(line), "%s%s", m->dest,
			 m->flags & MOUNT_F_TRY && m->kind != MOUNT_MIRROR ? " (if present)" : "");
	/* the words a profile adds to an entry: what it marks as meant */
	static const struct {
		unsigned flag;
		const char *word;
	} words[] = {{MOUNT_F_FOLLOW_LINKS, " links=follow"},
		     {MOUNT_F_WRITABLE_INTENDED, " writable=intended"},
		     {MOUNT_F_SUBSET_PID, " subset=pid"},
		     {MOUNT_F_NOEXEC, " exec=no"}};
	size_t len = strlen(line);
	/* an overlay's further layers, downwards, and where bwrap's kept one
	 * writes */
	for (size_t i = 0; i < m->lowers.n && len < sizeof(line); i++)
		len += (size_t)snprintf(line + len, sizeof(line) - len, " over %s", m->lowers.v[i]);
	if (m->work && len < sizeof(line))
		len += (size_t)snprintf(line + len, sizeof(line) - len, " (changes in %s, work %s)",
					m->aux, m->work);
	for (size_t i = 0; i < ELEMENTSOF(words); i++)
		if ((m->flags & words[i].flag) && len < sizeof(line))
			len += (size_t)snprintf(line + len, sizeof(line) - len, "%s", words[i].word);
	const char *origin = explain_from(&m->origin, st->from == STEP_POLICY || m->origin.key, buf,
				  sizeof(buf));
	if (st->from != STEP_POLICY) {
		snprintf(from_buf, sizeof(from_buf), "%s, %s",
			 st->from == STEP_HOME ? "home" : "cwd", origin);
		origin = from_buf;
	}
	_cleanup_free_ char *safe = text_escape(line);
	fprintf(f, "    %-14s %-36s # %s\n", what, safe, origin);
	if (st->moved_before != SIZE_MAX) {
		_cleanup_free_ char *hidden =
			text_escape(plan->steps[plan->step_of[st->moved_before]].op->dest);
		fprintf(f, "      (moved before %s: mounted after it, it would hide it)\n", hidden);
	}
}

/* The Landlock scope, and whether this kernel enforces it. */
static void explain_scope(const struct policy *p, FILE *f)
{
	char line[256];
	int abi = where_landlock_abi();
	const char *what = p->scope == SCOPE_ALL		 ? "abstract-unix signals"
			   : p->scope == SCOPE_ABSTRACT_UNIX ? "abstract-unix"
			   : p->scope == SCOPE_SIGNAL	 ? "signals"
							 : "none";
	if (!p->scope)
		snprintf(line, sizeof(line), "none");
	else if (abi >= LANDLOCK_ABI_SCOPE)
		snprintf(line, sizeof(line), "%s (Landlock ABI %d: enforced)", what, abi);
	else
		snprintf(line, sizeof(line), "%s (Landlock ABI %d: not enforced, needs %d%s)", what,
			 abi, LANDLOCK_ABI_SCOPE, p->scope_s.set ? "; a launch fails" : "");
	explain_row(f, "scope", line, &p->scope_s);
}

/* The Landlock rules that mirror the plan: what the command may do
 * beneath each path, inside the sandbox, or on the host without
 * namespaces (fallback = landlock). */
static void explain_landlock_rules(const struct policy *p, const struct where_plan *plan,
				   const struct where_facts *facts, enum landlock_view view,
				   FILE *f)
{
	int abi = where_landlock_abi();
	uint64_t handled = where_landlock_fs_handled(abi);
	if (!p->landlock_fs || !abi)
		return;
	if (view == LANDLOCK_INSIDE)
		fprintf(f, "  Landlock rules (ABI %d), nothing reachable beneath no rule:\n", abi);
	else
		fputs("  without namespaces (fallback = landlock), at the host's paths:\n", f);
	struct diag d;
	diag_init(&d, f, "    refused: ");
	if (view == LANDLOCK_HOST && where_landlock_host_check(plan, &d) < 0)
		return;
	struct landlock_rules rules;
	where_landlock_rules(plan, facts, view, handled, &rules);
	for (size_t i = 0; i < rules.n; i++) {
		char access[256], why[700];
		const struct where_step *st = &plan->steps[rules.v[i].step];
		where_landlock_access_text(rules.v[i].access, handled, access, sizeof(access));
		if (st->what == STEP_MOUNT) {
			char buf[512];
			snprintf(why, sizeof(why), "%s %s (%s)", mount_kind_name(st->op->kind),
				 st->op->dest,
				 explain_from(&st->op->origin, st->from == STEP_POLICY || st->op->origin.key,
				      buf, sizeof(buf)));
		} else {
			snprintf(why, sizeof(why), "the root, for its mount points");
		}
		_cleanup_free_ char *path = text_escape(rules.v[i].path);
		_cleanup_free_ char *safe_why = text_escape(why);
		fprintf(f, "    %-24s %-26s # %s\n", path, access, safe_why);
	}
	where_landlock_rules_free(&rules);
}

/* Landlock's switches, and what this kernel cannot enforce. */
static void explain_landlock(const struct policy *p, FILE *f)
{
	char line[512];
	int abi = where_landlock_abi();
	if (!p->landlock_fs)
		snprintf(line, sizeof(line), "no");
	else if (abi)
		snprintf(line, sizeof(line), "yes (Landlock ABI %d: enforced)", abi);
	else
		snprintf(line, sizeof(line), "yes (no Landlock here: not enforced%s)",
			 p->landlock_fs_s.set ? "; a launch fails" : "");
	explain_row(f, "landlock-fs", line, &p->landlock_fs_s);
	static const char *const keys[TCP_KIND_COUNT] = {[TCP_CONNECT] = "tcp-connect",
							 [TCP_BIND] = "tcp-bind"};
	for (size_t k = 0; k < TCP_KIND_COUNT; k++) {
		const struct tcp_ports *t = &p->tcp[k];
		size_t w = (size_t)snprintf(line, sizeof(line), "%s", t->restricted ? "" : "any");
		for (size_t i = 0; t->restricted && i < t->n && w < sizeof(line); i++)
			w += (size_t)snprintf(line + w, sizeof(line) - w, "%s%u", i ? " " : "",
					      t->v[i]);
		if (t->restricted && !t->n)
			w = (size_t)snprintf(line, sizeof(line), "none");
		if (t->restricted && w < sizeof(line))
			snprintf(line + w, sizeof(line) - w, " (%s)",
				 abi >= LANDLOCK_ABI_TCP ? "enforced"
							 : "not enforced here; a launch fails");
		explain_row(f, keys[k], line, &t->s);
	}
	where_landlock_missing_text(abi, line, sizeof(line));
	if (line[0])
		fprintf(f, "  %-18s %s\n", "not on this kernel", line);
	where_landlock_missing_text(1, line, sizeof(line));
	fprintf(f, "  %-18s each needs its ABI: %s\n", "older kernels", line);
	explain_row(f, "fallback",
	    p->fallback == FALLBACK_LANDLOCK
		    ? "landlock (no user namespace: Landlock, seccomp, no capabilities)"
		    : "none (no user namespace: fail, status 125)",
	    &p->fallback_s);
}

const char *explain_step_rule(const struct where_plan *plan, const struct where_step *st)
{
	static const char *const rule[] = {
		[STEP_SCRATCH] = "holds file contents and throw-away layers while the root is built",
		[STEP_DEV_NODE] = "the host's device node",
		[STEP_SCRATCH_DROP] = "the scratch tmpfs leaves; what was mounted from it stays",
		[STEP_HIDE_PROC] = "the host's proc, hidden if it still shows",
		[STEP_RO_SYSFS] = "the host's sysfs, read-only if it still shows",
		[STEP_MASK] = "glovebox's own state, hidden if it still shows",
		[STEP_PIN] = "a mount of itself, so the mask cannot be moved aside",
		[STEP_KERNEL_MASK] = "root-only kernel data, covered (host root inside)",
		[STEP_KERNEL_RO] = "kernel settings root may write, read-only (host root inside)",
		[STEP_ENTER_ROOT] = "the new root becomes /",
		[STEP_ROOT_RO] = "the root itself read-only",
	};
	if (st->what == STEP_SCRATCH && plan->tmpfs_pool)
		return "the tmpfs budget's pool: each tmpfs, /dev and /dev/shm a directory of it";
	return st->what == STEP_MOUNT ? NULL : rule[st->what];
}

/* A derived step: the rule that adds it, and the mount it comes from. */
static void explain_derived(const struct where_plan *plan, const struct where_step *st, FILE *f)
{
	const char *text = explain_step_rule(plan, st);
	char why[1024];
	snprintf(why, sizeof(why), "%s", text);
	if (st->cause != SIZE_MAX && plan->steps[st->cause].what == STEP_MOUNT) {
		char buf[512];
		const struct where_step *c = &plan->steps[st->cause];
		_cleanup_free_ char *dest = text_escape(c->op->dest);
		snprintf(why, sizeof(why), "%s, for %s %s (%s)", text,
			 mount_kind_name(c->op->kind), dest,
			 explain_from(&c->op->origin, c->from == STEP_POLICY || c->op->origin.key, buf,
			      sizeof(buf)));
	} else if (st->cause != SIZE_MAX && plan->steps[st->cause].what == STEP_RO_SYSFS) {
		/* derived from a derived step: a host sysfs a bind brought along */
		const struct where_step *c = &plan->steps[st->cause];
		_cleanup_free_ char *path = text_escape(c->path);
		snprintf(why, sizeof(why), "%s, for %s %s", text, where_step_name(c), path);
	}
	_cleanup_free_ char *safe = text_escape(st->path ? st->path : "");
	fprintf(f, "    %-14s %-36s # %s\n", where_step_name(st), safe, why);
}

/* The plan as the executor runs it, derived steps included: the facts are
 * looked at (stat, nothing opened or made). A source the run would refuse
 * is said, and the plan shown without the derived steps. */
void explain_plan_make(const struct policy *p, const struct where_env *where,
		       struct where_plan *plan, struct where_facts *facts, struct diag *d)
{
	where_plan_make(p, where, plan);
	_cleanup_close_ int hm = memfd_create("host-mounts", MFD_CLOEXEC);
	if (hm >= 0 && (where_send_host_mounts(hm) < 0 || lseek(hm, 0, SEEK_SET) < 0))
		closep(&hm);
	if (where_gather(plan, where, hm, GATHER_LOOK, facts, d) == 0)
		where_plan_derive(plan, facts, d);
}

static void explain_plan(const struct policy *p, const struct where_env *where, FILE *f)
{
	struct where_plan plan;
	struct where_facts facts;
	struct diag d;
	diag_init(&d, f, "    refused: ");
	explain_plan_make(p, where, &plan, &facts, &d);
	for (size_t k = 0; k < plan.n_steps; k++) {
		if (plan.steps[k].what == STEP_MOUNT)
			explain_mount(&plan, &plan.steps[k], f);
		else
			explain_derived(&plan, &plan.steps[k], f);
	}
	explain_landlock_rules(p, &plan, &facts, LANDLOCK_INSIDE, f);
	if (p->fallback == FALLBACK_LANDLOCK)
		explain_landlock_rules(p, &plan, &facts, LANDLOCK_HOST, f);
	where_facts_free(&facts);
	where_plan_free(&plan);
}

/* The mode, and with network = user each port pasta forwards in. */
static void explain_network(const struct policy *p, FILE *f)
{
	static const char *const modes[] = {
		[NET_NONE] = "none (own namespace, loopback only)",
		[NET_HOST] = "host",
		[NET_USER] = "user (own namespace, joined to the host's network by pasta)",
	};
	explain_row(f, "network", modes[p->network], &p->network_s);
	if (p->network == NET_USER && p->n_forwards == 0)
		explain_row(f, "forward", "none", &p->forwards_s);
	for (size_t i = 0; i < p->n_forwards; i++) {
		const struct port_forward *fw = &p->forwards[i];
		char line[256];
		bool v6 = fw->address && strchr(fw->address, ':');
		snprintf(line, sizeof(line), "%s %s%s%s%s%u -> %u", forward_proto_name(fw->proto),
			 v6 ? "[" : "", fw->address ? fw->address : "*", v6 ? "]" : "", ":",
			 fw->host_port, fw->sandbox_port);
		const struct setting s = {true, fw->origin};
		explain_row(f, "forward", line, &s);
	}
}

static void explain_where(const struct policy *p, const struct explain_env *env, FILE *f)
{
	char line[1024];
	static const struct where_env nowhere = {0};
	const struct where_env *where = env->where ? env->where : &nowhere;
	fputs("[where]\n", f);
	explain_network(p, f);
	explain_row(f, "hostname",
	    !(p->unshare & CLONE_NEWUTS) ? "the host's (unshare-uts = no)"
	    : p->hostname_s.set	 ? p->hostname
				 : "glovebox",
	    &p->hostname_s);
	explain_scope(p, f);
	explain_landlock(p, f);
	explain_row(f, "terminal",
	    p->terminal == TERMINAL_HOST ? "host (the command holds your terminal)"
					 : "pty (a pseudo-terminal of its own, when yours is one)",
	    &p->terminal_s);
	if (p->home == HOME_PRIVATE)
		snprintf(line, sizeof(line), "private at %s <- %s",
			 env->home ? env->home : "$HOME (unset)",
			 where->private_home ? where->private_home : "(no data directory known)");
	else
		snprintf(line, sizeof(line), "%s at %s", home_mode_name(p->home),
			 env->home ? env->home : "$HOME (unset)");
	explain_row(f, "home", line, &p->home_s);
	explain_cwd(p, where, f);
	fputs("  new namespaces:", f);
	static const struct {
		unsigned long flag;
		const char *name;
	} ns[] = {{CLONE_NEWUSER, "user"}, {CLONE_NEWNS, "mount"}, {CLONE_NEWPID, "pid"}, {CLONE_NEWIPC, "ipc"}, {CLONE_NEWUTS, "uts"},
		  {CLONE_NEWCGROUP, "cgroup"}};
	for (size_t i = 0; i < ELEMENTSOF(ns); i++)
		if ((p->unshare | CLONE_NEWNS) & ns[i].flag)
			fprintf(f, " %s", ns[i].name);
	fputs(p->network != NET_HOST ? " net\n" : "\n", f);
	if (p->background_s.set || p->background == BACKGROUND_WAIT)
		fprintf(f, "  background         %s\n",
			p->background == BACKGROUND_WAIT ? "wait for it" : "killed with the command");
	fputs("  mounts, in order, on a read-only tmpfs root:\n", f);
	explain_plan(p, where, f);
	if (p->n_removed)
		fputs("  taken away by a later setting:\n", f);
	for (size_t i = 0; i < p->n_removed; i++) {
		const struct mount_removed *r = &p->removed[i];
		char buf[512], by[512];
		snprintf(line, sizeof(line), "%s (%s)", r->op.dest,
			 explain_from(&r->op.origin, true, buf, sizeof(buf)));
		_cleanup_free_ char *safe = text_escape(line);
		fprintf(f, "    %-14s %-36s # %s\n", mount_kind_name(r->op.kind), safe,
			explain_from(&r->by, true, by, sizeof(by)));
	}
}

static const char *cap_name(int cap, char *buf, size_t size)
{
	const char *n = capng_capability_to_name((unsigned)cap);
	size_t w = (size_t)snprintf(buf, size, "CAP_");
	for (; n && *n && w + 1 < size; n++)
		buf[w++] = (char)toupper((unsigned char)*n);
	buf[w] = '\0';
	return buf;
}

static void explain_what(const struct policy *p, FILE *f)
{
	char line[1024];
	fputs("[what]\n", f);
	explain_row(f, "user", p->user == USER_ROOT ? "root (uid 0 inside)" : "self (your own uid)",
	    &p->user_s);
	explain_row(f, "host-user",
	    p->host_user == HOST_USER_NOBODY ? "nobody (uid and gid 65534 to the host)"
					     : "self (the user running glovebox)",
	    &p->host_user_s);
	size_t w = 0;
	line[0] = '\0';
	for (int c = 0; c < 64; c++) {
		if (!(p->caps & (UINT64_C(1) << c)))
			continue;
		char name[64];
		w += (size_t)snprintf(line + w, sizeof(line) - w, "%s%s", w ? " " : "",
				      cap_name(c, name, sizeof(name)));
	}
	explain_row(f, "capabilities", w ? line : "none", &p->caps_s);
	fputs("  no_new_privs       always; securebits locked (no root gains on exec)\n", f);
}

/* A byte count as it would be written in a profile: 64M, not 67108864. */
static const char *size_text(uint64_t v, char *buf, size_t size)
{
	static const char units[] = "KMGT";
	int u = -1;
	while (u + 1 < (int)sizeof(units) - 1 && v && v % 1024 == 0) {
		v /= 1024;
		u++;
	}
	snprintf(buf, size, "%" PRIu64 "%.*s", v, u >= 0, u >= 0 ? &units[u] : "");
	return buf;
}

const char *explain_size_text(uint64_t v, char *buf, size_t size)
{
	return size_text(v, buf, size);
}

static void explain_env_section(const struct policy *p, FILE *f)
{
	char buf[512];
	fputs("[env]\n", f);
	explain_row(f, "clear", p->env_clear ? "yes" : "no", &p->env_clear_s);
	for (size_t i = 0; i < p->n_env_ops; i++) {
		const struct env_op *e = &p->env_ops[i];
		char line[1024];
		if (e->kind == ENV_KEEP)
			snprintf(line, sizeof(line), "keep %s", e->name);
		else if (e->kind == ENV_SET)
			snprintf(line, sizeof(line), "set %s=%s", e->name, e->value);
		else
			snprintf(line, sizeof(line), "unset %s", e->name);
		_cleanup_free_ char *safe = text_escape(line);
		fprintf(f, "  %-53s # %s\n", safe, explain_from(&e->origin, true, buf, sizeof(buf)));
	}
}

/* What raises the score, the most first; the names of what adds nothing. */
static void explain_score(const struct score *s, FILE *f)
{
	fprintf(f, "[score]\n  %-18s %.1f of 10 (0 tight, 10 no sandbox)\n", "exposure", s->value);
	/* the most points first; an insertion sort keeps the table's order
	 * among equals */
	const struct score_factor *v = s->factors;
	_cleanup_free_ size_t *order = xcalloc(s->n_factors, sizeof(*order));
	for (size_t i = 0; i < s->n_factors; i++) {
		size_t k = i;
		for (; k > 0 && v[order[k - 1]].points < v[i].points; k--)
			order[k] = order[k - 1];
		order[k] = i;
	}
	for (size_t i = 0; i < s->n_factors && v[order[i]].points > 0; i++) {
		const struct score_factor *x = &v[order[i]];
		_cleanup_free_ char *why = text_escape(x->reason);
		fprintf(f, "  +%.2f of %.2f  %-18s %s\n", x->points, x->weight, x->name, why);
	}
	unsigned n = 0;
	for (size_t i = 0; i < s->n_factors; i++)
		if (!(v[order[i]].points > 0))
			fprintf(f, "%s%s", n++ % 6 ? " " : n > 1 ? "\n    " : "  adds nothing:\n    ",
				v[order[i]].name);
	if (n)
		fputc('\n', f);
}

/* The profile files in the order their values were applied, drop-ins
 * among them. */
static void explain_layers(const struct policy *p, FILE *f)
{
	if (p->n_layers)
		fputs("# layers, applied in this order (a later one wins):\n", f);
	for (unsigned k = 0; k < p->n_layers; k++)
		for (size_t i = 0; i < p->n_layers; i++) {
			const struct policy_layer *l = &p->layers[i];
			if (l->order != k)
				continue;
			_cleanup_free_ char *file = text_escape(l->file);
			_cleanup_free_ char *of = l->dropin_of ? text_escape(l->dropin_of) : NULL;
			fprintf(f, "#   %s%s%s%s\n", file, of ? " (drop-in for " : "", of ? of : "",
				of ? ")" : "");
		}
}

void explain_policy(const struct policy *p, const struct explain_env *env, FILE *f)
{
	if (p->description) {
		_cleanup_free_ char *safe = text_escape(p->description);
		fprintf(f, "# %s\n", safe);
	}
	explain_layers(p, f);
	explain_where(p, env, f);
	explain_what(p, f);
	explain_limits(p, f);
	explain_how(p, env, f);
	explain_env_section(p, f);
	if (env->score)
		explain_score(env->score, f);
}
