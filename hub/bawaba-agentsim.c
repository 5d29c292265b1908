/* bawaba-agentsim.c: a scripted agent console for tests: one MQTT v5 connection as an
 * agent that prints everything the hub sends it and sends the commands read on stdin,
 * so a shell test can watch the live queue and send commands on the same connection
 * (a second connection with the same user would take the session over). Start reading
 * at main(). */
#include <errno.h>
#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bw_files.h"
#include "bw_err.h"
#include "bw_proto.h"
#include "bw_sync.h"

static volatile sig_atomic_t got_term;

static void on_signal(int sig)
{
	got_term = 1;
}

static const char usage[] =
	"usage: bawaba-agentsim -c AGENT.conf [-w SECONDS]\n"
	"Connects as the agent of AGENT.conf (bawaba agent add --broker), subscribes to its\n"
	"bawaba/v1/agent/<user>/down/#, prints \"ready\" once subscribed, then:\n"
	"  stdin  \"cmd CORR JSON\"          sends JSON on its own up/cmd, response topic\n"
	"                                  down/reply, correlation data CORR\n"
	"         \"rt TOPIC CORR JSON\"     the same with response topic TOPIC\n"
	"         \"raw TOPIC CORR JSON\"    sends JSON on TOPIC (for ACL tests), response\n"
	"                                  topic down/reply\n"
	"  stdout \"msg LEAF CORR PAYLOAD\"  each message from the hub (LEAF after down/, CORR\n"
	"                                  its correlation data or -)\n"
	"         \"puback CORR 0xRR\"       the broker's PUBACK reason code of each send\n"
	"Exits at the end of stdin (after 1 s for the last answers), on SIGTERM, or after\n"
	"SECONDS (default 60).\n";

struct sent {
	int mid;
	char corr[64];
};

struct sim {
	char user[BW_CODE_MAX + 1];
	char down[BW_PROTO_TOPIC_MAX];
	int ready;
	struct sent sent[256];
	size_t nsent;
};

static void on_connect(struct mosquitto *m, void *arg, int rc, int flags, const mosquitto_property *p)
{
	struct sim *s = arg;
	char sub[BW_PROTO_TOPIC_MAX + 2];
	if (rc) {
		fprintf(stderr, "bawaba-agentsim: refused: %s\n", mosquitto_reason_string(rc));
		got_term = 1;
		return;
	}
	snprintf(sub, sizeof sub, "%s#", s->down);
	mosquitto_subscribe_v5(m, NULL, sub, 1, 0, NULL);
}

static void on_subscribe(struct mosquitto *m, void *arg, int mid, int n, const int *qos,
                         const mosquitto_property *p)
{
	struct sim *s = arg;
	if (!s->ready) {
		s->ready = 1;
		printf("ready\n");
		fflush(stdout);
	}
}

static void on_message(struct mosquitto *m, void *arg, const struct mosquitto_message *msg,
                       const mosquitto_property *props)
{
	struct sim *s = arg;
	void *corr = NULL;
	uint16_t clen = 0;
	const char *leaf = msg->topic;
	size_t n = strlen(s->down);
	if (strncmp(leaf, s->down, n) == 0)
		leaf += n;
	mosquitto_property_read_binary(props, MQTT_PROP_CORRELATION_DATA, &corr, &clen, false);
	printf("msg %s %.*s%s %.*s\n", leaf, (int)clen, corr ? (char *)corr : "", corr ? "" : "-",
	       msg->payloadlen, (const char *)msg->payload);
	fflush(stdout);
	free(corr);
}

static void on_publish(struct mosquitto *m, void *arg, int mid, int reason, const mosquitto_property *p)
{
	struct sim *s = arg;
	for (size_t i = 0; i < s->nsent; i++)
		if (s->sent[i].mid == mid) {
			printf("puback %s 0x%02x\n", s->sent[i].corr, reason);
			fflush(stdout);
			s->sent[i] = s->sent[--s->nsent];
			return;
		}
}

/* Sends one stdin line; complains on stderr about a malformed one. */
static void send_line(struct mosquitto *m, struct sim *s, char *line)
{
	char topic[BW_PROTO_TOPIC_MAX], rt[BW_PROTO_TOPIC_MAX + 8];
	char *corr, *json, *sp;
	line[strcspn(line, "\n")] = '\0';
	snprintf(rt, sizeof rt, "%sreply", s->down);
	if (strncmp(line, "cmd ", 4) == 0) {
		snprintf(topic, sizeof topic, BW_PROTO_ROOT "/agent/%s/up/cmd", s->user);
		corr = line + 4;
	} else if (strncmp(line, "rt ", 3) == 0 && (sp = strchr(line + 3, ' '))) {
		*sp = '\0';
		snprintf(topic, sizeof topic, BW_PROTO_ROOT "/agent/%s/up/cmd", s->user);
		if (bw_strlcpy(rt, line + 3, sizeof rt)) {
			fprintf(stderr, "bawaba-agentsim: response topic too long\n");
			return;
		}
		corr = sp + 1;
	} else if (strncmp(line, "raw ", 4) == 0 && (sp = strchr(line + 4, ' '))) {
		*sp = '\0';
		if (bw_strlcpy(topic, line + 4, sizeof topic)) {
			fprintf(stderr, "bawaba-agentsim: topic too long\n");
			return;
		}
		corr = sp + 1;
	} else {
		if (line[0])
			fprintf(stderr, "bawaba-agentsim: bad line: %s\n", line);
		return;
	}
	if (!(json = strchr(corr, ' '))) {
		fprintf(stderr, "bawaba-agentsim: no JSON after the correlation data\n");
		return;
	}
	*json++ = '\0';
	mosquitto_property *props = NULL;
	mosquitto_property_add_string(&props, MQTT_PROP_RESPONSE_TOPIC, rt);
	mosquitto_property_add_binary(&props, MQTT_PROP_CORRELATION_DATA, corr, (uint16_t)strlen(corr));
	int mid = 0;
	int rc = mosquitto_publish_v5(m, &mid, topic, (int)strlen(json), json, 1, false, props);
	mosquitto_property_free_all(&props);
	if (rc != MOSQ_ERR_SUCCESS) {
		fprintf(stderr, "bawaba-agentsim: publish: %s\n", mosquitto_strerror(rc));
		return;
	}
	if (s->nsent < sizeof s->sent / sizeof s->sent[0]) {
		s->sent[s->nsent].mid = mid;
		snprintf(s->sent[s->nsent].corr, sizeof s->sent[0].corr, "%.63s", corr);
		s->nsent++;
	}
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	bw_files_private();  /* before anything is created: personal data stays 0600 */
	const char *conf = NULL;
	double wait_s = 60;
	bw_sync_settings set;
	bw_err e;
	struct sim s = { 0 };
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
			conf = argv[++i];
		else if (strcmp(argv[i], "-w") == 0 && i + 1 < argc)
			wait_s = atof(argv[++i]);
		else {
			fputs(usage, strcmp(argv[i], "--help") == 0 ? stdout : stderr);
			return strcmp(argv[i], "--help") == 0 ? 0 : 2;
		}
	}
	if (!conf) {
		fputs(usage, stderr);
		return 2;
	}
	bw_sync_settings_default(&set);
	if (bw_sync_settings_read(conf, &set, &e)) {
		fprintf(stderr, "bawaba-agentsim: %s\n", e.msg);
		return 1;
	}
	snprintf(s.user, sizeof s.user, "%s", set.broker.username);
	snprintf(s.down, sizeof s.down, BW_PROTO_ROOT "/agent/%s/down/", s.user);

	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	mosquitto_lib_init();
	struct mosquitto *m = mosquitto_new(set.broker.username, true, &s);
	if (!m)
		return 1;
	mosquitto_int_option(m, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
	mosquitto_int_option(m, MOSQ_OPT_TCP_NODELAY, 1);
	mosquitto_username_pw_set(m, set.broker.username, set.broker.password);
	mosquitto_connect_v5_callback_set(m, on_connect);
	mosquitto_subscribe_v5_callback_set(m, on_subscribe);
	mosquitto_message_v5_callback_set(m, on_message);
	mosquitto_publish_v5_callback_set(m, on_publish);
	int rc = mosquitto_connect_bind_v5(m, set.broker.host, set.broker.port, 30, NULL, NULL);
	if (rc != MOSQ_ERR_SUCCESS) {
		fprintf(stderr, "bawaba-agentsim: connect: %s\n", mosquitto_strerror(rc));
		return 1;
	}
	int64_t end = now_ms() + (int64_t)(wait_s * 1000), eof_at = 0;
	char line[70000];
	size_t have = 0;
	while (!got_term && now_ms() < end && (!eof_at || now_ms() < eof_at)) {
		struct pollfd p[2] = { { .fd = mosquitto_socket(m), .events = POLLIN },
		                       { .fd = 0, .events = POLLIN } };
		if (mosquitto_want_write(m))
			p[0].events |= POLLOUT;
		/* stdin is read only once subscribed, so no answer can be missed */
		int n = poll(p, s.ready && !eof_at ? 2 : 1, 100);
		if (n < 0 && errno != EINTR)
			break;
		if (n > 0 && (p[0].revents & (POLLIN | POLLHUP | POLLERR)) &&
		    mosquitto_loop_read(m, 1) != MOSQ_ERR_SUCCESS) {
			fprintf(stderr, "bawaba-agentsim: connection lost\n");
			break;
		}
		if (n > 0 && s.ready && !eof_at && (p[1].revents & (POLLIN | POLLHUP))) {
			/* read(), not stdio: poll() cannot see lines waiting in a FILE buffer */
			ssize_t k = read(0, line + have, sizeof line - 1 - have);
			if (k <= 0) {
				eof_at = now_ms() + 1000;
			} else {
				have += (size_t)k;
				char *nl;
				while ((nl = memchr(line, '\n', have))) {
					*nl = '\0';
					send_line(m, &s, line);
					have -= (size_t)(nl + 1 - line);
					memmove(line, nl + 1, have);
				}
				if (have == sizeof line - 1)
					have = 0;   /* a line too long for any command: dropped */
			}
		}
		if (mosquitto_want_write(m))
			mosquitto_loop_write(m, 1);
		mosquitto_loop_misc(m);
	}
	mosquitto_disconnect_v5(m, 0, NULL);
	mosquitto_loop_write(m, 1);
	mosquitto_destroy(m);
	mosquitto_lib_cleanup();
	return 0;
}
