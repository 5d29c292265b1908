/* bw_rate.h: budgets over time: token buckets (so many a second, with a burst) and a
 * "log once per interval" throttle (so a flood of the same complaint writes a few lines
 * and then one line with a count, not one line per message). Times are passed in by the
 * caller (monotonic milliseconds), so both are pure and tested without sleeping. */
#ifndef BW_RATE_H
#define BW_RATE_H

#include <stdint.h>

/* A token bucket: `rate` tokens a second, at most `burst` saved. Zero-initialised it is
 * full at its first use. */
typedef struct bw_bucket {
	double tokens;
	int64_t at_ms;    /* when tokens was last brought up to date; 0 = never used */
} bw_bucket;

/* Takes one token at now_ms: 1 if there was one (the caller goes on), 0 if the budget
 * is spent (the caller drops). rate <= 0 means no limit (always 1). */
int bw_bucket_take(bw_bucket *b, double rate, double burst, int64_t now_ms);

/* A log throttle: at most `lines` lines per `interval_ms`; what is held back is counted
 * and said in one summary line when the interval ends. Zero-initialised. */
typedef struct bw_logonce {
	int64_t since_ms;   /* start of the current interval; 0 = none yet */
	int lines;          /* lines let through in it */
	long held;          /* lines held back in it */
} bw_logonce;

/* Whether a line may be written now. If an interval with held-back lines ended, *held
 * (may be NULL) gets their count (> 0): write the summary line first, then this one. */
int bw_logonce_allow(bw_logonce *l, int64_t now_ms, int64_t interval_ms, int lines, long *held);

/* For a timer: the count of lines held back in an interval that has ended (then the
 * throttle starts afresh), 0 if none. So the summary is written even when the flood
 * stops and no new line comes to trigger it. */
long bw_logonce_due(bw_logonce *l, int64_t now_ms, int64_t interval_ms);

#endif
