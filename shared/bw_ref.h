/* bw_ref.h: reference numbers: numeric, made offline by any device, Damm check digit. */
#ifndef BW_REF_H
#define BW_REF_H

#include <stdint.h>
#include <stddef.h>

#include "bw_err.h"

/* Layout of the 12 digits: DDDD SSSSSSS C
 *   DDDD     the device number (0001-9999), unique per device, given at registration;
 *            0000 is the hub itself (desk and paper requests);
 *   SSSSSSS  the device's own sequence (1..9,999,998), kept in its database; 0 and
 *            9,999,999 are never issued (0: the counter's start; 9,999,999: kept as
 *            the end of the range), so a request carrying either is forged or broken
 *            and bw_request_validate refuses it;
 *   C        Damm check digit over the 11 digits before it.
 * Two devices never collide because their numbers differ; one device never repeats
 * because its sequence only grows within a transaction. */
#define BW_REF_DEVICE_MAX 9999u
#define BW_REF_SEQ_MAX 9999998u

/* Damm check digit of a string of ASCII digits of length n; -1 if one is not 0-9. A full
 * reference (11 digits + check digit) gives 0. */
int bw_damm_digit(const char *digits, size_t n);

/* Builds the 12-digit reference (NUL-terminated in out[13]); BW_EINVAL if out of range. */
int bw_ref_make(unsigned device, uint32_t seq, char out[13], bw_err *e);

/* Reads a reference as a citizen types it: ASCII, Arabic-Indic (U+0660..) or Eastern
 * Arabic-Indic (U+06F0..) digits, with spaces, dashes, dots, slashes, NBSP, narrow NBSP,
 * Arabic thousands separators or bidi marks (LRM, RLM, ALM, isolates) anywhere.
 * Writes the 12 ASCII digits to out[13] (out[0] = '\0' on failure). BW_EINVAL with a
 * reason for anything else: another character, wrong length, or a check digit that does
 * not match. A sequence of 0 (never issued) is not rejected here: lookup finds nothing. */
int bw_ref_parse(const char *in, char out[13], bw_err *e);

/* Groups a 12-digit reference for display and print: "0012 3456 7894" (sep between
 * groups of four). out must hold 15 + 2*strlen(sep) bytes; returns out. */
char *bw_ref_format(const char *ref, const char *sep, char *out, size_t outsz);

/* The device number encoded in a valid reference; BW_REF_DEVICE_MAX + 1 if ref is not
 * 12 ASCII digits. */
unsigned bw_ref_device(const char *ref);
/* The sequence encoded in a reference of 12 ASCII digits; 0 if it is not one. */
uint32_t bw_ref_seq(const char *ref);

#endif
