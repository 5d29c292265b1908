/* cmd_export.c: `bawaba export`: the requests as CSV (--excel for spreadsheet programs)
 * or Open311 GeoReport v2 (JSON or XML, or a static directory with --dir), chosen with
 * the same filters as `list`; --anonymous for open data (commitment 4): no personal data,
 * no text, no reference (an opaque row id instead), no device, days only. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bw_i18n.h"
#include "bw_state.h"
#include "bw_text.h"
#include "cli.h"
#include "open311.h"

typedef struct export_opts {
	bw_filter f;
	char today[11];
	int anon, named, excel, xml, services;
	const char *lang, *dir;
} export_opts;

/* ---- CSV ---- */

/* s with every '"' doubled; control characters and broken UTF-8 escaped (bw_text_fput):
 * the file may well be read on a terminal. */
static void put_escaped(FILE *fp, const char *s)
{
	for (const char *q; (q = strchr(s, '"')); s = q + 1) {
		char *part = bw_xstrdup(s);
		part[q - s] = '\0';
		bw_text_fput(fp, part, 1);
		free(part);
		fputs("\"\"", fp);
	}
	bw_text_fput(fp, s, 1);
}

/* RFC 4180 field: quoted when it holds a comma, quote or line break. */
static void csv_put(FILE *fp, const char *s)
{
	if (strpbrk(s, ",\"\r\n")) {
		fputc('"', fp);
		put_escaped(fp, s);
		fputc('"', fp);
	} else {
		bw_text_fput(fp, s, 1);
	}
}

/* A field for a spreadsheet program. Numbers kept as text (references, phone numbers, ID
 * numbers: "000200000018" would lose its zeros, "+212612345678" become a formula) go as
 * ="…", the form Excel and LibreOffice both read as text. Free text that starts like a
 * formula (= + - @) gets a leading ' so it is shown, never run. */
static void csv_field(FILE *fp, const char *s, int as_text, int excel, int last)
{
	char buf[64];
	if (excel && as_text && s[0] && strlen(s) < sizeof buf - 4) {
		snprintf(buf, sizeof buf, "=\"%s\"", s);
		csv_put(fp, buf);
	} else if (excel && strchr("=+-@\t\r", s[0]) && s[0]) {
		fputs("\"'", fp);
		put_escaped(fp, s);
		fputc('"', fp);
	} else {
		csv_put(fp, s);
	}
	fputs(last ? "\r\n" : ",", fp);
}

typedef struct csv_ctx {
	FILE *fp;
	const char *today;
	int anon, excel;
	o311 o;                  /* for the row ids of an anonymous export */
} csv_ctx;

static int csv_row(const bw_request *r, void *arg)
{
	csv_ctx *x = arg;
	char id[24];
	int overdue = bw_state_is_open(r->state) && strcmp(r->deadline, x->today) < 0;
	/* anonymous: no device either (its requests in order would give their sequence) */
	const char *f[] = {
		o311_id(&x->o, r, id), bw_kind_name(r->kind), bw_channel_name(r->channel), r->admin,
		r->category, r->site, x->anon ? NULL : r->device, r->lang, bw_state_name(r->state),
		r->received_on, r->deadline, overdue ? "1" : "0", r->urgent ? "1" : "0",
		r->extended ? "1" : "0",
	};
	size_t n = sizeof f / sizeof f[0];
	if (x->anon && !id[0])
		return BW_EDB;
	for (size_t i = 0; i < n; i++)
		if (f[i])
			csv_field(x->fp, f[i], i == 0, x->excel, x->anon && i + 1 == n);
	if (!x->anon) {
		const char *p[] = { r->phone, r->name, r->id_number, r->address, r->contact, r->text };
		size_t np = sizeof p / sizeof p[0];
		for (size_t i = 0; i < np; i++)
			csv_field(x->fp, p[i], i == 0 || i == 2, x->excel, i + 1 == np);
	}
	return 0;
}

int cli_csv_write(FILE *fp, bw_store *st, const bw_filter *f, const char *today, int anon, int excel,
                  bw_err *e)
{
	csv_ctx ctx = { .fp = fp, .today = today, .anon = anon, .excel = excel };
	int rc;
	if ((rc = o311_open(&ctx.o, st, "fr", anon, today, e)))
		return rc;
	if (excel)
		fputs("\xEF\xBB\xBF", fp);   /* the byte order mark: Excel reads UTF-8 then */
	fputs(anon ? "id,kind,channel,admin,category,site,lang,state,received_on,deadline,overdue,urgent,extended\r\n"
		   : "ref,kind,channel,admin,category,site,device,lang,state,received_on,deadline,overdue,urgent,extended"
		     ",phone,name,id_number,address,contact,text\r\n", fp);
	rc = bw_store_list(st, f, csv_row, &ctx, e);
	if (rc && !e->msg[0])
		bw_fail(e, rc, "export: a request's row id cannot be read");
	o311_close(&ctx.o);
	return rc;
}

/* ---- Open311 ---- */

typedef struct o311_ctx {
	o311 o;
	json_t *arr;
	bw_err *e;
} o311_ctx;

static int o311_row(const bw_request *r, void *arg)
{
	o311_ctx *c = arg;
	json_t *v = o311_request(&c->o, r, c->e);
	if (!v)
		return BW_EDB;
	json_array_append_new(c->arr, v);
	return 0;
}

/* Writes arr to DIR/NAME.json and DIR/NAME.xml. */
static int write_pair(const char *dir, const char *name, json_t *arr, int services, bw_err *e)
{
	char path[4096];
	for (int xml = 0; xml < 2; xml++) {
		snprintf(path, sizeof path, "%s/%s.%s", dir, name, xml ? "xml" : "json");
		FILE *fp = fopen(path, "w");
		if (!fp)
			return bw_fail(e, BW_EIO, "%s: %s", path, strerror(errno));
		int rc = o311_write(fp, arr, xml, services);
		if (fclose(fp) != 0 || rc)
			return bw_fail(e, BW_EIO, "%s: cannot write", path);
	}
	return BW_OK;
}

static int make_dir(const char *path, bw_err *e)
{
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		return bw_fail(e, BW_EIO, "%s: %s", path, strerror(errno));
	return BW_OK;
}

/* The static endpoint: services.{json,xml}, requests.{json,xml} and requests/ID.{json,xml}
 * (one request, as an array of one, as GET requests/ID gives it). */
int cli_open311_dir(bw_store *st, const char *dir, const char *lang, int anon, const char *today,
                    const bw_filter *f, bw_err *e)
{
	o311_ctx c = { .e = e };
	char sub[4096];
	size_t i;
	json_t *v;
	int rc = o311_open(&c.o, st, lang, anon, today, e);
	if (rc)
		return rc;
	c.arr = json_array();
	json_t *services = o311_services(&c.o);
	snprintf(sub, sizeof sub, "%s/requests", dir);
	if (!(rc = make_dir(dir, e)) && !(rc = make_dir(sub, e)) &&
	    !(rc = write_pair(dir, "services", services, 1, e)) &&
	    !(rc = bw_store_list(st, f, o311_row, &c, e)) &&
	    !(rc = write_pair(dir, "requests", c.arr, 0, e))) {
		json_array_foreach(c.arr, i, v) {
			json_t *one = json_array();
			json_array_append(one, v);
			rc = write_pair(sub, json_string_value(json_object_get(v, "service_request_id")), one, 0, e);
			json_decref(one);
			if (rc)
				break;
		}
	}
	json_decref(services);
	json_decref(c.arr);
	o311_close(&c.o);
	return rc;
}

static int export_open311(cli *c, const export_opts *x, bw_err *e)
{
	o311_ctx ctx = { .e = e };
	int rc = bw_i18n_init("open", c->locale_dir, e);
	if (rc)
		return rc;
	if (x->dir)
		return cli_open311_dir(c->store, x->dir, x->lang, !x->named, x->today, &x->f, e);
	if ((rc = o311_open(&ctx.o, c->store, x->lang, x->anon, x->today, e)))
		return rc;
	if (x->services) {
		ctx.arr = o311_services(&ctx.o);
	} else {
		ctx.arr = json_array();
		rc = bw_store_list(c->store, &x->f, o311_row, &ctx, e);
	}
	if (rc == BW_OK && o311_write(stdout, ctx.arr, x->xml, x->services))
		rc = bw_fail(e, BW_EIO, "export: cannot write");
	json_decref(ctx.arr);
	o311_close(&ctx.o);
	return rc;
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
	static const struct option opts[] = {
		CLI_FILTER_OPTIONS, { "anonymous", no_argument, 0, 'A' }, { "excel", no_argument, 0, 'E' },
		{ "lang", required_argument, 0, 'L' }, { "xml", no_argument, 0, 'X' },
		{ "services", no_argument, 0, 'V' }, { "dir", required_argument, 0, 'D' },
		{ "named", no_argument, 0, 'N' }, { 0, 0, 0, 0 },
	};
	export_opts x = { .lang = "fr" };
	bw_err e;
	int ch, rc, csv;
	if (argc < 2 || (strcmp(argv[1], "csv") && strcmp(argv[1], "open311")))
		return cli_usage("export", "csv or open311");
	csv = strcmp(argv[1], "csv") == 0;
	bw_filter_init(&x.f);
	cli_today(c, x.today);
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		if ((rc = cli_filter_option("export", ch, optarg, x.today, &x.f)) > 0)
			return rc;
		if (rc == 0)
			continue;
		switch (ch) {
		case 'A': x.anon = 1; break;
		case 'E': x.excel = 1; break;
		case 'L': x.lang = optarg; break;
		case 'X': x.xml = 1; break;
		case 'V': x.services = 1; break;
		case 'D': x.dir = optarg; break;
		case 'N': x.named = 1; break;
		default: return cli_usage("export", "unknown option");
		}
		if (csv ? (ch == 'L' || ch == 'X' || ch == 'V' || ch == 'D' || ch == 'N') : ch == 'E')
			return cli_usage("export", csv ? "--lang, --xml, --services, --dir, --named: open311 only"
						 : "--excel: csv only");
	}
	if (optind != argc - 1)
		return cli_usage("export", "unexpected argument");
	if (x.named && !x.dir)
		return cli_usage("export", "--named: with --dir only (a published directory is anonymous unless said)");
	if (strcmp(x.lang, "ar") && strcmp(x.lang, "fr"))
		return cli_usage("export", "--lang: ar or fr");
	if (cli_open(c))
		return 1;
	bw_err_clear(&e);
	if (!x.anon && !x.dir)
		private_stdout();
	rc = csv ? cli_csv_write(stdout, c->store, &x.f, x.today, x.anon, x.excel, &e)
		 : export_open311(c, &x, &e);
	return rc ? cli_die("%s", e.msg) : 0;
}
