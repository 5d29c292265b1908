/* broker.h: the site's mosquitto broker as bawaba runs it: its directory (config, password
 * file, ACL, data, log, pid file), the device registry (one broker user per device, agent
 * and the hub, each with its own INI config file), and starting/stopping the process.
 *
 * A broker directory DIR holds:
 *   DIR/mosquitto.conf   written by bw_broker_write_config
 *   DIR/acl              written by bw_broker_write_acl
 *   DIR/passwd           mosquitto_passwd's format (hashes only), via bw_broker_add_user
 *   DIR/devices/ID.conf  each registered user's own config (INI, mode 0600, has the password)
 *   DIR/data/            mosquitto's persistence
 *   DIR/mosquitto.log    the broker's stderr
 *   DIR/mosquitto.pid    written by mosquitto while it runs (removed on a clean exit)
 * Paths in DIR must not contain white space (mosquitto's config syntax cannot quote). */
#ifndef BW_BROKER_H
#define BW_BROKER_H

#include <stddef.h>
#include <sys/types.h>

#include "bw_err.h"

#define BW_BROKER_ROOT "bawaba/v1"
#define BW_BROKER_HUB_USER "hub"
#define BW_BROKER_AGENT_PREFIX "agent-"
#define BW_BROKER_ID_MAX 32        /* [a-z0-9][a-z0-9-]{0,31} */
#define BW_BROKER_PASSWORD_LEN 32  /* generated passwords: 32 base64url characters, 192 bits */
#define BW_BROKER_PATH_MAX 1024
#define BW_BROKER_HOST_MAX 256

/* Who a broker user is; decides which id shapes are valid and what the ACL lets it do. */
enum bw_broker_kind { BW_BROKER_KIOSK, BW_BROKER_GATEWAY, BW_BROKER_AGENT, BW_BROKER_HUB };

/* "kiosk", "gateway", "agent", "hub"; NULL for an unknown value. */
const char *bw_broker_kind_name(int kind);
/* The inverse; returns the kind or BW_EINVAL (with a message naming the accepted words). */
int bw_broker_kind_parse(const char *s, bw_err *e);

/* Settings of one broker: what the operator chose, nothing about a running process. */
typedef struct bw_broker_settings {
	char bind[BW_BROKER_HOST_MAX];  /* listen address; default "127.0.0.1" (loopback only) */
	int port;                       /* 0 = pick a free one when the config is written */
	/* TLS: all three set = the listener speaks TLS only; all empty = plain TCP. */
	char cafile[BW_BROKER_PATH_MAX];
	char certfile[BW_BROKER_PATH_MAX];
	char keyfile[BW_BROKER_PATH_MAX];
	long max_packet;                /* bytes; larger packets are refused by the broker */
} bw_broker_settings;

/* Fills s with the defaults: loopback, port 0 (free port), no TLS, 1 MiB packets. */
void bw_broker_settings_default(bw_broker_settings *s);

/* Reads back the settings from DIR/mosquitto.conf (the lines bw_broker_write_config
 * writes): bind, port, cafile, certfile, keyfile, max_packet. BW_ENOTFOUND if DIR has no
 * config (not initialised), BW_EINVAL if the listener line is missing or broken. */
int bw_broker_read_config(const char *dir, bw_broker_settings *out, bw_err *e);

/* A TCP port nobody listens on at addr right now (the kernel's pick for port 0). A later
 * bind can still lose a race; bw_broker_start checks again and says so. */
int bw_broker_free_port(const char *addr, int *port, bw_err *e);

/* Creates DIR, DIR/data and DIR/devices if needed (mode 0700) and writes
 * DIR/mosquitto.conf from s (atomically). If s->port is 0 a free port is picked; the port
 * actually written is stored in *port_out when not NULL. BW_EINVAL for half-given TLS
 * files, a TLS file that cannot be read, a path with white space, or a bad address. */
int bw_broker_write_config(const char *dir, const bw_broker_settings *s, int *port_out,
	bw_err *e);

/* Writes DIR/acl (atomically): the hub user reads every device's and agent's up topics
 * and writes their down topics and bawaba/v1/pub/#; every other user writes only under
 * its own up topics and reads its own down topics and bawaba/v1/pub/#. */
int bw_broker_write_acl(const char *dir, bw_err *e);

/* Adds user to DIR/passwd with password, or changes its password if it is there, by
 * running mosquitto_passwd -b (fork/exec with an argv, no shell); creates the file
 * (mode 0600) on first use. BW_EIO with the tool's own message if it fails. */
int bw_broker_add_user(const char *dir, const char *user, const char *password, bw_err *e);

/* Fills out[size] with a fresh password from getrandom(2): BW_BROKER_PASSWORD_LEN
 * characters of [A-Za-z0-9_-]. BW_ETOOBIG if size is too small, BW_EIO if getrandom fails. */
int bw_broker_password(char *out, size_t size, bw_err *e);

/* 1 if id is a valid user name for kind: [a-z0-9][a-z0-9-]{0,31}; agents must start with
 * "agent-" and nothing else may (so the hub can tell an agent from a device by name); the
 * hub is exactly "hub" and no one else may be called so. 0 otherwise. */
int bw_broker_id_valid(int kind, const char *id);

/* Writes DIR/devices/ID.conf into out[size]. BW_ETOOBIG if it does not fit. */
int bw_broker_device_conf_path(const char *dir, const char *id, char *out, size_t size,
	bw_err *e);

enum { BW_BROKER_ROTATE = 1 };   /* flags of bw_broker_register */

/* What bw_broker_register needs besides the id; all optional. */
typedef struct bw_broker_device {
	const char *site;   /* the site code written to [device] site=; NULL = "" */
	const char *host;   /* host devices connect to; NULL = derived from the bind address */
} bw_broker_device;

/* Registers a broker user: validates id for kind, makes a password, adds the user to
 * DIR/passwd and writes DIR/devices/ID.conf (mode 0600):
 *   [broker] host=, port=, username=, password=, cafile=   [device] id=, kind=, site=
 * If DIR/mosquitto.pid names a running broker it is sent SIGHUP so it re-reads the
 * password file and ACL at once (no restart, live connections stay).
 * Registering an id that exists fails with BW_EEXIST unless flags has BW_BROKER_ROTATE,
 * which issues a new password (connections already made with the old one stay up until
 * they reconnect). dev may be NULL. The password is copied to password_out[size] when
 * password_out is not NULL. Serialised with other registrations by a lock on DIR/.lock. */
int bw_broker_register(const char *dir, int kind, const char *id, const bw_broker_device *dev,
	unsigned flags, char *password_out, size_t size, bw_err *e);

/* Starts mosquitto -c DIR/mosquitto.conf as a child (stdin /dev/null, stdout and stderr
 * appended to DIR/mosquitto.log) and returns once a TCP connection to its port succeeds
 * (up to ~5 s). BW_EEXIST if the port is already taken, BW_EIO with the log's last lines
 * if mosquitto exits or never listens (then it has been killed and reaped).
 * flags: BW_BROKER_DETACH puts it in its own session so it outlives this process;
 * otherwise it gets SIGTERM if this process dies. The program is $BW_MOSQUITTO, else
 * mosquitto from PATH, else /usr/sbin/mosquitto. */
enum { BW_BROKER_DETACH = 1 };
int bw_broker_start(const char *dir, unsigned flags, pid_t *pid, bw_err *e);

/* Asks the broker pid to stop (SIGTERM, so it saves its database) and waits for it up to
 * ~5 s, then SIGKILL. Reaps it if it is our child. BW_ENOTFOUND if no such process. */
int bw_broker_stop(pid_t pid, bw_err *e);

/* The pid of the broker running for DIR, from DIR/mosquitto.pid, checked to be alive and
 * to be a mosquitto process (a stale file after a crash may name someone else's pid).
 * BW_ENOTFOUND when none runs. */
int bw_broker_running_pid(const char *dir, pid_t *pid, bw_err *e);

/* Sends SIGHUP to the broker running for DIR, if any (then the password file and ACL are
 * re-read). Returns BW_OK also when none runs: the next start reads the files anyway. */
int bw_broker_reload(const char *dir, bw_err *e);

#endif
