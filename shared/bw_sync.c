/* bw_sync.c: the edge sync engine: its settings, making and freeing it over the one MQTT
 * client (bw_link.h), the messages it hears sent to their files (outbox, queries,
 * notifications, presence), and the poll-loop hooks. */
#include "bw_clock.h"
#include "bw_sync_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bw_conf.h"
#include "bw_ref.h"

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

/* ---- connection ---- */

static void on_message(void *arg, const struct mosquitto_message *msg, const mosquitto_property *props)
{
	bw_sync *s = arg;
	const char *leaf = NULL;
	size_t n = strlen(s->t_down);
	if (strncmp(msg->topic, s->t_down, n) == 0)
		leaf = msg->topic + n;
	if (leaf && strcmp(leaf, "ack") == 0)
		sync_on_ack(s, msg->payload, msg->payloadlen, props);
	else if (leaf && strcmp(leaf, "reply") == 0)
		sync_on_reply(s, msg->payload, msg->payloadlen, props);
	else if (leaf && strcmp(leaf, "notify") == 0)
		sync_on_notify(s, msg->payload, msg->payloadlen, props);
	else if (strcmp(msg->topic, BW_PROTO_ROOT "/pub/hub") == 0)
		sync_on_hub(s, msg->payload, msg->payloadlen);
	else if (strncmp(msg->topic, BW_PROTO_ROOT "/pub/", sizeof BW_PROTO_ROOT "/pub/" - 1) == 0) {
		sync_on_public(s, msg->topic, msg->payload, msg->payloadlen);
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
	sync_publish_presence(s, 1);
	s->heartbeat_at = now_ms() + (int64_t)s->set.heartbeat * 1000;
	sync_pump(s);
}

/* The connection: the [broker] settings and the [sync] timings, the will (the hub hears
 * the device is gone when the connection dies without a goodbye), the subscriptions. */
static int link_open(bw_sync *s, bw_err *e)
{
	bw_link_settings ls = s->set.broker;
	ls.keepalive = s->set.keepalive;
	ls.session_expiry = s->set.session_expiry;
	ls.reconnect_max_ms = s->set.reconnect_max_ms;
	bw_link_callbacks cb = { .arg = s, .state = on_state, .message = on_message, .refused = sync_on_refused };
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
	bw_catalogue_size cs;
	if (bw_store_catalogue_size(st, &cs, NULL) == BW_OK && cs.admins == 0 && (rc = bw_store_seed(st, e)))
		goto err;
	if ((rc = bw_store_counter_get(st, "sync.notify_cursor", &s->cursor, e)))
		goto err;

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
	sync_tx_done(s);
	if (s->link && bw_link_online(s->link))
		sync_publish_presence(s, 0);   /* the goodbye makes the broker drop the will */
	bw_link_free(s->link, 1000);
	free(s->pend);
	free(s);
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
		bw_err e;
		if (bw_store_wal_truncate(s->st, &e))
			log_warn(s->log, "local db: wal_checkpoint: %s", e.msg);
	}
	bw_link_handle_in(s->link, revents);
	sync_tx_done(s);   /* the acks of what was read, in one commit */
	if (!bw_link_open(s->link)) {
		sync_expire_queries(s, 1);
		return;
	}
	now = now_ms();
	if (bw_link_online(s->link)) {
		if (now >= s->heartbeat_at) {
			sync_publish_presence(s, 1);
			s->heartbeat_at = now + (int64_t)s->set.heartbeat * 1000;
		}
		sync_pump(s);
	}
	sync_expire_queries(s, 0);
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

