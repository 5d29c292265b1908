/* events.h: the console's input, with no SDL types: what kr_wait (kiosk/render.h) gives
 * plus what a desk needs and a kiosk must not have: up/down and page keys, F5, Ctrl+L,
 * the mouse wheel, pointer moves. SDL is set up by kr_open; this reads its queue. */
#ifndef AGENT_EVENTS_H
#define AGENT_EVENTS_H

#include "ui/ui.h"

enum ag_ev { AG_EV_NONE = 0, AG_EV_PRESS, AG_EV_RELEASE, AG_EV_MOVE, AG_EV_TEXT, AG_EV_KEY,
             AG_EV_WHEEL, AG_EV_QUIT, AG_EV_EXPOSE, AG_EV_RESIZE };

/* Keys beyond enum ui_key (which they follow). */
enum ag_key { AG_KEY_UP = 100, AG_KEY_DOWN, AG_KEY_PGUP, AG_KEY_PGDN, AG_KEY_F5, AG_KEY_F12,
              AG_KEY_CTRL_L };

typedef struct ag_input {
	int type;          /* enum ag_ev */
	int x, y;          /* PRESS, RELEASE, MOVE */
	int wheel;         /* WHEEL: rows, positive = towards the end of the list */
	char text[32];     /* TEXT: UTF-8 */
	int key;           /* KEY: enum ui_key or enum ag_key */
} ag_input;

/* Takes the next pending event without waiting; 1 if ev was filled. */
int ag_poll_event(ag_input *ev);
/* Waits up to timeout_ms for an event; 1 if ev was filled, 0 on timeout. */
int ag_wait_event(int timeout_ms, ag_input *ev);
/* A short beep on the default audio device (announcements); quiet when there is none.
 * *dev holds the opened device between calls (0 at first). */
void ag_beep(unsigned *dev);

#endif
