/* screens.c: the agent console drawn with the UI layer: a top bar, the counts (each a
 * filter), the filter bar, the queue (only the visible rows are drawn, so 10,000 cost
 * what 30 do), the open request with its timeline and actions, devices, indicators,
 * the status line, toasts, and the dialogs of each action. Layout cuts from the "start"
 * side, so Arabic mirrors it; every text comes from the "agent" catalogue. */
#include "bw_clock.h"
#include "console.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bw_i18n.h"
#include "bw_uuid.h"

#define T(k) bw_tr(k)
#define RGB(h) ((ui_color){ (h) >> 16 & 0xFF, (h) >> 8 & 0xFF, (h) & 0xFF, 255 })

static const char *const count_key[AG_CNT_COUNT] = {
	"agent.count.new", "agent.count.assigned", "agent.count.in_progress",
	"agent.count.extended", "agent.count.overdue", "agent.count.answered_today",
};
static const char *const action_key[AG_A_COUNT] = {
	"agent.act.assign", "agent.act.progress", "agent.act.answer", "agent.act.extend",
	"agent.act.reject", "agent.act.close", "agent.act.reopen",
};
static const int action_to[AG_A_COUNT] = {
	BW_ST_ASSIGNED, BW_ST_IN_PROGRESS, BW_ST_ANSWERED, BW_ST_EXTENDED, BW_ST_REJECTED,
	BW_ST_CLOSED, BW_ST_REOPENED,
};
static const char *const action_short[AG_A_COUNT] = { "a", "p", "r", "e", "x", "c", "o" };
static const char *const sort_key[AG_SORT_COUNT] = {
	"agent.sort.deadline", "agent.sort.received", "agent.sort.ref", "agent.sort.state",
};
static const char *const period_key[4] = {
	"agent.period.today", "agent.period.week", "agent.period.month", "agent.period.year",
};

/* ---- small helpers ---- */

static int S(const ag_console *c, int px)
{
	return px * c->scale / 1000;
}

/* The catalogue text of a family and a stable name: "agent.state." + "in_progress". */
static const char *tr2(const char *family, const char *name)
{
	char key[96];
	snprintf(key, sizeof key, "%s%s", family, name);
	return bw_tr(key);
}

static const char *kind_text(int k) { return tr2("agent.kind.", bw_kind_name(k)); }
static const char *state_text(int s) { return tr2("agent.state.", bw_state_name(s)); }
static const char *channel_text(int ch) { return tr2("agent.channel.", bw_channel_name(ch)); }

/* 1 if s is a code or a number: ASCII without spaces (not a sentence of any language). */
static int ascii_word(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80 || *s == ' ')
			return 0;
	return 1;
}

/* s between LRI and PDI into out: a code or a number inside a line of any direction. */
static const char *iso(char *out, size_t n, const char *s)
{
	snprintf(out, n, "\xe2\x81\xa6%s\xe2\x81\xa9", s);
	return out;
}

/* Copies tmpl into out replacing each {name} by its value from pairs (name, value, ...,
 * NULL); unknown names stay as written. */
static const char *subst(char *out, size_t n, const char *tmpl, ...)
{
	va_list ap;
	size_t o = 0;
	for (const char *p = tmpl; *p && o + 1 < n;) {
		const char *end = *p == '{' ? strchr(p, '}') : NULL;
		const char *val = NULL;
		if (end) {
			va_start(ap, tmpl);
			for (const char *k; (k = va_arg(ap, const char *));) {
				const char *v = va_arg(ap, const char *);
				if (strlen(k) == (size_t)(end - p - 1) && strncmp(k, p + 1, (size_t)(end - p - 1)) == 0)
					val = v;
			}
			va_end(ap);
		}
		if (val) {
			/* numbers (dates, references) keep their order inside Arabic text only
			 * when isolated: LRI ... PDI (RECIPES.md); codes (a device, a user) are
			 * isolated too: they are names, not words of the screen's language */
			int iso = ascii_word(val);
			if (iso && o + 4 < n) {
				memcpy(out + o, "\xe2\x81\xa6", 3);
				o += 3;
			}
			while (*val && o + 1 < n)
				out[o++] = *val++;
			if (iso && o + 4 < n) {
				memcpy(out + o, "\xe2\x81\xa9", 3);
				o += 3;
			}
			p = end + 1;
		} else {
			out[o++] = *p++;
		}
	}
	/* never end inside a UTF-8 sequence */
	while (o > 0 && o + 1 >= n && ((unsigned char)out[o - 1] & 0xC0) == 0x80)
		o--;
	out[o] = '\0';
	return out;
}

static const bw_admin *admin_of(const ag_console *c, const char *code)
{
	for (int i = 0; i < c->nadmins; i++)
		if (strcmp(c->admins[i].code, code) == 0)
			return &c->admins[i];
	return NULL;
}

static const char *admin_name(const ag_console *c, const char *code)
{
	const bw_admin *a = admin_of(c, code);
	if (!a)
		return code;
	/* a catalogue entry without a Tamazight name still shows one (the French) */
	if (c->lang == AG_LANG_ZGH && a->name_zgh[0])
		return a->name_zgh;
	return c->lang == AG_LANG_AR ? a->name_ar : a->name_fr;
}

/* "2026-11-27 10:02" (with_date) or "10:02", Morocco's legal time. */
static void local_time(int64_t t, char *out, size_t n, int with_date)
{
	char day[11], hm[6];
	bw_legal_hm(t, hm);
	if (with_date)
		snprintf(out, n, "%s %s", bw_day_format(bw_legal_day(t), day), hm);
	else
		snprintf(out, n, "%s", hm);
}

/* One line of text in r, clipped to it (cells of the table, labels). */
static void cell(ui_ctx *ctx, ui_rect r, const char *s, int size, ui_color col, int flags)
{
	ui_rect saved = ctx->clip;
	ui_set_clip(ctx, r);
	ui_text(ctx, r, s, size, col, flags | UI_TEXT_NOWRAP | UI_TEXT_VCENTER);
	ui_set_clip(ctx, saved);
}

/* Remembers where a widget was drawn this frame (tests click there, --dump-state). */
static void spot(ag_console *c, const char *name, ui_rect r)
{
	if (c->nspots < AG_SPOTS_MAX) {
		bw_strlcpy(c->spots[c->nspots].name, name, sizeof c->spots[0].name);
		c->spots[c->nspots++].r = r;
	}
}

/* A card is a frame on the white page: the software renderer blends every filled
 * pixel, and unfilled cards keep a frame of 10,000 rows under 16 ms at 1080p. */
/* The alignment that puts the start of a citizen's text (either script) in view. */
static int own_align(const ag_console *c, const char *s)
{
	return ui_text_is_rtl(s, (int)strlen(s)) != c->ui->rtl ? UI_ALIGN_END : UI_ALIGN_START;
}

/* A compact one-line button (ui_button wraps long labels over two lines, fit for a
 * kiosk's big keys, not for a desk's toolbars). */
static int btn(ag_console *c, ui_id id, ui_rect r, const char *label, int style)
{
	ui_ctx *ctx = c->ui;
	const ui_theme *t = &ctx->theme;
	int down;
	int res = ui_hit(ctx, id, r, &down);
	ui_color bg = t->btn, fg = t->btn_fg;
	if (style == UI_BTN_PRIMARY) {
		bg = t->primary_bg;
		fg = t->primary_fg;
	}
	if (style == UI_BTN_SELECTED || down) {
		bg = t->sel;
		fg = t->sel_fg;
	}
	ui_draw_rect(ctx, r, bg, t->radius);
	ui_draw_frame(ctx, r, t->border_c, t->radius, 1);
	ui_rect in = ui_inset(r, S(c, 4));
	int font = style == UI_BTN_PRIMARY ? UI_FONT_BOLD : UI_FONT_REGULAR;
	/* a label a little too long for its button: the small size rather than a cut */
	int size = ui_measure(ctx, label, font, t->body) > in.w ? t->small : t->body;
	cell(ctx, in, label, size, fg, UI_ALIGN_CENTER | (style == UI_BTN_PRIMARY ? UI_TEXT_BOLD : 0));
	return res;
}

static void card(ag_console *c, ui_rect r)
{
	const ui_theme *t = &c->ui->theme;
	ui_draw_frame(c->ui, r, t->border_c, t->radius, t->border);
}

/* A dialog's card sits over the page: it needs its fill. */
static void panel(ag_console *c, ui_rect r)
{
	const ui_theme *t = &c->ui->theme;
	ui_draw_rect(c->ui, r, t->panel, t->radius);
	ui_draw_frame(c->ui, r, t->border_c, t->radius, t->border);
}

/* ---- sending ---- */

static uint32_t send_cmd(ag_console *c, const bw_agent_cmd *cmd, const char *ref)
{
	uint32_t corr = 0;
	bw_err e = { 0 };
	if (!c->sender.send)
		return 0;
	if (c->sender.send(c->sender.arg, cmd, &corr, &e) != BW_OK) {
		ag_model_fail(&c->model, bw_agent_op_name(cmd->op), ref, e.msg, c->now_ms);
		if (c->modal)
			bw_strlcpy(c->modal_error, e.msg, sizeof c->modal_error);
		return 0;
	}
	return corr;
}

static void ask_get(ag_console *c, const char *ref)
{
	bw_agent_cmd cmd;
	bw_agent_cmd_init(&cmd);
	cmd.op = BW_AOP_GET;
	bw_strlcpy(cmd.ref, ref, sizeof cmd.ref);
	send_cmd(c, &cmd, ref);
}

static void ask_devices(ag_console *c)
{
	bw_agent_cmd cmd;
	bw_agent_cmd_init(&cmd);
	cmd.op = BW_AOP_DEVICES;
	send_cmd(c, &cmd, NULL);
	c->devices_at = c->now_ms + 15000;
}

static void ask_report(ag_console *c)
{
	static const int days[4] = { 0, 6, 29, -1 };
	bw_agent_cmd cmd;
	bw_agent_cmd_init(&cmd);
	cmd.op = BW_AOP_REPORT;
	bw_day today, from;
	if (bw_day_parse(c->model.today, &today, NULL) != BW_OK)
		return;
	if (days[c->period] >= 0) {
		from = today - days[c->period];
	} else {
		int y, m, d;
		bw_day_to_ymd(today, &y, &m, &d);
		from = bw_day_from_ymd(y, 1, 1);
	}
	bw_day_format(from, cmd.from);
	bw_day_format(today, cmd.until);
	memcpy(c->model.ind.from, cmd.from, sizeof cmd.from);
	memcpy(c->model.ind.until, cmd.until, sizeof cmd.until);
	send_cmd(c, &cmd, NULL);
	c->report_at = c->now_ms + 60000;
}

void ag_console_refresh(ag_console *c)
{
	bw_agent_cmd cmd;
	bw_agent_cmd_init(&cmd);
	cmd.op = BW_AOP_QUEUE;
	cmd.limit = 100000;
	send_cmd(c, &cmd, NULL);
	ask_devices(c);
	ask_report(c);
	if (c->model.selected[0])
		ask_get(c, c->model.selected);
}

/* ---- setup ---- */

static int take_admin(const bw_admin *a, void *arg)
{
	ag_console *c = arg;
	if (c->nadmins < AG_ADMINS_MAX)
		c->admins[c->nadmins++] = *a;
	return 0;
}

static void theme_for(ag_console *c, ui_theme *t, int h)
{
	/* a desk console: denser than the kiosk (it is read at arm's length, with a mouse),
	 * yet every target stays above 40 px at 1080p and 32 px at 768p */
	c->scale = h * 1000 / 1080;
	/* a floor that keeps every control (rows, buttons) at 32 px or more on 768 lines */
	if (c->scale < 850)
		c->scale = 850;
	if (c->scale > 1400)
		c->scale = 1400;
	ui_theme_get(t, UI_THEME_NORMAL);
	t->touch = S(c, 44);
	t->primary = S(c, 48);
	t->body = S(c, 21);
	t->small = S(c, 18);
	t->big = S(c, 22);
	t->title = S(c, 28);
	t->pad = S(c, 14);
	t->gap = S(c, 10);
	t->radius = S(c, 8);
	t->border = 1;
	t->bg = t->panel;   /* a white page: see card() */
	t->btn = RGB(0xF4F1EA);
}

int ag_console_init(ag_console *c, const ui_text_ops *ops, int w, int h, const char *user,
                    const char *site, int lang, bw_store *catalog, const ag_sender *s,
                    const bw_log *log, bw_err *e)
{
	memset(c, 0, sizeof *c);
	char today[11];
	bw_day_format(bw_legal_day(bw_now()), today);
	ag_model_init(&c->model, today);
	ui_theme t;
	theme_for(c, &t, h);
	c->ui = ui_new(ops, &t, w, h);
	bw_strlcpy(c->user, user, sizeof c->user);
	bw_strlcpy(c->site, site, sizeof c->site);
	if (s)
		c->sender = *s;
	c->log = log;
	c->admins = bw_xcalloc(AG_ADMINS_MAX, sizeof *c->admins);
	c->reason = -1;
	c->file_kind = BW_KIND_COMPLAINT;
	c->period = 2;
	if (catalog) {
		int rc = bw_store_admins(catalog, take_admin, c, e);
		if (rc) {
			ag_console_free(c);
			return rc;
		}
	}
	ui_field_init(&c->f_note, c->note, sizeof c->note, BW_AGENT_NOTE_MAX, UI_FIELD_TEXT);
	c->f_note.multiline = 1;
	ui_field_init(&c->f_filter, c->filter_buf, sizeof c->filter_buf, 60, UI_FIELD_TEXT);
	ui_field_init(&c->f_text, c->f_text_buf, sizeof c->f_text_buf, BW_TEXT_MAX, UI_FIELD_TEXT);
	c->f_text.multiline = 1;
	ui_field_init(&c->f_phone, c->f_phone_buf, sizeof c->f_phone_buf, 20, UI_FIELD_PHONE);
	ui_field_init(&c->f_name, c->f_name_buf, sizeof c->f_name_buf, BW_NAME_MAX, UI_FIELD_TEXT);
	ui_field_init(&c->f_id, c->f_id_buf, sizeof c->f_id_buf, BW_IDNUM_MAX, UI_FIELD_ID);
	ui_field_init(&c->f_contact, c->f_contact_buf, sizeof c->f_contact_buf, BW_CONTACT_MAX, UI_FIELD_TEXT);
	ag_console_set_lang(c, lang);
	return BW_OK;
}

void ag_console_free(ag_console *c)
{
	ag_model_free(&c->model);
	ui_free(c->ui);
	free(c->admins);
	/* the citizen's data typed at the desk does not outlive the console */
	memset(c->f_text_buf, 0, sizeof c->f_text_buf);
	memset(c->note, 0, sizeof c->note);
	c->ui = NULL;
	c->admins = NULL;
}

const char *ag_lang_code(int lang)
{
	static const char *const code[AG_LANG_COUNT] = { "ar", "fr", "zgh" };
	return (unsigned)lang < AG_LANG_COUNT ? code[lang] : code[AG_LANG_AR];
}

int ag_lang_of(const char *code)
{
	for (int l = 0; l < AG_LANG_COUNT; l++)
		if (code && strcmp(code, ag_lang_code(l)) == 0)
			return l;
	return -1;
}

int ag_lang_next(int lang)
{
	return (unsigned)lang < AG_LANG_COUNT ? (lang + 1) % AG_LANG_COUNT : AG_LANG_AR;
}

int ag_lang_is_rtl(int lang)
{
	return lang == AG_LANG_AR;
}

void ag_console_set_lang(ag_console *c, int lang)
{
	c->lang = (unsigned)lang < AG_LANG_COUNT ? lang : AG_LANG_AR;
	bw_i18n_set_lang(ag_lang_code(c->lang));
	c->ui->rtl = ag_lang_is_rtl(c->lang);
	c->ui->lang = c->lang + 1;  /* text is tagged with its language (the layout check) */
}

void ag_console_resize(ag_console *c, int w, int h)
{
	ui_theme t;
	theme_for(c, &t, h);
	c->ui->theme = t;
	c->ui->screen = (ui_rect){ 0, 0, w, h };
}

/* ---- navigation and actions ---- */

static void keep_cursor_visible(ag_console *c)
{
	int n = ag_model_view_count(&c->model);
	if (c->cursor >= n)
		c->cursor = n - 1;
	if (c->cursor < 0)
		c->cursor = 0;
	int vis = c->rows_visible > 0 ? c->rows_visible : 1;
	if (c->cursor < c->top)
		c->top = c->cursor;
	if (c->cursor >= c->top + vis)
		c->top = c->cursor - vis + 1;
	if (c->top > n - vis)
		c->top = n - vis;
	if (c->top < 0)
		c->top = 0;
}

void ag_console_open(ag_console *c, int i)
{
	const ag_row *r = ag_model_view_row(&c->model, i);
	if (!r)
		return;
	c->cursor = i;
	char ref[BW_REF_LEN + 1];
	memcpy(ref, r->ref, sizeof ref);
	ag_model_select(&c->model, ref);
	ask_get(c, ref);
}

void ag_console_wheel(ag_console *c, int rows)
{
	int n = ag_model_view_count(&c->model);
	c->top += rows;
	if (c->top > n - c->rows_visible)
		c->top = n - c->rows_visible;
	if (c->top < 0)
		c->top = 0;
}

static const ag_row *selected_row(ag_console *c)
{
	return c->model.selected[0] ? ag_model_find(&c->model, c->model.selected) : NULL;
}

static int action_allowed(ag_console *c, int a)
{
	const ag_row *r = selected_row(c);
	return r && bw_state_allowed(r->kind, r->state, action_to[a], r->extended);
}

static void open_modal(ag_console *c, int m)
{
	c->modal = m;
	c->modal_corr = 0;
	c->modal_error[0] = '\0';
	c->reason = -1;
	c->officer = 0;
	c->ui->focus = 0;   /* the dialog's first field takes the keyboard */
	ui_field_set(&c->f_note, "");
}

static void close_modal(ag_console *c)
{
	c->modal = AG_M_NONE;
	c->modal_corr = 0;
	c->ui->focus = 0;
	ui_field_wipe(&c->f_note);
}

static void send_move(ag_console *c, int to, const char *note, const char *reason)
{
	const ag_row *r = selected_row(c);
	if (!r)
		return;
	bw_agent_cmd cmd;
	bw_agent_cmd_init(&cmd);
	cmd.op = BW_AOP_MOVE;
	memcpy(cmd.ref, r->ref, sizeof cmd.ref);
	cmd.to = to;
	bw_strlcpy(cmd.note, note ? note : "", sizeof cmd.note);
	bw_strlcpy(cmd.reason, reason ? reason : "", sizeof cmd.reason);
	uint32_t corr = send_cmd(c, &cmd, r->ref);
	if (c->modal)
		c->modal_corr = corr;
}

void ag_console_action(ag_console *c, int a)
{
	if (!selected_row(c)) {
		ag_model_fail(&c->model, "move", NULL, T("agent.msg.open_first"), c->now_ms);
		return;
	}
	if (!action_allowed(c, a)) {
		ag_model_fail(&c->model, "move", c->model.selected, T("agent.msg.not_allowed"), c->now_ms);
		return;
	}
	switch (a) {
	case AG_A_ASSIGN: open_modal(c, AG_M_ASSIGN); break;
	case AG_A_ANSWER: open_modal(c, AG_M_ANSWER); break;
	case AG_A_EXTEND: open_modal(c, AG_M_EXTEND); break;
	case AG_A_REJECT: open_modal(c, AG_M_REJECT); break;
	case AG_A_REOPEN: open_modal(c, AG_M_REOPEN); break;
	case AG_A_PROGRESS: send_move(c, BW_ST_IN_PROGRESS, "", ""); break;
	case AG_A_CLOSE: send_move(c, BW_ST_CLOSED, "", ""); break;
	}
}

static void open_file_form(ag_console *c)
{
	open_modal(c, AG_M_FILE);
	ui_field_set(&c->f_text, "");
	ui_field_set(&c->f_phone, "");
	ui_field_set(&c->f_name, "");
	ui_field_set(&c->f_id, "");
	ui_field_set(&c->f_contact, "");
}

static void cycle_lang(ag_console *c)
{
	ag_console_set_lang(c, ag_lang_next(c->lang));
}

void ag_console_key(ag_console *c, int key)
{
	if (key == UI_KEY_CTRL_L) {
		cycle_lang(c);
		return;
	}
	if (key == UI_KEY_F5) {
		ag_console_refresh(c);
		return;
	}
	if (c->modal) {
		if (key == UI_KEY_ESCAPE) {
			if (c->modal == AG_M_FILTER) {
				ui_field_set(&c->f_filter, "");
				c->model.filter.text[0] = '\0';
				ag_model_refilter(&c->model);
			}
			close_modal(c);
		} else if (key < UI_KEY_UP) {
			ui_input_key(c->ui, key);
		}
		return;
	}
	int page = c->rows_visible > 1 ? c->rows_visible - 1 : 1;
	switch (key) {
	case UI_KEY_UP: c->cursor--; break;
	case UI_KEY_DOWN: c->cursor++; break;
	case UI_KEY_PGUP: c->cursor -= page; break;
	case UI_KEY_PGDN: c->cursor += page; break;
	case UI_KEY_HOME: c->cursor = 0; break;
	case UI_KEY_END: c->cursor = ag_model_view_count(&c->model) - 1; break;
	case UI_KEY_ENTER: ag_console_open(c, c->cursor); return;
	case UI_KEY_ESCAPE: ag_model_select(&c->model, ""); return;
	default: return;
	}
	keep_cursor_visible(c);
}

void ag_console_text(ag_console *c, const char *s)
{
	if (c->modal) {
		ui_input_text(c->ui, s);
		return;
	}
	if (!strcmp(s, "j")) {
		ag_console_key(c, UI_KEY_DOWN);
	} else if (!strcmp(s, "k")) {
		ag_console_key(c, UI_KEY_UP);
	} else if (!strcmp(s, "/")) {
		open_modal(c, AG_M_FILTER);
		ui_field_set(&c->f_filter, c->model.filter.text);
	} else if (!strcmp(s, "n")) {
		open_file_form(c);
	} else {
		for (int a = 0; a < AG_A_COUNT; a++)
			if (!strcmp(s, action_short[a]))
				ag_console_action(c, a);
	}
}

/* ---- replies ---- */

void ag_console_message(ag_console *c, const char *json, size_t len, uint32_t corr)
{
	bw_err e;
	const ag_row *sel = selected_row(c);
	int before = sel ? sel->state : -1, ext = sel ? sel->extended : 0;
	long changes = c->model.changes;
	char dl[BW_DATE_LEN + 1] = "";
	if (sel)
		memcpy(dl, sel->deadline, sizeof dl);
	if (ag_model_apply(&c->model, json, len, c->now_ms, &e) != BW_OK)
		log_warn(c->log, "hub message dropped: %s", e.msg);
	/* the indicators follow the queue, a little later (changes come in bursts) */
	if (c->model.changes != changes) {
		if (c->report_at > c->now_ms + 1500)
			c->report_at = c->now_ms + 1500;
	}
	/* the open request moved (here or elsewhere): its timeline is asked again */
	sel = selected_row(c);
	if (sel && before >= 0 && (sel->state != before || sel->extended != ext || strcmp(sel->deadline, dl)))
		ask_get(c, sel->ref);
	if (corr && corr == c->modal_corr) {
		c->modal_corr = 0;
		if (c->model.result.ok) {
			if (c->modal == AG_M_FILE && c->model.result.ref[0]) {
				/* the request just filed is opened: the agent reads its reference */
				ag_model_select(&c->model, c->model.result.ref);
				ask_get(c, c->model.result.ref);
			}
			close_modal(c);
		} else {
			bw_strlcpy(c->modal_error, c->model.result.error, sizeof c->modal_error);
		}
	}
	keep_cursor_visible(c);
}

void ag_console_failed(ag_console *c, uint32_t corr, int op, const char *why)
{
	char msg[BW_ERRMSG];
	subst(msg, sizeof msg, T("agent.msg.no_answer"), "why", why, NULL);
	ag_model_fail(&c->model, bw_agent_op_name(op), NULL, msg, c->now_ms);
	if (corr && corr == c->modal_corr) {
		c->modal_corr = 0;
		bw_strlcpy(c->modal_error, msg, sizeof c->modal_error);
	}
}

void ag_console_net(ag_console *c, int state, const char *why)
{
	c->net = state;
	bw_strlcpy(c->net_why, why ? why : "", sizeof c->net_why);
	if (state == AG_SHOW_ONLINE)
		ag_console_refresh(c);
}

/* ---- the frame: top bar, banner, counts, filters ---- */

static void top_bar(ag_console *c, ui_rect r)
{
	ui_ctx *ctx = c->ui;
	const ui_theme *t = &ctx->theme;
	char buf[256];
	ui_draw_rect(ctx, r, RGB(0x0B3D2E), 0);
	ui_rect in = ui_inset(r, S(c, 8));
	ui_rect b;
	b = ui_cut_end(ctx, &in, S(c, 120));
	spot(c, "lang", b);
	/* the next language, named in itself */
	ctx->lang = ag_lang_next(c->lang) + 1;
	int next_lang = btn(c, ui_id_str("lang"), b, T("agent.other_lang"), UI_BTN_NORMAL) & UI_RES_CLICK;
	ctx->lang = c->lang + 1;
	if (next_lang)
		cycle_lang(c);
	ui_cut_end(ctx, &in, S(c, 8));
	b = ui_cut_end(ctx, &in, S(c, 170));
	spot(c, "refresh", b);
	if (btn(c, ui_id_str("refresh"), b, T("agent.refresh"), UI_BTN_NORMAL) & UI_RES_CLICK)
		ag_console_refresh(c);
	ui_cut_end(ctx, &in, S(c, 8));
	b = ui_cut_end(ctx, &in, S(c, 150));
	if (btn(c, ui_id_str("sound"), b, T(c->sound ? "agent.sound_on" : "agent.sound_off"),
		      c->sound ? UI_BTN_SELECTED : UI_BTN_NORMAL) & UI_RES_CLICK)
		c->sound = !c->sound;
	ui_cut_end(ctx, &in, S(c, 8));
	b = ui_cut_end(ctx, &in, S(c, 260));
	spot(c, "file", b);
	if (btn(c, ui_id_str("file"), b, T("agent.file_desk"), UI_BTN_PRIMARY) & UI_RES_CLICK)
		open_file_form(c);
	ui_cut_end(ctx, &in, S(c, 16));
	ui_rect title = ui_cut_start(ctx, &in, S(c, 420));
	cell(ctx, title, T("agent.title"), t->title, RGB(0xFFFFFF), UI_ALIGN_START | UI_TEXT_BOLD);
	/* who and where: the agent's identity is on every action they take */
	subst(buf, sizeof buf, T("agent.who"), "user", c->user, "site", c->site, NULL);
	ui_rect who = ui_cut_start(ctx, &in, in.w * 2 / 3);
	cell(ctx, who, buf, t->body, RGB(0xFFFFFF), UI_ALIGN_START);
	static const unsigned dot[] = { 0xE0A800, 0x3DDC84, 0xFF6B6B, 0xFF6B6B };
	static const char *const net_key[] = { "agent.net.connecting", "agent.net.online",
					       "agent.net.lost", "agent.net.refused" };
	ui_rect d = ui_cut_start(ctx, &in, S(c, 18));
	ui_draw_rect(ctx, ui_center(d, S(c, 14), S(c, 14)), RGB(dot[c->net & 3]), S(c, 7));
	ui_cut_start(ctx, &in, S(c, 6));
	cell(ctx, in, T(net_key[c->net & 3]), t->small, RGB(0xFFFFFF), UI_ALIGN_START);
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
		subst(buf, sizeof buf, T("agent.banner.lost"), "why", c->net_why, NULL);
	cell(ctx, ui_inset(r, S(c, 6)), buf, t->body, t->error_fg, UI_ALIGN_CENTER | UI_TEXT_BOLD);
}

static void counts_row(ag_console *c, ui_rect r)
{
	ui_ctx *ctx = c->ui;
	const ui_theme *t = &ctx->theme;
	ui_rect tiles[AG_CNT_COUNT + 1];
	ui_columns(ctx, r, AG_CNT_COUNT + 1, S(c, 8), tiles);
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
		ui_rect in = ui_inset(tr, S(c, 6));
		ui_rect num = ui_cut_end(ctx, &in, S(c, 64));
		char n[24];
		snprintf(n, sizeof n, "%ld", i < 0 ? (long)c->model.nrows : c->model.counts[i]);
		cell(ctx, in, T(i < 0 ? "agent.count.all" : count_key[i]), t->small, fg, UI_ALIGN_START);
		cell(ctx, num, n, t->title, fg, UI_ALIGN_END | UI_TEXT_BOLD);
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
	int total = S(c, 270 + 300 + 230 + 240 + 260 + 260 + 6 * 8), w = S(c, width);
	if (total > c->ui->screen.w - S(c, 20))
		w = (int)((long)w * (c->ui->screen.w - S(c, 20)) / total);
	ui_rect b = ui_cut_start(c->ui, in, w);
	ui_cut_start(c->ui, in, S(c, 8));
	return btn(c, ui_id_str(id), b, buf, on ? UI_BTN_SELECTED : UI_BTN_NORMAL) & UI_RES_CLICK;
}

static void filter_row(ag_console *c, ui_rect r)
{
	ag_filter *f = &c->model.filter;
	int changed = 0;
	ui_rect in = r;
	if (filter_button(c, &in, "f.kind", 270, T("agent.filter.kind"), f->kind < 0 ? T("agent.any") : kind_text(f->kind), f->kind >= 0)) {
		f->kind = f->kind + 1 < BW_KIND_COUNT ? f->kind + 1 : -1;
		changed = 1;
	}
	if (filter_button(c, &in, "f.admin", 300, T("agent.filter.admin"), f->admin[0] ? admin_name(c, f->admin) : T("agent.any"), f->admin[0])) {
		cycle_code(c, 0, f->admin, sizeof f->admin);
		changed = 1;
	}
	if (filter_button(c, &in, "f.channel", 230, T("agent.filter.channel"), f->channel < 0 ? T("agent.any") : channel_text(f->channel), f->channel >= 0)) {
		f->channel = f->channel + 1 < BW_CHANNEL_COUNT ? f->channel + 1 : -1;
		changed = 1;
	}
	char dev[64];
	if (filter_button(c, &in, "f.device", 240, T("agent.filter.device"), f->device[0] ? iso(dev, sizeof dev, f->device) : T("agent.any"), f->device[0])) {
		cycle_code(c, 1, f->device, sizeof f->device);
		changed = 1;
	}
	if (filter_button(c, &in, "f.sort", 260, T("agent.filter.sort"), T(sort_key[f->sort]), 0)) {
		f->sort = (f->sort + 1) % AG_SORT_COUNT;
		changed = 1;
	}
	if (filter_button(c, &in, "f.text", 260, T("agent.filter.text"), f->text[0] ? f->text : "/", f->text[0])) {
		open_modal(c, AG_M_FILTER);
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
		out[i] = col_w[i] ? ui_cut_start(c->ui, &r, S(c, col_w[i])) : r;
		out[i] = ui_inset(out[i], 0);
		out[i].x += S(c, 4);
		out[i].w -= S(c, 8);
	}
}

static void queue(ag_console *c, ui_rect r)
{
	ui_ctx *ctx = c->ui;
	const ui_theme *t = &ctx->theme;
	card(c, r);
	r = ui_inset(r, S(c, 4));
	int rh = S(c, 38);
	ui_rect head = ui_cut_top(&r, rh);
	ui_rect cols[NCOLS];
	columns(c, head, cols);
	for (int i = 0; i < NCOLS; i++)
		cell(ctx, cols[i], T(col_key[i]), t->small, t->muted, UI_ALIGN_START | UI_TEXT_BOLD);
	ui_draw_rect(ctx, ui_cut_top(&r, 1), t->border_c, 0);
	int n = ag_model_view_count(&c->model);
	c->rows_visible = r.h / rh;
	if (c->top > n - c->rows_visible)
		c->top = n - c->rows_visible;
	if (c->top < 0)
		c->top = 0;
	if (n == 0) {
		cell(ctx, ui_cut_top(&r, rh * 2), T(c->model.loaded ? "agent.queue.empty" : "agent.queue.loading"),
		     t->body, t->muted, UI_ALIGN_CENTER);
		return;
	}
	/* a scroll bar on the end side: where the visible rows are among all */
	ui_rect bar = ui_cut_end(ctx, &r, S(c, 8));
	ui_draw_rect(ctx, bar, t->bg, 0);
	int th = n > c->rows_visible ? bar.h * c->rows_visible / n : bar.h;
	if (th < S(c, 20))
		th = S(c, 20);
	int ty = n > c->rows_visible ? (bar.h - th) * c->top / (n - c->rows_visible) : 0;
	ui_draw_rect(ctx, (ui_rect){ bar.x, bar.y + ty, bar.w, th }, t->border_c, S(c, 4));
	for (int i = c->top; i < n && i < c->top + c->rows_visible; i++) {
		const ag_row *row = ag_model_view_row(&c->model, i);
		ui_rect rr = ui_cut_top(&r, rh);
		if (i - c->top < 20) {
			char nm[16];
			snprintf(nm, sizeof nm, "row%d", i);
			spot(c, nm, rr);
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
		cell(ctx, cols[COL_REF], row->ref, t->body, fg, UI_ALIGN_START | bold);
		cell(ctx, cols[COL_KIND], kind_text(row->kind), t->body, fg, UI_ALIGN_START | bold);
		cell(ctx, cols[COL_STATE], state_text(row->state), t->body, fg, UI_ALIGN_START | bold);
		char dev[64];
		snprintf(buf, sizeof buf, "%s · %s", channel_text(row->channel), iso(dev, sizeof dev, row->device));
		cell(ctx, cols[COL_CHANNEL], buf, t->body, fg, UI_ALIGN_START);
		cell(ctx, cols[COL_ADMIN], admin_name(c, row->admin), t->body, fg, UI_ALIGN_START);
		cell(ctx, cols[COL_DEADLINE], row->deadline, t->body, row->overdue && !sel ? t->error : fg,
		     UI_ALIGN_START | (row->overdue ? UI_TEXT_BOLD : 0));
		cell(ctx, cols[COL_TEXT], row->excerpt, t->body, fg, own_align(c, row->excerpt) | UI_TEXT_AUTO | UI_TEXT_DATA);
	}
}

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
		subst(said, sizeof said, T(i ? "agent.assign.officer" : "agent.assign.admin"), "admin", admin_name(c, code), NULL);
		snprintf(out, n, "%s%s\xe2\x81\xa8%.200s\xe2\x81\xa9", said, colon ? ": " : "", colon ? colon + 2 : "");
		return;
	}
	if (ev->note[0])
		snprintf(out, n, "\xe2\x81\xa8%.300s\xe2\x81\xa9", ev->note);
	else
		out[0] = '\0';
}

static int line(ag_console *c, ui_rect *r, const char *s, int size, ui_color col, int flags)
{
	int lh = ui_line_height(c->ui, flags & UI_TEXT_BOLD ? UI_FONT_BOLD : UI_FONT_REGULAR, size);
	ui_rect l = ui_cut_top(r, lh + S(c, 2));
	cell(c->ui, l, s, size, col, UI_ALIGN_START | flags);
	return lh;
}


static void detail(ag_console *c, ui_rect r)
{
	ui_ctx *ctx = c->ui;
	const ui_theme *t = &ctx->theme;
	card(c, r);
	r = ui_inset(r, S(c, 14));
	const ag_row *row = selected_row(c);
	if (!row) {
		cell(ctx, ui_cut_top(&r, S(c, 60)), T("agent.detail.none"), t->body, t->muted, UI_ALIGN_CENTER);
		return;
	}
	/* the actions stay at the bottom whatever the content's length */
	ui_rect acts = ui_cut_bottom(&r, t->touch);
	ui_rect ab[AG_A_COUNT];
	ui_columns(ctx, acts, AG_A_COUNT, S(c, 6), ab);
	for (int a = 0; a < AG_A_COUNT; a++) {
		char lab[96];
		int ok = action_allowed(c, a);
		snprintf(lab, sizeof lab, "%s", T(action_key[a]));
		if (!ok) {
			ui_draw_rect(ctx, ab[a], t->bg, t->radius);
			cell(ctx, ui_inset(ab[a], S(c, 4)), lab, t->body, RGB(0x8A8A8A), UI_ALIGN_CENTER);
			continue;
		}
		ui_rect saved = ctx->clip;
		char nm[24];
		snprintf(nm, sizeof nm, "act.%s", bw_state_name(action_to[a]));
		spot(c, nm, ab[a]);
		if (ui_hit(ctx, ui_id_mix(ui_id_str("act"), a), ab[a], NULL) & UI_RES_CLICK)
			ag_console_action(c, a);
		ui_draw_rect(ctx, ab[a], a == AG_A_ANSWER ? t->primary_bg : t->btn, t->radius);
		ui_draw_frame(ctx, ab[a], t->border_c, t->radius, 1);
		ui_set_clip(ctx, ab[a]);
		ui_text(ctx, ui_inset(ab[a], S(c, 4)), lab, t->body, a == AG_A_ANSWER ? t->primary_fg : t->btn_fg,
			UI_ALIGN_CENTER | UI_TEXT_VCENTER | UI_TEXT_NOWRAP | (a == AG_A_ANSWER ? UI_TEXT_BOLD : 0));
		ui_set_clip(ctx, saved);
	}
	ui_cut_bottom(&r, S(c, 8));
	ui_rect saved = ctx->clip;
	ui_set_clip(ctx, r);
	char buf[1024];   /* when + who + move + note, each bounded */
	/* heading: reference, state, flags */
	snprintf(buf, sizeof buf, "\xe2\x81\xa6%s\xe2\x81\xa9  ·  %s", row->ref, state_text(row->state));
	line(c, &r, buf, t->title, t->fg, UI_TEXT_BOLD);
	buf[0] = '\0';
	if (row->overdue)
		snprintf(buf, sizeof buf, "%s  ", T("agent.flag.overdue"));
	if (row->urgent)
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s  ", T("agent.flag.urgent"));
	if (row->extended)
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s", T("agent.flag.extended"));
	if (buf[0])
		line(c, &r, buf, t->body, t->error, UI_TEXT_BOLD);
	char dev[64];
	snprintf(buf, sizeof buf, "%s · %s · %s · %s", kind_text(row->kind), channel_text(row->channel),
		 iso(dev, sizeof dev, row->device), admin_name(c, row->admin));
	line(c, &r, buf, t->body, t->fg, 0);
	const ag_detail *d = &c->model.detail;
	char skipped[AG_SKIPPED_MAX * 12 + 1] = "";
	for (int i = 0; d->loaded && i < d->nskipped; i++)
		snprintf(skipped + strlen(skipped), sizeof skipped - strlen(skipped), "%s%s", i ? ", " : "", d->skipped[i]);
	subst(buf, sizeof buf, T("agent.detail.dates"), "received", row->received_on, "deadline", row->deadline, NULL);
	line(c, &r, buf, t->body, row->overdue ? t->error : t->fg, 0);
	if (skipped[0]) {
		char s2[700];
		subst(s2, sizeof s2, T("agent.detail.skipped"), "days", skipped, NULL);
		line(c, &r, s2, t->small, t->muted, 0);
	}
	if (!d->loaded) {
		line(c, &r, T("agent.detail.loading"), t->body, t->muted, 0);
		ui_set_clip(ctx, saved);
		return;
	}
	/* the citizen on one line: only what the request holds */
	/* the receipt code too: a citizen filing at the desk or on paper is told it here */
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
	ui_cut_top(&r, S(c, 4));
	line(c, &r, buf, t->small, t->fg, 0);
	/* the timeline first (who did what), the text in the space left */
	ui_cut_top(&r, S(c, 6));
	int lh = ui_line_height(ctx, UI_FONT_REGULAR, t->small) + S(c, 2);
	int label_h = ui_line_height(ctx, UI_FONT_BOLD, t->small) + S(c, 2);
	/* keep the text's label and three of its lines (fewer on a small screen): the latest
	 * events that fit above, under their label, or none */
	int body_lh = ui_line_height(ctx, UI_FONT_REGULAR, t->body);
	int need = S(c, 6) + label_h + 3 * body_lh;
	if (need > r.h)
		need = r.h;
	int room = (r.h - need - label_h) / lh;
	if (room < 0)
		room = 0;
	if (room > 0)
		line(c, &r, T("agent.detail.timeline"), t->small, t->muted, UI_TEXT_BOLD);
	int first = d->nevents > room && room > 0 ? d->nevents - room : 0;
	for (int i = first; i < d->nevents && i - first < room; i++) {
		const ag_event *ev = &d->events[i];
		char when[32], mv[200];
		local_time(ev->at, when, sizeof when, 1);
		if (ev->old_state >= 0)
			subst(mv, sizeof mv, T("agent.timeline.move"), "from", state_text(ev->old_state), "to",
			      state_text(ev->new_state), NULL);
		else
			bw_strlcpy(mv, state_text(ev->new_state), sizeof mv);
		/* who: a code (agent:amina, device:kiosk-01), isolated; the note is an agent's
		 * own words (data) after the move, or whom it was assigned to, said in words */
		char who[64], note[400];
		note_text(c, ev, note, sizeof note);
		snprintf(buf, sizeof buf, "\xe2\x81\xa6%s\xe2\x81\xa9 · %s · %s%s%s", when,
			 iso(who, sizeof who, ev->actor[0] ? ev->actor : "-"), mv, note[0] ? " · " : "", note);
		line(c, &r, buf, t->small, t->fg, UI_TEXT_AUTO);
	}
	ui_cut_top(&r, S(c, 6));
	if (r.h < label_h + body_lh) {
		ui_set_clip(ctx, saved);
		return;  /* no room for a line of the text: the card says no more */
	}
	line(c, &r, T("agent.detail.text"), t->small, t->muted, UI_TEXT_BOLD);
	ui_set_clip(ctx, r);
	ui_text(ctx, r, d->req.text, t->body, t->fg, own_align(c, d->req.text) | UI_TEXT_AUTO | UI_TEXT_DATA | UI_TEXT_CLAMP);
	ui_set_clip(ctx, saved);
}

/* ---- devices and indicators ---- */

static void devices(ag_console *c, ui_rect r)
{
	ui_ctx *ctx = c->ui;
	const ui_theme *t = &ctx->theme;
	card(c, r);
	r = ui_inset(r, S(c, 10));
	line(c, &r, T("agent.devices"), t->small, t->muted, UI_TEXT_BOLD);
	if (c->model.ndevices == 0)
		line(c, &r, T("agent.devices.none"), t->body, t->muted, 0);
	for (int i = 0; i < c->model.ndevices && r.h > 0; i++) {
		const ag_device *d = &c->model.devices[i];
		char seen[32] = "-", buf[400], nb[160] = "";
		if (d->last_seen)
			local_time(d->last_seen, seen, sizeof seen, 0);
		int lh = ui_line_height(ctx, UI_FONT_REGULAR, t->body) + S(c, 2);
		ui_rect l = ui_cut_top(&r, lh);
		ui_rect dot = ui_cut_start(ctx, &l, S(c, 22));
		ui_draw_rect(ctx, ui_center(dot, S(c, 14), S(c, 14)), d->online ? t->ok : t->error, S(c, 7));
		if (d->signal >= 0)
			snprintf(nb, sizeof nb, " · %s %d%% · %s %d", T("agent.dev.signal"), d->signal, T("agent.dev.queue"), d->queue);
		int backlog = d->outbox >= c->model.backlog_alert;
		/* a clock the hub does not believe (issue 11: its times are replaced) */
		int clock_bad = d->clock_known && (d->clock_skew > 300 || d->clock_skew < -300);
		if (clock_bad)
			snprintf(nb + strlen(nb), sizeof nb - strlen(nb), " · %s %+llds", T("agent.dev.clock"),
				 (long long)d->clock_skew);
		snprintf(buf, sizeof buf, "%s · %s · %s · %s %s · %s %ld%s", d->id, tr2("agent.devkind.", d->kind),
			 T(d->online ? "agent.dev.online" : "agent.dev.offline"), T("agent.dev.seen"), seen,
			 T("agent.dev.outbox"), d->outbox < 0 ? 0 : d->outbox, nb);
		cell(ctx, l, buf, t->body, d->online && !backlog && !clock_bad ? t->fg : t->error, UI_ALIGN_START);
	}
}

static void indicators(ag_console *c, ui_rect r)
{
	ui_ctx *ctx = c->ui;
	const ui_theme *t = &ctx->theme;
	card(c, r);
	r = ui_inset(r, S(c, 10));
	ui_rect head = ui_cut_top(&r, t->touch);
	ui_rect title = ui_cut_start(ctx, &head, head.w / 3);
	cell(ctx, title, T("agent.indicators"), t->small, t->muted, UI_TEXT_BOLD | UI_ALIGN_START);
	ui_rect pb[4];
	ui_columns(ctx, head, 4, S(c, 6), pb);
	for (int i = 0; i < 4; i++)
		if (btn(c, ui_id_mix(ui_id_str("period"), i), pb[i], T(period_key[i]),
			      c->period == i ? UI_BTN_SELECTED : UI_BTN_NORMAL) & UI_RES_CLICK) {
			c->period = i;
			ask_report(c);
		}
	ui_cut_top(&r, S(c, 6));
	int sh[3];
	ag_model_shares(&c->model, &sh[0], &sh[1], &sh[2]);
	static const char *const key[3] = { "agent.ind.answered", "agent.ind.in_time", "agent.ind.reopened" };
	ui_rect cols[3];
	ui_columns(ctx, r, 3, S(c, 8), cols);
	for (int i = 0; i < 3; i++) {
		char v[32];
		if (!c->model.ind.loaded || sh[i] < 0)
			snprintf(v, sizeof v, "–");
		else
			snprintf(v, sizeof v, "%d.%d%%", sh[i] / 10, sh[i] % 10);
		ui_rect cr = cols[i];
		ui_rect big = ui_cut_top(&cr, ui_line_height(ctx, UI_FONT_BOLD, t->title));
		cell(ctx, big, v, t->title, t->fg, UI_ALIGN_START | UI_TEXT_BOLD);
		cell(ctx, ui_cut_top(&cr, ui_line_height(ctx, UI_FONT_REGULAR, t->small)), T(key[i]), t->small, t->muted, UI_ALIGN_START);
	}
	char n[160], tot[24];
	snprintf(tot, sizeof tot, "%ld", c->model.ind.total);
	subst(n, sizeof n, T("agent.ind.total"), "n", tot, "from", c->model.ind.from, "to", c->model.ind.until, NULL);
	ui_rect last = ui_cut_bottom(&r, ui_line_height(ctx, UI_FONT_REGULAR, t->small));
	if (c->model.ind.loaded)
		cell(ctx, last, n, t->small, t->muted, UI_ALIGN_START);
}

/* ---- status line and toasts ---- */

/* The keys and what each does, in the screen's words: "a assign · p in progress · ...". */
static const char *key_legend(const ag_console *c, char *out, size_t n)
{
	size_t o = 0;
	char k[32];
	out[0] = '\0';
	for (int a = 0; a < AG_A_COUNT && o + 1 < n; a++)
		o += (size_t)snprintf(out + o, n - o, "%s%s %s", a ? " · " : "", iso(k, sizeof k, action_short[a]),
				      T(action_key[a]));
	if (o + 1 < n)
		o += (size_t)snprintf(out + o, n - o, " · %s %s · %s %s", iso(k, sizeof k, "n"), T("agent.file_desk"),
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
	r = ui_inset(r, S(c, 6));
	ui_rect keys = ui_cut_end(ctx, &r, r.w * 2 / 5);
	cell(ctx, keys, key_legend(c, legend, sizeof legend), t->small, t->muted, UI_ALIGN_END);
	char buf[BW_ERRMSG + 200];
	if (!res->at_ms)
		return;
	if (res->ok) {
		const char *what = !strcmp(res->op, "file") ? T("agent.result.filed") : state_text(res->state);
		subst(buf, sizeof buf, T("agent.result.ok"), "ref", res->ref, "what", what, NULL);
	} else {
		subst(buf, sizeof buf, T("agent.result.refused"), "why", res->error, NULL);
	}
	cell(ctx, r, buf, t->body, res->ok ? t->ok : t->error, UI_ALIGN_START | UI_TEXT_BOLD | UI_TEXT_AUTO);
}

static void toasts(ag_console *c, ui_rect area)
{
	ui_ctx *ctx = c->ui;
	const ui_theme *t = &ctx->theme;
	static const char *const key[] = { "agent.toast.new", "agent.toast.overdue", "agent.toast.offline",
					   "agent.toast.backlog", "agent.toast.online" };
	/* at the bottom of the queue, newest lowest: the open request and the devices stay
	 * in view; three at most */
	int w = S(c, 560), h = S(c, 52);
	ui_rect col = ui_cut_start(ctx, &area, w + S(c, 24));
	col = ui_inset(col, S(c, 12));
	for (int i = c->model.ntoasts - 1, k = 0; i >= 0 && k < 3; i--, k++) {
		const ag_toast *to = &c->model.toasts[i];
		char buf[256], n[24];
		snprintf(n, sizeof n, "%ld", to->n);
		const ag_row *row = to->kind <= AG_TOAST_OVERDUE ? ag_model_find(&c->model, to->what) : NULL;
		subst(buf, sizeof buf, T(key[to->kind]), "ref", to->what, "device", row ? row->device : to->what,
		      "n", n, NULL);
		ui_rect tr = ui_cut_bottom(&col, h);
		ui_cut_bottom(&col, S(c, 8));
		ui_color bg = to->kind == AG_TOAST_NEW || to->kind == AG_TOAST_ONLINE ? t->sel : t->error;
		if (ui_hit(ctx, ui_id_mix(ui_id_str("toast"), i), tr, NULL) & UI_RES_CLICK && row) {
			ag_model_select(&c->model, to->what);
			ask_get(c, to->what);
			int at = ag_model_view_find(&c->model, to->what);
			if (at >= 0) {
				c->cursor = at;
				keep_cursor_visible(c);
			}
		}
		ui_draw_rect(ctx, tr, bg, t->radius);
		cell(ctx, ui_inset(tr, S(c, 10)), buf, t->body, RGB(0xFFFFFF), UI_ALIGN_START | UI_TEXT_BOLD);
	}
}

/* ---- dialogs ---- */

static void modal_buttons(ag_console *c, ui_rect *r, const char *ok_key, int ok_enabled, int *ok, int *cancel)
{
	ui_ctx *ctx = c->ui;
	const ui_theme *t = &ctx->theme;
	ui_rect row = ui_cut_bottom(r, t->primary);
	ui_rect b2[2];
	ui_columns(ctx, (ui_rect){ row.x + row.w / 3, row.y, row.w * 2 / 3, row.h }, 2, S(c, 12), b2);
	if (ctx->rtl)
		ui_columns(ctx, (ui_rect){ row.x, row.y, row.w * 2 / 3, row.h }, 2, S(c, 12), b2);
	spot(c, "modal.cancel", b2[1]);
	spot(c, "modal.ok", b2[0]);
	*cancel = btn(c, ui_id_str("m.cancel"), b2[1], T("agent.cancel"), UI_BTN_NORMAL) & UI_RES_CLICK;
	if (c->modal_corr) {
		ui_draw_rect(ctx, b2[0], t->bg, t->radius);
		cell(ctx, b2[0], T("agent.sending"), t->body, t->muted, UI_ALIGN_CENTER);
		*ok = 0;
	} else {
		*ok = btn(c, ui_id_str("m.ok"), b2[0], T(ok_key), ok_enabled ? UI_BTN_PRIMARY : UI_BTN_NORMAL) & UI_RES_CLICK;
		if (*ok && !ok_enabled) {
			bw_strlcpy(c->modal_error, T("agent.msg.note_needed"), sizeof c->modal_error);
			*ok = 0;
		}
	}
	ui_cut_bottom(r, S(c, 10));
	if (c->modal_error[0]) {
		ui_rect er = ui_cut_bottom(r, ui_line_height(ctx, UI_FONT_BOLD, t->body) + S(c, 8));
		ui_draw_rect(ctx, er, t->error, t->radius / 2);
		cell(ctx, ui_inset(er, S(c, 4)), c->modal_error, t->body, t->error_fg, UI_ALIGN_START | UI_TEXT_BOLD | UI_TEXT_AUTO);
		ui_cut_bottom(r, S(c, 8));
	}
}

static void modal_note(ag_console *c, const char *title_key, const char *hint_key, const char *ok_key, int to,
                       int note_required)
{
	ui_ctx *ctx = c->ui;
	const ui_theme *t = &ctx->theme;
	ui_rect r = ui_center(ctx->screen, S(c, 1000), S(c, 560));
	panel(c, r);
	r = ui_inset(r, S(c, 20));
	char buf[300];
	subst(buf, sizeof buf, T(title_key), "ref", c->model.selected, NULL);
	line(c, &r, buf, t->title, t->fg, UI_TEXT_BOLD);
	/* the hint as high as it wraps to */
	ui_rect hint = ui_cut_top(&r, ui_text_height(ctx, r.w, T(hint_key), t->body, 0));
	ui_text(ctx, hint, T(hint_key), t->body, t->muted, UI_ALIGN_START);
	ui_cut_top(&r, S(c, 6));
	int ok, cancel;
	modal_buttons(c, &r, ok_key, !note_required || ui_field_chars(&c->f_note) > 0, &ok, &cancel);
	ui_cut_bottom(&r, S(c, 6));
	spot(c, "modal.note", r);
	ui_textbox(ctx, ui_id_str("m.note"), r, &c->f_note, T("agent.note.placeholder"));
	if (cancel)
		close_modal(c);
	else if (ok)
		send_move(c, to, c->note, "");
}

static void modal_assign(ag_console *c)
{
	ui_ctx *ctx = c->ui;
	const ui_theme *t = &ctx->theme;
	const ag_row *row = selected_row(c);
	ui_rect r = ui_center(ctx->screen, S(c, 1000), S(c, 560));
	panel(c, r);
	r = ui_inset(r, S(c, 20));
	char buf[600];
	subst(buf, sizeof buf, T("agent.assign.title"), "ref", c->model.selected, NULL);
	line(c, &r, buf, t->title, t->fg, UI_TEXT_BOLD);
	const bw_admin *a = row ? admin_of(c, row->admin) : NULL;
	const char *aname = row ? admin_name(c, row->admin) : "";
	ui_rect ch = ui_cut_top(&r, S(c, 70));
	subst(buf, sizeof buf, T("agent.assign.admin"), "admin", aname, NULL);
	if (btn(c, ui_id_str("m.adm"), ch, buf, !c->officer ? UI_BTN_SELECTED : UI_BTN_NORMAL) & UI_RES_CLICK)
		c->officer = 0;
	ui_cut_top(&r, S(c, 10));
	ch = ui_cut_top(&r, S(c, 70));
	subst(buf, sizeof buf, T("agent.assign.officer"), "admin", aname, "officer", a ? a->officer : "", NULL);
	if (btn(c, ui_id_str("m.off"), ch, buf, c->officer ? UI_BTN_SELECTED : UI_BTN_NORMAL) & UI_RES_CLICK)
		c->officer = 1;
	ui_cut_top(&r, S(c, 10));
	int ok, cancel;
	modal_buttons(c, &r, "agent.act.assign", 1, &ok, &cancel);
	ui_cut_bottom(&r, S(c, 6));
	ui_textbox(ctx, ui_id_str("m.note"), r, &c->f_note, T("agent.note.optional"));
	if (cancel) {
		close_modal(c);
	} else if (ok && row) {
		/* the note names who it goes to: the store wants it, the timeline shows it */
		char note[BW_CHARS(BW_AGENT_NOTE_MAX)];
		snprintf(note, sizeof note, "%s %s%s%.7000s", c->officer ? "information-officer" : "administration",
			 row->admin, c->note[0] ? ": " : "", c->note);
		send_move(c, BW_ST_ASSIGNED, note, "");
	}
}

static void modal_reject(ag_console *c)
{
	ui_ctx *ctx = c->ui;
	const ui_theme *t = &ctx->theme;
	const ag_row *row = selected_row(c);
	ui_rect r = ui_center(ctx->screen, S(c, 1100), S(c, 760));
	panel(c, r);
	r = ui_inset(r, S(c, 20));
	char buf[300];
	subst(buf, sizeof buf, T("agent.reject.title"), "ref", c->model.selected, NULL);
	line(c, &r, buf, t->title, t->fg, UI_TEXT_BOLD);
	line(c, &r, T("agent.reject.hint"), t->body, t->muted, 0);
	const bw_refusal *rf = bw_refusals();
	int info = row && row->kind == BW_KIND_INFO;
	for (int i = 0; rf[i].code; i++) {
		if (rf[i].info != info)
			continue;
		ui_rect b = ui_cut_top(&r, S(c, 50));
		ui_cut_top(&r, S(c, 6));
		if (btn(c, ui_id_mix(ui_id_str("m.reason"), i), b, tr2("agent.refusal.", rf[i].code),
			      c->reason == i ? UI_BTN_SELECTED : UI_BTN_NORMAL) & UI_RES_CLICK)
			c->reason = i;
	}
	int ok, cancel;
	modal_buttons(c, &r, "agent.act.reject", c->reason >= 0, &ok, &cancel);
	if (c->modal_error[0] && c->reason < 0)
		bw_strlcpy(c->modal_error, T("agent.msg.reason_needed"), sizeof c->modal_error);
	ui_cut_bottom(&r, S(c, 6));
	ui_textbox(ctx, ui_id_str("m.note"), r, &c->f_note, T("agent.note.optional"));
	if (cancel)
		close_modal(c);
	else if (ok)
		send_move(c, BW_ST_REJECTED, c->note, rf[c->reason].code);
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
	c->modal_corr = send_cmd(c, &cmd, NULL);
	bw_agent_cmd_clear(&cmd);
}

static void modal_file(ag_console *c)
{
	ui_ctx *ctx = c->ui;
	const ui_theme *t = &ctx->theme;
	ui_rect r = ui_center(ctx->screen, S(c, 1200), S(c, 820));
	if (r.h > ctx->screen.h - 20)
		r = ui_inset(ctx->screen, 10);
	panel(c, r);
	r = ui_inset(r, S(c, 20));
	line(c, &r, T("agent.file.title"), t->title, t->fg, UI_TEXT_BOLD);
	ui_rect kr = ui_cut_top(&r, t->touch);
	ui_rect kb[BW_KIND_COUNT];
	ui_columns(ctx, kr, BW_KIND_COUNT, S(c, 8), kb);
	for (int k = 0; k < BW_KIND_COUNT; k++)
		if (btn(c, ui_id_mix(ui_id_str("m.kind"), k), kb[k], kind_text(k),
			      c->file_kind == k ? UI_BTN_SELECTED : UI_BTN_NORMAL) & UI_RES_CLICK)
			c->file_kind = k;
	ui_cut_top(&r, S(c, 8));
	ui_rect ar = ui_cut_top(&r, t->touch);
	ui_rect prev = ui_cut_start(ctx, &ar, t->touch), next = ui_cut_end(ctx, &ar, t->touch);
	if (ui_hit(ctx, ui_id_str("m.aprev"), prev, NULL) & UI_RES_CLICK && c->nadmins)
		c->file_admin = (c->file_admin + c->nadmins - 1) % c->nadmins;
	if (ui_hit(ctx, ui_id_str("m.anext"), next, NULL) & UI_RES_CLICK && c->nadmins)
		c->file_admin = (c->file_admin + 1) % c->nadmins;
	ui_draw_rect(ctx, prev, t->btn, t->radius);
	ui_draw_frame(ctx, prev, t->border_c, t->radius, 1);
	ui_icon(ctx, ui_inset(prev, S(c, 8)), UI_ICON_BACK, t->fg);
	ui_draw_rect(ctx, next, t->btn, t->radius);
	ui_draw_frame(ctx, next, t->border_c, t->radius, 1);
	ui_icon(ctx, ui_inset(next, S(c, 8)), UI_ICON_NEXT, t->fg);
	char buf[400];
	if (c->nadmins) {
		snprintf(buf, sizeof buf, "%s: %s (%s)", T("agent.filter.admin"),
			 admin_name(c, c->admins[c->file_admin].code), c->admins[c->file_admin].code);
		cell(ctx, ui_inset(ar, S(c, 8)), buf, t->body, t->fg, UI_ALIGN_CENTER);
	}
	ui_cut_top(&r, S(c, 8));
	int ok, cancel;
	modal_buttons(c, &r, "agent.file.ok", ui_field_chars(&c->f_text) > 0, &ok, &cancel);
	int fh = ui_line_height(ctx, UI_FONT_REGULAR, t->big) + S(c, 20);
	if (c->file_kind == BW_KIND_INFO) {
		ui_rect row = ui_cut_bottom(&r, fh);
		ui_rect f3[3];
		ui_columns(ctx, row, 3, S(c, 8), f3);
		ui_textbox(ctx, ui_id_str("m.name"), f3[0], &c->f_name, T("agent.field.name"));
		ui_textbox(ctx, ui_id_str("m.id"), f3[1], &c->f_id, T("agent.field.id"));
		ui_textbox(ctx, ui_id_str("m.contact"), f3[2], &c->f_contact, T("agent.field.contact"));
		ui_cut_bottom(&r, S(c, 8));
	}
	ui_rect ph = ui_cut_bottom(&r, fh);
	ui_cut_bottom(&r, S(c, 8));
	/* the text box is drawn first: it takes the keyboard when the form opens */
	spot(c, "modal.text", r);
	spot(c, "modal.phone", ph);
	ui_textbox(ctx, ui_id_str("m.text"), r, &c->f_text, T("agent.file.text"));
	ui_textbox(ctx, ui_id_str("m.phone"), ph, &c->f_phone, T("agent.file.phone"));
	if (cancel)
		close_modal(c);
	else if (ok)
		send_file(c);
}

static void modal_filter(ag_console *c)
{
	ui_ctx *ctx = c->ui;
	const ui_theme *t = &ctx->theme;
	ui_rect r = ui_center(ctx->screen, S(c, 800), S(c, 220));
	panel(c, r);
	r = ui_inset(r, S(c, 20));
	line(c, &r, T("agent.filter.title"), t->title, t->fg, UI_TEXT_BOLD);
	ui_rect f = ui_cut_top(&r, ui_line_height(ctx, UI_FONT_REGULAR, t->big) + S(c, 20));
	int res = ui_textbox(ctx, ui_id_str("m.filter"), f, &c->f_filter, T("agent.filter.placeholder"));
	if (res & UI_RES_CHANGE) {
		bw_strlcpy(c->model.filter.text, c->filter_buf, sizeof c->model.filter.text);
		ag_model_refilter(&c->model);
		c->top = c->cursor = 0;
	}
	if (res & UI_RES_SUBMIT)
		close_modal(c);
}

static void modal(ag_console *c)
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
			ask_report(c);
	}
	if (c->net == AG_SHOW_ONLINE && now_ms >= c->devices_at)
		ask_devices(c);
	if (c->net == AG_SHOW_ONLINE && now_ms >= c->report_at)
		ask_report(c);
	ag_model_expire_toasts(&c->model, now_ms);

	ui_begin(ctx);
	c->nspots = 0;
	ctx->disabled = c->modal != AG_M_NONE;
	ui_rect scr = ctx->screen;
	/* no page fill: the renderer clears to the theme background (a blended full-screen
	 * rectangle costs milliseconds in the software renderer) */
	top_bar(c, ui_cut_top(&scr, S(c, 64)));
	if (c->net == AG_SHOW_LOST || c->net == AG_SHOW_REFUSED)
		banner(c, ui_cut_top(&scr, S(c, 44)));
	status_line(c, ui_cut_bottom(&scr, S(c, 44)));
	scr = ui_inset(scr, S(c, 10));
	counts_row(c, ui_cut_top(&scr, S(c, 64)));
	ui_cut_top(&scr, S(c, 10));
	filter_row(c, ui_cut_top(&scr, t->touch));
	ui_cut_top(&scr, S(c, 10));
	ui_rect body = scr;
	ui_rect right = ui_cut_end(ctx, &scr, scr.w * 40 / 100);
	ui_cut_end(ctx, &scr, S(c, 10));
	queue(c, scr);
	ui_rect ind = ui_cut_bottom(&right, S(c, 190));
	ui_cut_bottom(&right, S(c, 10));
	int dh = S(c, 40) + (c->model.ndevices ? c->model.ndevices : 1) * (ui_line_height(ctx, UI_FONT_REGULAR, t->body) + S(c, 2));
	if (dh > right.h / 3)
		dh = right.h / 3;
	ui_rect dev = ui_cut_bottom(&right, dh);
	ui_cut_bottom(&right, S(c, 10));
	detail(c, right);
	devices(c, dev);
	indicators(c, ind);
	toasts(c, body);
	ctx->disabled = 0;
	if (c->modal)
		modal(c);
	ui_end(ctx);
}
