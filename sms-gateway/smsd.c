/* smsd.c: bawaba-smsd, the SMS gateway daemon: one poll loop drives the link to the hub
 * (bw_sync) and, on a timer, the modems (read, store, delete), the conversation (file,
 * reply) and the one send queue shared by every modem. Start reading at main(). */
#include "smsd_int.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>

#include "bw_files.h"
#include "bw_i18n.h"
#include "bw_notify.h"
#include "bw_phone.h"
#include "bw_signal.h"
#include "dummy.h"
#include "sim.h"

static volatile sig_atomic_t got_term, got_usr1;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		got_usr1 = 1;
	else
		got_term = 1;
}

/* Receive callback: the message is committed before the modem is told to delete it. */
static int on_receive(void *arg, sms_in *m)
{
	gw *g = arg;
	bw_err e;
	char mask[20], e164[14];
	crash_point(g, "before-commit");
	/* the pass's transaction, begun here so a pass with nothing new takes no lock */
	if (!g->rx_open) {
		if (bw_store_begin(g->st, &e)) {
			log_error(&g->log, "%s: inbox: %s", m->modem, e.msg);
			return BW_EDB;
		}
		g->rx_open = 1;
	}
	int rc = sms_db_inbox_add(g->db, m, &e);
	if (rc == BW_OK) {
		g->received++;
		log_debug(&g->log, "%s: received %d/%d parts from %s (row %lld)", m->modem, m->parts,
			  m->parts_total, bw_phone_normalize(m->sender, e164, NULL) ? "(not a Moroccan number)" :
			  bw_phone_mask(e164, mask, sizeof mask), (long long)m->id);
	} else if (rc == BW_EEXIST) {
		g->duplicates++;   /* read again after a crash before the delete */
	} else {
		log_error(&g->log, "%s: %s", m->modem, e.msg);
	}
	return rc;
}

/* The receive pass's one commit (sms_modem_set_group_commit): after it the messages may
 * leave the modem. */
static int on_group_commit(void *arg)
{
	gw *g = arg;
	bw_err e;
	int rc = bw_store_commit(g->st, &e);
	g->rx_open = 0;
	if (rc) {
		bw_store_rollback(g->st);
		log_error(&g->log, "inbox: %s (the messages stay on the modem)", e.msg);
		return rc;
	}
	crash_point(g, "after-commit");
	return BW_OK;
}

/* Deleted callback: a message without a network timestamp gives up its place-based
 * dedupe key, now that its place on the modem may hold the next message. */
static int on_deleted(void *arg, sms_in *m)
{
	gw *g = arg;
	bw_err e;
	if (m->sent_at < 0 && m->id > 0 && sms_db_inbox_deleted(g->db, m->id, &e))
		log_error(&g->log, "%s: %s", m->modem, e.msg);
	return BW_OK;
}

static int submit_sync(void *arg, bw_request *r, bw_err *e)
{
	gw *g = arg;
	int rc = g->conv.grouped ? bw_sync_submit_tx(g->sync, r, e) : bw_sync_submit(g->sync, r, e);
	crash_point(g, "after-file");
	return rc;
}

static int submit_local(void *arg, bw_request *r, bw_err *e)
{
	gw *g = arg;
	int rc = sms_submit_local(&g->local, r, e);
	crash_point(g, "after-file");
	return rc;
}

/* Runs inside bw_sync's notification transaction: a failure to queue the citizen's SMS
 * rolls the notification back, and the hub's replay brings it again (sms_conv_notify is
 * idempotent per event), so no notification is lost to a crash or a busy database. */
static int on_notify(void *arg, const bw_event *ev, const char *ref, const bw_request *r)
{
	gw *g = arg;
	bw_err e;
	int rc = sms_conv_notify(&g->conv, ev, ref, r, now_s(), &e);
	if (rc)
		log_error(&g->log, "notification of %s: %s (the hub will send it again)", ref, e.msg);
	return rc;
}

static void on_figures(void *arg, int *signal, int *queue)
{
	gw *g = arg;
	long n = sms_db_outbox_pending(g->db);
	*queue = n > INT_MAX ? INT_MAX : (int)n;
	*signal = -1;    /* the weakest modem's: the one an operator should look at */
	for (int i = 0; i < g->set->nmodems; i++) {
		int s = sms_modem_signal(g->modems[i]);
		if (s >= 0 && (*signal < 0 || s < *signal))
			*signal = s;
	}
}

/* Modems: reconnect the ones that are down (with backoff), read the ones that are up. */
static void turn_receive(gw *g, int64_t now)
{
	for (int i = 0; i < g->set->nmodems; i++) {
		sms_modem *m = g->modems[i];
		bw_err e;
		int more = 0;
		if (!sms_modem_is_up(m)) {
			if (now < g->reset_at[i])
				continue;
			if (sms_modem_reset(m, &e)) {
				g->reset_ms[i] = g->reset_ms[i] ? g->reset_ms[i] * 2 : RESET_MIN_MS;
				if (g->reset_ms[i] > RESET_MAX_MS)
					g->reset_ms[i] = RESET_MAX_MS;
				g->reset_at[i] = now + (int64_t)g->reset_ms[i] * 1000000;
				log_warn(&g->log, "%s (next try in %d s)", e.msg, g->reset_ms[i] / 1000);
				continue;
			}
			g->reset_ms[i] = 0;
			log_info(&g->log, "%s: connected", sms_modem_name(m));
		}
		/* the pass's messages in one transaction (begun at the first, see on_receive),
		 * committed once before any delete */
		if (sms_modem_receive(m, g->set->batch, g->set->conv.partial_wait, on_receive,
				      on_deleted, g, &more, &e))
			log_warn(&g->log, "%s", e.msg);
		if (g->rx_open) {   /* nothing new stored, or the pass failed: nothing deleted */
			bw_store_rollback(g->st);
			g->rx_open = 0;
		}
		g->busy |= more;
	}
}

/* Opens the batch's transaction: the messages of a turn are filed and answered under
 * one commit (one fsync instead of two per message). 1 if open; 0 (each message then
 * has transactions of its own) if the store could not begin one. */
static int batch_begin(gw *g)
{
	bw_err e;
	if (bw_store_begin(g->st, &e)) {
		log_warn(&g->log, "inbox: %s (messages processed one by one)", e.msg);
		return 0;
	}
	g->conv.grouped = 1;
	g->local.in_tx = 1;
	return 1;
}

/* Commits the batch: only now are its requests, replies and outcomes durable, and only
 * now may the requests go to the hub. A failed commit rolls the whole batch back: its
 * messages are still new and are processed again (same request uids). */
static void batch_end(gw *g, long done)
{
	bw_err e;
	g->conv.grouped = 0;
	g->local.in_tx = 0;
	crash_point(g, "before-batch-commit");
	if (bw_store_commit(g->st, &e)) {
		bw_store_rollback(g->st);
		g->processed -= done;
		log_error(&g->log, "inbox: commit of %ld message(s): %s (will retry)", done, e.msg);
		return;
	}
	if (g->sync && done)
		bw_sync_pump(g->sync);
}

/* The conversation: up to batch stored messages, oldest first, in one transaction. */
static void turn_process(gw *g)
{
	sms_in *m = bw_xmalloc(sizeof *m);
	int grouped = batch_begin(g);
	long done = 0;
	for (int k = 0; k < g->set->batch; k++) {
		bw_err e;
		const char *outcome;
		int rc = sms_db_inbox_next(g->db, m, &e);
		if (rc == BW_ENOTFOUND)
			break;
		int64_t t0 = sms_mono_ns();
		if (rc == BW_OK)
			rc = sms_conv_handle(&g->conv, m, now_s(), &outcome, &e);
		g->handle_ns += sms_mono_ns() - t0;
		if (rc) {
			log_error(&g->log, "inbox row %lld: %s (will retry)", (long long)m->id, e.msg);
			break;
		}
		g->processed++;
		done++;
		log_debug(&g->log, "inbox row %lld: %s", (long long)m->id, outcome);
		if (k + 1 == g->set->batch)
			g->busy = 1;
	}
	if (grouped)
		batch_end(g, done);
	free(m);
}

/* ms until the modems need a turn: now if work is left, else the next poll or, when the
 * queue waits only for a SIM's tokens, the moment one has them. */
static int modem_timeout_ms(gw *g, int64_t now)
{
	if (g->busy)
		return 0;
	int64_t ms = (g->next_tick - now) / 1000000;
	if (ms < 0)
		ms = 0;
	sms_out o;
	if (sms_db_outbox_due(g->db, now_s(), 0, &o, NULL) == BW_OK) {
		for (int i = 0; i < g->set->nmodems; i++) {
			if (g->set->modems[i].rate_per_minute <= 0 || !sms_modem_is_up(g->modems[i]))
				continue;
			int w = sms_modem_send_wait_ms(g->modems[i], 1);
			if (w < ms)
				ms = w;
		}
	}
	return (int)ms;
}

static void turn(gw *g, int64_t now)
{
	g->busy = 0;
	turn_receive(g, now);
	turn_process(g);
	smsd_turn_send(g);
	if (now >= g->next_expire) {
		bw_err e;
		int n;
		if (sms_conv_expire(&g->conv, now_s(), g->set->batch, &n, &e))
			log_error(&g->log, "conversations: %s", e.msg);
		else if (n)
			log_info(&g->log, "%d conversation(s) timed out", n);
		g->next_expire = now + EXPIRE_EVERY_NS;
	}
	g->next_tick = now + (int64_t)g->set->poll_ms * 1000000;
}

/* 1 when nothing is left to read, process or send now (for --drain). */
static int idle(gw *g)
{
	sms_in *m = bw_xmalloc(sizeof *m);
	sms_out o;
	int busy = g->busy || sms_db_inbox_next(g->db, m, NULL) == BW_OK;
	free(m);
	if (!busy && sms_db_outbox_due(g->db, now_s(), 0, &o, NULL) == BW_OK) {
		for (int i = 0; i < g->set->nmodems; i++)
			busy |= g->set->modems[i].rate_per_minute > 0 && sms_modem_is_up(g->modems[i]);
	}
	return !busy;
}

static int64_t gammu_ns(gw *g, long *calls)
{
	long c;
	int64_t total = 0, ns;
	*calls = 0;
	for (int i = 0; i < g->set->nmodems; i++) {
		sms_modem_stats(g->modems[i], &c, &ns);
		*calls += c;
		total += ns;
	}
	return total;
}

static double cpu_now(void)
{
	struct timespec cpu;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
	return cpu.tv_sec + cpu.tv_nsec / 1e9;
}

static void print_stats(gw *g, FILE *fp, int64_t wall_ns)
{
	long calls;
	double cpu_s = cpu_now() - g->cpu_start;
	double gammu_s = (gammu_ns(g, &calls) - g->gammu_start) / 1e9;
	long n = g->processed ? g->processed : 1;
	fprintf(fp, "stats: received %ld (duplicates %ld), processed %ld, parts sent %ld, send failures %ld\n",
		g->received, g->duplicates, g->processed, g->parts_sent, g->send_failed);
	fprintf(fp, "stats: main loop: wall %.3f s, cpu %.3f s, inside libGammu %.3f s (%ld calls)\n",
		wall_ns / 1e9, cpu_s, gammu_s, calls);
	fprintf(fp, "stats: conversation %.3f ms/message; gateway beyond libGammu %.3f ms/message\n",
		g->handle_ns / 1e6 / n, (cpu_s - gammu_s) * 1000.0 / n);
}

static const char usage[] =
	"usage: bawaba-smsd [-c FILE] [-n] [-v] [--stats] [--drain]\n"
	"       bawaba-smsd [-c FILE] --probe\n"
	"       bawaba-smsd --print-config | --help\n"
	"The SMS gateway: reads citizens' SMS from GSM modems (libGammu), files their requests,\n"
	"answers in their language, tells them when a request moves; syncs with the hub.\n"
	"  -c FILE        configuration (INI); default /etc/bawaba/smsd.conf\n"
	"  -n             checks the configuration, the database and the catalogues,\n"
	"                 prints \"configuration OK\"\n"
	"  -v             debug logging\n"
	"  --stats        prints figures at exit (messages, time inside libGammu, CPU per message)\n"
	"  --drain        exits once nothing is left to read, process or send now\n"
	"  --probe        connects to each modem (entering the SIM's PIN), prints the modem,\n"
	"                 SIM, network and signal, and exits (0 if every modem answered)\n"
	"  --print-config prints every setting with its default and meaning\n"
	"Signals: TERM/INT finish the turn and exit; USR1 logs the figures.\n"
	"Test hook: BAWABA_SMSD_CRASH_AT=before-commit|after-commit|after-file|\n"
	"before-batch-commit|before-send "
	"makes the program _exit(137) at that point (see bawaba-smsd(8)).\n";

static int setup(gw *g, int check, bw_err *e)
{
	int rc;
	if ((rc = bw_i18n_init("sms", g->set->localedir, e)))
		return rc;
	if ((rc = bw_store_open(&g->st, g->set->db, 0, e)) || (rc = bw_store_seed(g->st, e)) ||
	    (rc = sms_db_open(&g->db, g->st, e)))
		return rc;
	sms_submit_fn submit = submit_local;
	if (g->set->sync[0]) {
		bw_sync_settings ss;
		bw_sync_callbacks cb = { .arg = g, .notify_tx = on_notify, .figures = on_figures };
		bw_sync_settings_default(&ss);
		if ((rc = bw_sync_settings_load(g->set->sync, &ss, e)))
			return rc;
		if (!check && (rc = bw_sync_new(&g->sync, &ss, g->st, &cb, &g->log, e)))
			return rc;
		submit = submit_sync;
	} else {
		g->local.st = g->st;
		g->local.num = (unsigned)g->set->device_num;
		bw_strlcpy(g->local.device, g->set->device, sizeof g->local.device);
		bw_strlcpy(g->local.site, g->set->site, sizeof g->local.site);
	}
	if ((rc = sms_conv_init(&g->conv, &g->set->conv, g->db, submit, g, &g->log, e)))
		return rc;
	char abs[PATH_MAX];
	const char *dbpath = realpath(g->set->db, abs) ? abs : g->set->db;
	/* test hook, documented in bawaba-smsd(8): BAWABA_SMSD_FAULT=sends:N,hangs:M,
	 * sends-part:P,pin makes the first modem refuse its next N sends, time out on its
	 * next M reads, refuse part P of the next send that reaches it, and its SIM ask for
	 * its PIN (the dummy driver never fails) */
	const char *fault = getenv("BAWABA_SMSD_FAULT");
	if (fault && g->set->nmodems > 0) {
		const char *p;
		if ((p = strstr(fault, "sends:")))
			g->set->modems[0].fault_sends = atoi(p + 6);
		if ((p = strstr(fault, "sends-part:")))
			g->set->modems[0].fault_part = atoi(p + 11);
		if ((p = strstr(fault, "hangs:")))
			g->set->modems[0].fault_hangs = atoi(p + 6);
		if (strstr(fault, "pin"))
			g->set->modems[0].fault_pin = 1;
	}
	for (int i = 0; i < g->set->nmodems; i++) {
		g->modems[i] = sms_modem_new(&g->set->modems[i], &g->log);
		sms_modem_set_group_commit(g->modems[i], on_group_commit);
		if (check)
			continue;
		if (strcmp(g->set->modems[i].model, "dummy") == 0 &&
		    sms_dummy_mark(g->set->modems[i].device, dbpath, e))
			log_warn(&g->log, "%s: %s", g->set->modems[i].name, e->msg);
		if (sms_modem_connect(g->modems[i], e))
			log_warn(&g->log, "%s (will retry)", e->msg);
		else
			log_info(&g->log, "%s: connected (%s)", g->set->modems[i].name, g->set->modems[i].device);
	}
	return BW_OK;
}

static void teardown(gw *g)
{
	for (int i = 0; i < g->set->nmodems; i++)
		sms_modem_free(g->modems[i]);
	bw_sync_free(g->sync);
	sms_conv_free(&g->conv);
	sms_db_close(g->db);
	bw_store_close(g->st);
}

/* The command line. */
typedef struct args {
	const char *conf;
	int check, verbose, stats, drain, probe;
} args;

/* Reads argv into o; -1 to go on, else the exit status (help, print-config, a bad one). */
static int parse_args(int argc, char **argv, args *o)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage, stdout);
			return 0;
		} else if (strcmp(a, "--print-config") == 0) {
			bw_conf_print(smsd_keys, stdout);
			return 0;
		} else if (strcmp(a, "-n") == 0) {
			o->check = 1;
		} else if (strcmp(a, "-v") == 0) {
			o->verbose = 1;
		} else if (strcmp(a, "--stats") == 0) {
			o->stats = 1;
		} else if (strcmp(a, "--drain") == 0) {
			o->drain = 1;
		} else if (strcmp(a, "--probe") == 0) {
			o->probe = 1;
		} else if (strcmp(a, "-c") == 0 && i + 1 < argc) {
			o->conf = argv[++i];
		} else {
			fprintf(stderr, "bawaba-smsd: unknown argument %s\n%s", a, usage);
			return 2;
		}
	}
	return -1;
}

/* The loop: the hub link when its socket is ready, a turn of the modems when due, until
 * TERM/INT (or, with drain, until nothing is left to do now). */
static void serve(gw *g, int drain, int64_t start)
{
	bw_notify nt;
	bw_notify_init(&nt);
	bw_notify_ready("serving");
	while (!got_term) {
		int64_t now = sms_mono_ns();
		int timeout = modem_timeout_ms(g, now);
		struct pollfd p = { .fd = g->sync ? bw_sync_fd(g->sync) : -1, .events = POLLIN };
		if (g->sync) {
			int st = bw_sync_timeout_ms(g->sync);
			if (st < timeout)
				timeout = st;
			if (bw_sync_want_write(g->sync))
				p.events |= POLLOUT;
		}
		int n = poll(&p, p.fd >= 0, bw_notify_timeout_ms(&nt, timeout));
		if (n < 0 && errno != EINTR) {
			log_error(&g->log, "poll: %s", strerror(errno));
			break;
		}
		if (g->sync)
			bw_sync_handle(g->sync, n > 0 ? p.revents : 0);
		if (got_usr1) {
			got_usr1 = 0;
			print_stats(g, stderr, sms_mono_ns() - start);
		}
		now = sms_mono_ns();
		if (g->busy || now >= g->next_tick)
			turn(g, now);
		bw_notify_alive(&nt);
		if (drain && idle(g))
			break;
	}
	bw_notify_stopping();
}

int main(int argc, char **argv)
{
	bw_files_private();  /* before anything is created: personal data stays 0600 */
	static struct settings set;
	gw g = { .set = &set, .log = { .prog = "bawaba-smsd", .level = BW_LOG_INFO } };
	bw_err e;
	args o = { .conf = "/etc/bawaba/smsd.conf" };
	int rc = parse_args(argc, argv, &o);
	if (rc >= 0)
		return rc;
	if (bw_conf_load(o.conf, smsd_keys, &set, &e) || smsd_settings_check(&set, &e)) {
		fprintf(stderr, "bawaba-smsd: %s\n", e.msg);
		return 1;
	}
	g.log.level = o.verbose ? BW_LOG_DEBUG : bw_log_level_parse(set.log_level);
	if (o.probe) {
		/* BAWABA_SMSD_FAULT=pin: the first SIM asks for its PIN (see setup) */
		const char *fault = getenv("BAWABA_SMSD_FAULT");
		if (set.nmodems > 0 && fault && strstr(fault, "pin"))
			set.modems[0].fault_pin = 1;
		return sms_sim_probe_modems(set.modems, set.nmodems, &g.log, stdout) ? 1 : 0;
	}
	g.crash_at = getenv("BAWABA_SMSD_CRASH_AT");
	if (setup(&g, o.check, &e)) {
		fprintf(stderr, "bawaba-smsd: %s\n", e.msg);
		teardown(&g);
		return 1;
	}
	if (o.check) {
		teardown(&g);
		puts("configuration OK");
		return 0;
	}
	bw_signal_flags(on_signal, (const int[]){ SIGTERM, SIGINT, SIGUSR1 }, 3);

	int64_t start = sms_mono_ns();
	long calls0;
	g.cpu_start = cpu_now();
	g.gammu_start = gammu_ns(&g, &calls0);
	log_info(&g.log, "started: %d modem(s), database %s, %s", set.nmodems, set.db,
		 set.sync[0] ? "hub link on" : "no hub");
	serve(&g, o.drain, start);
	if (o.stats)
		print_stats(&g, stdout, sms_mono_ns() - start);
	log_info(&g.log, "stopped");
	teardown(&g);
	return 0;
}
