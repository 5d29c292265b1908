/* bw_i18n.h: translation catalogues (gettext) and switching the language at run time. */
#ifndef BW_I18N_H
#define BW_I18N_H

#include "bw_err.h"

/* Binds the text domain "bawaba-<domain>" (e.g. "kiosk", "sms") to localedir, UTF-8.
 * Sets the process locale to C.UTF-8 (glibc ignores LANGUAGE under plain "C"), which
 * needs no installed locale. Returns BW_EIO if the catalogue directory is missing. */
int bw_i18n_init(const char *domain, const char *localedir, bw_err *e);

/* Switches the language of later bw_tr calls: "ar", "fr", "zgh". */
void bw_i18n_set_lang(const char *lang);

/* The text for key in the current language; the key itself when a catalogue lacks it
 * (tests compare catalogues, so that shows up as a failing test, not on a screen). */
const char *bw_tr(const char *key);

/* The text for key in `lang`, leaving the current language as it was (SMS replies go
 * in each citizen's language from one process). */
const char *bw_tr_lang(const char *lang, const char *key);

#endif
