/* test_conf.c: the INI configuration loader: defaults, a full file, repeated sections,
 * every error with its file:line, the settings semantics and the annotated printer. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bw_conf.h"
#include "fixture.h"

#define MAX_MODEMS 3

struct modem {
	char name[16];
	char device[32];
	int baud;
	int enabled;
};

struct settings {
	char site[16];
	struct {
		char host[64];
		int port;
		char db[128];
		int debug;
		int retries;
	} hub;
	int fullscreen;
	char title[32];
	struct modem modems[MAX_MODEMS];
	int nmodems;
};

static int new_modem(const char *section, const char *name, void *settings, void **item,
                     bw_err *e)
{
	struct settings *s = settings;
	if (s->nmodems == MAX_MODEMS)
		return bw_fail(e, BW_ETOOBIG, "too many modems (at most %d)", MAX_MODEMS);
	struct modem *m = &s->modems[s->nmodems];
	if (bw_strlcpy(m->name, name, sizeof m->name) != BW_OK)
		return bw_fail(e, BW_ETOOBIG, "modem name too long");
	s->nmodems++;
	*item = m;
	return BW_OK;
}

static const bw_conf_key keys[] = {
	BW_CONF_S("", "site", struct settings, site, "rabat-agdal", "reception site code"),
	BW_CONF_S("hub", "host", struct settings, hub.host, "127.0.0.1", "broker host"),
	BW_CONF_I("hub", "port", struct settings, hub.port, 1, 65535, "1883", "broker port"),
	BW_CONF_P("hub", "db", struct settings, hub.db, "/var/lib/bawaba/hub.db", "database file"),
	BW_CONF_B("hub", "debug", struct settings, hub.debug, "no", "verbose logging"),
	BW_CONF_I("hub", "retries", struct settings, hub.retries, -1, 10, "3", "-1: forever"),
	BW_CONF_B("kiosk", "fullscreen", struct settings, fullscreen, "yes", "take the screen"),
	BW_CONF_S("kiosk", "title", struct settings, title, "بوابة; #1", "window title"),
	BW_CONF_SECTION("modem", new_modem, "one GSM modem"),
	BW_CONF_S("modem", "device", struct modem, device, "/dev/ttyUSB0", "serial port"),
	BW_CONF_I("modem", "baud", struct modem, baud, 1200, 921600, "115200", "line speed"),
	BW_CONF_B("modem", "enabled", struct modem, enabled, "on", NULL),
	BW_CONF_END
};

static char path[FX_PATH];

/* writes text to a fresh temporary file, named in `path` */
static void write_conf(const char *text)
{
	FILE *fp;
	fx_file(path, "conf");
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	ck_assert_int_eq(fputs(text, fp) >= 0, 1);
	ck_assert_int_eq(fclose(fp), 0);
}

static int load_text(const char *text, struct settings *s, bw_err *e)
{
	write_conf(text);
	bw_err_clear(e);
	int rc = bw_conf_load(path, keys, s, e);
	unlink(path);
	return rc;
}

static void check_defaults(const struct settings *s)
{
	ck_assert_str_eq(s->site, "rabat-agdal");
	ck_assert_str_eq(s->hub.host, "127.0.0.1");
	ck_assert_int_eq(s->hub.port, 1883);
	ck_assert_str_eq(s->hub.db, "/var/lib/bawaba/hub.db");
	ck_assert_int_eq(s->hub.debug, 0);
	ck_assert_int_eq(s->hub.retries, 3);
	ck_assert_int_eq(s->fullscreen, 1);
	ck_assert_str_eq(s->title, "بوابة; #1");
}

/* loads text, expects code and the message "PATH:LINE: " followed by want */
static void expect_error(const char *text, int code, int line, const char *want)
{
	struct settings s;
	bw_err e;
	char full[BW_ERRMSG];
	memset(&s, 0, sizeof s);
	int rc = load_text(text, &s, &e);
	snprintf(full, sizeof full, "%s:%d: %s", path, line, want);
	ck_assert_msg(rc == code, "%s: got %d (%s), want %d", text, rc, e.msg, code);
	ck_assert_str_eq(e.msg, full);
}

START_TEST(defaults_fill_every_key)
{
	struct settings s;
	bw_err e;
	memset(&s, 0x5A, sizeof s);
	s.nmodems = 0;
	ck_assert_int_eq(bw_conf_defaults(keys, &s, &e), BW_OK);
	check_defaults(&s);
	/* keys of repeatable sections have no place until a section asks for one */
	ck_assert_int_eq(s.nmodems, 0);
	ck_assert_int_eq((unsigned char)s.modems[0].device[0], 0x5A);
}
END_TEST

START_TEST(bad_default_is_reported)
{
	struct settings s;
	bw_err e;
	const bw_conf_key bad[] = {
		BW_CONF_I("hub", "port", struct settings, hub.port, 1, 65535, "70000", "port"),
		BW_CONF_END
	};
	const bw_conf_key big[] = {
		BW_CONF_S("", "site", struct settings, site, "a-site-code-of-20ch", "site"),
		BW_CONF_END
	};
	ck_assert_int_eq(bw_conf_defaults(bad, &s, &e), BW_EINVAL);
	ck_assert_str_eq(e.msg, "default of [hub] port = 70000: out of range (1..65535)");
	ck_assert_int_eq(bw_conf_defaults(big, &s, &e), BW_ETOOBIG);
	ck_assert_str_eq(e.msg, "default of site = a-site-code-of-20ch: too long (19 bytes, at most 15)");
}
END_TEST

START_TEST(full_file_loads)
{
	struct settings s;
	bw_err e;
	memset(&s, 0, sizeof s);
	int rc = load_text(
		"\xEF\xBB\xBF# bawaba test configuration\r\n"
		"site = casa-anfa   # the site\n"
		"\n"
		"  ; another comment style\n"
		"[hub]\n"
		"host=broker.local\n"
		"\tport\t=\t8883\t\n"
		"db = \"/srv/bawaba/hub db#1.sqlite\"  ; quoted keeps # and spaces\n"
		"debug = YES\n"
		"retries = -1\n"
		"[ kiosk ]  # spaces inside the brackets\n"
		"fullscreen = off\n"
		"title = \"  بوابة المواطن  \"\n",
		&s, &e);
	ck_assert_msg(rc == BW_OK, "%s", e.msg);
	ck_assert_str_eq(s.site, "casa-anfa");
	ck_assert_str_eq(s.hub.host, "broker.local");
	ck_assert_int_eq(s.hub.port, 8883);
	ck_assert_str_eq(s.hub.db, "/srv/bawaba/hub db#1.sqlite");
	ck_assert_int_eq(s.hub.debug, 1);
	ck_assert_int_eq(s.hub.retries, -1);
	ck_assert_int_eq(s.fullscreen, 0);
	ck_assert_str_eq(s.title, "  بوابة المواطن  ");
	ck_assert_int_eq(s.nmodems, 0);
}
END_TEST

START_TEST(booleans_and_bounds)
{
	static const char *const yes[] = { "true", "yes", "on", "1", "True", "ON" };
	static const char *const no[] = { "false", "no", "off", "0", "NO" };
	struct settings s;
	bw_err e;
	char text[128];
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
		snprintf(text, sizeof text, "[hub]\ndebug = %s\n", yes[i]);
		ck_assert_int_eq(load_text(text, &s, &e), BW_OK);
		ck_assert_int_eq(s.hub.debug, 1);
	}
	for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
		snprintf(text, sizeof text, "[kiosk]\nfullscreen = %s\n", no[i]);
		ck_assert_int_eq(load_text(text, &s, &e), BW_OK);
		ck_assert_int_eq(s.fullscreen, 0);
	}
	/* both ends of a range are in it */
	ck_assert_int_eq(load_text("[hub]\nport = 65535\nretries = 10\n", &s, &e), BW_OK);
	ck_assert_int_eq(s.hub.port, 65535);
	ck_assert_int_eq(load_text("[hub]\nport = 1\nretries = -1\n", &s, &e), BW_OK);
	ck_assert_int_eq(s.hub.port, 1);
	/* a string exactly filling its buffer */
	ck_assert_int_eq(load_text("site = 123456789012345\n", &s, &e), BW_OK);
	ck_assert_str_eq(s.site, "123456789012345");
	ck_assert_int_eq(load_text("site = \"\"\n", &s, &e), BW_OK);
	ck_assert_str_eq(s.site, "");
}
END_TEST

START_TEST(each_error_names_file_and_line)
{
	expect_error("[hub]\nport = 8883\n[mqtt]\n", BW_EINVAL, 3, "unknown section [mqtt]");
	expect_error("[hub]\ncolour = blue\n", BW_EINVAL, 2, "unknown key colour in [hub]");
	expect_error("colour = blue\n", BW_EINVAL, 1, "unknown key colour before any [section]");
	expect_error("[kiosk]\nport = 1\n", BW_EINVAL, 2, "unknown key port in [kiosk]");
	expect_error("[hub]\n\n\nport = 70000\n", BW_EINVAL, 4, "port = 70000: out of range (1..65535)");
	expect_error("[hub]\nport = 0\n", BW_EINVAL, 2, "port = 0: out of range (1..65535)");
	expect_error("[hub]\nretries = -2\n", BW_EINVAL, 2, "retries = -2: out of range (-1..10)");
	expect_error("[hub]\nport = 99999999999999999999\n", BW_EINVAL, 2,
	             "port = 99999999999999999999: out of range (1..65535)");
	expect_error("[hub]\nport = 18x3\n", BW_EINVAL, 2, "port = 18x3: not an integer");
	expect_error("[hub]\nport =\n", BW_EINVAL, 2, "port = : not an integer");
	expect_error("[hub]\ndebug = maybe\n", BW_EINVAL, 2,
	             "debug = maybe: not a boolean (true/false, yes/no, on/off, 1/0)");
	expect_error("site = casablanca-anfa-01\n", BW_ETOOBIG, 1,
	             "site = casablanca-anfa-01: too long (18 bytes, at most 15)");
	expect_error("[hub]\nport = 1\nhost = h\nport = 2\n", BW_EINVAL, 4,
	             "duplicate key port (first set at line 2)");
	expect_error("[hub]\nport 8080\n", BW_EINVAL, 2, "missing '=' in port 8080");
	expect_error("[hub]\n= 8080\n", BW_EINVAL, 2, "missing key name before '='");
	expect_error("[hub\n", BW_EINVAL, 1, "unterminated section header [hub");
	expect_error("[hub] port = 1\n", BW_EINVAL, 1,
	             "unexpected text after the section header: port = 1");
	expect_error("[hub]\n[kiosk]\n[hub]\n", BW_EINVAL, 3, "duplicate section [hub] (first at line 1)");
	expect_error("[hub main]\n", BW_EINVAL, 1, "section [hub] takes no name (got main)");
	expect_error("[hub]\ndb = \"/srv/x\n", BW_EINVAL, 2, "unterminated quote in the value of \"/srv/x");
	expect_error("[hub]\ndb = \"/srv/x\" y\n", BW_EINVAL, 2,
	             "unexpected text after the closing quote: y");

	/* a line of BW_CONF_LINE_MAX bytes is fine, one more is not */
	char *long_line = malloc(BW_CONF_LINE_MAX + 64);
	strcpy(long_line, "# ");
	memset(long_line + 2, 'x', BW_CONF_LINE_MAX - 2);
	strcpy(long_line + BW_CONF_LINE_MAX, "\n[hub]\n");
	struct settings s;
	bw_err e;
	ck_assert_int_eq(load_text(long_line, &s, &e), BW_OK);
	strcpy(long_line + BW_CONF_LINE_MAX, "x\n[hub]\n");
	expect_error(long_line, BW_ETOOBIG, 1, "line too long (more than 1024 bytes)");
	/* ... also as the last line, without its newline, and as a huge one */
	long_line[BW_CONF_LINE_MAX + 1] = '\0';
	expect_error(long_line, BW_ETOOBIG, 1, "line too long (more than 1024 bytes)");
	free(long_line);
	long_line = malloc(10000);
	memset(long_line, 'y', 9998);
	strcpy(long_line + 9998, "\n");
	expect_error(long_line, BW_ETOOBIG, 1, "line too long (more than 1024 bytes)");
	free(long_line);
}
END_TEST

START_TEST(missing_file)
{
	struct settings s;
	bw_err e;
	ck_assert_int_eq(bw_conf_load("/nonexistent/bawaba.conf", keys, &s, &e), BW_ENOTFOUND);
	ck_assert_str_eq(e.msg, "/nonexistent/bawaba.conf: No such file or directory");
	/* the defaults were applied anyway, so a program may choose to run without a file */
	check_defaults(&s);
}
END_TEST

START_TEST(settings_semantics)
{
	struct settings s;
	bw_err e;
	memset(&s, 0, sizeof s);
	/* a load resets what an earlier load set: absent keys get their default */
	ck_assert_int_eq(load_text("site = x\n[hub]\nport = 9999\ndebug = yes\n", &s, &e), BW_OK);
	ck_assert_int_eq(s.hub.port, 9999);
	ck_assert_int_eq(load_text("[hub]\ndebug = yes\n", &s, &e), BW_OK);
	ck_assert_int_eq(s.hub.port, 1883);
	ck_assert_str_eq(s.site, "rabat-agdal");
	/* on failure: lines before the error applied, the bad value not written, the rest
	 * not read */
	ck_assert_int_eq(load_text("[hub]\nhost = h1\nport = 0\nretries = 5\n", &s, &e), BW_EINVAL);
	ck_assert_str_eq(s.hub.host, "h1");
	ck_assert_int_eq(s.hub.port, 1883);
	ck_assert_int_eq(s.hub.retries, 3);
	/* a too-long string leaves the default whole, not a truncated value */
	ck_assert_int_eq(load_text("site = casablanca-anfa-01\n", &s, &e), BW_ETOOBIG);
	ck_assert_str_eq(s.site, "rabat-agdal");
}
END_TEST

START_TEST(repeated_sections)
{
	struct settings s;
	bw_err e;
	memset(&s, 0, sizeof s);
	int rc = load_text(
		"[modem sim1]\n"
		"device = /dev/ttyUSB1\n"
		"baud = 9600\n"
		"[hub]\n"
		"port = 1884\n"
		"[modem \"sim 2\"]   # quoted names may hold spaces\n"
		"enabled = no\n"
		"[modem sim3]\n",
		&s, &e);
	ck_assert_msg(rc == BW_OK, "%s", e.msg);
	ck_assert_int_eq(s.hub.port, 1884);
	ck_assert_int_eq(s.nmodems, 3);
	ck_assert_str_eq(s.modems[0].name, "sim1");
	ck_assert_str_eq(s.modems[0].device, "/dev/ttyUSB1");
	ck_assert_int_eq(s.modems[0].baud, 9600);
	ck_assert_int_eq(s.modems[0].enabled, 1);
	/* each item starts from the section's defaults */
	ck_assert_str_eq(s.modems[1].name, "sim 2");
	ck_assert_str_eq(s.modems[1].device, "/dev/ttyUSB0");
	ck_assert_int_eq(s.modems[1].baud, 115200);
	ck_assert_int_eq(s.modems[1].enabled, 0);
	ck_assert_str_eq(s.modems[2].name, "sim3");
	ck_assert_int_eq(s.modems[2].enabled, 1);

	/* the same key in two items is fine; twice in one item is not */
	memset(&s, 0, sizeof s);
	expect_error("[modem a]\nbaud = 9600\n[modem b]\nbaud = 9600\nbaud = 4800\n", BW_EINVAL, 5,
	             "duplicate key baud (first set at line 4)");
	expect_error("[modem a]\n[modem b]\n[modem a]\n", BW_EINVAL, 3,
	             "duplicate section [modem a] (first at line 1)");
	expect_error("[modem]\n", BW_EINVAL, 1, "section [modem] needs a name, e.g. [modem NAME]");
	expect_error("[modem a]\nbaud = 300\n", BW_EINVAL, 2, "baud = 300: out of range (1200..921600)");
	expect_error("[modem a]\nport = 1\n", BW_EINVAL, 2, "unknown key port in [modem]");
	/* the program's callback refuses: its message, prefixed with where */
	expect_error("[modem a]\n[modem b]\n[modem c]\n[modem d]\n", BW_ETOOBIG, 4,
	             "[modem d]: too many modems (at most 3)");
	expect_error("[modem a-very-long-modem-name]\n", BW_ETOOBIG, 1,
	             "[modem a-very-long-modem-name]: modem name too long");
	/* repeatable keys cannot be set from outside a section */
	ck_assert_int_eq(bw_conf_set(keys, &s, "modem", "baud", "9600", &e), BW_ENOTFOUND);
}
END_TEST

START_TEST(set_one_key)
{
	struct settings s;
	bw_err e;
	ck_assert_int_eq(bw_conf_defaults(keys, &s, &e), BW_OK);
	ck_assert_int_eq(bw_conf_set(keys, &s, "hub", "port", "1884", &e), BW_OK);
	ck_assert_int_eq(s.hub.port, 1884);
	ck_assert_int_eq(bw_conf_set(keys, &s, "hub", "port", "0", &e), BW_EINVAL);
	ck_assert_str_eq(e.msg, "[hub] port = 0: out of range (1..65535)");
	ck_assert_int_eq(s.hub.port, 1884);
	ck_assert_int_eq(bw_conf_set(keys, &s, "hub", "colour", "red", &e), BW_ENOTFOUND);
	ck_assert_str_eq(e.msg, "unknown key [hub] colour");
}
END_TEST

START_TEST(printed_config_is_the_defaults)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	bw_conf_print(keys, fp);
	fclose(fp);
	/* top-level keys first, each key with its doc, type and default */
	const char *head = "# reception site code (text, at most 15 bytes)\nsite = rabat-agdal\n";
	ck_assert_msg(strncmp(buf, head, strlen(head)) == 0, "%s", buf);
	ck_assert_ptr_nonnull(strstr(buf, "\n[hub]\n# broker host (text, at most 63 bytes)\nhost = 127.0.0.1\n"));
	ck_assert_ptr_nonnull(strstr(buf, "# broker port (integer, 1..65535)\nport = 1883\n"));
	ck_assert_ptr_nonnull(strstr(buf, "# database file (path)\ndb = /var/lib/bawaba/hub.db\n"));
	ck_assert_ptr_nonnull(strstr(buf, "# verbose logging (yes or no)\ndebug = no\n"));
	ck_assert_ptr_nonnull(strstr(buf, "title = \"بوابة; #1\"\n"));
	ck_assert_ptr_nonnull(strstr(buf, "# [modem NAME]: one GSM modem (repeat for each)\n#[modem NAME]\n"
	                                  "# serial port (text, at most 31 bytes)\n#device = /dev/ttyUSB0\n"));
	ck_assert_ptr_nonnull(strstr(buf, "#enabled = yes\n"));
	ck_assert_ptr_null(strstr(buf, "\n[modem"));
	ck_assert_ptr_null(strstr(buf, "\nbaud"));

	/* and it reads back as the defaults, without any modem */
	struct settings s;
	bw_err e;
	memset(&s, 0, sizeof s);
	int rc = load_text(buf, &s, &e);
	ck_assert_msg(rc == BW_OK, "%s", e.msg);
	check_defaults(&s);
	ck_assert_int_eq(s.nmodems, 0);
	free(buf);
}
END_TEST

FX_SUITE(conf, "core", NULL, NULL,
		defaults_fill_every_key, bad_default_is_reported, full_file_loads,
		booleans_and_bounds, each_error_names_file_and_line, missing_file,
		settings_semantics, repeated_sections, set_one_key,
		printed_config_is_the_defaults)
