/* bw_store.c: the SQLite store: migrations at open, cached prepared statements, requests
 * with their append-only events, the catalogue, the holiday table and the deadlines
 * derived from it. */
#include "bw_clock.h"
#include "bw_store.h"
#include "bw_files.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bw_embed.h"
#include "bw_ref.h"
#include "bw_text.h"
#include "bw_proto.h"
#include "bw_uuid.h"

/* The statements used on hot paths, prepared once and kept (sqlite3_prepare_v3 with
 * SQLITE_PREPARE_PERSISTENT). Everything else is prepared per call. */
enum {
	Q_GET_REF, Q_GET_UID, Q_INSERT, Q_EVENT, Q_ADMIN, Q_NEXT_REF, Q_UPDATE_STATE,
	Q_EVENTS, Q_BEGIN, Q_COMMIT, Q_ROLLBACK, Q_SAVEPOINT, Q_RELEASE, Q_ROLLBACK_TO,
	Q_DATA_VERSION, Q_COUNT
};

#define REQ_COLS "uid, ref, kind, channel, admin, category, site, device, lang, text, phone, " \
	"consent, name, id_number, address, contact, form, urgent, received_at, received_on, " \
	"state, deadline, extended, deadline_rule, deadline_from, code, code_hash"

static const char *const sql_text[Q_COUNT] = {
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

/* The SQL below names the closed states by number: (5, 6, 7). */
_Static_assert(BW_ST_ANSWERED == 5 && BW_ST_REJECTED == 6 && BW_ST_CLOSED == 7,
	       "closed states are spelled as numbers in SQL");

struct bw_store {
	sqlite3 *db;
	int in_tx;              /* inside bw_store_begin .. commit */
	sqlite3_stmt *q[Q_COUNT];
	bw_day *hdays;          /* holiday cache, sorted; valid when hvalid */
	size_t nh;
	int hvalid;
	int64_t hversion;       /* PRAGMA data_version when the cache was loaded */
};

static int db_fail(bw_store *s, bw_err *e, const char *what)
{
	return bw_fail(e, BW_EDB, "%s: %s", what, sqlite3_errmsg(s->db));
}

static sqlite3_stmt *stmt(bw_store *s, int which, bw_err *e)
{
	if (!s->q[which] &&
	    sqlite3_prepare_v3(s->db, sql_text[which], -1, SQLITE_PREPARE_PERSISTENT, &s->q[which], NULL) != SQLITE_OK) {
		db_fail(s, e, "prepare");
		return NULL;
	}
	sqlite3_reset(s->q[which]);
	sqlite3_clear_bindings(s->q[which]);
	return s->q[which];
}

static int exec(bw_store *s, const char *sql, bw_err *e)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int rc = bw_fail(e, BW_EDB, "%s", msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return rc;
	}
	return BW_OK;
}

/* Every multi-step change runs between tx_begin and tx_end. Inside a caller's explicit
 * transaction (group commit) it becomes a savepoint, so one failed request rolls back
 * alone and the batch goes on. */
static int run(bw_store *s, int which, bw_err *e)
{
	sqlite3_stmt *st = stmt(s, which, e);
	if (!st)
		return BW_EDB;
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? BW_OK : db_fail(s, e, sql_text[which]);
}

static int tx_begin(bw_store *s, bw_err *e)
{
	return run(s, s->in_tx ? Q_SAVEPOINT : Q_BEGIN, e);
}

static int tx_end(bw_store *s, int rc, bw_err *e)
{
	if (rc == BW_OK || rc == BW_EEXIST) {
		int c = run(s, s->in_tx ? Q_RELEASE : Q_COMMIT, e);
		if (c == BW_OK)
			return rc;
		rc = c;
	}
	if (s->in_tx) {
		run(s, Q_ROLLBACK_TO, NULL);
		run(s, Q_RELEASE, NULL);
	} else {
		run(s, Q_ROLLBACK, NULL);
	}
	return rc;
}

int bw_store_begin(bw_store *s, bw_err *e)
{
	if (s->in_tx)
		return bw_fail(e, BW_ESTATE, "store: transaction already open");
	int rc = run(s, Q_BEGIN, e);
	if (rc == BW_OK)
		s->in_tx = 1;
	return rc;
}

int bw_store_commit(bw_store *s, bw_err *e)
{
	if (!s->in_tx)
		return bw_fail(e, BW_ESTATE, "store: no transaction open");
	int rc = run(s, Q_COMMIT, e);
	if (rc == BW_OK)
		s->in_tx = 0;
	return rc;
}

void bw_store_rollback(bw_store *s)
{
	if (s->in_tx) {
		run(s, Q_ROLLBACK, NULL);
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
		return db_fail(s, e, "schema version");
	if (have > latest)
		return bw_fail(e, BW_ESCHEMA, "database schema version %d is newer than this program's %d",
			       have, latest);
	for (const struct bw_sql *m = bw_migrations; m->name; m++) {
		if (m->version <= have)
			continue;
		char pragma[64];
		int rc = exec(s, "BEGIN IMMEDIATE", e);
		if (rc)
			return rc;
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", m->version);
		if ((rc = exec(s, m->sql, e)) || (rc = exec(s, pragma, e))) {
			char why[BW_ERRMSG];
			snprintf(why, sizeof why, "%s", e ? e->msg : "");
			exec(s, "ROLLBACK", NULL);
			return bw_fail(e, BW_ESCHEMA, "migration %s: %s", m->name, why);
		}
		if ((rc = exec(s, "COMMIT", e)))
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
		if ((rc = exec(s, "PRAGMA journal_mode = WAL", e)) ||
		    (rc = exec(s, want == 2 ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL", e)))
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
	if ((rc = exec(s, "PRAGMA foreign_keys = ON", e)) || (rc = exec(s, "PRAGMA temp_store = MEMORY", e)) ||
	    (rc = exec(s, "PRAGMA secure_delete = ON", e)))
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
	int rc = tx_begin(s, e);
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
		else if ((rc = exec(s, m->sql, e)) && e) {
			char why[BW_ERRMSG];
			snprintf(why, sizeof why, "%s", e->msg);
			bw_fail(e, rc, "seed %s: %s", m->name, why);
		}
	s->hvalid = 0;
	return tx_end(s, rc, e);
}

/* ---- small helpers ---- */

/* Reads a text column into dst[size]. A value longer than the buffer (a row written by
 * another program, or before a limit was set) is cut on a UTF-8 character boundary: half
 * a character would make the text invalid where it is published or displayed. */
static void col_text(sqlite3_stmt *st, int i, char *dst, size_t size)
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

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
	sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

static void row_to_request(sqlite3_stmt *st, bw_request *r)
{
	bw_request_init(r);
	col_text(st, 0, r->uid, sizeof r->uid);
	col_text(st, 1, r->ref, sizeof r->ref);
	r->kind = sqlite3_column_int(st, 2);
	r->channel = sqlite3_column_int(st, 3);
	col_text(st, 4, r->admin, sizeof r->admin);
	col_text(st, 5, r->category, sizeof r->category);
	col_text(st, 6, r->site, sizeof r->site);
	col_text(st, 7, r->device, sizeof r->device);
	col_text(st, 8, r->lang, sizeof r->lang);
	col_text(st, 9, r->text, sizeof r->text);
	col_text(st, 10, r->phone, sizeof r->phone);
	r->consent = sqlite3_column_int(st, 11);
	col_text(st, 12, r->name, sizeof r->name);
	col_text(st, 13, r->id_number, sizeof r->id_number);
	col_text(st, 14, r->address, sizeof r->address);
	col_text(st, 15, r->contact, sizeof r->contact);
	r->form = sqlite3_column_int(st, 16);
	r->urgent = sqlite3_column_int(st, 17);
	r->received_at = sqlite3_column_int64(st, 18);
	col_text(st, 19, r->received_on, sizeof r->received_on);
	r->state = sqlite3_column_int(st, 20);
	col_text(st, 21, r->deadline, sizeof r->deadline);
	r->extended = sqlite3_column_int(st, 22);
	col_text(st, 25, r->code, sizeof r->code);
	col_text(st, 26, r->code_hash, sizeof r->code_hash);
}

static int get_by(bw_store *s, int which, const char *key, bw_request *out,
                  char *rule, char *from, bw_err *e)
{
	sqlite3_stmt *st = stmt(s, which, e);
	if (!st)
		return BW_EDB;
	bind_text(st, 1, key);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		row_to_request(st, out);
		if (rule)
			col_text(st, 23, rule, 32);
		if (from)
			col_text(st, 24, from, BW_DATE_LEN + 1);
		sqlite3_reset(st);
		return BW_OK;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return bw_fail(e, BW_ENOTFOUND, "%s %s: no such request", which == Q_GET_REF ? "ref" : "uid", key);
	return db_fail(s, e, "get");
}

int bw_store_get(bw_store *s, const char *ref, bw_request *out, bw_err *e)
{
	return get_by(s, Q_GET_REF, ref, out, NULL, NULL, e);
}

int bw_store_get_uid(bw_store *s, const char *uid, bw_request *out, bw_err *e)
{
	return get_by(s, Q_GET_UID, uid, out, NULL, NULL, e);
}

/* ---- catalogue ---- */

int bw_store_admin_get(bw_store *s, const char *code, bw_admin *out, bw_err *e)
{
	sqlite3_stmt *st = stmt(s, Q_ADMIN, e);
	if (!st)
		return BW_EDB;
	bind_text(st, 1, code);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (out) {
			col_text(st, 0, out->code, sizeof out->code);
			col_text(st, 1, out->name_ar, sizeof out->name_ar);
			col_text(st, 2, out->name_fr, sizeof out->name_fr);
			col_text(st, 3, out->name_zgh, sizeof out->name_zgh);
			col_text(st, 4, out->officer, sizeof out->officer);
		}
		sqlite3_reset(st);
		return BW_OK;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return bw_fail(e, BW_ENOTFOUND, "admin: unknown administration \"%.40s\"", code);
	return db_fail(s, e, "admin");
}

int bw_store_admins(bw_store *s, int (*cb)(const bw_admin *, void *), void *arg, bw_err *e)
{
	sqlite3_stmt *st;
	int rc = BW_OK;
	if (sqlite3_prepare_v2(s->db, "SELECT code, name_ar, name_fr, name_zgh, officer "
			       "FROM administrations ORDER BY code", -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, e, "admins");
	int step = SQLITE_DONE;
	while (rc == BW_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		bw_admin a;
		col_text(st, 0, a.code, sizeof a.code);
		col_text(st, 1, a.name_ar, sizeof a.name_ar);
		col_text(st, 2, a.name_fr, sizeof a.name_fr);
		col_text(st, 3, a.name_zgh, sizeof a.name_zgh);
		col_text(st, 4, a.officer, sizeof a.officer);
		rc = cb(&a, arg);
	}
	/* a table read only in part must not pass for the whole table */
	if (rc == BW_OK && step != SQLITE_DONE)
		rc = db_fail(s, e, "read");
	sqlite3_finalize(st);
	return rc;
}

int bw_store_categories(bw_store *s, const char *admin, int kind,
                        int (*cb)(const bw_category *, void *), void *arg, bw_err *e)
{
	sqlite3_stmt *st;
	int rc = BW_OK;
	if (sqlite3_prepare_v2(s->db, "SELECT code, admin, kinds, name_ar, name_fr, name_zgh FROM categories "
			       "WHERE (?1 IS NULL OR admin = '' OR admin = ?1) "
			       "AND (?2 < 0 OR (kinds >> ?2) & 1) ORDER BY admin DESC, code",
			       -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, e, "categories");
	if (admin)
		bind_text(st, 1, admin);
	sqlite3_bind_int(st, 2, kind);
	int step = SQLITE_DONE;
	while (rc == BW_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		bw_category c;
		col_text(st, 0, c.code, sizeof c.code);
		col_text(st, 1, c.admin, sizeof c.admin);
		c.kinds = (unsigned)sqlite3_column_int(st, 2);
		col_text(st, 3, c.name_ar, sizeof c.name_ar);
		col_text(st, 4, c.name_fr, sizeof c.name_fr);
		col_text(st, 5, c.name_zgh, sizeof c.name_zgh);
		rc = cb(&c, arg);
	}
	/* a table read only in part must not pass for the whole table */
	if (rc == BW_OK && step != SQLITE_DONE)
		rc = db_fail(s, e, "read");
	sqlite3_finalize(st);
	return rc;
}

int bw_store_sites(bw_store *s, int (*cb)(const bw_site *, void *), void *arg, bw_err *e)
{
	sqlite3_stmt *st;
	int rc = BW_OK;
	if (sqlite3_prepare_v2(s->db, "SELECT code, admin, city, name_ar, name_fr, name_zgh FROM sites ORDER BY code",
			       -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, e, "sites");
	int step = SQLITE_DONE;
	while (rc == BW_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		bw_site x;
		col_text(st, 0, x.code, sizeof x.code);
		col_text(st, 1, x.admin, sizeof x.admin);
		col_text(st, 2, x.city, sizeof x.city);
		col_text(st, 3, x.name_ar, sizeof x.name_ar);
		col_text(st, 4, x.name_fr, sizeof x.name_fr);
		col_text(st, 5, x.name_zgh, sizeof x.name_zgh);
		rc = cb(&x, arg);
	}
	/* a table read only in part must not pass for the whole table */
	if (rc == BW_OK && step != SQLITE_DONE)
		rc = db_fail(s, e, "read");
	sqlite3_finalize(st);
	return rc;
}

int bw_store_category_ok(bw_store *s, const char *category, const char *admin, int kind)
{
	sqlite3_stmt *st;
	int ok = 0;
	if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM categories WHERE code = ?1 "
			       "AND (admin = '' OR admin = ?2) AND (kinds >> ?3) & 1", -1, &st, NULL) != SQLITE_OK)
		return 0;
	bind_text(st, 1, category);
	bind_text(st, 2, admin);
	sqlite3_bind_int(st, 3, kind);
	ok = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return ok;
}

/* ---- holidays ---- */

void bw_store_invalidate_caches(bw_store *s)
{
	s->hvalid = 0;
}

/* PRAGMA data_version of this connection, or -1 if it cannot be read (then the cache is
 * reloaded: correct, only slower). */
static int64_t data_version(bw_store *s)
{
	sqlite3_stmt *st = stmt(s, Q_DATA_VERSION, NULL);
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
			return db_fail(s, e, "holidays");
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

static int compute_deadline(bw_store *s, const char *rule, const char *from, int extended,
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
	int rc = get_by(s, Q_GET_UID, r->uid, &tmp, rule, from, e);
	if (rc)
		return rc;
	return compute_deadline(s, rule, from, tmp.extended, out, e);
}

/* given_uid: the event's uid when it was made elsewhere (bw_store_apply_event), NULL for
 * a new one. */
static int append_event(bw_store *s, const char *request_uid, int64_t at, const char *actor,
                        int old_state, int new_state, const char *note, const char *given_uid,
                        bw_event *ev, bw_err *e)
{
	char uid[BW_UID_LEN + 1];
	int rc = given_uid ? bw_strlcpy(uid, given_uid, sizeof uid) : bw_uuid_v7(uid, e);
	if (rc)
		return given_uid ? bw_fail(e, BW_EINVAL, "event uid: too long") : rc;
	sqlite3_stmt *st = stmt(s, Q_EVENT, e);
	if (!st)
		return BW_EDB;
	bind_text(st, 1, uid);
	bind_text(st, 2, request_uid);
	sqlite3_bind_int64(st, 3, at);
	bind_text(st, 4, actor);
	sqlite3_bind_int(st, 5, old_state);
	sqlite3_bind_int(st, 6, new_state);
	bind_text(st, 7, note ? note : "");
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = db_fail(s, e, "event");
		sqlite3_reset(st);
		return rc;
	}
	sqlite3_reset(st);
	if (ev) {
		memset(ev, 0, sizeof *ev);
		ev->id = sqlite3_last_insert_rowid(s->db);
		memcpy(ev->uid, uid, sizeof uid);
		bw_strlcpy(ev->request_uid, request_uid, sizeof ev->request_uid);
		ev->at = at;
		bw_strlcpy(ev->actor, actor, sizeof ev->actor);
		ev->old_state = old_state;
		ev->new_state = new_state;
		bw_strlcpy(ev->note, note ? note : "", sizeof ev->note);
	}
	return BW_OK;
}

/* Recomputes every open request's deadline after the holiday table changed; a deadline
 * that moves gets an event saying why, so the audit trail explains the new date. */
static int recompute_open(bw_store *s, const char *why, int *changed, bw_err *e)
{
	sqlite3_stmt *sel, *upd;
	int rc = BW_OK, n = 0;
	s->hvalid = 0;
	if (sqlite3_prepare_v2(s->db, "SELECT uid, deadline_rule, deadline_from, extended, deadline, state "
			       "FROM requests WHERE state NOT IN (5, 6, 7)", -1, &sel, NULL) != SQLITE_OK)
		return db_fail(s, e, "recompute");
	if (sqlite3_prepare_v2(s->db, "UPDATE requests SET deadline = ?2 WHERE uid = ?1", -1, &upd, NULL) != SQLITE_OK) {
		sqlite3_finalize(sel);
		return db_fail(s, e, "recompute");
	}
	while (rc == BW_OK && sqlite3_step(sel) == SQLITE_ROW) {
		char uid[BW_UID_LEN + 1], rule[32], from[BW_DATE_LEN + 1], old[BW_DATE_LEN + 1], due[11], note[160];
		bw_deadline d;
		col_text(sel, 0, uid, sizeof uid);
		col_text(sel, 1, rule, sizeof rule);
		col_text(sel, 2, from, sizeof from);
		col_text(sel, 4, old, sizeof old);
		int state = sqlite3_column_int(sel, 5);
		if ((rc = compute_deadline(s, rule, from, sqlite3_column_int(sel, 3), &d, e)))
			break;
		bw_day_format(d.due, due);
		if (strcmp(due, old) == 0)
			continue;
		sqlite3_reset(upd);
		bind_text(upd, 1, uid);
		bind_text(upd, 2, due);
		if (sqlite3_step(upd) != SQLITE_DONE) {
			rc = db_fail(s, e, "recompute");
			break;
		}
		snprintf(note, sizeof note, "deadline %s -> %s (%s)", old, due, why);
		rc = append_event(s, uid, bw_now(), "system:calendar", state, state, note, NULL, NULL, e);
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
	if ((rc = tx_begin(s, e)))
		return rc;
	if (sqlite3_prepare_v2(s->db, "INSERT INTO holidays (day, name_ar, name_fr, islamic, confirmed) "
			       "VALUES (?1,?2,?3,?4,?5) ON CONFLICT (day) DO UPDATE SET name_ar = ?2, "
			       "name_fr = ?3, islamic = ?4, confirmed = ?5", -1, &st, NULL) != SQLITE_OK)
		return tx_end(s, db_fail(s, e, "holiday"), e);
	bind_text(st, 1, h->day);
	bind_text(st, 2, h->name_ar);
	bind_text(st, 3, h->name_fr);
	sqlite3_bind_int(st, 4, h->islamic);
	sqlite3_bind_int(st, 5, h->confirmed);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_fail(s, e, "holiday");
	sqlite3_finalize(st);
	snprintf(why, sizeof why, "holiday %s added", h->day);
	if (rc == BW_OK)
		rc = recompute_open(s, why, recomputed, e);
	s->hvalid = 0;
	return tx_end(s, rc, e);
}

int bw_store_holiday_remove(bw_store *s, const char *day, int *recomputed, bw_err *e)
{
	bw_day d;
	sqlite3_stmt *st;
	char why[64];
	int rc = bw_day_parse(day, &d, e);
	if (rc)
		return rc;
	if ((rc = tx_begin(s, e)))
		return rc;
	if (sqlite3_prepare_v2(s->db, "DELETE FROM holidays WHERE day = ?1", -1, &st, NULL) != SQLITE_OK)
		return tx_end(s, db_fail(s, e, "holiday"), e);
	bind_text(st, 1, day);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_fail(s, e, "holiday");
	else if (sqlite3_changes(s->db) == 0)
		rc = bw_fail(e, BW_ENOTFOUND, "holiday %s: not in the table", day);
	sqlite3_finalize(st);
	snprintf(why, sizeof why, "holiday %s removed", day);
	if (rc == BW_OK)
		rc = recompute_open(s, why, recomputed, e);
	s->hvalid = 0;
	return tx_end(s, rc, e);
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
	if ((rc = tx_begin(s, e)))
		return rc;
	if ((rc = exec(s, "DELETE FROM holidays", e)))
		return tx_end(s, rc, e);
	if (sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO holidays (day, name_ar, name_fr, islamic, confirmed) "
			       "VALUES (?1,?2,?3,?4,?5)", -1, &st, NULL) != SQLITE_OK)
		return tx_end(s, db_fail(s, e, "holiday"), e);
	for (size_t i = 0; i < n && rc == BW_OK; i++) {
		sqlite3_reset(st);
		bind_text(st, 1, h[i].day);
		bind_text(st, 2, h[i].name_ar);
		bind_text(st, 3, h[i].name_fr);
		sqlite3_bind_int(st, 4, h[i].islamic);
		sqlite3_bind_int(st, 5, h[i].confirmed);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_fail(s, e, "holiday");
	}
	sqlite3_finalize(st);
	if (rc == BW_OK)
		rc = recompute_open(s, "holiday table updated", recomputed, e);
	s->hvalid = 0;
	return tx_end(s, rc, e);
}

int bw_store_holiday_list(bw_store *s, const char *from, const char *to,
                          int (*cb)(const bw_holiday *, void *), void *arg, bw_err *e)
{
	sqlite3_stmt *st;
	int rc = BW_OK;
	if (sqlite3_prepare_v2(s->db, "SELECT day, name_ar, name_fr, islamic, confirmed FROM holidays "
			       "WHERE (?1 IS NULL OR day >= ?1) AND (?2 IS NULL OR day <= ?2) ORDER BY day",
			       -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, e, "holidays");
	if (from)
		bind_text(st, 1, from);
	if (to)
		bind_text(st, 2, to);
	int step = SQLITE_DONE;
	while (rc == BW_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		bw_holiday h;
		col_text(st, 0, h.day, sizeof h.day);
		col_text(st, 1, h.name_ar, sizeof h.name_ar);
		col_text(st, 2, h.name_fr, sizeof h.name_fr);
		h.islamic = sqlite3_column_int(st, 3);
		h.confirmed = sqlite3_column_int(st, 4);
		rc = cb(&h, arg);
	}
	/* a table read only in part must not pass for the whole table */
	if (rc == BW_OK && step != SQLITE_DONE)
		rc = db_fail(s, e, "read");
	sqlite3_finalize(st);
	return rc;
}

/* ---- requests ---- */

int bw_store_next_ref(bw_store *s, unsigned device_num, char ref[13], bw_err *e)
{
	if (device_num > BW_REF_DEVICE_MAX)
		return bw_fail(e, BW_EINVAL, "device number %u: at most %u", device_num, BW_REF_DEVICE_MAX);
	sqlite3_stmt *st = stmt(s, Q_NEXT_REF, e);
	if (!st)
		return BW_EDB;
	sqlite3_bind_int(st, 1, (int)device_num);
	if (sqlite3_step(st) != SQLITE_ROW) {
		int rc = db_fail(s, e, "next ref");
		sqlite3_reset(st);
		return rc;
	}
	int64_t seq = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (seq > BW_REF_SEQ_MAX)
		return bw_fail(e, BW_ETOOBIG, "device number %u: reference sequence exhausted", device_num);
	return bw_ref_make(device_num, (uint32_t)seq, ref, e);
}

int bw_store_insert(bw_store *s, bw_request *r, const char *actor, bw_err *e)
{
	bw_deadline d;
	char due[11];
	const char *rule;
	int rc;

	if ((rc = bw_request_validate(r, e)))
		return rc;
	/* the receipt code: the device's when it made one, else a new one (desk, paper, SMS) */
	if (r->code[0] && !bw_rcode_valid(r->code))
		return bw_fail(e, BW_EINVAL, "code: not %d digits", BW_RCODE_LEN);
	if (!r->code[0] && (rc = bw_rcode_make(r->code, e)))
		return rc;
	/* Inside a group commit the insert needs no savepoint of its own: every check comes
	 * before the first write, a failed INSERT statement undoes itself, and if the event
	 * cannot be written the request row is taken out again (see below). Savepoints cost
	 * a statement journal per request, a third of the insert rate. */
	int own = !s->in_tx;
	if (own && (rc = tx_begin(s, e)))
		return rc;
	if ((rc = bw_store_admin_get(s, r->admin, NULL, e))) {
		if (rc == BW_ENOTFOUND)
			rc = BW_EINVAL;  /* for the caller this is bad input, not a missing row */
		goto seen;
	}
	if (r->category[0] && !bw_store_category_ok(s, r->category, r->admin, r->kind)) {
		rc = bw_fail(e, BW_EINVAL, "category: \"%s\" is not a %s category of %s", r->category,
			     bw_kind_name(r->kind), r->admin);
		goto seen;
	}
	rule = bw_rule_initial(r->kind, r->urgent);
	if ((rc = compute_deadline(s, rule, r->received_on, 0, &d, e)))
		goto out;
	bw_day_format(d.due, due);

	sqlite3_stmt *st = stmt(s, Q_INSERT, e);
	if (!st) {
		rc = BW_EDB;
		goto out;
	}
	bind_text(st, 1, r->uid);
	bind_text(st, 2, r->ref);
	sqlite3_bind_int(st, 3, r->kind);
	sqlite3_bind_int(st, 4, r->channel);
	bind_text(st, 5, r->admin);
	bind_text(st, 6, r->category);
	bind_text(st, 7, r->site);
	bind_text(st, 8, r->device);
	bind_text(st, 9, r->lang);
	bind_text(st, 10, r->text);
	bind_text(st, 11, r->phone);
	sqlite3_bind_int(st, 12, r->consent);
	bind_text(st, 13, r->name);
	bind_text(st, 14, r->id_number);
	bind_text(st, 15, r->address);
	bind_text(st, 16, r->contact);
	sqlite3_bind_int(st, 17, r->form);
	sqlite3_bind_int(st, 18, r->urgent);
	sqlite3_bind_int64(st, 19, r->received_at);
	bind_text(st, 20, r->received_on);
	bind_text(st, 21, due);
	bind_text(st, 22, rule);
	bind_text(st, 23, r->received_on);
	bind_text(st, 24, r->code);
	int src = sqlite3_step(st);
	sqlite3_reset(st);
	if (src == SQLITE_CONSTRAINT_UNIQUE) {
		rc = bw_fail(e, BW_EEXIST, "ref %s: already used by another request", r->ref);
		goto seen;
	}
	if (src != SQLITE_DONE) {
		rc = db_fail(s, e, "insert");
		goto out;
	}
	r->state = BW_ST_RECEIVED;
	r->extended = 0;
	memcpy(r->deadline, due, sizeof r->deadline);
	rc = append_event(s, r->uid, r->received_at, actor, -1, BW_ST_RECEIVED, "", NULL, NULL, e);
	if (rc != BW_OK && !own) {
		sqlite3_stmt *del;
		if (sqlite3_prepare_v2(s->db, "DELETE FROM requests WHERE uid = ?1", -1, &del, NULL) == SQLITE_OK) {
			bind_text(del, 1, r->uid);
			sqlite3_step(del);
			sqlite3_finalize(del);
		}
	}
	goto out;
seen:
	/* Idempotent: the same uid sent again (a device that missed its ack) changes nothing
	 * and gets its stored reference back. Looked up only when the insert could not go
	 * ahead, so the common path pays for one unique index, not an extra query. */
	if (bw_store_get_uid(s, r->uid, r, NULL) == BW_OK)
		rc = bw_fail(e, BW_EEXIST, "uid %s: already stored as %s", r->uid, r->ref);
out:
	return own ? tx_end(s, rc, e) : rc;
}

void bw_filter_init(bw_filter *f)
{
	memset(f, 0, sizeof *f);
	f->state = f->kind = f->channel = -1;
}

int bw_store_list(bw_store *s, const bw_filter *f,
                  int (*cb)(const bw_request *, void *), void *arg, bw_err *e)
{
	/* One fixed statement; an unused filter binds NULL (or -1) and matches everything. */
	static const char sql[] = "SELECT " REQ_COLS " FROM requests WHERE "
		"(?1 < 0 OR state = ?1) AND (?2 < 0 OR kind = ?2) AND (?3 < 0 OR channel = ?3) "
		"AND (?4 IS NULL OR admin = ?4) AND (?5 IS NULL OR site = ?5) AND (?6 IS NULL OR device = ?6) "
		"AND (?7 IS NULL OR (state NOT IN (5, 6, 7) AND deadline < ?7)) "
		"AND (?8 IS NULL OR received_on >= ?8) AND (?9 IS NULL OR received_on <= ?9) "
		"ORDER BY deadline, id LIMIT ?10";
	sqlite3_stmt *st;
	int rc = BW_OK;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, e, "list");
	sqlite3_bind_int(st, 1, f->state);
	sqlite3_bind_int(st, 2, f->kind);
	sqlite3_bind_int(st, 3, f->channel);
	if (f->admin)
		bind_text(st, 4, f->admin);
	if (f->site)
		bind_text(st, 5, f->site);
	if (f->device)
		bind_text(st, 6, f->device);
	if (f->overdue_on)
		bind_text(st, 7, f->overdue_on);
	if (f->from)
		bind_text(st, 8, f->from);
	if (f->to)
		bind_text(st, 9, f->to);
	sqlite3_bind_int(st, 10, f->limit > 0 ? f->limit : -1);
	bw_request *r = bw_xmalloc(sizeof *r);
	int step;
	while (rc == BW_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		row_to_request(st, r);
		rc = cb(r, arg);
	}
	if (rc == BW_OK && step != SQLITE_DONE)
		rc = db_fail(s, e, "list");
	free(r);
	sqlite3_finalize(st);
	return rc;
}

/* ---- lifecycle ---- */

/* *once = 1 if the request `uid` was ever extended. Law 31.13 allows one extension over
 * the request's whole life, but the extended column only says whether the current clock
 * includes one (an appeal restarts the clock without it), so the events are asked. */
static int ever_extended(bw_store *s, const char *uid, int *once, bw_err *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT EXISTS (SELECT 1 FROM events WHERE request_uid = ?1 "
			       "AND new_state = ?2 AND old_state IS NOT ?2)", -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, e, "events");
	bind_text(st, 1, uid);
	sqlite3_bind_int(st, 2, BW_ST_EXTENDED);
	int rc = sqlite3_step(st) == SQLITE_ROW ? BW_OK : db_fail(s, e, "events");
	if (rc == BW_OK)
		*once = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc;
}

int bw_store_appeal_window(bw_store *s, const bw_request *r, bw_day *since, bw_day *until,
                           int *on_silence, bw_err *e)
{
	sqlite3_stmt *st;
	bw_holidays h;
	bw_deadline d = { 0 };
	int rc, answered = 0;
	int64_t at = 0;
	/* an open request is appealed on silence: its current deadline is the one missed */
	if (!bw_state_is_open(r->state)) {
		if (sqlite3_prepare_v2(s->db, "SELECT at FROM events WHERE request_uid = ?1 AND new_state IN (?2, ?3) "
				       "AND old_state IS NOT new_state ORDER BY id DESC LIMIT 1", -1, &st, NULL) != SQLITE_OK)
			return db_fail(s, e, "events");
		bind_text(st, 1, r->uid);
		sqlite3_bind_int(st, 2, BW_ST_ANSWERED);
		sqlite3_bind_int(st, 3, BW_ST_REJECTED);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			answered = 1;
			at = sqlite3_column_int64(st, 0);
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return db_fail(s, e, "events");
	}
	if (answered)
		*since = bw_legal_day(at);
	else if ((rc = bw_day_parse(r->deadline, since, e)))
		return rc;
	if ((rc = bw_store_holidays(s, &h, e)))
		return rc;
	bw_deadline_compute(bw_rule_get("appeal-window"), *since, &h, &d);
	*until = d.due;
	if (on_silence)
		*on_silence = !answered;
	return BW_OK;
}

static int transition(bw_store *s, const char *ref, enum bw_state to, const char *actor,
                      const char *note_in, int64_t at, const char *given_uid, bw_event *ev, bw_err *e)
{
	/* a note is text like a request's: the same rule for control characters */
	char *note = note_in ? bw_xstrdup(note_in) : NULL;
	if (note)
		bw_text_strip_controls(note);
	bw_request *r = bw_xmalloc(sizeof *r);
	char rule[32], from[BW_DATE_LEN + 1], today[11], due[11];
	bw_deadline d;
	int rc, reopened = 0;
	bw_day day = bw_legal_day(at);

	if ((unsigned)to >= BW_ST_COUNT) {
		rc = bw_fail(e, BW_EINVAL, "state: unknown (%d)", (int)to);
		goto done;
	}
	if (!actor || !actor[0] || strlen(actor) > BW_ACTOR_MAX) {
		rc = bw_fail(e, BW_EINVAL, "actor: missing or longer than %d", BW_ACTOR_MAX);
		goto done;
	}
	if (note && (!bw_utf8_valid(note, strlen(note)) || bw_utf8_len(note) > BW_NOTE_MAX)) {
		rc = bw_fail(e, BW_EINVAL, "note: invalid UTF-8 or longer than %d characters", BW_NOTE_MAX);
		goto done;
	}
	if (bw_state_needs_note(to) && (!note || !*note)) {
		rc = bw_fail(e, BW_EINVAL, "note: required to move to %s (%s)", bw_state_name(to),
			     to == BW_ST_ANSWERED ? "the answer" : to == BW_ST_ASSIGNED ? "to whom" : "the reason");
		goto done;
	}
	if ((rc = tx_begin(s, e)))
		goto done;
	if ((rc = get_by(s, Q_GET_REF, ref, r, rule, from, e)))
		goto out;
	int once = r->extended;
	if (to == BW_ST_EXTENDED && !once && (rc = ever_extended(s, r->uid, &once, e)))
		goto out;
	if (!bw_state_allowed(r->kind, r->state, to, once)) {
		rc = bw_fail(e, BW_ESTATE, "%s (%s): cannot go from %s to %s%s", ref, bw_kind_name(r->kind),
			     bw_state_name(r->state), bw_state_name(to),
			     to == BW_ST_EXTENDED && once ? " (already extended once)" : "");
		goto out;
	}
	bw_day_format(day, today);
	/* art. 16: the requester is told of the extension, with its reason, before the
	 * deadline ends; after it, the request is late, not extended */
	if (to == BW_ST_EXTENDED && strcmp(today, r->deadline) > 0) {
		rc = bw_fail(e, BW_ESTATE, "%s: the deadline ended on %s: an extension must be announced to the "
			     "requester before the deadline ends (law 31.13 art. 16)", ref, r->deadline);
		goto out;
	}
	if (to == BW_ST_UNDER_APPEAL && bw_state_is_open(r->state) && strcmp(today, r->deadline) <= 0) {
		rc = bw_fail(e, BW_ESTATE, "%s: an appeal on silence is possible only after the deadline (%s)",
			     ref, r->deadline);
		goto out;
	}
	if (to == BW_ST_UNDER_APPEAL) {
		bw_day since, until;
		int silence;
		char d1[11], d2[11];
		if ((rc = bw_store_appeal_window(s, r, &since, &until, &silence, e)))
			goto out;
		if (day > until) {
			rc = bw_fail(e, BW_ESTATE, "%s: the time to appeal ended on %s (20 working days after %s %s, "
				     "law 31.13 art. 19)", ref, bw_day_format(until, d1),
				     silence ? "the deadline passed without an answer on" : "the answer of",
				     bw_day_format(since, d2));
			goto out;
		}
	}
	int extended = r->extended;
	if (to == BW_ST_EXTENDED) {
		extended = 1;
	} else if (to == BW_ST_REOPENED) {
		snprintf(rule, sizeof rule, "decree");
		memcpy(from, today, sizeof from);
		extended = 0;
		reopened = 1;
	} else if (to == BW_ST_UNDER_APPEAL) {
		snprintf(rule, sizeof rule, "appeal-answer");
		memcpy(from, today, sizeof from);
		extended = 0;
	}
	if ((rc = compute_deadline(s, rule, from, extended, &d, e)))
		goto out;
	bw_day_format(d.due, due);

	sqlite3_stmt *st = stmt(s, Q_UPDATE_STATE, e);
	if (!st) {
		rc = BW_EDB;
		goto out;
	}
	int answering = to == BW_ST_ANSWERED || to == BW_ST_REJECTED;
	bind_text(st, 1, r->uid);
	sqlite3_bind_int(st, 2, to);
	bind_text(st, 3, due);
	bind_text(st, 4, rule);
	bind_text(st, 5, from);
	sqlite3_bind_int(st, 6, extended);
	sqlite3_bind_int(st, 7, reopened);
	if (answering) {
		bind_text(st, 8, today);
		sqlite3_bind_int(st, 9, strcmp(today, r->deadline) <= 0);
	}
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_fail(s, e, "transition");
	sqlite3_reset(st);
	if (rc == BW_OK)
		rc = append_event(s, r->uid, at, actor, r->state, to, note, given_uid, ev, e);
out:
	rc = tx_end(s, rc, e);
done:
	free(r);
	free(note);
	return rc;
}

int bw_store_transition(bw_store *s, const char *ref, enum bw_state to, const char *actor,
                        const char *note, int64_t at, bw_event *ev, bw_err *e)
{
	return transition(s, ref, to, actor, note, at, NULL, ev, e);
}

int bw_store_apply_event(bw_store *s, const bw_event *in, bw_event *out, bw_err *e)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(s->db, "SELECT id, uid, request_uid, at, actor, old_state, new_state, note "
			       "FROM events WHERE uid = ?1", -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, e, "event");
	bind_text(st, 1, in->uid);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (out) {
			out->id = sqlite3_column_int64(st, 0);
			col_text(st, 1, out->uid, sizeof out->uid);
			col_text(st, 2, out->request_uid, sizeof out->request_uid);
			out->at = sqlite3_column_int64(st, 3);
			col_text(st, 4, out->actor, sizeof out->actor);
			out->old_state = sqlite3_column_int(st, 5);
			out->new_state = sqlite3_column_int(st, 6);
			col_text(st, 7, out->note, sizeof out->note);
		}
		sqlite3_finalize(st);
		return bw_fail(e, BW_EEXIST, "event %s: stored already", in->uid);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(s, e, "event");
	if (!in->uid[0] || strlen(in->uid) > BW_UID_LEN)
		return bw_fail(e, BW_EINVAL, "event uid: missing or too long");
	bw_request *r = bw_xmalloc(sizeof *r);
	char rule[32], from[BW_DATE_LEN + 1];
	rc = get_by(s, Q_GET_UID, in->request_uid, r, rule, from, e);
	if (rc == BW_OK)
		rc = transition(s, r->ref, in->new_state, in->actor, in->note, in->at, in->uid, out, e);
	free(r);
	return rc;
}

int bw_store_forget(bw_store *s, const char *uid, int keep_phone, bw_err *e)
{
	sqlite3_stmt *st;
	char code[BW_RCODE_LEN + 1] = "", hash[128] = "";
	if (sqlite3_prepare_v2(s->db, "SELECT code FROM requests WHERE uid = ?1", -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, e, "forget");
	bind_text(st, 1, uid);
	if (sqlite3_step(st) == SQLITE_ROW)
		col_text(st, 0, code, sizeof code);
	sqlite3_finalize(st);
	/* a gateway answers a status SMS by the sender's number, never by the code: it keeps
	 * no trace of it; a kiosk keeps the hash to open the answer offline */
	if (code[0] && !keep_phone && bw_rcode_hash(code, hash, sizeof hash, e))
		return BW_EIO;
	if (sqlite3_prepare_v2(s->db, "UPDATE requests SET text = '', name = '', id_number = '', address = '', "
			       "contact = '', phone = CASE WHEN ?3 THEN phone ELSE '' END, code = '', "
			       "code_hash = CASE WHEN ?2 <> '' THEN ?2 ELSE code_hash END WHERE uid = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, e, "forget");
	bind_text(st, 1, uid);
	bind_text(st, 2, hash);
	sqlite3_bind_int(st, 3, keep_phone != 0);
	int rc = sqlite3_step(st) == SQLITE_DONE ? BW_OK : db_fail(s, e, "forget");
	sqlite3_finalize(st);
	memset(code, 0, sizeof code);
	return rc;
}

int bw_store_events(bw_store *s, const char *request_uid,
                    int (*cb)(const bw_event *, void *), void *arg, bw_err *e)
{
	sqlite3_stmt *st = stmt(s, Q_EVENTS, e);
	int rc = BW_OK, step;
	if (!st)
		return BW_EDB;
	bind_text(st, 1, request_uid);
	bw_event *ev = bw_xmalloc(sizeof *ev);
	while (rc == BW_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		ev->id = sqlite3_column_int64(st, 0);
		col_text(st, 1, ev->uid, sizeof ev->uid);
		col_text(st, 2, ev->request_uid, sizeof ev->request_uid);
		ev->at = sqlite3_column_int64(st, 3);
		col_text(st, 4, ev->actor, sizeof ev->actor);
		ev->old_state = sqlite3_column_int(st, 5);
		ev->new_state = sqlite3_column_int(st, 6);
		col_text(st, 7, ev->note, sizeof ev->note);
		rc = cb(ev, arg);
	}
	sqlite3_reset(st);
	free(ev);
	return rc;
}

/* ---- indicators ---- */

int bw_store_report(bw_store *s, const char *from, const char *to, const char *today,
                    const char *site, const char *admin,
                    int (*cb)(const bw_report_row *, void *), void *arg, bw_err *e)
{
	sqlite3_stmt *st;
	int rc = BW_OK;
	if (sqlite3_prepare_v2(s->db, "SELECT admin, kind, count(*), count(answered_on), "
			       "sum(answered_in_time IS 1), sum(reopened > 0), "
			       "sum(answered_on IS NULL AND deadline < ?5) FROM requests "
			       "WHERE (?1 IS NULL OR received_on >= ?1) AND (?2 IS NULL OR received_on <= ?2) "
			       "AND (?3 IS NULL OR site = ?3) AND (?4 IS NULL OR admin = ?4) "
			       "GROUP BY admin, kind ORDER BY admin, kind", -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, e, "report");
	if (site)
		bind_text(st, 3, site);
	if (admin)
		bind_text(st, 4, admin);
	if (from)
		bind_text(st, 1, from);
	if (to)
		bind_text(st, 2, to);
	if (today)
		bind_text(st, 5, today);
	int step = SQLITE_DONE;
	while (rc == BW_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		bw_report_row row;
		col_text(st, 0, row.admin, sizeof row.admin);
		row.kind = sqlite3_column_int(st, 1);
		row.total = sqlite3_column_int64(st, 2);
		row.answered = sqlite3_column_int64(st, 3);
		row.answered_in_time = sqlite3_column_int64(st, 4);
		row.reopened = sqlite3_column_int64(st, 5);
		row.overdue = sqlite3_column_int64(st, 6);
		rc = cb(&row, arg);
	}
	/* a table read only in part must not pass for the whole table */
	if (rc == BW_OK && step != SQLITE_DONE)
		rc = db_fail(s, e, "read");
	sqlite3_finalize(st);
	return rc;
}
