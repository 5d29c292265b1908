/* bw_link.h: bawaba's one MQTT v5 client connection over libmosquitto, driven from the
 * caller's own poll() loop (no thread): the [broker] settings, a non-blocking TCP probe
 * before each connection (bw_probe.h), CONNECT with a session expiry, subscriptions made
 * again at each connection, a will, back-off with jitter after a loss or a refusal, the
 * goodbye, and the poll hooks. The edge sync (bw_sync), the agent console (agent/client)
 * and the hub each hold one; what a message means stays with them.
 *
 *   for (;;) {
 *       struct pollfd p = { bw_link_fd(l), POLLIN | (bw_link_want_write(l) ? POLLOUT : 0) };
 *       poll(&p, p.fd >= 0, min(bw_link_timeout_ms(l), the caller's own timers));
 *       bw_link_handle_in(l, p.fd >= 0 ? p.revents : 0);  // connects, reads: callbacks run
 *       ... the caller's due work, which may publish ...
 *       bw_link_handle_out(l);                              // writes it now, keepalive
 *   }
 *
 * bw_link_handle does both halves for a caller with nothing in between. */
#ifndef BW_LINK_H
#define BW_LINK_H

#include <mosquitto.h>
#include <stddef.h>
#include <stdint.h>

#include "bw_conf.h"
#include "bw_err.h"
#include "bw_log.h"
#include "bw_request.h"

/* What the operator configures about the broker; nothing about a running connection. */
typedef struct bw_link_settings {
	char host[256];
	int port;
	char username[BW_CODE_MAX + 1];  /* the broker user, also the MQTT client id */
	char password[128];
	char cafile[1024];               /* "" = plain TCP */
	int keepalive;                   /* s, MQTT keepalive; 0 = 30 */
	/* s the broker keeps our session (subscriptions, queued QoS 1 messages) while we are
	 * away; -1: a clean session, nothing kept (a console that asks again anyway) */
	int session_expiry;
	int reconnect_min_ms;            /* first wait after a loss; 0 = 250 */
	int reconnect_max_ms;            /* longest wait, also after a refusal; 0 = 30000 */
	int inflight_max;                /* MQTT v5 receive and send maximum; 0 = libmosquitto's */
	int read_max;                    /* packets read per bw_link_handle_in at most; 0 = 256 */
} bw_link_settings;

/* The [broker] section every program's settings table includes, as rows of that table:
 * st is the program's settings struct, m its bw_link_settings member; the user's default
 * and doc line are the program's ("hub", "broker user = device id"). Keepalive and the
 * timings stay in each program's own section, where its files have them. */
#define BW_LINK_CONF(st, m, user_def, user_doc) \
	BW_CONF_S("broker", "host", st, m.host, "127.0.0.1", "broker host"), \
	BW_CONF_I("broker", "port", st, m.port, 1, 65535, "1883", "broker port"), \
	BW_CONF_S("broker", "username", st, m.username, user_def, user_doc), \
	BW_CONF_S("broker", "password", st, m.password, NULL, "broker password"), \
	BW_CONF_P("broker", "cafile", st, m.cafile, NULL, "CA certificate; empty = plain TCP")

/* The connection as a console shows it. */
enum bw_link_state {
	BW_LINK_CONNECTING = 0,  /* first attempt under way */
	BW_LINK_ONLINE,          /* CONNACK success received, subscriptions sent */
	BW_LINK_LOST,            /* was online or never reached: retrying */
	BW_LINK_REFUSED,         /* the broker refused the credentials: retrying slowly */
};

/* What the owner wants to hear about; every member may be NULL. Callbacks run inside
 * bw_link_handle_in (and bw_link_publish never calls one). */
typedef struct bw_link_callbacks {
	void *arg;
	/* The state changed (enum bw_link_state); why is a short English reason. On
	 * BW_LINK_ONLINE the subscriptions are sent already: publish what a new connection
	 * needs (presence, what was in flight). Any other state: the connection is gone. */
	void (*state)(void *arg, int state, const char *why);
	/* A message on a subscribed topic; both valid during the call. */
	void (*message)(void *arg, const struct mosquitto_message *msg, const mosquitto_property *props);
	/* The broker refused a publish: PUBACK reason >= 0x80 (0x87 not authorised). mid is
	 * what bw_link_publish gave. 0x10 "no matching subscribers" is not a refusal. */
	void (*refused)(void *arg, int mid, int reason);
} bw_link_callbacks;

typedef struct bw_link bw_link;

/* What a link counted since it was made. */
typedef struct bw_link_stats {
	long connects;       /* CONNACK successes */
	long losses;         /* connections that went away, and failed attempts */
	long received;       /* messages handed to the message callback */
	long published;      /* publishes queued */
} bw_link_stats;

/* Creates the link (does not connect yet: the first bw_link_handle_in does). s and cb are
 * copied; log is borrowed (may be NULL). BW_EINVAL for a missing host or username, or
 * credentials or a cafile libmosquitto refuses; BW_ENOMEM. */
int bw_link_new(bw_link **out, const bw_link_settings *s, const bw_link_callbacks *cb,
                const bw_log *log, bw_err *e);
/* Sends the goodbye if a connection is open (DISCONNECT, which makes the broker drop the
 * will: publish a last presence first) and writes what is queued for up to max_ms, then
 * frees. NULL is fine. */
void bw_link_free(bw_link *l, int max_ms);

/* The will: what the broker publishes (QoS 1) if the connection dies without a goodbye.
 * Before the first bw_link_handle_in. BW_EINVAL if libmosquitto refuses it. */
int bw_link_will(bw_link *l, const char *topic, const void *payload, size_t len, int retain,
                 bw_err *e);
/* A subscription (QoS 1), made now when online and again at each connection. At most
 * BW_LINK_SUBS_MAX: BW_ETOOBIG past it. */
#define BW_LINK_SUBS_MAX 8
int bw_link_subscribe(bw_link *l, const char *topic, bw_err *e);

/* Queues a QoS 1 publish; *mid (may be NULL) gets its message id for the refused
 * callback. props (may be NULL) are copied. BW_EAGAIN when no connection is open (nothing
 * queued), BW_EIO when libmosquitto refuses (e says why). */
int bw_link_publish(bw_link *l, int *mid, const char *topic, const void *payload, size_t len,
                    int retain, const mosquitto_property *props, bw_err *e);
/* Writes what is queued now rather than at the next loop turn (an answer comes back
 * sooner); a failed write is noticed by the next bw_link_handle_out. */
void bw_link_flush(bw_link *l);

/* The socket to poll: the probe's while it runs, then the MQTT one; -1 while neither (then
 * only the timeout matters). */
int bw_link_fd(bw_link *l);
/* 1 if POLLOUT is wanted too. */
int bw_link_want_write(bw_link *l);
/* The first half of the work after poll() (revents 0 after a timeout is fine): starts an
 * attempt when its time came, follows the probe, reads what is there (the callbacks run
 * here). Returns 1 when nothing more waits to be read now, 0 when it stopped at read_max
 * with more perhaps there (a caller batching work can wait for the rest). */
int bw_link_handle_in(bw_link *l, short revents);
/* The second half: writes what is queued, sends the keepalive, notices a closed socket. */
void bw_link_handle_out(bw_link *l);
/* Both halves. */
void bw_link_handle(bw_link *l, short revents);
/* Milliseconds until the link's next timer (probe, attempt, keepalive), 0..1000. */
int bw_link_timeout_ms(bw_link *l);

/* enum bw_link_state; 1 when online (CONNACK success); 1 while a connection exists
 * (CONNACK may still be due). */
int bw_link_state(const bw_link *l);
int bw_link_online(const bw_link *l);
int bw_link_open(const bw_link *l);
const bw_link_stats *bw_link_get_stats(const bw_link *l);

/* The monotonic clock (ms) of every timer of the link and of its owners. */
int64_t bw_link_now_ms(void);
/* ms times a random factor in [0.75, 1.25): clients that lost the broker together do
 * not come back together. */
int64_t bw_link_jitter(int64_t ms);

/* A user property's value (the first with that name) into out ("" when absent); an
 * integer one into *v (returns 1 if present and a whole decimal number, else 0). */
void bw_link_prop_str(const mosquitto_property *props, const char *name, char *out, size_t size);
int bw_link_prop_int(const mosquitto_property *props, const char *name, int64_t *v);

#endif
