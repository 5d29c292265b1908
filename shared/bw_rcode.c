/* bw_rcode.c: the receipt code: random digits from the kernel, compared in constant time,
 * hashed with crypt(3) for a device that must not keep it in clear. */
#include "bw_rcode.h"

#include <crypt.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "bw_text.h"

int bw_rcode_make(char code[BW_RCODE_LEN + 1], bw_err *e)
{
	uint16_t v;
	code[0] = '\0';
	/* 60000 is the largest multiple of 10000 below 65536: drawing again above it keeps
	 * every code equally likely (a plain modulo would favour the low ones) */
	do {
		ssize_t n = getrandom(&v, sizeof v, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n != (ssize_t)sizeof v)
			return bw_fail(e, BW_EIO, "code: getrandom: %s", n < 0 ? strerror(errno) : "short read");
	} while (v >= 60000);
	snprintf(code, BW_RCODE_LEN + 1, "%04u", (unsigned)(v % 10000));
	return BW_OK;
}

int bw_rcode_valid(const char *s)
{
	for (int i = 0; i < BW_RCODE_LEN; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return s[BW_RCODE_LEN] == '\0';
}

int bw_rcode_match(const char *stored, const char *given)
{
	if (!stored || !given || !bw_rcode_valid(stored) || !bw_rcode_valid(given))
		return 0;
	unsigned diff = 0;
	for (int i = 0; i < BW_RCODE_LEN; i++)
		diff |= (unsigned)(stored[i] ^ given[i]);
	return diff == 0;
}

int bw_rcode_hash(const char *code, char *out, size_t size, bw_err *e)
{
	char setting[CRYPT_GENSALT_OUTPUT_SIZE];
	out[0] = '\0';
	if (!code || !bw_rcode_valid(code))
		return bw_fail(e, BW_EINVAL, "code: not %d digits", BW_RCODE_LEN);
	/* NULL random bytes: libxcrypt draws the salt from the kernel itself. The fewest
	 * rounds (1,000, ~1 ms): 10,000 codes are quickly tried whatever the cost, the point
	 * is that no code is on the disk in clear, not that the hash resists */
	if (!crypt_gensalt_rn("$5$", 1000, NULL, 0, setting, sizeof setting))
		return bw_fail(e, BW_EIO, "code: crypt_gensalt: %s", strerror(errno));
	struct crypt_data *cd = bw_xcalloc(1, sizeof *cd);
	const char *h = crypt_r(code, setting, cd);
	int rc = h && h[0] != '*' && bw_strlcpy(out, h, size) == BW_OK ? BW_OK
	       : bw_fail(e, BW_EIO, "code: crypt failed");
	free(cd);
	return rc;
}

int bw_rcode_hash_match(const char *hash, const char *given)
{
	if (!hash || !hash[0] || !given || !bw_rcode_valid(given))
		return 0;
	struct crypt_data *cd = bw_xcalloc(1, sizeof *cd);
	const char *h = crypt_r(given, hash, cd);
	size_t n = strlen(hash);
	unsigned diff = !h || strlen(h) != n;
	for (size_t i = 0; !diff && i < n; i++)
		diff |= (unsigned)(h[i] ^ hash[i]);
	free(cd);
	return diff == 0;
}
