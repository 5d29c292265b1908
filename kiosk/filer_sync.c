/* filer_sync.c: the kiosk's filer over the edge sync library: a request is committed in
 * the kiosk's own store with its outbox row (bw_sync_submit) before the receipt shows,
 * status questions (with the receipt code when typed) go to the hub and fall back to the
 * local store. */
#include "filer_sync.h"

#include <string.h>

static int s_submit(void *arg, bw_request *r, bw_err *e)
{
	kiosk_syncf *f = arg;
	return bw_sync_submit(f->s, r, e);
}

static void on_status(void *arg, const bw_status *st)
{
	kiosk_syncf *f = arg;
	kiosk_status_fn done = f->done;
	f->done = NULL;
	if (done)
		done(f->k, st);
}

static int s_query(void *arg, const char *ref, const char *code, kiosk_status_fn done, void *k,
                   bw_err *e)
{
	kiosk_syncf *f = arg;
	f->done = done;
	f->k = k;
	return bw_sync_query_code(f->s, ref, code, on_status, f, e);
}

/* "Online" is the hub, not the broker: with the hub stopped the broker still accepts
 * the kiosk, yet nothing is acknowledged and no status question is answered. */
static int s_online(void *arg)
{
	kiosk_syncf *f = arg;
	return bw_sync_hub_is_online(f->s);
}

kiosk_filer kiosk_sync_filer(kiosk_syncf *f, bw_sync *s)
{
	memset(f, 0, sizeof *f);
	f->s = s;
	return (kiosk_filer){ f, s_submit, s_query, s_online };
}
