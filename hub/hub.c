/* hub.c: the hub engine: MQTT v5 client "hub" on bawaba/v1/dev/+/up/# and
 * bawaba/v1/agent/+/up/cmd, strict checks of who sent what, group commit then acks,
 * status replies, notifications from the event log with replay on a device's cursor,
 * presence in the devices table, the agents' live queue (console.c), retained catalogue
 * and holidays, the daily overdue count. */
#include "bw_clock.h"
#include "hub.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <poll.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bw_calendar.h"
#include "bw_conf.h"
#include "bw_mqtt.h"
#include "bw_proto.h"
#include "bw_ref.h"
#include "bw_store.h"
#include "bw_sync.h"
#include "bw_text.h"
#include "bw_wire.h"
#include "bw_rate.h"
#include "console.h"
#include "guard.h"

/* ---- settings ---- */

static const bw_conf_key keys[] = {
	BW_CONF_S("broker", "host", hub_settings, host, "127.0.0.1", "broker host"),
	BW_CONF_I("broker", "port", hub_settings, port, 1, 65535, "1883", "broker port"),
	BW_CONF_S("broker", "username", hub_settings, username, "hub", "broker user of the hub"),
	BW_CONF_S("broker", "password", hub_settings, password, NULL, "its password"),
	BW_CONF_P("broker", "cafile", hub_settings, cafile, NULL, "CA certificate; empty = plain TCP"),
	BW_CONF_S("device", "id", hub_settings, dev_id, NULL, "written by bawaba-broker; unused"),
	BW_CONF_S("device", "kind", hub_settings, dev_kind, NULL, "written by bawaba-broker; unused"),
	BW_CONF_S("device", "site", hub_settings, dev_site, NULL, "written by bawaba-broker; unused"),
	BW_CONF_P("hub", "db", hub_settings, db, "/var/lib/bawaba/hub.db", "the central database"),
	BW_CONF_I("hub", "batch_max", hub_settings, batch_max, 1, 10000, "256",
		  "requests per group commit at most"),
	BW_CONF_I("hub", "batch_ms", hub_settings, batch_ms, 0, 1000, "3",
		  "longest wait of a batch under load, ms"),
	BW_CONF_I("hub", "events_ms", hub_settings, events_ms, 10, 60000, "200",
		  "event log polled every N ms for status changes"),
	BW_CONF_I("hub", "replay_max", hub_settings, replay_max, 1, 100000, "500",
		  "notifications re-sent to a device per heartbeat at most"),
	BW_CONF_I("hub", "keepalive", hub_settings, keepalive, 5, 3600, "30", "MQTT keepalive, s"),
	BW_CONF_I("hub", "session_expiry", hub_settings, session_expiry, 0, 2147483647, "604800",
		  "s the broker keeps the hub's session (and queues requests) while it is away"),
	BW_CONF_S("hub", "log_level", hub_settings, log_level, "info", "error, warn, info or debug"),
	BW_CLOCK_CONF("hub", hub_settings, time_zone),
	BW_CONF_I("hub", "log_interval", hub_settings, log_interval, 1, 3600, "60",
		  "s: at most 20 lines about one device in it, then one line with the count"),
	/* per-device budgets, checked before a message is read: what goes over is dropped
	 * unread and counted (devices.throttled). A request or event dropped this way gets no
	 * ack, so the device sends it again later: nothing is lost, a flood only slows its
	 * own device. The bursts let a device send its backlog after an outage at once. */
	BW_CONF_I("budget", "req_rate", hub_settings, req_rate, 0, 1000000, "100",
		  "requests a second per device (0: no limit)"),
	BW_CONF_I("budget", "req_burst", hub_settings, req_burst, 1, 1000000, "3000",
		  "requests a device may send at once"),
	BW_CONF_I("budget", "evt_rate", hub_settings, evt_rate, 0, 1000000, "20",
		  "events a second per device (0: no limit)"),
	BW_CONF_I("budget", "evt_burst", hub_settings, evt_burst, 1, 1000000, "1000",
		  "events a device may send at once"),
	BW_CONF_I("budget", "query_rate", hub_settings, query_rate, 0, 1000000, "5",
		  "status queries a second per device, with or without a code (0: no limit)"),
	BW_CONF_I("budget", "query_burst", hub_settings, query_burst, 1, 1000000, "30",
		  "status queries a device may send at once"),
	BW_CONF_I("budget", "presence_rate", hub_settings, presence_rate, 0, 1000000, "5",
		  "heartbeats a second per device (0: no limit)"),
	BW_CONF_I("budget", "presence_burst", hub_settings, presence_burst, 1, 1000000, "60",
		  "heartbeats a device may send at once"),
	/* receipt-code guessing, counted in the database (table code_tries) over sliding
	 * windows, so a restart of the hub does not reset it (docs/protocol.md) */
	BW_CONF_I("budget", "code_device_max", hub_settings, codes.device_max, 1, 100000, "30",
		  "wrong receipt codes through one device per code_device_window"),
	BW_CONF_I("budget", "code_device_window", hub_settings, codes.device_window, 60, 604800, "3600",
		  "s"),
	BW_CONF_I("budget", "code_request_max", hub_settings, codes.request_max, 1, 100000, "10",
		  "wrong receipt codes on one reference per code_request_window, whatever the device"),
	BW_CONF_I("budget", "code_request_window", hub_settings, codes.request_window, 60, 2592000,
		  "86400", "s"),
	BW_CONF_END
};

void hub_settings_default(hub_settings *s)
{
	memset(s, 0, sizeof *s);
	bw_conf_defaults(keys, s, NULL);
}

int hub_settings_load(const char *path, hub_settings *s, bw_err *e)
{
	return bw_conf_load(path, keys, s, e);
}

int hub_settings_set(hub_settings *s, const char *a, bw_err *e)
{
	char sec[32], name[32];
	const char *dot = strchr(a, '.'), *eq = strchr(a, '=');
	if (!dot || !eq || dot > eq || (size_t)(dot - a) >= sizeof sec || (size_t)(eq - dot - 1) >= sizeof name)
		return bw_fail(e, BW_EINVAL, "%s: expected section.key=value", a);
	memcpy(sec, a, (size_t)(dot - a));
	sec[dot - a] = '\0';
	memcpy(name, dot + 1, (size_t)(eq - dot - 1));
	name[eq - dot - 1] = '\0';
	return bw_conf_set(keys, s, sec, name, eq + 1, e);
}

void hub_settings_print(FILE *fp)
{
	bw_conf_print(keys, fp);
}

/* ---- state ---- */

/* The kinds of message a device sends, each with its own budget. */
enum { HL_REQ, HL_EVT, HL_QUERY, HL_PRESENCE, HL_COUNT };

/* A device's log lines: so many per log_interval, then one line with the count. */
#define LOG_LINES 20
#define LOG_INTERVAL_MS ((int64_t)h->set.log_interval * 1000)

struct hdev {
	char id[BW_CODE_MAX + 1];
	int num;
	char kind[16];                /* kiosk | gateway, from the registry */
	char site[BW_CODE_MAX + 1];   /* its reception site in the registry ("" = not set) */
	int hb_seen;          /* a heartbeat arrived since the hub started */
	int64_t last_cursor;  /* the cursor of that heartbeat */
	/* issue 11: what one device may cost the hub. Budgets per kind of message (HL_*),
	 * its log lines throttled, and counters kept in memory under a flood and written to
	 * the devices table once a second (a write per dropped message was the flood's cost) */
	bw_bucket budget[HL_COUNT];
	bw_logonce logs;
	long drops_due, throttled_due, stamped_due;
	int clock_bad;        /* its last heartbeat's clock was off by more than GUARD_SKEW_MAX */
};

struct item {
	char dev[BW_CODE_MAX + 1];
	char reject[BW_ERRMSG];   /* why the hub refuses what the device claims; "" = none */
	bw_request r;
};

struct hub {
	hub_settings set;
	double rates[HL_COUNT][2];   /* budgets from set: per second, burst */
	const bw_log *log;
	bw_store *st;
	sqlite3 *db;
	struct mosquitto *m;
	int sock_open, online;
	int64_t reconnect_at, misc_at, events_at, pub_at, overdue_at, devs_at, dv_at;
	int data_version;     /* PRAGMA data_version: moves when another process commits */
	hub_console *con;
	int reconnect_ms;

	struct hdev *devs;
	size_t ndevs;

	struct item *batch;
	size_t nbatch;
	int64_t batch_since;

	int64_t event_cursor;
	char *pub_cat, *pub_hol;     /* last published, to publish again only on change */
	char overdue_day[BW_DATE_LEN + 1];
	hub_stats stats;
	bw_logonce unknown_logs;     /* lines about devices not enrolled */
	int64_t tick_at;             /* devs_tick, once a second */
};

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static sqlite3_stmt *prep(hub *h, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(h->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
		log_error(h->log, "db: prepare: %s", sqlite3_errmsg(h->db));
	return st;
}

static int64_t state_get(sqlite3 *db, const char *key)
{
	sqlite3_stmt *st;
	int64_t v = 0;
	if (sqlite3_prepare_v2(db, "SELECT value FROM sync_state WHERE key = ?1", -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int state_set(sqlite3 *db, const char *key, int64_t v)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "INSERT INTO sync_state (key, value) VALUES (?1, ?2) "
			       "ON CONFLICT (key) DO UPDATE SET value = ?2", -1, &st, NULL) != SQLITE_OK)
		return BW_EDB;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, v);
	int rc = sqlite3_step(st) == SQLITE_DONE ? BW_OK : BW_EDB;
	sqlite3_finalize(st);
	return rc;
}

/* PRAGMA data_version of the hub's connection; -1 on error. */
static int data_version(hub *h)
{
	sqlite3_stmt *st = prep(h, "PRAGMA data_version");
	int v = -1;
	if (st && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* ---- devices ---- */

void hub_reload_devices(hub *h)
{
	sqlite3_stmt *st = prep(h, "SELECT id, num, kind, site FROM devices ORDER BY id");
	if (!st)
		return;
	struct hdev *old = h->devs;
	size_t nold = h->ndevs, cap = 16, n = 0;
	struct hdev *d = bw_xcalloc(cap, sizeof *d);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n == cap)
			d = bw_xrealloc(d, (cap *= 2) * sizeof *d);
		memset(&d[n], 0, sizeof d[n]);
		bw_strlcpy(d[n].id, (const char *)sqlite3_column_text(st, 0), sizeof d[n].id);
		d[n].num = sqlite3_column_int(st, 1);
		if (sqlite3_column_text(st, 2))
			bw_strlcpy(d[n].kind, (const char *)sqlite3_column_text(st, 2), sizeof d[n].kind);
		if (sqlite3_column_text(st, 3))
			bw_strlcpy(d[n].site, (const char *)sqlite3_column_text(st, 3), sizeof d[n].site);
		for (size_t i = 0; i < nold; i++)   /* keep what we know of its heartbeats, budgets */
			if (strcmp(old[i].id, d[n].id) == 0) {
				struct hdev keep = d[n];
				d[n] = old[i];
				d[n].num = keep.num;
				memcpy(d[n].kind, keep.kind, sizeof d[n].kind);
				memcpy(d[n].site, keep.site, sizeof d[n].site);
			}
		n++;
	}
	sqlite3_finalize(st);
	free(old);
	h->devs = d;
	h->ndevs = n;
	h->devs_at = now_ms();
}

static struct hdev *find_dev(hub *h, const char *id, int reload)
{
	for (int pass = 0; pass < 2; pass++) {
		size_t lo = 0, hi = h->ndevs;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			int c = strcmp(h->devs[mid].id, id);
			if (c == 0)
				return &h->devs[mid];
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		/* enrolled since we last looked? reread, at most once a second */
		if (!reload || pass || now_ms() - h->devs_at < 1000)
			return NULL;
		hub_reload_devices(h);
	}
	return NULL;
}

/* A decoder's reason without the payload: jansson's messages quote the input near a
 * JSON error ("invalid token near '...'"), and a payload may hold a citizen's name, phone
 * or ID number, which must not reach a log. Every " near '...'" is cut out (up to the
 * "' at line" that ends it, or to the end); the error kind and position stay. */
static void redact(const char *in, char *out, size_t size)
{
	static const char mark[] = " near '", tail[] = "' at line ";
	const char *near = strstr(in, mark);
	if (!near) {
		bw_strlcpy(out, in, size);
		return;
	}
	const char *end = NULL;
	for (const char *p = near; (p = strstr(p, tail)); p++)
		end = p;   /* the last one: the fragment itself may contain the tail's text */
	snprintf(out, size, "%.*s%s", (int)(near - in), in, end ? end + 1 : "");
	if (strstr(out, mark)) {   /* another one (not made by our decoders): cut it all */
		char again[BW_ERRMSG + 64];
		bw_strlcpy(again, out, sizeof again);
		redact(again, out, size);
	}
}

/* Writes what a device's counters gathered in memory to its devices row. */
static void dev_counts_flush(hub *h, struct hdev *d)
{
	if (!d->drops_due && !d->throttled_due && !d->stamped_due)
		return;
	sqlite3_stmt *st = prep(h, "UPDATE devices SET dropped = dropped + ?2, throttled = throttled + ?3, "
				"clock_stamped = clock_stamped + ?4 WHERE id = ?1");
	if (st) {
		sqlite3_bind_text(st, 1, d->id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, d->drops_due);
		sqlite3_bind_int64(st, 3, d->throttled_due);
		sqlite3_bind_int64(st, 4, d->stamped_due);
		if (sqlite3_step(st) != SQLITE_DONE)
			log_error(h->log, "devices: %s", sqlite3_errmsg(h->db));
		sqlite3_finalize(st);
	}
	d->drops_due = d->throttled_due = d->stamped_due = 0;
}

/* Whether a line about device d may be logged now (LOG_LINES per log_interval); a
 * summary of the lines held back in the interval before is written first. A line let through also
 * writes the device's counters, so they are current whenever the log speaks. */
static int dev_log_allow(hub *h, struct hdev *d)
{
	long held = 0;
	int ok = bw_logonce_allow(&d->logs, now_ms(), LOG_INTERVAL_MS, LOG_LINES, &held);
	if (held)
		log_warn(h->log, "%s: %ld more lines about this device held back in %d s "
			 "(bawaba devices: dropped, throttled, clock)", d->id, held, h->set.log_interval);
	if (ok)
		dev_counts_flush(h, d);
	return ok;
}

/* Once a second: counters to the database, summaries of held-back log lines. */
static void devs_tick(hub *h)
{
	int64_t now = now_ms();
	for (size_t i = 0; i < h->ndevs; i++) {
		struct hdev *d = &h->devs[i];
		long held = bw_logonce_due(&d->logs, now, LOG_INTERVAL_MS);
		if (held)
			log_warn(h->log, "%s: %ld more lines about this device held back in %d s "
				 "(bawaba devices: dropped, throttled, clock)", d->id, held, h->set.log_interval);
		dev_counts_flush(h, d);
	}
}

/* Drops a message with one log line naming the device and the reason (LOG_LINES per
 * log_interval and device at most, then a count), and counts it. d is NULL for a device
 * the hub does not know: those lines share one throttle, and no row counts them. */
static void drop_dev(hub *h, struct hdev *d, const char *dev, const char *leaf, const char *why_in)
{
	char why[BW_ERRMSG + 64];
	h->stats.dropped++;
	if (d) {
		d->drops_due++;
		if (!dev_log_allow(h, d))
			return;
	} else {
		long held = 0;
		int ok = bw_logonce_allow(&h->unknown_logs, now_ms(), LOG_INTERVAL_MS, LOG_LINES, &held);
		if (held)
			log_warn(h->log, "%ld more lines about unknown devices held back in %d s", held,
				 h->set.log_interval);
		if (!ok)
			return;
	}
	redact(why_in, why, sizeof why);
	log_warn(h->log, "dropped %s from %s: %s", leaf, dev, why);
	if (d)
		dev_counts_flush(h, d);
}

#define drop(h, dev, leaf, why) drop_dev((h), find_dev((h), (dev), 0), (dev), (leaf), (why))

/* ---- publishing ---- */

static void publish(hub *h, const char *topic, const char *payload, size_t len, int retain,
                    const mosquitto_property *props)
{
	int rc = mosquitto_publish_v5(h->m, NULL, topic, (int)len, payload, 1, retain, props);
	if (rc != MOSQ_ERR_SUCCESS)
		log_warn(h->log, "publish %s: %s", topic, mosquitto_strerror(rc));
}

static void console_pub(void *arg, const char *topic, const char *payload, size_t len,
                        const mosquitto_property *props)
{
	hub *h = arg;
	if (h->online)
		publish(arg, topic, payload, len, 0, props);
}

/* One ack message for n acks. dl (may be NULL) holds the hub's deadline of each stored or
 * duplicate request ("" for none): each goes as a user property "deadline" = "UID DAY",
 * so the device takes the hub's deadline (its holiday table may differ) without a change
 * to the ack's JSON, which older devices read strictly. */
static void send_acks(hub *h, const char *dev, const bw_ack *a, char (*dl)[BW_DATE_LEN + 1], size_t n)
{
	char topic[BW_PROTO_TOPIC_MAX], *json, v[BW_UID_LEN + BW_DATE_LEN + 2];
	size_t len;
	bw_err e;
	mosquitto_property *props = NULL;
	if (bw_proto_topic(topic, sizeof topic, dev, "down/ack", &e) ||
	    bw_ack_encode(a, n, &json, &len, &e)) {
		log_error(h->log, "ack to %s: %s", dev, e.msg);
		return;
	}
	for (size_t i = 0; dl && i < n; i++)
		if (dl[i][0] && a[i].status != BW_ACK_REJECTED) {
			snprintf(v, sizeof v, "%s %s", a[i].uid, dl[i]);
			mosquitto_property_add_string_pair(&props, MQTT_PROP_USER_PROPERTY, "deadline", v);
		}
	publish(h, topic, json, len, 0, props);
	mosquitto_property_free_all(&props);
	free(json);
}

/* ---- ingest: group commit, then acks ---- */

/* A batch smaller than this when the socket runs dry is committed without waiting. */
#define TRICKLE 8

void hub_flush(hub *h)
{
	if (!h->nbatch)
		return;
	bw_err e;
	bw_ack *acks = bw_xcalloc(h->nbatch, sizeof *acks);
	char (*dl)[BW_DATE_LEN + 1] = bw_xcalloc(h->nbatch, sizeof *dl);   /* hub's deadline of each */
	char actor[BW_ACTOR_MAX + 1];
	bw_request *stored = bw_xmalloc(sizeof *stored);
	int rc = bw_store_begin(h->st, &e);
	long n_stored = 0, n_dup = 0, n_rej = 0;
	int live = 0;
	for (size_t i = 0; i < h->nbatch && rc == BW_OK; i++) {
		struct item *it = &h->batch[i];
		bw_ack *a = &acks[i];
		memcpy(a->uid, it->r.uid, sizeof a->uid);
		snprintf(actor, sizeof actor, "device:%s", it->dev);
		if (it->reject[0]) {
			/* a request stored before (its ack lost) is a duplicate even if what it
			 * claims would no longer pass (a backlog older than the window now) */
			int g = bw_store_get_uid(h->st, it->r.uid, stored, &e);
			if (g == BW_OK && strcmp(stored->device, it->dev) == 0) {
				a->status = BW_ACK_DUPLICATE;
				memcpy(a->ref, stored->ref, sizeof a->ref);
				memcpy(dl[i], stored->deadline, sizeof dl[i]);
				n_dup++;
			} else if (g == BW_OK || g == BW_ENOTFOUND) {
				a->status = BW_ACK_REJECTED;
				bw_strlcpy(a->reason, it->reject, sizeof a->reason);
				log_warn(h->log, "rejected request %s from %s: %s", it->r.uid, it->dev, it->reject);
				n_rej++;
			} else {
				rc = g;
			}
			continue;
		}
		int r = bw_store_insert(h->st, &it->r, actor, &e);
		if (r == BW_OK) {
			a->status = BW_ACK_STORED;
			memcpy(a->ref, it->r.ref, sizeof a->ref);
			memcpy(dl[i], it->r.deadline, sizeof dl[i]);
			n_stored++;
			live = live || hub_console_wants(h->con, it->r.site, it->r.admin);
		} else if (r == BW_EEXIST && bw_store_get_uid(h->st, it->r.uid, stored, NULL) == BW_OK) {
			if (strcmp(stored->device, it->dev) != 0) {
				/* another device's uid: say nothing about that request */
				a->status = BW_ACK_REJECTED;
				snprintf(a->reason, sizeof a->reason, "uid: belongs to another device");
				log_warn(h->log, "rejected request %s from %s: uid of a request of %s",
					 it->r.uid, it->dev, stored->device);
				n_rej++;
			} else {
				a->status = BW_ACK_DUPLICATE;
				memcpy(a->ref, stored->ref, sizeof a->ref);
				memcpy(dl[i], stored->deadline, sizeof dl[i]);
				n_dup++;
			}
		} else if (r == BW_EINVAL || r == BW_ETOOBIG || r == BW_EEXIST) {
			a->status = BW_ACK_REJECTED;
			bw_strlcpy(a->reason, e.msg, sizeof a->reason);
			log_warn(h->log, "rejected request %s from %s: %s", it->r.uid, it->dev, e.msg);
			n_rej++;
		} else {
			rc = r;
		}
	}
	if (rc == BW_OK)
		rc = bw_store_commit(h->st, &e);
	if (rc != BW_OK) {
		/* nothing is acknowledged: the devices send it all again */
		log_error(h->log, "batch of %zu requests not stored: %s", h->nbatch, e.msg);
		bw_store_rollback(h->st);
	} else {
		h->stats.batches++;
		h->stats.stored += n_stored;
		h->stats.duplicates += n_dup;
		h->stats.rejected += n_rej;
		/* one ack message per device per commit (split at BW_PROTO_ACKS_MAX): the
		 * broker and each device handle one message for a whole batch */
		bw_ack *group = bw_xmalloc(BW_PROTO_ACKS_MAX * sizeof *group);
		char (*gdl)[BW_DATE_LEN + 1] = bw_xmalloc(BW_PROTO_ACKS_MAX * sizeof *gdl);
		char *sent = bw_xcalloc(h->nbatch, 1);
		for (size_t i = 0; i < h->nbatch; i++) {
			size_t n = 0;
			for (size_t j = i; j < h->nbatch && n < BW_PROTO_ACKS_MAX; j++)
				if (!sent[j] && strcmp(h->batch[j].dev, h->batch[i].dev) == 0) {
					memcpy(gdl[n], dl[j], sizeof gdl[n]);
					group[n++] = acks[j];
					sent[j] = 1;
				}
			if (n)
				send_acks(h, h->batch[i].dev, group, gdl, n);
		}
		free(sent);
		free(gdl);
		free(group);
		h->stats.last_ack_ms = now_ms();
		if (live)
			h->events_at = 0;   /* an agent is watching: push the new rows now */
		log_debug(h->log, "batch: %zu requests, %ld stored, %ld duplicates, %ld rejected",
			  h->nbatch, n_stored, n_dup, n_rej);
	}
	free(stored);
	free(acks);
	free(dl);
	h->nbatch = 0;
}

/* How far a request's day of receipt may be from the hub's today: a device may send a
 * backlog after an outage of up to RECEIPT_PAST_DAYS (its requests were taken then, the
 * legal clock started then); a day ahead allows for a device clock a little fast around
 * midnight. Beyond that the date is not believed: a deadline counted from 2199 or 1970
 * would be meaningless. */
#define RECEIPT_PAST_DAYS 30
#define RECEIPT_FUTURE_DAYS 1

/* What the device claims about a request, against the registry and the hub's clock:
 * "" if believable, else the reason in why. A device's own topic, device field and
 * reference number are checked by on_req already; this is about the rest (the site the
 * agents' scope and reports go by, the channel, the date the deadline counts from). */
static void claims_check(const struct hdev *d, const bw_request *r, int64_t now, char *why, size_t size)
{
	int want = strcmp(d->kind, "kiosk") == 0 ? BW_CHANNEL_KIOSK
		 : strcmp(d->kind, "gateway") == 0 ? BW_CHANNEL_SMS : -1;
	bw_day on, today = bw_legal_day(now);
	char a[BW_DATE_LEN + 1], b[BW_DATE_LEN + 1];
	why[0] = '\0';
	if (d->site[0] && strcmp(r->site, d->site) != 0)
		snprintf(why, size, "site: \"%.32s\" is not this device's site (%s)", r->site, d->site);
	else if (want < 0)
		snprintf(why, size, "channel: a device of kind \"%s\" takes no requests", d->kind);
	else if ((int)r->channel != want)
		snprintf(why, size, "channel: a %s takes %s requests, not %s", d->kind,
			 bw_channel_name((enum bw_channel)want), bw_channel_name(r->channel));
	/* an unparsable date or a missing time is the store's validation's to refuse */
	else if (bw_day_parse(r->received_on, &on, NULL) != BW_OK || r->received_at <= 0)
		return;
	else if (on < today - RECEIPT_PAST_DAYS || on > today + RECEIPT_FUTURE_DAYS)
		snprintf(why, size, "received_on: %s is outside %s..%s (at most %d days back)", r->received_on,
			 bw_day_format(today - RECEIPT_PAST_DAYS, a), bw_day_format(today + RECEIPT_FUTURE_DAYS, b),
			 RECEIPT_PAST_DAYS);
	else if (on < bw_legal_day(r->received_at) - 1 || on > bw_legal_day(r->received_at) + 1)
		snprintf(why, size, "received_on: %s is not the day of received_at (%s)", r->received_on,
			 bw_day_format(bw_legal_day(r->received_at), a));
}

static void on_req(hub *h, struct hdev *d, const char *payload, int len)
{
	bw_err e;
	char why[BW_ERRMSG + 64], ref[BW_REF_LEN + 1];
	struct item *it = &h->batch[h->nbatch];
	if (!h->stats.received++)
		h->stats.first_req_ms = now_ms();
	if (bw_wire_request_decode(payload, (size_t)len, &it->r, &e)) {
		drop(h, d->id, "up/req", e.msg);
		return;
	}
	if (strcmp(it->r.device, d->id) != 0) {
		snprintf(why, sizeof why, "payload names device \"%.40s\"", it->r.device);
		drop(h, d->id, "up/req", why);
		return;
	}
	if (bw_ref_parse(it->r.ref, ref, NULL) || strcmp(ref, it->r.ref) != 0 ||
	    bw_ref_device(it->r.ref) != (unsigned)d->num) {
		snprintf(why, sizeof why, "reference \"%.20s\" is not one of device number %04d",
			 it->r.ref, d->num);
		drop(h, d->id, "up/req", why);
		return;
	}
	memcpy(it->dev, d->id, sizeof it->dev);
	/* refused in the batch's order, after its commit, like the store's refusals */
	int64_t now = bw_now();
	claims_check(d, &it->r, now, it->reject, sizeof it->reject);
	/* a clock a little fast: the receipt is the hub's now, not a time to come (guard.h) */
	if (!it->reject[0] && guard_request_time(&it->r, now)) {
		h->stats.stamped++;
		d->stamped_due++;
		if (dev_log_allow(h, d))
			log_warn(h->log, "request %s from %s: received_at is ahead of the hub's clock: "
				 "recorded at the hub's time", it->r.uid, d->id);
	}
	if (h->nbatch++ == 0)
		h->batch_since = now_ms();
	if (h->nbatch >= (size_t)h->set.batch_max)
		hub_flush(h);
}

/* ---- events made on devices ---- */

/* The time an event from device d is recorded with (guard_event_time): its own if no
 * earlier than its request's receipt and latest event and not ahead of the hub's clock,
 * else the hub's, logged and counted. A re-sent event already stored keeps its time
 * (bw_store_apply_event does not look at this one). */
static void event_time(hub *h, struct hdev *d, bw_event *ev, const bw_request *r, int64_t now)
{
	int64_t last = 0;
	char why[128];
	sqlite3_stmt *st = prep(h, "SELECT COALESCE(max(at), 0) FROM events WHERE request_uid = ?1");
	if (st) {
		sqlite3_bind_text(st, 1, r->uid, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			last = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	int64_t at = guard_event_time(ev->at, r->received_at, last, now, why, sizeof why);
	if (at == ev->at)
		return;
	h->stats.stamped++;
	d->stamped_due++;
	if (dev_log_allow(h, d))
		log_warn(h->log, "event %s from %s: %s: recorded at the hub's time", ev->uid, d->id, why);
	ev->at = at;
}

/* A citizen's own move made on a device (reopen, withdraw, appeal): applied once by its
 * event uid through the store's lifecycle rules, then acknowledged like a request. */
static void on_evt(hub *h, struct hdev *d, const char *payload, int len)
{
	bw_event *ev = bw_xmalloc(sizeof *ev), *old = bw_xmalloc(sizeof *old);
	bw_request *r = bw_xmalloc(sizeof *r);
	char ref[BW_REF_LEN + 1], why[BW_ERRMSG + 64];
	bw_ack a;
	bw_err e;
	int64_t now = bw_now();
	h->stats.events++;
	memset(&a, 0, sizeof a);
	if (bw_wire_event_decode(payload, (size_t)len, ev, ref, &e)) {
		drop(h, d->id, "up/evt", e.msg);
		goto out;
	}
	memcpy(a.uid, ev->uid, sizeof a.uid);
	/* the requests sent before it may still be in the batch: commit them first */
	hub_flush(h);
	if (bw_store_get_uid(h->st, ev->request_uid, r, &e) != BW_OK) {
		/* maybe its request was lost and comes again: no ack, the device sends both again */
		log_warn(h->log, "event %s from %s: request %s not at the hub (yet)", ev->uid, d->id,
			 ev->request_uid);
		goto out;
	}
	if (strcmp(r->device, d->id) != 0 || (ref[0] && strcmp(ref, r->ref) != 0)) {
		drop(h, d->id, "up/evt", "the request is not one of this device's");
		goto out;
	}
	memcpy(a.ref, r->ref, sizeof a.ref);
	if (ev->new_state != BW_ST_REOPENED && ev->new_state != BW_ST_CLOSED &&
	    ev->new_state != BW_ST_UNDER_APPEAL) {
		a.status = BW_ACK_REJECTED;
		snprintf(a.reason, sizeof a.reason, "new_state: a device may only reopen, close or appeal");
	} else {
		/* who did it is the hub's to say, not the payload's; when, the device's if the
		 * hub can believe it (guard.h), else the hub's */
		snprintf(ev->actor, sizeof ev->actor, "citizen:%s", d->id);
		event_time(h, d, ev, r, now);
		int rc = bw_store_apply_event(h->st, ev, old, &e);
		if (rc == BW_OK) {
			a.status = BW_ACK_STORED;
		} else if (rc == BW_EEXIST && strcmp(old->request_uid, ev->request_uid) == 0) {
			a.status = BW_ACK_DUPLICATE;
		} else if (rc == BW_EDB || rc == BW_ENOMEM) {
			log_error(h->log, "event %s from %s not stored: %s", ev->uid, d->id, e.msg);
			goto out;   /* no ack: it comes again */
		} else {
			a.status = BW_ACK_REJECTED;
			bw_strlcpy(a.reason, rc == BW_EEXIST ? "uid: belongs to another event" : e.msg,
				   sizeof a.reason);
		}
	}
	if (a.status == BW_ACK_REJECTED) {
		snprintf(why, sizeof why, "rejected event %s from %s: %s", ev->uid, d->id, a.reason);
		log_warn(h->log, "%s", why);
		h->stats.rejected++;
	} else if (a.status == BW_ACK_DUPLICATE) {
		h->stats.duplicates++;
	} else {
		log_info(h->log, "%s: %s %s by the citizen", d->id, r->ref, bw_state_name(ev->new_state));
		h->events_at = 0;   /* notify, and push to the agents, now */
	}
	send_acks(h, d->id, &a, NULL, 1);
out:
	free(ev);
	free(old);
	free(r);
}

/* ---- status queries ---- */

static void on_query(hub *h, struct hdev *d, const char *payload, int len,
                     const mosquitto_property *props)
{
	char ref[BW_REF_LEN + 1], code[BW_RCODE_LEN + 1], want[BW_PROTO_TOPIC_MAX], *rt = NULL,
	     *json = NULL;
	void *corr = NULL;
	uint16_t clen = 0;
	bw_err e;
	size_t jlen;
	mosquitto_property *out = NULL;
	bw_status *st = NULL;
	h->stats.queries++;
	if (bw_query_decode(payload, (size_t)len, ref, code, &e)) {
		drop(h, d->id, "up/query", e.msg);
		return;
	}
	mosquitto_property_read_string(props, MQTT_PROP_RESPONSE_TOPIC, &rt, false);
	mosquitto_property_read_binary(props, MQTT_PROP_CORRELATION_DATA, &corr, &clen, false);
	bw_proto_topic(want, sizeof want, d->id, "down/reply", NULL);
	if (!rt || strcmp(rt, want) != 0 || !corr) {
		drop(h, d->id, "up/query", "response topic must be its own down/reply, with correlation data");
		goto out;
	}
	/* receipt-code guessing: limited per device and per reference over sliding windows
	 * kept in the database (guard.h); past a limit the code is not looked at and the
	 * query is answered as without one: states and dates only */
	int64_t now = bw_now();
	char why[128];
	if (code[0] && guard_code_allowed(h->db, &h->set.codes, d->id, ref, now, why, sizeof why) != 1) {
		if (dev_log_allow(h, d))
			log_warn(h->log, "%s: query for %s: %s: the code is not checked", d->id, ref, why);
		code[0] = '\0';
	}
	st = bw_xmalloc(sizeof *st);
	bw_status_init(st);
	/* any device may ask about any reference (a citizen may follow a request at another
	 * site), so the reference alone gets states and dates; the notes meant for the citizen
	 * go only with the receipt code they were given (never logged) */
	if (bw_status_load(h->st, ref, code, st, &e) || bw_status_encode(st, &json, &jlen, &e)) {
		log_error(h->log, "status %s for %s: %s", ref, d->id, e.msg);
		goto out;
	}
	if (st->code == BW_CODE_WRONG && guard_code_wrong(h->db, &h->set.codes, d->id, ref, now) != BW_OK)
		log_error(h->log, "code_tries: %s", sqlite3_errmsg(h->db));
	mosquitto_property_add_binary(&out, MQTT_PROP_CORRELATION_DATA, corr, clen);
	publish(h, rt, json, jlen, 0, out);
out:
	if (st) {
		bw_status_clear(st);
		free(st);
	}
	mosquitto_property_free_all(&out);
	free(json);
	free(rt);
	free(corr);
}

/* ---- notifications ---- */

/* A notification: the event, and the request's deadline as the hub holds it now with
 * what it is computed from (the rule, the day the clock started, the extension), so a
 * device recomputing deadlines after a holiday change counts them as the hub does (a
 * reopened complaint's clock restarts on the day of the reopening, not of receipt). */
struct note {
	char dev[BW_CODE_MAX + 1];
	int64_t id, prev;
	char ref[BW_REF_LEN + 1], deadline[BW_DATE_LEN + 1];
	char rule[32], from[BW_DATE_LEN + 1];
	int extended;
	bw_event ev;
};

/* Fills the deadline part of a note from column cd (deadline) and cr.. (rule, from,
 * extended). */
static void row_deadline(sqlite3_stmt *st, int cd, int cr, struct note *nt)
{
	const char *v;
	int c = cr;
	nt->deadline[0] = nt->rule[0] = nt->from[0] = '\0';
	if ((v = (const char *)sqlite3_column_text(st, cd)))
		bw_strlcpy(nt->deadline, v, sizeof nt->deadline);
	if ((v = (const char *)sqlite3_column_text(st, c)))
		bw_strlcpy(nt->rule, v, sizeof nt->rule);
	if ((v = (const char *)sqlite3_column_text(st, c + 1)))
		bw_strlcpy(nt->from, v, sizeof nt->from);
	nt->extended = sqlite3_column_int(st, c + 2) != 0;
}

static void send_note(hub *h, const struct note *n)
{
	char topic[BW_PROTO_TOPIC_MAX], num[24], *json;
	size_t len;
	bw_err e;
	mosquitto_property *props = NULL;
	if (bw_proto_topic(topic, sizeof topic, n->dev, "down/notify", &e) ||
	    bw_wire_event_encode(&n->ev, n->ref, &json, &len, &e)) {
		log_error(h->log, "notify %s: %s", n->dev, e.msg);
		return;
	}
	snprintf(num, sizeof num, "%lld", (long long)n->id);
	mosquitto_property_add_string_pair(&props, MQTT_PROP_USER_PROPERTY, "event-id", num);
	snprintf(num, sizeof num, "%lld", (long long)n->prev);
	mosquitto_property_add_string_pair(&props, MQTT_PROP_USER_PROPERTY, "prev", num);
	if (n->deadline[0])
		mosquitto_property_add_string_pair(&props, MQTT_PROP_USER_PROPERTY, "deadline", n->deadline);
	if (n->rule[0] && n->from[0]) {
		mosquitto_property_add_string_pair(&props, MQTT_PROP_USER_PROPERTY, "deadline-rule", n->rule);
		mosquitto_property_add_string_pair(&props, MQTT_PROP_USER_PROPERTY, "deadline-from", n->from);
		mosquitto_property_add_string_pair(&props, MQTT_PROP_USER_PROPERTY, "extended",
						   n->extended ? "1" : "0");
	}
	publish(h, topic, json, len, 0, props);
	mosquitto_property_free_all(&props);
	free(json);
}

static void row_event(sqlite3_stmt *st, int c, bw_event *ev)
{
	memset(ev, 0, sizeof *ev);
	ev->id = sqlite3_column_int64(st, c);
	bw_strlcpy(ev->uid, (const char *)sqlite3_column_text(st, c + 1), sizeof ev->uid);
	bw_strlcpy(ev->request_uid, (const char *)sqlite3_column_text(st, c + 2), sizeof ev->request_uid);
	ev->at = sqlite3_column_int64(st, c + 3);
	bw_strlcpy(ev->actor, (const char *)sqlite3_column_text(st, c + 4), sizeof ev->actor);
	ev->old_state = sqlite3_column_int(st, c + 5);
	ev->new_state = sqlite3_column_int(st, c + 6);
	bw_strlcpy(ev->note, (const char *)sqlite3_column_text(st, c + 7), sizeof ev->note);
}

/* New events in the log (written by the CLI, agents, or this hub): each one about a
 * device's request gets a notify_log row chained to that device's previous one, then is
 * published after the commit. The hub's own "received" events are skipped. */
static void poll_events(hub *h)
{
	sqlite3_stmt *st = prep(h, "SELECT max(id) FROM events");
	int64_t max = 0;
	if (!st)
		return;
	if (sqlite3_step(st) == SQLITE_ROW)
		max = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (max <= h->event_cursor)
		return;
	bw_err e;
	if (bw_store_begin(h->st, &e)) {
		log_warn(h->log, "events: %s", e.msg);
		return;
	}
	size_t cap = 64, n = 0, lcap = 16, nlive = 0;
	struct note *notes = bw_xmalloc(cap * sizeof *notes);
	char (*live)[BW_UID_LEN + 1] = bw_xmalloc(lcap * sizeof *live);
	int64_t cursor = h->event_cursor;
	sqlite3_stmt *sel = prep(h, "SELECT e.id, e.uid, e.request_uid, e.at, e.actor, e.old_state, "
				 "e.new_state, e.note, r.ref, r.device, r.deadline, r.site, r.admin, "
				 "r.deadline_rule, r.deadline_from, r.extended "
				 "FROM events e JOIN requests r "
				 "ON r.uid = e.request_uid WHERE e.id > ?1 ORDER BY e.id LIMIT 1000");
	sqlite3_stmt *prev = prep(h, "SELECT COALESCE(max(event_id), 0) FROM notify_log WHERE device = ?1");
	sqlite3_stmt *ins = prep(h, "INSERT INTO notify_log (event_id, device, prev, request_uid) "
				 "VALUES (?1, ?2, ?3, ?4)");
	int ok = sel && prev && ins;
	if (ok)
		sqlite3_bind_int64(sel, 1, h->event_cursor);
	while (ok && sqlite3_step(sel) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(sel, 0);
		cursor = id;
		/* a request some agent sees changed (or arrived): its row goes to their queue */
		if (hub_console_wants(h->con, (const char *)sqlite3_column_text(sel, 11),
				      (const char *)sqlite3_column_text(sel, 12))) {
			const char *ruid = (const char *)sqlite3_column_text(sel, 2);
			size_t k = 0;
			while (k < nlive && strcmp(live[k], ruid) != 0)
				k++;
			if (k == nlive) {
				if (nlive == lcap)
					live = bw_xrealloc(live, (lcap *= 2) * sizeof *live);
				bw_strlcpy(live[nlive++], ruid, sizeof *live);
			}
		}
		const char *dev = (const char *)sqlite3_column_text(sel, 9);
		if (sqlite3_column_int(sel, 5) < 0 || !dev || !find_dev(h, dev, 0))
			continue;
		if (n == cap)
			notes = bw_xrealloc(notes, (cap *= 2) * sizeof *notes);
		struct note *nt = &notes[n];
		row_event(sel, 0, &nt->ev);
		nt->id = id;
		bw_strlcpy(nt->dev, dev, sizeof nt->dev);
		bw_strlcpy(nt->ref, (const char *)sqlite3_column_text(sel, 8), sizeof nt->ref);
		row_deadline(sel, 10, 13, nt);
		sqlite3_reset(prev);
		sqlite3_bind_text(prev, 1, dev, -1, SQLITE_STATIC);
		ok = sqlite3_step(prev) == SQLITE_ROW;
		nt->prev = ok ? sqlite3_column_int64(prev, 0) : 0;
		sqlite3_reset(prev);
		sqlite3_reset(ins);
		sqlite3_bind_int64(ins, 1, id);
		sqlite3_bind_text(ins, 2, dev, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 3, nt->prev);
		sqlite3_bind_text(ins, 4, nt->ev.request_uid, -1, SQLITE_STATIC);
		ok = ok && sqlite3_step(ins) == SQLITE_DONE;
		n++;
	}
	if (ok)
		ok = state_set(h->db, "hub.event_cursor", cursor) == BW_OK;
	sqlite3_finalize(sel);
	sqlite3_finalize(prev);
	sqlite3_finalize(ins);
	if (!ok || bw_store_commit(h->st, &e)) {
		log_error(h->log, "events: %s", sqlite3_errmsg(h->db));
		bw_store_rollback(h->st);
		free(notes);
		free(live);
		return;
	}
	h->event_cursor = cursor;
	for (size_t i = 0; i < n; i++)
		send_note(h, &notes[i]);
	for (size_t i = 0; i < nlive; i++)
		h->stats.pushed += hub_console_request(h->con, live[i]);
	free(live);
	h->stats.notified += (long)n;
	if (n)
		log_debug(h->log, "events: %zu notifications published", n);
	free(notes);
}

/* A device's heartbeat says how far it got; when it made no progress since the previous
 * one (or is the first since the hub started) everything after its cursor is sent again:
 * lost notifications come back without relying on the broker's disk. */
static void replay(hub *h, struct hdev *d, int64_t cursor)
{
	sqlite3_stmt *st = prep(h, "SELECT e.id, e.uid, e.request_uid, e.at, e.actor, e.old_state, "
				"e.new_state, e.note, r.ref, r.deadline, n.prev, r.deadline_rule, r.deadline_from, "
				"r.extended FROM notify_log n "
				"JOIN events e ON e.id = n.event_id JOIN requests r ON r.uid = n.request_uid "
				"WHERE n.device = ?1 AND n.event_id > ?2 ORDER BY n.event_id LIMIT ?3");
	if (!st)
		return;
	struct note *nt = bw_xmalloc(sizeof *nt);
	long n = 0;
	sqlite3_bind_text(st, 1, d->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, cursor);
	sqlite3_bind_int(st, 3, h->set.replay_max);
	while (sqlite3_step(st) == SQLITE_ROW) {
		row_event(st, 0, &nt->ev);
		nt->id = nt->ev.id;
		bw_strlcpy(nt->dev, d->id, sizeof nt->dev);
		bw_strlcpy(nt->ref, (const char *)sqlite3_column_text(st, 8), sizeof nt->ref);
		row_deadline(st, 9, 11, nt);
		nt->prev = sqlite3_column_int64(st, 10);
		send_note(h, nt);
		n++;
	}
	sqlite3_finalize(st);
	free(nt);
	if (n) {
		h->stats.replayed += n;
		log_info(h->log, "%s: replayed %ld notifications after event %lld", d->id, n,
			 (long long)cursor);
	}
}

/* ---- presence ---- */

/* A live heartbeat's clock against the hub's: stored (devices.clock_skew, shown by
 * `bawaba devices` and on the agents' consoles), logged when it goes wrong or right
 * again. Returns 1 when the device's clock turned wrong or right (a change to push). */
static int clock_check(hub *h, struct hdev *d, int64_t at, int64_t now)
{
	int64_t skew = at - now;
	int bad = skew > GUARD_SKEW_MAX || skew < -GUARD_SKEW_MAX;
	sqlite3_stmt *st = prep(h, "UPDATE devices SET clock_skew = ?2, clock_at = ?3 WHERE id = ?1");
	if (st) {
		sqlite3_bind_text(st, 1, d->id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, skew);
		sqlite3_bind_int64(st, 3, now);
		sqlite3_step(st);
		sqlite3_finalize(st);
	}
	if (bad == d->clock_bad)
		return 0;
	d->clock_bad = bad;
	if (bad)
		log_warn(h->log, "%s: its clock is %lld s %s the hub's: the times it states are replaced "
			 "by the hub's", d->id, (long long)(skew < 0 ? -skew : skew), skew < 0 ? "behind" : "ahead of");
	else
		log_info(h->log, "%s: its clock agrees with the hub's again (%+lld s)", d->id, (long long)skew);
	return 1;
}

static void on_presence(hub *h, struct hdev *d, const char *payload, int len, int retained)
{
	bw_presence p;
	bw_err e;
	if (len == 0)
		return;   /* a retained message being cleared */
	if (bw_presence_decode(payload, (size_t)len, &p, &e)) {
		drop(h, d->id, "up/presence", e.msg);
		return;
	}
	h->stats.presence++;
	int was_online = -1;
	sqlite3_stmt *st = prep(h, "SELECT online FROM devices WHERE id = ?1");
	if (st) {
		sqlite3_bind_text(st, 1, d->id, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			was_online = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	st = prep(h, p.online
		? "UPDATE devices SET online = 1, last_seen = ?2, outbox_depth = ?3, signal = ?4, "
		  "send_queue = ?5, notify_cursor = max(notify_cursor, ?6) WHERE id = ?1"
		: "UPDATE devices SET online = 0, notify_cursor = max(notify_cursor, ?6) WHERE id = ?1");
	if (!st)
		return;
	sqlite3_bind_text(st, 1, d->id, -1, SQLITE_STATIC);
	if (p.online) {
		/* a device's clock may be wrong: last seen is the hub's time */
		sqlite3_bind_int64(st, 2, bw_now());
		sqlite3_bind_int64(st, 3, p.outbox < 0 ? 0 : p.outbox);
		if (p.signal >= 0)
			sqlite3_bind_int(st, 4, p.signal);
		if (p.queue >= 0)
			sqlite3_bind_int(st, 5, p.queue);
	}
	sqlite3_bind_int64(st, 6, p.cursor);
	if (sqlite3_step(st) != SQLITE_DONE)
		log_error(h->log, "presence of %s: %s", d->id, sqlite3_errmsg(h->db));
	sqlite3_finalize(st);
	/* a retained heartbeat is old news (the broker keeps it): its clock says nothing */
	int clock_changed = p.online && !retained && p.at > 0 && clock_check(h, d, p.at, bw_now());
	if (was_online != p.online || clock_changed)   /* a change, not a heartbeat: agents see it */
		h->stats.pushed += hub_console_device(h->con, d->id);
	if (!p.online) {
		log_info(h->log, "%s is offline", d->id);
		return;
	}
	if (!d->hb_seen || d->last_cursor == p.cursor)
		replay(h, d, p.cursor);
	d->hb_seen = 1;
	d->last_cursor = p.cursor;
}

/* ---- catalogue and holidays, retained ---- */

/* Building a table for publishing. The store's readers cut a long name to its buffer,
 * possibly inside a character, and jansson refuses invalid UTF-8 (json_pack returns
 * NULL), which an unchecked append would skip silently: the devices would then count
 * deadlines without that holiday. So each string is cleaned first (the bytes of a broken
 * character are left out, loudly logged: the row stays, since a holiday's day is what
 * deadlines need and its name is for people), and any other failure marks the table bad:
 * a bad table is not published at all (the retained previous one stays). */
struct pubwalk {
	hub *h;
	json_t *arr;
	int bad;
};

/* Copies s into out[size] (size >= strlen(s) + 1) leaving out every malformed UTF-8
 * sequence; returns 1 if something was left out. */
static int utf8_clean(const char *s, char *out, size_t size)
{
	size_t n = 0;
	int cut = 0;
	while (*s && n + 1 < size) {
		const char *p = s;
		if (bw_utf8_next(&s) < 0) {
			cut = 1;
			continue;
		}
		while (p < s && n + 1 < size)
			out[n++] = *p++;
	}
	out[n] = '\0';
	return cut;
}

/* The clean copy of field `name` of row `row` in table `what` (see struct pubwalk). */
static const char *clean(struct pubwalk *w, const char *what, const char *row, const char *name,
                         const char *s, char *buf, size_t size)
{
	if (utf8_clean(s, buf, size))
		log_error(w->h->log, "publishing %s: %s of %s is not valid UTF-8 (cut inside a character?): "
			  "published without the broken bytes; fix it in the hub database", what, name, row);
	return buf;
}

static void append(struct pubwalk *w, const char *what, const char *row, json_t *o)
{
	if (!o || json_array_append_new(w->arr, o) != 0) {
		log_error(w->h->log, "publishing %s: row %s cannot be encoded: the table is not published",
			  what, row);
		w->bad = 1;
	}
}

static int cat_admin(const bw_admin *a, void *arg)
{
	struct pubwalk *w = arg;
	char c0[sizeof a->code], c1[sizeof a->name_ar], c2[sizeof a->name_fr], c3[sizeof a->name_zgh];
	const char *t = "administrations";
	append(w, t, a->code, json_pack("{s:s,s:s,s:s,s:s}",
		"code", clean(w, t, a->code, "code", a->code, c0, sizeof c0),
		"name_ar", clean(w, t, a->code, "name_ar", a->name_ar, c1, sizeof c1),
		"name_fr", clean(w, t, a->code, "name_fr", a->name_fr, c2, sizeof c2),
		"name_zgh", clean(w, t, a->code, "name_zgh", a->name_zgh, c3, sizeof c3)));
	return w->bad ? BW_EINVAL : BW_OK;
}

static int cat_category(const bw_category *c, void *arg)
{
	struct pubwalk *w = arg;
	char c0[sizeof c->code], c1[sizeof c->admin], c2[sizeof c->name_ar], c3[sizeof c->name_fr],
	     c4[sizeof c->name_zgh];
	const char *t = "categories";
	append(w, t, c->code, json_pack("{s:s,s:s,s:i,s:s,s:s,s:s}",
		"code", clean(w, t, c->code, "code", c->code, c0, sizeof c0),
		"admin", clean(w, t, c->code, "admin", c->admin, c1, sizeof c1),
		"kinds", (int)c->kinds,
		"name_ar", clean(w, t, c->code, "name_ar", c->name_ar, c2, sizeof c2),
		"name_fr", clean(w, t, c->code, "name_fr", c->name_fr, c3, sizeof c3),
		"name_zgh", clean(w, t, c->code, "name_zgh", c->name_zgh, c4, sizeof c4)));
	return w->bad ? BW_EINVAL : BW_OK;
}

static int cat_site(const bw_site *s, void *arg)
{
	struct pubwalk *w = arg;
	char c0[sizeof s->code], c1[sizeof s->admin], c2[sizeof s->city], c3[sizeof s->name_ar],
	     c4[sizeof s->name_fr], c5[sizeof s->name_zgh];
	const char *t = "sites";
	append(w, t, s->code, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}",
		"code", clean(w, t, s->code, "code", s->code, c0, sizeof c0),
		"admin", clean(w, t, s->code, "admin", s->admin, c1, sizeof c1),
		"city", clean(w, t, s->code, "city", s->city, c2, sizeof c2),
		"name_ar", clean(w, t, s->code, "name_ar", s->name_ar, c3, sizeof c3),
		"name_fr", clean(w, t, s->code, "name_fr", s->name_fr, c4, sizeof c4),
		"name_zgh", clean(w, t, s->code, "name_zgh", s->name_zgh, c5, sizeof c5)));
	return w->bad ? BW_EINVAL : BW_OK;
}

static int cat_holiday(const bw_holiday *d, void *arg)
{
	struct pubwalk *w = arg;
	char c0[sizeof d->day], c1[sizeof d->name_ar], c2[sizeof d->name_fr];
	const char *t = "holidays";
	append(w, t, d->day, json_pack("{s:s,s:s,s:s,s:b,s:b}",
		"day", clean(w, t, d->day, "day", d->day, c0, sizeof c0),
		"name_ar", clean(w, t, d->day, "name_ar", d->name_ar, c1, sizeof c1),
		"name_fr", clean(w, t, d->day, "name_fr", d->name_fr, c2, sizeof c2),
		"islamic", d->islamic, "confirmed", d->confirmed));
	return w->bad ? BW_EINVAL : BW_OK;
}

static void publish_if_changed(hub *h, const char *topic, json_t *root, char **last, int force)
{
	char *s = root ? json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(root);
	if (!s) {
		log_error(h->log, "%s: cannot be encoded: not published", topic);
		return;
	}
	if (!force && *last && strcmp(*last, s) == 0) {
		free(s);
		return;
	}
	publish(h, topic, s, strlen(s), 1, NULL);
	log_info(h->log, "published %s (%zu bytes)", topic, strlen(s));
	free(*last);
	*last = s;
}

/* After a bw_store_* lister returned rc filling w->arr: 0 if the whole table is there,
 * else -1 with the error logged and w->arr freed. */
static int read_table(hub *h, struct pubwalk *w, const char *what, int rc, const bw_err *e)
{
	if (rc == BW_OK && !w->bad)
		return 0;
	if (!w->bad)
		log_error(h->log, "publishing %s: %s: not published", what, e->msg);
	json_decref(w->arr);
	w->arr = NULL;
	return -1;
}

static void publish_public(hub *h, int force)
{
	struct pubwalk adm = { h, json_array(), 0 }, cat = { h, json_array(), 0 },
		       site = { h, json_array(), 0 }, hol = { h, json_array(), 0 };
	bw_err e = { 0 };
	int bad = 0;
	bad |= read_table(h, &adm, "administrations", bw_store_admins(h->st, cat_admin, &adm, &e), &e);
	bad |= read_table(h, &cat, "categories", bw_store_categories(h->st, NULL, -1, cat_category, &cat, &e), &e);
	bad |= read_table(h, &site, "sites", bw_store_sites(h->st, cat_site, &site, &e), &e);
	if (bad) {
		json_decref(adm.arr);
		json_decref(cat.arr);
		json_decref(site.arr);
	} else {
		publish_if_changed(h, BW_PROTO_ROOT "/pub/catalogue",
			json_pack("{s:i,s:s,s:o,s:o,s:o}", "v", 1, "type", "catalogue", "administrations",
				  adm.arr, "categories", cat.arr, "sites", site.arr), &h->pub_cat, force);
	}
	if (read_table(h, &hol, "holidays", bw_store_holiday_list(h->st, NULL, NULL, cat_holiday, &hol, &e), &e) == 0)
		publish_if_changed(h, BW_PROTO_ROOT "/pub/holidays",
			json_pack("{s:i,s:s,s:o}", "v", 1, "type", "holidays", "days", hol.arr), &h->pub_hol, force);
}

/* The hub's own presence on pub/hub, retained: devices show whether the hub (not just
 * the broker) is there, and answer status questions locally at once when it is not. The
 * same message with online false is the connection's will and is sent on a clean exit. */
static int hub_presence(int online, char **json, size_t *len)
{
	bw_presence p = { .online = online, .at = online ? bw_now() : 0,
			  .outbox = -1, .signal = -1, .queue = -1 };
	return bw_presence_encode(&p, json, len, NULL);
}

static void publish_presence(hub *h, int online)
{
	char *json = NULL;
	size_t len = 0;
	if (hub_presence(online, &json, &len) == BW_OK)
		publish(h, BW_PROTO_ROOT "/pub/hub", json, len, 1, NULL);
	free(json);
}

/* ---- overdue ---- */

static int count_one(const bw_request *r, void *arg)
{
	(*(long *)arg)++;
	return 0;
}

static void count_overdue(hub *h)
{
	char today[BW_DATE_LEN + 1];
	bw_day_format(bw_legal_day(bw_now()), today);
	if (strcmp(today, h->overdue_day) == 0)
		return;
	bw_filter f;
	long n = 0;
	bw_err e;
	bw_filter_init(&f);
	f.overdue_on = today;
	if (bw_store_list(h->st, &f, count_one, &n, &e)) {
		log_error(h->log, "overdue count: %s", e.msg);
		return;
	}
	memcpy(h->overdue_day, today, sizeof h->overdue_day);
	h->stats.overdue = n;
	if (n)
		log_warn(h->log, "%ld open requests are past their legal deadline on %s "
			 "(bawaba list --overdue)", n, today);
	else
		log_info(h->log, "no open request is past its deadline on %s", today);
}

/* ---- MQTT ---- */

static void on_message(struct mosquitto *m, void *arg, const struct mosquitto_message *msg,
                       const mosquitto_property *props)
{
	hub *h = arg;
	char dev[BW_CODE_MAX + 1];
	const char *leaf;
	if (hub_console_is_agent_topic(msg->topic)) {
		h->stats.commands++;
		int r = hub_console_command(h->con, msg->topic, msg->payload, msg->payloadlen, props);
		if (r < 0)
			h->stats.dropped++;
		else if (r > 0)
			h->events_at = 0;   /* push the changed row to the agents now */
		return;
	}
	if (bw_proto_topic_parse(msg->topic, dev, &leaf, NULL)) {
		h->stats.dropped++;
		log_warn(h->log, "dropped a message on %.80s: not a device topic", msg->topic);
		return;
	}
	struct hdev *d = find_dev(h, dev, 1);
	if (!d) {
		/* the ACL lets only registered broker users publish here; the hub also wants
		 * them enrolled (bawaba-hub enroll) so their reference numbers are known */
		drop(h, dev, leaf, "device not enrolled at the hub");
		return;
	}
	/* the budget first, before any reading: a flood costs the hub a look-up and a count */
	int kind = strcmp(leaf, "up/req") == 0 ? HL_REQ : strcmp(leaf, "up/evt") == 0 ? HL_EVT
		 : strcmp(leaf, "up/query") == 0 ? HL_QUERY : HL_PRESENCE;
	if (!bw_bucket_take(&d->budget[kind], h->rates[kind][0], h->rates[kind][1], now_ms())) {
		char why[96];
		h->stats.throttled++;
		d->throttled_due++;
		snprintf(why, sizeof why, "over its budget (%d a second, %d at once)",
			 (int)h->rates[kind][0], (int)h->rates[kind][1]);
		drop_dev(h, d, dev, leaf, why);
		return;
	}
	/* a retained message is the broker replaying an old one at each (re)subscription: a
	 * request, event or query was handled when it came live (or is junk a device left);
	 * only a retained heartbeat means something (the device's last word) */
	if (msg->retain && kind != HL_PRESENCE && msg->payloadlen > 0) {
		drop_dev(h, d, dev, leaf, "a retained message (only presence may be retained)");
		return;
	}
	if (msg->payloadlen > BW_WIRE_MAX) {
		char why[64];
		snprintf(why, sizeof why, "payload of %d bytes, at most %d", msg->payloadlen, BW_WIRE_MAX);
		drop(h, dev, leaf, why);
		return;
	}
	if (strcmp(leaf, "up/req") == 0)
		on_req(h, d, msg->payload, msg->payloadlen);
	else if (strcmp(leaf, "up/evt") == 0)
		on_evt(h, d, msg->payload, msg->payloadlen);
	else if (strcmp(leaf, "up/query") == 0)
		on_query(h, d, msg->payload, msg->payloadlen, props);
	else if (strcmp(leaf, "up/presence") == 0)
		on_presence(h, d, msg->payload, msg->payloadlen, msg->retain);
	else
		drop(h, dev, leaf, "unknown topic");
}

static void on_connect(struct mosquitto *m, void *arg, int rc, int flags,
                       const mosquitto_property *props)
{
	hub *h = arg;
	if (rc) {
		log_error(h->log, "broker %s:%d refused the hub: %s", h->set.host, h->set.port,
			  mosquitto_reason_string(rc));
		h->reconnect_ms = 15000;
		return;
	}
	h->online = 1;
	h->reconnect_ms = 0;
	log_info(h->log, "connected to %s:%d as %s%s", h->set.host, h->set.port, h->set.username,
		 flags ? " (session resumed)" : "");
	mosquitto_subscribe_v5(m, NULL, BW_PROTO_ROOT "/dev/+/up/#", 1, 0, NULL);
	mosquitto_subscribe_v5(m, NULL, BW_PROTO_ROOT "/agent/+/up/cmd", 1, 0, NULL);
	/* the broker may have lost its retained copies in a crash: publish them again */
	publish_public(h, 1);
	publish_presence(h, 1);
}

static int64_t jitter(int64_t ms)
{
	unsigned r = 0;
	if (getrandom(&r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r)
		r = (unsigned)now_ms();
	return ms * 3 / 4 + (int64_t)(r % (unsigned)(ms / 2 + 1));
}

static void lost(hub *h, int rc)
{
	if (!h->sock_open)
		return;
	if (h->online)
		log_warn(h->log, "connection to the broker lost: %s",
			 rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc));
	/* commit what arrived; its acks may be lost with the connection, and then the
	 * devices send again and get "duplicate" */
	hub_flush(h);
	mosquitto_disconnect(h->m);
	h->online = 0;
	h->sock_open = 0;
	h->reconnect_ms = h->reconnect_ms ? h->reconnect_ms * 2 : 200;
	if (h->reconnect_ms > 5000)
		h->reconnect_ms = 5000;
	h->reconnect_at = now_ms() + jitter(h->reconnect_ms);
}

static void try_connect(hub *h)
{
	mosquitto_property *props = NULL;
	mosquitto_property_add_int32(&props, MQTT_PROP_SESSION_EXPIRY_INTERVAL, (uint32_t)h->set.session_expiry);
	int rc = mosquitto_connect_bind_v5(h->m, h->set.host, h->set.port, h->set.keepalive, NULL, props);
	mosquitto_property_free_all(&props);
	if (rc != MOSQ_ERR_SUCCESS) {
		if (h->reconnect_ms == 0 || h->reconnect_ms >= 5000)
			log_warn(h->log, "cannot reach the broker at %s:%d: %s", h->set.host, h->set.port,
				 rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc));
		h->sock_open = 1;   /* so lost() schedules the next attempt */
		lost(h, rc);
		return;
	}
	h->sock_open = 1;
	h->misc_at = now_ms() + 1000;
}

int hub_new(hub **out, const hub_settings *s, const bw_log *log, bw_err *e)
{
	hub *h = bw_xcalloc(1, sizeof *h);
	int rc;
	*out = NULL;
	h->set = *s;
	h->log = log;
	const int r[HL_COUNT][2] = { { s->req_rate, s->req_burst }, { s->evt_rate, s->evt_burst },
				     { s->query_rate, s->query_burst }, { s->presence_rate, s->presence_burst } };
	for (int k = 0; k < HL_COUNT; k++) {
		h->rates[k][0] = r[k][0];
		h->rates[k][1] = r[k][1];
	}
	h->batch = bw_xmalloc((size_t)s->batch_max * sizeof *h->batch);
	if ((rc = bw_store_open(&h->st, s->db, 0, e)))
		goto err;
	h->db = bw_store_db(h->st);
	sqlite3_stmt *q = prep(h, "SELECT count(*) FROM administrations");
	int empty = q && sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) == 0;
	sqlite3_finalize(q);
	if (empty) {
		if ((rc = bw_store_seed(h->st, e)))
			goto err;
		log_info(log, "%s: a fresh database, loaded the shipped catalogue and holidays", s->db);
	}
	h->event_cursor = state_get(h->db, "hub.event_cursor");
	hub_reload_devices(h);
	h->con = hub_console_new(h->st, log, console_pub, h);
	h->data_version = data_version(h);

	mosquitto_lib_init();
	h->m = mosquitto_new(s->username, false, h);
	if (!h->m) {
		rc = bw_fail(e, BW_ENOMEM, "mosquitto_new: %s", strerror(errno));
		goto err;
	}
	mosquitto_int_option(h->m, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
	mosquitto_int_option(h->m, MOSQ_OPT_TCP_NODELAY, 1);
	/* accept many requests in flight from the broker at once: the acks wait for a commit */
	mosquitto_int_option(h->m, MOSQ_OPT_RECEIVE_MAXIMUM, 1000);
	mosquitto_int_option(h->m, MOSQ_OPT_SEND_MAXIMUM, 1000);
	if (mosquitto_username_pw_set(h->m, s->username, s->password) != MOSQ_ERR_SUCCESS ||
	    (s->cafile[0] && mosquitto_tls_set(h->m, s->cafile, NULL, NULL, NULL, NULL) != MOSQ_ERR_SUCCESS)) {
		rc = bw_fail(e, BW_EINVAL, "broker credentials or cafile refused");
		goto err;
	}
	char *will = NULL;
	size_t wlen = 0;
	if (hub_presence(0, &will, &wlen) ||
	    mosquitto_will_set_v5(h->m, BW_PROTO_ROOT "/pub/hub", (int)wlen, will, 1, true, NULL) != MOSQ_ERR_SUCCESS) {
		free(will);
		rc = bw_fail(e, BW_EINVAL, "broker: the hub's will refused");
		goto err;
	}
	free(will);
	mosquitto_connect_v5_callback_set(h->m, on_connect);
	mosquitto_message_v5_callback_set(h->m, on_message);
	*out = h;
	return BW_OK;
err:
	hub_free(h);
	return rc;
}

void hub_free(hub *h)
{
	if (!h)
		return;
	hub_flush(h);
	for (size_t i = 0; h->st && i < h->ndevs; i++)
		dev_counts_flush(h, &h->devs[i]);
	if (h->m && h->online) {
		/* a clean DISCONNECT discards the will: say goodbye ourselves */
		publish_presence(h, 0);
		bw_mqtt_goodbye(h->m, 1000);
	}
	if (h->m)
		mosquitto_destroy(h->m);
	hub_console_free(h->con);
	bw_store_close(h->st);
	free(h->devs);
	free(h->batch);
	free(h->pub_cat);
	free(h->pub_hol);
	free(h);
}

int hub_fd(hub *h)
{
	return h->sock_open ? mosquitto_socket(h->m) : -1;
}

int hub_want_write(hub *h)
{
	return h->sock_open && mosquitto_want_write(h->m);
}

const hub_stats *hub_get_stats(hub *h)
{
	return &h->stats;
}

void hub_log_stats(hub *h)
{
	const hub_stats *s = &h->stats;
	log_info(h->log, "stats: received %ld, stored %ld, duplicates %ld, rejected %ld, dropped %ld, "
		 "batches %ld, queries %ld, notified %ld, replayed %ld, heartbeats %ld, overdue %ld, "
		 "device events %ld, agent commands %ld, agent pushes %ld, ingest span %lld ms",
		 s->received, s->stored, s->duplicates, s->rejected, s->dropped, s->batches, s->queries,
		 s->notified, s->replayed, s->presence, s->overdue, s->events, s->commands, s->pushed,
		 (long long)(s->first_req_ms ? s->last_ack_ms - s->first_req_ms : 0));
}

void hub_handle(hub *h, short revents)
{
	int64_t now = now_ms();
	int rc = MOSQ_ERR_SUCCESS, idle = 1;
	if (!h->sock_open && now >= h->reconnect_at)
		try_connect(h);
	if (h->sock_open && (revents & (POLLIN | POLLHUP | POLLERR))) {
		/* read everything that is there (one packet per loop_read): the requests of a
		 * burst then share one commit */
		idle = 0;
		for (int i = 0; i < 4096 && rc == MOSQ_ERR_SUCCESS; i++) {
			errno = 0;
			rc = mosquitto_loop_read(h->m, 1);
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				idle = 1;
				break;
			}
		}
		if (rc != MOSQ_ERR_SUCCESS)
			lost(h, rc);
	}
	now = now_ms();
	/* group commit. Under load the broker hands the hub ~20 requests at a time (its
	 * in-flight limit) and the socket is empty between them: committing at each pause
	 * would make many tiny commits, so a batch waits batch_ms for more. A trickle (a
	 * few requests when the socket runs dry) is committed at once, for latency. */
	if (h->nbatch && (now - h->batch_since >= h->set.batch_ms || (idle && h->nbatch < TRICKLE)))
		hub_flush(h);
	if (now >= h->events_at) {
		h->events_at = now + h->set.events_ms;
		poll_events(h);
	}
	/* another process (bawaba, the operator's CLI) committed: agents or holidays may
	 * have changed; looked at every second, cheaply */
	if (now >= h->dv_at) {
		h->dv_at = now + 1000;
		int dv = data_version(h);
		if (dv != h->data_version) {
			h->data_version = dv;
			hub_console_reload(h->con);
			/* a device enrolled, moved to another site or removed by another process */
			hub_reload_devices(h);
			h->pub_at = 0;
		}
	}
	if (now >= h->pub_at) {
		h->pub_at = now + 60000;
		if (h->online)
			publish_public(h, 0);
	}
	if (now >= h->tick_at) {
		h->tick_at = now + 1000;
		devs_tick(h);
	}
	if (now >= h->overdue_at) {
		h->overdue_at = now + 60000;
		count_overdue(h);
	}
	if (!h->sock_open)
		return;
	if (mosquitto_want_write(h->m) && (rc = mosquitto_loop_write(h->m, 1)) != MOSQ_ERR_SUCCESS) {
		lost(h, rc);
		return;
	}
	if (now >= h->misc_at) {
		h->misc_at = now + 1000;
		if ((rc = mosquitto_loop_misc(h->m)) != MOSQ_ERR_SUCCESS)
			lost(h, rc);
	}
	if (h->sock_open && mosquitto_socket(h->m) < 0)
		lost(h, MOSQ_ERR_NO_CONN);
}

int hub_timeout_ms(hub *h)
{
	int64_t now = now_ms(), next = now + 1000;
	if (h->nbatch && h->batch_since + h->set.batch_ms < next)
		next = h->batch_since + h->set.batch_ms;
	if (h->events_at < next)
		next = h->events_at;
	if (h->dv_at < next)
		next = h->dv_at;
	if (!h->sock_open && h->reconnect_at < next)
		next = h->reconnect_at;
	if (h->sock_open && h->misc_at < next)
		next = h->misc_at;
	return next <= now ? 0 : (int)(next - now);
}

/* ---- enrolment ---- */

/* Writes num= into the [device] section of the config file (atomically, mode 0600). */
static int write_num(const char *path, int num, bw_err *e)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return bw_fail(e, BW_EIO, "%s: %s", path, strerror(errno));
	char *out = NULL, line[BW_CONF_LINE_MAX + 2];
	size_t olen = 0;
	FILE *o = open_memstream(&out, &olen);
	int in_dev = 0, done = 0;
	while (fgets(line, sizeof line, f)) {
		const char *p = line + strspn(line, " \t");
		if (*p == '[') {
			if (in_dev && !done) {
				fprintf(o, "num=%d\n", num);
				done = 1;
			}
			in_dev = strncmp(p, "[device]", 8) == 0;
			fputs(line, o);
			continue;
		}
		if (in_dev && strncmp(p, "num", 3) == 0 && strchr(" \t=", p[3])) {
			if (!done)
				fprintf(o, "num=%d\n", num);
			done = 1;
			continue;
		}
		fputs(line, o);
	}
	if (!done) {
		if (!in_dev)
			fprintf(o, "\n[device]\n");
		else if (olen && out[olen - 1] != '\n')
			fputc('\n', o);
		fprintf(o, "num=%d\n", num);
	}
	fclose(f);
	fclose(o);
	char tmp[1100];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int rc = BW_OK;
	if (fd < 0 || write(fd, out, olen) != (ssize_t)olen || fsync(fd) != 0)
		rc = bw_fail(e, BW_EIO, "%s: %s", tmp, strerror(errno));
	if (fd >= 0)
		close(fd);
	if (rc == BW_OK && rename(tmp, path) != 0)
		rc = bw_fail(e, BW_EIO, "%s: %s", path, strerror(errno));
	if (rc)
		unlink(tmp);
	free(out);
	return rc;
}

int hub_enroll(const char *dbpath, const char *conf, int want, int *num_out, bw_err *e)
{
	bw_sync_settings d;
	bw_store *st = NULL;
	sqlite3_stmt *q = NULL;
	int rc, num = 0;
	bw_sync_settings_default(&d);
	if ((rc = bw_sync_settings_read(conf, &d, e)))
		return rc;
	if (strcmp(d.kind, "kiosk") != 0 && strcmp(d.kind, "gateway") != 0)
		return bw_fail(e, BW_EINVAL, "%s: kind \"%s\": only kiosks and gateways take requests",
			       conf, d.kind);
	if (!d.device[0] || strcmp(d.device, d.broker.username) != 0 || strpbrk(d.device, "/+#"))
		return bw_fail(e, BW_EINVAL, "%s: [device] id must equal [broker] username", conf);
	if (want < 0 || want > (int)BW_REF_DEVICE_MAX)
		return bw_fail(e, BW_EINVAL, "num %d: 1..%u", want, BW_REF_DEVICE_MAX);
	if ((rc = bw_store_open(&st, dbpath, 0, e)))
		return rc;
	sqlite3 *db = bw_store_db(st);
	if ((rc = bw_store_begin(st, e)))
		goto out;
	sqlite3_prepare_v2(db, "SELECT num FROM devices WHERE id = ?1", -1, &q, NULL);
	sqlite3_bind_text(q, 1, d.device, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW)
		num = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	if (num && want && want != num) {
		rc = bw_fail(e, BW_EEXIST, "%s is enrolled with number %04d already", d.device, num);
		goto out;
	}
	if (!num) {
		if (want) {
			num = want;
		} else {
			sqlite3_prepare_v2(db, "SELECT COALESCE(max(num), 0) + 1 FROM devices", -1, &q, NULL);
			num = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
			sqlite3_finalize(q);
		}
		if (num < 1 || num > (int)BW_REF_DEVICE_MAX) {
			rc = bw_fail(e, BW_ETOOBIG, "no device number left");
			goto out;
		}
		sqlite3_prepare_v2(db, "INSERT INTO devices (id, kind, site, num, registered_at) "
				   "VALUES (?1, ?2, ?3, ?4, ?5)", -1, &q, NULL);
		sqlite3_bind_text(q, 1, d.device, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, d.kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 3, d.site, -1, SQLITE_STATIC);
		sqlite3_bind_int(q, 4, num);
		sqlite3_bind_int64(q, 5, bw_now());
		int s = sqlite3_step(q);
		sqlite3_finalize(q);
		if (s == SQLITE_CONSTRAINT_UNIQUE || s == SQLITE_CONSTRAINT_PRIMARYKEY) {
			rc = bw_fail(e, BW_EEXIST, "number %04d belongs to another device", num);
			goto out;
		}
		if (s != SQLITE_DONE) {
			rc = bw_fail(e, BW_EDB, "devices: %s", sqlite3_errmsg(db));
			goto out;
		}
	}
	/* the file first: if it cannot be written the enrolment is rolled back */
	if ((rc = write_num(conf, num, e)))
		goto out;
	rc = bw_store_commit(st, e);
out:
	if (rc)
		bw_store_rollback(st);
	bw_store_close(st);
	if (rc == BW_OK && num_out)
		*num_out = num;
	return rc;
}
