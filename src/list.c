/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "list.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "policy/profile.h"

/* One NAME.ini file of the search path. */
struct found {
	char *name;
	char *path; /* NULL: the built-in default */
	size_t dir; /* its directory's place on the search path (priority) */
};

static int found_cmp(const void *a, const void *b)
{
	const struct found *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	return x->dir < y->dir ? -1 : x->dir > y->dir;
}

/* The name a file in a profile directory gives, or NULL: only NAME.ini,
 * as -p NAME finds it (no hidden files, no directories). */
static char *profile_name(const char *dir, const char *file)
{
	size_t n = strlen(file);
	if (file[0] == '.' || n <= 4 || !streq(file + n - 4, ".ini"))
		return NULL;
	_cleanup_free_ char *path = xasprintf("%s/%s", dir, file);
	struct stat st;
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return NULL;
	return xstrndup(file, n - 4);
}

static void gather(const struct strv *dirs, struct found **v, size_t *n) /* NOLINT(readability-non-const-parameter): APPEND counts it */
{
	/* the name "default" means the built-in, before any file */
	*APPEND(*v, *n) = (struct found){.name = xstrdup(BUILTIN_DEFAULT_NAME)};
	for (size_t i = 0; i < dirs->n; i++) {
		DIR *d = opendir(dirs->v[i]);
		if (!d)
			continue;
		for (const struct dirent *e; (e = readdir(d));) {
			char *name = profile_name(dirs->v[i], e->d_name);
			if (name)
				*APPEND(*v, *n) = (struct found){
					.name = name,
					.path = xasprintf("%s/%s", dirs->v[i], e->d_name),
					.dir = i + 1,
				};
		}
		closedir(d);
	}
	qsort(*v, *n, sizeof(**v), found_cmp);
}

static const char *shown_path(const struct found *f)
{
	return f->path ? f->path : BUILTIN_DEFAULT_FILE;
}

/* "NAME: description", the file used, its drop-ins, and the files it
 * overrides, one a line. */
static void print_profile(const struct strv *dirs, const struct found *v, size_t n, FILE *f)
{
	_cleanup_free_ char *desc = profile_description(v[0].path);
	_cleanup_free_ char *name = text_escape(v[0].name);
	_cleanup_free_ char *text = desc ? text_escape(desc) : NULL;
	fprintf(f, "%s: %s\n", name, text ? text : "(no description)");
	_cleanup_free_ char *used = text_escape(shown_path(&v[0]));
	fprintf(f, "  %s\n", used);
	struct strv dropins = {0};
	profile_dropins(dirs, v[0].name, &dropins);
	for (size_t i = 0; i < dropins.n; i++) {
		_cleanup_free_ char *p = text_escape(dropins.v[i]);
		fprintf(f, "  drop-in %s\n", p);
	}
	strv_free(&dropins);
	for (size_t i = 1; i < n; i++) {
		_cleanup_free_ char *p = text_escape(v[i].path);
		fprintf(f, "  overridden %s (by %s)\n", p, used);
	}
}

void list_profiles(const struct strv *dirs, FILE *f)
{
	struct found *v = NULL;
	size_t n = 0;
	gather(dirs, &v, &n);
	for (size_t i = 0, next; i < n; i = next) {
		for (next = i + 1; next < n && streq(v[next].name, v[i].name); next++)
			;
		print_profile(dirs, v + i, next - i, f);
	}
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].path);
	}
	free(v);
}
