/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "complete.h"

#include <cap-ng.h>
#include <dirent.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "how/syscalls.h"
#include "policy/expand.h"
#include "policy/profile.h"

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The NAME of each NAME.ini in dir, added to names once. */
static void profiles_in(const char *dir, struct strv *names)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n <= 4 || e->d_name[0] == '.' || !streq(e->d_name + n - 4, ".ini"))
			continue;
		_cleanup_free_ char *name = xstrndup(e->d_name, n - 4);
		if (!strv_contains(names, name))
			strv_add(names, name);
	}
	closedir(d);
}

/* Every name -p takes from the search path, as the loader builds it. */
static void print_profiles(void)
{
	struct expand_vars vars;
	struct expand_storage storage;
	struct diag d;
	struct policy p;
	struct profile_loader l;
	expand_vars_from_process(&vars, &storage);
	diag_init(&d, stderr, "glovebox: ");
	policy_init(&p);
	profile_loader_init(&l, &p, &d, &vars);
	profile_loader_default_path(&l);
	struct strv names = {0};
	strv_add(&names, "default");
	strv_add(&names, INCLUDE_NONE);
	for (size_t i = 0; i < l.search_path.n; i++)
		profiles_in(l.search_path.v[i], &names);
	qsort(names.v, names.n, sizeof(*names.v), by_name);
	for (size_t i = 0; i < names.n; i++)
		printf("%s\n", names.v[i]);
	strv_free(&names);
	profile_loader_free(&l);
	policy_free(&p);
	expand_storage_free(&storage);
}

static void print_groups(void)
{
	for (size_t i = 0; i < syscall_group_count; i++)
		printf("%s\n", syscall_groups[i].name);
}

static void print_syscalls(void)
{
	for (size_t i = 0; i < syscall_count; i++)
		printf("%s\n", syscall_table[i].name);
}

static void print_calls(void)
{
	print_groups();
	print_syscalls();
}

/* The names capabilities = takes, as glovebox.ini(5) spells them. */
static void print_capabilities(void)
{
	for (int c = 0; c <= CAP_LAST_CAP; c++) {
		const char *name = capng_capability_to_name((unsigned)c);
		if (name)
			printf("cap_%s\n", name);
	}
}

static const struct {
	const char *what;
	void (*print)(void);
} lists[] = {
	{"profiles", print_profiles},
	{"groups", print_groups},
	{"syscalls", print_syscalls},
	{"calls", print_calls},
	{"capabilities", print_capabilities},
};

int complete_main(const char *what)
{
	for (size_t i = 0; i < ELEMENTSOF(lists); i++)
		if (streq(what, lists[i].what)) {
			lists[i].print();
			return fflush(stdout) == 0 ? 0 : 1;
		}
	fprintf(stderr, "glovebox: --complete takes profiles, groups, syscalls, calls or "
			"capabilities\n");
	return 2;
}
