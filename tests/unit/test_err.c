/* test_err.c: the error convention and the safe string copy. */
#include <check.h>
#include <string.h>

#include "bw_err.h"
#include "fixture.h"

START_TEST(fail_fills_message)
{
	bw_err e;
	bw_err_clear(&e);
	ck_assert_int_eq(bw_fail(&e, BW_EINVAL, "text: too long (%d)", 5), BW_EINVAL);
	ck_assert_int_eq(e.code, BW_EINVAL);
	ck_assert_str_eq(e.msg, "text: too long (5)");
	ck_assert_int_eq(bw_fail(NULL, BW_EIO, "x"), BW_EIO);
	ck_assert_str_eq(bw_strerror(BW_ESTATE), "not allowed in this state");
}
END_TEST

START_TEST(strlcpy_cuts_and_says_so)
{
	char b[4];
	ck_assert_int_eq(bw_strlcpy(b, "abc", sizeof b), BW_OK);
	ck_assert_int_eq(bw_strlcpy(b, "abcd", sizeof b), BW_ETOOBIG);
	ck_assert_str_eq(b, "abc");
}
END_TEST

FX_SUITE(err, "core", NULL, NULL,
		fail_fills_message, strlcpy_cuts_and_says_so)
