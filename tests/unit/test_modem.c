/* test_modem.c: the modem layer on Gammu's dummy phone (a real libGammu, a real directory):
 * receive, link, decode, commit-then-delete, dedupe; the multipart encoder; sending. */
#include <check.h>
#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bw_store.h"
#include "sms-gateway/dummy.h"
#include "sms-gateway/modem.h"
#include "sms-gateway/smsdb.h"

static char dir[64], dbpath[80];
static bw_store *S;
static sms_db *D;
static sms_modem *M;
static sms_dummy W;

static void setup(void)
{
	bw_err e;
	snprintf(dir, sizeof dir, "/tmp/bw-test-modem-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(dbpath, sizeof dbpath, "%s/gw.db", dir);
	ck_assert_msg(bw_store_open(&S, dbpath, 0, &e) == BW_OK, "%s", e.msg);
	ck_assert_msg(sms_db_open(&D, S, &e) == BW_OK, "%s", e.msg);
	ck_assert_msg(sms_dummy_open(&W, dir, &e) == BW_OK, "%s", e.msg);
	sms_modem_conf c = { .name = "sim1", .connection = "none", .model = "dummy",
			     .rate_per_minute = 600 };
	snprintf(c.device, sizeof c.device, "%s", dir);
	M = sms_modem_new(&c, NULL);
	ck_assert_msg(sms_modem_connect(M, &e) == BW_OK, "%s", e.msg);
}

static void teardown(void)
{
	char cmd[128];
	sms_modem_free(M);
	sms_db_close(D);
	bw_store_close(S);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static int inbox_files(void)
{
	char p[128];
	int n = 0;
	snprintf(p, sizeof p, "%s/sms/1", dir);
	DIR *d = opendir(p);
	ck_assert_ptr_nonnull(d);
	for (struct dirent *de; (de = readdir(d));)
		n += de->d_name[0] >= '0' && de->d_name[0] <= '9';
	closedir(d);
	return n;
}

/* The receive callback: commit to the inbox, as the gateway does. */
static int commit(void *arg, sms_in *m)
{
	int *calls = arg;
	(*calls)++;
	return sms_db_inbox_add(D, m, NULL);
}

static int refuse(void *arg, sms_in *m)
{
	return BW_EDB;
}

/* Commits, then fails as a gateway killed before the modem deleted the message. */
static int commit_then_die(void *arg, sms_in *m)
{
	commit(arg, m);
	return BW_EDB;
}

/* The deleted callback, as the gateway's: the row gives up a place-based dedupe key. */
static int forget(void *arg, sms_in *m)
{
	return sms_db_inbox_deleted(D, m->id, NULL);
}

static int receive_all(int wait_s)
{
	int calls = 0, more = 1;
	bw_err e;
	while (more)
		ck_assert_msg(sms_modem_receive(M, 64, wait_s, commit, forget, &calls, &more, &e) == BW_OK, "%s", e.msg);
	return calls;
}

static int rows(const char *sql)
{
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(bw_store_db(S), sql, -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	int n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void text_of(int64_t id, char *out, size_t size)
{
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(bw_store_db(S), "SELECT text FROM sms_inbox WHERE id = ?1",
					    -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

static const char *AR_LONG =
	"شكاية الماء مقطوع في حي السلام منذ ثلاثة أيام ولم يأت أحد من المصلحة رغم الاتصال "
	"بالرقم الأخضر عدة مرات، نرجو التدخل العاجل لأن الأطفال والمسنين يعانون كثيرا "
	"من هذا الوضع في الحر الشديد، ونتمنى أن يتم إصلاح العطب في أقرب الآجال الممكنة، "
	"وشكرا لكم على تفهمكم وحسن تعاونكم";

START_TEST(receive_single_and_multipart_in_any_order)
{
	bw_err e;
	int parts, order[5] = { 3, 0, 4, 2, 1 };
	int64_t now = time(NULL);
	ck_assert_int_eq(sms_dummy_inject(&W, "+212612345678", "plainte route abimée à Salé", now, NULL, 0, &parts, &e), BW_OK);
	ck_assert_int_eq(parts, 1);
	ck_assert_int_eq(sms_dummy_inject(&W, "+212623456789", AR_LONG, now, order, 0, &parts, &e), BW_OK);
	ck_assert_int_eq(parts, 5);
	ck_assert_int_eq(inbox_files(), 6);
	ck_assert_int_eq(receive_all(600), 2);
	ck_assert_int_eq(inbox_files(), 0);     /* deleted after the commit */
	ck_assert_int_eq(rows("SELECT count(*) FROM sms_inbox"), 2);
	char t[4096];
	sms_in m;
	ck_assert_int_eq(sms_db_inbox_next(D, &m, &e), BW_OK);
	text_of(m.id, t, sizeof t);
	ck_assert_str_eq(m.sender, "+212612345678");
	ck_assert_str_eq(t, "plainte route abimée à Salé");
	ck_assert_str_eq(m.coding, "gsm");
	ck_assert_int_le(llabs(m.sent_at - now), 1);
	ck_assert_int_eq(sms_db_inbox_done(D, m.id, "test", &e), BW_OK);
	ck_assert_int_eq(sms_db_inbox_next(D, &m, &e), BW_OK);
	ck_assert_str_eq(m.text, AR_LONG);
	ck_assert_str_eq(m.coding, "ucs2");
	ck_assert_int_eq(m.parts, 5);
	ck_assert_int_eq(m.parts_total, 5);
}
END_TEST

START_TEST(missing_part_waits_then_goes_as_is)
{
	bw_err e;
	int parts;
	ck_assert_int_eq(sms_dummy_inject(&W, "+212623456789", AR_LONG, time(NULL), NULL, 3, &parts, &e), BW_OK);
	ck_assert_int_eq(inbox_files(), 4);
	ck_assert_int_eq(receive_all(600), 0);   /* waits for part 3 */
	ck_assert_int_eq(receive_all(600), 0);
	ck_assert_int_eq(inbox_files(), 4);
	ck_assert_int_eq(receive_all(0), 1);     /* waited long enough: as it is */
	ck_assert_int_eq(inbox_files(), 0);
	sms_in m;
	ck_assert_int_eq(sms_db_inbox_next(D, &m, &e), BW_OK);
	ck_assert_int_eq(m.parts, 4);
	ck_assert_int_eq(m.parts_total, 5);
	ck_assert_ptr_nonnull(strstr(m.text, "شكاية الماء"));
	ck_assert_int_lt(strlen(m.text), strlen(AR_LONG));
}
END_TEST

/* Group commit: the pass's messages are stored in one transaction, and leave the modem
 * only once it is committed; a refused commit leaves them all there, with nothing stored. */
static int group_ok;
static int group_commits;
static int commit_group(void *arg)
{
	bw_err e;
	(void)arg;
	group_commits++;
	if (!group_ok) {
		bw_store_rollback(S);
		return BW_EDB;
	}
	return bw_store_commit(S, &e);
}

START_TEST(group_commit_deletes_after_the_one_commit)
{
	bw_err e;
	int calls = 0, more;
	int64_t when = time(NULL) - 30;
	for (int i = 0; i < 5; i++) {
		char from[32];
		snprintf(from, sizeof from, "+21261234560%d", i);
		ck_assert_int_eq(sms_dummy_inject(&W, from, "chikaya lma maqtou3", when, NULL, 0, NULL, &e), BW_OK);
	}
	sms_modem_set_group_commit(M, commit_group);
	group_ok = 0;
	group_commits = 0;
	ck_assert_int_eq(bw_store_begin(S, &e), BW_OK);
	ck_assert_int_eq(sms_modem_receive(M, 64, 600, commit, forget, &calls, &more, &e), BW_OK);
	ck_assert_int_eq(calls, 5);
	ck_assert_int_eq(group_commits, 1);               /* one commit for five messages */
	ck_assert_int_eq(inbox_files(), 5);               /* refused: all kept */
	ck_assert_int_eq(rows("SELECT count(*) FROM sms_inbox"), 0);
	group_ok = 1;
	calls = 0;
	ck_assert_int_eq(bw_store_begin(S, &e), BW_OK);
	ck_assert_int_eq(sms_modem_receive(M, 64, 600, commit, forget, &calls, &more, &e), BW_OK);
	ck_assert_int_eq(group_commits, 2);
	ck_assert_int_eq(inbox_files(), 0);
	ck_assert_int_eq(rows("SELECT count(*) FROM sms_inbox"), 5);
	sms_modem_set_group_commit(M, NULL);
}
END_TEST

START_TEST(not_committed_stays_on_the_modem_and_dedupes)
{
	bw_err e;
	int calls = 0, more;
	int64_t when = time(NULL) - 30;
	ck_assert_int_eq(sms_dummy_inject(&W, "+212612345678", "suivi 001234567894", when, NULL, 0, NULL, &e), BW_OK);
	ck_assert_int_eq(sms_modem_receive(M, 64, 600, refuse, NULL, &calls, &more, &e), BW_OK);
	ck_assert_int_eq(inbox_files(), 1);     /* the callback failed: kept */
	/* committed, then the same message comes again (a crash before the delete) */
	ck_assert_int_eq(receive_all(600), 1);
	ck_assert_int_eq(sms_dummy_inject(&W, "+212612345678", "suivi 001234567894", when, NULL, 0, NULL, &e), BW_OK);
	ck_assert_int_eq(receive_all(600), 1);
	ck_assert_int_eq(inbox_files(), 0);
	ck_assert_int_eq(rows("SELECT count(*) FROM sms_inbox"), 1);
	/* same text a minute later is another message */
	ck_assert_int_eq(sms_dummy_inject(&W, "+212612345678", "suivi 001234567894", when + 60, NULL, 0, NULL, &e), BW_OK);
	ck_assert_int_eq(receive_all(600), 1);
	ck_assert_int_eq(rows("SELECT count(*) FROM sms_inbox"), 2);
}
END_TEST

/* A modem that gives no network timestamp: the dedupe key must not be the wall clock at
 * reading, or a message read again after a kill between commit and delete (a second
 * later) is filed twice. Once deleted, the same text landing in the same place on the
 * modem is a new message (a citizen answering "1" to two menus). */
START_TEST(no_timestamp_still_dedupes)
{
	bw_err e;
	int calls = 0, more;
	ck_assert_int_eq(sms_dummy_inject(&W, "+212612345678", "1", -1, NULL, 0, NULL, &e), BW_OK);
	ck_assert_int_eq(sms_modem_receive(M, 64, 600, commit_then_die, NULL, &calls, &more, &e), BW_OK);
	ck_assert_int_eq(calls, 1);
	ck_assert_int_eq(inbox_files(), 1);     /* committed, not deleted: the "kill" */
	ck_assert_int_eq(rows("SELECT count(*) FROM sms_inbox"), 1);
	usleep(1100 * 1000);                    /* the restart comes at least a second later */
	ck_assert_int_eq(receive_all(600), 1);  /* read again */
	ck_assert_int_eq(inbox_files(), 0);
	ck_assert_int_eq(rows("SELECT count(*) FROM sms_inbox"), 1);
	ck_assert_int_eq(rows("SELECT count(*) FROM sms_inbox WHERE sent_at < 0"), 1);
	/* the same answer again, written where the first one was (file 1 of the inbox) */
	ck_assert_int_eq(sms_dummy_open(&W, dir, &e), BW_OK);
	ck_assert_int_eq(sms_dummy_inject(&W, "+212612345678", "1", -1, NULL, 0, NULL, &e), BW_OK);
	ck_assert_int_eq(receive_all(600), 1);
	ck_assert_int_eq(rows("SELECT count(*) FROM sms_inbox"), 2);
	/* and a multipart message without timestamps dedupes the same way */
	calls = 0;
	ck_assert_int_eq(sms_dummy_inject(&W, "+212623456789", AR_LONG, -1, NULL, 0, NULL, &e), BW_OK);
	ck_assert_int_eq(sms_modem_receive(M, 64, 600, commit_then_die, NULL, &calls, &more, &e), BW_OK);
	usleep(1100 * 1000);
	ck_assert_int_eq(receive_all(600), 1);
	ck_assert_int_eq(inbox_files(), 0);
	ck_assert_int_eq(rows("SELECT count(*) FROM sms_inbox WHERE sender = '+212623456789'"), 1);
}
END_TEST

START_TEST(many_messages_in_bounded_passes)
{
	bw_err e;
	for (int i = 0; i < 150; i++) {
		char t[64];
		snprintf(t, sizeof t, "message numero %d", i);
		ck_assert_int_eq(sms_dummy_inject(&W, "+212612345678", t, time(NULL), NULL, 0, NULL, &e), BW_OK);
	}
	int calls = 0, more = 0;
	ck_assert_int_eq(sms_modem_receive(M, 50, 600, commit, forget, &calls, &more, &e), BW_OK);
	ck_assert_int_eq(calls, 50);
	ck_assert_int_eq(more, 1);
	ck_assert_int_eq(receive_all(600), 100);
	ck_assert_int_eq(rows("SELECT count(DISTINCT text) FROM sms_inbox"), 150);
}
END_TEST

START_TEST(encoder_picks_gsm7_or_ucs2)
{
	sms_encoding enc;
	bw_err e;
	ck_assert_int_eq(sms_encode("Réclamation enregistrée: é è à", &enc, &e), BW_OK);
	ck_assert_int_eq(enc.parts, 1);
	ck_assert_int_eq(enc.ucs2, 0);
	ck_assert_int_eq(sms_encode("Température 30°", &enc, &e), BW_OK);
	ck_assert_int_eq(enc.ucs2, 1);
	ck_assert_int_eq(sms_encode("reçue", &enc, &e), BW_OK);   /* GSM-7 has Ç, not ç */
	ck_assert_int_eq(enc.ucs2, 1);
	char ar[1024] = "";
	for (int i = 0; i < 31; i++)
		strcat(ar, "شكرا");   /* 124 Arabic letters */
	ck_assert_int_eq(sms_encode(ar, &enc, &e), BW_OK);
	ck_assert_int_eq(enc.parts, 2);
	ck_assert_int_eq(enc.ucs2, 1);
	char both[1400];
	snprintf(both, sizeof both, "%s%s", enc.part_text[0], enc.part_text[1]);
	ck_assert_str_eq(both, ar);
	char l160[161];
	memset(l160, 'a', 160);
	l160[160] = 0;
	ck_assert_int_eq(sms_encode(l160, &enc, &e), BW_OK);
	ck_assert_int_eq(enc.parts, 1);
	ck_assert_int_eq(sms_encode("\xff\xfe", &enc, &e), BW_EINVAL);
}
END_TEST

START_TEST(send_on_dummy_and_token_bucket)
{
	sms_encoding enc;
	bw_err e;
	unsigned sent;
	ck_assert_int_eq(sms_encode("تم تسجيل شكايتكم", &enc, &e), BW_OK);
	ck_assert(sms_modem_can_send(M, 1));
	ck_assert_msg(sms_modem_send(M, "+212612345678", &enc, 0, &sent, &e) == BW_OK, "%s", e.msg);
	ck_assert_uint_eq(sent, 1);
	ck_assert_int_eq(sms_modem_send(M, "+212612345678", &enc, 0, &sent, &e), BW_OK);
	/* two parts went out at once: the bucket (600 a minute: 10 a second) is empty */
	ck_assert(!sms_modem_can_send(M, 1));
	int w = sms_modem_send_wait_ms(M, 1);
	ck_assert_int_gt(w, 0);
	ck_assert_int_le(w, 101);
	long calls;
	int64_t ns;
	sms_modem_stats(M, &calls, &ns);
	ck_assert_int_ge(calls, 3);
	ck_assert_int_gt(ns, 0);
	ck_assert(sms_modem_is_up(M));
	ck_assert_int_eq(sms_modem_reset(M, &e), BW_OK);
	ck_assert(sms_modem_is_up(M));
}
END_TEST

/* A text that does not encode again into its parts is not sent, and takes no token. */
START_TEST(encoding_failure_takes_no_token)
{
	sms_encoding enc;
	bw_err e;
	unsigned sent = 7;
	ck_assert_int_eq(sms_encode("Réclamation enregistrée", &enc, &e), BW_OK);
	enc.parts = 2;                       /* says two, encodes into one */
	snprintf(enc.part_text[1], sizeof enc.part_text[1], "x");
	ck_assert(sms_modem_can_send(M, 2));
	ck_assert_int_eq(sms_modem_send(M, "+212612345678", &enc, 0, &sent, &e), BW_EINVAL);
	ck_assert_uint_eq(sent, 0);
	ck_assert(sms_modem_can_send(M, 2));  /* the bucket is as it was */
	snprintf(enc.part_text[0], sizeof enc.part_text[0], "\xff");
	enc.parts = 1;
	ck_assert_int_eq(sms_modem_send(M, "+212612345678", &enc, 0, &sent, &e), BW_EINVAL);
	ck_assert(sms_modem_can_send(M, 2));
}
END_TEST

/* A two-part reply refused at part 2: part 1 went out; the retry sends part 2 only,
 * taking one token. */
START_TEST(retry_sends_only_the_missing_parts)
{
	sms_encoding enc;
	bw_err e;
	unsigned sent;
	char ar[1024] = "";
	for (int i = 0; i < 31; i++)
		strcat(ar, "شكرا");
	ck_assert_int_eq(sms_encode(ar, &enc, &e), BW_OK);
	ck_assert_int_eq(enc.parts, 2);
	enc.ref = 0x5a;
	sms_modem_free(M);
	sms_modem_conf c = { .name = "sim1", .connection = "none", .model = "dummy",
			     .rate_per_minute = 1, .fault_part = 2 };
	snprintf(c.device, sizeof c.device, "%s", dir);
	M = sms_modem_new(&c, NULL);
	ck_assert_msg(sms_modem_connect(M, &e) == BW_OK, "%s", e.msg);
	ck_assert_int_eq(sms_modem_send(M, "+212612345678", &enc, 0, &sent, &e), BW_EIO);
	ck_assert_uint_eq(sent, 1);          /* part 1 only */
	ck_assert_ptr_nonnull(strstr(e.msg, "part 2 of 2"));
	/* two parts handed over (one refused): the bucket of 2 is empty, at 1 a minute */
	ck_assert(!sms_modem_can_send(M, 1));
	sms_modem_free(M);
	c.fault_part = 0;
	M = sms_modem_new(&c, NULL);
	ck_assert_msg(sms_modem_connect(M, &e) == BW_OK, "%s", e.msg);
	ck_assert_msg(sms_modem_send(M, "+212612345678", &enc, 1, &sent, &e) == BW_OK, "%s", e.msg);
	ck_assert_uint_eq(sent, 2);          /* part 2 only */
	ck_assert(sms_modem_can_send(M, 1)); /* one token taken of 2 */
	ck_assert(!sms_modem_can_send(M, 2));
	/* every part already out: nothing to send, nothing taken */
	ck_assert_int_eq(sms_modem_send(M, "+212612345678", &enc, 3, &sent, &e), BW_OK);
	ck_assert_uint_eq(sent, 0);
	ck_assert(sms_modem_can_send(M, 1));
}
END_TEST

/* The dummy driver never fails once connected (a vanished directory reads as empty), so
 * the way back from a modem that is down is tested from a failed connection: reset
 * retries it, and the messages waiting on the phone are all read once it answers. */
START_TEST(a_modem_that_was_down_is_reset)
{
	bw_err e;
	char moved[80];
	ck_assert_int_eq(sms_dummy_inject(&W, "+212612345678", "aide", time(NULL), NULL, 0, NULL, &e), BW_OK);
	sms_modem_free(M);
	snprintf(moved, sizeof moved, "%s.away", dir);
	ck_assert_int_eq(rename(dir, moved), 0);
	sms_modem_conf c = { .name = "sim1", .connection = "none", .model = "dummy", .rate_per_minute = 4 };
	snprintf(c.device, sizeof c.device, "%s", dir);
	M = sms_modem_new(&c, NULL);
	ck_assert_int_eq(sms_modem_connect(M, &e), BW_EIO);
	ck_assert(!sms_modem_is_up(M));
	int calls = 0, more;
	ck_assert_int_eq(sms_modem_receive(M, 64, 600, commit, forget, &calls, &more, &e), BW_EIO);
	ck_assert_int_eq(sms_modem_reset(M, &e), BW_EIO);     /* still gone */
	ck_assert_int_eq(rename(moved, dir), 0);
	ck_assert_msg(sms_modem_reset(M, &e) == BW_OK, "%s", e.msg);
	ck_assert(sms_modem_is_up(M));
	ck_assert_int_eq(receive_all(600), 1);
}
END_TEST

START_TEST(missing_directory_fails_cleanly)
{
	bw_err e;
	sms_modem_conf c = { .name = "gone", .connection = "none", .model = "dummy",
			     .device = "/nonexistent/bawaba", .rate_per_minute = 4 };
	sms_modem *m = sms_modem_new(&c, NULL);
	ck_assert_int_eq(sms_modem_connect(m, &e), BW_EIO);
	ck_assert_ptr_nonnull(strstr(e.msg, "gone: connect"));
	ck_assert(!sms_modem_is_up(m));
	sms_modem_free(m);
}
END_TEST

Suite *suite_modem(void)
{
	Suite *s = suite_create("modem");
	TCase *t = tcase_create("dummy");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, receive_single_and_multipart_in_any_order);
	tcase_add_test(t, missing_part_waits_then_goes_as_is);
	tcase_add_test(t, not_committed_stays_on_the_modem_and_dedupes);
	tcase_add_test(t, group_commit_deletes_after_the_one_commit);
	tcase_add_test(t, no_timestamp_still_dedupes);
	tcase_add_test(t, many_messages_in_bounded_passes);
	tcase_add_test(t, encoder_picks_gsm7_or_ucs2);
	tcase_add_test(t, send_on_dummy_and_token_bucket);
	tcase_add_test(t, encoding_failure_takes_no_token);
	tcase_add_test(t, retry_sends_only_the_missing_parts);
	tcase_add_test(t, a_modem_that_was_down_is_reset);
	tcase_add_test(t, missing_directory_fails_cleanly);
	suite_add_tcase(s, t);
	return s;
}
