/* dummy.c: incoming SMS written into Gammu's dummy phone directory (SMS backup format,
 * one file per part, temporary name then rename: see RECIPES.md). */
#include "dummy.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bw_text.h"

#define FOLDER_MAX 10000
#define PARTS_MAX 9

/* GSM 03.38 default alphabet (the characters that take one septet) besides ASCII
 * letters, digits and space; the extension table's characters take two. */
static const char gsm_basic[] = "@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!\"#¤%&'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà\n\r";
static const char gsm_ext[] = "^{}\\[~]|€\f";

static int in_set(const char *set, int32_t cp)
{
	const char *p = set;
	while (*p) {
		if (bw_utf8_next(&p) == cp)
			return 1;
	}
	return 0;
}

/* Septets cp takes in GSM-7, 0 if it cannot be written in GSM-7. */
static int gsm_septets(int32_t cp)
{
	if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == ' ')
		return 1;
	if (in_set(gsm_basic, cp))
		return 1;
	if (in_set(gsm_ext, cp))
		return 2;
	return 0;
}

static int mkdirs(const char *dir, bw_err *e)
{
	char p[1100];
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return bw_fail(e, BW_EIO, "%s: not a directory", dir);
	snprintf(p, sizeof p, "%s/sms", dir);
	if (mkdir(p, 0755) != 0 && errno != EEXIST)
		return bw_fail(e, BW_EIO, "%s: %s", p, strerror(errno));
	for (int f = 1; f <= 5; f++) {
		snprintf(p, sizeof p, "%s/sms/%d", dir, f);
		if (mkdir(p, 0755) != 0 && errno != EEXIST)
			return bw_fail(e, BW_EIO, "%s: %s", p, strerror(errno));
	}
	return BW_OK;
}

int sms_dummy_open(sms_dummy *w, const char *dir, bw_err *e)
{
	memset(w, 0, sizeof *w);
	if (bw_strlcpy(w->dir, dir, sizeof w->dir))
		return bw_fail(e, BW_ETOOBIG, "%s: path too long", dir);
	w->next = 1;
	w->ref = (unsigned)(time(NULL) ^ getpid()) & 0xff;
	return mkdirs(dir, e);
}

/* A part: UTF-16 code units of the text, big-endian hex. */
typedef struct part {
	char hex[4 * 200 + 1];    /* 67 UCS-2 or 153 GSM characters, 4 hex digits each */
	int units;
} part;

static void put_unit(part *p, unsigned u)
{
	snprintf(p->hex + 4 * p->units, 5, "%04X", u & 0xffff);
	p->units++;
}

static int write_part(sms_dummy *w, const char *sender, const part *p, int ucs2,
                      int64_t when, unsigned ref, int no, int total, bw_err *e)
{
	char tmp[1100], path[1100], stamp[20];
	struct stat st;
	while (w->next <= FOLDER_MAX) {
		snprintf(path, sizeof path, "%s/sms/1/%d", w->dir, w->next);
		if (stat(path, &st) != 0)
			break;
		w->next++;
	}
	if (w->next > FOLDER_MAX)
		return bw_fail(e, BW_ETOOBIG, "%s/sms/1: full (%d messages)", w->dir, FOLDER_MAX);
	w->next++;
	snprintf(tmp, sizeof tmp, "%s/sms/1/.in.%d.tmp", w->dir, (int)getpid());
	time_t t = (time_t)when;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
	FILE *f = fopen(tmp, "w");
	if (!f)
		return bw_fail(e, BW_EIO, "%s: %s", tmp, strerror(errno));
	/* no timestamp: the zero date, which libGammu reads as none (without a DateTime
	 * line its backup reader gives the current time instead) */
	fprintf(f, "[SMSBackup000]\nSMSC = \"+212600999999\"\nPDU = Deliver\nDateTime = %s\n"
		   "State = UnRead\nNumber = \"%s\"\nCoding = %s\n", when < 0 ? "00000000T000000" : stamp, sender,
		ucs2 ? "Unicode_No_Compression" : "Default_No_Compression");
	if (total > 1)
		fprintf(f, "UDH = 050003%02X%02X%02X\n", ref & 0xff, total, no);
	/* the text in lines of 200 hex digits: Text00, Text01, ... */
	size_t len = strlen(p->hex);
	for (size_t off = 0, line = 0; off < len; off += 200, line++)
		fprintf(f, "Text%02zu = %.200s\n", line, p->hex + off);
	fprintf(f, "Folder = 1\nLength = %d\nClass = -1\n", p->units);
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		int rc = bw_fail(e, BW_EIO, "%s: %s", path, strerror(errno));
		unlink(tmp);
		return rc;
	}
	return BW_OK;
}

int sms_dummy_inject(sms_dummy *w, const char *sender, const char *utf8, int64_t when,
                     const int *order, int skip_part, int *parts, bw_err *e)
{
	size_t len = strlen(utf8);
	if (!bw_utf8_valid(utf8, len))
		return bw_fail(e, BW_EINVAL, "text: not UTF-8");
	/* GSM-7 if every character allows it; its length in septets decides the split */
	int ucs2 = 0, septets = 0, units = 0;
	for (const char *q = utf8; *q;) {
		int32_t cp = bw_utf8_next(&q);
		int s = gsm_septets(cp);
		if (!s)
			ucs2 = 1;
		septets += s;
		units += cp > 0xffff ? 2 : 1;
	}
	int single = ucs2 ? 70 : 160, per = ucs2 ? 67 : 153;
	int total_len = ucs2 ? units : septets;
	int total = total_len <= single ? 1 : (total_len + per - 1) / per;
	if (total > PARTS_MAX)
		return bw_fail(e, BW_EINVAL, "text: %d parts (at most %d)", total, PARTS_MAX);
	part *ps = bw_xcalloc((size_t)total + 1, sizeof *ps);
	int cur = 0, used = 0;
	for (const char *q = utf8; *q;) {
		int32_t cp = bw_utf8_next(&q);
		int cost = ucs2 ? (cp > 0xffff ? 2 : 1) : gsm_septets(cp);
		if (total > 1 && used + cost > per) {
			cur++;
			used = 0;
		}
		if (cur >= total) {   /* extension characters pushed it over: one more part */
			ps = bw_xrealloc(ps, ((size_t)cur + 2) * sizeof *ps);
			memset(&ps[cur], 0, sizeof *ps);
			total = cur + 1;
		}
		if (cp > 0xffff) {
			uint32_t v = (uint32_t)cp - 0x10000;
			put_unit(&ps[cur], 0xD800 + (v >> 10));
			put_unit(&ps[cur], 0xDC00 + (v & 0x3ff));
		} else {
			put_unit(&ps[cur], (unsigned)cp);
		}
		used += cost;
	}
	if (total > PARTS_MAX) {
		free(ps);
		return bw_fail(e, BW_EINVAL, "text: %d parts (at most %d)", total, PARTS_MAX);
	}
	unsigned ref = w->ref++ & 0xff;
	int rc = BW_OK;
	for (int i = 0; i < total && rc == BW_OK; i++) {
		int k = order ? order[i] : i;
		if (k < 0 || k >= total) {
			rc = bw_fail(e, BW_EINVAL, "order: part %d out of range", k);
			break;
		}
		if (k + 1 == skip_part)
			continue;
		rc = write_part(w, sender, &ps[k], ucs2, when, ref, k + 1, total, e);
	}
	free(ps);
	if (parts)
		*parts = total;
	return rc;
}

int sms_dummy_mark(const char *dir, const char *db_path, bw_err *e)
{
	char path[1100], tmp[1100];
	snprintf(path, sizeof path, "%s/.bawaba-smsd", dir);
	snprintf(tmp, sizeof tmp, "%s/.bawaba-smsd.tmp", dir);
	FILE *f = fopen(tmp, "w");
	if (!f)
		return bw_fail(e, BW_EIO, "%s: %s", tmp, strerror(errno));
	fprintf(f, "%s\n", db_path);
	if (fclose(f) != 0 || rename(tmp, path) != 0)
		return bw_fail(e, BW_EIO, "%s: %s", path, strerror(errno));
	return BW_OK;
}

int sms_dummy_marked_db(const char *dir, char *out, size_t size, bw_err *e)
{
	char path[1100];
	snprintf(path, sizeof path, "%s/.bawaba-smsd", dir);
	FILE *f = fopen(path, "r");
	if (!f)
		return bw_fail(e, BW_ENOTFOUND, "%s: no gateway has used this phone yet", dir);
	if (!fgets(out, (int)size, f)) {
		fclose(f);
		return bw_fail(e, BW_EIO, "%s: empty", path);
	}
	fclose(f);
	out[strcspn(out, "\n")] = '\0';
	return BW_OK;
}
