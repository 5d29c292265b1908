/* smsd_int.h: private to bawaba-smsd's files (smsd*.c): its settings, the running
 * gateway's state, and what the loop (smsd.c), the settings table (smsd_conf.c) and the
 * send queue (smsd_send.c) call of each other. Not for other modules. */
#ifndef SMS_SMSD_INT_H
#define SMS_SMSD_INT_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bw_clock.h"
#include "bw_conf.h"
#include "bw_err.h"
#include "bw_log.h"
#include "bw_store.h"
#include "bw_sync.h"
#include "converse.h"
#include "modem.h"
#include "bw_smsdb.h"

#define MODEMS_MAX 8
#define RESET_MIN_MS 2000
#define RESET_MAX_MS 300000
#define EXPIRE_EVERY_NS (10LL * 1000000000LL)

/* ---- settings (smsd_conf.c) ---- */


struct settings {
	char db[1024];
	char sync[1024];
	char device[BW_CODE_MAX + 1];
	int device_num;
	char site[BW_CODE_MAX + 1];
	char localedir[1024];
	char log_level[16];
	char time_zone[64];   /* legal time (bw_clock_init): quiet hours, days of receipt */
	int poll_ms;
	int batch;
	int send_retries;
	int retry_base;
	sms_conv_settings conv;
	int nmodems;
	sms_modem_conf modems[MODEMS_MAX];
};

/* The settings table of smsd.conf, and the checks across settings after loading. */
extern const bw_conf_key smsd_keys[];
int smsd_settings_check(const struct settings *s, bw_err *e);

/* ---- the running gateway ---- */

typedef struct gw {
	struct settings *set;
	bw_log log;
	bw_store *st;
	sms_db *db;
	sms_conv conv;
	bw_sync *sync;
	sms_local_filer local;
	sms_modem *modems[MODEMS_MAX];
	int rx_open;                   /* a receive pass's transaction is open */
	int64_t reset_at[MODEMS_MAX];     /* ns: next reconnect attempt of a modem that is down */
	int reset_ms[MODEMS_MAX];
	int next_modem;                   /* round robin over the modems for sending */
	int64_t next_tick, next_expire;
	int busy;                         /* work left after the last turn: turn again at once */
	const char *crash_at;             /* BAWABA_SMSD_CRASH_AT, a test hook */
	/* figures */
	long received, duplicates, processed, parts_sent, send_failed;
	int64_t handle_ns;
	double cpu_start;                 /* CPU s and libGammu ns used before the loop (set-up, */
	int64_t gammu_start;              /* connecting, seeding): not counted per message */
} gw;

/* The test hook: dies like a kill -9 at a named point (documented in bawaba-smsd(8)). */
static inline void crash_point(const gw *g, const char *where)
{
	if (g->crash_at && strcmp(g->crash_at, where) == 0) {
		fprintf(stderr, "bawaba-smsd: BAWABA_SMSD_CRASH_AT=%s: exiting\n", where);
		_exit(137);
	}
}

static inline int64_t now_s(void)
{
	return bw_now();
}

/* The send queue (smsd_send.c): due SMS to modems with room in their rate. */
void smsd_turn_send(gw *g);

#endif
