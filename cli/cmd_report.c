/* cmd_report.c: the action plan's indicators (commitment 10) and the exports: CSV and
 * Open311 GeoReport v2 JSON, with an --anonymous form for open data (commitment 4): no
 * personal data, no text, no reference (an opaque row id instead), no device, days only. */
#include <getopt.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>

#include "bw_clock.h"
#include "cli.h"

/* --from/--to shared by both commands; returns 0 or an exit status. */
static int dates(const char *cmd, int argc, char **argv, const char **from, const char **to, int *anon)
{
	static const struct option opts[] = {
		{ "from", required_argument, 0, 'f' }, { "to", required_argument, 0, 't' },
		{ "anonymous", no_argument, 0, 'a' }, { 0, 0, 0, 0 },
	};
	int ch;
	bw_day d;
	bw_err e;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'f' || ch == 't') {
			if (bw_day_parse(optarg, &d, &e))
				return cli_die("--%s: %s", ch == 'f' ? "from" : "to", e.msg);
			*(ch == 'f' ? from : to) = optarg;
		} else if (ch == 'a' && anon) {
			*anon = 1;
		} else {
			return cli_usage(cmd, "unknown option");
		}
	}
	return 0;
}

struct totals {
	bw_report_row all;
	int rows;
};

static double pct(long a, long b)
{
	return b ? 100.0 * (double)a / (double)b : 0.0;
}

static void print_line(const char *admin, const char *kind, const bw_report_row *r)
{
	printf("%-12s %-12s %7ld %8ld %6.1f%% %8ld %6.1f%% %8ld %6.1f%%\n", admin, kind, r->total, r->answered,
	       pct(r->answered, r->total), r->answered_in_time, pct(r->answered_in_time, r->total), r->reopened,
	       pct(r->reopened, r->answered));
}

static int report_row(const bw_report_row *r, void *arg)
{
	struct totals *t = arg;
	print_line(r->admin, bw_kind_name(r->kind), r);
	t->all.total += r->total;
	t->all.answered += r->answered;
	t->all.answered_in_time += r->answered_in_time;
	t->all.reopened += r->reopened;
	t->rows++;
	return 0;
}

int cmd_report(cli *c, int argc, char **argv)
{
	const char *from = NULL, *to = NULL;
	struct totals t = { 0 };
	bw_err e;
	int rc = dates("report", argc, argv, &from, &to, NULL);
	if (rc)
		return rc;
	if (optind != argc)
		return cli_usage("report", "unexpected argument");
	if (cli_open(c))
		return 1;
	printf("requests received %s to %s\n", from ? from : "(start)", to ? to : "(today)");
	printf("%-12s %-12s %7s %8s %7s %8s %7s %8s %7s\n", "admin", "kind", "total", "answered", "share",
	       "in time", "share", "reopened", "rate");
	if (bw_store_report(c->store, from, to, NULL, NULL, report_row, &t, &e))
		return cli_die("%s", e.msg);
	print_line("ALL", "", &t.all);
	printf("goals (action plan, commitment 10): 70%% answered, 70%% within the legal deadline, reopen rate down 10%%\n");
	return 0;
}

/* RFC 4180 field: quoted when it holds a comma, quote or line break. */
static void csv_field(FILE *fp, const char *s, int last)
{
	if (strpbrk(s, ",\"\r\n")) {
		fputc('"', fp);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', fp);
			fputc(*s, fp);
		}
		fputc('"', fp);
	} else {
		fputs(s, fp);
	}
	fputs(last ? "\r\n" : ",", fp);
}

struct export {
	int anon;
	const char *today;
	json_t *arr;          /* open311; NULL for csv */
	sqlite3_stmt *rowid;  /* anonymous: the request's row id by uid */
};

/* What identifies a request in the export: its reference, or in an anonymous export the
 * store's row id. A reference is sequential per device (device number, sequence, check
 * digit): published, anyone could follow every request; the row id leads nowhere. */
static const char *export_id(struct export *x, const bw_request *r, char buf[24])
{
	if (!x->anon)
		return r->ref;
	buf[0] = '\0';
	sqlite3_bind_text(x->rowid, 1, r->uid, -1, SQLITE_STATIC);
	if (sqlite3_step(x->rowid) == SQLITE_ROW)
		snprintf(buf, 24, "%lld", (long long)sqlite3_column_int64(x->rowid, 0));
	sqlite3_reset(x->rowid);
	return buf;
}

static int csv_row(const bw_request *r, void *arg)
{
	struct export *x = arg;
	char id[24];
	int overdue = bw_state_is_open(r->state) && strcmp(r->deadline, x->today) < 0;
	/* anonymous: no device either (its requests in order would give their sequence) */
	const char *f[] = {
		export_id(x, r, id), bw_kind_name(r->kind), bw_channel_name(r->channel), r->admin, r->category,
		r->site, x->anon ? NULL : r->device, r->lang, bw_state_name(r->state), r->received_on, r->deadline,
		overdue ? "1" : "0", r->urgent ? "1" : "0", r->extended ? "1" : "0",
	};
	if (x->anon && !id[0])
		return BW_EDB;
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		if (f[i])
			csv_field(stdout, f[i], x->anon && i + 1 == sizeof f / sizeof f[0]);
	if (!x->anon) {
		const char *p[] = { r->phone, r->name, r->id_number, r->address, r->contact, r->text };
		for (size_t i = 0; i < sizeof p / sizeof p[0]; i++)
			csv_field(stdout, p[i], i + 1 == sizeof p / sizeof p[0]);
	}
	return 0;
}

static int open311_row(const bw_request *r, void *arg)
{
	struct export *x = arg;
	char when[BW_ISO_LEN + 1], id[24];
	bw_day day;
	/* anonymous: the day only; to the second, with the site, it tells who stood there.
	 * Both in legal time with the offset in force (GeoReport v2 wants w3c datetimes). */
	if (x->anon && bw_day_parse(r->received_on, &day, NULL) == BW_OK)
		bw_legal_iso(bw_legal_day_start(day), when);
	else
		bw_legal_iso(r->received_at, when);
	if (!export_id(x, r, id)[0] && x->anon)
		return BW_EDB;
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
		"service_request_id", x->anon ? id : r->ref,
		"status", bw_state_is_open(r->state) ? "open" : "closed",
		"status_notes", bw_state_name(r->state),
		"service_code", r->category[0] ? r->category : bw_kind_name(r->kind),
		"service_name", bw_kind_name(r->kind),
		"agency_responsible", r->admin,
		"requested_datetime", when);
	if (!o)
		return BW_ENOMEM;
	/* the deadline's last second in legal time: an answer that day is in time */
	char due[BW_ISO_LEN + 1];
	bw_day dl;
	if (bw_day_parse(r->deadline, &dl, NULL) == BW_OK) {
		bw_legal_iso(bw_legal_day_start(dl + 1) - 1, due);
		json_object_set_new(o, "expected_datetime", json_string(due));
	}
	if (r->site[0])
		json_object_set_new(o, "address", json_string(r->site));
	if (!x->anon)
		json_object_set_new(o, "description", json_string(r->text));
	json_array_append_new(x->arr, o);
	return 0;
}

/* An export with personal data written to a file (`> out.csv`, a file the shell made
 * with its own umask) is made private: citizens' names, phones and ID numbers. */
static void private_stdout(void)
{
	struct stat st;
	if (fstat(STDOUT_FILENO, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 077) &&
	    st.st_uid == geteuid())
		fchmod(STDOUT_FILENO, st.st_mode & 0700);
}

int cmd_export(cli *c, int argc, char **argv)
{
	const char *from = NULL, *to = NULL;
	char today[11];
	struct export x = { .today = cli_today(c, today) };
	bw_filter f;
	bw_err e;
	if (argc < 2 || (strcmp(argv[1], "csv") && strcmp(argv[1], "open311")))
		return cli_usage("export", "csv or open311");
	int rc = dates("export", argc - 1, argv + 1, &from, &to, &x.anon);
	if (rc)
		return rc;
	if (optind != argc - 1)
		return cli_usage("export", "unexpected argument");
	if (cli_open(c))
		return 1;
	if (x.anon && sqlite3_prepare_v2(bw_store_db(c->store), "SELECT id FROM requests WHERE uid = ?1",
					 -1, &x.rowid, NULL) != SQLITE_OK)
		return cli_die("export: %s", sqlite3_errmsg(bw_store_db(c->store)));
	bw_filter_init(&f);
	f.from = from;
	f.to = to;
	bw_err_clear(&e);
	if (!x.anon)
		private_stdout();
	if (strcmp(argv[1], "csv") == 0) {
		fputs(x.anon ? "id,kind,channel,admin,category,site,lang,state,received_on,deadline,overdue,urgent,extended\r\n"
			     : "ref,kind,channel,admin,category,site,device,lang,state,received_on,deadline,overdue,urgent,extended"
			       ",phone,name,id_number,address,contact,text\r\n", stdout);
		rc = bw_store_list(c->store, &f, csv_row, &x, &e);
	} else {
		x.arr = json_array();
		rc = bw_store_list(c->store, &f, open311_row, &x, &e);
		if (rc == 0 && json_dumpf(x.arr, stdout, JSON_INDENT(1) | JSON_ENSURE_ASCII * 0) == 0)
			fputc('\n', stdout);
		json_decref(x.arr);
	}
	sqlite3_finalize(x.rowid);
	if (rc && !e.msg[0])
		bw_fail(&e, rc, "export: a request's row id cannot be read");
	return rc ? cli_die("%s", e.msg) : 0;
}
