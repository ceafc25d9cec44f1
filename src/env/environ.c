/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "env/environ.h"

#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>

static bool name_matches(const char *entry, const char *name)
{
	size_t n = strlen(name);
	return strncmp(entry, name, n) == 0 && entry[n] == '=';
}

/* Whether NAME=VALUE's name matches a keep pattern (a glob). */
static bool entry_matches(const char *entry, const char *pattern)
{
	const char *eq = strchr(entry, '=');
	if (!eq)
		return false;
	_cleanup_free_ char *name = xstrndup(entry, (size_t)(eq - entry));
	return fnmatch(pattern, name, 0) == 0;
}

static bool kept(const struct policy *p, const char *entry)
{
	for (size_t i = 0; i < p->n_env_ops; i++)
		if (p->env_ops[i].kind == ENV_KEEP && entry_matches(entry, p->env_ops[i].name))
			return true;
	return false;
}

static void remove_var(struct strv *env, const char *name)
{
	size_t w = 0;
	for (size_t i = 0; i < env->n; i++) {
		if (name_matches(env->v[i], name))
			free(env->v[i]);
		else
			env->v[w++] = env->v[i];
	}
	env->n = w;
	if (env->v)
		env->v[w] = NULL;
}

/* A keep after a set or unset brings the host's value back: later wins,
 * so "--keep-env PATH" beats the default profile's own PATH. */
static void restore_host(struct strv *env, char *const *host_env, const char *pattern)
{
	for (char *const *e = host_env; e && *e; e++) {
		if (!entry_matches(*e, pattern))
			continue;
		_cleanup_free_ char *name = xstrndup(*e, (size_t)(strchr(*e, '=') - *e));
		remove_var(env, name);
		strv_add(env, *e);
	}
}

void env_build(const struct policy *p, char *const *host_env, struct strv *out)
{
	*out = (struct strv){0};
	for (char *const *e = host_env; e && *e; e++)
		if (strchr(*e, '=') && (!p->env_clear || kept(p, *e)))
			strv_add(out, *e);
	bool changed = false;
	for (size_t i = 0; i < p->n_env_ops; i++) {
		const struct env_op *op = &p->env_ops[i];
		if (op->kind == ENV_UNSET) {
			remove_var(out, op->name);
		} else if (op->kind == ENV_SET) {
			remove_var(out, op->name);
			strv_push(out, xasprintf("%s=%s", op->name, op->value));
		} else if (changed) {
			restore_host(out, host_env, op->name);
		}
		changed |= op->kind != ENV_KEEP;
	}
	if (!out->v) { /* an empty environment is still a NULL-terminated array */
		strv_push(out, NULL);
		out->n = 0;
	}
}

static const char *env_value(char *const *env, const char *name)
{
	for (char *const *e = env; e && *e; e++)
		if (name_matches(*e, name))
			return *e + strlen(name) + 1;
	return NULL;
}

/* What execve would answer for path, short of running it: a file that is
 * not regular, or not executable here (noexec mounts included), is
 * EACCES. */
static int check_candidate(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EACCES;
	return faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) < 0 ? -errno : 0;
}

/* The errors after which execvp goes on to the next PATH entry. */
static bool try_next_entry(int err)
{
	static const int next[] = {EACCES, ENOENT, ENOTDIR, ESTALE, ENODEV, ETIMEDOUT};
	for (size_t i = 0; i < ELEMENTSOF(next); i++)
		if (err == next[i])
			return true;
	return false;
}

int env_find_command(const char *name, char *const *env, char **out)
{
	*out = NULL;
	if (!*name)
		return -ENOENT;
	if (strchr(name, '/')) {
		int r = check_candidate(name);
		if (r == 0)
			*out = xstrdup(name);
		return r;
	}
	char fallback[64] = "/bin:/usr/bin";
	const char *path = env_value(env, "PATH");
	if (!path) {
		size_t n = confstr(_CS_PATH, fallback, sizeof(fallback));
		if (n == 0 || n > sizeof(fallback))
			memcpy(fallback, "/bin:/usr/bin", sizeof("/bin:/usr/bin"));
		path = fallback;
	}
	bool denied = false;
	for (const char *p = path;; p++) {
		size_t len = strcspn(p, ":");
		/* An empty entry is the working directory: "./NAME", so that the
		 * result still holds a slash and is never searched again. */
		char *candidate = len ? xasprintf("%.*s/%s", (int)len, p, name)
				      : xasprintf("./%s", name);
		int r = check_candidate(candidate);
		if (r == 0) {
			*out = candidate;
			return 0;
		}
		free(candidate);
		if (!try_next_entry(-r))
			return r;
		denied |= r == -EACCES;
		p += len;
		if (!*p)
			break;
	}
	return denied ? -EACCES : -ENOENT;
}

const char *env_get(const struct strv *env, const char *name)
{
	return env_value(env->v, name);
}

void env_put(struct strv *env, const char *name, const char *value)
{
	remove_var(env, name);
	strv_push(env, xasprintf("%s=%s", name, value));
}
