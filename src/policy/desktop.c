/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "policy/desktop.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "policy/appliers.h"
#include "policy/xauth.h"
#include "state.h"

/* Where the copy of the display's cookie shows in the sandbox. */
#define XAUTH_INSIDE "/run/glovebox/Xauthority"
#define X11_SOCKET_DIR "/tmp/.X11-unix"
/* An Xauthority file or user-dirs.dirs larger than this is no such file. */
#define SMALL_FILE_MAX (1u << 20)

static void closedirp(DIR **d)
{
	if (*d)
		closedir(*d);
}

struct ctx {
	struct policy *p;
	const struct desktop_host *h;
	struct diag *d;
	bool runtime_made; /* the sandbox's own $XDG_RUNTIME_DIR is in the policy */
};

void desktop_host_from_env(struct desktop_host *h, const char *home, bool launch)
{
	*h = (struct desktop_host){
		.home = home,
		.runtime_dir = getenv("XDG_RUNTIME_DIR"),
		.display = getenv("DISPLAY"),
		.wayland_display = getenv("WAYLAND_DISPLAY"),
		.xauthority = getenv("XAUTHORITY"),
		.config_home = getenv("XDG_CONFIG_HOME"),
		.data_home = getenv("XDG_DATA_HOME"),
		.launch = launch,
	};
	/* an XDG variable counts only as an absolute path */
	const char **abs[] = {&h->runtime_dir, &h->config_home, &h->data_home, &h->xauthority};
	for (size_t i = 0; i < ELEMENTSOF(abs); i++)
		if (*abs[i] && (*abs[i])[0] != '/')
			*abs[i] = NULL;
}

static bool is_socket(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISSOCK(st.st_mode);
}

/* A bind of a host path at dest inside (NULL: the same path). */
static int add_bind(struct ctx *c, enum mount_kind kind, unsigned flags, const char *src,
		    const char *at, const struct origin *o)
{
	char *dest;
	if (normalize_dest(at ? at : src, &dest, c->d, o) < 0)
		return -1;
	struct mount_op *m = policy_add_mount(c->p, kind, o);
	m->flags = flags;
	m->src = xstrdup(src);
	m->dest = dest;
	return 0;
}

static void set_env(struct ctx *c, const char *name, const char *value, const struct origin *o)
{
	struct env_op *e = policy_add_env(c->p, ENV_SET, o);
	e->name = xstrdup(name);
	e->value = xstrdup(value);
}

/* $XDG_RUNTIME_DIR inside: a fresh one of the sandbox's own, at the host's
 * path, which the granted sockets go into (the host's holds every other
 * socket of the session). */
static int runtime_dir(struct ctx *c, const struct origin *o)
{
	if (c->runtime_made || !c->h->runtime_dir)
		return 0;
	c->runtime_made = true;
	char *dest;
	if (normalize_dest(c->h->runtime_dir, &dest, c->d, o) < 0)
		return -1;
	struct mount_op *m = policy_add_mount(c->p, MOUNT_TMPFS, o);
	m->dest = dest;
	m->mode = 0700;
	set_env(c, "XDG_RUNTIME_DIR", c->h->runtime_dir, o);
	return 0;
}

/* ---- Wayland ---- */

/* A display the session lacks: an error for a launch; explain, which
 * shows a profile wherever it is asked, warns and shows it without. */
_printf_(3, 4) static int no_display(struct ctx *c, const struct origin *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	_cleanup_free_ char *msg = NULL;
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (c->h->launch)
		return diag_error(c->d, o, "%s", msg ? msg : "out of memory");
	diag_warning(c->d, o, "%s (left out here; a launch stops)", msg ? msg : "out of memory");
	return 0;
}

static int grant_wayland(struct ctx *c, const struct origin *o)
{
	/* libwayland's own default */
	const char *name = c->h->wayland_display ? c->h->wayland_display : "wayland-0";
	if (name[0] != '/' && !c->h->runtime_dir)
		return no_display(c, o, "wayland: XDG_RUNTIME_DIR is not set: no Wayland "
					   "socket to find");
	_cleanup_free_ char *sock =
		name[0] == '/' ? xstrdup(name) : xasprintf("%s/%s", c->h->runtime_dir, name);
	if (!is_socket(sock))
		return no_display(c, o, "wayland: no Wayland compositor's socket at %s", sock);
	if (runtime_dir(c, o) < 0 || add_bind(c, MOUNT_RO_BIND, 0, sock, NULL, o) < 0)
		return -1;
	set_env(c, "WAYLAND_DISPLAY", name, o);
	return 0;
}

/* ---- X11 ---- */

/* DISPLAY for a local server: [unix]:NUMBER[.SCREEN]. *number and
 * *screen (".S" or "") point into s. */
static bool parse_display(const char *s, const char **number, size_t *len, const char **screen)
{
	if (str_startswith(s, "unix:"))
		s += 4;
	if (s[0] != ':')
		return false;
	*number = s + 1;
	*len = strspn(*number, "0123456789");
	*screen = *number + *len;
	if (*len == 0 || *len > 9)
		return false;
	return !**screen || (**screen == '.' && (*screen)[1] &&
			     strspn(*screen + 1, "0123456789") == strlen(*screen + 1));
}

static int read_small_file(const char *path, unsigned char **buf, size_t *len)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode) || st.st_size > SMALL_FILE_MAX)
		return -EINVAL;
	*buf = xmalloc((size_t)st.st_size + 1);
	ssize_t r = read_full(fd, *buf, (size_t)st.st_size);
	if (r < 0) {
		free(*buf);
		return (int)r;
	}
	*len = (size_t)r;
	(*buf)[r] = '\0';
	return 0;
}

/* Write the copy: a new file renamed into place, so that a sandbox
 * starting at the same time never reads half of it. */
static int write_copy(const char *path, const unsigned char *buf, size_t len)
{
	_cleanup_free_ char *dir = xstrdup(path);
	*strrchr(dir, '/') = '\0';
	if (!make_dirs(dir))
		return -errno;
	const struct write_part part = {buf, len};
	return write_atomically(AT_FDCWD, path, &part, 1, 0600, 0);
}

/* The display's cookies alone, copied into glovebox's data directory and
 * bound at XAUTH_INSIDE. A server that needs none (no Xauthority, or no
 * entry for it) gets no file. */
static int x11_cookie(struct ctx *c, const char *number, const struct origin *o)
{
	_cleanup_free_ char *def = c->h->home ? xasprintf("%s/.Xauthority", c->h->home) : NULL;
	const char *file = c->h->xauthority ? c->h->xauthority : def;
	_cleanup_free_ unsigned char *buf = NULL, *mine = NULL;
	size_t len = 0, n_mine = 0;
	char host[256] = "";
	if (!file || read_small_file(file, &buf, &len) < 0)
		return 0;
	(void)gethostname(host, sizeof(host) - 1);
	if (xauth_for_display(buf, len, number, host, &mine, &n_mine) < 0)
		return diag_error(c->d, o, "x11: %s is not an Xauthority file", file);
	if (n_mine == 0)
		return 0;
	_cleanup_free_ char *data = state_dir(STATE_DATA, c->h->home);
	if (!data)
		return diag_error(c->d, o, "x11: no directory to keep the display's cookie in");
	_cleanup_free_ char *copy = xasprintf("%s/x11/Xauthority-%s", data, number);
	int r = c->h->launch ? write_copy(copy, mine, n_mine) : 0;
	if (r < 0)
		return diag_error(c->d, o, "x11: %s: %s", copy, strerror(-r));
	if (add_bind(c, MOUNT_RO_BIND, 0, copy, XAUTH_INSIDE, o) < 0)
		return -1;
	set_env(c, "XAUTHORITY", XAUTH_INSIDE, o);
	return 0;
}

static int grant_x11(struct ctx *c, const struct origin *o)
{
	const char *display = c->h->display, *number, *screen;
	size_t len;
	if (!display)
		return no_display(c, o, "x11: DISPLAY is not set: no X server to reach");
	if (!parse_display(display, &number, &len, &screen))
		return diag_error(c->d, o, "x11: DISPLAY=%s: only a local display (:N) can be "
					   "granted",
				  display);
	_cleanup_free_ char *num = xstrndup(number, len);
	_cleanup_free_ char *sock = xasprintf(X11_SOCKET_DIR "/X%s", num);
	if (!is_socket(sock))
		return no_display(c, o, "x11: no X server socket %s (DISPLAY=%s)", sock, display);
	/* The socket of that display alone; its abstract twin
	 * @/tmp/.X11-unix/XN stays out of reach: a network namespace of the
	 * sandbox's own, or Landlock's scoping, keeps it outside. */
	if (add_bind(c, MOUNT_RO_BIND, 0, sock, NULL, o) < 0)
		return -1;
	_cleanup_free_ char *inside = xasprintf(":%s%s", num, screen);
	set_env(c, "DISPLAY", inside, o);
	return x11_cookie(c, num, o);
}

/* ---- sound ---- */

/* PipeWire's socket and PulseAudio's (PipeWire's pulse server too), each
 * where the session has it, with the cookie PulseAudio may ask for. No
 * sound server at all is worth a warning, not a failure: the app still
 * runs, silent. */
static int grant_audio(struct ctx *c, const struct origin *o)
{
	const char *rd = c->h->runtime_dir;
	if (!rd) {
		diag_warning(c->d, o, "audio: XDG_RUNTIME_DIR is not set: no sound server to reach");
		return 0;
	}
	_cleanup_free_ char *pw = xasprintf("%s/pipewire-0", rd);
	_cleanup_free_ char *pulse = xasprintf("%s/pulse/native", rd);
	bool any = false;
	for (const char *const *s = (const char *const[]){pw, pulse, NULL}; *s; s++) {
		if (!is_socket(*s))
			continue;
		if (runtime_dir(c, o) < 0 || add_bind(c, MOUNT_RO_BIND, 0, *s, NULL, o) < 0)
			return -1;
		any = true;
	}
	if (!any) {
		diag_warning(c->d, o, "audio: no PipeWire (%s) or PulseAudio (%s) socket: the "
				      "sandbox gets no sound", pw, pulse);
		return 0;
	}
	_cleanup_free_ char *cookie =
		c->h->config_home ? xasprintf("%s/pulse/cookie", c->h->config_home)
		: c->h->home      ? xasprintf("%s/.config/pulse/cookie", c->h->home)
				  : NULL;
	return cookie ? add_bind(c, MOUNT_RO_BIND, MOUNT_F_TRY, cookie, NULL, o) : 0;
}

/* ---- GPU ---- */

/* The DRI nodes, NVIDIA's where the host has them, and the sysfs entries
 * Mesa and libdrm find the devices by. Missing ones are skipped: the app
 * then draws in software. */
static int grant_gpu(struct ctx *c, const struct origin *o)
{
	if (add_bind(c, MOUNT_DEV_BIND, MOUNT_F_TRY, "/dev/dri", NULL, o) < 0)
		return -1;
	_cleanup_(closedirp) DIR *dev = opendir("/dev");
	for (struct dirent *e; dev && (e = readdir(dev));) {
		if (!str_startswith(e->d_name, "nvidia"))
			continue;
		_cleanup_free_ char *node = xasprintf("/dev/%s", e->d_name);
		struct stat st;
		if (stat(node, &st) == 0 && S_ISCHR(st.st_mode) &&
		    add_bind(c, MOUNT_DEV_BIND, 0, node, NULL, o) < 0)
			return -1;
	}
	static const char *const sys[] = {"/sys/dev/char", "/sys/devices"};
	for (size_t i = 0; i < ELEMENTSOF(sys); i++)
		if (add_bind(c, MOUNT_RO_BIND, MOUNT_F_TRY, sys[i], NULL, o) < 0)
			return -1;
	return 0;
}

/* ---- the look ---- */

/* Outside /usr and /etc, which a sandbox mostly has already. */
static const char *const look_system[] = {
	"/usr/share/fonts", "/usr/local/share/fonts", "/usr/share/icons", "/usr/share/themes",
	"/etc/fonts", "/var/cache/fontconfig",
};
/* In the home: fonts, their cache, icons, themes, toolkit settings. */
static const char *const look_home[] = {
	".fonts", ".local/share/fonts", ".config/fontconfig", ".cache/fontconfig", ".icons",
	".local/share/icons", ".themes", ".local/share/themes", ".config/gtk-3.0",
	".config/gtk-4.0", ".gtkrc-2.0", ".config/gtkrc-2.0", ".config/dconf/user",
	".config/kdeglobals", ".config/Trolltech.conf", ".Xresources", ".Xdefaults",
};

/* Whether an earlier bind already shows path at its own place. */
static bool shown(const struct policy *p, const char *path)
{
	for (size_t i = 0; i < p->n_mounts; i++) {
		const struct mount_op *m = &p->mounts[i];
		if ((m->kind == MOUNT_RO_BIND || m->kind == MOUNT_BIND) && m->src &&
		    streq(m->src, m->dest) && path_at_or_below(path, m->dest))
			return true;
	}
	return false;
}

static int grant_look(struct ctx *c, const struct origin *o)
{
	for (size_t i = 0; i < ELEMENTSOF(look_system); i++)
		if (!shown(c->p, look_system[i]) &&
		    add_bind(c, MOUNT_RO_BIND, MOUNT_F_TRY, look_system[i], NULL, o) < 0)
			return -1;
	for (size_t i = 0; c->h->home && i < ELEMENTSOF(look_home); i++) {
		_cleanup_free_ char *path = xasprintf("%s/%s", c->h->home, look_home[i]);
		if (add_bind(c, MOUNT_RO_BIND, MOUNT_F_TRY, path, NULL, o) < 0)
			return -1;
	}
	static const char *const keep[] = {"XCURSOR_THEME", "XCURSOR_SIZE", "GTK_THEME"};
	for (size_t i = 0; i < ELEMENTSOF(keep); i++)
		policy_add_env(c->p, ENV_KEEP, o)->name = xstrdup(keep[i]);
	return 0;
}

/* ---- directories kept between runs ---- */

/* xdg-user-dirs' names and the directories it makes when
 * user-dirs.dirs says nothing. */
static const struct {
	const char *name, *fallback;
} user_dirs[] = {
	{"desktop", "Desktop"},   {"documents", "Documents"}, {"download", "Downloads"},
	{"music", "Music"},       {"pictures", "Pictures"},   {"publicshare", "Public"},
	{"templates", "Templates"}, {"videos", "Videos"},
};

bool desktop_user_dir_known(const char *name)
{
	for (size_t i = 0; i < ELEMENTSOF(user_dirs); i++)
		if (streq(user_dirs[i].name, name))
			return true;
	return false;
}

/* The line XDG_NAME_DIR="$HOME/x" or XDG_NAME_DIR="/x" of user-dirs.dirs,
 * as a path; NULL when it has none. */
static char *user_dirs_entry(const char *text, const char *name, const char *home)
{
	_cleanup_free_ char *key = xasprintf("XDG_%s_DIR=\"", name);
	for (char *k = key + 4; *k != '_'; k++)
		*k = (char)(*k - 'a' + 'A');
	for (const char *line = text; line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		if (!str_startswith(line, key))
			continue;
		const char *v = line + strlen(key), *end = strchr(v, '"');
		const char *nl = strchr(v, '\n');
		if (!end || (nl && nl < end))
			return NULL;
		if (str_startswith(v, "$HOME/") || (str_startswith(v, "$HOME") && end == v + 5))
			return xasprintf("%s%.*s", home, (int)(end - v - 5), v + 5);
		return v[0] == '/' ? xstrndup(v, (size_t)(end - v)) : NULL;
	}
	return NULL;
}

static char *user_dir_path(const struct desktop_host *h, const char *name)
{
	_cleanup_free_ char *file = h->config_home ? xasprintf("%s/user-dirs.dirs", h->config_home)
						   : xasprintf("%s/.config/user-dirs.dirs", h->home);
	_cleanup_free_ unsigned char *text = NULL;
	size_t len;
	char *path = NULL;
	if (read_small_file(file, &text, &len) == 0)
		path = user_dirs_entry((const char *)text, name, h->home);
	for (size_t i = 0; !path && i < ELEMENTSOF(user_dirs); i++)
		if (streq(user_dirs[i].name, name))
			path = xasprintf("%s/%s", h->home, user_dirs[i].fallback);
	return path;
}

/* Bound at its own path: read-write ones made first when missing (a
 * launch only), read-only ones skipped then. */
static int keep_dir(struct ctx *c, const char *path, bool read_only, const struct origin *o)
{
	if (!read_only && c->h->launch && !make_dirs(path))
		return diag_error(c->d, o, "cannot make %s: %s", path, strerror(errno));
	return add_bind(c, read_only ? MOUNT_RO_BIND : MOUNT_BIND, read_only ? MOUNT_F_TRY : 0,
			path, NULL, o);
}

static int grant_dir(struct ctx *c, const struct desktop_dir *dd)
{
	const struct desktop_host *h = c->h;
	const struct origin *o = &dd->origin;
	if (!h->home)
		return diag_error(c->d, o, "%s: no home directory known", dd->name);
	if (!dd->app) {
		_cleanup_free_ char *path = user_dir_path(h, dd->name);
		struct stat st, home;
		if (stat(path, &st) == 0 && stat(h->home, &home) == 0 && st.st_ino == home.st_ino &&
		    st.st_dev == home.st_dev)
			return diag_error(c->d, o, "user-dir %s: it is the home itself (%s), not "
						   "shared", dd->name, path);
		return keep_dir(c, path, dd->read_only, o);
	}
	_cleanup_free_ char *config = h->config_home ? xasprintf("%s/%s", h->config_home, dd->name)
						     : xasprintf("%s/.config/%s", h->home, dd->name);
	_cleanup_free_ char *data = h->data_home ? xasprintf("%s/%s", h->data_home, dd->name)
						 : xasprintf("%s/.local/share/%s", h->home, dd->name);
	return keep_dir(c, config, false, o) < 0 ? -1 : keep_dir(c, data, false, o);
}

/* ---- all of them ---- */

static int (*const grant_fn[GRANT_COUNT])(struct ctx *, const struct origin *) = {
	[GRANT_WAYLAND] = grant_wayland, [GRANT_X11] = grant_x11, [GRANT_AUDIO] = grant_audio,
	[GRANT_GPU] = grant_gpu,         [GRANT_LOOK] = grant_look,
};

int desktop_resolve(struct policy *p, const struct desktop_host *h, struct diag *d)
{
	struct ctx c = {.p = p, .h = h, .d = d};
	int r = 0;
	for (size_t g = 0; g < GRANT_COUNT; g++)
		if (p->grants[g] && grant_fn[g](&c, &p->grants_s[g].origin) < 0)
			r = -1;
	for (size_t i = 0; i < p->n_desktop_dirs; i++)
		if (grant_dir(&c, &p->desktop_dirs[i]) < 0)
			r = -1;
	return r;
}
