/* main.c: bawaba-agent, the reception agents' console: settings (the agent's broker
 * credentials file, plus a [console] section), the window, the MQTT client, and one loop
 * that waits on the hub's socket and the window's events and redraws only frames that
 * changed. Test and bench hooks: --dump-state, --screenshot-dir (F12), --bench-log,
 * --bench-scroll. Start reading main(). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bw_files.h"
#include "bw_clock.h"
#include "bw_conf.h"
#include "bw_i18n.h"
#include "bw_log.h"
#include "bw_store.h"
#include "client.h"
#include "console.h"
#include "ui/render.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

typedef struct ag_conf {
	ag_client_settings net;
	char id[BW_CODE_MAX + 1], kind[16], site[BW_CODE_MAX + 1];
	int num;
	char lang[4];
	int width, height, sound, backlog_alert;
	char locale_dir[1024], fonts_dir[1024];
	char time_zone[64];   /* legal time (bw_clock_init) */
} ag_conf;

/* The file `bawaba agent add --broker DIR` writes, and what the console adds to it. */
static const bw_conf_key conf_keys[] = {
	BW_LINK_CONF(ag_conf, net.broker, NULL, "the agent's broker user (agent-NAME)"),
	BW_CONF_I("broker", "keepalive", ag_conf, net.broker.keepalive, 5, 3600, "30", "MQTT keepalive, s"),
	BW_CONF_S("device", "id", ag_conf, id, NULL, "the agent's id (same as username)"),
	BW_CONF_S("device", "kind", ag_conf, kind, "agent", "agent"),
	BW_CONF_S("device", "site", ag_conf, site, NULL, "the agent's reception site"),
	BW_CONF_I("device", "num", ag_conf, num, 0, 9999, "0", "unused by agents"),
	BW_CONF_S("console", "lang", ag_conf, lang, "ar", "first language: ar | fr | zgh"),
	BW_CONF_I("console", "width", ag_conf, width, 800, 7680, "1920", "window width"),
	BW_CONF_I("console", "height", ag_conf, height, 600, 4320, "1080", "window height"),
	BW_CONF_B("console", "sound", ag_conf, sound, "false", "beep on new and newly overdue requests"),
	BW_CONF_I("console", "backlog_alert", ag_conf, backlog_alert, 1, 1000000, "20",
		  "a device's outbox this large raises an alert"),
	BW_CONF_I("console", "timeout_ms", ag_conf, net.timeout_ms, 500, 120000, "5000",
		  "a command without the hub's answer by then has failed"),
	BW_CONF_I("console", "reconnect_max_ms", ag_conf, net.broker.reconnect_max_ms, 250, 300000, "5000",
		  "longest wait between connection attempts"),
	BW_CONF_P("console", "locale_dir", ag_conf, locale_dir, BW_LOCALEDIR, "translation catalogues"),
	BW_CONF_P("console", "fonts_dir", ag_conf, fonts_dir, "/usr/share/fonts/truetype/noto", "Noto fonts"),
	BW_CLOCK_CONF("console", ag_conf, time_zone),
	BW_CONF_END,
};

static int64_t real_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: bawaba-agent -c AGENT.conf [options]\n"
		"  -c FILE              the agent's credentials (BROKERDIR/devices/agent-NAME.conf)\n"
		"  -n                   check the settings, say \"configuration OK\" and exit\n"
		"  --lang ar|fr|zgh     first language (Ctrl+L cycles ar, fr, zgh)\n"
		"  --size WxH           window size (1920x1080, 1366x768, ...)\n"
		"  --locale-dir DIR     translation catalogues\n"
		"  --fonts-dir DIR      Noto fonts\n"
		"  --sound              beep on announcements\n"
		"  --print-config       the settings with their defaults\n"
		"test and bench hooks:\n"
		"  --id-file FILE       write the X11 window id there\n"
		"  --dump-state FILE    write the console's state there after each change\n"
		"  --screenshot-dir DIR F12 saves DIR/NN.bmp\n"
		"  --bench-log FILE     one line per queue row change, with the wall clock\n"
		"  --bench-scroll N     no hub: 10,000 rows, N frames scrolled, frame times printed\n"
		"keys: j/k or arrows move, Enter opens, a assign, p in progress, r answer, e extend,\n"
		"      x reject, c close, o reopen, n new request, / filter, F5 refresh, Ctrl+L next language\n");
}

typedef struct app {
	ag_console con;
	ag_client *cl;
	kr *r;
	FILE *bench;
	const char *dump, *shots;
	int nshot, shot_pending;
	int dirty;
	int con_ready;          /* con was set up (ag_console_free owes it) */
	bw_log log;
} app;

/* ---- glue between the client and the console ---- */

static int send_cb(void *arg, const bw_agent_cmd *cmd, uint32_t *corr, bw_err *e)
{
	app *a = arg;
	return a->cl ? ag_client_send(a->cl, cmd, corr, e) : bw_fail(e, BW_EAGAIN, "no hub in this mode");
}

static void msg_cb(void *arg, const char *json, size_t len, uint32_t corr)
{
	app *a = arg;
	ag_console_message(&a->con, json, len, corr);
	a->dirty = 1;
}

static void failed_cb(void *arg, uint32_t corr, int op, int code, const char *why)
{
	app *a = arg;
	ag_console_failed(&a->con, corr, op, why);
	a->dirty = 1;
}

static void state_cb(void *arg, int net, const char *why)
{
	app *a = arg;
	ag_console_net(&a->con, net, why);
	a->dirty = 1;
}

static void row_cb(void *arg, const ag_row *r, int is_new)
{
	app *a = arg;
	if (a->bench)
		fprintf(a->bench, "row %s %s %s %lld\n", r->ref, bw_state_name(r->state), is_new ? "new" : "changed",
			(long long)real_us());
}

/* ---- test hooks ---- */

static void dump_state(app *a)
{
	char tmp[1200];
	ag_console *c = &a->con;
	ag_model *m = &c->model;
	snprintf(tmp, sizeof tmp, "%s.tmp", a->dump);
	FILE *fp = fopen(tmp, "w");
	if (!fp)
		return;
	static const char *const net[] = { "connecting", "online", "lost", "refused" };
	fprintf(fp, "net %s\nlang %s\nloaded %d\nrows %d\nview %d\n", net[c->net & 3],
		ag_lang_code(c->lang), m->loaded, m->nrows, ag_model_view_count(m));
	fprintf(fp, "counts new=%ld assigned=%ld in_progress=%ld extended=%ld overdue=%ld answered_today=%ld\n",
		m->counts[AG_CNT_NEW], m->counts[AG_CNT_ASSIGNED], m->counts[AG_CNT_IN_PROGRESS],
		m->counts[AG_CNT_EXTENDED], m->counts[AG_CNT_OVERDUE], m->counts[AG_CNT_ANSWERED_TODAY]);
	fprintf(fp, "selected %s loaded=%d events=%d\n", m->selected[0] ? m->selected : "-", m->detail.loaded,
		m->detail.nevents);
	fprintf(fp, "modal %d error=%s\n", c->modal, c->modal_error);
	/* what the agent typed in the open dialog (tests compare it with what they typed) */
	fprintf(fp, "note ");
	for (const char *q = c->note; *q; q++)
		fputc(*q == '\n' ? ' ' : *q, fp);
	fputc('\n', fp);
	fprintf(fp, "filetext ");
	for (const char *q = c->f_text_buf; *q; q++)
		fputc(*q == '\n' ? ' ' : *q, fp);
	fputc('\n', fp);
	fprintf(fp, "result ok=%d op=%s ref=%s state=%s error=%s\n", m->result.ok, m->result.op,
		m->result.ref[0] ? m->result.ref : "-", m->result.state >= 0 ? bw_state_name(m->result.state) : "-",
		m->result.error);
	fprintf(fp, "indicators loaded=%d total=%ld answered=%ld in_time=%ld reopened=%ld\n", m->ind.loaded,
		m->ind.total, m->ind.answered, m->ind.in_time, m->ind.reopened);
	for (int i = 0; i < m->ntoasts; i++)
		fprintf(fp, "toast %d %s\n", m->toasts[i].kind, m->toasts[i].what);
	for (int i = 0; i < m->ndevices; i++)
		fprintf(fp, "device %s online=%d outbox=%ld\n", m->devices[i].id, m->devices[i].online,
			m->devices[i].outbox);
	for (int i = 0; i < c->nspots; i++)
		fprintf(fp, "spot %s %d %d %d %d\n", c->spots[i].name, c->spots[i].r.x, c->spots[i].r.y,
			c->spots[i].r.w, c->spots[i].r.h);
	for (int i = 0; i < ag_model_view_count(m) && i < 50; i++)
		fprintf(fp, "viewrow %d %s\n", i, ag_model_view_row(m, i)->ref);
	fprintf(fp, "top %d cursor %d\n", c->top, c->cursor);
	for (int i = 0; i < m->nrows && i < 1000; i++) {
		const ag_row *r = &m->rows[i];
		fprintf(fp, "row %s %s %s %s %s %s overdue=%d\n", r->ref, bw_state_name(r->state), bw_kind_name(r->kind),
			bw_channel_name(r->channel), r->device[0] ? r->device : "-", r->admin, r->overdue);
	}
	fclose(fp);
	rename(tmp, a->dump);
}

static void draw(app *a)
{
	kr_draw(a->r, a->con.ui);
	if (a->shot_pending && a->shots) {
		char path[1200];
		bw_err e;
		snprintf(path, sizeof path, "%s/%02d.bmp", a->shots, ++a->nshot);
		if (kr_screenshot(a->r, path, &e) != BW_OK)
			log_error(&a->log, "screenshot: %s", e.msg);
		else
			log_info(&a->log, "screenshot %s", path);
	}
	a->shot_pending = 0;
	kr_present(a->r);
}

/* Builds a frame; returns 1 when it differs from the one on screen. */
static int frame(app *a, uint64_t *shown)
{
	ag_console_frame(&a->con, bw_mono_ms(), bw_now());
	if (a->dump)
		dump_state(a);
	return a->con.ui->hash != *shown || a->shot_pending;
}

/* ---- bench: frame time while scrolling 10,000 rows ---- */

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return a < b ? -1 : a > b;
}

static int bench_scroll(app *a, int frames)
{
	static const char *const texts[] = {
		"انتظرت ثلاث ساعات في مكتب الحالة المدنية ولم يستقبلني أحد (الشباك رقم 4)",
		"On m'a demandé une pièce qui n'est pas sur la liste publiée au guichet",
		"الحافلة رقم 12 لا تحترم المواعيد المعلنة منذ شهر",
		"Je demande le budget 2025 de la ligne de bus 12 et les chiffres de fréquentation",
	};
	static const char *const kinds[] = { "complaint", "observation", "suggestion", "info" };
	static const char *const states[] = { "received", "assigned", "in_progress", "answered" };
	size_t cap = 10000 * 520 + 256, n = 0;
	char *msg = bw_xmalloc(cap);
	n += (size_t)snprintf(msg, cap, "{\"v\":1,\"type\":\"result\",\"op\":\"queue\",\"ok\":true,\"rows\":[");
	for (int i = 0; i < 10000; i++)
		n += (size_t)snprintf(msg + n, cap - n,
			"%s{\"ref\":\"0001%07d%d\",\"kind\":\"%s\",\"state\":\"%s\",\"channel\":\"%s\",\"admin\":\"TRANSPORT\","
			"\"site\":\"RABAT-IMMAT\",\"device\":\"kiosk-0%d\",\"received_on\":\"2026-11-%02d\",\"deadline\":\"2027-01-%02d\","
			"\"overdue\":%s,\"excerpt\":\"%s\"}", i ? "," : "", i, i % 10, kinds[i % 4], states[i % 4],
			i % 3 ? "kiosk" : "sms", 1 + i % 3, 1 + i % 28, 1 + i % 28, i % 17 ? "false" : "true", texts[i % 4]);
	n += (size_t)snprintf(msg + n, cap - n, "]}");
	ag_console_message(&a->con, msg, n, 0);
	free(msg);
	ag_console_open(&a->con, 0);
	int64_t *t = bw_xmalloc((size_t)frames * sizeof *t), build = 0;
	uint64_t shown = 0;
	frame(a, &shown);
	frame(a, &shown);
	a->shot_pending = a->shots != NULL;   /* the first frame, to look at */
	draw(a);
	for (int i = 0; i < frames; i++) {
		struct timespec t0, tb, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		ag_console_wheel(&a->con, 1);   /* one row per frame: every frame differs */
		frame(a, &shown);
		clock_gettime(CLOCK_MONOTONIC, &tb);
		draw(a);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		t[i] = (int64_t)(t1.tv_sec - t0.tv_sec) * 1000000 + (t1.tv_nsec - t0.tv_nsec) / 1000;
		build += (int64_t)(tb.tv_sec - t0.tv_sec) * 1000000 + (tb.tv_nsec - t0.tv_nsec) / 1000;
		kr_event ev;
		while (kr_wait(a->r, 0, &ev))
			;
	}
	qsort(t, (size_t)frames, sizeof *t, cmp_i64);
	/* resident memory with the 10,000 rows: RSS and PSS from the kernel's rollup */
	long rss = -1, pss = -1;
	FILE *sm = fopen("/proc/self/smaps_rollup", "r");
	char ln[256];
	while (sm && fgets(ln, sizeof ln, sm)) {
		sscanf(ln, "Rss: %ld kB", &rss);
		sscanf(ln, "Pss: %ld kB", &pss);
	}
	if (sm)
		fclose(sm);
	printf("frames %d rows %d p50_us %lld p99_us %lld max_us %lld build_mean_us %lld rss_kib %ld pss_kib %ld\n",
	       frames, a->con.model.nrows, (long long)t[frames / 2], (long long)t[frames * 99 / 100],
	       (long long)t[frames - 1], (long long)(build / frames), rss, pss);
	free(t);
	return 0;
}

/* ---- main ---- */

/* The command line: a settings file and what overrides it, the test and bench hooks. */
typedef struct opts {
	const char *conf_path, *id_file, *bench_log;
	const char *lang, *locale, *fonts;
	int check, w, h, sound, scroll;
} opts;

/* Returns -1 to go on, or the exit status (--print-config, --help, a bad option). */
static int parse_args(app *a, opts *o, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(s, "-c") && v) o->conf_path = argv[++i];
		else if (!strcmp(s, "-n")) o->check = 1;
		else if (!strcmp(s, "--lang") && v) o->lang = argv[++i];
		else if (!strcmp(s, "--locale-dir") && v) o->locale = argv[++i];
		else if (!strcmp(s, "--fonts-dir") && v) o->fonts = argv[++i];
		else if (!strcmp(s, "--size") && v && sscanf(argv[++i], "%dx%d", &o->w, &o->h) == 2) continue;
		else if (!strcmp(s, "--sound")) o->sound = 1;
		else if (!strcmp(s, "--id-file") && v) o->id_file = argv[++i];
		else if (!strcmp(s, "--dump-state") && v) a->dump = argv[++i];
		else if (!strcmp(s, "--screenshot-dir") && v) a->shots = argv[++i];
		else if (!strcmp(s, "--bench-log") && v) o->bench_log = argv[++i];
		else if (!strcmp(s, "--bench-scroll") && v) o->scroll = atoi(argv[++i]);
		else if (!strcmp(s, "--print-config")) {
			bw_conf_print(conf_keys, stdout);
			return 0;
		} else if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	return -1;
}

/* The settings (defaults, the agent's file, the options over them), checked; then the
 * legal time and the catalogues. Returns -1 to go on, or the exit status (0 after -n). */
static int load_conf(ag_conf *conf, const opts *o)
{
	bw_err e;
	if (bw_conf_defaults(conf_keys, conf, &e) != BW_OK) {
		fprintf(stderr, "bawaba-agent: %s\n", e.msg);
		return 2;
	}
	if (!o->conf_path && !o->scroll) {
		fprintf(stderr, "bawaba-agent: -c AGENT.conf is needed (BROKERDIR/devices/agent-NAME.conf)\n");
		usage(stderr);
		return 2;
	}
	if (o->conf_path && bw_conf_load(o->conf_path, conf_keys, conf, &e) != BW_OK) {
		fprintf(stderr, "bawaba-agent: %s\n", e.msg);
		return 2;
	}
	if (o->lang) bw_strlcpy(conf->lang, o->lang, sizeof conf->lang);
	if (o->locale) bw_strlcpy(conf->locale_dir, o->locale, sizeof conf->locale_dir);
	if (o->fonts) bw_strlcpy(conf->fonts_dir, o->fonts, sizeof conf->fonts_dir);
	if (o->w > 0 && o->h > 0) {
		conf->width = o->w;
		conf->height = o->h;
	}
	if (o->sound) conf->sound = 1;
	if (ag_lang_of(conf->lang) < 0) {
		fprintf(stderr, "bawaba-agent: lang: '%s' is not ar, fr or zgh\n", conf->lang);
		return 2;
	}
	if (o->conf_path && (strncmp(conf->net.broker.username, "agent-", 6) != 0 ||
			     strcmp(conf->id, conf->net.broker.username) != 0)) {
		fprintf(stderr, "bawaba-agent: %s: not an agent's file (username agent-NAME, [device] id the same)\n",
			o->conf_path);
		return 2;
	}
	if (bw_clock_init(conf->time_zone, &e) != BW_OK) {
		fprintf(stderr, "bawaba-agent: [console] %s\n", e.msg);
		return 2;
	}
	if (bw_i18n_init("agent", conf->locale_dir, &e) != BW_OK) {
		fprintf(stderr, "bawaba-agent: %s\n", e.msg);
		return 2;
	}
	if (o->check) {
		printf("configuration OK\n");
		return 0;
	}
	return -1;
}

/* The bench log, the window and the console in it (with the shipped catalogue for the
 * administrations' names: an agent's PC has no hub database, and the catalogue is part
 * of the program). Returns -1 to go on, or the exit status. */
static int open_console(app *a, const ag_conf *conf, const opts *o)
{
	bw_err e;
	bw_store *cat;
	if (bw_store_open(&cat, ":memory:", BW_STORE_SCRATCH, &e) != BW_OK || bw_store_seed(cat, &e) != BW_OK) {
		fprintf(stderr, "bawaba-agent: catalogue: %s\n", e.msg);
		return 1;
	}
	if (o->bench_log && !(a->bench = fopen(o->bench_log, "w"))) {
		fprintf(stderr, "bawaba-agent: %s: %s\n", o->bench_log, strerror(errno));
		bw_store_close(cat);
		return 2;
	}
	if (a->bench)
		setvbuf(a->bench, NULL, _IOLBF, 0);
	kr_settings rs = { .w = conf->width, .h = conf->height, .fonts_dir = conf->fonts_dir,
			   .title = "bawaba — agent", .desk = 1 };
	if (kr_open(&a->r, &rs, &e) != BW_OK) {
		fprintf(stderr, "bawaba-agent: %s\n", e.msg);
		bw_store_close(cat);
		return 3;
	}
	int w, h;
	kr_size(a->r, &w, &h);
	ui_text_ops ops = kr_text_ops(a->r);
	ag_sender snd = { a, send_cb };
	int rc = ag_console_init(&a->con, &ops, w, h,
				 conf->net.broker.username[0] ? conf->net.broker.username : "agent-bench",
				 conf->site[0] ? conf->site : "-", ag_lang_of(conf->lang), cat, &snd, &a->log, &e);
	bw_store_close(cat);
	if (rc != BW_OK) {
		fprintf(stderr, "bawaba-agent: %s\n", e.msg);
		return 1;
	}
	a->con_ready = 1;
	a->con.sound = conf->sound;
	a->con.model.backlog_alert = conf->backlog_alert;
	a->con.model.on_row = row_cb;
	a->con.model.on_row_arg = a;
	return -1;
}

/* One window event into the console (F12: a screenshot); each input makes its frames
 * (a press and its release land in different frames). *shown is the hash on screen, 0
 * to redraw. */
static void take_event(app *a, const kr_event *ev, uint64_t *shown, int64_t *last_input)
{
	int input = 1;
	if (ev->type != KR_EV_MOVE)
		/* never what was typed: a password, a citizen's name or answer */
		log_debug(&a->log, "input %d at %d,%d key %d text %zu bytes", ev->type, ev->x, ev->y, ev->key,
			  ev->type == KR_EV_TEXT ? strlen(ev->text) : (size_t)0);
	switch (ev->type) {
	case KR_EV_PRESS: ui_input_press(a->con.ui, ev->x, ev->y); break;
	case KR_EV_RELEASE: ui_input_release(a->con.ui, ev->x, ev->y); break;
	case KR_EV_MOVE: ui_input_move(a->con.ui, ev->x, ev->y); break;
	case KR_EV_TEXT: ag_console_text(&a->con, ev->text); break;
	case KR_EV_WHEEL: ag_console_wheel(&a->con, ev->wheel); break;
	case KR_EV_KEY:
		if (ev->key == UI_KEY_F12)
			a->shot_pending = 1;
		else
			ag_console_key(&a->con, ev->key);
		break;
	case KR_EV_QUIT: stop = 1; input = 0; break;
	case KR_EV_RESIZE: {
		int w, h;
		kr_size(a->r, &w, &h);
		ag_console_resize(&a->con, w, h);
		*shown = 0;
		break;
	}
	case KR_EV_EXPOSE: *shown = 0; break;
	}
	if (!input)
		return;
	*last_input = bw_mono_ms();
	frame(a, shown);
	frame(a, shown);   /* what the input changed */
	if (a->con.ui->hash != *shown || a->shot_pending) {
		draw(a);
		*shown = a->con.ui->hash;
	}
	a->dirty = 0;
}

/* The first frame, then until a signal or Ctrl+Q: the hub's socket and the window's
 * events, and once a second the clock (toasts expire, the day turns, refreshes). */
static void run(app *a, const char *id_file)
{
	uint64_t shown = 0;
	frame(a, &shown);
	draw(a);
	shown = a->con.ui->hash;
	kr_write_window_id(a->r, id_file);
	int64_t last_input = 0, next_tick = 0;
	while (!stop && !a->con.quit) {
		/* SDL cannot wait on our socket, so the loop waits on the socket in slices and
		 * looks at the window's queue between them: a message wakes it at once, input
		 * within a slice (10 ms while the agent works, 40 ms when idle) */
		int64_t now = bw_mono_ms();
		int slice = now - last_input < 2000 ? 10 : 40;
		int to = ag_client_timeout_ms(a->cl);
		if (to > slice)
			to = slice;
		struct pollfd p = { ag_client_fd(a->cl), POLLIN | (ag_client_want_write(a->cl) ? POLLOUT : 0), 0 };
		if (poll(&p, p.fd >= 0, to) < 0 && errno != EINTR)
			break;
		ag_client_handle(a->cl, p.fd >= 0 ? p.revents : 0);
		kr_event ev;
		while (kr_wait(a->r, 0, &ev))
			take_event(a, &ev, &shown, &last_input);
		now = bw_mono_ms();
		if (a->dirty || now >= next_tick) {
			next_tick = now + 1000;
			int beeps = a->con.model.beeps;
			if (frame(a, &shown)) {
				draw(a);
				shown = a->con.ui->hash;
			}
			if (beeps && a->con.sound)
				kr_beep(a->r);
			a->con.model.beeps = 0;
			a->dirty = 0;
		}
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	log_info(&a->log, "bye (max RSS %ld KiB)", ru.ru_maxrss);
}

int main(int argc, char **argv)
{
	bw_files_private();  /* before anything is created: personal data stays 0600 */
	ag_conf conf;
	opts o = { 0 };
	bw_err e;
	static app a;   /* large (the UI context's buffers): not on the stack */
	a.log = (bw_log){ .prog = "bawaba-agent", .level = getenv("BAWABA_DEBUG") ? BW_LOG_DEBUG : BW_LOG_INFO };
	int rc = parse_args(&a, &o, argc, argv);
	if (rc < 0)
		rc = load_conf(&conf, &o);
	if (rc < 0)
		rc = open_console(&a, &conf, &o);
	if (rc < 0 && o.scroll > 0) {
		rc = bench_scroll(&a, o.scroll);
	} else if (rc < 0) {
		ag_client_callbacks cb = { &a, msg_cb, failed_cb, state_cb };
		if (ag_client_new(&a.cl, &conf.net, &cb, &a.log, &e) != BW_OK) {
			fprintf(stderr, "bawaba-agent: %s\n", e.msg);
			rc = 2;
		} else {
			signal(SIGTERM, on_signal);
			signal(SIGINT, on_signal);
			signal(SIGPIPE, SIG_IGN);
			run(&a, o.id_file);
			rc = 0;
		}
	}
	ag_client_free(a.cl);
	if (a.con_ready)
		ag_console_free(&a.con);
	kr_close(a.r);
	if (a.bench)
		fclose(a.bench);
	return rc;
}
