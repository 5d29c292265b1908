/* test_clock.c: legal time from tzdata (Africa/Casablanca, UTC+0 during Ramadan) and the
 * pinned clock. The instants below were checked with `zdump -v -c 2026,2027 Africa/Casablanca`.
 * They are all in the first half of 2026, which every tzdata since 2018 describes the same
 * way (tzdata 2026f moves Morocco to UTC+0 for good on 2026-09-20; older ones do not, and
 * the tests must hold on both). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "bw_clock.h"
#include "fixture.h"

static bw_day D(const char *s)
{
	bw_day d;
	ck_assert_int_eq(bw_day_parse(s, &d, NULL), BW_OK);
	return d;
}

static void at_is(int64_t t, const char *iso)
{
	char buf[BW_ISO_LEN + 1];
	ck_assert_str_eq(bw_legal_iso(t, buf), iso);
}

START_TEST(outside_and_inside_ramadan)
{
	setenv("TZ", "UTC", 1); /* what the host had: the program's setting wins */
	ck_assert_int_eq(bw_clock_init(NULL, NULL), BW_OK);
	/* 2026-01-20 00:30 legal = 2026-01-19 23:30 UTC: the legal day is the 20th */
	at_is(1768865400, "2026-01-20T00:30:00+01:00");
	ck_assert_int_eq(bw_legal_day(1768865400), D("2026-01-20"));
	/* Ramadan 2026: 23:30 legal on 1 March is 23:30 UTC, still 1 March (a fixed +1
	 * would have said the 2nd) */
	at_is(1772407800, "2026-03-01T23:30:00+00:00");
	ck_assert_int_eq(bw_legal_day(1772407800), D("2026-03-01"));
	/* 00:30 legal on the 2nd during Ramadan */
	ck_assert_int_eq(bw_legal_day(1772407800 + 3600), D("2026-03-02"));
	bw_legal_time lt;
	bw_legal_at(1772407800, &lt);
	ck_assert_int_eq(lt.offset_min, 0);
	ck_assert_int_eq(lt.hour, 23);
	ck_assert_int_eq(lt.minute, 30);
	/* June 2026, UTC+1 again: 22:30 UTC is 23:30 legal on the 10th */
	at_is(1781130600, "2026-06-10T23:30:00+01:00");
	ck_assert_int_eq(bw_legal_day(1781130600 + 3600), D("2026-06-11"));
}
END_TEST

START_TEST(around_both_switches)
{
	ck_assert_int_eq(bw_clock_init(NULL, NULL), BW_OK);
	/* 2026-02-15 02:00Z: 03:00 +01 becomes 02:00 +00 */
	const int64_t in = 1771120800;
	at_is(in - 1, "2026-02-15T02:59:59+01:00");
	at_is(in, "2026-02-15T02:00:00+00:00");
	/* 2026-03-22 02:00Z: 02:00 +00 becomes 03:00 +01 */
	const int64_t out = 1774144800;
	at_is(out - 1, "2026-03-22T01:59:59+00:00");
	at_is(out, "2026-03-22T03:00:00+01:00");
	char hm[6];
	ck_assert_str_eq(bw_legal_hm(out, hm), "03:00");
	/* the first instant of a legal day, on either side of and on the switch days */
	const char *days[] = { "2026-01-20", "2026-02-14", "2026-02-15", "2026-02-16", "2026-03-01",
			       "2026-03-21", "2026-03-22", "2026-03-23", "2026-06-10", "2027-02-20" };
	for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
		bw_day d = D(days[i]);
		int64_t t = bw_legal_day_start(d);
		ck_assert_int_eq(bw_legal_day(t), d);
		ck_assert_int_eq(bw_legal_day(t - 1), d - 1);
		bw_legal_time lt;
		bw_legal_at(t, &lt);
		ck_assert_int_eq(lt.hour, 0);
		ck_assert_int_eq(lt.minute, 0);
	}
	at_is(bw_legal_day_start(D("2026-03-01")), "2026-03-01T00:00:00+00:00");
	at_is(bw_legal_day_start(D("2026-01-20")), "2026-01-20T00:00:00+01:00");
}
END_TEST

START_TEST(zone_is_checked)
{
	bw_err e;
	ck_assert_int_eq(bw_clock_init("Mars/Olympus", &e), BW_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(e.msg, "tzdata"));
	ck_assert_int_eq(bw_clock_init("UTC+1", &e), BW_ENOTFOUND); /* not a zone file */
	ck_assert_int_eq(bw_clock_init("<+01>-1", &e), BW_EINVAL);   /* a POSIX rule: an offset */
	ck_assert_int_eq(bw_clock_init("../etc/passwd", &e), BW_EINVAL);
	ck_assert_int_eq(bw_clock_init("/etc/localtime", &e), BW_EINVAL);
	/* another real zone is taken: a site abroad or a test of the switch */
	ck_assert_int_eq(bw_clock_init("Europe/Paris", &e), BW_OK);
	at_is(1768865400, "2026-01-20T00:30:00+01:00");
	at_is(1781130600, "2026-06-11T00:30:00+02:00");
	ck_assert_int_eq(bw_clock_init("", &e), BW_OK);
	ck_assert_str_eq(getenv("TZ"), BW_LEGAL_ZONE);
}
END_TEST

START_TEST(no_init_still_counts_legal_time)
{
	unsetenv("TZ");
	ck_assert_int_eq(bw_legal_day(1772407800), D("2026-03-01"));
}
END_TEST

START_TEST(pinned_clock)
{
	setenv("BAWABA_NOW", "1803166200", 1);
	ck_assert_int_eq(bw_now(), 1803166200);
	setenv("BAWABA_NOW", "garbage", 1);
	int64_t t = bw_now();
	ck_assert(t > 1700000000 && t != 1803166200);
	unsetenv("BAWABA_NOW");
	ck_assert(bw_now() > 1700000000);
}
END_TEST

FX_SUITE(clock, "core", NULL, NULL,
		outside_and_inside_ramadan, around_both_switches, zone_is_checked,
		no_init_still_counts_legal_time, pinned_clock)
