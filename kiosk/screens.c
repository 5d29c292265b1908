/* screens.c: every kiosk screen as a function over the UI layer: the common chrome
 * (back, languages, title, progress, offline indicator), the guided flows, receipt (with
 * its receipt code), status (the answer behind the receipt code), the agent's PIN and the
 * inactivity warning. All text comes from bw_tr keys. */
#include "bw_clock.h"
#include "kiosk.h"

#include <qrencode.h>
#include <stdio.h>
#include <string.h>

#include "bw_calendar.h"
#include "bw_i18n.h"
#include "bw_phone.h"
#include "bw_ref.h"
#include "bw_state.h"

#define T(key) bw_tr(key)
#define ID(s) ui_id_str(s)
#define LRI "\xe2\x81\xa6"
#define PDI "\xe2\x81\xa9"

static const char *const lang_code[KL_COUNT] = { "ar", "zgh", "fr" };
static const ui_kbd_layout *const layouts[KL_COUNT] = { &ui_kbd_arabic, &ui_kbd_tifinagh, &ui_kbd_azerty };

/* The steps of each flow, in order; back and next walk them. */
static const int decree_flow[] = { KS_ADMIN, KS_CATEGORY, KS_TEXT, KS_PHONE, KS_REVIEW };
static const int info_flow[] = { KS_INFO_LAW, KS_ADMIN, KS_INFO_NAME, KS_INFO_ID, KS_INFO_CONTACT,
				 KS_INFO_TEXT, KS_INFO_FORM, KS_INFO_ADDRESS, KS_REVIEW };

static const int *flow(const kiosk *k, int *n)
{
	if (k->in.kind == BW_KIND_INFO) {
		*n = (int)(sizeof info_flow / sizeof info_flow[0]);
		return info_flow;
	}
	*n = (int)(sizeof decree_flow / sizeof decree_flow[0]);
	return decree_flow;
}

static int step_of(const kiosk *k)
{
	int n;
	const int *f = flow(k, &n);
	for (int i = 0; i < n; i++)
		if (f[i] == k->screen)
			return i;
	return -1;
}

/* A step with nothing to ask: an administration without categories for this kind, a
 * postal address when the answer does not go by post. */
static int skipped(const kiosk *k)
{
	return (k->screen == KS_CATEGORY && k->ncats == 0) ||
	       (k->screen == KS_INFO_ADDRESS && k->in.form != BW_FORM_PAPER);
}

static void next(kiosk *k)
{
	int n, i = step_of(k);
	const int *f = flow(k, &n);
	if (i >= 0 && i + 1 < n)
		kiosk_goto(k, f[i + 1]);
	if (skipped(k)) {
		if (k->screen == KS_CATEGORY)
			k->in.category = -1;
		next(k);
	}
}

static void back(kiosk *k)
{
	int n, i = step_of(k);
	const int *f = flow(k, &n);
	if (i > 0) {
		kiosk_goto(k, f[i - 1]);
		if (skipped(k))
			back(k);
	} else if (k->screen == KS_HOME) {
		kiosk_wipe(k);
	} else if (k->screen == KS_STATUS_CODE) {
		ui_field_wipe(&k->f_code);
		kiosk_goto(k, KS_STATUS_RESULT);
	} else {
		kiosk_goto(k, KS_HOME);
	}
}

static int portrait(const kiosk *k)
{
	return k->ui->screen.h > k->ui->screen.w;
}

static void set_msg(kiosk *k, const char *key, int error)
{
	k->msg = key;
	k->msg_error = error;
}

/* ---- chrome ---- */

/* Header (back, languages), title, progress, footer; returns the content area. */
static ui_rect chrome(kiosk *k, const char *title)
{
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	ui_rect all = ui_inset(c->screen, 0);
	ui_rect head = ui_cut_top(&all, t->touch + t->pad);
	ui_draw_rect(c, head, t->panel, 0);
	ui_draw_rect(c, (ui_rect){ head.x, head.y + head.h - t->border, head.w, t->border }, t->border_c, 0);
	ui_rect hb = ui_inset(head, t->pad / 2);

	/* back: an arrow that points to where the flow came from (mirrored in Arabic) */
	int bw_ = ui_measure(c, T("nav.back"), UI_FONT_REGULAR, t->body) + t->touch + t->pad * 2;
	ui_rect bb = ui_cut_start(c, &hb, bw_);
	int down;
	ui_describe(c, UI_DESC_TITLE, title);
	ui_label_next(c, UI_ROLE_BACK, T("nav.back"), NULL);
	if (ui_hit(c, ID("nav.back"), bb, &down) & UI_RES_CLICK)
		back(k);
	ui_draw_rect(c, bb, down ? t->sel : t->btn, t->radius);
	ui_draw_frame(c, bb, t->border_c, t->radius, t->border);
	ui_rect bi = ui_inset(bb, t->pad / 3);
	ui_rect ic = ui_cut_start(c, &bi, bi.h);
	ui_icon(c, ui_inset(ic, t->pad / 4), UI_ICON_BACK, down ? t->sel_fg : t->btn_fg);
	ui_text(c, bi, T("nav.back"), t->body, down ? t->sel_fg : t->btn_fg, UI_ALIGN_CENTER | UI_TEXT_VCENTER | UI_TEXT_NOWRAP);

	/* listen: speaks the screen, beside back on every screen */
	ui_cut_start(c, &hb, t->gap);
	ui_rect lsn = ui_cut_start(c, &hb, ui_measure(c, T("a11y.listen"), UI_FONT_REGULAR, t->body) + t->pad * 2);
	if (ui_button(c, ID("a11y.listen"), lsn, T("a11y.listen"), UI_BTN_NORMAL) & UI_RES_CLICK)
		k->listen = 1;

	/* the three languages, each named in itself, on every screen: as wide as the longest
	 * name needs, at most what the back and listen buttons leave */
	int lw = 0;
	for (int i = 0; i < KL_COUNT; i++) {
		int w = ui_measure(c, bw_tr_lang(lang_code[i], "lang.name"), UI_FONT_REGULAR, t->body);
		lw = w > lw ? w : lw;
	}
	lw = (lw + t->pad * 2) * KL_COUNT + t->gap;
	ui_rect langs = ui_cut_end(c, &hb, lw > hb.w ? hb.w : lw);
	ui_rect lb[KL_COUNT];
	ui_columns(c, langs, KL_COUNT, t->gap / 2, lb);
	for (int i = 0; i < KL_COUNT; i++) {
		const char *name = bw_tr_lang(lang_code[i], "lang.name");
		c->lang = i + 1;  /* each language named in itself */
		int res = ui_button(c, ui_id_mix(ID("lang"), i), lb[i], name, i == k->lang ? UI_BTN_SELECTED : UI_BTN_NORMAL);
		c->lang = k->lang + 1;
		if (res & UI_RES_CLICK) {
			kiosk_set_lang(k, i);
			return ui_inset(all, t->pad);  /* the rest draws next frame */
		}
	}

	ui_rect foot = ui_cut_bottom(&all, t->small * 2);
	if (!k->filer.online || !k->filer.online(k->filer.arg)) {
		ui_rect fi = ui_inset(foot, t->pad / 4);
		ui_rect dot = ui_cut_end(c, &fi, fi.h);
		ui_draw_rect(c, ui_center(dot, fi.h / 2, fi.h / 2), t->muted, fi.h / 4);
		ui_text(c, ui_cut_end(c, &fi, fi.w / 2), T("chrome.offline"), t->small, t->muted, UI_ALIGN_END | UI_TEXT_VCENTER | UI_TEXT_NOWRAP);
	}

	ui_rect body = ui_inset(all, t->pad);
	int lh = ui_line_height(c, UI_FONT_BOLD, t->title);
	ui_rect tr = ui_cut_top(&body, lh);
	ui_text(c, tr, title, t->title, t->fg, UI_ALIGN_START | UI_TEXT_BOLD | UI_TEXT_NOWRAP);

	int n, i = step_of(k);
	flow(k, &n);
	if (i >= 0) {
		/* progress: one bar per step, in reading order */
		ui_rect pr = ui_cut_top(&body, t->pad);
		ui_rect seg[16];
		ui_columns(c, ui_center(pr, pr.w, t->pad / 2), n, t->gap / 2, seg);
		for (int s = 0; s < n; s++)
			ui_draw_rect(c, seg[s], s <= i ? t->primary_bg : t->border_c, t->pad / 4);
	}
	ui_cut_top(&body, t->gap);
	return body;
}

/* The height the message line needs at width w: a touch target's, or as many lines as
 * the current message wraps to (a message is never cut). */
static int msg_height(kiosk *k, int w)
{
	const ui_theme *t = &k->ui->theme;
	int starts[16], lens[16], h = t->touch + t->pad;
	if (!k->msg)
		return h;
	int n = ui_wrap(k->ui, T(k->msg), k->msg_error ? UI_FONT_REGULAR : UI_FONT_BOLD, t->body,
			k->ui->rtl, w - t->pad, starts, lens, 16);
	int need = n * ui_line_height(k->ui, UI_FONT_BOLD, t->body) + t->pad;
	return need > h ? need : h;
}

/* The message line (validation, printer): red box for errors. */
static void message(kiosk *k, ui_rect r)
{
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	if (!k->msg)
		return;
	if (k->msg_error) {
		ui_draw_rect(c, r, t->error, t->radius / 2);
		ui_text(c, ui_inset(r, t->pad / 2), T(k->msg), t->body, t->error_fg, UI_ALIGN_START | UI_TEXT_VCENTER);
	} else {
		ui_text(c, ui_inset(r, t->pad / 2), T(k->msg), t->body, t->ok, UI_ALIGN_START | UI_TEXT_VCENTER | UI_TEXT_BOLD);
	}
}

/* Input screens: the form part and the keyboard part (side by side in landscape, the
 * keyboard on the end side; stacked in portrait). */
static void split(kiosk *k, ui_rect body, ui_rect *form, ui_rect *keys, int keys_share)
{
	const ui_theme *t = &k->ui->theme;
	if (portrait(k)) {
		*keys = ui_cut_bottom(&body, body.h * keys_share / 100);
		ui_cut_bottom(&body, t->gap);
	} else {
		/* on a screen not much wider than high (1280x1024) half its width would make
		 * a twelve-key row narrower than a finger: the keys take three fifths */
		int narrow = k->ui->screen.w * 2 < k->ui->screen.h * 3;
		*keys = ui_cut_end(k->ui, &body, narrow ? body.w * 3 / 5 : body.w / 2);
		ui_cut_end(k->ui, &body, t->gap * 2);
	}
	*form = body;
}

/* A keyboard with the choice of script above it (a French speaker may write Arabic). */
static int keyboard(kiosk *k, ui_rect r, ui_field *f)
{
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	ui_rect sel = ui_cut_top(&r, t->touch);
	ui_cut_top(&r, t->gap / 2);
	ui_rect sb[KL_COUNT];
	ui_rect selw = ui_cut_start(c, &sel, sel.w * 3 / 4);
	ui_columns(c, selw, KL_COUNT, t->gap / 2, sb);
	for (int i = 0; i < KL_COUNT; i++) {
		char key[16];
		snprintf(key, sizeof key, "kbd.%s", lang_code[i]);
		c->lang = i + 1;
		int res = ui_button(c, ui_id_mix(ID("kbd.sel"), i), sb[i], bw_tr_lang(lang_code[i], "kbd.name"),
				    i == k->kbd ? UI_BTN_SELECTED : UI_BTN_NORMAL);
		c->lang = k->lang + 1;
		if (res & UI_RES_CLICK) {
			k->kbd = i;
			k->shift = 0;
		}
	}
	return ui_keyboard(c, ID("kbd"), r, layouts[k->kbd], &k->shift, f);
}

/* A contact (a phone number most often, or an e-mail address): the numeric keypad with
 * "+", "@" and "." and a switch to the letters; the letters keyboard with a switch back
 * to the digits where the keyboard's script choice leaves room. */
static int contact_keys(kiosk *k, ui_rect r, ui_field *f)
{
	static const char *const extra[] = { "+", "@", ".", NULL };
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	if (!k->letters) {
		if (!portrait(k))
			r = ui_center(r, r.w * 3 / 4, r.h);
		int res = ui_keypad_ex(c, ID("contact.pad"), r, f, T("nav.next"), extra, T("kbd.letters"));
		if (res & UI_RES_SWITCH)
			k->letters = 1;
		return res;
	}
	ui_rect top = { r.x, r.y, r.w, t->touch };
	ui_rect back = ui_cut_end(c, &top, top.w / 4 - t->gap / 2);
	if (ui_button(c, ID("kbd.digits"), back, T("kbd.digits"), UI_BTN_NORMAL) & UI_RES_CLICK)
		k->letters = 0;
	return keyboard(k, r, f);
}

/* A primary "next" button at the bottom of r; returns 1 when tapped. */
static int next_button(kiosk *k, ui_rect *r, const char *key)
{
	const ui_theme *t = &k->ui->theme;
	ui_rect b = ui_cut_bottom(r, t->primary);
	ui_cut_bottom(r, t->gap);
	return ui_button(k->ui, ID(key), b, T(key), UI_BTN_PRIMARY) & UI_RES_CLICK;
}

/* ---- welcome and home ---- */

/* An accessibility switch of the welcome screen: its icon, then its name in each of the
 * three languages (the citizen has not chosen one yet), each line in its own direction;
 * drawn selected while on. Returns 1 when tapped. */
static int a11y_switch(kiosk *k, ui_rect r, int icon, const char *key, int on)
{
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	int down, rtl = c->rtl;
	/* spoken as a switch in the screen's language, on or off */
	ui_label_next(c, UI_ROLE_CHECKBOX, T(key), NULL);
	c->next_state = on;
	int res = ui_hit(c, ID(key), r, &down);
	ui_color bg = down || on ? t->sel : t->btn, fg = down || on ? t->sel_fg : t->btn_fg;
	ui_draw_rect(c, r, bg, t->radius);
	ui_draw_frame(c, r, on ? t->focus : t->border_c, t->radius, on ? 2 * t->border : t->border);
	ui_rect in = ui_inset(r, t->pad / 2);
	ui_rect ic = ui_cut_start(c, &in, t->touch);
	ui_icon(c, ui_center(ic, t->touch * 3 / 4, t->touch * 3 / 4), icon, fg);
	ui_cut_start(c, &in, t->gap / 2);
	ui_rect lines[KL_COUNT];
	ui_rows(in, KL_COUNT, 0, lines);
	for (int i = 0; i < KL_COUNT; i++) {
		c->rtl = i == KL_AR;
		c->lang = i + 1;
		ui_text(c, lines[i], bw_tr_lang(lang_code[i], key), t->small, fg,
			UI_ALIGN_START | UI_TEXT_VCENTER | UI_TEXT_NOWRAP);
	}
	c->rtl = rtl;
	c->lang = k->lang + 1;
	return (res & UI_RES_CLICK) != 0;
}

static void s_welcome(kiosk *k)
{
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	ui_rect all = ui_inset(c->screen, t->pad * 2);
	int rtl = c->rtl;

	int sl = ui_line_height(c, UI_FONT_REGULAR, t->small);
	ui_rect a11y = ui_cut_bottom(&all, sl * KL_COUNT + t->pad);
	ui_rect top = ui_cut_top(&all, all.h * 2 / 5);
	/* the greeting in the three languages, each in its own direction */
	ui_rect lines[KL_COUNT];
	ui_rows(top, KL_COUNT, t->gap, lines);
	for (int i = 0; i < KL_COUNT; i++) {
		c->rtl = i == KL_AR;
		c->lang = i + 1;
		ui_text(c, lines[i], bw_tr_lang(lang_code[i], "welcome.title"), t->title, t->fg,
			UI_ALIGN_CENTER | UI_TEXT_VCENTER | UI_TEXT_BOLD);
	}
	c->rtl = rtl;
	c->lang = k->lang + 1;
	ui_describe(c, UI_DESC_TITLE, T("welcome.title"));
	/* agents: five taps on the greeting within five seconds open the PIN pad */
	ui_label_next(c, UI_ROLE_HIDDEN, NULL, NULL);
	if ((ui_hit(c, ID("welcome.title"), top, NULL) & UI_RES_CLICK) && k->conf.pin[0]) {
		if (k->taps == 0 || k->now - k->first_tap > 5000) {
			k->taps = 0;
			k->first_tap = k->now;
		}
		if (++k->taps >= 5) {
			k->taps = 0;
			kiosk_goto(k, KS_PIN);
			return;
		}
	}

	ui_rect langs[KL_COUNT];
	ui_rect lr = ui_center(all, portrait(k) ? all.w * 4 / 5 : all.w, portrait(k) ? all.h : all.h * 3 / 5);
	if (portrait(k))
		ui_rows(lr, KL_COUNT, t->gap * 2, langs);
	else
		ui_columns(c, lr, KL_COUNT, t->gap * 2, langs);
	for (int i = 0; i < KL_COUNT; i++) {
		int rtl2 = c->rtl;
		c->rtl = i == KL_AR;
		c->lang = i + 1;
		int res = ui_button(c, ui_id_mix(ID("welcome.lang"), i), langs[i],
				    bw_tr_lang(lang_code[i], "welcome.start"), UI_BTN_PRIMARY);
		c->rtl = rtl2;
		c->lang = k->lang + 1;
		if (res & UI_RES_CLICK) {
			kiosk_set_lang(k, i);
			kiosk_goto(k, KS_HOME);
			return;
		}
	}
	/* the two switches work together (large text and high contrast) */
	ui_rect ab[2];
	ui_columns(c, ui_center(a11y, portrait(k) ? a11y.w : a11y.w * 2 / 3, a11y.h), 2, t->gap * 2, ab);
	if (a11y_switch(k, ab[0], UI_ICON_LARGE_TEXT, "a11y.large", k->theme_kind & UI_THEME_LARGE))
		kiosk_set_theme(k, k->theme_kind ^ UI_THEME_LARGE);
	if (a11y_switch(k, ab[1], UI_ICON_CONTRAST, "a11y.contrast", k->theme_kind & UI_THEME_CONTRAST))
		kiosk_set_theme(k, k->theme_kind ^ UI_THEME_CONTRAST);
}

/* An action card: a round badge with a glyph, the action in bold, one line under it. */
static int card(kiosk *k, ui_id id, ui_rect r, const char *glyph, const char *label, const char *desc)
{
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	int down;
	ui_label_next(c, UI_ROLE_BUTTON, label, NULL);
	int res = ui_hit(c, id, r, &down);
	ui_color fg = down ? t->sel_fg : t->fg;
	ui_draw_rect(c, r, down ? t->sel : t->panel, t->radius);
	ui_draw_frame(c, r, t->border_c, t->radius, t->border);
	ui_rect in = ui_inset(r, t->pad);
	/* the words first: the badge takes what they leave (the theme's size at most) */
	int lh = ui_text_height(c, in.w, label, t->big, UI_TEXT_BOLD);
	int dh = ui_text_height(c, in.w, desc, t->body, 0);
	int side = in.h - t->pad - t->gap - t->gap / 2 - lh - dh;
	if (side > t->primary)
		side = t->primary;
	if (side > in.w / 2)
		side = in.w / 2;
	if (side < 0)
		side = 0;
	ui_cut_top(&in, t->pad);
	ui_rect badge_row = ui_cut_top(&in, side);
	ui_rect badge = ui_center(badge_row, side, side);
	if (side >= t->small) {
		ui_draw_rect(c, badge, down ? t->sel_fg : t->primary_bg, side / 2);
		ui_text(c, badge, glyph, side * 3 / 5, down ? t->sel : t->primary_fg,
			UI_ALIGN_CENTER | UI_TEXT_VCENTER | UI_TEXT_BOLD | UI_TEXT_NOWRAP | UI_TEXT_DATA);
	}
	ui_cut_top(&in, t->gap);
	int h = ui_text(c, in, label, t->big, fg, UI_ALIGN_CENTER | UI_TEXT_BOLD);
	ui_cut_top(&in, h + t->gap / 2);
	ui_text(c, in, desc, t->body, down ? t->sel_fg : t->muted, UI_ALIGN_CENTER);
	return res & UI_RES_CLICK;
}

static void s_home(kiosk *k)
{
	static const struct { const char *glyph, *label, *desc; int kind; } acts[4] = {
		{ "!", "home.complaint", "home.complaint.desc", BW_KIND_COMPLAINT },
		{ "i", "home.observation", "home.observation.desc", BW_KIND_OBSERVATION },
		{ "+", "home.suggestion", "home.suggestion.desc", BW_KIND_SUGGESTION },
		{ "?", "home.info", "home.info.desc", BW_KIND_INFO },
	};
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	ui_rect body = chrome(k, T("home.title"));
	if (k->screen != KS_HOME)
		return;
	ui_rect st = ui_cut_bottom(&body, t->primary);
	ui_cut_bottom(&body, t->gap * 2);
	ui_rect cells[4];
	if (portrait(k))
		ui_grid(c, body, 2, 2, t->gap * 2, cells);
	else
		ui_grid(c, body, 4, 1, t->gap * 2, cells);
	for (int i = 0; i < 4; i++)
		if (card(k, ID(acts[i].label), cells[i], acts[i].glyph, T(acts[i].label), T(acts[i].desc))) {
			kiosk_start(k, acts[i].kind);
			return;
		}
	if (ui_button(c, ID("home.status"), st, T("home.status"), UI_BTN_PRIMARY) & UI_RES_CLICK) {
		k->in.kind = -1;
		kiosk_goto(k, KS_STATUS);
	}
}

/* ---- the filing flow ---- */

static void s_admin(kiosk *k)
{
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	ui_rect body = chrome(k, T("admin.title")), form, keys;
	if (k->screen != KS_ADMIN)
		return;
	split(k, body, &form, &keys, 45);
	keyboard(k, keys, &k->f_search);
	ui_rect sr = ui_cut_top(&form, t->touch + t->pad);
	ui_cut_top(&form, t->gap);
	if (ui_textbox(c, ID("admin.search"), sr, &k->f_search, T("admin.search")) & UI_RES_CHANGE)
		k->list.top = 0;
	int pick = ui_listbox(c, ID("admin.list"), form, &k->list, k->admin_names, k->nadmins,
			      k->in.search, t->touch + t->pad, T("admin.none"));
	if (pick >= 0) {
		k->in.admin = pick;
		k->in.category = -1;
		next(k);
	}
}

static void s_category(kiosk *k)
{
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	ui_rect body = chrome(k, T("category.title"));
	if (k->screen != KS_CATEGORY)
		return;
	ui_rect other = ui_cut_bottom(&body, t->primary);
	ui_cut_bottom(&body, t->gap);
	int pick = ui_listbox(c, ID("category.list"), body, &k->list, k->cat_names, k->ncats, "",
			      t->touch + t->pad, NULL);
	if (pick >= 0) {
		k->in.category = pick;
		next(k);
	} else if (ui_button(c, ID("category.other"), other, T("category.other"), UI_BTN_NORMAL) & UI_RES_CLICK) {
		k->in.category = -1;
		next(k);
	}
}

static int blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\n')
			return 0;
	return 1;
}

/* A screen with one text field, a hint, a keyboard and "next". */
static void field_screen(kiosk *k, const char *title, const char *hint, ui_field *f,
			 const char *empty_msg, int (*valid)(const char *), const char *invalid_msg)
{
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	int scr = k->screen;
	ui_rect body = chrome(k, T(title)), form, keys;
	if (k->screen != scr)
		return;
	split(k, body, &form, &keys, 45);
	int kr = f == &k->f_contact ? contact_keys(k, keys, f) : keyboard(k, keys, f);
	if (kr & UI_RES_CHANGE)
		k->msg = NULL;
	int go = next_button(k, &form, "nav.next") || (kr & UI_RES_SUBMIT);
	ui_rect msg = ui_cut_bottom(&form, msg_height(k, form.w));
	int h = ui_text(c, form, T(hint), t->body, t->muted, UI_ALIGN_START);
	ui_describe(c, UI_DESC_HINT, T(hint));
	ui_cut_top(&form, h + t->gap);
	ui_rect box = f->multiline ? form : ui_cut_top(&form, t->touch + t->pad * 2);
	if (f->multiline) {
		char count[32];
		ui_rect cr = ui_cut_bottom(&box, t->small * 2);
		snprintf(count, sizeof count, LRI "%d / %d" PDI, ui_field_chars(f), f->max_chars);
		ui_text(c, cr, count, t->small, t->muted, UI_ALIGN_END | UI_TEXT_NOWRAP | UI_TEXT_VCENTER);
	}
	int res = ui_textbox(c, ID(title), box, f, NULL);
	if (res & UI_RES_CHANGE)
		k->msg = NULL;
	if (res & UI_RES_REFUSED)
		set_msg(k, "field.too_long", 1);
	if (res & UI_RES_SUBMIT)
		go = 1;
	if (go) {
		if (blank(f->buf))
			set_msg(k, empty_msg, 1);
		else if (valid && !valid(f->buf))
			set_msg(k, invalid_msg, 1);
		else
			next(k);
	}
	if (k->screen == scr)
		message(k, msg);
}

static void s_text(kiosk *k)
{
	field_screen(k, "text.title", "text.hint", &k->f_text, "text.empty", NULL, NULL);
}

static void s_info_text(kiosk *k)
{
	field_screen(k, "info.text.title", "info.text.hint", &k->f_text, "text.empty", NULL, NULL);
}

static void s_info_name(kiosk *k)
{
	field_screen(k, "info.name.title", "info.name.hint", &k->f_name, "info.name.empty", NULL, NULL);
}

static void s_info_contact(kiosk *k)
{
	field_screen(k, "info.contact.title", "info.contact.hint", &k->f_contact, "info.contact.empty", NULL, NULL);
}

/* Law 31.13: a request gives a postal address; asked only when the answer goes by post. */
static void s_info_address(kiosk *k)
{
	field_screen(k, "info.address.title", "info.address.hint", &k->f_address, "info.address.empty",
		     kiosk_address_valid, "info.address.short");
}

/* National ID (CNIE: 1-2 letters and digits) or residence permit: letters then digits. */
static int id_ok(const char *s)
{
	int letters = 0, digits = 0;
	for (; *s; s++) {
		if (*s >= 'A' && *s <= 'Z' && digits == 0)
			letters++;
		else if (*s >= '0' && *s <= '9')
			digits++;
		else
			return 0;
	}
	return letters >= 1 && letters <= 3 && digits >= 3 && letters + digits <= BW_IDNUM_MAX;
}

static void s_info_id(kiosk *k)
{
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	ui_rect body = chrome(k, T("info.id.title"));
	if (k->screen != KS_INFO_ID)
		return;
	/* letters on an AZERTY keyboard and digits on a keypad, side by side */
	ui_rect keys = ui_cut_bottom(&body, body.h / 2);
	ui_rect pad = ui_cut_end(c, &keys, keys.w / 3);
	ui_cut_end(c, &keys, t->gap * 2);
	int res = ui_keyboard(c, ID("id.kbd"), keys, &ui_kbd_id, &k->shift, &k->f_id);
	res |= ui_keypad(c, ID("id.pad"), pad, &k->f_id, T("nav.next"));
	ui_cut_bottom(&body, t->gap);
	ui_rect msg = ui_cut_bottom(&body, msg_height(k, body.w));
	int h = ui_text(c, body, T("info.id.hint"), t->body, t->muted, UI_ALIGN_START);
	ui_cut_top(&body, h + t->gap);
	ui_rect box = ui_cut_top(&body, t->touch + t->pad * 2);
	res |= ui_textbox(c, ID("info.id"), box, &k->f_id, NULL);
	if (res & UI_RES_CHANGE)
		k->msg = NULL;
	if (res & UI_RES_SUBMIT) {
		if (!id_ok(k->in.idnum))
			set_msg(k, "info.id.invalid", 1);
		else
			next(k);
	}
	if (k->screen == KS_INFO_ID)
		message(k, msg);
}

/* The phone number (law 09-08): the notice, the consent and the message on one side; the
 * field, the keypad (its OK goes on) and "skip" on the other (under them in portrait). */
static void s_phone(kiosk *k)
{
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	ui_rect body = chrome(k, T("phone.title")), form, keys;
	if (k->screen != KS_PHONE)
		return;
	if (portrait(k)) {
		split(k, body, &form, &keys, 48);
	} else {
		/* a keypad needs less width than a keyboard: the notice gets the rest */
		keys = ui_cut_end(c, &body, body.w * 3 / 10);
		ui_cut_end(c, &body, t->gap * 2);
		form = body;
	}
	ui_rect fr = ui_cut_top(&keys, t->touch + t->pad), msg = { 0, 0, 0, 0 };
	ui_cut_top(&keys, t->gap / 2);
	int nh = ui_text_height(c, form.w - 2 * t->pad, T("phone.notice"), t->body, 0) + 2 * t->pad;
	int ch = ui_checkbox_height(c, form.w, T("phone.consent"));
	/* the message under the consent, or over the keypad when the notice leaves no room */
	if (k->msg && form.h - nh - ch - 2 * t->gap < msg_height(k, form.w)) {
		msg = ui_cut_top(&keys, msg_height(k, keys.w));
		ui_cut_top(&keys, t->gap / 2);
	}
	ui_rect sk = ui_cut_bottom(&keys, t->touch + t->pad);
	ui_cut_bottom(&keys, t->gap);
	int res = ui_keypad(c, ID("phone.pad"), keys, &k->f_phone, T("nav.next"));
	int skip = ui_button(c, ID("nav.skip"), sk, T("nav.skip"), UI_BTN_NORMAL) & UI_RES_CLICK;
	int go = res & UI_RES_SUBMIT;

	/* what the number is for, before asking for it; the consent under it */
	ui_rect notice = ui_cut_top(&form, nh < form.h ? nh : form.h);
	ui_draw_rect(c, notice, t->panel, t->radius);
	ui_draw_frame(c, notice, t->border_c, t->radius, t->border);
	ui_text(c, ui_inset(notice, t->pad), T("phone.notice"), t->body, t->fg, UI_ALIGN_START);
	ui_cut_top(&form, t->gap);
	ui_rect cb = ui_cut_top(&form, ch);
	if (ui_checkbox(c, ID("phone.consent"), cb, T("phone.consent"), &k->in.consent) & UI_RES_CHANGE)
		k->msg = NULL;
	ui_cut_top(&form, t->gap);
	if (k->msg && msg.h == 0)
		msg = ui_cut_top(&form, msg_height(k, form.w));
	res |= ui_textbox(c, ID("phone.field"), fr, &k->f_phone, T("phone.placeholder"));
	if (res & UI_RES_CHANGE)
		k->msg = NULL;
	if (skip) {
		ui_field_wipe(&k->f_phone);
		k->in.consent = 0;
		next(k);
	} else if (go) {
		char norm[14];
		if (!k->in.phone[0]) {
			k->in.consent = 0;
			next(k);
		} else if (!k->in.consent) {
			set_msg(k, "phone.need_consent", 1);
		} else if (bw_phone_normalize(k->in.phone, norm, NULL) != BW_OK) {
			set_msg(k, "phone.invalid", 1);
		} else {
			next(k);
		}
	}
	if (k->screen == KS_PHONE && msg.h > 0)
		message(k, msg);
}

static void s_info_law(kiosk *k)
{
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	ui_rect body = chrome(k, T("info.law.title"));
	if (k->screen != KS_INFO_LAW)
		return;
	if (next_button(k, &body, "nav.continue")) {
		next(k);
		return;
	}
	static const char *const paras[] = { "info.law.p1", "info.law.p2", "info.law.p3", "info.law.p4" };
	ui_rect one = ui_center(body, body.w > t->title * 34 ? t->title * 34 : body.w, body.h), cols[2];
	ui_columns(c, body, 2, t->gap * 3, cols);
	/* plain words, as large as the screen allows: one column of a readable width, else
	 * two (paragraphs 1-2, then 3-4), never below the theme's body size */
	unsigned key = ((unsigned)k->lang * 8u + (unsigned)k->theme_kind) * 2654435761u ^ (unsigned)(body.w * 8192 + body.h);
	if (k->law_size == 0 || k->law_key != key) {
		int size = t->big, ncol = 1;
		for (ncol = 1; ncol <= 2; ncol++) {
			int w = ncol == 1 ? one.w : cols[0].w;
			for (size = t->big; size >= t->body; size -= 2) {
				int col_h[2] = { 0, 0 };
				for (int i = 0; i < 4; i++)
					col_h[ncol == 2 && i >= 2] += ui_text_height(c, w, T(paras[i]), size, 0) + t->gap * 2;
				if (col_h[0] <= body.h && col_h[1] <= body.h)
					break;
			}
			if (size >= t->body)
				break;
		}
		k->law_size = size < t->body ? t->body : size;
		k->law_cols = ncol > 2 ? 2 : ncol;
		k->law_key = key;
	}
	ui_rect in = k->law_cols == 1 ? one : cols[0];
	for (int i = 0; i < 4; i++) {
		if (k->law_cols == 2 && i == 2)
			in = cols[1];
		int h = ui_text(c, in, T(paras[i]), k->law_size, t->fg, UI_ALIGN_START);
		ui_cut_top(&in, h + t->gap * 2);
	}
}

static void s_info_form(kiosk *k)
{
	static const struct { const char *key; int form; } forms[4] = {
		{ "form.onsite", BW_FORM_ONSITE }, { "form.email", BW_FORM_EMAIL },
		{ "form.sms", BW_FORM_SMS }, { "form.paper", BW_FORM_PAPER },
	};
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	ui_rect body = chrome(k, T("info.form.title"));
	if (k->screen != KS_INFO_FORM)
		return;
	int go = next_button(k, &body, "nav.next");
	ui_rect msg = ui_cut_bottom(&body, msg_height(k, body.w));
	/* four in a row in landscape, two by two in portrait */
	ui_rect cb[4];
	if (portrait(k))
		ui_grid(c, ui_cut_top(&body, t->primary * 2 + t->gap * 2), 2, 2, t->gap * 2, cb);
	else
		ui_columns(c, ui_cut_top(&body, t->primary), 4, t->gap * 2, cb);
	for (int i = 0; i < 4; i++)
		if (ui_button(c, ID(forms[i].key), cb[i], T(forms[i].key),
			      k->in.form == forms[i].form ? UI_BTN_SELECTED : UI_BTN_NORMAL) & UI_RES_CLICK) {
			k->in.form = forms[i].form;
			k->msg = NULL;
		}
	ui_cut_top(&body, t->gap * 3);
	ui_checkbox(c, ID("info.urgent"), ui_cut_top(&body, t->touch + t->pad), T("info.urgent"), &k->in.urgent);
	ui_cut_top(&body, t->gap);
	ui_text(c, body, T("info.urgent.hint"), t->body, t->muted, UI_ALIGN_START);
	if (go) {
		if (k->in.form == BW_FORM_NONE)
			set_msg(k, "info.form.empty", 1);
		else
			next(k);
	}
	if (k->screen == KS_INFO_FORM)
		message(k, msg);
}

/* One "label: value" line of the review in r: the label on the start side (bold, muted),
 * the value after it, cut with an ellipsis when longer than the line. data: what the
 * citizen typed (in any script). */
static void row(kiosk *k, ui_rect r, const char *label, const char *value, int data)
{
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	ui_rect lab = ui_cut_start(c, &r, r.w * 2 / 5);
	ui_cut_end(c, &lab, t->gap / 2);
	ui_text(c, lab, label, t->body, t->muted, UI_ALIGN_START | UI_TEXT_BOLD | UI_TEXT_NOWRAP | UI_TEXT_VCENTER);
	ui_text(c, r, value, t->body, t->fg,
		UI_ALIGN_START | UI_TEXT_NOWRAP | UI_TEXT_VCENTER | (data ? UI_TEXT_AUTO | UI_TEXT_DATA : 0));
}

#define REVIEW_ROWS 10

/* The review: every answer the citizen gave, each on one line (two columns in landscape),
 * and the start of the text under them with what is left of the card. Nothing is drawn
 * outside the card, however small the screen or large the text. */
static void s_review(kiosk *k)
{
	static const char *const kind_key[BW_KIND_COUNT] = { "kind.complaint", "kind.observation", "kind.suggestion", "kind.info" };
	static const char *const form_key[BW_FORM_COUNT] = { "", "form.paper", "form.email", "form.onsite", "form.sms" };
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	ui_rect body = chrome(k, T("review.title"));
	if (k->screen != KS_REVIEW)
		return;
	if (next_button(k, &body, "review.submit")) {
		bw_err e;
		if (kiosk_submit(k, &e) != BW_OK)
			set_msg(k, "review.failed", 1);
		if (k->screen != KS_REVIEW)
			return;
	}
	if (k->msg) {
		ui_rect msg = ui_cut_bottom(&body, msg_height(k, body.w));
		ui_cut_bottom(&body, t->gap);
		message(k, msg);
	}
	ui_draw_rect(c, body, t->panel, t->radius);
	ui_draw_frame(c, body, t->border_c, t->radius, t->border);
	ui_rect in = ui_inset(body, t->pad);
	kiosk_input *i = &k->in;
	const char *lab[REVIEW_ROWS], *val[REVIEW_ROWS];
	int data[REVIEW_ROWS], n = 0;
	char ph[40];
#define ROW(l, v, d) (lab[n] = (l), val[n] = (v), data[n++] = (d))
	if (i->kind >= 0 && i->kind < BW_KIND_COUNT)
		ROW(T("review.kind"), T(kind_key[i->kind]), 0);
	if (i->admin >= 0)
		ROW(T("review.admin"), k->admin_names[i->admin], 0);
	if (i->category >= 0 && i->category < k->ncats)
		ROW(T("review.category"), k->cat_names[i->category], 0);
	if (i->kind == BW_KIND_INFO) {
		ROW(T("review.name"), i->name, 1);
		ROW(T("review.id"), i->idnum, 1);
		ROW(T("review.contact"), i->contact, 1);
		if (i->form > 0 && i->form < BW_FORM_COUNT)
			ROW(T("review.form"), T(form_key[i->form]), 0);
		if (i->form == BW_FORM_PAPER)
			ROW(T("review.address"), i->address, 1);
		ROW(T("review.urgent"), T(i->urgent ? "review.yes" : "review.no"), 0);
	} else {
		snprintf(ph, sizeof ph, LRI "%s" PDI, i->phone);
		ROW(T("review.phone"), i->phone[0] ? ph : T("review.no_phone"), 0);
	}
#undef ROW
	int lh = ui_line_height(c, UI_FONT_REGULAR, t->body);
	int cols = portrait(k) || n < 4 ? 1 : 2, per = (n + cols - 1) / cols;
	ui_rect colr[2], rows = ui_cut_top(&in, per * lh);
	ui_columns(c, rows, cols, t->gap * 2, colr);
	for (int r = 0; r < n; r++)
		row(k, (ui_rect){ colr[r / per].x, colr[r / per].y + (r % per) * lh, colr[r / per].w, lh }, lab[r], val[r], data[r]);
	/* the text: its start, as much as the card holds, an ellipsis if there is more */
	ui_cut_top(&in, t->gap / 2);
	if (in.h < lh)
		return;
	ui_rect tl = ui_cut_top(&in, lh);
	ui_text(c, tl, T("review.text"), t->body, t->muted, UI_ALIGN_START | UI_TEXT_BOLD | UI_TEXT_NOWRAP);
	ui_text(c, in, i->text, t->body, t->fg, UI_ALIGN_START | UI_TEXT_AUTO | UI_TEXT_DATA | UI_TEXT_CLAMP);
}

/* ---- receipt ---- */

static void qr(kiosk *k, ui_rect r, const char *data)
{
	ui_ctx *c = k->ui;
	unsigned char mods[177 * 177];
	QRcode *q = QRcode_encodeString(data, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q)
		return;
	int n = q->width;
	for (int i = 0; i < n * n; i++)
		mods[i] = q->data[i] & 1;
	int side = r.w < r.h ? r.w : r.h;
	ui_rect sq = ui_center(r, side, side);
	/* dark on white whatever the theme, with the four-module quiet zone */
	ui_draw_rect(c, sq, (ui_color){ 255, 255, 255, 255 }, 0);
	int px = side / (n + 8);
	ui_draw_bitmap(c, ui_center(sq, px * n, px * n), mods, n, (ui_color){ 0, 0, 0, 255 });
	QRcode_free(q);
}

static void s_receipt(kiosk *k)
{
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	ui_rect body = chrome(k, T("receipt.title"));
	if (k->screen != KS_RECEIPT)
		return;
	ui_rect buttons = ui_cut_bottom(&body, t->primary);
	ui_cut_bottom(&body, t->gap);
	ui_rect bb[2];
	int printer = k->conf.printer[0] != '\0';
	if (printer)
		ui_columns(c, buttons, 2, t->gap * 2, bb);
	else
		bb[1] = buttons;
	if (printer && (ui_button(c, ID("receipt.print"), bb[0], T("receipt.print"), UI_BTN_NORMAL) & UI_RES_CLICK)) {
		const char *m = kiosk_print(k);
		set_msg(k, m, strcmp(m, "print.ok") != 0);
	}
	if (ui_button(c, ID("receipt.done"), bb[1], T("receipt.done"), UI_BTN_PRIMARY) & UI_RES_CLICK) {
		kiosk_wipe(k);
		return;
	}
	ui_rect msg = { 0, 0, 0, 0 };
	if (k->msg) {
		msg = ui_cut_bottom(&body, msg_height(k, body.w));
		ui_cut_bottom(&body, t->gap);
	}
	/* what the code is for and what the number is for: under the panel in portrait, in
	 * the QR code's column in landscape (the panel keeps its height for the number) */
	ui_rect side = portrait(k) ? body : ui_cut_end(c, &body, body.w * 2 / 5);
	if (!portrait(k))
		ui_cut_end(c, &body, t->gap * 2);
	int kh = ui_text_height(c, side.w, T("receipt.keep"), t->body, 0);
	ui_text(c, ui_cut_bottom(&side, kh), T("receipt.keep"), t->body, t->fg, UI_ALIGN_START);
	if (k->in.code[0]) {
		int hh = ui_text_height(c, side.w, T("receipt.code_hint"), t->body, UI_TEXT_BOLD);
		ui_text(c, ui_cut_bottom(&side, hh), T("receipt.code_hint"), t->body, t->fg, UI_ALIGN_START | UI_TEXT_BOLD);
	}
	ui_cut_bottom(&side, t->gap);
	if (portrait(k))
		body = side;
	ui_rect code = portrait(k) ? ui_cut_bottom(&body, body.h * 2 / 5) : side;
	qr(k, ui_inset(code, t->pad), k->in.ref);

	ui_draw_rect(c, body, t->panel, t->radius);
	ui_draw_frame(c, body, t->primary_bg, t->radius, t->border * 2);
	ui_rect in = ui_inset(body, t->pad);
	char grouped[40], shown[64];
	bw_ref_format(k->in.ref, " ", grouped, sizeof grouped);
	/* the reference keeps its digit order inside Arabic text */
	snprintf(shown, sizeof shown, LRI "%s" PDI, grouped);
	/* the labels, the deadline and the receipt code first (side by side); the reference
	 * as large as what is left allows */
	int lb = ui_line_height(c, UI_FONT_REGULAR, t->body), lbig = ui_line_height(c, UI_FONT_BOLD, t->big);
	ui_rect bottom = ui_cut_bottom(&in, lb + lbig), cols[2];
	ui_columns(c, bottom, 2, t->gap * 2, cols);
	ui_rect dlab = ui_cut_top(&cols[0], lb), dl = cols[0];
	ui_rect rlab = ui_cut_top(&in, lb);
	ui_text(c, rlab, T("receipt.ref"), t->body, t->muted, UI_ALIGN_START | UI_TEXT_NOWRAP);
	ui_text(c, dlab, T("receipt.deadline"), t->body, t->muted, UI_ALIGN_START | UI_TEXT_NOWRAP);
	char dtext[32];
	snprintf(dtext, sizeof dtext, LRI "%s" PDI, k->in.deadline);
	ui_text(c, dl, dtext, t->big, t->fg, UI_ALIGN_START | UI_TEXT_BOLD | UI_TEXT_NOWRAP);
	if (k->in.code[0]) {
		ui_rect clab = ui_cut_top(&cols[1], lb);
		ui_text(c, clab, T("receipt.code"), t->body, t->muted, UI_ALIGN_START | UI_TEXT_NOWRAP);
		snprintf(dtext, sizeof dtext, LRI "%s" PDI, k->in.code);
		ui_text(c, cols[1], dtext, t->big, t->fg, UI_ALIGN_START | UI_TEXT_BOLD | UI_TEXT_NOWRAP);
	}
	/* what the listen button reads: the speech spells the numbers and the date */
	char said[512];
	snprintf(said, sizeof said, "%s %s\n%s %s\n%s %s", T("receipt.ref"), k->in.ref, T("receipt.code"),
		 k->in.code, T("receipt.deadline"), k->in.deadline);
	ui_describe(c, UI_DESC_INFO, said);
	int big = t->title * 2;
	while (big > t->body && (ui_measure(c, shown, UI_FONT_BOLD, big) > in.w ||
				 ui_line_height(c, UI_FONT_BOLD, big) > in.h))
		big -= 2;
	ui_text(c, in, shown, big, t->fg, UI_ALIGN_START | UI_TEXT_BOLD | UI_TEXT_NOWRAP | UI_TEXT_VCENTER);
	if (msg.h > 0)
		message(k, msg);
}

/* ---- status ---- */

static void status_done(void *arg, const bw_status *st)
{
	kiosk *k = arg;
	/* a late answer after the citizen left the keypad is not shown to the next one */
	if (k->screen != KS_STATUS && k->screen != KS_STATUS_CODE)
		return;
	if (k->screen == KS_STATUS_CODE && st->found && st->code != BW_CODE_OK) {
		/* a wrong code: said so, and nothing more than the reference alone shows */
		ui_field_wipe(&k->f_code);
		if (++k->in.code_tries >= K_CODE_TRIES) {
			kiosk_goto(k, KS_STATUS_RESULT);
			set_msg(k, "status.code.too_many", 1);
		} else {
			set_msg(k, "status.code.wrong", 1);
		}
		return;
	}
	/* wrong codes count per reference until the wipe: searching again does not reset */
	if (strcmp(k->in.status.ref, st->ref) != 0)
		k->in.code_tries = 0;
	bw_status_clear(&k->in.status);
	bw_status_init(&k->in.status);
	k->in.status.found = st->found;
	k->in.status.from_local = st->from_local;
	k->in.status.code = st->code;
	memcpy(k->in.status.ref, st->ref, sizeof st->ref);
	k->in.status.kind = st->kind;
	k->in.status.state = st->state;
	memcpy(k->in.status.received_on, st->received_on, sizeof st->received_on);
	memcpy(k->in.status.deadline, st->deadline, sizeof st->deadline);
	for (size_t i = 0; i < st->nsteps; i++)
		bw_status_add_step(&k->in.status, st->steps[i].state, st->steps[i].at,
				   st->code == BW_CODE_OK ? st->steps[i].note : NULL);
	k->in.status_ready = 1;
	ui_field_wipe(&k->f_code);
	kiosk_goto(k, KS_STATUS_RESULT);
}

static void s_status(kiosk *k)
{
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	ui_rect body = chrome(k, T("status.title")), form, keys;
	if (k->screen != KS_STATUS)
		return;
	split(k, body, &form, &keys, 50);
	if (!portrait(k))
		keys = ui_center(keys, keys.w * 3 / 4, keys.h);
	int res = ui_keypad(c, ID("status.pad"), keys, &k->f_ref, T("status.search"));
	int h = ui_text(c, form, T("status.hint"), t->body, t->muted, UI_ALIGN_START);
	ui_cut_top(&form, h + t->gap);
	res |= ui_textbox(c, ID("status.ref"), ui_cut_top(&form, t->touch + t->pad * 2), &k->f_ref, NULL);
	ui_cut_top(&form, t->gap);
	ui_rect msg = ui_cut_top(&form, msg_height(k, form.w));

	/* checked as typed: the check digit tells a typo before anything is looked up */
	char ref[13];
	int rc = kiosk_ref_check(k->in.refq, ref);
	if (res & (UI_RES_CHANGE | UI_RES_REFUSED)) {
		if (rc == BW_EINVAL)
			set_msg(k, "status.bad_check", 1);
		else if (rc == BW_OK)
			set_msg(k, "status.ref_ok", 0);
		else
			k->msg = NULL;
	}
	if (res & UI_RES_SUBMIT) {
		if (rc == BW_EAGAIN)
			set_msg(k, "status.need12", 1);
		else if (rc == BW_EINVAL)
			set_msg(k, "status.bad_check", 1);
		else if (k->filer.query(k->filer.arg, ref, NULL, status_done, k, NULL) != BW_OK)
			set_msg(k, "status.failed", 1);
		else if (k->screen == KS_STATUS)
			set_msg(k, "status.wait", 0);
	}
	if (k->screen == KS_STATUS)
		message(k, msg);
}

static void s_status_result(kiosk *k)
{
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	const bw_status *st = &k->in.status;
	ui_rect body = chrome(k, T("status.result.title"));
	if (k->screen != KS_STATUS_RESULT)
		return;
	int locked = kiosk_status_locked(st);
	if (locked && k->in.code_tries < K_CODE_TRIES) {
		/* the answer is there, for the one who has the receipt's code */
		ui_rect bb[2];
		ui_columns(c, ui_cut_bottom(&body, t->primary), 2, t->gap * 2, bb);
		ui_cut_bottom(&body, t->gap);
		if (ui_button(c, ID("status.code.ask"), bb[0], T("status.code.ask"), UI_BTN_PRIMARY) & UI_RES_CLICK) {
			kiosk_goto(k, KS_STATUS_CODE);
			return;
		}
		if (ui_button(c, ID("receipt.done"), bb[1], T("receipt.done"), UI_BTN_NORMAL) & UI_RES_CLICK) {
			kiosk_wipe(k);
			return;
		}
	} else if (next_button(k, &body, "receipt.done")) {
		kiosk_wipe(k);
		return;
	}
	if (k->msg) {
		ui_rect mr = ui_cut_bottom(&body, msg_height(k, body.w));
		ui_cut_bottom(&body, t->gap);
		message(k, mr);
	}
	char key[48], line[96], grouped[40];
	if (st->from_local) {
		ui_rect lr = ui_cut_bottom(&body, ui_text_height(c, body.w, T("status.local"), t->body, 0));
		ui_cut_bottom(&body, t->gap / 2);
		ui_text(c, lr, T("status.local"), t->body, t->muted, UI_ALIGN_START);
	}
	if (!st->found) {
		ui_text(c, body, T("status.not_found"), t->big, t->fg, UI_ALIGN_CENTER | UI_TEXT_VCENTER);
		return;
	}
	bw_ref_format(st->ref, " ", grouped, sizeof grouped);
	snprintf(line, sizeof line, LRI "%s" PDI, grouped);
	int h = ui_text(c, body, line, t->title, t->fg, UI_ALIGN_START | UI_TEXT_BOLD);
	ui_cut_top(&body, h);
	snprintf(key, sizeof key, "state.%s", bw_state_name(st->state));
	h = ui_text(c, body, T(key), t->title, t->primary_bg.r == 255 ? t->fg : t->ok, UI_ALIGN_START | UI_TEXT_BOLD);
	ui_cut_top(&body, h + t->gap);
	if (bw_state_is_open(st->state)) {
		snprintf(line, sizeof line, "%s " LRI "%s" PDI, T("status.deadline"), st->deadline);
		h = ui_text(c, body, line, t->big, t->fg, UI_ALIGN_START);
		ui_cut_top(&body, h + t->gap);
	}
	/* the answer (or why it is locked) beside the timeline in landscape, under it in
	 * portrait: the timeline is found first, the answer drawn after it */
	ui_rect side = body;
	if (!portrait(k) && (locked || st->code == BW_CODE_OK)) {
		side = ui_cut_end(c, &body, body.w / 2);
		ui_cut_end(c, &body, t->gap * 2);
	}
	/* the timeline, oldest first, a dot per step along the start edge */
	const char *answer = NULL;
	for (size_t i = 0; i < st->nsteps; i++) {
		char day[11];
		bw_day_format(bw_legal_day(st->steps[i].at), day);
		snprintf(key, sizeof key, "state.%s", bw_state_name(st->steps[i].state));
		snprintf(line, sizeof line, LRI "%s" PDI "  %s", day, T(key));
		ui_rect r = ui_cut_top(&body, ui_line_height(c, UI_FONT_REGULAR, t->body));
		ui_rect dot = ui_cut_start(c, &r, r.h);
		ui_draw_rect(c, ui_center(dot, r.h / 2, r.h / 2), i + 1 == st->nsteps ? t->primary_bg : t->border_c, r.h / 4);
		ui_text(c, r, line, t->body, t->fg, UI_ALIGN_START | UI_TEXT_NOWRAP);
		/* notes only with the receipt code (the hub sends none without it) */
		if (st->code == BW_CODE_OK && st->steps[i].note &&
		    (st->steps[i].state == BW_ST_ANSWERED || st->steps[i].state == BW_ST_REJECTED))
			answer = st->steps[i].note;
	}
	if (side.x == body.x && side.w == body.w)
		side = body;  /* portrait: what the timeline left */
	if (answer && side.h > ui_line_height(c, UI_FONT_BOLD, t->body) * 2) {
		ui_cut_top(&side, t->gap);
		h = ui_text(c, side, T("status.answer"), t->body, t->muted, UI_ALIGN_START | UI_TEXT_BOLD | UI_TEXT_NOWRAP);
		ui_cut_top(&side, h);
		/* the agent's words (data), as much as the screen holds */
		ui_text(c, side, answer, t->body, t->fg, UI_ALIGN_START | UI_TEXT_AUTO | UI_TEXT_DATA | UI_TEXT_CLAMP);
	} else if (locked) {
		ui_cut_top(&side, t->gap);
		ui_text(c, side, T("status.code.locked"), t->body, t->muted, UI_ALIGN_START | UI_TEXT_CLAMP);
	}
}

static void show_switch(kiosk *k, ui_rect r, ui_field *f);

/* The receipt code: the numeric keypad again, then the same question with the code. */
static void s_status_code(kiosk *k)
{
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	ui_rect body = chrome(k, T("status.code.title")), form, keys;
	if (k->screen != KS_STATUS_CODE)
		return;
	split(k, body, &form, &keys, 50);
	if (!portrait(k))
		keys = ui_center(keys, keys.w * 3 / 4, keys.h);
	int res = ui_keypad(c, ID("code.pad"), keys, &k->f_code, T("status.read"));
	int h = ui_text(c, form, T("status.code.hint"), t->body, t->muted, UI_ALIGN_START);
	ui_cut_top(&form, h + t->gap);
	/* masked as typed (whoever could read the code over a shoulder could read the
	 * answer as well), with a switch to show it */
	ui_rect row = ui_cut_top(&form, t->touch + t->pad * 2);
	show_switch(k, ui_cut_end(c, &row, row.w / 3), &k->f_code);
	ui_cut_end(c, &row, t->gap);
	res |= ui_textbox(c, ID("status.code"), row, &k->f_code, NULL);
	ui_cut_top(&form, t->gap);
	ui_rect msg = ui_cut_top(&form, msg_height(k, form.w));
	if (res & UI_RES_CHANGE)
		k->msg = NULL;
	if (res & UI_RES_SUBMIT) {
		char code[BW_RCODE_LEN + 1];
		if (kiosk_code_check(k->in.codeq, code) != BW_OK)
			set_msg(k, "status.code.need4", 1);
		else if (k->filer.query(k->filer.arg, k->in.status.ref, code, status_done, k, NULL) != BW_OK)
			set_msg(k, "status.failed", 1);
		else if (k->screen == KS_STATUS_CODE && !k->msg)
			set_msg(k, "status.wait", 0);
		memset(code, 0, sizeof code);
	}
	if (k->screen == KS_STATUS_CODE)
		message(k, msg);
}

/* The "show" switch beside a masked field: an eye and the word; shows or masks it. */
static void show_switch(kiosk *k, ui_rect r, ui_field *f)
{
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	int down, on = !f->masked;
	ui_label_next(c, UI_ROLE_CHECKBOX, T("field.show"), NULL);
	c->next_state = on;
	if (ui_hit(c, ID("field.show"), r, &down) & UI_RES_CLICK)
		f->masked = !f->masked;
	ui_color fg = down || on ? t->sel_fg : t->btn_fg;
	ui_draw_rect(c, r, down || on ? t->sel : t->btn, t->radius);
	ui_draw_frame(c, r, t->border_c, t->radius, t->border);
	ui_rect in = ui_inset(r, t->pad / 2);
	ui_rect ic = ui_cut_start(c, &in, in.h < t->touch ? in.h : t->touch);
	ui_icon(c, ic, UI_ICON_EYE, fg);
	ui_text(c, in, T(on ? "field.hide" : "field.show"), t->body, fg, UI_ALIGN_CENTER | UI_TEXT_VCENTER | UI_TEXT_NOWRAP);
}

/* ---- agents ---- */

static void s_pin(kiosk *k)
{
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	ui_rect body = chrome(k, T("pin.title"));
	if (k->screen != KS_PIN)
		return;
	/* as wide as a key with its label at the theme's largest size needs, centred */
	int pw = ui_measure(c, T("pin.ok"), UI_FONT_BOLD, t->big) + t->pad * 2;
	pw = pw * 3 + t->gap;
	if (pw < t->touch * 7)
		pw = t->touch * 7;
	ui_rect pad = ui_center(body, pw, body.h);
	ui_rect shown = ui_cut_top(&pad, t->touch + t->pad);
	ui_cut_top(&pad, t->gap);
	ui_rect msg = ui_cut_top(&pad, msg_height(k, pad.w));
	ui_cut_top(&pad, t->gap);
	char dots[64] = "";
	for (int i = 0; i < k->f_pin.len && i < 16; i++)
		strcat(dots, "\xe2\x80\xa2 ");  /* a bullet per digit, unless shown */
	show_switch(k, ui_cut_end(c, &shown, shown.w / 3), &k->f_pin);
	ui_cut_end(c, &shown, t->gap);
	if (!k->f_pin.masked)
		snprintf(dots, sizeof dots, "%s", k->in.pin);
	ui_draw_rect(c, shown, t->field, t->radius / 2);
	ui_draw_frame(c, shown, t->focus, t->radius / 2, t->border * 2);
	ui_text(c, shown, dots, t->big, t->field_fg, UI_ALIGN_CENTER | UI_TEXT_VCENTER | UI_TEXT_NOWRAP);
	if (ui_keypad(c, ID("pin.pad"), pad, &k->f_pin, T("pin.ok")) & UI_RES_SUBMIT) {
		int ok = kiosk_pin_try(k, k->in.pin);
		if (ok == 1)
			k->quit = 1;
		else
			set_msg(k, ok < 0 || k->now < k->pin_until ? "pin.locked" : "pin.wrong", 1);
		ui_field_wipe(&k->f_pin);
	}
	message(k, msg);
}

static void (*const screens[KS_COUNT])(kiosk *) = {
	[KS_WELCOME] = s_welcome, [KS_HOME] = s_home, [KS_ADMIN] = s_admin,
	[KS_CATEGORY] = s_category, [KS_TEXT] = s_text, [KS_PHONE] = s_phone,
	[KS_REVIEW] = s_review, [KS_INFO_LAW] = s_info_law, [KS_INFO_NAME] = s_info_name,
	[KS_INFO_ID] = s_info_id, [KS_INFO_CONTACT] = s_info_contact, [KS_INFO_TEXT] = s_info_text,
	[KS_INFO_FORM] = s_info_form, [KS_RECEIPT] = s_receipt, [KS_STATUS] = s_status,
	[KS_STATUS_RESULT] = s_status_result, [KS_PIN] = s_pin, [KS_INFO_ADDRESS] = s_info_address,
	[KS_STATUS_CODE] = s_status_code,
};

void kiosk_draw_screen(kiosk *k)
{
	if (k->screen >= 0 && k->screen < KS_COUNT && screens[k->screen])
		screens[k->screen](k);
}

void kiosk_draw_warning(kiosk *k, int seconds)
{
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	char num[16];
	/* an opaque cover, not a veil: the next person in the queue must not read what the
	 * citizen who walked away typed; and a full-screen blend would cost the software
	 * renderer more than the rest of the frame */
	ui_draw_rect(c, c->screen, (ui_color){ 38, 42, 48, 255 }, 0);
	/* the panel as high as what it says: title, body, the countdown, the button */
	int w = c->screen.w * 3 / 4, iw = w - t->pad * 4;
	int th = ui_text_height(c, iw, T("idle.title"), t->title, UI_TEXT_BOLD);
	int bh = ui_text_height(c, iw, T("idle.body"), t->body, 0);
	int nh = ui_line_height(c, UI_FONT_BOLD, t->title * 2);
	ui_rect p = ui_center(c->screen, w, th + bh + nh + t->primary + t->gap * 3 + t->pad * 4);
	ui_draw_rect(c, p, t->panel, t->radius);
	ui_draw_frame(c, p, t->focus, t->radius, t->border * 2);
	ui_rect in = ui_inset(p, t->pad * 2);
	ui_rect go = ui_cut_bottom(&in, t->primary);
	ui_text(c, ui_cut_top(&in, th), T("idle.title"), t->title, t->fg, UI_ALIGN_CENTER | UI_TEXT_BOLD);
	ui_cut_top(&in, t->gap);
	ui_text(c, ui_cut_top(&in, bh), T("idle.body"), t->body, t->fg, UI_ALIGN_CENTER);
	ui_cut_top(&in, t->gap);
	snprintf(num, sizeof num, "%d", seconds);
	ui_text(c, ui_cut_top(&in, nh), num, t->title * 2, t->fg, UI_ALIGN_CENTER | UI_TEXT_VCENTER | UI_TEXT_BOLD);
	if (ui_button(c, ID("idle.continue"), go, T("idle.continue"), UI_BTN_PRIMARY) & UI_RES_CLICK) {
		k->last_input = k->now;
		k->warning = 0;
	}
}
