/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* struct policy: everything a launch will do, as plain data.
 *
 * Built from the built-in defaults, the profile chain and the command line
 * (in that order, later layers win), validated, and only then handed to the
 * launcher. Nothing here touches the kernel, so all of it is unit-tested
 * without namespaces. Every value remembers where it came from. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "diag.h"
#include "how/syscalls.h"
#include "util.h"

/* A scalar setting's bookkeeping: whether any layer set it, and which. */
struct setting {
	bool set;
	struct origin origin;
};

/* ---- where ---- */

enum mount_kind {
	MOUNT_BIND,      /* read-write bind */
	MOUNT_RO_BIND,   /* read-only bind */
	MOUNT_DEV_BIND,  /* bind that keeps device nodes usable */
	MOUNT_TMPFS,     /* fresh tmpfs */
	MOUNT_PROC,      /* proc of the sandbox's pid namespace */
	MOUNT_DEV,       /* minimal /dev */
	MOUNT_MQUEUE,    /* POSIX message queues of the sandbox's ipc namespace */
	MOUNT_SYMLINK,   /* src = link target, dest = link */
	MOUNT_DIR,       /* an empty directory */
	MOUNT_FILE,      /* a file with src as its content */
	MOUNT_MIRROR,    /* host path recreated: a symlink as a symlink, else a read-only bind */
	MOUNT_REMOUNT_RO, /* make an existing mount inside read-only, recursively */
	MOUNT_CHMOD,      /* change the mode of a path inside */
	MOUNT_TMP_OVERLAY, /* src read-only below, a throw-away writable layer above */
	MOUNT_OVERLAY,    /* src read-only below, changes kept in aux/upper on the host */
	MOUNT_RO_OVERLAY, /* src over lowers, read-only: nothing is written */
};

#define MOUNT_F_TRY 0x1u /* skip, silently, when the source is missing */
#define MOUNT_F_SUBSET_PID 0x2u /* proc: the processes only (subset=pid) */
/* links=follow: follow every symlink on the way to the source, not only
 * root's (a sandbox that can write there can then redirect the bind) */
#define MOUNT_F_FOLLOW_LINKS 0x4u
/* writable=intended: a writable bind of /, $HOME or a place of secrets is
 * meant */
#define MOUNT_F_WRITABLE_INTENDED 0x8u
#define MOUNT_F_PRIVATE_PARENTS 0x10u /* missing parent directories are made 0700 (bwrap's binds) */
#define MOUNT_F_WRITABLE 0x20u /* a file: the sandbox may change its copy (bwrap's --bind-data) */
/* tmpfs exec=no (noexec): what the command writes there cannot be run, nor mapped
 * executable (through ld.so), so nothing downloaded or written runs */
#define MOUNT_F_NOEXEC 0x40u
/* an overlay of bwrap's grammar (--overlay-src layers, then the overlay) */
#define MOUNT_F_LAYERED 0x80u

#define MODE_UNSET UINT32_MAX

struct mount_op {
	enum mount_kind kind;
	unsigned flags;
	char *src;  /* host path, link target or file content; NULL when unused */
	size_t len; /* file content: its length when it may hold NUL bytes (bwrap's); else 0 */
	char *dest; /* absolute path inside the sandbox */
	char *aux;  /* overlay: the host directory that keeps the changes */
	/* overlay: aux is the upper layer itself and this its work directory
	 * (bwrap's RWSRC WORKDIR), both kept on the host; NULL: aux holds
	 * upper/ and work/ */
	char *work;
	struct strv lowers; /* overlay: the layers below src, the uppermost first */
	uint32_t mode;
	uint64_t size; /* tmpfs size in bytes; 0 for the kernel's default */
	struct origin origin;
};

/* A mount entry that a later setting took away (remove = DEST, or
 * unshare-pid = no for proc), kept so that explain can show it. */
struct mount_removed {
	struct mount_op op;
	struct origin by;
};

enum home_mode { HOME_TMPFS, HOME_RO, HOME_RW, HOME_NONE, HOME_PRIVATE };
/* The user's terminal: a pseudo-terminal of the sandbox's own in front of
 * it, or (at a risk) the terminal itself. */
enum terminal_mode { TERMINAL_PTY, TERMINAL_HOST };
/* The launcher's working directory, shared at its own path (or not). */
enum cwd_mode { CWD_NONE, CWD_RO, CWD_RW };
/* none: a network namespace with loopback only; host: the host's; user:
 * a namespace of its own that pasta connects to the host's network. */
enum net_mode { NET_NONE, NET_HOST, NET_USER };

/* network = user: a port of the host that pasta forwards into the sandbox. */
enum forward_proto { FORWARD_TCP, FORWARD_UDP };

struct port_forward {
	enum forward_proto proto;
	char *address; /* the host address pasta listens on; NULL: every address */
	uint16_t host_port, sandbox_port;
	struct origin origin;
};
/* Landlock scopes: what the sandbox may not reach outside itself. */
#define SCOPE_ABSTRACT_UNIX 0x1u /* abstract unix sockets made outside */
#define SCOPE_SIGNAL        0x2u /* signals to processes outside */
#define SCOPE_ALL (SCOPE_ABSTRACT_UNIX | SCOPE_SIGNAL)
/* Landlock's TCP rules: the ports the command may connect to, and bind. */
enum tcp_kind { TCP_CONNECT, TCP_BIND, TCP_KIND_COUNT };
struct tcp_ports {
	bool restricted; /* only the ports listed (unset, or any: every port) */
	uint16_t *v;
	size_t n;
	struct setting s;
};
/* Where no user namespace can be made: fail (status 125), or run with
 * Landlock, seccomp and no capabilities, without namespaces. */
enum fallback_mode { FALLBACK_NONE, FALLBACK_LANDLOCK };

/* ---- desktop ---- */

/* What of the user's graphical session a [desktop] key grants. The policy
 * keeps the wish; policy/desktop.c turns it into mounts and variables
 * against the session glovebox runs in. */
enum desktop_grant {
	GRANT_WAYLAND,
	GRANT_X11,
	GRANT_AUDIO,
	GRANT_GPU,
	GRANT_LOOK,
	GRANT_COUNT,
};

/* user-dir = NAME[:ro] (an XDG user directory) or app-dirs = NAME (the
 * app's own config and data directories), kept between runs. */
struct desktop_dir {
	char *name;
	bool app;
	bool read_only;
	struct origin origin;
};

/* ---- what ---- */

enum user_mode { USER_SELF, USER_ROOT };
/* Who the sandbox is to the host: the user who runs glovebox, or (root
 * only) nobody, uid and gid 65534. */
enum host_user_mode { HOST_USER_SELF, HOST_USER_NOBODY };
#define HOST_NOBODY 65534

/* When the command exits: kill whatever it left running, or wait for it. */
enum background_mode { BACKGROUND_KILL, BACKGROUND_WAIT };

/* ---- limits ---- */

/* processes = N becomes the pid namespace's pid_max, N + 300, which the
 * kernel keeps below 4194304 (what/limits.c says why). */
#define LIMIT_PROCESSES_MAX (4194304u - 300u)

struct rlimit_setting {
	bool set;
	struct rlimit lim;
	struct origin origin;
};

/* Counts the kernel keeps per user in each user namespace, and checks in
 * every namespace above too (/proc/sys/user/max_*): lowered in the
 * sandbox's own namespace, they bound the sandbox and leave the rest to
 * the user's other processes. what/ucounts.c applies them. */
enum ucount_kind { UCOUNT_INOTIFY_INSTANCES, UCOUNT_INOTIFY_WATCHES, UCOUNT_KINDS };

struct ucount_limit {
	uint64_t value; /* a count, or a percentage of the user's own limit; 0: not lowered */
	bool percent;
	struct setting s;
};

/* cgroup v2 limits: the sandbox runs in a cgroup of its own, made in a
 * delegated one (launch/cgroup.c). Where none can be had, cgroup-fallback
 * = rlimits stands RLIMIT_AS in for memory and processes = N for pids. */
enum cgroup_fallback { CGROUP_FALLBACK_NONE, CGROUP_FALLBACK_RLIMITS };

/* ---- how ---- */

enum sc_action_kind {
	SC_UNSET = 0, /* not mentioned by any rule: the default action applies */
	SC_ALLOW,
	SC_ERRNO,
	SC_KILL,
	SC_LOG,
	SC_DEFAULT, /* explicitly denied: gets the default action */
};

struct sc_action {
	enum sc_action_kind kind;
	int errnum; /* for SC_ERRNO */
};

/* 12 bytes a call: the origin is an index into policy.rule_origins, one
 * entry per allow/deny line rather than one copy per call. */
struct sc_rule {
	struct sc_action action;
	uint32_t origin;
};

/* An argument comparison: args[arg] OP value, or (args[arg] & mask) == value. */
enum arg_op { ARG_EQ, ARG_NE, ARG_LT, ARG_LE, ARG_GT, ARG_GE, ARG_MASKED_EQ };

struct arg_cmp {
	unsigned arg;
	enum arg_op op;
	uint64_t mask;
	uint64_t value;
};

#define ARG_CMP_MAX 6

/* A call denied (or logged) when every comparison holds. */
struct arg_rule {
	int syscall; /* index into syscall_table */
	struct sc_action action;
	struct arg_cmp cmps[ARG_CMP_MAX];
	unsigned n_cmps;
	struct origin origin;
};

#define NS_ALL 0xffffffffu /* every namespace type may be created */

/* ---- dbus ---- */

/* A [dbus] rule, handed to xdg-dbus-proxy as --see=, --talk=, --own=,
 * --call= or --broadcast= (value: a bus name, NAME.* for a subtree, and
 * for call and broadcast NAME=RULE). */
enum dbus_rule_kind { DBUS_SEE, DBUS_TALK, DBUS_OWN, DBUS_CALL, DBUS_BROADCAST };

struct dbus_rule {
	enum dbus_rule_kind kind;
	char *value;
	struct origin origin;
};

/* ---- env ---- */

enum env_op_kind { ENV_KEEP, ENV_SET, ENV_UNSET };

struct env_op {
	enum env_op_kind kind;
	char *name; /* a pattern for ENV_KEEP ("LC_*") */
	char *value;
	struct origin origin;
};

/* The namespaces a profile may turn off (unshare-pid = no ...): where
 * each one's setting is kept in unshare_s. */
enum unshare_kind {
	UNSHARE_PID,
	UNSHARE_IPC,
	UNSHARE_UTS,
	UNSHARE_CGROUP,
	UNSHARE_USER,
	UNSHARE_COUNT,
};

/* bwrap's meaning where it differs from glovebox's own: set by the bwrap
 * front end (src/bwrap/) alone, off for profiles and glovebox's command
 * line. The plan, the id maps, the capabilities and the start directory
 * read it. */
struct bwrap_semantics {
	bool on;
	uid_t uid; /* inside the user namespace */
	gid_t gid;
	bool caps_ambient;  /* --cap-add or --cap-drop: the set is ambient too */
	uint64_t bounding;  /* the bounding set: the caps, or root's own (bwrap_main) */
};

/* A profile file layered into the policy, in the order of layering. */
struct policy_layer {
	const char *file;      /* interned label, as origins name it */
	const char *dropin_of; /* a drop-in: the label of the profile it extends; else NULL */
	/* Its place in the layering: a file's includes are loaded after it
	 * starts but applied before its values, so the load order is not it. */
	unsigned order;
};

struct policy {
	char *description;
	struct setting description_s;
	struct setting blank_s; /* include = none: where a blank slate was asked for */
	/* An app's profile: its desktop file's id and its program, which
	 * `glovebox run APP` and `glovebox desktop` match. */
	char *desktop_id;
	struct setting desktop_id_s;
	char *binary;
	struct setting binary_s;

	/* where */
	struct mount_op *mounts;
	size_t n_mounts, cap_mounts;
	struct mount_removed *removed;
	size_t n_removed;
	enum home_mode home;
	struct setting home_s;
	enum net_mode network;
	struct setting network_s;
	struct port_forward *forwards; /* in order; at most one per host port and protocol */
	size_t n_forwards;
	struct setting forwards_s; /* the last forward line (forward = none empties the list) */
	char *hostname;
	struct setting hostname_s;
	enum terminal_mode terminal;
	struct setting terminal_s;
	unsigned scope; /* SCOPE_* flags */
	struct setting scope_s;
	bool landlock_fs; /* Landlock rules that mirror the mounts */
	struct setting landlock_fs_s;
	struct tcp_ports tcp[TCP_KIND_COUNT];
	enum fallback_mode fallback;
	struct setting fallback_s;
	char *chdir;
	struct setting chdir_s;
	enum cwd_mode cwd;
	struct setting cwd_s;
	/* CLONE_NEW* flags among pid, ipc, uts and cgroup (user and mount are
	 * always new; net follows `network`). */
	unsigned long unshare;
	struct setting unshare_s[UNSHARE_COUNT];
	char *home_name; /* for home = private: which persistent home */

	/* desktop */
	bool grants[GRANT_COUNT];
	struct setting grants_s[GRANT_COUNT];
	struct desktop_dir *desktop_dirs; /* in order */
	size_t n_desktop_dirs;

	/* what */
	enum user_mode user;
	struct setting user_s;
	enum host_user_mode host_user;
	struct setting host_user_s;
	enum background_mode background;
	struct setting background_s;
	bool as_pid_1; /* the command is pid 1 itself: no init of glovebox's stays */
	struct setting as_pid_1_s;
	uint64_t caps; /* bit n = capability n kept */
	struct setting caps_s;

	/* limits */
	struct rlimit_setting rlimits[RLIMIT_NLIMITS];
	uint64_t timeout_ms; /* wall-clock limit of the whole sandbox; 0: none */
	struct setting timeout_s;
	uint64_t tmpfs_budget; /* bytes shared by every tmpfs of the sandbox; 0: none */
	struct setting tmpfs_budget_s;
	uint32_t processes; /* the command's processes (threads too) at once; 0: no limit */
	struct setting processes_s;
	struct ucount_limit ucounts[UCOUNT_KINDS];
	uint64_t memory; /* cgroup memory.max in bytes; 0: none */
	struct setting memory_s;
	uint32_t pids; /* cgroup pids.max; 0: none */
	struct setting pids_s;
	uint32_t cpu_quota; /* cgroup cpu.max, percent of one CPU; 0: none */
	struct setting cpu_quota_s;
	char *cgroup; /* the delegated cgroup to make the sandbox's in; NULL: glovebox's own */
	struct setting cgroup_s;
	enum cgroup_fallback cgroup_fallback;
	struct setting cgroup_fallback_s;

	/* how */
	struct sc_rule *syscalls; /* indexed like syscall_table */
	struct origin *rule_origins; /* [0] is "no rule" */
	size_t n_rule_origins;
	struct sc_action default_action;
	struct setting default_action_s;
	uint32_t ns_allowed; /* CLONE_NEW* flags the command may create namespaces with */
	struct setting ns_s;
	uint64_t families; /* bit n: address family n allowed, when restricted */
	bool families_restricted;
	struct setting families_s;
	bool wx; /* write-xor-execute memory */
	struct setting wx_s;
	/* memfd-exec: executable memfds allowed. Unset, they are refused where
	 * the launcher can (root sets vm.memfd_noexec); no also refuses them by
	 * seccomp; yes leaves the sysctl alone. */
	bool memfd_exec;
	struct setting memfd_exec_s;
	bool personality_locked;
	struct setting personality_s;
	struct arg_rule *arg_rules; /* ioctl-deny and rule entries, in order */
	size_t n_arg_rules, cap_arg_rules;

	/* dbus: any rule, or portals, puts the session bus behind a filter */
	struct dbus_rule *dbus_rules;
	size_t n_dbus_rules;
	bool dbus_portals; /* org.freedesktop.portal.* talkable */
	struct setting dbus_portals_s;
	bool dbus_system; /* the system bus's socket, unfiltered */
	struct setting dbus_system_s;
	char *dbus_proxy_dir; /* the host directory of the proxy's socket, once planned */

	/* env */
	bool env_clear;
	struct setting env_clear_s;
	struct env_op *env_ops;
	size_t n_env_ops, cap_env_ops;

	struct bwrap_semantics bwrap;

	/* the command */
	struct strv argv;

	/* overlay-src layers given, for the next overlay of bwrap's grammar
	 * (tmp-overlay, overlay, ro-overlay on the command line); the origin
	 * is the first's */
	struct strv overlay_srcs;
	struct origin overlay_srcs_by;

	/* Strings origins point at (profile paths, CLI option names), owned here
	 * so an origin can be copied freely. */
	struct strv interned;
	struct policy_layer *layers; /* the profile files, in order (explain, check) */
	size_t n_layers;
};

void policy_init(struct policy *p);
void policy_free(struct policy *p);

/* Returns a pointer owned by the policy that stays valid until policy_free. */
const char *policy_intern(struct policy *p, const char *s);

struct mount_op *policy_add_mount(struct policy *p, enum mount_kind kind, const struct origin *o);
/* An overlay of bwrap's grammar at dest (owned): the layers srcs gave
 * (--overlay-src, the last the uppermost) are moved into it, srcs left
 * empty. The caller sets aux and work for --overlay. */
struct mount_op *policy_add_layered_overlay(struct policy *p, enum mount_kind kind,
					    struct strv *srcs, char *dest, const struct origin *o);
struct gb_option;
/* overlay-src layers still waiting for their overlay when opt comes (NULL:
 * at the end): an error naming the first, as bwrap's. */
int policy_overlay_srcs_left(struct policy *p, const struct gb_option *opt,
			     const struct origin *o, struct diag *d);
/* Take away, in order, every mount entry added so far that match()
 * accepts, recording `by` as the reason. Returns how many were taken. */
typedef bool (*mount_match_fn)(const struct mount_op *m, const void *data);
size_t policy_remove_mounts(struct policy *p, mount_match_fn match, const void *data,
			    const struct origin *by);
/* Both paths normalised: "/a/b" is at or below "/a", "/ab" is not. */
bool path_at_or_below(const char *path, const char *dir);
/* Matchers: the entry's destination is data (a normalised path) or below
 * it; the entry is a proc mount. */
bool mount_at_or_below(const struct mount_op *m, const void *dest);
bool mount_is_proc(const struct mount_op *m, const void *unused);

struct env_op *policy_add_env(struct policy *p, enum env_op_kind kind, const struct origin *o);
/* user-dir = none (app false), app-dirs = none (true): the entries of
 * earlier layers go. */
void policy_clear_desktop_dirs(struct policy *p, bool app);
/* forward = none: the forwards of earlier layers go. */
void policy_clear_forwards(struct policy *p);
struct arg_rule *policy_add_arg_rule(struct policy *p, const struct origin *o);

/* Record the origin of a rule line, returning its index. */
uint32_t policy_add_rule_origin(struct policy *p, const struct origin *o);

static inline const struct origin *sc_rule_origin(const struct policy *p, size_t i)
{
	return &p->rule_origins[p->syscalls[i].origin];
}

/* The bytes of the tmpfs budget that tmpfs mounts with a size of their
 * own take. */
uint64_t policy_tmpfs_reserved(const struct policy *p);

/* Cross-field checks after every layer is applied. Returns 0 or -1 (reported). */
int policy_validate(struct policy *p, struct diag *d);

/* A shipped building block (grant-network, restrict-etc) run by itself,
 * or the last one loaded: errors say how to layer it. */
bool policy_is_building_block(const struct policy *p);
#define BUILDING_BLOCK_HINT "this is a building block, to layer after a profile that "
/* The session bus goes through xdg-dbus-proxy. */
bool policy_dbus_filtered(const struct policy *p);
/* Once every layer is applied: system-bus = yes binds the system bus's
 * socket; a filtered session bus binds proxy_dir/bus (the proxy's socket,
 * not there yet) at runtime_dir/bus and points DBUS_SESSION_BUS_ADDRESS
 * at it. 0 or -1 (reported). */
int policy_plan_dbus(struct policy *p, const char *runtime_dir, const char *proxy_dir,
		     struct diag *d);

const char *mount_kind_name(enum mount_kind k);
/* The host paths mount m shows, for i = 0, 1, ...: its source, an
 * overlay's lower layers, then the host directory that takes a persistent
 * overlay's changes; NULL after the last. *written: the sandbox writes to
 * the host through this one (a writable bind's source, an overlay's
 * changes). */
const char *mount_host_path(const struct mount_op *m, size_t i, bool *written);
const char *home_mode_name(enum home_mode m);
const char *net_mode_name(enum net_mode m);
const char *forward_proto_name(enum forward_proto p);
