/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The Landlock rules that mirror the mount plan. Pure: the plan and the
 * facts in, the rules out; landlock.c applies them. */
#include "where/landlock.h"

#include <stdio.h>
#include <sys/stat.h>

#include "where/facts.h"
#include "where/plan.h"

/* What each kind of mount lets the command do beneath it. */
#define LL_READ (LL_READ_FILE | LL_READ_DIR | LL_EXECUTE)
#define LL_ALL ((LL_IOCTL_DEV << 1) - 1)
/* Writable, but no device nodes: mknod needs CAP_MKNOD in the host's
 * namespace, and the mounts are nodev. */
#define LL_WRITABLE (LL_ALL & ~(LL_MAKE_CHAR | LL_MAKE_BLOCK))
/* proc: reading, and writing the files a process tunes itself with
 * (oom_score_adj, comm, attr/), which shells open with O_TRUNC. */
#define LL_PROC (LL_READ_FILE | LL_WRITE_FILE | LL_READ_DIR | LL_TRUNCATE)
/* A /dev: its nodes opened for reading and writing, terminal ioctls on
 * ptys; nothing made there but in its shm. */
#define LL_DEV (LL_READ_FILE | LL_WRITE_FILE | LL_READ_DIR | LL_IOCTL_DEV)
/* What remount-ro leaves. */
#define LL_READ_ONLY (LL_READ | LL_IOCTL_DEV)

uint64_t where_landlock_fs_handled(int abi)
{
	static const struct {
		int abi;
		uint64_t rights;
	} added[] = {
		{1, (LL_MAKE_SYM << 1) - 1},
		{LANDLOCK_ABI_REFER, LL_REFER},
		{LANDLOCK_ABI_TRUNCATE, LL_TRUNCATE},
		{LANDLOCK_ABI_IOCTL_DEV, LL_IOCTL_DEV},
	};
	uint64_t r = 0;
	for (size_t i = 0; i < ELEMENTSOF(added); i++)
		if (abi >= added[i].abi)
			r |= added[i].rights;
	return r;
}

/* ---- a set of paths taken by a later mount ---- */

struct path_set {
	const char **slots;
	size_t mask;
};

static uint64_t hash_path(const char *s)
{
	uint64_t h = FNV1A_OFFSET;
	for (; *s; s++)
		h = fnv1a_byte(h, (unsigned char)*s);
	return h;
}

/* Whether path is in the set; added when `add`. */
static bool set_has(struct path_set *s, const char *path, bool add)
{
	for (size_t i = (size_t)hash_path(path) & s->mask;; i = (i + 1) & s->mask) {
		if (!s->slots[i]) {
			if (add)
				s->slots[i] = path;
			return false;
		}
		if (streq(s->slots[i], path))
			return true;
	}
}

/* ---- the rules ---- */

/* What the plan's steps leave, walked from the last: a mount at a path a
 * later one took is hidden; the covers and remount-ro seen so far act on
 * what lies at or below them. */
struct walk {
	struct landlock_rules *out;
	struct path_set taken;
	const char **covers; /* masks and hidden procs: nothing beneath them */
	size_t n_covers;
	const char **read_only; /* remount-ro */
	size_t n_read_only;
	enum landlock_view view;
	uint64_t handled;
};

static bool at_or_below(const char *path, const char *const *dirs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (path_at_or_below(path, dirs[i]))
			return true;
	return false;
}

/* The rule added, or NULL when a cover takes it away. */
static struct landlock_rule *add_rule(struct walk *w, const char *path, bool owned,
				      uint64_t access, size_t step)
{
	if (at_or_below(path, w->covers, w->n_covers)) {
		if (owned)
			free((char *)path);
		return NULL;
	}
	if (at_or_below(path, w->read_only, w->n_read_only))
		access &= LL_READ_ONLY;
	struct landlock_rule *r = APPEND(w->out->v, w->out->n);
	*r = (struct landlock_rule){.path = path, .owned = owned, .access = access & w->handled,
				    .step = step, .fd = -1};
	return r;
}

/* The rights a mount gives beneath its destination, 0 for none; inside
 * the sandbox or, without namespaces, on the host (where tmpfs, file,
 * overlay and mqueue mounts are not made, so nothing of the host's is
 * opened in their place). */
static uint64_t mount_access(const struct where_step *st, enum landlock_view view)
{
	bool host = view == LANDLOCK_HOST;
	switch (st->op->kind) {
	case MOUNT_BIND:
		return st->read_only ? LL_READ : LL_WRITABLE;
	case MOUNT_DEV_BIND:
		return st->read_only ? LL_READ_ONLY : LL_ALL;
	case MOUNT_RO_BIND:
	case MOUNT_MIRROR:
		return LL_READ;
	case MOUNT_TMPFS:
		if (st->op->flags & MOUNT_F_NOEXEC)
			return host ? 0 : LL_WRITABLE & ~LL_EXECUTE;
		return host ? 0 : LL_WRITABLE;
	case MOUNT_MQUEUE:
	case MOUNT_TMP_OVERLAY:
	case MOUNT_OVERLAY:
		return host ? 0 : LL_WRITABLE;
	case MOUNT_RO_OVERLAY:
		return host ? 0 : LL_READ;
	case MOUNT_FILE:
		return host ? 0 : LL_READ_FILE | LL_EXECUTE;
	case MOUNT_PROC:
		return LL_PROC;
	case MOUNT_DEV:
		return host ? 0 : LL_DEV;
	case MOUNT_SYMLINK:
	case MOUNT_DIR:
	case MOUNT_CHMOD:
	case MOUNT_REMOUNT_RO:
		break;
	}
	return 0;
}

/* Without namespaces the host's /dev shows whole: only the nodes the
 * sandbox's own /dev would hold (backwards, as the walk goes). */
static void add_host_dev_nodes(struct walk *w, const char *dest, size_t step)
{
	for (size_t i = WHERE_N_DEV_NODES; i-- > 0;)
		add_rule(w, xasprintf("%s/%s", streq(dest, "/") ? "" : dest, where_dev_nodes[i]),
			 true, LL_DEV & LL_FILE_RIGHTS, step);
}

static void walk_mount(struct walk *w, const struct where_step *st, const struct where_source *s,
		       size_t step)
{
	const struct mount_op *m = st->op;
	if (m->kind == MOUNT_REMOUNT_RO) {
		*APPEND(w->read_only, w->n_read_only) = m->dest;
		return;
	}
	if ((s && s->missing) || (m->kind == MOUNT_MIRROR && s && s->link_target))
		return; /* nothing mounted */
	uint64_t access = mount_access(st, w->view);
	bool host = w->view == LANDLOCK_HOST;
	if (host && m->kind == MOUNT_DEV) {
		add_host_dev_nodes(w, m->dest, step);
		return;
	}
	if (!access)
		return;
	/* binds show their source; without namespaces, at its own path */
	bool bind = m->kind == MOUNT_BIND || m->kind == MOUNT_RO_BIND ||
		    m->kind == MOUNT_DEV_BIND || m->kind == MOUNT_MIRROR;
	const char *path = host && bind ? m->src : m->dest;
	if (!host && set_has(&w->taken, m->dest, true))
		return; /* a later mount at the same destination hides it */
	bool is_file = m->kind == MOUNT_FILE || (s && s->known && !S_ISDIR(s->st.st_mode));
	if (is_file)
		access &= LL_FILE_RIGHTS;
	/* the sandbox's own shared memory, in its /dev */
	if (m->kind == MOUNT_DEV) {
		char *shm = xasprintf("%s/shm", streq(m->dest, "/") ? "" : m->dest);
		if (!set_has(&w->taken, shm, false))
			add_rule(w, shm, true, LL_WRITABLE, step);
		else
			free(shm);
	}
	struct landlock_rule *r = add_rule(w, path, false, access, step);
	/* Inside, a bind shows its tree's root at its destination: the rule
	 * goes on the tree pid 1 holds, with no lookup of the path. */
	if (r && bind && !host && s && s->fd >= 0)
		r->fd = s->fd;
}

static void reverse(struct landlock_rules *r)
{
	for (size_t i = 0, j = r->n; i + 1 < j; i++, j--) {
		struct landlock_rule t = r->v[i];
		r->v[i] = r->v[j - 1];
		r->v[j - 1] = t;
	}
}

void where_landlock_rules(const struct where_plan *plan, const struct where_facts *f,
			  enum landlock_view view, uint64_t handled, struct landlock_rules *out)
{
	*out = (struct landlock_rules){0};
	size_t size = 8;
	while (size < 2 * plan->n_steps)
		size *= 2;
	struct walk w = {.out = out, .view = view, .handled = handled,
			 .taken = {xcalloc(size, sizeof(char *)), size - 1}};
	for (size_t k = plan->n_steps; k-- > 0;) {
		const struct where_step *st = &plan->steps[k];
		switch (st->what) {
		case STEP_MOUNT:
			walk_mount(&w, st, f && st->source < f->n_src ? &f->src[st->source] : NULL, k);
			break;
		case STEP_MASK:
		case STEP_KERNEL_MASK:
		case STEP_HIDE_PROC:
			*APPEND(w.covers, w.n_covers) = st->path;
			break;
		case STEP_KERNEL_RO:
			/* read-only like a remount-ro: proc's write right ends here */
			*APPEND(w.read_only, w.n_read_only) = st->path;
			break;
		case STEP_ENTER_ROOT:
			/* the sandbox's root may be listed: it holds the mount
			 * points (the host's, without namespaces, may not) */
			if (view == LANDLOCK_INSIDE)
				add_rule(&w, "/", false, LL_READ_DIR, k);
			break;
		case STEP_SCRATCH:
		case STEP_DEV_NODE:
		case STEP_SCRATCH_DROP:
		case STEP_RO_SYSFS:
		case STEP_PIN:
		case STEP_ROOT_RO:
			break;
		}
	}
	reverse(out);
	/* a rule with no right the kernel handles adds nothing */
	size_t n = 0;
	for (size_t i = 0; i < out->n; i++) {
		if (out->v[i].access)
			out->v[n++] = out->v[i];
		else if (out->v[i].owned)
			free((char *)out->v[i].path);
	}
	out->n = n;
	free(w.taken.slots);
	free(w.covers);
	free(w.read_only);
}

void where_landlock_rules_free(struct landlock_rules *r)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].owned)
			free((char *)r->v[i].path);
	free(r->v);
	*r = (struct landlock_rules){0};
}

/* ---- words ---- */

static const struct {
	uint64_t bit;
	const char *word;
} access_words[] = {
	{LL_READ_FILE, "read"},	      {LL_WRITE_FILE, "write"},	  {LL_READ_DIR, "list"},
	{LL_EXECUTE, "exec"},	      {LL_TRUNCATE, "truncate"},  {LL_MAKE_REG, "make-file"},
	{LL_MAKE_DIR, "make-dir"},    {LL_MAKE_SYM, "make-link"}, {LL_MAKE_SOCK, "make-sock"},
	{LL_MAKE_FIFO, "make-fifo"},  {LL_MAKE_CHAR, "make-char"}, {LL_MAKE_BLOCK, "make-block"},
	{LL_REMOVE_FILE, "remove-file"}, {LL_REMOVE_DIR, "remove-dir"}, {LL_REFER, "refer"},
	{LL_IOCTL_DEV, "ioctl-dev"},
};

void where_landlock_access_text(uint64_t access, uint64_t handled, char *buf, size_t size)
{
	buf[0] = '\0';
	/* the writable sets in a word or two */
	if (access == handled) {
		snprintf(buf, size, "all");
		return;
	}
	if (access == (handled & LL_WRITABLE)) {
		snprintf(buf, size, "all but make-char make-block");
		return;
	}
	size_t w = 0;
	for (size_t i = 0; i < ELEMENTSOF(access_words) && w < size; i++)
		if (access & access_words[i].bit)
			w += (size_t)snprintf(buf + w, size - w, "%s%s", w ? " " : "",
					      access_words[i].word);
}

void where_landlock_missing_text(int abi, char *buf, size_t size)
{
	static const struct {
		int abi;
		const char *what;
	} features[] = {
		{1, "file access"},
		{LANDLOCK_ABI_REFER, "renames and links across directories (refused outright "
				     "before)"},
		{LANDLOCK_ABI_TRUNCATE, "truncation"},
		{LANDLOCK_ABI_TCP, "TCP ports"},
		{LANDLOCK_ABI_IOCTL_DEV, "device ioctls"},
		{LANDLOCK_ABI_SCOPE, "scoping"},
	};
	size_t w = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < ELEMENTSOF(features) && w < size; i++)
		if (abi < features[i].abi)
			w += (size_t)snprintf(buf + w, size - w, "%s%s (ABI %d)", w ? ", " : "",
					      features[i].what, features[i].abi);
}

int where_landlock_host_check(const struct where_plan *plan, struct diag *d)
{
	for (size_t k = 0; k < plan->n_steps; k++) {
		const struct where_step *st = &plan->steps[k];
		if (st->what != STEP_MASK && st->what != STEP_HIDE_PROC)
			continue;
		const struct mount_op *m = plan->steps[st->cause].op;
		return diag_error(d, &m->origin,
				  "%s: without namespaces, %s at %s cannot be hidden: bind a "
				  "directory below it",
				  m->src, st->what == STEP_MASK ? "glovebox's own state" : "the host's proc",
				  st->path);
	}
	return 0;
}
