/* mqtt_raw.c: the reference for bench/sync.sh: the rate at which one libmosquitto
 * subscriber receives QoS 1 messages of a given size from a given number of publishers
 * through the site broker, with nothing else done per message. One thread, one poll loop
 * over every client, as bawaba's daemons run. */
#include <errno.h>
#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bw_err.h"
#include "bw_sync.h"

#define PUB_MAX 64

struct client {
	struct mosquitto *m;
	char topic[BW_PROTO_TOPIC_MAX];
	int ready;          /* CONNACK (publisher) or SUBACK (subscriber) received */
	long sent, acked;
};

static long received;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_connect(struct mosquitto *m, void *arg, int rc, int flags, const mosquitto_property *p)
{
	struct client *c = arg;
	if (rc) {
		fprintf(stderr, "mqtt_raw: refused: %s\n", mosquitto_reason_string(rc));
		exit(1);
	}
	if (c->topic[0])
		c->ready = 1;
	else
		mosquitto_subscribe_v5(m, NULL, BW_PROTO_ROOT "/dev/+/up/bench", 1, 0, NULL);
}

static void on_subscribe(struct mosquitto *m, void *arg, int mid, int n, const int *q, const mosquitto_property *p)
{
	((struct client *)arg)->ready = 1;
}

static void on_message(struct mosquitto *m, void *arg, const struct mosquitto_message *msg,
                       const mosquitto_property *p)
{
	received++;
}

static void on_publish(struct mosquitto *m, void *arg, int mid, int reason, const mosquitto_property *p)
{
	struct client *c = arg;
	c->acked++;
	if (reason >= 0x80) {
		fprintf(stderr, "mqtt_raw: publish refused (0x%02x)\n", reason);
		exit(1);
	}
}

static void connect_as(struct client *c, const char *conf)
{
	bw_sync_settings s;
	bw_err e;
	bw_sync_settings_default(&s);
	if (bw_sync_settings_read(conf, &s, &e)) {
		fprintf(stderr, "mqtt_raw: %s\n", e.msg);
		exit(1);
	}
	/* a clean session that ends with the connection: nothing is kept for "hub" after */
	c->m = mosquitto_new(s.broker.username, true, c);
	mosquitto_int_option(c->m, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
	mosquitto_int_option(c->m, MOSQ_OPT_TCP_NODELAY, 1);
	mosquitto_int_option(c->m, MOSQ_OPT_RECEIVE_MAXIMUM, 1000);
	mosquitto_username_pw_set(c->m, s.broker.username, s.broker.password);
	mosquitto_connect_v5_callback_set(c->m, on_connect);
	mosquitto_subscribe_v5_callback_set(c->m, on_subscribe);
	mosquitto_message_v5_callback_set(c->m, on_message);
	mosquitto_publish_v5_callback_set(c->m, on_publish);
	int rc = mosquitto_connect_bind_v5(c->m, s.broker.host, s.broker.port, 60, NULL, NULL);
	if (rc != MOSQ_ERR_SUCCESS) {
		fprintf(stderr, "mqtt_raw: connect %s: %s\n", s.broker.username, mosquitto_strerror(rc));
		exit(1);
	}
}

/* One pass of the loop over every client: poll, read, write, misc. */
static void spin(struct client *c, int n, int timeout)
{
	struct pollfd p[PUB_MAX + 1];
	for (int i = 0; i < n; i++) {
		p[i].fd = mosquitto_socket(c[i].m);
		p[i].events = POLLIN | (mosquitto_want_write(c[i].m) ? POLLOUT : 0);
	}
	if (poll(p, (nfds_t)n, timeout) < 0 && errno != EINTR)
		exit(1);
	for (int i = 0; i < n; i++) {
		if (p[i].revents & (POLLIN | POLLHUP | POLLERR))
			for (int k = 0; k < 256; k++) {
				errno = 0;
				if (mosquitto_loop_read(c[i].m, 1) != MOSQ_ERR_SUCCESS) {
					fprintf(stderr, "mqtt_raw: connection lost\n");
					exit(1);
				}
				if (errno == EAGAIN || errno == EWOULDBLOCK)
					break;
			}
		if (mosquitto_want_write(c[i].m))
			mosquitto_loop_write(c[i].m, 1);
		mosquitto_loop_misc(c[i].m);
	}
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: mqtt_raw BROKERDIR SIZE COUNT ID...\n"
			"ID... publish COUNT QoS 1 messages of SIZE bytes each on bawaba/v1/dev/ID/up/bench;\n"
			"user hub receives them; prints the rate (\"rate R\" on the last line).\n");
		return 2;
	}
	const char *dir = argv[1];
	int size = atoi(argv[2]), npub = argc - 4;
	long count = atol(argv[3]);
	if (size < 1 || count < 1 || npub > PUB_MAX)
		return 2;
	struct client c[PUB_MAX + 1];
	char conf[1100];
	memset(c, 0, sizeof c);
	mosquitto_lib_init();
	snprintf(conf, sizeof conf, "%s/devices/hub.conf", dir);
	connect_as(&c[0], conf);
	for (int i = 1; i <= npub; i++) {
		snprintf(conf, sizeof conf, "%s/devices/%s.conf", dir, argv[3 + i]);
		snprintf(c[i].topic, sizeof c[i].topic, BW_PROTO_ROOT "/dev/%s/up/bench", argv[3 + i]);
		connect_as(&c[i], conf);
	}
	double t_wait = now_s();
	for (;;) {
		int ready = 0;
		for (int i = 0; i <= npub; i++)
			ready += c[i].ready;
		if (ready == npub + 1)
			break;
		if (now_s() - t_wait > 10) {
			fprintf(stderr, "mqtt_raw: clients not ready\n");
			return 1;
		}
		spin(c, npub + 1, 50);
	}
	char *payload = malloc((size_t)size);
	memset(payload, 'x', (size_t)size);
	long total = count * npub;
	double t0 = now_s();
	/* publishers keep at most a window in flight, as bw_sync does (window 100) */
	while (received < total) {
		for (int i = 1; i <= npub; i++)
			while (c[i].sent < count && c[i].sent - c[i].acked < 100) {
				if (mosquitto_publish_v5(c[i].m, NULL, c[i].topic, size, payload, 1, false, NULL) !=
				    MOSQ_ERR_SUCCESS) {
					fprintf(stderr, "mqtt_raw: publish failed\n");
					return 1;
				}
				c[i].sent++;
			}
		spin(c, npub + 1, 100);
		if (now_s() - t0 > 120) {
			fprintf(stderr, "mqtt_raw: only %ld of %ld received\n", received, total);
			return 1;
		}
	}
	double secs = now_s() - t0;
	printf("raw MQTT: %d publishers x %ld QoS 1 messages of %d bytes to one subscriber: %.3f s\n",
	       npub, count, size, secs);
	printf("rate %.0f\n", (double)total / secs);
	for (int i = 0; i <= npub; i++) {
		mosquitto_disconnect_v5(c[i].m, 0, NULL);
		mosquitto_loop_write(c[i].m, 1);
		mosquitto_destroy(c[i].m);
	}
	free(payload);
	mosquitto_lib_cleanup();
	return 0;
}
