/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "score.h"

#include <cap-ng.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdio.h>

#include "how/action.h"
#include "how/seccomp.h"
#include "how/syscalls.h"

/* What a rating reads besides the policy. */
struct score_in {
	const struct policy *p;
	const char *home;
	const char *data; /* the row's own datum: a group or call name */
};

/* A rating: how far (0 to 1) the policy opens what the factor names, with
 * the reason in words. */
typedef double rate_fn(const struct score_in *in, char *why, size_t size);

struct factor_row {
	const char *name;
	double weight;
	rate_fn *rate;
	const char *data;
};

static double says(char *why, size_t size, double badness, const char *text)
{
	snprintf(why, size, "%s", text);
	return badness;
}

static double rate_default_action(const struct score_in *in, char *why, size_t size)
{
	char act[64];
	enum sc_action_kind k = in->p->default_action.kind;
	bool open = k == SC_ALLOW || k == SC_LOG;
	snprintf(why, size, "default = %s: %s", sc_action_format(&in->p->default_action, act,
								 sizeof(act)),
		 open ? "every call no rule names is allowed" : "a call no rule allows fails");
	return open ? 1 : 0;
}

static double rate_network(const struct score_in *in, char *why, size_t size)
{
	static const struct {
		double badness;
		const char *text;
	} net[] = {
		[NET_NONE] = {0, "network = none: a namespace of its own, loopback only"},
		[NET_USER] = {0.5, "network = user: its own namespace, but pasta reaches the host's "
				   "network for it"},
		[NET_HOST] = {1, "network = host: the host's interfaces, its listening sockets and "
				 "abstract unix sockets"},
	};
	return says(why, size, net[in->p->network].badness, net[in->p->network].text);
}

/* unshare-user, -pid, -ipc: one namespace not unshared. */
static double rate_unshare(const struct score_in *in, char *why, size_t size)
{
	static const struct {
		const char *key;
		unsigned long flag;
		const char *shared;
	} ns[] = {
		{"unshare-user", CLONE_NEWUSER, "uid 0 and any kept capability are the host's"},
		{"unshare-pid", CLONE_NEWPID, "the host's processes are visible"},
		{"unshare-ipc", CLONE_NEWIPC, "the host's SysV IPC and POSIX queues are shared"},
	};
	for (size_t i = 0; i < ELEMENTSOF(ns); i++) {
		if (!streq(ns[i].key, in->data))
			continue;
		bool own = in->p->unshare & ns[i].flag;
		snprintf(why, size, "%s = %s: %s", ns[i].key, own ? "yes" : "no",
			 own ? "a namespace of its own" : ns[i].shared);
		return own ? 0 : 1;
	}
	return says(why, size, 0, "?");
}

static double rate_uts_cgroup(const struct score_in *in, char *why, size_t size)
{
	bool uts = !(in->p->unshare & CLONE_NEWUTS), cg = !(in->p->unshare & CLONE_NEWCGROUP);
	if (!uts && !cg)
		return says(why, size, 0, "a host name and a cgroup view of its own");
	snprintf(why, size, "the host's %s%s%s", uts ? "host name (unshare-uts = no)" : "",
		 uts && cg ? " and " : "", cg ? "cgroup tree (unshare-cgroup = no)" : "");
	return uts && cg ? 1 : 0.5;
}

/* A mount of a host path: its source is the host's, not a fresh
 * filesystem or a file glovebox writes. */
static bool host_source(const struct mount_op *m)
{
	switch (m->kind) {
	case MOUNT_BIND:
	case MOUNT_RO_BIND:
	case MOUNT_DEV_BIND:
	case MOUNT_MIRROR:
	case MOUNT_TMP_OVERLAY:
	case MOUNT_OVERLAY:
	case MOUNT_RO_OVERLAY:
		return m->src != NULL;
	case MOUNT_TMPFS:
	case MOUNT_PROC:
	case MOUNT_DEV:
	case MOUNT_MQUEUE:
	case MOUNT_SYMLINK:
	case MOUNT_DIR:
	case MOUNT_FILE:
	case MOUNT_REMOUNT_RO:
	case MOUNT_CHMOD:
		break;
	}
	return false;
}

/* How much of the home the host paths of a mount show (any layer of an
 * overlay), and whether writable: the home itself or a directory above it
 * (/, /home) shows all of it. *shown: the path that shows the most. */
static double home_share(const struct mount_op *m, const char *home, const char **shown)
{
	double best = 0;
	bool w;
	const char *path;
	for (size_t k = 0; (path = mount_host_path(m, k, &w)); k++) {
		double b = path_at_or_below(home, path)   ? (w ? 1 : 0.6)
			   : path_at_or_below(path, home) ? (w ? 0.7 : 0.3)
							  : 0;
		if (b > best) {
			best = b;
			*shown = path;
		}
	}
	return best;
}

static double rate_home(const struct score_in *in, char *why, size_t size)
{
	static const struct {
		double badness;
		const char *text;
	} modes[] = {
		[HOME_TMPFS] = {0, "home = tmpfs: an empty home"},
		[HOME_NONE] = {0, "home = none: no home"},
		[HOME_PRIVATE] = {0, "home = private: a home of its own, not yours"},
		[HOME_RO] = {0.6, "home = ro: every file of your home readable"},
		[HOME_RW] = {1, "home = rw: your home writable (shell start-up files, keys)"},
	};
	double bad = says(why, size, modes[in->p->home].badness, modes[in->p->home].text);
	for (size_t i = 0; in->home && i < in->p->n_mounts; i++) {
		const struct mount_op *m = &in->p->mounts[i];
		if (!host_source(m))
			continue;
		const char *shown = NULL;
		double b = home_share(m, in->home, &shown);
		if (b > bad) {
			bad = b;
			snprintf(why, size, "%s %s: %s", mount_kind_name(m->kind), shown,
				 path_at_or_below(in->home, shown) ? "your whole home"
								  : "a part of your home");
		}
	}
	return bad;
}

static double rate_host_root(const struct score_in *in, char *why, size_t size)
{
	for (size_t i = 0; i < in->p->n_mounts; i++) {
		const struct mount_op *m = &in->p->mounts[i];
		bool w;
		const char *path;
		for (size_t k = 0; host_source(m) && (path = mount_host_path(m, k, &w)); k++)
			if (streq(path, "/")) {
				snprintf(why, size, "%s / at %s: the host's whole filesystem",
					 mount_kind_name(m->kind), m->dest);
				return 1;
			}
	}
	return says(why, size, 0, "no bind of the host's /");
}

/* Host paths the sandbox writes to: a writable bind's source, the
 * directory that keeps a persistent overlay's changes. */
static double rate_writable_binds(const struct score_in *in, char *why, size_t size)
{
	const struct mount_op *first = NULL;
	const char *first_path = NULL;
	size_t n = 0;
	double bad = 0;
	for (size_t i = 0; i < in->p->n_mounts; i++) {
		const struct mount_op *m = &in->p->mounts[i];
		bool w;
		const char *path;
		for (size_t k = 0; host_source(m) && (path = mount_host_path(m, k, &w)); k++) {
			if (!w)
				continue;
			if (!first || streq(path, "/")) {
				first = m;
				first_path = path;
			}
			n++;
			bad = streq(path, "/") ? 1 : bad > 0.6 ? bad : 0.6;
		}
	}
	if (!first)
		return says(why, size, 0, "no writable bind of a host path");
	snprintf(why, size, "%zu writable bind%s of host paths (%s %s)", n, n == 1 ? "" : "s",
		 mount_kind_name(first->kind), first_path);
	return bad;
}

static double rate_cwd(const struct score_in *in, char *why, size_t size)
{
	if (in->p->cwd == CWD_RW)
		return says(why, size, 1, "cwd = rw: the current directory writable");
	return says(why, size, 0, in->p->cwd == CWD_RO ? "cwd = ro: the current directory read-only"
						       : "cwd = none: the current directory not shared");
}

static double rate_devices(const struct score_in *in, char *why, size_t size)
{
	double bad = 0;
	says(why, size, 0, "no host device nodes beyond the minimal /dev");
	for (size_t i = 0; i < in->p->n_mounts; i++) {
		const struct mount_op *m = &in->p->mounts[i];
		if (m->kind != MOUNT_DEV_BIND || !m->src)
			continue;
		double b = streq(m->src, "/") || streq(m->src, "/dev") ? 1 : 0.6;
		if (b > bad) {
			bad = b;
			snprintf(why, size, "dev-bind %s: the host's device nodes usable", m->src);
		}
	}
	return bad;
}

static double rate_capabilities(const struct score_in *in, char *why, size_t size)
{
	/* The ones that reach past a user namespace's walls, or around file
	 * permissions inside it. */
	static const int strong[] = {CAP_SYS_ADMIN, CAP_SYS_PTRACE, CAP_SYS_MODULE, CAP_NET_ADMIN,
				     CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_SYS_RAWIO,
				     CAP_SETUID, CAP_SETGID, CAP_NET_RAW, CAP_BPF, CAP_SYS_BOOT,
				     CAP_MKNOD, CAP_FOWNER, CAP_CHOWN};
	uint64_t caps = in->p->caps;
	if (!caps)
		return says(why, size, 0, "capabilities = none");
	unsigned n = (unsigned)__builtin_popcountll(caps);
	for (size_t i = 0; i < ELEMENTSOF(strong); i++)
		if (caps & (UINT64_C(1) << strong[i])) {
			const char *name = capng_capability_to_name((unsigned)strong[i]);
			snprintf(why, size, "%u kept, among them cap_%s", n, name ? name : "?");
			return 1;
		}
	snprintf(why, size, "%u kept", n);
	return 0.5;
}

static double rate_constant(const struct score_in *in, char *why, size_t size)
{
	return says(why, size, 0, in->data);
}

/* A group or call: the share of its calls (those that exist here) that
 * the command may make. */
static double rate_calls(const struct score_in *in, char *why, size_t size)
{
	syscall_set set = {0};
	if (syscall_resolve(in->data, &set) < 0)
		return says(why, size, 0, "unknown here");
	unsigned total = 0, allowed = 0;
	const char *one = NULL;
	for (size_t i = 0; i < syscall_count; i++) {
		if (!syscall_set_has(&set, i) || syscall_native_nr(i) < 0)
			continue;
		total++;
		if (how_call_allowed(in->p, i)) {
			allowed++;
			one = one ? one : syscall_table[i].name;
		}
	}
	if (!total)
		return says(why, size, 0, "no such call on this architecture");
	if (!allowed)
		snprintf(why, size, "%s denied", in->data);
	else if (total == 1)
		snprintf(why, size, "%s allowed", in->data);
	else
		snprintf(why, size, "%u of its %u calls allowed (%s%s)", allowed, total, one,
			 allowed > 1 ? ", ..." : "");
	return (double)allowed / total;
}

static double rate_namespaces(const struct score_in *in, char *why, size_t size)
{
	static const unsigned long types[] = {CLONE_NEWUSER, CLONE_NEWNS,  CLONE_NEWPID,
					      CLONE_NEWNET,  CLONE_NEWIPC, CLONE_NEWUTS,
					      CLONE_NEWCGROUP, CLONE_NEWTIME};
	if (in->p->ns_allowed == NS_ALL)
		return says(why, size, 1, "namespaces = all: the command may make any");
	const size_t n_types = ELEMENTSOF(types);
	unsigned n = 0;
	for (size_t i = 0; i < n_types; i++)
		n += (in->p->ns_allowed & types[i]) != 0;
	if (!n)
		return says(why, size, 0, "namespaces = none: the command may make none");
	snprintf(why, size, "%u of %zu namespace types may be made", n, n_types);
	return (double)n / (double)n_types;
}

/* A yes/no setting: its badness when bad() holds, with both reasons. */
struct switch_row {
	const char *name;
	bool (*bad)(const struct policy *p);
	const char *bad_text, *good_text;
};

static bool families_open(const struct policy *p) { return !p->families_restricted; }
static bool landlock_off(const struct policy *p) { return !p->landlock_fs; }
static bool no_process_limit(const struct policy *p) { return !p->processes; }
static bool no_tmpfs_budget(const struct policy *p) { return !p->tmpfs_budget; }
static bool host_terminal(const struct policy *p) { return p->terminal == TERMINAL_HOST; }
static bool env_kept(const struct policy *p) { return !p->env_clear; }
static bool wx_off(const struct policy *p) { return !p->wx; }
static bool personality_any(const struct policy *p) { return !p->personality_locked; }
static bool memfd_exec_yes(const struct policy *p)
{
	return p->memfd_exec && p->memfd_exec_s.set && !p->wx;
}
static bool fallback_landlock(const struct policy *p) { return p->fallback == FALLBACK_LANDLOCK; }

static const struct switch_row switches[] = {
	{"socket-families", families_open, "socket-families = all: packet sockets, netlink, every "
					   "family", "only the families listed"},
	{"landlock-fs", landlock_off, "landlock-fs = no: the mounts are the only fence",
	 "Landlock rules mirror the mounts"},
	{"processes", no_process_limit, "processes = none: a fork bomb reaches the host's limits",
	 "a process limit of its own"},
	{"tmpfs-budget", no_tmpfs_budget, "tmpfs = none: each tmpfs may fill half the host's memory",
	 "one tmpfs budget"},
	{"terminal", host_terminal, "terminal = host: the command holds your terminal",
	 "a pseudo-terminal of its own"},
	{"environment", env_kept, "clear = no: every variable of yours passes in (tokens, agents)",
	 "the environment cleared, then the keep list"},
	{"write-xor-execute", wx_off, "write-xor-execute = no: writable memory may become code",
	 "write-xor-execute = yes"},
	{"personality", personality_any, "personality = any: the execution domain may change",
	 "personality = locked"},
	{"memfd-exec", memfd_exec_yes, "memfd-exec = yes: code may run from memory alone",
	 "executable memfds refused or left to the default"},
	{"fallback", fallback_landlock, "fallback = landlock: without user namespaces it runs on "
					"the host's filesystem and network",
	 "fallback = none: no namespaces, no run"},
};

static double rate_switch(const struct score_in *in, char *why, size_t size)
{
	for (size_t i = 0; i < ELEMENTSOF(switches); i++)
		if (streq(switches[i].name, in->data)) {
			bool bad = switches[i].bad(in->p);
			return says(why, size, bad, bad ? switches[i].bad_text : switches[i].good_text);
		}
	return says(why, size, 0, "?");
}

static double rate_scope(const struct score_in *in, char *why, size_t size)
{
	if (in->p->scope == SCOPE_ALL)
		return says(why, size, 0, "abstract unix sockets and signals outside are out of reach");
	if (!in->p->scope)
		return says(why, size, 1, "scope = none: abstract unix sockets and signals outside "
					  "reachable where namespaces share them");
	return says(why, size, 0.5, in->p->scope == SCOPE_SIGNAL ? "abstract unix sockets outside "
								   "reachable"
								 : "signals outside reachable");
}

/* The weights add up to 10: a policy that opens everything scores 10.
 * Weighed by what each opening hands a hostile command: the host's
 * system calls, network and files first, then the kernel's riskier
 * interfaces, then the fences behind the fences. */
static const struct factor_row factors[] = {
	{"seccomp-default", 1.2, rate_default_action, NULL},
	{"network", 0.9, rate_network, NULL},
	{"home", 0.8, rate_home, NULL},
	{"host-root", 0.7, rate_host_root, NULL},
	{"capabilities", 0.7, rate_capabilities, NULL},
	{"writable-binds", 0.6, rate_writable_binds, NULL},
	{"user-namespace", 0.5, rate_unshare, "unshare-user"},
	{"devices", 0.4, rate_devices, NULL},
	{"namespaces", 0.4, rate_namespaces, NULL},
	{"pid-namespace", 0.3, rate_unshare, "unshare-pid"},
	{"landlock-fs", 0.3, rate_switch, "landlock-fs"},
	{"@mount", 0.25, rate_calls, "@mount"},
	{"@debug", 0.25, rate_calls, "@debug"},
	{"@privileged", 0.2, rate_calls, "@privileged"},
	{"@module", 0.2, rate_calls, "@module"},
	{"terminal", 0.2, rate_switch, "terminal"},
	{"cwd", 0.15, rate_cwd, NULL},
	{"ipc-namespace", 0.15, rate_unshare, "unshare-ipc"},
	{"@raw-io", 0.15, rate_calls, "@raw-io"},
	{"@keyring", 0.15, rate_calls, "@keyring"},
	{"@io-uring", 0.15, rate_calls, "@io-uring"},
	{"socket-families", 0.15, rate_switch, "socket-families"},
	{"processes", 0.15, rate_switch, "processes"},
	{"bpf", 0.1, rate_calls, "bpf"},
	{"userfaultfd", 0.1, rate_calls, "userfaultfd"},
	{"landlock-scope", 0.1, rate_scope, NULL},
	{"tmpfs-budget", 0.1, rate_switch, "tmpfs-budget"},
	{"environment", 0.1, rate_switch, "environment"},
	{"fallback", 0.1, rate_switch, "fallback"},
	{"uts-cgroup-namespaces", 0.05, rate_uts_cgroup, NULL},
	{"@reboot", 0.05, rate_calls, "@reboot"},
	{"@swap", 0.05, rate_calls, "@swap"},
	{"@clock", 0.05, rate_calls, "@clock"},
	{"@cpu-emulation", 0.05, rate_calls, "@cpu-emulation"},
	{"@obsolete", 0.05, rate_calls, "@obsolete"},
	{"write-xor-execute", 0.05, rate_switch, "write-xor-execute"},
	{"personality", 0.05, rate_switch, "personality"},
	{"memfd-exec", 0.05, rate_switch, "memfd-exec"},
	/* Never open in glovebox: listed so that the account is whole. */
	{"no-new-privs", 0, rate_constant, "always set, securebits locked: exec gains nothing"},
	{"foreign-abis", 0, rate_constant, "i386 and x32 calls kill the process, always"},
};

void score_policy(const struct policy *p, const char *home, struct score *out)
{
	*out = (struct score){.factors = xcalloc(ELEMENTSOF(factors), sizeof(*out->factors)),
			      .n_factors = ELEMENTSOF(factors)};
	double sum = 0;
	for (size_t i = 0; i < ELEMENTSOF(factors); i++) {
		struct score_factor *f = &out->factors[i];
		struct score_in in = {p, home, factors[i].data};
		f->name = factors[i].name;
		f->weight = factors[i].weight;
		f->points = f->weight * factors[i].rate(&in, f->reason, sizeof(f->reason));
		sum += f->points;
	}
	out->value = sum > 10 ? 10 : sum;
}

void score_free(struct score *s)
{
	free(s->factors);
	*s = (struct score){0};
}

long score_tenths(double value)
{
	return (long)(value * 10 + 0.5); /* never negative */
}
