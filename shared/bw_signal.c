/* bw_signal.c: a daemon's signal set-up (flags set by handlers, SIGPIPE ignored). */
#include "bw_signal.h"

#include <signal.h>
#include <stddef.h>

void bw_signal_flags(void (*handler)(int), const int *sigs, int n)
{
	struct sigaction sa = { .sa_handler = handler };   /* sa_flags 0: no SA_RESTART */
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < n; i++)
		sigaction(sigs[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}
