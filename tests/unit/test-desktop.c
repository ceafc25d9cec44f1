/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "testutil.h"

#include "policy/xauth.h"

/* One Xauthority entry: family, address, display number, name, data. */
static size_t entry(unsigned char *out, unsigned family, const char *addr, const char *number,
		    const char *data)
{
	const char *fields[] = {addr, number, "MIT-MAGIC-COOKIE-1", data};
	size_t w = 0;
	out[w++] = (unsigned char)(family >> 8);
	out[w++] = (unsigned char)family;
	for (size_t i = 0; i < 4; i++) {
		size_t n = strlen(fields[i]);
		out[w++] = (unsigned char)(n >> 8);
		out[w++] = (unsigned char)n;
		memcpy(out + w, fields[i], n);
		w += n;
	}
	return w;
}

START_TEST(xauth_keeps_that_display_of_this_host_alone)
{
	unsigned char file[512], want[128], *got;
	size_t n = 0, n_got;
	n += entry(file + n, 256, "otherhost", "0", "other-host-cookie");
	n += entry(file + n, 256, "here", "1", "display-one-cookie");
	n += entry(file + n, 256, "here", "0", "this-cookie");
	n += entry(file + n, 0, "\x7f\x00\x00\x01", "0", "tcp-cookie");
	n += entry(file + n, 65535, "", "0", "wild-cookie");
	ck_assert_int_eq(xauth_for_display(file, n, "0", "here", &got, &n_got), 0);
	size_t w = entry(want, 65535, "", "0", "this-cookie");
	w += entry(want + w, 65535, "", "0", "wild-cookie");
	ck_assert_uint_eq(n_got, w);
	ck_assert_mem_eq(got, want, w);
	free(got);
	/* "1" is not "10" */
	ck_assert_int_eq(xauth_for_display(file, n, "10", "here", &got, &n_got), 0);
	ck_assert_uint_eq(n_got, 0);
	free(got);
}
END_TEST

START_TEST(xauth_refuses_a_file_cut_short)
{
	unsigned char file[128], *got = NULL;
	size_t n = entry(file, 256, "here", "0", "cookie"), n_got;
	for (size_t cut = 1; cut < n; cut++)
		ck_assert_int_eq(xauth_for_display(file, cut, "0", "here", &got, &n_got), -EINVAL);
	ck_assert_int_eq(xauth_for_display(file, 0, "0", "here", &got, &n_got), 0);
	ck_assert_uint_eq(n_got, 0);
	free(got);
}
END_TEST

START_TEST(desktop_keys_are_checked_and_layer)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(load(&f, "a.ini", "[desktop]\nx11 = yes\nwayland = yes\n"
					   "user-dir = download pictures:ro\napp-dirs = feh\n"),
			 0);
	ck_assert(f.p.grants[GRANT_X11] && f.p.grants[GRANT_WAYLAND] && !f.p.grants[GRANT_AUDIO]);
	ck_assert_uint_eq(f.p.n_desktop_dirs, 3);
	ck_assert(f.p.desktop_dirs[1].read_only && !f.p.desktop_dirs[0].read_only);
	ck_assert(f.p.desktop_dirs[2].app);
	ck_assert_int_eq(load(&f, "b.ini", "[desktop]\nwayland = no\nuser-dir = none\n"), 0);
	ck_assert(!f.p.grants[GRANT_WAYLAND]);
	ck_assert_uint_eq(f.p.n_desktop_dirs, 1);
	ck_assert_str_eq(f.p.desktop_dirs[0].name, "feh");
	ck_assert_int_eq(load(&f, "c.ini", "[desktop]\nuser-dir = downloads\n"), -1);
	ck_assert_msgs_contain(&f, "c.ini:2: [desktop] user-dir: downloads: not an XDG user "
				   "directory");
	ck_assert_int_eq(load(&f, "d.ini", "[desktop]\nuser-dir = music:rx\napp-dirs = ../x\n"),
			 -1);
	ck_assert_msgs_contain(&f, "music:rx: expected NAME, NAME:ro or NAME:rw");
	ck_assert_msgs_contain(&f, "../x: an app name is one directory name");
	fixture_free(&f);
}
END_TEST

RUN_SUITE("desktop", xauth_keeps_that_display_of_this_host_alone, xauth_refuses_a_file_cut_short,
	  desktop_keys_are_checked_and_layer)
