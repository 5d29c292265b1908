/* test_guard.c: the hub's checks of the times a device states, and the receipt-code
 * tries counted in a real hub database over sliding windows (hub/guard.c). */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bw_store.h"
#include "hub/guard.h"

#define NOW 1800000000   /* 2027-01-15 */

START_TEST(event_time_bounds)
{
	char why[128];
	int64_t rcv = NOW - 3 * 86400, last = NOW - 86400;
	/* believable: kept, whatever the device's small drift */
	ck_assert_int_eq(guard_event_time(NOW - 3600, rcv, last, NOW, why, sizeof why), NOW - 3600);
	ck_assert_str_eq(why, "");
	ck_assert_int_eq(guard_event_time(NOW + 200, rcv, last, NOW, why, sizeof why), NOW + 200);
	/* a dead clock battery (2001), before the receipt, before the last event, ahead */
	ck_assert_int_eq(guard_event_time(1004000000, rcv, last, NOW, why, sizeof why), NOW);
	ck_assert_msg(strstr(why, "days back"), "%s", why);
	ck_assert_int_eq(guard_event_time(NOW - 10 * 86400, NOW - 5 * 86400, 0, NOW, why, sizeof why), NOW);
	ck_assert_msg(strstr(why, "before the request's receipt"), "%s", why);
	ck_assert_int_eq(guard_event_time(last - 1, rcv, last, NOW, why, sizeof why), NOW);
	ck_assert_msg(strstr(why, "before the request's previous event"), "%s", why);
	ck_assert_int_eq(guard_event_time(NOW + 3600, rcv, last, NOW, why, sizeof why), NOW);
	ck_assert_msg(strstr(why, "3600 s ahead"), "%s", why);
	/* the hub's time never goes before what the timeline holds (an earlier event a
	 * little ahead of the hub's clock) */
	ck_assert_int_eq(guard_event_time(0, rcv, NOW + 100, NOW, NULL, 0), NOW + 100);
}
END_TEST

START_TEST(request_time_ahead)
{
	bw_request r;
	memset(&r, 0, sizeof r);
	r.received_at = NOW + 200;
	strcpy(r.received_on, "2027-01-15");
	ck_assert_int_eq(guard_request_time(&r, NOW), 0);
	ck_assert_int_eq(r.received_at, NOW + 200);
	r.received_at = NOW + 20 * 3600;   /* "tomorrow" */
	strcpy(r.received_on, "2027-01-16");
	ck_assert_int_eq(guard_request_time(&r, NOW), 1);
	ck_assert_int_eq(r.received_at, NOW);
	ck_assert_str_eq(r.received_on, "2027-01-15");
}
END_TEST

START_TEST(code_tries_sliding_windows)
{
	char path[] = "/tmp/bw-guard-XXXXXX", why[128];
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	bw_store *st;
	ck_assert_int_eq(bw_store_open(&st, path, 0, NULL), BW_OK);
	sqlite3 *db = bw_store_db(st);
	guard_codes g = { .device_max = 5, .device_window = 3600, .request_max = 3, .request_window = 86400 };
	/* 3 wrong codes on one reference close it for a day, through any device */
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(guard_code_allowed(db, &g, "k1", "000100000011", NOW + i, why, sizeof why), 1);
		ck_assert_int_eq(guard_code_wrong(db, &g, "k1", "000100000011", NOW + i), BW_OK);
	}
	ck_assert_int_eq(guard_code_allowed(db, &g, "k2", "000100000011", NOW + 10, why, sizeof why), 0);
	ck_assert_str_eq(why, "3 wrong receipt codes for this reference in 24 hours");
	ck_assert_int_eq(guard_code_allowed(db, &g, "k2", "000100000011", NOW + 86400 + 2, NULL, 0), 1);
	/* 5 wrong codes through one device close it for an hour, on any reference */
	ck_assert_int_eq(guard_code_wrong(db, &g, "k1", "000100000022", NOW + 20), BW_OK);
	ck_assert_int_eq(guard_code_wrong(db, &g, "k1", "000100000033", NOW + 30), BW_OK);
	ck_assert_int_eq(guard_code_allowed(db, &g, "k1", "000100000044", NOW + 40, why, sizeof why), 0);
	ck_assert_str_eq(why, "5 wrong receipt codes through this device in 60 minutes");
	ck_assert_int_eq(guard_code_allowed(db, &g, "k2", "000100000044", NOW + 40, NULL, 0), 1);
	/* sliding: an hour after the first tries, those have left the window */
	ck_assert_int_eq(guard_code_allowed(db, &g, "k1", "000100000044", NOW + 3599, NULL, 0), 0);
	ck_assert_int_eq(guard_code_allowed(db, &g, "k1", "000100000044", NOW + 3602, NULL, 0), 1);
	/* rows older than both windows go as new ones come */
	ck_assert_int_eq(guard_code_wrong(db, &g, "k9", "000900000011", NOW + 2 * 86400), BW_OK);
	sqlite3_stmt *q;
	sqlite3_prepare_v2(db, "SELECT count(*) FROM code_tries", -1, &q, NULL);
	ck_assert_int_eq(sqlite3_step(q), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(q, 0), 1);
	sqlite3_finalize(q);
	bw_store_close(st);
	/* kept across a restart: a new connection sees the same rows */
	ck_assert_int_eq(bw_store_open(&st, path, 0, NULL), BW_OK);
	for (int i = 0; i < 3; i++)
		guard_code_wrong(bw_store_db(st), &g, "k3", "000300000011", NOW + 2 * 86400 + i);
	bw_store_close(st);
	ck_assert_int_eq(bw_store_open(&st, path, 0, NULL), BW_OK);
	ck_assert_int_eq(guard_code_allowed(bw_store_db(st), &g, "k4", "000300000011", NOW + 2 * 86400 + 5, NULL, 0), 0);
	bw_store_close(st);
	unlink(path);
	char side[64];
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}
END_TEST

Suite *suite_guard(void)
{
	Suite *s = suite_create("guard");
	TCase *t = tcase_create("core");
	tcase_add_test(t, event_time_bounds);
	tcase_add_test(t, request_time_ahead);
	tcase_add_test(t, code_tries_sliding_windows);
	suite_add_tcase(s, t);
	return s;
}
