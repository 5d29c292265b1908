/* store_notify.c: the status changes the hub notifies to a device, into the device's own
 * store: the notification log (which makes a replay harmless and gives the cursor the hub
 * replays from), the event, and the request's state and deadline. */
#include "store_int.h"

/* The SQL below spells the extended state as a number: (?2 = 4). */
_Static_assert(BW_ST_EXTENDED == 4, "the extended state is spelled as 4 in SQL");

/* file-scope arrays: their address is the key of store_cached */
static const char sql_log[] =
	"INSERT OR IGNORE INTO notify_log (event_id, device, prev, request_uid) VALUES (?1, ?2, ?3, ?4)";
static const char sql_held[] = "SELECT 1 FROM requests WHERE uid = ?1";
static const char sql_event[] =
	"INSERT OR IGNORE INTO events (uid, request_uid, at, actor, old_state, new_state, note) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
/* an older notification replayed late must not move the state back */
static const char sql_state[] =
	"UPDATE requests SET state = ?2, deadline = COALESCE(?3, deadline), "
	"deadline_rule = COALESCE(?5, deadline_rule), deadline_from = COALESCE(?6, deadline_from), "
	"extended = CASE WHEN ?7 IS NULL THEN extended OR ?2 = 4 ELSE ?7 END "
	"WHERE uid = ?1 AND NOT EXISTS (SELECT 1 FROM notify_log WHERE request_uid = ?1 AND event_id > ?4)";
static const char sql_next[] =
	"SELECT event_id FROM notify_log WHERE device = ?1 AND prev = ?2 ORDER BY event_id LIMIT 1";

/* The notification's event, and the request's state and deadline after it. */
static int apply(bw_store *s, const bw_notice *n, bw_err *e)
{
	const bw_event *ev = n->ev;
	sqlite3_stmt *st = store_cached(s, sql_event, e);
	int rc;
	if (!st)
		return BW_EDB;
	sqlite3_bind_text(st, 1, ev->uid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, ev->request_uid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, ev->at);
	sqlite3_bind_text(st, 4, ev->actor, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, ev->old_state);
	sqlite3_bind_int(st, 6, ev->new_state);
	sqlite3_bind_text(st, 7, ev->note, -1, SQLITE_STATIC);
	if ((rc = store_done(s, st, "notification: event", e)))
		return rc;
	if (!(st = store_cached(s, sql_state, e)))
		return BW_EDB;
	sqlite3_bind_text(st, 1, ev->request_uid, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, ev->new_state);
	if (n->deadline && n->deadline[0])
		sqlite3_bind_text(st, 3, n->deadline, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, n->id);
	if (n->rule && n->from) {
		sqlite3_bind_text(st, 5, n->rule, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, n->from, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 7, n->extended);
	}
	return store_done(s, st, "notification: request", e);
}

int bw_store_notice_record(bw_store *s, const bw_notice *n, int *fresh, int *held, bw_err *e)
{
	sqlite3_stmt *st = store_cached(s, sql_held, e);
	int rc;
	*fresh = *held = 0;
	if (!st)
		return BW_EDB;
	sqlite3_bind_text(st, 1, n->ev->request_uid, -1, SQLITE_STATIC);
	*held = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	if (!(st = store_cached(s, sql_log, e)))
		return BW_EDB;
	sqlite3_bind_int64(st, 1, n->id);
	sqlite3_bind_text(st, 2, n->device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, n->prev);
	sqlite3_bind_text(st, 4, n->ev->request_uid, -1, SQLITE_STATIC);
	if ((rc = store_done(s, st, "notification log", e)))
		return rc;
	*fresh = sqlite3_changes(s->db) == 1;
	return *fresh && *held ? apply(s, n, e) : BW_OK;
}

int bw_store_notice_cursor(bw_store *s, const char *device, int64_t from, int64_t *to, bw_err *e)
{
	sqlite3_stmt *st = store_cached(s, sql_next, e);
	int step;
	*to = from;
	if (!st)
		return BW_EDB;
	for (;;) {
		sqlite3_bind_text(st, 1, device, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, *to);
		if ((step = sqlite3_step(st)) != SQLITE_ROW)
			break;
		*to = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? BW_OK : store_fail(s, e, "notification log: cursor");
}
