/* screens_detail.c: the agent console's side panels: the open request (its fields,
 * timeline, text and the actions its state allows), the devices and the indicators. */
#include "screen.h"

#include <stdio.h>
#include <string.h>

static const char *const period_key[4] = {
	"agent.period.today", "agent.period.week", "agent.period.month", "agent.period.year",
};


/* ---- the open request ---- */

/* A timeline note as shown: an assignment's "administration CODE[: words]" or
 * "information-officer CODE[: words]" (what the store keeps) in the screen's words with
 * the administration's name; any other note, an agent's own words, isolated as data. */
static void note_text(const ag_console *c, const ag_event *ev, char *out, size_t n)
{
	static const char *const head[2] = { "administration ", "information-officer " };
	for (int i = 0; i < 2 && ev->new_state == BW_ST_ASSIGNED; i++) {
		size_t hl = strlen(head[i]);
		if (strncmp(ev->note, head[i], hl) != 0)
			continue;
		char code[BW_CODE_MAX + 1];
		const char *rest = ev->note + hl, *colon = strstr(rest, ": ");
		size_t cl = colon ? (size_t)(colon - rest) : strlen(rest);
		snprintf(code, sizeof code, "%.*s", (int)(cl < sizeof code ? cl : sizeof code - 1), rest);
		char said[300];
		ags_subst(said, sizeof said, T(i ? "agent.assign.officer" : "agent.assign.admin"), "admin", ags_admin_name(c, code), NULL);
		snprintf(out, n, "%s%s\xe2\x81\xa8%.200s\xe2\x81\xa9", said, colon ? ": " : "", colon ? colon + 2 : "");
		return;
	}
	if (ev->note[0])
		snprintf(out, n, "\xe2\x81\xa8%.300s\xe2\x81\xa9", ev->note);
	else
		out[0] = '\0';
}

int ags_line(ag_console *c, ui_rect *r, const char *s, int size, ui_color col, int flags)
{
	int lh = ui_line_height(c->ui, flags & UI_TEXT_BOLD ? UI_FONT_BOLD : UI_FONT_REGULAR, size);
	ui_rect l = ui_cut_top(r, lh + ags_px(c, 2));
	ags_cell(c->ui, l, s, size, col, UI_ALIGN_START | flags);
	return lh;
}


/* The actions at the bottom of the card, whatever the content's length: those the
 * request's state does not allow are drawn greyed and do nothing. */
static void detail_actions(ag_console *c, ui_rect acts)
{
	ui_ctx *ctx = c->ui;
	const ui_theme *t = &ctx->theme;
	ui_rect ab[AG_A_COUNT];
	ui_columns(ctx, acts, AG_A_COUNT, ags_px(c, 6), ab);
	for (int a = 0; a < AG_A_COUNT; a++) {
		char lab[96];
		int ok = ags_action_allowed(c, a);
		snprintf(lab, sizeof lab, "%s", T(ags_action_key[a]));
		if (!ok) {
			ui_draw_rect(ctx, ab[a], t->bg, t->radius);
			ags_cell(ctx, ui_inset(ab[a], ags_px(c, 4)), lab, t->body, RGB(0x8A8A8A), UI_ALIGN_CENTER);
			continue;
		}
		ui_rect saved = ctx->clip;
		char nm[24];
		snprintf(nm, sizeof nm, "act.%s", bw_state_name(ags_action_to[a]));
		ags_spot(c, nm, ab[a]);
		if (ui_hit(ctx, ui_id_mix(ui_id_str("act"), a), ab[a], NULL) & UI_RES_CLICK)
			ag_console_action(c, a);
		ui_draw_rect(ctx, ab[a], a == AG_A_ANSWER ? t->primary_bg : t->btn, t->radius);
		ui_draw_frame(ctx, ab[a], t->border_c, t->radius, 1);
		ui_set_clip(ctx, ab[a]);
		ui_text(ctx, ui_inset(ab[a], ags_px(c, 4)), lab, t->body, a == AG_A_ANSWER ? t->primary_fg : t->btn_fg,
			UI_ALIGN_CENTER | UI_TEXT_VCENTER | UI_TEXT_NOWRAP | (a == AG_A_ANSWER ? UI_TEXT_BOLD : 0));
		ui_set_clip(ctx, saved);
	}
}

/* The heading lines cut from the top of r: reference and state, the flags, kind,
 * channel, device and administration, the dates (and the days the deadline skipped). */
static void detail_heading(ag_console *c, ui_rect *r, const ag_row *row)
{
	const ui_theme *t = &c->ui->theme;
	char buf[1024];
	snprintf(buf, sizeof buf, "\xe2\x81\xa6%s\xe2\x81\xa9  ·  %s", row->ref, ags_state_text(row->state));
	ags_line(c, r, buf, t->title, t->fg, UI_TEXT_BOLD);
	buf[0] = '\0';
	if (row->overdue)
		snprintf(buf, sizeof buf, "%s  ", T("agent.flag.overdue"));
	if (row->urgent)
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s  ", T("agent.flag.urgent"));
	if (row->extended)
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s", T("agent.flag.extended"));
	if (buf[0])
		ags_line(c, r, buf, t->body, t->error, UI_TEXT_BOLD);
	char dev[64];
	snprintf(buf, sizeof buf, "%s · %s · %s · %s", ags_kind_text(row->kind), ags_channel_text(row->channel),
		 ags_iso(dev, sizeof dev, row->device), ags_admin_name(c, row->admin));
	ags_line(c, r, buf, t->body, t->fg, 0);
	const ag_detail *d = &c->model.detail;
	char skipped[AG_SKIPPED_MAX * 12 + 1] = "";
	for (int i = 0; d->loaded && i < d->nskipped; i++)
		snprintf(skipped + strlen(skipped), sizeof skipped - strlen(skipped), "%s%s", i ? ", " : "", d->skipped[i]);
	ags_subst(buf, sizeof buf, T("agent.detail.dates"), "received", row->received_on, "deadline", row->deadline, NULL);
	ags_line(c, r, buf, t->body, row->overdue ? t->error : t->fg, 0);
	if (skipped[0]) {
		char s2[700];
		ags_subst(s2, sizeof s2, T("agent.detail.skipped"), "days", skipped, NULL);
		ags_line(c, r, s2, t->small, t->muted, 0);
	}
}

/* The citizen on one line: only what the request holds (the receipt code too: a citizen
 * filing at the desk or on paper is told it here). */
static void detail_citizen(ag_console *c, ui_rect *r, const ag_detail *d)
{
	const ui_theme *t = &c->ui->theme;
	char buf[1024];
	const char *fk[] = { "agent.field.name", "agent.field.id", "agent.field.address", "agent.field.contact",
			     "agent.field.phone", "agent.field.lang", "agent.field.code" };
	const char *fv[] = { d->req.name, d->req.id_number, d->req.address, d->req.contact, d->req.phone, d->req.lang,
			     d->req.code };
	size_t o = (size_t)snprintf(buf, sizeof buf, "%s: ", T("agent.detail.citizen"));
	for (int i = 0, first = 1; i < 7 && o < sizeof buf; i++) {
		if (!fv[i][0])
			continue;
		o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s \xe2\x81\xa8%s\xe2\x81\xa9", first ? "" : " · ", T(fk[i]), fv[i]);
		first = 0;
	}
	ui_cut_top(r, ags_px(c, 4));
	ags_line(c, r, buf, t->small, t->fg, 0);
}

/* The timeline under its label: the latest events that fit above what the text keeps
 * (its label and three lines, fewer on a small screen), or none. */
static void detail_timeline(ag_console *c, ui_rect *r, const ag_detail *d)
{
	ui_ctx *ctx = c->ui;
	const ui_theme *t = &ctx->theme;
	char buf[1024];   /* when + who + move + note, each bounded */
	int lh = ui_line_height(ctx, UI_FONT_REGULAR, t->small) + ags_px(c, 2);
	int label_h = ui_line_height(ctx, UI_FONT_BOLD, t->small) + ags_px(c, 2);
	int body_lh = ui_line_height(ctx, UI_FONT_REGULAR, t->body);
	int need = ags_px(c, 6) + label_h + 3 * body_lh;
	if (need > r->h)
		need = r->h;
	int room = (r->h - need - label_h) / lh;
	if (room < 0)
		room = 0;
	if (room > 0)
		ags_line(c, r, T("agent.detail.timeline"), t->small, t->muted, UI_TEXT_BOLD);
	int first = d->nevents > room && room > 0 ? d->nevents - room : 0;
	for (int i = first; i < d->nevents && i - first < room; i++) {
		const ag_event *ev = &d->events[i];
		char when[32], mv[200];
		ags_local_time(ev->at, when, sizeof when, 1);
		if (ev->old_state >= 0)
			ags_subst(mv, sizeof mv, T("agent.timeline.move"), "from", ags_state_text(ev->old_state), "to",
			      ags_state_text(ev->new_state), NULL);
		else
			bw_strlcpy(mv, ags_state_text(ev->new_state), sizeof mv);
		/* who: a code (agent:amina, device:kiosk-01), isolated; the note is an agent's
		 * own words (data) after the move, or whom it was assigned to, said in words */
		char who[64], note[400];
		note_text(c, ev, note, sizeof note);
		snprintf(buf, sizeof buf, "\xe2\x81\xa6%s\xe2\x81\xa9 · %s · %s%s%s", when,
			 ags_iso(who, sizeof who, ev->actor[0] ? ev->actor : "-"), mv, note[0] ? " · " : "", note);
		ags_line(c, r, buf, t->small, t->fg, UI_TEXT_AUTO);
	}
}

/* The open request's card: actions at the bottom; heading, citizen, timeline first (who
 * did what), the text in the space left. */
void ags_detail(ag_console *c, ui_rect r)
{
	ui_ctx *ctx = c->ui;
	const ui_theme *t = &ctx->theme;
	ags_card(c, r);
	r = ui_inset(r, ags_px(c, 14));
	const ag_row *row = ags_selected_row(c);
	if (!row) {
		ags_cell(ctx, ui_cut_top(&r, ags_px(c, 60)), T("agent.detail.none"), t->body, t->muted, UI_ALIGN_CENTER);
		return;
	}
	detail_actions(c, ui_cut_bottom(&r, t->touch));
	ui_cut_bottom(&r, ags_px(c, 8));
	ui_rect saved = ctx->clip;
	ui_set_clip(ctx, r);
	detail_heading(c, &r, row);
	const ag_detail *d = &c->model.detail;
	if (!d->loaded) {
		ags_line(c, &r, T("agent.detail.loading"), t->body, t->muted, 0);
		ui_set_clip(ctx, saved);
		return;
	}
	detail_citizen(c, &r, d);
	ui_cut_top(&r, ags_px(c, 6));
	detail_timeline(c, &r, d);
	ui_cut_top(&r, ags_px(c, 6));
	int label_h = ui_line_height(ctx, UI_FONT_BOLD, t->small) + ags_px(c, 2);
	if (r.h < label_h + ui_line_height(ctx, UI_FONT_REGULAR, t->body)) {
		ui_set_clip(ctx, saved);
		return;  /* no room for a line of the text: the card says no more */
	}
	ags_line(c, &r, T("agent.detail.text"), t->small, t->muted, UI_TEXT_BOLD);
	ui_set_clip(ctx, r);
	ui_text(ctx, r, d->req.text, t->body, t->fg, ags_own_align(c, d->req.text) | UI_TEXT_AUTO | UI_TEXT_DATA | UI_TEXT_CLAMP);
	ui_set_clip(ctx, saved);
}

/* ---- devices and indicators ---- */

void ags_devices(ag_console *c, ui_rect r)
{
	ui_ctx *ctx = c->ui;
	const ui_theme *t = &ctx->theme;
	ags_card(c, r);
	r = ui_inset(r, ags_px(c, 10));
	ags_line(c, &r, T("agent.devices"), t->small, t->muted, UI_TEXT_BOLD);
	if (c->model.ndevices == 0)
		ags_line(c, &r, T("agent.devices.none"), t->body, t->muted, 0);
	for (int i = 0; i < c->model.ndevices && r.h > 0; i++) {
		const ag_device *d = &c->model.devices[i];
		char seen[32] = "-", buf[400], nb[160] = "";
		if (d->last_seen)
			ags_local_time(d->last_seen, seen, sizeof seen, 0);
		int lh = ui_line_height(ctx, UI_FONT_REGULAR, t->body) + ags_px(c, 2);
		ui_rect l = ui_cut_top(&r, lh);
		ui_rect dot = ui_cut_start(ctx, &l, ags_px(c, 22));
		ui_draw_rect(ctx, ui_center(dot, ags_px(c, 14), ags_px(c, 14)), d->online ? t->ok : t->error, ags_px(c, 7));
		if (d->signal >= 0)
			snprintf(nb, sizeof nb, " · %s %d%% · %s %d", T("agent.dev.signal"), d->signal, T("agent.dev.queue"), d->queue);
		int backlog = d->outbox >= c->model.backlog_alert;
		/* a clock the hub does not believe (issue 11: its times are replaced) */
		int clock_bad = d->clock_known && (d->clock_skew > 300 || d->clock_skew < -300);
		if (clock_bad)
			snprintf(nb + strlen(nb), sizeof nb - strlen(nb), " · %s %+llds", T("agent.dev.clock"),
				 (long long)d->clock_skew);
		snprintf(buf, sizeof buf, "%s · %s · %s · %s %s · %s %ld%s", d->id, ags_tr2("agent.devkind.", d->kind),
			 T(d->online ? "agent.dev.online" : "agent.dev.offline"), T("agent.dev.seen"), seen,
			 T("agent.dev.outbox"), d->outbox < 0 ? 0 : d->outbox, nb);
		ags_cell(ctx, l, buf, t->body, d->online && !backlog && !clock_bad ? t->fg : t->error, UI_ALIGN_START);
	}
}

void ags_indicators(ag_console *c, ui_rect r)
{
	ui_ctx *ctx = c->ui;
	const ui_theme *t = &ctx->theme;
	ags_card(c, r);
	r = ui_inset(r, ags_px(c, 10));
	ui_rect head = ui_cut_top(&r, t->touch);
	ui_rect title = ui_cut_start(ctx, &head, head.w / 3);
	ags_cell(ctx, title, T("agent.indicators"), t->small, t->muted, UI_TEXT_BOLD | UI_ALIGN_START);
	ui_rect pb[4];
	ui_columns(ctx, head, 4, ags_px(c, 6), pb);
	for (int i = 0; i < 4; i++)
		if (ags_btn(c, ui_id_mix(ui_id_str("period"), i), pb[i], T(period_key[i]),
			      c->period == i ? UI_BTN_SELECTED : UI_BTN_NORMAL) & UI_RES_CLICK) {
			c->period = i;
			ags_ask_report(c);
		}
	ui_cut_top(&r, ags_px(c, 6));
	int sh[3];
	ag_model_shares(&c->model, &sh[0], &sh[1], &sh[2]);
	static const char *const key[3] = { "agent.ind.answered", "agent.ind.in_time", "agent.ind.reopened" };
	ui_rect cols[3];
	ui_columns(ctx, r, 3, ags_px(c, 8), cols);
	for (int i = 0; i < 3; i++) {
		char v[32];
		if (!c->model.ind.loaded || sh[i] < 0)
			snprintf(v, sizeof v, "–");
		else
			snprintf(v, sizeof v, "%d.%d%%", sh[i] / 10, sh[i] % 10);
		ui_rect cr = cols[i];
		ui_rect big = ui_cut_top(&cr, ui_line_height(ctx, UI_FONT_BOLD, t->title));
		ags_cell(ctx, big, v, t->title, t->fg, UI_ALIGN_START | UI_TEXT_BOLD);
		ags_cell(ctx, ui_cut_top(&cr, ui_line_height(ctx, UI_FONT_REGULAR, t->small)), T(key[i]), t->small, t->muted, UI_ALIGN_START);
	}
	char n[160], tot[24];
	snprintf(tot, sizeof tot, "%ld", c->model.ind.total);
	ags_subst(n, sizeof n, T("agent.ind.total"), "n", tot, "from", c->model.ind.from, "to", c->model.ind.until, NULL);
	ui_rect last = ui_cut_bottom(&r, ui_line_height(ctx, UI_FONT_REGULAR, t->small));
	if (c->model.ind.loaded)
		ags_cell(ctx, last, n, t->small, t->muted, UI_ALIGN_START);
}

