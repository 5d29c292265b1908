/* cmd_request.c: the sub-commands on requests: file, show, list and the state changes. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bw_clock.h"
#include "bw_phone.h"
#include "bw_ref.h"
#include "bw_uuid.h"
#include "bw_text.h"
#include "cli.h"

/* Joins argv[from..argc) with spaces into out (the free text of a command line). */
static int join(char *out, size_t size, int argc, char **argv, int from)
{
	size_t n = 0;
	out[0] = '\0';
	for (int i = from; i < argc; i++) {
		size_t len = strlen(argv[i]);
		if (n + len + 2 > size)
			return BW_ETOOBIG;
		if (n)
			out[n++] = ' ';
		memcpy(out + n, argv[i], len + 1);
		n += len;
	}
	return BW_OK;
}

/* Reads cmd_file's options into r; 0, or the exit status after saying why not. */
static int file_opts(bw_request *r, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kind", required_argument, 0, 'k' }, { "admin", required_argument, 0, 'a' },
		{ "category", required_argument, 0, 'c' }, { "site", required_argument, 0, 's' },
		{ "channel", required_argument, 0, 'C' }, { "received", required_argument, 0, 'r' },
		{ "phone", required_argument, 0, 'p' }, { "consent", no_argument, 0, 'y' },
		{ "lang", required_argument, 0, 'l' }, { "name", required_argument, 0, 'n' },
		{ "id-number", required_argument, 0, 'i' }, { "address", required_argument, 0, 'A' },
		{ "contact", required_argument, 0, 'T' }, { "form", required_argument, 0, 'f' },
		{ "urgent", no_argument, 0, 'u' }, { 0, 0, 0, 0 },
	};
	int ch, v;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'k':
			if ((v = bw_kind_parse(optarg)) < 0)
				return cli_usage("file", "--kind: complaint, observation, suggestion or info");
			r->kind = v;
			break;
		case 'C':
			if ((v = bw_channel_parse(optarg)) != BW_CHANNEL_DESK && v != BW_CHANNEL_PAPER)
				return cli_usage("file", "--channel: desk or paper (kiosks and SMS file through their devices)");
			r->channel = v;
			break;
		case 'f':
			if ((v = bw_form_parse(optarg)) <= 0)
				return cli_usage("file", "--form: paper, email, onsite or sms");
			r->form = v;
			break;
		case 'a': if (cli_copy(r->admin, sizeof r->admin, optarg, "--admin")) return 1; break;
		case 'c': if (cli_copy(r->category, sizeof r->category, optarg, "--category")) return 1; break;
		case 's': if (cli_copy(r->site, sizeof r->site, optarg, "--site")) return 1; break;
		case 'r': if (cli_copy(r->received_on, sizeof r->received_on, optarg, "--received")) return 1; break;
		case 'p': if (cli_copy(r->phone, sizeof r->phone, optarg, "--phone")) return 1; break;
		case 'l': if (cli_copy(r->lang, sizeof r->lang, optarg, "--lang")) return 1; break;
		case 'n': if (cli_copy(r->name, sizeof r->name, optarg, "--name")) return 1; break;
		case 'i': if (cli_copy(r->id_number, sizeof r->id_number, optarg, "--id-number")) return 1; break;
		case 'A': if (cli_copy(r->address, sizeof r->address, optarg, "--address")) return 1; break;
		case 'T': if (cli_copy(r->contact, sizeof r->contact, optarg, "--contact")) return 1; break;
		case 'y': r->consent = 1; break;
		case 'u': r->urgent = 1; break;
		default:
			return cli_usage("file", "unknown option");
		}
	}
	return 0;
}

int cmd_file(cli *c, int argc, char **argv)
{
	bw_request *r = bw_xcalloc(1, sizeof *r);
	bw_err e;
	int rc = 1;
	char today[11];

	bw_request_init(r);
	r->channel = BW_CHANNEL_DESK;
	r->kind = -1;
	strcpy(r->device, "hub");
	if ((rc = file_opts(r, argc, argv)))
		goto out;
	rc = 1;
	if ((int)r->kind < 0) {
		rc = cli_usage("file", "--kind is required");
		goto out;
	}
	if (join(r->text, sizeof r->text, argc, argv, optind) != BW_OK) {
		rc = cli_die("text: too long");
		goto out;
	}
	/* a desk phone number is given by the citizen in person: asking is the consent */
	if (r->phone[0] && r->channel == BW_CHANNEL_DESK)
		r->consent = 1;
	r->received_at = c->now;
	if (!r->received_on[0])
		bw_strlcpy(r->received_on, cli_today(c, today), sizeof r->received_on);
	else if (r->channel != BW_CHANNEL_PAPER) {
		rc = cli_usage("file", "--received is for paper requests (--channel paper)");
		goto out;
	} else if (strcmp(r->received_on, cli_today(c, today)) > 0) {
		rc = cli_die("received: %s is in the future", r->received_on);
		goto out;
	}
	if (cli_open(c))
		goto out;
	if (bw_uuid_v7(r->uid, &e) || bw_store_begin(c->store, &e) ||
	    bw_store_next_ref(c->store, 0, r->ref, &e)) {
		bw_store_rollback(c->store);
		rc = cli_die("%s", e.msg);
		goto out;
	}
	if (bw_store_insert(c->store, r, c->actor, &e) != BW_OK || bw_store_commit(c->store, &e) != BW_OK) {
		bw_store_rollback(c->store);
		rc = cli_die("%s", e.msg);
		goto out;
	}
	char grouped[32];
	printf("%s\n", bw_ref_format(r->ref, " ", grouped, sizeof grouped));
	/* the receipt code: with it the citizen reads the answer at a kiosk; give it to them */
	fprintf(stderr, "receipt code %s (the citizen keeps it to read the answer at a kiosk)\n", r->code);
	fprintf(stderr, "filed %s %s for %s, deadline %s\n", bw_kind_name(r->kind), r->ref, r->admin, r->deadline);
	rc = 0;
out:
	free(r);
	return rc;
}

/* Reads REF as typed; prints why not on failure. */
static int read_ref(const char *in, char ref[13])
{
	bw_err e;
	if (bw_ref_parse(in, ref, &e) != BW_OK)
		return cli_die("%s", e.msg);
	return 0;
}

/* A label and a citizen's text, escaped for the terminal, line feeds kept. */
static void text_line(const char *label, const char *v)
{
	fputs(label, stdout);
	bw_text_fput(stdout, v, 1);
	putchar('\n');
}

static int print_event(const bw_event *ev, void *arg)
{
	char when[BW_ISO_LEN + 1];
	/* legal time with its offset: "2026-03-01T23:30:00+00:00" (Ramadan) */
	bw_legal_iso(ev->at, when);
	printf("  %s  %-13s %-13s ", when,
	       ev->old_state < 0 ? "" : bw_state_name(ev->old_state), bw_state_name(ev->new_state));
	/* stored text reaches a terminal escaped (bw_text_fput): a note or an actor from a
	 * device or an older store may hold an escape sequence */
	bw_text_fput(stdout, ev->actor, 0);
	if (ev->note[0]) {
		fputs("  ", stdout);
		bw_text_fput(stdout, ev->note, 0);
	}
	putchar('\n');
	return 0;
}

/* Law 31.13 art. 19-20: the requester may complain to the head of the body within 20
 * working days of the answer (or of the deadline, when none came), then to the CDAI. The
 * window is the store's, the one bw_store_transition enforces. */
static void print_appeal(cli *c, const bw_request *r)
{
	bw_day since, until;
	int silence;
	char day[11], today[11];
	if (r->kind != BW_KIND_INFO || r->state == BW_ST_UNDER_APPEAL || r->state == BW_ST_CLOSED)
		return;
	cli_today(c, today);
	if (bw_state_is_open(r->state) && strcmp(r->deadline, today) >= 0)
		return;   /* still within the deadline: nothing to appeal yet */
	if (bw_store_appeal_window(c->store, r, &since, &until, &silence, NULL))
		return;
	bw_day_format(until, day);
	printf("appeal      to the head of the body until %s (law 31.13 art. 19)%s%s\n", day,
	       silence ? ": no answer by the deadline" : "", strcmp(today, day) > 0 ? "; that time has passed" : "");
}

int cmd_show(cli *c, int argc, char **argv)
{
	char ref[13], grouped[32], day[11], phone[32];
	bw_request *r = bw_xmalloc(sizeof *r);
	bw_deadline d;
	bw_err e;
	int rc = 1;

	if (argc != 2) {
		rc = cli_usage("show", "one reference number");
		goto out;
	}
	if (read_ref(argv[1], ref) || cli_open(c))
		goto out;
	if (bw_store_get(c->store, ref, r, &e) || bw_store_deadline(c->store, r, &d, &e)) {
		rc = cli_die("%s", e.msg);
		goto out;
	}
	printf("reference   %s\n", bw_ref_format(r->ref, " ", grouped, sizeof grouped));
	if (r->code[0])
		printf("code        %s (the citizen's receipt code)\n", r->code);
	printf("kind        %s%s\n", bw_kind_name(r->kind), r->urgent ? " (urgent)" : "");
	printf("state       %s%s\n", bw_state_name(r->state),
	       bw_state_is_open(r->state) && strcmp(r->deadline, cli_today(c, day)) < 0 ? "  OVERDUE" : "");
	printf("admin       %s\n", r->admin);
	if (r->category[0])
		printf("category    %s\n", r->category);
	printf("channel     %s  site %s  device %s\n", bw_channel_name(r->channel), r->site[0] ? r->site : "-", r->device);
	printf("received    %s\n", r->received_on);
	printf("deadline    %s%s\n", r->deadline, r->extended ? " (extended once)" : "");
	if (d.nskipped) {
		printf("skipped     ");
		for (size_t i = 0; i < d.nskipped; i++)
			printf("%s%s", i ? ", " : "", bw_day_format(d.skipped[i], day));
		printf("\n");
	}
	print_appeal(c, r);
	printf("language    %s\n", r->lang);
	if (r->phone[0])
		printf("phone       %s%s\n", r->phone, r->consent ? " (consent given)" : "");
	(void)phone;
	if (r->kind == BW_KIND_INFO) {
		text_line("name        ", r->name);
		printf("id number   %s\n", r->id_number);
		if (r->address[0])
			text_line("address     ", r->address);
		if (r->contact[0])
			text_line("contact     ", r->contact);
		printf("form        %s\n", bw_form_name(r->form));
	}
	text_line("text        ", r->text);
	printf("timeline\n");
	if (bw_store_events(c->store, r->uid, print_event, NULL, &e)) {
		rc = cli_die("%s", e.msg);
		goto out;
	}
	rc = 0;
out:
	free(r);
	return rc;
}

static int print_row(const bw_request *r, void *arg)
{
	const char *today = arg;
	char grouped[32];
	char text[64];
	/* first characters of the text, cut on a character boundary */
	size_t n = 0;
	while (r->text[n] && n < 48)
		n++;
	while (n > 0 && ((unsigned char)r->text[n] & 0xC0) == 0x80)
		n--;
	memcpy(text, r->text, n);
	text[n] = '\0';
	for (char *p = text; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	printf("%-14s %-11s %-12s %-10s %-6s %-10s%s ", bw_ref_format(r->ref, " ", grouped, sizeof grouped),
	       bw_kind_name(r->kind), bw_state_name(r->state), r->admin, bw_channel_name(r->channel), r->deadline,
	       bw_state_is_open(r->state) && strcmp(r->deadline, today) < 0 ? "!" : " ");
	bw_text_fput(stdout, text, 0);
	putchar('\n');
	return 0;
}

int cli_filter_option(const char *cmd, int ch, const char *arg, const char *today, bw_filter *f)
{
	bw_day d;
	bw_err e;
	switch (ch) {
	case 's':
		if ((f->state = bw_state_parse(arg)) < 0)
			return cli_usage(cmd, "--state: see `bawaba lifecycle` for the names");
		return 0;
	case 'k':
		if ((f->kind = bw_kind_parse(arg)) < 0)
			return cli_usage(cmd, "--kind: complaint, observation, suggestion or info");
		return 0;
	case 'c':
		if ((f->channel = bw_channel_parse(arg)) < 0)
			return cli_usage(cmd, "--channel: kiosk, sms, desk or paper");
		return 0;
	case 'a': f->admin = arg; return 0;
	case 'S': f->site = arg; return 0;
	case 'd': f->device = arg; return 0;
	case 'o': f->overdue_on = today; return 0;
	case 'f':
	case 't':
		if (bw_day_parse(arg, &d, &e))
			return cli_die("--%s: %s", ch == 'f' ? "from" : "to", e.msg);
		*(ch == 'f' ? &f->from : &f->to) = arg;
		return 0;
	case 'l':
		f->limit = atoi(arg);
		if (f->limit <= 0)
			return cli_usage(cmd, "--limit: a positive number");
		return 0;
	default:
		return -1;
	}
}

int cmd_list(cli *c, int argc, char **argv)
{
	static const struct option opts[] = { CLI_FILTER_OPTIONS, { 0, 0, 0, 0 } };
	bw_filter f;
	bw_err e;
	char today[11];
	int ch, rc;

	bw_filter_init(&f);
	cli_today(c, today);
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if ((rc = cli_filter_option("list", ch, optarg, today, &f)) < 0)
			return cli_usage("list", "unknown option");
		if (rc)
			return rc;
	}
	if (optind != argc)
		return cli_usage("list", "unexpected argument");
	if (cli_open(c))
		return 1;
	if (bw_store_list(c->store, &f, print_row, today, &e))
		return cli_die("%s", e.msg);
	return 0;
}

/* The state-change sub-commands: name, target state, and whether the note is the
 * command's required second argument. */
static const struct {
	const char *cmd;
	enum bw_state to;
} moves[] = {
	{ "ack", BW_ST_ACKNOWLEDGED }, { "assign", BW_ST_ASSIGNED }, { "progress", BW_ST_IN_PROGRESS },
	{ "answer", BW_ST_ANSWERED }, { "extend", BW_ST_EXTENDED }, { "reject", BW_ST_REJECTED },
	{ "close", BW_ST_CLOSED }, { "reopen", BW_ST_REOPENED }, { "appeal", BW_ST_UNDER_APPEAL },
};

int cmd_move(cli *c, int argc, char **argv)
{
	char ref[13], note[BW_CHARS(BW_NOTE_MAX)];
	const char *reason = NULL;
	bw_request r;
	bw_event ev;
	bw_err e;
	int rc;
	enum bw_state to = BW_ST_COUNT;

	for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++)
		if (strcmp(moves[i].cmd, argv[0]) == 0)
			to = moves[i].to;
	/* --reason CODE anywhere after REF (reject) */
	int n = 0;
	char *args[64];
	for (int i = 1; i < argc && n < 64; i++) {
		if (strcmp(argv[i], "--reason") == 0 && i + 1 < argc)
			reason = argv[++i];
		else
			args[n++] = argv[i];
	}
	if (n < 1)
		return cli_usage(argv[0], "a reference number is needed");
	if (read_ref(args[0], ref))
		return 1;
	if (join(note, sizeof note, n, args, 1) != BW_OK)
		return cli_die("note: too long");
	if (cli_open(c))
		return 1;
	if (to == BW_ST_REJECTED) {
		if (bw_store_get(c->store, ref, &r, &e))
			return cli_die("%s", e.msg);
		const bw_refusal *why = reason ? bw_refusal_get(reason, r.kind) : NULL;
		if (!why) {
			fprintf(stderr, "bawaba reject: --reason is one of:\n");
			for (const bw_refusal *x = bw_refusals(); x->code; x++)
				if (x->info == (r.kind == BW_KIND_INFO))
					fprintf(stderr, "  %-18s %s\n", x->code, x->label);
			return 2;
		}
		/* the note starts with the reason's code, so reports can count refusals by reason */
		size_t cl = strlen(why->code), nl = strlen(note);
		if (cl + 2 + nl + 1 > sizeof note)
			return cli_die("note: too long");
		memmove(note + cl + (nl ? 2 : 0), note, nl + 1);
		memcpy(note, why->code, cl);
		if (nl)
			memcpy(note + cl, ": ", 2);
	} else if (reason) {
		return cli_usage(argv[0], "--reason is for reject");
	}
	rc = bw_store_transition(c->store, ref, to, c->actor, note, c->now, &ev, &e);
	if (rc)
		return cli_die("%s", e.msg);
	if (bw_store_get(c->store, ref, &r, &e))
		return cli_die("%s", e.msg);
	printf("%s %s -> %s, deadline %s\n", ref, bw_state_name(ev.old_state), bw_state_name(ev.new_state), r.deadline);
	return 0;
}
