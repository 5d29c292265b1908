/* store_backup.c: an online copy of a store's database with SQLite's backup API, made
 * while the hub keeps committing, and checked before it is handed over. */
#include "store_int.h"

#include <string.h>

/* Copies from into to in one step and checks the copy. The copy is left in
 * rollback-journal mode so it is one self-contained file. */
static int copy_pages(sqlite3 *from, sqlite3 *to, const char *dest, long *pages, bw_err *e)
{
	sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
	if (!b)
		return bw_fail(e, BW_EDB, "%s", sqlite3_errmsg(to));
	/* all pages in one step: one read transaction, one consistent snapshot (a copy made
	 * in several steps would restart each time the hub commits) */
	int s;
	while ((s = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || s == SQLITE_LOCKED)
		sqlite3_sleep(50);
	*pages = sqlite3_backup_pagecount(b);
	sqlite3_backup_finish(b);
	if (s != SQLITE_DONE)
		return bw_fail(e, BW_EDB, "%s", sqlite3_errstr(s));
	sqlite3_stmt *st = NULL;
	int ok = sqlite3_exec(to, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) == SQLITE_OK &&
		sqlite3_prepare_v2(to, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
		sqlite3_step(st) == SQLITE_ROW &&
		strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
	sqlite3_finalize(st);
	if (!ok)
		return bw_fail(e, BW_EDB, "the copy in %s fails SQLite's integrity check", dest);
	return BW_OK;
}

int bw_store_backup(const char *path, const char *dest, long *pages, bw_err *e)
{
	sqlite3 *from = NULL, *to = NULL;
	int rc;
	*pages = 0;
	if (sqlite3_open_v2(path, &from, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		rc = bw_fail(e, BW_EIO, "%s: %s", path, sqlite3_errmsg(from));
		goto out;
	}
	sqlite3_busy_timeout(from, 5000);
	if (sqlite3_open_v2(dest, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		rc = bw_fail(e, BW_EIO, "%s: %s", dest, sqlite3_errmsg(to));
		goto out;
	}
	rc = copy_pages(from, to, dest, pages, e);
out:
	sqlite3_close(to);
	sqlite3_close(from);
	return rc;
}
