/* notify.c: notifications to devices: new events in the log become notify_log rows
 * chained per device and are published after their commit (and pushed to the agents who
 * see the request); a device's heartbeat that made no progress gets everything after its
 * cursor again. */
#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <stdlib.h>
#include <string.h>

#include "bw_proto.h"
#include "bw_store.h"
#include "bw_wire.h"
#include "desk_link.h"
#include "hub_int.h"

/* ---- notifications ---- */

/* A notification (bw_note): the event, and the request's deadline as the hub holds it
 * now with what it is computed from (the rule, the day the clock started, the
 * extension), so a device recomputing deadlines after a holiday change counts them as the
 * hub does (a reopened complaint's clock restarts on the day of the reopening, not of
 * receipt). */
static void send_note(hub *h, const bw_note *n)
{
	char topic[BW_PROTO_TOPIC_MAX], num[24], *json;
	size_t len;
	bw_err e;
	mosquitto_property *props = NULL;
	if (bw_proto_topic(topic, sizeof topic, n->device, "down/notify", &e) ||
	    bw_wire_event_encode(&n->ev, n->ref, &json, &len, &e)) {
		log_error(h->log, "notify %s: %s", n->device, e.msg);
		return;
	}
	snprintf(num, sizeof num, "%lld", (long long)n->ev.id);
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

/* What one poll of the event log gathers inside its transaction, sent after the commit:
 * the notifications to devices, and the requests whose rows go to agents' queues. */
struct poll {
	hub *h;
	bw_err *e;      /* the walk's, so a failed note says why */
	int64_t cursor;
	bw_note *notes;
	size_t n, cap;
	char (*live)[BW_UID_LEN + 1];
	size_t nlive, lcap;
};

static int poll_one(const bw_note *in, void *arg)
{
	struct poll *p = arg;
	p->cursor = in->ev.id;
	/* a request some agent sees changed (or arrived): its row goes to their queue */
	if (hub_console_wants(p->h->con, in->site, in->admin)) {
		size_t k = 0;
		while (k < p->nlive && strcmp(p->live[k], in->ev.request_uid) != 0)
			k++;
		if (k == p->nlive) {
			if (p->nlive == p->lcap)
				p->live = bw_xrealloc(p->live, (p->lcap *= 2) * sizeof *p->live);
			bw_strlcpy(p->live[p->nlive++], in->ev.request_uid, sizeof *p->live);
		}
	}
	/* the hub's own "received" events, and requests of no device it knows, tell nobody */
	if (in->ev.old_state < 0 || !in->device[0] || !hub_find_dev(p->h, in->device, 0))
		return BW_OK;
	if (p->n == p->cap)
		p->notes = bw_xrealloc(p->notes, (p->cap *= 2) * sizeof *p->notes);
	bw_note *nt = &p->notes[p->n];
	*nt = *in;
	int rc = bw_store_note_add(p->h->st, nt, &nt->prev, p->e);
	p->n += rc == BW_OK;
	return rc;
}

/* New events in the log (written by the CLI, agents, or this hub): each one about a
 * device's request gets a notify_log row chained to that device's previous one, then is
 * published after the commit. The hub's own "received" events are skipped. */
void hub_poll_events(hub *h)
{
	int64_t max = 0;
	bw_err e;
	if (bw_store_last_event_id(h->st, &max, NULL) || max <= h->event_cursor)
		return;
	if (bw_store_begin(h->st, &e)) {
		log_warn(h->log, "events: %s", e.msg);
		return;
	}
	struct poll p = { .h = h, .e = &e, .cursor = h->event_cursor, .cap = 64, .lcap = 16 };
	p.notes = bw_xmalloc(p.cap * sizeof *p.notes);
	p.live = bw_xmalloc(p.lcap * sizeof *p.live);
	int rc = bw_store_events_after(h->st, h->event_cursor, 1000, poll_one, &p, &e);
	if (rc == BW_OK)
		rc = bw_store_counter_set(h->st, "hub.event_cursor", p.cursor, &e);
	if (rc == BW_OK)
		rc = bw_store_commit(h->st, &e);
	if (rc != BW_OK) {
		log_error(h->log, "events: %s", e.msg);
		bw_store_rollback(h->st);
		free(p.notes);
		free(p.live);
		return;
	}
	h->event_cursor = p.cursor;
	for (size_t i = 0; i < p.n; i++)
		send_note(h, &p.notes[i]);
	for (size_t i = 0; i < p.nlive; i++)
		h->stats.pushed += hub_console_request(h->con, p.live[i]);
	free(p.live);
	h->stats.notified += (long)p.n;
	if (p.n)
		log_debug(h->log, "events: %zu notifications published", p.n);
	free(p.notes);
}

struct replay {
	hub *h;
	long n;
};

static int replay_one(const bw_note *n, void *arg)
{
	struct replay *r = arg;
	send_note(r->h, n);
	r->n++;
	return BW_OK;
}

/* A device's heartbeat says how far it got; when it made no progress since the previous
 * one (or is the first since the hub started) everything after its cursor is sent again:
 * lost notifications come back without relying on the broker's disk. */
void hub_replay(hub *h, struct hdev *d, int64_t cursor)
{
	struct replay r = { h, 0 };
	bw_err e;
	if (bw_store_notes(h->st, d->id, cursor, h->set.replay_max, replay_one, &r, &e))
		log_error(h->log, "%s: replay: %s", d->id, e.msg);
	if (r.n) {
		h->stats.replayed += r.n;
		log_info(h->log, "%s: replayed %ld notifications after event %lld", d->id, r.n,
			 (long long)cursor);
	}
}
