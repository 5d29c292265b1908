/* bw_state.h: the lifecycle of a request, one table of allowed transitions (bw_state.c). */
#ifndef BW_STATE_H
#define BW_STATE_H

enum bw_state {
	BW_ST_RECEIVED = 0,   /* stored at the hub (or a device), nobody has looked yet */
	BW_ST_ACKNOWLEDGED,   /* receipt acknowledged to the citizen (decree: promptly, ~15 days) */
	BW_ST_ASSIGNED,       /* handed to an administration / its information officer */
	BW_ST_IN_PROGRESS,
	BW_ST_EXTENDED,       /* law 31.13 art. 16: deadline extended once by 20 working days */
	BW_ST_ANSWERED,       /* answer given; the answer text is in the event */
	BW_ST_REJECTED,       /* refused with a reason from the law's list */
	BW_ST_CLOSED,
	BW_ST_REOPENED,       /* complaint reopened by its author (decree 2.17.265) */
	BW_ST_UNDER_APPEAL,   /* law 31.13: complaint to the head of the body */
	BW_ST_COUNT
};

enum bw_kind;

const char *bw_state_name(enum bw_state s);
int bw_state_parse(const char *s);  /* state or BW_EINVAL */

/* 1 when a request of this kind may go from `from` to `to`, else 0. Some moves depend
 * on the kind (only information requests are extended or appealed, only decree requests
 * are reopened) and on history (extension at most once: pass already_extended). */
int bw_state_allowed(int kind, enum bw_state from, enum bw_state to, int already_extended);

/* 1 for states where a legal deadline runs (not answered, rejected or closed). */
int bw_state_is_open(enum bw_state s);

/* Transitions that need a note (answer text, reason): 1 if a note is mandatory. */
int bw_state_needs_note(enum bw_state to);

/* Reasons a request may be rejected. For information requests they are the law's list
 * (31.13: art. 7 exceptions, not available, already published, already given, unclear,
 * being prepared, deposited with Archives du Maroc); decree requests have their own. */
typedef struct bw_refusal {
	const char *code;     /* stable: "art7-exception" */
	int info;             /* 1: for information requests, 0: for decree requests */
	const char *label;    /* English, for operators; citizens get catalogue text */
} bw_refusal;

/* The reason `code` if it applies to `kind`, else NULL. */
const bw_refusal *bw_refusal_get(const char *code, int kind);
/* All reasons, ending with a { NULL } entry. */
const bw_refusal *bw_refusals(void);

#endif
