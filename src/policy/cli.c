/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "policy/cli.h"

#include <stdarg.h>
#include <stdio.h>

#include "policy/expand.h"

static const struct {
	const char *name;
	enum gb_command cmd;
	bool takes_options; /* parses profiles and options, runs nothing */
} subcommands[] = {
	{"check", CMD_CHECK, false},
	{"syscalls", CMD_SYSCALLS, false},
	{"compile", CMD_COMPILE, true},
	{"explain", CMD_EXPLAIN, true},
};

static void add_setting(struct cli *c, const struct gb_option *opt, const char *spelling)
{
	c->settings = xreallocarray(c->settings, c->n_settings + 1, sizeof(*c->settings));
	c->settings[c->n_settings++] = (struct cli_setting){.opt = opt, .spelling = spelling};
}

_printf_(2, 3) static int usage_error(FILE *err, const char *fmt, ...)
{
	va_list ap;
	fprintf(err, "glovebox: ");
	va_start(ap, fmt);
	vfprintf(err, fmt, ap);
	va_end(ap);
	fprintf(err, " (see glovebox --help)\n");
	return -1;
}

/* The option's arguments as the command line takes them: its metavar,
 * with the positional words it always takes there out of their brackets
 * ("SRC [DEST]" in a profile is "SRC DEST" here, as in bubblewrap). The
 * optional NAME=VALUE words stay optional. */
static void cli_synopsis(const struct gb_option *o, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	for (const char *s = o->metavar; *s;) {
		size_t n = strcspn(s, " ");
		bool strip = n > 2 && s[0] == '[' && s[n - 1] == ']' && !memchr(s, '=', n);
		int w = snprintf(buf + len, size - len, "%s%.*s", len ? " " : "",
				 (int)(strip ? n - 2 : n), strip ? s + 1 : s);
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

/* One option and its arguments starting at argv[*i]. */
static int parse_option(int argc, char **argv, int *i, struct cli *c, FILE *err)
{
	const char *arg = argv[*i];
	const struct gb_option *opt;
	const char *inline_value = NULL;

	if (arg[1] == 'o' && c->cmd == CMD_COMPILE) {
		if (arg[2])
			c->output = arg + 2;
		else if (*i + 1 < argc)
			c->output = argv[++*i];
		else
			return usage_error(err, "-o needs a file name");
		return 0;
	}
	if (arg[1] != '-') { /* -p NAME, -pNAME, -h, -V */
		if (arg[1] == 'h' && arg[2] == '\0') {
			c->cmd = CMD_HELP;
			return 0;
		}
		if (arg[1] == 'V' && arg[2] == '\0') {
			c->cmd = CMD_VERSION;
			return 0;
		}
		opt = option_by_short(arg[1]);
		if (!opt)
			return usage_error(err, "unknown option '%s'", arg);
		if (arg[2])
			inline_value = arg + 2;
	} else {
		char name[64];
		const char *eq = strchr(arg + 2, '=');
		size_t len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
		if (len >= sizeof(name))
			return usage_error(err, "unknown option '%s'", arg);
		memcpy(name, arg + 2, len);
		name[len] = '\0';
		if (streq(name, "help") && !eq) {
			c->cmd = CMD_HELP;
			return 0;
		}
		if (streq(name, "version") && !eq) {
			c->cmd = CMD_VERSION;
			return 0;
		}
		if (streq(name, "no-cache") && !eq) {
			c->no_cache = true;
			return 0;
		}
		if ((streq(name, "info-fd") || streq(name, "status-fd")) && c->cmd == CMD_RUN) {
			const char *v = eq ? eq + 1 : *i + 1 < argc ? argv[++*i] : NULL;
			uint64_t fd;
			if (!v || parse_u64(v, &fd) < 0 || fd < 3 || fd > INT32_MAX)
				return usage_error(err, "--%s needs a descriptor number (3 or more)",
						   name);
			*(streq(name, "info-fd") ? &c->info_fd : &c->status_fd) = (int)fd;
			return 0;
		}
		if (streq(name, "calls") && !eq && c->cmd == CMD_EXPLAIN) {
			c->calls = true;
			return 0;
		}
		if (streq(name, "output") && c->cmd == CMD_COMPILE) {
			if (eq)
				c->output = eq + 1;
			else if (*i + 1 < argc)
				c->output = argv[++*i];
			else
				return usage_error(err, "--output needs a file name");
			return 0;
		}
		opt = option_by_cli(name);
		if (!opt)
			return usage_error(err, "unknown option '%s'", arg);
		if (eq)
			inline_value = eq + 1;
	}

	if (opt->flags & OPT_INCLUDE) {
		const char *v = inline_value;
		if (!v) {
			if (*i + 1 >= argc)
				return usage_error(err, "%s needs a profile name or path", arg);
			v = argv[++*i];
		}
		strv_add(&c->profiles, v);
		return 0;
	}

	add_setting(c, opt, arg);
	struct cli_setting *s = &c->settings[c->n_settings - 1];
	s->spelling = opt->cli;
	if (opt->cli_nargs == 0) {
		strv_add(&s->args, inline_value ? inline_value : "yes");
		return 0;
	}
	if (inline_value && opt->cli_nargs > 1)
		return usage_error(err, "%s takes its arguments separately, not with '='", arg);
	unsigned need = opt->cli_nargs - (inline_value ? 1 : 0);
	if (*i + (int)need >= argc) {
		char syn[128];
		cli_synopsis(opt, syn, sizeof(syn));
		fprintf(err, "glovebox: --%s needs %s (see glovebox --help)\n", opt->cli, syn);
		return -1;
	}
	const char *values[4];
	unsigned nv = 0;
	if (inline_value)
		values[nv++] = inline_value;
	while (nv < opt->cli_nargs)
		values[nv++] = argv[++*i];
	for (unsigned k = 0; k < nv; k++) {
		if (opt->flags & OPT_CLI_SPLIT) {
			const char *why;
			if (split_words(values[k], &s->args, &why) < 0)
				return usage_error(err, "--%s: %s", opt->cli, why);
		} else {
			strv_add(&s->args, values[k]);
		}
	}
	while (*i + 1 < argc && takes_keyword(opt, argv[*i + 1]))
		strv_add(&s->args, argv[++*i]);
	return 0;
}

int cli_parse(int argc, char **argv, struct cli *c, FILE *err)
{
	*c = (struct cli){.cmd = CMD_RUN, .info_fd = -1, .status_fd = -1};
	int i = 1;

	if (argc > 1)
		for (size_t k = 0; k < ELEMENTSOF(subcommands); k++)
			if (streq(argv[1], subcommands[k].name)) {
				c->cmd = subcommands[k].cmd;
				i = 2;
				if (!subcommands[k].takes_options) {
					c->operands = argv + 2;
					c->n_operands = (size_t)(argc - 2);
					return 0;
				}
			}
	enum gb_command cmd = c->cmd;

	for (; i < argc; i++) {
		const char *arg = argv[i];
		if (streq(arg, "--")) {
			i++;
			break;
		}
		if (arg[0] != '-' || arg[1] == '\0')
			break;
		if (parse_option(argc, argv, &i, c, err) < 0)
			return -1;
		if (c->cmd != cmd)
			return 0; /* --help, --version */
	}
	c->operands = argv + i;
	c->n_operands = (size_t)(argc - i);
	if (cmd == CMD_RUN && c->n_operands == 0) {
		cli_usage(err);
		return -1;
	}
	if (cmd != CMD_RUN && c->n_operands > 0)
		return usage_error(err, "'%s': %s takes options, not a command", c->operands[0],
				   cmd == CMD_COMPILE ? "compile" : "explain");
	if (cmd == CMD_COMPILE && !c->output)
		return usage_error(err, "compile needs -o FILE");
	return 0;
}

void cli_free(struct cli *c)
{
	strv_free(&c->profiles);
	for (size_t i = 0; i < c->n_settings; i++)
		strv_free(&c->settings[i].args);
	free(c->settings);
	*c = (struct cli){0};
}

int cli_apply(const struct cli *c, struct policy *p, struct diag *d)
{
	int ret = 0;
	for (size_t i = 0; i < c->n_settings; i++) {
		const struct cli_setting *s = &c->settings[i];
		char spelled[80];
		snprintf(spelled, sizeof(spelled), "--%s", s->opt->cli);
		struct origin o = {.key = policy_intern(p, spelled)};
		if (option_apply(p, s->opt, s->args.v, s->args.n, &o, d) < 0)
			ret = -1;
	}
	return ret;
}

void cli_usage(FILE *f)
{
	fputs("Usage: glovebox [-p PROFILE]... [OPTION]... [--] COMMAND [ARG]...\n"
	      "       glovebox check PROFILE-FILE...\n"
	      "       glovebox explain [--calls] [-p PROFILE]... [OPTION]...\n"
	      "       glovebox compile [-p PROFILE]... [OPTION]... -o FILE\n"
	      "       glovebox syscalls [@GROUP|NAME]...\n"
	      "       glovebox --help | --version\n",
	      f);
}

static const char *section_title(const char *s)
{
	if (streq(s, "profile"))
		return "Profiles";
	if (streq(s, "where"))
		return "Where: filesystem and namespaces";
	if (streq(s, "what"))
		return "What: identity, capabilities and limits";
	if (streq(s, "how"))
		return "How: system calls";
	return "Environment";
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
	      "explain shows the policy with where each value came from (--calls: every\n"
	      "system call); compile writes its seccomp program as raw BPF, usable with\n"
	      "bwrap --seccomp FD.\n",
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
			if (strlen(left) > 30)
				fprintf(f, "  %s\n  %-30s %s", left, "", o->help);
			else
				fprintf(f, "  %-30s %s", left, o->help);
			if (!streq(o->cli, o->key))
				fprintf(f, " (key: %s)", o->key);
			fputc('\n', f);
		}
	}
	fputs("\nExit status: the command's own; 128+N if it died of signal N; 125 if\n"
	      "glovebox failed; 126 if COMMAND cannot run; 127 if it is not found;\n"
	      "2 for a usage error.\n",
	      f);
}
