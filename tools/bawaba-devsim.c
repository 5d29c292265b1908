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

/* What the command line asks for. */
struct opts {
	const char *conf, *dbpath, *admin, *query, *codes, *event, *fault;
	long n, want_notes, want_pubs, back_days;
	double rate, wait_s;
	int print_refs, drain, verbose, info;
	const char *over[16];
	int nover;
};

/* Reads the options into o; -1 to go on, else the exit status (--help, a bad argument). */
static int parse_opts(int argc, char **argv, struct opts *o)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage, stdout);
			return 0;
		} else if (strcmp(a, "-p") == 0) {
			o->print_refs = 1;
		} else if (strcmp(a, "-W") == 0) {
			o->drain = 0;
		} else if (strcmp(a, "-I") == 0) {
			o->info = 1;
		} else if (strcmp(a, "-v") == 0) {
			o->verbose = 1;
		} else if (v && a[0] == '-' && strchr("cdnraqQNwoEPXR", a[1]) && a[1] && !a[2]) {
			i++;
			switch (a[1]) {
			case 'c': o->conf = v; break;
			case 'd': o->dbpath = v; break;
			case 'n': o->n = atol(v); break;
			case 'r': o->rate = atof(v); break;
			case 'a': o->admin = v; break;
			case 'q': o->query = v; break;
			case 'Q': o->codes = v; break;
			case 'E': o->event = v; break;
			case 'N': o->want_notes = atol(v); break;
			case 'P': o->want_pubs = atol(v); break;
			case 'w': o->wait_s = atof(v); break;
			case 'o': if (o->nover < 16) o->over[o->nover++] = v; break;
			case 'X': o->fault = v; break;
			case 'R': o->back_days = atol(v); break;
			}
		} else {
			fprintf(stderr, "bawaba-devsim: bad argument %s\n%s", a, usage);
			return 2;
		}
	}
	if (!o->conf || !o->dbpath || o->n < 0 ||
	    (o->fault && strcmp(o->fault, "fail") != 0 && strcmp(o->fault, "exit") != 0)) {
		fprintf(stderr, "%s", usage);
		return 2;
	}
	return -1;
}

/* -o sync.key=value: only integer [sync] keys are useful here. 0, or 2 with the reason. */
static int apply_overrides(const struct opts *o, bw_sync_settings *set)
{
	for (int k = 0; k < o->nover; k++) {
		const char *eq = strchr(o->over[k], '=');
		int val = eq ? atoi(eq + 1) : 0;
		if (!eq || strncmp(o->over[k], "sync.", 5) != 0) {
			fprintf(stderr, "bawaba-devsim: -o %s: expected sync.key=value\n", o->over[k]);
			return 2;
		}
#define SETK(name) if ((size_t)(eq - o->over[k] - 5) == strlen(#name) && !strncmp(o->over[k] + 5, #name, strlen(#name))) set->name = val; else
		SETK(heartbeat) SETK(window) SETK(ack_timeout_ms) SETK(retry_max_ms)
		SETK(query_timeout_ms) SETK(reconnect_max_ms) SETK(keepalive) {
			fprintf(stderr, "bawaba-devsim: -o %s: unknown key\n", o->over[k]);
			return 2;
		}
#undef SETK
	}
	return 0;
}

/* -E "REF STATE [NOTE]": a citizen's move made on this device. 0, or an exit status. */
static int send_event(struct sim *m, const char *event)
{
	char eref[32] = "", estate[32] = "";
	int used = 0;
	bw_event ev;
	bw_err e;
	if (sscanf(event, "%31s %31s %n", eref, estate, &used) < 2 || bw_state_parse(estate) < 0) {
		fprintf(stderr, "bawaba-devsim: -E: expected 'REF STATE [NOTE]'\n");
		return 2;
	}
	if (bw_sync_event(m->sync, eref, bw_state_parse(estate), used ? event + used : "", &ev, &e)) {
		fprintf(stderr, "bawaba-devsim: event: %s\n", e.msg);
		return 1;
	}
	printf("event %s\n", ev.uid);
	fflush(stdout);
	return 0;
}

/* The k-th request this device submits (k from 1). */
static void make_request(bw_request *r, const struct opts *o, const bw_sync_settings *set, long k)
{
	bw_request_init(r);
	r->kind = o->info ? BW_KIND_INFO : BW_KIND_COMPLAINT;
	r->channel = strcmp(set->kind, "gateway") == 0 ? BW_CHANNEL_SMS : BW_CHANNEL_KIOSK;
	if (o->info) {
		strcpy(r->name, "Fatima Zahra Alaoui");
		strcpy(r->id_number, "AB123456");
		strcpy(r->contact, "fatima.alaoui@example.ma");
		strcpy(r->address, "12 rue Oued Sebou, Agdal");
		strcpy(r->phone, "+212612345678");
		r->consent = 1;
		r->form = BW_FORM_EMAIL;
	}
	bw_strlcpy(r->admin, o->admin, sizeof r->admin);
	if (o->back_days)
		r->received_at = bw_now() - o->back_days * 86400;
	snprintf(r->text, sizeof r->text, "طلب تجريبي رقم %ld من %s", k, set->device);
	if (r->channel == BW_CHANNEL_SMS)
		strcpy(r->phone, "+212612345678");
}

/* Submits at the rate asked, queries, waits for what is expected or the time given, then
 * prints the figures; returns the exit status. The loop is one piece: each turn decides
 * what is due from the same counters. */
static int run(struct sim *m, const struct opts *o, const bw_sync_settings *set)
{
	bw_err e;
	int64_t t0 = now_us(), deadline = t0 + (int64_t)(o->wait_s * 1e6);
	long submitted = 0, failed = 0, n = o->n;
	int asked = 0, nq = 1;
	char code_list[1024] = "", *code_at[256] = { NULL };
	if (o->codes) {
		/* -Q: one query per code, in order */
		snprintf(code_list, sizeof code_list, "%s", o->codes);
		nq = 0;
		for (char *tok = strtok(code_list, ","); tok && nq < 256; tok = strtok(NULL, ","))
			code_at[nq++] = tok;
	}
	while (!got_term && now_us() < deadline) {
		int64_t now = now_us();
		/* submit what the rate allows by now */
		long due = o->rate > 0 ? (long)((double)(now - t0) * o->rate / 1e6) + 1 : n;
		while (submitted < n && submitted < due) {
			bw_request r;
			make_request(&r, o, set, submitted + 1);
			int rc = bw_sync_submit(m->sync, &r, &e);
			submitted++;
			if (rc) {
				fprintf(stderr, "bawaba-devsim: submit: %s\n", e.msg);
				failed++;
				continue;
			}
			remember(m, r.uid);
			if (o->print_refs)
				printf("ref %s %s\n", r.ref, r.uid);
		}
		if (o->query && asked < nq && m->query_done == asked &&
		    (bw_sync_is_online(m->sync) || now - t0 > 3000000)) {
			if (bw_sync_query_code(m->sync, o->query, code_at[asked], on_status, m, &e)) {
				fprintf(stderr, "bawaba-devsim: query: %s\n", e.msg);
				m->query_done++;
			}
			asked++;
		}
		int done = submitted >= n && (!o->query || m->query_done >= nq) &&
			   m->notes >= o->want_notes && m->pubs >= o->want_pubs;
		/* counting the outbox costs a scan: only once the acks say it may be empty */
		if (done && o->drain)
			done = m->acked + m->rejected >= (long)m->n && bw_sync_outbox_depth(m->sync) == 0;
		if (done)
			break;
		struct pollfd p = { .fd = bw_sync_fd(m->sync), .events = POLLIN };
		if (bw_sync_want_write(m->sync))
			p.events |= POLLOUT;
		int timeout = bw_sync_timeout_ms(m->sync);
		if (submitted < n && o->rate > 0) {
			int64_t next = t0 + (int64_t)((double)submitted * 1e6 / o->rate);
			int ms = next > now ? (int)((next - now) / 1000) : 0;
			if (ms < timeout)
				timeout = ms;
		}
		if (timeout > 100)
			timeout = 100;
		int k = poll(&p, p.fd >= 0, timeout);
		if (k < 0 && errno != EINTR)
			break;
		bw_sync_handle(m->sync, k > 0 ? p.revents : 0);
	}
	long depth = bw_sync_outbox_depth(m->sync);
	qsort(m->lat, m->nlat, sizeof *m->lat, cmp_double);
	double secs = (double)(now_us() - t0) / 1e6;
	printf("submitted %ld acked %ld rejected %ld failed %ld p50_ms %.2f p99_ms %.2f outbox %ld "
	       "notifications %ld seconds %.2f\n", submitted - failed, m->acked, m->rejected, failed,
	       pct(m->lat, m->nlat, 0.5), pct(m->lat, m->nlat, 0.99), depth, m->notes, secs);
	fflush(stdout);
	int ok = failed == 0 && (!o->drain || depth == 0) && (!o->query || m->query_done >= nq) &&
		 m->notes >= o->want_notes && m->pubs >= o->want_pubs;
	return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	bw_files_private();  /* before anything is created: personal data stays 0600 */
	struct opts o = { .admin = "MRAFP", .wait_s = 60, .drain = 1 };
	bw_err e;
	int rc;
	if ((rc = parse_opts(argc, argv, &o)) >= 0)
		return rc;

	bw_sync_settings set;
	bw_sync_settings_default(&set);
	if (bw_sync_settings_load(o.conf, &set, &e)) {
		fprintf(stderr, "bawaba-devsim: %s\n", e.msg);
		return 1;
	}
	if ((rc = apply_overrides(&o, &set)))
		return rc;

	bw_log log = { .prog = set.device, .level = o.verbose ? BW_LOG_DEBUG : BW_LOG_INFO };
	bw_store *st;
	if (bw_store_open(&st, o.dbpath, 0, &e)) {
		fprintf(stderr, "bawaba-devsim: %s\n", e.msg);
		return 1;
	}
	struct sim m = { 0 };
	m.fault = o.fault;
	m.cap = (size_t)o.n + 1;
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
	if (o.event && (rc = send_event(&m, o.event)))
		return rc;

	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	rc = run(&m, &o, &set);
	bw_sync_free(m.sync);
	bw_store_close(st);
	free(m.uid);
	free(m.t_sub);
	free(m.lat);
	free(m.hash);
	return rc;
}
