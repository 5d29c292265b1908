/* bw_sync_outbox.c: the device's outbox: a request or a citizen's event committed in the
 * local store with its outbox row before the citizen gets the reference, and the windowed
 * sender that publishes the rows to the hub and retires each on the hub's ack. */
#include "bw_clock.h"
#include "bw_sync_int.h"

#include <mqtt_protocol.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bw_calendar.h"
#include "bw_edge.h"
#include "bw_ref.h"
#include "bw_uuid.h"
#include "bw_wire.h"

/* Acks arrive in bursts: one transaction per bw_sync_handle call holds them all. */
void sync_tx_lazy(bw_sync *s)
{
	if (!s->in_tx && bw_store_begin(s->st, NULL) == BW_OK)
		s->in_tx = 1;
}

/* Commits the acks of the open transaction. Only then do their rows leave the window:
 * if the commit fails they are still unacknowledged on disk, so they stay in the window
 * and go again at their next attempt (the hub answers "duplicate"), in this run. */
void sync_tx_done(bw_sync *s)
{
	if (!s->in_tx)
		return;
	bw_err e;
	int ok = bw_store_commit(s->st, &e) == BW_OK;
	if (!ok) {
		log_error(s->log, "local db: commit of acks: %s (those rows will be sent again)", e.msg);
		bw_store_rollback(s->st);
	}
	s->in_tx = 0;
	for (size_t i = 0; i < s->npend; i++) {
		if (!s->pend[i].acked)
			continue;
		if (ok)
			s->pend[i--] = s->pend[--s->npend];
		else
			s->pend[i].acked = 0;
	}
}

long bw_sync_outbox_depth(bw_sync *s)
{
	return bw_store_outbox_depth(s->st);
}

/* ---- the sender ---- */

static int64_t ack_wait(bw_sync *s, int attempts)
{
	int64_t ms = s->set.ack_timeout_ms;
	for (int i = 1; i < attempts && ms < s->set.retry_max_ms; i++)
		ms *= 2;
	if (ms > s->set.retry_max_ms)
		ms = s->set.retry_max_ms;
	return bw_link_jitter(ms);
}

static void publish_row(bw_sync *s, struct pend *p, const char *payload, int len)
{
	int mid = 0;
	bw_err e;
	int rc = bw_link_publish(s->link, &mid, p->is_evt ? s->t_evt : s->t_req, payload, (size_t)len,
				 0, NULL, &e);
	p->attempts++;
	p->due_ms = now_ms() + ack_wait(s, p->attempts);
	if (rc != BW_OK) {
		log_warn(s->log, "outbox %s: publish: %s", p->uid, e.msg);
		p->mid = 0;
		return;
	}
	p->mid = mid;
	if (p->attempts > 1)
		bw_store_outbox_retry(s->st, p->seq, bw_now() + (p->due_ms - now_ms()) / 1000, NULL);
}

struct due {
	bw_sync *s;
	struct pend *p;
};

/* bw_store_outbox_get's callback: a row of the window whose wait ran out goes again. */
static int resend(const bw_outbox_row *row, void *arg)
{
	bw_sync *s = ((struct due *)arg)->s;
	struct pend *p = ((struct due *)arg)->p;
	if (p->attempts > 0)
		log_info(s->log, "outbox %s: no ack from the hub, sending again (attempt %d)", p->uid,
			 p->attempts + 1);
	publish_row(s, p, row->payload, (int)row->len);
	return 0;
}

/* bw_store_outbox_next's callback: a new row enters the window. */
static int take(const bw_outbox_row *row, void *arg)
{
	bw_sync *s = arg;
	struct pend *p = &s->pend[s->npend++];
	memset(p, 0, sizeof *p);
	p->seq = row->seq;
	memcpy(p->uid, row->uid, sizeof p->uid);
	p->is_evt = row->is_evt;
	s->scan_from = p->seq;
	publish_row(s, p, row->payload, (int)row->len);
	return 0;
}

/* Publishes what is due: first the rows already in the window whose wait ran out (the
 * oldest first, they were taken in order), then new rows while the window has room.
 * Nothing while the hub is known to be away (its retained presence or will said so):
 * sending would only fill the broker's queue for it, over and over; on_hub sends it all
 * when the hub is back. A hub not heard of yet (no retained presence) is tried. */
void sync_pump(bw_sync *s)
{
	if (!bw_link_online(s->link) || s->hub == 0)
		return;
	int64_t now = now_ms();
	for (size_t i = 0; i < s->npend; i++) {
		struct pend *p = &s->pend[i];
		if (p->acked || p->due_ms > now)
			continue;
		struct due d = { s, p };
		int rc = bw_store_outbox_get(s->st, p->seq, resend, &d, NULL);
		if (rc == BW_ENOTFOUND)   /* acked meanwhile (by an earlier run's ack): drop it */
			s->pend[i--] = s->pend[--s->npend];
		else if (rc != BW_OK)
			return;
	}
	if (s->npend < (size_t)s->set.window)
		bw_store_outbox_next(s->st, s->scan_from, s->set.window - (int)s->npend, take, s, NULL);
}

/* The hub's deadline of the requests an ack message acknowledges: user properties
 * "deadline" = "UID YYYY-MM-DD" (the device's holiday table may differ from the hub's,
 * and the hub's is the one that counts). Taken only while the device has heard of no
 * event of that request (then its notifications carry the deadline). In the acks'
 * transaction. */
static void ack_deadlines(bw_sync *s, const mosquitto_property *props)
{
	char *k = NULL, *v = NULL, uid[BW_UID_LEN + 1], day[BW_DATE_LEN + 1];
	const mosquitto_property *p = props;
	int skip = 0, changed;
	bw_day d;
	bw_err e;
	while ((p = mosquitto_property_read_string_pair(p, MQTT_PROP_USER_PROPERTY, &k, &v, skip))) {
		skip = 1;
		int ok = strcmp(k, "deadline") == 0 && strlen(v) == BW_UID_LEN + 1 + BW_DATE_LEN &&
			 v[BW_UID_LEN] == ' ';
		if (ok) {
			memcpy(uid, v, BW_UID_LEN);
			uid[BW_UID_LEN] = '\0';
			memcpy(day, v + BW_UID_LEN + 1, sizeof day);
			ok = bw_day_parse(day, &d, NULL) == BW_OK;
		}
		free(k);
		free(v);
		k = v = NULL;
		if (!ok)
			continue;
		if (bw_store_hub_deadline(s->st, uid, day, &changed, &e))
			log_error(s->log, "outbox %s: the hub's deadline: %s", uid, e.msg);
		else if (changed)
			log_info(s->log, "request %s: deadline %s, as the hub counts it", uid, day);
	}
}

/* The hub holds it now (issue 11): the device keeps only what offline status needs. The
 * outbox row's payload (the whole request or event, receipt code in clear) is emptied;
 * the request's personal fields go (bw_store_forget; a gateway keeps the phone its SMS
 * notifications go to). In the same transaction as the ack; the freed pages are zeroed
 * (secure_delete) and the WAL truncated at the next quiet moment (wal_checkpoint). */
static void forget(bw_sync *s, const char *uid)
{
	bw_err e;
	if (bw_store_outbox_forget(s->st, uid, &e))
		log_error(s->log, "outbox %s: cannot empty: %s", uid, e.msg);
	if (bw_store_forget(s->st, uid, strcmp(s->set.kind, "gateway") == 0, &e))
		log_error(s->log, "request %s: cannot forget its personal fields: %s", uid, e.msg);
	s->forgot = 1;
}

void sync_on_ack(bw_sync *s, const char *payload, int len, const mosquitto_property *props)
{
	bw_ack *acks;
	size_t n;
	bw_err e;
	if (bw_ack_decode(payload, (size_t)len, &acks, &n, &e)) {
		log_warn(s->log, "down/ack: dropped: %s", e.msg);
		return;
	}
	/* the acks of one hub commit: marked done in one local transaction */
	sync_tx_lazy(s);
	ack_deadlines(s, props);
	for (size_t k = 0; k < n; k++) {
		bw_ack *a = &acks[k];
		int changed;
		if (bw_store_outbox_ack(s->st, a->uid, bw_now(), bw_ack_status_name(a->status), a->reason,
					&changed, &e)) {
			log_error(s->log, "outbox %s: cannot mark acked: %s", a->uid, e.msg);
			continue;
		}
		for (size_t i = 0; i < s->npend; i++)
			if (strcmp(s->pend[i].uid, a->uid) == 0) {
				if (s->in_tx)
					s->pend[i].acked = 1;   /* leaves the window at the commit */
				else
					s->pend[i] = s->pend[--s->npend];
				break;
			}
		if (!changed)
			continue;   /* an ack for a row done already (a re-sent duplicate's) */
		if (a->status == BW_ACK_REJECTED)
			log_error(s->log, "outbox %s: the hub rejected it: %s (kept for an operator)", a->uid,
				  a->reason);
		else
			forget(s, a->uid);
		if (s->cb.acked)
			s->cb.acked(s->cb.arg, a);
	}
	free(acks);
}

/* The broker refused a publish (PUBACK reason >= 0x80; 0x10 "no matching subscribers" is
 * not a refusal: the ack wait covers it). */
void sync_on_refused(void *arg, int mid, int reason)
{
	bw_sync *s = arg;
	for (size_t i = 0; i < s->npend; i++) {
		struct pend *p = &s->pend[i];
		if (p->mid != mid)
			continue;
		log_error(s->log, "outbox %s: the broker refused the publish (reason 0x%02x, %s); "
			  "will retry", p->uid, reason, mosquitto_reason_string(reason));
		p->mid = 0;
		p->due_ms = now_ms() + ack_wait(s, p->attempts + 1);
		char why[96];
		snprintf(why, sizeof why, "broker refused: 0x%02x %s", reason, mosquitto_reason_string(reason));
		bw_store_outbox_error(s->st, p->seq, why, NULL);
		return;
	}
}

/* ---- submit ---- */

/* bw_edge_file's step inside its transaction: the request's outbox row. */
static int outbox_add_request(void *arg, const bw_request *r, bw_err *e)
{
	char *json = NULL;
	size_t len;
	int rc = bw_wire_request_encode(r, &json, &len, e);
	if (rc == BW_OK)
		rc = bw_store_outbox_add(((bw_sync *)arg)->st, 0, r->uid, json, len, r->received_at, e);
	free(json);
	return rc;
}

/* What this device files with: its id, site and reference prefix; the actor of the
 * request's first event. */
static bw_edge_device edge_device(bw_sync *s, char actor[BW_ACTOR_MAX + 1])
{
	snprintf(actor, BW_ACTOR_MAX + 1, "device:%s", s->set.device);
	return (bw_edge_device){ s->set.device, s->set.site, (unsigned)s->set.num };
}

int bw_sync_submit(bw_sync *s, bw_request *r, bw_err *e)
{
	char actor[BW_ACTOR_MAX + 1];
	sync_tx_done(s);
	bw_edge_device dev = edge_device(s, actor);
	int rc = bw_edge_file(s->st, &dev, actor, r, outbox_add_request, s, e);
	if (rc == BW_OK)
		sync_pump(s);   /* online: on its way before the citizen has read the reference */
	return rc;
}

int bw_sync_submit_tx(bw_sync *s, bw_request *r, bw_err *e)
{
	char actor[BW_ACTOR_MAX + 1];
	bw_edge_device dev = edge_device(s, actor);
	return bw_edge_file_tx(s->st, &dev, actor, r, outbox_add_request, s, e);
}

void bw_sync_pump(bw_sync *s)
{
	sync_pump(s);
}

/* ---- citizen-made events ---- */

int bw_sync_event(bw_sync *s, const char *ref_in, int to, const char *note, bw_event *out, bw_err *e)
{
	char ref[BW_REF_LEN + 1], actor[BW_ACTOR_MAX + 1], *json = NULL;
	size_t len;
	bw_event *ev = bw_xmalloc(sizeof *ev);
	int rc;
	sync_tx_done(s);
	if ((rc = bw_ref_parse(ref_in, ref, e)))
		goto out;
	if (to != BW_ST_REOPENED && to != BW_ST_CLOSED && to != BW_ST_UNDER_APPEAL) {
		rc = bw_fail(e, BW_EINVAL, "state: a citizen may only reopen, withdraw (closed) or appeal, "
			     "not move to %s", bw_state_name(to));
		goto out;
	}
	snprintf(actor, sizeof actor, "citizen:%s", s->set.device);
	if ((rc = bw_store_begin(s->st, e)))
		goto out;
	if ((rc = bw_store_transition(s->st, ref, to, actor, note, bw_now(), ev, e)) ||
	    (rc = bw_wire_event_encode(ev, ref, &json, &len, e)) ||
	    (rc = bw_store_outbox_add(s->st, 1, ev->uid, json, len, ev->at, e)) ||
	    (rc = bw_store_commit(s->st, e))) {
		bw_store_rollback(s->st);
		goto out;
	}
	if (out)
		*out = *ev;
	sync_pump(s);
out:
	free(json);
	free(ev);
	return rc;
}

