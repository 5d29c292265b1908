/* bw_i18n.c: gettext set-up and per-call language switching (see RECIPES.md: LANGUAGE +
 * setlocale(LC_MESSAGES) under C.UTF-8 switches catalogues at run time). */
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
	if (!setlocale(LC_ALL, "C.UTF-8"))
		return bw_fail(e, BW_EIO, "translations: locale C.UTF-8 not available");
	snprintf(name, sizeof name, "bawaba-%s", domain);
	bindtextdomain(name, localedir);
	bind_textdomain_codeset(name, "UTF-8");
	textdomain(name);
	return BW_OK;
}

void bw_i18n_set_lang(const char *lang)
{
	setenv("LANGUAGE", lang, 1);
	setlocale(LC_MESSAGES, "");
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
