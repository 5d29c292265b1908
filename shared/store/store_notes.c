/* store_notes.c: what the hub tells devices, in the SQLite store: the events after a
 * cursor with their request, each one sent to a device recorded in notify_log chained to
 * the device's previous one, and a device's notifications after its own cursor (replay). */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

static const char sql_last_id[] = "SELECT COALESCE(max(id), 0) FROM events";
static const char sql_last_at[] = "SELECT COALESCE(max(at), 0) FROM events WHERE request_uid = ?1";

/* The single integer of a one-row statement, bound to key when not NULL. */
static int one_int64(bw_store *s, const char *sql, const char *key, int64_t *v, bw_err *e)
{
	sqlite3_stmt *st = store_cached(s, sql, e);
	*v = 0;
	if (!st)
		return BW_EDB;
	if (key)
		store_bind_text(st, 1, key);
	int rc = sqlite3_step(st) == SQLITE_ROW ? BW_OK : store_fail(s, e, "events");
	if (rc == BW_OK)
		*v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc;
}

int bw_store_last_event_id(bw_store *s, int64_t *id, bw_err *e)
{
	return one_int64(s, sql_last_id, NULL, id, e);
}

int bw_store_last_event_at(bw_store *s, const char *request_uid, int64_t *at, bw_err *e)
{
	return one_int64(s, sql_last_at, request_uid, at, e);
}

/* the columns row_note reads, then the device and the previous notification */
#define NOTE_COLS "e.id, e.uid, e.request_uid, e.at, e.actor, e.old_state, e.new_state, e.note, " \
	"r.ref, r.site, r.admin, r.deadline, r.deadline_rule, r.deadline_from, r.extended"
static const char sql_after[] = "SELECT " NOTE_COLS ", r.device, 0 FROM events e "
	"JOIN requests r ON r.uid = e.request_uid WHERE e.id > ?1 ORDER BY e.id LIMIT ?2";
static const char sql_notes[] = "SELECT " NOTE_COLS ", n.device, n.prev FROM notify_log n "
	"JOIN events e ON e.id = n.event_id JOIN requests r ON r.uid = n.request_uid "
	"WHERE n.device = ?1 AND n.event_id > ?2 ORDER BY n.event_id LIMIT ?3";

static void row_note(sqlite3_stmt *st, bw_note *n)
{
	memset(n, 0, sizeof *n);
	n->ev.id = sqlite3_column_int64(st, 0);
	store_col_text(st, 1, n->ev.uid, sizeof n->ev.uid);
	store_col_text(st, 2, n->ev.request_uid, sizeof n->ev.request_uid);
	n->ev.at = sqlite3_column_int64(st, 3);
	store_col_text(st, 4, n->ev.actor, sizeof n->ev.actor);
	n->ev.old_state = sqlite3_column_int(st, 5);
	n->ev.new_state = sqlite3_column_int(st, 6);
	store_col_text(st, 7, n->ev.note, sizeof n->ev.note);
	store_col_text(st, 8, n->ref, sizeof n->ref);
	store_col_text(st, 9, n->site, sizeof n->site);
	store_col_text(st, 10, n->admin, sizeof n->admin);
	store_col_text(st, 11, n->deadline, sizeof n->deadline);
	store_col_text(st, 12, n->rule, sizeof n->rule);
	store_col_text(st, 13, n->from, sizeof n->from);
	n->extended = sqlite3_column_int(st, 14) != 0;
	store_col_text(st, 15, n->device, sizeof n->device);
	n->prev = sqlite3_column_int64(st, 16);
}

/* the walk's caller's callback, and the note each row is read into */
struct note_walk {
	int (*cb)(const bw_note *, void *);
	void *arg;
	bw_note *n;
};

static int note_row(sqlite3_stmt *st, void *ctx)
{
	struct note_walk *w = ctx;
	row_note(st, w->n);
	return w->cb(w->n, w->arg);
}

/* Walks st (bound, prepared for this walk) with a note on the heap (a note is large). */
static int walk(bw_store *s, sqlite3_stmt *st, int (*cb)(const bw_note *, void *), void *arg,
                bw_err *e)
{
	struct note_walk w = { cb, arg, bw_xmalloc(sizeof *w.n) };
	int rc = store_walk(s, st, "events", note_row, &w, e);
	free(w.n);
	return rc;
}

int bw_store_events_after(bw_store *s, int64_t after, int limit,
                          int (*cb)(const bw_note *, void *), void *arg, bw_err *e)
{
	sqlite3_stmt *st;
	if (store_prepare(s, sql_after, &st, "events", e))
		return BW_EDB;
	sqlite3_bind_int64(st, 1, after);
	sqlite3_bind_int(st, 2, limit);
	return walk(s, st, cb, arg, e);
}

int bw_store_notes(bw_store *s, const char *device, int64_t after, int limit,
                   int (*cb)(const bw_note *, void *), void *arg, bw_err *e)
{
	sqlite3_stmt *st;
	if (store_prepare(s, sql_notes, &st, "notify_log", e))
		return BW_EDB;
	store_bind_text(st, 1, device);
	sqlite3_bind_int64(st, 2, after);
	sqlite3_bind_int(st, 3, limit);
	return walk(s, st, cb, arg, e);
}

static const char sql_prev[] = "SELECT COALESCE(max(event_id), 0) FROM notify_log WHERE device = ?1";
static const char sql_add[] = "INSERT INTO notify_log (event_id, device, prev, request_uid) "
			      "VALUES (?1, ?2, ?3, ?4)";

int bw_store_note_add(bw_store *s, const bw_note *n, int64_t *prev, bw_err *e)
{
	int rc = one_int64(s, sql_prev, n->device, prev, e);
	sqlite3_stmt *st = rc ? NULL : store_cached(s, sql_add, e);
	if (!st)
		return BW_EDB;
	sqlite3_bind_int64(st, 1, n->ev.id);
	store_bind_text(st, 2, n->device);
	sqlite3_bind_int64(st, 3, *prev);
	store_bind_text(st, 4, n->ev.request_uid);
	return store_done(s, st, "notify_log", e);
}
