/* cli.h: what the `bawaba` sub-commands share: the context and the small output helpers. */
#ifndef BW_CLI_H
#define BW_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bw_store.h"

typedef struct cli {
	const char *db_path;   /* -d, $BAWABA_DB */
	const char *actor;     /* --as, default "operator:$USER" */
	char actor_buf[BW_ACTOR_MAX + 1];
	int64_t now;           /* $BAWABA_NOW (tests) or time(NULL) */
	const char *locale_dir; /* translation catalogues ([export] locale_dir) */
	bw_store *store;       /* opened by cli_open */
} cli;

/* A sub-command: argv[0] is its name. Returns the process exit status. */
typedef int (*cli_fn)(cli *c, int argc, char **argv);

/* Opens c->store (applying migrations); prints the error and returns 1 on failure. */
int cli_open(cli *c);
/* Prints "bawaba: <msg>" on stderr and returns 1 (the exit status of every failure). */
int cli_die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Usage error for a sub-command: prints the message and its usage line, returns 2. */
int cli_usage(const char *cmd, const char *msg);
/* Copies the value v of option `name` ("--site", "NAME_AR") into dst[size]. A value that
 * does not fit is refused, never cut (a cut name can end in half a UTF-8 character):
 * prints "bawaba: NAME: too long (at most N bytes)" and returns 1; 0 when copied. */
int cli_copy(char *dst, size_t size, const char *v, const char *name);
/* Today in Morocco for c->now, as YYYY-MM-DD. */
const char *cli_today(const cli *c, char out[11]);

/* The options that choose requests, the same for list and export (getopt_long rows):
 * --state --kind --admin --site --channel --device --overdue --from --to --limit. */
#define CLI_FILTER_OPTIONS \
	{ "state", required_argument, 0, 's' }, { "kind", required_argument, 0, 'k' }, \
	{ "admin", required_argument, 0, 'a' }, { "site", required_argument, 0, 'S' }, \
	{ "channel", required_argument, 0, 'c' }, { "device", required_argument, 0, 'd' }, \
	{ "overdue", no_argument, 0, 'o' }, { "from", required_argument, 0, 'f' }, \
	{ "to", required_argument, 0, 't' }, { "limit", required_argument, 0, 'l' }
#define CLI_FILTER_USAGE "[--state S] [--kind K] [--admin A] [--site S] [--channel C] " \
	"[--device D] [--overdue] [--from D] [--to D] [--limit N]"
/* Applies filter option ch (a CLI_FILTER_OPTIONS value) with argument arg to f: 0 when
 * applied, -1 when ch is not a filter option, else the exit status of a bad value (the
 * message printed). today backs --overdue and must outlive f. */
int cli_filter_option(const char *cmd, int ch, const char *arg, const char *today, bw_filter *f);

/* Writes the static Open311 endpoint of the requests f chooses into dir (created): see
 * cmd_export.c. BW_EIO, BW_EDB, BW_EINVAL. */
int cli_open311_dir(bw_store *st, const char *dir, const char *lang, int anon, const char *today,
                    const bw_filter *f, bw_err *e);

/* Writes the requests f chooses as CSV to fp: anonymous (row ids, no device, no personal
 * data) or not, for spreadsheet programs (excel: byte order mark, numbers kept as text,
 * formulas neutralised) or not. BW_EDB. */
int cli_csv_write(FILE *fp, bw_store *st, const bw_filter *f, const char *today, int anon, int excel,
                  bw_err *e);

int cmd_init(cli *c, int argc, char **argv);
int cmd_file(cli *c, int argc, char **argv);
int cmd_show(cli *c, int argc, char **argv);
int cmd_list(cli *c, int argc, char **argv);
int cmd_move(cli *c, int argc, char **argv);      /* assign, answer, extend, reject, ... */
int cmd_holiday(cli *c, int argc, char **argv);
int cmd_catalogue(cli *c, int argc, char **argv);
int cmd_lifecycle(cli *c, int argc, char **argv);
int cmd_report(cli *c, int argc, char **argv);
int cmd_export(cli *c, int argc, char **argv);
int cmd_devices(cli *c, int argc, char **argv);
int cmd_agent(cli *c, int argc, char **argv);
int cmd_device(cli *c, int argc, char **argv);
int cmd_backup(cli *c, int argc, char **argv);

#endif
