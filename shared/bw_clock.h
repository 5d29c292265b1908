/* bw_clock.h: the one place that knows what time it is and what that is in Morocco's
 * legal time (tzdata's Africa/Casablanca: UTC+1, UTC+0 during Ramadan). */
#ifndef BW_CLOCK_H
#define BW_CLOCK_H

#include <stdint.h>

#include "bw_calendar.h"
#include "bw_err.h"

/* The legal time zone; a program may name another in its settings (key time_zone),
 * e.g. for a test of the zone switch, never an offset. */
#define BW_LEGAL_ZONE "Africa/Casablanca"

/* Makes `zone` (NULL or "" for BW_LEGAL_ZONE) the process's time zone, whatever TZ the
 * environment had: every program calls it once at start, before any thread, since the C
 * library keeps the zone process-wide. The zone must exist in tzdata (TZDIR, else
 * /usr/share/zoneinfo): glibc would silently count an unknown name as UTC, which would
 * move every day boundary by an hour. BW_EINVAL for a malformed name, BW_ENOTFOUND when
 * tzdata lacks it (the message names the Debian package). */
int bw_clock_init(const char *zone, bw_err *e);

/* The settings row every program's table carries (section sec, member m: char[64]), so
 * the zone is a setting like any other and --print-config shows it. */
#define BW_CLOCK_ZONE_MAX 64
#define BW_CLOCK_CONF(sec, st, m) \
	BW_CONF_S((sec), "time_zone", st, m, BW_LEGAL_ZONE, \
		  "legal time zone, a tzdata name: days of receipt, deadlines, times shown")

/* Seconds since the epoch: $BAWABA_NOW when set (tests and paper-entry scripts pin the
 * clock with it, in every program), else the system clock. */
int64_t bw_now(void);

/* Milliseconds of CLOCK_MONOTONIC: for timers and durations (not an instant: it does not
 * follow the wall clock, and BAWABA_NOW does not pin it). */
int64_t bw_mono_ms(void);

/* An instant as legal time: the civil day, the time of day and the offset in force. */
typedef struct bw_legal_time {
	bw_day day;
	int hour, minute, second;
	int offset_min;  /* 60 outside Ramadan, 0 during it, as tzdata says */
} bw_legal_time;

/* Legal time of the instant t. Every day of receipt, every "today", every time shown or
 * exported goes through here. If bw_clock_init was never called it behaves as if it had
 * been called with the default zone. */
void bw_legal_at(int64_t t, bw_legal_time *out);

/* The legal civil day of t: bw_legal_at(t).day. */
bw_day bw_legal_day(int64_t t);

/* The first instant (UTC seconds) of legal day d; the day's last second is the next
 * day's first instant minus one (days are 23, 24 or 25 hours long around a switch). */
int64_t bw_legal_day_start(bw_day d);

/* "2027-02-20T23:30:00+00:00": ISO 8601 with the legal offset in force (Open311, CSV). */
#define BW_ISO_LEN 25
char *bw_legal_iso(int64_t t, char out[BW_ISO_LEN + 1]);

/* "23:30": the legal time of day (screens, SMS). */
char *bw_legal_hm(int64_t t, char out[6]);

#endif
