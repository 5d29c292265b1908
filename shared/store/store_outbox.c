/* store_outbox.c: a device's outbox in its own store: the rows (a request or a citizen's
 * event, as sent on the wire) that wait for the hub's acknowledgement, and what the
 * device keeps once the hub holds them. */
#include "store_int.h"

#include <string.h>

/* file-scope arrays: their address is the key of store_cached */
static const char sql_add_req[] =
	"INSERT INTO outbox (type, uid, payload, created_at) VALUES ('req', ?1, ?2, ?3)";
static const char sql_add_evt[] =
	"INSERT INTO outbox (type, uid, payload, created_at) VALUES ('evt', ?1, ?2, ?3)";
static const char sql_next[] =
	"SELECT seq, uid, type, payload FROM outbox WHERE acked_at IS NULL AND seq > ?1 "
	"ORDER BY seq LIMIT ?2";
static const char sql_get[] =
	"SELECT seq, uid, type, payload FROM outbox WHERE seq = ?1 AND acked_at IS NULL";
static const char sql_ack[] =
	"UPDATE outbox SET acked_at = ?2, status = ?3, error = ?4 WHERE uid = ?1 AND acked_at IS NULL";
static const char sql_retry[] =
	"UPDATE outbox SET attempts = attempts + 1, next_try_at = ?2 WHERE seq = ?1";
static const char sql_error[] = "UPDATE outbox SET error = ?2 WHERE seq = ?1";
static const char sql_forget[] = "UPDATE outbox SET payload = '' WHERE uid = ?1";
static const char sql_depth[] = "SELECT count(*) FROM outbox WHERE acked_at IS NULL";
static const char sql_deadline[] =
	"UPDATE requests SET deadline = ?2 WHERE uid = ?1 AND deadline <> ?2 "
	"AND NOT EXISTS (SELECT 1 FROM notify_log WHERE request_uid = ?1)";

int bw_store_outbox_add(bw_store *s, int is_evt, const char *uid, const char *payload, size_t len,
                        int64_t at, bw_err *e)
{
	sqlite3_stmt *st = store_cached(s, is_evt ? sql_add_evt : sql_add_req, e);
	if (!st)
		return BW_EDB;
	sqlite3_bind_text(st, 1, uid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, payload, (int)len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, at);
	return store_done(s, st, "outbox", e);
}

/* Calls cb with each row st gives, until it returns non-zero; the payload is valid during
 * the call only. */
static int rows(bw_store *s, sqlite3_stmt *st, int (*cb)(const bw_outbox_row *, void *),
                void *arg, int *n, bw_err *e)
{
	bw_outbox_row row;
	int step, rc = BW_OK;
	*n = 0;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		row.seq = sqlite3_column_int64(st, 0);
		store_col_text(st, 1, row.uid, sizeof row.uid);
		row.is_evt = strcmp((const char *)sqlite3_column_text(st, 2), "evt") == 0;
		row.payload = (const char *)sqlite3_column_text(st, 3);
		row.len = (size_t)sqlite3_column_bytes(st, 3);
		(*n)++;
		if (cb(&row, arg))
			break;   /* the caller has what it wants */
	}
	if (step != SQLITE_DONE && step != SQLITE_ROW)
		rc = store_fail(s, e, "outbox");
	sqlite3_reset(st);
	return rc;
}

int bw_store_outbox_next(bw_store *s, int64_t after, int limit,
                         int (*cb)(const bw_outbox_row *, void *), void *arg, bw_err *e)
{
	int n;
	sqlite3_stmt *st = store_cached(s, sql_next, e);
	if (!st)
		return BW_EDB;
	sqlite3_bind_int64(st, 1, after);
	sqlite3_bind_int(st, 2, limit);
	return rows(s, st, cb, arg, &n, e);
}

int bw_store_outbox_get(bw_store *s, int64_t seq, int (*cb)(const bw_outbox_row *, void *),
                        void *arg, bw_err *e)
{
	int n, rc;
	sqlite3_stmt *st = store_cached(s, sql_get, e);
	if (!st)
		return BW_EDB;
	sqlite3_bind_int64(st, 1, seq);
	if ((rc = rows(s, st, cb, arg, &n, e)))
		return rc;
	return n ? BW_OK : bw_fail(e, BW_ENOTFOUND, "outbox row %lld: acknowledged", (long long)seq);
}

int bw_store_outbox_ack(bw_store *s, const char *uid, int64_t at, const char *status,
                        const char *reason, int *changed, bw_err *e)
{
	sqlite3_stmt *st = store_cached(s, sql_ack, e);
	*changed = 0;
	if (!st)
		return BW_EDB;
	sqlite3_bind_text(st, 1, uid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, at);
	sqlite3_bind_text(st, 3, status, -1, SQLITE_STATIC);
	if (reason && reason[0])
		sqlite3_bind_text(st, 4, reason, -1, SQLITE_STATIC);
	int rc = store_done(s, st, "outbox: ack", e);
	if (rc == BW_OK)
		*changed = sqlite3_changes(s->db) > 0;
	return rc;
}

/* A statement of one integer key and an optional second value. */
static int update_seq(bw_store *s, const char *sql, int64_t seq, const int64_t *num,
                      const char *text, const char *what, bw_err *e)
{
	sqlite3_stmt *st = store_cached(s, sql, e);
	if (!st)
		return BW_EDB;
	sqlite3_bind_int64(st, 1, seq);
	if (num)
		sqlite3_bind_int64(st, 2, *num);
	else
		sqlite3_bind_text(st, 2, text, -1, SQLITE_TRANSIENT);
	return store_done(s, st, what, e);
}

int bw_store_outbox_retry(bw_store *s, int64_t seq, int64_t next_try_at, bw_err *e)
{
	return update_seq(s, sql_retry, seq, &next_try_at, NULL, "outbox: attempts", e);
}

int bw_store_outbox_error(bw_store *s, int64_t seq, const char *why, bw_err *e)
{
	return update_seq(s, sql_error, seq, NULL, why, "outbox: error", e);
}

int bw_store_outbox_forget(bw_store *s, const char *uid, bw_err *e)
{
	sqlite3_stmt *st = store_cached(s, sql_forget, e);
	if (!st)
		return BW_EDB;
	sqlite3_bind_text(st, 1, uid, -1, SQLITE_STATIC);
	return store_done(s, st, "outbox: empty the payload", e);
}

long bw_store_outbox_depth(bw_store *s)
{
	sqlite3_stmt *st = store_cached(s, sql_depth, NULL);
	long n = -1;
	if (st && sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	if (st)
		sqlite3_reset(st);
	return n;
}

int bw_store_hub_deadline(bw_store *s, const char *uid, const char *day, int *changed, bw_err *e)
{
	sqlite3_stmt *st = store_cached(s, sql_deadline, e);
	*changed = 0;
	if (!st)
		return BW_EDB;
	sqlite3_bind_text(st, 1, uid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, day, -1, SQLITE_STATIC);
	int rc = store_done(s, st, "the hub's deadline", e);
	if (rc == BW_OK)
		*changed = sqlite3_changes(s->db) > 0;
	return rc;
}

int bw_store_wal_truncate(bw_store *s, bw_err *e)
{
	return store_exec(s, "PRAGMA wal_checkpoint(TRUNCATE)", e);
}
