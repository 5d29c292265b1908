/* store_core.c: the SQLite store's connection: open with its durability rule and the
 * migrations, the prepared-statement cache, transactions (savepoints inside a caller's),
 * counters kept by name, the seed, and the column helpers the other store files use. */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bw_embed.h"
#include "bw_files.h"

const char *const store_sql_text[Q_COUNT] = {
	[Q_GET_REF] = "SELECT " REQ_COLS " FROM requests WHERE ref = ?1",
	[Q_GET_UID] = "SELECT " REQ_COLS " FROM requests WHERE uid = ?1",
	[Q_INSERT] = "INSERT INTO requests (uid, ref, kind, channel, admin, category, site, device, "
		"lang, text, phone, consent, name, id_number, address, contact, form, urgent, "
		"received_at, received_on, state, deadline, deadline_rule, deadline_from, code) "
		"VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,0,?21,?22,?23,?24)",
	[Q_EVENT] = "INSERT INTO events (uid, request_uid, at, actor, old_state, new_state, note) "
		"VALUES (?1,?2,?3,?4,?5,?6,?7)",
	[Q_ADMIN] = "SELECT code, name_ar, name_fr, name_zgh, officer FROM administrations WHERE code = ?1",
	[Q_NEXT_REF] = "INSERT INTO ref_counters (device_num, last_seq) VALUES (?1, 1) "
		"ON CONFLICT (device_num) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq",
	[Q_UPDATE_STATE] = "UPDATE requests SET state = ?2, deadline = ?3, deadline_rule = ?4, "
		"deadline_from = ?5, extended = ?6, reopened = reopened + ?7, "
		"answered_on = COALESCE(answered_on, ?8), "
		"answered_in_time = COALESCE(answered_in_time, ?9) WHERE uid = ?1",
	/* transaction control is on the hot path of group commit too */
	[Q_BEGIN] = "BEGIN IMMEDIATE",
	[Q_COMMIT] = "COMMIT",
	[Q_ROLLBACK] = "ROLLBACK",
	[Q_SAVEPOINT] = "SAVEPOINT op",
	[Q_RELEASE] = "RELEASE op",
	[Q_ROLLBACK_TO] = "ROLLBACK TO op",
	[Q_EVENTS] = "SELECT id, uid, request_uid, at, actor, old_state, new_state, note "
		"FROM events WHERE request_uid = ?1 ORDER BY id",
	/* moves when another connection (another process: `bawaba holiday add` beside the
	 * hub) commits to the file; asked before each use of the holiday cache */
	[Q_DATA_VERSION] = "PRAGMA data_version",
};

int store_fail(bw_store *s, bw_err *e, const char *what)
{
	return bw_fail(e, BW_EDB, "%s: %s", what, sqlite3_errmsg(s->db));
}

sqlite3_stmt *store_stmt(bw_store *s, int which, bw_err *e)
{
	if (!s->q[which] &&
	    sqlite3_prepare_v3(s->db, store_sql_text[which], -1, SQLITE_PREPARE_PERSISTENT, &s->q[which], NULL) != SQLITE_OK) {
		store_fail(s, e, "prepare");
		return NULL;
	}
	sqlite3_reset(s->q[which]);
	sqlite3_clear_bindings(s->q[which]);
	return s->q[which];
}

sqlite3_stmt *store_cached(bw_store *s, const char *sql, bw_err *e)
{
	for (size_t i = 0; i < s->ncached; i++)
		if (s->cached[i].sql == sql) {
			sqlite3_reset(s->cached[i].st);
			sqlite3_clear_bindings(s->cached[i].st);
			return s->cached[i].st;
		}
	sqlite3_stmt *st;
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		store_fail(s, e, "prepare");
		return NULL;
	}
	if (s->ncached == s->capcached) {
		s->capcached = s->capcached ? 2 * s->capcached : 16;
		s->cached = bw_xrealloc(s->cached, s->capcached * sizeof *s->cached);
	}
	s->cached[s->ncached].sql = sql;
	s->cached[s->ncached++].st = st;
	return st;
}

int store_prepare(bw_store *s, const char *sql, sqlite3_stmt **st, const char *what, bw_err *e)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) == SQLITE_OK)
		return BW_OK;
	*st = NULL;
	return store_fail(s, e, what);
}

int store_walk(bw_store *s, sqlite3_stmt *st, const char *what,
               int (*row)(sqlite3_stmt *st, void *ctx), void *ctx, bw_err *e)
{
	int rc = BW_OK, step = SQLITE_DONE;
	while (rc == BW_OK && (step = sqlite3_step(st)) == SQLITE_ROW)
		rc = row(st, ctx);
	if (rc == BW_OK && step != SQLITE_DONE)
		rc = store_fail(s, e, what);
	sqlite3_finalize(st);
	return rc;
}

int store_done(bw_store *s, sqlite3_stmt *st, const char *what, bw_err *e)
{
	int rc = sqlite3_step(st) == SQLITE_DONE ? BW_OK : store_fail(s, e, what);
	sqlite3_reset(st);
	return rc;
}

int store_exec(bw_store *s, const char *sql, bw_err *e)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int rc = bw_fail(e, BW_EDB, "%s", msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return rc;
	}
	return BW_OK;
}

int store_run(bw_store *s, int which, bw_err *e)
{
	sqlite3_stmt *st = store_stmt(s, which, e);
	if (!st)
		return BW_EDB;
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? BW_OK : store_fail(s, e, store_sql_text[which]);
}

/* Every multi-step change runs between store_tx_begin and store_tx_end. Inside a
 * caller's explicit transaction (group commit) it becomes a savepoint, so one failed
 * request rolls back alone and the batch goes on. */
int store_tx_begin(bw_store *s, bw_err *e)
{
	return store_run(s, s->in_tx ? Q_SAVEPOINT : Q_BEGIN, e);
}

int store_tx_end(bw_store *s, int rc, bw_err *e)
{
	if (rc == BW_OK || rc == BW_EEXIST) {
		int c = store_run(s, s->in_tx ? Q_RELEASE : Q_COMMIT, e);
		if (c == BW_OK)
			return rc;
		rc = c;
	}
	if (s->in_tx) {
		store_run(s, Q_ROLLBACK_TO, NULL);
		store_run(s, Q_RELEASE, NULL);
	} else {
		store_run(s, Q_ROLLBACK, NULL);
	}
	return rc;
}

int bw_store_begin(bw_store *s, bw_err *e)
{
	if (s->in_tx)
		return bw_fail(e, BW_ESTATE, "store: transaction already open");
	int rc = store_run(s, Q_BEGIN, e);
	if (rc == BW_OK)
		s->in_tx = 1;
	return rc;
}

int bw_store_commit(bw_store *s, bw_err *e)
{
	if (!s->in_tx)
		return bw_fail(e, BW_ESTATE, "store: no transaction open");
	int rc = store_run(s, Q_COMMIT, e);
	if (rc == BW_OK)
		s->in_tx = 0;
	return rc;
}

void bw_store_rollback(bw_store *s)
{
	if (s->in_tx) {
		store_run(s, Q_ROLLBACK, NULL);
		s->in_tx = 0;
		s->hvalid = 0;  /* a rolled-back holiday edit must not stay cached */
	}
}

int bw_store_schema_latest(void)
{
	int v = 0;
	for (const struct bw_sql *m = bw_migrations; m->name; m++)
		v = m->version;
	return v;
}

int bw_store_schema_version(bw_store *s)
{
	sqlite3_stmt *st;
	int v = -1;
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	return v;
}

int bw_store_counter_get(bw_store *s, const char *key, int64_t *v, bw_err *e)
{
	sqlite3_stmt *st;
	*v = 0;
	if (sqlite3_prepare_v2(s->db, "SELECT value FROM sync_state WHERE key = ?1", -1, &st, NULL) != SQLITE_OK)
		return bw_fail(e, BW_EDB, "%s: %s", key, sqlite3_errmsg(s->db));
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? BW_OK : bw_fail(e, BW_EDB, "%s: %s", key, sqlite3_errmsg(s->db));
}

int bw_store_counter_set(bw_store *s, const char *key, int64_t v, bw_err *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "INSERT INTO sync_state (key, value) VALUES (?1, ?2) "
			       "ON CONFLICT (key) DO UPDATE SET value = ?2", -1, &st, NULL) != SQLITE_OK)
		return bw_fail(e, BW_EDB, "%s: %s", key, sqlite3_errmsg(s->db));
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, v);
	int rc = sqlite3_step(st) == SQLITE_DONE ? BW_OK : bw_fail(e, BW_EDB, "%s: %s", key, sqlite3_errmsg(s->db));
	sqlite3_finalize(st);
	return rc;
}

int bw_store_synchronous(bw_store *s)
{
	sqlite3_stmt *st;
	int v = -1;
	if (sqlite3_prepare_v2(s->db, "PRAGMA synchronous", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	return v;
}

static int migrate(bw_store *s, bw_err *e)
{
	int have = bw_store_schema_version(s), latest = bw_store_schema_latest();
	if (have < 0)
		return store_fail(s, e, "schema version");
	if (have > latest)
		return bw_fail(e, BW_ESCHEMA, "database schema version %d is newer than this program's %d",
			       have, latest);
	for (const struct bw_sql *m = bw_migrations; m->name; m++) {
		if (m->version <= have)
			continue;
		char pragma[64];
		int rc = store_exec(s, "BEGIN IMMEDIATE", e);
		if (rc)
			return rc;
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", m->version);
		if ((rc = store_exec(s, m->sql, e)) || (rc = store_exec(s, pragma, e))) {
			char why[BW_ERRMSG];
			snprintf(why, sizeof why, "%s", e ? e->msg : "");
			store_exec(s, "ROLLBACK", NULL);
			return bw_fail(e, BW_ESCHEMA, "migration %s: %s", m->name, why);
		}
		if ((rc = store_exec(s, "COMMIT", e)))
			return rc;
	}
	return BW_OK;
}

int bw_store_open(bw_store **out, const char *path, int flags, bw_err *e)
{
	bw_store *s = bw_xcalloc(1, sizeof *s);
	int oflags = (flags & BW_STORE_READONLY) ? SQLITE_OPEN_READONLY
	                                         : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	int rc;
	*out = NULL;
	/* the file exists 0600 before SQLite opens it, so its -wal and -shm, which SQLite
	 * creates with the main file's mode, are private too */
	if (!(flags & BW_STORE_READONLY) && path[0] && strcmp(path, ":memory:") != 0 &&
	    strncmp(path, "file:", 5) != 0 && (rc = bw_file_private(path, e)))
		goto err;
	if (sqlite3_open_v2(path, &s->db, oflags, NULL) != SQLITE_OK) {
		rc = bw_fail(e, BW_EIO, "%s: %s", path, s->db ? sqlite3_errmsg(s->db) : "cannot open");
		goto err;
	}
	sqlite3_busy_timeout(s->db, 5000);
	sqlite3_extended_result_codes(s->db, 1);
	if (!(flags & BW_STORE_READONLY)) {
		/* WAL: readers (the agent console, `bawaba list`) never block the writer.
		 * Durability: the rule in bw_store.h (FULL unless scratch). */
		int want = (flags & BW_STORE_SCRATCH) ? 1 : 2;
		if ((rc = store_exec(s, "PRAGMA journal_mode = WAL", e)) ||
		    (rc = store_exec(s, want == 2 ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL", e)))
			goto err;
		if (bw_store_synchronous(s) != want) {
			rc = bw_fail(e, BW_EDB, "%s: SQLite did not take synchronous=%s", path,
				     want == 2 ? "FULL" : "NORMAL");
			goto err;
		}
	}
	/* Savepoints (one per request inside a group commit) keep their undo pages in a
	 * statement journal; in memory it costs no file writes. */
	/* secure_delete: what is deleted or emptied (a device forgetting a citizen's request
	 * once the hub holds it, issue 11) is overwritten with zeros, not left in free pages */
	if ((rc = store_exec(s, "PRAGMA foreign_keys = ON", e)) || (rc = store_exec(s, "PRAGMA temp_store = MEMORY", e)) ||
	    (rc = store_exec(s, "PRAGMA secure_delete = ON", e)))
		goto err;
	if (flags & BW_STORE_READONLY) {
		int have = bw_store_schema_version(s);
		if (have != bw_store_schema_latest()) {
			rc = bw_fail(e, BW_ESCHEMA, "%s: schema version %d, this program needs %d",
				     path, have, bw_store_schema_latest());
			goto err;
		}
	} else if ((rc = migrate(s, e))) {
		goto err;
	}
	*out = s;
	return BW_OK;
err:
	bw_store_close(s);
	return rc;
}

void bw_store_close(bw_store *s)
{
	if (!s)
		return;
	for (int i = 0; i < Q_COUNT; i++)
		sqlite3_finalize(s->q[i]);
	for (size_t i = 0; i < s->ncached; i++)
		sqlite3_finalize(s->cached[i].st);
	free(s->cached);
	sqlite3_close(s->db);
	free(s->hdays);
	free(s);
}

struct sqlite3 *bw_store_db(bw_store *s)
{
	return s->db;
}

int bw_store_seed(bw_store *s, bw_err *e)
{
	int rc = store_tx_begin(s, e);
	if (rc)
		return rc;
	/* The holiday seed is loaded into an empty table only: after that the table is the
	 * operator's (an Islamic holiday moved by them must not come back on a re-seed). */
	int have_holidays = 0;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT EXISTS (SELECT 1 FROM holidays)", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			have_holidays = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	for (const struct bw_sql *m = bw_seeds; m->name && rc == BW_OK; m++)
		if (have_holidays && strstr(m->name, "holidays"))
			continue;
		else if ((rc = store_exec(s, m->sql, e)) && e) {
			char why[BW_ERRMSG];
			snprintf(why, sizeof why, "%s", e->msg);
			bw_fail(e, rc, "seed %s: %s", m->name, why);
		}
	s->hvalid = 0;
	return store_tx_end(s, rc, e);
}

/* ---- small helpers ---- */

/* Reads a text column into dst[size]. A value longer than the buffer (a row written by
 * another program, or before a limit was set) is cut on a UTF-8 character boundary: half
 * a character would make the text invalid where it is published or displayed. */
void store_col_text(sqlite3_stmt *st, int i, char *dst, size_t size)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	size_t n = t ? (size_t)sqlite3_column_bytes(st, i) : 0;
	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)t[n] & 0xC0) == 0x80)
			n--;   /* t[n], the first byte left out, continues a character: leave it all out */
	}
	if (n)
		memcpy(dst, t, n);
	dst[n] = '\0';
}

void store_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

void store_bind_closed(sqlite3_stmt *st, int i)
{
	sqlite3_bind_int(st, i, BW_ST_ANSWERED);
	sqlite3_bind_int(st, i + 1, BW_ST_REJECTED);
	sqlite3_bind_int(st, i + 2, BW_ST_CLOSED);
}
