/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "app.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "policy/profile.h"

void app_profile_free(struct app_profile *a)
{
	free(a->name);
	free(a->path);
	free(a->desktop_id);
	free(a->binary);
	*a = (struct app_profile){0};
}

void app_list_free(struct app_profile *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		app_profile_free(&v[i]);
	free(v);
}

/* The profile at path, loaded as -p would with every layer it includes,
 * its errors unsaid: a broken profile is no app. */
static bool load_app(const char *path, const struct expand_vars *vars, FILE *quiet,
		     struct app_profile *out)
{
	struct policy p;
	policy_init(&p);
	struct diag d;
	diag_init(&d, quiet, "");
	struct profile_loader l;
	profile_loader_init(&l, &p, &d, vars);
	profile_loader_default_path(&l);
	int r = profile_load(&l, path, NULL, NULL);
	profile_loader_free(&l);
	bool app = r == 0 && d.errors == 0 && p.binary;
	if (app) {
		out->path = xstrdup(path);
		out->binary = steal_pointer(&p.binary);
		out->desktop_id = steal_pointer(&p.desktop_id);
	}
	policy_free(&p);
	return app;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The profile names of one directory (NAME.ini, not hidden), sorted. */
static void dir_names(const char *dir, struct strv *names)
{
	DIR *dp = opendir(dir);
	if (!dp)
		return;
	struct dirent *e;
	while ((e = readdir(dp))) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] != '.' && len > 4 && streq(e->d_name + len - 4, ".ini"))
			strv_push(names, xstrndup(e->d_name, len - 4));
	}
	closedir(dp);
	if (names->n)
		qsort(names->v, names->n, sizeof(*names->v), compare_names);
}

/* What looking for apps needs: the variables profiles expand, the search
 * path, and somewhere to say a broken profile's errors to nobody. */
struct app_search {
	struct expand_vars vars;
	struct expand_storage storage;
	struct profile_loader l;
	FILE *quiet; /* NULL when /dev/null cannot be opened: no app is found */
};

static void app_search_open(struct app_search *s)
{
	expand_vars_from_process(&s->vars, &s->storage);
	profile_loader_init(&s->l, NULL, NULL, &s->vars);
	profile_loader_default_path(&s->l);
	s->quiet = fopen("/dev/null", "we");
}

static void app_search_close(struct app_search *s)
{
	if (s->quiet)
		fclose(s->quiet);
	profile_loader_free(&s->l);
	expand_storage_free(&s->storage);
}

void app_list(struct app_profile **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct app_search s;
	app_search_open(&s);
	_cleanup_(strv_free) struct strv seen = {0};
	for (size_t i = 0; s.quiet && i < s.l.search_path.n; i++) {
		_cleanup_(strv_free) struct strv names = {0};
		dir_names(s.l.search_path.v[i], &names);
		for (size_t k = 0; k < names.n; k++) {
			if (strv_contains(&seen, names.v[k]))
				continue;
			strv_add(&seen, names.v[k]);
			_cleanup_free_ char *path =
				xasprintf("%s/%s.ini", s.l.search_path.v[i], names.v[k]);
			struct app_profile a = {0};
			if (!load_app(path, &s.vars, s.quiet, &a))
				continue;
			a.name = xstrdup(names.v[k]);
			*APPEND(*out, *n) = a;
		}
	}
	app_search_close(&s);
}

static const char *last_component(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* How well a matches app: 3 by name, 2 by desktop id, 1 by binary, 0 not. */
static int match_rank(const struct app_profile *a, const char *app)
{
	size_t n = strlen(app);
	if (streq(a->name, app))
		return 3;
	if (a->desktop_id && (streq(a->desktop_id, app) ||
			      (n > 8 && streq(app + n - 8, ".desktop") &&
			       strlen(a->desktop_id) == n - 8 && !strncmp(a->desktop_id, app, n - 8))))
		return 2;
	if (streq(a->binary, app) || streq(last_component(a->binary), app))
		return 1;
	return 0;
}

/* The app whose profile's file name is app, as app_list would list it: in
 * the first directory of the search path that it can read and that holds
 * APP.ini. A match by name outranks any other (match_rank), and names are
 * unique in the list, so this is app_find's answer, without loading every
 * profile on the search path. Measured (`glovebox run APP` for a profile of
 * yours, the shipped ones beside it, strace -c -f): 909 system calls
 * against 1148 (openat 89 against 245; 23 of the others were readlinks of
 * /proc/self/exe, which profile-find.c now makes once); CPU time of the
 * tree 22.5 against 25.3 ms as root, 29.9 against 33.0 as nobody, 13 page
 * faults fewer (medians of 6 interleaved rounds of 30, getrusage, load 4).
 * False when that file is no app, or there is none: the whole list decides
 * (tests/integration/test_apps.py tests both ways). */
static bool find_by_name(const char *app, struct app_profile *out)
{
	if (!*app || app[0] == '.' || strchr(app, '/'))
		return false;
	struct app_search s;
	app_search_open(&s);
	_cleanup_free_ char *file = xasprintf("%s.ini", app);
	bool found = false;
	for (size_t i = 0; s.quiet && i < s.l.search_path.n; i++) {
		const char *dir = s.l.search_path.v[i];
		_cleanup_close_ int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		struct stat st;
		if (fd < 0 || fstatat(fd, file, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		_cleanup_free_ char *path = xasprintf("%s/%s", dir, file);
		found = load_app(path, &s.vars, s.quiet, out);
		if (found)
			out->name = xstrdup(app);
		break;
	}
	app_search_close(&s);
	return found;
}

int app_find(const char *app, struct app_profile *out, FILE *err)
{
	if (find_by_name(app, out))
		return 0;
	struct app_profile *v;
	size_t n;
	app_list(&v, &n);
	size_t best = n;
	int best_rank = 0;
	for (size_t i = 0; i < n; i++) {
		int rank = match_rank(&v[i], app);
		if (rank > best_rank) {
			best = i;
			best_rank = rank;
		}
	}
	if (best < n) {
		*out = v[best];
		v[best] = (struct app_profile){0};
	}
	app_list_free(v, n);
	if (best < n)
		return 0;
	_cleanup_free_ char *shown = text_escape(app);
	fprintf(err, "glovebox: %s: no app profile names it (its [profile] binary, desktop-id or "
		     "file name; see glovebox desktop list)\n", shown);
	return -1;
}

int app_command_line(char *const *operands, size_t n, struct strv *argv, FILE *err)
{
	if (n == 0) {
		fputs("glovebox: run needs an app: glovebox run APP [ARG]...\n", err);
		return 2;
	}
	struct app_profile a;
	if (app_find(operands[0], &a, err) < 0)
		return 125;
	strv_add(argv, "glovebox");
	strv_add(argv, "--profile");
	strv_add(argv, a.path);
	strv_add(argv, "--");
	strv_add(argv, a.binary);
	for (size_t i = 1; i < n; i++)
		strv_add(argv, operands[i]);
	app_profile_free(&a);
	return 0;
}
