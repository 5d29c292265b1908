/* screens.c: what every kiosk screen shares (the chrome: back, listen, languages,
 * title, progress, offline indicator; the steps of the guided flows; the message line;
 * the keyboards and keypads beside a form; the show switch of a masked field), the table
 * of screens and the inactivity warning. The screens themselves are in screens_home.c
 * (welcome, home, the agent's PIN), screens_filing.c (the steps of a filing) and
 * screens_status.c (receipt, status). All text comes from bw_tr keys. */
#include "screen.h"

#include <stdio.h>

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

void ksc_next(kiosk *k)
{
	int n, i = step_of(k);
	const int *f = flow(k, &n);
	if (i >= 0 && i + 1 < n)
		kiosk_goto(k, f[i + 1]);
	if (skipped(k)) {
		if (k->screen == KS_CATEGORY)
			k->in.category = -1;
		ksc_next(k);
	}
}

void ksc_back(kiosk *k)
{
	int n, i = step_of(k);
	const int *f = flow(k, &n);
	if (i > 0) {
		kiosk_goto(k, f[i - 1]);
		if (skipped(k))
			ksc_back(k);
	} else if (k->screen == KS_HOME) {
		kiosk_wipe(k);
	} else if (k->screen == KS_STATUS_CODE) {
		ui_field_wipe(&k->f_code);
		kiosk_goto(k, KS_STATUS_RESULT);
	} else {
		kiosk_goto(k, KS_HOME);
	}
}

int ksc_portrait(const kiosk *k)
{
	return k->ui->screen.h > k->ui->screen.w;
}

void ksc_set_msg(kiosk *k, const char *key, int error)
{
	k->msg = key;
	k->msg_error = error;
}

/* ---- chrome ---- */

/* Header (back, languages), title, progress, footer; returns the content area. */
ui_rect ksc_chrome(kiosk *k, const char *title)
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
		ksc_back(k);
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
		int w = ui_measure(c, bw_tr_lang(kiosk_lang_code[i], "lang.name"), UI_FONT_REGULAR, t->body);
		lw = w > lw ? w : lw;
	}
	lw = (lw + t->pad * 2) * KL_COUNT + t->gap;
	ui_rect langs = ui_cut_end(c, &hb, lw > hb.w ? hb.w : lw);
	ui_rect lb[KL_COUNT];
	ui_columns(c, langs, KL_COUNT, t->gap / 2, lb);
	for (int i = 0; i < KL_COUNT; i++) {
		const char *name = bw_tr_lang(kiosk_lang_code[i], "lang.name");
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
int ksc_msg_height(kiosk *k, int w)
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
void ksc_message(kiosk *k, ui_rect r)
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
void ksc_split(kiosk *k, ui_rect body, ui_rect *form, ui_rect *keys, int keys_share)
{
	const ui_theme *t = &k->ui->theme;
	if (ksc_portrait(k)) {
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
int ksc_keyboard(kiosk *k, ui_rect r, ui_field *f)
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
		snprintf(key, sizeof key, "kbd.%s", kiosk_lang_code[i]);
		c->lang = i + 1;
		int res = ui_button(c, ui_id_mix(ID("kbd.sel"), i), sb[i], bw_tr_lang(kiosk_lang_code[i], "kbd.name"),
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
int ksc_contact_keys(kiosk *k, ui_rect r, ui_field *f)
{
	static const char *const extra[] = { "+", "@", ".", NULL };
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	if (!k->letters) {
		if (!ksc_portrait(k))
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
	return ksc_keyboard(k, r, f);
}

/* A primary "next" button at the bottom of r; returns 1 when tapped. */
int ksc_next_button(kiosk *k, ui_rect *r, const char *key)
{
	const ui_theme *t = &k->ui->theme;
	ui_rect b = ui_cut_bottom(r, t->primary);
	ui_cut_bottom(r, t->gap);
	return ui_button(k->ui, ID(key), b, T(key), UI_BTN_PRIMARY) & UI_RES_CLICK;
}

/* The "show" switch beside a masked field: an eye and the word; shows or masks it. */
void ksc_show_switch(kiosk *k, ui_rect r, ui_field *f)
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

static void (*const screens[KS_COUNT])(kiosk *) = {
	[KS_WELCOME] = ksc_welcome, [KS_HOME] = ksc_home, [KS_ADMIN] = ksc_admin,
	[KS_CATEGORY] = ksc_category, [KS_TEXT] = ksc_text, [KS_PHONE] = ksc_phone,
	[KS_REVIEW] = ksc_review, [KS_INFO_LAW] = ksc_info_law, [KS_INFO_NAME] = ksc_info_name,
	[KS_INFO_ID] = ksc_info_id, [KS_INFO_CONTACT] = ksc_info_contact, [KS_INFO_TEXT] = ksc_info_text,
	[KS_INFO_FORM] = ksc_info_form, [KS_RECEIPT] = ksc_receipt, [KS_STATUS] = ksc_status,
	[KS_STATUS_RESULT] = ksc_status_result, [KS_PIN] = ksc_pin, [KS_INFO_ADDRESS] = ksc_info_address,
	[KS_STATUS_CODE] = ksc_status_code,
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
