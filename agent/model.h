/* model.h: the agent console's state with no SDL and no network: the live queue (rows
 * keyed by reference, changes applied as the hub pushes them, counts per state), sort
 * and filters, the selected request's details and timeline, the site's devices and their
 * alerts, the indicators, and the announcements (toasts) of new and newly overdue
 * requests. Everything enters through ag_model_apply (one hub message, JSON), so the
 * unit tests feed it the very messages the hub publishes. */
#ifndef AGENT_MODEL_H
#define AGENT_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "bw_err.h"
#include "bw_request.h"
#include "bw_store.h"

/* The counters an agent watches; also the values of the state filter. */
enum ag_count {
	AG_CNT_NEW = 0,        /* received, acknowledged, reopened: nobody works on it yet */
	AG_CNT_ASSIGNED,
	AG_CNT_IN_PROGRESS,
	AG_CNT_EXTENDED,
	AG_CNT_OVERDUE,        /* open and past its legal deadline (overlaps the others) */
	AG_CNT_ANSWERED_TODAY, /* answered or rejected today, as this console saw it */
	AG_CNT_COUNT
};

/* One request as a row of the queue (what the hub's "row" object carries). */
typedef struct ag_row {
	char ref[BW_REF_LEN + 1];
	int kind, state, channel;
	char admin[BW_CODE_MAX + 1], category[BW_CODE_MAX + 1], site[BW_CODE_MAX + 1];
	char device[BW_CODE_MAX + 1];
	char received_on[BW_DATE_LEN + 1], deadline[BW_DATE_LEN + 1];
	int overdue, urgent, extended;
	char lang[4];
	char phone[BW_PHONE_LEN + 1];
	char excerpt[BW_CHARS(80)];
	char done_on[BW_DATE_LEN + 1]; /* day this console saw it answered/rejected, "" */
	int fresh;                     /* arrived live and not opened yet (shown bold) */
	int64_t seen_ms;               /* model clock when it last changed (bench log) */
} ag_row;

/* One event of a request's timeline. */
typedef struct ag_event {
	int64_t at;
	char actor[BW_ACTOR_MAX + 1];
	int old_state, new_state;
	char note[BW_CHARS(BW_NOTE_MAX)];
} ag_event;

#define AG_EVENTS_MAX 64
#define AG_SKIPPED_MAX 32

/* The selected request, from the hub's answer to "get" (personal data: agents only). */
typedef struct ag_detail {
	int loaded;                    /* 0 until the answer arrived */
	char ref[BW_REF_LEN + 1];
	bw_request req;
	ag_row row;
	ag_event events[AG_EVENTS_MAX];
	int nevents;
	char skipped[AG_SKIPPED_MAX][BW_DATE_LEN + 1];  /* holidays the deadline skipped */
	int nskipped;
} ag_detail;

#define AG_DEVICES_MAX 64

typedef struct ag_device {
	char id[BW_CODE_MAX + 1];
	char kind[16];
	int online;
	int64_t last_seen;             /* UTC seconds, 0 = never */
	long outbox;                   /* -1 = unknown */
	int signal, queue;             /* -1 = unknown (gateways only) */
	int clock_known;               /* the hub measured its clock (clock_skew is set) */
	int64_t clock_skew;            /* its clock minus the hub's at its last heartbeat, s */
} ag_device;

enum ag_toast_kind { AG_TOAST_NEW = 0, AG_TOAST_OVERDUE, AG_TOAST_OFFLINE, AG_TOAST_BACKLOG,
                     AG_TOAST_ONLINE };

#define AG_TOASTS_MAX 8
#define AG_TOAST_MS 8000

typedef struct ag_toast {
	int kind;                      /* enum ag_toast_kind */
	char what[BW_CODE_MAX + 1];    /* the reference or the device id */
	long n;                        /* BACKLOG: the outbox size */
	int64_t until_ms;
} ag_toast;

/* The commitment-10 indicators over the chosen period (sums of the report rows). */
typedef struct ag_indicators {
	int loaded;
	char from[BW_DATE_LEN + 1], until[BW_DATE_LEN + 1];
	long total, answered, in_time, overdue, reopened;
} ag_indicators;

enum ag_sort { AG_SORT_DEADLINE = 0, AG_SORT_RECEIVED, AG_SORT_REF, AG_SORT_STATE, AG_SORT_COUNT };

/* Filters of the queue view; -1 / "" = any. */
typedef struct ag_filter {
	int kind, channel, count;      /* count: an enum ag_count, -1 = every request */
	char admin[BW_CODE_MAX + 1], device[BW_CODE_MAX + 1];
	char text[128];                /* substring of reference, excerpt, administration */
	int sort;                      /* enum ag_sort */
} ag_filter;

/* The result of the last action (move, file) or the last refusal, for the status line. */
typedef struct ag_result {
	int ok;
	char op[16];
	char ref[BW_REF_LEN + 1];
	int state;                     /* the new state on success, else -1 */
	char error[BW_ERRMSG];
	int64_t at_ms;
} ag_result;

typedef struct ag_model {
	ag_row *rows;                  /* every request in scope, in arrival order */
	int nrows, cap;
	int *index;                    /* open addressing by ref: row number + 1, 0 = empty */
	int index_cap;
	int *view;                     /* rows matching the filter, sorted */
	int nview, view_dirty;
	ag_filter filter;
	long counts[AG_CNT_COUNT];
	char today[BW_DATE_LEN + 1];
	int loaded;                    /* the first queue answer arrived */
	char selected[BW_REF_LEN + 1]; /* "" = none */
	ag_detail detail;
	ag_device devices[AG_DEVICES_MAX];
	int ndevices;
	int devices_loaded;
	long backlog_alert;            /* outbox size that raises an alert (default 20) */
	ag_indicators ind;
	ag_toast toasts[AG_TOASTS_MAX];
	int ntoasts;
	int beeps;                     /* announcements not yet sounded (main plays them) */
	ag_result result;
	int64_t now_ms;                /* the clock of the last apply (monotonic ms) */
	long changes;                  /* rows inserted or replaced so far (not by a refresh) */
	/* every row change (for --bench-log): called with the row after the change */
	void (*on_row)(void *arg, const ag_row *r, int is_new);
	void *on_row_arg;
} ag_model;

void ag_model_init(ag_model *m, const char *today);
void ag_model_free(ag_model *m);

/* Applies one message from the hub, by its "type" (and "op" for results):
 *   result/queue   replaces the rows (the first one also starts the announcements:
 *                  rows in it are not "new"), sets the counts;
 *   result/get     the details of the selected request (ignored if another is
 *                  selected now);
 *   result/move, result/file   the changed row, and ag_result for the status line;
 *   result with "ok": false   ag_result with the hub's reason;
 *   result/devices, devices    the device table (alerts on online -> offline and on an
 *                  outbox that grows past backlog_alert);
 *   presence (one device: "device" or "id" with "online", ...)   one device;
 *   result/report  the indicators;
 *   change         one row pushed live: inserted or replaced by ref; a ref unseen
 *                  before is announced (AG_TOAST_NEW), a row that became overdue too.
 * now_ms is the caller's monotonic clock (toasts expire by it). Returns BW_OK, or
 * BW_EINVAL for a message that is not JSON, not version 1 or lacks what its type needs
 * (the model is then unchanged). */
int ag_model_apply(ag_model *m, const char *json, size_t len, int64_t now_ms, bw_err *e);

/* A new civil day (YYYY-MM-DD, local): open rows whose deadline is before it become
 * overdue and are announced; "answered today" restarts. */
void ag_model_set_today(ag_model *m, const char *today, int64_t now_ms);

/* Records a refusal made locally (hub unreachable, broker refused) in ag_result. */
void ag_model_fail(ag_model *m, const char *op, const char *ref, const char *why, int64_t now_ms);

/* The queue view: rows matching m->filter in its sort order. Call ag_model_refilter
 * after changing m->filter. */
int ag_model_view_count(ag_model *m);
const ag_row *ag_model_view_row(ag_model *m, int i);
/* Position of ref in the view, -1 if filtered out or unknown. */
int ag_model_view_find(ag_model *m, const char *ref);
void ag_model_refilter(ag_model *m);
/* 1 if the row passes the filter f. */
int ag_filter_match(const ag_filter *f, const ag_row *r, const char *today);
void ag_filter_init(ag_filter *f);

const ag_row *ag_model_find(const ag_model *m, const char *ref);

/* Selects ref (or none with ""): clears the details until the hub's answer. */
void ag_model_select(ag_model *m, const char *ref);

/* Drops toasts past their time; returns how many remain. */
int ag_model_expire_toasts(ag_model *m, int64_t now_ms);

/* Site indicators as per-mille shares, as bw_indicator.h defines them (the same figures
 * as `bawaba report`); -1 when the denominator is 0. */
void ag_model_shares(const ag_model *m, int *answered, int *in_time, int *reopened);

#endif
