/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared helpers for the unit tests: capture diagnostics in memory, load
 * profile text into a fresh policy. */
#pragma once

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "diag.h"
#include "policy/expand.h"
#include "policy/policy.h"
#include "policy/profile.h"

struct fixture {
	struct policy p;
	struct diag d;
	FILE *out;
	char *buf;
	size_t len;
	struct expand_vars vars;
	struct profile_loader l;
};

static inline void fixture_init(struct fixture *f)
{
	policy_init(&f->p);
	f->buf = NULL;
	f->out = open_memstream(&f->buf, &f->len);
	diag_init(&f->d, f->out, "");
	f->vars = (struct expand_vars){.home = "/home/alice", .cwd = "/src/proj", .uid = "1000",
				       .xdg_runtime_dir = "/run/user/1000"};
	profile_loader_init(&f->l, &f->p, &f->d, &f->vars);
}

/* The diagnostics so far, as one string. */
static inline const char *fixture_msgs(struct fixture *f)
{
	fflush(f->out);
	return f->buf ? f->buf : "";
}

static inline void fixture_free(struct fixture *f)
{
	profile_loader_free(&f->l);
	fclose(f->out);
	free(f->buf);
	policy_free(&f->p);
}

static inline int load(struct fixture *f, const char *label, const char *text)
{
	return profile_load_text(&f->l, label, text, strlen(text), "/nonexistent");
}

#define ck_assert_msgs_contain(f, needle)                                                          \
	ck_assert_msg(strstr(fixture_msgs(f), needle) != NULL, "expected '%s' in:\n%s", needle,   \
		      fixture_msgs(f))

/* True when one line of msgs begins with start: a message that only
 * contains it might not name the place first. */
static inline bool msgs_have_line(const char *msgs, const char *start)
{
	for (const char *line = msgs; *line;) {
		if (strncmp(line, start, strlen(start)) == 0)
			return true;
		const char *nl = strchr(line, '\n');
		if (!nl)
			break;
		line = nl + 1;
	}
	return false;
}

#define ck_assert_msgs_have_line(f, start)                                                         \
	ck_assert_msg(msgs_have_line(fixture_msgs(f), start),                                      \
		      "expected a line starting '%s' in:\n%s", start, fixture_msgs(f))

#define RUN_SUITE(name, ...)                                                                       \
	int main(void)                                                                             \
	{                                                                                          \
		Suite *s = suite_create(name);                                                     \
		TCase *tc = tcase_create("all");                                          \
		const TTest *tests[] = {__VA_ARGS__};                                              \
		for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)                      \
			tcase_add_test(tc, tests[i]);                                              \
		suite_add_tcase(s, tc);                                                            \
		SRunner *sr = srunner_create(s);                                                   \
		srunner_run_all(sr, CK_NORMAL);                                                    \
		int failed = srunner_ntests_failed(sr);                                            \
		srunner_free(sr);                                                                  \
		return failed ? 1 : 0;                                                             \
	}
