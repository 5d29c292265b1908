/* bawaba-devsim.c: a simulated kiosk or gateway for tests and benchmarks, built on bw_sync
 * exactly as the real devices are: submits requests, waits for the hub's acks, asks a
 * status, prints the notifications it gets. Start reading at main(). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bw_files.h"
#include "bw_clock.h"
#include "bw_err.h"
#include "bw_log.h"
#include "bw_state.h"
#include "bw_store.h"
#include "bw_sync.h"

static volatile sig_atomic_t got_term;

static void on_signal(int sig)
{
	got_term = 1;
}

static const char usage[] =
	"usage: bawaba-devsim -c DEVICE.conf -d LOCAL.db [options]\n"
	"Acts as the device of DEVICE.conf (bw_sync, the kiosk's and gateway's sync library).\n"
	"  -n N             submit N requests (default 0)\n"
	"  -r RATE          ... at RATE per second (default 0: all at once, the window paces them)\n"
	"  -a ADMIN         administration code of the requests (default MRAFP)\n"
	"  -R DAYS          the requests were received DAYS days ago (a backlog after an outage)\n"
	"  -p               print \"ref REF UID\" for each request submitted\n"
	"  -I               information requests with an identity (name, ID number, contact,\n"
	"                   phone with consent): the personal data a device must forget\n"
	"  -q REF           ask the status of REF once online (or after -w if offline) and print it\n"
	"  -Q CODE[,CODE]   with -q: ask once per receipt code given, one after the other\n"
	"  -E 'REF STATE [NOTE]'  the citizen reopens (reopened), withdraws (closed) or appeals\n"
	"                   (under_appeal) REF: bw_sync_event; prints \"event UID\"\n"
	"  -N K             wait for K notifications (printed \"notify REF STATE NOTE\")\n"
	"  -P K             wait for K public messages (catalogue, holidays; printed \"pub TOPIC\")\n"
	"  -X fail|exit     fault in the first notification's callback: it refuses (printed\n"
	"                   \"notify-refused REF\"), or the process exits with status 3 inside it\n"
	"  -w SECONDS       give up after SECONDS (default 60)\n"
	"  -W               do not wait for the outbox to drain\n"
	"  -o S.K=V         a [sync] setting, e.g. -o sync.heartbeat=1\n"
	"  -v               debug logging\n"
	"Prints \"submitted N acked N rejected N p50_ms X p99_ms Y outbox N\" and exits 0 when every\n"
	"row is acknowledged (and the query answered, and K notifications came).\n";

struct sim {
	bw_sync *sync;
	/* submit times by uid, for the latency of each ack */
	char (*uid)[BW_UID_LEN + 1];
	int64_t *t_sub;
	double *lat;
	size_t n, nlat, cap;
	size_t *hash;   /* open addressing: index + 1, 0 = empty */
	size_t hcap;
	long acked, rejected, notes, pubs;
	int query_done;      /* answers received */
	const char *fault;   /* -X: "fail" or "exit", for the first notification only */
};

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static size_t hash_of(const char *s)
{
	size_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static void remember(struct sim *m, const char *uid)
{
	size_t i = m->n++;
	memcpy(m->uid[i], uid, BW_UID_LEN + 1);
	m->t_sub[i] = now_us();
	size_t h = hash_of(uid) % m->hcap;
	while (m->hash[h])
		h = (h + 1) % m->hcap;
	m->hash[h] = i + 1;
}

static void on_acked(void *arg, const bw_ack *a)
{
	struct sim *m = arg;
	if (a->status == BW_ACK_REJECTED)
		m->rejected++;
	else
		m->acked++;
	for (size_t h = hash_of(a->uid) % m->hcap; m->hash[h]; h = (h + 1) % m->hcap) {
		size_t i = m->hash[h] - 1;
		if (strcmp(m->uid[i], a->uid) == 0) {
			m->lat[m->nlat++] = (double)(now_us() - m->t_sub[i]) / 1000.0;
			break;
		}
	}
}

/* Runs inside the device's transaction (bw_sync.h): a refusal rolls the notification
 * back and the hub's replay brings it again; an exit here is a crash before the commit. */
static int on_notify(void *arg, const bw_event *ev, const char *ref, const bw_request *r)
{
	struct sim *m = arg;
	if (m->fault && strcmp(m->fault, "exit") == 0) {
		printf("notify-crash %s\n", ref);
		fflush(stdout);
		_exit(3);
	}
	if (m->fault) {
		m->fault = NULL;
		printf("notify-refused %s\n", ref);
		fflush(stdout);
		return BW_EIO;
	}
	m->notes++;
	printf("notify %s %s %s\n", ref, bw_state_name(ev->new_state), ev->note);
	fflush(stdout);
	return BW_OK;
}

static void on_published(void *arg, const char *topic, const char *payload, size_t len)
{
	struct sim *m = arg;
	m->pubs++;
	printf("pub %s\n", topic);
	fflush(stdout);
}

static void on_status(void *arg, const bw_status *st)
{
	struct sim *m = arg;
	m->query_done++;
	printf("status ref=%s found=%d from_local=%d", st->ref, st->found, st->from_local);
	if (st->found)
		printf(" state=%s deadline=%s steps=%zu", bw_state_name(st->state), st->deadline,
		       st->nsteps);
	printf("\n");
	for (size_t i = 0; i < st->nsteps; i++)
		printf("step %s %lld %s\n", bw_state_name(st->steps[i].state),
		       (long long)st->steps[i].at, st->steps[i].note ? st->steps[i].note : "");
	fflush(stdout);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p)
{
	if (!n)
		return 0;
	size_t i = (size_t)(p * (double)(n - 1) + 0.5);
	return v[i];
}

int main(int argc, char **argv)
{
	bw_files_private();  /* before anything is created: personal data stays 0600 */
	const char *codes = NULL;
	const char *conf = NULL, *dbpath = NULL, *admin = "MRAFP", *query = NULL, *event = NULL,
		   *fault = NULL;
	long n = 0, want_notes = 0, want_pubs = 0, back_days = 0;
	double rate = 0, wait_s = 60;
	int print_refs = 0, drain = 1, verbose = 0, info = 0;
	const char *over[16];
	int nover = 0;
	bw_err e;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage, stdout);
			return 0;
		} else if (strcmp(a, "-p") == 0) {
			print_refs = 1;
		} else if (strcmp(a, "-W") == 0) {
			drain = 0;
		} else if (strcmp(a, "-I") == 0) {
			info = 1;
		} else if (strcmp(a, "-v") == 0) {
			verbose = 1;
		} else if (v && a[0] == '-' && strchr("cdnraqQNwoEPXR", a[1]) && a[1] && !a[2]) {
			i++;
			switch (a[1]) {
			case 'c': conf = v; break;
			case 'd': dbpath = v; break;
			case 'n': n = atol(v); break;
			case 'r': rate = atof(v); break;
			case 'a': admin = v; break;
			case 'q': query = v; break;
			case 'Q': codes = v; break;
			case 'E': event = v; break;
			case 'N': want_notes = atol(v); break;
			case 'P': want_pubs = atol(v); break;
			case 'w': wait_s = atof(v); break;
			case 'o': if (nover < 16) over[nover++] = v; break;
			case 'X': fault = v; break;
			case 'R': back_days = atol(v); break;
			}
		} else {
			fprintf(stderr, "bawaba-devsim: bad argument %s\n%s", a, usage);
			return 2;
		}
	}
	if (!conf || !dbpath || n < 0 || (fault && strcmp(fault, "fail") != 0 && strcmp(fault, "exit") != 0)) {
		fprintf(stderr, "%s", usage);
		return 2;
	}

	bw_sync_settings set;
	bw_sync_settings_default(&set);
	if (bw_sync_settings_load(conf, &set, &e)) {
		fprintf(stderr, "bawaba-devsim: %s\n", e.msg);
		return 1;
	}
	for (int k = 0; k < nover; k++) {
		/* only integer [sync] keys are useful here */
		const char *eq = strchr(over[k], '=');
		int val = eq ? atoi(eq + 1) : 0;
		if (!eq || strncmp(over[k], "sync.", 5) != 0) {
			fprintf(stderr, "bawaba-devsim: -o %s: expected sync.key=value\n", over[k]);
			return 2;
		}
#define SETK(name) if ((size_t)(eq - over[k] - 5) == strlen(#name) && !strncmp(over[k] + 5, #name, strlen(#name))) set.name = val; else
		SETK(heartbeat) SETK(window) SETK(ack_timeout_ms) SETK(retry_max_ms)
		SETK(query_timeout_ms) SETK(reconnect_max_ms) SETK(keepalive) {
			fprintf(stderr, "bawaba-devsim: -o %s: unknown key\n", over[k]);
			return 2;
		}
#undef SETK
	}

	bw_log log = { .prog = set.device, .level = verbose ? BW_LOG_DEBUG : BW_LOG_INFO };
	bw_store *st;
	if (bw_store_open(&st, dbpath, 0, &e)) {
		fprintf(stderr, "bawaba-devsim: %s\n", e.msg);
		return 1;
	}
	struct sim m = { 0 };
	m.fault = fault;
	m.cap = (size_t)n + 1;
	m.uid = bw_xcalloc(m.cap, sizeof *m.uid);
	m.t_sub = bw_xcalloc(m.cap, sizeof *m.t_sub);
	m.lat = bw_xcalloc(m.cap, sizeof *m.lat);
	m.hcap = 2 * m.cap + 1;
	m.hash = bw_xcalloc(m.hcap, sizeof *m.hash);
	bw_sync_callbacks cb = { .arg = &m, .acked = on_acked, .notify_tx = on_notify,
	                        .published = on_published };
	if (bw_sync_new(&m.sync, &set, st, &cb, &log, &e)) {
		fprintf(stderr, "bawaba-devsim: %s\n", e.msg);
		return 1;
	}

	if (event) {
		/* "REF STATE [NOTE]" */
		char eref[32] = "", estate[32] = "";
		int used = 0;
		bw_event ev;
		if (sscanf(event, "%31s %31s %n", eref, estate, &used) < 2 || bw_state_parse(estate) < 0) {
			fprintf(stderr, "bawaba-devsim: -E: expected 'REF STATE [NOTE]'\n");
			return 2;
		}
		if (bw_sync_event(m.sync, eref, bw_state_parse(estate), used ? event + used : "", &ev, &e)) {
			fprintf(stderr, "bawaba-devsim: event: %s\n", e.msg);
			return 1;
		}
		printf("event %s\n", ev.uid);
		fflush(stdout);
	}

	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	int64_t t0 = now_us(), deadline = t0 + (int64_t)(wait_s * 1e6);
	long submitted = 0, failed = 0;
	int asked = 0, nq = 1;
	char code_list[1024] = "", *code_at[256] = { NULL };
	if (codes) {
		/* -Q: one query per code, in order */
		snprintf(code_list, sizeof code_list, "%s", codes);
		nq = 0;
		for (char *tok = strtok(code_list, ","); tok && nq < 256; tok = strtok(NULL, ","))
			code_at[nq++] = tok;
	}
	while (!got_term && now_us() < deadline) {
		int64_t now = now_us();
		/* submit what the rate allows by now */
		long due = rate > 0 ? (long)((double)(now - t0) * rate / 1e6) + 1 : n;
		while (submitted < n && submitted < due) {
			bw_request r;
			bw_request_init(&r);
			r.kind = info ? BW_KIND_INFO : BW_KIND_COMPLAINT;
			r.channel = strcmp(set.kind, "gateway") == 0 ? BW_CHANNEL_SMS : BW_CHANNEL_KIOSK;
			if (info) {
				strcpy(r.name, "Fatima Zahra Alaoui");
				strcpy(r.id_number, "AB123456");
				strcpy(r.contact, "fatima.alaoui@example.ma");
				strcpy(r.address, "12 rue Oued Sebou, Agdal");
				strcpy(r.phone, "+212612345678");
				r.consent = 1;
				r.form = BW_FORM_EMAIL;
			}
			bw_strlcpy(r.admin, admin, sizeof r.admin);
			if (back_days)
				r.received_at = bw_now() - back_days * 86400;
			snprintf(r.text, sizeof r.text, "طلب تجريبي رقم %ld من %s", submitted + 1, set.device);
			if (r.channel == BW_CHANNEL_SMS)
				strcpy(r.phone, "+212612345678");
			int rc = bw_sync_submit(m.sync, &r, &e);
			submitted++;
			if (rc) {
				fprintf(stderr, "bawaba-devsim: submit: %s\n", e.msg);
				failed++;
				continue;
			}
			remember(&m, r.uid);
			if (print_refs)
				printf("ref %s %s\n", r.ref, r.uid);
		}
		if (query && asked < nq && m.query_done == asked &&
		    (bw_sync_is_online(m.sync) || now - t0 > 3000000)) {
			if (bw_sync_query_code(m.sync, query, code_at[asked], on_status, &m, &e)) {
				fprintf(stderr, "bawaba-devsim: query: %s\n", e.msg);
				m.query_done++;
			}
			asked++;
		}
		int done = submitted >= n && (!query || m.query_done >= nq) && m.notes >= want_notes &&
			   m.pubs >= want_pubs;
		/* counting the outbox costs a scan: only once the acks say it may be empty */
		if (done && drain)
			done = m.acked + m.rejected >= (long)m.n && bw_sync_outbox_depth(m.sync) == 0;
		if (done)
			break;
		struct pollfd p = { .fd = bw_sync_fd(m.sync), .events = POLLIN };
		if (bw_sync_want_write(m.sync))
			p.events |= POLLOUT;
		int timeout = bw_sync_timeout_ms(m.sync);
		if (submitted < n && rate > 0) {
			int64_t next = t0 + (int64_t)((double)submitted * 1e6 / rate);
			int ms = next > now ? (int)((next - now) / 1000) : 0;
			if (ms < timeout)
				timeout = ms;
		}
		if (timeout > 100)
			timeout = 100;
		int k = poll(&p, p.fd >= 0, timeout);
		if (k < 0 && errno != EINTR)
			break;
		bw_sync_handle(m.sync, k > 0 ? p.revents : 0);
	}
	long depth = bw_sync_outbox_depth(m.sync);
	qsort(m.lat, m.nlat, sizeof *m.lat, cmp_double);
	double secs = (double)(now_us() - t0) / 1e6;
	printf("submitted %ld acked %ld rejected %ld failed %ld p50_ms %.2f p99_ms %.2f outbox %ld "
	       "notifications %ld seconds %.2f\n", submitted - failed, m.acked, m.rejected, failed,
	       pct(m.lat, m.nlat, 0.5), pct(m.lat, m.nlat, 0.99), depth, m.notes, secs);
	fflush(stdout);
	int ok = failed == 0 && (!drain || depth == 0) && (!query || m.query_done >= nq) &&
		 m.notes >= want_notes && m.pubs >= want_pubs;
	bw_sync_free(m.sync);
	bw_store_close(st);
	free(m.uid);
	free(m.t_sub);
	free(m.lat);
	free(m.hash);
	return ok ? 0 : 1;
}
