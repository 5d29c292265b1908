/* ui.h: bawaba's immediate-mode UI layer: widgets that turn input into results and a list
 * of draw commands with no SDL types, a mirroring layout helper, text fields, keypads,
 * on-screen keyboards, searchable lists and the themes. A renderer (shared/ui/render_sdl.c)
 * turns the commands into pixels; tests drive it with synthetic input and a fake measurer.
 *
 * A frame:  ui_input_*(...) for one event;  ui_begin(ctx);  widgets...;  ui_end(ctx);
 * then draw ctx->cmds[0..ncmds) when ctx->hash differs from the last frame drawn.
 * One event per frame keeps a press and its release in different frames, which is what
 * the click logic expects. */
#ifndef UI_H
#define UI_H

#include <stddef.h>
#include <stdint.h>

#define UI_MAX_CMDS 4096
#define UI_ARENA (96 * 1024)  /* bytes of text and bitmaps per frame */

typedef struct ui_rect { int x, y, w, h; } ui_rect;
typedef struct ui_color { unsigned char r, g, b, a; } ui_color;
typedef uint32_t ui_id;

enum ui_font { UI_FONT_REGULAR = 0, UI_FONT_BOLD, UI_FONT_COUNT };

/* Base direction of a text line. AUTO_*: the first strong character decides (user input
 * may be in any script); the suffix is the fallback when there is none. */
enum ui_dir { UI_DIR_LTR = 0, UI_DIR_RTL, UI_DIR_AUTO_LTR, UI_DIR_AUTO_RTL };

enum ui_cmd_type { UI_CMD_RECT = 1, UI_CMD_TEXT, UI_CMD_BITMAP, UI_CMD_CLIP };

/* One draw command. Unused members are zero (the frame hash covers whole commands). */
typedef struct ui_cmd {
	int type;             /* enum ui_cmd_type */
	ui_rect r;            /* RECT: the box. TEXT: one line; x,y its top-left, w its measured
	                       * width, h the line height. BITMAP: the target square.
	                       * CLIP: the clip rectangle; w = 0 means no clip. */
	ui_color color;
	int radius;           /* RECT: corner radius, 0 = square */
	int border;           /* RECT: 0 = filled, else outline thickness */
	int font, size, dir;  /* TEXT: enum ui_font, pixel size, enum ui_dir */
	int off, len;         /* TEXT: UTF-8 bytes in the arena. BITMAP: len = n*n bytes, one
	                       * per module (non-zero = drawn in color) */
	int n;                /* BITMAP: modules per side */
	ui_rect box;          /* TEXT: the area the text was laid out into (ui_text), w = 0
	                       * for a bare ui_draw_line: the layout check holds every line to it */
	int lang;             /* TEXT: ui_ctx.lang when drawn: the language tag of the text */
} ui_cmd;

/* A control drawn this frame (a place that reacts to a tap): the layout check holds its
 * size to the floor and looks for overlaps; a keypad or speech layer can walk them in
 * order. Only controls that take input (not under a modal cover) are listed. */
typedef struct ui_ctrl {
	ui_id id;
	ui_rect r;
} ui_ctrl;

#define UI_MAX_CTRLS 512

/* Language tags of text (ui_ctx.lang): 0 marks data (what a person typed, names, numbers,
 * codes), which is shown as it is; a program numbers its languages from 1. Inside text of
 * a language, a span in bidi isolates (U+2066..U+2068 ... U+2069) is marked as a name,
 * number or code too (the catalogues wrap such spans so). */
enum { UI_LANG_DATA = 0 };

/* Text measuring, supplied by the renderer so layout knows the width of each run. */
typedef struct ui_text_ops {
	void *arg;
	/* width in pixels of the line s[0..len) drawn with base direction dir */
	int (*width)(void *arg, int font, int size, int dir, const char *s, int len);
	/* line height (ascent + descent + gap) of the size, over every script */
	int (*height)(void *arg, int font, int size);
	/* x from the line's left edge of the caret standing before logical byte pos; NULL
	 * means computed from width(), exact when the line has one direction */
	int (*caret)(void *arg, int font, int size, int dir, const char *s, int len, int pos);
} ui_text_ops;

/* ---- theme (ui_theme.c) ---- */
typedef struct ui_theme {
	/* sizes in pixels at 1080p (ui_theme_scale multiplies them for other screens) */
	int touch;            /* smallest touch target side, >= 48 */
	int primary;          /* height of primary action buttons */
	int body, title, small, big;  /* text sizes; body >= 24 */
	int pad, gap, radius, border;
	/* colours: text on background pairs, each >= 4.5:1 */
	ui_color bg, fg, muted;          /* page, body text, secondary text (on bg) */
	ui_color panel;                  /* cards, header (fg is used on it) */
	ui_color btn, btn_fg;            /* ordinary button */
	ui_color primary_bg, primary_fg; /* main action */
	ui_color sel, sel_fg;            /* selected choice, pressed button */
	ui_color field, field_fg, border_c, focus;
	ui_color error, error_fg;        /* message box */
	ui_color ok;                     /* success text on bg */
} ui_theme;

/* Bits: larger text and high contrast go together (UI_THEME_LARGE | UI_THEME_CONTRAST). */
enum ui_theme_kind { UI_THEME_NORMAL = 0, UI_THEME_LARGE = 1, UI_THEME_CONTRAST = 2, UI_THEME_COUNT = 4 };

/* Fills t with the variant; LARGE has bigger text and targets, CONTRAST is white on
 * black with yellow focus and thicker borders; both bits give both. */
void ui_theme_get(ui_theme *t, int kind);
/* Multiplies every size by num/den (a 1440 px short side: 1440/1080), never below the
 * 1080p minimums. */
void ui_theme_scale(ui_theme *t, int num, int den);
/* WCAG 2 contrast ratio of two opaque colours, 1.0 .. 21.0. */
double ui_contrast(ui_color a, ui_color b);

/* ---- input ---- */
enum ui_key {
	UI_KEY_NONE = 0, UI_KEY_BACKSPACE, UI_KEY_DELETE, UI_KEY_LEFT, UI_KEY_RIGHT,
	UI_KEY_HOME, UI_KEY_END, UI_KEY_ENTER, UI_KEY_TAB, UI_KEY_ESCAPE,
	/* desk keys: a renderer opened with kr_settings.desk reports them (the agent
	 * console); a kiosk never gets them; text widgets ignore them */
	UI_KEY_UP, UI_KEY_DOWN, UI_KEY_PGUP, UI_KEY_PGDN, UI_KEY_F5, UI_KEY_F12, UI_KEY_CTRL_L,
	/* the accessible keypad (every renderer reports them, with UP and DOWN): previous
	 * (Shift-Tab) and help (F1, which speaks the screen again) */
	UI_KEY_BACKTAB, UI_KEY_F1
};

/* ---- keypad focus and the description shared by eyes and ears (ui_focus.c) ---- */
/* What a control is, for the speech: widgets record it as they draw. */
enum ui_role { UI_ROLE_HIDDEN = -1 /* a hit area the keypad skips */, UI_ROLE_NONE = 0, UI_ROLE_BUTTON, UI_ROLE_CHECKBOX, UI_ROLE_TEXTBOX,
               UI_ROLE_KEY, UI_ROLE_ITEM, UI_ROLE_BACK, UI_ROLE_COUNT };
/* Texts a screen declares about itself (its title, its instruction, a value to read). */
enum ui_desc { UI_DESC_TITLE = 0, UI_DESC_HINT, UI_DESC_INFO, UI_DESC_COUNT };
#define UI_NAV_MAX 256

/* One control drawn this frame, in drawing order (ui_focus_order gives reading order). */
typedef struct ui_nav {
	ui_id id;
	ui_rect r;
	int role;             /* enum ui_role */
	int name;             /* arena offset of its name (what is drawn on it); -1: none */
	const char *msgid;    /* static catalogue key naming it when it has no text, or NULL */
	int state;            /* CHECKBOX: 1 when ticked; SELECTED buttons: 1 */
} ui_nav;

/* What a widget reports (bits). */
enum {
	UI_RES_CLICK = 1,     /* pressed and released on it */
	UI_RES_CHANGE = 2,    /* its value changed */
	UI_RES_SUBMIT = 4,    /* Enter / OK */
	UI_RES_REFUSED = 8,   /* an input was refused (too long, not allowed here) */
	UI_RES_SWITCH = 16,   /* a keypad's switch key (to letters) was tapped */
};

/* ---- context ---- */
typedef struct ui_ctx {
	ui_text_ops ops;
	ui_theme theme;
	ui_rect screen;
	int rtl;              /* mirror the layout and use RTL base direction */
	/* input of this frame (one event) */
	int mx, my, pressed, released;
	char text_in[64];
	int key;
	/* state across frames */
	ui_id active, focus;
	int focus_take;       /* Tab was pressed: the next text box drawn takes the focus */
	int focus_seen;       /* the focused widget was drawn this frame */
	int disabled;         /* widgets ignore input (a modal message is up) */
	/* keypad focus (ui_focus.c): the controls drawn this frame and the one with focus;
	 * 0 until a keypad key is used (no ring for touch users) */
	ui_nav nav[UI_NAV_MAX];
	int nnav;
	int keypad;           /* the program uses keypad focus (the kiosk; not the agent's desk) */
	ui_id kfocus;
	int kmode;            /* a keypad key was used: focus stays on a control from then on */
	unsigned kmoves;      /* keypad focus changes so far (the speech follows it) */
	int help;             /* F1 was pressed (set until the speech clears it) */
	int next_role, next_state;       /* for the next ui_hit (ui_label_next) */
	const char *next_name, *next_msgid;
	int desc[UI_DESC_COUNT];         /* arena offsets, -1: none */
	/* output */
	ui_cmd cmds[UI_MAX_CMDS];
	int ncmds;
	char arena[UI_ARENA];
	int narena;
	int overflow;         /* commands or arena ran out this frame (the invariant check) */
	uint64_t hash;        /* of this frame's commands and their text */
	ui_rect clip;
	int lang;             /* tag of the text drawn now (UI_LANG_DATA or the program's) */
	ui_ctrl ctrls[UI_MAX_CTRLS];
	int nctrls;
} ui_ctx;

/* Allocates a context (it is large: the command buffer lives in it). ops is copied. */
ui_ctx *ui_new(const ui_text_ops *ops, const ui_theme *theme, int w, int h);
void ui_free(ui_ctx *ctx);

/* Input for the next frame; each replaces what the previous frame consumed. */
void ui_input_move(ui_ctx *ctx, int x, int y);
void ui_input_press(ui_ctx *ctx, int x, int y);
void ui_input_release(ui_ctx *ctx, int x, int y);
void ui_input_text(ui_ctx *ctx, const char *utf8);   /* cut at 63 bytes */
void ui_input_key(ui_ctx *ctx, int key);

void ui_begin(ui_ctx *ctx);
/* Clears the consumed input, forgets a focus that was not drawn, computes ctx->hash.
 * Returns 0, or -1 when the frame overflowed (its commands are cut: a programming error
 * a test catches). */
int ui_end(ui_ctx *ctx);

/* Text of a TEXT command. */
const char *ui_cmd_text(const ui_ctx *ctx, const ui_cmd *c);

ui_id ui_id_str(const char *s);
ui_id ui_id_mix(ui_id id, int n);

/* ---- layout: cut rectangles; "start" is left in LTR and right in RTL ---- */
ui_rect ui_cut_top(ui_rect *r, int h);
ui_rect ui_cut_bottom(ui_rect *r, int h);
ui_rect ui_cut_start(const ui_ctx *ctx, ui_rect *r, int w);
ui_rect ui_cut_end(const ui_ctx *ctx, ui_rect *r, int w);
ui_rect ui_inset(ui_rect r, int d);
ui_rect ui_center(ui_rect outer, int w, int h);
/* n equal columns in reading order (the first is on the right in RTL), gap between. */
void ui_columns(const ui_ctx *ctx, ui_rect r, int n, int gap, ui_rect *out);
/* n equal rows from the top. */
void ui_rows(ui_rect r, int n, int gap, ui_rect *out);
/* cols x rows cells in reading order, row by row. */
void ui_grid(const ui_ctx *ctx, ui_rect r, int cols, int rows, int gap, ui_rect *out);
int ui_contains(ui_rect r, int x, int y);

/* ---- drawing ---- */
void ui_draw_rect(ui_ctx *ctx, ui_rect r, ui_color c, int radius);
void ui_draw_frame(ui_ctx *ctx, ui_rect r, ui_color c, int radius, int thickness);
/* One line at (x, y) with base direction dir; returns its width. */
int ui_draw_line(ui_ctx *ctx, int x, int y, const char *s, int len, int font, int size,
                 int dir, ui_color c);
void ui_set_clip(ui_ctx *ctx, ui_rect r);   /* w = 0: none */
/* n*n modules scaled into the square r: the non-zero ones are drawn in c, the others
 * left as they are (a QR code draws its light square and quiet zone first). */
void ui_draw_bitmap(ui_ctx *ctx, ui_rect r, const unsigned char *mods, int n, ui_color c);

/* Pictograms drawn as bitmaps (the fonts have no arrows): the largest square in r. */
enum ui_icon {
	UI_ICON_BACK = 0,     /* arrow to the start side: mirrored in RTL */
	UI_ICON_NEXT,         /* arrow to the end side */
	UI_ICON_BACKSPACE,    /* a key: erase to the left, never mirrored (it erases the last typed) */
	UI_ICON_SHIFT,
	UI_ICON_UP, UI_ICON_DOWN,
	UI_ICON_LARGE_TEXT,   /* a large and a small letter A: the larger text switch */
	UI_ICON_CONTRAST,     /* a circle half dark: the high contrast switch */
	UI_ICON_EYE,          /* an eye: show what is masked (a code, a PIN) */
	UI_ICON_COUNT
};
void ui_icon(ui_ctx *ctx, ui_rect r, int icon, ui_color c);

enum { UI_ALIGN_START = 0, UI_ALIGN_CENTER = 1, UI_ALIGN_END = 2 };
/* UI_TEXT_NOWRAP: one line, cut with an ellipsis when wider than the box.
 * UI_TEXT_CLAMP: wrapped, but no more lines than the box holds, the last one ending with an
 * ellipsis when text was left out (a table cell, the start of a long text).
 * UI_TEXT_DATA: the text is data (UI_LANG_DATA), whatever ui_ctx.lang says. */
enum { UI_TEXT_VCENTER = 0x10, UI_TEXT_NOWRAP = 0x20, UI_TEXT_AUTO = 0x40, UI_TEXT_BOLD = 0x80,
       UI_TEXT_CLAMP = 0x100, UI_TEXT_DATA = 0x200 };
#define UI_ELLIPSIS "\xe2\x80\xa6"


/* Width of s in the base direction of the layout. */
int ui_measure(ui_ctx *ctx, const char *s, int font, int size);
int ui_line_height(ui_ctx *ctx, int font, int size);
/* Breaks s into lines no wider than w (at spaces; a word too long is cut at a code
 * point). Writes up to max line starts and lengths; returns the number of lines. */
int ui_wrap(ui_ctx *ctx, const char *s, int font, int size, int dir, int w,
            int *starts, int *lens, int max);
/* The longest start of s[0..len) that fits w with an ellipsis after it (cut at a code
 * point); its length in bytes, or len itself when the whole fits without one. */
int ui_fit(ui_ctx *ctx, const char *s, int len, int font, int size, int dir, int w);
/* A paragraph wrapped into r, aligned (UI_ALIGN_*) with flags (UI_TEXT_*); returns the
 * height used. START is the right edge in RTL. */
int ui_text(ui_ctx *ctx, ui_rect r, const char *s, int size, ui_color c, int flags);

/* ---- widgets ---- */
enum { UI_BTN_NORMAL = 0, UI_BTN_PRIMARY, UI_BTN_SELECTED, UI_BTN_QUIET };

/* The interaction of a widget at r without drawing: UI_RES_CLICK on release over it
 * after a press on it. *state (may be NULL) gets 1 while pressed. */
int ui_hit(ui_ctx *ctx, ui_id id, ui_rect r, int *state);
/* A button with a centred label (wrapped when needed). */
int ui_button(ui_ctx *ctx, ui_id id, ui_rect r, const char *label, int style);
/* A check box with its label: toggles *value on a click, returns UI_RES_CHANGE. */
int ui_checkbox(ui_ctx *ctx, ui_id id, ui_rect r, const char *label, int *value);
/* The height a check box of width w needs for its label (a touch target at least). */
int ui_checkbox_height(ui_ctx *ctx, int w, const char *label);
/* The height of s wrapped at width w (ui_text's result, without drawing). */
int ui_text_height(ui_ctx *ctx, int w, const char *s, int size, int flags);

/* ---- text fields (ui_field.c) ---- */
enum ui_field_kind {
	UI_FIELD_TEXT = 0,    /* anything printable */
	UI_FIELD_DIGITS,      /* 0-9 in any of the three digit sets */
	UI_FIELD_PHONE,       /* digits, + and spaces */
	UI_FIELD_ID,          /* Latin letters (folded to upper case) and digits */
};

/* Editing state over a caller-owned buffer (the caller wipes it with ui_field_wipe). */
typedef struct ui_field {
	char *buf;
	int cap;              /* bytes in buf, NUL included */
	int len, cur;         /* bytes used, caret as a byte offset on a code point boundary */
	int max_chars;        /* code points; 0 = up to cap */
	int kind;             /* enum ui_field_kind */
	int multiline;
	int masked;           /* one line shown as a bullet per character (codes, PINs) */
} ui_field;

void ui_field_init(ui_field *f, char *buf, int cap, int max_chars, int kind);
/* Replaces the content (cut to the limits), caret at the end. */
void ui_field_set(ui_field *f, const char *s);
/* Inserts UTF-8 at the caret, code point by code point; characters the kind refuses or
 * that would pass the limit are dropped. Returns UI_RES_CHANGE, UI_RES_REFUSED or both. */
int ui_field_insert(ui_field *f, const char *s);
/* Backspace removes the code point before the caret (a vowel mark typed last goes
 * first, as Arabic keyboards do); delete removes the grapheme after it. */
int ui_field_backspace(ui_field *f);
int ui_field_delete(ui_field *f);
/* Moves by grapheme (a base letter and its combining marks). Arrow keys are visual: in a
 * right-to-left field the left arrow moves forward. Returns UI_RES_CHANGE if it moved. */
int ui_field_key(ui_field *f, int key, int rtl);
int ui_field_chars(const ui_field *f);
/* Zeroes the whole buffer (memset of cap bytes) and the state. */
void ui_field_wipe(ui_field *f);
/* 1 if the text starts (first strong character) right-to-left; else 0. */
int ui_text_is_rtl(const char *s, int len);

/* A text box: draws f (wrapped when multiline), takes focus on a tap, consumes this
 * frame's typed text and keys while focused. Returns UI_RES_* bits. */
int ui_textbox(ui_ctx *ctx, ui_id id, ui_rect r, ui_field *f, const char *placeholder);

/* ---- keypads and keyboards (ui_kbd.c) ---- */
/* Special keys in layout tables. */
#define UI_K_BACK "\x01"
#define UI_K_SPACE "\x02"
#define UI_K_SHIFT "\x03"
#define UI_K_ENTER "\x04"

typedef struct ui_kbd_layout {
	const char *name;        /* "ar", "zgh", "fr" */
	int rows;
	const char *const *keys[2][6];  /* [shift][row] -> NULL-terminated key strings */
	int rtl;                 /* the script is written right to left */
	int bare;                /* no shift and space row (an ID number: capitals only) */
} ui_kbd_layout;

/* ui_kbd_id: the capitals A-Z on AZERTY positions, no shift, no space (ID numbers). */
extern const ui_kbd_layout ui_kbd_arabic, ui_kbd_tifinagh, ui_kbd_azerty, ui_kbd_id;

/* A numeric keypad 1-9, backspace, 0, OK; in that order in every language (telephone
 * layout). Edits f; returns UI_RES_CHANGE, UI_RES_SUBMIT (OK), UI_RES_REFUSED. */
int ui_keypad(ui_ctx *ctx, ui_id id, ui_rect r, ui_field *f, const char *ok_label);
/* The keypad with a fourth column: the keys of extra (NULL-terminated, typed as they are:
 * "@", ".", "+") and, when switch_label is set, a last key with that label that returns
 * UI_RES_SWITCH (the caller shows a letters keyboard instead). */
int ui_keypad_ex(ui_ctx *ctx, ui_id id, ui_rect r, ui_field *f, const char *ok_label,
                 const char *const *extra, const char *switch_label);
/* An on-screen keyboard: keys from the layout (the shift state in *shift), edits f.
 * Returns UI_RES_* bits. */
int ui_keyboard(ui_ctx *ctx, ui_id id, ui_rect r, const ui_kbd_layout *l, int *shift,
                ui_field *f);

/* ---- keypad focus (ui_focus.c) ---- */
/* Names the control of the next ui_hit (a widget with no text of its own, or a better
 * name than its label). name is copied when the control is recorded; msgid must be
 * static. ui_button and ui_checkbox call it with their label unless the caller did. */
void ui_label_next(ui_ctx *ctx, int role, const char *name, const char *msgid);
/* Records a text that describes the screen (enum ui_desc); the last one of a kind wins. */
void ui_describe(ui_ctx *ctx, int what, const char *text);
const char *ui_desc_text(const ui_ctx *ctx, int what);   /* NULL when not declared */
/* Called by ui_hit: records the control and, when it has keypad focus and Enter (or
 * Escape for a BACK control) was pressed, returns UI_RES_CLICK and consumes the key. */
int ui_focus_hit(ui_ctx *ctx, ui_id id, ui_rect r);
/* Reading order of this frame's controls: rows from the top, and in a row from the
 * start side (right to left when ctx->rtl). Fills idx with indexes into ctx->nav;
 * returns the count. */
int ui_focus_order(const ui_ctx *ctx, int *idx);
/* Moves the keypad focus for this frame's key (Tab/Down next, Shift-Tab/Up previous,
 * Left/Right by the screen's direction, F1 help), draws the focus ring. ui_end calls it. */
void ui_focus_end(ui_ctx *ctx);
/* The control with keypad focus this frame, or NULL. */
const ui_nav *ui_focused(const ui_ctx *ctx);
const char *ui_nav_name(const ui_ctx *ctx, const ui_nav *n);   /* "" when none */

/* ---- scrolling list with a search filter (ui_list.c) ---- */
typedef struct ui_list {
	int top;     /* first visible item among the matching ones */
} ui_list;

/* 1 if item matches filter: case, Latin accents, Arabic hamza forms, taa marbuta and
 * alef maqsura are folded on both sides, then substring. "" matches everything. */
int ui_match(const char *item, const char *filter);
/* Shows the items matching filter as rows of height row_h with page buttons; returns
 * the index (into items) of a tapped row, or -1. */
int ui_listbox(ui_ctx *ctx, ui_id id, ui_rect r, ui_list *st, const char *const *items,
               int n, const char *filter, int row_h, const char *empty_label);

/* ---- the layout check (ui_lint.c) ---- */
enum ui_script { UI_SCRIPT_NONE = 0, UI_SCRIPT_ARABIC, UI_SCRIPT_TIFINAGH, UI_SCRIPT_LATIN };
#define UI_LINT_LANGS 8

typedef struct ui_lint_rules {
	int min_target;                       /* smallest control side, px */
	int script[UI_LINT_LANGS];            /* enum ui_script of each language tag */
	const char *lang_name[UI_LINT_LANGS]; /* for the messages */
	/* each finding: kind ("outside-box", "cut", "overlap", "small-target", "offscreen",
	 * "untranslated", "language") and what and where */
	void (*report)(void *arg, const char *kind, const char *msg);
	void *arg;
} ui_lint_rules;
/* Checks the frame just built in ctx; returns the number of findings. */
int ui_lint(const ui_ctx *ctx, const ui_lint_rules *rl);

#endif
