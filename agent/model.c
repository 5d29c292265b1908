/* model.c: the console's state, fed by the hub's messages: rows indexed by reference
 * (open addressing, so a live change finds its row in O(1) among 10,000), a filtered and
 * sorted view rebuilt only when something changed, counts, details, devices, indicators
 * and the announcements. */
#define _GNU_SOURCE   /* qsort_r: the sort key travels as an argument, not in a global */
#include "model.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "bw_indicator.h"
#include "bw_wire.h"
#include "ui/ui.h"

void ag_filter_init(ag_filter *f)
{
	memset(f, 0, sizeof *f);
	f->kind = f->channel = f->count = -1;
	f->sort = AG_SORT_DEADLINE;
}

void ag_model_init(ag_model *m, const char *today)
{
	memset(m, 0, sizeof *m);
	ag_filter_init(&m->filter);
	bw_strlcpy(m->today, today, sizeof m->today);
	m->backlog_alert = 20;
	m->result.state = -1;
}

void ag_model_free(ag_model *m)
{
	free(m->rows);
	free(m->index);
	free(m->view);
	memset(m, 0, sizeof *m);
}

/* ---- the index ---- */

static uint32_t ref_hash(const char *ref)
{
	uint32_t h = 2166136261u;
	for (; *ref; ref++)
		h = (h ^ (unsigned char)*ref) * 16777619u;
	return h;
}

static int *slot_of(const ag_model *m, const char *ref)
{
	if (!m->index_cap)
		return NULL;
	uint32_t mask = (uint32_t)m->index_cap - 1;
	for (uint32_t i = ref_hash(ref) & mask;; i = (i + 1) & mask) {
		int *s = &m->index[i];
		if (*s == 0 || strcmp(m->rows[*s - 1].ref, ref) == 0)
			return s;
	}
}

static void reindex(ag_model *m)
{
	/* kept at most half full: probes stay short */
	int cap = 64;
	while (cap < 2 * (m->nrows + 1))
		cap *= 2;
	free(m->index);
	m->index = bw_xcalloc((size_t)cap, sizeof *m->index);
	m->index_cap = cap;
	for (int i = 0; i < m->nrows; i++)
		*slot_of(m, m->rows[i].ref) = i + 1;
}

const ag_row *ag_model_find(const ag_model *m, const char *ref)
{
	int *s = slot_of(m, ref);
	return s && *s ? &m->rows[*s - 1] : NULL;
}

static ag_row *add_row(ag_model *m)
{
	if (m->nrows == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 256;
		m->rows = bw_xrealloc(m->rows, (size_t)m->cap * sizeof *m->rows);
		m->view = bw_xrealloc(m->view, (size_t)m->cap * sizeof *m->view);
	}
	ag_row *r = &m->rows[m->nrows++];
	memset(r, 0, sizeof *r);
	if (2 * (m->nrows + 1) > m->index_cap)
		reindex(m);
	return r;
}

/* ---- counts and view ---- */

static int is_new_state(int st)
{
	return st == BW_ST_RECEIVED || st == BW_ST_ACKNOWLEDGED || st == BW_ST_REOPENED;
}

/* 1 if the row counts under c. */
static int in_count(const ag_row *r, int c, const char *today)
{
	switch (c) {
	case AG_CNT_NEW: return is_new_state(r->state);
	case AG_CNT_ASSIGNED: return r->state == BW_ST_ASSIGNED;
	case AG_CNT_IN_PROGRESS: return r->state == BW_ST_IN_PROGRESS;
	case AG_CNT_EXTENDED: return r->state == BW_ST_EXTENDED;
	case AG_CNT_OVERDUE: return r->overdue;
	case AG_CNT_ANSWERED_TODAY:
		return (r->state == BW_ST_ANSWERED || r->state == BW_ST_REJECTED) &&
		       strcmp(r->done_on, today) == 0;
	}
	return 1;
}

static void recount(ag_model *m)
{
	memset(m->counts, 0, sizeof m->counts);
	for (int i = 0; i < m->nrows; i++)
		for (int c = 0; c < AG_CNT_COUNT; c++)
			m->counts[c] += in_count(&m->rows[i], c, m->today);
}

int ag_filter_match(const ag_filter *f, const ag_row *r, const char *today)
{
	if (f->kind >= 0 && r->kind != f->kind)
		return 0;
	if (f->channel >= 0 && r->channel != f->channel)
		return 0;
	if (f->count >= 0 && !in_count(r, f->count, today))
		return 0;
	if (f->admin[0] && strcmp(f->admin, r->admin) != 0)
		return 0;
	if (f->device[0] && strcmp(f->device, r->device) != 0)
		return 0;
	if (f->text[0] && !strstr(r->ref, f->text) && !ui_match(r->excerpt, f->text) &&
	    !ui_match(r->admin, f->text) && !ui_match(r->category, f->text))
		return 0;
	return 1;
}

static int cmp_rows(const void *a, const void *b, void *arg)
{
	const ag_model *m = arg;
	const ag_row *x = &m->rows[*(const int *)a], *y = &m->rows[*(const int *)b];
	int c = 0;
	switch (m->filter.sort) {
	case AG_SORT_DEADLINE:
		/* what needs work first: overdue, then open by deadline, then the rest */
		c = y->overdue - x->overdue;
		if (!c)
			c = bw_state_is_open(y->state) - bw_state_is_open(x->state);
		if (!c)
			c = strcmp(x->deadline, y->deadline);
		break;
	case AG_SORT_RECEIVED:
		c = strcmp(y->received_on, x->received_on);
		if (!c)
			c = strcmp(y->ref, x->ref);
		break;
	case AG_SORT_STATE:
		c = x->state - y->state;
		break;
	}
	return c ? c : strcmp(x->ref, y->ref);
}

void ag_model_refilter(ag_model *m)
{
	m->view_dirty = 1;
}

static void rebuild_view(ag_model *m)
{
	m->nview = 0;
	for (int i = 0; i < m->nrows; i++)
		if (ag_filter_match(&m->filter, &m->rows[i], m->today))
			m->view[m->nview++] = i;
	qsort_r(m->view, (size_t)m->nview, sizeof *m->view, cmp_rows, m);
	m->view_dirty = 0;
}

int ag_model_view_count(ag_model *m)
{
	if (m->view_dirty)
		rebuild_view(m);
	return m->nview;
}

const ag_row *ag_model_view_row(ag_model *m, int i)
{
	if (m->view_dirty)
		rebuild_view(m);
	return i >= 0 && i < m->nview ? &m->rows[m->view[i]] : NULL;
}

int ag_model_view_find(ag_model *m, const char *ref)
{
	if (m->view_dirty)
		rebuild_view(m);
	for (int i = 0; i < m->nview; i++)
		if (strcmp(m->rows[m->view[i]].ref, ref) == 0)
			return i;
	return -1;
}

/* ---- toasts ---- */

static void toast(ag_model *m, int kind, const char *what, long n)
{
	if (m->ntoasts == AG_TOASTS_MAX) {
		/* the oldest goes: the newest news matters most */
		memmove(m->toasts, m->toasts + 1, sizeof m->toasts[0] * (AG_TOASTS_MAX - 1));
		m->ntoasts--;
	}
	ag_toast *t = &m->toasts[m->ntoasts++];
	t->kind = kind;
	bw_strlcpy(t->what, what, sizeof t->what);
	t->n = n;
	t->until_ms = m->now_ms + AG_TOAST_MS;
	if (kind != AG_TOAST_ONLINE)
		m->beeps++;
}

int ag_model_expire_toasts(ag_model *m, int64_t now_ms)
{
	int k = 0;
	for (int i = 0; i < m->ntoasts; i++)
		if (m->toasts[i].until_ms > now_ms)
			m->toasts[k++] = m->toasts[i];
	m->ntoasts = k;
	return k;
}

/* ---- decoding ---- */

static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static int jenum(json_t *o, const char *k, int (*parse)(const char *))
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? parse(s) : -1;
}

/* A "row" object into r; BW_EINVAL when the reference or an enumeration is wrong. */
static int row_decode(json_t *o, ag_row *r, bw_err *e)
{
	if (!json_is_object(o))
		return bw_fail(e, BW_EINVAL, "row: not an object");
	const char *ref = jstr(o, "ref");
	if (strlen(ref) != BW_REF_LEN)
		return bw_fail(e, BW_EINVAL, "row: ref: expected %d digits", BW_REF_LEN);
	memset(r, 0, sizeof *r);
	memcpy(r->ref, ref, BW_REF_LEN + 1);
	r->kind = jenum(o, "kind", bw_kind_parse);
	r->state = jenum(o, "state", bw_state_parse);
	r->channel = jenum(o, "channel", bw_channel_parse);
	if (r->kind < 0 || r->state < 0 || r->channel < 0)
		return bw_fail(e, BW_EINVAL, "row %s: kind, state or channel unknown", ref);
	bw_strlcpy(r->admin, jstr(o, "admin"), sizeof r->admin);
	bw_strlcpy(r->category, jstr(o, "category"), sizeof r->category);
	bw_strlcpy(r->site, jstr(o, "site"), sizeof r->site);
	bw_strlcpy(r->device, jstr(o, "device"), sizeof r->device);
	bw_strlcpy(r->received_on, jstr(o, "received_on"), sizeof r->received_on);
	bw_strlcpy(r->deadline, jstr(o, "deadline"), sizeof r->deadline);
	bw_strlcpy(r->lang, jstr(o, "lang"), sizeof r->lang);
	bw_strlcpy(r->phone, jstr(o, "phone"), sizeof r->phone);
	bw_strlcpy(r->excerpt, jstr(o, "excerpt"), sizeof r->excerpt);
	r->overdue = json_is_true(json_object_get(o, "overdue"));
	r->urgent = json_is_true(json_object_get(o, "urgent"));
	r->extended = json_is_true(json_object_get(o, "extended"));
	return BW_OK;
}

static int is_done(int st)
{
	return st == BW_ST_ANSWERED || st == BW_ST_REJECTED;
}

/* Inserts or replaces a row; live = 1 for a pushed change (announced when new or newly
 * overdue). */
static void put_row(ag_model *m, const ag_row *in, int live)
{
	int *s = slot_of(m, in->ref);
	ag_row *r;
	int is_new = !s || !*s;
	if (is_new) {
		r = add_row(m);
		*r = *in;
		*slot_of(m, in->ref) = m->nrows;
		if (live) {
			r->fresh = 1;
			toast(m, AG_TOAST_NEW, r->ref, 0);
		}
		if (live && is_done(r->state))
			memcpy(r->done_on, m->today, sizeof r->done_on);
	} else {
		r = &m->rows[*s - 1];
		ag_row old = *r;
		*r = *in;
		r->fresh = old.fresh;
		memcpy(r->done_on, old.done_on, sizeof r->done_on);
		if (is_done(r->state) && !is_done(old.state))
			memcpy(r->done_on, m->today, sizeof r->done_on);
		if (live && r->overdue && !old.overdue)
			toast(m, AG_TOAST_OVERDUE, r->ref, 0);
	}
	r->seen_ms = m->now_ms;
	m->changes++;
	if (strcmp(m->detail.ref, r->ref) == 0 && m->detail.loaded)
		m->detail.row = *r;
	m->view_dirty = 1;
	if (m->on_row)
		m->on_row(m->on_row_arg, r, is_new);
}

static int apply_queue(ag_model *m, json_t *root, bw_err *e)
{
	json_t *rows = json_object_get(root, "rows"), *v;
	size_t i;
	if (!json_is_array(rows))
		return bw_fail(e, BW_EINVAL, "queue: rows: expected an array");
	/* decode everything first: a bad row leaves the model as it was */
	ag_row *tmp = bw_xmalloc((json_array_size(rows) + 1) * sizeof *tmp);
	json_array_foreach(rows, i, v) {
		if (row_decode(v, &tmp[i], e)) {
			free(tmp);
			return BW_EINVAL;
		}
	}
	/* what this console saw answered today survives a refresh */
	int n = (int)json_array_size(rows);
	for (int k = 0; k < n; k++) {
		const ag_row *old = ag_model_find(m, tmp[k].ref);
		if (old) {
			memcpy(tmp[k].done_on, old->done_on, sizeof tmp[k].done_on);
			tmp[k].fresh = old->fresh;
		}
		tmp[k].seen_ms = m->now_ms;
	}
	free(m->rows);
	free(m->view);
	m->nrows = n;
	m->cap = n + 16;
	m->rows = bw_xrealloc(tmp, (size_t)m->cap * sizeof *m->rows);
	m->view = bw_xmalloc((size_t)m->cap * sizeof *m->view);
	reindex(m);
	m->loaded = 1;
	m->view_dirty = 1;
	if (m->on_row)
		for (int k = 0; k < n; k++)
			m->on_row(m->on_row_arg, &m->rows[k], 0);
	return BW_OK;
}

static int apply_detail(ag_model *m, json_t *root, bw_err *e)
{
	json_t *row = json_object_get(root, "row"), *req = json_object_get(root, "request");
	ag_detail *d = bw_xcalloc(1, sizeof *d);
	int rc = BW_OK;
	char *js = NULL;
	if ((rc = row_decode(row, &d->row, e)))
		goto out;
	bw_err why = { 0 };
	if (!json_is_object(req) || !(js = json_dumps(req, JSON_COMPACT)) ||
	    bw_wire_request_decode(js, strlen(js), &d->req, &why) != BW_OK) {
		rc = bw_fail(e, BW_EINVAL, "get: request: %s", why.msg[0] ? why.msg : "missing");
		goto out;
	}
	if (strcmp(m->selected, d->row.ref) != 0)
		goto out;   /* an answer for a request no longer selected */
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(root, "events"), i, v) {
		if (d->nevents == AG_EVENTS_MAX)
			break;
		ag_event *ev = &d->events[d->nevents++];
		ev->at = json_integer_value(json_object_get(v, "at"));
		bw_strlcpy(ev->actor, jstr(v, "actor"), sizeof ev->actor);
		ev->old_state = jenum(v, "old_state", bw_state_parse);
		ev->new_state = jenum(v, "new_state", bw_state_parse);
		bw_strlcpy(ev->note, jstr(v, "note"), sizeof ev->note);
	}
	json_array_foreach(json_object_get(root, "skipped"), i, v) {
		if (d->nskipped < AG_SKIPPED_MAX && json_is_string(v))
			bw_strlcpy(d->skipped[d->nskipped++], json_string_value(v), BW_DATE_LEN + 1);
	}
	memcpy(d->ref, d->row.ref, sizeof d->ref);
	/* the row as this console knows it (fresh, done_on) and up to date */
	const ag_row *known = ag_model_find(m, d->ref);
	if (known) {
		d->row.fresh = known->fresh;
		memcpy(d->row.done_on, known->done_on, sizeof d->row.done_on);
	}
	d->loaded = 1;
	m->detail = *d;
	put_row(m, &d->row, 0);
out:
	free(js);
	free(d);
	return rc;
}

static void device_update(ag_model *m, json_t *o)
{
	const char *id = jstr(o, "id");
	if (!id[0])
		id = jstr(o, "device");
	if (!id[0] || strlen(id) > BW_CODE_MAX)
		return;
	ag_device *d = NULL;
	for (int i = 0; i < m->ndevices; i++)
		if (strcmp(m->devices[i].id, id) == 0)
			d = &m->devices[i];
	int known = d != NULL;
	if (!d) {
		if (m->ndevices == AG_DEVICES_MAX)
			return;
		d = &m->devices[m->ndevices++];
		memset(d, 0, sizeof *d);
		bw_strlcpy(d->id, id, sizeof d->id);
		d->outbox = -1;
		d->signal = d->queue = -1;
	}
	ag_device old = *d;
	json_t *v;
	if (json_is_string(json_object_get(o, "kind")))
		bw_strlcpy(d->kind, jstr(o, "kind"), sizeof d->kind);
	if ((v = json_object_get(o, "online")))
		d->online = json_is_true(v) || (json_is_integer(v) && json_integer_value(v));
	if (json_is_integer(v = json_object_get(o, "last_seen")))
		d->last_seen = json_integer_value(v);
	if (json_is_integer(v = json_object_get(o, "outbox")))
		d->outbox = (long)json_integer_value(v);
	if (json_is_integer(v = json_object_get(o, "signal")))
		d->signal = (int)json_integer_value(v);
	if (json_is_integer(v = json_object_get(o, "queue")))
		d->queue = (int)json_integer_value(v);
	if (json_is_integer(v = json_object_get(o, "clock_skew"))) {
		d->clock_known = 1;
		d->clock_skew = json_integer_value(v);
	}
	if (!known || !m->devices_loaded)
		return;
	if (old.online && !d->online)
		toast(m, AG_TOAST_OFFLINE, d->id, 0);
	else if (!old.online && d->online)
		toast(m, AG_TOAST_ONLINE, d->id, 0);
	/* a backlog that crosses the threshold, or keeps growing past it by half again */
	if (d->outbox >= m->backlog_alert && d->outbox > old.outbox &&
	    (old.outbox < m->backlog_alert || d->outbox >= old.outbox + old.outbox / 2))
		toast(m, AG_TOAST_BACKLOG, d->id, d->outbox);
}

static int apply_devices(ag_model *m, json_t *arr, bw_err *e)
{
	size_t i;
	json_t *v;
	if (!json_is_array(arr))
		return bw_fail(e, BW_EINVAL, "devices: expected an array");
	json_array_foreach(arr, i, v)
		if (json_is_object(v))
			device_update(m, v);
	m->devices_loaded = 1;
	return BW_OK;
}

static int apply_report(ag_model *m, json_t *root, bw_err *e)
{
	json_t *rows = json_object_get(root, "rows"), *v;
	size_t i;
	if (!json_is_array(rows))
		return bw_fail(e, BW_EINVAL, "report: rows: expected an array");
	ag_indicators in = { .loaded = 1 };
	memcpy(in.from, m->ind.from, sizeof in.from);
	memcpy(in.until, m->ind.until, sizeof in.until);
	json_array_foreach(rows, i, v) {
		in.total += (long)json_integer_value(json_object_get(v, "total"));
		in.answered += (long)json_integer_value(json_object_get(v, "answered"));
		in.in_time += (long)json_integer_value(json_object_get(v, "in_time"));
		in.overdue += (long)json_integer_value(json_object_get(v, "overdue"));
		in.reopened += (long)json_integer_value(json_object_get(v, "reopened"));
	}
	m->ind = in;
	return BW_OK;
}

static void set_result(ag_model *m, const char *op, const char *ref, int ok, int state, const char *why)
{
	ag_result *r = &m->result;
	memset(r, 0, sizeof *r);
	r->ok = ok;
	bw_strlcpy(r->op, op, sizeof r->op);
	bw_strlcpy(r->ref, ref ? ref : "", sizeof r->ref);
	r->state = state;
	bw_strlcpy(r->error, why ? why : "", sizeof r->error);
	r->at_ms = m->now_ms;
}

void ag_model_fail(ag_model *m, const char *op, const char *ref, const char *why, int64_t now_ms)
{
	m->now_ms = now_ms;
	set_result(m, op, ref, 0, -1, why);
}

int ag_model_apply(ag_model *m, const char *json, size_t len, int64_t now_ms, bw_err *e)
{
	json_error_t je;
	json_t *root = json_loadb(json, len, 0, &je);
	int rc = BW_OK;
	if (!root)
		return bw_fail(e, BW_EINVAL, "json: %s", je.text);
	m->now_ms = now_ms;
	const char *type = jstr(root, "type"), *op = jstr(root, "op");
	json_t *v = json_object_get(root, "v");
	if (!json_is_object(root) || !json_is_integer(v) || json_integer_value(v) != 1) {
		rc = bw_fail(e, BW_EINVAL, "message: not a version 1 object");
	} else if (!strcmp(type, "result")) {
		if (!json_is_true(json_object_get(root, "ok"))) {
			set_result(m, op, NULL, 0, -1, jstr(root, "error"));
		} else if (!strcmp(op, "queue")) {
			if ((rc = apply_queue(m, root, e)) == BW_OK)
				recount(m);
		} else if (!strcmp(op, "get")) {
			rc = apply_detail(m, root, e);
			recount(m);
		} else if (!strcmp(op, "move") || !strcmp(op, "file")) {
			ag_row r;
			if ((rc = row_decode(json_object_get(root, "row"), &r, e)) == BW_OK) {
				put_row(m, &r, 0);
				recount(m);
				set_result(m, op, r.ref, 1, r.state, NULL);
			}
		} else if (!strcmp(op, "devices")) {
			rc = apply_devices(m, json_object_get(root, "devices"), e);
		} else if (!strcmp(op, "report")) {
			rc = apply_report(m, root, e);
		}
	} else if (!strcmp(type, "change")) {
		ag_row r;
		if ((rc = row_decode(json_object_get(root, "row"), &r, e)) == BW_OK) {
			put_row(m, &r, m->loaded);
			recount(m);
		}
	} else if (!strcmp(type, "devices")) {
		rc = apply_devices(m, json_object_get(root, "devices"), e);
	} else if (!strcmp(type, "presence") || !strcmp(type, "device")) {
		device_update(m, root);
	} else {
		rc = bw_fail(e, BW_EINVAL, "type: unknown \"%.20s\"", type);
	}
	json_decref(root);
	return rc;
}

void ag_model_set_today(ag_model *m, const char *today, int64_t now_ms)
{
	if (strcmp(m->today, today) == 0)
		return;
	m->now_ms = now_ms;
	bw_strlcpy(m->today, today, sizeof m->today);
	for (int i = 0; i < m->nrows; i++) {
		ag_row *r = &m->rows[i];
		int od = bw_state_is_open(r->state) && r->deadline[0] && strcmp(r->deadline, today) < 0;
		if (od && !r->overdue)
			toast(m, AG_TOAST_OVERDUE, r->ref, 0);
		r->overdue = od;
	}
	recount(m);
	m->view_dirty = 1;
}

void ag_model_select(ag_model *m, const char *ref)
{
	bw_strlcpy(m->selected, ref, sizeof m->selected);
	memset(&m->detail, 0, sizeof m->detail);
	int *s = slot_of(m, ref);
	if (s && *s)
		m->rows[*s - 1].fresh = 0;
}

void ag_model_shares(const ag_model *m, int *answered, int *in_time, int *reopened)
{
	const ag_indicators *i = &m->ind;
	bw_report_row r = { .total = i->total, .answered = i->answered, .answered_in_time = i->in_time,
			    .overdue = i->overdue, .reopened = i->reopened };
	*answered = bw_ind_permille(BW_IND_ANSWERED, &r);
	*in_time = bw_ind_permille(BW_IND_IN_TIME, &r);
	*reopened = bw_ind_permille(BW_IND_REOPENED, &r);
}
