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

/* ---- a device's outbox and the hub's notifications (store_outbox.c, store_notify.c;
 * the edge sync, bw_sync*.c, is their user) ---- */

/* An outbox row: a request or a citizen's event, as sent on the wire, waiting for the
 * hub's acknowledgement. */
typedef struct bw_outbox_row {
	int64_t seq;                 /* its order */
	char uid[BW_UID_LEN + 1];    /* the request's or the event's uid */
	int is_evt;
	const char *payload;         /* valid during the callback only */
	size_t len;
} bw_outbox_row;

/* Adds the row of a request (is_evt 0) or an event, made at `at`; in the caller's
 * transaction (bw_edge_file's), so it commits with what it carries. BW_EDB. */
int bw_store_outbox_add(bw_store *s, int is_evt, const char *uid, const char *payload, size_t len,
                        int64_t at, bw_err *e);
/* Calls cb for the unacknowledged rows after seq `after`, in order, at most limit, until
 * it returns non-zero. BW_OK or BW_EDB. */
int bw_store_outbox_next(bw_store *s, int64_t after, int limit,
                         int (*cb)(const bw_outbox_row *, void *), void *arg, bw_err *e);
/* Calls cb for the row seq if it is still unacknowledged; BW_ENOTFOUND if it is not. */
int bw_store_outbox_get(bw_store *s, int64_t seq, int (*cb)(const bw_outbox_row *, void *),
                        void *arg, bw_err *e);
/* Marks the row uid acknowledged at `at` with the hub's status and reason ("" or NULL:
 * none); *changed is 0 when it was acknowledged already (a re-sent duplicate's ack). */
int bw_store_outbox_ack(bw_store *s, const char *uid, int64_t at, const char *status,
                        const char *reason, int *changed, bw_err *e);
/* One more attempt of row seq, the next one due at next_try_at (s, epoch): for operators. */
int bw_store_outbox_retry(bw_store *s, int64_t seq, int64_t next_try_at, bw_err *e);
/* Why the last attempt of row seq failed (the broker refused it). */
int bw_store_outbox_error(bw_store *s, int64_t seq, const char *why, bw_err *e);
/* Empties the payload of row uid: the hub holds it now (issue 11). */
int bw_store_outbox_forget(bw_store *s, const char *uid, bw_err *e);
/* Rows not yet acknowledged; -1 on error. */
long bw_store_outbox_depth(bw_store *s);
/* The hub's deadline for request uid (YYYY-MM-DD), taken only while the device has
 * recorded no notification of it (then notifications carry the deadline); *changed 1 if
 * the stored one differed. */
int bw_store_hub_deadline(bw_store *s, const char *uid, const char *day, int *changed, bw_err *e);
/* Truncates the WAL, so pages of forgotten fields do not linger in it. */
int bw_store_wal_truncate(bw_store *s, bw_err *e);

/* A status change the hub notified to a device (down/notify). */
typedef struct bw_notice {
	int64_t id, prev;         /* the hub's event id, and the one before it for this device */
	const char *device;       /* this device */
	const bw_event *ev;
	const char *deadline;     /* the request's deadline after it; NULL or "": not said */
	const char *rule, *from;  /* what the deadline is computed from; NULL: not said */
	int extended;             /* 0 or 1, with rule */
} bw_notice;
/* In the caller's transaction: records n in the notification log (*fresh 0 when it was
 * recorded already: a replay changes nothing); *held 1 when the device holds the
 * request. When fresh and held: appends the event and moves the request's state and
 * deadline, unless a later notification of that request is recorded already (an older
 * one replayed late must not move it back). BW_OK or BW_EDB. */
int bw_store_notice_record(bw_store *s, const bw_notice *n, int *fresh, int *held, bw_err *e);
/* The cursor from `from` over every notification of device joined to it without a gap. */
int bw_store_notice_cursor(bw_store *s, const char *device, int64_t from, int64_t *to, bw_err *e);

/* ---- the hub's tables: devices, agents, notifications, receipt-code tries ----
 * (shared/store/store_devices.c, store_agents.c, store_notes.c, store_guard.c) */

/* PRAGMA data_version of this connection: it moves when another process commits to the
 * file (the CLI enrolled a device, added an agent, edited holidays); -1 on error. */
int bw_store_data_version(bw_store *s);

/* A device as the hub's registry holds it (table devices). */
typedef struct bw_device {
	char id[BW_CODE_MAX + 1];
	int num;                    /* the number its references carry */
	char kind[16];              /* kiosk | gateway */
	char site[BW_CODE_MAX + 1]; /* its reception site ("" = not set) */
	int online;
	int64_t last_seen;          /* the hub's time of its last heartbeat */
	int64_t outbox;             /* requests waiting on it */
	int signal, queue;          /* a gateway's signal and send queue; -1 = not said */
	int has_skew;               /* clock_skew below holds a measure */
	int64_t clock_skew;         /* its clock minus the hub's at its last live heartbeat, s */
	int64_t dropped, throttled; /* messages the hub dropped: all, and over its budget */
	int64_t stamped;            /* times it stated that the hub replaced by its own */
} bw_device;

/* The enrolled devices by site then id, of one site when site is not NULL; cb returns 0 to go
 * on, anything else stops the walk and is returned (a walk may call the store again). */
int bw_store_devices(bw_store *s, const char *site, int (*cb)(const bw_device *, void *),
                     void *arg, bw_err *e);
/* One device; BW_ENOTFOUND if not enrolled. */
int bw_store_device_get(bw_store *s, const char *id, bw_device *out, bw_err *e);
/* Enrols device id of a kind at a site with number want (0: the next free one), in the
 * caller's transaction; enrolled already: keeps its number (BW_EEXIST if want asks for
 * another). BW_EEXIST if the number is another device's, BW_ETOOBIG when none is left. */
int bw_store_device_enroll(bw_store *s, const char *id, const char *kind, const char *site,
                           int want, int64_t now, int *num, bw_err *e);
/* Adds to a device's counters of messages dropped, dropped over its budget, and times
 * it stated that the hub replaced. */
int bw_store_device_count(bw_store *s, const char *id, long dropped, long throttled,
                          long stamped, bw_err *e);
/* Its clock against the hub's at its last live heartbeat (skew s, measured at `at`). */
int bw_store_device_clock(bw_store *s, const char *id, int64_t skew, int64_t at, bw_err *e);
/* A heartbeat: online with what it says (d->last_seen, outbox, signal, queue; -1 signal
 * or queue: not said, stored as none) or offline, and how far it got in its notifications (cursor,
 * which never goes back). *was_online gets the state before (-1 if unknown). */
int bw_store_device_presence(bw_store *s, const char *id, const bw_device *d, int64_t cursor,
                             int *was_online, bw_err *e);

/* A reception agent (table agents). */
typedef struct bw_agent {
	char id[BW_CODE_MAX + 1];      /* "agent-amina", the broker user */
	char name[128];
	char site[BW_CODE_MAX + 1];
	char admin[BW_CODE_MAX + 1];   /* "" = every administration of the site */
	int active;
} bw_agent;

/* One agent; BW_ENOTFOUND if not registered. */
int bw_store_agent_get(bw_store *s, const char *id, bw_agent *out, bw_err *e);
/* The agents by site then id (only the active ones when active_only); cb as bw_store_devices. */
int bw_store_agents(bw_store *s, int active_only, int (*cb)(const bw_agent *, void *), void *arg,
                    bw_err *e);
/* Registers an agent (with replace, registers or updates); an empty name is stored as
 * the id without "agent-". BW_EEXIST if registered already and not replace. */
int bw_store_agent_put(bw_store *s, const bw_agent *a, int replace, int64_t now, bw_err *e);

/* A notification of an event to a device: the event, its request's reference, device,
 * site and administration, and the request's deadline as held now with what it is
 * computed from (rule, start, extension); prev: the device's previous notification (0:
 * none). */
typedef struct bw_note {
	bw_event ev;
	char ref[BW_REF_LEN + 1];
	char device[BW_CODE_MAX + 1];   /* "" = a request made at the hub */
	char site[BW_CODE_MAX + 1], admin[BW_CODE_MAX + 1];
	char deadline[BW_DATE_LEN + 1];
	char rule[32], from[BW_DATE_LEN + 1];
	int extended;
	int64_t prev;
} bw_note;

/* The id of the newest event (0: none). */
int bw_store_last_event_id(bw_store *s, int64_t *id, bw_err *e);
/* The time of the latest event of a request (0: none). */
int bw_store_last_event_at(bw_store *s, const char *request_uid, int64_t *at, bw_err *e);
/* The events after id `after` with their request (n->prev is 0), at most limit, in order;
 * cb as bw_store_devices. */
int bw_store_events_after(bw_store *s, int64_t after, int limit,
                          int (*cb)(const bw_note *, void *), void *arg, bw_err *e);
/* Records that event n->ev.id goes to device n->device (notify_log), chained to that
 * device's previous one, whose id *prev gets. */
int bw_store_note_add(bw_store *s, const bw_note *n, int64_t *prev, bw_err *e);
/* The notifications recorded for device after event id `after`, at most limit, in
 * order; cb as bw_store_devices. */
int bw_store_notes(bw_store *s, const char *device, int64_t after, int limit,
                   int (*cb)(const bw_note *, void *), void *arg, bw_err *e);

/* Wrong receipt codes tried (table code_tries): through a device (device not NULL) or on
 * a reference (ref not NULL), since a time. */
int bw_store_code_tries(bw_store *s, const char *device, const char *ref, int64_t since, int *n,
                        bw_err *e);
/* Records a wrong code tried through device on ref at `at`, and forgets those at or
 * before `forget`. */
int bw_store_code_try_add(bw_store *s, const char *device, const char *ref, int64_t at,
                          int64_t forget, bw_err *e);
/* ---- end of the hub's tables ---- */

#endif
