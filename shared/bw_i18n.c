/* bw_i18n.c: gettext set-up and per-call language switching, the same under any
 * environment (RECIPES.md: under the literal locale C.UTF-8 glibc honours LANGUAGE, and
 * _nl_msg_cat_cntr tells gettext that the choice changed). */
#include "bw_i18n.h"

#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int bw_i18n_init(const char *domain, const char *localedir, bw_err *e)
{
	char name[64];
	struct stat st;
	if (stat(localedir, &st) != 0 || !S_ISDIR(st.st_mode))
		return bw_fail(e, BW_EIO, "translations: no directory %s", localedir);
	/* whatever LC_ALL, LANG or LANGUAGE the caller had: the program chooses the language.
	 * The environment says the same as the process, for libraries that read it rather
	 * than the C library's locale (Xlib's input method under SDL does: without it, text
	 * typed on an empty environment came back unterminated from SDL's X11 layer). */
	setenv("LC_ALL", "C.UTF-8", 1);
	if (!setlocale(LC_ALL, "C.UTF-8"))
		return bw_fail(e, BW_EIO, "translations: locale C.UTF-8 not available");
	unsetenv("LANGUAGE");
	snprintf(name, sizeof name, "bawaba-%s", domain);
	bindtextdomain(name, localedir);
	bind_textdomain_codeset(name, "UTF-8");
	textdomain(name);
	return BW_OK;
}

/* GNU gettext's documented way to make a change of LANGUAGE take effect ("Being a
 * gettext grok", in the gettext manual): its catalogue cache is keyed on this counter. */
extern int _nl_msg_cat_cntr;

void bw_i18n_set_lang(const char *lang)
{
	setenv("LANGUAGE", lang, 1);
	/* Never setlocale(..., ""): that reads LANG/LC_* from the environment, and under an
	 * empty one (systemd) gives plain "C", where glibc ignores LANGUAGE and every
	 * message comes out as its key. The literal name does not depend on the caller. */
	setlocale(LC_MESSAGES, "C.UTF-8");
	++_nl_msg_cat_cntr;
}

const char *bw_tr(const char *key)
{
	return gettext(key);
}

const char *bw_tr_lang(const char *lang, const char *key)
{
	char prev[16];
	const char *cur = getenv("LANGUAGE");
	snprintf(prev, sizeof prev, "%s", cur ? cur : "");
	if (strcmp(prev, lang) == 0)
		return gettext(key);
	bw_i18n_set_lang(lang);
	const char *t = gettext(key);
	bw_i18n_set_lang(prev);
	return t;
}
