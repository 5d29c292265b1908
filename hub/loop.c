/* loop.c: the hub engine's life and loop: the MQTT v5 client "hub" on
 * bawaba/v1/dev/+/up/# and bawaba/v1/agent/+/up/cmd (connect, subscribe, lost, back-off
 * with jitter, goodbye), each message routed by topic after the device's budget, the
 * poll()-driven timers (group commit, event polling, other processes' commits, retained
 * messages, counters, the daily overdue count), the hub's database state. */
#include <errno.h>
#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "bw_calendar.h"
#include "bw_clock.h"
#include "bw_mqtt.h"
#include "bw_proto.h"
#include "bw_store.h"
#include "bw_wire.h"
#include "desk_link.h"
#include "hub_int.h"

/* ---- publishing ---- */

void hub_publish(hub *h, const char *topic, const char *payload, size_t len, int retain,
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
	hub_publish_public(h, 1);
	hub_publish_presence(h, 1);
}

static int64_t jitter(int64_t ms)
{
	unsigned r = 0;
	if (getrandom(&r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r)
		r = (unsigned)hub_now_ms();
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
	h->reconnect_at = hub_now_ms() + jitter(h->reconnect_ms);
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
	h->misc_at = hub_now_ms() + 1000;
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
		hub_dev_counts_flush(h, &h->devs[i]);
	if (h->m && h->online) {
		/* a clean DISCONNECT discards the will: say goodbye ourselves */
		hub_publish_presence(h, 0);
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
	int64_t now = hub_now_ms();
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
	now = hub_now_ms();
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
		if (h->online)
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
	int64_t now = hub_now_ms(), next = now + 1000;
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
