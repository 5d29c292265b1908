/* ui.c: the UI context, input of one frame, the command list and its hash, the mirroring
 * layout helper, wrapped text, and the clickable widgets (hit, button, check box). */
#include "ui.h"

#include <stdlib.h>
#include <string.h>

#include "bw_err.h"

ui_ctx *ui_new(const ui_text_ops *ops, const ui_theme *theme, int w, int h)
{
	ui_ctx *ctx = bw_xcalloc(1, sizeof *ctx);
	ctx->ops = *ops;
	ctx->theme = *theme;
	ctx->screen = (ui_rect){ 0, 0, w, h };
	return ctx;
}

void ui_free(ui_ctx *ctx)
{
	free(ctx);
}

void ui_input_move(ui_ctx *ctx, int x, int y)
{
	ctx->mx = x;
	ctx->my = y;
}

void ui_input_press(ui_ctx *ctx, int x, int y)
{
	ui_input_move(ctx, x, y);
	ctx->pressed = 1;
}

void ui_input_release(ui_ctx *ctx, int x, int y)
{
	ui_input_move(ctx, x, y);
	ctx->released = 1;
}

void ui_input_text(ui_ctx *ctx, const char *utf8)
{
	size_t n = strlen(utf8);
	if (n >= sizeof ctx->text_in) {
		/* cut on a code point boundary */
		n = sizeof ctx->text_in - 1;
		while (n > 0 && ((unsigned char)utf8[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(ctx->text_in, utf8, n);
	ctx->text_in[n] = '\0';
}

void ui_input_key(ui_ctx *ctx, int key)
{
	ctx->key = key;
}

void ui_begin(ui_ctx *ctx)
{
	ctx->ncmds = 0;
	ctx->narena = 0;
	ctx->overflow = 0;
	ctx->focus_seen = 0;
	ctx->nnav = 0;
	ctx->next_role = ctx->next_state = 0;
	ctx->next_name = ctx->next_msgid = NULL;
	for (int i = 0; i < UI_DESC_COUNT; i++)
		ctx->desc[i] = -1;
	ctx->nctrls = 0;
	ctx->clip = (ui_rect){ 0, 0, 0, 0 };
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

int ui_end(ui_ctx *ctx)
{
	ui_focus_end(ctx);
	if (ctx->released)
		ctx->active = 0;
	if (!ctx->focus_seen)
		ctx->focus = 0;
	ctx->pressed = ctx->released = 0;
	ctx->text_in[0] = '\0';
	ctx->key = 0;
	/* commands are zeroed before they are filled, so padding hashes the same */
	uint64_t h = fnv(0xcbf29ce484222325ull, ctx->cmds, (size_t)ctx->ncmds * sizeof ctx->cmds[0]);
	ctx->hash = fnv(h, ctx->arena, (size_t)ctx->narena);
	return ctx->overflow ? -1 : 0;
}

const char *ui_cmd_text(const ui_ctx *ctx, const ui_cmd *c)
{
	return ctx->arena + c->off;
}

ui_id ui_id_str(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h ? h : 1;
}

ui_id ui_id_mix(ui_id id, int n)
{
	uint32_t h = id ^ (uint32_t)n * 0x9e3779b9u;
	h ^= h >> 15;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	return h ? h : 1;
}

static ui_cmd *push(ui_ctx *ctx, int type)
{
	if (ctx->ncmds >= UI_MAX_CMDS) {
		ctx->overflow = 1;
		return NULL;
	}
	ui_cmd *c = &ctx->cmds[ctx->ncmds++];
	memset(c, 0, sizeof *c);
	c->type = type;
	return c;
}

/* Copies n bytes into the arena; -1 when full. */
static int stash(ui_ctx *ctx, const void *p, int n)
{
	if (ctx->narena + n + 1 > UI_ARENA) {
		ctx->overflow = 1;
		return -1;
	}
	int off = ctx->narena;
	memcpy(ctx->arena + off, p, (size_t)n);
	ctx->arena[off + n] = '\0';
	ctx->narena += n + 1;
	return off;
}

/* ---- layout ---- */

ui_rect ui_cut_top(ui_rect *r, int h)
{
	if (h > r->h)
		h = r->h;
	ui_rect o = { r->x, r->y, r->w, h };
	r->y += h;
	r->h -= h;
	return o;
}

ui_rect ui_cut_bottom(ui_rect *r, int h)
{
	if (h > r->h)
		h = r->h;
	r->h -= h;
	return (ui_rect){ r->x, r->y + r->h, r->w, h };
}

static ui_rect cut_left(ui_rect *r, int w)
{
	if (w > r->w)
		w = r->w;
	ui_rect o = { r->x, r->y, w, r->h };
	r->x += w;
	r->w -= w;
	return o;
}

static ui_rect cut_right(ui_rect *r, int w)
{
	if (w > r->w)
		w = r->w;
	r->w -= w;
	return (ui_rect){ r->x + r->w, r->y, w, r->h };
}

ui_rect ui_cut_start(const ui_ctx *ctx, ui_rect *r, int w)
{
	return ctx->rtl ? cut_right(r, w) : cut_left(r, w);
}

ui_rect ui_cut_end(const ui_ctx *ctx, ui_rect *r, int w)
{
	return ctx->rtl ? cut_left(r, w) : cut_right(r, w);
}

ui_rect ui_inset(ui_rect r, int d)
{
	r.x += d;
	r.y += d;
	r.w -= 2 * d;
	r.h -= 2 * d;
	if (r.w < 0)
		r.w = 0;
	if (r.h < 0)
		r.h = 0;
	return r;
}

ui_rect ui_center(ui_rect o, int w, int h)
{
	if (w > o.w)
		w = o.w;
	if (h > o.h)
		h = o.h;
	return (ui_rect){ o.x + (o.w - w) / 2, o.y + (o.h - h) / 2, w, h };
}

void ui_columns(const ui_ctx *ctx, ui_rect r, int n, int gap, ui_rect *out)
{
	int total = r.w - gap * (n - 1);
	for (int i = 0; i < n; i++) {
		/* integer shares that add up exactly to total */
		int x0 = total * i / n + gap * i, x1 = total * (i + 1) / n + gap * i;
		ui_rect c = { r.x + x0, r.y, x1 - x0, r.h };
		if (ctx->rtl)
			c.x = r.x + r.w - x1;
		out[i] = c;
	}
}

void ui_rows(ui_rect r, int n, int gap, ui_rect *out)
{
	int total = r.h - gap * (n - 1);
	for (int i = 0; i < n; i++) {
		int y0 = total * i / n + gap * i, y1 = total * (i + 1) / n + gap * i;
		out[i] = (ui_rect){ r.x, r.y + y0, r.w, y1 - y0 };
	}
}

void ui_grid(const ui_ctx *ctx, ui_rect r, int cols, int rows, int gap, ui_rect *out)
{
	ui_rect line[16];
	ui_rect rr[16];
	if (cols > 16)
		cols = 16;
	if (rows > 16)
		rows = 16;
	ui_rows(r, rows, gap, rr);
	for (int y = 0; y < rows; y++) {
		ui_columns(ctx, rr[y], cols, gap, line);
		memcpy(out + y * cols, line, (size_t)cols * sizeof line[0]);
	}
}

int ui_contains(ui_rect r, int x, int y)
{
	return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

/* ---- drawing ---- */

/* A rectangle command, filled (border 0) or framed; NULL when the buffer is full. */
static ui_cmd *rect_cmd(ui_ctx *ctx, ui_rect r, ui_color c, int radius)
{
	ui_cmd *cmd = push(ctx, UI_CMD_RECT);
	if (cmd) {
		cmd->r = r;
		cmd->color = c;
		cmd->radius = radius;
	}
	return cmd;
}

void ui_draw_rect(ui_ctx *ctx, ui_rect r, ui_color c, int radius)
{
	rect_cmd(ctx, r, c, radius);
}

void ui_draw_frame(ui_ctx *ctx, ui_rect r, ui_color c, int radius, int thickness)
{
	ui_cmd *cmd = rect_cmd(ctx, r, c, radius);
	if (cmd)
		cmd->border = thickness > 0 ? thickness : 1;
}

int ui_line_height(ui_ctx *ctx, int font, int size)
{
	return ctx->ops.height(ctx->ops.arg, font, size);
}

int ui_draw_line(ui_ctx *ctx, int x, int y, const char *s, int len, int font, int size,
                 int dir, ui_color c)
{
	int w = ctx->ops.width(ctx->ops.arg, font, size, dir, s, len);
	if (len <= 0)
		return 0;
	int off = stash(ctx, s, len);
	ui_cmd *cmd = off < 0 ? NULL : push(ctx, UI_CMD_TEXT);
	if (!cmd)
		return w;
	cmd->r = (ui_rect){ x, y, w, ui_line_height(ctx, font, size) };
	cmd->color = c;
	cmd->font = font;
	cmd->size = size;
	cmd->dir = dir;
	cmd->off = off;
	cmd->len = len;
	cmd->lang = ctx->lang;
	return w;
}

void ui_set_clip(ui_ctx *ctx, ui_rect r)
{
	ui_cmd *cmd = push(ctx, UI_CMD_CLIP);
	if (cmd)
		cmd->r = r;
	ctx->clip = r;
}

void ui_draw_bitmap(ui_ctx *ctx, ui_rect r, const unsigned char *mods, int n, ui_color c)
{
	int off = stash(ctx, mods, n * n);
	ui_cmd *cmd = off < 0 ? NULL : push(ctx, UI_CMD_BITMAP);
	if (!cmd)
		return;
	cmd->r = r;
	cmd->off = off;
	cmd->len = n * n;
	cmd->n = n;
	cmd->color = c;
}

/* ---- text ---- */

static int base_dir(const ui_ctx *ctx, int flags)
{
	if (flags & UI_TEXT_AUTO)
		return ctx->rtl ? UI_DIR_AUTO_RTL : UI_DIR_AUTO_LTR;
	return ctx->rtl ? UI_DIR_RTL : UI_DIR_LTR;
}

int ui_measure(ui_ctx *ctx, const char *s, int font, int size)
{
	return ctx->ops.width(ctx->ops.arg, font, size, base_dir(ctx, 0), s, (int)strlen(s));
}

static int cp_len(const char *s, int i, int n)
{
	int k = 1;
	while (i + k < n && ((unsigned char)s[i + k] & 0xC0) == 0x80)
		k++;
	return k;
}

int ui_wrap(ui_ctx *ctx, const char *s, int font, int size, int dir, int w,
            int *starts, int *lens, int max)
{
	int n = (int)strlen(s), nl = 0, i = 0;
#define WIDTH(a, l) ctx->ops.width(ctx->ops.arg, font, size, dir, s + (a), (l))
	while (i <= n && nl < max) {
		int start = i, end = i, best = -1;
		/* extend word by word while the line fits */
		while (end < n && s[end] != '\n') {
			int j = end;
			while (j < n && s[j] == ' ')
				j++;
			while (j < n && s[j] != ' ' && s[j] != '\n')
				j++;
			if (WIDTH(start, j - start) > w && best >= 0)
				break;
			if (WIDTH(start, j - start) > w) {
				/* a single word wider than the line: cut it at a code point */
				int k = start, fit = -1;
				while (k < j) {
					int nk = k + cp_len(s, k, n);
					if (WIDTH(start, nk - start) > w && fit >= 0)
						break;
					fit = nk;
					k = nk;
				}
				best = fit;
				break;
			}
			best = j;
			end = j;
		}
		if (best < 0)
			best = start;  /* empty line (a newline right away) */
		starts[nl] = start;
		lens[nl] = best - start;
		nl++;
		i = best;
		while (i < n && s[i] == ' ')
			i++;
		if (i < n && s[i] == '\n')
			i++;
		else if (i >= n)
			break;
	}
#undef WIDTH
	return nl;
}

int ui_fit(ui_ctx *ctx, const char *s, int len, int font, int size, int dir, int w)
{
#define WIDTH(l) ctx->ops.width(ctx->ops.arg, font, size, dir, s, (l))
	if (WIDTH(len) <= w)
		return len;
	int ew = ctx->ops.width(ctx->ops.arg, font, size, dir, UI_ELLIPSIS, 3);
	/* binary search over byte lengths, each moved back to a code point boundary */
	int lo = 0, hi = len;
	while (lo < hi) {
		int mid = (lo + hi + 1) / 2;
		while (mid > 0 && ((unsigned char)s[mid] & 0xC0) == 0x80)
			mid--;
		if (mid <= lo) {
			hi = lo;
			break;
		}
		if (WIDTH(mid) + ew <= w)
			lo = mid;
		else
			hi = mid - 1;
	}
	while (lo > 0 && s[lo - 1] == ' ')
		lo--;
#undef WIDTH
	return lo;
}

/* One line of ui_text: cut = 1 cuts it with an ellipsis when wider than the box, 2 ends it
 * with one in any case (more text follows). The command records the box. */
static void text_line(ui_ctx *ctx, ui_rect box, int y, const char *s, int len, int font,
                      int size, int dir, ui_color c, int align, int cut)
{
	char buf[1024];
	int fit = len;
	if (cut == 1)
		fit = ui_fit(ctx, s, len, font, size, dir, box.w);
	else if (cut == 2)  /* room for the ellipsis that follows whatever fits */
		fit = ui_fit(ctx, s, len, font, size, dir,
			     box.w - ctx->ops.width(ctx->ops.arg, font, size, dir, UI_ELLIPSIS, 3));
	if (fit < len || cut == 2) {
		if (fit == 0 && ctx->ops.width(ctx->ops.arg, font, size, dir, UI_ELLIPSIS, 3) > box.w)
			return;  /* not even the ellipsis fits: nothing rather than a mark over the next */
		if (fit > (int)sizeof buf - 4)
			fit = (int)sizeof buf - 4;
		memcpy(buf, s, (size_t)fit);
		memcpy(buf + fit, UI_ELLIPSIS, 3);
		s = buf;
		len = fit + 3;
	}
	int w = ctx->ops.width(ctx->ops.arg, font, size, dir, s, len);
	int x;
	if (align == UI_ALIGN_CENTER)
		x = box.x + (box.w - w) / 2;
	else if ((align == UI_ALIGN_START) == !ctx->rtl)
		x = box.x;
	else
		x = box.x + box.w - w;
	int n = ctx->ncmds;
	ui_draw_line(ctx, x, y, s, len, font, size, dir, c);
	if (ctx->ncmds > n)
		ctx->cmds[n].box = box;
}

int ui_text(ui_ctx *ctx, ui_rect r, const char *s, int size, ui_color c, int flags)
{
	int starts[64], lens[64], n;
	int font = (flags & UI_TEXT_BOLD) ? UI_FONT_BOLD : UI_FONT_REGULAR;
	int dir = base_dir(ctx, flags);
	int lh = ui_line_height(ctx, font, size);
	int align = flags & 3, more = 0, lang = ctx->lang;

	if (flags & UI_TEXT_NOWRAP) {
		starts[0] = 0;
		lens[0] = (int)strlen(s);
		n = 1;
	} else {
		n = ui_wrap(ctx, s, font, size, dir, r.w, starts, lens, 64);
		int fits = lh > 0 ? r.h / lh : n;
		if ((flags & UI_TEXT_CLAMP) && n > fits) {
			n = fits > 0 ? fits : 1;
			more = 1;
		}
	}
	if (flags & UI_TEXT_DATA)
		ctx->lang = UI_LANG_DATA;
	int y = r.y;
	if (flags & UI_TEXT_VCENTER)
		y = r.y + (r.h - n * lh) / 2;
	for (int i = 0; i < n; i++, y += lh) {
		/* a clamped paragraph's last line: the rest of the text follows it, so it ends
		 * with an ellipsis even when it fits */
		int cut = (flags & UI_TEXT_NOWRAP) ? 1 : (more && i == n - 1) ? 2 : 0;
		text_line(ctx, r, y, s + starts[i], lens[i], font, size, dir, c, align, cut);
	}
	ctx->lang = lang;
	return n * lh;
}

/* ---- widgets ---- */

int ui_hit(ui_ctx *ctx, ui_id id, ui_rect r, int *state)
{
	int res = ui_focus_hit(ctx, id, r);
	int over = ui_contains(r, ctx->mx, ctx->my);
	if (ctx->clip.w > 0 && !ui_contains(ctx->clip, ctx->mx, ctx->my))
		over = 0;
	if (!ctx->disabled) {
		if (ctx->nctrls < UI_MAX_CTRLS)
			ctx->ctrls[ctx->nctrls++] = (ui_ctrl){ id, r };
		if (ctx->pressed && over)
			ctx->active = id;
		if (ctx->released && ctx->active == id && over)
			res = UI_RES_CLICK;
	}
	if (state)
		*state = ctx->active == id && !ctx->released && !ctx->disabled;
	return res;
}

int ui_button(ui_ctx *ctx, ui_id id, ui_rect r, const char *label, int style)
{
	const ui_theme *t = &ctx->theme;
	int down;
	if (!ctx->next_role)
		ui_label_next(ctx, UI_ROLE_BUTTON, label, NULL);
	if (style == UI_BTN_SELECTED)
		ctx->next_state = 1;
	int res = ui_hit(ctx, id, r, &down);
	ui_color bg = t->btn, fg = t->btn_fg;
	if (style == UI_BTN_PRIMARY) {
		bg = t->primary_bg;
		fg = t->primary_fg;
	} else if (style == UI_BTN_SELECTED) {
		bg = t->sel;
		fg = t->sel_fg;
	} else if (style == UI_BTN_QUIET) {
		bg = t->bg;
		fg = t->fg;
	}
	if (down) {
		bg = t->sel;
		fg = t->sel_fg;
	}
	ui_draw_rect(ctx, r, bg, t->radius);
	if (style != UI_BTN_PRIMARY || down)
		ui_draw_frame(ctx, r, style == UI_BTN_SELECTED ? t->focus : t->border_c, t->radius,
			      style == UI_BTN_SELECTED ? 2 * t->border : t->border);
	int size = style == UI_BTN_PRIMARY ? t->big : t->body;
	ui_rect in = ui_inset(r, t->pad / 2);
	int font = style == UI_BTN_PRIMARY ? UI_FONT_BOLD : UI_FONT_REGULAR;
	/* the label on one line, else wrapped at spaces when the lines fit the button (a
	 * large theme's text stays large), else on one line at the body size, else one line
	 * ending with an ellipsis: never a word cut in the middle */
	int starts[8], lens[8], nowrap = 0;
	int n = ui_wrap(ctx, label, font, size, ctx->rtl, in.w, starts, lens, 8);
	if (n > 1) {
		int words = 1;
		for (const char *p = label; *p; p++)
			words += *p == ' ';
		if (n > words || n * ui_line_height(ctx, font, size) > in.h) {
			nowrap = UI_TEXT_NOWRAP;
			if (size != t->body && ctx->ops.width(ctx->ops.arg, font, t->body, ctx->rtl, label, (int)strlen(label)) <= in.w)
				size = t->body;
		}
	}
	ui_text(ctx, in, label, size, fg,
		UI_ALIGN_CENTER | UI_TEXT_VCENTER | nowrap | (style == UI_BTN_PRIMARY ? UI_TEXT_BOLD : 0));
	return res;
}

int ui_text_height(ui_ctx *ctx, int w, const char *s, int size, int flags)
{
	int starts[64], lens[64];
	int font = (flags & UI_TEXT_BOLD) ? UI_FONT_BOLD : UI_FONT_REGULAR;
	int n = ui_wrap(ctx, s, font, size, base_dir(ctx, flags), w, starts, lens, 64);
	return n * ui_line_height(ctx, font, size);
}

int ui_checkbox_height(ui_ctx *ctx, int w, const char *label)
{
	const ui_theme *t = &ctx->theme;
	int h = ui_text_height(ctx, w - t->pad - t->touch - t->pad, label, t->body, 0) + t->pad;
	return h > t->touch + t->pad ? h : t->touch + t->pad;
}

int ui_checkbox(ui_ctx *ctx, ui_id id, ui_rect r, const char *label, int *value)
{
	const ui_theme *t = &ctx->theme;
	int down, res = 0;
	if (!ctx->next_role)
		ui_label_next(ctx, UI_ROLE_CHECKBOX, label, NULL);
	ctx->next_state = *value;
	if (ui_hit(ctx, id, r, &down) & UI_RES_CLICK) {
		*value = !*value;
		res = UI_RES_CHANGE | UI_RES_CLICK;
	}
	ui_draw_rect(ctx, r, down ? t->sel : t->panel, t->radius);
	ui_draw_frame(ctx, r, *value ? t->focus : t->border_c, t->radius, *value ? 2 * t->border : t->border);
	ui_rect in = ui_inset(r, t->pad / 2);
	int side = t->touch < in.h ? t->touch : in.h;
	ui_rect box = ui_cut_start(ctx, &in, side + t->pad);
	box = ui_center(box, side, side);
	ui_draw_rect(ctx, box, t->field, t->radius / 2);
	ui_draw_frame(ctx, box, t->field_fg, t->radius / 2, 2 * t->border);
	if (*value) {
		/* a tick drawn as two bars would need rotation: a filled square reads as "on" */
		ui_draw_rect(ctx, ui_inset(box, side / 5), t->primary_bg, t->radius / 3);
	}
	ui_text(ctx, in, label, t->body, down ? t->sel_fg : t->fg, UI_ALIGN_START | UI_TEXT_VCENTER);
	return res;
}
