/* converse.c: what each citizen SMS does, from the grammar's reading and the number's
 * state (conversation, opt-out, abuse counters) to a filed request and a queued reply.
 * Order of the rules: a sender we cannot answer, STOP (always wins), opt-out, abuse
 * (muted, rate, loops, oversize/binary), then the intent within the conversation. */
#include "bw_clock.h"
#include "converse.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bw_calendar.h"
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

/* ---- templates ---- */

void sms_fill(char *out, size_t size, const char *tmpl, int n, const char *const *names,
              const char *const *values)
{
	size_t o = 0;
	if (!size)
		return;
	for (const char *p = tmpl; *p && o + 1 < size;) {
		const char *v = NULL;
		size_t skip = 1;
		if (*p == '{') {
			const char *end = strchr(p, '}');
			for (int i = 0; end && i < n; i++) {
				size_t len = strlen(names[i]);
				if ((size_t)(end - p - 1) == len && strncmp(p + 1, names[i], len) == 0) {
					v = values[i];
					skip = len + 2;
				}
			}
		}
		if (!v) {
			out[o++] = *p++;
			continue;
		}
		for (; *v && o + 1 < size; v++)
			out[o++] = *v;
		p += skip;
	}
	/* cut short: never end inside a UTF-8 sequence */
	if (o + 1 >= size) {
		size_t s = o;
		while (s > 0 && ((unsigned char)out[s - 1] & 0xC0) == 0x80)
			s--;
		if (s > 0) {
			unsigned char lead = (unsigned char)out[s - 1];
			size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
			if (o - (s - 1) < need)
				o = s - 1;
		}
	}
	out[o] = '\0';
}

static const char *tr(const char *lang, const char *key)
{
	return bw_tr_lang(lang, key);
}

static const char *kind_label(const char *lang, int kind)
{
	static const char *const keys[BW_KIND_COUNT] = {
		"sms.kind.complaint", "sms.kind.observation", "sms.kind.suggestion", "sms.kind.info",
	};
	return tr(lang, (unsigned)kind < BW_KIND_COUNT ? keys[kind] : keys[0]);
}

static const char *state_label(const char *lang, int state)
{
	char key[64];
	snprintf(key, sizeof key, "sms.state.%s", bw_state_name((enum bw_state)state));
	return tr(lang, key);
}

/* "YYYY-MM-DD" as people read it here: "DD/MM/YYYY". */
static void date_label(const char *iso, char out[11])
{
	if (strlen(iso) == 10)
		snprintf(out, 11, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
	else
		snprintf(out, 11, "%s", iso);
}

static void ref_label(const char *ref, char out[20])
{
	bw_ref_format(ref, " ", out, 20);
}

/* Fills out[SMS_OUT_SIZE] from the template `key` in lang; the optional arguments are
 * names and values interleaved: FILL(out, "ar", "sms.filed", "ref", r, "date", d). */
#define FILL(out, lang, ...) do { \
	const char *a_[] = { __VA_ARGS__ }; \
	fill_pairs((out), (lang), sizeof a_ / sizeof *a_, a_); \
} while (0)

static void fill_pairs(char *out, const char *lang, size_t n, const char *const *a)
{
	const char *names[8] = { 0 }, *values[8] = { 0 };
	const char *tmpl = tr(lang, a[0]);
	const char *const *pairs = a + 1;
	int k = 0;
	n--;
	for (size_t i = 0; i + 1 < n && k < 8; i += 2, k++) {
		names[k] = pairs[i];
		values[k] = pairs[i + 1];
	}
	sms_fill(out, SMS_OUT_SIZE, tmpl, k, names, values);
}

/* ---- administrations ---- */

static int add_admin(const bw_admin *a, void *arg)
{
	sms_conv *c = arg;
	c->admins = bw_xrealloc(c->admins, (size_t)(c->nadmins + 1) * sizeof *c->admins);
	struct sms_admin_word *w = &c->admins[c->nadmins++];
	memset(w, 0, sizeof *w);
	char key[80];
	bw_strlcpy(w->code, a->code, sizeof w->code);
	sms_normalize(a->code, w->word[0], sizeof w->word[0]);
	snprintf(key, sizeof key, "sms.admin.%s", a->code);
	const char *ar = tr("ar", key), *fr = tr("fr", key);
	if (strcmp(ar, key) != 0)
		sms_normalize(ar, w->word[1], sizeof w->word[1]);
	if (strcmp(fr, key) != 0)
		sms_normalize(fr, w->word[2], sizeof w->word[2]);
	return 0;
}

/* The administration a folded word names ("sante", "الصحه", "transport"), or NULL.
 * The Arabic article is optional on either side. */
static const char *admin_match(const sms_conv *c, const char *folded)
{
	const char *al = "\xd8\xa7\xd9\x84";   /* ال */
	if (!folded[0])
		return NULL;
	for (int i = 0; i < c->nadmins; i++) {
		for (int k = 0; k < 3; k++) {
			const char *w = c->admins[i].word[k];
			if (!w[0])
				continue;
			if (strcmp(w, folded) == 0 ||
			    (strncmp(folded, al, 4) == 0 && strcmp(folded + 4, w) == 0) ||
			    (strncmp(w, al, 4) == 0 && strcmp(w + 4, folded) == 0))
				return c->admins[i].code;
		}
	}
	return NULL;
}

static int menu_first9(const bw_admin *a, void *arg)
{
	sms_conv *c = arg;
	if (c->nmenu >= SMS_MENU_MAX)
		return 1;
	bw_strlcpy(c->menu[c->nmenu++], a->code, BW_CODE_MAX + 1);
	return 0;
}

int sms_conv_init(sms_conv *c, const sms_conv_settings *set, sms_db *db, sms_submit_fn submit,
                  void *submit_arg, const bw_log *log, bw_err *e)
{
	int rc;
	memset(c, 0, sizeof *c);
	c->set = set;
	c->db = db;
	c->st = sms_db_store(db);
	c->submit = submit;
	c->submit_arg = submit_arg;
	c->log = log;
	if ((rc = bw_store_admins(c->st, add_admin, c, e)) < 0)
		return rc;
	if (!set->menu_admins[0]) {
		rc = bw_store_admins(c->st, menu_first9, c, e);
		return rc < 0 ? rc : BW_OK;
	}
	char list[sizeof set->menu_admins];
	bw_strlcpy(list, set->menu_admins, sizeof list);
	for (char *save = NULL, *t = strtok_r(list, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
		int found = 0;
		for (int i = 0; i < c->nadmins; i++)
			found |= strcmp(c->admins[i].code, t) == 0;
		if (!found)
			return bw_fail(e, BW_EINVAL, "menu_admins: %s is not in the catalogue", t);
		if (c->nmenu >= SMS_MENU_MAX)
			return bw_fail(e, BW_EINVAL, "menu_admins: more than %d administrations", SMS_MENU_MAX);
		bw_strlcpy(c->menu[c->nmenu++], t, BW_CODE_MAX + 1);
	}
	if (!c->nmenu)
		return bw_fail(e, BW_EINVAL, "menu_admins: empty");
	return BW_OK;
}

void sms_conv_free(sms_conv *c)
{
	free(c->admins);
	c->admins = NULL;
}

void sms_conv_menu(const sms_conv *c, const char *lang, char *out, size_t size)
{
	size_t o = 0;
	out[0] = '\0';
	for (int i = 0; i < c->nmenu; i++) {
		char key[80];
		snprintf(key, sizeof key, "sms.admin.%s", c->menu[i]);
		const char *name = tr(lang, key);
		if (strcmp(name, key) == 0)
			name = c->menu[i];
		int n = snprintf(out + o, size - o, "%s%d %s", i ? ", " : "", i + 1, name);
		if (n < 0 || (size_t)n >= size - o)
			break;
		o += (size_t)n;
	}
}

/* ---- filing ---- */

int sms_submit_local(void *arg, bw_request *r, bw_err *e)
{
	sms_local_filer *f = arg;
	int rc;
	bw_strlcpy(r->device, f->device, sizeof r->device);
	if (!r->site[0])
		bw_strlcpy(r->site, f->site, sizeof r->site);
	if (!r->received_on[0])
		bw_day_format(bw_legal_day(r->received_at), r->received_on);
	if ((rc = bw_store_begin(f->st, e)))
		return rc;
	if ((rc = bw_store_next_ref(f->st, f->num, r->ref, e)) ||
	    (rc = bw_store_insert(f->st, r, "citizen", e)) ||
	    (rc = bw_store_commit(f->st, e))) {
		bw_store_rollback(f->st);
		return rc;
	}
	return BW_OK;
}

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

/* ---- one message ---- */

/* What handling a message decided, written in one transaction at the end. */
typedef struct decision {
	char reply[SMS_OUT_SIZE];
	char lang[4];
	const char *outcome;
	int conv_put, conv_del;
	int optout;                  /* -1 unchanged, 0 opt back in, 1 opt out */
	int counters;                /* 1: write the sender counters */
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
	ref_label(r->ref, refl);
	date_label(r->deadline, date);
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
		FILL(d->reply, d->lang, "sms.status", "ref", refl, "state", state_label(d->lang, r->state),
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
		ref_label(r->ref, refl);
		date_label(r->deadline, date);
		FILL(d->reply, d->lang, "sms.filed", "kind", kind_label(d->lang, r->kind), "ref", refl,
		     "date", date);
		d->outcome = "filed";
		if (c->log)
			log_info(c->log, "filed %s (%s) from inbox row %lld", r->ref,
				 bw_kind_name(r->kind), (long long)m->id);
		rc = BW_OK;
	} else if (rc == BW_EINVAL || rc == BW_ETOOBIG) {
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
		FILL(d->reply, d->lang, "sms.ask.text", "kind", kind_label(d->lang, cv->kind));
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
		const char *code = admin_match(c, folded);
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

static int decide(sms_conv *c, const sms_in *m, const char *phone, sms_parsed *p,
                  sms_sender *snd, sms_conversation *cv, int64_t now, decision *d, bw_err *e)
{
	int rc, have, optout;
	const char *why;
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
		return BW_OK;
	}
	if (optout) {
		if (p->intent == SMS_START) {
			d->optout = 0;
			d->outcome = "start";
			FILL(d->reply, d->lang, "sms.start");
		} else {
			d->outcome = "optout";
		}
		return BW_OK;
	}
	if ((rc = sms_db_sender_get(c->db, phone, snd, e)))
		return rc;
	d->counters = 1;
	int junk = p->intent == SMS_UNKNOWN && !(have && !expired);
	if ((why = abuse(c, snd, m, junk, now))) {
		d->outcome = why;
		return BW_OK;
	}
	if (binary || bw_utf8_len(m->text) > (size_t)c->set->oversize) {
		d->outcome = binary ? "binary" : "oversize";
		if (now - snd->help_at >= c->set->help_period) {
			snd->help_at = now;
			FILL(d->reply, d->lang, "sms.help");
		}
		return BW_OK;
	}
	if (have && expired) {
		d->conv_del = 1;
		have = 0;
		if (p->intent == SMS_MENU_ANSWER) {
			d->outcome = "expired";
			FILL(d->reply, d->lang, "sms.expired");
			return BW_OK;
		}
	}
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
		const char *code = admin_match(c, p->admin_hint);
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
	const char *why = sender_class(m->sender, phone);
	if (why) {
		d->outcome = why;   /* stored, never answered */
		rc = BW_OK;
	} else {
		rc = decide(c, m, phone, p, &snd, cv, now, d, e);
	}
	if (rc == BW_OK) {
		if ((rc = bw_store_begin(c->st, e)) == BW_OK) {
			if (d->counters)
				rc = sms_db_sender_put(c->db, &snd, e);
			if (rc == BW_OK && d->optout >= 0)
				rc = sms_db_optout_set(c->db, phone, d->optout, now, e);
			/* STOP also cancels what was queued for the number and not sent yet (a
			 * notification held for the night would go out with the confirmation) */
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
			if (rc == BW_OK)
				rc = bw_store_commit(c->st, e);
			if (rc)
				bw_store_rollback(c->st);
		}
	}
	if (outcome)
		*outcome = rc == BW_OK ? d->outcome : NULL;
	free(cv);
	free(p);
	free(d);
	return rc;
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
	ref_label(ref && ref[0] ? ref : r->ref, refl);
	date_label(r->deadline, date);
	if (ev->new_state == BW_ST_ANSWERED)
		FILL(text, lang, "sms.notify.answered", "ref", refl);
	else
		FILL(text, lang, "sms.notify", "ref", refl, "state", state_label(lang, ev->new_state),
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
