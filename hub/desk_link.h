/* desk_link.h: the hub's side of the agents' consoles over MQTT: commands in on
 * bawaba/v1/agent/<user>/up/cmd (answered by desk_cmds.c), results out on the command's
 * response topic, and the live pushes: a request's queue row to every active agent whose
 * scope holds it (down/queue) and a device's presence changes to the agents of its site
 * (down/devices). The hub engine (loop.c) owns the MQTT client and calls in here. */
#ifndef HUB_CONSOLE_H
#define HUB_CONSOLE_H

#include <mosquitto.h>
#include <stddef.h>

#include "bw_log.h"
#include "bw_store.h"

/* How the console publishes: QoS 1, not retained, with props (may be NULL). */
typedef void (*hub_console_pub)(void *arg, const char *topic, const char *payload, size_t len,
                                const mosquitto_property *props);

typedef struct hub_console hub_console;

/* The console over an open store (borrowed, must outlive it); loads the agents table.
 * Never fails (out of memory aborts, a database error is logged and the agent list
 * stays empty until the next reload). */
hub_console *hub_console_new(bw_store *st, const bw_log *log, hub_console_pub pub, void *arg);
void hub_console_free(hub_console *c);

/* Rereads the agents table (after another process changed the database). */
void hub_console_reload(hub_console *c);
/* How many active agents are loaded. */
size_t hub_console_agents(hub_console *c);

/* 1 if topic is an agent's topic (bawaba/v1/agent/...), whatever its shape. */
int hub_console_is_agent_topic(const char *topic);

/* Handles one message on an agent topic. Only bawaba/v1/agent/<user>/up/cmd with <user>
 * starting with "agent-" is answered (the ACL's pattern lines let any user write under
 * agent/<its own name>, devices included: those are dropped and logged). The result goes
 * to the command's MQTT v5 response topic when that is the agent's own
 * bawaba/v1/agent/<user>/down/..., else to .../down/reply, with the command's correlation
 * data. Returns 1 if the command changed or filed a request (its row is then pushed from
 * the event log, see hub_console_request), 0 otherwise, -1 if the message was dropped. */
int hub_console_command(hub_console *c, const char *topic, const void *payload, int len,
                        const mosquitto_property *props);

/* 1 if some active agent's scope holds a request of this site and administration. */
int hub_console_wants(hub_console *c, const char *site, const char *admin);

/* Pushes the queue row of the request with this uid, {"v":1,"type":"change","row":{...}},
 * on down/queue of every active agent whose scope holds it. Returns how many agents got
 * it. */
int hub_console_request(hub_console *c, const char *uid);

/* Pushes the presence of device id, {"v":1,"type":"device","id":...,"kind":...,
 * "online":...,"last_seen":...,"outbox":...[,"signal":...,"queue":...]}, on down/devices
 * of every active agent of the device's site. Returns how many agents got it. */
int hub_console_device(hub_console *c, const char *id);

#endif
