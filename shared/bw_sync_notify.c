/* bw_sync_notify.c: what the hub pushes into the device's store: status-change
 * notifications (with the cursor the hub replays from) and the retained public tables
 * (catalogue, holidays). */
#include "bw_clock.h"
#include "bw_sync_int.h"

#include <mqtt_protocol.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bw_calendar.h"
#include "bw_pub.h"
#include "bw_wire.h"

/* ---- notifications ---- */

/* The notification's user properties: event-id and prev (required; else 0), the
 * deadline, and what it is computed from (rule, from, extended; taken as a whole or not
 * at all: a hub before them sends none). */
static int notice_props(bw_sync *s, const mosquitto_property *props, bw_notice *n,
                        char *deadline, char *rule, char *from)
{
	int64_t extended;
	bw_day day;
	int has_id = bw_link_prop_int(props, "event-id", &n->id), has_prev = bw_link_prop_int(props, "prev", &n->prev);
	int has_ext = bw_link_prop_int(props, "extended", &extended);
	bw_link_prop_str(props, "deadline", deadline, BW_DATE_LEN + 1);
	if (deadline[0] && bw_day_parse(deadline, &day, NULL) != BW_OK)
		deadline[0] = '\0';
	/* what the deadline is computed from, so a holiday change recomputes it as the hub
	 * does */
	bw_link_prop_str(props, "deadline-rule", rule, 32);
	bw_link_prop_str(props, "deadline-from", from, BW_DATE_LEN + 1);
	int has_rule = rule[0] && bw_rule_get(rule) && bw_day_parse(from, &day, NULL) == BW_OK &&
		       has_ext && (extended == 0 || extended == 1);
	if (rule[0] && !has_rule)
		log_warn(s->log, "down/notify: bad deadline-rule/deadline-from/extended properties, ignored");
	n->deadline = deadline;
	n->rule = has_rule ? rule : NULL;
	n->from = has_rule ? from : NULL;
	n->extended = has_rule ? (int)extended : 0;
	n->device = s->set.device;
	if (!has_id || !has_prev || n->id <= 0 || n->prev < 0 || n->prev >= n->id) {
		log_warn(s->log, "down/notify: missing or bad event-id/prev properties, dropped");
		return BW_EINVAL;
	}
	return BW_OK;
}

/* The program's part (the SMS gateway queues the citizen's SMS), in the notification's
 * transaction: it commits with the rest, so a kill before the commit loses both and the
 * hub's replay brings it again; a refusal rolls it all back, for the same replay. */
static int notice_program(bw_sync *s, const bw_event *ev, bw_request *r)
{
	bw_err e;
	if (bw_store_get_uid(s->st, ev->request_uid, r, &e) != BW_OK) {
		log_error(s->log, "down/notify: %s", e.msg);
		return BW_EDB;
	}
	int rc = s->cb.notify_tx ? s->cb.notify_tx(s->cb.arg, ev, r->ref, r) : BW_OK;
	if (rc != BW_OK) {
		log_error(s->log, "down/notify: event %s of %s not taken by the program (%s): "
			  "rolled back, it comes again with the hub's next replay", ev->uid, r->ref,
			  bw_strerror(rc));
		return rc;
	}
	if (s->cb.notify)
		s->cb.notify(s->cb.arg, ev, r->ref, r);
	return BW_OK;
}

/* Applies one notification in its own transaction: the notification log row (its
 * uniqueness makes a replay harmless), the event, the request's state if this is its
 * newest event, the cursor over every row now joined without a gap, and the program's
 * callbacks (their writes commit with the rest, or nothing does). */
void sync_on_notify(bw_sync *s, const char *payload, int len, const mosquitto_property *props)
{
	bw_event *ev = bw_xmalloc(sizeof *ev);
	bw_request *r = bw_xmalloc(sizeof *r);
	char ref[BW_REF_LEN + 1], deadline[BW_DATE_LEN + 1], rule[32], from[BW_DATE_LEN + 1];
	bw_notice n = { .ev = ev };
	bw_err e;
	int fresh, held;
	int64_t c = s->cursor;
	if (notice_props(s, props, &n, deadline, rule, from))
		goto out;
	if (bw_wire_event_decode(payload, (size_t)len, ev, ref, &e)) {
		log_warn(s->log, "down/notify: dropped: %s", e.msg);
		goto out;
	}
	sync_tx_done(s);
	if (bw_store_begin(s->st, &e)) {
		log_error(s->log, "down/notify: %s", e.msg);
		goto out;
	}
	if (bw_store_notice_record(s->st, &n, &fresh, &held, &e) ||
	    bw_store_notice_cursor(s->st, s->set.device, s->cursor, &c, &e) ||
	    (c != s->cursor && bw_store_counter_set(s->st, "sync.notify_cursor", c, &e))) {
		log_error(s->log, "down/notify: local db: %s", e.msg);
		goto fail;
	}
	if (fresh && !held)
		log_warn(s->log, "down/notify: event %s for request %s, which this device does not hold",
			 ev->uid, ev->request_uid);
	if (fresh && held && (s->cb.notify_tx || s->cb.notify) && notice_program(s, ev, r))
		goto fail;
	if (bw_store_commit(s->st, &e)) {
		log_error(s->log, "down/notify: commit: %s", e.msg);
		goto fail;
	}
	s->cursor = c;
	goto out;
fail:
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
	int64_t last = 0;
	bw_store_counter_get(s->st, key, &last, NULL);
	if (last == (int64_t)h)
		return;
	sync_tx_done(s);
	rc = cat ? bw_pub_apply_catalogue(s->st, payload, (size_t)len, &n, &e)
	         : bw_pub_apply_holidays(s->st, payload, (size_t)len, &n, &moved, &e);
	if (rc) {
		log_warn(s->log, "%s: not applied: %s", topic, e.msg);
		return;
	}
	bw_store_counter_set(s->st, key, (int64_t)h, NULL);
	if (cat)
		log_info(s->log, "catalogue from the hub applied (%d entries)", n);
	else
		log_info(s->log, "holidays from the hub applied (%d days, %d open deadline%s moved)", n,
			 moved, moved == 1 ? "" : "s");
}

/* The hub's presence (pub/hub, retained, its will says offline). When it comes back,
 * what waits for its acknowledgement goes again now rather than at the next retry,
 * which may be a minute away after a long outage. */
