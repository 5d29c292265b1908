/* escpos.c: the ESC/POS byte stream of a receipt and its delivery to a printer device. */
#include "escpos.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bw_text.h"

#define ESC 0x1B
#define GS 0x1D
#define DLE 0x10
#define EOT 0x04

void bw_escpos_bytes(bw_escpos *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 512;
		while (cap < b->len + n)
			cap *= 2;
		b->buf = bw_xrealloc(b->buf, cap);
		b->cap = cap;
	}
	memcpy(b->buf + b->len, p, n);
	b->len += n;
}

static void put(bw_escpos *b, int n, ...)
{
	unsigned char tmp[16];
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		tmp[i] = (unsigned char)va_arg(ap, int);
	va_end(ap);
	bw_escpos_bytes(b, tmp, (size_t)n);
}

void bw_escpos_init(bw_escpos *b)
{
	memset(b, 0, sizeof *b);
	put(b, 2, ESC, '@');
	put(b, 3, ESC, 't', 19);  /* code page PC858 */
}

void bw_escpos_free(bw_escpos *b)
{
	free(b->buf);
	memset(b, 0, sizeof *b);
}

/* PC858 for the Latin-1 letters French needs (the rest of the table is not used). */
static int pc858(int32_t cp)
{
	static const struct { int32_t cp; unsigned char c; } map[] = {
		{ 0xE9, 0x82 }, { 0xE8, 0x8A }, { 0xEA, 0x88 }, { 0xEB, 0x89 }, { 0xE0, 0x85 },
		{ 0xE2, 0x83 }, { 0xE7, 0x87 }, { 0xF9, 0x97 }, { 0xFB, 0x96 }, { 0xEE, 0x8C },
		{ 0xEF, 0x8B }, { 0xF4, 0x93 }, { 0xC9, 0x90 }, { 0xC7, 0x80 }, { 0xAB, 0xAE },
		{ 0xBB, 0xAF }, { 0xA0, 0xFF },
	};
	if (cp >= 0x20 && cp < 0x7F)
		return (int)cp;
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (map[i].cp == cp)
			return map[i].c;
	/* bidi isolates and marks are invisible on paper */
	if ((cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F)
		return -1;
	return '?';
}

void bw_escpos_text(bw_escpos *b, const char *s)
{
	while (*s) {
		if (*s == '\n') {
			put(b, 1, '\n');
			s++;
			continue;
		}
		int c = pc858(bw_utf8_next(&s));
		if (c >= 0)
			put(b, 1, c);
	}
}

void bw_escpos_align(bw_escpos *b, int align)
{
	put(b, 3, ESC, 'a', align < 0 || align > 2 ? 0 : align);
}

void bw_escpos_bold(bw_escpos *b, int on)
{
	put(b, 3, ESC, 'E', on ? 1 : 0);
}

void bw_escpos_size(bw_escpos *b, int w, int h)
{
	w = w < 1 ? 1 : w > 8 ? 8 : w;
	h = h < 1 ? 1 : h > 8 ? 8 : h;
	put(b, 3, GS, '!', ((w - 1) << 4) | (h - 1));
}

void bw_escpos_feed(bw_escpos *b, int lines)
{
	put(b, 3, ESC, 'd', lines < 0 ? 0 : lines > 255 ? 255 : lines);
}

void bw_escpos_qr(bw_escpos *b, const char *data, int module)
{
	size_t n = strlen(data);
	if (n > 700)
		n = 700;
	module = module < 1 ? 1 : module > 16 ? 16 : module;
	put(b, 9, GS, '(', 'k', 4, 0, '1', 'A', '2', 0);        /* model 2 */
	put(b, 8, GS, '(', 'k', 3, 0, '1', 'C', module);        /* module size */
	put(b, 8, GS, '(', 'k', 3, 0, '1', 'E', '1');           /* error correction M */
	put(b, 8, GS, '(', 'k', (int)((n + 3) & 0xFF), (int)((n + 3) >> 8), '1', 'P', '0');
	bw_escpos_bytes(b, data, n);                            /* store */
	put(b, 8, GS, '(', 'k', 3, 0, '1', 'Q', '0');           /* print */
}

void bw_escpos_cut(bw_escpos *b)
{
	put(b, 4, GS, 'V', 66, 3);  /* feed 3 and partial cut */
}

/* A line of text ended by a line feed. */
static void line(bw_escpos *b, const char *s)
{
	bw_escpos_text(b, s);
	bw_escpos_text(b, "\n");
}

/* A line in bold at w x h the normal size, then back to normal text. */
static void big_line(bw_escpos *b, const char *s, int w, int h)
{
	bw_escpos_bold(b, 1);
	bw_escpos_size(b, w, h);
	line(b, s);
	bw_escpos_size(b, 1, 1);
	bw_escpos_bold(b, 0);
}

/* "label value" on one line. */
static void labelled(bw_escpos *b, const char *label, const char *value)
{
	bw_escpos_text(b, label);
	bw_escpos_text(b, " ");
	line(b, value);
}

void bw_escpos_receipt_build(bw_escpos *b, const bw_escpos_receipt *r)
{
	bw_escpos_align(b, 1);
	big_line(b, r->title, 2, 2);
	if (r->site && *r->site)
		line(b, r->site);
	bw_escpos_feed(b, 1);
	line(b, r->ref_label);
	big_line(b, r->ref_grouped, 2, 3);
	bw_escpos_feed(b, 1);
	bw_escpos_qr(b, r->ref_digits, 8);
	bw_escpos_feed(b, 1);
	bw_escpos_align(b, 0);
	labelled(b, r->received_label, r->received_on);
	bw_escpos_bold(b, 1);
	labelled(b, r->deadline_label, r->deadline);
	bw_escpos_bold(b, 0);
	if (r->code && *r->code) {
		/* large, apart from the reference: it is the one thing to keep secret */
		bw_escpos_feed(b, 1);
		bw_escpos_text(b, r->code_label ? r->code_label : "");
		bw_escpos_text(b, " ");
		bw_escpos_bold(b, 1);
		bw_escpos_size(b, 2, 2);
		bw_escpos_text(b, r->code);
		bw_escpos_size(b, 1, 1);
		bw_escpos_bold(b, 0);
		bw_escpos_text(b, "\n");
		if (r->code_hint && *r->code_hint)
			line(b, r->code_hint);
	}
	bw_escpos_feed(b, 1);
	line(b, r->keep);
	bw_escpos_cut(b);
}

int bw_escpos_paper(int fd_r, int fd_w, int timeout_ms, bw_err *e)
{
	static const unsigned char ask[3] = { DLE, EOT, 4 };
	unsigned char st;
	if (write(fd_w, ask, sizeof ask) != (ssize_t)sizeof ask)
		return bw_fail(e, BW_EIO, "printer: %s", strerror(errno));
	struct pollfd p = { fd_r, POLLIN, 0 };
	if (poll(&p, 1, timeout_ms) <= 0 || read(fd_r, &st, 1) != 1)
		return BW_OK;  /* no answer: a write-only link, assume paper */
	/* bits 5 and 6 (0x60): paper end sensor */
	if ((st & 0x93) == 0x12 && (st & 0x60) == 0x60)
		return bw_fail(e, BW_EAGAIN, "printer: out of paper");
	return BW_OK;
}

int bw_escpos_write(const char *path, const bw_escpos *b, bw_err *e)
{
	struct stat sb;
	if (!path || !*path || stat(path, &sb) != 0)
		return bw_fail(e, BW_ENOTFOUND, "printer: %s: not connected", path ? path : "");
	int chr = S_ISCHR(sb.st_mode);
	int fd = open(path, chr ? O_RDWR | O_NOCTTY : O_WRONLY | O_APPEND);
	if (fd < 0)
		return bw_fail(e, errno == EACCES ? BW_EPERM : BW_EIO, "printer: %s: %s", path, strerror(errno));
	int rc = BW_OK;
	if (chr && (rc = bw_escpos_paper(fd, fd, 500, e)) != BW_OK) {
		close(fd);
		return rc;
	}
	size_t off = 0;
	while (off < b->len) {
		ssize_t n = write(fd, b->buf + off, b->len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = bw_fail(e, BW_EIO, "printer: %s: %s", path, n < 0 ? strerror(errno) : "short write");
			break;
		}
		off += (size_t)n;
	}
	if (close(fd) != 0 && rc == BW_OK)
		rc = bw_fail(e, BW_EIO, "printer: %s: %s", path, strerror(errno));
	return rc;
}
