/* main.c: bawaba-kiosk: settings, the local store, the window, and the event loop that
 * sleeps until an event or the next timer and redraws only frames that changed. Also the
 * hidden --walk mode that shows every screen in the three languages and saves them, and
 * the --bench mode that walks them on screen and times their frames (bench/kiosk.sh).
 * Start reading main(). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bw_files.h"
#include "bw_clock.h"
#include "bw_i18n.h"
#include "bw_log.h"
#include "bw_notify.h"
#include "bw_ref.h"
#include "bw_store.h"
#include "bw_sync.h"
#include "filer_sync.h"
#include "kiosk.h"
#include "talk.h"
#include "ui/render.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: bawaba-kiosk [-c kiosk.conf] [-o section.key=value]... [--id-file FILE]\n"
		"       bawaba-kiosk --check [-c kiosk.conf]      check the settings and say so\n"
		"       bawaba-kiosk --print-config               an annotated default kiosk.conf\n"
		"With no display it says so; run it under Xvfb to see it (tests/integration/kiosk_screens.sh).\n");
}

/* the idle wipe: the renderer's text cache and the speech */
typedef struct wiper { kr *r; talk *t; } wiper;
static void forget(void *arg)
{
	wiper *w = arg;
	kr_forget(w->r);
	talk_wipe(w->t);
}

/* BAWABA_KIOSK_TRACE=FILE: after each frame shown, the text on screen with its boxes
 * ("x y w h<TAB>text" per line), so tests can tap a label by what it says with real
 * input events. Written to a temporary name and renamed: a reader never sees half. */
static void trace(const kiosk *k)
{
	const char *path = getenv("BAWABA_KIOSK_TRACE");
	char tmp[1100];
	if (!path || !*path)
		return;
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *fp = fopen(tmp, "w");
	if (!fp)
		return;
	fprintf(fp, "screen %d\n", k->screen);
	for (int i = 0; i < k->ui->ncmds; i++) {
		const ui_cmd *c = &k->ui->cmds[i];
		if (c->type == UI_CMD_TEXT)
			fprintf(fp, "%d %d %d %d\t%.*s\n", c->r.x, c->r.y, c->r.w, c->r.h, c->len, ui_cmd_text(k->ui, c));
	}
	if (fclose(fp) == 0)
		rename(tmp, path);
}

static void frame_out(kr *r, kiosk *k)
{
	kr_draw(r, k->ui);
	kr_present(r);
	trace(k);
}

/* ---- the screenshot walk (tests) and the frame timing walk (benchmark) ---- */

/* What a walk does at each screen: save it to dir (if set), time frames (if > 0). */
typedef struct walker {
	const char *dir;
	int frames;
	double worst_ms;        /* the slowest frame of the walk */
	char worst[32];
} walker;

static double ns_ms(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e3 + (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* One whole frame as the event loop makes it: layout, drawing, shown on screen. */
static double timed_frame(kr *r, kiosk *k, int64_t now)
{
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	kiosk_frame(k, now, 0);
	kr_draw(r, k->ui);
	kr_present(r);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return ns_ms(&t0, &t1);
}

/* The screen's first frame (its text not yet shaped and cached: what a tap costs), then
 * w->frames redraws: median, p99, max. One line per screen on stdout. */
static void time_screen(kr *r, kiosk *k, walker *w, const char *name, int64_t now)
{
	double first = timed_frame(r, k, now);
	double *t = bw_xmalloc(sizeof *t * (size_t)w->frames);
	for (int i = 0; i < w->frames; i++)
		t[i] = timed_frame(r, k, now);
	qsort(t, (size_t)w->frames, sizeof *t, cmp_double);
	double med = t[w->frames / 2], p99 = t[(w->frames * 99) / 100], max = t[w->frames - 1];
	printf("frame %-22s cmds %4d first %6.2f ms  median %6.2f ms  p99 %6.2f ms  max %6.2f ms\n",
	       name, k->ui->ncmds, first, med, p99, max);
	if (first > max)
		max = first;
	if (max > w->worst_ms) {
		w->worst_ms = max;
		snprintf(w->worst, sizeof w->worst, "%.31s", name);
	}
	free(t);
}

static const char *const sample_text[KL_COUNT] = {
	"انتظرت ثلاث ساعات يوم 12 مارس في مكتب الحالة المدنية ولم يستقبلني أحد (الشباك رقم 4).",
	"ⵙⵙⴰⵔⵎⵖ 3 ⵜⵙⵔⴰⴳⵉⵏ ⴳ ⵓⵙⵔⴰⴳ ⵏ ⵜⵎⵙⵙⵓⵔⵜ.",
	"J'ai attendu trois heures le 12 mars au bureau de l'état civil (guichet n° 4), sans être reçu.",
};

static const char *const sample_address[KL_COUNT] = {
	"زنقة ابن سينا رقم 12، أكدال، الرباط",
	"ⴰⴱⵔⵉⴷ ⵏ ⵉⴱⵏ ⵙⵉⵏⴰ 12, ⴰⴳⴷⴰⵍ, ⵔⵔⴱⴰⵟ",
	"12, rue Ibn Sina, Agdal, 10090 Rabat",
};

/* The answer an agent gave, for the status screens. */
static const char *const sample_answer[KL_COUNT] = {
	"نعتذر عن الانتظار. يعمل موظف ثان في شباك الحالة المدنية منذ 2 دجنبر.",
	"ⵏⵙⵙⵓⵜⵓⵔ ⴰⵙⵓⵔⴼ ⵅⴼ ⵓⵔⴰⴵⵓ. ⵉⵍⵍⴰ ⵓⵎⵙⵡⵓⵔⵉ ⵡⵉⵙ ⵙⵉⵏ ⴳ ⵓⵙⴰⵔⵓⵢ ⵙⴳ 2 ⴷⵓⵊⴰⵏⴱⵉⵔ.",
	"Nous nous excusons pour l'attente. Un second agent tient le guichet de l'état civil depuis le 2 décembre.",
};

/* The receipt code is random; the pictures need one that stays, so the walk gives the
 * request it filed a fixed one in the store and on screen. */
static void walk_fixed_code(kiosk *k)
{
	bw_store_code_set(k->catalog, k->in.ref, "4821", NULL);
	memcpy(k->in.code, "4821", sizeof k->in.code);
}

/* An agent answers the walk's request two days after it was filed. */
static int walk_answer(kiosk *k, const char *ref, int lang)
{
	bw_request *req = bw_xmalloc(sizeof *req);
	bw_err e;
	int rc = bw_store_get(k->catalog, ref, req, &e);
	if (rc == BW_OK)
		rc = bw_store_transition(k->catalog, ref, BW_ST_ANSWERED, "agent:amina", sample_answer[lang],
					 req->received_at + 2 * 86400, NULL, &e);
	if (rc != BW_OK)
		fprintf(stderr, "bawaba-kiosk: walk: answer: %s\n", e.msg);
	memset(req, 0, sizeof *req);
	free(req);
	return rc != BW_OK;
}

static int shot(kr *r, kiosk *k, walker *w, const char *lang, const char *name, int64_t now)
{
	char path[1200];
	bw_err e;
	kiosk_frame(k, now, 0);
	kiosk_frame(k, now, 0);
	if (!w->dir) {
		snprintf(path, sizeof path, "%s-%s", lang, name);
		time_screen(r, k, w, path, now);
		return 0;
	}
	kr_draw(r, k->ui);
	snprintf(path, sizeof path, "%s/%s-%s.bmp", w->dir, lang, name);
	if (kr_screenshot(r, path, &e) != BW_OK) {
		fprintf(stderr, "bawaba-kiosk: %s\n", e.msg);
		return 1;
	}
	kr_present(r);
	printf("%s\n", path);
	return 0;
}

static int admin_with_categories(kiosk *k)
{
	for (int i = 0; i < k->nadmins; i++) {
		k->in.admin = i;
		k->in.kind = BW_KIND_COMPLAINT;
		kiosk_goto(k, KS_CATEGORY);
		if (k->ncats > 0)
			return i;
	}
	return 0;
}

/* A complaint in language l, screen by screen from the welcome to the status answer
 * behind the receipt code. Returns 1 if a picture failed, -1 if the walk cannot go on. */
static int walk_filing(kr *r, kiosk *k, walker *dir, int l, int64_t now)
{
	const char *lc = kiosk_lang_code[l];
	int bad = 0;
	bad |= shot(r, k, dir, lc, "01-welcome", now);
	kiosk_goto(k, KS_HOME);
	bad |= shot(r, k, dir, lc, "02-home", now);
	kiosk_start(k, BW_KIND_COMPLAINT);
	bad |= shot(r, k, dir, lc, "03-admin", now);
	int a = admin_with_categories(k);
	k->in.admin = a;
	bad |= shot(r, k, dir, lc, "04-category", now);
	k->in.category = 0;
	kiosk_goto(k, KS_TEXT);
	ui_field_set(&k->f_text, sample_text[l]);
	bad |= shot(r, k, dir, lc, "05-text", now);
	kiosk_goto(k, KS_PHONE);
	k->in.consent = 1;
	ui_field_set(&k->f_phone, "0612345678");
	bad |= shot(r, k, dir, lc, "06-phone", now);
	kiosk_goto(k, KS_REVIEW);
	bad |= shot(r, k, dir, lc, "07-review", now);
	bw_err e;
	if (kiosk_submit(k, &e) != BW_OK) {
		fprintf(stderr, "bawaba-kiosk: walk: filing failed: %s\n", e.msg);
		return -1;
	}
	walk_fixed_code(k);
	bad |= shot(r, k, dir, lc, "08-receipt", now);
	char ref[13];
	memcpy(ref, k->in.ref, sizeof ref);
	/* the status pad with one digit wrong: refused as typed */
	kiosk_goto(k, KS_STATUS);
	char typo[13];
	memcpy(typo, ref, sizeof typo);
	typo[5] = typo[5] == '9' ? '0' : typo[5] + 1;
	ui_field_set(&k->f_ref, typo);
	k->msg = "status.bad_check";
	k->msg_error = 1;
	bad |= shot(r, k, dir, lc, "09-status", now);
	/* answered: the timeline without the answer, which waits for the receipt code */
	if (walk_answer(k, ref, l))
		return -1;
	kiosk_goto(k, KS_STATUS);
	ui_field_set(&k->f_ref, ref);
	ui_input_key(k->ui, UI_KEY_ENTER);  /* the keypad's OK, as a physical Enter */
	kiosk_frame(k, now, 1);
	bad |= shot(r, k, dir, lc, "10-status-result", now);
	kiosk_goto(k, KS_STATUS_CODE);
	ui_field_set(&k->f_code, "48");
	bad |= shot(r, k, dir, lc, "17-status-code", now);
	ui_field_set(&k->f_code, "4821");
	ui_input_key(k->ui, UI_KEY_ENTER);
	kiosk_frame(k, now, 1);
	bad |= shot(r, k, dir, lc, "18-status-answer", now);
	return bad;
}

/* An information request in language l (its own screens), then the idle warning and the
 * agent's PIN pad. Returns 1 if a picture failed. */
static int walk_info(kr *r, kiosk *k, walker *dir, int l, int64_t now)
{
	const char *lc = kiosk_lang_code[l];
	int bad = 0;
	kiosk_wipe(k);
	kiosk_set_lang(k, l);
	k->last_input = now;
	kiosk_start(k, BW_KIND_INFO);
	bad |= shot(r, k, dir, lc, "11-info-law", now);
	kiosk_goto(k, KS_INFO_ID);
	ui_field_set(&k->f_id, "AB12");
	bad |= shot(r, k, dir, lc, "12-info-id", now);
	kiosk_goto(k, KS_INFO_FORM);
	k->in.form = BW_FORM_EMAIL;
	k->in.urgent = 1;
	bad |= shot(r, k, dir, lc, "13-info-form", now);
	/* an answer on paper: the postal address (law 31.13) */
	kiosk_goto(k, KS_INFO_ADDRESS);
	k->in.form = BW_FORM_PAPER;
	ui_field_set(&k->f_address, sample_address[l]);
	bad |= shot(r, k, dir, lc, "16-info-address", now);
	/* the inactivity warning, 7 s into its countdown */
	kiosk_goto(k, KS_TEXT);
	ui_field_set(&k->f_text, sample_text[l]);
	k->last_input = now - (int64_t)k->conf.idle_timeout * 1000 - 7000;
	bad |= shot(r, k, dir, lc, "14-idle", now);
	k->last_input = now;
	kiosk_goto(k, KS_PIN);
	ui_field_set(&k->f_pin, "12");
	bad |= shot(r, k, dir, lc, "15-pin", now);
	return bad;
}

/* Every screen in the three languages: saved to dir->dir, or timed (dir->frames). */
static int walk(kr *r, kiosk *k, walker *dir)
{
	int64_t now = 1000000;
	int bad = 0;
	for (int l = 0; l < KL_COUNT; l++) {
		kiosk_wipe(k);
		kiosk_set_lang(k, l);
		now += 1000;
		k->last_input = now;
		int rc = walk_filing(r, k, dir, l, now);
		if (rc < 0)
			return 1;
		bad |= rc | walk_info(r, k, dir, l, now);
	}
	kiosk_wipe(k);
	return bad;
}

/* ---- main ---- */

/* What main() sets up, in order, and the event loop uses. */
typedef struct app {
	kiosk_conf conf;
	const char *walk_dir, *id_file;
	int check, bench;
	bw_log log;
	bw_store *st;
	kiosk_local local;
	kiosk_filer filer;
	bw_sync *sync;
	kiosk_syncf syncf;
	kr *r;
	int w, h;
	kiosk k;
	int k_ready;            /* k was set up (kiosk_free owes it) */
	wiper wp;
} app;

/* The settings (the file, then -o overrides in order) and the options. Returns -1 to go
 * on, or the exit status (--print-config, --help, a bad option or setting). */
static int parse_args(app *a, int argc, char **argv)
{
	const char *conf_path = NULL;
	bw_err e;
	kiosk_conf_default(&a->conf);
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-c") && i + 1 < argc)
			conf_path = argv[++i];
	if (conf_path && kiosk_conf_load(&a->conf, conf_path, &e) != BW_OK) {
		fprintf(stderr, "bawaba-kiosk: %s\n", e.msg);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-c") && i + 1 < argc) {
			i++;
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			if (kiosk_conf_set(&a->conf, argv[++i], &e) != BW_OK) {
				fprintf(stderr, "bawaba-kiosk: %s\n", e.msg);
				return 2;
			}
		} else if (!strcmp(argv[i], "--walk") && i + 1 < argc) {
			a->walk_dir = argv[++i];
		} else if (!strcmp(argv[i], "--bench") && i + 1 < argc) {
			a->bench = atoi(argv[++i]);
			if (a->bench < 1 || a->bench > 100000) {
				fprintf(stderr, "bawaba-kiosk: --bench: frames per screen, 1 to 100000\n");
				return 2;
			}
		} else if (!strcmp(argv[i], "--id-file") && i + 1 < argc) {
			a->id_file = argv[++i];
		} else if (!strcmp(argv[i], "--check")) {
			a->check = 1;
		} else if (!strcmp(argv[i], "--print-config")) {
			kiosk_conf_print(stdout);
			return 0;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	return -1;
}

/* The legal time, the catalogues, the local store, and where requests go: the local
 * store, or with a device config the local outbox to the hub. Returns -1 to go on, or the
 * exit status (0 after --check). */
static int open_store(app *a)
{
	bw_err e;
	if (bw_clock_init(a->conf.time_zone, &e) != BW_OK) {
		fprintf(stderr, "bawaba-kiosk: [kiosk] %s\n", e.msg);
		return 2;
	}
	if (bw_i18n_init("kiosk", a->conf.locale_dir, &e) != BW_OK) {
		fprintf(stderr, "bawaba-kiosk: %s\n", e.msg);
		return 2;
	}
	if (bw_store_open(&a->st, a->conf.database, 0, &e) != BW_OK || bw_store_seed(a->st, &e) != BW_OK) {
		fprintf(stderr, "bawaba-kiosk: %s: %s\n", a->conf.database, e.msg);
		return 1;
	}
	if (a->check) {
		printf("configuration OK\n");
		return 0;
	}
	a->local = (kiosk_local){ .st = a->st, .device_num = (unsigned)a->conf.device_num };
	bw_strlcpy(a->local.device, a->conf.device, sizeof a->local.device);
	bw_strlcpy(a->local.site, a->conf.site, sizeof a->local.site);
	a->filer = kiosk_local_filer(&a->local);
	if (a->conf.sync_conf[0] && !a->walk_dir && !a->bench) {
		bw_sync_settings ss;
		bw_sync_callbacks cb = { 0 };
		if (bw_sync_settings_load(a->conf.sync_conf, &ss, &e) != BW_OK ||
		    bw_sync_new(&a->sync, &ss, a->st, &cb, &a->log, &e) != BW_OK) {
			fprintf(stderr, "bawaba-kiosk: %s\n", e.msg);
			return 2;
		}
		a->filer = kiosk_sync_filer(&a->syncf, a->sync);
	}
	return -1;
}

/* The window, the kiosk's screens in it, and the speech. Returns -1 to go on, or the exit
 * status. */
static int open_screen(app *a)
{
	bw_err e;
	kr_settings rs = { .w = a->conf.width, .h = a->conf.height, .fullscreen = a->conf.fullscreen && !a->walk_dir,
			   .fonts_dir = a->conf.fonts_dir, .title = "bawaba" };
	if (kr_open(&a->r, &rs, &e) != BW_OK) {
		fprintf(stderr, "bawaba-kiosk: %s\n", e.msg);
		return 3;
	}
	kr_size(a->r, &a->w, &a->h);
	ui_text_ops ops = kr_text_ops(a->r);
	if (kiosk_init(&a->k, &a->conf, a->st, &a->filer, &ops, a->w, a->h, &a->log, &e) != BW_OK) {
		fprintf(stderr, "bawaba-kiosk: %s\n", e.msg);
		return 1;
	}
	a->k_ready = 1;
	/* speech only in the interactive kiosk (not the screenshot walk or the bench walk) */
	a->wp = (wiper){ a->r, a->walk_dir || a->bench ? NULL : talk_open(&a->conf, &a->log) };
	a->k.on_wipe = forget;
	a->k.on_wipe_arg = &a->wp;
	return -1;
}

/* One event into the UI's input. Returns 1 if it was the citizen's input; *force is set
 * when the frame must be shown again, *key to a key pressed (for the speech). */
static int take_event(app *a, const kr_event *ev, int *force, int *key)
{
	kiosk *k = &a->k;
	switch (ev->type) {
	case KR_EV_PRESS:
		ui_input_press(k->ui, ev->x, ev->y);
		return 1;
	case KR_EV_RELEASE:
		ui_input_release(k->ui, ev->x, ev->y);
		return 1;
	case KR_EV_TEXT:
		ui_input_text(k->ui, ev->text);
		return 1;
	case KR_EV_KEY:
		ui_input_key(k->ui, ev->key);
		talk_key(a->wp.t);
		*key = ev->key;
		return 1;
	case KR_EV_QUIT:
		/* in lockdown a window close is not a way out: the PIN is */
		if (!a->conf.fullscreen)
			stop = 1;
		return 0;
	case KR_EV_RESIZE:
		kr_size(a->r, &a->w, &a->h);
		kiosk_resize(k, a->w, a->h);
		*force = 1;
		return 0;
	case KR_EV_EXPOSE:
		*force = 1;
		return 0;
	}
	return 0;
}

/* The first frame, the lockdown, the bench walk if asked; then until a signal or the
 * agent's PIN: wait for an event or the next timer (the kiosk's, the sync's, the
 * watchdog's), redraw only frames that changed, speak what changed. */
static void run(app *a, int64_t t0)
{
	kiosk *k = &a->k;
	kiosk_frame(k, bw_mono_ms(), 0);
	frame_out(a->r, k);
	uint64_t shown = k->ui->hash;
	log_info(&a->log, "first frame on screen %lld ms after start (%dx%d)", (long long)(bw_mono_ms() - t0), a->w, a->h);
	kr_lockdown(a->r);
	if (a->bench) {
		/* every screen in the three languages on screen, timed; then the kiosk idles
		 * as on site, for the memory and idle CPU figures */
		walker wk = { .frames = a->bench };
		/* the lockdown's full-screen switch rebuilds the window's framebuffer at the
		 * next frame: a one-off of the start (~10 ms), not a frame of the walk */
		frame_out(a->r, k);
		walk(a->r, k, &wk);
		printf("worst frame %.2f ms (%s)\nbench: walked every screen\n", wk.worst_ms, wk.worst);
		fflush(stdout);
		kiosk_frame(k, bw_mono_ms(), 0);
		frame_out(a->r, k);
		shown = k->ui->hash;
	}
	kr_write_window_id(a->r, a->id_file);
	/* systemd (bawaba-kiosk.service): ready with the first screen up; a frozen loop
	 * stops the watchdog pings and gets the kiosk restarted */
	bw_notify nt;
	bw_notify_init(&nt);
	bw_notify_ready("showing the welcome screen");
	while (!stop && !k->quit) {
		bw_notify_alive(&nt);
		int64_t now = bw_mono_ms();
		int to = bw_notify_timeout_ms(&nt, kiosk_timeout_ms(k, now));
		/* at least once a second: a signal sets a flag the loop must see */
		if (to < 0 || to > 1000)
			to = 1000;
		/* SDL cannot wait on the broker's socket: the sync's timers (at most a
		 * second apart) bound the wait, and its socket is polled after it */
		if (a->sync && bw_sync_timeout_ms(a->sync) < to)
			to = bw_sync_timeout_ms(a->sync);
		kr_event ev;
		int input = 0, force = 0, key = 0;
		if (kr_wait(a->r, to, &ev))
			input = take_event(a, &ev, &force, &key);
		if (a->sync) {
			struct pollfd p = { bw_sync_fd(a->sync), POLLIN | (bw_sync_want_write(a->sync) ? POLLOUT : 0), 0 };
			if (p.fd >= 0 && poll(&p, 1, 0) < 0)
				p.revents = 0;
			bw_sync_handle(a->sync, p.fd >= 0 ? p.revents : 0);
		}
		now = bw_mono_ms();
		kiosk_frame(k, now, input);
		if (input)
			kiosk_frame(k, now, 0);  /* what the input changed */
		if (force || k->ui->hash != shown) {
			frame_out(a->r, k);
			shown = k->ui->hash;
		}
		talk_frame(a->wp.t, k, key);
	}
	bw_notify_stopping();
	if (k->quit)
		log_info(&a->log, "agent PIN accepted: leaving");
}

/* Whatever was opened, in the reverse order; the citizen's input wiped first. */
static void close_all(app *a)
{
	if (a->k_ready) {
		kiosk_wipe(&a->k);
		talk_close(a->wp.t);
		kiosk_free(&a->k);
	}
	kr_close(a->r);
	bw_sync_free(a->sync);
	bw_store_close(a->st);
}

int main(int argc, char **argv)
{
	bw_files_private();  /* before anything is created: personal data stays 0600 */
	app a;
	memset(&a, 0, sizeof a);
	int64_t t0 = bw_mono_ms();
	a.log = (bw_log){ .prog = "bawaba-kiosk", .level = BW_LOG_INFO };
	int rc = parse_args(&a, argc, argv);
	if (rc < 0)
		rc = open_store(&a);
	if (rc < 0)
		rc = open_screen(&a);
	if (rc < 0 && a.walk_dir) {
		walker wk = { .dir = a.walk_dir };
		rc = walk(a.r, &a.k, &wk);
	} else if (rc < 0) {
		signal(SIGTERM, on_signal);
		signal(SIGINT, on_signal);
		run(&a, t0);
		rc = 0;
	}
	close_all(&a);
	return rc;
}
