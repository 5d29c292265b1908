/* store_catalogue.c: the catalogue in the store: administrations, categories by
 * administration and kind, sites; read one by one or walked, and written as the hub
 * publishes them. */
#include "store_int.h"

/* ---- rows ---- */

static void admin_from(sqlite3_stmt *st, bw_admin *a)
{
	store_col_text(st, 0, a->code, sizeof a->code);
	store_col_text(st, 1, a->name_ar, sizeof a->name_ar);
	store_col_text(st, 2, a->name_fr, sizeof a->name_fr);
	store_col_text(st, 3, a->name_zgh, sizeof a->name_zgh);
	store_col_text(st, 4, a->officer, sizeof a->officer);
}

static void site_from(sqlite3_stmt *st, bw_site *x)
{
	store_col_text(st, 0, x->code, sizeof x->code);
	store_col_text(st, 1, x->admin, sizeof x->admin);
	store_col_text(st, 2, x->city, sizeof x->city);
	store_col_text(st, 3, x->name_ar, sizeof x->name_ar);
	store_col_text(st, 4, x->name_fr, sizeof x->name_fr);
	store_col_text(st, 5, x->name_zgh, sizeof x->name_zgh);
}

#define SITE_COLS "code, admin, city, name_ar, name_fr, name_zgh"

/* ---- one entry ---- */

int bw_store_admin_get(bw_store *s, const char *code, bw_admin *out, bw_err *e)
{
	sqlite3_stmt *st = store_stmt(s, Q_ADMIN, e);
	if (!st)
		return BW_EDB;
	store_bind_text(st, 1, code);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (out)
			admin_from(st, out);
		sqlite3_reset(st);
		return BW_OK;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return bw_fail(e, BW_ENOTFOUND, "admin: unknown administration \"%.40s\"", code);
	return store_fail(s, e, "admin");
}

int bw_store_site_get(bw_store *s, const char *code, bw_site *out, bw_err *e)
{
	static const char sql[] = "SELECT " SITE_COLS " FROM sites WHERE code = ?1";
	sqlite3_stmt *st = store_cached(s, sql, e);
	if (!st)
		return BW_EDB;
	store_bind_text(st, 1, code);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && out)
		site_from(st, out);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return BW_OK;
	if (rc == SQLITE_DONE)
		return bw_fail(e, BW_ENOTFOUND, "site \"%.40s\": not in the catalogue", code);
	return store_fail(s, e, "sites");
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

int bw_store_catalogue_size(bw_store *s, bw_catalogue_size *out, bw_err *e)
{
	static const char sql[] = "SELECT (SELECT count(*) FROM administrations), "
		"(SELECT count(*) FROM sites), (SELECT count(*) FROM categories), "
		"(SELECT count(*) FROM holidays)";
	sqlite3_stmt *st;
	if (store_prepare(s, sql, &st, "catalogue", e))
		return BW_EDB;
	int rc = sqlite3_step(st) == SQLITE_ROW ? BW_OK : store_fail(s, e, "catalogue");
	if (rc == BW_OK) {
		out->admins = sqlite3_column_int64(st, 0);
		out->sites = sqlite3_column_int64(st, 1);
		out->categories = sqlite3_column_int64(st, 2);
		out->holidays = sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	return rc;
}

/* ---- walks ---- */

struct walk_admins { int (*cb)(const bw_admin *, void *); void *arg; };
struct walk_categories { int (*cb)(const bw_category *, void *); void *arg; };
struct walk_sites { int (*cb)(const bw_site *, void *); void *arg; };

static int admin_row(sqlite3_stmt *st, void *ctx)
{
	struct walk_admins *w = ctx;
	bw_admin a;
	admin_from(st, &a);
	return w->cb(&a, w->arg);
}

static int category_row(sqlite3_stmt *st, void *ctx)
{
	struct walk_categories *w = ctx;
	bw_category c;
	store_col_text(st, 0, c.code, sizeof c.code);
	store_col_text(st, 1, c.admin, sizeof c.admin);
	c.kinds = (unsigned)sqlite3_column_int(st, 2);
	store_col_text(st, 3, c.name_ar, sizeof c.name_ar);
	store_col_text(st, 4, c.name_fr, sizeof c.name_fr);
	store_col_text(st, 5, c.name_zgh, sizeof c.name_zgh);
	return w->cb(&c, w->arg);
}

static int site_row(sqlite3_stmt *st, void *ctx)
{
	struct walk_sites *w = ctx;
	bw_site x;
	site_from(st, &x);
	return w->cb(&x, w->arg);
}

int bw_store_admins(bw_store *s, int (*cb)(const bw_admin *, void *), void *arg, bw_err *e)
{
	struct walk_admins w = { cb, arg };
	sqlite3_stmt *st;
	if (store_prepare(s, "SELECT code, name_ar, name_fr, name_zgh, officer FROM administrations "
			  "ORDER BY code", &st, "admins", e))
		return BW_EDB;
	return store_walk(s, st, "read", admin_row, &w, e);
}

int bw_store_categories(bw_store *s, const char *admin, int kind,
                        int (*cb)(const bw_category *, void *), void *arg, bw_err *e)
{
	struct walk_categories w = { cb, arg };
	sqlite3_stmt *st;
	if (store_prepare(s, "SELECT code, admin, kinds, name_ar, name_fr, name_zgh FROM categories "
			  "WHERE (?1 IS NULL OR admin = '' OR admin = ?1) "
			  "AND (?2 < 0 OR (kinds >> ?2) & 1) ORDER BY admin DESC, code", &st, "categories", e))
		return BW_EDB;
	if (admin)
		store_bind_text(st, 1, admin);
	sqlite3_bind_int(st, 2, kind);
	return store_walk(s, st, "read", category_row, &w, e);
}

int bw_store_sites(bw_store *s, int (*cb)(const bw_site *, void *), void *arg, bw_err *e)
{
	struct walk_sites w = { cb, arg };
	sqlite3_stmt *st;
	if (store_prepare(s, "SELECT " SITE_COLS " FROM sites ORDER BY code", &st, "sites", e))
		return BW_EDB;
	return store_walk(s, st, "read", site_row, &w, e);
}

/* ---- as the hub publishes it ---- */

int bw_store_admin_put(bw_store *s, const bw_admin *a, bw_err *e)
{
	static const char sql[] = "INSERT INTO administrations (code, name_ar, name_fr, name_zgh) "
		"VALUES (?1, ?2, ?3, ?4) ON CONFLICT (code) DO UPDATE SET name_ar = ?2, name_fr = ?3, "
		"name_zgh = ?4";
	sqlite3_stmt *st = store_cached(s, sql, e);
	if (!st)
		return BW_EDB;
	store_bind_text(st, 1, a->code);
	store_bind_text(st, 2, a->name_ar);
	store_bind_text(st, 3, a->name_fr);
	store_bind_text(st, 4, a->name_zgh);
	return store_done(s, st, "administrations", e);
}

int bw_store_category_put(bw_store *s, const bw_category *c, bw_err *e)
{
	static const char sql[] = "INSERT INTO categories (code, admin, kinds, name_ar, name_fr, name_zgh) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (code) DO UPDATE SET admin = ?2, kinds = ?3, "
		"name_ar = ?4, name_fr = ?5, name_zgh = ?6";
	sqlite3_stmt *st = store_cached(s, sql, e);
	if (!st)
		return BW_EDB;
	store_bind_text(st, 1, c->code);
	store_bind_text(st, 2, c->admin);
	sqlite3_bind_int(st, 3, (int)c->kinds);
	store_bind_text(st, 4, c->name_ar);
	store_bind_text(st, 5, c->name_fr);
	store_bind_text(st, 6, c->name_zgh);
	return store_done(s, st, "categories", e);
}

int bw_store_site_put(bw_store *s, const bw_site *x, bw_err *e)
{
	static const char sql[] = "INSERT INTO sites (" SITE_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
		"ON CONFLICT (code) DO UPDATE SET admin = ?2, city = ?3, name_ar = ?4, name_fr = ?5, "
		"name_zgh = ?6";
	sqlite3_stmt *st = store_cached(s, sql, e);
	if (!st)
		return BW_EDB;
	store_bind_text(st, 1, x->code);
	store_bind_text(st, 2, x->admin);
	store_bind_text(st, 3, x->city);
	store_bind_text(st, 4, x->name_ar);
	store_bind_text(st, 5, x->name_fr);
	store_bind_text(st, 6, x->name_zgh);
	return store_done(s, st, "sites", e);
}
