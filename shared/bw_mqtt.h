/* bw_mqtt.h: small libmosquitto chores shared by every bawaba MQTT client. */
#ifndef BW_MQTT_H
#define BW_MQTT_H

struct mosquitto;

/* Sends DISCONNECT and writes what is queued (a last presence, the disconnect itself)
 * for up to max_ms, since the caller's loop has stopped and nobody else will write it. */
void bw_mqtt_goodbye(struct mosquitto *m, int max_ms);

#endif
