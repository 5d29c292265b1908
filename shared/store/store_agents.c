/* store_agents.c: the reception agents in the SQLite store: one by id, all (or the
 * active ones) for the hub's live pushes and the CLI, registration. */
#include <string.h>

#include "store_int.h"

#define AGENT_COLS "id, name, site, admin, active"
static const char sql_agent[] = "SELECT " AGENT_COLS " FROM agents WHERE id = ?1";
static const char sql_agents[] = "SELECT " AGENT_COLS " FROM agents ORDER BY site, id";
static const char sql_agents_active[] = "SELECT " AGENT_COLS " FROM agents WHERE active = ?1 ORDER BY site, id";

static void row_agent(sqlite3_stmt *st, bw_agent *a)
{
	memset(a, 0, sizeof *a);
	store_col_text(st, 0, a->id, sizeof a->id);
	store_col_text(st, 1, a->name, sizeof a->name);
	store_col_text(st, 2, a->site, sizeof a->site);
	store_col_text(st, 3, a->admin, sizeof a->admin);
	a->active = sqlite3_column_int(st, 4);
}

int bw_store_agent_get(bw_store *s, const char *id, bw_agent *out, bw_err *e)
{
	sqlite3_stmt *st = store_cached(s, sql_agent, e);
	int rc;
	if (!st)
		return BW_EDB;
	store_bind_text(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_agent(st, out);
		rc = BW_OK;
	} else {
		rc = rc == SQLITE_DONE ? bw_fail(e, BW_ENOTFOUND, "agent %.40s: not registered", id)
				       : store_fail(s, e, "agents");
	}
	sqlite3_reset(st);
	return rc;
}

/* the walk's caller's callback */
struct agent_walk {
	int (*cb)(const bw_agent *, void *);
	void *arg;
};

static int agent_row(sqlite3_stmt *st, void *ctx)
{
	struct agent_walk *w = ctx;
	bw_agent a;
	row_agent(st, &a);
	return w->cb(&a, w->arg);
}

int bw_store_agents(bw_store *s, int active_only, int (*cb)(const bw_agent *, void *), void *arg,
                    bw_err *e)
{
	struct agent_walk w = { cb, arg };
	sqlite3_stmt *st;
	if (store_prepare(s, active_only ? sql_agents_active : sql_agents, &st, "agents", e))
		return BW_EDB;
	if (active_only)
		sqlite3_bind_int(st, 1, 1);
	return store_walk(s, st, "agents", agent_row, &w, e);
}

static const char sql_add[] = "INSERT INTO agents (id, name, site, admin, active, created_at) "
			      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char sql_put[] = "INSERT OR REPLACE INTO agents (id, name, site, admin, active, created_at) "
			      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

int bw_store_agent_put(bw_store *s, const bw_agent *a, int replace, int64_t now, bw_err *e)
{
	sqlite3_stmt *st = store_cached(s, replace ? sql_put : sql_add, e);
	if (!st)
		return BW_EDB;
	store_bind_text(st, 1, a->id);
	store_bind_text(st, 2, a->name[0] || strlen(a->id) < 6 ? a->name : a->id + 6);
	store_bind_text(st, 3, a->site);
	store_bind_text(st, 4, a->admin);
	sqlite3_bind_int(st, 5, a->active);
	sqlite3_bind_int64(st, 6, now);
	int step = sqlite3_step(st);
	sqlite3_reset(st);
	if (step == SQLITE_CONSTRAINT_PRIMARYKEY || step == SQLITE_CONSTRAINT)
		return bw_fail(e, BW_EEXIST, "agent %s: already registered", a->id);
	return step == SQLITE_DONE ? BW_OK : store_fail(s, e, "agents");
}
