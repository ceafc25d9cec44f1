/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The directory the command starts in, once the sandbox's root is entered. */
#include "where/mounts.h"

#include "env/environ.h"

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

/* The launcher's own directory, not merely one of the same name (the
 * sandbox's private /tmp): a bind keeps device and inode numbers. */
static bool enter_same_dir(const struct where_env *env)
{
	struct stat st;
	return env->cwd && chdir(env->cwd) == 0 && stat(".", &st) == 0 &&
	       st.st_dev == env->cwd_dev && st.st_ino == env->cwd_ino;
}

int where_enter_workdir(const struct policy *p, const struct where_env *env, struct diag *d)
{
	enum cwd_decision decision = where_cwd_decide(p, env);
	const char *dir = where_start_dir(p, env, decision);
	if (dir) {
		if (chdir(dir) == 0)
			return 0;
		return diag_error(d, p->chdir_s.set ? &p->chdir_s.origin : &p->cwd_s.origin,
				  "cannot start in %s: %s", dir, strerror(errno));
	}
	if (enter_same_dir(env))
		return 0;
	if (chdir("/") < 0)
		return diag_error(d, NULL, "chdir /: %s", strerror(errno));
	/* Never a silent change of directory: a relative path on the command
	 * line would name another file. (A directory left out on purpose was
	 * said before the launch.) */
	_cleanup_free_ char *noted = where_cwd_note(p, env, decision);
	if (env->cwd && !noted)
		fprintf(d->out, "%sthe current directory %s is not in the sandbox: the command "
				"starts in / (share it with --cwd ro)\n",
			d->prefix, env->cwd);
	else if (!env->cwd)
		fprintf(d->out, "%sthe current directory is gone (removed, or out of reach): the "
				"command starts in /\n",
			d->prefix);
	return 0;
}

int where_enter_workdir_bwrap(const struct policy *p, const struct where_env *env,
			      struct strv *envp, struct diag *d)
{
	const char *dir = p->chdir_s.set ? p->chdir : NULL;
	if (dir && chdir(dir) < 0)
		return diag_error(d, &p->chdir_s.origin, "Can't chdir to %s: %s", dir,
				  strerror(errno));
	const char *home = env_get(envp, "HOME");
	if (!dir && env->cwd && chdir(env->cwd) == 0)
		dir = env->cwd;
	else if (!dir && home && chdir(home) == 0)
		dir = home;
	if (!dir && chdir("/") < 0)
		return diag_error(d, NULL, "chdir /: %s", strerror(errno));
	if (!dir)
		dir = "/";
	_cleanup_free_ char *pwd = xstrdup(dir); /* home points into envp */
	env_put(envp, "PWD", pwd);
	return 0;
}
