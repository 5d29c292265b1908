/* desk_cmds.h: the hub's side of the agent console: who an agent is, what they may see, and
 * the answer to each of their commands (bw_agentproto.h), computed from the store. */
#ifndef HUB_AGENT_H
#define HUB_AGENT_H

#include <stdint.h>

#include "bw_store.h"

/* an agent as the store holds it: id ("agent-amina", the broker user), name, site,
 * admin ("" = every administration of the site), active */
typedef bw_agent hub_agent;

/* Loads the agent with this broker user name. BW_ENOTFOUND if not registered. */
int hub_agent_lookup(bw_store *s, const char *id, hub_agent *out, bw_err *e);

/* Registers (or, with replace, updates) an agent. BW_EINVAL for a bad id or site. */
int hub_agent_add(bw_store *s, const hub_agent *a, int replace, int64_t now, bw_err *e);

/* 1 if the request is within the agent's scope: their site, and their administration
 * when they have one. */
int hub_agent_in_scope(const hub_agent *a, const bw_request *r);

/* Answers one command from broker user `user` (the topic's identity, checked by the
 * broker's ACL): *reply gets the result JSON to publish on the agent's reply topic
 * (caller frees). Refusals (unknown or disabled agent, out of scope, illegal move, bad
 * command) are results with "ok": false and the reason, so the console can show it.
 * *changed_ref (13 bytes, may be NULL) gets the reference of a request the command
 * changed or filed, "" otherwise, so the hub can push the change to other consoles.
 * Returns BW_OK when a reply was made; BW_EDB/BW_ENOMEM otherwise. */
int hub_agent_handle(bw_store *s, const char *user, const char *json, size_t len, int64_t now,
                     char **reply, char *changed_ref, bw_err *e);

/* A request as one row of an agent's queue, JSON (caller frees): reference, kind, state,
 * channel, administration, category, site, device, dates, flags, phone, the start of the
 * text. Personal data: for agents only. */
char *hub_agent_row(const bw_request *r, const char *today);

/* A device as agents see it, JSON (caller decrefs): id, kind, online, last_seen, outbox,
 * and what it said of its signal, send queue and clock. NULL if it cannot be encoded. */
struct json_t *hub_agent_device(const bw_device *d);

#endif
