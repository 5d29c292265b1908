/* bw_conf.c: the INI loader, defaults and annotated printer behind every program's
 * configuration table. */
#include "bw_conf.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define WHY 160    /* reason buffer, before the file:line prefix is added */

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Trims white space at both ends, in place. */
static char *trim(char *s)
{
	while (is_space(*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && is_space(s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* Copies text for a message: at most 60 bytes, control characters as '?'. */
static const char *quoted(const char *s, char buf[72])
{
	size_t i = 0;
	for (; s[i] && i < 60; i++)
		buf[i] = ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) ? '?' : s[i];
	if (s[i]) {
		while (i > 0 && ((unsigned char)buf[i - 1] & 0xC0) == 0x80)
			i--;
		if (i > 0 && ((unsigned char)buf[i - 1] & 0xC0) == 0xC0)
			i--;
		memcpy(buf + i, "...", 3);
		i += 3;
	}
	buf[i] = '\0';
	return buf;
}

static int end_of_table(const bw_conf_key *k)
{
	return k->section == NULL;
}

/* The BW_CONF_MULTI row of section, or NULL if the section is not repeatable. */
static const bw_conf_key *multi_row(const bw_conf_key *keys, const char *section)
{
	for (const bw_conf_key *k = keys; !end_of_table(k); k++)
		if (k->type == BW_CONF_MULTI && strcmp(k->section, section) == 0)
			return k;
	return NULL;
}

static int section_known(const bw_conf_key *keys, const char *section)
{
	for (const bw_conf_key *k = keys; !end_of_table(k); k++)
		if (strcmp(k->section, section) == 0)
			return 1;
	return 0;
}

static const bw_conf_key *find_key(const bw_conf_key *keys, const char *section,
                                   const char *name)
{
	for (const bw_conf_key *k = keys; !end_of_table(k); k++)
		if (k->type != BW_CONF_MULTI && strcmp(k->section, section) == 0 &&
		    strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

static void int_bounds(const bw_conf_key *k, long long *min, long long *max)
{
	*min = k->size_or_min;
	*max = k->max;
	if (*min == 0 && *max == 0)
		*min = INT_MIN, *max = INT_MAX;
	if (*min < INT_MIN)
		*min = INT_MIN;
	if (*max > INT_MAX)
		*max = INT_MAX;
}

static int parse_bool(const char *v)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return 1;
		if (strcasecmp(v, no[i]) == 0)
			return 0;
	}
	return -1;
}

/* Parses value for key k and writes it at base + k->offset, or writes nothing and puts
 * the reason in why. */
static int set_value(const bw_conf_key *k, void *base, const char *value, char *why)
{
	char *dst = (char *)base + k->offset;
	int i;

	switch (k->type) {
	case BW_CONF_STR:
	case BW_CONF_PATH: {
		size_t n = strlen(value);
		if (k->size_or_min <= 0 || n >= (size_t)k->size_or_min) {
			snprintf(why, WHY, "too long (%zu bytes, at most %lld)", n,
			         k->size_or_min > 0 ? k->size_or_min - 1 : 0);
			return BW_ETOOBIG;
		}
		memcpy(dst, value, n + 1);
		return BW_OK;
	}
	case BW_CONF_INT: {
		long long min, max, v;
		char *end;
		int_bounds(k, &min, &max);
		errno = 0;
		v = strtoll(value, &end, 10);
		if (end == value || *end != '\0') {
			snprintf(why, WHY, "not an integer");
			return BW_EINVAL;
		}
		if (errno == ERANGE || v < min || v > max) {
			snprintf(why, WHY, "out of range (%lld..%lld)", min, max);
			return BW_EINVAL;
		}
		i = (int)v;
		memcpy(dst, &i, sizeof i);
		return BW_OK;
	}
	case BW_CONF_BOOL:
		if ((i = parse_bool(value)) < 0) {
			snprintf(why, WHY, "not a boolean (true/false, yes/no, on/off, 1/0)");
			return BW_EINVAL;
		}
		memcpy(dst, &i, sizeof i);
		return BW_OK;
	case BW_CONF_MULTI:
		break;
	}
	snprintf(why, WHY, "not a settable key");
	return BW_EINVAL;
}

/* "[hub] port", or just "site" for a key outside any section, for messages. */
static const char *label(const char *section, const char *name, char buf[160])
{
	if (*section)
		snprintf(buf, 160, "[%.60s] %.60s", section, name);
	else
		snprintf(buf, 160, "%.60s", name);
	return buf;
}

static const char *default_text(const bw_conf_key *k)
{
	if (k->def)
		return k->def;
	return (k->type == BW_CONF_STR || k->type == BW_CONF_PATH) ? "" : "0";
}

/* Applies the defaults of the keys of `section` (all sections outside repeatable ones
 * when section is NULL) at base. */
static int apply_defaults(const bw_conf_key *keys, const char *section, void *base,
                          bw_err *e)
{
	char why[WHY], b1[72], b2[160];
	for (const bw_conf_key *k = keys; !end_of_table(k); k++) {
		if (k->type == BW_CONF_MULTI)
			continue;
		if (section ? strcmp(k->section, section) != 0 : multi_row(keys, k->section) != NULL)
			continue;
		int rc = set_value(k, base, default_text(k), why);
		if (rc != BW_OK)
			return bw_fail(e, rc, "default of %s = %s: %s", label(k->section, k->name, b2),
			               quoted(default_text(k), b1), why);
	}
	return BW_OK;
}

int bw_conf_defaults(const bw_conf_key *keys, void *settings, bw_err *e)
{
	return apply_defaults(keys, NULL, settings, e);
}

int bw_conf_set(const bw_conf_key *keys, void *settings, const char *section,
                const char *name, const char *value, bw_err *e)
{
	char why[WHY], b1[72], b2[160];
	const bw_conf_key *k = find_key(keys, section, name);
	if (!k || multi_row(keys, section))
		return bw_fail(e, BW_ENOTFOUND, "unknown key %s", label(section, name, b2));
	int rc = set_value(k, settings, value, why);
	if (rc != BW_OK)
		return bw_fail(e, rc, "%s = %s: %s", label(section, name, b2), quoted(value, b1), why);
	return BW_OK;
}

/* ---- the loader ---- */

struct loader {
	const char *path;
	const bw_conf_key *keys;
	void *settings;
	bw_err *e;
	int line;
	char section[BW_CONF_LINE_MAX + 1];   /* current section, "" before any header */
	void *base;                           /* where the current section's keys go */
	int *set_at;                          /* per table row: line that set it, 0 = none */
	size_t nkeys;
	char **headers;                       /* headers seen, for duplicates */
	int *header_line;
	size_t nheaders;
};

static int fail_at(struct loader *L, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail_at(struct loader *L, int code, const char *fmt, ...)
{
	char msg[BW_ERRMSG];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return bw_fail(L->e, code, "%s:%d: %s", L->path, L->line, msg);
}

/* Cuts an unquoted value at a comment: # or ; at the start or after white space. */
static void cut_comment(char *s)
{
	for (char *p = s; *p; p++)
		if ((*p == '#' || *p == ';') && (p == s || is_space(p[-1]))) {
			*p = '\0';
			return;
		}
}

/* Unwraps "quoted" text in place; what follows the closing quote may only be a
 * comment. Unquoted text loses its trailing comment. Returns the value or NULL. */
static char *unquote(struct loader *L, char *s, const char *what, int *rc)
{
	char b1[72];
	if (*s != '"') {
		cut_comment(s);
		return trim(s);
	}
	char *close = strchr(s + 1, '"');
	if (!close) {
		*rc = fail_at(L, BW_EINVAL, "unterminated quote in %s %s", what, quoted(s, b1));
		return NULL;
	}
	*close = '\0';
	char *rest = trim(close + 1);
	if (*rest && *rest != '#' && *rest != ';') {
		*rc = fail_at(L, BW_EINVAL, "unexpected text after the closing quote: %s",
		              quoted(rest, b1));
		return NULL;
	}
	return s + 1;
}

static int header(struct loader *L, char *s)
{
	char b1[72], b2[72];
	int rc = BW_OK;
	char *close = strchr(s, ']');

	if (!close)
		return fail_at(L, BW_EINVAL, "unterminated section header %s", quoted(s, b1));
	char *rest = trim(close + 1);
	if (*rest && *rest != '#' && *rest != ';')
		return fail_at(L, BW_EINVAL, "unexpected text after the section header: %s",
		               quoted(rest, b1));
	*close = '\0';
	char *sec = trim(s + 1), *name = sec;
	while (*name && !is_space(*name))
		name++;
	if (*name)
		*name++ = '\0';
	name = trim(name);
	if (*name == '"') {
		size_t n = strlen(name);
		if (n < 2 || name[n - 1] != '"')
			return fail_at(L, BW_EINVAL, "unterminated quote in section name %s",
			               quoted(name, b1));
		name[n - 1] = '\0';
		name++;
	}
	if (!*sec || !section_known(L->keys, sec))
		return fail_at(L, BW_EINVAL, "unknown section [%s]", quoted(sec, b1));

	const bw_conf_key *m = multi_row(L->keys, sec);
	if (m && !*name)
		return fail_at(L, BW_EINVAL, "section [%s] needs a name, e.g. [%s NAME]", sec, sec);
	if (!m && *name)
		return fail_at(L, BW_EINVAL, "section [%s] takes no name (got %s)", sec,
		               quoted(name, b1));

	/* each header once: "[modem sim1]" twice is a copy-paste slip, not two modems */
	size_t hl = strlen(sec) + strlen(name) + 2;
	char *h = bw_xmalloc(hl);
	snprintf(h, hl, "%s %s", sec, name);
	for (size_t i = 0; i < L->nheaders; i++)
		if (strcmp(L->headers[i], h) == 0) {
			rc = fail_at(L, BW_EINVAL, "duplicate section [%s] (first at line %d)",
			             quoted(trim(h), b1), L->header_line[i]);
			free(h);
			return rc;
		}
	L->headers = bw_xrealloc(L->headers, (L->nheaders + 1) * sizeof *L->headers);
	L->header_line = bw_xrealloc(L->header_line, (L->nheaders + 1) * sizeof *L->header_line);
	L->headers[L->nheaders] = h;
	L->header_line[L->nheaders++] = L->line;

	memcpy(L->section, sec, strlen(sec) + 1);
	L->base = L->settings;
	if (m) {
		bw_err ce;
		void *item = NULL;
		bw_err_clear(&ce);
		rc = m->section_cb(sec, name, L->settings, &item, &ce);
		if (rc == BW_OK && !item)
			rc = bw_fail(&ce, BW_EINVAL, "no item to fill");
		if (rc != BW_OK)
			return fail_at(L, rc, "[%s %s]: %s", sec, quoted(name, b2), ce.msg);
		L->base = item;
		/* a new item: its keys start from their defaults, and may be set again */
		if ((rc = apply_defaults(L->keys, sec, item, &ce)) != BW_OK)
			return fail_at(L, rc, "%s", ce.msg);
		for (size_t i = 0; i < L->nkeys; i++)
			if (strcmp(L->keys[i].section, sec) == 0)
				L->set_at[i] = 0;
	}
	return BW_OK;
}

static int assignment(struct loader *L, char *s)
{
	char b1[72], b2[72], why[WHY];
	int rc = BW_OK;
	char *eq = strchr(s, '=');

	if (!eq)
		return fail_at(L, BW_EINVAL, "missing '=' in %s", quoted(trim(s), b1));
	*eq = '\0';
	char *name = trim(s);
	if (!*name)
		return fail_at(L, BW_EINVAL, "missing key name before '='");
	char *value = unquote(L, trim(eq + 1), "the value of", &rc);
	if (!value)
		return rc;

	const bw_conf_key *k = find_key(L->keys, L->section, name);
	if (!k) {
		if (*L->section)
			return fail_at(L, BW_EINVAL, "unknown key %s in [%s]", quoted(name, b1),
			               L->section);
		return fail_at(L, BW_EINVAL, "unknown key %s before any [section]",
		               quoted(name, b1));
	}
	size_t row = (size_t)(k - L->keys);
	if (L->set_at[row])
		return fail_at(L, BW_EINVAL, "duplicate key %s (first set at line %d)", name,
		               L->set_at[row]);
	if ((rc = set_value(k, L->base, value, why)) != BW_OK)
		return fail_at(L, rc, "%s = %s: %s", name, quoted(value, b2), why);
	L->set_at[row] = L->line;
	return BW_OK;
}

static int load_lines(struct loader *L, FILE *fp)
{
	/* room for the longest line, its newline (or CR LF) and the NUL */
	char buf[BW_CONF_LINE_MAX + 3];
	int rc = BW_OK;

	while (rc == BW_OK && fgets(buf, sizeof buf, fp)) {
		size_t n = strlen(buf);
		L->line++;
		if (n > 0 && buf[n - 1] == '\n')
			buf[--n] = '\0';
		else if (!feof(fp))
			return fail_at(L, BW_ETOOBIG, "line too long (more than %d bytes)",
			               BW_CONF_LINE_MAX);
		if (n > 0 && buf[n - 1] == '\r')
			buf[--n] = '\0';
		if (n > BW_CONF_LINE_MAX)
			return fail_at(L, BW_ETOOBIG, "line too long (more than %d bytes)",
			               BW_CONF_LINE_MAX);
		char *s = buf;
		if (L->line == 1 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
			s += 3;   /* byte order mark some editors write */
		s = trim(s);
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		rc = (*s == '[') ? header(L, s) : assignment(L, s);
	}
	if (rc == BW_OK && ferror(fp))
		rc = bw_fail(L->e, BW_EIO, "%s: read error: %s", L->path, strerror(errno));
	return rc;
}

int bw_conf_load(const char *path, const bw_conf_key *keys, void *settings, bw_err *e)
{
	struct loader L;
	int rc;

	if ((rc = bw_conf_defaults(keys, settings, e)) != BW_OK)
		return rc;
	FILE *fp = fopen(path, "r");
	if (!fp)
		return bw_fail(e, errno == ENOENT ? BW_ENOTFOUND : BW_EIO, "%s: %s", path,
		               strerror(errno));
	memset(&L, 0, sizeof L);
	L.path = path;
	L.keys = keys;
	L.settings = settings;
	L.base = settings;
	L.e = e;
	while (!end_of_table(&keys[L.nkeys]))
		L.nkeys++;
	L.set_at = bw_xcalloc(L.nkeys + 1, sizeof *L.set_at);
	rc = load_lines(&L, fp);
	fclose(fp);
	for (size_t i = 0; i < L.nheaders; i++)
		free(L.headers[i]);
	free(L.headers);
	free(L.header_line);
	free(L.set_at);
	return rc;
}

/* ---- the annotated printer ---- */

/* Quotes a value only when it would not read back as written unquoted. */
static void print_value(FILE *fp, const char *v)
{
	size_t n = strlen(v);
	int q = n == 0 || is_space(v[0]) || is_space(v[n - 1]) || v[0] == '"' ||
	        strchr(v, '#') || strchr(v, ';');
	fprintf(fp, q ? "\"%s\"\n" : "%s\n", v);
}

static void print_key(const bw_conf_key *k, const char *prefix, FILE *fp)
{
	long long min, max;
	if (k->doc)
		fprintf(fp, "# %s", k->doc);
	else
		fprintf(fp, "#");
	switch (k->type) {
	case BW_CONF_STR:
		fprintf(fp, " (text, at most %lld bytes)\n", k->size_or_min - 1);
		break;
	case BW_CONF_PATH:
		fprintf(fp, " (path)\n");
		break;
	case BW_CONF_INT:
		int_bounds(k, &min, &max);
		fprintf(fp, " (integer, %lld..%lld)\n", min, max);
		break;
	case BW_CONF_BOOL:
		fprintf(fp, " (yes or no)\n");
		break;
	case BW_CONF_MULTI:
		fprintf(fp, "\n");
		return;
	}
	fprintf(fp, "%s%s = ", prefix, k->name);
	if (k->type == BW_CONF_BOOL)
		fprintf(fp, "%s\n", parse_bool(default_text(k)) == 1 ? "yes" : "no");
	else
		print_value(fp, default_text(k));
}

void bw_conf_print(const bw_conf_key *keys, FILE *fp)
{
	/* two passes keep the rule simple: top-level keys first, then sections in table
	 * order */
	for (int pass = 0; pass < 2; pass++) {
		for (const bw_conf_key *k = keys; !end_of_table(k); k++) {
			if ((pass == 0) != (*k->section == '\0'))
				continue;
			const bw_conf_key *j = keys;
			while (j < k && strcmp(j->section, k->section) != 0)
				j++;
			if (j < k)
				continue;   /* section already printed */
			const bw_conf_key *m = multi_row(keys, k->section);
			const char *prefix = m ? "#" : "";
			if (*k->section) {
				if (m)
					fprintf(fp, "\n# [%s NAME]: %s (repeat for each)\n#[%s NAME]\n",
					        k->section, m->doc ? m->doc : "repeatable section",
					        k->section);
				else
					fprintf(fp, "\n[%s]\n", k->section);
			}
			for (j = k; !end_of_table(j); j++)
				if (j->type != BW_CONF_MULTI && strcmp(j->section, k->section) == 0)
					print_key(j, prefix, fp);
		}
	}
}
