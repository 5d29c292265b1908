/* test_agentproto.c: the agents' command messages: every command shown in
 * docs/protocol.md decodes as written, and a refused payload is named by its error kind
 * and position, never by a fragment of its text (a note may hold personal data). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bw_agentproto.h"
#include "fixture.h"

/* The doc from the source tree: BW_TOP when the test runner sets it, else the cwd. */
static FILE *open_doc(void)
{
	char path[1024];
	const char *top = getenv("BW_TOP");
	snprintf(path, sizeof path, "%s/docs/protocol.md", top && *top ? top : ".");
	return fopen(path, "r");
}

START_TEST(doc_examples_decode)
{
	FILE *f = open_doc();
	char line[4096];
	int n = 0, report = 0;
	ck_assert_msg(f != NULL, "docs/protocol.md not found (run from the top or set BW_TOP)");
	while (fgets(line, sizeof line, f)) {
		/* the examples with placeholders ("…") stand for many values: not decodable */
		if (strncmp(line, "{\"v\":1,\"type\":\"cmd\"", 19) != 0 || strstr(line, "…"))
			continue;
		line[strcspn(line, "\n")] = '\0';
		bw_agent_cmd c;
		bw_err e = { 0 };
		bw_agent_cmd_init(&c);
		int rc = bw_agent_cmd_decode(line, strlen(line), &c, &e);
		ck_assert_msg(rc == BW_OK, "docs/protocol.md: %s: %s", line, e.msg);
		if (c.op == BW_AOP_REPORT) {
			report = 1;
			ck_assert_str_eq(c.from, "2026-01-01");
			ck_assert_str_eq(c.until, "2026-12-31");
		}
		bw_agent_cmd_clear(&c);
		n++;
	}
	fclose(f);
	ck_assert_int_ge(n, 4);
	ck_assert_msg(report, "no report example in docs/protocol.md");
}
END_TEST

/* A refused command's message names the kind of JSON error and where, never the text
 * around it: the note of a move may hold a citizen's name and ID number. */
START_TEST(json_errors_quote_nothing)
{
	static const char *const bad[] = {
		"{\"v\":1,\"type\":\"cmd\",\"op\":\"move\",\"note\":\"Fatima Zahra AB123456",   /* cut */
		"{\"v\":1,\"type\":\"cmd\",\"op\":\"move\",\"note\":Fatima Zahra AB123456}",   /* no quotes */
		"{\"v\":1,\"type\":\"cmd\",\"op\":\"move\",\"note\":\"Fatima\",\"note\":\"AB123456\"}",
		"{\"v\":1,\"type\":\"cmd\",\"op\":\"move\",\"note\":\"Fatima \xff AB123456\"}",
		"{\"v\":1,\"type\":\"cmd\"} Fatima Zahra AB123456",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		bw_agent_cmd c;
		bw_err e = { 0 };
		bw_agent_cmd_init(&c);
		ck_assert_int_eq(bw_agent_cmd_decode(bad[i], strlen(bad[i]), &c, &e), BW_EINVAL);
		bw_agent_cmd_clear(&c);
		fx_json_error_quotes_nothing(e.msg, i);
	}
}
END_TEST

FX_SUITE(agentproto, "core", NULL, NULL,
		doc_examples_decode, json_errors_quote_nothing)
