/* bawaba.c: the operator's command: global options, then a table of sub-commands.
 * Start reading at main(). Each sub-command lives in a cmd_*.c file of this folder. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bw_files.h"
#include "bw_clock.h"
#include "bw_conf.h"
#include "cli.h"

/* The config file of `bawaba` (-c FILE, else /etc/bawaba/bawaba.conf when it exists). */
typedef struct cli_settings {
	char database[512];
	char time_zone[64];
	char locale_dir[512];
} cli_settings;

static const bw_conf_key conf_keys[] = {
	BW_CONF_P("store", "database", cli_settings, database, "/var/lib/bawaba/hub.db",
		  "the hub database (overridden by $BAWABA_DB, then by -d)"),
	BW_CLOCK_CONF("store", cli_settings, time_zone),
	BW_CONF_P("export", "locale_dir", cli_settings, locale_dir, BW_LOCALEDIR,
		  "translation catalogues of the open data and the transparency site"),
	BW_CONF_END,
};

static const struct {
	const char *name;
	cli_fn fn;
	const char *usage;
} commands[] = {
	{ "init", cmd_init, "init                       create the database, apply migrations, load the catalogue and holidays" },
	{ "file", cmd_file, "file --kind K --admin A [options] TEXT   file a request at the desk or from paper" },
	{ "show", cmd_show, "show REF                   a request, its timeline, deadline and skipped holidays" },
	{ "list", cmd_list, "list " CLI_FILTER_USAGE },
	{ "ack", cmd_move, "ack REF [NOTE]             acknowledge receipt" },
	{ "assign", cmd_move, "assign REF TO              assign to an administration or its information officer" },
	{ "progress", cmd_move, "progress REF [NOTE]        mark in progress" },
	{ "answer", cmd_move, "answer REF TEXT            answer (the text reaches the citizen)" },
	{ "extend", cmd_move, "extend REF REASON          extend an information request once, before its deadline (+20 working days, urgent +3 days)" },
	{ "reject", cmd_move, "reject REF --reason CODE [NOTE]   refuse, with a reason from the law's list" },
	{ "close", cmd_move, "close REF [NOTE]           close" },
	{ "reopen", cmd_move, "reopen REF NOTE            reopen a complaint (its author is not satisfied)" },
	{ "appeal", cmd_move, "appeal REF NOTE            record an appeal to the head of the body, within 20 working days (law 31.13 art. 19)" },
	{ "holiday", cmd_holiday, "holiday add DAY NAME_FR [NAME_AR] [--islamic] [--expected] | holiday remove DAY | holiday list [YEAR]" },
	{ "catalogue", cmd_catalogue, "catalogue [admins|sites|categories]" },
	{ "lifecycle", cmd_lifecycle, "lifecycle                  the states and allowed moves, per kind" },
	{ "report", cmd_report, "report [--from D] [--to D] [--html DIR]  indicators (docs/indicators.md); --html: the static transparency site in ar and fr" },
	{ "devices", cmd_devices, "devices                    kiosks and gateways: online or not, last seen, outbox, modem signal and queue" },
	{ "agent", cmd_agent, "agent add agent-NAME --site SITE [--admin A] [--name N] [--broker DIR] [--disable] [--update] | agent list" },
	{ "device", cmd_device, "device add ID --kind kiosk|gateway --site SITE --broker DIR [--host H]   broker credentials for a device of a catalogued site" },
	{ "backup", cmd_backup, "backup FILE                an online copy of the hub database (while the hub runs), checked" },
	{ "export", cmd_export, "export csv [--anonymous] [--excel] [FILTERS] | export open311 [--anonymous] [--lang ar|fr] [--xml] [--services] [FILTERS] | export open311 --dir DIR [--lang ar|fr] [--named] [FILTERS]   FILTERS as for list" },
};

static void usage(FILE *fp)
{
	fprintf(fp, "usage: bawaba [-c CONFIG] [-d DATABASE] [--as ACTOR] COMMAND [ARGS]\n"
		"       bawaba [-c CONFIG] -n          check the configuration\n"
		"       bawaba --print-config          an annotated configuration with the defaults\n\n"
		"Acts on a bawaba hub database: -d, else $BAWABA_DB, else [store] database of the\n"
		"configuration (-c, else /etc/bawaba/bawaba.conf if present, else /var/lib/bawaba/hub.db).\n\n"
		"commands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(fp, "  %s\n", commands[i].usage);
	fprintf(fp, "\nREF is a reference number as the citizen has it (spaces, dashes and Arabic digits are fine).\n"
		"Dates are YYYY-MM-DD. `bawaba COMMAND --help` shows one command. See bawaba(1).\n");
}

int cli_die(const char *fmt, ...)
{
	va_list ap;
	fputs("bawaba: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

int cli_usage(const char *cmd, const char *msg)
{
	if (msg)
		fprintf(stderr, "bawaba %s: %s\n", cmd, msg);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(commands[i].name, cmd) == 0)
			fprintf(msg ? stderr : stdout, "usage: bawaba %s\n", commands[i].usage);
	return msg ? 2 : 0;
}

int cli_open(cli *c)
{
	bw_err e;
	if (bw_store_open(&c->store, c->db_path, 0, &e) != BW_OK)
		return cli_die("%s", e.msg);
	return 0;
}

int cli_copy(char *dst, size_t size, const char *v, const char *name)
{
	if (bw_strlcpy(dst, v, size) != BW_OK)
		return cli_die("%s: too long (at most %zu bytes)", name, size - 1);
	return 0;
}

const char *cli_today(const cli *c, char out[11])
{
	return bw_day_format(bw_legal_day(c->now), out);
}

int main(int argc, char **argv)
{
	bw_files_private();  /* before anything is created: personal data stays 0600 */
	cli c = { 0 };
	cli_settings set;
	bw_err e;
	int i = 1, check_only = 0;
	const char *user = getenv("USER"), *conf = NULL, *db = NULL;

	snprintf(c.actor_buf, sizeof c.actor_buf, "operator:%s", user && *user ? user : "unknown");
	c.actor = c.actor_buf;
	/* BAWABA_NOW lets tests and paper-entry scripts pin the clock (UTC seconds) */
	c.now = bw_now();

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--print-config") == 0) {
			bw_conf_print(conf_keys, stdout);
			return 0;
		} else if (strcmp(argv[i], "-n") == 0) {
			check_only = 1;
		} else if (strcmp(argv[i], "-c") == 0 && i + 1 < argc) {
			conf = argv[++i];
		} else if (strcmp(argv[i], "-d") == 0 && i + 1 < argc) {
			db = argv[++i];
		} else if (strcmp(argv[i], "--as") == 0 && i + 1 < argc) {
			if (strlen(argv[++i]) > BW_ACTOR_MAX)
				return cli_die("--as: at most %d characters", BW_ACTOR_MAX);
			c.actor = argv[i];
		} else {
			fprintf(stderr, "bawaba: unknown option %s\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	/* an explicit -c must exist; the default file is optional */
	int rc = bw_conf_load(conf ? conf : "/etc/bawaba/bawaba.conf", conf_keys, &set, &e);
	if (rc != BW_OK && !(rc == BW_ENOTFOUND && !conf))
		return cli_die("%s", e.msg);
	if (bw_clock_init(set.time_zone, &e) != BW_OK)
		return cli_die("%s", e.msg);
	if (check_only) {
		printf("configuration OK\n");
		return 0;
	}
	c.db_path = db ? db : getenv("BAWABA_DB") ? getenv("BAWABA_DB") : set.database;
	c.locale_dir = getenv("BAWABA_LOCALEDIR") ? getenv("BAWABA_LOCALEDIR") : set.locale_dir;
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++) {
		if (strcmp(commands[k].name, argv[i]) != 0)
			continue;
		for (int a = i + 1; a < argc; a++)
			if (strcmp(argv[a], "--help") == 0 || strcmp(argv[a], "-h") == 0)
				return cli_usage(argv[i], NULL);
		rc = commands[k].fn(&c, argc - i, argv + i);
		bw_store_close(c.store);
		return rc;
	}
	fprintf(stderr, "bawaba: unknown command \"%s\"\n", argv[i]);
	usage(stderr);
	return 2;
}
