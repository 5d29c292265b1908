/* render_rrect.h: rounded rectangles for the SDL renderer (render_sdl.c only). */
#ifndef BAWABA_UI_RENDER_RRECT_H
#define BAWABA_UI_RENDER_RRECT_H

#include <SDL.h>

/* b filled in the renderer's colour with corners of radius rad (at most 64, and at most
 * half of b's sides); its frame t pixels thick (at most 16). */
void kr_fill_rrect(SDL_Renderer *ren, SDL_Rect b, int rad);
void kr_frame_rrect(SDL_Renderer *ren, SDL_Rect b, int rad, int t);

#endif
