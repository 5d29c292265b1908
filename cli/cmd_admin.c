/* cmd_admin.c: the operator's housekeeping: init, holidays, catalogue, lifecycle table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_init(cli *c, int argc, char **argv)
{
	bw_err e;
	if (argc != 1)
		return cli_usage("init", "no arguments");
	if (cli_open(c))
		return 1;
	bw_catalogue_size n;
	if (bw_store_seed(c->store, &e) || bw_store_catalogue_size(c->store, &n, &e))
		return cli_die("%s", e.msg);
	printf("%s: schema version %d, %ld administrations, %ld sites, %ld categories, %ld holidays\n",
	       c->db_path, bw_store_schema_version(c->store), n.admins, n.sites, n.categories, n.holidays);
	return 0;
}

static int print_holiday(const bw_holiday *h, void *arg)
{
	(void)arg;
	printf("%s  %-8s %-9s %s / %s\n", h->day, h->islamic ? "islamic" : "fixed",
	       h->confirmed ? "confirmed" : "expected", h->name_fr, h->name_ar);
	return 0;
}

int cmd_holiday(cli *c, int argc, char **argv)
{
	bw_err e;
	int changed = 0;
	if (argc < 2)
		return cli_usage("holiday", "add, remove or list");
	if (strcmp(argv[1], "list") == 0) {
		char from[11], to[11];
		const char *f = NULL, *t = NULL;
		if (argc == 3) {
			int y = atoi(argv[2]);
			if (y < 1970 || y > 2199 || strlen(argv[2]) != 4)
				return cli_usage("holiday", "list takes a year, e.g. 2027");
			snprintf(from, sizeof from, "%04d-01-01", y);
			snprintf(to, sizeof to, "%04d-12-31", y);
			f = from;
			t = to;
		} else if (argc > 3) {
			return cli_usage("holiday", "list [YEAR]");
		}
		if (cli_open(c))
			return 1;
		return bw_store_holiday_list(c->store, f, t, print_holiday, NULL, &e) ? cli_die("%s", e.msg) : 0;
	}
	if (strcmp(argv[1], "add") == 0) {
		bw_holiday h = { .confirmed = 1 };
		bw_day d;
		int pos = 0;
		for (int i = 2; i < argc; i++) {
			if (strcmp(argv[i], "--islamic") == 0) {
				h.islamic = 1;
			} else if (strcmp(argv[i], "--expected") == 0) {
				h.confirmed = 0;
			} else if (pos == 0) {
				/* the whole argument is the date: "2026-03-1299" is not 12 March */
				if (bw_day_parse(argv[i], &d, &e))
					return cli_die("DAY: %s", e.msg);
				if (cli_copy(h.day, sizeof h.day, argv[i], "DAY"))
					return 1;
				pos++;
			} else if (pos == 1) {
				if (cli_copy(h.name_fr, sizeof h.name_fr, argv[i], "NAME_FR"))
					return 1;
				pos++;
			} else if (pos == 2) {
				if (cli_copy(h.name_ar, sizeof h.name_ar, argv[i], "NAME_AR"))
					return 1;
				pos++;
			} else {
				return cli_usage("holiday", "too many arguments");
			}
		}
		if (pos < 2)
			return cli_usage("holiday", "add DAY NAME_FR [NAME_AR]");
		if (cli_open(c))
			return 1;
		if (bw_store_holiday_add(c->store, &h, &changed, &e))
			return cli_die("%s", e.msg);
		printf("holiday %s added; %d open deadline%s moved\n", h.day, changed, changed == 1 ? "" : "s");
		return 0;
	}
	if (strcmp(argv[1], "remove") == 0) {
		if (argc != 3)
			return cli_usage("holiday", "remove DAY");
		if (cli_open(c))
			return 1;
		if (bw_store_holiday_remove(c->store, argv[2], &changed, &e))
			return cli_die("%s", e.msg);
		printf("holiday %s removed; %d open deadline%s moved\n", argv[2], changed, changed == 1 ? "" : "s");
		return 0;
	}
	return cli_usage("holiday", "add, remove or list");
}

static int print_admin(const bw_admin *a, void *arg)
{
	(void)arg;
	printf("%-12s %s | %s | %s\n", a->code, a->name_fr, a->name_ar, a->name_zgh);
	return 0;
}

static int print_site(const bw_site *s, void *arg)
{
	(void)arg;
	printf("%-16s %-10s %-12s %s | %s\n", s->code, s->admin, s->city, s->name_fr, s->name_ar);
	return 0;
}

static int print_category(const bw_category *k, void *arg)
{
	(void)arg;
	char kinds[64] = "";
	for (int i = 0; i < BW_KIND_COUNT; i++)
		if (k->kinds & (1u << i)) {
			strcat(kinds, kinds[0] ? "," : "");
			strcat(kinds, bw_kind_name(i));
		}
	printf("%-26s %-10s %-30s %s | %s\n", k->code, k->admin[0] ? k->admin : "(all)", kinds, k->name_fr, k->name_ar);
	return 0;
}

int cmd_catalogue(cli *c, int argc, char **argv)
{
	bw_err e;
	const char *what = argc > 1 ? argv[1] : "admins";
	if (argc > 2)
		return cli_usage("catalogue", "one of admins, sites, categories");
	if (strcmp(what, "admins") && strcmp(what, "sites") && strcmp(what, "categories"))
		return cli_usage("catalogue", "one of admins, sites, categories");
	if (cli_open(c))
		return 1;
	int rc = strcmp(what, "admins") == 0 ? bw_store_admins(c->store, print_admin, NULL, &e)
	       : strcmp(what, "sites") == 0 ? bw_store_sites(c->store, print_site, NULL, &e)
	       : bw_store_categories(c->store, NULL, -1, print_category, NULL, &e);
	return rc ? cli_die("%s", e.msg) : 0;
}

int cmd_lifecycle(cli *c, int argc, char **argv)
{
	(void)c;
	if (argc != 1)
		return cli_usage("lifecycle", "no arguments");
	for (int k = 0; k < BW_KIND_COUNT; k++) {
		printf("%s:\n", bw_kind_name(k));
		for (int from = 0; from < BW_ST_COUNT; from++) {
			printf("  %-13s ->", bw_state_name(from));
			for (int to = 0; to < BW_ST_COUNT; to++)
				if (bw_state_allowed(k, from, to, 0))
					printf(" %s%s", bw_state_name(to), bw_state_needs_note(to) ? "*" : "");
			printf("%s\n", bw_state_is_open(from) ? "" : "   (clock stopped)");
		}
	}
	printf("* a note is required (to whom, the answer, the reason). Extension: once.\n");
	return 0;
}
