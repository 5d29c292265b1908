/* render_rrect.c: rounded rectangles for the SDL renderer (render_sdl.c), filled and
 * framed, drawn as rows of rectangles: SDL_Renderer has no rounded shapes, and rows keep
 * the corners exact at any radius without a texture per size. */
#include "render_rrect.h"

#include <math.h>

/* A corner's radius as drawn: at most half of each side, and 64 (the rows' buffers). */
static int clamp_radius(SDL_Rect b, int rad)
{
	if (rad > b.w / 2)
		rad = b.w / 2;
	if (rad > b.h / 2)
		rad = b.h / 2;
	return rad > 64 ? 64 : rad;
}

/* How far a row dy (0 = the top) of a corner of radius rad is inset. */
static int corner_inset(int rad, int dy)
{
	double d = rad - dy - 0.5;
	return rad - (int)floor(sqrt((double)rad * rad - d * d) + 0.5);
}

void kr_fill_rrect(SDL_Renderer *ren, SDL_Rect b, int rad)
{
	SDL_Rect rows[128];
	int n = 0;
	rad = clamp_radius(b, rad);
	for (int dy = 0; dy < rad; dy++) {
		int in = corner_inset(rad, dy);
		rows[n++] = (SDL_Rect){ b.x + in, b.y + dy, b.w - 2 * in, 1 };
		rows[n++] = (SDL_Rect){ b.x + in, b.y + b.h - 1 - dy, b.w - 2 * in, 1 };
	}
	SDL_RenderFillRects(ren, rows, n);
	SDL_Rect mid = { b.x, b.y + rad, b.w, b.h - 2 * rad };
	SDL_RenderFillRect(ren, &mid);
}

void kr_frame_rrect(SDL_Renderer *ren, SDL_Rect b, int rad, int t)
{
	rad = clamp_radius(b, rad);
	if (t > 16)
		t = 16;
	int ri = rad - t > 0 ? rad - t : 0, ih = b.h - 2 * t;
	int band = rad + t;   /* rows near the top and bottom are drawn one by one */
	SDL_Rect rows[4 * (64 + 16) + 4];
	int n = 0;
	for (int y = 0; y < b.h; y++) {
		if (y >= band && y < b.h - band)
			continue;
		int o = y < rad ? corner_inset(rad, y) : y >= b.h - rad ? corner_inset(rad, b.h - 1 - y) : 0;
		if (y < t || y >= b.h - t) {
			rows[n++] = (SDL_Rect){ b.x + o, b.y + y, b.w - 2 * o, 1 };
		} else {
			int iy = y - t;
			int i = iy < ri ? corner_inset(ri, iy) : iy >= ih - ri ? corner_inset(ri, ih - 1 - iy) : 0;
			rows[n++] = (SDL_Rect){ b.x + o, b.y + y, t + i - o, 1 };
			rows[n++] = (SDL_Rect){ b.x + b.w - t - i, b.y + y, t + i - o, 1 };
		}
		if (n >= (int)(sizeof rows / sizeof rows[0]) - 2) {
			SDL_RenderFillRects(ren, rows, n);
			n = 0;
		}
	}
	if (b.h - 2 * band > 0) {
		rows[n++] = (SDL_Rect){ b.x, b.y + band, t, b.h - 2 * band };
		rows[n++] = (SDL_Rect){ b.x + b.w - t, b.y + band, t, b.h - 2 * band };
	}
	SDL_RenderFillRects(ren, rows, n);
}
