/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Finding profiles: the search path, a name or path to the file it
 * means, and the drop-ins of a profile. */
#include "policy/profile-internal.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>

#include "config.h"
#include "state.h"

void profile_loader_add_dir(struct profile_loader *l, const char *dir)
{
	strv_add(&l->search_path, dir);
}

/* The directory the running binary lives in, or "" when unknown. Read
 * once a process: the search path is built for every profile loaded, and
 * `glovebox run APP` loads each profile on it to find the app (24
 * readlinks of /proc/self/exe with the shipped profiles, one now). No
 * exec happens in between, so the answer cannot change. */
static const char *exe_dir(void)
{
	static char dir[PATH_MAX];
	static bool known;
	if (!known) {
		ssize_t n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
		dir[n > 0 ? n : 0] = '\0';
		char *slash = strrchr(dir, '/');
		if (slash)
			*slash = '\0';
		else
			dir[0] = '\0';
		known = true;
	}
	return dir;
}

/* The shipped profiles. From the build tree they are the source tree's, so
 * a developer never needs an install or an environment variable. Else the
 * installed ones; and when glovebox was moved after installing (a tarball
 * unpacked elsewhere), the ones at the same place relative to the binary. */
static void add_shipped_dirs(struct profile_loader *l)
{
	const char *dir = exe_dir();
	if (streq(dir, GB_BUILD_ROOT) || streq(dir, GB_BUILD_ROOT "/src")) {
		profile_loader_add_dir(l, GB_SOURCE_ROOT "/profiles");
		return;
	}
	profile_loader_add_dir(l, GB_DATADIR "/glovebox/profiles");
	if (dir[0]) {
		_cleanup_free_ char *rel =
			xasprintf("%s/" GB_DATADIR_FROM_BINDIR "/glovebox/profiles", dir);
		char real[PATH_MAX];
		if (realpath(rel, real) && !streq(real, GB_DATADIR "/glovebox/profiles"))
			profile_loader_add_dir(l, real);
	}
}

void profile_loader_default_path(struct profile_loader *l)
{
	/* the directory a launch protects (state.h) */
	_cleanup_free_ char *config = state_dir(STATE_CONFIG, l->vars->home);
	if (config) {
		_cleanup_free_ char *dir = xasprintf("%s/profiles", config);
		profile_loader_add_dir(l, dir);
	}
	profile_loader_add_dir(l, GB_SYSCONFDIR "/glovebox/profiles");
	add_shipped_dirs(l);
}

bool profile_is_bare_name(const char *s)
{
	size_t n = strlen(s);
	return !strchr(s, '/') && !(n >= 4 && streq(s + n - 4, ".ini"));
}

/* NAME relative to the including file's directory, spelled the way the
 * user would: "" is the current directory, and no "./" piles up along an
 * include chain. */
static char *join_relative(const char *dir, const char *name)
{
	if (!dir || !*dir || name[0] == '/')
		return xstrdup(name);
	while (name[0] == '.' && name[1] == '/')
		for (name += 2; *name == '/'; name++)
			;
	size_t n = strlen(dir);
	return xasprintf("%s%s%s", dir, dir[n - 1] == '/' ? "" : "/", name);
}

char *profile_dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup("");
	return xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
}

int profile_open(struct profile_loader *l, const char *name, const char *relative_to,
		 char **path_out)
{
	if (profile_is_bare_name(name)) {
		if (!*name || name[0] == '.')
			return -EINVAL;
		for (size_t i = 0; i < l->search_path.n; i++) {
			char *path = xasprintf("%s/%s.ini", l->search_path.v[i], name);
			int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
			if (fd >= 0 || (errno != ENOENT && errno != ENOTDIR)) {
				*path_out = path; /* the file found, or the one that failed */
				return fd >= 0 ? fd : -errno;
			}
			free(path);
		}
		return -ENOENT;
	}
	*path_out = join_relative(relative_to, name);
	int fd = open(*path_out, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	return fd >= 0 ? fd : -errno;
}

char *profile_stem(const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t n = strlen(base);
	return xstrndup(base, n >= 4 && streq(base + n - 4, ".ini") ? n - 4 : n);
}

/* ---- drop-ins ---- */

struct dropin {
	char *name; /* the file name, which orders them and lets one replace another */
	char *path;
};

static int dropin_cmp(const void *a, const void *b)
{
	return strcmp(((const struct dropin *)a)->name, ((const struct dropin *)b)->name);
}

static bool is_dropin_name(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' && n > 4 && streq(name + n - 4, ".ini");
}

/* The *.ini files of DIR/NAME.d not already named by a directory before
 * it: the same file name in a directory earlier on the search path
 * replaces the later one, as systemd's drop-ins do. */
static void gather_dropins(const char *dir, const char *name, struct dropin **v, size_t *n) /* NOLINT(readability-non-const-parameter): APPEND counts it */
{
	_cleanup_free_ char *ddir = xasprintf("%s/%s" DROPIN_SUFFIX, *dir ? dir : ".", name);
	DIR *d = opendir(ddir);
	if (!d)
		return;
	for (const struct dirent *e; (e = readdir(d));) {
		bool known = false;
		for (size_t i = 0; i < *n && !known; i++)
			known = streq((*v)[i].name, e->d_name);
		if (!known && is_dropin_name(e->d_name))
			*APPEND(*v, *n) = (struct dropin){
				.name = xstrdup(e->d_name),
				.path = xasprintf("%s/%s", ddir, e->d_name),
			};
	}
	closedir(d);
}

static void collect_dropins(const struct strv *dirs, const char *name, struct dropin **v,
			    size_t *n)
{
	for (size_t i = 0; i < dirs->n; i++)
		gather_dropins(dirs->v[i], name, v, n);
	if (*n)
		qsort(*v, *n, sizeof(**v), dropin_cmp);
}

void profile_dropins(const struct strv *dirs, const char *name, struct strv *out)
{
	struct dropin *v = NULL;
	size_t n = 0;
	collect_dropins(dirs, name, &v, &n);
	for (size_t i = 0; i < n; i++) {
		strv_push(out, v[i].path);
		free(v[i].name);
	}
	free(v);
}
