/* fuzz_grammar.c: libFuzzer target for the SMS grammar: any bytes, no crash, and its promises hold. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bw_text.h"
#include "sms-gateway/grammar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* abort() makes libFuzzer keep the input that broke a promise. */
#define REQUIRE(cond) do { if (!(cond)) abort(); } while (0)

static void check_text(const char *s, size_t size)
{
	size_t n = strnlen(s, size);

	REQUIRE(n < size);
	REQUIRE(bw_utf8_valid(s, n));
}

static void check_parsed(const sms_parsed *p)
{
	REQUIRE((unsigned)p->intent < SMS_INTENT_COUNT);
	REQUIRE(strcmp(p->lang, "ar") == 0 || strcmp(p->lang, "fr") == 0);
	REQUIRE(p->intent == SMS_FILE ? p->kind >= 0 && p->kind < BW_KIND_COUNT : p->kind == -1);
	REQUIRE(p->intent == SMS_MENU_ANSWER ? p->menu_choice >= 1 && p->menu_choice <= 9
	                                     : p->menu_choice == 0);
	REQUIRE(p->ref[0] == '\0' || strspn(p->ref, "0123456789") == BW_REF_LEN);
	REQUIRE(p->ref[0] == '\0' || p->intent == SMS_STATUS);
	REQUIRE(!p->ref_bad_check || p->ref[0]);
	check_text(p->ref, sizeof p->ref);
	check_text(p->admin_hint, sizeof p->admin_hint);
	check_text(p->body, sizeof p->body);
	check_text(p->rest, sizeof p->rest);
	REQUIRE(bw_utf8_len(p->body) <= BW_TEXT_MAX);
	REQUIRE(bw_utf8_len(p->rest) <= BW_TEXT_MAX);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = malloc(size + 1);
	static char norm[8192], again[8192];
	char small[16];
	sms_parsed *p = malloc(sizeof *p), *q = malloc(sizeof *q);
	int rc;

	REQUIRE(in && p && q);
	memcpy(in, data, size);
	in[size] = '\0';

	/* a tiny buffer: cut between characters, always terminated */
	rc = sms_normalize(in, small, (size_t)(size % sizeof small) + 1);
	REQUIRE(rc == BW_OK || rc == BW_ETOOBIG);
	check_text(small, size % sizeof small + 1);

	rc = sms_normalize(in, norm, sizeof norm);
	REQUIRE(rc == BW_OK || rc == BW_ETOOBIG);
	check_text(norm, sizeof norm);
	REQUIRE(sms_parse(in, p) == BW_OK);
	check_parsed(p);

	if (rc == BW_OK) {
		/* folding is idempotent, and the grammar reads folded text the same way */
		REQUIRE(sms_normalize(norm, again, sizeof again) == BW_OK);
		REQUIRE(strcmp(norm, again) == 0);
		REQUIRE(sms_parse(norm, q) == BW_OK);
		check_parsed(q);
		REQUIRE(q->intent == p->intent && q->kind == p->kind);
		REQUIRE(strcmp(q->ref, p->ref) == 0 && q->ref_bad_check == p->ref_bad_check);
		REQUIRE(q->menu_choice == p->menu_choice);
		REQUIRE(q->ref_bad_length == p->ref_bad_length && q->darija == p->darija);
		/* folding turns Arabic digits and punctuation into ASCII, so it may lose the
		 * hint that the writer uses Arabic, never invent one */
		REQUIRE(strcmp(q->lang, "fr") == 0 || strcmp(p->lang, "ar") == 0);
		REQUIRE(strcmp(q->admin_hint, p->admin_hint) == 0);
	}
	free(in);
	free(p);
	free(q);
	return 0;
}
