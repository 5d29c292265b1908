/* notify.c: notifications to devices: new events in the log become notify_log rows
 * chained per device and are published after their commit (and pushed to the agents who
 * see the request); a device's heartbeat that made no progress gets everything after its
 * cursor again. */
#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "bw_proto.h"
#include "bw_store.h"
#include "bw_wire.h"
#include "desk_link.h"
#include "hub_int.h"

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
	hub_publish(h, topic, json, len, 0, props);
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
void hub_poll_events(hub *h)
{
	sqlite3_stmt *st = hub_prep(h, "SELECT max(id) FROM events");
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
	sqlite3_stmt *sel = hub_prep(h, "SELECT e.id, e.uid, e.request_uid, e.at, e.actor, e.old_state, "
				 "e.new_state, e.note, r.ref, r.device, r.deadline, r.site, r.admin, "
				 "r.deadline_rule, r.deadline_from, r.extended "
				 "FROM events e JOIN requests r "
				 "ON r.uid = e.request_uid WHERE e.id > ?1 ORDER BY e.id LIMIT 1000");
	sqlite3_stmt *prev = hub_prep(h, "SELECT COALESCE(max(event_id), 0) FROM notify_log WHERE device = ?1");
	sqlite3_stmt *ins = hub_prep(h, "INSERT INTO notify_log (event_id, device, prev, request_uid) "
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
		if (sqlite3_column_int(sel, 5) < 0 || !dev || !hub_find_dev(h, dev, 0))
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
		ok = hub_state_set(h->db, "hub.event_cursor", cursor) == BW_OK;
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
void hub_replay(hub *h, struct hdev *d, int64_t cursor)
{
	sqlite3_stmt *st = hub_prep(h, "SELECT e.id, e.uid, e.request_uid, e.at, e.actor, e.old_state, "
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
