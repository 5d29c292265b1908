/* test_grammar.c: the citizen SMS grammar on real-looking messages, folding, and the keyword table. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "bw_text.h"
#include "sms-gateway/grammar.h"

enum { BADCHK = 1, BADLEN = 2, DARIJA = 4, CUT = 8 };
#define NOK (-1)
#define C_COMPLAINT BW_KIND_COMPLAINT
#define C_OBS BW_KIND_OBSERVATION
#define C_SUGG BW_KIND_SUGGESTION
#define C_INFO BW_KIND_INFO

/* 001234567894 is a valid reference (device 12, sequence 3456789); 001234567895 has a
 * wrong check digit and 001234567849 has its last two digits swapped. */
typedef struct gcase {
	const char *text;
	sms_intent intent;
	int kind;
	const char *lang;
	const char *hint;   /* NULL: "" */
	const char *body;   /* NULL: not checked */
	const char *ref;    /* NULL: "" */
	int flags;
	int menu;
} gcase;

static const gcase cases[] = {
	/* Arabic: diacritics, tatweel, alef variants, article, ta marbuta, typos */
	{ "شكاية الماء مقطوع في الحي منذ ثلاثة أيام", SMS_FILE, C_COMPLAINT, "ar", "الماء",
	  "مقطوع في الحي منذ ثلاثة أيام", NULL, 0, 0 },
	{ "شَكَايَة: الإنارة العمومية معطلة", SMS_FILE, C_COMPLAINT, "ar", "الاناره",
	  "العمومية معطلة", NULL, 0, 0 },
	{ "شكـــاية الطريق محفرة", SMS_FILE, C_COMPLAINT, "ar", "الطريق", "محفرة", NULL, 0, 0 },
	{ "شكوى بخصوص التأخر في تسليم رخصة البناء", SMS_FILE, C_COMPLAINT, "ar", "التاخر",
	  "في تسليم رخصة البناء", NULL, 0, 0 },
	{ "الشكاية الجماعة لم ترد", SMS_FILE, C_COMPLAINT, "ar", "الجماعه", "لم ترد", NULL, 0, 0 },
	{ "شكايه", SMS_FILE, C_COMPLAINT, "ar", NULL, "", NULL, 0, 0 },
	{ "ملاحظة المستشفى نظيف", SMS_FILE, C_OBS, "ar", "المستشفي", "نظيف", NULL, 0, 0 },
	{ "ملاحضة المستشفى نظيف", SMS_FILE, C_OBS, "ar", "المستشفي", "نظيف", NULL, 0, 0 },
	{ "إقتراح فتح مكتبة في الحي", SMS_FILE, C_SUGG, "ar", "فتح", "مكتبة في الحي", NULL, 0, 0 },
	{ "أقتراح", SMS_FILE, C_SUGG, "ar", NULL, "", NULL, 0, 0 },
	{ "طلب معلومات ميزانية الجماعة لسنة 2024", SMS_FILE, C_INFO, "ar", "ميزانيه",
	  "الجماعة لسنة 2024", NULL, 0, 0 },
	{ "طلب الحصول على المعلومات عدد الموظفين", SMS_FILE, C_INFO, "ar", "عدد", "الموظفين",
	  NULL, 0, 0 },
	{ "مَعْلُومَة", SMS_FILE, C_INFO, "ar", NULL, "", NULL, 0, 0 },
	/* French: capitals, accents or none, punctuation after the keyword, typos */
	{ "PLAINTE Commune: la route de Sidi Maarouf est pleine de trous", SMS_FILE,
	  C_COMPLAINT, "fr", "commune", "la route de Sidi Maarouf est pleine de trous", NULL, 0, 0 },
	{ "Réclamation: bruit la nuit", SMS_FILE, C_COMPLAINT, "fr", "bruit", "la nuit", NULL, 0, 0 },
	{ "reclamation", SMS_FILE, C_COMPLAINT, "fr", NULL, "", NULL, 0, 0 },
	{ "RECLAMATION ONEE facture trop élevée", SMS_FILE, C_COMPLAINT, "fr", "onee",
	  "facture trop élevée", NULL, 0, 0 },
	{ "plainet ONEE coupure", SMS_FILE, C_COMPLAINT, "fr", "onee", "coupure", NULL, 0, 0 },
	{ "plaite voirie", SMS_FILE, C_COMPLAINT, "fr", "voirie", "", NULL, 0, 0 },
	{ "plainte   \n\n  la route  \n", SMS_FILE, C_COMPLAINT, "fr", "la", "route", NULL, 0, 0 },
	{ "Observation: agents accueillants", SMS_FILE, C_OBS, "fr", "agents", "accueillants",
	  NULL, 0, 0 },
	{ "remarque", SMS_FILE, C_OBS, "fr", NULL, "", NULL, 0, 0 },
	{ "Suggestion mairie ouvrir le samedi", SMS_FILE, C_SUGG, "fr", "mairie",
	  "ouvrir le samedi", NULL, 0, 0 },
	{ "PROPOSITION", SMS_FILE, C_SUGG, "fr", NULL, "", NULL, 0, 0 },
	{ "Demande d'information budget de la commune", SMS_FILE, C_INFO, "fr", "budget",
	  "de la commune", NULL, 0, 0 },
	{ "demande d\u2019information", SMS_FILE, C_INFO, "fr", NULL, "", NULL, 0, 0 },
	{ "INFO horaires", SMS_FILE, C_INFO, "fr", "horaires", "", NULL, 0, 0 },
	{ "Informations marchés publics", SMS_FILE, C_INFO, "fr", "marches", "publics", NULL, 0, 0 },
	/* Darija in Latin letters, digits as letters */
	{ "chikaya lma maqtou3", SMS_FILE, C_COMPLAINT, "fr", "lma", "maqtou3", NULL, DARIJA, 0 },
	{ "chkaya", SMS_FILE, C_COMPLAINT, "fr", NULL, "", NULL, DARIJA, 0 },
	{ "Chekaya l9aid", SMS_FILE, C_COMPLAINT, "fr", "l9aid", "", NULL, DARIJA, 0 },
	{ "chikayat 3la l9aid", SMS_FILE, C_COMPLAINT, "fr", "l9aid", "", NULL, DARIJA, 0 },
	{ "chikya tobis", SMS_FILE, C_COMPLAINT, "fr", "tobis", "", NULL, DARIJA, 0 },
	{ "mola7ada tramway", SMS_FILE, C_OBS, "fr", "tramway", "", NULL, DARIJA, 0 },
	{ "molahada", SMS_FILE, C_OBS, "fr", NULL, "", NULL, DARIJA, 0 },
	{ "i9tira7 dirou parking", SMS_FILE, C_SUGG, "fr", "parking", "", NULL, DARIJA, 0 },
	{ "9tira7", SMS_FILE, C_SUGG, "fr", NULL, "", NULL, DARIJA, 0 },
	{ "IQTIRAH", SMS_FILE, C_SUGG, "fr", NULL, "", NULL, DARIJA, 0 },
	{ "ma3louma 3la lmanha", SMS_FILE, C_INFO, "fr", "lmanha", "", NULL, DARIJA, 0 },
	{ "maalouma", SMS_FILE, C_INFO, "fr", NULL, "", NULL, DARIJA, 0 },
	/* greetings and politeness first */
	{ "Salam 3afak chikaya baladiya lbalia ma kaydouzch", SMS_FILE, C_COMPLAINT, "fr",
	  "baladiya", "lbalia ma kaydouzch", NULL, DARIJA, 0 },
	{ "Bonjour, plainte: eau coupée", SMS_FILE, C_COMPLAINT, "fr", "eau", "coupée", NULL, 0, 0 },
	{ "السلام عليكم شكاية الكهرباء", SMS_FILE, C_COMPLAINT, "ar", "الكهرباء", "", NULL, 0, 0 },
	{ "السلام عليكم، من فضلك، اقتراح حديقة للأطفال", SMS_FILE, C_SUGG, "ar", "حديقه",
	  "للأطفال", NULL, 0, 0 },
	{ "slm svp statut 0012 3456 7894", SMS_STATUS, NOK, "fr", NULL, "", "001234567894", 0, 0 },
	{ "afak 7ala 001234567894", SMS_STATUS, NOK, "fr", NULL, "", "001234567894", DARIJA, 0 },
	{ "Bonjour", SMS_UNKNOWN, NOK, "fr", NULL, "", NULL, 0, 0 },
	/* status, with references in every digit form */
	{ "statut 0012 3456 7894", SMS_STATUS, NOK, "fr", NULL, "", "001234567894", 0, 0 },
	{ "ÉTAT 001234567894", SMS_STATUS, NOK, "fr", NULL, "", "001234567894", 0, 0 },
	{ "suivi 0012-3456-7894 merci", SMS_STATUS, NOK, "fr", NULL, "merci", "001234567894", 0, 0 },
	{ "suivi de ma demande n° 0012.3456.7894", SMS_STATUS, NOK, "fr", NULL, "",
	  "001234567894", 0, 0 },
	{ "حالة ٠٠١٢ ٣٤٥٦ ٧٨٩٤", SMS_STATUS, NOK, "ar", NULL, "", "001234567894", 0, 0 },
	{ "تتبع ۰۰۱۲-۳۴۵۶-۷۸۹۴", SMS_STATUS, NOK, "ar", NULL, "", "001234567894", 0, 0 },
	{ "الحالة 001234567894", SMS_STATUS, NOK, "ar", NULL, "", "001234567894", 0, 0 },
	{ "7ala 001234567894", SMS_STATUS, NOK, "fr", NULL, "", "001234567894", DARIJA, 0 },
	{ "hala 001234567895", SMS_STATUS, NOK, "fr", NULL, "", "001234567895", BADCHK | DARIJA, 0 },
	{ "statuts 001234567894", SMS_STATUS, NOK, "fr", NULL, "", "001234567894", 0, 0 },
	{ "statut 00123456789", SMS_STATUS, NOK, "fr", NULL, "", NULL, BADLEN, 0 },
	{ "statut", SMS_STATUS, NOK, "fr", NULL, "", NULL, 0, 0 },
	{ "statut de ma plainte du 12/03", SMS_STATUS, NOK, "fr", NULL, "de ma plainte du 12/03",
	  NULL, 0, 0 },
	/* a bare reference or menu number */
	{ "0012 3456 7894", SMS_STATUS, NOK, "fr", NULL, "", "001234567894", 0, 0 },
	{ "001234567894", SMS_STATUS, NOK, "fr", NULL, "", "001234567894", 0, 0 },
	{ "٠٠١٢٣٤٥٦٧٨٩٤", SMS_STATUS, NOK, "ar", NULL, "", "001234567894", 0, 0 },
	{ "0012\u00a03456\u00a07894", SMS_STATUS, NOK, "fr", NULL, "", "001234567894", 0, 0 },
	{ "0012 3456 7849", SMS_STATUS, NOK, "fr", NULL, "", "001234567849", BADCHK, 0 },
	{ "0012 3456 789", SMS_STATUS, NOK, "fr", NULL, "", NULL, BADLEN, 0 },
	{ "001234567894 wach tqadat?", SMS_STATUS, NOK, "fr", NULL, "wach tqadat?",
	  "001234567894", 0, 0 },
	{ "3", SMS_MENU_ANSWER, NOK, "fr", NULL, "", NULL, 0, 3 },
	{ " 5 \n", SMS_MENU_ANSWER, NOK, "fr", NULL, "", NULL, 0, 5 },
	{ "٢", SMS_MENU_ANSWER, NOK, "ar", NULL, "", NULL, 0, 2 },
	{ "1.", SMS_MENU_ANSWER, NOK, "fr", NULL, "", NULL, 0, 1 },
	{ "0", SMS_UNKNOWN, NOK, "fr", NULL, "0", NULL, 0, 0 },
	{ "12", SMS_UNKNOWN, NOK, "fr", NULL, "12", NULL, 0, 0 },
	{ "3 jours sans eau", SMS_UNKNOWN, NOK, "fr", NULL, "3 jours sans eau", NULL, 0, 0 },
	/* help */
	{ "aide", SMS_HELP, NOK, "fr", NULL, "", NULL, 0, 0 },
	{ "AIDE svp", SMS_HELP, NOK, "fr", NULL, "", NULL, 0, 0 },
	{ "?", SMS_HELP, NOK, "fr", NULL, "", NULL, 0, 0 },
	{ "؟", SMS_HELP, NOK, "ar", NULL, "", NULL, 0, 0 },
	{ "مساعدة", SMS_HELP, NOK, "ar", NULL, "", NULL, 0, 0 },
	{ "3awni", SMS_HELP, NOK, "fr", NULL, "", NULL, DARIJA, 0 },
	{ "Help", SMS_HELP, NOK, "fr", NULL, "", NULL, 0, 0 },
	/* stop and start */
	{ "STOP", SMS_STOP, NOK, "fr", NULL, "", NULL, 0, 0 },
	{ "stop merci", SMS_STOP, NOK, "fr", NULL, "merci", NULL, 0, 0 },
	{ "Arrêt", SMS_STOP, NOK, "fr", NULL, "", NULL, 0, 0 },
	{ "arret sms", SMS_STOP, NOK, "fr", NULL, "sms", NULL, 0, 0 },
	{ "توقف", SMS_STOP, NOK, "ar", NULL, "", NULL, 0, 0 },
	{ "baraka men sms", SMS_STOP, NOK, "fr", NULL, "men sms", NULL, DARIJA, 0 },
	{ "baraka allah fik", SMS_UNKNOWN, NOK, "fr", NULL, "baraka allah fik", NULL, 0, 0 },
	{ "stop les coupures d'eau dans notre quartier", SMS_UNKNOWN, NOK, "fr", NULL,
	  "stop les coupures d'eau dans notre quartier", NULL, 0, 0 },
	{ "توقف الماء منذ يومين", SMS_UNKNOWN, NOK, "ar", NULL, "توقف الماء منذ يومين", NULL, 0, 0 },
	{ "START", SMS_START, NOK, "fr", NULL, "", NULL, 0, 0 },
	{ "ابدأ", SMS_START, NOK, "ar", NULL, "", NULL, 0, 0 },
	{ "bda", SMS_START, NOK, "fr", NULL, "", NULL, DARIJA, 0 },
	/* not keywords */
	{ "etat civil: je veux un extrait", SMS_UNKNOWN, NOK, "fr", NULL,
	  "etat civil: je veux un extrait", NULL, 0, 0 },
	{ "الحالة المدنية", SMS_UNKNOWN, NOK, "ar", NULL, "الحالة المدنية", NULL, 0, 0 },
	{ "Salam, l'eau est coupée depuis hier", SMS_UNKNOWN, NOK, "fr", NULL,
	  "l'eau est coupée depuis hier", NULL, 0, 0 },
	{ "", SMS_UNKNOWN, NOK, "fr", NULL, "", NULL, 0, 0 },
	{ "     ", SMS_UNKNOWN, NOK, "fr", NULL, "", NULL, 0, 0 },
	{ "\n\t \r\n", SMS_UNKNOWN, NOK, "fr", NULL, "", NULL, 0, 0 },
	/* emoji, invisible marks, invalid UTF-8 */
	{ "😡😡 chikaya lma", SMS_FILE, C_COMPLAINT, "fr", "lma", "", NULL, DARIJA, 0 },
	{ "chikaya 😡 ma kayn lma", SMS_FILE, C_COMPLAINT, "fr", "ma", "kayn lma", NULL, DARIJA, 0 },
	{ "شكاية 👍", SMS_FILE, C_COMPLAINT, "ar", NULL, "", NULL, 0, 0 },
	{ "🙏", SMS_UNKNOWN, NOK, "fr", NULL, "🙏", NULL, 0, 0 },
	{ "\u200f\u202bشكاية\u200f\u202c الماء", SMS_FILE, C_COMPLAINT, "ar", "الماء", "", NULL, 0, 0 },
	{ "chi\xff" "kaya \xc3 lma", SMS_FILE, C_COMPLAINT, "fr", "lma", "", NULL, DARIJA, 0 },
	{ "plainte \xc0\xaf" "eau \xed\xa0\x80 coupee\xf4\x90\x80\x80", SMS_FILE, C_COMPLAINT, "fr",
	  "eau", "coupee", NULL, 0, 0 },
	{ "\xd8", SMS_UNKNOWN, NOK, "fr", NULL, "", NULL, 0, 0 },
	{ "\xff\xfe\xfd", SMS_UNKNOWN, NOK, "fr", NULL, "", NULL, 0, 0 },
	{ "suivi 0012\xff" "3456 7894", SMS_STATUS, NOK, "fr", NULL, "", "001234567894", 0, 0 },
};

static void check_case(const gcase *c, const sms_parsed *p)
{
	ck_assert_msg(p->intent == c->intent, "\"%s\": intent %s, expected %s", c->text,
	              sms_intent_name(p->intent), sms_intent_name(c->intent));
	ck_assert_msg(p->kind == c->kind, "\"%s\": kind %d, expected %d", c->text, p->kind, c->kind);
	ck_assert_msg(strcmp(p->lang, c->lang) == 0, "\"%s\": lang %s", c->text, p->lang);
	ck_assert_msg(strcmp(p->admin_hint, c->hint ? c->hint : "") == 0,
	              "\"%s\": admin_hint \"%s\"", c->text, p->admin_hint);
	if (c->body)
		ck_assert_msg(strcmp(p->body, c->body) == 0, "\"%s\": body \"%s\", expected \"%s\"",
		              c->text, p->body, c->body);
	ck_assert_msg(strcmp(p->ref, c->ref ? c->ref : "") == 0, "\"%s\": ref \"%s\"", c->text,
	              p->ref);
	ck_assert_msg(p->ref_bad_check == !!(c->flags & BADCHK), "\"%s\": ref_bad_check %d",
	              c->text, p->ref_bad_check);
	ck_assert_msg(p->ref_bad_length == !!(c->flags & BADLEN), "\"%s\": ref_bad_length %d",
	              c->text, p->ref_bad_length);
	ck_assert_msg(p->darija == !!(c->flags & DARIJA), "\"%s\": darija %d", c->text, p->darija);
	ck_assert_msg(p->body_truncated == !!(c->flags & CUT), "\"%s\": truncated", c->text);
	ck_assert_msg(p->menu_choice == c->menu, "\"%s\": menu %d", c->text, p->menu_choice);
	ck_assert(bw_utf8_valid(p->body, strlen(p->body)));
	ck_assert(bw_utf8_valid(p->rest, strlen(p->rest)));
}

START_TEST(messages)
{
	static sms_parsed p;
	const gcase *c = &cases[_i];

	ck_assert_int_eq(sms_parse(c->text, &p), BW_OK);
	check_case(c, &p);
}
END_TEST

START_TEST(rest_keeps_the_hint_word)
{
	static sms_parsed p;

	ck_assert_int_eq(sms_parse("chikaya 😡 ma kayn lma", &p), BW_OK);
	ck_assert_str_eq(p.rest, "😡 ma kayn lma");
	ck_assert_int_eq(sms_parse("Salam, plainte: la route est cassée.  ", &p), BW_OK);
	ck_assert_str_eq(p.admin_hint, "la");
	ck_assert_str_eq(p.body, "route est cassée.");
	ck_assert_str_eq(p.rest, "la route est cassée.");
	/* a new line inside the text is kept as written, a CR is not */
	ck_assert_int_eq(sms_parse("شكاية\r\nالبلدية\r\nالأزبال في الشارع", &p), BW_OK);
	ck_assert_str_eq(p.admin_hint, "البلديه");
	ck_assert_str_eq(p.body, "الأزبال في الشارع");
	ck_assert_str_eq(p.rest, "البلدية\nالأزبال في الشارع");
}
END_TEST

/* Builds "prefix" + n copies of unit into a fresh buffer. */
static char *repeat(const char *prefix, const char *unit, size_t n)
{
	size_t lp = strlen(prefix), lu = strlen(unit);
	char *s = malloc(lp + lu * n + 1);

	ck_assert_ptr_nonnull(s);
	memcpy(s, prefix, lp);
	for (size_t i = 0; i < n; i++)
		memcpy(s + lp + i * lu, unit, lu);
	s[lp + lu * n] = '\0';
	return s;
}

START_TEST(long_messages)
{
	static sms_parsed p;
	char *s;

	/* 2000 characters after the keyword fit exactly (the hint word is too long to be one) */
	s = repeat("plainte ", "é", BW_TEXT_MAX);
	ck_assert_int_eq(sms_parse(s, &p), BW_OK);
	ck_assert_int_eq(p.intent, SMS_FILE);
	ck_assert_str_eq(p.admin_hint, "");
	ck_assert_int_eq(p.body_truncated, 0);
	ck_assert_uint_eq(bw_utf8_len(p.body), BW_TEXT_MAX);
	free(s);

	/* 2100 Arabic characters: cut at 2000, between characters, and said so */
	s = repeat("شكاية ", "ب", BW_TEXT_MAX + 100);
	ck_assert_int_eq(sms_parse(s, &p), BW_OK);
	ck_assert_int_eq(p.intent, SMS_FILE);
	ck_assert_int_eq(p.body_truncated, 1);
	ck_assert_uint_eq(bw_utf8_len(p.rest), BW_TEXT_MAX);
	ck_assert(bw_utf8_valid(p.rest, strlen(p.rest)));
	free(s);

	/* a long sentence of many words: only the first words are looked at */
	s = repeat("Chikaya ", "lma maqtou3 ", 200);
	ck_assert_int_eq(sms_parse(s, &p), BW_OK);
	ck_assert_int_eq(p.intent, SMS_FILE);
	ck_assert_str_eq(p.admin_hint, "lma");
	ck_assert_int_eq(strncmp(p.body, "maqtou3 lma maqtou3", 19), 0);
	free(s);

	/* "stop" followed by many words is not STOP */
	s = repeat("stop ", "a ", 1000);
	ck_assert_int_eq(sms_parse(s, &p), BW_OK);
	ck_assert_int_eq(p.intent, SMS_UNKNOWN);
	free(s);

	/* 2000 digits are no reference */
	s = repeat("", "1", 2000);
	ck_assert_int_eq(sms_parse(s, &p), BW_OK);
	ck_assert_int_eq(p.intent, SMS_UNKNOWN);
	ck_assert_str_eq(p.ref, "");
	free(s);
}
END_TEST

START_TEST(normalize_folds)
{
	static const struct { const char *in, *out; } t[] = {
		{ "Élève À Ça ŒUVRE ß", "eleve a ca oeuvre ss" },
		{ "أَحْمَد إبراهيم آمال ٱلله", "احمد ابراهيم امال الله" },
		{ "مـــدرسة", "مدرسه" },
		{ "مستشفى مسؤول رئيس", "مستشفي مسوول رييس" },
		{ "٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹", "0123456789 0123456789" },
		{ "لماذا؟ نعم، لا؛", "لماذا? نعم, لا;" },
		{ "  a \t\n b\u00a0\u2003c  ", "a b c" },
		{ "\u200ba\u200db\u202e\u2066c\ufeff", "abc" },
		{ "a\xff" "b\xc3", "ab" },
		{ "d\u2019information \u2013 x", "d'information - x" },
		{ "SALAM 3AFAK", "salam 3afak" },
		{ "", "" },
	};
	char out[256];

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		ck_assert_int_eq(sms_normalize(t[i].in, out, sizeof out), BW_OK);
		ck_assert_str_eq(out, t[i].out);
	}
}
END_TEST

START_TEST(normalize_never_overflows)
{
	char out[8];

	memset(out, 'x', sizeof out);
	ck_assert_int_eq(sms_normalize("abcdef", out, 4), BW_ETOOBIG);
	ck_assert_str_eq(out, "abc");
	ck_assert_int_eq(out[4], 'x');
	/* Arabic letters are two bytes: cut between letters, never inside one */
	ck_assert_int_eq(sms_normalize("شكاية", out, 4), BW_ETOOBIG);
	ck_assert_str_eq(out, "ش");
	ck_assert_int_eq(sms_normalize("ab", out, 3), BW_OK);
	ck_assert_str_eq(out, "ab");
	ck_assert_int_eq(sms_normalize("ab", out, 1), BW_ETOOBIG);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(sms_normalize("ab", out, 0), BW_EINVAL);
	ck_assert_int_eq(sms_normalize(NULL, out, sizeof out), BW_EINVAL);
	ck_assert_int_eq(sms_normalize("ab", NULL, 4), BW_EINVAL);
}
END_TEST

START_TEST(null_arguments)
{
	static sms_parsed p;

	ck_assert_int_eq(sms_parse(NULL, &p), BW_EINVAL);
	ck_assert_int_eq(sms_parse("aide", NULL), BW_EINVAL);
	ck_assert_str_eq(sms_intent_name(SMS_MENU_ANSWER), "menu_answer");
	ck_assert_str_eq(sms_intent_name((sms_intent)99), "unknown");
}
END_TEST

/* Every row of the table is understood as itself. */
START_TEST(every_keyword_parses_as_itself)
{
	static sms_parsed p;
	size_t n;
	const sms_keyword *k = sms_keywords(&n);

	ck_assert_uint_gt(n, 60);
	for (size_t i = 0; i < n; i++) {
		int pseudo = k[i].intent == SMS_POLITE || k[i].intent == SMS_FILLER;
		int want = pseudo ? SMS_UNKNOWN : k[i].intent;

		ck_assert_int_eq(sms_parse(k[i].spelling, &p), BW_OK);
		ck_assert_msg((int)p.intent == want, "\"%s\": %s", k[i].spelling,
		              sms_intent_name(p.intent));
		ck_assert_msg(p.kind == (k[i].intent == SMS_FILE ? k[i].kind : -1), "\"%s\": kind %d",
		              k[i].spelling, p.kind);
		ck_assert_msg(p.darija == (k[i].lang == SMS_LANG_DARIJA && k[i].intent != SMS_UNKNOWN),
		              "\"%s\": darija %d", k[i].spelling, p.darija);
		ck_assert_msg(k[i].intent != SMS_FILE || (k[i].kind >= 0 && k[i].kind < BW_KIND_COUNT),
		              "\"%s\": FILE row without a kind", k[i].spelling);
	}
}
END_TEST

/* A typo of one keyword never lands on a different keyword: each row with one letter
 * deleted parses as the row itself or as nothing, never as another intent or kind. */
START_TEST(typos_are_not_ambiguous)
{
	static sms_parsed p;
	char folded[128], typo[128];
	size_t n;
	const sms_keyword *k = sms_keywords(&n);

	for (size_t i = 0; i < n; i++) {
		if (k[i].intent == SMS_POLITE || k[i].intent == SMS_FILLER ||
		    k[i].intent == SMS_UNKNOWN)
			continue;
		ck_assert_int_eq(sms_normalize(k[i].spelling, folded, sizeof folded), BW_OK);
		for (const char *c = folded; *c;) {
			const char *next = c;
			size_t at = (size_t)(c - folded);

			bw_utf8_next(&next);
			memcpy(typo, folded, at);
			strcpy(typo + at, next);
			c = next;
			ck_assert_int_eq(sms_parse(typo, &p), BW_OK);
			if (p.intent == SMS_UNKNOWN)
				continue;
			ck_assert_msg((int)p.intent == k[i].intent && p.kind == k[i].kind,
			              "\"%s\" (typo of \"%s\") reads as %s kind %d", typo,
			              k[i].spelling, sms_intent_name(p.intent), p.kind);
		}
	}
}
END_TEST

Suite *suite_grammar(void)
{
	Suite *s = suite_create("grammar");
	TCase *t = tcase_create("core");

	tcase_add_loop_test(t, messages, 0, (int)(sizeof cases / sizeof cases[0]));
	tcase_add_test(t, rest_keeps_the_hint_word);
	tcase_add_test(t, long_messages);
	tcase_add_test(t, normalize_folds);
	tcase_add_test(t, normalize_never_overflows);
	tcase_add_test(t, null_arguments);
	tcase_add_test(t, every_keyword_parses_as_itself);
	tcase_add_test(t, typos_are_not_ambiguous);
	suite_add_tcase(s, t);
	return s;
}
