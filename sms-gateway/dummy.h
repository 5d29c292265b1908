/* dummy.h: playing the citizen on Gammu's dummy phone: writes incoming SMS into the phone
 * directory in Gammu's SMS backup format (what a network would have delivered), for
 * bawaba-phone, the tests and the benchmark. */
#ifndef SMS_DUMMY_H
#define SMS_DUMMY_H

#include <stdint.h>

#include "bw_err.h"

/* Where the next message goes: DIR/sms/1 (the SIM inbox), file numbers from `next`. */
typedef struct sms_dummy {
	char dir[1024];
	int next;           /* next file number to try, 1..10000 */
	unsigned ref;       /* concatenation reference of the next multipart message */
} sms_dummy;

/* Prepares w for dir (creating DIR/sms/1 .. 5 if missing). BW_EIO with the reason. */
int sms_dummy_open(sms_dummy *w, const char *dir, bw_err *e);

/* Writes one incoming SMS from sender dated `when` (UTC seconds): one file per part
 * (GSM-7 if every character allows it, else UCS-2, split into 153 / 67 character parts
 * with a concatenation header when longer than 160 / 70), each written under a temporary
 * name and renamed, so the driver never reads half a file. Parts are written in the
 * order given by `order` (NULL: 1, 2, 3...; else a permutation of part indexes, for
 * tests of out-of-order delivery); skip_part (1-based, 0 = none) leaves one part out, as
 * a network that lost it. when < 0 writes the zero date, which libGammu reads as no
 * network timestamp (as from a modem that gives none). *parts gets the part count (may be NULL). BW_EINVAL if text is
 * not UTF-8 or needs more than 9 parts; BW_ETOOBIG when the inbox folder is full (10000). */
int sms_dummy_inject(sms_dummy *w, const char *sender, const char *utf8, int64_t when,
                     const int *order, int skip_part, int *parts, bw_err *e);

/* Writes into DIR/.bawaba-smsd the path of the database of the gateway that uses this
 * phone, so `bawaba-phone DIR sent` finds what was sent. */
int sms_dummy_mark(const char *dir, const char *db_path, bw_err *e);
/* Reads it back into out[size]; BW_ENOTFOUND if no gateway marked the directory. */
int sms_dummy_marked_db(const char *dir, char *out, size_t size, bw_err *e);

#endif
