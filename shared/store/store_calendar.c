/* store_calendar.c: the holiday table in the store, its cache (reloaded when any
 * connection changed it), deadlines computed over it, and the recompute of every open
 * request's deadline when the table changes. */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bw_clock.h"
#include "bw_text.h"

void bw_store_invalidate_caches(bw_store *s)
{
	s->hvalid = 0;
}

/* PRAGMA data_version of this connection, or -1 if it cannot be read (then the cache is
 * reloaded: correct, only slower). */
static int64_t data_version(bw_store *s)
{
	sqlite3_stmt *st = store_stmt(s, Q_DATA_VERSION, NULL);
	int64_t v = -1;
	if (st && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	if (st)
		sqlite3_reset(st);
	return v;
}

int bw_store_holidays(bw_store *s, bw_holidays *out, bw_err *e)
{
	/* This connection's own holiday edits clear hvalid; data_version catches the
	 * commits of every other connection (it does not move for our own). Any commit
	 * elsewhere reloads the table: a few dozen rows, and on the hub the other writers
	 * (the operator's CLI) are rare. */
	int64_t version = data_version(s);
	if (version < 0 || version != s->hversion)
		s->hvalid = 0;
	if (!s->hvalid) {
		sqlite3_stmt *st;
		size_t cap = 64, n = 0;
		bw_day *days = bw_xmalloc(cap * sizeof *days);
		if (sqlite3_prepare_v2(s->db, "SELECT day FROM holidays ORDER BY day", -1, &st, NULL) != SQLITE_OK) {
			free(days);
			return store_fail(s, e, "holidays");
		}
		while (sqlite3_step(st) == SQLITE_ROW) {
			bw_day d;
			const char *t = (const char *)sqlite3_column_text(st, 0);
			if (bw_day_parse(t, &d, NULL) != BW_OK)
				continue;  /* the table's CHECK keeps the shape; a bad day is skipped */
			if (n == cap)
				days = bw_xrealloc(days, (cap *= 2) * sizeof *days);
			days[n++] = d;
		}
		sqlite3_finalize(st);
		free(s->hdays);
		s->hdays = days;
		s->nh = n;
		s->hvalid = 1;
		s->hversion = version;
	}
	out->days = s->hdays;
	out->n = s->nh;
	return BW_OK;
}

int store_compute_deadline(bw_store *s, const char *rule, const char *from, int extended,
                           bw_deadline *out, bw_err *e)
{
	bw_holidays h;
	bw_day d;
	int rc;
	if ((rc = bw_store_holidays(s, &h, e)) || (rc = bw_day_parse(from, &d, e)))
		return rc;
	return bw_deadline_chain(rule, d, extended, &h, out, e);
}

int bw_store_deadline(bw_store *s, const bw_request *r, bw_deadline *out, bw_err *e)
{
	bw_request tmp;
	char rule[32], from[BW_DATE_LEN + 1];
	int rc = store_get_by(s, Q_GET_UID, r->uid, &tmp, rule, from, e);
	if (rc)
		return rc;
	return store_compute_deadline(s, rule, from, tmp.extended, out, e);
}

/* Recomputes every open request's deadline after the holiday table changed; a deadline
 * that moves gets an event saying why, so the audit trail explains the new date. */
static int recompute_open(bw_store *s, const char *why, int *changed, bw_err *e)
{
	sqlite3_stmt *sel, *upd;
	int rc = BW_OK, n = 0;
	s->hvalid = 0;
	if (sqlite3_prepare_v2(s->db, "SELECT uid, deadline_rule, deadline_from, extended, deadline, state "
			       "FROM requests WHERE state NOT IN (?1, ?2, ?3)", -1, &sel, NULL) != SQLITE_OK)
		return store_fail(s, e, "recompute");
	store_bind_closed(sel, 1);
	if (sqlite3_prepare_v2(s->db, "UPDATE requests SET deadline = ?2 WHERE uid = ?1", -1, &upd, NULL) != SQLITE_OK) {
		sqlite3_finalize(sel);
		return store_fail(s, e, "recompute");
	}
	while (rc == BW_OK && sqlite3_step(sel) == SQLITE_ROW) {
		char uid[BW_UID_LEN + 1], rule[32], from[BW_DATE_LEN + 1], old[BW_DATE_LEN + 1], due[11], note[160];
		bw_deadline d;
		store_col_text(sel, 0, uid, sizeof uid);
		store_col_text(sel, 1, rule, sizeof rule);
		store_col_text(sel, 2, from, sizeof from);
		store_col_text(sel, 4, old, sizeof old);
		int state = sqlite3_column_int(sel, 5);
		if ((rc = store_compute_deadline(s, rule, from, sqlite3_column_int(sel, 3), &d, e)))
			break;
		bw_day_format(d.due, due);
		if (strcmp(due, old) == 0)
			continue;
		sqlite3_reset(upd);
		store_bind_text(upd, 1, uid);
		store_bind_text(upd, 2, due);
		if (sqlite3_step(upd) != SQLITE_DONE) {
			rc = store_fail(s, e, "recompute");
			break;
		}
		snprintf(note, sizeof note, "deadline %s -> %s (%s)", old, due, why);
		rc = store_append_event(s, uid, bw_now(), "system:calendar", state, state, note, NULL, NULL, e);
		n++;
	}
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	if (changed)
		*changed = n;
	return rc;
}

int bw_store_holiday_add(bw_store *s, const bw_holiday *h, int *recomputed, bw_err *e)
{
	bw_day d;
	sqlite3_stmt *st;
	char why[64];
	int rc = bw_day_parse(h->day, &d, e);
	if (rc)
		return rc;
	if (!h->name_fr[0] && !h->name_ar[0])
		return bw_fail(e, BW_EINVAL, "holiday %s: a name is needed", h->day);
	/* names go to every device (pub/holidays) and to screens: text by the same rule */
	for (int i = 0; i < 2; i++) {
		const char *n = i ? h->name_ar : h->name_fr, *p = n;
		if (!bw_utf8_valid(n, strlen(n)))
			return bw_fail(e, BW_EINVAL, "holiday %s: the %s name is not valid UTF-8", h->day, i ? "Arabic" : "French");
		while (*p)
			if (bw_text_is_control(bw_utf8_next(&p)))
				return bw_fail(e, BW_EINVAL, "holiday %s: the %s name holds a control character", h->day,
					       i ? "Arabic" : "French");
	}
	if ((rc = store_tx_begin(s, e)))
		return rc;
	if (sqlite3_prepare_v2(s->db, "INSERT INTO holidays (day, name_ar, name_fr, islamic, confirmed) "
			       "VALUES (?1,?2,?3,?4,?5) ON CONFLICT (day) DO UPDATE SET name_ar = ?2, "
			       "name_fr = ?3, islamic = ?4, confirmed = ?5", -1, &st, NULL) != SQLITE_OK)
		return store_tx_end(s, store_fail(s, e, "holiday"), e);
	store_bind_text(st, 1, h->day);
	store_bind_text(st, 2, h->name_ar);
	store_bind_text(st, 3, h->name_fr);
	sqlite3_bind_int(st, 4, h->islamic);
	sqlite3_bind_int(st, 5, h->confirmed);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = store_fail(s, e, "holiday");
	sqlite3_finalize(st);
	snprintf(why, sizeof why, "holiday %s added", h->day);
	if (rc == BW_OK)
		rc = recompute_open(s, why, recomputed, e);
	s->hvalid = 0;
	return store_tx_end(s, rc, e);
}

int bw_store_holiday_remove(bw_store *s, const char *day, int *recomputed, bw_err *e)
{
	bw_day d;
	sqlite3_stmt *st;
	char why[64];
	int rc = bw_day_parse(day, &d, e);
	if (rc)
		return rc;
	if ((rc = store_tx_begin(s, e)))
		return rc;
	if (sqlite3_prepare_v2(s->db, "DELETE FROM holidays WHERE day = ?1", -1, &st, NULL) != SQLITE_OK)
		return store_tx_end(s, store_fail(s, e, "holiday"), e);
	store_bind_text(st, 1, day);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = store_fail(s, e, "holiday");
	else if (sqlite3_changes(s->db) == 0)
		rc = bw_fail(e, BW_ENOTFOUND, "holiday %s: not in the table", day);
	sqlite3_finalize(st);
	snprintf(why, sizeof why, "holiday %s removed", day);
	if (rc == BW_OK)
		rc = recompute_open(s, why, recomputed, e);
	s->hvalid = 0;
	return store_tx_end(s, rc, e);
}

int bw_store_holidays_replace(bw_store *s, const bw_holiday *h, size_t n, int *recomputed, bw_err *e)
{
	sqlite3_stmt *st;
	int rc;
	for (size_t i = 0; i < n; i++) {
		bw_day d;
		if ((rc = bw_day_parse(h[i].day, &d, e)))
			return rc;
		if (!h[i].name_fr[0] && !h[i].name_ar[0])
			return bw_fail(e, BW_EINVAL, "holiday %s: a name is needed", h[i].day);
	}
	if ((rc = store_tx_begin(s, e)))
		return rc;
	if ((rc = store_exec(s, "DELETE FROM holidays", e)))
		return store_tx_end(s, rc, e);
	if (sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO holidays (day, name_ar, name_fr, islamic, confirmed) "
			       "VALUES (?1,?2,?3,?4,?5)", -1, &st, NULL) != SQLITE_OK)
		return store_tx_end(s, store_fail(s, e, "holiday"), e);
	for (size_t i = 0; i < n && rc == BW_OK; i++) {
		sqlite3_reset(st);
		store_bind_text(st, 1, h[i].day);
		store_bind_text(st, 2, h[i].name_ar);
		store_bind_text(st, 3, h[i].name_fr);
		sqlite3_bind_int(st, 4, h[i].islamic);
		sqlite3_bind_int(st, 5, h[i].confirmed);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = store_fail(s, e, "holiday");
	}
	sqlite3_finalize(st);
	if (rc == BW_OK)
		rc = recompute_open(s, "holiday table updated", recomputed, e);
	s->hvalid = 0;
	return store_tx_end(s, rc, e);
}

struct walk_holidays { int (*cb)(const bw_holiday *, void *); void *arg; };

static int holiday_row(sqlite3_stmt *st, void *ctx)
{
	struct walk_holidays *w = ctx;
	bw_holiday h;
	store_col_text(st, 0, h.day, sizeof h.day);
	store_col_text(st, 1, h.name_ar, sizeof h.name_ar);
	store_col_text(st, 2, h.name_fr, sizeof h.name_fr);
	h.islamic = sqlite3_column_int(st, 3);
	h.confirmed = sqlite3_column_int(st, 4);
	return w->cb(&h, w->arg);
}

int bw_store_holiday_list(bw_store *s, const char *from, const char *to,
                          int (*cb)(const bw_holiday *, void *), void *arg, bw_err *e)
{
	struct walk_holidays w = { cb, arg };
	sqlite3_stmt *st;
	if (store_prepare(s, "SELECT day, name_ar, name_fr, islamic, confirmed FROM holidays "
			  "WHERE (?1 IS NULL OR day >= ?1) AND (?2 IS NULL OR day <= ?2) ORDER BY day",
			  &st, "holidays", e))
		return BW_EDB;
	if (from)
		store_bind_text(st, 1, from);
	if (to)
		store_bind_text(st, 2, to);
	return store_walk(s, st, "read", holiday_row, &w, e);
}
