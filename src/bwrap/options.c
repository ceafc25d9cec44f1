/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bubblewrap's options, one row each: its argument count, the function
 * that applies it (handlers.c) and its help line; and what is read from
 * the table alone (--help, the completions). */
#include "bwrap/parse-internal.h"

#include <sched.h>
#include <stdio.h>

#include "config.h"

#define BIND(k, f) ((intptr_t)(k) | ((intptr_t)(f) << 8))

static const struct bw_option options[] = {
	{"--help", 0, bw_help, 0, 0, "", "Show this list and exit"},
	{"--version", 0, bw_help, 1, 0, "", "Show glovebox's version and exit"},
	{"--args", 1, bw_args, 0, 0, "FD", "Read more options from FD, each ended by a NUL byte"},
	{"--argv0", 1, bw_argv0, 0, 0, "VALUE", "The name the command sees as its argv[0]"},
	{"--level-prefix", 0, bw_flag, 2, 0, "", "Mark each message with its syslog level (<3> and so on)"},
	{"--unshare-all", 0, bw_unshare,
	 CLONE_NEWUSER | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWCGROUP,
	 BW_USER_TRY, "", "All the namespaces below (add --share-net to keep the network)"},
	{"--share-net", 0, bw_share_net, 0, 0, "", "Stay in the host's network namespace despite --unshare-all"},
	{"--unshare-user", 0, bw_unshare, CLONE_NEWUSER, BW_USER, "", "A user namespace of the sandbox's own"},
	{"--unshare-user-try", 0, bw_unshare, CLONE_NEWUSER, BW_USER_TRY, "", "A user namespace of its own where the kernel allows one"},
	{"--unshare-ipc", 0, bw_unshare, CLONE_NEWIPC, 0, "", "An IPC namespace of its own"},
	{"--unshare-pid", 0, bw_unshare, CLONE_NEWPID, 0, "", "A pid namespace of its own"},
	{"--unshare-net", 0, bw_unshare, CLONE_NEWNET, 0, "", "A network namespace of its own (loopback only)"},
	{"--unshare-uts", 0, bw_unshare, CLONE_NEWUTS, 0, "", "A UTS namespace of its own (its own host name)"},
	{"--unshare-cgroup", 0, bw_unshare, CLONE_NEWCGROUP, 0, "", "A cgroup namespace of its own"},
	{"--unshare-cgroup-try", 0, bw_unshare, CLONE_NEWCGROUP, 0, "", "A cgroup namespace of its own where the kernel has them"},
	{"--userns", 1, bw_fd, 4, 0, "FD", "Use the user namespace FD instead of a new one (no id maps written)"},
	{"--userns2", 1, bw_fd, 6, 0, "FD", "Move the command into the user namespace FD once set up"},
	{"--pidns", 1, bw_fd, 5, 0, "FD", "Make the sandbox's processes in the pid namespace FD (a new one below it with --unshare-pid)"},
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
	{"--overlay-src", 1, bw_overlay_src, 0, BW_OVERLAY, "SRC", "A lower layer of the next overlay, above those before it"},
	{"--overlay", 3, bw_overlay, MOUNT_OVERLAY, BW_OVERLAY, "RWSRC WORKDIR DEST", "An overlay at DEST whose changes go to RWSRC (WORKDIR: an empty directory beside it)"},
	{"--tmp-overlay", 1, bw_overlay, MOUNT_TMP_OVERLAY, BW_OVERLAY, "DEST", "An overlay with a throw-away upper layer at DEST"},
	{"--ro-overlay", 1, bw_overlay, MOUNT_RO_OVERLAY, BW_OVERLAY, "DEST", "A read-only overlay at DEST (two --overlay-src at least)"},
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
	{"--userns-block-fd", 1, bw_fd, 7, 0, "FD", "Write no id maps: hold set-up until the caller wrote them and then to FD"},
	{"--info-fd", 1, bw_fd, 0, 0, "FD", "Write the command's pid and namespaces to FD as JSON"},
	{"--json-status-fd", 1, bw_fd, 1, 0, "FD", "Write the command's pid, then its exit status, to FD as JSON lines"},
	{"--new-session", 0, bw_flag, 1, 0, "", "Run the command in a session of its own"},
	{"--die-with-parent", 0, bw_flag, 0, 0, "", "End the sandbox when glovebox's parent ends"},
	{"--as-pid-1", 0, bw_flag, 4, 0, "", "Run the command as pid 1 itself, with no reaper (with --unshare-pid)"},
	{"--cap-add", 1, bw_caps, 1, 0, "CAP", "Keep the capability CAP (ALL for every one)"},
	{"--cap-drop", 1, bw_caps, 0, 0, "CAP", "Drop the capability CAP (ALL for every one)"},
	{"--chmod", 2, bw_chmod, 0, 0, "OCTAL PATH", "Set the mode of the existing PATH to OCTAL"},
};

const struct bw_option *bw_option_named(const char *name)
{
	for (size_t i = 0; i < ELEMENTSOF(options); i++)
		if (streq(options[i].name, name))
			return &options[i];
	return NULL;
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
