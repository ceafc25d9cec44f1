/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Loading INI profiles into a policy: the search path, includes (layered
 * in order, each file once, cycles refused) and per-key errors that name
 * file and line. */
#pragma once

#include "diag.h"
#include "policy/expand.h"
#include "policy/policy.h"

struct gb_option;

#define BUILTIN_DEFAULT_NAME "default"
#define BUILTIN_DEFAULT_FILE "default (built-in)"
/* A larger file is refused: a profile is a page of text, not data. */
#define PROFILE_MAX_SIZE (1 << 20)
/* include = none: a profile that does not layer on the built-in default */
#define INCLUDE_NONE "none"

/* Layer `layer` was layered because of layer `above` (an include line, or
 * the profile a drop-in extends): values of `layer` are meant to be
 * overridden by `above`. Indexes into policy.layers. */
struct profile_edge {
	size_t layer, above;
};

/* One key line as it was applied, kept when the loader records (check). */
struct profile_use {
	const struct gb_option *opt;
	struct origin origin;
	struct strv args; /* split and expanded */
	size_t layer;
};

struct profile_loader {
	struct policy *policy;
	struct diag *diag;
	const struct expand_vars *vars;
	struct strv search_path; /* directories, first hit wins */
	/* (dev, ino) of files being loaded (cycle detection) and loaded (once only) */
	struct file_id {
		unsigned long dev, ino;
		const char *path;
		size_t layer;
	} * stack, *done;
	size_t n_stack, n_done;
	bool builtin_done;
	size_t builtin_layer;
	size_t current; /* the layer being loaded; NO_LAYER at the top */
	unsigned next_order; /* for policy_layer.order */
	struct profile_edge *edges;
	size_t n_edges;
	bool record; /* keep every applied key line in uses (check's rules read them) */
	struct profile_use *uses;
	size_t n_uses;
};

#define NO_LAYER SIZE_MAX
/* Where drop-ins live: NAME.d/ beside NAME.ini. */
#define DROPIN_SUFFIX ".d"

/* search_path entries are copied. */
void profile_loader_init(struct profile_loader *l, struct policy *p, struct diag *d,
			 const struct expand_vars *vars);
void profile_loader_free(struct profile_loader *l);
void profile_loader_add_dir(struct profile_loader *l, const char *dir);

/* The standard search path: $XDG_CONFIG_HOME/glovebox/profiles,
 * SYSCONFDIR/glovebox/profiles, then the shipped profiles. */
void profile_loader_default_path(struct profile_loader *l);

/* Load NAME (bare: from the search path; "default": the built-in) or PATH
 * (contains '/' or ends in ".ini": used as is, and relative paths in an
 * include are relative to the including file). from: who asked, for error
 * messages (may be NULL). A profile without an include layers on the
 * built-in default (loaded once per loader); include = none is a blank
 * slate. */
int profile_load(struct profile_loader *l, const char *name_or_path, const char *relative_to,
		 const struct origin *from);

/* Layer NAMES in order as a profile's include lines would: none of them,
 * the built-in default; "none" alone, nothing (a blank slate). The command
 * line's --profile list. */
int profile_load_includes(struct profile_loader *l, const struct strv *names,
			  const struct origin *from);

/* Load INI text held in memory (tests, fuzzers) as it stands: unlike a
 * file, it does not layer on the built-in default. */
int profile_load_text(struct profile_loader *l, const char *file_label, const char *text,
		      size_t len, const char *dir);

/* The drop-ins of the profile NAME found in DIRS (highest priority
 * first), in the order they are layered: their paths, added to out. */
void profile_dropins(const struct strv *dirs, const char *name, struct strv *out);

/* The [profile] description of the profile file at PATH (NULL: the
 * built-in default), its own (not an include's), or NULL when it has none
 * or cannot be read. To be freed. */
char *profile_description(const char *path);

/* The built-in default profile's text (generated from profiles/default.ini). */
extern const char builtin_default_profile[];
extern const size_t builtin_default_profile_len;
