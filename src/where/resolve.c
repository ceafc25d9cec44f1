/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Host paths as the launcher sees them. Runs before the sandbox's user
 * namespace exists: in there, root and every user but the one mapped
 * show as the overflow uid (nobody's own), so a symlink's owner can only
 * be read out here. pid 1 then mounts a bind source only when it is the
 * inode held here (where/held.h), or opens the resolved path with no
 * symlink allowed on the way, so a link swapped in meanwhile fails the
 * launch instead of redirecting it. */
#include "where/resolve.h"
#include "where/held.h"

#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

enum { MAX_LINKS = 40 }; /* the kernel's own limit on one lookup */

int where_open_no_links(int dirfd, const char *path, int flags)
{
	struct open_how how = {.flags = (uint64_t)(flags | O_CLOEXEC),
			       .resolve = RESOLVE_NO_SYMLINKS};
	return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

/* Append "/NAME" (n bytes of it) to a resolved prefix ("" is /). */
static char *join(char *done, const char *name, size_t n)
{
	char *r = xasprintf("%s/%.*s", done, (int)n, name);
	free(done);
	return r;
}

static void pop(char *done)
{
	char *slash = strrchr(done, '/');
	if (slash)
		*slash = '\0';
}

/* The path with ".", ".." and repeated slashes worked out, as the kernel
 * does once no symlink is on the way; relative to the working directory.
 * Built in one buffer, as long as the path and the working directory
 * together: with a string made anew for every component it took 1.6 %
 * of the CPU samples of a launch with 500 binds, 0.8 % so (perf record
 * -e cpu-clock --call-graph dwarf, six launches each, interleaved). */
static char *normalise(const char *path)
{
	_cleanup_free_ char *cwd = path[0] == '/' ? NULL : getcwd(NULL, 0);
	size_t len = cwd && !streq(cwd, "/") ? strlen(cwd) : 0;
	char *done = xmalloc(len + strlen(path) + 2);
	if (len)
		memcpy(done, cwd, len);
	for (const char *c = path; *c;) {
		c += strspn(c, "/");
		size_t n = strcspn(c, "/");
		if (n == 2 && c[0] == '.' && c[1] == '.') {
			char *slash = memrchr(done, '/', len);
			len = slash ? (size_t)(slash - done) : len;
		} else if (n && !(n == 1 && c[0] == '.')) {
			done[len++] = '/';
			memcpy(done + len, c, n);
			len += n;
		}
		c += n;
	}
	if (!len)
		done[len++] = '/';
	done[len] = '\0';
	return done;
}

struct walk {
	char *done;  /* the resolved prefix, no symlink in it ("" is /) */
	char *todo;  /* what is left, links' targets spliced in */
	int dir;     /* the directory done names, opened on the way */
	size_t n_links;
};

/* A symlink at done/NAME, opened as itself: its owner and its target
 * come from that one inode, so a link swapped in between cannot lend
 * its target to another's owner. */
static int follow(struct walk *w, int fd, const struct stat *st, const char *name, size_t n,
		  const char *rest, struct where_path *out)
{
	char target[PATH_MAX];
	ssize_t t = readlinkat(fd, "", target, sizeof(target) - 1);
	if (t <= 0 || ++w->n_links > MAX_LINKS)
		return -1;
	target[t] = '\0';
	*APPEND(out->links, out->n_links) = (struct where_link){
		.path = xasprintf("%s/%.*s", w->done, (int)n, name), .target = xstrdup(target),
		.owner = st->st_uid};
	char *todo = xasprintf("%s/%s", target, rest);
	free(w->todo);
	w->todo = todo;
	if (target[0] == '/') {
		w->done[0] = '\0';
		closep(&w->dir);
		w->dir = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	}
	return w->dir < 0 ? -1 : 0;
}

static void walk(const char *path, bool follow_last, struct where_path *out)
{
	struct walk w = {.done = normalise(path[0] == '/' ? "/" : "."), .todo = xstrdup(path)};
	if (streq(w.done, "/"))
		w.done[0] = '\0';
	w.dir = open(*w.done ? w.done : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	size_t at = 0; /* in todo */
	while (w.dir >= 0) {
		const char *c = w.todo + at + strspn(w.todo + at, "/");
		size_t n = strcspn(c, "/");
		if (!n)
			break;
		const char *rest = c + n;
		bool last = rest[strspn(rest, "/")] == '\0';
		at = (size_t)(rest - w.todo);
		if (n == 1 && c[0] == '.')
			continue;
		_cleanup_free_ char *name = xstrndup(c, n);
		int fd = openat(w.dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		struct stat st;
		if (fd < 0 || fstat(fd, &st) < 0) {
			closep(&fd);
			/* missing or unreadable: the rest as named, this name
			 * too (without it, a missing name after a link was the
			 * directory above it, which exists: bound in its place) */
			at = (size_t)(c - w.todo);
			break;
		}
		if (S_ISLNK(st.st_mode) && (follow_last || !last)) {
			int r = follow(&w, fd, &st, c, n, rest, out);
			close(fd);
			at = 0;
			if (r < 0)
				break;
			continue;
		}
		if (n == 2 && c[0] == '.' && c[1] == '.')
			pop(w.done);
		else
			w.done = join(w.done, c, n);
		closep(&w.dir);
		w.dir = fd;
	}
	/* what was not walked (missing, unreadable, too many links) as named */
	char *rest = xasprintf("%s/%s", w.done, w.todo + at);
	out->phys = normalise(rest);
	free(rest);
	free(w.done);
	free(w.todo);
	closep(&w.dir);
}

/* keep: where the descriptor of a path with no link on the way goes,
 * rather than closed; NULL to close it. */
static void resolve(const char *path, bool follow_last, struct where_path *out, int *keep)
{
	*out = (struct where_path){0};
	/* A mirror of a path right below / has nothing on the way to check. */
	const char *c = path + strspn(path, "/");
	if (!follow_last && path[0] == '/' && !strchr(c, '/')) {
		out->phys = normalise(path);
		return;
	}
	int fd = where_open_no_links(AT_FDCWD, path, O_PATH | (follow_last ? 0 : O_NOFOLLOW));
	if (fd >= 0 || errno != ELOOP) {
		if (keep)
			*keep = steal_fd(&fd);
		closep(&fd);
		out->phys = normalise(path);
		return;
	}
	walk(path, follow_last, out);
}

void where_resolve(const char *path, bool follow_last, struct where_path *out)
{
	resolve(path, follow_last, out, NULL);
}

void where_path_free(struct where_path *p)
{
	for (size_t i = 0; i < p->n_links; i++) {
		free(p->links[i].path);
		free(p->links[i].target);
	}
	free(p->links);
	free(p->phys);
	*p = (struct where_path){0};
}

static bool has_host_source(enum mount_kind k)
{
	return k == MOUNT_BIND || k == MOUNT_RO_BIND || k == MOUNT_DEV_BIND || k == MOUNT_MIRROR ||
	       k == MOUNT_TMP_OVERLAY || k == MOUNT_OVERLAY || k == MOUNT_RO_OVERLAY;
}

/* A source gather_bind clones as it is (where_gather). */
static bool cloned_as_is(enum mount_kind k)
{
	return k == MOUNT_BIND || k == MOUNT_RO_BIND || k == MOUNT_DEV_BIND || k == MOUNT_MIRROR;
}

static bool writable_bind(enum mount_kind k)
{
	return k == MOUNT_BIND || k == MOUNT_DEV_BIND;
}

/* $HOME and the places of secrets, resolved: a bind names them by any
 * path, and one of them may itself be a link (a dotfile manager's). */
static void resolve_secrets(struct where_env *env)
{
	if (!env->home || env->home[0] != '/')
		return;
	struct where_path p;
	where_resolve(env->home, true, &p);
	env->home_phys = steal_pointer(&p.phys);
	where_path_free(&p);
	env->secret_phys = xcalloc(where_n_secrets, sizeof(*env->secret_phys));
	for (size_t i = 0; i < where_n_secrets; i++) {
		_cleanup_free_ char *path = xasprintf("%s/%s", env->home_phys, where_secrets[i].rel);
		where_resolve(path, true, &p);
		env->secret_phys[i] = steal_pointer(&p.phys);
		where_path_free(&p);
	}
}

void where_resolve_sources(const struct policy *p, struct where_env *env)
{
	size_t n = p->n_mounts + 2;
	env->paths = xcalloc(n, sizeof(*env->paths));
	env->held = xcalloc(n, sizeof(*env->held));
	env->n_held = n;
	for (size_t i = 0; i < n; i++)
		env->held[i] = -1;
	size_t budget = where_held_budget(), n_kept = 0;
	bool writable = p->cwd == CWD_RW;
	for (size_t i = 0; i < p->n_mounts; i++) {
		const struct mount_op *m = &p->mounts[i];
		if (!has_host_source(m->kind))
			continue;
		writable |= writable_bind(m->kind);
		bool keep = cloned_as_is(m->kind) && n_kept < budget;
		resolve(m->src, m->kind != MOUNT_MIRROR, &env->paths[i].src,
			keep ? &env->held[i] : NULL);
		n_kept += env->held[i] >= 0;
		if (m->aux)
			where_resolve(m->aux, true, &env->paths[i].aux);
		if (m->work)
			where_resolve(m->work, true, &env->paths[i].work);
		struct where_source_path *sp = &env->paths[i];
		sp->n_lowers = m->lowers.n;
		sp->lowers = sp->n_lowers ? xcalloc(sp->n_lowers, sizeof(*sp->lowers)) : NULL;
		for (size_t k = 0; k < sp->n_lowers; k++)
			where_resolve(m->lowers.v[k], true, &sp->lowers[k]);
	}
	const char *home = where_home_source(p, env);
	if (home)
		where_resolve(home, true, &env->paths[p->n_mounts].src);
	if (env->cwd && env->cwd[0] == '/' && p->cwd != CWD_NONE)
		where_resolve(env->cwd, true, &env->paths[p->n_mounts + 1].src);
	if (writable)
		resolve_secrets(env);
}

void where_env_free_paths(struct where_env *env, size_t n_sources)
{
	where_env_close_held(env);
	free(env->held);
	env->held = NULL;
	for (size_t i = 0; env->paths && i < n_sources; i++) {
		where_path_free(&env->paths[i].src);
		where_path_free(&env->paths[i].aux);
		where_path_free(&env->paths[i].work);
		for (size_t k = 0; k < env->paths[i].n_lowers; k++)
			where_path_free(&env->paths[i].lowers[k]);
		free(env->paths[i].lowers);
	}
	free(env->paths);
	env->paths = NULL;
	for (size_t i = 0; env->secret_phys && i < where_n_secrets; i++)
		free(env->secret_phys[i]);
	free(env->secret_phys);
	env->secret_phys = NULL;
	free(env->home_phys);
	env->home_phys = NULL;
}
