/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The Landlock rules derived from the mount plan, and the TCP keys. */
#include "testutil.h"

#include "facts-fixture.h"
#include "where/facts.h"
#include "where/landlock.h"
#include "where/plan.h"

#include <linux/magic.h>

static struct fixture f;

static bool loaded;

/* A fresh policy from a profile's text: 0, or -1 with the messages in f. */
static int load_fresh(const char *text)
{
	if (loaded)
		fixture_free(&f);
	loaded = true;
	fixture_init(&f);
	return load(&f, "t.ini", text);
}

static struct policy *policy_with(const char *text)
{
	ck_assert_int_eq(load_fresh(text), 0);
	return &f.p;
}

/* A policy mount's source (the i-th mount of the profile), as the facts
 * would have it. */
static void source_is(struct where_facts *fx, size_t i, mode_t type)
{
	fx->src[i].known = true;
	fx->src[i].st.st_mode = type | 0755;
	fx->src[i].st.st_dev = 1;
	fx->src[i].st.st_ino = 100 + i;
	fx->src[i].fs_type = EXT4_SUPER_MAGIC;
}

typedef void (*setup_fn)(struct where_facts *);

/* The rules for a profile on a kernel of this ABI, as
 * "path: words; path: words", or with fds, each path and descriptor as
 * "path=fd path=fd". */
static char *rules_text(const char *profile, setup_fn setup, enum landlock_view view, int abi,
			bool fds, bool merge)
{
	struct where_env env = {.home = "/home/u"};
	struct where_plan plan;
	where_plan_make(policy_with(profile), &env, &plan);
	struct where_facts fx = facts_for(&plan);
	if (setup)
		setup(&fx);
	ck_assert_int_eq(where_plan_derive(&plan, &fx, &f.d), 0);
	uint64_t handled = where_landlock_fs_handled(abi);
	struct landlock_rules rules;
	where_landlock_rules(&plan, &fx, view, handled, &rules);
	if (merge)
		where_landlock_merge(&plan, &fx, &rules);
	char *out = xstrdup("");
	for (size_t i = 0; i < rules.n; i++) {
		char access[512];
		where_landlock_access_text(rules.v[i].access, handled, access, sizeof(access));
		char *next = fds ? xasprintf("%s%s%s=%d", out, i ? " " : "", rules.v[i].path,
					     rules.v[i].fd)
				 : xasprintf("%s%s%s: %s", out, i ? "; " : "", rules.v[i].path, access);
		free(out);
		out = next;
	}
	where_landlock_rules_free(&rules);
	free(fx.src);
	where_plan_free(&plan);
	return out;
}

#define RULES(profile, setup, view, abi, expect)                                                   \
	do {                                                                                       \
		char *t_ = rules_text(profile, setup, view, abi, false, false);                           \
		ck_assert_str_eq(t_, expect);                                                      \
		free(t_);                                                                          \
	} while (0)

#define INSIDE(profile, setup, expect) RULES(profile, setup, LANDLOCK_INSIDE, 7, expect)

START_TEST(each_mount_kind_gets_the_rights_its_mount_gives)
{
	INSIDE("[where]\nhome = none\nro-bind = /usr\nbind = /src\nproc = /proc\ndev = /dev\n"
	       "tmpfs = /tmp\nmqueue = /dev/mqueue\n",
	       NULL,
	       "/usr: read list exec; /src: all but make-char make-block; "
	       "/proc: read write list truncate; /dev: read write list ioctl-dev; "
	       "/dev/shm: all but make-char make-block; /tmp: all but make-char make-block; "
	       "/dev/mqueue: all but make-char make-block; /: list");
	INSIDE("[where]\nhome = none\ndev-bind = /dev/dri\nfile = /etc/motd hi\n", NULL,
	       "/dev/dri: all; /etc/motd: read exec; /: list");
}
END_TEST

START_TEST(links_directories_and_modes_add_no_rule)
{
	INSIDE("[where]\nhome = none\nsymlink = /usr/bin /bin\ndir = /data\nchmod = 0700 /data\n",
	       NULL, "/: list");
}
END_TEST

static void first_is_a_file(struct where_facts *fx)
{
	source_is(fx, 0, S_IFREG);
}

START_TEST(a_bind_of_a_file_keeps_the_rights_a_file_can_have)
{
	INSIDE("[where]\nhome = none\nbind = /etc/hosts /h\n", first_is_a_file,
	       "/h: read write exec truncate ioctl-dev; /: list");
	INSIDE("[where]\nhome = none\nro-bind = /etc/hosts /h\n", first_is_a_file,
	       "/h: read exec; /: list");
}
END_TEST

static void first_is_missing(struct where_facts *fx)
{
	fx->src[0].known = true;
	fx->src[0].missing = true;
}

static void first_is_a_link(struct where_facts *fx)
{
	source_is(fx, 0, S_IFLNK);
	fx->src[0].link_target = "usr/bin";
}

START_TEST(what_is_not_mounted_gets_no_rule)
{
	INSIDE("[where]\nhome = none\nro-bind-try = /opt\n", first_is_missing, "/: list");
	INSIDE("[where]\nhome = none\nmirror = /bin\n", first_is_a_link, "/: list");
}
END_TEST

START_TEST(a_later_mount_at_the_same_place_replaces_the_rule)
{
	/* what shows at /tmp is the read-only bind: the tmpfs's rule would
	 * land on it */
	INSIDE("[where]\nhome = none\ntmpfs = /tmp\nro-bind = /srv /tmp\n", NULL,
	       "/tmp: read list exec; /: list");
	/* a tmpfs over the sandbox's own shared memory */
	INSIDE("[where]\nhome = none\ndev = /dev\nro-bind = /srv /dev/shm\n", NULL,
	       "/dev: read write list ioctl-dev; /dev/shm: read list exec; /: list");
}
END_TEST

START_TEST(a_tmpfs_without_exec_gets_no_exec_right)
{
	INSIDE("[where]\nhome = none\ntmpfs = /tmp exec=no\n", NULL,
	       "/tmp: read write list truncate make-file make-dir make-link make-sock make-fifo "
	       "remove-file remove-dir refer ioctl-dev; /: list");
}
END_TEST

START_TEST(remount_ro_takes_the_write_rights_at_and_below_it)
{
	INSIDE("[where]\nhome = none\ntmpfs = /a\nbind = /src /a/b\nbind = /x\nremount-ro = /a\n",
	       NULL, "/a: read list exec ioctl-dev; /a/b: read list exec ioctl-dev; "
		     "/x: all but make-char make-block; /: list");
}
END_TEST

START_TEST(an_older_kernel_gets_the_rights_it_knows)
{
	static const char *const profile = "[where]\nhome = none\nbind = /src\ndev = /dev\n";
	RULES(profile, NULL, LANDLOCK_INSIDE, 1, "/src: all but make-char make-block; "
	      "/dev: read write list; /dev/shm: all but make-char make-block; /: list");
	ck_assert_uint_eq(where_landlock_fs_handled(1) & (LL_REFER | LL_TRUNCATE | LL_IOCTL_DEV), 0);
	ck_assert_uint_eq(where_landlock_fs_handled(2) & (LL_TRUNCATE | LL_IOCTL_DEV), 0);
	ck_assert_uint_ne(where_landlock_fs_handled(3) & LL_TRUNCATE, 0);
	ck_assert_uint_eq(where_landlock_fs_handled(4) & LL_IOCTL_DEV, 0);
	ck_assert_uint_ne(where_landlock_fs_handled(5) & LL_IOCTL_DEV, 0);
	ck_assert_uint_eq(where_landlock_fs_handled(0), 0);
}
END_TEST

START_TEST(explain_says_what_an_older_kernel_cannot_enforce)
{
	char buf[512];
	where_landlock_missing_text(7, buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
	where_landlock_missing_text(3, buf, sizeof(buf));
	ck_assert_str_eq(buf, "TCP ports (ABI 4), device ioctls (ABI 5), scoping (ABI 6)");
	where_landlock_missing_text(0, buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "file access (ABI 1)"));
}
END_TEST

/* / (dev 1, ino 2) holding glovebox's configuration /home/u/.config. */
static const struct where_anchor config_anc[] = {
	{1, 30, ""}, {1, 20, ".config"}, {1, 10, "u/.config"}, {1, 2, "home/u/.config"},
};
static ino_t config_inside[] = {31};
static struct where_guarded config;

static void root_bound(struct where_facts *fx)
{
	config = (struct where_guarded){
		.path = "/home/u/.config", .dev = 1, .ino = 30,
		.anc = (struct where_anchor *)config_anc, .n_anc = ELEMENTSOF(config_anc),
		.inside = config_inside, .n_inside = 1, .inside_read = true};
	fx->prot = &config;
	fx->n_prot = 1;
	fx->src[0].known = true;
	fx->src[0].st.st_mode = S_IFDIR | 0755;
	fx->src[0].st.st_dev = 1;
	fx->src[0].st.st_ino = 2;
	fx->src[0].fs_type = EXT4_SUPER_MAGIC;
}

START_TEST(nothing_beneath_a_mask_gets_a_rule)
{
	INSIDE("[where]\nhome = none\nbind = / /host\ntmpfs = /host/home/u/.config/x\n", root_bound,
	       "/host: all but make-char make-block; /: list");
}
END_TEST

START_TEST(without_namespaces_the_rules_name_the_hosts_paths)
{
	RULES("[where]\nhome = none\nro-bind = /usr\nbind = /srv/data /data\ntmpfs = /tmp\n"
	      "proc = /proc\ndev = /dev\nfile = /etc/motd hi\n",
	      NULL, LANDLOCK_HOST, 7,
	      "/usr: read list exec; /srv/data: all but make-char make-block; "
	      "/proc: read write list truncate; /dev/null: read write ioctl-dev; "
	      "/dev/zero: read write ioctl-dev; /dev/full: read write ioctl-dev; "
	      "/dev/random: read write ioctl-dev; /dev/urandom: read write ioctl-dev; "
	      "/dev/tty: read write ioctl-dev");
}
END_TEST

START_TEST(without_namespaces_what_a_mask_would_hide_is_refused)
{
	struct where_env env = {.home = "/home/u"};
	struct where_plan plan;
	where_plan_make(policy_with("[where]\nhome = none\nbind = / /host\n"), &env, &plan);
	struct where_facts fx = facts_for(&plan);
	root_bound(&fx);
	ck_assert_int_eq(where_plan_derive(&plan, &fx, &f.d), 0);
	ck_assert_int_eq(where_landlock_host_check(&plan, &f.d), -1);
	ck_assert_msgs_contain(&f, "t.ini:3: [where] bind: /: without namespaces, glovebox's own "
				   "state at /host/home/u/.config cannot be hidden");
	free(fx.src);
	where_plan_free(&plan);
}
END_TEST

/* The first three mounts' sources as pid 1 holds them: trees 40, 41, 42. */
static void sources_open(struct where_facts *fx)
{
	for (size_t i = 0; i < 3; i++) {
		source_is(fx, i, S_IFDIR);
		fx->src[i].fd = 40 + (int)i;
	}
}

START_TEST(a_binds_rule_goes_on_the_tree_pid_1_holds)
{
	/* inside, a bind's tree root is what shows at its destination: no
	 * path to open again; a tmpfs has no tree, the host's paths none */
	static const char *const profile = "[where]\nhome = none\nro-bind = /usr\ntmpfs = /tmp\n"
					   "bind = /srv/data /data\n";
	char *t = rules_text(profile, sources_open, LANDLOCK_INSIDE, 7, true, false);
	ck_assert_str_eq(t, "/usr=40 /tmp=-1 /data=42 /=-1");
	free(t);
	t = rules_text(profile, sources_open, LANDLOCK_HOST, 7, true, false);
	ck_assert_str_eq(t, "/usr=-1 /srv/data=-1");
	free(t);
}
END_TEST

/* ---- one rule for a directory of read-only binds ---- */

#define MERGED(profile, setup, expect)                                                             \
	do {                                                                                       \
		char *t_ = rules_text(profile, setup, LANDLOCK_INSIDE, 7, false, true);                   \
		ck_assert_str_eq(t_, expect);                                                      \
		free(t_);                                                                          \
	} while (0)

/* Every source a directory that is there. */
static void all_dirs(struct where_facts *fx)
{
	for (size_t i = 0; i < fx->n_src; i++)
		source_is(fx, i, S_IFDIR);
}

static void all_files(struct where_facts *fx)
{
	for (size_t i = 0; i < fx->n_src; i++)
		source_is(fx, i, S_IFREG);
}

static void second_is_a_file(struct where_facts *fx)
{
	all_dirs(fx);
	source_is(fx, 1, S_IFREG);
}

static void second_is_missing(struct where_facts *fx)
{
	all_dirs(fx);
	fx->src[1].missing = true;
}

#define THREE_RO "ro-bind = /srv/a /b/a\nro-bind = /srv/b /b/b\nro-bind = /srv/c /b/c\n"
#define THREE_RULES "/b/a: read list exec; /b/b: read list exec; /b/c: read list exec"

START_TEST(read_only_binds_alone_in_a_directory_made_for_them_share_its_rule)
{
	MERGED("[where]\nhome = none\n" THREE_RO, all_dirs, "/b: read list exec; /: list");
	/* deeper: the directory right above them, not one higher */
	MERGED("[where]\nhome = none\nro-bind = /srv/a /b/x/a\nro-bind = /srv/b /b/x/b\n"
	       "mirror = /opt\nmirror = /srv\n",
	       all_dirs, "/b/x: read list exec; /opt: read list exec; /srv: read list exec; /: list");
	/* files: the rights a file can have, the same on the directory */
	MERGED("[where]\nhome = none\nro-bind = /etc/hosts /f/h\nro-bind = /etc/passwd /f/p\n",
	       all_files, "/f: read exec; /: list");
}
END_TEST

START_TEST(a_directory_that_holds_anything_else_keeps_one_rule_per_bind)
{
	static const char *const slow[][2] = {
		/* a bind that writes, among them */
		{"bind = /srv/w /b/w\n" THREE_RO, "/b/w: all but make-char make-block; " THREE_RULES},
		/* a mount on the directory or above it: not glovebox's own */
		{"tmpfs = /b\n" THREE_RO, "/b: all but make-char make-block; " THREE_RULES},
		{"ro-bind = /srv /b\n" THREE_RO, "/b: read list exec; " THREE_RULES},
		/* a symlink on the way: the binds land where it points */
		{"symlink = /elsewhere /b\n" THREE_RO, THREE_RULES},
		{"symlink = /elsewhere /b/l\n" THREE_RO, THREE_RULES},
		/* two binds at one place: the later one's rule alone */
		{"ro-bind = /srv/x /b/a\n" THREE_RO, THREE_RULES},
		/* something deeper than right under it */
		{THREE_RO "ro-bind = /srv/d /b/a/d\n", THREE_RULES "; /b/a/d: read list exec"},
		{"dir = /b/e\n" THREE_RO, THREE_RULES},
		{"tmpfs = /b/t\n" THREE_RO, "/b/t: all but make-char make-block; " THREE_RULES},
	};
	for (size_t i = 0; i < ELEMENTSOF(slow); i++) {
		char *profile = xasprintf("[where]\nhome = none\n%s", slow[i][0]);
		char *want = xasprintf("%s; /: list", slow[i][1]);
		MERGED(profile, all_dirs, want);
		free(want);
		free(profile);
	}
}
END_TEST

START_TEST(binds_of_other_kinds_or_rights_keep_their_own_rules)
{
	/* a file beside directories: other rights */
	MERGED("[where]\nhome = none\n" THREE_RO, second_is_a_file,
	       "/b/a: read list exec; /b/b: read exec; /b/c: read list exec; /: list");
	/* a source that is not there: nothing mounted at its place */
	MERGED("[where]\nhome = none\nro-bind = /srv/a /b/a\nro-bind-try = /srv/b /b/b\n"
	       "ro-bind = /srv/c /b/c\n",
	       second_is_missing, "/b/a: read list exec; /b/c: read list exec; /: list");
	/* one alone: nothing to gain */
	MERGED("[where]\nhome = none\nro-bind = /srv/a /b/a\n", all_dirs,
	       "/b/a: read list exec; /: list");
	/* right under the root, which holds everything else */
	MERGED("[where]\nhome = none\nro-bind = /srv/a /a\nro-bind = /srv/b /c\n", all_dirs,
	       "/a: read list exec; /c: read list exec; /: list");
	/* a device bind's ioctls: no right that writes, still its own */
	MERGED("[where]\nhome = none\ndev-bind = /dev/dri /d/dri\ndev-bind = /dev/snd /d/snd\n",
	       all_dirs, "/d/dri: all; /d/snd: all; /: list");
}
END_TEST

/* ---- the TCP keys ---- */

START_TEST(tcp_ports_are_listed_and_a_later_line_replaces)
{
	struct policy *p = policy_with("[where]\ntcp-connect = 443 80\ntcp-connect = 443\n"
				       "tcp-bind = none\n");
	ck_assert(p->tcp[TCP_CONNECT].restricted);
	ck_assert_uint_eq(p->tcp[TCP_CONNECT].n, 1);
	ck_assert_uint_eq(p->tcp[TCP_CONNECT].v[0], 443);
	ck_assert(p->tcp[TCP_BIND].restricted);
	ck_assert_uint_eq(p->tcp[TCP_BIND].n, 0);
	p = policy_with("[where]\ntcp-connect = 443\ntcp-connect = any\n");
	ck_assert(!p->tcp[TCP_CONNECT].restricted);
	ck_assert(!p->tcp[TCP_BIND].restricted);
}
END_TEST

START_TEST(a_bad_port_names_itself)
{
	static const char *const bad[] = {"0", "65536", "http", "-1", "80x"};
	for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
		char *text = xasprintf("[where]\ntcp-bind = 22 %s\n", bad[i]);
		ck_assert_int_eq(load_fresh(text), -1);
		char *want = xasprintf("t.ini:2: [where] tcp-bind: %s: expected a port (1 to 65535), "
				       "any or none",
				       bad[i]);
		ck_assert_msgs_contain(&f, want);
		free(want);
		free(text);
	}
	ck_assert_int_eq(load_fresh("[where]\ntcp-connect = any 80\n"), -1);
	ck_assert_msgs_contain(&f, "'any' cannot be combined with ports");
}
END_TEST

RUN_SUITE("landlock", each_mount_kind_gets_the_rights_its_mount_gives,
	  links_directories_and_modes_add_no_rule, a_bind_of_a_file_keeps_the_rights_a_file_can_have,
	  what_is_not_mounted_gets_no_rule, a_later_mount_at_the_same_place_replaces_the_rule,
	  a_tmpfs_without_exec_gets_no_exec_right,
	  remount_ro_takes_the_write_rights_at_and_below_it, an_older_kernel_gets_the_rights_it_knows,
	  explain_says_what_an_older_kernel_cannot_enforce, nothing_beneath_a_mask_gets_a_rule,
	  without_namespaces_the_rules_name_the_hosts_paths,
	  without_namespaces_what_a_mask_would_hide_is_refused, a_binds_rule_goes_on_the_tree_pid_1_holds,
	  read_only_binds_alone_in_a_directory_made_for_them_share_its_rule,
	  a_directory_that_holds_anything_else_keeps_one_rule_per_bind,
	  binds_of_other_kinds_or_rights_keep_their_own_rules,
	  tcp_ports_are_listed_and_a_later_line_replaces, a_bad_port_names_itself)
