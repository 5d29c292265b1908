/* bw_rcode.h: the receipt code given with a reference: made, checked, and kept as a
 * salted hash on a device. */
#ifndef BW_RCODE_H
#define BW_RCODE_H

#include <stddef.h>

#include "bw_err.h"

/* The receipt code: BW_RCODE_LEN secret digits given to the citizen with the reference
 * (receipt screen, printed ticket). References are sequential, so anyone can type one;
 * the code is what shows that the one asking filed the request, before the notes meant
 * for them (the answer, a reason) are shown. Stored with the request (bw_request.code). */
#define BW_RCODE_LEN 4
/* Makes a new code from getrandom(2), every value equally likely. BW_EIO if the kernel
 * gives no randomness (code is then ""). */
int bw_rcode_make(char code[BW_RCODE_LEN + 1], bw_err *e);
/* 1 if s is exactly BW_RCODE_LEN ASCII digits. */
int bw_rcode_valid(const char *s);
/* 1 if stored is a valid code and given is the same code; the comparison takes the same
 * time wherever the digits differ. An empty stored code (a request from before codes)
 * matches nothing. */
int bw_rcode_match(const char *stored, const char *given);
/* A device keeps, once the hub has the request, only a salted hash of its code (issue 11:
 * a stolen kiosk carries no code in clear): crypt(3) "$5$" (SHA-256, random salt) into
 * out[size >= 128]. BW_EINVAL for a code that is not 4 digits, BW_EIO if crypt fails. */
int bw_rcode_hash(const char *code, char *out, size_t size, bw_err *e);
/* 1 if given is the code whose hash is `hash` (an empty hash matches nothing). */
int bw_rcode_hash_match(const char *hash, const char *given);

#endif
