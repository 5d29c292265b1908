/* guard.c: the times a device states checked against the hub's, and the receipt-code
 * tries counted in the hub's database over sliding windows (see guard.h). */
#include "guard.h"

#include <stdio.h>
#include <string.h>

#include "bw_calendar.h"
#include "bw_clock.h"
#include "bw_err.h"

int64_t guard_event_time(int64_t at, int64_t received_at, int64_t last_at, int64_t now,
                         char *why, size_t size)
{
	int64_t floor = received_at > last_at ? received_at : last_at;
	char buf[128];
	if (at > now + GUARD_SKEW_MAX)
		snprintf(buf, sizeof buf, "at %lld is %lld s ahead of the hub's clock", (long long)at,
			 (long long)(at - now));
	else if (at < now - GUARD_PAST_MAX)
		snprintf(buf, sizeof buf, "at %lld is %lld days back", (long long)at,
			 (long long)((now - at) / 86400));
	else if (at < received_at)
		snprintf(buf, sizeof buf, "at %lld is before the request's receipt (%lld)", (long long)at,
			 (long long)received_at);
	else if (at < last_at)
		snprintf(buf, sizeof buf, "at %lld is before the request's previous event (%lld)",
			 (long long)at, (long long)last_at);
	else
		buf[0] = '\0';
	if (why && size)
		snprintf(why, size, "%s", buf);
	if (!buf[0])
		return at;
	/* the hub's time, but never before what the timeline holds already (an earlier
	 * event may carry a device time a little ahead, within GUARD_SKEW_MAX) */
	return now > floor ? now : floor;
}

int guard_request_time(bw_request *r, int64_t now)
{
	if (r->received_at <= now + GUARD_SKEW_MAX)
		return 0;
	char today[BW_DATE_LEN + 1];
	r->received_at = now;
	bw_day_format(bw_legal_day(now), today);
	if (strcmp(r->received_on, today) > 0)
		memcpy(r->received_on, today, sizeof today);
	return 1;
}

/* ---- receipt codes ---- */

int guard_code_allowed(bw_store *s, const guard_codes *g, const char *device, const char *ref,
                       int64_t now, char *why, size_t size)
{
	/* through this device, then on this reference: the window's unit for the reason */
	const struct { const char *device, *ref, *what, *unit; int max, window, per; } lim[2] = {
		{ device, NULL, "through this device", "minutes", g->device_max, g->device_window, 60 },
		{ NULL, ref, "for this reference", "hours", g->request_max, g->request_window, 3600 },
	};
	if (why && size)
		why[0] = '\0';
	for (int i = 0; i < 2; i++) {
		int n = 0, rc = bw_store_code_tries(s, lim[i].device, lim[i].ref, now - lim[i].window, &n, NULL);
		if (rc)
			return rc;
		if (n >= lim[i].max) {
			if (why)
				snprintf(why, size, "%d wrong receipt codes %s in %d %s", n, lim[i].what,
					 lim[i].window / lim[i].per, lim[i].unit);
			return 0;
		}
	}
	return 1;
}

int guard_code_wrong(bw_store *s, const guard_codes *g, const char *device, const char *ref,
                     int64_t now, bw_err *e)
{
	int64_t keep = g->device_window > g->request_window ? g->device_window : g->request_window;
	return bw_store_code_try_add(s, device, ref, now, now - keep, e);
}
