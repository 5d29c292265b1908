/* bw_pub.c: strict readers of the hub's retained catalogue and holiday messages, and their
 * application to a device's store in one transaction each. */
#include "bw_pub.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bw_wire.h"

/* One key of an object: 's' string into char[size], 'i' integer >= 0 into int, 'b' boolean
 * into int. Every key is required. */
struct field {
	const char *key;
	char type;
	void *dst;
	size_t size;
};

static int read_obj(json_t *o, const struct field *f, size_t nf, const char *what, size_t idx,
                    bw_err *e)
{
	const char *k;
	json_t *v;
	if (!json_is_object(o))
		return bw_fail(e, BW_EINVAL, "%s[%zu]: expected an object", what, idx);
	json_object_foreach(o, k, v) {
		size_t i = 0;
		while (i < nf && strcmp(f[i].key, k) != 0)
			i++;
		if (i == nf)
			return bw_fail(e, BW_EINVAL, "%s[%zu]: unknown key \"%.40s\"", what, idx, k);
	}
	for (size_t i = 0; i < nf; i++) {
		v = json_object_get(o, f[i].key);
		if (!v)
			return bw_fail(e, BW_EINVAL, "%s[%zu].%s: missing", what, idx, f[i].key);
		if (f[i].type == 's') {
			size_t n = json_string_length(v);
			if (!json_is_string(v) || strlen(json_string_value(v)) != n)
				return bw_fail(e, BW_EINVAL, "%s[%zu].%s: expected a string", what, idx, f[i].key);
			if (n >= f[i].size)
				return bw_fail(e, BW_ETOOBIG, "%s[%zu].%s: too long", what, idx, f[i].key);
			memcpy(f[i].dst, json_string_value(v), n + 1);
		} else if (f[i].type == 'i') {
			if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > INT_MAX)
				return bw_fail(e, BW_EINVAL, "%s[%zu].%s: expected an integer", what, idx, f[i].key);
			*(int *)f[i].dst = (int)json_integer_value(v);
		} else {
			if (!json_is_boolean(v))
				return bw_fail(e, BW_EINVAL, "%s[%zu].%s: expected true or false", what, idx, f[i].key);
			*(int *)f[i].dst = json_is_true(v);
		}
	}
	return BW_OK;
}


/* Parses the envelope: size, JSON, v = 1, type, and exactly the array keys named. */
static int envelope(const char *json, size_t len, const char *type, const char *const *arrays,
                    json_t **out, bw_err *e)
{
	json_error_t je;
	const char *k;
	json_t *v;
	*out = NULL;
	if (len > BW_PUB_MAX)
		return bw_fail(e, BW_ETOOBIG, "%s: %zu bytes, at most %d", type, len, BW_PUB_MAX);
	json_t *o = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
	if (!o)
		return bw_fail(e, BW_EINVAL, "json: %s at line %d, column %d", bw_json_error_kind(&je), je.line,
			       je.column);
	if (!json_is_object(o)) {
		bw_fail(e, BW_EINVAL, "json: expected an object");
		goto bad;
	}
	v = json_object_get(o, "v");
	if (!json_is_integer(v) || json_integer_value(v) != 1) {
		bw_fail(e, BW_EINVAL, "v: expected 1");
		goto bad;
	}
	v = json_object_get(o, "type");
	if (!json_is_string(v) || strcmp(json_string_value(v), type) != 0) {
		bw_fail(e, BW_EINVAL, "type: expected \"%s\"", type);
		goto bad;
	}
	json_object_foreach(o, k, v) {
		int known = strcmp(k, "v") == 0 || strcmp(k, "type") == 0;
		for (size_t i = 0; arrays[i] && !known; i++)
			known = strcmp(k, arrays[i]) == 0;
		if (!known) {
			bw_fail(e, BW_EINVAL, "%.40s: unknown key", k);
			goto bad;
		}
	}
	for (size_t i = 0; arrays[i]; i++)
		if (!json_is_array(json_object_get(o, arrays[i]))) {
			bw_fail(e, BW_EINVAL, "%s: expected an array", arrays[i]);
			goto bad;
		}
	*out = o;
	return BW_OK;
bad:
	json_decref(o);
	return BW_EINVAL;
}

int bw_pub_apply_catalogue(bw_store *s, const char *json, size_t len, int *n_out, bw_err *e)
{
	static const char *const arrays[] = { "administrations", "categories", "sites", NULL };
	json_t *o;
	int rc = envelope(json, len, "catalogue", arrays, &o, e), n = 0;
	if (rc)
		return rc;
	bw_admin *a = bw_xcalloc(1, sizeof *a);
	bw_category *c = bw_xmalloc(sizeof *c);
	bw_site *t = bw_xmalloc(sizeof *t);
	rc = bw_store_begin(s, e);
	size_t i;
	json_t *v;
	/* administrations first: sites refer to them */
	json_array_foreach(json_object_get(o, "administrations"), i, v) {
		const struct field f[] = { { "code", 's', a->code, sizeof a->code },
			{ "name_ar", 's', a->name_ar, sizeof a->name_ar }, { "name_fr", 's', a->name_fr, sizeof a->name_fr },
			{ "name_zgh", 's', a->name_zgh, sizeof a->name_zgh } };
		if (rc || (rc = read_obj(v, f, 4, "administrations", i, e)) || (rc = bw_store_admin_put(s, a, e)))
			break;
		n++;
	}
	json_array_foreach(json_object_get(o, "categories"), i, v) {
		const struct field f[] = { { "code", 's', c->code, sizeof c->code },
			{ "admin", 's', c->admin, sizeof c->admin }, { "kinds", 'i', &c->kinds, 0 },
			{ "name_ar", 's', c->name_ar, sizeof c->name_ar }, { "name_fr", 's', c->name_fr, sizeof c->name_fr },
			{ "name_zgh", 's', c->name_zgh, sizeof c->name_zgh } };
		if (rc || (rc = read_obj(v, f, 6, "categories", i, e)) || (rc = bw_store_category_put(s, c, e)))
			break;
		n++;
	}
	json_array_foreach(json_object_get(o, "sites"), i, v) {
		const struct field f[] = { { "code", 's', t->code, sizeof t->code },
			{ "admin", 's', t->admin, sizeof t->admin }, { "city", 's', t->city, sizeof t->city },
			{ "name_ar", 's', t->name_ar, sizeof t->name_ar }, { "name_fr", 's', t->name_fr, sizeof t->name_fr },
			{ "name_zgh", 's', t->name_zgh, sizeof t->name_zgh } };
		if (rc || (rc = read_obj(v, f, 6, "sites", i, e)) || (rc = bw_store_site_put(s, t, e)))
			break;
		n++;
	}
	if (rc == BW_OK)
		rc = bw_store_commit(s, e);
	if (rc != BW_OK)
		bw_store_rollback(s);
	else if (n_out)
		*n_out = n;
	free(a);
	free(c);
	free(t);
	json_decref(o);
	return rc;
}

int bw_pub_apply_holidays(bw_store *s, const char *json, size_t len, int *ndays, int *recomputed,
                          bw_err *e)
{
	static const char *const arrays[] = { "days", NULL };
	json_t *o;
	int rc = envelope(json, len, "holidays", arrays, &o, e);
	if (rc)
		return rc;
	json_t *days = json_object_get(o, "days"), *v;
	size_t n = json_array_size(days), i;
	bw_holiday *h = bw_xcalloc(n ? n : 1, sizeof *h);
	json_array_foreach(days, i, v) {
		const struct field f[] = { { "day", 's', h[i].day, sizeof h[i].day },
			{ "name_ar", 's', h[i].name_ar, sizeof h[i].name_ar },
			{ "name_fr", 's', h[i].name_fr, sizeof h[i].name_fr },
			{ "islamic", 'b', &h[i].islamic, 0 }, { "confirmed", 'b', &h[i].confirmed, 0 } };
		if ((rc = read_obj(v, f, 5, "days", i, e)))
			break;
	}
	if (rc == BW_OK)
		rc = bw_store_holidays_replace(s, h, n, recomputed, e);
	if (rc == BW_OK && ndays)
		*ndays = (int)n;
	free(h);
	json_decref(o);
	return rc;
}
