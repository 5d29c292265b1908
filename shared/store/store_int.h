/* store_int.h: what the SQLite store's own files in shared/store share: the connection
 * struct, the cache of prepared statements, transactions that nest as savepoints, and
 * the column and row helpers. Private: nothing outside shared/store/ includes it. */
#ifndef BW_STORE_INT_H
#define BW_STORE_INT_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "bw_store.h"

/* The statements used on hot paths, prepared once and kept (sqlite3_prepare_v3 with
 * SQLITE_PREPARE_PERSISTENT), text in store_sql_text. Everything else is prepared per
 * call, or, from a store file of its own, kept with store_cached below. */
enum {
	Q_GET_REF, Q_GET_UID, Q_INSERT, Q_EVENT, Q_ADMIN, Q_NEXT_REF, Q_UPDATE_STATE,
	Q_EVENTS, Q_BEGIN, Q_COMMIT, Q_ROLLBACK, Q_SAVEPOINT, Q_RELEASE, Q_ROLLBACK_TO,
	Q_DATA_VERSION, Q_COUNT
};
extern const char *const store_sql_text[Q_COUNT];

#define REQ_COLS "uid, ref, kind, channel, admin, category, site, device, lang, text, phone, " \
	"consent, name, id_number, address, contact, form, urgent, received_at, received_on, " \
	"state, deadline, extended, deadline_rule, deadline_from, code, code_hash"

/* a statement kept by store_cached, found by the address of its SQL text */
struct store_cached_stmt {
	const char *sql;
	sqlite3_stmt *st;
};

struct bw_store {
	sqlite3 *db;
	int in_tx;              /* inside bw_store_begin .. commit */
	sqlite3_stmt *q[Q_COUNT];
	struct store_cached_stmt *cached;  /* store_cached's statements */
	size_t ncached, capcached;
	bw_day *hdays;          /* holiday cache, sorted; valid when hvalid */
	size_t nh;
	int hvalid;
	int64_t hversion;       /* PRAGMA data_version when the cache was loaded */
};

/* BW_EDB with what and SQLite's message */
int store_fail(bw_store *s, bw_err *e, const char *what);
/* The cached statement `which`, reset and with its bindings cleared; NULL (e set) if it
 * cannot be prepared. */
sqlite3_stmt *store_stmt(bw_store *s, int which, bw_err *e);
/* The same for a statement of another store file: sql must be a string with static
 * storage (a file-scope array), whose address is the key. Prepared once per connection,
 * finalized by bw_store_close. */
sqlite3_stmt *store_cached(bw_store *s, const char *sql, bw_err *e);
int store_exec(bw_store *s, const char *sql, bw_err *e);
/* Prepares sql for one use (*st to finalize), e.g. a walk: a walk's statement is not
 * cached, since a callback may walk the same table again. BW_EDB (e: what). */
int store_prepare(bw_store *s, const char *sql, sqlite3_stmt **st, const char *what, bw_err *e);
/* Steps st to its end, calling row(st, ctx) for each row, and stops at the first that
 * returns non-zero (that value is returned). A table read only in part must not pass for
 * the whole table: a step that fails is BW_EDB (e: what). Finalizes st. */
int store_walk(bw_store *s, sqlite3_stmt *st, const char *what,
               int (*row)(sqlite3_stmt *st, void *ctx), void *ctx, bw_err *e);
/* Steps st once, a statement that returns no row, and resets it: BW_OK or BW_EDB (what). */
int store_done(bw_store *s, sqlite3_stmt *st, const char *what, bw_err *e);
/* Steps the cached statement `which` that returns no row. */
int store_run(bw_store *s, int which, bw_err *e);

/* Every multi-step change runs between store_tx_begin and store_tx_end(rc): a
 * transaction, or a savepoint inside a caller's bw_store_begin. store_tx_end commits
 * when rc is BW_OK or BW_EEXIST, else rolls back; returns rc (or the commit's error). */
int store_tx_begin(bw_store *s, bw_err *e);
int store_tx_end(bw_store *s, int rc, bw_err *e);

void store_col_text(sqlite3_stmt *st, int i, char *dst, size_t size);
void store_bind_text(sqlite3_stmt *st, int i, const char *v);
/* Binds the closed states (answered, rejected, closed) to parameters i, i+1, i+2, for
 * "state NOT IN (?i, ?i+1, ?i+2)": the SQL names no state by its number. */
void store_bind_closed(sqlite3_stmt *st, int i);

/* A request from a row of REQ_COLS. */
void store_row_to_request(sqlite3_stmt *st, bw_request *r);
/* The request whose ref (which = Q_GET_REF) or uid (Q_GET_UID) is key; rule (32 bytes)
 * and from (BW_DATE_LEN + 1), when not NULL, get its deadline rule and start. */
int store_get_by(bw_store *s, int which, const char *key, bw_request *out,
                 char *rule, char *from, bw_err *e);
/* The deadline by rule from the day from, over the holiday table. */
int store_compute_deadline(bw_store *s, const char *rule, const char *from, int extended,
                           bw_deadline *out, bw_err *e);
/* Appends an event to request_uid; given_uid: the event's uid when it was made elsewhere
 * (bw_store_apply_event), NULL for a new one; ev (may be NULL) gets the event. */
int store_append_event(bw_store *s, const char *request_uid, int64_t at, const char *actor,
                       int old_state, int new_state, const char *note, const char *given_uid,
                       bw_event *ev, bw_err *e);

#endif
