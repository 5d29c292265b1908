/* test_link.c: the one MQTT client (bw_link): its [broker] table, a broker nobody answers
 * for (state, reason, back-off), its limits and the user-property readers. The connected
 * life is exercised by the sync and console integration tests against a real broker. */
#include <check.h>
#include <mqtt_protocol.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bw_link.h"

typedef struct prog {
	bw_link_settings broker;
	int other;
} prog;

static const bw_conf_key keys[] = {
	BW_LINK_CONF(prog, broker, "hub", "the broker user"),
	BW_CONF_I("prog", "other", prog, other, 0, 10, "1", "something of the program's own"),
	BW_CONF_END,
};

static void write_file(char *path, const char *text)
{
	strcpy(path, "/tmp/bw-test-link-XXXXXX");
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

START_TEST(broker_table)
{
	prog p;
	char path[64];
	bw_err e;
	ck_assert_int_eq(bw_conf_defaults(keys, &p, &e), BW_OK);
	ck_assert_str_eq(p.broker.host, "127.0.0.1");
	ck_assert_int_eq(p.broker.port, 1883);
	ck_assert_str_eq(p.broker.username, "hub");
	write_file(path, "[broker]\nhost = 10.0.0.7\nport = 8883\nusername = k1\npassword = s3cret\n"
		   "cafile = /etc/ca.pem\n[prog]\nother = 3\n");
	ck_assert_int_eq(bw_conf_load(path, keys, &p, &e), BW_OK);
	ck_assert_str_eq(p.broker.host, "10.0.0.7");
	ck_assert_int_eq(p.broker.port, 8883);
	ck_assert_str_eq(p.broker.username, "k1");
	ck_assert_str_eq(p.broker.password, "s3cret");
	ck_assert_str_eq(p.broker.cafile, "/etc/ca.pem");
	ck_assert_int_eq(p.other, 3);
	unlink(path);
	/* a port out of range is refused where it is written */
	write_file(path, "[broker]\nport = 70000\n");
	ck_assert_int_eq(bw_conf_load(path, keys, &p, &e), BW_EINVAL);
	ck_assert_ptr_nonnull(strstr(e.msg, ":2:"));
	unlink(path);
}
END_TEST

struct seen {
	int calls, state;
	char why[128];
};

static void on_state(void *arg, int state, const char *why)
{
	struct seen *s = arg;
	s->calls++;
	s->state = state;
	snprintf(s->why, sizeof s->why, "%s", why);
}

/* A loopback port nobody listens on. */
static int free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	close(fd);
	return ntohs(a.sin_port);
}

START_TEST(nobody_answers)
{
	bw_link_settings s = { .host = "127.0.0.1", .port = free_port(), .username = "k1",
			       .password = "pw", .session_expiry = -1, .reconnect_min_ms = 400,
			       .reconnect_max_ms = 1000 };
	struct seen seen = { 0 };
	bw_link_callbacks cb = { .arg = &seen, .state = on_state };
	bw_link *l;
	bw_err e;
	ck_assert_int_eq(bw_link_new(&l, &s, &cb, NULL, &e), BW_OK);
	ck_assert_int_eq(bw_link_state(l), BW_LINK_CONNECTING);
	ck_assert_int_eq(bw_link_timeout_ms(l), 0);   /* the first attempt is due at once */
	for (int i = 0; i < 50 && seen.calls == 0; i++) {
		struct pollfd p = { bw_link_fd(l), POLLIN | (bw_link_want_write(l) ? POLLOUT : 0), 0 };
		poll(&p, p.fd >= 0, 100);
		bw_link_handle(l, p.fd >= 0 ? p.revents : 0);
	}
	/* one change, to lost, with the system's reason; nothing open; the next attempt after
	 * the first wait, jittered by at most a quarter */
	ck_assert_int_eq(seen.calls, 1);
	ck_assert_int_eq(seen.state, BW_LINK_LOST);
	ck_assert_msg(strstr(seen.why, "refused") != NULL, "why: %s", seen.why);
	ck_assert_int_eq(bw_link_online(l), 0);
	ck_assert_int_eq(bw_link_open(l), 0);
	ck_assert_int_eq(bw_link_fd(l), -1);
	int wait = bw_link_timeout_ms(l);
	ck_assert_msg(wait > 0 && wait <= 500, "wait %d", wait);
	ck_assert_int_eq(bw_link_get_stats(l)->losses, 1);
	ck_assert_int_eq(bw_link_get_stats(l)->connects, 0);
	/* nothing is queued while there is no connection */
	ck_assert_int_eq(bw_link_publish(l, NULL, "t", "x", 1, 0, NULL, &e), BW_EAGAIN);
	bw_link_free(l, 100);
}
END_TEST

START_TEST(limits)
{
	bw_link_settings s = { .host = "", .username = "k1" };
	bw_link *l;
	bw_err e;
	ck_assert_int_eq(bw_link_new(&l, &s, NULL, NULL, &e), BW_EINVAL);
	ck_assert_ptr_null(l);
	strcpy(s.host, "127.0.0.1");
	ck_assert_int_eq(bw_link_new(&l, &s, NULL, NULL, &e), BW_OK);
	for (int i = 0; i < BW_LINK_SUBS_MAX; i++)
		ck_assert_int_eq(bw_link_subscribe(l, "bawaba/v1/pub/#", &e), BW_OK);
	ck_assert_int_eq(bw_link_subscribe(l, "one/too/many", &e), BW_ETOOBIG);
	bw_link_free(l, 0);
	for (int i = 0; i < 1000; i++) {
		int64_t j = bw_link_jitter(1000);
		ck_assert_msg(j >= 750 && j < 1251, "jitter %lld", (long long)j);
	}
}
END_TEST

START_TEST(user_properties)
{
	mosquitto_property *props = NULL;
	char out[16];
	int64_t v;
	ck_assert_int_eq(mosquitto_property_add_string_pair(&props, MQTT_PROP_USER_PROPERTY, "prev", "41"), 0);
	ck_assert_int_eq(mosquitto_property_add_string_pair(&props, MQTT_PROP_USER_PROPERTY, "event-id", "42"), 0);
	ck_assert_int_eq(mosquitto_property_add_string_pair(&props, MQTT_PROP_USER_PROPERTY, "deadline", "2027-01-05"), 0);
	ck_assert_int_eq(mosquitto_property_add_string_pair(&props, MQTT_PROP_USER_PROPERTY, "bad", "4x"), 0);
	ck_assert_int_eq(bw_link_prop_int(props, "event-id", &v), 1);
	ck_assert_int_eq(v, 42);
	ck_assert_int_eq(bw_link_prop_int(props, "prev", &v), 1);
	ck_assert_int_eq(v, 41);
	ck_assert_int_eq(bw_link_prop_int(props, "bad", &v), 0);
	ck_assert_int_eq(bw_link_prop_int(props, "absent", &v), 0);
	bw_link_prop_str(props, "deadline", out, sizeof out);
	ck_assert_str_eq(out, "2027-01-05");
	bw_link_prop_str(props, "deadline", out, 5);   /* cut, never overrun */
	ck_assert_str_eq(out, "2027");
	bw_link_prop_str(props, "absent", out, sizeof out);
	ck_assert_str_eq(out, "");
	mosquitto_property_free_all(&props);
}
END_TEST

Suite *suite_link(void)
{
	Suite *s = suite_create("link");
	TCase *t = tcase_create("core");
	tcase_add_test(t, broker_table);
	tcase_add_test(t, nobody_answers);
	tcase_add_test(t, limits);
	tcase_add_test(t, user_properties);
	suite_add_tcase(s, t);
	return s;
}
