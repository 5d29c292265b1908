/* bw_err.h: bawaba's one error convention: 0 is success, a negative BW_E* code is
 * failure, and an optional caller-supplied bw_err carries a message naming what is wrong. */
#ifndef BW_ERR_H
#define BW_ERR_H

#include <stddef.h>

enum {
	BW_OK = 0,
	BW_EINVAL = -1,    /* bad input: missing field, wrong format, out of range */
	BW_ENOTFOUND = -2, /* no such request, holiday, device, key ... */
	BW_EEXIST = -3,    /* already there (idempotent inserts report it, not fail) */
	BW_ESTATE = -4,    /* transition not allowed from the current state */
	BW_EIO = -5,       /* file or socket error (errno is in the message) */
	BW_ENOMEM = -6,
	BW_EDB = -7,       /* SQLite said no */
	BW_ETOOBIG = -8,   /* a size limit was exceeded */
	BW_ESCHEMA = -9,   /* database schema newer than this program, or broken */
	BW_EPERM = -10,    /* not allowed for this actor / device */
	BW_EAGAIN = -11,   /* try again later (busy, offline) */
};

#define BW_ERRMSG 256

/* Filled by a failing call when the caller passes one; may be NULL everywhere. */
typedef struct bw_err {
	int code;
	char msg[BW_ERRMSG];
} bw_err;

/* Records code and a printf-style message in e (if not NULL); returns code, so a
 * failing path reads `return bw_fail(e, BW_EINVAL, "text: too long (%zu > %d)", n, max);` */
int bw_fail(bw_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A short English phrase for a BW_E* code ("invalid input"); never NULL. */
const char *bw_strerror(int code);

/* Resets e to success. */
void bw_err_clear(bw_err *e);

/* Allocation that never returns NULL: out of memory is decided here, once (abort with a
 * message), so callers don't each invent a recovery that is never tested. */
void *bw_xmalloc(size_t n);
void *bw_xcalloc(size_t n, size_t size);
void *bw_xrealloc(void *p, size_t n);
char *bw_xstrdup(const char *s);

/* Copies src into dst[size] always NUL-terminated; returns BW_ETOOBIG if it was cut. */
int bw_strlcpy(char *dst, const char *src, size_t size);

#endif
