/* main.c: bawaba-kiosk: settings, the local store, the window, and the event loop that
 * sleeps until an event or the next timer and redraws only frames that changed. Also the
 * hidden --walk mode that shows every screen in the three languages and saves them, and
 * the --bench mode that walks them on screen and times their frames (bench/kiosk.sh).
 * Start reading main(). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
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

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
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
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(bw_store_db(k->catalog), "UPDATE requests SET code = '4821' WHERE ref = ?1",
			       -1, &q, NULL) == SQLITE_OK) {
		sqlite3_bind_text(q, 1, k->in.ref, -1, SQLITE_STATIC);
		sqlite3_step(q);
		sqlite3_finalize(q);
	}
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

static int walk(kr *r, kiosk *k, walker *dir)
{
	static const char *const code[KL_COUNT] = { "ar", "zgh", "fr" };
	int64_t now = 1000000;
	int bad = 0;
	for (int l = 0; l < KL_COUNT; l++) {
		const char *lc = code[l];
		kiosk_wipe(k);
		kiosk_set_lang(k, l);
		now += 1000;
		k->last_input = now;
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
			return 1;
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
			return 1;
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
	}
	kiosk_wipe(k);
	return bad;
}

/* ---- main ---- */

int main(int argc, char **argv)
{
	bw_files_private();  /* before anything is created: personal data stays 0600 */
	kiosk_conf conf;
	const char *conf_path = NULL, *walk_dir = NULL, *id_file = NULL;
	int check = 0, bench = 0;
	bw_err e;
	bw_log log = { .prog = "bawaba-kiosk", .level = BW_LOG_INFO };
	int64_t t0 = mono_ms();

	kiosk_conf_default(&conf);
	/* settings first (the file), then -o overrides in order */
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-c") && i + 1 < argc)
			conf_path = argv[++i];
	if (conf_path && kiosk_conf_load(&conf, conf_path, &e) != BW_OK) {
		fprintf(stderr, "bawaba-kiosk: %s\n", e.msg);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-c") && i + 1 < argc) {
			i++;
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			if (kiosk_conf_set(&conf, argv[++i], &e) != BW_OK) {
				fprintf(stderr, "bawaba-kiosk: %s\n", e.msg);
				return 2;
			}
		} else if (!strcmp(argv[i], "--walk") && i + 1 < argc) {
			walk_dir = argv[++i];
		} else if (!strcmp(argv[i], "--bench") && i + 1 < argc) {
			bench = atoi(argv[++i]);
			if (bench < 1 || bench > 100000) {
				fprintf(stderr, "bawaba-kiosk: --bench: frames per screen, 1 to 100000\n");
				return 2;
			}
		} else if (!strcmp(argv[i], "--id-file") && i + 1 < argc) {
			id_file = argv[++i];
		} else if (!strcmp(argv[i], "--check")) {
			check = 1;
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

	if (bw_clock_init(conf.time_zone, &e) != BW_OK) {
		fprintf(stderr, "bawaba-kiosk: [kiosk] %s\n", e.msg);
		return 2;
	}
	if (bw_i18n_init("kiosk", conf.locale_dir, &e) != BW_OK) {
		fprintf(stderr, "bawaba-kiosk: %s\n", e.msg);
		return 2;
	}
	bw_store *st;
	if (bw_store_open(&st, conf.database, 0, &e) != BW_OK || bw_store_seed(st, &e) != BW_OK) {
		fprintf(stderr, "bawaba-kiosk: %s: %s\n", conf.database, e.msg);
		return 1;
	}
	if (check) {
		printf("configuration OK\n");
		bw_store_close(st);
		return 0;
	}
	kiosk_local local = { .st = st, .device_num = (unsigned)conf.device_num };
	bw_strlcpy(local.device, conf.device, sizeof local.device);
	bw_strlcpy(local.site, conf.site, sizeof local.site);
	kiosk_filer filer = kiosk_local_filer(&local);
	/* with a device config, requests go through the local outbox to the hub */
	bw_sync *sync = NULL;
	kiosk_syncf syncf;
	if (conf.sync_conf[0] && !walk_dir && !bench) {
		bw_sync_settings ss;
		bw_sync_callbacks cb = { 0 };
		if (bw_sync_settings_load(conf.sync_conf, &ss, &e) != BW_OK ||
		    bw_sync_new(&sync, &ss, st, &cb, &log, &e) != BW_OK) {
			fprintf(stderr, "bawaba-kiosk: %s\n", e.msg);
			bw_store_close(st);
			return 2;
		}
		filer = kiosk_sync_filer(&syncf, sync);
	}

	kr *r;
	kr_settings rs = { .w = conf.width, .h = conf.height, .fullscreen = conf.fullscreen && !walk_dir,
			   .fonts_dir = conf.fonts_dir, .title = "bawaba" };
	if (kr_open(&r, &rs, &e) != BW_OK) {
		fprintf(stderr, "bawaba-kiosk: %s\n", e.msg);
		bw_sync_free(sync);
		bw_store_close(st);
		return 3;
	}
	int w, h;
	kr_size(r, &w, &h);
	ui_text_ops ops = kr_text_ops(r);
	kiosk k;
	if (kiosk_init(&k, &conf, st, &filer, &ops, w, h, &log, &e) != BW_OK) {
		fprintf(stderr, "bawaba-kiosk: %s\n", e.msg);
		kr_close(r);
		bw_sync_free(sync);
		bw_store_close(st);
		return 1;
	}
	/* speech only in the interactive kiosk (not the screenshot walk or the bench walk) */
	wiper wp = { r, walk_dir || bench ? NULL : talk_open(&conf, &log) };
	k.on_wipe = forget;
	k.on_wipe_arg = &wp;

	int rc = 0;
	if (walk_dir) {
		walker wk = { .dir = walk_dir };
		rc = walk(r, &k, &wk);
		goto out;
	}

	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	kiosk_frame(&k, mono_ms(), 0);
	frame_out(r, &k);
	uint64_t shown = k.ui->hash;
	log_info(&log, "first frame on screen %lld ms after start (%dx%d)", (long long)(mono_ms() - t0), w, h);
	kr_lockdown(r);
	if (bench) {
		/* every screen in the three languages on screen, timed; then the kiosk idles
		 * as on site, for the memory and idle CPU figures */
		walker wk = { .frames = bench };
		/* the lockdown's full-screen switch rebuilds the window's framebuffer at the
		 * next frame: a one-off of the start (~10 ms), not a frame of the walk */
		frame_out(r, &k);
		walk(r, &k, &wk);
		printf("worst frame %.2f ms (%s)\nbench: walked every screen\n", wk.worst_ms, wk.worst);
		fflush(stdout);
		kiosk_frame(&k, mono_ms(), 0);
		frame_out(r, &k);
		shown = k.ui->hash;
	}
	if (id_file) {
		FILE *fp = fopen(id_file, "w");
		if (fp) {
			fprintf(fp, "%lu\n", kr_x11_window(r));
			fclose(fp);
		}
	}
	/* systemd (bawaba-kiosk.service): ready with the first screen up; a frozen loop
	 * stops the watchdog pings and gets the kiosk restarted */
	bw_notify nt;
	bw_notify_init(&nt);
	bw_notify_ready("showing the welcome screen");
	while (!stop && !k.quit) {
		bw_notify_alive(&nt);
		int64_t now = mono_ms();
		int to = bw_notify_timeout_ms(&nt, kiosk_timeout_ms(&k, now));
		/* at least once a second: a signal sets a flag the loop must see */
		if (to < 0 || to > 1000)
			to = 1000;
		/* SDL cannot wait on the broker's socket: the sync's timers (at most a
		 * second apart) bound the wait, and its socket is polled after it */
		if (sync && bw_sync_timeout_ms(sync) < to)
			to = bw_sync_timeout_ms(sync);
		kr_event ev;
		int input = 0, force = 0, key = 0;
		if (kr_wait(r, to, &ev)) {
			switch (ev.type) {
			case KR_EV_PRESS:
				ui_input_press(k.ui, ev.x, ev.y);
				input = 1;
				break;
			case KR_EV_RELEASE:
				ui_input_release(k.ui, ev.x, ev.y);
				input = 1;
				break;
			case KR_EV_TEXT:
				ui_input_text(k.ui, ev.text);
				input = 1;
				break;
			case KR_EV_KEY:
				ui_input_key(k.ui, ev.key);
				talk_key(wp.t);
				key = ev.key;
				input = 1;
				break;
			case KR_EV_QUIT:
				/* in lockdown a window close is not a way out: the PIN is */
				if (!conf.fullscreen)
					stop = 1;
				break;
			case KR_EV_RESIZE:
				kr_size(r, &w, &h);
				kiosk_resize(&k, w, h);
				force = 1;
				break;
			case KR_EV_EXPOSE:
				force = 1;
				break;
			}
		}
		if (sync) {
			struct pollfd p = { bw_sync_fd(sync), POLLIN | (bw_sync_want_write(sync) ? POLLOUT : 0), 0 };
			if (p.fd >= 0 && poll(&p, 1, 0) < 0)
				p.revents = 0;
			bw_sync_handle(sync, p.fd >= 0 ? p.revents : 0);
		}
		now = mono_ms();
		kiosk_frame(&k, now, input);
		if (input)
			kiosk_frame(&k, now, 0);  /* what the input changed */
		if (force || k.ui->hash != shown) {
			frame_out(r, &k);
			shown = k.ui->hash;
		}
		talk_frame(wp.t, &k, key);
	}
	bw_notify_stopping();
	if (k.quit)
		log_info(&log, "agent PIN accepted: leaving");
out:
	kiosk_wipe(&k);
	talk_close(wp.t);
	kiosk_free(&k);
	kr_close(r);
	bw_sync_free(sync);
	bw_store_close(st);
	return rc;
}
