/* devices.c: the hub's device registry: the enrolled devices in memory (reread when the
 * devices table changes), each one's counters and log allowance under a flood, dropping a
 * message with one log line, a device's presence and clock, and enrolment (a devices row
 * and num= in the device's configuration file). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bw_clock.h"
#include "bw_conf.h"
#include "bw_proto.h"
#include "bw_ref.h"
#include "bw_store.h"
#include "bw_sync.h"
#include "desk_link.h"
#include "hub_int.h"

/* ---- devices ---- */

/* The registry being reread: what was known of each device (heartbeats, budgets) stays. */
struct reload {
	struct hdev *old, *d;
	size_t nold, n, cap;
};

static int reload_one(const bw_device *dev, void *arg)
{
	struct reload *r = arg;
	if (r->n == r->cap)
		r->d = bw_xrealloc(r->d, (r->cap *= 2) * sizeof *r->d);
	struct hdev *d = &r->d[r->n++];
	memset(d, 0, sizeof *d);
	for (size_t i = 0; i < r->nold; i++)   /* keep what we know of its heartbeats, budgets */
		if (strcmp(r->old[i].id, dev->id) == 0)
			*d = r->old[i];
	memcpy(d->id, dev->id, sizeof d->id);
	d->num = dev->num;
	memcpy(d->kind, dev->kind, sizeof d->kind);
	memcpy(d->site, dev->site, sizeof d->site);
	return BW_OK;
}

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct hdev *)a)->id, ((const struct hdev *)b)->id);
}

void hub_reload_devices(hub *h)
{
	struct reload r = { h->devs, NULL, h->ndevs, 0, 16 };
	bw_err e;
	r.d = bw_xcalloc(r.cap, sizeof *r.d);
	if (bw_store_devices(h->st, NULL, reload_one, &r, &e)) {
		log_error(h->log, "devices: %s", e.msg);
		free(r.d);
		return;
	}
	qsort(r.d, r.n, sizeof *r.d, by_id);   /* hub_find_dev looks them up by id */
	free(r.old);
	h->devs = r.d;
	h->ndevs = r.n;
	h->devs_at = hub_now_ms();
}

struct hdev *hub_find_dev(hub *h, const char *id, int reload)
{
	for (int pass = 0; pass < 2; pass++) {
		size_t lo = 0, hi = h->ndevs;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			int c = strcmp(h->devs[mid].id, id);
			if (c == 0)
				return &h->devs[mid];
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		/* enrolled since we last looked? reread, at most once a second */
		if (!reload || pass || hub_now_ms() - h->devs_at < 1000)
			return NULL;
		hub_reload_devices(h);
	}
	return NULL;
}

/* A decoder's reason without the payload: jansson's messages quote the input near a
 * JSON error ("invalid token near '...'"), and a payload may hold a citizen's name, phone
 * or ID number, which must not reach a log. Every " near '...'" is cut out (up to the
 * "' at line" that ends it, or to the end); the error kind and position stay. */
static void redact(const char *in, char *out, size_t size)
{
	static const char mark[] = " near '", tail[] = "' at line ";
	const char *near = strstr(in, mark);
	if (!near) {
		bw_strlcpy(out, in, size);
		return;
	}
	const char *end = NULL;
	for (const char *p = near; (p = strstr(p, tail)); p++)
		end = p;   /* the last one: the fragment itself may contain the tail's text */
	snprintf(out, size, "%.*s%s", (int)(near - in), in, end ? end + 1 : "");
	if (strstr(out, mark)) {   /* another one (not made by our decoders): cut it all */
		char again[BW_ERRMSG + 64];
		bw_strlcpy(again, out, sizeof again);
		redact(again, out, size);
	}
}

/* Writes what a device's counters gathered in memory to its devices row. */
void hub_dev_counts_flush(hub *h, struct hdev *d)
{
	bw_err e;
	if (!d->drops_due && !d->throttled_due && !d->stamped_due)
		return;
	if (bw_store_device_count(h->st, d->id, d->drops_due, d->throttled_due, d->stamped_due, &e))
		log_error(h->log, "devices: %s", e.msg);
	d->drops_due = d->throttled_due = d->stamped_due = 0;
}

/* Whether a line about device d may be logged now (LOG_LINES per log_interval); a
 * summary of the lines held back in the interval before is written first. A line let through also
 * writes the device's counters, so they are current whenever the log speaks. */
int hub_dev_log_allow(hub *h, struct hdev *d)
{
	long held = 0;
	int ok = bw_logonce_allow(&d->logs, hub_now_ms(), LOG_INTERVAL_MS, LOG_LINES, &held);
	if (held)
		log_warn(h->log, "%s: %ld more lines about this device held back in %d s "
			 "(bawaba devices: dropped, throttled, clock)", d->id, held, h->set.log_interval);
	if (ok)
		hub_dev_counts_flush(h, d);
	return ok;
}

/* Once a second: counters to the database, summaries of held-back log lines. */
void hub_devs_tick(hub *h)
{
	int64_t now = hub_now_ms();
	for (size_t i = 0; i < h->ndevs; i++) {
		struct hdev *d = &h->devs[i];
		long held = bw_logonce_due(&d->logs, now, LOG_INTERVAL_MS);
		if (held)
			log_warn(h->log, "%s: %ld more lines about this device held back in %d s "
				 "(bawaba devices: dropped, throttled, clock)", d->id, held, h->set.log_interval);
		hub_dev_counts_flush(h, d);
	}
}

/* Drops a message with one log line naming the device and the reason (LOG_LINES per
 * log_interval and device at most, then a count), and counts it. d is NULL for a device
 * the hub does not know: those lines share one throttle, and no row counts them. */
void hub_drop_dev(hub *h, struct hdev *d, const char *dev, const char *leaf, const char *why_in)
{
	char why[BW_ERRMSG + 64];
	h->stats.dropped++;
	if (d) {
		d->drops_due++;
		if (!hub_dev_log_allow(h, d))
			return;
	} else {
		long held = 0;
		int ok = bw_logonce_allow(&h->unknown_logs, hub_now_ms(), LOG_INTERVAL_MS, LOG_LINES, &held);
		if (held)
			log_warn(h->log, "%ld more lines about unknown devices held back in %d s", held,
				 h->set.log_interval);
		if (!ok)
			return;
	}
	redact(why_in, why, sizeof why);
	log_warn(h->log, "dropped %s from %s: %s", leaf, dev, why);
	if (d)
		hub_dev_counts_flush(h, d);
}

/* ---- presence ---- */

/* A live heartbeat's clock against the hub's: stored (devices.clock_skew, shown by
 * `bawaba devices` and on the agents' consoles), logged when it goes wrong or right
 * again. Returns 1 when the device's clock turned wrong or right (a change to push). */
static int clock_check(hub *h, struct hdev *d, int64_t at, int64_t now)
{
	int64_t skew = at - now;
	int bad = skew > GUARD_SKEW_MAX || skew < -GUARD_SKEW_MAX;
	(void)bw_store_device_clock(h->st, d->id, skew, now, NULL);
	if (bad == d->clock_bad)
		return 0;
	d->clock_bad = bad;
	if (bad)
		log_warn(h->log, "%s: its clock is %lld s %s the hub's: the times it states are replaced "
			 "by the hub's", d->id, (long long)(skew < 0 ? -skew : skew), skew < 0 ? "behind" : "ahead of");
	else
		log_info(h->log, "%s: its clock agrees with the hub's again (%+lld s)", d->id, (long long)skew);
	return 1;
}

void hub_on_presence(hub *h, struct hdev *d, const char *payload, int len, int retained)
{
	bw_presence p;
	bw_err e;
	if (len == 0)
		return;   /* a retained message being cleared */
	if (bw_presence_decode(payload, (size_t)len, &p, &e)) {
		drop(h, d->id, "up/presence", e.msg);
		return;
	}
	h->stats.presence++;
	int was_online = -1;
	/* a device's clock may be wrong: last seen is the hub's time */
	bw_device seen = { .online = p.online, .last_seen = bw_now(), .outbox = p.outbox,
			   .signal = p.signal, .queue = p.queue };
	if (bw_store_device_presence(h->st, d->id, &seen, p.cursor, &was_online, &e))
		log_error(h->log, "presence of %s: %s", d->id, e.msg);
	/* a retained heartbeat is old news (the broker keeps it): its clock says nothing */
	int clock_changed = p.online && !retained && p.at > 0 && clock_check(h, d, p.at, bw_now());
	if (was_online != p.online || clock_changed)   /* a change, not a heartbeat: agents see it */
		h->stats.pushed += hub_console_device(h->con, d->id);
	if (!p.online) {
		log_info(h->log, "%s is offline", d->id);
		return;
	}
	if (!d->hb_seen || d->last_cursor == p.cursor)
		hub_replay(h, d, p.cursor);
	d->hb_seen = 1;
	d->last_cursor = p.cursor;
}

/* ---- enrolment ---- */

/* Writes num= into the [device] section of the config file (atomically, mode 0600). */
static int write_num(const char *path, int num, bw_err *e)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return bw_fail(e, BW_EIO, "%s: %s", path, strerror(errno));
	char *out = NULL, line[BW_CONF_LINE_MAX + 2];
	size_t olen = 0;
	FILE *o = open_memstream(&out, &olen);
	int in_dev = 0, done = 0;
	while (fgets(line, sizeof line, f)) {
		const char *p = line + strspn(line, " \t");
		if (*p == '[') {
			if (in_dev && !done) {
				fprintf(o, "num=%d\n", num);
				done = 1;
			}
			in_dev = strncmp(p, "[device]", 8) == 0;
			fputs(line, o);
			continue;
		}
		if (in_dev && strncmp(p, "num", 3) == 0 && strchr(" \t=", p[3])) {
			if (!done)
				fprintf(o, "num=%d\n", num);
			done = 1;
			continue;
		}
		fputs(line, o);
	}
	if (!done) {
		if (!in_dev)
			fprintf(o, "\n[device]\n");
		else if (olen && out[olen - 1] != '\n')
			fputc('\n', o);
		fprintf(o, "num=%d\n", num);
	}
	fclose(f);
	fclose(o);
	char tmp[1100];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int rc = BW_OK;
	if (fd < 0 || write(fd, out, olen) != (ssize_t)olen || fsync(fd) != 0)
		rc = bw_fail(e, BW_EIO, "%s: %s", tmp, strerror(errno));
	if (fd >= 0)
		close(fd);
	if (rc == BW_OK && rename(tmp, path) != 0)
		rc = bw_fail(e, BW_EIO, "%s: %s", path, strerror(errno));
	if (rc)
		unlink(tmp);
	free(out);
	return rc;
}

int hub_enroll(const char *dbpath, const char *conf, int want, int *num_out, bw_err *e)
{
	bw_sync_settings d;
	bw_store *st = NULL;
	int rc, num = 0;
	bw_sync_settings_default(&d);
	if ((rc = bw_sync_settings_read(conf, &d, e)))
		return rc;
	if (strcmp(d.kind, "kiosk") != 0 && strcmp(d.kind, "gateway") != 0)
		return bw_fail(e, BW_EINVAL, "%s: kind \"%s\": only kiosks and gateways take requests",
			       conf, d.kind);
	if (!d.device[0] || strcmp(d.device, d.broker.username) != 0 || strpbrk(d.device, "/+#"))
		return bw_fail(e, BW_EINVAL, "%s: [device] id must equal [broker] username", conf);
	if (want < 0 || want > (int)BW_REF_DEVICE_MAX)
		return bw_fail(e, BW_EINVAL, "num %d: 1..%u", want, BW_REF_DEVICE_MAX);
	if ((rc = bw_store_open(&st, dbpath, 0, e)))
		return rc;
	if ((rc = bw_store_begin(st, e)) ||
	    (rc = bw_store_device_enroll(st, d.device, d.kind, d.site, want, bw_now(), &num, e)))
		goto out;
	/* the file first: if it cannot be written the enrolment is rolled back */
	if ((rc = write_num(conf, num, e)))
		goto out;
	rc = bw_store_commit(st, e);
out:
	if (rc)
		bw_store_rollback(st);
	bw_store_close(st);
	if (rc == BW_OK && num_out)
		*num_out = num;
	return rc;
}
