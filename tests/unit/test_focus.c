/* test_focus.c: keypad focus in the UI layer without a display: reading order in RTL and
 * LTR layouts, moves on Tab/Shift-Tab/arrows, activation with Enter, Escape on the back
 * control, the on-screen keyboard typed from the keypad, the focus ring drawn, each
 * control's recorded role and name. */
#include <check.h>
#include <string.h>

#include "ui/ui.h"

static int fake_width(void *arg, int font, int size, int dir, const char *s, int len)
{
	int n = 0;
	for (int i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n * size / 2;
}

static int fake_height(void *arg, int font, int size)
{
	return size * 3 / 2;
}

static ui_ctx *new_ctx(int rtl)
{
	ui_text_ops ops = { NULL, fake_width, fake_height, NULL };
	ui_theme t;
	ui_theme_get(&t, UI_THEME_NORMAL);
	ui_ctx *c = ui_new(&ops, &t, 1920, 1080);
	c->rtl = rtl;
	c->keypad = 1;
	return c;
}

/* A header row (back at the start, then A, B in columns) and a second row (C, D), laid
 * out with the mirroring helpers as screens do. Returns the clicked control's letter. */
static char frame(ui_ctx *c, int key)
{
	char clicked = 0;
	if (key)
		ui_input_key(c, key);
	ui_begin(c);
	ui_rect all = c->screen, head = ui_cut_top(&all, 100), cols[2];
	ui_label_next(c, UI_ROLE_BACK, "back", NULL);
	if (ui_hit(c, 100, ui_cut_start(c, &head, 200), NULL) & UI_RES_CLICK)
		clicked = '<';
	ui_columns(c, head, 2, 10, cols);
	if (ui_button(c, 1, cols[0], "A", UI_BTN_NORMAL) & UI_RES_CLICK)
		clicked = 'A';
	if (ui_button(c, 2, cols[1], "B", UI_BTN_NORMAL) & UI_RES_CLICK)
		clicked = 'B';
	ui_columns(c, ui_cut_top(&all, 100), 2, 10, cols);
	/* drawn D before C: the order of drawing must not matter */
	if (ui_button(c, 4, cols[1], "D", UI_BTN_NORMAL) & UI_RES_CLICK)
		clicked = 'D';
	if (ui_button(c, 3, cols[0], "C", UI_BTN_NORMAL) & UI_RES_CLICK)
		clicked = 'C';
	ck_assert_int_eq(ui_end(c), 0);
	return clicked;
}

static const char *names(ui_ctx *c, char *out)
{
	int idx[UI_NAV_MAX], n = ui_focus_order(c, idx);
	out[0] = '\0';
	for (int i = 0; i < n; i++)
		strcat(out, i ? "," : ""), strcat(out, ui_nav_name(c, &c->nav[idx[i]]));
	return out;
}

START_TEST(reading_order_ltr_and_rtl)
{
	char buf[64];
	ui_ctx *l = new_ctx(0), *r = new_ctx(1);
	frame(l, 0);
	frame(r, 0);
	ck_assert_str_eq(names(l, buf), "back,A,B,C,D");
	ck_assert_str_eq(names(r, buf), "back,A,B,C,D");
	/* and the positions are mirrored: in Arabic the first control is the rightmost */
	int idx[UI_NAV_MAX];
	ui_focus_order(r, idx);
	ck_assert_int_gt(r->nav[idx[1]].r.x, r->nav[idx[2]].r.x);
	ui_focus_order(l, idx);
	ck_assert_int_lt(l->nav[idx[1]].r.x, l->nav[idx[2]].r.x);
	ui_free(l);
	ui_free(r);
}
END_TEST

static const char *focused(ui_ctx *c)
{
	const ui_nav *n = ui_focused(c);
	return n ? ui_nav_name(c, n) : "-";
}

START_TEST(keys_move_and_activate)
{
	for (int rtl = 0; rtl < 2; rtl++) {
		ui_ctx *c = new_ctx(rtl);
		frame(c, 0);
		ck_assert_str_eq(focused(c), "-");  /* no focus, no ring, until a key is used */
		frame(c, UI_KEY_TAB);
		ck_assert_str_eq(focused(c), "back");
		frame(c, UI_KEY_TAB);
		ck_assert_str_eq(focused(c), "A");
		/* the arrow towards the end of the line: left in Arabic, right in French */
		frame(c, rtl ? UI_KEY_LEFT : UI_KEY_RIGHT);
		ck_assert_str_eq(focused(c), "B");
		frame(c, UI_KEY_DOWN);
		ck_assert_str_eq(focused(c), "C");
		frame(c, UI_KEY_BACKTAB);
		ck_assert_str_eq(focused(c), "B");
		frame(c, UI_KEY_UP);
		frame(c, UI_KEY_UP);
		frame(c, UI_KEY_UP);
		ck_assert_str_eq(focused(c), "D");  /* wraps around */
		ck_assert_int_eq(frame(c, UI_KEY_ENTER), 'D');
		ck_assert_int_eq(frame(c, 0), 0);
		ck_assert_int_eq(frame(c, UI_KEY_ESCAPE), '<');
		ck_assert_uint_eq(c->kmoves, 8);
		ui_free(c);
	}
}
END_TEST

START_TEST(focus_ring_is_drawn_thick)
{
	ui_ctx *c = new_ctx(0);
	frame(c, 0);
	int before = c->ncmds;
	frame(c, UI_KEY_TAB);
	ck_assert_int_eq(c->ncmds, before + 2);
	const ui_cmd *ring = &c->cmds[c->ncmds - 2];
	ck_assert_int_ge(ring->border, 6);
	ck_assert(ring->color.r == c->theme.focus.r && ring->color.g == c->theme.focus.g);
	/* around the focused control, outside it */
	const ui_nav *n = ui_focused(c);
	ck_assert_int_lt(ring->r.x, n->r.x);
	ck_assert_int_gt(ring->r.w, n->r.w);
	ui_free(c);
}
END_TEST

START_TEST(keyboard_typed_from_the_keypad)
{
	ui_ctx *c = new_ctx(1);
	char buf[32] = "";
	ui_field f;
	int shift = 0;
	ui_field_init(&f, buf, sizeof buf, 0, UI_FIELD_TEXT);
	/* Tab to the first key of the French keyboard, Enter types it, Tab, Enter the next */
	int keys[] = { 0, UI_KEY_TAB, UI_KEY_TAB, UI_KEY_ENTER, UI_KEY_TAB, UI_KEY_ENTER };
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if (keys[i])
			ui_input_key(c, keys[i]);
		ui_begin(c);
		ui_textbox(c, 7, (ui_rect){ 0, 0, 600, 80 }, &f, "name");
		ui_keyboard(c, 8, (ui_rect){ 0, 100, 1200, 500 }, &ui_kbd_azerty, &shift, &f);
		ck_assert_int_eq(ui_end(c), 0);
		if (i == 1) {
			ck_assert_int_eq(ui_focused(c)->role, UI_ROLE_TEXTBOX);
			ck_assert_str_eq(focused(c), "name");
		}
	}
	/* Arabic screen: the keyboard rows are read right to left, so "p" then "o" */
	ck_assert_str_eq(buf, "po");
	ck_assert_int_eq(ui_focused(c)->role, UI_ROLE_KEY);
	ui_field_wipe(&f);
	ui_free(c);
}
END_TEST

START_TEST(roles_names_and_description_recorded)
{
	ui_ctx *c = new_ctx(0);
	int on = 1;
	char buf[8] = "";
	ui_field f;
	int shift = 0;
	ui_field_init(&f, buf, sizeof buf, 0, UI_FIELD_TEXT);
	ui_begin(c);
	ui_describe(c, UI_DESC_TITLE, "Title");
	ui_checkbox(c, 1, (ui_rect){ 0, 0, 300, 80 }, "agree", &on);
	ui_keyboard(c, 8, (ui_rect){ 0, 100, 1200, 500 }, &ui_kbd_azerty, &shift, &f);
	ui_label_next(c, UI_ROLE_HIDDEN, NULL, NULL);
	ui_hit(c, 9, (ui_rect){ 0, 700, 10, 10 }, NULL);
	ck_assert_int_eq(ui_end(c), 0);
	ck_assert_str_eq(ui_desc_text(c, UI_DESC_TITLE), "Title");
	ck_assert_ptr_null(ui_desc_text(c, UI_DESC_HINT));
	ck_assert_int_eq(c->nav[0].role, UI_ROLE_CHECKBOX);
	ck_assert_int_eq(c->nav[0].state, 1);
	int specials = 0;
	for (int i = 1; i < c->nnav; i++) {
		ck_assert_int_eq(c->nav[i].role, UI_ROLE_KEY);
		ck_assert(c->nav[i].name >= 0 || c->nav[i].msgid);
		specials += c->nav[i].msgid != NULL;
		ck_assert_uint_ne(c->nav[i].id, 9);  /* the hidden area is not in the order */
	}
	ck_assert_int_eq(specials, 3);  /* backspace, shift, space */
	ui_free(c);
}
END_TEST

START_TEST(masked_field_named_without_its_text)
{
	ui_ctx *c = new_ctx(0);
	char buf[8] = "";
	ui_field f;
	ui_field_init(&f, buf, sizeof buf, 0, UI_FIELD_DIGITS);
	ui_field_insert(&f, "4821");
	for (int masked = 1; masked >= 0; masked--) {
		f.masked = masked;
		ui_begin(c);
		ui_textbox(c, 7, (ui_rect){ 0, 0, 600, 80 }, &f, "code");
		ck_assert_int_eq(ui_end(c), 0);
		/* shown with the switch: the digits are on screen, so they may be spoken */
		ck_assert_str_eq(ui_nav_name(c, &c->nav[0]), masked ? "code" : "4821");
	}
	ui_field_wipe(&f);
	ui_free(c);
}
END_TEST

Suite *suite_focus(void)
{
	Suite *s = suite_create("focus");
	TCase *tc = tcase_create("focus");
	tcase_add_test(tc, reading_order_ltr_and_rtl);
	tcase_add_test(tc, keys_move_and_activate);
	tcase_add_test(tc, focus_ring_is_drawn_thick);
	tcase_add_test(tc, keyboard_typed_from_the_keypad);
	tcase_add_test(tc, roles_names_and_description_recorded);
	tcase_add_test(tc, masked_field_named_without_its_text);
	suite_add_tcase(s, tc);
	return s;
}
