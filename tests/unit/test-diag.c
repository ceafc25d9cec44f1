/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "testutil.h"

static void ck_escape(const char *in, const char *want)
{
	_cleanup_free_ char *got = text_escape(in);
	ck_assert_str_eq(got, want);
}

START_TEST(printable_text_stays_as_it_is)
{
	ck_escape("", "");
	ck_escape("/home/a b/photos.ini:9: [where] network", "/home/a b/photos.ini:9: [where] network");
	ck_escape("Grüße ✓ 𝄞 \xc2\xa0", "Grüße ✓ 𝄞 \xc2\xa0");
	/* a backslash is printable: only bytes that could drive a terminal change */
	ck_escape("a\\x1b", "a\\x1b");
}
END_TEST

START_TEST(control_characters_are_escaped)
{
	ck_escape("\x1b[2J\x1b]0;owned\x07", "\\x1b[2J\\x1b]0;owned\\x07");
	ck_escape("a\nb\tc\rd\x7f", "a\\x0ab\\x09c\\x0dd\\x7f");
	/* U+009B, CSI as a C1 control, which some terminals obey */
	ck_escape("x\xc2\x9b" "31m", "x\\xc2\\x9b31m");
}
END_TEST

START_TEST(invalid_utf8_is_escaped_byte_by_byte)
{
	ck_escape("\x9b" "31m", "\\x9b31m");                     /* a lone continuation byte */
	ck_escape("\xff\xfe", "\\xff\\xfe");                    /* never in UTF-8 */
	ck_escape("\xe2\x82", "\\xe2\\x82");                    /* cut short */
	ck_escape("\xe2\x82x", "\\xe2\\x82x");                  /* cut short by a character */
	ck_escape("\xc0\xaf", "\\xc0\\xaf");                    /* overlong '/' */
	ck_escape("\xe0\x80\xaf", "\\xe0\\x80\\xaf");           /* overlong '/' */
	ck_escape("\xed\xa0\x80", "\\xed\\xa0\\x80");           /* a surrogate */
	ck_escape("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80");  /* beyond U+10FFFF */
}
END_TEST

START_TEST(diagnostics_escape_file_key_and_values)
{
	struct fixture f;
	fixture_init(&f);
	struct origin o = {.file = "evil\x1b[31m.ini", .line = 3, .section = "where",
			   .key = "k\x1b"};
	ck_assert_int_eq(diag_error(&f.d, &o, "%s: expected none or host", "\x1b]0;x\x07"), -1);
	ck_assert_str_eq(fixture_msgs(&f),
			 "evil\\x1b[31m.ini:3: [where] k\\x1b: \\x1b]0;x\\x07: expected none or host\n");
	fixture_free(&f);
}
END_TEST

START_TEST(profile_errors_show_control_characters_escaped)
{
	struct fixture f;
	fixture_init(&f);
	ck_assert_int_eq(load(&f, "p\x1b.ini", "[where]\nnet\x1bwork = host\nnetwork = \x1b[2J\n"),
			 -1);
	ck_assert_msgs_have_line(&f, "p\\x1b.ini:2: [where] net\\x1bwork: unknown key");
	ck_assert_msgs_have_line(&f, "p\\x1b.ini:3: [where] network: \\x1b[2J: expected none, host or user");
	ck_assert_ptr_null(strchr(fixture_msgs(&f), '\x1b'));
	fixture_free(&f);
}
END_TEST

START_TEST(a_warning_is_no_error)
{
	struct fixture f;
	fixture_init(&f);
	struct origin o = {.file = "w.ini", .line = 2, .section = "where", .key = "bind"};
	diag_warning(&f.d, &o, "%s: missing", "/x\x1b");
	ck_assert_str_eq(fixture_msgs(&f), "w.ini:2: [where] bind: warning: /x\\x1b: missing\n");
	ck_assert_uint_eq(f.d.errors, 0);
	ck_assert_uint_eq(f.d.warnings, 1);
	fixture_free(&f);
}
END_TEST

RUN_SUITE("diag", printable_text_stays_as_it_is, control_characters_are_escaped,
	  invalid_utf8_is_escaped_byte_by_byte, diagnostics_escape_file_key_and_values,
	  profile_errors_show_control_characters_escaped, a_warning_is_no_error)
