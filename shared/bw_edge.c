/* bw_edge.c: the one local-submit sequence of a device: fill, number, store, commit. */
#include "bw_clock.h"
#include "bw_edge.h"

#include "bw_uuid.h"

int bw_edge_file_tx(bw_store *st, const bw_edge_device *dev, const char *actor, bw_request *r,
                    bw_edge_tx_fn tx, void *arg, bw_err *e)
{
	int rc;
	if (!r->uid[0] && (rc = bw_uuid_v7(r->uid, e)))
		return rc;
	bw_strlcpy(r->device, dev->id, sizeof r->device);
	if (!r->site[0])
		bw_strlcpy(r->site, dev->site, sizeof r->site);
	if (!r->received_at)
		r->received_at = bw_now();
	if (!r->received_on[0])
		bw_day_format(bw_legal_day(r->received_at), r->received_on);
	if ((rc = bw_store_next_ref(st, dev->num, r->ref, e)) || (rc = bw_store_insert(st, r, actor, e)))
		return rc;
	return tx ? tx(arg, r, e) : BW_OK;
}

int bw_edge_file(bw_store *st, const bw_edge_device *dev, const char *actor, bw_request *r,
                 bw_edge_tx_fn tx, void *arg, bw_err *e)
{
	int rc;
	/* the reference and the row in one transaction: a failed insert uses no number */
	if ((rc = bw_store_begin(st, e)))
		return rc;
	if ((rc = bw_edge_file_tx(st, dev, actor, r, tx, arg, e)) || (rc = bw_store_commit(st, e))) {
		bw_store_rollback(st);
		return rc;
	}
	return BW_OK;
}
