/* audio.c: SDL audio output of the kiosk's speech: one device opened at start, samples
 * queued (SDL_QueueAudio) with the volume applied, cleared on stop. */
#include "audio.h"

#include <SDL.h>
#include <stdlib.h>

#include "bw_clock.h"

struct ka {
	SDL_AudioDeviceID dev;
	int volume;
	int64_t first;
};

int ka_open(ka **out, int hz, int volume, bw_err *e)
{
	if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0)
		return bw_fail(e, BW_EIO, "audio: %s", SDL_GetError());
	SDL_AudioSpec want = { 0 }, have;
	want.freq = hz;
	want.format = AUDIO_S16SYS;
	want.channels = 1;
	want.samples = 512;  /* ~23 ms: a short first-sample delay */
	SDL_AudioDeviceID dev = SDL_OpenAudioDevice(NULL, 0, &want, &have, 0);
	if (!dev) {
		bw_fail(e, BW_EIO, "audio: %s", SDL_GetError());
		SDL_QuitSubSystem(SDL_INIT_AUDIO);
		return BW_EIO;
	}
	SDL_PauseAudioDevice(dev, 0);
	ka *a = bw_xcalloc(1, sizeof *a);
	a->dev = dev;
	ka_set_volume(a, volume);
	*out = a;
	return BW_OK;
}

void ka_close(ka *a)
{
	if (!a)
		return;
	SDL_CloseAudioDevice(a->dev);
	SDL_QuitSubSystem(SDL_INIT_AUDIO);
	free(a);
}

void ka_set_volume(ka *a, int volume)
{
	a->volume = volume < 0 ? 0 : volume > 100 ? 100 : volume;
}

void ka_play(void *arg, const int16_t *s, size_t n)
{
	ka *a = arg;
	int16_t buf[2048];
	if (!a->first)
		a->first = bw_mono_ms();
	while (n > 0) {
		size_t k = n < 2048 ? n : 2048;
		for (size_t i = 0; i < k; i++)
			buf[i] = (int16_t)(s[i] * a->volume / 100);
		SDL_QueueAudio(a->dev, buf, (Uint32)(k * sizeof buf[0]));
		s += k;
		n -= k;
	}
}

void ka_stop(ka *a)
{
	SDL_ClearQueuedAudio(a->dev);
}

void ka_mark(ka *a)
{
	a->first = 0;
}

int64_t ka_first_ms(const ka *a)
{
	return a->first;
}
