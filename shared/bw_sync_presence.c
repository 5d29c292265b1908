/* bw_sync_presence.c: presence: the device's retained heartbeat (with its outbox depth,
 * cursor and figures) and the hub's, which says whether to send or to wait. */
#include "bw_clock.h"
#include "bw_sync_int.h"

#include <stdlib.h>

/* ---- presence ---- */

void sync_publish_presence(bw_sync *s, int online)
{
	bw_presence p = { .online = online, .at = online ? bw_now() : 0,
	                  .outbox = -1, .cursor = s->cursor, .signal = -1, .queue = -1 };
	char *json;
	size_t len;
	if (online) {
		p.outbox = bw_sync_outbox_depth(s);
		if (s->cb.figures)
			s->cb.figures(s->cb.arg, &p.signal, &p.queue);
	}
	if (bw_presence_encode(&p, &json, &len, NULL))
		return;
	bw_err e;
	if (bw_link_publish(s->link, NULL, s->t_presence, json, len, 1, NULL, &e))
		log_warn(s->log, "presence: %s", e.msg);
	free(json);
}

void sync_on_hub(bw_sync *s, const char *payload, int len)
{
	bw_presence p;
	bw_err e;
	if (len == 0)
		return;   /* a retained message being cleared */
	if (bw_presence_decode(payload, (size_t)len, &p, &e)) {
		log_warn(s->log, "pub/hub: dropped: %s", e.msg);
		return;
	}
	int was = s->hub;
	s->hub = p.online ? 1 : 0;
	if (was == s->hub)
		return;
	log_info(s->log, "the hub is %s", p.online ? "online" : "offline");
	if (s->hub == 1 && was == 0) {
		for (size_t i = 0; i < s->npend; i++)
			s->pend[i].due_ms = 0;
		sync_pump(s);
	}
}

