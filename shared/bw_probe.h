/* bw_probe.h: a non-blocking TCP probe of the broker, polled in the caller's own loop. */
#ifndef BW_PROBE_H
#define BW_PROBE_H

#include <stdint.h>

#include "bw_err.h"

/* libmosquitto's MQTT v5 connect (the one that sends a session expiry) connects its
 * socket blocking: to an unreachable host (cable out, packets dropped) it would stall the
 * caller's loop for the kernel's whole connect timeout, and a kiosk or a console must
 * keep serving meanwhile. So the clients first open a TCP connection of their own,
 * without blocking, and call libmosquitto only once the broker answered. */
#define BW_PROBE_TIMEOUT_MS 5000

typedef struct bw_probe {
	int fd;              /* the connection in progress (poll it for POLLOUT), or -1 */
	int64_t until_ms;    /* monotonic ms after which it counts as timed out */
} bw_probe;

void bw_probe_init(bw_probe *p);

/* Starts a probe of host:port (an address is used as is; a name costs a resolver call).
 * BW_OK and p->fd >= 0: connecting, poll p->fd and call bw_probe_check; BW_OK and
 * p->fd == -1: the broker answered at once; BW_EIO: it cannot be reached (e says why). */
int bw_probe_start(bw_probe *p, const char *host, int port, int64_t now_ms, bw_err *e);

/* After a poll (revents of p->fd, 0 on a timeout): BW_EAGAIN while still connecting;
 * BW_OK when the broker answered; BW_EIO (with the reason, "Connection timed out" after
 * BW_PROBE_TIMEOUT_MS). The probe's socket is closed on BW_OK and BW_EIO. */
int bw_probe_check(bw_probe *p, short revents, int64_t now_ms, bw_err *e);

/* Abandons a probe in progress. */
void bw_probe_close(bw_probe *p);

#endif
