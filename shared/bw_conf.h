/* bw_conf.h: the one INI configuration format of every bawaba program, described by a
 * table of keys (name, type, where it goes, bounds, default, one line of doc). */
#ifndef BW_CONF_H
#define BW_CONF_H

#include <stddef.h>
#include <stdio.h>

#include "bw_err.h"

/* Longest line of a configuration file, newline excluded. */
#define BW_CONF_LINE_MAX 1024

enum bw_conf_type {
	BW_CONF_STR,    /* char array; size_or_min is its size (the macro takes sizeof) */
	BW_CONF_PATH,   /* same as STR; says "path" in the printed config. Relative paths are
	                 * kept as written (relative to the program's working directory). */
	BW_CONF_INT,    /* int in [size_or_min, max]; both 0 means any int */
	BW_CONF_BOOL,   /* int set to 0 or 1 from true/false, yes/no, on/off, 1/0 */
	BW_CONF_MULTI,  /* not a key: declares `section` repeatable, see section_cb */
};

/* Called for each header [section NAME] of a repeatable section, e.g. [modem sim1]:
 * starts a new item in settings (the program decides where: an array slot, a list node)
 * and returns its address in *item. The keys of that section are then written at their
 * offset from *item, after their defaults are applied there. *item must stay valid until
 * the next call. Returns BW_OK, or a BW_E* code with e filled ("too many modems (at
 * most 4)"); the loader prefixes the file and line. */
typedef int (*bw_conf_section_fn)(const char *section, const char *name, void *settings,
                                  void **item, bw_err *e);

/* One row of a program's table. The table ends with a row whose section is NULL
 * (BW_CONF_END). section "" holds keys written before any [section] header. */
typedef struct bw_conf_key {
	const char *section;
	const char *name;             /* NULL for a BW_CONF_MULTI row */
	enum bw_conf_type type;
	size_t offset;                /* in the settings struct, or in the item struct for
	                               * the keys of a repeatable section */
	long long size_or_min;        /* STR/PATH: buffer size; INT: minimum */
	long long max;                /* INT: maximum */
	const char *def;              /* default as it would be written in the file; NULL
	                               * means "" for strings and 0 / false otherwise */
	const char *doc;              /* one line, printed above the key */
	bw_conf_section_fn section_cb; /* BW_CONF_MULTI only */
} bw_conf_key;

/* Row builders: they take the struct type and member so the offset and buffer size are
 * computed, never typed by hand, and they refuse at compile time a string member that is
 * a pointer rather than an array, or an int key whose member is not an int. */
#define BW_CONF__ARRAY(x) (0 * sizeof(char[1 - 2 * __builtin_types_compatible_p( \
	__typeof__(x), __typeof__(&(x)[0]))]))
#define BW_CONF__INT(st, m) (0 * sizeof(&((st *)0)->m == (int *)0))
#define BW_CONF_S(sec, key, st, m, def, doc) \
	{ (sec), (key), BW_CONF_STR, offsetof(st, m) + BW_CONF__ARRAY(((st *)0)->m), \
	  (long long)sizeof(((st *)0)->m), 0, (def), (doc), NULL }
#define BW_CONF_P(sec, key, st, m, def, doc) \
	{ (sec), (key), BW_CONF_PATH, offsetof(st, m) + BW_CONF__ARRAY(((st *)0)->m), \
	  (long long)sizeof(((st *)0)->m), 0, (def), (doc), NULL }
#define BW_CONF_I(sec, key, st, m, min, max, def, doc) \
	{ (sec), (key), BW_CONF_INT, offsetof(st, m) + BW_CONF__INT(st, m), (min), (max), \
	  (def), (doc), NULL }
#define BW_CONF_B(sec, key, st, m, def, doc) \
	{ (sec), (key), BW_CONF_BOOL, offsetof(st, m) + BW_CONF__INT(st, m), 0, 1, (def), \
	  (doc), NULL }
#define BW_CONF_SECTION(sec, cb, doc) \
	{ (sec), NULL, BW_CONF_MULTI, 0, 0, 0, NULL, (doc), (cb) }
#define BW_CONF_END { 0 }

/* Sets every key outside repeatable sections to its default. Returns BW_OK, or
 * BW_EINVAL/BW_ETOOBIG if a default in the table does not parse or fit (a programming
 * error: "default of [hub] port: 70000 out of range (1..65535)"). */
int bw_conf_defaults(const bw_conf_key *keys, void *settings, bw_err *e);

/* Applies the defaults, then the file at path, line by line:
 *   # or ; starts a comment line; in an unquoted value, # or ; after white space starts
 *   a comment too. [section] or [section NAME] (NAME may be "quoted") opens a section;
 *   name = value sets a key; white space around names and values is trimmed; a value
 *   may be wrapped in double quotes (no escapes inside) to keep white space, # or ;.
 *   A UTF-8 byte order mark and CR line ends are tolerated.
 * Each header and each key may appear once (per item for repeatable sections).
 * Returns BW_OK; BW_ENOTFOUND if the file does not exist and BW_EIO if it cannot be
 * read ("path: reason"); BW_EINVAL for a syntax error, unknown section or key, bad or
 * out-of-range value, duplicate; BW_ETOOBIG for a line longer than BW_CONF_LINE_MAX or a
 * string too long for its buffer; or what a section callback returned. Messages read
 * "path:line: what is wrong: the offending text".
 * Settings semantics: everything is reset to its default first, so a key absent from
 * the file has its default whatever settings held before. A value that fails is never
 * written: its key keeps the default. On failure the lines before the error have been
 * applied and the rest not; callers stop, or, when reloading, load into a scratch copy
 * and keep the old settings unless it succeeds. */
int bw_conf_load(const char *path, const bw_conf_key *keys, void *settings, bw_err *e);

/* Sets one key outside repeatable sections from text, as a file line would (for
 * command-line overrides like -o hub.port=1884). BW_ENOTFOUND for an unknown key,
 * BW_EINVAL/BW_ETOOBIG for a bad value ("[hub] port = 0: out of range (1..65535)"). */
int bw_conf_set(const bw_conf_key *keys, void *settings, const char *section,
                const char *name, const char *value, bw_err *e);

/* Writes an annotated configuration to fp: every section and key with its doc line,
 * type, bounds and default. Loading the output gives the defaults; repeatable sections
 * are printed commented out, as a template. */
void bw_conf_print(const bw_conf_key *keys, FILE *fp);

#endif
