/* bw_indicator.c: the commitment-10 indicators, one definition each (see bw_indicator.h and docs/indicators.md). */
#include "bw_indicator.h"

#include <stdio.h>

static const bw_ind_def defs[BW_IND_COUNT] = {
	[BW_IND_ANSWERED] = { "answered", "answered",
		"requests answered or refused with a reason",
		"requests received in the period", 700 },
	/* requests still open whose deadline has not passed are in neither count: they can
	 * still be answered in time, and counting them below the line would make a busy
	 * month look late (the CLI once said 25% where the console said 100%) */
	[BW_IND_IN_TIME] = { "in_time", "answered in time",
		"requests answered on or before their legal deadline",
		"requests due: answered, plus still unanswered after their deadline", 700 },
	[BW_IND_REOPENED] = { "reopened", "reopen rate",
		"answered requests their author reopened at least once",
		"requests answered", -1 },
};

const bw_ind_def *bw_ind_get(enum bw_ind i)
{
	return (unsigned)i < BW_IND_COUNT ? &defs[i] : NULL;
}

void bw_ind_parts(enum bw_ind i, const bw_report_row *r, long *num, long *den)
{
	*num = *den = 0;
	switch (i) {
	case BW_IND_ANSWERED:
		*num = r->answered;
		*den = r->total;
		break;
	case BW_IND_IN_TIME:
		*num = r->answered_in_time;
		*den = r->answered + r->overdue;
		break;
	case BW_IND_REOPENED:
		*num = r->reopened;
		*den = r->answered;
		break;
	default:
		break;
	}
}

int bw_ind_permille(enum bw_ind i, const bw_report_row *r)
{
	long num, den;
	bw_ind_parts(i, r, &num, &den);
	if (den <= 0)
		return -1;
	return (int)((long long)num * 1000 / den);
}

char *bw_ind_format(enum bw_ind i, const bw_report_row *r, char out[BW_IND_FMT])
{
	int p = bw_ind_permille(i, r);
	if (p < 0)
		snprintf(out, BW_IND_FMT, "-");
	else
		snprintf(out, BW_IND_FMT, "%d.%d%%", p / 10, p % 10);
	return out;
}

void bw_report_add(bw_report_row *a, const bw_report_row *b)
{
	a->total += b->total;
	a->answered += b->answered;
	a->answered_in_time += b->answered_in_time;
	a->overdue += b->overdue;
	a->reopened += b->reopened;
}
