/* broker.h: the site's mosquitto broker as bawaba runs it: its directory (config, users,
 * data, log, pid file), the device registry (one broker user per device, agent and the
 * hub, each with its own INI config file; listed, disabled, enabled, rotated, removed at
 * run time), and starting/stopping the process. broker.c owns the config and the
 * process, broker_users.c the users.
 *
 * A broker directory DIR holds:
 *   DIR/mosquitto.conf   written by bw_broker_write_config (again at each start)
 *   DIR/dynsec.json      the users, their roles and topic rights, in the format of
 *                        mosquitto's dynamic security plugin (hashes only); the running
 *                        broker owns it, bawaba-broker edits it only while none runs
 *   DIR/dynsec-admin     the password of the plugin's administrator "_admin" (0600)
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
	/* limits (not read back from the config: each start writes the current ones) */
	long max_packet;                /* bytes; a larger packet disconnects its sender */
	long max_queued;                /* messages queued per client, then new ones dropped */
	long max_queued_bytes;          /* bytes queued per client, likewise */
	int max_inflight;               /* QoS 1 messages in flight per client */
	int dynsec;                     /* read back: the config uses the dynamic security plugin */
} bw_broker_settings;

/* Fills s with the defaults: loopback, port 0 (free port), no TLS, the limits of
 * docs/protocol.md (256 KiB packets, 20,000 messages or 16 MiB queued per client, 20 in
 * flight). */
void bw_broker_settings_default(bw_broker_settings *s);

/* Reads back the settings from DIR/mosquitto.conf (the lines bw_broker_write_config
 * writes): bind, port, cafile, certfile, keyfile, dynsec. BW_ENOTFOUND if DIR has no
 * config (not initialised), BW_EINVAL if the listener line is missing or broken. The limits
 * are the defaults. */
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
 * DIR's users (bw_broker_users_init must have run) and writes DIR/devices/ID.conf (mode 0600):
 *   [broker] host=, port=, username=, password=, cafile=   [device] id=, kind=, site=
 * The user gets a role of its own (role name = id) whose rights are the protocol's leaf
 * topics: a kiosk or gateway writes only its own up/req, up/evt, up/query, up/presence
 * and subscribes to its own down/# and pub/#; an agent writes only its own up/cmd and
 * subscribes to its own down/# and pub/#; the hub reads every up/ and writes every down/
 * and pub/#. A running broker applies it at once (no restart, live connections stay).
 * Registering an id that exists fails with BW_EEXIST unless flags has BW_BROKER_ROTATE,
 * which issues a new password (connections already made with the old one stay up until
 * they reconnect; bw_broker_user_set DISABLE then ENABLE drops them). dev may be NULL. The password is copied to password_out[size] when
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

/* ---- users (broker_users.c) ---- */

/* Writes DIR/dynsec.json with the plugin's administrator "_admin" only (its password in
 * DIR/dynsec-admin) unless it exists. If DIR/passwd exists (a directory made by an older
 * bawaba-broker, password file and ACL), every user in it with a DIR/devices/ID.conf is
 * carried over with its password hash and its role, so devices keep their credentials. */
int bw_broker_users_init(const char *dir, bw_err *e);

enum { BW_BROKER_ENABLE, BW_BROKER_DISABLE, BW_BROKER_REMOVE };

/* Enables, disables or removes user id (never the hub). DISABLE and REMOVE disconnect
 * the user's live connections at once when the broker runs, and refuse its next
 * connections; REMOVE also deletes its role and DIR/devices/ID.conf. BW_ENOTFOUND for an
 * unknown id, BW_EPERM for the hub, BW_EIO/BW_EAGAIN if the running broker does not
 * answer. Serialised with registrations by DIR/.lock. */
int bw_broker_user_set(const char *dir, const char *id, int what, bw_err *e);

/* One registered user as bw_broker_users_list reports it. */
typedef struct bw_broker_user {
	char id[BW_BROKER_ID_MAX + 1];
	char kind[16];     /* from DIR/devices/ID.conf; "" if that file is missing */
	char site[64];
	int disabled;
} bw_broker_user;

/* The users of DIR (the administrator left out), in the order of DIR/dynsec.json, into a
 * malloc'ed array *out of *n entries (free() it). */
int bw_broker_users_list(const char *dir, bw_broker_user **out, size_t *n, bw_err *e);

/* ---- for broker.c and broker_users.c only ---- */
void bw_broker__sleep_ms(long ms);
long bw_broker__now_ms(void);
int bw_broker__path_join(char *out, size_t size, const char *dir, const char *name, bw_err *e);
/* Writes data to path through a temporary file and rename (fsync'ed), mode mode. */
int bw_broker__write_atomic(const char *path, const char *data, size_t len, mode_t mode, bw_err *e);
/* Reads at most size-1 bytes of path from offset (negative: from the end) into buf. */
long bw_broker__read_part(const char *path, long offset, char *buf, size_t size);
/* Takes DIR/.lock (exclusive, waits); *fd gets the descriptor to close to release it. */
int bw_broker__lock(const char *dir, int *fd, bw_err *e);

#endif
