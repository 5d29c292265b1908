/* cmd_site.c: the site's people and machines: `bawaba devices` (presence of kiosks and
 * gateways, as the hub last heard) and `bawaba agent add|list` (reception agents, their
 * scope, and their broker credentials). */
#include <getopt.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../hub/agent.h"
#include "../hub/broker.h"
#include "../hub/guard.h"
#include "cli.h"

static void ago(int64_t now, sqlite3_stmt *st, int col, char *out, size_t size)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL) {
		snprintf(out, size, "never");
		return;
	}
	int64_t d = now - sqlite3_column_int64(st, col);
	if (d < 120)
		snprintf(out, size, "%llds ago", (long long)(d < 0 ? 0 : d));
	else if (d < 7200)
		snprintf(out, size, "%lldmin ago", (long long)d / 60);
	else
		snprintf(out, size, "%lldh ago", (long long)d / 3600);
}

int cmd_devices(cli *c, int argc, char **argv)
{
	sqlite3_stmt *st;
	if (argc != 1)
		return cli_usage("devices", "no arguments");
	if (cli_open(c))
		return 1;
	if (sqlite3_prepare_v2(bw_store_db(c->store), "SELECT id, kind, site, num, online, last_seen, outbox_depth, "
			       "signal, send_queue, dropped, throttled, clock_skew, clock_stamped FROM devices "
			       "ORDER BY site, id", -1, &st, NULL) != SQLITE_OK)
		return cli_die("devices: %s", sqlite3_errmsg(bw_store_db(c->store)));
	printf("%-16s %-8s %-16s %4s %-8s %-12s %6s %6s %6s %7s %9s %s\n", "device", "kind", "site", "num", "state",
	       "last seen", "outbox", "signal", "queue", "dropped", "throttled", "clock");
	while (sqlite3_step(st) == SQLITE_ROW) {
		char seen[32], sig[8] = "-", q[8] = "-", clk[64] = "-";
		ago(c->now, st, 5, seen, sizeof seen);
		if (sqlite3_column_type(st, 7) != SQLITE_NULL)
			snprintf(sig, sizeof sig, "%d%%", sqlite3_column_int(st, 7));
		if (sqlite3_column_type(st, 8) != SQLITE_NULL)
			snprintf(q, sizeof q, "%d", sqlite3_column_int(st, 8));
		/* the device's clock against the hub's at its last heartbeat, and how often the
		 * hub replaced a time it stated (guard.h: more than 300 s off is WRONG) */
		if (sqlite3_column_type(st, 11) != SQLITE_NULL) {
			long long sk = sqlite3_column_int64(st, 11);
			snprintf(clk, sizeof clk, "%+llds%s", sk, sk > GUARD_SKEW_MAX || sk < -GUARD_SKEW_MAX ? " WRONG" : "");
		}
		if (sqlite3_column_int(st, 12))
			snprintf(clk + strlen(clk), sizeof clk - strlen(clk), " (%d times stamped)", sqlite3_column_int(st, 12));
		printf("%-16s %-8s %-16s %04d %-8s %-12s %6d %6s %6s %7d %9d %s\n", sqlite3_column_text(st, 0),
		       sqlite3_column_text(st, 1), sqlite3_column_text(st, 2), sqlite3_column_int(st, 3),
		       sqlite3_column_int(st, 4) ? "online" : "OFFLINE", seen, sqlite3_column_int(st, 6), sig, q,
		       sqlite3_column_int(st, 9), sqlite3_column_int(st, 10), clk);
	}
	sqlite3_finalize(st);
	return 0;
}

static int agent_add(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "site", required_argument, 0, 's' }, { "admin", required_argument, 0, 'a' },
		{ "name", required_argument, 0, 'n' }, { "broker", required_argument, 0, 'b' },
		{ "disable", no_argument, 0, 'd' }, { "update", no_argument, 0, 'u' }, { 0, 0, 0, 0 },
	};
	hub_agent a = { .active = 1 };
	const char *broker = NULL;
	int ch, update = 0;
	bw_err e;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 's': if (cli_copy(a.site, sizeof a.site, optarg, "--site")) return 1; break;
		case 'a': if (cli_copy(a.admin, sizeof a.admin, optarg, "--admin")) return 1; break;
		case 'n': if (cli_copy(a.name, sizeof a.name, optarg, "--name")) return 1; break;
		case 'b': broker = optarg; break;
		case 'd': a.active = 0; break;
		case 'u': update = 1; break;
		default: return cli_usage("agent", "unknown option");
		}
	}
	if (optind != argc - 1 || !a.site[0])
		return cli_usage("agent", "add agent-NAME --site SITE [--admin ADMIN]");
	if (cli_copy(a.id, sizeof a.id, argv[optind], "agent id"))
		return 1;
	if (cli_open(c))
		return 1;
	if (bw_store_begin(c->store, &e))
		return cli_die("%s", e.msg);
	if (hub_agent_add(c->store, &a, update, c->now, &e)) {
		bw_store_rollback(c->store);
		return cli_die("%s", e.msg);
	}
	/* the broker user is made inside the transaction: if it fails, no agent row is left
	 * behind that could never connect */
	if (broker && !update) {
		char password[64];
		bw_broker_device dev = { .site = a.site };
		if (bw_broker_register(broker, BW_BROKER_AGENT, a.id, &dev, 0, password, sizeof password, &e)) {
			bw_store_rollback(c->store);
			return cli_die("%s", e.msg);
		}
	}
	if (bw_store_commit(c->store, &e))
		return cli_die("%s", e.msg);
	printf("agent %s: site %s, %s%s\n", a.id, a.site, a.admin[0] ? a.admin : "every administration",
	       a.active ? "" : " (disabled)");
	if (broker && !update)
		printf("credentials: %s/devices/%s.conf\n", broker, a.id);
	return 0;
}

int cmd_agent(cli *c, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return agent_add(c, argc - 1, argv + 1);
	if (argc == 2 && strcmp(argv[1], "list") == 0) {
		sqlite3_stmt *st;
		if (cli_open(c))
			return 1;
		if (sqlite3_prepare_v2(bw_store_db(c->store), "SELECT id, name, site, admin, active FROM agents ORDER BY site, id",
				       -1, &st, NULL) != SQLITE_OK)
			return cli_die("agents: %s", sqlite3_errmsg(bw_store_db(c->store)));
		while (sqlite3_step(st) == SQLITE_ROW)
			printf("%-20s %-20s %-16s %-10s %s\n", sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
			       sqlite3_column_text(st, 2), *sqlite3_column_text(st, 3) ? (const char *)sqlite3_column_text(st, 3) : "(all)",
			       sqlite3_column_int(st, 4) ? "active" : "disabled");
		sqlite3_finalize(st);
		return 0;
	}
	return cli_usage("agent", "add or list");
}

/* `bawaba device add`: a kiosk or gateway gets broker credentials only for a site of the
 * catalogue, so a typo cannot make a device whose requests belong to no site. The hub
 * numbers it at `bawaba-hub enroll`; the broker side of its life (disable, remove, ...)
 * is bawaba-broker's. */
static int device_add(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kind", required_argument, 0, 'k' }, { "site", required_argument, 0, 's' },
		{ "broker", required_argument, 0, 'b' }, { "host", required_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	const char *kind = NULL, *site = NULL, *broker = NULL, *host = NULL;
	int ch;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'k': kind = optarg; break;
		case 's': site = optarg; break;
		case 'b': broker = optarg; break;
		case 'h': host = optarg; break;
		default: return cli_usage("device", "unknown option");
		}
	}
	if (optind != argc - 1 || !kind || !site || !broker)
		return cli_usage("device", "add ID --kind kiosk|gateway --site SITE --broker DIR [--host H]");
	bw_err e;
	bw_err_clear(&e);
	int k = bw_broker_kind_parse(kind, &e);
	if (k != BW_BROKER_KIOSK && k != BW_BROKER_GATEWAY)
		return cli_die("--kind: '%s' is not kiosk or gateway", kind);
	if (cli_open(c))
		return 1;
	int found = bw_store_site_get(c->store, site, NULL, &e);
	if (found == BW_ENOTFOUND)
		return cli_die("site \"%.40s\": not in the catalogue (bawaba catalogue sites)", site);
	if (found)
		return cli_die("%s", e.msg);
	bw_broker_device dev = { .site = site, .host = host };
	if (bw_broker_register(broker, k, argv[optind], &dev, 0, NULL, 0, &e))
		return cli_die("%s", e.msg);
	printf("device %s: %s at site %s\ncredentials: %s/devices/%s.conf\n", argv[optind], kind, site,
	       broker, argv[optind]);
	return 0;
}

int cmd_device(cli *c, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return device_add(c, argc - 1, argv + 1);
	return cli_usage("device", "add ID --kind kiosk|gateway --site SITE --broker DIR");
}
