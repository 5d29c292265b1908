/* bw_request.h: the request, bawaba's central record: kinds, channels, fields, validation. */
#ifndef BW_REQUEST_H
#define BW_REQUEST_H

#include <stdint.h>

#include "bw_err.h"
#include "bw_state.h"

/* Kinds: decree 2.17.265 (complaint, observation, suggestion) and law 31.13 (information). */
enum bw_kind {
	BW_KIND_COMPLAINT = 0,
	BW_KIND_OBSERVATION,
	BW_KIND_SUGGESTION,
	BW_KIND_INFO,
	BW_KIND_COUNT
};

enum bw_channel { BW_CHANNEL_KIOSK = 0, BW_CHANNEL_SMS, BW_CHANNEL_DESK, BW_CHANNEL_PAPER, BW_CHANNEL_COUNT };

/* Preferred form of the answer to an information request (law 31.13). */
enum bw_form { BW_FORM_NONE = 0, BW_FORM_PAPER, BW_FORM_EMAIL, BW_FORM_ONSITE, BW_FORM_SMS, BW_FORM_COUNT };

/* Size limits. Text limits are in characters (code points), buffers in bytes (UTF-8 is at
 * most 4 bytes per code point). */
#define BW_UID_LEN 36        /* UUIDv7 text form */
#define BW_REF_LEN 12        /* reference number digits, check digit included */
#define BW_CODE_MAX 32       /* catalogue codes: administrations, categories, sites, devices */
#define BW_TEXT_MAX 2000     /* characters in a request's text */
#define BW_NAME_MAX 120
#define BW_IDNUM_MAX 20
#define BW_ADDRESS_MAX 250
#define BW_CONTACT_MAX 120
#define BW_PHONE_LEN 13      /* +212 and 9 digits */
#define BW_DATE_LEN 10       /* YYYY-MM-DD */
#define BW_CHARS(n) ((n) * 4 + 1)

typedef struct bw_request {
	char uid[BW_UID_LEN + 1];          /* device-made, time-ordered, the sync key */
	char ref[BW_REF_LEN + 1];          /* digits only, check digit last */
	char code[4 + 1];                  /* receipt code: 4 secret digits ("" before 0005) */
	char code_hash[128];               /* on a device after the hub's ack: crypt(3) of the
	                                    * code, which is then "" (migration 0007) */
	enum bw_kind kind;
	enum bw_channel channel;
	char admin[BW_CODE_MAX + 1];       /* catalogue code of the target administration */
	char category[BW_CODE_MAX + 1];    /* catalogue code; may be empty */
	char site[BW_CODE_MAX + 1];        /* reception site that took it */
	char device[BW_CODE_MAX + 1];      /* device id (kiosk, gateway, "hub" for the desk) */
	char lang[4];                      /* "ar", "fr" or "zgh": the citizen's language */
	char text[BW_CHARS(BW_TEXT_MAX)];
	char phone[BW_PHONE_LEN + 1];      /* normalised +2126XXXXXXXX or "" */
	int consent;                       /* 1: may store the phone and send SMS (law 09-08) */
	/* law 31.13 information requests only */
	char name[BW_CHARS(BW_NAME_MAX)];
	char id_number[BW_IDNUM_MAX + 1];  /* CNIE or residence permit number */
	char address[BW_CHARS(BW_ADDRESS_MAX)];
	char contact[BW_CHARS(BW_CONTACT_MAX)];
	enum bw_form form;
	int urgent;
	/* time of receipt: UTC seconds, and the local civil date the deadline counts from */
	int64_t received_at;
	char received_on[BW_DATE_LEN + 1];
	/* kept by the store */
	enum bw_state state;
	char deadline[BW_DATE_LEN + 1];    /* current legal deadline (extension included) */
	int extended;                      /* information request extended once already */
} bw_request;

/* Stable names used on the wire, in the database and in the CLI ("complaint", "sms", ...). */
const char *bw_kind_name(enum bw_kind k);
int bw_kind_parse(const char *s);            /* returns kind or BW_EINVAL */
const char *bw_channel_name(enum bw_channel c);
int bw_channel_parse(const char *s);
const char *bw_form_name(enum bw_form f);
int bw_form_parse(const char *s);

/* Zeroes r and sets the defaults (state received, lang "ar"). */
void bw_request_init(bw_request *r);

/* Checks every field rule except catalogue membership (the store checks that the
 * administration exists): required fields per kind and channel, lengths in characters,
 * valid UTF-8, Moroccan phone number, consent needed for a kiosk phone, dates.
 * Normalises r->phone to +212 form. Returns BW_OK or BW_EINVAL/BW_ETOOBIG with e->msg
 * naming the field ("text: too long (2100 characters, at most 2000)"). */
int bw_request_validate(bw_request *r, bw_err *e);

#endif
