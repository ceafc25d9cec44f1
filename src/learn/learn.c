/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* glovebox learn around the launch: the kernel check, the filter, and the
 * learned profile written (and merged) atomically. */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <sys/stat.h>

#include "how/syscalls.h"
#include "learn/learn.h"

int learn_check_kernel(struct diag *d)
{
	char buf[256] = {0};
	_cleanup_close_ int fd = open("/proc/sys/kernel/seccomp/actions_avail", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (n > 0 && strstr(buf, "user_notif"))
		return 0;
	return diag_error(d, NULL, "learn needs seccomp user notification, which this kernel "
				   "lacks (Linux 5.5 or later: /proc/sys/kernel/seccomp/actions_avail "
				   "lists user_notif)");
}

int learn_compile(const struct policy *p, struct how_program *out, struct diag *d)
{
	struct how_program watch = {0};
	learn_watch_program(&watch);
	int r = how_compile_learn(p, &watch, out, d);
	how_program_free(&watch);
	return r;
}

static void base_of(const struct policy *p, struct learn_base *b)
{
	*b = (struct learn_base){.families_restricted = p->families_restricted,
				 .families = p->families,
				 .network_off = p->network == NET_NONE};
	for (size_t i = 0; i < syscall_count; i++)
		if (how_call_allowed(p, i))
			syscall_set_add(&b->allowed, i);
}

/* The command as one line: words with blanks or control characters
 * escaped, so that the comment stays one line. */
static char *command_line(char *const *argv, size_t argc)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		oom();
	for (size_t i = 0; i < argc; i++) {
		_cleanup_free_ char *word = text_escape(argv[i]);
		for (char *s = word; *s; s++)
			if (*s == '\n' || *s == '\r')
				*s = ' ';
		fprintf(f, "%s%s", i ? " " : "", word);
	}
	if (fclose(f) != 0)
		oom();
	return text;
}

/* --merge: the findings OUT holds. A missing OUT is a first run. */
static int read_earlier(const char *out, struct learn_record *r, struct diag *d)
{
	FILE *f = fopen(out, "re");
	if (!f)
		return errno == ENOENT ? 0 : diag_error(d, NULL, "%s: %s", out, strerror(errno));
	_cleanup_free_ char *text = NULL;
	size_t cap = 0;
	/* the whole file: a profile holds no NUL */
	ssize_t n = getdelim(&text, &cap, '\0', f);
	int err = ferror(f) ? errno : 0;
	fclose(f);
	if (err)
		return diag_error(d, NULL, "%s: %s", out, strerror(err));
	if (n <= 0 || learn_record_parse(text, r) < 0)
		return diag_error(d, NULL, "%s: not a profile glovebox learn wrote (--merge adds to "
					   "those only)",
				  out);
	return 0;
}

/* Whether name, as -p takes it, is OUT itself: learning again on top of
 * the learned profile must not make it include itself. */
static bool is_file(const char *name, const char *out)
{
	struct stat a, b;
	return stat(name, &a) == 0 && stat(out, &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

/* A temporary file beside OUT, renamed over it: a reader sees the old
 * profile or the new one, never half of one. */
static int write_profile(const char *out, const char *text, struct diag *d)
{
	const struct write_part part = {text, strlen(text)};
	int r = write_atomically(AT_FDCWD, out, &part, 1, 0644, WRITE_EXACT_MODE | WRITE_SYNC);
	return r < 0 ? diag_error(d, NULL, "%s: %s", out, strerror(-r)) : 0;
}

int learn_write(struct learner *l, const struct policy *base, const struct strv *profiles,
		char *const *argv, size_t argc, const char *out, bool merge, struct diag *d)
{
	struct learn_record *r = learner_record(l);
	struct learn_record earlier = {0};
	if (merge && read_earlier(out, &earlier, d) < 0) {
		learn_record_free(&earlier);
		return -1;
	}
	/* earlier findings first, in their order */
	struct strv includes = earlier.includes, runs = earlier.runs;
	earlier.includes = earlier.runs = (struct strv){0};
	for (size_t i = 0; i < profiles->n; i++) {
		if (is_file(profiles->v[i], out))
			continue;
		/* a file by its whole path: OUT may lie elsewhere */
		_cleanup_free_ char *full =
			strchr(profiles->v[i], '/') ? realpath(profiles->v[i], NULL) : NULL;
		const char *name = full ? full : profiles->v[i];
		if (!strv_contains(&includes, name))
			strv_add(&includes, name);
	}
	if (!includes.n)
		strv_add(&includes, "default");
	strv_push(&runs, command_line(argv, argc));
	strv_free(&r->includes);
	strv_free(&r->runs);
	r->includes = includes;
	r->runs = runs;
	r->kept = earlier.kept;
	r->families |= earlier.families;
	for (size_t i = 0; i < earlier.n_ioctls; i++)
		learn_add_ioctl(r, earlier.ioctls[i]);
	for (size_t i = 0; i < earlier.n_files; i++)
		learn_add_file(r, earlier.files[i].path, earlier.files[i].write);
	learn_record_free(&earlier);

	struct learn_base b;
	base_of(base, &b);
	_cleanup_free_ char *text = learn_profile_text(r, &b);
	if (write_profile(out, text, d) < 0)
		return -1;
	_cleanup_free_ char *shown = text_escape(out);
	fprintf(stderr, "glovebox: learned profile written to %s: review it, then glovebox -p %s "
			"-- COMMAND\n",
		shown, shown);
	return 0;
}
