/* test_smscorpus.c: the SMS grammar against the corpus of citizen messages in tests/data/sms-corpus.tsv: prints the accuracy, fails under 97%. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bw_request.h"
#include "sms-gateway/grammar.h"

#define MIN_MESSAGES 300
#define MIN_ACCURACY 97.0

/* What the gateway does with p, in the corpus's notation (see the file's header). */
static void outcome(const sms_parsed *p, char *out, size_t size)
{
	switch (p->intent) {
	case SMS_FILE:
		snprintf(out, size, "file:%s%s", bw_kind_name((enum bw_kind)p->kind),
		         p->rest[0] ? "" : ":ask");
		break;
	case SMS_STATUS:
		if (p->ref[0] && !p->ref_bad_check)
			snprintf(out, size, "status:%s", p->ref);
		else
			snprintf(out, size, "status:%s",
			         p->ref_bad_check || p->ref_bad_length ? "bad" : "noref");
		break;
	case SMS_MENU_ANSWER:
		snprintf(out, size, "menu:%d", p->menu_choice);
		break;
	default:
		snprintf(out, size, "%s", sms_intent_name(p->intent));
		break;
	}
}

START_TEST(corpus_accuracy)
{
	static sms_parsed p;
	static char line[4096];
	char got[64];
	int n = 0, right = 0, lineno = 0;
	FILE *f = fopen(SMS_CORPUS, "r");

	ck_assert_msg(f != NULL, "cannot open %s", SMS_CORPUS);
	while (fgets(line, sizeof line, f)) {
		char *tab, *msg;

		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		tab = strchr(line, '\t');
		ck_assert_msg(tab != NULL, "%s:%d: no tab", SMS_CORPUS, lineno);
		*tab = '\0';
		msg = tab + 1;
		ck_assert_int_eq(sms_parse(msg, &p), BW_OK);
		outcome(&p, got, sizeof got);
		n++;
		if (strcmp(got, line) == 0)
			right++;
		else
			fprintf(stderr, "%s:%d: expected %s, got %s: %s\n", SMS_CORPUS, lineno, line, got,
			        msg);
	}
	fclose(f);
	double acc = n ? 100.0 * right / n : 0;
	printf("sms corpus: %d messages, accuracy %.1f%%\n", n, acc);
	fflush(stdout);
	ck_assert_int_ge(n, MIN_MESSAGES);
	ck_assert_msg(acc >= MIN_ACCURACY, "accuracy %.1f%% under %.0f%%", acc, MIN_ACCURACY);
}
END_TEST

Suite *suite_smscorpus(void)
{
	Suite *s = suite_create("smscorpus");
	TCase *t = tcase_create("corpus");

	tcase_add_test(t, corpus_accuracy);
	suite_add_tcase(s, t);
	return s;
}
