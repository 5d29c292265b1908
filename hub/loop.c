/* loop.c: the hub engine's life and loop: its link to the broker (bw_link, as user "hub",
 * subscribed to bawaba/v1/dev/+/up/# and bawaba/v1/agent/+/up/cmd; the link connects,
 * backs off and says goodbye), each message routed by topic after the device's budget,
 * the poll()-driven timers (group commit, event polling, other processes' commits, retained
 * messages, counters, the daily overdue count). */
#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <stdlib.h>
#include <string.h>

#include "bw_calendar.h"
#include "bw_clock.h"
#include "bw_proto.h"
#include "bw_store.h"
#include "bw_wire.h"
#include "desk_link.h"
#include "hub_int.h"

/* ---- publishing ---- */

void hub_publish(hub *h, const char *topic, const char *payload, size_t len, int retain,
                    const mosquitto_property *props)
{
	bw_err e;
	if (bw_link_publish(h->link, NULL, topic, payload, len, retain, props, &e))
		log_warn(h->log, "publish %s: %s", topic, e.msg);
}

static void console_pub(void *arg, const char *topic, const char *payload, size_t len,
                        const mosquitto_property *props)
{
	hub *h = arg;
	if (bw_link_online(h->link))
		hub_publish(arg, topic, payload, len, 0, props);
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

static void on_message(void *arg, const struct mosquitto_message *msg, const mosquitto_property *props)
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
	struct hdev *d = hub_find_dev(h, dev, 1);
	if (!d) {
		/* the ACL lets only registered broker users publish here; the hub also wants
		 * them enrolled (bawaba-hub enroll) so their reference numbers are known */
		drop(h, dev, leaf, "device not enrolled at the hub");
		return;
	}
	/* the budget first, before any reading: a flood costs the hub a look-up and a count */
	int kind = strcmp(leaf, "up/req") == 0 ? HL_REQ : strcmp(leaf, "up/evt") == 0 ? HL_EVT
		 : strcmp(leaf, "up/query") == 0 ? HL_QUERY : HL_PRESENCE;
	if (!bw_bucket_take(&d->budget[kind], h->rates[kind][0], h->rates[kind][1], hub_now_ms())) {
		char why[96];
		h->stats.throttled++;
		d->throttled_due++;
		snprintf(why, sizeof why, "over its budget (%d a second, %d at once)",
			 (int)h->rates[kind][0], (int)h->rates[kind][1]);
		hub_drop_dev(h, d, dev, leaf, why);
		return;
	}
	/* a retained message is the broker replaying an old one at each (re)subscription: a
	 * request, event or query was handled when it came live (or is junk a device left);
	 * only a retained heartbeat means something (the device's last word) */
	if (msg->retain && kind != HL_PRESENCE && msg->payloadlen > 0) {
		hub_drop_dev(h, d, dev, leaf, "a retained message (only presence may be retained)");
		return;
	}
	if (msg->payloadlen > BW_WIRE_MAX) {
		char why[64];
		snprintf(why, sizeof why, "payload of %d bytes, at most %d", msg->payloadlen, BW_WIRE_MAX);
		drop(h, dev, leaf, why);
		return;
	}
	if (strcmp(leaf, "up/req") == 0)
		hub_on_req(h, d, msg->payload, msg->payloadlen);
	else if (strcmp(leaf, "up/evt") == 0)
		hub_on_evt(h, d, msg->payload, msg->payloadlen);
	else if (strcmp(leaf, "up/query") == 0)
		hub_on_query(h, d, msg->payload, msg->payloadlen, props);
	else if (strcmp(leaf, "up/presence") == 0)
		hub_on_presence(h, d, msg->payload, msg->payloadlen, msg->retain);
	else
		drop(h, dev, leaf, "unknown topic");
}

/* The connection came (the link subscribed again) or went. */
static void on_state(void *arg, int state, const char *why)
{
	hub *h = arg;
	if (state == BW_LINK_ONLINE) {
		/* the broker may have lost its retained copies in a crash: publish them again */
		hub_publish_public(h, 1);
		hub_publish_presence(h, 1);
		return;
	}
	/* commit what arrived; its acks may be lost with the connection, and then the
	 * devices send again and get "duplicate" */
	hub_flush(h);
}

/* bw_store_admins' walk, stopped at the first: the catalogue is not empty */
static int any_admin(const bw_admin *a, void *arg)
{
	*(int *)arg = 1;
	return 1;
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
	int any = 0;
	if (bw_store_admins(h->st, any_admin, &any, NULL) == BW_OK && !any) {
		if ((rc = bw_store_seed(h->st, e)))
			goto err;
		log_info(log, "%s: a fresh database, loaded the shipped catalogue and holidays", s->db);
	}
	if ((rc = bw_store_counter_get(h->st, "hub.event_cursor", &h->event_cursor, e)))
		goto err;
	hub_reload_devices(h);
	h->con = hub_console_new(h->st, log, console_pub, h);
	h->data_version = bw_store_data_version(h->st);

	/* the hub's timings: back soon after a loss, many requests in flight from the
	 * broker at once (their acks wait for a commit), a burst read in one go so its
	 * requests share a commit */
	bw_link_settings ls = s->link;
	ls.reconnect_min_ms = 200;
	ls.reconnect_max_ms = 5000;
	ls.inflight_max = 1000;
	ls.read_max = 4096;
	bw_link_callbacks cb = { .arg = h, .state = on_state, .message = on_message };
	char *will = NULL;
	size_t wlen = 0;
	if ((rc = bw_link_new(&h->link, &ls, &cb, log, e)))
		goto err;
	if (hub_presence(0, &will, &wlen) ||
	    bw_link_will(h->link, BW_PROTO_ROOT "/pub/hub", will, wlen, 1, NULL) ||
	    bw_link_subscribe(h->link, BW_PROTO_ROOT "/dev/+/up/#", NULL) ||
	    bw_link_subscribe(h->link, BW_PROTO_ROOT "/agent/+/up/cmd", NULL)) {
		free(will);
		rc = bw_fail(e, BW_EINVAL, "broker: the hub's will or subscriptions refused");
		goto err;
	}
	free(will);
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
		hub_dev_counts_flush(h, &h->devs[i]);
	if (h->link && bw_link_online(h->link))
		hub_publish_presence(h, 0);   /* a clean DISCONNECT discards the will: say it ourselves */
	bw_link_free(h->link, 1000);
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
	return bw_link_fd(h->link);
}

int hub_want_write(hub *h)
{
	return bw_link_want_write(h->link);
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
	/* connect, or read everything that is there: the requests of a burst share a commit */
	int idle = bw_link_handle_in(h->link, revents);
	int64_t now = hub_now_ms();
	/* group commit. Under load the broker hands the hub ~20 requests at a time (its
	 * in-flight limit) and the socket is empty between them: committing at each pause
	 * would make many tiny commits, so a batch waits batch_ms for more. A trickle (a
	 * few requests when the socket runs dry) is committed at once, for latency. */
	if (h->nbatch && (now - h->batch_since >= h->set.batch_ms || (idle && h->nbatch < TRICKLE)))
		hub_flush(h);
	if (now >= h->events_at) {
		h->events_at = now + h->set.events_ms;
		hub_poll_events(h);
	}
	/* another process (bawaba, the operator's CLI) committed: agents or holidays may
	 * have changed; looked at every second, cheaply */
	if (now >= h->dv_at) {
		h->dv_at = now + 1000;
		int dv = bw_store_data_version(h->st);
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
		if (bw_link_online(h->link))
			hub_publish_public(h, 0);
	}
	if (now >= h->tick_at) {
		h->tick_at = now + 1000;
		hub_devs_tick(h);
	}
	if (now >= h->overdue_at) {
		h->overdue_at = now + 60000;
		count_overdue(h);
	}
	/* what the work above published (acks, notifications) goes out now */
	bw_link_handle_out(h->link);
}

int hub_timeout_ms(hub *h)
{
	int64_t now = hub_now_ms(), next = now + bw_link_timeout_ms(h->link);
	if (h->nbatch && h->batch_since + h->set.batch_ms < next)
		next = h->batch_since + h->set.batch_ms;
	if (h->events_at < next)
		next = h->events_at;
	if (h->dv_at < next)
		next = h->dv_at;
	return next <= now ? 0 : (int)(next - now);
}
