/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Inside the bwrap parser: the parser's state, the option table's rows
 * and the functions the rows name. parse.c reads the command line
 * through the table (options.c); handlers.c applies each option. */
#pragma once

#include "bwrap/bwrap.h"

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
	const char *user_by; /* --unshare-user, or else --unshare-user-try (--unshare-all) */
	bool uid_given, gid_given;
	uint64_t caps;
	bool caps_touched;
	bool seccomp_given;
	struct strv overlay_srcs; /* --overlay-src given, for the next overlay */
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
#define BW_USER      0x20u /* --unshare-user itself */
#define BW_USER_TRY  0x40u /* --unshare-user-try, or --unshare-all which means it */

struct bw_option {
	const char *name;
	unsigned nargs;
	bw_apply_fn apply;
	intptr_t data;
	unsigned flags;
	const char *metavar;
	const char *help;
};

static inline struct origin origin_of(const struct bw_option *o)
{
	return (struct origin){.key = o->name};
}

/* handlers.c */
int bw_fail(struct bw *s, const struct bw_option *o, const char *fmt, ...) _printf_(3, 4);
int bw_parse_fd(struct bw *s, const struct bw_option *o, const char *v, int *fd);
int bw_read_fd(struct bw *s, const struct bw_option *o, int fd, char **out, size_t *len);
int bw_take_dest(struct bw *s, const struct bw_option *o, const char *in, char **out);
struct mount_op *bw_add_mount(struct bw *s, const struct bw_option *o, enum mount_kind kind,
			      char *dest);
uint32_t bw_mode_for(struct bw *s, uint32_t fallback);

/* the options' handlers, named by the table */
int bw_bind(struct bw *s, const struct bw_option *o, char **a);
int bw_dest(struct bw *s, const struct bw_option *o, char **a);
int bw_data(struct bw *s, const struct bw_option *o, char **a);
int bw_bind_fd(struct bw *s, const struct bw_option *o, char **a);
int bw_symlink(struct bw *s, const struct bw_option *o, char **a);
int bw_chmod(struct bw *s, const struct bw_option *o, char **a);
int bw_perms(struct bw *s, const struct bw_option *o, char **a);
int bw_size(struct bw *s, const struct bw_option *o, char **a);
int bw_unshare(struct bw *s, const struct bw_option *o, char **a);
int bw_share_net(struct bw *s, const struct bw_option *o, char **a);
int bw_id(struct bw *s, const struct bw_option *o, char **a);
int bw_hostname(struct bw *s, const struct bw_option *o, char **a);
int bw_chdir(struct bw *s, const struct bw_option *o, char **a);
int bw_clearenv(struct bw *s, const struct bw_option *o, char **a);
int bw_env(struct bw *s, const struct bw_option *o, char **a);
int bw_caps(struct bw *s, const struct bw_option *o, char **a);
int bw_fd(struct bw *s, const struct bw_option *o, char **a);
int bw_seccomp(struct bw *s, const struct bw_option *o, char **a);
int bw_flag(struct bw *s, const struct bw_option *o, char **a);
int bw_lock_file(struct bw *s, const struct bw_option *o, char **a);
int bw_argv0(struct bw *s, const struct bw_option *o, char **a);
int bw_help(struct bw *s, const struct bw_option *o, char **a);
int bw_label(struct bw *s, const struct bw_option *o, char **a);
int bw_overlay_src(struct bw *s, const struct bw_option *o, char **a);
int bw_overlay(struct bw *s, const struct bw_option *o, char **a);
int bw_disable_userns(struct bw *s, const struct bw_option *o, char **a);

/* parse.c: --args reads more options through the table */
int bw_args(struct bw *s, const struct bw_option *o, char **a);

/* options.c: the row of the option NAME, or NULL */
const struct bw_option *bw_option_named(const char *name);
