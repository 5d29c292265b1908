/* talk.h: the kiosk's speech at run time: after each frame, what speech.c composes is
 * voiced (voice.c) and played (audio.c), interrupting what was playing; the idle wipe
 * stops it. Optional log of every spoken segment for the tests. */
#ifndef KIOSK_TALK_H
#define KIOSK_TALK_H

#include "kiosk.h"
#include "speech.h"

typedef struct talk talk;

/* NULL when speech is off in the settings or no audio/synthesizer is available (logged:
 * the kiosk still works for those who read). */
talk *talk_open(const kiosk_conf *c, const bw_log *log);
void talk_close(talk *t);
/* Called when a key arrives (times the first sample after it). */
void talk_key(talk *t);
/* After the frames of one input: speaks what they call for. key: the key given (0: none). */
void talk_frame(talk *t, kiosk *k, int key);
/* The idle wipe: silence now, forget what was said. */
void talk_wipe(talk *t);

#endif
