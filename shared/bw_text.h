/* bw_text.h: UTF-8 checks and the digit folding every channel needs (Arabic-Indic digits). */
#ifndef BW_TEXT_H
#define BW_TEXT_H

#include <stddef.h>
#include <stdint.h>

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

#endif
