/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The subcommands that launch nothing: check, list and syscalls read
 * profiles or tables and print what they find. */
#include "commands.h"

#include <stdio.h>
#include <sys/stat.h>

#include "check-rules.h"
#include "diag.h"
#include "list.h"
#include "how/syscalls.h"
#include "policy/expand.h"
#include "policy/profile.h"
#include "what/identity.h"

/* A bind of a path missing here fails a launch here, but a profile
 * travels between machines: worth a warning, not an error. */
static void warn_missing_sources(const struct policy *p, struct diag *d)
{
	for (size_t i = 0; i < p->n_mounts; i++) {
		const struct mount_op *m = &p->mounts[i];
		bool bind = m->kind == MOUNT_BIND || m->kind == MOUNT_RO_BIND ||
			    m->kind == MOUNT_DEV_BIND;
		bool overlay = m->kind == MOUNT_TMP_OVERLAY || m->kind == MOUNT_OVERLAY ||
			       m->kind == MOUNT_RO_OVERLAY;
		struct stat st;
		if ((bind || overlay) && !(m->flags & MOUNT_F_TRY) && stat(m->src, &st) < 0)
			diag_warning(d, &m->origin, "%s: %s (a launch here fails%s)", m->src,
				     strerror(errno),
				     bind ? "; the -try keys skip a missing source" : "");
	}
}

/* check takes names, as -p does: an option here is a mistake, and
 * "none" (a blank slate) is no file to read. 0, or the exit status. */
static int check_names(char *const *names, size_t n_names)
{
	if (n_names == 0) {
		fputs("glovebox: check needs at least one profile file\n", stderr);
		return 2;
	}
	for (size_t i = 0; i < n_names; i++) {
		const char *name = names[i];
		if (name[0] == '-' && name[1]) {
			_cleanup_free_ char *shown = text_escape(name);
			fprintf(stderr, "glovebox: check takes profile names, not options ('%s'): "
					"glovebox check [--strict] PROFILE...\n",
				shown);
			return 2;
		}
		if (streq(name, INCLUDE_NONE)) {
			fputs("glovebox: none is a blank slate, not a profile: there is nothing to "
			      "check\n",
			      stderr);
			return 2;
		}
	}
	return 0;
}

/* One profile, its errors and warnings printed and counted into d. */
static void check_profile(const char *name, const struct expand_vars *vars, struct diag *d)
{
	struct policy p;
	struct profile_loader l;
	policy_init(&p);
	profile_loader_init(&l, &p, d, vars);
	profile_loader_default_path(&l);
	l.record = true;
	/* The names -p takes: "build" on the search path, "photos.ini"
	 * and "dir/x" as files; messages spell them as given. */
	profile_load(&l, name, NULL, NULL);
	/* What a launch of this profile would refuse, too. */
	if (d->errors == 0) {
		policy_validate(&p, d);
		what_check_privileges(&p, d);
		warn_missing_sources(&p, d);
	}
	if (d->errors == 0) {
		struct check_input in = {.p = &p, .l = &l, .home = vars->home};
		check_rules_run(&in, d);
	}
	profile_loader_free(&l);
	policy_free(&p);
}

int cmd_check(const struct cli *cli)
{
	/* --strict: a warning fails the check too */
	bool strict = cli->n_operands > 0 && streq(cli->operands[0], "--strict");
	char *const *names = cli->operands + strict;
	size_t n_names = cli->n_operands - strict;
	int r = check_names(names, n_names);
	if (r != 0)
		return r;
	struct expand_vars vars;
	struct expand_storage storage;
	expand_vars_from_process(&vars, &storage);
	unsigned errors = 0, warnings = 0;
	for (size_t i = 0; i < n_names; i++) {
		struct diag d;
		diag_init(&d, stdout, "");
		check_profile(names[i], &vars, &d);
		errors += d.errors;
		warnings += d.warnings;
	}
	expand_storage_free(&storage);
	return errors || (strict && warnings) ? 1 : 0;
}

int cmd_list(const struct cli *cli)
{
	if (cli->n_operands > 0) {
		fputs("glovebox: list takes no arguments: glovebox list\n", stderr);
		return 2;
	}
	struct expand_vars vars;
	struct expand_storage storage;
	expand_vars_from_process(&vars, &storage);
	struct policy p;
	struct diag d;
	struct profile_loader l;
	policy_init(&p);
	diag_init(&d, stderr, "glovebox: ");
	profile_loader_init(&l, &p, &d, &vars);
	profile_loader_default_path(&l);
	list_profiles(&l.search_path, stdout);
	profile_loader_free(&l);
	policy_free(&p);
	expand_storage_free(&storage);
	return 0;
}

/* The groups that hold call i, after a line that says it is a call. */
static void print_groups_of(const char *name, size_t i)
{
	printf("%s: a system call, in these groups:\n", name);
	for (size_t g = 0; g < syscall_group_count; g++) {
		syscall_set set = {0};
		if (syscall_resolve(syscall_groups[g].name, &set) == 0 && syscall_set_has(&set, i))
			printf("%s\n", syscall_groups[g].name);
	}
}

/* `glovebox syscalls NAME`: a group's members, or the groups that hold a
 * call. A group's name without its '@' gets the name to use. */
static int show_syscall_name(const char *name)
{
	int call = name[0] == '@' ? -1 : syscall_lookup(name);
	if (call >= 0) {
		print_groups_of(name, (size_t)call);
		return 0;
	}
	syscall_set set = {0};
	if (name[0] == '@' && syscall_resolve(name, &set) == 0) {
		for (size_t i = 0; i < syscall_count; i++)
			if (syscall_set_has(&set, i))
				printf("%s\n", syscall_table[i].name);
		return 0;
	}
	_cleanup_free_ char *group = xasprintf("@%s", name);
	_cleanup_free_ char *shown = text_escape(name);
	if (name[0] != '@' && syscall_group_lookup(group))
		fprintf(stderr, "glovebox: %s: not a system call; did you mean the group %s?\n",
			shown, group);
	else
		fprintf(stderr, "glovebox: %s: no such system call or group (glovebox syscalls "
				"lists the groups)\n",
			shown);
	return 1;
}

int cmd_syscalls(const struct cli *cli)
{
	if (cli->n_operands == 0) {
		for (size_t i = 0; i < syscall_group_count; i++)
			printf("%-16s %s\n", syscall_groups[i].name, syscall_groups[i].help);
		return 0;
	}
	int ret = 0;
	for (size_t k = 0; k < cli->n_operands; k++)
		if (show_syscall_name(cli->operands[k]) != 0)
			ret = 1;
	return ret;
}
