/* screens_status.c: the end of a filing and the way back to it: the receipt (reference,
 * QR code, receipt code, deadline, printing) and the status of a request (the reference
 * typed, the timeline, the answer behind the receipt code). */
#include "screen.h"

#include <qrencode.h>
#include <stdio.h>
#include <string.h>

#include "bw_calendar.h"
#include "bw_clock.h"
#include "bw_ref.h"
#include "bw_state.h"

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

/* The receipt's panel: the reference as large as the panel allows, under it the
 * deadline and the receipt code side by side; and what the listen button reads. */
static void receipt_panel(kiosk *k, ui_rect body)
{
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
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
}

void ksc_receipt(kiosk *k)
{
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	ui_rect body = ksc_chrome(k, T("receipt.title"));
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
		ksc_set_msg(k, m, strcmp(m, "print.ok") != 0);
	}
	if (ui_button(c, ID("receipt.done"), bb[1], T("receipt.done"), UI_BTN_PRIMARY) & UI_RES_CLICK) {
		kiosk_wipe(k);
		return;
	}
	ui_rect msg = { 0, 0, 0, 0 };
	if (k->msg) {
		msg = ui_cut_bottom(&body, ksc_msg_height(k, body.w));
		ui_cut_bottom(&body, t->gap);
	}
	/* what the code is for and what the number is for: under the panel in portrait, in
	 * the QR code's column in landscape (the panel keeps its height for the number) */
	ui_rect side = ksc_portrait(k) ? body : ui_cut_end(c, &body, body.w * 2 / 5);
	if (!ksc_portrait(k))
		ui_cut_end(c, &body, t->gap * 2);
	int kh = ui_text_height(c, side.w, T("receipt.keep"), t->body, 0);
	ui_text(c, ui_cut_bottom(&side, kh), T("receipt.keep"), t->body, t->fg, UI_ALIGN_START);
	if (k->in.code[0]) {
		int hh = ui_text_height(c, side.w, T("receipt.code_hint"), t->body, UI_TEXT_BOLD);
		ui_text(c, ui_cut_bottom(&side, hh), T("receipt.code_hint"), t->body, t->fg, UI_ALIGN_START | UI_TEXT_BOLD);
	}
	ui_cut_bottom(&side, t->gap);
	if (ksc_portrait(k))
		body = side;
	ui_rect code = ksc_portrait(k) ? ui_cut_bottom(&body, body.h * 2 / 5) : side;
	qr(k, ui_inset(code, t->pad), k->in.ref);

	receipt_panel(k, body);
	if (msg.h > 0)
		ksc_message(k, msg);
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
			ksc_set_msg(k, "status.code.too_many", 1);
		} else {
			ksc_set_msg(k, "status.code.wrong", 1);
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

void ksc_status(kiosk *k)
{
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	ui_rect body = ksc_chrome(k, T("status.title")), form, keys;
	if (k->screen != KS_STATUS)
		return;
	ksc_split(k, body, &form, &keys, 50);
	if (!ksc_portrait(k))
		keys = ui_center(keys, keys.w * 3 / 4, keys.h);
	int res = ui_keypad(c, ID("status.pad"), keys, &k->f_ref, T("status.search"));
	int h = ui_text(c, form, T("status.hint"), t->body, t->muted, UI_ALIGN_START);
	ui_cut_top(&form, h + t->gap);
	res |= ui_textbox(c, ID("status.ref"), ui_cut_top(&form, t->touch + t->pad * 2), &k->f_ref, NULL);
	ui_cut_top(&form, t->gap);
	ui_rect msg = ui_cut_top(&form, ksc_msg_height(k, form.w));

	/* checked as typed: the check digit tells a typo before anything is looked up */
	char ref[13];
	int rc = kiosk_ref_check(k->in.refq, ref);
	if (res & (UI_RES_CHANGE | UI_RES_REFUSED)) {
		if (rc == BW_EINVAL)
			ksc_set_msg(k, "status.bad_check", 1);
		else if (rc == BW_OK)
			ksc_set_msg(k, "status.ref_ok", 0);
		else
			k->msg = NULL;
	}
	if (res & UI_RES_SUBMIT) {
		if (rc == BW_EAGAIN)
			ksc_set_msg(k, "status.need12", 1);
		else if (rc == BW_EINVAL)
			ksc_set_msg(k, "status.bad_check", 1);
		else if (k->filer.query(k->filer.arg, ref, NULL, status_done, k, NULL) != BW_OK)
			ksc_set_msg(k, "status.failed", 1);
		else if (k->screen == KS_STATUS)
			ksc_set_msg(k, "status.wait", 0);
	}
	if (k->screen == KS_STATUS)
		ksc_message(k, msg);
}

/* The timeline cut from the top of body, oldest first, a dot per step along the start
 * edge. Returns the answer (or the refusal) to show, if the receipt code was given: the
 * hub sends no note without it. */
static const char *status_timeline(kiosk *k, ui_rect *body, const bw_status *st)
{
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	char key[48], line[96];
	const char *answer = NULL;
	for (size_t i = 0; i < st->nsteps; i++) {
		char day[11];
		bw_day_format(bw_legal_day(st->steps[i].at), day);
		snprintf(key, sizeof key, "state.%s", bw_state_name(st->steps[i].state));
		snprintf(line, sizeof line, LRI "%s" PDI "  %s", day, T(key));
		ui_rect r = ui_cut_top(body, ui_line_height(c, UI_FONT_REGULAR, t->body));
		ui_rect dot = ui_cut_start(c, &r, r.h);
		ui_draw_rect(c, ui_center(dot, r.h / 2, r.h / 2), i + 1 == st->nsteps ? t->primary_bg : t->border_c, r.h / 4);
		ui_text(c, r, line, t->body, t->fg, UI_ALIGN_START | UI_TEXT_NOWRAP);
		/* notes only with the receipt code (the hub sends none without it) */
		if (st->code == BW_CODE_OK && st->steps[i].note &&
		    (st->steps[i].state == BW_ST_ANSWERED || st->steps[i].state == BW_ST_REJECTED))
			answer = st->steps[i].note;
	}
	return answer;
}

void ksc_status_result(kiosk *k)
{
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	const bw_status *st = &k->in.status;
	ui_rect body = ksc_chrome(k, T("status.result.title"));
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
	} else if (ksc_next_button(k, &body, "receipt.done")) {
		kiosk_wipe(k);
		return;
	}
	if (k->msg) {
		ui_rect mr = ui_cut_bottom(&body, ksc_msg_height(k, body.w));
		ui_cut_bottom(&body, t->gap);
		ksc_message(k, mr);
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
	if (!ksc_portrait(k) && (locked || st->code == BW_CODE_OK)) {
		side = ui_cut_end(c, &body, body.w / 2);
		ui_cut_end(c, &body, t->gap * 2);
	}
	const char *answer = status_timeline(k, &body, st);
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

/* The receipt code: the numeric keypad again, then the same question with the code. */
void ksc_status_code(kiosk *k)
{
	ui_ctx *c = k->ui;
	const ui_theme *t = &c->theme;
	ui_rect body = ksc_chrome(k, T("status.code.title")), form, keys;
	if (k->screen != KS_STATUS_CODE)
		return;
	ksc_split(k, body, &form, &keys, 50);
	if (!ksc_portrait(k))
		keys = ui_center(keys, keys.w * 3 / 4, keys.h);
	int res = ui_keypad(c, ID("code.pad"), keys, &k->f_code, T("status.read"));
	int h = ui_text(c, form, T("status.code.hint"), t->body, t->muted, UI_ALIGN_START);
	ui_cut_top(&form, h + t->gap);
	/* masked as typed (whoever could read the code over a shoulder could read the
	 * answer as well), with a switch to show it */
	ui_rect row = ui_cut_top(&form, t->touch + t->pad * 2);
	ksc_show_switch(k, ui_cut_end(c, &row, row.w / 3), &k->f_code);
	ui_cut_end(c, &row, t->gap);
	res |= ui_textbox(c, ID("status.code"), row, &k->f_code, NULL);
	ui_cut_top(&form, t->gap);
	ui_rect msg = ui_cut_top(&form, ksc_msg_height(k, form.w));
	if (res & UI_RES_CHANGE)
		k->msg = NULL;
	if (res & UI_RES_SUBMIT) {
		char code[BW_RCODE_LEN + 1];
		if (kiosk_code_check(k->in.codeq, code) != BW_OK)
			ksc_set_msg(k, "status.code.need4", 1);
		else if (k->filer.query(k->filer.arg, k->in.status.ref, code, status_done, k, NULL) != BW_OK)
			ksc_set_msg(k, "status.failed", 1);
		else if (k->screen == KS_STATUS_CODE && !k->msg)
			ksc_set_msg(k, "status.wait", 0);
		memset(code, 0, sizeof code);
	}
	if (k->screen == KS_STATUS_CODE)
		ksc_message(k, msg);
}

