/* client.c: the console's MQTT v5 client over libmosquitto, driven from the console's
 * loop. A non-blocking TCP probe goes first, because libmosquitto's v5 connect connects
 * its socket blocking and an unreachable hub must never freeze the agent's screen; the
 * MQTT handshake then runs through the loop. Commands carry 4-byte correlation data;
 * each waits in a small table until its reply, its deadline or a broker refusal. */
#include "client.h"

#include <errno.h>
#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bw_probe.h"
#include "bw_mqtt.h"

#define PENDING_MAX 64
#define TOPIC_MAX 128

typedef struct pending {
	int used;
	uint32_t corr;
	int mid;               /* the PUBLISH's message id, to match its PUBACK */
	int op;
	int64_t due_ms;
} pending;

struct ag_client {
	ag_client_settings set;
	ag_client_callbacks cb;
	const bw_log *log;
	struct mosquitto *m;
	int state;             /* enum ag_net */
	int sock_open;         /* the MQTT socket exists (CONNECT sent or online) */
	bw_probe probe;         /* the TCP probe before each connection (bw_probe.h) */
	int64_t reconnect_at, misc_at;
	int reconnect_ms;
	uint32_t next_corr;
	pending pend[PENDING_MAX];
	char t_cmd[TOPIC_MAX], t_down[TOPIC_MAX], t_reply[TOPIC_MAX];
};

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void set_state(ag_client *c, int st, const char *why)
{
	int changed = c->state != st;
	c->state = st;
	if (changed && c->cb.state)
		c->cb.state(c->cb.arg, st, why);
}

/* Every waiting command fails with why (the connection under them is gone). */
static void fail_all(ag_client *c, const char *why)
{
	for (int i = 0; i < PENDING_MAX; i++) {
		if (!c->pend[i].used)
			continue;
		c->pend[i].used = 0;
		if (c->cb.failed)
			c->cb.failed(c->cb.arg, c->pend[i].corr, c->pend[i].op, BW_EAGAIN, why);
	}
}

static void schedule_reconnect(ag_client *c)
{
	c->sock_open = 0;
	if (c->state == AG_NET_REFUSED) {
		/* a refused password does not get better in a second: the operator fixes it */
		c->reconnect_ms = c->set.reconnect_max_ms;
	} else {
		c->reconnect_ms = c->reconnect_ms ? c->reconnect_ms * 2 : 250;
		if (c->reconnect_ms > c->set.reconnect_max_ms)
			c->reconnect_ms = c->set.reconnect_max_ms;
	}
	c->reconnect_at = now_ms() + c->reconnect_ms;
}

static void lost(ag_client *c, const char *why)
{
	if (c->sock_open)
		mosquitto_disconnect(c->m);
	fail_all(c, "connection to the broker lost");
	if (c->state != AG_NET_REFUSED) {
		if (c->state == AG_NET_ONLINE)
			log_warn(c->log, "connection to the broker lost: %s", why);
		set_state(c, AG_NET_LOST, why);
	}
	schedule_reconnect(c);
}

/* ---- libmosquitto callbacks ---- */

static void on_connect(struct mosquitto *m, void *arg, int rc, int flags, const mosquitto_property *props)
{
	ag_client *c = arg;
	if (rc != 0) {
		/* v5 reasons 0x86 bad user name or password, 0x87 not authorised (a disabled
		 * account is removed from the password file) */
		log_error(c->log, "broker %s:%d refused %s: %s", c->set.host, c->set.port, c->set.username,
			  mosquitto_reason_string(rc));
		set_state(c, rc == 0x86 || rc == 0x87 ? AG_NET_REFUSED : AG_NET_LOST, mosquitto_reason_string(rc));
		return;
	}
	char sub[TOPIC_MAX + 2];
	snprintf(sub, sizeof sub, "%s#", c->t_down);
	mosquitto_subscribe_v5(m, NULL, sub, 1, 0, NULL);
	c->reconnect_ms = 0;
	log_info(c->log, "connected to %s:%d as %s", c->set.host, c->set.port, c->set.username);
	set_state(c, AG_NET_ONLINE, "connected");
}

static void on_disconnect(struct mosquitto *m, void *arg, int rc, const mosquitto_property *props)
{
	(void)m;
	(void)arg;
	(void)rc;
	(void)props;
}

static pending *find_corr(ag_client *c, uint32_t corr)
{
	for (int i = 0; i < PENDING_MAX; i++)
		if (c->pend[i].used && c->pend[i].corr == corr)
			return &c->pend[i];
	return NULL;
}

static void on_message(struct mosquitto *m, void *arg, const struct mosquitto_message *msg,
                       const mosquitto_property *props)
{
	ag_client *c = arg;
	uint32_t corr = 0;
	void *cd = NULL;
	uint16_t cl = 0;
	if (strncmp(msg->topic, c->t_reply, strlen(c->t_reply)) == 0) {
		if (!mosquitto_property_read_binary(props, MQTT_PROP_CORRELATION_DATA, &cd, &cl, false) ||
		    cl != 4) {
			log_warn(c->log, "reply without our correlation data: dropped");
			free(cd);
			return;
		}
		const unsigned char *b = cd;
		corr = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
		free(cd);
		pending *p = find_corr(c, corr);
		if (!p) {
			log_debug(c->log, "late reply %u (timed out): dropped", corr);
			return;
		}
		p->used = 0;
	}
	if (c->cb.message)
		c->cb.message(c->cb.arg, msg->payload, (size_t)msg->payloadlen, corr);
}

static void on_publish(struct mosquitto *m, void *arg, int mid, int reason, const mosquitto_property *props)
{
	ag_client *c = arg;
	if (reason < 0x80)
		return;   /* 0x10 "no matching subscribers" is a success: the hub may be away */
	for (int i = 0; i < PENDING_MAX; i++) {
		pending *p = &c->pend[i];
		if (p->used && p->mid == mid) {
			p->used = 0;
			log_warn(c->log, "the broker refused command %u: %s", p->corr, mosquitto_reason_string(reason));
			if (c->cb.failed)
				c->cb.failed(c->cb.arg, p->corr, p->op, BW_EPERM, "refused by the broker (not authorised)");
		}
	}
}

/* ---- connecting ---- */

static void mqtt_connect(ag_client *c)
{
	int rc = mosquitto_connect_bind_v5(c->m, c->set.host, c->set.port, c->set.keepalive, NULL, NULL);
	if (rc != MOSQ_ERR_SUCCESS) {
		lost(c, rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc));
		return;
	}
	c->sock_open = 1;
	c->misc_at = now_ms() + 1000;
}

static void try_connect(ag_client *c)
{
	bw_err e;
	if (bw_probe_start(&c->probe, c->set.host, c->set.port, now_ms(), &e) != BW_OK)
		lost(c, e.msg);
	else if (c->probe.fd < 0)
		mqtt_connect(c);
}

static void probe_done(ag_client *c, short revents)
{
	bw_err e;
	int rc = bw_probe_check(&c->probe, revents, now_ms(), &e);
	if (rc == BW_OK)
		mqtt_connect(c);
	else if (rc != BW_EAGAIN)
		lost(c, e.msg);
}

int ag_client_new(ag_client **out, const ag_client_settings *s, const ag_client_callbacks *cb,
                  const bw_log *log, bw_err *e)
{
	*out = NULL;
	if (!s->host[0] || !s->username[0] || !s->password[0])
		return bw_fail(e, BW_EINVAL, "broker: host, username and password are needed (the agent's .conf)");
	ag_client *c = bw_xcalloc(1, sizeof *c);
	c->set = *s;
	if (c->set.timeout_ms <= 0)
		c->set.timeout_ms = 5000;
	if (c->set.reconnect_max_ms <= 0)
		c->set.reconnect_max_ms = 5000;
	if (c->set.keepalive <= 0)
		c->set.keepalive = 30;
	if (cb)
		c->cb = *cb;
	c->log = log;
	bw_probe_init(&c->probe);
	c->next_corr = (uint32_t)now_ms() & 0xFFFF;
	snprintf(c->t_cmd, sizeof c->t_cmd, "bawaba/v1/agent/%s/up/cmd", s->username);
	snprintf(c->t_down, sizeof c->t_down, "bawaba/v1/agent/%s/down/", s->username);
	snprintf(c->t_reply, sizeof c->t_reply, "bawaba/v1/agent/%s/down/reply", s->username);
	mosquitto_lib_init();
	c->m = mosquitto_new(s->username, true, c);
	if (!c->m) {
		free(c);
		return bw_fail(e, BW_ENOMEM, "mosquitto_new: %s", strerror(errno));
	}
	mosquitto_int_option(c->m, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
	mosquitto_int_option(c->m, MOSQ_OPT_TCP_NODELAY, 1);
	if (mosquitto_username_pw_set(c->m, s->username, s->password) != MOSQ_ERR_SUCCESS ||
	    (s->cafile[0] && mosquitto_tls_set(c->m, s->cafile, NULL, NULL, NULL, NULL) != MOSQ_ERR_SUCCESS)) {
		ag_client_free(c);
		return bw_fail(e, BW_EINVAL, "broker: credentials or cafile refused by libmosquitto");
	}
	mosquitto_connect_v5_callback_set(c->m, on_connect);
	mosquitto_disconnect_v5_callback_set(c->m, on_disconnect);
	mosquitto_message_v5_callback_set(c->m, on_message);
	mosquitto_publish_v5_callback_set(c->m, on_publish);
	*out = c;
	return BW_OK;
}

void ag_client_free(ag_client *c)
{
	if (!c)
		return;
	if (c->m && c->sock_open) {
		bw_mqtt_goodbye(c->m, 200);
	}
	bw_probe_close(&c->probe);
	if (c->m)
		mosquitto_destroy(c->m);
	mosquitto_lib_cleanup();
	free(c);
}

int ag_client_send(ag_client *c, const bw_agent_cmd *cmd, uint32_t *corr, bw_err *e)
{
	char *json = NULL;
	size_t len;
	int rc;
	if (c->state != AG_NET_ONLINE)
		return bw_fail(e, BW_EAGAIN, "not connected to the hub's broker");
	pending *p = NULL;
	for (int i = 0; i < PENDING_MAX && !p; i++)
		if (!c->pend[i].used)
			p = &c->pend[i];
	if (!p)
		return bw_fail(e, BW_ETOOBIG, "%d commands wait for the hub already", PENDING_MAX);
	if ((rc = bw_agent_cmd_encode(cmd, &json, &len, e)))
		return rc;
	if (++c->next_corr == 0)
		c->next_corr = 1;
	uint32_t id = c->next_corr;
	unsigned char cd[4] = { id >> 24, id >> 16 & 0xFF, id >> 8 & 0xFF, id & 0xFF };
	mosquitto_property *props = NULL;
	int mid = 0;
	if (mosquitto_property_add_string(&props, MQTT_PROP_RESPONSE_TOPIC, c->t_reply) ||
	    mosquitto_property_add_binary(&props, MQTT_PROP_CORRELATION_DATA, cd, 4)) {
		rc = bw_fail(e, BW_ENOMEM, "command: properties");
		goto out;
	}
	int mrc = mosquitto_publish_v5(c->m, &mid, c->t_cmd, (int)len, json, 1, false, props);
	if (mrc != MOSQ_ERR_SUCCESS) {
		rc = bw_fail(e, BW_EAGAIN, "publish: %s", mosquitto_strerror(mrc));
		goto out;
	}
	*p = (pending){ .used = 1, .corr = id, .mid = mid, .op = cmd->op, .due_ms = now_ms() + c->set.timeout_ms };
	if (corr)
		*corr = id;
	/* written now rather than at the next loop turn: the answer comes back sooner */
	if (mosquitto_want_write(c->m))
		mosquitto_loop_write(c->m, 1);
out:
	mosquitto_property_free_all(&props);
	free(json);
	return rc;
}

int ag_client_fd(ag_client *c)
{
	return c->probe.fd >= 0 ? c->probe.fd : c->sock_open ? mosquitto_socket(c->m) : -1;
}

int ag_client_want_write(ag_client *c)
{
	return c->probe.fd >= 0 || (c->sock_open && mosquitto_want_write(c->m));
}

static void expire(ag_client *c, int64_t now)
{
	for (int i = 0; i < PENDING_MAX; i++) {
		pending *p = &c->pend[i];
		if (p->used && now >= p->due_ms) {
			p->used = 0;
			if (c->cb.failed)
				c->cb.failed(c->cb.arg, p->corr, p->op, BW_EAGAIN, "the hub did not answer in time");
		}
	}
}

void ag_client_handle(ag_client *c, short revents)
{
	int64_t now = now_ms();
	int rc = MOSQ_ERR_SUCCESS;
	expire(c, now);
	if (!c->sock_open) {
		if (c->probe.fd >= 0) {
			probe_done(c, revents);
			revents = 0;
		} else if (now >= c->reconnect_at) {
			try_connect(c);
		}
		if (!c->sock_open)
			return;
	}
	if (revents & (POLLIN | POLLHUP | POLLERR)) {
		/* loop_read reads about one packet per call: drain what is there */
		for (int i = 0; i < 256 && rc == MOSQ_ERR_SUCCESS; i++) {
			errno = 0;
			rc = mosquitto_loop_read(c->m, 1);
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
		}
		if (rc != MOSQ_ERR_SUCCESS) {
			lost(c, rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc));
			return;
		}
	}
	if (mosquitto_want_write(c->m) && (rc = mosquitto_loop_write(c->m, 1)) != MOSQ_ERR_SUCCESS) {
		lost(c, mosquitto_strerror(rc));
		return;
	}
	if (now >= c->misc_at) {
		c->misc_at = now + 1000;
		if ((rc = mosquitto_loop_misc(c->m)) != MOSQ_ERR_SUCCESS) {
			lost(c, mosquitto_strerror(rc));
			return;
		}
	}
	if (mosquitto_socket(c->m) < 0)
		lost(c, "socket closed");
}

int ag_client_timeout_ms(ag_client *c)
{
	int64_t now = now_ms(), next = now + 1000;
	if (c->probe.fd >= 0 && c->probe.until_ms < next)
		next = c->probe.until_ms;
	else if (!c->sock_open && c->probe.fd < 0 && c->reconnect_at < next)
		next = c->reconnect_at;
	else if (c->sock_open && c->misc_at < next)
		next = c->misc_at;
	for (int i = 0; i < PENDING_MAX; i++)
		if (c->pend[i].used && c->pend[i].due_ms < next)
			next = c->pend[i].due_ms;
	return next <= now ? 0 : (int)(next - now);
}

int ag_client_state(const ag_client *c)
{
	return c->state;
}

int ag_client_pending(const ag_client *c)
{
	int n = 0;
	for (int i = 0; i < PENDING_MAX; i++)
		n += c->pend[i].used;
	return n;
}
