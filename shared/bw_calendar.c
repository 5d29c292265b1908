/* bw_calendar.c: civil-date arithmetic, the working-day calendar, and the table of legal
 * deadline rules (the law as data). */
#include "bw_calendar.h"

#include <stdio.h>
#include <string.h>

#include "bw_request.h"

/* Days from civil date, after H. Hinnant's public-domain algorithm (era of 400 years). */
bw_day bw_day_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153u * (unsigned)(m > 2 ? m - 3 : m + 9) + 2) / 5 + (unsigned)d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (bw_day)(era * 146097 + (int)doe - 719468);
}

void bw_day_to_ymd(bw_day day, int *y, int *m, int *d)
{
	int z = day + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int yy = (int)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yy + (*m <= 2);
}

static int days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 ? 28 + leap : dm[m - 1];
}

int bw_day_parse(const char *s, bw_day *out, bw_err *e)
{
	int y, m, d;
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return bw_fail(e, BW_EINVAL, "date \"%s\": expected YYYY-MM-DD", s ? s : "");
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return bw_fail(e, BW_EINVAL, "date \"%s\": expected YYYY-MM-DD", s);
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1970 || y > 2199 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return bw_fail(e, BW_EINVAL, "date \"%s\": no such day", s);
	*out = bw_day_from_ymd(y, m, d);
	return BW_OK;
}

char *bw_day_format(bw_day day, char out[11])
{
	int y, m, d;
	bw_day_to_ymd(day, &y, &m, &d);
	/* y, m, d are in range by construction; write the digits directly */
	unsigned uy = (unsigned)y % 10000u;
	out[0] = (char)('0' + uy / 1000);
	out[1] = (char)('0' + uy / 100 % 10);
	out[2] = (char)('0' + uy / 10 % 10);
	out[3] = (char)('0' + uy % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
	return out;
}

int bw_day_weekday(bw_day d)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0) */
	int w = (d + 3) % 7;
	return w < 0 ? w + 7 : w;
}

bw_day bw_day_of_utc(int64_t t)
{
	int64_t d = t / 86400;
	if (t % 86400 < 0)
		d--;
	return (bw_day)d;
}

static int is_holiday(const bw_holidays *h, bw_day d)
{
	if (!h)
		return 0;
	size_t lo = 0, hi = h->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (h->days[mid] == d)
			return 1;
		if (h->days[mid] < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

int bw_is_working_day(const bw_holidays *h, bw_day d)
{
	return bw_day_weekday(d) < 5 && !is_holiday(h, d);
}

/* The rules. Sources: law 31.13 on the right of access to information (arts. 16, 17,
 * 19, 20) and decree 2.17.265 on complaints; see DESIGN.md. "Days" in the decree and
 * in the urgent/appeal articles are calendar days; the information deadlines are
 * working days. */
static const bw_rule rules[] = {
	{ "info", BW_COUNT_WORKING_DAYS, 20, "law 31.13 art. 16: answer within 20 working days" },
	{ "info-extension", BW_COUNT_WORKING_DAYS, 20, "law 31.13 art. 16: one extension of 20 working days, requester told with the reason" },
	{ "info-urgent", BW_COUNT_CALENDAR_DAYS, 3, "law 31.13 art. 17: 3 days when life, safety or freedom is at stake" },
	{ "info-urgent-extension", BW_COUNT_CALENDAR_DAYS, 3, "law 31.13 art. 17 (CDAI): an urgent request extended once by 3 days, requester told with the reason" },
	{ "appeal-window", BW_COUNT_WORKING_DAYS, 20, "law 31.13 art. 19: complaint to the head of the body within 20 working days" },
	{ "appeal-answer", BW_COUNT_CALENDAR_DAYS, 15, "law 31.13 art. 19: the head of the body answers within 15 days" },
	{ "cdai-window", BW_COUNT_CALENDAR_DAYS, 30, "law 31.13 art. 20: complaint to the CDAI within 30 days" },
	{ "decree", BW_COUNT_CALENDAR_DAYS, 60, "decree 2.17.265: answer within 60 days" },
	{ "decree-ack", BW_COUNT_CALENDAR_DAYS, 15, "decree 2.17.265: acknowledge receipt promptly (15 days)" },
};

const bw_rule *bw_rule_get(const char *name)
{
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
		if (strcmp(rules[i].name, name) == 0)
			return &rules[i];
	return NULL;
}

static void skip(bw_deadline *out, bw_day d)
{
	if (out->nskipped < BW_SKIPPED_MAX)
		out->skipped[out->nskipped++] = d;
}

void bw_deadline_compute(const bw_rule *rule, bw_day from, const bw_holidays *h, bw_deadline *out)
{
	bw_day d = from;
	if (rule->count == BW_COUNT_WORKING_DAYS) {
		for (int left = rule->days; left > 0;) {
			d++;
			if (bw_is_working_day(h, d))
				left--;
			else if (bw_day_weekday(d) < 5)
				skip(out, d);
		}
	} else {
		d = from + rule->days;
		/* a deadline that lands on a day off moves to the next working day */
		while (!bw_is_working_day(h, d)) {
			if (bw_day_weekday(d) < 5)
				skip(out, d);
			d++;
		}
	}
	out->due = d;
}

const char *bw_rule_initial(int kind, int urgent)
{
	if (kind == BW_KIND_INFO)
		return urgent ? "info-urgent" : "info";
	return "decree";
}

const char *bw_rule_extension(const char *rule)
{
	/* an urgent request keeps its short clock: 3 more days, not 20 working days */
	return strcmp(rule, "info-urgent") == 0 ? "info-urgent-extension" : "info-extension";
}

int bw_deadline_chain(const char *rule, bw_day from, int extended, const bw_holidays *h,
                      bw_deadline *out, bw_err *e)
{
	const bw_rule *r = bw_rule_get(rule);
	if (!r)
		return bw_fail(e, BW_EINVAL, "deadline rule \"%s\": unknown", rule);
	out->nskipped = 0;
	bw_deadline_compute(r, from, h, out);
	if (extended)
		bw_deadline_compute(bw_rule_get(bw_rule_extension(rule)), out->due, h, out);
	return BW_OK;
}
