/* cmd_backup.c: `bawaba backup FILE`, an online copy of the hub database with SQLite's
 * backup API while the hub runs: one read transaction, so the copy is the database as of
 * one commit (WAL lets the hub keep committing meanwhile), checked, synced and renamed
 * into place so FILE is either absent or a whole, checked database. */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* fsync of path (a file, or the directory holding a rename) */
static int sync_path(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

/* Copies the database at src into tmp; the copy is left in rollback-journal mode so it
 * is one self-contained file. Returns 0 or prints why and returns 1. */
static int copy_db(const char *src, const char *tmp, long *pages)
{
	sqlite3 *from = NULL, *to = NULL;
	int rc = 1;
	if (sqlite3_open_v2(src, &from, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		cli_die("backup: %s: %s", src, sqlite3_errmsg(from));
		goto out;
	}
	sqlite3_busy_timeout(from, 5000);
	if (sqlite3_open_v2(tmp, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		cli_die("backup: %s: %s", tmp, sqlite3_errmsg(to));
		goto out;
	}
	sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
	if (!b) {
		cli_die("backup: %s", sqlite3_errmsg(to));
		goto out;
	}
	/* all pages in one step: one read transaction, one consistent snapshot (a copy made
	 * in several steps would restart each time the hub commits) */
	int s;
	while ((s = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || s == SQLITE_LOCKED)
		sqlite3_sleep(50);
	*pages = sqlite3_backup_pagecount(b);
	sqlite3_backup_finish(b);
	if (s != SQLITE_DONE) {
		cli_die("backup: %s", sqlite3_errstr(s));
		goto out;
	}
	sqlite3_stmt *st = NULL;
	int ok = sqlite3_exec(to, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) == SQLITE_OK &&
		sqlite3_prepare_v2(to, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
		sqlite3_step(st) == SQLITE_ROW &&
		strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
	sqlite3_finalize(st);
	if (!ok) {
		cli_die("backup: the copy in %s fails SQLite's integrity check", tmp);
		goto out;
	}
	rc = 0;
out:
	sqlite3_close(to);
	sqlite3_close(from);
	return rc;
}

int cmd_backup(cli *c, int argc, char **argv)
{
	if (argc != 2)
		return cli_usage("backup", "FILE");
	const char *dest = argv[1];
	char tmp[4096], dir[4096];
	if (access(dest, F_OK) == 0)
		return cli_die("backup: %s exists; give a new file name", dest);
	if (access(c->db_path, R_OK) != 0)
		return cli_die("backup: %s: %s", c->db_path, strerror(errno));
	if (snprintf(tmp, sizeof tmp, "%s.part", dest) >= (int)sizeof tmp)
		return cli_die("backup: %s: name too long", dest);
	unlink(tmp);   /* a .part left by an interrupted backup */
	mode_t old = umask(077);   /* citizens' requests: readable by the operator only */
	long pages = 0;
	int rc = copy_db(c->db_path, tmp, &pages);
	umask(old);
	if (rc) {
		unlink(tmp);
		return rc;
	}
	bw_strlcpy(dir, dest, sizeof dir);
	char *slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	else
		strcpy(dir, ".");
	if (sync_path(tmp, O_RDONLY) != 0 || rename(tmp, dest) != 0 ||
			sync_path(dir, O_RDONLY | O_DIRECTORY) != 0) {
		int err = errno;
		unlink(tmp);
		return cli_die("backup: %s: %s", dest, strerror(err));
	}
	struct stat st;
	stat(dest, &st);
	printf("backup of %s in %s: %ld pages, %lld bytes, integrity ok\n", c->db_path, dest, pages,
	       (long long)st.st_size);
	return 0;
}
