/* test_uuid.c: UUIDv7 ids: form, version and variant bits, uniqueness, time and order. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bw_uuid.h"
#include "fixture.h"

#define N_IDS 10000

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int cmp_id(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

static int hexval(char c)
{
	return c <= '9' ? c - '0' : c - 'a' + 10;
}

START_TEST(ten_thousand_unique_valid_ids)
{
	char (*ids)[37] = malloc(sizeof *ids * N_IDS);
	bw_err e;
	int64_t before = now_ms();

	ck_assert_ptr_nonnull(ids);
	for (int i = 0; i < N_IDS; i++) {
		bw_err_clear(&e);
		ck_assert_int_eq(bw_uuid_v7(ids[i], &e), BW_OK);
		ck_assert_uint_eq(strlen(ids[i]), 36);
		if (!bw_uuid_valid(ids[i]))
			ck_abort_msg("invalid id %s", ids[i]);
		/* version nibble 7, variant bits 10 (8, 9, a or b) */
		ck_assert_int_eq(ids[i][14], '7');
		ck_assert_int_eq((hexval(ids[i][19]) & 0xC), 0x8);
	}
	int64_t after = now_ms();
	for (int i = 0; i < N_IDS; i++) {
		int64_t ms = bw_uuid_ms(ids[i]);
		if (ms < before || ms > after)
			ck_abort_msg("id %s has ms %lld outside [%lld, %lld]", ids[i],
			             (long long)ms, (long long)before, (long long)after);
	}
	/* the 60 time bits (48 ms + 12 sub-ms) never go backwards between consecutive
	 * calls; the random bits alone may order ids made within one 244 ns step */
	for (int i = 1; i < N_IDS; i++)
		if (strncmp(ids[i - 1], ids[i], 18) > 0)
			ck_abort_msg("%s made after %s sorts before it", ids[i], ids[i - 1]);

	qsort(ids, N_IDS, sizeof ids[0], cmp_id);
	for (int i = 1; i < N_IDS; i++)
		if (strcmp(ids[i - 1], ids[i]) == 0)
			ck_abort_msg("duplicate id %s", ids[i]);

	/* the random part really varies: the variant nibble's two free bits take every value */
	int seen[4] = {0};
	for (int i = 0; i < N_IDS; i++)
		seen[hexval(ids[i][19]) & 3] = 1;
	ck_assert_int_eq(seen[0] + seen[1] + seen[2] + seen[3], 4);
	free(ids);
}
END_TEST

START_TEST(later_ids_sort_later_across_milliseconds)
{
	char prev[37], cur[37];
	struct timespec pause = {0, 1500000}; /* 1.5 ms: always a new millisecond */

	ck_assert_int_eq(bw_uuid_v7(prev, NULL), BW_OK);
	for (int i = 0; i < 50; i++) {
		nanosleep(&pause, NULL);
		ck_assert_int_eq(bw_uuid_v7(cur, NULL), BW_OK);
		ck_assert_msg(strcmp(prev, cur) < 0, "%s then %s", prev, cur);
		ck_assert_int_gt(bw_uuid_ms(cur), bw_uuid_ms(prev));
		memcpy(prev, cur, sizeof prev);
	}
}
END_TEST

START_TEST(ms_decodes_known_id)
{
	/* 0x017f22e279b0 = 1645557742000 ms (the RFC 9562 appendix example's timestamp) */
	ck_assert_int_eq(bw_uuid_ms("017f22e2-79b0-7cc3-98c4-dc0c0c07398f"), 1645557742000LL);
	/* not version 7, wrong variant, upper case, malformed: 0 */
	ck_assert_int_eq(bw_uuid_ms("017f22e2-79b0-4cc3-98c4-dc0c0c07398f"), 0);
	ck_assert_int_eq(bw_uuid_ms("017f22e2-79b0-7cc3-c8c4-dc0c0c07398f"), 0);
	ck_assert_int_eq(bw_uuid_ms("017F22E2-79B0-7CC3-98C4-DC0C0C07398F"), 0);
	ck_assert_int_eq(bw_uuid_ms("nonsense"), 0);
}
END_TEST

START_TEST(valid_checks_text_form)
{
	ck_assert_int_eq(bw_uuid_valid("017f22e2-79b0-7cc3-98c4-dc0c0c07398f"), 1);
	ck_assert_int_eq(bw_uuid_valid("00000000-0000-0000-0000-000000000000"), 1);
	ck_assert_int_eq(bw_uuid_valid("017F22E2-79B0-7CC3-98C4-DC0C0C07398F"), 0);
	ck_assert_int_eq(bw_uuid_valid("017f22e2-79b0-7cc3-98c4-dc0c0c07398"), 0);
	ck_assert_int_eq(bw_uuid_valid("017f22e2-79b0-7cc3-98c4-dc0c0c07398f0"), 0);
	ck_assert_int_eq(bw_uuid_valid("017f22e279b07cc398c4dc0c0c07398f"), 0);
	ck_assert_int_eq(bw_uuid_valid("017f22e2-79b0-7cc3-98c4_dc0c0c07398f"), 0);
	ck_assert_int_eq(bw_uuid_valid("017f22e2-79b0-7cc3-98c4-dc0c0c07398g"), 0);
	ck_assert_int_eq(bw_uuid_valid("{17f22e2-79b0-7cc3-98c4-dc0c0c07398f"), 0);
	ck_assert_int_eq(bw_uuid_valid(""), 0);
}
END_TEST

Suite *suite_uuid(void)
{
	Suite *s = suite_create("uuid");
	TCase *t = fx_case(s, "v7", NULL, NULL,
		ten_thousand_unique_valid_ids, later_ids_sort_later_across_milliseconds,
		ms_decodes_known_id, valid_checks_text_form, NULL);
	tcase_set_timeout(t, 30);
	return s;
}
