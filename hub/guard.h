/* guard.h: what the hub does not take on trust from a device (issue 11), apart from the
 * MQTT engine so it can be tested alone: the times a device states (an event's time, a
 * request's receipt, a heartbeat's clock) against what the hub knows, and the wrong
 * receipt codes tried through a device or on a request, counted in the hub's database
 * over sliding windows. The per-device budgets are token buckets (shared/bw_rate.h)
 * kept by hub.c with each device. */
#ifndef BW_GUARD_H
#define BW_GUARD_H

#include <stddef.h>
#include <stdint.h>

#include "bw_request.h"

struct sqlite3;

/* How far a device's clock may be ahead of the hub's before a time it states is
 * replaced by the hub's (a heartbeat's round trip and ordinary drift fit in it). */
#define GUARD_SKEW_MAX 300
/* An event's time may be this far back at most (the same window as a request's
 * receipt: a backlog after an outage). */
#define GUARD_PAST_MAX (30 * 86400)

/* The time to record for an event a device says happened at `at`, about a request
 * received at `received_at` whose latest event so far is at `last_at` (0: none), when
 * the hub's clock says `now`. A time no earlier than both, no more than GUARD_PAST_MAX
 * back and no more than GUARD_SKEW_MAX ahead of now is kept; any other is replaced by
 * the hub's time (never earlier than the request's last event), so a dead clock battery
 * or a forged date can neither reorder a timeline nor start a deadline in the past.
 * Returns the time to use; *why (size >= 96, may be NULL) gets the reason when it is not
 * `at`, else "". */
int64_t guard_event_time(int64_t at, int64_t received_at, int64_t last_at, int64_t now,
                         char *why, size_t size);

/* A request's receipt time ahead of the hub's clock (by more than GUARD_SKEW_MAX) is
 * replaced by the hub's time, and its day of receipt, if after the hub's today, by
 * today: the legal clock does not start tomorrow because a device's clock is fast.
 * Returns 1 if r was changed. (How far back a receipt may be is the hub's claims check.) */
int guard_request_time(bw_request *r, int64_t now);

/* ---- receipt codes ---- */

typedef struct guard_codes {
	int device_max, device_window;    /* wrong codes through one device per window (s) */
	int request_max, request_window;  /* wrong codes on one reference per window (s) */
} guard_codes;

/* Whether a code sent through `device` for `ref` may be checked now: 1 yes, 0 no (the
 * query is answered as without a code), negative BW_E* on a database error. *why (may
 * be NULL) says which limit when 0. */
int guard_code_allowed(struct sqlite3 *db, const guard_codes *g, const char *device,
                       const char *ref, int64_t now, char *why, size_t size);
/* Records a wrong code (and deletes rows older than both windows). BW_OK or BW_EDB. */
int guard_code_wrong(struct sqlite3 *db, const guard_codes *g, const char *device,
                     const char *ref, int64_t now);

#endif
