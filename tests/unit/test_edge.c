/* test_edge.c: the one local-submit sequence of a device (bw_edge_file, bw_edge_file_tx)
 * against a real SQLite store: what it fills in, one reference per request, a re-sent uid
 * changes nothing, a caller's step that refuses undoes everything. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bw_edge.h"

static bw_store *S;
static char path[64];
static const bw_edge_device DEV = { "kiosk-07", "RABAT-IMMAT", 7 };

static void setup(void)
{
	bw_err e;
	snprintf(path, sizeof path, "/tmp/bw-test-edge-XXXXXX");
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_msg(bw_store_open(&S, path, 0, &e) == BW_OK, "%s", e.msg);
	ck_assert_msg(bw_store_seed(S, &e) == BW_OK, "%s", e.msg);
}

static void teardown(void)
{
	char side[80];
	bw_store_close(S);
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}

static void complaint(bw_request *r)
{
	bw_request_init(r);
	r->kind = BW_KIND_COMPLAINT;
	r->channel = BW_CHANNEL_KIOSK;
	strcpy(r->admin, "TRANSPORT");
	strcpy(r->text, "الحافلة لا تتوقف في المحطة");
}

static int refuse(void *arg, const bw_request *r, bw_err *e)
{
	return bw_fail(e, BW_EDB, "refused by the caller's step");
}

START_TEST(files_once)
{
	bw_request r, again, got;
	bw_err e;
	complaint(&r);
	ck_assert_msg(bw_edge_file(S, &DEV, "citizen", &r, NULL, NULL, &e) == BW_OK, "%s", e.msg);
	/* filled in: a uid, the device, its site, the time and its legal day, a reference of
	 * device 7 */
	ck_assert_int_eq(strlen(r.uid), BW_UID_LEN);
	ck_assert_str_eq(r.device, "kiosk-07");
	ck_assert_str_eq(r.site, "RABAT-IMMAT");
	ck_assert_int_gt(r.received_at, 0);
	ck_assert_int_eq(strlen(r.received_on), BW_DATE_LEN);
	ck_assert_int_eq(strncmp(r.ref, "0007", 4), 0);
	ck_assert_int_eq(bw_store_get(S, r.ref, &got, &e), BW_OK);
	ck_assert_str_eq(got.uid, r.uid);
	/* the same uid again: the stored request, its reference kept, no new number used */
	complaint(&again);
	strcpy(again.uid, r.uid);
	ck_assert_int_eq(bw_edge_file(S, &DEV, "citizen", &again, NULL, NULL, &e), BW_EEXIST);
	ck_assert_str_eq(again.ref, r.ref);
	complaint(&again);
	ck_assert_int_eq(bw_edge_file(S, &DEV, "citizen", &again, NULL, NULL, &e), BW_OK);
	ck_assert_int_eq(strcmp(again.ref + 4, r.ref + 4) > 0, 1);   /* the next sequence */
}
END_TEST

START_TEST(refused_step_undoes_all)
{
	bw_request r, got;
	bw_err e;
	complaint(&r);
	ck_assert_int_eq(bw_edge_file(S, &DEV, "citizen", &r, refuse, NULL, &e), BW_EDB);
	ck_assert_ptr_nonnull(strstr(e.msg, "refused by the caller's step"));
	ck_assert_int_eq(bw_store_get_uid(S, r.uid, &got, NULL), BW_ENOTFOUND);
	/* inside the caller's transaction: nothing until its commit, nothing after a rollback */
	complaint(&r);
	ck_assert_int_eq(bw_store_begin(S, &e), BW_OK);
	ck_assert_msg(bw_edge_file_tx(S, &DEV, "citizen", &r, NULL, NULL, &e) == BW_OK, "%s", e.msg);
	bw_store_rollback(S);
	ck_assert_int_eq(bw_store_get_uid(S, r.uid, &got, NULL), BW_ENOTFOUND);
	ck_assert_int_eq(bw_store_begin(S, &e), BW_OK);
	ck_assert_int_eq(bw_edge_file_tx(S, &DEV, "citizen", &r, NULL, NULL, &e), BW_OK);
	ck_assert_int_eq(bw_store_commit(S, &e), BW_OK);
	ck_assert_int_eq(bw_store_get_uid(S, r.uid, &got, NULL), BW_OK);
	/* invalid input: refused, nothing stored */
	complaint(&r);
	r.admin[0] = '\0';
	ck_assert_int_eq(bw_edge_file(S, &DEV, "citizen", &r, NULL, NULL, &e), BW_EINVAL);
	ck_assert_int_eq(bw_store_get_uid(S, r.uid, &got, NULL), BW_ENOTFOUND);
}
END_TEST

Suite *suite_edge(void)
{
	Suite *s = suite_create("edge");
	TCase *t = tcase_create("core");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, files_once);
	tcase_add_test(t, refused_step_undoes_all);
	suite_add_tcase(s, t);
	return s;
}
