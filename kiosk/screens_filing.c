/* screens_filing.c: the steps of a filing, in their order: administration, category,
 * the free text, the phone (with its consent), the information request's law notice,
 * name, identity number, contact, form of the answer, postal address, and the review
 * before sending. */
#include "screen.h"

#include <stdio.h>
#include <string.h>

#include "bw_phone.h"

/* ---- the filing flow ---- */

void ksc_admin(kiosk *k)
{
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	ui_rect body = ksc_chrome(k, T("admin.title")), form, keys;
	if (k->screen != KS_ADMIN)
		return;
	ksc_split(k, body, &form, &keys, 45);
	ksc_keyboard(k, keys, &k->f_search);
	ui_rect sr = ui_cut_top(&form, t->touch + t->pad);
	ui_cut_top(&form, t->gap);
	if (ui_textbox(c, ID("admin.search"), sr, &k->f_search, T("admin.search")) & UI_RES_CHANGE)
		k->list.top = 0;
	int pick = ui_listbox(c, ID("admin.list"), form, &k->list, k->admin_names, k->nadmins,
			      k->in.search, t->touch + t->pad, T("admin.none"));
	if (pick >= 0) {
		k->in.admin = pick;
		k->in.category = -1;
		ksc_next(k);
	}
}

void ksc_category(kiosk *k)
{
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	ui_rect body = ksc_chrome(k, T("category.title"));
	if (k->screen != KS_CATEGORY)
		return;
	ui_rect other = ui_cut_bottom(&body, t->primary);
	ui_cut_bottom(&body, t->gap);
	int pick = ui_listbox(c, ID("category.list"), body, &k->list, k->cat_names, k->ncats, "",
			      t->touch + t->pad, NULL);
	if (pick >= 0) {
		k->in.category = pick;
		ksc_next(k);
	} else if (ui_button(c, ID("category.other"), other, T("category.other"), UI_BTN_NORMAL) & UI_RES_CLICK) {
		k->in.category = -1;
		ksc_next(k);
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
	ui_rect body = ksc_chrome(k, T(title)), form, keys;
	if (k->screen != scr)
		return;
	ksc_split(k, body, &form, &keys, 45);
	int kr = f == &k->f_contact ? ksc_contact_keys(k, keys, f) : ksc_keyboard(k, keys, f);
	if (kr & UI_RES_CHANGE)
		k->msg = NULL;
	int go = ksc_next_button(k, &form, "nav.next") || (kr & UI_RES_SUBMIT);
	ui_rect msg = ui_cut_bottom(&form, ksc_msg_height(k, form.w));
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
		ksc_set_msg(k, "field.too_long", 1);
	if (res & UI_RES_SUBMIT)
		go = 1;
	if (go) {
		if (blank(f->buf))
			ksc_set_msg(k, empty_msg, 1);
		else if (valid && !valid(f->buf))
			ksc_set_msg(k, invalid_msg, 1);
		else
			ksc_next(k);
	}
	if (k->screen == scr)
		ksc_message(k, msg);
}

void ksc_text(kiosk *k)
{
	field_screen(k, "text.title", "text.hint", &k->f_text, "text.empty", NULL, NULL);
}

void ksc_info_text(kiosk *k)
{
	field_screen(k, "info.text.title", "info.text.hint", &k->f_text, "text.empty", NULL, NULL);
}

void ksc_info_name(kiosk *k)
{
	field_screen(k, "info.name.title", "info.name.hint", &k->f_name, "info.name.empty", NULL, NULL);
}

void ksc_info_contact(kiosk *k)
{
	field_screen(k, "info.contact.title", "info.contact.hint", &k->f_contact, "info.contact.empty", NULL, NULL);
}

/* Law 31.13: a request gives a postal address; asked only when the answer goes by post. */
void ksc_info_address(kiosk *k)
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

void ksc_info_id(kiosk *k)
{
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	ui_rect body = ksc_chrome(k, T("info.id.title"));
	if (k->screen != KS_INFO_ID)
		return;
	/* letters on an AZERTY keyboard and digits on a keypad, side by side */
	ui_rect keys = ui_cut_bottom(&body, body.h / 2);
	ui_rect pad = ui_cut_end(c, &keys, keys.w / 3);
	ui_cut_end(c, &keys, t->gap * 2);
	int res = ui_keyboard(c, ID("id.kbd"), keys, &ui_kbd_id, &k->shift, &k->f_id);
	res |= ui_keypad(c, ID("id.pad"), pad, &k->f_id, T("nav.next"));
	ui_cut_bottom(&body, t->gap);
	ui_rect msg = ui_cut_bottom(&body, ksc_msg_height(k, body.w));
	int h = ui_text(c, body, T("info.id.hint"), t->body, t->muted, UI_ALIGN_START);
	ui_cut_top(&body, h + t->gap);
	ui_rect box = ui_cut_top(&body, t->touch + t->pad * 2);
	res |= ui_textbox(c, ID("info.id"), box, &k->f_id, NULL);
	if (res & UI_RES_CHANGE)
		k->msg = NULL;
	if (res & UI_RES_SUBMIT) {
		if (!id_ok(k->in.idnum))
			ksc_set_msg(k, "info.id.invalid", 1);
		else
			ksc_next(k);
	}
	if (k->screen == KS_INFO_ID)
		ksc_message(k, msg);
}

/* The phone number (law 09-08): the notice, the consent and the message on one side; the
 * field, the keypad (its OK goes on) and "skip" on the other (under them in portrait). */
void ksc_phone(kiosk *k)
{
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	ui_rect body = ksc_chrome(k, T("phone.title")), form, keys;
	if (k->screen != KS_PHONE)
		return;
	if (ksc_portrait(k)) {
		ksc_split(k, body, &form, &keys, 48);
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
	if (k->msg && form.h - nh - ch - 2 * t->gap < ksc_msg_height(k, form.w)) {
		msg = ui_cut_top(&keys, ksc_msg_height(k, keys.w));
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
		msg = ui_cut_top(&form, ksc_msg_height(k, form.w));
	res |= ui_textbox(c, ID("phone.field"), fr, &k->f_phone, T("phone.placeholder"));
	if (res & UI_RES_CHANGE)
		k->msg = NULL;
	if (skip) {
		ui_field_wipe(&k->f_phone);
		k->in.consent = 0;
		ksc_next(k);
	} else if (go) {
		char norm[14];
		if (!k->in.phone[0]) {
			k->in.consent = 0;
			ksc_next(k);
		} else if (!k->in.consent) {
			ksc_set_msg(k, "phone.need_consent", 1);
		} else if (bw_phone_normalize(k->in.phone, norm, NULL) != BW_OK) {
			ksc_set_msg(k, "phone.invalid", 1);
		} else {
			ksc_next(k);
		}
	}
	if (k->screen == KS_PHONE && msg.h > 0)
		ksc_message(k, msg);
}

void ksc_info_law(kiosk *k)
{
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	ui_rect body = ksc_chrome(k, T("info.law.title"));
	if (k->screen != KS_INFO_LAW)
		return;
	if (ksc_next_button(k, &body, "nav.continue")) {
		ksc_next(k);
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

void ksc_info_form(kiosk *k)
{
	static const struct { const char *key; int form; } forms[4] = {
		{ "form.onsite", BW_FORM_ONSITE }, { "form.email", BW_FORM_EMAIL },
		{ "form.sms", BW_FORM_SMS }, { "form.paper", BW_FORM_PAPER },
	};
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	ui_rect body = ksc_chrome(k, T("info.form.title"));
	if (k->screen != KS_INFO_FORM)
		return;
	int go = ksc_next_button(k, &body, "nav.next");
	ui_rect msg = ui_cut_bottom(&body, ksc_msg_height(k, body.w));
	/* four in a row in landscape, two by two in portrait */
	ui_rect cb[4];
	if (ksc_portrait(k))
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
			ksc_set_msg(k, "info.form.empty", 1);
		else
			ksc_next(k);
	}
	if (k->screen == KS_INFO_FORM)
		ksc_message(k, msg);
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
void ksc_review(kiosk *k)
{
	static const char *const kind_key[BW_KIND_COUNT] = { "kind.complaint", "kind.observation", "kind.suggestion", "kind.info" };
	static const char *const form_key[BW_FORM_COUNT] = { "", "form.paper", "form.email", "form.onsite", "form.sms" };
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	ui_rect body = ksc_chrome(k, T("review.title"));
	if (k->screen != KS_REVIEW)
		return;
	if (ksc_next_button(k, &body, "review.submit")) {
		bw_err e;
		if (kiosk_submit(k, &e) != BW_OK)
			ksc_set_msg(k, "review.failed", 1);
		if (k->screen != KS_REVIEW)
			return;
	}
	if (k->msg) {
		ui_rect msg = ui_cut_bottom(&body, ksc_msg_height(k, body.w));
		ui_cut_bottom(&body, t->gap);
		ksc_message(k, msg);
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
	int cols = ksc_portrait(k) || n < 4 ? 1 : 2, per = (n + cols - 1) / cols;
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

