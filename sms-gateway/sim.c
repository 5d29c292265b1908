/* sim.c: the SIM PIN from an owner-only file, entered once with libGammu, and the probe
 * of a modem (see sim.h). */
#include "sim.h"
#include "modem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int sms_sim_pin_read(const char *path, char *pin, size_t size, bw_err *e)
{
	char cred[4096];
	if (strncmp(path, "credential:", 11) == 0) {
		const char *dir = getenv("CREDENTIALS_DIRECTORY");
		if (!dir || !*dir)
			return bw_fail(e, BW_EINVAL, "pin_file %s: no $CREDENTIALS_DIRECTORY (give the unit LoadCredential=%s:/etc/bawaba/FILE)",
				       path, path + 11);
		if (strchr(path + 11, '/') || snprintf(cred, sizeof cred, "%s/%s", dir, path + 11) >= (int)sizeof cred)
			return bw_fail(e, BW_EINVAL, "pin_file %s: not a credential name", path);
		path = cred;
	}
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return bw_fail(e, BW_EIO, "pin_file %s: %s", path, strerror(errno));
	struct stat st;
	char buf[32];
	ssize_t n = 0;
	int rc = BW_OK;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		rc = bw_fail(e, BW_EIO, "pin_file %s: not a regular file", path);
	else if (st.st_mode & 077)
		rc = bw_fail(e, BW_EPERM, "pin_file %s: others may read it (mode %03o); chmod 600 it", path,
			     (unsigned)(st.st_mode & 0777));
	else if (st.st_uid != 0 && st.st_uid != geteuid())
		rc = bw_fail(e, BW_EPERM, "pin_file %s: belongs to uid %u, neither root nor this user", path,
			     (unsigned)st.st_uid);
	else if ((n = read(fd, buf, sizeof buf - 1)) < 0)
		rc = bw_fail(e, BW_EIO, "pin_file %s: %s", path, strerror(errno));
	close(fd);
	if (rc || n < 0)
		return rc ? rc : BW_EIO;
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	int digits = n >= 4 && n <= SMS_PIN_MAX && (size_t)n < size;
	for (ssize_t i = 0; digits && i < n; i++)
		digits = buf[i] >= '0' && buf[i] <= '9';
	if (!digits)
		rc = bw_fail(e, BW_EINVAL, "pin_file %s: not a PIN (one line of 4 to %d digits)", path, SMS_PIN_MAX);
	else
		memcpy(pin, buf, (size_t)n + 1);
	explicit_bzero(buf, sizeof buf);
	return rc;
}

static const char *sec_name(GSM_SecurityCodeType t)
{
	switch (t) {
	case SEC_None: return "ready";
	case SEC_Pin: return "asks for its PIN";
	case SEC_Pin2: return "asks for its PIN2";
	case SEC_Puk: return "blocked, asks for its PUK";
	case SEC_Puk2: return "asks for its PUK2";
	case SEC_SecurityCode: return "asks for the phone's security code";
	default: return "locked (another code)";
	}
}

int sms_sim_unlock(GSM_StateMachine *sm, const char *name, const char *pin_file,
                   int pretend_locked, int *refused, bw_err *e)
{
	GSM_SecurityCodeType st = SEC_None;
	GSM_Error err = GSM_GetSecurityStatus(sm, &st);
	if (err != ERR_NONE && err != ERR_NOTSUPPORTED && err != ERR_NOTIMPLEMENTED)
		return bw_fail(e, BW_EIO, "%s: SIM status: %s", name, GSM_ErrorString(err));
	if (pretend_locked)
		st = SEC_Pin;
	if (err != ERR_NONE && !pretend_locked)
		return BW_OK;   /* a modem that cannot tell: it works or the sends will say */
	if (st == SEC_None)
		return BW_OK;
	if (st != SEC_Pin)
		return bw_fail(e, BW_EPERM, "%s: the SIM %s: unblock it in a phone, then restart", name, sec_name(st));
	if (*refused)
		return bw_fail(e, BW_EPERM, "%s: the SIM refused the PIN of %s before; not tried again (a third wrong PIN blocks it): fix the file and restart",
			       name, pin_file);
	if (!pin_file || !*pin_file)
		return bw_fail(e, BW_EPERM, "%s: the SIM asks for its PIN: set pin_file in [modem %s]", name, name);
	GSM_SecurityCode code;
	memset(&code, 0, sizeof code);
	code.Type = SEC_Pin;
	int rc = sms_sim_pin_read(pin_file, code.Code, sizeof code.Code, e);
	if (rc)
		return rc;
	err = GSM_EnterSecurityCode(sm, &code);
	explicit_bzero(&code, sizeof code);
	if (err != ERR_NONE) {
		*refused = 1;
		return bw_fail(e, BW_EPERM, "%s: the SIM refused the PIN of %s (%s); not tried again (a third wrong PIN blocks it)",
			       name, pin_file, GSM_ErrorString(err));
	}
	return BW_OK;
}

static const char *net_state(GSM_NetworkInfo_State s)
{
	switch (s) {
	case GSM_HomeNetwork: return "registered (home)";
	case GSM_RoamingNetwork: return "registered (roaming)";
	case GSM_RequestingNetwork: return "searching";
	case GSM_RegistrationDenied: return "registration denied";
	case GSM_NoNetwork: return "no network";
	default: return "unknown";
	}
}

int sms_sim_probe(GSM_StateMachine *sm, FILE *out)
{
	char buf[GSM_MAX_INFO_LENGTH + 1] = "";
	int answered = 0;
	GSM_Error err;
#define ITEM(key, call, value) do { err = (call); if (err == ERR_NONE) answered++; \
	fprintf(out, "%s: %s\n", key, err == ERR_NONE ? (value) : GSM_ErrorString(err)); } while (0)
	ITEM("manufacturer", GSM_GetManufacturer(sm, buf), buf);
	ITEM("model", GSM_GetModel(sm, buf), buf);
	ITEM("firmware", GSM_GetFirmware(sm, buf, NULL, NULL), buf);
	ITEM("imei", GSM_GetIMEI(sm, buf), buf);
	GSM_SecurityCodeType st = SEC_None;
	ITEM("sim", GSM_GetSecurityStatus(sm, &st), sec_name(st));
	GSM_NetworkInfo ni;
	memset(&ni, 0, sizeof ni);
	err = GSM_GetNetworkInfo(sm, &ni);
	if (err == ERR_NONE) {
		answered++;
		fprintf(out, "network: %s, operator %s\n", net_state(ni.State), ni.NetworkCode[0] ? ni.NetworkCode : "?");
	} else {
		fprintf(out, "network: %s\n", GSM_ErrorString(err));
	}
	GSM_SignalQuality q;
	memset(&q, 0, sizeof q);
	err = GSM_GetSignalQuality(sm, &q);
	if (err == ERR_NONE) {
		answered++;
		fprintf(out, "signal: %d%% (%d dBm)\n", q.SignalPercent, q.SignalStrength);
	} else {
		fprintf(out, "signal: %s\n", GSM_ErrorString(err));
	}
#undef ITEM
	return answered ? BW_OK : BW_EIO;
}

int sms_sim_probe_modems(const struct sms_modem_conf *confs, int n, const struct bw_log *log,
                         FILE *out)
{
	int bad = n == 0;
	if (n == 0)
		fprintf(stderr, "bawaba-smsd: no [modem NAME] section\n");
	for (int i = 0; i < n; i++) {
		bw_err e;
		sms_modem *m = sms_modem_new(&confs[i], log);
		if (sms_modem_connect(m, &e)) {
			fprintf(out, "modem: %s (%s)\nerror: %s\n", confs[i].name, confs[i].device, e.msg);
			bad = 1;
		} else if (sms_modem_probe(m, out)) {
			bad = 1;
		}
		sms_modem_free(m);
		if (i + 1 < n)
			fputc('\n', out);
	}
	return bad ? BW_EIO : BW_OK;
}
