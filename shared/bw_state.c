/* bw_state.c: the lifecycle of a request: its states and the one table of allowed moves.
 *
 * This table is the documentation (docs/lifecycle.md is printed from it by
 * `bawaba lifecycle`). Rules that depend on the kind:
 *   - only information requests (law 31.13) are EXTENDED (once) and go UNDER_APPEAL
 *     (art. 19: complaint to the head of the body after a refusal, an answer the
 *     requester contests, or silence past the deadline: the store checks the deadline);
 *   - only complaints (decree 2.17.265) are REOPENED by their author when unsatisfied.
 * ANSWERED, REJECTED and CLOSED stop the clock; everything else is open. */
#include "bw_state.h"

#include <string.h>

#include "bw_err.h"
#include "bw_request.h"

static const char *const names[BW_ST_COUNT] = {
	[BW_ST_RECEIVED] = "received",
	[BW_ST_ACKNOWLEDGED] = "acknowledged",
	[BW_ST_ASSIGNED] = "assigned",
	[BW_ST_IN_PROGRESS] = "in_progress",
	[BW_ST_EXTENDED] = "extended",
	[BW_ST_ANSWERED] = "answered",
	[BW_ST_REJECTED] = "rejected",
	[BW_ST_CLOSED] = "closed",
	[BW_ST_REOPENED] = "reopened",
	[BW_ST_UNDER_APPEAL] = "under_appeal",
};

#define B(s) (1u << (s))
/* Work in progress can move to any working state, an answer, a refusal, an extension. */
#define WORKING (B(BW_ST_ASSIGNED) | B(BW_ST_IN_PROGRESS) | B(BW_ST_ANSWERED) | \
                 B(BW_ST_REJECTED) | B(BW_ST_EXTENDED) | B(BW_ST_UNDER_APPEAL))
#define ENDED (B(BW_ST_CLOSED) | B(BW_ST_REOPENED) | B(BW_ST_UNDER_APPEAL))

static const unsigned allowed[BW_ST_COUNT] = {
	[BW_ST_RECEIVED] = WORKING | B(BW_ST_ACKNOWLEDGED) | B(BW_ST_CLOSED),
	[BW_ST_ACKNOWLEDGED] = WORKING | B(BW_ST_CLOSED),
	[BW_ST_ASSIGNED] = WORKING,
	[BW_ST_IN_PROGRESS] = WORKING,
	[BW_ST_EXTENDED] = WORKING,
	[BW_ST_ANSWERED] = ENDED,
	[BW_ST_REJECTED] = ENDED,
	[BW_ST_CLOSED] = B(BW_ST_REOPENED) | B(BW_ST_UNDER_APPEAL),
	[BW_ST_REOPENED] = WORKING & ~B(BW_ST_EXTENDED),
	[BW_ST_UNDER_APPEAL] = (WORKING | B(BW_ST_CLOSED)) & ~(B(BW_ST_EXTENDED) | B(BW_ST_UNDER_APPEAL)),
};

/* States whose entry requires a note: who it is assigned to, the answer, the reason. */
static const unsigned needs_note = B(BW_ST_ASSIGNED) | B(BW_ST_ANSWERED) | B(BW_ST_REJECTED) |
	B(BW_ST_EXTENDED) | B(BW_ST_REOPENED) | B(BW_ST_UNDER_APPEAL);

const char *bw_state_name(enum bw_state s)
{
	return (unsigned)s < BW_ST_COUNT ? names[s] : "?";
}

int bw_state_parse(const char *s)
{
	for (int i = 0; i < BW_ST_COUNT; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return BW_EINVAL;
}

int bw_state_allowed(int kind, enum bw_state from, enum bw_state to, int already_extended)
{
	if ((unsigned)from >= BW_ST_COUNT || (unsigned)to >= BW_ST_COUNT)
		return 0;
	if (!(allowed[from] & B(to)))
		return 0;
	if (from == to && to != BW_ST_ASSIGNED)  /* only a reassignment repeats a state */
		return 0;
	if (to == BW_ST_EXTENDED && (kind != BW_KIND_INFO || already_extended))
		return 0;
	if (to == BW_ST_UNDER_APPEAL && kind != BW_KIND_INFO)
		return 0;
	if (to == BW_ST_REOPENED && kind != BW_KIND_COMPLAINT)
		return 0;
	return 1;
}

int bw_state_is_open(enum bw_state s)
{
	return s != BW_ST_ANSWERED && s != BW_ST_REJECTED && s != BW_ST_CLOSED;
}

int bw_state_needs_note(enum bw_state to)
{
	return (unsigned)to < BW_ST_COUNT && (needs_note & B(to)) != 0;
}

static const bw_refusal refusals[] = {
	{ "not-available", 1, "the information is not held by the body" },
	{ "art7-exception", 1, "protected by an exception of article 7 (defence, security, privacy, ...)" },
	{ "already-published", 1, "already published (the answer says where)" },
	{ "already-given", 1, "already given to the same requester this year" },
	{ "unclear", 1, "the request is unclear or too general" },
	{ "in-preparation", 1, "the information is still being prepared" },
	{ "archives", 1, "deposited with Archives du Maroc" },
	{ "out-of-scope", 0, "not within the competence of the administration" },
	{ "duplicate", 0, "the same request was already filed" },
	{ "insufficient", 0, "not enough detail to act on" },
	{ "judicial", 0, "the matter is before a court" },
	{ NULL, 0, NULL },
};

const bw_refusal *bw_refusal_get(const char *code, int kind)
{
	for (const bw_refusal *r = refusals; r->code; r++)
		if (strcmp(r->code, code) == 0 && r->info == (kind == BW_KIND_INFO))
			return r;
	return NULL;
}

const bw_refusal *bw_refusals(void)
{
	return refusals;
}
