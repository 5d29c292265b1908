/* test_wire.c: the JSON wire format: round trips of requests and events, and every way
 * the strict decoder must refuse a payload, each naming the offending field. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bw_wire.h"
#include "fixture.h"

#define UID "0190f0e2-7c4a-7b3e-9c1d-2a4b6c8d0e1f"
#define UID2 "0190f0e2-7c4a-7b3e-9c1d-2a4b6c8d0e20"
/* the smallest valid request, open at the end so a test can add keys */
#define HEAD "{\"v\":1,\"type\":\"request\",\"uid\":\"" UID "\",\"kind\":\"complaint\",\"channel\":\"kiosk\""

static const char *ARABIC = "أريد معرفة ميزانية الجماعة لسنة 2024";
static const char *TIFINAGH = "ⴰⵣⵓⵍ ⴼⵍⵍⴰⵡⵏ, ⵔⵉⵖ ⴰⴷ ⵙⵙⵏⵖ";

/* n copies of the UTF-8 character ch, in a fresh buffer */
static char *repeat(const char *ch, size_t n)
{
	size_t l = strlen(ch);
	char *s = malloc(l * n + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * l, ch, l);
	s[l * n] = '\0';
	return s;
}

static int starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void same_request(const bw_request *a, const bw_request *b)
{
	ck_assert_str_eq(a->uid, b->uid);
	ck_assert_str_eq(a->ref, b->ref);
	ck_assert_str_eq(a->code, b->code);
	ck_assert_int_eq(a->kind, b->kind);
	ck_assert_int_eq(a->channel, b->channel);
	ck_assert_str_eq(a->admin, b->admin);
	ck_assert_str_eq(a->category, b->category);
	ck_assert_str_eq(a->site, b->site);
	ck_assert_str_eq(a->device, b->device);
	ck_assert_str_eq(a->lang, b->lang);
	ck_assert_str_eq(a->text, b->text);
	ck_assert_str_eq(a->phone, b->phone);
	ck_assert_int_eq(a->consent, b->consent);
	ck_assert_str_eq(a->name, b->name);
	ck_assert_str_eq(a->id_number, b->id_number);
	ck_assert_str_eq(a->address, b->address);
	ck_assert_str_eq(a->contact, b->contact);
	ck_assert_int_eq(a->form, b->form);
	ck_assert_int_eq(a->urgent, b->urgent);
	ck_assert_int_eq(a->received_at, b->received_at);
	ck_assert_str_eq(a->received_on, b->received_on);
	ck_assert_int_eq(a->state, b->state);
	ck_assert_str_eq(a->deadline, b->deadline);
	ck_assert_int_eq(a->extended, b->extended);
}

/* encodes r, decodes the result into a fresh request and compares; returns the JSON */
static char *round_trip(const bw_request *r)
{
	char *js = NULL;
	size_t len = 0;
	bw_err e;
	bw_request back;

	bw_err_clear(&e);
	ck_assert_msg(bw_wire_request_encode(r, &js, &len, &e) == BW_OK, "encode: %s", e.msg);
	ck_assert_ptr_nonnull(js);
	ck_assert_uint_eq(len, strlen(js));
	ck_assert_msg(bw_wire_request_decode(js, len, &back, &e) == BW_OK, "decode: %s in %s",
	              e.msg, js);
	same_request(r, &back);
	return js;
}

static void base_request(bw_request *r, enum bw_kind k, enum bw_channel c)
{
	bw_request_init(r);
	strcpy(r->uid, UID);
	strcpy(r->ref, "100000000017");
	strcpy(r->code, "0482");
	r->kind = k;
	r->channel = c;
	strcpy(r->admin, "commune-rabat");
	strcpy(r->site, "rabat-agdal");
	strcpy(r->device, "kiosk-01");
	strcpy(r->text, ARABIC);
	r->received_at = 1717000000;
	strcpy(r->received_on, "2024-05-29");
	strcpy(r->deadline, "2024-07-10");
}

/* decodes json (its whole length), expects code and a message starting with prefix */
static void reject(const char *json, int code, const char *prefix)
{
	bw_request r;
	bw_err e;
	bw_err_clear(&e);
	int rc = bw_wire_request_decode(json, strlen(json), &r, &e);
	ck_assert_msg(rc == code, "%s: got %d (%s), want %d", json, rc, e.msg, code);
	ck_assert_msg(strncmp(e.msg, prefix, strlen(prefix)) == 0,
	              "message \"%s\" does not start with \"%s\"", e.msg, prefix);
}

START_TEST(every_kind_round_trips)
{
	static const enum bw_channel ch[] = { BW_CHANNEL_KIOSK, BW_CHANNEL_SMS, BW_CHANNEL_DESK,
	                                       BW_CHANNEL_PAPER };
	for (int k = 0; k < BW_KIND_COUNT; k++) {
		bw_request r;
		base_request(&r, (enum bw_kind)k, ch[k]);
		if (k == BW_KIND_SUGGESTION)
			strcpy(r.lang, "zgh"), strcpy(r.text, TIFINAGH);
		if (ch[k] == BW_CHANNEL_SMS)
			strcpy(r.phone, "+212612345678"), r.consent = 1;
		char *js = round_trip(&r);
		char want[64];
		snprintf(want, sizeof want, "\"kind\":\"%s\"", bw_kind_name((enum bw_kind)k));
		ck_assert_msg(strstr(js, want), "%s not in %s", want, js);
		free(js);
	}
}
END_TEST

START_TEST(info_request_with_identity_round_trips)
{
	bw_request r;
	base_request(&r, BW_KIND_INFO, BW_CHANNEL_KIOSK);
	strcpy(r.category, "budget");
	strcpy(r.name, "فاطمة الزهراء بنعلي");
	strcpy(r.id_number, "AB123456");
	strcpy(r.address, "حي السلام، زنقة 12، الرباط");
	strcpy(r.contact, "fatima@example.ma");
	strcpy(r.phone, "+212612345678");
	r.consent = 1;
	r.form = BW_FORM_EMAIL;
	r.urgent = 1;
	r.state = BW_ST_EXTENDED;
	r.extended = 1;
	char *js = round_trip(&r);
	/* compact, versioned, in a fixed order, Arabic as raw UTF-8 rather than \u escapes */
	ck_assert_msg(starts(js, "{\"v\":1,\"type\":\"request\",\"uid\":\"" UID "\",\"ref\":"
	                     "\"100000000017\",\"code\":\"0482\",\"kind\":\"info\",\"channel\":\"kiosk\","), "%s", js);
	ck_assert_ptr_null(strstr(js, "\": "));
	ck_assert_ptr_null(strstr(js, "\\u06"));
	ck_assert_ptr_nonnull(strstr(js, "\"name\":\"فاطمة"));
	ck_assert_ptr_nonnull(strstr(js, "\"form\":\"email\""));
	ck_assert_ptr_nonnull(strstr(js, "\"urgent\":true"));
	ck_assert_ptr_nonnull(strstr(js, "\"state\":\"extended\""));
	ck_assert_ptr_nonnull(strstr(js, "\"received_at\":1717000000"));
	free(js);
}
END_TEST

START_TEST(empty_optional_fields_are_left_out)
{
	bw_request r, back;
	char *js;
	size_t len;
	bw_request_init(&r);
	strcpy(r.uid, UID);
	ck_assert_int_eq(bw_wire_request_encode(&r, &js, &len, NULL), BW_OK);
	ck_assert_str_eq(js, "{\"v\":1,\"type\":\"request\",\"uid\":\"" UID "\",\"kind\":\"complaint\","
	                     "\"channel\":\"kiosk\",\"state\":\"received\",\"lang\":\"ar\"}");
	ck_assert_int_eq(bw_wire_request_decode(js, len, &back, NULL), BW_OK);
	same_request(&r, &back);
	free(js);
}
END_TEST

START_TEST(max_length_text_round_trips)
{
	bw_request r;
	/* 2000 Arabic letters (2 bytes each), then 2000 four-byte characters: the latter
	 * fill the buffer to its last byte */
	static const char *chars[] = { "ع", "ⵣ", "😀" };
	for (size_t i = 0; i < 3; i++) {
		base_request(&r, BW_KIND_COMPLAINT, BW_CHANNEL_KIOSK);
		char *t = repeat(chars[i], BW_TEXT_MAX);
		ck_assert_uint_lt(strlen(t), sizeof r.text);
		strcpy(r.text, t);
		strcpy(r.name, "");
		char *js = round_trip(&r);
		free(js);
		free(t);
	}
	/* every identity field at its limit too */
	base_request(&r, BW_KIND_INFO, BW_CHANNEL_DESK);
	char *n = repeat("ن", BW_NAME_MAX), *a = repeat("ⴰ", BW_ADDRESS_MAX),
	     *c = repeat("😀", BW_CONTACT_MAX);
	strcpy(r.name, n);
	strcpy(r.address, a);
	strcpy(r.contact, c);
	strcpy(r.id_number, "12345678901234567890");
	free(round_trip(&r));
	free(n), free(a), free(c);
}
END_TEST

START_TEST(encoder_refuses_what_the_decoder_would)
{
	bw_request r;
	bw_err e;
	char *js = (char *)"sentinel";
	base_request(&r, BW_KIND_COMPLAINT, BW_CHANNEL_KIOSK);
	char *t = repeat("ع", BW_TEXT_MAX + 1);
	strcpy(r.text, t);
	free(t);
	ck_assert_int_eq(bw_wire_request_encode(&r, &js, NULL, &e), BW_ETOOBIG);
	ck_assert_ptr_null(js);
	ck_assert_str_eq(e.msg, "text: too long (2001 characters, at most 2000)");

	base_request(&r, BW_KIND_COMPLAINT, BW_CHANNEL_KIOSK);
	memset(r.uid, 'a', sizeof r.uid);
	ck_assert_int_eq(bw_wire_request_encode(&r, &js, NULL, &e), BW_EINVAL);
	ck_assert_str_eq(e.msg, "uid: not NUL-terminated in its 37-byte buffer");

	base_request(&r, BW_KIND_COMPLAINT, BW_CHANNEL_KIOSK);
	r.kind = (enum bw_kind)99;
	ck_assert_int_eq(bw_wire_request_encode(&r, &js, NULL, &e), BW_EINVAL);
	ck_assert_str_eq(e.msg, "kind: out of range (99)");

	base_request(&r, BW_KIND_COMPLAINT, BW_CHANNEL_KIOSK);
	strcpy(r.text, "bad \xC3\x28 byte");
	ck_assert_int_eq(bw_wire_request_encode(&r, &js, NULL, &e), BW_EINVAL);
	ck_assert_str_eq(e.msg, "text: not valid UTF-8");
}
END_TEST

START_TEST(rejects_malformed_payloads)
{
	bw_request r;
	bw_err e;
	char *js;
	size_t len;

	/* truncated */
	base_request(&r, BW_KIND_COMPLAINT, BW_CHANNEL_KIOSK);
	ck_assert_int_eq(bw_wire_request_encode(&r, &js, &len, NULL), BW_OK);
	ck_assert_int_eq(bw_wire_request_decode(js, len - 7, &r, &e), BW_EINVAL);
	ck_assert_msg(strncmp(e.msg, "json: ", 6) == 0 && strstr(e.msg, "at line 1, column"),
	              "%s", e.msg);
	free(js);

	/* 33 KiB: refused by size, before jansson sees it (it would be valid JSON) */
	size_t big = 33 * 1024;
	char *b = malloc(big + 1);
	memset(b, ' ', big);
	memcpy(b, HEAD "}", strlen(HEAD "}"));
	b[big] = '\0';
	ck_assert_int_eq(bw_wire_request_decode(b, big, &r, &e), BW_ETOOBIG);
	ck_assert_str_eq(e.msg, "json: payload too big (33792 bytes, at most 32768)");
	/* ... while the same object padded to exactly the limit is fine */
	ck_assert_int_eq(bw_wire_request_decode(b, BW_WIRE_MAX, &r, &e), BW_OK);
	free(b);

	reject("[1,2,3]", BW_EINVAL, "json: expected an object at the top level");
	reject("\"request\"", BW_EINVAL, "json: ");
	reject("", BW_EINVAL, "json: ");

	char *deep = repeat("[", 10000);
	reject(deep, BW_EINVAL, "json: nested too deeply");
	free(deep);
	/* nested inside a field: depth is refused by the loader all the same */
	char *d2 = malloc(20000);
	snprintf(d2, 20000, HEAD ",\"text\":%s}", (deep = repeat("{\"a\":", 3000)));
	free(deep);
	reject(d2, BW_EINVAL, "json: nested too deeply");
	free(d2);

	/* a string with a byte that is not UTF-8, and one with an escaped NUL */
	reject(HEAD ",\"text\":\"abc \xff\xfe def\"}", BW_EINVAL, "json: invalid UTF-8 at line 1");
	reject(HEAD ",\"text\":\"\xed\xa0\x80\"}", BW_EINVAL, "json: invalid UTF-8");  /* surrogate */
	reject(HEAD ",\"text\":\"a\\u0000b\"}", BW_EINVAL, "json: \\u0000 in a string at line 1");
}
END_TEST

START_TEST(rejects_bad_header)
{
	reject("{\"type\":\"request\",\"uid\":\"" UID "\"}", BW_EINVAL, "v: missing");
	reject("{\"v\":2,\"type\":\"request\",\"uid\":\"" UID "\"}", BW_EINVAL,
	       "v: unsupported version 2 (this program speaks 1)");
	reject("{\"v\":\"1\",\"type\":\"request\"}", BW_EINVAL, "v: expected an integer");
	reject("{\"v\":1.0,\"type\":\"request\"}", BW_EINVAL, "v: expected an integer");
	reject("{\"v\":1}", BW_EINVAL, "type: missing");
	reject("{\"v\":1,\"type\":7}", BW_EINVAL, "type: expected a string");
	reject("{\"v\":1,\"type\":\"event\"}", BW_EINVAL, "type: expected \"request\", got \"event\"");
	char *t = repeat("x", 100);
	char js[256];
	snprintf(js, sizeof js, "{\"v\":1,\"type\":\"%s\"}", t);
	free(t);
	reject(js, BW_ETOOBIG, "type: too long");
}
END_TEST

START_TEST(rejects_bad_fields)
{
	/* the minimal object is accepted */
	reject(HEAD "}", BW_OK, "");
	reject("{\"v\":1,\"type\":\"request\",\"kind\":\"info\",\"channel\":\"sms\"}", BW_EINVAL,
	       "uid: missing");
	reject("{\"v\":1,\"type\":\"request\",\"uid\":\"" UID "\",\"channel\":\"sms\"}", BW_EINVAL,
	       "kind: missing");
	reject("{\"v\":1,\"type\":\"request\",\"uid\":\"" UID "\",\"kind\":\"plaint\",\"channel\":\"sms\"}",
	       BW_EINVAL, "kind: unknown value \"plaint\"");
	reject(HEAD ",\"channel2\":\"sms\"}", BW_EINVAL, "channel2: unknown key");
	reject(HEAD ",\"form\":\"pigeon\"}", BW_EINVAL, "form: unknown value \"pigeon\"");
	reject(HEAD ",\"state\":\"RECEIVED\"}", BW_EINVAL, "state: unknown value \"RECEIVED\"");
	reject(HEAD ",\"kind\":\"info\"}", BW_EINVAL, "kind: duplicate key");
	reject(HEAD ",\"admin\":42}", BW_EINVAL, "admin: expected a string");
	reject(HEAD ",\"text\":null}", BW_EINVAL, "text: expected a string");
	reject(HEAD ",\"lang\":[\"ar\"]}", BW_EINVAL, "lang: expected a string");
	reject(HEAD ",\"consent\":\"yes\"}", BW_EINVAL, "consent: expected true or false");
	reject(HEAD ",\"urgent\":1}", BW_EINVAL, "urgent: expected true or false");
	reject(HEAD ",\"received_at\":\"1717000000\"}", BW_EINVAL, "received_at: expected an integer");
	reject(HEAD ",\"received_at\":1.5}", BW_EINVAL, "received_at: expected an integer");
	reject("{\"v\":1,\"type\":\"request\",\"uid\":1,\"kind\":\"info\",\"channel\":\"sms\"}",
	       BW_EINVAL, "uid: expected a string");
	/* the receipt code: four ASCII digits (typed on the keypad), or absent */
	reject(HEAD ",\"code\":\"0482\"}", BW_OK, "");
	reject(HEAD ",\"code\":\"482\"}", BW_EINVAL, "code: not 4 digits");
	reject(HEAD ",\"code\":\"48a2\"}", BW_EINVAL, "code: not 4 digits");
	reject(HEAD ",\"code\":\"48210\"}", BW_ETOOBIG, "code: too long");
	reject(HEAD ",\"code\":4821}", BW_EINVAL, "code: expected a string");
	/* an unknown key is named, sanitised, even when it is long and strange */
	reject(HEAD ",\"a\\\"b\\n\":1}", BW_EINVAL, "a?b?: unknown key");

	/* lengths: uid of 37 characters; phone that fits in characters but not in bytes */
	reject("{\"v\":1,\"type\":\"request\",\"uid\":\"" UID "0\",\"kind\":\"info\",\"channel\":\"sms\"}",
	       BW_ETOOBIG, "uid: too long (37 bytes, at most 36)");
	reject(HEAD ",\"phone\":\"٠٦١٢٣٤٥٦٧٨٩٠١\"}", BW_ETOOBIG, "phone: too long (26 bytes, at most 13)");
	reject(HEAD ",\"lang\":\"arab\"}", BW_ETOOBIG, "lang: too long");

	/* text: 2001 Arabic letters fit the buffer but not the limit; 2000 is fine */
	char *t = repeat("ع", BW_TEXT_MAX + 1);
	size_t n = strlen(t) + 200;
	char *js = malloc(n);
	snprintf(js, n, HEAD ",\"text\":\"%s\"}", t);
	reject(js, BW_ETOOBIG, "text: too long (2001 characters, at most 2000)");
	snprintf(js, n, HEAD ",\"text\":\"%s\"}", t + strlen("ع"));
	reject(js, BW_OK, "");
	free(js);
	free(t);
	/* 2001 four-byte characters would overflow the buffer: caught by the byte check */
	t = repeat("😀", BW_TEXT_MAX + 1);
	n = strlen(t) + 200;
	js = malloc(n);
	snprintf(js, n, HEAD ",\"text\":\"%s\"}", t);
	reject(js, BW_ETOOBIG, "text: too long (8004 bytes, at most 8000)");
	free(js);
	free(t);
}
END_TEST

START_TEST(decoding_escapes)
{
	bw_request r;
	const char *js = HEAD ",\"text\":\"\\u0627\\u0644\\u0645\\u0627\\u0621 \\\"x\\\"\\n\\ud83d\\ude00\"}";
	ck_assert_int_eq(bw_wire_request_decode(js, strlen(js), &r, NULL), BW_OK);
	ck_assert_str_eq(r.text, "الماء \"x\"\n😀");
	ck_assert_str_eq(r.lang, "ar");             /* absent: bw_request_init's default */
	ck_assert_int_eq(r.state, BW_ST_RECEIVED);
	ck_assert_int_eq(r.form, BW_FORM_NONE);
	/* not NUL-terminated input: only len bytes are read */
	char buf[sizeof HEAD + 8];
	memcpy(buf, HEAD "}XXXXXXX", sizeof buf);
	ck_assert_int_eq(bw_wire_request_decode(buf, strlen(HEAD "}"), &r, NULL), BW_OK);
}
END_TEST

static void event_base(bw_event *ev)
{
	memset(ev, 0, sizeof *ev);
	ev->id = 77;
	strcpy(ev->uid, UID2);
	strcpy(ev->request_uid, UID);
	ev->at = 1717000100;
	strcpy(ev->actor, "agent:amina");
	ev->old_state = BW_ST_IN_PROGRESS;
	ev->new_state = BW_ST_ANSWERED;
	strcpy(ev->note, "تمت الإجابة على طلبكم. ⵜⴰⵏⵎⵎⵉⵔⵜ");
}

START_TEST(events_round_trip)
{
	bw_event ev, back;
	char ref[BW_REF_LEN + 1], *js;
	size_t len;
	bw_err e;

	event_base(&ev);
	ck_assert_int_eq(bw_wire_event_encode(&ev, "100000000017", &js, &len, &e), BW_OK);
	ck_assert_msg(starts(js, "{\"v\":1,\"type\":\"event\",\"uid\":\"" UID2 "\",\"request_uid\":\""
	                     UID "\",\"ref\":\"100000000017\",\"at\":1717000100,"), "%s", js);
	ck_assert_ptr_nonnull(strstr(js, "\"old_state\":\"in_progress\",\"new_state\":\"answered\""));
	ck_assert_ptr_null(strstr(js, "\"id\""));
	ck_assert_int_eq(bw_wire_event_decode(js, len, &back, ref, &e), BW_OK);
	free(js);
	ck_assert_int_eq(back.id, 0);
	ck_assert_str_eq(back.uid, ev.uid);
	ck_assert_str_eq(back.request_uid, ev.request_uid);
	ck_assert_str_eq(ref, "100000000017");
	ck_assert_int_eq(back.at, ev.at);
	ck_assert_str_eq(back.actor, ev.actor);
	ck_assert_int_eq(back.old_state, BW_ST_IN_PROGRESS);
	ck_assert_int_eq(back.new_state, BW_ST_ANSWERED);
	ck_assert_str_eq(back.note, ev.note);

	/* the first event: no old state, no ref, no note */
	event_base(&ev);
	ev.old_state = -1;
	ev.new_state = BW_ST_RECEIVED;
	ev.note[0] = '\0';
	ck_assert_int_eq(bw_wire_event_encode(&ev, NULL, &js, &len, &e), BW_OK);
	ck_assert_ptr_null(strstr(js, "old_state"));
	ck_assert_ptr_null(strstr(js, "note"));
	ck_assert_ptr_null(strstr(js, "ref"));
	strcpy(ref, "junk");
	ck_assert_int_eq(bw_wire_event_decode(js, len, &back, ref, &e), BW_OK);
	ck_assert_int_eq(back.old_state, -1);
	ck_assert_int_eq(back.new_state, BW_ST_RECEIVED);
	ck_assert_str_eq(back.note, "");
	ck_assert_str_eq(ref, "");
	ck_assert_int_eq(bw_wire_event_decode(js, len, &back, NULL, &e), BW_OK);
	free(js);

	/* a maximal note of four-byte characters */
	event_base(&ev);
	char *n = repeat("😀", BW_NOTE_MAX);
	strcpy(ev.note, n);
	free(n);
	ck_assert_int_eq(bw_wire_event_encode(&ev, "100000000017", &js, &len, &e), BW_OK);
	ck_assert_int_eq(bw_wire_event_decode(js, len, &back, ref, &e), BW_OK);
	ck_assert_str_eq(back.note, ev.note);
	free(js);

	event_base(&ev);
	ev.old_state = -2;
	ck_assert_int_eq(bw_wire_event_encode(&ev, NULL, &js, &len, &e), BW_EINVAL);
	ck_assert_str_eq(e.msg, "old_state: out of range (-2)");
	ck_assert_int_eq(bw_wire_event_encode(&ev, "1234567890123", &js, &len, &e), BW_ETOOBIG);
	ck_assert_msg(strncmp(e.msg, "ref: too long", 13) == 0, "%s", e.msg);
}
END_TEST

static void reject_event(const char *json, int code, const char *prefix)
{
	bw_event ev;
	bw_err e;
	char ref[BW_REF_LEN + 1];
	bw_err_clear(&e);
	int rc = bw_wire_event_decode(json, strlen(json), &ev, ref, &e);
	ck_assert_msg(rc == code, "%s: got %d (%s), want %d", json, rc, e.msg, code);
	ck_assert_msg(strncmp(e.msg, prefix, strlen(prefix)) == 0,
	              "message \"%s\" does not start with \"%s\"", e.msg, prefix);
}

#define EVHEAD "{\"v\":1,\"type\":\"event\",\"uid\":\"" UID2 "\",\"request_uid\":\"" UID "\""

START_TEST(events_rejected)
{
	reject_event(EVHEAD ",\"at\":5,\"new_state\":\"closed\"}", BW_OK, "");
	reject_event(EVHEAD ",\"new_state\":\"closed\"}", BW_EINVAL, "at: missing");
	reject_event(EVHEAD ",\"at\":5}", BW_EINVAL, "new_state: missing");
	reject_event(EVHEAD ",\"at\":\"5\",\"new_state\":\"closed\"}", BW_EINVAL, "at: expected an integer");
	reject_event(EVHEAD ",\"at\":5,\"new_state\":\"closed\",\"old_state\":\"nope\"}", BW_EINVAL,
	             "old_state: unknown value \"nope\"");
	reject_event(EVHEAD ",\"at\":5,\"new_state\":\"closed\",\"old_state\":null}", BW_EINVAL,
	             "old_state: expected a string");
	reject_event(EVHEAD ",\"at\":5,\"new_state\":\"closed\",\"id\":3}", BW_EINVAL, "id: unknown key");
	reject_event(EVHEAD ",\"at\":5,\"new_state\":\"closed\",\"ref\":\"1234567890123\"}", BW_ETOOBIG,
	             "ref: too long");
	reject_event(HEAD "}", BW_EINVAL, "type: expected \"event\", got \"request\"");
	/* a request decoder does not take an event either */
	reject(EVHEAD ",\"at\":5,\"new_state\":\"closed\"}", BW_EINVAL, "type: expected \"request\"");
}
END_TEST

START_TEST(peek_reads_version_and_type)
{
	int v = 0;
	char type[BW_WIRE_TYPE_MAX + 1];
	bw_err e;
	const char *js = "{\"type\":\"ack\",\"v\":2,\"whatever\":[1,2]}";
	ck_assert_int_eq(bw_wire_peek(js, strlen(js), &v, type, sizeof type, &e), BW_OK);
	ck_assert_int_eq(v, 2);
	ck_assert_str_eq(type, "ack");
	js = "{\"v\":1,\"type\":\"request\"}";
	ck_assert_int_eq(bw_wire_peek(js, strlen(js), &v, type, 4, &e), BW_ETOOBIG);
	ck_assert_msg(strncmp(e.msg, "type: too long", 14) == 0, "%s", e.msg);
	js = "{\"v\":1}";
	ck_assert_int_eq(bw_wire_peek(js, strlen(js), &v, type, sizeof type, &e), BW_EINVAL);
	ck_assert_str_eq(e.msg, "type: missing");
	js = "{\"v\":true,\"type\":\"x\"}";
	ck_assert_int_eq(bw_wire_peek(js, strlen(js), &v, type, sizeof type, &e), BW_EINVAL);
	ck_assert_str_eq(e.msg, "v: expected an integer");
	js = "[]";
	ck_assert_int_eq(bw_wire_peek(js, strlen(js), &v, type, sizeof type, &e), BW_EINVAL);
	ck_assert_str_eq(e.msg, "json: expected an object at the top level");
	ck_assert_int_eq(bw_wire_peek(js, BW_WIRE_MAX + 1, &v, type, sizeof type, &e), BW_ETOOBIG);
}
END_TEST

Suite *suite_wire(void)
{
	Suite *s = suite_create("wire");
	fx_case(s, "request", NULL, NULL,
		every_kind_round_trips, info_request_with_identity_round_trips,
		empty_optional_fields_are_left_out, max_length_text_round_trips,
		encoder_refuses_what_the_decoder_would, rejects_malformed_payloads,
		rejects_bad_header, rejects_bad_fields, decoding_escapes, NULL);
	fx_case(s, "event", NULL, NULL,
		events_round_trip, events_rejected, peek_reads_version_and_type, NULL);
	return s;
}
