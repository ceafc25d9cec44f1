/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "where/plan.h"

#include "where/trust.h"

#include <stdint.h>
#include <stdio.h>

/* ---- the mount order ---- */

/* Destinations are normalised (policy/options.c): "/" or "/a/b", no
 * trailing slash. A key is a destination's length with "/" as the empty
 * string, so that the prefixes of "/a/b" before each of its slashes
 * ("", "/a") are the keys of its strict ancestors ("/", "/a"). */
size_t where_dest_key(const char *dest)
{
	return streq(dest, "/") ? 0 : strlen(dest);
}

/* One slot per distinct destination: the first item mounted there, and the
 * first item mounted strictly below it. */
struct slot {
	const char *dest;
	size_t len;
	size_t first_here, first_below;
	bool used;
};

struct dest_table {
	struct slot *slots;
	size_t mask;
};

static struct slot *table_find(const struct dest_table *t, const char *dest, size_t len,
			       uint64_t h, bool add)
{
	for (size_t i = (size_t)h & t->mask;; i = (i + 1) & t->mask) {
		struct slot *s = &t->slots[i];
		if (!s->used) {
			if (!add)
				return NULL;
			*s = (struct slot){dest, len, SIZE_MAX, SIZE_MAX, true};
			return s;
		}
		if (s->len == len && memcmp(s->dest, dest, len) == 0)
			return s;
	}
}

static uint64_t hash_key(const char *dest, size_t len)
{
	uint64_t h = FNV1A_OFFSET;
	for (size_t i = 0; i < len; i++)
		h = fnv1a_byte(h, (unsigned char)dest[i]);
	return h;
}

/* Record item i under its own destination, and under every ancestor that
 * some item is mounted at: one pass over the destination, hashing as it
 * goes. */
static void table_note_ancestors(const struct dest_table *t, const char *dest, size_t i)
{
	uint64_t h = FNV1A_OFFSET;
	size_t len = where_dest_key(dest);
	for (size_t k = 0; k < len; k++) {
		if (dest[k] == '/') {
			struct slot *s = table_find(t, dest, k, h, false);
			if (s && s->first_below == SIZE_MAX)
				s->first_below = i;
		}
		h = fnv1a_byte(h, (unsigned char)dest[k]);
	}
}

static bool hides(const struct order_item *upper, const struct order_item *lower)
{
	size_t n = where_dest_key(upper->dest);
	if (strncmp(lower->dest, upper->dest, n) != 0)
		return false;
	if (lower->dest[n] == '/' && !(n == 0 && lower->dest[1] == '\0'))
		return true;
	return upper->beneath_same && where_dest_key(lower->dest) == n;
}

void where_order(const struct order_item *items, size_t n, size_t *order, size_t *moved_before)
{
	size_t size = 8;
	while (size < 2 * n)
		size *= 2;
	struct dest_table t = {xcalloc(size, sizeof(*t.slots)), size - 1};
	for (size_t i = 0; i < n; i++) {
		size_t len = where_dest_key(items[i].dest);
		struct slot *s = table_find(&t, items[i].dest, len, hash_key(items[i].dest, len), true);
		if (s->first_here == SIZE_MAX)
			s->first_here = i;
	}
	for (size_t i = 0; i < n; i++)
		table_note_ancestors(&t, items[i].dest, i);

	size_t placed = 0;
	for (size_t j = 0; j < n; j++) {
		size_t len = where_dest_key(items[j].dest);
		const struct slot *s = table_find(&t, items[j].dest, len,
						  hash_key(items[j].dest, len), false);
		bool moves = !items[j].in_place &&
			     (s->first_below < j || (items[j].beneath_same && s->first_here < j));
		size_t at = placed;
		moved_before[j] = SIZE_MAX;
		for (size_t k = 0; moves && k < placed; k++)
			if (hides(&items[j], &items[order[k]])) {
				at = k;
				moved_before[j] = order[k];
				break;
			}
		memmove(order + at + 1, order + at, (placed - at) * sizeof(*order));
		order[at] = j;
		placed++;
	}
	free(t.slots);
}

/* ---- the current directory ---- */

/* Operations on what is already there: they hide nothing. */
static bool acts_in_place(enum mount_kind k)
{
	return k == MOUNT_REMOUNT_RO || k == MOUNT_CHMOD || k == MOUNT_DIR || k == MOUNT_SYMLINK;
}

static bool is_bind_kind(enum mount_kind k)
{
	return k == MOUNT_BIND || k == MOUNT_RO_BIND || k == MOUNT_DEV_BIND ||
	       k == MOUNT_TMP_OVERLAY || k == MOUNT_OVERLAY || k == MOUNT_RO_OVERLAY;
}

/* The sandbox's own proc, dev or mqueue mount at path or above it, or a
 * tmpfs of its own at path itself: the host's directory there (the host's
 * /tmp, with other programs' sockets in it) is what the sandbox is kept
 * from. A directory below the tmpfs (/tmp/x) is the user's to share. */
static const struct mount_op *own_fs_at(const struct policy *p, const char *path)
{
	const struct mount_op *found = NULL;
	for (size_t i = 0; i < p->n_mounts; i++) {
		const struct mount_op *m = &p->mounts[i];
		size_t n = where_dest_key(m->dest);
		bool at_or_below = strncmp(path, m->dest, n) == 0 && (path[n] == '/' || path[n] == '\0');
		if ((m->kind == MOUNT_PROC || m->kind == MOUNT_DEV || m->kind == MOUNT_MQUEUE) &&
		    at_or_below)
			found = m;
		if (m->kind == MOUNT_TMPFS && streq(path, m->dest))
			found = m;
	}
	return found;
}

enum cwd_decision where_cwd_decide(const struct policy *p, const struct where_env *env)
{
	static const enum cwd_decision by_place[] = {
		[CWD_PLACE_OTHER] = CWD_SHARED,
		[CWD_PLACE_ROOT] = CWD_IS_ROOT,
		[CWD_PLACE_HOME] = CWD_IS_HOME,
		[CWD_PLACE_ABOVE_HOME] = CWD_ABOVE_HOME,
		[CWD_PLACE_HOST_PROC] = CWD_HOST_PROC,
		[CWD_PLACE_SHARED_DIR] = CWD_SHARED_DIR,
		[CWD_PLACE_GLOVEBOX_STATE] = CWD_GLOVEBOX_STATE,
	};
	if (p->cwd == CWD_NONE)
		return CWD_NOT_ASKED;
	if (!env->cwd || env->cwd[0] != '/')
		return CWD_UNKNOWN;
	/* A profile that binds the directory itself (`bind = ${CWD}`) has said
	 * what shows there; so has a home mount of the real home. */
	for (size_t i = 0; i < p->n_mounts; i++)
		if (is_bind_kind(p->mounts[i].kind) && streq(p->mounts[i].dest, env->cwd))
			return CWD_SHOWN;
	if (env->cwd_place == CWD_PLACE_HOME &&
	    (p->home == HOME_RW || (p->home == HOME_RO && p->cwd == CWD_RO)))
		return CWD_SHOWN;
	/* The host's /dev on top of the sandbox's own would replace its
	 * nodes with unusable ones. */
	if (own_fs_at(p, env->cwd))
		return CWD_OWN_FS;
	enum cwd_decision by = by_place[env->cwd_place];
	const struct where_path *path = env->paths ? &env->paths[p->n_mounts + 1].src : NULL;
	if (by != CWD_SHARED || !path)
		return by;
	/* An earlier sandbox that could write the directory above may have
	 * put a link here: cd ~/proj/out, where out -> ~/.ssh. */
	if (where_untrusted_link(path, env->invoker))
		return CWD_LINK;
	if (p->cwd == CWD_RW && path->phys && where_exposes(path->phys, env))
		return CWD_SECRET;
	return CWD_SHARED;
}

char *where_cwd_note(const struct policy *p, const struct where_env *env,
		     enum cwd_decision decision)
{
	/* Never a writable bind of / or $HOME as the way out: the home's own
	 * switch says what the user means, and / is not shared at all. */
	bool rw = p->cwd == CWD_RW;
	const char *start = p->chdir_s.set ? p->chdir : "/";
	switch (decision) {
	case CWD_IS_ROOT:
		return xasprintf("not sharing the current directory / (it is the whole host): the "
				 "command starts in the sandbox's %s; run glovebox from the "
				 "directory to share",
				 start);
	case CWD_IS_HOME:
		return xasprintf("not sharing the current directory %s (it is your home): the "
				 "command starts in %s; share it with --home %s",
				 env->cwd, start, rw ? "rw" : "ro");
	case CWD_ABOVE_HOME:
		return xasprintf("not sharing the current directory %s (your home lies in it): "
				 "the command starts in %s; share it with --%s %s %s",
				 env->cwd, start, rw ? "bind" : "ro-bind", env->cwd, env->cwd);
	case CWD_HOST_PROC:
		return xasprintf("not sharing the current directory %s (the host's proc leads out "
				 "of any sandbox): the command starts in %s",
				 env->cwd, start);
	case CWD_GLOVEBOX_STATE:
		return xasprintf("not sharing the current directory %s (glovebox's own state, "
				 "which no sandbox may see): the command starts in %s",
				 env->cwd, start);
	case CWD_SHARED_DIR:
		return xasprintf("not sharing the current directory %s (every program shares it, "
				 "and their sockets in it would be in reach): the command starts in "
				 "%s; share it with --%s %s %s",
				 env->cwd, start, rw ? "bind" : "ro-bind", env->cwd, env->cwd);
	case CWD_OWN_FS: {
		/* a directory below a tmpfs is shown on top of it */
		const struct mount_op *own = own_fs_at(p, env->cwd);
		return xasprintf("not sharing the current directory %s (the sandbox has its own "
				 "%s): the command starts in %s%s",
				 env->cwd, own->dest, start,
				 own->kind == MOUNT_TMPFS ? "; run glovebox from a directory in it, "
							    "which is shared" : "");
	}
	case CWD_LINK: {
		const struct where_path *path = &env->paths[p->n_mounts + 1].src;
		const struct where_link *l = where_untrusted_link(path, env->invoker);
		_cleanup_free_ char *whose = where_link_owner(l, env->invoker);
		return xasprintf("not sharing the current directory %s: %s is a symlink to %s "
				 "%s, which a sandbox could have planted: the command starts in "
				 "%s; to share what it points to, run glovebox from there (cd %s)",
				 env->cwd, l->path, l->target, whose, start, path->phys);
	}
	case CWD_SECRET:
		return xasprintf("not sharing the current directory %s writable (%s: a sandbox "
				 "could use it to act as you outside): the command starts in %s; "
				 "share it read-only with --cwd ro, or if you mean it, --bind %s %s "
				 "writable=intended",
				 env->cwd, where_exposes(env->paths[p->n_mounts + 1].src.phys, env),
				 start, env->cwd, env->cwd);
	case CWD_SHARED:
	case CWD_NOT_ASKED:
	case CWD_UNKNOWN:
	case CWD_SHOWN:
		break;
	}
	return NULL;
}

const char *where_start_dir(const struct policy *p, const struct where_env *env,
			    enum cwd_decision decision)
{
	if (p->chdir_s.set)
		return p->chdir;
	return decision == CWD_SHARED || decision == CWD_SHOWN ? env->cwd : NULL;
}

/* ---- the plan ---- */

static bool home_wanted(const struct policy *p, const struct where_env *env)
{
	const char *home = env->home;
	return p->home != HOME_NONE && home && home[0] == '/' && !streq(home, "/") &&
	       (p->home != HOME_PRIVATE || env->private_home);
}

const char *where_home_source(const struct policy *p, const struct where_env *env)
{
	if (!home_wanted(p, env) || p->home == HOME_TMPFS)
		return NULL;
	return p->home == HOME_PRIVATE ? env->private_home : env->home;
}

static struct mount_op home_op(const struct policy *p, const struct where_env *env)
{
	struct mount_op m = {.dest = (char *)env->home, .src = (char *)env->home,
			     .origin = p->home_s.origin, .mode = 0700};
	m.kind = p->home == HOME_TMPFS ? MOUNT_TMPFS
		 : p->home == HOME_RO  ? MOUNT_RO_BIND
				       : MOUNT_BIND;
	if (p->home == HOME_PRIVATE)
		m.src = (char *)env->private_home;
	return m;
}

/* bwrap's order: each mount where the command line puts it, a later one
 * on top of (or hiding) an earlier one. */
static void keep_order(size_t n, size_t *order, size_t *moved_before)
{
	for (size_t i = 0; i < n; i++) {
		order[i] = i;
		moved_before[i] = SIZE_MAX;
	}
}

void where_plan_make(const struct policy *p, const struct where_env *env, struct where_plan *plan)
{
	*plan = (struct where_plan){.n_sources = p->n_mounts + 2, .host_root = env->host_root,
				    .bwrap = p->bwrap.on};
	if (p->tmpfs_budget)
		plan->tmpfs_pool = p->tmpfs_budget - policy_tmpfs_reserved(p);
	/* pid_max, which holds processes = N, is writable by uid 0 of the
	 * sandbox's user namespace */
	plan->proc_sys_ro = env->host_root || p->processes;
	plan->cwd_decision = where_cwd_decide(p, env);
	plan->cwd = (struct mount_op){.kind = p->cwd == CWD_RW ? MOUNT_BIND : MOUNT_RO_BIND,
				      .src = (char *)env->cwd, .dest = (char *)env->cwd,
				      .origin = p->cwd_s.origin, .mode = MODE_UNSET};
	if (home_wanted(p, env))
		plan->home = home_op(p, env);

	/* Home after every policy mount (a tmpfs = /tmp must not cover a home
	 * below /tmp), the current directory last (on top of a private /tmp
	 * when it lies in /tmp); where_order moves either beneath what it
	 * would hide. */
	struct where_step *steps = xcalloc(plan->n_sources, sizeof(*steps));
	struct order_item *items = xcalloc(plan->n_sources, sizeof(*items));
	size_t n = 0;
	for (size_t i = 0; i < plan->n_sources; i++) {
		const struct mount_op *m = i < p->n_mounts	  ? &p->mounts[i]
					   : i == p->n_mounts ? (plan->home.dest ? &plan->home : NULL)
					   : plan->cwd_decision == CWD_SHARED ? &plan->cwd
									      : NULL;
		if (!m)
			continue;
		steps[n] = (struct where_step){
			.op = m,
			.from = i < p->n_mounts ? STEP_POLICY : i == p->n_mounts ? STEP_HOME : STEP_CWD,
			.source = i,
			.cause = SIZE_MAX,
			.needs = SIZE_MAX,
		};
		items[n++] = (struct order_item){.dest = m->dest,
						 .beneath_same = i == p->n_mounts,
						 .in_place = acts_in_place(m->kind)};
	}
	size_t *order = xcalloc(n + 1, sizeof(*order));
	size_t *moved = xcalloc(n + 1, sizeof(*moved));
	if (p->bwrap.on)
		keep_order(n, order, moved); /* bwrap mounts in command-line order */
	else
		where_order(items, n, order, moved);

	plan->steps = xcalloc(n + 1, sizeof(*plan->steps));
	plan->step_of = xcalloc(plan->n_sources, sizeof(*plan->step_of));
	for (size_t i = 0; i < plan->n_sources; i++)
		plan->step_of[i] = SIZE_MAX;
	for (size_t k = 0; k < n; k++) {
		size_t i = order[k];
		plan->steps[k] = steps[i];
		plan->steps[k].moved_before = moved[i] == SIZE_MAX ? SIZE_MAX : steps[moved[i]].source;
		plan->step_of[steps[i].source] = k;
	}
	plan->n_steps = n;
	free(steps);
	free(items);
	free(order);
	free(moved);
}

void where_plan_free(struct where_plan *plan)
{
	for (size_t k = 0; k < plan->n_steps; k++)
		free(plan->steps[k].path);
	free(plan->steps);
	free(plan->step_of);
	*plan = (struct where_plan){0};
}

const char *where_step_name(const struct where_step *st)
{
	static const char *const names[] = {
		[STEP_SCRATCH] = "scratch",	  [STEP_DEV_NODE] = "dev-node",
		[STEP_SCRATCH_DROP] = "scratch-drop", [STEP_HIDE_PROC] = "hide-proc",
		[STEP_RO_SYSFS] = "ro-sysfs",	  [STEP_MASK] = "mask",
		[STEP_PIN] = "pin",		  [STEP_ENTER_ROOT] = "enter-root",
		[STEP_KERNEL_MASK] = "mask-kernel", [STEP_KERNEL_RO] = "ro-kernel",
		[STEP_ROOT_RO] = "root-ro",
	};
	return st->what == STEP_MOUNT ? mount_kind_name(st->op->kind) : names[st->what];
}
