/* test_speech.c: what the kiosk says, without a sound card: every control of every kiosk
 * screen has a spoken name and role in ar, zgh and fr (the missing ones are listed),
 * digits read in groups, dates spoken, the keypad's focus change composed as name and
 * role, nothing said after the idle wipe. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bw_i18n.h"
#include "bw_store.h"
#include "kiosk/kiosk.h"
#include "kiosk/speech.h"

#ifndef KIOSK_TEST_LOCALEDIR
#define KIOSK_TEST_LOCALEDIR "build/rel/locale"
#endif

static int fake_width(void *arg, int font, int size, int dir, const char *s, int len)
{
	int n = 0;
	for (int i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n * size / 2;
}

static int fake_height(void *arg, int font, int size)
{
	return size * 3 / 2;
}

static char dir[64];
static bw_store *st;
static kiosk_local local;
static kiosk k;

static void setup(void)
{
	char path[128];
	bw_err e;
	strcpy(dir, "/tmp/bw-speech-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/kiosk.db", dir);
	ck_assert_int_eq(bw_store_open(&st, path, 0, &e), BW_OK);
	ck_assert_int_eq(bw_store_seed(st, &e), BW_OK);
	ck_assert_msg(bw_i18n_init("kiosk", KIOSK_TEST_LOCALEDIR, &e) == BW_OK, "%s", e.msg);
	memset(&local, 0, sizeof local);
	local.st = st;
	local.device_num = 42;
	setenv("BAWABA_NOW", "1795773600", 1);
	kiosk_conf conf;
	kiosk_conf_default(&conf);
	strcpy(conf.pin, "2468");
	kiosk_filer f = kiosk_local_filer(&local);
	ui_text_ops ops = { NULL, fake_width, fake_height, NULL };
	ck_assert_int_eq(kiosk_init(&k, &conf, st, &f, &ops, 1920, 1080, NULL, &e), BW_OK);
	kiosk_frame(&k, 1000, 0);
}

static void teardown(void)
{
	char cmd[128];
	kiosk_free(&k);
	bw_store_close(st);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* 1 if s is a catalogue key left untranslated (a msgid: no space, has a dot) */
static int untranslated(const char *s, const char *key)
{
	return key && !strcmp(s, key);
}

START_TEST(every_control_has_a_spoken_name)
{
	static const char *const langs[KL_COUNT] = { "ar", "zgh", "fr" };
	static const char *const roles[] = { "role.button", "role.checkbox", "role.textbox", "role.key",
					     "role.item", "state.on", "state.off", "state.selected" };
	char missing[4096] = "";
	int controls = 0;
	for (int l = 0; l < KL_COUNT; l++) {
		for (size_t r = 0; r < sizeof roles / sizeof roles[0]; r++)
			if (untranslated(bw_tr_lang(langs[l], roles[r]), roles[r]))
				snprintf(missing + strlen(missing), sizeof missing - strlen(missing), "%s:%s ", langs[l], roles[r]);
		for (int s = 0; s < KS_COUNT; s++) {
			kiosk_wipe(&k);
			kiosk_set_lang(&k, l);
			kiosk_start(&k, s == KS_INFO_LAW || s == KS_INFO_NAME ? BW_KIND_INFO : BW_KIND_COMPLAINT);
			kiosk_goto(&k, s);
			kiosk_frame(&k, 2000, 0);
			kiosk_frame(&k, 2000, 0);
			for (int i = 0; i < k.ui->nnav; i++) {
				const ui_nav *n = &k.ui->nav[i];
				char said[1024];
				controls++;
				size_t len = ks_control(&k, n, said, sizeof said);
				if (len == 0 || (n->msgid && untranslated(bw_tr(n->msgid), n->msgid)))
					snprintf(missing + strlen(missing), sizeof missing - strlen(missing), "%s:screen %d:control %d%s%s ",
						 langs[l], s, i, n->msgid ? ":" : "", n->msgid ? n->msgid : "");
			}
		}
	}
	ck_assert_msg(missing[0] == '\0', "controls without a spoken name: %s", missing);
	ck_assert_int_gt(controls, 3 * KS_COUNT * 3);
}
END_TEST

START_TEST(digits_in_groups_and_dates_spoken)
{
	char out[256];
	ks_digits("000100000011", out, sizeof out);
	ck_assert_str_eq(out, "0 0 0, 1 0 0, 0 0 0, 0 1 1");
	ks_digits("code 4821.", out, sizeof out);
	ck_assert_str_eq(out, "code 4 8, 2 1.");
	ks_digits("\xd9\xa1\xd9\xa2\xd9\xa3\xd9\xa4\xd9\xa5", out, sizeof out);  /* ١٢٣٤٥ */
	ck_assert_str_eq(out, "1 2 3, 4 5");
	ks_digits("guichet 12", out, sizeof out);
	ck_assert_str_eq(out, "guichet 12");
	bw_i18n_set_lang("fr");
	ks_digits("avant 2027-01-04", out, sizeof out);
	ck_assert_str_eq(out, "avant 4 janvier 2027");
	ks_digits("2027-13-04", out, sizeof out);  /* not a date: its year read as digits */
	ck_assert_str_eq(out, "2 0, 2 7-13-04");
	/* a buffer too small is cut, never overrun */
	char small[6];
	ks_digits("000100000011", small, sizeof small);
	ck_assert_int_eq((int)strlen(small), 5);
}
END_TEST

START_TEST(focus_change_composed_and_silent_after_wipe)
{
	ks_state s;
	char out[2048];
	ks_reset(&s);
	kiosk_set_lang(&k, KL_FR);
	kiosk_goto(&k, KS_HOME);
	kiosk_frame(&k, 2000, 0);
	ck_assert_uint_eq(ks_compose(&s, &k, 0, out, sizeof out), 0);  /* touch users: silence */
	ui_input_key(k.ui, UI_KEY_TAB);
	kiosk_frame(&k, 2100, 1);
	kiosk_frame(&k, 2100, 0);
	ck_assert_uint_gt(ks_compose(&s, &k, UI_KEY_TAB, out, sizeof out), 0);
	/* the first key: the whole screen, title first, then the focused control and role */
	ck_assert_msg(strncmp(out, bw_tr("home.title"), strlen(bw_tr("home.title"))) == 0, "%s", out);
	ck_assert_ptr_nonnull(strstr(out, bw_tr("role.button")));
	ui_input_key(k.ui, UI_KEY_TAB);
	kiosk_frame(&k, 2200, 1);
	kiosk_frame(&k, 2200, 0);
	ck_assert_uint_gt(ks_compose(&s, &k, UI_KEY_TAB, out, sizeof out), 0);
	ck_assert_ptr_null(strstr(out, bw_tr("home.title")));  /* a move: the control only */
	ck_assert_ptr_nonnull(ui_focused(k.ui));
	ck_assert_msg(strncmp(out, ui_nav_name(k.ui, ui_focused(k.ui)), strlen(ui_nav_name(k.ui, ui_focused(k.ui)))) == 0, "%s", out);
	kiosk_wipe(&k);
	ks_reset(&s);
	kiosk_frame(&k, 2300, 0);
	ck_assert_uint_eq(ks_compose(&s, &k, 0, out, sizeof out), 0);
}
END_TEST

Suite *suite_speech(void)
{
	Suite *s = suite_create("speech");
	TCase *tc = tcase_create("speech");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, every_control_has_a_spoken_name);
	tcase_add_test(tc, digits_in_groups_and_dates_spoken);
	tcase_add_test(tc, focus_change_composed_and_silent_after_wipe);
	suite_add_tcase(s, tc);
	return s;
}
