/* fixture.h: what the unit tests share to set themselves up and clean up: a scratch store
 * file (created, opened, optionally seeded, removed with its -wal and -shm), a scratch
 * directory, a text measurer for layouts without fonts, and a suite's test case built
 * from a list of tests. Every helper fails the running test (a Check assertion) on any
 * error, so callers do not check returns. */
#ifndef BW_TEST_FIXTURE_H
#define BW_TEST_FIXTURE_H

#include <check.h>

#include "bw_store.h"

/* Room for any path these helpers write: /tmp/bw-test-<tag>-XXXXXX plus a file name. */
#define FX_PATH 96

/* Creates a new empty file /tmp/bw-test-<tag>-XXXXXX, its name in path. */
void fx_file(char path[FX_PATH], const char *tag);

/* Creates a new file as fx_file does and opens a store on it (migrated to the current
 * schema); with seed set, loads the shipped seed (catalogue, holidays) as well. */
bw_store *fx_store(char path[FX_PATH], const char *tag, int seed);

/* Closes st (when not NULL) and removes the database file path with its -wal and -shm. */
void fx_store_remove(bw_store *st, const char *path);

/* Creates a new directory /tmp/bw-test-<tag>-XXXXXX, its name in dir. */
void fx_dir(char dir[FX_PATH], const char *tag);

/* Removes the directory dir and all it holds. */
void fx_dir_remove(const char *dir);

/* Fills r as device number 5 of st's site files a request: a new uid, the store's next
 * reference for that device, kind, channel, admin, site, device, text, received at `at`
 * on the legal day `on` (YYYY-MM-DD). The caller sets what else it needs and inserts it. */
void fx_request(bw_store *st, bw_request *r, int kind, int channel, const char *admin, const char *site,
		const char *device, const char *text, int64_t at, const char *on);

/* Checks the error message msg of bad JSON payload number i: it says where (json: ... at
 * line 1, column N) and quotes nothing of the payload (the test payloads hold the personal
 * data "Fatima" and "AB123456"; jansson's "near '...'" would quote them). */
void fx_json_error_quotes_nothing(const char *msg, size_t i);

/* The integer in the first column of the first row of sql run on st (-1 for no row). */
int fx_count(bw_store *st, const char *sql);

/* A measurer for layouts without fonts (ui_text_ops' width and height): every code point
 * is size/2 pixels wide, a line is 1.5 x size high. */
int fx_text_width(void *arg, int font, int size, int dir, const char *s, int len);
int fx_text_height(void *arg, int font, int size);

/* Adds to s a test case named name with the checked fixture setup and teardown (both may be
 * NULL) and the tests that follow, in order, up to a NULL. Returns the test case, for loop
 * tests and a timeout. */
TCase *fx_case(Suite *s, const char *name, SFun setup, SFun teardown, ...);

/* Defines suite_<name>(), the entry point main.c calls, for a suite of one test case
 * named tcase with the checked fixture setup and teardown (or NULL) and the tests listed.
 * A suite with several test cases, loop tests or a timeout writes its own with fx_case. */
#define FX_SUITE(name, tcase, setup, teardown, ...) \
	Suite *suite_##name(void) \
	{ \
		Suite *s = suite_create(#name); \
		fx_case(s, tcase, setup, teardown, __VA_ARGS__, NULL); \
		return s; \
	}

#endif
