/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Small helpers shared by every layer: cleanup attributes, checked
 * allocation, growable string vectors. */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/types.h>
#include <string.h>
#include <unistd.h>

#define _cleanup_(f)   __attribute__((cleanup(f)))
#define _unused_       __attribute__((unused))
/* Kept though nothing in the program reads it (a leak checker's root). */
#define _used_         __attribute__((used))
#define _noreturn_     __attribute__((noreturn))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _pure_         __attribute__((pure))
#define _nonnull_ret_  __attribute__((returns_nonnull))

#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))

static inline void freep(void *p)
{
	free(*(void **)p);
}

/* Close and forget: a descriptor closed this way cannot be closed again
 * by mistake after its number was reused. */
static inline void closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
		*fd = -1;
	}
}

#define _cleanup_free_  _cleanup_(freep)
#define _cleanup_close_ _cleanup_(closep)

/* Hand ownership out of a cleanup-managed variable. */
#define steal_pointer(pp)                                                                          \
	({                                                                                         \
		__typeof__(*(pp)) _tmp = *(pp);                                                    \
		*(pp) = NULL;                                                                      \
		_tmp;                                                                              \
	})

static inline int steal_fd(int *fd)
{
	int r = *fd;
	*fd = -1;
	return r;
}

/* Allocation failure is not recoverable for a launcher: report and exit 125. */
_noreturn_ void oom(void);
_nonnull_ret_ void *xmalloc(size_t n);
_nonnull_ret_ void *xcalloc(size_t n, size_t size);
_nonnull_ret_ void *xrealloc(void *p, size_t n);
_nonnull_ret_ void *xreallocarray(void *p, size_t n, size_t size);
/* One more element at the end of the array *v of *n elements of size
 * bytes: grown by one (the lists grown this way are short, and realloc
 * mostly grows in place), counted, and returned for the caller to fill.
 * APPEND(v, n) does it for a pointer v and its count n. */
_nonnull_ret_ void *array_append(void **v, size_t *n, size_t size);
#define APPEND(v, n) ((typeof(&*(v)))array_append((void **)&(v), &(n), sizeof(*(v))))
_nonnull_ret_ char *xstrdup(const char *s);
_nonnull_ret_ char *xstrndup(const char *s, size_t n);
_nonnull_ret_ _printf_(1, 2) char *xasprintf(const char *fmt, ...);

static inline bool streq(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

/* FNV-1a, 64 bits, a byte at a time: for hash tables and names, never
 * where a collision would matter. */
#define FNV1A_OFFSET UINT64_C(0xcbf29ce484222325)
static inline uint64_t fnv1a_byte(uint64_t h, unsigned char c)
{
	return (h ^ c) * UINT64_C(0x100000001b3);
}

static inline bool str_startswith(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* A NULL-terminated, growable vector of owned strings. */
struct strv {
	char **v;
	size_t n;
	size_t cap;
};

void strv_push(struct strv *s, char *owned);
void strv_add(struct strv *s, const char *str);
void strv_free(struct strv *s);
bool strv_contains(const struct strv *s, const char *str);
/* The strings of s with sep between them, newly allocated ("" for none). */
_nonnull_ret_ char *strv_join(const struct strv *s, const char *sep);

/* A helper that glovebox runs beside a sandbox (pasta, xdg-dbus-proxy).
 * In its process, before exec: die with glovebox (parent), leave its
 * session (the terminal's signals are the sandbox's), the default signal
 * mask and SIGPIPE. False when glovebox is gone already. */
bool helper_detach(pid_t parent);
/* Kill and reap the helper *pid, if any; *pid becomes 0. */
void helper_kill(pid_t *pid);
/* mkdir -p, each new level 0700. */
bool make_dirs(const char *path);

/* Write the whole buffer, retrying on EINTR and short writes. */
int write_all(int fd, const void *buf, size_t len);
/* Read up to len bytes, retrying on EINTR; returns bytes read or -errno. */
ssize_t read_full(int fd, void *buf, size_t len);
/* Everything fd gives until its end, in *out (NUL-terminated, NUL bytes
 * kept: *len counts them); 0 or -errno. */
int read_fd_whole(int fd, char **out, size_t *len);

/* How write_atomically makes the new file. */
enum {
	WRITE_EXACT_MODE = 1 << 0, /* the mode itself, whatever the umask */
	WRITE_SYNC = 1 << 1,       /* on disk before the rename: a crash leaves the old or the new */
};
struct write_part {
	const void *buf;
	size_t len;
};
/* Replace dirfd/path (AT_FDCWD: a path as open takes it) with the parts,
 * in order: a hidden temporary file beside it (".NAME.PID-N.tmp", made with
 * O_EXCL, never a file already there) is written and renamed over it, so
 * that a reader sees the old contents or the new, never half. Its mode is
 * `mode` less the umask, or exactly `mode` (WRITE_EXACT_MODE). On failure
 * no temporary file is left and the old file is untouched. 0 or -errno. */
int write_atomically(int dirfd, const char *path, const struct write_part *parts, size_t n,
		     mode_t mode, unsigned flags);

/* Parse a non-negative decimal number; rejects trailing garbage and overflow. */
int parse_u64(const char *s, uint64_t *out);
