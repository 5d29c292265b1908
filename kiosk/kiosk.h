/* kiosk.h: the kiosk's model: settings, the citizen's input, screens and flows over the UI
 * layer, the idle wipe, and the small filing interface (local store now, edge sync when
 * configured). No SDL here: the unit tests drive it with synthetic input. */
#ifndef KIOSK_H
#define KIOSK_H

#include <stdint.h>
#include <stdio.h>

#include "bw_err.h"
#include "bw_log.h"
#include "bw_proto.h"
#include "bw_request.h"
#include "bw_store.h"
#include "ui/ui.h"

/* What the operator configures (kiosk.conf, see kiosk_conf_keys). */
typedef struct kiosk_conf {
	int width, height;          /* window; 1920x1080 landscape or 1080x1920 portrait */
	int fullscreen;             /* lockdown: full screen, keyboard grabbed, PIN to leave */
	char theme[16];             /* normal | large | contrast (the citizen can switch) */
	int idle_timeout;           /* s without a touch before the warning */
	int warn_seconds;           /* s of countdown on the warning, >= 20 */
	char pin[16];               /* agent PIN to leave the lockdown; "" = no way out */
	char lang[4];               /* first language: ar | zgh | fr */
	char locale_dir[1024], fonts_dir[1024], database[1024], printer[1024], sync_conf[1024];
	char device[BW_CODE_MAX + 1], site[BW_CODE_MAX + 1];
	int device_num;             /* reference prefix when no sync config gives one */
	char time_zone[64];         /* legal time (bw_clock_init) */
	/* speech (kiosk/talk.c): on when a keypad key, F1 or the listen button is used */
	int speech;                 /* 0: the kiosk never speaks (no audio device opened) */
	int volume, rate;           /* 0..100; words per minute */
	char prompts_dir[1024];     /* recorded prompts: DIR/LANG/MSGID.wav */
	char speech_log[1024];      /* tests only: every spoken segment (holds typed text) */
} kiosk_conf;

/* Fills c with the defaults; kiosk_conf_load reads an INI file over them (errors as
 * bw_conf_load, plus BW_EINVAL for a bad theme or language); kiosk_conf_set applies one
 * "section.key=value" override. */
void kiosk_conf_default(kiosk_conf *c);
int kiosk_conf_load(kiosk_conf *c, const char *path, bw_err *e);
int kiosk_conf_set(kiosk_conf *c, const char *assignment, bw_err *e);
void kiosk_conf_print(FILE *fp);

/* The filing interface: the local store alone, or bw_sync over it. */
typedef void (*kiosk_status_fn)(void *k, const bw_status *st);
typedef struct kiosk_filer {
	void *arg;
	/* commits r (fills ref, uid, dates, deadline) before returning BW_OK */
	int (*submit)(void *arg, bw_request *r, bw_err *e);
	/* answers now or later through done(k, st); code is the receipt code the citizen
	 * typed (NULL: none), without which the answer carries no note; BW_EINVAL for a bad
	 * reference or code */
	int (*query)(void *arg, const char *ref, const char *code, kiosk_status_fn done, void *k,
	             bw_err *e);
	int (*online)(void *arg);  /* 1 when the hub is reachable */
} kiosk_filer;

/* A filer over a local store only (no hub): references from device_num; statuses are
 * answered from the store with from_local = 1. st must outlive the filer. */
typedef struct kiosk_local {
	bw_store *st;
	unsigned device_num;
	char device[BW_CODE_MAX + 1], site[BW_CODE_MAX + 1];
} kiosk_local;
kiosk_filer kiosk_local_filer(kiosk_local *l);

enum kiosk_screen {
	KS_WELCOME = 0, KS_HOME, KS_ADMIN, KS_CATEGORY, KS_TEXT, KS_PHONE, KS_REVIEW,
	KS_INFO_LAW, KS_INFO_NAME, KS_INFO_ID, KS_INFO_CONTACT, KS_INFO_TEXT, KS_INFO_FORM,
	KS_RECEIPT, KS_STATUS, KS_STATUS_RESULT, KS_PIN,
	KS_INFO_ADDRESS,            /* after the form, only for an answer on paper (law 31.13) */
	KS_STATUS_CODE,             /* the receipt code, to read the answer of a request */
	KS_COUNT
};
enum kiosk_lang { KL_AR = 0, KL_ZGH, KL_FR, KL_COUNT };
/* each language's catalogue code, by its KL_ index ("ar", "zgh", "fr") */
extern const char *const kiosk_lang_code[KL_COUNT];

#define K_ADMINS_MAX 64
#define K_CATS_MAX 64
/* Wrong receipt codes allowed for one reference before the kiosk stops asking (until
 * the citizen's input is wiped): a person at the screen cannot try the 10,000 codes. */
#define K_CODE_TRIES 3

/* Everything a citizen enters or is shown about their request: one block, so the idle
 * wipe is one memset. */
typedef struct kiosk_input {
	char search[256];
	char text[BW_CHARS(BW_TEXT_MAX)];
	char phone[32];
	char name[BW_CHARS(BW_NAME_MAX)];
	char idnum[BW_IDNUM_MAX + 1];
	char contact[BW_CHARS(BW_CONTACT_MAX)];
	char address[BW_CHARS(BW_ADDRESS_MAX)];
	char refq[64];
	char codeq[32];             /* the receipt code typed on the status screen */
	char pin[16];
	int kind, admin, category;  /* BW_KIND_*, indexes into the catalogue; -1 = none */
	int consent, urgent, form;
	char ref[BW_REF_LEN + 1], deadline[BW_DATE_LEN + 1], received_on[BW_DATE_LEN + 1];
	char code[BW_RCODE_LEN + 1];  /* the receipt code of the request just filed */
	bw_status status;
	int status_ready;
	int code_tries;             /* wrong receipt codes typed for status.ref */
} kiosk_input;

struct kiosk {
	kiosk_conf conf;
	ui_ctx *ui;
	kiosk_filer filer;
	bw_store *catalog;          /* borrowed: the local store, for the catalogue */
	const bw_log *log;
	int lang, screen, theme_kind;
	bw_admin *admins;           /* K_ADMINS_MAX, loaded once */
	int nadmins;
	const char *admin_names[K_ADMINS_MAX];
	bw_category *cats;          /* K_CATS_MAX, for the chosen administration and kind */
	int ncats;
	const char *cat_names[K_CATS_MAX];
	kiosk_input in;
	ui_field f_search, f_text, f_phone, f_name, f_id, f_contact, f_address, f_ref, f_pin, f_code;
	ui_list list;
	int kbd, shift;             /* keyboard shown (enum kiosk_lang), its shift state */
	int letters;                /* the contact screen shows letters, not its keypad */
	const char *msg;            /* key of the message shown (validation, printer) */
	int msg_error;
	int64_t now;                /* ms, monotonic: the current frame's time */
	int64_t last_input;         /* ms, monotonic */
	int warning;                /* the inactivity warning is up */
	int taps;                   /* taps on the welcome title (agents reach the PIN) */
	int64_t first_tap;
	int quit;                   /* the agent left with the PIN */
	/* wrong agent PINs in a row (kept in the local store: a restart does not reset them)
	 * and, past KIOSK_PIN_FREE of them, until when (ms, monotonic) none is looked at */
	int pin_wrong;
	int64_t pin_until;
	int pin_restart;            /* locked at start: the delay starts at the first frame */
	/* the law screen's text size, found once per language, theme and size: the search
	 * wraps the text at every size and would cost a frame its budget each time */
	int law_size, law_cols;
	unsigned law_key;
	/* called when the citizen's data is wiped, to drop copies elsewhere (the
	 * renderer's text cache) */
	void (*on_wipe)(void *arg);
	void *on_wipe_arg;
	int listen;                 /* the listen button was pressed: speak the screen */
};

typedef struct kiosk kiosk;

/* The agent's PIN: KIOSK_PIN_FREE wrong tries in a row, then each further one locks the
 * PIN pad for a delay that doubles: 30 s, 60 s, ... up to an hour (a 4-digit PIN then
 * takes months to walk, even with restarts: the count is kept in the local store). */
#define KIOSK_PIN_FREE 3
int64_t kiosk_pin_delay_ms(int wrong);
/* The agent typed a PIN at k->now: 1 right (the count is reset), 0 wrong (counted, kept,
 * maybe locking the pad), -1 the pad is locked (not looked at, not counted). */
int kiosk_pin_try(kiosk *k, const char *typed);

/* Sets up the model: catalogue from the store, language conf->lang, the welcome screen.
 * ops measures text (the renderer's, or a fake in tests). BW_EDB if the catalogue cannot
 * be read, BW_ENOTFOUND if it is empty. */
int kiosk_init(kiosk *k, const kiosk_conf *conf, bw_store *catalog, const kiosk_filer *f,
               const ui_text_ops *ops, int w, int h, const bw_log *log, bw_err *e);
void kiosk_free(kiosk *k);

/* Builds one frame of the current screen at monotonic time now_ms, consuming the UI
 * input given since the last frame (input = 1 if there was some: it counts as activity
 * unless the idle warning is up). Screens change in response; call again with input = 0
 * to get the new screen's frame. */
void kiosk_frame(kiosk *k, int64_t now_ms, int input);
/* Milliseconds until the next timer (the warning, a countdown second), -1 for none. */
int kiosk_timeout_ms(const kiosk *k, int64_t now_ms);

void kiosk_set_lang(kiosk *k, int lang);
void kiosk_set_theme(kiosk *k, int theme_kind);
void kiosk_resize(kiosk *k, int w, int h);
/* Goes to a screen (tests and the screenshot walk); the flows use it too. */
void kiosk_goto(kiosk *k, int screen);
/* Starts a flow for a kind (BW_KIND_*): the first screen of its steps. */
void kiosk_start(kiosk *k, int kind);
/* Forgets every value the citizen entered or was shown (memset), back to welcome. */
void kiosk_wipe(kiosk *k);
/* Files the request built from the input; on success the receipt screen shows. */
int kiosk_submit(kiosk *k, bw_err *e);
/* A postal address a letter can reach: at least two words (a street or district and a
 * town) and eight letters or digits; 1 if so. */
int kiosk_address_valid(const char *s);
/* Checks a typed reference as the status keypad does: BW_OK with the 12 digits in out,
 * BW_EAGAIN while too short, BW_EINVAL when the check digit is wrong. */
int kiosk_ref_check(const char *typed, char out[13]);
/* Reads a typed receipt code (any of the three digit sets) into out as ASCII digits:
 * BW_OK with BW_RCODE_LEN digits, BW_EAGAIN while fewer. */
int kiosk_code_check(const char *typed, char out[BW_RCODE_LEN + 1]);
/* 1 when the status on screen has a step whose note is for the citizen (an answer, a
 * refusal's or an extension's reason) not shown for want of the receipt code. */
int kiosk_status_locked(const bw_status *st);
/* Writes the receipt to the configured printer; returns the message key shown. */
const char *kiosk_print(kiosk *k);

/* The catalogue name in the current language. */
const char *kiosk_admin_name(const kiosk *k, const bw_admin *a);

/* Screens (screens*.c) */
void kiosk_draw_screen(kiosk *k);
void kiosk_draw_warning(kiosk *k, int seconds_left);

#endif
