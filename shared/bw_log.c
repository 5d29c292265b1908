/* bw_log.c: one line per message on stderr: time, program, level, text; under systemd
 * (stderr is the journal) the line starts with the journal's priority instead of a time. */
#include "bw_log.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static const char *const names[] = { "error", "warn", "info", "debug" };

int bw_log_level_parse(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

/* 1 if fp is the journal's stream: systemd sets $JOURNAL_STREAM to "DEV:INODE" of the
 * socket it gave as stdout/stderr (systemd.exec(5)); a redirected stderr no longer is. */
static int is_journal(FILE *fp)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	return js && sscanf(js, "%llu:%llu", &dev, &ino) == 2 && fstat(fileno(fp), &st) == 0 &&
		(unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

static long long mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* 1 if this warning or error may be written now; *held gets the count held back in an
 * interval that just ended (to be said first). Each program's bw_log is a plain object
 * it owns, so writing through the const pointer is well defined. */
static int repeat_allow(const bw_log *cl, const char *fmt, long *held)
{
	bw_log *l = (bw_log *)cl;
	struct bw_log_repeat *r = NULL, *oldest = &l->rep[0];
	long long now = mono_ms();
	*held = 0;
	for (int i = 0; i < BW_LOG_REPEAT_SLOTS; i++) {
		if (l->rep[i].fmt == fmt) {
			r = &l->rep[i];
			break;
		}
		if (!l->rep[i].fmt || l->rep[i].since_ms < oldest->since_ms)
			oldest = &l->rep[i];
	}
	if (!r) { /* a new condition takes a free slot, or the one quiet the longest (its
		           * held-back count, if any, is dropped with it) */
		r = oldest;
		memset(r, 0, sizeof *r);
		r->fmt = fmt;
		r->since_ms = now;
	}
	if (now - r->since_ms >= BW_LOG_REPEAT_MS) {
		if (r->held)
			*held = r->held;
		r->since_ms = now;
		r->lines = 0;
		r->held = 0;
	}
	if (r->lines >= BW_LOG_REPEAT_LINES) {
		r->held++;
		return 0;
	}
	r->lines++;
	return 1;
}

void bw_log_msg(const bw_log *l, int level, const char *fmt, ...)
{
	if (l && level > l->level)
		return;
	long held = 0;
	if (l && level <= BW_LOG_WARN && !repeat_allow(l, fmt, &held))
		return;
	if (held)
		bw_log_msg(l, BW_LOG_INFO, "the next line's condition was held back %ld more times in the last %d s",
			   held, BW_LOG_REPEAT_MS / 1000);
	FILE *fp = (l && l->fp) ? l->fp : stderr;
	/* sd-daemon.h's prefixes: <3> error, <4> warning, <6> info, <7> debug */
	static const char prio[] = { '3', '4', '6', '7' };
	int lv = level < 0 ? 0 : level > 3 ? 3 : level;
	struct timespec ts;
	struct tm tm;
	char when[32];
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);

	char line[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	const char *prog = l && l->prog ? l->prog : "bawaba";
	/* one fprintf so concurrent writers (the site's processes share a terminal) don't interleave */
	if (is_journal(fp))
		fprintf(fp, "<%c>%s %s: %s\n", prio[lv], prog, names[lv], line);
	else
		fprintf(fp, "%s.%03ldZ %s %s: %s\n", when, ts.tv_nsec / 1000000, prog, names[lv], line);
	fflush(fp);
}
