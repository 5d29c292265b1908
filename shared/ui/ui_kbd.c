/* ui_kbd.c: the numeric keypad and the on-screen keyboards (Arabic, Tifinagh, French
 * AZERTY with accents); the layouts are data tables, the widgets draw and apply them. */
#include "ui.h"

#include <stdio.h>
#include <string.h>

#include "bw_text.h"

#define B UI_K_BACK

/* Arabic: the usual Arabic PC layout (letters where Moroccan keyboards have them);
 * shift gives the vowel marks, hamza forms, digits and punctuation. */
static const char *const ar0[] = { "ض", "ص", "ث", "ق", "ف", "غ", "ع", "ه", "خ", "ح", "ج", "د", NULL };
static const char *const ar1[] = { "ش", "س", "ي", "ب", "ل", "ا", "ت", "ن", "م", "ك", "ط", NULL };
static const char *const ar2[] = { "ئ", "ء", "ؤ", "ر", "لا", "ى", "ة", "و", "ز", "ظ", "ذ", B, NULL };
static const char *const ar0s[] = { "َ", "ً", "ُ", "ٌ", "ِ", "ٍ", "ّ", "ْ", "أ", "إ", "آ", "ـ", NULL };
static const char *const ar1s[] = { "1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "؟", NULL };
static const char *const ar2s[] = { "،", ".", "!", ":", "-", "/", "@", "(", ")", "\"", B, NULL };

const ui_kbd_layout ui_kbd_arabic = {
	"ar", 3, { { ar0, ar1, ar2 }, { ar0s, ar1s, ar2s } }, 1, 0
};

/* Tifinagh: the IRCAM letters on the AZERTY positions where they have one (a z e r t y
 * u i ...); shift gives the emphatics, labialisation, digits and punctuation. */
static const char *const tf0[] = { "ⴰ", "ⵣ", "ⴻ", "ⵔ", "ⵜ", "ⵢ", "ⵓ", "ⵉ", "ⵄ", "ⵃ", NULL };
static const char *const tf1[] = { "ⵇ", "ⵙ", "ⴷ", "ⴼ", "ⴳ", "ⵀ", "ⵊ", "ⴽ", "ⵍ", "ⵎ", NULL };
static const char *const tf2[] = { "ⵡ", "ⵅ", "ⵛ", "ⵖ", "ⴱ", "ⵏ", B, NULL };
static const char *const tf0s[] = { "ⵥ", "ⵕ", "ⵟ", "ⵚ", "ⴹ", "ⴳⵯ", "ⴽⵯ", "ⵯ", "ⵒ", "ⵠ", NULL };
static const char *const tf1s[] = { "1", "2", "3", "4", "5", "6", "7", "8", "9", "0", NULL };
static const char *const tf2s[] = { ",", ".", "?", "!", "-", "@", B, NULL };

const ui_kbd_layout ui_kbd_tifinagh = {
	"zgh", 3, { { tf0, tf1, tf2 }, { tf0s, tf1s, tf2s } }, 0, 0
};

/* French AZERTY with a row of the accented letters French needs. */
static const char *const fr0[] = { "a", "z", "e", "r", "t", "y", "u", "i", "o", "p", NULL };
static const char *const fr1[] = { "q", "s", "d", "f", "g", "h", "j", "k", "l", "m", NULL };
static const char *const fr2[] = { "w", "x", "c", "v", "b", "n", "'", ",", ".", B, NULL };
static const char *const fr3[] = { "é", "è", "ê", "à", "â", "ç", "ù", "û", "î", "ô", NULL };
static const char *const fr0s[] = { "A", "Z", "E", "R", "T", "Y", "U", "I", "O", "P", NULL };
static const char *const fr1s[] = { "Q", "S", "D", "F", "G", "H", "J", "K", "L", "M", NULL };
static const char *const fr2s[] = { "W", "X", "C", "V", "B", "N", "-", "?", "@", B, NULL };
static const char *const fr3s[] = { "1", "2", "3", "4", "5", "6", "7", "8", "9", "0", NULL };

const ui_kbd_layout ui_kbd_azerty = {
	"fr", 4, { { fr0, fr1, fr2, fr3 }, { fr0s, fr1s, fr2s, fr3s } }, 0, 0
};

/* ID numbers (CNIE, residence permit): capitals then digits typed on the keypad. */
static const char *const id0[] = { "A", "Z", "E", "R", "T", "Y", "U", "I", "O", "P", NULL };
static const char *const id1[] = { "Q", "S", "D", "F", "G", "H", "J", "K", "L", "M", NULL };
static const char *const id2[] = { "W", "X", "C", "V", "B", "N", B, NULL };

const ui_kbd_layout ui_kbd_id = {
	"id", 3, { { id0, id1, id2 }, { id0, id1, id2 } }, 0, 1
};

/* A key cell: draws it, returns 1 on a click. The id is the layout position so a key
 * keeps its press across a shift. */
static int key(ui_ctx *ctx, ui_id id, ui_rect r, const char *label, int icon, int on)
{
	const ui_theme *t = &ctx->theme;
	int down;
	/* keys without a letter are named by catalogue keys the speech translates */
	ui_label_next(ctx, UI_ROLE_KEY, label, icon == UI_ICON_BACKSPACE ? "key.backspace" :
		      icon == UI_ICON_SHIFT ? "key.shift" : label ? NULL : "key.space");
	ctx->next_state = on;
	int res = ui_hit(ctx, id, r, &down);
	ui_color bg = down || on ? t->sel : t->btn, fg = down || on ? t->sel_fg : t->btn_fg;
	ui_draw_rect(ctx, r, bg, t->radius / 2);
	ui_draw_frame(ctx, r, t->border_c, t->radius / 2, t->border);
	if (icon >= 0) {
		int side = r.h * 2 / 3 < r.w ? r.h * 2 / 3 : r.w;
		ui_icon(ctx, ui_center(r, side, side), icon, fg);
	} else if (label) {
		char shown[16];
		const char *p = label;
		int32_t cp = bw_utf8_next(&p);
		/* a vowel mark alone would show on a dotted circle: put it on a tatweel */
		if (cp >= 0x064B && cp <= 0x0652 && strlen(label) < 8) {
			snprintf(shown, sizeof shown, "\xd9\x80%s", label);
			label = shown;
		}
		/* a key shows a character, not a word of the screen's language */
		ui_text(ctx, r, label, t->big, fg, UI_ALIGN_CENTER | UI_TEXT_VCENTER | UI_TEXT_NOWRAP | UI_TEXT_DATA);
	}
	return res & UI_RES_CLICK;
}

/* Columns left to right whatever the layout direction: keyboards and keypads keep
 * their physical arrangement in Arabic (as on every phone and PC keyboard). */
static ui_rect cell(ui_rect row, int i, int n, int gap)
{
	int total = row.w - gap * (n - 1);
	int x0 = total * i / n + gap * i, x1 = total * (i + 1) / n + gap * i;
	return (ui_rect){ row.x + x0, row.y, x1 - x0, row.h };
}

int ui_keypad(ui_ctx *ctx, ui_id id, ui_rect r, ui_field *f, const char *ok_label)
{
	return ui_keypad_ex(ctx, id, r, f, ok_label, NULL, NULL);
}

int ui_keypad_ex(ui_ctx *ctx, ui_id id, ui_rect r, ui_field *f, const char *ok_label,
                 const char *const *extra, const char *switch_label)
{
	static const char *const keys[12] = { "1", "2", "3", "4", "5", "6", "7", "8", "9", B, "0", "OK" };
	const ui_theme *t = &ctx->theme;
	ui_rect rows[4];
	int res = 0, cols = extra || switch_label ? 4 : 3;

	ui_rows(r, 4, t->gap / 2, rows);
	/* the fourth column: extra keys from the top, the switch key at the bottom */
	for (int i = 0, y = 0; cols == 4 && y < 4; y++) {
		ui_rect c = cell(rows[y], 3, 4, t->gap / 2);
		ui_id kid = ui_id_mix(id, 100 + y);
		if (extra && extra[i]) {
			if (key(ctx, kid, c, extra[i], -1, 0))
				res |= ui_field_insert(f, extra[i]);
			i++;
		} else if (switch_label && y == 3) {
			if (ui_button(ctx, kid, c, switch_label, UI_BTN_NORMAL) & UI_RES_CLICK)
				res |= UI_RES_SWITCH;
		}
	}
	for (int i = 0; i < 12; i++) {
		ui_rect c = cell(rows[i / 3], i % 3, cols, t->gap / 2);
		ui_id kid = ui_id_mix(id, i);
		if (i == 11) {
			if (ui_button(ctx, kid, c, ok_label, UI_BTN_PRIMARY) & UI_RES_CLICK)
				res |= UI_RES_SUBMIT;
		} else if (key(ctx, kid, c, keys[i], i == 9 ? UI_ICON_BACKSPACE : -1, 0)) {
			res |= i == 9 ? ui_field_backspace(f) : ui_field_insert(f, keys[i]);
		}
	}
	return res;
}

int ui_keyboard(ui_ctx *ctx, ui_id id, ui_rect r, const ui_kbd_layout *l, int *shift,
                ui_field *f)
{
	const ui_theme *t = &ctx->theme;
	ui_rect rows[6];
	int res = 0, widest = 0, gap = t->gap / 2;
	int layer = *shift ? 1 : 0;

	for (int y = 0; y < l->rows; y++) {
		int n = 0;
		while (l->keys[0][y][n])
			n++;
		if (n > widest)
			widest = n;
	}
	ui_rows(r, l->rows + !l->bare, gap, rows);
	int unit = (r.w - gap * (widest - 1)) / widest;
	for (int y = 0; y < l->rows; y++) {
		const char *const *k = l->keys[layer][y];
		int n = 0;
		while (k[n])
			n++;
		int w = n * unit + (n - 1) * gap;
		ui_rect row = { r.x + (r.w - w) / 2, rows[y].y, w, rows[y].h };
		for (int i = 0; i < n; i++) {
			ui_rect c = cell(row, i, n, gap);
			int back = strcmp(k[i], B) == 0;
			if (!key(ctx, ui_id_mix(id, y * 32 + i), c, back ? NULL : k[i],
				 back ? UI_ICON_BACKSPACE : -1, 0))
				continue;
			if (back) {
				res |= ui_field_backspace(f);
			} else {
				res |= ui_field_insert(f, k[i]);
				*shift = 0;  /* one shifted key, as on phones */
			}
		}
	}
	if (l->bare)
		return res;
	/* last row: shift, then a wide space bar */
	ui_rect last = rows[l->rows];
	int w = 8 * unit + 7 * gap;
	ui_rect row = { r.x + (r.w - w) / 2, last.y, w, last.h };
	ui_rect sh = cell(row, 0, 4, gap), sp = { sh.x + sh.w + gap, row.y, row.x + row.w - sh.x - sh.w - gap, row.h };
	if (key(ctx, ui_id_mix(id, 1000), sh, NULL, UI_ICON_SHIFT, *shift))
		*shift = !*shift;
	if (key(ctx, ui_id_mix(id, 1001), sp, NULL, -1, 0))
		res |= ui_field_insert(f, " ");
	return res;
}
