/* bw_embed.h: the SQL compiled into the library (generated from db/ by scripts/embed-sql.sh). */
#ifndef BW_EMBED_H
#define BW_EMBED_H

struct bw_sql {
	int version;        /* migration number (0 for seeds) */
	const char *name;   /* file name without .sql */
	const char *sql;
};

/* Both arrays end with an entry whose name is NULL; migrations are in ascending order. */
extern const struct bw_sql bw_migrations[];
extern const struct bw_sql bw_seeds[];

#endif
