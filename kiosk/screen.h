/* screen.h: what the kiosk's screen files share, inside libkiosk.a only (the kiosk's
 * interface is kiosk.h): the chrome, the steps of the flows, the message line, the input
 * layouts beside a form, and each group's screens for the table in screens.c. */
#ifndef BAWABA_KIOSK_SCREEN_H
#define BAWABA_KIOSK_SCREEN_H

#include "kiosk.h"

#include "bw_i18n.h"

#define T(key) bw_tr(key)
#define ID(s) ui_id_str(s)
/* bidi isolates around data (numbers, codes) inside a sentence of either direction */
#define LRI "\xe2\x81\xa6"
#define PDI "\xe2\x81\xa9"

/* Header (back, listen, languages), title, progress, footer; returns the content area.
 * After it a screen checks k->screen: a tap in the header may have left the screen. */
ui_rect ksc_chrome(kiosk *k, const char *title);
/* The next and the previous step of the current flow (steps with nothing to ask are
 * skipped); back from a screen outside the flows goes home, from home wipes. */
void ksc_next(kiosk *k);
void ksc_back(kiosk *k);
int ksc_portrait(const kiosk *k);
/* The message line: the catalogue key of the message, an error or a confirmation. */
void ksc_set_msg(kiosk *k, const char *key, int error);
int ksc_msg_height(kiosk *k, int w);
void ksc_message(kiosk *k, ui_rect r);
/* An input screen's form part and keyboard part (keys_share: percent in portrait). */
void ksc_split(kiosk *k, ui_rect body, ui_rect *form, ui_rect *keys, int keys_share);
/* The keyboard with the choice of script above it; the contact keypad (digits, + @ .,
 * a switch to letters); a primary button at the bottom of r (1 when tapped). */
int ksc_keyboard(kiosk *k, ui_rect r, ui_field *f);
int ksc_contact_keys(kiosk *k, ui_rect r, ui_field *f);
int ksc_next_button(kiosk *k, ui_rect *r, const char *key);
/* The "show" switch beside a masked field. */
void ksc_show_switch(kiosk *k, ui_rect r, ui_field *f);

/* screens_home.c */
void ksc_welcome(kiosk *k);
void ksc_home(kiosk *k);
void ksc_pin(kiosk *k);
/* screens_filing.c */
void ksc_admin(kiosk *k);
void ksc_category(kiosk *k);
void ksc_text(kiosk *k);
void ksc_phone(kiosk *k);
void ksc_info_law(kiosk *k);
void ksc_info_name(kiosk *k);
void ksc_info_id(kiosk *k);
void ksc_info_contact(kiosk *k);
void ksc_info_text(kiosk *k);
void ksc_info_form(kiosk *k);
void ksc_info_address(kiosk *k);
void ksc_review(kiosk *k);
/* screens_status.c */
void ksc_receipt(kiosk *k);
void ksc_status(kiosk *k);
void ksc_status_result(kiosk *k);
void ksc_status_code(kiosk *k);

#endif
