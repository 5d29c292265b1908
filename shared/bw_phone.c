/* bw_phone.c: Moroccan phone numbers: the ways people write them, one E.164 form, masking. */
#include "bw_phone.h"

#include <stdio.h>
#include <string.h>

#include "bw_text.h"

#define NSN_LEN 9      /* digits after +212 (or after the national 0) */
#define MAX_DIGITS 20  /* E.164 allows 15; "00" and a stray 0 add a few */

/* What goes between digit groups when people write or paste a number: the separators of
 * any number (bw_text_is_separator) and parentheses ("+212 (0)6 ..."). */
static int is_separator(int32_t cp)
{
	return bw_text_is_separator(cp) || cp == '(' || cp == ')';
}

/* Length of the country code that starts d (ITU-T E.164 assignment): 1 and 7 are single
 * digits, a fixed list of two-digit codes, three digits for the rest. Used only to name
 * the country code in an error message, so "+33 6 ..." is reported as "+33...". */
static size_t country_code_len(const char *d)
{
	static const char two[] =
		"20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 "
		"60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98 ";

	if (d[0] == '1' || d[0] == '7')
		return 1;
	if (d[0] == '\0' || d[1] == '\0')
		return strlen(d);
	for (const char *p = two; *p; p += 3)
		if (p[0] == d[0] && p[1] == d[1])
			return 2;
	return d[2] ? 3 : 2;
}

/* Checks the 9 digits after 212 (intl = 1) or after the national 0 (intl = 0) and writes
 * "+212" + nsn; the length message counts the digits the way the citizen wrote them. */
static int finish(const char *nsn, int intl, char out[14], bw_err *e)
{
	size_t n = strlen(nsn);

	if (n != NSN_LEN && intl)
		return bw_fail(e, BW_EINVAL, "phone: %zu digit%s after +212, a Moroccan number "
		               "has %d", n, n == 1 ? "" : "s", NSN_LEN);
	if (n != NSN_LEN)
		return bw_fail(e, BW_EINVAL, "phone: %zu digit%s, a Moroccan number has %d "
		               "after the 0", n, n == 1 ? "" : "s", NSN_LEN);
	if (nsn[0] < '5' || nsn[0] > '7')
		return bw_fail(e, BW_EINVAL, "phone: 0%c... is neither a mobile (06, 07) nor a "
		               "fixed-line (05) number", nsn[0]);
	memcpy(out, "+212", 4);
	memcpy(out + 4, nsn, NSN_LEN + 1);
	return BW_OK;
}

/* Accepted shapes, after separators are dropped and digits folded to ASCII:
 *   0[567]XXXXXXXX                      national
 *   [567]XXXXXXXX                       national without its 0 (9 digits only)
 *   +212 / 00212 / 212, then [0]XXXXXXXXX  international; the 0 after 212 is a mistake
 *                                       people make ("+212 (0)6 ...") and is dropped. */
int bw_phone_normalize(const char *in, char out[14], bw_err *e)
{
	char d[MAX_DIGITS + 1];
	size_t n = 0;
	int plus = 0;
	const char *p = in, *at;
	int32_t cp;

	out[0] = '\0';
	if (!in)
		return bw_fail(e, BW_EINVAL, "phone: missing");
	for (int v; (v = bw_text_next_digit(&p, is_separator, &cp, &at)) != -1;) {
		if (v >= 0) {
			if (n < MAX_DIGITS)
				d[n] = (char)('0' + v);
			n++;
		} else if (cp == '+' || cp == 0xFF0B /* FULLWIDTH PLUS */) {
			if (plus || n > 0)
				return bw_fail(e, BW_EINVAL, "phone: '+' only at the start");
			plus = 1;
		} else {
			return bw_text_refuse(e, "phone", cp, at, p);
		}
	}
	if (n == 0)
		return bw_fail(e, BW_EINVAL, plus ? "phone: no digits after '+'" : "phone: empty");
	if (n > MAX_DIGITS)
		return bw_fail(e, BW_EINVAL, "phone: %zu digits, too many for a phone number", n);
	d[n] = '\0';

	const char *intl = NULL;
	if (plus)
		intl = d;
	else if (d[0] == '0' && d[1] == '0')
		intl = d + 2;
	else if (strncmp(d, "212", 3) == 0)
		intl = d;

	if (intl) {
		if (strncmp(intl, "212", 3) != 0) {
			if (*intl == '\0')
				return bw_fail(e, BW_EINVAL, "phone: no digits after the 00 prefix");
			return bw_fail(e, BW_EINVAL, "phone: not a Moroccan number (+%.*s...)",
			               (int)country_code_len(intl), intl);
		}
		const char *nsn = intl + 3;
		if (nsn[0] == '0')
			nsn++;
		return finish(nsn, 1, out, e);
	}
	if (d[0] == '0')
		return finish(d + 1, 0, out, e);
	if (d[0] >= '5' && d[0] <= '7')
		return finish(d, 0, out, e);
	return bw_fail(e, BW_EINVAL, "phone: a Moroccan number starts with 05, 06, 07 or +212");
}

/* Only the exact output of bw_phone_normalize counts. */
static int is_e164_ma(const char *s)
{
	if (strncmp(s, "+212", 4) != 0 || strlen(s) != 4 + NSN_LEN)
		return 0;
	for (int i = 4; i < 4 + NSN_LEN; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return s[4] >= '5' && s[4] <= '7';
}

int bw_phone_is_mobile(const char *e164)
{
	return is_e164_ma(e164) && (e164[4] == '6' || e164[4] == '7');
}

/* Keeps the first digit after 212 (it says mobile or fixed line, which staff need to know)
 * and the last two (enough to tell a citizen's numbers apart); the rest is starred.
 * Anything that is not a normalised number gives "***", so a raw value never reaches a
 * log. out needs 17 bytes; a smaller buffer gets a cut, NUL-terminated mask. */
char *bw_phone_mask(const char *e164, char *out, unsigned outsz)
{
	if (outsz == 0)
		return out;
	if (!e164 || !is_e164_ma(e164))
		snprintf(out, outsz, "***");
	else
		snprintf(out, outsz, "+212 %c** *** *%c%c", e164[4], e164[11], e164[12]);
	return out;
}
