/* ingest.c: what devices send up: requests checked against what the registry and the
 * hub's clock allow, batched and stored in one group commit then acknowledged per device;
 * citizens' own events (reopen, withdraw, appeal) applied once and acknowledged; status
 * queries answered under the receipt-code guessing limits. */
#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <stdlib.h>
#include <string.h>

#include "bw_calendar.h"
#include "bw_clock.h"
#include "bw_proto.h"
#include "bw_ref.h"
#include "bw_store.h"
#include "bw_wire.h"
#include "desk_link.h"
#include "hub_int.h"

/* One ack message for n acks. dl (may be NULL) holds the hub's deadline of each stored or
 * duplicate request ("" for none): each goes as a user property "deadline" = "UID DAY",
 * so the device takes the hub's deadline (its holiday table may differ) without a change
 * to the ack's JSON, which older devices read strictly. */
static void send_acks(hub *h, const char *dev, const bw_ack *a, char (*dl)[BW_DATE_LEN + 1], size_t n)
{
	char topic[BW_PROTO_TOPIC_MAX], *json, v[BW_UID_LEN + BW_DATE_LEN + 2];
	size_t len;
	bw_err e;
	mosquitto_property *props = NULL;
	if (bw_proto_topic(topic, sizeof topic, dev, "down/ack", &e) ||
	    bw_ack_encode(a, n, &json, &len, &e)) {
		log_error(h->log, "ack to %s: %s", dev, e.msg);
		return;
	}
	for (size_t i = 0; dl && i < n; i++)
		if (dl[i][0] && a[i].status != BW_ACK_REJECTED) {
			snprintf(v, sizeof v, "%s %s", a[i].uid, dl[i]);
			mosquitto_property_add_string_pair(&props, MQTT_PROP_USER_PROPERTY, "deadline", v);
		}
	hub_publish(h, topic, json, len, 0, props);
	mosquitto_property_free_all(&props);
	free(json);
}

/* ---- ingest: group commit, then acks ---- */

/* What one batch's items came to: a status (and the hub's deadline, "" for none) for
 * each, and the counts. */
struct outcome {
	bw_ack *acks;
	char (*dl)[BW_DATE_LEN + 1];
	long stored, dup, rej;
	int live;       /* an agent sees one of the stored requests */
};

/* A request the device sent before (its ack lost) or another device's uid: duplicate or
 * rejected by what is stored under the uid. */
static void known_uid(hub *h, const struct item *it, const bw_request *stored, bw_ack *a,
                      char *dl, struct outcome *o)
{
	if (strcmp(stored->device, it->dev) != 0) {
		/* another device's uid: say nothing about that request */
		a->status = BW_ACK_REJECTED;
		snprintf(a->reason, sizeof a->reason, "uid: belongs to another device");
		log_warn(h->log, "rejected request %s from %s: uid of a request of %s",
			 it->r.uid, it->dev, stored->device);
		o->rej++;
		return;
	}
	a->status = BW_ACK_DUPLICATE;
	memcpy(a->ref, stored->ref, sizeof a->ref);
	memcpy(dl, stored->deadline, BW_DATE_LEN + 1);
	o->dup++;
}

static void rejected(hub *h, const struct item *it, bw_ack *a, const char *why, struct outcome *o)
{
	a->status = BW_ACK_REJECTED;
	bw_strlcpy(a->reason, why, sizeof a->reason);
	log_warn(h->log, "rejected request %s from %s: %s", it->r.uid, it->dev, why);
	o->rej++;
}

/* Stores batch item i inside the batch's transaction and says what its ack will be;
 * BW_OK, or the store's error that fails the whole batch. */
static int store_item(hub *h, size_t i, bw_request *stored, struct outcome *o, bw_err *e)
{
	struct item *it = &h->batch[i];
	bw_ack *a = &o->acks[i];
	char actor[BW_ACTOR_MAX + 1];
	memcpy(a->uid, it->r.uid, sizeof a->uid);
	snprintf(actor, sizeof actor, "device:%s", it->dev);
	if (it->reject[0]) {
		/* a request stored before (its ack lost) is a duplicate even if what it
		 * claims would no longer pass (a backlog older than the window now) */
		int g = bw_store_get_uid(h->st, it->r.uid, stored, e);
		if (g == BW_OK && strcmp(stored->device, it->dev) == 0)
			known_uid(h, it, stored, a, o->dl[i], o);
		else if (g == BW_OK || g == BW_ENOTFOUND)
			rejected(h, it, a, it->reject, o);
		else
			return g;
		return BW_OK;
	}
	int r = bw_store_insert(h->st, &it->r, actor, e);
	if (r == BW_OK) {
		a->status = BW_ACK_STORED;
		memcpy(a->ref, it->r.ref, sizeof a->ref);
		memcpy(o->dl[i], it->r.deadline, sizeof o->dl[i]);
		o->stored++;
		o->live = o->live || hub_console_wants(h->con, it->r.site, it->r.admin);
	} else if (r == BW_EEXIST && bw_store_get_uid(h->st, it->r.uid, stored, NULL) == BW_OK) {
		known_uid(h, it, stored, a, o->dl[i], o);
	} else if (r == BW_EINVAL || r == BW_ETOOBIG || r == BW_EEXIST) {
		rejected(h, it, a, e->msg, o);
	} else {
		return r;
	}
	return BW_OK;
}

/* One ack message per device per commit (split at BW_PROTO_ACKS_MAX): the broker and
 * each device handle one message for a whole batch. */
static void send_batch_acks(hub *h, const struct outcome *o)
{
	bw_ack *group = bw_xmalloc(BW_PROTO_ACKS_MAX * sizeof *group);
	char (*gdl)[BW_DATE_LEN + 1] = bw_xmalloc(BW_PROTO_ACKS_MAX * sizeof *gdl);
	char *sent = bw_xcalloc(h->nbatch, 1);
	for (size_t i = 0; i < h->nbatch; i++) {
		size_t n = 0;
		for (size_t j = i; j < h->nbatch && n < BW_PROTO_ACKS_MAX; j++)
			if (!sent[j] && strcmp(h->batch[j].dev, h->batch[i].dev) == 0) {
				memcpy(gdl[n], o->dl[j], sizeof gdl[n]);
				group[n++] = o->acks[j];
				sent[j] = 1;
			}
		if (n)
			send_acks(h, h->batch[i].dev, group, gdl, n);
	}
	free(sent);
	free(gdl);
	free(group);
}

void hub_flush(hub *h)
{
	if (!h->nbatch)
		return;
	bw_err e;
	struct outcome o = { bw_xcalloc(h->nbatch, sizeof *o.acks), bw_xcalloc(h->nbatch, sizeof *o.dl),
			     0, 0, 0, 0 };
	bw_request *stored = bw_xmalloc(sizeof *stored);
	int rc = bw_store_begin(h->st, &e);
	for (size_t i = 0; i < h->nbatch && rc == BW_OK; i++)
		rc = store_item(h, i, stored, &o, &e);
	if (rc == BW_OK)
		rc = bw_store_commit(h->st, &e);
	if (rc != BW_OK) {
		/* nothing is acknowledged: the devices send it all again */
		log_error(h->log, "batch of %zu requests not stored: %s", h->nbatch, e.msg);
		bw_store_rollback(h->st);
	} else {
		h->stats.batches++;
		h->stats.stored += o.stored;
		h->stats.duplicates += o.dup;
		h->stats.rejected += o.rej;
		send_batch_acks(h, &o);
		h->stats.last_ack_ms = hub_now_ms();
		if (o.live)
			h->events_at = 0;   /* an agent is watching: push the new rows now */
		log_debug(h->log, "batch: %zu requests, %ld stored, %ld duplicates, %ld rejected",
			  h->nbatch, o.stored, o.dup, o.rej);
	}
	free(stored);
	free(o.acks);
	free(o.dl);
	h->nbatch = 0;
}

/* How far a request's day of receipt may be from the hub's today: a device may send a
 * backlog after an outage of up to RECEIPT_PAST_DAYS (its requests were taken then, the
 * legal clock started then); a day ahead allows for a device clock a little fast around
 * midnight. Beyond that the date is not believed: a deadline counted from 2199 or 1970
 * would be meaningless. */
#define RECEIPT_PAST_DAYS 30
#define RECEIPT_FUTURE_DAYS 1

/* What the device claims about a request, against the registry and the hub's clock:
 * "" if believable, else the reason in why. A device's own topic, device field and
 * reference number are checked by on_req already; this is about the rest (the site the
 * agents' scope and reports go by, the channel, the date the deadline counts from). */
static void claims_check(const struct hdev *d, const bw_request *r, int64_t now, char *why, size_t size)
{
	int want = strcmp(d->kind, "kiosk") == 0 ? BW_CHANNEL_KIOSK
		 : strcmp(d->kind, "gateway") == 0 ? BW_CHANNEL_SMS : -1;
	bw_day on, today = bw_legal_day(now);
	char a[BW_DATE_LEN + 1], b[BW_DATE_LEN + 1];
	why[0] = '\0';
	if (d->site[0] && strcmp(r->site, d->site) != 0)
		snprintf(why, size, "site: \"%.32s\" is not this device's site (%s)", r->site, d->site);
	else if (want < 0)
		snprintf(why, size, "channel: a device of kind \"%s\" takes no requests", d->kind);
	else if ((int)r->channel != want)
		snprintf(why, size, "channel: a %s takes %s requests, not %s", d->kind,
			 bw_channel_name((enum bw_channel)want), bw_channel_name(r->channel));
	/* an unparsable date or a missing time is the store's validation's to refuse */
	else if (bw_day_parse(r->received_on, &on, NULL) != BW_OK || r->received_at <= 0)
		return;
	else if (on < today - RECEIPT_PAST_DAYS || on > today + RECEIPT_FUTURE_DAYS)
		snprintf(why, size, "received_on: %s is outside %s..%s (at most %d days back)", r->received_on,
			 bw_day_format(today - RECEIPT_PAST_DAYS, a), bw_day_format(today + RECEIPT_FUTURE_DAYS, b),
			 RECEIPT_PAST_DAYS);
	else if (on < bw_legal_day(r->received_at) - 1 || on > bw_legal_day(r->received_at) + 1)
		snprintf(why, size, "received_on: %s is not the day of received_at (%s)", r->received_on,
			 bw_day_format(bw_legal_day(r->received_at), a));
}

void hub_on_req(hub *h, struct hdev *d, const char *payload, int len)
{
	bw_err e;
	char why[BW_ERRMSG + 64], ref[BW_REF_LEN + 1];
	struct item *it = &h->batch[h->nbatch];
	if (!h->stats.received++)
		h->stats.first_req_ms = hub_now_ms();
	if (bw_wire_request_decode(payload, (size_t)len, &it->r, &e)) {
		drop(h, d->id, "up/req", e.msg);
		return;
	}
	if (strcmp(it->r.device, d->id) != 0) {
		snprintf(why, sizeof why, "payload names device \"%.40s\"", it->r.device);
		drop(h, d->id, "up/req", why);
		return;
	}
	if (bw_ref_parse(it->r.ref, ref, NULL) || strcmp(ref, it->r.ref) != 0 ||
	    bw_ref_device(it->r.ref) != (unsigned)d->num) {
		snprintf(why, sizeof why, "reference \"%.20s\" is not one of device number %04d",
			 it->r.ref, d->num);
		drop(h, d->id, "up/req", why);
		return;
	}
	memcpy(it->dev, d->id, sizeof it->dev);
	/* refused in the batch's order, after its commit, like the store's refusals */
	int64_t now = bw_now();
	claims_check(d, &it->r, now, it->reject, sizeof it->reject);
	/* a clock a little fast: the receipt is the hub's now, not a time to come (guard.h) */
	if (!it->reject[0] && guard_request_time(&it->r, now)) {
		h->stats.stamped++;
		d->stamped_due++;
		if (hub_dev_log_allow(h, d))
			log_warn(h->log, "request %s from %s: received_at is ahead of the hub's clock: "
				 "recorded at the hub's time", it->r.uid, d->id);
	}
	if (h->nbatch++ == 0)
		h->batch_since = hub_now_ms();
	if (h->nbatch >= (size_t)h->set.batch_max)
		hub_flush(h);
}

/* ---- events made on devices ---- */

/* The time an event from device d is recorded with (guard_event_time): its own if no
 * earlier than its request's receipt and latest event and not ahead of the hub's clock,
 * else the hub's, logged and counted. A re-sent event already stored keeps its time
 * (bw_store_apply_event does not look at this one). */
static void event_time(hub *h, struct hdev *d, bw_event *ev, const bw_request *r, int64_t now)
{
	int64_t last = 0;
	char why[128];
	(void)bw_store_last_event_at(h->st, r->uid, &last, NULL);
	int64_t at = guard_event_time(ev->at, r->received_at, last, now, why, sizeof why);
	if (at == ev->at)
		return;
	h->stats.stamped++;
	d->stamped_due++;
	if (hub_dev_log_allow(h, d))
		log_warn(h->log, "event %s from %s: %s: recorded at the hub's time", ev->uid, d->id, why);
	ev->at = at;
}

/* A citizen's own move made on a device (reopen, withdraw, appeal): applied once by its
 * event uid through the store's lifecycle rules, then acknowledged like a request. */
void hub_on_evt(hub *h, struct hdev *d, const char *payload, int len)
{
	bw_event *ev = bw_xmalloc(sizeof *ev), *old = bw_xmalloc(sizeof *old);
	bw_request *r = bw_xmalloc(sizeof *r);
	char ref[BW_REF_LEN + 1], why[BW_ERRMSG + 64];
	bw_ack a;
	bw_err e;
	int64_t now = bw_now();
	h->stats.events++;
	memset(&a, 0, sizeof a);
	if (bw_wire_event_decode(payload, (size_t)len, ev, ref, &e)) {
		drop(h, d->id, "up/evt", e.msg);
		goto out;
	}
	memcpy(a.uid, ev->uid, sizeof a.uid);
	/* the requests sent before it may still be in the batch: commit them first */
	hub_flush(h);
	if (bw_store_get_uid(h->st, ev->request_uid, r, &e) != BW_OK) {
		/* maybe its request was lost and comes again: no ack, the device sends both again */
		log_warn(h->log, "event %s from %s: request %s not at the hub (yet)", ev->uid, d->id,
			 ev->request_uid);
		goto out;
	}
	if (strcmp(r->device, d->id) != 0 || (ref[0] && strcmp(ref, r->ref) != 0)) {
		drop(h, d->id, "up/evt", "the request is not one of this device's");
		goto out;
	}
	memcpy(a.ref, r->ref, sizeof a.ref);
	if (ev->new_state != BW_ST_REOPENED && ev->new_state != BW_ST_CLOSED &&
	    ev->new_state != BW_ST_UNDER_APPEAL) {
		a.status = BW_ACK_REJECTED;
		snprintf(a.reason, sizeof a.reason, "new_state: a device may only reopen, close or appeal");
	} else {
		/* who did it is the hub's to say, not the payload's; when, the device's if the
		 * hub can believe it (guard.h), else the hub's */
		snprintf(ev->actor, sizeof ev->actor, "citizen:%s", d->id);
		event_time(h, d, ev, r, now);
		int rc = bw_store_apply_event(h->st, ev, old, &e);
		if (rc == BW_OK) {
			a.status = BW_ACK_STORED;
		} else if (rc == BW_EEXIST && strcmp(old->request_uid, ev->request_uid) == 0) {
			a.status = BW_ACK_DUPLICATE;
		} else if (rc == BW_EDB || rc == BW_ENOMEM) {
			log_error(h->log, "event %s from %s not stored: %s", ev->uid, d->id, e.msg);
			goto out;   /* no ack: it comes again */
		} else {
			a.status = BW_ACK_REJECTED;
			bw_strlcpy(a.reason, rc == BW_EEXIST ? "uid: belongs to another event" : e.msg,
				   sizeof a.reason);
		}
	}
	if (a.status == BW_ACK_REJECTED) {
		snprintf(why, sizeof why, "rejected event %s from %s: %s", ev->uid, d->id, a.reason);
		log_warn(h->log, "%s", why);
		h->stats.rejected++;
	} else if (a.status == BW_ACK_DUPLICATE) {
		h->stats.duplicates++;
	} else {
		log_info(h->log, "%s: %s %s by the citizen", d->id, r->ref, bw_state_name(ev->new_state));
		h->events_at = 0;   /* notify, and push to the agents, now */
	}
	send_acks(h, d->id, &a, NULL, 1);
out:
	free(ev);
	free(old);
	free(r);
}

/* ---- status queries ---- */

void hub_on_query(hub *h, struct hdev *d, const char *payload, int len,
                     const mosquitto_property *props)
{
	char ref[BW_REF_LEN + 1], code[BW_RCODE_LEN + 1], want[BW_PROTO_TOPIC_MAX], *rt = NULL,
	     *json = NULL;
	void *corr = NULL;
	uint16_t clen = 0;
	bw_err e;
	size_t jlen;
	mosquitto_property *out = NULL;
	bw_status *st = NULL;
	h->stats.queries++;
	if (bw_query_decode(payload, (size_t)len, ref, code, &e)) {
		drop(h, d->id, "up/query", e.msg);
		return;
	}
	mosquitto_property_read_string(props, MQTT_PROP_RESPONSE_TOPIC, &rt, false);
	mosquitto_property_read_binary(props, MQTT_PROP_CORRELATION_DATA, &corr, &clen, false);
	bw_proto_topic(want, sizeof want, d->id, "down/reply", NULL);
	if (!rt || strcmp(rt, want) != 0 || !corr) {
		drop(h, d->id, "up/query", "response topic must be its own down/reply, with correlation data");
		goto out;
	}
	/* receipt-code guessing: limited per device and per reference over sliding windows
	 * kept in the database (guard.h); past a limit the code is not looked at and the
	 * query is answered as without one: states and dates only */
	int64_t now = bw_now();
	char why[128];
	if (code[0] && guard_code_allowed(h->st, &h->set.codes, d->id, ref, now, why, sizeof why) != 1) {
		if (hub_dev_log_allow(h, d))
			log_warn(h->log, "%s: query for %s: %s: the code is not checked", d->id, ref, why);
		code[0] = '\0';
	}
	st = bw_xmalloc(sizeof *st);
	bw_status_init(st);
	/* any device may ask about any reference (a citizen may follow a request at another
	 * site), so the reference alone gets states and dates; the notes meant for the citizen
	 * go only with the receipt code they were given (never logged) */
	if (bw_status_load(h->st, ref, code, st, &e) || bw_status_encode(st, &json, &jlen, &e)) {
		log_error(h->log, "status %s for %s: %s", ref, d->id, e.msg);
		goto out;
	}
	if (st->code == BW_CODE_WRONG && guard_code_wrong(h->st, &h->set.codes, d->id, ref, now, &e) != BW_OK)
		log_error(h->log, "%s", e.msg);
	mosquitto_property_add_binary(&out, MQTT_PROP_CORRELATION_DATA, corr, clen);
	hub_publish(h, rt, json, jlen, 0, out);
out:
	if (st) {
		bw_status_clear(st);
		free(st);
	}
	mosquitto_property_free_all(&out);
	free(json);
	free(rt);
	free(corr);
}
