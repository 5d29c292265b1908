/* site.c: the static transparency site: HTML pages in ar (RTL) and fr, inline SVG charts, tables and the anonymous open data, from bw_store_report and bw_indicator. */
#include "site.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bw_i18n.h"
#include "bw_indicator.h"
#include "cli.h"

#define SITE_ADMINS 64
#define SITE_MONTHS 36

typedef struct site_admin {
	char code[BW_CODE_MAX + 1];
	char name_ar[256], name_fr[256];
	bw_report_row sum;
} site_admin;

typedef struct site {
	const char *lang;
	char from[11], to[11], today[11];
	site_admin admins[SITE_ADMINS];
	int nadmins;
	bw_report_row kinds[BW_KIND_COUNT], all;
	char month[SITE_MONTHS][16];     /* "2027-01" */
	bw_report_row months[SITE_MONTHS];
	int nmonths;
	FILE *fp;
} site;

static const char *T(const site *s, const char *key)
{
	return bw_tr_lang(s->lang, key);
}

/* HTML text: & < > " escaped. */
static void H(FILE *fp, const char *t)
{
	for (; *t; t++) {
		switch (*t) {
		case '&': fputs("&amp;", fp); break;
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '"': fputs("&quot;", fp); break;
		default: fputc(*t, fp);
		}
	}
}

/* A catalogue text with {name} placeholders filled (values escaped). */
static void HF(const site *s, const char *key, const char *const kv[][2], int n)
{
	for (const char *p = T(s, key); *p;) {
		int hit = 0;
		for (int i = 0; i < n && *p == '{'; i++) {
			size_t l = strlen(kv[i][0]);
			if (strncmp(p + 1, kv[i][0], l) == 0 && p[l + 1] == '}') {
				fputs("<bdi>", s->fp);
				H(s->fp, kv[i][1]);
				fputs("</bdi>", s->fp);
				p += l + 2;
				hit = 1;
				break;
			}
		}
		if (!hit) {
			char c[2] = { *p++, 0 };
			H(s->fp, c);
		}
	}
}

static int add_admin(const bw_admin *a, void *arg)
{
	site *s = arg;
	if (s->nadmins >= SITE_ADMINS)
		return 0;
	site_admin *d = &s->admins[s->nadmins++];
	memset(d, 0, sizeof *d);
	bw_strlcpy(d->code, a->code, sizeof d->code);
	bw_strlcpy(d->name_ar, a->name_ar, sizeof d->name_ar);
	bw_strlcpy(d->name_fr, a->name_fr, sizeof d->name_fr);
	return 0;
}

static int add_row(const bw_report_row *r, void *arg)
{
	site *s = arg;
	for (int i = 0; i < s->nadmins; i++)
		if (strcmp(s->admins[i].code, r->admin) == 0)
			bw_report_add(&s->admins[i].sum, r);
	if ((unsigned)r->kind < BW_KIND_COUNT)
		bw_report_add(&s->kinds[r->kind], r);
	bw_report_add(&s->all, r);
	return 0;
}

static int add_month_row(const bw_report_row *r, void *arg)
{
	bw_report_add(arg, r);
	return 0;
}

/* Counts of the period, by administration and kind, then month by month. */
static int gather(site *s, bw_store *st, bw_err *e)
{
	int y, m, y2, m2;
	if (bw_store_admins(st, add_admin, s, e) < 0 ||
	    bw_store_report(st, s->from, s->to, s->today, NULL, NULL, add_row, s, e))
		return BW_EDB;
	sscanf(s->from, "%d-%d", &y, &m);
	sscanf(s->to, "%d-%d", &y2, &m2);
	while ((y < y2 || (y == y2 && m <= m2)) && s->nmonths < SITE_MONTHS) {
		char a[11], b[11];
		int i = s->nmonths++;
		snprintf(s->month[i], sizeof s->month[i], "%04u-%02u", (unsigned)y % 10000, (unsigned)m % 100);
		snprintf(a, sizeof a, "%.7s-01", s->month[i]);
		snprintf(b, sizeof b, "%.7s-31", s->month[i]);   /* string bounds: any day of the month */
		if (strcmp(a, s->from) < 0)
			memcpy(a, s->from, sizeof a);
		if (strcmp(b, s->to) > 0)
			memcpy(b, s->to, sizeof b);
		if (bw_store_report(st, a, b, s->today, NULL, NULL, add_month_row, &s->months[i], e))
			return BW_EDB;
		if (++m > 12) {
			m = 1;
			y++;
		}
	}
	return BW_OK;
}

static const char *admin_name(const site *s, const site_admin *a)
{
	return strcmp(s->lang, "ar") == 0 && a->name_ar[0] ? a->name_ar : a->name_fr;
}

/* One indicator as a card: the share, what it counts, the plan's goal. */
static void card(site *s, enum bw_ind i)
{
	static const char *const name[BW_IND_COUNT] = { "site.ind.answered", "site.ind.in_time", "site.ind.reopened" };
	char key[64], v[BW_IND_FMT];
	long num, den;
	bw_ind_parts(i, &s->all, &num, &den);
	bw_ind_format(i, &s->all, v);
	fprintf(s->fp, "<div class=\"card\"><div class=\"big\">");
	H(s->fp, den ? v : T(s, "site.nofigure"));
	fprintf(s->fp, "</div><div class=\"name\">");
	H(s->fp, T(s, name[i]));
	fprintf(s->fp, "</div><div class=\"frac\"><bdi>%ld / %ld</bdi></div><p>", num, den);
	snprintf(key, sizeof key, "%s.def", name[i]);
	H(s->fp, T(s, key));
	fprintf(s->fp, "</p></div>\n");
}

/* Horizontal bars: the answered share per administration, the 70% goal as a line. In
 * Arabic the bars grow from the right. Labels sit above their bar: no text measuring. */
static void chart_answered(site *s)
{
	int rtl = strcmp(s->lang, "ar") == 0, n = 0;
	const int W = 640, bar = 18, step = 46, left = 10, span = 560;
	for (int i = 0; i < s->nadmins; i++)
		n += s->admins[i].sum.total > 0;
	int h = 30 + n * step;
	fprintf(s->fp, "<figure><svg role=\"img\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\">"
		"<title>", W, h, W, h);
	H(s->fp, T(s, "site.chart.answered"));
	fprintf(s->fp, "</title>\n");
	int y = 10;
	for (int i = 0; i < s->nadmins; i++) {
		const site_admin *a = &s->admins[i];
		char v[BW_IND_FMT];
		if (!a->sum.total)
			continue;
		int p = bw_ind_permille(BW_IND_ANSWERED, &a->sum);
		int w = p < 0 ? 0 : p * span / 1000;
		int x0 = rtl ? left + span - w : left;
		/* text-anchor start is the right edge in right-to-left text; the share between
		 * LRI and PDI keeps "60.0%" as written inside Arabic */
		fprintf(s->fp, "<text x=\"%d\" y=\"%d\" text-anchor=\"start\" class=\"lbl\">", rtl ? left + span : left,
			y + 12);
		H(s->fp, admin_name(s, a));
		fprintf(s->fp, " — \u2066%s\u2069</text>\n", bw_ind_format(BW_IND_ANSWERED, &a->sum, v));
		fprintf(s->fp, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"bar\"/>"
			"<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"track\"/>\n",
			x0, y + 18, w, bar, left, y + 18, span, bar);
		y += step;
	}
	int gx = rtl ? left + span - span * 7 / 10 : left + span * 7 / 10;
	fprintf(s->fp, "<line x1=\"%d\" y1=\"5\" x2=\"%d\" y2=\"%d\" class=\"goal\"/>"
		"<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" class=\"goaltxt\">", gx, gx, h - 14, gx, h - 2);
	H(s->fp, T(s, "site.goal"));
	fprintf(s->fp, " \u206670%%\u2069</text></svg><figcaption>");
	H(s->fp, T(s, "site.chart.answered"));
	fprintf(s->fp, "</figcaption></figure>\n");
}

/* Vertical bars per month: received and answered side by side; months run right to left
 * in Arabic, as the page reads. */
static void chart_months(site *s)
{
	int rtl = strcmp(s->lang, "ar") == 0;
	long max = 1;
	const int W = 640, H0 = 220, base = 180, top = 20;
	for (int i = 0; i < s->nmonths; i++)
		if (s->months[i].total > max)
			max = s->months[i].total;
	int slot = s->nmonths ? (W - 20) / s->nmonths : W;
	fprintf(s->fp, "<figure><svg role=\"img\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\"><title>", W, H0, W, H0);
	H(s->fp, T(s, "site.chart.month"));
	fprintf(s->fp, "</title>\n<line x1=\"10\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>\n", base, W - 10, base);
	for (int i = 0; i < s->nmonths; i++) {
		int k = rtl ? s->nmonths - 1 - i : i;
		int x = 10 + k * slot, bw = slot / 3 > 2 ? slot / 3 : 2;
		int hr = (int)(s->months[i].total * (base - top) / max);
		int ha = (int)(s->months[i].answered * (base - top) / max);
		fprintf(s->fp, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"recv\"/>"
			"<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"bar\"/>"
			"<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" class=\"small\">%s</text>\n",
			x + slot / 2 - bw, base - hr, bw, hr, x + slot / 2, base - ha, bw, ha,
			x + slot / 2, base + 16, s->month[i] + 5);
		if (s->months[i].total)
			fprintf(s->fp, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" class=\"small\">%ld</text>\n",
				x + slot / 2 - bw / 2, base - hr - 4, s->months[i].total);
	}
	/* the legend in HTML, which lays it out in the page's direction */
	fprintf(s->fp, "</svg><figcaption><span class=\"key recv\"></span> ");
	H(s->fp, T(s, "site.legend.received"));
	fprintf(s->fp, " <span class=\"key bar\"></span> ");
	H(s->fp, T(s, "site.legend.answered"));
	fprintf(s->fp, " — ");
	H(s->fp, T(s, "site.chart.month"));
	fprintf(s->fp, "</figcaption></figure>\n");
}

static void row(site *s, const char *label, const bw_report_row *r)
{
	char a[BW_IND_FMT], t[BW_IND_FMT], o[BW_IND_FMT];
	fprintf(s->fp, "<tr><th scope=\"row\">");
	H(s->fp, label);
	fprintf(s->fp, "</th><td>%ld</td><td>%ld</td><td>%s</td><td>%ld</td><td>%ld</td><td>%s</td>"
		"<td>%ld</td><td>%s</td></tr>\n", r->total, r->answered, bw_ind_format(BW_IND_ANSWERED, r, a),
		r->answered + r->overdue, r->answered_in_time, bw_ind_format(BW_IND_IN_TIME, r, t),
		r->reopened, bw_ind_format(BW_IND_REOPENED, r, o));
}

static void table_head(site *s, const char *title, const char *first)
{
	static const char *const cols[] = { "site.col.received", "site.col.answered", "site.ind.answered",
		"site.col.due", "site.col.in_time", "site.ind.in_time", "site.col.reopened", "site.ind.reopened" };
	fprintf(s->fp, "<h2>");
	H(s->fp, T(s, title));
	fprintf(s->fp, "</h2>\n<table><thead><tr><th scope=\"col\">");
	H(s->fp, T(s, first));
	fprintf(s->fp, "</th>");
	for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
		fprintf(s->fp, "<th scope=\"col\">");
		H(s->fp, T(s, cols[i]));
		fprintf(s->fp, "</th>");
	}
	fprintf(s->fp, "</tr></thead><tbody>\n");
}

static void tables(site *s)
{
	char key[48];
	table_head(s, "site.by_admin", "site.col.admin");
	for (int i = 0; i < s->nadmins; i++)
		if (s->admins[i].sum.total)
			row(s, admin_name(s, &s->admins[i]), &s->admins[i].sum);
	fprintf(s->fp, "</tbody></table>\n");
	table_head(s, "site.by_kind", "site.col.kind");
	for (int k = 0; k < BW_KIND_COUNT; k++) {
		snprintf(key, sizeof key, "open.kind.%s", bw_kind_name((enum bw_kind)k));
		row(s, T(s, key), &s->kinds[k]);
	}
	fprintf(s->fp, "</tbody></table>\n");
	table_head(s, "site.by_month", "site.col.month");
	for (int i = 0; i < s->nmonths; i++)
		row(s, s->month[i], &s->months[i]);
	fprintf(s->fp, "</tbody></table>\n");
}

static const char *const CSS =
	"body{font-family:'Noto Naskh Arabic','Noto Sans Arabic','Noto Sans','DejaVu Sans',sans-serif;"
	"margin:0 auto;max-width:980px;padding:16px;color:#1a1a1a;background:#fff;line-height:1.5}"
	"header{border-bottom:4px solid #0b6e4f;margin-bottom:16px}h1{font-size:1.6em;margin:.2em 0}"
	".lang{float:inline-end}.cards{display:flex;flex-wrap:wrap;gap:12px}"
	".card{flex:1 1 260px;border:1px solid #ccc;border-radius:8px;padding:12px}"
	".big{font-size:2.4em;font-weight:bold;color:#0b6e4f}.name{font-weight:bold}.frac{color:#555}"
	"table{border-collapse:collapse;width:100%;margin:8px 0 24px}th,td{border:1px solid #ccc;"
	"padding:4px 8px;text-align:start}td{font-variant-numeric:tabular-nums}thead th{background:#eef5f1}"
	"figure{margin:16px 0}svg{max-width:100%;height:auto}.bar{fill:#0b6e4f}.recv{fill:#9cc9b6}"
	".track{fill:none;stroke:#bbb}.goal{stroke:#c0392b;stroke-width:2;stroke-dasharray:4 3}"
	".goaltxt{fill:#c0392b;font-size:12px}.lbl{font-size:14px}.small{font-size:11px}"
	".axis{stroke:#888}.key{display:inline-block;width:12px;height:12px}span.bar{background:#0b6e4f}"
	"span.recv{background:#9cc9b6}footer{border-top:1px solid #ccc;margin-top:24px;color:#555;font-size:.9em}";

static int page(site *s, const char *path, bw_err *e)
{
	int rtl = strcmp(s->lang, "ar") == 0;
	if (!(s->fp = fopen(path, "w")))
		return bw_fail(e, BW_EIO, "%s: %s", path, strerror(errno));
	const char *const period[3][2] = { { "from", s->from }, { "to", s->to }, { "today", s->today } };
	fprintf(s->fp, "<!DOCTYPE html>\n<html lang=\"%s\" dir=\"%s\"><head><meta charset=\"utf-8\">"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>", s->lang,
		rtl ? "rtl" : "ltr");
	H(s->fp, T(s, "site.title"));
	fprintf(s->fp, "</title><style>%s</style></head><body>\n<header><a class=\"lang\" href=\"../%s/index.html\" "
		"lang=\"%s\">", CSS, rtl ? "fr" : "ar", rtl ? "fr" : "ar");
	H(s->fp, T(s, "site.lang.other"));
	fprintf(s->fp, "</a><h1>");
	H(s->fp, T(s, "site.title"));
	fprintf(s->fp, "</h1><p>");
	H(s->fp, T(s, "site.subtitle"));
	fprintf(s->fp, "<br>");
	HF(s, "site.period", period, 3);
	fprintf(s->fp, "</p></header>\n<main><section class=\"cards\">\n");
	for (int i = 0; i < BW_IND_COUNT; i++)
		card(s, (enum bw_ind)i);
	fprintf(s->fp, "</section>\n");
	chart_answered(s);
	chart_months(s);
	tables(s);
	fprintf(s->fp, "<h2>");
	H(s->fp, T(s, "site.data"));
	fprintf(s->fp, "</h2><p>");
	H(s->fp, T(s, "site.data.text"));
	fprintf(s->fp, "</p><ul><li><a href=\"../data/requests.csv\" download>");
	H(s->fp, T(s, "site.data.csv"));
	fprintf(s->fp, "</a></li><li><a href=\"../data/indicators.csv\" download>");
	H(s->fp, T(s, "site.data.indicators"));
	fprintf(s->fp, "</a></li><li>");
	H(s->fp, T(s, "site.data.open311"));
	fprintf(s->fp, ": <a href=\"../open311/%s/services.json\">services.json</a>, "
		"<a href=\"../open311/%s/requests.json\">requests.json</a>, "
		"<a href=\"../open311/%s/services.xml\">services.xml</a>, "
		"<a href=\"../open311/%s/requests.xml\">requests.xml</a></li></ul></main>\n<footer><p>",
		s->lang, s->lang, s->lang, s->lang);
	HF(s, "site.footer", period + 2, 1);
	fprintf(s->fp, "</p></footer></body></html>\n");
	if (fclose(s->fp) != 0)
		return bw_fail(e, BW_EIO, "%s: cannot write", path);
	return BW_OK;
}

/* DIR/data/indicators.csv: the counts and the three shares per administration and kind. */
static int indicators_csv(bw_store *st, site *s, const char *path, bw_err *e);

typedef struct csvctx { FILE *fp; } csvctx;

static int ind_row(const bw_report_row *r, void *arg)
{
	csvctx *c = arg;
	char a[BW_IND_FMT], t[BW_IND_FMT], o[BW_IND_FMT];
	fprintf(c->fp, "%s,%s,%ld,%ld,%ld,%ld,%ld,%s,%s,%s\r\n", r->admin, bw_kind_name((enum bw_kind)r->kind),
		r->total, r->answered, r->answered + r->overdue, r->answered_in_time, r->reopened,
		bw_ind_format(BW_IND_ANSWERED, r, a), bw_ind_format(BW_IND_IN_TIME, r, t),
		bw_ind_format(BW_IND_REOPENED, r, o));
	return 0;
}

static int indicators_csv(bw_store *st, site *s, const char *path, bw_err *e)
{
	csvctx c = { fopen(path, "w") };
	if (!c.fp)
		return bw_fail(e, BW_EIO, "%s: %s", path, strerror(errno));
	fputs("admin,kind,received,answered,due,answered_in_time,reopened,answered_share,in_time_share,reopen_rate\r\n", c.fp);
	int rc = bw_store_report(st, s->from, s->to, s->today, NULL, NULL, ind_row, &c, e);
	if (fclose(c.fp) != 0 && !rc)
		rc = bw_fail(e, BW_EIO, "%s: cannot write", path);
	return rc;
}

static int mkdirs(const char *dir, bw_err *e)
{
	static const char *const sub[] = { "", "/ar", "/fr", "/data", "/open311" };
	char p[4096];
	for (size_t i = 0; i < sizeof sub / sizeof sub[0]; i++) {
		snprintf(p, sizeof p, "%s%s", dir, sub[i]);
		if (mkdir(p, 0755) != 0 && errno != EEXIST)
			return bw_fail(e, BW_EIO, "%s: %s", p, strerror(errno));
	}
	return BW_OK;
}

/* DIR/index.html: both languages offered, each in its own direction. */
static int chooser(site *s, const char *dir, bw_err *e)
{
	char p[4096];
	snprintf(p, sizeof p, "%s/index.html", dir);
	FILE *fp = fopen(p, "w");
	if (!fp)
		return bw_fail(e, BW_EIO, "%s: %s", p, strerror(errno));
	fprintf(fp, "<!DOCTYPE html>\n<html lang=\"ar\" dir=\"rtl\"><head><meta charset=\"utf-8\">"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>bawaba</title>"
		"<style>%s .choice{font-size:1.4em}</style></head><body><main>\n", CSS);
	static const char *const langs[2] = { "ar", "fr" };
	for (int i = 0; i < 2; i++) {
		s->lang = langs[i];
		s->fp = fp;
		fprintf(fp, "<section lang=\"%s\" dir=\"%s\"><h1>", langs[i], i ? "ltr" : "rtl");
		H(fp, T(s, "site.title"));
		fprintf(fp, "</h1><p class=\"choice\"><a href=\"%s/index.html\">", langs[i]);
		H(fp, T(s, "site.subtitle"));
		fprintf(fp, "</a></p></section>\n");
	}
	fprintf(fp, "</main></body></html>\n");
	if (fclose(fp) != 0)
		return bw_fail(e, BW_EIO, "%s: cannot write", p);
	return BW_OK;
}

int site_write(bw_store *st, const char *dir, const char *from, const char *to, const char *today,
               bw_err *e)
{
	site *s = bw_xcalloc(1, sizeof *s);
	char p[4096];
	int rc, y, m;
	bw_filter f;
	bw_strlcpy(s->today, today, sizeof s->today);
	bw_strlcpy(s->to, to ? to : today, sizeof s->to);
	if (from) {
		bw_strlcpy(s->from, from, sizeof s->from);
	} else {
		/* the twelve months up to this one */
		sscanf(s->to, "%d-%d", &y, &m);
		m -= 11;
		if (m < 1) {
			m += 12;
			y--;
		}
		char tmp[32];
		snprintf(tmp, sizeof tmp, "%04u-%02u-01", (unsigned)y % 10000, (unsigned)m % 100);
		bw_strlcpy(s->from, tmp, sizeof s->from);
	}
	if ((rc = gather(s, st, e)) || (rc = mkdirs(dir, e)))
		goto out;
	static const char *const langs[2] = { "ar", "fr" };
	for (int i = 0; i < 2 && !rc; i++) {
		s->lang = langs[i];
		snprintf(p, sizeof p, "%s/%s/index.html", dir, langs[i]);
		rc = page(s, p, e);
	}
	if (rc || (rc = chooser(s, dir, e)))
		goto out;
	bw_filter_init(&f);
	f.from = s->from;
	f.to = s->to;
	snprintf(p, sizeof p, "%s/data/requests.csv", dir);
	FILE *fp = fopen(p, "w");
	if (!fp) {
		rc = bw_fail(e, BW_EIO, "%s: %s", p, strerror(errno));
		goto out;
	}
	rc = cli_csv_write(fp, st, &f, today, 1, 0, e);
	if (fclose(fp) != 0 && !rc)
		rc = bw_fail(e, BW_EIO, "%s: cannot write", p);
	snprintf(p, sizeof p, "%s/data/indicators.csv", dir);
	if (!rc)
		rc = indicators_csv(st, s, p, e);
	for (int i = 0; i < 2 && !rc; i++) {
		snprintf(p, sizeof p, "%s/open311/%s", dir, langs[i]);
		rc = cli_open311_dir(st, p, langs[i], 1, today, &f, e);
	}
out:
	free(s);
	return rc;
}
