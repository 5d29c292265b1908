/* test_converse.c: the SMS conversation on a real store file with the shipped catalogue
 * and the compiled translation catalogues: filing in Arabic, French and Darija, menus,
 * information requests, status privacy, STOP/START, abuse rules, notifications, quiet
 * hours, time-outs, and every reply template within 2 SMS parts (libGammu's encoder). */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bw_i18n.h"
#include "bw_ref.h"
#include "bw_store.h"
#include "sms-gateway/converse.h"
#include "sms-gateway/modem.h"
#include "sms-gateway/smsdb.h"

#ifndef SMS_TEST_LOCALEDIR
#define SMS_TEST_LOCALEDIR "build/rel/locale"
#endif

#define T0 1767261600   /* 2026-01-01 10:00 UTC, 11:00 in Morocco */
#define ALI "+212612345678"
#define SARA "+212698765432"

static char path[64];
static bw_store *S;
static sms_db *D;
static sms_conv C;
static sms_conv_settings SET;
static sms_local_filer F;
static int64_t clock_s;

static void setup(void)
{
	bw_err e;
	snprintf(path, sizeof path, "/tmp/bw-test-conv-XXXXXX");
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_msg(bw_i18n_init("sms", SMS_TEST_LOCALEDIR, &e) == BW_OK, "%s", e.msg);
	ck_assert_msg(bw_store_open(&S, path, 0, &e) == BW_OK, "%s", e.msg);
	ck_assert_msg(bw_store_seed(S, &e) == BW_OK, "%s", e.msg);
	ck_assert_msg(sms_db_open(&D, S, &e) == BW_OK, "%s", e.msg);
	sms_conv_settings_default(&SET);
	F = (sms_local_filer){ .st = S, .num = 7 };
	strcpy(F.device, "gw-test");
	ck_assert_msg(sms_conv_init(&C, &SET, D, sms_submit_local, &F, NULL, &e) == BW_OK, "%s", e.msg);
	clock_s = T0;
}

static void teardown(void)
{
	char side[80];
	sms_conv_free(&C);
	sms_db_close(D);
	bw_store_close(S);
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}

/* One message from sender, a minute after the previous one; returns the outcome. */
static const char *sms_coded(const char *sender, const char *text, const char *coding)
{
	static sms_in m;
	bw_err e;
	const char *out = NULL;
	clock_s += 60;
	memset(&m, 0, sizeof m);
	snprintf(m.sender, sizeof m.sender, "%s", sender);
	strcpy(m.modem, "sim1");
	m.sent_at = m.received_at = clock_s;
	m.parts = m.parts_total = 1;
	strcpy(m.coding, coding);
	snprintf(m.text, sizeof m.text, "%s", text);
	ck_assert_msg(sms_db_inbox_add(D, &m, &e) == BW_OK, "%s", e.msg);
	ck_assert_msg(sms_conv_handle(&C, &m, clock_s, &out, &e) == BW_OK, "%s", e.msg);
	return out;
}

static const char *sms(const char *sender, const char *text)
{
	return sms_coded(sender, text, "gsm");
}

static int count(const char *sql, const char *arg)
{
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(bw_store_db(S), sql, -1, &st, NULL), SQLITE_OK);
	if (arg)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	int n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* The text of the latest SMS queued to dest ("" if none). */
static const char *last(const char *dest)
{
	static char buf[SMS_OUT_SIZE];
	sqlite3_stmt *st;
	buf[0] = '\0';
	ck_assert_int_eq(sqlite3_prepare_v2(bw_store_db(S),
		"SELECT text FROM sms_outbox WHERE dest = ?1 ORDER BY id DESC LIMIT 1", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, dest, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(buf, sizeof buf, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return buf;
}

static int queued(const char *dest)
{
	return count("SELECT count(*) FROM sms_outbox WHERE dest = ?1", dest);
}

/* The reference in a reply ("... 0007 0000 0015 ..."), as 12 digits. */
static void ref_in(const char *reply, char ref[13])
{
	int n = 0;
	ref[0] = '\0';
	for (const char *p = reply; *p && n < 12; p++) {
		if (*p >= '0' && *p <= '9')
			ref[n++] = *p;
		else if (*p != ' ' && n > 0 && n < 12)
			n = 0;     /* a shorter number (a date): start again */
	}
	ref[n == 12 ? 12 : 0] = '\0';
}

static void latest_request(bw_request *r)
{
	bw_err e;
	char ref[13];
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(bw_store_db(S), "SELECT ref FROM requests ORDER BY id DESC LIMIT 1",
					    -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	snprintf(ref, sizeof ref, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	ck_assert_msg(bw_store_get(S, ref, r, &e) == BW_OK, "%s", e.msg);
}

START_TEST(file_in_arabic_in_one_message)
{
	bw_request r;
	char ref[13];
	ck_assert_str_eq(sms(ALI, "شكاية الصحة المستشفى لا يستقبل المرضى ليلا"), "filed");
	latest_request(&r);
	ck_assert_int_eq(r.kind, BW_KIND_COMPLAINT);
	ck_assert_int_eq(r.channel, BW_CHANNEL_SMS);
	ck_assert_str_eq(r.admin, "SANTE");
	ck_assert_str_eq(r.phone, ALI);
	ck_assert_str_eq(r.lang, "ar");
	ck_assert_str_eq(r.text, "المستشفى لا يستقبل المرضى ليلا");
	ck_assert_int_eq(r.consent, 1);
	const char *reply = last(ALI);
	ck_assert_ptr_nonnull(strstr(reply, "سجلنا شكاية"));
	ref_in(reply, ref);
	ck_assert_str_eq(ref, r.ref);
	char grouped[20];
	bw_ref_format(r.ref, " ", grouped, sizeof grouped);
	ck_assert_ptr_nonnull(strstr(reply, grouped));
	/* the legal deadline, as DD/MM/YYYY */
	char date[11];
	snprintf(date, sizeof date, "%.2s/%.2s/%.4s", r.deadline + 8, r.deadline + 5, r.deadline);
	ck_assert_ptr_nonnull(strstr(reply, date));
	ck_assert_int_eq(count("SELECT count(*) FROM sms_inbox WHERE state = 'new'", NULL), 0);
}
END_TEST

START_TEST(file_in_french_through_the_menu)
{
	bw_request r;
	ck_assert_str_eq(sms(ALI, "Plainte la route de mon quartier est abimée depuis des mois"), "menu");
	ck_assert_ptr_nonnull(strstr(last(ALI), "Quelle administration?"));
	ck_assert_ptr_nonnull(strstr(last(ALI), "3 Transport"));
	ck_assert_str_eq(sms(ALI, "12"), "menu");             /* not a choice: asked again */
	ck_assert_ptr_nonnull(strstr(last(ALI), "Quelle administration?"));
	ck_assert_str_eq(sms(ALI, "3"), "filed");
	latest_request(&r);
	ck_assert_str_eq(r.admin, "TRANSPORT");
	ck_assert_str_eq(r.lang, "fr");
	ck_assert_str_eq(r.text, "la route de mon quartier est abimée depuis des mois");
	ck_assert_ptr_nonnull(strstr(last(ALI), "Votre réclamation est enregistrée"));
	ck_assert_int_eq(count("SELECT count(*) FROM sms_conversations", NULL), 0);
}
END_TEST

START_TEST(file_in_darija_replies_in_french_or_arabic)
{
	bw_request r;
	ck_assert_str_eq(sms(ALI, "salam chikaya sante tbib ma kaynch f sbitar"), "filed");
	latest_request(&r);
	ck_assert_str_eq(r.admin, "SANTE");
	ck_assert_ptr_nonnull(strstr(last(ALI), "Votre réclamation"));
	strcpy(SET.darija_lang, "ar");
	ck_assert_str_eq(sms(SARA, "i9tira7 transport zido tobis f lil"), "filed");
	ck_assert_ptr_nonnull(strstr(last(SARA), "سجلنا اقتراح"));
	latest_request(&r);
	ck_assert_int_eq(r.kind, BW_KIND_SUGGESTION);
	ck_assert_str_eq(r.lang, "ar");
}
END_TEST

START_TEST(information_request_asks_name_and_id)
{
	bw_request r;
	ck_assert_str_eq(sms(SARA, "info finances budget de la commune en 2024"), "menu");
	ck_assert_ptr_nonnull(strstr(last(SARA), "loi 31.13"));
	ck_assert_str_eq(sms(SARA, "Sara El Amrani"), "menu");
	ck_assert_ptr_nonnull(strstr(last(SARA), "CIN"));
	ck_assert_str_eq(sms(SARA, "pas de carte"), "menu");
	ck_assert_ptr_nonnull(strstr(last(SARA), "AB123456"));
	ck_assert_str_eq(sms(SARA, "ab 123-456"), "filed");
	latest_request(&r);
	ck_assert_int_eq(r.kind, BW_KIND_INFO);
	ck_assert_str_eq(r.admin, "MEF");
	ck_assert_str_eq(r.name, "Sara El Amrani");
	ck_assert_str_eq(r.id_number, "AB123456");
	ck_assert_int_eq(r.form, BW_FORM_SMS);
	ck_assert_str_eq(r.text, "budget de la commune en 2024");
	ck_assert_ptr_nonnull(strstr(last(SARA), "demande d'information est enregistr"));
}
END_TEST

START_TEST(no_keyword_gives_the_kind_menu_and_keeps_the_text)
{
	bw_request r;
	ck_assert_str_eq(sms(ALI, "الإنارة العمومية معطلة في شارعنا منذ شهر"), "menu");
	ck_assert_ptr_nonnull(strstr(last(ALI), "1 شكاية"));
	ck_assert_str_eq(sms(ALI, "٢"), "menu");     /* Arabic-Indic 2: observation */
	ck_assert_ptr_nonnull(strstr(last(ALI), "أي إدارة"));
	ck_assert_str_eq(sms(ALI, "1"), "filed");
	latest_request(&r);
	ck_assert_int_eq(r.kind, BW_KIND_OBSERVATION);
	ck_assert_str_eq(r.admin, "INTERIEUR");
	ck_assert_str_eq(r.text, "الإنارة العمومية معطلة في شارعنا منذ شهر");
	ck_assert_str_eq(r.lang, "ar");
}
END_TEST

START_TEST(a_filing_without_content_asks_for_it)
{
	bw_request r;
	/* "I want to file a complaint": which administration, then what it is about */
	ck_assert_str_eq(sms(ALI, "أريد تقديم شكاية"), "menu");
	ck_assert_ptr_nonnull(strstr(last(ALI), "أي إدارة"));
	ck_assert_str_eq(sms(ALI, "2"), "menu");
	ck_assert_ptr_nonnull(strstr(last(ALI), "أرسلوا الآن نص"));
	ck_assert_int_eq(count("SELECT count(*) FROM requests", NULL), 0);
	ck_assert_str_eq(sms(ALI, "لا يوجد طبيب في المستعجلات ليلا"), "filed");
	latest_request(&r);
	ck_assert_int_eq(r.kind, BW_KIND_COMPLAINT);
	ck_assert_str_eq(r.text, "لا يوجد طبيب في المستعجلات ليلا");
	/* the same in Darija, with only fillers after the keyword */
	ck_assert_str_eq(sms(SARA, "salam bghit ndir chikaya dyali 3afak"), "menu");
	ck_assert_ptr_nonnull(strstr(last(SARA), "Quelle administration?"));
}
END_TEST

START_TEST(a_reference_anywhere_asks_its_status)
{
	bw_request r;
	char msg[160];
	ck_assert_str_eq(sms(ALI, "chikaya transport tobis ma kaydouzch"), "filed");
	latest_request(&r);
	int before = count("SELECT count(*) FROM requests", NULL);
	snprintf(msg, sizeof msg, "fin wslat chikaya dyali %.4s %.4s %.4s", r.ref, r.ref + 4, r.ref + 8);
	ck_assert_str_eq(sms(ALI, msg), "status");
	ck_assert_ptr_nonnull(strstr(last(ALI), "Date limite"));
	snprintf(msg, sizeof msg, "chikaya dyali %s", r.ref);    /* not a new complaint */
	ck_assert_str_eq(sms(ALI, msg), "status");
	ck_assert_int_eq(count("SELECT count(*) FROM requests", NULL), before);
	ck_assert_int_eq(count("SELECT count(*) FROM sms_conversations", NULL), 0);
}
END_TEST

START_TEST(status_only_to_the_author)
{
	bw_request r;
	bw_err e;
	char msg[128], unknown[SMS_OUT_SIZE];
	ck_assert_str_eq(sms(ALI, "plainte sante accueil tres long a l'hopital"), "filed");
	latest_request(&r);
	snprintf(msg, sizeof msg, "suivi %s", r.ref);
	ck_assert_str_eq(sms(ALI, msg), "status");
	ck_assert_ptr_nonnull(strstr(last(ALI), "enregistrée"));
	ck_assert_ptr_nonnull(strstr(last(ALI), "Date limite"));
	/* another number: nothing revealed, the same words as for a reference nobody has */
	ck_assert_str_eq(sms(SARA, msg), "status");
	snprintf(unknown, sizeof unknown, "%s", last(SARA));
	ck_assert_ptr_null(strstr(unknown, "enregistr"));
	char other[13], fake[20];
	ck_assert_int_eq(bw_ref_make(7, 999999, other, &e), BW_OK);
	snprintf(fake, sizeof fake, "suivi %s", other);
	ck_assert_str_eq(sms(SARA, fake), "status");
	ck_assert_str_eq(last(SARA), unknown);
	/* one digit wrong: the check digit catches it */
	snprintf(msg, sizeof msg, "suivi %s", r.ref);
	msg[strlen(msg) - 1] = msg[strlen(msg) - 1] == '0' ? '1' : '0';
	ck_assert_str_eq(sms(ALI, msg), "status");
	ck_assert_ptr_nonnull(strstr(last(ALI), "12 chiffres"));
	/* answered: the answer when it fits, else where to read it */
	ck_assert_int_eq(bw_store_transition(S, r.ref, BW_ST_ANSWERED, "agent:amina",
					     "Le service d'accueil ouvre desormais a 8h.", T0 + 3600, NULL, &e), BW_OK);
	snprintf(msg, sizeof msg, "suivi %s", r.ref);
	ck_assert_str_eq(sms(ALI, msg), "status");
	ck_assert_ptr_nonnull(strstr(last(ALI), "ouvre desormais a 8h"));
	ck_assert_int_eq(bw_store_transition(S, r.ref, BW_ST_REOPENED, "citizen", "pas vrai", T0 + 7200, NULL, &e), BW_OK);
	char longnote[1200];
	memset(longnote, 0, sizeof longnote);
	for (int i = 0; i < 40; i++)
		strcat(longnote, "Reponse detaillee. ");
	ck_assert_int_eq(bw_store_transition(S, r.ref, BW_ST_ANSWERED, "agent:amina", longnote, T0 + 9000, NULL, &e), BW_OK);
	ck_assert_str_eq(sms(ALI, msg), "status");
	ck_assert_ptr_nonnull(strstr(last(ALI), "trop longue"));
	ck_assert_ptr_nonnull(strstr(last(ALI), SET.info_url));
	ck_assert_ptr_null(strstr(last(SARA), "Reponse"));
}
END_TEST

START_TEST(stop_wins_and_start_resumes)
{
	bw_request r;
	bw_err e;
	ck_assert_str_eq(sms(ALI, "شكاية الصحة الانتظار طويل جدا"), "filed");
	latest_request(&r);
	ck_assert_str_eq(sms(ALI, "plainte"), "menu");     /* a conversation in progress */
	ck_assert_str_eq(sms(ALI, "STOP"), "stop");
	ck_assert_ptr_nonnull(strstr(last(ALI), "START"));
	ck_assert_int_eq(count("SELECT count(*) FROM sms_conversations", NULL), 0);
	int n = queued(ALI);
	ck_assert_str_eq(sms(ALI, "stop"), "stop");        /* confirmed once only */
	ck_assert_str_eq(sms(ALI, "aide"), "optout");
	ck_assert_int_eq(queued(ALI), n);
	/* no notification while opted out */
	bw_event ev;
	ck_assert_int_eq(bw_store_transition(S, r.ref, BW_ST_IN_PROGRESS, "agent:amina", NULL, T0 + 100, &ev, &e), BW_OK);
	ck_assert_msg(bw_store_get(S, r.ref, &r, &e) == BW_OK, "%s", e.msg);
	ck_assert_int_eq(sms_conv_notify(&C, &ev, r.ref, &r, clock_s, &e), BW_OK);
	ck_assert_int_eq(queued(ALI), n);
	ck_assert_str_eq(sms(ALI, "start"), "start");
	ck_assert_int_eq(queued(ALI), n + 1);
	ck_assert_int_eq(sms_conv_notify(&C, &ev, r.ref, &r, clock_s, &e), BW_OK);
	ck_assert_int_eq(queued(ALI), n + 2);
	ck_assert_ptr_nonnull(strstr(last(ALI), "قيد المعالجة"));
	ck_assert_int_eq(sms_conv_notify(&C, &ev, r.ref, &r, clock_s, &e), BW_OK);   /* same event */
	ck_assert_int_eq(queued(ALI), n + 2);
}
END_TEST

static bw_event LAST_EV;
static int keep_last(const bw_event *ev, void *arg)
{
	(void)arg;
	LAST_EV = *ev;
	return 0;
}

static void last_event_of(const char *uid)
{
	bw_err e;
	ck_assert_int_ge(bw_store_events(S, uid, keep_last, NULL, &e), 0);
}

START_TEST(quiet_hours_are_decided_at_send_time)
{
	/* a notification queued at 20:55 in Morocco goes at once; if the modem is still busy
	 * at 21:00 it waits for the morning, a reply to the citizen's own message does not */
	int64_t q = T0 + 9 * 3600 + 55 * 60;       /* 20:55 legal time (19:55 UTC) */
	int64_t night = T0 + 10 * 3600 + 5 * 60;   /* 21:05 */
	int64_t morning = T0 + 21 * 3600;          /* 08:00 the next day */
	bw_request r;
	bw_event ev;
	bw_err e;
	sms_out o;
	int held;
	ck_assert_str_eq(sms(SARA, "plainte transport bus en retard chaque matin"), "filed");
	latest_request(&r);
	ck_assert_int_eq(bw_store_transition(S, r.ref, BW_ST_ANSWERED, "agent:amina", "ok", q, &ev, &e), BW_OK);
	ck_assert_int_eq(bw_store_get(S, r.ref, &r, &e), BW_OK);
	ck_assert_int_eq(sms_conv_notify(&C, &ev, r.ref, &r, q, &e), BW_OK);
	ck_assert_int_eq(sms_conv_hold_quiet(&C, q, &held, &e), BW_OK);
	ck_assert_int_eq(held, 0);
	/* not sent by 21:05: held, the filing reply still due */
	ck_assert_int_eq(sms_conv_hold_quiet(&C, night, &held, &e), BW_OK);
	ck_assert_int_eq(held, 1);
	ck_assert_int_eq(sms_db_outbox_due(D, night, 0, &o, &e), BW_OK);
	ck_assert_str_eq(o.purpose, "reply");
	ck_assert_int_eq(sms_db_outbox_sent(D, o.id, "sim1", 1, "gsm", night, &e), BW_OK);
	for (int64_t t = night; t < morning; t += 1800) {
		ck_assert_int_eq(sms_conv_hold_quiet(&C, t, &held, &e), BW_OK);
		ck_assert_int_eq(sms_db_outbox_due(D, t, 0, &o, &e), BW_ENOTFOUND);
	}
	ck_assert_int_eq(sms_conv_hold_quiet(&C, morning, &held, &e), BW_OK);
	ck_assert_int_eq(sms_db_outbox_due(D, morning, 0, &o, &e), BW_OK);
	ck_assert_str_eq(o.purpose, "notify");
}
END_TEST

START_TEST(a_deadline_moved_by_a_holiday_sends_no_sms)
{
	bw_request r;
	bw_err e;
	char msg[64], before[16];
	ck_assert_str_eq(sms(ALI, "info finances budget 2025"), "menu");
	ck_assert_str_eq(sms(ALI, "Ali Benali"), "menu");
	ck_assert_str_eq(sms(ALI, "AB123456"), "filed");
	latest_request(&r);
	snprintf(before, sizeof before, "%s", r.deadline);
	int n = queued(ALI);
	/* a holiday inside the 20 working days moves the deadline one working day */
	bw_holiday h = { 0 };
	snprintf(h.day, sizeof h.day, "2026-01-20");
	snprintf(h.name_fr, sizeof h.name_fr, "Test");
	snprintf(h.name_ar, sizeof h.name_ar, "اختبار");
	int moved = 0;
	ck_assert_msg(bw_store_holiday_add(S, &h, &moved, &e) == BW_OK, "%s", e.msg);
	ck_assert_int_ge(moved, 1);
	ck_assert_int_eq(bw_store_get(S, r.ref, &r, &e), BW_OK);
	ck_assert_str_ne(r.deadline, before);
	last_event_of(r.uid);
	ck_assert_int_eq(LAST_EV.old_state, LAST_EV.new_state);
	ck_assert_int_eq(sms_conv_notify(&C, &LAST_EV, r.ref, &r, clock_s, &e), BW_OK);
	ck_assert_int_eq(queued(ALI), n);                 /* no SMS */
	snprintf(msg, sizeof msg, "suivi %s", r.ref);
	ck_assert_str_eq(sms(ALI, msg), "status");        /* the status shows the new date */
	char shown[11];
	snprintf(shown, sizeof shown, "%.2s/%.2s/%.4s", r.deadline + 8, r.deadline + 5, r.deadline);
	ck_assert_ptr_nonnull(strstr(last(ALI), shown));
	ck_assert_ptr_nonnull(strstr(last(ALI), "Date limite"));
}
END_TEST

START_TEST(notifications_wait_for_the_morning)
{
	/* 21:30 in Morocco (20:30 UTC) -> 08:00 the next morning (07:00 UTC) */
	int64_t evening = T0 + 10 * 3600 + 30 * 60;
	ck_assert_int_eq(sms_conv_not_before(&SET, evening), T0 + 21 * 3600);
	ck_assert_int_eq(sms_conv_not_before(&SET, T0), T0);            /* 11:00: now */
	ck_assert_int_eq(sms_conv_not_before(&SET, T0 - 4 * 3600), T0 - 3 * 3600);  /* 07:00 -> 08:00 */
	/* Ramadan 2026 (UTC+0 from tzdata): 20:30 UTC is 20:30 legal, not yet quiet (a fixed
	 * UTC+1 would hold it); 21:30 UTC waits for 08:00 legal = 08:00 UTC */
	ck_assert_int_eq(sms_conv_not_before(&SET, 1772397000), 1772397000);           /* 03-01 20:30Z */
	ck_assert_int_eq(sms_conv_not_before(&SET, 1772400600), 1772438400);           /* -> 03-02 08:00Z */
	/* the last night of Ramadan: 22:00 legal (+0) on 03-21 to 08:00 legal (+1) on the 22nd,
	 * 07:00 UTC: the switch at 02:00Z falls inside the night */
	ck_assert_int_eq(sms_conv_not_before(&SET, 1774130400), 1774162800);           /* 03-21 22:00Z */
	bw_request r;
	bw_event ev;
	bw_err e;
	ck_assert_str_eq(sms(SARA, "plainte transport bus en retard chaque matin"), "filed");
	latest_request(&r);
	ck_assert_int_eq(bw_store_transition(S, r.ref, BW_ST_ANSWERED, "agent:amina", "horaires revus", T0, &ev, &e), BW_OK);
	ck_assert_int_eq(bw_store_get(S, r.ref, &r, &e), BW_OK);
	ck_assert_int_eq(sms_conv_notify(&C, &ev, r.ref, &r, evening, &e), BW_OK);
	ck_assert_ptr_nonnull(strstr(last(SARA), "a une réponse"));
	ck_assert_ptr_null(strstr(last(SARA), "horaires revus"));    /* the answer only on request */
	sms_out o;
	ck_assert_int_eq(sms_db_outbox_due(D, evening, 0, &o, &e), BW_OK);   /* the filing reply */
	ck_assert_int_eq(sms_db_outbox_sent(D, o.id, "sim1", 1, "gsm", evening, &e), BW_OK);
	ck_assert_int_eq(sms_db_outbox_due(D, evening + 3600, 0, &o, &e), BW_ENOTFOUND);
	ck_assert_int_eq(sms_db_outbox_due(D, T0 + 21 * 3600, 0, &o, &e), BW_OK);
	ck_assert_ptr_nonnull(strstr(o.text, "a une réponse"));
}
END_TEST

static const char *outbox_state(int64_t id)
{
	static char buf[16];
	sqlite3_stmt *st;
	buf[0] = '\0';
	ck_assert_int_eq(sqlite3_prepare_v2(bw_store_db(S), "SELECT state FROM sms_outbox WHERE id = ?1",
					    -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(buf, sizeof buf, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return buf;
}

/* A notification held for the night, then STOP: in the morning only the STOP
 * confirmation goes out; the notification is dropped, not sent. */
START_TEST(stop_cancels_held_notifications)
{
	bw_request r;
	bw_event ev;
	bw_err e;
	sms_out o;
	int64_t night = T0 + 12 * 3600;           /* 23:00 in Morocco */
	int64_t morning = T0 + 21 * 3600;         /* 08:00 */
	ck_assert_str_eq(sms(SARA, "plainte transport bus en retard chaque matin"), "filed");
	latest_request(&r);
	ck_assert_int_eq(sms_db_outbox_due(D, clock_s, 0, &o, &e), BW_OK);   /* the filing reply */
	ck_assert_int_eq(sms_db_outbox_sent(D, o.id, "sim1", 1, "gsm", clock_s, &e), BW_OK);
	ck_assert_int_eq(bw_store_transition(S, r.ref, BW_ST_IN_PROGRESS, "agent:amina", NULL, night, &ev, &e), BW_OK);
	ck_assert_int_eq(bw_store_get(S, r.ref, &r, &e), BW_OK);
	ck_assert_int_eq(sms_conv_notify(&C, &ev, r.ref, &r, night, &e), BW_OK);
	int64_t held = count("SELECT max(id) FROM sms_outbox", NULL);
	ck_assert_int_eq(sms_db_outbox_due(D, night, 0, &o, &e), BW_ENOTFOUND);   /* held */
	clock_s = night;
	ck_assert_str_eq(sms(SARA, "STOP"), "stop");
	ck_assert_str_eq(outbox_state(held), "dropped");
	ck_assert_int_eq(sms_db_outbox_due(D, morning, 0, &o, &e), BW_OK);
	ck_assert_ptr_nonnull(strstr(o.text, "START"));                      /* the confirmation */
	ck_assert_int_eq(sms_db_outbox_sent(D, o.id, "sim1", 1, "gsm", morning, &e), BW_OK);
	ck_assert_int_eq(sms_db_outbox_due(D, morning, 0, &o, &e), BW_ENOTFOUND);
	ck_assert_int_eq(sms_db_outbox_pending(D), 0);
	/* a reply to SARA's own earlier message is not a notification: untouched by STOP */
	ck_assert_int_eq(count("SELECT count(*) FROM sms_outbox WHERE purpose = 'reply' AND state = 'dropped'", NULL), 0);
	/* the same event told again (a replay) stays dropped */
	ck_assert_int_eq(sms_conv_notify(&C, &ev, r.ref, &r, morning, &e), BW_OK);
	ck_assert_str_eq(outbox_state(held), "dropped");
	ck_assert_int_eq(sms_db_outbox_pending(D), 0);
}
END_TEST

/* bw_sync calls sms_conv_notify inside the transaction that applies the notification to
 * the device's store, rolls it back when the callback fails and replays the
 * notification later: the SMS is queued in that transaction (never committed on its
 * own), once per event however often it is told, and a failure is returned. */
START_TEST(notify_joins_the_callers_transaction_once_per_event)
{
	bw_request r;
	bw_event ev, ev2;
	bw_err e;
	sqlite3 *other;
	ck_assert_str_eq(sms(SARA, "plainte transport bus en retard chaque matin"), "filed");
	latest_request(&r);
	ck_assert_int_eq(bw_store_transition(S, r.ref, BW_ST_IN_PROGRESS, "agent:amina", NULL, T0, &ev, &e), BW_OK);
	ck_assert_int_eq(bw_store_get(S, r.ref, &r, &e), BW_OK);
	ck_assert_int_eq(sqlite3_open_v2(path, &other, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_busy_timeout(other, 5000);
	const char *sql = "SELECT count(*) FROM sms_outbox WHERE event_uid = ?1";
	/* inside the caller's transaction: queued there, not committed by notify */
	ck_assert_int_eq(bw_store_begin(S, &e), BW_OK);
	ck_assert_msg(sms_conv_notify(&C, &ev, r.ref, &r, clock_s, &e) == BW_OK, "%s", e.msg);
	ck_assert_msg(sms_conv_notify(&C, &ev, r.ref, &r, clock_s, &e) == BW_OK, "%s", e.msg);
	ck_assert_int_eq(count(sql, ev.uid), 1);
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(other, sql, -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, ev.uid, -1, SQLITE_STATIC);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(st, 0), 0);      /* not visible outside yet */
	sqlite3_finalize(st);
	ck_assert_int_eq(sqlite3_get_autocommit(bw_store_db(S)), 0);   /* still open */
	bw_store_rollback(S);                                  /* the caller failed later */
	ck_assert_int_eq(count(sql, ev.uid), 0);
	/* the replay: queued once, and once only however often it is told */
	ck_assert_int_eq(bw_store_begin(S, &e), BW_OK);
	ck_assert_msg(sms_conv_notify(&C, &ev, r.ref, &r, clock_s, &e) == BW_OK, "%s", e.msg);
	ck_assert_int_eq(bw_store_commit(S, &e), BW_OK);
	ck_assert_msg(sms_conv_notify(&C, &ev, r.ref, &r, clock_s, &e) == BW_OK, "%s", e.msg);
	ck_assert_int_eq(count(sql, ev.uid), 1);
	/* on its own (no transaction open): committed, nothing left open */
	ck_assert_int_eq(bw_store_transition(S, r.ref, BW_ST_ANSWERED, "agent:amina", "ok", T0 + 60, &ev2, &e), BW_OK);
	ck_assert_int_eq(bw_store_get(S, r.ref, &r, &e), BW_OK);
	ck_assert_msg(sms_conv_notify(&C, &ev2, r.ref, &r, clock_s, &e) == BW_OK, "%s", e.msg);
	ck_assert_int_eq(sqlite3_get_autocommit(bw_store_db(S)), 1);
	ck_assert_int_eq(sqlite3_prepare_v2(other, sql, -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, ev2.uid, -1, SQLITE_STATIC);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(st, 0), 1);
	sqlite3_finalize(st);
	sqlite3_close(other);
	/* queuing fails: the error is returned (the caller rolls back and replays later) */
	bw_event ev3;
	ck_assert_int_eq(bw_store_transition(S, r.ref, BW_ST_REOPENED, "citizen", "pas vrai", T0 + 120, &ev3, &e), BW_OK);
	ck_assert_int_eq(bw_store_get(S, r.ref, &r, &e), BW_OK);
	ck_assert_int_eq(sqlite3_exec(bw_store_db(S), "CREATE TEMP TRIGGER full BEFORE INSERT ON sms_outbox "
				      "BEGIN SELECT RAISE(ABORT, 'disk full'); END", NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(bw_store_begin(S, &e), BW_OK);
	ck_assert_int_eq(sms_conv_notify(&C, &ev3, r.ref, &r, clock_s, &e), BW_EDB);
	ck_assert_ptr_nonnull(strstr(e.msg, "disk full"));
	ck_assert_int_eq(sqlite3_get_autocommit(bw_store_db(S)), 0);   /* the caller's to end */
	bw_store_rollback(S);
	ck_assert_int_eq(sms_conv_notify(&C, &ev3, r.ref, &r, clock_s, &e), BW_EDB);
	ck_assert_int_eq(sqlite3_get_autocommit(bw_store_db(S)), 1);
	ck_assert_int_eq(count(sql, ev3.uid), 0);
	ck_assert_int_eq(sqlite3_exec(bw_store_db(S), "DROP TRIGGER full", NULL, NULL, NULL), SQLITE_OK);
	ck_assert_msg(sms_conv_notify(&C, &ev3, r.ref, &r, clock_s, &e) == BW_OK, "%s", e.msg);
	ck_assert_int_eq(count(sql, ev3.uid), 1);
}
END_TEST

START_TEST(abuse_rules)
{
	ck_assert_str_eq(sms("ORANGE", "Votre solde est de 10 DH"), "ignored:alnum");
	ck_assert_str_eq(sms("1414", "Recharge"), "ignored:shortcode");
	ck_assert_str_eq(sms("+33612345678", "plainte"), "ignored:sender");
	ck_assert_int_eq(count("SELECT count(*) FROM sms_outbox", NULL), 0);
	ck_assert_int_eq(count("SELECT count(*) FROM sms_inbox", NULL), 3);   /* stored all the same */
	/* rate: 10 an hour */
	for (int i = 0; i < 10; i++) {
		char t[32];
		snprintf(t, sizeof t, "aide %d", i);
		ck_assert_str_eq(sms(ALI, t), "help");
	}
	ck_assert_str_eq(sms(ALI, "aide encore"), "rate");
	ck_assert_int_eq(queued(ALI), 10);
	/* an auto-responder: the same text again and again */
	const char *o = NULL;
	for (int i = 0; i < 4; i++)
		o = sms(SARA, "Je suis absent, je vous repondrai plus tard");
	ck_assert_str_eq(o, "loop");
	ck_assert_str_eq(sms(SARA, "aide"), "muted");
	int n = queued(SARA);
	ck_assert_int_le(n, 3);
	/* binary: the help reply once a day */
	ck_assert_str_eq(sms_coded("+212655555555", "0a0b0c", "8bit"), "binary");
	ck_assert_int_eq(queued("+212655555555"), 1);
	ck_assert_str_eq(sms_coded("+212655555555", "0a0b0d", "8bit"), "binary");
	ck_assert_int_eq(queued("+212655555555"), 1);
	char big[4000] = "plainte ";
	for (int i = 0; i < 120; i++)
		strcat(big, "trop long ");
	ck_assert_str_eq(sms("+212666666666", big), "oversize");
	ck_assert_int_eq(queued("+212666666666"), 1);
}
END_TEST

START_TEST(conversations_time_out_politely)
{
	bw_err e;
	int n;
	ck_assert_str_eq(sms(ALI, "réclamation"), "menu");
	ck_assert_str_eq(sms(SARA, "شكاية"), "menu");
	ck_assert_int_eq(sms_conv_expire(&C, clock_s + 60, 10, &n, &e), BW_OK);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(sms_conv_expire(&C, clock_s + SET.timeout + 60, 1, &n, &e), BW_OK);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(sms_conv_expire(&C, clock_s + SET.timeout + 60, 10, &n, &e), BW_OK);
	ck_assert_int_eq(n, 1);
	ck_assert_ptr_nonnull(strstr(last(ALI), "annulée"));
	ck_assert_ptr_nonnull(strstr(last(SARA), "ألغينا"));
	/* a menu answer after the time-out, before the sweep ran */
	ck_assert_str_eq(sms(ALI, "plainte"), "menu");
	clock_s += SET.timeout;
	ck_assert_str_eq(sms(ALI, "2"), "expired");
}
END_TEST

START_TEST(retry_after_a_crash_files_once)
{
	/* the request went in, then the process died before the reply was queued */
	static sms_in m;
	bw_err e;
	const char *out;
	memset(&m, 0, sizeof m);
	strcpy(m.sender, ALI);
	strcpy(m.modem, "sim1");
	strcpy(m.coding, "ucs2");
	m.sent_at = m.received_at = T0;
	m.parts = m.parts_total = 1;
	strcpy(m.text, "شكاية النقل الحافلة لا تتوقف في المحطة");
	ck_assert_int_eq(sms_db_inbox_add(D, &m, &e), BW_OK);
	bw_request r;
	bw_request_init(&r);
	strcpy(r.uid, m.req_uid);
	r.kind = BW_KIND_COMPLAINT;
	r.channel = BW_CHANNEL_SMS;
	strcpy(r.admin, "TRANSPORT");
	strcpy(r.text, "الحافلة لا تتوقف في المحطة");
	strcpy(r.phone, ALI);
	r.consent = 1;
	r.received_at = T0;
	ck_assert_msg(sms_submit_local(&F, &r, &e) == BW_OK, "%s", e.msg);
	ck_assert_int_eq(sms_conv_handle(&C, &m, T0, &out, &e), BW_OK);
	ck_assert_str_eq(out, "filed");
	ck_assert_int_eq(count("SELECT count(*) FROM requests", NULL), 1);
	char ref[13];
	ref_in(last(ALI), ref);
	ck_assert_str_eq(ref, r.ref);
	ck_assert_int_eq(queued(ALI), 1);
}
END_TEST

/* Every template, in both languages, with the longest values it can get. */
START_TEST(every_reply_fits_in_two_parts)
{
	static const char *const keys[] = {
		"sms.filed", "sms.menu.kind", "sms.menu.admin", "sms.ask.text", "sms.ask.name",
		"sms.ask.idnum", "sms.idnum.bad", "sms.status", "sms.status.long",
		"sms.status.unknown", "sms.status.badcheck", "sms.status.noref", "sms.help",
		"sms.stop", "sms.start", "sms.notify", "sms.notify.answered", "sms.expired",
		"sms.error", "sms.status.answered", "sms.status.rejected",
	};
	static const char *const kinds[] = { "sms.kind.complaint", "sms.kind.observation",
		"sms.kind.suggestion", "sms.kind.info" };
	const char *langs[] = { "ar", "fr" };
	char url[SMS_URL_MAX + 1], phone[SMS_PHONE_MAX + 1];
	memset(url, 'w', SMS_URL_MAX);
	url[SMS_URL_MAX] = 0;
	memset(phone, '9', SMS_PHONE_MAX);
	phone[SMS_PHONE_MAX] = 0;
	for (int l = 0; l < 2; l++) {
		char list[512], state[256] = "", kind[256] = "";
		sms_conv_menu(&C, langs[l], list, sizeof list);
		/* the longest state and kind labels */
		for (int s = 0; s < BW_ST_COUNT; s++) {
			char key[64];
			snprintf(key, sizeof key, "sms.state.%s", bw_state_name(s));
			const char *t = bw_tr_lang(langs[l], key);
			ck_assert_msg(strcmp(t, key) != 0, "%s: no %s", langs[l], key);
			if (strlen(t) > strlen(state))
				snprintf(state, sizeof state, "%s", t);
		}
		for (int k = 0; k < 4; k++) {
			const char *t = bw_tr_lang(langs[l], kinds[k]);
			ck_assert_msg(strcmp(t, kinds[k]) != 0, "%s: no %s", langs[l], kinds[k]);
			if (strlen(t) > strlen(kind))
				snprintf(kind, sizeof kind, "%s", t);
		}
		const char *names[] = { "ref", "date", "kind", "state", "list", "url", "phone", "answer" };
		const char *values[] = { "9999 9999 9999", "31/12/2099", kind, state, list, url, phone, "" };
		for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
			const char *t = bw_tr_lang(langs[l], keys[k]);
			ck_assert_msg(strcmp(t, keys[k]) != 0, "%s: no %s", langs[l], keys[k]);
			char out[SMS_OUT_SIZE];
			sms_encoding enc;
			bw_err e;
			sms_fill(out, sizeof out, t, 8, names, values);
			ck_assert_ptr_null(strchr(out, '{'));
			ck_assert_int_eq(sms_encode(out, &enc, &e), BW_OK);
			ck_assert_msg(enc.parts <= 2, "%s %s: %d parts (%zu bytes): %s", langs[l], keys[k],
				      enc.parts, strlen(out), out);
			/* French stays in the GSM-7 alphabet: 153 characters a part, not 67 */
			if (l == 1)
				ck_assert_msg(!enc.ucs2, "fr %s is not GSM-7: %s", keys[k], out);
		}
	}
}
END_TEST

START_TEST(fill_replaces_known_names_only)
{
	char out[64];
	const char *n[] = { "a", "bb" }, *v[] = { "1", "٢٢" };
	sms_fill(out, sizeof out, "{a}-{bb}-{c}-{", 2, n, v);
	ck_assert_str_eq(out, "1-٢٢-{c}-{");
	sms_fill(out, 4, "x{bb}", 2, n, v);   /* cut between characters */
	ck_assert_str_eq(out, "x٢");
}
END_TEST

Suite *suite_converse(void)
{
	Suite *s = suite_create("converse");
	TCase *t = tcase_create("store");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, file_in_arabic_in_one_message);
	tcase_add_test(t, file_in_french_through_the_menu);
	tcase_add_test(t, file_in_darija_replies_in_french_or_arabic);
	tcase_add_test(t, information_request_asks_name_and_id);
	tcase_add_test(t, no_keyword_gives_the_kind_menu_and_keeps_the_text);
	tcase_add_test(t, a_filing_without_content_asks_for_it);
	tcase_add_test(t, a_reference_anywhere_asks_its_status);
	tcase_add_test(t, status_only_to_the_author);
	tcase_add_test(t, quiet_hours_are_decided_at_send_time);
	tcase_add_test(t, a_deadline_moved_by_a_holiday_sends_no_sms);
	tcase_add_test(t, stop_wins_and_start_resumes);
	tcase_add_test(t, notifications_wait_for_the_morning);
	tcase_add_test(t, stop_cancels_held_notifications);
	tcase_add_test(t, notify_joins_the_callers_transaction_once_per_event);
	tcase_add_test(t, abuse_rules);
	tcase_add_test(t, conversations_time_out_politely);
	tcase_add_test(t, retry_after_a_crash_files_once);
	tcase_add_test(t, every_reply_fits_in_two_parts);
	tcase_add_test(t, fill_replaces_known_names_only);
	suite_add_tcase(s, t);
	return s;
}
