/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "util.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <sys/stat.h>

void oom(void)
{
	static const char msg[] = "glovebox: out of memory\n";
	(void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
	_exit(125);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	p = reallocarray(p, n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *array_append(void **v, size_t *n, size_t size)
{
	*v = xreallocarray(*v, *n + 1, size);
	return (char *)*v + (*n)++ * size;
}

char *xstrdup(const char *s)
{
	char *r = strdup(s);
	if (!r)
		oom();
	return r;
}

char *xstrndup(const char *s, size_t n)
{
	char *r = strndup(s, n);
	if (!r)
		oom();
	return r;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *r;
	va_start(ap, fmt);
	int n = vasprintf(&r, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	return r;
}

void strv_push(struct strv *s, char *owned)
{
	if (s->n + 2 > s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->v = xreallocarray(s->v, s->cap, sizeof(char *));
	}
	s->v[s->n++] = owned;
	s->v[s->n] = NULL;
}

void strv_add(struct strv *s, const char *str)
{
	strv_push(s, xstrdup(str));
}

void strv_free(struct strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	*s = (struct strv){0};
}

bool strv_contains(const struct strv *s, const char *str)
{
	for (size_t i = 0; i < s->n; i++)
		if (streq(s->v[i], str))
			return true;
	return false;
}

char *strv_join(const struct strv *s, const char *sep)
{
	size_t len = 1;
	for (size_t i = 0; i < s->n; i++)
		len += strlen(s->v[i]) + (i ? strlen(sep) : 0);
	char *r = xmalloc(len), *w = r;
	*w = '\0';
	for (size_t i = 0; i < s->n; i++) {
		if (i)
			w = stpcpy(w, sep);
		w = stpcpy(w, s->v[i]);
	}
	return r;
}

int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* ".NAME.PID-N.tmp" in the directory of path. */
static char *temp_name(const char *path, unsigned n)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	return xasprintf("%.*s.%s.%d-%u.tmp", (int)(base - path), path, base, (int)getpid(), n);
}

/* A new file, never one already there: a name a crashed writer left
 * behind is passed over. *tmp is its name (to be freed, whatever the
 * outcome). */
static int open_temp(int dirfd, const char *path, mode_t mode, char **tmp)
{
	static unsigned counter;
	int fd = -1, err = EEXIST;
	for (int tries = 0; fd < 0 && err == EEXIST && tries < 100; tries++) {
		free(*tmp);
		*tmp = temp_name(path, __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED));
		fd = openat(dirfd, *tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			    mode);
		err = fd < 0 ? errno : 0;
	}
	return fd >= 0 ? fd : -err;
}

int write_atomically(int dirfd, const char *path, const struct write_part *parts, size_t n,
		     mode_t mode, unsigned flags)
{
	_cleanup_free_ char *tmp = NULL;
	int fd = open_temp(dirfd, path, mode, &tmp);
	if (fd < 0)
		return fd;
	int r = 0;
	for (size_t i = 0; i < n && r == 0; i++)
		r = write_all(fd, parts[i].buf, parts[i].len);
	if (r == 0 && (flags & WRITE_EXACT_MODE) && fchmod(fd, mode) < 0)
		r = -errno;
	if (r == 0 && (flags & WRITE_SYNC) && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && renameat(dirfd, tmp, dirfd, path) < 0)
		r = -errno;
	if (r < 0)
		(void)unlinkat(dirfd, tmp, 0);
	return r;
}

ssize_t read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;
	char *p = buf;
	while (got < len) {
		ssize_t n = read(fd, p + got, len - got);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

int read_fd_whole(int fd, char **out, size_t *len)
{
	size_t cap = 4096, n = 0;
	_cleanup_free_ char *buf = xmalloc(cap);
	for (;;) {
		if (n + 1 >= cap)
			buf = xreallocarray(buf, cap *= 2, 1);
		ssize_t k = read_full(fd, buf + n, cap - 1 - n);
		if (k < 0)
			return (int)k;
		if (k == 0)
			break;
		n += (size_t)k;
	}
	buf[n] = '\0';
	*out = steal_pointer(&buf);
	*len = n;
	return 0;
}

int parse_u64(const char *s, uint64_t *out)
{
	if (!s || !*s || *s < '0' || *s > '9')
		return -EINVAL;
	uint64_t v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		unsigned d = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

bool helper_detach(pid_t parent)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != parent)
		return false;
	(void)setsid();
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	return true;
}

void helper_kill(pid_t *pid)
{
	if (*pid > 0) {
		kill(*pid, SIGKILL);
		while (waitpid(*pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	*pid = 0;
}

bool make_dirs(const char *path)
{
	char *buf = xstrdup(path);
	for (char *p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			(void)mkdir(buf, 0700);
			*p = '/';
		}
	bool made = mkdir(buf, 0700) == 0 || errno == EEXIST;
	free(buf);
	return made;
}
