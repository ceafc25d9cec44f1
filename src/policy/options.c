/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "policy/appliers.h"

#include "how/constants.h"
#include "how/rules.h"

#include <cap-ng.h>
#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- [profile] ---- */

static int apply_description(struct policy *p, const struct gb_option *opt _unused_, char **a,
			     size_t n _unused_, const struct origin *o, struct diag *d _unused_)
{
	free(p->description);
	p->description = xstrdup(a[0]);
	p->description_s = (struct setting){true, *o};
	return 0;
}

/* ---- one word of a fixed list ---- */

/* The options whose value is one word of a fixed list, each word a value
 * of one policy field: opt->data is their row here. */
enum keyword_option {
	KW_HOME,
	KW_CWD,
	KW_NETWORK,
	KW_TERMINAL,
	KW_USER,
	KW_HOST_USER,
	KW_BACKGROUND,
	KW_PERSONALITY,
	KW_FALLBACK,
};

#define POLICY_FIELD(f) offsetof(struct policy, f), sizeof(((struct policy *)0)->f)

struct keyword_word {
	const char *word;
	int value;
};

struct keyword_row {
	struct keyword_word words[5]; /* in the order the error message lists them */
	size_t field, size, setting;
};

static const struct keyword_row keyword_options[] = {
	[KW_HOME] = {{{"tmpfs", HOME_TMPFS}, {"ro", HOME_RO}, {"rw", HOME_RW},
		      {"private", HOME_PRIVATE}, {"none", HOME_NONE}},
		     POLICY_FIELD(home), offsetof(struct policy, home_s)},
	[KW_CWD] = {{{"ro", CWD_RO}, {"rw", CWD_RW}, {"none", CWD_NONE}},
		    POLICY_FIELD(cwd), offsetof(struct policy, cwd_s)},
	[KW_NETWORK] = {{{"none", NET_NONE}, {"host", NET_HOST}, {"user", NET_USER}},
			POLICY_FIELD(network), offsetof(struct policy, network_s)},
	[KW_TERMINAL] = {{{"pty", TERMINAL_PTY}, {"host", TERMINAL_HOST}},
			 POLICY_FIELD(terminal), offsetof(struct policy, terminal_s)},
	[KW_USER] = {{{"self", USER_SELF}, {"root", USER_ROOT}},
		     POLICY_FIELD(user), offsetof(struct policy, user_s)},
	[KW_HOST_USER] = {{{"self", HOST_USER_SELF}, {"nobody", HOST_USER_NOBODY}},
			  POLICY_FIELD(host_user), offsetof(struct policy, host_user_s)},
	[KW_BACKGROUND] = {{{"kill", BACKGROUND_KILL}, {"wait", BACKGROUND_WAIT}},
			   POLICY_FIELD(background), offsetof(struct policy, background_s)},
	[KW_PERSONALITY] = {{{"locked", true}, {"any", false}},
			    POLICY_FIELD(personality_locked), offsetof(struct policy, personality_s)},
	[KW_FALLBACK] = {{{"none", FALLBACK_NONE}, {"landlock", FALLBACK_LANDLOCK}},
			 POLICY_FIELD(fallback), offsetof(struct policy, fallback_s)},
};

static int apply_keyword(struct policy *p, const struct gb_option *opt, char **a,
			 size_t n _unused_, const struct origin *o, struct diag *d)
{
	const struct keyword_row *k = &keyword_options[opt->data];
	char *field = (char *)p + k->field;
	size_t i = 0;
	for (; i < ELEMENTSOF(k->words) && k->words[i].word; i++) {
		if (!streq(a[0], k->words[i].word))
			continue;
		/* the field is an enum (int-sized) or a bool */
		int value = k->words[i].value;
		bool flag = value != 0;
		memcpy(field, k->size == sizeof(bool) ? (void *)&flag : (void *)&value, k->size);
		*(struct setting *)(void *)((char *)p + k->setting) = (struct setting){true, *o};
		return 0;
	}
	/* "expected a, b or c" */
	char expected[128];
	size_t w = 0;
	for (size_t j = 0; j < i; j++)
		w += (size_t)snprintf(expected + w, sizeof(expected) - w, "%s%s",
				      j == 0 ? "" : j + 1 == i ? " or " : ", ", k->words[j].word);
	return diag_error(d, o, "%s: expected %s", a[0], expected);
}

/* ---- [what] ---- */

static int apply_capabilities(struct policy *p, const struct gb_option *opt _unused_, char **a,
			      size_t n, const struct origin *o, struct diag *d)
{
	uint64_t caps = 0;
	for (size_t i = 0; i < n; i++) {
		if (streq(a[i], "none")) {
			if (n > 1)
				return diag_error(d, o, "'none' cannot be combined with names");
			continue;
		}
		int c = parse_capability(a[i]);
		if (c < 0 || c > CAP_LAST_CAP || c > 63)
			return diag_error(d, o, "%s: unknown capability", a[i]);
		caps |= UINT64_C(1) << c;
	}
	p->caps = caps;
	p->caps_s = (struct setting){true, *o};
	return 0;
}

/* The yes/no options: opt->data is their row. */
enum bool_option {
	BOOL_WX,
	BOOL_ENV_CLEAR,
	BOOL_UNSHARE_PID,
	BOOL_UNSHARE_IPC,
	BOOL_UNSHARE_UTS,
	BOOL_UNSHARE_CGROUP,
	BOOL_UNSHARE_USER,
	BOOL_LANDLOCK_FS,
	BOOL_AS_PID_1,
};

static void apply_unshare(struct policy *p, enum unshare_kind k, bool v, const struct origin *o)
{
	static const unsigned long flags[UNSHARE_COUNT] = {
		[UNSHARE_PID] = CLONE_NEWPID, [UNSHARE_IPC] = CLONE_NEWIPC,
		[UNSHARE_UTS] = CLONE_NEWUTS, [UNSHARE_CGROUP] = CLONE_NEWCGROUP,
		[UNSHARE_USER] = CLONE_NEWUSER,
	};
	if (v)
		p->unshare |= flags[k];
	else
		p->unshare &= ~flags[k];
	p->unshare_s[k] = (struct setting){true, *o};
	/* A proc without the sandbox's own pid namespace would show the host's
	 * processes: the proc entries so far go (explain shows them); one
	 * added later is an error (policy_validate). */
	if (k == UNSHARE_PID && !v)
		policy_remove_mounts(p, mount_is_proc, NULL, o);
}

static int apply_bool_setting(struct policy *p, const struct gb_option *opt, char **a,
			      size_t n _unused_, const struct origin *o, struct diag *d)
{
	bool v;
	if (parse_bool(a[0], &v) < 0)
		return diag_error(d, o, "%s: expected yes or no", a[0]);
	switch ((enum bool_option)opt->data) {
	case BOOL_WX:
		p->wx = v;
		p->wx_s = (struct setting){true, *o};
		break;
	case BOOL_ENV_CLEAR:
		p->env_clear = v;
		p->env_clear_s = (struct setting){true, *o};
		break;
	case BOOL_UNSHARE_PID:
	case BOOL_UNSHARE_IPC:
	case BOOL_UNSHARE_UTS:
	case BOOL_UNSHARE_CGROUP:
	case BOOL_UNSHARE_USER:
		apply_unshare(p, (enum unshare_kind)(opt->data - BOOL_UNSHARE_PID), v, o);
		break;
	case BOOL_LANDLOCK_FS:
		p->landlock_fs = v;
		p->landlock_fs_s = (struct setting){true, *o};
		break;
	case BOOL_AS_PID_1:
		p->as_pid_1 = v;
		p->as_pid_1_s = (struct setting){true, *o};
		break;
	}
	return 0;
}

/* ---- the table ---- */

#define BIND(k, f) ((intptr_t)(k) | ((intptr_t)(f) << 8))
/* An rlimit: its value (or SOFT:HARD) in its unit, or unlimited. The
 * string arguments are pasted into literals: no parentheses. */
/* NOLINTBEGIN(bugprone-macro-parentheses) */
#define RLIMIT_ROW(name, unit, help_, resource)                                                    \
	{.section = "limits", .key = name, .cli = "limit-" name, .cli_nargs = 1, .min_args = 1,    \
	 .max_args = 1, .metavar = unit "|SOFT:HARD", .help = "rlimit: " help_,                   \
	 .apply = apply_rlimit, .data = (resource)}
/* NOLINTEND(bugprone-macro-parentheses) */

/* clang-format off */
const struct gb_option gb_options[] = {
	/* Fields left out are 0: no short option, VALUE_WORDS, no flags, no data. */
	{.section = "profile", .key = "description", .cli = "description", .cli_nargs = 1,
	 .min_args = 1, .max_args = 1, .style = VALUE_TEXT, .metavar = "TEXT",
	 .help = "a line saying what the profile is for", .apply = apply_description},
	{.section = "profile", .key = "desktop-id", .cli = "desktop-id", .cli_nargs = 1,
	 .min_args = 1, .max_args = 1, .metavar = "ID",
	 .help = "the app's desktop file id (org.example.App for org.example.App.desktop), which "
	         "glovebox run and glovebox desktop match", .apply = apply_app_meta,
	 .data = APP_META_DESKTOP_ID},
	{.section = "profile", .key = "binary", .cli = "binary", .cli_nargs = 1, .min_args = 1,
	 .max_args = 1, .metavar = "NAME|PATH",
	 .help = "the app's program: what glovebox run APP starts under this profile",
	 .apply = apply_app_meta, .data = APP_META_BINARY},
	{.section = "profile", .key = "include", .cli = "profile", .cli_short = 'p',
	 .cli_nargs = 1, .min_args = 1, .max_args = 0, .flags = OPT_INCLUDE,
	 .metavar = "NAME|PATH",
	 .help = "layer a profile (a name on the search path, or a path); later layers win; none: a "
	         "blank slate instead of the built-in default"},

	{.section = "where", .key = "bind", .cli = "bind", .cli_nargs = 2, .min_args = 1,
	 .max_args = 4, .metavar = "SRC [DEST] [links=follow] [writable=intended]",
	 .help = "bind a host path read-write",
	 .apply = apply_bind, .data = BIND(MOUNT_BIND, 0)},
	{.section = "where", .key = "bind-try", .cli = "bind-try", .cli_nargs = 2, .min_args = 1,
	 .max_args = 4, .flags = OPT_SKIP_UNSET_VAR,
	 .metavar = "SRC [DEST] [links=follow] [writable=intended]",
	 .help = "like bind, skipped when SRC is missing", .apply = apply_bind,
	 .data = BIND(MOUNT_BIND, MOUNT_F_TRY)},
	{.section = "where", .key = "ro-bind", .cli = "ro-bind", .cli_nargs = 2, .min_args = 1,
	 .max_args = 3, .metavar = "SRC [DEST] [links=follow]",
	 .help = "bind a host path read-only (every submount too)", .apply = apply_bind,
	 .data = BIND(MOUNT_RO_BIND, 0)},
	{.section = "where", .key = "ro-bind-try", .cli = "ro-bind-try", .cli_nargs = 2,
	 .min_args = 1, .max_args = 3, .flags = OPT_SKIP_UNSET_VAR,
	 .metavar = "SRC [DEST] [links=follow]",
	 .help = "like ro-bind, skipped when SRC is missing", .apply = apply_bind,
	 .data = BIND(MOUNT_RO_BIND, MOUNT_F_TRY)},
	{.section = "where", .key = "dev-bind", .cli = "dev-bind", .cli_nargs = 2, .min_args = 1,
	 .max_args = 4, .metavar = "SRC [DEST] [links=follow] [writable=intended]",
	 .help = "bind a host path read-write, device nodes usable", .apply = apply_bind,
	 .data = BIND(MOUNT_DEV_BIND, 0)},
	{.section = "where", .key = "dev-bind-try", .cli = "dev-bind-try", .cli_nargs = 2,
	 .min_args = 1, .max_args = 4, .flags = OPT_SKIP_UNSET_VAR,
	 .metavar = "SRC [DEST] [links=follow] [writable=intended]",
	 .help = "like dev-bind, skipped when SRC is missing", .apply = apply_bind,
	 .data = BIND(MOUNT_DEV_BIND, MOUNT_F_TRY)},
	{.section = "where", .key = "mirror", .cli = "mirror", .cli_nargs = 1, .min_args = 1,
	 .max_args = 0, .metavar = "PATH...",
	 .help = "recreate host paths: a symlink as the same symlink, else a read-only bind; "
	         "missing ones are skipped", .apply = apply_mirror},
	{.section = "where", .key = "tmpfs", .cli = "tmpfs", .cli_nargs = 1, .min_args = 1,
	 .max_args = 4, .metavar = "DEST [size=BYTES] [mode=OCTAL] [exec=no]",
	 .help = "mount a fresh tmpfs (exec=no: nothing written there can be run)",
	 .apply = apply_dest_op, .data = MOUNT_TMPFS},
	{.section = "where", .key = "proc", .cli = "proc", .cli_nargs = 1, .min_args = 1,
	 .max_args = 2, .metavar = "DEST [subset=pid]",
	 .help = "mount proc for the sandbox's own processes (subset=pid: those alone, no "
	         "system files)",
	 .apply = apply_dest_op, .data = MOUNT_PROC},
	{.section = "where", .key = "dev", .cli = "dev", .cli_nargs = 1, .min_args = 1,
	 .max_args = 1, .metavar = "DEST",
	 .help = "mount a minimal /dev (null zero full random urandom tty pts ptmx shm)",
	 .apply = apply_dest_op, .data = MOUNT_DEV},
	{.section = "where", .key = "mqueue", .cli = "mqueue", .cli_nargs = 1, .min_args = 1,
	 .max_args = 1, .metavar = "DEST", .help = "mount the sandbox's POSIX message queues",
	 .apply = apply_dest_op, .data = MOUNT_MQUEUE},
	{.section = "where", .key = "symlink", .cli = "symlink", .cli_nargs = 2, .min_args = 2,
	 .max_args = 2, .metavar = "TARGET LINK",
	 .help = "create the symlink LINK pointing at TARGET", .apply = apply_symlink},
	{.section = "where", .key = "dir", .cli = "dir", .cli_nargs = 1, .min_args = 1,
	 .max_args = 2, .metavar = "DEST [mode=OCTAL]", .help = "create a directory",
	 .apply = apply_dest_op, .data = MOUNT_DIR},
	{.section = "where", .key = "remount-ro", .cli = "remount-ro", .cli_nargs = 1,
	 .min_args = 1, .max_args = 1, .metavar = "DEST",
	 .help = "make the mount at DEST read-only, with every submount", .apply = apply_dest_op,
	 .data = MOUNT_REMOUNT_RO},
	{.section = "where", .key = "file", .cli = "file-text", .cli_nargs = 2, .min_args = 2,
	 .max_args = 3, .metavar = "DEST CONTENT [mode=OCTAL]",
	 .help = "a read-only file with this content (in a profile, \\n and \\t in \"quotes\")",
	 .apply = apply_file},
	{.section = "where", .key = "chmod", .cli = "chmod", .cli_nargs = 2, .min_args = 2,
	 .max_args = 2, .metavar = "MODE PATH", .help = "change the mode of a path inside",
	 .apply = apply_chmod},
	{.section = "where", .key = "tmp-overlay", .cli = "overlay-tmp", .cli_nargs = 2,
	 .min_args = 1, .max_args = 2, .metavar = "LOWER [DEST]",
	 .help = "LOWER read-only under a writable layer that vanishes with the sandbox",
	 .apply = apply_overlay, .data = MOUNT_TMP_OVERLAY},
	{.section = "where", .key = "overlay", .cli = "overlay-dir", .cli_nargs = 3, .min_args = 2,
	 .max_args = 3, .metavar = "LOWER DIR [DEST]",
	 .help = "LOWER read-only under a writable layer kept in DIR/upper (DIR/work: scratch)",
	 .apply = apply_overlay, .data = MOUNT_OVERLAY},
	{.section = "where", .key = "overlay-src", .cli = "overlay-src", .cli_nargs = 1,
	 .min_args = 1, .max_args = 1, .metavar = "SRC",
	 .help = "a lower layer of the next tmp-overlay, overlay or ro-overlay, above those before it",
	 .apply = apply_overlay_src},
	{.section = "where", .key = "overlay-src-tmp", .cli = "tmp-overlay", .cli_nargs = 1,
	 .min_args = 1, .max_args = 1, .metavar = "DEST",
	 .help = "the overlay-src layers at DEST under a writable layer that vanishes (bwrap's)",
	 .apply = apply_layered_overlay, .data = MOUNT_TMP_OVERLAY},
	{.section = "where", .key = "overlay-src-rw", .cli = "overlay", .cli_nargs = 3,
	 .min_args = 3, .max_args = 3, .metavar = "RWSRC WORKDIR DEST",
	 .help = "the overlay-src layers at DEST, changes kept in RWSRC (WORKDIR: empty, "
		 "same filesystem; bwrap's)",
	 .apply = apply_layered_overlay, .data = MOUNT_OVERLAY},
	{.section = "where", .key = "ro-overlay", .cli = "ro-overlay", .cli_nargs = 1,
	 .min_args = 1, .max_args = 1, .metavar = "DEST",
	 .help = "the overlay-src layers (two at least) at DEST, read-only (bwrap's)",
	 .apply = apply_layered_overlay, .data = MOUNT_RO_OVERLAY},
	{.section = "where", .key = "remove", .cli = "remove", .cli_nargs = 1, .min_args = 1,
	 .max_args = 0, .metavar = "DEST...",
	 .help = "take away what earlier layers put at DEST or below it (mounts, links, files, dirs)",
	 .apply = apply_remove},
	{.section = "where", .key = "chdir", .cli = "chdir", .cli_nargs = 1, .min_args = 1,
	 .max_args = 1, .metavar = "DIR",
	 .help = "the start directory inside (default: the shared current directory; see cwd)",
	 .apply = apply_chdir},
	{.section = "where", .key = "cwd", .cli = "cwd", .cli_nargs = 1, .min_args = 1,
	 .max_args = 1, .metavar = "ro|rw|none",
	 .help = "share the current directory at its own path and start there (not /, $HOME or a "
	         "directory above it)", .apply = apply_keyword, .data = KW_CWD},
	{.section = "where", .key = "home", .cli = "home", .cli_nargs = 1, .min_args = 1,
	 .max_args = 1, .metavar = "tmpfs|ro|rw|private|none",
	 .help = "what the sandbox sees at $HOME (private: a home of its own, kept between runs of "
	         "the profile)", .apply = apply_keyword, .data = KW_HOME},
	{.section = "where", .key = "network", .cli = "network", .cli_nargs = 1, .min_args = 1,
	 .max_args = 1, .metavar = "none|host|user",
	 .help = "none: a new network namespace with only loopback; host: share the host's; user: "
	         "a new one that pasta connects to the host's network",
	 .apply = apply_keyword, .data = KW_NETWORK},
	{.section = "where", .key = "forward", .cli = "forward", .cli_nargs = 1, .min_args = 1,
	 .max_args = 0, .metavar = "[ADDR:]HOSTPORT:PORT[/udp]...|none",
	 .help = "network = user: forward a port of the host (on every address, or ADDR) to PORT "
	         "in the sandbox, TCP or /udp; none: drop the forwards of earlier layers",
	 .apply = apply_forward},
	{.section = "where", .key = "hostname", .cli = "hostname", .cli_nargs = 1, .min_args = 1,
	 .max_args = 1, .metavar = "NAME", .help = "the host name inside", .apply = apply_hostname},
	{.section = "where", .key = "scope", .cli = "scope", .cli_nargs = 1, .min_args = 1,
	 .max_args = 0, .flags = OPT_CLI_NAMES, .metavar = "all|none|abstract-unix signals",
	 .help = "Landlock scoping: no connecting to abstract unix sockets, nor signalling processes, "
	         "outside the sandbox (default all, where the kernel has it)",
	 .apply = apply_scope},
	{.section = "where", .key = "landlock-fs", .cli = "landlock-fs", .cli_nargs = 0,
	 .min_args = 1, .max_args = 1, .metavar = "yes|no",
	 .help = "Landlock rules that mirror the mounts: the command reaches only what they show, "
	         "read-only where they are (default yes, where the kernel has Landlock)",
	 .apply = apply_bool_setting, .data = BOOL_LANDLOCK_FS},
	{.section = "where", .key = "tcp-connect", .cli = "tcp-connect", .cli_nargs = 1,
	 .min_args = 1, .max_args = 0, .flags = OPT_CLI_NAMES, .metavar = "any|none|PORT...",
	 .help = "the TCP ports the command may connect to (Landlock ABI 4, Linux 6.7; default any)",
	 .apply = apply_tcp_ports, .data = TCP_CONNECT},
	{.section = "where", .key = "tcp-bind", .cli = "tcp-bind", .cli_nargs = 1, .min_args = 1,
	 .max_args = 0, .flags = OPT_CLI_NAMES, .metavar = "any|none|PORT...",
	 .help = "the TCP ports the command may bind (Landlock ABI 4, Linux 6.7; default any)",
	 .apply = apply_tcp_ports, .data = TCP_BIND},
	{.section = "where", .key = "fallback", .cli = "fallback", .cli_nargs = 1, .min_args = 1,
	 .max_args = 1, .metavar = "none|landlock",
	 .help = "where no user namespace can be made: fail (none), or run without namespaces, "
	         "fenced by Landlock, seccomp and no capabilities (landlock)",
	 .apply = apply_keyword, .data = KW_FALLBACK},
	{.section = "where", .key = "terminal", .cli = "terminal", .cli_nargs = 1, .min_args = 1,
	 .max_args = 1, .metavar = "pty|host",
	 .help = "pty: a pseudo-terminal of its own in front of yours; host: your terminal itself "
	         "(it can then take it over)", .apply = apply_keyword, .data = KW_TERMINAL},
	{.section = "where", .key = "unshare-pid", .cli = "unshare-pid", .cli_nargs = 0,
	 .min_args = 1, .max_args = 1, .metavar = "yes|no",
	 .help = "a pid namespace of its own (no: the host's processes are visible, and the proc "
	         "entries before it go)", .apply = apply_bool_setting, .data = BOOL_UNSHARE_PID},
	{.section = "where", .key = "unshare-ipc", .cli = "unshare-ipc", .cli_nargs = 0,
	 .min_args = 1, .max_args = 1, .metavar = "yes|no",
	 .help = "SysV IPC and POSIX queues of its own (no: e.g. for X11 shared memory)",
	 .apply = apply_bool_setting, .data = BOOL_UNSHARE_IPC},
	{.section = "where", .key = "unshare-uts", .cli = "unshare-uts", .cli_nargs = 0,
	 .min_args = 1, .max_args = 1, .metavar = "yes|no", .help = "a host name of its own",
	 .apply = apply_bool_setting, .data = BOOL_UNSHARE_UTS},
	{.section = "where", .key = "unshare-cgroup", .cli = "unshare-cgroup", .cli_nargs = 0,
	 .min_args = 1, .max_args = 1, .metavar = "yes|no",
	 .help = "a cgroup namespace of its own", .apply = apply_bool_setting,
	 .data = BOOL_UNSHARE_CGROUP},
	{.section = "where", .key = "unshare-user", .cli = "unshare-user", .cli_nargs = 0,
	 .min_args = 1, .max_args = 1, .metavar = "yes|no",
	 .help = "a user namespace of its own (no: root only; the command's uid 0 and any kept "
	         "capabilities are then the host's)", .apply = apply_bool_setting,
	 .data = BOOL_UNSHARE_USER},

	{.section = "what", .key = "capabilities", .cli = "capabilities", .cli_nargs = 1,
	 .min_args = 1, .max_args = 0, .flags = OPT_CLI_NAMES, .metavar = "none|CAP...",
	 .help = "capabilities kept in every set (all others are dropped)",
	 .apply = apply_capabilities},
	{.section = "what", .key = "user", .cli = "user", .cli_nargs = 1, .min_args = 1,
	 .max_args = 1, .metavar = "self|root", .help = "the uid and gid inside: your own, or 0",
	 .apply = apply_keyword, .data = KW_USER},
	{.section = "what", .key = "host-user", .cli = "host-user", .cli_nargs = 1, .min_args = 1,
	 .max_args = 1, .metavar = "self|nobody",
	 .help = "who the sandbox is to the host: you, or (root only) nobody, uid 65534",
	 .apply = apply_keyword, .data = KW_HOST_USER},
	{.section = "what", .key = "background", .cli = "background", .cli_nargs = 1,
	 .min_args = 1, .max_args = 1, .metavar = "kill|wait",
	 .help = "when the command exits, kill what it left running, or wait for it",
	 .apply = apply_keyword, .data = KW_BACKGROUND},
	{.section = "what", .key = "as-pid-1", .cli = "as-pid-1", .min_args = 1, .max_args = 1,
	 .metavar = "yes|no",
	 .help = "the command itself is the pid namespace's pid 1: no init of glovebox's stays "
	         "to reap or pass signals on", .apply = apply_bool_setting, .data = BOOL_AS_PID_1},

	{.section = "limits", .key = "processes", .cli = "limit-processes", .cli_nargs = 1,
	 .min_args = 1, .max_args = 1, .metavar = "N|none",
	 .help = "at most N processes and threads at once, the command and all it starts, counted "
	         "in the sandbox alone", .apply = apply_processes},
	{.section = "limits", .key = "tmpfs", .cli = "limit-tmpfs", .cli_nargs = 1, .min_args = 1,
	 .max_args = 1, .metavar = "SIZE|none",
	 .help = "one budget of memory for every tmpfs of the sandbox (/tmp, /dev/shm, a tmpfs "
	         "home...) together", .apply = apply_tmpfs_budget},
	{.section = "limits", .key = "timeout", .cli = "timeout", .cli_nargs = 1, .min_args = 1,
	 .max_args = 1, .metavar = "DURATION|none",
	 .help = "end the whole sandbox after this long (SIGTERM, SIGKILL 5 s later); glovebox then "
	         "exits 124", .apply = apply_timeout},
	{.section = "limits", .key = "inotify-instances", .cli = "limit-inotify-instances",
	 .cli_nargs = 1, .min_args = 1, .max_args = 1, .metavar = "N|N%|none",
	 .help = "inotify instances the sandbox may hold, of the user's (default 50%: the rest "
	         "stays with the host)", .apply = apply_ucount, .data = UCOUNT_INOTIFY_INSTANCES},
	{.section = "limits", .key = "inotify-watches", .cli = "limit-inotify-watches",
	 .cli_nargs = 1, .min_args = 1, .max_args = 1, .metavar = "N|N%|none",
	 .help = "inotify watches the sandbox may hold, of the user's (default 50%)",
	 .apply = apply_ucount, .data = UCOUNT_INOTIFY_WATCHES},
	{.section = "limits", .key = "memory", .cli = "limit-memory", .cli_nargs = 1,
	 .min_args = 1, .max_args = 1, .metavar = "SIZE|none",
	 .help = "cgroup: memory of the whole sandbox, tmpfs files included (memory.max)",
	 .apply = apply_memory},
	{.section = "limits", .key = "pids", .cli = "limit-pids", .cli_nargs = 1, .min_args = 1,
	 .max_args = 1, .metavar = "N|none",
	 .help = "cgroup: processes and threads of the whole sandbox (pids.max)",
	 .apply = apply_pids},
	{.section = "limits", .key = "cpu-quota", .cli = "limit-cpu-quota", .cli_nargs = 1,
	 .min_args = 1, .max_args = 1, .metavar = "PERCENT%|none",
	 .help = "cgroup: CPU time of the whole sandbox, 100% being one CPU (cpu.max)",
	 .apply = apply_cpu_quota},
	{.section = "limits", .key = "cgroup", .cli = "cgroup", .cli_nargs = 1, .min_args = 1,
	 .max_args = 1, .metavar = "session|PATH",
	 .help = "the delegated cgroup v2 to make the sandbox's cgroup in (default: the "
	         "systemd delegation glovebox runs in)", .apply = apply_cgroup},
	{.section = "limits", .key = "cgroup-fallback", .cli = "cgroup-fallback", .cli_nargs = 1,
	 .min_args = 1, .max_args = 1, .metavar = "none|rlimits",
	 .help = "without a usable cgroup: fail (none), or hold memory by RLIMIT_AS and pids by "
	         "the process limit (rlimits)", .apply = apply_cgroup_fallback},
	RLIMIT_ROW("as", "SIZE", "address space of each process", RLIMIT_AS),
	RLIMIT_ROW("core", "SIZE", "core file size", RLIMIT_CORE),
	RLIMIT_ROW("cpu", "DURATION", "CPU time of each process (SIGXCPU at the soft limit)",
		   RLIMIT_CPU),
	RLIMIT_ROW("data", "SIZE", "data segment (heap) of each process", RLIMIT_DATA),
	RLIMIT_ROW("fsize", "SIZE", "largest file a process may write", RLIMIT_FSIZE),
	RLIMIT_ROW("memlock", "SIZE", "locked memory", RLIMIT_MEMLOCK),
	RLIMIT_ROW("msgqueue", "SIZE", "POSIX message queue bytes", RLIMIT_MSGQUEUE),
	RLIMIT_ROW("nice", "N", "nice value ceiling", RLIMIT_NICE),
	RLIMIT_ROW("nofile", "N", "open files of each process", RLIMIT_NOFILE),
	RLIMIT_ROW("nproc", "N", "processes of the uid (in the sandbox's own user namespace: its "
		   "own; not enforced for root)", RLIMIT_NPROC),
	RLIMIT_ROW("rtprio", "N", "real-time priority ceiling", RLIMIT_RTPRIO),
	RLIMIT_ROW("sigpending", "N", "pending signals", RLIMIT_SIGPENDING),
	RLIMIT_ROW("stack", "SIZE", "stack size", RLIMIT_STACK),

	{.section = "how", .key = "allow", .cli = "allow", .cli_nargs = 1, .min_args = 1,
	 .max_args = 0, .flags = OPT_CLI_NAMES, .metavar = "CALL|@GROUP...",
	 .help = "system calls allowed", .apply = apply_allow},
	{.section = "how", .key = "deny", .cli = "deny", .cli_nargs = 1, .min_args = 1,
	 .max_args = 0, .flags = OPT_CLI_NAMES, .metavar = "CALL[:ACTION]...",
	 .help = "system calls denied, with the default action or kill, log, or an errno name",
	 .apply = apply_deny},
	{.section = "how", .key = "default", .cli = "default-action", .cli_nargs = 1,
	 .min_args = 1, .max_args = 2, .flags = OPT_CLI_NAMES,
	 .metavar = "errno NAME|kill|log|allow",
	 .help = "the action for every known call not allowed", .apply = apply_default_action},
	{.section = "how", .key = "namespaces", .cli = "namespaces", .cli_nargs = 1, .min_args = 1,
	 .max_args = 0, .flags = OPT_CLI_NAMES,
	 .metavar = "none|all|user mount pid net ipc uts cgroup time",
	 .help = "the namespaces the command may create (clone3 answers ENOSYS unless all)",
	 .apply = apply_nested_namespaces},
	{.section = "how", .key = "socket-families", .cli = "socket-families", .cli_nargs = 1,
	 .min_args = 1, .max_args = 0, .flags = OPT_CLI_NAMES,
	 .metavar = "all|unix inet inet6 netlink...",
	 .help = "the address families socket() may use", .apply = apply_families},
	{.section = "how", .key = "write-xor-execute", .cli = "write-xor-execute", .cli_nargs = 0,
	 .min_args = 1, .max_args = 1, .metavar = "yes|no",
	 .help = "no memory both writable and executable, nor made executable later",
	 .apply = apply_bool_setting, .data = BOOL_WX},
	{.section = "how", .key = "memfd-exec", .cli = "memfd-exec", .cli_nargs = 1, .min_args = 1,
	 .max_args = 1, .metavar = "yes|no",
	 .help = "no: memfd_create only with MFD_NOEXEC_SEAL (the default refuses executable memfds "
	         "where root runs glovebox)", .apply = apply_memfd_exec},
	{.section = "how", .key = "personality", .cli = "personality", .cli_nargs = 1,
	 .min_args = 1, .max_args = 1, .metavar = "locked|any",
	 .help = "locked: personality() may not change the execution domain",
	 .apply = apply_keyword, .data = KW_PERSONALITY},
	{.section = "how", .key = "ioctl-deny", .cli = "ioctl-deny", .cli_nargs = 1, .min_args = 1,
	 .max_args = 0, .flags = OPT_CLI_NAMES, .metavar = "CMD...",
	 .help = "ioctl commands refused (TIOCSTI and TIOCLINUX always are)",
	 .apply = apply_ioctl_deny},
	{.section = "how", .key = "rule", .cli = "rule", .cli_nargs = 1, .min_args = 1,
	 .max_args = 1, .style = VALUE_TEXT, .metavar = "CALL(argN OP VALUE,...)[:ACTION]",
	 .help = "refuse a call when its arguments match (unsigned; an int argument on its low 32 bits)",
	 .apply = apply_rule},

	{.section = "dbus", .key = "talk", .cli = "dbus-talk", .cli_nargs = 1, .min_args = 1,
	 .max_args = 0, .flags = OPT_CLI_NAMES, .metavar = "NAME...",
	 .help = "session bus, filtered by xdg-dbus-proxy: call and message these names",
	 .apply = apply_dbus_rule, .data = DBUS_TALK},
	{.section = "dbus", .key = "own", .cli = "dbus-own", .cli_nargs = 1, .min_args = 1,
	 .max_args = 0, .flags = OPT_CLI_NAMES, .metavar = "NAME...",
	 .help = "session bus: own (and talk to) these names", .apply = apply_dbus_rule,
	 .data = DBUS_OWN},
	{.section = "dbus", .key = "see", .cli = "dbus-see", .cli_nargs = 1, .min_args = 1,
	 .max_args = 0, .flags = OPT_CLI_NAMES, .metavar = "NAME...",
	 .help = "session bus: see these names listed, nothing more", .apply = apply_dbus_rule,
	 .data = DBUS_SEE},
	{.section = "dbus", .key = "call", .cli = "dbus-call", .cli_nargs = 1, .min_args = 1,
	 .max_args = 0, .flags = OPT_CLI_NAMES, .metavar = "NAME=[METHOD][@PATH]...",
	 .help = "session bus: call only these methods of NAME", .apply = apply_dbus_rule,
	 .data = DBUS_CALL},
	{.section = "dbus", .key = "broadcast", .cli = "dbus-broadcast", .cli_nargs = 1,
	 .min_args = 1, .max_args = 0, .flags = OPT_CLI_NAMES,
	 .metavar = "NAME=[SIGNAL][@PATH]...",
	 .help = "session bus: receive these signals broadcast by NAME", .apply = apply_dbus_rule,
	 .data = DBUS_BROADCAST},
	{.section = "dbus", .key = "portals", .cli = "dbus-portals", .cli_nargs = 0,
	 .min_args = 1, .max_args = 1, .metavar = "yes|no",
	 .help = "session bus: talk to the desktop portals (org.freedesktop.portal.*: file "
	         "chooser, open with...)", .apply = apply_dbus_switch,
	 .data = DBUS_SWITCH_PORTALS},
	{.section = "dbus", .key = "system-bus", .cli = "dbus-system-bus", .cli_nargs = 0,
	 .min_args = 1, .max_args = 1, .metavar = "yes|no",
	 .help = "the system bus's socket, unfiltered (default no: absent)",
	 .apply = apply_dbus_switch, .data = DBUS_SWITCH_SYSTEM},
	{.section = "desktop", .key = "wayland", .cli = "wayland", .cli_nargs = 0, .min_args = 1,
	 .max_args = 1, .metavar = "yes|no",
	 .help = "the session's Wayland socket ($WAYLAND_DISPLAY), in a runtime directory of the "
	         "sandbox's own", .apply = apply_grant, .data = GRANT_WAYLAND},
	{.section = "desktop", .key = "x11", .cli = "x11", .cli_nargs = 0, .min_args = 1,
	 .max_args = 1, .metavar = "yes|no",
	 .help = "the X server of $DISPLAY: its socket and its cookie alone (the abstract socket "
	         "stays out of reach)", .apply = apply_grant, .data = GRANT_X11},
	{.section = "desktop", .key = "audio", .cli = "audio", .cli_nargs = 0, .min_args = 1,
	 .max_args = 1, .metavar = "yes|no",
	 .help = "the PipeWire and PulseAudio sockets the session has (a warning when it has "
	         "neither)", .apply = apply_grant, .data = GRANT_AUDIO},
	{.section = "desktop", .key = "gpu", .cli = "gpu", .cli_nargs = 0, .min_args = 1,
	 .max_args = 1, .metavar = "yes|no",
	 .help = "the GPU's device nodes (/dev/dri, NVIDIA's) where the host has them",
	 .apply = apply_grant, .data = GRANT_GPU},
	{.section = "desktop", .key = "look", .cli = "look", .cli_nargs = 0, .min_args = 1,
	 .max_args = 1, .metavar = "yes|no",
	 .help = "fonts, icons, themes and the toolkits' settings, read-only",
	 .apply = apply_grant, .data = GRANT_LOOK},
	{.section = "desktop", .key = "user-dir", .cli = "user-dir", .cli_nargs = 1, .min_args = 1,
	 .max_args = 0, .flags = OPT_CLI_NAMES, .metavar = "NAME[:ro]...|none",
	 .help = "an XDG user directory (download, pictures...), read-write or :ro, made when "
	         "missing", .apply = apply_desktop_dirs, .data = 0},
	{.section = "desktop", .key = "app-dirs", .cli = "app-dirs", .cli_nargs = 1, .min_args = 1,
	 .max_args = 0, .flags = OPT_CLI_NAMES, .metavar = "NAME...|none",
	 .help = "the app's own ~/.config/NAME and ~/.local/share/NAME, read-write, kept between "
	         "runs", .apply = apply_desktop_dirs, .data = 1},

	{.section = "env", .key = "keep", .cli = "keep-env", .cli_nargs = 1, .min_args = 1,
	 .max_args = 0, .flags = OPT_CLI_NAMES, .metavar = "NAME|PATTERN...",
	 .help = "variables kept when the environment is cleared (LC_* style patterns); after a set or unset, the host's value again",
	 .apply = apply_env_keep},
	{.section = "env", .key = "set", .cli = "setenv", .cli_nargs = 2, .min_args = 2,
	 .max_args = 2, .style = VALUE_ASSIGN, .metavar = "NAME VALUE",
	 .help = "set a variable (in a profile: set = NAME=VALUE)", .apply = apply_env_set},
	{.section = "env", .key = "unset", .cli = "unsetenv", .cli_nargs = 1, .min_args = 1,
	 .max_args = 0, .flags = OPT_CLI_NAMES, .metavar = "NAME...", .help = "remove variables",
	 .apply = apply_env_unset},
	{.section = "env", .key = "clear", .cli = "clearenv", .cli_nargs = 0, .min_args = 1,
	 .max_args = 1, .metavar = "yes|no",
	 .help = "start from an empty environment plus the keep list", .apply = apply_bool_setting,
	 .data = BOOL_ENV_CLEAR},
};
/* clang-format on */
const size_t gb_option_count = ELEMENTSOF(gb_options);

const char *const gb_sections[] = {"profile", "where", "what", "limits",
				   "how", "dbus", "desktop", "env"};
const size_t gb_section_count = ELEMENTSOF(gb_sections);

bool option_section_known(const char *section)
{
	for (size_t i = 0; i < gb_section_count; i++)
		if (streq(gb_sections[i], section))
			return true;
	return false;
}

const struct gb_option *option_by_key(const char *section, const char *key)
{
	for (size_t i = 0; i < gb_option_count; i++)
		if (streq(gb_options[i].section, section) && streq(gb_options[i].key, key))
			return &gb_options[i];
	return NULL;
}

const struct gb_option *option_by_cli(const char *name)
{
	for (size_t i = 0; i < gb_option_count; i++)
		if (streq(gb_options[i].cli, name))
			return &gb_options[i];
	return NULL;
}

const struct gb_option *option_by_short(char c)
{
	for (size_t i = 0; i < gb_option_count; i++)
		if (gb_options[i].cli_short && gb_options[i].cli_short == c)
			return &gb_options[i];
	return NULL;
}

int option_apply(struct policy *p, const struct gb_option *opt, char **args, size_t n,
		 const struct origin *o, struct diag *d)
{
	if (n < opt->min_args || (opt->max_args && n > opt->max_args)) {
		if (opt->min_args == opt->max_args)
			return diag_error(d, o, "expected %u value%s (%s), got %zu", opt->min_args,
					  opt->min_args == 1 ? "" : "s", opt->metavar, n);
		return diag_error(d, o, "expected %s, got %zu value%s", opt->metavar, n,
				  n == 1 ? "" : "s");
	}
	if (policy_overlay_srcs_left(p, opt, o, d) < 0)
		return -1;
	return opt->apply(p, opt, args, n, o, d);
}
