/* bawaba-broker.c: the command that sets up, runs and stops a site's mosquitto broker and
 * registers its devices and agents. Start reading at main(); the work is in broker.c. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bw_files.h"
#include "broker.h"
#include "bw_err.h"
#include "bw_notify.h"

static volatile sig_atomic_t got_signal;   /* the last SIGTERM/SIGINT/SIGHUP to forward */
static volatile sig_atomic_t got_child;
static volatile sig_atomic_t got_alarm;   /* time for the next WATCHDOG=1 */

static const char usage_all[] =
	"usage: bawaba-broker COMMAND DIR [options]   (bawaba-broker COMMAND --help for each)\n"
	"  init DIR [--port N] [--bind ADDR] [--tls-cafile F --tls-certfile F --tls-keyfile F]\n"
	"  start DIR [--daemon]\n"
	"  stop DIR\n"
	"  register DIR kiosk|gateway|agent ID [--site S] [--host H] [--rotate]\n"
	"  register DIR hub hub --rotate\n"
	"  list DIR\n"
	"  disable|enable|remove|rotate DIR ID\n"
	"  port DIR\n";

static const char usage_init[] =
	"usage: bawaba-broker init DIR [--port N] [--bind ADDR]\n"
	"                      [--tls-cafile F --tls-certfile F --tls-keyfile F]\n"
	"Creates DIR with mosquitto.conf, dynsec.json (users and their topic rights), data/\n"
	"and the hub's credentials in\n"
	"DIR/devices/hub.conf (whose path it prints). Listens on 127.0.0.1 unless --bind;\n"
	"on a free port unless --port. The three --tls-* files make the listener TLS only.\n";
static const char usage_start[] =
	"usage: bawaba-broker start DIR [--daemon]\n"
	"Runs mosquitto for DIR. In the foreground (default) it forwards SIGTERM, SIGINT and\n"
	"SIGHUP and exits when mosquitto does. --daemon returns once the broker accepts\n"
	"connections and prints \"PID PORT\".\n";
static const char usage_stop[] =
	"usage: bawaba-broker stop DIR\n"
	"Stops the broker running for DIR (SIGTERM, then SIGKILL after 5 s).\n";
static const char usage_register[] =
	"usage: bawaba-broker register DIR kiosk|gateway|agent ID [--site S] [--host H] [--rotate]\n"
	"Creates broker credentials for ID and writes DIR/devices/ID.conf (mode 0600), whose\n"
	"path it prints. Agent ids start with agent-. A running broker picks them up at once.\n"
	"--rotate issues a new password to an id that is already registered\n"
	"(also to the hub: register DIR hub hub --rotate).\n";
static const char usage_list[] =
	"usage: bawaba-broker list DIR\n"
	"Prints one line per registered device and agent (and the hub): id, kind, site and\n"
	"whether it may connect (enabled or DISABLED).\n";
static const char usage_user[] =
	"usage: bawaba-broker disable|enable|remove|rotate DIR ID\n"
	"disable: ID is disconnected at once and cannot connect until enable.\n"
	"remove: the same, for good: its broker user and DIR/devices/ID.conf are deleted.\n"
	"rotate: a new password in DIR/devices/ID.conf (same as register --rotate); live\n"
	"connections stay until they reconnect (disable then enable drops them).\n"
	"A running broker applies each at once; otherwise its next start does.\n";
static const char usage_port[] =
	"usage: bawaba-broker port DIR\n"
	"Prints the port the broker of DIR listens on.\n";

static const char *usage_cmd(const char *usage)
{
	return usage == usage_init ? " init" : usage == usage_start ? " start" :
		usage == usage_stop ? " stop" : usage == usage_register ? " register" :
		usage == usage_port ? " port" : usage == usage_list ? " list" :
		usage == usage_user ? " disable" : "";
}

static int usage_error(const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "bawaba-broker: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see bawaba-broker%s --help)\n", usage_cmd(usage));
	return 2;
}

static int fail(const bw_err *e)
{
	fprintf(stderr, "bawaba-broker: %s\n", e->msg[0] ? e->msg : bw_strerror(e->code));
	return 1;
}

/* Options: "--name VALUE" or "--name=VALUE". opts lists the names taking a value (vals
 * gets them) and the flags (set to 1); anything else is positional. Returns 0, 2 on a
 * usage error (already reported), or -1 after printing help. */
typedef struct opt {
	const char *name;
	int takes_value;
	const char *value;
	int set;
} opt;

static int parse(int argc, char **argv, opt *opts, int nopts, const char **pos, int npos,
	const char *usage)
{
	int np = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage, stdout);
			return -1;
		}
		if (strncmp(a, "--", 2) != 0) {
			if (np == npos)
				return usage_error(usage, "unexpected argument '%s'", a);
			pos[np++] = a;
			continue;
		}
		const char *eq = strchr(a, '=');
		size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		opt *o = NULL;
		for (int k = 0; k < nopts; k++)
			if (strlen(opts[k].name) == len && strncmp(opts[k].name, a + 2, len) == 0)
				o = &opts[k];
		if (!o)
			return usage_error(usage, "unknown option '%s'", a);
		o->set = 1;
		if (o->takes_value) {
			if (eq)
				o->value = eq + 1;
			else if (i + 1 < argc)
				o->value = argv[++i];
			else
				return usage_error(usage, "option '%s' needs a value", a);
		} else if (eq) {
			return usage_error(usage, "option '%s' takes no value", a);
		}
	}
	if (np < npos)
		return usage_error(usage, "missing argument%s", np == 0 ? "s" : "");
	return 0;
}

static int tls_path(const char *flag, const char *v, char *out, size_t size)
{
	char abs[PATH_MAX];
	if (!realpath(v, abs)) {
		fprintf(stderr, "bawaba-broker: %s: %s: %s\n", flag, v, strerror(errno));
		return 1;
	}
	if (bw_strlcpy(out, abs, size)) {
		fprintf(stderr, "bawaba-broker: %s: path too long\n", flag);
		return 1;
	}
	return 0;
}

static int cmd_init(int argc, char **argv)
{
	opt o[] = { { "port", 1, 0, 0 }, { "bind", 1, 0, 0 }, { "tls-cafile", 1, 0, 0 },
		{ "tls-certfile", 1, 0, 0 }, { "tls-keyfile", 1, 0, 0 } };
	const char *pos[1];
	int rc = parse(argc, argv, o, 5, pos, 1, usage_init);
	if (rc)
		return rc < 0 ? 0 : rc;
	const char *dir = pos[0];
	bw_err e;
	bw_err_clear(&e);
	bw_broker_settings s;
	bw_broker_settings_default(&s);
	if (o[0].value) {
		char *end;
		long p = strtol(o[0].value, &end, 10);
		if (*end || p < 1 || p > 65535)
			return usage_error(usage_init, "--port: '%s' is not a port (1-65535)", o[0].value);
		s.port = (int)p;
	}
	if (o[1].value && bw_strlcpy(s.bind, o[1].value, sizeof s.bind))
		return usage_error(usage_init, "--bind: '%s' is too long", o[1].value);
	int ntls = (o[2].value != NULL) + (o[3].value != NULL) + (o[4].value != NULL);
	if (ntls != 0 && ntls != 3)
		return usage_error(usage_init, "%s", "--tls-cafile, --tls-certfile and --tls-keyfile go together");
	if (ntls == 3 && (tls_path("--tls-cafile", o[2].value, s.cafile, sizeof s.cafile) ||
			tls_path("--tls-certfile", o[3].value, s.certfile, sizeof s.certfile) ||
			tls_path("--tls-keyfile", o[4].value, s.keyfile, sizeof s.keyfile)))
		return 1;
	/* issue 11: passwords and citizens' requests in clear beyond this machine */
	if (ntls == 0 && strcmp(s.bind, "127.0.0.1") != 0 && strcmp(s.bind, "::1") != 0 &&
	    strcmp(s.bind, "localhost") != 0)
		fprintf(stderr, "bawaba-broker: warning: listening on %s without TLS: every device's "
			"password and every citizen's request cross the network in clear "
			"(give --tls-cafile, --tls-certfile and --tls-keyfile)\n", s.bind);

	char conf[BW_BROKER_PATH_MAX];
	snprintf(conf, sizeof conf, "%s/mosquitto.conf", dir);
	if (access(conf, F_OK) == 0) {
		fprintf(stderr, "bawaba-broker: %s is already initialised (%s exists)\n", dir, conf);
		return 1;
	}
	if (bw_broker_write_config(dir, &s, NULL, &e) || bw_broker_users_init(dir, &e) ||
			bw_broker_register(dir, BW_BROKER_HUB, BW_BROKER_HUB_USER, NULL, 0, NULL, 0, &e))
		return fail(&e);
	bw_broker_device_conf_path(dir, BW_BROKER_HUB_USER, conf, sizeof conf, NULL);
	printf("%s\n", conf);
	return 0;
}

static void on_signal(int sig)
{
	if (sig == SIGCHLD)
		got_child = 1;
	else if (sig == SIGALRM)
		got_alarm = 1;
	else
		got_signal = sig;
}

/* Foreground: mosquitto is our child; signals are blocked except inside sigsuspend, so
 * none can slip in between the checks and the wait. */
static int run_foreground(const char *dir)
{
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGALRM);
	sigprocmask(SIG_BLOCK, &block, &old);
	/* the mask to wait with: as we were started, but with our signals let through */
	sigset_t wait_mask = old;
	sigdelset(&wait_mask, SIGTERM);
	sigdelset(&wait_mask, SIGINT);
	sigdelset(&wait_mask, SIGHUP);
	sigdelset(&wait_mask, SIGCHLD);
	sigdelset(&wait_mask, SIGALRM);
	struct sigaction sa = { 0 };
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);

	bw_err e;
	bw_err_clear(&e);
	pid_t pid;
	bw_broker_settings s;
	if (bw_broker_read_config(dir, &s, &e) || bw_broker_start(dir, 0, &pid, &e))
		return fail(&e);
	fprintf(stderr, "bawaba-broker: mosquitto (pid %ld) listening on %s port %d\n",
		(long)pid, s.bind, s.port);
	/* systemd: ready once mosquitto listens; alive while it runs (a timer wakes the
	 * sigsuspend below for each WATCHDOG=1) */
	bw_notify nt;
	bw_notify_init(&nt);
	bw_notify_ready("mosquitto listening");
	if (nt.every_ms) {
		struct itimerval it = { { nt.every_ms / 1000, nt.every_ms % 1000 * 1000 },
			{ nt.every_ms / 1000, nt.every_ms % 1000 * 1000 } };
		setitimer(ITIMER_REAL, &it, NULL);
	}
	for (;;) {
		if (got_signal) {
			int sig = got_signal;
			got_signal = 0;
			kill(pid, sig);
		}
		int st;
		pid_t w = waitpid(pid, &st, WNOHANG);
		if (w == 0 && got_alarm) {
			got_alarm = 0;
			nt.next_ms = 0;   /* the timer says it is due, whatever its jitter */
			bw_notify_alive(&nt);
		}
		if (w == pid) {
			bw_notify_stopping();
			if (WIFEXITED(st))
				return WEXITSTATUS(st);
			fprintf(stderr, "bawaba-broker: mosquitto killed by signal %d\n", WTERMSIG(st));
			return 1;
		}
		if (w < 0 && errno != EINTR) {
			fprintf(stderr, "bawaba-broker: waitpid: %s\n", strerror(errno));
			return 1;
		}
		got_child = 0;
		sigsuspend(&wait_mask);
	}
}

static int cmd_start(int argc, char **argv)
{
	opt o[] = { { "daemon", 0, 0, 0 } };
	const char *pos[1];
	int rc = parse(argc, argv, o, 1, pos, 1, usage_start);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (!o[0].set)
		return run_foreground(pos[0]);
	bw_err e;
	bw_err_clear(&e);
	pid_t pid;
	bw_broker_settings s;
	if (bw_broker_read_config(pos[0], &s, &e) || bw_broker_start(pos[0], BW_BROKER_DETACH, &pid, &e))
		return fail(&e);
	printf("%ld %d\n", (long)pid, s.port);
	return 0;
}

static int cmd_stop(int argc, char **argv)
{
	const char *pos[1];
	int rc = parse(argc, argv, NULL, 0, pos, 1, usage_stop);
	if (rc)
		return rc < 0 ? 0 : rc;
	bw_err e;
	bw_err_clear(&e);
	pid_t pid;
	if (bw_broker_running_pid(pos[0], &pid, &e) || bw_broker_stop(pid, &e))
		return fail(&e);
	return 0;
}

static int cmd_register(int argc, char **argv)
{
	opt o[] = { { "site", 1, 0, 0 }, { "host", 1, 0, 0 }, { "rotate", 0, 0, 0 } };
	const char *pos[3];
	int rc = parse(argc, argv, o, 3, pos, 3, usage_register);
	if (rc)
		return rc < 0 ? 0 : rc;
	bw_err e;
	bw_err_clear(&e);
	int kind = bw_broker_kind_parse(pos[1], &e);
	if (kind < 0)
		return fail(&e);
	if (kind == BW_BROKER_HUB && !o[2].set)
		return usage_error(usage_register, "%s", "the hub's user is made by init (register hub hub --rotate renews its password)");
	bw_broker_device dev = { o[0].value, o[1].value };
	if (bw_broker_register(pos[0], kind, pos[2], &dev, o[2].set ? BW_BROKER_ROTATE : 0, NULL, 0, &e))
		return fail(&e);
	char conf[BW_BROKER_PATH_MAX];
	bw_broker_device_conf_path(pos[0], pos[2], conf, sizeof conf, NULL);
	printf("%s\n", conf);
	return 0;
}

static int cmd_list(int argc, char **argv)
{
	const char *pos[1];
	int rc = parse(argc, argv, NULL, 0, pos, 1, usage_list);
	if (rc)
		return rc < 0 ? 0 : rc;
	bw_err e;
	bw_err_clear(&e);
	bw_broker_user *u;
	size_t n;
	if (bw_broker_users_list(pos[0], &u, &n, &e))
		return fail(&e);
	printf("%-32s %-8s %-16s %s\n", "id", "kind", "site", "state");
	for (size_t i = 0; i < n; i++)
		printf("%-32s %-8s %-16s %s\n", u[i].id, u[i].kind[0] ? u[i].kind : "?",
			u[i].site[0] ? u[i].site : "-", u[i].disabled ? "DISABLED" : "enabled");
	free(u);
	return 0;
}

/* disable, enable, remove, rotate: argv[-1] is the command's name */
static int cmd_user(int argc, char **argv)
{
	const char *what = argv[-1];
	const char *pos[2];
	int rc = parse(argc, argv, NULL, 0, pos, 2, usage_user);
	if (rc)
		return rc < 0 ? 0 : rc;
	bw_err e;
	bw_err_clear(&e);
	if (strcmp(what, "rotate") == 0) {
		char kind[16] = "", conf[BW_BROKER_PATH_MAX], line[64];
		bw_broker_device_conf_path(pos[0], pos[1], conf, sizeof conf, NULL);
		FILE *f = fopen(conf, "re");
		while (f && fgets(line, sizeof line, f))
			if (sscanf(line, "kind=%15s", kind) == 1)
				break;
		if (f)
			fclose(f);
		int k = bw_broker_kind_parse(kind, NULL);
		if (k < 0) {
			fprintf(stderr, "bawaba-broker: %s: no such device or agent (%s)\n", pos[1], conf);
			return 1;
		}
		bw_broker_device dev = { 0 };
		char site[64] = "";
		f = fopen(conf, "re");
		while (f && fgets(line, sizeof line, f))
			if (sscanf(line, "site=%63s", site) == 1)
				dev.site = site;
		if (f)
			fclose(f);
		if (bw_broker_register(pos[0], k, pos[1], &dev, BW_BROKER_ROTATE, NULL, 0, &e))
			return fail(&e);
		printf("%s\n", conf);
		return 0;
	}
	int op = strcmp(what, "disable") == 0 ? BW_BROKER_DISABLE :
		strcmp(what, "enable") == 0 ? BW_BROKER_ENABLE : BW_BROKER_REMOVE;
	if (bw_broker_user_set(pos[0], pos[1], op, &e))
		return fail(&e);
	return 0;
}

static int cmd_port(int argc, char **argv)
{
	const char *pos[1];
	int rc = parse(argc, argv, NULL, 0, pos, 1, usage_port);
	if (rc)
		return rc < 0 ? 0 : rc;
	bw_err e;
	bw_err_clear(&e);
	bw_broker_settings s;
	if (bw_broker_read_config(pos[0], &s, &e))
		return fail(&e);
	printf("%d\n", s.port);
	return 0;
}

int main(int argc, char **argv)
{
	bw_files_private();  /* before anything is created: personal data stays 0600 */
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {
		{ "init", cmd_init }, { "start", cmd_start }, { "stop", cmd_stop },
		{ "register", cmd_register }, { "port", cmd_port }, { "list", cmd_list },
		{ "disable", cmd_user }, { "enable", cmd_user }, { "remove", cmd_user },
		{ "rotate", cmd_user },
	};
	if (argc < 2)
		return usage_error(usage_all, "%s", "missing command");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage_all, stdout);
		return 0;
	}
	umask(077);   /* everything under DIR is private: credentials and the message store */
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc - 2, argv + 2);   /* argv[1], the name, stays readable */
	return usage_error(usage_all, "unknown command '%s'", argv[1]);
}
