/* screens.c: the agent console's frame drawn with the UI layer: a top bar, the counts
 * (each a filter), the filter bar, the queue (only the visible rows are drawn, so 10,000
 * cost what 30 do), the status line and toasts, and the frame that lays them out with
 * the open request (screens_detail.c) and the dialogs (dialogs.c). Layout cuts from the
 * "start" side, so Arabic mirrors it; every text comes from the "agent" catalogue. */
#include "screen.h"

#include <stdio.h>
#include <string.h>

#include "bw_clock.h"

static const char *const count_key[AG_CNT_COUNT] = {
	"agent.count.new", "agent.count.assigned", "agent.count.in_progress",
	"agent.count.extended", "agent.count.overdue", "agent.count.answered_today",
};
static const char *const sort_key[AG_SORT_COUNT] = {
	"agent.sort.deadline", "agent.sort.received", "agent.sort.ref", "agent.sort.state",
};

/* ---- the frame: top bar, banner, counts, filters ---- */

/* A button of the top bar, w px at 1080p cut from the end of in, then a gap of gap px;
 * spot: remembered under name for the tests. Returns 1 when clicked. */
static int bar_button(ag_console *c, ui_rect *in, int w, int gap, const char *name, int spot, const char *label,
		      int style)
{
	ui_rect b = ui_cut_end(c->ui, in, ags_px(c, w));
	if (spot)
		ags_spot(c, name, b);
	int res = ags_btn(c, ui_id_str(name), b, label, style) & UI_RES_CLICK;
	ui_cut_end(c->ui, in, ags_px(c, gap));
	return res;
}

static void top_bar(ag_console *c, ui_rect r)
{
	ui_ctx *ctx = c->ui;
	const ui_theme *t = &ctx->theme;
	char buf[256];
	ui_draw_rect(ctx, r, RGB(0x0B3D2E), 0);
	ui_rect in = ui_inset(r, ags_px(c, 8));
	/* the next language, named in itself */
	ctx->lang = ag_lang_next(c->lang) + 1;
	int next_lang = bar_button(c, &in, 120, 8, "lang", 1, T("agent.other_lang"), UI_BTN_NORMAL);
	ctx->lang = c->lang + 1;
	if (next_lang)
		ags_cycle_lang(c);
	if (bar_button(c, &in, 170, 8, "refresh", 1, T("agent.refresh"), UI_BTN_NORMAL))
		ag_console_refresh(c);
	if (bar_button(c, &in, 150, 8, "sound", 0, T(c->sound ? "agent.sound_on" : "agent.sound_off"),
		       c->sound ? UI_BTN_SELECTED : UI_BTN_NORMAL))
		c->sound = !c->sound;
	if (bar_button(c, &in, 260, 16, "file", 1, T("agent.file_desk"), UI_BTN_PRIMARY))
		ags_open_file_form(c);
	ui_rect title = ui_cut_start(ctx, &in, ags_px(c, 420));
	ags_cell(ctx, title, T("agent.title"), t->title, RGB(0xFFFFFF), UI_ALIGN_START | UI_TEXT_BOLD);
	/* who and where: the agent's identity is on every action they take */
	ags_subst(buf, sizeof buf, T("agent.who"), "user", c->user, "site", c->site, NULL);
	ui_rect who = ui_cut_start(ctx, &in, in.w * 2 / 3);
	ags_cell(ctx, who, buf, t->body, RGB(0xFFFFFF), UI_ALIGN_START);
	static const unsigned dot[] = { 0xE0A800, 0x3DDC84, 0xFF6B6B, 0xFF6B6B };
	static const char *const net_key[] = { "agent.net.connecting", "agent.net.online",
					       "agent.net.lost", "agent.net.refused" };
	ui_rect d = ui_cut_start(ctx, &in, ags_px(c, 18));
	ui_draw_rect(ctx, ui_center(d, ags_px(c, 14), ags_px(c, 14)), RGB(dot[c->net & 3]), ags_px(c, 7));
	ui_cut_start(ctx, &in, ags_px(c, 6));
	ags_cell(ctx, in, T(net_key[c->net & 3]), t->small, RGB(0xFFFFFF), UI_ALIGN_START);
}

static void banner(ag_console *c, ui_rect r)
{
	ui_ctx *ctx = c->ui;
	const ui_theme *t = &ctx->theme;
	char buf[300];
	ui_draw_rect(ctx, r, t->error, 0);
	if (c->net == AG_SHOW_REFUSED)
		bw_strlcpy(buf, T("agent.banner.refused"), sizeof buf);
	else
		ags_subst(buf, sizeof buf, T("agent.banner.lost"), "why", c->net_why, NULL);
	ags_cell(ctx, ui_inset(r, ags_px(c, 6)), buf, t->body, t->error_fg, UI_ALIGN_CENTER | UI_TEXT_BOLD);
}

static void counts_row(ag_console *c, ui_rect r)
{
	ui_ctx *ctx = c->ui;
	const ui_theme *t = &ctx->theme;
	ui_rect tiles[AG_CNT_COUNT + 1];
	ui_columns(ctx, r, AG_CNT_COUNT + 1, ags_px(c, 8), tiles);
	for (int i = -1; i < AG_CNT_COUNT; i++) {
		ui_rect tr = tiles[i + 1];
		int on = c->model.filter.count == i;
		int warn = i == AG_CNT_OVERDUE && c->model.counts[i] > 0;
		if (ui_hit(ctx, ui_id_mix(ui_id_str("count"), i + 1), tr, NULL) & UI_RES_CLICK) {
			c->model.filter.count = on && i >= 0 ? -1 : i;
			ag_model_refilter(&c->model);
			c->top = c->cursor = 0;
			on = c->model.filter.count == i;
		}
		if (on)
			ui_draw_rect(ctx, tr, t->sel, t->radius);
		ui_draw_frame(ctx, tr, warn ? t->error : t->border_c, t->radius, warn ? 2 : 1);
		ui_color fg = on ? t->sel_fg : warn ? t->error : t->fg;
		ui_rect in = ui_inset(tr, ags_px(c, 6));
		ui_rect num = ui_cut_end(ctx, &in, ags_px(c, 64));
		char n[24];
		snprintf(n, sizeof n, "%ld", i < 0 ? (long)c->model.nrows : c->model.counts[i]);
		ags_cell(ctx, in, T(i < 0 ? "agent.count.all" : count_key[i]), t->small, fg, UI_ALIGN_START);
		ags_cell(ctx, num, n, t->title, fg, UI_ALIGN_END | UI_TEXT_BOLD);
	}
}

/* The next value after cur among the distinct admins (what = 0) or devices (1) the
 * queue holds, "" after the last. */
static void cycle_code(ag_console *c, int what, char *cur, size_t size)
{
	const char *best = NULL;
	for (int i = 0; i < c->model.nrows; i++) {
		const char *v = what ? c->model.rows[i].device : c->model.rows[i].admin;
		if (v[0] && strcmp(v, cur) > 0 && (!best || strcmp(v, best) < 0))
			best = v;
	}
	for (int i = 0; what && i < c->model.ndevices; i++) {
		const char *v = c->model.devices[i].id;
		if (strcmp(v, cur) > 0 && (!best || strcmp(v, best) < 0))
			best = v;
	}
	bw_strlcpy(cur, best ? best : "", size);
}

static int filter_button(ag_console *c, ui_rect *in, const char *id, int width, const char *label,
                         const char *value, int on)
{
	char buf[200];
	snprintf(buf, sizeof buf, "%s: %s", label, value);
	/* the six share the row in proportion when it is narrower than their widths */
	int total = ags_px(c, 270 + 300 + 230 + 240 + 260 + 260 + 6 * 8), w = ags_px(c, width);
	if (total > c->ui->screen.w - ags_px(c, 20))
		w = (int)((long)w * (c->ui->screen.w - ags_px(c, 20)) / total);
	ui_rect b = ui_cut_start(c->ui, in, w);
	ui_cut_start(c->ui, in, ags_px(c, 8));
	return ags_btn(c, ui_id_str(id), b, buf, on ? UI_BTN_SELECTED : UI_BTN_NORMAL) & UI_RES_CLICK;
}

static void filter_row(ag_console *c, ui_rect r)
{
	ag_filter *f = &c->model.filter;
	int changed = 0;
	ui_rect in = r;
	if (filter_button(c, &in, "f.kind", 270, T("agent.filter.kind"), f->kind < 0 ? T("agent.any") : ags_kind_text(f->kind), f->kind >= 0)) {
		f->kind = f->kind + 1 < BW_KIND_COUNT ? f->kind + 1 : -1;
		changed = 1;
	}
	if (filter_button(c, &in, "f.admin", 300, T("agent.filter.admin"), f->admin[0] ? ags_admin_name(c, f->admin) : T("agent.any"), f->admin[0])) {
		cycle_code(c, 0, f->admin, sizeof f->admin);
		changed = 1;
	}
	if (filter_button(c, &in, "f.channel", 230, T("agent.filter.channel"), f->channel < 0 ? T("agent.any") : ags_channel_text(f->channel), f->channel >= 0)) {
		f->channel = f->channel + 1 < BW_CHANNEL_COUNT ? f->channel + 1 : -1;
		changed = 1;
	}
	char dev[64];
	if (filter_button(c, &in, "f.device", 240, T("agent.filter.device"), f->device[0] ? ags_iso(dev, sizeof dev, f->device) : T("agent.any"), f->device[0])) {
		cycle_code(c, 1, f->device, sizeof f->device);
		changed = 1;
	}
	if (filter_button(c, &in, "f.sort", 260, T("agent.filter.sort"), T(sort_key[f->sort]), 0)) {
		f->sort = (f->sort + 1) % AG_SORT_COUNT;
		changed = 1;
	}
	if (filter_button(c, &in, "f.text", 260, T("agent.filter.text"), f->text[0] ? f->text : "/", f->text[0])) {
		ags_open_modal(c, AG_M_FILTER);
		ui_field_set(&c->f_filter, f->text);
	}
	if (changed) {
		ag_model_refilter(&c->model);
		c->top = c->cursor = 0;
	}
}

/* ---- the queue ---- */

enum { COL_REF, COL_KIND, COL_STATE, COL_CHANNEL, COL_ADMIN, COL_DEADLINE, COL_TEXT, NCOLS };
static const int col_w[NCOLS] = { 170, 150, 160, 190, 150, 130, 0 };
static const char *const col_key[NCOLS] = {
	"agent.col.ref", "agent.col.kind", "agent.col.state", "agent.col.channel",
	"agent.col.admin", "agent.col.deadline", "agent.col.text",
};

static void columns(ag_console *c, ui_rect r, ui_rect *out)
{
	for (int i = 0; i < NCOLS; i++) {
		out[i] = col_w[i] ? ui_cut_start(c->ui, &r, ags_px(c, col_w[i])) : r;
		out[i] = ui_inset(out[i], 0);
		out[i].x += ags_px(c, 4);
		out[i].w -= ags_px(c, 8);
	}
}

static void queue(ag_console *c, ui_rect r)
{
	ui_ctx *ctx = c->ui;
	const ui_theme *t = &ctx->theme;
	ags_card(c, r);
	r = ui_inset(r, ags_px(c, 4));
	int rh = ags_px(c, 38);
	ui_rect head = ui_cut_top(&r, rh);
	ui_rect cols[NCOLS];
	columns(c, head, cols);
	for (int i = 0; i < NCOLS; i++)
		ags_cell(ctx, cols[i], T(col_key[i]), t->small, t->muted, UI_ALIGN_START | UI_TEXT_BOLD);
	ui_draw_rect(ctx, ui_cut_top(&r, 1), t->border_c, 0);
	int n = ag_model_view_count(&c->model);
	c->rows_visible = r.h / rh;
	if (c->top > n - c->rows_visible)
		c->top = n - c->rows_visible;
	if (c->top < 0)
		c->top = 0;
	if (n == 0) {
		ags_cell(ctx, ui_cut_top(&r, rh * 2), T(c->model.loaded ? "agent.queue.empty" : "agent.queue.loading"),
		     t->body, t->muted, UI_ALIGN_CENTER);
		return;
	}
	/* a scroll bar on the end side: where the visible rows are among all */
	ui_rect bar = ui_cut_end(ctx, &r, ags_px(c, 8));
	ui_draw_rect(ctx, bar, t->bg, 0);
	int th = n > c->rows_visible ? bar.h * c->rows_visible / n : bar.h;
	if (th < ags_px(c, 20))
		th = ags_px(c, 20);
	int ty = n > c->rows_visible ? (bar.h - th) * c->top / (n - c->rows_visible) : 0;
	ui_draw_rect(ctx, (ui_rect){ bar.x, bar.y + ty, bar.w, th }, t->border_c, ags_px(c, 4));
	for (int i = c->top; i < n && i < c->top + c->rows_visible; i++) {
		const ag_row *row = ag_model_view_row(&c->model, i);
		ui_rect rr = ui_cut_top(&r, rh);
		if (i - c->top < 20) {
			char nm[16];
			snprintf(nm, sizeof nm, "row%d", i);
			ags_spot(c, nm, rr);
		}
		int sel = strcmp(row->ref, c->model.selected) == 0;
		if (ui_hit(ctx, ui_id_mix(ui_id_str("row"), i), rr, NULL) & UI_RES_CLICK) {
			ag_console_open(c, i);
			sel = 1;
		}
		ui_color fg = t->fg;
		if (sel) {
			ui_draw_rect(ctx, rr, t->sel, 0);
			fg = t->sel_fg;
		} else if (i == c->cursor) {
			ui_draw_rect(ctx, rr, RGB(0xDCE6F5), 0);
		} else {
			ui_draw_rect(ctx, (ui_rect){ rr.x, rr.y + rr.h - 1, rr.w, 1 }, RGB(0xE4E1DA), 0);
		}
		if (i == c->cursor)
			ui_draw_frame(ctx, rr, t->focus, 0, 2);
		columns(c, rr, cols);
		int bold = row->fresh ? UI_TEXT_BOLD : 0;
		char buf[160];
		ags_cell(ctx, cols[COL_REF], row->ref, t->body, fg, UI_ALIGN_START | bold);
		ags_cell(ctx, cols[COL_KIND], ags_kind_text(row->kind), t->body, fg, UI_ALIGN_START | bold);
		ags_cell(ctx, cols[COL_STATE], ags_state_text(row->state), t->body, fg, UI_ALIGN_START | bold);
		char dev[64];
		snprintf(buf, sizeof buf, "%s · %s", ags_channel_text(row->channel), ags_iso(dev, sizeof dev, row->device));
		ags_cell(ctx, cols[COL_CHANNEL], buf, t->body, fg, UI_ALIGN_START);
		ags_cell(ctx, cols[COL_ADMIN], ags_admin_name(c, row->admin), t->body, fg, UI_ALIGN_START);
		ags_cell(ctx, cols[COL_DEADLINE], row->deadline, t->body, row->overdue && !sel ? t->error : fg,
		     UI_ALIGN_START | (row->overdue ? UI_TEXT_BOLD : 0));
		ags_cell(ctx, cols[COL_TEXT], row->excerpt, t->body, fg, ags_own_align(c, row->excerpt) | UI_TEXT_AUTO | UI_TEXT_DATA);
	}
}

/* ---- status line and toasts ---- */

/* The keys and what each does, in the screen's words: "a assign · p in progress · ...". */
static const char *key_legend(const ag_console *c, char *out, size_t n)
{
	size_t o = 0;
	char k[32];
	out[0] = '\0';
	for (int a = 0; a < AG_A_COUNT && o + 1 < n; a++)
		o += (size_t)snprintf(out + o, n - o, "%s%s %s", a ? " · " : "", ags_iso(k, sizeof k, ags_action_short[a]),
				      T(ags_action_key[a]));
	if (o + 1 < n)
		o += (size_t)snprintf(out + o, n - o, " · %s %s · %s %s", ags_iso(k, sizeof k, "n"), T("agent.file_desk"),
				      "\xe2\x81\xa6/\xe2\x81\xa9", T("agent.filter.text"));
	return out;
}

static void status_line(ag_console *c, ui_rect r)
{
	ui_ctx *ctx = c->ui;
	const ui_theme *t = &ctx->theme;
	char legend[1024];
	const ag_result *res = &c->model.result;
	ui_draw_rect(ctx, r, t->panel, 0);
	ui_draw_rect(ctx, ui_cut_top(&r, 1), t->border_c, 0);
	r = ui_inset(r, ags_px(c, 6));
	ui_rect keys = ui_cut_end(ctx, &r, r.w * 2 / 5);
	ags_cell(ctx, keys, key_legend(c, legend, sizeof legend), t->small, t->muted, UI_ALIGN_END);
	char buf[BW_ERRMSG + 200];
	if (!res->at_ms)
		return;
	if (res->ok) {
		const char *what = !strcmp(res->op, "file") ? T("agent.result.filed") : ags_state_text(res->state);
		ags_subst(buf, sizeof buf, T("agent.result.ok"), "ref", res->ref, "what", what, NULL);
	} else {
		ags_subst(buf, sizeof buf, T("agent.result.refused"), "why", res->error, NULL);
	}
	ags_cell(ctx, r, buf, t->body, res->ok ? t->ok : t->error, UI_ALIGN_START | UI_TEXT_BOLD | UI_TEXT_AUTO);
}

static void toasts(ag_console *c, ui_rect area)
{
	ui_ctx *ctx = c->ui;
	const ui_theme *t = &ctx->theme;
	static const char *const key[] = { "agent.toast.new", "agent.toast.overdue", "agent.toast.offline",
					   "agent.toast.backlog", "agent.toast.online" };
	/* at the bottom of the queue, newest lowest: the open request and the devices stay
	 * in view; three at most */
	int w = ags_px(c, 560), h = ags_px(c, 52);
	ui_rect col = ui_cut_start(ctx, &area, w + ags_px(c, 24));
	col = ui_inset(col, ags_px(c, 12));
	for (int i = c->model.ntoasts - 1, k = 0; i >= 0 && k < 3; i--, k++) {
		const ag_toast *to = &c->model.toasts[i];
		char buf[256], n[24];
		snprintf(n, sizeof n, "%ld", to->n);
		const ag_row *row = to->kind <= AG_TOAST_OVERDUE ? ag_model_find(&c->model, to->what) : NULL;
		ags_subst(buf, sizeof buf, T(key[to->kind]), "ref", to->what, "device", row ? row->device : to->what,
		      "n", n, NULL);
		ui_rect tr = ui_cut_bottom(&col, h);
		ui_cut_bottom(&col, ags_px(c, 8));
		ui_color bg = to->kind == AG_TOAST_NEW || to->kind == AG_TOAST_ONLINE ? t->sel : t->error;
		if (ui_hit(ctx, ui_id_mix(ui_id_str("toast"), i), tr, NULL) & UI_RES_CLICK && row) {
			ag_model_select(&c->model, to->what);
			ags_ask_get(c, to->what);
			int at = ag_model_view_find(&c->model, to->what);
			if (at >= 0) {
				c->cursor = at;
				ags_keep_cursor_visible(c);
			}
		}
		ui_draw_rect(ctx, tr, bg, t->radius);
		ags_cell(ctx, ui_inset(tr, ags_px(c, 10)), buf, t->body, RGB(0xFFFFFF), UI_ALIGN_START | UI_TEXT_BOLD);
	}
}

/* ---- the frame ---- */

void ag_console_frame(ag_console *c, int64_t now_ms, int64_t wall)
{
	ui_ctx *ctx = c->ui;
	const ui_theme *t = &ctx->theme;
	c->now_ms = now_ms;
	c->wall = wall;
	char today[11];
	bw_day_format(bw_legal_day(wall), today);
	if (strcmp(today, c->model.today) != 0) {
		ag_model_set_today(&c->model, today, now_ms);
		if (c->net == AG_SHOW_ONLINE)
			ags_ask_report(c);
	}
	if (c->net == AG_SHOW_ONLINE && now_ms >= c->devices_at)
		ags_ask_devices(c);
	if (c->net == AG_SHOW_ONLINE && now_ms >= c->report_at)
		ags_ask_report(c);
	ag_model_expire_toasts(&c->model, now_ms);

	ui_begin(ctx);
	c->nspots = 0;
	ctx->disabled = c->modal != AG_M_NONE;
	ui_rect scr = ctx->screen;
	/* no page fill: the renderer clears to the theme background (a blended full-screen
	 * rectangle costs milliseconds in the software renderer) */
	top_bar(c, ui_cut_top(&scr, ags_px(c, 64)));
	if (c->net == AG_SHOW_LOST || c->net == AG_SHOW_REFUSED)
		banner(c, ui_cut_top(&scr, ags_px(c, 44)));
	status_line(c, ui_cut_bottom(&scr, ags_px(c, 44)));
	scr = ui_inset(scr, ags_px(c, 10));
	counts_row(c, ui_cut_top(&scr, ags_px(c, 64)));
	ui_cut_top(&scr, ags_px(c, 10));
	filter_row(c, ui_cut_top(&scr, t->touch));
	ui_cut_top(&scr, ags_px(c, 10));
	ui_rect body = scr;
	ui_rect right = ui_cut_end(ctx, &scr, scr.w * 40 / 100);
	ui_cut_end(ctx, &scr, ags_px(c, 10));
	queue(c, scr);
	ui_rect ind = ui_cut_bottom(&right, ags_px(c, 190));
	ui_cut_bottom(&right, ags_px(c, 10));
	int dh = ags_px(c, 40) + (c->model.ndevices ? c->model.ndevices : 1) * (ui_line_height(ctx, UI_FONT_REGULAR, t->body) + ags_px(c, 2));
	if (dh > right.h / 3)
		dh = right.h / 3;
	ui_rect dev = ui_cut_bottom(&right, dh);
	ui_cut_bottom(&right, ags_px(c, 10));
	ags_detail(c, right);
	ags_devices(c, dev);
	ags_indicators(c, ind);
	toasts(c, body);
	ctx->disabled = 0;
	if (c->modal)
		ags_modal(c);
	ui_end(ctx);
}

