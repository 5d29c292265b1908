/* client.c: the console's commands and the hub's pushes over the shared MQTT client
 * (bw_link.c: probe, connect, back-off, goodbye). Commands carry 4-byte correlation data;
 * each waits in a small table until its reply, its deadline, a broker refusal or the
 * loss of the connection under it. */
#include "client.h"

#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	bw_link *link;
	uint32_t next_corr;
	pending pend[PENDING_MAX];
	char t_cmd[TOPIC_MAX], t_down[TOPIC_MAX], t_reply[TOPIC_MAX];
};

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

/* ---- the link's callbacks ---- */

static void on_state(void *arg, int st, const char *why)
{
	ag_client *c = arg;
	if (st != BW_LINK_ONLINE)
		fail_all(c, "connection to the broker lost");
	if (c->cb.state)
		c->cb.state(c->cb.arg, st, why);
}

static pending *find_corr(ag_client *c, uint32_t corr)
{
	for (int i = 0; i < PENDING_MAX; i++)
		if (c->pend[i].used && c->pend[i].corr == corr)
			return &c->pend[i];
	return NULL;
}

static void on_message(void *arg, const struct mosquitto_message *msg, const mosquitto_property *props)
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

static void on_refused(void *arg, int mid, int reason)
{
	ag_client *c = arg;
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

int ag_client_new(ag_client **out, const ag_client_settings *s, const ag_client_callbacks *cb,
                  const bw_log *log, bw_err *e)
{
	*out = NULL;
	if (!s->broker.host[0] || !s->broker.username[0] || !s->broker.password[0])
		return bw_fail(e, BW_EINVAL, "broker: host, username and password are needed (the agent's .conf)");
	ag_client *c = bw_xcalloc(1, sizeof *c);
	c->set = *s;
	if (c->set.timeout_ms <= 0)
		c->set.timeout_ms = 5000;
	if (c->set.broker.reconnect_max_ms <= 0)
		c->set.broker.reconnect_max_ms = 5000;
	/* a console asks for the whole queue at each connection: nothing to keep */
	c->set.broker.session_expiry = -1;
	if (cb)
		c->cb = *cb;
	c->log = log;
	c->next_corr = (uint32_t)bw_link_now_ms() & 0xFFFF;
	const char *u = s->broker.username;
	snprintf(c->t_cmd, sizeof c->t_cmd, "bawaba/v1/agent/%s/up/cmd", u);
	snprintf(c->t_down, sizeof c->t_down, "bawaba/v1/agent/%s/down/", u);
	snprintf(c->t_reply, sizeof c->t_reply, "bawaba/v1/agent/%s/down/reply", u);
	char sub[TOPIC_MAX + 2];
	snprintf(sub, sizeof sub, "%s#", c->t_down);
	bw_link_callbacks lcb = { .arg = c, .state = on_state, .message = on_message, .refused = on_refused };
	int rc = bw_link_new(&c->link, &c->set.broker, &lcb, log, e);
	if (rc == BW_OK)
		rc = bw_link_subscribe(c->link, sub, e);
	if (rc) {
		ag_client_free(c);
		return rc;
	}
	*out = c;
	return BW_OK;
}

void ag_client_free(ag_client *c)
{
	if (!c)
		return;
	bw_link_free(c->link, 200);
	mosquitto_lib_cleanup();
	free(c);
}

int ag_client_send(ag_client *c, const bw_agent_cmd *cmd, uint32_t *corr, bw_err *e)
{
	char *json = NULL;
	size_t len;
	int rc;
	if (!bw_link_online(c->link))
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
	if (bw_link_publish(c->link, &mid, c->t_cmd, json, len, 0, props, e)) {
		rc = BW_EAGAIN;
		if (e)
			e->code = rc;
		goto out;
	}
	*p = (pending){ .used = 1, .corr = id, .mid = mid, .op = cmd->op,
			.due_ms = bw_link_now_ms() + c->set.timeout_ms };
	if (corr)
		*corr = id;
	/* written now rather than at the next loop turn: the answer comes back sooner */
	bw_link_flush(c->link);
out:
	mosquitto_property_free_all(&props);
	free(json);
	return rc;
}

int ag_client_fd(ag_client *c)
{
	return bw_link_fd(c->link);
}

int ag_client_want_write(ag_client *c)
{
	return bw_link_want_write(c->link);
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
	expire(c, bw_link_now_ms());
	bw_link_handle(c->link, revents);
}

int ag_client_timeout_ms(ag_client *c)
{
	int64_t now = bw_link_now_ms(), next = now + bw_link_timeout_ms(c->link);
	for (int i = 0; i < PENDING_MAX; i++)
		if (c->pend[i].used && c->pend[i].due_ms < next)
			next = c->pend[i].due_ms;
	return next <= now ? 0 : (int)(next - now);
}

int ag_client_state(const ag_client *c)
{
	return bw_link_state(c->link);
}

int ag_client_pending(const ag_client *c)
{
	int n = 0;
	for (int i = 0; i < PENDING_MAX; i++)
		n += c->pend[i].used;
	return n;
}
