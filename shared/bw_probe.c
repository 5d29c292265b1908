/* bw_probe.c: the non-blocking TCP probe that comes before each MQTT connection. */
#include "bw_probe.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

void bw_probe_init(bw_probe *p)
{
	p->fd = -1;
	p->until_ms = 0;
}

void bw_probe_close(bw_probe *p)
{
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
}

int bw_probe_start(bw_probe *p, const char *host, int port, int64_t now_ms, bw_err *e)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICHOST }, *ai = NULL;
	char sport[8];
	bw_probe_close(p);
	snprintf(sport, sizeof sport, "%d", port);
	/* a name instead of an address costs a (blocking) resolver call: configs use addresses */
	if (getaddrinfo(host, sport, &hints, &ai) != 0) {
		hints.ai_flags = 0;
		int g = getaddrinfo(host, sport, &hints, &ai);
		if (g != 0)
			return bw_fail(e, BW_EIO, "%s: %s", host, gai_strerror(g));
	}
	int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int rc = fd < 0 ? -1 : connect(fd, ai->ai_addr, ai->ai_addrlen);
	int err = errno;
	freeaddrinfo(ai);
	if (fd >= 0 && rc == 0) {
		close(fd);
		return BW_OK;
	}
	if (fd >= 0 && err == EINPROGRESS) {
		p->fd = fd;
		p->until_ms = now_ms + BW_PROBE_TIMEOUT_MS;
		return BW_OK;
	}
	if (fd >= 0)
		close(fd);
	return bw_fail(e, BW_EIO, "%s", strerror(err));
}

int bw_probe_check(bw_probe *p, short revents, int64_t now_ms, bw_err *e)
{
	int err = 0;
	socklen_t len = sizeof err;
	if (!(revents & (POLLOUT | POLLERR | POLLHUP))) {
		if (now_ms < p->until_ms)
			return BW_EAGAIN;
		err = ETIMEDOUT;
	} else if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) {
		err = errno;
	}
	bw_probe_close(p);
	return err ? bw_fail(e, BW_EIO, "%s", strerror(err)) : BW_OK;
}
