/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "policy/policy.h"

#include <errno.h>
#include <inttypes.h>
#include <sched.h>

#include "how/seccomp.h"

void policy_init(struct policy *p)
{
	*p = (struct policy){0};
	p->syscalls = xcalloc(syscall_count, sizeof(*p->syscalls));
	p->rule_origins = xcalloc(1, sizeof(*p->rule_origins));
	p->n_rule_origins = 1;
	/* Fail closed until a profile says otherwise: a policy with no layers
	 * allows no system call at all. */
	p->default_action = (struct sc_action){.kind = SC_ERRNO, .errnum = EPERM};
	p->ns_allowed = 0;
	/* where the kernel has it: see where/landlock.h */
	p->scope = SCOPE_ALL;
	p->landlock_fs = true;
	p->personality_locked = true;
	p->memfd_exec = true;
	p->home = HOME_TMPFS;
	p->network = NET_NONE;
	p->user = USER_SELF;
	p->unshare = CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP;
	p->env_clear = true;
	/* half of the user's own: the other half stays with the host */
	for (int i = 0; i < UCOUNT_KINDS; i++)
		p->ucounts[i] = (struct ucount_limit){.value = 50, .percent = true};
}

static void mount_op_free(struct mount_op *m)
{
	free(m->src);
	free(m->dest);
	free(m->aux);
	free(m->work);
	strv_free(&m->lowers);
}

void policy_free(struct policy *p)
{
	free(p->description);
	free(p->desktop_id);
	free(p->binary);
	free(p->cgroup);
	for (size_t i = 0; i < p->n_mounts; i++)
		mount_op_free(&p->mounts[i]);
	free(p->mounts);
	for (size_t i = 0; i < p->n_removed; i++)
		mount_op_free(&p->removed[i].op);
	free(p->removed);
	policy_clear_forwards(p);
	for (size_t i = 0; i < p->n_dbus_rules; i++)
		free(p->dbus_rules[i].value);
	free(p->dbus_rules);
	free(p->dbus_proxy_dir);
	free(p->hostname);
	free(p->chdir);
	free(p->home_name);
	for (size_t i = 0; i < p->n_desktop_dirs; i++)
		free(p->desktop_dirs[i].name);
	free(p->desktop_dirs);
	free(p->syscalls);
	free(p->rule_origins);
	for (size_t i = 0; i < p->n_env_ops; i++) {
		free(p->env_ops[i].name);
		free(p->env_ops[i].value);
	}
	free(p->env_ops);
	free(p->arg_rules);
	for (size_t i = 0; i < TCP_KIND_COUNT; i++)
		free(p->tcp[i].v);
	strv_free(&p->argv);
	strv_free(&p->interned);
	strv_free(&p->overlay_srcs);
	free(p->layers);
	*p = (struct policy){0};
}

void policy_clear_desktop_dirs(struct policy *p, bool app)
{
	size_t kept = 0;
	for (size_t i = 0; i < p->n_desktop_dirs; i++) {
		struct desktop_dir *dd = &p->desktop_dirs[i];
		if (dd->app != app)
			p->desktop_dirs[kept++] = *dd;
		else
			free(dd->name);
	}
	p->n_desktop_dirs = kept;
}

const char *policy_intern(struct policy *p, const char *s)
{
	if (!s)
		return NULL;
	/* Few distinct strings (a handful of files and options): linear is fine. */
	for (size_t i = p->interned.n; i > 0; i--)
		if (streq(p->interned.v[i - 1], s))
			return p->interned.v[i - 1];
	strv_add(&p->interned, s);
	return p->interned.v[p->interned.n - 1];
}

struct mount_op *policy_add_mount(struct policy *p, enum mount_kind kind, const struct origin *o)
{
	if (p->n_mounts == p->cap_mounts) {
		p->cap_mounts = p->cap_mounts ? p->cap_mounts * 2 : 16;
		p->mounts = xreallocarray(p->mounts, p->cap_mounts, sizeof(*p->mounts));
	}
	struct mount_op *m = &p->mounts[p->n_mounts++];
	*m = (struct mount_op){.kind = kind, .mode = MODE_UNSET, .origin = *o};
	return m;
}

size_t policy_remove_mounts(struct policy *p, mount_match_fn match, const void *data,
			    const struct origin *by)
{
	size_t kept = 0, before = p->n_removed;
	for (size_t i = 0; i < p->n_mounts; i++) {
		if (!match(&p->mounts[i], data)) {
			p->mounts[kept++] = p->mounts[i];
			continue;
		}
		*APPEND(p->removed, p->n_removed) = (struct mount_removed){p->mounts[i], *by};
	}
	p->n_mounts = kept;
	return p->n_removed - before;
}

bool path_at_or_below(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	if (streq(dir, "/"))
		return true;
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

bool mount_at_or_below(const struct mount_op *m, const void *dest)
{
	return path_at_or_below(m->dest, dest);
}

bool mount_is_proc(const struct mount_op *m, const void *unused _unused_)
{
	return m->kind == MOUNT_PROC;
}

bool policy_is_building_block(const struct policy *p)
{
	return p->description && strncmp(p->description, "Building block", 14) == 0;
}

bool policy_dbus_filtered(const struct policy *p)
{
	return p->n_dbus_rules > 0 || p->dbus_portals;
}

void policy_clear_forwards(struct policy *p)
{
	for (size_t i = 0; i < p->n_forwards; i++)
		free(p->forwards[i].address);
	free(p->forwards);
	p->forwards = NULL;
	p->n_forwards = 0;
}

/* Two forwards that would listen on the same host port: pasta could bind
 * only the first. An address left out means every address. */
static bool forwards_clash(const struct port_forward *a, const struct port_forward *b)
{
	return a->proto == b->proto && a->host_port == b->host_port &&
	       (!a->address || !b->address || streq(a->address, b->address));
}

static void validate_forwards(const struct policy *p, struct diag *d)
{
	for (size_t i = 0; i < p->n_forwards; i++) {
		const struct port_forward *f = &p->forwards[i];
		char where[512];
		if (p->network != NET_USER) {
			origin_format(&p->network_s.origin, where, sizeof(where));
			diag_error(d, &f->origin, "forward needs network = user, and network is %s%s%s",
				   net_mode_name(p->network), p->network_s.set ? " from " : "",
				   p->network_s.set ? where : "");
			return;
		}
		for (size_t j = 0; j < i; j++) {
			if (!forwards_clash(&p->forwards[j], f))
				continue;
			origin_format(&p->forwards[j].origin, where, sizeof(where));
			diag_error(d, &f->origin, "host port %u/%s is forwarded twice (also by %s)",
				   f->host_port, forward_proto_name(f->proto), where);
		}
	}
}

struct env_op *policy_add_env(struct policy *p, enum env_op_kind kind, const struct origin *o)
{
	if (p->n_env_ops == p->cap_env_ops) {
		p->cap_env_ops = p->cap_env_ops ? p->cap_env_ops * 2 : 16;
		p->env_ops = xreallocarray(p->env_ops, p->cap_env_ops, sizeof(*p->env_ops));
	}
	struct env_op *e = &p->env_ops[p->n_env_ops++];
	*e = (struct env_op){.kind = kind, .origin = *o};
	return e;
}

uint32_t policy_add_rule_origin(struct policy *p, const struct origin *o)
{
	const struct origin *last = &p->rule_origins[p->n_rule_origins - 1];
	if (p->n_rule_origins > 1 && last->file == o->file && last->line == o->line &&
	    last->key == o->key)
		return (uint32_t)(p->n_rule_origins - 1);
	*APPEND(p->rule_origins, p->n_rule_origins) = *o;
	return (uint32_t)(p->n_rule_origins - 1);
}

struct arg_rule *policy_add_arg_rule(struct policy *p, const struct origin *o)
{
	if (p->n_arg_rules == p->cap_arg_rules) {
		p->cap_arg_rules = p->cap_arg_rules ? p->cap_arg_rules * 2 : 8;
		p->arg_rules = xreallocarray(p->arg_rules, p->cap_arg_rules, sizeof(*p->arg_rules));
	}
	struct arg_rule *r = &p->arg_rules[p->n_arg_rules++];
	*r = (struct arg_rule){.origin = *o};
	return r;
}

/* A tmpfs with a size of its own is a tmpfs of its own, and its size
 * comes out of the budget; the other tmpfs mounts share what is left. */
uint64_t policy_tmpfs_reserved(const struct policy *p)
{
	uint64_t sum = 0;
	for (size_t i = 0; i < p->n_mounts; i++)
		if (p->mounts[i].kind == MOUNT_TMPFS && p->mounts[i].size)
			sum += p->mounts[i].size;
	return sum;
}

static void validate_tmpfs_budget(const struct policy *p, struct diag *d)
{
	uint64_t reserved = policy_tmpfs_reserved(p);
	if (p->tmpfs_budget && reserved >= p->tmpfs_budget)
		diag_error(d, &p->tmpfs_budget_s.origin,
			   "the tmpfs mounts with a size= of their own take %" PRIu64 " bytes, "
			   "the whole budget of %" PRIu64 ": nothing is left for the others",
			   reserved, p->tmpfs_budget);
}

/* as-pid-1: the command is the init of a pid namespace, which the kernel
 * ends with everything in it when the command exits. */
static void validate_as_pid_1(const struct policy *p, struct diag *d)
{
	if (!p->as_pid_1)
		return;
	if (!(p->unshare & CLONE_NEWPID))
		diag_error(d, &p->as_pid_1_s.origin,
			   "as-pid-1 needs the sandbox's own pid namespace: keep unshare-pid = yes");
	if (p->background == BACKGROUND_WAIT)
		diag_error(d, &p->as_pid_1_s.origin,
			   "as-pid-1 and background = wait do not go together: what the command "
			   "leaves running ends with it, its pid namespace's init");
}

int policy_validate(struct policy *p, struct diag *d)
{
	unsigned before = d->errors;
	(void)policy_overlay_srcs_left(p, NULL, NULL, d);

	for (size_t i = 0; i < p->n_mounts; i++) {
		const struct mount_op *m = &p->mounts[i];
		if (m->kind == MOUNT_DEV_BIND || m->kind == MOUNT_BIND || m->kind == MOUNT_RO_BIND)
			if (streq(m->dest, "/"))
				diag_error(d, &m->origin,
					   "cannot bind over / itself; bind the directories you need");
		/* proc shows the processes of the pid namespace that mounts it.
		 * Without one of its own, the sandbox would see the host's, and
		 * /proc/PID/root of any of your processes leads out of the jail.
		 * unshare-pid = no takes away the proc entries before it: this
		 * one came after. */
		if (m->kind == MOUNT_PROC && !(p->unshare & CLONE_NEWPID)) {
			char where[512];
			origin_format(&p->unshare_s[UNSHARE_PID].origin, where, sizeof(where));
			diag_error(d, &m->origin,
				   "proc needs the sandbox's own pid namespace, and unshare-pid = no "
				   "(%s) turns it off: drop this proc, or keep unshare-pid = yes",
				   where);
		}
	}
	validate_forwards(p, d);
	validate_tmpfs_budget(p, d);
	validate_as_pid_1(p, d);
	how_validate(p, d);
	return d->errors == before ? 0 : -1;
}

const char *mount_host_path(const struct mount_op *m, size_t i, bool *written)
{
	*written = false;
	if (!m->src)
		return NULL;
	if (i == 0) {
		*written = m->kind == MOUNT_BIND || m->kind == MOUNT_DEV_BIND;
		return m->src;
	}
	if (i - 1 < m->lowers.n)
		return m->lowers.v[i - 1];
	if (i - 1 == m->lowers.n && m->kind == MOUNT_OVERLAY && m->aux) {
		*written = true;
		return m->aux;
	}
	return NULL;
}

const char *mount_kind_name(enum mount_kind k)
{
	static const char *const names[] = {
		[MOUNT_BIND] = "bind",        [MOUNT_RO_BIND] = "ro-bind",
		[MOUNT_DEV_BIND] = "dev-bind", [MOUNT_TMPFS] = "tmpfs",
		[MOUNT_PROC] = "proc",        [MOUNT_DEV] = "dev",
		[MOUNT_MQUEUE] = "mqueue",    [MOUNT_SYMLINK] = "symlink",
		[MOUNT_DIR] = "dir",          [MOUNT_FILE] = "file",
		[MOUNT_MIRROR] = "mirror",    [MOUNT_REMOUNT_RO] = "remount-ro",
		[MOUNT_CHMOD] = "chmod",      [MOUNT_TMP_OVERLAY] = "tmp-overlay",
		[MOUNT_OVERLAY] = "overlay",  [MOUNT_RO_OVERLAY] = "ro-overlay",
	};
	return names[k];
}

const char *home_mode_name(enum home_mode m)
{
	static const char *const names[] = {[HOME_TMPFS] = "tmpfs", [HOME_RO] = "ro",
					    [HOME_RW] = "rw",       [HOME_NONE] = "none",
					    [HOME_PRIVATE] = "private"};
	return names[m];
}

const char *net_mode_name(enum net_mode m)
{
	static const char *const names[] = {[NET_NONE] = "none", [NET_HOST] = "host",
					    [NET_USER] = "user"};
	return names[m];
}

const char *forward_proto_name(enum forward_proto p)
{
	return p == FORWARD_UDP ? "udp" : "tcp";
}
