/* render.h: the window, renderer and input of bawaba's SDL programs (kiosk, agent console), with no SDL types in sight: draws a
 * UI frame's commands (SDL2, SDL2_ttf/HarfBuzz shaping, FriBidi ordering), measures text
 * for the UI layer, turns SDL events into kr_event, saves screenshots. */
#ifndef KIOSK_RENDER_H
#define KIOSK_RENDER_H

#include <stdint.h>

#include "bw_err.h"
#include "ui/ui.h"

typedef struct kr kr;

typedef struct kr_settings {
	int w, h;               /* window size (ignored in full screen: the display's) */
	int fullscreen;         /* full screen and keyboard grab: the kiosk's lockdown */
	const char *fonts_dir;  /* holds NotoSans*, NotoSansArabic*, NotoSansTifinagh* */
	const char *title;
	int desk;               /* a desk program (the agent console): also report the desk
	                         * keys of enum ui_key, the mouse wheel and pointer moves */
	int offscreen;          /* no window and no display: the same drawing into a w x h
	                         * image in memory (the layout check, the printed receipt) */
} kr_settings;

/* Opens the window and loads the fonts. BW_EIO with SDL's reason when there is no display
 * ("no display: ... (try under Xvfb)"), BW_ENOTFOUND when a font file is missing. */
int kr_open(kr **out, const kr_settings *s, bw_err *e);
void kr_close(kr *r);

/* The size the UI lays out into (the window's drawable size). */
void kr_size(kr *r, int *w, int *h);
/* Text measuring for ui_new(): widths and carets of bidi lines as kr draws them. */
ui_text_ops kr_text_ops(kr *r);
/* Draws the frame into the back buffer (nothing shows until kr_present). */
void kr_draw(kr *r, const ui_ctx *ctx);
void kr_present(kr *r);
/* With kr_settings.fullscreen: takes the lockdown (full screen, keyboard and pointer
 * grabs), to call once the first frame is shown (the window covers the display from the
 * start; the request may wait for a window manager that a kiosk often does not run).
 * Does nothing otherwise or when called again. */
void kr_lockdown(kr *r);
/* Saves the back buffer (call between kr_draw and kr_present) as a BMP file. */
int kr_screenshot(kr *r, const char *path, bw_err *e);
/* Offscreen: the back buffer, 32-bit ARGB8888 pixels (*pitch bytes a row), valid until
 * the next kr_draw or kr_close; NULL for a window. */
const uint32_t *kr_pixels(kr *r, int *w, int *h, int *pitch);
/* The X11 window id (for xdotool in tests), 0 when not on X11. */
unsigned long kr_x11_window(kr *r);
/* --id-file of the kiosk and the console: the X11 window id written to path (tests find
 * the window with it); nothing when path is NULL, a failure is not the program's. */
void kr_write_window_id(kr *r, const char *path);

enum kr_ev { KR_EV_NONE = 0, KR_EV_PRESS, KR_EV_RELEASE, KR_EV_MOVE, KR_EV_TEXT, KR_EV_KEY,
             KR_EV_QUIT, KR_EV_EXPOSE, KR_EV_RESIZE, KR_EV_WHEEL };

typedef struct kr_event {
	int type;              /* enum kr_ev */
	int x, y;              /* PRESS, RELEASE, MOVE (touch arrives as mouse events) */
	char text[32];         /* TEXT: UTF-8 */
	int key;               /* KEY: enum ui_key */
	int wheel;             /* WHEEL (desk only): rows, positive = towards the end of a list */
} kr_event;

/* Waits up to timeout_ms (-1: forever, 0: only what is pending) for the next event the
 * program cares about; 1 if ev was filled, 0 on timeout. The process sleeps meanwhile. */
int kr_wait(kr *r, int timeout_ms, kr_event *ev);

/* A short beep on the default audio device (a desk's announcements); quiet when there
 * is none. The device is opened on first use and kept. */
void kr_beep(kr *r);

/* Forgets every cached line (their text is zeroed before it is freed): the citizen's
 * input must not outlive the idle wipe in a cache. Closes the fonts too (they reopen
 * when next used) and returns the freed heap to the system. */
void kr_forget(kr *r);

/* Glyph-run cache figures (for the benchmark and tests). */
void kr_cache_stats(kr *r, long *hits, long *misses);

#endif
