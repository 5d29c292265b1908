/* bw_rate.c: token buckets and the log-once-per-interval throttle (see bw_rate.h). */
#include "bw_rate.h"

int bw_bucket_take(bw_bucket *b, double rate, double burst, int64_t now_ms)
{
	if (rate <= 0)
		return 1;
	if (burst < 1)
		burst = 1;
	if (b->at_ms == 0) {
		b->tokens = burst;
	} else if (now_ms > b->at_ms) {
		b->tokens += (double)(now_ms - b->at_ms) * rate / 1000.0;
		if (b->tokens > burst)
			b->tokens = burst;
	}
	/* a clock that went back (it is monotonic, but a caller may pass 0) refills nothing */
	if (now_ms > b->at_ms || b->at_ms == 0)
		b->at_ms = now_ms ? now_ms : 1;
	if (b->tokens < 1)
		return 0;
	b->tokens -= 1;
	return 1;
}

long bw_logonce_due(bw_logonce *l, int64_t now_ms, int64_t interval_ms)
{
	if (l->since_ms == 0 || now_ms - l->since_ms < interval_ms)
		return 0;
	long held = l->held;
	l->since_ms = 0;
	l->lines = 0;
	l->held = 0;
	return held;
}

int bw_logonce_allow(bw_logonce *l, int64_t now_ms, int64_t interval_ms, int lines, long *held)
{
	long h = bw_logonce_due(l, now_ms, interval_ms);
	if (held)
		*held = h;
	if (l->since_ms == 0)
		l->since_ms = now_ms ? now_ms : 1;
	if (l->lines < lines) {
		l->lines++;
		return 1;
	}
	l->held++;
	return 0;
}
