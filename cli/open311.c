/* open311.c: Open311 GeoReport v2 services and requests from the hub's store, human names in one language, times in legal time with their offset. */
#include "open311.h"

#include <stdio.h>
#include <string.h>

#include "bw_clock.h"
#include "bw_i18n.h"
#include "bw_state.h"

static const char *tr(const o311 *o, const char *key)
{
	return bw_tr_lang(o->lang, key);
}

static const char *name_in(const o311 *o, const char *ar, const char *fr)
{
	return strcmp(o->lang, "ar") == 0 && ar[0] ? ar : fr;
}

static int add_admin(const bw_admin *a, void *arg)
{
	o311 *o = arg;
	json_object_set_new(o->admins, a->code, json_string(name_in(o, a->name_ar, a->name_fr)));
	return 0;
}

static int add_site(const bw_site *s, void *arg)
{
	o311 *o = arg;
	char addr[600];
	/* the site's address as people find it: its name and city */
	snprintf(addr, sizeof addr, "%s, %s", name_in(o, s->name_ar, s->name_fr), s->city);
	json_object_set_new(o->sites, s->code, json_string(addr));
	return 0;
}

static int add_cat(const bw_category *c, void *arg)
{
	o311 *o = arg;
	json_t *v = json_pack("{s:s, s:s, s:i}", "name", name_in(o, c->name_ar, c->name_fr),
			      "admin", c->admin, "kinds", (int)c->kinds);
	json_object_set_new(o->cats, c->code, v);
	return 0;
}

int o311_open(o311 *o, bw_store *st, const char *lang, int anon, const char *today, bw_err *e)
{
	memset(o, 0, sizeof *o);
	if (strcmp(lang, "ar") != 0 && strcmp(lang, "fr") != 0)
		return bw_fail(e, BW_EINVAL, "--lang: ar or fr");
	o->st = st;
	bw_strlcpy(o->lang, lang, sizeof o->lang);
	bw_strlcpy(o->today, today, sizeof o->today);
	o->anon = anon;
	o->admins = json_object();
	o->sites = json_object();
	o->cats = json_object();
	if (bw_store_admins(st, add_admin, o, e) < 0 || bw_store_sites(st, add_site, o, e) < 0 ||
	    bw_store_categories(st, NULL, -1, add_cat, o, e) < 0)
		return BW_EDB;
	return BW_OK;
}

void o311_close(o311 *o)
{
	json_decref(o->admins);
	json_decref(o->sites);
	json_decref(o->cats);
	memset(o, 0, sizeof *o);
}

static const char *kind_key(int kind, int desc, char buf[48])
{
	snprintf(buf, 48, "open.kind.%s%s", bw_kind_name((enum bw_kind)kind), desc ? ".desc" : "");
	return buf;
}

json_t *o311_services(o311 *o)
{
	json_t *arr = json_array(), *v;
	const char *code;
	char key[48];
	for (int k = 0; k < BW_KIND_COUNT; k++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:b, s:s, s:s, s:s}",
			"service_code", bw_kind_name((enum bw_kind)k),
			"service_name", tr(o, kind_key(k, 0, key)),
			"description", tr(o, kind_key(k, 1, key)),
			"metadata", 0, "type", "batch", "keywords", bw_kind_name((enum bw_kind)k),
			"group", tr(o, kind_key(k, 0, key))));
	json_object_foreach(o->cats, code, v) {
		char kw[80] = "";
		int kinds = (int)json_integer_value(json_object_get(v, "kinds"));
		const char *admin = json_string_value(json_object_get(v, "admin"));
		json_t *an = admin && admin[0] ? json_object_get(o->admins, admin) : NULL;
		for (int k = 0; k < BW_KIND_COUNT; k++)
			if (kinds & (1 << k))
				snprintf(kw + strlen(kw), sizeof kw - strlen(kw), "%s%s", kw[0] ? "," : "",
					 bw_kind_name((enum bw_kind)k));
		json_t *s = json_pack("{s:s, s:O, s:O, s:b, s:s, s:s}", "service_code", code,
			"service_name", json_object_get(v, "name"),
			"description", json_object_get(v, "name"), "metadata", 0, "type", "batch",
			"keywords", kw);
		if (an)
			json_object_set(s, "group", an);
		json_array_append_new(arr, s);
	}
	return arr;
}

const char *o311_id(o311 *o, const bw_request *r, char buf[24])
{
	if (!o->anon)
		return r->ref;
	int64_t n;
	buf[0] = '\0';
	if (bw_store_request_number(o->st, r->uid, &n, NULL) == BW_OK)
		snprintf(buf, 24, "%lld", (long long)n);
	return buf;
}

/* The latest event: when the request last changed and what its answer said. */
typedef struct last_ev {
	int64_t at;
	int state;
} last_ev;

static int keep_last(const bw_event *ev, void *arg)
{
	last_ev *l = arg;
	if (ev->at >= l->at) {
		l->at = ev->at;
		l->state = ev->new_state;
	}
	return 0;
}

/* "YYYY-MM-DD" -> "DD/MM/YYYY". */
static void human_day(const char *iso, char out[11])
{
	snprintf(out, 11, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

static void fill(char *out, size_t size, const char *tmpl, const char *const kv[][2], int n)
{
	size_t o = 0;
	for (const char *p = tmpl; *p && o + 1 < size;) {
		int hit = 0;
		for (int i = 0; i < n && *p == '{'; i++) {
			size_t l = strlen(kv[i][0]);
			if (strncmp(p + 1, kv[i][0], l) == 0 && p[l + 1] == '}') {
				o += (size_t)snprintf(out + o, size - o, "%s", kv[i][1]);
				if (o >= size)
					o = size - 1;
				p += l + 2;
				hit = 1;
				break;
			}
		}
		if (!hit)
			out[o++] = *p++;
	}
	out[o] = '\0';
}

/* The status notes: what a citizen would want to read about where the request stands. */
static void status_notes(o311 *o, const bw_request *r, int64_t updated, char *out, size_t size)
{
	char state_key[64], upd[11], dl[11], iso[11];
	bw_day_format(bw_legal_day(updated), iso);
	human_day(iso, upd);
	human_day(r->deadline, dl);
	snprintf(state_key, sizeof state_key, "open.state.%s", bw_state_name(r->state));
	const char *const kv[3][2] = { { "state", tr(o, state_key) }, { "date", upd }, { "deadline", dl } };
	const char *key = r->state == BW_ST_ANSWERED ? "open.notes.answered"
		: r->state == BW_ST_REJECTED ? "open.notes.rejected"
		: r->state == BW_ST_CLOSED ? "open.notes.closed"
		: strcmp(r->deadline, o->today) < 0 ? "open.notes.overdue" : "open.notes.open";
	fill(out, size, tr(o, key), kv, 3);
}

json_t *o311_request(o311 *o, const bw_request *r, bw_err *e)
{
	char id[24], req[BW_ISO_LEN + 1], upd[BW_ISO_LEN + 1], exp[BW_ISO_LEN + 1], notes[512], key[48];
	char notice[256], dl[11];
	last_ev l = { r->received_at, (int)r->state };
	bw_day day;
	const char *rid = o311_id(o, r, id);
	if (!rid[0])
		return bw_fail(e, BW_EDB, "export: the row id of %s cannot be read", r->ref), NULL;
	if (bw_store_events(o->st, r->uid, keep_last, &l, e) < 0)
		return NULL;
	/* anonymous: the day only; to the second, with the site, it tells who stood there */
	if (o->anon && bw_day_parse(r->received_on, &day, NULL) == BW_OK)
		bw_legal_iso(bw_legal_day_start(day), req);
	else
		bw_legal_iso(r->received_at, req);
	bw_legal_iso(l.at, upd);
	/* the deadline is a whole legal day: its last second, in legal time */
	if (bw_day_parse(r->deadline, &day, NULL) == BW_OK)
		bw_legal_iso(bw_legal_day_start(day + 1) - 1, exp);
	else
		exp[0] = '\0';
	status_notes(o, r, l.at, notes, sizeof notes);
	human_day(r->deadline, dl);
	const char *const kv[1][2] = { { "deadline", dl } };
	fill(notice, sizeof notice, tr(o, "open.notice"), kv, 1);
	json_t *cat = r->category[0] ? json_object_get(o->cats, r->category) : NULL;
	json_t *agency = json_object_get(o->admins, r->admin);
	json_t *v = json_object();
	json_object_set_new(v, "service_request_id", json_string(rid));
	json_object_set_new(v, "status", json_string(bw_state_is_open(r->state) ? "open" : "closed"));
	json_object_set_new(v, "status_notes", json_string(notes));
	json_object_set_new(v, "service_name", cat ? json_copy(json_object_get(cat, "name"))
					       : json_string(tr(o, kind_key(r->kind, 0, key))));
	json_object_set_new(v, "service_code", json_string(cat ? r->category : bw_kind_name(r->kind)));
	if (!o->anon)
		json_object_set_new(v, "description", json_string(r->text));
	json_object_set_new(v, "agency_responsible", agency ? json_copy(agency) : json_string(r->admin));
	json_object_set_new(v, "service_notice", json_string(notice));
	json_object_set_new(v, "requested_datetime", json_string(req));
	json_object_set_new(v, "updated_datetime", json_string(upd));
	if (exp[0])
		json_object_set_new(v, "expected_datetime", json_string(exp));
	json_t *addr = r->site[0] ? json_object_get(o->sites, r->site) : NULL;
	if (addr)
		json_object_set_new(v, "address", json_copy(addr));
	return v;
}

/* XML text: & < > escaped (", ' too, harmless in element text). */
static void xml_text(FILE *fp, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", fp); break;
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '"': fputs("&quot;", fp); break;
		case '\'': fputs("&apos;", fp); break;
		default: fputc(*s, fp);
		}
	}
}

int o311_write(FILE *fp, json_t *arr, int xml, int services)
{
	size_t i;
	json_t *item;
	if (!xml) {
		if (json_dumpf(arr, fp, JSON_INDENT(1)) != 0)
			return BW_EIO;
		fputc('\n', fp);
		return ferror(fp) ? BW_EIO : BW_OK;
	}
	const char *root = services ? "services" : "service_requests";
	const char *el = services ? "service" : "request";
	fprintf(fp, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<%s>\n", root);
	json_array_foreach(arr, i, item) {
		const char *k;
		json_t *v;
		fprintf(fp, "  <%s>\n", el);
		json_object_foreach(item, k, v) {
			fprintf(fp, "    <%s>", k);
			if (json_is_string(v))
				xml_text(fp, json_string_value(v));
			else if (json_is_boolean(v))
				fputs(json_is_true(v) ? "true" : "false", fp);
			else if (json_is_integer(v))
				fprintf(fp, "%lld", (long long)json_integer_value(v));
			fprintf(fp, "</%s>\n", k);
		}
		fprintf(fp, "  </%s>\n", el);
	}
	fprintf(fp, "</%s>\n", root);
	return ferror(fp) ? BW_EIO : BW_OK;
}
