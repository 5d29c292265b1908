/* bw_err.c: error codes, messages, and the one place that decides what out-of-memory does. */
#include "bw_err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int bw_fail(bw_err *e, int code, const char *fmt, ...)
{
	if (e) {
		va_list ap;
		e->code = code;
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof e->msg, fmt, ap);
		va_end(ap);
	}
	return code;
}

void bw_err_clear(bw_err *e)
{
	if (e) {
		e->code = BW_OK;
		e->msg[0] = '\0';
	}
}

const char *bw_strerror(int code)
{
	switch (code) {
	case BW_OK: return "success";
	case BW_EINVAL: return "invalid input";
	case BW_ENOTFOUND: return "not found";
	case BW_EEXIST: return "already exists";
	case BW_ESTATE: return "not allowed in this state";
	case BW_EIO: return "input/output error";
	case BW_ENOMEM: return "out of memory";
	case BW_EDB: return "database error";
	case BW_ETOOBIG: return "too big";
	case BW_ESCHEMA: return "database schema mismatch";
	case BW_EPERM: return "permission denied";
	case BW_EAGAIN: return "try again later";
	}
	return "unknown error";
}

static void oom(size_t n)
{
	fprintf(stderr, "bawaba: out of memory allocating %zu bytes\n", n);
	abort();
}

void *bw_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

void *bw_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom(n * size);
	return p;
}

void *bw_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom(n);
	return q;
}

char *bw_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = bw_xmalloc(n);
	memcpy(p, s, n);
	return p;
}

int bw_strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);
	if (size == 0)
		return BW_ETOOBIG;
	if (n >= size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return BW_ETOOBIG;
	}
	memcpy(dst, src, n + 1);
	return BW_OK;
}
