/* open311.h: Open311 GeoReport v2 documents of the hub's requests (the services list and
 * service requests), in one language, written as JSON or XML. Names come from the
 * catalogue (administrations, sites, categories) and from the "open" translation domain
 * (states, kinds, notes), which the caller binds with bw_i18n_init("open", ...). */
#ifndef CLI_OPEN311_H
#define CLI_OPEN311_H

#include <jansson.h>
#include <stdio.h>

#include "bw_store.h"

typedef struct o311 {
	bw_store *st;           /* borrowed */
	char lang[4];           /* "ar" or "fr" */
	int anon;               /* no reference, text, device or time of day */
	char today[11];         /* legal day the open/overdue notes are written from */
	json_t *admins, *sites, *cats;  /* catalogue code -> name in lang */
} o311;

/* Loads the catalogue's names in lang. BW_EINVAL for a language other than ar or fr,
 * BW_EDB. */
int o311_open(o311 *o, bw_store *st, const char *lang, int anon, const char *today, bw_err *e);
void o311_close(o311 *o);

/* GET services: one service per category of the catalogue and one per kind (requests
 * filed without a category), as a new JSON array. */
json_t *o311_services(o311 *o);

/* GET requests/ID: request r as a new JSON object (field order as in the
 * specification); NULL with e set when its row id or events cannot be read. */
json_t *o311_request(o311 *o, const bw_request *r, bw_err *e);

/* The id r is published under: its reference, or its row id when anonymous ("" if it
 * cannot be read). */
const char *o311_id(o311 *o, const bw_request *r, char buf[24]);

/* Writes arr (of services when services is 1, else of requests) to fp as JSON, or as
 * the XML GeoReport v2 gives (<services><service>… / <service_requests><request>…).
 * BW_OK or BW_EIO. */
int o311_write(FILE *fp, json_t *arr, int xml, int services);

#endif
