/* publish.c: the hub's retained messages: the catalogue (administrations, categories,
 * sites) and the holidays, published again only when they change, and the hub's own
 * presence on pub/hub. */
#include <jansson.h>
#include <stddef.h>
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

/* A column of a published table: its JSON name, how it is held (a string, the unsigned
 * kinds mask, an int flag), and where in the row struct. */
struct col {
	const char *name;
	char type;      /* 's' char array, 'u' unsigned as an integer, 'b' int as a boolean */
	size_t off, size;
};
#define COL_S(T, f) { #f, 's', offsetof(T, f), sizeof ((T *)0)->f }
#define COL_U(T, f) { #f, 'u', offsetof(T, f), 0 }
#define COL_B(T, f) { #f, 'b', offsetof(T, f), 0 }

static const struct col admin_cols[] = {
	COL_S(bw_admin, code), COL_S(bw_admin, name_ar), COL_S(bw_admin, name_fr),
	COL_S(bw_admin, name_zgh), { NULL, 0, 0, 0 } };
static const struct col category_cols[] = {
	COL_S(bw_category, code), COL_S(bw_category, admin), COL_U(bw_category, kinds),
	COL_S(bw_category, name_ar), COL_S(bw_category, name_fr), COL_S(bw_category, name_zgh),
	{ NULL, 0, 0, 0 } };
static const struct col site_cols[] = {
	COL_S(bw_site, code), COL_S(bw_site, admin), COL_S(bw_site, city), COL_S(bw_site, name_ar),
	COL_S(bw_site, name_fr), COL_S(bw_site, name_zgh), { NULL, 0, 0, 0 } };
static const struct col holiday_cols[] = {
	COL_S(bw_holiday, day), COL_S(bw_holiday, name_ar), COL_S(bw_holiday, name_fr),
	COL_B(bw_holiday, islamic), COL_B(bw_holiday, confirmed), { NULL, 0, 0, 0 } };

/* Appends row (a struct described by cols, named by its first column) to table `what`,
 * each string cleaned first (see struct pubwalk). */
static int append(struct pubwalk *w, const char *what, const void *row, const struct col *cols)
{
	const char *base = row, *key = base + cols[0].off;
	char buf[256];
	json_t *o = json_object();
	for (const struct col *c = cols; o && c->name; c++) {
		json_t *v;
		if (c->type == 'u')
			v = json_integer((int)*(const unsigned *)(base + c->off));
		else if (c->type == 'b')
			v = json_boolean(*(const int *)(base + c->off));
		else {
			if (utf8_clean(base + c->off, buf, sizeof buf))
				log_error(w->h->log, "publishing %s: %s of %s is not valid UTF-8 (cut inside "
					  "a character?): published without the broken bytes; fix it in the "
					  "hub database", what, c->name, key);
			v = json_string(buf);
		}
		if (!v || json_object_set_new(o, c->name, v) != 0) {
			json_decref(o);
			o = NULL;
		}
	}
	if (!o || json_array_append_new(w->arr, o) != 0) {
		log_error(w->h->log, "publishing %s: row %s cannot be encoded: the table is not published",
			  what, key);
		w->bad = 1;
	}
	return w->bad ? BW_EINVAL : BW_OK;
}

static int cat_admin(const bw_admin *a, void *arg)
{
	return append(arg, "administrations", a, admin_cols);
}

static int cat_category(const bw_category *c, void *arg)
{
	return append(arg, "categories", c, category_cols);
}

static int cat_site(const bw_site *s, void *arg)
{
	return append(arg, "sites", s, site_cols);
}

static int cat_holiday(const bw_holiday *d, void *arg)
{
	return append(arg, "holidays", d, holiday_cols);
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
