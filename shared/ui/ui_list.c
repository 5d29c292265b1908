/* ui_list.c: the searchable scrolling list (administrations, categories): a forgiving
 * match that folds case, accents and Arabic letter variants, and a paged list widget. */
#include "ui.h"

#include <string.h>

#include "bw_text.h"

/* One code point folded for matching; 0 means "drop it" (vowel marks, tatweel). */
static int32_t fold(int32_t cp)
{
	static const char latin[] = /* U+00C0 .. U+00FF */
		"aaaaaaaceeeeiiiidnooooo.ouuuuyts"
		"aaaaaaaceeeeiiiidnooooo.ouuuuyty";
	if (cp >= 'A' && cp <= 'Z')
		return cp + 32;
	if (cp >= 0xC0 && cp <= 0xFF && latin[cp - 0xC0] != '.')
		return latin[cp - 0xC0];
	switch (cp) {
	case 0x0623: case 0x0625: case 0x0622: case 0x0671:
		return 0x0627;          /* alef with hamza or madda -> alef */
	case 0x0629:
		return 0x0647;          /* taa marbuta -> haa */
	case 0x0649:
		return 0x064A;          /* alef maqsura -> yaa */
	case 0x0640:
		return 0;               /* tatweel */
	}
	if (cp >= 0x064B && cp <= 0x0652)
		return 0;
	return cp;
}

static void fold_str(const char *s, char *out, size_t size)
{
	size_t n = 0;
	while (*s) {
		char enc[4];
		int32_t cp = fold(bw_utf8_next(&s));
		if (cp <= 0)
			continue;
		size_t k = bw_utf8_put((uint32_t)cp, enc);
		if (n + k + 1 > size)
			break;
		memcpy(out + n, enc, k);
		n += k;
	}
	out[n] = '\0';
}

int ui_match(const char *item, const char *filter)
{
	char a[1024], b[256];
	fold_str(filter, b, sizeof b);
	if (!b[0])
		return 1;
	fold_str(item, a, sizeof a);
	return strstr(a, b) != NULL;
}

int ui_listbox(ui_ctx *ctx, ui_id id, ui_rect r, ui_list *st, const char *const *items,
               int n, const char *filter, int row_h, const char *empty_label)
{
	const ui_theme *t = &ctx->theme;
	int match[512], nm = 0, picked = -1;

	for (int i = 0; i < n && nm < 512; i++)
		if (ui_match(items[i], filter))
			match[nm++] = i;
	ui_rect body = r;
	ui_rect side = ui_cut_end(ctx, &body, t->touch + t->gap);
	side = ui_cut_end(ctx, &side, t->touch);
	int visible = body.h / row_h > 0 ? body.h / row_h : 1;
	if (st->top > nm - visible)
		st->top = nm - visible;
	if (st->top < 0)
		st->top = 0;

	if (nm == 0 && empty_label)
		ui_text(ctx, body, empty_label, t->body, t->muted, UI_ALIGN_CENTER | UI_TEXT_VCENTER);
	for (int v = 0; v < visible && st->top + v < nm; v++) {
		int i = match[st->top + v];
		ui_rect row = { body.x, body.y + v * row_h, body.w, row_h - t->gap / 3 };
		int down;
		ui_label_next(ctx, UI_ROLE_ITEM, items[i], NULL);
		if (ui_hit(ctx, ui_id_mix(id, i), row, &down) & UI_RES_CLICK)
			picked = i;
		ui_draw_rect(ctx, row, down ? t->sel : t->panel, t->radius / 2);
		ui_draw_frame(ctx, row, t->border_c, t->radius / 2, t->border);
		ui_text(ctx, ui_inset(row, t->pad / 2), items[i], t->body, down ? t->sel_fg : t->fg,
			UI_ALIGN_START | UI_TEXT_VCENTER | UI_TEXT_NOWRAP);
	}
	if (nm > visible) {
		ui_rect half[2];
		ui_rows(side, 2, t->gap, half);
		int can_up = st->top > 0, can_down = st->top + visible < nm;
		for (int k = 0; k < 2; k++) {
			int on = k == 0 ? can_up : can_down, down;
			ui_label_next(ctx, UI_ROLE_BUTTON, NULL, k == 0 ? "list.up" : "list.down");
			if ((ui_hit(ctx, ui_id_mix(id, -1 - k), half[k], &down) & UI_RES_CLICK) && on)
				st->top += k == 0 ? -(visible - 1) : visible - 1;
			ui_draw_rect(ctx, half[k], down && on ? t->sel : t->btn, t->radius / 2);
			ui_draw_frame(ctx, half[k], t->border_c, t->radius / 2, t->border);
			ui_icon(ctx, ui_inset(half[k], t->pad / 2), k == 0 ? UI_ICON_UP : UI_ICON_DOWN,
				on ? (down ? t->sel_fg : t->btn_fg) : t->border_c);
		}
		if (st->top < 0)
			st->top = 0;
	}
	return picked;
}
