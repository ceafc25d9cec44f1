/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "env/environ.h"

#include <fnmatch.h>

static bool name_matches(const char *entry, const char *name)
{
	size_t n = strlen(name);
	return strncmp(entry, name, n) == 0 && entry[n] == '=';
}

static bool kept(const struct policy *p, const char *entry)
{
	const char *eq = strchr(entry, '=');
	if (!eq)
		return false;
	char name[256];
	size_t len = (size_t)(eq - entry);
	if (len >= sizeof(name))
		return false;
	memcpy(name, entry, len);
	name[len] = '\0';
	for (size_t i = 0; i < p->n_env_ops; i++)
		if (p->env_ops[i].kind == ENV_KEEP && fnmatch(p->env_ops[i].name, name, 0) == 0)
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

void env_build(const struct policy *p, char *const *host_env, struct strv *out)
{
	*out = (struct strv){0};
	for (char *const *e = host_env; e && *e; e++)
		if (strchr(*e, '=') && (!p->env_clear || kept(p, *e)))
			strv_add(out, *e);
	for (size_t i = 0; i < p->n_env_ops; i++) {
		const struct env_op *op = &p->env_ops[i];
		if (op->kind == ENV_UNSET) {
			remove_var(out, op->name);
		} else if (op->kind == ENV_SET) {
			remove_var(out, op->name);
			strv_push(out, xasprintf("%s=%s", op->name, op->value));
		}
	}
	if (!out->v)
		strv_push(out, NULL), out->n = 0;
}
