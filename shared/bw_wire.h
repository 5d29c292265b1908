/* bw_wire.h: the versioned JSON wire format of requests and events, strict on input. */
#ifndef BW_WIRE_H
#define BW_WIRE_H

#include <stddef.h>

#include "bw_err.h"
#include "bw_request.h"
#include "bw_store.h"

#include <jansson.h>

/* The one version this program writes and accepts in "v". */
#define BW_WIRE_VERSION 1

/* Largest payload accepted, checked before parsing. A request at every limit with every
 * character escaped stays far below it, and the encoders refuse to produce more, so
 * whatever one bawaba program writes the other can read. */
#define BW_WIRE_MAX (32 * 1024)

/* Longest "type" value the peek helper is meant for ("request", "event", "ack", ...). */
#define BW_WIRE_TYPE_MAX 32

/* Encodes r as one compact JSON object:
 *   {"v":1,"type":"request","uid":"...","kind":"complaint","channel":"kiosk",...}
 * Enumerations travel by their stable names (bw_kind_name, bw_channel_name,
 * bw_form_name, bw_state_name); booleans as true/false, times as integer UTC seconds.
 * Empty strings, false flags, form "none" and a zero received_at are left out.
 * The fields are checked against the same limits the decoder applies, so the output
 * always decodes. On BW_OK *out is a NUL-terminated string owned by the caller (free()),
 * *len its length without the NUL (len may be NULL). On failure *out is NULL and e says
 * which field: BW_EINVAL (field not NUL-terminated in its buffer, not UTF-8, enum out of
 * range) or BW_ETOOBIG (field longer than its limit in characters, output > BW_WIRE_MAX). */
int bw_wire_request_encode(const bw_request *r, char **out, size_t *len, bw_err *e);

/* Decodes json[0..len) (no NUL needed) into r, strictly: the payload must be at most
 * BW_WIRE_MAX bytes, valid UTF-8 JSON without duplicate keys, one object with "v" = 1
 * (an integer), "type" = "request", no key this version does not know, every value of
 * its expected JSON type, every string within its field's buffer and its limit in
 * characters, every enumeration a known name. "uid", "kind" and "channel" are required;
 * other absent fields keep bw_request_init's defaults. It does not run
 * bw_request_validate (the store does). Returns BW_OK; BW_ETOOBIG for an oversized
 * payload or string ("text: too long (2001 characters, at most 2000)"); BW_EINVAL for
 * anything else, e->msg starting with the field name ("kind: unknown value \"plaint\"",
 * "uid: expected a string") or with "json:" for a parse error (with jansson's line and
 * column: "json: invalid UTF-8 at line 1, column 30"). r is overwritten even on failure
 * (never beyond its buffers) and must then not be used. */
int bw_wire_request_decode(const char *json, size_t len, bw_request *r, bw_err *e);

/* Encodes an event as {"v":1,"type":"event","uid":...,"request_uid":...,"ref":...,
 * "at":1717000000,"actor":...,"old_state":"received","new_state":"acknowledged",
 * "note":...}. ref is the request's reference (events do not carry it; NULL or "" leaves
 * it out); old_state -1 (first event) is left out, as are an empty actor and note.
 * ev->id is hub-local and never sent. Ownership and errors as bw_wire_request_encode. */
int bw_wire_event_encode(const bw_event *ev, const char *ref, char **out, size_t *len,
                         bw_err *e);

/* Decodes an event, strictly as bw_wire_request_decode ("type" must be "event").
 * Required: "uid", "request_uid", "at" (integer), "new_state". An absent "old_state"
 * gives -1. ev->id is set to 0. ref (may be NULL) receives the request's reference or ""
 * and must hold BW_REF_LEN + 1 bytes. */
int bw_wire_event_decode(const char *json, size_t len, bw_event *ev,
                         char ref[BW_REF_LEN + 1], bw_err *e);

/* Reads only "v" and "type" of a message, so a receiver can dispatch before decoding
 * the body; the payload limit, the JSON syntax and the top-level object are checked
 * exactly as the decoders do, but no other key is looked at and any integer version is
 * returned (the receiver decides what it supports; one beyond int reads as INT_MIN).
 * *version gets "v", type[typesz] gets "type". BW_EINVAL if "v" is missing or not an
 * integer, "type" missing or not a string; BW_ETOOBIG if the payload exceeds BW_WIRE_MAX
 * or "type" does not fit typesz. */
int bw_wire_peek(const char *json, size_t len, int *version, char *type, size_t typesz,
                 bw_err *e);

/* What kind of JSON error jansson reported ("invalid syntax", "nested too deeply", ...).
 * jansson's own text quotes the input near the error, and a payload may hold personal
 * data that must not reach a log: every decoder reports the kind and the position. */
const char *bw_json_error_kind(const json_error_t *je);

#endif
