/* bw_sync.h: the edge side of sync, for kiosks and SMS gateways: a request is committed in
 * the device's own store with its reference and an outbox row before the citizen gets
 * the reference; a sender publishes the outbox to the hub over MQTT v5 and marks a row
 * done only on the hub's acknowledgement (sent after the hub's commit); status queries,
 * status-change notifications and a presence heartbeat. Driven from the caller's poll()
 * loop, no thread: bw_sync_fd, bw_sync_want_write, bw_sync_handle, bw_sync_timeout_ms.
 *
 *   for (;;) {
 *       struct pollfd p = { bw_sync_fd(s), POLLIN | (bw_sync_want_write(s) ? POLLOUT : 0) };
 *       poll(&p, p.fd >= 0, bw_sync_timeout_ms(s));
 *       bw_sync_handle(s, p.fd >= 0 ? p.revents : 0);
 *   }
 */
#ifndef BW_SYNC_H
#define BW_SYNC_H

#include <stdint.h>

#include "bw_err.h"
#include "bw_link.h"
#include "bw_log.h"
#include "bw_proto.h"
#include "bw_request.h"
#include "bw_store.h"

/* What the operator configures; nothing about a running connection. The device config
 * file written by `bawaba-broker register` (and given its number by `bawaba-hub enroll`)
 * loads into it with bw_sync_settings_load. */
typedef struct bw_sync_settings {
	bw_link_settings broker;         /* [broker]: username = the device id; the [sync]
	                                  * keepalive, reconnect_max_ms and session_expiry
	                                  * below go into it at bw_sync_new */
	char device[BW_CODE_MAX + 1];    /* [device] id */
	char kind[16];                   /* kiosk | gateway */
	char site[BW_CODE_MAX + 1];
	int num;                         /* reference prefix 1..9999 (from the hub's enrolment) */
	int keepalive;                   /* s, MQTT keepalive */
	int heartbeat;                   /* s between presence heartbeats */
	int window;                      /* outbox rows in flight at once (sent, not acked) */
	int ack_timeout_ms;              /* first wait for the hub's ack; doubles per attempt */
	int retry_max_ms;                /* longest wait between attempts */
	int query_timeout_ms;            /* then a status query is answered locally */
	int reconnect_max_ms;            /* longest wait between connection attempts */
	int session_expiry;              /* s the broker keeps our session while we are away */
} bw_sync_settings;

/* Fills s with the defaults (port 1883, keepalive 30, heartbeat 30, window 1000, ack
 * timeout 5000, retry max 60000, query timeout 2000, reconnect max 30000, session expiry
 * 7 days) and empty strings. */
void bw_sync_settings_default(bw_sync_settings *s);

/* Loads a device config file: [broker] host, port, username, password, cafile;
 * [device] id, kind, site, num; optional [sync] with the timing keys above. Then checks
 * that id == username and num is set. Errors as bw_conf_load, or BW_EINVAL. */
int bw_sync_settings_load(const char *path, bw_sync_settings *s, bw_err *e);
/* The same file read without those checks (for enrolment, before num is set). */
int bw_sync_settings_read(const char *path, bw_sync_settings *s, bw_err *e);

typedef struct bw_sync bw_sync;

/* What the program wants to hear about; every member may be NULL. */
typedef struct bw_sync_callbacks {
	void *arg;
	/* A status change from the hub. Called INSIDE the local transaction that records it
	 * (the notification, the event, the request's new state, the cursor), before its
	 * commit; r is the local request after the change (the SMS gateway has the phone
	 * there). What the callback writes to the device's store (through bw_store_db of the
	 * store given to bw_sync_new) commits with it, or not at all: a kill before the commit
	 * loses both, and the hub's replay brings the notification again. Return BW_OK to
	 * commit; a negative code rolls everything back (the cursor does not move) and the
	 * notification comes again with the hub's next replay (within a heartbeat or two).
	 * So the callback MUST be idempotent (key what it writes by ev->uid: it may run again
	 * for the same event after a rollback, a failed commit or a crash), must not open or
	 * commit a transaction of its own (bw_store_begin would fail: one is open) and must
	 * not call bw_sync. Called for each event the device had not recorded yet. */
	int (*notify_tx)(void *arg, const bw_event *ev, const char *ref, const bw_request *r);
	/* The same for a program whose part cannot fail (a display): called inside the same
	 * transaction after notify_tx, with the same rules except that it cannot refuse. */
	void (*notify)(void *arg, const bw_event *ev, const char *ref, const bw_request *r);
	/* Gateway figures for the heartbeat: leave -1 when unknown. */
	void (*figures)(void *arg, int *signal, int *queue);
	/* The hub acknowledged an outbox row (for figures and tests). Called before the local
	 * commit that marks it done: if that commit fails, the row is sent again and this may
	 * be called again for it. */
	void (*acked)(void *arg, const bw_ack *a);
	/* A retained public message (catalogue, holidays) arrived: topic and payload; the
	 * catalogue and holidays are applied to the local store already (bw_pub.h). */
	void (*published)(void *arg, const char *topic, const char *payload, size_t len);
} bw_sync_callbacks;

/* Creates the sync state. st is the device's own open store (borrowed, must outlive the
 * sync; bw_sync seeds it with the shipped catalogue if its catalogue is empty); s and cb
 * are copied; log is borrowed and may be NULL. Does not connect yet: the first
 * bw_sync_handle does. BW_EINVAL for bad settings (no device id, num out of range). */
int bw_sync_new(bw_sync **out, const bw_sync_settings *s, bw_store *st,
                const bw_sync_callbacks *cb, const bw_log *log, bw_err *e);

/* Says goodbye when connected (retained presence offline, DISCONNECT, up to ~1 s to
 * flush) and frees everything. NULL is fine. */
void bw_sync_free(bw_sync *s);

/* Takes a request from a citizen: in ONE local transaction takes the next reference of
 * this device, inserts the request (validated by the store) and its outbox row; then
 * returns BW_OK with r->ref set, whether or not the hub is reachable. Fills r->uid,
 * r->device, r->site (if empty), r->received_at and r->received_on (if unset).
 * BW_EINVAL/BW_ETOOBIG from validation (nothing stored, no reference used);
 * BW_EEXIST if r->uid is already stored (r is then the stored request, its reference
 * kept); BW_EDB if the local database fails. */
int bw_sync_submit(bw_sync *s, bw_request *r, bw_err *e);

/* A status change the citizen made on this device: reopening an answered complaint
 * (BW_ST_REOPENED, note = why), withdrawing a request (BW_ST_CLOSED) or appealing on an
 * information request (BW_ST_UNDER_APPEAL, note = why). In ONE local transaction the local
 * request ref moves by the store's lifecycle rules (actor "citizen:<device>") and the
 * event goes into the outbox ('evt' row); the sender delivers it like a request and the
 * hub applies it once under the same event uid and acknowledges it. out (may be NULL)
 * gets the event. BW_EINVAL for a bad reference or any other state; BW_ENOTFOUND if this
 * device holds no such request; BW_ESTATE if the lifecycle refuses the move (nothing
 * changes); BW_EDB. */
int bw_sync_event(bw_sync *s, const char *ref, int to, const char *note, bw_event *out, bw_err *e);

/* Called once with the answer to a status query; st is valid during the call only.
 * st->from_local is 1 when the hub could not be asked or did not answer in time. */
typedef void (*bw_sync_query_fn)(void *arg, const bw_status *st);

/* Asks the hub the status of ref (typed by a citizen: bw_ref_parse rules). Online: an
 * MQTT v5 request with a response topic and correlation data; cb is called from a
 * later bw_sync_handle with the hub's answer, or with the local store's answer after
 * query_timeout_ms. Offline: cb is called before this returns, from the local store.
 * BW_EINVAL (cb not called) if ref is not a valid reference. */
int bw_sync_query(bw_sync *s, const char *ref, bw_sync_query_fn cb, void *arg, bw_err *e);
/* The same with the receipt code the citizen typed (NULL or "" for none): the answer
 * carries the notes meant for the citizen only when it matches (bw_status_load), from
 * the hub or, offline, from the local store. BW_EINVAL also for a code that is not
 * BW_RCODE_LEN digits. */
int bw_sync_query_code(bw_sync *s, const char *ref, const char *code, bw_sync_query_fn cb,
                       void *arg, bw_err *e);

/* The socket to poll, -1 while disconnected (then only the timeout matters). */
int bw_sync_fd(bw_sync *s);
/* 1 if POLLOUT is wanted too. */
int bw_sync_want_write(bw_sync *s);
/* Does the work after poll(): reads and writes on the socket as revents say (0 after a
 * timeout is fine), runs due timers (reconnect, retries, heartbeat, query timeouts),
 * publishes outbox rows while the window has room. Never blocks for long; errors are
 * logged and retried, never returned. */
void bw_sync_handle(bw_sync *s, short revents);
/* Milliseconds until the next timer (CLOCK_MONOTONIC), for poll()'s timeout; 0..1000. */
int bw_sync_timeout_ms(bw_sync *s);

/* 1 if connected to the broker (CONNACK received). */
int bw_sync_is_online(bw_sync *s);
/* 1 if connected and the hub's retained presence (bawaba/v1/pub/hub) says it is there:
 * what a kiosk's "offline" indicator means. 0 while not heard yet, when the hub said
 * goodbye or its will came. While the hub is known to be away, bw_sync_query answers
 * from the local store at once and outbox rows wait (no retries; a hub not heard of yet
 * is sent to); when it comes back, unacknowledged rows go again at once. */
int bw_sync_hub_is_online(bw_sync *s);
/* Outbox rows not yet acknowledged by the hub (a count in the local store); -1 on error. */
long bw_sync_outbox_depth(bw_sync *s);
/* The highest hub event id applied without a gap. */
int64_t bw_sync_notify_cursor(bw_sync *s);

#endif
