/* bw_text.h: UTF-8 checks and the digit folding every channel needs (Arabic-Indic digits). */
#ifndef BW_TEXT_H
#define BW_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* 1 if s[0..n) is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
int bw_utf8_valid(const char *s, size_t n);

/* Number of code points in a valid UTF-8 NUL-terminated string. */
size_t bw_utf8_len(const char *s);

/* Decodes one code point at *p, advances *p; returns -1 on malformed input (and
 * advances by one byte so callers make progress). */
int32_t bw_utf8_next(const char **p);

/* Encodes cp into out (at least 4 bytes); returns the byte count (0 if cp is invalid). */
size_t bw_utf8_put(uint32_t cp, char *out);

/* Value 0-9 of an ASCII, Arabic-Indic (U+0660-0669) or Eastern Arabic-Indic
 * (U+06F0-06F9) digit code point, else -1. */
int bw_digit_value(int32_t cp);

/* Trims leading/trailing ASCII white space in place; returns s. */
char *bw_trim(char *s);

/* The one rule for control characters in a citizen's or agent's text, whatever the
 * channel (kiosk, SMS, desk, agents' notes): C0 controls but the line feed (BEL, ESC and
 * so terminal escape sequences, CR), DEL, C1 controls, and the bidi embeddings, overrides
 * and isolates (U+202A-202E, U+2066-2069: text that displays other than it reads) have no
 * place in it. 1 if cp is one of them. */
int bw_text_is_control(int32_t cp);
/* Removes them from s in place (a tab becomes a space); malformed UTF-8 is left for
 * validation to refuse. Returns how many were removed. bw_request_validate and the
 * store's notes apply it. */
size_t bw_text_strip_controls(char *s);
/* Writes s to fp for a terminal or a file a person reads: every control (above) and
 * every byte of malformed UTF-8 escaped as \xNN or \uNNNN, a backslash as \\, a line
 * feed as \n unless keep_newlines. For text stored before the rule, or by another
 * program. */
void bw_text_fput(FILE *fp, const char *s, int keep_newlines);

#endif
