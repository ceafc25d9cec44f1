/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "policy/profile.h"

#include <dirent.h>
#include <fcntl.h>
#include <ini.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>

#include "config.h"
#include "state.h"
#include "policy/options.h"

void profile_loader_init(struct profile_loader *l, struct policy *p, struct diag *d,
			 const struct expand_vars *vars)
{
	*l = (struct profile_loader){.policy = p, .diag = d, .vars = vars,
				     .builtin_layer = NO_LAYER, .current = NO_LAYER};
}

void profile_loader_free(struct profile_loader *l)
{
	strv_free(&l->search_path);
	free(l->stack);
	free(l->done);
	free(l->edges);
	for (size_t i = 0; i < l->n_uses; i++)
		strv_free(&l->uses[i].args);
	free(l->uses);
}

void profile_loader_add_dir(struct profile_loader *l, const char *dir)
{
	strv_add(&l->search_path, dir);
}

/* The directory the running binary lives in, or "" when unknown. */
static void exe_dir(char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);
	buf[n > 0 ? n : 0] = '\0';
	char *slash = strrchr(buf, '/');
	if (slash)
		*slash = '\0';
	else
		buf[0] = '\0';
}

/* The shipped profiles. From the build tree they are the source tree's, so
 * a developer never needs an install or an environment variable. Else the
 * installed ones; and when glovebox was moved after installing (a tarball
 * unpacked elsewhere), the ones at the same place relative to the binary. */
static void add_shipped_dirs(struct profile_loader *l)
{
	char dir[PATH_MAX];
	exe_dir(dir, sizeof(dir));
	if (streq(dir, GB_BUILD_ROOT) || streq(dir, GB_BUILD_ROOT "/src")) {
		profile_loader_add_dir(l, GB_SOURCE_ROOT "/profiles");
		return;
	}
	profile_loader_add_dir(l, GB_DATADIR "/glovebox/profiles");
	if (dir[0]) {
		_cleanup_free_ char *rel =
			xasprintf("%s/" GB_DATADIR_FROM_BINDIR "/glovebox/profiles", dir);
		char real[PATH_MAX];
		if (realpath(rel, real) && !streq(real, GB_DATADIR "/glovebox/profiles"))
			profile_loader_add_dir(l, real);
	}
}

void profile_loader_default_path(struct profile_loader *l)
{
	/* the directory a launch protects (state.h) */
	_cleanup_free_ char *config = state_dir(STATE_CONFIG, l->vars->home);
	if (config) {
		_cleanup_free_ char *dir = xasprintf("%s/profiles", config);
		profile_loader_add_dir(l, dir);
	}
	profile_loader_add_dir(l, GB_SYSCONFDIR "/glovebox/profiles");
	add_shipped_dirs(l);
}

/* ---- reading one file ---- */

struct entry {
	char *section, *key, *value;
	unsigned line;
	bool continuation;
};

struct parse_state {
	struct profile_loader *l;
	const char *file; /* interned label */
	const char *text;
	size_t len, pos;
	unsigned line;
	/* what inih will think of the line it is about to see */
	bool line_is_continuation;
	bool have_key;        /* a key seen since the last section header */
	bool section_unknown; /* the current section was already reported */
	struct entry *entries;
	size_t n_entries, cap_entries;
};

_printf_(4, 5) static void report(struct parse_state *st, const char *section, const char *key,
				  const char *fmt, ...)
{
	struct origin o = {.file = st->file, .line = st->line, .section = section, .key = key};
	va_list ap;
	va_start(ap, fmt);
	diag_verror(st->l->diag, &o, fmt, ap);
	va_end(ap);
}

static char *rstrip(char *s)
{
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/* Cut an inline comment: ';' preceded by whitespace, as inih does. */
static void cut_comment(char *s)
{
	for (char *p = s; *p; p++)
		if (*p == ';' && (p == s || p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			return;
		}
}

/* Look at a raw line before inih does, so that every structural problem is
 * reported with its line and inih only ever sees lines it accepts. */
static bool check_line(struct parse_state *st, char *line)
{
	char *s = line;
	while (*s == ' ' || *s == '\t')
		s++;
	st->line_is_continuation = false;
	if (*s == '\0' || *s == '\r' || *s == '\n' || *s == ';' || *s == '#')
		return true;
	if (st->have_key && s > line) {
		st->line_is_continuation = true;
		return true;
	}
	if (*s == '[') {
		_cleanup_free_ char *copy = xstrdup(s + 1);
		cut_comment(copy);
		rstrip(copy);
		size_t n = strlen(copy);
		st->have_key = false;
		if (n == 0 || copy[n - 1] != ']') {
			st->section_unknown = true;
			report(st, NULL, NULL, "malformed section header (expected [name])");
			return false;
		}
		copy[n - 1] = '\0';
		st->section_unknown = !option_section_known(copy);
		if (st->section_unknown)
			report(st, copy, NULL,
			       "unknown section (expected profile, where, what, limits, how or env)");
		return true;
	}
	if (!strpbrk(s, "=:")) {
		report(st, NULL, NULL, "expected 'key = value', got '%s'", rstrip(s));
		return false;
	}
	st->have_key = true;
	return true;
}

/* inih's reader: hands over one line at a time and counts them, so that the
 * handler always knows the current line number. */
static char *reader(char *buf, int size, void *user)
{
	struct parse_state *st = user;
	if (st->pos >= st->len)
		return NULL;
	const char *start = st->text + st->pos;
	const char *nl = memchr(start, '\n', st->len - st->pos);
	size_t linelen = nl ? (size_t)(nl - start) : st->len - st->pos;
	st->pos += linelen + (nl ? 1 : 0);
	st->line++;

	if (memchr(start, '\0', linelen)) {
		report(st, NULL, NULL, "a NUL byte in the line");
		memcpy(buf, ";", 2);
		return buf;
	}
	if (linelen + 1 >= (size_t)size) {
		report(st, NULL, NULL,
		       "line too long (at most %d characters; continue a list on indented "
		       "lines)",
		       size - 2);
		memcpy(buf, ";", 2);
		return buf;
	}
	memcpy(buf, start, linelen);
	buf[linelen] = '\0';
	if (!check_line(st, buf))
		memcpy(buf, ";", 2);
	return buf;
}

static int handler(void *user, const char *section, const char *key, const char *value)
{
	struct parse_state *st = user;
	/* A continuation of a key already reported is not reported again. */
	bool first = !st->line_is_continuation;
	if (!*section) {
		if (first)
			report(st, NULL, key, "a key before any [section]");
		return 1;
	}
	if (st->section_unknown || !option_section_known(section))
		return 1;
	if (!option_by_key(section, key)) {
		const struct gb_option *moved = option_moved_key(section, key);
		if (first && moved)
			report(st, section, key, "unknown key (now [%s] %s)", moved->section, moved->key);
		else if (first)
			report(st, section, key, "unknown key");
		return 1;
	}
	if (st->n_entries == st->cap_entries) {
		st->cap_entries = st->cap_entries ? st->cap_entries * 2 : 32;
		st->entries = xreallocarray(st->entries, st->cap_entries, sizeof(*st->entries));
	}
	st->entries[st->n_entries++] = (struct entry){
		.section = xstrdup(section),
		.key = xstrdup(key),
		.value = xstrdup(value),
		.line = st->line,
		.continuation = st->line_is_continuation,
	};
	return 1;
}

/* Expand the variables in each raw argument. Returns 1 when the entry is to
 * be skipped (an unset variable in a -try key). */
static int expand_args(struct profile_loader *l, const struct gb_option *opt,
		       const struct origin *o, const struct strv *raw, struct strv *args)
{
	for (size_t i = 0; i < raw->n; i++) {
		char *expanded;
		_cleanup_free_ char *name = NULL;
		int r = expand_string(l->vars, raw->v[i], &expanded, &name);
		if (r == -ENOENT && (opt->flags & OPT_SKIP_UNSET_VAR))
			return 1;
		if (r == -ENOENT)
			return diag_error(l->diag, o, "${%s} is not set", name);
		if (r < 0 && name[0] == '$')
			return diag_error(l->diag, o,
					  "malformed variable reference '%s' (write ${NAME}, or $$ "
					  "for a literal $)",
					  name);
		if (r < 0)
			return diag_error(l->diag, o,
					  "unknown variable ${%s} (known: HOME, CWD, UID, "
					  "XDG_RUNTIME_DIR)",
					  name);
		strv_push(args, expanded);
	}
	return 0;
}

/* "  network = host" under another key reads as a continuation of it:
 * almost certainly a key indented by mistake. ("arg1 == 3" continuing a
 * rule is not.) */
static int check_continuation(struct profile_loader *l, const struct entry *e,
			      const struct origin *o)
{
	const char *eq = strchr(e->value, '=');
	size_t word = strcspn(e->value, " \t");
	if (e->continuation && eq && eq[1] != '=' && word > 0 &&
	    e->value + word + strspn(e->value + word, " \t") == eq)
		return diag_error(l->diag, o,
				  "'%s' is indented, so it continues the previous key; remove the "
				  "indentation to start a new key",
				  e->value);
	return 0;
}

/* A list: each line split into words on its own (a quote cannot span
 * lines, and an error names its line), the words of all lines one list. */
static int words_to_args(struct profile_loader *l, const struct gb_option *opt,
			 const struct entry *e, size_t n, const struct origin *key_origin,
			 struct strv *args)
{
	for (size_t i = 0; i < n; i++) {
		struct origin o = *key_origin;
		o.line = e[i].line;
		struct strv raw = {0};
		const char *why;
		int r = check_continuation(l, &e[i], &o);
		if (r == 0 && split_words(e[i].value, &raw, &why) < 0)
			r = diag_error(l->diag, &o, "%s", why);
		if (r == 0)
			r = expand_args(l, opt, &o, &raw, args);
		strv_free(&raw);
		if (r != 0)
			return r;
	}
	return 0;
}

/* Text, taken literally: the lines joined with a space. NAME=VALUE splits
 * at the first '='. */
static int text_to_args(struct profile_loader *l, const struct gb_option *opt,
			const struct entry *e, size_t n, const struct origin *key_origin,
			struct strv *args)
{
	_cleanup_free_ char *text = xstrdup(e[0].value);
	for (size_t i = 1; i < n; i++) {
		struct origin o = *key_origin;
		o.line = e[i].line;
		if (check_continuation(l, &e[i], &o) < 0)
			return -1;
		char *longer = xasprintf("%s %s", text, e[i].value);
		free(text);
		text = longer;
	}
	struct strv raw = {0};
	char *eq = strchr(text, '=');
	if (opt->style == VALUE_ASSIGN) {
		if (!eq || eq == text)
			return diag_error(l->diag, key_origin, "expected NAME=VALUE");
		strv_push(&raw, xstrndup(text, (size_t)(eq - text)));
		strv_add(&raw, eq + 1);
	} else {
		strv_add(&raw, text);
	}
	int r = expand_args(l, opt, key_origin, &raw, args);
	strv_free(&raw);
	return r;
}

/* The arguments of a key's line and of the indented lines that continue
 * it, for one application: a key that replaces its value (capabilities,
 * namespaces) sees the whole list. Returns 1 when the entry is skipped. */
static int entry_to_args(struct profile_loader *l, const struct gb_option *opt,
			 const struct entry *e, size_t n, const struct origin *o, struct strv *args)
{
	if (opt->style == VALUE_WORDS)
		return words_to_args(l, opt, e, n, o, args);
	return text_to_args(l, opt, e, n, o, args);
}

static int load_builtin(struct profile_loader *l);

/* What a profile's includes name: the profiles, and `none`. */
struct includes {
	unsigned names;
	bool none;
	struct origin none_origin;
};

/* One include line: each name layered in order; `none` only noted. */
static int load_includes(struct profile_loader *l, const struct strv *args, const char *dir,
			 const struct origin *o, struct includes *inc)
{
	int r = 0;
	if (args->n == 0)
		return diag_error(l->diag, o, "expected a profile name");
	for (size_t k = 0; k < args->n; k++) {
		if (streq(args->v[k], INCLUDE_NONE)) {
			inc->none = true;
			inc->none_origin = *o;
			continue;
		}
		inc->names++;
		if (profile_load(l, args->v[k], dir, o) < 0)
			r = -1;
	}
	return r;
}

/* A profile file that names no include layers on the built-in default:
 * one that only sets a host name must not start from an empty policy,
 * where no command can even start. `include = none` is the blank slate,
 * on its own. */
static int layer_base(struct profile_loader *l, const struct includes *inc, bool on_default)
{
	if (inc->none && inc->names)
		return diag_error(l->diag, &inc->none_origin,
				  "none (a blank slate) cannot be combined with profile names");
	if (inc->none) {
		l->policy->blank_s = (struct setting){true, inc->none_origin};
		return 0;
	}
	return inc->names || !on_default ? 0 : load_builtin(l);
}

int profile_load_includes(struct profile_loader *l, const struct strv *names,
			  const struct origin *from)
{
	struct includes inc = {0};
	int r = names->n ? load_includes(l, names, NULL, from, &inc) : 0;
	return layer_base(l, &inc, true) < 0 ? -1 : r;
}

static int load_entries(struct profile_loader *l, struct parse_state *st, const char *dir,
			bool on_default)
{
	int ret = 0;
	struct includes inc = {0};
	/* Includes first, in order: "earlier layers first, this file wins". */
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1 && layer_base(l, &inc, on_default) < 0)
			ret = -1;
		if (pass == 1)
			l->policy->layers[l->current].order = l->next_order++;
		for (size_t i = 0, next; i < st->n_entries; i = next) {
			const struct entry *e = &st->entries[i];
			for (next = i + 1; next < st->n_entries && st->entries[next].continuation;
			     next++)
				;
			const struct gb_option *opt = option_by_key(e->section, e->key);
			bool include = opt->flags & OPT_INCLUDE;
			if (include != (pass == 0))
				continue;
			struct origin o = {
				.file = st->file,
				.line = e->line,
				.section = policy_intern(l->policy, e->section),
				.key = policy_intern(l->policy, e->key),
			};
			struct strv args = {0};
			int r = entry_to_args(l, opt, e, next - i, &o, &args);
			if (r == 0) {
				if (include) {
					r = load_includes(l, &args, dir, &o, &inc);
				} else {
					r = option_apply(l->policy, opt, args.v, args.n, &o, l->diag);
				}
			}
			if (r < 0)
				ret = -1;
			if (r == 0 && !include && l->record)
				*APPEND(l->uses, l->n_uses) = (struct profile_use){
					.opt = opt, .origin = o, .args = args, .layer = l->current};
			else
				strv_free(&args);
		}
	}
	return ret;
}

/* A UTF-8 byte order mark, as some editors write one, is skipped before
 * any line is looked at. */
static void skip_bom(const char **text, size_t *len)
{
	static const char bom[] = "\xef\xbb\xbf";
	if (*len >= 3 && memcmp(*text, bom, 3) == 0) {
		*text += 3;
		*len -= 3;
	}
}

static void add_edge(struct profile_loader *l, size_t layer, size_t above)
{
	if (above != NO_LAYER)
		*APPEND(l->edges, l->n_edges) = (struct profile_edge){layer, above};
}

/* A new layer, below the one being loaded. Returns its index. */
static size_t add_layer(struct profile_loader *l, const char *file, size_t above)
{
	struct policy *p = l->policy;
	*APPEND(p->layers, p->n_layers) = (struct policy_layer){.file = file};
	add_edge(l, p->n_layers - 1, above);
	return p->n_layers - 1;
}

static int load_text(struct profile_loader *l, const char *file_label, const char *text,
		     size_t len, const char *dir, bool on_default)
{
	skip_bom(&text, &len);
	struct parse_state st = {
		.l = l,
		.file = policy_intern(l->policy, file_label),
		.text = text,
		.len = len,
	};
	unsigned before = l->diag->errors;
	size_t above = l->current;
	l->current = add_layer(l, st.file, above);

	int r = ini_parse_stream(reader, &st, handler, &st);
	/* cppcheck-suppress knownConditionTrueFalse ; the callbacks above count errors */
	if (r != 0 && l->diag->errors == before) {
		struct origin o = {.file = st.file, .line = r > 0 ? (unsigned)r : 0};
		diag_error(l->diag, &o, "cannot parse this line");
	}
	if (load_entries(l, &st, dir, on_default) < 0 && l->diag->errors == before)
		l->diag->errors++;
	for (size_t i = 0; i < st.n_entries; i++) {
		free(st.entries[i].section);
		free(st.entries[i].key);
		free(st.entries[i].value);
	}
	free(st.entries);
	l->current = above;
	return l->diag->errors == before ? 0 : -1;
}

int profile_load_text(struct profile_loader *l, const char *file_label, const char *text,
		      size_t len, const char *dir)
{
	return load_text(l, file_label, text, len, dir, false);
}

/* ---- finding and loading files ---- */

static int read_file(int fd, char **out, size_t *len)
{
	struct stat sb;
	if (fstat(fd, &sb) < 0)
		return -errno;
	if (!S_ISREG(sb.st_mode))
		return -EINVAL;
	if (sb.st_size > PROFILE_MAX_SIZE)
		return -EFBIG;
	size_t cap = (size_t)sb.st_size + 1;
	char *buf = xmalloc(cap);
	ssize_t n = read_full(fd, buf, cap - 1);
	if (n < 0) {
		free(buf);
		return (int)n;
	}
	buf[n] = '\0';
	*out = buf;
	*len = (size_t)n;
	return 0;
}

/* A bare name is looked up on the search path; a name with a '/' or
 * ending in ".ini" is a file, as `glovebox check photos.ini` reads it. */
static bool is_bare_name(const char *s)
{
	size_t n = strlen(s);
	return !strchr(s, '/') && !(n >= 4 && streq(s + n - 4, ".ini"));
}

/* NAME relative to the including file's directory, spelled the way the
 * user would: "" is the current directory, and no "./" piles up along an
 * include chain. */
static char *join_relative(const char *dir, const char *name)
{
	if (!dir || !*dir || name[0] == '/')
		return xstrdup(name);
	while (name[0] == '.' && name[1] == '/')
		for (name += 2; *name == '/'; name++)
			;
	size_t n = strlen(dir);
	return xasprintf("%s%s%s", dir, dir[n - 1] == '/' ? "" : "/", name);
}

/* The directory of PATH for join_relative: "" when PATH has no '/'. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup("");
	return xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
}

static int open_profile(struct profile_loader *l, const char *name, const char *relative_to,
			char **path_out)
{
	if (is_bare_name(name)) {
		if (!*name || name[0] == '.')
			return -EINVAL;
		for (size_t i = 0; i < l->search_path.n; i++) {
			char *path = xasprintf("%s/%s.ini", l->search_path.v[i], name);
			int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
			if (fd >= 0 || (errno != ENOENT && errno != ENOTDIR)) {
				*path_out = path; /* the file found, or the one that failed */
				return fd >= 0 ? fd : -errno;
			}
			free(path);
		}
		return -ENOENT;
	}
	*path_out = join_relative(relative_to, name);
	int fd = open(*path_out, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	return fd >= 0 ? fd : -errno;
}

static void push_id(struct file_id **arr, size_t *n, struct file_id id) /* NOLINT(readability-non-const-parameter): APPEND counts it */
{
	*APPEND(*arr, *n) = id;
}

/* ---- drop-ins ---- */

struct dropin {
	char *name; /* the file name, which orders them and lets one replace another */
	char *path;
};

static int dropin_cmp(const void *a, const void *b)
{
	return strcmp(((const struct dropin *)a)->name, ((const struct dropin *)b)->name);
}

static bool is_dropin_name(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' && n > 4 && streq(name + n - 4, ".ini");
}

/* The *.ini files of DIR/NAME.d not already named by a directory before
 * it: the same file name in a directory earlier on the search path
 * replaces the later one, as systemd's drop-ins do. */
static void gather_dropins(const char *dir, const char *name, struct dropin **v, size_t *n) /* NOLINT(readability-non-const-parameter): APPEND counts it */
{
	_cleanup_free_ char *ddir = xasprintf("%s/%s" DROPIN_SUFFIX, *dir ? dir : ".", name);
	DIR *d = opendir(ddir);
	if (!d)
		return;
	for (const struct dirent *e; (e = readdir(d));) {
		bool known = false;
		for (size_t i = 0; i < *n && !known; i++)
			known = streq((*v)[i].name, e->d_name);
		if (!known && is_dropin_name(e->d_name))
			*APPEND(*v, *n) = (struct dropin){
				.name = xstrdup(e->d_name),
				.path = xasprintf("%s/%s", ddir, e->d_name),
			};
	}
	closedir(d);
}

static int load_dropin(struct profile_loader *l, const char *path, size_t base,
		       const struct origin *from);

static void collect_dropins(const struct strv *dirs, const char *name, struct dropin **v,
			    size_t *n)
{
	for (size_t i = 0; i < dirs->n; i++)
		gather_dropins(dirs->v[i], name, v, n);
	if (*n)
		qsort(*v, *n, sizeof(**v), dropin_cmp);
}

void profile_dropins(const struct strv *dirs, const char *name, struct strv *out)
{
	struct dropin *v = NULL;
	size_t n = 0;
	collect_dropins(dirs, name, &v, &n);
	for (size_t i = 0; i < n; i++) {
		strv_push(out, v[i].path);
		free(v[i].name);
	}
	free(v);
}

/* Layer the drop-ins of the profile NAME (layer `base`), found in DIRS,
 * right after it, in the order of their file names. */
static int load_dropins(struct profile_loader *l, const char *name, const struct strv *dirs,
			size_t base, const struct origin *from)
{
	struct dropin *v = NULL;
	size_t n = 0;
	int r = 0;
	collect_dropins(dirs, name, &v, &n);
	for (size_t i = 0; i < n; i++) {
		if (load_dropin(l, v[i].path, base, from) < 0)
			r = -1;
		free(v[i].name);
		free(v[i].path);
	}
	free(v);
	return r;
}

/* The built-in default, once: the base of the others, with the default.d
 * drop-ins of the search path. */
static int load_builtin(struct profile_loader *l)
{
	if (l->builtin_done) {
		add_edge(l, l->builtin_layer, l->current);
		return 0;
	}
	l->builtin_done = true;
	l->builtin_layer = l->policy->n_layers;
	int r = load_text(l, BUILTIN_DEFAULT_FILE, builtin_default_profile,
			  builtin_default_profile_len, NULL, false);
	if (load_dropins(l, BUILTIN_DEFAULT_NAME, &l->search_path, l->builtin_layer, NULL) < 0)
		r = -1;
	return r;
}

/* Load the file at PATH, opened as fd, once. Returns its layer in *layer
 * (NO_LAYER when it was loaded before or failed). */
static int load_opened(struct profile_loader *l, int fd, const char *path,
		       const struct origin *from, bool on_default, size_t *layer)
{
	struct diag *d = l->diag;
	struct stat sb;
	*layer = NO_LAYER;
	if (fstat(fd, &sb) < 0)
		return diag_error(d, from, "%s: %s", path, strerror(errno));
	struct file_id id = {sb.st_dev, sb.st_ino, NULL, NO_LAYER};

	for (size_t i = 0; i < l->n_stack; i++)
		if (l->stack[i].dev == id.dev && l->stack[i].ino == id.ino) {
			char chain[1024] = "";
			size_t w = 0;
			for (size_t k = i; k < l->n_stack && w < sizeof(chain); k++)
				w += (size_t)snprintf(chain + w, sizeof(chain) - w, "%s -> ",
						      l->stack[k].path);
			return diag_error(d, from, "include cycle: %s%s", chain, path);
		}
	for (size_t i = 0; i < l->n_done; i++)
		if (l->done[i].dev == id.dev && l->done[i].ino == id.ino) {
			/* each file is layered once, at its first include */
			add_edge(l, l->done[i].layer, l->current);
			return 0;
		}

	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	int r = read_file(fd, &text, &len);
	if (r == -EFBIG)
		return diag_error(d, from, "%s: larger than %d MiB, the most a profile may be",
				  path, PROFILE_MAX_SIZE >> 20);
	if (r < 0)
		return diag_error(d, from, "%s: %s", path,
				  r == -EINVAL ? "not a regular file" : strerror(-r));

	id.path = policy_intern(l->policy, path);
	id.layer = l->policy->n_layers;
	push_id(&l->stack, &l->n_stack, id);
	_cleanup_free_ char *dir = dir_of(path);
	r = load_text(l, id.path, text, len, dir, on_default);
	l->n_stack--;
	push_id(&l->done, &l->n_done, id);
	*layer = id.layer;
	return r;
}

/* A drop-in of the profile at layer base: it hangs below what included
 * that profile, and the profile below it, as the drop-in is there to
 * override the profile. Unlike a profile, it does not layer on the
 * built-in default. */
static int load_dropin(struct profile_loader *l, const char *path, size_t base,
		       const struct origin *from)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return diag_error(l->diag, from, "%s: %s", path, strerror(errno));
	size_t layer;
	int r = load_opened(l, fd, path, from, false, &layer);
	if (layer != NO_LAYER) {
		l->policy->layers[layer].dropin_of = l->policy->layers[base].file;
		add_edge(l, base, layer);
	}
	return r;
}

/* The name of a profile file for its drop-ins: "x" for DIR/x.ini. */
static char *profile_stem(const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t n = strlen(base);
	return xstrndup(base, n >= 4 && streq(base + n - 4, ".ini") ? n - 4 : n);
}

int profile_load(struct profile_loader *l, const char *name, const char *relative_to,
		 const struct origin *from)
{
	struct diag *d = l->diag;

	if (streq(name, BUILTIN_DEFAULT_NAME))
		return load_builtin(l);

	_cleanup_free_ char *path = NULL;
	_cleanup_close_ int fd = open_profile(l, name, relative_to, &path);
	if (fd < 0) {
		if (fd == -ENOENT && is_bare_name(name)) {
			char where[2048] = "";
			size_t w = 0;
			for (size_t i = 0; i < l->search_path.n && w < sizeof(where); i++)
				w += (size_t)snprintf(where + w, sizeof(where) - w, "%s%s",
						      i ? ", " : "", l->search_path.v[i]);
			return diag_error(d, from, "profile '%s' not found (looked in %s)", name,
					  where);
		}
		if (fd == -EINVAL)
			return diag_error(d, from, "'%s' is not a profile name", name);
		return diag_error(d, from, "%s: %s", path ? path : name, strerror(-fd));
	}
	size_t layer;
	int r = load_opened(l, fd, path, from, true, &layer);
	if (layer == NO_LAYER)
		return r;
	/* A name's drop-ins come from the whole search path; a file's from
	 * beside it. */
	_cleanup_free_ char *stem = profile_stem(path);
	struct strv own = {0};
	if (!is_bare_name(name))
		strv_push(&own, dir_of(path));
	if (load_dropins(l, stem, is_bare_name(name) ? &l->search_path : &own, layer, from) < 0)
		r = -1;
	strv_free(&own);
	return r;
}

/* Only the lines are parsed, nothing applied: an include is not followed
 * and a bad value elsewhere does not hide the description. */
static char *text_description(const char *path, const char *text, size_t len)
{
	struct policy p;
	struct diag d;
	struct profile_loader l;
	policy_init(&p);
	FILE *quiet = fopen("/dev/null", "w");
	diag_init(&d, quiet ? quiet : stderr, "");
	profile_loader_init(&l, &p, &d, NULL);
	const char *start = text;
	skip_bom(&start, &len);
	struct parse_state st = {.l = &l, .file = path, .text = start, .len = len};
	(void)ini_parse_stream(reader, &st, handler, &st);
	char *desc = NULL;
	for (size_t i = 0; i < st.n_entries; i++) {
		struct entry *e = &st.entries[i];
		bool mine = streq(e->section, "profile") && streq(e->key, "description");
		/* an indented line goes on after a space; a repeated key wins */
		if (mine && e->continuation && desc) {
			char *longer = xasprintf("%s %s", desc, e->value);
			free(desc);
			desc = longer;
		} else if (mine) {
			free(desc);
			desc = xstrdup(e->value);
		}
		free(e->section);
		free(e->key);
		free(e->value);
	}
	free(st.entries);
	if (quiet)
		fclose(quiet);
	profile_loader_free(&l);
	policy_free(&p);
	return desc;
}

char *profile_description(const char *path)
{
	if (!path)
		return text_description(BUILTIN_DEFAULT_FILE, builtin_default_profile,
					builtin_default_profile_len);
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	if (fd < 0 || read_file(fd, &text, &len) < 0)
		return NULL;
	return text_description(path, text, len);
}
