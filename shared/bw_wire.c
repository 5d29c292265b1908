/* bw_wire.c: JSON encoding and strict decoding of requests and events, driven by one
 * field table per message so the encoder and the decoder cannot disagree on limits. */
#include "bw_wire.h"

#include <jansson.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Enumerations are copied in and out of the structs as int with memcpy, which is only
 * right while the compiler gives them the size of an int. */
_Static_assert(sizeof(enum bw_kind) == sizeof(int), "enum bw_kind is not int-sized");
_Static_assert(sizeof(enum bw_channel) == sizeof(int), "enum bw_channel is not int-sized");
_Static_assert(sizeof(enum bw_form) == sizeof(int), "enum bw_form is not int-sized");
_Static_assert(sizeof(enum bw_state) == sizeof(int), "enum bw_state is not int-sized");

enum ftype {
	F_STR,      /* char buffer: size bytes, at most maxchars code points */
	F_KIND,     /* int-sized enumerations, by their stable names */
	F_CHANNEL,
	F_FORM,
	F_STATE,
	F_BOOL,     /* int, true/false on the wire */
	F_TIME,     /* int64_t UTC seconds, an integer on the wire */
};

enum {
	REQ = 1,    /* decode: the key must be present */
	OMIT = 2,   /* encode: leave out when the value equals `omit` (strings: when empty) */
};

struct field {
	const char *key;
	enum ftype type;
	size_t off;
	size_t size;       /* F_STR: buffer bytes, NUL included */
	size_t maxchars;   /* F_STR: limit in characters */
	unsigned flags;
	int omit;
};

#define MEMBER_SIZE(st, m) sizeof(((st *)0)->m)
#define STR(st, m, max, fl) { #m, F_STR, offsetof(st, m), MEMBER_SIZE(st, m), (max), (fl), 0 }
#define VAL(st, m, t, fl, om) { #m, (t), offsetof(st, m), MEMBER_SIZE(st, m), 0, (fl), (om) }

/* Wire order of a request; the key is the struct member's name. */
static const struct field request_fields[] = {
	STR(bw_request, uid, BW_UID_LEN, REQ),
	STR(bw_request, ref, BW_REF_LEN, OMIT),
	STR(bw_request, code, MEMBER_SIZE(bw_request, code) - 1, OMIT),
	VAL(bw_request, kind, F_KIND, REQ, 0),
	VAL(bw_request, channel, F_CHANNEL, REQ, 0),
	VAL(bw_request, state, F_STATE, 0, 0),
	STR(bw_request, admin, BW_CODE_MAX, OMIT),
	STR(bw_request, category, BW_CODE_MAX, OMIT),
	STR(bw_request, site, BW_CODE_MAX, OMIT),
	STR(bw_request, device, BW_CODE_MAX, OMIT),
	STR(bw_request, lang, MEMBER_SIZE(bw_request, lang) - 1, OMIT),
	STR(bw_request, text, BW_TEXT_MAX, OMIT),
	STR(bw_request, phone, BW_PHONE_LEN, OMIT),
	VAL(bw_request, consent, F_BOOL, OMIT, 0),
	STR(bw_request, name, BW_NAME_MAX, OMIT),
	STR(bw_request, id_number, BW_IDNUM_MAX, OMIT),
	STR(bw_request, address, BW_ADDRESS_MAX, OMIT),
	STR(bw_request, contact, BW_CONTACT_MAX, OMIT),
	VAL(bw_request, form, F_FORM, OMIT, BW_FORM_NONE),
	VAL(bw_request, urgent, F_BOOL, OMIT, 0),
	VAL(bw_request, received_at, F_TIME, OMIT, 0),
	STR(bw_request, received_on, BW_DATE_LEN, OMIT),
	STR(bw_request, deadline, BW_DATE_LEN, OMIT),
	VAL(bw_request, extended, F_BOOL, OMIT, 0),
};

/* An event travels with its request's reference, which bw_event does not hold; this
 * pairing lets one table describe the whole message. Member names are the wire keys. */
struct wire_event {
	char uid[BW_UID_LEN + 1];
	char request_uid[BW_UID_LEN + 1];
	char ref[BW_REF_LEN + 1];
	int64_t at;
	char actor[BW_ACTOR_MAX + 1];
	int old_state, new_state;
	char note[BW_CHARS(BW_NOTE_MAX)];
};

static const struct field event_fields[] = {
	STR(struct wire_event, uid, BW_UID_LEN, REQ),
	STR(struct wire_event, request_uid, BW_UID_LEN, REQ),
	STR(struct wire_event, ref, BW_REF_LEN, OMIT),
	VAL(struct wire_event, at, F_TIME, REQ, 0),
	STR(struct wire_event, actor, BW_ACTOR_MAX, OMIT),
	VAL(struct wire_event, old_state, F_STATE, OMIT, -1),
	VAL(struct wire_event, new_state, F_STATE, REQ, 0),
	STR(struct wire_event, note, BW_NOTE_MAX, OMIT),
};

#define NFIELDS(a) (sizeof(a) / sizeof((a)[0]))

/* Copies at most bufsz - 4 bytes of untrusted text into buf for an error message, with
 * quotes, backslashes and control characters replaced so the message stays one clean
 * line; "..." marks a cut. */
static const char *shown_n(const char *s, char *buf, size_t bufsz)
{
	size_t i = 0;
	for (; s[i] && i + 4 < bufsz; i++) {
		unsigned char c = (unsigned char)s[i];
		buf[i] = (c < 0x20 || c == 0x7f || c == '"' || c == '\\') ? '?' : (char)c;
	}
	/* do not end inside a UTF-8 sequence */
	if (s[i]) {
		while (i > 0 && ((unsigned char)buf[i - 1] & 0xC0) == 0x80)
			i--;
		if (i > 0 && ((unsigned char)buf[i - 1] & 0xC0) == 0xC0)
			i--;
		buf[i++] = '.';
		buf[i++] = '.';
		buf[i++] = '.';
	}
	buf[i] = '\0';
	return buf;
}
#define shown(s, buf) shown_n((s), (buf), sizeof(buf))

/* Code points in n bytes of valid UTF-8: every byte that is not a continuation byte. */
static size_t utf8_chars(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

static int enum_count(enum ftype t)
{
	switch (t) {
	case F_KIND: return BW_KIND_COUNT;
	case F_CHANNEL: return BW_CHANNEL_COUNT;
	case F_FORM: return BW_FORM_COUNT;
	case F_STATE: return BW_ST_COUNT;
	default: return 0;
	}
}

/* The stable name of v, or NULL if v is not a value of the enumeration. */
static const char *enum_name(enum ftype t, int v)
{
	if (v < 0 || v >= enum_count(t))
		return NULL;
	switch (t) {
	case F_KIND: return bw_kind_name((enum bw_kind)v);
	case F_CHANNEL: return bw_channel_name((enum bw_channel)v);
	case F_FORM: return bw_form_name((enum bw_form)v);
	case F_STATE: return bw_state_name((enum bw_state)v);
	default: return NULL;
	}
}

/* The value named s, or a negative code. */
static int enum_parse(enum ftype t, const char *s)
{
	int v;
	switch (t) {
	case F_KIND: v = bw_kind_parse(s); break;
	case F_CHANNEL: v = bw_channel_parse(s); break;
	case F_FORM: v = bw_form_parse(s); break;
	case F_STATE: v = bw_state_parse(s); break;
	default: return BW_EINVAL;
	}
	return (v >= 0 && v < enum_count(t)) ? v : BW_EINVAL;
}

/* ---- encoding ---- */

/* Adds one field of obj to root, or leaves it out; BW_OK or the field's error. */
static int encode_field(json_t *root, const struct field *f, const char *obj, bw_err *e)
{
	const char *p = obj + f->off;
	json_t *v = NULL;
	int i;
	int64_t t;

	switch (f->type) {
	case F_STR: {
		size_t n = strnlen(p, f->size);
		if (n == f->size)
			return bw_fail(e, BW_EINVAL, "%s: not NUL-terminated in its %zu-byte buffer",
			               f->key, f->size);
		if (n == 0 && (f->flags & OMIT))
			return BW_OK;
		if (!(v = json_stringn(p, n)))
			return bw_fail(e, BW_EINVAL, "%s: not valid UTF-8", f->key);
		size_t c = utf8_chars(p, n);
		if (c > f->maxchars) {
			json_decref(v);
			return bw_fail(e, BW_ETOOBIG, "%s: too long (%zu characters, at most %zu)",
			               f->key, c, f->maxchars);
		}
		break;
	}
	case F_KIND: case F_CHANNEL: case F_FORM: case F_STATE: {
		memcpy(&i, p, sizeof i);
		if ((f->flags & OMIT) && i == f->omit)
			return BW_OK;
		const char *name = enum_name(f->type, i);
		if (!name)
			return bw_fail(e, BW_EINVAL, "%s: out of range (%d)", f->key, i);
		v = json_string(name);
		break;
	}
	case F_BOOL:
		memcpy(&i, p, sizeof i);
		if ((f->flags & OMIT) && !i)
			return BW_OK;
		v = json_boolean(i != 0);
		break;
	case F_TIME:
		memcpy(&t, p, sizeof t);
		if ((f->flags & OMIT) && t == f->omit)
			return BW_OK;
		v = json_integer((json_int_t)t);
		break;
	}
	if (!v || json_object_set_new(root, f->key, v) != 0)
		return bw_fail(e, BW_ENOMEM, "%s: out of memory", f->key);
	return BW_OK;
}

static int encode(const char *type, const struct field *fields, size_t n, const void *obj,
                  char **out, size_t *len, bw_err *e)
{
	int rc = BW_OK;
	json_t *root = json_object();

	*out = NULL;
	if (!root || json_object_set_new(root, "v", json_integer(BW_WIRE_VERSION)) != 0 ||
	    json_object_set_new(root, "type", json_string(type)) != 0) {
		rc = bw_fail(e, BW_ENOMEM, "json: out of memory");
		goto done;
	}
	for (size_t i = 0; i < n && rc == BW_OK; i++)
		rc = encode_field(root, &fields[i], obj, e);
	if (rc != BW_OK)
		goto done;
	/* JSON_COMPACT: no spaces; non-ASCII stays raw UTF-8 (half the size of \u escapes) */
	char *s = json_dumps(root, JSON_COMPACT);
	if (!s) {
		rc = bw_fail(e, BW_ENOMEM, "json: out of memory");
		goto done;
	}
	size_t sl = strlen(s);
	if (sl > BW_WIRE_MAX) {
		free(s);
		rc = bw_fail(e, BW_ETOOBIG, "json: message too big (%zu bytes, at most %d)",
		             sl, BW_WIRE_MAX);
		goto done;
	}
	*out = s;
	if (len)
		*len = sl;
done:
	json_decref(root);
	return rc;
}

int bw_wire_request_encode(const bw_request *r, char **out, size_t *len, bw_err *e)
{
	return encode("request", request_fields, NFIELDS(request_fields), r, out, len, e);
}

int bw_wire_event_encode(const bw_event *ev, const char *ref, char **out, size_t *len,
                         bw_err *e)
{
	struct wire_event w;

	*out = NULL;
	if (ref && bw_strlcpy(w.ref, ref, sizeof w.ref) != BW_OK)
		return bw_fail(e, BW_ETOOBIG, "ref: too long (at most %d characters)", BW_REF_LEN);
	if (!ref)
		w.ref[0] = '\0';
	memcpy(w.uid, ev->uid, sizeof w.uid);
	memcpy(w.request_uid, ev->request_uid, sizeof w.request_uid);
	memcpy(w.actor, ev->actor, sizeof w.actor);
	memcpy(w.note, ev->note, sizeof w.note);
	w.at = ev->at;
	w.old_state = ev->old_state;
	w.new_state = ev->new_state;
	return encode("event", event_fields, NFIELDS(event_fields), &w, out, len, e);
}

/* ---- decoding ---- */

const char *bw_json_error_kind(const json_error_t *je)
{
	switch (json_error_code(je)) {
	case json_error_invalid_utf8: return "invalid UTF-8";
	case json_error_premature_end_of_input: return "premature end of input";
	case json_error_end_of_input_expected: return "text after the end";
	case json_error_invalid_syntax: return "invalid syntax";
	case json_error_null_character: return "\\u0000 in a string";
	case json_error_null_byte_in_key: return "\\u0000 in a key";
	case json_error_duplicate_key: return "duplicate key";
	case json_error_stack_overflow: return "nested too deeply";
	case json_error_numeric_overflow: return "number out of range";
	case json_error_out_of_memory: return "out of memory";
	default: return "not JSON";
	}
}

/* Parses the payload and checks that it is an object; *root is the caller's on BW_OK. */
static int load(const char *json, size_t len, json_t **root, bw_err *e)
{
	json_error_t je;
	char buf[48];

	*root = NULL;
	if (len > BW_WIRE_MAX)
		return bw_fail(e, BW_ETOOBIG, "json: payload too big (%zu bytes, at most %d)",
		               len, BW_WIRE_MAX);
	/* jansson validates UTF-8, refuses \u0000 (no JSON_ALLOW_NUL) and stops at a fixed
	 * nesting depth, so nothing below sees broken text or recurses without bound. */
	json_t *j = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
	if (!j) {
		switch (json_error_code(&je)) {
		case json_error_invalid_utf8:
			return bw_fail(e, BW_EINVAL, "json: invalid UTF-8 at line %d, column %d",
			               je.line, je.column);
		case json_error_null_character:
			return bw_fail(e, BW_EINVAL, "json: \\u0000 in a string at line %d, column %d",
			               je.line, je.column);
		case json_error_stack_overflow:
			return bw_fail(e, BW_EINVAL, "json: nested too deeply at line %d, column %d",
			               je.line, je.column);
		case json_error_duplicate_key: {
			/* jansson says: duplicate object key near '"uid"'; name the field first */
			const char *k = strstr(je.text, "near '\"");
			size_t kl = k ? strlen(k += 7) : 0;
			if (kl >= 2 && k[kl - 2] == '"' && k[kl - 1] == '\'') {
				char key[JSON_ERROR_TEXT_LENGTH];
				memcpy(key, k, kl - 2);
				key[kl - 2] = '\0';
				return bw_fail(e, BW_EINVAL, "%s: duplicate key at line %d, column %d",
				               shown(key, buf), je.line, je.column);
			}
			break;
		}
		default:
			break;
		}
		return bw_fail(e, BW_EINVAL, "json: %s at line %d, column %d",
		               bw_json_error_kind(&je), je.line, je.column);
	}
	if (!json_is_object(j)) {
		json_decref(j);
		return bw_fail(e, BW_EINVAL, "json: expected an object at the top level");
	}
	*root = j;
	return BW_OK;
}

/* Reads "v" (any integer) and "type" (a string that fits typesz). */
static int header(json_t *root, int *version, char *type, size_t typesz, bw_err *e)
{
	json_t *v = json_object_get(root, "v");
	json_t *t = json_object_get(root, "type");

	if (!v)
		return bw_fail(e, BW_EINVAL, "v: missing");
	if (!json_is_integer(v))
		return bw_fail(e, BW_EINVAL, "v: expected an integer");
	json_int_t vv = json_integer_value(v);
	*version = (vv < INT_MIN || vv > INT_MAX) ? INT_MIN : (int)vv;
	if (!t)
		return bw_fail(e, BW_EINVAL, "type: missing");
	if (!json_is_string(t))
		return bw_fail(e, BW_EINVAL, "type: expected a string");
	if (json_string_length(t) >= typesz)
		return bw_fail(e, BW_ETOOBIG, "type: too long (%zu bytes, at most %zu)",
		               json_string_length(t), typesz ? typesz - 1 : 0);
	memcpy(type, json_string_value(t), json_string_length(t) + 1);
	return BW_OK;
}

static int decode_field(json_t *val, const struct field *f, char *obj, bw_err *e)
{
	char *p = obj + f->off;
	char buf[48];
	int i;
	int64_t t;

	switch (f->type) {
	case F_STR: {
		if (!json_is_string(val))
			return bw_fail(e, BW_EINVAL, "%s: expected a string", f->key);
		size_t n = json_string_length(val);
		if (n >= f->size)
			return bw_fail(e, BW_ETOOBIG, "%s: too long (%zu bytes, at most %zu)",
			               f->key, n, f->size - 1);
		const char *s = json_string_value(val);
		/* "" for a field left out when empty means left out: the default stays (a
		 * request's lang is "ar" unless said), so decode and encode agree (fuzzing) */
		if (n == 0 && (f->flags & OMIT))
			return BW_OK;
		size_t c = utf8_chars(s, n);
		if (c > f->maxchars)
			return bw_fail(e, BW_ETOOBIG, "%s: too long (%zu characters, at most %zu)",
			               f->key, c, f->maxchars);
		/* no NUL inside: the loader refuses \u0000 */
		memcpy(p, s, n + 1);
		return BW_OK;
	}
	case F_KIND: case F_CHANNEL: case F_FORM: case F_STATE:
		if (!json_is_string(val))
			return bw_fail(e, BW_EINVAL, "%s: expected a string", f->key);
		if ((i = enum_parse(f->type, json_string_value(val))) < 0)
			return bw_fail(e, BW_EINVAL, "%s: unknown value \"%s\"", f->key,
			               shown(json_string_value(val), buf));
		memcpy(p, &i, sizeof i);
		return BW_OK;
	case F_BOOL:
		if (!json_is_boolean(val))
			return bw_fail(e, BW_EINVAL, "%s: expected true or false", f->key);
		i = json_is_true(val);
		memcpy(p, &i, sizeof i);
		return BW_OK;
	case F_TIME:
		if (!json_is_integer(val))
			return bw_fail(e, BW_EINVAL, "%s: expected an integer", f->key);
		t = (int64_t)json_integer_value(val);
		memcpy(p, &t, sizeof t);
		return BW_OK;
	}
	return bw_fail(e, BW_EINVAL, "%s: unsupported field type", f->key);
}

/* Decodes a message of the given type into obj, which holds its defaults already. */
static int decode(const char *json, size_t len, const char *type, const struct field *fields,
                  size_t n, void *obj, bw_err *e)
{
	json_t *root, *val;
	const char *key;
	char got[BW_WIRE_TYPE_MAX + 1], buf[48];
	int version, rc;

	if ((rc = load(json, len, &root, e)) != BW_OK)
		return rc;
	if ((rc = header(root, &version, got, sizeof got, e)) != BW_OK)
		goto done;
	if (version != BW_WIRE_VERSION) {
		rc = bw_fail(e, BW_EINVAL, "v: unsupported version %lld (this program speaks %d)",
		             (long long)json_integer_value(json_object_get(root, "v")),
		             BW_WIRE_VERSION);
		goto done;
	}
	if (strcmp(got, type) != 0) {
		rc = bw_fail(e, BW_EINVAL, "type: expected \"%s\", got \"%s\"", type,
		             shown(got, buf));
		goto done;
	}
	/* strict: a key this version does not know is a sender bug or a newer sender that
	 * forgot to raise "v"; either way, silently dropping data is worse than refusing */
	json_object_foreach(root, key, val) {
		size_t i = 0;
		if (strcmp(key, "v") == 0 || strcmp(key, "type") == 0)
			continue;
		while (i < n && strcmp(key, fields[i].key) != 0)
			i++;
		if (i == n) {
			rc = bw_fail(e, BW_EINVAL, "%s: unknown key", shown(key, buf));
			goto done;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (!(val = json_object_get(root, fields[i].key))) {
			if (fields[i].flags & REQ) {
				rc = bw_fail(e, BW_EINVAL, "%s: missing", fields[i].key);
				goto done;
			}
			continue;
		}
		if ((rc = decode_field(val, &fields[i], obj, e)) != BW_OK)
			goto done;
	}
done:
	json_decref(root);
	return rc;
}

/* The receipt code is all digits: a device that sends anything else is refused rather
 * than stored with a code no citizen could type on the keypad. */
static int code_ok(const char *s)
{
	if (!s[0])
		return 1;
	size_t n = 0;
	for (; s[n]; n++)
		if (s[n] < '0' || s[n] > '9')
			return 0;
	return n == MEMBER_SIZE(bw_request, code) - 1;
}

int bw_wire_request_decode(const char *json, size_t len, bw_request *r, bw_err *e)
{
	bw_request_init(r);
	int rc = decode(json, len, "request", request_fields, NFIELDS(request_fields), r, e);
	if (rc == BW_OK && !code_ok(r->code))
		return bw_fail(e, BW_EINVAL, "code: not %zu digits", MEMBER_SIZE(bw_request, code) - 1);
	return rc;
}

int bw_wire_event_decode(const char *json, size_t len, bw_event *ev,
                         char ref[BW_REF_LEN + 1], bw_err *e)
{
	struct wire_event w;   /* ~8 KB with the note; automatic keeps decoders reentrant */
	int rc;

	memset(&w, 0, sizeof w);
	w.old_state = -1;
	rc = decode(json, len, "event", event_fields, NFIELDS(event_fields), &w, e);
	memset(ev, 0, sizeof *ev);
	if (ref)
		ref[0] = '\0';
	if (rc != BW_OK) {
		ev->old_state = -1;
		return rc;
	}
	memcpy(ev->uid, w.uid, sizeof ev->uid);
	memcpy(ev->request_uid, w.request_uid, sizeof ev->request_uid);
	memcpy(ev->actor, w.actor, sizeof ev->actor);
	memcpy(ev->note, w.note, sizeof ev->note);
	ev->at = w.at;
	ev->old_state = w.old_state;
	ev->new_state = w.new_state;
	if (ref)
		memcpy(ref, w.ref, sizeof w.ref);
	return BW_OK;
}

int bw_wire_peek(const char *json, size_t len, int *version, char *type, size_t typesz,
                 bw_err *e)
{
	json_t *root;
	int rc;

	if ((rc = load(json, len, &root, e)) != BW_OK)
		return rc;
	rc = header(root, version, type, typesz, e);
	json_decref(root);
	return rc;
}
