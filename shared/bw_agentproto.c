/* bw_agentproto.c: encoding and strict decoding of an agent's commands to the hub. The
 * shape of each op is one row of a key table, so a key the op does
 * not know, of the wrong type or missing is refused by one table check, naming the key. */
#include "bw_agentproto.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "bw_calendar.h"
#include "bw_ref.h"
#include "bw_text.h"
#include "bw_wire.h"

static const char *const op_names[BW_AOP_COUNT] = {
	[BW_AOP_QUEUE] = "queue", [BW_AOP_GET] = "get", [BW_AOP_MOVE] = "move",
	[BW_AOP_FILE] = "file", [BW_AOP_DEVICES] = "devices", [BW_AOP_REPORT] = "report",
};

const char *bw_agent_op_name(int op)
{
	return (unsigned)op < BW_AOP_COUNT ? op_names[op] : "?";
}

void bw_agent_cmd_init(bw_agent_cmd *c)
{
	memset(c, 0, sizeof *c);
	c->state = c->kind = c->channel = c->to = -1;
}

void bw_agent_cmd_clear(bw_agent_cmd *c)
{
	free(c->request);
	bw_agent_cmd_init(c);
}

/* Copies a decoded string into its field, checking bytes, UTF-8 and characters. */
static int put(const char *field, const char *v, char *dst, size_t size, size_t maxchars, bw_err *e)
{
	if (!v)
		return BW_OK;
	size_t n = strlen(v);
	if (n >= size || (maxchars && bw_utf8_len(v) > maxchars))
		return bw_fail(e, BW_ETOOBIG, "%s: too long", field);
	if (!bw_utf8_valid(v, n))
		return bw_fail(e, BW_EINVAL, "%s: invalid UTF-8", field);
	memcpy(dst, v, n + 1);
	return BW_OK;
}

static int enum_in(const char *field, const char *v, int (*parse)(const char *), int *out, bw_err *e)
{
	if (!v)
		return BW_OK;
	int x = parse(v);
	if (x < 0)
		return bw_fail(e, BW_EINVAL, "%s: unknown value \"%.20s\"", field, v);
	*out = x;
	return BW_OK;
}

/* The keys each op accepts besides v, type and op: 's' string, 'i' integer, 'b' boolean,
 * 'o' object; upper case = required. One table, checked before anything is read, so every
 * refusal names its key. */
static const char *const op_keys[BW_AOP_COUNT][8] = {
	[BW_AOP_QUEUE] = { "state:s", "kind:s", "channel:s", "admin:s", "device:s", "overdue:b", "limit:i" },
	[BW_AOP_GET] = { "ref:S" },
	[BW_AOP_MOVE] = { "ref:S", "to:S", "note:s", "reason:s" },
	[BW_AOP_FILE] = { "request:O" },
	[BW_AOP_DEVICES] = { NULL },
	[BW_AOP_REPORT] = { "from:s", "to:s" },
};

static int type_ok(json_t *v, char t)
{
	switch (t | 0x20) {
	case 's': return json_is_string(v);
	case 'i': return json_is_integer(v);
	case 'b': return json_is_boolean(v);
	case 'o': return json_is_object(v);
	}
	return 0;
}

static const char *type_word(char t)
{
	switch (t | 0x20) {
	case 's': return "a string";
	case 'i': return "an integer";
	case 'b': return "true or false";
	}
	return "an object";
}

/* Checks root against the op's key table: unknown keys, wrong types, missing keys. */
static int check_keys(json_t *root, int op, bw_err *e)
{
	const char *key;
	json_t *val;
	json_object_foreach(root, key, val) {
		if (!strcmp(key, "v") || !strcmp(key, "type") || !strcmp(key, "op"))
			continue;
		const char *spec = NULL;
		for (int i = 0; i < 8 && op_keys[op][i]; i++) {
			size_t n = strlen(op_keys[op][i]) - 2;
			if (strlen(key) == n && strncmp(key, op_keys[op][i], n) == 0)
				spec = op_keys[op][i];
		}
		if (!spec)
			return bw_fail(e, BW_EINVAL, "%.40s: unknown key for %s", key, op_names[op]);
		char t = spec[strlen(spec) - 1];
		if (!type_ok(val, t))
			return bw_fail(e, BW_EINVAL, "%s: expected %s", key, type_word(t));
	}
	for (int i = 0; i < 8 && op_keys[op][i]; i++) {
		const char *spec = op_keys[op][i];
		size_t n = strlen(spec) - 2;
		char name[16];
		if (spec[n + 1] >= 'a')
			continue;
		snprintf(name, sizeof name, "%.*s", (int)n, spec);
		if (!json_object_get(root, name))
			return bw_fail(e, BW_EINVAL, "%s: missing", name);
	}
	return BW_OK;
}

static const char *str(json_t *root, const char *key)
{
	return json_string_value(json_object_get(root, key));
}


int bw_agent_cmd_decode(const char *json, size_t len, bw_agent_cmd *c, bw_err *e)
{
	json_t *root;
	json_error_t je;
	int rc = BW_OK;

	if (len > BW_AGENT_MSG_MAX)
		return bw_fail(e, BW_ETOOBIG, "command: %zu bytes, at most %d", len, BW_AGENT_MSG_MAX);
	root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return bw_fail(e, BW_EINVAL, "json: %s at line %d, column %d", bw_json_error_kind(&je), je.line,
			       je.column);
	json_t *v = json_object_get(root, "v");
	const char *type = str(root, "type"), *op = str(root, "op");
	if (!json_is_object(root)) {
		rc = bw_fail(e, BW_EINVAL, "command: not an object");
		goto done;
	}
	if (!json_is_integer(v) || json_integer_value(v) != 1) {
		rc = bw_fail(e, BW_EINVAL, "v: unsupported version (this hub speaks 1)");
		goto done;
	}
	if (!type || strcmp(type, "cmd") != 0) {
		rc = bw_fail(e, BW_EINVAL, "type: expected \"cmd\"");
		goto done;
	}
	c->op = -1;
	for (int i = 0; op && i < BW_AOP_COUNT; i++)
		if (strcmp(op, op_names[i]) == 0)
			c->op = i;
	if (c->op < 0) {
		rc = bw_fail(e, BW_EINVAL, "op: unknown \"%.20s\"", op ? op : "");
		goto done;
	}
	if ((rc = check_keys(root, c->op, e)))
		goto done;

	switch (c->op) {
	case BW_AOP_QUEUE: {
		json_int_t limit = json_integer_value(json_object_get(root, "limit"));
		if (limit < 0 || limit > 100000) {
			rc = bw_fail(e, BW_EINVAL, "limit: out of range (0..100000)");
			break;
		}
		c->limit = (int)limit;
		c->overdue = json_is_true(json_object_get(root, "overdue"));
		if ((rc = enum_in("state", str(root, "state"), bw_state_parse, &c->state, e)) ||
		    (rc = enum_in("kind", str(root, "kind"), bw_kind_parse, &c->kind, e)) ||
		    (rc = enum_in("channel", str(root, "channel"), bw_channel_parse, &c->channel, e)) ||
		    (rc = put("admin", str(root, "admin"), c->admin, sizeof c->admin, 0, e)))
			break;
		rc = put("device", str(root, "device"), c->device, sizeof c->device, 0, e);
		break;
	}
	case BW_AOP_MOVE:
		if ((rc = enum_in("to", str(root, "to"), bw_state_parse, &c->to, e)) ||
		    (rc = put("note", str(root, "note"), c->note, sizeof c->note, BW_AGENT_NOTE_MAX, e)) ||
		    (rc = put("reason", str(root, "reason"), c->reason, sizeof c->reason, 0, e)))
			break;
		__attribute__((fallthrough));
	case BW_AOP_GET:
		if (bw_ref_parse(str(root, "ref"), c->ref, e) != BW_OK)
			rc = BW_EINVAL;
		break;
	case BW_AOP_FILE: {
		char *dump = json_dumps(json_object_get(root, "request"), JSON_COMPACT);
		c->request = bw_xmalloc(sizeof *c->request);
		rc = dump ? bw_wire_request_decode(dump, strlen(dump), c->request, e)
		          : bw_fail(e, BW_EINVAL, "request: cannot read");
		free(dump);
		break;
	}
	case BW_AOP_REPORT: {
		bw_day d;
		const char *from = str(root, "from"), *to = str(root, "to");
		if ((from && (rc = bw_day_parse(from, &d, e))) || (to && (rc = bw_day_parse(to, &d, e))) ||
		    (rc = put("from", from, c->from, sizeof c->from, 0, e)))
			break;
		rc = put("to", to, c->until, sizeof c->until, 0, e);
		break;
	}
	default:
		break;
	}
done:
	json_decref(root);
	return rc;
}

int bw_agent_cmd_encode(const bw_agent_cmd *c, char **out, size_t *len, bw_err *e)
{
	json_t *o = json_pack("{s:i, s:s, s:s}", "v", 1, "type", "cmd", "op", bw_agent_op_name(c->op));
	int rc = BW_OK;
	*out = NULL;
	if (!o)
		return bw_fail(e, BW_ENOMEM, "command: cannot build");
	switch (c->op) {
	case BW_AOP_QUEUE:
		if (c->state >= 0)
			json_object_set_new(o, "state", json_string(bw_state_name(c->state)));
		if (c->kind >= 0)
			json_object_set_new(o, "kind", json_string(bw_kind_name(c->kind)));
		if (c->channel >= 0)
			json_object_set_new(o, "channel", json_string(bw_channel_name(c->channel)));
		if (c->admin[0])
			json_object_set_new(o, "admin", json_string(c->admin));
		if (c->device[0])
			json_object_set_new(o, "device", json_string(c->device));
		if (c->overdue)
			json_object_set_new(o, "overdue", json_true());
		if (c->limit)
			json_object_set_new(o, "limit", json_integer(c->limit));
		break;
	case BW_AOP_MOVE:
		json_object_set_new(o, "to", json_string(bw_state_name(c->to)));
		if (c->note[0])
			json_object_set_new(o, "note", json_string(c->note));
		if (c->reason[0])
			json_object_set_new(o, "reason", json_string(c->reason));
		/* a move names its request, like get */
		__attribute__((fallthrough));
	case BW_AOP_GET:
		json_object_set_new(o, "ref", json_string(c->ref));
		break;
	case BW_AOP_FILE: {
		char *r = NULL;
		size_t rl;
		json_error_t je;
		if (!c->request || (rc = bw_wire_request_encode(c->request, &r, &rl, e)))
			break;
		json_object_set_new(o, "request", json_loadb(r, rl, 0, &je));
		free(r);
		break;
	}
	case BW_AOP_REPORT:
		if (c->from[0])
			json_object_set_new(o, "from", json_string(c->from));
		if (c->until[0])
			json_object_set_new(o, "to", json_string(c->until));
		break;
	case BW_AOP_DEVICES:
		break;
	default:
		rc = bw_fail(e, BW_EINVAL, "op: unknown (%d)", c->op);
	}
	if (rc == BW_OK) {
		/* json_string returns NULL on invalid UTF-8, which json_object_set_new ignores:
		 * the decoder on the other side then names the missing field */
		*out = json_dumps(o, JSON_COMPACT);
		if (!*out)
			rc = bw_fail(e, BW_EINVAL, "command: cannot encode");
		else if (len)
			*len = strlen(*out);
	}
	json_decref(o);
	return rc;
}
