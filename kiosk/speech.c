/* speech.c: the kiosk's spoken text: a control's sentence from its recorded role and name,
 * the screen's sentence from its title and instruction, digit runs read in groups, and
 * the rule of when to speak (keypad moves, listen, help, a new screen). */
#include "speech.h"

#include <stdio.h>
#include <string.h>

#include "bw_i18n.h"

static const char *const role_key[UI_ROLE_COUNT] = {
	[UI_ROLE_NONE] = "role.button", [UI_ROLE_BUTTON] = "role.button",
	[UI_ROLE_CHECKBOX] = "role.checkbox", [UI_ROLE_TEXTBOX] = "role.textbox",
	[UI_ROLE_KEY] = "role.key", [UI_ROLE_ITEM] = "role.item", [UI_ROLE_BACK] = "role.button",
};

void ks_reset(ks_state *s)
{
	memset(s, 0, sizeof *s);
	s->screen = -1;
}

/* The digit value of the code point at s (0-9), or -1; *len gets its byte length. */
static int digit_at(const char *s, int *len)
{
	const unsigned char *u = (const unsigned char *)s;
	*len = 1;
	if (u[0] >= '0' && u[0] <= '9')
		return u[0] - '0';
	/* U+0660..0669 (d9 a0..a9), U+06F0..06F9 (db b0..b9) */
	if ((u[0] == 0xd9 && u[1] >= 0xa0 && u[1] <= 0xa9) || (u[0] == 0xdb && u[1] >= 0xb0 && u[1] <= 0xb9)) {
		*len = 2;
		return u[1] - (u[0] == 0xd9 ? 0xa0 : 0xb0);
	}
	return -1;
}

static void put(char *out, size_t cap, size_t *o, const char *s, size_t n)
{
	while (n-- && *o + 1 < cap)
		out[(*o)++] = *s++;
	out[*o < cap ? *o : cap - 1] = '\0';
}

/* YYYY-MM-DD at s: writes "D <month> YYYY" (the month's name from the catalogue);
 * returns the bytes read, 0 when s is not such a date */
static size_t spoken_date(const char *s, char *out, size_t cap, size_t *o)
{
	int y, m, d, n = 0;
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 || m < 1 || m > 12 || d < 1 || d > 31)
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	char key[16], buf[128];
	snprintf(key, sizeof key, "month.%d", m);
	snprintf(buf, sizeof buf, "%d %s %d", d, bw_tr(key), y);
	put(out, cap, o, buf, strlen(buf));
	return 10;
}

void ks_digits(const char *in, char *out, size_t cap)
{
	size_t o = 0;
	out[0] = '\0';
	while (*in) {
		int l, run = 0;
		size_t dn = spoken_date(in, out, cap, &o);
		if (dn) {
			in += dn;
			continue;
		}
		const char *p = in;
		while (*p && digit_at(p, &l) >= 0) {
			run++;
			p += l;
		}
		if (run < 4) {
			/* copy one code point (or the short run) as it is */
			size_t n = run ? (size_t)(p - in) : 1;
			put(out, cap, &o, in, n);
			in += n;
			continue;
		}
		int group = run == 4 ? 2 : 3;
		for (int i = 0; i < run; i++) {
			char d[4];
			int v = digit_at(in, &l);
			in += l;
			snprintf(d, sizeof d, "%s%d", i == 0 ? "" : i % group ? " " : ", ", v);
			put(out, cap, &o, d, strlen(d));
		}
	}
}

size_t ks_control(const kiosk *k, const ui_nav *n, char *out, size_t cap)
{
	const ui_ctx *c = k->ui;
	const char *name = ui_nav_name(c, n);
	char spelled[512];
	out[0] = '\0';
	if (!*name && n->msgid)
		name = bw_tr(n->msgid);
	if (!*name && n->role == UI_ROLE_TEXTBOX) {
		const char *t = ui_desc_text(c, UI_DESC_TITLE);
		name = t ? t : "";
	}
	if (!*name)
		return 0;
	ks_digits(name, spelled, sizeof spelled);
	int role = n->role >= 0 && n->role < UI_ROLE_COUNT ? n->role : UI_ROLE_NONE;
	const char *state = "";
	if (role == UI_ROLE_CHECKBOX)
		state = bw_tr(n->state ? "state.on" : "state.off");
	else if (n->state)
		state = bw_tr("state.selected");
	int w = snprintf(out, cap, "%s\n%s%s%s", spelled, bw_tr(role_key[role]), *state ? "\n" : "", state);
	return w < 0 ? 0 : (size_t)w >= cap ? cap - 1 : (size_t)w;
}

static uint64_t hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

static void line(char *out, size_t cap, size_t *o, const char *s)
{
	char spelled[1024];
	if (!s || !*s)
		return;
	ks_digits(s, spelled, sizeof spelled);
	if (*o)
		put(out, cap, o, "\n", 1);
	put(out, cap, o, spelled, strlen(spelled));
}

size_t ks_compose(ks_state *s, kiosk *k, int key, char *out, size_t cap)
{
	ui_ctx *c = k->ui;
	const ui_nav *f = ui_focused(c);
	const char *title = ui_desc_text(c, UI_DESC_TITLE);
	uint64_t th = hash(title);
	int whole = k->listen || c->help, focus = 0;
	k->listen = 0;
	c->help = 0;
	if (c->kmode) {
		if (th != s->title || k->screen != s->screen || !s->kmode)
			whole = 1;
		else if (c->kmoves != s->kmoves || key == UI_KEY_ENTER)
			focus = 1;
	}
	s->kmoves = c->kmoves;
	s->kmode = c->kmode;
	s->title = th;
	s->screen = k->screen;
	size_t o = 0;
	out[0] = '\0';
	if (whole) {
		line(out, cap, &o, title);
		line(out, cap, &o, ui_desc_text(c, UI_DESC_HINT));
		line(out, cap, &o, ui_desc_text(c, UI_DESC_INFO));
	}
	if ((whole || focus) && f) {
		char ctl[1024];
		if (ks_control(k, f, ctl, sizeof ctl)) {
			if (o)
				put(out, cap, &o, "\n", 1);
			put(out, cap, &o, ctl, strlen(ctl));
		}
	}
	return o;
}
