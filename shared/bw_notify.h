/* bw_notify.h: a daemon tells its service manager that it is ready and still alive
 * (systemd's sd_notify protocol, through libsystemd): READY=1 once it serves, WATCHDOG=1
 * from its loop at half the interval the unit's WatchdogSec= asked for, STOPPING=1 on the
 * way out. Outside systemd (no $NOTIFY_SOCKET) every call does nothing, so programs run
 * the same by hand, under make run and in tests.
 *
 *   bw_notify n; bw_notify_init(&n);
 *   ... set up ...; bw_notify_ready("serving");
 *   loop: poll(..., bw_notify_timeout_ms(&n, timeout)); ...; bw_notify_alive(&n);
 *
 * A loop that stops turning (a hang in a library call, a dead lock) stops the WATCHDOG=1
 * messages and systemd restarts the service (Restart=on-failure / on-watchdog). */
#ifndef BW_NOTIFY_H
#define BW_NOTIFY_H

#include <stdint.h>

/* The watchdog's state: settings from the environment, then the next time to ping. */
typedef struct bw_notify {
	int64_t every_ms;   /* 0: no watchdog asked for */
	int64_t next_ms;    /* CLOCK_MONOTONIC */
} bw_notify;

/* Reads $WATCHDOG_USEC (and $WATCHDOG_PID) through sd_watchdog_enabled. */
void bw_notify_init(bw_notify *n);

/* READY=1 with a STATUS= line (status may be NULL). */
void bw_notify_ready(const char *status);

/* WATCHDOG=1 if it is due; call once per loop turn (cheap otherwise). */
void bw_notify_alive(bw_notify *n);

/* timeout (ms, negative = forever) shortened so the loop wakes for the next ping. */
int bw_notify_timeout_ms(const bw_notify *n, int timeout);

/* STOPPING=1. */
void bw_notify_stopping(void);

#endif
