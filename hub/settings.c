/* settings.c: the hub's settings: the table of keys of bawaba-hub's configuration file
 * (sections [broker], [device], [hub], [budget]) with bounds and defaults, loaded from a
 * file, set from the command line (-o), printed as an annotated sample. */
#include <string.h>

#include "bw_clock.h"
#include "bw_conf.h"
#include "hub.h"

/* ---- settings ---- */

static const bw_conf_key keys[] = {
	BW_LINK_CONF(hub_settings, link, "hub", "broker user of the hub"),
	BW_CONF_S("device", "id", hub_settings, dev_id, NULL, "written by bawaba-broker; unused"),
	BW_CONF_S("device", "kind", hub_settings, dev_kind, NULL, "written by bawaba-broker; unused"),
	BW_CONF_S("device", "site", hub_settings, dev_site, NULL, "written by bawaba-broker; unused"),
	BW_CONF_P("hub", "db", hub_settings, db, "/var/lib/bawaba/hub.db", "the central database"),
	BW_CONF_I("hub", "batch_max", hub_settings, batch_max, 1, 10000, "256",
		  "requests per group commit at most"),
	BW_CONF_I("hub", "batch_ms", hub_settings, batch_ms, 0, 1000, "3",
		  "longest wait of a batch under load, ms"),
	BW_CONF_I("hub", "events_ms", hub_settings, events_ms, 10, 60000, "200",
		  "event log polled every N ms for status changes"),
	BW_CONF_I("hub", "replay_max", hub_settings, replay_max, 1, 100000, "500",
		  "notifications re-sent to a device per heartbeat at most"),
	BW_CONF_I("hub", "keepalive", hub_settings, link.keepalive, 5, 3600, "30", "MQTT keepalive, s"),
	BW_CONF_I("hub", "session_expiry", hub_settings, link.session_expiry, 0, 2147483647, "604800",
		  "s the broker keeps the hub's session (and queues requests) while it is away"),
	BW_CONF_S("hub", "log_level", hub_settings, log_level, "info", "error, warn, info or debug"),
	BW_CLOCK_CONF("hub", hub_settings, time_zone),
	BW_CONF_I("hub", "log_interval", hub_settings, log_interval, 1, 3600, "60",
		  "s: at most 20 lines about one device in it, then one line with the count"),
	/* per-device budgets, checked before a message is read: what goes over is dropped
	 * unread and counted (devices.throttled). A request or event dropped this way gets no
	 * ack, so the device sends it again later: nothing is lost, a flood only slows its
	 * own device. The bursts let a device send its backlog after an outage at once. */
	BW_CONF_I("budget", "req_rate", hub_settings, req_rate, 0, 1000000, "100",
		  "requests a second per device (0: no limit)"),
	BW_CONF_I("budget", "req_burst", hub_settings, req_burst, 1, 1000000, "3000",
		  "requests a device may send at once"),
	BW_CONF_I("budget", "evt_rate", hub_settings, evt_rate, 0, 1000000, "20",
		  "events a second per device (0: no limit)"),
	BW_CONF_I("budget", "evt_burst", hub_settings, evt_burst, 1, 1000000, "1000",
		  "events a device may send at once"),
	BW_CONF_I("budget", "query_rate", hub_settings, query_rate, 0, 1000000, "5",
		  "status queries a second per device, with or without a code (0: no limit)"),
	BW_CONF_I("budget", "query_burst", hub_settings, query_burst, 1, 1000000, "30",
		  "status queries a device may send at once"),
	BW_CONF_I("budget", "presence_rate", hub_settings, presence_rate, 0, 1000000, "5",
		  "heartbeats a second per device (0: no limit)"),
	BW_CONF_I("budget", "presence_burst", hub_settings, presence_burst, 1, 1000000, "60",
		  "heartbeats a device may send at once"),
	/* receipt-code guessing, counted in the database (table code_tries) over sliding
	 * windows, so a restart of the hub does not reset it (docs/protocol.md) */
	BW_CONF_I("budget", "code_device_max", hub_settings, codes.device_max, 1, 100000, "30",
		  "wrong receipt codes through one device per code_device_window"),
	BW_CONF_I("budget", "code_device_window", hub_settings, codes.device_window, 60, 604800, "3600",
		  "s"),
	BW_CONF_I("budget", "code_request_max", hub_settings, codes.request_max, 1, 100000, "10",
		  "wrong receipt codes on one reference per code_request_window, whatever the device"),
	BW_CONF_I("budget", "code_request_window", hub_settings, codes.request_window, 60, 2592000,
		  "86400", "s"),
	BW_CONF_END
};

void hub_settings_default(hub_settings *s)
{
	memset(s, 0, sizeof *s);
	bw_conf_defaults(keys, s, NULL);
}

int hub_settings_load(const char *path, hub_settings *s, bw_err *e)
{
	return bw_conf_load(path, keys, s, e);
}

int hub_settings_set(hub_settings *s, const char *a, bw_err *e)
{
	char sec[32], name[32];
	const char *dot = strchr(a, '.'), *eq = strchr(a, '=');
	if (!dot || !eq || dot > eq || (size_t)(dot - a) >= sizeof sec || (size_t)(eq - dot - 1) >= sizeof name)
		return bw_fail(e, BW_EINVAL, "%s: expected section.key=value", a);
	memcpy(sec, a, (size_t)(dot - a));
	sec[dot - a] = '\0';
	memcpy(name, dot + 1, (size_t)(eq - dot - 1));
	name[eq - dot - 1] = '\0';
	return bw_conf_set(keys, s, sec, name, eq + 1, e);
}

void hub_settings_print(FILE *fp)
{
	bw_conf_print(keys, fp);
}
