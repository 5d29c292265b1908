/* bw_sync_query.c: status queries a citizen makes on the device: asked of the hub as an
 * MQTT v5 request (response topic, correlation data), answered from the local store when
 * the hub is away or late. */
#include "bw_sync_int.h"

#include <mqtt_protocol.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bw_ref.h"

/* ---- status queries ---- */

static void answer_local(bw_sync *s, const char *ref, const char *code, bw_sync_query_fn cb,
                         void *arg)
{
	bw_status *st = bw_xmalloc(sizeof *st);
	bw_err e;
	bw_status_init(st);
	/* the device checks the code against its own copy: it made the request */
	if (bw_status_load(s->st, ref, code, st, &e))
		log_error(s->log, "status %s: local store: %s", ref, e.msg);
	st->from_local = 1;
	cb(arg, st);
	bw_status_clear(st);
	free(st);
}

int bw_sync_query(bw_sync *s, const char *ref_in, bw_sync_query_fn cb, void *arg, bw_err *e)
{
	return bw_sync_query_code(s, ref_in, NULL, cb, arg, e);
}

int bw_sync_query_code(bw_sync *s, const char *ref_in, const char *code_in,
                       bw_sync_query_fn cb, void *arg, bw_err *e)
{
	char ref[BW_REF_LEN + 1], code[BW_RCODE_LEN + 1] = "";
	int rc = bw_ref_parse(ref_in, ref, e);
	if (rc)
		return rc;
	if (code_in && code_in[0]) {
		if (!bw_rcode_valid(code_in))
			return bw_fail(e, BW_EINVAL, "code: not %d digits", BW_RCODE_LEN);
		memcpy(code, code_in, sizeof code);
	}
	struct query *q = NULL;
	for (int i = 0; i < QUERIES_MAX && !q; i++)
		if (!s->q[i].used)
			q = &s->q[i];
	char *json = NULL;
	size_t len = 0;
	mosquitto_property *props = NULL;
	if (!bw_link_online(s->link) || s->hub == 0 || !q || bw_query_encode(ref, code, &json, &len, NULL))
		goto local;
	snprintf(q->corr, sizeof q->corr, "q%u", ++s->next_corr);
	if (mosquitto_property_add_string(&props, MQTT_PROP_RESPONSE_TOPIC, s->t_reply) ||
	    mosquitto_property_add_binary(&props, MQTT_PROP_CORRELATION_DATA, q->corr,
					  (uint16_t)strlen(q->corr)) ||
	    bw_link_publish(s->link, NULL, s->t_query, json, len, 0, props, NULL))
		goto local;
	mosquitto_property_free_all(&props);
	free(json);
	q->used = 1;
	memcpy(q->ref, ref, sizeof q->ref);
	memcpy(q->code, code, sizeof q->code);
	q->due_ms = now_ms() + s->set.query_timeout_ms;
	q->cb = cb;
	q->arg = arg;
	return BW_OK;
local:
	mosquitto_property_free_all(&props);
	free(json);
	answer_local(s, ref, code, cb, arg);
	return BW_OK;
}

void sync_on_reply(bw_sync *s, const char *payload, int len, const mosquitto_property *props)
{
	void *corr = NULL;
	uint16_t clen = 0;
	if (!mosquitto_property_read_binary(props, MQTT_PROP_CORRELATION_DATA, &corr, &clen, false)) {
		log_warn(s->log, "down/reply: no correlation data, dropped");
		return;
	}
	struct query *q = NULL;
	for (int i = 0; i < QUERIES_MAX && !q; i++)
		if (s->q[i].used && strlen(s->q[i].corr) == clen && memcmp(s->q[i].corr, corr, clen) == 0)
			q = &s->q[i];
	free(corr);
	if (!q)
		return;   /* answered locally already after a timeout */
	bw_status *st = bw_xmalloc(sizeof *st);
	bw_err e;
	bw_status_init(st);
	q->used = 0;
	if (bw_status_decode(payload, (size_t)len, st, &e)) {
		log_warn(s->log, "down/reply: dropped: %s", e.msg);
		answer_local(s, q->ref, q->code, q->cb, q->arg);
	} else {
		q->cb(q->arg, st);
	}
	bw_status_clear(st);
	free(st);
}

void sync_expire_queries(bw_sync *s, int all)
{
	int64_t now = now_ms();
	for (int i = 0; i < QUERIES_MAX; i++)
		if (s->q[i].used && (all || s->q[i].due_ms <= now)) {
			s->q[i].used = 0;
			log_info(s->log, "status %s: no answer from the hub, answering locally", s->q[i].ref);
			answer_local(s, s->q[i].ref, s->q[i].code, s->q[i].cb, s->q[i].arg);
		}
}

