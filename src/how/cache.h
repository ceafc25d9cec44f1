/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A cache of compiled seccomp programs.
 *
 * libseccomp needs milliseconds to build a 370-call allowlist, more than
 * the rest of a launch, so each distinct how-policy is compiled once. The
 * key is everything that shapes the program: the policy's system-call
 * rules, glovebox's own build, libseccomp's version and the architecture.
 * The full key is stored in the file and compared, so a hash collision can
 * never load the wrong program.
 *
 * A cached program is trusted code for every later sandbox, so the cache
 * directory is hidden inside every sandbox (see where/mounts.c), and a file
 * is loaded only if it is a regular file, owned by the user, mode 0600, in
 * a directory owned by the user with mode 0700, and intact. Anything else
 * is ignored and rebuilt. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "how/seccomp.h"
#include "policy/policy.h"

struct how_key {
	uint8_t *bytes;
	size_t len;
	uint64_t hash;
	bool cacheable; /* false without a build id: a rebuild could not be told apart */
};

/* What, besides the policy, shapes a compiled program: the build that
 * compiles it. A struct of its own so the unit tests can vary each part
 * and see that the key changes; only how_build_current fills it for real. */
struct how_build {
	const char *version;     /* GB_VERSION */
	const uint8_t *build_id; /* the executable's GNU build id, if it has one */
	size_t build_id_len;
	uint64_t libseccomp; /* major << 32 | minor << 16 | micro */
	uint32_t audit_arch;
};

/* This process's build. */
void how_build_current(struct how_build *b);

/* Serialise the policy's how-layer and the build's identity. */
void how_key_build_for(const struct policy *p, const struct how_build *b, struct how_key *key);
/* The same for the running build. */
void how_key_build(const struct policy *p, struct how_key *key);
void how_key_free(struct how_key *key);

/* Open (creating it 0700 if needed) and check the cache directory.
 * Returns a directory fd, or -1 when the cache cannot be used safely. */
int how_cache_open(const char *dir);

/* 0 and *out filled on a hit; -ENOENT on a miss or a file that fails a check. */
int how_cache_load(int dirfd, const struct how_key *key, struct how_program *out);

/* Write atomically (temporary file, then rename). Errors are not fatal:
 * the next launch compiles again. */
int how_cache_store(int dirfd, const struct how_key *key, const struct how_program *prog);

/* The bound: at most this many programs stay in the cache. Every launch
 * reads the cache's entries (a bind of any of them is refused, where/
 * gather.c), and the key holds glovebox's build id, so without a bound
 * each rebuild or upgrade and each policy ever run would leave a file
 * there for good: 743 of them made 9 getdents64 calls a launch. 64 names
 * fit in one. A store beyond it removes the least recently used. */
#define HOW_CACHE_MAX 64
/* A writer's temporary file older than this (ns) was left by a writer
 * that died: a live one renames its file within milliseconds. */
#define HOW_CACHE_TEMP_AGE (3600 * INT64_C(1000000000))

/* One file of the cache, as pruning sees it. */
struct how_cache_entry {
	char *name;
	int64_t used; /* ns: the later of its access and modification times */
	bool temp;    /* a writer's temporary file, not a program */
	bool drop;    /* set by how_cache_prune_choose */
};

/* Which files a prune removes: the programs beyond the max most recently
 * used (keep, the one just stored, is never among them) and the temporary
 * files older than HOW_CACHE_TEMP_AGE at now (ns). Marks them (drop),
 * reorders v, returns how many. Pure. */
size_t how_cache_prune_choose(struct how_cache_entry *v, size_t n, size_t max, const char *keep,
			      int64_t now);

/* Bring the cache down to max programs after keep was stored: what
 * how_cache_prune_choose picks is unlinked. Concurrent launches stay
 * safe: a reader holds its file open (an unlinked file reads on), or finds
 * none and compiles; two pruners may unlink the same file (ENOENT is
 * fine), never one that they did not list. Returns how many it removed. */
size_t how_cache_prune(int dirfd, const char *keep, size_t max);

/* The file name a key's program is stored under (at least 30 bytes). */
void how_cache_file_name(const struct how_key *key, char *buf, size_t size);

/* The program for a policy: from the cache when possible, else compiled
 * (and stored, then the cache pruned). cache_dir may be NULL (--no-cache). */
int how_program_get(const struct policy *p, const char *cache_dir, struct how_program *out,
		    struct diag *d);
