/* bw_pub.h: the hub's retained public messages, bawaba/v1/pub/catalogue and
 * bawaba/v1/pub/holidays, read strictly and applied to a device's own store, so a kiosk's
 * lists of administrations and a device's deadlines follow the hub's tables. */
#ifndef BW_PUB_H
#define BW_PUB_H

#include <stddef.h>

#include "bw_err.h"
#include "bw_store.h"

/* Largest public message accepted (checked before parsing); the shipped catalogue and
 * holiday table are ~10 and ~18 KiB. */
#define BW_PUB_MAX (1024 * 1024)

/* Applies {"v":1,"type":"catalogue","administrations":[{code,name_ar,name_fr,name_zgh}],
 * "categories":[{code,admin,kinds,name_ar,name_fr,name_zgh}],"sites":[{code,admin,city,
 * name_ar,name_fr,name_zgh}]} in one transaction: each entry inserted, or updated in place
 * (columns the message does not carry, such as an administration's officer, are kept);
 * nothing is deleted (stored requests refer to the codes). Strict: size limit, v = 1,
 * type, every key known and of its type, every string within its field. *n (may be NULL)
 * gets the number of entries. BW_EINVAL/BW_ETOOBIG (nothing changed), BW_EDB. */
int bw_pub_apply_catalogue(bw_store *s, const char *json, size_t len, int *n, bw_err *e);

/* Applies {"v":1,"type":"holidays","days":[{day,name_ar,name_fr,islamic,confirmed}]}: the
 * local holiday table becomes exactly that set and open deadlines are recomputed, in one
 * transaction (bw_store_holidays_replace). *ndays and *recomputed may be NULL. Errors as
 * bw_pub_apply_catalogue. */
int bw_pub_apply_holidays(bw_store *s, const char *json, size_t len, int *ndays, int *recomputed,
                          bw_err *e);

#endif
