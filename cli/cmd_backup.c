/* cmd_backup.c: `bawaba backup FILE`, an online copy of the hub database with SQLite's
 * backup API while the hub runs: one read transaction, so the copy is the database as of
 * one commit (WAL lets the hub keep committing meanwhile), checked, synced and renamed
 * into place so FILE is either absent or a whole, checked database. */
#include <errno.h>
#include <fcntl.h>
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
	bw_err e;
	int rc = bw_store_backup(c->db_path, tmp, &pages, &e);
	umask(old);
	if (rc) {
		unlink(tmp);
		return cli_die("backup: %s", e.msg);
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
