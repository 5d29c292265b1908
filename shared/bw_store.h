/* bw_store.h: the SQLite store shared by the hub and the devices: requests, events,
 * catalogue, holidays, reference counters. Schema only through db/migrations. */
#ifndef BW_STORE_H
#define BW_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "bw_calendar.h"
#include "bw_err.h"
#include "bw_request.h"

typedef struct bw_store bw_store;
struct sqlite3;

/* Opens (creating if needed) the database at path, sets WAL, the durability below,
 * foreign keys, a busy timeout, and applies every migration newer than the file's
 * PRAGMA user_version, each in its own transaction. BW_ESCHEMA if the file is newer than
 * this program. *out is owned by the caller.
 *
 * Durability, the one rule: every commit is durable at a power cut (WAL with
 * synchronous=FULL: the WAL is fsynced at each commit), because every bawaba database
 * holds commits the outside world relies on as soon as they return: the hub acks after
 * its commit (the device then forgets the request), the kiosk shows and prints the
 * receipt after its commit, the gateway sends the confirmation SMS and deletes the SMS
 * from the modem after its commit, the CLI tells the operator "done". In WAL mode
 * synchronous=NORMAL survives a crash of the program but may roll back the last
 * commits at a power cut. The open fails if SQLite does not confirm FULL, and
 * bw_store_synchronous says what the connection uses (tests check every program).
 * BW_STORE_SCRATCH is only for data nobody relies on and that is rebuilt at start (an
 * in-memory catalogue, a benchmark's reference run): synchronous=NORMAL.
 * Files are created 0600 (personal data), whatever the umask; see bw_private_dir. */
enum { BW_STORE_SCRATCH = 1, BW_STORE_READONLY = 2 };
int bw_store_open(bw_store **out, const char *path, int flags, bw_err *e);
void bw_store_close(bw_store *s);

int bw_store_schema_version(bw_store *s);   /* the PRAGMA user_version */
/* The connection's PRAGMA synchronous: 2 (FULL, the rule), 1 (NORMAL, scratch only),
 * -1 if it cannot be read. */
int bw_store_synchronous(bw_store *s);
int bw_store_schema_latest(void);           /* highest migration compiled in */
struct sqlite3 *bw_store_db(bw_store *s);   /* for tests and benchmarks only */

/* An online copy of the database at path into dest (a new file), while other programs
 * keep writing to path: the copy is the database as of one commit, one self-contained
 * file, and passes the engine's integrity check, else BW_EDB (dest may then hold a
 * partial copy: the caller removes it). *pages gets its size in the engine's pages.
 * The caller places dest (sync, rename). */
int bw_store_backup(const char *path, const char *dest, long *pages, bw_err *e);

/* A number kept under a name in the store (table sync_state: cursors, counters that must
 * survive a restart, such as the kiosk's wrong agent PINs). Get: *v = 0 when absent. */
int bw_store_counter_get(bw_store *s, const char *key, int64_t *v, bw_err *e);
int bw_store_counter_set(bw_store *s, const char *key, int64_t v, bw_err *e);

/* Loads the seed catalogue and the holiday table (compiled in from db/seed) with
 * INSERT OR IGNORE, so it is safe to run again and keeps an operator's corrections. */
int bw_store_seed(bw_store *s, bw_err *e);

/* Explicit transaction for group commit: store calls made between begin and commit
 * share one transaction (they use savepoints inside it). */
int bw_store_begin(bw_store *s, bw_err *e);
int bw_store_commit(bw_store *s, bw_err *e);
void bw_store_rollback(bw_store *s);

/* ---- catalogue ---- */
typedef struct bw_admin {
	char code[BW_CODE_MAX + 1];
	char name_ar[256], name_fr[256], name_zgh[256];
	char officer[128];    /* the information officer (law 31.13 art. 13) */
} bw_admin;

typedef struct bw_category {
	char code[BW_CODE_MAX + 1];
	char admin[BW_CODE_MAX + 1];   /* "" = offered for every administration */
	unsigned kinds;                /* bit (1 << kind) for each kind it applies to */
	char name_ar[256], name_fr[256], name_zgh[256];
} bw_category;

typedef struct bw_site {
	char code[BW_CODE_MAX + 1];
	char admin[BW_CODE_MAX + 1];
	char city[64];
	char name_ar[256], name_fr[256], name_zgh[256];
} bw_site;

int bw_store_admin_get(bw_store *s, const char *code, bw_admin *out, bw_err *e);
int bw_store_admins(bw_store *s, int (*cb)(const bw_admin *, void *), void *arg, bw_err *e);
int bw_store_categories(bw_store *s, const char *admin, int kind,
                        int (*cb)(const bw_category *, void *), void *arg, bw_err *e);
int bw_store_sites(bw_store *s, int (*cb)(const bw_site *, void *), void *arg, bw_err *e);
/* 1 if category exists and applies to (admin, kind). */
int bw_store_category_ok(bw_store *s, const char *category, const char *admin, int kind);
/* The site `code` into *out (may be NULL: does it exist); BW_ENOTFOUND, BW_EDB. */
int bw_store_site_get(bw_store *s, const char *code, bw_site *out, bw_err *e);

/* How many rows the catalogue and the holiday table hold (what `bawaba init` reports). */
typedef struct bw_catalogue_size {
	long admins, sites, categories, holidays;
} bw_catalogue_size;
int bw_store_catalogue_size(bw_store *s, bw_catalogue_size *out, bw_err *e);

/* Adds, or updates by code, one entry as the hub publishes the catalogue (a device
 * applying pub/catalogue); an administration's officer is not published and stays.
 * Call between bw_store_begin and bw_store_commit to apply a whole table at once. */
int bw_store_admin_put(bw_store *s, const bw_admin *a, bw_err *e);
int bw_store_category_put(bw_store *s, const bw_category *c, bw_err *e);
int bw_store_site_put(bw_store *s, const bw_site *x, bw_err *e);

/* ---- requests ---- */

/* Reference for a new request: the next sequence of device_num, taken inside the
 * current transaction (call between bw_store_begin and the insert's commit). */
int bw_store_next_ref(bw_store *s, unsigned device_num, char ref[13], bw_err *e);

/* Validates r, checks the administration and category in the catalogue, computes the
 * deadline from the holiday table, inserts the request and its first event (actor,
 * state received). Idempotent on r->uid: if the uid is already stored, nothing changes
 * and BW_EEXIST is returned with r filled from the stored row (so a re-sent request
 * gets the same reference). BW_EINVAL/BW_ETOOBIG from validation; BW_EEXIST also if
 * the reference is taken by another uid (message says which). */
int bw_store_insert(bw_store *s, bw_request *r, const char *actor, bw_err *e);

int bw_store_get(bw_store *s, const char *ref, bw_request *out, bw_err *e);

/* On a device, once the hub has acknowledged the request `uid` (issue 11: a stolen kiosk
 * carries no one's requests): its text, name, ID number, address, contact and, unless
 * keep_phone (a gateway sends the citizen's SMS notifications to it), phone are emptied,
 * and its receipt code in clear goes: a kiosk (!keep_phone) keeps a salted hash of it
 * (bw_rcode_hash), so a status question still opens the answer offline; a gateway, which
 * answers status SMS by the sender's number, keeps nothing of it. What offline status needs stays: reference, kind,
 * state, dates. BW_OK (also for an unknown uid, or one forgotten already), BW_EDB. */
int bw_store_forget(bw_store *s, const char *uid, int keep_phone, bw_err *e);
int bw_store_get_uid(bw_store *s, const char *uid, bw_request *out, bw_err *e);
/* *n gets the request's number in this store: the order in which it arrived, an id that
 * says nothing of the request (an anonymous export's). BW_ENOTFOUND, BW_EDB. */
int bw_store_request_number(bw_store *s, const char *uid, int64_t *n, bw_err *e);
/* Gives the request `ref` the receipt code `code` (BW_RCODE_LEN digits): the kiosk's
 * screenshot walk needs one that stays the same from run to run. BW_EINVAL, BW_ENOTFOUND. */
int bw_store_code_set(bw_store *s, const char *ref, const char *code, bw_err *e);

typedef struct bw_filter {
	int state;             /* enum bw_state or -1 */
	int kind;              /* enum bw_kind or -1 */
	int channel;           /* enum bw_channel or -1 */
	const char *admin, *site, *device;  /* NULL = any */
	const char *overdue_on; /* "YYYY-MM-DD": only open requests whose deadline is before it */
	const char *from, *to;  /* received_on range, inclusive; NULL = open */
	int limit;              /* 0 = no limit */
} bw_filter;

void bw_filter_init(bw_filter *f);
/* Calls cb for each matching request, oldest deadline first; cb returning non-zero stops
 * the walk and that value is returned. */
int bw_store_list(bw_store *s, const bw_filter *f,
                  int (*cb)(const bw_request *, void *), void *arg, bw_err *e);

/* ---- lifecycle ---- */
#define BW_NOTE_MAX 2000
#define BW_ACTOR_MAX 64

typedef struct bw_event {
	int64_t id;                       /* hub-local order */
	char uid[BW_UID_LEN + 1];         /* event id, for sync */
	char request_uid[BW_UID_LEN + 1];
	int64_t at;                       /* UTC seconds */
	char actor[BW_ACTOR_MAX + 1];     /* "agent:amina", "citizen", "device:kiosk-01" */
	int old_state, new_state;         /* -1 for the first event's old state */
	char note[BW_CHARS(BW_NOTE_MAX)]; /* answer text, reason, comment */
} bw_event;

/* Moves the request `ref` to state `to` if the lifecycle allows it, appends the event,
 * and updates the deadline (extension: +20 working days, +3 days for an urgent request;
 * appeal; reopen), all in one transaction. `at` is when it happens; its date in Morocco
 * is "today" for the legal checks. Notes are required where bw_state_needs_note says so.
 * BW_ESTATE with the reason if not allowed, including: a second extension in the
 * request's life (law 31.13 art. 16: once), an extension after the deadline ended (the
 * requester is told before), an appeal after its window (bw_store_appeal_window) or,
 * on silence, before the deadline ended. ev (if not NULL) receives the appended event. */
int bw_store_transition(bw_store *s, const char *ref, enum bw_state to, const char *actor,
                        const char *note, int64_t at, bw_event *ev, bw_err *e);

/* Applies an event made elsewhere (on a device: a citizen reopening or withdrawing) under
 * its own uid, so it is recorded once however often it is delivered: the request
 * in->request_uid moves to in->new_state by the rules of bw_store_transition, the event
 * keeping in->uid, at, actor and note (in->old_state and in->id are not used). out (may be
 * NULL) gets the event as stored. BW_EEXIST if an event with this uid is stored already
 * (nothing changes; out gets the stored one); BW_ENOTFOUND for an unknown request;
 * otherwise as bw_store_transition. */
int bw_store_apply_event(bw_store *s, const bw_event *in, bw_event *out, bw_err *e);

/* The window in which an information request may be appealed to the head of the body
 * (law 31.13 art. 19: 20 working days, rule "appeal-window"). Counted from the day
 * (Morocco) of the last answer or refusal when the request is answered, rejected, or
 * closed after one; else from its deadline (an appeal on silence: *on_silence, may be
 * NULL, gets 1). *since gets that day, *until the last day an appeal is accepted.
 * bw_store_transition refuses under_appeal after *until. */
int bw_store_appeal_window(bw_store *s, const bw_request *r, bw_day *since, bw_day *until,
                           int *on_silence, bw_err *e);

/* Events of a request, in order. */
int bw_store_events(bw_store *s, const char *request_uid,
                    int (*cb)(const bw_event *, void *), void *arg, bw_err *e);

/* ---- holidays ---- */
typedef struct bw_holiday {
	char day[BW_DATE_LEN + 1];
	char name_ar[128], name_fr[128];
	int islamic;     /* moves with the moon */
	int confirmed;   /* 0 = expected date, 1 = confirmed by the authorities */
} bw_holiday;

/* Adds or updates (same day) a holiday, then recomputes the deadline of every open
 * request, in one transaction; *recomputed (may be NULL) gets how many changed. */
int bw_store_holiday_add(bw_store *s, const bw_holiday *h, int *recomputed, bw_err *e);
int bw_store_holiday_remove(bw_store *s, const char *day, int *recomputed, bw_err *e);
/* Replaces the whole holiday table by h[0..n) (a device applying the hub's published
 * table: a moved holiday moves, a withdrawn one goes), then recomputes every open deadline,
 * all in one transaction. BW_EINVAL for a bad day or a holiday without a name (nothing
 * changes). */
int bw_store_holidays_replace(bw_store *s, const bw_holiday *h, size_t n, int *recomputed, bw_err *e);
int bw_store_holiday_list(bw_store *s, const char *from, const char *to,
                          int (*cb)(const bw_holiday *, void *), void *arg, bw_err *e);
/* The holiday days as a bw_holidays view; the store owns the memory, valid until the
 * next store call. The view is cached and reloaded when the table changed, through this
 * handle or any other connection to the file (another process: PRAGMA data_version). */
int bw_store_holidays(bw_store *s, bw_holidays *out, bw_err *e);
/* Drops the store's caches (the holiday days), for a caller that changed the tables
 * through bw_store_db() on this same connection, which data_version does not see. */
void bw_store_invalidate_caches(bw_store *s);

/* Deadline of a stored request with the holidays it skipped (for `show`). */
int bw_store_deadline(bw_store *s, const bw_request *r, bw_deadline *out, bw_err *e);

/* ---- indicators (action plan, commitment 10) ---- */
typedef struct bw_report_row {
	char admin[BW_CODE_MAX + 1];
	int kind;
	long total;             /* received in the period */
	long answered;          /* reached answered (or rejected with a reason) */
	long answered_in_time;  /* ... on or before the deadline */
	long overdue;           /* not answered, and the deadline passed before today */
	long reopened;          /* reopened at least once */
} bw_report_row;

/* Rows per administration and kind of the requests received in [from, to] (NULL = open),
 * of one site when site is not NULL, of one administration when admin is not NULL (an
 * agent restricted to one administration sees only its figures). today ("YYYY-MM-DD",
 * legal time) says which deadlines have passed (NULL: overdue stays 0). The indicators
 * made of these counts are defined once, in bw_indicator.h. */
int bw_store_report(bw_store *s, const char *from, const char *to, const char *today,
                    const char *site, const char *admin,
                    int (*cb)(const bw_report_row *, void *), void *arg, bw_err *e);

#endif
