/* broker.c: writes and runs the site's mosquitto broker (config, ACL, password file,
 * per-device credentials) and starts, watches and stops the mosquitto process. */
#include "broker.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
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

#define SITE_MAX 32
#define START_WAIT_MS 5000
#define STOP_WAIT_MS 5000
#define RELOAD_WAIT_MS 2000

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
	/* requests are a few KiB; the retained catalogue is the largest message we send */
	s->max_packet = 1024L * 1024L;
}

/* ---- small file helpers ---- */

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int path_join(char *out, size_t size, const char *dir, const char *name, bw_err *e)
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
static int write_atomic(const char *path, const char *data, size_t len, mode_t mode, bw_err *e)
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
static long read_part(const char *path, long offset, char *buf, size_t size)
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

static long file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long)st.st_size : 0;
}

/* ---- settings ---- */

static int tls_count(const bw_broker_settings *s)
{
	return (s->cafile[0] != 0) + (s->certfile[0] != 0) + (s->keyfile[0] != 0);
}

int bw_broker_read_config(const char *dir, bw_broker_settings *out, bw_err *e)
{
	char path[BW_BROKER_PATH_MAX], buf[8192];
	int rc = path_join(path, sizeof path, dir, "mosquitto.conf", e);
	if (rc)
		return rc;
	long n = read_part(path, 0, buf, sizeof buf);
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
		} else if (strcmp(key, "max_packet_size") == 0) {
			out->max_packet = strtol(v1, NULL, 10);
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
	if ((rc = path_join(path, sizeof path, abs, "data", e)) || (rc = mkdir_p1(path, e)) ||
			(rc = path_join(path, sizeof path, abs, "devices", e)) || (rc = mkdir_p1(path, e)))
		return rc;
	if (port == 0 && (rc = bw_broker_free_port(s->bind, &port, e)))
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
		"max_packet_size %ld\n"
		"allow_anonymous false\n"
		"password_file %s/passwd\n"
		"acl_file %s/acl\n"
		"# a client id is the user name, so nobody can take over another device's session\n"
		"use_username_as_clientid true\n"
		"# the queue survives a clean restart; devices still keep each request until the\n"
		"# hub's own acknowledgement, because a PUBACK does not mean it is on disk\n"
		"persistence true\n"
		"# a device away for days has notifications waiting, and a hub under a burst has\n"
		"# requests waiting: queue them (the default 1000 per client drops the rest; the\n"
		"# devices' resending and the hub's replay recover, but slowly)\n"
		"max_queued_messages 100000\n"
		"persistence_location %s/data/\n"
		"pid_file %s/mosquitto.pid\n"
		"log_dest stderr\n"
		"log_timestamp_format %%Y-%%m-%%dT%%H:%%M:%%S\n",
		s->max_packet, abs, abs, abs, abs);
	if (geteuid() == 0)
		/* as root mosquitto would switch to user mosquitto, who cannot read this directory */
		fprintf(f, "user root\n");
	if (fclose(f) != 0) {
		free(text);
		return bw_fail(e, BW_ENOMEM, "config: cannot build text");
	}
	rc = path_join(path, sizeof path, abs, "mosquitto.conf", e);
	if (rc == BW_OK)
		rc = write_atomic(path, text, tlen, 0600, e);
	free(text);
	if (rc == BW_OK && port_out)
		*port_out = port;
	return rc;
}

int bw_broker_write_acl(const char *dir, bw_err *e)
{
	char path[BW_BROKER_PATH_MAX];
	int rc = path_join(path, sizeof path, dir, "acl", e);
	if (rc)
		return rc;
	/* mosquitto warns that the pub/# pattern has no %u: it is meant for everyone. */
	static const char acl[] =
		"# acl: bawaba's topic rights, written by bawaba-broker init.\n"
		"# Every user (pattern lines apply to all): write its own up topics, read its own\n"
		"# down topics and the hub's public retained topics. %u is the user name, which is\n"
		"# also the client id (use_username_as_clientid), so it cannot be chosen freely.\n"
		"pattern write " BW_BROKER_ROOT "/dev/%u/up/#\n"
		"pattern write " BW_BROKER_ROOT "/agent/%u/up/#\n"
		"pattern read " BW_BROKER_ROOT "/dev/%u/down/#\n"
		"pattern read " BW_BROKER_ROOT "/agent/%u/down/#\n"
		"pattern read " BW_BROKER_ROOT "/pub/#\n"
		"\n"
		"# The hub hears every device and agent and answers each of them.\n"
		"user " BW_BROKER_HUB_USER "\n"
		"topic read " BW_BROKER_ROOT "/dev/+/up/#\n"
		"topic read " BW_BROKER_ROOT "/agent/+/up/#\n"
		"topic write " BW_BROKER_ROOT "/dev/+/down/#\n"
		"topic write " BW_BROKER_ROOT "/agent/+/down/#\n"
		"topic write " BW_BROKER_ROOT "/pub/#\n";
	return write_atomic(path, acl, sizeof acl - 1, 0600, e);
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

/* Runs argv (no shell) with input (NULL: /dev/null) on its standard input and stdout and
 * stderr captured into msg[size]; returns the exit status (0-255), or a negative code if
 * it could not run or died of a signal. input goes through a pipe, never the command
 * line: arguments are readable by every local user in /proc/PID/cmdline. */
static int run_tool(char *const argv[], const char *input, char *msg, size_t size)
{
	int p[2], in[2] = { -1, -1 };
	size_t inlen = input ? strlen(input) : 0;
	msg[0] = '\0';
	/* the input is written whole before the fork (it is far below the pipe's buffer), so
	 * the child dying early cannot leave this process writing to a closed pipe */
	if (input && (inlen > 4096 || pipe(in) < 0))
		return BW_EIO;
	if (input && write(in[1], input, inlen) != (ssize_t)inlen) {
		close(in[0]);
		close(in[1]);
		return BW_EIO;
	}
	if (input) {
		close(in[1]);
		fcntl(in[0], F_SETFD, FD_CLOEXEC);   /* dup2 gives the child its own stdin */
	}
	if (pipe(p) < 0) {
		if (input)
			close(in[0]);
		return BW_EIO;
	}
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	fcntl(p[1], F_SETFD, FD_CLOEXEC);
	pid_t pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		if (input)
			close(in[0]);
		return BW_EIO;
	}
	if (pid == 0) {
		int src = input ? in[0] : open("/dev/null", O_RDONLY);
		if (src >= 0)
			dup2(src, 0);
		dup2(p[1], 1);
		dup2(p[1], 2);
		umask(077);   /* the password file it may create holds hashes: keep it private */
		execv(argv[0], argv);
		dprintf(2, "cannot run %s: %s", argv[0], strerror(errno));
		_exit(127);
	}
	close(p[1]);
	if (input)
		close(in[0]);
	size_t got = 0;
	for (;;) {
		char tmp[256];
		ssize_t r = read(p[0], tmp, sizeof tmp);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		for (ssize_t i = 0; i < r && got + 1 < size; i++)
			msg[got++] = tmp[i] == '\n' ? ' ' : tmp[i];
	}
	msg[got] = '\0';
	close(p[0]);
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return BW_EIO;
	return WIFEXITED(st) ? WEXITSTATUS(st) : BW_EIO;
}

int bw_broker_add_user(const char *dir, const char *user, const char *password, bw_err *e)
{
	char tool[BW_BROKER_PATH_MAX], path[BW_BROKER_PATH_MAX], msg[200];
	int rc = path_join(path, sizeof path, dir, "passwd", e);
	if (rc)
		return rc;
	if (find_exe("mosquitto_passwd", "BW_MOSQUITTO_PASSWD", tool, sizeof tool))
		return bw_fail(e, BW_ENOTFOUND, "mosquitto_passwd: not found (Debian package mosquitto)");
	if (strpbrk(password, "\r\n") || strlen(password) > 1000)
		return bw_fail(e, BW_EINVAL, "password: one line of at most 1000 bytes");
	/* -c creates the file; given on an existing file it would drop everyone else */
	int create = access(path, F_OK) != 0;
	char *argv[5];
	int a = 0;
	argv[a++] = tool;
	if (create)
		argv[a++] = "-c";
	argv[a++] = path;
	argv[a++] = (char *)user;
	argv[a] = NULL;
	/* Without -b, mosquitto_passwd reads the password twice from its standard input
	 * ("Password:", "Reenter password:"), which is a pipe here: the password never
	 * appears on a command line. */
	size_t pl = strlen(password);
	char *twice = bw_xmalloc(pl * 2 + 3);
	memcpy(twice, password, pl);
	twice[pl] = '\n';
	memcpy(twice + pl + 1, password, pl);
	twice[pl * 2 + 1] = '\n';
	twice[pl * 2 + 2] = '\0';
	rc = run_tool(argv, twice, msg, sizeof msg);
	memset(twice, 0, pl * 2 + 3);
	free(twice);
	if (rc != 0)
		return bw_fail(e, BW_EIO, "mosquitto_passwd: %s (exit %d)", msg[0] ? msg : "failed", rc);
	chmod(path, 0600);
	return BW_OK;
}

int bw_broker_password(char *out, size_t size, bw_err *e)
{
	static const char abc[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	unsigned char raw[BW_BROKER_PASSWORD_LEN * 3 / 4];
	if (size < BW_BROKER_PASSWORD_LEN + 1)
		return bw_fail(e, BW_ETOOBIG, "password: buffer of %zu bytes is too small", size);
	size_t got = 0;
	while (got < sizeof raw) {
		ssize_t r = getrandom(raw + got, sizeof raw - got, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return bw_fail(e, BW_EIO, "getrandom: %s", strerror(errno));
		got += (size_t)r;
	}
	/* base64url of 24 bytes: 4 characters per 3 bytes, no padding needed */
	size_t o = 0;
	for (size_t i = 0; i < sizeof raw; i += 3) {
		unsigned v = (unsigned)raw[i] << 16 | (unsigned)raw[i + 1] << 8 | raw[i + 2];
		out[o++] = abc[(v >> 18) & 63];
		out[o++] = abc[(v >> 12) & 63];
		out[o++] = abc[(v >> 6) & 63];
		out[o++] = abc[v & 63];
	}
	out[o] = '\0';
	explicit_bzero(raw, sizeof raw);
	return BW_OK;
}

int bw_broker_id_valid(int kind, const char *id)
{
	size_t n = strlen(id);
	if (n < 1 || n > BW_BROKER_ID_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = id[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && i > 0);
		if (!ok)
			return 0;
	}
	int agent = strncmp(id, BW_BROKER_AGENT_PREFIX, strlen(BW_BROKER_AGENT_PREFIX)) == 0;
	int hub = strcmp(id, BW_BROKER_HUB_USER) == 0;
	switch (kind) {
	case BW_BROKER_HUB:
		return hub;
	case BW_BROKER_AGENT:
		return agent && n > strlen(BW_BROKER_AGENT_PREFIX);
	case BW_BROKER_KIOSK:
	case BW_BROKER_GATEWAY:
		return !agent && !hub;
	}
	return 0;
}

int bw_broker_device_conf_path(const char *dir, const char *id, char *out, size_t size,
	bw_err *e)
{
	int n = snprintf(out, size, "%s/devices/%s.conf", dir, id);
	if (n < 0 || (size_t)n >= size)
		return bw_fail(e, BW_ETOOBIG, "path: %s/devices/%s.conf is too long", dir, id);
	return BW_OK;
}

static int site_valid(const char *s)
{
	if (strlen(s) > SITE_MAX)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
				*s == '-' || *s == '_' || *s == '.'))
			return 0;
	return 1;
}

/* The host a device should dial: the bind address, unless it is a wildcard. */
static void device_host(const bw_broker_settings *s, char *out, size_t size)
{
	if (strcmp(s->bind, "0.0.0.0") == 0 || strcmp(s->bind, "::") == 0) {
		if (gethostname(out, size) == 0 && out[0]) {
			out[size - 1] = '\0';
			return;
		}
		bw_strlcpy(out, "localhost", size);
		return;
	}
	bw_strlcpy(out, s->bind, size);
}

int bw_broker_register(const char *dir, int kind, const char *id, const bw_broker_device *dev,
	unsigned flags, char *password_out, size_t size, bw_err *e)
{
	const char *kname = bw_broker_kind_name(kind);
	if (!kname)
		return bw_fail(e, BW_EINVAL, "kind: %d is not a broker user kind", kind);
	if (!bw_broker_id_valid(kind, id)) {
		if (kind == BW_BROKER_HUB)
			return bw_fail(e, BW_EINVAL, "id: the hub's user is always '" BW_BROKER_HUB_USER "'");
		if (kind == BW_BROKER_AGENT)
			return bw_fail(e, BW_EINVAL, "id: '%s' is not a valid agent id (agent-NAME, lower-case letters, digits, '-', at most %d)", id, BW_BROKER_ID_MAX);
		return bw_fail(e, BW_EINVAL, "id: '%s' is not a valid %s id ([a-z0-9][a-z0-9-]{0,31}, not 'hub', not starting with 'agent-')", id, kname);
	}
	const char *site = dev && dev->site ? dev->site : "";
	if (!site_valid(site))
		return bw_fail(e, BW_EINVAL, "site: '%s' is not a site code (letters, digits, '-', '_', '.', at most %d)", site, SITE_MAX);

	bw_broker_settings s;
	int rc = bw_broker_read_config(dir, &s, e);
	if (rc)
		return rc;
	char host[BW_BROKER_HOST_MAX];
	if (dev && dev->host && dev->host[0])
		bw_strlcpy(host, dev->host, sizeof host);
	else
		device_host(&s, host, sizeof host);
	if (strpbrk(host, "\n\r"))
		return bw_fail(e, BW_EINVAL, "host: contains a line break");

	char lock[BW_BROKER_PATH_MAX], conf[BW_BROKER_PATH_MAX];
	if ((rc = path_join(lock, sizeof lock, dir, ".lock", e)) ||
			(rc = bw_broker_device_conf_path(dir, id, conf, sizeof conf, e)))
		return rc;
	/* two registrations at once would each rewrite the password file */
	int lfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (lfd < 0)
		return bw_fail(e, BW_EIO, "%s: %s", lock, strerror(errno));
	while (flock(lfd, LOCK_EX) < 0 && errno == EINTR)
		;
	char pw[BW_BROKER_PASSWORD_LEN + 1];
	char text[2048];
	if (access(conf, F_OK) == 0 && !(flags & BW_BROKER_ROTATE)) {
		rc = bw_fail(e, BW_EEXIST, "%s is already registered (--rotate issues a new password)", id);
		goto out;
	}
	if ((rc = bw_broker_password(pw, sizeof pw, e)) || (rc = bw_broker_add_user(dir, id, pw, e)))
		goto out;
	int n = snprintf(text, sizeof text,
		"# %s: bawaba broker credentials of %s '%s'; secret, keep mode 0600.\n"
		"[broker]\n"
		"host=%s\n"
		"port=%d\n"
		"username=%s\n"
		"password=%s\n"
		"cafile=%s\n"
		"\n"
		"[device]\n"
		"id=%s\n"
		"kind=%s\n"
		"site=%s\n",
		conf, kname, id, host, s.port, id, pw, s.cafile, id, kname, site);
	if (n < 0 || (size_t)n >= sizeof text) {
		rc = bw_fail(e, BW_ETOOBIG, "%s: config text too long", conf);
		goto out;
	}
	if ((rc = write_atomic(conf, text, (size_t)n, 0600, e)))
		goto out;
	if (password_out && bw_strlcpy(password_out, pw, size)) {
		rc = bw_fail(e, BW_ETOOBIG, "password: buffer of %zu bytes is too small", size);
		goto out;
	}
	rc = bw_broker_reload(dir, e);
out:
	explicit_bzero(pw, sizeof pw);
	explicit_bzero(text, sizeof text);
	close(lfd);   /* releases the lock */
	return rc;
}

/* ---- the process ---- */

/* Alive and not a zombie (a daemonised broker's parent may be a PID 1 that never reaps). */
static int pid_alive(pid_t pid)
{
	if (kill(pid, 0) < 0 && errno == ESRCH)
		return 0;
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if (read_part(path, 0, buf, sizeof buf) <= 0)
		return 1;
	const char *rp = strrchr(buf, ')');
	return !(rp && rp[1] == ' ' && (rp[2] == 'Z' || rp[2] == 'X'));
}

/* Copies the last lines of the log into out, timestamps cut, joined by " | ". */
static void log_tail(const char *log, char *out, size_t size)
{
	char buf[1024];
	out[0] = '\0';
	if (read_part(log, -(long)sizeof buf + 1, buf, sizeof buf) <= 0)
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

int bw_broker_start(const char *dir, unsigned flags, pid_t *pid_out, bw_err *e)
{
	bw_broker_settings s;
	char abs[PATH_MAX], conf[BW_BROKER_PATH_MAX], log[BW_BROKER_PATH_MAX], exe[BW_BROKER_PATH_MAX];
	int rc = bw_broker_read_config(dir, &s, e);
	if (rc)
		return rc;
	if (!realpath(dir, abs))
		return bw_fail(e, BW_EIO, "%s: %s", dir, strerror(errno));
	if ((rc = path_join(conf, sizeof conf, abs, "mosquitto.conf", e)) ||
			(rc = path_join(log, sizeof log, abs, "mosquitto.log", e)))
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

	long deadline = now_ms() + START_WAIT_MS;
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
		if (now_ms() > deadline) {
			bw_broker_stop(pid, NULL);
			char tail[160];
			log_tail(log, tail, sizeof tail);
			return bw_fail(e, BW_EIO, "mosquitto not listening on port %d after %d s; %s: %s",
				s.port, START_WAIT_MS / 1000, log, tail);
		}
		sleep_ms(20);
	}
	*pid_out = pid;
	return BW_OK;
}

int bw_broker_stop(pid_t pid, bw_err *e)
{
	if (pid <= 0 || kill(pid, SIGTERM) < 0)
		return bw_fail(e, BW_ENOTFOUND, "no broker process %ld", (long)pid);
	long deadline = now_ms() + STOP_WAIT_MS;
	int sig_kill_sent = 0;
	for (;;) {
		int st;
		pid_t w = waitpid(pid, &st, WNOHANG);
		if (w == pid || (w < 0 && errno == ECHILD && !pid_alive(pid)))
			return BW_OK;
		if (!sig_kill_sent && now_ms() > deadline) {
			/* it had its chance to save its database; don't hang a shutdown on it */
			kill(pid, SIGKILL);
			sig_kill_sent = 1;
			deadline = now_ms() + STOP_WAIT_MS;
		} else if (sig_kill_sent && now_ms() > deadline) {
			return bw_fail(e, BW_EIO, "broker %ld does not die", (long)pid);
		}
		sleep_ms(10);
	}
}

int bw_broker_running_pid(const char *dir, pid_t *pid, bw_err *e)
{
	char path[BW_BROKER_PATH_MAX], buf[64];
	int rc = path_join(path, sizeof path, dir, "mosquitto.pid", e);
	if (rc)
		return rc;
	if (read_part(path, 0, buf, sizeof buf) <= 0)
		return bw_fail(e, BW_ENOTFOUND, "%s: no broker running", dir);
	char *end;
	long p = strtol(buf, &end, 10);
	if (p <= 0 || (*end && *end != '\n'))
		return bw_fail(e, BW_ENOTFOUND, "%s: pid file is broken", path);
	if (!pid_alive((pid_t)p))
		return bw_fail(e, BW_ENOTFOUND, "%s: no broker running (stale pid %ld)", dir, p);
	char comm_path[64], comm[64];
	snprintf(comm_path, sizeof comm_path, "/proc/%ld/comm", p);
	if (read_part(comm_path, 0, comm, sizeof comm) > 0 && strncmp(comm, "mosquitto", 9) != 0)
		return bw_fail(e, BW_ENOTFOUND, "%s: no broker running (pid %ld is not mosquitto)", dir, p);
	*pid = (pid_t)p;
	return BW_OK;
}

int bw_broker_reload(const char *dir, bw_err *e)
{
	pid_t pid;
	char log[BW_BROKER_PATH_MAX], buf[4096];
	if (bw_broker_running_pid(dir, &pid, NULL) != BW_OK)
		return BW_OK;
	int rc = path_join(log, sizeof log, dir, "mosquitto.log", e);
	if (rc)
		return rc;
	long from = file_size(log);
	if (kill(pid, SIGHUP) < 0)
		return bw_fail(e, BW_EIO, "kill -HUP %ld: %s", (long)pid, strerror(errno));
	/* mosquitto logs this line in its main loop, then re-reads the files before it serves
	 * the next client: waiting for it makes a registration usable as soon as we return */
	long deadline = now_ms() + RELOAD_WAIT_MS;
	while (now_ms() < deadline) {
		long n = read_part(log, from, buf, sizeof buf);
		if (n > 0 && strstr(buf, "Reloading config"))
			return BW_OK;
		if (n == (long)sizeof buf - 1)
			from += n - 32;   /* a busy log: move on, keeping an overlap for a cut line */
		else
			sleep_ms(5);
	}
	return BW_OK;   /* no log line (logging changed?): the reload still happens soon */
}
