/* fuzz_decoders.c: libFuzzer targets for what the hub decodes from devices and agents
 * (requests, events, status queries, presence, acks, agents' commands), one per build:
 * -DFUZZ_REQUEST, -DFUZZ_EVENT, -DFUZZ_QUERY, -DFUZZ_PRESENCE, -DFUZZ_ACK or
 * -DFUZZ_AGENTCMD (see hub/module.mk, `make fuzz`). Any bytes: no crash, no leak, no
 * undefined behaviour, and the decoders' promises hold: a decoder answers BW_OK or a
 * negative BW_E* with a message; what it accepts, its encoder writes again, and that
 * writing reads back to the same writing (one canonical form). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bw_agentproto.h"
#include "bw_proto.h"
#include "bw_text.h"
#include "bw_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* abort() makes libFuzzer keep the input that broke a promise. */
#define REQUIRE(cond) do { if (!(cond)) abort(); } while (0)

static void refused(int rc, const bw_err *e)
{
	REQUIRE(rc < 0);
	REQUIRE(e->msg[0] && strnlen(e->msg, sizeof e->msg) < sizeof e->msg);
}

/* The text a decoder accepted is valid UTF-8 and fits its buffer. */
static void text_ok(const char *s, size_t size)
{
	size_t n = strnlen(s, size);
	REQUIRE(n < size && bw_utf8_valid(s, n));
}

/* enc(decode(x)) read back and written again gives the same bytes. */
#define SAME_AGAIN(first, flen, again_expr, alen) do { \
		REQUIRE((alen) == (flen) && memcmp((again_expr), (first), (flen)) == 0); \
	} while (0)

#if defined(FUZZ_REQUEST)
static void run(const char *in, size_t size)
{
	bw_request *r = malloc(sizeof *r), *q = malloc(sizeof *q);
	bw_err e;
	char *a = NULL, *b = NULL;
	size_t alen = 0, blen = 0;
	REQUIRE(r && q);
	int rc = bw_wire_request_decode(in, size, r, &e);
	if (rc != BW_OK) {
		refused(rc, &e);
	} else {
		text_ok(r->text, sizeof r->text);
		text_ok(r->name, sizeof r->name);
		text_ok(r->address, sizeof r->address);
		REQUIRE(bw_wire_request_encode(r, &a, &alen, &e) == BW_OK);
		REQUIRE(bw_wire_request_decode(a, alen, q, &e) == BW_OK);
		REQUIRE(bw_wire_request_encode(q, &b, &blen, &e) == BW_OK);
		SAME_AGAIN(a, alen, b, blen);
	}
	free(a);
	free(b);
	free(r);
	free(q);
}
#elif defined(FUZZ_EVENT)
static void run(const char *in, size_t size)
{
	bw_event *ev = malloc(sizeof *ev), *ev2 = malloc(sizeof *ev2);
	char ref[BW_REF_LEN + 1], ref2[BW_REF_LEN + 1], *a = NULL, *b = NULL;
	size_t alen = 0, blen = 0;
	bw_err e;
	REQUIRE(ev && ev2);
	int rc = bw_wire_event_decode(in, size, ev, ref, &e);
	if (rc != BW_OK) {
		refused(rc, &e);
	} else {
		text_ok(ev->note, sizeof ev->note);
		text_ok(ev->actor, sizeof ev->actor);
		REQUIRE(bw_wire_event_encode(ev, ref, &a, &alen, &e) == BW_OK);
		REQUIRE(bw_wire_event_decode(a, alen, ev2, ref2, &e) == BW_OK);
		REQUIRE(strcmp(ref, ref2) == 0 && ev->at == ev2->at && ev->new_state == ev2->new_state);
		REQUIRE(bw_wire_event_encode(ev2, ref2, &b, &blen, &e) == BW_OK);
		SAME_AGAIN(a, alen, b, blen);
	}
	free(a);
	free(b);
	free(ev);
	free(ev2);
}
#elif defined(FUZZ_QUERY)
static void run(const char *in, size_t size)
{
	char ref[BW_REF_LEN + 1], code[BW_RCODE_LEN + 1], ref2[BW_REF_LEN + 1], code2[BW_RCODE_LEN + 1];
	char *a = NULL;
	size_t alen = 0;
	bw_err e;
	int rc = bw_query_decode(in, size, ref, code, &e);
	if (rc != BW_OK) {
		refused(rc, &e);
		return;
	}
	/* what the hub then looks up: a reference of 12 digits, a code of 4 or none */
	REQUIRE(strlen(ref) == BW_REF_LEN && strspn(ref, "0123456789") == BW_REF_LEN);
	REQUIRE(code[0] == '\0' || bw_rcode_valid(code));
	REQUIRE(bw_query_encode(ref, code[0] ? code : NULL, &a, &alen, &e) == BW_OK);
	REQUIRE(bw_query_decode(a, alen, ref2, code2, &e) == BW_OK);
	REQUIRE(strcmp(ref, ref2) == 0 && strcmp(code, code2) == 0);
	free(a);
}
#elif defined(FUZZ_PRESENCE)
static void run(const char *in, size_t size)
{
	bw_presence p, p2;
	char *a = NULL, *b = NULL;
	size_t alen = 0, blen = 0;
	bw_err e;
	int rc = bw_presence_decode(in, size, &p, &e);
	if (rc != BW_OK) {
		refused(rc, &e);
		return;
	}
	REQUIRE(p.signal <= 100);
	REQUIRE(bw_presence_encode(&p, &a, &alen, &e) == BW_OK);
	REQUIRE(bw_presence_decode(a, alen, &p2, &e) == BW_OK);
	REQUIRE(bw_presence_encode(&p2, &b, &blen, &e) == BW_OK);
	SAME_AGAIN(a, alen, b, blen);
	free(a);
	free(b);
}
#elif defined(FUZZ_ACK)
static void run(const char *in, size_t size)
{
	bw_ack *acks = NULL, *acks2 = NULL;
	size_t n = 0, n2 = 0, alen = 0, blen = 0;
	char *a = NULL, *b = NULL;
	bw_err e;
	int rc = bw_ack_decode(in, size, &acks, &n, &e);
	if (rc != BW_OK) {
		refused(rc, &e);
		free(acks);
		return;
	}
	REQUIRE(n >= 1 && n <= BW_PROTO_ACKS_MAX);
	for (size_t i = 0; i < n; i++)
		text_ok(acks[i].reason, sizeof acks[i].reason);
	REQUIRE(bw_ack_encode(acks, n, &a, &alen, &e) == BW_OK);
	REQUIRE(bw_ack_decode(a, alen, &acks2, &n2, &e) == BW_OK && n2 == n);
	REQUIRE(bw_ack_encode(acks2, n2, &b, &blen, &e) == BW_OK);
	SAME_AGAIN(a, alen, b, blen);
	free(a);
	free(b);
	free(acks);
	free(acks2);
}
#elif defined(FUZZ_AGENTCMD)
static void run(const char *in, size_t size)
{
	bw_agent_cmd c, c2;
	char *a = NULL, *b = NULL;
	size_t alen = 0, blen = 0;
	bw_err e;
	bw_agent_cmd_init(&c);
	bw_agent_cmd_init(&c2);
	int rc = bw_agent_cmd_decode(in, size, &c, &e);
	if (rc != BW_OK) {
		refused(rc, &e);
	} else {
		text_ok(c.note, sizeof c.note);
		REQUIRE(bw_agent_cmd_encode(&c, &a, &alen, &e) == BW_OK);
		REQUIRE(bw_agent_cmd_decode(a, alen, &c2, &e) == BW_OK);
		REQUIRE(bw_agent_cmd_encode(&c2, &b, &blen, &e) == BW_OK);
		SAME_AGAIN(a, alen, b, blen);
	}
	bw_agent_cmd_clear(&c);
	bw_agent_cmd_clear(&c2);
	free(a);
	free(b);
}
#else
#error "build with one of -DFUZZ_REQUEST, _EVENT, _QUERY, _PRESENCE, _ACK, _AGENTCMD"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the hub hands the decoders the MQTT payload as it came: not NUL-terminated */
	char *in = malloc(size ? size : 1);
	REQUIRE(in);
	memcpy(in, data, size);
	run(in, size);
	free(in);
	return 0;
}
