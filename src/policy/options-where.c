/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The appliers of the [where] settings: paths are checked and normalised
 * here; what they mean for the sandbox is worked out by where/plan.c. */
#include "policy/appliers.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- path checks ---- */

/* A destination inside the sandbox: absolute, no "..", normalised
 * ("//" and "/./" collapsed, no trailing slash). Refusing ".." keeps every
 * destination a plain descent from the new root. */
int normalize_dest(const char *in, char **out, struct diag *d, const struct origin *o)
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

/* ---- [where] ---- */

/* The words that may follow a bind's paths: each marks the bind as meant
 * to do what glovebox refuses by default (where/plan.c says why). */
static const struct {
	const char *word;
	unsigned flag;
	bool writable_only;
} bind_words[] = {
	{"links=follow", MOUNT_F_FOLLOW_LINKS, false},
	{"writable=intended", MOUNT_F_WRITABLE_INTENDED, true},
};

/* A word after SRC that is no destination (those are absolute). */
static bool is_bind_word(const char *w)
{
	return w[0] != '/' && strchr(w, '=');
}

static int parse_bind_word(struct mount_op *m, const char *w, struct diag *d,
                           const struct origin *o)
{
	bool writable = m->kind == MOUNT_BIND || m->kind == MOUNT_DEV_BIND;
	for (size_t i = 0; i < ELEMENTSOF(bind_words); i++) {
		if (!streq(w, bind_words[i].word))
			continue;
		if (bind_words[i].writable_only && !writable)
			return diag_error(d, o, "%s: only a writable bind takes it", w);
		m->flags |= bind_words[i].flag;
		return 0;
	}
	return diag_error(d, o, "%s: unknown word (expected %s%s)", w, bind_words[0].word,
	                  writable ? " or writable=intended" : "");
}

int apply_bind(struct policy *p, const struct gb_option *opt, char **a, size_t n,
               const struct origin *o, struct diag *d)
{
	enum mount_kind kind = (enum mount_kind)(opt->data & 0xff);
	unsigned flags = (unsigned)(opt->data >> 8);
	const char *src = a[0];
	size_t n_paths = n > 1 && !is_bind_word(a[1]) ? 2 : 1;
	const char *dest = a[n_paths - 1];
	char *norm;

	for (size_t i = n_paths; i < n; i++)
		if (!is_bind_word(a[i]))
			return diag_error(d, o, "expected %s, got %zu values", opt->metavar, n);
	if (check_source(src, d, o) < 0)
		return -1;
	if (n_paths == 1 && src[0] != '/')
		return diag_error(d, o, "%s: a relative source needs a destination", src);
	if (normalize_dest(dest, &norm, d, o) < 0)
		return -1;
	struct mount_op *m = policy_add_mount(p, kind, o);
	m->flags = flags;
	m->src = xstrdup(src);
	m->dest = norm;
	for (size_t i = n_paths; i < n; i++)
		if (parse_bind_word(m, a[i], d, o) < 0)
			return -1;
	return 0;
}

/* DEST followed by options: size=BYTES, mode=OCTAL, exec=no (the last two
 * a tmpfs's alone). */
static int parse_mount_options(struct mount_op *m, char **a, size_t n, bool is_tmpfs,
                               struct diag *d, const struct origin *o)
{
	for (size_t i = 1; i < n; i++) {
		if (is_tmpfs && streq(a[i], "exec=no")) {
			m->flags |= MOUNT_F_NOEXEC;
		} else if (is_tmpfs && str_startswith(a[i], "size=")) {
			if (parse_size(a[i] + 5, &m->size) < 0 || m->size == 0)
				return diag_error(d, o,
				                  "%s: size must be a number of bytes, "
				                  "optionally with K, M or G",
				                  a[i]);
		} else if (str_startswith(a[i], "mode=")) {
			if (parse_mode(a[i] + 5, &m->mode) < 0)
				return diag_error(d, o, "%s: mode must be octal, like 0755", a[i]);
		} else {
			return diag_error(d, o, "%s: unknown option (expected %s)", a[i],
			                  is_tmpfs ? "size=BYTES, mode=OCTAL or exec=no" : "mode=OCTAL");
		}
	}
	return 0;
}

int apply_dest_op(struct policy *p, const struct gb_option *opt, char **a, size_t n,
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
	if (kind == MOUNT_PROC && n > 1) {
		if (!streq(a[1], "subset=pid"))
			return diag_error(d, o, "%s: unknown option (expected subset=pid)", a[1]);
		m->flags |= MOUNT_F_SUBSET_PID;
	}
	return 0;
}

/* file = DEST CONTENT [mode=OCTAL] */
int apply_file(struct policy *p, const struct gb_option *opt _unused_, char **a, size_t n,
               const struct origin *o, struct diag *d)
{
	char *norm;
	/* bubblewrap's --file FD DEST reads the content from a descriptor */
	if (a[0][0] && strspn(a[0], "0123456789") == strlen(a[0]) && a[1][0] == '/')
		return diag_error(d, o,
		                  "%s %s: the file comes first, then its content (DEST CONTENT)",
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
int apply_chmod(struct policy *p, const struct gb_option *opt _unused_, char **a, size_t n _unused_,
                const struct origin *o, struct diag *d)
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
int apply_overlay(struct policy *p, const struct gb_option *opt, char **a, size_t n,
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

int apply_symlink(struct policy *p, const struct gb_option *opt _unused_, char **a,
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

int apply_mirror(struct policy *p, const struct gb_option *opt _unused_, char **a, size_t n,
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
int apply_remove(struct policy *p, const struct gb_option *opt _unused_, char **a, size_t n,
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
		ret =
		    m ? diag_error(d, o,
		                   "%s: nothing is put there on its own: it is inside %s %s (%s); "
		                   "remove %s, or cover it with tmpfs = %s",
		                   dest, mount_kind_name(m->kind), m->dest, where, m->dest, dest)
		      : policy_is_building_block(p)
		          ? diag_error(d, o, "%s: nothing is put there, or below it: " BUILDING_BLOCK_HINT
		                       "puts it there (-p default -p BLOCK)", dest)
		          : diag_error(d, o, "%s: nothing is put there, or below it", dest);
	}
	strv_free(&dests);
	return ret;
}

int apply_chdir(struct policy *p, const struct gb_option *opt _unused_, char **a, size_t n _unused_,
                const struct origin *o, struct diag *d)
{
	char *norm;
	if (normalize_dest(a[0], &norm, d, o) < 0)
		return -1;
	free(p->chdir);
	p->chdir = norm;
	p->chdir_s = (struct setting){true, *o};
	return 0;
}

int apply_hostname(struct policy *p, const struct gb_option *opt _unused_, char **a,
                   size_t n _unused_, const struct origin *o, struct diag *d)
{
	size_t len = strlen(a[0]);
	if (len == 0 || len > 64)
		return diag_error(d, o, "%s: a host name has 1 to 64 characters", a[0]);
	for (const char *c = a[0]; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '-' && *c != '.' && *c != '_')
			return diag_error(d, o,
			                  "%s: a host name has only letters, digits, "
			                  "'-', '_' and '.'",
			                  a[0]);
	free(p->hostname);
	p->hostname = xstrdup(a[0]);
	p->hostname_s = (struct setting){true, *o};
	return 0;
}
