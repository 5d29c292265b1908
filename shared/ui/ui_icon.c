/* ui_icon.c: the few pictograms the kiosk needs (arrows, backspace, shift, the two
 * accessibility switches, the eye of "show") as 16x16
 * bitmaps, because the Noto text fonts carry no arrows; back and next mirror in RTL. */
#include "ui.h"

#define N 16

/* '#' is drawn; rows shorter than 16 are padded with '.'. */
static const char *const maps[UI_ICON_COUNT][N] = {
	[UI_ICON_BACK] = {
		"", "",
		".......##",
		"......###",
		".....###",
		"....###",
		"...############",
		"..#############",
		"..#############",
		"...############",
		"....###",
		".....###",
		"......###",
		".......##",
		"", "",
	},
	[UI_ICON_BACKSPACE] = {
		"", "",
		"....###########",
		"...##.........#",
		"..##..##...##.#",
		".##....##.##..#",
		"##......###...#",
		"##......###...#",
		".##....##.##..#",
		"..##..##...##.#",
		"...##.........#",
		"....###########",
		"", "", "", "",
	},
	[UI_ICON_SHIFT] = {
		"",
		".......##",
		"......####",
		".....##..##",
		"....##....##",
		"...##......##",
		"..##........##",
		".######..######",
		"......#..#",
		"......#..#",
		"......#..#",
		"......#..#",
		"......####",
		"", "", "",
	},
	[UI_ICON_UP] = {
		"", "", "", "",
		".......##",
		"......####",
		".....######",
		"....########",
		"...##########",
		"..############",
		".##############",
		"", "", "", "", "",
	},
	[UI_ICON_LARGE_TEXT] = {
		"", "",
		"....##",
		"....##",
		"...####",
		"...####",
		"..##..##",
		"..##..##.....#",
		".########...###",
		".########..##.##",
		"##......##.#####",
		"##......####...#",
		"", "", "", "",
	},
	[UI_ICON_CONTRAST] = {
		"",
		".....######",
		"...##..####",
		"..#....######",
		".#.....#######",
		".#.....#######",
		"#......########",
		"#......########",
		"#......########",
		"#......########",
		".#.....#######",
		".#.....#######",
		"..#....######",
		"...##..####",
		".....######",
		"",
	},
	[UI_ICON_EYE] = {
		"", "", "", "",
		".....######",
		"...##......##",
		"..#....##....#",
		".#....####....#",
		"#.....####.....#",
		".#....####....#",
		"..#....##....#",
		"...##......##",
		".....######",
		"", "", "",
	},
};

void ui_icon(ui_ctx *ctx, ui_rect r, int icon, ui_color c)
{
	unsigned char m[N * N] = { 0 };
	int src = icon, flip_h = 0, flip_v = 0;

	if (icon == UI_ICON_NEXT) {
		src = UI_ICON_BACK;
		flip_h = 1;
	} else if (icon == UI_ICON_DOWN) {
		src = UI_ICON_UP;
		flip_v = 1;
	}
	if (src == UI_ICON_BACK && ctx->rtl)
		flip_h = !flip_h;
	if (src < 0 || src >= UI_ICON_COUNT || !maps[src][0])
		return;
	for (int y = 0; y < N; y++) {
		const char *row = maps[src][y];
		for (int x = 0; row && x < N && row[x]; x++)
			if (row[x] == '#')
				m[(flip_v ? N - 1 - y : y) * N + (flip_h ? N - 1 - x : x)] = 1;
	}
	int side = r.w < r.h ? r.w : r.h;
	side -= side % N;  /* whole pixels per module: crisp edges */
	if (side < N)
		side = N;
	ui_draw_bitmap(ctx, ui_center(r, side, side), m, N, c);
}
