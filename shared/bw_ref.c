/* bw_ref.c: reference numbers: Damm check digit, making, tolerant reading and display grouping. */
#include "bw_ref.h"

#include <stdio.h>
#include <string.h>

#include "bw_text.h"

#define REF_DIGITS 12

/* Damm's weakly totally anti-symmetric quasigroup of order 10 (H. M. Damm, 2004), the
 * table everyone publishes. Its two properties are why it was chosen over Luhn: every
 * single-digit substitution and every swap of two adjacent digits changes the result,
 * and a full string (data + check digit) always reduces to 0, so checking needs no
 * separate comparison. */
static const unsigned char damm[10][10] = {
	{0, 3, 1, 7, 5, 9, 8, 6, 4, 2},
	{7, 0, 9, 2, 1, 5, 4, 8, 6, 3},
	{4, 2, 0, 6, 8, 7, 1, 3, 5, 9},
	{1, 7, 5, 0, 9, 8, 3, 4, 2, 6},
	{6, 1, 2, 3, 0, 4, 5, 9, 7, 8},
	{3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
	{5, 8, 6, 9, 7, 2, 0, 1, 3, 4},
	{8, 9, 4, 5, 3, 6, 2, 0, 1, 7},
	{9, 4, 3, 8, 6, 1, 7, 2, 0, 5},
	{2, 5, 8, 1, 4, 3, 6, 7, 9, 0},
};

/* Returns the Damm check digit of digits[0..n), or -1 if one of them is not 0-9. */
int bw_damm_digit(const char *digits, size_t n)
{
	unsigned interim = 0;

	for (size_t i = 0; i < n; i++) {
		if (digits[i] < '0' || digits[i] > '9')
			return -1;
		interim = damm[interim][digits[i] - '0'];
	}
	return (int)interim;
}

int bw_ref_make(unsigned device, uint32_t seq, char out[13], bw_err *e)
{
	if (device > BW_REF_DEVICE_MAX)
		return bw_fail(e, BW_EINVAL, "reference: device %u out of range (0-%u)",
		               device, BW_REF_DEVICE_MAX);
	if (seq < 1 || seq > BW_REF_SEQ_MAX)
		return bw_fail(e, BW_EINVAL, "reference: sequence %lu out of range (1-%u)",
		               (unsigned long)seq, BW_REF_SEQ_MAX);
	snprintf(out, 13, "%04u%07lu", device, (unsigned long)seq);
	out[11] = (char)('0' + bw_damm_digit(out, 11));
	out[12] = '\0';
	return BW_OK;
}

/* Characters a citizen or a copy-paste puts between digits. Besides the visible
 * separators, NBSP and narrow NBSP come from word processors and French typography,
 * and the invisible bidi controls (LRM, RLM, ALM, isolates) ride along when a number
 * is copied out of Arabic text: none of them is something the citizen typed. */
static int is_separator(int32_t cp)
{
	switch (cp) {
	case ' ': case '\t': case '\r': case '\n':
	case '-': case '.': case '/':
	case 0x00A0: /* NO-BREAK SPACE */
	case 0x202F: /* NARROW NO-BREAK SPACE */
	case 0x066C: /* ARABIC THOUSANDS SEPARATOR, what an Arabic keyboard groups with */
	case 0x061C: /* ARABIC LETTER MARK */
	case 0x200E: /* LEFT-TO-RIGHT MARK */
	case 0x200F: /* RIGHT-TO-LEFT MARK */
	case 0x2066: case 0x2067: case 0x2068: case 0x2069: /* isolates LRI RLI FSI PDI */
		return 1;
	}
	return 0;
}

/* Writes a printable rendering of the code point that starts at bad (len bytes) into
 * out, for error messages: 'x' for printable ASCII, the character and its code point
 * otherwise, U+XXXX for controls, the byte for broken UTF-8. */
static void describe(int32_t cp, const char *bad, size_t len, char *out, size_t outsz)
{
	if (cp < 0)
		snprintf(out, outsz, "byte 0x%02X (not UTF-8)", (unsigned)(unsigned char)*bad);
	else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
		snprintf(out, outsz, "U+%04X", (unsigned)cp);
	else if (cp < 0x80)
		snprintf(out, outsz, "'%c'", (char)cp);
	else
		snprintf(out, outsz, "'%.*s' (U+%04X)", (int)len, bad, (unsigned)cp);
}

/* Accepts ASCII and both Arabic digit sets (bw_digit_value) and skips separators
 * anywhere, not only between groups of four: a citizen who types "00 12 3456-7894" means
 * the reference. Sequence 0 is never issued by bw_ref_make, but a reference with it and a
 * right check digit is still reported as well-formed; the lookup will say it is unknown. */
int bw_ref_parse(const char *in, char out[13], bw_err *e)
{
	const char *p = in;
	size_t n = 0;

	if (!in)
		return bw_fail(e, BW_EINVAL, "reference: missing");
	while (*p) {
		const char *at = p;
		int32_t cp = bw_utf8_next(&p);
		int d = bw_digit_value(cp);

		if (d >= 0) {
			if (n < REF_DIGITS)
				out[n] = (char)('0' + d);
			n++;
		} else if (!is_separator(cp)) {
			char what[48];
			describe(cp, at, (size_t)(p - at), what, sizeof what);
			out[0] = '\0';
			return bw_fail(e, BW_EINVAL, "reference: unexpected character %s", what);
		}
	}
	if (n == 0) {
		out[0] = '\0';
		return bw_fail(e, BW_EINVAL, "reference: empty, 12 digits expected");
	}
	if (n != REF_DIGITS) {
		out[0] = '\0';
		return bw_fail(e, BW_EINVAL, "reference: %zu digit%s, a reference has %d",
		               n, n == 1 ? "" : "s", REF_DIGITS);
	}
	out[REF_DIGITS] = '\0';
	/* a full Damm string reduces to 0 */
	if (bw_damm_digit(out, REF_DIGITS) != 0) {
		out[0] = '\0';
		return bw_fail(e, BW_EINVAL, "reference: check digit does not match "
		               "(a digit mistyped or two swapped?)");
	}
	return BW_OK;
}

char *bw_ref_format(const char *ref, const char *sep, char *out, size_t outsz)
{
	size_t len = strlen(ref);

	if (outsz == 0)
		return out;
	if (len != REF_DIGITS) {
		/* not a reference: shown as it is rather than grouped wrongly */
		snprintf(out, outsz, "%s", ref);
		return out;
	}
	snprintf(out, outsz, "%.4s%s%.4s%s%.4s", ref, sep, ref + 4, sep, ref + 8);
	return out;
}

/* Returns BW_REF_DEVICE_MAX + 1 when ref is not 12 ASCII digits, so a caller that skipped
 * validation gets a number no device has rather than the hub's 0. */
unsigned bw_ref_device(const char *ref)
{
	unsigned device = 0;

	if (strlen(ref) != REF_DIGITS || bw_damm_digit(ref, REF_DIGITS) < 0)
		return BW_REF_DEVICE_MAX + 1;
	for (int i = 0; i < 4; i++)
		device = device * 10 + (unsigned)(ref[i] - '0');
	return device;
}

uint32_t bw_ref_seq(const char *ref)
{
	uint32_t v = 0;
	for (int i = 0; i < 12; i++)
		if (ref[i] < '0' || ref[i] > '9')
			return 0;
	if (ref[12])
		return 0;
	for (int i = 4; i < 11; i++)
		v = v * 10 + (uint32_t)(ref[i] - '0');
	return v;
}
