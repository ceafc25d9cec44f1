/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pasta's command line: what glovebox asks of it, and nothing it does by
 * default that the sandbox did not ask for. */
#include "testutil.h"
#include "where/pasta.h"

static char *joined(const struct strv *v)
{
	size_t len = 1;
	for (size_t i = 0; i < v->n; i++)
		len += strlen(v->v[i]) + 1;
	char *s = xcalloc(len, 1);
	for (size_t i = 0; i < v->n; i++) {
		strcat(s, i ? " " : "");
		strcat(s, v->v[i]);
	}
	return s;
}

static void with_forwards(struct fixture *f, const char *text)
{
	char *profile = xasprintf("[where]\nnetwork = user\nforward = %s\n", text);
	ck_assert_int_eq(load(f, "net.ini", profile), 0);
	free(profile);
}

START_TEST(pasta_forwards_the_profiles_ports_and_no_others)
{
	struct fixture f;
	fixture_init(&f);
	with_forwards(&f, "8080:80 127.0.0.1:5353:53/udp [::1]:9000:9000");
	struct strv argv = {0};
	pasta_argv(&f.p, 1000, 100, true, &argv);
	char *line = joined(&argv);
	ck_assert_str_eq(line, "pasta --foreground --quiet --stderr --config-net --no-dhcp "
			       "--no-dhcpv6 --no-ra --tcp-ns none --udp-ns none --runas 1000:100 "
			       "--tcp-ports 8080:80 --tcp-ports ::1/9000:9000 "
			       "--udp-ports 127.0.0.1/5353:53 --pid /proc/self/fd/4 "
			       "--userns /proc/self/fd/5 --netns /proc/self/fd/3");
	free(line);
	strv_free(&argv);
	fixture_free(&f);
}
END_TEST

/* Left out, --tcp-ports and --udp-ports would be "auto": every port bound
 * inside, forwarded from the host. */
START_TEST(without_forwards_pasta_forwards_nothing)
{
	struct fixture f;
	fixture_init(&f);
	with_forwards(&f, "none");
	struct strv argv = {0};
	pasta_argv(&f.p, 0, 0, false, &argv);
	char *line = joined(&argv);
	ck_assert_ptr_nonnull(strstr(line, " --tcp-ports none --udp-ports none "));
	ck_assert_ptr_nonnull(strstr(line, " --runas 0:0 "));
	ck_assert_ptr_null(strstr(line, "--userns"));
	free(line);
	strv_free(&argv);
	fixture_free(&f);
}
END_TEST

RUN_SUITE("pasta", pasta_forwards_the_profiles_ports_and_no_others,
	  without_forwards_pasta_forwards_nothing)
