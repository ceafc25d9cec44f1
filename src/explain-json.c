/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `glovebox explain --json`: the account of explain.c for programs, in the
 * schema doc/explain-json.md describes. Additions keep its version; a
 * removal, a rename or a change of meaning bumps it. */
#include "explain.h"

#include <cap-ng.h>
#include <json-c/json.h>
#include <sched.h>

#include "how/constants.h"
#include "how/rules.h"
#include "how/seccomp.h"
#include "policy/options.h"
#include "policy/profile.h"
#include "where/facts.h"
#include "where/landlock.h"

#define EXPLAIN_SCHEMA "glovebox-explain/1"

typedef struct json_object json;

static json *str(const char *s)
{
	return s ? json_object_new_string(s) : NULL; /* NULL: JSON's null */
}

static void put(json *o, const char *key, json *v)
{
	json_object_object_add(o, key, v);
}

/* A number shown with a fixed count of decimals, as explain prints it. */
static json *decimal(double v, int places)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%.*f", places, v);
	return json_object_new_double_s(v, buf);
}

/* Where a value came from: a line of a file, a command-line option,
 * glovebox's own default. */
static json *origin(const struct origin *o, bool set)
{
	json *j = json_object_new_object();
	if (!set) {
		put(j, "kind", str("default"));
	} else if (!o->file) {
		put(j, "kind", str("command-line"));
		put(j, "option", str(o->key));
	} else {
		put(j, "kind", str("file"));
		put(j, "file", str(o->file));
		if (o->line)
			put(j, "line", json_object_new_int64(o->line));
	}
	return j;
}

/* {"value": v, "origin": {...}} */
static json *setting(json *v, const struct setting *s)
{
	json *j = json_object_new_object();
	put(j, "value", v);
	put(j, "origin", origin(&s->origin, s->set));
	return j;
}

static json *action(const struct sc_action *a)
{
	static const char *const kinds[] = {[SC_UNSET] = "default", [SC_ALLOW] = "allow",
					    [SC_ERRNO] = "errno",   [SC_KILL] = "kill",
					    [SC_LOG] = "log",	    [SC_DEFAULT] = "default"};
	json *j = json_object_new_object();
	put(j, "action", str(kinds[a->kind]));
	if (a->kind == SC_ERRNO) {
		const char *name = strerrorname_np(a->errnum);
		put(j, "errno", name ? str(name) : json_object_new_int(a->errnum));
	}
	return j;
}

/* ---- where ---- */

static json *step_flags(const struct where_step *st)
{
	static const struct {
		unsigned flag;
		const char *name;
	} words[] = {{MOUNT_F_TRY, "try"},
		     {MOUNT_F_SUBSET_PID, "subset-pid"},
		     {MOUNT_F_FOLLOW_LINKS, "links-follow"},
		     {MOUNT_F_WRITABLE_INTENDED, "writable-intended"}};
	json *a = json_object_new_array();
	for (size_t i = 0; i < ELEMENTSOF(words); i++)
		if (st->op->flags & words[i].flag)
			json_object_array_add(a, str(words[i].name));
	if (st->read_only)
		json_object_array_add(a, str("read-only"));
	return a;
}

static json *plan_step(const struct where_plan *plan, size_t k)
{
	static const char *const from[] = {[STEP_POLICY] = "policy", [STEP_HOME] = "home",
					   [STEP_CWD] = "cwd", [STEP_DERIVED] = "derived"};
	const struct where_step *st = &plan->steps[k];
	json *j = json_object_new_object();
	put(j, "kind", str(where_step_name(st)));
	put(j, "from", str(st->what == STEP_MOUNT ? from[st->from] : "derived"));
	if (st->what != STEP_MOUNT) {
		put(j, "source", NULL);
		put(j, "destination", str(st->path));
		put(j, "flags", json_object_new_array());
		json *o = json_object_new_object();
		put(o, "kind", str("derived"));
		put(o, "rule", str(explain_step_rule(plan, st)));
		put(o, "cause", st->cause == SIZE_MAX ? NULL : json_object_new_int64((int64_t)st->cause));
		put(j, "origin", o);
		return j;
	}
	const struct mount_op *m = st->op;
	put(j, "source", str(m->src));
	put(j, "destination", str(m->dest));
	put(j, "flags", step_flags(st));
	if (m->mode != MODE_UNSET)
		put(j, "mode", json_object_new_int64(m->mode));
	if (m->size)
		put(j, "size", json_object_new_uint64(m->size));
	if (m->aux)
		put(j, "changes", str(m->aux));
	if (m->work)
		put(j, "work", str(m->work));
	if (m->lowers.n) {
		json *lowers = json_object_new_array();
		for (size_t i = 0; i < m->lowers.n; i++)
			json_object_array_add(lowers, str(m->lowers.v[i]));
		put(j, "lowers", lowers);
	}
	put(j, "origin", origin(&m->origin, st->from == STEP_POLICY || m->origin.key));
	if (st->moved_before != SIZE_MAX)
		put(j, "moved_before",
		    str(plan->steps[plan->step_of[st->moved_before]].op->dest));
	return j;
}

static json *where_plan_json(const struct where_plan *plan)
{
	json *a = json_object_new_array();
	for (size_t k = 0; k < plan->n_steps; k++)
		json_object_array_add(a, plan_step(plan, k));
	return a;
}

static json *removed_json(const struct policy *p)
{
	json *a = json_object_new_array();
	for (size_t i = 0; i < p->n_removed; i++) {
		const struct mount_removed *r = &p->removed[i];
		json *j = json_object_new_object();
		put(j, "kind", str(mount_kind_name(r->op.kind)));
		put(j, "source", str(r->op.src));
		put(j, "destination", str(r->op.dest));
		put(j, "origin", origin(&r->op.origin, true));
		put(j, "removed_by", origin(&r->by, true));
		json_object_array_add(a, j);
	}
	return a;
}

static json *forwards_json(const struct policy *p)
{
	json *a = json_object_new_array();
	for (size_t i = 0; i < p->n_forwards; i++) {
		const struct port_forward *fw = &p->forwards[i];
		json *j = json_object_new_object();
		put(j, "protocol", str(forward_proto_name(fw->proto)));
		put(j, "address", str(fw->address));
		put(j, "host_port", json_object_new_int(fw->host_port));
		put(j, "sandbox_port", json_object_new_int(fw->sandbox_port));
		put(j, "origin", origin(&fw->origin, true));
		json_object_array_add(a, j);
	}
	return a;
}

static json *namespaces_json(const struct policy *p)
{
	static const struct {
		unsigned long flag;
		const char *name;
	} ns[] = {{CLONE_NEWUSER, "user"}, {CLONE_NEWNS, "mount"}, {CLONE_NEWPID, "pid"},
		  {CLONE_NEWNET, "net"},   {CLONE_NEWIPC, "ipc"},  {CLONE_NEWUTS, "uts"},
		  {CLONE_NEWCGROUP, "cgroup"}};
	unsigned long flags = p->unshare | CLONE_NEWNS | (p->network != NET_HOST ? CLONE_NEWNET : 0);
	json *a = json_object_new_array();
	for (size_t i = 0; i < ELEMENTSOF(ns); i++)
		if (flags & ns[i].flag)
			json_object_array_add(a, str(ns[i].name));
	return a;
}

static json *where_json(const struct policy *p, const struct explain_env *env,
			const struct where_env *where, const struct where_plan *plan, json *refused)
{
	static const char *const cwd_modes[] = {[CWD_NONE] = "none", [CWD_RO] = "ro",
						[CWD_RW] = "rw"};
	json *j = json_object_new_object();
	put(j, "network", setting(str(net_mode_name(p->network)), &p->network_s));
	put(j, "forwards", forwards_json(p));
	put(j, "hostname", setting(!(p->unshare & CLONE_NEWUTS) ? NULL
				   : p->hostname_s.set		? str(p->hostname)
								: str("glovebox"),
				   &p->hostname_s));
	put(j, "terminal", setting(str(p->terminal == TERMINAL_HOST ? "host" : "pty"), &p->terminal_s));
	json *home = setting(str(home_mode_name(p->home)), &p->home_s);
	put(home, "path", str(env->home));
	put(home, "source", str(where_home_source(p, where)));
	put(j, "home", home);
	enum cwd_decision dec = where_cwd_decide(p, where);
	json *cwd = setting(str(cwd_modes[p->cwd]), &p->cwd_s);
	put(cwd, "path", str(where->cwd));
	put(cwd, "shared", json_object_new_boolean(dec == CWD_SHARED));
	put(j, "cwd", cwd);
	put(j, "start", setting(str(where_start_dir(p, where, dec)),
				p->chdir_s.set ? &p->chdir_s : &p->cwd_s));
	put(j, "namespaces", namespaces_json(p));
	put(j, "background", setting(str(p->background == BACKGROUND_WAIT ? "wait" : "kill"),
				     &p->background_s));
	put(j, "plan", where_plan_json(plan));
	put(j, "refused", refused);
	put(j, "removed", removed_json(p));
	return j;
}

/* ---- what, limits, env ---- */

static json *what_json(const struct policy *p)
{
	json *j = json_object_new_object();
	put(j, "user", setting(str(p->user == USER_ROOT ? "root" : "self"), &p->user_s));
	put(j, "host_user",
	    setting(str(p->host_user == HOST_USER_NOBODY ? "nobody" : "self"), &p->host_user_s));
	json *caps = json_object_new_array();
	for (unsigned c = 0; c < 64; c++)
		if (p->caps & (UINT64_C(1) << c)) {
			const char *n = capng_capability_to_name(c);
			char name[64];
			snprintf(name, sizeof(name), "cap_%s", n ? n : "?");
			json_object_array_add(caps, str(name));
		}
	put(j, "capabilities", setting(caps, &p->caps_s));
	put(j, "no_new_privs", json_object_new_boolean(true));
	return j;
}

/* A count, or null for none. */
static json *count_or_null(uint64_t v)
{
	return v ? json_object_new_uint64(v) : NULL;
}

static json *rlim_value(rlim_t v)
{
	return v == RLIM_INFINITY ? str("unlimited") : json_object_new_uint64(v);
}

static json *limits_json(const struct policy *p)
{
	json *j = json_object_new_object();
	put(j, "processes", setting(count_or_null(p->processes), &p->processes_s));
	put(j, "tmpfs", setting(count_or_null(p->tmpfs_budget), &p->tmpfs_budget_s));
	put(j, "timeout_ms", setting(count_or_null(p->timeout_ms), &p->timeout_s));
	json *r = json_object_new_object();
	for (size_t i = 0; i < gb_option_count; i++) {
		int resource = option_rlimit(&gb_options[i]);
		if (resource < 0 || !p->rlimits[resource].set)
			continue; /* inherited */
		const struct rlimit_setting *rs = &p->rlimits[resource];
		json *one = json_object_new_object();
		put(one, "soft", rlim_value(rs->lim.rlim_cur));
		put(one, "hard", rlim_value(rs->lim.rlim_max));
		put(one, "origin", origin(&rs->origin, true));
		put(r, gb_options[i].key, one);
	}
	put(j, "rlimits", r);
	return j;
}

static json *env_json(const struct policy *p)
{
	static const char *const ops[] = {[ENV_KEEP] = "keep", [ENV_SET] = "set",
					  [ENV_UNSET] = "unset"};
	json *j = json_object_new_object();
	put(j, "clear", setting(json_object_new_boolean(p->env_clear), &p->env_clear_s));
	json *a = json_object_new_array();
	for (size_t i = 0; i < p->n_env_ops; i++) {
		const struct env_op *e = &p->env_ops[i];
		json *op = json_object_new_object();
		put(op, "op", str(ops[e->kind]));
		put(op, "name", str(e->name));
		if (e->kind == ENV_SET)
			put(op, "value", str(e->value));
		put(op, "origin", origin(&e->origin, true));
		json_object_array_add(a, op);
	}
	put(j, "ops", a);
	return j;
}

/* ---- how ---- */

/* The calls one rule line decided, with their action. */
struct rule_calls {
	const struct origin *o;
	struct sc_action a;
	json *calls;
};

static bool same_line(const struct origin *x, const struct origin *y)
{
	return x->file == y->file && x->line == y->line && x->key == y->key;
}

static json *rules_json(const struct policy *p, json *unlisted)
{
	_cleanup_free_ struct rule_calls *v = NULL;
	size_t n = 0;
	for (size_t i = 0; i < syscall_count; i++) {
		if (syscall_is_always_allowed(i))
			continue;
		if (p->syscalls[i].action.kind == SC_UNSET) {
			json_object_array_add(unlisted, str(syscall_table[i].name));
			continue;
		}
		struct sc_action e = how_effective_action(p, i);
		const struct origin *o = sc_rule_origin(p, i);
		size_t k = 0;
		while (k < n && !(same_line(v[k].o, o) && v[k].a.kind == e.kind &&
				  v[k].a.errnum == e.errnum))
			k++;
		if (k == n)
			*APPEND(v, n) = (struct rule_calls){o, e, json_object_new_array()};
		json_object_array_add(v[k].calls, str(syscall_table[i].name));
	}
	json *a = json_object_new_array();
	for (size_t k = 0; k < n; k++) {
		json *r = json_object_new_object();
		put(r, "key", str(v[k].o->key));
		put(r, "origin", origin(v[k].o, true));
		put(r, "action", action(&v[k].a));
		put(r, "calls", v[k].calls);
		json_object_array_add(a, r);
	}
	return a;
}

/* Every group with the share of its calls (those that exist here) that
 * the command may make; the calls allowed and denied, by name. */
static void calls_json(const struct policy *p, json *how)
{
	json *allowed = json_object_new_array(), *denied = json_object_new_array();
	for (size_t i = 0; i < syscall_count; i++)
		if (syscall_native_nr(i) >= 0)
			json_object_array_add(how_call_allowed(p, i) ? allowed : denied,
					      str(syscall_table[i].name));
	put(how, "allowed", allowed);
	put(how, "denied", denied);
	json *groups = json_object_new_array();
	for (size_t g = 0; g < syscall_group_count; g++) {
		syscall_set set = {0};
		if (syscall_resolve(syscall_groups[g].name, &set) < 0)
			continue;
		int64_t total = 0, yes = 0;
		for (size_t i = 0; i < syscall_count; i++)
			if (syscall_set_has(&set, i) && syscall_native_nr(i) >= 0) {
				total++;
				yes += how_call_allowed(p, i);
			}
		json *one = json_object_new_object();
		put(one, "name", str(syscall_groups[g].name));
		put(one, "allowed", json_object_new_int64(yes));
		put(one, "total", json_object_new_int64(total));
		json_object_array_add(groups, one);
	}
	put(how, "groups", groups);
}

/* The names of a kind of constant in a mask: "unix", "net"... */
static json *const_names(uint64_t mask, enum const_kind kind)
{
	json *a = json_object_new_array();
	for (size_t i = 0; i < named_const_count; i++) {
		const struct named_const *c = &named_consts[i];
		if (c->kind != kind || !c->alias)
			continue;
		bool in = kind == CONST_FAMILY ? c->value < 64 && (mask & (UINT64_C(1) << c->value))
					       : (mask & c->value) != 0;
		if (in)
			json_object_array_add(a, str(c->alias));
	}
	return a;
}

static json *how_json(const struct policy *p)
{
	json *j = json_object_new_object();
	json *def = json_object_new_object();
	put(def, "value", action(&p->default_action));
	put(def, "origin", origin(&p->default_action_s.origin, p->default_action_s.set));
	put(j, "default", def);
	json *unlisted = json_object_new_array();
	put(j, "rules", rules_json(p, unlisted));
	put(j, "unlisted", unlisted);
	calls_json(p, j);
	put(j, "namespaces", setting(p->ns_allowed == NS_ALL ? str("all")
							     : const_names(p->ns_allowed, CONST_CLONE),
				     &p->ns_s));
	put(j, "socket_families",
	    setting(p->families_restricted ? const_names(p->families, CONST_FAMILY) : str("all"),
		    &p->families_s));
	put(j, "write_xor_execute", setting(json_object_new_boolean(p->wx), &p->wx_s));
	put(j, "memfd_exec",
	    setting(json_object_new_boolean(p->memfd_exec && !p->wx), &p->memfd_exec_s));
	put(j, "personality",
	    setting(str(p->personality_locked ? "locked" : "any"), &p->personality_s));
	json *args = json_object_new_array();
	for (size_t i = 0; i < p->n_arg_rules; i++) {
		char line[1024];
		rule_format(&p->arg_rules[i], line, sizeof(line));
		json *r = json_object_new_object();
		put(r, "rule", str(line));
		put(r, "action", action(&p->arg_rules[i].action));
		put(r, "origin", origin(&p->arg_rules[i].origin, true));
		json_object_array_add(args, r);
	}
	put(j, "argument_rules", args);
	return j;
}

/* ---- landlock ---- */

static json *ports_json(const struct tcp_ports *t)
{
	if (!t->restricted)
		return setting(str("any"), &t->s);
	json *a = json_object_new_array();
	for (size_t i = 0; i < t->n; i++)
		json_object_array_add(a, json_object_new_int(t->v[i]));
	return setting(a, &t->s);
}

static json *landlock_json(const struct policy *p, const struct where_plan *plan,
			   const struct where_facts *facts)
{
	int abi = where_landlock_abi();
	json *j = json_object_new_object();
	put(j, "abi", json_object_new_int(abi));
	put(j, "fs", setting(json_object_new_boolean(p->landlock_fs), &p->landlock_fs_s));
	json *scope = json_object_new_array();
	if (p->scope & SCOPE_ABSTRACT_UNIX)
		json_object_array_add(scope, str("abstract-unix"));
	if (p->scope & SCOPE_SIGNAL)
		json_object_array_add(scope, str("signals"));
	put(j, "scope", setting(scope, &p->scope_s));
	put(j, "tcp_connect", ports_json(&p->tcp[TCP_CONNECT]));
	put(j, "tcp_bind", ports_json(&p->tcp[TCP_BIND]));
	put(j, "fallback",
	    setting(str(p->fallback == FALLBACK_LANDLOCK ? "landlock" : "none"), &p->fallback_s));
	json *rules = json_object_new_array();
	uint64_t handled = where_landlock_fs_handled(abi);
	struct landlock_rules r = {0};
	if (p->landlock_fs && abi)
		where_landlock_rules(plan, facts, LANDLOCK_INSIDE, handled, &r);
	for (size_t i = 0; i < r.n; i++) {
		char access[256];
		where_landlock_access_text(r.v[i].access, handled, access, sizeof(access));
		json *one = json_object_new_object();
		put(one, "path", str(r.v[i].path));
		put(one, "access", str(access));
		put(one, "step", json_object_new_int64((int64_t)r.v[i].step));
		json_object_array_add(rules, one);
	}
	where_landlock_rules_free(&r);
	put(j, "rules", rules);
	return j;
}

/* ---- the whole ---- */

static json *score_json(const struct score *s)
{
	json *j = json_object_new_object();
	put(j, "value", decimal((double)score_tenths(s->value) / 10, 1));
	put(j, "max", json_object_new_int(10));
	json *a = json_object_new_array();
	for (size_t i = 0; i < s->n_factors; i++) {
		const struct score_factor *f = &s->factors[i];
		json *one = json_object_new_object();
		put(one, "name", str(f->name));
		put(one, "weight", decimal(f->weight, 2));
		put(one, "points", decimal(f->points, 2));
		put(one, "reason", str(f->reason));
		json_object_array_add(a, one);
	}
	put(j, "factors", a);
	return j;
}

static json *profiles_json(const struct strv *files)
{
	json *a = json_object_new_array();
	for (size_t i = 0; files && i < files->n; i++) {
		json *one = json_object_new_object();
		bool builtin = streq(files->v[i], BUILTIN_DEFAULT_FILE);
		put(one, "file", builtin ? NULL : str(files->v[i]));
		put(one, "builtin", json_object_new_boolean(builtin));
		json_object_array_add(a, one);
	}
	return a;
}

/* Each message a diag printed, one a line, as a JSON array. */
static json *lines_json(const char *text)
{
	json *a = json_object_new_array();
	for (const char *s = text; s && *s;) {
		size_t n = strcspn(s, "\n");
		_cleanup_free_ char *line = xstrndup(s, n);
		json_object_array_add(a, str(line));
		s += n + (s[n] == '\n');
	}
	return a;
}

void explain_json(const struct policy *p, const struct explain_env *env, FILE *f)
{
	static const struct where_env nowhere = {0};
	const struct where_env *where = env->where ? env->where : &nowhere;
	_cleanup_free_ char *msgs = NULL;
	size_t len = 0;
	FILE *mf = open_memstream(&msgs, &len);
	struct diag d;
	diag_init(&d, mf ? mf : stderr, "");
	struct where_plan plan;
	struct where_facts facts;
	explain_plan_make(p, where, &plan, &facts, &d);
	if (mf)
		fclose(mf);

	json *root = json_object_new_object();
	put(root, "schema", str(EXPLAIN_SCHEMA));
	put(root, "description", setting(str(p->description), &p->description_s));
	put(root, "profiles", profiles_json(env->profiles));
	put(root, "where", where_json(p, env, where, &plan, lines_json(msgs)));
	put(root, "what", what_json(p));
	put(root, "limits", limits_json(p));
	put(root, "how", how_json(p));
	put(root, "landlock", landlock_json(p, &plan, &facts));
	put(root, "env", env_json(p));
	put(root, "score", score_json(env->score));
	fputs(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
							   JSON_C_TO_STRING_NOSLASHESCAPE),
	      f);
	fputc('\n', f);
	json_object_put(root);
	where_facts_free(&facts);
	where_plan_free(&plan);
}
