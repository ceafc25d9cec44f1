/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "how/cache.h"
#include "testutil.h"

static char dir[256];

static void make_dir(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof(dir), "%s/%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", "gb-cache");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(chmod(dir, 0700), 0);
}

static void remove_dir(void)
{
	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void key_for(const char *text, struct how_key *key)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(load(&f, "k.ini", text), 0);
	how_key_build(&f.p, key);
	fixture_free(&f);
}

static struct how_program sample_program(void)
{
	struct fixture f;
	fixture_init(&f);
	struct how_program prog;
	ck_assert_int_eq(load(&f, "s.ini", "[how]\nallow = @default\n"), 0);
	ck_assert_int_eq(how_compile(&f.p, &prog, &f.d), 0);
	fixture_free(&f);
	return prog;
}

/* The single cache file in dir. */
static void cache_file(char *path, size_t size)
{
	char cmd[400];
	snprintf(cmd, sizeof(cmd), "ls %s/seccomp-*.bpf", dir);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(fgets(path, (int)size, p));
	pclose(p);
	path[strcspn(path, "\n")] = '\0';
}

START_TEST(equal_policies_have_equal_keys)
{
	struct how_key a, b;
	key_for("[how]\nallow = read write\n", &a);
	key_for("[how]\nallow = write\nallow = read\n", &b);
	ck_assert_uint_eq(a.len, b.len);
	ck_assert_int_eq(memcmp(a.bytes, b.bytes, a.len), 0);
	ck_assert_uint_eq(a.hash, b.hash);
	how_key_free(&a);
	how_key_free(&b);
}
END_TEST

START_TEST(every_input_changes_the_key)
{
	static const char *const variants[] = {
		"[how]\nallow = read\n",
		"[how]\nallow = read\ndefault = errno EACCES\n",
		"[how]\nallow = read\ndeny = write:kill\n",
		"[how]\nallow = read\nnamespaces = user\n",
		"[how]\nallow = read\nsocket-families = unix\n",
		"[how]\nallow = read\nwrite-xor-execute = yes\n",
		"[how]\nallow = read\nmemfd-exec = no\n",
		"[how]\nallow = read\npersonality = any\n",
		"[how]\nallow = read\nioctl-deny = FIONBIO\n",
		"[how]\nallow = read\nrule = read(arg0 == 3)\n",
		"[how]\nallow = read\nrule = read(arg0 == 4)\n",
		"[how]\nallow = read\nrule = read(arg0 == 4):EACCES\n",
	};
	struct how_key keys[ELEMENTSOF(variants)];
	for (size_t i = 0; i < ELEMENTSOF(variants); i++)
		key_for(variants[i], &keys[i]);
	for (size_t i = 0; i < ELEMENTSOF(variants); i++)
		for (size_t j = i + 1; j < ELEMENTSOF(variants); j++)
			ck_assert_msg(keys[i].len != keys[j].len ||
					      memcmp(keys[i].bytes, keys[j].bytes, keys[i].len) != 0,
				      "variants %zu and %zu share a key", i, j);
	for (size_t i = 0; i < ELEMENTSOF(variants); i++)
		how_key_free(&keys[i]);
}
END_TEST

static void key_for_build(const struct how_build *b, struct how_key *key)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(load(&f, "k.ini", "[how]\nallow = read\n"), 0);
	how_key_build_for(&f.p, b, key);
	fixture_free(&f);
}

static bool same_key(const struct how_key *a, const struct how_key *b)
{
	return a->len == b->len && memcmp(a->bytes, b->bytes, a->len) == 0;
}

START_TEST(the_key_is_the_running_builds)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(load(&f, "k.ini", "[how]\nallow = read\n"), 0);
	struct how_build b;
	how_build_current(&b);
	struct how_key real, built;
	how_key_build(&f.p, &real);
	how_key_build_for(&f.p, &b, &built);
	ck_assert(same_key(&real, &built));
	ck_assert_uint_eq(real.hash, built.hash);
	ck_assert_str_eq(b.version, GB_VERSION);
	how_key_free(&real);
	how_key_free(&built);
	fixture_free(&f);
}
END_TEST

START_TEST(every_build_input_changes_the_key)
{
	/* Made-up build ids, so the test holds for a build without one. */
	static const uint8_t id[20] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
	static const uint8_t other_id[20] = {1,  2,  3,  4,  5,  6,  7,  8, 9,
					     10, 11, 12, 13, 14, 15, 16, 18};
	struct how_build base;
	how_build_current(&base);
	base.build_id = id;
	base.build_id_len = sizeof(id);

	struct how_build variants[7];
	for (size_t i = 0; i < ELEMENTSOF(variants); i++)
		variants[i] = base;
	variants[1].version = "0.0.0-not-this-one";
	variants[2].build_id = other_id;
	variants[3].build_id_len = 16;               /* a shorter id with the same first bytes */
	variants[4].libseccomp += 1;                 /* micro */
	variants[5].libseccomp += UINT64_C(1) << 32; /* major */
	variants[6].audit_arch ^= 0x1;

	struct how_key keys[ELEMENTSOF(variants)];
	for (size_t i = 0; i < ELEMENTSOF(variants); i++)
		key_for_build(&variants[i], &keys[i]);
	for (size_t i = 0; i < ELEMENTSOF(variants); i++)
		for (size_t j = i + 1; j < ELEMENTSOF(variants); j++)
			ck_assert_msg(!same_key(&keys[i], &keys[j]),
				      "build variants %zu and %zu share a key", i, j);
	for (size_t i = 0; i < ELEMENTSOF(variants); i++)
		how_key_free(&keys[i]);
}
END_TEST

START_TEST(a_build_without_an_id_is_not_cached)
{
	struct how_build b;
	how_build_current(&b);
	b.build_id = NULL;
	b.build_id_len = 0;
	struct how_key key;
	key_for_build(&b, &key);
	ck_assert(!key.cacheable);
	how_key_free(&key);
}
END_TEST

START_TEST(a_stored_program_loads_back)
{
	make_dir();
	int fd = how_cache_open(dir);
	ck_assert_int_ge(fd, 0);
	struct how_key key;
	key_for("[how]\nallow = @default\n", &key);
	struct how_program prog = sample_program(), loaded;
	ck_assert_int_eq(how_cache_load(fd, &key, &loaded), -ENOENT);
	ck_assert_int_eq(how_cache_store(fd, &key, &prog), 0);
	ck_assert_int_eq(how_cache_load(fd, &key, &loaded), 0);
	ck_assert_uint_eq(loaded.len, prog.len);
	ck_assert_int_eq(memcmp(loaded.insns, prog.insns, prog.len * sizeof(*prog.insns)), 0);
	char path[256];
	cache_file(path, sizeof(path));
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	how_program_free(&loaded);
	how_program_free(&prog);
	how_key_free(&key);
	close(fd);
	remove_dir();
}
END_TEST

/* Store, damage the file with `damage`, and expect a miss. */
static void expect_rejected(void (*damage)(const char *path))
{
	make_dir();
	int fd = how_cache_open(dir);
	struct how_key key;
	key_for("[how]\nallow = @default\n", &key);
	struct how_program prog = sample_program(), loaded = {0};
	ck_assert_int_eq(how_cache_store(fd, &key, &prog), 0);
	char path[256];
	cache_file(path, sizeof(path));
	damage(path);
	ck_assert_int_eq(how_cache_load(fd, &key, &loaded), -ENOENT);
	ck_assert_ptr_null(loaded.insns);
	how_program_free(&prog);
	how_key_free(&key);
	close(fd);
	remove_dir();
}

static void flip_last_byte(const char *path)
{
	int fd = open(path, O_RDWR);
	off_t end = lseek(fd, -1, SEEK_END);
	unsigned char c;
	ck_assert_int_eq(pread(fd, &c, 1, end), 1);
	c ^= 0x40;
	ck_assert_int_eq(pwrite(fd, &c, 1, end), 1);
	close(fd);
}

static void truncate_file(const char *path)
{
	ck_assert_int_eq(truncate(path, 100), 0);
}

static void loosen_mode(const char *path)
{
	ck_assert_int_eq(chmod(path, 0644), 0);
}

static void replace_with_symlink(const char *path)
{
	char moved[300];
	snprintf(moved, sizeof(moved), "%s.real", path);
	ck_assert_int_eq(rename(path, moved), 0);
	ck_assert_int_eq(symlink(moved, path), 0);
}

static void add_hard_link(const char *path)
{
	char other[300];
	snprintf(other, sizeof(other), "%s.link", path);
	ck_assert_int_eq(link(path, other), 0);
}

/* Same file name (same hash slot), but the key inside is another policy's. */
static void other_key_inside(const char *path)
{
	int fd = open(path, O_RDWR);
	unsigned char c;
	/* the key starts after the 32-byte header; its last bytes are policy */
	off_t at = 32 + 40;
	ck_assert_int_eq(pread(fd, &c, 1, at), 1);
	c ^= 1;
	ck_assert_int_eq(pwrite(fd, &c, 1, at), 1);
	close(fd);
}

START_TEST(a_damaged_file_is_ignored)
{
	expect_rejected(flip_last_byte);
	expect_rejected(truncate_file);
}
END_TEST

START_TEST(a_file_with_loose_permissions_is_ignored)
{
	expect_rejected(loosen_mode);
}
END_TEST

START_TEST(a_symlink_is_never_followed)
{
	expect_rejected(replace_with_symlink);
}
END_TEST

START_TEST(a_hard_linked_file_is_ignored)
{
	expect_rejected(add_hard_link);
}
END_TEST

START_TEST(a_file_for_another_key_is_ignored)
{
	expect_rejected(other_key_inside);
}
END_TEST

START_TEST(an_open_directory_is_not_trusted)
{
	make_dir();
	ck_assert_int_eq(chmod(dir, 0755), 0);
	ck_assert_int_lt(how_cache_open(dir), 0);
	ck_assert_int_eq(chmod(dir, 0700), 0);
	int fd = how_cache_open(dir);
	ck_assert_int_ge(fd, 0);
	close(fd);
	remove_dir();
}
END_TEST

START_TEST(the_cache_directory_is_created_private)
{
	make_dir();
	char sub[400];
	snprintf(sub, sizeof(sub), "%s/glovebox", dir);
	int fd = how_cache_open(sub);
	ck_assert_int_ge(fd, 0);
	struct stat st;
	ck_assert_int_eq(stat(sub, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0700);
	close(fd);
	remove_dir();
}
END_TEST

START_TEST(program_get_compiles_then_hits)
{
	make_dir();
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(load(&f, "g.ini", "[how]\nallow = @default\n"), 0);
	struct how_program a, b;
	ck_assert_int_eq(how_program_get(&f.p, dir, &a, &f.d), 0);
	ck_assert_int_eq(how_program_get(&f.p, dir, &b, &f.d), 0);
	ck_assert_uint_eq(a.len, b.len);
	ck_assert_int_eq(memcmp(a.insns, b.insns, a.len * sizeof(*a.insns)), 0);
	how_program_free(&a);
	how_program_free(&b);
	fixture_free(&f);
	remove_dir();
}
END_TEST

/* ---- the bound ---- */

static struct how_cache_entry entry(const char *name, int64_t used, bool temp)
{
	return (struct how_cache_entry){.name = (char *)name, .used = used, .temp = temp};
}

/* The names marked to drop, sorted, space separated. */
static void dropped_names(const struct how_cache_entry *v, size_t n, char *out, size_t size)
{
	out[0] = '\0';
	for (char last[64] = ""; ; ) {
		const char *next = NULL;
		for (size_t i = 0; i < n; i++)
			if (v[i].drop && strcmp(v[i].name, last) > 0 &&
			    (!next || strcmp(v[i].name, next) < 0))
				next = v[i].name;
		if (!next)
			break;
		snprintf(out + strlen(out), size - strlen(out), "%s%s", *out ? " " : "", next);
		snprintf(last, sizeof(last), "%s", next);
	}
}

#define P(c) "seccomp-000000000000000" c ".bpf"

START_TEST(a_prune_drops_the_least_recently_used_beyond_the_bound)
{
	struct how_cache_entry v[] = {entry(P("1"), 50, false), entry(P("2"), 10, false),
				      entry(P("3"), 40, false), entry(P("4"), 20, false),
				      entry(P("5"), 30, false)};
	char out[256];
	ck_assert_uint_eq(how_cache_prune_choose(v, ELEMENTSOF(v), 3, NULL, 100), 2);
	dropped_names(v, ELEMENTSOF(v), out, sizeof(out));
	ck_assert_str_eq(out, P("2") " " P("4"));
	/* within the bound: nothing */
	ck_assert_uint_eq(how_cache_prune_choose(v, ELEMENTSOF(v), 5, NULL, 100), 0);
	ck_assert_uint_eq(how_cache_prune_choose(NULL, 0, 0, NULL, 100), 0);
}
END_TEST

START_TEST(the_program_just_stored_is_never_pruned)
{
	/* its clock may lag the others' (a copied cache, a clock set back) */
	struct how_cache_entry v[] = {entry(P("1"), 50, false), entry(P("2"), 10, false),
				      entry(P("3"), 40, false)};
	char out[256];
	ck_assert_uint_eq(how_cache_prune_choose(v, ELEMENTSOF(v), 1, P("2"), 100), 2);
	dropped_names(v, ELEMENTSOF(v), out, sizeof(out));
	ck_assert_str_eq(out, P("1") " " P("3"));
}
END_TEST

START_TEST(equal_times_are_pruned_by_name)
{
	struct how_cache_entry v[] = {entry(P("3"), 7, false), entry(P("1"), 7, false),
				      entry(P("2"), 7, false)};
	char out[256];
	ck_assert_uint_eq(how_cache_prune_choose(v, ELEMENTSOF(v), 2, NULL, 100), 1);
	dropped_names(v, ELEMENTSOF(v), out, sizeof(out));
	ck_assert_str_eq(out, P("3"));
}
END_TEST

START_TEST(only_an_old_temporary_file_is_pruned_and_none_counts)
{
	const int64_t now = 10 * HOW_CACHE_TEMP_AGE;
	struct how_cache_entry v[] = {
		entry("." P("1") ".7-0.tmp", now - HOW_CACHE_TEMP_AGE - 1, true),
		entry("." P("2") ".8-0.tmp", now - 1000, true), /* a writer at work */
		entry(P("1"), 1, false), entry(P("2"), 2, false)};
	char out[256];
	ck_assert_uint_eq(how_cache_prune_choose(v, ELEMENTSOF(v), 2, NULL, now), 1);
	dropped_names(v, ELEMENTSOF(v), out, sizeof(out));
	ck_assert_str_eq(out, "." P("1") ".7-0.tmp");
}
END_TEST

/* A file named name in dir, used (atime and mtime) at t seconds. */
static void old_file(int dirfd, const char *name, time_t t)
{
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	ck_assert_int_ge(fd, 0);
	const struct timespec ts[2] = {{.tv_sec = t}, {.tv_sec = t}};
	ck_assert_int_eq(futimens(fd, ts), 0);
	close(fd);
}

static bool present(int dirfd, const char *name)
{
	return faccessat(dirfd, name, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
}

START_TEST(a_prune_unlinks_the_oldest_programs_and_nothing_else)
{
	make_dir();
	int fd = how_cache_open(dir);
	ck_assert_int_ge(fd, 0);
	char name[64];
	for (int i = 0; i < 70; i++) {
		snprintf(name, sizeof(name), "seccomp-%016x.bpf", i);
		old_file(fd, name, 1000000 + i);
	}
	old_file(fd, "notes", 1);                           /* not glovebox's */
	old_file(fd, "seccomp-00000000000000zz.bpf", 1);    /* not a program's name */
	old_file(fd, ".seccomp-0000000000000000.bpf.9-0.tmp", 1); /* a dead writer's */
	ck_assert_uint_eq(how_cache_prune(fd, "seccomp-0000000000000000.bpf", 64), 7);
	ck_assert(present(fd, "seccomp-0000000000000000.bpf")); /* just stored */
	for (int i = 1; i < 7; i++) {
		snprintf(name, sizeof(name), "seccomp-%016x.bpf", i);
		ck_assert_msg(!present(fd, name), "%s stayed", name);
	}
	for (int i = 7; i < 70; i++) {
		snprintf(name, sizeof(name), "seccomp-%016x.bpf", i);
		ck_assert_msg(present(fd, name), "%s went", name);
	}
	ck_assert(present(fd, "notes"));
	ck_assert(present(fd, "seccomp-00000000000000zz.bpf"));
	ck_assert(!present(fd, ".seccomp-0000000000000000.bpf.9-0.tmp"));
	/* at the bound, a prune removes nothing */
	ck_assert_uint_eq(how_cache_prune(fd, NULL, 64), 0);
	close(fd);
	remove_dir();
}
END_TEST

START_TEST(program_get_keeps_the_cache_within_its_bound)
{
	make_dir();
	int fd = how_cache_open(dir);
	ck_assert_int_ge(fd, 0);
	char name[64];
	for (int i = 0; i < HOW_CACHE_MAX; i++) {
		snprintf(name, sizeof(name), "seccomp-%016x.bpf", i);
		old_file(fd, name, 1000000 + i);
	}
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(load(&f, "g.ini", "[how]\nallow = @default\n"), 0);
	struct how_program a;
	ck_assert_int_eq(how_program_get(&f.p, dir, &a, &f.d), 0);
	struct how_key key;
	how_key_build(&f.p, &key);
	how_cache_file_name(&key, name, sizeof(name));
	ck_assert(present(fd, name));
	ck_assert(!present(fd, "seccomp-0000000000000000.bpf")); /* the oldest */
	ck_assert_uint_eq(how_cache_prune(fd, NULL, HOW_CACHE_MAX), 0);
	how_key_free(&key);
	how_program_free(&a);
	fixture_free(&f);
	close(fd);
	remove_dir();
}
END_TEST

RUN_SUITE("cache", equal_policies_have_equal_keys, every_input_changes_the_key,
	  the_key_is_the_running_builds, every_build_input_changes_the_key,
	  a_build_without_an_id_is_not_cached,
	  a_stored_program_loads_back, a_damaged_file_is_ignored,
	  a_file_with_loose_permissions_is_ignored, a_symlink_is_never_followed,
	  a_hard_linked_file_is_ignored, a_file_for_another_key_is_ignored,
	  an_open_directory_is_not_trusted, the_cache_directory_is_created_private,
	  program_get_compiles_then_hits,
	  a_prune_drops_the_least_recently_used_beyond_the_bound,
	  the_program_just_stored_is_never_pruned, equal_times_are_pruned_by_name,
	  only_an_old_temporary_file_is_pruned_and_none_counts,
	  a_prune_unlinks_the_oldest_programs_and_nothing_else,
	  program_get_keeps_the_cache_within_its_bound)
