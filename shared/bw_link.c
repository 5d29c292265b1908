/* bw_link.c: the one MQTT v5 client lifecycle (probe, connect, subscriptions, loss,
 * back-off with jitter, goodbye) over libmosquitto, driven from the owner's poll loop. */
#include "bw_link.h"

#include <errno.h>
#include <mqtt_protocol.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "bw_mqtt.h"
#include "bw_probe.h"

struct bw_link {
	bw_link_settings set;
	bw_link_callbacks cb;
	const bw_log *log;
	struct mosquitto *m;
	bw_probe probe;          /* a TCP probe of the broker in progress (bw_probe.h) */
	int state;               /* enum bw_link_state */
	int sock_open;           /* a connection exists (CONNACK may still be due) */
	int closing;             /* in bw_link_free: no more callbacks */
	int64_t reconnect_at, misc_at;
	int reconnect_ms;        /* the last wait between attempts; 0 after a success */
	char *subs[BW_LINK_SUBS_MAX];
	int nsubs;
	bw_link_stats stats;
};

int64_t bw_link_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t bw_link_jitter(int64_t ms)
{
	unsigned r = 0;
	if (getrandom(&r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r)
		r = (unsigned)bw_link_now_ms() * 2654435761u;
	return ms * 3 / 4 + (int64_t)(r % (unsigned)(ms / 2 + 1));
}

static const char *mosq_why(int rc)
{
	return rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc);
}

static void set_state(bw_link *l, int st, const char *why)
{
	int changed = l->state != st;
	l->state = st;
	if (changed && !l->closing && l->cb.state)
		l->cb.state(l->cb.arg, st, why);
}

/* The next attempt: the wait doubles from reconnect_min_ms up to reconnect_max_ms; after
 * a refusal of the credentials it is the longest at once (a wrong password does not get
 * better in a second: an operator fixes it). */
static void schedule_reconnect(bw_link *l)
{
	l->sock_open = 0;
	l->stats.losses++;
	if (l->state == BW_LINK_REFUSED)
		l->reconnect_ms = l->set.reconnect_max_ms;
	else
		l->reconnect_ms = l->reconnect_ms ? l->reconnect_ms * 2 : l->set.reconnect_min_ms;
	if (l->reconnect_ms > l->set.reconnect_max_ms)
		l->reconnect_ms = l->set.reconnect_max_ms;
	l->reconnect_at = bw_link_now_ms() + bw_link_jitter(l->reconnect_ms);
}

/* The open connection went away (a read, write or keepalive failed, or the socket
 * closed): the owner hears it before the socket is dropped, then the next attempt is
 * scheduled. */
static void lost(bw_link *l, const char *why)
{
	if (!l->sock_open)
		return;
	if (l->state == BW_LINK_ONLINE)
		log_warn(l->log, "connection to the broker lost: %s", why);
	if (l->state != BW_LINK_REFUSED)
		set_state(l, BW_LINK_LOST, why);
	mosquitto_disconnect(l->m);
	schedule_reconnect(l);
}

/* An attempt that did not get as far as a connection: said once at the first failure
 * and once per longest wait, not at each attempt of a long outage. */
static void attempt_failed(bw_link *l, const char *why)
{
	if (l->reconnect_ms == 0 || l->reconnect_ms >= l->set.reconnect_max_ms)
		log_warn(l->log, "cannot reach the broker at %s:%d: %s", l->set.host, l->set.port, why);
	if (l->state != BW_LINK_REFUSED)
		set_state(l, BW_LINK_LOST, why);
	schedule_reconnect(l);
}

/* ---- libmosquitto callbacks ---- */

static void on_connect(struct mosquitto *m, void *arg, int rc, int flags, const mosquitto_property *props)
{
	bw_link *l = arg;
	if (rc != 0) {
		/* v5 reasons 0x86 bad user name or password, 0x87 not authorised (a disabled
		 * account); any refusal waits the longest before the next attempt */
		log_error(l->log, "broker %s:%d refused %s: %s", l->set.host, l->set.port, l->set.username,
			  mosquitto_reason_string(rc));
		set_state(l, rc == MQTT_RC_BAD_USERNAME_OR_PASSWORD || rc == MQTT_RC_NOT_AUTHORIZED
			  ? BW_LINK_REFUSED : BW_LINK_LOST, mosquitto_reason_string(rc));
		l->reconnect_ms = l->set.reconnect_max_ms;
		return;
	}
	l->reconnect_ms = 0;
	l->stats.connects++;
	log_info(l->log, "connected to %s:%d as %s%s", l->set.host, l->set.port, l->set.username,
		 flags ? " (session resumed)" : "");
	for (int i = 0; i < l->nsubs; i++)
		mosquitto_subscribe_v5(m, NULL, l->subs[i], 1, 0, NULL);
	set_state(l, BW_LINK_ONLINE, flags ? "connected (session resumed)" : "connected");
}

static void on_disconnect(struct mosquitto *m, void *arg, int rc, const mosquitto_property *props)
{
	bw_link *l = arg;
	if (l->state == BW_LINK_ONLINE && rc != 0) {
		log_warn(l->log, "disconnected from the broker (%s)", mosquitto_reason_string(rc));
		set_state(l, BW_LINK_LOST, mosquitto_reason_string(rc));
	}
}

static void on_message(struct mosquitto *m, void *arg, const struct mosquitto_message *msg,
                       const mosquitto_property *props)
{
	bw_link *l = arg;
	l->stats.received++;
	if (l->cb.message && !l->closing)
		l->cb.message(l->cb.arg, msg, props);
}

static void on_publish(struct mosquitto *m, void *arg, int mid, int reason, const mosquitto_property *props)
{
	bw_link *l = arg;
	if (reason >= 0x80 && l->cb.refused && !l->closing)
		l->cb.refused(l->cb.arg, mid, reason);
}

/* ---- connecting ---- */

/* The MQTT connection proper: libmosquitto's v5 connect connects its TCP socket
 * blocking, so it runs only once the probe has shown the broker answers; the MQTT
 * handshake then goes through the poll loop. */
static void mqtt_connect(bw_link *l)
{
	mosquitto_property *props = NULL;
	if (l->set.session_expiry >= 0)
		mosquitto_property_add_int32(&props, MQTT_PROP_SESSION_EXPIRY_INTERVAL,
					     (uint32_t)l->set.session_expiry);
	int rc = mosquitto_connect_bind_v5(l->m, l->set.host, l->set.port, l->set.keepalive, NULL, props);
	mosquitto_property_free_all(&props);
	if (rc != MOSQ_ERR_SUCCESS) {
		attempt_failed(l, mosq_why(rc));
		return;
	}
	l->sock_open = 1;
	l->misc_at = bw_link_now_ms() + 1000;
}

static void try_connect(bw_link *l)
{
	bw_err e;
	if (bw_probe_start(&l->probe, l->set.host, l->set.port, bw_link_now_ms(), &e) != BW_OK)
		attempt_failed(l, e.msg);
	else if (l->probe.fd < 0)
		mqtt_connect(l);
}

static void probe_done(bw_link *l, short revents)
{
	bw_err e;
	int rc = bw_probe_check(&l->probe, revents, bw_link_now_ms(), &e);
	if (rc == BW_OK)
		mqtt_connect(l);
	else if (rc != BW_EAGAIN)
		attempt_failed(l, e.msg);
}

/* ---- making and ending ---- */

static void defaults(bw_link_settings *s)
{
	if (s->keepalive <= 0)
		s->keepalive = 30;
	if (s->reconnect_min_ms <= 0)
		s->reconnect_min_ms = 250;
	if (s->reconnect_max_ms <= 0)
		s->reconnect_max_ms = 30000;
	if (s->reconnect_min_ms > s->reconnect_max_ms)
		s->reconnect_min_ms = s->reconnect_max_ms;
	if (s->read_max <= 0)
		s->read_max = 256;
}

int bw_link_new(bw_link **out, const bw_link_settings *s, const bw_link_callbacks *cb,
                const bw_log *log, bw_err *e)
{
	*out = NULL;
	if (!s->host[0] || !s->username[0])
		return bw_fail(e, BW_EINVAL, "broker: host and username are needed");
	bw_link *l = bw_xcalloc(1, sizeof *l);
	l->set = *s;
	defaults(&l->set);
	if (cb)
		l->cb = *cb;
	l->log = log;
	bw_probe_init(&l->probe);
	mosquitto_lib_init();
	/* the client id is the user name: the broker is set to use it anyway
	 * (use_username_as_clientid), and a persistent session is found by it */
	l->m = mosquitto_new(s->username, s->session_expiry < 0, l);
	if (!l->m) {
		free(l);
		return bw_fail(e, BW_ENOMEM, "broker: mosquitto_new: %s", strerror(errno));
	}
	mosquitto_int_option(l->m, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
	mosquitto_int_option(l->m, MOSQ_OPT_TCP_NODELAY, 1);
	if (l->set.inflight_max > 0) {
		mosquitto_int_option(l->m, MOSQ_OPT_RECEIVE_MAXIMUM, l->set.inflight_max);
		mosquitto_int_option(l->m, MOSQ_OPT_SEND_MAXIMUM, l->set.inflight_max);
	}
	if (mosquitto_username_pw_set(l->m, s->username, s->password) != MOSQ_ERR_SUCCESS ||
	    (s->cafile[0] && mosquitto_tls_set(l->m, s->cafile, NULL, NULL, NULL, NULL) != MOSQ_ERR_SUCCESS)) {
		bw_link_free(l, 0);
		return bw_fail(e, BW_EINVAL, "broker: credentials or cafile refused by libmosquitto");
	}
	mosquitto_connect_v5_callback_set(l->m, on_connect);
	mosquitto_disconnect_v5_callback_set(l->m, on_disconnect);
	mosquitto_message_v5_callback_set(l->m, on_message);
	mosquitto_publish_v5_callback_set(l->m, on_publish);
	*out = l;
	return BW_OK;
}

void bw_link_free(bw_link *l, int max_ms)
{
	if (!l)
		return;
	l->closing = 1;
	if (l->sock_open && max_ms > 0)
		bw_mqtt_goodbye(l->m, max_ms);
	bw_probe_close(&l->probe);
	if (l->m)
		mosquitto_destroy(l->m);
	for (int i = 0; i < l->nsubs; i++)
		free(l->subs[i]);
	free(l);
}

int bw_link_will(bw_link *l, const char *topic, const void *payload, size_t len, int retain,
                 bw_err *e)
{
	int rc = mosquitto_will_set_v5(l->m, topic, (int)len, payload, 1, retain != 0, NULL);
	return rc == MOSQ_ERR_SUCCESS ? BW_OK : bw_fail(e, BW_EINVAL, "broker: will: %s", mosquitto_strerror(rc));
}

int bw_link_subscribe(bw_link *l, const char *topic, bw_err *e)
{
	if (l->nsubs == BW_LINK_SUBS_MAX)
		return bw_fail(e, BW_ETOOBIG, "broker: more than %d subscriptions", BW_LINK_SUBS_MAX);
	l->subs[l->nsubs++] = bw_xstrdup(topic);
	if (l->state == BW_LINK_ONLINE)
		mosquitto_subscribe_v5(l->m, NULL, topic, 1, 0, NULL);
	return BW_OK;
}

/* ---- traffic ---- */

int bw_link_publish(bw_link *l, int *mid, const char *topic, const void *payload, size_t len,
                    int retain, const mosquitto_property *props, bw_err *e)
{
	if (!l->sock_open)
		return bw_fail(e, BW_EAGAIN, "not connected to the broker");
	int rc = mosquitto_publish_v5(l->m, mid, topic, (int)len, payload, 1, retain != 0, props);
	if (rc != MOSQ_ERR_SUCCESS)
		return bw_fail(e, BW_EIO, "%s", mosquitto_strerror(rc));
	l->stats.published++;
	return BW_OK;
}

void bw_link_flush(bw_link *l)
{
	if (l->sock_open && mosquitto_want_write(l->m))
		mosquitto_loop_write(l->m, 1);
}

/* ---- the loop ---- */

int bw_link_fd(bw_link *l)
{
	return l->probe.fd >= 0 ? l->probe.fd : l->sock_open ? mosquitto_socket(l->m) : -1;
}

int bw_link_want_write(bw_link *l)
{
	return l->probe.fd >= 0 || (l->sock_open && mosquitto_want_write(l->m));
}

int bw_link_handle_in(bw_link *l, short revents)
{
	int rc = MOSQ_ERR_SUCCESS, idle = 1;
	if (!l->sock_open) {
		if (l->probe.fd >= 0)
			probe_done(l, revents);   /* the revents were the probe's */
		else if (bw_link_now_ms() >= l->reconnect_at)
			try_connect(l);
		return 1;
	}
	if (revents & (POLLIN | POLLHUP | POLLERR)) {
		/* loop_read handles about one packet per call: drain what is there, so the
		 * messages of a burst are handled (and committed) together */
		idle = 0;
		for (int i = 0; i < l->set.read_max && rc == MOSQ_ERR_SUCCESS; i++) {
			errno = 0;
			rc = mosquitto_loop_read(l->m, 1);
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				idle = 1;
				break;
			}
		}
		if (rc != MOSQ_ERR_SUCCESS) {
			lost(l, mosq_why(rc));
			return 1;
		}
	}
	return idle;
}

void bw_link_handle_out(bw_link *l)
{
	int rc;
	if (!l->sock_open)
		return;
	if (mosquitto_want_write(l->m) && (rc = mosquitto_loop_write(l->m, 1)) != MOSQ_ERR_SUCCESS) {
		lost(l, mosq_why(rc));
		return;
	}
	int64_t now = bw_link_now_ms();
	if (now >= l->misc_at) {
		l->misc_at = now + 1000;
		if ((rc = mosquitto_loop_misc(l->m)) != MOSQ_ERR_SUCCESS) {
			lost(l, mosq_why(rc));
			return;
		}
	}
	if (mosquitto_socket(l->m) < 0)
		lost(l, "socket closed");
}

void bw_link_handle(bw_link *l, short revents)
{
	bw_link_handle_in(l, revents);
	bw_link_handle_out(l);
}

int bw_link_timeout_ms(bw_link *l)
{
	int64_t now = bw_link_now_ms(), next = now + 1000;
	if (l->probe.fd >= 0)
		next = l->probe.until_ms < next ? l->probe.until_ms : next;
	else if (!l->sock_open)
		next = l->reconnect_at < next ? l->reconnect_at : next;
	else
		next = l->misc_at < next ? l->misc_at : next;
	return next <= now ? 0 : (int)(next - now);
}

int bw_link_state(const bw_link *l)
{
	return l->state;
}

int bw_link_online(const bw_link *l)
{
	return l->state == BW_LINK_ONLINE;
}

int bw_link_open(const bw_link *l)
{
	return l->sock_open;
}

const bw_link_stats *bw_link_get_stats(const bw_link *l)
{
	return &l->stats;
}

/* ---- MQTT v5 user properties ---- */

/* Walks the user properties; returns the value of the first named name (to free), or
 * NULL. */
static char *prop_find(const mosquitto_property *props, const char *name)
{
	char *k = NULL, *v = NULL;
	const mosquitto_property *p = props;
	int skip = 0;
	while ((p = mosquitto_property_read_string_pair(p, MQTT_PROP_USER_PROPERTY, &k, &v, skip))) {
		skip = 1;
		int match = strcmp(k, name) == 0;
		free(k);
		k = NULL;
		if (match)
			return v;
		free(v);
		v = NULL;
	}
	return NULL;
}

void bw_link_prop_str(const mosquitto_property *props, const char *name, char *out, size_t size)
{
	char *v = prop_find(props, name);
	out[0] = '\0';
	if (v)
		bw_strlcpy(out, v, size);
	free(v);
}

int bw_link_prop_int(const mosquitto_property *props, const char *name, int64_t *out)
{
	char *v = prop_find(props, name), *end;
	*out = 0;
	if (!v)
		return 0;
	errno = 0;
	long long x = strtoll(v, &end, 10);
	int ok = !errno && end != v && !*end;
	free(v);
	if (ok)
		*out = x;
	return ok;
}
