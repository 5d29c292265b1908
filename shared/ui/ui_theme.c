/* ui_theme.c: the kiosk's three themes (normal, larger text, high contrast) and the WCAG
 * contrast ratio the unit tests hold every text/background pair of them to. */
#include "ui.h"

#include <math.h>

#define RGB(h) ((ui_color){ (h) >> 16 & 0xFF, (h) >> 8 & 0xFF, (h) & 0xFF, 255 })

void ui_theme_get(ui_theme *t, int kind)
{
	/* Sizes for a 1080-pixel short side: a touch target of 64 px is ~12 mm on a 21"
	 * screen, above the 48 px floor; primary actions are twice that. */
	*t = (ui_theme){
		.touch = 64, .primary = 120, .body = 30, .title = 46, .small = 24, .big = 40,
		.pad = 24, .gap = 20, .radius = 16, .border = 2,
		.bg = RGB(0xF4F1EA), .fg = RGB(0x1B1B1B), .muted = RGB(0x4A4A4A),
		.panel = RGB(0xFFFFFF),
		.btn = RGB(0xFFFFFF), .btn_fg = RGB(0x1B1B1B),
		.primary_bg = RGB(0x0B5D3B), .primary_fg = RGB(0xFFFFFF),
		.sel = RGB(0x0B3D91), .sel_fg = RGB(0xFFFFFF),
		.field = RGB(0xFFFFFF), .field_fg = RGB(0x111111),
		.border_c = RGB(0x6B6B6B), .focus = RGB(0x0B3D91),
		.error = RGB(0xA4001D), .error_fg = RGB(0xFFFFFF),
		.ok = RGB(0x0B5D3B),
	};
	if (kind & UI_THEME_LARGE) {
		t->touch = 80;
		t->primary = 150;
		t->body = 38;
		t->title = 56;
		t->small = 30;
		t->big = 50;
	}
	if (kind & UI_THEME_CONTRAST) {
		t->bg = RGB(0x000000);
		t->fg = t->muted = RGB(0xFFFFFF);
		t->panel = RGB(0x000000);
		t->btn = RGB(0x000000);
		t->btn_fg = RGB(0xFFFFFF);
		t->primary_bg = RGB(0xFFE600);
		t->primary_fg = RGB(0x000000);
		t->sel = RGB(0xFFFFFF);
		t->sel_fg = RGB(0x000000);
		t->field = RGB(0x000000);
		t->field_fg = RGB(0xFFFFFF);
		t->border_c = RGB(0xFFFFFF);
		t->focus = RGB(0xFFE600);
		t->error = RGB(0xFFFFFF);
		t->error_fg = RGB(0x000000);
		t->ok = RGB(0x5CFF5C);
		t->border = 3;
	}
}

static int scaled(int v, int num, int den, int floor)
{
	int s = (int)((long)v * num / den);
	return s < floor ? floor : s;
}

void ui_theme_scale(ui_theme *t, int num, int den)
{
	if (num <= 0 || den <= 0)
		return;
	t->touch = scaled(t->touch, num, den, 48);
	t->primary = scaled(t->primary, num, den, 72);
	t->body = scaled(t->body, num, den, 24);
	t->title = scaled(t->title, num, den, 32);
	t->small = scaled(t->small, num, den, 24);
	t->big = scaled(t->big, num, den, 28);
	t->pad = scaled(t->pad, num, den, 8);
	t->gap = scaled(t->gap, num, den, 8);
	t->radius = scaled(t->radius, num, den, 4);
	t->border = scaled(t->border, num, den, 1);
}

/* Relative luminance of an sRGB colour (WCAG 2.x definition). */
static double luminance(ui_color c)
{
	double ch[3] = { c.r / 255.0, c.g / 255.0, c.b / 255.0 };
	for (int i = 0; i < 3; i++)
		ch[i] = ch[i] <= 0.03928 ? ch[i] / 12.92 : pow((ch[i] + 0.055) / 1.055, 2.4);
	return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
}

double ui_contrast(ui_color a, ui_color b)
{
	double la = luminance(a), lb = luminance(b);
	return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}
