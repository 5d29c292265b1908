/* smsd.c: bawaba-smsd, the SMS gateway daemon: one poll loop drives the link to the hub
 * (bw_sync) and, on a timer, the modems (read, store, delete), the conversation (file,
 * reply) and the one send queue shared by every modem. Start reading at main(). */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bw_files.h"
#include "bw_clock.h"
#include "bw_conf.h"
#include "bw_err.h"
#include "bw_i18n.h"
#include "bw_log.h"
#include "bw_notify.h"
#include "bw_phone.h"
#include "bw_store.h"
#include "bw_sync.h"
#include "converse.h"
#include "dummy.h"
#include "modem.h"
#include "sim.h"
#include "smsdb.h"

#define MODEMS_MAX 8
#define RESET_MIN_MS 2000
#define RESET_MAX_MS 300000
#define EXPIRE_EVERY_NS (10LL * 1000000000LL)

static volatile sig_atomic_t got_term, got_usr1;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		got_usr1 = 1;
	else
		got_term = 1;
}

/* ---- settings ---- */

struct settings {
	char db[1024];
	char sync[1024];
	char device[BW_CODE_MAX + 1];
	int device_num;
	char site[BW_CODE_MAX + 1];
	char localedir[1024];
	char log_level[16];
	char time_zone[64];   /* legal time (bw_clock_init): quiet hours, days of receipt */
	int poll_ms;
	int batch;
	int send_retries;
	int retry_base;
	sms_conv_settings conv;
	int nmodems;
	sms_modem_conf modems[MODEMS_MAX];
};

static int new_modem(const char *section, const char *name, void *settings, void **item,
                     bw_err *e)
{
	struct settings *s = settings;
	if (s->nmodems == MODEMS_MAX)
		return bw_fail(e, BW_ETOOBIG, "too many modems (at most %d)", MODEMS_MAX);
	if (!name[0])
		return bw_fail(e, BW_EINVAL, "a modem needs a name: [modem NAME]");
	sms_modem_conf *m = &s->modems[s->nmodems];
	memset(m, 0, sizeof *m);
	if (bw_strlcpy(m->name, name, sizeof m->name))
		return bw_fail(e, BW_ETOOBIG, "modem name too long (at most %d)", BW_CODE_MAX);
	for (int i = 0; i < s->nmodems; i++)
		if (strcmp(s->modems[i].name, name) == 0)
			return bw_fail(e, BW_EINVAL, "modem %s twice", name);
	s->nmodems++;
	*item = m;
	return BW_OK;
}

#define ST struct settings

static const bw_conf_key keys[] = {
	BW_CONF_P("gateway", "database", ST, db, "/var/lib/bawaba/smsd.db",
		  "the gateway's own database (inbox, send queue, its requests until the hub has them)"),
	BW_CONF_P("gateway", "sync", ST, sync, "",
		  "device file from bawaba-broker register + bawaba-hub enroll; empty: no hub, requests stay local"),
	BW_CONF_S("gateway", "device", ST, device, "sms-local", "device id when there is no hub"),
	BW_CONF_I("gateway", "device_num", ST, device_num, 1, 9999, "9999",
		  "reference prefix when there is no hub (the hub gives it otherwise)"),
	BW_CONF_S("gateway", "site", ST, site, "", "reception site code written on requests"),
	BW_CONF_P("gateway", "localedir", ST, localedir, BW_LOCALEDIR, "translation catalogues"),
	BW_CONF_S("gateway", "log_level", ST, log_level, "info", "error, warn, info or debug"),
	BW_CONF_I("gateway", "poll_ms", ST, poll_ms, 10, 60000, "1000",
		  "ms between modem polls (the dummy driver and most modems never announce an SMS)"),
	BW_CONF_I("gateway", "batch", ST, batch, 1, 64, "32",
		  "messages read, processed and sent per turn, so the hub link is never kept waiting"),
	BW_CONF_I("gateway", "send_retries", ST, send_retries, 1, 100, "8",
		  "attempts before an SMS is given up"),
	BW_CONF_I("gateway", "retry_base", ST, retry_base, 1, 3600, "30",
		  "s before the first retry of a failed send; doubles each time (at most 1 h)"),
	BW_CONF_I("conversation", "timeout", ST, conv.timeout, 60, 86400, "1800",
		  "s a menu waits for the citizen's answer, then the conversation ends politely"),
	BW_CONF_I("conversation", "partial_wait", ST, conv.partial_wait, 0, 86400, "600",
		  "s a multipart SMS waits for a missing part before it is read as it is"),
	BW_CONF_S("conversation", "darija_lang", ST, conv.darija_lang, "fr",
		  "reply language for Darija written in Latin letters: fr or ar"),
	BW_CONF_S("conversation", "menu_admins", ST, conv.menu_admins,
		  "INTERIEUR,SANTE,TRANSPORT,JUSTICE,DGSN,MEF,ADII,MAECE,MEDIATEUR",
		  "administrations in the menu, by catalogue code (at most 9; empty: the first 9 by code)"),
	BW_CONF_S("conversation", "info_url", ST, conv.info_url, "chikaya.ma",
		  "where an answer too long for SMS can be read"),
	BW_CONF_S("conversation", "info_phone", ST, conv.info_phone, "0537000000",
		  "the number to call for an answer too long for SMS"),
	BW_CONF_S("notify", "quiet_start", ST, conv.quiet_start, "21:00",
		  "local time from which notifications wait for the morning"),
	BW_CONF_S("notify", "quiet_end", ST, conv.quiet_end, "08:00", "local time they go out again"),
	BW_CLOCK_CONF("notify", ST, time_zone),
	BW_CONF_I("abuse", "rate_max", ST, conv.rate_max, 1, 100000, "10",
		  "messages a number may send per rate_window; the rest is stored, not answered"),
	BW_CONF_I("abuse", "rate_window", ST, conv.rate_window, 60, 86400, "3600", "s"),
	BW_CONF_I("abuse", "junk_max", ST, conv.junk_max, 1, 1000, "5",
		  "unparseable messages per junk_window before a number is muted (auto-responder)"),
	BW_CONF_I("abuse", "junk_window", ST, conv.junk_window, 60, 86400, "600", "s"),
	BW_CONF_I("abuse", "repeat_max", ST, conv.repeat_max, 1, 1000, "3",
		  "identical messages in a row within junk_window before a number is muted"),
	BW_CONF_I("abuse", "mute_for", ST, conv.mute_for, 60, 604800, "3600",
		  "s a muted number is not answered"),
	BW_CONF_I("abuse", "help_period", ST, conv.help_period, 60, 604800, "86400",
		  "s between help replies to oversize or binary messages from one number"),
	BW_CONF_I("abuse", "oversize", ST, conv.oversize, 100, BW_TEXT_MAX, "1000",
		  "characters above which a message is not processed (help reply instead)"),
	BW_CONF_SECTION("modem", new_modem, "one GSM modem, in Gammu's terms; several share the send queue"),
	BW_CONF_S("modem", "device", sms_modem_conf, device, "/dev/ttyUSB0",
		  "serial device, or the directory of Gammu's dummy phone"),
	BW_CONF_S("modem", "connection", sms_modem_conf, connection, "at",
		  "Gammu connection: at, at115200, ...; none for the dummy phone"),
	BW_CONF_S("modem", "model", sms_modem_conf, model, "", "Gammu model: empty (auto) or dummy"),
	BW_CONF_I("modem", "rate_per_minute", sms_modem_conf, rate_per_minute, 0, 6000, "4",
		  "SMS parts this SIM sends per minute (operators block SIMs that burst); 0: receive only"),
	BW_CONF_S("modem", "pin_file", sms_modem_conf, pin_file, "",
		  "the SIM's PIN: a file only its owner reads (root, mode 0600), or credential:NAME "
		  "(the unit's LoadCredential=NAME:FILE); empty: the SIM asks none"),
	BW_CONF_END
};

static int settings_check(const struct settings *s, bw_err *e)
{
	if (strcmp(s->conv.darija_lang, "fr") && strcmp(s->conv.darija_lang, "ar"))
		return bw_fail(e, BW_EINVAL, "[conversation] darija_lang: \"%s\" (fr or ar)", s->conv.darija_lang);
	int h, m;
	char c;
	const char *t[2] = { s->conv.quiet_start, s->conv.quiet_end };
	for (int i = 0; i < 2; i++)
		if (sscanf(t[i], "%d:%d%c", &h, &m, &c) != 2 || h < 0 || h > 23 || m < 0 || m > 59)
			return bw_fail(e, BW_EINVAL, "[notify] %s: \"%s\" is not HH:MM",
				       i ? "quiet_end" : "quiet_start", t[i]);
	if (!s->nmodems)
		return bw_fail(e, BW_EINVAL, "no [modem NAME] section");
	int rc = bw_clock_init(s->time_zone, e);
	if (rc)
		return rc;
	if (bw_log_level_parse(s->log_level) < 0)
		return bw_fail(e, BW_EINVAL, "[gateway] log_level: unknown \"%s\"", s->log_level);
	return BW_OK;
}

/* ---- the running gateway ---- */

typedef struct gw {
	struct settings *set;
	bw_log log;
	bw_store *st;
	sms_db *db;
	sms_conv conv;
	bw_sync *sync;
	sms_local_filer local;
	sms_modem *modems[MODEMS_MAX];
	int rx_open;                   /* a receive pass's transaction is open */
	int64_t reset_at[MODEMS_MAX];     /* ns: next reconnect attempt of a modem that is down */
	int reset_ms[MODEMS_MAX];
	int next_modem;                   /* round robin over the modems for sending */
	int64_t next_tick, next_expire;
	int busy;                         /* work left after the last turn: turn again at once */
	const char *crash_at;             /* BAWABA_SMSD_CRASH_AT, a test hook */
	/* figures */
	long received, duplicates, processed, parts_sent, send_failed;
	int64_t handle_ns;
	double cpu_start;                 /* CPU s and libGammu ns used before the loop (set-up, */
	int64_t gammu_start;              /* connecting, seeding): not counted per message */
} gw;

/* The test hook: dies like a kill -9 at a named point (documented in bawaba-smsd(8)). */
static void crash_point(const gw *g, const char *where)
{
	if (g->crash_at && strcmp(g->crash_at, where) == 0) {
		fprintf(stderr, "bawaba-smsd: BAWABA_SMSD_CRASH_AT=%s: exiting\n", where);
		_exit(137);
	}
}

static int64_t now_s(void)
{
	return bw_now();
}

/* Receive callback: the message is committed before the modem is told to delete it. */
static int on_receive(void *arg, sms_in *m)
{
	gw *g = arg;
	bw_err e;
	char mask[20], e164[14];
	crash_point(g, "before-commit");
	/* the pass's transaction, begun here so a pass with nothing new takes no lock */
	if (!g->rx_open) {
		if (bw_store_begin(g->st, &e)) {
			log_error(&g->log, "%s: inbox: %s", m->modem, e.msg);
			return BW_EDB;
		}
		g->rx_open = 1;
	}
	int rc = sms_db_inbox_add(g->db, m, &e);
	if (rc == BW_OK) {
		g->received++;
		log_debug(&g->log, "%s: received %d/%d parts from %s (row %lld)", m->modem, m->parts,
			  m->parts_total, bw_phone_normalize(m->sender, e164, NULL) ? "(not a Moroccan number)" :
			  bw_phone_mask(e164, mask, sizeof mask), (long long)m->id);
	} else if (rc == BW_EEXIST) {
		g->duplicates++;   /* read again after a crash before the delete */
	} else {
		log_error(&g->log, "%s: %s", m->modem, e.msg);
	}
	return rc;
}

/* The receive pass's one commit (sms_modem_set_group_commit): after it the messages may
 * leave the modem. */
static int on_group_commit(void *arg)
{
	gw *g = arg;
	bw_err e;
	int rc = bw_store_commit(g->st, &e);
	g->rx_open = 0;
	if (rc) {
		bw_store_rollback(g->st);
		log_error(&g->log, "inbox: %s (the messages stay on the modem)", e.msg);
		return rc;
	}
	crash_point(g, "after-commit");
	return BW_OK;
}

/* Deleted callback: a message without a network timestamp gives up its place-based
 * dedupe key, now that its place on the modem may hold the next message. */
static int on_deleted(void *arg, sms_in *m)
{
	gw *g = arg;
	bw_err e;
	if (m->sent_at < 0 && m->id > 0 && sms_db_inbox_deleted(g->db, m->id, &e))
		log_error(&g->log, "%s: %s", m->modem, e.msg);
	return BW_OK;
}

static int submit_sync(void *arg, bw_request *r, bw_err *e)
{
	gw *g = arg;
	int rc = bw_sync_submit(g->sync, r, e);
	crash_point(g, "after-file");
	return rc;
}

static int submit_local(void *arg, bw_request *r, bw_err *e)
{
	gw *g = arg;
	int rc = sms_submit_local(&g->local, r, e);
	crash_point(g, "after-file");
	return rc;
}

/* Runs inside bw_sync's notification transaction: a failure to queue the citizen's SMS
 * rolls the notification back, and the hub's replay brings it again (sms_conv_notify is
 * idempotent per event), so no notification is lost to a crash or a busy database. */
static int on_notify(void *arg, const bw_event *ev, const char *ref, const bw_request *r)
{
	gw *g = arg;
	bw_err e;
	int rc = sms_conv_notify(&g->conv, ev, ref, r, now_s(), &e);
	if (rc)
		log_error(&g->log, "notification of %s: %s (the hub will send it again)", ref, e.msg);
	return rc;
}

static void on_figures(void *arg, int *signal, int *queue)
{
	gw *g = arg;
	long n = sms_db_outbox_pending(g->db);
	*queue = n > INT_MAX ? INT_MAX : (int)n;
	*signal = -1;    /* the weakest modem's: the one an operator should look at */
	for (int i = 0; i < g->set->nmodems; i++) {
		int s = sms_modem_signal(g->modems[i]);
		if (s >= 0 && (*signal < 0 || s < *signal))
			*signal = s;
	}
}

/* Modems: reconnect the ones that are down (with backoff), read the ones that are up. */
static void turn_receive(gw *g, int64_t now)
{
	for (int i = 0; i < g->set->nmodems; i++) {
		sms_modem *m = g->modems[i];
		bw_err e;
		int more = 0;
		if (!sms_modem_is_up(m)) {
			if (now < g->reset_at[i])
				continue;
			if (sms_modem_reset(m, &e)) {
				g->reset_ms[i] = g->reset_ms[i] ? g->reset_ms[i] * 2 : RESET_MIN_MS;
				if (g->reset_ms[i] > RESET_MAX_MS)
					g->reset_ms[i] = RESET_MAX_MS;
				g->reset_at[i] = now + (int64_t)g->reset_ms[i] * 1000000;
				log_warn(&g->log, "%s (next try in %d s)", e.msg, g->reset_ms[i] / 1000);
				continue;
			}
			g->reset_ms[i] = 0;
			log_info(&g->log, "%s: connected", sms_modem_name(m));
		}
		/* the pass's messages in one transaction (begun at the first, see on_receive),
		 * committed once before any delete */
		if (sms_modem_receive(m, g->set->batch, g->set->conv.partial_wait, on_receive,
				      on_deleted, g, &more, &e))
			log_warn(&g->log, "%s", e.msg);
		if (g->rx_open) {   /* nothing new stored, or the pass failed: nothing deleted */
			bw_store_rollback(g->st);
			g->rx_open = 0;
		}
		g->busy |= more;
	}
}

/* The conversation: up to batch stored messages, oldest first. */
static void turn_process(gw *g)
{
	sms_in *m = bw_xmalloc(sizeof *m);
	for (int k = 0; k < g->set->batch; k++) {
		bw_err e;
		const char *outcome;
		int rc = sms_db_inbox_next(g->db, m, &e);
		if (rc == BW_ENOTFOUND)
			break;
		int64_t t0 = sms_mono_ns();
		if (rc == BW_OK)
			rc = sms_conv_handle(&g->conv, m, now_s(), &outcome, &e);
		g->handle_ns += sms_mono_ns() - t0;
		if (rc) {
			log_error(&g->log, "inbox row %lld: %s (will retry)", (long long)m->id, e.msg);
			break;
		}
		g->processed++;
		log_debug(&g->log, "inbox row %lld: %s", (long long)m->id, outcome);
		if (k + 1 == g->set->batch)
			g->busy = 1;
	}
	free(m);
}

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

/* The send queue: due SMS to modems with room in their rate. */
static void turn_send(gw *g)
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
		/* a notification that waited (the night, a retry) may meet a STOP sent since;
		 * STOP drops the queued ones, this catches any queued another way */
		if (strcmp(o->purpose, "notify") == 0) {
			int out = sms_db_optout_is_set(g->db, o->dest);
			if (out < 0) {
				log_error(&g->log, "send queue row %lld: opt-out: database error", (long long)o->id);
				continue;
			}
			if (out) {
				if (sms_db_outbox_drop(g->db, o->id, "STOP", &e))
					log_error(&g->log, "send queue row %lld: %s", (long long)o->id, e.msg);
				else
					log_info(&g->log, "send queue row %lld: dropped (the number sent STOP)",
						 (long long)o->id);
				continue;
			}
		}
		if (sms_encode(o->text, enc, &e)) {
			sms_encoding none = { 0 };
			log_error(&g->log, "send queue row %lld: %s (given up)", (long long)o->id, e.msg);
			o->attempts = g->set->send_retries;
			record_sent(g, o, "", &none, 0, 0, e.msg);
			continue;
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
			continue;
		}
		unsigned all = (1u << enc->parts) - 1;
		if (r.differs) {
			log_warn(&g->log, "send queue row %lld: the parts sent before are not this text's "
				 "parts: sending every part", (long long)o->id);
			r.done = 0;
		}
		if (r.done == all) {    /* every part is out already: only the row is behind */
			record_sent(g, o, r.modem, enc, 0, 1, NULL);
			continue;
		}
		int todo = enc->parts - __builtin_popcount(r.done);
		sms_modem *m = NULL;
		if (r.done) {
			int known;
			m = named_modem(g, r.modem, todo, &known);
			if (!m && known)
				continue;    /* that SIM is at its rate: this row waits for its tokens */
			if (!m) {
				log_warn(&g->log, "send queue row %lld: %s, which sent part of it, is not up: "
					 "sending every part", (long long)o->id, r.modem);
				r.done = 0;
				todo = enc->parts;
			}
		}
		if (!m && !(m = pick_modem(g, todo)))
			break;     /* every SIM at its rate: the loop waits for tokens */
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
		if (k + 1 == g->set->batch)
			g->busy = 1;
	}
	free(enc);
	free(o);
}

/* ms until the modems need a turn: now if work is left, else the next poll or, when the
 * queue waits only for a SIM's tokens, the moment one has them. */
static int modem_timeout_ms(gw *g, int64_t now)
{
	if (g->busy)
		return 0;
	int64_t ms = (g->next_tick - now) / 1000000;
	if (ms < 0)
		ms = 0;
	sms_out o;
	if (sms_db_outbox_due(g->db, now_s(), 0, &o, NULL) == BW_OK) {
		for (int i = 0; i < g->set->nmodems; i++) {
			if (g->set->modems[i].rate_per_minute <= 0 || !sms_modem_is_up(g->modems[i]))
				continue;
			int w = sms_modem_send_wait_ms(g->modems[i], 1);
			if (w < ms)
				ms = w;
		}
	}
	return (int)ms;
}

static void turn(gw *g, int64_t now)
{
	g->busy = 0;
	turn_receive(g, now);
	turn_process(g);
	turn_send(g);
	if (now >= g->next_expire) {
		bw_err e;
		int n;
		if (sms_conv_expire(&g->conv, now_s(), g->set->batch, &n, &e))
			log_error(&g->log, "conversations: %s", e.msg);
		else if (n)
			log_info(&g->log, "%d conversation(s) timed out", n);
		g->next_expire = now + EXPIRE_EVERY_NS;
	}
	g->next_tick = now + (int64_t)g->set->poll_ms * 1000000;
}

/* 1 when nothing is left to read, process or send now (for --drain). */
static int idle(gw *g)
{
	sms_in *m = bw_xmalloc(sizeof *m);
	sms_out o;
	int busy = g->busy || sms_db_inbox_next(g->db, m, NULL) == BW_OK;
	free(m);
	if (!busy && sms_db_outbox_due(g->db, now_s(), 0, &o, NULL) == BW_OK) {
		for (int i = 0; i < g->set->nmodems; i++)
			busy |= g->set->modems[i].rate_per_minute > 0 && sms_modem_is_up(g->modems[i]);
	}
	return !busy;
}

static int64_t gammu_ns(gw *g, long *calls)
{
	long c;
	int64_t total = 0, ns;
	*calls = 0;
	for (int i = 0; i < g->set->nmodems; i++) {
		sms_modem_stats(g->modems[i], &c, &ns);
		*calls += c;
		total += ns;
	}
	return total;
}

static double cpu_now(void)
{
	struct timespec cpu;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
	return cpu.tv_sec + cpu.tv_nsec / 1e9;
}

static void print_stats(gw *g, FILE *fp, int64_t wall_ns)
{
	long calls;
	double cpu_s = cpu_now() - g->cpu_start;
	double gammu_s = (gammu_ns(g, &calls) - g->gammu_start) / 1e9;
	long n = g->processed ? g->processed : 1;
	fprintf(fp, "stats: received %ld (duplicates %ld), processed %ld, parts sent %ld, send failures %ld\n",
		g->received, g->duplicates, g->processed, g->parts_sent, g->send_failed);
	fprintf(fp, "stats: main loop: wall %.3f s, cpu %.3f s, inside libGammu %.3f s (%ld calls)\n",
		wall_ns / 1e9, cpu_s, gammu_s, calls);
	fprintf(fp, "stats: conversation %.3f ms/message; gateway beyond libGammu %.3f ms/message\n",
		g->handle_ns / 1e6 / n, (cpu_s - gammu_s) * 1000.0 / n);
}

static const char usage[] =
	"usage: bawaba-smsd [-c FILE] [-n] [-v] [--stats] [--drain]\n"
	"       bawaba-smsd [-c FILE] --probe\n"
	"       bawaba-smsd --print-config | --help\n"
	"The SMS gateway: reads citizens' SMS from GSM modems (libGammu), files their requests,\n"
	"answers in their language, tells them when a request moves; syncs with the hub.\n"
	"  -c FILE        configuration (INI); default /etc/bawaba/smsd.conf\n"
	"  -n             checks the configuration, the database and the catalogues,\n"
	"                 prints \"configuration OK\"\n"
	"  -v             debug logging\n"
	"  --stats        prints figures at exit (messages, time inside libGammu, CPU per message)\n"
	"  --drain        exits once nothing is left to read, process or send now\n"
	"  --probe        connects to each modem (entering the SIM's PIN), prints the modem,\n"
	"                 SIM, network and signal, and exits (0 if every modem answered)\n"
	"  --print-config prints every setting with its default and meaning\n"
	"Signals: TERM/INT finish the turn and exit; USR1 logs the figures.\n"
	"Test hook: BAWABA_SMSD_CRASH_AT=before-commit|after-commit|after-file|before-send\n"
	"makes the program _exit(137) at that point (see bawaba-smsd(8)).\n";

static int setup(gw *g, int check, bw_err *e)
{
	int rc;
	if ((rc = bw_i18n_init("sms", g->set->localedir, e)))
		return rc;
	if ((rc = bw_store_open(&g->st, g->set->db, 0, e)) || (rc = bw_store_seed(g->st, e)) ||
	    (rc = sms_db_open(&g->db, g->st, e)))
		return rc;
	sms_submit_fn submit = submit_local;
	if (g->set->sync[0]) {
		bw_sync_settings ss;
		bw_sync_callbacks cb = { .arg = g, .notify_tx = on_notify, .figures = on_figures };
		bw_sync_settings_default(&ss);
		if ((rc = bw_sync_settings_load(g->set->sync, &ss, e)))
			return rc;
		if (!check && (rc = bw_sync_new(&g->sync, &ss, g->st, &cb, &g->log, e)))
			return rc;
		submit = submit_sync;
	} else {
		g->local.st = g->st;
		g->local.num = (unsigned)g->set->device_num;
		bw_strlcpy(g->local.device, g->set->device, sizeof g->local.device);
		bw_strlcpy(g->local.site, g->set->site, sizeof g->local.site);
	}
	if ((rc = sms_conv_init(&g->conv, &g->set->conv, g->db, submit, g, &g->log, e)))
		return rc;
	char abs[PATH_MAX];
	const char *dbpath = realpath(g->set->db, abs) ? abs : g->set->db;
	/* test hook, documented in bawaba-smsd(8): BAWABA_SMSD_FAULT=sends:N,hangs:M,
	 * sends-part:P,pin makes the first modem refuse its next N sends, time out on its
	 * next M reads, refuse part P of the next send that reaches it, and its SIM ask for
	 * its PIN (the dummy driver never fails) */
	const char *fault = getenv("BAWABA_SMSD_FAULT");
	if (fault && g->set->nmodems > 0) {
		const char *p;
		if ((p = strstr(fault, "sends:")))
			g->set->modems[0].fault_sends = atoi(p + 6);
		if ((p = strstr(fault, "sends-part:")))
			g->set->modems[0].fault_part = atoi(p + 11);
		if ((p = strstr(fault, "hangs:")))
			g->set->modems[0].fault_hangs = atoi(p + 6);
		if (strstr(fault, "pin"))
			g->set->modems[0].fault_pin = 1;
	}
	for (int i = 0; i < g->set->nmodems; i++) {
		g->modems[i] = sms_modem_new(&g->set->modems[i], &g->log);
		sms_modem_set_group_commit(g->modems[i], on_group_commit);
		if (check)
			continue;
		if (strcmp(g->set->modems[i].model, "dummy") == 0 &&
		    sms_dummy_mark(g->set->modems[i].device, dbpath, e))
			log_warn(&g->log, "%s: %s", g->set->modems[i].name, e->msg);
		if (sms_modem_connect(g->modems[i], e))
			log_warn(&g->log, "%s (will retry)", e->msg);
		else
			log_info(&g->log, "%s: connected (%s)", g->set->modems[i].name, g->set->modems[i].device);
	}
	return BW_OK;
}

static void teardown(gw *g)
{
	for (int i = 0; i < g->set->nmodems; i++)
		sms_modem_free(g->modems[i]);
	bw_sync_free(g->sync);
	sms_conv_free(&g->conv);
	sms_db_close(g->db);
	bw_store_close(g->st);
}

int main(int argc, char **argv)
{
	bw_files_private();  /* before anything is created: personal data stays 0600 */
	static struct settings set;
	gw g = { .set = &set, .log = { .prog = "bawaba-smsd", .level = BW_LOG_INFO } };
	bw_err e;
	const char *conf = "/etc/bawaba/smsd.conf";
	int check = 0, verbose = 0, stats = 0, drain = 0, probe = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage, stdout);
			return 0;
		} else if (strcmp(a, "--print-config") == 0) {
			bw_conf_print(keys, stdout);
			return 0;
		} else if (strcmp(a, "-n") == 0) {
			check = 1;
		} else if (strcmp(a, "-v") == 0) {
			verbose = 1;
		} else if (strcmp(a, "--stats") == 0) {
			stats = 1;
		} else if (strcmp(a, "--drain") == 0) {
			drain = 1;
		} else if (strcmp(a, "--probe") == 0) {
			probe = 1;
		} else if (strcmp(a, "-c") == 0 && i + 1 < argc) {
			conf = argv[++i];
		} else {
			fprintf(stderr, "bawaba-smsd: unknown argument %s\n%s", a, usage);
			return 2;
		}
	}
	if (bw_conf_load(conf, keys, &set, &e) || settings_check(&set, &e)) {
		fprintf(stderr, "bawaba-smsd: %s\n", e.msg);
		return 1;
	}
	g.log.level = verbose ? BW_LOG_DEBUG : bw_log_level_parse(set.log_level);
	if (probe) {
		/* BAWABA_SMSD_FAULT=pin: the first SIM asks for its PIN (see setup) */
		const char *fault = getenv("BAWABA_SMSD_FAULT");
		if (set.nmodems > 0 && fault && strstr(fault, "pin"))
			set.modems[0].fault_pin = 1;
		return sms_sim_probe_modems(set.modems, set.nmodems, &g.log, stdout) ? 1 : 0;
	}
	g.crash_at = getenv("BAWABA_SMSD_CRASH_AT");
	if (setup(&g, check, &e)) {
		fprintf(stderr, "bawaba-smsd: %s\n", e.msg);
		teardown(&g);
		return 1;
	}
	if (check) {
		teardown(&g);
		puts("configuration OK");
		return 0;
	}

	/* handlers only set flags; no SA_RESTART, so poll() returns at once with EINTR */
	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	int64_t start = sms_mono_ns();
	long calls0;
	g.cpu_start = cpu_now();
	g.gammu_start = gammu_ns(&g, &calls0);
	log_info(&g.log, "started: %d modem(s), database %s, %s", set.nmodems, set.db,
		 set.sync[0] ? "hub link on" : "no hub");
	bw_notify nt;
	bw_notify_init(&nt);
	bw_notify_ready("serving");
	while (!got_term) {
		int64_t now = sms_mono_ns();
		int timeout = modem_timeout_ms(&g, now);
		struct pollfd p = { .fd = g.sync ? bw_sync_fd(g.sync) : -1, .events = POLLIN };
		if (g.sync) {
			int st = bw_sync_timeout_ms(g.sync);
			if (st < timeout)
				timeout = st;
			if (bw_sync_want_write(g.sync))
				p.events |= POLLOUT;
		}
		int n = poll(&p, p.fd >= 0, bw_notify_timeout_ms(&nt, timeout));
		if (n < 0 && errno != EINTR) {
			log_error(&g.log, "poll: %s", strerror(errno));
			break;
		}
		if (g.sync)
			bw_sync_handle(g.sync, n > 0 ? p.revents : 0);
		if (got_usr1) {
			got_usr1 = 0;
			print_stats(&g, stderr, sms_mono_ns() - start);
		}
		now = sms_mono_ns();
		if (g.busy || now >= g.next_tick)
			turn(&g, now);
		bw_notify_alive(&nt);
		if (drain && idle(&g))
			break;
	}
	bw_notify_stopping();
	if (stats)
		print_stats(&g, stdout, sms_mono_ns() - start);
	log_info(&g.log, "stopped");
	teardown(&g);
	return 0;
}
