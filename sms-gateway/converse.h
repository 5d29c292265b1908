/* converse.h: the conversation with a citizen by SMS: what each received message does
 * (file a request, tell a status, help, STOP/START, a short menu when something is
 * missing), the abuse rules, the reply in the citizen's language from the catalogues,
 * and the SMS that tells a citizen their request moved. Pure logic over the grammar and
 * the store: no modem, testable on a database file. */
#ifndef SMS_CONVERSE_H
#define SMS_CONVERSE_H

#include <stdint.h>

#include "bw_err.h"
#include "bw_log.h"
#include "bw_request.h"
#include "bw_store.h"
#include "smsdb.h"

#define SMS_MENU_MAX 9
#define SMS_URL_MAX 30        /* worst cases the reply templates are tested with */
#define SMS_PHONE_MAX 15

/* [conversation] and [abuse] settings (the gateway's configuration). */
typedef struct sms_conv_settings {
	int timeout;               /* s a conversation waits for the next message */
	int partial_wait;          /* s a multipart message waits for a missing part */
	char darija_lang[4];       /* reply language for Darija in Latin letters: fr | ar */
	char menu_admins[256];     /* catalogue codes offered in the menu, comma-separated;
	                            * "" = the first 9 by code */
	char info_url[SMS_URL_MAX + 1];      /* where a long answer can be read */
	char info_phone[SMS_PHONE_MAX + 1];  /* and the number to call */
	char quiet_start[6], quiet_end[6];   /* "21:00", "08:00": no notification between */
	int rate_max, rate_window; /* at most rate_max messages per rate_window s per number */
	int junk_max, junk_window; /* unparseable messages before a number is muted */
	int repeat_max;            /* identical messages in a row before a number is muted */
	int mute_for;              /* s a suspected auto-responder is not answered */
	int help_period;           /* s between help replies to oversize or binary messages */
	int oversize;              /* characters above which a message is not processed */
} sms_conv_settings;

/* The defaults (30 min conversations, 10 min for a missing part, Darija answered in
 * French, quiet 21:00-08:00 at UTC+1, 10 messages an hour, 5 unparseable or 3 identical
 * in 10 min mute a number for an hour, help to oversize/binary once a day). */
void sms_conv_settings_default(sms_conv_settings *s);

/* How a complete request is filed: bw_sync_submit in the gateway (the reference is given
 * offline-first), sms_submit_local without a hub. Must be idempotent on r->uid: a second
 * call with a stored uid returns BW_EEXIST and r filled from the stored row. */
typedef int (*sms_submit_fn)(void *arg, bw_request *r, bw_err *e);

/* Files into the local store directly: reference from device number num. */
typedef struct sms_local_filer {
	bw_store *st;
	unsigned num;
	char device[BW_CODE_MAX + 1];
	char site[BW_CODE_MAX + 1];
} sms_local_filer;
int sms_submit_local(void *arg, bw_request *r, bw_err *e);

typedef struct sms_conv {
	const sms_conv_settings *set;   /* borrowed */
	sms_db *db;                     /* borrowed */
	bw_store *st;
	sms_submit_fn submit;
	void *submit_arg;
	const bw_log *log;
	int nmenu;
	char menu[SMS_MENU_MAX][BW_CODE_MAX + 1];
	/* administrations and the words that name them (code, short names), folded */
	int nadmins;
	struct sms_admin_word { char code[BW_CODE_MAX + 1]; char word[3][64]; } *admins;
} sms_conv;

/* Sets c up: checks the menu codes against the catalogue and loads the words that name
 * each administration. The catalogues must be bound (bw_i18n_init "sms"). BW_EINVAL for
 * an unknown menu code ("menu_admins: FOO is not in the catalogue"). */
int sms_conv_init(sms_conv *c, const sms_conv_settings *set, sms_db *db, sms_submit_fn submit,
                  void *submit_arg, const bw_log *log, bw_err *e);
void sms_conv_free(sms_conv *c);

/* Processes inbox message m (received at `now`, UTC seconds): files through submit when
 * the request is complete (before anything else is written, so a crash retries with the
 * same uid), then in one transaction updates the conversation, opt-out and counters,
 * queues the reply (if any) and marks m done. *outcome (may be NULL) gets a static word:
 * "filed", "status", "menu", "help", "stop", "start", "ignored:sender", "optout",
 * "rate", "muted", "loop", "oversize", "binary", "expired", "error". BW_OK, or BW_EDB
 * (nothing changed: m stays new and is processed again later). */
int sms_conv_handle(sms_conv *c, const sms_in *m, int64_t now, const char **outcome,
                    bw_err *e);

/* A status change of request r (its reference ref) from the hub: queues an SMS to its
 * author in their language if it came by SMS, the number did not opt out, and the event
 * changes the request's state (not the first one, not a deadline moved by a holiday);
 * held until the end of the quiet hours. Idempotent: one SMS per
 * event uid however often it is told (sms_outbox.event_uid is UNIQUE: the row already
 * there is success). Writes in the transaction open on the store's connection if there
 * is one (bw_sync applies a notification and calls this in one transaction, rolled back
 * and replayed when this fails), in one statement of its own otherwise: it never begins,
 * commits or rolls back the caller's transaction. BW_OK (also when nothing is sent),
 * BW_EDB when the SMS could not be queued (the caller must roll back, or the event is
 * marked told without its SMS). */
int sms_conv_notify(sms_conv *c, const bw_event *ev, const char *ref, const bw_request *r,
                    int64_t now, bw_err *e);

/* Decides the quiet hours at send time (a notification queued at 20:55 behind a backlog
 * must not leave at 23:00): in the quiet hours, every queued notification waits until
 * they end; replies to a citizen's own message still go. Call before taking due SMS.
 * *held (may be NULL) gets how many rows were held. BW_OK or BW_EDB. */
int sms_conv_hold_quiet(sms_conv *c, int64_t now, int *held, bw_err *e);

/* Ends up to max conversations that timed out, telling each citizen politely (held until
 * morning at night). *n (may be NULL) gets how many. */
int sms_conv_expire(sms_conv *c, int64_t now, int max, int *n, bw_err *e);

/* The time a message queued at now may leave: now, or the end of the quiet hours. */
int64_t sms_conv_not_before(const sms_conv_settings *s, int64_t now);

/* Fills a reply template: every {name} in tmpl is replaced by the value of that name in
 * names/values (n pairs); an unknown name is kept as written. out is always terminated. */
void sms_fill(char *out, size_t size, const char *tmpl, int n, const char *const *names,
              const char *const *values);

/* The menu of administrations in lang ("1 Santé, 2 ...") into out. */
void sms_conv_menu(const sms_conv *c, const char *lang, char *out, size_t size);

#endif
