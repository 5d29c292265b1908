/* converse_notify.c: what the gateway sends unasked: the SMS that tells a citizen their
 * request moved, the polite end of a conversation that timed out, and the quiet hours
 * (decided in legal time, at send time) that hold both until the morning. */
#include "converse_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bw_clock.h"
#include "bw_calendar.h"

/* ---- quiet hours ---- */

static int hhmm(const char *s)
{
	int h, m;
	if (sscanf(s, "%d:%d", &h, &m) != 2 || h < 0 || h > 23 || m < 0 || m > 59)
		return -1;
	return h * 60 + m;
}

int64_t sms_conv_not_before(const sms_conv_settings *s, int64_t now)
{
	int qs = hhmm(s->quiet_start), qe = hhmm(s->quiet_end);
	if (qs < 0 || qe < 0 || qs == qe)
		return now;
	bw_legal_time lt;
	bw_legal_at(now, &lt);
	int m = lt.hour * 60 + lt.minute;
	int quiet = qs > qe ? (m >= qs || m < qe) : (m >= qs && m < qe);
	if (!quiet)
		return now;
	/* the end of the quiet hours, in legal time: today's or tomorrow's qe; a switch of
	 * offset (at 02:00/03:00, inside the night) is corrected by reading the result back */
	bw_day end_day = m < qe ? lt.day : lt.day + 1;
	int64_t end = bw_legal_day_start(end_day) + (int64_t)qe * 60;
	bw_legal_at(end, &lt);
	end -= (int64_t)((lt.hour * 60 + lt.minute) - qe) * 60;
	return end > now ? end : now;
}

int sms_conv_hold_quiet(sms_conv *c, int64_t now, int *held, bw_err *e)
{
	int64_t until = sms_conv_not_before(c->set, now);
	if (held)
		*held = 0;
	if (until <= now)
		return BW_OK;
	return sms_db_outbox_hold_notify(c->db, until, held, e);
}

/* ---- notifications and time-outs ---- */

int sms_conv_notify(sms_conv *c, const bw_event *ev, const char *ref, const bw_request *r,
                    int64_t now, bw_err *e)
{
	char text[SMS_OUT_SIZE], refl[20], date[11], lang[4];
	/* the first event is the filing (answered already); an event without a change of
	 * state (a deadline moved by the holiday table, a comment) is not worth an SMS:
	 * holidays are announced in the evening, and every open request would get one.
	 * The new deadline is in the request all the same, for a status query. */
	if (r->channel != BW_CHANNEL_SMS || !r->phone[0] || ev->old_state < 0 ||
	    ev->old_state == ev->new_state)
		return BW_OK;
	int optout = sms_db_optout_is_set(c->db, r->phone);
	if (optout < 0)
		return bw_fail(e, BW_EDB, "opt-out: database error");
	if (optout)
		return BW_OK;
	bw_strlcpy(lang, strcmp(r->lang, "fr") == 0 ? "fr" : "ar", sizeof lang);
	conv_ref_label(ref && ref[0] ? ref : r->ref, refl);
	conv_date_label(r->deadline, date);
	if (ev->new_state == BW_ST_ANSWERED)
		FILL(text, lang, "sms.notify.answered", "ref", refl);
	else
		FILL(text, lang, "sms.notify", "ref", refl, "state", conv_state_label(lang, ev->new_state),
		     "date", date);
	/* one INSERT: in the caller's transaction when one is open (bw_sync's, which must
	 * see the error to roll back), atomic on its own otherwise; no BEGIN here, which
	 * would fail inside the caller's (one connection, shared through sms_db_store) */
	int rc = sms_db_outbox_add(c->db, r->phone, text, lang, 0, ev->uid,
				   sms_conv_not_before(c->set, now), now, e);
	return rc == BW_EEXIST ? BW_OK : rc;    /* told before: queued once already */
}

int sms_conv_expire(sms_conv *c, int64_t now, int max, int *n, bw_err *e)
{
	sms_conversation *cv = bw_xmalloc(sizeof *cv);
	char text[SMS_OUT_SIZE];
	int rc = BW_OK, done = 0;
	while (done < max && (rc = sms_db_conv_expired(c->db, now, cv, e)) == BW_OK) {
		if ((rc = bw_store_begin(c->st, e)))
			break;
		rc = sms_db_conv_del(c->db, cv->phone, e);
		if (rc == BW_OK && sms_db_optout_is_set(c->db, cv->phone) == 0) {
			FILL(text, cv->lang, "sms.expired");
			rc = sms_db_outbox_add(c->db, cv->phone, text, cv->lang, 0, NULL,
					       sms_conv_not_before(c->set, now), now, e);
		}
		if (rc == BW_OK)
			rc = bw_store_commit(c->st, e);
		if (rc) {
			bw_store_rollback(c->st);
			break;
		}
		done++;
	}
	free(cv);
	if (n)
		*n = done;
	return rc == BW_ENOTFOUND ? BW_OK : rc;
}
