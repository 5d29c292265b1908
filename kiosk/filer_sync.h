/* filer_sync.h: the kiosk's filer over bw_sync (requests to the hub through the local
 * outbox; status from the hub, or from the local store when it does not answer). */
#ifndef KIOSK_FILER_SYNC_H
#define KIOSK_FILER_SYNC_H

#include "bw_sync.h"
#include "kiosk.h"

typedef struct kiosk_syncf {
	bw_sync *s;              /* borrowed */
	kiosk_status_fn done;    /* the pending status question's answer goes there */
	void *k;
} kiosk_syncf;

/* A filer over s; f holds its state and must outlive it. */
kiosk_filer kiosk_sync_filer(kiosk_syncf *f, bw_sync *s);

#endif
