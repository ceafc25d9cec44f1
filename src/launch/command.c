/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The command's process: forked by pid 1, it does its share of the set-up
 * while pid 1 builds the filesystem, then waits for "go", loads the
 * seccomp filter and runs the command. */
#include <fcntl.h>
#include <linux/close_range.h>
#include <sched.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "env/environ.h"
#include "launch/internal.h"
#include "learn/learn.h"
#include "policy/suggest.h"
#include "trace.h"
#include "what/identity.h"
#include "what/limits.h"
#include "where/held.h"
#include "where/landlock.h"
#include "where/namespaces.h"

/* Why a command missing before the filter is missing: the sandbox's view,
 * which may well differ from the user's shell's, so the message says
 * where glovebox looked (bwrap mode keeps the plain words). */
static int missing_message(char *msg, size_t size, const struct policy *p, const char *name,
			   const char *search_path)
{
	if (p->bwrap.on)
		return snprintf(msg, size, "glovebox: %s: %s\n", name,
				search_path ? "command not found" : strerror(ENOENT));
	_cleanup_(suggest_done) struct suggest s = {0};
	if (search_path && suggest_subcommand(&s, p->argv.v[0]))
		return snprintf(msg, size,
				"glovebox: %s: command not found in the sandbox (its PATH: %s); "
				"did you mean glovebox %s?\n", name, search_path, s.best);
	if (search_path)
		return snprintf(msg, size,
				"glovebox: %s: command not found in the sandbox (its PATH: %s)\n",
				name, search_path);
	return snprintf(msg, size,
			"glovebox: %s: not in the sandbox (glovebox explain lists what it shows; "
			"--ro-bind DIR DIR adds a directory)\n", name);
}

/* The command could not be run: say why, as a shell would, and end with
 * its status. After the seccomp filter is loaded only exiting is sure to
 * be allowed, so the message is one write(2), made only when the policy
 * cannot kill the process for it (an errno answer just loses it).
 * search_path: the sandbox's PATH a name was looked up on, else NULL. */
_noreturn_ static void exec_failed(const struct policy *p, const char *name, int err,
				   const char *search_path, bool filtered)
{
	size_t w = (size_t)syscall_lookup("write");
	if (!filtered || !how_call_may_kill(p, w)) {
		char msg[1024];
		int n = err == ENOENT && !filtered
				? missing_message(msg, sizeof(msg), p, name, search_path)
				: snprintf(msg, sizeof(msg), "glovebox: %s: %s\n", name, strerror(err));
		if (n >= (int)sizeof(msg))
			n = (int)sizeof(msg) - 1;
		if (n > 0)
			(void)!write(STDERR_FILENO, msg, (size_t)n);
	}
	_exit(err == ENOENT ? 127 : 126);
}

/* The PATH a command name was looked up on, escaped like the name. */
static char *searched_path(const struct strv *env)
{
	const char *path = env_get(env, "PATH");
	return text_escape(path ? path : "none set, so /bin:/usr/bin");
}

/* Under every filter: a user namespace made now would be the command's
 * to make too. */
static void assert_no_userns(const struct policy *p)
{
	if (unshare(CLONE_NEWUSER) < 0)
		return;
	fprintf(stderr, "%s: creation of new user namespaces was not disabled as requested\n",
		p->bwrap.on ? "bwrap" : "glovebox");
	_exit(1);
}

/* glovebox learn: the filter with a listener, handed to the supervisor
 * (the one sendmsg the filter lets through unreported, see learn.h)
 * before anything else the filter reports, which would wait for it. */
static int load_learning(const struct child_ctx *c)
{
	int fd = how_load_listener(c->req->how);
	if (fd < 0)
		return fd;
	int r = send_report_flags(c->report_fd, 'l', fd, LEARN_SEND_FLAGS);
	close(fd);
	return r;
}

/* One byte from fd, whatever signal interrupts the wait: 1, 0 at end of
 * file, -1 on an error. */
static ssize_t read_byte(int fd)
{
	char byte;
	ssize_t n;
	while ((n = read(fd, &byte, 1)) < 0 && errno == EINTR)
		;
	return n;
}

/* The command's pid for the supervisor's reports; the command waits
 * until the front end's account is written: it reads the command's
 * namespaces from /proc (a byte back, or the supervisor gone), so a
 * command that exits at once is still there. */
void report_pid(const struct child_ctx *c)
{
	if (c->report_fd >= 0 && send_report(c->report_fd, 'p', -1) < 0)
		_exit(125);
	if (c->req->child_info)
		(void)read_byte(c->report_fd);
}

/* The command's share of the set-up, done on the other CPU while pid 1
 * maps the ids and builds the filesystem: its network namespace (the
 * costliest namespace to create), host name, loopback, capabilities,
 * limits and environment. */
static void set_up_own_share(const struct child_ctx *c, struct strv *env, struct diag *d)
{
	const struct policy *p = c->req->policy;
	if (what_limit_pids_from_now(c->last_pid, d) < 0) /* started late: serial, pty */
		_exit(125);
	if ((!(p->unshare & CLONE_NEWPID) || c->fallback) &&
	    (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || supervisor_gone(c->init_pidfd)))
		_exit(125);
	if (sigprocmask(SIG_SETMASK, &c->orig_mask, NULL) < 0)
		_exit(125);
	/* serial: pid 1 made them, and the command's process is in them */
	if ((!c->fallback && !c->serial && where_setup_net_uts(p, d) < 0) ||
	    pasta_announce(c->pasta, d) < 0)
		_exit(125);
	/* pid 1 joins the network namespace now (where_join_net) */
	if (c->net_fd >= 0 && (write(c->net_fd, "n", 1) != 1 || close(c->net_fd) < 0))
		_exit(125);
	TRACE_POINT("net uts");
	/* --userns-block-fd: the caller maps the ids by this pid, before pid 1
	 * goes on; and before a second user namespace, whose maps are not
	 * the ones to write */
	if (maps_by_caller(c->req) && !c->req->policy->as_pid_1)
		report_pid(c);
	enter_second_userns(c->req);
	if ((c->fallback ? what_drop_host_caps(d) : what_apply_caps(p, d)) < 0 ||
	    what_apply_rlimits(p, d) < 0 || what_limit_nproc(p, c->fallback, d) < 0)
		_exit(125);
	env_build(p, environ, env);
	TRACE_POINT("caps env");
}

/* Waits for the new root, then enters it: its working directory and the
 * pty; reports the pid, and waits for whoever else must agree first. */
static void enter_sandbox(const struct child_ctx *c, struct strv *env, struct diag *d)
{
	const struct policy *p = c->req->policy;
	/* pid 1 says "go" once the new root is in place; end of file means it
	 * failed and has reported why. As-pid-1 (no go_fd): pid 1 itself
	 * built it. */
	if ((c->go_fd >= 0 && read_byte(c->go_fd) != 1) || pasta_wait(c->pasta) < 0)
		_exit(125);
	TRACE_POINT("go");
	if (c->moved && sched_setaffinity(0, sizeof(c->cpus), &c->cpus) < 0) {
		diag_error(d, NULL, "cannot restore the CPU affinity: %s", strerror(errno));
		_exit(125);
	}
	if (p->bwrap.on ? where_enter_workdir_bwrap(p, c->req->where, env, d) < 0
			: where_enter_workdir(p, c->req->where, d) < 0)
		_exit(125);
	if (term_enter(c->term, c->pty_peer, d) < 0)
		_exit(125);
	if (!maps_by_caller(c->req))
		report_pid(c);
	/* --block-fd: the caller lets the command start (after reading
	 * --info-fd, say) by writing to it or closing it */
	if (c->req->block_fd >= 0)
		(void)read_byte(c->req->block_fd);
}

/* Only 0, 1 and 2 reach the command: whatever else the launcher had open
 * (a descriptor on a host directory would be a way out) closes at exec.
 * Those the caller passes on by name are the exception. */
static void pass_descriptors(const struct child_ctx *c, struct diag *d)
{
	if (syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC) < 0) {
		diag_error(d, NULL, "cannot close stray descriptors: %s", strerror(errno));
		_exit(125);
	}
	for (size_t i = 0; i < c->req->n_keep_fds; i++)
		if (fcntl(c->req->keep_fds[i], F_SETFD, 0) < 0 && errno != EBADF) {
			diag_error(d, NULL, "cannot pass on descriptor %d: %s",
				   c->req->keep_fds[i], strerror(errno));
			_exit(125);
		}
	if (c->req->new_session && setsid() < 0) {
		diag_error(d, NULL, "cannot start a new session: %s", strerror(errno));
		_exit(125);
	}
}

/* bwrap's --argv0: the name the command sees, found by its real one.
 * Allocated before the filter, which may not allow it. */
static char **command_args(const struct child_ctx *c, char ***renamed)
{
	const struct policy *p = c->req->policy;
	if (!c->req->argv0)
		return p->argv.v;
	*renamed = xcalloc(p->argv.n + 1, sizeof(**renamed));
	memcpy(*renamed, p->argv.v, p->argv.n * sizeof(**renamed));
	(*renamed)[0] = (char *)c->req->argv0;
	return *renamed;
}

/* no_new_privs, Landlock, then the seccomp filters: the last steps
 * before exec. */
static void lock_down(const struct child_ctx *c, struct diag *d)
{
	const struct policy *p = c->req->policy;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		diag_error(d, NULL, "cannot set no_new_privs: %s", strerror(errno));
		_exit(125);
	}
	where_landlock_add_stdio(c->ruleset, c->fence.fs);
	if (where_landlock_enforce(c->ruleset, d) < 0)
		_exit(125);
	/* The caller's programs first: glovebox's own may refuse seccomp(2)
	 * itself. The kernel asks every filter either way, the strictest
	 * answer wins, and glovebox's errno answers win a tie. */
	int r = 0;
	for (size_t i = 0; r == 0 && i < c->req->n_extra_how; i++)
		r = how_load(&c->req->extra_how[i]);
	if (r == 0 && c->req->learner)
		r = load_learning(c);
	else if (r == 0 && c->req->how->len)
		r = how_load(c->req->how);
	if (r == 0 && c->req->assert_no_userns)
		assert_no_userns(p);
	if (r < 0) {
		diag_error(d, NULL, "cannot load the seccomp filter: %s", strerror(-r));
		_exit(125);
	}
	TRACE_POINT("seccomp loaded");
}

/* The command's own process. It starts at once and does its share of the
 * set-up on the other CPU while pid 1 maps the ids and builds the
 * filesystem. Then it waits for the filesystem, and ends with seccomp and
 * exec. */
_noreturn_ void run_command(const struct child_ctx *c)
{
	const struct policy *p = c->req->policy;
	struct diag d;
	diag_init(&d, stderr, "glovebox: ");

	TRACE_POINT("command");
	struct strv env;
	set_up_own_share(c, &env, &d);
	enter_sandbox(c, &env, &d);
	/* Found in the sandbox's own filesystem and PATH, before the filter:
	 * "not found" and "not executable" are reported while writing is
	 * surely allowed. */
	const char *name = p->argv.v[0];
	/* Escaped now: after the filter, allocating may not be allowed. A
	 * file name with ESC in it must not drive the user's terminal. */
	_cleanup_free_ char *shown = text_escape(name);
	char *file;
	int r = env_find_command(name, env.v, &file);
	if (r < 0) {
		_cleanup_free_ char *searched = strchr(name, '/') ? NULL : searched_path(&env);
		exec_failed(p, shown, -r, searched, false);
	}
	pass_descriptors(c, &d);
	_cleanup_free_ char **renamed = NULL;
	char **args = command_args(c, &renamed);
	lock_down(c, &d);
	/* file holds a '/': no second search. A script without #! runs under
	 * /bin/sh, as execvp does. */
	execvpe(file, args, env.v);
	exec_failed(p, shown, errno, NULL, true);
}


/* glovebox learn: the report socket at the number the filter knows;
 * moved before the limits may lower the highest. */
void move_report_fd(struct child_ctx *c, struct diag *d)
{
	if (!c->req->learner)
		return;
	if (dup3(c->report_fd, LEARN_REPORT_FD, O_CLOEXEC) < 0) {
		diag_error(d, NULL, "learn: cannot move the report socket to descriptor %d "
				    "(ulimit -n): %s",
			   LEARN_REPORT_FD, strerror(errno));
		_exit(125);
	}
	closep(&c->report_fd);
	c->report_fd = LEARN_REPORT_FD;
}

/* Fork the command's process. In parallel with pid 1's set-up, it is
 * kept off pid 1's CPU, or the scheduler may queue it behind pid 1 for the
 * whole set-up; it takes the CPUs glovebox had back before exec. */
pid_t start_command(struct child_ctx *c, struct fd_pair *go, struct fd_pair *net, bool parallel,
		    struct diag *d)
{
	int cpu = parallel ? sched_getcpu() : -1;
	c->moved = cpu >= 0 && sched_getaffinity(0, sizeof(c->cpus), &c->cpus) == 0 &&
		   CPU_COUNT(&c->cpus) > 1 && CPU_ISSET(cpu, &c->cpus);
	pid_t pid = fork();
	if (pid < 0) {
		diag_error(d, NULL, "cannot start the command: %s", strerror(errno));
		_exit(125);
	}
	if (pid == 0) {
		closep(&go->w);
		closep(&net->r);
		closep(&c->mounts_fd);
		where_env_close_held(c->req->where); /* pid 1's, while it waits for go */
		c->go_fd = go->r;
		c->net_fd = net->w;
		move_report_fd(c, d);
		run_command(c);
	}
	closep(&go->r);
	closep(&net->w);
	if (c->moved) {
		cpu_set_t others = c->cpus;
		CPU_CLR(cpu, &others);
		(void)sched_setaffinity(pid, sizeof(others), &others);
	}
	return pid;
}

/* With a pty: pid 1 takes it as its controlling terminal first, the
 * command's process inherits it, and is put in its foreground. */
pid_t start_command_with_pty(struct child_ctx *c, struct fd_pair *go, struct fd_pair *net,
			     struct diag *d)
{
	_cleanup_close_ int master = -1, peer = -1;
	if (term_open(c->term, &master, &peer, d) < 0)
		_exit(125);
	c->pty_peer = peer;
	pid_t pid = start_command(c, go, net, false, d);
	if (term_foreground(peer, pid, d) < 0 ||
	    (master >= 0 && send_report(c->report_fd, 'm', master) < 0))
		_exit(125);
	TRACE_POINT("pty");
	return pid;
}
