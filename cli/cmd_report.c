/* cmd_report.c: `bawaba report`: the action plan's indicators (commitment 10) as
 * bw_indicator defines them, on the terminal or as the static transparency site (--html). */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>

#include "bw_clock.h"
#include "bw_indicator.h"
#include "bw_i18n.h"
#include "cli.h"
#include "site.h"

/* --from, --to and --html DIR; returns 0 or an exit status. */
static int dates(const char *cmd, int argc, char **argv, const char **from, const char **to,
                 const char **html)
{
	static const struct option opts[] = {
		{ "from", required_argument, 0, 'f' }, { "to", required_argument, 0, 't' },
		{ "html", required_argument, 0, 'h' }, { 0, 0, 0, 0 },
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
		} else if (ch == 'h') {
			*html = optarg;
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

/* One line: the counts, then each indicator as bw_indicator defines it. */
static void print_line(const char *admin, const char *kind, const bw_report_row *r)
{
	char a[BW_IND_FMT], t[BW_IND_FMT], o[BW_IND_FMT];
	printf("%-12s %-12s %7ld %8ld %7s %6ld %8ld %7s %8ld %7s\n", admin, kind, r->total, r->answered,
	       bw_ind_format(BW_IND_ANSWERED, r, a), r->answered + r->overdue, r->answered_in_time,
	       bw_ind_format(BW_IND_IN_TIME, r, t), r->reopened, bw_ind_format(BW_IND_REOPENED, r, o));
}

static int report_row(const bw_report_row *r, void *arg)
{
	struct totals *t = arg;
	print_line(r->admin, bw_kind_name(r->kind), r);
	bw_report_add(&t->all, r);
	t->rows++;
	return 0;
}

int cmd_report(cli *c, int argc, char **argv)
{
	const char *from = NULL, *to = NULL, *html = NULL;
	char today[11];
	struct totals t = { 0 };
	bw_err e;
	int rc = dates("report", argc, argv, &from, &to, &html);
	if (rc)
		return rc;
	if (optind != argc)
		return cli_usage("report", "unexpected argument");
	if (cli_open(c))
		return 1;
	if (html) {
		/* the public site: every figure from the same definitions as this report */
		if (bw_i18n_init("open", c->locale_dir, &e) || site_write(c->store, html, from, to,
									  cli_today(c, today), &e))
			return cli_die("%s", e.msg);
		printf("transparency site written to %s (open %s/ar/index.html or %s/fr/index.html)\n", html,
		       html, html);
		return 0;
	}
	printf("requests received %s to %s\n", from ? from : "(start)", to ? to : "(today)");
	printf("%-12s %-12s %7s %8s %7s %6s %8s %7s %8s %7s\n", "admin", "kind", "total", "answered", "share",
	       "due", "in time", "share", "reopened", "rate");
	if (bw_store_report(c->store, from, to, cli_today(c, today), NULL, NULL, report_row, &t, &e))
		return cli_die("%s", e.msg);
	print_line("ALL", "", &t.all);
	for (int i = 0; i < BW_IND_COUNT; i++) {
		const bw_ind_def *d = bw_ind_get((enum bw_ind)i);
		printf("%-16s %s / %s\n", d->label, d->numerator, d->denominator);
	}
	printf("goals (action plan, commitment 10): 70%% answered, 70%% within the legal deadline, reopen rate down 10%%\n");
	return 0;
}
