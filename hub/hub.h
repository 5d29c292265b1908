/* hub.h: the hub engine behind bawaba-hub: ingests requests from devices in group commits
 * and acknowledges each after the commit holding it, answers status queries, publishes
 * status changes (and replays them from the event log), keeps device presence, publishes
 * the catalogue and holidays, counts overdue requests. One thread, driven from the
 * program's poll() loop like bw_sync. */
#ifndef BW_HUB_H
#define BW_HUB_H

#include <stdint.h>
#include <stdio.h>

#include "bw_err.h"
#include "bw_log.h"
#include "bw_request.h"
#include "guard.h"

typedef struct hub_settings {
	char host[256];
	int port;
	char username[BW_CODE_MAX + 1];
	char password[128];
	char cafile[1024];
	char dev_id[BW_CODE_MAX + 1], dev_kind[16], dev_site[BW_CODE_MAX + 1];  /* [device], unused */
	char db[1024];          /* the central store */
	int batch_max;          /* requests per group commit at most */
	int batch_ms;           /* a batch waits at most this long for more under load */
	int events_ms;          /* how often the event log is polled for status changes */
	int replay_max;         /* notifications re-sent per heartbeat at most */
	int keepalive;
	int session_expiry;
	char log_level[16];
	char time_zone[64];     /* legal time (bw_clock_init) */
	int log_interval;       /* s: LOG_LINES lines per device in it, then a count */
	/* [budget]: per device, a second, and the burst (rate 0: no limit) */
	int req_rate, req_burst, evt_rate, evt_burst;
	int query_rate, query_burst, presence_rate, presence_burst;
	guard_codes codes;      /* receipt-code guessing limits */
} hub_settings;

/* Defaults: port 1883, user "hub", batch 256 / 3 ms, events every 200 ms, replay 500,
 * keepalive 30, session expiry 7 days, log level info. */
void hub_settings_default(hub_settings *s);
/* Loads an INI file: [broker] host port username password cafile, [device] id kind site
 * (ignored: the broker dir's hub.conf has it), [hub] db batch_max batch_ms events_ms
 * replay_max keepalive session_expiry log_level log_interval, [budget] req_rate req_burst evt_rate
 * evt_burst query_rate query_burst presence_rate presence_burst code_device_max
 * code_device_window code_request_max code_request_window. Errors as bw_conf_load. */
int hub_settings_load(const char *path, hub_settings *s, bw_err *e);
/* Sets "section.key=value" as a file line would (command-line -o). */
int hub_settings_set(hub_settings *s, const char *assignment, bw_err *e);
/* Writes an annotated default configuration. */
void hub_settings_print(FILE *fp);

/* What the hub counted since it started. */
typedef struct hub_stats {
	long received, stored, duplicates, rejected, dropped, batches;
	long queries, notified, replayed, presence;
	long overdue;           /* open requests past their deadline at the last daily count */
	long events;            /* events made on devices (up/evt) received */
	long commands, pushed;  /* agents' commands; rows and presence pushed to agents */
	long throttled;         /* messages dropped unread: their device was over its budget */
	long stamped;           /* times a device stated were replaced by the hub's */
	int64_t first_req_ms;   /* monotonic ms of the first request received (0: none yet) */
	int64_t last_ack_ms;    /* ... and of the last batch acknowledged: the ingest span */
} hub_stats;

typedef struct hub hub;

/* Opens the store at s->db (migrations applied; a fresh database gets the shipped
 * catalogue and holidays) and prepares the MQTT client (not connected yet). */
int hub_new(hub **out, const hub_settings *s, const bw_log *log, bw_err *e);
/* Commits and acknowledges what is batched, says goodbye to the broker, frees. */
void hub_free(hub *h);

int hub_fd(hub *h);                 /* -1 while disconnected */
int hub_want_write(hub *h);
void hub_handle(hub *h, short revents);
int hub_timeout_ms(hub *h);         /* next timer, CLOCK_MONOTONIC; 0..1000 */
/* Commits and acknowledges the current batch now (SIGTERM path). */
void hub_flush(hub *h);
/* Rereads the devices table (after an enrolment; also done by itself on an unknown id). */
void hub_reload_devices(hub *h);
const hub_stats *hub_get_stats(hub *h);
void hub_log_stats(hub *h);

/* Enrols a registered device (its config file written by `bawaba-broker register`) in the
 * hub database dbpath: a devices row with a unique number (num > 0 asks for that one,
 * 0 takes the next free), and writes `num=` into the file's [device] section so the
 * device makes references with it. Enrolling again keeps the number (BW_OK). *num_out
 * gets the number. BW_EINVAL for a kind other than kiosk/gateway or a bad file;
 * BW_EEXIST if the asked number belongs to another device. */
int hub_enroll(const char *dbpath, const char *device_conf, int num, int *num_out, bw_err *e);

#endif
