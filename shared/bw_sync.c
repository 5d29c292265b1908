/* bw_sync.c: the edge sync engine: local commit + outbox, a windowed sender that retires
 * rows on the hub's ack, status queries, notifications into the local store, presence;
 * libmosquitto driven from the caller's poll loop (socket, loop_read/write/misc). */
#include "bw_clock.h"
#include "bw_sync.h"

#include <errno.h>
#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bw_calendar.h"
#include "bw_conf.h"
#include "bw_link.h"
#include "bw_pub.h"
#include "bw_ref.h"
#include "bw_uuid.h"
#include "bw_wire.h"

#define QUERIES_MAX 32

/* One outbox row the sender is working on: published and waiting for the hub's ack, or
 * waiting for its next attempt. The window bounds how many exist at once. */
struct pend {
	int64_t seq;
	char uid[BW_UID_LEN + 1];
	int is_evt;
	int mid;           /* libmosquitto message id of the last publish, 0 = none */
	int attempts;      /* publishes so far in this run */
	int64_t due_ms;    /* when to publish (again) */
	int acked;         /* marked done in the open local transaction: leaves the window at
	                    * its commit, or waits for its next attempt if the commit fails */
};

struct query {
	int used;
	char corr[24];
	char ref[BW_REF_LEN + 1];
	char code[BW_RCODE_LEN + 1];   /* the receipt code asked with, "" for none */
	int64_t due_ms;
	bw_sync_query_fn cb;
	void *arg;
};

/* Statements on the hot path (one per request sent, acked or submitted), prepared once. */
enum { Q_PAYLOAD, Q_NEXT, Q_ACK, Q_INSERT, Q_INSERT_EVT, Q_COUNT };
static const char *const q_sql[Q_COUNT] = {
	[Q_PAYLOAD] = "SELECT payload FROM outbox WHERE seq = ?1 AND acked_at IS NULL",
	[Q_NEXT] = "SELECT seq, uid, type, payload FROM outbox WHERE acked_at IS NULL "
		"AND seq > ?1 ORDER BY seq LIMIT ?2",
	[Q_ACK] = "UPDATE outbox SET acked_at = ?2, status = ?3, error = ?4 "
		"WHERE uid = ?1 AND acked_at IS NULL",
	[Q_INSERT] = "INSERT INTO outbox (type, uid, payload, created_at) VALUES ('req', ?1, ?2, ?3)",
	[Q_INSERT_EVT] = "INSERT INTO outbox (type, uid, payload, created_at) VALUES ('evt', ?1, ?2, ?3)",
};

struct bw_sync {
	sqlite3_stmt *stmts[Q_COUNT];
	bw_sync_settings set;
	bw_store *st;
	sqlite3 *db;
	bw_sync_callbacks cb;
	const bw_log *log;
	bw_link *link;          /* the MQTT connection (bw_link.h) */

	int hub;                /* the hub's retained presence: 1 online, 0 offline, -1 not heard */
	int64_t heartbeat_at;
	int in_tx;              /* a lazy transaction for acks is open */
	int forgot;             /* personal fields forgotten since the last WAL truncation */
	int64_t truncate_at;    /* ms, monotonic: the next wal_checkpoint(TRUNCATE) at most */

	struct pend *pend;
	size_t npend;
	int64_t scan_from;      /* highest outbox seq taken into pend */
	int64_t cursor;         /* notify cursor */

	struct query q[QUERIES_MAX];
	unsigned next_corr;

	char t_req[BW_PROTO_TOPIC_MAX], t_evt[BW_PROTO_TOPIC_MAX], t_query[BW_PROTO_TOPIC_MAX];
	char t_presence[BW_PROTO_TOPIC_MAX], t_reply[BW_PROTO_TOPIC_MAX];
	char t_down[BW_PROTO_TOPIC_MAX];
};

#define now_ms bw_link_now_ms

/* ---- settings ---- */

static const bw_conf_key conf_keys[] = {
	BW_LINK_CONF(bw_sync_settings, broker, NULL, "broker user = device id"),
	BW_CONF_S("device", "id", bw_sync_settings, device, NULL, "device id"),
	BW_CONF_S("device", "kind", bw_sync_settings, kind, "kiosk", "kiosk or gateway"),
	BW_CONF_S("device", "site", bw_sync_settings, site, NULL, "reception site code"),
	BW_CONF_I("device", "num", bw_sync_settings, num, 0, 9999, "0",
		  "reference prefix, given by bawaba-hub enroll"),
	BW_CONF_I("sync", "keepalive", bw_sync_settings, keepalive, 5, 3600, "30", "MQTT keepalive, s"),
	BW_CONF_I("sync", "heartbeat", bw_sync_settings, heartbeat, 1, 3600, "30", "presence every N s"),
	BW_CONF_I("sync", "window", bw_sync_settings, window, 1, 10000, "1000", "rows in flight"),
	BW_CONF_I("sync", "ack_timeout_ms", bw_sync_settings, ack_timeout_ms, 50, 600000, "5000",
		  "first wait for the hub's ack"),
	BW_CONF_I("sync", "retry_max_ms", bw_sync_settings, retry_max_ms, 50, 3600000, "60000",
		  "longest wait between attempts"),
	BW_CONF_I("sync", "query_timeout_ms", bw_sync_settings, query_timeout_ms, 50, 60000, "2000",
		  "then answer a status query locally"),
	BW_CONF_I("sync", "reconnect_max_ms", bw_sync_settings, reconnect_max_ms, 100, 3600000, "30000",
		  "longest wait between connection attempts"),
	BW_CONF_I("sync", "session_expiry", bw_sync_settings, session_expiry, 0, 2147483647, "604800",
		  "s the broker keeps the session"),
	BW_CONF_END
};

void bw_sync_settings_default(bw_sync_settings *s)
{
	memset(s, 0, sizeof *s);
	bw_conf_defaults(conf_keys, s, NULL);
}

int bw_sync_settings_read(const char *path, bw_sync_settings *s, bw_err *e)
{
	return bw_conf_load(path, conf_keys, s, e);
}

int bw_sync_settings_load(const char *path, bw_sync_settings *s, bw_err *e)
{
	int rc = bw_conf_load(path, conf_keys, s, e);
	if (rc)
		return rc;
	if (!s->device[0] || strcmp(s->device, s->broker.username) != 0)
		return bw_fail(e, BW_EINVAL, "%s: [device] id must equal [broker] username", path);
	if (s->num < 1)
		return bw_fail(e, BW_EINVAL, "%s: [device] num is not set (bawaba-hub enroll %s)", path,
			       s->device);
	return BW_OK;
}

/* ---- local database helpers ---- */

static sqlite3_stmt *prep(bw_sync *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
		log_error(s->log, "local db: prepare: %s", sqlite3_errmsg(s->db));
	return st;
}

/* A cached statement, reset and unbound; give it back with done(). */
static sqlite3_stmt *cached(bw_sync *s, int which)
{
	if (!s->stmts[which])
		s->stmts[which] = prep(s, q_sql[which]);
	return s->stmts[which];
}

static void done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

static int64_t state_get(bw_sync *s, const char *key)
{
	sqlite3_stmt *st = prep(s, "SELECT value FROM sync_state WHERE key = ?1");
	int64_t v = 0;
	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int state_set(bw_sync *s, const char *key, int64_t v)
{
	sqlite3_stmt *st = prep(s, "INSERT INTO sync_state (key, value) VALUES (?1, ?2) "
				"ON CONFLICT (key) DO UPDATE SET value = ?2");
	int rc = BW_OK;
	if (!st)
		return BW_EDB;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, v);
	if (sqlite3_step(st) != SQLITE_DONE) {
		log_error(s->log, "local db: %s: %s", key, sqlite3_errmsg(s->db));
		rc = BW_EDB;
	}
	sqlite3_finalize(st);
	return rc;
}

/* Acks arrive in bursts: one transaction per bw_sync_handle call holds them all. */
static void tx_lazy(bw_sync *s)
{
	if (!s->in_tx && bw_store_begin(s->st, NULL) == BW_OK)
		s->in_tx = 1;
}

/* Commits the acks of the open transaction. Only then do their rows leave the window:
 * if the commit fails they are still unacknowledged on disk, so they stay in the window
 * and go again at their next attempt (the hub answers "duplicate"), in this run. */
static void tx_done(bw_sync *s)
{
	if (!s->in_tx)
		return;
	bw_err e;
	int ok = bw_store_commit(s->st, &e) == BW_OK;
	if (!ok) {
		log_error(s->log, "local db: commit of acks: %s (those rows will be sent again)", e.msg);
		bw_store_rollback(s->st);
	}
	s->in_tx = 0;
	for (size_t i = 0; i < s->npend; i++) {
		if (!s->pend[i].acked)
			continue;
		if (ok)
			s->pend[i--] = s->pend[--s->npend];
		else
			s->pend[i].acked = 0;
	}
}

long bw_sync_outbox_depth(bw_sync *s)
{
	sqlite3_stmt *st = prep(s, "SELECT count(*) FROM outbox WHERE acked_at IS NULL");
	long n = -1;
	if (!st)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

int64_t bw_sync_notify_cursor(bw_sync *s)
{
	return s->cursor;
}

int bw_sync_is_online(bw_sync *s)
{
	return bw_link_online(s->link);
}

int bw_sync_hub_is_online(bw_sync *s)
{
	return bw_link_online(s->link) && s->hub == 1;
}

/* ---- presence ---- */

static void publish_presence(bw_sync *s, int online)
{
	bw_presence p = { .online = online, .at = online ? bw_now() : 0,
	                  .outbox = -1, .cursor = s->cursor, .signal = -1, .queue = -1 };
	char *json;
	size_t len;
	if (online) {
		p.outbox = bw_sync_outbox_depth(s);
		if (s->cb.figures)
			s->cb.figures(s->cb.arg, &p.signal, &p.queue);
	}
	if (bw_presence_encode(&p, &json, &len, NULL))
		return;
	bw_err e;
	if (bw_link_publish(s->link, NULL, s->t_presence, json, len, 1, NULL, &e))
		log_warn(s->log, "presence: %s", e.msg);
	free(json);
}

/* ---- the sender ---- */

static int64_t ack_wait(bw_sync *s, int attempts)
{
	int64_t ms = s->set.ack_timeout_ms;
	for (int i = 1; i < attempts && ms < s->set.retry_max_ms; i++)
		ms *= 2;
	if (ms > s->set.retry_max_ms)
		ms = s->set.retry_max_ms;
	return bw_link_jitter(ms);
}

static void publish_row(bw_sync *s, struct pend *p, const char *payload, int len)
{
	int mid = 0;
	bw_err e;
	int rc = bw_link_publish(s->link, &mid, p->is_evt ? s->t_evt : s->t_req, payload, (size_t)len,
				 0, NULL, &e);
	p->attempts++;
	p->due_ms = now_ms() + ack_wait(s, p->attempts);
	if (rc != BW_OK) {
		log_warn(s->log, "outbox %s: publish: %s", p->uid, e.msg);
		p->mid = 0;
		return;
	}
	p->mid = mid;
	if (p->attempts > 1) {
		sqlite3_stmt *st = prep(s, "UPDATE outbox SET attempts = attempts + 1, next_try_at = ?2 "
				       "WHERE seq = ?1");
		if (st) {
			sqlite3_bind_int64(st, 1, p->seq);
			sqlite3_bind_int64(st, 2, bw_now() + (p->due_ms - now_ms()) / 1000);
			sqlite3_step(st);
			sqlite3_finalize(st);
		}
	}
}

/* Publishes what is due: first the rows already in the window whose wait ran out (the
 * oldest first, they were taken in order), then new rows while the window has room.
 * Nothing while the hub is known to be away (its retained presence or will said so):
 * sending would only fill the broker's queue for it, over and over; on_hub sends it all
 * when the hub is back. A hub not heard of yet (no retained presence) is tried. */
static void pump(bw_sync *s)
{
	if (!bw_link_online(s->link) || s->hub == 0)
		return;
	int64_t now = now_ms();
	for (size_t i = 0; i < s->npend; i++) {
		struct pend *p = &s->pend[i];
		if (p->acked || p->due_ms > now)
			continue;
		sqlite3_stmt *st = cached(s, Q_PAYLOAD);
		if (!st)
			return;
		sqlite3_bind_int64(st, 1, p->seq);
		if (sqlite3_step(st) == SQLITE_ROW) {
			if (p->attempts > 0)
				log_info(s->log, "outbox %s: no ack from the hub, sending again (attempt %d)",
					 p->uid, p->attempts + 1);
			publish_row(s, p, (const char *)sqlite3_column_text(st, 0), sqlite3_column_bytes(st, 0));
			done(st);
		} else {
			/* acked meanwhile (by an earlier run's ack): drop it from the window */
			done(st);
			s->pend[i--] = s->pend[--s->npend];
		}
	}
	if (s->npend >= (size_t)s->set.window)
		return;
	sqlite3_stmt *st = cached(s, Q_NEXT);
	if (!st)
		return;
	sqlite3_bind_int64(st, 1, s->scan_from);
	sqlite3_bind_int(st, 2, s->set.window - (int)s->npend);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct pend *p = &s->pend[s->npend++];
		memset(p, 0, sizeof *p);
		p->seq = sqlite3_column_int64(st, 0);
		bw_strlcpy(p->uid, (const char *)sqlite3_column_text(st, 1), sizeof p->uid);
		p->is_evt = strcmp((const char *)sqlite3_column_text(st, 2), "evt") == 0;
		s->scan_from = p->seq;
		publish_row(s, p, (const char *)sqlite3_column_text(st, 3), sqlite3_column_bytes(st, 3));
	}
	done(st);
}

/* The hub's deadline of the requests an ack message acknowledges: user properties
 * "deadline" = "UID YYYY-MM-DD" (the device's holiday table may differ from the hub's,
 * and the hub's is the one that counts). Taken only while the device has heard of no
 * event of that request (then its notifications carry the deadline). In the acks'
 * transaction. */
static void ack_deadlines(bw_sync *s, const mosquitto_property *props)
{
	char *k = NULL, *v = NULL, uid[BW_UID_LEN + 1], day[BW_DATE_LEN + 1];
	const mosquitto_property *p = props;
	sqlite3_stmt *st = NULL;
	int skip = 0;
	bw_day d;
	while ((p = mosquitto_property_read_string_pair(p, MQTT_PROP_USER_PROPERTY, &k, &v, skip))) {
		skip = 1;
		int ok = strcmp(k, "deadline") == 0 && strlen(v) == BW_UID_LEN + 1 + BW_DATE_LEN &&
			 v[BW_UID_LEN] == ' ';
		if (ok) {
			memcpy(uid, v, BW_UID_LEN);
			uid[BW_UID_LEN] = '\0';
			memcpy(day, v + BW_UID_LEN + 1, sizeof day);
			ok = bw_day_parse(day, &d, NULL) == BW_OK;
		}
		free(k);
		free(v);
		k = v = NULL;
		if (!ok)
			continue;
		if (!st && !(st = prep(s, "UPDATE requests SET deadline = ?2 WHERE uid = ?1 AND deadline <> ?2 "
				       "AND NOT EXISTS (SELECT 1 FROM notify_log WHERE request_uid = ?1)")))
			return;
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, uid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, day, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) != SQLITE_DONE)
			log_error(s->log, "outbox %s: the hub's deadline: %s", uid, sqlite3_errmsg(s->db));
		else if (sqlite3_changes(s->db))
			log_info(s->log, "request %s: deadline %s, as the hub counts it", uid, day);
	}
	sqlite3_finalize(st);
}

/* The hub holds it now (issue 11): the device keeps only what offline status needs. The
 * outbox row's payload (the whole request or event, receipt code in clear) is emptied;
 * the request's personal fields go (bw_store_forget; a gateway keeps the phone its SMS
 * notifications go to). In the same transaction as the ack; the freed pages are zeroed
 * (secure_delete) and the WAL truncated at the next quiet moment (wal_checkpoint). */
static void forget(bw_sync *s, const char *uid)
{
	bw_err e;
	sqlite3_stmt *st = prep(s, "UPDATE outbox SET payload = '' WHERE uid = ?1");
	if (st) {
		sqlite3_bind_text(st, 1, uid, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			log_error(s->log, "outbox %s: cannot empty: %s", uid, sqlite3_errmsg(s->db));
		sqlite3_finalize(st);
	}
	if (bw_store_forget(s->st, uid, strcmp(s->set.kind, "gateway") == 0, &e))
		log_error(s->log, "request %s: cannot forget its personal fields: %s", uid, e.msg);
	s->forgot = 1;
}

static void on_ack(bw_sync *s, const char *payload, int len, const mosquitto_property *props)
{
	bw_ack *acks;
	size_t n;
	bw_err e;
	if (bw_ack_decode(payload, (size_t)len, &acks, &n, &e)) {
		log_warn(s->log, "down/ack: dropped: %s", e.msg);
		return;
	}
	/* the acks of one hub commit: marked done in one local transaction */
	tx_lazy(s);
	ack_deadlines(s, props);
	for (size_t k = 0; k < n; k++) {
		bw_ack *a = &acks[k];
		sqlite3_stmt *st = cached(s, Q_ACK);
		if (!st)
			break;
		sqlite3_bind_text(st, 1, a->uid, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, bw_now());
		sqlite3_bind_text(st, 3, bw_ack_status_name(a->status), -1, SQLITE_STATIC);
		if (a->reason[0])
			sqlite3_bind_text(st, 4, a->reason, -1, SQLITE_STATIC);
		int rc = sqlite3_step(st);
		int changed = sqlite3_changes(s->db);
		done(st);
		if (rc != SQLITE_DONE) {
			log_error(s->log, "outbox %s: cannot mark acked: %s", a->uid, sqlite3_errmsg(s->db));
			continue;
		}
		for (size_t i = 0; i < s->npend; i++)
			if (strcmp(s->pend[i].uid, a->uid) == 0) {
				if (s->in_tx)
					s->pend[i].acked = 1;   /* leaves the window at the commit */
				else
					s->pend[i] = s->pend[--s->npend];
				break;
			}
		if (!changed)
			continue;   /* an ack for a row done already (a re-sent duplicate's) */
		if (a->status == BW_ACK_REJECTED)
			log_error(s->log, "outbox %s: the hub rejected it: %s (kept for an operator)", a->uid,
				  a->reason);
		else
			forget(s, a->uid);
		if (s->cb.acked)
			s->cb.acked(s->cb.arg, a);
	}
	free(acks);
}

/* The broker refused a publish (PUBACK reason >= 0x80; 0x10 "no matching subscribers" is
 * not a refusal: the ack wait covers it). */
static void on_refused(void *arg, int mid, int reason)
{
	bw_sync *s = arg;
	for (size_t i = 0; i < s->npend; i++) {
		struct pend *p = &s->pend[i];
		if (p->mid != mid)
			continue;
		log_error(s->log, "outbox %s: the broker refused the publish (reason 0x%02x, %s); "
			  "will retry", p->uid, reason, mosquitto_reason_string(reason));
		p->mid = 0;
		p->due_ms = now_ms() + ack_wait(s, p->attempts + 1);
		sqlite3_stmt *st = prep(s, "UPDATE outbox SET error = ?2 WHERE seq = ?1");
		if (st) {
			char why[96];
			snprintf(why, sizeof why, "broker refused: 0x%02x %s", reason,
				 mosquitto_reason_string(reason));
			sqlite3_bind_int64(st, 1, p->seq);
			sqlite3_bind_text(st, 2, why, -1, SQLITE_TRANSIENT);
			sqlite3_step(st);
			sqlite3_finalize(st);
		}
		return;
	}
}

/* ---- status queries ---- */

static void answer_local(bw_sync *s, const char *ref, const char *code, bw_sync_query_fn cb,
                         void *arg)
{
	bw_status *st = bw_xmalloc(sizeof *st);
	bw_err e;
	bw_status_init(st);
	/* the device checks the code against its own copy: it made the request */
	if (bw_status_load(s->st, ref, code, st, &e))
		log_error(s->log, "status %s: local store: %s", ref, e.msg);
	st->from_local = 1;
	cb(arg, st);
	bw_status_clear(st);
	free(st);
}

int bw_sync_query(bw_sync *s, const char *ref_in, bw_sync_query_fn cb, void *arg, bw_err *e)
{
	return bw_sync_query_code(s, ref_in, NULL, cb, arg, e);
}

int bw_sync_query_code(bw_sync *s, const char *ref_in, const char *code_in,
                       bw_sync_query_fn cb, void *arg, bw_err *e)
{
	char ref[BW_REF_LEN + 1], code[BW_RCODE_LEN + 1] = "";
	int rc = bw_ref_parse(ref_in, ref, e);
	if (rc)
		return rc;
	if (code_in && code_in[0]) {
		if (!bw_rcode_valid(code_in))
			return bw_fail(e, BW_EINVAL, "code: not %d digits", BW_RCODE_LEN);
		memcpy(code, code_in, sizeof code);
	}
	struct query *q = NULL;
	for (int i = 0; i < QUERIES_MAX && !q; i++)
		if (!s->q[i].used)
			q = &s->q[i];
	char *json = NULL;
	size_t len = 0;
	mosquitto_property *props = NULL;
	if (!bw_link_online(s->link) || s->hub == 0 || !q || bw_query_encode(ref, code, &json, &len, NULL))
		goto local;
	snprintf(q->corr, sizeof q->corr, "q%u", ++s->next_corr);
	if (mosquitto_property_add_string(&props, MQTT_PROP_RESPONSE_TOPIC, s->t_reply) ||
	    mosquitto_property_add_binary(&props, MQTT_PROP_CORRELATION_DATA, q->corr,
					  (uint16_t)strlen(q->corr)) ||
	    bw_link_publish(s->link, NULL, s->t_query, json, len, 0, props, NULL))
		goto local;
	mosquitto_property_free_all(&props);
	free(json);
	q->used = 1;
	memcpy(q->ref, ref, sizeof q->ref);
	memcpy(q->code, code, sizeof q->code);
	q->due_ms = now_ms() + s->set.query_timeout_ms;
	q->cb = cb;
	q->arg = arg;
	return BW_OK;
local:
	mosquitto_property_free_all(&props);
	free(json);
	answer_local(s, ref, code, cb, arg);
	return BW_OK;
}

static void on_reply(bw_sync *s, const char *payload, int len, const mosquitto_property *props)
{
	void *corr = NULL;
	uint16_t clen = 0;
	if (!mosquitto_property_read_binary(props, MQTT_PROP_CORRELATION_DATA, &corr, &clen, false)) {
		log_warn(s->log, "down/reply: no correlation data, dropped");
		return;
	}
	struct query *q = NULL;
	for (int i = 0; i < QUERIES_MAX && !q; i++)
		if (s->q[i].used && strlen(s->q[i].corr) == clen && memcmp(s->q[i].corr, corr, clen) == 0)
			q = &s->q[i];
	free(corr);
	if (!q)
		return;   /* answered locally already after a timeout */
	bw_status *st = bw_xmalloc(sizeof *st);
	bw_err e;
	bw_status_init(st);
	q->used = 0;
	if (bw_status_decode(payload, (size_t)len, st, &e)) {
		log_warn(s->log, "down/reply: dropped: %s", e.msg);
		answer_local(s, q->ref, q->code, q->cb, q->arg);
	} else {
		q->cb(q->arg, st);
	}
	bw_status_clear(st);
	free(st);
}

static void expire_queries(bw_sync *s, int all)
{
	int64_t now = now_ms();
	for (int i = 0; i < QUERIES_MAX; i++)
		if (s->q[i].used && (all || s->q[i].due_ms <= now)) {
			s->q[i].used = 0;
			log_info(s->log, "status %s: no answer from the hub, answering locally", s->q[i].ref);
			answer_local(s, s->q[i].ref, s->q[i].code, s->q[i].cb, s->q[i].arg);
		}
}

/* ---- notifications ---- */

static int64_t prop_int(const mosquitto_property *props, const char *name, int *found)
{
	char *k = NULL, *v = NULL;
	const mosquitto_property *p = props;
	int skip = 0;
	*found = 0;
	while ((p = mosquitto_property_read_string_pair(p, MQTT_PROP_USER_PROPERTY, &k, &v, skip))) {
		skip = 1;
		int match = strcmp(k, name) == 0;
		char *end;
		errno = 0;
		long long x = strtoll(v, &end, 10);
		int ok = match && !errno && end != v && !*end;
		free(k);
		free(v);
		k = v = NULL;
		if (match) {
			*found = ok;
			return ok ? x : 0;
		}
	}
	return 0;
}

static void prop_str(const mosquitto_property *props, const char *name, char *out, size_t size)
{
	char *k = NULL, *v = NULL;
	const mosquitto_property *p = props;
	int skip = 0;
	out[0] = '\0';
	while ((p = mosquitto_property_read_string_pair(p, MQTT_PROP_USER_PROPERTY, &k, &v, skip))) {
		skip = 1;
		int match = strcmp(k, name) == 0;
		if (match)
			bw_strlcpy(out, v, size);
		free(k);
		free(v);
		if (match)
			return;
	}
}

/* Applies one notification in its own transaction: the notification log row (its
 * uniqueness makes a replay harmless), the event, the request's state if this is its
 * newest event, the cursor over every row now joined without a gap, and the program's
 * callbacks (their writes commit with the rest, or nothing does). */
static void on_notify(bw_sync *s, const char *payload, int len, const mosquitto_property *props)
{
	bw_event *ev = bw_xmalloc(sizeof *ev);
	bw_request *r = bw_xmalloc(sizeof *r);
	char ref[BW_REF_LEN + 1], deadline[BW_DATE_LEN + 1], rule[32], from[BW_DATE_LEN + 1];
	bw_err e;
	bw_day day;
	int has_id, has_prev, has_ext, fresh = 0, have_req = 0;
	int64_t id = prop_int(props, "event-id", &has_id), prev = prop_int(props, "prev", &has_prev);
	int64_t extended = prop_int(props, "extended", &has_ext);
	sqlite3_stmt *st;

	prop_str(props, "deadline", deadline, sizeof deadline);
	/* what the deadline is computed from, so a holiday change recomputes it as the hub
	 * does; taken as a whole or not at all (a hub before this sends none of it) */
	prop_str(props, "deadline-rule", rule, sizeof rule);
	prop_str(props, "deadline-from", from, sizeof from);
	int has_rule = rule[0] && bw_rule_get(rule) && bw_day_parse(from, &day, NULL) == BW_OK &&
		       has_ext && (extended == 0 || extended == 1);
	if (rule[0] && !has_rule)
		log_warn(s->log, "down/notify: bad deadline-rule/deadline-from/extended properties, ignored");
	if (!has_id || !has_prev || id <= 0 || prev < 0 || prev >= id) {
		log_warn(s->log, "down/notify: missing or bad event-id/prev properties, dropped");
		goto out;
	}
	if (bw_wire_event_decode(payload, (size_t)len, ev, ref, &e)) {
		log_warn(s->log, "down/notify: dropped: %s", e.msg);
		goto out;
	}
	tx_done(s);
	if (bw_store_begin(s->st, &e)) {
		log_error(s->log, "down/notify: %s", e.msg);
		goto out;
	}
	have_req = bw_store_get_uid(s->st, ev->request_uid, r, NULL) == BW_OK;
	if (!(st = prep(s, "INSERT OR IGNORE INTO notify_log (event_id, device, prev, request_uid) "
			"VALUES (?1, ?2, ?3, ?4)")))
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, s->set.device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, prev);
	sqlite3_bind_text(st, 4, ev->request_uid, -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	fresh = sqlite3_changes(s->db) == 1;
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		goto fail;
	if (fresh && have_req) {
		if (!(st = prep(s, "INSERT OR IGNORE INTO events (uid, request_uid, at, actor, old_state, "
				"new_state, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")))
			goto fail;
		sqlite3_bind_text(st, 1, ev->uid, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, ev->request_uid, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, ev->at);
		sqlite3_bind_text(st, 4, ev->actor, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 5, ev->old_state);
		sqlite3_bind_int(st, 6, ev->new_state);
		sqlite3_bind_text(st, 7, ev->note, -1, SQLITE_STATIC);
		step = sqlite3_step(st);
		sqlite3_finalize(st);
		if (step != SQLITE_DONE)
			goto fail;
		/* an older notification replayed late must not move the state back */
		if (!(st = prep(s, "UPDATE requests SET state = ?2, deadline = COALESCE(?3, deadline), "
				"deadline_rule = COALESCE(?5, deadline_rule), deadline_from = COALESCE(?6, "
				"deadline_from), extended = CASE WHEN ?7 IS NULL THEN extended OR ?2 = 4 ELSE ?7 END "
				"WHERE uid = ?1 AND NOT EXISTS (SELECT 1 FROM "
				"notify_log WHERE request_uid = ?1 AND event_id > ?4)")))
			goto fail;
		sqlite3_bind_text(st, 1, ev->request_uid, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 2, ev->new_state);
		if (deadline[0] && bw_day_parse(deadline, &day, NULL) == BW_OK)
			sqlite3_bind_text(st, 3, deadline, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, id);
		if (has_rule) {
			sqlite3_bind_text(st, 5, rule, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 6, from, -1, SQLITE_STATIC);
			sqlite3_bind_int(st, 7, (int)extended);
		}
		step = sqlite3_step(st);
		sqlite3_finalize(st);
		if (step != SQLITE_DONE)
			goto fail;
	} else if (fresh) {
		log_warn(s->log, "down/notify: event %s for request %s, which this device does not hold",
			 ev->uid, ev->request_uid);
	}
	/* the cursor moves over every notification now joined to it without a gap */
	int64_t c = s->cursor;
	if (!(st = prep(s, "SELECT event_id FROM notify_log WHERE device = ?1 AND prev = ?2 "
			"ORDER BY event_id LIMIT 1")))
		goto fail;
	for (;;) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, s->set.device, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, c);
		if (sqlite3_step(st) != SQLITE_ROW)
			break;
		c = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (c != s->cursor && state_set(s, "sync.notify_cursor", c) != BW_OK)
		goto fail;
	/* the program's part (the SMS gateway queues the citizen's SMS) commits with the
	 * rest: a kill before the commit loses both and the hub's replay brings it again; a
	 * refusal rolls it all back, for the same replay */
	if (fresh && have_req && (s->cb.notify_tx || s->cb.notify)) {
		if (bw_store_get_uid(s->st, ev->request_uid, r, &e) != BW_OK) {
			log_error(s->log, "down/notify: %s", e.msg);
			bw_store_rollback(s->st);
			goto out;
		}
		int rc = s->cb.notify_tx ? s->cb.notify_tx(s->cb.arg, ev, r->ref, r) : BW_OK;
		if (rc != BW_OK) {
			log_error(s->log, "down/notify: event %s of %s not taken by the program (%s): "
				  "rolled back, it comes again with the hub's next replay", ev->uid, r->ref,
				  bw_strerror(rc));
			bw_store_rollback(s->st);
			goto out;
		}
		if (s->cb.notify)
			s->cb.notify(s->cb.arg, ev, r->ref, r);
	}
	if (bw_store_commit(s->st, &e)) {
		log_error(s->log, "down/notify: commit: %s", e.msg);
		bw_store_rollback(s->st);
		goto out;
	}
	s->cursor = c;
	goto out;
fail:
	log_error(s->log, "down/notify: local db: %s", sqlite3_errmsg(s->db));
	bw_store_rollback(s->st);
out:
	free(ev);
	free(r);
}

/* ---- the hub's public tables ---- */

/* Applies the retained catalogue or holiday table to the local store. The same message
 * comes again at every connection: a hash of the last one applied (in sync_state) skips
 * it then. A message that does not decode changes nothing and is logged. */
static void on_public(bw_sync *s, const char *topic, const char *payload, int len)
{
	const char *leaf = topic + sizeof BW_PROTO_ROOT "/pub/" - 1, *key;
	int cat = strcmp(leaf, "catalogue") == 0, n = 0, moved = 0, rc;
	bw_err e;
	if (!cat && strcmp(leaf, "holidays") != 0)
		return;
	if (len == 0)
		return;   /* a retained message being cleared */
	key = cat ? "sync.catalogue_hash" : "sync.holidays_hash";
	uint64_t h = 1469598103934665603u;
	for (int i = 0; i < len; i++)
		h = (h ^ (unsigned char)payload[i]) * 1099511628211u;
	if (state_get(s, key) == (int64_t)h)
		return;
	tx_done(s);
	rc = cat ? bw_pub_apply_catalogue(s->st, payload, (size_t)len, &n, &e)
	         : bw_pub_apply_holidays(s->st, payload, (size_t)len, &n, &moved, &e);
	if (rc) {
		log_warn(s->log, "%s: not applied: %s", topic, e.msg);
		return;
	}
	state_set(s, key, (int64_t)h);
	if (cat)
		log_info(s->log, "catalogue from the hub applied (%d entries)", n);
	else
		log_info(s->log, "holidays from the hub applied (%d days, %d open deadline%s moved)", n,
			 moved, moved == 1 ? "" : "s");
}

/* The hub's presence (pub/hub, retained, its will says offline). When it comes back,
 * what waits for its acknowledgement goes again now rather than at the next retry,
 * which may be a minute away after a long outage. */
static void on_hub(bw_sync *s, const char *payload, int len)
{
	bw_presence p;
	bw_err e;
	if (len == 0)
		return;   /* a retained message being cleared */
	if (bw_presence_decode(payload, (size_t)len, &p, &e)) {
		log_warn(s->log, "pub/hub: dropped: %s", e.msg);
		return;
	}
	int was = s->hub;
	s->hub = p.online ? 1 : 0;
	if (was == s->hub)
		return;
	log_info(s->log, "the hub is %s", p.online ? "online" : "offline");
	if (s->hub == 1 && was == 0) {
		for (size_t i = 0; i < s->npend; i++)
			s->pend[i].due_ms = 0;
		pump(s);
	}
}

/* ---- connection ---- */

static void on_message(void *arg, const struct mosquitto_message *msg, const mosquitto_property *props)
{
	bw_sync *s = arg;
	const char *leaf = NULL;
	size_t n = strlen(s->t_down);
	if (strncmp(msg->topic, s->t_down, n) == 0)
		leaf = msg->topic + n;
	if (leaf && strcmp(leaf, "ack") == 0)
		on_ack(s, msg->payload, msg->payloadlen, props);
	else if (leaf && strcmp(leaf, "reply") == 0)
		on_reply(s, msg->payload, msg->payloadlen, props);
	else if (leaf && strcmp(leaf, "notify") == 0)
		on_notify(s, msg->payload, msg->payloadlen, props);
	else if (strcmp(msg->topic, BW_PROTO_ROOT "/pub/hub") == 0)
		on_hub(s, msg->payload, msg->payloadlen);
	else if (strncmp(msg->topic, BW_PROTO_ROOT "/pub/", sizeof BW_PROTO_ROOT "/pub/" - 1) == 0) {
		on_public(s, msg->topic, msg->payload, msg->payloadlen);
		if (s->cb.published)
			s->cb.published(s->cb.arg, msg->topic, msg->payload, (size_t)msg->payloadlen);
	} else {
		log_warn(s->log, "%s: unexpected topic, dropped", msg->topic);
	}
}

/* The link's state: online, the subscriptions are made already (bw_link.c); what was in
 * flight on the old connection may be lost, so it goes again now. Otherwise the
 * connection is gone, and with it what the device knew of the hub. */
static void on_state(void *arg, int state, const char *why)
{
	bw_sync *s = arg;
	if (state != BW_LINK_ONLINE) {
		s->hub = -1;   /* its retained presence comes again with the next connection */
		return;
	}
	for (size_t i = 0; i < s->npend; i++)
		s->pend[i].due_ms = 0;
	publish_presence(s, 1);
	s->heartbeat_at = now_ms() + (int64_t)s->set.heartbeat * 1000;
	pump(s);
}

/* The connection: the [broker] settings and the [sync] timings, the will (the hub hears
 * the device is gone when the connection dies without a goodbye), the subscriptions. */
static int link_open(bw_sync *s, bw_err *e)
{
	bw_link_settings ls = s->set.broker;
	ls.keepalive = s->set.keepalive;
	ls.session_expiry = s->set.session_expiry;
	ls.reconnect_max_ms = s->set.reconnect_max_ms;
	bw_link_callbacks cb = { .arg = s, .state = on_state, .message = on_message, .refused = on_refused };
	char sub[BW_PROTO_TOPIC_MAX + 2], *will;
	size_t wlen;
	int rc;
	bw_presence wp = { .online = 0, .outbox = -1, .signal = -1, .queue = -1 };
	snprintf(sub, sizeof sub, "%s#", s->t_down);
	if ((rc = bw_link_new(&s->link, &ls, &cb, s->log, e)) ||
	    (rc = bw_link_subscribe(s->link, sub, e)) ||
	    (rc = bw_link_subscribe(s->link, BW_PROTO_ROOT "/pub/#", e)) ||
	    (rc = bw_presence_encode(&wp, &will, &wlen, e)))
		return rc;
	rc = bw_link_will(s->link, s->t_presence, will, wlen, 1, e);
	free(will);
	return rc;
}

int bw_sync_new(bw_sync **out, const bw_sync_settings *set, bw_store *st,
                const bw_sync_callbacks *cb, const bw_log *log, bw_err *e)
{
	*out = NULL;
	if (!set->device[0] || set->num < 1 || set->num > (int)BW_REF_DEVICE_MAX || set->window < 1)
		return bw_fail(e, BW_EINVAL, "sync: device id, num (1..9999) and window are needed");
	bw_sync *s = bw_xcalloc(1, sizeof *s);
	s->hub = -1;
	int rc;
	s->set = *set;
	s->st = st;
	s->db = bw_store_db(st);
	if (cb)
		s->cb = *cb;
	s->log = log;
	s->pend = bw_xcalloc((size_t)set->window, sizeof *s->pend);
	if ((rc = bw_proto_topic(s->t_req, sizeof s->t_req, set->device, "up/req", e)) ||
	    (rc = bw_proto_topic(s->t_evt, sizeof s->t_evt, set->device, "up/evt", e)) ||
	    (rc = bw_proto_topic(s->t_query, sizeof s->t_query, set->device, "up/query", e)) ||
	    (rc = bw_proto_topic(s->t_presence, sizeof s->t_presence, set->device, "up/presence", e)) ||
	    (rc = bw_proto_topic(s->t_reply, sizeof s->t_reply, set->device, "down/reply", e)) ||
	    (rc = bw_proto_topic(s->t_down, sizeof s->t_down, set->device, "down/", e)))
		goto err;

	/* the catalogue is needed to validate requests offline */
	sqlite3_stmt *q = prep(s, "SELECT count(*) FROM administrations");
	int empty = q && sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) == 0;
	sqlite3_finalize(q);
	if (empty && (rc = bw_store_seed(st, e)))
		goto err;
	s->cursor = state_get(s, "sync.notify_cursor");

	if ((rc = link_open(s, e)))
		goto err;
	*out = s;
	return BW_OK;
err:
	bw_sync_free(s);
	return rc;
}

void bw_sync_free(bw_sync *s)
{
	if (!s)
		return;
	tx_done(s);
	if (s->link && bw_link_online(s->link))
		publish_presence(s, 0);   /* the goodbye makes the broker drop the will */
	bw_link_free(s->link, 1000);
	for (int i = 0; i < Q_COUNT; i++)
		sqlite3_finalize(s->stmts[i]);
	free(s->pend);
	free(s);
}

/* ---- submit ---- */

int bw_sync_submit(bw_sync *s, bw_request *r, bw_err *e)
{
	char actor[BW_ACTOR_MAX + 1], *json = NULL;
	size_t len;
	int rc;
	tx_done(s);
	if (!r->uid[0] && (rc = bw_uuid_v7(r->uid, e)))
		return rc;
	bw_strlcpy(r->device, s->set.device, sizeof r->device);
	if (!r->site[0])
		bw_strlcpy(r->site, s->set.site, sizeof r->site);
	if (!r->received_at)
		r->received_at = bw_now();
	if (!r->received_on[0])
		bw_day_format(bw_legal_day(r->received_at), r->received_on);
	snprintf(actor, sizeof actor, "device:%s", s->set.device);

	if ((rc = bw_store_begin(s->st, e)))
		return rc;
	if ((rc = bw_store_next_ref(s->st, (unsigned)s->set.num, r->ref, e)) ||
	    (rc = bw_store_insert(s->st, r, actor, e)) ||
	    (rc = bw_wire_request_encode(r, &json, &len, e)))
		goto fail;
	sqlite3_stmt *st = cached(s, Q_INSERT);
	if (!st) {
		rc = bw_fail(e, BW_EDB, "outbox: %s", sqlite3_errmsg(s->db));
		goto fail;
	}
	sqlite3_bind_text(st, 1, r->uid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, json, (int)len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, r->received_at);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = bw_fail(e, BW_EDB, "outbox: %s", sqlite3_errmsg(s->db));
	done(st);
	if (rc || (rc = bw_store_commit(s->st, e)))
		goto fail;
	free(json);
	pump(s);   /* online: on its way before the citizen has read the reference */
	return BW_OK;
fail:
	free(json);
	bw_store_rollback(s->st);
	return rc;
}

/* ---- citizen-made events ---- */

int bw_sync_event(bw_sync *s, const char *ref_in, int to, const char *note, bw_event *out, bw_err *e)
{
	char ref[BW_REF_LEN + 1], actor[BW_ACTOR_MAX + 1], *json = NULL;
	size_t len;
	bw_event *ev = bw_xmalloc(sizeof *ev);
	int rc;
	tx_done(s);
	if ((rc = bw_ref_parse(ref_in, ref, e)))
		goto out;
	if (to != BW_ST_REOPENED && to != BW_ST_CLOSED && to != BW_ST_UNDER_APPEAL) {
		rc = bw_fail(e, BW_EINVAL, "state: a citizen may only reopen, withdraw (closed) or appeal, "
			     "not move to %s", bw_state_name(to));
		goto out;
	}
	snprintf(actor, sizeof actor, "citizen:%s", s->set.device);
	if ((rc = bw_store_begin(s->st, e)))
		goto out;
	if ((rc = bw_store_transition(s->st, ref, to, actor, note, bw_now(), ev, e)) ||
	    (rc = bw_wire_event_encode(ev, ref, &json, &len, e)))
		goto fail;
	sqlite3_stmt *st = cached(s, Q_INSERT_EVT);
	if (!st) {
		rc = bw_fail(e, BW_EDB, "outbox: %s", sqlite3_errmsg(s->db));
		goto fail;
	}
	sqlite3_bind_text(st, 1, ev->uid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, json, (int)len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, ev->at);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = bw_fail(e, BW_EDB, "outbox: %s", sqlite3_errmsg(s->db));
	done(st);
	if (rc || (rc = bw_store_commit(s->st, e)))
		goto fail;
	if (out)
		*out = *ev;
	pump(s);
	goto out;
fail:
	bw_store_rollback(s->st);
out:
	free(json);
	free(ev);
	return rc;
}

/* ---- the loop ---- */

int bw_sync_fd(bw_sync *s)
{
	return bw_link_fd(s->link);
}

int bw_sync_want_write(bw_sync *s)
{
	return bw_link_want_write(s->link);
}

void bw_sync_handle(bw_sync *s, short revents)
{
	int64_t now = now_ms();
	/* what was forgotten is zeroed in the database's pages; the WAL still holds the old
	 * pages until it is truncated: at a quiet moment, at most every 5 s */
	if (s->forgot && !s->in_tx && now >= s->truncate_at) {
		s->forgot = 0;
		s->truncate_at = now + 5000;
		if (sqlite3_exec(s->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL) != SQLITE_OK)
			log_warn(s->log, "local db: wal_checkpoint: %s", sqlite3_errmsg(s->db));
	}
	bw_link_handle_in(s->link, revents);
	tx_done(s);   /* the acks of what was read, in one commit */
	if (!bw_link_open(s->link)) {
		expire_queries(s, 1);
		return;
	}
	now = now_ms();
	if (bw_link_online(s->link)) {
		if (now >= s->heartbeat_at) {
			publish_presence(s, 1);
			s->heartbeat_at = now + (int64_t)s->set.heartbeat * 1000;
		}
		pump(s);
	}
	expire_queries(s, 0);
	bw_link_handle_out(s->link);
}

int bw_sync_timeout_ms(bw_sync *s)
{
	int64_t now = now_ms(), next = now + bw_link_timeout_ms(s->link);
	if (bw_link_online(s->link)) {
		if (s->heartbeat_at < next)
			next = s->heartbeat_at;
		for (size_t i = 0; s->hub != 0 && i < s->npend; i++)
			if (!s->pend[i].acked && s->pend[i].due_ms < next)
				next = s->pend[i].due_ms;
	}
	for (int i = 0; bw_link_open(s->link) && i < QUERIES_MAX; i++)
		if (s->q[i].used && s->q[i].due_ms < next)
			next = s->q[i].due_ms;
	return next <= now ? 0 : (int)(next - now);
}
