/* layout.h: the layout check's driver (tests/layout): every state of every kiosk and agent
 * console screen, in each language, theme and screen size, built with the real fonts'
 * measures (an offscreen renderer, no display) and held to ui_lint's rules. */
#ifndef LAYOUT_H
#define LAYOUT_H

#include <stdio.h>

#include "ui/render.h"
#include "ui/ui.h"

typedef struct lay {
	kr *r;                        /* offscreen: measures text with the fonts drawn on screen */
	const char *locale_dir, *fonts_dir;
	const char *only;             /* run only states whose name holds this ("" = all) */
	char where[160];              /* the state being checked, for the messages */
	long states, findings;
	int printed, print_max;
	/* large mode never makes text smaller: sizes of each line in the normal theme */
	unsigned long long norm_hash[UI_MAX_CMDS];
	int norm_size[UI_MAX_CMDS], nnorm;
	FILE *log;                    /* every finding (stdout gets the first print_max) */
} lay;

/* The screen sizes every state is checked at. */
#define LAY_NSIZES 4
extern const int lay_sizes[LAY_NSIZES][2];

/* Checks the frame in ctx as state `where` (lints it, counts it). min_target: the size
 * floor of controls; script[]: the script of each language tag. */
void lay_check(lay *L, const ui_ctx *ctx, int min_target, const int *script, const char *const *names);
/* Large-mode comparison: remember the normal theme's sizes, or compare against them. */
void lay_remember_sizes(lay *L, const ui_ctx *ctx);
void lay_compare_sizes(lay *L, const ui_ctx *ctx);
/* A finding outside ui_lint (the driver's own rules). */
void lay_say(lay *L, const char *kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

int lay_kiosk(lay *L);
int lay_agent(lay *L);

#endif
