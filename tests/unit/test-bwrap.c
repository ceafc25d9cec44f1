/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The bwrap front end's parser: bubblewrap's command line, with its
 * meaning, into a policy. */
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>

#include "bwrap/bwrap.h"
#include "testutil.h"

struct parsed {
	struct policy p;
	struct bwrap_request r;
	struct diag d;
	FILE *out;
	char *msgs;
	size_t len;
	int ret;
};

static const struct bwrap_caller user = {.uid = 1000, .gid = 100, .bounding = ~UINT64_C(0)};
static const struct bwrap_caller root = {.uid = 0, .gid = 0, .bounding = 0xffff};

static void parse_as(struct parsed *t, const struct bwrap_caller *who, char **argv)
{
	int argc = 0;
	while (argv[argc])
		argc++;
	policy_init(&t->p);
	t->msgs = NULL;
	t->out = open_memstream(&t->msgs, &t->len);
	diag_init(&t->d, t->out, "bwrap: ");
	t->ret = bwrap_parse(argc, argv, who, &t->p, &t->r, &t->d);
	fflush(t->out);
}

static void parsed_free(struct parsed *t)
{
	fclose(t->out);
	free(t->msgs);
	bwrap_request_free(&t->r);
	policy_free(&t->p);
}

/* A pipe holding len bytes, its read end returned. */
static int pipe_with(const char *data, size_t len)
{
	int fds[2];
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(write(fds[1], data, len), (ssize_t)len);
	close(fds[1]);
	return fds[0];
}

static char *fd_arg(int fd)
{
	static char buf[4][16];
	static int k;
	char *b = buf[k++ % 4];
	snprintf(b, 16, "%d", fd);
	return b;
}

/* Command lines that each fail with exactly bwrap's message. */
struct refusal {
	char *argv[10];
	const char *msg;
};

static void assert_refused(const struct bwrap_caller *who, const struct refusal *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct parsed t;
		parse_as(&t, who, (char **)cases[i].argv);
		ck_assert_int_eq(t.ret, -1);
		ck_assert_str_eq(t.msgs, cases[i].msg);
		parsed_free(&t);
	}
}

START_TEST(defaults_are_bwraps)
{
	struct parsed t;
	parse_as(&t, &user, (char *[]){"bwrap", "true", NULL});
	ck_assert_int_eq(t.ret, 0);
	ck_assert(t.p.bwrap.on);
	/* an unprivileged caller gets a user namespace, nothing else */
	ck_assert_uint_eq(t.p.unshare, CLONE_NEWUSER);
	ck_assert_int_eq(t.p.network, NET_HOST);
	ck_assert(!t.p.env_clear);
	ck_assert_int_eq(t.p.home, HOME_NONE);
	ck_assert_int_eq(t.p.cwd, CWD_NONE);
	ck_assert_uint_eq(t.p.n_mounts, 0);
	ck_assert_uint_eq(t.p.caps, 0);
	ck_assert_uint_eq(t.p.bwrap.uid, 1000);
	ck_assert_uint_eq(t.p.bwrap.gid, 100);
	ck_assert_uint_eq(t.p.argv.n, 1);
	ck_assert_str_eq(t.p.argv.v[0], "true");
	parsed_free(&t);
}
END_TEST

START_TEST(root_gets_no_user_namespace_and_keeps_its_capabilities)
{
	struct parsed t;
	parse_as(&t, &root, (char *[]){"bwrap", "true", NULL});
	ck_assert_int_eq(t.ret, 0);
	ck_assert_uint_eq(t.p.unshare, 0);
	ck_assert_uint_eq(t.p.caps, 0xffff); /* root's own */
	ck_assert_uint_eq(t.p.bwrap.bounding, 0xffff);
	ck_assert(!t.p.bwrap.caps_ambient);
	parsed_free(&t);
}
END_TEST

START_TEST(unshare_all_and_share_net)
{
	struct parsed t;
	parse_as(&t, &root, (char *[]){"bwrap", "--unshare-all", "--share-net", "true", NULL});
	ck_assert_int_eq(t.ret, 0);
	ck_assert_uint_eq(t.p.unshare, CLONE_NEWUSER | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWUTS |
					       CLONE_NEWCGROUP);
	ck_assert_int_eq(t.p.network, NET_HOST);
	parsed_free(&t);
	parse_as(&t, &root, (char *[]){"bwrap", "--unshare-net", "--unshare-pid", "true", NULL});
	ck_assert_uint_eq(t.p.unshare, CLONE_NEWPID);
	ck_assert_int_eq(t.p.network, NET_NONE);
	parsed_free(&t);
}
END_TEST

START_TEST(mounts_keep_their_order_and_bwraps_modes)
{
	struct parsed t;
	parse_as(&t, &user,
		 (char *[]){"bwrap", "--bind", "/", "/", "--ro-bind-try", "/a", "/b", "--tmpfs", "/t",
			    "--perms", "0700", "--size", "4096", "--tmpfs", "/u", "--perms", "711",
			    "--dir", "/d", "--dir", "/e", "--symlink", "x", "/l", "--remount-ro", "/",
			    "--chmod", "0750", "/d", "true", NULL});
	ck_assert_int_eq(t.ret, 0);
	ck_assert_uint_eq(t.p.n_mounts, 9);
	const struct mount_op *m = t.p.mounts;
	ck_assert_int_eq(m[0].kind, MOUNT_BIND);
	ck_assert_str_eq(m[0].dest, "/");
	ck_assert_int_eq(m[1].kind, MOUNT_RO_BIND);
	ck_assert_uint_eq(m[1].flags, MOUNT_F_TRY | MOUNT_F_PRIVATE_PARENTS);
	ck_assert_int_eq(m[2].kind, MOUNT_TMPFS);
	ck_assert_uint_eq(m[2].mode, 0755);
	ck_assert_uint_eq(m[2].size, 0);
	ck_assert_uint_eq(m[3].mode, 0700);
	ck_assert_uint_eq(m[3].size, 4096);
	ck_assert_uint_eq(m[3].flags, 0);
	ck_assert_uint_eq(m[4].mode, 0711);
	ck_assert_uint_eq(m[5].mode, 0755); /* --perms held for one option only */
	ck_assert_int_eq(m[6].kind, MOUNT_SYMLINK);
	ck_assert_str_eq(m[6].src, "x");
	ck_assert_int_eq(m[7].kind, MOUNT_REMOUNT_RO);
	ck_assert_str_eq(t.p.mounts[7].dest, "/");
	parsed_free(&t);
}
END_TEST

START_TEST(perms_and_size_must_be_used_by_the_next_option)
{
	struct parsed t;
	parse_as(&t, &user, (char *[]){"bwrap", "--perms", "0700", "--bind", "/", "/", "true", NULL});
	ck_assert_int_eq(t.ret, -1);
	ck_assert_str_eq(t.msgs, "bwrap: --perms must be followed by an option that creates a file\n");
	parsed_free(&t);
	parse_as(&t, &user, (char *[]){"bwrap", "--size", "10", "--dir", "/x", "true", NULL});
	ck_assert_int_eq(t.ret, -1);
	ck_assert_str_eq(t.msgs, "bwrap: --size must be followed by --tmpfs\n");
	parsed_free(&t);
	parse_as(&t, &user, (char *[]){"bwrap", "--perms", "8", "--dir", "/x", "true", NULL});
	ck_assert_int_eq(t.ret, -1);
	parsed_free(&t);
}
END_TEST

START_TEST(file_data_comes_from_a_descriptor)
{
	struct parsed t;
	int a = pipe_with("hello\n", 6), b = pipe_with("secret", 6);
	parse_as(&t, &user,
		 (char *[]){"bwrap", "--file", fd_arg(a), "/etc/motd", "--perms", "0640",
			    "--ro-bind-data", fd_arg(b), "/x/y", "true", NULL});
	ck_assert_int_eq(t.ret, 0);
	ck_assert_uint_eq(t.p.n_mounts, 2);
	ck_assert_int_eq(t.p.mounts[0].kind, MOUNT_FILE);
	ck_assert_str_eq(t.p.mounts[0].src, "hello\n");
	ck_assert_uint_eq(t.p.mounts[0].mode, 0666);
	ck_assert_uint_eq(t.p.mounts[0].flags, 0);
	ck_assert_str_eq(t.p.mounts[1].src, "secret");
	ck_assert_uint_eq(t.p.mounts[1].mode, 0640);
	ck_assert_uint_eq(t.p.mounts[1].flags, MOUNT_F_PRIVATE_PARENTS);
	/* read and closed: the numbers are no longer the caller's */
	ck_assert_uint_eq(t.r.n_consumed, 2);
	ck_assert_int_lt(fcntl(a, F_GETFD), 0);
	parsed_free(&t);
}
END_TEST

START_TEST(bind_data_is_writable_and_bind_fd_names_the_descriptor)
{
	struct parsed t;
	int a = pipe_with("x", 1);
	parse_as(&t, &user,
		 (char *[]){"bwrap", "--bind-data", fd_arg(a), "/d", "--ro-bind-fd", "7", "/r",
			    "--bind-fd", "8", "/w", "true", NULL});
	ck_assert_int_eq(t.ret, 0);
	ck_assert_uint_eq(t.p.n_mounts, 3);
	ck_assert_uint_eq(t.p.mounts[0].flags, MOUNT_F_PRIVATE_PARENTS | MOUNT_F_WRITABLE);
	ck_assert_int_eq(t.p.mounts[1].kind, MOUNT_RO_BIND);
	ck_assert_str_eq(t.p.mounts[1].src, "/proc/self/fd/7");
	ck_assert_int_eq(t.p.mounts[2].kind, MOUNT_BIND);
	/* used up: not passed to the command */
	ck_assert_uint_eq(t.r.n_consumed, 3);
	ck_assert_int_eq(t.r.consumed[1], 7);
	ck_assert_int_eq(t.r.consumed[2], 8);
	parsed_free(&t);
}
END_TEST

START_TEST(args_reads_nul_separated_options)
{
	struct parsed t;
	static const char opts[] = "--unshare-pid\0--setenv\0A\0b c\0--dir\0/x\0ignored\0--dir\0/y";
	int fd = pipe_with(opts, sizeof(opts));
	parse_as(&t, &root, (char *[]){"bwrap", "--args", fd_arg(fd), "--dir", "/z", "echo", "hi", NULL});
	ck_assert_int_eq(t.ret, 0);
	ck_assert_uint_eq(t.p.unshare, CLONE_NEWPID);
	ck_assert_uint_eq(t.p.n_env_ops, 1);
	ck_assert_str_eq(t.p.env_ops[0].value, "b c");
	/* as bwrap: a word that is no option ends the descriptor's options */
	ck_assert_uint_eq(t.p.n_mounts, 2);
	ck_assert_str_eq(t.p.mounts[0].dest, "/x");
	ck_assert_str_eq(t.p.mounts[1].dest, "/z");
	ck_assert_str_eq(t.p.argv.v[0], "echo");
	parsed_free(&t);
}
END_TEST

START_TEST(clearenv_forgets_what_was_set_before_it)
{
	struct parsed t;
	parse_as(&t, &user,
		 (char *[]){"bwrap", "--setenv", "A", "1", "--clearenv", "--setenv", "B", "2",
			    "--unsetenv", "C", "true", NULL});
	ck_assert_int_eq(t.ret, 0);
	ck_assert(t.p.env_clear);
	ck_assert_uint_eq(t.p.n_env_ops, 2);
	ck_assert_str_eq(t.p.env_ops[0].name, "B");
	ck_assert_int_eq(t.p.env_ops[1].kind, ENV_UNSET);
	parsed_free(&t);
}
END_TEST

START_TEST(ids_and_host_name_need_their_namespaces)
{
	struct parsed t;
	parse_as(&t, &root, (char *[]){"bwrap", "--uid", "5", "true", NULL});
	ck_assert_int_eq(t.ret, -1);
	ck_assert_str_eq(t.msgs, "bwrap: Specifying --uid requires --unshare-user or --userns\n");
	parsed_free(&t);
	parse_as(&t, &user, (char *[]){"bwrap", "--hostname", "x", "true", NULL});
	ck_assert_int_eq(t.ret, -1);
	ck_assert_str_eq(t.msgs, "bwrap: Specifying --hostname requires --unshare-uts\n");
	parsed_free(&t);
	/* an unprivileged caller has a user namespace anyway */
	parse_as(&t, &user, (char *[]){"bwrap", "--uid", "0", "--gid", "7", "true", NULL});
	ck_assert_int_eq(t.ret, 0);
	ck_assert_uint_eq(t.p.bwrap.uid, 0);
	ck_assert_uint_eq(t.p.bwrap.gid, 7);
	ck_assert_uint_eq(t.p.caps, 0); /* root inside, but not the host's */
	parsed_free(&t);
}
END_TEST

START_TEST(capabilities_start_from_the_callers)
{
	struct parsed t;
	parse_as(&t, &root, (char *[]){"bwrap", "--cap-drop", "CAP_SYS_ADMIN", "true", NULL});
	ck_assert_int_eq(t.ret, 0);
	ck_assert_uint_eq(t.p.caps, 0xffff & ~(UINT64_C(1) << CAP_SYS_ADMIN));
	ck_assert_uint_eq(t.p.bwrap.bounding, 0xffff); /* root's, without a user namespace */
	ck_assert(t.p.bwrap.caps_ambient);
	parsed_free(&t);
	parse_as(&t, &user, (char *[]){"bwrap", "--cap-add", "CAP_NET_ADMIN", "true", NULL});
	ck_assert_uint_eq(t.p.caps, UINT64_C(1) << CAP_NET_ADMIN);
	ck_assert_uint_eq(t.p.bwrap.bounding, UINT64_C(1) << CAP_NET_ADMIN);
	parsed_free(&t);
	parse_as(&t, &root, (char *[]){"bwrap", "--cap-drop", "ALL", "true", NULL});
	ck_assert_uint_eq(t.p.caps, 0);
	parsed_free(&t);
	parse_as(&t, &root, (char *[]){"bwrap", "--cap-add", "CAP_NOPE", "true", NULL});
	ck_assert_int_eq(t.ret, -1);
	parsed_free(&t);
}
END_TEST

START_TEST(descriptors_and_flags)
{
	struct parsed t;
	parse_as(&t, &user,
		 (char *[]){"bwrap", "--info-fd", "5", "--json-status-fd", "6", "--block-fd", "7",
			    "--sync-fd", "8", "--die-with-parent", "--new-session", "--lock-file",
			    "/usr//.ref", "--as-pid-1", "true", NULL});
	ck_assert_int_eq(t.ret, 0);
	ck_assert_int_eq(t.r.info_fd, 5);
	ck_assert_int_eq(t.r.json_fd, 6);
	ck_assert_int_eq(t.r.block_fd, 7);
	ck_assert_int_eq(t.r.sync_fd, 8);
	ck_assert_uint_eq(t.r.lock_files.n, 1);
	ck_assert_str_eq(t.r.lock_files.v[0], "/usr/.ref");
	ck_assert(t.r.die_with_parent);
	ck_assert(t.r.new_session);
	ck_assert(t.r.as_pid_1); /* run.c applies bwrap's rules to it */
	parsed_free(&t);
}
END_TEST

START_TEST(seccomp_programs_are_read_whole)
{
	struct parsed t;
	struct sock_filter allow[] = {BPF_STMT(BPF_RET | BPF_K, 0x7fff0000u)};
	int a = pipe_with((const char *)allow, sizeof(allow));
	int b = pipe_with((const char *)allow, sizeof(allow));
	parse_as(&t, &user,
		 (char *[]){"bwrap", "--seccomp", fd_arg(a), "--add-seccomp-fd", fd_arg(b), "true", NULL});
	ck_assert_int_eq(t.ret, 0);
	ck_assert_uint_eq(t.r.n_seccomp, 2);
	ck_assert_uint_eq(t.r.seccomp[1].len, 1);
	ck_assert_uint_eq(t.r.seccomp[1].insns[0].k, 0x7fff0000u);
	parsed_free(&t);
	int c = pipe_with("abc", 3);
	parse_as(&t, &user, (char *[]){"bwrap", "--seccomp", fd_arg(c), "true", NULL});
	ck_assert_int_eq(t.ret, -1);
	parsed_free(&t);
}
END_TEST

START_TEST(errors_say_what_bwrap_says)
{
	static const struct {
		char *argv[6];
		const char *msg;
	} cases[] = {
		{{"bwrap", "--foo", "true"}, "bwrap: Unknown option --foo\n"},
		{{"bwrap", "--bind", "/"}, "bwrap: --bind takes two arguments\n"},
		{{"bwrap", "--dir"}, "bwrap: --dir takes an argument\n"},
		{{"bwrap", "--dir", "/x"}, ""}, /* bwrap_main shows the usage */
		{{"bwrap", "--bind", "/", "rel", "true"},
		 "bwrap: rel: destination must be an absolute path\n"},
	};
	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		struct parsed t;
		char **argv = (char **)cases[i].argv;
		parse_as(&t, &user, argv);
		ck_assert_int_eq(t.ret, -1);
		ck_assert_str_eq(t.msgs, cases[i].msg);
		parsed_free(&t);
	}
}
END_TEST

START_TEST(what_glovebox_cannot_do_is_refused_by_name_with_the_reason)
{
	static const char *const refused[] = {"--exec-label", "--file-label"};
	for (size_t i = 0; i < ELEMENTSOF(refused); i++) {
		struct parsed t;
		parse_as(&t, &user, (char *[]){"bwrap", (char *)refused[i], "3", "/x", "true", NULL});
		ck_assert_int_eq(t.ret, -1);
		char want[128];
		snprintf(want, sizeof(want), "bwrap: %s is not supported by glovebox: ", refused[i]);
		ck_assert_msg(str_startswith(t.msgs, want), "%s", t.msgs);
		ck_assert_uint_gt(strlen(t.msgs), strlen(want) + 10); /* a reason follows */
		parsed_free(&t);
	}
}
END_TEST

START_TEST(overlays_take_one_lower_layer)
{
	struct parsed t;
	parse_as(&t, &user, (char *[]){"bwrap", "--overlay-src", "/lower", "--tmp-overlay",
				       "/mnt/x", "true", NULL});
	ck_assert_int_eq(t.ret, 0);
	ck_assert_uint_eq(t.p.n_mounts, 1);
	ck_assert_int_eq(t.p.mounts[0].kind, MOUNT_TMP_OVERLAY);
	ck_assert_str_eq(t.p.mounts[0].src, "/lower");
	ck_assert_uint_eq(t.p.mounts[0].lowers.n, 0);
	ck_assert_str_eq(t.p.mounts[0].dest, "/mnt/x");
	parsed_free(&t);
	static const struct refusal cases[] = {
		{{"bwrap", "--tmp-overlay", "/x", "true"},
		 "bwrap: --tmp-overlay requires at least one --overlay-src\n"},
		{{"bwrap", "--overlay", "/u", "/w", "/x", "true"},
		 "bwrap: --overlay requires at least one --overlay-src\n"},
		{{"bwrap", "--overlay-src", "/a", "--ro-overlay", "/x", "true"},
		 "bwrap: --ro-overlay requires at least two --overlay-src\n"},
		{{"bwrap", "--overlay-src", "/a", "true"},
		 "bwrap: --overlay-src must be followed by another --overlay-src or one of "
		 "--overlay, --tmp-overlay, or --ro-overlay\n"},
		{{"bwrap", "--overlay-src", "/a", "--chdir", "/", "--tmp-overlay", "/x", "true"},
		 "bwrap: --overlay-src must be followed by another --overlay-src or one of "
		 "--overlay, --tmp-overlay, or --ro-overlay\n"},
	};
	assert_refused(&user, cases, ELEMENTSOF(cases));
}
END_TEST

/* bwrap stacks each --overlay-src on the ones before it; overlayfs names
 * the uppermost first: src is the last given, lowers the rest downwards.
 * Each overlay takes the layers given since the one before. */
START_TEST(overlays_stack_their_layers_in_bwrap_order)
{
	struct parsed t;
	parse_as(&t, &user,
		 (char *[]){"bwrap", "--overlay-src", "/l1", "--overlay-src", "/l2", "--overlay-src",
			    "/l3", "--overlay", "/up", "/work", "/a", "--overlay-src", "/m1",
			    "--overlay-src", "/m2", "--ro-overlay", "/b", "true", NULL});
	ck_assert_int_eq(t.ret, 0);
	ck_assert_uint_eq(t.p.n_mounts, 2);
	const struct mount_op *a = &t.p.mounts[0], *b = &t.p.mounts[1];
	ck_assert_int_eq(a->kind, MOUNT_OVERLAY);
	ck_assert_str_eq(a->src, "/l3");
	ck_assert_uint_eq(a->lowers.n, 2);
	ck_assert_str_eq(a->lowers.v[0], "/l2");
	ck_assert_str_eq(a->lowers.v[1], "/l1");
	ck_assert_str_eq(a->aux, "/up");
	ck_assert_str_eq(a->work, "/work");
	ck_assert_str_eq(a->dest, "/a");
	ck_assert_int_eq(b->kind, MOUNT_RO_OVERLAY);
	ck_assert_str_eq(b->src, "/m2");
	ck_assert_uint_eq(b->lowers.n, 1);
	ck_assert_str_eq(b->lowers.v[0], "/m1");
	ck_assert_ptr_null(b->aux);
	parsed_free(&t);
}
END_TEST

START_TEST(disable_userns_needs_a_user_namespace)
{
	struct parsed t;
	parse_as(&t, &root, (char *[]){"bwrap", "--disable-userns", "true", NULL});
	ck_assert_int_eq(t.ret, -1);
	ck_assert_str_eq(t.msgs, "bwrap: --disable-userns requires --unshare-user\n");
	parsed_free(&t);
	parse_as(&t, &root, (char *[]){"bwrap", "--unshare-user", "--disable-userns",
				       "--assert-userns-disabled", "true", NULL});
	ck_assert_int_eq(t.ret, 0);
	ck_assert(t.r.userns_disabled);
	ck_assert(t.r.assert_userns_disabled);
	parsed_free(&t);
	/* an unprivileged caller always has one */
	parse_as(&t, &user, (char *[]){"bwrap", "--disable-userns", "true", NULL});
	ck_assert_int_eq(t.ret, 0);
	ck_assert(t.r.userns_disabled);
	ck_assert(!t.r.assert_userns_disabled);
	parsed_free(&t);
}
END_TEST

START_TEST(joined_namespaces_follow_bwraps_rules)
{
	static const struct refusal as_root[] = {
		{{"bwrap", "--userns", "5", "--unshare-user", "true"},
		 "bwrap: --userns not compatible --unshare-user\n"},
		{{"bwrap", "--unshare-all", "--userns-block-fd", "6", "--info-fd", "7", "true"},
		 "bwrap: --userns-block-fd requires --unshare-user\n"},
		{{"bwrap", "--unshare-user", "--userns-block-fd", "6", "true"},
		 "bwrap: --userns-block-fd requires --info-fd\n"},
		/* --userns2 is no --userns for the ids */
		{{"bwrap", "--userns2", "5", "--uid", "3", "true"},
		 "bwrap: Specifying --uid requires --unshare-user or --userns\n"},
		{{"bwrap", "--userns", "x", "true"}, "bwrap: Invalid fd: x\n"},
		{{"bwrap", "--pidns", "-1", "true"}, "bwrap: Invalid fd: -1\n"},
	};
	static const struct refusal as_user[] = {
		/* --unshare-all means the try form; the plain one wins */
		{{"bwrap", "--userns", "5", "--unshare-all", "true"},
		 "bwrap: --userns not compatible --unshare-user-try\n"},
		{{"bwrap", "--unshare-user-try", "--unshare-user", "--userns", "5", "true"},
		 "bwrap: --userns not compatible --unshare-user\n"},
		/* the user namespace an unprivileged caller gets anyway is not asked for */
		{{"bwrap", "--userns-block-fd", "6", "--info-fd", "7", "true"},
		 "bwrap: --userns-block-fd requires --unshare-user\n"},
	};
	assert_refused(&root, as_root, ELEMENTSOF(as_root));
	assert_refused(&user, as_user, ELEMENTSOF(as_user));
}
END_TEST

START_TEST(a_joined_user_namespace_is_not_made)
{
	struct parsed t;
	parse_as(&t, &user, (char *[]){"bwrap", "--userns", "5", "--pidns", "6", "--uid", "0",
				       "--cap-add", "ALL", "true", NULL});
	ck_assert_int_eq(t.ret, 0);
	ck_assert_int_eq(t.r.userns_fd, 5);
	ck_assert_int_eq(t.r.pidns_fd, 6);
	ck_assert(!(t.p.unshare & CLONE_NEWUSER)); /* entered, no maps */
	ck_assert(!(t.p.unshare & CLONE_NEWPID));
	ck_assert_uint_eq(t.p.bwrap.uid, 0);
	parsed_free(&t);
	parse_as(&t, &root, (char *[]){"bwrap", "--unshare-user", "--info-fd", "7",
				       "--userns-block-fd", "6", "--userns2", "8", "true", NULL});
	ck_assert_int_eq(t.ret, 0);
	ck_assert(t.p.unshare & CLONE_NEWUSER);
	ck_assert_int_eq(t.r.userns_block_fd, 6);
	ck_assert_int_eq(t.r.userns2_fd, 8);
	parsed_free(&t);
	/* bwrap's warning, and the last one wins */
	parse_as(&t, &root, (char *[]){"bwrap", "--pidns", "5", "--pidns", "6", "true", NULL});
	ck_assert_int_eq(t.ret, 0);
	ck_assert_int_eq(t.r.pidns_fd, 6);
	ck_assert_str_eq(t.msgs, "bwrap: Only the last --pidns option will take effect\n");
	parsed_free(&t);
	/* a pid namespace of its own inside the joined one (src/launch/pidns.c) */
	parse_as(&t, &root, (char *[]){"bwrap", "--pidns", "5", "--unshare-pid", "true", NULL});
	ck_assert_int_eq(t.ret, 0);
	ck_assert_int_eq(t.r.pidns_fd, 5);
	ck_assert(t.p.unshare & CLONE_NEWPID);
	parsed_free(&t);
}
END_TEST

START_TEST(help_version_and_the_name)
{
	struct parsed t;
	parse_as(&t, &user, (char *[]){"bwrap", "--version", NULL});
	ck_assert_int_eq(t.ret, 0);
	ck_assert(t.r.version);
	parsed_free(&t);
	ck_assert(bwrap_invoked_as("/usr/bin/bwrap"));
	ck_assert(bwrap_invoked_as("bwrap"));
	ck_assert(!bwrap_invoked_as("/usr/bin/glovebox"));
	ck_assert(!bwrap_invoked_as("bwrapper"));
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	bwrap_usage(f, "/usr/bin/bwrap");
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "usage: /usr/bin/bwrap [OPTIONS...]"));
	ck_assert_ptr_nonnull(strstr(buf, "glovebox"));
	ck_assert_ptr_nonnull(strstr(buf, "--ro-bind SRC DEST"));
	free(buf);
}
END_TEST

RUN_SUITE("bwrap", defaults_are_bwraps, root_gets_no_user_namespace_and_keeps_its_capabilities,
	  unshare_all_and_share_net, mounts_keep_their_order_and_bwraps_modes,
	  perms_and_size_must_be_used_by_the_next_option, file_data_comes_from_a_descriptor,
	  bind_data_is_writable_and_bind_fd_names_the_descriptor,
	  args_reads_nul_separated_options, clearenv_forgets_what_was_set_before_it,
	  ids_and_host_name_need_their_namespaces, capabilities_start_from_the_callers,
	  descriptors_and_flags, seccomp_programs_are_read_whole, errors_say_what_bwrap_says,
	  what_glovebox_cannot_do_is_refused_by_name_with_the_reason, overlays_take_one_lower_layer,
	  overlays_stack_their_layers_in_bwrap_order,
	  disable_userns_needs_a_user_namespace, joined_namespaces_follow_bwraps_rules,
	  a_joined_user_namespace_is_not_made, help_version_and_the_name)
