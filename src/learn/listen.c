/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The supervisor's side of glovebox learn: the watch program, and the
 * answer to each notification. */
#include <fcntl.h>
#include <limits.h>
#include <linux/filter.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "how/arch.h"
#include "learn/learn.h"

/* The calls whose arguments say more than their name. */
enum watch_kind { W_OPEN, W_EXEC, W_FAMILY, W_IOCTL };

#define FLAGS_CREAT (-1) /* creat(): O_CREAT|O_WRONLY|O_TRUNC */
#define FLAGS_HOW   (-2) /* openat2(): flags in the struct open_how at arg 2 */
#define FLAGS_NONE  (-3) /* exec: read */

static const struct watched {
	const char *name;
	enum watch_kind kind;
	int path_arg;
	int flags_arg;
} watched[] = {
	{"open", W_OPEN, 0, 1},          {"creat", W_OPEN, 0, FLAGS_CREAT},
	{"openat", W_OPEN, 1, 2},        {"openat2", W_OPEN, 1, FLAGS_HOW},
	{"execve", W_EXEC, 0, FLAGS_NONE}, {"execveat", W_EXEC, 1, FLAGS_NONE},
	{"socket", W_FAMILY, -1, 0},     {"socketpair", W_FAMILY, -1, 0},
	{"ioctl", W_IOCTL, -1, 0},
};

/* Where the low 32 bits of argument n lie in struct seccomp_data. */
static uint32_t arg_low(unsigned n)
{
	return (uint32_t)(offsetof(struct seccomp_data, args) + n * sizeof(uint64_t) +
			  (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ ? 4 : 0));
}

static size_t put(struct sock_filter *f, size_t at, struct sock_filter insn)
{
	f[at] = insn;
	return at + 1;
}

/* Runs after the argument restrictions and before the allowlist: a
 * watched call is reported; the listener's own hand-over (sendmsg on
 * LEARN_REPORT_FD with LEARN_SEND_FLAGS) is allowed for good, with
 * SECCOMP_RET_ALLOW | 1 (the kernel ignores the data bits of ALLOW; the
 * chaining in how_compile passes only a plain ALLOW on to the next
 * program); anything else goes on to the allowlist. */
void learn_watch_program(struct how_program *out)
{
	size_t n_watch = 0;
	int nrs[ELEMENTSOF(watched)];
	for (size_t i = 0; i < ELEMENTSOF(watched); i++) {
		int k = syscall_lookup(watched[i].name);
		if (k >= 0 && syscall_native_nr((size_t)k) >= 0)
			nrs[n_watch++] = syscall_native_nr((size_t)k);
	}
	size_t len = 8 + n_watch + 3;
	struct sock_filter *f = xreallocarray(NULL, len, sizeof(*f));
	const size_t go_on = len - 3, notify = len - 2, allow = len - 1;
	size_t at = 0;
	uint32_t sendmsg_nr = (uint32_t)syscall_native_nr((size_t)syscall_lookup("sendmsg"));
#define TO(target) (uint8_t)((target) - at - 1)
#define PUT(...) at = put(f, at, (struct sock_filter)__VA_ARGS__)
	PUT(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)));
	PUT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, GB_AUDIT_ARCH, 0, TO(go_on)));
	PUT(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)));
	PUT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, sendmsg_nr, 0, TO(8)));
	PUT(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, arg_low(0)));
	PUT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, LEARN_REPORT_FD, 0, TO(go_on)));
	PUT(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, arg_low(2)));
	PUT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, LEARN_SEND_FLAGS, TO(allow), TO(go_on)));
	for (size_t i = 0; i < n_watch; i++)
		PUT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)nrs[i], TO(notify), 0));
#undef PUT
	f[go_on] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[notify] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
	f[allow] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW | 1);
#undef TO
	out->insns = f;
	out->len = (unsigned short)len;
}

struct learner {
	int listener;
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
	int *index_of_nr; /* native number -> syscall_table index, or -1 */
	size_t n_nrs;
	struct learn_record rec;
};

struct learner *learner_new(void)
{
	struct learner *l = xcalloc(1, sizeof(*l));
	l->listener = -1;
	if (seccomp_notify_alloc(&l->req, &l->resp) < 0)
		oom();
	for (size_t i = 0; i < syscall_count; i++)
		if (syscall_native_nr(i) >= 0 && (size_t)syscall_native_nr(i) >= l->n_nrs)
			l->n_nrs = (size_t)syscall_native_nr(i) + 1;
	l->index_of_nr = xcalloc(l->n_nrs, sizeof(int));
	memset(l->index_of_nr, 0xff, l->n_nrs * sizeof(int));
	for (size_t i = 0; i < syscall_count; i++)
		if (syscall_native_nr(i) >= 0)
			l->index_of_nr[syscall_native_nr(i)] = (int)i;
	return l;
}

void learner_free(struct learner *l)
{
	if (!l)
		return;
	closep(&l->listener);
	seccomp_notify_free(l->req, l->resp);
	free(l->index_of_nr);
	learn_record_free(&l->rec);
	free(l);
}

int learner_fd(const struct learner *l)
{
	return l->listener;
}

void learner_take_listener(struct learner *l, int fd)
{
	closep(&l->listener);
	l->listener = fd;
}

struct learn_record *learner_record(struct learner *l)
{
	return &l->rec;
}

/* ---- reading the caller's memory ---- */

/* size bytes at addr, a page at a time: process_vm_readv stops at the
 * first page it cannot read, and a string may end just before one.
 * Returns how many bytes were read up to and with the first NUL, or 0. */
static size_t read_string(pid_t pid, uint64_t addr, char *buf, size_t size)
{
	const size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t got = 0;
	while (got < size) {
		size_t chunk = page - (size_t)((addr + got) % page);
		if (chunk > size - got)
			chunk = size - got;
		struct iovec local = {buf + got, chunk};
		/* NOLINTNEXTLINE(performance-no-int-to-ptr): an address in the caller */
		struct iovec remote = {(void *)(uintptr_t)(addr + got), chunk};
		ssize_t n = process_vm_readv(pid, &local, 1, &remote, 1, 0);
		if (n <= 0)
			return 0;
		char *nul = memchr(buf + got, '\0', (size_t)n);
		got += (size_t)n;
		if (nul)
			return (size_t)(nul - buf) + 1;
	}
	return 0;
}

static bool read_u64(pid_t pid, uint64_t addr, uint64_t *out) /* NOLINT(readability-non-const-parameter): filled by the read */
{
	struct iovec local = {out, sizeof(*out)};
	/* NOLINTNEXTLINE(performance-no-int-to-ptr): an address in the caller */
	struct iovec remote = {(void *)(uintptr_t)addr, sizeof(*out)};
	return process_vm_readv(pid, &local, 1, &remote, 1, 0) == (ssize_t)sizeof(*out);
}

/* The kernel's rule: what was read from the caller's memory (or /proc)
 * means something only if the notification is still pending afterwards;
 * else the caller died, and its pid may now be another process's. */
static bool still_pending(const struct learner *l)
{
	return seccomp_notify_id_valid(l->listener, l->req->id) == 0;
}

/* ---- what an open or exec tells ---- */

struct path_seen {
	char path[PATH_MAX];
	int flags;
	int root; /* the caller's root directory, O_PATH */
};

static bool exists_in(int root, const char *path)
{
	struct open_how how = {.flags = O_PATH | O_CLOEXEC,
			       .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS};
	int fd = (int)syscall(SYS_openat2, root, path, &how, sizeof(how));
	if (fd >= 0)
		close(fd);
	return fd >= 0 || errno != ENOENT;
}

/* "/a/b" -> "/a", "/a" -> "/" */
static char *parent_of(const char *path)
{
	char *parent = xstrdup(path);
	char *slash = strrchr(parent, '/');
	slash[slash == parent] = '\0';
	return parent;
}

/* A path the sandbox lacks and the host has: a bind BASE did not make.
 * A file new on both sides is created where the sandbox has the
 * directory; where it lacks that too, the host's directory is bound. (A
 * file the command means to create in its own /tmp while the host's
 * /tmp holds one of the same name is bound too: the review sees it.) */
static void judge_path(struct learn_record *r, const struct path_seen *s)
{
	if (!learn_path_writable(s->path) || path_at_or_below(s->path, "/proc"))
		return;
	bool creat = s->flags & O_CREAT;
	bool write = (s->flags & O_ACCMODE) != O_RDONLY || creat || (s->flags & O_TRUNC);
	if (exists_in(s->root, s->path))
		return;
	struct stat st;
	if (stat(s->path, &st) == 0) {
		learn_add_file(r, s->path, write);
		return;
	}
	/* new here and there: the directory it goes in, if the sandbox lacks it */
	_cleanup_free_ char *parent = parent_of(s->path);
	if (creat && !exists_in(s->root, parent) && stat(parent, &st) == 0 &&
	    S_ISDIR(st.st_mode) && parent[1])
		learn_add_file(r, parent, true);
}

static int flags_of(const struct watched *w, const struct seccomp_data *data, pid_t pid)
{
	uint64_t v = 0;
	switch (w->flags_arg) {
	case FLAGS_CREAT:
		return O_CREAT | O_WRONLY | O_TRUNC;
	case FLAGS_NONE:
		return O_RDONLY;
	case FLAGS_HOW:
		return read_u64(pid, data->args[2], &v) ? (int)v : O_RDONLY;
	default:
		return (int)data->args[w->flags_arg];
	}
}

static void record_path(struct learner *l, const struct watched *w)
{
	const struct seccomp_data *data = &l->req->data;
	pid_t pid = (pid_t)l->req->pid;
	struct path_seen s = {.root = -1};
	if (!read_string(pid, data->args[w->path_arg], s.path, sizeof(s.path)) ||
	    s.path[0] != '/')
		return; /* relative to a directory: not followed */
	s.flags = flags_of(w, data, pid);
	char root[64];
	snprintf(root, sizeof(root), "/proc/%d/root", (int)pid);
	_cleanup_close_ int fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	s.root = fd;
	if (fd < 0 || !still_pending(l))
		return;
	judge_path(&l->rec, &s);
}

static void record(struct learner *l)
{
	const struct seccomp_data *data = &l->req->data;
	if (data->arch != GB_AUDIT_ARCH || data->nr < 0 || (size_t)data->nr >= l->n_nrs ||
	    l->index_of_nr[data->nr] < 0)
		return;
	size_t i = (size_t)l->index_of_nr[data->nr];
	syscall_set_add(&l->rec.calls, i);
	for (size_t k = 0; k < ELEMENTSOF(watched); k++) {
		const struct watched *w = &watched[k];
		if (!streq(w->name, syscall_table[i].name))
			continue;
		if (w->kind == W_FAMILY && (uint32_t)data->args[0] < 64)
			l->rec.families |= UINT64_C(1) << (uint32_t)data->args[0];
		else if (w->kind == W_IOCTL)
			learn_add_ioctl(&l->rec, (uint32_t)data->args[1]);
		else if (w->kind == W_OPEN || w->kind == W_EXEC)
			record_path(l, w);
	}
}

void learner_handle(struct learner *l)
{
	/* The kernel refuses a buffer that is not zeroed (EINVAL); a caller
	 * that died meanwhile leaves nothing to answer. */
	memset(l->req, 0, sizeof(*l->req));
	if (seccomp_notify_receive(l->listener, l->req) < 0)
		return;
	record(l);
	*l->resp = (struct seccomp_notif_resp){.id = l->req->id,
					       .flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE};
	(void)seccomp_notify_respond(l->listener, l->resp);
}
