/* test_state.c: the lifecycle table: what each kind may do, what it may not. */
#include <check.h>

#include "bw_request.h"
#include "bw_state.h"
#include "fixture.h"

START_TEST(names_round_trip)
{
	for (int s = 0; s < BW_ST_COUNT; s++)
		ck_assert_int_eq(bw_state_parse(bw_state_name(s)), s);
	ck_assert_int_eq(bw_state_parse("done"), BW_EINVAL);
	ck_assert_str_eq(bw_state_name(BW_ST_COUNT), "?");
}
END_TEST

START_TEST(ordinary_path)
{
	for (int k = 0; k < BW_KIND_COUNT; k++) {
		ck_assert(bw_state_allowed(k, BW_ST_RECEIVED, BW_ST_ACKNOWLEDGED, 0));
		ck_assert(bw_state_allowed(k, BW_ST_ACKNOWLEDGED, BW_ST_ASSIGNED, 0));
		ck_assert(bw_state_allowed(k, BW_ST_ASSIGNED, BW_ST_IN_PROGRESS, 0));
		ck_assert(bw_state_allowed(k, BW_ST_IN_PROGRESS, BW_ST_ANSWERED, 0));
		ck_assert(bw_state_allowed(k, BW_ST_ANSWERED, BW_ST_CLOSED, 0));
		ck_assert(bw_state_allowed(k, BW_ST_IN_PROGRESS, BW_ST_REJECTED, 0));
	}
}
END_TEST

START_TEST(illegal_moves_refused)
{
	for (int k = 0; k < BW_KIND_COUNT; k++) {
		ck_assert(!bw_state_allowed(k, BW_ST_CLOSED, BW_ST_ANSWERED, 0));
		ck_assert(!bw_state_allowed(k, BW_ST_ANSWERED, BW_ST_IN_PROGRESS, 0));
		ck_assert(!bw_state_allowed(k, BW_ST_ASSIGNED, BW_ST_RECEIVED, 0));
		ck_assert(!bw_state_allowed(k, BW_ST_ASSIGNED, BW_ST_ACKNOWLEDGED, 0));
		ck_assert(!bw_state_allowed(k, BW_ST_ANSWERED, BW_ST_ANSWERED, 0));
		ck_assert(!bw_state_allowed(k, BW_ST_COUNT, BW_ST_CLOSED, 0));
		/* nothing ever goes back to received */
		for (int s = 0; s < BW_ST_COUNT; s++)
			ck_assert(!bw_state_allowed(k, s, BW_ST_RECEIVED, 0));
	}
}
END_TEST

START_TEST(kind_specific_moves)
{
	/* extension: information requests only, once */
	ck_assert(bw_state_allowed(BW_KIND_INFO, BW_ST_IN_PROGRESS, BW_ST_EXTENDED, 0));
	ck_assert(!bw_state_allowed(BW_KIND_INFO, BW_ST_IN_PROGRESS, BW_ST_EXTENDED, 1));
	ck_assert(!bw_state_allowed(BW_KIND_INFO, BW_ST_EXTENDED, BW_ST_EXTENDED, 1));
	ck_assert(!bw_state_allowed(BW_KIND_COMPLAINT, BW_ST_IN_PROGRESS, BW_ST_EXTENDED, 0));
	/* reopen: complaints only, after an answer, a refusal or a close */
	ck_assert(bw_state_allowed(BW_KIND_COMPLAINT, BW_ST_ANSWERED, BW_ST_REOPENED, 0));
	ck_assert(bw_state_allowed(BW_KIND_COMPLAINT, BW_ST_CLOSED, BW_ST_REOPENED, 0));
	ck_assert(!bw_state_allowed(BW_KIND_COMPLAINT, BW_ST_IN_PROGRESS, BW_ST_REOPENED, 0));
	ck_assert(!bw_state_allowed(BW_KIND_SUGGESTION, BW_ST_ANSWERED, BW_ST_REOPENED, 0));
	ck_assert(!bw_state_allowed(BW_KIND_INFO, BW_ST_ANSWERED, BW_ST_REOPENED, 0));
	/* appeal: information requests only */
	ck_assert(bw_state_allowed(BW_KIND_INFO, BW_ST_REJECTED, BW_ST_UNDER_APPEAL, 0));
	ck_assert(bw_state_allowed(BW_KIND_INFO, BW_ST_IN_PROGRESS, BW_ST_UNDER_APPEAL, 0));
	ck_assert(!bw_state_allowed(BW_KIND_COMPLAINT, BW_ST_REJECTED, BW_ST_UNDER_APPEAL, 0));
	ck_assert(!bw_state_allowed(BW_KIND_INFO, BW_ST_UNDER_APPEAL, BW_ST_UNDER_APPEAL, 0));
	ck_assert(bw_state_allowed(BW_KIND_INFO, BW_ST_UNDER_APPEAL, BW_ST_ANSWERED, 0));
}
END_TEST

START_TEST(open_and_notes)
{
	ck_assert(bw_state_is_open(BW_ST_RECEIVED));
	ck_assert(bw_state_is_open(BW_ST_REOPENED));
	ck_assert(bw_state_is_open(BW_ST_UNDER_APPEAL));
	ck_assert(!bw_state_is_open(BW_ST_ANSWERED));
	ck_assert(!bw_state_is_open(BW_ST_REJECTED));
	ck_assert(!bw_state_is_open(BW_ST_CLOSED));
	ck_assert(bw_state_needs_note(BW_ST_ANSWERED));
	ck_assert(bw_state_needs_note(BW_ST_REJECTED));
	ck_assert(bw_state_needs_note(BW_ST_EXTENDED));
	ck_assert(!bw_state_needs_note(BW_ST_CLOSED));
	ck_assert(!bw_state_needs_note(BW_ST_IN_PROGRESS));
}
END_TEST

FX_SUITE(state, "core", NULL, NULL,
		names_round_trip, ordinary_path, illegal_moves_refused, kind_specific_moves,
		open_and_notes)
