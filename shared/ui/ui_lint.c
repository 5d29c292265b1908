/* ui_lint.c: the layout check over one frame's draw commands: text outside its box, outside
 * the screen or cut by a clip without an ellipsis, text over text, controls over controls
 * or under the size floor, keys shown instead of translations, and runs of a script other
 * than the text's language that are not marked as names, numbers or codes. No display:
 * it reads what the widgets emitted, with the widths the renderer measured. */
#include "ui.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bw_text.h"

static void say(const ui_lint_rules *rl, int *n, const char *kind, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void say(const ui_lint_rules *rl, int *n, const char *kind, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	(*n)++;
	if (rl->report)
		rl->report(rl->arg, kind, msg);
}

static int inter(ui_rect a, ui_rect b, int *iw, int *ih)
{
	int x0 = a.x > b.x ? a.x : b.x, y0 = a.y > b.y ? a.y : b.y;
	int x1 = a.x + a.w < b.x + b.w ? a.x + a.w : b.x + b.w;
	int y1 = a.y + a.h < b.y + b.h ? a.y + a.h : b.y + b.h;
	*iw = x1 - x0;
	*ih = y1 - y0;
	return *iw > 0 && *ih > 0;
}

static int inside(ui_rect in, ui_rect out)
{
	return in.x >= out.x && in.y >= out.y && in.x + in.w <= out.x + out.w && in.y + in.h <= out.y + out.h;
}

/* The ink of a line: the line height holds the tallest script's ascent and descent
 * (Arabic marks, Latin accents) with room to spare; the letters themselves take about
 * 1.25 times the pixel size, around the middle of the line. */
static ui_rect ink(const ui_cmd *c)
{
	int s = c->size * 5 / 4;
	if (s > c->r.h || s <= 0)
		s = c->r.h;
	return (ui_rect){ c->r.x, c->r.y + (c->r.h - s) / 2, c->r.w, s };
}

/* 1 when s reads as a catalogue key ("home.title"): lower case ASCII words and dots. */
static int looks_like_key(const char *s, int len)
{
	int dots = 0;
	if (len < 3 || !(s[0] >= 'a' && s[0] <= 'z'))
		return 0;
	for (int i = 0; i < len; i++) {
		char c = s[i];
		if (c == '.') {
			if (i + 1 >= len || s[i + 1] == '.')
				return 0;
			dots++;
		} else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
			return 0;
		}
	}
	return dots > 0;
}

static int script_of(int32_t c)
{
	if ((c >= 0x0600 && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F) || (c >= 0xFB50 && c <= 0xFDFF) ||
	    (c >= 0xFE70 && c <= 0xFEFF))
		return (c >= 0x0660 && c <= 0x0669) || (c >= 0x06F0 && c <= 0x06F9) ? 0 : UI_SCRIPT_ARABIC;
	if (c >= 0x2D30 && c <= 0x2D7F)
		return UI_SCRIPT_TIFINAGH;
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7))
		return UI_SCRIPT_LATIN;
	return 0;
}

/* The first run of letters of another script than want, outside bidi isolates; its bytes
 * in *at, *n (0 when none). A lone Latin letter is a label ("A", a key), not a language. */
static void foreign_run(const char *s, int len, int want, int *at, int *n)
{
	const char *p = s, *end = s + len;
	int depth = 0, run0 = -1, letters = 0, script = 0;
	*n = 0;
	while (p < end) {
		const char *q = p;
		int32_t c = bw_utf8_next(&p);
		if (c >= 0x2066 && c <= 0x2068) {
			depth++;
			continue;
		}
		if (c == 0x2069) {
			depth -= depth > 0;
			continue;
		}
		/* an acronym in parentheses, "(ADII)", is how a catalogue marks a name's
		 * abbreviation: capitals up to the closing parenthesis count as a code */
		if (c == '(' && depth == 0) {
			const char *r = p;
			while (r < end && *r >= 'A' && *r <= 'Z')
				r++;
			if (r > p && r < end && *r == ')') {
				p = r + 1;
				continue;
			}
		}
		int sc = depth ? 0 : script_of(c);
		if (sc && sc != want && (run0 < 0 || sc == script)) {
			if (run0 < 0) {
				run0 = (int)(q - s);
				script = sc;
				letters = 0;
			}
			letters++;
		} else if (sc || c == ' ' || c == '\n' || c == ':' || c == ',' || c == '(' || c == ')') {
			if (run0 >= 0 && (letters >= 2 || script != UI_SCRIPT_LATIN)) {
				*at = run0;
				*n = (int)(q - s) - run0;
				return;
			}
			run0 = -1;
		}
	}
	if (run0 >= 0 && (letters >= 2 || script != UI_SCRIPT_LATIN)) {
		*at = run0;
		*n = (int)(end - s) - run0;
	}
}

static void text_checks(const ui_ctx *ctx, const ui_lint_rules *rl, const ui_cmd *c, ui_rect clip, int *n)
{
	const char *s = ui_cmd_text(ctx, c);
	ui_rect k = ink(c);
	int field = c->box.w == 0 && c->lang == UI_LANG_DATA;  /* a text box's own line */
	if (!field && !inside(k, ctx->screen))
		say(rl, n, "offscreen", "\"%.*s\" at %d,%d %dx%d is off the screen", c->len, s, c->r.x, c->r.y, c->r.w, c->r.h);
	if (c->box.w > 0) {
		ui_rect b = c->box;
		if (c->r.x < b.x - 1 || c->r.x + c->r.w > b.x + b.w + 1)
			say(rl, n, "outside-box", "\"%.*s\" is %d px wide in a box of %d", c->len, s, c->r.w, b.w);
		else if (k.y < b.y - 1 || k.y + k.h > b.y + b.h + 1)
			say(rl, n, "outside-box", "\"%.*s\" (line %d..%d) below or above its box (%d..%d)", c->len, s,
			    c->r.y, c->r.y + c->r.h, b.y, b.y + b.h);
	}
	/* a text box's own lines (bare lines of data) slide under its clip to keep the caret
	 * in view: that is scrolling, not a cut */
	if (clip.w > 0 && !field) {
		int iw, ih;
		if (!inter(k, clip, &iw, &ih)) {
			/* wholly clipped away: drawn for nothing, but nothing shows cut */
		} else if (!inside(k, clip)) {
			say(rl, n, "cut", "\"%.*s\" cut by a clip without an ellipsis", c->len, s);
		}
	}
	if (c->lang != UI_LANG_DATA && looks_like_key(s, c->len))
		say(rl, n, "untranslated", "\"%.*s\" shown as its key", c->len, s);
	if (c->lang > 0 && c->lang < UI_LINT_LANGS && rl->script[c->lang]) {
		int at, len;
		foreign_run(s, c->len, rl->script[c->lang], &at, &len);
		if (len > 0)
			say(rl, n, "language", "\"%.*s\" in \"%.*s\" is not in the text's language (%s)", len, s + at,
			    c->len, s, rl->lang_name[c->lang] ? rl->lang_name[c->lang] : "?");
	}
}

int ui_lint(const ui_ctx *ctx, const ui_lint_rules *rl)
{
	int n = 0;
	int vis[UI_MAX_CMDS], nvis = 0;
	ui_rect clip = { 0, 0, 0, 0 };
	for (int i = 0; i < ctx->ncmds; i++) {
		const ui_cmd *c = &ctx->cmds[i];
		if (c->type == UI_CMD_CLIP) {
			clip = c->r;
		} else if (c->type == UI_CMD_RECT && !c->border && c->color.a == 255) {
			/* an opaque cover (a dialog, the idle warning) hides the text under it, even
			 * a line it covers in part: a dialog over the page is not text over text
			 * (a line spilling out of its own box is still found by its box) */
			for (int k = 0; k < nvis; k++) {
				int iw, ih;
				if (vis[k] >= 0 && inter(ink(&ctx->cmds[vis[k]]), c->r, &iw, &ih))
					vis[k] = -1;
			}
		} else if (c->type == UI_CMD_TEXT) {
			text_checks(ctx, rl, c, clip, &n);
			if (clip.w == 0 || inside(ink(c), clip))
				vis[nvis++] = i;
		}
	}
	for (int a = 0; a < nvis; a++) {
		if (vis[a] < 0)
			continue;
		for (int b = a + 1; b < nvis; b++) {
			int iw, ih;
			if (vis[b] < 0)
				continue;
			const ui_cmd *x = &ctx->cmds[vis[a]], *y = &ctx->cmds[vis[b]];
			if (inter(ink(x), ink(y), &iw, &ih) && iw > 2 && ih > 2)
				say(rl, &n, "overlap", "\"%.*s\" and \"%.*s\" overlap (%dx%d px)", x->len,
				    ui_cmd_text(ctx, x), y->len, ui_cmd_text(ctx, y), iw, ih);
		}
	}
	for (int a = 0; a < ctx->nctrls; a++) {
		ui_rect r = ctx->ctrls[a].r;
		if (r.w < rl->min_target || r.h < rl->min_target)
			say(rl, &n, "small-target", "a control of %dx%d px at %d,%d (at least %d)", r.w, r.h, r.x, r.y,
			    rl->min_target);
		if (!inside(r, ctx->screen))
			say(rl, &n, "offscreen", "a control at %d,%d %dx%d is off the screen", r.x, r.y, r.w, r.h);
		for (int b = a + 1; b < ctx->nctrls; b++) {
			int iw, ih;
			if (ctx->ctrls[b].id != ctx->ctrls[a].id && inter(r, ctx->ctrls[b].r, &iw, &ih))
				say(rl, &n, "overlap", "controls at %d,%d %dx%d and %d,%d %dx%d overlap", r.x, r.y, r.w, r.h,
				    ctx->ctrls[b].r.x, ctx->ctrls[b].r.y, ctx->ctrls[b].r.w, ctx->ctrls[b].r.h);
		}
	}
	return n;
}
