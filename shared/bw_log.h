/* bw_log.h: logging to stderr with levels; the logger travels in the program's context. */
#ifndef BW_LOG_H
#define BW_LOG_H

#include <stdio.h>

enum bw_loglevel { BW_LOG_ERROR, BW_LOG_WARN, BW_LOG_INFO, BW_LOG_DEBUG };

typedef struct bw_log {
	const char *prog;   /* prefix of every line, e.g. "bawaba-hub" */
	int level;          /* lines above this level are dropped */
	FILE *fp;           /* NULL means stderr */
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
