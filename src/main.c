/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* glovebox: run a command in a sandbox described by INI profiles. */
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <signal.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/xattr.h>

#include "trace.h"
#include "app.h"
#include "commands.h"
#include "desktop.h"
#include "bwrap/bwrap.h"
#include "config.h"
#include "diag.h"
#include "complete.h"
#include "explain.h"
#include "state.h"
#include "how/cache.h"
#include "learn/learn.h"
#include "how/seccomp.h"
#include "launch/launch.h"
#include "policy/cli.h"
#include "policy/desktop.h"
#include "policy/expand.h"
#include "policy/profile.h"
#include "where/dbusproxy.h"
#include "where/resolve.h"

/* glovebox must never carry privileges of its own: a setuid or
 * file-capability launcher turns every parsing bug into a root exploit. */
static int refuse_privileged_binary(void)
{
	struct stat st;
	bool bad = getauxval(AT_SECURE) != 0;
	if (!bad && stat("/proc/self/exe", &st) == 0)
		bad = (st.st_mode & (S_ISUID | S_ISGID)) != 0;
	if (!bad && getxattr("/proc/self/exe", "security.capability", NULL, 0) >= 0)
		bad = true;
	if (bad) {
		fputs("glovebox: refusing to run: this binary is setuid, setgid or has file "
		      "capabilities; glovebox needs none (remove them with chmod u-s,g-s and "
		      "setcap -r)\n",
		      stderr);
		return -1;
	}
	return 0;
}

/* With 0, 1 or 2 closed, the next descriptor glovebox opens would become
 * the command's stdin or stdout. */
static void ensure_std_fds(void)
{
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
			int n = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
			if (n >= 0 && n != fd)
				close(n);
		}
}

/* Make a directory glovebox trusts later exist, so that it can be hidden in
 * the sandbox: otherwise a sandbox with a writable home could create it
 * and plant profiles or compiled programs for later runs. The directories
 * above it are created too when it lies in an existing home (~/.config,
 * ~/.cache, or deeper), never elsewhere: HOME=/nonexistent must stay
 * nonexistent. */
static bool ensure_private_dir(const char *dir, const char *home)
{
	if (!dir)
		return false;
	if (mkdir(dir, 0700) == 0 || errno == EEXIST)
		return true;
	if (errno != ENOENT || !home)
		return false;
	size_t n = strlen(home);
	struct stat st;
	if (strncmp(dir, home, n) != 0 || dir[n] != '/' || stat(home, &st) < 0 ||
	    !S_ISDIR(st.st_mode))
		return false;
	return make_dirs(dir);
}

/* One profile named on the command line, as profile_load finds it: the
 * built-in default, or a file's canonical path. */
static char *profile_identity(const struct profile_loader *l, const char *name)
{
	if (streq(name, BUILTIN_DEFAULT_NAME))
		return xstrdup(BUILTIN_DEFAULT_FILE);
	char *real = NULL;
	for (size_t i = 0; !real && !strchr(name, '/') && i < l->search_path.n; i++) {
		_cleanup_free_ char *path = xasprintf("%s/%s.ini", l->search_path.v[i], name);
		real = realpath(path, NULL);
	}
	if (!real && strchr(name, '/'))
		real = realpath(name, NULL);
	return real ? real : xstrdup(name);
}

/* home = private keeps one home per profile chain: named after the last
 * profile, with a hash of every profile's identity in order, so that
 * a/one and b/one, or `-p one -p two` and `-p two`, never share a home.
 * The built-in default alone is "default". */
static char *home_name(const struct cli *cli, const struct profile_loader *l)
{
	uint64_t h = FNV1A_OFFSET;
	bool builtin_only = true;
	for (size_t i = 0; i < cli->profiles.n; i++) {
		_cleanup_free_ char *id = profile_identity(l, cli->profiles.v[i]);
		builtin_only &= streq(id, BUILTIN_DEFAULT_FILE);
		for (const char *c = id;; c++) {
			h = fnv1a_byte(h, (unsigned char)*c);
			if (!*c)
				break;
		}
	}
	if (builtin_only)
		return xstrdup("default");
	const char *last = cli->profiles.v[cli->profiles.n - 1];
	const char *base = strrchr(last, '/') ? strrchr(last, '/') + 1 : last;
	size_t n = strlen(base);
	if (n > 4 && streq(base + n - 4, ".ini"))
		n -= 4;
	_cleanup_free_ char *name = xstrndup(base, n > 64 ? 64 : n);
	for (char *c = name; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '-' && *c != '_' && *c != '.')
			*c = '_';
	const char *pre = !name[0] || name[0] == '.' ? "_" : "";
	return xasprintf("%s%s-%08x", pre, name, (unsigned)(h ^ (h >> 32)));
}

/* Built-in defaults < profiles in order < command-line options. */
static int build_policy(const struct cli *cli, struct policy *p, const struct expand_vars *vars,
			struct diag *d, struct strv *layered)
{
	struct desktop_host host;
	desktop_host_from_env(&host, vars->home, cli->cmd == CMD_RUN);
	struct profile_loader l;
	profile_loader_init(&l, p, d, vars);
	profile_loader_default_path(&l);
	/* No --profile: the built-in default; --profile none: a blank slate. */
	struct origin o = {.key = "--profile"};
	profile_load_includes(&l, &cli->profiles, &o);
	p->home_name = home_name(cli, &l);
	/* what explain --json lists: the built-in first, as it is the base */
	if (l.builtin_done)
		strv_add(layered, BUILTIN_DEFAULT_FILE);
	for (size_t i = 0; i < l.n_done; i++)
		strv_add(layered, l.done[i].path);
	profile_loader_free(&l);
	cli_apply(cli, p, d);
	if (d->errors == 0)
		desktop_resolve(p, &host, d);
	if (d->errors == 0 && policy_validate(p, d) == 0)
		dbusproxy_plan(p, d);
	return d->errors ? -1 : 0;
}

struct prepared {
	struct diag d;
	struct expand_vars vars;
	struct expand_storage storage;
	struct policy p;
	char *config, *cache; /* glovebox's own state; NULL when unknown */
	char *private_home;   /* home = private: the host directory; NULL otherwise */
	struct where_env where;
	struct strv profiles; /* the files layered, in order */
};

/* Where the working directory lies: the host's /, $HOME or a directory
 * above it, compared by inode so that symlinks and other names of the
 * same directory count too. */
/* Whether dir (st) is one of glovebox's state directories or lies in one. */
static bool in_state(const char *cwd, const struct stat *c, char *const state[], size_t n)
{
	struct stat st[2];
	size_t n_st = 0;
	for (size_t i = 0; i < n && n_st < ELEMENTSOF(st); i++)
		if (state[i] && stat(state[i], &st[n_st]) == 0)
			n_st++;
	_cleanup_free_ char *dir = realpath(cwd, NULL);
	struct stat here = *c;
	while (dir) {
		for (size_t i = 0; i < n_st; i++)
			if (here.st_dev == st[i].st_dev && here.st_ino == st[i].st_ino)
				return true;
		char *slash = strrchr(dir, '/');
		if (!slash || !dir[1])
			break;
		slash[slash == dir] = '\0';
		if (stat(dir, &here) < 0)
			break;
	}
	return false;
}

static enum cwd_place cwd_place(const char *cwd, const char *home, char *const state[],
				size_t n_state)
{
	struct stat c, st;
	if (!cwd || stat(cwd, &c) < 0)
		return CWD_PLACE_OTHER;
	if (stat("/", &st) == 0 && st.st_dev == c.st_dev && st.st_ino == c.st_ino)
		return CWD_PLACE_ROOT;
	struct statfs sfs;
	if (statfs(cwd, &sfs) == 0 && sfs.f_type == PROC_SUPER_MAGIC)
		return CWD_PLACE_HOST_PROC;
	/* Where every program of the host keeps its sockets and temporary
	 * files: a read-only bind of them still lets connect() through. */
	char run_user[64];
	snprintf(run_user, sizeof(run_user), "/run/user/%u", (unsigned)getuid());
	const char *const shared[] = {"/tmp", "/var/tmp", "/run", "/dev/shm", run_user};
	for (size_t i = 0; i < ELEMENTSOF(shared); i++)
		if (stat(shared[i], &st) == 0 && st.st_dev == c.st_dev && st.st_ino == c.st_ino)
			return CWD_PLACE_SHARED_DIR;
	/* Never shown, whoever asks: a sandbox must not see, let alone change,
	 * what later runs trust. */
	if (in_state(cwd, &c, state, n_state))
		return CWD_PLACE_GLOVEBOX_STATE;
	_cleanup_free_ char *dir = home ? realpath(home, NULL) : NULL;
	for (bool self = true; dir && dir[1]; self = false) {
		if (stat(dir, &st) == 0 && st.st_dev == c.st_dev && st.st_ino == c.st_ino)
			return self ? CWD_PLACE_HOME : CWD_PLACE_ABOVE_HOME;
		char *slash = strrchr(dir, '/');
		slash[slash == dir] = '\0';
	}
	return CWD_PLACE_OTHER;
}

/* What the where layer needs to know about the launcher's surroundings. */
static void gather_where(struct prepared *pr)
{
	if (pr->p.home == HOME_PRIVATE) {
		_cleanup_free_ char *data = state_dir(STATE_DATA, pr->vars.home);
		if (data)
			pr->private_home = xasprintf("%s/home/%s", data, pr->p.home_name);
	}
	uid_t uid = geteuid();
	pr->where = (struct where_env){
		.host_root = uid == 0 && pr->p.host_user != HOST_USER_NOBODY,
		.invoker = uid,
		.home = pr->vars.home,
		.private_home = pr->private_home,
		.cwd = pr->vars.cwd,
		.cwd_place = cwd_place(pr->vars.cwd, pr->vars.home,
				       (char *const[]){pr->config, pr->cache}, 2),
	};
	struct stat st;
	if (pr->vars.cwd && stat(pr->vars.cwd, &st) == 0) {
		pr->where.cwd_dev = st.st_dev;
		pr->where.cwd_ino = st.st_ino;
	}
	/* Before any namespace: only here are the symlinks' owners known. */
	where_resolve_sources(&pr->p, &pr->where);
}

static int prepare(const struct cli *cli, struct prepared *pr)
{
	diag_init(&pr->d, stderr, "glovebox: ");
	expand_vars_from_process(&pr->vars, &pr->storage);
	policy_init(&pr->p);
	pr->config = state_dir(STATE_CONFIG, pr->vars.home);
	pr->cache = state_dir(STATE_CACHE, pr->vars.home);
	pr->private_home = NULL;
	pr->where = (struct where_env){0};
	pr->profiles = (struct strv){0};
	if (build_policy(cli, &pr->p, &pr->vars, &pr->d, &pr->profiles) < 0)
		return -1;
	gather_where(pr);
	return 0;
}

/* The exit status when the policy could not be built: 2 when only
 * command-line values were wrong (a usage error), else 125. */
static int prepare_failure(const struct prepared *pr)
{
	return pr->d.errors && pr->d.errors == pr->d.command_line_errors ? 2 : 125;
}

static void prepared_free(struct prepared *pr)
{
	where_env_free_paths(&pr->where, pr->p.n_mounts + 2);
	policy_free(&pr->p);
	expand_storage_free(&pr->storage);
	free(pr->config);
	free(pr->cache);
	free(pr->private_home);
	strv_free(&pr->profiles);
}

/* What a launch leaves to the kernel at exit instead of freeing it.
 *
 * The supervisor's heap is shared copy-on-write with pid 1 from the
 * clone on, so each free at exit writes to a write-protected page and
 * takes a page fault (about 25 µs on the VM this is developed on), and a
 * deep free writes to every page the policy, the resolved paths and the
 * command line fill. Measured as root, whole launch tree, interleaved
 * (perf stat -e page-faults,task-clock -r 10, median of 4, load 2.3):
 * with 500 read-only binds 331 faults and 48.8 ms of CPU before, 262
 * and 41.6 ms after; with none 140 and 138.
 * The kernel takes the memory back at exit anyway. Kept here, the blocks
 * stay reachable, so that no leak checker counts them as leaked;
 * sanitizer builds (GB_FREE_AT_EXIT) free them all, so that every
 * launch under LeakSanitizer checks those frees. */
_used_ static struct prepared kept_launch;
_used_ static struct cli kept_cli;

static void leave_prepared_to_exit(struct prepared *pr)
{
	if (GB_FREE_AT_EXIT)
		prepared_free(pr);
	else
		kept_launch = *pr;
}

static void leave_cli_to_exit(struct cli *c)
{
	if (GB_FREE_AT_EXIT)
		cli_free(c);
	else
		kept_cli = *c;
}

/* A current directory left out against the profile's wish is said, in one
 * line: the command will not find its files there. */
static void say_cwd_note(const struct policy *p, const struct where_env *env)
{
	_cleanup_free_ char *note = where_cwd_note(p, env, where_cwd_decide(p, env));
	if (note)
		fprintf(stderr, "glovebox: %s\n", note);
}

/* --add-seccomp-fd: the caller's programs, read whole now and loaded with
 * glovebox's (the kernel asks both: the stricter answer wins). The
 * descriptors are used up. */
static int read_extra_programs(const struct cli *cli, struct how_program *out, struct diag *d)
{
	for (size_t i = 0; i < cli->n_seccomp_fds; i++) {
		int fd = cli->seccomp_fds[i];
		int r = how_program_read(fd, &out[i]);
		if (r < 0)
			return diag_error(d, NULL, "--add-seccomp-fd %d: %s", fd,
					  r == -EINVAL || r == -E2BIG ? "not a seccomp program"
								     : strerror(-r));
		close(fd);
	}
	return 0;
}

/* The seccomp program: glovebox learn's learning filter (and its
 * learner), else the policy's, from the cache when it may be used. */
static int get_program(const struct cli *cli, struct prepared *pr, bool cache_ok,
		       struct how_program *how, struct learner **learner)
{
	if (cli->cmd == CMD_LEARN) {
		if (learn_check_kernel(&pr->d) < 0 || learn_compile(&pr->p, how, &pr->d) < 0)
			return -1;
		*learner = learner_new();
		return 0;
	}
	return how_program_get(&pr->p, cache_ok && !cli->no_cache ? pr->cache : NULL, how,
			       &pr->d);
}

static int make_private_home(struct prepared *pr)
{
	if (pr->p.home == HOME_PRIVATE && (!pr->private_home || !make_dirs(pr->private_home)))
		return diag_error(&pr->d, &pr->p.home_s.origin,
				  "cannot make the private home %s: %s",
				  pr->private_home ? pr->private_home : "",
				  pr->private_home ? strerror(errno) : "no home directory known");
	return 0;
}

/* The descriptors the command line names, checked and made ready before
 * the launch. */
static int ready_descriptors(const struct cli *cli, struct diag *d)
{
	for (size_t i = 0; i < cli->n_keep_fds; i++)
		if (fcntl(cli->keep_fds[i], F_GETFD) < 0)
			return diag_error(d, NULL, "--keep-fd %d: %s", cli->keep_fds[i],
					  strerror(errno));
	/* The sandbox dies with glovebox; glovebox, asked to, with its parent. */
	if (cli->die_with_parent &&
	    (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != cli->parent))
		return diag_error(d, NULL, "--die-with-parent: the parent is gone");
	const int report_fds[] = {cli->info_fd, cli->status_fd};
	for (size_t i = 0; i < ELEMENTSOF(report_fds); i++)
		/* They are glovebox's, never the sandbox's. */
		if (report_fds[i] >= 0 && fcntl(report_fds[i], F_SETFD, FD_CLOEXEC) < 0)
			return diag_error(d, NULL, "descriptor %d: %s", report_fds[i],
					  strerror(errno));
	return 0;
}

/* Also glovebox learn: the same launch, with the learning filter. */
static int cmd_run(const struct cli *cli)
{
	struct prepared pr;
	struct how_program how = {0};
	_cleanup_free_ struct how_program *extra =
		xcalloc(cli->n_seccomp_fds + 1, sizeof(*extra));
	struct learner *learner = NULL;
	int status = 125;

	if (prepare(cli, &pr) < 0) {
		status = prepare_failure(&pr);
		goto out;
	}
	for (size_t i = 0; i < cli->n_operands; i++)
		strv_add(&pr.p.argv, cli->operands[i]);

	struct protected_dir protected[2];
	size_t n_protected = 0;
	if (ensure_private_dir(pr.config, pr.vars.home))
		protected[n_protected++] = (struct protected_dir){.path = pr.config};
	bool cache_ok = ensure_private_dir(pr.cache, pr.vars.home);
	if (cache_ok)
		protected[n_protected++] = (struct protected_dir){.path = pr.cache};
	TRACE_POINT("policy");
	if (get_program(cli, &pr, cache_ok, &how, &learner) < 0)
		goto out;

	TRACE_POINT("seccomp program");
	if (make_private_home(&pr) < 0)
		goto out;
	struct where_env wenv = pr.where;
	wenv.protected = protected;
	wenv.n_protected = n_protected;
	say_cwd_note(&pr.p, &wenv);
	struct launch_request req = {.policy = &pr.p, .how = &how, .where = &wenv,
				     .info_fd = cli->info_fd, .status_fd = cli->status_fd,
				     .block_fd = -1, .keep_fds = cli->keep_fds,
				     .n_keep_fds = cli->n_keep_fds, .extra_how = extra,
				     .n_extra_how = cli->n_seccomp_fds,
				     .learner = learner};
	if (read_extra_programs(cli, extra, &pr.d) < 0 || ready_descriptors(cli, &pr.d) < 0)
		goto out;
	fflush(stdout);
	fflush(stderr);
	status = launch_run(&req);
	TRACE_POINT("end");
	if (learner && learn_write(learner, &pr.p, &cli->profiles, cli->operands, cli->n_operands,
				   cli->output, cli->merge, &pr.d) < 0)
		status = 125;
out:
	for (size_t i = 0; i < cli->n_seccomp_fds; i++)
		how_program_free(&extra[i]);
	learner_free(learner);
	how_program_free(&how);
	leave_prepared_to_exit(&pr);
	return status;
}

static int cmd_compile(const struct cli *cli)
{
	struct prepared pr;
	struct how_program how = {0};
	int status = 125;

	if (prepare(cli, &pr) < 0) {
		status = prepare_failure(&pr);
		goto out;
	}
	if (how_compile(&pr.p, &how, &pr.d) < 0)
		goto out;
	int fd = streq(cli->output, "-") ? dup(STDOUT_FILENO)
					 : open(cli->output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
						0644);
	if (fd < 0) {
		diag_error(&pr.d, NULL, "%s: %s", cli->output, strerror(errno));
		goto out;
	}
	int r = write_all(fd, how.insns, how.len * sizeof(*how.insns));
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r < 0) {
		diag_error(&pr.d, NULL, "%s: %s", cli->output, strerror(-r));
		goto out;
	}
	status = 0;
out:
	how_program_free(&how);
	prepared_free(&pr);
	return status;
}

static int cmd_explain(const struct cli *cli)
{
	struct prepared pr;
	int status;
	if (prepare(cli, &pr) == 0) {
		/* the directories a launch protects, as they are: explain makes none */
		struct protected_dir protected[] = {{pr.config}, {pr.cache}};
		pr.where.protected = protected;
		pr.where.n_protected = ELEMENTSOF(protected);
		struct score score;
		score_policy(&pr.p, pr.vars.home, &score);
		struct explain_env env = {.home = pr.vars.home, .calls = cli->calls,
					  .where = &pr.where, .score = &score, .profiles = &pr.profiles};
		if (cli->json)
			explain_json(&pr.p, &env, stdout);
		else
			explain_policy(&pr.p, &env, stdout);
		status = 0;
		/* compared as shown, in tenths: 2.5 is not above 2.5 */
		if (cli->threshold >= 0 && score_tenths(score.value) > cli->threshold) {
			fprintf(stderr, "glovebox: exposure score %.1f is above the threshold %.1f\n",
				(double)score_tenths(score.value) / 10, (double)cli->threshold / 10);
			status = 1;
		}
		score_free(&score);
	} else {
		status = prepare_failure(&pr);
	}
	prepared_free(&pr);
	return status;
}

/* glovebox run APP ARG...: as glovebox -p ITS-PROFILE -- ITS-BINARY ARG... */
static int cmd_app(const struct cli *cli)
{
	_cleanup_(strv_free) struct strv argv = {0};
	int r = app_command_line(cli->operands, cli->n_operands, &argv, stderr);
	if (r != 0)
		return r;
	struct cli run;
	r = cli_parse((int)argv.n, argv.v, &run, stderr) < 0 ? 2 : cmd_run(&run);
	leave_cli_to_exit(&run);
	return r;
}

int main(int argc, char **argv)
{
	TRACE_POINT("main");
	if (refuse_privileged_binary() < 0)
		return 125;
	ensure_std_fds();
	/* bubblewrap's command line: called as bwrap, or `glovebox bwrap` */
	if (bwrap_invoked_as(argv[0]))
		return bwrap_main(argc, argv);
	if (argc > 1 && streq(argv[1], "bwrap"))
		return bwrap_main(argc - 1, argv + 1);
	/* the names the shell completions ask for (src/complete.h) */
	if (argc == 3 && streq(argv[1], "--complete"))
		return complete_main(argv[2]);

	struct cli cli;
	if (cli_parse(argc, argv, &cli, stderr) < 0) {
		cli_free(&cli);
		return 2;
	}
	int r;
	switch (cli.cmd) {
	case CMD_HELP:
		cli_help(stdout);
		r = 0;
		break;
	case CMD_VERSION:
		printf("glovebox %s\n", GB_VERSION);
		r = 0;
		break;
	case CMD_CHECK:
		r = cmd_check(&cli);
		break;
	case CMD_SYSCALLS:
		r = cmd_syscalls(&cli);
		break;
	case CMD_LIST:
		r = cmd_list(&cli);
		break;
	case CMD_COMPILE:
		r = cmd_compile(&cli);
		break;
	case CMD_EXPLAIN:
		r = cmd_explain(&cli);
		break;
	case CMD_APP:
		r = cmd_app(&cli);
		break;
	case CMD_DESKTOP:
		r = desktop_main(cli.operands, cli.n_operands, stdout, stderr);
		break;
	case CMD_RUN:
	case CMD_LEARN:
	default:
		r = cmd_run(&cli);
		leave_cli_to_exit(&cli);
		return r;
	}
	cli_free(&cli);
	return r;
}
