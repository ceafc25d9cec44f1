/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bubblewrap's command line, read through one table: each row is an
 * option, its argument count, the function that applies it and its help
 * line. The facts about bwrap's meaning come from its manual and from
 * running bwrap 0.8; the tests compare the two. */
#include "bwrap/bwrap.h"

#include <fcntl.h>
#include <stdarg.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdio.h>
#include <sys/stat.h>

#include "config.h"
#include "policy/appliers.h"
#include "policy/values.h"

/* --args nests: a file's options may hold another --args. */
#define ARGS_MAX_DEPTH 16

/* What applies to the next option only, and what is decided once every
 * option is read. */
struct bw {
	struct policy *p;
	struct bwrap_request *r;
	struct diag *d;
	const struct bwrap_caller *caller;
	const char *perms_by; /* --perms was given and not yet used */
	uint32_t perms;
	bool size_given;
	uint64_t size;
	unsigned long unshare; /* CLONE_NEW* asked for, net included */
	bool uid_given, gid_given;
	uint64_t caps;
	bool caps_touched;
	bool seccomp_given;
	char *overlay_src; /* --overlay-src given, for the next overlay */
	bool disable_userns;
	int depth;
};

struct bw_option;
typedef int (*bw_apply_fn)(struct bw *s, const struct bw_option *o, char **a);

/* The option takes what --perms or --size set before it. */
#define BW_PERMS 0x1u
#define BW_SIZE  0x2u
#define BW_DATA_BIND 0x4u /* --bind-data, --ro-bind-data: the file is a bind mount */
#define BW_WRITABLE  0x8u /* the sandbox may write to it */
#define BW_OVERLAY   0x10u /* takes what --overlay-src gave */

struct bw_option {
	const char *name;
	unsigned nargs;
	bw_apply_fn apply;
	intptr_t data;
	unsigned flags;
	const char *metavar;
	const char *help;
};

static struct origin origin_of(const struct bw_option *o)
{
	return (struct origin){.key = o->name};
}

static int fail(struct bw *s, const struct bw_option *o, const char *fmt, ...) _printf_(3, 4);
static int fail(struct bw *s, const struct bw_option *o, const char *fmt, ...)
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

static int parse_fd(struct bw *s, const struct bw_option *o, const char *v, int *fd)
{
	uint64_t n;
	if (parse_u64(v, &n) < 0 || n > INT32_MAX)
		return fail(s, o, "%s: not a descriptor number", v);
	*fd = (int)n;
	return 0;
}

/* All of a descriptor's content, then the descriptor closed, as bwrap
 * does with what it reads. NUL bytes stay (--args splits at them). */
static int read_fd(struct bw *s, const struct bw_option *o, int fd, char **out, size_t *len)
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
			return fail(s, o, "descriptor %d: %s", fd, strerror(err));
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
static int take_dest(struct bw *s, const struct bw_option *o _unused_, const char *in, char **out)
{
	return normalize_dest(in, out, s->d, NULL);
}

static struct mount_op *add_mount(struct bw *s, const struct bw_option *o, enum mount_kind kind,
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
static uint32_t mode_for(struct bw *s, uint32_t fallback)
{
	return s->perms_by ? s->perms : fallback;
}

/* ---- mounts ---- */

static int bw_bind(struct bw *s, const struct bw_option *o, char **a)
{
	char *dest;
	if (!*a[0])
		return fail(s, o, "empty source path");
	if (take_dest(s, o, a[1], &dest) < 0)
		return -1;
	struct mount_op *m = add_mount(s, o, (enum mount_kind)(o->data & 0xff), dest);
	m->flags |= (unsigned)(o->data >> 8);
	m->src = xstrdup(a[0]);
	return 0;
}

/* --tmpfs, --proc, --dev, --mqueue, --dir, --remount-ro: a destination. */
static int bw_dest(struct bw *s, const struct bw_option *o, char **a)
{
	enum mount_kind kind = (enum mount_kind)o->data;
	char *dest;
	if (take_dest(s, o, a[0], &dest) < 0)
		return -1;
	if (streq(dest, "/") && kind != MOUNT_REMOUNT_RO) {
		free(dest);
		return fail(s, o, "cannot mount over / itself");
	}
	struct mount_op *m = add_mount(s, o, kind, dest);
	/* bwrap makes both 0755 (a tmpfs is not the 1777 of a /tmp) */
	if (kind == MOUNT_TMPFS || kind == MOUNT_DIR)
		m->mode = mode_for(s, 0755);
	if (kind == MOUNT_TMPFS && s->size_given)
		m->size = s->size;
	return 0;
}

/* --file FD DEST (0666), --bind-data and --ro-bind-data FD DEST (0600):
 * the content read now, into a file of the sandbox's own mounted at DEST;
 * writable for --bind-data, read-only for the others. */
static int bw_data(struct bw *s, const struct bw_option *o, char **a)
{
	int fd = -1;
	char *dest, *content;
	size_t len;
	if (parse_fd(s, o, a[0], &fd) < 0 || take_dest(s, o, a[1], &dest) < 0)
		return -1;
	if (read_fd(s, o, fd, &content, &len) < 0) {
		free(dest);
		return -1;
	}
	if (strlen(content) != len) {
		free(dest);
		free(content);
		return fail(s, o, "descriptor %d: content with NUL bytes is not supported by "
				  "glovebox yet", fd);
	}
	struct mount_op *m = add_mount(s, o, MOUNT_FILE, dest);
	if (o->flags & BW_DATA_BIND) /* a bind of data, as bwrap sees it */
		m->flags |= MOUNT_F_PRIVATE_PARENTS;
	if (o->flags & BW_WRITABLE)
		m->flags |= MOUNT_F_WRITABLE;
	m->src = content;
	m->mode = mode_for(s, (uint32_t)o->data);
	return 0;
}

/* --bind-fd and --ro-bind-fd FD DEST: what the descriptor names, bound
 * as it is (pid 1 holds the descriptor too, a copy of glovebox's). Not the
 * command's: the caller gave it for the bind. */
static int bw_bind_fd(struct bw *s, const struct bw_option *o, char **a)
{
	int fd = -1;
	char *dest;
	if (parse_fd(s, o, a[0], &fd) < 0 || take_dest(s, o, a[1], &dest) < 0)
		return -1;
	struct mount_op *m = add_mount(s, o, (enum mount_kind)o->data, dest);
	m->src = xasprintf("/proc/self/fd/%d", fd);
	*APPEND(s->r->consumed, s->r->n_consumed) = fd;
	return 0;
}

static int bw_symlink(struct bw *s, const struct bw_option *o, char **a)
{
	char *dest;
	if (!*a[0])
		return fail(s, o, "empty symlink target");
	if (take_dest(s, o, a[1], &dest) < 0)
		return -1;
	add_mount(s, o, MOUNT_SYMLINK, dest)->src = xstrdup(a[0]);
	return 0;
}

static int bw_chmod(struct bw *s, const struct bw_option *o, char **a)
{
	uint32_t mode;
	char *dest;
	if (parse_mode(a[0], &mode) < 0 || mode > 07777)
		return fail(s, o, "%s: the mode is octal, 07777 at most", a[0]);
	if (take_dest(s, o, a[1], &dest) < 0)
		return -1;
	add_mount(s, o, MOUNT_CHMOD, dest)->mode = mode;
	return 0;
}

static int bw_perms(struct bw *s, const struct bw_option *o, char **a)
{
	if (parse_mode(a[0], &s->perms) < 0 || s->perms > 07777)
		return fail(s, o, "--perms takes an octal argument <= 07777");
	s->perms_by = o->name;
	return 0;
}

static int bw_size(struct bw *s, const struct bw_option *o, char **a)
{
	if (parse_size(a[0], &s->size) < 0 || s->size == 0)
		return fail(s, o, "--size takes a non-zero number of bytes");
	s->size_given = true;
	return 0;
}

/* ---- namespaces and identity ---- */

static int bw_unshare(struct bw *s, const struct bw_option *o, char **a _unused_)
{
	s->unshare |= (unsigned long)o->data;
	return 0;
}

static int bw_share_net(struct bw *s, const struct bw_option *o _unused_, char **a _unused_)
{
	s->unshare &= ~(unsigned long)CLONE_NEWNET;
	return 0;
}

static int bw_id(struct bw *s, const struct bw_option *o, char **a)
{
	uint64_t v;
	if (parse_u64(a[0], &v) < 0 || v >= UINT32_MAX)
		return fail(s, o, "%s: not a valid %s", a[0], o->data ? "gid" : "uid");
	if (o->data) {
		s->p->bwrap.gid = (gid_t)v;
		s->gid_given = true;
	} else {
		s->p->bwrap.uid = (uid_t)v;
		s->uid_given = true;
	}
	return 0;
}

static int bw_hostname(struct bw *s, const struct bw_option *o, char **a)
{
	static const struct gb_option row = {.cli = "hostname"};
	struct origin org = origin_of(o);
	return apply_hostname(s->p, &row, a, 1, &org, s->d);
}

static int bw_chdir(struct bw *s, const struct bw_option *o, char **a)
{
	char *dir;
	if (take_dest(s, o, a[0], &dir) < 0)
		return -1;
	free(s->p->chdir);
	s->p->chdir = dir;
	s->p->chdir_s = (struct setting){true, origin_of(o)};
	return 0;
}

/* bwrap changes its own environment as it reads the options: --clearenv
 * forgets the --setenv before it. */
static int bw_clearenv(struct bw *s, const struct bw_option *o, char **a _unused_)
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

static int bw_env(struct bw *s, const struct bw_option *o, char **a)
{
	struct origin org = origin_of(o);
	if (!*a[0] || strchr(a[0], '='))
		return fail(s, o, "%s: not a variable name", a[0]);
	struct env_op *e = policy_add_env(s->p, (enum env_op_kind)o->data, &org);
	e->name = xstrdup(a[0]);
	if (o->data == ENV_SET)
		e->value = xstrdup(a[1]);
	return 0;
}

/* bwrap starts from root's own capabilities when root runs it, from none
 * otherwise; ALL is every capability the kernel knows. */
static int bw_caps(struct bw *s, const struct bw_option *o, char **a)
{
	uint64_t all = (UINT64_C(2) << CAP_LAST_CAP) - 1;
	uint64_t bits = all;
	if (!streq(a[0], "ALL")) {
		int c = parse_capability(a[0]);
		if (c < 0 || c > CAP_LAST_CAP)
			return fail(s, o, "%s: unknown capability", a[0]);
		bits = UINT64_C(1) << c;
	}
	if (!s->caps_touched)
		s->caps = s->caller->uid == 0 ? s->caller->bounding & all : 0;
	s->caps_touched = true;
	s->caps = o->data ? s->caps | bits : s->caps & ~bits;
	return 0;
}

/* ---- descriptors and the launcher ---- */

static int bw_fd(struct bw *s, const struct bw_option *o, char **a)
{
	int *fds[] = {&s->r->info_fd, &s->r->json_fd, &s->r->block_fd, &s->r->sync_fd};
	return parse_fd(s, o, a[0], fds[o->data]);
}

/* --seccomp (once) and --add-seccomp-fd: a classic BPF program, as an
 * array of struct sock_filter, read now. */
static int bw_seccomp(struct bw *s, const struct bw_option *o, char **a)
{
	int fd = -1;
	struct how_program prog;
	if (parse_fd(s, o, a[0], &fd) < 0)
		return -1;
	if (o->data == 0 && s->seccomp_given)
		return fail(s, o, "--seccomp cannot be repeated");
	s->seccomp_given |= o->data == 0;
	int r = how_program_read(fd, &prog);
	if (r == -EINVAL || r == -E2BIG)
		return fail(s, o, "descriptor %d: not a seccomp program", fd);
	if (r < 0)
		return fail(s, o, "descriptor %d: %s", fd, strerror(-r));
	close(fd);
	*APPEND(s->r->consumed, s->r->n_consumed) = fd;
	*APPEND(s->r->seccomp, s->r->n_seccomp) = prog;
	return 0;
}

static int bw_flag(struct bw *s, const struct bw_option *o, char **a _unused_)
{
	bool *flags[] = {&s->r->die_with_parent, &s->r->new_session, &s->r->level_prefix,
			 &s->r->assert_userns_disabled, &s->r->as_pid_1};
	*flags[o->data] = true;
	return 0;
}

static int bw_lock_file(struct bw *s, const struct bw_option *o, char **a)
{
	char *dest;
	if (take_dest(s, o, a[0], &dest) < 0)
		return -1;
	strv_push(&s->r->lock_files, dest);
	return 0;
}

static int bw_argv0(struct bw *s, const struct bw_option *o _unused_, char **a)
{
	free(s->r->argv0);
	s->r->argv0 = xstrdup(a[0]);
	return 0;
}

static int bw_help(struct bw *s, const struct bw_option *o, char **a _unused_)
{
	*(o->data ? &s->r->version : &s->r->help) = true;
	return 0;
}

/* Options glovebox does not do: refused by name with the reason (the
 * row's data), never accepted silently. */
static int bw_unsupported(struct bw *s, const struct bw_option *o, char **a _unused_)
{
	/* NOLINTNEXTLINE(performance-no-int-to-ptr): the rows' data are string constants */
	const char *why = (const char *)o->data;
	return fail(s, NULL, "%s is not supported by glovebox: %s", o->name, why);
}

/* --exec-label and --file-label: a bwrap built without SELinux refuses
 * them ("labeling not supported on this system"), and so does glovebox,
 * which sets no labels; with SELinux on they would be a promise broken. */
static int bw_label(struct bw *s, const struct bw_option *o, char **a _unused_)
{
	return fail(s, NULL, "%s is not supported by glovebox: %s", o->name,
		    s->caller->selinux ? "it sets no SELinux labels, and SELinux is on here"
				       : "it sets no SELinux labels (labeling not supported "
					 "on this system)");
}

/* --overlay-src SRC, then --tmp-overlay DEST: SRC read-only below a
 * writable layer that vanishes with the sandbox. glovebox's overlays have
 * one lower layer. */
static int bw_overlay_src(struct bw *s, const struct bw_option *o, char **a)
{
	if (s->overlay_src)
		return fail(s, NULL, "several --overlay-src layers are not supported by glovebox: "
				     "its overlays have one lower layer");
	if (!*a[0])
		return fail(s, o, "empty source path");
	s->overlay_src = xstrdup(a[0]); /* a word of --args is freed before it is used */
	return 0;
}

static int bw_tmp_overlay(struct bw *s, const struct bw_option *o, char **a)
{
	char *dest;
	if (!s->overlay_src)
		return fail(s, NULL, "%s requires at least one --overlay-src", o->name);
	if (take_dest(s, o, a[0], &dest) < 0)
		return -1;
	if (streq(dest, "/")) {
		free(dest);
		return fail(s, o, "cannot mount over / itself");
	}
	add_mount(s, o, MOUNT_TMP_OVERLAY, dest)->src = steal_pointer(&s->overlay_src);
	return 0;
}

/* --disable-userns: the command and what it starts cannot make user
 * namespaces (a filter of glovebox's own, see run.c). */
static int bw_disable_userns(struct bw *s, const struct bw_option *o _unused_, char **a _unused_)
{
	s->disable_userns = true;
	s->r->userns_disabled = true;
	return 0;
}

static int bw_args(struct bw *s, const struct bw_option *o, char **a);

#define BIND(k, f) ((intptr_t)(k) | ((intptr_t)(f) << 8))

/* Why glovebox refuses what it refuses. */
#define WHY_USERNS "glovebox makes the sandbox's user namespace itself and cannot enter one " \
		   "made before"
#define WHY_PIDNS "glovebox makes the sandbox's pid namespace itself, its pid 1 builds the " \
		  "filesystem, and cannot enter one made before"
#define WHY_USERNS_BLOCK "glovebox writes the user namespace's id maps itself; nothing waits " \
			 "for the caller to write them"
#define WHY_OVERLAY "glovebox keeps an overlay's upper and work directories side by side in " \
		    "one directory (glovebox's --overlay LOWER DIR DEST)"
#define WHY_RO_OVERLAY "a read-only overlay needs two lower layers, and glovebox's overlays " \
		       "have one"

static const struct bw_option options[] = {
	{"--help", 0, bw_help, 0, 0, "", "Show this list and exit"},
	{"--version", 0, bw_help, 1, 0, "", "Show glovebox's version and exit"},
	{"--args", 1, bw_args, 0, 0, "FD", "Read more options from FD, each ended by a NUL byte"},
	{"--argv0", 1, bw_argv0, 0, 0, "VALUE", "The name the command sees as its argv[0]"},
	{"--level-prefix", 0, bw_flag, 2, 0, "", "Mark each message with its syslog level (<3> and so on)"},
	{"--unshare-all", 0, bw_unshare,
	 CLONE_NEWUSER | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWCGROUP,
	 0, "", "All the namespaces below (add --share-net to keep the network)"},
	{"--share-net", 0, bw_share_net, 0, 0, "", "Stay in the host's network namespace despite --unshare-all"},
	{"--unshare-user", 0, bw_unshare, CLONE_NEWUSER, 0, "", "A user namespace of the sandbox's own"},
	{"--unshare-user-try", 0, bw_unshare, CLONE_NEWUSER, 0, "", "A user namespace of its own where the kernel allows one"},
	{"--unshare-ipc", 0, bw_unshare, CLONE_NEWIPC, 0, "", "An IPC namespace of its own"},
	{"--unshare-pid", 0, bw_unshare, CLONE_NEWPID, 0, "", "A pid namespace of its own"},
	{"--unshare-net", 0, bw_unshare, CLONE_NEWNET, 0, "", "A network namespace of its own (loopback only)"},
	{"--unshare-uts", 0, bw_unshare, CLONE_NEWUTS, 0, "", "A UTS namespace of its own (its own host name)"},
	{"--unshare-cgroup", 0, bw_unshare, CLONE_NEWCGROUP, 0, "", "A cgroup namespace of its own"},
	{"--unshare-cgroup-try", 0, bw_unshare, CLONE_NEWCGROUP, 0, "", "A cgroup namespace of its own where the kernel has them"},
	{"--userns", 1, bw_unsupported, (intptr_t)WHY_USERNS, 0, "FD", "Join the user namespace FD (refused)"},
	{"--userns2", 1, bw_unsupported, (intptr_t)WHY_USERNS, 0, "FD", "Move into the user namespace FD once set up (refused)"},
	{"--pidns", 1, bw_unsupported, (intptr_t)WHY_PIDNS, 0, "FD", "Join the pid namespace FD (refused)"},
	{"--disable-userns", 0, bw_disable_userns, 0, 0, "", "Forbid the command new user namespaces (with --unshare-user)"},
	{"--assert-userns-disabled", 0, bw_flag, 3, 0, "", "Fail unless new user namespaces are refused to the command"},
	{"--uid", 1, bw_id, 0, 0, "UID", "The uid inside (with a user namespace)"},
	{"--gid", 1, bw_id, 1, 0, "GID", "The gid inside (with a user namespace)"},
	{"--hostname", 1, bw_hostname, 0, 0, "NAME", "The host name inside (with a UTS namespace)"},
	{"--chdir", 1, bw_chdir, 0, 0, "DIR", "Start the command in DIR"},
	{"--clearenv", 0, bw_clearenv, 0, 0, "", "Start from an empty environment"},
	{"--setenv", 2, bw_env, ENV_SET, 0, "VAR VALUE", "Give the variable VAR the value VALUE"},
	{"--unsetenv", 1, bw_env, ENV_UNSET, 0, "VAR", "Remove the variable VAR"},
	{"--lock-file", 1, bw_lock_file, 0, 0, "DEST", "Hold a read lock on DEST for the sandbox's life"},
	{"--sync-fd", 1, bw_fd, 3, 0, "FD", "Hold FD open for the sandbox's life"},
	{"--perms", 1, bw_perms, 0, 0, "OCTAL", "The mode of what the next option makes"},
	{"--size", 1, bw_size, 0, 0, "BYTES", "The size limit of the next --tmpfs"},
	{"--bind", 2, bw_bind, BIND(MOUNT_BIND, 0), 0, "SRC DEST", "Show the host's SRC at DEST, writable"},
	{"--bind-try", 2, bw_bind, BIND(MOUNT_BIND, MOUNT_F_TRY), 0, "SRC DEST", "--bind, skipped when SRC is missing"},
	{"--dev-bind", 2, bw_bind, BIND(MOUNT_DEV_BIND, 0), 0, "SRC DEST", "--bind, with device nodes usable"},
	{"--dev-bind-try", 2, bw_bind, BIND(MOUNT_DEV_BIND, MOUNT_F_TRY), 0, "SRC DEST", "--dev-bind, skipped when SRC is missing"},
	{"--ro-bind", 2, bw_bind, BIND(MOUNT_RO_BIND, 0), 0, "SRC DEST", "Show the host's SRC at DEST, read-only"},
	{"--ro-bind-try", 2, bw_bind, BIND(MOUNT_RO_BIND, MOUNT_F_TRY), 0, "SRC DEST", "--ro-bind, skipped when SRC is missing"},
	{"--bind-fd", 2, bw_bind_fd, MOUNT_BIND, 0, "FD DEST", "Show the directory or file open as FD at DEST"},
	{"--ro-bind-fd", 2, bw_bind_fd, MOUNT_RO_BIND, 0, "FD DEST", "--bind-fd, read-only"},
	{"--remount-ro", 1, bw_dest, MOUNT_REMOUNT_RO, 0, "DEST", "Make the mount at DEST read-only (not what is mounted below it)"},
	{"--overlay-src", 1, bw_overlay_src, 0, BW_OVERLAY, "SRC", "The lower layer of the next overlay (one per overlay)"},
	{"--overlay", 3, bw_unsupported, (intptr_t)WHY_OVERLAY, BW_OVERLAY, "RWSRC WORKDIR DEST", "An overlay with a kept upper layer at DEST (refused)"},
	{"--tmp-overlay", 1, bw_tmp_overlay, 0, BW_OVERLAY, "DEST", "An overlay with a throw-away upper layer at DEST"},
	{"--ro-overlay", 1, bw_unsupported, (intptr_t)WHY_RO_OVERLAY, BW_OVERLAY, "DEST", "A read-only overlay at DEST (refused)"},
	{"--exec-label", 1, bw_label, 0, 0, "LABEL", "The command's SELinux label (refused)"},
	{"--file-label", 1, bw_label, 0, 0, "LABEL", "The SELinux label of files made for the sandbox (refused)"},
	{"--proc", 1, bw_dest, MOUNT_PROC, 0, "DEST", "A proc of the sandbox's own at DEST"},
	{"--dev", 1, bw_dest, MOUNT_DEV, 0, "DEST", "A minimal /dev at DEST"},
	{"--tmpfs", 1, bw_dest, MOUNT_TMPFS, BW_PERMS | BW_SIZE, "DEST", "An empty tmpfs at DEST"},
	{"--mqueue", 1, bw_dest, MOUNT_MQUEUE, 0, "DEST", "A POSIX message queue filesystem at DEST"},
	{"--dir", 1, bw_dest, MOUNT_DIR, BW_PERMS, "DEST", "Make the directory DEST"},
	{"--file", 2, bw_data, 0666, BW_PERMS, "FD DEST", "A file at DEST holding what FD gives"},
	{"--bind-data", 2, bw_data, 0600, BW_PERMS | BW_DATA_BIND | BW_WRITABLE, "FD DEST", "A writable file at DEST holding what FD gives"},
	{"--ro-bind-data", 2, bw_data, 0600, BW_PERMS | BW_DATA_BIND, "FD DEST", "A read-only file at DEST holding what FD gives"},
	{"--symlink", 2, bw_symlink, 0, 0, "SRC DEST", "Make DEST a symbolic link to SRC"},
	{"--seccomp", 1, bw_seccomp, 0, 0, "FD", "Load the BPF program FD gives (once)"},
	{"--add-seccomp-fd", 1, bw_seccomp, 1, 0, "FD", "Load the BPF program FD gives (repeatable)"},
	{"--block-fd", 1, bw_fd, 2, 0, "FD", "Hold the command until FD has data or is closed"},
	{"--userns-block-fd", 1, bw_unsupported, (intptr_t)WHY_USERNS_BLOCK, 0, "FD", "Hold set-up until FD has data (refused)"},
	{"--info-fd", 1, bw_fd, 0, 0, "FD", "Write the command's pid and namespaces to FD as JSON"},
	{"--json-status-fd", 1, bw_fd, 1, 0, "FD", "Write the command's pid, then its exit status, to FD as JSON lines"},
	{"--new-session", 0, bw_flag, 1, 0, "", "Run the command in a session of its own"},
	{"--die-with-parent", 0, bw_flag, 0, 0, "", "End the sandbox when glovebox's parent ends"},
	{"--as-pid-1", 0, bw_flag, 4, 0, "", "Run the command as pid 1 itself, with no reaper (with --unshare-pid)"},
	{"--cap-add", 1, bw_caps, 1, 0, "CAP", "Keep the capability CAP (ALL for every one)"},
	{"--cap-drop", 1, bw_caps, 0, 0, "CAP", "Drop the capability CAP (ALL for every one)"},
	{"--chmod", 2, bw_chmod, 0, 0, "OCTAL PATH", "Set the mode of the existing PATH to OCTAL"},
};

static const struct bw_option *option_named(const char *name)
{
	for (size_t i = 0; i < ELEMENTSOF(options); i++)
		if (streq(options[i].name, name))
			return &options[i];
	return NULL;
}

#define OVERLAY_SRC_ALONE "--overlay-src must be followed by another --overlay-src or one of " \
			  "--overlay, --tmp-overlay, or --ro-overlay"

static const char *const arg_words[] = {"", "an argument", "two arguments", "three arguments"};

/* Options from argv[*i] on, until the first word that is not one (the
 * command) or "--". *i is left at the command. */
static int parse_options(struct bw *s, int argc, char **argv, int *i)
{
	for (; *i < argc; (*i)++) {
		const char *arg = argv[*i];
		if (streq(arg, "--")) {
			(*i)++;
			return 0;
		}
		if (arg[0] != '-')
			return 0;
		const struct bw_option *o = option_named(arg);
		if (!o)
			return fail(s, NULL, "Unknown option %s", arg);
		if (argc - *i - 1 < (int)o->nargs)
			return fail(s, NULL, "%s takes %s", arg, arg_words[o->nargs]);
		/* --perms and --size hold for the next option that is not one of
		 * them, which must use them */
		bool modifier = o->apply == bw_perms || o->apply == bw_size;
		if (!modifier && s->perms_by && !(o->flags & BW_PERMS))
			return fail(s, NULL, "--perms must be followed by an option that creates a file");
		if (!modifier && s->size_given && !(o->flags & BW_SIZE))
			return fail(s, NULL, "--size must be followed by --tmpfs");
		if (s->overlay_src && !(o->flags & BW_OVERLAY))
			return fail(s, NULL, OVERLAY_SRC_ALONE);
		if (o->apply(s, o, argv + *i + 1) < 0)
			return -1;
		if (!modifier) {
			s->perms_by = NULL;
			s->size_given = false;
		}
		*i += (int)o->nargs;
	}
	return 0;
}

/* --args FD: NUL-separated options, read at this point of the command
 * line. As in bwrap, a word that is no option ends them: the command
 * comes from the command line. */
static int bw_args(struct bw *s, const struct bw_option *o, char **a)
{
	int fd = -1;
	char *buf = NULL;
	size_t len = 0;
	if (s->depth >= ARGS_MAX_DEPTH)
		return fail(s, o, "--args nested too deep");
	if (parse_fd(s, o, a[0], &fd) < 0 || read_fd(s, o, fd, &buf, &len) < 0)
		return -1;
	struct strv words = {0};
	for (size_t at = 0; at < len; at += strlen(buf + at) + 1)
		strv_add(&words, buf + at);
	free(buf);
	/* the words outlive this call: mount ops copy, but origins point at
	 * option names, which are the table's */
	int k = 0;
	s->depth++;
	int r = parse_options(s, (int)words.n, words.v, &k);
	s->depth--;
	strv_free(&words);
	return r;
}

/* bwrap's rules between options, once all are read. */
static int check_combination(struct bw *s)
{
	struct policy *p = s->p;
	bool userns = (s->unshare & CLONE_NEWUSER) || s->caller->uid != 0;
	if (s->perms_by)
		return fail(s, NULL, "--perms must be followed by an option that creates a file");
	if (s->size_given)
		return fail(s, NULL, "--size must be followed by --tmpfs");
	if (s->overlay_src)
		return fail(s, NULL, OVERLAY_SRC_ALONE);
	if (s->disable_userns && !userns)
		return fail(s, NULL, "--disable-userns requires --unshare-user");
	if ((s->uid_given || s->gid_given) && !userns)
		return fail(s, NULL, "Specifying --%s requires --unshare-user or --userns",
			    s->uid_given ? "uid" : "gid");
	if (p->hostname_s.set && !(s->unshare & CLONE_NEWUTS))
		return fail(s, NULL, "Specifying --hostname requires --unshare-uts");
	if (s->caps_touched && s->caller->uid != 0 && !userns)
		return fail(s, NULL, "--cap-add in setuid mode can be used only by root");
	return 0;
}

/* The policy bwrap's defaults make: host namespaces but the mount one
 * (and a user namespace for an unprivileged caller), an empty root,
 * the environment kept, no home or current directory shared, no filter. */
static void bwrap_defaults(struct policy *p, const struct bwrap_caller *caller)
{
	p->bwrap = (struct bwrap_semantics){.on = true, .uid = caller->uid, .gid = caller->gid,
					    .bounding = caller->bounding};
	p->home = HOME_NONE;
	p->cwd = CWD_NONE;
	p->network = NET_HOST;
	p->terminal = TERMINAL_HOST;
	p->scope = 0;
	p->personality_locked = false;
	p->memfd_exec = true;
	p->memfd_exec_s.set = true; /* leave vm.memfd_noexec alone */
	p->env_clear = false;
	p->default_action = (struct sc_action){.kind = SC_ALLOW};
	p->ns_allowed = NS_ALL;
}

static void apply_namespaces(struct bw *s)
{
	struct policy *p = s->p;
	bool userns = (s->unshare & CLONE_NEWUSER) || s->caller->uid != 0;
	p->unshare = (s->unshare & ~(unsigned long)CLONE_NEWNET) | (userns ? CLONE_NEWUSER : 0);
	p->network = (s->unshare & CLONE_NEWNET) ? NET_NONE : NET_HOST;
	/* root keeps every capability when it stays uid 0, as bwrap does */
	bool root_inside = p->bwrap.uid == 0;
	uint64_t own = s->caller->bounding & ((UINT64_C(2) << CAP_LAST_CAP) - 1);
	p->caps = s->caps_touched			   ? s->caps
		  : s->caller->uid == 0 && root_inside ? own
						       : 0;
	p->caps_s.set = true;
	p->bwrap.caps_ambient = s->caps_touched;
	/* root keeps its bounding set, unless it chose capabilities for a
	 * user namespace; anyone else's is the capabilities */
	bool chosen = userns && s->caps_touched;
	p->bwrap.bounding = s->caller->uid != 0 || chosen ? p->caps : s->caller->bounding;
	p->user = p->bwrap.uid == 0 ? USER_ROOT : USER_SELF;
}

static int parse_all(struct bw *s, int argc, char **argv, int *i)
{
	if (parse_options(s, argc, argv, i) < 0)
		return -1;
	if (s->r->help || s->r->version)
		return 0;
	return check_combination(s);
}

int bwrap_parse(int argc, char **argv, const struct bwrap_caller *caller, struct policy *p,
		struct bwrap_request *r, struct diag *d)
{
	*r = (struct bwrap_request){.info_fd = -1, .json_fd = -1, .block_fd = -1, .sync_fd = -1};
	bwrap_defaults(p, caller);
	struct bw s = {.p = p, .r = r, .d = d, .caller = caller};
	int i = 1;
	int ret = parse_all(&s, argc, argv, &i);
	free(s.overlay_src);
	if (ret < 0)
		return -1;
	if (r->help || r->version)
		return 0;
	if (i >= argc) { /* bwrap shows its usage */
		r->no_command = true;
		return -1;
	}
	apply_namespaces(&s);
	for (; i < argc; i++)
		strv_add(&p->argv, argv[i]);
	return 0;
}

void bwrap_request_free(struct bwrap_request *r)
{
	for (size_t i = 0; i < r->n_seccomp; i++)
		how_program_free(&r->seccomp[i]);
	free(r->seccomp);
	free(r->argv0);
	free(r->consumed);
	strv_free(&r->lock_files);
	*r = (struct bwrap_request){0};
}

void bwrap_usage(FILE *f, const char *argv0)
{
	fprintf(f, "usage: %s [OPTIONS...] [--] COMMAND [ARGS...]\n\n"
		   "glovebox %s, reading bubblewrap's command line\n\n",
		argv0, GB_VERSION);
	for (size_t i = 0; i < ELEMENTSOF(options); i++) {
		char left[64];
		snprintf(left, sizeof(left), "%s %s", options[i].name, options[i].metavar);
		fprintf(f, "    %-28s %s\n", left, options[i].help);
	}
}

bool bwrap_invoked_as(const char *argv0)
{
	if (!argv0)
		return false;
	const char *base = strrchr(argv0, '/');
	return streq(base ? base + 1 : argv0, "bwrap");
}

const char *bwrap_option(size_t i, unsigned *nargs, const char **metavar, const char **help)
{
	if (i >= ELEMENTSOF(options))
		return NULL;
	*nargs = options[i].nargs;
	*metavar = options[i].metavar;
	*help = options[i].help;
	return options[i].name;
}
