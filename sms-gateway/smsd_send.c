/* smsd_send.c: bawaba-smsd's one send queue shared by every modem: due SMS (after the
 * quiet hours and a STOP are checked) to a SIM with room in its rate, round robin; a
 * multipart SMS that failed part-way resumes on the SIM that sent its first parts; each
 * attempt recorded, retried with back-off, given up after send_retries. */
#include "smsd_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A modem that may send a message of `parts` parts now, round robin; NULL if none. */
static sms_modem *pick_modem(gw *g, int parts)
{
	for (int k = 0; k < g->set->nmodems; k++) {
		int i = (g->next_modem + k) % g->set->nmodems;
		sms_modem *m = g->modems[i];
		if (g->set->modems[i].rate_per_minute > 0 && sms_modem_is_up(m) &&
		    sms_modem_can_send(m, parts)) {
			g->next_modem = (i + 1) % g->set->nmodems;
			return m;
		}
	}
	return NULL;
}

/* The modem named name if it may send `parts` parts now; NULL if not (*known says
 * whether such a modem is configured and up at all). */
static sms_modem *named_modem(gw *g, const char *name, int parts, int *known)
{
	*known = 0;
	for (int i = 0; i < g->set->nmodems; i++) {
		sms_modem *m = g->modems[i];
		if (strcmp(g->set->modems[i].name, name) != 0)
			continue;
		if (g->set->modems[i].rate_per_minute <= 0 || !sms_modem_is_up(m))
			return NULL;
		*known = 1;
		return sms_modem_can_send(m, parts) ? m : NULL;
	}
	return NULL;
}

/* What earlier attempts at a row sent: the parts (bits, 0 = part 1) that are the parts
 * of this encoding, and the modem that sent them. */
typedef struct resume {
	const sms_encoding *enc;
	unsigned done;
	int differs;                       /* a recorded part is not this encoding's */
	char modem[BW_CODE_MAX + 1];
} resume;

static int resume_part(void *arg, int part, int parts, const char *modem, const char *text)
{
	resume *r = arg;
	if (parts != r->enc->parts || part < 1 || part > parts ||
	    strcmp(text, r->enc->part_text[part - 1]) != 0) {
		r->differs = 1;
		return 1;
	}
	r->done |= 1u << (part - 1);
	bw_strlcpy(r->modem, modem, sizeof r->modem);
	return 0;
}

/* Records an attempt: the parts in `sent` (bit 0 = part 1), then the row sent or retried. */
static void record_sent(gw *g, const sms_out *o, const char *modem, const sms_encoding *enc,
                        unsigned sent, int ok, const char *error)
{
	bw_err e;
	int64_t now = now_s();
	const char *coding = enc->ucs2 ? "ucs2" : "gsm";
	int rc = bw_store_begin(g->st, &e);
	for (int i = 0; rc == BW_OK && i < enc->parts; i++)
		if (sent & (1u << i))
			rc = sms_db_part_add(g->db, o->id, i + 1, enc->parts, o->dest, modem, coding,
					     enc->part_text[i], now, &e);
	if (rc == BW_OK && ok) {
		rc = sms_db_outbox_sent(g->db, o->id, modem, enc->parts, coding, now, &e);
	} else if (rc == BW_OK) {
		int attempts = o->attempts + 1;
		int64_t delay = (int64_t)g->set->retry_base << (attempts - 1 < 7 ? attempts - 1 : 7);
		if (delay > 3600)
			delay = 3600;
		rc = sms_db_outbox_retry(g->db, o->id, modem, attempts,
					 attempts >= g->set->send_retries ? -1 : now + delay, error, &e);
	}
	if (rc == BW_OK)
		rc = bw_store_commit(g->st, &e);
	if (rc) {
		bw_store_rollback(g->st);
		log_error(&g->log, "send queue: %s", e.msg);
	}
}

/* A due notification whose number sent STOP since it was queued (the night, a retry):
 * STOP drops the queued ones, this catches any queued another way. 1 when the row is not
 * to be sent (dropped, or the opt-out could not be read), 0 to send it. */
static int stopped(gw *g, const sms_out *o)
{
	bw_err e;
	if (strcmp(o->purpose, "notify") != 0)
		return 0;
	int out = sms_db_optout_is_set(g->db, o->dest);
	if (out < 0) {
		log_error(&g->log, "send queue row %lld: opt-out: database error", (long long)o->id);
		return 1;
	}
	if (!out)
		return 0;
	if (sms_db_outbox_drop(g->db, o->id, "STOP", &e))
		log_error(&g->log, "send queue row %lld: %s", (long long)o->id, e.msg);
	else
		log_info(&g->log, "send queue row %lld: dropped (the number sent STOP)", (long long)o->id);
	return 1;
}

/* Sends row o (its parts not yet out) and records the attempt: 0 when it was tried, -1
 * when it was skipped (given up, every part out already, its SIM at its rate, a database
 * error), 1 when every SIM is at its rate (the turn stops: the loop waits for tokens). */
static int send_row(gw *g, sms_out *o, sms_encoding *enc)
{
	bw_err e;
	if (sms_encode(o->text, enc, &e)) {
		sms_encoding none = { 0 };
		log_error(&g->log, "send queue row %lld: %s (given up)", (long long)o->id, e.msg);
		o->attempts = g->set->send_retries;
		record_sent(g, o, "", &none, 0, 0, e.msg);
		return -1;
	}
	/* the same reference on every attempt, so parts sent later join the first ones */
	enc->ref = (unsigned)(o->id & 0xff);
	/* a multipart SMS that failed part-way: only the missing parts go, from the SIM
	 * that sent the others (the phone joins parts from one sender). libGammu splits a
	 * text the same way every time; should the recorded parts not be this text's,
	 * every part goes again. */
	resume r = { .enc = enc };
	if (sms_db_parts_each(g->db, o->id, resume_part, &r, &e)) {
		log_error(&g->log, "send queue row %lld: %s", (long long)o->id, e.msg);
		return -1;
	}
	unsigned all = (1u << enc->parts) - 1;
	if (r.differs) {
		log_warn(&g->log, "send queue row %lld: the parts sent before are not this text's "
			 "parts: sending every part", (long long)o->id);
		r.done = 0;
	}
	if (r.done == all) {    /* every part is out already: only the row is behind */
		record_sent(g, o, r.modem, enc, 0, 1, NULL);
		return -1;
	}
	int todo = enc->parts - __builtin_popcount(r.done);
	sms_modem *m = NULL;
	if (r.done) {
		int known;
		m = named_modem(g, r.modem, todo, &known);
		if (!m && known)
			return -1;    /* that SIM is at its rate: this row waits for its tokens */
		if (!m) {
			log_warn(&g->log, "send queue row %lld: %s, which sent part of it, is not up: "
				 "sending every part", (long long)o->id, r.modem);
			r.done = 0;
			todo = enc->parts;
		}
	}
	if (!m && !(m = pick_modem(g, todo)))
		return 1;     /* every SIM at its rate: the loop waits for tokens */
	crash_point(g, "before-send");
	unsigned sent = 0;
	int rc = sms_modem_send(m, o->dest, enc, r.done, &sent, &e);
	g->parts_sent += __builtin_popcount(sent);
	if (rc) {
		g->send_failed++;
		log_warn(&g->log, "send queue row %lld: %s", (long long)o->id, e.msg);
	} else if (r.done) {
		log_info(&g->log, "send queue row %lld: the missing part(s) of %d sent",
			 (long long)o->id, enc->parts);
	}
	record_sent(g, o, sms_modem_name(m), enc, sent, rc == BW_OK, rc ? e.msg : NULL);
	return 0;
}

/* The send queue: due SMS to modems with room in their rate. */
void smsd_turn_send(gw *g)
{
	sms_out *o = bw_xmalloc(sizeof *o);
	sms_encoding *enc = bw_xmalloc(sizeof *enc);
	int64_t after = 0;
	int held;
	bw_err he;
	/* quiet hours are decided now, when the SMS would leave, not when it was queued */
	if (sms_conv_hold_quiet(&g->conv, now_s(), &held, &he))
		log_error(&g->log, "send queue: %s", he.msg);
	else if (held)
		log_info(&g->log, "%d notification(s) held until the end of the quiet hours", held);
	for (int k = 0; k < g->set->batch; k++) {
		bw_err e;
		if (sms_db_outbox_due(g->db, now_s(), after, o, &e) != BW_OK)
			break;
		after = o->id;
		if (stopped(g, o))
			continue;
		int rc = send_row(g, o, enc);
		if (rc > 0)
			break;
		if (rc < 0)
			continue;
		if (k + 1 == g->set->batch)
			g->busy = 1;
	}
	free(enc);
	free(o);
}
