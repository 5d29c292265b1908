/* dialogs.c: the agent console's dialogs, one per action that needs more than a click:
 * assign (to an agent or the information officer), answer, extend, reject (with its
 * legal reason), reopen, a request filed at the desk, and the queue's filter. */
#include "screen.h"

#include <stdio.h>
#include <string.h>

#include "bw_uuid.h"

/* ---- dialogs ---- */

static void modal_buttons(ag_console *c, ui_rect *r, const char *ok_key, int ok_enabled, int *ok, int *cancel)
{
	ui_ctx *ctx = c->ui;
	const ui_theme *t = &ctx->theme;
	ui_rect row = ui_cut_bottom(r, t->primary);
	ui_rect b2[2];
	ui_columns(ctx, (ui_rect){ row.x + row.w / 3, row.y, row.w * 2 / 3, row.h }, 2, ags_px(c, 12), b2);
	if (ctx->rtl)
		ui_columns(ctx, (ui_rect){ row.x, row.y, row.w * 2 / 3, row.h }, 2, ags_px(c, 12), b2);
	ags_spot(c, "modal.cancel", b2[1]);
	ags_spot(c, "modal.ok", b2[0]);
	*cancel = ags_btn(c, ui_id_str("m.cancel"), b2[1], T("agent.cancel"), UI_BTN_NORMAL) & UI_RES_CLICK;
	if (c->modal_corr) {
		ui_draw_rect(ctx, b2[0], t->bg, t->radius);
		ags_cell(ctx, b2[0], T("agent.sending"), t->body, t->muted, UI_ALIGN_CENTER);
		*ok = 0;
	} else {
		*ok = ags_btn(c, ui_id_str("m.ok"), b2[0], T(ok_key), ok_enabled ? UI_BTN_PRIMARY : UI_BTN_NORMAL) & UI_RES_CLICK;
		if (*ok && !ok_enabled) {
			bw_strlcpy(c->modal_error, T("agent.msg.note_needed"), sizeof c->modal_error);
			*ok = 0;
		}
	}
	ui_cut_bottom(r, ags_px(c, 10));
	if (c->modal_error[0]) {
		ui_rect er = ui_cut_bottom(r, ui_line_height(ctx, UI_FONT_BOLD, t->body) + ags_px(c, 8));
		ui_draw_rect(ctx, er, t->error, t->radius / 2);
		ags_cell(ctx, ui_inset(er, ags_px(c, 4)), c->modal_error, t->body, t->error_fg, UI_ALIGN_START | UI_TEXT_BOLD | UI_TEXT_AUTO);
		ui_cut_bottom(r, ags_px(c, 8));
	}
}

/* A dialog's card, w x h px at 1080p (the screen less a margin at most), centred over the
 * page, and its title ({ref}: the selected request). Returns the room under the title. */
static ui_rect dialog(ag_console *c, int w, int h, const char *title_key)
{
	ui_ctx *ctx = c->ui;
	ui_rect r = ui_center(ctx->screen, ags_px(c, w), ags_px(c, h));
	if (r.h > ctx->screen.h - 20)
		r = ui_inset(ctx->screen, 10);
	ags_panel(c, r);
	r = ui_inset(r, ags_px(c, 20));
	char buf[300];
	ags_subst(buf, sizeof buf, T(title_key), "ref", c->model.selected, NULL);
	ags_line(c, &r, buf, ctx->theme.title, ctx->theme.fg, UI_TEXT_BOLD);
	return r;
}

static void modal_note(ag_console *c, const char *title_key, const char *hint_key, const char *ok_key, int to,
                       int note_required)
{
	ui_ctx *ctx = c->ui;
	const ui_theme *t = &ctx->theme;
	ui_rect r = dialog(c, 1000, 560, title_key);
	/* the hint as high as it wraps to */
	ui_rect hint = ui_cut_top(&r, ui_text_height(ctx, r.w, T(hint_key), t->body, 0));
	ui_text(ctx, hint, T(hint_key), t->body, t->muted, UI_ALIGN_START);
	ui_cut_top(&r, ags_px(c, 6));
	int ok, cancel;
	modal_buttons(c, &r, ok_key, !note_required || ui_field_chars(&c->f_note) > 0, &ok, &cancel);
	ui_cut_bottom(&r, ags_px(c, 6));
	ags_spot(c, "modal.note", r);
	ui_textbox(ctx, ui_id_str("m.note"), r, &c->f_note, T("agent.note.placeholder"));
	if (cancel)
		ags_close_modal(c);
	else if (ok)
		ags_send_move(c, to, c->note, "");
}

static void modal_assign(ag_console *c)
{
	ui_ctx *ctx = c->ui;
	const ag_row *row = ags_selected_row(c);
	ui_rect r = dialog(c, 1000, 560, "agent.assign.title");
	char buf[600];
	const bw_admin *a = row ? ags_admin_of(c, row->admin) : NULL;
	const char *aname = row ? ags_admin_name(c, row->admin) : "";
	ui_rect ch = ui_cut_top(&r, ags_px(c, 70));
	ags_subst(buf, sizeof buf, T("agent.assign.admin"), "admin", aname, NULL);
	if (ags_btn(c, ui_id_str("m.adm"), ch, buf, !c->officer ? UI_BTN_SELECTED : UI_BTN_NORMAL) & UI_RES_CLICK)
		c->officer = 0;
	ui_cut_top(&r, ags_px(c, 10));
	ch = ui_cut_top(&r, ags_px(c, 70));
	ags_subst(buf, sizeof buf, T("agent.assign.officer"), "admin", aname, "officer", a ? a->officer : "", NULL);
	if (ags_btn(c, ui_id_str("m.off"), ch, buf, c->officer ? UI_BTN_SELECTED : UI_BTN_NORMAL) & UI_RES_CLICK)
		c->officer = 1;
	ui_cut_top(&r, ags_px(c, 10));
	int ok, cancel;
	modal_buttons(c, &r, "agent.act.assign", 1, &ok, &cancel);
	ui_cut_bottom(&r, ags_px(c, 6));
	ui_textbox(ctx, ui_id_str("m.note"), r, &c->f_note, T("agent.note.optional"));
	if (cancel) {
		ags_close_modal(c);
	} else if (ok && row) {
		/* the note names who it goes to: the store wants it, the timeline shows it */
		char note[BW_CHARS(BW_AGENT_NOTE_MAX)];
		snprintf(note, sizeof note, "%s %s%s%.7000s", c->officer ? "information-officer" : "administration",
			 row->admin, c->note[0] ? ": " : "", c->note);
		ags_send_move(c, BW_ST_ASSIGNED, note, "");
	}
}

static void modal_reject(ag_console *c)
{
	ui_ctx *ctx = c->ui;
	const ui_theme *t = &ctx->theme;
	const ag_row *row = ags_selected_row(c);
	ui_rect r = dialog(c, 1100, 760, "agent.reject.title");
	ags_line(c, &r, T("agent.reject.hint"), t->body, t->muted, 0);
	const bw_refusal *rf = bw_refusals();
	int info = row && row->kind == BW_KIND_INFO;
	for (int i = 0; rf[i].code; i++) {
		if (rf[i].info != info)
			continue;
		ui_rect b = ui_cut_top(&r, ags_px(c, 50));
		ui_cut_top(&r, ags_px(c, 6));
		if (ags_btn(c, ui_id_mix(ui_id_str("m.reason"), i), b, ags_tr2("agent.refusal.", rf[i].code),
			      c->reason == i ? UI_BTN_SELECTED : UI_BTN_NORMAL) & UI_RES_CLICK)
			c->reason = i;
	}
	int ok, cancel;
	modal_buttons(c, &r, "agent.act.reject", c->reason >= 0, &ok, &cancel);
	if (c->modal_error[0] && c->reason < 0)
		bw_strlcpy(c->modal_error, T("agent.msg.reason_needed"), sizeof c->modal_error);
	ui_cut_bottom(&r, ags_px(c, 6));
	ui_textbox(ctx, ui_id_str("m.note"), r, &c->f_note, T("agent.note.optional"));
	if (cancel)
		ags_close_modal(c);
	else if (ok)
		ags_send_move(c, BW_ST_REJECTED, c->note, rf[c->reason].code);
}

static void send_file(ag_console *c)
{
	bw_agent_cmd cmd;
	bw_agent_cmd_init(&cmd);
	cmd.op = BW_AOP_FILE;
	bw_request *r = bw_xcalloc(1, sizeof *r);
	bw_request_init(r);
	r->kind = c->file_kind;
	r->channel = BW_CHANNEL_DESK;
	/* the filing's own uid: sent again, it is filed once (the hub answers with the row) */
	if (bw_uuid_v7(r->uid, NULL) != BW_OK)
		bw_strlcpy(r->uid, "00000000-0000-7000-8000-000000000000", sizeof r->uid);  /* the hub makes one */
	bw_strlcpy(r->admin, c->nadmins ? c->admins[c->file_admin].code : "", sizeof r->admin);
	bw_strlcpy(r->site, c->site, sizeof r->site);
	bw_strlcpy(r->lang, ag_lang_code(c->lang), sizeof r->lang);
	bw_strlcpy(r->text, c->f_text_buf, sizeof r->text);
	bw_strlcpy(r->phone, c->f_phone_buf, sizeof r->phone);
	r->consent = r->phone[0] != '\0';
	if (r->kind == BW_KIND_INFO) {
		bw_strlcpy(r->name, c->f_name_buf, sizeof r->name);
		bw_strlcpy(r->id_number, c->f_id_buf, sizeof r->id_number);
		bw_strlcpy(r->contact, c->f_contact_buf, sizeof r->contact);
		r->form = BW_FORM_ONSITE;
	}
	cmd.request = r;
	c->modal_corr = ags_send_cmd(c, &cmd, NULL);
	bw_agent_cmd_clear(&cmd);
}

static void modal_file(ag_console *c)
{
	ui_ctx *ctx = c->ui;
	const ui_theme *t = &ctx->theme;
	ui_rect r = dialog(c, 1200, 820, "agent.file.title");
	ui_rect kr = ui_cut_top(&r, t->touch);
	ui_rect kb[BW_KIND_COUNT];
	ui_columns(ctx, kr, BW_KIND_COUNT, ags_px(c, 8), kb);
	for (int k = 0; k < BW_KIND_COUNT; k++)
		if (ags_btn(c, ui_id_mix(ui_id_str("m.kind"), k), kb[k], ags_kind_text(k),
			      c->file_kind == k ? UI_BTN_SELECTED : UI_BTN_NORMAL) & UI_RES_CLICK)
			c->file_kind = k;
	ui_cut_top(&r, ags_px(c, 8));
	ui_rect ar = ui_cut_top(&r, t->touch);
	ui_rect prev = ui_cut_start(ctx, &ar, t->touch), next = ui_cut_end(ctx, &ar, t->touch);
	if (ui_hit(ctx, ui_id_str("m.aprev"), prev, NULL) & UI_RES_CLICK && c->nadmins)
		c->file_admin = (c->file_admin + c->nadmins - 1) % c->nadmins;
	if (ui_hit(ctx, ui_id_str("m.anext"), next, NULL) & UI_RES_CLICK && c->nadmins)
		c->file_admin = (c->file_admin + 1) % c->nadmins;
	ui_draw_rect(ctx, prev, t->btn, t->radius);
	ui_draw_frame(ctx, prev, t->border_c, t->radius, 1);
	ui_icon(ctx, ui_inset(prev, ags_px(c, 8)), UI_ICON_BACK, t->fg);
	ui_draw_rect(ctx, next, t->btn, t->radius);
	ui_draw_frame(ctx, next, t->border_c, t->radius, 1);
	ui_icon(ctx, ui_inset(next, ags_px(c, 8)), UI_ICON_NEXT, t->fg);
	char buf[400];
	if (c->nadmins) {
		snprintf(buf, sizeof buf, "%s: %s (%s)", T("agent.filter.admin"),
			 ags_admin_name(c, c->admins[c->file_admin].code), c->admins[c->file_admin].code);
		ags_cell(ctx, ui_inset(ar, ags_px(c, 8)), buf, t->body, t->fg, UI_ALIGN_CENTER);
	}
	ui_cut_top(&r, ags_px(c, 8));
	int ok, cancel;
	modal_buttons(c, &r, "agent.file.ok", ui_field_chars(&c->f_text) > 0, &ok, &cancel);
	int fh = ui_line_height(ctx, UI_FONT_REGULAR, t->big) + ags_px(c, 20);
	if (c->file_kind == BW_KIND_INFO) {
		ui_rect row = ui_cut_bottom(&r, fh);
		ui_rect f3[3];
		ui_columns(ctx, row, 3, ags_px(c, 8), f3);
		ui_textbox(ctx, ui_id_str("m.name"), f3[0], &c->f_name, T("agent.field.name"));
		ui_textbox(ctx, ui_id_str("m.id"), f3[1], &c->f_id, T("agent.field.id"));
		ui_textbox(ctx, ui_id_str("m.contact"), f3[2], &c->f_contact, T("agent.field.contact"));
		ui_cut_bottom(&r, ags_px(c, 8));
	}
	ui_rect ph = ui_cut_bottom(&r, fh);
	ui_cut_bottom(&r, ags_px(c, 8));
	/* the text box is drawn first: it takes the keyboard when the form opens */
	ags_spot(c, "modal.text", r);
	ags_spot(c, "modal.phone", ph);
	ui_textbox(ctx, ui_id_str("m.text"), r, &c->f_text, T("agent.file.text"));
	ui_textbox(ctx, ui_id_str("m.phone"), ph, &c->f_phone, T("agent.file.phone"));
	if (cancel)
		ags_close_modal(c);
	else if (ok)
		send_file(c);
}

static void modal_filter(ag_console *c)
{
	ui_ctx *ctx = c->ui;
	const ui_theme *t = &ctx->theme;
	ui_rect r = dialog(c, 800, 220, "agent.filter.title");
	ui_rect f = ui_cut_top(&r, ui_line_height(ctx, UI_FONT_REGULAR, t->big) + ags_px(c, 20));
	int res = ui_textbox(ctx, ui_id_str("m.filter"), f, &c->f_filter, T("agent.filter.placeholder"));
	if (res & UI_RES_CHANGE) {
		bw_strlcpy(c->model.filter.text, c->filter_buf, sizeof c->model.filter.text);
		ag_model_refilter(&c->model);
		c->top = c->cursor = 0;
	}
	if (res & UI_RES_SUBMIT)
		ags_close_modal(c);
}

void ags_modal(ag_console *c)
{
	ui_ctx *ctx = c->ui;
	ui_draw_rect(ctx, ctx->screen, (ui_color){ 0, 0, 0, 110 }, 0);
	switch (c->modal) {
	case AG_M_ASSIGN: modal_assign(c); break;
	case AG_M_ANSWER:
		modal_note(c, "agent.answer.title", "agent.answer.hint", "agent.answer.ok", BW_ST_ANSWERED, 1);
		break;
	case AG_M_EXTEND:
		modal_note(c, "agent.extend.title", "agent.extend.hint", "agent.act.extend", BW_ST_EXTENDED, 1);
		break;
	case AG_M_REOPEN:
		modal_note(c, "agent.reopen.title", "agent.reopen.hint", "agent.act.reopen", BW_ST_REOPENED, 1);
		break;
	case AG_M_REJECT: modal_reject(c); break;
	case AG_M_FILE: modal_file(c); break;
	case AG_M_FILTER: modal_filter(c); break;
	}
}

