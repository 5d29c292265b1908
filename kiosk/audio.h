/* audio.h: the kiosk's sound output (a headset jack on site) through SDL's audio: queued
 * 16-bit mono samples, a volume, and a stop that drops what is queued. Under tests SDL's
 * `disk` driver writes what would be heard to a file. */
#ifndef KIOSK_AUDIO_H
#define KIOSK_AUDIO_H

#include <stddef.h>
#include <stdint.h>

#include "bw_err.h"

typedef struct ka ka;

/* Opens the default output at hz. BW_EIO with SDL's reason when there is none. */
int ka_open(ka **out, int hz, int volume, bw_err *e);
void ka_close(ka *a);
/* volume: 0..100 */
void ka_set_volume(ka *a, int volume);
/* Queues n samples scaled by the volume (a kv_sink). */
void ka_play(void *a, const int16_t *s, size_t n);
/* Drops everything queued: speech stops now. */
void ka_stop(ka *a);
/* Milliseconds (monotonic) of the first ka_play since the last ka_mark, 0 if none yet
 * (the key-to-first-sample figure). */
void ka_mark(ka *a);
int64_t ka_first_ms(const ka *a);

#endif
