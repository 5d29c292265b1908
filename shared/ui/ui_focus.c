/* ui_focus.c: keypad focus over the controls a frame draws (reading order, moves,
 * activation, the focus ring) and the description of each control (role, name) and of
 * the screen (title, instruction) that the speech reads: one description for eyes and
 * ears, recorded as the widgets draw, so a new screen needs nothing extra to be spoken. */
#include "ui.h"

#include <string.h>

void ui_label_next(ui_ctx *ctx, int role, const char *name, const char *msgid)
{
	ctx->next_role = role;
	ctx->next_name = name;
	ctx->next_msgid = msgid;
}

static int stash_text(ui_ctx *ctx, const char *s)
{
	int n = (int)strlen(s);
	if (ctx->narena + n + 1 > UI_ARENA) {
		ctx->overflow = 1;
		return -1;
	}
	int off = ctx->narena;
	memcpy(ctx->arena + off, s, (size_t)n + 1);
	ctx->narena += n + 1;
	return off;
}

void ui_describe(ui_ctx *ctx, int what, const char *text)
{
	if (what >= 0 && what < UI_DESC_COUNT && text)
		ctx->desc[what] = stash_text(ctx, text);
}

const char *ui_desc_text(const ui_ctx *ctx, int what)
{
	if (what < 0 || what >= UI_DESC_COUNT || ctx->desc[what] < 0)
		return NULL;
	return ctx->arena + ctx->desc[what];
}

int ui_focus_hit(ui_ctx *ctx, ui_id id, ui_rect r)
{
	int role = ctx->next_role ? ctx->next_role : UI_ROLE_BUTTON, res = 0;
	const char *name = ctx->next_name;
	const char *msgid = ctx->next_msgid;
	int state = ctx->next_state;
	ctx->next_role = ctx->next_state = 0;
	ctx->next_name = ctx->next_msgid = NULL;
	/* a modal message is up: what is under it cannot be reached */
	if (ctx->disabled || role == UI_ROLE_HIDDEN)
		return 0;
	if (ctx->nnav < UI_NAV_MAX) {
		ui_nav *n = &ctx->nav[ctx->nnav++];
		n->id = id;
		n->r = r;
		n->role = role;
		n->name = name ? stash_text(ctx, name) : -1;
		n->msgid = msgid;
		n->state = state;
	}
	/* a text box reads Enter itself (its submit) */
	if (ctx->key == UI_KEY_ENTER && ctx->kfocus == id && role != UI_ROLE_TEXTBOX)
		res = UI_RES_CLICK;
	else if (ctx->key == UI_KEY_ESCAPE && role == UI_ROLE_BACK)
		res = UI_RES_CLICK;
	if (res)
		ctx->key = 0;
	return res;
}

/* a before b in reading order: rows first (two controls share a row when each one's
 * vertical middle lies within the other), then from the start side */
static int before(const ui_ctx *ctx, const ui_nav *a, const ui_nav *b)
{
	int am = a->r.y + a->r.h / 2, bm = b->r.y + b->r.h / 2;
	int same_row = (am >= b->r.y && am < b->r.y + b->r.h) || (bm >= a->r.y && bm < a->r.y + a->r.h);
	if (!same_row)
		return am < bm;
	int ax = a->r.x + a->r.w / 2, bx = b->r.x + b->r.w / 2;
	return ctx->rtl ? ax > bx : ax < bx;
}

int ui_focus_order(const ui_ctx *ctx, int *idx)
{
	int n = ctx->nnav;
	/* insertion sort: stable (drawing order breaks ties) and a frame has few controls */
	for (int i = 0; i < n; i++) {
		int j = i;
		while (j > 0 && before(ctx, &ctx->nav[i], &ctx->nav[idx[j - 1]])) {
			idx[j] = idx[j - 1];
			j--;
		}
		idx[j] = i;
	}
	return n;
}

const ui_nav *ui_focused(const ui_ctx *ctx)
{
	for (int i = 0; i < ctx->nnav; i++)
		if (ctx->nav[i].id == ctx->kfocus)
			return &ctx->nav[i];
	return NULL;
}

const char *ui_nav_name(const ui_ctx *ctx, const ui_nav *n)
{
	return n && n->name >= 0 ? ctx->arena + n->name : "";
}

/* +1 next, -1 previous, 0 not a move */
static int step_of_key(const ui_ctx *ctx, const ui_nav *cur)
{
	switch (ctx->key) {
	case UI_KEY_TAB: case UI_KEY_DOWN: return 1;
	case UI_KEY_BACKTAB: case UI_KEY_UP: return -1;
	case UI_KEY_LEFT: case UI_KEY_RIGHT:
		/* a text box with focus keeps the arrows for its caret */
		if (cur && cur->role == UI_ROLE_TEXTBOX)
			return 0;
		return (ctx->key == UI_KEY_RIGHT) == !ctx->rtl ? 1 : -1;
	}
	return 0;
}

static void ring(ui_ctx *ctx, const ui_nav *n)
{
	const ui_theme *t = &ctx->theme;
	int w = t->border * 3 > 6 ? t->border * 3 : 6;
	/* two rings: the theme's focus colour outside, the text colour inside, so the
	 * focus shows on a light button and on a dark one alike */
	ui_draw_frame(ctx, ui_inset(n->r, -w), t->focus, t->radius + w, w);
	ui_draw_frame(ctx, ui_inset(n->r, -w / 3), t->fg, t->radius, w / 3 > 2 ? w / 3 : 2);
}

void ui_focus_end(ui_ctx *ctx)
{
	if (!ctx->keypad)
		return;
	int idx[UI_NAV_MAX], n = ui_focus_order(ctx, idx);
	const ui_nav *cur = ui_focused(ctx);
	int pos = -1;
	for (int i = 0; i < n && cur; i++)
		if (&ctx->nav[idx[i]] == cur)
			pos = i;
	if (ctx->key == UI_KEY_F1)
		ctx->help = 1;  /* until the speech takes it */
	int step = step_of_key(ctx, cur);
	if (step || ctx->help)
		ctx->kmode = 1;
	ui_id was = ctx->kfocus;
	if (n == 0) {
		ctx->kfocus = 0;
	} else if (step) {
		pos = pos < 0 ? (step > 0 ? 0 : n - 1) : (pos + step + n) % n;
		ctx->kfocus = ctx->nav[idx[pos]].id;
		ctx->key = 0;
	} else if (pos < 0) {
		/* the focused control is gone (a new screen): the first one in reading order */
		ctx->kfocus = ctx->kmode ? ctx->nav[idx[0]].id : 0;
	}
	if (ctx->kfocus != was && ctx->kfocus)
		ctx->kmoves++;
	cur = ui_focused(ctx);
	if (cur) {
		if (cur->role == UI_ROLE_TEXTBOX)
			ctx->focus = cur->id;  /* typed text goes where the keypad is */
		ring(ctx, cur);
	}
}
