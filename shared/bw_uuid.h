/* bw_uuid.h: time-ordered unique ids (UUID version 7) that devices make without coordination. */
#ifndef BW_UUID_H
#define BW_UUID_H

#include <stdint.h>

#include "bw_err.h"

/* Writes a new UUIDv7 ("018f3c2e-....") to out[37]: 48 bits of Unix milliseconds, 12 bits
 * of the sub-millisecond clock fraction (RFC 9562 method 3, about 244 ns steps) and 62
 * random bits from getrandom(2), so ids sort by creation time (ties within one step sort
 * randomly) and never collide in practice. Keeps no state between calls.
 * BW_EIO if the clock or the kernel's random source fails. */
int bw_uuid_v7(char out[37], bw_err *e);

/* 1 if s is a syntactically valid lower-case UUID text form. */
int bw_uuid_valid(const char *s);

/* Milliseconds since the epoch encoded in a UUIDv7 (0 if not v7). */
int64_t bw_uuid_ms(const char *s);

#endif
