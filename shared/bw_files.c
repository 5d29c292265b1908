/* bw_files.c: private files and directories (umask 077, 0600, 0700). */
#include "bw_files.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void bw_files_private(void)
{
	umask(077);
}

int bw_file_private(const char *path, bw_err *e)
{
	/* O_NOFOLLOW: a symlink planted where the database goes is refused, not followed */
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	struct stat st;
	if (fd < 0)
		return bw_fail(e, BW_EIO, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0) {
		int err = errno;
		close(fd);
		return bw_fail(e, BW_EIO, "%s: %s", path, strerror(err));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return bw_fail(e, BW_EINVAL, "%s: not a regular file", path);
	}
	if ((st.st_mode & 077) && fchmod(fd, st.st_mode & 0700) != 0) {
		int err = errno;
		close(fd);
		return bw_fail(e, BW_EIO, "%s: cannot make it private: %s", path, strerror(err));
	}
	close(fd);
	return BW_OK;
}

int bw_dir_private(const char *path, bw_err *e)
{
	struct stat st;
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return bw_fail(e, BW_EIO, "%s: %s", path, strerror(errno));
	if (lstat(path, &st) != 0)
		return bw_fail(e, BW_EIO, "%s: %s", path, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return bw_fail(e, BW_EINVAL, "%s: not a directory", path);
	if ((st.st_mode & 077) && chmod(path, st.st_mode & 0700) != 0)
		return bw_fail(e, BW_EIO, "%s: cannot make it private: %s", path, strerror(errno));
	return BW_OK;
}
