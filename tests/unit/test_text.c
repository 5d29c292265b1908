/* test_text.c: UTF-8 validation, decoding and encoding, digit folding and trimming. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bw_text.h"

/* Well-formed and ill-formed sequences, each with its length (some contain NUL bytes). */
static const struct {
	const char *s;
	size_t n;
	int valid;
	const char *why;
} utf8_cases[] = {
	{"", 0, 1, "empty"},
	{"abc", 3, 1, "ASCII"},
	{"a\0b", 3, 1, "U+0000 is a code point"},
	{"\x7F", 1, 1, "U+007F"},
	{"\xC2\x80", 2, 1, "U+0080, smallest 2-byte"},
	{"\xDF\xBF", 2, 1, "U+07FF, largest 2-byte"},
	{"\xE0\xA0\x80", 3, 1, "U+0800, smallest 3-byte"},
	{"\xD9\xA0", 2, 1, "U+0660 Arabic-Indic zero"},
	{"\xD8\xA8\xD9\x88\xD8\xA7\xD8\xA8\xD8\xA9", 10, 1, "bawaba in Arabic"},
	{"\xE2\xB5\xA3", 3, 1, "U+2D63 Tifinagh letter"},
	{"\xED\x9F\xBF", 3, 1, "U+D7FF, just below the surrogates"},
	{"\xEE\x80\x80", 3, 1, "U+E000, just above the surrogates"},
	{"\xEF\xBF\xBF", 3, 1, "U+FFFF"},
	{"\xF0\x90\x80\x80", 4, 1, "U+10000, smallest 4-byte"},
	{"\xF4\x8F\xBF\xBF", 4, 1, "U+10FFFF, the last code point"},
	{"\xC0\x80", 2, 0, "overlong NUL"},
	{"\xC1\xBF", 2, 0, "overlong U+007F"},
	{"\xC0\xAF", 2, 0, "overlong '/'"},
	{"\xE0\x80\xAF", 3, 0, "overlong '/' in 3 bytes"},
	{"\xE0\x9F\xBF", 3, 0, "overlong U+07FF"},
	{"\xF0\x80\x80\xAF", 4, 0, "overlong '/' in 4 bytes"},
	{"\xF0\x8F\xBF\xBF", 4, 0, "overlong U+FFFF"},
	{"\xED\xA0\x80", 3, 0, "U+D800 high surrogate"},
	{"\xED\xBF\xBF", 3, 0, "U+DFFF low surrogate"},
	{"\xED\xA0\xBD\xED\xB2\xA9", 6, 0, "CESU-8 surrogate pair"},
	{"\xF4\x90\x80\x80", 4, 0, "U+110000"},
	{"\xF5\x80\x80\x80", 4, 0, "F5 lead byte"},
	{"\xF7\xBF\xBF\xBF", 4, 0, "U+1FFFFF"},
	{"\xF8\x88\x80\x80\x80", 5, 0, "5-byte form"},
	{"\xFC\x84\x80\x80\x80\x80", 6, 0, "6-byte form"},
	{"\xFE", 1, 0, "FE byte"},
	{"\xFF", 1, 0, "FF byte"},
	{"\x80", 1, 0, "lone continuation"},
	{"a\xBF", 2, 0, "continuation after ASCII"},
	{"\xC2", 1, 0, "truncated 2-byte"},
	{"\xE0\xA0", 2, 0, "truncated 3-byte"},
	{"\xF0\x90\x80", 3, 0, "truncated 4-byte"},
	{"\xD9\xA0\xD9", 3, 0, "valid then truncated"},
	{"\xC2" "a", 2, 0, "lead byte then ASCII"},
	{"\xE2\xB5" "a", 3, 0, "3-byte cut by ASCII"},
	{"\xC2\x80\x80", 3, 0, "extra continuation"},
};

START_TEST(utf8_valid_table)
{
	ck_assert_msg(bw_utf8_valid(utf8_cases[_i].s, utf8_cases[_i].n) == utf8_cases[_i].valid,
	              "case %d (%s): expected %s", _i, utf8_cases[_i].why,
	              utf8_cases[_i].valid ? "valid" : "invalid");
}
END_TEST

START_TEST(utf8_valid_respects_length)
{
	/* only the first n bytes count: cutting a valid string mid-sequence makes it invalid */
	const char *s = "\xD9\xA1\xD9\xA2";
	ck_assert_int_eq(bw_utf8_valid(s, 4), 1);
	ck_assert_int_eq(bw_utf8_valid(s, 3), 0);
	ck_assert_int_eq(bw_utf8_valid(s, 2), 1);
	ck_assert_int_eq(bw_utf8_valid("\xFF", 0), 1);
}
END_TEST

START_TEST(utf8_len_counts_code_points)
{
	ck_assert_uint_eq(bw_utf8_len(""), 0);
	ck_assert_uint_eq(bw_utf8_len("abc"), 3);
	ck_assert_uint_eq(bw_utf8_len("\xD8\xA8\xD9\x88\xD8\xA7\xD8\xA8\xD8\xA9"), 5);
	ck_assert_uint_eq(bw_utf8_len("a\xE2\xB5\xA3\xF0\x9F\x98\x80z"), 4);
}
END_TEST

START_TEST(utf8_next_decodes_and_recovers)
{
	const char *s = "a\xD9\xA3\xE2\x80\xAF\xF0\x9F\x98\x80";
	const char *p = s;
	ck_assert_int_eq(bw_utf8_next(&p), 'a');
	ck_assert_int_eq(bw_utf8_next(&p), 0x0663);
	ck_assert_int_eq(bw_utf8_next(&p), 0x202F);
	ck_assert_int_eq(bw_utf8_next(&p), 0x1F600);
	ck_assert_ptr_eq(p, s + strlen(s));

	/* malformed: -1 and one byte of progress, then decoding resumes */
	const char *bad = "\xC0\xAF" "b\xED\xA0\x80" "c\xE2\xB5";
	p = bad;
	ck_assert_int_eq(bw_utf8_next(&p), -1);
	ck_assert_ptr_eq(p, bad + 1);
	ck_assert_int_eq(bw_utf8_next(&p), -1); /* the stray continuation byte */
	ck_assert_int_eq(bw_utf8_next(&p), 'b');
	ck_assert_int_eq(bw_utf8_next(&p), -1); /* surrogate lead */
	ck_assert_ptr_eq(p, bad + 4);
	p = bad + 6;
	ck_assert_int_eq(bw_utf8_next(&p), 'c');
	/* truncated at the NUL: must not read past it */
	ck_assert_int_eq(bw_utf8_next(&p), -1);
	ck_assert_int_eq(bw_utf8_next(&p), -1);
	ck_assert_int_eq(*p, '\0');
}
END_TEST

START_TEST(utf8_put_round_trips)
{
	static const uint32_t cps[] = {0, 'A', 0x7F, 0x80, 0x660, 0x7FF, 0x800, 0x2D63,
	                               0xD7FF, 0xE000, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF};
	char buf[5];
	for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
		size_t n = bw_utf8_put(cps[i], buf);
		size_t want = cps[i] < 0x80 ? 1 : cps[i] < 0x800 ? 2 : cps[i] < 0x10000 ? 3 : 4;
		ck_assert_uint_eq(n, want);
		ck_assert_int_eq(bw_utf8_valid(buf, n), 1);
		if (cps[i] != 0) {
			buf[n] = '\0';
			const char *p = buf;
			ck_assert_int_eq(bw_utf8_next(&p), (int32_t)cps[i]);
			ck_assert_ptr_eq(p, buf + n);
		}
	}
	ck_assert_uint_eq(bw_utf8_put(0xD800, buf), 0);
	ck_assert_uint_eq(bw_utf8_put(0xDFFF, buf), 0);
	ck_assert_uint_eq(bw_utf8_put(0x110000, buf), 0);
	ck_assert_uint_eq(bw_utf8_put(0xFFFFFFFFu, buf), 0);
}
END_TEST

START_TEST(utf8_exhaustive_agrees_with_put)
{
	/* every scalar value encodes to something bw_utf8_valid accepts and decodes back */
	char buf[5];
	for (uint32_t cp = 1; cp <= 0x10FFFF; cp++) {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		size_t n = bw_utf8_put(cp, buf);
		buf[n] = '\0';
		const char *p = buf;
		if (!bw_utf8_valid(buf, n) || bw_utf8_next(&p) != (int32_t)cp || p != buf + n)
			ck_abort_msg("U+%04X does not round-trip", (unsigned)cp);
	}
}
END_TEST

START_TEST(digit_values)
{
	for (int i = 0; i < 10; i++) {
		ck_assert_int_eq(bw_digit_value('0' + i), i);
		ck_assert_int_eq(bw_digit_value(0x0660 + i), i);
		ck_assert_int_eq(bw_digit_value(0x06F0 + i), i);
	}
	ck_assert_int_eq(bw_digit_value('/'), -1);
	ck_assert_int_eq(bw_digit_value(':'), -1);
	ck_assert_int_eq(bw_digit_value('a'), -1);
	ck_assert_int_eq(bw_digit_value(0x065F), -1);
	ck_assert_int_eq(bw_digit_value(0x066A), -1); /* Arabic percent sign */
	ck_assert_int_eq(bw_digit_value(0x06EF), -1);
	ck_assert_int_eq(bw_digit_value(0x06FA), -1);
	ck_assert_int_eq(bw_digit_value(0x0966), -1); /* Devanagari zero: not ours */
	ck_assert_int_eq(bw_digit_value(-1), -1);
}
END_TEST

START_TEST(trim_in_place)
{
	char a[] = "  \t hello world \r\n";
	char b[] = "plain";
	char c[] = " \n\t ";
	char d[] = "";
	char f[] = "\xC2\xA0x\xC2\xA0"; /* NBSP is not ASCII white space: kept */
	ck_assert_ptr_eq(bw_trim(a), a);
	ck_assert_str_eq(a, "hello world");
	ck_assert_str_eq(bw_trim(b), "plain");
	ck_assert_str_eq(bw_trim(c), "");
	ck_assert_str_eq(bw_trim(d), "");
	ck_assert_str_eq(bw_trim(f), "\xC2\xA0x\xC2\xA0");
}
END_TEST

START_TEST(controls_stripped_and_escaped)
{
	/* ESC [ 2 J (clear screen), BEL, CR, DEL, a C1 CSI, a right-to-left override and an
	 * isolate: removed; a tab becomes a space; a line feed, Arabic, an LRM stay */
	char s[] = "a\x1b[2Jb\x07" "c\r\n\x7f\xC2\x9B" "d\te\xE2\x80\xAE" "gpj.exe\xE2\x81\xA6x\xE2\x80\x8E"
		   "\xD8\xB3\xD9\x84\xD8\xA7\xD9\x85";
	ck_assert_int_eq(bw_text_strip_controls(s), 7);
	ck_assert_str_eq(s, "a[2Jbc\nd egpj.exex\xE2\x80\x8E\xD8\xB3\xD9\x84\xD8\xA7\xD9\x85");
	char clean[] = "plain text\n";
	ck_assert_int_eq(bw_text_strip_controls(clean), 0);
	ck_assert_str_eq(clean, "plain text\n");
	/* escaped for a terminal: nothing a terminal would act on goes through raw */
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);
	bw_text_fput(fp, "x\x1b]0;pwn\x07y\\z\n\xE2\x80\xAE\xff" "end", 0);
	fclose(fp);
	ck_assert_str_eq(out, "x\\x1b]0;pwn\\x07y\\\\z\\n\\u202e\\xffend");
	free(out);
	fp = open_memstream(&out, &len);
	bw_text_fput(fp, "l1\nl2", 1);
	fclose(fp);
	ck_assert_str_eq(out, "l1\nl2");
	free(out);
}
END_TEST

Suite *suite_text(void)
{
	Suite *s = suite_create("text");
	TCase *t = tcase_create("utf8");
	tcase_add_loop_test(t, utf8_valid_table, 0, (int)(sizeof utf8_cases / sizeof utf8_cases[0]));
	tcase_add_test(t, utf8_valid_respects_length);
	tcase_add_test(t, utf8_len_counts_code_points);
	tcase_add_test(t, utf8_next_decodes_and_recovers);
	tcase_add_test(t, utf8_put_round_trips);
	tcase_add_test(t, utf8_exhaustive_agrees_with_put);
	suite_add_tcase(s, t);
	t = tcase_create("digits");
	tcase_add_test(t, digit_values);
	tcase_add_test(t, trim_in_place);
	tcase_add_test(t, controls_stripped_and_escaped);
	suite_add_tcase(s, t);
	return s;
}
