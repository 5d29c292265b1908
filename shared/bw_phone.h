/* bw_phone.h: Moroccan phone numbers: recognise every way people write them, keep one form. */
#ifndef BW_PHONE_H
#define BW_PHONE_H

#include "bw_err.h"

/* Normalises a Moroccan number to E.164 "+212XXXXXXXXX" in out[14]. Accepts 06/07/05
 * national forms, +212 / 00212 / 212 prefixes, spaces, dashes, dots and Arabic-Indic
 * digits. Also accepts parentheses, NBSP, bidi marks, a 0 wrongly kept after 212
 * ("+212 (0)6...") and the 9 digits without the national 0. Mobile (6, 7) and fixed (5)
 * ranges only; BW_EINVAL with the reason otherwise (out[0] = '\0'). */
int bw_phone_normalize(const char *in, char out[14], bw_err *e);

/* 1 for a mobile number (+2126..., +2127...), which can receive SMS. */
int bw_phone_is_mobile(const char *e164);

/* Masks a normalised number for logs and screens, keeping the range digit and the last 2:
 * "+212 6** *** *12" (out needs 17 bytes; cut to outsz). Anything not normalised gives
 * "***", so raw input never leaks. Returns out. */
char *bw_phone_mask(const char *e164, char *out, unsigned outsz);

#endif
