/* voice.h: the kiosk's voices: recorded prompts first (PROMPTS/LANG/MSGID.wav, keyed by
 * the catalogue's message ids), else libespeak-ng for ar and fr; Tamazight, which no
 * synthesizer on Debian speaks, by its recordings or else the fallback rule below. */
#ifndef KIOSK_VOICE_H
#define KIOSK_VOICE_H

#include <stddef.h>
#include <stdint.h>

#include "bw_err.h"

#define KV_RATE_HZ 22050      /* prompts and synthesis: 16-bit mono at this rate */

typedef struct kv kv;

/* Receives the samples of an utterance as they are made (the first ones are played while
 * the rest is synthesized). */
typedef void (*kv_sink)(void *arg, const int16_t *s, size_t n);

/* Opens the synthesizer and reads the kiosk catalogues of ar, zgh, fr under locale_dir
 * (to find the message id of a spoken text, hence its recording). prompts_dir may be ""
 * (no recordings). wpm: speaking rate (80..300). BW_EIO when espeak-ng cannot start. */
int kv_open(kv **out, const char *locale_dir, const char *prompts_dir, int wpm, bw_err *e);
void kv_close(kv *v);
void kv_set_rate(kv *v, int wpm);

/* How a text was voiced (for the speech log). */
enum kv_how { KV_NONE = 0, KV_PROMPT, KV_SYNTH, KV_FALLBACK };

/* Speaks one segment of text shown in language lang ("ar", "zgh", "fr"): its recording
 * when the text is a catalogue text with a prompt file; else synthesis in the voice of
 * the text's script (Arabic letters: ar, Latin: fr, digits only: the screen's language).
 * The Tamazight fallback rule: a Tamazight catalogue text without a recording is spoken
 * as the same message's Arabic text by the ar voice (Moroccan Tamazight speakers at
 * a public counter are addressed in Arabic today), and Tifinagh the catalogue does not
 * hold (a citizen's typed text) is not guessed at: nothing is said for it.
 * Returns the samples produced; *how says which way. */
size_t kv_say(kv *v, const char *lang, const char *text, kv_sink sink, void *arg, int *how);

/* The message id whose text in lang is text, or NULL. */
const char *kv_msgid(const kv *v, const char *lang, const char *text);

#endif
