/* bw_uuid.c: UUID version 7 (RFC 9562) from the real-time clock and getrandom(2). */
#include "bw_uuid.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

/* Fills buf with n bytes from the kernel's random source. getrandom() may return fewer
 * bytes or EINTR if a signal arrives, so it is called until the buffer is full. */
static int fill_random(unsigned char *buf, size_t n, bw_err *e)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = getrandom(buf + got, n - got, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return bw_fail(e, BW_EIO, "uuid: getrandom: %s", strerror(errno));
		}
		got += (size_t)r;
	}
	return BW_OK;
}

/* Layout (RFC 9562, section 5.7), most significant bits first:
 *   unix_ts_ms 48 | ver 4 (0111) | rand_a 12 | var 2 (10) | rand_b 62
 * rand_a holds the sub-millisecond fraction of the clock in 1/4096 ms steps (about
 * 244 ns), RFC 9562 section 6.2 "method 3". That keeps ids from one host in creation
 * order even within a millisecond without a counter, which would need state kept between
 * calls (a global, or a context every caller threads through) for little gain: two ids
 * made within the same 244 ns step are ordered by their random bits, and 62 random bits
 * still make a collision between devices negligible. If the real-time clock is stepped
 * back (NTP, a kiosk without a battery) ids made afterwards sort before older ones; they
 * stay unique, and nothing in bawaba relies on ids for ordering across such a step. */
int bw_uuid_v7(char out[37], bw_err *e)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b[16];
	struct timespec ts;
	int rc;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return bw_fail(e, BW_EIO, "uuid: clock_gettime: %s", strerror(errno));
	rc = fill_random(b + 8, 8, e);
	if (rc != BW_OK)
		return rc;

	uint64_t ms = (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
	/* fraction of the current millisecond, scaled to 0..4095 */
	uint32_t frac = (uint32_t)(((uint64_t)(ts.tv_nsec % 1000000) * 4096u) / 1000000u);

	for (int i = 0; i < 6; i++)
		b[i] = (unsigned char)(ms >> (40 - 8 * i));
	b[6] = (unsigned char)(0x70 | (frac >> 8));
	b[7] = (unsigned char)(frac & 0xFF);
	b[8] = (unsigned char)(0x80 | (b[8] & 0x3F));

	char *o = out;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*o++ = '-';
		*o++ = hex[b[i] >> 4];
		*o++ = hex[b[i] & 0x0F];
	}
	*o = '\0';
	return BW_OK;
}

int bw_uuid_valid(const char *s)
{
	for (int i = 0; i < 36; i++) {
		char c = s[i];
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return 0;
		} else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
			return 0; /* also stops at a NUL before 36 characters */
		}
	}
	return s[36] == '\0';
}

static int hexval(char c)
{
	return c <= '9' ? c - '0' : c - 'a' + 10;
}

/* Returns 0 for anything but a valid text form with version 7 and the RFC variant. */
int64_t bw_uuid_ms(const char *s)
{
	int64_t ms = 0;

	if (!bw_uuid_valid(s) || s[14] != '7' || !strchr("89ab", s[19]))
		return 0;
	/* the 48-bit timestamp is the first 12 hex digits: "xxxxxxxx-xxxx" */
	for (int i = 0; i < 13; i++)
		if (i != 8)
			ms = ms * 16 + hexval(s[i]);
	return ms;
}
