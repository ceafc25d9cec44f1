/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* glovebox: run a command in a sandbox described by INI profiles. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "config.h"
#include "diag.h"
#include "how/seccomp.h"
#include "how/syscalls.h"
#include "launch/launch.h"
#include "policy/cli.h"
#include "policy/expand.h"
#include "policy/profile.h"

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

static void config_dir(const struct expand_vars *vars, char *buf, size_t size)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	if (xdg && xdg[0] == '/')
		snprintf(buf, size, "%s/glovebox", xdg);
	else if (vars->home)
		snprintf(buf, size, "%s/.config/glovebox", vars->home);
	else
		buf[0] = '\0';
}

/* Built-in defaults < profiles in order < command-line options. */
static int build_policy(const struct cli *cli, struct policy *p, const struct expand_vars *vars,
			struct diag *d)
{
	struct profile_loader l;
	profile_loader_init(&l, p, d, vars);
	profile_loader_default_path(&l);
	if (cli->profiles.n == 0)
		profile_load(&l, BUILTIN_DEFAULT_NAME, NULL, NULL);
	for (size_t i = 0; i < cli->profiles.n; i++) {
		struct origin o = {.key = "--profile"};
		profile_load(&l, cli->profiles.v[i], NULL, &o);
	}
	profile_loader_free(&l);
	cli_apply(cli, p, d);
	if (d->errors == 0)
		policy_validate(p, d);
	return d->errors ? -1 : 0;
}

static int cmd_run(const struct cli *cli)
{
	struct diag d;
	struct expand_vars vars;
	struct expand_storage storage;
	struct policy p;
	struct how_program how = {0};
	int status = 125;

	diag_init(&d, stderr, "glovebox: ");
	expand_vars_from_process(&vars, &storage);
	policy_init(&p);
	if (build_policy(cli, &p, &vars, &d) < 0)
		goto out;
	for (size_t i = 0; i < cli->n_operands; i++)
		strv_add(&p.argv, cli->operands[i]);
	if (how_compile(&p, &how, &d) < 0)
		goto out;

	char cfg[4096];
	config_dir(&vars, cfg, sizeof(cfg));
	struct protected_dir protected[1];
	size_t n_protected = 0;
	if (cfg[0]) {
		/* It must exist to be hidden: otherwise a sandbox with a writable
		 * home could create it, and plant profiles for later runs. */
		char parent[4096];
		snprintf(parent, sizeof(parent), "%s", cfg);
		char *slash = strrchr(parent, '/');
		if (slash && slash != parent) {
			*slash = '\0';
			(void)mkdir(parent, 0700);
		}
		if (mkdir(cfg, 0700) == 0 || errno == EEXIST)
			protected[n_protected++] = (struct protected_dir){.path = cfg};
	}
	struct where_env wenv = {
		.home = vars.home,
		.cwd = vars.cwd,
		.protected = protected,
		.n_protected = n_protected,
	};
	struct launch_request req = {.policy = &p, .how = &how, .where = &wenv};
	fflush(stdout);
	fflush(stderr);
	status = launch_run(&req);
out:
	how_program_free(&how);
	policy_free(&p);
	expand_storage_free(&storage);
	return status;
}

static int cmd_check(const struct cli *cli)
{
	if (cli->n_operands == 0) {
		fputs("glovebox: check needs at least one profile file\n", stderr);
		return 2;
	}
	struct expand_vars vars;
	struct expand_storage storage;
	expand_vars_from_process(&vars, &storage);
	unsigned errors = 0;
	for (size_t i = 0; i < cli->n_operands; i++) {
		struct diag d;
		struct policy p;
		struct profile_loader l;
		diag_init(&d, stdout, "");
		policy_init(&p);
		profile_loader_init(&l, &p, &d, &vars);
		profile_loader_default_path(&l);
		const char *name = cli->operands[i];
		/* `check` takes files: a bare name is a file in the current directory. */
		_cleanup_free_ char *path = strchr(name, '/') ? xstrdup(name) : xasprintf("./%s", name);
		profile_load(&l, path, NULL, NULL);
		if (d.errors == 0)
			policy_validate(&p, &d);
		errors += d.errors;
		profile_loader_free(&l);
		policy_free(&p);
	}
	expand_storage_free(&storage);
	return errors ? 1 : 0;
}

static int cmd_syscalls(const struct cli *cli)
{
	if (cli->n_operands == 0) {
		for (size_t i = 0; i < syscall_group_count; i++)
			printf("%-16s %s\n", syscall_groups[i].name, syscall_groups[i].help);
		return 0;
	}
	int ret = 0;
	for (size_t k = 0; k < cli->n_operands; k++) {
		syscall_set set = {0};
		if (syscall_resolve(cli->operands[k], &set) < 0) {
			fprintf(stderr, "glovebox: %s: unknown system call or group\n",
				cli->operands[k]);
			ret = 1;
			continue;
		}
		for (size_t i = 0; i < syscall_count; i++)
			if (syscall_set_has(&set, i))
				printf("%s\n", syscall_table[i].name);
	}
	return ret;
}

int main(int argc, char **argv)
{
	if (refuse_privileged_binary() < 0)
		return 125;
	ensure_std_fds();

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
	case CMD_RUN:
	default:
		r = cmd_run(&cli);
		break;
	}
	cli_free(&cli);
	return r;
}
