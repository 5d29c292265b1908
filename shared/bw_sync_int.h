/* bw_sync_int.h: what the edge sync's files (bw_sync*.c) share and nobody else sees: the
 * state of a bw_sync and the functions they call across. */
#ifndef BW_SYNC_INT_H
#define BW_SYNC_INT_H

#include <mosquitto.h>
#include <stdint.h>

#include "bw_link.h"
#include "bw_sync.h"

#define QUERIES_MAX 32

/* One outbox row the sender is working on: published and waiting for the hub's ack, or
 * waiting for its next attempt. The window bounds how many exist at once. */
struct pend {
	int64_t seq;
	char uid[BW_UID_LEN + 1];
	int is_evt;
	int mid;           /* libmosquitto message id of the last publish, 0 = none */
	int attempts;      /* publishes so far in this run */
	int64_t due_ms;    /* when to publish (again) */
	int acked;         /* marked done in the open local transaction: leaves the window at
	                    * its commit, or waits for its next attempt if the commit fails */
};

struct query {
	int used;
	char corr[24];
	char ref[BW_REF_LEN + 1];
	char code[BW_RCODE_LEN + 1];   /* the receipt code asked with, "" for none */
	int64_t due_ms;
	bw_sync_query_fn cb;
	void *arg;
};

struct bw_sync {
	bw_sync_settings set;
	bw_store *st;           /* the device's own store (borrowed) */
	bw_sync_callbacks cb;
	const bw_log *log;
	bw_link *link;          /* the MQTT connection (bw_link.h) */

	int hub;                /* the hub's retained presence: 1 online, 0 offline, -1 not heard */
	int64_t heartbeat_at;
	int in_tx;              /* a lazy transaction for acks is open */
	int forgot;             /* personal fields forgotten since the last WAL truncation */
	int64_t truncate_at;    /* ms, monotonic: the next wal_checkpoint(TRUNCATE) at most */

	struct pend *pend;
	size_t npend;
	int64_t scan_from;      /* highest outbox seq taken into pend */
	int64_t cursor;         /* notify cursor */

	struct query q[QUERIES_MAX];
	unsigned next_corr;

	char t_req[BW_PROTO_TOPIC_MAX], t_evt[BW_PROTO_TOPIC_MAX], t_query[BW_PROTO_TOPIC_MAX];
	char t_presence[BW_PROTO_TOPIC_MAX], t_reply[BW_PROTO_TOPIC_MAX];
	char t_down[BW_PROTO_TOPIC_MAX];
};


#define now_ms bw_link_now_ms

/* bw_sync_outbox.c: the outbox and its sender */
void sync_tx_lazy(bw_sync *s);
void sync_tx_done(bw_sync *s);
void sync_pump(bw_sync *s);
void sync_on_ack(bw_sync *s, const char *payload, int len, const mosquitto_property *props);
void sync_on_refused(void *arg, int mid, int reason);

/* bw_sync_query.c: status queries */
void sync_on_reply(bw_sync *s, const char *payload, int len, const mosquitto_property *props);
void sync_expire_queries(bw_sync *s, int all);

/* bw_sync_notify.c: the hub's notifications and public tables into the local store */
void sync_on_notify(bw_sync *s, const char *payload, int len, const mosquitto_property *props);
void sync_on_public(bw_sync *s, const char *topic, const char *payload, int len);

/* bw_sync_presence.c: the device's heartbeat and the hub's presence */
void sync_publish_presence(bw_sync *s, int online);
void sync_on_hub(bw_sync *s, const char *payload, int len);

#endif
