/* bw_files.h: files that hold personal data are private: 0600 files in 0700 directories,
 * whatever umask or modes a program inherits. */
#ifndef BW_FILES_H
#define BW_FILES_H

#include "bw_err.h"

/* Sets the process umask to 077, so every file the program creates afterwards (its
 * database's -wal and -shm, logs, exports, device files) is private. Every program calls
 * it first thing: a service manager, a shell or an installer may hand it 022. */
void bw_files_private(void);

/* Makes path a private file: creates it empty with mode 0600 if missing, and takes away
 * group and other rights from an existing one (a database made by an older version).
 * BW_EIO with the path and errno's text when it cannot. */
int bw_file_private(const char *path, bw_err *e);

/* Makes path a private directory: creates it (not its parents) with mode 0700 if
 * missing, and takes away group and other rights from an existing one. BW_EIO as above;
 * BW_EINVAL if path exists and is not a directory. */
int bw_dir_private(const char *path, bw_err *e);

#endif
