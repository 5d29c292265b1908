/* bw_mqtt.c: small libmosquitto chores shared by every bawaba MQTT client. */
#include "bw_mqtt.h"

#include <mosquitto.h>
#include <time.h>

void bw_mqtt_goodbye(struct mosquitto *m, int max_ms)
{
	mosquitto_disconnect_v5(m, 0, NULL);
	for (int waited = 0; waited < max_ms && mosquitto_want_write(m); waited += 10) {
		mosquitto_loop_write(m, 1);
		struct timespec ts = { 0, 10 * 1000000 };
		nanosleep(&ts, NULL);
	}
}
