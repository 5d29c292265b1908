/* test_agent.c: the hub's answers to agents: scope (site, administration), refusals that
 * change nothing, attribution of every action, strict commands. */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../hub/agent.h"
#include "bw_store.h"
#include "bw_uuid.h"

static char path[64];
static bw_store *S;
static char REF[13];
#define NOW 1795773600  /* Friday 2026-11-27 10:00 UTC */

static void add_agent(const char *id, const char *site, const char *admin)
{
	hub_agent a = { .active = 1 };
	bw_err e;
	snprintf(a.id, sizeof a.id, "%s", id);
	snprintf(a.site, sizeof a.site, "%s", site);
	snprintf(a.admin, sizeof a.admin, "%s", admin);
	ck_assert_msg(hub_agent_add(S, &a, 0, NOW, &e) == BW_OK, "%s", e.msg);
}

static void setup(void)
{
	bw_err e;
	bw_request r;
	snprintf(path, sizeof path, "/tmp/bw-test-agent-XXXXXX");
	close(mkstemp(path));
	ck_assert_int_eq(bw_store_open(&S, path, 0, &e), BW_OK);
	ck_assert_int_eq(bw_store_seed(S, &e), BW_OK);
	add_agent("agent-amina", "RABAT-IMMAT", "TRANSPORT");
	add_agent("agent-karim", "ELJADIDA-HOP", "");
	bw_request_init(&r);
	bw_uuid_v7(r.uid, NULL);
	bw_store_next_ref(S, 5, r.ref, NULL);
	r.kind = BW_KIND_COMPLAINT;
	r.channel = BW_CHANNEL_KIOSK;
	strcpy(r.admin, "TRANSPORT");
	strcpy(r.site, "RABAT-IMMAT");
	strcpy(r.device, "kiosk-01");
	strcpy(r.text, "طلبوا مني وثيقة غير موجودة في اللائحة المنشورة");
	strcpy(r.phone, "0612345678");
	r.consent = 1;
	r.received_at = NOW;
	strcpy(r.received_on, "2026-11-27");
	ck_assert_msg(bw_store_insert(S, &r, "device:kiosk-01", &e) == BW_OK, "%s", e.msg);
	memcpy(REF, r.ref, sizeof REF);
}

static void teardown(void)
{
	char side[80];
	bw_store_close(S);
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}

/* Sends a command as user, returns the parsed result (caller decrefs). */
static json_t *ask(const char *user, const char *cmd)
{
	char *reply = NULL;
	bw_err e;
	json_error_t je;
	ck_assert_msg(hub_agent_handle(S, user, cmd, strlen(cmd), NOW + 60, &reply, NULL, &e) == BW_OK, "%s", e.msg);
	json_t *o = json_loads(reply, 0, &je);
	ck_assert_ptr_nonnull(o);
	free(reply);
	return o;
}

static int ok(json_t *o) { return json_is_true(json_object_get(o, "ok")); }
static const char *err(json_t *o) { return json_string_value(json_object_get(o, "error")); }

static int state_of(const char *ref)
{
	bw_request r;
	ck_assert_int_eq(bw_store_get(S, ref, &r, NULL), BW_OK);
	return r.state;
}

START_TEST(scope_limits_queue_and_get)
{
	json_t *o = ask("agent-amina", "{\"v\":1,\"type\":\"cmd\",\"op\":\"queue\"}");
	ck_assert(ok(o));
	ck_assert_uint_eq(json_array_size(json_object_get(o, "rows")), 1);
	json_t *row = json_array_get(json_object_get(o, "rows"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(row, "ref")), REF);
	ck_assert_str_eq(json_string_value(json_object_get(row, "phone")), "+212612345678");
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(o, "counts"), "received")), 1);
	json_decref(o);

	o = ask("agent-karim", "{\"v\":1,\"type\":\"cmd\",\"op\":\"queue\"}");
	ck_assert(ok(o));
	ck_assert_uint_eq(json_array_size(json_object_get(o, "rows")), 0);
	json_decref(o);

	char cmd[128];
	snprintf(cmd, sizeof cmd, "{\"v\":1,\"type\":\"cmd\",\"op\":\"get\",\"ref\":\"%s\"}", REF);
	o = ask("agent-karim", cmd);
	ck_assert(!ok(o));
	ck_assert_str_eq(err(o), "no such request in your scope");
	json_decref(o);
	o = ask("agent-amina", cmd);
	ck_assert(ok(o));
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(o, "request"), "text")),
			 "طلبوا مني وثيقة غير موجودة في اللائحة المنشورة");
	ck_assert_uint_eq(json_array_size(json_object_get(o, "events")), 1);
	json_decref(o);
}
END_TEST

START_TEST(moves_are_checked_and_attributed)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "{\"v\":1,\"type\":\"cmd\",\"op\":\"move\",\"ref\":\"%s\",\"to\":\"answered\","
		 "\"note\":\"تم حذف الوثيقة من اللائحة\"}", REF);
	json_t *o = ask("agent-karim", cmd);    /* another site */
	ck_assert(!ok(o));
	json_decref(o);
	ck_assert_int_eq(state_of(REF), BW_ST_RECEIVED);

	o = ask("agent-amina", cmd);
	ck_assert_msg(ok(o), "%s", err(o));
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(o, "event"), "actor")), "agent-amina");
	json_decref(o);
	ck_assert_int_eq(state_of(REF), BW_ST_ANSWERED);

	/* an illegal move is refused with the store's reason */
	snprintf(cmd, sizeof cmd, "{\"v\":1,\"type\":\"cmd\",\"op\":\"move\",\"ref\":\"%s\",\"to\":\"extended\",\"note\":\"x\"}", REF);
	o = ask("agent-amina", cmd);
	ck_assert(!ok(o));
	ck_assert_ptr_nonnull(strstr(err(o), "cannot go from answered to extended"));
	json_decref(o);

	/* a refusal needs a reason of the law's list */
	snprintf(cmd, sizeof cmd, "{\"v\":1,\"type\":\"cmd\",\"op\":\"move\",\"ref\":\"%s\",\"to\":\"reopened\",\"note\":\"non\"}", REF);
	o = ask("agent-amina", cmd);
	ck_assert(ok(o));
	json_decref(o);
	snprintf(cmd, sizeof cmd, "{\"v\":1,\"type\":\"cmd\",\"op\":\"move\",\"ref\":\"%s\",\"to\":\"rejected\",\"note\":\"x\"}", REF);
	o = ask("agent-amina", cmd);
	ck_assert(!ok(o));
	ck_assert_ptr_nonnull(strstr(err(o), "reason"));
	json_decref(o);
	snprintf(cmd, sizeof cmd, "{\"v\":1,\"type\":\"cmd\",\"op\":\"move\",\"ref\":\"%s\",\"to\":\"rejected\",\"reason\":\"judicial\"}", REF);
	o = ask("agent-amina", cmd);
	ck_assert_msg(ok(o), "%s", err(o));
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(o, "event"), "note")), "judicial");
	json_decref(o);
}
END_TEST

START_TEST(bad_commands_and_strangers)
{
	const char *bad[][2] = {
		{ "{\"v\":1,\"type\":\"cmd\",\"op\":\"queue\",\"sql\":\"drop\"}", "sql" },
		{ "{\"v\":2,\"type\":\"cmd\",\"op\":\"queue\"}", "version" },
		{ "{\"v\":1,\"type\":\"cmd\",\"op\":\"nuke\"}", "op: unknown" },
		{ "{\"v\":1,\"type\":\"cmd\",\"op\":\"queue\",\"state\":\"done\"}", "state: unknown" },
		{ "{\"v\":1,\"type\":\"cmd\",\"op\":\"get\",\"ref\":\"000500000011\"}", "check digit" },
		{ "{\"v\":1,\"type\":\"cmd\",\"op\":\"get\"}", "ref" },
		{ "[1,2", "json" },
		{ "{\"v\":1,\"type\":\"cmd\",\"op\":\"queue\",\"limit\":\"all\"}", "limit" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		json_t *o = ask("agent-amina", bad[i][0]);
		ck_assert_msg(!ok(o), "accepted %s", bad[i][0]);
		ck_assert_msg(strstr(err(o), bad[i][1]), "%s: error \"%s\" lacks \"%s\"", bad[i][0], err(o), bad[i][1]);
		json_decref(o);
	}
	json_t *o = ask("agent-nobody", "{\"v\":1,\"type\":\"cmd\",\"op\":\"queue\"}");
	ck_assert(!ok(o));
	ck_assert_ptr_nonnull(strstr(err(o), "not an active agent"));
	json_decref(o);
	ck_assert_int_eq(state_of(REF), BW_ST_RECEIVED);
}
END_TEST

START_TEST(desk_filing_and_report)
{
	const char *cmd = "{\"v\":1,\"type\":\"cmd\",\"op\":\"file\",\"request\":{\"v\":1,\"type\":\"request\","
		"\"uid\":\"00000000-0000-7000-8000-000000000000\",\"kind\":\"suggestion\",\"channel\":\"kiosk\","
		"\"admin\":\"TRANSPORT\",\"lang\":\"fr\",\"text\":\"Ouvrir le samedi matin\"}}";
	json_t *o = ask("agent-amina", cmd);
	ck_assert_msg(ok(o), "%s", err(o));
	json_t *row = json_object_get(o, "row");
	ck_assert_str_eq(json_string_value(json_object_get(row, "site")), "RABAT-IMMAT");
	ck_assert_str_eq(json_string_value(json_object_get(row, "channel")), "desk");
	ck_assert_str_eq(json_string_value(json_object_get(row, "device")), "agent-amina");
	ck_assert_int_eq(strncmp(json_string_value(json_object_get(row, "ref")), "0000", 4), 0);
	json_decref(o);
	/* issue 11: a filing with its own uid is filed once however often it comes */
	const char *again = "{\"v\":1,\"type\":\"cmd\",\"op\":\"file\",\"request\":{\"v\":1,\"type\":\"request\","
		"\"uid\":\"01900000-0000-7000-8000-00000000f11e\",\"kind\":\"suggestion\",\"channel\":\"desk\","
		"\"admin\":\"TRANSPORT\",\"lang\":\"fr\",\"text\":\"Un banc devant le guichet\"}}";
	o = ask("agent-amina", again);
	ck_assert_msg(ok(o), "%s", err(o));
	char ref1[16];
	bw_strlcpy(ref1, json_string_value(json_object_get(json_object_get(o, "row"), "ref")), sizeof ref1);
	json_decref(o);
	o = ask("agent-amina", again);
	ck_assert_msg(ok(o), "%s", err(o));
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(o, "row"), "ref")), ref1);
	ck_assert(json_is_true(json_object_get(o, "duplicate")));
	json_decref(o);
	o = ask("agent-karim", again);             /* another agent's uid: refused, nothing said */
	ck_assert(!ok(o));
	ck_assert_str_eq(err(o), "uid: belongs to another request");
	json_decref(o);
	/* outside the agent's administration */
	o = ask("agent-amina", "{\"v\":1,\"type\":\"cmd\",\"op\":\"file\",\"request\":{\"v\":1,\"type\":\"request\","
		"\"uid\":\"00000000-0000-7000-8000-000000000000\",\"kind\":\"suggestion\",\"channel\":\"kiosk\","
		"\"admin\":\"SANTE\",\"text\":\"x\"}}");
	ck_assert(!ok(o));
	json_decref(o);

	o = ask("agent-amina", "{\"v\":1,\"type\":\"cmd\",\"op\":\"report\",\"from\":\"2026-11-01\"}");
	ck_assert(ok(o));
	long total = 0;
	json_t *r;
	size_t i;
	json_array_foreach(json_object_get(o, "rows"), i, r)
		total += json_integer_value(json_object_get(r, "total"));
	ck_assert_int_eq(total, 3);
	json_decref(o);
	o = ask("agent-karim", "{\"v\":1,\"type\":\"cmd\",\"op\":\"report\"}");
	ck_assert_uint_eq(json_array_size(json_object_get(o, "rows")), 0);
	json_decref(o);
	o = ask("agent-amina", "{\"v\":1,\"type\":\"cmd\",\"op\":\"devices\"}");
	ck_assert(ok(o));
	json_decref(o);
}
END_TEST

/* An agent of one administration sees only its figures, even at a site that serves
 * several; an agent of the whole site sees them all. */
START_TEST(report_keeps_to_the_agents_administration)
{
	bw_request r;
	bw_err e;
	bw_request_init(&r);
	bw_uuid_v7(r.uid, NULL);
	bw_store_next_ref(S, 5, r.ref, NULL);
	r.kind = BW_KIND_SUGGESTION;
	r.channel = BW_CHANNEL_KIOSK;
	strcpy(r.admin, "SANTE");            /* another administration, same site */
	strcpy(r.site, "RABAT-IMMAT");
	strcpy(r.device, "kiosk-01");
	strcpy(r.text, "Un guichet pour la santé");
	r.received_at = NOW;
	strcpy(r.received_on, "2026-11-27");
	ck_assert_msg(bw_store_insert(S, &r, "device:kiosk-01", &e) == BW_OK, "%s", e.msg);
	add_agent("agent-site", "RABAT-IMMAT", "");

	json_t *o = ask("agent-amina", "{\"v\":1,\"type\":\"cmd\",\"op\":\"report\"}");
	ck_assert(ok(o));
	json_t *rows = json_object_get(o, "rows"), *row;
	ck_assert_uint_eq(json_array_size(rows), 1);
	row = json_array_get(rows, 0);
	ck_assert_str_eq(json_string_value(json_object_get(row, "admin")), "TRANSPORT");
	ck_assert_int_eq(json_integer_value(json_object_get(row, "total")), 1);
	json_decref(o);

	o = ask("agent-site", "{\"v\":1,\"type\":\"cmd\",\"op\":\"report\"}");
	ck_assert(ok(o));
	rows = json_object_get(o, "rows");
	ck_assert_uint_eq(json_array_size(rows), 2);
	int sante = 0;
	size_t i;
	json_array_foreach(rows, i, row)
		sante += strcmp(json_string_value(json_object_get(row, "admin")), "SANTE") == 0;
	ck_assert_int_eq(sante, 1);
	json_decref(o);
}
END_TEST

START_TEST(registration_checks)
{
	hub_agent a = { .id = "amina", .site = "RABAT-IMMAT", .active = 1 };
	bw_err e;
	ck_assert_int_eq(hub_agent_add(S, &a, 0, NOW, &e), BW_EINVAL);
	snprintf(a.id, sizeof a.id, "agent-x");
	snprintf(a.site, sizeof a.site, "NOWHERE");
	ck_assert_int_eq(hub_agent_add(S, &a, 0, NOW, &e), BW_EINVAL);
	snprintf(a.id, sizeof a.id, "agent-amina");
	snprintf(a.site, sizeof a.site, "RABAT-IMMAT");
	ck_assert_int_eq(hub_agent_add(S, &a, 0, NOW, &e), BW_EEXIST);
	a.active = 0;
	ck_assert_int_eq(hub_agent_add(S, &a, 1, NOW, &e), BW_OK);
	json_t *o = ask("agent-amina", "{\"v\":1,\"type\":\"cmd\",\"op\":\"queue\"}");
	ck_assert(!ok(o));
	json_decref(o);
}
END_TEST

Suite *suite_agent(void)
{
	Suite *s = suite_create("agent");
	TCase *t = tcase_create("core");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, scope_limits_queue_and_get);
	tcase_add_test(t, moves_are_checked_and_attributed);
	tcase_add_test(t, bad_commands_and_strangers);
	tcase_add_test(t, desk_filing_and_report);
	tcase_add_test(t, report_keeps_to_the_agents_administration);
	tcase_add_test(t, registration_checks);
	suite_add_tcase(s, t);
	return s;
}
