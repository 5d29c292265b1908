/* bw_phone.h: Moroccan phone numbers: recognise every way people write them, keep one form. */
#ifndef BW_PHONE_H
#define BW_PHONE_H

#include "bw_err.h"

/* Normalises a Moroccan number to E.164 "+212XXXXXXXXX" in out[14]. Accepts 06/07/05
 * national forms, +212 / 00212 / 212 prefixes, spaces, dashes, dots and Arabic-Indic
 * digits. Mobile (6, 7) and fixed (5) ranges only; BW_EINVAL with the reason otherwise. */
int bw_phone_normalize(const char *in, char out[14], bw_err *e);

/* 1 for a mobile number (+2126..., +2127...), which can receive SMS. */
int bw_phone_is_mobile(const char *e164);

/* Masks all but the last 2 digits for logs and screens: "+212 6** *** *12". */
char *bw_phone_mask(const char *e164, char *out, unsigned outsz);

#endif
