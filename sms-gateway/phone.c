/* phone.c: bawaba-phone, playing the citizen on Gammu's dummy phone: sends an SMS into
 * the phone (as the network would deliver it) and shows the replies the gateway sent,
 * read from the gateway's own record (the dummy driver keeps nothing it sends). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bw_files.h"
#include "bw_clock.h"
#include "bw_err.h"
#include "bw_smsdb.h"
#include "dummy.h"

static const char usage[] =
	"usage: bawaba-phone DIR send NUMBER TEXT...   an SMS from NUMBER arrives on the phone\n"
	"       bawaba-phone DIR load FILE             one SMS per line: NUMBER<TAB>TEXT (- = stdin)\n"
	"       bawaba-phone [-d DB] DIR sent [NUMBER] the SMS the gateway sent (to NUMBER)\n"
	"       bawaba-phone --help\n"
	"DIR is the dummy phone's directory ([modem NAME] device with model = dummy). The gateway\n"
	"writes its database path into DIR/.bawaba-smsd; -d DB reads another one.\n"
	"sent prints one line per SMS: NUMBER, parts, coding (gsm or ucs2), state, text.\n";

static int cmd_send(const char *dir, const char *number, int argc, char **argv)
{
	sms_dummy w;
	bw_err e;
	char text[8192] = "";
	size_t o = 0;
	for (int i = 0; i < argc; i++) {
		int n = snprintf(text + o, sizeof text - o, "%s%s", i ? " " : "", argv[i]);
		if (n < 0 || (size_t)n >= sizeof text - o) {
			fprintf(stderr, "bawaba-phone: text too long\n");
			return 1;
		}
		o += (size_t)n;
	}
	int parts;
	if (sms_dummy_open(&w, dir, &e) ||
	    sms_dummy_inject(&w, number, text, bw_now(), NULL, 0, &parts, &e)) {
		fprintf(stderr, "bawaba-phone: %s\n", e.msg);
		return 1;
	}
	printf("delivered to %s: %d part(s)\n", dir, parts);
	return 0;
}

static int cmd_load(const char *dir, const char *file)
{
	sms_dummy w;
	bw_err e;
	char line[8192];
	long n = 0, lineno = 0;
	FILE *f = strcmp(file, "-") == 0 ? stdin : fopen(file, "r");
	if (!f) {
		perror(file);
		return 1;
	}
	if (sms_dummy_open(&w, dir, &e)) {
		fprintf(stderr, "bawaba-phone: %s\n", e.msg);
		return 1;
	}
	int64_t now = bw_now();
	while (fgets(line, sizeof line, f)) {
		lineno++;
		line[strcspn(line, "\n")] = '\0';
		char *tab = strchr(line, '\t');
		if (!line[0])
			continue;
		if (!tab) {
			fprintf(stderr, "bawaba-phone: %s:%ld: no tab between number and text\n", file, lineno);
			return 1;
		}
		*tab = '\0';
		/* one second apart per sender is not needed: the dedupe key holds the text */
		if (sms_dummy_inject(&w, line, tab + 1, now, NULL, 0, NULL, &e)) {
			fprintf(stderr, "bawaba-phone: %s:%ld: %s\n", file, lineno, e.msg);
			return 1;
		}
		n++;
	}
	if (f != stdin)
		fclose(f);
	printf("delivered %ld SMS to %s\n", n, dir);
	return 0;
}

static int print_sent(void *arg, const char *dest, int parts, const char *coding,
                      const char *state, const char *text)
{
	(void)arg;
	printf("%s\t%d\t%s\t%s\t%s\n", dest, parts, coding ? coding : "-", state, text);
	return 0;
}

static int cmd_sent(const char *db_path, const char *number)
{
	bw_err e;
	if (sms_db_sent_each(db_path, number, print_sent, NULL, &e)) {
		fprintf(stderr, "bawaba-phone: %s\n", e.msg);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	bw_files_private();  /* before anything is created: personal data stays 0600 */
	const char *db = NULL;
	char marked[1100];
	int i = 1;
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(usage, stdout);
		return 0;
	}
	if (i + 1 < argc && strcmp(argv[i], "-d") == 0) {
		db = argv[i + 1];
		i += 2;
	}
	if (argc - i < 2) {
		fputs(usage, stderr);
		return 2;
	}
	const char *dir = argv[i], *cmd = argv[i + 1];
	i += 2;
	if (strcmp(cmd, "send") == 0 && argc - i >= 2)
		return cmd_send(dir, argv[i], argc - i - 1, argv + i + 1);
	if (strcmp(cmd, "load") == 0 && argc - i == 1)
		return cmd_load(dir, argv[i]);
	if (strcmp(cmd, "sent") == 0 && argc - i <= 1) {
		if (!db) {
			bw_err e;
			if (sms_dummy_marked_db(dir, marked, sizeof marked, &e)) {
				fprintf(stderr, "bawaba-phone: %s (or give -d DB)\n", e.msg);
				return 1;
			}
			db = marked;
		}
		return cmd_sent(db, argc - i == 1 ? argv[i] : NULL);
	}
	fputs(usage, stderr);
	return 2;
}
