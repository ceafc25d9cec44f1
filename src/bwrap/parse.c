/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bubblewrap's command line, read through one table (options.c): each row
 * is an option, its argument count, the function that applies it
 * (handlers.c) and its help line. The facts about bwrap's meaning come
 * from its manual and from running bwrap 0.8; the tests compare the two. */
#include "bwrap/parse-internal.h"

#include <linux/capability.h>
#include <sched.h>
#include <stdio.h>

/* --args nests: a file's options may hold another --args. */
#define ARGS_MAX_DEPTH 16

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
		const struct bw_option *o = bw_option_named(arg);
		if (!o)
			return bw_fail(s, NULL, "Unknown option %s", arg);
		if (argc - *i - 1 < (int)o->nargs)
			return bw_fail(s, NULL, "%s takes %s", arg, arg_words[o->nargs]);
		/* --perms and --size hold for the next option that is not one of
		 * them, which must use them */
		bool modifier = o->apply == bw_perms || o->apply == bw_size;
		if (!modifier && s->perms_by && !(o->flags & BW_PERMS))
			return bw_fail(s, NULL, "--perms must be followed by an option that creates a file");
		if (!modifier && s->size_given && !(o->flags & BW_SIZE))
			return bw_fail(s, NULL, "--size must be followed by --tmpfs");
		if (s->overlay_srcs.n && !(o->flags & BW_OVERLAY))
			return bw_fail(s, NULL, OVERLAY_SRC_ALONE);
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
int bw_args(struct bw *s, const struct bw_option *o, char **a)
{
	int fd = -1;
	char *buf = NULL;
	size_t len = 0;
	if (s->depth >= ARGS_MAX_DEPTH)
		return bw_fail(s, o, "--args nested too deep");
	if (bw_parse_fd(s, o, a[0], &fd) < 0 || bw_read_fd(s, o, fd, &buf, &len) < 0)
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

/* Whether glovebox makes a user namespace: asked for, or for an
 * unprivileged caller always, unless --userns gave one to join. */
static bool new_userns(const struct bw *s)
{
	return ((s->unshare & CLONE_NEWUSER) || s->caller->uid != 0) && s->r->userns_fd < 0;
}

/* --userns, --userns-block-fd: bwrap's rules, in its order, and before
 * those on the ids, which a joined namespace satisfies. */
static int check_userns_options(struct bw *s)
{
	const struct bwrap_request *r = s->r;
	if (r->userns_fd >= 0 && s->user_by)
		return bw_fail(s, NULL, "--userns not compatible %s", s->user_by);
	/* the explicit option only: the user namespace an unprivileged caller
	 * gets anyway does not count, as in bwrap */
	bool explicit_user = s->user_by && streq(s->user_by, "--unshare-user");
	if (r->userns_block_fd >= 0 && !explicit_user)
		return bw_fail(s, NULL, "--userns-block-fd requires --unshare-user");
	if (r->userns_block_fd >= 0 && r->info_fd < 0)
		return bw_fail(s, NULL, "--userns-block-fd requires --info-fd");
	return 0;
}

/* bwrap's rules between options, once all are read. */
static int check_combination(struct bw *s)
{
	struct policy *p = s->p;
	bool userns = new_userns(s);
	bool joined = s->r->userns_fd >= 0;
	if (s->perms_by)
		return bw_fail(s, NULL, "--perms must be followed by an option that creates a file");
	if (s->size_given)
		return bw_fail(s, NULL, "--size must be followed by --tmpfs");
	if (s->overlay_srcs.n)
		return bw_fail(s, NULL, OVERLAY_SRC_ALONE);
	if (check_userns_options(s) < 0)
		return -1;
	if (s->disable_userns && !userns)
		return bw_fail(s, NULL, "--disable-userns requires --unshare-user");
	if ((s->uid_given || s->gid_given) && !userns && !joined)
		return bw_fail(s, NULL, "Specifying --%s requires --unshare-user or --userns",
			    s->uid_given ? "uid" : "gid");
	if (p->hostname_s.set && !(s->unshare & CLONE_NEWUTS))
		return bw_fail(s, NULL, "Specifying --hostname requires --unshare-uts");
	if (s->caps_touched && s->caller->uid != 0 && !userns && !joined)
		return bw_fail(s, NULL, "--cap-add in setuid mode can be used only by root");
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

/* --userns2: entering a user namespace gives the process the full sets
 * in it, the bounding set too (the kernel's set_cred_user_ns), and bwrap
 * then sets only the capabilities, never the bounding set: it stays
 * full, whoever the caller, and root's capabilities are the full set
 * unless --cap-add or --cap-drop chose them (measured with bwrap 0.8). */
static void second_userns_caps(const struct bw *s, struct policy *p, bool root_inside)
{
	uint64_t all = (UINT64_C(2) << CAP_LAST_CAP) - 1;
	p->bwrap.bounding = all;
	if (!s->caps_touched && s->caller->uid == 0 && root_inside)
		p->caps = all;
}

static void apply_namespaces(struct bw *s)
{
	struct policy *p = s->p;
	bool userns = new_userns(s);
	/* --userns-block-fd: the caller's maps decide the ids; bwrap then
	 * ignores --uid and --gid, and root keeps its capabilities */
	if (s->r->userns_block_fd >= 0) {
		p->bwrap.uid = s->caller->uid;
		p->bwrap.gid = s->caller->gid;
	}
	/* a joined user namespace is entered by glovebox before the others
	 * are made (bwrap_join_namespaces): none is made, no ids mapped */
	unsigned long user = userns ? CLONE_NEWUSER : 0;
	p->unshare = (s->unshare & ~(unsigned long)(CLONE_NEWNET | CLONE_NEWUSER)) | user;
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
	bool chosen = (userns || s->r->userns_fd >= 0) && s->caps_touched;
	p->bwrap.bounding = s->caller->uid != 0 || chosen ? p->caps : s->caller->bounding;
	p->user = p->bwrap.uid == 0 ? USER_ROOT : USER_SELF;
	if (s->r->userns2_fd >= 0)
		second_userns_caps(s, p, root_inside);
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
	*r = (struct bwrap_request){.info_fd = -1, .json_fd = -1, .block_fd = -1, .sync_fd = -1,
				    .userns_fd = -1, .pidns_fd = -1, .userns2_fd = -1,
				    .userns_block_fd = -1};
	bwrap_defaults(p, caller);
	struct bw s = {.p = p, .r = r, .d = d, .caller = caller};
	int i = 1;
	int ret = parse_all(&s, argc, argv, &i);
	strv_free(&s.overlay_srcs);
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
