/* test_calendar.c: civil dates, working days and the legal deadline rules. */
#include <check.h>
#include <string.h>

#include "bw_calendar.h"
#include "bw_request.h"
#include "fixture.h"

static bw_day D(const char *s)
{
	bw_day d;
	ck_assert_int_eq(bw_day_parse(s, &d, NULL), BW_OK);
	return d;
}

static void assert_day(bw_day d, const char *want)
{
	char buf[11];
	ck_assert_str_eq(bw_day_format(d, buf), want);
}

START_TEST(civil_round_trip)
{
	/* every day from 1970 to 2199 converts both ways and the weekday advances by one */
	bw_day first = bw_day_from_ymd(1970, 1, 1), last = bw_day_from_ymd(2199, 12, 31);
	ck_assert_int_eq(first, 0);
	for (bw_day d = first; d <= last; d++) {
		int y, m, dd;
		bw_day_to_ymd(d, &y, &m, &dd);
		ck_assert_int_eq(bw_day_from_ymd(y, m, dd), d);
		ck_assert_int_eq(bw_day_weekday(d + 1), (bw_day_weekday(d) + 1) % 7);
	}
	ck_assert_int_eq(bw_day_weekday(D("2026-11-29")), 6); /* a Sunday */
	ck_assert_int_eq(bw_day_weekday(D("2024-02-29")), 3);
}
END_TEST

START_TEST(parse_rejects)
{
	bw_day d;
	bw_err e;
	const char *bad[] = { "2026-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "26-01-01",
			      "2026/01/01", "2026-01-32", "", "2026-01-01x", "1969-12-31" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(bw_day_parse(bad[i], &d, &e) == BW_EINVAL, "accepted %s", bad[i]);
	ck_assert_ptr_nonnull(strstr(e.msg, "1969-12-31"));
	ck_assert_int_eq(bw_day_parse("2024-02-29", &d, NULL), BW_OK);
}
END_TEST

START_TEST(local_day_of_time)
{
	/* the UTC day; Morocco's legal day is tested in test_clock.c */
	ck_assert_int_eq(bw_day_of_utc(1795908600), D("2026-11-28"));
	ck_assert_int_eq(bw_day_of_utc(-1), -1);
	ck_assert_int_eq(bw_day_of_utc(0), 0);
}
END_TEST

static void check(const char *rule, const char *from, const bw_day *hol, size_t nh,
                  const char *due, size_t nskipped)
{
	bw_holidays h = { hol, nh };
	bw_deadline d = { 0 };
	bw_deadline_compute(bw_rule_get(rule), D(from), &h, &d);
	assert_day(d.due, due);
	ck_assert_uint_eq(d.nskipped, nskipped);
}

START_TEST(working_days_over_weekends)
{
	/* filed on a Friday: 20 working days = four whole weeks */
	check("info", "2026-11-27", NULL, 0, "2026-12-25", 0);
	/* filed on a Sunday counts from Monday */
	check("info", "2026-11-29", NULL, 0, "2026-12-25", 0);
}
END_TEST

START_TEST(working_days_skip_fixed_holidays)
{
	bw_day h[] = { D("2026-11-18") };
	check("info", "2026-11-10", h, 1, "2026-12-09", 1);
}
END_TEST

START_TEST(working_days_across_year_end)
{
	bw_day h[] = { D("2027-01-01"), D("2027-01-11"), D("2027-01-14") };
	bw_holidays hh = { h, 3 };
	bw_deadline d = { 0 };
	bw_deadline_compute(bw_rule_get("info"), D("2026-12-24"), &hh, &d);
	assert_day(d.due, "2027-01-26");
	ck_assert_uint_eq(d.nskipped, 3);
	assert_day(d.skipped[0], "2027-01-01");
	assert_day(d.skipped[2], "2027-01-14");
}
END_TEST

START_TEST(islamic_holidays_count_like_others)
{
	/* Eid al-Fitr expected on Friday-Saturday 2026-03-20/21: only the Friday is a weekday */
	bw_day h[] = { D("2026-03-20"), D("2026-03-21") };
	check("info", "2026-03-16", h, 2, "2026-04-14", 1);
}
END_TEST

START_TEST(calendar_days_roll_to_working_day)
{
	check("decree", "2026-01-02", NULL, 0, "2026-03-03", 0);
	/* 60 days land on Saturday 31 Oct (also a holiday): Monday */
	bw_day h1[] = { D("2026-10-31") };
	check("decree", "2026-09-01", h1, 1, "2026-11-02", 0);
	/* land on Friday 6 Nov, Green March: Monday 9, and the holiday is listed */
	bw_day h2[] = { D("2026-11-06") };
	check("decree", "2026-09-07", h2, 1, "2026-11-09", 1);
	check("info-urgent", "2026-11-13", NULL, 0, "2026-11-16", 0);
}
END_TEST

START_TEST(extension_chains_once)
{
	bw_deadline d = { 0 };
	bw_err e;
	ck_assert_int_eq(bw_deadline_chain("info", D("2026-11-27"), 1, NULL, &d, NULL), BW_OK);
	assert_day(d.due, "2027-01-22");
	ck_assert_int_eq(bw_deadline_chain("nope", 0, 0, NULL, &d, &e), BW_EINVAL);
	ck_assert_ptr_nonnull(strstr(e.msg, "nope"));
	ck_assert_str_eq(bw_rule_initial(BW_KIND_INFO, 1), "info-urgent");
	ck_assert_str_eq(bw_rule_initial(BW_KIND_INFO, 0), "info");
	ck_assert_str_eq(bw_rule_initial(BW_KIND_COMPLAINT, 0), "decree");
	ck_assert_str_eq(bw_rule_initial(BW_KIND_SUGGESTION, 1), "decree");
}
END_TEST

START_TEST(urgent_extension_is_three_days)
{
	/* An urgent request (art. 17) is extended by 3 days (the CDAI), not 20 working days:
	 * Friday 13 Nov + 3 = Monday 16, + 3 = Thursday 19. */
	bw_deadline d = { 0 };
	ck_assert_int_eq(bw_deadline_chain("info-urgent", D("2026-11-13"), 1, NULL, &d, NULL), BW_OK);
	assert_day(d.due, "2026-11-19");
	/* rolled to a working day like the other calendar rules: Wednesday 18 + 3 = Saturday
	 * 21 -> Monday 23; + 3 = Thursday 26, a holiday here -> Friday 27, and it is listed */
	bw_day h[] = { D("2026-11-26") };
	bw_holidays hs = { h, 1 };
	ck_assert_int_eq(bw_deadline_chain("info-urgent", D("2026-11-18"), 1, &hs, &d, NULL), BW_OK);
	assert_day(d.due, "2026-11-27");
	ck_assert_uint_eq(d.nskipped, 1);
	assert_day(d.skipped[0], "2026-11-26");
	ck_assert_str_eq(bw_rule_extension("info-urgent"), "info-urgent-extension");
	ck_assert_str_eq(bw_rule_extension("info"), "info-extension");
	const bw_rule *r = bw_rule_get("info-urgent-extension");
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->count, BW_COUNT_CALENDAR_DAYS);
	ck_assert_int_eq(r->days, 3);
	/* an ordinary request still gets 20 working days */
	ck_assert_int_eq(bw_deadline_chain("info", D("2026-11-27"), 1, NULL, &d, NULL), BW_OK);
	assert_day(d.due, "2027-01-22");
}
END_TEST

FX_SUITE(calendar, "core", NULL, NULL,
		civil_round_trip, parse_rejects, local_day_of_time, working_days_over_weekends,
		working_days_skip_fixed_holidays, working_days_across_year_end,
		islamic_holidays_count_like_others, calendar_days_roll_to_working_day,
		extension_chains_once, urgent_extension_is_three_days)
