/* bw_proto.c: topics and the control messages of the sync protocol (ack, query, status,
 * presence) in JSON with jansson; decoders check the whole message against a key list. */
#include "bw_proto.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bw_ref.h"
#include "bw_state.h"
#include "bw_store.h"
#include "bw_text.h"
#include "bw_wire.h"
#include "bw_uuid.h"

int bw_proto_topic(char *out, size_t size, const char *device, const char *leaf, bw_err *e)
{
	if (!device[0] || strpbrk(device, "/+#"))
		return bw_fail(e, BW_EINVAL, "device: \"%.40s\" cannot be part of a topic", device);
	int n = snprintf(out, size, BW_PROTO_ROOT "/dev/%s/%s", device, leaf);
	if (n < 0 || (size_t)n >= size)
		return bw_fail(e, BW_ETOOBIG, "topic: longer than %zu bytes", size - 1);
	return BW_OK;
}

int bw_proto_topic_parse(const char *topic, char device[BW_CODE_MAX + 1], const char **leaf,
                         bw_err *e)
{
	static const char pre[] = BW_PROTO_ROOT "/dev/";
	device[0] = '\0';
	if (strncmp(topic, pre, sizeof pre - 1) != 0)
		return bw_fail(e, BW_EINVAL, "topic: not under " BW_PROTO_ROOT "/dev/");
	const char *d = topic + sizeof pre - 1, *slash = strchr(d, '/');
	if (!slash || slash == d || (size_t)(slash - d) > BW_CODE_MAX)
		return bw_fail(e, BW_EINVAL, "topic: bad device part");
	memcpy(device, d, (size_t)(slash - d));
	device[slash - d] = '\0';
	*leaf = slash + 1;
	return BW_OK;
}

const char *bw_ack_status_name(enum bw_ack_status s)
{
	static const char *const names[] = { "stored", "duplicate", "rejected" };
	return (unsigned)s < 3 ? names[s] : "?";
}

/* ---- strict reading ---- */

enum jt { J_STR, J_INT, J_BOOL, J_ARRAY };
struct key { const char *name; enum jt type; int required; };

/* Parses json, checks size, object, "v" and "type", and that every key is listed with
 * its JSON type and that required keys are there. On BW_OK *root is owned by the caller. */
static int open_msg(const char *json, size_t len, size_t max, const char *type,
                    const struct key *keys, json_t **root, bw_err *e)
{
	json_error_t jerr;
	*root = NULL;
	if (len > max)
		return bw_fail(e, BW_ETOOBIG, "json: %zu bytes, at most %zu", len, max);
	json_t *r = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!r)
		return bw_fail(e, BW_EINVAL, "json: %s at line %d, column %d", bw_json_error_kind(&jerr), jerr.line,
			       jerr.column);
	int rc = BW_OK;
	const char *k;
	json_t *val;
	if (!json_is_object(r)) {
		rc = bw_fail(e, BW_EINVAL, "json: not an object");
		goto out;
	}
	val = json_object_get(r, "v");
	if (!json_is_integer(val) || json_integer_value(val) != 1) {
		rc = bw_fail(e, BW_EINVAL, "v: expected 1");
		goto out;
	}
	val = json_object_get(r, "type");
	if (!json_is_string(val) || strcmp(json_string_value(val), type) != 0) {
		rc = bw_fail(e, BW_EINVAL, "type: expected \"%s\"", type);
		goto out;
	}
	json_object_foreach(r, k, val) {
		if (strcmp(k, "v") == 0 || strcmp(k, "type") == 0)
			continue;
		const struct key *d = keys;
		while (d->name && strcmp(d->name, k) != 0)
			d++;
		if (!d->name) {
			rc = bw_fail(e, BW_EINVAL, "%.40s: unknown key", k);
			goto out;
		}
		int ok = d->type == J_STR ? json_is_string(val) : d->type == J_INT ? json_is_integer(val)
			: d->type == J_BOOL ? json_is_boolean(val) : json_is_array(val);
		if (!ok) {
			rc = bw_fail(e, BW_EINVAL, "%s: wrong type", k);
			goto out;
		}
	}
	for (const struct key *d = keys; d->name; d++)
		if (d->required && !json_object_get(r, d->name)) {
			rc = bw_fail(e, BW_EINVAL, "%s: missing", d->name);
			goto out;
		}
out:
	if (rc)
		json_decref(r);
	else
		*root = r;
	return rc;
}

/* Copies string key k (if present) into dst[size]; BW_ETOOBIG if it does not fit. */
static int get_str(json_t *o, const char *k, char *dst, size_t size, bw_err *e)
{
	json_t *v = json_object_get(o, k);
	if (!v)
		return BW_OK;
	if (!json_is_string(v))
		return bw_fail(e, BW_EINVAL, "%s: expected a string", k);
	if (json_string_length(v) >= size || strlen(json_string_value(v)) != json_string_length(v))
		return bw_fail(e, BW_ETOOBIG, "%s: too long or holds NUL", k);
	memcpy(dst, json_string_value(v), json_string_length(v) + 1);
	return BW_OK;
}

static int64_t get_int(json_t *o, const char *k, int64_t def)
{
	json_t *v = json_object_get(o, k);
	return v ? (int64_t)json_integer_value(v) : def;
}

static int get_state(json_t *o, const char *k, int *out, bw_err *e)
{
	char name[32] = "";
	int rc = get_str(o, k, name, sizeof name, e);
	if (rc)
		return rc;
	if ((*out = bw_state_parse(name)) < 0)
		return bw_fail(e, BW_EINVAL, "%s: unknown state", k);
	return BW_OK;
}

static int date_ok(const char *s)
{
	if (!s[0])
		return 1;
	if (strlen(s) != BW_DATE_LEN)
		return 0;
	for (int i = 0; i < BW_DATE_LEN; i++)
		if ((i == 4 || i == 7) ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return 0;
	return 1;
}

static int ref_ok(const char *s)
{
	if (strlen(s) != BW_REF_LEN)
		return 0;
	for (int i = 0; i < BW_REF_LEN; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* Dumps root compactly into *out; consumes root. */
static int finish(json_t *root, char **out, size_t *len, bw_err *e)
{
	*out = NULL;
	if (!root)
		return bw_fail(e, BW_ENOMEM, "json: cannot build");
	char *s = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!s)
		return bw_fail(e, BW_EINVAL, "json: cannot encode (invalid UTF-8?)");
	*out = s;
	if (len)
		*len = strlen(s);
	return BW_OK;
}

static json_t *header(const char *type)
{
	json_t *r = json_object();
	json_object_set_new(r, "v", json_integer(1));
	json_object_set_new(r, "type", json_string(type));
	return r;
}

/* json_string() refuses invalid UTF-8 by returning NULL; set_new then fails. */
static int set_str(json_t *o, const char *k, const char *v, bw_err *e)
{
	json_t *s = json_string(v);
	if (!s || json_object_set_new(o, k, s) != 0)
		return bw_fail(e, BW_EINVAL, "%s: not valid UTF-8", k);
	return BW_OK;
}

/* ---- ack ---- */

int bw_ack_encode(const bw_ack *a, size_t n, char **out, size_t *len, bw_err *e)
{
	json_t *r = header("ack"), *list = json_array();
	int rc = BW_OK;
	*out = NULL;
	json_object_set_new(r, "acks", list);
	if (n == 0 || n > BW_PROTO_ACKS_MAX)
		rc = bw_fail(e, BW_EINVAL, "acks: %zu, between 1 and %d", n, BW_PROTO_ACKS_MAX);
	for (size_t i = 0; i < n && rc == BW_OK; i++) {
		json_t *o = json_object();
		json_array_append_new(list, o);
		if ((unsigned)a[i].status > BW_ACK_REJECTED) {
			rc = bw_fail(e, BW_EINVAL, "status: out of range");
			break;
		}
		if ((rc = set_str(o, "uid", a[i].uid, e)) ||
		    (a[i].ref[0] && (rc = set_str(o, "ref", a[i].ref, e))) ||
		    (rc = set_str(o, "status", bw_ack_status_name(a[i].status), e)) ||
		    (a[i].reason[0] && (rc = set_str(o, "reason", a[i].reason, e))))
			break;
	}
	if (rc) {
		json_decref(r);
		return rc;
	}
	return finish(r, out, len, e);
}

/* One element of "acks": an object with exactly these keys. */
static int ack_one(json_t *o, bw_ack *a, bw_err *e)
{
	static const char *const known[] = { "uid", "ref", "status", "reason", NULL };
	const char *k;
	json_t *val;
	char status[16] = "";
	int rc;
	memset(a, 0, sizeof *a);
	if (!json_is_object(o))
		return bw_fail(e, BW_EINVAL, "acks: expected objects");
	json_object_foreach(o, k, val) {
		int i = 0;
		while (known[i] && strcmp(known[i], k) != 0)
			i++;
		if (!known[i])
			return bw_fail(e, BW_EINVAL, "acks: %.40s: unknown key", k);
	}
	if (!json_object_get(o, "uid") || !json_object_get(o, "status"))
		return bw_fail(e, BW_EINVAL, "acks: uid and status are required");
	if ((rc = get_str(o, "uid", a->uid, sizeof a->uid, e)) ||
	    (rc = get_str(o, "ref", a->ref, sizeof a->ref, e)) ||
	    (rc = get_str(o, "status", status, sizeof status, e)) ||
	    (rc = get_str(o, "reason", a->reason, sizeof a->reason, e)))
		return rc;
	if (!bw_uuid_valid(a->uid))
		return bw_fail(e, BW_EINVAL, "uid: not a UUID");
	if (a->ref[0] && !ref_ok(a->ref))
		return bw_fail(e, BW_EINVAL, "ref: not 12 digits");
	for (a->status = BW_ACK_STORED; a->status <= BW_ACK_REJECTED; a->status++)
		if (strcmp(status, bw_ack_status_name(a->status)) == 0)
			return BW_OK;
	return bw_fail(e, BW_EINVAL, "status: unknown value");
}

int bw_ack_decode(const char *json, size_t len, bw_ack **out, size_t *n, bw_err *e)
{
	static const struct key keys[] = { { "acks", J_ARRAY, 1 }, { 0 } };
	json_t *r;
	*out = NULL;
	*n = 0;
	int rc = open_msg(json, len, BW_PROTO_ACK_MSG_MAX, "ack", keys, &r, e);
	if (rc)
		return rc;
	json_t *list = json_object_get(r, "acks");
	size_t count = json_array_size(list);
	if (count == 0 || count > BW_PROTO_ACKS_MAX) {
		rc = bw_fail(e, BW_EINVAL, "acks: %zu, between 1 and %d", count, BW_PROTO_ACKS_MAX);
		goto out;
	}
	bw_ack *a = bw_xcalloc(count, sizeof *a);
	for (size_t i = 0; i < count && rc == BW_OK; i++)
		rc = ack_one(json_array_get(list, i), &a[i], e);
	if (rc) {
		free(a);
		goto out;
	}
	*out = a;
	*n = count;
out:
	json_decref(r);
	return rc;
}

/* ---- query ---- */

int bw_query_encode(const char *ref, const char *code, char **out, size_t *len, bw_err *e)
{
	json_t *r = header("query");
	int rc = set_str(r, "ref", ref, e);
	if (rc == BW_OK && code && code[0]) {
		if (!bw_rcode_valid(code))
			rc = bw_fail(e, BW_EINVAL, "code: not %d digits", BW_RCODE_LEN);
		else
			rc = set_str(r, "code", code, e);
	}
	if (rc) {
		json_decref(r);
		*out = NULL;
		return rc;
	}
	return finish(r, out, len, e);
}

int bw_query_decode(const char *json, size_t len, char ref[BW_REF_LEN + 1],
                    char code[BW_RCODE_LEN + 1], bw_err *e)
{
	static const struct key keys[] = { { "ref", J_STR, 1 }, { "code", J_STR, 0 }, { 0 } };
	json_t *r;
	ref[0] = '\0';
	code[0] = '\0';
	int rc = open_msg(json, len, BW_PROTO_MSG_MAX, "query", keys, &r, e);
	if (rc)
		return rc;
	rc = get_str(r, "ref", ref, BW_REF_LEN + 1, e);
	if (rc == BW_OK && !ref_ok(ref))
		rc = bw_fail(e, BW_EINVAL, "ref: not 12 digits");
	if (rc == BW_OK && json_object_get(r, "code") &&
	    ((rc = get_str(r, "code", code, BW_RCODE_LEN + 1, e)) || !bw_rcode_valid(code)))
		rc = bw_fail(e, rc == BW_ETOOBIG ? BW_ETOOBIG : BW_EINVAL, "code: not %d digits", BW_RCODE_LEN);
	if (rc) {
		ref[0] = '\0';
		code[0] = '\0';
	}
	json_decref(r);
	return rc;
}

/* ---- status ---- */

void bw_status_init(bw_status *st)
{
	memset(st, 0, sizeof *st);
}

void bw_status_clear(bw_status *st)
{
	for (size_t i = 0; i < st->nsteps; i++)
		free(st->steps[i].note);
	memset(st, 0, sizeof *st);
}

void bw_status_add_step(bw_status *st, int state, int64_t at, const char *note)
{
	if (st->nsteps == BW_PROTO_STEPS_MAX) {
		free(st->steps[0].note);
		memmove(st->steps, st->steps + 1, (BW_PROTO_STEPS_MAX - 1) * sizeof st->steps[0]);
		st->nsteps--;
	}
	bw_step *s = &st->steps[st->nsteps++];
	s->state = state;
	s->at = at;
	s->note = note && note[0] ? bw_xstrdup(note) : NULL;
}

int bw_status_note_public(int state)
{
	return state == BW_ST_ANSWERED || state == BW_ST_REJECTED || state == BW_ST_EXTENDED;
}

static int add_event_step(const bw_event *ev, void *arg)
{
	bw_status *st = arg;
	bw_status_add_step(st, ev->new_state, ev->at,
			   st->code == BW_CODE_OK && bw_status_note_public(ev->new_state) ? ev->note : NULL);
	return 0;
}

int bw_status_load(bw_store *s, const char *ref, const char *code, bw_status *st, bw_err *e)
{
	bw_request *r = bw_xmalloc(sizeof *r);
	bw_status_clear(st);
	bw_strlcpy(st->ref, ref, sizeof st->ref);
	int rc = bw_store_get(s, ref, r, e);
	if (rc == BW_ENOTFOUND) {
		rc = BW_OK;
		goto out;
	}
	if (rc)
		goto out;
	st->found = 1;
	st->kind = r->kind;
	st->state = r->state;
	memcpy(st->received_on, r->received_on, sizeof st->received_on);
	memcpy(st->deadline, r->deadline, sizeof st->deadline);
	if (code && code[0])
		/* a device that forgot the code in clear (issue 11) keeps its hash */
		st->code = (r->code[0] ? bw_rcode_match(r->code, code) : bw_rcode_hash_match(r->code_hash, code))
			   ? BW_CODE_OK : BW_CODE_WRONG;
	rc = bw_store_events(s, r->uid, add_event_step, st, e);
out:
	/* the request's copy held the citizen's text and personal data */
	memset(r, 0, sizeof *r);
	free(r);
	return rc;
}

int bw_status_encode(const bw_status *st, char **out, size_t *len, bw_err *e)
{
	json_t *r = header("status");
	int rc = BW_OK;
	*out = NULL;
	json_object_set_new(r, "found", json_boolean(st->found));
	if (st->found) {
		json_t *tl = json_array();
		json_object_set_new(r, "timeline", tl);
		if ((rc = set_str(r, "ref", st->ref, e)) ||
		    (rc = set_str(r, "kind", bw_kind_name(st->kind), e)) ||
		    (rc = set_str(r, "state", bw_state_name(st->state), e)) ||
		    (rc = set_str(r, "received_on", st->received_on, e)) ||
		    (rc = set_str(r, "deadline", st->deadline, e)))
			goto err;
		if (st->code != BW_CODE_NONE)
			json_object_set_new(r, "code_ok", json_boolean(st->code == BW_CODE_OK));
		for (size_t i = 0; i < st->nsteps; i++) {
			json_t *s = json_object();
			json_array_append_new(tl, s);
			if ((rc = set_str(s, "state", bw_state_name(st->steps[i].state), e)))
				goto err;
			json_object_set_new(s, "at", json_integer(st->steps[i].at));
			/* a note leaves only with the code that unlocks it */
			if (st->steps[i].note && st->code == BW_CODE_OK &&
			    (rc = set_str(s, "note", st->steps[i].note, e)))
				goto err;
		}
	} else if (st->ref[0] && (rc = set_str(r, "ref", st->ref, e))) {
		goto err;
	}
	return finish(r, out, len, e);
err:
	json_decref(r);
	return rc;
}

int bw_status_decode(const char *json, size_t len, bw_status *st, bw_err *e)
{
	static const struct key keys[] = {
		{ "found", J_BOOL, 1 }, { "ref", J_STR, 0 }, { "kind", J_STR, 0 },
		{ "state", J_STR, 0 }, { "received_on", J_STR, 0 }, { "deadline", J_STR, 0 },
		{ "code_ok", J_BOOL, 0 }, { "timeline", J_ARRAY, 0 }, { 0 } };
	json_t *r;
	char kind[24] = "";
	bw_status_clear(st);
	int rc = open_msg(json, len, BW_PROTO_STATUS_MAX, "status", keys, &r, e);
	if (rc)
		return rc;
	st->found = json_is_true(json_object_get(r, "found"));
	json_t *cok = json_object_get(r, "code_ok");
	st->code = !cok ? BW_CODE_NONE : json_is_true(cok) ? BW_CODE_OK : BW_CODE_WRONG;
	if ((rc = get_str(r, "ref", st->ref, sizeof st->ref, e)) ||
	    (rc = get_str(r, "kind", kind, sizeof kind, e)) ||
	    (rc = get_str(r, "received_on", st->received_on, sizeof st->received_on, e)) ||
	    (rc = get_str(r, "deadline", st->deadline, sizeof st->deadline, e)))
		goto out;
	if (st->ref[0] && !ref_ok(st->ref)) {
		rc = bw_fail(e, BW_EINVAL, "ref: not 12 digits");
		goto out;
	}
	if (!date_ok(st->received_on) || !date_ok(st->deadline)) {
		rc = bw_fail(e, BW_EINVAL, "deadline: not a date");
		goto out;
	}
	if (!st->found)
		goto out;
	if ((st->kind = bw_kind_parse(kind)) < 0) {
		rc = bw_fail(e, BW_EINVAL, "kind: unknown value");
		goto out;
	}
	if ((rc = get_state(r, "state", &st->state, e)))
		goto out;
	json_t *tl = json_object_get(r, "timeline"), *s;
	size_t i;
	if (json_array_size(tl) > BW_PROTO_STEPS_MAX) {
		rc = bw_fail(e, BW_ETOOBIG, "timeline: more than %d steps", BW_PROTO_STEPS_MAX);
		goto out;
	}
	json_array_foreach(tl, i, s) {
		int state;
		if (!json_is_object(s) || !json_is_integer(json_object_get(s, "at"))) {
			rc = bw_fail(e, BW_EINVAL, "timeline[%zu]: expected {state, at, note}", i);
			goto out;
		}
		json_t *note = json_object_get(s, "note");
		if (json_object_size(s) != 2u + (note != NULL) || (note && !json_is_string(note))) {
			rc = bw_fail(e, BW_EINVAL, "timeline[%zu]: unexpected keys", i);
			goto out;
		}
		if (note && st->code != BW_CODE_OK) {
			rc = bw_fail(e, BW_EINVAL, "timeline[%zu]: a note without a matching code", i);
			goto out;
		}
		if ((rc = get_state(s, "state", &state, e)))
			goto out;
		bw_status_add_step(st, state, get_int(s, "at", 0), note ? json_string_value(note) : NULL);
	}
out:
	json_decref(r);
	if (rc)
		bw_status_clear(st);
	return rc;
}

/* ---- presence ---- */

int bw_presence_encode(const bw_presence *p, char **out, size_t *len, bw_err *e)
{
	json_t *r = header("presence");
	json_object_set_new(r, "online", json_boolean(p->online));
	if (p->at)
		json_object_set_new(r, "at", json_integer(p->at));
	if (p->outbox >= 0)
		json_object_set_new(r, "outbox", json_integer(p->outbox));
	if (p->cursor > 0)
		json_object_set_new(r, "cursor", json_integer(p->cursor));
	if (p->signal >= 0)
		json_object_set_new(r, "signal", json_integer(p->signal));
	if (p->queue >= 0)
		json_object_set_new(r, "queue", json_integer(p->queue));
	return finish(r, out, len, e);
}

int bw_presence_decode(const char *json, size_t len, bw_presence *p, bw_err *e)
{
	static const struct key keys[] = {
		{ "online", J_BOOL, 1 }, { "at", J_INT, 0 }, { "outbox", J_INT, 0 },
		{ "cursor", J_INT, 0 }, { "signal", J_INT, 0 }, { "queue", J_INT, 0 }, { 0 } };
	json_t *r;
	int rc = open_msg(json, len, BW_PROTO_MSG_MAX, "presence", keys, &r, e);
	if (rc)
		return rc;
	p->online = json_is_true(json_object_get(r, "online"));
	p->at = get_int(r, "at", 0);
	p->outbox = (long)get_int(r, "outbox", -1);
	p->cursor = get_int(r, "cursor", 0);
	int64_t sig = get_int(r, "signal", -1), q = get_int(r, "queue", -1);
	json_decref(r);
	if (p->outbox < -1 || p->cursor < 0 || sig < -1 || sig > 100 || q < -1 || q > 1000000 ||
	    p->at < 0)
		return bw_fail(e, BW_EINVAL, "presence: figure out of range");
	p->signal = (int)sig;
	p->queue = (int)q;
	return BW_OK;
}
