/* grammar.c: the citizen SMS grammar: text folding, keyword matching, and what a message asks. */
#include "grammar.h"

#include <stdint.h>
#include <string.h>

#include "bw_ref.h"
#include "bw_text.h"

#define K_NONE (-1)

const char *sms_intent_name(sms_intent i)
{
	static const char *const names[SMS_INTENT_COUNT] = {
		[SMS_UNKNOWN] = "unknown", [SMS_FILE] = "file", [SMS_STATUS] = "status",
		[SMS_HELP] = "help", [SMS_STOP] = "stop", [SMS_START] = "start",
		[SMS_MENU_ANSWER] = "menu_answer",
	};
	if ((unsigned)i < SMS_INTENT_COUNT)
		return names[i];
	return "unknown";
}

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

#define WORD_CP 32     /* folded code points kept per word; longer words match no keyword */
#define MSG_WORDS 40   /* words of a message looked at; the rest is only body text */
#define KW_WORDS 6     /* words in a keyword spelling */
#define STOP_TAIL_WORDS 2 /* words allowed after STOP/START ("stop merci", "baraka men sms") */

typedef struct word {
	uint32_t cp[WORD_CP];
	size_t n;            /* true length in code points (may exceed WORD_CP) */
	int digits;          /* only digits */
	int letters;         /* at least one letter */
	int qmark;           /* the "?" word */
	int num_gap;         /* what separates it from the previous word is only " -./" */
	size_t off, end;     /* its bytes in the source */
} word;

typedef struct words {
	word *w;
	size_t cap, n;
	int more;            /* words were left off after cap */
	int arabic;          /* the text has an Arabic letter or digit */
} words;

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
static void split_words(const char *s, words *ws)
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
static int edit_distance01(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	size_t i = 0;

	if (na > nb) {
		const uint32_t *t = a;
		size_t tn = na;
		a = b; na = nb; b = t; nb = tn;
	}
	if (nb - na > 1)
		return 2;
	while (i < na && a[i] == b[i])
		i++;
	if (na == nb) {
		if (i == na)
			return 0;
		if (memcmp(a + i + 1, b + i + 1, (na - i - 1) * sizeof *a) == 0)
			return 1;
		if (i + 1 < na && a[i] == b[i + 1] && a[i + 1] == b[i] &&
		    memcmp(a + i + 2, b + i + 2, (na - i - 2) * sizeof *a) == 0)
			return 1;
		return 2;
	}
	if (na + 1 == nb && memcmp(a + i, b + i + 1, (na - i) * sizeof *a) == 0)
		return 1;
	return 2;
}

/* How far word w is from keyword word k[0..kn): 0 exact, 1 one typo (keywords of 5+
 * letters only), 2 no match. An Arabic article "ال" in front of w is ignored unless k
 * has one. */
static int word_distance(const word *w, const uint32_t *k, size_t kn)
{
	static const uint32_t al[2] = { 0x627, 0x644 };
	int d, d2;

	if (w->n > WORD_CP)
		return 2;
	d = edit_distance01(w->cp, w->n, k, kn);
	if (d > 0 && w->n > 3 && memcmp(w->cp, al, sizeof al) == 0 &&
	    !(kn > 2 && memcmp(k, al, sizeof al) == 0)) {
		d2 = edit_distance01(w->cp + 2, w->n - 2, k, kn);
		if (d2 < d)
			d = d2;
	}
	if (d == 1 && kn < 5)
		return 2;
	return d;
}

/* The keyword table split into folded words, made once per sms_parse (the table is
 * const and there are no globals, so it cannot be kept between calls). */
#define KW_CP 48       /* folded code points of one spelling, all its words */

typedef struct kwform {
	uint8_t nw;                  /* words; 0 if the spelling is too long to use */
	uint8_t start[KW_WORDS], len[KW_WORDS];
	uint32_t cp[KW_CP];
} kwform;

/* The table (keywords.c) and its folded forms, row by row. */
typedef struct kwtab {
	const sms_keyword *k;
	size_t n;
	kwform f[SMS_KEYWORDS_MAX];
} kwtab;

static void prepare_keywords(kwtab *kt)
{
	word kw[KW_WORDS];
	words ks = { kw, KW_WORDS, 0, 0, 0 };

	kt->k = sms_keywords(&kt->n);
	for (size_t r = 0; r < kt->n; r++) {
		kwform *f = &kt->f[r];
		size_t used = 0;

		split_words(kt->k[r].spelling, &ks);
		f->nw = 0;
		if (ks.more)
			continue;
		for (size_t j = 0; j < ks.n; j++) {
			if (kw[j].n > WORD_CP || used + kw[j].n > KW_CP)
				goto unusable;
			f->start[j] = (uint8_t)used;
			f->len[j] = (uint8_t)kw[j].n;
			memcpy(f->cp + used, kw[j].cp, kw[j].n * sizeof kw[j].cp[0]);
			used += kw[j].n;
		}
		f->nw = (uint8_t)ks.n;
	unusable:;
	}
}

/* The best keyword row starting at word i: most words first, then fewest typos. A typo
 * as close to two different keywords ("statt": statut or start?) matches neither: the
 * gateway's menu is a better answer than a guess. Returns the row index or -1; *len
 * gets the words it covers. */
static int match_keyword(const kwtab *kt, const words *ws, size_t i, size_t *len)
{
	const sms_keyword *keywords = kt->k;
	int best = -1, best_d = 0, ambiguous = 0;
	size_t best_len = 0;

	for (size_t r = 0; r < kt->n; r++) {
		const kwform *f = &kt->f[r];
		int d = 0;

		if (f->nw == 0 || i + f->nw > ws->n)
			continue;
		for (size_t j = 0; j < f->nw && d < 2; j++) {
			int dj = word_distance(&ws->w[i + j], f->cp + f->start[j], f->len[j]);
			d = dj == 2 ? 2 : d + dj;
		}
		if (d >= 2)
			continue;
		if (f->nw > best_len || (f->nw == best_len && d < best_d)) {
			best = (int)r;
			best_len = f->nw;
			best_d = d;
			ambiguous = 0;
		} else if (f->nw == best_len && d == best_d &&
		           (keywords[r].intent != keywords[best].intent ||
		            keywords[r].kind != keywords[best].kind)) {
			ambiguous = 1;
		}
	}
	if (ambiguous) {
		*len = 0;
		return -1;
	}
	*len = best_len;
	return best;
}

/* ---- Copying the citizen's own text -------------------------------------------------- */

/* Characters left out where a body starts: white space, invisible marks, and the
 * punctuation people put after a keyword ("plainte: ...", "chikaya - ..."). */
static int is_lead_skip(int32_t c)
{
	return c < 0 || is_raw_space(c) || is_invisible(c) || c == ':' || c == '-' ||
	       c == ',' || c == '.' || c == ';' || c == '!' || c == 0x60C || c == 0x61B ||
	       (c >= 0x2010 && c <= 0x2015);
}

/* Copies s from byte from on into dst[dstsz] as written: leading separators and
 * trailing space dropped, invalid bytes and control characters other than tab and
 * newline dropped, at most BW_TEXT_MAX characters. Returns 1 if it had to cut. */
static int copy_text(const char *s, size_t from, char *dst, size_t dstsz)
{
	size_t pos = from, len = 0, keep = 0, chars = 0;
	int started = 0;
	unit u;

	dst[0] = '\0';
	while (next_unit(s, &pos, &u)) {
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
		if (!is_raw_space(u.raw))
			keep = len;
	}
	dst[keep] = '\0';
	return 0;
}

/* ---- sms_parse ----------------------------------------------------------------------- */

/* A number the citizen typed: consecutive digit words joined only by " -./". */
typedef struct number {
	size_t last;         /* its last word */
	size_t ndigits;
	char digits[24];     /* the first digits, ASCII */
} number;

static void read_number(const words *ws, size_t i, number *num)
{
	num->last = i;
	num->ndigits = 0;
	for (size_t j = i; j < ws->n && ws->w[j].digits && (j == i || ws->w[j].num_gap); j++) {
		const word *w = &ws->w[j];

		for (size_t k = 0; k < w->n && k < WORD_CP; k++)
			if (num->ndigits + k < sizeof num->digits - 1)
				num->digits[num->ndigits + k] = (char)w->cp[k];
		num->ndigits += w->n;
		num->last = j;
	}
	num->digits[num->ndigits < sizeof num->digits - 1 ? num->ndigits
	                                                  : sizeof num->digits - 1] = '\0';
}

/* A number close enough to 12 digits to be a mistyped reference, not a date or a count. */
static int near_ref_length(size_t n)
{
	return n >= BW_REF_LEN - 3 && n <= BW_REF_LEN + 3;
}

/* Fills out's ref fields from num; returns 1 if it was taken as a reference. */
static int take_ref(const number *num, sms_parsed *out)
{
	if (num->ndigits == BW_REF_LEN) {
		char ref[BW_REF_LEN + 1];

		if (bw_ref_parse(num->digits, ref, NULL) == BW_OK) {
			memcpy(out->ref, ref, sizeof ref);
		} else {
			memcpy(out->ref, num->digits, BW_REF_LEN);
			out->ref[BW_REF_LEN] = '\0';
			out->ref_bad_check = 1;
		}
		return 1;
	}
	if (near_ref_length(num->ndigits)) {
		out->ref_bad_length = 1;
		return 1;
	}
	return 0;
}

/* Skips greetings (and, when fillers is 1, filler words too) from word i; returns the
 * next word. */
static size_t skip_rows(const kwtab *kt, const words *ws, size_t i, int fillers, int *darija)
{
	for (;;) {
		size_t len;
		int r = i < ws->n ? match_keyword(kt, ws, i, &len) : -1;

		if (r < 0 || !(kt->k[r].intent == SMS_POLITE ||
		               (fillers && kt->k[r].intent == SMS_FILLER)))
			return i;
		*darija |= kt->k[r].lang == SMS_LANG_DARIJA;
		i += len;
	}
}

/* Byte offset where the text after word i-1 starts (the start of the message if i is 0). */
static size_t after_word(const words *ws, size_t i)
{
	return i == 0 ? 0 : ws->w[i - 1].end;
}

/* Words other than "?" from word i on (many if words were left off). */
static size_t count_words(const words *ws, size_t i)
{
	size_t n = ws->more ? MSG_WORDS : 0;

	for (; i < ws->n; i++)
		n += !ws->w[i].qmark;
	return n;
}

/* A phone number, not a reference: written after "+", 10 digits from 05-08, or 00212. */
static int phone_like(const char *text, const word *w, const number *num)
{
	if (w->off > 0 && text[w->off - 1] == '+')
		return 1;
	if (num->ndigits == 10 && num->digits[0] == '0' && num->digits[1] >= '5' &&
	    num->digits[1] <= '8')
		return 1;
	return num->ndigits == 14 && strncmp(num->digits, "00212", 5) == 0;
}

/* The first reference written anywhere in the message: 2 for a 12-digit number (the
 * first one), 1 for a number of nearly 12 digits that is no phone number, 0 for none;
 * *num gets it. */
static int find_ref(const char *text, const words *ws, number *num)
{
	int found = 0;
	number cur;

	for (size_t n = 0; n < ws->n; n++) {
		if (!ws->w[n].digits || (n > 0 && ws->w[n - 1].digits && ws->w[n].num_gap))
			continue;
		read_number(ws, n, &cur);
		if (phone_like(text, &ws->w[n], &cur))
			continue;
		if (cur.ndigits == BW_REF_LEN) {
			*num = cur;
			return 2;
		}
		if (!found && near_ref_length(cur.ndigits)) {
			*num = cur;
			found = 1;
		}
	}
	return found;
}

/* 1 if every word outside num is a greeting, a filler or a FILE/STATUS keyword:
 * "chikaya dyali 0002 0000 001" asks about a request, "facture 1234567890" does not. */
static int only_cues_besides(const kwtab *kt, const words *ws, const number *num)
{
	size_t first = num->last, len;

	while (first > 0 && ws->w[first - 1].digits && ws->w[first].num_gap)
		first--;
	if (ws->more)
		return 0;
	for (size_t i = 0; i < ws->n; i += len) {
		int r;

		len = 1;
		if (i >= first && i <= num->last) {
			len = num->last + 1 - i;
			continue;
		}
		if (ws->w[i].qmark)
			continue;
		r = match_keyword(kt, ws, i, &len);
		if (r < 0 || !(kt->k[r].intent == SMS_POLITE || kt->k[r].intent == SMS_FILLER ||
		               kt->k[r].intent == SMS_FILE || kt->k[r].intent == SMS_STATUS))
			return 0;
	}
	return 1;
}

#define LEADIN_WORDS 8 /* filler words looked past for a keyword ("je voudrais déposer une") */

/* A keyword after lead-in words from word i ("bghit ndir chikaya", "je veux savoir où
 * en est"): FILE and STATUS only. Returns the row or -1; *at and *len get where. */
static int keyword_after_leadin(const kwtab *kt, const words *ws, size_t i, size_t *at,
                                size_t *len, int *darija)
{
	int dj = 0, r;
	size_t k = skip_rows(kt, ws, i, 1, &dj);

	*darija |= dj;
	if (k >= ws->n || k - i > LEADIN_WORDS)
		return -1;
	r = match_keyword(kt, ws, k, len);
	if (r < 0 || (kt->k[r].intent != SMS_FILE && kt->k[r].intent != SMS_STATUS))
		return -1;
	*at = k;
	return r;
}

/* SMS_FILE from keyword row r ending before word j: kind, the admin hint (first word
 * that is not a filler), body after it; no content at all if only fillers follow. */
static void read_filing(const kwtab *kt, const words *ws, const char *text, int r, size_t j,
                        sms_parsed *out, size_t *body_from, size_t *rest_from)
{
	size_t h = skip_rows(kt, ws, j, 1, &out->darija), hl = 0;

	out->kind = kt->k[r].kind;
	if (h >= ws->n && !ws->more) {
		/* "أريد تقديم شكاية", "chikaya dyali 3afak": the content is still to be asked */
		*body_from = *rest_from = strlen(text);
		return;
	}
	if (h >= ws->n || !ws->w[h].letters || ws->w[h].n > WORD_CP)
		return;
	for (size_t c = 0; c < ws->w[h].n; c++) {
		char enc[4];
		size_t el = bw_utf8_put(ws->w[h].cp[c], enc);

		if (hl + el + 1 > sizeof out->admin_hint) {
			hl = 0;
			break;
		}
		memcpy(out->admin_hint + hl, enc, el);
		hl += el;
	}
	out->admin_hint[hl] = '\0';
	if (hl > 0)
		*body_from = after_word(ws, h + 1);
}

/* A message that starts with a number: a reference or a menu choice. */
static void read_leading_number(const words *ws, size_t i, const char *text, sms_parsed *out,
                                size_t *body_from, size_t *rest_from)
{
	number num;
	size_t j;

	read_number(ws, i, &num);
	j = num.last + 1;
	while (j < ws->n && ws->w[j].qmark)
		j++;
	if (num.ndigits == BW_REF_LEN || (j == ws->n && !ws->more && near_ref_length(num.ndigits))) {
		out->intent = SMS_STATUS;
		take_ref(&num, out);
		*body_from = *rest_from = after_word(ws, num.last + 1);
	} else if (j == ws->n && !ws->more && num.ndigits == 1 && num.digits[0] != '0') {
		out->intent = SMS_MENU_ANSWER;
		out->menu_choice = num.digits[0] - '0';
		*body_from = *rest_from = strlen(text);
	}
}

int sms_parse(const char *text, sms_parsed *out)
{
	word wbuf[MSG_WORDS];
	words ws = { wbuf, MSG_WORDS, 0, 0, 0 };
	kwtab kt;
	size_t i, j, len = 0, body_from, rest_from;
	number num;
	int r, got;

	if (!text || !out)
		return BW_EINVAL;
	memset(out, 0, sizeof *out);
	out->kind = K_NONE;
	split_words(text, &ws);
	memcpy(out->lang, ws.arabic ? "ar" : "fr", 3);

	prepare_keywords(&kt);
	i = skip_rows(&kt, &ws, 0, 0, &out->darija);
	body_from = rest_from = after_word(&ws, i);
	r = i < ws.n ? match_keyword(&kt, &ws, i, &len) : -1;
	if (r >= 0 && kt.k[r].intent == SMS_FILLER)
		r = keyword_after_leadin(&kt, &ws, i, &i, &len, &out->darija);

	if (r < 0 && i < ws.n && ws.w[i].digits) {
		read_leading_number(&ws, i, text, out, &body_from, &rest_from);
	} else if (r >= 0 && kt.k[r].intent != SMS_UNKNOWN) {
		const sms_keyword *k = &kt.k[r];

		out->intent = (sms_intent)k->intent;
		out->darija |= k->lang == SMS_LANG_DARIJA;
		j = skip_rows(&kt, &ws, i + len, 0, &out->darija);
		body_from = rest_from = after_word(&ws, j);
		switch (out->intent) {
		case SMS_FILE:
			read_filing(&kt, &ws, text, r, j, out, &body_from, &rest_from);
			break;
		case SMS_STATUS:
			for (size_t n = j; n < ws.n; n++) {
				if (!ws.w[n].digits || (n > j && ws.w[n - 1].digits && ws.w[n].num_gap))
					continue;
				read_number(&ws, n, &num);
				if (take_ref(&num, out)) {
					body_from = after_word(&ws, num.last + 1);
					break;
				}
			}
			break;
		case SMS_STOP:
		case SMS_START:
			/* "stop" then a sentence is a message about something else ("توقف الماء منذ
			 * يومين", the water stopped two days ago): only a short tail unsubscribes */
			if (count_words(&ws, j) > STOP_TAIL_WORDS) {
				out->intent = SMS_UNKNOWN;
				body_from = rest_from = after_word(&ws, i);
			}
			break;
		default:
			break;
		}
	}
	/* a reference anywhere is a question about that request, whatever the words around
	 * it ("fin wslat chikaya dyali 0002 0000 0018", "chikaya dyali REF"): a valid one
	 * always, a mistyped one when nothing else in the message asks for something */
	if (out->intent == SMS_FILE || out->intent == SMS_UNKNOWN || out->intent == SMS_HELP) {
		got = find_ref(text, &ws, &num);
		char ok[BW_REF_LEN + 1];

		if (got && ((got == 2 && bw_ref_parse(num.digits, ok, NULL) == BW_OK) ||
		            only_cues_besides(&kt, &ws, &num))) {
			out->intent = SMS_STATUS;
			out->kind = K_NONE;
			out->admin_hint[0] = '\0';
			take_ref(&num, out);
			body_from = rest_from = after_word(&ws, num.last + 1);
		}
	}
	out->body_truncated = copy_text(text, body_from, out->body, sizeof out->body);
	out->body_truncated |= copy_text(text, rest_from, out->rest, sizeof out->rest);
	return BW_OK;
}
