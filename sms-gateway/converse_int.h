/* converse_int.h: private to the conversation's files (converse*.c): the wording helpers
 * and the administration words that converse.c (one message) and converse_notify.c
 * (notifications, time-outs) share with converse_text.c. Not for other modules. */
#ifndef SMS_CONVERSE_INT_H
#define SMS_CONVERSE_INT_H

#include <stddef.h>

#include "converse.h"

/* The label of kind / state in lang (catalogue "sms"). */
const char *conv_kind_label(const char *lang, int kind);
const char *conv_state_label(const char *lang, int state);
/* "YYYY-MM-DD" as people read it here: "DD/MM/YYYY". */
void conv_date_label(const char *iso, char out[11]);
/* A reference in groups of four, spaced. */
void conv_ref_label(const char *ref, char out[20]);
/* The administration a folded word names ("sante", "الصحه", "transport"), or NULL. */
const char *conv_admin_match(const sms_conv *c, const char *folded);

void conv_fill_pairs(char *out, const char *lang, size_t n, const char *const *a);
/* Fills out[SMS_OUT_SIZE] from the template `key` in lang; the optional arguments are
 * names and values interleaved: FILL(out, "ar", "sms.filed", "ref", r, "date", d). */
#define FILL(out, lang, ...) do { \
	const char *a_[] = { __VA_ARGS__ }; \
	conv_fill_pairs((out), (lang), sizeof a_ / sizeof *a_, a_); \
} while (0)

#endif
