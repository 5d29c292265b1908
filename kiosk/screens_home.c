/* screens_home.c: the kiosk's screens outside a filing's steps: welcome (the three
 * languages, the accessibility switches, the agents' hidden tap), home (the four actions
 * and the status), and the agent's PIN pad. */
#include "screen.h"

#include <stdio.h>
#include <string.h>

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
		ui_text(c, lines[i], bw_tr_lang(kiosk_lang_code[i], key), t->small, fg,
			UI_ALIGN_START | UI_TEXT_VCENTER | UI_TEXT_NOWRAP);
	}
	c->rtl = rtl;
	c->lang = k->lang + 1;
	return (res & UI_RES_CLICK) != 0;
}

void ksc_welcome(kiosk *k)
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
		ui_text(c, lines[i], bw_tr_lang(kiosk_lang_code[i], "welcome.title"), t->title, t->fg,
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
	ui_rect lr = ui_center(all, ksc_portrait(k) ? all.w * 4 / 5 : all.w, ksc_portrait(k) ? all.h : all.h * 3 / 5);
	if (ksc_portrait(k))
		ui_rows(lr, KL_COUNT, t->gap * 2, langs);
	else
		ui_columns(c, lr, KL_COUNT, t->gap * 2, langs);
	for (int i = 0; i < KL_COUNT; i++) {
		int rtl2 = c->rtl;
		c->rtl = i == KL_AR;
		c->lang = i + 1;
		int res = ui_button(c, ui_id_mix(ID("welcome.lang"), i), langs[i],
				    bw_tr_lang(kiosk_lang_code[i], "welcome.start"), UI_BTN_PRIMARY);
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
	ui_columns(c, ui_center(a11y, ksc_portrait(k) ? a11y.w : a11y.w * 2 / 3, a11y.h), 2, t->gap * 2, ab);
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

void ksc_home(kiosk *k)
{
	static const struct { const char *glyph, *label, *desc; int kind; } acts[4] = {
		{ "!", "home.complaint", "home.complaint.desc", BW_KIND_COMPLAINT },
		{ "i", "home.observation", "home.observation.desc", BW_KIND_OBSERVATION },
		{ "+", "home.suggestion", "home.suggestion.desc", BW_KIND_SUGGESTION },
		{ "?", "home.info", "home.info.desc", BW_KIND_INFO },
	};
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	ui_rect body = ksc_chrome(k, T("home.title"));
	if (k->screen != KS_HOME)
		return;
	ui_rect st = ui_cut_bottom(&body, t->primary);
	ui_cut_bottom(&body, t->gap * 2);
	ui_rect cells[4];
	if (ksc_portrait(k))
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

/* ---- agents ---- */

void ksc_pin(kiosk *k)
{
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	ui_rect body = ksc_chrome(k, T("pin.title"));
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
	ui_rect msg = ui_cut_top(&pad, ksc_msg_height(k, pad.w));
	ui_cut_top(&pad, t->gap);
	char dots[64] = "";
	for (int i = 0; i < k->f_pin.len && i < 16; i++)
		strcat(dots, "\xe2\x80\xa2 ");  /* a bullet per digit, unless shown */
	ksc_show_switch(k, ui_cut_end(c, &shown, shown.w / 3), &k->f_pin);
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
			ksc_set_msg(k, ok < 0 || k->now < k->pin_until ? "pin.locked" : "pin.wrong", 1);
		ui_field_wipe(&k->f_pin);
	}
	ksc_message(k, msg);
}

