/* test_pub.c: the hub's retained catalogue and holidays applied to a device's store:
 * strict refusals change nothing, holidays are replaced as a set, local columns kept. */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bw_pub.h"
#include "bw_store.h"
#include "fixture.h"

static char path[FX_PATH];
static bw_store *S;

static void setup(void)
{
	S = fx_store(path, "pub", 1);
}

static void teardown(void)
{
	fx_store_remove(S, path);
}

static int count(const char *sql) { return fx_count(S, sql); }

static int apply_h(const char *json, bw_err *e)
{
	return bw_pub_apply_holidays(S, json, strlen(json), NULL, NULL, e);
}

START_TEST(holidays_replaced_as_a_set)
{
	bw_err e;
	int n = -1;
	const char *j = "{\"v\":1,\"type\":\"holidays\",\"days\":[{\"day\":\"2027-03-10\",\"name_ar\":\"عيد\","
		"\"name_fr\":\"Aïd\",\"islamic\":true,\"confirmed\":false},{\"day\":\"2027-05-01\",\"name_ar\":\"\","
		"\"name_fr\":\"Fête du Travail\",\"islamic\":false,\"confirmed\":true}]}";
	ck_assert_int_gt(count("SELECT count(*) FROM holidays"), 20);
	ck_assert_msg(bw_pub_apply_holidays(S, j, strlen(j), &n, NULL, &e) == BW_OK, "%s", e.msg);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(count("SELECT count(*) FROM holidays"), 2);
	ck_assert_int_eq(count("SELECT islamic * 10 + confirmed FROM holidays WHERE day = '2027-03-10'"), 10);
	/* the store's cached calendar follows */
	bw_holidays h;
	ck_assert_int_eq(bw_store_holidays(S, &h, &e), BW_OK);
	ck_assert_uint_eq(h.n, 2);
}
END_TEST

START_TEST(strict_refusals_change_nothing)
{
	bw_err e;
	int before = count("SELECT count(*) FROM holidays");
	static const char *const bad[] = {
		"{\"v\":2,\"type\":\"holidays\",\"days\":[]}",
		"{\"v\":1,\"type\":\"catalogue\",\"days\":[]}",
		"{\"v\":1,\"type\":\"holidays\",\"days\":[],\"x\":1}",
		"{\"v\":1,\"type\":\"holidays\",\"days\":{}}",
		"{\"v\":1,\"type\":\"holidays\",\"days\":[{\"day\":\"2027-13-40\",\"name_ar\":\"\",\"name_fr\":\"x\",\"islamic\":false,\"confirmed\":true}]}",
		"{\"v\":1,\"type\":\"holidays\",\"days\":[{\"day\":\"2027-01-02\",\"name_ar\":\"\",\"name_fr\":\"\",\"islamic\":false,\"confirmed\":true}]}",
		"{\"v\":1,\"type\":\"holidays\",\"days\":[{\"day\":\"2027-01-02\",\"name_ar\":\"\",\"name_fr\":\"x\",\"islamic\":0,\"confirmed\":true}]}",
		"{\"v\":1,\"type\":\"holidays\",\"days\":[{\"day\":\"2027-01-02\",\"name_fr\":\"x\",\"islamic\":false,\"confirmed\":true}]}",
		"{\"v\":1,\"type\":\"holidays\",\"days\":[{\"day\":\"2027-01-02\",\"day\":\"2027-01-03\"}]}",
		"{\"v\":1,\"type\":\"holidays\",\"days\":[",
		NULL
	};
	for (int i = 0; bad[i]; i++)
		ck_assert_msg(apply_h(bad[i], &e) != BW_OK, "accepted: %s", bad[i]);
	ck_assert_int_eq(count("SELECT count(*) FROM holidays"), before);
	static char big[BW_PUB_MAX + 2];
	memset(big, ' ', sizeof big - 1);
	ck_assert_int_eq(bw_pub_apply_holidays(S, big, sizeof big - 1, NULL, NULL, &e), BW_ETOOBIG);
}
END_TEST

START_TEST(catalogue_upserts_and_keeps_local_columns)
{
	bw_err e;
	int n = 0;
	sqlite3_exec(bw_store_db(S), "UPDATE administrations SET officer = 'M. Alaoui' WHERE code = 'TRANSPORT'",
		     NULL, NULL, NULL);
	const char *j = "{\"v\":1,\"type\":\"catalogue\",\"administrations\":[{\"code\":\"TRANSPORT\","
		"\"name_ar\":\"النقل\",\"name_fr\":\"Transport (nouveau nom)\",\"name_zgh\":\"\"},{\"code\":\"NEWADM\","
		"\"name_ar\":\"ج\",\"name_fr\":\"Nouvelle\",\"name_zgh\":\"\"}],\"categories\":[{\"code\":\"NEWCAT\","
		"\"admin\":\"NEWADM\",\"kinds\":7,\"name_ar\":\"ف\",\"name_fr\":\"Catégorie\",\"name_zgh\":\"\"}],"
		"\"sites\":[{\"code\":\"NEWSITE\",\"admin\":\"NEWADM\",\"city\":\"Fès\",\"name_ar\":\"م\","
		"\"name_fr\":\"Site\",\"name_zgh\":\"\"}]}";
	ck_assert_msg(bw_pub_apply_catalogue(S, j, strlen(j), &n, &e) == BW_OK, "%s", e.msg);
	ck_assert_int_eq(n, 4);
	bw_admin a;
	ck_assert_int_eq(bw_store_admin_get(S, "TRANSPORT", &a, &e), BW_OK);
	ck_assert_str_eq(a.name_fr, "Transport (nouveau nom)");
	ck_assert_str_eq(a.officer, "M. Alaoui");
	ck_assert(bw_store_category_ok(S, "NEWCAT", "NEWADM", BW_KIND_COMPLAINT));
	ck_assert_int_eq(count("SELECT count(*) FROM sites WHERE code = 'NEWSITE' AND city = 'Fès'"), 1);
	/* a site of an unknown administration: the whole message is refused */
	int sites = count("SELECT count(*) FROM sites");
	const char *k = "{\"v\":1,\"type\":\"catalogue\",\"administrations\":[{\"code\":\"OK2\",\"name_ar\":\"\","
		"\"name_fr\":\"x\",\"name_zgh\":\"\"}],\"categories\":[],\"sites\":[{\"code\":\"S2\",\"admin\":\"NOPE\","
		"\"city\":\"\",\"name_ar\":\"\",\"name_fr\":\"\",\"name_zgh\":\"\"}]}";
	ck_assert_int_ne(bw_pub_apply_catalogue(S, k, strlen(k), NULL, &e), BW_OK);
	ck_assert_int_eq(count("SELECT count(*) FROM sites"), sites);
	ck_assert_int_eq(count("SELECT count(*) FROM administrations WHERE code = 'OK2'"), 0);
}
END_TEST

/* A message that is not JSON is named by the kind of error and its position, never by
 * the text around it (jansson's own message quotes it). */
START_TEST(json_errors_quote_nothing)
{
	bw_err e;
	static const char *const bad[] = {
		"{\"v\":1,\"type\":\"holidays\",\"days\":[{\"name_fr\":\"Fatima Zahra AB123456",
		"{\"v\":1,\"type\":\"holidays\",\"days\":[Fatima Zahra AB123456]}",
		"{\"v\":1,\"type\":\"holidays\",\"days\":[]} Fatima Zahra AB123456",
		"{\"v\":1,\"type\":\"holidays\",\"Fatima\":1,\"Fatima\":2}",
		"{\"v\":1,\"type\":\"holidays\",\"days\":[\"Fatima \xd8 AB123456\"]}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		ck_assert_int_eq(apply_h(bad[i], &e), BW_EINVAL);
		fx_json_error_quotes_nothing(e.msg, i);
	}
}
END_TEST

FX_SUITE(pub, "pub", setup, teardown,
		holidays_replaced_as_a_set, strict_refusals_change_nothing,
		catalogue_upserts_and_keeps_local_columns, json_errors_quote_nothing)
