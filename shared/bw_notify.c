/* bw_notify.c: readiness and watchdog messages to systemd (see bw_notify.h). */
#include "bw_notify.h"

#include <systemd/sd-daemon.h>
#include <time.h>

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void bw_notify_init(bw_notify *n)
{
	uint64_t usec = 0;
	n->every_ms = 0;
	/* 0 = not asked (or for another pid), else the unit's WatchdogSec in usec: ping at
	 * half of it, as sd_watchdog_enabled(3) recommends */
	if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
		n->every_ms = (int64_t)(usec / 2000);
		if (n->every_ms < 1)
			n->every_ms = 1;
	}
	n->next_ms = mono_ms();
}

void bw_notify_ready(const char *status)
{
	if (status)
		sd_notifyf(0, "READY=1\nSTATUS=%s", status);
	else
		sd_notify(0, "READY=1");
}

void bw_notify_alive(bw_notify *n)
{
	if (!n->every_ms)
		return;
	int64_t now = mono_ms();
	if (now < n->next_ms)
		return;
	sd_notify(0, "WATCHDOG=1");
	n->next_ms = now + n->every_ms;
}

int bw_notify_timeout_ms(const bw_notify *n, int timeout)
{
	if (!n->every_ms)
		return timeout;
	int64_t left = n->next_ms - mono_ms();
	if (left < 0)
		left = 0;
	return timeout < 0 || left < timeout ? (int)left : timeout;
}

void bw_notify_stopping(void)
{
	sd_notify(0, "STOPPING=1");
}
