/* bawaba-hub.c: the hub daemon (one thread, one poll loop) and its enrol command. Start
 * reading at main(); the work is in hub.c. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bw_files.h"
#include "bw_clock.h"
#include "bw_err.h"
#include "bw_log.h"
#include "bw_notify.h"
#include "hub.h"

static volatile sig_atomic_t got_term, got_hup, got_usr1;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		got_hup = 1;
	else if (sig == SIGUSR1)
		got_usr1 = 1;
	else
		got_term = 1;
}

static const char usage[] =
	"usage: bawaba-hub [-c FILE] [-b BROKERDIR] [-d DB] [-o section.key=value]... [-n] [-v]\n"
	"       bawaba-hub [-c FILE | -b BROKERDIR] [-d DB] enroll [--num N] DEVICE.conf...\n"
	"       bawaba-hub --print-config | --help\n"
	"Runs the hub: stores the requests devices send (group commit, then an ack to each),\n"
	"answers status queries, sends status changes to the device that took each request,\n"
	"keeps device presence, publishes the catalogue and holidays.\n"
	"  -c FILE        configuration (INI); default: BROKERDIR/devices/hub.conf\n"
	"  -b BROKERDIR   the site broker's directory (bawaba-broker init)\n"
	"  -d DB          the hub database (overrides [hub] db)\n"
	"  -o S.K=V       sets one configuration key, e.g. -o hub.batch_max=64\n"
	"  -n             checks the configuration and the database, prints \"configuration OK\"\n"
	"  -v             debug logging\n"
	"  enroll         gives each registered kiosk or gateway (its DEVICE.conf from\n"
	"                 bawaba-broker register) a device number and writes it into the file\n"
	"Signals: TERM/INT commit the batch and exit; HUP rereads the devices; USR1 logs counters.\n";

static int enroll(const char *db, int argc, char **argv, int i)
{
	int want = 0, rc = 0;
	if (i < argc && strcmp(argv[i], "--num") == 0) {
		if (i + 1 >= argc || (want = atoi(argv[i + 1])) <= 0) {
			fprintf(stderr, "bawaba-hub: --num needs a number 1..9999\n");
			return 2;
		}
		i += 2;
	}
	if (i >= argc) {
		fprintf(stderr, "bawaba-hub: enroll needs DEVICE.conf files\n%s", usage);
		return 2;
	}
	if (want && argc - i > 1) {
		fprintf(stderr, "bawaba-hub: --num goes with one device\n");
		return 2;
	}
	for (; i < argc; i++) {
		bw_err e;
		int num;
		if (hub_enroll(db, argv[i], want, &num, &e)) {
			fprintf(stderr, "bawaba-hub: enroll %s: %s\n", argv[i], e.msg);
			rc = 1;
			continue;
		}
		printf("%s %04d\n", argv[i], num);
	}
	return rc;
}

int main(int argc, char **argv)
{
	bw_files_private();  /* before anything is created: personal data stays 0600 */
	hub_settings set;
	bw_err e;
	bw_log log = { .prog = "bawaba-hub", .level = BW_LOG_INFO };
	const char *conf = NULL, *bdir = NULL, *db = NULL;
	const char *over[32];
	int nover = 0, check = 0, verbose = 0, i;
	char path[1100];

	hub_settings_default(&set);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage, stdout);
			return 0;
		} else if (strcmp(a, "--print-config") == 0) {
			hub_settings_print(stdout);
			return 0;
		} else if (strcmp(a, "-n") == 0) {
			check = 1;
		} else if (strcmp(a, "-v") == 0) {
			verbose = 1;
		} else if ((strcmp(a, "-c") == 0 || strcmp(a, "-b") == 0 || strcmp(a, "-d") == 0 ||
			    strcmp(a, "-o") == 0) && i + 1 < argc) {
			const char *v = argv[++i];
			if (a[1] == 'c')
				conf = v;
			else if (a[1] == 'b')
				bdir = v;
			else if (a[1] == 'd')
				db = v;
			else if (nover < 32)
				over[nover++] = v;
		} else if (a[0] == '-') {
			fprintf(stderr, "bawaba-hub: unknown option %s\n%s", a, usage);
			return 2;
		} else {
			break;
		}
	}
	if (!conf && bdir) {
		snprintf(path, sizeof path, "%s/devices/hub.conf", bdir);
		conf = path;
	}
	if (conf && hub_settings_load(conf, &set, &e)) {
		fprintf(stderr, "bawaba-hub: %s\n", e.msg);
		return 1;
	}
	for (int k = 0; k < nover; k++)
		if (hub_settings_set(&set, over[k], &e)) {
			fprintf(stderr, "bawaba-hub: -o %s\n", e.msg);
			return 1;
		}
	if (db && bw_strlcpy(set.db, db, sizeof set.db)) {
		fprintf(stderr, "bawaba-hub: -d: path too long\n");
		return 1;
	}
	if (bw_clock_init(set.time_zone, &e)) {
		fprintf(stderr, "bawaba-hub: [hub] %s\n", e.msg);
		return 1;
	}
	if (i < argc) {
		if (strcmp(argv[i], "enroll") == 0)
			return enroll(set.db, argc, argv, i + 1);
		fprintf(stderr, "bawaba-hub: unknown command %s\n%s", argv[i], usage);
		return 2;
	}
	int lvl = bw_log_level_parse(set.log_level);
	if (lvl < 0) {
		fprintf(stderr, "bawaba-hub: [hub] log_level: unknown \"%s\"\n", set.log_level);
		return 1;
	}
	log.level = verbose ? BW_LOG_DEBUG : lvl;
	if (!set.password[0]) {
		fprintf(stderr, "bawaba-hub: no broker password (give -c FILE or -b BROKERDIR)\n");
		return 1;
	}

	hub *h;
	if (hub_new(&h, &set, &log, &e)) {
		fprintf(stderr, "bawaba-hub: %s\n", e.msg);
		return 1;
	}
	if (check) {
		hub_free(h);
		puts("configuration OK");
		return 0;
	}

	/* handlers only set flags; no SA_RESTART, so poll() returns at once with EINTR */
	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	log_info(&log, "started: database %s, broker %s:%d", set.db, set.host, set.port);
	bw_notify nt;
	bw_notify_init(&nt);
	bw_notify_ready("serving");
	while (!got_term) {
		struct pollfd p = { .fd = hub_fd(h), .events = POLLIN };
		if (hub_want_write(h))
			p.events |= POLLOUT;
		int n = poll(&p, p.fd >= 0, bw_notify_timeout_ms(&nt, hub_timeout_ms(h)));
		if (n < 0 && errno != EINTR) {
			log_error(&log, "poll: %s", strerror(errno));
			break;
		}
		if (got_hup) {
			got_hup = 0;
			hub_reload_devices(h);
			log_info(&log, "devices reread");
		}
		if (got_usr1) {
			got_usr1 = 0;
			hub_log_stats(h);
		}
		hub_handle(h, n > 0 ? p.revents : 0);
		bw_notify_alive(&nt);
	}
	bw_notify_stopping();
	hub_flush(h);
	hub_log_stats(h);
	log_info(&log, "stopped");
	hub_free(h);
	return 0;
}
