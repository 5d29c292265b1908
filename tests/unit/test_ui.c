/* test_ui.c: the UI layer without a display: layout mirroring, clicks, text field editing
 * (RTL caret, graphemes, limits, wipe), keypad, keyboards, list filter, themes' contrast. */
#include <check.h>
#include <string.h>

#include "ui/ui.h"
#include "fixture.h"

static ui_ctx *new_ctx(int rtl)
{
	ui_text_ops ops = { NULL, fx_text_width, fx_text_height, NULL };
	ui_theme t;
	ui_theme_get(&t, UI_THEME_NORMAL);
	ui_ctx *c = ui_new(&ops, &t, 1920, 1080);
	c->rtl = rtl;
	return c;
}

START_TEST(layout_mirrors_in_rtl)
{
	ui_ctx *l = new_ctx(0), *r = new_ctx(1);
	ui_rect a = { 0, 0, 1000, 100 }, b = a, cols[4];

	ui_rect sl = ui_cut_start(l, &a, 100), sr = ui_cut_start(r, &b, 100);
	ck_assert_int_eq(sl.x, 0);
	ck_assert_int_eq(sr.x, 900);
	ck_assert_int_eq(a.x, 100);
	ck_assert_int_eq(b.x, 0);
	ck_assert_int_eq(b.w, 900);

	ui_columns(l, (ui_rect){ 0, 0, 1000, 50 }, 4, 20, cols);
	ck_assert_int_eq(cols[0].x, 0);
	ck_assert_int_eq(cols[3].x + cols[3].w, 1000);
	int w0 = cols[0].w;
	ui_columns(r, (ui_rect){ 0, 0, 1000, 50 }, 4, 20, cols);
	/* first in reading order is on the right, same widths */
	ck_assert_int_eq(cols[0].x + cols[0].w, 1000);
	ck_assert_int_eq(cols[3].x, 0);
	ck_assert_int_eq(cols[0].w, w0);
	ck_assert_int_lt(cols[1].x, cols[0].x);

	ui_rect g[6];
	ui_grid(r, (ui_rect){ 0, 0, 300, 200 }, 3, 2, 0, g);
	ck_assert_int_eq(g[0].x, 200);
	ck_assert_int_eq(g[0].y, 0);
	ck_assert_int_eq(g[3].x, 200);
	ck_assert_int_eq(g[3].y, 100);
	ck_assert_int_eq(g[5].x, 0);

	/* start-aligned text sits at the right edge in RTL */
	ui_begin(r);
	ui_text(r, (ui_rect){ 100, 0, 800, 100 }, "abcd", 20, r->theme.fg, UI_ALIGN_START);
	ui_end(r);
	ck_assert_int_eq(r->ncmds, 1);
	ck_assert_int_eq(r->cmds[0].r.x + r->cmds[0].r.w, 900);
	ck_assert_int_eq(r->cmds[0].dir, UI_DIR_RTL);
	ui_free(l);
	ui_free(r);
}
END_TEST

static int frame_button(ui_ctx *c)
{
	ui_begin(c);
	int res = ui_button(c, ui_id_str("b"), (ui_rect){ 100, 100, 200, 80 }, "OK", UI_BTN_PRIMARY);
	ui_end(c);
	return res;
}

START_TEST(button_click_needs_press_and_release_on_it)
{
	ui_ctx *c = new_ctx(0);
	ck_assert_int_eq(frame_button(c), 0);
	ui_input_press(c, 150, 150);
	ck_assert_int_eq(frame_button(c), 0);
	ui_input_release(c, 160, 140);
	ck_assert_int_eq(frame_button(c), UI_RES_CLICK);
	/* pressed on it, released elsewhere: no click */
	ui_input_press(c, 150, 150);
	frame_button(c);
	ui_input_release(c, 500, 500);
	ck_assert_int_eq(frame_button(c), 0);
	/* pressed elsewhere, released on it: no click */
	ui_input_press(c, 500, 500);
	frame_button(c);
	ui_input_release(c, 150, 150);
	ck_assert_int_eq(frame_button(c), 0);
	/* disabled (a modal is up): no click */
	c->disabled = 1;
	ui_input_press(c, 150, 150);
	frame_button(c);
	ui_input_release(c, 150, 150);
	ck_assert_int_eq(frame_button(c), 0);
	ui_free(c);
}
END_TEST

START_TEST(frame_hash_changes_only_with_content)
{
	ui_ctx *c = new_ctx(0);
	frame_button(c);
	uint64_t h1 = c->hash;
	frame_button(c);
	ck_assert(c->hash == h1);
	ui_input_press(c, 150, 150);  /* the pressed look differs */
	frame_button(c);
	ck_assert(c->hash != h1);
	ui_free(c);
}
END_TEST

START_TEST(field_editing_limits_and_kinds)
{
	char buf[32] = "";
	ui_field f;
	ui_field_init(&f, buf, sizeof buf, 5, UI_FIELD_TEXT);
	ck_assert_int_eq(ui_field_insert(&f, "abc"), UI_RES_CHANGE);
	ck_assert_int_eq(ui_field_insert(&f, "déf"), UI_RES_CHANGE | UI_RES_REFUSED);
	ck_assert_str_eq(buf, "abcdé");
	ck_assert_int_eq(ui_field_chars(&f), 5);
	ck_assert_int_eq(f.len, 6);

	/* the byte capacity holds too: 4-byte characters in a 9-byte buffer */
	char small[9] = "";
	ui_field_init(&f, small, sizeof small, 0, UI_FIELD_TEXT);
	ui_field_insert(&f, "ⴰⴱⴳ");
	ck_assert_str_eq(small, "ⴰⴱ");

	ui_field_init(&f, buf, sizeof buf, 12, UI_FIELD_DIGITS);
	ui_field_set(&f, "");
	ck_assert_int_eq(ui_field_insert(&f, "12a٣"), UI_RES_CHANGE | UI_RES_REFUSED);
	ck_assert_str_eq(buf, "12٣");

	ui_field_init(&f, buf, sizeof buf, 20, UI_FIELD_ID);
	ui_field_set(&f, "ab12-3");
	ck_assert_str_eq(buf, "AB123");

	ui_field_init(&f, buf, sizeof buf, 0, UI_FIELD_TEXT);
	ui_field_set(&f, "a\tb\n");
	ck_assert_str_eq(buf, "ab");
}
END_TEST

START_TEST(field_rtl_caret_and_graphemes)
{
	char buf[64] = "";
	ui_field f;
	ui_field_init(&f, buf, sizeof buf, 0, UI_FIELD_TEXT);
	/* "شُكر": shin, damma (a mark), kaf, ra */
	ui_field_insert(&f, "ش");
	ui_field_insert(&f, "ُ");
	ui_field_insert(&f, "كر");
	ck_assert_int_eq(f.cur, f.len);
	/* in an RTL field the right arrow goes back in the text (to the right on screen) */
	ui_field_key(&f, UI_KEY_RIGHT, 1);
	ck_assert_int_eq(f.cur, 6);           /* before ra */
	ui_field_key(&f, UI_KEY_RIGHT, 1);
	ck_assert_int_eq(f.cur, 4);           /* before kaf */
	ui_field_key(&f, UI_KEY_RIGHT, 1);
	ck_assert_int_eq(f.cur, 0);           /* shin and its damma are one step */
	ck_assert_int_eq(ui_field_key(&f, UI_KEY_RIGHT, 1), 0);
	ui_field_key(&f, UI_KEY_LEFT, 1);
	ck_assert_int_eq(f.cur, 4);
	/* in an LTR field the same key goes the other way */
	ui_field_key(&f, UI_KEY_LEFT, 0);
	ck_assert_int_eq(f.cur, 0);
	/* delete takes the letter with its mark */
	ui_field_delete(&f);
	ck_assert_str_eq(buf, "كر");
	/* backspace takes the last typed code point: the mark first */
	ui_field_set(&f, "بَ");
	ui_field_backspace(&f);
	ck_assert_str_eq(buf, "ب");
	/* typing in the middle */
	ui_field_set(&f, "سلم");
	ui_field_key(&f, UI_KEY_LEFT, 1);     /* forward in RTL: from the end there is none */
	ck_assert_int_eq(f.cur, f.len);
	ui_field_key(&f, UI_KEY_RIGHT, 1);
	ui_field_insert(&f, "ا");
	ck_assert_str_eq(buf, "سلام");
	ck_assert(ui_text_is_rtl(buf, f.len));
	ck_assert(!ui_text_is_rtl("123 abc سلام", 16));
	ck_assert(ui_text_is_rtl("123 سلام abc", 16));
}
END_TEST

START_TEST(field_wipe_leaves_nothing)
{
	char buf[64];
	ui_field f;
	memset(buf, 0, sizeof buf);
	ui_field_init(&f, buf, sizeof buf, 0, UI_FIELD_TEXT);
	ui_field_insert(&f, "secret 0612345678");
	ui_field_key(&f, UI_KEY_HOME, 0);
	ui_field_delete(&f);  /* cut bytes are not left past the end either */
	ck_assert_int_eq(buf[f.len + 1], 0);
	ui_field_wipe(&f);
	for (size_t i = 0; i < sizeof buf; i++)
		ck_assert_int_eq(buf[i], 0);
	ck_assert_int_eq(f.len, 0);
	ck_assert_int_eq(f.cur, 0);
}
END_TEST

static ui_field kf;
static char kbuf[64];
static int kshift;

static int frame_kbd(ui_ctx *c, int which)
{
	ui_begin(c);
	int res;
	if (which == 0)
		res = ui_keypad(c, ui_id_str("pad"), (ui_rect){ 0, 0, 300, 400 }, &kf, "OK");
	else
		res = ui_keyboard(c, ui_id_str("kbd"), (ui_rect){ 0, 0, 1200, 400 },
				  which == 1 ? &ui_kbd_arabic : &ui_kbd_azerty, &kshift, &kf);
	res |= ui_textbox(c, ui_id_str("field"), (ui_rect){ 0, 500, 600, 80 }, &kf, "");
	ui_end(c);
	return res;
}

static int tap(ui_ctx *c, int which, int x, int y)
{
	ui_input_press(c, x, y);
	int res = frame_kbd(c, which);
	ui_input_release(c, x, y);
	return res | frame_kbd(c, which);
}

START_TEST(keypad_types_digits)
{
	ui_ctx *c = new_ctx(1);  /* not mirrored in Arabic: phone layout */
	memset(kbuf, 0, sizeof kbuf);
	ui_field_init(&kf, kbuf, sizeof kbuf, 4, UI_FIELD_DIGITS);
	/* rows of 100 px: "1" top-left, "3" top-right, "0" bottom middle */
	tap(c, 0, 40, 40);
	tap(c, 0, 260, 40);
	tap(c, 0, 150, 350);
	ck_assert_str_eq(kbuf, "130");
	tap(c, 0, 40, 350);                 /* backspace */
	ck_assert_str_eq(kbuf, "13");
	tap(c, 0, 150, 150);
	tap(c, 0, 150, 150);
	ck_assert_int_eq(tap(c, 0, 150, 150) & UI_RES_REFUSED, UI_RES_REFUSED);
	ck_assert_str_eq(kbuf, "1355");
	ck_assert_int_eq(tap(c, 0, 260, 350) & UI_RES_SUBMIT, UI_RES_SUBMIT);
	/* a physical keyboard reaches the focused field too */
	ui_field_set(&kf, "");
	ui_input_text(c, "7x8");
	frame_kbd(c, 0);
	ck_assert_str_eq(kbuf, "78");
	ui_free(c);
}
END_TEST

START_TEST(keyboards_type_their_script)
{
	ui_ctx *c = new_ctx(1);
	memset(kbuf, 0, sizeof kbuf);
	ui_field_init(&kf, kbuf, sizeof kbuf, 0, UI_FIELD_TEXT);
	kshift = 0;
	/* Arabic: 4 rows of 100 px, 12 keys of 1200/12 in the first: ض is first on the left */
	tap(c, 1, 20, 50);
	ck_assert_str_eq(kbuf, "ض");
	/* space bar on the last row */
	tap(c, 1, 700, 350);
	ck_assert_str_eq(kbuf, "ض ");
	/* shift, then the first key is the fatha; shift then releases */
	tap(c, 1, 300, 350);
	ck_assert_int_eq(kshift, 1);
	tap(c, 1, 20, 50);
	ck_assert_str_eq(kbuf, "ض َ");
	ck_assert_int_eq(kshift, 0);

	ui_field_set(&kf, "");
	/* AZERTY: first key "a", then the accented row (row 4 of 5, 80 px each) */
	tap(c, 2, 20, 40);
	tap(c, 2, 20, 280);
	ck_assert_str_eq(kbuf, "aé");
	ui_free(c);
}
END_TEST

START_TEST(list_filter_and_pick)
{
	static const char *const items[] = { "Ministère de la Santé", "Transport", "إدارة الجمارك", "Sûreté nationale" };
	ck_assert(ui_match(items[0], "sante"));
	ck_assert(ui_match(items[0], "SANTÉ"));
	ck_assert(ui_match(items[2], "اداره"));
	ck_assert(ui_match(items[2], "الجمارك"));
	ck_assert(!ui_match(items[1], "sante"));
	ck_assert(ui_match(items[1], ""));

	ui_ctx *c = new_ctx(0);
	ui_list st = { 0 };
	int picked = -1;
	for (int step = 0; step < 2; step++) {
		if (step == 0)
			ui_input_press(c, 100, 30);
		else
			ui_input_release(c, 100, 30);
		ui_begin(c);
		picked = ui_listbox(c, ui_id_str("l"), (ui_rect){ 0, 0, 800, 400 }, &st, items, 4, "sur", 100, "none");
		ui_end(c);
	}
	ck_assert_int_eq(picked, 3);  /* the only match is drawn first */
	ui_free(c);
}
END_TEST

START_TEST(themes_meet_contrast_and_size_floors)
{
	for (int k = 0; k < UI_THEME_COUNT; k++) {
		ui_theme t;
		ui_theme_get(&t, k);
		const struct { ui_color a, b; double min; const char *what; } pairs[] = {
			{ t.fg, t.bg, 4.5, "fg/bg" }, { t.muted, t.bg, 4.5, "muted/bg" },
			{ t.fg, t.panel, 4.5, "fg/panel" }, { t.muted, t.panel, 4.5, "muted/panel" },
			{ t.btn_fg, t.btn, 4.5, "button" }, { t.primary_fg, t.primary_bg, 4.5, "primary" },
			{ t.sel_fg, t.sel, 4.5, "selected" }, { t.field_fg, t.field, 4.5, "field" },
			{ t.muted, t.field, 4.5, "placeholder" }, { t.error_fg, t.error, 4.5, "error" },
			{ t.ok, t.bg, 4.5, "ok" },
			/* WCAG 1.4.11: borders and focus rings of controls need 3:1 */
			{ t.border_c, t.bg, 3.0, "border" }, { t.focus, t.bg, 3.0, "focus" },
			{ t.focus, t.field, 3.0, "focus/field" },
		};
		for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
			double r = ui_contrast(pairs[i].a, pairs[i].b);
			ck_assert_msg(r >= pairs[i].min, "theme %d %s: %.2f:1", k, pairs[i].what, r);
		}
		ck_assert_int_ge(t.touch, 48);
		ck_assert_int_ge(t.primary, t.touch * 3 / 2);
		ck_assert_int_ge(t.body, 24);
		ck_assert_int_ge(t.small, 24);
	}
	/* the formula itself: black on white is 21:1, equal colours 1:1 */
	ck_assert(ui_contrast((ui_color){ 0, 0, 0, 255 }, (ui_color){ 255, 255, 255, 255 }) > 20.99);
	ck_assert(ui_contrast((ui_color){ 90, 90, 90, 255 }, (ui_color){ 90, 90, 90, 255 }) < 1.001);
	ui_theme n, l;
	ui_theme_get(&n, UI_THEME_NORMAL);
	ui_theme_get(&l, UI_THEME_LARGE);
	ck_assert_int_gt(l.body, n.body);
	ck_assert_int_gt(l.touch, n.touch);
	ui_theme_scale(&n, 720, 1080);    /* a smaller screen never goes below the floors */
	ck_assert_int_ge(n.touch, 48);
	ck_assert_int_ge(n.body, 24);
}
END_TEST

START_TEST(wrap_fits_and_keeps_words)
{
	ui_ctx *c = new_ctx(1);
	int st[16], ln[16];
	/* 10 px per character at size 20: 100 px holds 10 characters */
	int n = ui_wrap(c, "ذهبت إلى الإدارة يوم 12 مارس", 0, 20, UI_DIR_RTL, 100, st, ln, 16);
	ck_assert_int_ge(n, 3);
	for (int i = 0; i < n; i++)
		ck_assert_int_le(fx_text_width(NULL, 0, 20, 0, "ذهبت إلى الإدارة يوم 12 مارس" + st[i], ln[i]), 100);
	/* a word longer than the line is cut, nothing lost */
	n = ui_wrap(c, "abcdefghijklmnop", 0, 20, 0, 100, st, ln, 16);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(ln[0] + ln[1], 16);
	ui_free(c);
}
END_TEST

START_TEST(tab_moves_focus_and_only_focused_takes_text)
{
	ui_ctx *c = new_ctx(0);
	char a[16] = "", b[16] = "";
	ui_field fa, fb;
	ui_field_init(&fa, a, sizeof a, 0, UI_FIELD_TEXT);
	ui_field_init(&fb, b, sizeof b, 0, UI_FIELD_TEXT);
	for (int step = 0; step < 4; step++) {
		if (step == 0)
			ui_input_text(c, "x");
		if (step == 1)
			ui_input_key(c, UI_KEY_TAB);
		if (step == 2)
			ui_input_text(c, "y");
		ui_begin(c);
		ui_textbox(c, 1, (ui_rect){ 0, 0, 300, 80 }, &fa, NULL);
		ui_textbox(c, 2, (ui_rect){ 0, 100, 300, 80 }, &fb, NULL);
		ck_assert_int_eq(ui_end(c), 0);
	}
	ck_assert_str_eq(a, "x");
	ck_assert_str_eq(b, "y");
	ui_free(c);
}
END_TEST

FX_SUITE(ui, "ui", NULL, NULL,
		layout_mirrors_in_rtl, button_click_needs_press_and_release_on_it,
		frame_hash_changes_only_with_content, field_editing_limits_and_kinds,
		field_rtl_caret_and_graphemes, field_wipe_leaves_nothing, keypad_types_digits,
		keyboards_type_their_script, list_filter_and_pick,
		themes_meet_contrast_and_size_floors, wrap_fits_and_keeps_words,
		tab_moves_focus_and_only_focused_takes_text)
