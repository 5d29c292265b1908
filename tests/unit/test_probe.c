/* test_probe.c: the non-blocking TCP probe of the broker, against real sockets. */
#include <check.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bw_probe.h"
#include "fixture.h"

/* A listening socket on a free loopback port; returns its fd and sets *port. */
static int listener(int *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	ck_assert_int_eq(listen(fd, 4), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

/* Runs a probe to its end; returns bw_probe_check's last code. */
static int run(bw_probe *p, int64_t now)
{
	int rc = BW_EAGAIN;
	for (int i = 0; i < 100 && p->fd >= 0 && rc == BW_EAGAIN; i++) {
		struct pollfd f = { p->fd, POLLOUT, 0 };
		poll(&f, 1, 50);
		rc = bw_probe_check(p, f.revents, now, NULL);
	}
	return p->fd < 0 && rc == BW_EAGAIN ? BW_OK : rc;
}

START_TEST(broker_answers)
{
	int port, l = listener(&port);
	bw_probe p;
	bw_probe_init(&p);
	ck_assert_int_eq(bw_probe_start(&p, "127.0.0.1", port, 0, NULL), BW_OK);
	ck_assert_int_eq(run(&p, 0), BW_OK);
	ck_assert_int_eq(p.fd, -1);
	close(l);
}
END_TEST

START_TEST(nobody_listens)
{
	int port, l = listener(&port);
	close(l);   /* the port is free again: a connection is refused */
	bw_probe p;
	bw_err e;
	bw_probe_init(&p);
	int rc = bw_probe_start(&p, "127.0.0.1", port, 0, &e);
	if (rc == BW_OK) {
		struct pollfd f = { p.fd, POLLOUT, 0 };
		poll(&f, 1, 1000);
		rc = bw_probe_check(&p, f.revents, 0, &e);
	}
	ck_assert_int_eq(rc, BW_EIO);
	ck_assert_ptr_nonnull(strstr(e.msg, "refused"));
	ck_assert_int_eq(p.fd, -1);
}
END_TEST

START_TEST(silence_times_out)
{
	int port, l = listener(&port);
	bw_probe p;
	bw_err e;
	bw_probe_init(&p);
	ck_assert_int_eq(bw_probe_start(&p, "127.0.0.1", port, 1000, &e), BW_OK);
	if (p.fd >= 0) {
		/* no poll result yet: still connecting before the time-out, failed after it */
		ck_assert_int_eq(bw_probe_check(&p, 0, 1000 + BW_PROBE_TIMEOUT_MS - 1, &e), BW_EAGAIN);
		ck_assert_int_eq(bw_probe_check(&p, 0, 1000 + BW_PROBE_TIMEOUT_MS, &e), BW_EIO);
		ck_assert_ptr_nonnull(strstr(e.msg, "timed out"));
		ck_assert_int_eq(p.fd, -1);
	}
	close(l);
}
END_TEST

FX_SUITE(probe, "core", NULL, NULL,
		broker_answers, nobody_listens, silence_times_out)
