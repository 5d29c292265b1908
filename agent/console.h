/* console.h: the agent console's screens and actions over the UI layer (no SDL, no
 * network): the queue, the selected request, devices, indicators, toasts, the action
 * dialogs and the keyboard shortcuts. Commands leave through a sender the program
 * supplies (the MQTT client), replies come back through ag_console_message. */
#ifndef AGENT_CONSOLE_H
#define AGENT_CONSOLE_H

#include <stdint.h>

#include "bw_agentproto.h"
#include "bw_log.h"
#include "bw_store.h"
#include "model.h"
#include "ui/ui.h"

/* How commands reach the hub: returns BW_OK with *corr set, or a BW_E* code with e
 * saying why it could not be sent (not connected, ...). */
typedef struct ag_sender {
	void *arg;
	int (*send)(void *arg, const bw_agent_cmd *c, uint32_t *corr, bw_err *e);
} ag_sender;

/* The console's languages in Ctrl+L order: Arabic, French, Tamazight (Tifinagh). */
enum ag_lang { AG_LANG_AR = 0, AG_LANG_FR, AG_LANG_ZGH, AG_LANG_COUNT };

/* The catalogue code of lang ("ar", "fr", "zgh"); out-of-range values are Arabic. */
const char *ag_lang_code(int lang);
/* The enum ag_lang of a code ("ar", "fr", "zgh"), or -1 for anything else. */
int ag_lang_of(const char *code);
/* The language Ctrl+L switches to from lang: ar -> fr -> zgh -> ar. */
int ag_lang_next(int lang);
/* 1 if lang is laid out right to left (Arabic only: Tifinagh reads left to right). */
int ag_lang_is_rtl(int lang);

enum ag_modal { AG_M_NONE = 0, AG_M_ASSIGN, AG_M_ANSWER, AG_M_EXTEND, AG_M_REJECT, AG_M_REOPEN,
                AG_M_FILE, AG_M_FILTER, AG_M_COUNT };

/* Actions on the selected request (buttons and shortcuts). */
enum ag_action { AG_A_ASSIGN = 0, AG_A_PROGRESS, AG_A_ANSWER, AG_A_EXTEND, AG_A_REJECT,
                 AG_A_CLOSE, AG_A_REOPEN, AG_A_COUNT };

/* The network state as shown (values of enum ag_net in client.h). */
enum { AG_SHOW_CONNECTING = 0, AG_SHOW_ONLINE, AG_SHOW_LOST, AG_SHOW_REFUSED };

#define AG_ADMINS_MAX 64
#define AG_SPOTS_MAX 64

/* Where a widget was drawn in the last frame (tests drive the console by real clicks at
 * these places; --dump-state lists them). */
typedef struct ag_spot {
	char name[24];
	ui_rect r;
} ag_spot;

typedef struct ag_console {
	ag_model model;
	ui_ctx *ui;
	ag_sender sender;
	const bw_log *log;
	char user[BW_CODE_MAX + 1], site[BW_CODE_MAX + 1];
	int lang;                      /* enum ag_lang */
	int scale;                     /* per mille of the 1080p sizes */
	int net;                       /* AG_SHOW_* */
	char net_why[128];
	bw_admin *admins;              /* the shipped catalogue (names in each language) */
	int nadmins;
	/* the queue list */
	int top, cursor;               /* first visible row, highlighted row (view index) */
	int rows_visible;
	/* dialogs */
	int modal;
	uint32_t modal_corr;           /* the command the dialog waits for, 0 = none */
	char modal_error[BW_ERRMSG];
	int reason;                    /* reject: index into bw_refusals(), -1 none */
	int officer;                   /* assign: 1 = the information officer */
	char note[BW_CHARS(BW_AGENT_NOTE_MAX)];
	char filter_buf[128];
	char f_text_buf[BW_CHARS(BW_TEXT_MAX)], f_phone_buf[32], f_name_buf[BW_CHARS(BW_NAME_MAX)];
	char f_id_buf[BW_IDNUM_MAX + 1], f_contact_buf[BW_CHARS(BW_CONTACT_MAX)];
	ui_field f_note, f_filter, f_text, f_phone, f_name, f_id, f_contact;
	int file_kind, file_admin;
	/* the indicators' period: 0 today, 1 the last 7 days, 2 the last 30, 3 this year */
	int period;
	int sound;                     /* beep on announcements */
	int64_t now_ms;
	int64_t devices_at, report_at; /* next periodic refresh (monotonic ms) */
	int64_t wall;                  /* UTC seconds of this frame (dates, "last seen") */
	int quit;
	ag_spot spots[AG_SPOTS_MAX];
	int nspots;
} ag_console;

/* Sets up the console: the model, the UI context (ops measures text), the language
 * (bw_i18n must be initialised with the "agent" domain), the catalogue copied from
 * catalog (any store holding the shipped catalogue). BW_EDB if it cannot be read. */
int ag_console_init(ag_console *c, const ui_text_ops *ops, int w, int h, const char *user,
                    const char *site, int lang, bw_store *catalog, const ag_sender *s,
                    const bw_log *log, bw_err *e);
void ag_console_free(ag_console *c);

/* Builds one frame at monotonic now_ms and UTC wall seconds, consuming the UI input
 * given since the last frame; actions clicked in it are sent. Also runs the periodic
 * refreshes and the change of day. */
void ag_console_frame(ag_console *c, int64_t now_ms, int64_t wall);

/* Input the UI layer does not handle by itself: keys (enum ui_key / ag_key values
 * from enum ui_key) and typed text are shortcuts when no dialog is open, else go to the
 * dialog's fields; wheel scrolls the queue by rows. */
void ag_console_key(ag_console *c, int key);
void ag_console_text(ag_console *c, const char *utf8);
void ag_console_wheel(ag_console *c, int rows);

void ag_console_set_lang(ag_console *c, int lang);
void ag_console_resize(ag_console *c, int w, int h);

/* Asks the hub for the queue, the devices, the indicators and the open request. */
void ag_console_refresh(ag_console *c);
/* Actions (as the buttons and shortcuts do): opens a dialog or sends the move. */
void ag_console_action(ag_console *c, int action);
/* Opens the request at view position i (selects it, asks the hub its details). */
void ag_console_open(ag_console *c, int i);

/* From the client: a message (corr 0 = pushed), a command that failed, the network. */
void ag_console_message(ag_console *c, const char *json, size_t len, uint32_t corr);
void ag_console_failed(ag_console *c, uint32_t corr, int op, const char *why);
void ag_console_net(ag_console *c, int state, const char *why);

#endif
