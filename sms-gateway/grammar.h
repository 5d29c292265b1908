/* grammar.h: the citizen SMS grammar: folding text for matching, keywords, what a message asks. */
#ifndef SMS_GRAMMAR_H
#define SMS_GRAMMAR_H

#include <stddef.h>

#include "bw_request.h"

/* What a citizen's SMS asks for. */
typedef enum sms_intent {
	SMS_UNKNOWN = 0,   /* no keyword: the gateway answers with a menu */
	SMS_FILE,          /* file a request; kind says which */
	SMS_STATUS,        /* where is my request; ref says which (may be missing or bad) */
	SMS_HELP,
	SMS_STOP,          /* no more SMS to this number */
	SMS_START,         /* SMS again */
	SMS_MENU_ANSWER,   /* a bare 1-9 replying to a menu the gateway sent */
	SMS_INTENT_COUNT
} sms_intent;

/* Language of a keyword spelling (sms_keyword.lang). */
typedef enum sms_lang {
	SMS_LANG_ANY = 0,  /* "stop", "?", "salam": says nothing about the writer */
	SMS_LANG_AR,       /* Arabic script */
	SMS_LANG_FR,       /* French */
	SMS_LANG_DARIJA    /* Moroccan Arabic in Latin letters, digits as letters ("chikaya", "3afak") */
} sms_lang;

/* Pseudo-intent of keyword rows that are skipped where a keyword may follow: greetings and
 * politeness ("salam", "3afak", "من فضلك"). */
#define SMS_POLITE ((int)SMS_INTENT_COUNT)
/* Pseudo-intent of rows for words that carry no request of their own: lead-ins skipped
 * before a keyword anywhere in the first words ("je veux déposer une", "bghit ndir",
 * "أريد تقديم"), possessives and thanks. A keyword followed only by such words has no
 * content: "أريد تقديم شكاية" is a complaint whose text is still to be asked for. */
#define SMS_FILLER ((int)SMS_INTENT_COUNT + 1)

#define SMS_KEYWORDS_MAX 400   /* rows the table may have (checked at compile time) */

/* One row of the keyword table (sms-gateway/keywords.c). intent is an sms_intent, or
 * SMS_POLITE or SMS_FILLER; SMS_UNKNOWN rows
 * are phrases that start like a keyword but are not one ("etat civil", "baraka allah fik"):
 * the longest matching row wins, so they shadow the shorter keyword. kind is an enum
 * bw_kind for SMS_FILE rows, else -1. spelling is one or more words, matched after
 * sms_normalize word by word, each word with one typo allowed if it has 5 letters or more. */
typedef struct sms_keyword {
	int intent;
	int kind;
	sms_lang lang;
	const char *spelling;
} sms_keyword;

/* The keyword table (static, read-only); *n receives its length. */
const sms_keyword *sms_keywords(size_t *n);

#define SMS_HINT_MAX 64                      /* bytes of admin_hint, NUL included */
#define SMS_BODY_SIZE BW_CHARS(BW_TEXT_MAX)  /* bytes of body and rest, NUL included */

/* What sms_parse understood. Text fields are always NUL-terminated valid UTF-8. */
typedef struct sms_parsed {
	sms_intent intent;
	int kind;              /* enum bw_kind when intent is SMS_FILE, else -1 */
	char ref[BW_REF_LEN + 1]; /* the 12 ASCII digits typed (STATUS), "" if none */
	int ref_bad_check;     /* 1: ref has 12 digits but the check digit is wrong */
	int ref_bad_length;    /* 1: a number that looks like a reference but has not 12 digits */
	int menu_choice;       /* 1-9 for SMS_MENU_ANSWER, else 0 */
	char admin_hint[SMS_HINT_MAX]; /* FILE: the word after the keyword, folded by
	                          * sms_normalize, for a catalogue lookup; "" if none */
	char body[SMS_BODY_SIZE]; /* the citizen's own text after the keyword (and after
	                          * admin_hint for FILE, after the reference for STATUS), as
	                          * written: not folded, trimmed, invalid UTF-8 and control
	                          * characters other than tab and newline dropped. UNKNOWN:
	                          * the whole message after any greeting. */
	char rest[SMS_BODY_SIZE]; /* like body but starting right after the keyword (and any
	                          * "svp"/"3afak" after it), so the admin_hint word is kept:
	                          * use it when the hint is not a catalogue word */
	int body_truncated;    /* 1: body or rest was cut at BW_TEXT_MAX characters */
	char lang[3];          /* "ar" if the message has an Arabic letter, Arabic-Indic
	                          * digit or Arabic punctuation, else "fr" */
	int darija;            /* 1: a Darija-in-Latin keyword or greeting was used */
} sms_parsed;

/* Folds utf8_in into the canonical form keywords are matched in, written to out[outsz]:
 * lower case, Latin accents removed (é→e, ç→c, œ→oe), Arabic tatweel and harakat removed,
 * alef variants → ا, ة → ه, ى → ي, ؤ → و, ئ → ي, Arabic-Indic and Eastern Arabic-Indic
 * digits → 0-9, Arabic comma/semicolon/question mark → , ; ?, typographic apostrophes and
 * dashes → ' -, white space collapsed to one space and trimmed, zero-width and bidi marks,
 * control characters and invalid UTF-8 bytes dropped. out is always NUL-terminated
 * (when outsz > 0) and cut only between characters.
 * Returns BW_OK, BW_ETOOBIG if the folded text did not fit (out holds what did), or
 * BW_EINVAL if utf8_in or out is NULL or outsz is 0. */
int sms_normalize(const char *utf8_in, char *out, size_t outsz);

/* Reads one citizen SMS (UTF-8; invalid bytes are ignored) into *out (overwritten):
 * optional greetings, then a keyword (Arabic, French or Darija, one typo allowed in words
 * of 5+ letters), then what follows it. A message that is only a reference number is
 * SMS_STATUS, only a digit 1-9 is SMS_MENU_ANSWER; anything else without a keyword is
 * SMS_UNKNOWN. STOP and START keywords count only when followed by at most 2 words.
 * Returns BW_OK (whatever the intent; an over-long body sets body_truncated), or
 * BW_EINVAL if text or out is NULL. */
int sms_parse(const char *text, sms_parsed *out);

/* Stable lower-case names: "file", "status", ... and "unknown" for anything else. */
const char *sms_intent_name(sms_intent i);

#endif
