/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What each of bubblewrap's options does to the policy and the request:
 * the functions the option table (options.c) names. */
#include "bwrap/parse-internal.h"

#include <fcntl.h>
#include <stdarg.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdio.h>
#include <sys/stat.h>

#include "policy/appliers.h"
#include "policy/values.h"

int bw_fail(struct bw *s, const struct bw_option *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	_cleanup_free_ char *msg = NULL;
	if (vasprintf(&msg, fmt, ap) < 0)
		oom();
	va_end(ap);
	/* bwrap's own words: "bwrap: --bind: ...", no "command line:" */
	if (o)
		return diag_error(s->d, NULL, "%s: %s", o->name, msg);
	return diag_error(s->d, NULL, "%s", msg);
}

/* ---- values ---- */

int bw_parse_fd(struct bw *s, const struct bw_option *o _unused_, const char *v, int *fd)
{
	uint64_t n;
	if (parse_u64(v, &n) < 0 || n > INT32_MAX)
		return bw_fail(s, NULL, "Invalid fd: %s", v); /* bwrap's words, without the option */
	*fd = (int)n;
	return 0;
}

/* All of a descriptor's content, then the descriptor closed, as bwrap
 * does with what it reads. NUL bytes stay (--args splits at them). */
int bw_read_fd(struct bw *s, const struct bw_option *o, int fd, char **out, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = xmalloc(cap);
	for (;;) {
		if (n + 1 >= cap)
			buf = xreallocarray(buf, cap *= 2, 1);
		ssize_t k = read(fd, buf + n, cap - 1 - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			int err = errno;
			free(buf);
			/* -1 said here: its callers' analysis cannot see into bw_fail */
			(void)bw_fail(s, o, "descriptor %d: %s", fd, strerror(err));
			return -1;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	buf[n] = '\0';
	close(fd);
	*APPEND(s->r->consumed, s->r->n_consumed) = fd;
	*out = buf;
	*len = n;
	return 0;
}

/* Messages in bwrap's words, without glovebox's "command line: --X". */
int bw_take_dest(struct bw *s, const struct bw_option *o _unused_, const char *in, char **out)
{
	return normalize_dest(in, out, s->d, NULL);
}

struct mount_op *bw_add_mount(struct bw *s, const struct bw_option *o, enum mount_kind kind,
			      char *dest)
{
	struct origin org = origin_of(o);
	struct mount_op *m = policy_add_mount(s->p, kind, &org);
	m->dest = dest;
	/* bwrap makes the missing directories above these 0700 (above a
	 * tmpfs, a dir or a file 0755) */
	static const enum mount_kind private_parents[] = {
		MOUNT_BIND, MOUNT_RO_BIND, MOUNT_DEV_BIND, MOUNT_SYMLINK,
		MOUNT_PROC, MOUNT_DEV, MOUNT_MQUEUE,
	};
	for (size_t i = 0; i < ELEMENTSOF(private_parents); i++)
		if (kind == private_parents[i])
			m->flags |= MOUNT_F_PRIVATE_PARENTS;
	return m;
}

/* The mode of something the option creates: --perms, else bwrap's own
 * default for it. */
uint32_t bw_mode_for(struct bw *s, uint32_t fallback)
{
	return s->perms_by ? s->perms : fallback;
}

/* ---- mounts ---- */

int bw_bind(struct bw *s, const struct bw_option *o, char **a)
{
	char *dest;
	if (!*a[0])
		return bw_fail(s, o, "empty source path");
	if (bw_take_dest(s, o, a[1], &dest) < 0)
		return -1;
	struct mount_op *m = bw_add_mount(s, o, (enum mount_kind)(o->data & 0xff), dest);
	m->flags |= (unsigned)(o->data >> 8);
	m->src = xstrdup(a[0]);
	return 0;
}

/* --tmpfs, --proc, --dev, --mqueue, --dir, --remount-ro: a destination. */
int bw_dest(struct bw *s, const struct bw_option *o, char **a)
{
	enum mount_kind kind = (enum mount_kind)o->data;
	char *dest;
	if (bw_take_dest(s, o, a[0], &dest) < 0)
		return -1;
	if (streq(dest, "/") && kind != MOUNT_REMOUNT_RO) {
		free(dest);
		return bw_fail(s, o, "cannot mount over / itself");
	}
	struct mount_op *m = bw_add_mount(s, o, kind, dest);
	/* bwrap makes both 0755 (a tmpfs is not the 1777 of a /tmp) */
	if (kind == MOUNT_TMPFS || kind == MOUNT_DIR)
		m->mode = bw_mode_for(s, 0755);
	if (kind == MOUNT_TMPFS && s->size_given)
		m->size = s->size;
	return 0;
}

/* --file FD DEST (0666), --bind-data and --ro-bind-data FD DEST (0600):
 * the content read now, into a file of the sandbox's own mounted at DEST;
 * writable for --bind-data, read-only for the others. */
int bw_data(struct bw *s, const struct bw_option *o, char **a)
{
	int fd = -1;
	char *dest, *content;
	size_t len;
	if (bw_parse_fd(s, o, a[0], &fd) < 0 || bw_take_dest(s, o, a[1], &dest) < 0)
		return -1;
	if (bw_read_fd(s, o, fd, &content, &len) < 0) {
		free(dest);
		return -1;
	}
	struct mount_op *m = bw_add_mount(s, o, MOUNT_FILE, dest);
	m->len = len; /* binary content too: Flatpak's /etc/ld.so.cache */
	if (o->flags & BW_DATA_BIND) /* a bind of data, as bwrap sees it */
		m->flags |= MOUNT_F_PRIVATE_PARENTS;
	if (o->flags & BW_WRITABLE)
		m->flags |= MOUNT_F_WRITABLE;
	m->src = content;
	m->mode = bw_mode_for(s, (uint32_t)o->data);
	return 0;
}

/* --bind-fd and --ro-bind-fd FD DEST: what the descriptor names, bound
 * as it is (pid 1 holds the descriptor too, a copy of glovebox's). Not the
 * command's: the caller gave it for the bind. */
int bw_bind_fd(struct bw *s, const struct bw_option *o, char **a)
{
	int fd = -1;
	char *dest;
	if (bw_parse_fd(s, o, a[0], &fd) < 0 || bw_take_dest(s, o, a[1], &dest) < 0)
		return -1;
	struct mount_op *m = bw_add_mount(s, o, (enum mount_kind)o->data, dest);
	m->src = xasprintf("/proc/self/fd/%d", fd);
	*APPEND(s->r->consumed, s->r->n_consumed) = fd;
	return 0;
}

int bw_symlink(struct bw *s, const struct bw_option *o, char **a)
{
	char *dest;
	if (!*a[0])
		return bw_fail(s, o, "empty symlink target");
	if (bw_take_dest(s, o, a[1], &dest) < 0)
		return -1;
	bw_add_mount(s, o, MOUNT_SYMLINK, dest)->src = xstrdup(a[0]);
	return 0;
}

int bw_chmod(struct bw *s, const struct bw_option *o, char **a)
{
	uint32_t mode;
	char *dest;
	if (parse_mode(a[0], &mode) < 0 || mode > 07777)
		return bw_fail(s, o, "%s: the mode is octal, 07777 at most", a[0]);
	if (bw_take_dest(s, o, a[1], &dest) < 0)
		return -1;
	bw_add_mount(s, o, MOUNT_CHMOD, dest)->mode = mode;
	return 0;
}

int bw_perms(struct bw *s, const struct bw_option *o, char **a)
{
	if (parse_mode(a[0], &s->perms) < 0 || s->perms > 07777)
		return bw_fail(s, o, "--perms takes an octal argument <= 07777");
	s->perms_by = o->name;
	return 0;
}

int bw_size(struct bw *s, const struct bw_option *o, char **a)
{
	if (parse_size(a[0], &s->size) < 0 || s->size == 0)
		return bw_fail(s, o, "--size takes a non-zero number of bytes");
	s->size_given = true;
	return 0;
}

/* ---- namespaces and identity ---- */

int bw_unshare(struct bw *s, const struct bw_option *o, char **a _unused_)
{
	s->unshare |= (unsigned long)o->data;
	/* --userns refuses them by the name that means each ("--unshare-all"
	 * means --unshare-user-try); --unshare-user wins over the try form */
	if ((o->flags & BW_USER) || ((o->flags & BW_USER_TRY) && !s->user_by))
		s->user_by = o->flags & BW_USER ? "--unshare-user" : "--unshare-user-try";
	return 0;
}

int bw_share_net(struct bw *s, const struct bw_option *o _unused_, char **a _unused_)
{
	s->unshare &= ~(unsigned long)CLONE_NEWNET;
	return 0;
}

int bw_id(struct bw *s, const struct bw_option *o, char **a)
{
	uint64_t v;
	if (parse_u64(a[0], &v) < 0 || v >= UINT32_MAX)
		return bw_fail(s, o, "%s: not a valid %s", a[0], o->data ? "gid" : "uid");
	if (o->data) {
		s->p->bwrap.gid = (gid_t)v;
		s->gid_given = true;
	} else {
		s->p->bwrap.uid = (uid_t)v;
		s->uid_given = true;
	}
	return 0;
}

int bw_hostname(struct bw *s, const struct bw_option *o, char **a)
{
	static const struct gb_option row = {.cli = "hostname"};
	struct origin org = origin_of(o);
	return apply_hostname(s->p, &row, a, 1, &org, s->d);
}

int bw_chdir(struct bw *s, const struct bw_option *o, char **a)
{
	char *dir;
	if (bw_take_dest(s, o, a[0], &dir) < 0)
		return -1;
	free(s->p->chdir);
	s->p->chdir = dir;
	s->p->chdir_s = (struct setting){true, origin_of(o)};
	return 0;
}

/* bwrap changes its own environment as it reads the options: --clearenv
 * forgets the --setenv before it. */
int bw_clearenv(struct bw *s, const struct bw_option *o, char **a _unused_)
{
	for (size_t i = 0; i < s->p->n_env_ops; i++) {
		free(s->p->env_ops[i].name);
		free(s->p->env_ops[i].value);
	}
	s->p->n_env_ops = 0;
	s->p->env_clear = true;
	s->p->env_clear_s = (struct setting){true, origin_of(o)};
	return 0;
}

int bw_env(struct bw *s, const struct bw_option *o, char **a)
{
	struct origin org = origin_of(o);
	if (!*a[0] || strchr(a[0], '='))
		return bw_fail(s, o, "%s: not a variable name", a[0]);
	struct env_op *e = policy_add_env(s->p, (enum env_op_kind)o->data, &org);
	e->name = xstrdup(a[0]);
	if (o->data == ENV_SET)
		e->value = xstrdup(a[1]);
	return 0;
}

/* bwrap starts from root's own capabilities when root runs it, from none
 * otherwise; ALL is every capability the kernel knows. */
int bw_caps(struct bw *s, const struct bw_option *o, char **a)
{
	uint64_t all = (UINT64_C(2) << CAP_LAST_CAP) - 1;
	uint64_t bits = all;
	if (!streq(a[0], "ALL")) {
		int c = parse_capability(a[0]);
		if (c < 0 || c > CAP_LAST_CAP)
			return bw_fail(s, o, "%s: unknown capability", a[0]);
		bits = UINT64_C(1) << c;
	}
	if (!s->caps_touched)
		s->caps = s->caller->uid == 0 ? s->caller->bounding & all : 0;
	s->caps_touched = true;
	s->caps = o->data ? s->caps | bits : s->caps & ~bits;
	return 0;
}

/* ---- descriptors and the launcher ---- */

int bw_fd(struct bw *s, const struct bw_option *o, char **a)
{
	int *fds[] = {&s->r->info_fd, &s->r->json_fd,	 &s->r->block_fd,   &s->r->sync_fd,
		      &s->r->userns_fd, &s->r->pidns_fd, &s->r->userns2_fd, &s->r->userns_block_fd};
	int *fd = fds[o->data];
	/* bwrap's warning, word for word; the option's name is the table's */
	if (*fd >= 0)
		fprintf(s->d->out, "%sOnly the last %s option will take effect\n", s->d->prefix,
			o->name);
	return bw_parse_fd(s, o, a[0], fd);
}

/* --seccomp (once) and --add-seccomp-fd: a classic BPF program, as an
 * array of struct sock_filter, read now. */
int bw_seccomp(struct bw *s, const struct bw_option *o, char **a)
{
	int fd = -1;
	struct how_program prog;
	if (bw_parse_fd(s, o, a[0], &fd) < 0)
		return -1;
	if (o->data == 0 && s->seccomp_given)
		return bw_fail(s, o, "--seccomp cannot be repeated");
	s->seccomp_given |= o->data == 0;
	int r = how_program_read(fd, &prog);
	if (r == -EINVAL || r == -E2BIG)
		return bw_fail(s, o, "descriptor %d: not a seccomp program", fd);
	if (r < 0)
		return bw_fail(s, o, "descriptor %d: %s", fd, strerror(-r));
	close(fd);
	*APPEND(s->r->consumed, s->r->n_consumed) = fd;
	*APPEND(s->r->seccomp, s->r->n_seccomp) = prog;
	return 0;
}

int bw_flag(struct bw *s, const struct bw_option *o, char **a _unused_)
{
	bool *flags[] = {&s->r->die_with_parent, &s->r->new_session, &s->r->level_prefix,
			 &s->r->assert_userns_disabled, &s->r->as_pid_1};
	*flags[o->data] = true;
	return 0;
}

int bw_lock_file(struct bw *s, const struct bw_option *o, char **a)
{
	char *dest;
	if (bw_take_dest(s, o, a[0], &dest) < 0)
		return -1;
	strv_push(&s->r->lock_files, dest);
	return 0;
}

int bw_argv0(struct bw *s, const struct bw_option *o _unused_, char **a)
{
	free(s->r->argv0);
	s->r->argv0 = xstrdup(a[0]);
	return 0;
}

int bw_help(struct bw *s, const struct bw_option *o, char **a _unused_)
{
	*(o->data ? &s->r->version : &s->r->help) = true;
	return 0;
}

/* --exec-label and --file-label: a bwrap built without SELinux refuses
 * them ("labeling not supported on this system"), and so does glovebox,
 * which sets no labels; with SELinux on they would be a promise broken. */
int bw_label(struct bw *s, const struct bw_option *o, char **a _unused_)
{
	return bw_fail(s, NULL, "%s is not supported by glovebox: %s", o->name,
		    s->caller->selinux ? "it sets no SELinux labels, and SELinux is on here"
				       : "it sets no SELinux labels (labeling not supported "
					 "on this system)");
}

/* --overlay-src SRC, repeated: the lower layers of the next overlay, each
 * above the ones before it. */
int bw_overlay_src(struct bw *s, const struct bw_option *o, char **a)
{
	if (!*a[0])
		return bw_fail(s, o, "empty source path");
	strv_add(&s->overlay_srcs, a[0]); /* a word of --args is freed before it is used */
	return 0;
}

/* --tmp-overlay DEST (a writable layer that vanishes with the sandbox),
 * --overlay RWSRC WORKDIR DEST (changes kept in RWSRC on the host) and
 * --ro-overlay DEST (nothing written; overlayfs needs two layers then):
 * the --overlay-src layers given before, read-only below. */
int bw_overlay(struct bw *s, const struct bw_option *o, char **a)
{
	enum mount_kind kind = (enum mount_kind)o->data;
	size_t least = kind == MOUNT_RO_OVERLAY ? 2 : 1;
	char *dest;
	if (s->overlay_srcs.n < least)
		return bw_fail(s, NULL, "%s requires at least %s --overlay-src", o->name,
			       least == 1 ? "one" : "two");
	if (bw_take_dest(s, o, a[o->nargs - 1], &dest) < 0)
		return -1;
	if (streq(dest, "/")) {
		free(dest);
		return bw_fail(s, o, "cannot mount over / itself");
	}
	struct origin org = origin_of(o);
	struct mount_op *m = policy_add_layered_overlay(s->p, kind, &s->overlay_srcs, dest, &org);
	if (kind == MOUNT_OVERLAY) {
		m->aux = xstrdup(a[0]);
		m->work = xstrdup(a[1]);
	}
	return 0;
}

/* --disable-userns: the command and what it starts cannot make user
 * namespaces (a filter of glovebox's own, see run.c). */
int bw_disable_userns(struct bw *s, const struct bw_option *o _unused_, char **a _unused_)
{
	s->disable_userns = true;
	s->r->userns_disabled = true;
	return 0;
}
