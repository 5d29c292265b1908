/* smsdb.h: the SMS gateway's tables (db/migrations/0003_sms.sql): inbox, send queue, sent
 * parts, conversations, opt-outs and abuse counters, through prepared statements on the
 * gateway's own store connection. */
#ifndef SMS_DB_H
#define SMS_DB_H

#include <stdint.h>

#include "bw_err.h"
#include "bw_request.h"
#include "bw_store.h"

#define SMS_SENDER_MAX 40            /* bytes of a sender as the modem gives it */
#define SMS_TEXT_SIZE 16384          /* bytes of a whole received message (50 parts) */
#define SMS_OUT_SIZE 2048            /* bytes of a message we send (a few parts at most) */

typedef struct sms_db sms_db;

/* Prepares the statements on st's connection (borrowed: st must outlive the sms_db).
 * The store must be at schema 3 or later (bw_store_open applies migrations). */
int sms_db_open(sms_db **out, bw_store *st, bw_err *e);
void sms_db_close(sms_db *d);
bw_store *sms_db_store(sms_db *d);

/* ---- inbox ---- */

/* One received message, multipart parts linked and decoded to UTF-8. */
typedef struct sms_in {
	int64_t id;                         /* set by sms_db_inbox_add / _next */
	char sender[SMS_SENDER_MAX + 1];
	char modem[BW_CODE_MAX + 1];
	int64_t sent_at;                    /* network (SMSC) timestamp, UTC seconds; negative
	                                     * when the modem gave none (sms_modem_receive) */
	int64_t received_at;
	int parts, parts_total;
	char coding[8];                     /* "gsm", "ucs2", "8bit" */
	char req_uid[BW_UID_LEN + 1];       /* set by sms_db_inbox_add */
	char text[SMS_TEXT_SIZE];
} sms_in;

/* 64-bit FNV-1a of s as 16 hex digits in out[17]: the content part of the dedupe key. */
void sms_text_hash(const char *s, char out[17]);

/* Commits m to the inbox at once (autocommit: it must be on disk before the modem
 * deletes it), giving it a request uid; m->id is set. BW_EEXIST when the same sender,
 * timestamp and text are already there (m->id is then the stored row); BW_EDB. */
int sms_db_inbox_add(sms_db *d, sms_in *m, bw_err *e);

/* Message id's parts are gone from the modem. A message without a network timestamp
 * is recognised by its place on the modem (sent_at < 0); once deleted, that place may
 * hold the next message, so the row gives its key up (sent_at becomes -(2^32 + id)) and
 * the same text landing there again is a new message. Nothing for other rows. */
int sms_db_inbox_deleted(sms_db *d, int64_t id, bw_err *e);

/* The oldest message not yet processed into *out; BW_ENOTFOUND when none. */
int sms_db_inbox_next(sms_db *d, sms_in *out, bw_err *e);

/* Marks message id processed with a short outcome ("filed", "status", "ignored:alnum").
 * Call inside the transaction that queues its reply. */
int sms_db_inbox_done(sms_db *d, int64_t id, const char *outcome, bw_err *e);

/* ---- send queue ---- */

/* Queues an SMS. inbox_id > 0 makes it the reply to that message, event_uid (non-NULL)
 * a notification of that hub event: either key makes it idempotent (BW_EEXIST, nothing
 * added). not_before holds it back (quiet hours), 0 = now. */
int sms_db_outbox_add(sms_db *d, const char *dest, const char *text, const char *lang,
                      int64_t inbox_id, const char *event_uid, int64_t not_before,
                      int64_t now, bw_err *e);

typedef struct sms_out {
	int64_t id;
	char dest[SMS_SENDER_MAX + 1];
	char lang[4];
	char purpose[8];                    /* "reply" or "notify" */
	int attempts;
	char text[SMS_OUT_SIZE];
} sms_out;

/* The oldest queued SMS due at now (next_try_at <= now) with id > after_id (so a caller
 * can skip rows it already tried this tick); BW_ENOTFOUND when none. */
int sms_db_outbox_due(sms_db *d, int64_t now, int64_t after_id, sms_out *out, bw_err *e);

/* Records a finished send: the row becomes 'sent'. */
int sms_db_outbox_sent(sms_db *d, int64_t id, const char *modem, int parts,
                       const char *coding, int64_t now, bw_err *e);

/* Records a failed attempt: retried at next_try_at, or given up ('failed') when
 * next_try_at < 0. */
int sms_db_outbox_retry(sms_db *d, int64_t id, const char *modem, int attempts,
                        int64_t next_try_at, const char *error, bw_err *e);

/* Records one part handed to a modem. */
int sms_db_part_add(sms_db *d, int64_t outbox_id, int part, int parts, const char *dest,
                    const char *modem, const char *coding, const char *text, int64_t now,
                    bw_err *e);

/* Calls fn for every part of outbox row outbox_id recorded as handed to a modem, in the
 * order they went (a retry sends only the others); fn returning non-zero stops. BW_EDB. */
typedef int (*sms_part_fn)(void *arg, int part, int parts, const char *modem,
                           const char *text);
int sms_db_parts_each(sms_db *d, int64_t outbox_id, sms_part_fn fn, void *arg, bw_err *e);

/* STOP from dest: its queued notifications (purpose 'notify': status changes, ended
 * conversations, whether held for the night or waiting for a retry) become 'dropped'.
 * Call inside the transaction that records the opt-out. */
int sms_db_outbox_drop_notify(sms_db *d, const char *dest, bw_err *e);

/* Every queued notification (purpose 'notify') that would go before until waits until
 * then (the quiet hours, decided at send time); *held (may be NULL) gets how many. */
int sms_db_outbox_hold_notify(sms_db *d, int64_t until, int *held, bw_err *e);

/* Row id will not be sent: 'dropped', with why as its error. */
int sms_db_outbox_drop(sms_db *d, int64_t id, const char *why, bw_err *e);

/* SMS still queued (the heartbeat's send-queue figure); -1 on error. */
long sms_db_outbox_pending(sms_db *d);

/* ---- conversations ---- */

typedef struct sms_conversation {
	char phone[SMS_SENDER_MAX + 1];
	char step[8];                       /* "kind", "admin", "text", "name", "idnum" */
	int kind;                           /* enum bw_kind, -1 not chosen yet */
	char admin[BW_CODE_MAX + 1];
	char lang[4];
	char text[BW_CHARS(BW_TEXT_MAX)];
	char name[BW_CHARS(BW_NAME_MAX)];
	char id_number[BW_IDNUM_MAX + 1];
	int64_t updated_at, expires_at;
} sms_conversation;

/* The conversation of phone into *out; BW_ENOTFOUND when none (expired ones included:
 * the caller compares expires_at). */
int sms_db_conv_get(sms_db *d, const char *phone, sms_conversation *out, bw_err *e);
int sms_db_conv_put(sms_db *d, const sms_conversation *c, bw_err *e);
int sms_db_conv_del(sms_db *d, const char *phone, bw_err *e);
/* One conversation that expired before now; BW_ENOTFOUND when none. */
int sms_db_conv_expired(sms_db *d, int64_t now, sms_conversation *out, bw_err *e);

/* ---- opt-outs ---- */

/* 1 if phone sent STOP (and no START since), 0 if not, negative on error. */
int sms_db_optout_is_set(sms_db *d, const char *phone);
int sms_db_optout_set(sms_db *d, const char *phone, int out, int64_t now, bw_err *e);

/* ---- abuse counters ---- */

typedef struct sms_sender {
	char phone[SMS_SENDER_MAX + 1];
	int64_t win_start;  int win_count;     /* rate-limit window */
	int64_t junk_start; int junk_count;    /* unparseable messages */
	char last_hash[17]; int repeats;       /* identical messages in a row */
	int64_t muted_until;                   /* loop suspected: no reply until then */
	int64_t help_at;                       /* last help reply for oversize / binary */
} sms_sender;

/* The counters of phone (zeroes, phone set, if it has none). */
int sms_db_sender_get(sms_db *d, const char *phone, sms_sender *out, bw_err *e);
int sms_db_sender_put(sms_db *d, const sms_sender *s, bw_err *e);

#endif
