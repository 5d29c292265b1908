/* bw_text.c: strict UTF-8 decoding and encoding, digit folding across scripts, trimming. */
#include "bw_text.h"

#include <string.h>

/* Decodes one code point from s[0..n) (n >= 1). Returns the code point and sets *len to
 * the bytes used, or returns -1 with *len = 1 for a malformed or truncated sequence.
 * The ranges follow the Unicode table of well-formed byte sequences (Table 3-7), which
 * rules out overlongs (C0, C1, E0 80-9F, F0 80-8F), surrogates (ED A0-BF) and anything
 * above U+10FFFF (F4 90-BF, F5-FF) by the second byte alone. */
static int32_t decode(const unsigned char *s, size_t n, size_t *len)
{
	unsigned char b = s[0];
	unsigned char lo = 0x80, hi = 0xBF;
	size_t need;
	int32_t cp;

	*len = 1;
	if (b < 0x80)
		return b;
	if (b >= 0xC2 && b <= 0xDF) {
		need = 1;
		cp = b & 0x1F;
	} else if (b >= 0xE0 && b <= 0xEF) {
		need = 2;
		cp = b & 0x0F;
		if (b == 0xE0)
			lo = 0xA0;
		else if (b == 0xED)
			hi = 0x9F;
	} else if (b >= 0xF0 && b <= 0xF4) {
		need = 3;
		cp = b & 0x07;
		if (b == 0xF0)
			lo = 0x90;
		else if (b == 0xF4)
			hi = 0x8F;
	} else {
		return -1;
	}
	if (n - 1 < need)
		return -1;
	for (size_t i = 1; i <= need; i++) {
		unsigned char c = s[i];
		/* only the first continuation byte has the narrowed range */
		if (c < (i == 1 ? lo : 0x80) || c > (i == 1 ? hi : 0xBF))
			return -1;
		cp = (cp << 6) | (c & 0x3F);
	}
	*len = need + 1;
	return cp;
}

int bw_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len;

	while (n > 0) {
		if (decode(p, n, &len) < 0)
			return 0;
		p += len;
		n -= len;
	}
	return 1;
}

size_t bw_utf8_len(const char *s)
{
	size_t count = 0;

	while (*s) {
		bw_utf8_next(&s);
		count++;
	}
	return count;
}

int32_t bw_utf8_next(const char **p)
{
	const unsigned char *s = (const unsigned char *)*p;
	size_t avail, len;
	int32_t cp;

	/* A NUL ends a C string, so at most 4 bytes are looked at and never past the NUL:
	 * a NUL is not a continuation byte, which makes the sequence malformed first. */
	avail = 1;
	if (s[0] != '\0')
		while (avail < 4 && s[avail] != '\0')
			avail++;
	cp = decode(s, avail, &len);
	*p += len;
	return cp;
}

size_t bw_utf8_put(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;

	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return 0;
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	if (cp <= 0x10FFFF) {
		o[0] = (unsigned char)(0xF0 | (cp >> 18));
		o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
		o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[3] = (unsigned char)(0x80 | (cp & 0x3F));
		return 4;
	}
	return 0;
}

int bw_digit_value(int32_t cp)
{
	if (cp >= '0' && cp <= '9')
		return cp - '0';
	if (cp >= 0x0660 && cp <= 0x0669)
		return cp - 0x0660;
	if (cp >= 0x06F0 && cp <= 0x06F9)
		return cp - 0x06F0;
	return -1;
}

/* The C locale's isspace() set, spelled out so the result never depends on setlocale(). */
static int is_ascii_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

char *bw_trim(char *s)
{
	size_t start = 0, end = strlen(s);

	while (start < end && is_ascii_space(s[start]))
		start++;
	while (end > start && is_ascii_space(s[end - 1]))
		end--;
	if (start > 0)
		memmove(s, s + start, end - start);
	s[end - start] = '\0';
	return s;
}

/* ---- control characters (issue 11) ---- */

int bw_text_is_control(int32_t cp)
{
	return (cp >= 0 && cp < 0x20 && cp != '\n') || cp == 0x7F ||
	       (cp >= 0x80 && cp <= 0x9F) ||          /* C1: ESC [ in one byte pair on some terminals */
	       (cp >= 0x202A && cp <= 0x202E) ||      /* bidi embeddings and overrides */
	       (cp >= 0x2066 && cp <= 0x2069);        /* bidi isolates */
}

size_t bw_text_strip_controls(char *s)
{
	char *out = s;
	const char *p = s;
	size_t removed = 0;
	while (*p) {
		const char *start = p;
		int32_t cp = bw_utf8_next(&p);
		if (cp == '\t') {
			*out++ = ' ';
		} else if (cp >= 0 && bw_text_is_control(cp)) {
			removed++;
		} else {
			/* malformed bytes are validation's to refuse: copied as they are */
			while (start < p)
				*out++ = *start++;
		}
	}
	*out = '\0';
	return removed;
}

void bw_text_fput(FILE *fp, const char *s, int keep_newlines)
{
	const char *p = s;
	while (*p) {
		const char *start = p;
		int32_t cp = bw_utf8_next(&p);
		if (cp < 0)
			fprintf(fp, "\\x%02x", (unsigned char)*start);
		else if (cp == '\n' && !keep_newlines)
			fputs("\\n", fp);
		else if (cp == '\\')
			fputs("\\\\", fp);
		else if (cp < 0x80 && bw_text_is_control(cp))
			fprintf(fp, "\\x%02x", (unsigned)cp);
		else if (bw_text_is_control(cp))
			fprintf(fp, "\\u%04x", (unsigned)cp);
		else
			fwrite(start, 1, (size_t)(p - start), fp);
	}
}
