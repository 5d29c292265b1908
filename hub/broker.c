/* broker.c: writes and runs the site's mosquitto broker (config, ACL, password file,
 * per-device credentials) and starts, watches and stops the mosquitto process. */
#include "broker.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define START_WAIT_MS 5000
#define STOP_WAIT_MS 5000

static const char *const kind_names[] = {
	[BW_BROKER_KIOSK] = "kiosk",
	[BW_BROKER_GATEWAY] = "gateway",
	[BW_BROKER_AGENT] = "agent",
	[BW_BROKER_HUB] = "hub",
};

const char *bw_broker_kind_name(int kind)
{
	if (kind < 0 || kind >= (int)(sizeof kind_names / sizeof kind_names[0]))
		return NULL;
	return kind_names[kind];
}

int bw_broker_kind_parse(const char *s, bw_err *e)
{
	for (int k = 0; k < (int)(sizeof kind_names / sizeof kind_names[0]); k++)
		if (strcmp(s, kind_names[k]) == 0)
			return k;
	return bw_fail(e, BW_EINVAL, "kind: '%s' is not one of kiosk, gateway, agent, hub", s);
}

void bw_broker_settings_default(bw_broker_settings *s)
{
	memset(s, 0, sizeof *s);
	strcpy(s->bind, "127.0.0.1");
	s->port = 0;
	/* the hub's down/ack (105 KiB) is the largest message; room for a grown catalogue */
	s->max_packet = 256L * 1024L;
	s->max_queued = 20000;
	s->max_queued_bytes = 16L * 1024L * 1024L;
	s->max_inflight = 20;
}

/* ---- small file helpers ---- */

void bw_broker__sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

long bw_broker__now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int bw_broker__path_join(char *out, size_t size, const char *dir, const char *name, bw_err *e)
{
	int n = snprintf(out, size, "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= size)
		return bw_fail(e, BW_ETOOBIG, "path: %s/%s is too long", dir, name);
	return BW_OK;
}

/* mosquitto's config parser splits values on spaces and has no quoting. */
static int path_ok(const char *what, const char *p, bw_err *e)
{
	for (const char *c = p; *c; c++)
		if (*c == ' ' || *c == '\t' || *c == '\n' || *c == '\r')
			return bw_fail(e, BW_EINVAL, "%s: '%s' contains white space, which mosquitto's config cannot hold", what, p);
	return BW_OK;
}

static int mkdir_p1(const char *path, bw_err *e)
{
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return bw_fail(e, BW_EIO, "%s: cannot create directory: %s", path, strerror(errno));
	return BW_OK;
}

/* Writes data to path through a temporary file and rename, so a reader (mosquitto on
 * SIGHUP, a device reading its config) never sees half a file. */
int bw_broker__write_atomic(const char *path, const char *data, size_t len, mode_t mode, bw_err *e)
{
	char tmp[BW_BROKER_PATH_MAX + 32];
	int n = snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
	if (n < 0 || (size_t)n >= sizeof tmp)
		return bw_fail(e, BW_ETOOBIG, "path: %s is too long", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return bw_fail(e, BW_EIO, "%s: cannot create: %s", tmp, strerror(errno));
	fchmod(fd, mode);
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			int err = errno;
			close(fd);
			unlink(tmp);
			return bw_fail(e, BW_EIO, "%s: write: %s", tmp, strerror(err));
		}
		off += (size_t)w;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		int err = errno;
		unlink(tmp);
		return bw_fail(e, BW_EIO, "%s: %s", tmp, strerror(err));
	}
	if (rename(tmp, path) < 0) {
		int err = errno;
		unlink(tmp);
		return bw_fail(e, BW_EIO, "%s: rename: %s", path, strerror(err));
	}
	return BW_OK;
}

/* Reads at most size-1 bytes of path from offset (negative: that many bytes before the
 * end) into buf, NUL-terminated. Returns the byte count or a negative code. */
long bw_broker__read_part(const char *path, long offset, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? BW_ENOTFOUND : BW_EIO;
	if (offset < 0) {
		off_t end = lseek(fd, 0, SEEK_END);
		offset = end + offset < 0 ? 0 : (long)end + offset;
	}
	long n = pread(fd, buf, size - 1, offset);
	close(fd);
	if (n < 0)
		return BW_EIO;
	buf[n] = '\0';
	return n;
}

int bw_broker__lock(const char *dir, int *fd, bw_err *e)
{
	char lock[BW_BROKER_PATH_MAX];
	int rc = bw_broker__path_join(lock, sizeof lock, dir, ".lock", e);
	if (rc)
		return rc;
	*fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (*fd < 0)
		return bw_fail(e, BW_EIO, "%s: %s", lock, strerror(errno));
	while (flock(*fd, LOCK_EX) < 0 && errno == EINTR)
		;
	return BW_OK;
}

/* ---- settings ---- */

static int tls_count(const bw_broker_settings *s)
{
	return (s->cafile[0] != 0) + (s->certfile[0] != 0) + (s->keyfile[0] != 0);
}

int bw_broker_read_config(const char *dir, bw_broker_settings *out, bw_err *e)
{
	char path[BW_BROKER_PATH_MAX], buf[8192];
	int rc = bw_broker__path_join(path, sizeof path, dir, "mosquitto.conf", e);
	if (rc)
		return rc;
	long n = bw_broker__read_part(path, 0, buf, sizeof buf);
	if (n == BW_ENOTFOUND)
		return bw_fail(e, BW_ENOTFOUND, "%s: no broker here (run bawaba-broker init first)", dir);
	if (n < 0)
		return bw_fail(e, BW_EIO, "%s: cannot read: %s", path, strerror(errno));
	bw_broker_settings_default(out);
	out->bind[0] = '\0';
	int have_listener = 0;
	char *save = NULL;
	for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *ls, *key = strtok_r(line, " \t", &ls);
		char *v1 = key ? strtok_r(NULL, " \t", &ls) : NULL;
		char *v2 = v1 ? strtok_r(NULL, " \t", &ls) : NULL;
		if (!key || !v1 || key[0] == '#')
			continue;
		if (strcmp(key, "listener") == 0) {
			char *end;
			long p = strtol(v1, &end, 10);
			if (*end || p <= 0 || p > 65535 || !v2)
				return bw_fail(e, BW_EINVAL, "%s: listener line needs a port and an address", path);
			out->port = (int)p;
			bw_strlcpy(out->bind, v2, sizeof out->bind);
			have_listener = 1;
		} else if (strcmp(key, "cafile") == 0) {
			bw_strlcpy(out->cafile, v1, sizeof out->cafile);
		} else if (strcmp(key, "certfile") == 0) {
			bw_strlcpy(out->certfile, v1, sizeof out->certfile);
		} else if (strcmp(key, "keyfile") == 0) {
			bw_strlcpy(out->keyfile, v1, sizeof out->keyfile);
		} else if (strcmp(key, "plugin") == 0) {
			out->dynsec = 1;
		}
	}
	if (!have_listener)
		return bw_fail(e, BW_EINVAL, "%s: no listener line", path);
	return BW_OK;
}

/* Resolves a numeric address (no DNS: the config must not depend on a resolver). */
static int numeric_addr(const char *addr, int port, struct sockaddr_storage *ss, socklen_t *len,
	bw_err *e)
{
	struct addrinfo hints = { 0 }, *ai = NULL;
	char ps[16];
	snprintf(ps, sizeof ps, "%d", port);
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	hints.ai_socktype = SOCK_STREAM;
	int g = getaddrinfo(addr, ps, &hints, &ai);
	if (g != 0 || !ai)
		return bw_fail(e, BW_EINVAL, "bind: '%s' is not a numeric IP address (%s)", addr, gai_strerror(g));
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return BW_OK;
}

/* Binds addr:port (port 0 = any) like mosquitto will (SO_REUSEADDR) and returns the bound
 * port, or BW_EEXIST if someone listens there. */
static int try_bind(const char *addr, int port, int *bound, bw_err *e)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int rc = numeric_addr(addr, port, &ss, &len, e);
	if (rc)
		return rc;
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return bw_fail(e, BW_EIO, "socket: %s", strerror(errno));
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
		int err = errno;
		close(fd);
		if (err == EADDRINUSE)
			return bw_fail(e, BW_EEXIST, "port %d on %s is already in use", port, addr);
		return bw_fail(e, BW_EIO, "bind %s:%d: %s", addr, port, strerror(err));
	}
	len = sizeof ss;
	getsockname(fd, (struct sockaddr *)&ss, &len);
	*bound = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
		: ((struct sockaddr_in *)&ss)->sin_port);
	close(fd);
	return BW_OK;
}

int bw_broker_free_port(const char *addr, int *port, bw_err *e)
{
	return try_bind(addr, 0, port, e);
}

/* The dynamic security plugin Debian's mosquitto ships: $BW_MOSQUITTO_DYNSEC, else the
 * first /usr/lib/{,ARCH/}mosquitto_dynamic_security.so (ARCH is the multiarch triplet). */
static int dynsec_plugin(char *out, size_t size, bw_err *e)
{
	const char *v = getenv("BW_MOSQUITTO_DYNSEC");
	if (v && *v)
		return bw_strlcpy(out, v, size) ? bw_fail(e, BW_ETOOBIG, "BW_MOSQUITTO_DYNSEC: too long") : BW_OK;
	static const char *const where[] = { "/usr/lib/mosquitto_dynamic_security.so",
		"/usr/lib/*/mosquitto_dynamic_security.so" };
	for (size_t i = 0; i < sizeof where / sizeof where[0]; i++) {
		glob_t g = { 0 };
		int ok = glob(where[i], 0, NULL, &g) == 0 && g.gl_pathc > 0 &&
			bw_strlcpy(out, g.gl_pathv[0], size) == BW_OK;
		globfree(&g);
		if (ok)
			return BW_OK;
	}
	return bw_fail(e, BW_ENOTFOUND, "mosquitto_dynamic_security.so: not found (Debian package mosquitto)");
}

static int check_readable(const char *what, const char *p, bw_err *e)
{
	int rc = path_ok(what, p, e);
	if (rc)
		return rc;
	if (p[0] != '/')
		return bw_fail(e, BW_EINVAL, "%s: '%s' must be an absolute path", what, p);
	if (access(p, R_OK) < 0)
		return bw_fail(e, BW_EINVAL, "%s: %s: %s", what, p, strerror(errno));
	return BW_OK;
}

int bw_broker_write_config(const char *dir, const bw_broker_settings *s, int *port_out,
	bw_err *e)
{
	char abs[PATH_MAX], path[BW_BROKER_PATH_MAX];
	int rc, port = s->port;

	if (s->port < 0 || s->port > 65535)
		return bw_fail(e, BW_EINVAL, "port: %d is out of range (1-65535, or 0 for a free one)", s->port);
	int tls = tls_count(s);
	if (tls != 0 && tls != 3)
		return bw_fail(e, BW_EINVAL, "tls: give all three of cafile, certfile and keyfile, or none");
	if (tls == 3 && ((rc = check_readable("tls-cafile", s->cafile, e)) ||
			(rc = check_readable("tls-certfile", s->certfile, e)) ||
			(rc = check_readable("tls-keyfile", s->keyfile, e))))
		return rc;
	if ((rc = path_ok("bind", s->bind, e)))
		return rc;
	struct sockaddr_storage ss;
	socklen_t len;
	if ((rc = numeric_addr(s->bind, 0, &ss, &len, e)))
		return rc;
	if ((rc = path_ok("directory", dir, e)) || (rc = mkdir_p1(dir, e)))
		return rc;
	if (!realpath(dir, abs))
		return bw_fail(e, BW_EIO, "%s: %s", dir, strerror(errno));
	if ((rc = path_ok("directory", abs, e)))
		return rc;
	if ((rc = bw_broker__path_join(path, sizeof path, abs, "data", e)) || (rc = mkdir_p1(path, e)) ||
			(rc = bw_broker__path_join(path, sizeof path, abs, "devices", e)) || (rc = mkdir_p1(path, e)))
		return rc;
	if (port == 0 && (rc = bw_broker_free_port(s->bind, &port, e)))
		return rc;
	char plugin[BW_BROKER_PATH_MAX];
	if ((rc = dynsec_plugin(plugin, sizeof plugin, e)))
		return rc;

	char *text = NULL;
	size_t tlen = 0;
	FILE *f = open_memstream(&text, &tlen);
	if (!f)
		return bw_fail(e, BW_ENOMEM, "config: open_memstream failed");
	fprintf(f, "# mosquitto.conf: bawaba's site broker, written by bawaba-broker init.\n"
		"# The listener line is read back by bawaba-broker (port, register).\n"
		"per_listener_settings false\n"
		"listener %d %s\n", port, s->bind);
	if (tls == 3)
		/* TLS is one switch away: these three lines turn the same listener into TLS only */
		fprintf(f, "cafile %s\ncertfile %s\nkeyfile %s\ntls_version tlsv1.2\n",
			s->cafile, s->certfile, s->keyfile);
	fprintf(f, "# MQTT v5 (bawaba's clients) and v3.1.1 are both accepted\n"
		"protocol mqtt\n"
		"set_tcp_nodelay true\n"
		"allow_anonymous false\n"
		"# users, roles and topic rights: mosquitto's dynamic security plugin, so that a\n"
		"# disabled or removed device is disconnected at once (bawaba-broker disable/remove)\n"
		"plugin %s\n"
		"plugin_opt_config_file %s/dynsec.json\n"
		"# a client id is the user name, so nobody can take over another device's session\n"
		"use_username_as_clientid true\n"
		"# the queue survives a clean restart; devices still keep each request until the\n"
		"# hub's own acknowledgement, because a PUBACK does not mean it is on disk\n"
		"persistence true\n"
		"persistence_location %s/data/\n"
		"# Limits that fit the protocol (docs/protocol.md). The largest message is the hub's\n"
		"# down/ack (105 KiB); the hub refuses each kind over its own limit (up/req 32 KiB,\n"
		"# up/query 4 KiB). A larger packet disconnects its sender.\n"
		"max_packet_size %ld\n"
		"# per client: a device away for days has notifications waiting, and the hub has\n"
		"# requests waiting while it restarts; past these the broker drops new messages for\n"
		"# that client (devices resend until the hub's ack, the hub replays notifications),\n"
		"# so one flooding device cannot grow the broker without bound\n"
		"max_queued_messages %ld\n"
		"max_queued_bytes %ld\n"
		"max_inflight_messages %d\n"
		"# a session nobody resumes for this long goes (a removed device's, say)\n"
		"persistent_client_expiration 30d\n"
		"pid_file %s/mosquitto.pid\n"
		"log_dest stderr\n"
		"log_timestamp_format %%Y-%%m-%%dT%%H:%%M:%%S\n",
		plugin, abs, abs, s->max_packet, s->max_queued, s->max_queued_bytes, s->max_inflight, abs);
	if (geteuid() == 0)
		/* as root mosquitto would switch to user mosquitto, who cannot read this directory */
		fprintf(f, "user root\n");
	if (fclose(f) != 0) {
		free(text);
		return bw_fail(e, BW_ENOMEM, "config: cannot build text");
	}
	rc = bw_broker__path_join(path, sizeof path, abs, "mosquitto.conf", e);
	if (rc == BW_OK)
		rc = bw_broker__write_atomic(path, text, tlen, 0600, e);
	free(text);
	if (rc == BW_OK && port_out)
		*port_out = port;
	return rc;
}

/* ---- external tools ---- */

/* Finds name in PATH, then in the sbin directories a non-root PATH often lacks. */
static int find_exe(const char *name, const char *env, char *out, size_t size)
{
	const char *v = getenv(env);
	if (v && *v)
		return bw_strlcpy(out, v, size);
	const char *path = getenv("PATH");
	char buf[4096];
	snprintf(buf, sizeof buf, "%s:/usr/sbin:/usr/local/sbin:/sbin", path ? path : "/usr/bin:/bin");
	char *save = NULL;
	for (char *d = strtok_r(buf, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		int n = snprintf(out, size, "%s/%s", *d ? d : ".", name);
		if (n > 0 && (size_t)n < size && access(out, X_OK) == 0)
			return BW_OK;
	}
	return BW_ENOTFOUND;
}

/* ---- the process ---- */

/* Alive and not a zombie (a daemonised broker's parent may be a PID 1 that never reaps). */
static int pid_alive(pid_t pid)
{
	if (kill(pid, 0) < 0 && errno == ESRCH)
		return 0;
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if (bw_broker__read_part(path, 0, buf, sizeof buf) <= 0)
		return 1;
	const char *rp = strrchr(buf, ')');
	return !(rp && rp[1] == ' ' && (rp[2] == 'Z' || rp[2] == 'X'));
}

/* Copies the last lines of the log into out, timestamps cut, joined by " | ". */
static void log_tail(const char *log, char *out, size_t size)
{
	char buf[1024];
	out[0] = '\0';
	if (bw_broker__read_part(log, -(long)sizeof buf + 1, buf, sizeof buf) <= 0)
		return;
	/* walk back over at most three non-empty lines */
	char *lines[3];
	int k = 0;
	char *end = buf + strlen(buf);
	while (k < 3 && end > buf) {
		while (end > buf && end[-1] == '\n')
			*--end = '\0';
		char *start = end;
		while (start > buf && start[-1] != '\n')
			start--;
		if (start == end)
			break;
		lines[k++] = start;
		end = start;
	}
	size_t o = 0;
	for (int i = k - 1; i >= 0; i--) {
		char *l = lines[i];
		char *colon = strstr(l, ": ");
		if (colon && colon - l <= 20)   /* "2025-01-01T12:00:00: " or "1700000000: " */
			l = colon + 2;
		int n = snprintf(out + o, size - o, "%s%s", o ? " | " : "", l);
		if (n < 0 || (size_t)n >= size - o)
			break;
		o += (size_t)n;
	}
}

static int try_connect(const char *addr, int port)
{
	const char *a = addr;
	if (strcmp(addr, "0.0.0.0") == 0)
		a = "127.0.0.1";
	else if (strcmp(addr, "::") == 0)
		a = "::1";
	struct sockaddr_storage ss;
	socklen_t len;
	if (numeric_addr(a, port, &ss, &len, NULL))
		return 0;
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	int ok = connect(fd, (struct sockaddr *)&ss, len) == 0;
	close(fd);
	return ok;
}

static int start_locked(const char *dir, unsigned flags, pid_t *pid_out, bw_err *e)
{
	bw_broker_settings s;
	char abs[PATH_MAX], conf[BW_BROKER_PATH_MAX], log[BW_BROKER_PATH_MAX], exe[BW_BROKER_PATH_MAX];
	int rc = bw_broker_read_config(dir, &s, e);
	if (rc)
		return rc;
	if (!realpath(dir, abs))
		return bw_fail(e, BW_EIO, "%s: %s", dir, strerror(errno));
	if ((rc = bw_broker__path_join(conf, sizeof conf, abs, "mosquitto.conf", e)) ||
			(rc = bw_broker__path_join(log, sizeof log, abs, "mosquitto.log", e)))
		return rc;
	pid_t old;
	if (bw_broker_running_pid(abs, &old, NULL) == BW_OK)
		return bw_fail(e, BW_EEXIST, "%s: a broker already runs for it (pid %ld)", dir, (long)old);
	int unused;
	if ((rc = try_bind(s.bind, s.port, &unused, e)))
		return rc;
	if (find_exe("mosquitto", "BW_MOSQUITTO", exe, sizeof exe))
		return bw_fail(e, BW_ENOTFOUND, "mosquitto: not found (Debian package mosquitto)");
	int lfd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (lfd < 0)
		return bw_fail(e, BW_EIO, "%s: %s", log, strerror(errno));
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		close(lfd);
		return bw_fail(e, BW_EIO, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		if (flags & BW_BROKER_DETACH)
			setsid();
		else if (prctl(PR_SET_PDEATHSIG, SIGTERM) == 0 && getppid() != parent)
			_exit(1);   /* parent already gone: don't leave an orphan broker */
		int null = open("/dev/null", O_RDONLY);
		if (null >= 0)
			dup2(null, 0);
		dup2(lfd, 1);
		dup2(lfd, 2);
		/* a shell's background job ignores SIGINT; exec keeps ignored signals ignored */
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		char *argv[] = { exe, "-c", conf, NULL };
		execv(exe, argv);
		dprintf(2, "bawaba-broker: cannot run %s: %s\n", exe, strerror(errno));
		_exit(127);
	}
	close(lfd);

	long deadline = bw_broker__now_ms() + START_WAIT_MS;
	for (;;) {
		int st;
		pid_t w = waitpid(pid, &st, WNOHANG);
		if (w == pid) {
			char tail[160];
			log_tail(log, tail, sizeof tail);
			return bw_fail(e, BW_EIO, "mosquitto exited (%s %d); %s: %s",
				WIFEXITED(st) ? "status" : "signal", WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st),
				log, tail);
		}
		if (try_connect(s.bind, s.port))
			break;
		if (bw_broker__now_ms() > deadline) {
			bw_broker_stop(pid, NULL);
			char tail[160];
			log_tail(log, tail, sizeof tail);
			return bw_fail(e, BW_EIO, "mosquitto not listening on port %d after %d s; %s: %s",
				s.port, START_WAIT_MS / 1000, log, tail);
		}
		bw_broker__sleep_ms(20);
	}
	*pid_out = pid;
	return BW_OK;
}

/* Under DIR/.lock, so no user change is made to the file while the broker reads it: the
 * users' file is made (or carried over from an older directory's password file) and the
 * config written again, so a directory made by an older bawaba-broker gets the current
 * limits and plugin at its next start. */
int bw_broker_start(const char *dir, unsigned flags, pid_t *pid_out, bw_err *e)
{
	bw_broker_settings s;
	int lfd, rc = bw_broker_read_config(dir, &s, e);
	if (rc || (rc = bw_broker__lock(dir, &lfd, e)))
		return rc;
	pid_t old;
	if (bw_broker_running_pid(dir, &old, NULL) == BW_OK)
		rc = bw_fail(e, BW_EEXIST, "%s: a broker already runs for it (pid %ld)", dir, (long)old);
	else if ((rc = bw_broker_users_init(dir, e)) == BW_OK &&
			(rc = bw_broker_write_config(dir, &s, NULL, e)) == BW_OK)
		rc = start_locked(dir, flags, pid_out, e);
	close(lfd);
	return rc;
}

int bw_broker_stop(pid_t pid, bw_err *e)
{
	if (pid <= 0 || kill(pid, SIGTERM) < 0)
		return bw_fail(e, BW_ENOTFOUND, "no broker process %ld", (long)pid);
	long deadline = bw_broker__now_ms() + STOP_WAIT_MS;
	int sig_kill_sent = 0;
	for (;;) {
		int st;
		pid_t w = waitpid(pid, &st, WNOHANG);
		if (w == pid || (w < 0 && errno == ECHILD && !pid_alive(pid)))
			return BW_OK;
		if (!sig_kill_sent && bw_broker__now_ms() > deadline) {
			/* it had its chance to save its database; don't hang a shutdown on it */
			kill(pid, SIGKILL);
			sig_kill_sent = 1;
			deadline = bw_broker__now_ms() + STOP_WAIT_MS;
		} else if (sig_kill_sent && bw_broker__now_ms() > deadline) {
			return bw_fail(e, BW_EIO, "broker %ld does not die", (long)pid);
		}
		bw_broker__sleep_ms(10);
	}
}

int bw_broker_running_pid(const char *dir, pid_t *pid, bw_err *e)
{
	char path[BW_BROKER_PATH_MAX], buf[64];
	int rc = bw_broker__path_join(path, sizeof path, dir, "mosquitto.pid", e);
	if (rc)
		return rc;
	if (bw_broker__read_part(path, 0, buf, sizeof buf) <= 0)
		return bw_fail(e, BW_ENOTFOUND, "%s: no broker running", dir);
	char *end;
	long p = strtol(buf, &end, 10);
	if (p <= 0 || (*end && *end != '\n'))
		return bw_fail(e, BW_ENOTFOUND, "%s: pid file is broken", path);
	if (!pid_alive((pid_t)p))
		return bw_fail(e, BW_ENOTFOUND, "%s: no broker running (stale pid %ld)", dir, p);
	char comm_path[64], comm[64];
	snprintf(comm_path, sizeof comm_path, "/proc/%ld/comm", p);
	if (bw_broker__read_part(comm_path, 0, comm, sizeof comm) > 0 && strncmp(comm, "mosquitto", 9) != 0)
		return bw_fail(e, BW_ENOTFOUND, "%s: no broker running (pid %ld is not mosquitto)", dir, p);
	*pid = (pid_t)p;
	return BW_OK;
}
