/* bw_log.h: logging to stderr with levels; the logger travels in the program's context. */
#ifndef BW_LOG_H
#define BW_LOG_H

#include <stdio.h>

enum bw_loglevel { BW_LOG_ERROR, BW_LOG_WARN, BW_LOG_INFO, BW_LOG_DEBUG };

/* A warning or error that repeats (the same format string: the same failing condition,
 * a full disk, a modem that does not answer) is written BW_LOG_REPEAT_LINES (20) times per
 * BW_LOG_REPEAT_MS; what is held back is counted and said in one line ("... 700 more
 * times in the last 60 s") when the condition next occurs after the interval. */
#define BW_LOG_REPEAT_SLOTS 8
#define BW_LOG_REPEAT_LINES 20
#define BW_LOG_REPEAT_MS 60000
struct bw_log_repeat {
	const char *fmt;     /* the condition: its format string; NULL = free slot */
	long long since_ms;  /* start of its current interval (monotonic) */
	int lines;           /* written in it */
	long held;           /* held back in it */
};

typedef struct bw_log {
	const char *prog;   /* prefix of every line, e.g. "bawaba-hub" */
	int level;          /* lines above this level are dropped */
	FILE *fp;           /* NULL means stderr */
	/* run-time state of the repeat throttle, zero-initialised with the rest; the logger
	 * is passed as const (it is configuration to its users) but the object is not */
	struct bw_log_repeat rep[BW_LOG_REPEAT_SLOTS];
} bw_log;

/* Parses "error", "warn", "info", "debug"; returns the level or -1. */
int bw_log_level_parse(const char *s);

void bw_log_msg(const bw_log *l, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define log_error(l, ...) bw_log_msg((l), BW_LOG_ERROR, __VA_ARGS__)
#define log_warn(l, ...)  bw_log_msg((l), BW_LOG_WARN, __VA_ARGS__)
#define log_info(l, ...)  bw_log_msg((l), BW_LOG_INFO, __VA_ARGS__)
#define log_debug(l, ...) bw_log_msg((l), BW_LOG_DEBUG, __VA_ARGS__)

#endif
