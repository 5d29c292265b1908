/* sim.h: a modem's SIM and network as the operator sees them: the SIM PIN, read from a
 * file only its owner can read and entered with libGammu, never tried again after a
 * refusal (a third wrong PIN blocks the SIM); and the probe behind bawaba-smsd --probe
 * (modem, SIM, network, signal). */
#ifndef SMS_SIM_H
#define SMS_SIM_H

#include <gammu.h>
#include <stdio.h>

#include "bw_err.h"

#define SMS_PIN_MAX 8

/* Reads the PIN (4 to 8 digits, one line) from path into pin[size]. path is a file that
 * belongs to root or to this user and that nobody else may read (mode 0600 or 0400), or
 * "credential:NAME" for $CREDENTIALS_DIRECTORY/NAME (systemd's LoadCredential=, which
 * hands a root-only file to a service running as another user). The message of a
 * failure never shows the file's content. BW_EPERM for a file others may read or that
 * belongs to someone else, BW_EINVAL for a content that is not a PIN, BW_EIO otherwise. */
int sms_sim_pin_read(const char *path, char *pin, size_t size, bw_err *e);

/* Unlocks the SIM of a connected modem if it asks for its PIN. name names the modem in
 * messages. *refused is set to 1 when the SIM refused the PIN, and while it is 1 no PIN
 * is entered again (the caller keeps it across reconnections). pretend_locked (a test
 * hook: the dummy driver's SIM never asks) treats the SIM as asking for its PIN.
 * BW_OK when the SIM needs nothing or took the PIN; BW_EPERM (SIM asks and no pin_file,
 * PIN refused, SIM blocked asking for a PUK) with a message saying what to do. */
int sms_sim_unlock(GSM_StateMachine *sm, const char *name, const char *pin_file,
                   int pretend_locked, int *refused, bw_err *e);

/* Prints what a connected modem says of itself, one "key: value" a line: manufacturer,
 * model, firmware, IMEI, SIM (ready, asks for PIN/PUK), network (home, roaming, searching,
 * denied) with its operator code, signal (percent and dBm). Unsupported items say so.
 * Returns BW_OK, or BW_EIO if the modem answered none of them. */
int sms_sim_probe(GSM_StateMachine *sm, FILE *out);

/* bawaba-smsd --probe: connects each of the n modems in turn (entering the SIM's PIN),
 * prints what it says of itself, a blank line between modems; a modem that does not
 * connect prints "error: WHY". BW_OK when every modem answered, else BW_EIO (also for
 * n == 0, said on stderr). Needs no database and no hub. */
struct sms_modem_conf;
struct bw_log;
int sms_sim_probe_modems(const struct sms_modem_conf *confs, int n, const struct bw_log *log,
                         FILE *out);

#endif
