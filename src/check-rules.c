/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "check-rules.h"

#include <linux/capability.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "how/seccomp.h"
#include "how/syscalls.h"
#include "policy/options.h"
#include "where/plan.h"

typedef void (*check_rule_fn)(const struct check_input *in, struct diag *d);

/* ---- calls that need a capability the sandbox does not keep ---- */

static const struct needs_cap {
	const char *call;
	int cap;
	const char *cap_name;
} needs_cap[] = {
	{"mount", CAP_SYS_ADMIN, "CAP_SYS_ADMIN"},
	{"umount", CAP_SYS_ADMIN, "CAP_SYS_ADMIN"},
	{"umount2", CAP_SYS_ADMIN, "CAP_SYS_ADMIN"},
	{"fsopen", CAP_SYS_ADMIN, "CAP_SYS_ADMIN"},
	{"fsconfig", CAP_SYS_ADMIN, "CAP_SYS_ADMIN"},
	{"fsmount", CAP_SYS_ADMIN, "CAP_SYS_ADMIN"},
	{"fspick", CAP_SYS_ADMIN, "CAP_SYS_ADMIN"},
	{"move_mount", CAP_SYS_ADMIN, "CAP_SYS_ADMIN"},
	{"open_tree", CAP_SYS_ADMIN, "CAP_SYS_ADMIN"},
	{"mount_setattr", CAP_SYS_ADMIN, "CAP_SYS_ADMIN"},
	{"pivot_root", CAP_SYS_ADMIN, "CAP_SYS_ADMIN"},
	{"chroot", CAP_SYS_CHROOT, "CAP_SYS_CHROOT"},
};

static bool without_cap(const struct policy *p, size_t k, int *call)
{
	*call = syscall_lookup(needs_cap[k].call);
	return *call >= 0 && !((p->caps >> needs_cap[k].cap) & 1) &&
	       p->syscalls[*call].action.kind == SC_ALLOW;
}

/* Allowed calls that can only fail: the capability is not kept, and no
 * user namespace of its own (where the command would have every
 * capability) may be made. With unshare-user = no the capabilities are
 * the host's, which this cannot know. One warning per allow line and
 * capability, naming its calls. */
static void rule_calls_without_capability(const struct check_input *in, struct diag *d)
{
	const struct policy *p = in->p;
	if ((p->ns_allowed & CLONE_NEWUSER) ||
	    (p->unshare_s[UNSHARE_USER].set && !(p->unshare & CLONE_NEWUSER)))
		return;
	bool told[ELEMENTSOF(needs_cap)] = {false};
	for (size_t k = 0; k < ELEMENTSOF(needs_cap); k++) {
		int i, j;
		if (told[k] || !without_cap(p, k, &i))
			continue;
		_cleanup_free_ char *calls = xstrdup(needs_cap[k].call);
		for (size_t m = k + 1; m < ELEMENTSOF(needs_cap); m++) {
			if (needs_cap[m].cap != needs_cap[k].cap || !without_cap(p, m, &j) ||
			    p->syscalls[j].origin != p->syscalls[i].origin)
				continue;
			told[m] = true;
			char *longer = xasprintf("%s %s", calls, needs_cap[m].call);
			free(calls);
			calls = longer;
		}
		diag_warning(d, sc_rule_origin(p, (size_t)i),
			     "%s allowed, but %s is not kept in [what] capabilities and no user "
			     "namespace may be made: these calls can only fail",
			     calls, needs_cap[k].cap_name);
	}
}

/* ---- places of secrets ---- */

static bool is_bind_source(const struct mount_op *m)
{
	bool from_host = m->kind == MOUNT_BIND || m->kind == MOUNT_RO_BIND ||
			 m->kind == MOUNT_DEV_BIND || m->kind == MOUNT_MIRROR ||
			 m->kind == MOUNT_TMP_OVERLAY || m->kind == MOUNT_OVERLAY ||
			 m->kind == MOUNT_RO_OVERLAY;
	return from_host && m->src != NULL;
}

/* Warn when path, a host path mount m shows, is a credential directory or
 * holds one; true when it did. */
static bool warn_credentials(const struct check_input *in, const struct mount_op *m,
			     const char *path, struct diag *d)
{
	for (size_t s = 0; s < where_n_secrets; s++) {
		_cleanup_free_ char *secret = xasprintf("%s/%s", in->home, where_secrets[s].rel);
		if (path_at_or_below(path, secret)) {
			diag_warning(d, &m->origin, "%s binds ~/%s: %s", path, where_secrets[s].rel,
				     where_secrets[s].what);
			return true;
		}
		if (path_at_or_below(secret, path)) {
			diag_warning(d, &m->origin,
				     "%s holds ~/%s (%s) and the other places of credentials in "
				     "your home",
				     path, where_secrets[s].rel, where_secrets[s].what);
			return true;
		}
	}
	return false;
}

/* A bind of a credential directory, or of a directory that holds one
 * ($HOME, /home, /), as a bind's source or any layer of an overlay: the
 * sandbox can read what lets it act as you. */
static void rule_credentials_bound(const struct check_input *in, struct diag *d)
{
	if (!in->home)
		return;
	for (size_t i = 0; i < in->p->n_mounts; i++) {
		const struct mount_op *m = &in->p->mounts[i];
		bool w;
		const char *path;
		for (size_t k = 0; is_bind_source(m) && (path = mount_host_path(m, k, &w)); k++)
			if (warn_credentials(in, m, path, d))
				break;
	}
}

/* ---- a writable home with the network on ---- */

static void rule_writable_home_online(const struct check_input *in, struct diag *d)
{
	const struct policy *p = in->p;
	if (p->network == NET_NONE)
		return;
	char net[512];
	origin_format(&p->network_s.origin, net, sizeof(net));
	const char *why = "the sandbox can change your shell's start files and send your "
			  "files out";
	if (p->home == HOME_RW)
		diag_warning(d, &p->home_s.origin, "a writable home with the network on (%s): %s",
			     p->network_s.set ? net : "glovebox's default", why);
	for (size_t i = 0; in->home && i < p->n_mounts; i++) {
		const struct mount_op *m = &p->mounts[i];
		bool w;
		const char *path;
		for (size_t k = 0; is_bind_source(m) && (path = mount_host_path(m, k, &w)); k++)
			if (w && path_at_or_below(in->home, path))
				diag_warning(d, &m->origin,
					     "%s writable, your home with it, and the network on "
					     "(%s): %s",
					     path, p->network_s.set ? net : "glovebox's default", why);
	}
}

/* ---- shadowed settings ---- */

/* The keys with one value, the last one given: every other key adds to a
 * list (mounts, rules, environment operations). */
static const struct {
	const char *section, *key;
} single_keys[] = {
	{"profile", "description"}, {"where", "chdir"},          {"where", "cwd"},
	{"where", "home"},          {"where", "network"},        {"where", "hostname"},
	{"where", "scope"},         {"where", "landlock-fs"},    {"where", "tcp-connect"},
	{"where", "tcp-bind"},      {"where", "fallback"},       {"where", "terminal"},
	{"where", "unshare-pid"},   {"where", "unshare-ipc"},    {"where", "unshare-uts"},
	{"where", "unshare-cgroup"}, {"where", "unshare-user"},  {"what", "capabilities"},
	{"what", "user"},           {"what", "host-user"},       {"what", "background"},
	{"limits", "processes"},    {"limits", "tmpfs"},         {"limits", "timeout"},
	{"how", "default"},         {"how", "namespaces"},       {"how", "socket-families"},
	{"how", "write-xor-execute"}, {"how", "memfd-exec"},     {"how", "personality"},
	{"env", "clear"},
};

static bool is_single(const struct gb_option *opt)
{
	if (option_rlimit(opt) >= 0)
		return true;
	for (size_t i = 0; i < ELEMENTSOF(single_keys); i++)
		if (streq(opt->section, single_keys[i].section) && streq(opt->key, single_keys[i].key))
			return true;
	return false;
}

/* Whether layer `low` was layered for `high` (an include of it, of its
 * includes, or the profile a drop-in adapts): `high` is then meant to
 * override it. */
static bool layered_for(const struct profile_loader *l, size_t low, size_t high)
{
	if (low == high)
		return true;
	for (size_t i = 0; i < l->n_edges; i++)
		if (l->edges[i].layer == low && layered_for(l, l->edges[i].above, high))
			return true;
	return false;
}

/* Two drop-ins of one profile: neither was written for the other. */
static bool sibling_dropins(const struct policy *p, size_t a, size_t b)
{
	const char *x = a < p->n_layers ? p->layers[a].dropin_of : NULL;
	const char *y = b < p->n_layers ? p->layers[b].dropin_of : NULL;
	return x && y && streq(x, y);
}

/* A value set and then set again where that is no override by design: in
 * the same file, or by two drop-ins of one profile. The first is dead.
 * Includes that set one key are layering by design (the library's blocks
 * each override what came before them), and so is a file or a drop-in
 * overriding what it extends. */
static void rule_shadowed(const struct check_input *in, struct diag *d)
{
	const struct profile_loader *l = in->l;
	for (size_t i = 0; i < l->n_uses; i++) {
		const struct profile_use *u = &l->uses[i];
		if (!is_single(u->opt))
			continue;
		for (size_t k = i + 1; k < l->n_uses; k++) {
			const struct profile_use *v = &l->uses[k];
			if (v->opt != u->opt)
				continue;
			if (u->layer == v->layer ||
			    (sibling_dropins(in->p, u->layer, v->layer) &&
			     !layered_for(l, u->layer, v->layer))) {
				char later[512];
				origin_format(&v->origin, later, sizeof(later));
				diag_warning(d, &u->origin,
					     "never used: %s sets it again later%s", later,
					     u->layer == v->layer ? " in the same file" : "");
			}
			break;
		}
	}
}

/* ---- allow after deny ---- */

static bool is_how(const struct profile_use *u, const char *key)
{
	return streq(u->opt->section, "how") && streq(u->opt->key, key);
}

/* The calls a line names; deny's NAME:ACTION counts as NAME. explicit:
 * the calls named by themselves, not through a group. */
static void use_calls(const struct profile_use *u, syscall_set *all, syscall_set *explicit)
{
	*all = (syscall_set){0};
	*explicit = (syscall_set){0};
	for (size_t i = 0; i < u->args.n; i++) {
		_cleanup_free_ char *name = xstrndup(u->args.v[i], strcspn(u->args.v[i], ":"));
		(void)syscall_resolve(name, all);
		if (name[0] != '@')
			(void)syscall_resolve(name, explicit);
	}
}

/* One warning per pair of lines, with every call they share. */
static void warn_pair(struct diag *d, const struct profile_use *allow,
		      const struct profile_use *deny, const char *calls, bool same_file)
{
	char where[512];
	origin_format(&deny->origin, where, sizeof(where));
	if (same_file)
		diag_warning(d, &allow->origin, "%s both allowed here and denied by %s in the same "
				"file", calls, where);
	else
		diag_warning(d, &allow->origin,
			     "allows again %s, denied by %s: that deny has no effect", calls, where);
}

/* The calls a deny line after use a names: a call denied again after
 * the allow that undid an earlier deny ends up denied all the same. */
static void denied_after(const struct profile_loader *l, size_t a, syscall_set *out)
{
	for (size_t k = a + 1; k < l->n_uses; k++) {
		syscall_set all, explicit;
		if (!is_how(&l->uses[k], "deny"))
			continue;
		use_calls(&l->uses[k], &all, &explicit);
		for (size_t w = 0; w < SYSCALL_SET_WORDS; w++)
			out->w[w] |= all.w[w];
	}
}

static void add_name(char **list, size_t call)
{
	char *longer = xasprintf("%s%s%s", *list ? *list : "", *list ? " " : "",
				 syscall_table[call].name);
	free(*list);
	*list = longer;
}

/* The rules on allow and deny lines (a call denied again further on
 * ends up denied, and counts for the first two no more):
 * - a call denied in one layer and allowed again by a later layer (a
 *   group of it will do): that deny is dead, and the later layer most
 *   likely did not mean to undo it (allow = @system-service over the
 *   default's deny = @keyring).
 * - in one file, a call denied by itself (not through a group) and
 *   allowed again by a later line: that deny is dead.
 * - in one file, a call named by itself in both an allow and a deny line:
 *   which wins depends on the order of the lines alone.
 * A group allowed and a member denied after it (allow = @system-service,
 * deny = @keyring) narrows a group; a group denied and a smaller one
 * allowed after it in one file (deny = @system-service, allow = @build)
 * starts over: both fine. */
static void rule_allow_after_deny(const struct check_input *in, struct diag *d)
{
	const struct profile_loader *l = in->l;
	for (size_t a = 0; a < l->n_uses; a++) {
		if (!is_how(&l->uses[a], "allow"))
			continue;
		syscall_set allowed, allowed_ex, later = {0};
		use_calls(&l->uses[a], &allowed, &allowed_ex);
		denied_after(l, a, &later);
		for (size_t k = 0; k < l->n_uses; k++) {
			const struct profile_use *u = &l->uses[k];
			if (!is_how(u, "deny") || k == a)
				continue;
			bool same = u->layer == l->uses[a].layer;
			syscall_set denied, denied_ex;
			use_calls(u, &denied, &denied_ex);
			_cleanup_free_ char *calls = NULL;
			for (size_t c = 0; c < syscall_count; c++) {
				bool again = k < a && syscall_set_has(&allowed, c) &&
					     !syscall_set_has(&later, c);
				bool dead = again && syscall_set_has(same ? &denied_ex : &denied, c);
				bool both = same && syscall_set_has(&denied_ex, c) &&
					    syscall_set_has(&allowed_ex, c);
				if (dead || both)
					add_name(&calls, c);
			}
			if (calls)
				warn_pair(d, &l->uses[a], u, calls, same);
		}
	}
}

/* Each rule looks at the whole policy and the layers on its own. */
static const check_rule_fn check_rules[] = {
	rule_calls_without_capability,
	rule_credentials_bound,
	rule_writable_home_online,
	rule_shadowed,
	rule_allow_after_deny,
};

void check_rules_run(const struct check_input *in, struct diag *d)
{
	for (size_t i = 0; i < ELEMENTSOF(check_rules); i++)
		check_rules[i](in, d);
}
