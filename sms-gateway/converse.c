/* converse.c: what each citizen SMS does, from the grammar's reading and the number's
 * state (conversation, opt-out, abuse counters) to a filed request and a queued reply.
 * Order of the rules: a sender we cannot answer, STOP (always wins), opt-out, abuse
 * (muted, rate, loops, oversize/binary), then the intent within the conversation. */
#include "bw_clock.h"
#include "converse_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bw_calendar.h"
#include "bw_edge.h"
#include "bw_i18n.h"
#include "bw_phone.h"
#include "bw_ref.h"
#include "bw_text.h"
#include "grammar.h"
#include "modem.h"

void sms_conv_settings_default(sms_conv_settings *s)
{
	memset(s, 0, sizeof *s);
	s->timeout = 1800;
	s->partial_wait = 600;
	strcpy(s->darija_lang, "fr");
	strcpy(s->menu_admins, "INTERIEUR,SANTE,TRANSPORT,JUSTICE,DGSN,MEF,ADII,MAECE,MEDIATEUR");
	strcpy(s->info_url, "chikaya.ma");
	strcpy(s->info_phone, "0537000000");
	strcpy(s->quiet_start, "21:00");
	strcpy(s->quiet_end, "08:00");
	s->rate_max = 10;
	s->rate_window = 3600;
	s->junk_max = 5;
	s->junk_window = 600;
	s->repeat_max = 3;
	s->mute_for = 3600;
	s->help_period = 86400;
	s->oversize = 1000;
}

/* ---- filing ---- */

int sms_submit_local(void *arg, bw_request *r, bw_err *e)
{
	sms_local_filer *f = arg;
	const bw_edge_device dev = { f->device, f->site, f->num };
	if (f->in_tx)    /* the caller's transaction (a batch); it undoes a refused filing */
		return bw_edge_file_tx(f->st, &dev, "citizen", r, NULL, NULL, e);
	return bw_edge_file(f->st, &dev, "citizen", r, NULL, NULL, e);
}

/* ---- one message ---- */

/* What handling a message decided, written in one transaction at the end. */
typedef struct decision {
	char reply[SMS_OUT_SIZE];
	char lang[4];
	const char *outcome;
	int conv_put, conv_del;
	int optout;                  /* -1 unchanged, 0 opt back in, 1 opt out */
	int counters;                /* 1: write the sender counters */
	int undo;                    /* 1: the store refused the filing: undo its writes */
} decision;

/* NULL if we answer this sender; else why not (alphanumeric, short code, not a Moroccan
 * mobile: a request needs a number the citizen can be told on). */
static const char *sender_class(const char *sender, char phone[14])
{
	int digits = 0;
	for (const char *p = sender; *p; p++) {
		if (isalpha((unsigned char)*p) || (unsigned char)*p >= 0x80)
			return "ignored:alnum";
		digits += isdigit((unsigned char)*p) != 0;
	}
	if (digits < 8)
		return "ignored:shortcode";
	if (bw_phone_normalize(sender, phone, NULL) != BW_OK || !bw_phone_is_mobile(phone))
		return "ignored:sender";
	return NULL;
}

static void reply_lang(const sms_conv *c, const sms_parsed *p, char out[4])
{
	if (strcmp(p->lang, "ar") == 0)
		strcpy(out, "ar");
	else if (p->darija)
		bw_strlcpy(out, c->set->darija_lang, 4);
	else
		strcpy(out, "fr");
}

/* The note of the latest event into the request's current state (the answer, the reason). */
typedef struct note_find {
	int state;
	char note[BW_CHARS(BW_NOTE_MAX)];
} note_find;

static int find_note(const bw_event *ev, void *arg)
{
	note_find *f = arg;
	if (ev->new_state == f->state)
		bw_strlcpy(f->note, ev->note, sizeof f->note);
	return 0;
}

static int fits(const char *text)
{
	sms_encoding enc;
	return sms_encode(text, &enc, NULL) == BW_OK && enc.parts <= 2;
}

/* The status reply: only to the number that filed the request. */
static int status_reply(sms_conv *c, const sms_parsed *p, const char *phone, decision *d,
                        bw_err *e)
{
	char refl[20], date[11];
	bw_request *r;
	int rc;
	d->outcome = "status";
	if (p->ref_bad_check) {
		FILL(d->reply, d->lang, "sms.status.badcheck");
		return BW_OK;
	}
	if (!p->ref[0]) {
		FILL(d->reply, d->lang, "sms.status.noref");
		return BW_OK;
	}
	r = bw_xmalloc(sizeof *r);
	rc = bw_store_get(c->st, p->ref, r, e);
	if (rc == BW_ENOTFOUND || (rc == BW_OK && strcmp(r->phone, phone) != 0)) {
		/* the same words whether the number exists or belongs to someone else */
		FILL(d->reply, d->lang, "sms.status.unknown");
		free(r);
		return BW_OK;
	}
	if (rc) {
		free(r);
		return rc;
	}
	conv_ref_label(r->ref, refl);
	conv_date_label(r->deadline, date);
	if (r->state == BW_ST_ANSWERED || r->state == BW_ST_REJECTED) {
		note_find *f = bw_xcalloc(1, sizeof *f);
		f->state = r->state;
		if ((rc = bw_store_events(c->st, r->uid, find_note, f, e)) < 0) {
			free(f);
			free(r);
			return rc;
		}
		FILL(d->reply, d->lang, r->state == BW_ST_ANSWERED ? "sms.status.answered" : "sms.status.rejected",
		     "ref", refl, "answer", f->note);
		if (!f->note[0] || !fits(d->reply))
			FILL(d->reply, d->lang, "sms.status.long", "ref", refl, "url", c->set->info_url,
			     "phone", c->set->info_phone);
		free(f);
	} else {
		FILL(d->reply, d->lang, "sms.status", "ref", refl, "state", conv_state_label(d->lang, r->state),
		     "date", date);
	}
	free(r);
	return BW_OK;
}

/* A national ID (CNIE) or residence permit number as typed: spaces and dashes dropped,
 * letters upper-cased; 1-3 letters then digits (the store checks the same). */
static int idnum_read(const char *in, char out[BW_IDNUM_MAX + 1])
{
	size_t o = 0, letters = 0, digits = 0;
	for (const char *p = in; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch == ' ' || ch == '-' || ch == '.' || ch == '\t' || ch == '\n')
			continue;
		if (o >= BW_IDNUM_MAX)
			return 0;
		if (isalpha(ch) && digits == 0)
			letters++;
		else if (isdigit(ch))
			digits++;
		else
			return 0;
		out[o++] = (char)toupper(ch);
	}
	out[o] = '\0';
	return letters >= 1 && letters <= 3 && digits >= 3;
}

/* Copies at most max characters of src (UTF-8, trimmed) into dst[size]. */
static void take_text(char *dst, size_t size, const char *src, size_t max)
{
	size_t n = 0;
	const char *p = src;
	while (*p == ' ' || *p == '\n' || *p == '\t')
		p++;
	const char *start = p;
	while (*p && n < max) {
		bw_utf8_next(&p);
		n++;
	}
	size_t len = (size_t)(p - start);
	if (len >= size)
		len = size - 1;
	memcpy(dst, start, len);
	dst[len] = '\0';
	bw_trim(dst);
}

/* Files the conversation's request (uid from the message, so a retry is the same
 * request) and writes the filing reply; BW_OK with d->reply set, or a store error. */
static int file_request(sms_conv *c, const sms_conversation *cv, const sms_in *m,
                        const char *phone, decision *d, bw_err *e)
{
	bw_request *r = bw_xmalloc(sizeof *r);
	bw_err fe;
	bw_request_init(r);
	bw_strlcpy(r->uid, m->req_uid, sizeof r->uid);
	r->kind = (enum bw_kind)cv->kind;
	r->channel = BW_CHANNEL_SMS;
	bw_strlcpy(r->admin, cv->admin, sizeof r->admin);
	bw_strlcpy(r->lang, cv->lang, sizeof r->lang);
	bw_strlcpy(r->text, cv->text, sizeof r->text);
	bw_strlcpy(r->phone, phone, sizeof r->phone);
	r->consent = 1;    /* writing to the gateway is consent to be answered on this number */
	if (r->kind == BW_KIND_INFO) {
		bw_strlcpy(r->name, cv->name, sizeof r->name);
		bw_strlcpy(r->id_number, cv->id_number, sizeof r->id_number);
		r->form = BW_FORM_SMS;
	}
	r->received_at = m->received_at;
	int rc = c->submit(c->submit_arg, r, &fe);
	d->conv_del = 1;
	d->conv_put = 0;
	if (rc == BW_OK || rc == BW_EEXIST) {
		char refl[20], date[11];
		d->undo = rc == BW_EEXIST;   /* filed before: this call's reference is not used */
		conv_ref_label(r->ref, refl);
		conv_date_label(r->deadline, date);
		FILL(d->reply, d->lang, "sms.filed", "kind", conv_kind_label(d->lang, r->kind), "ref", refl,
		     "date", date);
		d->outcome = "filed";
		if (c->log)
			log_info(c->log, "filed %s (%s) from inbox row %lld", r->ref,
				 bw_kind_name(r->kind), (long long)m->id);
		rc = BW_OK;
	} else if (rc == BW_EINVAL || rc == BW_ETOOBIG) {
		d->undo = 1;
		FILL(d->reply, d->lang, "sms.error");
		d->outcome = "error";
		if (c->log)
			log_warn(c->log, "inbox row %lld not filed: %s", (long long)m->id, fe.msg);
		rc = BW_OK;
	} else {
		rc = bw_fail(e, rc, "%s", fe.msg);
	}
	free(r);
	return rc;
}

/* Asks for what is missing next, or files when nothing is. */
static int advance(sms_conv *c, sms_conversation *cv, const sms_in *m, const char *phone,
                   int64_t now, decision *d, bw_err *e)
{
	const char *step = NULL;
	char list[512];
	bw_strlcpy(cv->lang, d->lang, sizeof cv->lang);
	if (cv->kind < 0) {
		step = "kind";
		FILL(d->reply, d->lang, "sms.menu.kind");
	} else if (!cv->admin[0]) {
		step = "admin";
		sms_conv_menu(c, d->lang, list, sizeof list);
		FILL(d->reply, d->lang, "sms.menu.admin", "list", list);
	} else if (!cv->text[0]) {
		step = "text";
		FILL(d->reply, d->lang, "sms.ask.text", "kind", conv_kind_label(d->lang, cv->kind));
	} else if (cv->kind == BW_KIND_INFO && !cv->name[0]) {
		step = "name";
		FILL(d->reply, d->lang, "sms.ask.name");
	} else if (cv->kind == BW_KIND_INFO && !cv->id_number[0]) {
		step = "idnum";
		FILL(d->reply, d->lang, "sms.ask.idnum");
	}
	if (!step)
		return file_request(c, cv, m, phone, d, e);
	bw_strlcpy(cv->step, step, sizeof cv->step);
	cv->updated_at = now;
	cv->expires_at = now + c->set->timeout;
	d->conv_put = 1;
	d->conv_del = 0;
	d->outcome = "menu";
	return BW_OK;
}

/* A message that answers the question the conversation asked. Returns 1 if it was
 * consumed (then advance), 0 if the question must be asked again. */
static int answer_step(sms_conv *c, sms_conversation *cv, const sms_parsed *p,
                       const sms_in *m, decision *d)
{
	int digit = p->intent == SMS_MENU_ANSWER ? p->menu_choice : 0;
	char folded[128];
	if (strcmp(cv->step, "kind") == 0) {
		if (digit >= 1 && digit <= BW_KIND_COUNT) {
			cv->kind = digit - 1;   /* the menu lists the kinds in enum order */
			return 1;
		}
		return 0;
	}
	if (strcmp(cv->step, "admin") == 0) {
		if (digit >= 1 && digit <= c->nmenu) {
			bw_strlcpy(cv->admin, c->menu[digit - 1], sizeof cv->admin);
			return 1;
		}
		sms_normalize(m->text, folded, sizeof folded);
		const char *code = conv_admin_match(c, folded);
		if (code) {
			bw_strlcpy(cv->admin, code, sizeof cv->admin);
			return 1;
		}
		return 0;
	}
	if (strcmp(cv->step, "text") == 0) {
		take_text(cv->text, sizeof cv->text, p->body[0] ? p->body : m->text, BW_TEXT_MAX);
		return cv->text[0] != '\0';
	}
	if (strcmp(cv->step, "name") == 0) {
		take_text(cv->name, sizeof cv->name, m->text, BW_NAME_MAX);
		return cv->name[0] != '\0';
	}
	if (strcmp(cv->step, "idnum") == 0) {
		if (idnum_read(m->text, cv->id_number))
			return 1;
		cv->id_number[0] = '\0';
		FILL(d->reply, d->lang, "sms.idnum.bad");
		return 0;
	}
	return 0;
}

/* Counts the message against the number's limits; returns the outcome that stops it
 * ("muted", "rate", "loop") or NULL. */
static const char *abuse(sms_conv *c, sms_sender *s, const sms_in *m, int junk, int64_t now)
{
	const sms_conv_settings *set = c->set;
	char hash[17];
	if (now - s->win_start >= set->rate_window) {
		s->win_start = now;
		s->win_count = 0;
	}
	s->win_count++;
	if (now - s->junk_start >= set->junk_window) {
		s->junk_start = now;
		s->junk_count = 0;
		s->repeats = 0;
	}
	sms_text_hash(m->text, hash);
	s->repeats = strcmp(hash, s->last_hash) == 0 ? s->repeats + 1 : 1;
	bw_strlcpy(s->last_hash, hash, sizeof s->last_hash);
	s->junk_count += junk;
	if (s->muted_until > now)
		return "muted";
	if (s->repeats > set->repeat_max || s->junk_count > set->junk_max) {
		/* another automatic responder, most likely: answering would feed the loop */
		s->muted_until = now + set->mute_for;
		s->repeats = 0;
		s->junk_count = 0;
		if (c->log)
			log_warn(c->log, "inbox row %lld: sender muted for %d s (loop suspected)",
				 (long long)m->id, set->mute_for);
		return "loop";
	}
	if (s->win_count > set->rate_max)
		return "rate";
	return NULL;
}

/* The rules before the intent: reads the conversation and the message, then STOP,
 * opt-out, abuse, oversize/binary and an expired conversation. Returns 1 when one of them
 * decided (d filled), 0 to go on to the intent (*have: a live conversation is in cv), or
 * a negative BW_E*. */
static int decide_gate(sms_conv *c, const sms_in *m, const char *phone, sms_parsed *p,
                       sms_sender *snd, sms_conversation *cv, int64_t now, int *havep,
                       decision *d, bw_err *e)
{
	int rc, have, optout;
	const char *why;
	*havep = 0;
	have = sms_db_conv_get(c->db, phone, cv, e);
	if (have != BW_OK && have != BW_ENOTFOUND)
		return have;
	have = have == BW_OK;
	int expired = have && cv->expires_at <= now;
	int binary = strcmp(m->coding, "8bit") == 0;
	if (binary) {
		memset(p, 0, sizeof *p);
		strcpy(p->lang, "fr");
	} else {
		sms_parse(m->text, p);
	}
	reply_lang(c, p, d->lang);
	/* in a conversation, a bare digit or a name says nothing of the language */
	if (have && !expired && strcmp(p->lang, "ar") != 0 && !p->darija)
		bw_strlcpy(d->lang, cv->lang, sizeof d->lang);

	if ((optout = sms_db_optout_is_set(c->db, phone)) < 0)
		return bw_fail(e, BW_EDB, "opt-out: database error");
	if (p->intent == SMS_STOP) {
		/* always wins, even in the middle of a conversation; confirmed once */
		d->outcome = "stop";
		d->conv_del = have;
		if (!optout) {
			d->optout = 1;
			FILL(d->reply, d->lang, "sms.stop");
		}
		return 1;
	}
	if (optout) {
		if (p->intent == SMS_START) {
			d->optout = 0;
			d->outcome = "start";
			FILL(d->reply, d->lang, "sms.start");
		} else {
			d->outcome = "optout";
		}
		return 1;
	}
	if ((rc = sms_db_sender_get(c->db, phone, snd, e)))
		return rc;
	d->counters = 1;
	int junk = p->intent == SMS_UNKNOWN && !(have && !expired);
	if ((why = abuse(c, snd, m, junk, now))) {
		d->outcome = why;
		return 1;
	}
	if (binary || bw_utf8_len(m->text) > (size_t)c->set->oversize) {
		d->outcome = binary ? "binary" : "oversize";
		if (now - snd->help_at >= c->set->help_period) {
			snd->help_at = now;
			FILL(d->reply, d->lang, "sms.help");
		}
		return 1;
	}
	if (have && expired) {
		d->conv_del = 1;
		have = 0;
		if (p->intent == SMS_MENU_ANSWER) {
			d->outcome = "expired";
			FILL(d->reply, d->lang, "sms.expired");
			return 1;
		}
	}
	*havep = have;
	return 0;
}

/* The intent within the conversation (have: a live one is in cv): help, start, status, a
 * new filing, the answer to the question asked, or the kind menu. */
static int decide_intent(sms_conv *c, const sms_in *m, const char *phone, const sms_parsed *p,
                         sms_conversation *cv, int have, int64_t now, decision *d, bw_err *e)
{
	switch (p->intent) {
	case SMS_HELP:
		d->outcome = "help";
		FILL(d->reply, d->lang, "sms.help");
		return BW_OK;
	case SMS_START:
		d->outcome = "start";
		FILL(d->reply, d->lang, "sms.start");
		return BW_OK;
	case SMS_STATUS:
		return status_reply(c, p, phone, d, e);
	case SMS_FILE: {
		/* a new request: whatever was in progress is replaced */
		memset(cv, 0, sizeof *cv);
		bw_strlcpy(cv->phone, phone, sizeof cv->phone);
		cv->kind = p->kind;
		const char *code = conv_admin_match(c, p->admin_hint);
		if (code)
			bw_strlcpy(cv->admin, code, sizeof cv->admin);
		take_text(cv->text, sizeof cv->text, code ? p->body : p->rest, BW_TEXT_MAX);
		return advance(c, cv, m, phone, now, d, e);
	}
	default:
		break;
	}
	if (have) {
		if (strcmp(cv->step, "kind") == 0 && p->menu_choice == BW_KIND_COUNT + 1 &&
		    p->intent == SMS_MENU_ANSWER) {
			/* "5 follow a request": tell how */
			d->conv_del = 1;
			d->outcome = "status";
			FILL(d->reply, d->lang, "sms.status.noref");
			return BW_OK;
		}
		if (!answer_step(c, cv, p, m, d) && d->reply[0]) {
			/* the step wrote its own correction (a bad ID number) */
			cv->updated_at = now;
			cv->expires_at = now + c->set->timeout;
			d->conv_put = 1;
			d->outcome = "menu";
			return BW_OK;
		}
		return advance(c, cv, m, phone, now, d, e);
	}
	if (p->intent == SMS_MENU_ANSWER) {
		d->outcome = "help";
		FILL(d->reply, d->lang, "sms.help");
		return BW_OK;
	}
	/* no keyword: the kind menu; a message that reads like a request is kept as its text */
	memset(cv, 0, sizeof *cv);
	bw_strlcpy(cv->phone, phone, sizeof cv->phone);
	cv->kind = -1;
	if (bw_utf8_len(p->body) >= 15 && strchr(p->body, ' '))
		take_text(cv->text, sizeof cv->text, p->body, BW_TEXT_MAX);
	return advance(c, cv, m, phone, now, d, e);
}

static int decide(sms_conv *c, const sms_in *m, const char *phone, sms_parsed *p,
                  sms_sender *snd, sms_conversation *cv, int64_t now, decision *d, bw_err *e)
{
	int have, rc = decide_gate(c, m, phone, p, snd, cv, now, &have, d, e);
	if (rc)
		return rc < 0 ? rc : BW_OK;
	return decide_intent(c, m, phone, p, cv, have, now, d, e);
}

/* Writes what was decided for message m: counters, opt-out (STOP also cancels what was
 * queued for the number and not sent yet: a notification held for the night would go
 * out with the confirmation), the conversation, the reply, m done. Inside the caller's
 * transaction: no BEGIN or COMMIT here. */
static int write_decision(sms_conv *c, const sms_in *m, const char *phone, const decision *d,
                          const sms_sender *snd, const sms_conversation *cv, int64_t now,
                          bw_err *e)
{
	int rc = BW_OK;
	if (d->counters)
		rc = sms_db_sender_put(c->db, snd, e);
	if (rc == BW_OK && d->optout >= 0)
		rc = sms_db_optout_set(c->db, phone, d->optout, now, e);
	if (rc == BW_OK && d->optout == 1)
		rc = sms_db_outbox_drop_notify(c->db, phone, e);
	if (rc == BW_OK && d->conv_put)
		rc = sms_db_conv_put(c->db, cv, e);
	else if (rc == BW_OK && d->conv_del)
		rc = sms_db_conv_del(c->db, phone, e);
	if (rc == BW_OK && d->reply[0]) {
		rc = sms_db_outbox_add(c->db, phone, d->reply, d->lang, m->id, NULL, 0, now, e);
		if (rc == BW_EEXIST)
			rc = BW_OK;
	}
	if (rc == BW_OK)
		rc = sms_db_inbox_done(c->db, m->id, d->outcome, e);
	return rc;
}

/* Alone, the decision is written in a transaction of its own. In a batch (c->grouped:
 * the caller holds the transaction) the message's writes, the filing included, are
 * marked: a failure undoes this message alone, and a filing the store refused leaves
 * no trace (no reference number used), as its own rolled-back transaction would. */
int sms_conv_handle(sms_conv *c, const sms_in *m, int64_t now, const char **outcome,
                    bw_err *e)
{
	char phone[14];
	int rc;
	decision *d = bw_xcalloc(1, sizeof *d);
	sms_parsed *p = bw_xmalloc(sizeof *p);
	sms_sender snd;
	sms_conversation *cv = bw_xcalloc(1, sizeof *cv);
	d->optout = -1;
	strcpy(d->lang, "fr");
	if (c->grouped && (rc = sms_db_mark(c->db, e)))
		goto out;
	const char *why = sender_class(m->sender, phone);
	if (why) {
		d->outcome = why;   /* stored, never answered */
		rc = BW_OK;
	} else {
		rc = decide(c, m, phone, p, &snd, cv, now, d, e);
	}
	if (c->grouped) {
		if (rc == BW_OK && d->undo)
			sms_db_undo(c->db);
		if (rc == BW_OK)
			rc = write_decision(c, m, phone, d, &snd, cv, now, e);
		if (rc)
			sms_db_undo(c->db);
		if (rc == BW_OK)
			rc = sms_db_keep(c->db, e);
		else
			sms_db_keep(c->db, NULL);
	} else if (rc == BW_OK && (rc = bw_store_begin(c->st, e)) == BW_OK) {
		rc = write_decision(c, m, phone, d, &snd, cv, now, e);
		if (rc == BW_OK)
			rc = bw_store_commit(c->st, e);
		if (rc)
			bw_store_rollback(c->st);
	}
out:
	if (outcome)
		*outcome = rc == BW_OK ? d->outcome : NULL;
	free(cv);
	free(p);
	free(d);
	return rc;
}
