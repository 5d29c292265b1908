/* console.c: the hub's side of the agents' consoles over MQTT: topic and identity checks,
 * request/response plumbing around agent.c, and the live queue and presence pushes to the
 * agents whose scope holds what changed. */
#include "bw_clock.h"
#include "console.h"

#include <jansson.h>
#include <mqtt_protocol.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent.h"
#include "bw_agentproto.h"
#include "bw_calendar.h"
#include "bw_proto.h"

#define AGENT_PREFIX BW_PROTO_ROOT "/agent/"

struct hub_console {
	bw_store *st;
	const bw_log *log;
	hub_console_pub pub;
	void *arg;
	hub_agent *agents;      /* the active ones */
	size_t nagents;
};

hub_console *hub_console_new(bw_store *st, const bw_log *log, hub_console_pub pub, void *arg)
{
	hub_console *c = bw_xcalloc(1, sizeof *c);
	c->st = st;
	c->log = log;
	c->pub = pub;
	c->arg = arg;
	hub_console_reload(c);
	return c;
}

void hub_console_free(hub_console *c)
{
	if (!c)
		return;
	free(c->agents);
	free(c);
}

void hub_console_reload(hub_console *c)
{
	sqlite3 *db = bw_store_db(c->st);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT id, name, site, admin FROM agents WHERE active = 1 ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK) {
		log_error(c->log, "agents: %s", sqlite3_errmsg(db));
		return;
	}
	size_t cap = 8, n = 0;
	hub_agent *a = bw_xcalloc(cap, sizeof *a);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n == cap)
			a = bw_xrealloc(a, (cap *= 2) * sizeof *a);
		memset(&a[n], 0, sizeof a[n]);
		bw_strlcpy(a[n].id, (const char *)sqlite3_column_text(st, 0), sizeof a[n].id);
		bw_strlcpy(a[n].name, (const char *)sqlite3_column_text(st, 1), sizeof a[n].name);
		bw_strlcpy(a[n].site, (const char *)sqlite3_column_text(st, 2), sizeof a[n].site);
		bw_strlcpy(a[n].admin, (const char *)sqlite3_column_text(st, 3), sizeof a[n].admin);
		a[n].active = 1;
		n++;
	}
	sqlite3_finalize(st);
	if (n != c->nagents)
		log_info(c->log, "%zu active agent%s", n, n == 1 ? "" : "s");
	free(c->agents);
	c->agents = a;
	c->nagents = n;
}

size_t hub_console_agents(hub_console *c)
{
	return c->nagents;
}

int hub_console_is_agent_topic(const char *topic)
{
	return strncmp(topic, AGENT_PREFIX, sizeof AGENT_PREFIX - 1) == 0;
}

/* Splits bawaba/v1/agent/<user>/<leaf>; 0 on success. */
static int split(const char *topic, char user[BW_CODE_MAX + 1], const char **leaf)
{
	const char *u = topic + sizeof AGENT_PREFIX - 1, *slash = strchr(u, '/');
	if (!hub_console_is_agent_topic(topic) || !slash || slash == u || slash - u > BW_CODE_MAX)
		return -1;
	memcpy(user, u, (size_t)(slash - u));
	user[slash - u] = '\0';
	*leaf = slash + 1;
	return 0;
}

/* The reply topic: the command's response topic if it is the agent's own down/...,
 * otherwise down/reply (an agent cannot make the hub write where it may not). */
static void reply_topic(const char *user, const mosquitto_property *props, char *out, size_t size)
{
	char own[sizeof AGENT_PREFIX + BW_CODE_MAX + 8];
	char *rt = NULL;
	snprintf(own, sizeof own, AGENT_PREFIX "%s/down/", user);
	snprintf(out, size, "%.*sreply", (int)(size - 6), own);
	if (!mosquitto_property_read_string(props, MQTT_PROP_RESPONSE_TOPIC, &rt, false))
		return;
	size_t n = strlen(own);
	if (strncmp(rt, own, n) == 0 && rt[n] && !strpbrk(rt + n, "+#") && strlen(rt) < size)
		snprintf(out, size, "%s", rt);
	free(rt);
}

int hub_console_command(hub_console *c, const char *topic, const void *payload, int len,
                        const mosquitto_property *props)
{
	char user[BW_CODE_MAX + 1], ref[BW_REF_LEN + 1], rt[BW_PROTO_TOPIC_MAX];
	const char *leaf;
	char *reply = NULL;
	bw_err e;
	if (split(topic, user, &leaf) || strcmp(leaf, "up/cmd") != 0) {
		log_warn(c->log, "dropped a message on %.80s: not an agent command topic", topic);
		return -1;
	}
	if (strncmp(user, "agent-", 6) != 0) {
		/* a device may write under agent/<its id>/ (pattern ACL): it is no agent */
		log_warn(c->log, "dropped up/cmd from %s: not an agent", user);
		return -1;
	}
	if (len > BW_AGENT_MSG_MAX) {
		log_warn(c->log, "dropped up/cmd from %s: %d bytes, at most %d", user, len, BW_AGENT_MSG_MAX);
		return -1;
	}
	reply_topic(user, props, rt, sizeof rt);
	int rc = hub_agent_handle(c->st, user, payload, (size_t)len, bw_now(), &reply, ref, &e);
	if (rc != BW_OK) {
		log_error(c->log, "command of %s: %s", user, e.msg);
		reply = bw_xstrdup("{\"v\":1,\"type\":\"result\",\"op\":\"?\",\"ok\":false,"
				   "\"error\":\"the hub could not do it now; try again\"}");
	}
	mosquitto_property *out = NULL;
	void *corr = NULL;
	uint16_t clen = 0;
	if (mosquitto_property_read_binary(props, MQTT_PROP_CORRELATION_DATA, &corr, &clen, false)) {
		mosquitto_property_add_binary(&out, MQTT_PROP_CORRELATION_DATA, corr, clen);
		free(corr);
	}
	c->pub(c->arg, rt, reply, strlen(reply), out);
	mosquitto_property_free_all(&out);
	log_debug(c->log, "command of %s answered on %s", user, rt);
	free(reply);
	return rc == BW_OK && ref[0] ? 1 : 0;
}

int hub_console_wants(hub_console *c, const char *site, const char *admin)
{
	for (size_t i = 0; i < c->nagents; i++)
		if (strcmp(c->agents[i].site, site) == 0 &&
		    (!c->agents[i].admin[0] || strcmp(c->agents[i].admin, admin) == 0))
			return 1;
	return 0;
}

static void push(hub_console *c, const hub_agent *a, const char *leaf, const char *msg)
{
	char topic[BW_PROTO_TOPIC_MAX];
	snprintf(topic, sizeof topic, AGENT_PREFIX "%s/down/%s", a->id, leaf);
	c->pub(c->arg, topic, msg, strlen(msg), NULL);
}

int hub_console_request(hub_console *c, const char *uid)
{
	bw_request *r = bw_xmalloc(sizeof *r);
	char today[BW_DATE_LEN + 1];
	int n = 0;
	if (bw_store_get_uid(c->st, uid, r, NULL) != BW_OK)
		goto out;
	bw_day_format(bw_legal_day(bw_now()), today);
	char *row = hub_agent_row(r, today), *msg = NULL;
	if (!row)
		goto out;
	size_t sz = strlen(row) + 64;
	msg = bw_xmalloc(sz);
	snprintf(msg, sz, "{\"v\":1,\"type\":\"change\",\"row\":%s}", row);
	for (size_t i = 0; i < c->nagents; i++)
		if (hub_agent_in_scope(&c->agents[i], r)) {
			push(c, &c->agents[i], "queue", msg);
			n++;
		}
	free(row);
	free(msg);
out:
	free(r);
	return n;
}

int hub_console_device(hub_console *c, const char *id)
{
	sqlite3 *db = bw_store_db(c->st);
	sqlite3_stmt *st;
	int n = 0;
	if (!c->nagents)
		return 0;
	if (sqlite3_prepare_v2(db, "SELECT id, kind, site, online, last_seen, outbox_depth, signal, send_queue, "
			       "clock_skew FROM devices WHERE id = ?1", -1, &st, NULL) != SQLITE_OK) {
		log_error(c->log, "devices: %s", sqlite3_errmsg(db));
		return 0;
	}
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *site = (const char *)sqlite3_column_text(st, 2);
		json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:b, s:I, s:I}", "v", 1, "type", "device",
				      "id", sqlite3_column_text(st, 0), "kind", sqlite3_column_text(st, 1),
				      "online", sqlite3_column_int(st, 3),
				      "last_seen", (json_int_t)sqlite3_column_int64(st, 4),
				      "outbox", (json_int_t)sqlite3_column_int64(st, 5));
		if (o && sqlite3_column_type(st, 6) != SQLITE_NULL)
			json_object_set_new(o, "signal", json_integer(sqlite3_column_int(st, 6)));
		if (o && sqlite3_column_type(st, 7) != SQLITE_NULL)
			json_object_set_new(o, "queue", json_integer(sqlite3_column_int(st, 7)));
		/* the device's clock minus the hub's at its last heartbeat (issue 11) */
		if (o && sqlite3_column_type(st, 8) != SQLITE_NULL)
			json_object_set_new(o, "clock_skew", json_integer(sqlite3_column_int64(st, 8)));
		char *msg = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
		json_decref(o);
		for (size_t i = 0; msg && i < c->nagents; i++)
			if (strcmp(c->agents[i].site, site) == 0) {
				push(c, &c->agents[i], "devices", msg);
				n++;
			}
		free(msg);
	}
	sqlite3_finalize(st);
	return n;
}
