/* bw_calendar.h: civil dates, working days and the legal deadlines of law 31.13 and decree 2.17.265. */
#ifndef BW_CALENDAR_H
#define BW_CALENDAR_H

#include <stdint.h>
#include <stddef.h>

#include "bw_err.h"

/* A civil date as a day number (days since 1970-01-01, proleptic Gregorian). */
typedef int32_t bw_day;

int bw_day_parse(const char *yyyy_mm_dd, bw_day *out, bw_err *e); /* strict YYYY-MM-DD */
char *bw_day_format(bw_day d, char out[11]);
bw_day bw_day_from_ymd(int y, int m, int d);
void bw_day_to_ymd(bw_day day, int *y, int *m, int *d);
int bw_day_weekday(bw_day d);          /* 0 = Monday ... 6 = Sunday */
/* The UTC civil date of a time. Not Morocco's legal day: for that, bw_legal_day
 * (bw_clock.h), which follows tzdata (UTC+0 during Ramadan). */
bw_day bw_day_of_utc(int64_t unix_seconds);

/* The holidays known to the calculation: sorted unique day numbers. */
typedef struct bw_holidays {
	const bw_day *days;
	size_t n;
} bw_holidays;

int bw_is_working_day(const bw_holidays *h, bw_day d);

/* The law as data: what a deadline counts and how many. */
enum bw_count { BW_COUNT_WORKING_DAYS, BW_COUNT_CALENDAR_DAYS };

typedef struct bw_rule {
	const char *name;     /* "info", "info-urgent", "info-extension", "decree", ... */
	enum bw_count count;
	int days;
	const char *source;   /* "law 31.13 art. 16" */
} bw_rule;

/* Rules, by name (see bw_calendar.c for the table and its sources). */
const bw_rule *bw_rule_get(const char *name);

/* Result of a deadline computation. skipped lists the holidays that fell on weekdays
 * inside the counted window (the ones that pushed the deadline later). */
#define BW_SKIPPED_MAX 32
typedef struct bw_deadline {
	bw_day due;
	size_t nskipped;
	bw_day skipped[BW_SKIPPED_MAX];
} bw_deadline;

/* Deadline of `rule` counted from day `from` (the day of receipt, or the previous
 * deadline for an extension). Working days: the n-th working day after `from`.
 * Calendar days: from + n, moved to the next working day if it is not one. */
void bw_deadline_compute(const bw_rule *rule, bw_day from, const bw_holidays *h, bw_deadline *out);

/* The rule a request's clock starts with: "info-urgent", "info" or "decree" (kind is an
 * enum bw_kind). Later events restart the clock with another rule ("decree" again on a
 * reopen, "appeal-answer" on an appeal). */
const char *bw_rule_initial(int kind, int urgent);

/* The extension rule that follows the base rule `rule`: "info-urgent-extension" (3 days,
 * the CDAI's reading of art. 17) after "info-urgent", else "info-extension" (20 working
 * days, art. 16). */
const char *bw_rule_extension(const char *rule);

/* A request's current deadline: `rule` counted from `from`, then, if extended, the
 * extension rule of bw_rule_extension(rule) counted from that due date. skipped holds
 * the holidays of both spans. BW_EINVAL for an unknown rule name. */
int bw_deadline_chain(const char *rule, bw_day from, int extended, const bw_holidays *h,
                      bw_deadline *out, bw_err *e);

#endif
