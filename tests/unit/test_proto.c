/* test_proto.c: the sync protocol's topics and control messages: round trips, and the
 * strict decoders refusing what a hostile or broken peer may send. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "bw_proto.h"
#include "bw_state.h"

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
	char *s, ref[BW_REF_LEN + 1];
	size_t n;
	bw_err e;
	ck_assert_int_eq(bw_query_encode("000100000011", &s, &n, &e), BW_OK);
	ck_assert_int_eq(bw_query_decode(s, n, ref, &e), BW_OK);
	ck_assert_str_eq(ref, "000100000011");
	free(s);
	const char *q = "{\"v\":1,\"type\":\"query\",\"ref\":\"0001 0000 0011\"}";
	ck_assert_int_eq(bw_query_decode(q, strlen(q), ref, &e), BW_ETOOBIG);   /* 14 characters */

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
	ck_assert_int_eq(bw_status_encode(&st, &s, &n, &e), BW_OK);
	ck_assert_ptr_null(strstr(s, "phone"));
	ck_assert_int_eq(bw_status_decode(s, n, &back, &e), BW_OK);
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

Suite *suite_proto(void)
{
	Suite *s = suite_create("proto");
	TCase *t = tcase_create("proto");
	tcase_add_test(t, topics);
	tcase_add_test(t, ack_round_trip_and_strictness);
	tcase_add_test(t, query_and_status);
	tcase_add_test(t, presence);
	suite_add_tcase(s, t);
	return s;
}
