/* events_sdl.c: the console's SDL input (the window and renderer are kiosk/render_sdl.c's,
 * which maps only what a kiosk allows): desk keys, the wheel, pointer moves; and the
 * optional announcement beep through SDL audio. */
#include "events.h"

#include <SDL.h>
#include <math.h>
#include <string.h>

static int map_key(const SDL_Keysym *k)
{
	if ((k->mod & KMOD_CTRL) && k->sym == SDLK_l)
		return AG_KEY_CTRL_L;
	switch (k->sym) {
	case SDLK_BACKSPACE: return UI_KEY_BACKSPACE;
	case SDLK_DELETE: return UI_KEY_DELETE;
	case SDLK_LEFT: return UI_KEY_LEFT;
	case SDLK_RIGHT: return UI_KEY_RIGHT;
	case SDLK_HOME: return UI_KEY_HOME;
	case SDLK_END: return UI_KEY_END;
	case SDLK_RETURN: case SDLK_KP_ENTER: return UI_KEY_ENTER;
	case SDLK_TAB: return UI_KEY_TAB;
	case SDLK_ESCAPE: return UI_KEY_ESCAPE;
	case SDLK_UP: return AG_KEY_UP;
	case SDLK_DOWN: return AG_KEY_DOWN;
	case SDLK_PAGEUP: return AG_KEY_PGUP;
	case SDLK_PAGEDOWN: return AG_KEY_PGDN;
	case SDLK_F5: return AG_KEY_F5;
	case SDLK_F12: return AG_KEY_F12;
	default: return UI_KEY_NONE;
	}
}

/* 1 if se is one the console uses (ev filled). */
static int convert(const SDL_Event *se, ag_input *ev)
{
	memset(ev, 0, sizeof *ev);
	switch (se->type) {
	case SDL_MOUSEBUTTONDOWN:
	case SDL_MOUSEBUTTONUP:
		if (se->button.button != SDL_BUTTON_LEFT)
			return 0;
		ev->type = se->type == SDL_MOUSEBUTTONDOWN ? AG_EV_PRESS : AG_EV_RELEASE;
		ev->x = se->button.x;
		ev->y = se->button.y;
		return 1;
	case SDL_MOUSEMOTION:
		ev->type = AG_EV_MOVE;
		ev->x = se->motion.x;
		ev->y = se->motion.y;
		return 1;
	case SDL_MOUSEWHEEL:
		ev->type = AG_EV_WHEEL;
		ev->wheel = se->wheel.direction == SDL_MOUSEWHEEL_FLIPPED ? se->wheel.y : -se->wheel.y;
		ev->wheel *= 3;
		return ev->wheel != 0;
	case SDL_TEXTINPUT:
		ev->type = AG_EV_TEXT;
		snprintf(ev->text, sizeof ev->text, "%s", se->text.text);
		return 1;
	case SDL_KEYDOWN:
		ev->key = map_key(&se->key.keysym);
		ev->type = AG_EV_KEY;
		return ev->key != UI_KEY_NONE;
	case SDL_QUIT:
		ev->type = AG_EV_QUIT;
		return 1;
	case SDL_WINDOWEVENT:
		if (se->window.event == SDL_WINDOWEVENT_EXPOSED) {
			ev->type = AG_EV_EXPOSE;
			return 1;
		}
		if (se->window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
			ev->type = AG_EV_RESIZE;
			return 1;
		}
		return 0;
	}
	return 0;
}

int ag_poll_event(ag_input *ev)
{
	SDL_Event se;
	while (SDL_PollEvent(&se))
		if (convert(&se, ev))
			return 1;
	return 0;
}

int ag_wait_event(int timeout_ms, ag_input *ev)
{
	SDL_Event se;
	Uint32 start = SDL_GetTicks();
	for (;;) {
		int left = timeout_ms - (int)(SDL_GetTicks() - start);
		if (left < 0)
			left = 0;
		if (!SDL_WaitEventTimeout(&se, left))
			return 0;
		if (convert(&se, ev))
			return 1;
		if ((int)(SDL_GetTicks() - start) >= timeout_ms)
			return 0;
	}
}

void ag_beep(unsigned *devp)
{
	/* 150 ms of a 880 Hz tone, queued; the device is opened once and kept in *devp */
	SDL_AudioDeviceID dev = *devp;
	if (!dev) {
		if (!SDL_WasInit(SDL_INIT_AUDIO) && SDL_InitSubSystem(SDL_INIT_AUDIO) != 0)
			return;
		SDL_AudioSpec want = { .freq = 22050, .format = AUDIO_S16SYS, .channels = 1, .samples = 1024 }, got;
		dev = SDL_OpenAudioDevice(NULL, 0, &want, &got, 0);
		if (!dev)
			return;
		*devp = dev;
		SDL_PauseAudioDevice(dev, 0);
	}
	int16_t buf[22050 * 15 / 100];
	for (size_t i = 0; i < sizeof buf / sizeof buf[0]; i++)
		buf[i] = (int16_t)(6000 * sin(2 * M_PI * 880 * (double)i / 22050));
	SDL_QueueAudio(dev, buf, sizeof buf);
}
