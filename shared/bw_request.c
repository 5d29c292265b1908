/* bw_request.c: names of kinds, channels and forms, and the validation of a request:
 * every rejection names the field and the rule it broke, never the personal value itself
 * (ID number, name, phone, address, contact): the hub logs these messages and sends them
 * back to devices in ack reasons. */
#include "bw_request.h"

#include <ctype.h>
#include <string.h>

#include "bw_calendar.h"
#include "bw_phone.h"
#include "bw_ref.h"
#include "bw_text.h"
#include "bw_uuid.h"

static const char *const kind_names[BW_KIND_COUNT] = { "complaint", "observation", "suggestion", "info" };
static const char *const channel_names[BW_CHANNEL_COUNT] = { "kiosk", "sms", "desk", "paper" };
static const char *const form_names[BW_FORM_COUNT] = { "none", "paper", "email", "onsite", "sms" };

static int lookup(const char *const *names, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (s && strcmp(names[i], s) == 0)
			return i;
	return BW_EINVAL;
}

const char *bw_kind_name(enum bw_kind k) { return (unsigned)k < BW_KIND_COUNT ? kind_names[k] : "?"; }
int bw_kind_parse(const char *s) { return lookup(kind_names, BW_KIND_COUNT, s); }
const char *bw_channel_name(enum bw_channel c) { return (unsigned)c < BW_CHANNEL_COUNT ? channel_names[c] : "?"; }
int bw_channel_parse(const char *s) { return lookup(channel_names, BW_CHANNEL_COUNT, s); }
const char *bw_form_name(enum bw_form f) { return (unsigned)f < BW_FORM_COUNT ? form_names[f] : "?"; }
int bw_form_parse(const char *s) { return lookup(form_names, BW_FORM_COUNT, s); }

void bw_request_init(bw_request *r)
{
	memset(r, 0, sizeof *r);
	r->state = BW_ST_RECEIVED;
	strcpy(r->lang, "ar");
}

/* Catalogue and device codes: short ASCII ids, safe in topics, file names and CSV. */
static int code_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > BW_CODE_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
			return 0;
	return 1;
}

static int check_code(const char *field, const char *v, int required, bw_err *e)
{
	if (!v[0])
		return required ? bw_fail(e, BW_EINVAL, "%s: missing", field) : BW_OK;
	if (!code_ok(v))
		return bw_fail(e, BW_EINVAL, "%s: \"%.40s\" is not a code (letters, digits, - and _, at most %d)",
			       field, v, BW_CODE_MAX);
	return BW_OK;
}

/* Free text: valid UTF-8, not blank when required, at most max characters; control
 * characters removed (bw_text_strip_controls: the one rule for every channel). */
static int check_text(const char *field, char *v, size_t max, int required, bw_err *e)
{
	size_t bytes = strlen(v);
	if (!bw_utf8_valid(v, bytes))
		return bw_fail(e, BW_EINVAL, "%s: invalid UTF-8", field);
	bw_text_strip_controls(v);
	size_t i = 0;
	while (v[i] == ' ' || v[i] == '\t' || v[i] == '\n' || v[i] == '\r')
		i++;
	if (required && v[i] == '\0')
		return bw_fail(e, BW_EINVAL, "%s: missing", field);
	size_t n = bw_utf8_len(v);
	if (n > max)
		return bw_fail(e, BW_ETOOBIG, "%s: too long (%zu characters, at most %zu)", field, n, max);
	return BW_OK;
}

/* CNIE ("AB123456", "K12345") or residence permit number: letters then digits. */
static int id_number_ok(const char *s)
{
	size_t n = strlen(s), letters = 0, digits = 0;
	if (n < 4 || n > BW_IDNUM_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (isalpha((unsigned char)s[i]) && digits == 0)
			letters++;
		else if (isdigit((unsigned char)s[i]))
			digits++;
		else
			return 0;
	}
	return letters >= 1 && letters <= 3 && digits >= 3;
}

int bw_request_validate(bw_request *r, bw_err *e)
{
	int rc;
	char ref[13];

	if (!bw_uuid_valid(r->uid))
		return bw_fail(e, BW_EINVAL, "uid: \"%.40s\" is not a UUID", r->uid);
	if (bw_ref_parse(r->ref, ref, NULL) != BW_OK || strcmp(ref, r->ref) != 0)
		return bw_fail(e, BW_EINVAL, "ref: \"%.20s\" is not a valid reference number", r->ref);
	if (bw_ref_seq(r->ref) < 1 || bw_ref_seq(r->ref) > BW_REF_SEQ_MAX)
		return bw_fail(e, BW_EINVAL, "ref: sequence %07lu is never issued (1 to %u)",
			       (unsigned long)bw_ref_seq(r->ref), BW_REF_SEQ_MAX);
	if ((unsigned)r->kind >= BW_KIND_COUNT)
		return bw_fail(e, BW_EINVAL, "kind: unknown (%d)", (int)r->kind);
	if ((unsigned)r->channel >= BW_CHANNEL_COUNT)
		return bw_fail(e, BW_EINVAL, "channel: unknown (%d)", (int)r->channel);
	if ((rc = check_code("admin", r->admin, 1, e)) ||
	    (rc = check_code("category", r->category, 0, e)) ||
	    (rc = check_code("site", r->site, 0, e)) ||
	    (rc = check_code("device", r->device, r->channel == BW_CHANNEL_KIOSK || r->channel == BW_CHANNEL_SMS, e)))
		return rc;
	if (strcmp(r->lang, "ar") && strcmp(r->lang, "fr") && strcmp(r->lang, "zgh"))
		return bw_fail(e, BW_EINVAL, "lang: \"%.8s\" is not ar, fr or zgh", r->lang);
	if ((rc = check_text("text", r->text, BW_TEXT_MAX, 1, e)))
		return rc;

	if (r->phone[0]) {
		char norm[14];
		if ((rc = bw_phone_normalize(r->phone, norm, e)))
			return rc;
		memcpy(r->phone, norm, sizeof norm);
		if (r->channel == BW_CHANNEL_KIOSK && !r->consent)
			return bw_fail(e, BW_EINVAL, "phone: kept only with the citizen's consent (law 09-08)");
	} else if (r->channel == BW_CHANNEL_SMS) {
		return bw_fail(e, BW_EINVAL, "phone: missing (an SMS request carries its sender)");
	}

	if (r->kind == BW_KIND_INFO) {
		if ((rc = check_text("name", r->name, BW_NAME_MAX, 1, e)) ||
		    (rc = check_text("address", r->address, BW_ADDRESS_MAX, r->form == BW_FORM_PAPER, e)) ||
		    (rc = check_text("contact", r->contact, BW_CONTACT_MAX, !r->phone[0], e)))
			return rc;
		if (!r->id_number[0])
			return bw_fail(e, BW_EINVAL, "id_number: missing (national ID or residence permit, law 31.13)");
		/* the value is never repeated: messages are logged and sent back in acks */
		if (!id_number_ok(r->id_number))
			return bw_fail(e, BW_EINVAL, "id_number: not a national ID or residence permit number "
				       "(1 to 3 letters then at least 3 digits)");
		if ((unsigned)r->form >= BW_FORM_COUNT || r->form == BW_FORM_NONE)
			return bw_fail(e, BW_EINVAL, "form: missing (how the answer should be given)");
	} else {
		if (r->urgent)
			return bw_fail(e, BW_EINVAL, "urgent: only information requests can be urgent");
		if (r->name[0] || r->id_number[0] || r->address[0])
			return bw_fail(e, BW_EINVAL, "name: identity is collected only for information requests (law 09-08)");
		if ((rc = check_text("contact", r->contact, BW_CONTACT_MAX, 0, e)))
			return rc;
	}

	if (r->received_at <= 0)
		return bw_fail(e, BW_EINVAL, "received_at: missing");
	bw_day d;
	if (bw_day_parse(r->received_on, &d, NULL) != BW_OK)
		return bw_fail(e, BW_EINVAL, "received_on: \"%.12s\" is not a date (YYYY-MM-DD)", r->received_on);
	return BW_OK;
}
