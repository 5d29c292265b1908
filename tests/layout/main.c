/* main.c: the layout check (tests/layout): opens an offscreen renderer over the real
 * fonts, runs the kiosk's and the agent console's states, prints every finding and the
 * line "layout: N screen states, M findings"; exits 1 when there is any finding.
 * Usage: layout-check LOCALE_DIR FONTS_DIR [STATE-FILTER] [LOG] */
#include "layout.h"

#include "bw_clock.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const int lay_sizes[LAY_NSIZES][2] = { { 1920, 1080 }, { 1366, 768 }, { 1280, 1024 }, { 1080, 1920 } };

static void vsay(lay *L, const char *kind, const char *msg)
{
	L->findings++;
	if (L->log)
		fprintf(L->log, "%s: %s: %s\n", L->where, kind, msg);
	if (L->printed++ < L->print_max)
		printf("  %s: %s: %s\n", L->where, kind, msg);
}

void lay_say(lay *L, const char *kind, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	vsay(L, kind, msg);
}

static void report(void *arg, const char *kind, const char *msg)
{
	vsay(arg, kind, msg);
}

void lay_check(lay *L, const ui_ctx *ctx, int min_target, const int *script, const char *const *names)
{
	ui_lint_rules rl = { .min_target = min_target, .report = report, .arg = L };
	for (int i = 0; i < UI_LINT_LANGS; i++) {
		rl.script[i] = script[i];
		rl.lang_name[i] = names[i];
	}
	if (ctx->overflow)
		lay_say(L, "overflow", "the frame ran out of commands or text space");
	L->states++;
	ui_lint(ctx, &rl);
}

static unsigned long long text_hash(const ui_ctx *ctx, const ui_cmd *c)
{
	unsigned long long h = 0xcbf29ce484222325ull;
	const char *s = ui_cmd_text(ctx, c);
	for (int i = 0; i < c->len; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
	return h;
}

void lay_remember_sizes(lay *L, const ui_ctx *ctx)
{
	L->nnorm = 0;
	for (int i = 0; i < ctx->ncmds; i++)
		if (ctx->cmds[i].type == UI_CMD_TEXT) {
			L->norm_hash[L->nnorm] = text_hash(ctx, &ctx->cmds[i]);
			L->norm_size[L->nnorm++] = ctx->cmds[i].size;
		}
}

void lay_compare_sizes(lay *L, const ui_ctx *ctx)
{
	for (int i = 0; i < ctx->ncmds; i++) {
		const ui_cmd *c = &ctx->cmds[i];
		/* symbols (keys, badges) and data are sized by their room, not by the theme */
		if (c->type != UI_CMD_TEXT || c->lang == UI_LANG_DATA)
			continue;
		unsigned long long h = text_hash(ctx, c);
		for (int k = 0; k < L->nnorm; k++)
			if (L->norm_hash[k] == h && L->norm_size[k] > c->size) {
				lay_say(L, "large-smaller", "\"%.*s\" is %d px in large text, %d px in normal", c->len,
					ui_cmd_text(ctx, c), c->size, L->norm_size[k]);
				break;
			}
	}
}

int main(int argc, char **argv)
{
	static lay L;
	bw_err e;
	if (argc < 3) {
		fprintf(stderr, "usage: layout-check LOCALE_DIR FONTS_DIR [STATE-FILTER] [LOG]\n");
		return 2;
	}
	/* a pinned clock (Friday 2026-11-27 10:00 UTC): the same dates on every run */
	setenv("BAWABA_NOW", "1795773600", 1);
	if (bw_clock_init(NULL, &e) != BW_OK) {
		fprintf(stderr, "layout-check: %s\n", e.msg);
		return 2;
	}
	L.locale_dir = argv[1];
	L.fonts_dir = argv[2];
	L.only = argc > 3 ? argv[3] : "";
	L.print_max = 400;
	if (argc > 4 && !(L.log = fopen(argv[4], "w"))) {
		perror(argv[4]);
		return 2;
	}
	kr_settings rs = { .w = 16, .h = 16, .fonts_dir = L.fonts_dir, .offscreen = 1 };
	if (kr_open(&L.r, &rs, &e) != BW_OK) {
		fprintf(stderr, "layout-check: %s\n", e.msg);
		return 2;
	}
	int rc = lay_kiosk(&L);
	if (rc == 0)
		rc = lay_agent(&L);
	kr_close(L.r);
	if (L.log)
		fclose(L.log);
	if (rc)
		return 2;
	printf("layout: %ld screen states, %ld findings\n", L.states, L.findings);
	return L.findings ? 1 : 0;
}
