/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "learn/record.h"

#include <ctype.h>
#include <stdio.h>
#include <sys/socket.h>

#include "how/constants.h"

#define MARK "# glovebox-learn 1"

void learn_record_free(struct learn_record *r)
{
	free(r->ioctls);
	for (size_t i = 0; i < r->n_files; i++)
		free(r->files[i].path);
	free(r->files);
	strv_free(&r->includes);
	strv_free(&r->runs);
	*r = (struct learn_record){0};
}

void learn_add_ioctl(struct learn_record *r, uint32_t request)
{
	for (size_t i = 0; i < r->n_ioctls; i++)
		if (r->ioctls[i] == request)
			return;
	*APPEND(r->ioctls, r->n_ioctls) = request;
}

void learn_add_file(struct learn_record *r, const char *path, bool write)
{
	for (size_t i = 0; i < r->n_files; i++)
		if (streq(r->files[i].path, path)) {
			r->files[i].write |= write;
			return;
		}
	*APPEND(r->files, r->n_files) = (struct learn_file){xstrdup(path), write};
}

bool learn_path_writable(const char *path)
{
	if (path[0] != '/')
		return false;
	for (const char *s = path; *s; s++)
		if (iscntrl((unsigned char)*s) || isspace((unsigned char)*s) || *s == '$' ||
		    *s == '#' || *s == ';')
			return false;
	return true;
}

/* ---- which calls, and which groups ---- */

static bool set_subset(const syscall_set *a, const syscall_set *b)
{
	for (size_t w = 0; w < SYSCALL_SET_WORDS; w++)
		if (a->w[w] & ~b->w[w])
			return false;
	return true;
}

static unsigned set_count(const syscall_set *s)
{
	unsigned n = 0;
	for (size_t w = 0; w < SYSCALL_SET_WORDS; w++)
		n += (unsigned)__builtin_popcountll(s->w[w]);
	return n;
}

/* A group's calls that exist here: the others can neither be used nor
 * matter. */
static syscall_set native_members(const char *group)
{
	syscall_set all = {0}, out = {0};
	(void)syscall_resolve(group, &all);
	for (size_t i = 0; i < syscall_count; i++)
		if (syscall_set_has(&all, i) && syscall_native_nr(i) >= 0)
			syscall_set_add(&out, i);
	return out;
}

/* The calls the profile must allow: those the command made that BASE
 * does not allow, and what an earlier run needed. */
static syscall_set needed_calls(const struct learn_record *r, const struct learn_base *b)
{
	syscall_set need = r->kept;
	for (size_t i = 0; i < syscall_count; i++)
		if (syscall_set_has(&r->calls, i) && !syscall_set_has(&b->allowed, i) &&
		    !syscall_is_always_allowed(i))
			syscall_set_add(&need, i);
	return need;
}

/* Groups that name more than what they group: never offered. */
static bool group_offered(const char *name, const syscall_set *privileged)
{
	static const char *const never[] = {"@known", "@privileged", "@system-service", "@build",
					    "@io-uring", "@obsolete"};
	for (size_t i = 0; i < ELEMENTSOF(never); i++)
		if (streq(name, never[i]))
			return false;
	syscall_set m = native_members(name);
	for (size_t w = 0; w < SYSCALL_SET_WORDS; w++)
		if (m.w[w] & privileged->w[w])
			return false;
	return true;
}

/* A group is written in place of its calls when every call in it was
 * either used or already allowed (so it allows exactly what was used),
 * it stands for two needed calls or more, and it holds nothing
 * privileged. Larger groups first, so that one line says the most. */
static size_t pick_groups(const struct learn_base *b, syscall_set *need, const char **out)
{
	syscall_set privileged = native_members("@privileged");
	bool *done = xcalloc(syscall_group_count, sizeof(*done));
	size_t n = 0;
	for (;;) {
		size_t best = SIZE_MAX;
		unsigned best_size = 0;
		for (size_t g = 0; g < syscall_group_count; g++) {
			if (done[g] || !group_offered(syscall_groups[g].name, &privileged))
				continue;
			syscall_set m = native_members(syscall_groups[g].name), covered = *need, hit;
			for (size_t w = 0; w < SYSCALL_SET_WORDS; w++) {
				covered.w[w] |= b->allowed.w[w];
				hit.w[w] = m.w[w] & need->w[w];
			}
			if (set_subset(&m, &covered) && set_count(&hit) >= 2 &&
			    set_count(&m) > best_size) {
				best = g;
				best_size = set_count(&m);
			}
		}
		if (best == SIZE_MAX)
			break;
		done[best] = true;
		out[n++] = syscall_groups[best].name;
		syscall_set m = native_members(syscall_groups[best].name);
		for (size_t w = 0; w < SYSCALL_SET_WORDS; w++)
			need->w[w] &= ~m.w[w];
	}
	free(done);
	return n;
}

/* key = WORD..., wrapped into several lines of the same key (they add up). */
static void put_words(FILE *f, const char *key, const char *const *words, size_t n)
{
	size_t col = 0;
	for (size_t i = 0; i < n; i++) {
		if (col && col + 1 + strlen(words[i]) > 76) {
			fputc('\n', f);
			col = 0;
		}
		if (!col)
			col = (size_t)fprintf(f, "%s =", key);
		col += (size_t)fprintf(f, " %s", words[i]);
	}
	if (col)
		fputc('\n', f);
}

static void put_how_allow(FILE *f, const struct learn_record *r, const struct learn_base *b)
{
	syscall_set need = needed_calls(r, b);
	if (!set_count(&need)) {
		fputs("# BASE allowed every system call the command made.\n", f);
		return;
	}
	const char **words = xcalloc(syscall_group_count + syscall_count, sizeof(*words));
	size_t n = pick_groups(b, &need, words);
	for (size_t i = 0; i < syscall_count; i++)
		if (syscall_set_has(&need, i))
			words[n++] = syscall_table[i].name;
	fputs("# System calls BASE refused and the command made (a group stands for its\n"
	      "# calls when each was made or BASE allowed it already):\n",
	      f);
	put_words(f, "allow", words, n);
	free(words);
}

/* ---- socket families and ioctls ---- */

static const char *family_name(unsigned family)
{
	for (size_t i = 0; i < named_const_count; i++)
		if (named_consts[i].kind == CONST_FAMILY && named_consts[i].value == family)
			return named_consts[i].alias ? named_consts[i].alias : named_consts[i].name;
	return NULL;
}

static void put_families(FILE *f, const struct learn_record *r, const struct learn_base *b)
{
	if (!r->families)
		return;
	uint64_t all = b->families_restricted ? b->families | r->families : r->families;
	const char *words[64];
	size_t n = 0;
	for (unsigned fam = 0; fam < 64; fam++)
		if ((all >> fam) & 1) {
			const char *name = family_name(fam);
			if (name)
				words[n++] = name;
		}
	fputs("# Socket families used:", f);
	for (unsigned fam = 0; fam < 64; fam++)
		if ((r->families >> fam) & 1)
			fprintf(f, " %s", family_name(fam) ? family_name(fam) : "?");
	fputs(b->families_restricted ? "\n" : " (BASE allows every family)\n", f);
	if (b->families_restricted && r->families & ~b->families) {
		fputs("# BASE's socket families and those:\n", f);
		put_words(f, "socket-families", words, n);
	}
}

static void put_ioctls(FILE *f, const struct learn_record *r)
{
	if (!r->n_ioctls)
		return;
	fputs("# ioctl requests made (for review; ioctl-deny can refuse others):\n", f);
	for (size_t i = 0; i < r->n_ioctls; i++) {
		const char *name = const_name(r->ioctls[i], CONST_IOCTL);
		fprintf(f, "#   %#x%s%s\n", r->ioctls[i], name ? " " : "", name ? name : "");
	}
}

/* ---- the profile ---- */

static bool uses_inet(const struct learn_record *r)
{
	return (r->families >> AF_INET) & 1 || (r->families >> AF_INET6) & 1;
}

static void put_where(FILE *f, const struct learn_record *r, const struct learn_base *b)
{
	bool any = r->n_files || (uses_inet(r) && b->network_off);
	if (!any)
		return;
	fputs("\n[where]\n", f);
	if (r->n_files)
		fputs("# Opened or run, absent under BASE, present on this host (read-only\n"
		      "# unless opened for writing):\n",
		      f);
	for (size_t i = 0; i < r->n_files; i++)
		fprintf(f, "%s = %s\n", r->files[i].write ? "bind" : "ro-bind", r->files[i].path);
	if (uses_inet(r) && b->network_off)
		fputs("# The command used inet sockets, which BASE's network = none cuts off:\n"
		      "network = host\n",
		      f);
}

static void put_block(FILE *f, const struct learn_record *r, const struct learn_base *b)
{
	fputs("\n# What glovebox learn found, for --merge (edit the settings above, not these):\n"
	      MARK "\n",
	      f);
	for (size_t i = 0; i < r->includes.n; i++)
		fprintf(f, "# learn-include %s\n", r->includes.v[i]);
	for (size_t i = 0; i < r->runs.n; i++)
		fprintf(f, "# learn-run %s\n", r->runs.v[i]);
	syscall_set need = needed_calls(r, b);
	for (size_t i = 0; i < syscall_count; i++)
		if (syscall_set_has(&need, i))
			fprintf(f, "# learn-call %s\n", syscall_table[i].name);
	for (unsigned fam = 0; fam < 64; fam++)
		if ((r->families >> fam) & 1)
			fprintf(f, "# learn-family %u\n", fam);
	for (size_t i = 0; i < r->n_ioctls; i++)
		fprintf(f, "# learn-ioctl %#x\n", r->ioctls[i]);
	for (size_t i = 0; i < r->n_files; i++)
		fprintf(f, "# learn-%s %s\n", r->files[i].write ? "write" : "read", r->files[i].path);
}

char *learn_profile_text(const struct learn_record *r, const struct learn_base *b)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		oom();
	fputs("# Learned by glovebox learn: what the command below used beyond BASE.\n"
	      "# Review it before use: each line allows something the command did while\n"
	      "# it was watched, whether or not it should have.\n",
	      f);
	for (size_t i = 0; i < r->runs.n; i++)
		fprintf(f, "#   %s\n", r->runs.v[i]);
	fputs("\n[profile]\n", f);
	fputs("description = Learned by glovebox learn\n", f);
	put_words(f, "include", (const char *const *)r->includes.v, r->includes.n);
	put_where(f, r, b);
	fputs("\n[how]\n", f);
	put_how_allow(f, r, b);
	put_families(f, r, b);
	put_ioctls(f, r);
	put_block(f, r, b);
	if (fclose(f) != 0 || !text)
		oom();
	return text;
}

/* ---- reading a learned profile back ---- */

static void parse_line(const char *key, const char *value, struct learn_record *r)
{
	uint64_t v;
	if (streq(key, "include") && !strv_contains(&r->includes, value)) {
		strv_add(&r->includes, value);
	} else if (streq(key, "run")) {
		strv_add(&r->runs, value);
	} else if (streq(key, "call")) {
		int i = syscall_lookup(value);
		if (i >= 0)
			syscall_set_add(&r->kept, (size_t)i);
	} else if (streq(key, "family") && parse_u64(value, &v) == 0 && v < 64) {
		r->families |= UINT64_C(1) << v;
	} else if (streq(key, "ioctl")) {
		char *end;
		errno = 0;
		unsigned long long n = strtoull(value, &end, 0);
		if (!errno && !*end && n <= UINT32_MAX)
			learn_add_ioctl(r, (uint32_t)n);
	} else if ((streq(key, "read") || streq(key, "write")) && learn_path_writable(value)) {
		learn_add_file(r, value, streq(key, "write"));
	}
}

int learn_record_parse(const char *text, struct learn_record *r)
{
	const char *mark = strstr(text, "\n" MARK "\n");
	if (!mark)
		return -1;
	_cleanup_free_ char *copy = xstrdup(mark + 1);
	char *save = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!str_startswith(line, "# learn-"))
			continue;
		char *key = line + strlen("# learn-");
		char *sp = strchr(key, ' ');
		if (!sp)
			continue;
		*sp = '\0';
		parse_line(key, sp + 1, r);
	}
	return 0;
}
