/* ui_field.c: text fields: UTF-8 editing over a caller-owned buffer (insert, backspace by
 * code point, delete and caret moves by grapheme, visual arrows in right-to-left text,
 * limits per kind), and the text box widget that draws a field and feeds it input. */
#include "ui.h"

#include <string.h>

#include "bw_text.h"

void ui_field_init(ui_field *f, char *buf, int cap, int max_chars, int kind)
{
	memset(f, 0, sizeof *f);
	f->buf = buf;
	f->cap = cap;
	f->max_chars = max_chars;
	f->kind = kind;
	f->len = (int)strnlen(buf, (size_t)cap - 1);
	f->buf[f->len] = '\0';
	f->cur = f->len;
}

void ui_field_set(ui_field *f, const char *s)
{
	f->len = f->cur = 0;
	f->buf[0] = '\0';
	ui_field_insert(f, s);
}

int ui_field_chars(const ui_field *f)
{
	int n = 0;
	for (int i = 0; i < f->len; i++)
		if (((unsigned char)f->buf[i] & 0xC0) != 0x80)
			n++;
	return n;
}

/* Combining marks stay with the letter before them when the caret moves: Arabic
 * harakat and Quranic marks, Latin combining accents, the Tifinagh consonant joiner,
 * joiners and variation selectors. */
static int is_mark(int32_t cp)
{
	return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x0610 && cp <= 0x061A) ||
	       (cp >= 0x064B && cp <= 0x065F) || cp == 0x0670 ||
	       (cp >= 0x06D6 && cp <= 0x06DC) || (cp >= 0x06DF && cp <= 0x06E4) ||
	       cp == 0x06E7 || cp == 0x06E8 || (cp >= 0x06EA && cp <= 0x06ED) ||
	       cp == 0x2D7F || cp == 0x200D || (cp >= 0xFE00 && cp <= 0xFE0F);
}

int ui_text_is_rtl(const char *s, int len)
{
	const char *p = s, *end = s + len;
	while (p < end && *p) {
		int32_t cp = bw_utf8_next(&p);
		if ((cp >= 0x0590 && cp <= 0x08FF) || (cp >= 0xFB1D && cp <= 0xFDFF) ||
		    (cp >= 0xFE70 && cp <= 0xFEFF))
			return 1;
		if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
		    (cp >= 0x00C0 && cp <= 0x024F) || (cp >= 0x2D30 && cp <= 0x2D7F))
			return 0;
	}
	return 0;
}

static int allowed(const ui_field *f, int32_t *cp)
{
	switch (f->kind) {
	case UI_FIELD_DIGITS:
		return bw_digit_value(*cp) >= 0;
	case UI_FIELD_PHONE:
		return bw_digit_value(*cp) >= 0 || *cp == '+' || *cp == ' ';
	case UI_FIELD_ID:
		if (*cp >= 'a' && *cp <= 'z')
			*cp -= 'a' - 'A';
		return (*cp >= 'A' && *cp <= 'Z') || (*cp >= '0' && *cp <= '9');
	default:
		if (*cp == '\n')
			return f->multiline;
		return *cp >= 0x20 && *cp != 0x7F && !(*cp >= 0x80 && *cp < 0xA0);
	}
}

int ui_field_insert(ui_field *f, const char *s)
{
	int res = 0, chars = ui_field_chars(f);
	const char *p = s;
	while (*p) {
		int32_t cp = bw_utf8_next(&p);
		char enc[4];
		if (cp < 0 || !allowed(f, &cp)) {
			res |= UI_RES_REFUSED;
			continue;
		}
		int k = (int)bw_utf8_put((uint32_t)cp, enc);
		if ((f->max_chars > 0 && chars + 1 > f->max_chars) || f->len + k + 1 > f->cap) {
			res |= UI_RES_REFUSED;
			continue;
		}
		memmove(f->buf + f->cur + k, f->buf + f->cur, (size_t)(f->len - f->cur + 1));
		memcpy(f->buf + f->cur, enc, (size_t)k);
		f->len += k;
		f->cur += k;
		chars++;
		res |= UI_RES_CHANGE;
	}
	return res;
}

static int32_t cp_at(const ui_field *f, int i)
{
	const char *p = f->buf + i;
	return bw_utf8_next(&p);
}

static int prev_cp(const ui_field *f, int i)
{
	if (i <= 0)
		return 0;
	i--;
	while (i > 0 && ((unsigned char)f->buf[i] & 0xC0) == 0x80)
		i--;
	return i;
}

static int next_cp(const ui_field *f, int i)
{
	if (i >= f->len)
		return f->len;
	i++;
	while (i < f->len && ((unsigned char)f->buf[i] & 0xC0) == 0x80)
		i++;
	return i;
}

static int next_grapheme(const ui_field *f, int i)
{
	i = next_cp(f, i);
	while (i < f->len && is_mark(cp_at(f, i)))
		i = next_cp(f, i);
	return i;
}

static int prev_grapheme(const ui_field *f, int i)
{
	i = prev_cp(f, i);
	while (i > 0 && is_mark(cp_at(f, i)))
		i = prev_cp(f, i);
	return i;
}

static void cut(ui_field *f, int a, int b)
{
	memmove(f->buf + a, f->buf + b, (size_t)(f->len - b + 1));
	/* no stale bytes of a citizen's text stay past the end */
	memset(f->buf + f->len - (b - a), 0, (size_t)(b - a));
	f->len -= b - a;
}

int ui_field_backspace(ui_field *f)
{
	if (f->cur == 0)
		return 0;
	int a = prev_cp(f, f->cur);
	cut(f, a, f->cur);
	f->cur = a;
	return UI_RES_CHANGE;
}

int ui_field_delete(ui_field *f)
{
	if (f->cur >= f->len)
		return 0;
	cut(f, f->cur, next_grapheme(f, f->cur));
	return UI_RES_CHANGE;
}

int ui_field_key(ui_field *f, int key, int rtl)
{
	int old = f->cur;
	switch (key) {
	case UI_KEY_LEFT:
		f->cur = rtl ? next_grapheme(f, f->cur) : prev_grapheme(f, f->cur);
		break;
	case UI_KEY_RIGHT:
		f->cur = rtl ? prev_grapheme(f, f->cur) : next_grapheme(f, f->cur);
		break;
	case UI_KEY_HOME:
		f->cur = 0;
		break;
	case UI_KEY_END:
		f->cur = f->len;
		break;
	case UI_KEY_BACKSPACE:
		return ui_field_backspace(f);
	case UI_KEY_DELETE:
		return ui_field_delete(f);
	default:
		return 0;
	}
	return f->cur != old ? UI_RES_CHANGE : 0;
}

void ui_field_wipe(ui_field *f)
{
	if (f->buf)
		memset(f->buf, 0, (size_t)f->cap);
	f->len = f->cur = 0;
}

/* ---- the text box ---- */

/* 1 if the field's text reads right to left: numbers and IDs never do; free text
 * follows its first strong letter, or the layout when it has none yet. */
static int field_rtl(const ui_ctx *ctx, const ui_field *f)
{
	if (f->kind != UI_FIELD_TEXT)
		return 0;
	for (int i = 0; i < f->len; i++)
		if ((unsigned char)f->buf[i] >= 'A')
			return ui_text_is_rtl(f->buf, f->len);
	return ctx->rtl;
}

static int caret_x(ui_ctx *ctx, int size, int dir, int rtl, const char *s, int len, int pos)
{
	if (ctx->ops.caret)
		return ctx->ops.caret(ctx->ops.arg, UI_FONT_REGULAR, size, dir, s, len, pos);
	int w = ctx->ops.width(ctx->ops.arg, UI_FONT_REGULAR, size, dir, s, len);
	int pre = ctx->ops.width(ctx->ops.arg, UI_FONT_REGULAR, size, dir, s, pos);
	return rtl ? w - pre : pre;
}

/* keys: 0 when the keypad focus is on another control, which then gets Enter and the
 * arrows; typed text and the editing keys always reach the box with text focus */
static int feed(ui_ctx *ctx, ui_field *f, int rtl, int keys)
{
	int res = 0;
	if (ctx->text_in[0]) {
		res |= ui_field_insert(f, ctx->text_in);
		ctx->text_in[0] = '\0';
	}
	int key = ctx->key;
	if (!keys && (key == UI_KEY_ENTER || key == UI_KEY_LEFT || key == UI_KEY_RIGHT))
		key = UI_KEY_NONE;
	switch (key) {
	case UI_KEY_NONE:
		break;
	case UI_KEY_ENTER:
		res |= f->multiline ? ui_field_insert(f, "\n") : UI_RES_SUBMIT;
		ctx->key = 0;
		break;
	case UI_KEY_TAB:
		/* with keypad focus, Tab moves it (and a text box reached takes the text) */
		if (!ctx->keypad) {
			ctx->focus_take = 1;
			ctx->key = 0;
		}
		break;
	case UI_KEY_ESCAPE: case UI_KEY_BACKTAB: case UI_KEY_UP: case UI_KEY_DOWN: case UI_KEY_F1:
		break;
	default:
		res |= ui_field_key(f, ctx->key, rtl);
		ctx->key = 0;
	}
	return res;
}

/* What a field shows: its text, or for a masked field (a code, a PIN) a bullet per
 * character typed into mask (3 * 64 + 1 bytes), the caret among them; the characters
 * themselves stay in the field. *len and *cur are the shown text's length and caret. */
static const char *shown_text(const ui_field *f, char *mask, int *len, int *cur)
{
	*len = f->len;
	*cur = f->cur;
	if (!f->masked || f->multiline)
		return f->buf;
	int n = 0, before = 0;
	for (const char *p = f->buf; *p && n < 64;) {
		if (p - f->buf < f->cur)
			before++;
		bw_utf8_next(&p);
		memcpy(mask + 3 * n++, "\xe2\x80\xa2", 3);
	}
	mask[3 * n] = '\0';
	*len = 3 * n;
	*cur = 3 * before;
	return mask;
}

int ui_textbox(ui_ctx *ctx, ui_id id, ui_rect r, ui_field *f, const char *placeholder)
{
	const ui_theme *t = &ctx->theme;
	int res = 0, rtl;

	if (!ctx->disabled) {
		if (ctx->focus == 0 || ctx->focus_take) {
			ctx->focus = id;
			ctx->focus_take = 0;
		}
		/* a masked field is named by its placeholder, never by what was typed: the
		 * speech must not say a code the screen hides */
		ui_label_next(ctx, UI_ROLE_TEXTBOX, f->len && !f->masked ? f->buf : placeholder, NULL);
		if (ui_hit(ctx, id, r, NULL) & UI_RES_CLICK)
			ctx->focus = id;
	}
	int focused = ctx->focus == id;
	if (focused) {
		ctx->focus_seen = 1;
		if (!ctx->disabled)
			res = feed(ctx, f, field_rtl(ctx, f), ctx->kfocus == 0 || ctx->kfocus == id);
	}
	rtl = field_rtl(ctx, f);
	int dir = f->kind != UI_FIELD_TEXT ? UI_DIR_LTR : rtl ? UI_DIR_AUTO_RTL : UI_DIR_AUTO_LTR;

	ui_draw_rect(ctx, r, t->field, t->radius / 2);
	ui_draw_frame(ctx, r, focused ? t->focus : t->border_c, t->radius / 2,
		      focused ? 2 * t->border : t->border);
	ui_rect in = ui_inset(r, t->pad / 2);
	int size = f->multiline ? t->body : t->big;
	int lh = ui_line_height(ctx, UI_FONT_REGULAR, size);
	ui_rect saved = ctx->clip;
	ui_set_clip(ctx, in);

	if (f->len == 0 && placeholder && *placeholder)
		ui_text(ctx, in, placeholder, t->body, t->muted, UI_ALIGN_START | (f->multiline ? 0 : UI_TEXT_VCENTER));

	int tlen, tcur;
	char mask[3 * 64 + 1];
	const char *text = shown_text(f, mask, &tlen, &tcur);
	int starts[256], lens[256], n = 1, cl = 0;
	starts[0] = 0;
	lens[0] = tlen;
	if (f->multiline && tlen > 0)
		n = ui_wrap(ctx, text, UI_FONT_REGULAR, size, dir, in.w - 4, starts, lens, 256);
	for (int i = 0; i < n; i++)
		if (tcur >= starts[i])
			cl = i;
	int visible = in.h / lh > 0 ? in.h / lh : 1, lang = ctx->lang;
	ctx->lang = UI_LANG_DATA;  /* what the person typed */
	int first = cl - visible + 1 > 0 ? cl - visible + 1 : 0;
	int y0 = f->multiline ? in.y : in.y + (in.h - lh) / 2;
	for (int i = first; i < n && i < first + visible; i++) {
		const char *s = text + starts[i];
		int w = ctx->ops.width(ctx->ops.arg, UI_FONT_REGULAR, size, dir, s, lens[i]);
		int cx = 0;
		if (i == cl)
			cx = caret_x(ctx, size, dir, rtl, s, lens[i], tcur - starts[i]);
		int x = rtl ? in.x + in.w - 2 - w : in.x + 2;
		/* a line wider than the box slides so the caret stays in view */
		if (i == cl && x + cx < in.x + 2)
			x += in.x + 2 - (x + cx);
		else if (i == cl && x + cx > in.x + in.w - 3)
			x -= x + cx - (in.x + in.w - 3);
		int y = y0 + (i - first) * lh;
		ui_draw_line(ctx, x, y, s, lens[i], UI_FONT_REGULAR, size, dir, t->field_fg);
		if (focused && i == cl)
			ui_draw_rect(ctx, (ui_rect){ x + cx - 1, y + lh / 10, 3, lh - lh / 5 }, t->focus, 0);
	}
	if (tlen == 0 && focused)
		ui_draw_rect(ctx, (ui_rect){ rtl ? in.x + in.w - 4 : in.x + 1, y0 + lh / 10, 3, lh - lh / 5 },
			     t->focus, 0);
	ctx->lang = lang;
	ui_set_clip(ctx, saved);
	return res;
}
