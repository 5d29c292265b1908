/* smsdb.c: the SMS gateway's tables through prepared statements (one table of SQL, each
 * statement prepared once on the store's connection and reset after use). */
#include "smsdb.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bw_uuid.h"

enum {
	Q_IN_ADD, Q_IN_FIND, Q_IN_NEXT, Q_IN_DONE, Q_IN_DELETED,
	Q_OUT_ADD, Q_OUT_DUE, Q_OUT_SENT, Q_OUT_RETRY, Q_OUT_DROP_NOTIFY, Q_OUT_HOLD, Q_OUT_DROP, Q_OUT_PENDING, Q_PART_ADD, Q_PART_EACH,
	Q_CONV_GET, Q_CONV_PUT, Q_CONV_DEL, Q_CONV_EXPIRED,
	Q_OPT_GET, Q_OPT_SET, Q_OPT_DEL,
	Q_SND_GET, Q_SND_PUT,
	Q_COUNT
};

static const char *const sql[Q_COUNT] = {
	[Q_IN_ADD] = "INSERT INTO sms_inbox (sender, modem, sent_at, received_at, text, text_hash, "
		     "parts, parts_total, coding, req_uid) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10) "
		     "ON CONFLICT (sender, sent_at, text_hash) DO NOTHING",
	[Q_IN_FIND] = "SELECT id, req_uid FROM sms_inbox WHERE sender = ?1 AND sent_at = ?2 AND text_hash = ?3",
	[Q_IN_NEXT] = "SELECT id, sender, modem, sent_at, received_at, parts, parts_total, coding, "
		      "req_uid, text FROM sms_inbox WHERE state = 'new' ORDER BY id LIMIT 1",
	[Q_IN_DONE] = "UPDATE sms_inbox SET state = 'done', outcome = ?2 WHERE id = ?1",
	/* place-based keys are minus a modem location, above -2^32; given up below it */
	[Q_IN_DELETED] = "UPDATE sms_inbox SET sent_at = -4294967296 - id "
			 "WHERE id = ?1 AND sent_at < 0 AND sent_at > -4294967296",
	[Q_OUT_ADD] = "INSERT INTO sms_outbox (dest, text, lang, purpose, inbox_id, event_uid, "
		      "next_try_at, created_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8) ON CONFLICT DO NOTHING",
	[Q_OUT_DUE] = "SELECT id, dest, lang, attempts, text, purpose FROM sms_outbox WHERE state = 'queued' "
		      "AND next_try_at <= ?1 AND id > ?2 ORDER BY id LIMIT 1",
	[Q_OUT_SENT] = "UPDATE sms_outbox SET state = 'sent', modem = ?2, parts = ?3, coding = ?4, "
		       "sent_at = ?5, attempts = attempts + 1, error = NULL WHERE id = ?1",
	[Q_OUT_RETRY] = "UPDATE sms_outbox SET modem = ?2, attempts = ?3, "
			"next_try_at = max(?4, 0), error = ?5, "
			"state = CASE WHEN ?4 < 0 THEN 'failed' ELSE 'queued' END WHERE id = ?1",
	[Q_OUT_DROP_NOTIFY] = "UPDATE sms_outbox SET state = 'dropped', error = 'STOP' "
			      "WHERE dest = ?1 AND purpose = 'notify' AND state = 'queued'",
	[Q_OUT_HOLD] = "UPDATE sms_outbox SET next_try_at = ?1 WHERE state = 'queued' "
		       "AND purpose = 'notify' AND next_try_at < ?1",
	[Q_OUT_DROP] = "UPDATE sms_outbox SET state = 'dropped', error = ?2 WHERE id = ?1 AND state = 'queued'",
	[Q_OUT_PENDING] = "SELECT count(*) FROM sms_outbox WHERE state = 'queued'",
	[Q_PART_ADD] = "INSERT OR REPLACE INTO sms_sent_parts (outbox_id, part, parts, dest, modem, "
		       "coding, text, sent_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
	[Q_PART_EACH] = "SELECT part, parts, modem, text FROM sms_sent_parts WHERE outbox_id = ?1 "
			"ORDER BY id",
	[Q_CONV_GET] = "SELECT phone, step, kind, admin, lang, text, name, id_number, updated_at, "
		       "expires_at FROM sms_conversations WHERE phone = ?1",
	[Q_CONV_PUT] = "INSERT OR REPLACE INTO sms_conversations (phone, step, kind, admin, lang, "
		       "text, name, id_number, updated_at, expires_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
	[Q_CONV_DEL] = "DELETE FROM sms_conversations WHERE phone = ?1",
	[Q_CONV_EXPIRED] = "SELECT phone, step, kind, admin, lang, text, name, id_number, updated_at, "
			   "expires_at FROM sms_conversations WHERE expires_at < ?1 LIMIT 1",
	[Q_OPT_GET] = "SELECT 1 FROM sms_optouts WHERE phone = ?1",
	[Q_OPT_SET] = "INSERT OR IGNORE INTO sms_optouts (phone, at) VALUES (?1, ?2)",
	[Q_OPT_DEL] = "DELETE FROM sms_optouts WHERE phone = ?1",
	[Q_SND_GET] = "SELECT win_start, win_count, junk_start, junk_count, last_hash, repeats, "
		      "muted_until, help_at FROM sms_senders WHERE phone = ?1",
	[Q_SND_PUT] = "INSERT OR REPLACE INTO sms_senders (phone, win_start, win_count, junk_start, "
		      "junk_count, last_hash, repeats, muted_until, help_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
};

struct sms_db {
	bw_store *st;
	sqlite3 *db;
	sqlite3_stmt *q[Q_COUNT];
};

int sms_db_open(sms_db **out, bw_store *st, bw_err *e)
{
	*out = NULL;
	if (bw_store_schema_version(st) < 3)
		return bw_fail(e, BW_ESCHEMA, "database: schema %d has no SMS tables (needs 3)",
			       bw_store_schema_version(st));
	sms_db *d = bw_xcalloc(1, sizeof *d);
	d->st = st;
	d->db = bw_store_db(st);
	for (int i = 0; i < Q_COUNT; i++) {
		if (sqlite3_prepare_v3(d->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &d->q[i], NULL)) {
			int rc = bw_fail(e, BW_EDB, "sms tables: %s", sqlite3_errmsg(d->db));
			sms_db_close(d);
			return rc;
		}
	}
	*out = d;
	return BW_OK;
}

void sms_db_close(sms_db *d)
{
	if (!d)
		return;
	for (int i = 0; i < Q_COUNT; i++)
		sqlite3_finalize(d->q[i]);
	free(d);
}

bw_store *sms_db_store(sms_db *d)
{
	return d->st;
}

/* The statement i, reset and with no bindings, ready to bind. */
static sqlite3_stmt *q(sms_db *d, int i)
{
	sqlite3_reset(d->q[i]);
	sqlite3_clear_bindings(d->q[i]);
	return d->q[i];
}

static int dbfail(sms_db *d, sqlite3_stmt *s, bw_err *e, const char *what)
{
	int rc = bw_fail(e, BW_EDB, "%s: %s", what, sqlite3_errmsg(d->db));
	sqlite3_reset(s);
	return rc;
}

/* Runs a statement that returns no row. */
static int exec(sms_db *d, sqlite3_stmt *s, bw_err *e, const char *what)
{
	if (sqlite3_step(s) != SQLITE_DONE)
		return dbfail(d, s, e, what);
	sqlite3_reset(s);
	return BW_OK;
}

static void col_text(sqlite3_stmt *s, int i, char *dst, size_t size)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	bw_strlcpy(dst, t ? (const char *)t : "", size);
}

#define TXT(s, i, v) sqlite3_bind_text((s), (i), (v), -1, SQLITE_STATIC)

void sms_text_hash(const char *s, char out[17])
{
	uint64_t h = 1469598103934665603ULL;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		h ^= *p;
		h *= 1099511628211ULL;
	}
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* ---- inbox ---- */

int sms_db_inbox_add(sms_db *d, sms_in *m, bw_err *e)
{
	char hash[17];
	int rc;
	sms_text_hash(m->text, hash);
	if ((rc = bw_uuid_v7(m->req_uid, e)))
		return rc;
	sqlite3_stmt *s = q(d, Q_IN_ADD);
	TXT(s, 1, m->sender);
	TXT(s, 2, m->modem);
	sqlite3_bind_int64(s, 3, m->sent_at);
	sqlite3_bind_int64(s, 4, m->received_at);
	TXT(s, 5, m->text);
	TXT(s, 6, hash);
	sqlite3_bind_int(s, 7, m->parts);
	sqlite3_bind_int(s, 8, m->parts_total);
	TXT(s, 9, m->coding);
	TXT(s, 10, m->req_uid);
	if ((rc = exec(d, s, e, "inbox")))
		return rc;
	if (sqlite3_changes(d->db) == 1) {
		m->id = sqlite3_last_insert_rowid(d->db);
		return BW_OK;
	}
	s = q(d, Q_IN_FIND);
	TXT(s, 1, m->sender);
	sqlite3_bind_int64(s, 2, m->sent_at);
	TXT(s, 3, hash);
	if (sqlite3_step(s) != SQLITE_ROW)
		return dbfail(d, s, e, "inbox");
	m->id = sqlite3_column_int64(s, 0);
	col_text(s, 1, m->req_uid, sizeof m->req_uid);
	sqlite3_reset(s);
	return bw_fail(e, BW_EEXIST, "inbox: message already stored (row %lld)", (long long)m->id);
}

int sms_db_inbox_next(sms_db *d, sms_in *out, bw_err *e)
{
	sqlite3_stmt *s = q(d, Q_IN_NEXT);
	int r = sqlite3_step(s);
	if (r == SQLITE_DONE) {
		sqlite3_reset(s);
		return BW_ENOTFOUND;
	}
	if (r != SQLITE_ROW)
		return dbfail(d, s, e, "inbox");
	out->id = sqlite3_column_int64(s, 0);
	col_text(s, 1, out->sender, sizeof out->sender);
	col_text(s, 2, out->modem, sizeof out->modem);
	out->sent_at = sqlite3_column_int64(s, 3);
	out->received_at = sqlite3_column_int64(s, 4);
	out->parts = sqlite3_column_int(s, 5);
	out->parts_total = sqlite3_column_int(s, 6);
	col_text(s, 7, out->coding, sizeof out->coding);
	col_text(s, 8, out->req_uid, sizeof out->req_uid);
	col_text(s, 9, out->text, sizeof out->text);
	sqlite3_reset(s);
	return BW_OK;
}

int sms_db_inbox_deleted(sms_db *d, int64_t id, bw_err *e)
{
	sqlite3_stmt *s = q(d, Q_IN_DELETED);
	sqlite3_bind_int64(s, 1, id);
	return exec(d, s, e, "inbox");
}

int sms_db_inbox_done(sms_db *d, int64_t id, const char *outcome, bw_err *e)
{
	sqlite3_stmt *s = q(d, Q_IN_DONE);
	sqlite3_bind_int64(s, 1, id);
	TXT(s, 2, outcome);
	return exec(d, s, e, "inbox");
}

/* ---- send queue ---- */

int sms_db_outbox_add(sms_db *d, const char *dest, const char *text, const char *lang,
                      int64_t inbox_id, const char *event_uid, int64_t not_before,
                      int64_t now, bw_err *e)
{
	sqlite3_stmt *s = q(d, Q_OUT_ADD);
	int rc;
	TXT(s, 1, dest);
	TXT(s, 2, text);
	TXT(s, 3, lang);
	TXT(s, 4, inbox_id > 0 ? "reply" : "notify");
	if (inbox_id > 0)
		sqlite3_bind_int64(s, 5, inbox_id);
	if (event_uid)
		TXT(s, 6, event_uid);
	sqlite3_bind_int64(s, 7, not_before);
	sqlite3_bind_int64(s, 8, now);
	if ((rc = exec(d, s, e, "send queue")))
		return rc;
	if (sqlite3_changes(d->db) == 0)
		return bw_fail(e, BW_EEXIST, "send queue: already queued");
	return BW_OK;
}

int sms_db_outbox_due(sms_db *d, int64_t now, int64_t after_id, sms_out *out, bw_err *e)
{
	sqlite3_stmt *s = q(d, Q_OUT_DUE);
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int64(s, 2, after_id);
	int r = sqlite3_step(s);
	if (r == SQLITE_DONE) {
		sqlite3_reset(s);
		return BW_ENOTFOUND;
	}
	if (r != SQLITE_ROW)
		return dbfail(d, s, e, "send queue");
	out->id = sqlite3_column_int64(s, 0);
	col_text(s, 1, out->dest, sizeof out->dest);
	col_text(s, 2, out->lang, sizeof out->lang);
	out->attempts = sqlite3_column_int(s, 3);
	col_text(s, 4, out->text, sizeof out->text);
	col_text(s, 5, out->purpose, sizeof out->purpose);
	sqlite3_reset(s);
	return BW_OK;
}

int sms_db_outbox_sent(sms_db *d, int64_t id, const char *modem, int parts,
                       const char *coding, int64_t now, bw_err *e)
{
	sqlite3_stmt *s = q(d, Q_OUT_SENT);
	sqlite3_bind_int64(s, 1, id);
	TXT(s, 2, modem);
	sqlite3_bind_int(s, 3, parts);
	TXT(s, 4, coding);
	sqlite3_bind_int64(s, 5, now);
	return exec(d, s, e, "send queue");
}

int sms_db_outbox_retry(sms_db *d, int64_t id, const char *modem, int attempts,
                        int64_t next_try_at, const char *error, bw_err *e)
{
	sqlite3_stmt *s = q(d, Q_OUT_RETRY);
	sqlite3_bind_int64(s, 1, id);
	TXT(s, 2, modem);
	sqlite3_bind_int(s, 3, attempts);
	sqlite3_bind_int64(s, 4, next_try_at);
	TXT(s, 5, error);
	return exec(d, s, e, "send queue");
}

int sms_db_outbox_drop_notify(sms_db *d, const char *dest, bw_err *e)
{
	sqlite3_stmt *s = q(d, Q_OUT_DROP_NOTIFY);
	TXT(s, 1, dest);
	return exec(d, s, e, "send queue");
}

int sms_db_outbox_hold_notify(sms_db *d, int64_t until, int *held, bw_err *e)
{
	sqlite3_stmt *s = q(d, Q_OUT_HOLD);
	int rc;
	sqlite3_bind_int64(s, 1, until);
	rc = exec(d, s, e, "send queue");
	if (held)
		*held = rc == BW_OK ? sqlite3_changes(d->db) : 0;
	return rc;
}

int sms_db_outbox_drop(sms_db *d, int64_t id, const char *why, bw_err *e)
{
	sqlite3_stmt *s = q(d, Q_OUT_DROP);
	sqlite3_bind_int64(s, 1, id);
	TXT(s, 2, why);
	return exec(d, s, e, "send queue");
}

int sms_db_part_add(sms_db *d, int64_t outbox_id, int part, int parts, const char *dest,
                    const char *modem, const char *coding, const char *text, int64_t now,
                    bw_err *e)
{
	sqlite3_stmt *s = q(d, Q_PART_ADD);
	sqlite3_bind_int64(s, 1, outbox_id);
	sqlite3_bind_int(s, 2, part);
	sqlite3_bind_int(s, 3, parts);
	TXT(s, 4, dest);
	TXT(s, 5, modem);
	TXT(s, 6, coding);
	TXT(s, 7, text);
	sqlite3_bind_int64(s, 8, now);
	return exec(d, s, e, "sent parts");
}

int sms_db_parts_each(sms_db *d, int64_t outbox_id, sms_part_fn fn, void *arg, bw_err *e)
{
	sqlite3_stmt *s = q(d, Q_PART_EACH);
	char modem[BW_CODE_MAX + 1], *text = bw_xmalloc(SMS_OUT_SIZE);
	int r;
	sqlite3_bind_int64(s, 1, outbox_id);
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		col_text(s, 2, modem, sizeof modem);
		col_text(s, 3, text, SMS_OUT_SIZE);
		if (fn(arg, sqlite3_column_int(s, 0), sqlite3_column_int(s, 1), modem, text)) {
			r = SQLITE_DONE;
			break;
		}
	}
	free(text);
	if (r != SQLITE_DONE)
		return dbfail(d, s, e, "sent parts");
	sqlite3_reset(s);
	return BW_OK;
}

long sms_db_outbox_pending(sms_db *d)
{
	sqlite3_stmt *s = q(d, Q_OUT_PENDING);
	long n = sqlite3_step(s) == SQLITE_ROW ? (long)sqlite3_column_int64(s, 0) : -1;
	sqlite3_reset(s);
	return n;
}

/* ---- conversations ---- */

static int conv_row(sms_db *d, sqlite3_stmt *s, sms_conversation *c, bw_err *e)
{
	int r = sqlite3_step(s);
	if (r == SQLITE_DONE) {
		sqlite3_reset(s);
		return BW_ENOTFOUND;
	}
	if (r != SQLITE_ROW)
		return dbfail(d, s, e, "conversation");
	col_text(s, 0, c->phone, sizeof c->phone);
	col_text(s, 1, c->step, sizeof c->step);
	c->kind = sqlite3_column_int(s, 2);
	col_text(s, 3, c->admin, sizeof c->admin);
	col_text(s, 4, c->lang, sizeof c->lang);
	col_text(s, 5, c->text, sizeof c->text);
	col_text(s, 6, c->name, sizeof c->name);
	col_text(s, 7, c->id_number, sizeof c->id_number);
	c->updated_at = sqlite3_column_int64(s, 8);
	c->expires_at = sqlite3_column_int64(s, 9);
	sqlite3_reset(s);
	return BW_OK;
}

int sms_db_conv_get(sms_db *d, const char *phone, sms_conversation *out, bw_err *e)
{
	sqlite3_stmt *s = q(d, Q_CONV_GET);
	TXT(s, 1, phone);
	return conv_row(d, s, out, e);
}

int sms_db_conv_expired(sms_db *d, int64_t now, sms_conversation *out, bw_err *e)
{
	sqlite3_stmt *s = q(d, Q_CONV_EXPIRED);
	sqlite3_bind_int64(s, 1, now);
	return conv_row(d, s, out, e);
}

int sms_db_conv_put(sms_db *d, const sms_conversation *c, bw_err *e)
{
	sqlite3_stmt *s = q(d, Q_CONV_PUT);
	TXT(s, 1, c->phone);
	TXT(s, 2, c->step);
	sqlite3_bind_int(s, 3, c->kind);
	TXT(s, 4, c->admin);
	TXT(s, 5, c->lang);
	TXT(s, 6, c->text);
	TXT(s, 7, c->name);
	TXT(s, 8, c->id_number);
	sqlite3_bind_int64(s, 9, c->updated_at);
	sqlite3_bind_int64(s, 10, c->expires_at);
	return exec(d, s, e, "conversation");
}

int sms_db_conv_del(sms_db *d, const char *phone, bw_err *e)
{
	sqlite3_stmt *s = q(d, Q_CONV_DEL);
	TXT(s, 1, phone);
	return exec(d, s, e, "conversation");
}

/* ---- opt-outs ---- */

int sms_db_optout_is_set(sms_db *d, const char *phone)
{
	sqlite3_stmt *s = q(d, Q_OPT_GET);
	TXT(s, 1, phone);
	int r = sqlite3_step(s);
	sqlite3_reset(s);
	return r == SQLITE_ROW ? 1 : r == SQLITE_DONE ? 0 : BW_EDB;
}

int sms_db_optout_set(sms_db *d, const char *phone, int out, int64_t now, bw_err *e)
{
	sqlite3_stmt *s = q(d, out ? Q_OPT_SET : Q_OPT_DEL);
	TXT(s, 1, phone);
	if (out)
		sqlite3_bind_int64(s, 2, now);
	return exec(d, s, e, "opt-out");
}

/* ---- abuse counters ---- */

int sms_db_sender_get(sms_db *d, const char *phone, sms_sender *out, bw_err *e)
{
	memset(out, 0, sizeof *out);
	bw_strlcpy(out->phone, phone, sizeof out->phone);
	sqlite3_stmt *s = q(d, Q_SND_GET);
	TXT(s, 1, phone);
	int r = sqlite3_step(s);
	if (r == SQLITE_DONE) {
		sqlite3_reset(s);
		return BW_OK;
	}
	if (r != SQLITE_ROW)
		return dbfail(d, s, e, "sender counters");
	out->win_start = sqlite3_column_int64(s, 0);
	out->win_count = sqlite3_column_int(s, 1);
	out->junk_start = sqlite3_column_int64(s, 2);
	out->junk_count = sqlite3_column_int(s, 3);
	col_text(s, 4, out->last_hash, sizeof out->last_hash);
	out->repeats = sqlite3_column_int(s, 5);
	out->muted_until = sqlite3_column_int64(s, 6);
	out->help_at = sqlite3_column_int64(s, 7);
	sqlite3_reset(s);
	return BW_OK;
}

int sms_db_sender_put(sms_db *d, const sms_sender *c, bw_err *e)
{
	sqlite3_stmt *s = q(d, Q_SND_PUT);
	TXT(s, 1, c->phone);
	sqlite3_bind_int64(s, 2, c->win_start);
	sqlite3_bind_int(s, 3, c->win_count);
	sqlite3_bind_int64(s, 4, c->junk_start);
	sqlite3_bind_int(s, 5, c->junk_count);
	TXT(s, 6, c->last_hash);
	sqlite3_bind_int(s, 7, c->repeats);
	sqlite3_bind_int64(s, 8, c->muted_until);
	sqlite3_bind_int64(s, 9, c->help_at);
	return exec(d, s, e, "sender counters");
}
