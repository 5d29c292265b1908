/* test_log.c: a failing condition repeated is logged a few times per interval, then
 * counted; other conditions and info lines are not held back by it. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "bw_log.h"

static int count_lines(FILE *fp, const char *needle)
{
	char line[4096];
	int n = 0;
	rewind(fp);
	while (fgets(line, sizeof line, fp))
		if (strstr(line, needle))
			n++;
	return n;
}

START_TEST(repeated_condition_is_held_back)
{
	FILE *fp = tmpfile();
	ck_assert_ptr_nonnull(fp);
	bw_log l = { .prog = "test", .level = BW_LOG_INFO, .fp = fp };
	for (int i = 0; i < 700; i++)   /* a full disk, 700 times in a second */
		log_error(&l, "database: disk full (%d)", i);
	for (int i = 0; i < 3; i++)
		log_warn(&l, "modem %s does not answer", "sim1");
	for (int i = 0; i < 50; i++)
		log_info(&l, "stored request %d", i);
	fflush(fp);
	ck_assert_int_eq(count_lines(fp, "disk full"), BW_LOG_REPEAT_LINES);
	ck_assert_int_eq(count_lines(fp, "does not answer"), 3);
	ck_assert_int_eq(count_lines(fp, "stored request"), 50);  /* info lines are events */
	/* the interval ends: the next occurrence says how many were held back */
	for (int i = 0; i < BW_LOG_REPEAT_SLOTS; i++)
		if (l.rep[i].fmt)
			l.rep[i].since_ms -= BW_LOG_REPEAT_MS;
	log_error(&l, "database: disk full (%d)", 700);
	fflush(fp);
	char want[80];
	snprintf(want, sizeof want, "held back %d more times in the last 60 s", 700 - BW_LOG_REPEAT_LINES);
	ck_assert_int_eq(count_lines(fp, want), 1);
	ck_assert_int_eq(count_lines(fp, "disk full"), BW_LOG_REPEAT_LINES + 1);
	fclose(fp);
}
END_TEST

Suite *suite_log(void)
{
	Suite *s = suite_create("log");
	TCase *t = tcase_create("core");
	tcase_add_test(t, repeated_condition_is_held_back);
	suite_add_tcase(s, t);
	return s;
}
