/* kiosk.c: the kiosk's screen states for the layout check: every screen with the longest
 * real catalogue names, long citizen input, every message and dialog, in Arabic,
 * Tamazight and French, in the four themes (normal, large, contrast, both) and sizes. */
#include "layout.h"

#include <stdlib.h>
#include <string.h>

#include "bw_i18n.h"
#include "bw_store.h"
#include "kiosk/kiosk.h"

#define NOW 1795773600  /* Friday 2026-11-27 10:00 UTC */

static const char *const lang_name[UI_LINT_LANGS] = { "data", "ar", "zgh", "fr" };
static const int lang_script[UI_LINT_LANGS] = { 0, UI_SCRIPT_ARABIC, UI_SCRIPT_TIFINAGH, UI_SCRIPT_LATIN };
static const char *const theme_name[UI_THEME_COUNT] = { "normal", "large", "contrast", "large+contrast" };

/* Long input as a citizen may type it (the text at its limit comes from repeating one). */
static const char *const sample_text[KL_COUNT] = {
	"انتظرت ثلاث ساعات يوم 12 مارس في مكتب الحالة المدنية ولم يستقبلني أحد (الشباك رقم 4). ",
	"ⵙⵙⴰⵔⵎⵖ 3 ⵜⵙⵔⴰⴳⵉⵏ ⴳ ⵓⵙⵔⴰⴳ ⵏ ⵜⵎⵙⵙⵓⵔⵜ, ⵓⵔ ⵢⵉ ⵢⵓⵎⵥ ⵢⴰⵏ. ",
	"J'ai attendu trois heures le 12 mars au bureau de l'état civil (guichet n° 4), sans être reçu. ",
};
static const char *const sample_name[KL_COUNT] = {
	"فاطمة الزهراء بنت عبد الرحمان الإدريسي العلوي الحسني بن عبد السلام",
	"ⴼⴰⵟⵉⵎⴰ ⵣⵣⴰⵀⵔⴰ ⵜⴰⵢⵜⵎⴰⵜ ⵏ ⵄⴱⴷ ⵔⵔⴰⵃⵎⴰⵏ ⵍⵉⴷⵔⵉⵙⵉ ⵍⵄⵍⴰⵡⵉ",
	"Fatima-Zahra Bent Abderrahmane El Idrissi El Alaoui El Hassani Benabdeslam",
};
static const char *const sample_address[KL_COUNT] = {
	"زنقة ابن سينا رقم 12، الطابق الثالث، الشقة 7، حي أكدال، الرباط 10090",
	"ⴰⴱⵔⵉⴷ ⵏ ⵉⴱⵏ ⵙⵉⵏⴰ 12, ⴰⴳⴷⴰⵍ, ⵔⵔⴱⴰⵟ 10090",
	"12, rue Ibn Sina, 3e étage, appartement 7, quartier Agdal, 10090 Rabat",
};
static const char *const sample_answer[KL_COUNT] = {
	"نعتذر عن الانتظار. يعمل موظف ثان في شباك الحالة المدنية منذ 2 دجنبر، ويمكنكم الحصول على الوثيقة في نفس اليوم. ",
	"ⵏⵙⵙⵓⵜⵓⵔ ⴰⵙⵓⵔⴼ ⵅⴼ ⵓⵔⴰⴵⵓ. ⵉⵍⵍⴰ ⵓⵎⵙⵡⵓⵔⵉ ⵡⵉⵙ ⵙⵉⵏ ⴳ ⵓⵙⴰⵔⵓⵢ ⵙⴳ 2 ⴷⵓⵊⴰⵏⴱⵉⵔ. ",
	"Nous nous excusons pour l'attente. Un second agent tient le guichet de l'état civil depuis le 2 décembre. ",
};

typedef struct kstate {
	kiosk *k;
	int lang;
	char ref[13], code[8];         /* a request filed and answered, for the status screens */
	char long_text[BW_CHARS(BW_TEXT_MAX)];
	int long_admin;                /* the administration with the longest name */
} kstate;

static void fill(char *out, size_t size, const char *unit, int max_chars)
{
	size_t n = 0, u = strlen(unit);
	int chars = 0;
	out[0] = '\0';
	while (n + u + 1 < size) {
		const char *p = unit;
		while (*p && chars < max_chars) {
			int k = 1;
			while (((unsigned char)p[k] & 0xC0) == 0x80)
				k++;
			memcpy(out + n, p, (size_t)k);
			n += (size_t)k;
			p += k;
			chars++;
		}
		if (chars >= max_chars)
			break;
	}
	out[n] = '\0';
}

static void frames(kiosk *k)
{
	kiosk_frame(k, 1000000, 0);
	kiosk_frame(k, 1000000, 0);
}

static void flow(kstate *s, int kind)
{
	kiosk *k = s->k;
	kiosk_wipe(k);
	kiosk_set_lang(k, s->lang);
	k->last_input = 1000000;
	kiosk_start(k, kind);
}

/* ---- the states: each sets the kiosk up; the driver then builds the frame ---- */

static void st_welcome(kstate *s)
{
	kiosk_wipe(s->k);
	kiosk_set_lang(s->k, s->lang);
	s->k->last_input = 1000000;
}
static void st_home(kstate *s) { st_welcome(s); kiosk_goto(s->k, KS_HOME); }
static void st_admin(kstate *s) { flow(s, BW_KIND_COMPLAINT); }
static void st_admin_none(kstate *s)
{
	flow(s, BW_KIND_COMPLAINT);
	ui_field_set(&s->k->f_search, "zzzzzzzzzzzz");
}
static void st_admin_last(kstate *s)
{
	flow(s, BW_KIND_COMPLAINT);
	s->k->list.top = 1000;  /* the last page, with the longest names around */
}
static void st_category(kstate *s)
{
	flow(s, BW_KIND_COMPLAINT);
	for (int i = 0; i < s->k->nadmins; i++) {
		s->k->in.admin = i;
		kiosk_goto(s->k, KS_CATEGORY);
		if (s->k->ncats > 0)
			return;
	}
}
static void st_text(kstate *s)
{
	flow(s, BW_KIND_COMPLAINT);
	kiosk_goto(s->k, KS_TEXT);
	ui_field_set(&s->k->f_text, s->long_text);
}
static void st_text_empty(kstate *s)
{
	flow(s, BW_KIND_COMPLAINT);
	kiosk_goto(s->k, KS_TEXT);
	s->k->msg = "text.empty";
	s->k->msg_error = 1;
}
static void st_phone(kstate *s)
{
	flow(s, BW_KIND_COMPLAINT);
	kiosk_goto(s->k, KS_PHONE);
	s->k->in.consent = 1;
	ui_field_set(&s->k->f_phone, "06 12 34 56 78");
	s->k->msg = "phone.need_consent";
	s->k->msg_error = 1;
}
static void review_common(kstate *s, int kind)
{
	kiosk *k = s->k;
	flow(s, kind);
	k->in.admin = s->long_admin;
	ui_field_set(&k->f_text, s->long_text);
	ui_field_set(&k->f_phone, "0612345678");
	k->in.consent = 1;
}
static void st_review(kstate *s)
{
	review_common(s, BW_KIND_COMPLAINT);
	kiosk_goto(s->k, KS_CATEGORY);
	s->k->in.category = s->k->ncats > 0 ? s->k->ncats - 1 : -1;
	kiosk_goto(s->k, KS_REVIEW);
	s->k->msg = "review.failed";
	s->k->msg_error = 1;
}
static void st_review_info(kstate *s)
{
	kiosk *k = s->k;
	review_common(s, BW_KIND_INFO);
	ui_field_set(&k->f_name, sample_name[s->lang]);
	ui_field_set(&k->f_id, "AB123456");
	ui_field_set(&k->f_contact, "fatima-zahra.el-idrissi.benabdeslam@exemple-administration.ma");
	ui_field_set(&k->f_address, sample_address[s->lang]);
	k->in.form = BW_FORM_PAPER;
	k->in.urgent = 1;
	kiosk_goto(k, KS_REVIEW);
}
static void st_receipt(kstate *s)
{
	flow(s, BW_KIND_COMPLAINT);
	memcpy(s->k->in.ref, s->ref, sizeof s->k->in.ref);
	memcpy(s->k->in.code, "4821", 5);
	memcpy(s->k->in.deadline, "2027-01-26", 11);
	memcpy(s->k->in.received_on, "2026-11-27", 11);
	kiosk_goto(s->k, KS_RECEIPT);
	s->k->msg = "print.paper";
	s->k->msg_error = 1;
}
static void st_status(kstate *s)
{
	flow(s, BW_KIND_COMPLAINT);
	kiosk_goto(s->k, KS_STATUS);
	ui_field_set(&s->k->f_ref, "0001 0000 0013");
	s->k->msg = "status.bad_check";
	s->k->msg_error = 1;
}
static void st_status_result(kstate *s)
{
	flow(s, BW_KIND_COMPLAINT);
	kiosk_goto(s->k, KS_STATUS);
	ui_field_set(&s->k->f_ref, s->ref);
	ui_input_key(s->k->ui, UI_KEY_ENTER);
	kiosk_frame(s->k, 1000000, 1);
}
static void st_status_code(kstate *s)
{
	st_status_result(s);
	kiosk_goto(s->k, KS_STATUS_CODE);
	ui_field_set(&s->k->f_code, "48");
	s->k->msg = "status.code.wrong";
	s->k->msg_error = 1;
}
static void st_status_answer(kstate *s)
{
	st_status_result(s);
	kiosk_goto(s->k, KS_STATUS_CODE);
	ui_field_set(&s->k->f_code, s->code);
	ui_input_key(s->k->ui, UI_KEY_ENTER);
	kiosk_frame(s->k, 1000000, 1);
}
static void st_law(kstate *s) { flow(s, BW_KIND_INFO); }
static void st_info_name(kstate *s)
{
	flow(s, BW_KIND_INFO);
	kiosk_goto(s->k, KS_INFO_NAME);
	ui_field_set(&s->k->f_name, sample_name[s->lang]);
}
static void st_info_id(kstate *s)
{
	flow(s, BW_KIND_INFO);
	kiosk_goto(s->k, KS_INFO_ID);
	ui_field_set(&s->k->f_id, "AB12");
	s->k->msg = "info.id.invalid";
	s->k->msg_error = 1;
}
static void st_info_contact(kstate *s)
{
	flow(s, BW_KIND_INFO);
	kiosk_goto(s->k, KS_INFO_CONTACT);
	ui_field_set(&s->k->f_contact, "0612345678");
}
static void st_info_contact_letters(kstate *s)
{
	st_info_contact(s);
	ui_field_set(&s->k->f_contact, "fatima-zahra.el-idrissi.benabdeslam@exemple-administration.ma");
	s->k->letters = 1;
}
static void st_info_text(kstate *s)
{
	flow(s, BW_KIND_INFO);
	kiosk_goto(s->k, KS_INFO_TEXT);
	ui_field_set(&s->k->f_text, s->long_text);
}
static void st_info_form(kstate *s)
{
	flow(s, BW_KIND_INFO);
	kiosk_goto(s->k, KS_INFO_FORM);
	s->k->in.form = BW_FORM_EMAIL;
	s->k->in.urgent = 1;
	s->k->msg = "info.form.empty";
	s->k->msg_error = 1;
}
static void st_info_address(kstate *s)
{
	flow(s, BW_KIND_INFO);
	s->k->in.form = BW_FORM_PAPER;
	kiosk_goto(s->k, KS_INFO_ADDRESS);
	ui_field_set(&s->k->f_address, sample_address[s->lang]);
	s->k->msg = "info.address.short";
	s->k->msg_error = 1;
}
static void st_idle(kstate *s)
{
	st_text(s);
	s->k->last_input = 1000000 - (int64_t)s->k->conf.idle_timeout * 1000 - 7000;
}
static void st_pin(kstate *s)
{
	st_welcome(s);
	kiosk_goto(s->k, KS_PIN);
	ui_field_set(&s->k->f_pin, "12");
	s->k->msg = "pin.wrong";
	s->k->msg_error = 1;
}

static const struct { const char *name; void (*set)(kstate *); } states[] = {
	{ "welcome", st_welcome }, { "home", st_home }, { "admin", st_admin },
	{ "admin-none", st_admin_none }, { "admin-last", st_admin_last }, { "category", st_category },
	{ "text", st_text }, { "text-empty", st_text_empty }, { "phone", st_phone },
	{ "review", st_review }, { "review-info", st_review_info }, { "receipt", st_receipt },
	{ "status", st_status }, { "status-result", st_status_result }, { "status-code", st_status_code },
	{ "status-answer", st_status_answer }, { "info-law", st_law }, { "info-name", st_info_name },
	{ "info-id", st_info_id }, { "info-contact", st_info_contact },
	{ "info-contact-letters", st_info_contact_letters }, { "info-text", st_info_text },
	{ "info-form", st_info_form }, { "info-address", st_info_address }, { "idle", st_idle },
	{ "pin", st_pin },
};

/* Files one request and answers it, for the status screens; its code in s->code. */
static int file_answered(kstate *s, bw_store *st, kiosk_filer *f)
{
	bw_request *r = calloc(1, sizeof *r);
	bw_err e;
	bw_request_init(r);
	r->kind = BW_KIND_COMPLAINT;
	r->channel = BW_CHANNEL_KIOSK;
	strcpy(r->admin, s->k->admins[0].code);
	strcpy(r->text, "x x x");
	strcpy(r->lang, "fr");
	int rc = f->submit(f->arg, r, &e);
	char answer[1200];
	fill(answer, sizeof answer, sample_answer[s->lang], 280);
	if (rc == BW_OK)
		rc = bw_store_transition(st, r->ref, BW_ST_ANSWERED, "agent:amina", answer, NOW + 2 * 86400, NULL, &e);
	if (rc)
		fprintf(stderr, "layout-check: filing: %s\n", e.msg);
	memcpy(s->ref, r->ref, sizeof s->ref);
	snprintf(s->code, sizeof s->code, "%s", r->code);
	free(r);
	return rc;
}

int lay_kiosk(lay *L)
{
	static kiosk k;
	static kstate s;
	bw_store *st;
	bw_err e;
	kiosk_conf conf;
	if (bw_i18n_init("kiosk", L->locale_dir, &e) != BW_OK || bw_store_open(&st, ":memory:", 0, &e) != BW_OK ||
	    bw_store_seed(st, &e) != BW_OK) {
		fprintf(stderr, "layout-check: %s\n", e.msg);
		return 1;
	}
	kiosk_conf_default(&conf);
	strcpy(conf.site, "RABAT-IMMAT");
	strcpy(conf.pin, "1234");
	strcpy(conf.printer, "/nonexistent/printer");
	kiosk_local loc = { .st = st, .device_num = 1, .device = "kiosk-01", .site = "RABAT-IMMAT" };
	kiosk_filer f = kiosk_local_filer(&loc);
	ui_text_ops ops = kr_text_ops(L->r);
	if (kiosk_init(&k, &conf, st, &f, &ops, 1920, 1080, NULL, &e) != BW_OK) {
		fprintf(stderr, "layout-check: %s\n", e.msg);
		bw_store_close(st);
		return 1;
	}
	s.k = &k;
	for (int lang = 0; lang < KL_COUNT; lang++) {
		s.lang = lang;
		kiosk_set_lang(&k, lang);
		fill(s.long_text, sizeof s.long_text, sample_text[lang], BW_TEXT_MAX);
		s.long_admin = 0;
		for (int i = 1; i < k.nadmins; i++)
			if (strlen(kiosk_admin_name(&k, &k.admins[i])) > strlen(kiosk_admin_name(&k, &k.admins[s.long_admin])))
				s.long_admin = i;
		if (file_answered(&s, st, &f))
			break;
		for (int z = 0; z < LAY_NSIZES; z++)
			for (size_t i = 0; i < sizeof states / sizeof states[0]; i++) {
				if (L->only[0] && !strstr(states[i].name, L->only))
					continue;
				for (int th = 0; th < UI_THEME_COUNT; th++) {
					kiosk_set_theme(&k, th);
					kiosk_resize(&k, lay_sizes[z][0], lay_sizes[z][1]);
					states[i].set(&s);
					kiosk_set_theme(&k, th);  /* the wipe keeps it; said again for clarity */
					frames(&k);
					snprintf(L->where, sizeof L->where, "kiosk %s %s %dx%d %s", lang_name[lang + 1],
						 theme_name[th], lay_sizes[z][0], lay_sizes[z][1], states[i].name);
					lay_check(L, k.ui, 48, lang_script, lang_name);
					if (th == UI_THEME_NORMAL)
						lay_remember_sizes(L, k.ui);
					else if (th == UI_THEME_LARGE)
						lay_compare_sizes(L, k.ui);
				}
			}
	}
	kiosk_wipe(&k);
	kiosk_free(&k);
	bw_store_close(st);
	return 0;
}
