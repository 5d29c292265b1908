/* test_phone.c: Moroccan numbers: every accepted way of writing one, every rejection, masking. */
#include <check.h>
#include <string.h>

#include "bw_phone.h"
#include "fixture.h"

static const struct {
	const char *in;
	const char *out;
} accepted[] = {
	{"0612345678", "+212612345678"},
	{"0712345678", "+212712345678"},
	{"0522123456", "+212522123456"},
	{"06 12 34 56 78", "+212612345678"},
	{"06-12-34-56-78", "+212612345678"},
	{"06.12.34.56.78", "+212612345678"},
	{"(0612) 345 678", "+212612345678"},
	{"  0612345678 \n", "+212612345678"},
	{"612345678", "+212612345678"},
	{"+212612345678", "+212612345678"},
	{"+212 6 12 34 56 78", "+212612345678"},
	{"+212-612-345678", "+212612345678"},
	{"00212612345678", "+212612345678"},
	{"00 212 6 12 34 56 78", "+212612345678"},
	{"212612345678", "+212612345678"},
	{"+2120612345678", "+212612345678"},
	{"+212 (0)6 12 34 56 78", "+212612345678"},
	{"002120612345678", "+212612345678"},
	{"2120612345678", "+212612345678"},
	{"+212 522-12-34-56", "+212522123456"},
	/* ٠٦١٢٣٤٥٦٧٨ */
	{"\xD9\xA0\xD9\xA6\xD9\xA1\xD9\xA2\xD9\xA3\xD9\xA4\xD9\xA5\xD9\xA6\xD9\xA7\xD9\xA8",
	 "+212612345678"},
	/* +۲۱۲ ۶۱۲ ۳۴۵ ۶۷۸ */
	{"+\xDB\xB2\xDB\xB1\xDB\xB2 \xDB\xB6\xDB\xB1\xDB\xB2 \xDB\xB3\xDB\xB4\xDB\xB5 "
	 "\xDB\xB6\xDB\xB7\xDB\xB8", "+212612345678"},
	{"06\xC2\xA0" "12\xE2\x80\xAF" "34 56 78", "+212612345678"},
	{"\xE2\x80\x8F" "0612345678\xE2\x80\x8E", "+212612345678"},
};

START_TEST(normalize_accepts)
{
	char out[14];
	bw_err e;
	bw_err_clear(&e);
	ck_assert_msg(bw_phone_normalize(accepted[_i].in, out, &e) == BW_OK, "'%s': %s",
	              accepted[_i].in, e.msg);
	ck_assert_str_eq(out, accepted[_i].out);
	/* the normal form is a fixed point */
	char again[14];
	ck_assert_int_eq(bw_phone_normalize(out, again, NULL), BW_OK);
	ck_assert_str_eq(again, out);
}
END_TEST

static const struct {
	const char *in;
	const char *msg;
} rejected[] = {
	{"", "phone: empty"},
	{"  - ", "phone: empty"},
	{"+", "phone: no digits after '+'"},
	{"061234567", "phone: 8 digits, a Moroccan number has 9 after the 0"},
	{"06123456789", "phone: 10 digits, a Moroccan number has 9 after the 0"},
	{"0", "phone: 0 digits, a Moroccan number has 9 after the 0"},
	{"61234567", "phone: 8 digits, a Moroccan number has 9 after the 0"},
	{"+21261234567", "phone: 8 digits after +212, a Moroccan number has 9"},
	{"+2126123456789", "phone: 10 digits after +212, a Moroccan number has 9"},
	{"00212 6123", "phone: 4 digits after +212, a Moroccan number has 9"},
	{"+33612345678", "phone: not a Moroccan number (+33...)"},
	{"0033 6 12 34 56 78", "phone: not a Moroccan number (+33...)"},
	{"+1 555 123 4567", "phone: not a Moroccan number (+1...)"},
	{"+213 555 12 34 56", "phone: not a Moroccan number (+213...)"},
	{"00", "phone: no digits after the 00 prefix"},
	{"0812345678", "phone: 08... is neither a mobile (06, 07) nor a fixed-line (05) number"},
	{"+212812345678", "phone: 08... is neither a mobile (06, 07) nor a fixed-line (05) number"},
	{"0412345678", "phone: 04... is neither a mobile (06, 07) nor a fixed-line (05) number"},
	{"812345678", "phone: a Moroccan number starts with 05, 06, 07 or +212"},
	{"06x2345678", "phone: unexpected character 'x'"},
	{"tel: 0612345678", "phone: unexpected character 't'"},
	{"06 12 34 56 78 \xD8\xA8", "phone: unexpected character '\xD8\xA8' (U+0628)"},
	{"06\xC0\xAF", "phone: unexpected character byte 0xC0 (not UTF-8)"},
	{"06\x07", "phone: unexpected character U+0007"},
	{"06+12345678", "phone: '+' only at the start"},
	{"++212612345678", "phone: '+' only at the start"},
	{"0612345678 0612345678 06", "phone: 22 digits, too many for a phone number"},
};

START_TEST(normalize_rejects)
{
	char out[14];
	bw_err e;
	bw_err_clear(&e);
	ck_assert_int_eq(bw_phone_normalize(rejected[_i].in, out, &e), BW_EINVAL);
	ck_assert_int_eq(e.code, BW_EINVAL);
	ck_assert_str_eq(e.msg, rejected[_i].msg);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(bw_phone_normalize(rejected[_i].in, out, NULL), BW_EINVAL);
}
END_TEST

START_TEST(mobile_or_not)
{
	ck_assert_int_eq(bw_phone_is_mobile("+212612345678"), 1);
	ck_assert_int_eq(bw_phone_is_mobile("+212712345678"), 1);
	ck_assert_int_eq(bw_phone_is_mobile("+212522123456"), 0);
	ck_assert_int_eq(bw_phone_is_mobile("0612345678"), 0);      /* not normalised */
	ck_assert_int_eq(bw_phone_is_mobile("+21261234567"), 0);    /* short */
	ck_assert_int_eq(bw_phone_is_mobile("+2126123456789"), 0);  /* long */
	ck_assert_int_eq(bw_phone_is_mobile("+21261234567x"), 0);
	ck_assert_int_eq(bw_phone_is_mobile("+33612345678"), 0);
	ck_assert_int_eq(bw_phone_is_mobile(""), 0);
}
END_TEST

START_TEST(mask_hides_the_middle)
{
	char out[17];
	ck_assert_str_eq(bw_phone_mask("+212612345612", out, sizeof out), "+212 6** *** *12");
	ck_assert_str_eq(bw_phone_mask("+212522123456", out, sizeof out), "+212 5** *** *56");
	ck_assert_ptr_eq(bw_phone_mask("+212712345678", out, sizeof out), out);
	ck_assert_str_eq(out, "+212 7** *** *78");
	/* anything else is not echoed */
	ck_assert_str_eq(bw_phone_mask("0612345678", out, sizeof out), "***");
	ck_assert_str_eq(bw_phone_mask("+33612345678", out, sizeof out), "***");
	ck_assert_str_eq(bw_phone_mask(NULL, out, sizeof out), "***");
	/* a short buffer is cut, not overrun */
	char small[6];
	ck_assert_str_eq(bw_phone_mask("+212612345678", small, sizeof small), "+212 ");
	char none[1] = {'z'};
	bw_phone_mask("+212612345678", none, 0);
	ck_assert_int_eq(none[0], 'z');
}
END_TEST

Suite *suite_phone(void)
{
	Suite *s = suite_create("phone");
	TCase *t = fx_case(s, "normalize", NULL, NULL,
		mobile_or_not, mask_hides_the_middle, NULL);
	tcase_add_loop_test(t, normalize_accepts, 0, (int)(sizeof accepted / sizeof accepted[0]));
	tcase_add_loop_test(t, normalize_rejects, 0, (int)(sizeof rejected / sizeof rejected[0]));
	return s;
}
