/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* "Did you mean": the known name a mistyped one most likely meant. */
#pragma once

#include <stddef.h>

struct suggest {
	const char *word; /* what was typed */
	char *best;	  /* the closest offer so far, owned */
	size_t distance;  /* its edit distance */
};

void suggest_init(struct suggest *s, const char *word);
/* Offer one known name; it is copied when it is the closest yet. */
void suggest_offer(struct suggest *s, const char *known);
/* The closest offer if it is near enough to be a typo of the word (a
 * third of its letters at most, one at least), else NULL. */
const char *suggest_result(const struct suggest *s);
void suggest_done(struct suggest *s);

/* The typo of a command-line option (without dashes), of a key in
 * section, or of a profile name on the search path: the name meant, or
 * NULL. */
const char *suggest_option(struct suggest *s, const char *name);
const char *suggest_key(struct suggest *s, const char *section, const char *key);
/* A glovebox subcommand (check, explain...) mistyped as a command. */
const char *suggest_subcommand(struct suggest *s, const char *word);
const char *suggest_profile(struct suggest *s, char *const *dirs, size_t n_dirs,
			    const char *name);
