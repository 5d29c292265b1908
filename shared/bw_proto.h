/* bw_proto.h: the sync protocol between devices and the hub besides requests and events
 * (bw_wire.h): topic names and the small control messages (ack, status query and reply,
 * presence), JSON, versioned, strict on input. docs/protocol.md describes the topics. */
#ifndef BW_PROTO_H
#define BW_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "bw_err.h"
#include "bw_rcode.h"
#include "bw_request.h"

#define BW_PROTO_ROOT "bawaba/v1"
#define BW_PROTO_TOPIC_MAX 128

/* Largest control message accepted (checked before parsing); a status reply carries up
 * to BW_PROTO_STEPS_MAX notes, so it gets the wire limit times the steps. */
#define BW_PROTO_MSG_MAX 4096
#define BW_PROTO_STEPS_MAX 16
#define BW_PROTO_STATUS_MAX (BW_PROTO_STEPS_MAX * 8200 + 4096)

/* Writes "bawaba/v1/dev/<device>/<leaf>" (leaf like "up/req", "down/ack") to out[size].
 * BW_EINVAL if device is empty or holds '/', '+' or '#'; BW_ETOOBIG if it does not fit. */
int bw_proto_topic(char *out, size_t size, const char *device, const char *leaf, bw_err *e);

/* Splits a topic "bawaba/v1/dev/<device>/<leaf>": copies the device id (at most
 * BW_CODE_MAX bytes) to device[BW_CODE_MAX + 1] and points *leaf into topic.
 * BW_EINVAL for any other shape. */
int bw_proto_topic_parse(const char *topic, char device[BW_CODE_MAX + 1], const char **leaf,
                         bw_err *e);

/* The hub's answer to one request or event, sent on down/ack after its commit. */
enum bw_ack_status { BW_ACK_STORED = 0, BW_ACK_DUPLICATE, BW_ACK_REJECTED };
#define BW_PROTO_REASON_MAX 200

typedef struct bw_ack {
	char uid[BW_UID_LEN + 1];
	char ref[BW_REF_LEN + 1];                 /* the stored reference; "" if rejected */
	enum bw_ack_status status;
	char reason[BW_PROTO_REASON_MAX + 1];     /* why it was rejected, else "" */
} bw_ack;

const char *bw_ack_status_name(enum bw_ack_status s);   /* "stored", ... */

/* Encoders return a NUL-terminated JSON string in *out (caller frees with free()) and
 * its length in *len (may be NULL); BW_EINVAL for a field that is not valid UTF-8 or
 * out of range. Decoders read json[0..len) strictly: size limit first, one object, "v"
 * = 1 and the expected "type", no unknown or duplicate key, every value of its type and
 * within its buffer; BW_EINVAL / BW_ETOOBIG with the field named in e->msg. */

/* The acks of one commit for one device travel together, so the broker and the device
 * handle one message per batch, not one per request:
 *   {"v":1,"type":"ack","acks":[{"uid":...,"ref":...,"status":"stored"},...]}
 * At most BW_PROTO_ACKS_MAX acks in a message; the sender splits longer lists. */
#define BW_PROTO_ACKS_MAX 256
#define BW_PROTO_ACK_MSG_MAX (BW_PROTO_ACKS_MAX * 420 + 64)
int bw_ack_encode(const bw_ack *a, size_t n, char **out, size_t *len, bw_err *e);
/* *out gets an array of *n acks (1..BW_PROTO_ACKS_MAX), owned by the caller (free()). */
int bw_ack_decode(const char *json, size_t len, bw_ack **out, size_t *n, bw_err *e);

/* Status query by reference, with the receipt code when the citizen typed it:
 *   {"v":1,"type":"query","ref":"004200000018","code":"4821"}
 * code NULL or "" leaves "code" out. The decoder requires a 12-digit ref and, when "code"
 * is there, BW_RCODE_LEN digits; code[] gets "" when absent. */
int bw_query_encode(const char *ref, const char *code, char **out, size_t *len, bw_err *e);
int bw_query_decode(const char *json, size_t len, char ref[BW_REF_LEN + 1],
                    char code[BW_RCODE_LEN + 1], bw_err *e);

/* One step of a request's timeline: a state and when; the note only where it is meant
 * for the citizen (the answer, a refusal's reason, an extension's reason). */
typedef struct bw_step {
	int state;               /* enum bw_state */
	int64_t at;              /* UTC seconds */
	char *note;              /* owned by the status; NULL when none */
} bw_step;

/* What a status query answers. Never personal data: no phone, name, ID, address, text.
 * The notes for the citizen only when the query's receipt code matched. */
enum { BW_CODE_NONE = 0, BW_CODE_OK = 1, BW_CODE_WRONG = -1 };
typedef struct bw_status {
	int found;                       /* 0: no such reference (the rest is empty) */
	int from_local;                  /* 1: answered by the device from its own store */
	int code;                        /* BW_CODE_NONE: no code asked with; OK: it matched
	                                  * (notes included); WRONG: it did not (no notes) */
	char ref[BW_REF_LEN + 1];
	int kind;                        /* enum bw_kind */
	int state;                       /* enum bw_state */
	char received_on[BW_DATE_LEN + 1];
	char deadline[BW_DATE_LEN + 1];
	size_t nsteps;                   /* the last BW_PROTO_STEPS_MAX steps, oldest first */
	bw_step steps[BW_PROTO_STEPS_MAX];
} bw_status;

/* Zeroes st; bw_status_clear frees the notes and zeroes it again. */
void bw_status_init(bw_status *st);
void bw_status_clear(bw_status *st);
/* Appends a step (dropping the oldest when full); note may be NULL. */
void bw_status_add_step(bw_status *st, int state, int64_t at, const char *note);
/* 1 if a note of an event moving to this state is for the citizen. */
int bw_status_note_public(int state);

/* Fills st (initialised) from a store: the request with reference ref and its events
 * as steps; found = 0 if there is no such request. The steps carry the notes meant for
 * the citizen (bw_status_note_public) only when code (NULL or "" for none) matches the
 * request's receipt code (st->code = BW_CODE_OK); otherwise states and dates only, and
 * st->code says whether a code was given (BW_CODE_WRONG) or not (BW_CODE_NONE). A wrong
 * code gets exactly what no code gets. BW_EDB if the store fails. */
struct bw_store;
int bw_status_load(struct bw_store *s, const char *ref, const char *code, bw_status *st,
                   bw_err *e);

/* {"v":1,"type":"status","found":true,"ref":...,"kind":...,"state":...,"received_on":...,
 *  "deadline":...,"code_ok":true,"timeline":[{"state":...,"at":...,"note":...},...]};
 * "code_ok" only when the query carried a code (true: matched, false: did not); notes
 * only when it matched. from_local is not sent (the receiver knows where it got the
 * answer). */
int bw_status_encode(const bw_status *st, char **out, size_t *len, bw_err *e);
/* st must be initialised; it is cleared first. */
int bw_status_decode(const char *json, size_t len, bw_status *st, bw_err *e);

/* A device's heartbeat on up/presence (retained) and its will (online false). */
typedef struct bw_presence {
	int online;
	int64_t at;            /* UTC seconds; 0 in a will */
	long outbox;           /* rows not yet acknowledged by the hub; -1 unknown */
	int64_t cursor;        /* highest hub event id the device applied without a gap */
	int signal;            /* gateway modem signal 0..100, -1 unknown */
	int queue;             /* gateway SMS waiting, -1 unknown */
} bw_presence;

/* Unknown figures (-1) are left out of the JSON and read back as -1. */
int bw_presence_encode(const bw_presence *p, char **out, size_t *len, bw_err *e);
int bw_presence_decode(const char *json, size_t len, bw_presence *p, bw_err *e);

#endif
