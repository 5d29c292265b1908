/* fold.c: folding citizen text for matching (sms_normalize), cutting it into words, and copying the citizen's own text out of a message. */
#include "fold.h"

#include <string.h>

#include "bw_text.h"
#include "grammar.h"

/* ---- Folding one code point -------------------------------------------------------- */

#define SPACE ((uint32_t)' ')

/* Latin-1 letters U+00C0-U+00DF (and U+00E0-U+00FE, their lower-case forms): the base
 * letters a French keyboard-less phone would have typed. NULL keeps × and ÷. */
static const char *const latin1_fold[32] = {
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "ss",
};

static int is_raw_space(int32_t c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xA0 || c == 0x1680 ||
	       (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
	       c == 0x205F || c == 0x3000;
}

/* Invisible format characters: zero-width, bidi controls, BOM, variation selectors. */
static int is_invisible(int32_t c)
{
	return c == 0xAD || c == 0x34F || c == 0x61C || c == 0x180E ||
	       (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
	       (c >= 0x2060 && c <= 0x206F) || c == 0xFEFF || (c >= 0xFE00 && c <= 0xFE0F) ||
	       (c >= 0xE0000 && c <= 0xE007F);
}

/* Arabic harakat, Quranic annotation marks and tatweel: they never change which word it is. */
static int is_arabic_mark(int32_t c)
{
	return c == 0x640 || (c >= 0x610 && c <= 0x61A) || (c >= 0x64B && c <= 0x65F) ||
	       c == 0x670 || (c >= 0x6D6 && c <= 0x6DC) || (c >= 0x6DF && c <= 0x6E4) ||
	       c == 0x6E7 || c == 0x6E8 || (c >= 0x6EA && c <= 0x6ED);
}

/* Arabic letters, Arabic-Indic digits and Arabic punctuation: a message of digits typed
 * on an Arabic keypad ("٠٠١٢ ٣٤٥٦ ٧٨٩٤", "؟") is best answered in Arabic too. */
static int is_arabic_script(int32_t c)
{
	return (c >= 0x660 && c <= 0x669) || (c >= 0x6F0 && c <= 0x6F9) ||
	       c == 0x60C || c == 0x61B || c == 0x61F ||
	       (c >= 0x620 && c <= 0x64A && c != 0x640) || (c >= 0x66E && c <= 0x6D3) ||
	       c == 0x6D5 || c == 0x6EE || c == 0x6EF || (c >= 0x6FA && c <= 0x6FF) ||
	       (c >= 0x750 && c <= 0x77F) || (c >= 0x8A0 && c <= 0x8FF) ||
	       (c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFC);
}

/* Folds code point c into out[0..3); returns how many (0: dropped). White space becomes
 * one SPACE. */
static int fold_cp(int32_t c, uint32_t out[3])
{
	const char *s;
	int d, n;

	if (is_raw_space(c)) {
		out[0] = SPACE;
		return 1;
	}
	if (c < 0x20 || (c >= 0x7F && c < 0xA0) || is_invisible(c) || is_arabic_mark(c))
		return 0;
	if (c >= 'A' && c <= 'Z') {
		out[0] = (uint32_t)(c + 32);
		return 1;
	}
	if (c >= 0xC0 && c <= 0xFF) {
		s = c == 0xFF ? "y" : latin1_fold[(c - 0xC0) & 0x1F];
		if (c == 0xFE)
			s = "th";
		if (s) {
			for (n = 0; s[n]; n++)
				out[n] = (uint32_t)(unsigned char)s[n];
			return n;
		}
	}
	d = bw_digit_value(c);
	if (d >= 0) {
		out[0] = (uint32_t)('0' + d);
		return 1;
	}
	switch (c) {
	case 0x152: case 0x153: out[0] = 'o'; out[1] = 'e'; return 2;   /* œ */
	case 0x178: out[0] = 'y'; return 1;
	case 0x622: case 0x623: case 0x625: case 0x671: case 0x672: case 0x673:
		out[0] = 0x627; return 1;                                  /* alef */
	case 0x629: out[0] = 0x647; return 1;                              /* ة → ه */
	case 0x649: case 0x6CC: case 0x626: out[0] = 0x64A; return 1;      /* ى ی ئ → ي */
	case 0x624: out[0] = 0x648; return 1;                              /* ؤ → و */
	case 0x6A9: out[0] = 0x643; return 1;                              /* Persian keheh */
	case 0x60C: case 0x66C: out[0] = ','; return 1;
	case 0x61B: out[0] = ';'; return 1;
	case 0x61F: out[0] = '?'; return 1;
	case 0x66B: case 0x6D4: out[0] = '.'; return 1;
	case 0x66A: out[0] = '%'; return 1;
	case 0xB4: case 0x2BC: case 0x2018: case 0x2019: case 0x201B: case 0x2032:
		out[0] = '\''; return 1;
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
	case 0x2212:
		out[0] = '-'; return 1;
	}
	out[0] = (uint32_t)c;
	return 1;
}

/* One source code point and its folded form. */
typedef struct unit {
	size_t off, end;   /* its bytes in the source: [off, end) */
	int32_t raw;       /* the code point, -1 for a malformed byte */
	int n;             /* folded code points in cp (0: dropped) */
	uint32_t cp[3];
} unit;

/* Reads the unit at s[*pos] and advances *pos; returns 0 at the end of the string. */
static int next_unit(const char *s, size_t *pos, unit *u)
{
	const char *p = s + *pos;
	int32_t c;

	if (*p == '\0')
		return 0;
	c = bw_utf8_next(&p);
	u->off = *pos;
	u->end = (size_t)(p - s);
	if (u->end <= u->off)   /* bw_utf8_next always advances; never loop if it did not */
		u->end = u->off + 1;
	*pos = u->end;
	if (c <= 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
		u->raw = -1;
		u->n = 0;
		return 1;
	}
	u->raw = c;
	u->n = fold_cp(c, u->cp);
	return 1;
}

/* ---- sms_normalize ------------------------------------------------------------------ */

int sms_normalize(const char *utf8_in, char *out, size_t outsz)
{
	size_t pos = 0, len = 0;
	int pending_space = 0;
	unit u;

	if (!utf8_in || !out || outsz == 0)
		return BW_EINVAL;
	out[0] = '\0';
	while (next_unit(utf8_in, &pos, &u)) {
		for (int i = 0; i < u.n; i++) {
			char enc[4];
			size_t k;

			if (u.cp[i] == SPACE) {
				pending_space = len > 0;
				continue;
			}
			k = bw_utf8_put(u.cp[i], enc);
			if (len + (size_t)pending_space + k + 1 > outsz) {
				out[len] = '\0';
				return BW_ETOOBIG;
			}
			if (pending_space)
				out[len++] = ' ';
			pending_space = 0;
			memcpy(out + len, enc, k);
			len += k;
		}
	}
	out[len] = '\0';
	return BW_OK;
}

/* ---- Words ---------------------------------------------------------------------------
 * A word is a run of letters and digits of the folded text; everything else separates
 * words, except "?", which is a word by itself (it is the help keyword). */

static int is_word_cp(uint32_t c)
{
	if (c < 0x80)
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
	if (c < 0xC0 || c == 0xD7 || c == 0xF7)
		return 0;
	if ((c >= 0x600 && c <= 0x60F) || (c >= 0x61B && c <= 0x61F) ||
	    (c >= 0x66A && c <= 0x66D) || c == 0x6D4 || c == 0x6DD || c == 0x6DE || c == 0x6E9)
		return 0;
	if ((c >= 0x2000 && c <= 0x2BFF) || (c >= 0x3000 && c <= 0x303F) ||
	    (c >= 0xE000 && c <= 0xF8FF) || (c >= 0xFE00 && c <= 0xFE6F) ||
	    (c >= 0xFF00 && c <= 0xFF0F) || (c >= 0x1F000 && c <= 0x1FAFF) || c >= 0xE0000)
		return 0;
	return 1;
}

static int is_num_sep(uint32_t c)
{
	return c == SPACE || c == '-' || c == '.' || c == '/';
}

/* Splits s into words (at most ws->cap kept). Dropped characters (harakat, tatweel,
 * zero-width marks, invalid bytes) do not end a word: "شكـــاية" stays one word. */
void sms_split_words(const char *s, words *ws)
{
	size_t pos = 0;
	int open = 0, gap_num = 1;
	word *cur = NULL;
	unit u;

	ws->n = 0;
	ws->more = 0;
	ws->arabic = 0;
	while (next_unit(s, &pos, &u)) {
		if (is_arabic_script(u.raw))
			ws->arabic = 1;
		for (int i = 0; i < u.n; i++) {
			uint32_t c = u.cp[i];
			int q = c == '?';

			if (is_word_cp(c) && open && !cur->qmark) {
				if (cur->n < WORD_CP)
					cur->cp[cur->n] = c;
				cur->n++;
				cur->digits &= c >= '0' && c <= '9';
				cur->letters |= !(c >= '0' && c <= '9');
				cur->end = u.end;
				continue;
			}
			open = 0;
			if (!is_word_cp(c) && !q) {
				gap_num &= is_num_sep(c);
				continue;
			}
			if (ws->n == ws->cap) {
				ws->more = 1;
				continue;
			}
			cur = &ws->w[ws->n++];
			memset(cur, 0, sizeof *cur);
			cur->cp[0] = c;
			cur->n = 1;
			cur->qmark = q;
			cur->digits = c >= '0' && c <= '9';
			cur->letters = !q && !cur->digits;
			cur->num_gap = gap_num;
			cur->off = u.off;
			cur->end = u.end;
			open = 1;
			gap_num = 1;
		}
	}
}

/* 0 if a equals b, 1 if one edit apart (insertion, deletion, substitution, or swap of two
 * neighbours: the restricted Damerau-Levenshtein distance), else 2. */
/* ---- Copying the citizen's own text -------------------------------------------------- */

/* Characters left out where a body starts: white space, invisible marks, and the
 * punctuation people put after a keyword ("plainte: ...", "chikaya - ..."). */
static int is_lead_skip(int32_t c)
{
	return c < 0 || is_raw_space(c) || is_invisible(c) || c == ':' || c == '-' ||
	       c == ',' || c == '.' || c == ';' || c == '!' || c == 0x60C || c == 0x61B ||
	       (c >= 0x2010 && c <= 0x2015);
}

/* Copies s from byte from up to byte until into dst[dstsz] as written: leading separators
 * and trailing space dropped (trailing separators too when the copy stops before the end:
 * "lma maqtou3, | chikaya"), invalid bytes and control characters other than tab and
 * newline dropped, at most BW_TEXT_MAX characters. Returns 1 if it had to cut. */
int sms_copy_text(const char *s, size_t from, size_t until, char *dst, size_t dstsz)
{
	size_t pos = from, len = 0, keep = 0, chars = 0;
	int started = 0;
	unit u;

	dst[0] = '\0';
	while (next_unit(s, &pos, &u) && u.off < until) {
		size_t k = u.end - u.off;

		if (!started && is_lead_skip(u.raw))
			continue;
		started = 1;
		if (u.raw < 0 || (u.raw < 0x20 && u.raw != '\t' && u.raw != '\n') ||
		    (u.raw >= 0x7F && u.raw < 0xA0))
			continue;
		if (chars == BW_TEXT_MAX || len + k + 1 > dstsz) {
			dst[keep] = '\0';
			return 1;
		}
		memcpy(dst + len, s + u.off, k);
		len += k;
		chars++;
		if (until == SIZE_MAX ? !is_raw_space(u.raw) : !is_lead_skip(u.raw))
			keep = len;
	}
	dst[keep] = '\0';
	return 0;
}
