/* guard.c: the times a device states checked against the hub's, and the receipt-code
 * tries counted in the hub's database over sliding windows (see guard.h). */
#include "guard.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "bw_calendar.h"
#include "bw_clock.h"
#include "bw_err.h"

int64_t guard_event_time(int64_t at, int64_t received_at, int64_t last_at, int64_t now,
                         char *why, size_t size)
{
	int64_t floor = received_at > last_at ? received_at : last_at;
	char buf[128];
	if (at > now + GUARD_SKEW_MAX)
		snprintf(buf, sizeof buf, "at %lld is %lld s ahead of the hub's clock", (long long)at,
			 (long long)(at - now));
	else if (at < now - GUARD_PAST_MAX)
		snprintf(buf, sizeof buf, "at %lld is %lld days back", (long long)at,
			 (long long)((now - at) / 86400));
	else if (at < received_at)
		snprintf(buf, sizeof buf, "at %lld is before the request's receipt (%lld)", (long long)at,
			 (long long)received_at);
	else if (at < last_at)
		snprintf(buf, sizeof buf, "at %lld is before the request's previous event (%lld)",
			 (long long)at, (long long)last_at);
	else
		buf[0] = '\0';
	if (why && size)
		snprintf(why, size, "%s", buf);
	if (!buf[0])
		return at;
	/* the hub's time, but never before what the timeline holds already (an earlier
	 * event may carry a device time a little ahead, within GUARD_SKEW_MAX) */
	return now > floor ? now : floor;
}

int guard_request_time(bw_request *r, int64_t now)
{
	if (r->received_at <= now + GUARD_SKEW_MAX)
		return 0;
	char today[BW_DATE_LEN + 1];
	r->received_at = now;
	bw_day_format(bw_legal_day(now), today);
	if (strcmp(r->received_on, today) > 0)
		memcpy(r->received_on, today, sizeof today);
	return 1;
}

/* ---- receipt codes ---- */

static int count_since(sqlite3 *db, const char *sql, const char *key, int64_t since, int *n)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
		return BW_EDB;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, since);
	int rc = sqlite3_step(st) == SQLITE_ROW ? BW_OK : BW_EDB;
	*n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc;
}

int guard_code_allowed(sqlite3 *db, const guard_codes *g, const char *device, const char *ref,
                       int64_t now, char *why, size_t size)
{
	int n = 0, rc;
	if (why && size)
		why[0] = '\0';
	if ((rc = count_since(db, "SELECT count(*) FROM code_tries WHERE device = ?1 AND at > ?2",
			      device, now - g->device_window, &n)))
		return rc;
	if (n >= g->device_max) {
		if (why)
			snprintf(why, size, "%d wrong receipt codes through this device in %d minutes",
				 n, g->device_window / 60);
		return 0;
	}
	if ((rc = count_since(db, "SELECT count(*) FROM code_tries WHERE ref = ?1 AND at > ?2",
			      ref, now - g->request_window, &n)))
		return rc;
	if (n >= g->request_max) {
		if (why)
			snprintf(why, size, "%d wrong receipt codes for this reference in %d hours",
				 n, g->request_window / 3600);
		return 0;
	}
	return 1;
}

int guard_code_wrong(sqlite3 *db, const guard_codes *g, const char *device, const char *ref,
                     int64_t now)
{
	sqlite3_stmt *st;
	int rc = BW_OK;
	int64_t keep = g->device_window > g->request_window ? g->device_window : g->request_window;
	if (sqlite3_prepare_v3(db, "INSERT INTO code_tries (at, device, ref) VALUES (?1, ?2, ?3)", -1,
			       SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
		return BW_EDB;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, device, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, ref, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = BW_EDB;
	sqlite3_finalize(st);
	if (rc == BW_OK && sqlite3_prepare_v3(db, "DELETE FROM code_tries WHERE at <= ?1", -1,
					      SQLITE_PREPARE_PERSISTENT, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, now - keep);
		sqlite3_step(st);
		sqlite3_finalize(st);
	}
	return rc;
}
