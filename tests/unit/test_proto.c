/* test_proto.c: the sync protocol's topics and control messages: round trips, and the
 * strict decoders refusing what a hostile or broken peer may send; the receipt code
 * (random, checked in constant time) and the status built from a real store, whose notes
 * for the citizen come only with the right code. */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bw_proto.h"
#include "bw_state.h"
#include "bw_store.h"
#include "bw_uuid.h"
#include "fixture.h"

#define UID "018f3c2e-7b1a-7c3d-8e4f-0123456789ab"

START_TEST(topics)
{
	char t[BW_PROTO_TOPIC_MAX], dev[BW_CODE_MAX + 1];
	const char *leaf;
	ck_assert_int_eq(bw_proto_topic(t, sizeof t, "kiosk-01", "up/req", NULL), BW_OK);
	ck_assert_str_eq(t, "bawaba/v1/dev/kiosk-01/up/req");
	ck_assert_int_eq(bw_proto_topic_parse(t, dev, &leaf, NULL), BW_OK);
	ck_assert_str_eq(dev, "kiosk-01");
	ck_assert_str_eq(leaf, "up/req");
	ck_assert_int_eq(bw_proto_topic(t, sizeof t, "a/b", "up/req", NULL), BW_EINVAL);
	ck_assert_int_eq(bw_proto_topic(t, sizeof t, "+", "up/req", NULL), BW_EINVAL);
	ck_assert_int_eq(bw_proto_topic(t, 10, "kiosk-01", "up/req", NULL), BW_ETOOBIG);
	ck_assert_int_eq(bw_proto_topic_parse("bawaba/v2/dev/k/up/req", dev, &leaf, NULL), BW_EINVAL);
	ck_assert_int_eq(bw_proto_topic_parse("bawaba/v1/dev//up/req", dev, &leaf, NULL), BW_EINVAL);
	ck_assert_int_eq(bw_proto_topic_parse("bawaba/v1/dev/k1", dev, &leaf, NULL), BW_EINVAL);
	ck_assert_int_eq(bw_proto_topic_parse("bawaba/v1/dev/0123456789012345678901234567890123/up/req",
					      dev, &leaf, NULL), BW_EINVAL);
}
END_TEST

START_TEST(ack_round_trip_and_strictness)
{
	bw_ack a[3] = {
		{ .uid = UID, .ref = "000100000011", .status = BW_ACK_DUPLICATE },
		{ .uid = UID, .status = BW_ACK_REJECTED, .reason = "admin: unknown administration \"XX\"" },
		{ .uid = UID, .ref = "000100000011", .status = BW_ACK_STORED },
	}, *b;
	char *s;
	size_t n, got;
	bw_err e;
	ck_assert_int_eq(bw_ack_encode(a, 3, &s, &n, &e), BW_OK);
	ck_assert_int_eq(bw_ack_decode(s, n, &b, &got, &e), BW_OK);
	ck_assert_uint_eq(got, 3);
	ck_assert_str_eq(b[0].uid, UID);
	ck_assert_str_eq(b[0].ref, "000100000011");
	ck_assert_int_eq(b[0].status, BW_ACK_DUPLICATE);
	ck_assert_int_eq(b[1].status, BW_ACK_REJECTED);
	ck_assert_str_eq(b[1].reason, a[1].reason);
	ck_assert_str_eq(b[1].ref, "");
	ck_assert_int_eq(b[2].status, BW_ACK_STORED);
	free(b);
	free(s);
	ck_assert_int_eq(bw_ack_encode(a, 0, &s, &n, &e), BW_EINVAL);
	ck_assert_int_eq(bw_ack_encode(a, BW_PROTO_ACKS_MAX + 1, &s, &n, &e), BW_EINVAL);

#define ACK1(x) "{\"v\":1,\"type\":\"ack\",\"acks\":[" x "]}"
	static const char *const bad[] = {
		ACK1("{\"uid\":\"" UID "\",\"status\":\"stored\",\"x\":1}"),
		"{\"v\":2,\"type\":\"ack\",\"acks\":[{\"uid\":\"" UID "\",\"status\":\"stored\"}]}",
		"{\"v\":1,\"type\":\"nack\",\"acks\":[{\"uid\":\"" UID "\",\"status\":\"stored\"}]}",
		ACK1("{\"uid\":\"" UID "\",\"status\":\"maybe\"}"),
		ACK1("{\"uid\":\"not-a-uuid\",\"status\":\"stored\"}"),
		ACK1("{\"uid\":\"" UID "\",\"status\":1}"),
		ACK1("{\"uid\":\"" UID "\"}"),
		ACK1("{\"uid\":\"" UID "\",\"status\":\"stored\",\"ref\":\"12\"}"),
		ACK1("{\"uid\":\"" UID "\",\"status\":\"stored\",\"status\":\"stored\"}"),
		ACK1("{\"uid\":\"" UID "\",\"status\":\"sto\\u0000red\"}"),
		ACK1(""), ACK1("1"), ACK1("[]"),
		"{\"v\":1,\"type\":\"ack\",\"uid\":\"" UID "\",\"status\":\"stored\"}",
		"{\"v\":1,\"type\":\"ack\",\"acks\":{}}",
		"[1,2]", "{\"v\":1", "",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_msg(bw_ack_decode(bad[i], strlen(bad[i]), &b, &got, &e) != BW_OK, "accepted %s", bad[i]);
		ck_assert_ptr_null(b);
	}
	char *big = malloc(BW_PROTO_ACK_MSG_MAX + 2);
	memset(big, ' ', BW_PROTO_ACK_MSG_MAX + 1);
	ck_assert_int_eq(bw_ack_decode(big, BW_PROTO_ACK_MSG_MAX + 1, &b, &got, &e), BW_ETOOBIG);
	free(big);
}
END_TEST

START_TEST(query_and_status)
{
	char *s, ref[BW_REF_LEN + 1], code[BW_RCODE_LEN + 1];
	size_t n;
	bw_err e;
	ck_assert_int_eq(bw_query_encode("000100000011", NULL, &s, &n, &e), BW_OK);
	ck_assert_str_eq(s, "{\"v\":1,\"type\":\"query\",\"ref\":\"000100000011\"}");
	ck_assert_int_eq(bw_query_decode(s, n, ref, code, &e), BW_OK);
	ck_assert_str_eq(ref, "000100000011");
	ck_assert_str_eq(code, "");
	free(s);
	/* with the receipt code */
	ck_assert_int_eq(bw_query_encode("000100000011", "0482", &s, &n, &e), BW_OK);
	ck_assert_str_eq(s, "{\"v\":1,\"type\":\"query\",\"ref\":\"000100000011\",\"code\":\"0482\"}");
	ck_assert_int_eq(bw_query_decode(s, n, ref, code, &e), BW_OK);
	ck_assert_str_eq(code, "0482");
	free(s);
	ck_assert_int_eq(bw_query_encode("000100000011", "48a1", &s, &n, &e), BW_EINVAL);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(bw_query_encode("000100000011", "48210", &s, &n, &e), BW_EINVAL);
	const char *q = "{\"v\":1,\"type\":\"query\",\"ref\":\"0001 0000 0011\"}";
	ck_assert_int_eq(bw_query_decode(q, strlen(q), ref, code, &e), BW_ETOOBIG);   /* 14 characters */
#define Q(x) "{\"v\":1,\"type\":\"query\",\"ref\":\"000100000011\"" x "}"
	static const char *const badq[] = {
		Q(",\"code\":\"482\""), Q(",\"code\":\"48210\""), Q(",\"code\":\"٤٨٢١\""),
		Q(",\"code\":4821"), Q(",\"code\":\"\""), Q(",\"code\":\"48 1\""),
		Q(",\"code\":\"4821\",\"code\":\"4821\""), Q(",\"pin\":\"4821\""),
	};
	for (size_t i = 0; i < sizeof badq / sizeof badq[0]; i++) {
		ck_assert_msg(bw_query_decode(badq[i], strlen(badq[i]), ref, code, &e) != BW_OK, "accepted %s", badq[i]);
		ck_assert_str_eq(code, "");
	}

	bw_status st, back;
	bw_status_init(&st);
	bw_status_init(&back);
	st.found = 1;
	strcpy(st.ref, "000100000011");
	st.kind = BW_KIND_INFO;
	st.state = BW_ST_ANSWERED;
	strcpy(st.received_on, "2026-11-27");
	strcpy(st.deadline, "2026-12-25");
	for (int i = 0; i < BW_PROTO_STEPS_MAX + 3; i++)   /* the oldest fall off */
		bw_status_add_step(&st, i % BW_ST_COUNT, 1000 + i, NULL);
	bw_status_add_step(&st, BW_ST_ANSWERED, 5000, "الوثيقة جاهزة");
	ck_assert_uint_eq(st.nsteps, BW_PROTO_STEPS_MAX);
	ck_assert_int_eq(st.steps[0].at, 1004);
	/* the encoder sends a note only with a matching code, whatever the steps hold */
	ck_assert_int_eq(bw_status_encode(&st, &s, &n, &e), BW_OK);
	ck_assert_ptr_null(strstr(s, "note"));
	ck_assert_ptr_null(strstr(s, "code_ok"));
	free(s);
	st.code = BW_CODE_WRONG;
	ck_assert_int_eq(bw_status_encode(&st, &s, &n, &e), BW_OK);
	ck_assert_ptr_null(strstr(s, "note"));
	ck_assert_ptr_nonnull(strstr(s, "\"code_ok\":false"));
	ck_assert_int_eq(bw_status_decode(s, n, &back, &e), BW_OK);
	ck_assert_int_eq(back.code, BW_CODE_WRONG);
	free(s);
	st.code = BW_CODE_OK;
	ck_assert_int_eq(bw_status_encode(&st, &s, &n, &e), BW_OK);
	ck_assert_ptr_null(strstr(s, "phone"));
	ck_assert_int_eq(bw_status_decode(s, n, &back, &e), BW_OK);
	ck_assert_int_eq(back.code, BW_CODE_OK);
	ck_assert_int_eq(back.found, 1);
	ck_assert_int_eq(back.state, BW_ST_ANSWERED);
	ck_assert_str_eq(back.deadline, "2026-12-25");
	ck_assert_uint_eq(back.nsteps, BW_PROTO_STEPS_MAX);
	ck_assert_str_eq(back.steps[BW_PROTO_STEPS_MAX - 1].note, "الوثيقة جاهزة");
	ck_assert_ptr_null(back.steps[0].note);
	free(s);
	bw_status_clear(&st);
	bw_status_clear(&back);

	const char *notfound = "{\"v\":1,\"type\":\"status\",\"found\":false,\"ref\":\"000100000011\"}";
	ck_assert_int_eq(bw_status_decode(notfound, strlen(notfound), &back, &e), BW_OK);
	ck_assert_int_eq(back.found, 0);
	const char *badstep = "{\"v\":1,\"type\":\"status\",\"found\":true,\"ref\":\"000100000011\","
		"\"kind\":\"complaint\",\"state\":\"received\",\"timeline\":[{\"state\":\"received\",\"at\":1,\"who\":\"x\"}]}";
	ck_assert_int_eq(bw_status_decode(badstep, strlen(badstep), &back, &e), BW_EINVAL);
	const char *badstate = "{\"v\":1,\"type\":\"status\",\"found\":true,\"ref\":\"000100000011\","
		"\"kind\":\"complaint\",\"state\":\"lost\",\"timeline\":[]}";
	ck_assert_int_eq(bw_status_decode(badstate, strlen(badstate), &back, &e), BW_EINVAL);
	/* a note without "code_ok":true is refused: a peer cannot slip the answer past the
	 * code */
#define LEAK(x) "{\"v\":1,\"type\":\"status\",\"found\":true,\"ref\":\"000100000011\"," \
		"\"kind\":\"complaint\",\"state\":\"answered\"," x "\"timeline\":[{\"state\":\"answered\",\"at\":1,\"note\":\"x\"}]}"
	const char *buf = LEAK("");
	ck_assert_int_eq(bw_status_decode(buf, strlen(buf), &back, &e), BW_EINVAL);
	buf = LEAK("\"code_ok\":false,");
	ck_assert_int_eq(bw_status_decode(buf, strlen(buf), &back, &e), BW_EINVAL);
	buf = LEAK("\"code_ok\":true,");
	ck_assert_int_eq(bw_status_decode(buf, strlen(buf), &back, &e), BW_OK);
	ck_assert_str_eq(back.steps[0].note, "x");
	bw_status_clear(&back);
	ck_assert_int_eq(bw_status_note_public(BW_ST_ASSIGNED), 0);   /* "to whom" stays inside */
	ck_assert_int_eq(bw_status_note_public(BW_ST_ANSWERED), 1);
}
END_TEST

START_TEST(presence)
{
	bw_presence p = { .online = 1, .at = 1795773600, .outbox = 12, .cursor = 99, .signal = 70,
	                  .queue = -1 }, b;
	char *s;
	size_t n;
	bw_err e;
	ck_assert_int_eq(bw_presence_encode(&p, &s, &n, &e), BW_OK);
	ck_assert_int_eq(bw_presence_decode(s, n, &b, &e), BW_OK);
	ck_assert_int_eq(b.online, 1);
	ck_assert_int_eq(b.outbox, 12);
	ck_assert_int_eq(b.cursor, 99);
	ck_assert_int_eq(b.signal, 70);
	ck_assert_int_eq(b.queue, -1);
	free(s);
	const char *will = "{\"v\":1,\"type\":\"presence\",\"online\":false}";
	ck_assert_int_eq(bw_presence_decode(will, strlen(will), &b, &e), BW_OK);
	ck_assert_int_eq(b.online, 0);
	const char *bad[] = {
		"{\"v\":1,\"type\":\"presence\",\"online\":\"yes\"}",
		"{\"v\":1,\"type\":\"presence\",\"online\":true,\"signal\":101}",
		"{\"v\":1,\"type\":\"presence\",\"online\":true,\"cursor\":-5}",
		"{\"v\":1,\"type\":\"presence\",\"online\":true,\"outbox\":1.5}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(bw_presence_decode(bad[i], strlen(bad[i]), &b, &e) != BW_OK, "accepted %s", bad[i]);
}
END_TEST

START_TEST(receipt_codes)
{
	static unsigned char seen[10000];
	char c[BW_RCODE_LEN + 1];
	int distinct = 0;
	memset(seen, 0, sizeof seen);
	/* 2000 draws of 10000 values: about 1813 distinct expected; a broken generator
	 * (constant, a few bits only) falls far below */
	for (int i = 0; i < 2000; i++) {
		ck_assert_int_eq(bw_rcode_make(c, NULL), BW_OK);
		ck_assert_msg(bw_rcode_valid(c), "made \"%s\"", c);
		int v = atoi(c);
		distinct += !seen[v];
		seen[v] = 1;
	}
	ck_assert_int_gt(distinct, 1650);
	ck_assert_int_eq(bw_rcode_valid("0000"), 1);
	ck_assert_int_eq(bw_rcode_valid("123"), 0);
	ck_assert_int_eq(bw_rcode_valid("12345"), 0);
	ck_assert_int_eq(bw_rcode_valid("12a4"), 0);
	ck_assert_int_eq(bw_rcode_valid(""), 0);
	ck_assert_int_eq(bw_rcode_match("4821", "4821"), 1);
	ck_assert_int_eq(bw_rcode_match("4821", "4820"), 0);
	ck_assert_int_eq(bw_rcode_match("4821", "482"), 0);
	ck_assert_int_eq(bw_rcode_match("4821", "48210"), 0);
	ck_assert_int_eq(bw_rcode_match("4821", NULL), 0);
	ck_assert_int_eq(bw_rcode_match("", ""), 0);       /* a request from before codes */
}
END_TEST

/* Steps with a note, and the note of the last step carrying one. */
static int notes_in(const bw_status *st, const char **last)
{
	int n = 0;
	*last = NULL;
	for (size_t i = 0; i < st->nsteps; i++)
		if (st->steps[i].note) {
			n++;
			*last = st->steps[i].note;
		}
	return n;
}

START_TEST(status_notes_only_with_the_code)
{
	char path[FX_PATH];
	bw_store *S = fx_store(path, "proto", 0);
	bw_err e;
	ck_assert_int_eq(sqlite3_exec(bw_store_db(S),
		"INSERT INTO administrations VALUES ('TEST', 'إدارة', 'Administration', 'ⵜⴰⵏⴱⴰⴹⵜ', '')",
		NULL, NULL, NULL), SQLITE_OK);
	bw_request *r = calloc(1, sizeof *r), *back = calloc(1, sizeof *back);
	bw_request_init(r);
	ck_assert_int_eq(bw_uuid_v7(r->uid, NULL), BW_OK);
	strcpy(r->ref, "000100000011");
	r->kind = BW_KIND_INFO;
	strcpy(r->admin, "TEST");
	strcpy(r->text, "Budget 2025");
	strcpy(r->name, "Amina Alaoui");
	strcpy(r->id_number, "AB123456");
	strcpy(r->contact, "amina@example.ma");
	r->form = BW_FORM_ONSITE;
	r->received_at = 1795773600;
	strcpy(r->received_on, "2026-11-27");
	strcpy(r->device, "kiosk-01");
	strcpy(r->code, "0482");   /* the device's */
	ck_assert_msg(bw_store_insert(S, r, "citizen", &e) == BW_OK, "%s", e.msg);
	ck_assert_int_eq(bw_store_get(S, "000100000011", back, &e), BW_OK);
	ck_assert_str_eq(back->code, "0482");
	ck_assert_int_eq(bw_store_transition(S, r->ref, BW_ST_ASSIGNED, "agent:amina", "to the officer", 1795800000, NULL, &e), BW_OK);
	ck_assert_int_eq(bw_store_transition(S, r->ref, BW_ST_ANSWERED, "agent:amina", "Votre CNIE AB123456 est prête", 1795900000, NULL, &e), BW_OK);

	bw_status st;
	const char *last;
	char *none, *wrong, *p;
	size_t nl, wl;
	bw_status_init(&st);
	/* no code: states and dates, no note at all */
	ck_assert_int_eq(bw_status_load(S, "000100000011", NULL, &st, &e), BW_OK);
	ck_assert_int_eq(st.found, 1);
	ck_assert_int_eq(st.state, BW_ST_ANSWERED);
	ck_assert_int_eq(st.code, BW_CODE_NONE);
	ck_assert_uint_eq(st.nsteps, 3);
	ck_assert_int_eq(notes_in(&st, &last), 0);
	ck_assert_int_eq(bw_status_encode(&st, &none, &nl, &e), BW_OK);
	ck_assert_ptr_null(strstr(none, "CNIE"));
	/* a wrong code: the same, and told it was wrong */
	ck_assert_int_eq(bw_status_load(S, "000100000011", "0483", &st, &e), BW_OK);
	ck_assert_int_eq(st.code, BW_CODE_WRONG);
	ck_assert_int_eq(notes_in(&st, &last), 0);
	ck_assert_int_eq(bw_status_encode(&st, &wrong, &wl, &e), BW_OK);
	ck_assert_ptr_null(strstr(wrong, "CNIE"));
	/* byte for byte the answer without a code, but for "code_ok":false */
	ck_assert_ptr_nonnull(p = strstr(wrong, ",\"code_ok\":false"));
	memmove(p, p + strlen(",\"code_ok\":false"), strlen(p + strlen(",\"code_ok\":false")) + 1);
	ck_assert_str_eq(wrong, none);
	free(none);
	free(wrong);
	/* the right code: the answer, and only the notes meant for the citizen */
	ck_assert_int_eq(bw_status_load(S, "000100000011", "0482", &st, &e), BW_OK);
	ck_assert_int_eq(st.code, BW_CODE_OK);
	ck_assert_int_eq(notes_in(&st, &last), 1);
	ck_assert_str_eq(last, "Votre CNIE AB123456 est prête");
	ck_assert_ptr_null(st.steps[1].note);   /* "to the officer" stays inside */
	/* not found: nothing, with or without a code */
	ck_assert_int_eq(bw_status_load(S, "000100000022", "0482", &st, &e), BW_OK);
	ck_assert_int_eq(st.found, 0);
	ck_assert_int_eq(st.nsteps, 0);

	/* the store makes a code when the caller has none (desk, paper, SMS) */
	bw_request_init(r);
	ck_assert_int_eq(bw_uuid_v7(r->uid, NULL), BW_OK);
	strcpy(r->ref, "000100000022");
	r->kind = BW_KIND_COMPLAINT;
	r->channel = BW_CHANNEL_DESK;
	strcpy(r->admin, "TEST");
	strcpy(r->text, "Guichet fermé");
	r->received_at = 1795773600;
	strcpy(r->received_on, "2026-11-27");
	ck_assert_msg(bw_store_insert(S, r, "agent:amina", &e) == BW_OK, "%s", e.msg);
	ck_assert(bw_rcode_valid(r->code));
	ck_assert_int_eq(bw_store_get(S, "000100000022", back, &e), BW_OK);
	ck_assert_str_eq(back->code, r->code);
	/* a malformed code is refused, nothing stored */
	bw_request_init(r);
	ck_assert_int_eq(bw_uuid_v7(r->uid, NULL), BW_OK);
	strcpy(r->ref, "000100000033");
	strcpy(r->admin, "TEST");
	strcpy(r->text, "x");
	r->received_at = 1795773600;
	strcpy(r->received_on, "2026-11-27");
	strcpy(r->code, "12a4");
	ck_assert_int_eq(bw_store_insert(S, r, "citizen", &e), BW_EINVAL);
	ck_assert_int_eq(bw_store_get(S, "000100000033", back, NULL), BW_ENOTFOUND);
	/* a request stored before codes (code '') opens with no code at all */
	ck_assert_int_eq(sqlite3_exec(bw_store_db(S), "UPDATE requests SET code = '' WHERE ref = '000100000011'",
				      NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(bw_status_load(S, "000100000011", "0482", &st, &e), BW_OK);
	ck_assert_int_eq(st.code, BW_CODE_WRONG);
	ck_assert_int_eq(notes_in(&st, &last), 0);
	bw_status_clear(&st);
	free(r);
	free(back);
	fx_store_remove(S, path);
}
END_TEST

FX_SUITE(proto, "proto", NULL, NULL,
		topics, ack_round_trip_and_strictness, query_and_status, presence,
		receipt_codes, status_notes_only_with_the_code)
