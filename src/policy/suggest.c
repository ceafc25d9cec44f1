/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* "Did you mean": a known name within a few typed letters of an unknown
 * one, for the messages about unknown options, keys and profiles. */
#include "policy/suggest.h"

#include <dirent.h>
#include <stdint.h>

#include "policy/cli.h"
#include "policy/options.h"
#include "util.h"

/* Edits from a to b: a letter added, dropped, changed, or two neighbours
 * swapped (the optimal string alignment distance). */
static size_t edit_distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	_cleanup_free_ size_t *rows = xcalloc(3 * (m + 1), sizeof(*rows));
	size_t *before = rows, *prev = rows + m + 1, *cur = rows + 2 * (m + 1);
	for (size_t j = 0; j <= m; j++)
		prev[j] = j;
	for (size_t i = 1; i <= n; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= m; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t d = prev[j - 1] + cost;
			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    before[j - 2] + 1 < d)
				d = before[j - 2] + 1;
			cur[j] = d;
		}
		size_t *t = before;
		before = prev;
		prev = cur;
		cur = t;
	}
	return prev[m];
}

void suggest_init(struct suggest *s, const char *word)
{
	*s = (struct suggest){.word = word, .distance = SIZE_MAX};
}

void suggest_offer(struct suggest *s, const char *known)
{
	size_t d = edit_distance(s->word, known);
	if (d == 0 || d >= s->distance)
		return;
	free(s->best);
	s->best = xstrdup(known);
	s->distance = d;
}

const char *suggest_result(const struct suggest *s)
{
	size_t most = strlen(s->word) / 3;
	return s->best && s->distance <= (most ? most : 1) ? s->best : NULL;
}

void suggest_done(struct suggest *s)
{
	free(s->best);
	s->best = NULL;
}

const char *suggest_option(struct suggest *s, const char *name)
{
	suggest_init(s, name);
	for (size_t i = 0; i < gb_option_count; i++)
		if (gb_options[i].cli)
			suggest_offer(s, gb_options[i].cli);
	for (size_t i = 0; i < cli_own_option_count; i++)
		suggest_offer(s, cli_own_options[i].name);
	return suggest_result(s);
}

const char *suggest_subcommand(struct suggest *s, const char *word)
{
	suggest_init(s, word);
	bool takes_options;
	for (size_t i = 0; cli_subcommand(i, &takes_options); i++)
		suggest_offer(s, cli_subcommand(i, &takes_options));
	return suggest_result(s);
}

const char *suggest_key(struct suggest *s, const char *section, const char *key)
{
	suggest_init(s, key);
	for (size_t i = 0; i < gb_option_count; i++)
		if (gb_options[i].key && streq(gb_options[i].section, section))
			suggest_offer(s, gb_options[i].key);
	return suggest_result(s);
}

const char *suggest_profile(struct suggest *s, char *const *dirs, size_t n_dirs,
			    const char *name)
{
	suggest_init(s, name);
	suggest_offer(s, "default");
	for (size_t i = 0; i < n_dirs; i++) {
		DIR *dir = opendir(dirs[i]);
		if (!dir)
			continue;
		for (struct dirent *e; (e = readdir(dir));) {
			size_t len = strlen(e->d_name);
			if (len <= 4 || !streq(e->d_name + len - 4, ".ini"))
				continue;
			_cleanup_free_ char *bare = xstrndup(e->d_name, len - 4);
			suggest_offer(s, bare);
		}
		closedir(dir);
	}
	return suggest_result(s);
}
