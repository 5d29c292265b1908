/* speech.h: what the kiosk says and when, composed from the UI's description of each frame
 * (the screen's title and instruction, each control's role and name): no script per
 * screen. No audio here (kiosk/voice.c synthesizes, kiosk/audio.c plays), so the unit
 * tests check every spoken name without a sound card. */
#ifndef KIOSK_SPEECH_H
#define KIOSK_SPEECH_H

#include <stddef.h>
#include <stdint.h>

#include "kiosk.h"

/* What was spoken last, to speak only what changed. */
typedef struct ks_state {
	unsigned kmoves;          /* ui_ctx.kmoves when last spoken */
	uint64_t title;           /* hash of the title last spoken */
	int screen;
	int kmode;                /* ui_ctx.kmode then: the first key speaks the whole screen */
} ks_state;

void ks_reset(ks_state *s);

/* The sentence for one control: its name (the drawn text, a catalogue name for a key
 * without one, the screen's title for an unnamed text box), its role, its state; digit
 * runs read digit by digit in groups. Returns the length written (0: no name at all, a
 * gap the unit test reports). */
size_t ks_control(const kiosk *k, const ui_nav *n, char *out, size_t cap);

/* What the last frame calls for, in out as lines (one utterance segment each, spoken in
 * order): the whole screen (title, instruction, values, focused control) after the listen
 * button, F1, or a new screen in keypad mode; the focused control after a keypad move;
 * the focused control again after Enter on it (the result: a key typed, a box ticked).
 * key is the key given to that frame (0: none). Returns the length (0: say nothing). */
size_t ks_compose(ks_state *s, kiosk *k, int key, char *out, size_t cap);

/* Copies in to out with every date YYYY-MM-DD spoken ("4 janvier 2027", the month from
 * the catalogue's month.N) and every run of 4 or more digits (ASCII, Arabic-Indic or Eastern
 * Arabic-Indic) read digit by digit, in groups of 3 separated by commas (a 4-digit code in
 * groups of 2): "00120260004X" -> "0 0 1, 2 0 2, ...". Always NUL-terminates. */
void ks_digits(const char *in, char *out, size_t cap);

#endif
