/* app.c: the kiosk's model: settings table, catalogue, language and theme, the citizen's
 * input and its wipe, the inactivity timer, filing through the filer interface (the local
 * store here), reference checking as typed, and printing the receipt. */
#include "bw_clock.h"
#include "kiosk.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bw_calendar.h"
#include "bw_conf.h"
#include "bw_edge.h"
#include "bw_i18n.h"
#include "bw_phone.h"
#include "bw_ref.h"
#include "bw_text.h"
#include "bw_uuid.h"
#include "hw/escpos.h"

const char *const kiosk_lang_code[KL_COUNT] = { "ar", "zgh", "fr" };

/* ---- settings ---- */

static const bw_conf_key conf_keys[] = {
	BW_CONF_I("display", "width", kiosk_conf, width, 640, 7680, "1920", "window width (landscape 1920, portrait 1080)"),
	BW_CONF_I("display", "height", kiosk_conf, height, 480, 7680, "1080", "window height"),
	BW_CONF_B("display", "fullscreen", kiosk_conf, fullscreen, "false", "lockdown: full screen, agents leave with the PIN"),
	BW_CONF_S("display", "theme", kiosk_conf, theme, "normal", "normal | large | contrast | large+contrast"),
	BW_CONF_P("display", "fonts_dir", kiosk_conf, fonts_dir, "/usr/share/fonts/truetype/noto", "Noto fonts (fonts-noto-core)"),
	BW_CONF_S("kiosk", "lang", kiosk_conf, lang, "ar", "first language: ar | zgh | fr"),
	BW_CONF_I("kiosk", "idle_timeout", kiosk_conf, idle_timeout, 10, 3600, "90", "seconds without a touch before the warning"),
	BW_CONF_I("kiosk", "warn_seconds", kiosk_conf, warn_seconds, 20, 300, "30", "countdown of the warning before the wipe"),
	BW_CONF_S("kiosk", "pin", kiosk_conf, pin, NULL, "agent PIN to leave (digits); empty: no way out"),
	BW_CONF_P("kiosk", "locale_dir", kiosk_conf, locale_dir, BW_LOCALEDIR, "translation catalogues"),
	BW_CONF_P("kiosk", "database", kiosk_conf, database, "kiosk.db", "the kiosk's own SQLite store"),
	BW_CONF_S("kiosk", "device", kiosk_conf, device, "kiosk-01", "device id"),
	BW_CONF_S("kiosk", "site", kiosk_conf, site, NULL, "reception site code"),
	BW_CONF_I("kiosk", "device_num", kiosk_conf, device_num, 1, 9999, "1", "reference prefix when there is no sync config"),
	BW_CONF_P("printer", "device", kiosk_conf, printer, NULL, "receipt printer (ESC/POS): device path; empty: none"),
	BW_CONF_P("sync", "config", kiosk_conf, sync_conf, NULL, "device config of the edge sync; empty: local store only"),
	BW_CLOCK_CONF("kiosk", kiosk_conf, time_zone),
	BW_CONF_B("speech", "enabled", kiosk_conf, speech, "true", "speak for citizens who cannot read the screen (keypad, F1, listen)"),
	BW_CONF_I("speech", "volume", kiosk_conf, volume, 0, 100, "80", "speech volume, percent"),
	BW_CONF_I("speech", "rate", kiosk_conf, rate, 80, 300, "150", "speaking rate, words per minute"),
	BW_CONF_P("speech", "prompts_dir", kiosk_conf, prompts_dir, BW_DATADIR "/prompts", "recorded prompts: DIR/LANG/MSGID.wav (16-bit mono 22050 Hz)"),
	BW_CONF_P("speech", "log", kiosk_conf, speech_log, NULL, "tests only: a file of every spoken text (it holds what citizens typed); empty: none"),
	BW_CONF_END
};

void kiosk_conf_default(kiosk_conf *c)
{
	memset(c, 0, sizeof *c);
	bw_conf_defaults(conf_keys, c, NULL);
}

static int conf_check(kiosk_conf *c, bw_err *e)
{
	if (strcmp(c->theme, "normal") && strcmp(c->theme, "large") && strcmp(c->theme, "contrast") &&
	    strcmp(c->theme, "large+contrast"))
		return bw_fail(e, BW_EINVAL, "[display] theme = %s: normal, large, contrast or large+contrast", c->theme);
	if (strcmp(c->lang, "ar") && strcmp(c->lang, "zgh") && strcmp(c->lang, "fr"))
		return bw_fail(e, BW_EINVAL, "[kiosk] lang = %s: ar, zgh or fr", c->lang);
	for (const char *p = c->pin; *p; p++)
		if (*p < '0' || *p > '9')
			return bw_fail(e, BW_EINVAL, "[kiosk] pin: digits only (it is typed on a keypad)");
	return BW_OK;
}

int kiosk_conf_load(kiosk_conf *c, const char *path, bw_err *e)
{
	int rc = bw_conf_load(path, conf_keys, c, e);
	return rc ? rc : conf_check(c, e);
}

int kiosk_conf_set(kiosk_conf *c, const char *a, bw_err *e)
{
	char sec[64], key[64];
	const char *dot = strchr(a, '.'), *eq = strchr(a, '=');
	if (!dot || !eq || dot > eq || dot - a >= (long)sizeof sec || eq - dot - 1 >= (long)sizeof key)
		return bw_fail(e, BW_EINVAL, "-o %s: want section.key=value", a);
	memcpy(sec, a, (size_t)(dot - a));
	sec[dot - a] = '\0';
	memcpy(key, dot + 1, (size_t)(eq - dot - 1));
	key[eq - dot - 1] = '\0';
	int rc = bw_conf_set(conf_keys, c, sec, key, eq + 1, e);
	return rc ? rc : conf_check(c, e);
}

void kiosk_conf_print(FILE *fp)
{
	bw_conf_print(conf_keys, fp);
}

/* ---- the local filer ---- */


static int local_submit(void *arg, bw_request *r, bw_err *e)
{
	kiosk_local *l = arg;
	return bw_edge_file(l->st, &(bw_edge_device){ l->device, l->site, l->device_num }, "citizen", r,
			    NULL, NULL, e);
}

static int local_query(void *arg, const char *ref, const char *code, kiosk_status_fn done,
                       void *k, bw_err *e)
{
	kiosk_local *l = arg;
	char digits[13];
	bw_status st;
	int rc = bw_ref_parse(ref, digits, e);
	if (rc)
		return rc;
	if (code && code[0] && !bw_rcode_valid(code))
		return bw_fail(e, BW_EINVAL, "code: not %d digits", BW_RCODE_LEN);
	bw_status_init(&st);
	if ((rc = bw_status_load(l->st, digits, code, &st, e)) == BW_OK) {
		st.from_local = 1;
		done(k, &st);
	}
	bw_status_clear(&st);
	return rc;
}

static int local_online(void *arg)
{
	return 0;
}

kiosk_filer kiosk_local_filer(kiosk_local *l)
{
	return (kiosk_filer){ l, local_submit, local_query, local_online };
}

/* ---- catalogue ---- */

const char *kiosk_admin_name(const kiosk *k, const bw_admin *a)
{
	const char *n = k->lang == KL_AR ? a->name_ar : k->lang == KL_ZGH ? a->name_zgh : a->name_fr;
	return *n ? n : a->name_fr;
}

static const char *cat_name(const kiosk *k, const bw_category *c)
{
	const char *n = k->lang == KL_AR ? c->name_ar : k->lang == KL_ZGH ? c->name_zgh : c->name_fr;
	return *n ? n : c->name_fr;
}

static int add_admin(const bw_admin *a, void *arg)
{
	kiosk *k = arg;
	if (k->nadmins < K_ADMINS_MAX)
		k->admins[k->nadmins++] = *a;
	return 0;
}

static int add_cat(const bw_category *c, void *arg)
{
	kiosk *k = arg;
	if (k->ncats < K_CATS_MAX)
		k->cats[k->ncats++] = *c;
	return 0;
}

static void name_lists(kiosk *k)
{
	for (int i = 0; i < k->nadmins; i++)
		k->admin_names[i] = kiosk_admin_name(k, &k->admins[i]);
	for (int i = 0; i < k->ncats; i++)
		k->cat_names[i] = cat_name(k, &k->cats[i]);
}

/* Categories of the chosen administration for the chosen kind. */
static void load_categories(kiosk *k)
{
	k->ncats = 0;
	if (k->in.admin >= 0 && k->in.kind >= 0)
		bw_store_categories(k->catalog, k->admins[k->in.admin].code, k->in.kind, add_cat, k, NULL);
	name_lists(k);
}

/* ---- set-up ---- */

static void fields_init(kiosk *k)
{
	kiosk_input *in = &k->in;
	ui_field_init(&k->f_search, in->search, sizeof in->search, 40, UI_FIELD_TEXT);
	ui_field_init(&k->f_text, in->text, sizeof in->text, BW_TEXT_MAX, UI_FIELD_TEXT);
	k->f_text.multiline = 1;
	ui_field_init(&k->f_phone, in->phone, sizeof in->phone, 16, UI_FIELD_PHONE);
	ui_field_init(&k->f_name, in->name, sizeof in->name, BW_NAME_MAX, UI_FIELD_TEXT);
	ui_field_init(&k->f_id, in->idnum, sizeof in->idnum, BW_IDNUM_MAX, UI_FIELD_ID);
	ui_field_init(&k->f_contact, in->contact, sizeof in->contact, BW_CONTACT_MAX, UI_FIELD_TEXT);
	ui_field_init(&k->f_address, in->address, sizeof in->address, BW_ADDRESS_MAX, UI_FIELD_TEXT);
	k->f_address.multiline = 1;
	ui_field_init(&k->f_ref, in->refq, sizeof in->refq, BW_REF_LEN, UI_FIELD_DIGITS);
	ui_field_init(&k->f_pin, in->pin, sizeof in->pin, 12, UI_FIELD_DIGITS);
	ui_field_init(&k->f_code, in->codeq, sizeof in->codeq, BW_RCODE_LEN, UI_FIELD_DIGITS);
	/* on a public screen a code is masked as typed; the citizen may show it */
	k->f_code.masked = 1;
	k->f_pin.masked = 1;
	in->kind = in->admin = in->category = -1;
}

int kiosk_init(kiosk *k, const kiosk_conf *conf, bw_store *catalog, const kiosk_filer *f,
               const ui_text_ops *ops, int w, int h, const bw_log *log, bw_err *e)
{
	ui_theme t;
	memset(k, 0, sizeof *k);
	k->conf = *conf;
	k->catalog = catalog;
	k->filer = *f;
	k->log = log;
	k->admins = bw_xcalloc(K_ADMINS_MAX, sizeof *k->admins);
	k->cats = bw_xcalloc(K_CATS_MAX, sizeof *k->cats);
	int rc = bw_store_admins(catalog, add_admin, k, e);
	if (rc == BW_OK && k->nadmins == 0)
		rc = bw_fail(e, BW_ENOTFOUND, "catalogue: no administration in the store");
	if (rc) {
		kiosk_free(k);
		return rc;
	}
	k->theme_kind = !strcmp(conf->theme, "large") ? UI_THEME_LARGE
		      : !strcmp(conf->theme, "contrast") ? UI_THEME_CONTRAST
		      : !strcmp(conf->theme, "large+contrast") ? UI_THEME_LARGE | UI_THEME_CONTRAST : UI_THEME_NORMAL;
	ui_theme_get(&t, k->theme_kind);
	k->ui = ui_new(ops, &t, w, h);
	k->ui->keypad = 1;
	kiosk_resize(k, w, h);
	fields_init(k);
	kiosk_set_lang(k, !strcmp(conf->lang, "fr") ? KL_FR : !strcmp(conf->lang, "zgh") ? KL_ZGH : KL_AR);
	k->screen = KS_WELCOME;
	int64_t wrong = 0;
	if (bw_store_counter_get(catalog, "kiosk.pin_wrong", &wrong, NULL) == BW_OK && wrong > 0) {
		k->pin_wrong = wrong > 1000 ? 1000 : (int)wrong;
		k->pin_restart = k->pin_wrong >= KIOSK_PIN_FREE;
	}
	return BW_OK;
}

int64_t kiosk_pin_delay_ms(int wrong)
{
	if (wrong < KIOSK_PIN_FREE)
		return 0;
	int64_t d = 30000;
	for (int i = KIOSK_PIN_FREE; i < wrong && d < 3600000; i++)
		d *= 2;
	return d > 3600000 ? 3600000 : d;
}

int kiosk_pin_try(kiosk *k, const char *typed)
{
	if (k->now < k->pin_until)
		return -1;
	int ok = k->conf.pin[0] && strcmp(typed, k->conf.pin) == 0;
	k->pin_wrong = ok ? 0 : k->pin_wrong + 1;
	k->pin_until = ok ? 0 : k->now + kiosk_pin_delay_ms(k->pin_wrong);
	bw_err e;
	if (bw_store_counter_set(k->catalog, "kiosk.pin_wrong", k->pin_wrong, &e) && k->log)
		log_error(k->log, "agent PIN: %s", e.msg);
	if (!ok && k->pin_wrong >= KIOSK_PIN_FREE && k->log)
		log_warn(k->log, "agent PIN: %d wrong in a row: the pad is locked for %lld s", k->pin_wrong,
			 (long long)(kiosk_pin_delay_ms(k->pin_wrong) / 1000));
	return ok;
}

void kiosk_free(kiosk *k)
{
	if (!k)
		return;
	bw_status_clear(&k->in.status);
	ui_free(k->ui);
	free(k->admins);
	free(k->cats);
	k->ui = NULL;
	k->admins = NULL;
	k->cats = NULL;
}

void kiosk_set_lang(kiosk *k, int lang)
{
	k->lang = lang;
	k->kbd = lang;
	if (k->ui)
		k->ui->lang = lang + 1;  /* text is tagged with its language (the layout check) */
	k->shift = 0;
	bw_i18n_set_lang(kiosk_lang_code[lang]);
	if (k->ui)
		k->ui->rtl = lang == KL_AR;
	name_lists(k);
}

void kiosk_resize(kiosk *k, int w, int h)
{
	ui_theme t;
	ui_theme_get(&t, k->theme_kind);
	/* sizes are for a 1080-pixel short side */
	ui_theme_scale(&t, w < h ? w : h, 1080);
	k->ui->theme = t;
	k->ui->screen = (ui_rect){ 0, 0, w, h };
}

void kiosk_set_theme(kiosk *k, int kind)
{
	k->theme_kind = kind;
	kiosk_resize(k, k->ui->screen.w, k->ui->screen.h);
}

void kiosk_goto(kiosk *k, int screen)
{
	k->screen = screen;
	k->msg = NULL;
	k->list.top = 0;
	k->shift = 0;
	k->letters = 0;
	k->ui->focus = 0;
	if (screen == KS_CATEGORY)
		load_categories(k);
}

void kiosk_start(kiosk *k, int kind)
{
	k->in.kind = kind;
	kiosk_goto(k, kind == BW_KIND_INFO ? KS_INFO_LAW : KS_ADMIN);
}

void kiosk_wipe(kiosk *k)
{
	bw_status_clear(&k->in.status);
	/* one memset over everything the citizen typed or was shown */
	memset(&k->in, 0, sizeof k->in);
	/* the last frames' commands hold that text too */
	memset(k->ui->arena, 0, sizeof k->ui->arena);
	memset(k->ui->cmds, 0, sizeof k->ui->cmds);
	k->ui->ncmds = k->ui->narena = 0;
	fields_init(k);
	k->ncats = 0;
	k->warning = 0;
	k->taps = 0;
	/* the next citizen starts by touch; the speech follows kmode and stops here */
	k->ui->kfocus = 0;
	k->ui->kmode = 0;
	k->listen = 0;
	if (k->on_wipe)
		k->on_wipe(k->on_wipe_arg);
	kiosk_set_lang(k, !strcmp(k->conf.lang, "fr") ? KL_FR : !strcmp(k->conf.lang, "zgh") ? KL_ZGH : KL_AR);
	kiosk_goto(k, KS_WELCOME);
}

/* ---- the frame and the idle timer ---- */

static int64_t idle_ms(const kiosk *k)
{
	return (int64_t)k->conf.idle_timeout * 1000;
}

void kiosk_frame(kiosk *k, int64_t now, int input)
{
	if (k->last_input == 0)
		k->last_input = now;
	int64_t idle = now - k->last_input;
	k->now = now;
	if (k->pin_restart) {   /* locked when it stopped: the whole delay again from now */
		k->pin_restart = 0;
		k->pin_until = now + kiosk_pin_delay_ms(k->pin_wrong);
	}
	/* the welcome screen holds nothing to protect; every other screen times out */
	k->warning = k->screen != KS_WELCOME && idle >= idle_ms(k);
	if (k->warning && idle >= idle_ms(k) + (int64_t)k->conf.warn_seconds * 1000) {
		kiosk_wipe(k);
		k->last_input = now;
		input = 0;
	}
	ui_begin(k->ui);
	k->ui->disabled = k->warning;
	kiosk_draw_screen(k);
	k->ui->disabled = 0;
	if (k->warning) {
		int64_t left_ms = idle_ms(k) + (int64_t)k->conf.warn_seconds * 1000 - idle;
		kiosk_draw_warning(k, (int)((left_ms + 999) / 1000));
	} else if (input) {
		k->last_input = now;
	}
	if (ui_end(k->ui) != 0 && k->log)
		log_error(k->log, "frame overflow on screen %d (commands or text cut)", k->screen);
}

int kiosk_timeout_ms(const kiosk *k, int64_t now)
{
	if (k->screen == KS_WELCOME && !k->warning)
		return -1;
	int64_t idle = now - k->last_input;
	if (idle < idle_ms(k))
		return (int)(idle_ms(k) - idle);
	/* a redraw per second of the countdown */
	int64_t into = (idle - idle_ms(k)) % 1000;
	return (int)(1000 - into);
}

/* ---- filing ---- */

int kiosk_submit(kiosk *k, bw_err *e)
{
	bw_request *r = bw_xcalloc(1, sizeof *r);
	kiosk_input *in = &k->in;
	int rc;

	bw_request_init(r);
	r->kind = in->kind;
	r->channel = BW_CHANNEL_KIOSK;
	if (in->admin >= 0)
		bw_strlcpy(r->admin, k->admins[in->admin].code, sizeof r->admin);
	if (in->category >= 0 && in->category < k->ncats)
		bw_strlcpy(r->category, k->cats[in->category].code, sizeof r->category);
	bw_strlcpy(r->site, k->conf.site, sizeof r->site);
	bw_strlcpy(r->lang, kiosk_lang_code[k->lang], sizeof r->lang);
	bw_strlcpy(r->text, in->text, sizeof r->text);
	bw_trim(r->text);
	/* the number as the screen accepted it ("06 12 34 56 78"), in its one stored form:
	 * copied as typed it would not fit r->phone and fail at filing */
	if (in->consent && in->phone[0]) {
		if ((rc = bw_phone_normalize(in->phone, r->phone, e)) != BW_OK)
			goto out;
		r->consent = 1;
	}
	if (in->kind == BW_KIND_INFO) {
		bw_strlcpy(r->name, in->name, sizeof r->name);
		bw_trim(r->name);
		bw_strlcpy(r->id_number, in->idnum, sizeof r->id_number);
		bw_strlcpy(r->contact, in->contact, sizeof r->contact);
		bw_trim(r->contact);
		r->form = in->form;
		r->urgent = in->urgent;
		/* the address only when the answer goes by post: nothing more than needed */
		if (in->form == BW_FORM_PAPER) {
			bw_strlcpy(r->address, in->address, sizeof r->address);
			bw_trim(r->address);
		}
	}
	rc = k->filer.submit(k->filer.arg, r, e);
	if (rc == BW_OK || rc == BW_EEXIST) {
		memcpy(in->ref, r->ref, sizeof in->ref);
		memcpy(in->deadline, r->deadline, sizeof in->deadline);
		memcpy(in->received_on, r->received_on, sizeof in->received_on);
		memcpy(in->code, r->code, sizeof in->code);
		kiosk_goto(k, KS_RECEIPT);
		rc = BW_OK;
	}
out:
	if (rc != BW_OK && k->log)
		log_warn(k->log, "filing refused: %s", e ? e->msg : bw_strerror(rc));
	/* the request's copy held the citizen's text */
	memset(r, 0, sizeof *r);
	free(r);
	return rc;
}

int kiosk_address_valid(const char *s)
{
	int chars = 0, words = 0, in_word = 0;
	while (*s) {
		int32_t c = bw_utf8_next(&s);
		int sep = c == ' ' || c == '\n' || c == ',' || c == '.' || c == '-' || c == '/' || c == 0x060C;
		if (!sep && c > 0)
			chars++;
		if (!sep && !in_word)
			words++;
		in_word = !sep;
	}
	return words >= 2 && chars >= 8;
}

int kiosk_ref_check(const char *typed, char out[13])
{
	int digits = 0;
	for (const char *p = typed; *p;) {
		if (bw_digit_value(bw_utf8_next(&p)) >= 0)
			digits++;
	}
	out[0] = '\0';
	if (digits < BW_REF_LEN)
		return BW_EAGAIN;
	return bw_ref_parse(typed, out, NULL) == BW_OK ? BW_OK : BW_EINVAL;
}

int kiosk_code_check(const char *typed, char out[BW_RCODE_LEN + 1])
{
	int n = 0;
	for (const char *p = typed; *p;) {
		int d = bw_digit_value(bw_utf8_next(&p));
		if (d >= 0 && n < BW_RCODE_LEN)
			out[n] = (char)('0' + d);
		n += d >= 0;
	}
	out[n <= BW_RCODE_LEN ? n : 0] = '\0';
	return n == BW_RCODE_LEN ? BW_OK : BW_EAGAIN;
}

int kiosk_status_locked(const bw_status *st)
{
	if (!st->found || st->code == BW_CODE_OK)
		return 0;
	for (size_t i = 0; i < st->nsteps; i++)
		if (bw_status_note_public(st->steps[i].state))
			return 1;
	return 0;
}

const char *kiosk_print(kiosk *k)
{
	char grouped[32];
	bw_escpos b;
	bw_err e;
	bw_escpos_receipt r = {
		.title = bw_tr_lang("fr", "receipt.print_title"),
		.site = k->conf.site,
		.ref_label = bw_tr_lang("fr", "receipt.ref"),
		.ref_grouped = bw_ref_format(k->in.ref, " ", grouped, sizeof grouped),
		.ref_digits = k->in.ref,
		.received_label = bw_tr_lang("fr", "receipt.received"),
		.received_on = k->in.received_on,
		.deadline_label = bw_tr_lang("fr", "receipt.deadline"),
		.deadline = k->in.deadline,
		.code_label = bw_tr_lang("fr", "receipt.code"),
		.code = k->in.code,
		.code_hint = bw_tr_lang("fr", "receipt.code_hint"),
		.keep = bw_tr_lang("fr", "receipt.keep"),
	};
	if (!k->conf.printer[0])
		return "print.missing";
	bw_escpos_init(&b);
	bw_escpos_receipt_build(&b, &r);
	int rc = bw_escpos_write(k->conf.printer, &b, &e);
	bw_escpos_free(&b);
	if (rc && k->log)
		log_warn(k->log, "%s", e.msg);
	return rc == BW_OK ? "print.ok" : rc == BW_EAGAIN ? "print.paper"
	     : rc == BW_ENOTFOUND ? "print.missing" : "print.error";
}
