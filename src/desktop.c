/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "desktop.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app.h"
#include "diag.h"
#include "util.h"

#define MARKER "X-Glovebox-Profile"
#define MAIN_GROUP "[Desktop Entry]"
/* A desktop entry is a page of text. */
#define ENTRY_MAX_SIZE (1 << 20)

/* ---- the text ---- */

/* A growing string. */
struct buf {
	char *s;
	size_t n;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	b->s = xrealloc(b->s, b->n + n + 1);
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static void buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* One argument of an Exec line: as is when plain, else in double quotes
 * with " ` $ \ escaped; then the value's own escape of \ (the desktop
 * entry specification's two levels). */
static void add_exec_arg(struct buf *b, const char *arg)
{
	bool plain = *arg != '\0';
	for (const char *c = arg; *c; c++)
		plain &= strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._+-",
				*c) != NULL;
	if (plain) {
		buf_str(b, arg);
		return;
	}
	buf_str(b, "\"");
	for (const char *c = arg; *c; c++) {
		if (strchr("\"`$\\", *c))
			buf_str(b, *c == '\\' ? "\\\\\\" : "\\\\");
		buf_add(b, c, 1);
	}
	buf_str(b, "\"");
}

/* Where the program of an Exec value ends (quoted or not), or NULL. */
static const char *skip_program(const char *v)
{
	if (*v != '"')
		return *v ? v + strcspn(v, " \t") : NULL;
	for (const char *c = v + 1; *c; c++) {
		if (*c == '\\' && c[1])
			c++;
		else if (*c == '"')
			return c + 1;
	}
	return NULL;
}

/* A line's key (before '=', spaces trimmed), or an empty one. */
static size_t line_key(const char *line, size_t len, const char **value)
{
	const char *eq = memchr(line, '=', len);
	if (!eq || line[0] == '#' || line[0] == '[')
		return 0;
	size_t k = (size_t)(eq - line);
	while (k && (line[k - 1] == ' ' || line[k - 1] == '\t'))
		k--;
	*value = eq + 1;
	while (**value == ' ' || **value == '\t')
		(*value)++;
	return k;
}

static bool key_is(const char *line, size_t k, const char *key)
{
	return k == strlen(key) && !strncmp(line, key, k);
}

struct rewrite {
	struct buf out;
	const char *glovebox, *profile;
	bool main_group, exec_ok;
};

static void rewrite_line(struct rewrite *r, const char *line, size_t len)
{
	const char *value = NULL;
	size_t k = line_key(line, len, &value);
	if (key_is(line, k, "DBusActivatable") || key_is(line, k, MARKER))
		return;
	if (key_is(line, k, "TryExec")) {
		buf_str(&r->out, "TryExec=");
		buf_str(&r->out, r->glovebox);
		buf_str(&r->out, "\n");
		return;
	}
	if (key_is(line, k, "Exec")) {
		_cleanup_free_ char *v = xstrndup(value, len - (size_t)(value - line));
		const char *rest = skip_program(v);
		if (!rest || rest == v) {
			r->exec_ok = false;
			return;
		}
		buf_str(&r->out, "Exec=");
		add_exec_arg(&r->out, r->glovebox);
		buf_str(&r->out, " run ");
		add_exec_arg(&r->out, r->profile);
		buf_str(&r->out, rest);
		buf_str(&r->out, "\n");
		return;
	}
	buf_add(&r->out, line, len);
	buf_str(&r->out, "\n");
	if (len == strlen(MAIN_GROUP) && !strncmp(line, MAIN_GROUP, len)) {
		r->main_group = true;
		buf_str(&r->out, MARKER "=");
		buf_str(&r->out, r->profile);
		buf_str(&r->out, "\nDBusActivatable=false\n");
	}
}

char *desktop_rewrite(const char *text, const char *glovebox, const char *profile)
{
	struct rewrite r = {.glovebox = glovebox, .profile = profile, .exec_ok = true};
	for (const char *line = text; *line;) {
		size_t len = strcspn(line, "\n");
		size_t shown = len && line[len - 1] == '\r' ? len - 1 : len;
		rewrite_line(&r, line, shown);
		line += len + (line[len] == '\n');
	}
	if (!r.main_group || !r.exec_ok) {
		free(r.out.s);
		return NULL;
	}
	return r.out.s;
}

/* ---- files ---- */

/* A regular file's text, at most ENTRY_MAX_SIZE; with nofollow, never
 * through a final symlink. NULL with errno. */
static char *read_text(int dirfd, const char *path, bool nofollow)
{
	_cleanup_close_ int fd =
		openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | (nofollow ? O_NOFOLLOW : 0));
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0)
		return NULL;
	if (!S_ISREG(st.st_mode) || st.st_size > ENTRY_MAX_SIZE) {
		errno = S_ISREG(st.st_mode) ? EFBIG : EINVAL;
		return NULL;
	}
	char *text = xmalloc((size_t)st.st_size + 1);
	ssize_t n = read_full(fd, text, (size_t)st.st_size);
	if (n < 0) {
		free(text);
		errno = (int)-n;
		return NULL;
	}
	text[n] = '\0';
	if (memchr(text, '\0', (size_t)n)) {
		free(text);
		errno = EINVAL;
		return NULL;
	}
	return text;
}

/* The profile a file of glovebox's names in its marker, or NULL. */
static char *marker_of(const char *text)
{
	for (const char *line = text; *line;) {
		size_t len = strcspn(line, "\n");
		const char *value = NULL;
		if (key_is(line, line_key(line, len, &value), MARKER))
			return xstrndup(value, len - (size_t)(value - line));
		line += len + (line[len] == '\n');
	}
	return NULL;
}

/* The system's entry for id: the first applications/ID.desktop on
 * $XDG_DATA_DIRS (default /usr/local/share:/usr/share). */
static char *system_entry(const char *id, char **found)
{
	const char *dirs = getenv("XDG_DATA_DIRS");
	_cleanup_free_ char *list = xstrdup(dirs && *dirs ? dirs : "/usr/local/share:/usr/share");
	char *save = NULL;
	for (char *dir = strtok_r(list, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		if (dir[0] != '/')
			continue;
		_cleanup_free_ char *path = xasprintf("%s/applications/%s.desktop", dir, id);
		char *text = read_text(AT_FDCWD, path, false);
		if (text) {
			*found = steal_pointer(&path);
			return text;
		}
	}
	return NULL;
}

/* A directory of the user's own, opened without following a final
 * symlink (made 0700 when missing and make is set); -1 with errno. */
static int open_own_dir(int dirfd, const char *path, bool make)
{
	if (make && mkdirat(dirfd, path, 0700) < 0 && errno != EEXIST)
		return -1;
	int fd = openat(dirfd, path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (fd >= 0 && (fstat(fd, &st) < 0 || st.st_uid != geteuid())) {
		close(fd);
		errno = EPERM;
		return -1;
	}
	return fd;
}

/* $XDG_DATA_HOME/applications (~/.local/share/applications), or -1 after
 * saying why. */
static int open_applications(bool make, char **shown, FILE *err)
{
	const char *data = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	_cleanup_free_ char *dir = data && data[0] == '/' ? xstrdup(data)
			   : home && home[0] == '/' ? xasprintf("%s/.local/share", home)
						    : NULL;
	if (!dir) {
		fputs("glovebox: desktop: neither XDG_DATA_HOME nor HOME is set\n", err);
		return -1;
	}
	*shown = xasprintf("%s/applications", dir);
	if (make && !data) {
		_cleanup_free_ char *local = xasprintf("%s/.local", home);
		_cleanup_close_ int l = open_own_dir(AT_FDCWD, local, true);
		(void)l;
	}
	_cleanup_close_ int base = open_own_dir(AT_FDCWD, dir, make);
	int fd = base < 0 ? -1 : open_own_dir(base, "applications", make);
	if (fd < 0 && (make || errno != ENOENT))
		fprintf(err, "glovebox: %s: %s\n", *shown,
			errno == EPERM ? "not a directory of yours" : strerror(errno));
	return fd;
}

/* ---- the subcommands ---- */

/* Whether dirfd/name may be replaced: missing, or glovebox's own. */
static bool replaceable(int dirfd, const char *name)
{
	struct stat st;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT;
	_cleanup_free_ char *text = S_ISREG(st.st_mode) ? read_text(dirfd, name, true) : NULL;
	_cleanup_free_ char *marker = text ? marker_of(text) : NULL;
	return marker != NULL;
}

static int install(const char *app, FILE *out, FILE *err)
{
	struct app_profile a;
	if (app_find(app, &a, err) < 0)
		return 125;
	int status = 125;
	_cleanup_free_ char *source = NULL, *text = NULL, *entry = NULL, *shown = NULL,
			    *name = NULL;
	_cleanup_close_ int dir = -1;
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = '\0';
	if (!a.desktop_id) {
		fprintf(err, "glovebox: %s: its profile names no desktop-id\n", a.name);
		goto out;
	}
	text = system_entry(a.desktop_id, &source);
	if (!text) {
		fprintf(err, "glovebox: %s: no applications/%s.desktop on XDG_DATA_DIRS\n", a.name,
			a.desktop_id);
		goto out;
	}
	entry = n > 0 ? desktop_rewrite(text, self, a.name) : NULL;
	if (!entry) {
		fprintf(err, "glovebox: %s: not a desktop entry with a program to run\n", source);
		goto out;
	}
	dir = open_applications(true, &shown, err);
	if (dir < 0)
		goto out;
	name = xasprintf("%s.desktop", a.desktop_id);
	if (!replaceable(dir, name)) {
		fprintf(err, "glovebox: %s/%s exists and is not glovebox's: left alone\n", shown,
			name);
		goto out;
	}
	const struct write_part part = {entry, strlen(entry)};
	int r = write_atomically(dir, name, &part, 1, 0644, WRITE_SYNC);
	if (r < 0) {
		fprintf(err, "glovebox: %s/%s: %s\n", shown, name, strerror(-r));
		goto out;
	}
	fprintf(out, "%s/%s\n", shown, name);
	status = 0;
out:
	app_profile_free(&a);
	return status;
}

/* Each file of glovebox's in the applications directory: its name and
 * profile; visit returns false to stop. */
typedef bool (*visit_fn)(int dirfd, const char *name, const char *profile, void *data);

static void each_entry(int dirfd, visit_fn visit, void *data)
{
	int fd = dup(dirfd);
	DIR *dp = fd < 0 ? NULL : fdopendir(fd);
	if (!dp) {
		if (fd >= 0)
			close(fd);
		return;
	}
	struct dirent *e;
	struct strv names = {0};
	while ((e = readdir(dp))) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] != '.' && len > 8 && streq(e->d_name + len - 8, ".desktop"))
			strv_add(&names, e->d_name);
	}
	closedir(dp);
	for (size_t i = 0; i < names.n; i++) {
		_cleanup_free_ char *text = read_text(dirfd, names.v[i], true);
		_cleanup_free_ char *profile = text ? marker_of(text) : NULL;
		if (profile && !visit(dirfd, names.v[i], profile, data))
			break;
	}
	strv_free(&names);
}

struct removal {
	const char *app;
	const char *desktop_id; /* of the app's profile, when there is one */
	const char *dir;
	FILE *out, *err;
	unsigned removed, failed;
};

static bool remove_one(int dirfd, const char *name, const char *profile, void *data)
{
	struct removal *r = data;
	size_t id_len = strlen(name) - 8;
	bool mine = streq(profile, r->app) ||
		    (strlen(r->app) == id_len && !strncmp(name, r->app, id_len)) ||
		    (r->desktop_id && strlen(r->desktop_id) == id_len &&
		     !strncmp(name, r->desktop_id, id_len));
	if (!mine)
		return true;
	if (unlinkat(dirfd, name, 0) < 0) {
		fprintf(r->err, "glovebox: %s/%s: %s\n", r->dir, name, strerror(errno));
		r->failed++;
	} else {
		fprintf(r->out, "%s/%s\n", r->dir, name);
		r->removed++;
	}
	return true;
}

static int remove_app(const char *app, FILE *out, FILE *err)
{
	struct app_profile a = {0};
	FILE *quiet = fopen("/dev/null", "we");
	if (quiet) {
		(void)app_find(app, &a, quiet);
		fclose(quiet);
	}
	_cleanup_free_ char *shown = NULL;
	_cleanup_close_ int dir = open_applications(false, &shown, err);
	struct removal r = {.app = app, .desktop_id = a.desktop_id, .dir = shown, .out = out,
			    .err = err};
	if (dir >= 0)
		each_entry(dir, remove_one, &r);
	app_profile_free(&a);
	if (!r.removed && !r.failed) {
		_cleanup_free_ char *safe = text_escape(app);
		fprintf(err, "glovebox: %s: no desktop entry of glovebox's is installed for it\n",
			safe);
	}
	return r.removed && !r.failed ? 0 : 125;
}

static bool list_one(int dirfd _unused_, const char *name, const char *profile, void *data)
{
	_cleanup_free_ char *safe = text_escape(profile);
	fprintf(data, "%.*s\t%s\n", (int)(strlen(name) - 8), name, safe);
	return true;
}

static int list_entries(FILE *out, FILE *err)
{
	_cleanup_free_ char *shown = NULL;
	_cleanup_close_ int dir = open_applications(false, &shown, err);
	if (dir >= 0)
		each_entry(dir, list_one, out);
	return dir >= 0 || errno == ENOENT ? 0 : 125;
}

int desktop_main(char *const *operands, size_t n, FILE *out, FILE *err)
{
	const char *verb = n ? operands[0] : "";
	if (streq(verb, "install") && n == 2)
		return install(operands[1], out, err);
	if (streq(verb, "remove") && n == 2)
		return remove_app(operands[1], out, err);
	if (streq(verb, "list") && n == 1)
		return list_entries(out, err);
	fputs("glovebox: usage: glovebox desktop install APP | remove APP | list\n", err);
	return 2;
}
