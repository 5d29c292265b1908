/* bw_clock.c: the clock (pinned by BAWABA_NOW in tests) and legal time through tzdata. */
#include "bw_clock.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int bw_clock_init(const char *zone, bw_err *e)
{
	char path[512];
	const char *dir = getenv("TZDIR");

	if (!zone || !zone[0])
		zone = BW_LEGAL_ZONE;
	/* a name, not a POSIX rule string or a path: "Area/City" letters only */
	if (strlen(zone) > 64 || zone[0] == '/' || strstr(zone, ".."))
		return bw_fail(e, BW_EINVAL, "time_zone: '%.64s' is not a tzdata zone name", zone);
	for (const char *p = zone; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '/' || *p == '_' || *p == '-' || *p == '+'))
			return bw_fail(e, BW_EINVAL, "time_zone: '%s' is not a tzdata zone name", zone);
	snprintf(path, sizeof path, "%s/%s", dir && dir[0] ? dir : "/usr/share/zoneinfo", zone);
	if (access(path, R_OK) != 0)
		return bw_fail(e, BW_ENOTFOUND, "time_zone: %s: %s (install Debian's tzdata package)", path,
			       strerror(errno));
	if (setenv("TZ", zone, 1) != 0)
		return bw_fail(e, BW_ENOMEM, "time_zone: setenv: %s", strerror(errno));
	tzset();
	return BW_OK;
}

int64_t bw_now(void)
{
	const char *pin = getenv("BAWABA_NOW");
	if (pin && pin[0]) {
		char *end;
		errno = 0;
		long long v = strtoll(pin, &end, 10);
		if (!errno && !*end && v > 0)
			return (int64_t)v;
	}
	return (int64_t)time(NULL);
}

int64_t bw_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void bw_legal_at(int64_t t, bw_legal_time *out)
{
	struct tm tm;
	time_t tt = (time_t)t;

	/* a program that forgot bw_clock_init still counts legal time, never the host's */
	if (!getenv("TZ"))
		bw_clock_init(NULL, NULL);
	if (!localtime_r(&tt, &tm)) {
		memset(out, 0, sizeof *out);
		return;
	}
	out->day = bw_day_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	out->hour = tm.tm_hour;
	out->minute = tm.tm_min;
	out->second = tm.tm_sec;
	out->offset_min = (int)(tm.tm_gmtoff / 60);
}

bw_day bw_legal_day(int64_t t)
{
	bw_legal_time lt;
	bw_legal_at(t, &lt);
	return lt.day;
}

int64_t bw_legal_day_start(bw_day d)
{
	/* Start from UTC midnight of d and correct by the offset in force then; a switch
	 * happens at 02:00 or 03:00 local, never at midnight, so one correction is exact. */
	int64_t t = (int64_t)d * 86400;
	bw_legal_time lt;
	bw_legal_at(t, &lt);
	t -= (int64_t)lt.offset_min * 60;
	bw_legal_at(t, &lt);
	if (lt.day != d) /* the offset differs on either side of the guess: step once more */
		t += lt.day < d ? 3600 : -3600;
	return t;
}

char *bw_legal_iso(int64_t t, char out[BW_ISO_LEN + 1])
{
	bw_legal_time lt;
	int y, m, d;
	bw_legal_at(t, &lt);
	bw_day_to_ymd(lt.day, &y, &m, &d);
	int off = lt.offset_min < 0 ? -lt.offset_min : lt.offset_min;
	char buf[64]; /* room for any int, so the compiler sees no truncation */
	snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", y, m, d, lt.hour, lt.minute,
		 lt.second, lt.offset_min < 0 ? '-' : '+', off / 60, off % 60);
	bw_strlcpy(out, buf, BW_ISO_LEN + 1);
	return out;
}

char *bw_legal_hm(int64_t t, char out[6])
{
	bw_legal_time lt;
	bw_legal_at(t, &lt);
	char buf[32];
	snprintf(buf, sizeof buf, "%02d:%02d", lt.hour, lt.minute);
	bw_strlcpy(out, buf, 6);
	return out;
}
