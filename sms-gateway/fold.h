/* fold.h: inside the SMS grammar: folding text for matching, cutting it into words, and
 * copying the citizen's own text out of a message (grammar.c and fold.c only). */
#ifndef SMS_FOLD_H
#define SMS_FOLD_H

#include <stddef.h>
#include <stdint.h>

#define WORD_CP 32     /* folded code points kept per word; longer words match no keyword */
#define MSG_WORDS 40   /* words of a message looked at; the rest is only body text */
#define KW_WORDS 6     /* words in a keyword spelling */

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

/* Splits s into words (at most ws->cap kept). Dropped characters (harakat, tatweel,
 * zero-width marks, invalid bytes) do not end a word: "شكـــاية" stays one word. */
void sms_split_words(const char *s, words *ws);

/* Copies s from byte from up to byte until (SIZE_MAX: the end) into dst[dstsz] as
 * written (see fold.c); returns 1 if it had to cut at BW_TEXT_MAX characters. */
int sms_copy_text(const char *s, size_t from, size_t until, char *dst, size_t dstsz);

#endif
