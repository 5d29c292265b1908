/* grammar.c: the citizen SMS grammar: text folding, keyword matching, and what a message asks. */
#include "grammar.h"

#include <stdint.h>
#include <string.h>

#include "bw_ref.h"
#include "bw_text.h"
#include "fold.h"

#define K_NONE (-1)
#define STOP_TAIL_WORDS 2 /* words allowed after STOP/START ("stop merci", "baraka men sms") */

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

		sms_split_words(kt->k[r].spelling, &ks);
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
		int r;

		if (fillers && i < ws->n && ws->w[i].qmark) {   /* "momkin ndir chikaya?" */
			i++;
			continue;
		}
		r = i < ws->n ? match_keyword(kt, ws, i, &len) : -1;
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

/* A reference typed right after a word, with no space ("suivi000300000424"): 12 digits
 * ending a word that has letters. */
static int glued_ref(const word *w, number *num)
{
	size_t d = 0;

	if (!w->letters || w->n > WORD_CP)
		return 0;
	while (d < w->n && w->cp[w->n - 1 - d] >= '0' && w->cp[w->n - 1 - d] <= '9')
		d++;
	if (d != BW_REF_LEN)
		return 0;
	for (size_t k = 0; k < d; k++)
		num->digits[k] = (char)w->cp[w->n - d + k];
	num->digits[d] = '\0';
	num->ndigits = d;
	return 1;
}

/* The first reference written anywhere in the message: 2 for a 12-digit number (the
 * first one), 1 for a number of nearly 12 digits that is no phone number, 0 for none;
 * *num gets it. */
static int find_ref(const char *text, const words *ws, number *num)
{
	int found = 0;
	number cur;

	for (size_t n = 0; n < ws->n; n++) {
		if (glued_ref(&ws->w[n], num)) {
			num->last = n;
			return 2;
		}
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

/* A FILE keyword at the end of a message, after its content ("lma maqtou3, bghit ndir
 * chikaya", "الماء مقطوع، هذه شكاية"), with only fillers after it: the row, and *cut the
 * first word of the keyword and its lead-in; -1 if there is none or no content before. */
static int trailing_filing(const kwtab *kt, const words *ws, size_t from, size_t *cut,
                           int *darija)
{
	size_t len, s;
	int dj = 0, r;

	if (ws->more)
		return -1;
	for (size_t k = ws->n; k-- > from + 1 && ws->n - k <= LEADIN_WORDS;) {
		r = match_keyword(kt, ws, k, &len);
		if (r < 0 || kt->k[r].intent != SMS_FILE || skip_rows(kt, ws, k + len, 1, &dj) < ws->n)
			continue;
		for (s = k; s > from; s--) {
			int f = match_keyword(kt, ws, s - 1, &len);

			if (f < 0 || len != 1 ||
			    (kt->k[f].intent != SMS_FILLER && kt->k[f].intent != SMS_POLITE))
				break;
		}
		if (s == from)
			return -1;
		*darija |= dj || kt->k[r].lang == SMS_LANG_DARIJA;
		*cut = s;
		return r;
	}
	return -1;
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

/* A reference anywhere is a question about that request, whatever the words around it
 * ("fin wslat chikaya dyali 0002 0000 0018", "chikaya dyali REF"): a valid one always, a
 * mistyped one when nothing else in the message asks for something. */
static void ref_anywhere(const kwtab *kt, const words *ws, const char *text, sms_parsed *out,
                         size_t *body_from, size_t *rest_from)
{
	char ok[BW_REF_LEN + 1];
	number num;
	int got = find_ref(text, ws, &num);

	if (!got || !((got == 2 && bw_ref_parse(num.digits, ok, NULL) == BW_OK) ||
	              only_cues_besides(kt, ws, &num)))
		return;
	out->intent = SMS_STATUS;
	out->kind = K_NONE;
	out->admin_hint[0] = '\0';
	take_ref(&num, out);
	*body_from = *rest_from = after_word(ws, num.last + 1);
}

int sms_parse(const char *text, sms_parsed *out)
{
	word wbuf[MSG_WORDS];
	words ws = { wbuf, MSG_WORDS, 0, 0, 0 };
	kwtab kt;
	size_t i, j, len = 0, body_from, rest_from, until = SIZE_MAX, cut;
	number num;
	int r;

	if (!text || !out)
		return BW_EINVAL;
	memset(out, 0, sizeof *out);
	out->kind = K_NONE;
	sms_split_words(text, &ws);
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
	if (out->intent == SMS_UNKNOWN && r < 0 &&
	    (r = trailing_filing(&kt, &ws, i, &cut, &out->darija)) >= 0) {
		out->intent = SMS_FILE;
		out->kind = kt.k[r].kind;
		until = ws.w[cut].off;
	}
	if (out->intent == SMS_FILE || out->intent == SMS_UNKNOWN || out->intent == SMS_HELP)
		ref_anywhere(&kt, &ws, text, out, &body_from, &rest_from);
	out->body_truncated = sms_copy_text(text, body_from, until, out->body, sizeof out->body);
	out->body_truncated |= sms_copy_text(text, rest_from, until, out->rest, sizeof out->rest);
	return BW_OK;
}
