/* bw_edge.h: a citizen's request taken on a device (kiosk or SMS gateway), with or without
 * a hub: the one local-submit sequence. In ONE transaction of the device's own store the
 * next reference of the device is taken and the request stored; a caller with a hub adds
 * its outbox row in the same transaction (bw_sync_submit). A failed insert uses no
 * reference; a crash before the commit leaves nothing; the citizen gets the reference
 * only after the commit. */
#ifndef BW_EDGE_H
#define BW_EDGE_H

#include "bw_err.h"
#include "bw_request.h"
#include "bw_store.h"

/* The device that takes the request: what it fills in and how it numbers. */
typedef struct bw_edge_device {
	const char *id;      /* device id, into r->device */
	const char *site;    /* its reception site, into r->site when the request has none */
	unsigned num;        /* reference prefix 1..9999 (from the hub's enrolment) */
} bw_edge_device;

/* Called inside the filing transaction once the request is stored (r->ref set); what it
 * writes to the store commits with the request or not at all. A negative return rolls
 * everything back and is returned. */
typedef int (*bw_edge_tx_fn)(void *arg, const bw_request *r, bw_err *e);

/* Fills r->uid (a new UUIDv7 if empty), r->device, r->site (if empty), r->received_at
 * (now, if unset) and r->received_on (its legal day, if unset); then in one transaction
 * takes the next reference of dev->num into r->ref, inserts the request (bw_store_insert,
 * with actor for its first event) and calls tx (may be NULL). BW_OK; BW_EINVAL/BW_ETOOBIG
 * from validation (nothing stored, no reference used); BW_EEXIST if r->uid is stored
 * already (r is then the stored request, its reference kept; nothing changes); BW_EDB;
 * or what tx returned. */
int bw_edge_file(bw_store *st, const bw_edge_device *dev, const char *actor, bw_request *r,
                 bw_edge_tx_fn tx, void *arg, bw_err *e);
/* The same inside the caller's open transaction (bw_store_begin on the same store: the SMS
 * gateway files a batch of messages and commits once): neither begins, commits nor rolls
 * back. On an error (BW_EEXIST included) the caller rolls back what this call wrote (a
 * savepoint, or the whole transaction): the reference it took may have been used. */
int bw_edge_file_tx(bw_store *st, const bw_edge_device *dev, const char *actor, bw_request *r,
                    bw_edge_tx_fn tx, void *arg, bw_err *e);

#endif
