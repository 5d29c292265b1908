/* store_lifecycle.c: requests in the store: references, the idempotent insert, get and
 * list, transitions by the lifecycle's rules with their append-only events, events made
 * elsewhere, forgetting a citizen's data on a device, and the indicators' counts. */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bw_clock.h"
#include "bw_ref.h"
#include "bw_rcode.h"
#include "bw_text.h"
#include "bw_uuid.h"

void store_row_to_request(sqlite3_stmt *st, bw_request *r)
{
	bw_request_init(r);
	store_col_text(st, 0, r->uid, sizeof r->uid);
	store_col_text(st, 1, r->ref, sizeof r->ref);
	r->kind = sqlite3_column_int(st, 2);
	r->channel = sqlite3_column_int(st, 3);
	store_col_text(st, 4, r->admin, sizeof r->admin);
	store_col_text(st, 5, r->category, sizeof r->category);
	store_col_text(st, 6, r->site, sizeof r->site);
	store_col_text(st, 7, r->device, sizeof r->device);
	store_col_text(st, 8, r->lang, sizeof r->lang);
	store_col_text(st, 9, r->text, sizeof r->text);
	store_col_text(st, 10, r->phone, sizeof r->phone);
	r->consent = sqlite3_column_int(st, 11);
	store_col_text(st, 12, r->name, sizeof r->name);
	store_col_text(st, 13, r->id_number, sizeof r->id_number);
	store_col_text(st, 14, r->address, sizeof r->address);
	store_col_text(st, 15, r->contact, sizeof r->contact);
	r->form = sqlite3_column_int(st, 16);
	r->urgent = sqlite3_column_int(st, 17);
	r->received_at = sqlite3_column_int64(st, 18);
	store_col_text(st, 19, r->received_on, sizeof r->received_on);
	r->state = sqlite3_column_int(st, 20);
	store_col_text(st, 21, r->deadline, sizeof r->deadline);
	r->extended = sqlite3_column_int(st, 22);
	store_col_text(st, 25, r->code, sizeof r->code);
	store_col_text(st, 26, r->code_hash, sizeof r->code_hash);
}

int store_get_by(bw_store *s, int which, const char *key, bw_request *out,
                 char *rule, char *from, bw_err *e)
{
	sqlite3_stmt *st = store_stmt(s, which, e);
	if (!st)
		return BW_EDB;
	store_bind_text(st, 1, key);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		store_row_to_request(st, out);
		if (rule)
			store_col_text(st, 23, rule, 32);
		if (from)
			store_col_text(st, 24, from, BW_DATE_LEN + 1);
		sqlite3_reset(st);
		return BW_OK;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return bw_fail(e, BW_ENOTFOUND, "%s %s: no such request", which == Q_GET_REF ? "ref" : "uid", key);
	return store_fail(s, e, "get");
}

int bw_store_get(bw_store *s, const char *ref, bw_request *out, bw_err *e)
{
	return store_get_by(s, Q_GET_REF, ref, out, NULL, NULL, e);
}

int bw_store_get_uid(bw_store *s, const char *uid, bw_request *out, bw_err *e)
{
	return store_get_by(s, Q_GET_UID, uid, out, NULL, NULL, e);
}

int bw_store_request_number(bw_store *s, const char *uid, int64_t *n, bw_err *e)
{
	static const char sql[] = "SELECT id FROM requests WHERE uid = ?1";
	sqlite3_stmt *st = store_cached(s, sql, e);
	if (!st)
		return BW_EDB;
	store_bind_text(st, 1, uid);
	int rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return BW_OK;
	return rc == SQLITE_DONE ? bw_fail(e, BW_ENOTFOUND, "uid %s: no such request", uid)
	                         : store_fail(s, e, "export");
}

int bw_store_code_set(bw_store *s, const char *ref, const char *code, bw_err *e)
{
	static const char sql[] = "UPDATE requests SET code = ?2 WHERE ref = ?1";
	if (!code || !bw_rcode_valid(code))
		return bw_fail(e, BW_EINVAL, "code: not %d digits", BW_RCODE_LEN);
	sqlite3_stmt *st = store_cached(s, sql, e);
	if (!st)
		return BW_EDB;
	store_bind_text(st, 1, ref);
	store_bind_text(st, 2, code);
	int rc = store_done(s, st, "code", e);
	if (rc == BW_OK && sqlite3_changes(s->db) == 0)
		rc = bw_fail(e, BW_ENOTFOUND, "ref %s: no such request", ref);
	return rc;
}

/* given_uid: the event's uid when it was made elsewhere (bw_store_apply_event), NULL for
 * a new one. */
int store_append_event(bw_store *s, const char *request_uid, int64_t at, const char *actor,
                       int old_state, int new_state, const char *note, const char *given_uid,
                       bw_event *ev, bw_err *e)
{
	char uid[BW_UID_LEN + 1];
	int rc = given_uid ? bw_strlcpy(uid, given_uid, sizeof uid) : bw_uuid_v7(uid, e);
	if (rc)
		return given_uid ? bw_fail(e, BW_EINVAL, "event uid: too long") : rc;
	sqlite3_stmt *st = store_stmt(s, Q_EVENT, e);
	if (!st)
		return BW_EDB;
	store_bind_text(st, 1, uid);
	store_bind_text(st, 2, request_uid);
	sqlite3_bind_int64(st, 3, at);
	store_bind_text(st, 4, actor);
	sqlite3_bind_int(st, 5, old_state);
	sqlite3_bind_int(st, 6, new_state);
	store_bind_text(st, 7, note ? note : "");
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = store_fail(s, e, "event");
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

/* ---- requests ---- */

int bw_store_next_ref(bw_store *s, unsigned device_num, char ref[13], bw_err *e)
{
	if (device_num > BW_REF_DEVICE_MAX)
		return bw_fail(e, BW_EINVAL, "device number %u: at most %u", device_num, BW_REF_DEVICE_MAX);
	sqlite3_stmt *st = store_stmt(s, Q_NEXT_REF, e);
	if (!st)
		return BW_EDB;
	sqlite3_bind_int(st, 1, (int)device_num);
	if (sqlite3_step(st) != SQLITE_ROW) {
		int rc = store_fail(s, e, "next ref");
		sqlite3_reset(st);
		return rc;
	}
	int64_t seq = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (seq > BW_REF_SEQ_MAX)
		return bw_fail(e, BW_ETOOBIG, "device number %u: reference sequence exhausted", device_num);
	return bw_ref_make(device_num, (uint32_t)seq, ref, e);
}

/* Binds r with its first deadline (due, by rule) to the cached INSERT and steps it:
 * SQLite's result (SQLITE_DONE, SQLITE_CONSTRAINT_UNIQUE, ...), or -1 when the statement
 * cannot be prepared (e set). */
static int insert_row(bw_store *s, const bw_request *r, const char *due, const char *rule, bw_err *e)
{
	sqlite3_stmt *st = store_stmt(s, Q_INSERT, e);
	if (!st)
		return -1;
	store_bind_text(st, 1, r->uid);
	store_bind_text(st, 2, r->ref);
	sqlite3_bind_int(st, 3, r->kind);
	sqlite3_bind_int(st, 4, r->channel);
	store_bind_text(st, 5, r->admin);
	store_bind_text(st, 6, r->category);
	store_bind_text(st, 7, r->site);
	store_bind_text(st, 8, r->device);
	store_bind_text(st, 9, r->lang);
	store_bind_text(st, 10, r->text);
	store_bind_text(st, 11, r->phone);
	sqlite3_bind_int(st, 12, r->consent);
	store_bind_text(st, 13, r->name);
	store_bind_text(st, 14, r->id_number);
	store_bind_text(st, 15, r->address);
	store_bind_text(st, 16, r->contact);
	sqlite3_bind_int(st, 17, r->form);
	sqlite3_bind_int(st, 18, r->urgent);
	sqlite3_bind_int64(st, 19, r->received_at);
	store_bind_text(st, 20, r->received_on);
	store_bind_text(st, 21, due);
	store_bind_text(st, 22, rule);
	store_bind_text(st, 23, r->received_on);
	store_bind_text(st, 24, r->code);
	int src = sqlite3_step(st);
	sqlite3_reset(st);
	return src;
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
	if (own && (rc = store_tx_begin(s, e)))
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
	if ((rc = store_compute_deadline(s, rule, r->received_on, 0, &d, e)))
		goto out;
	bw_day_format(d.due, due);

	int src = insert_row(s, r, due, rule, e);
	if (src < 0) {
		rc = BW_EDB;
		goto out;
	}
	if (src == SQLITE_CONSTRAINT_UNIQUE) {
		rc = bw_fail(e, BW_EEXIST, "ref %s: already used by another request", r->ref);
		goto seen;
	}
	if (src != SQLITE_DONE) {
		rc = store_fail(s, e, "insert");
		goto out;
	}
	r->state = BW_ST_RECEIVED;
	r->extended = 0;
	memcpy(r->deadline, due, sizeof r->deadline);
	rc = store_append_event(s, r->uid, r->received_at, actor, -1, BW_ST_RECEIVED, "", NULL, NULL, e);
	if (rc != BW_OK && !own) {
		sqlite3_stmt *del;
		if (sqlite3_prepare_v2(s->db, "DELETE FROM requests WHERE uid = ?1", -1, &del, NULL) == SQLITE_OK) {
			store_bind_text(del, 1, r->uid);
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
	return own ? store_tx_end(s, rc, e) : rc;
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
		"AND (?7 IS NULL OR (state NOT IN (?11, ?12, ?13) AND deadline < ?7)) "
		"AND (?8 IS NULL OR received_on >= ?8) AND (?9 IS NULL OR received_on <= ?9) "
		"ORDER BY deadline, id LIMIT ?10";
	sqlite3_stmt *st;
	int rc = BW_OK;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, e, "list");
	sqlite3_bind_int(st, 1, f->state);
	sqlite3_bind_int(st, 2, f->kind);
	sqlite3_bind_int(st, 3, f->channel);
	if (f->admin)
		store_bind_text(st, 4, f->admin);
	if (f->site)
		store_bind_text(st, 5, f->site);
	if (f->device)
		store_bind_text(st, 6, f->device);
	if (f->overdue_on)
		store_bind_text(st, 7, f->overdue_on);
	if (f->from)
		store_bind_text(st, 8, f->from);
	if (f->to)
		store_bind_text(st, 9, f->to);
	sqlite3_bind_int(st, 10, f->limit > 0 ? f->limit : -1);
	store_bind_closed(st, 11);
	bw_request *r = bw_xmalloc(sizeof *r);
	int step;
	while (rc == BW_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		store_row_to_request(st, r);
		rc = cb(r, arg);
	}
	if (rc == BW_OK && step != SQLITE_DONE)
		rc = store_fail(s, e, "list");
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
		return store_fail(s, e, "events");
	store_bind_text(st, 1, uid);
	sqlite3_bind_int(st, 2, BW_ST_EXTENDED);
	int rc = sqlite3_step(st) == SQLITE_ROW ? BW_OK : store_fail(s, e, "events");
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
			return store_fail(s, e, "events");
		store_bind_text(st, 1, r->uid);
		sqlite3_bind_int(st, 2, BW_ST_ANSWERED);
		sqlite3_bind_int(st, 3, BW_ST_REJECTED);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			answered = 1;
			at = sqlite3_column_int64(st, 0);
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return store_fail(s, e, "events");
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

/* The caller's part of a transition, before the store is read: a known state, an actor,
 * a note that is valid text and present where the state needs one. */
static int check_input(enum bw_state to, const char *actor, const char *note, bw_err *e)
{
	if ((unsigned)to >= BW_ST_COUNT)
		return bw_fail(e, BW_EINVAL, "state: unknown (%d)", (int)to);
	if (!actor || !actor[0] || strlen(actor) > BW_ACTOR_MAX)
		return bw_fail(e, BW_EINVAL, "actor: missing or longer than %d", BW_ACTOR_MAX);
	if (note && (!bw_utf8_valid(note, strlen(note)) || bw_utf8_len(note) > BW_NOTE_MAX))
		return bw_fail(e, BW_EINVAL, "note: invalid UTF-8 or longer than %d characters", BW_NOTE_MAX);
	if (bw_state_needs_note(to) && (!note || !*note))
		return bw_fail(e, BW_EINVAL, "note: required to move to %s (%s)", bw_state_name(to),
			       to == BW_ST_ANSWERED ? "the answer" : to == BW_ST_ASSIGNED ? "to whom" : "the reason");
	return BW_OK;
}

/* The law's part: may the stored request r (reference ref) go to `to` on day (today as
 * text)? BW_ESTATE with the reason when not. */
static int check_legal(bw_store *s, const char *ref, const bw_request *r, enum bw_state to, bw_day day,
                       const char *today, bw_err *e)
{
	int rc, once = r->extended;
	if (to == BW_ST_EXTENDED && !once && (rc = ever_extended(s, r->uid, &once, e)))
		return rc;
	if (!bw_state_allowed(r->kind, r->state, to, once))
		return bw_fail(e, BW_ESTATE, "%s (%s): cannot go from %s to %s%s", ref, bw_kind_name(r->kind),
			       bw_state_name(r->state), bw_state_name(to),
			       to == BW_ST_EXTENDED && once ? " (already extended once)" : "");
	/* art. 16: the requester is told of the extension, with its reason, before the
	 * deadline ends; after it, the request is late, not extended */
	if (to == BW_ST_EXTENDED && strcmp(today, r->deadline) > 0)
		return bw_fail(e, BW_ESTATE, "%s: the deadline ended on %s: an extension must be announced to the "
			       "requester before the deadline ends (law 31.13 art. 16)", ref, r->deadline);
	if (to != BW_ST_UNDER_APPEAL)
		return BW_OK;
	if (bw_state_is_open(r->state) && strcmp(today, r->deadline) <= 0)
		return bw_fail(e, BW_ESTATE, "%s: an appeal on silence is possible only after the deadline (%s)",
			       ref, r->deadline);
	bw_day since, until;
	int silence;
	char d1[11], d2[11];
	if ((rc = bw_store_appeal_window(s, r, &since, &until, &silence, e)))
		return rc;
	if (day > until)
		return bw_fail(e, BW_ESTATE, "%s: the time to appeal ended on %s (20 working days after %s %s, "
			       "law 31.13 art. 19)", ref, bw_day_format(until, d1),
			       silence ? "the deadline passed without an answer on" : "the answer of",
			       bw_day_format(since, d2));
	return BW_OK;
}

/* The new clock of r once in state `to` */
struct legal_clock {
	char rule[32], from[BW_DATE_LEN + 1], due[11];
	int extended, reopened;
};

/* Writes r's new state and clock c; an answer or refusal also records the day it came
 * (today) and whether it was in time. */
static int update_state(bw_store *s, const bw_request *r, enum bw_state to, const struct legal_clock *c,
                        const char *today, bw_err *e)
{
	sqlite3_stmt *st = store_stmt(s, Q_UPDATE_STATE, e);
	if (!st)
		return BW_EDB;
	store_bind_text(st, 1, r->uid);
	sqlite3_bind_int(st, 2, to);
	store_bind_text(st, 3, c->due);
	store_bind_text(st, 4, c->rule);
	store_bind_text(st, 5, c->from);
	sqlite3_bind_int(st, 6, c->extended);
	sqlite3_bind_int(st, 7, c->reopened);
	if (to == BW_ST_ANSWERED || to == BW_ST_REJECTED) {
		store_bind_text(st, 8, today);
		sqlite3_bind_int(st, 9, strcmp(today, r->deadline) <= 0);
	}
	return store_done(s, st, "transition", e);
}

static int transition(bw_store *s, const char *ref, enum bw_state to, const char *actor,
                      const char *note_in, int64_t at, const char *given_uid, bw_event *ev, bw_err *e)
{
	/* a note is text like a request's: the same rule for control characters */
	char *note = note_in ? bw_xstrdup(note_in) : NULL;
	if (note)
		bw_text_strip_controls(note);
	bw_request *r = bw_xmalloc(sizeof *r);
	struct legal_clock c = { .reopened = 0 };
	char today[11];
	bw_deadline d;
	bw_day day = bw_legal_day(at);
	int rc = check_input(to, actor, note, e);
	if (rc || (rc = store_tx_begin(s, e)))
		goto done;
	if ((rc = store_get_by(s, Q_GET_REF, ref, r, c.rule, c.from, e)))
		goto out;
	bw_day_format(day, today);
	if ((rc = check_legal(s, ref, r, to, day, today, e)))
		goto out;
	c.extended = r->extended;
	if (to == BW_ST_EXTENDED) {
		c.extended = 1;
	} else if (to == BW_ST_REOPENED) {
		snprintf(c.rule, sizeof c.rule, "decree");
		memcpy(c.from, today, sizeof c.from);
		c.extended = 0;
		c.reopened = 1;
	} else if (to == BW_ST_UNDER_APPEAL) {
		snprintf(c.rule, sizeof c.rule, "appeal-answer");
		memcpy(c.from, today, sizeof c.from);
		c.extended = 0;
	}
	if ((rc = store_compute_deadline(s, c.rule, c.from, c.extended, &d, e)))
		goto out;
	bw_day_format(d.due, c.due);
	if ((rc = update_state(s, r, to, &c, today, e)) == BW_OK)
		rc = store_append_event(s, r->uid, at, actor, r->state, to, note, given_uid, ev, e);
out:
	rc = store_tx_end(s, rc, e);
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
		return store_fail(s, e, "event");
	store_bind_text(st, 1, in->uid);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (out) {
			out->id = sqlite3_column_int64(st, 0);
			store_col_text(st, 1, out->uid, sizeof out->uid);
			store_col_text(st, 2, out->request_uid, sizeof out->request_uid);
			out->at = sqlite3_column_int64(st, 3);
			store_col_text(st, 4, out->actor, sizeof out->actor);
			out->old_state = sqlite3_column_int(st, 5);
			out->new_state = sqlite3_column_int(st, 6);
			store_col_text(st, 7, out->note, sizeof out->note);
		}
		sqlite3_finalize(st);
		return bw_fail(e, BW_EEXIST, "event %s: stored already", in->uid);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, e, "event");
	if (!in->uid[0] || strlen(in->uid) > BW_UID_LEN)
		return bw_fail(e, BW_EINVAL, "event uid: missing or too long");
	bw_request *r = bw_xmalloc(sizeof *r);
	char rule[32], from[BW_DATE_LEN + 1];
	rc = store_get_by(s, Q_GET_UID, in->request_uid, r, rule, from, e);
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
		return store_fail(s, e, "forget");
	store_bind_text(st, 1, uid);
	if (sqlite3_step(st) == SQLITE_ROW)
		store_col_text(st, 0, code, sizeof code);
	sqlite3_finalize(st);
	/* a gateway answers a status SMS by the sender's number, never by the code: it keeps
	 * no trace of it; a kiosk keeps the hash to open the answer offline */
	if (code[0] && !keep_phone && bw_rcode_hash(code, hash, sizeof hash, e))
		return BW_EIO;
	if (sqlite3_prepare_v2(s->db, "UPDATE requests SET text = '', name = '', id_number = '', address = '', "
			       "contact = '', phone = CASE WHEN ?3 THEN phone ELSE '' END, code = '', "
			       "code_hash = CASE WHEN ?2 <> '' THEN ?2 ELSE code_hash END WHERE uid = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, e, "forget");
	store_bind_text(st, 1, uid);
	store_bind_text(st, 2, hash);
	sqlite3_bind_int(st, 3, keep_phone != 0);
	int rc = sqlite3_step(st) == SQLITE_DONE ? BW_OK : store_fail(s, e, "forget");
	sqlite3_finalize(st);
	memset(code, 0, sizeof code);
	return rc;
}

int bw_store_events(bw_store *s, const char *request_uid,
                    int (*cb)(const bw_event *, void *), void *arg, bw_err *e)
{
	sqlite3_stmt *st = store_stmt(s, Q_EVENTS, e);
	int rc = BW_OK, step;
	if (!st)
		return BW_EDB;
	store_bind_text(st, 1, request_uid);
	bw_event *ev = bw_xmalloc(sizeof *ev);
	while (rc == BW_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		ev->id = sqlite3_column_int64(st, 0);
		store_col_text(st, 1, ev->uid, sizeof ev->uid);
		store_col_text(st, 2, ev->request_uid, sizeof ev->request_uid);
		ev->at = sqlite3_column_int64(st, 3);
		store_col_text(st, 4, ev->actor, sizeof ev->actor);
		ev->old_state = sqlite3_column_int(st, 5);
		ev->new_state = sqlite3_column_int(st, 6);
		store_col_text(st, 7, ev->note, sizeof ev->note);
		rc = cb(ev, arg);
	}
	sqlite3_reset(st);
	free(ev);
	return rc;
}

/* ---- indicators ---- */

struct walk_report { int (*cb)(const bw_report_row *, void *); void *arg; };

static int report_row(sqlite3_stmt *st, void *ctx)
{
	struct walk_report *w = ctx;
	bw_report_row row;
	store_col_text(st, 0, row.admin, sizeof row.admin);
	row.kind = sqlite3_column_int(st, 1);
	row.total = sqlite3_column_int64(st, 2);
	row.answered = sqlite3_column_int64(st, 3);
	row.answered_in_time = sqlite3_column_int64(st, 4);
	row.reopened = sqlite3_column_int64(st, 5);
	row.overdue = sqlite3_column_int64(st, 6);
	return w->cb(&row, w->arg);
}

int bw_store_report(bw_store *s, const char *from, const char *to, const char *today,
                    const char *site, const char *admin,
                    int (*cb)(const bw_report_row *, void *), void *arg, bw_err *e)
{
	struct walk_report w = { cb, arg };
	sqlite3_stmt *st;
	if (store_prepare(s, "SELECT admin, kind, count(*), count(answered_on), "
			  "sum(answered_in_time IS 1), sum(reopened > 0), "
			  "sum(answered_on IS NULL AND deadline < ?5) FROM requests "
			  "WHERE (?1 IS NULL OR received_on >= ?1) AND (?2 IS NULL OR received_on <= ?2) "
			  "AND (?3 IS NULL OR site = ?3) AND (?4 IS NULL OR admin = ?4) "
			  "GROUP BY admin, kind ORDER BY admin, kind", &st, "report", e))
		return BW_EDB;
	const char *v[5] = { from, to, site, admin, today };
	for (int i = 0; i < 5; i++)
		if (v[i])
			store_bind_text(st, i + 1, v[i]);
	return store_walk(s, st, "read", report_row, &w, e);
}
