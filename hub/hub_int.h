/* hub_int.h: what the hub engine's files (settings.c, devices.c, ingest.c, notify.c,
 * publish.c, loop.c) share and nobody else sees: the engine's state, a device as the hub
 * knows it, and the functions one file calls in another. */
#ifndef HUB_INT_H
#define HUB_INT_H

#include <mosquitto.h>
#include <stdint.h>

#include "bw_link.h"
#include "bw_rate.h"
#include "bw_store.h"
#include "desk_link.h"
#include "hub.h"

/* The kinds of message a device sends, each with its own budget. */
enum { HL_REQ, HL_EVT, HL_QUERY, HL_PRESENCE, HL_COUNT };

/* A device's log lines: so many per log_interval, then one line with the count. */
#define LOG_LINES 20
#define LOG_INTERVAL_MS ((int64_t)h->set.log_interval * 1000)

struct hdev {
	char id[BW_CODE_MAX + 1];
	int num;
	char kind[16];                /* kiosk | gateway, from the registry */
	char site[BW_CODE_MAX + 1];   /* its reception site in the registry ("" = not set) */
	int hb_seen;          /* a heartbeat arrived since the hub started */
	int64_t last_cursor;  /* the cursor of that heartbeat */
	/* issue 11: what one device may cost the hub. Budgets per kind of message (HL_*),
	 * its log lines throttled, and counters kept in memory under a flood and written to
	 * the devices table once a second (a write per dropped message was the flood's cost) */
	bw_bucket budget[HL_COUNT];
	bw_logonce logs;
	long drops_due, throttled_due, stamped_due;
	int clock_bad;        /* its last heartbeat's clock was off by more than GUARD_SKEW_MAX */
};

struct item {
	char dev[BW_CODE_MAX + 1];
	char reject[BW_ERRMSG];   /* why the hub refuses what the device claims; "" = none */
	bw_request r;
};

struct hub {
	hub_settings set;
	double rates[HL_COUNT][2];   /* budgets from set: per second, burst */
	const bw_log *log;
	bw_store *st;
	bw_link *link;               /* the MQTT connection to the site's broker */
	int64_t events_at, pub_at, overdue_at, devs_at, dv_at;
	int data_version;     /* PRAGMA data_version: moves when another process commits */
	hub_console *con;

	struct hdev *devs;
	size_t ndevs;

	struct item *batch;
	size_t nbatch;
	int64_t batch_since;

	int64_t event_cursor;
	char *pub_cat, *pub_hol;     /* last published, to publish again only on change */
	char overdue_day[BW_DATE_LEN + 1];
	hub_stats stats;
	bw_logonce unknown_logs;     /* lines about devices not enrolled */
	int64_t tick_at;             /* devs_tick, once a second */
};

/* A batch smaller than this when the socket runs dry is committed without waiting. */
#define TRICKLE 8

/* the link's monotonic clock, ms: the hub's timers and the link's are one */
static inline int64_t hub_now_ms(void)
{
	return bw_link_now_ms();
}

/* loop.c */
void hub_publish(hub *h, const char *topic, const char *payload, size_t len, int retain,
                 const mosquitto_property *props);

/* devices.c */
struct hdev *hub_find_dev(hub *h, const char *id, int reload);
int hub_dev_log_allow(hub *h, struct hdev *d);
void hub_dev_counts_flush(hub *h, struct hdev *d);
void hub_devs_tick(hub *h);
void hub_drop_dev(hub *h, struct hdev *d, const char *dev, const char *leaf, const char *why_in);
#define drop(h, dev, leaf, why) hub_drop_dev((h), hub_find_dev((h), (dev), 0), (dev), (leaf), (why))
void hub_on_presence(hub *h, struct hdev *d, const char *payload, int len, int retained);

/* ingest.c */
void hub_on_req(hub *h, struct hdev *d, const char *payload, int len);
void hub_on_evt(hub *h, struct hdev *d, const char *payload, int len);
void hub_on_query(hub *h, struct hdev *d, const char *payload, int len,
                  const mosquitto_property *props);

/* notify.c */
void hub_poll_events(hub *h);
void hub_replay(hub *h, struct hdev *d, int64_t cursor);

/* publish.c */
void hub_publish_public(hub *h, int force);
void hub_publish_presence(hub *h, int online);
int hub_presence(int online, char **json, size_t *len);

#endif
