/* client.h: the agent console's side of the hub's protocol, over the shared MQTT client
 * (bw_link.h, which connects with the agent's own broker credentials and reconnects by
 * itself): sends commands to the hub with a correlation id and matches the replies,
 * times them out, hears the hub's live queue changes and device presence. Driven from
 * the program's own loop (no thread): ag_client_fd, ag_client_want_write,
 * ag_client_handle, ag_client_timeout_ms, as bw_sync.h. */
#ifndef AGENT_CLIENT_H
#define AGENT_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "bw_agentproto.h"
#include "bw_err.h"
#include "bw_link.h"
#include "bw_log.h"

typedef struct ag_client_settings {
	/* [broker] host, port, username (agent-NAME: the broker user and the topic's <user>),
	 * password, cafile, keepalive; reconnect_max_ms; a clean session (bw_link.h) */
	bw_link_settings broker;
	int timeout_ms;                  /* a command without a reply by then has failed */
} ag_client_settings;

/* The connection as the console shows it: enum bw_link_state, under the console's names. */
enum ag_net {
	AG_NET_CONNECTING = BW_LINK_CONNECTING,  /* first attempt under way */
	AG_NET_ONLINE = BW_LINK_ONLINE,          /* CONNACK received, subscribed */
	AG_NET_LOST = BW_LINK_LOST,              /* was online or never reached: retrying */
	AG_NET_REFUSED = BW_LINK_REFUSED,        /* the broker refused the credentials: retrying slowly */
};

typedef struct ag_client_callbacks {
	void *arg;
	/* A message from the hub: a reply (corr = the id ag_client_send gave) or a pushed
	 * change / presence (corr = 0). json is valid during the call. */
	void (*message)(void *arg, const char *json, size_t len, uint32_t corr);
	/* A command that will get no reply: no answer within timeout_ms, refused by the
	 * broker (PUBACK reason >= 0x80), or the connection was lost under it. */
	void (*failed)(void *arg, uint32_t corr, int op, int code, const char *why);
	/* The connection changed state (enum ag_net); why is a short English reason. */
	void (*state)(void *arg, int net, const char *why);
} ag_client_callbacks;

typedef struct ag_client ag_client;

/* Creates the client (does not connect yet: the first ag_client_handle does). s and cb
 * are copied; log is borrowed (may be NULL). BW_EINVAL for a missing host, user or
 * password, or a cafile libmosquitto refuses. Unset timings get defaults (timeout 5 s,
 * reconnect max 5 s, keepalive 30 s). */
int ag_client_new(ag_client **out, const ag_client_settings *s, const ag_client_callbacks *cb,
                  const bw_log *log, bw_err *e);
/* Disconnects (DISCONNECT sent when online) and frees. NULL is fine. */
void ag_client_free(ag_client *c);

/* Sends cmd to the hub; *corr (may be NULL) gets its correlation id (never 0). BW_EAGAIN
 * when not connected (nothing is queued: the console says so at once), BW_ETOOBIG when
 * too many commands wait for replies, BW_EINVAL when the command does not encode. */
int ag_client_send(ag_client *c, const bw_agent_cmd *cmd, uint32_t *corr, bw_err *e);

/* The socket to poll (-1 while disconnected), whether POLLOUT is wanted, the work after
 * poll (revents 0 after a timeout is fine), and the milliseconds to the next timer. */
int ag_client_fd(ag_client *c);
int ag_client_want_write(ag_client *c);
void ag_client_handle(ag_client *c, short revents);
int ag_client_timeout_ms(ag_client *c);

/* enum ag_net. */
int ag_client_state(const ag_client *c);
/* Commands waiting for a reply. */
int ag_client_pending(const ag_client *c);

#endif
