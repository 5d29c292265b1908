/* test_ref.c: reference numbers: Damm digit, making, error detection, tolerant parsing, display. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "bw_ref.h"

START_TEST(damm_known_values)
{
	/* the worked example of the Damm algorithm: 572 -> 4 */
	ck_assert_int_eq(bw_damm_digit("572", 3), 4);
	ck_assert_int_eq(bw_damm_digit("5724", 4), 0);
	ck_assert_int_eq(bw_damm_digit("", 0), 0);
	ck_assert_int_eq(bw_damm_digit("00123456789", 11), 4);
	ck_assert_int_eq(bw_damm_digit("12a", 3), -1);
	/* only the first n characters count */
	ck_assert_int_eq(bw_damm_digit("572xyz", 3), 4);
}
END_TEST

START_TEST(make_layout_and_ranges)
{
	char out[13];
	bw_err e;

	ck_assert_int_eq(bw_ref_make(12, 3456789, out, &e), BW_OK);
	ck_assert_str_eq(out, "001234567894");
	ck_assert_uint_eq(bw_ref_device(out), 12);
	ck_assert_int_eq(bw_ref_make(0, 1, out, NULL), BW_OK);
	ck_assert_int_eq(strncmp(out, "00000000001", 11), 0);
	ck_assert_uint_eq(bw_ref_device(out), 0);
	ck_assert_int_eq(bw_ref_make(9999, 9999998, out, NULL), BW_OK);
	ck_assert_int_eq(strncmp(out, "99999999998", 11), 0);
	ck_assert_uint_eq(bw_ref_seq(out), 9999998);
	ck_assert_int_eq(bw_damm_digit(out, 12), 0);
	ck_assert_uint_eq(bw_ref_device(out), 9999);

	ck_assert_int_eq(bw_ref_make(10000, 1, out, &e), BW_EINVAL);
	ck_assert_str_eq(e.msg, "reference: device 10000 out of range (0-9999)");
	ck_assert_int_eq(bw_ref_make(1, 0, out, &e), BW_EINVAL);
	ck_assert_str_eq(e.msg, "reference: sequence 0 out of range (1-9999998)");
	ck_assert_int_eq(bw_ref_make(1, 9999999, out, &e), BW_EINVAL);   /* never issued */
	ck_assert_int_eq(bw_ref_make(1, 10000000, out, &e), BW_EINVAL);
	ck_assert_int_eq(e.code, BW_EINVAL);
}
END_TEST

/* A small deterministic generator (xorshift) so failures are reproducible. */
static uint32_t next_rand(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

START_TEST(every_single_error_and_swap_is_caught)
{
	uint32_t state = 0x9e3779b9u;
	char ref[13], bad[13], out[13];
	long substitutions = 0, swaps = 0;

	for (int k = 0; k < 10000; k++) {
		unsigned dev = next_rand(&state) % (BW_REF_DEVICE_MAX + 1);
		uint32_t seq = 1 + next_rand(&state) % BW_REF_SEQ_MAX;
		ck_assert_int_eq(bw_ref_make(dev, seq, ref, NULL), BW_OK);
		ck_assert_int_eq(bw_ref_parse(ref, out, NULL), BW_OK);
		ck_assert_str_eq(out, ref);
		ck_assert_uint_eq(bw_ref_device(ref), dev);

		for (int i = 0; i < 12; i++) {
			for (char d = '0'; d <= '9'; d++) {
				if (d == ref[i])
					continue;
				memcpy(bad, ref, sizeof bad);
				bad[i] = d;
				if (bw_ref_parse(bad, out, NULL) != BW_EINVAL)
					ck_abort_msg("substitution %s -> %s accepted", ref, bad);
				substitutions++;
			}
			if (i < 11 && ref[i] != ref[i + 1]) {
				memcpy(bad, ref, sizeof bad);
				bad[i] = ref[i + 1];
				bad[i + 1] = ref[i];
				if (bw_ref_parse(bad, out, NULL) != BW_EINVAL)
					ck_abort_msg("swap %s -> %s accepted", ref, bad);
				swaps++;
			}
		}
	}
	ck_assert_int_eq(substitutions, 10000L * 12 * 9);
	ck_assert_int_gt(swaps, 10000L * 11 * 8 / 10); /* most neighbours differ */
}
END_TEST

static const struct {
	const char *in;
	const char *why;
} accepted[] = {
	{"001234567894", "plain"},
	{"0012-3456-7894", "dashes"},
	{"0012 3456 7894", "spaces"},
	{"  0012 3456 7894\n", "surrounding white space"},
	{"0012.3456.7894", "dots"},
	{"0012/3456/7894", "slashes"},
	{"00 12 345-6789 4", "separators anywhere"},
	{"0012\xC2\xA0" "3456\xC2\xA0" "7894", "NBSP"},
	{"0012\xE2\x80\xAF" "3456\xE2\x80\xAF" "7894", "narrow NBSP"},
	/* ٠٠١٢ ٣٤٥٦ ٧٨٩٤ */
	{"\xD9\xA0\xD9\xA0\xD9\xA1\xD9\xA2 \xD9\xA3\xD9\xA4\xD9\xA5\xD9\xA6 "
	 "\xD9\xA7\xD9\xA8\xD9\xA9\xD9\xA4", "Arabic-Indic"},
	/* ۰۰۱۲-۳۴۵۶-۷۸۹۴ */
	{"\xDB\xB0\xDB\xB0\xDB\xB1\xDB\xB2-\xDB\xB3\xDB\xB4\xDB\xB5\xDB\xB6-"
	 "\xDB\xB7\xDB\xB8\xDB\xB9\xDB\xB4", "Eastern Arabic-Indic"},
	{"\xD9\xA0\xD9\xA0" "12 3456 \xDB\xB7\xDB\xB8" "94", "mixed scripts"},
	/* LRM / RLM / isolates around a number pasted out of Arabic text */
	{"\xE2\x80\x8F\xE2\x81\xA6" "0012 3456 7894\xE2\x81\xA9\xE2\x80\x8E", "bidi marks"},
	{"\xD8\x9C" "0012\xD9\xAC" "3456\xD9\xAC" "7894", "ALM and Arabic thousands separator"},
};

START_TEST(parse_accepts)
{
	char out[13];
	bw_err e;
	bw_err_clear(&e);
	ck_assert_msg(bw_ref_parse(accepted[_i].in, out, &e) == BW_OK, "%s: %s",
	              accepted[_i].why, e.msg);
	ck_assert_str_eq(out, "001234567894");
}
END_TEST

static const struct {
	const char *in;
	const char *msg;
} rejected[] = {
	{"", "reference: empty, 12 digits expected"},
	{" - ", "reference: empty, 12 digits expected"},
	{"0012 3456 7897", "reference: check digit does not match (a digit mistyped or two swapped?)"},
	{"0021 3456 7894", "reference: check digit does not match (a digit mistyped or two swapped?)"},
	{"0012 3456 789", "reference: 11 digits, a reference has 12"},
	{"0012 3456 78940", "reference: 13 digits, a reference has 12"},
	{"7", "reference: 1 digit, a reference has 12"},
	{"0012 3456 789O", "reference: unexpected character 'O'"},
	{"REF 0012 3456 7894", "reference: unexpected character 'R'"},
	{"0012_3456_7894", "reference: unexpected character '_'"},
	{"0012 3456 7894 \xD8\xA8", "reference: unexpected character '\xD8\xA8' (U+0628)"},
	{"0012\x01" "3456", "reference: unexpected character U+0001"},
	{"0012\xC0\xAF" "3456", "reference: unexpected character byte 0xC0 (not UTF-8)"},
	{"\xE0\xA5\xA6" "01234567894", "reference: unexpected character '\xE0\xA5\xA6' (U+0966)"},
};

START_TEST(parse_rejects)
{
	char out[13];
	bw_err e;
	bw_err_clear(&e);
	ck_assert_int_eq(bw_ref_parse(rejected[_i].in, out, &e), BW_EINVAL);
	ck_assert_int_eq(e.code, BW_EINVAL);
	ck_assert_str_eq(e.msg, rejected[_i].msg);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(bw_ref_parse(rejected[_i].in, out, NULL), BW_EINVAL);
}
END_TEST

START_TEST(format_groups)
{
	char out[32];
	ck_assert_str_eq(bw_ref_format("001234567894", " ", out, sizeof out), "0012 3456 7894");
	ck_assert_str_eq(bw_ref_format("001234567894", "-", out, sizeof out), "0012-3456-7894");
	ck_assert_str_eq(bw_ref_format("001234567894", "", out, sizeof out), "001234567894");
	ck_assert_str_eq(bw_ref_format("001234567894", "\xE2\x80\xAF", out, 15 + 2 * 3),
	                 "0012\xE2\x80\xAF" "3456\xE2\x80\xAF" "7894");
	/* a too-small buffer is cut, never overrun */
	char small[8];
	memset(small, 'x', sizeof small);
	ck_assert_str_eq(bw_ref_format("001234567894", " ", small, sizeof small), "0012 34");
	/* not a reference: left as it is */
	ck_assert_str_eq(bw_ref_format("123", " ", out, sizeof out), "123");
	/* formatted output reads back */
	char ref[13];
	ck_assert_int_eq(bw_ref_parse(bw_ref_format("001234567894", " - ", out, sizeof out),
	                              ref, NULL), BW_OK);
	ck_assert_str_eq(ref, "001234567894");
}
END_TEST

START_TEST(device_of_invalid_is_out_of_range)
{
	ck_assert_uint_eq(bw_ref_device("123"), BW_REF_DEVICE_MAX + 1);
	ck_assert_uint_eq(bw_ref_device("00123456789x"), BW_REF_DEVICE_MAX + 1);
	ck_assert_uint_eq(bw_ref_device("420034567890"), 4200);
}
END_TEST

Suite *suite_ref(void)
{
	Suite *s = suite_create("ref");
	TCase *t = tcase_create("damm");
	tcase_set_timeout(t, 60);
	tcase_add_test(t, damm_known_values);
	tcase_add_test(t, make_layout_and_ranges);
	tcase_add_test(t, every_single_error_and_swap_is_caught);
	suite_add_tcase(s, t);
	t = tcase_create("parse");
	tcase_add_loop_test(t, parse_accepts, 0, (int)(sizeof accepted / sizeof accepted[0]));
	tcase_add_loop_test(t, parse_rejects, 0, (int)(sizeof rejected / sizeof rejected[0]));
	tcase_add_test(t, format_groups);
	tcase_add_test(t, device_of_invalid_is_out_of_range);
	suite_add_tcase(s, t);
	return s;
}
