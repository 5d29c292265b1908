/* escpos.h: receipt printers: an ESC/POS byte stream built in memory (text, sizes, QR
 * code, cut) and written to a device path or a file, with the paper sensor asked first
 * when the printer can answer. */
#ifndef BW_ESCPOS_H
#define BW_ESCPOS_H

#include <stddef.h>

#include "bw_err.h"

typedef struct bw_escpos {
	unsigned char *buf;   /* owned; bw_escpos_free releases it */
	size_t len, cap;
} bw_escpos;

/* Starts a stream with ESC @ (reset) and code page PC858 (Latin with the euro sign). */
void bw_escpos_init(bw_escpos *b);
void bw_escpos_free(bw_escpos *b);
void bw_escpos_bytes(bw_escpos *b, const void *p, size_t n);
/* UTF-8 text, converted to PC858; characters it lacks print as '?'. */
void bw_escpos_text(bw_escpos *b, const char *utf8);
void bw_escpos_align(bw_escpos *b, int align);      /* 0 left, 1 centre, 2 right */
void bw_escpos_bold(bw_escpos *b, int on);
void bw_escpos_size(bw_escpos *b, int w, int h);    /* character magnification 1..8 */
void bw_escpos_feed(bw_escpos *b, int lines);
/* A QR code the printer draws itself (GS ( k, model 2, error correction M); data at
 * most 700 bytes; module size 1..16 dots. */
void bw_escpos_qr(bw_escpos *b, const char *data, int module);
void bw_escpos_cut(bw_escpos *b);                   /* feed and partial cut */

/* What a kiosk receipt says; every string is UTF-8, labels already translated. */
typedef struct bw_escpos_receipt {
	const char *title, *site;
	const char *ref_label, *ref_grouped, *ref_digits;
	const char *received_label, *received_on;
	const char *deadline_label, *deadline;
	const char *keep;          /* "keep this receipt ..." */
	/* the receipt code, the citizen's key to read the answer; NULL or "" prints none */
	const char *code_label, *code, *code_hint;
} bw_escpos_receipt;

/* Appends the receipt to b (after bw_escpos_init), ending with a cut. */
void bw_escpos_receipt_build(bw_escpos *b, const bw_escpos_receipt *r);

/* Asks the paper sensor (DLE EOT 4) on fd_w and reads the answer on fd_r for up to
 * timeout_ms. BW_OK if paper is there or the printer does not answer (many are
 * write-only links), BW_EAGAIN "printer: out of paper" when the sensor says so. */
int bw_escpos_paper(int fd_r, int fd_w, int timeout_ms, bw_err *e);

/* Writes the stream to path: a character device (the paper sensor is asked first), or an
 * existing file (appended: tests and spooling). BW_ENOTFOUND "printer: PATH: not
 * connected" when the path does not exist, BW_EPERM when it may not be opened,
 * BW_EAGAIN when out of paper, BW_EIO when a write fails. */
int bw_escpos_write(const char *path, const bw_escpos *b, bw_err *e);

#endif
