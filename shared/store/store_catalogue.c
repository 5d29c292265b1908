/* store_catalogue.c: the catalogue in the store: administrations, categories by
 * administration and kind, sites. */
#include "store_int.h"

int bw_store_admin_get(bw_store *s, const char *code, bw_admin *out, bw_err *e)
{
	sqlite3_stmt *st = store_stmt(s, Q_ADMIN, e);
	if (!st)
		return BW_EDB;
	store_bind_text(st, 1, code);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (out) {
			store_col_text(st, 0, out->code, sizeof out->code);
			store_col_text(st, 1, out->name_ar, sizeof out->name_ar);
			store_col_text(st, 2, out->name_fr, sizeof out->name_fr);
			store_col_text(st, 3, out->name_zgh, sizeof out->name_zgh);
			store_col_text(st, 4, out->officer, sizeof out->officer);
		}
		sqlite3_reset(st);
		return BW_OK;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return bw_fail(e, BW_ENOTFOUND, "admin: unknown administration \"%.40s\"", code);
	return store_fail(s, e, "admin");
}

int bw_store_admins(bw_store *s, int (*cb)(const bw_admin *, void *), void *arg, bw_err *e)
{
	sqlite3_stmt *st;
	int rc = BW_OK;
	if (sqlite3_prepare_v2(s->db, "SELECT code, name_ar, name_fr, name_zgh, officer "
			       "FROM administrations ORDER BY code", -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, e, "admins");
	int step = SQLITE_DONE;
	while (rc == BW_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		bw_admin a;
		store_col_text(st, 0, a.code, sizeof a.code);
		store_col_text(st, 1, a.name_ar, sizeof a.name_ar);
		store_col_text(st, 2, a.name_fr, sizeof a.name_fr);
		store_col_text(st, 3, a.name_zgh, sizeof a.name_zgh);
		store_col_text(st, 4, a.officer, sizeof a.officer);
		rc = cb(&a, arg);
	}
	/* a table read only in part must not pass for the whole table */
	if (rc == BW_OK && step != SQLITE_DONE)
		rc = store_fail(s, e, "read");
	sqlite3_finalize(st);
	return rc;
}

int bw_store_categories(bw_store *s, const char *admin, int kind,
                        int (*cb)(const bw_category *, void *), void *arg, bw_err *e)
{
	sqlite3_stmt *st;
	int rc = BW_OK;
	if (sqlite3_prepare_v2(s->db, "SELECT code, admin, kinds, name_ar, name_fr, name_zgh FROM categories "
			       "WHERE (?1 IS NULL OR admin = '' OR admin = ?1) "
			       "AND (?2 < 0 OR (kinds >> ?2) & 1) ORDER BY admin DESC, code",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, e, "categories");
	if (admin)
		store_bind_text(st, 1, admin);
	sqlite3_bind_int(st, 2, kind);
	int step = SQLITE_DONE;
	while (rc == BW_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		bw_category c;
		store_col_text(st, 0, c.code, sizeof c.code);
		store_col_text(st, 1, c.admin, sizeof c.admin);
		c.kinds = (unsigned)sqlite3_column_int(st, 2);
		store_col_text(st, 3, c.name_ar, sizeof c.name_ar);
		store_col_text(st, 4, c.name_fr, sizeof c.name_fr);
		store_col_text(st, 5, c.name_zgh, sizeof c.name_zgh);
		rc = cb(&c, arg);
	}
	/* a table read only in part must not pass for the whole table */
	if (rc == BW_OK && step != SQLITE_DONE)
		rc = store_fail(s, e, "read");
	sqlite3_finalize(st);
	return rc;
}

int bw_store_sites(bw_store *s, int (*cb)(const bw_site *, void *), void *arg, bw_err *e)
{
	sqlite3_stmt *st;
	int rc = BW_OK;
	if (sqlite3_prepare_v2(s->db, "SELECT code, admin, city, name_ar, name_fr, name_zgh FROM sites ORDER BY code",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, e, "sites");
	int step = SQLITE_DONE;
	while (rc == BW_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		bw_site x;
		store_col_text(st, 0, x.code, sizeof x.code);
		store_col_text(st, 1, x.admin, sizeof x.admin);
		store_col_text(st, 2, x.city, sizeof x.city);
		store_col_text(st, 3, x.name_ar, sizeof x.name_ar);
		store_col_text(st, 4, x.name_fr, sizeof x.name_fr);
		store_col_text(st, 5, x.name_zgh, sizeof x.name_zgh);
		rc = cb(&x, arg);
	}
	/* a table read only in part must not pass for the whole table */
	if (rc == BW_OK && step != SQLITE_DONE)
		rc = store_fail(s, e, "read");
	sqlite3_finalize(st);
	return rc;
}

int bw_store_category_ok(bw_store *s, const char *category, const char *admin, int kind)
{
	sqlite3_stmt *st;
	int ok = 0;
	if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM categories WHERE code = ?1 "
			       "AND (admin = '' OR admin = ?2) AND (kinds >> ?3) & 1", -1, &st, NULL) != SQLITE_OK)
		return 0;
	store_bind_text(st, 1, category);
	store_bind_text(st, 2, admin);
	sqlite3_bind_int(st, 3, kind);
	ok = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return ok;
}
