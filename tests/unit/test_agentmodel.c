/* test_agentmodel.c: the agent console's model fed with the hub's own answers (a real
 * store, hub_agent_handle) and the change messages it pushes: live changes applied,
 * counts, filters and sort, details with timeline, announcements of new and newly
 * overdue requests, device alerts, refusals, bad messages that change nothing. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/console.h"
#include "agent/model.h"
#include "desk_cmds.h"
#include "bw_agentproto.h"
#include "bw_store.h"
#include "bw_uuid.h"
#include "fixture.h"

static char path[FX_PATH];
static bw_store *S;
static ag_model M;
#define NOW 1795773600  /* Friday 2026-11-27 10:00 UTC */
#define TODAY "2026-11-27"

static void teardown(void)
{
	ag_model_free(&M);
	fx_store_remove(S, path);
}

/* Files a request at the hub's store; returns its reference in ref. */
static void file(int kind, int channel, const char *admin, const char *device, const char *text,
                 const char *received_on, char ref[13])
{
	bw_request r;
	bw_err e;
	fx_request(S, &r, kind, channel, admin, "RABAT-IMMAT", device, text, NOW, received_on);
	if (kind == BW_KIND_INFO) {
		strcpy(r.name, "Amal Idrissi");
		strcpy(r.id_number, "AB123456");
		strcpy(r.contact, "amal@example.ma");
		r.form = BW_FORM_EMAIL;
	}
	if (channel == BW_CHANNEL_SMS) {
		strcpy(r.phone, "+212612345678");
		r.consent = 1;
	}
	ck_assert_msg(bw_store_insert(S, &r, "device:x", &e) == BW_OK, "%s", e.msg);
	memcpy(ref, r.ref, 13);
}

static void setup(void)
{
	bw_err e;
	hub_agent a = { .active = 1 };
	S = fx_store(path, "agentmodel", 1);
	strcpy(a.id, "agent-amina");
	strcpy(a.site, "RABAT-IMMAT");
	ck_assert_msg(hub_agent_add(S, &a, 0, NOW, &e) == BW_OK, "%s", e.msg);
	ag_model_init(&M, TODAY);
}

/* The hub's answer to cmd, applied to the model. */
static void ask(const bw_agent_cmd *c)
{
	char *js = NULL, *reply = NULL;
	bw_err e;
	ck_assert_int_eq(bw_agent_cmd_encode(c, &js, NULL, &e), BW_OK);
	ck_assert_msg(hub_agent_handle(S, "agent-amina", js, strlen(js), NOW + 60, &reply, NULL, &e) == BW_OK,
		      "%s", e.msg);
	ck_assert_msg(ag_model_apply(&M, reply, strlen(reply), 1000, &e) == BW_OK, "%s: %s", reply, e.msg);
	free(js);
	free(reply);
}

static void ask_queue(void)
{
	bw_agent_cmd c;
	bw_agent_cmd_init(&c);
	c.op = BW_AOP_QUEUE;
	ask(&c);
}

static void move(const char *ref, int to, const char *note, const char *reason)
{
	bw_agent_cmd c;
	bw_agent_cmd_init(&c);
	c.op = BW_AOP_MOVE;
	strcpy(c.ref, ref);
	c.to = to;
	strcpy(c.note, note);
	strcpy(c.reason, reason);
	ask(&c);
}

/* The change message the hub pushes for ref, as of now in the store. */
static void push_change(const char *ref, const char *today, int64_t now_ms)
{
	bw_request r;
	bw_err e;
	char msg[8192];
	ck_assert_int_eq(bw_store_get(S, ref, &r, &e), BW_OK);
	char *row = hub_agent_row(&r, today);
	snprintf(msg, sizeof msg, "{\"v\":1,\"type\":\"change\",\"row\":%s}", row);
	free(row);
	ck_assert_msg(ag_model_apply(&M, msg, strlen(msg), now_ms, &e) == BW_OK, "%s", e.msg);
}

START_TEST(live_change_applied)
{
	char r1[13], r2[13], r3[13];
	file(BW_KIND_COMPLAINT, BW_CHANNEL_KIOSK, "TRANSPORT", "kiosk-01", "الشباك مغلق", TODAY, r1);
	file(BW_KIND_SUGGESTION, BW_CHANNEL_SMS, "TRANSPORT", "gw-01", "Plus de bancs", TODAY, r2);
	ask_queue();
	ck_assert_int_eq(M.loaded, 1);
	ck_assert_int_eq(M.nrows, 2);
	ck_assert_int_eq(M.counts[AG_CNT_NEW], 2);
	ck_assert_int_eq(M.ntoasts, 0);   /* the first load announces nothing */

	/* a request filed after the load arrives as a change: inserted and announced */
	file(BW_KIND_COMPLAINT, BW_CHANNEL_SMS, "TRANSPORT", "gw-01", "Personne au guichet 4", TODAY, r3);
	push_change(r3, TODAY, 2000);
	ck_assert_int_eq(M.nrows, 3);
	ck_assert_int_eq(M.counts[AG_CNT_NEW], 3);
	ck_assert_int_eq(M.ntoasts, 1);
	ck_assert_int_eq(M.toasts[0].kind, AG_TOAST_NEW);
	ck_assert_str_eq(M.toasts[0].what, r3);
	ck_assert_int_eq(M.beeps, 1);
	const ag_row *row = ag_model_find(&M, r3);
	ck_assert_ptr_nonnull(row);
	ck_assert_int_eq(row->fresh, 1);
	ck_assert_str_eq(row->excerpt, "Personne au guichet 4");
	ck_assert_int_eq(row->channel, BW_CHANNEL_SMS);
	ck_assert_int_eq(ag_model_view_count(&M), 3);

	/* the same reference again: replaced in place, not announced twice */
	ck_assert_int_eq(bw_store_transition(S, r3, BW_ST_IN_PROGRESS, "agent:karim", "", NOW + 5, NULL, NULL), BW_OK);
	push_change(r3, TODAY, 3000);
	ck_assert_int_eq(M.nrows, 3);
	ck_assert_int_eq(M.ntoasts, 1);
	ck_assert_int_eq(ag_model_find(&M, r3)->state, BW_ST_IN_PROGRESS);
	ck_assert_int_eq(M.counts[AG_CNT_NEW], 2);
	ck_assert_int_eq(M.counts[AG_CNT_IN_PROGRESS], 1);

	/* an answer through the console: the result row and the status line */
	move(r1, BW_ST_ANSWERED, "Le guichet 4 rouvre lundi", "");
	ck_assert_int_eq(M.result.ok, 1);
	ck_assert_str_eq(M.result.op, "move");
	ck_assert_str_eq(M.result.ref, r1);
	ck_assert_int_eq(M.result.state, BW_ST_ANSWERED);
	ck_assert_int_eq(ag_model_find(&M, r1)->state, BW_ST_ANSWERED);
	ck_assert_int_eq(M.counts[AG_CNT_ANSWERED_TODAY], 1);
	ck_assert_int_eq(M.counts[AG_CNT_NEW], 1);

	/* a refresh keeps what this console saw answered today */
	ask_queue();
	ck_assert_int_eq(M.counts[AG_CNT_ANSWERED_TODAY], 1);
	ck_assert_int_eq(ag_model_expire_toasts(&M, 2000 + AG_TOAST_MS + 1), 0);
}
END_TEST

START_TEST(refusal_and_bad_messages)
{
	char r1[13];
	bw_err e;
	file(BW_KIND_COMPLAINT, BW_CHANNEL_KIOSK, "TRANSPORT", "kiosk-01", "text", TODAY, r1);
	ask_queue();
	/* an extension of a complaint: the hub refuses, the model says why, row unchanged */
	move(r1, BW_ST_EXTENDED, "needs more time", "");
	ck_assert_int_eq(M.result.ok, 0);
	ck_assert_str_eq(M.result.op, "move");
	ck_assert_msg(M.result.error[0], "the hub's reason is kept");
	ck_assert_int_eq(ag_model_find(&M, r1)->state, BW_ST_RECEIVED);
	/* a rejection without a reason from the list is refused */
	move(r1, BW_ST_REJECTED, "non", "no-such-reason");
	ck_assert_int_eq(M.result.ok, 0);
	ck_assert_ptr_nonnull(strstr(M.result.error, "reason"));
	move(r1, BW_ST_REJECTED, "", "duplicate");
	ck_assert_int_eq(M.result.ok, 1);
	ck_assert_int_eq(ag_model_find(&M, r1)->state, BW_ST_REJECTED);

	const char *bad[] = {
		"not json", "{\"v\":2,\"type\":\"change\",\"row\":{}}", "{\"v\":1,\"type\":\"change\"}",
		"{\"v\":1,\"type\":\"change\",\"row\":{\"ref\":\"123\"}}",
		"{\"v\":1,\"type\":\"change\",\"row\":{\"ref\":\"000500000019\",\"kind\":\"x\",\"state\":\"received\",\"channel\":\"sms\"}}",
		"{\"v\":1,\"type\":\"result\",\"op\":\"queue\",\"ok\":true,\"rows\":[{\"ref\":\"1\"}]}",
		"{\"v\":1,\"type\":\"nonsense\"}", "[1,2]",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_msg(ag_model_apply(&M, bad[i], strlen(bad[i]), 5, &e) == BW_EINVAL, "accepted: %s", bad[i]);
		ck_assert_int_eq(M.nrows, 1);
	}
}
END_TEST

START_TEST(filters_and_sort)
{
	char a[13], b[13], c[13], d[13];
	file(BW_KIND_COMPLAINT, BW_CHANNEL_KIOSK, "TRANSPORT", "kiosk-01", "bus en retard", "2026-08-03", a);
	file(BW_KIND_INFO, BW_CHANNEL_SMS, "TRANSPORT", "gw-01", "budget de la ligne 12", TODAY, b);
	file(BW_KIND_SUGGESTION, BW_CHANNEL_KIOSK, "SANTE", "kiosk-02", "des bancs à l'hôpital", TODAY, c);
	file(BW_KIND_COMPLAINT, BW_CHANNEL_SMS, "SANTE", "gw-01", "attente aux urgences", "2026-11-20", d);
	ask_queue();
	ck_assert_int_eq(ag_model_view_count(&M), 4);
	/* sorted by deadline: the overdue one (received in August) first */
	ck_assert_int_eq(M.counts[AG_CNT_OVERDUE], 1);
	ck_assert_str_eq(ag_model_view_row(&M, 0)->ref, a);
	ck_assert_int_eq(ag_model_view_row(&M, 0)->overdue, 1);

	M.filter.kind = BW_KIND_COMPLAINT;
	ag_model_refilter(&M);
	ck_assert_int_eq(ag_model_view_count(&M), 2);
	M.filter.channel = BW_CHANNEL_SMS;
	ag_model_refilter(&M);
	ck_assert_int_eq(ag_model_view_count(&M), 1);
	ck_assert_str_eq(ag_model_view_row(&M, 0)->ref, d);
	ag_filter_init(&M.filter);
	strcpy(M.filter.admin, "SANTE");
	ag_model_refilter(&M);
	ck_assert_int_eq(ag_model_view_count(&M), 2);
	ag_filter_init(&M.filter);
	strcpy(M.filter.device, "gw-01");
	ag_model_refilter(&M);
	ck_assert_int_eq(ag_model_view_count(&M), 2);
	ck_assert_int_eq(ag_model_view_find(&M, c), -1);
	ag_filter_init(&M.filter);
	strcpy(M.filter.text, "hopital");   /* accents folded */
	ag_model_refilter(&M);
	ck_assert_int_eq(ag_model_view_count(&M), 1);
	ck_assert_str_eq(ag_model_view_row(&M, 0)->ref, c);
	ag_filter_init(&M.filter);
	M.filter.count = AG_CNT_OVERDUE;
	ag_model_refilter(&M);
	ck_assert_int_eq(ag_model_view_count(&M), 1);

	/* state filter follows a live change */
	ag_filter_init(&M.filter);
	M.filter.count = AG_CNT_ASSIGNED;
	ag_model_refilter(&M);
	ck_assert_int_eq(ag_model_view_count(&M), 0);
	move(b, BW_ST_ASSIGNED, "information officer of TRANSPORT", "");
	ck_assert_int_eq(ag_model_view_count(&M), 1);
	ck_assert_str_eq(ag_model_view_row(&M, 0)->ref, b);
	ck_assert_int_eq(M.counts[AG_CNT_ASSIGNED], 1);

	/* newest first */
	ag_filter_init(&M.filter);
	M.filter.sort = AG_SORT_RECEIVED;
	ag_model_refilter(&M);
	ck_assert_str_eq(ag_model_view_row(&M, 3)->ref, a);
}
END_TEST

START_TEST(newly_overdue_announced)
{
	char a[13];
	/* received 2026-10-01: a 60-day deadline runs out at the end of November */
	file(BW_KIND_COMPLAINT, BW_CHANNEL_KIOSK, "TRANSPORT", "kiosk-01", "text", "2026-10-01", a);
	ask_queue();
	const ag_row *r = ag_model_find(&M, a);
	ck_assert_int_eq(r->overdue, 0);
	char later[11];
	snprintf(later, sizeof later, "%s", r->deadline);
	later[9]++;   /* the day after the deadline (not a month end here) */
	ck_assert_int_eq(M.ntoasts, 0);
	ag_model_set_today(&M, later, 10);
	ck_assert_int_eq(ag_model_find(&M, a)->overdue, 1);
	ck_assert_int_eq(M.counts[AG_CNT_OVERDUE], 1);
	ck_assert_int_eq(M.ntoasts, 1);
	ck_assert_int_eq(M.toasts[0].kind, AG_TOAST_OVERDUE);
	/* the hub's change saying overdue again: not announced twice */
	push_change(a, later, 20);
	ck_assert_int_eq(M.ntoasts, 1);
	/* an answered request is never overdue */
	move(a, BW_ST_ANSWERED, "done", "");
	ck_assert_int_eq(ag_model_find(&M, a)->overdue, 0);
	ck_assert_int_eq(M.counts[AG_CNT_OVERDUE], 0);
}
END_TEST

START_TEST(details_and_timeline)
{
	char a[13], b[13];
	bw_agent_cmd c;
	file(BW_KIND_INFO, BW_CHANNEL_KIOSK, "TRANSPORT", "kiosk-01", "Le budget 2025 de la ligne 12", TODAY, a);
	file(BW_KIND_COMPLAINT, BW_CHANNEL_KIOSK, "TRANSPORT", "kiosk-01", "autre", TODAY, b);
	ask_queue();
	move(a, BW_ST_ASSIGNED, "information officer of TRANSPORT", "");
	move(a, BW_ST_EXTENDED, "Les chiffres sont chez le trésorier", "");
	ag_model_select(&M, a);
	ck_assert_int_eq(M.detail.loaded, 0);
	bw_agent_cmd_init(&c);
	c.op = BW_AOP_GET;
	strcpy(c.ref, a);
	ask(&c);
	ck_assert_int_eq(M.detail.loaded, 1);
	ck_assert_str_eq(M.detail.req.name, "Amal Idrissi");
	ck_assert_str_eq(M.detail.req.text, "Le budget 2025 de la ligne 12");
	ck_assert_int_eq(M.detail.nevents, 3);
	ck_assert_int_eq(M.detail.events[1].new_state, BW_ST_ASSIGNED);
	ck_assert_str_eq(M.detail.events[1].actor, "agent-amina");
	ck_assert_int_eq(M.detail.events[2].new_state, BW_ST_EXTENDED);
	ck_assert_int_eq(M.detail.row.extended, 1);
	/* 20 + 20 working days from 27 November skip 18 November? no: the year-end
	 * holidays after it: 1, 11 and 14 January */
	ck_assert_int_ge(M.detail.nskipped, 3);
	/* an answer for a request no longer selected is not shown */
	ag_model_select(&M, b);
	strcpy(c.ref, a);
	ask(&c);
	ck_assert_int_eq(M.detail.loaded, 0);
}
END_TEST

START_TEST(devices_and_alerts)
{
	bw_err e;
	const char *list = "{\"v\":1,\"type\":\"result\",\"op\":\"devices\",\"ok\":true,\"devices\":["
		"{\"id\":\"kiosk-01\",\"kind\":\"kiosk\",\"online\":true,\"last_seen\":1795773000,\"outbox\":0},"
		"{\"id\":\"gw-01\",\"kind\":\"gateway\",\"online\":true,\"last_seen\":1795773000,\"outbox\":2,\"signal\":70,\"queue\":1}]}";
	ck_assert_int_eq(ag_model_apply(&M, list, strlen(list), 100, &e), BW_OK);
	ck_assert_int_eq(M.ndevices, 2);
	ck_assert_int_eq(M.devices[1].signal, 70);
	ck_assert_int_eq(M.devices[0].signal, -1);
	ck_assert_int_eq(M.ntoasts, 0);
	const char *off = "{\"v\":1,\"type\":\"presence\",\"device\":\"kiosk-01\",\"online\":false,\"last_seen\":1795773100}";
	ck_assert_int_eq(ag_model_apply(&M, off, strlen(off), 200, &e), BW_OK);
	ck_assert_int_eq(M.devices[0].online, 0);
	ck_assert_int_eq(M.devices[0].last_seen, 1795773100);
	ck_assert_int_eq(M.ntoasts, 1);
	ck_assert_int_eq(M.toasts[0].kind, AG_TOAST_OFFLINE);
	ck_assert_str_eq(M.toasts[0].what, "kiosk-01");
	/* backlog: 2 -> 19 no alert, -> 25 alert, -> 26 none, -> 40 alert again */
	long steps[] = { 19, 25, 26, 40 };
	int want[] = { 1, 2, 2, 3 };
	for (int i = 0; i < 4; i++) {
		char msg[256];
		snprintf(msg, sizeof msg, "{\"v\":1,\"type\":\"presence\",\"device\":\"gw-01\",\"online\":true,\"outbox\":%ld}", steps[i]);
		ck_assert_int_eq(ag_model_apply(&M, msg, strlen(msg), 300 + i, &e), BW_OK);
		ck_assert_int_eq(M.ntoasts, want[i]);
	}
	ck_assert_int_eq(M.toasts[1].kind, AG_TOAST_BACKLOG);
	ck_assert_int_eq(M.toasts[1].n, 25);
}
END_TEST

START_TEST(indicators)
{
	char a[13], b[13];
	bw_agent_cmd c;
	file(BW_KIND_COMPLAINT, BW_CHANNEL_KIOSK, "TRANSPORT", "kiosk-01", "a", TODAY, a);
	file(BW_KIND_COMPLAINT, BW_CHANNEL_KIOSK, "TRANSPORT", "kiosk-01", "b", TODAY, b);
	ask_queue();
	move(a, BW_ST_ANSWERED, "fait", "");
	bw_agent_cmd_init(&c);
	c.op = BW_AOP_REPORT;
	ask(&c);
	int ans, in_time, reopen;
	ck_assert_int_eq(M.ind.loaded, 1);
	ck_assert_int_eq(M.ind.total, 2);
	ag_model_shares(&M, &ans, &in_time, &reopen);
	ck_assert_int_eq(ans, 500);
	ck_assert_int_eq(in_time, 1000);
	ck_assert_int_eq(reopen, 0);
}
END_TEST

START_TEST(ten_thousand_rows)
{
	/* a queue of 10,000 rows and a change finding its row by reference */
	ag_model_init(&M, TODAY);
	char *msg = bw_xmalloc(10000 * 400 + 256), *p = msg;
	bw_err e;
	p += sprintf(p, "{\"v\":1,\"type\":\"result\",\"op\":\"queue\",\"ok\":true,\"rows\":[");
	for (int i = 0; i < 10000; i++) {
		char ref[13];
		snprintf(ref, sizeof ref, "0005%07d0", i);
		p += sprintf(p, "%s{\"ref\":\"%s\",\"kind\":\"complaint\",\"state\":\"received\",\"channel\":\"kiosk\","
			     "\"admin\":\"TRANSPORT\",\"deadline\":\"2027-01-%02d\",\"excerpt\":\"n%d\"}", i ? "," : "", ref,
			     1 + i % 28, i);
	}
	strcpy(p, "]}");
	ck_assert_int_eq(ag_model_apply(&M, msg, strlen(msg), 1, &e), BW_OK);
	ck_assert_int_eq(ag_model_view_count(&M), 10000);
	const char *ch = "{\"v\":1,\"type\":\"change\",\"row\":{\"ref\":\"000500099990\",\"kind\":\"complaint\","
		"\"state\":\"answered\",\"channel\":\"kiosk\",\"admin\":\"TRANSPORT\",\"excerpt\":\"n9999\"}}";
	ck_assert_int_eq(ag_model_apply(&M, ch, strlen(ch), 2, &e), BW_OK);
	ck_assert_int_eq(M.nrows, 10000);
	ck_assert_int_eq(ag_model_find(&M, "000500099990")->state, BW_ST_ANSWERED);
	ck_assert_int_eq(M.counts[AG_CNT_NEW], 9999);
	ck_assert_int_eq(M.counts[AG_CNT_ANSWERED_TODAY], 1);
	free(msg);
}
END_TEST

/* Ctrl+L cycles ar -> fr -> zgh -> ar; the codes are the catalogues' and the requests'
 * lang; only Arabic is right to left (Tifinagh reads left to right). */
START_TEST(lang_cycle)
{
	ck_assert_int_eq(AG_LANG_COUNT, 3);
	ck_assert_int_eq(ag_lang_next(AG_LANG_AR), AG_LANG_FR);
	ck_assert_int_eq(ag_lang_next(AG_LANG_FR), AG_LANG_ZGH);
	ck_assert_int_eq(ag_lang_next(AG_LANG_ZGH), AG_LANG_AR);
	ck_assert_int_eq(ag_lang_next(ag_lang_next(ag_lang_next(AG_LANG_AR))), AG_LANG_AR);
	ck_assert_int_eq(ag_lang_next(-1), AG_LANG_AR);
	ck_assert_int_eq(ag_lang_next(AG_LANG_COUNT), AG_LANG_AR);
	ck_assert_str_eq(ag_lang_code(AG_LANG_AR), "ar");
	ck_assert_str_eq(ag_lang_code(AG_LANG_FR), "fr");
	ck_assert_str_eq(ag_lang_code(AG_LANG_ZGH), "zgh");
	ck_assert_str_eq(ag_lang_code(99), "ar");
	for (int l = 0; l < AG_LANG_COUNT; l++) {
		ck_assert_int_eq(ag_lang_of(ag_lang_code(l)), l);
		/* a filed request's lang must fit bw_request.lang with its NUL */
		ck_assert_uint_lt(strlen(ag_lang_code(l)), sizeof ((bw_request *)0)->lang);
	}
	ck_assert_int_eq(ag_lang_of("ber"), -1);
	ck_assert_int_eq(ag_lang_of("zg"), -1);
	ck_assert_int_eq(ag_lang_of(""), -1);
	ck_assert_int_eq(ag_lang_of(NULL), -1);
	ck_assert_int_eq(ag_lang_is_rtl(AG_LANG_AR), 1);
	ck_assert_int_eq(ag_lang_is_rtl(AG_LANG_FR), 0);
	ck_assert_int_eq(ag_lang_is_rtl(AG_LANG_ZGH), 0);
}
END_TEST

Suite *suite_agentmodel(void)
{
	Suite *s = suite_create("agentmodel");
	fx_case(s, "core", setup, teardown,
		live_change_applied, refusal_and_bad_messages, filters_and_sort,
		newly_overdue_announced, details_and_timeline, devices_and_alerts, indicators,
		ten_thousand_rows, NULL);
	fx_case(s, "lang", NULL, NULL,
		lang_cycle, NULL);
	return s;
}
