/* agent.c: the hub's answers to agents' commands: identity and scope checks first, then
 * the store does the work (the lifecycle and deadline rules live there, not here). */
#include "bw_clock.h"
#include "agent.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "bw_agentproto.h"
#include "bw_uuid.h"
#include "bw_wire.h"

int hub_agent_lookup(bw_store *s, const char *id, hub_agent *out, bw_err *e)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(bw_store_db(s), "SELECT id, name, site, admin, active FROM agents WHERE id = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return bw_fail(e, BW_EDB, "agents: %s", sqlite3_errmsg(bw_store_db(s)));
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		bw_strlcpy(out->id, (const char *)sqlite3_column_text(st, 0), sizeof out->id);
		bw_strlcpy(out->name, (const char *)sqlite3_column_text(st, 1), sizeof out->name);
		bw_strlcpy(out->site, (const char *)sqlite3_column_text(st, 2), sizeof out->site);
		bw_strlcpy(out->admin, (const char *)sqlite3_column_text(st, 3), sizeof out->admin);
		out->active = sqlite3_column_int(st, 4);
		rc = BW_OK;
	} else {
		rc = rc == SQLITE_DONE ? bw_fail(e, BW_ENOTFOUND, "agent %.40s: not registered", id)
		                       : bw_fail(e, BW_EDB, "agents: %s", sqlite3_errmsg(bw_store_db(s)));
	}
	sqlite3_finalize(st);
	return rc;
}

static int site_exists(bw_store *s, const char *site)
{
	sqlite3_stmt *st;
	int ok = 0;
	if (sqlite3_prepare_v2(bw_store_db(s), "SELECT 1 FROM sites WHERE code = ?1", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, site, -1, SQLITE_STATIC);
		ok = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_finalize(st);
	}
	return ok;
}

int hub_agent_add(bw_store *s, const hub_agent *a, int replace, int64_t now, bw_err *e)
{
	sqlite3_stmt *st;
	int rc = BW_OK;
	if (strncmp(a->id, "agent-", 6) != 0 || strlen(a->id) < 7)
		return bw_fail(e, BW_EINVAL, "agent id \"%.40s\": must start with agent-", a->id);
	if (!site_exists(s, a->site))
		return bw_fail(e, BW_EINVAL, "site \"%.40s\": not in the catalogue", a->site);
	if (a->admin[0] && bw_store_admin_get(s, a->admin, NULL, NULL) != BW_OK)
		return bw_fail(e, BW_EINVAL, "admin \"%.40s\": not in the catalogue", a->admin);
	if (sqlite3_prepare_v2(bw_store_db(s), replace
			       ? "INSERT OR REPLACE INTO agents (id, name, site, admin, active, created_at) VALUES (?1,?2,?3,?4,?5,?6)"
			       : "INSERT INTO agents (id, name, site, admin, active, created_at) VALUES (?1,?2,?3,?4,?5,?6)",
			       -1, &st, NULL) != SQLITE_OK)
		return bw_fail(e, BW_EDB, "agents: %s", sqlite3_errmsg(bw_store_db(s)));
	sqlite3_bind_text(st, 1, a->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, a->name[0] ? a->name : a->id + 6, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, a->site, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, a->admin, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, a->active);
	sqlite3_bind_int64(st, 6, now);
	int step = sqlite3_step(st);
	if (step == SQLITE_CONSTRAINT_PRIMARYKEY || step == SQLITE_CONSTRAINT)
		rc = bw_fail(e, BW_EEXIST, "agent %s: already registered", a->id);
	else if (step != SQLITE_DONE)
		rc = bw_fail(e, BW_EDB, "agents: %s", sqlite3_errmsg(bw_store_db(s)));
	sqlite3_finalize(st);
	return rc;
}

int hub_agent_in_scope(const hub_agent *a, const bw_request *r)
{
	return strcmp(a->site, r->site) == 0 && (!a->admin[0] || strcmp(a->admin, r->admin) == 0);
}

static json_t *row_obj(const bw_request *r, const char *today)
{
	char excerpt[BW_CHARS(80)];
	size_t n = 0, chars = 0;
	/* the first 80 characters, cut on a character boundary */
	while (r->text[n] && chars < 80) {
		n++;
		while (((unsigned char)r->text[n] & 0xC0) == 0x80)
			n++;
		chars++;
	}
	memcpy(excerpt, r->text, n);
	excerpt[n] = '\0';
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:s, s:s, s:s}",
		"ref", r->ref, "kind", bw_kind_name(r->kind), "state", bw_state_name(r->state),
		"channel", bw_channel_name(r->channel), "admin", r->admin, "category", r->category,
		"site", r->site, "device", r->device, "received_on", r->received_on, "deadline", r->deadline,
		"overdue", bw_state_is_open(r->state) && strcmp(r->deadline, today) < 0, "urgent", r->urgent,
		"extended", r->extended, "lang", r->lang, "phone", r->phone, "excerpt", excerpt);
	return o;
}

char *hub_agent_row(const bw_request *r, const char *today)
{
	json_t *o = row_obj(r, today);
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	return s;
}

static json_t *result(const char *op, int ok)
{
	return json_pack("{s:i, s:s, s:s, s:b}", "v", 1, "type", "result", "op", op, "ok", ok);
}

static json_t *refuse(const char *op, const char *why)
{
	json_t *o = result(op, 0);
	json_object_set_new(o, "error", json_string(why));
	return o;
}

/* json_loads of a string we encoded ourselves, as an object to nest */
static json_t *nest(char *js)
{
	json_error_t je;
	json_t *o = js ? json_loads(js, 0, &je) : NULL;
	free(js);
	return o ? o : json_null();
}

struct queue_walk {
	const hub_agent *a;
	const char *today;
	json_t *rows;
	long counts[BW_ST_COUNT];
	long overdue;
	int limit;
};

static int queue_row(const bw_request *r, void *arg)
{
	struct queue_walk *w = arg;
	if (!hub_agent_in_scope(w->a, r))
		return 0;
	if (w->limit && (int)json_array_size(w->rows) >= w->limit)
		return 0;
	json_array_append_new(w->rows, row_obj(r, w->today));
	return 0;
}

static int count_row(const bw_request *r, void *arg)
{
	struct queue_walk *w = arg;
	if (!hub_agent_in_scope(w->a, r))
		return 0;
	w->counts[r->state]++;
	if (bw_state_is_open(r->state) && strcmp(r->deadline, w->today) < 0)
		w->overdue++;
	return 0;
}

static json_t *do_queue(bw_store *s, const hub_agent *a, const bw_agent_cmd *c, const char *today, bw_err *e)
{
	struct queue_walk w = { .a = a, .today = today, .rows = json_array(), .limit = c->limit ? c->limit : 2000 };
	bw_filter f;
	bw_filter_init(&f);
	f.site = a->site;       /* the scope, in SQL: nothing outside it is even read */
	f.admin = a->admin[0] ? a->admin : (c->admin[0] ? c->admin : NULL);
	if (a->admin[0] && c->admin[0] && strcmp(a->admin, c->admin) != 0) {
		json_decref(w.rows);
		return refuse("queue", "admin: outside your scope");
	}
	f.state = c->state;
	f.kind = c->kind;
	f.channel = c->channel;
	f.device = c->device[0] ? c->device : NULL;
	f.overdue_on = c->overdue ? today : NULL;
	if (bw_store_list(s, &f, queue_row, &w, e)) {
		json_decref(w.rows);
		return NULL;
	}
	bw_filter_init(&f);
	f.site = a->site;
	f.admin = a->admin[0] ? a->admin : NULL;
	if (bw_store_list(s, &f, count_row, &w, e)) {
		json_decref(w.rows);
		return NULL;
	}
	json_t *counts = json_object();
	for (int i = 0; i < BW_ST_COUNT; i++)
		json_object_set_new(counts, bw_state_name(i), json_integer(w.counts[i]));
	json_object_set_new(counts, "overdue", json_integer(w.overdue));
	json_t *o = result("queue", 1);
	json_object_set_new(o, "rows", w.rows);
	json_object_set_new(o, "counts", counts);
	return o;
}

static int event_json(const bw_event *ev, void *arg)
{
	char *js = NULL;
	if (bw_wire_event_encode(ev, NULL, &js, NULL, NULL) == BW_OK)
		json_array_append_new(arg, nest(js));
	return 0;
}

static json_t *do_get(bw_store *s, const hub_agent *a, const char *ref, const char *today, bw_err *e)
{
	bw_request *r = bw_xmalloc(sizeof *r);
	bw_deadline d;
	json_t *o = NULL;
	char *js = NULL, day[11];
	bw_err why;
	if (bw_store_get(s, ref, r, &why) != BW_OK || !hub_agent_in_scope(a, r)) {
		/* the same answer for "no such request" and "not yours": nothing leaks */
		o = refuse("get", "no such request in your scope");
		goto out;
	}
	if (bw_store_deadline(s, r, &d, e) || bw_wire_request_encode(r, &js, NULL, e))
		goto out;
	o = result("get", 1);
	json_object_set_new(o, "request", nest(js));
	json_object_set_new(o, "row", row_obj(r, today));
	json_t *ev = json_array(), *sk = json_array();
	bw_store_events(s, r->uid, event_json, ev, NULL);
	for (size_t i = 0; i < d.nskipped; i++)
		json_array_append_new(sk, json_string(bw_day_format(d.skipped[i], day)));
	json_object_set_new(o, "events", ev);
	json_object_set_new(o, "skipped", sk);
out:
	free(r);
	return o;
}

static json_t *do_move(bw_store *s, const hub_agent *a, const bw_agent_cmd *c, int64_t now,
                       const char *today, char *changed, bw_err *e)
{
	bw_request *r = bw_xmalloc(sizeof *r);
	char note[BW_CHARS(BW_NOTE_MAX)];
	char actor[BW_ACTOR_MAX + 1];
	bw_event ev;
	bw_err why;
	json_t *o = NULL;
	if (bw_store_get(s, c->ref, r, &why) != BW_OK || !hub_agent_in_scope(a, r)) {
		o = refuse("move", "no such request in your scope");
		goto out;
	}
	snprintf(note, sizeof note, "%s", c->note);
	if (c->to == BW_ST_REJECTED) {
		const bw_refusal *rf = bw_refusal_get(c->reason, r->kind);
		if (!rf) {
			o = refuse("move", "reason: a refusal needs a reason from the law's list");
			goto out;
		}
		/* the note starts with the reason's code, as `bawaba reject` writes it */
		snprintf(note, sizeof note, "%s%s%.7900s", rf->code, c->note[0] ? ": " : "", c->note);
	} else if (c->reason[0]) {
		o = refuse("move", "reason: only for a refusal");
		goto out;
	}
	snprintf(actor, sizeof actor, "%s", a->id);
	int rc = bw_store_transition(s, c->ref, c->to, actor, note, now, &ev, &why);
	if (rc == BW_EDB || rc == BW_ENOMEM) {
		bw_fail(e, rc, "%s", why.msg);
		goto out;
	}
	if (rc != BW_OK) {
		o = refuse("move", why.msg);
		goto out;
	}
	if (bw_store_get(s, c->ref, r, e))
		goto out;
	char *js = NULL;
	o = result("move", 1);
	json_object_set_new(o, "row", row_obj(r, today));
	if (bw_wire_event_encode(&ev, r->ref, &js, NULL, NULL) == BW_OK)
		json_object_set_new(o, "event", nest(js));
	if (changed)
		memcpy(changed, r->ref, BW_REF_LEN + 1);
out:
	free(r);
	return o;
}

static json_t *do_file(bw_store *s, const hub_agent *a, bw_agent_cmd *c, int64_t now, const char *today,
                       char *changed, bw_err *e)
{
	bw_request *r = c->request;
	bw_err why;
	char uid[BW_UID_LEN + 1];
	/* what the desk decides, not the console: channel, site, device, time, identity */
	r->channel = BW_CHANNEL_DESK;
	bw_strlcpy(r->site, a->site, sizeof r->site);
	bw_strlcpy(r->device, a->id, sizeof r->device);
	r->received_at = now;
	bw_day_format(bw_legal_day(now), r->received_on);
	if (r->phone[0])
		r->consent = 1;   /* given in person at the desk */
	if (a->admin[0] && strcmp(r->admin, a->admin) != 0)
		return refuse("file", "admin: outside your scope");
	/* the console's uid makes a filing idempotent (issue 11): the same command delivered
	 * twice (MQTT QoS 1 may, a console may send again after a lost result) files once and
	 * answers with the same row. The zero uid of older consoles: the hub makes one. */
	if (strcmp(r->uid, "00000000-0000-7000-8000-000000000000") == 0) {
		if (bw_uuid_v7(uid, e))
			return NULL;
		memcpy(r->uid, uid, sizeof uid);
	} else {
		bw_request *old = bw_xmalloc(sizeof *old);
		int g = bw_store_get_uid(s, r->uid, old, &why);
		json_t *o = NULL;
		if (g == BW_OK && strcmp(old->device, a->id) == 0) {
			o = result("file", 1);
			json_object_set_new(o, "row", row_obj(old, today));
			json_object_set_new(o, "duplicate", json_true());
		} else if (g == BW_OK) {
			o = refuse("file", "uid: belongs to another request");
		} else if (g != BW_ENOTFOUND) {
			bw_fail(e, g, "%s", why.msg);
		}
		free(old);
		if (o || g != BW_ENOTFOUND)
			return o;
	}
	if (bw_store_begin(s, e))
		return NULL;
	int rc = bw_store_next_ref(s, 0, r->ref, &why);
	if (rc == BW_OK)
		rc = bw_store_insert(s, r, a->id, &why);
	if (rc == BW_OK)
		rc = bw_store_commit(s, &why);
	if (rc != BW_OK) {
		bw_store_rollback(s);
		if (rc == BW_EDB)
			return bw_fail(e, rc, "%s", why.msg), NULL;
		return refuse("file", why.msg);
	}
	json_t *o = result("file", 1);
	json_object_set_new(o, "row", row_obj(r, today));
	if (changed)
		memcpy(changed, r->ref, BW_REF_LEN + 1);
	return o;
}

static json_t *do_devices(bw_store *s, const hub_agent *a, bw_err *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(bw_store_db(s), "SELECT id, kind, online, last_seen, outbox_depth, signal, send_queue, "
			       "clock_skew FROM devices WHERE site = ?1 ORDER BY id", -1, &st, NULL) != SQLITE_OK) {
		bw_fail(e, BW_EDB, "devices: %s", sqlite3_errmsg(bw_store_db(s)));
		return NULL;
	}
	sqlite3_bind_text(st, 1, a->site, -1, SQLITE_STATIC);
	json_t *arr = json_array();
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_t *d = json_pack("{s:s, s:s, s:b, s:I, s:I}", "id", sqlite3_column_text(st, 0),
				      "kind", sqlite3_column_text(st, 1), "online", sqlite3_column_int(st, 2),
				      "last_seen", (json_int_t)sqlite3_column_int64(st, 3),
				      "outbox", (json_int_t)sqlite3_column_int64(st, 4));
		if (sqlite3_column_type(st, 5) != SQLITE_NULL)
			json_object_set_new(d, "signal", json_integer(sqlite3_column_int(st, 5)));
		if (sqlite3_column_type(st, 6) != SQLITE_NULL)
			json_object_set_new(d, "queue", json_integer(sqlite3_column_int(st, 6)));
		if (sqlite3_column_type(st, 7) != SQLITE_NULL)
			json_object_set_new(d, "clock_skew", json_integer(sqlite3_column_int64(st, 7)));
		json_array_append_new(arr, d);
	}
	sqlite3_finalize(st);
	json_t *o = result("devices", 1);
	json_object_set_new(o, "devices", arr);
	return o;
}

/* The counts, not shares: the console makes the shares with bw_indicator, as every
 * other place that shows them. */
static int report_row(const bw_report_row *row, void *arg)
{
	json_array_append_new(arg, json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I}", "admin", row->admin,
		"kind", bw_kind_name(row->kind), "total", (json_int_t)row->total,
		"answered", (json_int_t)row->answered, "in_time", (json_int_t)row->answered_in_time,
		"overdue", (json_int_t)row->overdue, "reopened", (json_int_t)row->reopened));
	return 0;
}

static json_t *do_report(bw_store *s, const hub_agent *a, const bw_agent_cmd *c, const char *today,
                         bw_err *e)
{
	json_t *rows = json_array();
	/* the agent's scope, as for the queue: their site, and their administration if any */
	if (bw_store_report(s, c->from[0] ? c->from : NULL, c->until[0] ? c->until : NULL, today, a->site,
			    a->admin[0] ? a->admin : NULL, report_row, rows, e)) {
		json_decref(rows);
		return NULL;
	}
	json_t *o = result("report", 1);
	json_object_set_new(o, "rows", rows);
	return o;
}

int hub_agent_handle(bw_store *s, const char *user, const char *json, size_t len, int64_t now,
                     char **reply, char *changed_ref, bw_err *e)
{
	bw_agent_cmd c;
	hub_agent a;
	bw_err why;
	json_t *o = NULL;
	char today[11];
	const char *op = "?";

	*reply = NULL;
	bw_err_clear(e);
	if (changed_ref)
		changed_ref[0] = '\0';
	bw_day_format(bw_legal_day(now), today);
	bw_agent_cmd_init(&c);
	if (hub_agent_lookup(s, user, &a, &why) != BW_OK || !a.active) {
		o = refuse(op, "not an active agent: ask the site's administrator");
	} else if (bw_agent_cmd_decode(json, len, &c, &why) != BW_OK) {
		o = refuse(op, why.msg);
	} else {
		op = bw_agent_op_name(c.op);
		switch (c.op) {
		case BW_AOP_QUEUE: o = do_queue(s, &a, &c, today, e); break;
		case BW_AOP_GET: o = do_get(s, &a, c.ref, today, e); break;
		case BW_AOP_MOVE: o = do_move(s, &a, &c, now, today, changed_ref, e); break;
		case BW_AOP_FILE: o = do_file(s, &a, &c, now, today, changed_ref, e); break;
		case BW_AOP_DEVICES: o = do_devices(s, &a, e); break;
		case BW_AOP_REPORT: o = do_report(s, &a, &c, today, e); break;
		}
	}
	bw_agent_cmd_clear(&c);
	if (!o)
		return e && e->code ? e->code : bw_fail(e, BW_EDB, "%s: failed", op);
	*reply = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return *reply ? BW_OK : bw_fail(e, BW_ENOMEM, "reply: cannot encode");
}
