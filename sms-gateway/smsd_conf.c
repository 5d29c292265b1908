/* smsd_conf.c: bawaba-smsd's settings: the table of smsd.conf (gateway, conversation,
 * notify, abuse, one section per modem) with defaults and meanings, and the checks that
 * span several settings. */
#include "smsd_int.h"

#include <stdio.h>
#include <string.h>

static int new_modem(const char *section, const char *name, void *settings, void **item,
                     bw_err *e)
{
	struct settings *s = settings;
	if (s->nmodems == MODEMS_MAX)
		return bw_fail(e, BW_ETOOBIG, "too many modems (at most %d)", MODEMS_MAX);
	if (!name[0])
		return bw_fail(e, BW_EINVAL, "a modem needs a name: [modem NAME]");
	sms_modem_conf *m = &s->modems[s->nmodems];
	memset(m, 0, sizeof *m);
	if (bw_strlcpy(m->name, name, sizeof m->name))
		return bw_fail(e, BW_ETOOBIG, "modem name too long (at most %d)", BW_CODE_MAX);
	for (int i = 0; i < s->nmodems; i++)
		if (strcmp(s->modems[i].name, name) == 0)
			return bw_fail(e, BW_EINVAL, "modem %s twice", name);
	s->nmodems++;
	*item = m;
	return BW_OK;
}

#define ST struct settings

const bw_conf_key smsd_keys[] = {
	BW_CONF_P("gateway", "database", ST, db, "/var/lib/bawaba/smsd.db",
		  "the gateway's own database (inbox, send queue, its requests until the hub has them)"),
	BW_CONF_P("gateway", "sync", ST, sync, "",
		  "device file from bawaba-broker register + bawaba-hub enroll; empty: no hub, requests stay local"),
	BW_CONF_S("gateway", "device", ST, device, "sms-local", "device id when there is no hub"),
	BW_CONF_I("gateway", "device_num", ST, device_num, 1, 9999, "9999",
		  "reference prefix when there is no hub (the hub gives it otherwise)"),
	BW_CONF_S("gateway", "site", ST, site, "", "reception site code written on requests"),
	BW_CONF_P("gateway", "localedir", ST, localedir, BW_LOCALEDIR, "translation catalogues"),
	BW_CONF_S("gateway", "log_level", ST, log_level, "info", "error, warn, info or debug"),
	BW_CONF_I("gateway", "poll_ms", ST, poll_ms, 10, 60000, "1000",
		  "ms between modem polls (the dummy driver and most modems never announce an SMS)"),
	BW_CONF_I("gateway", "batch", ST, batch, 1, 64, "32",
		  "messages read, processed and sent per turn, so the hub link is never kept waiting"),
	BW_CONF_I("gateway", "send_retries", ST, send_retries, 1, 100, "8",
		  "attempts before an SMS is given up"),
	BW_CONF_I("gateway", "retry_base", ST, retry_base, 1, 3600, "30",
		  "s before the first retry of a failed send; doubles each time (at most 1 h)"),
	BW_CONF_I("conversation", "timeout", ST, conv.timeout, 60, 86400, "1800",
		  "s a menu waits for the citizen's answer, then the conversation ends politely"),
	BW_CONF_I("conversation", "partial_wait", ST, conv.partial_wait, 0, 86400, "600",
		  "s a multipart SMS waits for a missing part before it is read as it is"),
	BW_CONF_S("conversation", "darija_lang", ST, conv.darija_lang, "fr",
		  "reply language for Darija written in Latin letters: fr or ar"),
	BW_CONF_S("conversation", "menu_admins", ST, conv.menu_admins,
		  "INTERIEUR,SANTE,TRANSPORT,JUSTICE,DGSN,MEF,ADII,MAECE,MEDIATEUR",
		  "administrations in the menu, by catalogue code (at most 9; empty: the first 9 by code)"),
	BW_CONF_S("conversation", "info_url", ST, conv.info_url, "chikaya.ma",
		  "where an answer too long for SMS can be read"),
	BW_CONF_S("conversation", "info_phone", ST, conv.info_phone, "0537000000",
		  "the number to call for an answer too long for SMS"),
	BW_CONF_S("notify", "quiet_start", ST, conv.quiet_start, "21:00",
		  "local time from which notifications wait for the morning"),
	BW_CONF_S("notify", "quiet_end", ST, conv.quiet_end, "08:00", "local time they go out again"),
	BW_CLOCK_CONF("notify", ST, time_zone),
	BW_CONF_I("abuse", "rate_max", ST, conv.rate_max, 1, 100000, "10",
		  "messages a number may send per rate_window; the rest is stored, not answered"),
	BW_CONF_I("abuse", "rate_window", ST, conv.rate_window, 60, 86400, "3600", "s"),
	BW_CONF_I("abuse", "junk_max", ST, conv.junk_max, 1, 1000, "5",
		  "unparseable messages per junk_window before a number is muted (auto-responder)"),
	BW_CONF_I("abuse", "junk_window", ST, conv.junk_window, 60, 86400, "600", "s"),
	BW_CONF_I("abuse", "repeat_max", ST, conv.repeat_max, 1, 1000, "3",
		  "identical messages in a row within junk_window before a number is muted"),
	BW_CONF_I("abuse", "mute_for", ST, conv.mute_for, 60, 604800, "3600",
		  "s a muted number is not answered"),
	BW_CONF_I("abuse", "help_period", ST, conv.help_period, 60, 604800, "86400",
		  "s between help replies to oversize or binary messages from one number"),
	BW_CONF_I("abuse", "oversize", ST, conv.oversize, 100, BW_TEXT_MAX, "1000",
		  "characters above which a message is not processed (help reply instead)"),
	BW_CONF_SECTION("modem", new_modem, "one GSM modem, in Gammu's terms; several share the send queue"),
	BW_CONF_S("modem", "device", sms_modem_conf, device, "/dev/ttyUSB0",
		  "serial device, or the directory of Gammu's dummy phone"),
	BW_CONF_S("modem", "connection", sms_modem_conf, connection, "at",
		  "Gammu connection: at, at115200, ...; none for the dummy phone"),
	BW_CONF_S("modem", "model", sms_modem_conf, model, "", "Gammu model: empty (auto) or dummy"),
	BW_CONF_I("modem", "rate_per_minute", sms_modem_conf, rate_per_minute, 0, 6000, "4",
		  "SMS parts this SIM sends per minute (operators block SIMs that burst); 0: receive only"),
	BW_CONF_S("modem", "pin_file", sms_modem_conf, pin_file, "",
		  "the SIM's PIN: a file only its owner reads (root, mode 0600), or credential:NAME "
		  "(the unit's LoadCredential=NAME:FILE); empty: the SIM asks none"),
	BW_CONF_END
};

int smsd_settings_check(const struct settings *s, bw_err *e)
{
	if (strcmp(s->conv.darija_lang, "fr") && strcmp(s->conv.darija_lang, "ar"))
		return bw_fail(e, BW_EINVAL, "[conversation] darija_lang: \"%s\" (fr or ar)", s->conv.darija_lang);
	int h, m;
	char c;
	const char *t[2] = { s->conv.quiet_start, s->conv.quiet_end };
	for (int i = 0; i < 2; i++)
		if (sscanf(t[i], "%d:%d%c", &h, &m, &c) != 2 || h < 0 || h > 23 || m < 0 || m > 59)
			return bw_fail(e, BW_EINVAL, "[notify] %s: \"%s\" is not HH:MM",
				       i ? "quiet_end" : "quiet_start", t[i]);
	if (!s->nmodems)
		return bw_fail(e, BW_EINVAL, "no [modem NAME] section");
	int rc = bw_clock_init(s->time_zone, e);
	if (rc)
		return rc;
	if (bw_log_level_parse(s->log_level) < 0)
		return bw_fail(e, BW_EINVAL, "[gateway] log_level: unknown \"%s\"", s->log_level);
	return BW_OK;
}
