/* bw_sync_notify.c: what the hub pushes into the device's store: status-change
 * notifications (with the cursor the hub replays from) and the retained public tables
 * (catalogue, holidays). */
#include "bw_clock.h"
#include "bw_sync_int.h"

#include <errno.h>
#include <mqtt_protocol.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bw_calendar.h"
#include "bw_pub.h"
#include "bw_wire.h"

/* ---- notifications ---- */

/* Applies one notification in its own transaction: the notification log row (its
 * uniqueness makes a replay harmless), the event, the request's state if this is its
 * newest event, the cursor over every row now joined without a gap, and the program's
 * callbacks (their writes commit with the rest, or nothing does). */
void sync_on_notify(bw_sync *s, const char *payload, int len, const mosquitto_property *props)
{
	bw_event *ev = bw_xmalloc(sizeof *ev);
	bw_request *r = bw_xmalloc(sizeof *r);
	char ref[BW_REF_LEN + 1], deadline[BW_DATE_LEN + 1], rule[32], from[BW_DATE_LEN + 1];
	bw_err e;
	bw_day day;
	int fresh = 0, have_req = 0;
	int64_t id, prev, extended;
	int has_id = bw_link_prop_int(props, "event-id", &id), has_prev = bw_link_prop_int(props, "prev", &prev);
	int has_ext = bw_link_prop_int(props, "extended", &extended);
	sqlite3_stmt *st;

	bw_link_prop_str(props, "deadline", deadline, sizeof deadline);
	/* what the deadline is computed from, so a holiday change recomputes it as the hub
	 * does; taken as a whole or not at all (a hub before this sends none of it) */
	bw_link_prop_str(props, "deadline-rule", rule, sizeof rule);
	bw_link_prop_str(props, "deadline-from", from, sizeof from);
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
	sync_tx_done(s);
	if (bw_store_begin(s->st, &e)) {
		log_error(s->log, "down/notify: %s", e.msg);
		goto out;
	}
	have_req = bw_store_get_uid(s->st, ev->request_uid, r, NULL) == BW_OK;
	if (!(st = sync_prep(s, "INSERT OR IGNORE INTO notify_log (event_id, device, prev, request_uid) "
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
		if (!(st = sync_prep(s, "INSERT OR IGNORE INTO events (uid, request_uid, at, actor, old_state, "
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
		if (!(st = sync_prep(s, "UPDATE requests SET state = ?2, deadline = COALESCE(?3, deadline), "
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
	if (!(st = sync_prep(s, "SELECT event_id FROM notify_log WHERE device = ?1 AND prev = ?2 "
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
	if (c != s->cursor && sync_state_set(s, "sync.notify_cursor", c) != BW_OK)
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
void sync_on_public(bw_sync *s, const char *topic, const char *payload, int len)
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
	if (sync_state_get(s, key) == (int64_t)h)
		return;
	sync_tx_done(s);
	rc = cat ? bw_pub_apply_catalogue(s->st, payload, (size_t)len, &n, &e)
	         : bw_pub_apply_holidays(s->st, payload, (size_t)len, &n, &moved, &e);
	if (rc) {
		log_warn(s->log, "%s: not applied: %s", topic, e.msg);
		return;
	}
	sync_state_set(s, key, (int64_t)h);
	if (cat)
		log_info(s->log, "catalogue from the hub applied (%d entries)", n);
	else
		log_info(s->log, "holidays from the hub applied (%d days, %d open deadline%s moved)", n,
			 moved, moved == 1 ? "" : "s");
}

/* The hub's presence (pub/hub, retained, its will says offline). When it comes back,
 * what waits for its acknowledgement goes again now rather than at the next retry,
 * which may be a minute away after a long outage. */
