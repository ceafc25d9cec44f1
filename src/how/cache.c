/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "how/cache.h"

#include <dirent.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <seccomp.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "how/arch.h"

#define CACHE_MAGIC "GBSCMP01"

struct keybuf {
	uint8_t *b;
	size_t n, cap;
};

static void put(struct keybuf *k, const void *data, size_t len)
{
	if (k->n + len > k->cap) {
		k->cap = (k->n + len) * 2 + 256;
		k->b = xrealloc(k->b, k->cap);
	}
	memcpy(k->b + k->n, data, len);
	k->n += len;
}

static void put_u64(struct keybuf *k, uint64_t v)
{
	put(k, &v, sizeof(v));
}

static void put_str(struct keybuf *k, const char *s)
{
	put(k, s, strlen(s) + 1);
}

/* The linker's symbol for the executable's own ELF header, wherever it
 * was loaded: dynamic or static-pie alike. Declared without a size: the
 * program headers follow it. */
extern const char __ehdr_start[];

/* The executable's own build id, from its program headers: no loader
 * walk needed. */
static void find_build_id(struct how_build *b)
{
	const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)(const void *)__ehdr_start;
	const ElfW(Phdr) *phdr = (const ElfW(Phdr) *)(const void *)(__ehdr_start + eh->e_phoff);
	size_t phnum = eh->e_phnum;
	uintptr_t bias = 0;
	for (size_t i = 0; i < phnum; i++)
		if (phdr[i].p_type == PT_LOAD && phdr[i].p_offset == 0) {
			bias = (uintptr_t)__ehdr_start - phdr[i].p_vaddr;
			break;
		}
	for (size_t i = 0; i < phnum; i++) {
		const ElfW(Phdr) *ph = &phdr[i];
		if (ph->p_type != PT_NOTE)
			continue;
		/* NOLINTNEXTLINE(performance-no-int-to-ptr): addresses from the headers */
		const uint8_t *p = (const uint8_t *)(bias + ph->p_vaddr);
		const uint8_t *end = p + ph->p_memsz;
		while (p + sizeof(ElfW(Nhdr)) <= end) {
			ElfW(Nhdr) nh; /* notes are 4-aligned; copy rather than cast */
			memcpy(&nh, p, sizeof(nh));
			const uint8_t *name = p + sizeof(nh);
			const uint8_t *desc = name + ((nh.n_namesz + 3) & ~3u);
			if (desc + nh.n_descsz > end)
				break;
			if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
			    memcmp(name, "GNU", 4) == 0) {
				b->build_id = desc;
				b->build_id_len = nh.n_descsz;
				return;
			}
			p = desc + ((nh.n_descsz + 3) & ~3u);
		}
	}
}

/* FNV-1a: picks a file name only; the full key is compared on load. */
static uint64_t fnv1a(const uint8_t *b, size_t n)
{
	uint64_t h = 0xcbf29ce484222325u;
	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3u;
	}
	return h;
}

void how_build_current(struct how_build *b)
{
	*b = (struct how_build){.version = GB_VERSION, .audit_arch = GB_AUDIT_ARCH};
	/* The build id changes with any change to glovebox's code, so a
	 * rebuilt compiler never reuses an older one's output. */
	find_build_id(b);
	/* libseccomp is linked statically, so the header's version is the
	 * library's; and the build's architecture is the native one. Neither
	 * needs a call into libseccomp, which keeps its code out of memory on
	 * every launch that finds its program in the cache. */
	b->libseccomp = ((uint64_t)SCMP_VER_MAJOR << 32) | ((uint64_t)SCMP_VER_MINOR << 16) |
			SCMP_VER_MICRO;
}

void how_key_build_for(const struct policy *p, const struct how_build *b, struct how_key *key)
{
	/* Sized for the usual key up front: no regrowth, fewer pages touched. */
	struct keybuf k = {.cap = 512 + syscall_count * 8 + p->n_arg_rules * 96};
	k.b = xmalloc(k.cap);

	put_str(&k, "glovebox seccomp cache, key v1");
	put_str(&k, b->version);
	put_u64(&k, b->build_id_len);
	if (b->build_id_len)
		put(&k, b->build_id, b->build_id_len);
	put_u64(&k, b->libseccomp);
	put_u64(&k, b->audit_arch);

	for (size_t i = 0; i < syscall_count; i++) {
		struct sc_action a = how_effective_action(p, i);
		put_u64(&k, ((uint64_t)a.kind << 32) | (uint32_t)a.errnum);
	}
	put_u64(&k, p->ns_allowed);
	put_u64(&k, p->families_restricted);
	put_u64(&k, p->families);
	put_u64(&k, p->wx);
	put_u64(&k, p->memfd_exec);
	put_u64(&k, p->personality_locked);
	put_u64(&k, p->n_arg_rules);
	for (size_t i = 0; i < p->n_arg_rules; i++) {
		const struct arg_rule *r = &p->arg_rules[i];
		put_u64(&k, (uint64_t)r->syscall);
		put_u64(&k, ((uint64_t)r->action.kind << 32) | (uint32_t)r->action.errnum);
		put_u64(&k, r->n_cmps);
		for (unsigned c = 0; c < r->n_cmps; c++) {
			put_u64(&k, ((uint64_t)r->cmps[c].arg << 32) | r->cmps[c].op);
			put_u64(&k, r->cmps[c].mask);
			put_u64(&k, r->cmps[c].value);
		}
	}
	key->bytes = k.b;
	key->len = k.n;
	key->hash = fnv1a(k.b, k.n);
	key->cacheable = b->build_id_len > 0;
}

void how_key_build(const struct policy *p, struct how_key *key)
{
	struct how_build b;
	how_build_current(&b);
	how_key_build_for(p, &b, key);
}

void how_key_free(struct how_key *key)
{
	free(key->bytes);
	*key = (struct how_key){0};
}

static bool dir_trusted(int fd)
{
	struct stat st;
	return fstat(fd, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == geteuid() &&
	       (st.st_mode & 077) == 0;
}

/* mkdir -p for the last two components, the cache root and ours. */
static int make_cache_dir(const char *dir)
{
	_cleanup_free_ char *parent = xstrdup(dir);
	char *slash = strrchr(parent, '/');
	if (slash && slash != parent) {
		*slash = '\0';
		(void)mkdir(parent, 0700);
	}
	return mkdir(dir, 0700) < 0 && errno != EEXIST ? -1 : 0;
}

int how_cache_open(const char *dir)
{
	/* Made only when missing: the launch made it already (main.c), and
	 * two mkdir calls that fail with EEXIST are two path walks a launch. */
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && make_cache_dir(dir) == 0)
		fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (!dir_trusted(fd)) {
		close(fd);
		return -1;
	}
	return fd;
}

struct file_header {
	char magic[8];
	uint64_t key_len;
	uint64_t insns;
	uint64_t checksum; /* FNV-1a of key and program */
};

void how_cache_file_name(const struct how_key *key, char *buf, size_t size)
{
	snprintf(buf, size, "seccomp-%016llx.bpf", (unsigned long long)key->hash);
}

static uint64_t checksum(const struct how_key *key, const struct how_program *prog)
{
	uint64_t a = fnv1a(key->bytes, key->len);
	uint64_t b = fnv1a((const uint8_t *)prog->insns, prog->len * sizeof(*prog->insns));
	return a ^ (b * 31);
}

int how_cache_load(int dirfd, const struct how_key *key, struct how_program *out)
{
	char name[64];
	how_cache_file_name(key, name, sizeof(name));
	_cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -ENOENT;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 07777) != 0600 || st.st_nlink != 1)
		return -ENOENT;
	struct file_header h;
	if (read_full(fd, &h, sizeof(h)) != sizeof(h) || memcmp(h.magic, CACHE_MAGIC, 8) != 0 ||
	    h.key_len != key->len || h.insns == 0 || h.insns > BPF_MAXINSNS ||
	    sizeof(h) + h.key_len + h.insns * sizeof(struct sock_filter) != (size_t)st.st_size)
		return -ENOENT;
	/* The stored key, compared a block at a time: no copy of the file. */
	uint8_t block[1024];
	for (size_t at = 0; at < key->len;) {
		size_t n = key->len - at < sizeof(block) ? key->len - at : sizeof(block);
		if (read_full(fd, block, n) != (ssize_t)n || memcmp(block, key->bytes + at, n) != 0)
			return -ENOENT;
		at += n;
	}
	struct how_program prog = {.len = (unsigned short)h.insns};
	size_t bytes = h.insns * sizeof(struct sock_filter);
	prog.insns = xmalloc(bytes);
	if (read_full(fd, prog.insns, bytes) != (ssize_t)bytes ||
	    checksum(key, &prog) != h.checksum) {
		how_program_free(&prog);
		return -ENOENT;
	}
	*out = prog;
	return 0;
}

int how_cache_store(int dirfd, const struct how_key *key, const struct how_program *prog)
{
	char name[64];
	how_cache_file_name(key, name, sizeof(name));
	struct file_header h = {.key_len = key->len, .insns = prog->len,
				.checksum = checksum(key, prog)};
	memcpy(h.magic, CACHE_MAGIC, 8);
	const struct write_part parts[] = {
		{&h, sizeof(h)},
		{key->bytes, key->len},
		{prog->insns, prog->len * sizeof(*prog->insns)},
	};
	return write_atomically(dirfd, name, parts, ELEMENTSOF(parts), 0600, WRITE_EXACT_MODE);
}

/* ---- the bound ---- */

/* "seccomp-" 16 hex digits ".bpf": what how_cache_file_name writes. */
static bool is_program_name(const char *n)
{
	if (strncmp(n, "seccomp-", 8) != 0 || strlen(n) != 28 || !streq(n + 24, ".bpf"))
		return false;
	for (size_t i = 8; i < 24; i++)
		if (!strchr("0123456789abcdef", n[i]))
			return false;
	return true;
}

/* "." PROGRAM-NAME "." ... ".tmp": a writer's file before its rename
 * (util.c's write_atomically). */
static bool is_temp_name(const char *n)
{
	size_t len = strlen(n);
	if (n[0] != '.' || len < 1 + 28 + 5 || !streq(n + len - 4, ".tmp") || n[29] != '.')
		return false;
	char prog[29];
	memcpy(prog, n + 1, 28);
	prog[28] = '\0';
	return is_program_name(prog);
}

/* Most recently used first; among equals, by name, so the choice never
 * depends on the directory's order. */
static int by_use(const void *a, const void *b)
{
	const struct how_cache_entry *x = a, *y = b;
	if (x->used != y->used)
		return x->used > y->used ? -1 : 1;
	return strcmp(x->name, y->name);
}

size_t how_cache_prune_choose(struct how_cache_entry *v, size_t n, size_t max, const char *keep,
			      int64_t now)
{
	for (size_t i = 0; i < n; i++)
		if (keep && streq(v[i].name, keep))
			v[i].used = INT64_MAX; /* first, whatever the clock says */
	if (n)
		qsort(v, n, sizeof(*v), by_use);
	size_t programs = 0, dropped = 0;
	for (size_t i = 0; i < n; i++) {
		v[i].drop = v[i].temp ? now - v[i].used > HOW_CACHE_TEMP_AGE : ++programs > max;
		dropped += v[i].drop;
	}
	return dropped;
}

static int64_t ns(struct timespec t)
{
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* The cache's programs and temporary files, by name; other names are not
 * glovebox's to remove. */
static size_t list_entries(int dirfd, struct how_cache_entry **v, size_t *programs)
{
	size_t n = 0;
	*programs = 0;
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		closep(&fd);
		return 0;
	}
	for (const struct dirent *e; (e = readdir(d));) {
		bool temp = is_temp_name(e->d_name);
		if (!temp && !is_program_name(e->d_name))
			continue;
		*APPEND(*v, n) = (struct how_cache_entry){.name = xstrdup(e->d_name), .temp = temp};
		*programs += !temp;
	}
	closedir(d);
	return n;
}

size_t how_cache_prune(int dirfd, const char *keep, size_t max)
{
	struct how_cache_entry *v = NULL;
	size_t programs;
	size_t n = list_entries(dirfd, &v, &programs);
	size_t removed = 0;
	/* Within the bound and nothing left behind (the usual store): no stat. */
	if (programs > max || n > programs) {
		for (size_t i = 0; i < n; i++) {
			struct stat st;
			if (fstatat(dirfd, v[i].name, &st, AT_SYMLINK_NOFOLLOW) == 0)
				v[i].used = ns(st.st_atim) > ns(st.st_mtim) ? ns(st.st_atim)
									   : ns(st.st_mtim);
		}
		struct timespec now;
		clock_gettime(CLOCK_REALTIME, &now);
		how_cache_prune_choose(v, n, max, keep, ns(now));
		for (size_t i = 0; i < n; i++)
			removed += v[i].drop && unlinkat(dirfd, v[i].name, 0) == 0;
	}
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
	return removed;
}

int how_program_get(const struct policy *p, const char *cache_dir, struct how_program *out,
		    struct diag *d)
{
	if (!cache_dir)
		return how_compile(p, out, d);
	_cleanup_close_ int dirfd = how_cache_open(cache_dir);
	if (dirfd < 0)
		return how_compile(p, out, d);
	struct how_key key;
	how_key_build(p, &key);
	if (!key.cacheable) {
		how_key_free(&key);
		return how_compile(p, out, d);
	}
	if (how_cache_load(dirfd, &key, out) == 0) {
		how_key_free(&key);
		return 0;
	}
	int r = how_compile(p, out, d);
	if (r == 0 && how_cache_store(dirfd, &key, out) == 0) {
		char name[64];
		how_cache_file_name(&key, name, sizeof(name));
		(void)how_cache_prune(dirfd, name, HOW_CACHE_MAX);
	}
	how_key_free(&key);
	return r;
}
