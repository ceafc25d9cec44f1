/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "policy/cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "diag.h"
#include "policy/expand.h"
#include "policy/suggest.h"

static const struct subcommand {
	const char *name;
	enum gb_command cmd;
	bool takes_options; /* parses profiles and options, runs nothing */
	const char *synopsis;
} subcommands[] = {
	{"check", CMD_CHECK, false, "glovebox check [--strict] PROFILE..."},
	{"explain", CMD_EXPLAIN, true,
	 "glovebox explain [--calls] [--json] [--threshold N] [OPTION]..."},
	{"compile", CMD_COMPILE, true, "glovebox compile [-p PROFILE]... [OPTION]... -o FILE"},
	{"syscalls", CMD_SYSCALLS, false, "glovebox syscalls [@GROUP|NAME]..."},
	{"learn", CMD_LEARN, true,
	 "glovebox learn [-p BASE]... -o OUT.ini [--merge] -- COMMAND [ARG...]"},
	{"list", CMD_LIST, false, "glovebox list"},
	{"run", CMD_APP, false, "glovebox run APP [ARG]..."},
	{"desktop", CMD_DESKTOP, false, "glovebox desktop install APP | remove APP | list"},
};

const char *cli_subcommand(size_t i, bool *takes_options)
{
	if (i >= ELEMENTSOF(subcommands))
		return NULL;
	*takes_options = subcommands[i].takes_options;
	return subcommands[i].name;
}

const struct cli_own_option cli_own_options[] = {
	{"help", 'h', NULL, "show the options and exit"},
	{"version", 'V', NULL, "show glovebox's version and exit"},
	{"no-cache", 0, NULL, "compile the seccomp program afresh"},
	{"calls", 0, NULL, "explain: every system call"},
	{"info-fd", 0, "FD", "write the command's pid to FD once it starts"},
	{"status-fd", 0, "FD", "write the pid, then the exit code, to FD"},
	{"keep-fd", 0, "FD", "pass descriptor FD on to the command"},
	{"die-with-parent", 0, NULL, "end the sandbox when glovebox's parent ends"},
	{"output", 'o', "FILE", "compile: the file to write"},
	{"add-seccomp-fd", 0, "FD", "load the seccomp program read from FD too"},
	{"file", 0, "FD DEST", "a read-only file at DEST holding what FD gives"},
	{"json", 0, NULL, "explain: the account as JSON"},
	{"threshold", 0, "N", "explain: exit 1 when the exposure score is above N"},
	{"merge", 0, NULL, "learn: add to the profile OUT.ini holds"},
};
const size_t cli_own_option_count = ELEMENTSOF(cli_own_options);

static const struct subcommand *subcommand_by_name(const char *name)
{
	for (size_t k = 0; k < ELEMENTSOF(subcommands); k++)
		if (streq(name, subcommands[k].name))
			return &subcommands[k];
	return NULL;
}

/* A setting with room for its usual number of words, which are argv's
 * own strings, not copies: with 500 --ro-bind options, copies in an
 * 8-pointer array each filled 28 pages of the launcher's heap, a page
 * fault each (about 25 µs on the VM this is developed on); this fills 14
 * (perf record -e page-faults --call-graph dwarf, faults under cli_parse).
 * More words grow the array as any strv grows. */
static struct strv *add_setting(struct cli *c, const struct gb_option *opt, size_t words)
{
	struct cli_setting *s = APPEND(c->settings, c->n_settings);
	*s = (struct cli_setting){.opt = opt};
	s->args.cap = words + 1;
	s->args.v = xreallocarray(NULL, s->args.cap, sizeof(char *));
	s->args.v[0] = NULL;
	return &s->args;
}

/* A word made while parsing, kept in c->made until cli_free. */
static char *made(struct cli *c, char *owned)
{
	strv_push(&c->made, owned);
	return owned;
}

/* The message quotes what was typed: escaped, so that an argument with
 * ESC in it cannot drive the terminal. */
_printf_(2, 3) static int usage_error(FILE *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	_cleanup_free_ char *msg = NULL;
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	_cleanup_free_ char *safe = text_escape(msg ? msg : "out of memory");
	fprintf(err, "glovebox: %s (see glovebox --help)\n", safe);
	return -1;
}

/* The option's arguments as the command line takes them: its metavar,
 * with the positional words it always takes there out of their brackets
 * ("SRC [DEST]" in a profile is "SRC DEST" here, as in bubblewrap). The
 * optional NAME=VALUE words stay optional. A list of paths is one path an
 * argument ("PATH..." is "PATH": the option repeats). */
static void cli_synopsis(const struct gb_option *o, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	for (const char *s = o->metavar; *s;) {
		size_t n = strcspn(s, " ");
		bool strip = n > 2 && s[0] == '[' && s[n - 1] == ']' && !memchr(s, '=', n);
		size_t shown = strip ? n - 2 : n;
		if (!(o->flags & OPT_CLI_NAMES) && shown > 3 && strncmp(s + n - 3, "...", 3) == 0)
			shown -= 3;
		int w = snprintf(buf + len, size - len, "%s%.*s", len ? " " : "", (int)shown,
				 strip ? s + 1 : s);
		if (w < 0 || (size_t)w >= size - len)
			return;
		len += (size_t)w;
		s += n;
		s += strspn(s, " ");
	}
}

/* Whether ARG is one of the option's optional NAME=VALUE words, which
 * may follow its arguments: "--tmpfs /x size=1M mode=0700". */
static bool takes_keyword(const struct gb_option *o, const char *arg)
{
	const char *eq = strchr(arg, '=');
	if (!eq || eq == arg)
		return false;
	size_t n = (size_t)(eq - arg) + 1;
	for (const char *m = strchr(o->metavar, '['); m; m = strchr(m + 1, '['))
		if (strncmp(m + 1, arg, n) == 0)
			return true;
	return false;
}

/* The next word as an option's value, or NULL when there is none: "--"
 * always ends the options, so it is never a value. */
static char *next_value(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc || streq(argv[*i + 1], "--"))
		return NULL;
	return argv[++*i];
}

/* A list of names in one argument: "setresuid setresgid", "read,write".
 * The only splitting the command line does; paths and texts are literal. */
static void split_names(const char *s, struct strv *out, struct cli *c)
{
	while (*s) {
		s += strspn(s, " \t\n,");
		size_t n = strcspn(s, " \t\n,");
		if (n)
			strv_push(out, made(c, xstrndup(s, n)));
		s += n;
	}
}

/* explain --threshold: a score, 0 to 10, in tenths ("3", "2.5"): the
 * precision of the score as shown, so that the comparison is exact. */
static int parse_threshold(const char *s, long *tenths)
{
	uint64_t whole, tenth = 0;
	const char *dot = strchr(s, '.');
	_cleanup_free_ char *head = dot ? xstrndup(s, (size_t)(dot - s)) : xstrdup(s);
	if (parse_u64(head, &whole) < 0 || whole > 10)
		return -1;
	if (dot && (dot[1] < '0' || dot[1] > '9' || dot[2]))
		return -1;
	if (dot)
		tenth = (uint64_t)(dot[1] - '0');
	if (whole * 10 + tenth > 100)
		return -1;
	*tenths = (long)(whole * 10 + tenth);
	return 0;
}

/* --file FD DEST, bubblewrap's grammar: the file that file = DEST CONTENT
 * makes, its content what FD gives, read whole now and FD closed (the
 * command does not get it). One setting of that key in its place among
 * the others: the mounts keep the command line's order. */
static int take_file(int argc, char **argv, int *i, const char *inline_value, struct cli *c,
		     FILE *err)
{
	const char *word = inline_value ? inline_value : next_value(argc, argv, i);
	char *dest = word ? next_value(argc, argv, i) : NULL;
	uint64_t fd;
	/* a DEST that is no path inside is caught before FD is read */
	if (!dest || dest[0] != '/' || parse_u64(word, &fd) < 0 || fd < 3 || fd > INT32_MAX)
		return usage_error(err, "--file needs a descriptor number (3 or more) and a path "
					"inside: --file FD DEST");
	_cleanup_free_ char *content = NULL;
	size_t len;
	int r = read_fd_whole((int)fd, &content, &len);
	if (r < 0)
		return usage_error(err, "--file %d: %s", (int)fd, strerror(-r));
	if (strlen(content) != len)
		return usage_error(err, "--file %d: content with NUL bytes is not supported",
				   (int)fd);
	close((int)fd);
	*APPEND(c->file_fds, c->n_file_fds) = (int)fd;
	struct strv *args = add_setting(c, option_by_key("where", "file"), 2);
	c->settings[c->n_settings - 1].spelled = "--file";
	strv_push(args, dest);
	strv_push(args, made(c, steal_pointer(&content)));
	return 0;
}

/* How often fd is named by --file, --add-seccomp-fd, --keep-fd,
 * --info-fd and --status-fd together. */
static size_t fd_uses(const struct cli *c, int fd)
{
	size_t n = (fd == c->info_fd) + (fd == c->status_fd);
	for (size_t i = 0; i < c->n_file_fds; i++)
		n += c->file_fds[i] == fd;
	for (size_t i = 0; i < c->n_seccomp_fds; i++)
		n += c->seccomp_fds[i] == fd;
	for (size_t i = 0; i < c->n_keep_fds; i++)
		n += c->keep_fds[i] == fd;
	return n;
}

/* A descriptor that --file or --add-seccomp-fd reads and closes may be
 * one of glovebox's own by the time another option uses it: passed on, it
 * would leak that one; read twice, the second read finds nothing. The
 * first such descriptor and *by the option that reads it, or -1. */
static int consumed_fd_reused(const struct cli *c, const char **by)
{
	*by = "--file";
	for (size_t i = 0; i < c->n_file_fds; i++)
		if (fd_uses(c, c->file_fds[i]) > 1)
			return c->file_fds[i];
	*by = "--add-seccomp-fd";
	for (size_t i = 0; i < c->n_seccomp_fds; i++)
		if (fd_uses(c, c->seccomp_fds[i]) > 1)
			return c->seccomp_fds[i];
	return -1;
}

/* The options that belong to the command line only, not to profiles.
 * Returns 1 when ARG was one of them, 0 when not, -1 after a usage error. */
static int parse_own_option(int argc, char **argv, int *i, struct cli *c, FILE *err)
{
	const char *arg = argv[*i];
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	const char *inline_value = eq ? eq + 1 : NULL;
#define IS(name) (len == strlen(name) && strncmp(arg, name, len) == 0)

	if ((IS("-h") || IS("--help")) && !eq)
		c->cmd = CMD_HELP;
	else if ((IS("-V") || IS("--version")) && !eq)
		c->cmd = CMD_VERSION;
	else if (IS("--no-cache") && !eq)
		c->no_cache = true;
	else if (IS("--calls") && !eq)
		c->calls = true;
	else if (IS("--merge") && !eq)
		c->merge = true;
	else if (IS("--json") && !eq)
		c->json = true;
	else if (IS("--threshold")) {
		const char *v = inline_value ? inline_value : next_value(argc, argv, i);
		if (!v || parse_threshold(v, &c->threshold) < 0)
			return usage_error(err, "--threshold needs a score from 0 to 10, with at "
						"most one decimal (2.5)");
	}
	else if (IS("--die-with-parent") && !eq)
		c->die_with_parent = true;
	else if (IS("--file"))
		return take_file(argc, argv, i, inline_value, c, err) < 0 ? -1 : 1;
	else if (IS("--info-fd") || IS("--status-fd") || IS("--keep-fd") ||
		 IS("--add-seccomp-fd")) {
		const char *v = inline_value ? inline_value : next_value(argc, argv, i);
		uint64_t fd;
		if (!v || parse_u64(v, &fd) < 0 || fd < 3 || fd > INT32_MAX)
			return usage_error(err, "%.*s needs a descriptor number (3 or more)",
					   (int)len, arg);
		if (IS("--keep-fd"))
			*APPEND(c->keep_fds, c->n_keep_fds) = (int)fd;
		else if (IS("--add-seccomp-fd"))
			*APPEND(c->seccomp_fds, c->n_seccomp_fds) = (int)fd;
		else
			*(IS("--info-fd") ? &c->info_fd : &c->status_fd) = (int)fd;
	} else if (IS("--output") || str_startswith(arg, "-o")) {
		const char *v = IS("--output") ? inline_value : arg[2] ? arg + 2 : NULL;
		if (!v)
			v = next_value(argc, argv, i);
		if (!v || !*v)
			return usage_error(err, "%s needs a file name", IS("--output") ? "--output" : "-o");
		c->output = v;
	} else {
		return 0;
	}
	return 1;
#undef IS
}

/* "--bind", "--bind=/a", "-pNAME": the option, and the value glued to it. */
static const struct gb_option *lookup_option(char *arg, char **inline_value)
{
	*inline_value = NULL;
	if (arg[1] != '-') {
		if (arg[2])
			*inline_value = arg + 2;
		return option_by_short(arg[1]);
	}
	char *eq = strchr(arg + 2, '=');
	size_t len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
	_cleanup_free_ char *name = xstrndup(arg + 2, len);
	if (eq)
		*inline_value = eq + 1;
	return option_by_cli(name);
}

static int unknown_option(FILE *err, const char *arg)
{
	const char *eq = strchr(arg, '=');
	_cleanup_free_ char *name = xstrndup(arg + 2, eq ? (size_t)(eq - arg - 2) : strlen(arg + 2));
	const struct gb_option *moved = arg[1] == '-' ? option_moved_cli(name) : NULL;
	if (moved)
		return usage_error(err, "unknown option '%s' (now --%s)", arg, moved->cli);
	_cleanup_(suggest_done) struct suggest s = {0};
	const char *meant = arg[1] == '-' ? suggest_option(&s, name) : NULL;
	if (meant)
		return usage_error(err, "unknown option '%s', did you mean --%s?", arg, meant);
	return usage_error(err, "unknown option '%s'", arg);
}

static int needs(FILE *err, const struct gb_option *o)
{
	char syn[128];
	cli_synopsis(o, syn, sizeof(syn));
	return usage_error(err, "--%s needs %s", o->cli, syn);
}

/* A yes/no switch: "--clearenv", "--clearenv=no", or "--clearenv no".
 * A bare switch takes the next word when it is a yes/no word (yes, no,
 * true, false, on, off, 1, 0). */
static void take_switch(int argc, char **argv, int *i, char *inline_value, struct strv *args)
{
	static char yes[] = "yes";
	bool b;
	if (!inline_value && *i + 1 < argc && parse_bool(argv[*i + 1], &b) == 0)
		inline_value = argv[++*i];
	strv_push(args, inline_value ? inline_value : yes);
}

/* An option's arguments: the first may be glued on with '=' ("--bind=/a
 * /b"); each is one value, taken literally, except that a list of names
 * may hold several, separated by spaces or commas. */
static int take_values(int argc, char **argv, int *i, const struct gb_option *opt,
		       char *inline_value, struct cli *c, struct strv *args, FILE *err)
{
	for (unsigned k = 0; k < opt->cli_nargs; k++) {
		char *v = k == 0 && inline_value ? inline_value : next_value(argc, argv, i);
		if (!v)
			return needs(err, opt);
		if (!(opt->flags & OPT_CLI_NAMES)) {
			strv_push(args, v);
			continue;
		}
		size_t before = args->n;
		split_names(v, args, c);
		if (args->n == before)
			return needs(err, opt);
	}
	while (*i + 1 < argc && takes_keyword(opt, argv[*i + 1]))
		strv_push(args, argv[++*i]);
	return 0;
}

/* One option and its arguments starting at argv[*i]. */
static int parse_option(int argc, char **argv, int *i, struct cli *c, FILE *err)
{
	char *arg = argv[*i];
	int r = parse_own_option(argc, argv, i, c, err);
	if (r != 0)
		return r < 0 ? -1 : 0;

	char *inline_value;
	const struct gb_option *opt = lookup_option(arg, &inline_value);
	if (!opt)
		return unknown_option(err, arg);
	if (opt->flags & OPT_INCLUDE) {
		const char *v = inline_value ? inline_value : next_value(argc, argv, i);
		if (!v || !*v)
			return needs(err, opt);
		strv_add(&c->profiles, v);
		return 0;
	}
	struct strv *args = add_setting(c, opt, opt->cli_nargs ? opt->cli_nargs : 1);
	if (opt->cli_nargs == 0) {
		take_switch(argc, argv, i, inline_value, args);
		return 0;
	}
	return take_values(argc, argv, i, opt, inline_value, c, args, err);
}

/* No command is left: when a bare switch took a yes/no word just before,
 * that word may have been meant as the command ("--clearenv true"). */
static int no_command(int argc, char **argv, FILE *err)
{
	char *inline_value;
	bool b;
	if (argc >= 3 && parse_bool(argv[argc - 1], &b) == 0 && argv[argc - 2][0] == '-') {
		const struct gb_option *o = lookup_option(argv[argc - 2], &inline_value);
		if (o && o->cli_nargs == 0 && !inline_value)
			return usage_error(err, "no command: '%s' is the value of %s; put -- before "
						"a command",
					   argv[argc - 1], argv[argc - 2]);
	}
	if (argc >= 2)
		return usage_error(err, "no command to run: put one after the options and -- "
					"(on a terminal, options alone start your $SHELL)");
	cli_usage(err);
	return -1;
}

/* Options but no command, on a terminal: start the user's shell, as
 * firejail does ("glovebox -p shell" to look around). $SHELL only when it
 * is an absolute path; elsewhere (a script, a pipe) a missing command is
 * an error, never a guess. */
static int default_shell(struct cli *c, int argc, char **argv, FILE *err)
{
	static char *shell_argv[2];
	const char *shell = getenv("SHELL");
	if (c->cmd != CMD_RUN || argc < 2 || !isatty(STDIN_FILENO) || !isatty(STDERR_FILENO))
		return no_command(argc, argv, err);
	shell_argv[0] = (char *)(shell && shell[0] == '/' ? shell : "/bin/sh");
	c->operands = shell_argv;
	c->n_operands = 1;
	return 0;
}

/* A subcommand named after options: explain and compile take them, so
 * they may come anywhere before the first non-option; check and syscalls
 * take none, so they must come first. */
static int late_subcommand(const struct subcommand *sub, struct cli *c, FILE *err)
{
	if (!sub->takes_options)
		return usage_error(err, "%s takes no options and goes first: %s", sub->name,
				   sub->synopsis);
	c->cmd = sub->cmd;
	return 0;
}

/* The options that belong to one command, wherever they came. */
static int check_command_options(const struct cli *c, FILE *err)
{
	if (c->cmd == CMD_COMPILE && !c->output)
		return usage_error(err, "compile needs -o FILE");
	if (c->cmd == CMD_LEARN && !c->output)
		return usage_error(err, "learn needs -o OUT.ini: glovebox learn [-p BASE]... -o "
					"OUT.ini -- COMMAND");
	if (c->cmd != CMD_COMPILE && c->cmd != CMD_LEARN && c->output)
		return usage_error(err, "-o FILE goes with compile: glovebox compile [OPTION]... -o FILE");
	if (c->cmd != CMD_LEARN && c->merge)
		return usage_error(err, "--merge goes with learn: glovebox learn -o OUT.ini --merge -- "
					"COMMAND");
	if (c->cmd != CMD_EXPLAIN && c->calls)
		return usage_error(err, "--calls goes with explain: glovebox explain --calls [OPTION]...");
	if (c->cmd != CMD_EXPLAIN && (c->json || c->threshold >= 0))
		return usage_error(err, "--json and --threshold go with explain: glovebox explain "
					"[--json] [--threshold N] [OPTION]...");
	if (c->cmd != CMD_RUN && (c->info_fd >= 0 || c->status_fd >= 0))
		return usage_error(err, "--info-fd and --status-fd report on a command that runs");
	const char *by;
	int reused = consumed_fd_reused(c, &by);
	if (reused >= 0)
		return usage_error(err, "%s %d reads (and closes) descriptor %d: it cannot go to "
					"another descriptor option too, nor twice to this one",
				   by, reused, reused);
	if (c->cmd != CMD_RUN && (c->n_keep_fds || c->n_seccomp_fds || c->die_with_parent))
		return usage_error(err, "--keep-fd, --add-seccomp-fd and --die-with-parent go with "
					"a command that runs");
	return 0;
}

int cli_parse(int argc, char **argv, struct cli *c, FILE *err)
{
	*c = (struct cli){.cmd = CMD_RUN, .info_fd = -1, .status_fd = -1, .parent = getppid(),
			  .threshold = -1};
	int i = 1;

	const struct subcommand *sub = argc > 1 ? subcommand_by_name(argv[1]) : NULL;
	if (sub) {
		c->cmd = sub->cmd;
		i = 2;
		if (!sub->takes_options) {
			c->operands = argv + 2;
			c->n_operands = (size_t)(argc - 2);
			return 0;
		}
	}
	for (; i < argc; i++) {
		const char *arg = argv[i];
		if (streq(arg, "--")) {
			i++;
			break;
		}
		if (arg[0] != '-' || arg[1] == '\0') {
			sub = c->cmd == CMD_RUN ? subcommand_by_name(arg) : NULL;
			if (!sub)
				break;
			if (late_subcommand(sub, c, err) < 0)
				return -1;
			continue;
		}
		enum gb_command cmd = c->cmd;
		if (parse_option(argc, argv, &i, c, err) < 0)
			return -1;
		if (c->cmd != cmd)
			return 0; /* --help, --version */
	}
	c->operands = argv + i;
	c->n_operands = (size_t)(argc - i);
	bool runs = c->cmd == CMD_RUN || c->cmd == CMD_LEARN;
	if (runs && c->n_operands == 0 && default_shell(c, argc, argv, err) < 0)
		return -1;
	if (!runs && c->n_operands > 0)
		return usage_error(err, "'%s': %s takes options, not a command", c->operands[0],
				   c->cmd == CMD_COMPILE ? "compile" : "explain");
	return check_command_options(c, err);
}

void cli_free(struct cli *c)
{
	strv_free(&c->profiles);
	free(c->keep_fds);
	free(c->seccomp_fds);
	free(c->file_fds);
	for (size_t i = 0; i < c->n_settings; i++)
		free(c->settings[i].args.v);
	free(c->settings);
	strv_free(&c->made);
	*c = (struct cli){0};
}

int cli_apply(const struct cli *c, struct policy *p, struct diag *d)
{
	/* layers a profile left without their overlay: the profile's error */
	if (p->overlay_srcs.n)
		(void)policy_overlay_srcs_left(p, NULL, NULL, d);
	unsigned before = d->errors;
	int ret = 0;
	for (size_t i = 0; i < c->n_settings; i++) {
		const struct cli_setting *s = &c->settings[i];
		char spelled[80];
		snprintf(spelled, sizeof(spelled), "--%s", s->spelled ? s->spelled + 2 : s->opt->cli);
		struct origin o = {.key = policy_intern(p, spelled)};
		if (option_apply(p, s->opt, s->args.v, s->args.n, &o, d) < 0)
			ret = -1;
	}
	/* layers the command line left without their overlay: its own
	 * usage error, not a profile's */
	if (policy_overlay_srcs_left(p, NULL, NULL, d) < 0)
		ret = -1;
	d->command_line_errors += d->errors - before;
	return ret;
}

void cli_usage(FILE *f)
{
	fputs("Usage: glovebox [-p PROFILE]... [OPTION]... [--] COMMAND [ARG]...\n", f);
	for (size_t k = 0; k < ELEMENTSOF(subcommands); k++)
		fprintf(f, "       %s\n", subcommands[k].synopsis);
	fputs("       glovebox --help | --version\n", f);
}

static const char *section_title(const char *s)
{
	if (streq(s, "profile"))
		return "Profiles";
	if (streq(s, "where"))
		return "Where: filesystem and namespaces";
	if (streq(s, "what"))
		return "What: identity and capabilities";
	if (streq(s, "limits"))
		return "Limits: what the sandbox may consume";
	if (streq(s, "how"))
		return "How: system calls";
	return "Environment";
}

#define HELP_WIDTH  80
#define HELP_LEFT   30 /* the option column, after two spaces */
#define HELP_COLUMN (2 + HELP_LEFT + 1)

/* Text from HELP_COLUMN on, broken at spaces so that no line passes
 * HELP_WIDTH: --help fits a standard terminal. */
static void print_wrapped(FILE *f, const char *text)
{
	const size_t room = HELP_WIDTH - HELP_COLUMN;
	while (*text) {
		size_t n = strlen(text);
		if (n > room) {
			n = room;
			while (n > 0 && text[n] != ' ')
				n--;
			if (n == 0) /* one word longer than the room: let it pass */
				n = strcspn(text, " ");
		}
		fprintf(f, "%.*s\n", (int)n, text);
		text += n;
		text += strspn(text, " ");
		if (*text)
			fprintf(f, "%*s", HELP_COLUMN, "");
	}
}

void cli_help(FILE *f)
{
	cli_usage(f);
	fputs("\nRun COMMAND in a sandbox. With no --profile, the built-in 'default' profile\n"
	      "applies. Profiles layer in order, then command-line options; later wins.\n"
	      "Every option below is also a profile key: --OPTION is KEY in [SECTION].\n"
	      "\n"
	      "    --no-cache                 compile the seccomp program afresh, ignoring\n"
	      "                               and not writing the cache\n"
	      "    --info-fd FD               write {\"child-pid\": N} to FD once the command\n"
	      "                               starts (N as seen from outside), then close it\n"
	      "    --status-fd FD             write that, then {\"exit-code\": N} at the end\n"
	      "    --keep-fd FD               pass descriptor FD on to the command (repeat it\n"
	      "                               for more); every other one above 2 is closed\n"
	      "    --add-seccomp-fd FD        read a BPF program from FD (bwrap's format) and\n"
	      "                               load it with glovebox's filter (repeatable)\n"
	      "    --die-with-parent          end the sandbox when glovebox's parent ends\n"
	      "    --file FD DEST             a read-only file at DEST holding what FD gives\n"
	      "                               (read whole, then closed), as file = DEST CONTENT\n"
	      "\n"
	      "Each value is one argument, taken literally (no splitting, quotes or\n"
	      "${VAR}); a list of names (CALL..., CAP..., NAME...) may hold several,\n"
	      "separated by spaces or commas. --OPTION=VALUE works too; a yes/no switch\n"
	      "alone means yes; -- ends the options.\n"
	      "\n"
	      "explain shows the policy with where each value came from (--calls: every\n"
	      "system call) and its exposure score, 0 (tight) to 10 (no sandbox); --json\n"
	      "writes it as JSON; --threshold N exits 1 when the score is above N.\n"
	      "compile writes its seccomp program as raw BPF, usable with bwrap --seccomp FD.\n"
	      "\n"
	      "learn runs COMMAND under the BASE profiles, reporting instead of refusing\n"
	      "the calls they deny, and writes OUT.ini: a profile that includes BASE and\n"
	      "allows what the command used (--merge adds to an OUT.ini learned before).\n",
	      f);
	for (size_t s = 0; s < gb_section_count; s++) {
		fprintf(f, "\n%s [%s]:\n", section_title(gb_sections[s]), gb_sections[s]);
		for (size_t i = 0; i < gb_option_count; i++) {
			const struct gb_option *o = &gb_options[i];
			if (!streq(o->section, gb_sections[s]))
				continue;
			char left[160], syn[128];
			cli_synopsis(o, syn, sizeof(syn));
			if (o->cli_short)
				snprintf(left, sizeof(left), "-%c, --%s %s", o->cli_short, o->cli, syn);
			else if (o->cli_nargs == 0)
				snprintf(left, sizeof(left), "    --%s[=%s]", o->cli, syn);
			else
				snprintf(left, sizeof(left), "    --%s %s", o->cli, syn);
			_cleanup_free_ char *help =
				streq(o->cli, o->key) ? xstrdup(o->help)
						      : xasprintf("%s (key: %s)", o->help, o->key);
			if (strlen(left) > HELP_LEFT)
				fprintf(f, "  %s\n%*s", left, HELP_COLUMN, "");
			else
				fprintf(f, "  %-*s ", HELP_LEFT, left);
			print_wrapped(f, help);
		}
	}
	fputs("\nExit status: the command's own; 128+N if it died of signal N; 125 if\n"
	      "glovebox failed; 126 if COMMAND cannot run; 127 if it is not found;\n"
	      "2 for a usage error.\n",
	      f);
}
