/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "where/plan.h"

#include <linux/magic.h>
#include <sys/stat.h>

#include "where/facts.h"
#include "where/trust.h"

#include <stdint.h>
#include <stdio.h>

/* ---- the mount order ---- */

/* Destinations are normalised (policy/options.c): "/" or "/a/b", no
 * trailing slash. A key is a destination's length with "/" as the empty
 * string, so that the prefixes of "/a/b" before each of its slashes
 * ("", "/a") are the keys of its strict ancestors ("/", "/a"). */
static size_t key_len(const char *dest)
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
	size_t len = key_len(dest);
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
	size_t n = key_len(upper->dest);
	if (strncmp(lower->dest, upper->dest, n) != 0)
		return false;
	if (lower->dest[n] == '/' && !(n == 0 && lower->dest[1] == '\0'))
		return true;
	return upper->beneath_same && key_len(lower->dest) == n;
}

void where_order(const struct order_item *items, size_t n, size_t *order, size_t *moved_before)
{
	size_t size = 8;
	while (size < 2 * n)
		size *= 2;
	struct dest_table t = {xcalloc(size, sizeof(*t.slots)), size - 1};
	for (size_t i = 0; i < n; i++) {
		size_t len = key_len(items[i].dest);
		struct slot *s = table_find(&t, items[i].dest, len, hash_key(items[i].dest, len), true);
		if (s->first_here == SIZE_MAX)
			s->first_here = i;
	}
	for (size_t i = 0; i < n; i++)
		table_note_ancestors(&t, items[i].dest, i);

	size_t placed = 0;
	for (size_t j = 0; j < n; j++) {
		size_t len = key_len(items[j].dest);
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
		size_t n = key_len(m->dest);
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
	case CWD_OWN_FS:
		return xasprintf("not sharing the current directory %s (the sandbox has its own "
				 "%s): the command starts in %s",
				 env->cwd, own_fs_at(p, env->cwd)->dest, start);
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

/* ---- the derived steps ---- */

struct step_list {
	struct where_step *v;
	size_t n;
};

static size_t push(struct step_list *l, struct where_step st)
{
	*APPEND(l->v, l->n) = st;
	return l->n - 1;
}

static struct where_step derived(enum step_do what, char *path, size_t cause)
{
	return (struct where_step){.what = what, .from = STEP_DERIVED, .path = path,
				   .cause = cause, .source = SIZE_MAX,
				   .moved_before = SIZE_MAX, .needs = SIZE_MAX};
}

/* DEST/SUFFIX, or DEST itself for an empty suffix. */
static char *below(const char *dest, const char *suffix)
{
	return *suffix ? xasprintf("%s/%s", streq(dest, "/") ? "" : dest, suffix) : xstrdup(dest);
}

/* The protected directory that st is, or lies in (two levels deep). */
static const struct where_guarded *guarded_holding(const struct where_facts *f,
						   const struct stat *st)
{
	for (size_t i = 0; i < f->n_prot; i++) {
		const struct where_guarded *g = &f->prot[i];
		if (st->st_dev != g->dev)
			continue;
		bool hit = st->st_ino == g->ino;
		for (size_t k = 0; k < g->n_inside && !hit; k++)
			hit = g->inside[k] == st->st_ino;
		if (hit)
			return g;
	}
	return NULL;
}

static bool is_overlay(enum mount_kind k)
{
	return k == MOUNT_TMP_OVERLAY || k == MOUNT_OVERLAY || k == MOUNT_RO_OVERLAY;
}

/* A bind of a host tree (a mirror of anything but a symlink is one). */
static bool binds_host_tree(const struct mount_op *m, const struct where_source *s)
{
	return s->known && !s->missing &&
	       (m->kind == MOUNT_BIND || m->kind == MOUNT_RO_BIND || m->kind == MOUNT_DEV_BIND ||
		(m->kind == MOUNT_MIRROR && !s->link_target));
}

/* Refuse, before anything is mounted, a source that is the host's proc
 * (its /proc/PID/root of any process of yours leads out of the jail), or
 * a protected directory or anything inside it, whatever path (symlinks
 * included) names it. Binds that show a protected directory from above
 * are masked instead (add_masks). */
static int refuse(const struct where_step *st, const struct where_facts *f, bool bwrap,
		  struct diag *d)
{
	const struct mount_op *m = st->op;
	const struct where_source *s = &f->src[st->source];
	static const char *const own[] = {WHERE_SCRATCH, WHERE_BLANK_DIR, WHERE_BLANK_FILE};
	for (size_t i = 0; i < ELEMENTSOF(own); i++) {
		size_t n = strlen(own[i]);
		if (strncmp(m->dest, own[i], n) == 0 && (m->dest[n] == '\0' || m->dest[n] == '/'))
			return diag_error(d, &m->origin,
					  "%s: this path is glovebox's own while it builds the root",
					  m->dest);
	}
	/* bwrap's meaning: symlinks in a source are followed (resolved once,
	 * before any namespace), a writable bind of the home is the caller's
	 * choice */
	if (!bwrap && where_refuse_source(st, f->env, d) < 0)
		return -1;
	if (!binds_host_tree(m, s) && !(is_overlay(m->kind) && s->known))
		return 0;
	if (!is_overlay(m->kind) && s->fs_type == PROC_SUPER_MAGIC)
		return diag_error(d, &m->origin,
				  "%s: refusing to bind the host's /proc (it leads to the host's "
				  "processes and their roots); use proc = DEST for the sandbox's own",
				  m->src);
	const struct where_guarded *g = guarded_holding(f, &s->st);
	const char *src = m->src;
	if (!g && m->kind == MOUNT_OVERLAY && s->aux_known) {
		g = guarded_holding(f, &s->aux_st);
		src = m->aux;
	}
	if (!g && m->work && s->aux_known && (g = guarded_holding(f, &s->work_st)))
		src = m->work;
	for (size_t k = 0; !g && k < s->n_lowers; k++)
		if (s->lowers[k].known && (g = guarded_holding(f, &s->lowers[k].st)))
			src = m->lowers.v[k];
	if (g)
		return diag_error(d, &m->origin, "%s: refusing to expose glovebox's own state (%s)",
				  src, g->path);
	return 0;
}

/* A bind of a directory (at step `at`) brings along every host proc and
 * sysfs mounted below its source. */
static void add_specials(struct step_list *l, const struct where_facts *f, const char *dest,
			 const struct stat *st, size_t at)
{
	for (size_t i = 0; i < f->n_specials; i++) {
		const struct where_special *sp = &f->specials[i];
		for (size_t k = 0; k < sp->n_anc; k++) {
			const struct where_anchor *a = &sp->anc[k];
			if (a->dev != st->st_dev || a->ino != st->st_ino || !*a->suffix)
				continue;
			struct where_step hit = derived(sp->is_proc ? STEP_HIDE_PROC : STEP_RO_SYSFS,
							below(dest, a->suffix), at);
			hit.index = i;
			hit.dev = sp->dev;
			push(l, hit);
		}
	}
}

/* A bind (or an overlay's lower tree) of a protected directory's ancestor
 * shows it at DEST/SUFFIX: mask it there. */
static void add_masks(struct step_list *l, const struct where_facts *f, const char *dest,
		      const struct stat *st, bool overlay, size_t at)
{
	/* Any ancestor counts, on whatever filesystem: a recursive bind
	 * brings the submounts along, a protected directory on one of them
	 * too. */
	for (size_t i = 0; i < f->n_prot; i++) {
		const struct where_guarded *g = &f->prot[i];
		for (size_t k = 0; k < g->n_anc; k++) {
			const struct where_anchor *a = &g->anc[k];
			if (a->dev != st->st_dev || a->ino != st->st_ino)
				continue;
			struct where_step mk = derived(STEP_MASK, below(dest, a->suffix), at);
			mk.index = key_len(dest);
			mk.dev = g->dev;
			mk.ino = g->ino;
			mk.any = overlay;
			push(l, mk);
		}
	}
}

/* A directory that is a mount point can be neither renamed nor removed
 * (EBUSY). Hiding a protected directory is not enough when a writable
 * bind holds it from above: the sandbox could move ~/.cache aside and put
 * a directory of its own in its place, for later runs to trust. So every
 * directory between the bind's root and the mask becomes a mount of
 * itself (the root and the mask are mount points already). */
static void add_mask_and_pins(struct step_list *out, struct where_step mk)
{
	const char *path = mk.path;
	size_t base = mk.index;
	size_t at = push(out, mk);
	for (size_t i = base + 1; path[i]; i++) {
		if (path[i] != '/')
			continue;
		struct where_step pin = derived(STEP_PIN, xstrndup(path, i), at);
		pin.needs = at;
		push(out, pin);
	}
}

/* ---- the kernel's root-only files ---- */

/* When root runs glovebox, uid 0 inside is the host's root for file
 * permissions (with no capability): these entries of proc and sysfs are
 * then readable, or writable, from the sandbox. runc's default masked and
 * read-only paths, and the page and slab tables (physical page flags and
 * counts, the slab caches, vmalloc's addresses: kernel-exploit aids). In
 * an unprivileged user's sandbox the host's root owns them and has no uid
 * inside, so they stay closed without a mount (tests/integration,
 * KernelFiles). An entry this kernel lacks is skipped. */
struct kernel_entry {
	const char *path; /* below the filesystem's root */
	enum step_do what;
};

static const struct kernel_entry proc_entries[] = {
	{"acpi", STEP_KERNEL_MASK},	   {"asound", STEP_KERNEL_MASK},
	{"kcore", STEP_KERNEL_MASK},	   {"keys", STEP_KERNEL_MASK},
	{"latency_stats", STEP_KERNEL_MASK}, {"timer_list", STEP_KERNEL_MASK},
	{"timer_stats", STEP_KERNEL_MASK},   {"sched_debug", STEP_KERNEL_MASK},
	{"scsi", STEP_KERNEL_MASK},	   {"kpageflags", STEP_KERNEL_MASK},
	{"kpagecount", STEP_KERNEL_MASK},    {"kpagecgroup", STEP_KERNEL_MASK},
	{"slabinfo", STEP_KERNEL_MASK},	   {"pagetypeinfo", STEP_KERNEL_MASK},
	{"vmallocinfo", STEP_KERNEL_MASK},   {"bus", STEP_KERNEL_RO},
	{"fs", STEP_KERNEL_RO},		   {"irq", STEP_KERNEL_RO},
	{"sys", STEP_KERNEL_RO},	   {"sysrq-trigger", STEP_KERNEL_RO},
};

/* sysfs is read-only in every sandbox; these are readable by its owner. */
static const struct kernel_entry sysfs_entries[] = {
	{"firmware", STEP_KERNEL_MASK},
	{"devices/virtual/powercap", STEP_KERNEL_MASK},
};

/* processes = N: kernel.pid_max of the sandbox's pid namespace holds
 * it, and uid 0 of its user namespace may write it */
static const struct kernel_entry proc_sys = {"sys", STEP_KERNEL_RO};

static void add_kernel_entries(struct step_list *out, const struct kernel_entry *e, size_t n,
			       const char *root, size_t at)
{
	for (size_t i = 0; i < n; i++) {
		struct where_step st = derived(e[i].what, below(root, e[i].path), at);
		st.index = (size_t)(strrchr(st.path, '/') - st.path);
		push(out, st);
	}
}

/* A bind of a sysfs's root: the whole of the host's sysfs. */
static bool is_sysfs_root(const struct where_facts *f, const struct where_source *s)
{
	for (size_t i = 0; s->fs_type == SYSFS_MAGIC && i < f->n_specials; i++)
		if (!f->specials[i].is_proc && f->specials[i].dev == s->st.st_dev &&
		    f->specials[i].ino == s->st.st_ino)
			return true;
	return false;
}

static void add_dev_nodes(struct step_list *out, const char *dest, size_t at)
{
	for (size_t i = 0; i < WHERE_N_DEV_NODES; i++) {
		struct where_step node = derived(STEP_DEV_NODE, below(dest, where_dev_nodes[i]), at);
		node.index = i;
		push(out, node);
	}
}

bool where_uses_scratch(const struct where_plan *plan, const struct mount_op *m)
{
	bool pooled = plan->tmpfs_pool &&
		      ((m->kind == MOUNT_TMPFS && !m->size) || m->kind == MOUNT_DEV);
	return m->kind == MOUNT_FILE || m->kind == MOUNT_TMP_OVERLAY || pooled;
}

static bool needs_scratch(const struct where_plan *plan)
{
	for (size_t k = 0; k < plan->n_steps; k++)
		if (where_uses_scratch(plan, plan->steps[k].op))
			return true;
	return false;
}

int where_plan_derive(struct where_plan *plan, const struct where_facts *f, struct diag *d)
{
	bool bwrap = plan->bwrap;
	for (size_t k = 0; k < plan->n_steps; k++)
		if (plan->steps[k].what == STEP_MOUNT && refuse(&plan->steps[k], f, plan->bwrap, d) < 0)
			return -1;
	struct step_list out = {0}, specials = {0}, masks = {0};
	size_t n_scratch = 0;
	size_t scratch_at = SIZE_MAX;
	if (bwrap && needs_scratch(plan))
		scratch_at = push(&out, derived(STEP_SCRATCH, xstrdup(WHERE_SCRATCH), SIZE_MAX));
	for (size_t k = 0; k < plan->n_steps; k++) {
		struct where_step st = plan->steps[k];
		const struct mount_op *m = st.op;
		const struct where_source *s = &f->src[st.source];
		/* file contents, throw-away overlay layers and the tmpfs
		 * mounts of a budget live in a scratch tmpfs, attached before
		 * its first user */
		if (where_uses_scratch(plan, m)) {
			/* bwrap mode: first of all, while the root tmpfs still shows
			 * (a bind at / covers it) */
			if (n_scratch == 0 && scratch_at != SIZE_MAX)
				out.v[scratch_at].cause = out.n;
			else if (n_scratch == 0)
				push(&out, derived(STEP_SCRATCH, xstrdup(WHERE_SCRATCH), out.n + 1));
			st.index = n_scratch++;
		}
		/* sysfs files are guarded by their owner alone: with the host's
		 * root inside (when root runs glovebox), a writable /sys reaches
		 * the hardware. Read-only, always. */
		st.read_only = m->kind == MOUNT_RO_BIND || m->kind == MOUNT_MIRROR ||
			       (binds_host_tree(m, s) && s->fs_type == SYSFS_MAGIC) ||
			       (m->kind == MOUNT_FILE && !(m->flags & MOUNT_F_WRITABLE));
		/* bwrap's --remount-ro leaves the mounts below read-write */
		st.shallow = m->kind == MOUNT_REMOUNT_RO && bwrap;
		if (m->flags & MOUNT_F_PRIVATE_PARENTS)
			st.parent_mode = 0700;
		st.bwrap_dev = m->kind == MOUNT_DEV && bwrap;
		size_t at = push(&out, st);
		if (m->kind == MOUNT_DEV)
			add_dev_nodes(&out, m->dest, at);
		if (plan->host_root && m->kind == MOUNT_PROC && !(m->flags & MOUNT_F_SUBSET_PID))
			add_kernel_entries(&out, proc_entries, ELEMENTSOF(proc_entries), m->dest, at);
		else if (plan->proc_sys_ro && m->kind == MOUNT_PROC &&
			 !(m->flags & MOUNT_F_SUBSET_PID))
			add_kernel_entries(&out, &proc_sys, 1, m->dest, at);
		if (plan->host_root && binds_host_tree(m, s) && is_sysfs_root(f, s))
			add_kernel_entries(&out, sysfs_entries, ELEMENTSOF(sysfs_entries), m->dest, at);
		if (binds_host_tree(m, s) && S_ISDIR(s->st.st_mode))
			add_specials(&specials, f, m->dest, &s->st, at);
		if (binds_host_tree(m, s) || (is_overlay(m->kind) && s->known))
			add_masks(&masks, f, m->dest, &s->st, is_overlay(m->kind), at);
		for (size_t j = 0; j < s->n_lowers; j++)
			if (s->lowers[j].known)
				add_masks(&masks, f, m->dest, &s->lowers[j].st, true, at);
	}
	if (n_scratch)
		push(&out, derived(STEP_SCRATCH_DROP, NULL, SIZE_MAX));
	/* once every mount is in place: what a later mount covered shows no
	 * more, and the step leaves it be */
	for (size_t i = 0; i < specials.n; i++) {
		size_t at = push(&out, specials.v[i]);
		if (plan->host_root && specials.v[i].what == STEP_RO_SYSFS)
			add_kernel_entries(&out, sysfs_entries, ELEMENTSOF(sysfs_entries),
					   specials.v[i].path, at);
	}
	for (size_t i = 0; i < masks.n; i++)
		add_mask_and_pins(&out, masks.v[i]);
	push(&out, derived(STEP_ENTER_ROOT, NULL, SIZE_MAX));
	/* bwrap's root tmpfs stays writable */
	if (!bwrap)
		push(&out, derived(STEP_ROOT_RO, NULL, SIZE_MAX));
	free(specials.v);
	free(masks.v);
	free(plan->steps);
	plan->steps = out.v;
	plan->n_steps = out.n;
	for (size_t k = 0; k < out.n; k++)
		if (out.v[k].what == STEP_MOUNT)
			plan->step_of[out.v[k].source] = k;
	return 0;
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
