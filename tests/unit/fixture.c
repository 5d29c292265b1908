/* fixture.c: the unit tests' shared set-up: scratch store files and directories, suites built from lists. */
#include "fixture.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bw_uuid.h"

void fx_file(char path[FX_PATH], const char *tag)
{
	snprintf(path, FX_PATH, "/tmp/bw-test-%s-XXXXXX", tag);
	int fd = mkstemp(path);
	ck_assert_msg(fd >= 0, "mkstemp %s", path);
	close(fd);
}

bw_store *fx_store(char path[FX_PATH], const char *tag, int seed)
{
	bw_store *st = NULL;
	bw_err e;
	fx_file(path, tag);
	ck_assert_msg(bw_store_open(&st, path, 0, &e) == BW_OK, "%s", e.msg);
	if (seed)
		ck_assert_msg(bw_store_seed(st, &e) == BW_OK, "%s", e.msg);
	return st;
}

void fx_store_remove(bw_store *st, const char *path)
{
	static const char *const sides[] = { "", "-wal", "-shm" };
	char p[FX_PATH + 8];
	if (st)
		bw_store_close(st);
	for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++) {
		snprintf(p, sizeof p, "%s%s", path, sides[i]);
		unlink(p);
	}
}

void fx_dir(char dir[FX_PATH], const char *tag)
{
	snprintf(dir, FX_PATH, "/tmp/bw-test-%s-XXXXXX", tag);
	ck_assert_msg(mkdtemp(dir) != NULL, "mkdtemp %s", dir);
}

void fx_dir_remove(const char *dir)
{
	char cmd[FX_PATH + 16];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

void fx_request(bw_store *st, bw_request *r, int kind, int channel, const char *admin, const char *site,
		const char *device, const char *text, int64_t at, const char *on)
{
	bw_request_init(r);
	ck_assert_int_eq(bw_uuid_v7(r->uid, NULL), BW_OK);
	ck_assert_int_eq(bw_store_next_ref(st, 5, r->ref, NULL), BW_OK);
	r->kind = kind;
	r->channel = channel;
	snprintf(r->admin, sizeof r->admin, "%s", admin);
	snprintf(r->site, sizeof r->site, "%s", site);
	snprintf(r->device, sizeof r->device, "%s", device);
	snprintf(r->text, sizeof r->text, "%s", text);
	r->received_at = at;
	snprintf(r->received_on, sizeof r->received_on, "%s", on);
}

void fx_json_error_quotes_nothing(const char *msg, size_t i)
{
	ck_assert_msg(strncmp(msg, "json: ", 6) == 0 && strstr(msg, " at line 1, column "), "%zu: %s", i, msg);
	ck_assert_msg(!strstr(msg, "Fatima") && !strstr(msg, "AB123456") && !strstr(msg, "near"),
		      "%zu: the payload is in the message: %s", i, msg);
}

int fx_count(bw_store *st, const char *sql)
{
	sqlite3_stmt *q;
	int n = -1;
	ck_assert_msg(sqlite3_prepare_v2(bw_store_db(st), sql, -1, &q, NULL) == SQLITE_OK, "%s", sql);
	if (sqlite3_step(q) == SQLITE_ROW)
		n = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	return n;
}

int fx_text_width(void *arg, int font, int size, int dir, const char *s, int len)
{
	int n = 0;
	for (int i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n * size / 2;
}

int fx_text_height(void *arg, int font, int size)
{
	return size * 3 / 2;
}

TCase *fx_case(Suite *s, const char *name, SFun setup, SFun teardown, ...)
{
	TCase *t = tcase_create(name);
	va_list ap;
	if (setup || teardown)
		tcase_add_checked_fixture(t, setup, teardown);
	va_start(ap, teardown);
	for (const TTest *test; (test = va_arg(ap, const TTest *));)
		tcase_add_test(t, test);
	va_end(ap);
	suite_add_tcase(s, t);
	return t;
}
