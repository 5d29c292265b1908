/* test_rate.c: token buckets and the log-once-per-interval throttle, on given times. */
#include <check.h>

#include "bw_rate.h"

START_TEST(bucket_burst_then_rate)
{
	bw_bucket b = { 0 };
	int ok = 0;
	for (int i = 0; i < 100; i++)
		ok += bw_bucket_take(&b, 10, 20, 1000);
	ck_assert_int_eq(ok, 20);                        /* the burst, then nothing */
	ck_assert_int_eq(bw_bucket_take(&b, 10, 20, 1050), 0);   /* half a token */
	ck_assert_int_eq(bw_bucket_take(&b, 10, 20, 1100), 1);   /* 10/s: one every 100 ms */
	ck_assert_int_eq(bw_bucket_take(&b, 10, 20, 1100), 0);
	ok = 0;
	for (int i = 0; i < 100; i++)                    /* an hour idle saves only the burst */
		ok += bw_bucket_take(&b, 10, 20, 3600000);
	ck_assert_int_eq(ok, 20);
	ck_assert_int_eq(bw_bucket_take(&b, 10, 20, 1000), 0);   /* time going back refills nothing */
	bw_bucket u = { 0 };
	for (int i = 0; i < 1000; i++)
		ck_assert_int_eq(bw_bucket_take(&u, 0, 0, 5), 1);   /* rate 0: no limit */
}
END_TEST

START_TEST(logonce_counts_what_it_holds)
{
	bw_logonce l = { 0 };
	long held = -1;
	int lines = 0;
	for (int i = 0; i < 20000; i++)
		lines += bw_logonce_allow(&l, 1000 + i / 100, 60000, 5, &held);
	ck_assert_int_eq(lines, 5);
	ck_assert_int_eq(held, 0);
	ck_assert_int_eq(bw_logonce_due(&l, 30000, 60000), 0);   /* interval not over */
	ck_assert_int_eq(bw_logonce_allow(&l, 61000, 60000, 5, &held), 1);
	ck_assert_int_eq(held, 19995);                   /* the summary comes with the next line */
	ck_assert_int_eq(bw_logonce_allow(&l, 61001, 60000, 1, &held), 0);
	ck_assert_int_eq(bw_logonce_due(&l, 121000, 60000), 1);   /* ... or from the timer */
	ck_assert_int_eq(bw_logonce_due(&l, 200000, 60000), 0);
}
END_TEST

Suite *suite_rate(void)
{
	Suite *s = suite_create("rate");
	TCase *t = tcase_create("core");
	tcase_add_test(t, bucket_burst_then_rate);
	tcase_add_test(t, logonce_counts_what_it_holds);
	suite_add_tcase(s, t);
	return s;
}
