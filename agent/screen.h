/* screen.h: what the agent console's files share, inside libagent.a only (the console's
 * interface is console.h): the actions' tables, the text helpers (catalogue families,
 * isolates, templates, names, times), the compact widgets of a desk, the commands and
 * dialog changes the drawing triggers, and the panels each file draws for the frame. */
#ifndef BAWABA_AGENT_SCREEN_H
#define BAWABA_AGENT_SCREEN_H

#include "console.h"

#include "bw_i18n.h"

#define T(k) bw_tr(k)
#define RGB(h) ((ui_color){ (h) >> 16 & 0xFF, (h) >> 8 & 0xFF, (h) & 0xFF, 255 })

/* each action's catalogue key, the state it moves to, its one-letter shortcut */
extern const char *const ags_action_key[AG_A_COUNT];
extern const int ags_action_to[AG_A_COUNT];
extern const char *const ags_action_short[AG_A_COUNT];

/* console.c: helpers */
/* px at 1080p scaled to the window */
int ags_px(const ag_console *c, int px);
/* The catalogue text of a family and a stable name: "agent.state." + "in_progress". */
const char *ags_tr2(const char *family, const char *name);
const char *ags_kind_text(int k);
const char *ags_state_text(int s);
const char *ags_channel_text(int ch);
/* s between LRI and PDI into out: a code or a number inside a line of any direction. */
const char *ags_iso(char *out, size_t n, const char *s);
/* Copies tmpl into out replacing each {name} by its value from pairs (name, value, ...,
 * NULL); unknown names stay as written. */
const char *ags_subst(char *out, size_t n, const char *tmpl, ...);
const bw_admin *ags_admin_of(const ag_console *c, const char *code);
/* An administration's name in the console's language (its code when unknown). */
const char *ags_admin_name(const ag_console *c, const char *code);
/* "2026-11-27 10:02" (with_date) or "10:02", Morocco's legal time. */
void ags_local_time(int64_t t, char *out, size_t n, int with_date);
/* One line of text in r, clipped to it (cells of the table, labels). */
void ags_cell(ui_ctx *ctx, ui_rect r, const char *s, int size, ui_color col, int flags);
/* Remembers where a widget was drawn this frame (tests click there, --dump-state). */
void ags_spot(ag_console *c, const char *name, ui_rect r);
/* The alignment that puts the start of a citizen's text (either script) in view. */
int ags_own_align(const ag_console *c, const char *s);
/* A compact one-line button; a card's frame; a dialog's filled card. */
int ags_btn(ag_console *c, ui_id id, ui_rect r, const char *label, int style);
void ags_card(ag_console *c, ui_rect r);
void ags_panel(ag_console *c, ui_rect r);

/* console.c: commands and dialogs */
uint32_t ags_send_cmd(ag_console *c, const bw_agent_cmd *cmd, const char *ref);
void ags_ask_get(ag_console *c, const char *ref);
void ags_ask_devices(ag_console *c);
void ags_ask_report(ag_console *c);
void ags_keep_cursor_visible(ag_console *c);
const ag_row *ags_selected_row(ag_console *c);
int ags_action_allowed(ag_console *c, int a);
void ags_open_modal(ag_console *c, int m);
void ags_close_modal(ag_console *c);
void ags_send_move(ag_console *c, int to, const char *note, const char *reason);
void ags_open_file_form(ag_console *c);
void ags_cycle_lang(ag_console *c);

/* screens_detail.c: the open request, devices, indicators; a line of text cut from the
 * top of r (returns its height) */
int ags_line(ag_console *c, ui_rect *r, const char *s, int size, ui_color col, int flags);
void ags_detail(ag_console *c, ui_rect r);
void ags_devices(ag_console *c, ui_rect r);
void ags_indicators(ag_console *c, ui_rect r);
/* dialogs.c: the open dialog, if any */
void ags_modal(ag_console *c);

#endif
