/* render_sdl.c: the only SDL code of bawaba's screens (kiosk, agent console): window,
 * events, and drawing the UI
 * layer's commands. Text follows RECIPES.md: FriBidi levels per line, runs of one level
 * and one font (NotoSansArabic has no Latin letters and no parentheses, SDL_ttf has no
 * fallback), runs reordered visually, each shaped by HarfBuzz through SDL_ttf as RTL
 * "Arab" on odd levels and LTR "Latn"/"Tfng" on even ones, on one shared baseline.
 * Laid-out lines and their run textures are cached, so a redraw costs a few copies. */
#include "render.h"
#include "render_rrect.h"

#include "bw_text.h"

#include <SDL.h>
#include <SDL_syswm.h>
#include <SDL_ttf.h>
#include <fribidi.h>
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { F_LATIN, F_LATIN_B, F_ARAB, F_ARAB_B, F_TFNG, F_TFNG_B, NFACE };

/* Noto has no bold Tifinagh: F_TFNG_B is the regular face emboldened by SDL_ttf, so a
 * Tamazight heading is bold as its Latin and Arabic neighbours are. */
static const char *const face_file[NFACE] = {
	"NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSansArabic-Regular.ttf",
	"NotoSansArabic-Bold.ttf", "NotoSansTifinagh-Regular.ttf", "NotoSansTifinagh-Regular.ttf",
};

#define MAX_FONTS 96
#define MAX_RUNS 48
#define NLINES 1024
#define MAX_CHARS 2048

typedef struct sized_font {
	int face, size;
	TTF_Font *f;
} sized_font;

/* One run of a line, in visual order: one level, one font. */
typedef struct run {
	int face, level;
	int b0, b1;             /* its bytes in the line (logical order) */
	int w;                  /* advance, as measured with its direction and script */
	SDL_Texture *tex;       /* white glyphs, coloured at copy time; made on first draw */
} run;

typedef struct line {
	uint64_t hash;
	char *text;             /* NULL: free slot */
	int len, font, size, dir;
	int nruns, width;
	run runs[MAX_RUNS];
} line;

struct kr {
	SDL_Window *win;
	SDL_Renderer *ren;
	SDL_Surface *surf;      /* offscreen: what ren draws into */
	char fonts_dir[1024];
	sized_font fonts[MAX_FONTS];
	int nfonts;
	line *cache;            /* NLINES, direct-mapped by hash */
	int lock_pending;       /* full screen and grabs still to ask for, after the first frame */
	int desk;               /* report desk keys, the wheel, pointer moves (kr_settings) */
	SDL_AudioDeviceID audio; /* kr_beep's device, opened on first use */
	long hits, misses;
	/* scratch for one line's bidi analysis */
	FriBidiChar u[MAX_CHARS];
	FriBidiCharType types[MAX_CHARS];
	FriBidiBracketType btypes[MAX_CHARS];
	FriBidiLevel levels[MAX_CHARS];
	int bo[MAX_CHARS + 1];
	int face_of[MAX_CHARS];
};

static TTF_Font *font(kr *r, int face, int size)
{
	for (int i = 0; i < r->nfonts; i++)
		if (r->fonts[i].face == face && r->fonts[i].size == size)
			return r->fonts[i].f;
	char path[1200];
	snprintf(path, sizeof path, "%s/%s", r->fonts_dir, face_file[face]);
	TTF_Font *f = TTF_OpenFont(path, size);
	if (!f)
		return NULL;
	if (face == F_TFNG_B)
		TTF_SetFontStyle(f, TTF_STYLE_BOLD);
	if (r->nfonts == MAX_FONTS) {
		/* sizes come from a theme: a handful; if ever exceeded, recycle the oldest */
		TTF_CloseFont(r->fonts[0].f);
		memmove(r->fonts, r->fonts + 1, sizeof r->fonts[0] * (MAX_FONTS - 1));
		r->nfonts--;
	}
	r->fonts[r->nfonts++] = (sized_font){ face, size, f };
	return f;
}

/* Ascent shared by every script at this size, so mixed runs sit on one baseline. */
static int baseline(kr *r, int size)
{
	int a = 0;
	for (int face = 0; face < NFACE; face++) {
		TTF_Font *f = font(r, face, size);
		if (f && TTF_FontAscent(f) > a)
			a = TTF_FontAscent(f);
	}
	return a;
}

static int line_height(void *arg, int fnt, int size)
{
	kr *r = arg;
	int a = 0, d = 0;
	for (int face = 0; face < NFACE; face++) {
		TTF_Font *f = font(r, face, size);
		if (!f)
			continue;
		if (TTF_FontAscent(f) > a)
			a = TTF_FontAscent(f);
		if (TTF_FontDescent(f) < d)
			d = TTF_FontDescent(f);
	}
	return a - d;
}

static int is_arabic(uint32_t c)
{
	return (c >= 0x0600 && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F) ||
	       (c >= 0x08A0 && c <= 0x08FF) || (c >= 0xFB50 && c <= 0xFDFF) ||
	       (c >= 0xFE70 && c <= 0xFEFF);
}

/* The face for character i: its script's font; a neutral (space, punctuation, digit)
 * stays in the font before it when that font has the glyph, so "شكاية رقم" is one run. */
static int pick_face(kr *r, uint32_t c, int prev, int bold, int size)
{
	if (is_arabic(c))
		return bold ? F_ARAB_B : F_ARAB;
	if (c >= 0x2D30 && c <= 0x2D7F)
		return bold ? F_TFNG_B : F_TFNG;
	int letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= 0xC0 && c <= 0x24F);
	if (!letter && prev >= 0 && prev != F_LATIN && prev != F_LATIN_B) {
		TTF_Font *f = font(r, prev, size);
		if (f && TTF_GlyphIsProvided32(f, c))
			return prev;
	}
	return bold ? F_LATIN_B : F_LATIN;
}

static void prep(TTF_Font *f, int face, int level)
{
	TTF_SetFontDirection(f, (level & 1) ? TTF_DIRECTION_RTL : TTF_DIRECTION_LTR);
	TTF_SetFontScriptName(f, face == F_ARAB || face == F_ARAB_B ? "Arab" : face == F_TFNG || face == F_TFNG_B ? "Tfng" : "Latn");
}

static int run_width(kr *r, const char *s, int b0, int b1, int face, int level, int size)
{
	TTF_Font *f = font(r, face, size);
	char buf[MAX_CHARS * 4 + 1];
	int w = 0, h = 0;
	if (!f || b1 <= b0)
		return 0;
	memcpy(buf, s + b0, (size_t)(b1 - b0));
	buf[b1 - b0] = '\0';
	prep(f, face, level);
	TTF_SizeUTF8(f, buf, &w, &h);
	return w;
}

static void reverse_runs(run *a, int n)
{
	for (int i = 0, j = n - 1; i < j; i++, j--) {
		run t = a[i];
		a[i] = a[j];
		a[j] = t;
	}
}

/* Bidi analysis of one line into runs in visual order (no textures yet). */
static void lay_out(kr *r, line *L)
{
	int n = 0, bold = L->font == UI_FONT_BOLD;
	const char *p = L->text, *end = L->text + L->len;

	while (p < end && n < MAX_CHARS) {
		r->bo[n] = (int)(p - L->text);
		int32_t c = bw_utf8_next(&p);
		r->u[n++] = c < 0 ? 0xFFFD : (FriBidiChar)c;
	}
	r->bo[n] = (int)(p - L->text);
	L->nruns = 0;
	L->width = 0;
	if (n == 0)
		return;
	FriBidiParType base = L->dir == UI_DIR_LTR ? FRIBIDI_PAR_LTR : L->dir == UI_DIR_RTL ? FRIBIDI_PAR_RTL
			    : L->dir == UI_DIR_AUTO_RTL ? FRIBIDI_PAR_WRTL : FRIBIDI_PAR_WLTR;
	fribidi_get_bidi_types(r->u, n, r->types);
	fribidi_get_bracket_types(r->u, n, r->types, r->btypes);
	if (!fribidi_get_par_embedding_levels_ex(r->types, r->btypes, n, &base, r->levels))
		memset(r->levels, 0, sizeof r->levels[0] * (size_t)n);
	/* rule L1: white space at the end of the line takes the paragraph level */
	int base_level = base == FRIBIDI_PAR_RTL ? 1 : 0;
	for (int i = n - 1; i >= 0 && FRIBIDI_IS_EXPLICIT_OR_BN_OR_WS(r->types[i]); i--)
		r->levels[i] = (FriBidiLevel)base_level;

	int prev = -1;
	for (int i = 0; i < n; i++)
		prev = r->face_of[i] = pick_face(r, r->u[i], prev, bold, L->size);
	/* a leading neutral takes the face of what follows it */
	for (int i = n - 2; i >= 0; i--)
		if (r->face_of[i] != r->face_of[i + 1] && r->levels[i] == r->levels[i + 1] &&
		    !is_arabic(r->u[i]) && !(r->u[i] >= 0x2D30 && r->u[i] <= 0x2D7F) &&
		    (i == 0 || r->face_of[i - 1] != r->face_of[i])) {
			TTF_Font *f = font(r, r->face_of[i + 1], L->size);
			int letter = (r->u[i] < 0x80 && ((r->u[i] | 32) >= 'a' && (r->u[i] | 32) <= 'z')) || (r->u[i] >= 0xC0 && r->u[i] <= 0x24F);
			if (f && !letter && TTF_GlyphIsProvided32(f, r->u[i]))
				r->face_of[i] = r->face_of[i + 1];
		}

	int maxl = 0, minodd = 999;
	for (int i = 0; i < n && L->nruns < MAX_RUNS;) {
		int j = i + 1;
		while (j < n && r->levels[j] == r->levels[i] && r->face_of[j] == r->face_of[i])
			j++;
		if (L->nruns == MAX_RUNS - 1)
			j = n;  /* absurdly mixed line: the rest in one run, still drawn */
		run *ru = &L->runs[L->nruns++];
		memset(ru, 0, sizeof *ru);
		ru->face = r->face_of[i];
		ru->level = r->levels[i];
		ru->b0 = r->bo[i];
		ru->b1 = r->bo[j];
		ru->w = run_width(r, L->text, ru->b0, ru->b1, ru->face, ru->level, L->size);
		L->width += ru->w;
		if (ru->level > maxl)
			maxl = ru->level;
		if ((ru->level & 1) && ru->level < minodd)
			minodd = ru->level;
		i = j;
	}
	/* rule L2: from the highest level down to the lowest odd one, reverse every
	 * sequence of runs at that level or above */
	for (int lev = maxl; lev >= minodd && lev > 0; lev--) {
		for (int i = 0; i < L->nruns;) {
			if (L->runs[i].level < lev) {
				i++;
				continue;
			}
			int j = i;
			while (j < L->nruns && L->runs[j].level >= lev)
				j++;
			reverse_runs(L->runs + i, j - i);
			i = j;
		}
	}
}

static void drop_line(line *L)
{
	for (int i = 0; i < L->nruns; i++)
		if (L->runs[i].tex)
			SDL_DestroyTexture(L->runs[i].tex);
	free(L->text);
	memset(L, 0, sizeof *L);
}

void kr_forget(kr *r)
{
	for (int i = 0; i < NLINES; i++) {
		if (r->cache[i].text)
			memset(r->cache[i].text, 0, (size_t)r->cache[i].len);
		drop_line(&r->cache[i]);
	}
	/* A font at one size with HarfBuzz's caches is ~190 KB once used, and a walk through
	 * every screen opens ~50 (the receipt and law screens try sizes until the text
	 * fits). Between citizens only the welcome screen's few are needed: they reopen on
	 * its first frame (a few ms), and the freed heap goes back to the system. */
	for (int i = 0; i < r->nfonts; i++)
		TTF_CloseFont(r->fonts[i].f);
	r->nfonts = 0;
	malloc_trim(0);
}

static line *get_line(kr *r, int fnt, int size, int dir, const char *s, int len)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (int i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
	h = (h ^ (uint64_t)(fnt * 131 + dir * 7 + size * 1009)) * 0x100000001b3ull;
	line *L = &r->cache[h % NLINES];
	if (L->text && L->hash == h && L->len == len && L->font == fnt && L->size == size &&
	    L->dir == dir && memcmp(L->text, s, (size_t)len) == 0) {
		r->hits++;
		return L;
	}
	r->misses++;
	drop_line(L);
	L->text = malloc((size_t)len + 1);
	if (!L->text)
		return NULL;
	memcpy(L->text, s, (size_t)len);
	L->text[len] = '\0';
	L->hash = h;
	L->len = len;
	L->font = fnt;
	L->size = size;
	L->dir = dir;
	lay_out(r, L);
	return L;
}

static int text_width(void *arg, int fnt, int size, int dir, const char *s, int len)
{
	line *L = len > 0 ? get_line(arg, fnt, size, dir, s, len) : NULL;
	return L ? L->width : 0;
}

/* The caret before byte pos: inside the run holding it, measured from that run's
 * leading edge (the right one for a right-to-left run). */
static int text_caret(void *arg, int fnt, int size, int dir, const char *s, int len, int pos)
{
	kr *r = arg;
	line *L = len > 0 ? get_line(r, fnt, size, dir, s, len) : NULL;
	if (!L || L->nruns == 0)
		return (dir == UI_DIR_RTL || dir == UI_DIR_AUTO_RTL) ? 0 : 0;
	int x = 0;
	int at_end = pos >= len;
	int want = at_end ? len - 1 : pos;
	for (int i = 0; i < L->nruns; i++) {
		run *ru = &L->runs[i];
		if (want >= ru->b0 && want < ru->b1) {
			int part = at_end ? ru->w : run_width(r, L->text, ru->b0, pos, ru->face, ru->level, size);
			return (ru->level & 1) ? x + ru->w - part : x + part;
		}
		x += ru->w;
	}
	return x;
}

ui_text_ops kr_text_ops(kr *r)
{
	return (ui_text_ops){ r, text_width, line_height, text_caret };
}

static void draw_text(kr *r, const ui_ctx *ctx, const ui_cmd *c)
{
	line *L = get_line(r, c->font, c->size, c->dir, ui_cmd_text(ctx, c), c->len);
	if (!L)
		return;
	int base = baseline(r, c->size), x = c->r.x;
	for (int i = 0; i < L->nruns; i++) {
		run *ru = &L->runs[i];
		TTF_Font *f = font(r, ru->face, c->size);
		if (!f)
			continue;
		if (!ru->tex) {
			char buf[MAX_CHARS * 4 + 1];
			memcpy(buf, L->text + ru->b0, (size_t)(ru->b1 - ru->b0));
			buf[ru->b1 - ru->b0] = '\0';
			prep(f, ru->face, ru->level);
			SDL_Surface *s = TTF_RenderUTF8_Blended(f, buf, (SDL_Color){ 255, 255, 255, 255 });
			if (s) {
				ru->tex = SDL_CreateTextureFromSurface(r->ren, s);
				SDL_FreeSurface(s);
			}
			if (!ru->tex) {
				x += ru->w;
				continue;
			}
			SDL_SetTextureBlendMode(ru->tex, SDL_BLENDMODE_BLEND);
		}
		int tw, th;
		SDL_QueryTexture(ru->tex, NULL, NULL, &tw, &th);
		SDL_SetTextureColorMod(ru->tex, c->color.r, c->color.g, c->color.b);
		SDL_SetTextureAlphaMod(ru->tex, c->color.a);
		SDL_Rect dst = { x, c->r.y + base - TTF_FontAscent(f), tw, th };
		SDL_RenderCopy(r->ren, ru->tex, NULL, &dst);
		x += ru->w;
	}
}

static void draw_bitmap(kr *r, const ui_ctx *ctx, const ui_cmd *c)
{
	const unsigned char *m = (const unsigned char *)ui_cmd_text(ctx, c);
	int n = c->n, px = c->r.w / (n > 0 ? n : 1);
	if (px < 1)
		px = 1;
	int x0 = c->r.x + (c->r.w - px * n) / 2, y0 = c->r.y + (c->r.h - px * n) / 2;
	for (int y = 0; y < n; y++)
		for (int x = 0; x < n;) {
			if (!m[y * n + x]) {
				x++;
				continue;
			}
			int x1 = x;
			while (x1 < n && m[y * n + x1])
				x1++;
			SDL_Rect rr = { x0 + x * px, y0 + y * px, (x1 - x) * px, px };
			SDL_RenderFillRect(r->ren, &rr);
			x = x1;
		}
}

void kr_draw(kr *r, const ui_ctx *ctx)
{
	SDL_RenderSetClipRect(r->ren, NULL);
	SDL_SetRenderDrawColor(r->ren, ctx->theme.bg.r, ctx->theme.bg.g, ctx->theme.bg.b, 255);
	SDL_RenderClear(r->ren);
	for (int i = 0; i < ctx->ncmds; i++) {
		const ui_cmd *c = &ctx->cmds[i];
		SDL_Rect b = { c->r.x, c->r.y, c->r.w, c->r.h };
		switch (c->type) {
		case UI_CMD_RECT:
			SDL_SetRenderDrawColor(r->ren, c->color.r, c->color.g, c->color.b, c->color.a);
			/* SDL's software renderer blends pixel by pixel whatever the alpha: an
			 * opaque fill without blending gives the same pixels several times faster */
			SDL_SetRenderDrawBlendMode(r->ren, c->color.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
			if (c->border)
				kr_frame_rrect(r->ren, b, c->radius, c->border);
			else if (c->radius)
				kr_fill_rrect(r->ren, b, c->radius);
			else
				SDL_RenderFillRect(r->ren, &b);
			break;
		case UI_CMD_TEXT:
			draw_text(r, ctx, c);
			break;
		case UI_CMD_BITMAP:
			SDL_SetRenderDrawColor(r->ren, c->color.r, c->color.g, c->color.b, c->color.a);
			SDL_SetRenderDrawBlendMode(r->ren, c->color.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
			draw_bitmap(r, ctx, c);
			break;
		case UI_CMD_CLIP:
			SDL_RenderSetClipRect(r->ren, c->r.w > 0 ? &b : NULL);
			break;
		}
	}
	SDL_RenderSetClipRect(r->ren, NULL);
}

void kr_present(kr *r)
{
	SDL_RenderPresent(r->ren);
}

void kr_lockdown(kr *r)
{
	if (!r->lock_pending)
		return;
	r->lock_pending = 0;
	SDL_SetWindowFullscreen(r->win, SDL_WINDOW_FULLSCREEN_DESKTOP);
	SDL_SetWindowGrab(r->win, SDL_TRUE);
}

int kr_screenshot(kr *r, const char *path, bw_err *e)
{
	int w, h;
	SDL_GetRendererOutputSize(r->ren, &w, &h);
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
	if (!s)
		return bw_fail(e, BW_ENOMEM, "screenshot: %s", SDL_GetError());
	int rc = BW_OK;
	if (SDL_RenderReadPixels(r->ren, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch) != 0)
		rc = bw_fail(e, BW_EIO, "screenshot: read pixels: %s", SDL_GetError());
	else if (SDL_SaveBMP(s, path) != 0)
		rc = bw_fail(e, BW_EIO, "screenshot: %s: %s", path, SDL_GetError());
	SDL_FreeSurface(s);
	return rc;
}

void kr_size(kr *r, int *w, int *h)
{
	SDL_GetRendererOutputSize(r->ren, w, h);
}

const uint32_t *kr_pixels(kr *r, int *w, int *h, int *pitch)
{
	if (!r->surf)
		return NULL;
	*w = r->surf->w;
	*h = r->surf->h;
	*pitch = r->surf->pitch;
	return r->surf->pixels;
}

unsigned long kr_x11_window(kr *r)
{
	if (!r->win)
		return 0;
	SDL_SysWMinfo info;
	SDL_VERSION(&info.version);
	if (!SDL_GetWindowWMInfo(r->win, &info))
		return 0;
#if defined(SDL_VIDEO_DRIVER_X11)
	if (info.subsystem == SDL_SYSWM_X11)
		return (unsigned long)info.info.x11.window;
#endif
	return 0;
}

void kr_write_window_id(kr *r, const char *path)
{
	FILE *fp = path ? fopen(path, "w") : NULL;
	if (fp) {
		fprintf(fp, "%lu\n", kr_x11_window(r));
		fclose(fp);
	}
}

void kr_cache_stats(kr *r, long *hits, long *misses)
{
	*hits = r->hits;
	*misses = r->misses;
}

int kr_open(kr **out, const kr_settings *s, bw_err *e)
{
	*out = NULL;
	/* our own signal handlers decide what SIGTERM means (a lockdown ignores a close) */
	SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
	SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
	/* The software renderer draws into the window's surface. Left to itself SDL backs
	 * that surface with an OpenGL texture, which loads Mesa (llvmpipe, libLLVM): ~110 MB
	 * more resident and 180 ms more at start for nothing. The X11 framebuffer (MIT-SHM)
	 * gives the same pixels (RECIPES.md). */
	SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
	if (s->fullscreen)
		SDL_SetHint(SDL_HINT_GRAB_KEYBOARD, "1");
	if (SDL_Init(s->offscreen ? 0 : SDL_INIT_VIDEO) != 0)
		return bw_fail(e, BW_EIO, "no display: %s (see it under Xvfb: Xvfb :9 & DISPLAY=:9 bawaba-kiosk)",
			       SDL_GetError());
	if (TTF_Init() != 0) {
		SDL_Quit();
		return bw_fail(e, BW_EIO, "fonts: %s", TTF_GetError());
	}
	kr *r = calloc(1, sizeof *r);
	line *cache = calloc(NLINES, sizeof *cache);
	if (!r || !cache) {
		free(r);
		free(cache);
		TTF_Quit();
		SDL_Quit();
		return bw_fail(e, BW_ENOMEM, "renderer: out of memory");
	}
	r->cache = cache;
	r->desk = s->desk;
	snprintf(r->fonts_dir, sizeof r->fonts_dir, "%s", s->fonts_dir);
	for (int f = 0; f < NFACE; f++) {
		if (!font(r, f, 24)) {
			int rc = bw_fail(e, BW_ENOTFOUND, "fonts: %s/%s: %s", s->fonts_dir, face_file[f], TTF_GetError());
			kr_close(r);
			return rc;
		}
	}
	if (s->offscreen) {
		/* the software renderer over a plain surface: the same pixels as on screen */
		r->surf = SDL_CreateRGBSurfaceWithFormat(0, s->w, s->h, 32, SDL_PIXELFORMAT_ARGB8888);
		if (r->surf)
			r->ren = SDL_CreateSoftwareRenderer(r->surf);
		if (!r->ren) {
			int rc = bw_fail(e, BW_ENOMEM, "offscreen renderer: %s", SDL_GetError());
			kr_close(r);
			return rc;
		}
		SDL_SetRenderDrawBlendMode(r->ren, SDL_BLENDMODE_BLEND);
		*out = r;
		return BW_OK;
	}
	/* Lockdown: a borderless window over the whole display now, full screen (and the
	 * grabs) once the first frame is shown (kr_lockdown). Asked for at creation,
	 * SDL waits ~100 ms for a window manager to answer, and a kiosk's X session usually
	 * has none: the citizen would look at a black screen meanwhile. */
	SDL_Rect at = { SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, s->w, s->h };
	Uint32 flags = SDL_WINDOW_SHOWN;
	if (s->fullscreen && SDL_GetDisplayBounds(0, &at) == 0) {
		flags |= SDL_WINDOW_BORDERLESS;
		r->lock_pending = 1;
	}
	r->win = SDL_CreateWindow(s->title ? s->title : "bawaba", at.x, at.y, at.w, at.h, flags);
	/* the software renderer: identical pixels on every machine (screenshot tests), and
	 * fast enough since only changed frames are drawn */
	if (r->win)
		r->ren = SDL_CreateRenderer(r->win, -1, SDL_RENDERER_SOFTWARE);
	if (!r->win || !r->ren) {
		int rc = bw_fail(e, BW_EIO, "no display: %s (see it under Xvfb)", SDL_GetError());
		kr_close(r);
		return rc;
	}
	SDL_SetRenderDrawBlendMode(r->ren, SDL_BLENDMODE_BLEND);
	SDL_StartTextInput();
	*out = r;
	return BW_OK;
}

void kr_close(kr *r)
{
	if (!r)
		return;
	if (r->cache) {
		for (int i = 0; i < NLINES; i++)
			drop_line(&r->cache[i]);
		free(r->cache);
	}
	for (int i = 0; i < r->nfonts; i++)
		TTF_CloseFont(r->fonts[i].f);
	if (r->audio)
		SDL_CloseAudioDevice(r->audio);
	if (r->ren)
		SDL_DestroyRenderer(r->ren);
	if (r->surf)
		SDL_FreeSurface(r->surf);
	if (r->win)
		SDL_DestroyWindow(r->win);
	free(r);
	TTF_Quit();
	SDL_Quit();
}

/* The keys a kiosk reacts to; a desk (the agent console) gets list and function keys too.
 * Anything else (Alt+F4, Ctrl+W, ...) is never reported: the lockdown relies on it. */
static int map_key(const SDL_Keysym *k, int desk)
{
	switch (k->sym) {
	case SDLK_BACKSPACE: return UI_KEY_BACKSPACE;
	case SDLK_DELETE: return UI_KEY_DELETE;
	case SDLK_LEFT: return UI_KEY_LEFT;
	case SDLK_RIGHT: return UI_KEY_RIGHT;
	case SDLK_HOME: return UI_KEY_HOME;
	case SDLK_END: return UI_KEY_END;
	case SDLK_RETURN: case SDLK_KP_ENTER: return UI_KEY_ENTER;
	case SDLK_TAB: return (k->mod & KMOD_SHIFT) ? UI_KEY_BACKTAB : UI_KEY_TAB;
	case SDLK_ESCAPE: return UI_KEY_ESCAPE;
	/* the accessible keypad: up, down, help */
	case SDLK_UP: return UI_KEY_UP;
	case SDLK_DOWN: return UI_KEY_DOWN;
	case SDLK_F1: return UI_KEY_F1;
	}
	if (!desk)
		return UI_KEY_NONE;
	if ((k->mod & KMOD_CTRL) && k->sym == SDLK_l)
		return UI_KEY_CTRL_L;
	switch (k->sym) {
	case SDLK_PAGEUP: return UI_KEY_PGUP;
	case SDLK_PAGEDOWN: return UI_KEY_PGDN;
	case SDLK_F5: return UI_KEY_F5;
	case SDLK_F12: return UI_KEY_F12;
	}
	return UI_KEY_NONE;
}

static int pointer(kr_event *ev, int type, int x, int y)
{
	ev->type = type;
	ev->x = x;
	ev->y = y;
	return 1;
}

/* 1 if se is an event this program uses (ev filled). */
static int convert(const kr *r, const SDL_Event *se, kr_event *ev)
{
	memset(ev, 0, sizeof *ev);
	switch (se->type) {
	case SDL_MOUSEBUTTONDOWN:
	case SDL_MOUSEBUTTONUP:
		if (se->button.button != SDL_BUTTON_LEFT)
			return 0;
		return pointer(ev, se->type == SDL_MOUSEBUTTONDOWN ? KR_EV_PRESS : KR_EV_RELEASE, se->button.x,
			       se->button.y);
	case SDL_MOUSEMOTION:
		/* a desk's hover; a kiosk has no pointer between touches */
		return r->desk && pointer(ev, KR_EV_MOVE, se->motion.x, se->motion.y);
	case SDL_MOUSEWHEEL:
		if (!r->desk)
			return 0;
		ev->type = KR_EV_WHEEL;
		ev->wheel = 3 * (se->wheel.direction == SDL_MOUSEWHEEL_FLIPPED ? se->wheel.y : -se->wheel.y);
		return ev->wheel != 0;
	case SDL_TEXTINPUT: {
		/* Only the valid UTF-8 the event starts with: SDL 2.26's X11 layer can hand over
		 * a typed character followed by bytes past the end of its buffer (seen under
		 * Xvfb with xdotool; see tests/asan.supp). What a citizen typed is that prefix. */
		size_t n = strnlen(se->text.text, sizeof se->text.text);
		while (n > 0 && !bw_utf8_valid(se->text.text, n))
			n--;
		if (n == 0 || n >= sizeof ev->text)
			return 0;
		ev->type = KR_EV_TEXT;
		memcpy(ev->text, se->text.text, n);
		ev->text[n] = '\0';
		return 1;
	}
	case SDL_KEYDOWN:
		ev->type = KR_EV_KEY;
		ev->key = map_key(&se->key.keysym, r->desk);
		return ev->key != UI_KEY_NONE;
	case SDL_QUIT:
		ev->type = KR_EV_QUIT;
		return 1;
	case SDL_WINDOWEVENT:
		if (se->window.event == SDL_WINDOWEVENT_EXPOSED) {
			ev->type = KR_EV_EXPOSE;
			return 1;
		}
		if (se->window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
			ev->type = KR_EV_RESIZE;
			return 1;
		}
		return 0;
	}
	return 0;
}

int kr_wait(kr *r, int timeout_ms, kr_event *ev)
{
	Uint32 start = SDL_GetTicks();
	SDL_Event se;
	memset(ev, 0, sizeof *ev);
	for (;;) {
		int got;
		if (timeout_ms == 0) {
			got = SDL_PollEvent(&se);
		} else {
			int left = timeout_ms;
			if (timeout_ms > 0) {
				left = timeout_ms - (int)(SDL_GetTicks() - start);
				if (left < 0)
					left = 0;
			}
			got = left < 0 ? SDL_WaitEvent(&se) : SDL_WaitEventTimeout(&se, left);
		}
		if (!got)
			return 0;
		if (convert(r, &se, ev))
			return 1;
		if (timeout_ms > 0 && (int)(SDL_GetTicks() - start) >= timeout_ms)
			return 0;
	}
}

void kr_beep(kr *r)
{
	/* 150 ms of an 880 Hz tone, queued */
	if (!r->audio) {
		if (!SDL_WasInit(SDL_INIT_AUDIO) && SDL_InitSubSystem(SDL_INIT_AUDIO) != 0)
			return;
		SDL_AudioSpec want = { .freq = 22050, .format = AUDIO_S16SYS, .channels = 1, .samples = 1024 }, got;
		if (!(r->audio = SDL_OpenAudioDevice(NULL, 0, &want, &got, 0)))
			return;
		SDL_PauseAudioDevice(r->audio, 0);
	}
	int16_t buf[22050 * 15 / 100];
	for (size_t i = 0; i < sizeof buf / sizeof buf[0]; i++)
		buf[i] = (int16_t)(6000 * sin(2 * M_PI * 880 * (double)i / 22050));
	SDL_QueueAudio(r->audio, buf, sizeof buf);
}
