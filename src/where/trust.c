/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Which host paths a sandbox may be given, from what the launcher learned
 * of them (where/resolve.c): the symlinks that may be followed on the way
 * to a source, and the places whose writable bind would hand a sandbox
 * your identity outside. Pure, like the plan that calls it. */
#include "where/trust.h"

static bool is_overlay(enum mount_kind k)
{
	return k == MOUNT_TMP_OVERLAY || k == MOUNT_OVERLAY || k == MOUNT_RO_OVERLAY;
}

/* Places of secrets: with one of them writable, a sandbox can make itself
 * you outside (a key in authorized_keys, a token, a credential helper
 * that runs its code). */
const struct where_secret where_secrets[] = {
	{".ssh", "your ssh keys and authorized_keys"},
	{".gnupg", "your GnuPG keys"},
	{".aws", "your AWS credentials"},
	{".azure", "your Azure credentials"},
	{".config/gcloud", "your Google Cloud credentials"},
	{".kube", "your Kubernetes credentials"},
	{".docker", "your Docker registry credentials"},
	{".config/gh", "your GitHub CLI token"},
	{".password-store", "your password store"},
	{".local/share/keyrings", "your keyrings"},
	{".netrc", "your .netrc passwords"},
	{".git-credentials", "your git credentials"},
	{".pgpass", "your PostgreSQL passwords"},
};
const size_t where_n_secrets = ELEMENTSOF(where_secrets);

bool where_link_trusted(const struct where_link *l, uid_t invoker)
{
	return l->owner == 0 && invoker != 0;
}

const struct where_link *where_untrusted_link(const struct where_path *p, uid_t invoker)
{
	for (size_t i = 0; i < p->n_links; i++)
		if (!where_link_trusted(&p->links[i], invoker))
			return &p->links[i];
	return NULL;
}

const char *where_exposes(const char *phys, const struct where_env *env)
{
	if (streq(phys, "/"))
		return "the whole host";
	if (env->home_phys && streq(phys, env->home_phys))
		return "your home";
	if (env->home_phys && path_at_or_below(env->home_phys, phys))
		return "your home lies in it";
	for (size_t i = 0; env->secret_phys && i < where_n_secrets; i++) {
		const char *s = env->secret_phys[i];
		if (s && (path_at_or_below(s, phys) || path_at_or_below(phys, s)))
			return where_secrets[i].what;
	}
	return NULL;
}

/* "owned by uid N, not root", or why root's own link is no proof. */
char *where_link_owner(const struct where_link *l, uid_t invoker)
{
	if (l->owner == 0 && invoker == 0)
		return xstrdup("owned by root, who runs glovebox (a sandbox of root's makes "
			       "root's links)");
	return xasprintf("owned by uid %u, not root", (unsigned)l->owner);
}

/* A path as a profile or the command line would write it: quoted when
 * it holds what the words of either would split or expand. */
static char *quoted(const char *s, bool command_line)
{
	if (*s && !strpbrk(s, " \t\"'\\$;"))
		return xstrdup(s);
	char *q = xmalloc(4 * strlen(s) + 3), *w = q;
	*w++ = command_line ? '\'' : '"';
	for (const char *c = s; *c; c++) {
		if (command_line && *c == '\'') {
			memcpy(w, "'\\''", 4);
			w += 4;
			continue;
		}
		if (!command_line && (*c == '"' || *c == '\\'))
			*w++ = '\\';
		if (!command_line && *c == '$')
			*w++ = '$'; /* $$ is a literal $ */
		*w++ = *c;
	}
	*w++ = command_line ? '\'' : '"';
	*w = '\0';
	return q;
}

/* The setting m, written again with another source and more words:
 * "bind = SRC DEST WORDS" in a profile, "--bind SRC DEST WORDS" on the
 * command line. A mirror becomes the read-only bind it makes. */
static char *respelled(const struct mount_op *m, const char *src, const char *aux,
		       const char *more)
{
	bool cli = !m->origin.file;
	_cleanup_free_ char *words = xasprintf(
		"%s%s%s%s%s", m->flags & MOUNT_F_FOLLOW_LINKS ? "links=follow" : "",
		(m->flags & MOUNT_F_FOLLOW_LINKS) && (m->flags & MOUNT_F_WRITABLE_INTENDED) ? " " : "",
		m->flags & MOUNT_F_WRITABLE_INTENDED ? "writable=intended" : "",
		*more && (m->flags & (MOUNT_F_FOLLOW_LINKS | MOUNT_F_WRITABLE_INTENDED)) ? " " : "",
		more);
	const char *key = m->kind == MOUNT_MIRROR ? "ro-bind" : m->origin.key ? m->origin.key : "";
	key += strspn(key, "-");
	_cleanup_free_ char *qs = quoted(src, cli);
	_cleanup_free_ char *qa = aux ? quoted(aux, cli) : xstrdup("");
	_cleanup_free_ char *qd = quoted(m->dest, cli);
	return xasprintf("%s%s%s %s%s%s %s%s%s", cli ? "--" : "", key, cli ? "" : " =", qs,
			 aux ? " " : "", qa, qd, *words ? " " : "", words);
}

/* A symlink on the way to a source that a sandbox could have planted
 * (an earlier run, with the directory holding it writable, replaced a
 * directory by a link to ~/.ssh): refused, never followed silently. The
 * message says what to write instead. */
static int refuse_link(const struct where_step *st, const struct where_env *env,
		       const struct where_path *p, const char *named, struct diag *d)
{
	const struct mount_op *m = st->op;
	const struct where_source_path *sp = &env->paths[st->source];
	const struct where_link *l = where_untrusted_link(p, env->invoker);
	if (!l || (m->flags & MOUNT_F_FOLLOW_LINKS))
		return 0;
	_cleanup_free_ char *whose = where_link_owner(l, env->invoker);
	if (st->from == STEP_HOME) /* $HOME, or the private home in $XDG_DATA_HOME */
		return diag_error(d, &m->origin,
				  "the home %s goes through %s, a symlink to %s %s, which a "
				  "sandbox could have planted; it is not followed: name it without "
				  "the link (%s)",
				  named, l->path, l->target, whose, p->phys);
	/* both host paths of an overlay, each as resolved */
	const char *src = sp->src.phys ? sp->src.phys : m->src;
	const char *dir = m->kind != MOUNT_OVERLAY ? NULL : sp->aux.phys ? sp->aux.phys : m->aux;
	/* a layer of several: the same options, that one path named otherwise */
	_cleanup_free_ char *instead = m->flags & MOUNT_F_LAYERED
					       ? xasprintf("%s in its place", p->phys ? p->phys : named)
					       : respelled(m, src, dir, "");
	bool takes_words = m->kind == MOUNT_BIND || m->kind == MOUNT_RO_BIND ||
			   m->kind == MOUNT_DEV_BIND;
	return diag_error(d, &m->origin,
			  "%s: %s is a symlink to %s %s, which a sandbox could have planted; it "
			  "is not followed. To bind what it points to, name it: %s%s",
			  named, l->path, l->target, whose, instead,
			  takes_words ? " (or add links=follow to this bind to follow links you own)"
				      : "");
}

static bool has_host_paths(const struct where_step *st, const struct where_env *env)
{
	enum mount_kind k = st->op->kind;
	return env && env->paths && st->what == STEP_MOUNT &&
	       (k == MOUNT_BIND || k == MOUNT_RO_BIND || k == MOUNT_DEV_BIND ||
		k == MOUNT_MIRROR || is_overlay(k));
}

static int refuse_links(const struct where_step *st, const struct where_env *env,
			struct diag *d)
{
	if (!has_host_paths(st, env))
		return 0;
	const struct mount_op *m = st->op;
	const struct where_source_path *sp = &env->paths[st->source];
	if (refuse_link(st, env, &sp->src, m->src, d) < 0)
		return -1;
	/* an overlay's other host directories: its further lowers, where
	 * its changes go */
	for (size_t k = 0; k < sp->n_lowers; k++)
		if (refuse_link(st, env, &sp->lowers[k], m->lowers.v[k], d) < 0)
			return -1;
	if (m->work && refuse_link(st, env, &sp->work, m->work, d) < 0)
		return -1;
	return m->kind == MOUNT_OVERLAY ? refuse_link(st, env, &sp->aux, m->aux, d) : 0;
}

/* A writable bind of /, $HOME, a directory above it or a place of
 * secrets hands the sandbox your identity outside (a key appended to
 * authorized_keys, a shell start-up file, a token): refused unless the
 * bind says it is meant. home = rw says so by itself. */
static int refuse_secrets(const struct where_step *st, const struct where_env *env,
			  struct diag *d)
{
	const struct mount_op *m = st->op;
	if (!has_host_paths(st, env) || st->from != STEP_POLICY ||
	    (m->kind != MOUNT_BIND && m->kind != MOUNT_DEV_BIND) ||
	    (m->flags & MOUNT_F_WRITABLE_INTENDED))
		return 0;
	const char *phys = env->paths[st->source].src.phys;
	const char *what = phys ? where_exposes(phys, env) : NULL;
	if (!what)
		return 0;
	_cleanup_free_ char *intended = respelled(m, m->src, NULL, "writable=intended");
	return diag_error(d, &m->origin,
			  "%s: refusing a writable bind of %s (%s): a sandbox could use it to "
			  "act as you outside; bind it read-only, or if you mean it, say so: %s",
			  m->src, phys, what, intended);
}

int where_refuse_source(const struct where_step *st, const struct where_env *env,
			struct diag *d)
{
	if (refuse_links(st, env, d) < 0)
		return -1;
	return refuse_secrets(st, env, d);
}
