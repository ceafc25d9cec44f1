/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Layering profiles into a policy: includes before the keys of a file,
 * each file once, cycles refused, drop-ins right after their profile. */
#include "policy/profile-internal.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

#include "policy/options.h"
#include "policy/suggest.h"

void profile_loader_init(struct profile_loader *l, struct policy *p, struct diag *d,
			 const struct expand_vars *vars)
{
	*l = (struct profile_loader){.policy = p, .diag = d, .vars = vars,
				     .builtin_layer = NO_LAYER, .current = NO_LAYER};
}

void profile_loader_free(struct profile_loader *l)
{
	strv_free(&l->search_path);
	free(l->stack);
	free(l->done);
	free(l->edges);
	for (size_t i = 0; i < l->n_uses; i++)
		strv_free(&l->uses[i].args);
	free(l->uses);
}

static int load_builtin(struct profile_loader *l);

/* What a profile's includes name: the profiles, and `none`. */
struct includes {
	unsigned names;
	bool none;
	struct origin none_origin;
};

/* One include line: each name layered in order; `none` only noted. */
static int load_includes(struct profile_loader *l, const struct strv *args, const char *dir,
			 const struct origin *o, struct includes *inc)
{
	int r = 0;
	if (args->n == 0)
		return diag_error(l->diag, o, "expected a profile name");
	for (size_t k = 0; k < args->n; k++) {
		if (streq(args->v[k], INCLUDE_NONE)) {
			inc->none = true;
			inc->none_origin = *o;
			continue;
		}
		inc->names++;
		if (profile_load(l, args->v[k], dir, o) < 0)
			r = -1;
	}
	return r;
}

/* A profile file that names no include layers on the built-in default:
 * one that only sets a host name must not start from an empty policy,
 * where no command can even start. `include = none` is the blank slate,
 * on its own. */
static int layer_base(struct profile_loader *l, const struct includes *inc, bool on_default)
{
	if (inc->none && inc->names)
		return diag_error(l->diag, &inc->none_origin,
				  "none (a blank slate) cannot be combined with profile names");
	if (inc->none) {
		l->policy->blank_s = (struct setting){true, inc->none_origin};
		return 0;
	}
	return inc->names || !on_default ? 0 : load_builtin(l);
}

int profile_load_includes(struct profile_loader *l, const struct strv *names,
			  const struct origin *from)
{
	struct includes inc = {0};
	int r = names->n ? load_includes(l, names, NULL, from, &inc) : 0;
	return layer_base(l, &inc, true) < 0 ? -1 : r;
}

static int load_entries(struct profile_loader *l, const char *file,
			const struct profile_entries *lines, const char *dir, bool on_default)
{
	int ret = 0;
	struct includes inc = {0};
	/* Includes first, in order: "earlier layers first, this file wins". */
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1 && layer_base(l, &inc, on_default) < 0)
			ret = -1;
		if (pass == 1)
			l->policy->layers[l->current].order = l->next_order++;
		for (size_t i = 0, next; i < lines->n; i = next) {
			const struct profile_entry *e = &lines->v[i];
			for (next = i + 1; next < lines->n && lines->v[next].continuation; next++)
				;
			const struct gb_option *opt = option_by_key(e->section, e->key);
			bool include = opt->flags & OPT_INCLUDE;
			if (include != (pass == 0))
				continue;
			struct origin o = {
				.file = file,
				.line = e->line,
				.section = policy_intern(l->policy, e->section),
				.key = policy_intern(l->policy, e->key),
			};
			struct strv args = {0};
			int r = profile_entry_args(l, opt, e, next - i, &o, &args);
			if (r == 0) {
				if (include) {
					r = load_includes(l, &args, dir, &o, &inc);
				} else {
					r = option_apply(l->policy, opt, args.v, args.n, &o, l->diag);
				}
			}
			if (r < 0)
				ret = -1;
			if (r == 0 && !include && l->record)
				*APPEND(l->uses, l->n_uses) = (struct profile_use){
					.opt = opt, .origin = o, .args = args, .layer = l->current};
			else
				strv_free(&args);
		}
	}
	return ret;
}

static void add_edge(struct profile_loader *l, size_t layer, size_t above)
{
	if (above != NO_LAYER)
		*APPEND(l->edges, l->n_edges) = (struct profile_edge){layer, above};
}

/* A new layer, below the one being loaded. Returns its index. */
static size_t add_layer(struct profile_loader *l, const char *file, size_t above)
{
	struct policy *p = l->policy;
	*APPEND(p->layers, p->n_layers) = (struct policy_layer){.file = file};
	add_edge(l, p->n_layers - 1, above);
	return p->n_layers - 1;
}

static int load_text(struct profile_loader *l, const char *file_label, const char *text,
		     size_t len, const char *dir, bool on_default)
{
	const char *file = policy_intern(l->policy, file_label);
	unsigned before = l->diag->errors;
	size_t above = l->current;
	l->current = add_layer(l, file, above);

	struct profile_entries lines;
	int r = profile_parse_lines(l->diag, file, text, len, &lines);
	/* cppcheck-suppress knownConditionTrueFalse ; the callbacks above count errors */
	if (r != 0 && l->diag->errors == before) {
		struct origin o = {.file = file, .line = r > 0 ? (unsigned)r : 0};
		diag_error(l->diag, &o, "cannot parse this line");
	}
	if (load_entries(l, file, &lines, dir, on_default) < 0 && l->diag->errors == before)
		l->diag->errors++;
	profile_entries_free(&lines);
	l->current = above;
	return l->diag->errors == before ? 0 : -1;
}

int profile_load_text(struct profile_loader *l, const char *file_label, const char *text,
		      size_t len, const char *dir)
{
	return load_text(l, file_label, text, len, dir, false);
}

static void push_id(struct file_id **arr, size_t *n, struct file_id id) /* NOLINT(readability-non-const-parameter): APPEND counts it */
{
	*APPEND(*arr, *n) = id;
}

static int load_dropin(struct profile_loader *l, const char *path, size_t base,
		       const struct origin *from);

/* Layer the drop-ins of the profile NAME (layer `base`), found in DIRS,
 * right after it, in the order of their file names. */
static int load_dropins(struct profile_loader *l, const char *name, const struct strv *dirs,
			size_t base, const struct origin *from)
{
	struct strv paths = {0};
	int r = 0;
	profile_dropins(dirs, name, &paths);
	for (size_t i = 0; i < paths.n; i++)
		if (load_dropin(l, paths.v[i], base, from) < 0)
			r = -1;
	strv_free(&paths);
	return r;
}

/* The built-in default, once: the base of the others, with the default.d
 * drop-ins of the search path. */
static int load_builtin(struct profile_loader *l)
{
	if (l->builtin_done) {
		add_edge(l, l->builtin_layer, l->current);
		return 0;
	}
	l->builtin_done = true;
	l->builtin_layer = l->policy->n_layers;
	int r = load_text(l, BUILTIN_DEFAULT_FILE, builtin_default_profile,
			  builtin_default_profile_len, NULL, false);
	if (load_dropins(l, BUILTIN_DEFAULT_NAME, &l->search_path, l->builtin_layer, NULL) < 0)
		r = -1;
	return r;
}

/* Load the file at PATH, opened as fd, once. Returns its layer in *layer
 * (NO_LAYER when it was loaded before or failed). */
static int load_opened(struct profile_loader *l, int fd, const char *path,
		       const struct origin *from, bool on_default, size_t *layer)
{
	struct diag *d = l->diag;
	struct stat sb;
	*layer = NO_LAYER;
	if (fstat(fd, &sb) < 0)
		return diag_error(d, from, "%s: %s", path, strerror(errno));
	struct file_id id = {sb.st_dev, sb.st_ino, NULL, NO_LAYER};

	for (size_t i = 0; i < l->n_stack; i++)
		if (l->stack[i].dev == id.dev && l->stack[i].ino == id.ino) {
			struct strv chain = {0};
			for (size_t k = i; k < l->n_stack; k++)
				strv_add(&chain, l->stack[k].path);
			strv_add(&chain, path);
			_cleanup_free_ char *text = strv_join(&chain, " -> ");
			strv_free(&chain);
			return diag_error(d, from, "include cycle: %s", text);
		}
	for (size_t i = 0; i < l->n_done; i++)
		if (l->done[i].dev == id.dev && l->done[i].ino == id.ino) {
			/* each file is layered once, at its first include */
			add_edge(l, l->done[i].layer, l->current);
			return 0;
		}

	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	int r = profile_read_file(fd, &text, &len);
	if (r == -EFBIG)
		return diag_error(d, from, "%s: larger than %d MiB, the most a profile may be",
				  path, PROFILE_MAX_SIZE >> 20);
	if (r < 0)
		return diag_error(d, from, "%s: %s", path,
				  r == -EINVAL ? "not a regular file" : strerror(-r));

	id.path = policy_intern(l->policy, path);
	id.layer = l->policy->n_layers;
	push_id(&l->stack, &l->n_stack, id);
	_cleanup_free_ char *dir = profile_dir_of(path);
	r = load_text(l, id.path, text, len, dir, on_default);
	l->n_stack--;
	push_id(&l->done, &l->n_done, id);
	*layer = id.layer;
	return r;
}

/* A drop-in of the profile at layer base: it hangs below what included
 * that profile, and the profile below it, as the drop-in is there to
 * override the profile. Unlike a profile, it does not layer on the
 * built-in default. */
static int load_dropin(struct profile_loader *l, const char *path, size_t base,
		       const struct origin *from)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return diag_error(l->diag, from, "%s: %s", path, strerror(errno));
	size_t layer;
	int r = load_opened(l, fd, path, from, false, &layer);
	if (layer != NO_LAYER) {
		l->policy->layers[layer].dropin_of = l->policy->layers[base].file;
		add_edge(l, base, layer);
	}
	return r;
}

int profile_load(struct profile_loader *l, const char *name, const char *relative_to,
		 const struct origin *from)
{
	struct diag *d = l->diag;

	if (streq(name, BUILTIN_DEFAULT_NAME))
		return load_builtin(l);

	_cleanup_free_ char *path = NULL;
	_cleanup_close_ int fd = profile_open(l, name, relative_to, &path);
	if (fd < 0) {
		if (fd == -ENOENT && profile_is_bare_name(name)) {
			_cleanup_free_ char *where = strv_join(&l->search_path, ", ");
			_cleanup_(suggest_done) struct suggest s = {0};
			if (suggest_profile(&s, l->search_path.v, l->search_path.n, name))
				return diag_error(d, from, "profile '%s' not found, did you mean %s? "
					  "(looked in %s)", name, s.best, where);
			return diag_error(d, from, "profile '%s' not found (looked in %s)", name,
					  where);
		}
		if (fd == -EINVAL)
			return diag_error(d, from, "'%s' is not a profile name", name);
		return diag_error(d, from, "%s: %s", path ? path : name, strerror(-fd));
	}
	size_t layer;
	int r = load_opened(l, fd, path, from, true, &layer);
	if (layer == NO_LAYER)
		return r;
	/* A name's drop-ins come from the whole search path; a file's from
	 * beside it. */
	_cleanup_free_ char *stem = profile_stem(path);
	struct strv own = {0};
	bool bare = profile_is_bare_name(name);
	if (!bare)
		strv_push(&own, profile_dir_of(path));
	if (load_dropins(l, stem, bare ? &l->search_path : &own, layer, from) < 0)
		r = -1;
	strv_free(&own);
	return r;
}

