/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The derived steps: what the policy's mounts imply (a scratch tmpfs,
 * /dev nodes, masks and pins over protected directories, the kernel's
 * root-only files, the final read-only remount), and the refusals made
 * before anything is mounted. */
#include "where/plan.h"

#include <linux/magic.h>
#include <sys/stat.h>

#include "where/facts.h"
#include "where/trust.h"

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
						   const struct where_stat *st)
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
			 const struct where_stat *st, size_t at)
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
		      const struct where_stat *st, bool overlay, size_t at)
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
			mk.index = where_dest_key(dest);
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

/* How a mount step is made, from its kind and its source. */
static void mark_mount(struct where_step *st, const struct where_source *s, bool bwrap)
{
	const struct mount_op *m = st->op;
	/* sysfs files are guarded by their owner alone: with the host's
	 * root inside (when root runs glovebox), a writable /sys reaches
	 * the hardware. Read-only, always. */
	st->read_only = m->kind == MOUNT_RO_BIND || m->kind == MOUNT_MIRROR ||
			(binds_host_tree(m, s) && s->fs_type == SYSFS_MAGIC) ||
			(m->kind == MOUNT_FILE && !(m->flags & MOUNT_F_WRITABLE));
	/* bwrap's --remount-ro leaves the mounts below read-write */
	st->shallow = m->kind == MOUNT_REMOUNT_RO && bwrap;
	if (m->flags & MOUNT_F_PRIVATE_PARENTS)
		st->parent_mode = 0700;
	st->bwrap_dev = m->kind == MOUNT_DEV && bwrap;
}

/* The steps right after the mount step at `at`: /dev's nodes, and the
 * kernel's root-only files of a new proc or of the host's sysfs. */
static void add_mount_derived(const struct where_plan *plan, const struct where_facts *f,
			      const struct where_step *st, size_t at, struct step_list *out)
{
	const struct mount_op *m = st->op;
	const struct where_source *s = &f->src[st->source];
	if (m->kind == MOUNT_DEV)
		add_dev_nodes(out, m->dest, at);
	if (plan->host_root && m->kind == MOUNT_PROC && !(m->flags & MOUNT_F_SUBSET_PID))
		add_kernel_entries(out, proc_entries, ELEMENTSOF(proc_entries), m->dest, at);
	else if (plan->proc_sys_ro && m->kind == MOUNT_PROC && !(m->flags & MOUNT_F_SUBSET_PID))
		add_kernel_entries(out, &proc_sys, 1, m->dest, at);
	if (plan->host_root && binds_host_tree(m, s) && is_sysfs_root(f, s))
		add_kernel_entries(out, sysfs_entries, ELEMENTSOF(sysfs_entries), m->dest, at);
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
		mark_mount(&st, s, bwrap);
		size_t at = push(&out, st);
		add_mount_derived(plan, f, &st, at, &out);
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
