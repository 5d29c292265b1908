/* test_indicator.c: the commitment-10 indicators, one definition each: shares, no figure without a denominator, totals. */
#include <check.h>
#include <string.h>

#include "bw_indicator.h"

/* The case the issue found: 4 received, 1 answered on time, 3 still within their
 * deadline. "In time" is 100% of what was due (the console's figure), never 25% of all
 * (the old CLI's), and "answered" says 25%. */
START_TEST(in_time_counts_only_what_was_due)
{
	bw_report_row r = { .total = 4, .answered = 1, .answered_in_time = 1 };
	char buf[BW_IND_FMT];
	ck_assert_int_eq(bw_ind_permille(BW_IND_ANSWERED, &r), 250);
	ck_assert_int_eq(bw_ind_permille(BW_IND_IN_TIME, &r), 1000);
	/* one of the open ones passes its deadline unanswered: it counts as late */
	r.overdue = 1;
	ck_assert_int_eq(bw_ind_permille(BW_IND_IN_TIME, &r), 500);
	ck_assert_str_eq(bw_ind_format(BW_IND_IN_TIME, &r, buf), "50.0%");
	r.reopened = 1;
	ck_assert_int_eq(bw_ind_permille(BW_IND_REOPENED, &r), 1000);
}
END_TEST

START_TEST(no_denominator_is_no_figure)
{
	bw_report_row r = { 0 };
	char buf[BW_IND_FMT];
	for (int i = 0; i < BW_IND_COUNT; i++) {
		ck_assert_int_eq(bw_ind_permille((enum bw_ind)i, &r), -1);
		ck_assert_str_eq(bw_ind_format((enum bw_ind)i, &r, buf), "-");
	}
	r.total = 3;
	ck_assert_int_eq(bw_ind_permille(BW_IND_ANSWERED, &r), 0);
	ck_assert_str_eq(bw_ind_format(BW_IND_ANSWERED, &r, buf), "0.0%");
	r.answered = 2;
	ck_assert_str_eq(bw_ind_format(BW_IND_ANSWERED, &r, buf), "66.6%");
}
END_TEST

START_TEST(definitions_and_totals)
{
	bw_report_row a = { .total = 2, .answered = 1, .answered_in_time = 1, .overdue = 1, .reopened = 0 };
	bw_report_row b = { .total = 3, .answered = 3, .answered_in_time = 1, .overdue = 0, .reopened = 1 };
	long num, den;
	bw_report_add(&a, &b);
	ck_assert_int_eq(a.total, 5);
	ck_assert_int_eq(a.overdue, 1);
	bw_ind_parts(BW_IND_IN_TIME, &a, &num, &den);
	ck_assert_int_eq(num, 2);
	ck_assert_int_eq(den, 5);
	for (int i = 0; i < BW_IND_COUNT; i++) {
		const bw_ind_def *d = bw_ind_get((enum bw_ind)i);
		ck_assert_ptr_nonnull(d);
		ck_assert(d->key[0] && d->label[0] && d->numerator[0] && d->denominator[0]);
	}
	ck_assert_ptr_null(bw_ind_get(BW_IND_COUNT));
	ck_assert_int_eq(bw_ind_get(BW_IND_ANSWERED)->goal_permille, 700);
	ck_assert_int_eq(bw_ind_get(BW_IND_IN_TIME)->goal_permille, 700);
}
END_TEST

Suite *suite_indicator(void)
{
	Suite *s = suite_create("indicator");
	TCase *t = tcase_create("core");
	tcase_add_test(t, in_time_counts_only_what_was_due);
	tcase_add_test(t, no_denominator_is_no_figure);
	tcase_add_test(t, definitions_and_totals);
	suite_add_tcase(s, t);
	return s;
}
