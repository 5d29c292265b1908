/* bw_signal.h: a daemon's signal set-up in one call: the given signals run a handler that
 * only sets a flag (no SA_RESTART, so a poll() in the loop returns at once with EINTR and
 * the loop sees the flag), and SIGPIPE is ignored (a peer that went away is an error
 * return from write, not the end of the program). */
#ifndef BW_SIGNAL_H
#define BW_SIGNAL_H

/* Installs handler for each of the n signals in sigs, then ignores SIGPIPE. */
void bw_signal_flags(void (*handler)(int), const int *sigs, int n);

#endif
