/* publish.c: the hub's retained messages: the catalogue (administrations, categories,
 * sites) and the holidays, published again only when they change, and the hub's own
 * presence on pub/hub. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "bw_clock.h"
#include "bw_proto.h"
#include "bw_store.h"
#include "bw_text.h"
#include "bw_wire.h"
#include "hub_int.h"

/* ---- catalogue and holidays, retained ---- */

/* Building a table for publishing. The store's readers cut a long name to its buffer,
 * possibly inside a character, and jansson refuses invalid UTF-8 (json_pack returns
 * NULL), which an unchecked append would skip silently: the devices would then count
 * deadlines without that holiday. So each string is cleaned first (the bytes of a broken
 * character are left out, loudly logged: the row stays, since a holiday's day is what
 * deadlines need and its name is for people), and any other failure marks the table bad:
 * a bad table is not published at all (the retained previous one stays). */
struct pubwalk {
	hub *h;
	json_t *arr;
	int bad;
};

/* Copies s into out[size] (size >= strlen(s) + 1) leaving out every malformed UTF-8
 * sequence; returns 1 if something was left out. */
static int utf8_clean(const char *s, char *out, size_t size)
{
	size_t n = 0;
	int cut = 0;
	while (*s && n + 1 < size) {
		const char *p = s;
		if (bw_utf8_next(&s) < 0) {
			cut = 1;
			continue;
		}
		while (p < s && n + 1 < size)
			out[n++] = *p++;
	}
	out[n] = '\0';
	return cut;
}

/* The clean copy of field `name` of row `row` in table `what` (see struct pubwalk). */
static const char *clean(struct pubwalk *w, const char *what, const char *row, const char *name,
                         const char *s, char *buf, size_t size)
{
	if (utf8_clean(s, buf, size))
		log_error(w->h->log, "publishing %s: %s of %s is not valid UTF-8 (cut inside a character?): "
			  "published without the broken bytes; fix it in the hub database", what, name, row);
	return buf;
}

static void append(struct pubwalk *w, const char *what, const char *row, json_t *o)
{
	if (!o || json_array_append_new(w->arr, o) != 0) {
		log_error(w->h->log, "publishing %s: row %s cannot be encoded: the table is not published",
			  what, row);
		w->bad = 1;
	}
}

static int cat_admin(const bw_admin *a, void *arg)
{
	struct pubwalk *w = arg;
	char c0[sizeof a->code], c1[sizeof a->name_ar], c2[sizeof a->name_fr], c3[sizeof a->name_zgh];
	const char *t = "administrations";
	append(w, t, a->code, json_pack("{s:s,s:s,s:s,s:s}",
		"code", clean(w, t, a->code, "code", a->code, c0, sizeof c0),
		"name_ar", clean(w, t, a->code, "name_ar", a->name_ar, c1, sizeof c1),
		"name_fr", clean(w, t, a->code, "name_fr", a->name_fr, c2, sizeof c2),
		"name_zgh", clean(w, t, a->code, "name_zgh", a->name_zgh, c3, sizeof c3)));
	return w->bad ? BW_EINVAL : BW_OK;
}

static int cat_category(const bw_category *c, void *arg)
{
	struct pubwalk *w = arg;
	char c0[sizeof c->code], c1[sizeof c->admin], c2[sizeof c->name_ar], c3[sizeof c->name_fr],
	     c4[sizeof c->name_zgh];
	const char *t = "categories";
	append(w, t, c->code, json_pack("{s:s,s:s,s:i,s:s,s:s,s:s}",
		"code", clean(w, t, c->code, "code", c->code, c0, sizeof c0),
		"admin", clean(w, t, c->code, "admin", c->admin, c1, sizeof c1),
		"kinds", (int)c->kinds,
		"name_ar", clean(w, t, c->code, "name_ar", c->name_ar, c2, sizeof c2),
		"name_fr", clean(w, t, c->code, "name_fr", c->name_fr, c3, sizeof c3),
		"name_zgh", clean(w, t, c->code, "name_zgh", c->name_zgh, c4, sizeof c4)));
	return w->bad ? BW_EINVAL : BW_OK;
}

static int cat_site(const bw_site *s, void *arg)
{
	struct pubwalk *w = arg;
	char c0[sizeof s->code], c1[sizeof s->admin], c2[sizeof s->city], c3[sizeof s->name_ar],
	     c4[sizeof s->name_fr], c5[sizeof s->name_zgh];
	const char *t = "sites";
	append(w, t, s->code, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}",
		"code", clean(w, t, s->code, "code", s->code, c0, sizeof c0),
		"admin", clean(w, t, s->code, "admin", s->admin, c1, sizeof c1),
		"city", clean(w, t, s->code, "city", s->city, c2, sizeof c2),
		"name_ar", clean(w, t, s->code, "name_ar", s->name_ar, c3, sizeof c3),
		"name_fr", clean(w, t, s->code, "name_fr", s->name_fr, c4, sizeof c4),
		"name_zgh", clean(w, t, s->code, "name_zgh", s->name_zgh, c5, sizeof c5)));
	return w->bad ? BW_EINVAL : BW_OK;
}

static int cat_holiday(const bw_holiday *d, void *arg)
{
	struct pubwalk *w = arg;
	char c0[sizeof d->day], c1[sizeof d->name_ar], c2[sizeof d->name_fr];
	const char *t = "holidays";
	append(w, t, d->day, json_pack("{s:s,s:s,s:s,s:b,s:b}",
		"day", clean(w, t, d->day, "day", d->day, c0, sizeof c0),
		"name_ar", clean(w, t, d->day, "name_ar", d->name_ar, c1, sizeof c1),
		"name_fr", clean(w, t, d->day, "name_fr", d->name_fr, c2, sizeof c2),
		"islamic", d->islamic, "confirmed", d->confirmed));
	return w->bad ? BW_EINVAL : BW_OK;
}

static void publish_if_changed(hub *h, const char *topic, json_t *root, char **last, int force)
{
	char *s = root ? json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(root);
	if (!s) {
		log_error(h->log, "%s: cannot be encoded: not published", topic);
		return;
	}
	if (!force && *last && strcmp(*last, s) == 0) {
		free(s);
		return;
	}
	hub_publish(h, topic, s, strlen(s), 1, NULL);
	log_info(h->log, "published %s (%zu bytes)", topic, strlen(s));
	free(*last);
	*last = s;
}

/* After a bw_store_* lister returned rc filling w->arr: 0 if the whole table is there,
 * else -1 with the error logged and w->arr freed. */
static int read_table(hub *h, struct pubwalk *w, const char *what, int rc, const bw_err *e)
{
	if (rc == BW_OK && !w->bad)
		return 0;
	if (!w->bad)
		log_error(h->log, "publishing %s: %s: not published", what, e->msg);
	json_decref(w->arr);
	w->arr = NULL;
	return -1;
}

void hub_publish_public(hub *h, int force)
{
	struct pubwalk adm = { h, json_array(), 0 }, cat = { h, json_array(), 0 },
		       site = { h, json_array(), 0 }, hol = { h, json_array(), 0 };
	bw_err e = { 0 };
	int bad = 0;
	bad |= read_table(h, &adm, "administrations", bw_store_admins(h->st, cat_admin, &adm, &e), &e);
	bad |= read_table(h, &cat, "categories", bw_store_categories(h->st, NULL, -1, cat_category, &cat, &e), &e);
	bad |= read_table(h, &site, "sites", bw_store_sites(h->st, cat_site, &site, &e), &e);
	if (bad) {
		json_decref(adm.arr);
		json_decref(cat.arr);
		json_decref(site.arr);
	} else {
		publish_if_changed(h, BW_PROTO_ROOT "/pub/catalogue",
			json_pack("{s:i,s:s,s:o,s:o,s:o}", "v", 1, "type", "catalogue", "administrations",
				  adm.arr, "categories", cat.arr, "sites", site.arr), &h->pub_cat, force);
	}
	if (read_table(h, &hol, "holidays", bw_store_holiday_list(h->st, NULL, NULL, cat_holiday, &hol, &e), &e) == 0)
		publish_if_changed(h, BW_PROTO_ROOT "/pub/holidays",
			json_pack("{s:i,s:s,s:o}", "v", 1, "type", "holidays", "days", hol.arr), &h->pub_hol, force);
}

/* The hub's own presence on pub/hub, retained: devices show whether the hub (not just
 * the broker) is there, and answer status questions locally at once when it is not. The
 * same message with online false is the connection's will and is sent on a clean exit. */
int hub_presence(int online, char **json, size_t *len)
{
	bw_presence p = { .online = online, .at = online ? bw_now() : 0,
			  .outbox = -1, .signal = -1, .queue = -1 };
	return bw_presence_encode(&p, json, len, NULL);
}

void hub_publish_presence(hub *h, int online)
{
	char *json = NULL;
	size_t len = 0;
	if (hub_presence(online, &json, &len) == BW_OK)
		hub_publish(h, BW_PROTO_ROOT "/pub/hub", json, len, 1, NULL);
	free(json);
}
