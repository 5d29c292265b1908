/* bw_log.c: one line per message on stderr: time, program, level, text. */
#include "bw_log.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>

static const char *const names[] = { "error", "warn", "info", "debug" };

int bw_log_level_parse(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

void bw_log_msg(const bw_log *l, int level, const char *fmt, ...)
{
	if (l && level > l->level)
		return;
	FILE *fp = (l && l->fp) ? l->fp : stderr;
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
	/* one fprintf so concurrent writers (the site's processes share a terminal) don't interleave */
	fprintf(fp, "%s.%03ldZ %s %s: %s\n", when, ts.tv_nsec / 1000000,
		l && l->prog ? l->prog : "bawaba", names[level < 0 ? 0 : level > 3 ? 3 : level], line);
	fflush(fp);
}
