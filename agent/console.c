/* console.c: the agent console's state and actions, without drawing: setting up (the
 * catalogue, the language, the sizes), sending commands to the hub, the selection and the
 * dialogs opened by buttons and shortcuts, the keys and typed text, and the replies
 * coming back. What the screen files share is declared in screen.h. */
#include "screen.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bw_clock.h"

const char *const ags_action_key[AG_A_COUNT] = {
	"agent.act.assign", "agent.act.progress", "agent.act.answer", "agent.act.extend",
	"agent.act.reject", "agent.act.close", "agent.act.reopen",
};
const int ags_action_to[AG_A_COUNT] = {
	BW_ST_ASSIGNED, BW_ST_IN_PROGRESS, BW_ST_ANSWERED, BW_ST_EXTENDED, BW_ST_REJECTED,
	BW_ST_CLOSED, BW_ST_REOPENED,
};
const char *const ags_action_short[AG_A_COUNT] = { "a", "p", "r", "e", "x", "c", "o" };

/* ---- small helpers ---- */

int ags_px(const ag_console *c, int px)
{
	return px * c->scale / 1000;
}

/* The catalogue text of a family and a stable name: "agent.state." + "in_progress". */
const char *ags_tr2(const char *family, const char *name)
{
	char key[96];
	snprintf(key, sizeof key, "%s%s", family, name);
	return bw_tr(key);
}

const char *ags_kind_text(int k) { return ags_tr2("agent.kind.", bw_kind_name(k)); }
const char *ags_state_text(int s) { return ags_tr2("agent.state.", bw_state_name(s)); }
const char *ags_channel_text(int ch) { return ags_tr2("agent.channel.", bw_channel_name(ch)); }

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
const char *ags_iso(char *out, size_t n, const char *s)
{
	snprintf(out, n, "\xe2\x81\xa6%s\xe2\x81\xa9", s);
	return out;
}

/* Copies tmpl into out replacing each {name} by its value from pairs (name, value, ...,
 * NULL); unknown names stay as written. */
const char *ags_subst(char *out, size_t n, const char *tmpl, ...)
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

const bw_admin *ags_admin_of(const ag_console *c, const char *code)
{
	for (int i = 0; i < c->nadmins; i++)
		if (strcmp(c->admins[i].code, code) == 0)
			return &c->admins[i];
	return NULL;
}

const char *ags_admin_name(const ag_console *c, const char *code)
{
	const bw_admin *a = ags_admin_of(c, code);
	if (!a)
		return code;
	/* a catalogue entry without a Tamazight name still shows one (the French) */
	if (c->lang == AG_LANG_ZGH && a->name_zgh[0])
		return a->name_zgh;
	return c->lang == AG_LANG_AR ? a->name_ar : a->name_fr;
}

/* "2026-11-27 10:02" (with_date) or "10:02", Morocco's legal time. */
void ags_local_time(int64_t t, char *out, size_t n, int with_date)
{
	char day[11], hm[6];
	bw_legal_hm(t, hm);
	if (with_date)
		snprintf(out, n, "%s %s", bw_day_format(bw_legal_day(t), day), hm);
	else
		snprintf(out, n, "%s", hm);
}

/* One line of text in r, clipped to it (cells of the table, labels). */
void ags_cell(ui_ctx *ctx, ui_rect r, const char *s, int size, ui_color col, int flags)
{
	ui_rect saved = ctx->clip;
	ui_set_clip(ctx, r);
	ui_text(ctx, r, s, size, col, flags | UI_TEXT_NOWRAP | UI_TEXT_VCENTER);
	ui_set_clip(ctx, saved);
}

/* Remembers where a widget was drawn this frame (tests click there, --dump-state). */
void ags_spot(ag_console *c, const char *name, ui_rect r)
{
	if (c->nspots < AG_SPOTS_MAX) {
		bw_strlcpy(c->spots[c->nspots].name, name, sizeof c->spots[0].name);
		c->spots[c->nspots++].r = r;
	}
}

/* A card is a frame on the white page: the software renderer blends every filled
 * pixel, and unfilled cards keep a frame of 10,000 rows under 16 ms at 1080p. */
/* The alignment that puts the start of a citizen's text (either script) in view. */
int ags_own_align(const ag_console *c, const char *s)
{
	return ui_text_is_rtl(s, (int)strlen(s)) != c->ui->rtl ? UI_ALIGN_END : UI_ALIGN_START;
}

/* A compact one-line button (ui_button wraps long labels over two lines, fit for a
 * kiosk's big keys, not for a desk's toolbars). */
int ags_btn(ag_console *c, ui_id id, ui_rect r, const char *label, int style)
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
	ui_rect in = ui_inset(r, ags_px(c, 4));
	int font = style == UI_BTN_PRIMARY ? UI_FONT_BOLD : UI_FONT_REGULAR;
	/* a label a little too long for its button: the small size rather than a cut */
	int size = ui_measure(ctx, label, font, t->body) > in.w ? t->small : t->body;
	ags_cell(ctx, in, label, size, fg, UI_ALIGN_CENTER | (style == UI_BTN_PRIMARY ? UI_TEXT_BOLD : 0));
	return res;
}

void ags_card(ag_console *c, ui_rect r)
{
	const ui_theme *t = &c->ui->theme;
	ui_draw_frame(c->ui, r, t->border_c, t->radius, t->border);
}

/* A dialog's card sits over the page: it needs its fill. */
void ags_panel(ag_console *c, ui_rect r)
{
	const ui_theme *t = &c->ui->theme;
	ui_draw_rect(c->ui, r, t->panel, t->radius);
	ui_draw_frame(c->ui, r, t->border_c, t->radius, t->border);
}

/* ---- sending ---- */

uint32_t ags_send_cmd(ag_console *c, const bw_agent_cmd *cmd, const char *ref)
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

void ags_ask_get(ag_console *c, const char *ref)
{
	bw_agent_cmd cmd;
	bw_agent_cmd_init(&cmd);
	cmd.op = BW_AOP_GET;
	bw_strlcpy(cmd.ref, ref, sizeof cmd.ref);
	ags_send_cmd(c, &cmd, ref);
}

void ags_ask_devices(ag_console *c)
{
	bw_agent_cmd cmd;
	bw_agent_cmd_init(&cmd);
	cmd.op = BW_AOP_DEVICES;
	ags_send_cmd(c, &cmd, NULL);
	c->devices_at = c->now_ms + 15000;
}

void ags_ask_report(ag_console *c)
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
	ags_send_cmd(c, &cmd, NULL);
	c->report_at = c->now_ms + 60000;
}

void ag_console_refresh(ag_console *c)
{
	bw_agent_cmd cmd;
	bw_agent_cmd_init(&cmd);
	cmd.op = BW_AOP_QUEUE;
	cmd.limit = 100000;
	ags_send_cmd(c, &cmd, NULL);
	ags_ask_devices(c);
	ags_ask_report(c);
	if (c->model.selected[0])
		ags_ask_get(c, c->model.selected);
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
	t->touch = ags_px(c, 44);
	t->primary = ags_px(c, 48);
	t->body = ags_px(c, 21);
	t->small = ags_px(c, 18);
	t->big = ags_px(c, 22);
	t->title = ags_px(c, 28);
	t->pad = ags_px(c, 14);
	t->gap = ags_px(c, 10);
	t->radius = ags_px(c, 8);
	t->border = 1;
	t->bg = t->panel;   /* a white page: see ags_card() */
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

void ags_keep_cursor_visible(ag_console *c)
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
	ags_ask_get(c, ref);
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

const ag_row *ags_selected_row(ag_console *c)
{
	return c->model.selected[0] ? ag_model_find(&c->model, c->model.selected) : NULL;
}

int ags_action_allowed(ag_console *c, int a)
{
	const ag_row *r = ags_selected_row(c);
	return r && bw_state_allowed(r->kind, r->state, ags_action_to[a], r->extended);
}

void ags_open_modal(ag_console *c, int m)
{
	c->modal = m;
	c->modal_corr = 0;
	c->modal_error[0] = '\0';
	c->reason = -1;
	c->officer = 0;
	c->ui->focus = 0;   /* the dialog's first field takes the keyboard */
	ui_field_set(&c->f_note, "");
}

void ags_close_modal(ag_console *c)
{
	c->modal = AG_M_NONE;
	c->modal_corr = 0;
	c->ui->focus = 0;
	ui_field_wipe(&c->f_note);
}

void ags_send_move(ag_console *c, int to, const char *note, const char *reason)
{
	const ag_row *r = ags_selected_row(c);
	if (!r)
		return;
	bw_agent_cmd cmd;
	bw_agent_cmd_init(&cmd);
	cmd.op = BW_AOP_MOVE;
	memcpy(cmd.ref, r->ref, sizeof cmd.ref);
	cmd.to = to;
	bw_strlcpy(cmd.note, note ? note : "", sizeof cmd.note);
	bw_strlcpy(cmd.reason, reason ? reason : "", sizeof cmd.reason);
	uint32_t corr = ags_send_cmd(c, &cmd, r->ref);
	if (c->modal)
		c->modal_corr = corr;
}

void ag_console_action(ag_console *c, int a)
{
	if (!ags_selected_row(c)) {
		ag_model_fail(&c->model, "move", NULL, T("agent.msg.open_first"), c->now_ms);
		return;
	}
	if (!ags_action_allowed(c, a)) {
		ag_model_fail(&c->model, "move", c->model.selected, T("agent.msg.not_allowed"), c->now_ms);
		return;
	}
	switch (a) {
	case AG_A_ASSIGN: ags_open_modal(c, AG_M_ASSIGN); break;
	case AG_A_ANSWER: ags_open_modal(c, AG_M_ANSWER); break;
	case AG_A_EXTEND: ags_open_modal(c, AG_M_EXTEND); break;
	case AG_A_REJECT: ags_open_modal(c, AG_M_REJECT); break;
	case AG_A_REOPEN: ags_open_modal(c, AG_M_REOPEN); break;
	case AG_A_PROGRESS: ags_send_move(c, BW_ST_IN_PROGRESS, "", ""); break;
	case AG_A_CLOSE: ags_send_move(c, BW_ST_CLOSED, "", ""); break;
	}
}

void ags_open_file_form(ag_console *c)
{
	ags_open_modal(c, AG_M_FILE);
	ui_field_set(&c->f_text, "");
	ui_field_set(&c->f_phone, "");
	ui_field_set(&c->f_name, "");
	ui_field_set(&c->f_id, "");
	ui_field_set(&c->f_contact, "");
}

void ags_cycle_lang(ag_console *c)
{
	ag_console_set_lang(c, ag_lang_next(c->lang));
}

void ag_console_key(ag_console *c, int key)
{
	if (key == UI_KEY_CTRL_L) {
		ags_cycle_lang(c);
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
			ags_close_modal(c);
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
	ags_keep_cursor_visible(c);
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
		ags_open_modal(c, AG_M_FILTER);
		ui_field_set(&c->f_filter, c->model.filter.text);
	} else if (!strcmp(s, "n")) {
		ags_open_file_form(c);
	} else {
		for (int a = 0; a < AG_A_COUNT; a++)
			if (!strcmp(s, ags_action_short[a]))
				ag_console_action(c, a);
	}
}

/* ---- replies ---- */

void ag_console_message(ag_console *c, const char *json, size_t len, uint32_t corr)
{
	bw_err e;
	const ag_row *sel = ags_selected_row(c);
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
	sel = ags_selected_row(c);
	if (sel && before >= 0 && (sel->state != before || sel->extended != ext || strcmp(sel->deadline, dl)))
		ags_ask_get(c, sel->ref);
	if (corr && corr == c->modal_corr) {
		c->modal_corr = 0;
		if (c->model.result.ok) {
			if (c->modal == AG_M_FILE && c->model.result.ref[0]) {
				/* the request just filed is opened: the agent reads its reference */
				ag_model_select(&c->model, c->model.result.ref);
				ags_ask_get(c, c->model.result.ref);
			}
			ags_close_modal(c);
		} else {
			bw_strlcpy(c->modal_error, c->model.result.error, sizeof c->modal_error);
		}
	}
	ags_keep_cursor_visible(c);
}

void ag_console_failed(ag_console *c, uint32_t corr, int op, const char *why)
{
	char msg[BW_ERRMSG];
	ags_subst(msg, sizeof msg, T("agent.msg.no_answer"), "why", why, NULL);
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

