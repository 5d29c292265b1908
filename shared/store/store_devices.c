/* store_devices.c: the hub's device registry in the SQLite store: the enrolled devices,
 * enrolment with a unique number, their counters under a flood, their presence and
 * clock as their heartbeats say, and the connection's data_version (another process
 * enrolled or moved a device). */
#include <string.h>

#include "bw_ref.h"
#include "store_int.h"

static const char sql_data_version[] = "PRAGMA data_version";

int bw_store_data_version(bw_store *s)
{
	sqlite3_stmt *st = store_cached(s, sql_data_version, NULL);
	int v = -1;
	if (st && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	if (st)
		sqlite3_reset(st);
	return v;
}

#define DEV_COLS "id, num, kind, site, online, last_seen, outbox_depth, signal, send_queue, clock_skew, " \
	"dropped, throttled, clock_stamped"
static const char sql_devices[] = "SELECT " DEV_COLS " FROM devices ORDER BY site, id";
static const char sql_devices_site[] = "SELECT " DEV_COLS " FROM devices WHERE site = ?1 ORDER BY id";
static const char sql_device[] = "SELECT " DEV_COLS " FROM devices WHERE id = ?1";

static void row_device(sqlite3_stmt *st, bw_device *d)
{
	memset(d, 0, sizeof *d);
	store_col_text(st, 0, d->id, sizeof d->id);
	d->num = sqlite3_column_int(st, 1);
	store_col_text(st, 2, d->kind, sizeof d->kind);
	store_col_text(st, 3, d->site, sizeof d->site);
	d->online = sqlite3_column_int(st, 4);
	d->last_seen = sqlite3_column_int64(st, 5);
	d->outbox = sqlite3_column_int64(st, 6);
	d->signal = sqlite3_column_type(st, 7) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 7);
	d->queue = sqlite3_column_type(st, 8) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 8);
	d->has_skew = sqlite3_column_type(st, 9) != SQLITE_NULL;
	d->clock_skew = sqlite3_column_int64(st, 9);
	d->dropped = sqlite3_column_int64(st, 10);
	d->throttled = sqlite3_column_int64(st, 11);
	d->stamped = sqlite3_column_int64(st, 12);
}

/* the walk's caller's callback */
struct dev_walk {
	int (*cb)(const bw_device *, void *);
	void *arg;
};

static int dev_row(sqlite3_stmt *st, void *ctx)
{
	struct dev_walk *w = ctx;
	bw_device d;
	row_device(st, &d);
	return w->cb(&d, w->arg);
}

int bw_store_devices(bw_store *s, const char *site, int (*cb)(const bw_device *, void *),
                     void *arg, bw_err *e)
{
	struct dev_walk w = { cb, arg };
	sqlite3_stmt *st;
	if (store_prepare(s, site ? sql_devices_site : sql_devices, &st, "devices", e))
		return BW_EDB;
	if (site)
		store_bind_text(st, 1, site);
	return store_walk(s, st, "devices", dev_row, &w, e);
}

int bw_store_device_get(bw_store *s, const char *id, bw_device *out, bw_err *e)
{
	sqlite3_stmt *st = store_cached(s, sql_device, e);
	int rc;
	if (!st)
		return BW_EDB;
	store_bind_text(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_device(st, out);
		rc = BW_OK;
	} else {
		rc = rc == SQLITE_DONE ? bw_fail(e, BW_ENOTFOUND, "device %.40s: not enrolled", id)
				       : store_fail(s, e, "devices");
	}
	sqlite3_reset(st);
	return rc;
}

/* the device's number if it has one (NULL if not), and the next free one */
static const char sql_nums[] = "SELECT (SELECT num FROM devices WHERE id = ?1), "
			       "(SELECT COALESCE(max(num), 0) + 1 FROM devices)";
static const char sql_enroll[] = "INSERT INTO devices (id, kind, site, num, registered_at) "
				 "VALUES (?1, ?2, ?3, ?4, ?5)";

int bw_store_device_enroll(bw_store *s, const char *id, const char *kind, const char *site,
                           int want, int64_t now, int *num_out, bw_err *e)
{
	int num = 0, next = 0;
	sqlite3_stmt *st = store_cached(s, sql_nums, e);
	if (!st)
		return BW_EDB;
	store_bind_text(st, 1, id);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		num = sqlite3_column_int(st, 0);
		next = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	if (step != SQLITE_ROW)
		return store_fail(s, e, "devices");
	if (num && want && want != num)
		return bw_fail(e, BW_EEXIST, "%s is enrolled with number %04d already", id, num);
	if (!num) {
		num = want ? want : next;
		if (num < 1 || num > (int)BW_REF_DEVICE_MAX)
			return bw_fail(e, BW_ETOOBIG, "no device number left");
		if (!(st = store_cached(s, sql_enroll, e)))
			return BW_EDB;
		store_bind_text(st, 1, id);
		store_bind_text(st, 2, kind);
		store_bind_text(st, 3, site);
		sqlite3_bind_int(st, 4, num);
		sqlite3_bind_int64(st, 5, now);
		step = sqlite3_step(st);
		sqlite3_reset(st);
		if (step == SQLITE_CONSTRAINT_UNIQUE || step == SQLITE_CONSTRAINT_PRIMARYKEY)
			return bw_fail(e, BW_EEXIST, "number %04d belongs to another device", num);
		if (step != SQLITE_DONE)
			return store_fail(s, e, "devices");
	}
	*num_out = num;
	return BW_OK;
}

static const char sql_count[] = "UPDATE devices SET dropped = dropped + ?2, throttled = throttled + ?3, "
				"clock_stamped = clock_stamped + ?4 WHERE id = ?1";
static const char sql_clock[] = "UPDATE devices SET clock_skew = ?2, clock_at = ?3 WHERE id = ?1";

/* Runs an UPDATE of device id whose other parameters (?2..) are the n numbers v. */
static int dev_update(bw_store *s, const char *sql, const char *id, const int64_t *v, int n, bw_err *e)
{
	sqlite3_stmt *st = store_cached(s, sql, e);
	if (!st)
		return BW_EDB;
	store_bind_text(st, 1, id);
	for (int i = 0; i < n; i++)
		sqlite3_bind_int64(st, i + 2, v[i]);
	return store_done(s, st, "devices", e);
}

int bw_store_device_count(bw_store *s, const char *id, long dropped, long throttled, long stamped,
                          bw_err *e)
{
	const int64_t v[] = { dropped, throttled, stamped };
	return dev_update(s, sql_count, id, v, 3, e);
}

int bw_store_device_clock(bw_store *s, const char *id, int64_t skew, int64_t at, bw_err *e)
{
	const int64_t v[] = { skew, at };
	return dev_update(s, sql_clock, id, v, 2, e);
}

static const char sql_seen[] = "UPDATE devices SET online = 1, last_seen = ?2, outbox_depth = ?3, "
	"signal = ?4, send_queue = ?5, "
	"notify_cursor = max(notify_cursor, ?6) WHERE id = ?1";
static const char sql_gone[] = "UPDATE devices SET online = 0, notify_cursor = max(notify_cursor, ?6) "
			       "WHERE id = ?1";

int bw_store_device_presence(bw_store *s, const char *id, const bw_device *d, int64_t cursor,
                             int *was_online, bw_err *e)
{
	bw_device before;
	*was_online = bw_store_device_get(s, id, &before, NULL) == BW_OK ? before.online : -1;
	sqlite3_stmt *st = store_cached(s, d->online ? sql_seen : sql_gone, e);
	if (!st)
		return BW_EDB;
	store_bind_text(st, 1, id);
	if (d->online) {
		sqlite3_bind_int64(st, 2, d->last_seen);
		sqlite3_bind_int64(st, 3, d->outbox < 0 ? 0 : d->outbox);
		if (d->signal >= 0)
			sqlite3_bind_int(st, 4, d->signal);
		if (d->queue >= 0)
			sqlite3_bind_int(st, 5, d->queue);
	}
	sqlite3_bind_int64(st, 6, cursor);
	return store_done(s, st, "devices", e);
}
