/* modem.c: one GSM modem through libGammu (see RECIPES.md for the facts this relies on):
 * connection and reset, the receive pass (read, link, decode, hand over, delete), the
 * multipart encoder, sending with a per-SIM token bucket, and time spent in libGammu. */
#include "bw_clock.h"
#include "modem.h"
#include "sim.h"

#include <gammu.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bw_calendar.h"
#include "bw_text.h"

#define BATCH_MAX 64        /* messages read per pass, whatever the caller asks */
#define PENDING_MAX 64      /* parts of incomplete messages held in memory */
#define FAIL_MAX 3          /* failures in a row before the modem counts as down */
#define SEND_CONFIRM_NS (30LL * 1000000000LL)  /* wait for a real modem's send status */

/* A part of a concatenated message whose other parts have not all arrived. */
typedef struct pending {
	GSM_MultiSMSMessage *msg;   /* one part, as read */
	int64_t first_seen_ns;
} pending;

struct sms_modem {
	sms_modem_conf conf;
	const bw_log *log;
	GSM_StateMachine *sm;
	int connected;
	int failures;                /* in a row */
	int hanging;                 /* test hook: fault_hangs has started (see modem.h) */
	int pin_refused;             /* the SIM refused our PIN once: never entered again */
	/* receive pass */
	int restart;                 /* next read starts at the first message */
	int cursor;                  /* location of the last message read */
	GSM_MultiSMSMessage *batch[BATCH_MAX + 1];   /* allocated on first use, reused */
	pending pend[PENDING_MAX];
	int npend;
	int (*group_commit)(void *arg);  /* see sms_modem_set_group_commit; NULL: none */
	/* send */
	volatile int send_done, send_status;
	double tokens;
	int64_t tokens_at_ns;
	/* figures */
	long calls;
	int64_t gammu_ns;
};

int64_t sms_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Every libGammu call goes through G(): it counts the call and the time spent inside
 * it, which is what --stats separates from the gateway's own work. */
#define G(m, call) ({ int64_t t0_ = sms_mono_ns(); __typeof__(call) r_ = (call); \
	(m)->gammu_ns += sms_mono_ns() - t0_; (m)->calls++; r_; })

static void send_status_cb(GSM_StateMachine *sm, int status, int ref, void *arg)
{
	sms_modem *m = arg;
	m->send_status = status;
	m->send_done = 1;
}

sms_modem *sms_modem_new(const sms_modem_conf *c, const bw_log *log)
{
	sms_modem *m = bw_xcalloc(1, sizeof *m);
	m->conf = *c;
	m->log = log;
	m->restart = 1;
	m->tokens = 2;
	m->tokens_at_ns = sms_mono_ns();
	return m;
}

static void pend_drop(sms_modem *m, int i)
{
	free(m->pend[i].msg);
	m->pend[i] = m->pend[--m->npend];
}

void sms_modem_free(sms_modem *m)
{
	if (!m)
		return;
	if (m->sm) {
		if (m->connected)
			GSM_TerminateConnection(m->sm);
		GSM_FreeStateMachine(m->sm);
	}
	for (int i = 0; i < BATCH_MAX + 1; i++)
		free(m->batch[i]);
	while (m->npend)
		pend_drop(m, 0);
	free(m);
}

const char *sms_modem_name(const sms_modem *m)
{
	return m->conf.name;
}

int sms_modem_is_up(const sms_modem *m)
{
	return m->connected && m->failures < FAIL_MAX;
}

int sms_modem_signal(sms_modem *m)
{
	GSM_SignalQuality q;
	if (!sms_modem_is_up(m))
		return -1;
	if (G(m, GSM_GetSignalQuality(m->sm, &q)) != ERR_NONE)
		return -1;
	return q.SignalPercent >= 0 && q.SignalPercent <= 100 ? q.SignalPercent : -1;
}

void sms_modem_stats(const sms_modem *m, long *calls, int64_t *ns)
{
	*calls = m->calls;
	*ns = m->gammu_ns;
}

/* Records a failed call; returns the BW_EIO to pass up. */
static int failed(sms_modem *m, bw_err *e, const char *what, GSM_Error err)
{
	m->failures++;
	return bw_fail(e, BW_EIO, "%s: %s: %s", m->conf.name, what, GSM_ErrorString(err));
}

int sms_modem_connect(sms_modem *m, bw_err *e)
{
	if (m->connected)
		return BW_OK;
	if (!m->sm) {
		/* GSM_InitLocales is not called: it would setlocale(LC_ALL, "") over the
		 * C.UTF-8 the catalogues need, and we convert with EncodeUTF8/DecodeUTF8,
		 * which do not depend on the locale. */
		m->sm = GSM_AllocStateMachine();
		GSM_Config *cfg = GSM_GetConfig(m->sm, 0);
		GSM_ReadConfig(NULL, cfg, 0);   /* ERR_USING_DEFAULTS: we set what matters */
		free(cfg->Device);
		cfg->Device = bw_xstrdup(m->conf.device);
		free(cfg->Connection);
		cfg->Connection = bw_xstrdup(m->conf.connection);
		bw_strlcpy(cfg->Model, m->conf.model, sizeof cfg->Model);
		cfg->LockDevice = FALSE;
		GSM_SetConfigNum(m->sm, 1);
	}
	GSM_Error err = G(m, GSM_InitConnection(m->sm, 1));
	if (err != ERR_NONE)
		return failed(m, e, "connect", err);
	/* the SIM's PIN before anything else asks the SIM (a PIN-locked SIM reads no SMS) */
	int rc = sms_sim_unlock(m->sm, m->conf.name, m->conf.pin_file, m->conf.fault_pin,
	                        &m->pin_refused, e);
	if (rc) {
		G(m, GSM_TerminateConnection(m->sm));
		m->failures++;
		return rc;
	}
	/* after the init, which resets the callbacks */
	GSM_SetSendSMSStatusCallback(m->sm, send_status_cb, m);
	m->connected = 1;
	m->failures = 0;
	m->restart = 1;
	return BW_OK;
}

int sms_modem_probe(sms_modem *m, FILE *out)
{
	fprintf(out, "modem: %s (%s)\n", m->conf.name, m->conf.device);
	return m->connected ? sms_sim_probe(m->sm, out) : BW_EIO;
}

int sms_modem_reset(sms_modem *m, bw_err *e)
{
	if (m->connected) {
		G(m, GSM_TerminateConnection(m->sm));
		m->connected = 0;
	}
	/* parts held in memory are read again from the modem on the next pass */
	while (m->npend)
		pend_drop(m, 0);
	return sms_modem_connect(m, e);
}

/* ---- text conversions ---- */

/* Gammu's UCS-2 string to UTF-8 in out[size], cut between characters. */
static void to_utf8(const unsigned char *ucs, char *out, size_t size)
{
	size_t n = UnicodeLength(ucs);
	char *tmp = bw_xmalloc(4 * n + 8);
	EncodeUTF8(tmp, ucs);
	size_t len = strlen(tmp);
	if (len >= size) {
		len = size - 1;
		while (len > 0 && ((unsigned char)tmp[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(out, tmp, len);
	out[len] = '\0';
	free(tmp);
}

/* Appends src to dst[size], cut between characters when it does not fit. */
static void append(char *dst, size_t size, const char *src)
{
	size_t n = strlen(dst);
	if (n + 1 >= size)
		return;
	size_t room = size - n - 1, len = strlen(src);
	if (len > room) {
		len = room;
		while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(dst + n, src, len);
	dst[n + len] = '\0';
}

/* UTC seconds of a modem timestamp (its Timezone is in seconds east of UTC); 0 when the
 * modem gave none. */
static int64_t gammu_time(const GSM_DateTime *dt)
{
	if (dt->Year < 1970 || dt->Month < 1 || dt->Month > 12 || dt->Day < 1)
		return 0;
	int64_t t = (int64_t)bw_day_from_ymd(dt->Year, dt->Month, dt->Day) * 86400 +
		    dt->Hour * 3600 + dt->Minute * 60 + dt->Second;
	return t - dt->Timezone;
}

static int is_concat(const GSM_SMSMessage *s)
{
	return s->UDH.Type == UDH_ConcatenatedMessages ||
	       s->UDH.Type == UDH_ConcatenatedMessages16bit;
}

/* Parts announced by the first part (1 for a single SMS). */
static int parts_total(const GSM_MultiSMSMessage *g)
{
	return is_concat(&g->SMS[0]) && g->SMS[0].UDH.AllParts > 0 ? g->SMS[0].UDH.AllParts : 1;
}

/* Builds the whole message of a linked group into out. */
static void decode(sms_modem *m, GSM_MultiSMSMessage *g, sms_in *out)
{
	char buf[700];
	memset(out, 0, offsetof(sms_in, text));
	out->text[0] = '\0';
	to_utf8(g->SMS[0].Number, out->sender, sizeof out->sender);
	bw_strlcpy(out->modem, m->conf.name, sizeof out->modem);
	out->sent_at = gammu_time(&g->SMS[0].DateTime);
	/* no network timestamp: the dedupe key (sender, sent_at, text) needs a value that is
	 * the same when the message is read again after a kill between commit and delete,
	 * which the wall clock is not. Its place on the modem is, while it is there (the
	 * first part's location, > 0; the row gives it up once deleted). */
	if (out->sent_at <= 0)
		out->sent_at = -(int64_t)(g->SMS[0].Location > 0 ? g->SMS[0].Location : 1);
	out->received_at = bw_now();
	out->parts = g->Number;
	out->parts_total = parts_total(g);
	int bin = 0, ucs = 0;
	for (int i = 0; i < g->Number; i++) {
		bin |= g->SMS[i].Coding == SMS_Coding_8bit;
		ucs |= g->SMS[i].Coding == SMS_Coding_Unicode_No_Compression ||
		       g->SMS[i].Coding == SMS_Coding_Unicode_Compression;
	}
	bw_strlcpy(out->coding, bin ? "8bit" : ucs ? "ucs2" : "gsm", sizeof out->coding);
	if (bin) {
		/* binary content: kept as hex so the row and its dedupe key stay exact */
		for (int i = 0; i < g->Number; i++) {
			for (int k = 0; k < g->SMS[i].Length && k < 140; k++) {
				snprintf(buf, sizeof buf, "%02x", g->SMS[i].Text[k]);
				append(out->text, sizeof out->text, buf);
			}
		}
		return;
	}
	if (out->parts >= out->parts_total) {
		GSM_MultiPartSMSInfo info;
		GSM_ClearMultiPartSMSInfo(&info);
		if (G(m, GSM_DecodeMultiPartSMS(GSM_GetGlobalDebug(), &info, g, TRUE))) {
			for (int i = 0; i < info.EntriesNum; i++) {
				if (!info.Entries[i].Buffer)
					continue;
				size_t n = UnicodeLength(info.Entries[i].Buffer);
				char *tmp = bw_xmalloc(4 * n + 8);
				EncodeUTF8(tmp, info.Entries[i].Buffer);
				append(out->text, sizeof out->text, tmp);
				free(tmp);
			}
			GSM_FreeMultiPartSMSInfo(&info);
			if (out->text[0])
				return;
		} else {
			GSM_FreeMultiPartSMSInfo(&info);
		}
	}
	/* a part missing (or a layout the decoder does not know): the parts as they are,
	 * in the order GSM_LinkSMS put them */
	out->text[0] = '\0';
	for (int i = 0; i < g->Number; i++) {
		to_utf8(g->SMS[i].Text, buf, sizeof buf);
		append(out->text, sizeof out->text, buf);
	}
}

/* ---- receive ---- */

static GSM_MultiSMSMessage *slot(sms_modem *m, int i)
{
	if (!m->batch[i])
		m->batch[i] = bw_xcalloc(1, sizeof(GSM_MultiSMSMessage));
	return m->batch[i];
}

static int pend_find(sms_modem *m, int location)
{
	for (int i = 0; i < m->npend; i++)
		if (m->pend[i].msg->SMS[0].Location == location)
			return i;
	return -1;
}

/* 1 if two parts belong to the same concatenated message. */
static int same_message(const GSM_SMSMessage *a, const GSM_SMSMessage *b)
{
	return is_concat(a) && is_concat(b) && a->UDH.AllParts == b->UDH.AllParts &&
	       a->UDH.ID8bit == b->UDH.ID8bit && a->UDH.ID16bit == b->UDH.ID16bit &&
	       UnicodeLength(a->Number) == UnicodeLength(b->Number) &&
	       memcmp(a->Number, b->Number, 2 * UnicodeLength(a->Number)) == 0;
}

/* GSM_LinkSMS links a message only when every part is there; with a part missing, the
 * parts it has come out in several groups. Gathers them into the first group (the
 * others are left empty), ordered by part number, so a message that waited too long is
 * handed over once with every part that did arrive. */
static void merge_incomplete(GSM_MultiSMSMessage **out)
{
	for (int k = 0; out[k]; k++) {
		GSM_MultiSMSMessage *g = out[k];
		if (g->Number == 0 || g->Number >= parts_total(g))
			continue;
		for (int j = k + 1; out[j]; j++) {
			GSM_MultiSMSMessage *h = out[j];
			if (h->Number == 0 || !same_message(&g->SMS[0], &h->SMS[0]))
				continue;
			for (int i = 0; i < h->Number && g->Number < GSM_MAX_MULTI_SMS; i++)
				g->SMS[g->Number++] = h->SMS[i];
			h->Number = 0;
		}
		for (int a = 1; a < g->Number; a++) {     /* insertion sort by part number */
			GSM_SMSMessage t = g->SMS[a];
			int b = a - 1;
			for (; b >= 0 && g->SMS[b].UDH.PartNumber > t.UDH.PartNumber; b--)
				g->SMS[b + 1] = g->SMS[b];
			g->SMS[b + 1] = t;
		}
	}
}

/* Deletes every part of g; ERR_EMPTY (already gone, e.g. a file holding two parts)
 * is not a failure. */
static int delete_parts(sms_modem *m, GSM_MultiSMSMessage *g, bw_err *e)
{
	for (int i = 0; i < g->Number; i++) {
		GSM_SMSMessage s = g->SMS[i];
		s.Folder = 0;
		GSM_Error err = G(m, GSM_DeleteSMS(m->sm, &s));
		if (err != ERR_NONE && err != ERR_EMPTY)
			return failed(m, e, "delete", err);
	}
	return BW_OK;
}

/* An incomplete message: its parts are held in memory (1) unless the oldest has waited
 * partial_wait_s or there is no room (0: handed over as it is). */
static int hold_incomplete(sms_modem *m, GSM_MultiSMSMessage *g, int64_t now, int partial_wait_s)
{
	int64_t oldest = now;
	for (int i = 0; i < g->Number; i++) {
		int p = pend_find(m, g->SMS[i].Location);
		if (p >= 0 && m->pend[p].first_seen_ns < oldest)
			oldest = m->pend[p].first_seen_ns;
	}
	if (now - oldest >= (int64_t)partial_wait_s * 1000000000LL || m->npend + g->Number > PENDING_MAX)
		return 0;
	for (int i = 0; i < g->Number; i++) {
		if (pend_find(m, g->SMS[i].Location) >= 0)
			continue;
		pending *p = &m->pend[m->npend++];
		p->msg = bw_xcalloc(1, sizeof(GSM_MultiSMSMessage));
		p->msg->Number = 1;
		p->msg->SMS[0] = g->SMS[i];
		p->first_seen_ns = now;
	}
	return 1;
}

/* A message stored: its parts leave the modem, `deleted` is told, held parts dropped. */
static int forget_group(sms_modem *m, GSM_MultiSMSMessage *g, sms_in *msg, sms_modem_recv_fn deleted,
                        void *arg, bw_err *e)
{
	int rc = delete_parts(m, g, e);
	if (rc)
		return rc;
	if (deleted)
		deleted(arg, msg);
	for (int i = 0; i < g->Number; i++) {
		int p = pend_find(m, g->SMS[i].Location);
		if (p >= 0)
			pend_drop(m, p);
	}
	return BW_OK;
}

void sms_modem_set_group_commit(sms_modem *m, int (*commit)(void *arg))
{
	m->group_commit = commit;
}

int sms_modem_receive(sms_modem *m, int max, int partial_wait_s, sms_modem_recv_fn cb,
                      sms_modem_recv_fn deleted, void *arg, int *more, bw_err *e)
{
	int n = 0, rc = BW_OK, end = 0;
	*more = 0;
	if (!m->connected)
		return bw_fail(e, BW_EIO, "%s: not connected", m->conf.name);
	if (m->hanging && m->conf.fault_hangs > 0) {
		m->conf.fault_hangs--;
		return failed(m, e, "receive (injected fault)", ERR_TIMEOUT);
	}
	if (max > BATCH_MAX)
		max = BATCH_MAX;
	/* read a window of messages, continuing the last pass */
	while (n < max) {
		GSM_MultiSMSMessage *b = slot(m, n);
		b->Number = 0;
		b->SMS[0].Folder = 0;    /* locations are flat: folder * 10000 + number */
		b->SMS[0].Location = m->restart ? 0 : m->cursor;
		GSM_Error err = G(m, GSM_GetNextSMS(m->sm, b, m->restart ? TRUE : FALSE));
		m->restart = 0;
		if (err == ERR_EMPTY) {
			end = 1;
			m->restart = 1;
			break;
		}
		if (err != ERR_NONE) {
			m->restart = 1;
			return failed(m, e, "read", err);
		}
		m->cursor = b->SMS[0].Location;
		if (b->Number < 1 || pend_find(m, b->SMS[0].Location) >= 0)
			continue;    /* held already, from an earlier pass */
		n++;
	}
	if (!end)
		*more = 1;
	/* link the window with the parts held from before */
	int total = n + m->npend;
	GSM_MultiSMSMessage **in = bw_xcalloc((size_t)total + 1, sizeof *in);
	GSM_MultiSMSMessage **out = bw_xcalloc((size_t)total + 1, sizeof *out);
	for (int i = 0; i < n; i++)
		in[i] = m->batch[i];
	for (int i = 0; i < m->npend; i++)
		in[n + i] = m->pend[i].msg;
	GSM_Error err = G(m, GSM_LinkSMS(GSM_GetGlobalDebug(), in, out, TRUE));
	if (err != ERR_NONE) {
		free(in);
		free(out);
		return failed(m, e, "link", err);
	}
	int64_t now = sms_mono_ns();
	sms_in *msg = bw_xmalloc(sizeof *msg);
	int *take = bw_xcalloc((size_t)total + 1, sizeof *take);
	int64_t *ids = bw_xcalloc((size_t)total + 1, sizeof *ids);
	int64_t *sent = bw_xcalloc((size_t)total + 1, sizeof *sent);
	merge_incomplete(out);
	for (int k = 0; out[k]; k++) {
		GSM_MultiSMSMessage *g = out[k];
		if (g->Number == 0)
			continue;    /* merged into an earlier group */
		if (g->Number < parts_total(g) && hold_incomplete(m, g, now, partial_wait_s))
			continue;
		decode(m, g, msg);
		int r = cb(arg, msg);
		if (r != BW_OK && r != BW_EEXIST)
			continue;
		if (m->group_commit) {
			/* deleted after the pass's one commit */
			take[k] = 1;
			ids[k] = msg->id;
			sent[k] = msg->sent_at;
			continue;
		}
		if ((rc = forget_group(m, g, msg, deleted, arg, e)))
			break;
	}
	/* one commit for the pass, then the deletes: a crash between them reads the messages
	 * again, and the inbox knows them (BW_EEXIST) */
	int any = 0;
	for (int k = 0; m->group_commit && out[k]; k++)
		any |= take[k];
	if (any && m->group_commit(arg) == BW_OK) {
		for (int k = 0; out[k] && rc == BW_OK; k++) {
			if (!take[k])
				continue;
			msg->id = ids[k];
			msg->sent_at = sent[k];
			rc = forget_group(m, out[k], msg, deleted, arg, e);
		}
	}
	for (int k = 0; out[k]; k++)
		free(out[k]);
	free(take);
	free(ids);
	free(sent);
	free(msg);
	free(in);
	free(out);
	if (rc == BW_OK)
		m->failures = 0;
	return rc;
}

/* ---- send ---- */

/* Encodes utf8 into g with libGammu's multipart encoder. */
static int encode(const char *utf8, GSM_MultiSMSMessage *g, bw_err *e)
{
	size_t len = strlen(utf8);
	if (!bw_utf8_valid(utf8, len))
		return bw_fail(e, BW_EINVAL, "sms: text is not UTF-8");
	unsigned char *ucs = bw_xcalloc(len + 1, 4);
	DecodeUTF8(ucs, utf8, len);
	GSM_MultiPartSMSInfo info;
	GSM_ClearMultiPartSMSInfo(&info);
	info.EntriesNum = 1;
	info.UnicodeCoding = FALSE;     /* the Auto ID decides: GSM-7 if it can */
	info.Class = -1;
	info.Entries[0].ID = SMS_ConcatenatedAutoTextLong;
	info.Entries[0].Buffer = ucs;
	GSM_Error err = GSM_EncodeMultiPartSMS(GSM_GetGlobalDebug(), &info, g);
	free(ucs);
	if (err != ERR_NONE)
		return bw_fail(e, BW_EINVAL, "sms: cannot encode: %s", GSM_ErrorString(err));
	if (g->Number > SMS_PARTS_MAX)
		return bw_fail(e, BW_ETOOBIG, "sms: %d parts (at most %d)", g->Number, SMS_PARTS_MAX);
	return BW_OK;
}

int sms_encode(const char *utf8, sms_encoding *out, bw_err *e)
{
	GSM_MultiSMSMessage *g = bw_xcalloc(1, sizeof *g);
	int rc = encode(utf8, g, e);
	if (rc == BW_OK) {
		out->parts = g->Number;
		out->ref = 0;
		out->ucs2 = 0;
		for (int i = 0; i < g->Number; i++) {
			out->ucs2 |= g->SMS[i].Coding == SMS_Coding_Unicode_No_Compression;
			to_utf8(g->SMS[i].Text, out->part_text[i], sizeof out->part_text[i]);
		}
	}
	free(g);
	return rc;
}

/* Refills the bucket: rate_per_minute tokens a minute, holding at most 2 (one reply of
 * two parts goes out at once, never a burst beyond it). */
static void refill(sms_modem *m)
{
	int64_t now = sms_mono_ns();
	m->tokens += (double)(now - m->tokens_at_ns) * m->conf.rate_per_minute / 60e9;
	if (m->tokens > 2)
		m->tokens = 2;
	m->tokens_at_ns = now;
}

/* A message needs min(parts, 2) tokens to start; it may leave the bucket in debt, so a
 * longer message still goes out and the next one waits longer. */
static double need(int parts)
{
	return parts < 2 ? parts : 2;
}

int sms_modem_can_send(sms_modem *m, int parts)
{
	refill(m);
	return m->tokens >= need(parts);
}

int sms_modem_send_wait_ms(sms_modem *m, int parts)
{
	refill(m);
	double missing = need(parts) - m->tokens;
	if (missing <= 0)
		return 0;
	return (int)(missing * 60000.0 / m->conf.rate_per_minute) + 1;
}

/* Puts the caller's concatenation reference into every part's header, in place of the
 * one libGammu took from the clock. */
static void set_ref(GSM_MultiSMSMessage *g, unsigned ref)
{
	for (int i = 0; i < g->Number; i++) {
		GSM_UDHHeader *u = &g->SMS[i].UDH;
		if (u->Type == UDH_ConcatenatedMessages) {
			u->Text[3] = (unsigned char)(ref & 0xff);
			u->ID8bit = (int)(ref & 0xff);
		} else if (u->Type == UDH_ConcatenatedMessages16bit) {
			u->Text[3] = (unsigned char)((ref >> 8) & 0xff);
			u->Text[4] = (unsigned char)(ref & 0xff);
			u->ID16bit = (int)(ref & 0xffff);
		}
	}
}

int sms_modem_send(sms_modem *m, const char *dest, const sms_encoding *enc, unsigned skip,
                   unsigned *sent, bw_err *e)
{
	*sent = 0;
	if (!m->connected)
		return bw_fail(e, BW_EIO, "%s: not connected", m->conf.name);
	GSM_MultiSMSMessage *g = bw_xcalloc(1, sizeof *g);
	char text[SMS_PARTS_MAX * 700] = "";
	for (int i = 0; i < enc->parts; i++)
		append(text, sizeof text, enc->part_text[i]);
	int rc = encode(text, g, e);
	if (rc == BW_OK && g->Number != enc->parts)
		rc = bw_fail(e, BW_EINVAL, "sms: encoding changed (%d parts, %d expected)",
			     g->Number, enc->parts);
	if (rc) {
		free(g);    /* nothing went to the modem: no token taken */
		return rc;
	}
	set_ref(g, enc->ref);
	refill(m);
	for (int i = 0; rc == BW_OK && i < g->Number; i++) {
		if (skip & (1u << i))
			continue;
		GSM_SMSMessage *s = &g->SMS[i];
		DecodeUTF8(s->Number, dest, strlen(dest));
		s->PDU = SMS_Submit;
		s->SMSC.Location = 0;   /* the SIM's own service centre */
		s->SMSC.Number[0] = s->SMSC.Number[1] = 0;
		m->tokens -= 1;         /* handed to the modem, whatever comes of it */
		if (m->conf.fault_hangs > 0) {
			m->hanging = 1;
			m->conf.fault_hangs--;
			rc = failed(m, e, "send (injected fault)", ERR_TIMEOUT);
			break;
		}
		if (m->conf.fault_sends > 0 || m->conf.fault_part == i + 1) {
			if (m->conf.fault_part == i + 1)
				m->conf.fault_part = 0;
			else
				m->conf.fault_sends--;
			m->failures++;
			rc = bw_fail(e, BW_EIO, "%s: send: refused by the network (injected fault, part %d of %d)",
				     m->conf.name, i + 1, g->Number);
			break;
		}
		m->send_done = 0;
		m->send_status = -1;
		GSM_Error err = G(m, GSM_SendSMS(m->sm, s));
		if (err != ERR_NONE) {
			rc = failed(m, e, "send", err);
			break;
		}
		/* a real modem confirms later: read its replies until it does */
		int64_t t0 = sms_mono_ns();
		while (!m->send_done && sms_mono_ns() - t0 < SEND_CONFIRM_NS)
			G(m, GSM_ReadDevice(m->sm, TRUE));
		if (!m->send_done || m->send_status != 0) {
			m->failures++;
			rc = bw_fail(e, BW_EIO, "%s: send: %s (part %d of %d)", m->conf.name,
				     m->send_done ? "refused by the network" : "no confirmation",
				     i + 1, g->Number);
			break;
		}
		*sent |= 1u << i;
	}
	if (rc == BW_OK)
		m->failures = 0;
	free(g);
	return rc;
}
