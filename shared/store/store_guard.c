/* store_guard.c: the wrong receipt codes tried through a device or on a reference (table
 * code_tries), counted over sliding windows by the hub's guard (hub/guard.c): in the
 * database, so a restart of the hub does not reset them. */
#include "store_int.h"

static const char sql_by_device[] = "SELECT count(*) FROM code_tries WHERE device = ?1 AND at > ?2";
static const char sql_by_ref[] = "SELECT count(*) FROM code_tries WHERE ref = ?1 AND at > ?2";

int bw_store_code_tries(bw_store *s, const char *device, const char *ref, int64_t since, int *n,
                        bw_err *e)
{
	sqlite3_stmt *st = store_cached(s, device ? sql_by_device : sql_by_ref, e);
	if (!st)
		return BW_EDB;
	store_bind_text(st, 1, device ? device : ref);
	sqlite3_bind_int64(st, 2, since);
	int rc = sqlite3_step(st) == SQLITE_ROW ? BW_OK : store_fail(s, e, "code_tries");
	*n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return rc;
}

static const char sql_add[] = "INSERT INTO code_tries (at, device, ref) VALUES (?1, ?2, ?3)";
static const char sql_forget[] = "DELETE FROM code_tries WHERE at <= ?1";

int bw_store_code_try_add(bw_store *s, const char *device, const char *ref, int64_t at,
                          int64_t forget, bw_err *e)
{
	sqlite3_stmt *st = store_cached(s, sql_add, e);
	if (!st)
		return BW_EDB;
	sqlite3_bind_int64(st, 1, at);
	store_bind_text(st, 2, device);
	store_bind_text(st, 3, ref);
	int rc = store_done(s, st, "code_tries", e);
	/* forgetting is housekeeping: a failure leaves old rows, counted outside the windows */
	if (rc == BW_OK && (st = store_cached(s, sql_forget, NULL))) {
		sqlite3_bind_int64(st, 1, forget);
		(void)store_done(s, st, "code_tries", NULL);
	}
	return rc;
}
