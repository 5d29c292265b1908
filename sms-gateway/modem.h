/* modem.h: one GSM modem through libGammu: connect and reset, read every message (parts
 * linked, decoded to UTF-8) and delete it only after the caller committed it, encode and
 * send replies, a per-SIM send rate (token bucket on CLOCK_MONOTONIC), and the time spent
 * inside libGammu for the figures. Every call blocks for as long as the modem takes:
 * callers bound the work per call (max messages) and call from their own timer. */
#ifndef SMS_MODEM_H
#define SMS_MODEM_H

#include <stdint.h>
#include <stdio.h>

#include "bw_err.h"
#include "bw_log.h"
#include "smsdb.h"

/* [modem NAME] in the gateway's configuration: Gammu's own keys, plus our rate. */
typedef struct sms_modem_conf {
	char name[BW_CODE_MAX + 1];
	char device[1024];         /* /dev/ttyUSB0, or the dummy phone's directory */
	char connection[64];       /* "at", "at115200", ...; "none" for the dummy driver */
	char model[64];            /* "" (auto), "dummy" */
	int rate_per_minute;       /* SMS parts this SIM may send per minute */
	char pin_file[1024];       /* the SIM's PIN (sim.h); "" = the SIM asks none */
	int fault_pin;             /* test hook: the SIM asks for its PIN (the dummy's never does) */
	/* test hooks (not config keys; BAWABA_SMSD_FAULT in bawaba-smsd(8)), because the dummy
	 * driver never fails: */
	int fault_sends;           /* the next N sends are refused as by the network */
	int fault_part;            /* the next send that reaches part N is refused there
	                            * (the parts before it went out), once */
	int fault_hangs;           /* from its first send on, the modem stops answering: that
	                            * send and the next reads, N calls in all, time out (three
	                            * in a row: the modem is reset, the send is retried) */
} sms_modem_conf;

typedef struct sms_modem sms_modem;

/* Allocates a modem (not connected yet); c is copied, log borrowed (may be NULL). */
sms_modem *sms_modem_new(const sms_modem_conf *c, const bw_log *log);
/* Terminates the connection if any and frees m. NULL is fine. */
void sms_modem_free(sms_modem *m);

/* Connects (GSM_InitConnection) and installs the send-status callback (after the init,
 * which resets callbacks; without it the dummy driver crashes on send). BW_EIO with
 * Gammu's reason ("sim1: connect: ... (ERR_DEVICENOPERMISSION)"). */
int sms_modem_connect(sms_modem *m, bw_err *e);
/* Terminates and connects again: the way out of a modem that stopped answering. */
int sms_modem_reset(sms_modem *m, bw_err *e);
/* 1 when connected and not failing; 0 when the caller should sms_modem_reset. */
int sms_modem_is_up(const sms_modem *m);
const char *sms_modem_name(const sms_modem *m);

/* Called for each whole message; returns BW_OK when the message is committed (or
 * BW_EEXIST when it was already), after which its parts are deleted from the modem;
 * any other code keeps them on the modem for the next pass. */
typedef int (*sms_modem_recv_fn)(void *arg, sms_in *msg);

/* Reads up to max messages from the modem (a pass continues where the last one
 * stopped), links concatenated parts (GSM_LinkSMS), and hands every complete message to
 * cb, then deletes its parts and tells `deleted` (may be NULL; its result is ignored)
 * with the same message (msg->id as cb left it). A message with a part missing waits in
 * memory and is handed over as it is once it has waited partial_wait_s seconds. A
 * message without a network timestamp gets sent_at = minus the modem location of its
 * first part: stable while it stays on the modem, so a re-read dedupes (see
 * sms_db_inbox_deleted). *more is set to 1 when the pass stopped at max (call again
 * soon). BW_EIO when the modem fails (counted; after 3 failures in a row
 * sms_modem_is_up says 0). */
int sms_modem_receive(sms_modem *m, int max, int partial_wait_s, sms_modem_recv_fn cb,
                      sms_modem_recv_fn deleted, void *arg, int *more, bw_err *e);

/* Group commit: with commit set, sms_modem_receive hands every whole message of a pass
 * to cb (which stores it in an open transaction, not committed), then calls commit(arg)
 * once, and deletes the parts of the accepted messages only when it returns BW_OK (each
 * commit that survives a power cut costs an fsync: one per pass, not one per message).
 * NULL (the default): cb commits each message and its parts go at once. */
void sms_modem_set_group_commit(sms_modem *m, int (*commit)(void *arg));

/* ---- sending ---- */

#define SMS_PARTS_MAX 10

/* How a text goes out: libGammu's multipart encoder with SMS_ConcatenatedAutoTextLong
 * (GSM-7 when every character allows it, else UCS-2). Pure: needs no modem. */
typedef struct sms_encoding {
	int parts;
	int ucs2;                  /* 1: UCS-2, 0: GSM-7 */
	unsigned ref;              /* concatenation reference of the parts (0-255), set by the
	                            * caller (sms_encode sets 0): libGammu takes one from the
	                            * clock, and parts sent again later must carry the same one
	                            * to join those that went out before */
	char part_text[SMS_PARTS_MAX][700];   /* each part's text in UTF-8 */
} sms_encoding;

/* BW_ETOOBIG when text needs more than SMS_PARTS_MAX parts, BW_EINVAL if not UTF-8.
 * The same text always gives the same parts. */
int sms_encode(const char *utf8, sms_encoding *out, bw_err *e);

/* 1 if the SIM's token bucket holds enough for a message of `parts` parts now. */
int sms_modem_can_send(sms_modem *m, int parts);
/* Milliseconds until sms_modem_can_send(m, parts) becomes 1 (0 if it is already). */
int sms_modem_send_wait_ms(sms_modem *m, int parts);

/* Sends enc to dest (an E.164 number) part by part, except the parts whose bit is set
 * in skip (bit 0 = part 1: parts an earlier attempt sent), taking one token per part
 * handed to the modem. *sent gets the bits of the parts that went out in this call, so
 * the caller records them. BW_EINVAL (nothing sent, no token taken) if enc does not
 * encode again into its own parts; BW_EIO if the modem refused or did not confirm a
 * part (the parts before it went out). */
int sms_modem_send(sms_modem *m, const char *dest, const sms_encoding *enc, unsigned skip,
                   unsigned *sent, bw_err *e);

/* bawaba-smsd --probe: prints what the connected modem says of itself (sim.h). */
int sms_modem_probe(sms_modem *m, FILE *out);

/* The signal in percent (GSM_GetSignalQuality), -1 when down or unknown. */
int sms_modem_signal(sms_modem *m);

/* Time spent inside libGammu calls and how many calls, since the start. */
void sms_modem_stats(const sms_modem *m, long *calls, int64_t *ns);

/* CLOCK_MONOTONIC in nanoseconds. */
int64_t sms_mono_ns(void);

#endif
