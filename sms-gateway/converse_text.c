/* converse_text.c: what the gateway says and the names it reads: reply templates filled
 * from the catalogues in the citizen's language, the labels of kinds, states, dates and
 * references, and the administrations (the words that name them, the menu), loaded when
 * the conversation is set up. */
#include "converse_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bw_i18n.h"
#include "bw_ref.h"
#include "bw_text.h"
#include "grammar.h"

/* ---- templates ---- */

void sms_fill(char *out, size_t size, const char *tmpl, int n, const char *const *names,
              const char *const *values)
{
	size_t o = 0;
	if (!size)
		return;
	for (const char *p = tmpl; *p && o + 1 < size;) {
		const char *v = NULL;
		size_t skip = 1;
		if (*p == '{') {
			const char *end = strchr(p, '}');
			for (int i = 0; end && i < n; i++) {
				size_t len = strlen(names[i]);
				if ((size_t)(end - p - 1) == len && strncmp(p + 1, names[i], len) == 0) {
					v = values[i];
					skip = len + 2;
				}
			}
		}
		if (!v) {
			out[o++] = *p++;
			continue;
		}
		for (; *v && o + 1 < size; v++)
			out[o++] = *v;
		p += skip;
	}
	/* cut short: never end inside a UTF-8 sequence */
	if (o + 1 >= size) {
		size_t s = o;
		while (s > 0 && ((unsigned char)out[s - 1] & 0xC0) == 0x80)
			s--;
		if (s > 0) {
			unsigned char lead = (unsigned char)out[s - 1];
			size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
			if (o - (s - 1) < need)
				o = s - 1;
		}
	}
	out[o] = '\0';
}

static const char *tr(const char *lang, const char *key)
{
	return bw_tr_lang(lang, key);
}

const char *conv_kind_label(const char *lang, int kind)
{
	static const char *const keys[BW_KIND_COUNT] = {
		"sms.kind.complaint", "sms.kind.observation", "sms.kind.suggestion", "sms.kind.info",
	};
	return tr(lang, (unsigned)kind < BW_KIND_COUNT ? keys[kind] : keys[0]);
}

const char *conv_state_label(const char *lang, int state)
{
	char key[64];
	snprintf(key, sizeof key, "sms.state.%s", bw_state_name((enum bw_state)state));
	return tr(lang, key);
}

/* "YYYY-MM-DD" as people read it here: "DD/MM/YYYY". */
void conv_date_label(const char *iso, char out[11])
{
	if (strlen(iso) == 10)
		snprintf(out, 11, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
	else
		snprintf(out, 11, "%s", iso);
}

void conv_ref_label(const char *ref, char out[20])
{
	bw_ref_format(ref, " ", out, 20);
}

void conv_fill_pairs(char *out, const char *lang, size_t n, const char *const *a)
{
	const char *names[8] = { 0 }, *values[8] = { 0 };
	const char *tmpl = tr(lang, a[0]);
	const char *const *pairs = a + 1;
	int k = 0;
	n--;
	for (size_t i = 0; i + 1 < n && k < 8; i += 2, k++) {
		names[k] = pairs[i];
		values[k] = pairs[i + 1];
	}
	sms_fill(out, SMS_OUT_SIZE, tmpl, k, names, values);
}

/* ---- administrations ---- */

static int add_admin(const bw_admin *a, void *arg)
{
	sms_conv *c = arg;
	c->admins = bw_xrealloc(c->admins, (size_t)(c->nadmins + 1) * sizeof *c->admins);
	struct sms_admin_word *w = &c->admins[c->nadmins++];
	memset(w, 0, sizeof *w);
	char key[80];
	bw_strlcpy(w->code, a->code, sizeof w->code);
	sms_normalize(a->code, w->word[0], sizeof w->word[0]);
	snprintf(key, sizeof key, "sms.admin.%s", a->code);
	const char *ar = tr("ar", key), *fr = tr("fr", key);
	if (strcmp(ar, key) != 0)
		sms_normalize(ar, w->word[1], sizeof w->word[1]);
	if (strcmp(fr, key) != 0)
		sms_normalize(fr, w->word[2], sizeof w->word[2]);
	return 0;
}

/* The administration a folded word names ("sante", "الصحه", "transport"), or NULL.
 * The Arabic article is optional on either side. */
const char *conv_admin_match(const sms_conv *c, const char *folded)
{
	const char *al = "\xd8\xa7\xd9\x84";   /* ال */
	if (!folded[0])
		return NULL;
	for (int i = 0; i < c->nadmins; i++) {
		for (int k = 0; k < 3; k++) {
			const char *w = c->admins[i].word[k];
			if (!w[0])
				continue;
			if (strcmp(w, folded) == 0 ||
			    (strncmp(folded, al, 4) == 0 && strcmp(folded + 4, w) == 0) ||
			    (strncmp(w, al, 4) == 0 && strcmp(w + 4, folded) == 0))
				return c->admins[i].code;
		}
	}
	return NULL;
}

static int menu_first9(const bw_admin *a, void *arg)
{
	sms_conv *c = arg;
	if (c->nmenu >= SMS_MENU_MAX)
		return 1;
	bw_strlcpy(c->menu[c->nmenu++], a->code, BW_CODE_MAX + 1);
	return 0;
}

int sms_conv_init(sms_conv *c, const sms_conv_settings *set, sms_db *db, sms_submit_fn submit,
                  void *submit_arg, const bw_log *log, bw_err *e)
{
	int rc;
	memset(c, 0, sizeof *c);
	c->set = set;
	c->db = db;
	c->st = sms_db_store(db);
	c->submit = submit;
	c->submit_arg = submit_arg;
	c->log = log;
	if ((rc = bw_store_admins(c->st, add_admin, c, e)) < 0)
		return rc;
	if (!set->menu_admins[0]) {
		rc = bw_store_admins(c->st, menu_first9, c, e);
		return rc < 0 ? rc : BW_OK;
	}
	char list[sizeof set->menu_admins];
	bw_strlcpy(list, set->menu_admins, sizeof list);
	for (char *save = NULL, *t = strtok_r(list, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
		int found = 0;
		for (int i = 0; i < c->nadmins; i++)
			found |= strcmp(c->admins[i].code, t) == 0;
		if (!found)
			return bw_fail(e, BW_EINVAL, "menu_admins: %s is not in the catalogue", t);
		if (c->nmenu >= SMS_MENU_MAX)
			return bw_fail(e, BW_EINVAL, "menu_admins: more than %d administrations", SMS_MENU_MAX);
		bw_strlcpy(c->menu[c->nmenu++], t, BW_CODE_MAX + 1);
	}
	if (!c->nmenu)
		return bw_fail(e, BW_EINVAL, "menu_admins: empty");
	return BW_OK;
}

void sms_conv_free(sms_conv *c)
{
	free(c->admins);
	c->admins = NULL;
}

void sms_conv_menu(const sms_conv *c, const char *lang, char *out, size_t size)
{
	size_t o = 0;
	out[0] = '\0';
	for (int i = 0; i < c->nmenu; i++) {
		char key[80];
		snprintf(key, sizeof key, "sms.admin.%s", c->menu[i]);
		const char *name = tr(lang, key);
		if (strcmp(name, key) == 0)
			name = c->menu[i];
		int n = snprintf(out + o, size - o, "%s%d %s", i ? ", " : "", i + 1, name);
		if (n < 0 || (size_t)n >= size - o)
			break;
		o += (size_t)n;
	}
}
