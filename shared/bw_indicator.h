/* bw_indicator.h: the action plan's indicators (commitment 10), one definition each: what
 * is counted above and below the line. The CLI report, the agent console (through the
 * hub's report), the exports and the transparency site all take their figures from here,
 * so one label never means two numbers. docs/indicators.md sets each definition next to
 * the plan's wording. */
#ifndef BW_INDICATOR_H
#define BW_INDICATOR_H

#include "bw_store.h"

enum bw_ind {
	BW_IND_ANSWERED = 0,  /* answered: answered (or refused with a reason) / received */
	BW_IND_IN_TIME,       /* answered within the legal deadline / requests due */
	BW_IND_REOPENED,      /* reopened at least once / answered */
	BW_IND_COUNT
};

typedef struct bw_ind_def {
	const char *key;          /* "answered", "in_time", "reopened": JSON, CSV, catalogues */
	const char *label;        /* English, for the CLI report and the docs */
	const char *numerator;    /* what is counted above the line */
	const char *denominator;  /* and below */
	int goal_permille;        /* the plan's goal as a share (700 = 70%); -1 when the goal
	                           * is a change over time (the reopen rate: down 10%) */
} bw_ind_def;

/* The definition of indicator i (static), NULL for an unknown i. */
const bw_ind_def *bw_ind_get(enum bw_ind i);

/* Numerator and denominator of indicator i from the counts of r. */
void bw_ind_parts(enum bw_ind i, const bw_report_row *r, long *num, long *den);

/* The share in tenths of a percent (0-1000, rounded down), or -1 when the denominator is
 * 0: no figure, which is not 0%. */
int bw_ind_permille(enum bw_ind i, const bw_report_row *r);

/* "71.4%" (one decimal), or "-" when there is no figure. */
#define BW_IND_FMT 16
char *bw_ind_format(enum bw_ind i, const bw_report_row *r, char out[BW_IND_FMT]);

/* Adds the counts of b into a (totals over administrations, kinds, months). */
void bw_report_add(bw_report_row *a, const bw_report_row *b);

#endif
